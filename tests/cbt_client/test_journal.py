from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cbt_client.errors import JournalError
from cbt_client.journal import MAGIC, Entry, Journal, journal_name

KEY = bytes(range(32))
OTHER = bytes(range(1, 33))


def _entries(n: int) -> list[Entry]:
    return [Entry(i, i, "ABCDE"[i % 5], i % 3 == 0, 1_700_000_000_000 + i) for i in range(1, n + 1)]


def test_appended_changes_read_back_in_order(tmp_path: Path) -> None:
    journal = Journal(tmp_path, KEY)
    for entry in _entries(5):
        journal.append(entry)
    contents = journal.read()
    assert contents.entries == tuple(_entries(5))
    assert contents.high_water == 5
    assert (contents.damaged, contents.torn_tail) == (0, False)


def test_the_file_alone_reveals_nothing(tmp_path: Path) -> None:
    journal = Journal(tmp_path, KEY)
    journal.append(Entry(1, 42, "C", True, 0))
    data = journal.path.read_bytes()
    assert data.startswith(MAGIC)
    for plain in (b'"n"', b"42", b'"C"', b"true"):
        assert plain not in data[len(MAGIC) :]
    assert "42" not in journal.path.name
    assert journal.path.name == journal_name(KEY)
    # Another key opens another file: this one stays unreadable to it.
    assert Journal(tmp_path, OTHER).read().entries == ()


def test_a_tampered_record_is_counted_and_skipped(tmp_path: Path) -> None:
    journal = Journal(tmp_path, KEY)
    for entry in _entries(3):
        journal.append(entry)
    data = bytearray(journal.path.read_bytes())
    data[len(MAGIC) + 30] ^= 0x01  # inside the first record's ciphertext
    journal.path.write_bytes(bytes(data))
    contents = Journal(tmp_path, KEY).read()
    assert [e.seq for e in contents.entries] == [2, 3]
    assert contents.damaged == 1


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(min_value=1, max_value=200))
def test_a_kill_while_appending_loses_only_the_torn_record(tmp_path_factory, cut: int) -> None:
    folder = tmp_path_factory.mktemp("j")
    journal = Journal(folder, KEY, durable=False)
    for entry in _entries(3):
        journal.append(entry)
    whole = journal.path.stat().st_size
    journal.append(Entry(4, 4, "D", False, 0))
    size = journal.path.stat().st_size
    torn = whole + (cut % (size - whole))  # somewhere inside the last record
    with journal.path.open("r+b") as f:
        f.truncate(torn)
    reopened = Journal(folder, KEY, durable=False)
    contents = reopened.read()
    assert [e.seq for e in contents.entries] == [1, 2, 3]
    assert contents.torn_tail == (torn != whole)
    # The torn tail is cut off, so the next change is readable after the whole ones.
    reopened.append(Entry(5, 5, "E", False, 0))
    assert [e.seq for e in Journal(folder, KEY).read().entries] == [1, 2, 3, 5]


def test_a_kill_while_writing_the_header_leaves_an_empty_journal(tmp_path: Path) -> None:
    journal = Journal(tmp_path, KEY)
    journal.path.write_bytes(MAGIC[:3])
    assert journal.read().entries == ()
    journal.append(Entry(1, 1, "A", False, 0))
    assert [e.seq for e in journal.read().entries] == [1]


def test_trimming_keeps_unacknowledged_changes_and_the_high_water(tmp_path: Path) -> None:
    journal = Journal(tmp_path, KEY)
    for entry in _entries(6):
        journal.append(entry)
    assert journal.trim(4) == 2
    contents = journal.read()
    assert [e.seq for e in contents.entries] == [5, 6]
    assert contents.high_water == 6
    assert journal.trim(6) == 0
    contents = journal.read()
    assert contents.entries == ()
    assert contents.high_water == 6
    journal.discard()
    assert not journal.path.exists()


def test_a_foreign_file_and_a_bad_key_are_journal_errors(tmp_path: Path) -> None:
    with pytest.raises(JournalError):
        Journal(tmp_path, b"short")
    journal = Journal(tmp_path, KEY)
    journal.path.write_bytes(b"not a journal at all")
    with pytest.raises(JournalError) as caught:
        journal.read()
    assert caught.value.path == journal.path


WRITER = """
import sys
from pathlib import Path
from cbt_client.journal import Entry, Journal
journal = Journal(Path(sys.argv[1]), bytes(range(32)))
seq = 0
while True:
    seq += 1
    journal.append(Entry(seq, seq % 110 + 1, "ABCDE"[seq % 5], seq % 7 == 0, seq))
    print(seq, flush=True)
"""


def test_a_journal_survives_sigkill_at_any_moment(tmp_path: Path) -> None:
    """Every append that returned is on disk after the writer is killed mid-write."""
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    )
    confirmed = 0
    try:
        assert child.stdout is not None
        while confirmed < 200:
            line = child.stdout.readline()
            if not line:
                break
            confirmed = int(line)
    finally:
        child.kill()
        child.wait(10)
        if child.stdout is not None:
            child.stdout.close()
    assert confirmed >= 200
    seqs = [e.seq for e in Journal(tmp_path, KEY).read().entries]
    assert seqs[: len(seqs)] == list(range(1, len(seqs) + 1))
    assert len(seqs) >= confirmed
