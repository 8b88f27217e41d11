"""The audit chain: everything that matters is in it, and any edit is caught."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import delete, update

from cbt_server.db import tables
from cbt_server.errors import AuditChainError
from cbt_server.services.audit import verify_rows


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
