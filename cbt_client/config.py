"""The station's config file, written once at install time (``cbt-client config init``).

It is a small TOML file::

    server_url = "https://192.168.10.2:8443"
    station_id = "PC-01"
    ca_fingerprint = "3f9a…"          # SHA-256 of the site CA certificate (DER), hex
    ca_certificate = '''
    -----BEGIN CERTIFICATE-----
    …
    -----END CERTIFICATE-----
    '''
    data_dir = "/var/lib/cbt-client"  # the answer journal (default: next to this file)
    exit_code_hash = "pbkdf2_sha256$200000$<salt hex>$<hash hex>"
    expect_kiosk = true
    language = "id"

The station trusts exactly one certificate authority: the site CA whose PEM is
stored here. At load the PEM's fingerprint must equal ``ca_fingerprint`` (the
installer compares that value with the one ``cbt-server init`` printed), so a
config copied with a swapped certificate is refused. No system trust store is
used; see ``transport.ssl_context``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from cbt_client.errors import ConfigError, FingerprintMismatchError

EXIT_CODE_ITERATIONS = 200_000
_STATION = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
LANGUAGES = ("id", "en")


def certificate_fingerprint(pem: str, *, path: Path | None = None) -> str:
    """SHA-256 of a PEM certificate's DER form, as lower-case hex (what the server prints).

    The PEM must hold exactly one certificate: the TLS context trusts every
    certificate in it, and only one is covered by the fingerprint.
    """
    try:
        certs = x509.load_pem_x509_certificates(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise ConfigError(
            "the CA certificate is not a PEM certificate", path=path, field="ca_certificate"
        ) from exc
    if len(certs) != 1:
        raise ConfigError(
            f"the CA certificate holds {len(certs)} certificates; give the site CA alone",
            path=path,
            field="ca_certificate",
        )
    return hashlib.sha256(certs[0].public_bytes(serialization.Encoding.DER)).hexdigest()


def normalise_fingerprint(text: str) -> str:
    """Accept ``AB:CD:…`` or spaced forms as people copy them; return lower-case hex."""
    return re.sub(r"[\s:]", "", text).lower()


def hash_exit_code(code: str, *, salt: bytes | None = None) -> str:
    """The stored form of a proctor exit code (PBKDF2-HMAC-SHA256)."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", code.encode(), salt, EXIT_CODE_ITERATIONS)
    return f"pbkdf2_sha256${EXIT_CODE_ITERATIONS}${salt.hex()}${digest.hex()}"


def exit_code_matches(stored: str, code: str) -> bool:
    parts = stored.split("$")
    if len(parts) != 4 or parts[0] != "pbkdf2_sha256" or not parts[1].isdigit():
        return False
    try:
        salt, expected = bytes.fromhex(parts[2]), bytes.fromhex(parts[3])
    except ValueError:
        return False
    digest = hashlib.pbkdf2_hmac("sha256", code.strip().encode(), salt, int(parts[1]))
    return hmac.compare_digest(digest, expected)


