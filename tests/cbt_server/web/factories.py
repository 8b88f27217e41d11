"""Candidates sitting the exam through the real API, for the web tests and screenshots.

``sit(client, site, number, ability=0.8)`` logs a candidate in, starts, answers
(about ``ability`` of the items with their best option, the rest at random) and
submits. The best options come from the bank's key through the runtime, so
scores spread like a real session: some candidates meet the thresholds.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import httpx
from sqlalchemy import select

from cbt_server.db import tables
from question_bank.form import form_from_json
from question_bank.model import option_labels
from tests.live_server import LiveSite


@dataclass
class Station:
    number: str
    headers: dict[str, str]
    workstation: str
    seq: int = 0  # the station's last answer sequence number
    started: bool = False


def sign_in(
    client: httpx.Client, site: LiveSite, number: str, workstation: str, session: str = "S1"
) -> Station:
    r = client.post(
        "/api/v1/candidate/login",
        json={
            "participant_number": number,
            "pin": site.pins[number],
            "session_token": site.token(session),
            "workstation": workstation,
        },
    )
    r.raise_for_status()
    return Station(number, {"Authorization": f"Bearer {r.json()['token']}"}, workstation)


def start(client: httpx.Client, station: Station) -> dict[str, object]:
    r = client.post("/api/v1/candidate/start", headers=station.headers)
    r.raise_for_status()
    station.started = True
    return dict(r.json())


def answer_sheet(
    site: LiveSite,
    number: str,
    *,
    ability: float,
    rng: random.Random,
    share: float = 1.0,
    first_seq: int = 1,
) -> list[dict[str, object]]:
    """Changes in the candidate's own labels: best option with probability ``ability``."""
    att, regs, cands = tables.attempts, tables.registrations, tables.candidates
    with site.rt.db.read() as conn:
        form_json, exam_id = conn.execute(
            select(att.c.form_json, tables.exam_sessions.c.exam_id)
            .join(regs, regs.c.id == att.c.registration_id)
            .join(cands, cands.c.id == regs.c.candidate_id)
            .join(tables.exam_sessions, tables.exam_sessions.c.id == regs.c.session_id)
            .where(cands.c.number == number)
        ).one()
    form = form_from_json(form_json.encode())
    keys = {k.item_id: k for k in site.rt.exams.get(exam_id).keys}
    changes: list[dict[str, object]] = []
    for n, item in enumerate(form.items, start=1):
        if rng.random() > share:
            continue
        shown = option_labels(len(item.option_order))
        key = keys[item.item_id]
        if rng.random() < ability:
            best = max(key.points, key=lambda option: key.points[option])
            original = str(best)
        else:
            original = str(rng.choice(item.option_order))
        choice = shown[item.option_order.index(original)]  # type: ignore[arg-type]
        changes.append({"number": n, "choice": choice, "seq": first_seq + len(changes)})
    return changes


def answer(
    client: httpx.Client,
    site: LiveSite,
    station: Station,
    *,
    ability: float,
    rng: random.Random,
    share: float = 1.0,
) -> int:
    changes = answer_sheet(
        site, station.number, ability=ability, rng=rng, share=share, first_seq=station.seq + 1
    )
    if changes:
        station.seq += len(changes)
        r = client.post(
            "/api/v1/candidate/answers", headers=station.headers, json={"changes": changes}
        )
        r.raise_for_status()
    return len(changes)


def submit(client: httpx.Client, station: Station) -> dict[str, object]:
    r = client.post("/api/v1/candidate/submit", headers=station.headers)
    r.raise_for_status()
    return dict(r.json())


def sit(
    client: httpx.Client,
    site: LiveSite,
    number: str,
    *,
    ability: float = 0.8,
    seed: int = 1,
    workstation: str | None = None,
) -> dict[str, object]:
    """A whole exam: sign in, start, answer everything, submit; returns the result."""
    station = sign_in(client, site, number, workstation or f"PC-{number[-3:]}")
    start(client, station)
    answer(client, site, station, ability=ability, rng=random.Random(seed))
    return submit(client, station)
