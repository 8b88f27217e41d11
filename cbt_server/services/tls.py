"""The site's own certificate authority and the server's TLS certificate.

Stations pin the CA by the SHA-256 fingerprint of its certificate (shown by
``cbt-server init`` and ``cbt-server tls show``), so no public CA and no
internet are involved, and a rogue server on the LAN cannot pass for ours.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import socket
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_DAYS = 3650
SERVER_DAYS = 397


def _name(common: str, site: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "CBT Station"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, site),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    path.touch(mode=0o600)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def create_ca(folder: Path, site: str) -> str:
    """Write ca.key and ca.crt; return the CA fingerprint."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    name = _name(f"CBT Station CA {site}", site)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_key(folder / "ca.key", key)
    (folder / "ca.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return ca_fingerprint(folder / "ca.crt")


def issue_server_certificate(folder: Path, site: str, extra_names: list[str]) -> None:
    """(Re)issue server.crt/server.key signed by the site CA, for this host's names."""
    ca_key = serialization.load_pem_private_key((folder / "ca.key").read_bytes(), None)
    if not isinstance(ca_key, ec.EllipticCurvePrivateKey):
        raise ValueError("the CA key is not an EC key")
    ca_cert = x509.load_pem_x509_certificate((folder / "ca.crt").read_bytes())
    key = ec.generate_private_key(ec.SECP256R1())
    host = socket.gethostname()
    dns = {"localhost", host, f"{host}.local", *[n for n in extra_names if not _is_ip(n)]}
    ips = {"127.0.0.1", "::1", *[n for n in extra_names if _is_ip(n)]}
    sans: list[x509.GeneralName] = [x509.DNSName(d) for d in sorted(dns)]
    sans += [x509.IPAddress(ipaddress.ip_address(i)) for i in sorted(ips)]
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(host, site))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=SERVER_DAYS))
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    _write_key(folder / "server.key", key)
    (folder / "server.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def certificate_names(path: Path) -> list[str]:
    """The DNS names and IP addresses a certificate was issued for (its SANs)."""
    cert = x509.load_pem_x509_certificate(path.read_bytes())
    try:
        sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    ips = [str(ip) for ip in sans.get_values_for_type(x509.IPAddress)]
    return [*sans.get_values_for_type(x509.DNSName), *ips]


def renew_server_certificate(folder: Path, site: str, extra_names: list[str]) -> list[str]:
    """Reissue server.crt from the same CA for every name it had plus ``extra_names``.

    The LAN addresses and names given at ``init`` stay without being repeated.
    Returns the names of the new certificate.
    """
    current = folder / "server.crt"
    kept = certificate_names(current) if current.exists() else []
    issue_server_certificate(folder, site, list(dict.fromkeys([*kept, *extra_names])))
    return certificate_names(current)


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def ca_fingerprint(ca_path: Path) -> str:
    """SHA-256 of the CA certificate (DER), as hex: what stations pin."""
    cert = x509.load_pem_x509_certificate(ca_path.read_bytes())
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def certificate_expiry(path: Path) -> dt.datetime:
    return x509.load_pem_x509_certificate(path.read_bytes()).not_valid_after_utc
