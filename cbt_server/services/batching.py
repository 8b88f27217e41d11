"""Group commit: one thread drains a queue in batches, so one transaction serves many.

The answer writer and the submitter both work this way: block for the first
item, then take whatever else is already waiting, up to a limit, and commit
it all at once. ``None`` on the queue asks the thread to stop after the batch.
"""

from __future__ import annotations

import queue
from typing import TypeVar

T = TypeVar("T")


def next_batch(source: queue.Queue[T | None], limit: int) -> tuple[list[T], bool]:
    """The next batch (possibly empty when stopping) and whether to stop afterwards."""
    first = source.get()
    if first is None:
        return [], True
    batch = [first]
    while len(batch) < limit:
        try:
            item = source.get_nowait()
        except queue.Empty:
            break
        if item is None:
            return batch, True
        batch.append(item)
    return batch, False
