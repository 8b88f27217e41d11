"""The candidate's answer sheet: choices, doubt marks, sequence numbers and what is unsent.

Every change gets the next sequence number of the attempt. The server keeps,
per item, the change with the highest ``seq`` and acknowledges a batch with
its highest ``seq``; so a change is durable once ``seq <= acked_seq``.
Resuming merges the server's saved answers with this PC's unacknowledged
journal entries: per item the highest ``seq`` wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cbt_client.journal import Entry
from cbt_client.wire import ItemNumber, SavedAnswer

#: The server takes at most this many changes per request.
MAX_BATCH = 500


@dataclass(frozen=True, slots=True)
class Answer:
    choice: str | None = None
    doubtful: bool = False
    seq: int = 0

    @property
    def answered(self) -> bool:
        return self.choice is not None


@dataclass(frozen=True, slots=True)
class Tally:
    items: int
    answered: int
    doubtful: int

    @property
    def unanswered(self) -> int:
        return self.items - self.answered


class AnswerSheet:
    """Not thread-safe by itself: ``ExamSession`` guards it with its lock."""

    def __init__(self, items: int) -> None:
        self.items = items
        self._answers: dict[int, Answer] = {}
        self._unsent: dict[int, Entry] = {}
        self.acked_seq = 0
        self.last_seq = 0

    # ------------------------------------------------------------------ reading

    def answer(self, number: int) -> Answer:
        return self._answers.get(number, Answer())

    def answers(self) -> dict[int, Answer]:
        return dict(self._answers)

    def tally(self) -> Tally:
        values = self._answers.values()
        return Tally(
            self.items,
            sum(1 for a in values if a.answered),
            sum(1 for a in values if a.doubtful),
        )

    def numbers(self, *, answered: bool | None = None, doubtful: bool | None = None) -> list[int]:
        out = []
        for number in range(1, self.items + 1):
            a = self.answer(number)
            if answered is not None and a.answered != answered:
                continue
            if doubtful is not None and a.doubtful != doubtful:
                continue
            out.append(number)
        return out

    @property
    def unsent(self) -> int:
        return len(self._unsent)

    def acknowledged(self) -> dict[int, Answer]:
        """The answers the server holds for sure (those with ``seq <= acked_seq``)."""
        return {n: a for n, a in self._answers.items() if a.seq <= self.acked_seq}

    # ------------------------------------------------------------------ changing

    def change(
        self, number: int, *, choice: str | None, doubtful: bool, at_ms: int
    ) -> Entry | None:
        """Record a change; ``None`` when it changes nothing (no sequence is spent)."""
        if not 1 <= number <= self.items:
            raise KeyError(number)
        current = self.answer(number)
        if current.choice == choice and current.doubtful == doubtful:
            return None
        self.last_seq += 1
        entry = Entry(self.last_seq, number, choice, doubtful, at_ms)
        self._answers[number] = Answer(choice, doubtful, entry.seq)
        self._unsent[number] = entry
        return entry

    def batch(self) -> list[Entry]:
        """The changes to send: the latest per item, oldest first, at most ``MAX_BATCH``."""
        return sorted(self._unsent.values(), key=lambda e: e.seq)[:MAX_BATCH]

    def acknowledge(self, acked_seq: int) -> None:
        """The server holds every change up to ``acked_seq``."""
        if acked_seq <= self.acked_seq:
            return
        self.acked_seq = acked_seq
        self.last_seq = max(self.last_seq, acked_seq)
        for number in [n for n, e in self._unsent.items() if e.seq <= acked_seq]:
            del self._unsent[number]

    def drop_unsent(self) -> list[Entry]:
        """Forget changes the server will never take (time over); return them."""
        dropped = sorted(self._unsent.values(), key=lambda e: e.seq)
        self._unsent.clear()
        return dropped

    def restore(
        self,
        *,
        server: Mapping[ItemNumber, SavedAnswer],
        server_acked: int,
        journal: Iterable[Entry],
        journal_high_water: int = 0,
    ) -> int:
        """Merge the server's answers with this PC's journal; return how many were unsent.

        Journal entries at or below ``server_acked`` are already on the server
        (or were superseded there by a later station), so they are dropped.
        """
        self._answers = {
            int(n): Answer(a.choice, a.doubtful, a.seq)
            for n, a in server.items()
            if 1 <= n <= self.items
        }
        self._unsent.clear()
        self.acked_seq = server_acked
        self.last_seq = max(server_acked, journal_high_water)
        for entry in sorted(journal, key=lambda e: e.seq):
            self.last_seq = max(self.last_seq, entry.seq)
            if entry.seq <= server_acked or not 1 <= entry.number <= self.items:
                continue
            if entry.seq > self.answer(entry.number).seq:
                self._answers[entry.number] = Answer(entry.choice, entry.doubtful, entry.seq)
                self._unsent[entry.number] = entry
        return len(self._unsent)
