"""Screenshots of every station screen against a throwaway site on loopback.

    QT_QPA_PLATFORM=offscreen python -m tests.cbt_client.screenshot_site --out docs/screenshots

Builds a site like ``tests.live_server`` (HTTPS with its own CA), adds a
candidate with a portrait, and lets ``cbt_client.ui.screenshots`` drive a
station through every screen — including the proctor's lock, the server going
away and time running out offline, which this script can cause.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

import httpx

from cbt_client.config import StationConfig
from cbt_client.ui.qt import QApplication, QBuffer, QColor, QImage, QPainter, QPainterPath, Qt
from cbt_client.ui.screenshots import Credentials, capture
from cbt_server.services.exam_setup import CandidateRow
from tests.live_server import PROCTOR, LiveSite, build, free_port, serve

NUMBER, PIN = "20269001", "482913"


def portrait() -> bytes:
    """An illustrated head-and-shoulders portrait (no real person)."""
    image = QImage(360, 480, QImage.Format.Format_RGB32)
    image.fill(QColor("#C9D6E3"))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#B71C1C"))
    p.drawRect(0, 0, 360, 480)  # the red background of an Indonesian ID photo
    body = QPainterPath()
    body.addRoundedRect(40, 330, 280, 240, 110, 110)
    p.setBrush(QColor("#FFFFFF"))
    p.drawPath(body)
    collar = QPainterPath()
    collar.moveTo(150, 330)
    collar.lineTo(180, 400)
    collar.lineTo(210, 330)
    p.setBrush(QColor("#1F3A5F"))
    p.drawPath(collar)
    p.setBrush(QColor("#C68E6A"))
    p.drawRect(155, 280, 50, 60)
    p.drawEllipse(110, 130, 140, 170)
    p.setBrush(QColor("#1B1B1B"))
    hair = QPainterPath()
    hair.addEllipse(104, 112, 152, 92)
    p.drawPath(hair)
    p.end()
    buffer = QBuffer()
    buffer.open(QBuffer.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


class Site:
    def __init__(self, root: Path) -> None:
        self.rt, self.pins = build(root, count=6)
        self.rt.setup.register(
            session_code="S1",
            rows=[
                CandidateRow(
                    NUMBER,
                    "Siti Rahmawati",
                    "1998-04-12",
                    "Analis Kebijakan Ahli Pertama",
                    "general",
                    0,
                    portrait(),
                    "image/png",
                )
            ],
            actor="admin:test",
            pins={NUMBER: PIN},
        )
        self.port = free_port()
        self.stack = ExitStack()
        self.site: LiveSite = self.stack.enter_context(
            serve(self.rt, self.pins, tls=True, port=self.port)
        )

    def stop_server(self) -> None:
        self.stack.close()

    def start_server(self) -> None:
        self.stack = ExitStack()
        self.site = self.stack.enter_context(serve(self.rt, self.pins, tls=True, port=self.port))

    def lock_seat(self, number: str) -> str:
        with httpx.Client(base_url=self.site.base_url, verify=self.site.verify(), timeout=10) as c:
            token = c.post(
                "/api/v1/proctor/login", json={"username": PROCTOR[0], "password": PROCTOR[1]}
            ).json()["token"]
            c.headers["Authorization"] = f"Bearer {token}"
            c.post(
                f"/api/v1/proctor/sessions/S1/seats/{number}/lock",
                json={"reason": "diminta pengawas"},
            ).raise_for_status()
            reply = c.post(f"/api/v1/proctor/sessions/S1/seats/{number}/unlock-code")
            reply.raise_for_status()
            return str(reply.json()["code"])

    def close(self) -> None:
        self.stack.close()
        self.rt.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.cbt_client.screenshot_site")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        site = Site(Path(tmp))
        try:
            ca = site.site.ca_path
            if ca is None:
                raise RuntimeError("the site has no CA")
            config = StationConfig.create(
                server_url=site.site.base_url,
                station_id="PC-07",
                ca_pem=ca.read_text(),
                ca_fingerprint=site.site.ca_fingerprint,
                data_dir=Path(tmp) / "station",
            )
            who = Credentials(NUMBER, PIN, site.site.token())
            for path in capture(app, config, who, args.out, hooks=site):
                print(path)
        finally:
            site.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
