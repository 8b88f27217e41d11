"""Bahasa Indonesia by default; English from the shipped Qt translation, complete and current."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cbt_client.session import Phase
from cbt_client.ui.i18n import FOLDER
from cbt_client.ui.qt import Qt
from cbt_client.ui.window import StationWindow
from tests.cbt_client.fakes import FakeServer
from tests.cbt_client.test_screens import at, login, to_exam, visible_text

TS = FOLDER / "cbt_client_en.ts"
QM = FOLDER / "cbt_client_en.qm"
TOOLS = Path(sys.executable).parent


def _messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    out = {}
    for context in ET.parse(path).getroot().iter("context"):  # noqa: S314 - our own file
        name = context.findtext("name", "")
        for message in context.iter("message"):
            out[(name, message.findtext("source", ""))] = message
    return out


def test_every_shipped_string_has_a_finished_english_translation() -> None:
    messages = _messages(TS)
    assert len(messages) > 150
    for key, message in messages.items():
        translation = message.find("translation")
        assert translation is not None, key
        assert translation.text, key
        assert translation.get("type") is None, f"unfinished: {key}"
        assert translation.text.count("%") == key[1].count("%"), f"placeholders differ: {key}"


@pytest.mark.skipif(not (TOOLS / "pyside6-lupdate").exists(), reason="Qt's tools are not here")
def test_the_ts_holds_every_string_of_the_code_and_the_qm_is_current(tmp_path: Path) -> None:
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    ui = Path(__file__).parents[2] / "cbt_client" / "ui"
    subprocess.run(
        [
            str(TOOLS / "pyside6-lupdate"),
            "-extensions",
            "py",
            str(ui),
            "-ts",
            str(copy),
            "-no-obsolete",
            "-locations",
            "none",
            "-silent",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    assert set(_messages(copy)) == set(_messages(TS)), "run pyside6-lupdate and translate"
    compiled = tmp_path / QM.name
    subprocess.run(
        [str(TOOLS / "pyside6-lrelease"), str(TS), "-qm", str(compiled), "-silent"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    assert compiled.read_bytes() == QM.read_bytes(), "run pyside6-lrelease on the .ts"


def test_the_station_switches_to_english_and_back(
    qtbot, station: StationWindow, fake: FakeServer
) -> None:
    at(qtbot, station, Phase.LOGIN)
    assert station.login_page.submit.text() == "Masuk"
    qtbot.mouseClick(station.login_page.language_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: station.login_page.submit.text() == "Sign in", timeout=5000)
    assert "Sign In to the Exam" in visible_text(station.login_page)
    assert station.login_page.language_button.text() == "Bahasa Indonesia"
    login(qtbot, station, fake, pin="000000")
    qtbot.waitUntil(station.login_page.notice.isVisible, timeout=5000)
    assert "Attempts left: 2" in station.login_page.notice.text()
    station.set_language("id")
    assert station.login_page.submit.text() == "Masuk"


def test_the_result_reasons_follow_the_language(
    qtbot, station: StationWindow, fake: FakeServer
) -> None:
    to_exam(qtbot, station, fake)
    station.set_language("en")
    assert station.exam_page.next.text() == "Next  ›"
    station.session.request_finish()
    at(qtbot, station, Phase.FINISH)
    station.finish_page.confirm.setChecked(True)
    station.finish_page.submit.click()
    at(qtbot, station, Phase.RESULT)
    assert "TWK is below the threshold of 65" in station.result_page.reasons.text()
    assert "DOES NOT MEET" in station.result_page.outcome_text.text()
    station.set_language("id")
    assert "TWK di bawah ambang batas 65" in station.result_page.reasons.text()
