"""`cbt-client enroll`: the site CA fetched, vouched for by its fingerprint, proven, then pinned.

Against a real server over HTTPS on loopback, an impostor that hands out the
real CA but cannot present a certificate from it, and mDNS on the loopback
interface for `--discover`.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from cbt_client import errors as e
from cbt_client.cli import main
from cbt_client.config import StationConfig
from cbt_client.discovery import browse
from cbt_client.enrolment import check_server, fetch_ca, grouped
from cbt_client.transport import Transport
from cbt_server.services.discovery import announce
from cbt_server.services.tls import create_ca, issue_server_certificate
from tests.live_server import LiveSite, free_port


def _enroll(site_url: str, out: Path, *extra: str, answers: list[str] | None = None) -> int:
    replies = iter(answers or [])
    return main(
        ["enroll", "--server", site_url, "--station", "PC-07", "--out", str(out), *extra],
        environ={},
        ask=lambda question: next(replies),
    )


def test_the_right_fingerprint_pins_the_ca_and_the_station_can_sign_in(
    site: LiveSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert site.ca_fingerprint is not None
    out = tmp_path / "etc" / "station.toml"
    code = _enroll(
        site.base_url,
        out,
        "--fingerprint",
        ":".join(site.ca_fingerprint[i : i + 2].upper() for i in range(0, 64, 2)),
        "--data-dir",
        str(tmp_path / "journal"),
    )
    printed = capsys.readouterr().out
    assert code == 0
    assert grouped(site.ca_fingerprint)[0] in printed  # shown for reading aloud
    config = StationConfig.load(out)
    assert config.server_url == site.base_url
    assert config.station_id == "PC-07"
    assert config.ca_fingerprint == site.ca_fingerprint
    assert site.ca_path is not None
    assert config.ca_certificate.strip() == site.ca_path.read_text().strip()
    assert config.expect_kiosk  # a real station expects its kiosk unless told otherwise
    transport = Transport(config)
    try:
        login = transport.login(
            number="20260001",
            pin=site.pins["20260001"],
            session_token=site.token(),
            workstation=config.station_id,
        )
        assert login.session.workstation == "PC-07"
    finally:
        transport.close()


def test_a_wrong_fingerprint_is_refused_and_nothing_is_written(
    site: LiveSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "station.toml"
    assert _enroll(site.base_url, out, "--fingerprint", "ab" * 32) == 1
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1
    assert error.startswith("cbt-client: refused: the server's CA fingerprint")
    assert "nothing was written" in error
    assert not out.exists()


def test_a_person_confirms_or_refuses_the_fingerprint(
    site: LiveSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert site.ca_fingerprint is not None
    refused = tmp_path / "refused.toml"
    assert _enroll(site.base_url, refused, answers=["tidak"]) == 1
    assert "not confirmed" in capsys.readouterr().err
    assert not refused.exists()
    mistyped = "0" * 64
    assert _enroll(site.base_url, refused, answers=[mistyped]) == 1
    assert "not the one typed" in capsys.readouterr().err
    assert not refused.exists()

    said_yes = tmp_path / "ya.toml"
    assert _enroll(site.base_url, said_yes, answers=["ya"]) == 0
    assert StationConfig.load(said_yes).ca_fingerprint == site.ca_fingerprint
    pasted = tmp_path / "pasted.toml"
    assert _enroll(site.base_url, pasted, answers=[" ".join(grouped(site.ca_fingerprint))]) == 0
    # An existing config is replaced only when the person says so.
    before = pasted.read_text()
    assert _enroll(site.base_url, pasted, answers=["n"]) == 1
    assert pasted.read_text() == before


def test_yes_without_a_fingerprint_is_refused_before_any_network(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"https://127.0.0.1:{free_port()}"  # nobody listens: the refusal comes first
    assert _enroll(url, tmp_path / "s.toml", "--yes") == 1
    assert "--yes needs --fingerprint" in capsys.readouterr().err


class Impostor:
    """A TLS server on loopback with a certificate from its own CA that hands out
    the real site CA at /api/v1/public/ca.pem (the CA is public; its key is not)."""

    def __init__(self, folder: Path, real_ca_pem: bytes) -> None:
        folder.mkdir()
        self.folder = folder
        create_ca(folder, "IMPOSTOR")
        issue_server_certificate(folder, "IMPOSTOR", [])
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(folder / "server.crt", folder / "server.key")

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = real_ca_pem if self.path.endswith("/ca.pem") else b'{"ok": true}'
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture
def impostor(site: LiveSite, tmp_path: Path) -> Iterator[Impostor]:
    assert site.ca_path is not None
    server = Impostor(tmp_path / "impostor", site.ca_path.read_bytes())
    try:
        yield server
    finally:
        server.close()


def test_a_man_in_the_middle_with_the_real_ca_cannot_pass_the_check(
    site: LiveSite, impostor: Impostor, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert site.ca_fingerprint is not None
    out = tmp_path / "station.toml"
    assert fetch_ca(impostor.url).strip() == (site.ca_path or Path()).read_text().strip()
    # The fingerprint matches (it is the real CA) ...
    assert _enroll(impostor.url, out, "--fingerprint", site.ca_fingerprint) == 1
    error = capsys.readouterr().err.strip()
    # ... but the impostor cannot present a certificate from it.
    assert error.startswith("cbt-client: refused: the server's certificate is not from")
    assert len(error.splitlines()) == 1
    assert not out.exists()


def test_the_check_trusts_the_pinned_ca_alone(site: LiveSite, impostor: Impostor) -> None:
    assert site.ca_path is not None
    pem = site.ca_path.read_text()
    real = StationConfig.create(
        server_url=site.base_url,
        station_id="PC-07",
        ca_pem=pem,
        ca_fingerprint=None,
        data_dir=Path("data"),
    )
    check_server(real)
    with pytest.raises(e.UntrustedServerError):
        check_server(
            StationConfig.create(
                server_url=impostor.url,
                station_id="PC-07",
                ca_pem=pem,
                ca_fingerprint=None,
                data_dir=Path("data"),
            )
        )
    with pytest.raises(e.ConfigError, match="2 certificates"):  # one CA, never a bundle
        StationConfig.create(
            server_url=site.base_url,
            station_id="PC-07",
            ca_pem=pem + (impostor.folder / "ca.crt").read_text(),
            ca_fingerprint=None,
            data_dir=Path("data"),
        )


# ---------------------------------------------------------------------- mDNS


def loopback_multicast() -> str | None:
    """None if a multicast datagram sent on the loopback interface comes back; else why not."""
    group = "224.0.0.251"
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        rx.bind(("", 0))
        port = rx.getsockname()[1]
        rx.setsockopt(
            socket.IPPROTO_IP,
            socket.IP_ADD_MEMBERSHIP,
            socket.inet_aton(group) + socket.inet_aton("127.0.0.1"),
        )
        tx.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("127.0.0.1"))
        tx.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1)
        tx.sendto(b"cbt", (group, port))
        rx.settimeout(2)
        rx.recv(16)
    except OSError as exc:
        return f"multicast on the loopback interface does not work in this sandbox: {exc}"
    finally:
        rx.close()
        tx.close()
    return None


@pytest.fixture
def announced(site: LiveSite) -> Iterator[LiveSite]:
    """The site announced on the loopback interface only (never on the LAN)."""
    reason = loopback_multicast()
    if reason is not None:
        pytest.skip(reason)
    assert site.ca_fingerprint is not None
    announcement = announce(
        site_code="SITE-UJI",
        port=urlsplit(site.base_url).port or 0,
        ca_fingerprint=site.ca_fingerprint,
        host="127.0.0.1",
    )
    assert announcement is not None, "announcing on 127.0.0.1 failed (see the log)"
    try:
        yield site
    finally:
        announcement.close()


def test_the_announced_server_is_found_on_the_loopback_interface(announced: LiveSite) -> None:
    assert announced.ca_fingerprint is not None
    started = time.monotonic()
    found = browse(timeout_s=5.0, interfaces=["127.0.0.1"], enough=1)
    assert time.monotonic() - started < 8.0
    assert len(found) == 1
    server = found[0]
    assert server.url == announced.base_url
    assert server.site == "SITE-UJI"
    assert server.ca_prefix == announced.ca_fingerprint[:16]
    assert server.api == "1"


def test_enroll_discover_lists_the_server_and_still_checks_the_fingerprint(
    announced: LiveSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert announced.ca_fingerprint is not None
    out = tmp_path / "station.toml"
    options = ["--interface", "127.0.0.1", "--discover-seconds", "2", "--station", "PC-07"]
    wrong = main(  # --yes: take the only server heard; the fingerprint is still checked
        ["enroll", "--discover", *options, "--out", str(out), "--yes", "--fingerprint", "cd" * 32],
        environ={},
    )
    assert wrong == 1
    assert "is not the one given" in capsys.readouterr().err
    assert not out.exists()
    chosen = iter(["1", "ya"])
    code = main(
        ["enroll", "--discover", *options, "--out", str(out)],
        environ={},
        ask=lambda question: next(chosen),
    )
    printed = capsys.readouterr().out
    assert code == 0
    assert "SITE-UJI" in printed
    assert announced.base_url in printed
    assert StationConfig.load(out).server_url == announced.base_url


def test_no_server_on_the_network_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reason = loopback_multicast()
    if reason is not None:
        pytest.skip(reason)
    code = main(
        [
            "enroll",
            "--discover",
            "--interface",
            "127.0.0.1",
            "--discover-seconds",
            "0.5",
            "--station",
            "PC-07",
            "--out",
            str(tmp_path / "s.toml"),
        ],
        environ={},
        ask=lambda question: "",
    )
    assert code == 1
    assert "no site server answered" in capsys.readouterr().err
