"""Administration (``/api/v1/admin``): banks, complaints, annulment. Admins only."""

from __future__ import annotations

from fastapi import APIRouter

from cbt_server.api.deps import ComplaintsDep, RuntimeDep, StaffDep
from cbt_server.api.models import Annul, BankUnlock, ComplaintUpdate

router = APIRouter(prefix="/api/v1/admin", tags=["admin"])


@router.get("/banks")
def banks(member: StaffDep, rt: RuntimeDep) -> list[dict[str, object]]:
    member.require("admin", "observer")
    return [
        {
            "id": b.id,
            "bank": b.bank_id,
            "digest": b.digest,
            "title": b.title,
            "author": b.author,
            "unlocked": rt.vault.is_open(b.digest),
        }
        for b in rt.vault.records()
    ]


@router.post("/banks/{bank_row}/unlock")
def unlock(bank_row: int, body: BankUnlock, member: StaffDep, rt: RuntimeDep) -> dict[str, object]:
    member.require("admin")
    bank = rt.vault.unlock(
        rt.vault.record(bank_row), passphrase=body.passphrase, actor=member.actor
    )
    return {"bank": bank.bank_id, "items": len(bank.items), "unlocked": True}


@router.get("/complaints")
def complaints(member: StaffDep, desk: ComplaintsDep) -> list[dict[str, object]]:
    member.require("admin", "observer")
    return desk.list()


@router.post("/complaints/{reference}")
def complaint_update(
    reference: str, body: ComplaintUpdate, member: StaffDep, desk: ComplaintsDep
) -> dict[str, object]:
    member.require("admin")
    desk.update(reference, body.status, body.answer)
    return {"reference": reference, "status": body.status}


@router.post("/sessions/{code}/annul")
def annul(code: str, body: Annul, member: StaffDep, rt: RuntimeDep) -> dict[str, object]:
    member.require("admin")
    info = rt.proctors.session(code)
    changes = rt.results.annul(info, body.item, body.reason, actor=member.actor)
    return {"item": body.item, "changed": changes}
