"""After a run: does the server hold exactly what each station was told is saved, scored once,
and does every stored score equal an independent re-score with ``cbt-score``?

* ``server_answers`` reads the saved answers straight from the database and turns the
  author's option labels back into each candidate's own (the recorded form's option
  order), so they compare with what a station holds;
* ``answer_differences`` compares them with each bot's acknowledged answers (choice,
  ragu-ragu mark and sequence number, item by item, both ways);
* ``scoring_problems`` checks that each attempt has one score, one ``attempt_scored``
  audit entry, and the slip its station was given;
* ``rescore_problems`` exports KEY.json and RESPONSES.jsonl with ``cbt-server results
  export`` and scores candidates again with ``python -m scoring score`` (the published
  command-line tool, in its own process), comparing the whole report.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, select

from cbt_client.bot import BotResult
from cbt_server.db import tables
from cbt_server.db.engine import Database
from question_bank.form import form_from_json
from tests.faults.server_process import BANK_ENV, ROOT
from tests.live_server import BANK_PASS

#: (choice in the candidate's labels or None, ragu-ragu, seq) per item number.
Sheet = dict[int, tuple[str | None, bool, int]]
LABELS = "ABCDEFGHIJ"


@contextmanager
def reading(database_url: str) -> Iterator[Connection]:
    """A read connection to a site's database, from outside its server process."""
    db = Database(database_url)
    try:
        with db.read() as conn:
            yield conn
    finally:
        db.dispose()


def acked_sheet(result: BotResult) -> Sheet:
    return {n: (a.choice, a.doubtful, a.seq) for n, a in result.acked.items()}


def sheet_to_json(sheet: Sheet) -> dict[str, list[object]]:
    return {str(n): [c, d, s] for n, (c, d, s) in sheet.items()}


def sheet_from_json(data: Mapping[str, list[object]]) -> Sheet:
    return {int(n): (v[0], bool(v[1]), int(str(v[2]))) for n, v in data.items()}  # type: ignore[misc]


def server_answers(database_url: str, session: str = "S1") -> dict[str, Sheet]:
    """Per candidate number: the answers the server holds, in the candidate's labels."""
    att, sessions, cands, resp = (
        tables.attempts,
        tables.exam_sessions,
        tables.candidates,
        tables.responses,
    )
    with reading(database_url) as conn:
        attempts = conn.execute(
            select(att.c.id, att.c.form_json, cands.c.number)
            .select_from(tables.attempt_people)
            .where(sessions.c.code == session)
        ).all()
        rows = conn.execute(
            select(resp.c.attempt_id, resp.c.number, resp.c.choice, resp.c.doubtful, resp.c.seq)
        ).all()
    forms = {a.id: form_from_json(a.form_json.encode()) for a in attempts}
    numbers = {a.id: a.number for a in attempts}
    out: dict[str, Sheet] = {a.number: {} for a in attempts}
    for r in rows:
        if r.attempt_id not in forms:
            continue
        shown = None
        if r.choice is not None:
            order = forms[r.attempt_id].items[r.number - 1].option_order
            shown = LABELS[order.index(r.choice)]
        out[numbers[r.attempt_id]][r.number] = (shown, bool(r.doubtful), int(r.seq))
    return out


def answer_differences(acked: Mapping[str, Sheet], server: Mapping[str, Sheet]) -> list[str]:
    """Every way the server's answers differ from what each station had acknowledged."""
    problems = []
    for number, sheet in sorted(acked.items()):
        held = server.get(number)
        if held is None:
            problems.append(f"{number}: the server has no attempt")
            continue
        for item in sorted(set(sheet) | set(held)):
            if sheet.get(item) != held.get(item):
                problems.append(
                    f"{number} item {item}: acknowledged {sheet.get(item)}, "
                    f"server holds {held.get(item)}"
                )
    return problems


def scoring_problems(
    database_url: str, slips: Mapping[str, str | None], session: str = "S1"
) -> list[str]:
    """Each candidate scored exactly once, and the stored slip is the one the station got."""
    att, sessions, cands, scores, log = (
        tables.attempts,
        tables.exam_sessions,
        tables.candidates,
        tables.scores,
        tables.audit_log,
    )
    with reading(database_url) as conn:
        stored = conn.execute(
            select(cands.c.number, att.c.id, att.c.state, scores.c.slip_code)
            .select_from(tables.attempt_people.outerjoin(scores, scores.c.attempt_id == att.c.id))
            .where(sessions.c.code == session)
        ).all()
        events = conn.execute(
            select(log.c.data_json).where(log.c.event == "attempt_scored")
        ).scalars()
        scored = Counter(int(json.loads(e)["attempt"]) for e in events)
    problems = []
    for number, count in Counter(r.number for r in stored).items():
        if count > 1:
            problems.append(f"{number}: {count} score rows")
    by_number = {r.number: r for r in stored}
    for number, slip in sorted(slips.items()):
        row = by_number.get(number)
        if row is None:
            problems.append(f"{number}: no attempt on the server")
            continue
        if row.state != "submitted" or row.slip_code is None:
            problems.append(f"{number}: not scored (state {row.state})")
        elif slip is not None and row.slip_code != slip:
            problems.append(
                f"{number}: the station got slip {slip}, the server stored {row.slip_code}"
            )
        if scored[row.id] != 1:
            problems.append(f"{number}: {scored[row.id]} attempt_scored audit entries")
    return problems


