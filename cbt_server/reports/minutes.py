"""The session minutes (berita acara): what happened in the room, for the officials to sign.

Site, room, exam, times, proctors, attendance and every incident and proctor
action, taken from the incidents table and the audit log, and the head of
the audit chain when the session closed, which anyone holding a copy of the
log can check with ``cbt-server audit verify --file``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import Flowable, Paragraph, Spacer  # type: ignore[import-untyped]

from cbt_server.reports import layout
from cbt_server.reports.context import ReportContext
from cbt_server.reports.figures import SUBMITTED_BY
from cbt_server.reports.layout import BAD, Signatory, css, en, inert, label
from cbt_server.services.results_desk import LogEntry, SessionRecord

DOCUMENT = "Berita Acara Pelaksanaan Ujian"
_HASH = layout.style("hash", fontSize=9, leading=12, alignment=1, spaceBefore=2, spaceAfter=4)

#: Proctor actions the minutes list, in the audit log's words.
ACTIONS = {
    "session_opened": ("Sesi dibuka", "session opened"),
    "session_closed": ("Sesi ditutup", "session closed"),
    "seat_released": ("Kursi dilepas (pindah komputer)", "seat released"),
    "time_extended": ("Perpanjangan waktu", "time extended"),
    "paused": ("Ujian dijeda", "paused"),
    "resumed": ("Ujian dilanjutkan", "resumed"),
    "station_locked": ("Komputer dikunci", "station locked"),
    "unlock_code_issued": ("Kode buka kunci diberikan", "unlock code issued"),
    "force_submitted": ("Ujian diakhiri oleh pengawas", "forced submission"),
    "message_sent": ("Pesan kepada peserta", "message sent"),
    "rescored": ("Nilai dihitung ulang (anulir butir)", "re-scored after an annulment"),
}

INCIDENTS = {
    "focus_lost": "keluar dari aplikasi ujian",
    "screen_added": "layar tambahan terpasang",
    "multiple_screens": "lebih dari satu layar",
    "remote_session": "sesi jarak jauh terdeteksi",
    "not_in_kiosk": "tidak dalam mode kios",
    "station_restarted": "komputer dimulai ulang",
    "clock_skew": "jam komputer tidak sesuai",
    "other": "lainnya",
}


@dataclass(frozen=True, slots=True)
class MinutesInput:
    state: str
    duration_minutes: int
    record: SessionRecord
    #: Scored candidates and their outcome (None: ranking only).
    outcomes: Mapping[str, bool | None]


def render(ctx: ReportContext, data: MinutesInput) -> bytes:
    return layout.render(
        ctx.letterhead(DOCUMENT),
        story(ctx, data),
        title=f"{DOCUMENT} {ctx.session_code}",
    )


def story(ctx: ReportContext, data: MinutesInput) -> list[Flowable]:
    width = layout.content_width()
    rec = data.record
    names = dict(rec.proctors)
    people = {s.number: s.name for s in rec.sittings}
    held = rec.opened_ms or ctx.starts_ms
    parts: list[Flowable] = layout.title_block(
        "Berita Acara Pelaksanaan Ujian",
        "Session minutes",
        reference=ctx.reference("BA"),
    )
    if data.state != "closed":
        parts.append(
            Paragraph(
                f'<font color="{css(BAD)}"><b>SEMENTARA</b></font> — sesi belum ditutup; berita '
                "acara ini belum final. " + en("Draft: the session is not closed yet."),
                layout.BODY,
            )
        )
    parts.append(
        Paragraph(
            f"Pada hari ini, <b>{inert(layout.day(held, ctx.zone))}</b>, bertempat di "
            f"<b>{inert(ctx.site_name)}</b>, <b>{inert(ctx.room)}</b>, telah dilaksanakan "
            f"<b>{inert(ctx.exam_title)}</b> sesi <b>{inert(ctx.session_code)}</b> dengan "
            "rincian sebagai berikut.",
            layout.BODY_JUSTIFIED,
        )
    )

    # A. Conduct
    parts.append(layout.heading("A. Pelaksanaan", "Conduct of the session"))
    proctors = ", ".join(f"{name} ({user})" for user, name in rec.proctors) or "-"
    closed = layout.moment(rec.closed_ms, ctx.zone) if rec.closed_ms else "belum ditutup"
    half = width / 2
    parts.append(
        layout.pairs(
            [
                (label("Lokasi", "Site"), f"{ctx.site_name} ({ctx.site_code})"),
                (label("Ruang", "Room"), ctx.room),
                (label("Ujian", "Exam"), f"{ctx.exam_title} ({ctx.exam_code})"),
                (label("Sesi", "Session"), ctx.session_code),
                (label("Jadwal mulai", "Scheduled start"), layout.moment(ctx.starts_ms, ctx.zone)),
                (label("Durasi ujian", "Exam duration"), f"{data.duration_minutes} menit"),
                (label("Sesi dibuka", "Opened"), layout.moment(rec.opened_ms, ctx.zone)),
                (label("Sesi ditutup", "Closed"), closed),
            ],
            [28 * mm, half - 28 * mm, 28 * mm, half - 28 * mm],
        )
    )
    parts.append(
        layout.fields([(label("Pengawas", "Proctors"), proctors)], [28 * mm, width - 28 * mm])
    )

    # B. Attendance counts
    parts.append(layout.heading("B. Jumlah Peserta", "Attendance"))
    present = [s for s in rec.sittings if s.state is not None]
    finished = [s for s in rec.sittings if s.state == "submitted"]
    how: dict[str, int] = {}
    for s in finished:
        how[s.submitted_by or "-"] = how.get(s.submitted_by or "-", 0) + 1
    ways = ", ".join(f"{SUBMITTED_BY.get(k, (k, ''))[0]}: {v}" for k, v in sorted(how.items()))
    passed = sum(1 for v in data.outcomes.values() if v is True)
    failed = sum(1 for v in data.outcomes.values() if v is False)
    unranked = sum(1 for v in data.outcomes.values() if v is None)
    counts: list[tuple[Paragraph, object]] = [
        (label("Peserta terdaftar", "Registered"), _count(len(rec.sittings))),
        (label("Selesai", "Finished"), _count(len(finished))),
        (label("Hadir", "Present (logged in)"), _count(len(present))),
        (
            label("Hadir, belum selesai", "Present, not finished"),
            _count(len(present) - len(finished)),
        ),
        (label("Tidak hadir", "Absent"), _count(len(rec.sittings) - len(present))),
        (label("Memenuhi ambang batas", "Met the thresholds"), _count(passed)),
        (label("Tanpa ambang batas", "Ranking only"), _count(unranked)),
        (label("Tidak memenuhi ambang batas", "Did not meet the thresholds"), _count(failed)),
    ]
    parts.append(layout.pairs(counts, [half - 18 * mm, 18 * mm, half - 18 * mm, 18 * mm]))
    if ways:
        parts.append(Paragraph(f"Cara selesai: {inert(ways)}.", layout.SMALL))

    # C. Attendance list
    parts.append(layout.heading("C. Daftar Hadir Peserta", "Attendance list"))
    rows: list[list[object]] = [
        [
            layout.head("No.", align="right"),
            layout.head("Nomor Peserta", "Number"),
            layout.head("Nama", "Name"),
            layout.head("Komputer", "Station"),
            layout.head("Mulai", "Started", align="center"),
            layout.head("Selesai", "Finished", align="center"),
            layout.head("Keterangan", "Note"),
        ]
    ]
    for n, s in enumerate(rec.sittings, 1):
        if s.state is None:
            note = "TIDAK HADIR"
        elif s.state == "submitted":
            note = SUBMITTED_BY.get(s.submitted_by or "", (s.submitted_by or "-", ""))[0]
        elif s.state == "identity":
            note = "hadir, belum mulai"
        else:
            note = "belum selesai"
        rows.append(
            [
                layout.para(n, layout.CELL_RIGHT),
                layout.para(s.number),
                layout.para(s.name),
                layout.para(s.workstation or "-"),
                layout.para(layout.clock_time(s.started_ms, ctx.zone), layout.CELL_CENTER),
                layout.para(layout.clock_time(s.submitted_ms, ctx.zone), layout.CELL_CENTER),
                layout.para(note),
            ]
        )
    parts.append(
        layout.grid(
            rows,
            [
                9 * mm,
                22 * mm,
                width - 9 * mm - 22 * mm - 19 * mm - 2 * 18 * mm - 44 * mm,
                19 * mm,
                18 * mm,
                18 * mm,
                44 * mm,
            ],
        )
    )

    # D. Incidents
    parts.append(layout.heading("D. Kejadian Selama Ujian", "Incidents"))
    if rec.incidents:
        rows = [
            [
                layout.head("Waktu", "Time"),
                layout.head("Peserta", "Candidate"),
                layout.head("Jenis", "Kind"),
                layout.head("Keterangan", "Detail"),
                layout.head("Dilaporkan oleh", "Reported by"),
            ]
        ]
        for i in rec.incidents:
            who = "-" if i.number is None else f"{i.number} {people.get(i.number, '')}".strip()
            rows.append(
                [
                    layout.para(layout.clock_time(i.at_ms, ctx.zone)),
                    layout.para(who),
                    layout.para(f"{INCIDENTS.get(i.kind, i.kind)} ({i.kind})"),
                    layout.para(i.detail or "-"),
                    layout.para(_actor(i.reported_by, names)),
                ]
            )
        parts.append(layout.grid(rows, [18 * mm, 36 * mm, 34 * mm, width - 122 * mm, 34 * mm]))
    else:
        parts.append(
            Paragraph("Tidak ada kejadian yang dicatat. " + en("No incidents."), layout.BODY)
        )

    # E. Proctor actions
    parts.append(layout.heading("E. Tindakan Pengawas", "Proctor actions (from the audit log)"))
    actions = [e for e in rec.log if e.event in ACTIONS]
    if actions:
        rows = [
            [
                layout.head("Waktu", "Time"),
                layout.head("Oleh", "By"),
                layout.head("Tindakan", "Action"),
                layout.head("Peserta", "Candidate"),
                layout.head("Keterangan", "Detail"),
                layout.head("Audit", align="right"),
            ]
        ]
        for e in actions:
            rows.append(
                [
                    layout.para(layout.clock_time(e.at_ms, ctx.zone)),
                    layout.para(_actor(e.actor, names)),
                    layout.para(ACTIONS[e.event][0]),
                    layout.para(_target(e, people)),
                    layout.para(_detail(e)),
                    layout.para(f"#{e.seq}", layout.CELL_RIGHT),
                ]
            )
        parts.append(
            layout.grid(
                rows,
                [18 * mm, 32 * mm, 34 * mm, 32 * mm, width - 128 * mm, 12 * mm],
            )
        )
    else:
        parts.append(Paragraph("Tidak ada tindakan pengawas. " + en("No actions."), layout.BODY))

    # F. Audit chain
    parts.append(layout.heading("F. Rantai Audit", "Audit chain"))
    closing = next((e for e in reversed(rec.log) if e.event == "session_closed"), None)
    if closing is not None:
        head = (
            f"Kepala rantai audit saat sesi ditutup: entri <b>#{closing.seq}</b>, "
            f"{inert(layout.moment(closing.at_ms, ctx.zone))}, hash SHA-256:"
        )
        digest = closing.hash
    else:
        head = (
            f"Sesi belum ditutup. Kepala rantai audit saat dokumen ini dibuat: entri "
            f"<b>#{ctx.chain.seq}</b>, hash SHA-256:"
        )
        digest = ctx.chain.hash
    parts.append(Paragraph(head, layout.BODY))
    parts.append(Paragraph(f"<b>{inert(_grouped(digest))}</b>", _HASH))
    parts.append(
        Paragraph(
            "Setiap entri log audit memuat hash entri sebelumnya; mengubah, menghapus atau "
            "menyisipkan satu entri memutus rantai. Salinan log dapat diperiksa dengan "
            "<i>cbt-server audit verify --file audit-log.jsonl</i> dan harus berakhir pada hash "
            "di atas. " + en("Any copy of the log can be checked to end at this hash."),
            layout.SMALL,
        )
    )

    parts.append(Spacer(1, 3 * mm))
    parts.append(
        Paragraph(
            "Demikian berita acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana "
            "mestinya.",
            layout.BODY,
        )
    )
    signatories = [
        Signatory(f"Pengawas {n}" if len(rec.proctors) > 1 else "Pengawas", "Proctor", name)
        for n, (_, name) in enumerate(rec.proctors, 1)
    ]
    if not signatories:
        signatories.append(Signatory("Pengawas", "Proctor"))
    signed_on = rec.closed_ms or ctx.generated_ms
    signatories.append(Signatory("Koordinator Lokasi", "Site coordinator"))
    parts.append(
        layout.signatures(
            signatories,
            width,
            place_date=f"{ctx.site_name}, {layout.day(signed_on, ctx.zone)}",
            per_row=3 if len(signatories) >= 3 else 2,
        )
    )
    return parts


def _count(value: int) -> Paragraph:
    return Paragraph(f"<b>{value}</b>", layout.CELL_RIGHT)


def _grouped(hex_text: str) -> str:
    return " ".join(hex_text[i : i + 8] for i in range(0, len(hex_text), 8))


def _actor(actor: str, names: Mapping[str, str]) -> str:
    kind, _, who = actor.partition(":")
    if kind == "station":
        return f"Komputer {who}"
    if kind == "system":
        return "Sistem"
    if who in names:
        return f"{names[who]} ({who})"
    return {"admin": f"Admin {who}", "proctor": f"Pengawas {who}"}.get(kind, actor)


def _target(e: LogEntry, people: Mapping[str, str]) -> str:
    number = e.data.get("candidate")
    if number is None:
        return "-"
    if number == "*":
        return "semua peserta"
    return f"{number} {people.get(str(number), '')}".strip()


def _detail(e: LogEntry) -> str:
    d = e.data
    bits: list[str] = []
    if e.event == "time_extended":
        bits.append(f"+{d.get('minutes')} menit")
    if "reason" in d:
        bits.append(f"alasan: {d['reason']}")
    if "text" in d:
        bits.append(f"pesan: “{d['text']}”")
    if e.event in ("time_extended", "paused", "resumed") and "attempts" in d:
        bits.append(f"{d['attempts']} peserta")
    if e.event == "rescored":
        bits.append(f"butir {d.get('item')}; {d.get('why')}")
    return "; ".join(str(b) for b in bits) or "-"
