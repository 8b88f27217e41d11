from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from question_bank.container import SealedBank, seal
from tests.question_bank.factories import small_bank

PASSPHRASE = "rahasia-bank-uji"


@pytest.fixture(scope="session")
def author() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="session")
def sealed_bytes(tmp_path_factory: pytest.TempPathFactory, author: Ed25519PrivateKey) -> bytes:
    """One small bank sealed at the real scrypt cost (2^17), once per session."""
    path = tmp_path_factory.mktemp("sealed") / "uji.cbtbank"
    seal(small_bank(), path, signing_key=author, passphrase=PASSPHRASE)
    return path.read_bytes()


@pytest.fixture
def sealed_path(tmp_path: Path, sealed_bytes: bytes) -> Path:
    """A copy of that bank of the test's own, to damage as it likes."""
    path = tmp_path / "uji.cbtbank"
    path.write_bytes(sealed_bytes)
    return path


@pytest.fixture
def sealed(sealed_path: Path, author: Ed25519PrivateKey) -> SealedBank:
    return SealedBank.open(sealed_path, [author.public_key()])
