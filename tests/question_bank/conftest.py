from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from question_bank.container import SealedBank, seal
from tests.question_bank.factories import small_bank

#: Tests use the smallest scrypt cost the reader accepts; the CLI default is 2^17.
FAST_KDF = 2**14
PASSPHRASE = "rahasia-bank-uji"


@pytest.fixture(scope="session")
def author() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def sealed_path(tmp_path: Path, author: Ed25519PrivateKey) -> Path:
    path = tmp_path / "uji.cbtbank"
    seal(small_bank(), path, signing_key=author, passphrase=PASSPHRASE, kdf_n=FAST_KDF)
    return path


@pytest.fixture
def sealed(sealed_path: Path, author: Ed25519PrivateKey) -> SealedBank:
    return SealedBank.open(sealed_path, [author.public_key()])
