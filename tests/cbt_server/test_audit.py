"""The audit chain: everything that matters is in it, and any edit is caught."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import delete, update

from cbt_server.db import tables
from cbt_server.errors import AuditChainError
from cbt_server.services.audit import entry_hash, verify_rows
from tests.cbt_server.conftest import ADMIN_PASS


def _exam(site) -> None:
    h = site.start("2026001")
    site.client.post(
        "/api/v1/candidate/answers",
        headers=h,
        json={"changes": [{"number": 1, "choice": "A", "seq": 1}]},
    )
    site.client.post("/api/v1/candidate/submit", headers=h)


def test_the_chain_records_the_exam_day(site) -> None:
    _exam(site)
    head = site.rt.audit.verify(site.rt.db)
    events = [e["event"] for e in site.rt.audit.entries(site.rt.db)]
    for event in (
        "site_initialised",
        "bank_imported",
        "bank_unlocked",
        "exam_created",
        "session_opened",
        "login",
        "form_issued",
        "attempt_started",
        "attempt_scored",
    ):
        assert event in events
    issued = next(e for e in site.rt.audit.entries(site.rt.db) if e["event"] == "form_issued")
    assert "seed" in json.loads(issued["data_json"])
    public = site.client.get("/api/v1/public/audit/head").json()
    assert (public["seq"], public["hash"]) == (head.seq, head.hash)


def test_an_edited_row_is_caught_and_named(site) -> None:
    _exam(site)
    log = tables.audit_log
    with site.rt.db.write() as conn:
        conn.execute(update(log).where(log.c.seq == 5).values(actor="someone-else"))
    with pytest.raises(AuditChainError) as caught:
        site.rt.audit.verify(site.rt.db)
    assert caught.value.seq == 5
    assert "entry 5 was altered" in str(caught.value)


def test_deleted_and_reordered_rows_are_caught(site) -> None:
    _exam(site)
    rows = site.rt.audit.entries(site.rt.db)
    with pytest.raises(AuditChainError, match="entry 3 is missing"):
        verify_rows([r for r in rows if r["seq"] != 3])
    swapped = list(rows)
    swapped[2], swapped[3] = swapped[3], swapped[2]
    with pytest.raises(AuditChainError):
        verify_rows(swapped)
    last = rows[-1]["seq"]
    with site.rt.db.write() as conn:
        conn.execute(delete(tables.audit_log).where(tables.audit_log.c.seq == last))
    with pytest.raises(AuditChainError, match="removed from the end"):
        site.rt.audit.verify(site.rt.db)


def test_the_downloaded_log_verifies_offline(site, tmp_path) -> None:
    _exam(site)
    body = site.client.get("/api/v1/public/audit/log").text
    rows = [json.loads(line) for line in body.splitlines()]
    assert verify_rows(rows).seq == len(rows)
    assert "SITE-UJI" in rows[0]["data_json"]
    rows[0]["data_json"] = rows[0]["data_json"].replace("SITE-UJI", "SITE-LAIN")
    with pytest.raises(AuditChainError, match="entry 1 was altered"):
        verify_rows(rows)


def _heads(site) -> list[dict[str, object]]:
    r = site.client.get("/api/v1/public/audit/heads")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    return r.json()


def _log(site) -> list[dict[str, object]]:
    body = site.client.get("/api/v1/public/audit/log").text
    return [json.loads(line) for line in body.splitlines()]


def test_the_heads_grow_with_sessions_and_each_is_found_in_the_log(site) -> None:
    opened = _heads(site)
    assert [(h["event"], h["session"], h["current"]) for h in opened] == [
        ("session_opened", "S2", True),
        ("session_opened", "S1", False),
        ("site_initialised", None, False),
    ]
    _exam(site)
    admin = site.proctor_headers("admin", ADMIN_PASS)
    assert site.client.post("/api/v1/proctor/sessions/S1/close", headers=admin).status_code == 200
    closed = _heads(site)
    assert [(h["event"], h["session"], h["current"]) for h in closed[:2]] == [
        ("session_closed", "S1", True),
        ("session_opened", "S2", False),
    ]
    site.rt.setup.create_session(
        code="LATIH",
        exam_code="SKD1",
        room_code="R1",
        starts_ms=site.clock.now_ms(),
        practice=True,
        actor="admin:test",
    )
    assert site.client.post("/api/v1/proctor/sessions/LATIH/open", headers=admin).status_code == 200
    heads = _heads(site)  # a practice session is no milestone: the head is listed as current
    assert [(h["event"], h["current"]) for h in heads[:2]] == [
        (None, True),
        ("session_closed", False),
    ]
    assert heads[1:] == [{**h, "current": False} for h in closed]
    assert [h["seq"] for h in heads] == sorted((h["seq"] for h in heads), reverse=True)

    log = _log(site)
    assert verify_rows(log).seq == heads[0]["seq"] == len(log)
    assert log[-1]["event"] == "session_opened"
    assert "LATIH" in log[-1]["data_json"]
    for h in heads:
        entry = log[h["seq"] - 1]
        assert (entry["seq"], entry["hash"], entry["at_ms"]) == (h["seq"], h["hash"], h["at_ms"])
        assert h["short"] == h["hash"][:16]
        assert h["event"] in (None, entry["event"])
        assert h["session"] is None or f'"session":"{h["session"]}"' in entry["data_json"]


def test_a_rewritten_log_verifies_alone_but_loses_the_noted_heads(site) -> None:
    _exam(site)
    noted = _heads(site)  # what an observer wrote down or saved
    log = _log(site)
    log[1]["actor"] = "someone-else"  # rewrite entry 2 and rehash everything after it
    prev = log[0]["hash"]
    for row in log[1:]:
        row["prev_hash"] = prev
        row["hash"] = prev = entry_hash(
            prev, row["seq"], row["at_ms"], row["actor"], row["event"], row["data_json"]
        )
    assert verify_rows(log).seq == len(log)  # the chain on its own looks intact
    lost = [h["seq"] for h in noted if log[h["seq"] - 1]["hash"] != h["hash"]]
    assert lost == [h["seq"] for h in noted if h["seq"] >= 2]
    assert [h["event"] for h in noted if h["seq"] < 2] == ["site_initialised"]


def test_no_decrypted_item_pin_or_passphrase_is_stored(site, tmp_path) -> None:
    """Scan every byte the server wrote after a full exam for secrets and item text."""
    from tests.cbt_server.conftest import BANK_PASS, PINS

    _exam(site)
    bank = next(iter(site.rt.vault._open.values()))
    stems = []
    from question_bank.richtext import plain_text

    for item in list(bank.items.values())[:60]:
        words = plain_text(item.stem).strip()
        if len(words) > 30:
            stems.append(words[:30])
    needles = [s.encode() for s in stems] + [BANK_PASS.encode(), b"111111", b"222222"]
    needles += [p.encode() for p in PINS.values()]
    if site.rt.db.is_sqlite:  # the database file and its WAL are both scanned
        blobs = [(p, p.read_bytes()) for p in site.paths.root.rglob("*") if p.is_file()]
    else:
        with site.rt.db.read() as conn:
            dump = "\n".join(
                str(tuple(r))
                for t in tables.__dict__.values()
                if hasattr(t, "c") and hasattr(t, "name")
                for r in conn.execute(t.select())
            )
        blobs = [(site.paths.root / "postgres-dump", dump.encode())]
        blobs += [(p, p.read_bytes()) for p in site.paths.root.rglob("*") if p.is_file()]
    found = [(str(path), needle) for path, data in blobs for needle in needles if needle in data]
    assert found == []
    assert len(stems) > 20  # the scan looked for real text
