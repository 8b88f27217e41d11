"""Renewing the server certificate keeps the CA stations pin and every name it served."""

from __future__ import annotations

import re
import socket

from cryptography import x509

from cbt_server.cli import main
from cbt_server.clock import ManualClock
from cbt_server.db.engine import Database
from cbt_server.services.site import SitePaths, init_site
from cbt_server.services.tls import ca_fingerprint, certificate_names


def test_renewal_keeps_the_ca_and_the_names_given_at_init(tmp_path, capsys) -> None:
    paths = SitePaths(tmp_path / "data")
    db = Database(f"sqlite:///{tmp_path / 'data' / 'cbt.sqlite3'}")
    paths.root.mkdir()
    init_site(
        paths,
        db,
        site_code="JKT-01",
        site_name="Lokasi Uji",
        room_code="R1",
        admin_username="admin",
        admin_password="admin-password-123",
        key_passphrase="kunci-server",
        clock=ManualClock(),
        server_names=["cbt-server.lan", "192.168.10.2"],
    )
    db.dispose()
    crt = paths.tls / "server.crt"
    fingerprint = ca_fingerprint(paths.tls / "ca.crt")
    before = x509.load_pem_x509_certificate(crt.read_bytes())
    names = set(certificate_names(crt))
    assert {"cbt-server.lan", "192.168.10.2", "localhost", socket.gethostname()} <= names

    assert main(["tls", "renew", "--data", str(paths.root)]) == 0
    after = x509.load_pem_x509_certificate(crt.read_bytes())
    assert after.serial_number != before.serial_number
    assert set(certificate_names(crt)) == names
    assert ca_fingerprint(paths.tls / "ca.crt") == fingerprint
    assert f"CA fingerprint: {fingerprint}" in capsys.readouterr().out

    assert main(["tls", "renew", "--data", str(paths.root), "--server-name", "10.1.1.5"]) == 0
    assert set(certificate_names(crt)) == names | {"10.1.1.5"}
    ca = x509.load_pem_x509_certificate((paths.tls / "ca.crt").read_bytes())
    x509.load_pem_x509_certificate(crt.read_bytes()).verify_directly_issued_by(ca)

    capsys.readouterr()
    assert main(["tls", "show", "--data", str(paths.root)]) == 0
    shown = re.search(r"^server certificate names: (.*)$", capsys.readouterr().out, re.M)
    assert shown is not None
    assert set(shown[1].split(", ")) == names | {"10.1.1.5"}
