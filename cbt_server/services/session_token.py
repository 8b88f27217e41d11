"""The session token a proctor reads out; it rotates so that it is only good in the room.

The token for period ``k = floor(now / period)`` is derived from the session's
secret with HMAC-SHA256, so nothing needs storing or syncing between server
workers. The previous token stays valid for a short overlap after a rotation,
so a candidate typing it at the turn of the period is not refused.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

#: No 0/O, 1/I/L, 2/Z, 5/S, 8/B: easy to read aloud and to type.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
LENGTH = 6
OVERLAP_S = 120


def _token(secret: bytes, counter: int) -> str:
    digest = hmac.new(secret, counter.to_bytes(8, "big"), hashlib.sha256).digest()
    value = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(LENGTH):
        value, index = divmod(value, len(ALPHABET))
        chars.append(ALPHABET[index])
    return "".join(chars)


@dataclass(frozen=True, slots=True)
class TokenNow:
    token: str
    rotates_in_s: int


def current(secret: bytes, period_s: int, now_ms: int) -> TokenNow:
    counter = now_ms // (period_s * 1000)
    next_ms = (counter + 1) * period_s * 1000
    return TokenNow(_token(secret, counter), max(0, (next_ms - now_ms + 999) // 1000))


def accepts(secret: bytes, period_s: int, now_ms: int, typed: str) -> bool:
    typed = typed.strip().upper()
    counter = now_ms // (period_s * 1000)
    if hmac.compare_digest(typed, _token(secret, counter)):
        return True
    into_period_ms = now_ms - counter * period_s * 1000
    return into_period_ms < OVERLAP_S * 1000 and hmac.compare_digest(
        typed, _token(secret, counter - 1)
    )
