"""Hashing staff passwords and candidate PINs with argon2id.

Staff passwords use argon2's recommended cost. PINs use a light cost (about
2 ms here) so that a thousand logins a minute fit on a modest server: a
six-digit PIN cannot resist offline guessing whatever the cost, so its real
protection is the lockout after wrong tries; the hash only keeps PINs out of
the database in clear.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

STAFF = PasswordHasher()
PIN = PasswordHasher(time_cost=1, memory_cost=4096, parallelism=1)
PIN_ALPHABET = "0123456789"


def hash_password(password: str) -> str:
    return STAFF.hash(password)


def check_password(stored: str, password: str) -> bool:
    return _check(STAFF, stored, password)


def hash_pin(pin: str) -> str:
    return PIN.hash(pin)


def check_pin(stored: str, pin: str) -> bool:
    return _check(PIN, stored, pin)


def _check(hasher: PasswordHasher, stored: str, value: str) -> bool:
    try:
        return hasher.verify(stored, value)
    except (VerificationError, InvalidHashError):
        return False


def new_pin(length: int = 6) -> str:
    return "".join(secrets.choice(PIN_ALPHABET) for _ in range(length))
