from __future__ import annotations

from cbt_client.answers import MAX_BATCH, AnswerSheet
from cbt_client.journal import Entry
from cbt_client.wire import ItemNumber, SavedAnswer


def test_changes_get_sequence_numbers_and_wait_until_acknowledged() -> None:
    sheet = AnswerSheet(110)
    first = sheet.change(1, choice="A", doubtful=False, at_ms=0)
    assert first is not None
    assert first.seq == 1
    assert sheet.change(1, choice="A", doubtful=False, at_ms=0) is None  # no change, no seq
    sheet.change(1, choice="B", doubtful=True, at_ms=0)
    sheet.change(2, choice="C", doubtful=False, at_ms=0)
    batch = sheet.batch()
    assert [(e.number, e.choice, e.seq) for e in batch] == [(1, "B", 2), (2, "C", 3)]
    sheet.acknowledge(2)
    assert sheet.unsent == 1
    assert sheet.acked_seq == 2
    assert sheet.acknowledged() == {1: sheet.answer(1)}
    sheet.acknowledge(3)
    assert sheet.unsent == 0
    tally = sheet.tally()
    assert (tally.answered, tally.doubtful, tally.unanswered) == (2, 1, 108)
    assert sheet.numbers(doubtful=True) == [1]


def test_a_batch_never_exceeds_what_the_server_takes() -> None:
    sheet = AnswerSheet(1000)
    for n in range(1, 701):
        sheet.change(n, choice="A", doubtful=False, at_ms=0)
    assert len(sheet.batch()) == MAX_BATCH


def test_resuming_merges_server_and_journal_highest_sequence_wins() -> None:
    sheet = AnswerSheet(10)
    server = {
        ItemNumber(1): SavedAnswer("A", False, 3),
        ItemNumber(2): SavedAnswer("B", True, 5),
    }
    journal = [
        Entry(2, 1, "E", False, 0),  # older than the server's seq 3 for item 1: stays A
        Entry(4, 3, "C", False, 0),  # at or below acked 5: on the server already (or superseded)
        Entry(6, 2, "D", False, 0),  # newer than the server's item 2: wins, and is unsent
        Entry(7, 4, "A", True, 0),  # a change the server never got
    ]
    unsent = sheet.restore(server=server, server_acked=5, journal=journal)
    assert unsent == 2
    assert sheet.answer(1).choice == "A"
    assert (sheet.answer(2).choice, sheet.answer(2).doubtful) == ("D", False)
    assert sheet.answer(3).choice is None
    assert sheet.answer(4).doubtful is True
    assert [e.seq for e in sheet.batch()] == [6, 7]
    nxt = sheet.change(5, choice="B", doubtful=False, at_ms=0)
    assert nxt is not None
    assert nxt.seq == 8


def test_a_new_pc_continues_above_the_server_and_the_old_high_water() -> None:
    sheet = AnswerSheet(10)
    sheet.restore(server={}, server_acked=40, journal=[], journal_high_water=52)
    entry = sheet.change(1, choice="A", doubtful=False, at_ms=0)
    assert entry is not None
    assert entry.seq == 53


def test_dropping_unsent_changes_after_time_over() -> None:
    sheet = AnswerSheet(3)
    sheet.change(1, choice="A", doubtful=False, at_ms=0)
    sheet.change(2, choice="B", doubtful=False, at_ms=0)
    dropped = sheet.drop_unsent()
    assert [e.seq for e in dropped] == [1, 2]
    assert sheet.unsent == 0
