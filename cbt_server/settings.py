"""Server settings: one frozen object built at start and passed down.

Nothing reads the environment anywhere else. Variables use the ``CBT_`` prefix.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cbt_server.errors import ConfigurationError


@dataclass(frozen=True, slots=True)
class ServerSettings:
    data_dir: Path
    #: SQLAlchemy URL; the embedded default is SQLite in the data directory.
    database_url: str
    host: str = "127.0.0.1"
    port: int = 8443
    tls: bool = True
    #: Seconds past the deadline during which saves and submits are still taken.
    grace_s: int = 30
    #: How often the finaliser looks for attempts past their deadline.
    finalise_every_s: float = 1.0
    #: Live feed frames per second at most.
    frames_per_s: float = 4.0
    #: Largest request body accepted.
    max_body_bytes: int = 256 * 1024
    #: Public base URL for QR codes on slips (defaults to the server's own).
    public_url: str | None = None
    #: Allow weak demo secrets (demo and tests only).
    dev: bool = False
    extra: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def for_data_dir(
        cls, data_dir: Path, *, environ: Mapping[str, str] | None = None, **overrides: object
    ) -> ServerSettings:
        env = os.environ if environ is None else environ
        url = env.get("CBT_DATABASE_URL") or f"sqlite:///{(data_dir / 'cbt.sqlite3').resolve()}"
        values: dict[str, object] = {"data_dir": data_dir, "database_url": url}
        if env.get("CBT_PUBLIC_URL"):
            values["public_url"] = env["CBT_PUBLIC_URL"]
        if env.get("CBT_GRACE_SECONDS"):
            try:
                values["grace_s"] = int(env["CBT_GRACE_SECONDS"])
            except ValueError:
                raise ConfigurationError("CBT_GRACE_SECONDS must be a whole number") from None
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
