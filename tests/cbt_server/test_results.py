"""After the exam: published results, annulment and re-scoring, exports anyone can re-rank."""

from __future__ import annotations

import csv
import io

from cbt_server.services.exam_setup import CandidateRow
from tests.cbt_server.conftest import ADMIN_PASS

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
