"""After the exam: published results, annulment and re-scoring, exports anyone can re-rank."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from cbt_server.cli import main
from cbt_server.services.exam_setup import CandidateRow
from question_bank.form import form_from_json
from question_bank.model import option_labels
from tests.cbt_server.conftest import ADMIN_PASS, BANK_PASS

#: A name csv.writer must quote: a comma and a double quote.
AWKWARD = 'Santoso, Budi "Bud"'


def _sit_alone(site, *, code: str, privacy: str, number: str) -> None:
    """A session of its own with one candidate named AWKWARD, who sits it; then closed."""
    admin = site.proctor_headers("admin", ADMIN_PASS)
    site.rt.setup.create_session(
        code=code,
        exam_code="SKD1",
        room_code="R1",
        starts_ms=site.clock.now_ms(),
        privacy=privacy,
        actor="admin:test",
    )
    row = CandidateRow(number, AWKWARD, "1990-01-01", "Analis Kebijakan", "general", 0, None, None)
    site.rt.setup.register(
        session_code=code, rows=[row], actor="admin:test", pins={number: "303030"}
    )
    c = site.client
    assert c.post(f"/api/v1/proctor/sessions/{code}/open", headers=admin).status_code == 200
    token = site.login(number, f"PC-{code}", pin="303030", session=code)["token"]
    h = {"Authorization": f"Bearer {token}"}
    assert c.post("/api/v1/candidate/start", headers=h).status_code == 200
    changes = [{"number": 1, "choice": "A", "seq": 1}]
    assert c.post("/api/v1/candidate/answers", headers=h, json={"changes": changes}).is_success
    assert c.post("/api/v1/candidate/submit", headers=h).status_code == 200
    assert c.post(f"/api/v1/proctor/sessions/{code}/close", headers=admin).status_code == 200


def test_public_results_csv_masks_names_holding_commas_and_quotes(site) -> None:
    shown = {"full": AWKWARD, "masked": 'S******* B*** "****', "number": None}
    for n, privacy in enumerate(shown):
        code, number = f"P{n}", f"202630{n}"
        _sit_alone(site, code=code, privacy=privacy, number=number)
        published = site.client.get(f"/api/v1/public/sessions/{code}/results").json()
        (result,) = published["results"]
        assert result["name"] == shown[privacy], privacy

        r = site.client.get(f"/api/v1/public/sessions/{code}/results.csv")
        assert r.status_code == 200, r.text
        header, *rows = list(csv.reader(io.StringIO(r.text)))
        assert [len(row) for row in rows] == [len(header)], (privacy, r.text)
        (row,) = (dict(zip(header, row, strict=True)) for row in rows)
        assert row["participant_number"] == number
        assert row["name"] == (shown[privacy] or ""), privacy
        assert (row["formation"], row["track"]) == ("Analis Kebijakan", "general")
        assert row["total"] == str(result["total"])
        if privacy != "full":
            for word in ("Santoso", "Budi", "Bud"):
                assert word not in r.text, (privacy, r.text)


def _by_key(site, number: str, outcome: dict[str, str], default: str) -> list[dict[str, object]]:
    """Answer changes for ``number``'s form: each item ``right``, ``wrong`` or ``blank``
    (``outcome`` by item id, else ``default``), in the candidate's own option labels."""
    info = site.rt.proctors.session("S1")
    (attempt,) = (a for a in site.rt.results.attempts(info) if a.number == number)
    form = form_from_json(attempt.form_json.encode())
    keys = {k.item_id: k.points for k in site.rt.exams.get(info.exam_id).keys}
    changes: list[dict[str, object]] = []
    for n, item in enumerate(form.items, start=1):
        want = outcome.get(item.item_id, default)
        if want == "blank":
            continue
        points = keys[item.item_id]
        pick = (max if want == "right" else min)(points, key=lambda label: points[label])
        shown = option_labels(len(item.option_order))[item.option_order.index(pick)]
        changes.append({"number": n, "choice": shown, "seq": len(changes) + 1})
    return changes


def _sections_of(site, number: str, section: str) -> list[str]:
    info = site.rt.proctors.session("S1")
    (attempt,) = (a for a in site.rt.results.attempts(info) if a.number == number)
    return [
        i.item_id for i in form_from_json(attempt.form_json.encode()).items if i.section == section
    ]


