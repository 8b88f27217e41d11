"""The headless candidate sits real forms on a real server, alone and many at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cbt_client.bot import BotLogin, Pace, run_bot, run_bots
from cbt_client.cli import main
from cbt_client.session import SyncPolicy
from tests.cbt_client.conftest import config_for
from tests.live_server import LiveSite, live_site, proctor_client

#: The 100 minutes in about 2 seconds.
QUICK = Pace(speed=6000 / 2, use_of_time=1.0, seed=7)
BEAT = SyncPolicy(heartbeat_s=0.5, probe_s=0.5, retry_min_s=0.1, retry_max_s=0.5)


def test_a_bot_sits_a_real_form_and_gets_the_servers_result(site: LiveSite, tmp_path: Path) -> None:
    config = config_for(site, tmp_path)
    result = run_bot(
        config, "20260001", site.pins["20260001"], site.token(), "BOT-01", QUICK, policy=BEAT
    )
    assert result.ok, result.error
    assert result.finished_by == "bot"
    assert 100 <= sum(1 for a in result.acked.values() if a.answered) <= 110
    assert result.changes > 0
    assert result.doubtful_marks > 0
    assert result.result is not None
    assert result.result.slip
    with proctor_client(site) as proctor:
        seat = next(
            s
            for s in proctor.get("/api/v1/proctor/sessions/S1/seats").json()
            if s["number"] == "20260001"
        )
    assert seat["state"] == "submitted"
    assert seat["slip"] == result.result.slip
    assert seat["answered"] == sum(1 for a in result.acked.values() if a.answered)
    assert str(seat["total"]) == result.result.total


@pytest.mark.slow
def test_many_bots_run_at_once_in_one_process(tmp_path: Path) -> None:
    with live_site(tmp_path, tls=True, count=8) as site:
        config = config_for(site, tmp_path / "bots")
        logins = [
            BotLogin(n, pin, site.token(), f"BOT-{i:02d}")
            for i, (n, pin) in enumerate(sorted(site.pins.items()))
        ]
        results = run_bots(config, logins, QUICK, policy=BEAT, max_connections=16)
    assert all(r.ok for r in results), [str(r.error) for r in results if not r.ok]
    assert len({r.result.slip for r in results if r.result}) == 8
    assert len({tuple(sorted((n, a.choice) for n, a in r.acked.items())) for r in results}) > 1


def test_the_bot_command_line(site: LiveSite, tmp_path: Path, capsys) -> None:
    config = config_for(site, tmp_path / "data")
    path = tmp_path / "station.toml"
    config.save(path)
    pins = tmp_path / "pins.csv"
    pins.write_text(
        "participant_number,pin\n"
        + "".join(f"{n},{site.pins[n]}\n" for n in ("20260004", "20260005"))
    )
    code = main(
        [
            "bot",
            "--config",
            str(path),
            "--pins-csv",
            str(pins),
            "--token",
            site.token(),
            "--speed",
            "6000",
            "--use-of-time",
            "1",
            "--seed",
            "3",
            "--stagger",
            "0",
        ]
    )
    assert code == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["number"] for r in rows] == ["20260004", "20260005"]
    assert all(r["ok"] and r["slip"] and r["answered"] >= 100 for r in rows)
    code = main(
        [
            "bot",
            "--config",
            str(path),
            "--number",
            "20260006",
            "--pin-env",
            "BOTPIN",
            "--token",
            site.token(),
            "--speed",
            "6000",
            "--use-of-time",
            "1",
        ],
        environ={"BOTPIN": site.pins["20260006"]},
    )
    assert code == 0
    assert json.loads(capsys.readouterr().out)["finished_by"] == "bot"


def test_config_commands(site: LiveSite, tmp_path: Path, capsys) -> None:
    assert site.ca_path is not None
    out = tmp_path / "station.toml"
    code = main(
        [
            "config",
            "init",
            "--server",
            site.base_url,
            "--ca",
            str(site.ca_path),
            "--ca-fingerprint",
            str(site.ca_fingerprint).upper(),
            "--station",
            "PC-09",
            "--out",
            str(out),
            "--exit-code-env",
            "EXITCODE",
            "--no-kiosk",
        ],
        environ={"EXITCODE": "314159"},
    )
    assert code == 0
    assert out.exists()
    assert site.ca_fingerprint in capsys.readouterr().out
    assert main(["config", "show", "--config", str(out)]) == 0
    assert "PC-09" in capsys.readouterr().out
    bad = main(
        [
            "config",
            "init",
            "--server",
            site.base_url,
            "--ca",
            str(site.ca_path),
            "--ca-fingerprint",
            "ab" * 32,
            "--station",
            "PC-09",
            "--out",
            str(out),
        ]
    )
    assert bad == 2
    assert "fingerprint" in capsys.readouterr().err
