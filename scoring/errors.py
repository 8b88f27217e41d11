"""Errors raised by the scoring engine.

Every error is a :class:`ScoringError` and carries the fields a caller needs to act::

    ScoringError
    ├── PolicyError                 a policy that cannot be loaded or contradicts itself
    ├── KeyDataError                a key (item -> points) that is malformed
    │   └── UnknownSectionError     an item names a section the policy does not have
    ├── ResponseError               responses that do not fit the keys
    │   ├── UnknownItemError        a response for an item that has no key
    │   ├── UnknownOptionError      a response naming an option the item does not have
    │   └── DuplicateResponseError  two responses for one item
    ├── ResultDataError             a result (for ranking or integration) that is malformed
    ├── ReportDataError             a stored report that cannot be read back
    └── NoSuchSectionError          a section asked of a report that does not have it
"""

from __future__ import annotations


class ScoringError(Exception):
    """Root of every error the scoring package raises."""


class PolicyError(ScoringError):
    """A policy is malformed or contradicts itself; ``reason`` says how."""

    def __init__(self, policy: str, reason: str) -> None:
        super().__init__(f"policy {policy!r}: {reason}")
        self.policy = policy
        self.reason = reason


class KeyDataError(ScoringError):
    """An item's key is malformed."""

    def __init__(self, item_id: str, reason: str) -> None:
        super().__init__(f"item {item_id!r}: {reason}")
        self.item_id = item_id
        self.reason = reason


class UnknownSectionError(KeyDataError):
    """An item belongs to a section the policy does not define."""

    def __init__(self, item_id: str, section: str, known: tuple[str, ...]) -> None:
        super().__init__(
            item_id, f"section {section!r} is not in the policy (known: {', '.join(known)})"
        )
        self.section = section
        self.known = known


class ResponseError(ScoringError):
    """Responses do not fit the keys."""

    def __init__(self, item_id: str, reason: str) -> None:
        super().__init__(f"item {item_id!r}: {reason}")
        self.item_id = item_id
        self.reason = reason


class UnknownItemError(ResponseError):
    """A response names an item that has no key."""

    def __init__(self, item_id: str) -> None:
        super().__init__(item_id, "there is no key for this item")


class UnknownOptionError(ResponseError):
    """A response names an option the item does not have."""

    def __init__(self, item_id: str, option: str, options: tuple[str, ...]) -> None:
        super().__init__(
            item_id, f"option {option!r} does not exist (options: {', '.join(options)})"
        )
        self.option = option
        self.options = options


class DuplicateResponseError(ResponseError):
    """Two responses were given for one item."""

    def __init__(self, item_id: str) -> None:
        super().__init__(item_id, "more than one response was given for this item")


class ResultDataError(ScoringError):
    """A candidate result handed to ranking or integration is malformed.

    ``missing`` names the sections the policy needs that the result lacks.
    """

    def __init__(self, candidate: str, reason: str, *, missing: tuple[str, ...] = ()) -> None:
        super().__init__(f"candidate {candidate!r}: {reason}")
        self.candidate = candidate
        self.reason = reason
        self.missing = missing


class ReportDataError(ScoringError):
    """A stored or published report that cannot be read back."""


class NoSuchSectionError(ScoringError):
    """A report was asked for a section it does not have; ``known`` lists those it has."""

    def __init__(self, section: str, known: tuple[str, ...]) -> None:
        listed = ", ".join(known) or "none"
        super().__init__(f"the report has no section {section!r} (sections: {listed})")
        self.section = section
        self.known = known
