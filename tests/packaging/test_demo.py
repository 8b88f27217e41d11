"""``make demo`` headless, as CI runs it: the whole site, one headless candidate, the reports.

`packaging/demo.py` runs as a subprocess with the smallest settings, no display
and `--exit-when-done`; it must finish by itself, name the live display, enrol
a station the free participant can use, and leave real PDF reports.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from cbt_client.config import StationConfig, certificate_fingerprint

ROOT = Path(__file__).parents[2]
DEMO = ROOT / "packaging" / "demo.py"
REPORTS = ("slip", "feedback", "minutes", "ranking", "items")


@pytest.mark.slow
def test_the_demo_runs_headless_to_the_end_and_writes_the_reports(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY") and not k.startswith("CBT_")
    }
    data = tmp_path / "demo"
    done = subprocess.run(
        [
            sys.executable,
            str(DEMO),
            "--candidates",
            "1",
            "--minutes",
            "0.1",
            "--exit-when-done",
            "--data",
            str(data),
            "--port",
            "0",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    out = done.stdout
    assert done.returncode == 0, f"{out[-3000:]}\n{done.stderr[-3000:]}"

    live = re.search(r"live display\s*: (https://127\.0\.0\.1:(\d+))/live/S1$", out, re.M)
    assert live is not None, out
    base, port = live.groups()
    assert int(port) > 0

    # The station the free participant would use: enrolled against this server's CA.
    station = re.search(r"exam station\s*: \S+ run --config (\S+)$", out, re.M)
    assert station is not None, out
    config = StationConfig.load(Path(station.group(1)))
    assert config.server_url == base
    ca = (data / "site" / "tls" / "ca.crt").read_text(encoding="ascii")
    assert config.ca_fingerprint == certificate_fingerprint(ca)
    assert not config.expect_kiosk
    assert config.exit_code_hash is not None
    assert "no station window" in out

    written = [Path(p) for p in re.findall(r"^\s+(/\S+\.pdf)$", out, re.M)]
    assert sorted(p.name for p in written) == sorted(f"{kind}-S1.pdf" for kind in REPORTS)
    for pdf in written:
        assert pdf.read_bytes().startswith(b"%PDF"), pdf
        assert len(PdfReader(pdf).pages) >= 1, pdf
