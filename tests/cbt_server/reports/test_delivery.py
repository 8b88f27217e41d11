"""Reports reach people two ways: the proctor console's download and ``cbt-server report``."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from cbt_server.api.app import create_app
from cbt_server.cli import main
from tests.cbt_server.reports.conftest import squeezed, text_of
from tests.cbt_server.reports.scenario import HOSTILE_NAME
from tests.live_server import BANK_PASS, PROCTOR

BASE = "/api/v1/proctor/sessions/S1/reports"


@pytest.fixture(scope="module")
def console(rendered):
    rt = rendered.scripted.rt
    rt.setup.create_user(
        username="pengawas9",
        full_name="Pengawas Lain",
        role="proctor",
        password=PROCTOR[1],
        actor="admin:test",
    )  # assigned to no session
    with TestClient(create_app(rt, background=False)) as client:
        yield client


def _headers(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/proctor/login", json={"username": username, "password": PROCTOR[1]})
    assert r.status_code == 200, r.text
    client.cookies.clear()  # the bearer token alone says who asks
    return {"Authorization": f"Bearer {r.json()['token']}"}


def test_the_proctor_downloads_a_slip(console, rendered) -> None:
    rt = rendered.scripted.rt
    slip = next(
        a.slip for a in rt.results.attempts(rt.proctors.session("S1")) if a.number == "20260099"
    )
    r = console.get(
        f"{BASE}/slip.pdf", params={"candidate": "20260099"}, headers=_headers(console, PROCTOR[0])
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == 'attachment; filename="slip-S1-20260099.pdf"'
    assert r.headers["cache-control"] == "no-store"
    [page] = text_of(r.content)
    assert f"http://testserver/verify/{slip}" in page  # where the console reached the server
    assert squeezed(HOSTILE_NAME) in squeezed(page)


def test_every_kind_downloads(console) -> None:
    headers = _headers(console, PROCTOR[0])
    for kind, title in (
        ("feedback", "LAPORAN UMPAN BALIK"),
        ("minutes", "BERITA ACARA"),
        ("items", "ANALISIS BUTIR"),
    ):
        r = console.get(f"{BASE}/{kind}.pdf", headers=headers)
        assert r.status_code == 200, (kind, r.text)
        assert title in text_of(r.content)[0]
    r = console.get(
        f"{BASE}/ranking.pdf",
        params={"formation": "Analis Kebijakan", "vacancies": 1},
        headers=headers,
    )
    assert r.status_code == 200
    assert "GARIS KUOTA (3)" in " ".join(text_of(r.content))


def test_downloads_are_refused_as_other_proctor_reads_are(console) -> None:
    assert console.get(f"{BASE}/minutes.pdf").status_code == 401
    other = _headers(console, "pengawas9")
    r = console.get(f"{BASE}/minutes.pdf", headers=other)
    assert (r.status_code, r.json()["error"]["code"]) == (404, "not_found")  # not their session
    mine = _headers(console, PROCTOR[0])
    assert console.get(f"{BASE}/answers.pdf", headers=mine).status_code == 422
    assert console.get(f"{BASE}/ranking.pdf?vacancies=0", headers=mine).status_code == 422
    r = console.get(f"{BASE}/slip.pdf?candidate=20260005", headers=mine)
    assert (r.status_code, r.json()["error"]["code"]) == (404, "not_found")  # absent: no slip


def test_the_command_writes_a_report(rendered, tmp_path, monkeypatch, capsys) -> None:
    data = rendered.scripted.rt.paths.root
    monkeypatch.setenv("CBT_TEST_BANK_PASS", BANK_PASS)
    monkeypatch.delenv("CBT_DATABASE_URL", raising=False)
    out = tmp_path / "peringkat.pdf"
    code = main(
        [
            "report", "ranking", "--data", str(data), "--session", "S1",
            "--formation", "Analis Kebijakan", "--vacancies", "1",
            "--bank-passphrase-env", "CBT_TEST_BANK_PASS", "--out", str(out),
        ]
    )  # fmt: skip
    assert code == 0
    assert f"wrote {out}" in capsys.readouterr().out
    text = " ".join(text_of(out.read_bytes()))
    assert "Formasi Position Analis Kebijakan" in text
    assert "GARIS KUOTA (3)" in text

    out = tmp_path / "slip.pdf"
    code = main(
        [
            "report", "slip", "--data", str(data), "--session", "S1", "--candidate", "20260002",
            "--public-url", "https://hasil.example.id/", "--out", str(out),
        ]
    )  # fmt: skip
    assert code == 0
    assert "https://hasil.example.id/verify/" in text_of(out.read_bytes())[0]


def test_the_command_fails_with_one_clear_line(rendered, tmp_path, capsys) -> None:
    data = str(rendered.scripted.rt.paths.root)
    out = tmp_path / "x.pdf"
    assert main(["report", "slip", "--data", data, "--session", "S9", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err == "cbt-server: no session S9\n"
    code = main(
        ["report", "slip", "--data", data, "--session", "S1", "--candidate", "20260005",
         "--out", str(out)]
    )  # fmt: skip
    assert code == 1
    assert capsys.readouterr().err.count("\n") == 1
    assert not out.exists()
    # The item analysis needs the exam's keys: with the bank locked, it says so.
    code = main(["report", "items", "--data", data, "--session", "S1", "--out", str(out)])
    assert code == 1
    assert "not unlocked" in capsys.readouterr().err
