"""One page test end to end on PostgreSQL too; the other web tests serve a SQLite site.

The live display test is collected here a second time, under its own name, with
``site`` built on a database of the PostgreSQL server the tests start: a station
submits over HTTP, the score is committed, and the display shows it within a second.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.cbt_server.web.test_live_display import (
    test_a_submitted_score_is_on_the_display_within_a_second as test_live_display_on_postgresql,
)
from tests.live_server import LiveSite, live_site

__all__ = ["test_live_display_on_postgresql"]


@pytest.fixture
def site(tmp_path, postgres) -> Iterator[LiveSite]:
    with live_site(tmp_path, count=6, database_url=postgres.new_database()) as found:
        assert found.rt.settings.database_url.startswith("postgresql")
        yield found
