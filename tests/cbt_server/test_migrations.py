from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from cbt_server.db.engine import Database
from cbt_server.db.migrate import is_current, upgrade
from cbt_server.db.schema import Base


def test_migrations_build_exactly_the_models(site) -> None:
    """The Alembic history and the typed models describe the same schema."""
    with site.rt.db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_the_unused_seats_table_is_dropped(database_url, tmp_path) -> None:
    """Nothing read or wrote ``seats``: a site made before 0003 loses it on upgrade, and
    where a candidate sits stays on the attempt (``attempts.workstation``)."""
    (tmp_path / "data").mkdir(exist_ok=True)
    db = Database(database_url)
    try:
        upgrade(db, "0002")
        assert "seats" in inspect(db.engine).get_table_names()
        assert not is_current(db)
        upgrade(db)
        assert is_current(db)
        tables = inspect(db.engine).get_table_names()
        assert "seats" not in tables
        assert "workstation" in {c["name"] for c in inspect(db.engine).get_columns("attempts")}
    finally:
        db.dispose()
