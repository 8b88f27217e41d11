"""``make bench-load`` in miniature: the same harness, twenty stations, every check.

The timing targets belong to the benchmark (docs/benchmarks.md); this keeps the
harness itself honest on every run: the bots (the real client core) sit a whole
form over HTTPS against ``cbt-server run``, submit in the same second while live
displays watch, and afterwards the server holds exactly what each station was told
is saved, and every stored score equals a re-score by ``python -m scoring score``
from the export. Then every byte the server wrote — its database, its log, its
temp files — is scanned for the bank passphrase, the PINs and the item texts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.load_bench import LoadPlan, run_load, verdicts
from question_bank.richtext import plain_text
from question_bank.source import read_source
from tests.live_server import BANK_PASS, SAMPLE, candidates

pytestmark = pytest.mark.slow


def test_twenty_stations_sit_submit_and_reconcile(tmp_path: Path) -> None:
    plan = LoadPlan(
        candidates=20,
        login_window_s=4.0,
        speed=400.0,
        processes=1,
        connections=20,
        displays=3,
        ceiling_candidates=0,
    )
    figures = run_load(plan, tmp_path, log=lambda *_: None)
    checks = figures["checks"]
    assert checks["bots_ok"] == 20
    assert checks["answers_acknowledged"] >= 20 * 100  # whole forms
    assert checks["answer_differences_sample"] == []
    assert checks["scoring_problems_sample"] == []
    assert checks["rescored"] == 20
    assert checks["rescore_problems_sample"] == []
    end = figures["end_burst"]
    assert end["submitted"] == 20
    assert end["finished_by"] == {"bot": 20}
    live = end["live_displays"]
    assert live["complete"] == live["displays"] == 3
    steady = figures["steady"]
    assert steady["http_errors"] == {}
    assert steady["bot_errors"] == []
    # The report the benchmark prints is built from these figures without error.
    assert {row[0] for row in verdicts(figures)} >= {"steady: saves", "end burst: live displays"}
    _assert_no_secrets_written(tmp_path, Path(figures["site"]["data_dir"]), candidates(20)[1])


def _assert_no_secrets_written(root: Path, data_dir: Path, pins: dict[str, str]) -> None:
    stems = [plain_text(item.stem).strip()[:30] for item in read_source(SAMPLE).items]
    needles = [s.encode() for s in stems if len(s) == 30] + [BANK_PASS.encode()]
    needles += [pin.encode() for pin in pins.values()]
    written = [root / "server.log", *data_dir.rglob("*"), *(root / "server-tmp").rglob("*")]
    files = [p for p in written if p.is_file()]
    found = [(p.name, n) for p in files for n in needles if n in p.read_bytes()]
    assert found == []
    assert len(needles) > 200
    assert (root / "server.log").stat().st_size > 0
