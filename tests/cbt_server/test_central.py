"""Sites sign their results; the central office loads only what trusted sites signed."""

from __future__ import annotations

import copy
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cbt_server.errors import ConflictError, InvalidInputError
from cbt_server.services.central import CentralDesk, signed_export, verify_export
from cbt_server.services.site import load_signing_key
from tests.cbt_server.conftest import ADMIN_PASS


def _closed_session(site) -> dict[str, object]:
    h = site.start("2026001")
    site.client.post(
        "/api/v1/candidate/answers",
        headers=h,
        json={"changes": [{"number": 1, "choice": "A", "seq": 1}]},
    )
    site.client.post("/api/v1/candidate/submit", headers=h)
    admin = site.proctor_headers("admin", ADMIN_PASS)
    site.client.post("/api/v1/proctor/sessions/S1/close", headers=admin)
    info = site.rt.proctors.session("S1")
    key = load_signing_key(site.paths)
    return signed_export(
        site.rt.results.results_json(info),
        site_code=site.rt.site.code,
        site_name=site.rt.site.name,
        at_ms=site.clock.now_ms(),
        key=key,
    )


def test_signed_export_loads_centrally_once(site) -> None:
    document = json.loads(json.dumps(_closed_session(site)))  # as it travels: JSON text
    trusted = [load_signing_key(site.paths).public_key()]
    central = CentralDesk(site.rt.db, site.rt.clock, site.rt.audit)
    assert central.load(document, trusted, actor="admin:test") == 1
    (row,) = central.rows()
    assert (row["site_code"], row["session_code"], row["candidate"]) == (
        "SITE-UJI",
        "S1",
        "2026001",
    )
    with pytest.raises(ConflictError, match="already loaded"):
        central.load(document, trusted, actor="admin:test")
    assert (site.paths.keys / "site-signing.pub").read_bytes().startswith(b"-----BEGIN")


def test_altered_or_untrusted_exports_are_refused(site) -> None:
    document = _closed_session(site)
    trusted = [load_signing_key(site.paths).public_key()]
    altered = copy.deepcopy(document)
    altered["results"]["results"][0]["total"] = 550  # type: ignore[index]
    with pytest.raises(InvalidInputError, match="altered after it was signed"):
        verify_export(altered, trusted)
    with pytest.raises(InvalidInputError, match="not trusted"):
        verify_export(document, [Ed25519PrivateKey.generate().public_key()])
    with pytest.raises(InvalidInputError, match="not a signed"):
        verify_export({"results": {}}, trusted)