def _cli(args: list[str], env: Mapping[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=ROOT,
        check=False,
        timeout=300,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:3])} failed: {done.stderr.strip()[-2000:]}")
    return done.stdout


def close_and_export(
    data_dir: Path, database_url: str | None, out: Path, session: str = "S1"
) -> dict[str, Path]:
    """Close the session and export KEY.json, RESPONSES.jsonl and RESULTS.json (server stopped)."""
    env = {BANK_ENV: BANK_PASS}
    if database_url:
        env["CBT_DATABASE_URL"] = database_url
    out.mkdir(parents=True, exist_ok=True)
    _cli(["cbt_server", "session", "close", session, "--data", str(data_dir)], env)
    files = {"key": out / "KEY.json", "responses": out / "RESPONSES.jsonl"}
    for fmt, path in files.items():
        _cli(
            [
                "cbt_server",
                "results",
                "export",
                "--data",
                str(data_dir),
                "--session",
                session,
                "--format",
                fmt,
                "--out",
                str(path),
                "--bank-passphrase-env",
                BANK_ENV,
            ],
            env,
        )
    return files


def stored_reports(database_url: str, session: str = "S1") -> dict[str, dict[str, object]]:
    """Per candidate number: the committed score report (what slips and displays show)."""
    att, sessions, cands, scores = (
        tables.attempts,
        tables.exam_sessions,
        tables.candidates,
        tables.scores,
    )
    with reading(database_url) as conn:
        rows = conn.execute(
            select(cands.c.number, scores.c.report_json)
            .select_from(tables.attempt_people.join(scores, scores.c.attempt_id == att.c.id))
            .where(sessions.c.code == session)
        ).all()
    return {r.number: json.loads(r.report_json) for r in rows}


def rescore_problems(
    files: Mapping[str, Path],
    stored: Mapping[str, dict[str, object]],
    work: Path,
    *,
    limit: int,
    policy: str = "skd-2024",
) -> tuple[int, list[str]]:
    """Re-score up to ``limit`` candidates with ``python -m scoring score``; (checked, problems).

    Each candidate's form is drawn from a larger bank, so the KEY.json handed to the
    tool is the published key cut to the items the candidate was presented (the
    ``presented`` list of their RESPONSES.jsonl line), as a re-checker would do.
    """
    keys = json.loads(files["key"].read_text(encoding="utf-8"))["items"]
    lines = [
        json.loads(line)
        for line in files["responses"].read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    step = max(1, len(lines) // max(1, limit))
    chosen = lines[::step][:limit]
    work.mkdir(parents=True, exist_ok=True)

    def one(line: dict[str, object]) -> str | None:
        number = str(line["candidate"])
        presented = set(line["presented"])  # type: ignore[call-overload]
        key_path, resp_path = work / f"KEY-{number}.json", work / f"RESP-{number}.json"
        key_path.write_text(json.dumps({"items": [k for k in keys if k["id"] in presented]}))
        resp_path.write_text(json.dumps({"responses": line["responses"]}))
        report = json.loads(
            _cli(
                [
                    "scoring",
                    "score",
                    "--policy",
                    policy,
                    "--track",
                    str(line["track"]),
                    "--key",
                    str(key_path),
                    "--responses",
                    str(resp_path),
                ],
                {},
            )
        )
        mine = stored.get(number)
        if mine is None:
            return f"{number}: exported but no stored score"
        if report != mine:
            return (
                f"{number}: stored total {mine.get('total')} passed {mine.get('passed')}, "
                f"cbt-score says {report.get('total')} passed {report.get('passed')}"
            )
        return None

    with ThreadPoolExecutor(max_workers=2) as pool:  # two cores: two scorer processes
        found = [p for p in pool.map(one, chosen) if p is not None]
    missing = sorted(set(stored) - {str(line["candidate"]) for line in lines})
    found += [f"{n}: scored but not in RESPONSES.jsonl" for n in missing]
    return len(chosen), found


def summarise(problems: Iterable[str], limit: int = 10) -> str:
    listed = list(problems)
    head = "; ".join(listed[:limit])
    return head + (f"; ... ({len(listed)} in all)" if len(listed) > limit else "")
