"""The result slip (slip hasil): one signed page per candidate, with a QR code to verify it.

The QR code opens ``<public_url>/verify/<slip>``, where anyone can see the
signed result behind the slip code and whether the site's signature holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.barcode.qr import QrCodeWidget  # type: ignore[import-untyped]
from reportlab.graphics.shapes import Drawing  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    Flowable,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
)

from cbt_server.reports import layout
from cbt_server.reports.context import ReportContext
from cbt_server.reports.figures import ScoreFigures, outcome_words, passed_words, submitted_words
from cbt_server.reports.layout import (
    BAD,
    BAD_SHADE,
    GOOD,
    GOOD_SHADE,
    NAVY,
    NEUTRAL_SHADE,
    SOFT,
    Signatory,
    css,
    en,
    inert,
    label,
    number,
)

DOCUMENT = "Slip Hasil Ujian"
_NOTE = layout.style("slip-note", fontSize=8.5, leading=11.5, spaceAfter=2)


@dataclass(frozen=True, slots=True)
class SlipInput:
    number: str
    name: str
    birth_date: str
    formation: str
    track: str
    figures: ScoreFigures
    slip: str
    revision: int
    submitted_ms: int | None
    submitted_by: str | None
    scored_ms: int
    signature: str
    signature_valid: bool
    verify_url: str


def verify_url(public_url: str, slip: str) -> str:
    return f"{public_url.rstrip('/')}/verify/{slip}"


def qr_code(value: str, size: float) -> Drawing:
    widget = QrCodeWidget(value, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = layout.drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def story(ctx: ReportContext, slips: Sequence[SlipInput]) -> list[Flowable]:
    out: list[Flowable] = []
    for index, slip in enumerate(slips):
        if index:
            out.append(PageBreak())
        out += _one(ctx, slip)
    return out


def _one(ctx: ReportContext, s: SlipInput) -> list[Flowable]:
    width = layout.content_width()
    parts: list[Flowable] = [layout.PageGroup(s.number)]
    parts += layout.title_block(
        "Slip Hasil Ujian", f"Result slip · {ctx.exam_title}", reference=s.slip
    )

    submitted = layout.moment(s.submitted_ms or s.scored_ms, ctx.zone)
    how = submitted_words(s.submitted_by)
    identity = layout.fields(
        [
            (label("Nomor Peserta", "Participant number"), _strong(s.number)),
            (label("Nama", "Name"), _strong(s.name)),
            (label("Tanggal Lahir", "Date of birth"), layout.date_text(s.birth_date)),
            (label("Formasi", "Position"), s.formation),
            (label("Jalur", "Track"), ctx.track_name(s.track)),
            (label("Sesi / Ruang", "Session / room"), f"{ctx.session_code} · {ctx.room}"),
            (label("Selesai", "Submitted"), f"{submitted} ({how})"),
        ],
        [38 * mm, width - 38 * mm - 56 * mm],
    )
    qr = [
        qr_code(s.verify_url, 38 * mm),
        Paragraph(f"<b>{inert(s.slip)}</b>", _center(11)),
        Paragraph(f"Kode slip {en('Slip code')}", _center(7.5)),
        Spacer(1, 1.5 * mm),
        Paragraph(f"Pindai untuk verifikasi<br/>{en('Scan to verify')}", _center(7)),
    ]
    top = Table([[identity, qr]], colWidths=[width - 56 * mm, 56 * mm])
    top.setStyle(
        layout.table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), 0),
                ("TOPPADDING", (0, 0), (0, 0), 0),
                ("BOTTOMPADDING", (0, 0), (0, 0), 0),
                ("ALIGN", (1, 0), (1, 0), "CENTER"),
                ("BOX", (1, 0), (1, 0), 0.8, NAVY),
                ("BACKGROUND", (1, 0), (1, 0), SOFT),
                ("TOPPADDING", (1, 0), (1, 0), 4),
            ]
        )
    )
    parts += [top, layout.heading("Nilai per Subtes", "Scores by section")]
    parts.append(_scores(ctx, s.figures, width))
    parts.append(Spacer(1, 3.5 * mm))
    parts.append(_outcome(s.figures, width))
    parts.append(Spacer(1, 3 * mm))

    validity = (
        "<b>SAH</b> (valid)"
        if s.signature_valid
        else f'<b><font color="{css(BAD)}">TIDAK SAH</font></b> (invalid)'
    )
    note = (
        "Slip ini dicetak dari catatan nilai yang tersimpan di server lokasi, catatan yang sama "
        "dengan yang tampil di layar peserta dan papan hasil. Catatan itu ditandatangani secara "
        "elektronik (Ed25519) oleh server lokasi. Keaslian slip dapat diperiksa siapa pun dengan "
        f"memindai kode QR atau membuka <b>{inert(s.verify_url)}</b>. "
        f"Status tanda tangan saat dicetak: {validity}. "
        f"{en('This slip prints the stored, signed result; scan the QR code to verify it.')}"
    )
    parts.append(Paragraph(note, _NOTE))
    parts.append(
        Paragraph(
            f"Tanda tangan elektronik / Signature: {inert(_grouped(s.signature[:48]))} …",
            layout.SMALL,
        )
    )
    if s.revision > 1:
        parts.append(
            Paragraph(
                f"<b>Revisi {s.revision}</b>: nilai dihitung ulang setelah pembatalan (anulir) "
                f"butir soal; slip sebelumnya tidak berlaku. "
                f"{en('Revised after an item was annulled; earlier slips are void.')}",
                layout.BODY,
            )
        )
    proctor = ctx.proctors[0] if len(ctx.proctors) == 1 else None
    parts.append(
        layout.signatures(
            [
                Signatory("Peserta", "Candidate", s.name, f"No. Peserta {s.number}"),
                Signatory(
                    "Pengawas Ujian", "Proctor", proctor, "NIP. ............................"
                ),
            ],
            width,
            place_date=f"{ctx.site_name}, {layout.day(ctx.generated_ms, ctx.zone)}",
        )
    )
    return parts


def _scores(ctx: ReportContext, f: ScoreFigures, width: float) -> Table:
    rows: list[list[object]] = [
        [
            layout.head("Subtes", "Section"),
            layout.head("Nilai", "Score", align="right"),
            layout.head("Maks.", "Max", align="right"),
            layout.head("Ambang Batas", "Threshold", align="right"),
            layout.head("Benar / Soal", "Correct / items", align="center"),
            layout.head("Keterangan", "Result", align="center"),
        ]
    ]
    extra: list[tuple[object, ...]] = []
    for s in f.sections:
        rows.append(
            [
                Paragraph(
                    f"<b>{inert(s.section)}</b> &nbsp;{inert(ctx.section_name(s.section))}",
                    layout.CELL,
                ),
                Paragraph(f"<b>{number(s.score)}</b>", layout.CELL_RIGHT),
                layout.para(number(s.max), layout.CELL_RIGHT),
                layout.para(number(s.threshold), layout.CELL_RIGHT),
                layout.para(f"{s.correct} / {s.items}", layout.CELL_CENTER),
                _verdict(s.passed),
            ]
        )
    total_passed = None if f.total_threshold is None else f.total >= f.total_threshold
    rows.append(
        [
            Paragraph("<b>TOTAL</b>", layout.CELL),
            Paragraph(f"<b>{number(f.total)}</b>", layout.CELL_RIGHT),
            Paragraph(f"<b>{number(f.max_total)}</b>", layout.CELL_RIGHT),
            layout.para(number(f.total_threshold), layout.CELL_RIGHT),
            layout.para("", layout.CELL_CENTER),
            _verdict(total_passed),
        ]
    )
    extra.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), layout.SHADE))
    extra.append(("LINEABOVE", (0, len(rows) - 1), (-1, len(rows) - 1), 0.9, NAVY))
    return layout.grid(
        rows,
        [width - 121 * mm, 17 * mm, 17 * mm, 24 * mm, 27 * mm, 36 * mm],
        extra=extra,
    )


def _verdict(passed: bool | None) -> Paragraph:
    colour = {True: GOOD, False: BAD, None: NAVY}[passed]
    return Paragraph(
        f'<font color="{css(colour)}"><b>{inert(passed_words(passed))}</b></font>',
        layout.CELL_CENTER,
    )


def _outcome(f: ScoreFigures, width: float) -> Table:
    words_id, words_en = outcome_words(f.passed)
    colour, shade = {
        True: (GOOD, GOOD_SHADE),
        False: (BAD, BAD_SHADE),
        None: (NAVY, NEUTRAL_SHADE),
    }[f.passed]
    reasons = "<br/>".join(
        f"•&nbsp;{inert(r.text_id)}"
        for r in f.reasons
        if r.code not in ("outcome_pass", "outcome_fail")
    )
    text = (
        f'<font size="7.5" color="#5B6573">HASIL / OUTCOME</font><br/>'
        f'<font size="12" color="{css(colour)}"><b>{inert(words_id)}</b></font>'
        f"<br/>{en(words_en)}"
    )
    body = Paragraph(text, _center(9, leading=15))
    detail = Paragraph(f'<font size="8">{reasons}</font>', layout.CELL)
    table = Table([[body, detail]], colWidths=[width * 0.5, width * 0.5])
    table.setStyle(
        layout.table_style(
            [
                ("BOX", (0, 0), (-1, -1), 1.4, colour),
                ("BACKGROUND", (0, 0), (0, 0), shade),
                ("LINEAFTER", (0, 0), (0, 0), 0.5, colour),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LEFTPADDING", (1, 0), (1, 0), 8),
            ]
        )
    )
    return table


def _strong(text: str) -> Paragraph:
    return Paragraph(f"<b>{inert(text)}</b>", layout.CELL)


def _center(size: float, *, leading: float | None = None) -> Any:
    return layout.style(f"center-{size}", fontSize=size, leading=leading or size * 1.3, alignment=1)


def _grouped(hex_text: str) -> str:
    return " ".join(hex_text[i : i + 8] for i in range(0, len(hex_text), 8))
