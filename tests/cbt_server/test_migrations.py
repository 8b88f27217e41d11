from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from cbt_server.db.schema import Base


def test_migrations_build_exactly_the_models(site) -> None:
    """The Alembic history and the typed models describe the same schema."""
    with site.rt.db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
