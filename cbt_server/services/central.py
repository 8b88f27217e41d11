"""Gathering results from many sites: signed exports out, verified imports in.

A site exports a closed session's results as one JSON document signed with its
Ed25519 site key (``keys/site-signing.key``; the public half is
``keys/site-signing.pub``, given to the central office once). The central
server verifies the signature against the site keys it trusts before loading
anything, and refuses a document that was altered by a single byte.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping, Sequence

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import insert, select

from cbt_server.clock import Clock
from cbt_server.db import tables
from cbt_server.db.engine import Database
from cbt_server.errors import ConflictError, InvalidInputError
from cbt_server.services.audit import AuditLog
from cbt_server.services.scoring_desk import canonical
from question_bank.keys import fingerprint, raw_public

FORMAT = "cbt-results-v1"


def signed_export(
    results: Mapping[str, object],
    *,
    site_code: str,
    site_name: str,
    at_ms: int,
    key: Ed25519PrivateKey,
) -> dict[str, object]:
    """Wrap a RESULTS.json document with the site's identity and signature."""
    body = {
        "format": FORMAT,
        "site": {"code": site_code, "name": site_name},
        "exported_ms": at_ms,
        "results": results,
        "site_key": base64.b64encode(raw_public(key.public_key())).decode(),
    }
    return {**body, "signature": key.sign(canonical(body)).hex()}


def verify_export(
    document: Mapping[str, object], trusted: Sequence[Ed25519PublicKey]
) -> dict[str, object]:
    """The export's body if it is signed by a trusted site key; refuse anything else."""
    if document.get("format") != FORMAT or "signature" not in document:
        raise InvalidInputError("this is not a signed CBT Station results export")
    body = {k: v for k, v in document.items() if k != "signature"}
    try:
        raw = base64.b64decode(str(body.get("site_key")), validate=True)
        key = Ed25519PublicKey.from_public_bytes(raw)
        signature = bytes.fromhex(str(document["signature"]))
    except ValueError:
        raise InvalidInputError("the export's key or signature is malformed") from None
    if fingerprint(raw) not in {fingerprint(k) for k in trusted}:
        raise InvalidInputError(
            f"the export is signed by site key {fingerprint(raw)[:16]}, which is not trusted"
        )
    try:
        key.verify(signature, canonical(body))
    except InvalidSignature:
        raise InvalidInputError("the export was altered after it was signed") from None
    return body


class CentralDesk:
    def __init__(self, db: Database, clock: Clock, audit: AuditLog) -> None:
        self.db, self.clock, self.audit = db, clock, audit

    def load(
        self, document: Mapping[str, object], trusted: Sequence[Ed25519PublicKey], *, actor: str
    ) -> int:
        """Verify and store an export's results; returns how many were loaded."""
        body = verify_export(document, trusted)
        site = body["site"]
        results = body["results"]
        if not isinstance(site, dict) or not isinstance(results, dict):
            raise InvalidInputError("the export's site or results are malformed")
        rows = results.get("results")
        if not isinstance(rows, list):
            raise InvalidInputError("the export holds no results list")
        site_code, session = str(site["code"]), str(results.get("session", ""))
        digest = hashlib.sha256(canonical(body)).hexdigest()
        key = fingerprint(base64.b64decode(str(body["site_key"])))
        table = tables.imported_results
        now = self.clock.now_ms()
        with self.db.write() as conn:
            if conn.execute(
                select(table.c.id).where(
                    table.c.site_code == site_code, table.c.session_code == session
                )
            ).first():
                raise ConflictError(f"results of {site_code} session {session} are already loaded")
            for row in rows:
                if not isinstance(row, dict):
                    raise InvalidInputError("a result in the export is malformed")
                conn.execute(
                    insert(table).values(
                        site_code=site_code,
                        site_key=key,
                        session_code=session,
                        candidate=str(row["candidate"]),
                        track=str(row["track"]),
                        formation=str(row.get("formation", "")),
                        sections_json=json.dumps(row["sections"], sort_keys=True),
                        total=str(row["total"]),
                        passed=row.get("passed"),
                        slip_code=str(row.get("slip", "")),
                        export_digest=digest,
                        imported_ms=now,
                    )
                )
            self.audit.append(
                conn,
                at_ms=now,
                actor=actor,
                event="results_imported",
                data={"site": site_code, "session": session, "count": len(rows), "digest": digest},
            )
        return len(rows)

    def rows(self) -> list[dict[str, object]]:
        table = tables.imported_results
        with self.db.read() as conn:
            return [
                dict(r._mapping)
                for r in conn.execute(
                    select(table).order_by(
                        table.c.site_code, table.c.session_code, table.c.candidate
                    )
                )
            ]
