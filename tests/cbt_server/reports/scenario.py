"""A scripted exam session for the report tests: known scores, ties, incidents, actions.

Built on ``tests.live_server.build`` (SQLite, the SKD sample bank, session S1
open) and driven through the services directly, no HTTP. Every candidate's
answers are chosen to hit exact section scores, so the tests can check the
printed figures, the tie groups and the tie-break rules.

Formation "Analis Kebijakan", 1 vacancy (quota 3):
    20260006 Dewi   95/120/185 = 400   1  (TKP breaks the tie on 400)
    20260002 Siti  100/120/180 = 400   2  tie group with Ani (equal on every rule)
    20260004 Ani   100/120/180 = 400   2
    20260099 <script>  100/110/180 = 390   4  (below the quota line)
    20260008 Putri  90/100/170 = 360   5  (Papua track)
    20260010 Rina   50/ 75/170 = 295   not ranked: TWK and TIU under the thresholds
Formation "Pranata Komputer":
    20260003 Made 120/140/200 = 460 (cum laude), 20260001 Budi 110/130/190 = 430,
    20260009 Joko  60/ 85/160 = 305 (scored when the session closed; fails),
    20260007 Agus  force-submitted before starting (0), 20260005 Rudi absent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cbt_server.clock import ManualClock
from cbt_server.runtime import Runtime
from cbt_server.services.answers import Change
from cbt_server.services.candidate_desk import AttemptContext
from cbt_server.services.exam_setup import CandidateRow
from cbt_server.services.staff import StaffMember
from tests.live_server import PROCTOR, build

HOSTILE_NAME = "<script>alert(1)</script> & <b>Ani</b>"
HOSTILE_NUMBER = "20260099"
HOSTILE_INCIDENT = "Peserta membawa <img src=x onerror=alert(1)> catatan & <i>kertas</i>"
HOSTILE_REASON = "listrik padam & <UPS> mati"

#: Section targets (TWK, TIU, TKP) and blanks per section for those who answer.
TARGETS: dict[str, tuple[tuple[int, int, int], tuple[int, int, int]]] = {
    "20260001": ((110, 130, 190), (0, 0, 0)),
    "20260002": ((100, 120, 180), (0, 0, 0)),
    "20260003": ((120, 140, 200), (0, 0, 0)),
    "20260004": ((100, 120, 180), (0, 0, 0)),
    "20260006": ((95, 120, 185), (0, 0, 0)),
    "20260008": ((90, 100, 170), (0, 0, 0)),
    "20260009": ((60, 85, 160), (0, 0, 0)),
    "20260010": ((50, 75, 170), (2, 3, 0)),
    HOSTILE_NUMBER: ((100, 110, 180), (0, 0, 0)),
}
SECTIONS = ("TWK", "TIU", "TKP")


@dataclass
class Scripted:
    rt: Runtime
    clock: ManualClock
    proctor: StaffMember
    pins: dict[str, str]
    contexts: dict[str, AttemptContext] = field(default_factory=dict)


def answers_for(
    rt: Runtime, ctx: AttemptContext, targets: tuple[int, int, int], blanks: tuple[int, int, int]
) -> list[Change]:
    """Changes that give exactly ``targets`` per section on this candidate's form."""
    form = rt.candidates.form(ctx)
    exam = rt.exams.get(ctx.exam_id)
    keys = {k.item_id: k for k in exam.keys}
    changes: list[Change] = []
    for section, target, blank in zip(SECTIONS, targets, blanks, strict=True):
        numbered = [(n, it) for n, it in enumerate(form.items, 1) if it.section == section]
        if section == "TKP":  # weights 1..5: start every item at 1 and raise until the target
            extra = target - len(numbered)
            for n, it in numbered:
                key = keys[it.item_id]
                step = min(4, max(0, extra))
                extra -= step
                choice = next(o for o, p in key.points.items() if p == 1 + step)
                changes.append(Change(n, choice, False, len(changes) + 1))
            continue
        right = target // 5
        for i, (n, it) in enumerate(numbered):
            key = keys[it.item_id]
            if i < right:
                choice: str | None = max(key.points, key=lambda o: key.points[o])
            elif i >= len(numbered) - blank:
                choice = None
            else:
                wrong = sorted(o for o, p in key.points.items() if p == 0)
                choice = wrong[(n + int(ctx.number[-2:])) % 2 if len(wrong) > 1 else 0]
            changes.append(Change(n, choice, False, len(changes) + 1))
    return changes


def _login(s: Scripted, number: str, workstation: str) -> AttemptContext:
    info = s.rt.proctors.session("S1")
    token = str(s.rt.proctors.token(info)["token"])
    result = s.rt.candidates.login(
        number=number, pin=s.pins[number], typed_token=token, workstation=workstation
    )
    return result.context


def script(tmp_path: Path) -> Scripted:
    clock = ManualClock(start_ms=1_795_480_200_000)  # Tuesday 24 November 2026, 07:30 WIB
    rt, pins = build(tmp_path, clock=clock, count=10)
    rt.setup.register(
        session_code="S1",
        rows=[
            CandidateRow(
                HOSTILE_NUMBER,
                HOSTILE_NAME,
                "1999-12-31",
                "Analis Kebijakan",
                "general",
                0,
                None,
                None,
            )
        ],
        actor="admin:test",
        pins={HOSTILE_NUMBER: "909090"},
    )
    pins[HOSTILE_NUMBER] = "909090"
    _, proctor = rt.staff.sign_in(*PROCTOR)
    s = Scripted(rt, clock, proctor, pins)
    info = rt.proctors.session("S1")

    clock.advance(20 * 60)
    for seat, number in enumerate(sorted(pins), 1):
        if number == "20260005":
            continue  # absent
        ctx = _login(s, number, f"PC-{seat:02d}")
        if number != "20260007":  # Agus confirms nothing: force-submitted later
            ctx = rt.candidates.start(ctx)
        s.contexts[number] = ctx
        clock.advance(7)

    clock.advance(25 * 60)
    rt.candidates.report_incident(s.contexts["20260003"], "focus_lost", "Alt+Tab <b>ke</b> browser")
    rt.proctors.release(s.proctor, info, "20260001", "komputer mati, pindah ke PC-12")
    s.contexts["20260001"] = _login(s, "20260001", "PC-12")
    rt.proctors.pause(s.proctor, info, None, "gangguan jaringan", resume=False)
    clock.advance(4 * 60)
    rt.proctors.pause(s.proctor, info, None, "jaringan pulih", resume=True)
    rt.proctors.extend(s.proctor, info, "20260009", 10, HOSTILE_REASON)
    rt.proctors.incident(s.proctor, info, HOSTILE_NUMBER, "other", HOSTILE_INCIDENT)

    for number, (targets, blanks) in TARGETS.items():
        ctx = s.contexts[number]
        rt.writer.save_now(ctx.attempt_id, answers_for(rt, ctx, targets, blanks))
    clock.advance(30 * 60)
    for number in sorted(TARGETS):
        if number != "20260009":  # Joko is still answering when the session closes
            rt.scoring.submit(s.contexts[number].attempt_id, by="candidate", actor="candidate")
            clock.advance(41)
    rt.proctors.force_submit(s.proctor, info, "20260007", "peserta sakit, tidak dapat melanjutkan")
    rt.proctors.lock(s.proctor, info, "20260009", "membuka aplikasi lain")
    rt.proctors.message(s.proctor, info, None, "Sisa waktu 10 menit")
    clock.advance(10 * 60)
    rt.proctors.set_state(s.proctor, info, "closed")
    clock.advance(5 * 60)
    return s
