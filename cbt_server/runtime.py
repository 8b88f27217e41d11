"""The running server: every service built once from the settings and wired together.

Built by ``create_app`` (and by CLI commands that need the services without
HTTP). Background work: the answer writer thread, the deadline finaliser
thread, and the live feed's frame task.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from sqlalchemy import select

from cbt_server.clock import Clock, SystemClock
from cbt_server.db import tables
from cbt_server.db.engine import Database
from cbt_server.db.migrate import is_current
from cbt_server.errors import ConfigurationError, ServerError
from cbt_server.services.answers import AnswerWriter
from cbt_server.services.audit import AuditLog
from cbt_server.services.candidate_desk import CandidateDesk
from cbt_server.services.exam_setup import ExamSetupService
from cbt_server.services.exams import ExamRegistry
from cbt_server.services.live_feed import LiveFeed, shown_name
from cbt_server.services.presence import Presence
from cbt_server.services.proctor_desk import ProctorDesk
from cbt_server.services.relay import PgRelay
from cbt_server.services.results_desk import ResultsDesk
from cbt_server.services.scoring_desk import ScoredAttempt, ScoringDesk
from cbt_server.services.site import SiteConfig, SitePaths, load_signing_key, read_config
from cbt_server.services.staff import StaffDesk
from cbt_server.services.vault import BankVault
from cbt_server.settings import ServerSettings
from question_bank.container import SealedBank
from question_bank.errors import QuestionBankError
from question_bank.keys import fingerprint, load_recipient_private, load_recipient_public

log = logging.getLogger("cbt_server")


@dataclass(frozen=True, slots=True)
class LockedBanks:
    """What the imported banks that are still locked need to open."""

    #: Some are sealed for this site's recipient key: its passphrase opens them.
    key_passphrase: bool
    #: Some open only with a bank passphrase.
    bank_passphrase: bool


@dataclass
class Runtime:
    settings: ServerSettings
    clock: Clock
    paths: SitePaths
    site: SiteConfig
    db: Database
    audit: AuditLog
    vault: BankVault
    exams: ExamRegistry
    presence: Presence
    feed: LiveFeed
    writer: AnswerWriter
    staff: StaffDesk
    candidates: CandidateDesk
    scoring: ScoringDesk
    proctors: ProctorDesk
    results: ResultsDesk
    setup: ExamSetupService
    #: Cross-worker live events (PostgreSQL only; SQLite sites run one worker).
    relay: PgRelay | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _finaliser: threading.Thread | None = None

    @classmethod
    def build(cls, settings: ServerSettings, clock: Clock | None = None) -> Runtime:
        clock = clock or SystemClock()
        paths = SitePaths(settings.data_dir)
        site = read_config(paths)
        db = Database(settings.database_url)
        if not is_current(db):
            raise ConfigurationError("the database schema is not current; run cbt-server migrate")
        audit = AuditLog()
        vault = BankVault(db, paths, clock, audit)
        exams = ExamRegistry(db, vault)
        presence = Presence()
        feed = LiveFeed(settings.frames_per_s)
        staff = StaffDesk(db, clock, audit)
        scoring = ScoringDesk(db, clock, audit, exams, load_signing_key(paths))
        runtime = cls(
            settings=settings,
            clock=clock,
            paths=paths,
            site=site,
            db=db,
            audit=audit,
            vault=vault,
            exams=exams,
            presence=presence,
            feed=feed,
            writer=AnswerWriter(db, clock),
            staff=staff,
            candidates=CandidateDesk(db, clock, audit, exams, presence, grace_s=settings.grace_s),
            scoring=scoring,
            proctors=ProctorDesk(db, clock, audit, presence, staff, scoring, feed.publish),
            results=ResultsDesk(db, clock, audit, exams, scoring),
            setup=ExamSetupService(db, clock, audit),
        )
        scoring.publish = runtime.publish_score
        if not db.is_sqlite:
            runtime.relay = PgRelay(settings.database_url, feed, presence)
        return runtime

    # ------------------------------------------------------------------ banks

    def locked_banks(self) -> LockedBanks:
        """Which secrets :meth:`unlock_banks` needs for the banks not unlocked yet (read
        from each bank's header: a wrap for this site's recipient key, or a passphrase)."""
        ours = fingerprint(load_recipient_public(self.paths.recipient_prefix.with_suffix(".pub")))
        key = passphrase = False
        for record in self.vault.records():
            if self.vault.is_open(record.digest):
                continue
            try:
                wraps = SealedBank.open(record.path, None).info.wraps
            except QuestionBankError:
                continue  # unlock_banks reports it
            if any(w.get("type") == "x25519" and w.get("recipient") == ours for w in wraps):
                key = True
            elif any(w.get("type") == "passphrase" for w in wraps):
                passphrase = True
        return LockedBanks(key_passphrase=key, bank_passphrase=passphrase)

    def unlock_banks(self, *, bank_passphrase: str | None, key_passphrase: str | None) -> list[str]:
        """Unlock every imported bank with the server's recipient key and/or a passphrase;
        return one line per bank saying what happened."""
        recipient = None
        if key_passphrase is not None:
            recipient = load_recipient_private(
                self.paths.recipient_prefix.with_suffix(".key"), key_passphrase
            )
        lines = []
        for record in self.vault.records():
            try:
                if recipient is not None:
                    try:
                        self.vault.unlock(record, recipient_key=recipient, actor="system:startup")
                    except QuestionBankError:
                        if bank_passphrase is None:
                            raise
                        self.vault.unlock(
                            record, passphrase=bank_passphrase, actor="system:startup"
                        )
                elif bank_passphrase is not None:
                    self.vault.unlock(record, passphrase=bank_passphrase, actor="system:startup")
                else:
                    continue
                lines.append(f"bank {record.bank_id} unlocked into memory")
            except QuestionBankError as exc:
                lines.append(f"bank {record.bank_id} stays locked: {exc}")
        return lines

    # ------------------------------------------------------------------ live

    def publish_score(self, scored: ScoredAttempt) -> None:
        """Send a committed score to the public display and the proctors (after commit)."""
        row = public_row(
            scored.candidate_number,
            scored.candidate_name,
            scored.privacy,
            scored.report,
            scored.scored_ms,
        )
        event: dict[str, object] = {"type": "score", "session": scored.session_code, "row": row}
        self.feed.publish(f"session:{scored.session_code}", event)
        self.feed.publish("site", dict(event))
        self.feed.publish(
            f"proctor:{scored.session_code}", {"type": "seat", "number": scored.candidate_number}
        )

    # ------------------------------------------------------------------ background

    def start_background(self) -> None:
        if self.relay is not None:
            self.relay.start()
        self.writer.start()
        self.scoring.start()
        self._stop.clear()
        self._finaliser = threading.Thread(
            target=self._finalise_loop, name="finaliser", daemon=True
        )
        self._finaliser.start()

    def stop_background(self) -> None:
        self._stop.set()
        if self._finaliser is not None:
            self._finaliser.join(timeout=10)
        self.scoring.stop()
        self.writer.stop()
        if self.relay is not None:
            self.relay.stop()

    def _finalise_loop(self) -> None:
        while not self._stop.wait(self.settings.finalise_every_s):
            try:
                self.finalise_due()
            except Exception:
                log.exception("finalising attempts past their deadline failed")

    def finalise_due(self) -> int:
        """Score every attempt past its deadline and grace, with its saved answers."""
        att = tables.attempts
        limit = self.clock.now_ms() - self.settings.grace_s * 1000
        with self.db.read() as conn:
            due = list(
                conn.execute(
                    select(att.c.id).where(
                        att.c.state == "in_progress",
                        att.c.paused_ms.is_(None),
                        att.c.deadline_ms < limit,
                    )
                ).scalars()
            )
        done = 0
        for attempt, outcome in zip(
            due, self.scoring.submit_many(due, by="deadline", actor="system:finaliser"), strict=True
        ):
            if isinstance(outcome, ServerError):
                log.warning("attempt %s could not be finalised: %s", attempt, outcome)
            else:
                done += 1
        return done

    def close(self) -> None:
        self.stop_background()
        self.db.dispose()


def public_row(
    number: str, name: str, privacy: str, report: dict[str, object], scored_ms: int
) -> dict[str, object]:
    """One row of the public display: what the session's privacy setting allows."""
    sections = report.get("sections")
    return {
        "number": number,
        "name": shown_name(name, privacy),
        "sections": {s: v["score"] for s, v in sections.items()}
        if isinstance(sections, dict)
        else {},
        "total": report.get("total"),
        "passed": report.get("passed"),
        "scored_ms": scored_ms,
    }
