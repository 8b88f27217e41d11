"""docs/api.md names every operation of the OpenAPI document."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

API_MD = Path(__file__).parents[2] / "docs" / "api.md"
#: The sections of api.md list paths below these prefixes.
PREFIXES = ("/api/v1/candidate", "/api/v1/proctor", "/api/v1/public", "/api/v1/admin")


def _shape(path: str) -> str:
    """A path with its parameters unnamed: ``/banks/{id}`` and ``/banks/{bank_row}`` agree."""
    return re.sub(r"\{[^}]*\}", "{}", path)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_operation_is_in_the_api_doc(site) -> None:
    doc = _shape(API_MD.read_text(encoding="utf-8"))
    paths = site.client.app.openapi()["paths"]
    missing = []
    for path, operations in paths.items():
        prefix = next((p for p in PREFIXES if path.startswith(p + "/")), "")
        for method in operations:
            written = f"{method.upper()} {_shape(path.removeprefix(prefix))}"
            if not re.search(re.escape(written) + r"(?![\w/{}.-])", doc):
                missing.append(f"{method.upper()} {path}")
    assert len(paths) > 50  # the whole API, not a part of it
    assert missing == []
