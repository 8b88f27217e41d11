"""Announcing the server on the LAN is optional: any failure is one warning, never a stop.

The announcement itself, heard on the loopback interface by a station, is tested
with the enrolment (tests/cbt_client/test_enroll.py).
"""

from __future__ import annotations

import logging
import sys

import pytest

from cbt_server.cli import build_parser
from cbt_server.services.discovery import announce

FINGERPRINT = "3f9a" * 16


def test_without_zeroconf_the_server_serves_on_and_says_why(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(sys.modules, "zeroconf", None)  # `import zeroconf` fails
    with caplog.at_level(logging.WARNING, logger="cbt_server.discovery"):
        assert announce(site_code="JKT-01", port=8443, ca_fingerprint=FINGERPRINT) is None
    assert "the zeroconf package is not installed" in caplog.text


def test_an_address_this_machine_does_not_have_is_not_announced(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="cbt_server.discovery"):
        announcement = announce(
            site_code="JKT-01",
            port=8443,
            ca_fingerprint=FINGERPRINT,
            host="198.51.100.7",  # TEST-NET-2: nobody's address, surely not ours
        )
    assert announcement is None
    assert "198.51.100.7 is not an address of this machine" in caplog.text


def test_run_announces_unless_told_not_to() -> None:
    parser = build_parser()
    assert parser.parse_args(["run", "--data", "d"]).no_announce is False
    assert parser.parse_args(["run", "--data", "d", "--no-announce"]).no_announce is True
