"""Bringing a database to the current schema with Alembic."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from cbt_server.db.engine import Database

MIGRATIONS = Path(__file__).parent / "migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(db: Database, revision: str = "head") -> None:
    """Apply every migration not yet applied (a fresh database gets them all), or those
    up to ``revision``."""
    with db.engine.begin() as conn:
        config = _config()
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def is_current(db: Database) -> bool:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision() == head