def test_annulling_after_the_exam_rescores_and_the_exports_rank_alike(
    site, database_url, tmp_path, monkeypatch, capsys
) -> None:
    c, admin = site.client, site.proctor_headers("admin", ADMIN_PASS)
    seats = {n: site.start(n, f"PC-{n[-2:]}") for n in ("2026001", "2026002", "2026003")}
    twk_1, twk_3 = _sections_of(site, "2026001", "TWK"), _sections_of(site, "2026003", "TWK")
    annulled = next(i for i in twk_1 if i in twk_3)  # on both forms
    # Budi (general): 12 TWK right, the annulled item wrong -> TWK 60 of the 65 needed.
    budi = dict.fromkeys([t for t in twk_1 if t != annulled][:12], "right")
    budi |= {t: "blank" for t in twk_1 if t not in budi} | {annulled: "wrong"}
    answers = {
        "2026001": _by_key(site, "2026001", budi, "right"),  # TIU 175, TKP 225: 460
        "2026002": _by_key(site, "2026002", {}, "right"),  # 550, the annulled item right
        "2026003": _by_key(
            site, "2026003", dict.fromkeys(twk_3, "blank") | {annulled: "wrong"}, "right"
        ),  # TWK 0, TIU 175, TKP 225: 400, passes its track already
    }
    for number, h in seats.items():
        r = c.post("/api/v1/candidate/answers", headers=h, json={"changes": answers[number]})
        assert r.status_code == 200, r.text
        assert c.post("/api/v1/candidate/submit", headers=h).status_code == 200
    assert c.post("/api/v1/proctor/sessions/S1/close", headers=admin).status_code == 200
    before = {
        r["candidate"]: r for r in c.get("/api/v1/public/sessions/S1/results").json()["results"]
    }
    assert {n: (r["total"], r["passed"]) for n, r in before.items()} == {
        "2026001": (460, False),
        "2026002": (550, True),
        "2026003": (400, True),
    }

    # The committee annuls the item with the command line while the server runs.
    data = str(site.paths.root)
    monkeypatch.setenv("CBT_DATABASE_URL", database_url)
    monkeypatch.setenv("CBT_TEST_BANK_PASS", BANK_PASS)
    reason = "Dua pilihan benar menurut UUD 1945 pasal 36"
    code = main(
        ["annul", "--data", data, "--session", "S1", "--item", annulled, "--reason", reason,
         "--bank-passphrase-env", "CBT_TEST_BANK_PASS"]
    )  # fmt: skip
    assert code == 0
    assert capsys.readouterr().out.splitlines() == [
        "  bank skd-contoh-2026 unlocked into memory",
        f"annulled {annulled}; 2 result(s) changed",
        "  2026001: 460 -> 465, tidak lulus -> lulus",
        "  2026003: 400 -> 405",
    ]
    changed = [
        {"candidate": "2026001", "before": 460, "after": 465,
         "passed_before": False, "passed_after": True},
        {"candidate": "2026003", "before": 400, "after": 405,
         "passed_before": True, "passed_after": True},
    ]  # fmt: skip
    entry = site.rt.audit.entries(site.rt.db)[-1]
    assert (entry["actor"], entry["event"]) == ("admin:cli", "rescored")
    assert json.loads(str(entry["data_json"])) == {
        "session": "S1",
        "item": annulled,
        "why": f"annulled {annulled} (award)",
        "changed": changed,
    }
    assert site.rt.audit.verify(site.rt.db).seq == entry["seq"]
    # Annulling it again is refused, by the server too: nothing is re-scored twice.
    r = c.post(
        "/api/v1/admin/sessions/S1/annul", headers=admin, json={"item": annulled, "reason": reason}
    )
    assert (r.status_code, r.json()["error"]["code"]) == (409, "conflict"), r.text

    # The running server publishes the new totals, signed, and the key marks the item.
    after = {
        r["candidate"]: r for r in c.get("/api/v1/public/sessions/S1/results").json()["results"]
    }
    assert {n: (r["total"], r["passed"]) for n, r in after.items()} == {
        "2026001": (465, True),
        "2026002": (550, True),
        "2026003": (405, True),
    }
    verify = c.get(f"/api/v1/public/verify/{after['2026001']['slip']}").json()
    assert verify["signature_valid"] is True
    assert (verify["report"]["total"], verify["report"]["passed"]) == (465, True)
    assert after["2026001"]["slip"] == before["2026001"]["slip"]
    key = c.get("/api/v1/public/sessions/S1/key.json").json()
    assert [k["id"] for k in key["items"] if k.get("annulled")] == [annulled]
    assert next(k for k in key["items"] if k["id"] == annulled)["annulled"] == "award"

    # The exports (no bank needed) rank the same with cbt-score as with cbt-server rank.
    monkeypatch.delenv("CBT_TEST_BANK_PASS")
    exported = tmp_path / "RESULTS.json"
    table = tmp_path / "hasil.csv"
    for fmt, out in (("json", exported), ("csv", table)):
        code = main(["results", "export", "--data", data, "--session", "S1",
                     "--format", fmt, "--out", str(out)])  # fmt: skip
        assert (code, capsys.readouterr().err) == (0, "")
    assert main(["rank", "--data", data, "--session", "S1"]) == 0
    by_server = json.loads(capsys.readouterr().out)
    assert by_server.pop("formation") is None
    assert [(e["position"], e["candidate"]) for e in by_server["ranked"]] == [
        (1, "2026002"),
        (2, "2026001"),
        (3, "2026003"),
    ]
    assert _cbt_score_rank(exported) == by_server

    header, *rows = list(csv.reader(io.StringIO(table.read_text(encoding="utf-8"))))
    from_csv = [dict(zip(header, row, strict=True)) for row in rows]
    assert [(r["participant_number"], r["total"], r["passed"]) for r in from_csv] == [
        ("2026001", "465", "lulus"),
        ("2026002", "550", "lulus"),
        ("2026003", "405", "lulus"),
    ]
    assert [r["name"] for r in from_csv] == ["Budi Santoso", "Siti Aminah", "Made Wirawan"]
    rebuilt = tmp_path / "RESULTS-from-csv.json"
    rebuilt.write_text(
        json.dumps(
            {
                "results": [
                    {
                        "candidate": r["participant_number"],
                        "track": r["track"],
                        "sections": {s: r[s] for s in ("TWK", "TIU", "TKP")},
                    }
                    for r in from_csv
                ]
            }
        ),
        encoding="utf-8",
    )
    assert _cbt_score_rank(rebuilt) == by_server


def _cbt_score_rank(results: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "scoring", "rank", "--policy", "skd-2024", str(results)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    ranking = json.loads(done.stdout)
    assert isinstance(ranking, dict)
    return ranking
