"""Errors raised by the question bank.

Every error is a :class:`QuestionBankError`::

    QuestionBankError
    ├── SourceError                   an authoring file that cannot be read (file, line, field)
    │   └── UnsupportedConstructError a construct of an import format we do not take, by name
    ├── ValidationError               items that break the rules; ``problems`` lists them all
    ├── BankFormatError               not a bank, a truncated bank, or an unknown version
    │   └── WeakKeyDerivationError    a passphrase wrap cheaper to guess than this version allows
    ├── BankIntegrityError            a record (or the header) whose bytes were altered
    ├── SignatureError
    │   ├── MissingSignatureError     the bank carries no signature
    │   └── UntrustedSignerError      signed, but by a key the receiver does not trust
    ├── WrongPassphraseError          the passphrase (or recipient key) does not open this bank
    ├── KeyFileError                  a signing or recipient key file that cannot be used
    └── BlueprintError                a blueprint that is malformed or cannot be met
"""

from __future__ import annotations

from dataclasses import dataclass


class QuestionBankError(Exception):
    """Root of every error the question bank raises."""


@dataclass(frozen=True, slots=True)
class Location:
    """Where a problem is: a file, and where known a line (or row) and a field."""

    file: str
    line: int | None = None
    field: str | None = None
    item_id: str | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.item_id is not None:
            parts.append(f"item {self.item_id}")
        if self.field is not None:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts)


class SourceError(QuestionBankError):
    """An authoring file that cannot be read or imported."""

    def __init__(self, location: Location, reason: str) -> None:
        super().__init__(f"{location}: {reason}")
        self.location = location
        self.reason = reason


class UnsupportedConstructError(SourceError):
    """A construct of an import format that we do not take; never dropped silently."""

    def __init__(self, location: Location, construct: str) -> None:
        super().__init__(location, f"unsupported construct: {construct}")
        self.construct = construct


@dataclass(frozen=True, slots=True)
class Problem:
    location: Location
    reason: str

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"


class ValidationError(QuestionBankError):
    """Items that break the rules; every problem found is listed, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        count = len(problems)
        head = f"{count} problem{'s' if count != 1 else ''} found"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in problems))
        self.problems = problems


class BankFormatError(QuestionBankError):
    """Not a bank file, a truncated one, or a version this program does not read."""


class WeakKeyDerivationError(BankFormatError):
    """The bank's passphrase wrap uses a scrypt cost below ``minimum``: too cheap to guess."""

    def __init__(self, n: int, minimum: int) -> None:
        super().__init__(
            f"the bank's passphrase is wrapped with scrypt n = {_power(n)}, below the "
            f"{_power(minimum)} this version requires; have the committee rebuild the bank "
            "with cbt-bank build"
        )
        self.n = n
        self.minimum = minimum


def _power(n: int) -> str:
    """2^k for a power of two, else the number."""
    return f"2^{n.bit_length() - 1}" if n > 0 and n & (n - 1) == 0 else str(n)


class BankIntegrityError(QuestionBankError):
    """The bytes of a record (or of the header) are not what the author signed."""

    def __init__(self, record: str, reason: str = "its bytes were altered") -> None:
        super().__init__(f"bank record {record!r} failed its integrity check: {reason}")
        self.record = record


class SignatureError(QuestionBankError):
    """The bank's signature cannot be accepted."""


class MissingSignatureError(SignatureError):
    def __init__(self) -> None:
        super().__init__("the bank carries no author signature")


class UntrustedSignerError(SignatureError):
    def __init__(self, fingerprint: str) -> None:
        super().__init__(
            f"the bank is signed by key {fingerprint}, which is not among the trusted keys"
        )
        self.fingerprint = fingerprint


class WrongPassphraseError(QuestionBankError):
    def __init__(self, what: str = "passphrase") -> None:
        super().__init__(f"the {what} does not open this bank")


class KeyFileError(QuestionBankError):
    """A key file that is missing, malformed, of the wrong kind, or locked."""


class BlueprintError(QuestionBankError):
    """A blueprint that is malformed or that the bank cannot satisfy."""

    def __init__(self, reason: str, *, constraint: str | None = None, short: int = 0) -> None:
        super().__init__(reason)
        self.constraint = constraint
        self.short = short
