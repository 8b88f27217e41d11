"""One worker of a multi-process server (``cbt-server run --workers N``).

uvicorn starts each worker in a fresh process and calls
:func:`create_worker_app`, which builds the runtime from what the parent left
in the environment: the data directory, whether TLS is on, and the *names* of
the variables holding the passphrases (never the passphrases' own values).
"""

from __future__ import annotations

import dataclasses
import gc
import logging
import os
from pathlib import Path

from fastapi import FastAPI

from cbt_server.api.app import create_app
from cbt_server.errors import ConfigurationError
from cbt_server.runtime import Runtime
from cbt_server.settings import ServerSettings

log = logging.getLogger("cbt_server.worker")
PREFIX = "CBT_WORKER_"


def environment(
    *, data_dir: Path, tls: bool, bank_passphrase_env: str | None, key_passphrase_env: str | None
) -> dict[str, str]:
    """What the parent process passes to its workers."""
    return {
        f"{PREFIX}DATA": str(data_dir),
        f"{PREFIX}TLS": "1" if tls else "0",
        f"{PREFIX}BANK_PASSPHRASE_ENV": bank_passphrase_env or "",
        f"{PREFIX}KEY_PASSPHRASE_ENV": key_passphrase_env or "",
    }


def create_worker_app() -> FastAPI:
    env = os.environ
    data = env.get(f"{PREFIX}DATA")
    if not data:
        raise ConfigurationError("a worker needs the data directory from its parent")
    settings = dataclasses.replace(
        ServerSettings.for_data_dir(Path(data)), tls=env.get(f"{PREFIX}TLS") == "1"
    )
    rt = Runtime.build(settings)

    def secret(name_var: str) -> str | None:
        name = env.get(name_var)
        return env.get(name) if name else None

    for line in rt.unlock_banks(
        bank_passphrase=secret(f"{PREFIX}BANK_PASSPHRASE_ENV"),
        key_passphrase=secret(f"{PREFIX}KEY_PASSPHRASE_ENV"),
    ):
        log.info("worker %s: %s", os.getpid(), line)
    app = create_app(rt)
    gc.collect()
    gc.freeze()
    return app
