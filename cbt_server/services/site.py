"""The site's data directory: database, TLS, keys and banks, created by ``cbt-server init``.

    DATA/
      site.toml                 site code and name
      cbt.sqlite3               the database (unless CBT_DATABASE_URL names PostgreSQL)
      tls/ca.crt ca.key         the site CA stations pin
      tls/server.crt server.key the server's certificate
      keys/site-signing.key     Ed25519: signs results and exports (read unattended: 0600)
      keys/bank-recipient.key   X25519: opens banks sealed for this server (passphrase)
      keys/bank-recipient.pub   give this to the committee
      banks/<digest>.cbtbank    imported banks, still encrypted
      reports/                  generated PDFs and exports

The directory is created 0700: only the server's user may enter it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import insert

from cbt_server.clock import Clock
from cbt_server.db import tables
from cbt_server.db.engine import Database
from cbt_server.db.migrate import upgrade
from cbt_server.errors import ConfigurationError
from cbt_server.services.audit import GENESIS, AuditLog
from cbt_server.services.passwords import hash_password
from cbt_server.services.tls import create_ca, issue_server_certificate
from question_bank.keys import fingerprint, generate_recipient_key

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True, slots=True)
class SitePaths:
    root: Path

    @property
    def config(self) -> Path:
        return self.root / "site.toml"

    @property
    def tls(self) -> Path:
        return self.root / "tls"

    @property
    def keys(self) -> Path:
        return self.root / "keys"

    @property
    def banks(self) -> Path:
        return self.root / "banks"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def signing_key(self) -> Path:
        return self.keys / "site-signing.key"

    @property
    def signing_public(self) -> Path:
        """The site key's public half: give it to the central office once."""
        return self.keys / "site-signing.pub"

    @property
    def recipient_prefix(self) -> Path:
        return self.keys / "bank-recipient"


@dataclass(frozen=True, slots=True)
class SiteConfig:
    code: str
    name: str


def read_config(paths: SitePaths) -> SiteConfig:
    try:
        data = tomllib.loads(paths.config.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigurationError(
            f"{paths.root} is not a CBT Station data directory (run cbt-server init)"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{paths.config}: not valid TOML ({exc})") from None
    site = data.get("site", {})
    return SiteConfig(code=str(site.get("code", "")), name=str(site.get("name", "")))


def load_signing_key(paths: SitePaths) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(paths.signing_key.read_bytes(), None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigurationError(f"{paths.signing_key} is not an Ed25519 key")
    return key


@dataclass(frozen=True, slots=True)
class InitResult:
    ca_fingerprint: str
    recipient_fingerprint: str
    signing_fingerprint: str


def init_site(
    paths: SitePaths,
    db: Database,
    *,
    site_code: str,
    site_name: str,
    room_code: str,
    admin_username: str,
    admin_password: str,
    key_passphrase: str,
    clock: Clock,
    server_names: list[str] | None = None,
) -> InitResult:
    if not CODE.match(site_code):
        raise ConfigurationError("the site code is letters, digits, '.', '_' or '-'")
    if paths.config.exists():
        raise ConfigurationError(f"{paths.root} already holds a site; refusing to overwrite it")
    if len(admin_password) < 10:
        raise ConfigurationError("the admin password must have at least 10 characters")
    for folder in (paths.root, paths.tls, paths.keys, paths.banks, paths.reports):
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o700)
    ca = create_ca(paths.tls, site_code)
    issue_server_certificate(paths.tls, site_code, server_names or [])
    recipient = generate_recipient_key(paths.recipient_prefix, key_passphrase)
    signing = Ed25519PrivateKey.generate()
    paths.signing_key.touch(mode=0o600)
    paths.signing_key.write_bytes(
        signing.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    paths.signing_public.write_bytes(
        signing.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    upgrade(db)
    now = clock.now_ms()
    with db.write() as conn:
        conn.execute(insert(tables.audit_head).values(id=1, seq=0, hash=GENESIS))
        site_id = conn.execute(
            insert(tables.sites).values(code=site_code, name=site_name).returning(tables.sites.c.id)
        ).scalar_one()
        conn.execute(
            insert(tables.rooms).values(site_id=site_id, code=room_code, name=f"Ruang {room_code}")
        )
        conn.execute(
            insert(tables.staff_users).values(
                username=admin_username,
                full_name="Administrator",
                role="admin",
                password_hash=hash_password(admin_password),
                active=True,
            )
        )
        AuditLog().append(
            conn,
            at_ms=now,
            actor="system",
            event="site_initialised",
            data={
                "site": site_code,
                "ca_fingerprint": ca,
                "recipient": recipient,
                "admin": admin_username,
            },
        )
    paths.config.write_text(
        f'[site]\ncode = "{site_code}"\nname = "{_toml_text(site_name)}"\n', encoding="utf-8"
    )
    return InitResult(ca, recipient, fingerprint(signing.public_key()))


def _toml_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
