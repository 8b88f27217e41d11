"""Author signing keys (Ed25519) and recipient keys (X25519), as PEM files.

A private key file is always encrypted with a passphrase (PKCS#8, scrypt via
``BestAvailableEncryption``); public keys are plain SubjectPublicKeyInfo PEM.
A key's fingerprint is the SHA-256 of its raw public bytes, shown in groups
("3f2a 9c1e ...") so two people can compare it aloud.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from question_bank.errors import KeyFileError

PublicKey = Ed25519PublicKey | X25519PublicKey


def raw_public(key: PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(key: PublicKey | bytes) -> str:
    """Full fingerprint: hex SHA-256 of the raw public key."""
    raw = key if isinstance(key, bytes) else raw_public(key)
    return hashlib.sha256(raw).hexdigest()


def short_fingerprint(full: str) -> str:
    """The first 64 bits of a fingerprint in groups of four: ``3f2a 9c1e 0b77 d410``."""
    return " ".join(full[i : i + 4] for i in range(0, 16, 4))


def _private_pem(key: Ed25519PrivateKey | X25519PrivateKey, passphrase: str) -> bytes:
    if not passphrase:
        raise KeyFileError("a private key needs a non-empty passphrase")
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
    )


def _public_pem(key: PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def generate_signing_key(prefix: Path, passphrase: str) -> str:
    """Write ``PREFIX.key`` (encrypted) and ``PREFIX.pub``; return the fingerprint."""
    return _generate(prefix, passphrase, Ed25519PrivateKey.generate())


def generate_recipient_key(prefix: Path, passphrase: str) -> str:
    """An X25519 pair for receiving banks (a server's key)."""
    return _generate(prefix, passphrase, X25519PrivateKey.generate())


def _generate(prefix: Path, passphrase: str, key: Ed25519PrivateKey | X25519PrivateKey) -> str:
    private_path = prefix.with_name(prefix.name + ".key")
    public_path = prefix.with_name(prefix.name + ".pub")
    for path in (private_path, public_path):
        if path.exists():
            raise KeyFileError(f"{path} already exists; refusing to overwrite a key")
    pem = _private_pem(key, passphrase)
    private_path.touch(mode=0o600)
    private_path.write_bytes(pem)
    public_path.write_bytes(_public_pem(key.public_key()))
    return fingerprint(key.public_key())


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise KeyFileError(f"{path}: no such key file") from None
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot be read ({exc.strerror})") from None


def load_private(path: Path, passphrase: str) -> Ed25519PrivateKey | X25519PrivateKey:
    data = _read(path)
    try:
        key = serialization.load_pem_private_key(data, passphrase.encode("utf-8") or None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise KeyFileError(f"{path}: not a private key, or the key passphrase is wrong") from None
    if not isinstance(key, Ed25519PrivateKey | X25519PrivateKey):
        raise KeyFileError(f"{path}: not an Ed25519 or X25519 key")
    return key


def load_signing_key(path: Path, passphrase: str) -> Ed25519PrivateKey:
    key = load_private(path, passphrase)
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path}: this is a recipient key, not a signing key")
    return key


def load_recipient_private(path: Path, passphrase: str) -> X25519PrivateKey:
    key = load_private(path, passphrase)
    if not isinstance(key, X25519PrivateKey):
        raise KeyFileError(f"{path}: this is a signing key, not a recipient key")
    return key


def load_public(path: Path) -> PublicKey:
    data = _read(path)
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        raise KeyFileError(f"{path}: not a public key file") from None
    if not isinstance(key, Ed25519PublicKey | X25519PublicKey):
        raise KeyFileError(f"{path}: not an Ed25519 or X25519 public key")
    return key


def load_trusted(path: Path) -> Ed25519PublicKey:
    key = load_public(path)
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"{path}: a trusted author key must be an Ed25519 signing key")
    return key


def load_recipient_public(path: Path) -> X25519PublicKey:
    key = load_public(path)
    if not isinstance(key, X25519PublicKey):
        raise KeyFileError(f"{path}: a recipient key must be an X25519 key")
    return key