@dataclass(frozen=True, slots=True)
class StationConfig:
    """Everything a station needs to reach its server; built once at start."""

    server_url: str
    station_id: str
    ca_certificate: str
    ca_fingerprint: str
    data_dir: Path
    exit_code_hash: str | None = None
    expect_kiosk: bool = False
    language: str = "id"
    #: Where it came from (for messages); not written back.
    path: Path | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        url = urlsplit(self.server_url)
        if url.scheme != "https" or not url.hostname:
            raise ConfigError(
                f"server_url must be an https:// address, not {self.server_url!r}",
                path=self.path,
                field="server_url",
            )
        if not _STATION.match(self.station_id):
            raise ConfigError(
                "station_id is 1-64 letters, digits, '.', '_' or '-'",
                path=self.path,
                field="station_id",
            )
        if not _HEX64.match(self.ca_fingerprint):
            raise ConfigError(
                "ca_fingerprint is a SHA-256 in hex (64 characters)",
                path=self.path,
                field="ca_fingerprint",
            )
        actual = certificate_fingerprint(self.ca_certificate, path=self.path)
        if not hmac.compare_digest(actual, self.ca_fingerprint):
            raise FingerprintMismatchError(
                path=self.path, expected=self.ca_fingerprint, actual=actual
            )
        if self.language not in LANGUAGES:
            raise ConfigError(
                f"language is one of {', '.join(LANGUAGES)}", path=self.path, field="language"
            )

    @classmethod
    def create(
        cls,
        *,
        server_url: str,
        station_id: str,
        ca_pem: str,
        ca_fingerprint: str | None,
        data_dir: Path,
        exit_code: str | None = None,
        expect_kiosk: bool = False,
        language: str = "id",
    ) -> StationConfig:
        """A config from its parts; the fingerprint, when given, must match the PEM."""
        actual = certificate_fingerprint(ca_pem)
        return cls(
            server_url=server_url.rstrip("/"),
            station_id=station_id,
            ca_certificate=ca_pem.strip() + "\n",
            ca_fingerprint=normalise_fingerprint(ca_fingerprint) if ca_fingerprint else actual,
            data_dir=data_dir,
            exit_code_hash=hash_exit_code(exit_code) if exit_code else None,
            expect_kiosk=expect_kiosk,
            language=language,
        )

    @classmethod
    def load(cls, path: Path) -> StationConfig:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(f"cannot read the station config: {exc}", path=path) from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"the station config is not valid TOML: {exc}", path=path) from exc

        def text(name: str, default: str | None = None) -> str:
            value = data.get(name, default)
            if not isinstance(value, str) or not value:
                raise ConfigError(f"{name} is missing", path=path, field=name)
            return value

        known = {
            "server_url",
            "station_id",
            "ca_certificate",
            "ca_fingerprint",
            "data_dir",
            "exit_code_hash",
            "expect_kiosk",
            "language",
        }
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"unknown setting {unknown[0]!r}", path=path, field=unknown[0])
        kiosk = data.get("expect_kiosk", False)
        if not isinstance(kiosk, bool):
            raise ConfigError("expect_kiosk is true or false", path=path, field="expect_kiosk")
        exit_hash = data.get("exit_code_hash")
        if exit_hash is not None and not isinstance(exit_hash, str):
            raise ConfigError("exit_code_hash is text", path=path, field="exit_code_hash")
        data_dir = Path(text("data_dir", "data"))
        if not data_dir.is_absolute():
            data_dir = path.parent / data_dir
        return cls(
            server_url=text("server_url").rstrip("/"),
            station_id=text("station_id"),
            ca_certificate=text("ca_certificate"),
            ca_fingerprint=normalise_fingerprint(text("ca_fingerprint")),
            data_dir=data_dir,
            exit_code_hash=exit_hash or None,
            expect_kiosk=kiosk,
            language=text("language", "id"),
            path=path,
        )

    def to_toml(self) -> str:
        def quoted(value: str) -> str:
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

        lines = [
            "# CBT Station - station configuration (written by `cbt-client config init`).",
            "# The station trusts only the CA below; its SHA-256 must equal ca_fingerprint.",
            f"server_url = {quoted(self.server_url)}",
            f"station_id = {quoted(self.station_id)}",
            f"ca_fingerprint = {quoted(self.ca_fingerprint)}",
            f"ca_certificate = '''\n{self.ca_certificate.strip()}\n'''",
            f"data_dir = {quoted(self.data_dir.as_posix())}",
            f"expect_kiosk = {'true' if self.expect_kiosk else 'false'}",
            f"language = {quoted(self.language)}",
        ]
        if self.exit_code_hash:
            lines.append(f"exit_code_hash = {quoted(self.exit_code_hash)}")
        return "\n".join(lines) + "\n"

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.to_toml(), encoding="utf-8")

    def with_station(self, station_id: str) -> StationConfig:
        return replace(self, station_id=station_id)

    def exit_code_matches(self, code: str) -> bool:
        """Whether ``code`` is the proctor exit code (never true when none is configured)."""
        return self.exit_code_hash is not None and exit_code_matches(self.exit_code_hash, code)
