"""Fuzzing every operation of the server's own OpenAPI document with schemathesis.

The server runs on loopback (uvicorn in a thread, the real app and runtime); the
schema is the one it serves at ``/openapi.json``. Each operation gets generated
requests — valid by the schema and, as schemathesis does, invalid ones too — sent
with the credentials that reach past the door: a candidate's token on the
candidate API, an administrator's on the staff API, none on the public API. Every
reply must be something other than a 5xx (``not_a_server_error``), and must match
its documented media type and schema where the document describes the status
(``content_type_conformance``, ``response_schema_conformance``). Bounded: a few
examples per operation, no shrinking deadline surprises (see ``SETTINGS``).

Not fuzzed: the Server-Sent Events streams (they do not end), and ``logout`` with
the shared token (it would sign the fuzzer out; it runs without credentials).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode, checks

from tests.live_server import ADMIN, LiveSite, build, serve

SETTINGS = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,  # the same cases every run: a failure here is reproducible
    database=None,
    suppress_health_check=list(HealthCheck),
)
CHECKS = [
    checks.not_a_server_error,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
STREAMS = ("/events",)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    root: Path = tmp_path_factory.mktemp("fuzz")
    rt, pins = build(root, count=3)
    try:
        with serve(rt, pins) as site:
            yield site
    finally:
        rt.close()


@pytest.fixture(scope="module")
def credentials(served: LiveSite) -> dict[str, dict[str, str]]:
    with httpx.Client(base_url=served.base_url, timeout=10) as client:
        staff = client.post(
            "/api/v1/proctor/login", json={"username": ADMIN[0], "password": ADMIN[1]}
        ).json()["token"]
        number = sorted(served.pins)[0]
        candidate = client.post(
            "/api/v1/candidate/login",
            json={
                "participant_number": number,
                "pin": served.pins[number],
                "session_token": served.token(),
                "workstation": "PC-FUZZ",
            },
        ).json()["token"]
        client.post("/api/v1/candidate/start", headers={"Authorization": f"Bearer {candidate}"})
    return {
        "candidate": {"Authorization": f"Bearer {candidate}"},
        "staff": {"Authorization": f"Bearer {staff}"},
    }


@pytest.fixture(scope="module")
def api_schema(served: LiveSite) -> schemathesis.BaseSchema:
    schema = schemathesis.openapi.from_url(f"{served.base_url}/openapi.json")
    return schema.exclude(path_regex="|".join(f".*{s}$" for s in STREAMS))


def _headers(path: str, credentials: dict[str, dict[str, str]]) -> dict[str, str]:
    if path.startswith("/api/v1/candidate/") and not path.endswith("/login"):
        return credentials["candidate"]
    if path.startswith(("/api/v1/proctor/", "/api/v1/admin/")) and not path.endswith(
        ("/login", "/logout")
    ):
        return credentials["staff"]
    return {}


def _fuzz(operation: Any, mode: GenerationMode, served: LiveSite, headers: dict[str, str]) -> None:
    @SETTINGS
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case: Any) -> None:
        case.call_and_validate(base_url=served.base_url, headers=headers, checks=CHECKS, timeout=10)

    check()


def test_no_operation_fails_or_breaks_its_schema(
    api_schema: schemathesis.BaseSchema,
    served: LiveSite,
    credentials: dict[str, dict[str, str]],
) -> None:
    # One loop over the document rather than schemathesis' pytest plugin, which does
    # not run under this pytest; each operation is still its own Hypothesis run, and
    # every failing operation is named, with the shrunk case that broke it.
    failures: dict[str, str] = {}
    fuzzed = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        assert operation is not None, result
        headers = _headers(operation.path, credentials)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _fuzz(operation, mode, served, headers)
            except Unsatisfiable:
                pass  # nothing in this operation's request can be made invalid
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - reported below
                failures[f"{operation.label} ({mode.value})"] = f"{type(exc).__name__}: {exc}"
        fuzzed += 1
    assert failures == {}, "\n\n".join(f"{k}: {v}" for k, v in failures.items())
    assert fuzzed >= 40  # the whole document, not a part of it


def test_every_operation_is_fuzzed_except_the_streams(
    api_schema: schemathesis.BaseSchema,
) -> None:
    """The exclusions are exactly the streams: a new endpoint is fuzzed by default."""
    fuzzed = {r.ok().path for r in api_schema.get_all_operations() if r.ok() is not None}
    assert len(fuzzed) >= 40
    assert not any(path.endswith(STREAMS) for path in fuzzed)
