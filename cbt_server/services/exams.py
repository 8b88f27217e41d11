"""Exams as the server runs them: the bank in memory, the blueprint, the policy, the keys.

A :class:`LoadedExam` is built once per exam when its bank is unlocked and
rebuilt when an item is annulled. Scoring keys go to ``scoring`` as plain
data (option -> points); ``scoring`` and ``question_bank`` never meet.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from cbt_server.db import tables
from cbt_server.db.engine import Database
from cbt_server.errors import NotFoundError
from cbt_server.services.vault import BankVault, OpenBank
from question_bank.blueprint import Blueprint, blueprint_from_dict
from question_bank.form import PoolItem
from scoring import (
    Annulment,
    ItemId,
    ItemKey,
    OptionId,
    Policy,
    ScoringPlan,
    SectionId,
    policy_from_toml,
)


@dataclass(frozen=True, slots=True)
class LoadedExam:
    id: int
    code: str
    title: str
    duration_minutes: int
    show_topics: bool
    policy: Policy
    policy_toml: str
    blueprint: Blueprint
    bank: OpenBank
    pool: tuple[PoolItem, ...]
    keys: tuple[ItemKey, ...]
    annulled: frozenset[str]
    #: Every key of the bank compiled once; each form's plan is a subset of it.
    plan: ScoringPlan

    def plan_for(self, item_ids: Sequence[str]) -> ScoringPlan:
        """The scoring plan of one candidate's form: only the items they were given."""
        return self.plan.subset(ItemId(i) for i in item_ids)


def keys_of(bank: OpenBank, annulled: dict[str, Annulment]) -> tuple[ItemKey, ...]:
    """The bank's items as scoring keys (the JSON of these is the published KEY.json)."""
    return tuple(
        ItemKey(
            item_id=ItemId(item.id),
            section=SectionId(item.section),
            topic=item.topic,
            points={OptionId(label): points for label, points in item.points.items()},
            annulled=annulled.get(item.id),
        )
        for item in bank.items.values()
    )


class ExamRegistry:
    def __init__(self, db: Database, vault: BankVault) -> None:
        self.db, self.vault = db, vault
        self._loaded: dict[int, LoadedExam] = {}
        self._lock = threading.Lock()

    def get(self, exam_id: int) -> LoadedExam:
        with self._lock:
            found = self._loaded.get(exam_id)
        if found is not None:
            return found
        exam = self._build(exam_id)
        with self._lock:
            return self._loaded.setdefault(exam_id, exam)

    def forget(self, exam_id: int) -> None:
        """Drop the cached exam (after an annulment) so the next use rebuilds its keys."""
        with self._lock:
            self._loaded.pop(exam_id, None)

    def _build(self, exam_id: int) -> LoadedExam:
        exams, banks, annulments = tables.exams, tables.banks, tables.annulments
        with self.db.read() as conn:
            row = conn.execute(
                select(exams, banks.c.digest)
                .join(banks, banks.c.id == exams.c.bank_id)
                .where(exams.c.id == exam_id)
            ).one_or_none()
            if row is None:
                raise NotFoundError(f"no exam {exam_id}")
            annulled_rows = conn.execute(
                select(annulments.c.item_id, annulments.c.how).where(
                    annulments.c.exam_id == exam_id
                )
            ).all()
        bank = self.vault.opened(row.digest)
        policy = policy_from_toml(row.policy_toml, origin=f"exam {row.code}")
        annulled = {r.item_id: Annulment(r.how) for r in annulled_rows}
        keys = keys_of(bank, annulled)
        return LoadedExam(
            id=row.id,
            code=row.code,
            title=row.title,
            duration_minutes=row.duration_minutes,
            show_topics=row.show_topics,
            policy=policy,
            policy_toml=row.policy_toml,
            blueprint=blueprint_from_dict(json.loads(row.blueprint_json)),
            bank=bank,
            pool=tuple(PoolItem.of(i) for i in bank.items.values()),
            keys=keys,
            annulled=frozenset(annulled),
            plan=ScoringPlan(policy, [k for k in keys if k.section in policy.section_ids]),
        )

    def loaded(self) -> Sequence[LoadedExam]:
        with self._lock:
            return list(self._loaded.values())
