"""Reports of a session as PDF: gather the committed records, lay them out, return the bytes.

Every figure comes from the stored records (scores, attempts, the audit
log) through the result and proctor desks; nothing is recomputed here that
another part of the server publishes differently.
"""

from __future__ import annotations

import enum
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from cbt_server.errors import ConflictError, InvalidInputError, NotFoundError
from cbt_server.reports import feedback, fonts, item_analysis, layout, minutes, ranking, slip
from cbt_server.reports.context import ReportContext
from cbt_server.reports.figures import figures_of
from cbt_server.runtime import Runtime
from cbt_server.services.proctor_desk import SessionInfo
from cbt_server.services.results_desk import AttemptRecord, SessionRecord
from cbt_server.services.scoring_desk import responses_for_scoring
from question_bank.form import form_item_ids
from scoring import AttemptResponses, ItemId, ScoringPlan


class ReportKind(enum.StrEnum):
    SLIP = "slip"
    FEEDBACK = "feedback"
    MINUTES = "minutes"
    RANKING = "ranking"
    ITEMS = "items"


@dataclass(frozen=True, slots=True)
class ReportOptions:
    #: One candidate's slip or feedback; None: every scored candidate of the session.
    candidate: str | None = None
    #: The ranking of one formation; None: every formation of the session.
    formation: str | None = None
    #: Vacancies of the formation: the quota line is drawn at vacancies x the multiplier.
    vacancies: int | None = None
    #: Base of the verify URL in the slips' QR codes (else the settings', else this host's).
    public_url: str | None = None
    #: WIB, WITA or WIT.
    zone: str = "WIB"


class ReportService:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt

    def render(self, kind: ReportKind, info: SessionInfo, options: ReportOptions) -> bytes:
        """The PDF of one report of the session."""
        zone = layout.ZONES.get(options.zone.upper())
        if zone is None:
            raise InvalidInputError("the time zone is one of WIB, WITA or WIT")
        if options.vacancies is not None and options.vacancies < 1:
            raise InvalidInputError("the number of vacancies is a whole number from 1")
        fonts.register()  # before any paragraph is built
        record = self.rt.results.session_record(info)
        ctx = ReportContext(
            site_name=self.rt.site.name or self.rt.site.code,
            site_code=self.rt.site.code,
            exam_title=info.exam_title,
            exam_code=info.exam_code,
            session_code=info.code,
            room_code=info.room,
            room_name=record.room_name,
            starts_ms=info.starts_ms,
            policy=self.rt.results.policy(info),
            zone=zone,
            generated_ms=self.rt.clock.now_ms(),
            chain=self.rt.audit.head(self.rt.db),
            proctors=tuple(name for _, name in record.proctors),
        )
        if kind is ReportKind.SLIP:
            return self._slips(ctx, info, record, options)
        if kind is ReportKind.FEEDBACK:
            return self._feedback(ctx, info, options)
        if kind is ReportKind.MINUTES:
            return minutes.render(ctx, self._minutes(info, record))
        if kind is ReportKind.RANKING:
            return self._ranking(ctx, info, options)
        return self._items(ctx, info)

    # ------------------------------------------------------------------ per candidate

    def _scored(self, info: SessionInfo, candidate: str | None) -> list[AttemptRecord]:
        attempts = self.rt.results.attempts(info)
        if candidate is not None:
            mine = [a for a in attempts if a.number == candidate.strip()]
            if not mine:
                raise NotFoundError(f"candidate {candidate} has no attempt in session {info.code}")
            if mine[0].report is None:
                raise ConflictError(
                    f"candidate {candidate} has no score yet; the report is made after submission"
                )
            return mine
        scored = [a for a in attempts if a.report is not None]
        if not scored:
            raise ConflictError(f"no candidate of session {info.code} has a score yet")
        return scored

    def _slips(
        self, ctx: ReportContext, info: SessionInfo, record: SessionRecord, options: ReportOptions
    ) -> bytes:
        base = self.public_url(options.public_url)
        sittings = {s.number: s for s in record.sittings}
        inputs = []
        for a in self._scored(info, options.candidate):
            if a.report is None or a.slip is None:
                continue
            found = self.rt.scoring.verify_slip(a.slip)
            if found is None:  # the score was read a moment ago
                raise NotFoundError(f"no result has slip code {a.slip}")
            stored, valid = found
            sitting = sittings.get(a.number)
            inputs.append(
                slip.SlipInput(
                    number=a.number,
                    name=a.name,
                    birth_date=a.birth_date,
                    formation=a.formation,
                    track=a.track,
                    figures=figures_of(stored.report),
                    slip=stored.slip_code,
                    revision=a.revision,
                    submitted_ms=sitting.submitted_ms if sitting else None,
                    submitted_by=sitting.submitted_by if sitting else None,
                    scored_ms=stored.scored_ms,
                    signature=stored.signature,
                    signature_valid=valid,
                    verify_url=slip.verify_url(base, stored.slip_code),
                )
            )
        return layout.render(
            ctx.letterhead(slip.DOCUMENT),
            slip.story(ctx, inputs),
            title=f"{slip.DOCUMENT} {info.code}",
        )

    def _feedback(self, ctx: ReportContext, info: SessionInfo, options: ReportOptions) -> bytes:
        everyone = [(a, figures_of(a.report)) for a in self.rt.results.attempts(info) if a.report]
        chosen = {a.number for a in self._scored(info, options.candidate)}
        averages = feedback.Averages.of([f for _, f in everyone])
        inputs = [
            feedback.FeedbackInput(
                number=a.number,
                name=a.name,
                formation=a.formation,
                track=a.track,
                slip=a.slip or "-",
                figures=f,
            )
            for a, f in everyone
            if a.number in chosen
        ]
        return layout.render(
            ctx.letterhead(feedback.DOCUMENT),
            feedback.story(ctx, inputs, averages),
            title=f"{feedback.DOCUMENT} {info.code}",
        )

    # ------------------------------------------------------------------ session

    def _minutes(self, info: SessionInfo, record: SessionRecord) -> minutes.MinutesInput:
        scored = {
            a.number: a.report.get("passed")
            for a in self.rt.results.attempts(info)
            if a.report is not None
        }
        return minutes.MinutesInput(
            state=info.state,
            duration_minutes=info.duration_minutes,
            record=record,
            outcomes={k: v if isinstance(v, bool) else None for k, v in scored.items()},
        )

    def _ranking(self, ctx: ReportContext, info: SessionInfo, options: ReportOptions) -> bytes:
        scored = [a for a in self.rt.results.attempts(info) if a.report is not None]
        if not scored:
            raise ConflictError(f"no candidate of session {info.code} has a score yet")
        formations = sorted({a.formation for a in scored})
        if options.formation is not None:
            if options.formation not in formations:
                raise NotFoundError(
                    f"no scored candidate of session {info.code} is in formation "
                    f"{options.formation!r}"
                )
            formations = [options.formation]
        people = {a.number: a for a in scored}
        parts = [
            ranking.FormationInput(
                formation=f,
                vacancies=options.vacancies,
                ranking=self.rt.results.ranking(info, formation=f, vacancies=options.vacancies),
                people={
                    n: ranking.Person(a.name, a.track, figures_of(a.report))
                    for n, a in people.items()
                    if a.formation == f and a.report is not None
                },
            )
            for f in formations
        ]
        return layout.render(
            ctx.letterhead(ranking.DOCUMENT),
            ranking.story(ctx, parts),
            title=f"{ranking.DOCUMENT} {info.code}",
        )

    def _items(self, ctx: ReportContext, info: SessionInfo) -> bytes:
        exam = self.rt.results.exam(info)
        rows = []
        for a in self.rt.results.attempts(info):
            if a.report is None:
                continue
            presented = form_item_ids(a.form_json)
            rows.append(
                AttemptResponses(
                    candidate=a.number,
                    responses=responses_for_scoring(presented, a.answers),
                    presented=frozenset(ItemId(i) for i in presented),
                )
            )
        if not rows:
            raise ConflictError(f"no candidate of session {info.code} has a score yet")
        plan = ScoringPlan(exam.policy, exam.keys)
        data = item_analysis.AnalysisInput.of(plan, rows, annulled=exam.annulled)
        return layout.render(
            ctx.letterhead(item_analysis.DOCUMENT),
            item_analysis.story(ctx, data),
            title=f"{item_analysis.DOCUMENT} {info.code}",
            wide=True,
        )

    # ------------------------------------------------------------------ the QR's address

    def public_url(self, given: str | None) -> str:
        """Where the public verify page is: the option, the settings, else this host."""
        settings = self.rt.settings
        url = given or settings.public_url
        if not url:
            host = settings.host
            if host in ("", "0.0.0.0", "::", "127.0.0.1", "localhost"):  # noqa: S104
                host = socket.gethostname()
            url = f"https://{host}:{settings.port}"
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InvalidInputError(
                f"the public URL {url!r} must start with https:// (or http://) and name a host"
            )
        return url.rstrip("/")
