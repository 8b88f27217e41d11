"""The ranking report of a formation: the order, the tie groups, the quota line and why.

The ranking itself is ``scoring.rank`` over the session's committed results
(the same as ``cbt-server rank`` prints). For every pair of neighbours the
report says which rule of the policy's order separated them, or that they
are tied on every rule and share a place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import Flowable, PageBreak, Paragraph  # type: ignore[import-untyped]

from cbt_server.reports import layout
from cbt_server.reports.context import ReportContext
from cbt_server.reports.figures import ScoreFigures
from cbt_server.reports.layout import BAD, BAD_SHADE, NAVY, SOFT, Signatory, css, en, inert, label
from scoring.numbers import exact

DOCUMENT = "Daftar Peringkat per Formasi"
TOTAL = "total"


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    track: str
    figures: ScoreFigures


@dataclass(frozen=True, slots=True)
class FormationInput:
    formation: str
    vacancies: int | None
    #: ``ResultsDesk.ranking`` (the JSON form of ``scoring.rank``).
    ranking: Mapping[str, object]
    people: Mapping[str, Person]


def story(ctx: ReportContext, formations: Sequence[FormationInput]) -> list[Flowable]:
    out: list[Flowable] = []
    for index, f in enumerate(formations):
        if index:
            out.append(PageBreak())
        out += _one(ctx, f)
    return out


def _criterion(name: str) -> str:
    return "Total" if name == TOTAL else name


def _list(value: object) -> list[Mapping[str, object]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _one(ctx: ReportContext, f: FormationInput) -> list[Flowable]:
    width = layout.content_width()
    r = f.ranking
    raw_order = r.get("order")
    order = [str(c) for c in raw_order] if isinstance(raw_order, list) else []
    quota = r.get("quota")
    ranked = _list(r.get("ranked"))
    not_ranked = _list(r.get("not_ranked"))
    sections = list(ctx.policy.section_ids)
    parts: list[Flowable] = [layout.PageGroup(f.formation)]
    parts += layout.title_block(
        "Daftar Peringkat Hasil Ujian per Formasi",
        "Ranking report by position (formasi)",
        reference=ctx.reference("PRG"),
    )
    chain = " → ".join(_criterion(c) for c in order)
    if isinstance(quota, int) and f.vacancies is not None:
        quota_text = (
            f"{quota} peserta ({ctx.policy.ranking.quota_per_vacancy} × {f.vacancies} formasi)"
        )
    elif isinstance(quota, int):
        quota_text = f"{quota} peserta"
    else:
        quota_text = "tidak ditentukan"
    half = width / 2
    parts.append(
        layout.fields(
            [
                (
                    label("Formasi", "Position"),
                    Paragraph(f"<b>{inert(f.formation)}</b>", layout.CELL),
                ),
                (label("Urutan penentuan", "Ranking order"), chain),
            ],
            [38 * mm, width - 38 * mm],
        )
    )
    parts.append(
        layout.pairs(
            [
                (
                    label("Jumlah formasi", "Vacancies"),
                    "tidak diberikan" if f.vacancies is None else str(f.vacancies),
                ),
                (label("Diperingkat", "Ranked"), f"{len(ranked)} peserta"),
                (label("Kuota lanjut", "Quota to go on"), quota_text),
                (label("Tidak diperingkat", "Not ranked"), f"{len(not_ranked)} peserta"),
            ],
            [38 * mm, half - 38 * mm, 34 * mm, half - 34 * mm],
        )
    )
    parts.append(layout.heading("Peringkat", "Ranking"))
    parts.append(_table(ctx, f, ranked, order, sections, quota, width))
    parts.append(
        Paragraph(
            f"Peserta diurutkan menurut {inert(chain)}; nilai yang lebih tinggi di depan. Kolom "
            "<i>Pemisah</i> menyebut aturan pertama yang membedakan seorang peserta dari peserta "
            "di bawahnya. Peserta yang sama pada semua aturan membentuk kelompok seri dan "
            "berbagi peringkat; kelompok seri yang melewati garis kuota lanjut seluruhnya. "
            + en(
                "'Separated by' names the first rule that separates a candidate from the next; "
                "candidates equal on every rule are tied, share a place and go on together."
            ),
            layout.SMALL,
        )
    )
    if not_ranked:
        parts.append(layout.heading("Tidak Diperingkat", "Not ranked"))
        rows: list[list[object]] = [
            [
                layout.head("Nomor Peserta", "Number"),
                layout.head("Nama", "Name"),
                layout.head("Jalur", "Track"),
                layout.head("Total", align="right"),
                layout.head("Alasan", "Reason"),
            ]
        ]
        for e in not_ranked:
            number = str(e.get("candidate"))
            person = f.people.get(number)
            shortfalls = (
                [
                    r.text_id
                    for r in person.figures.reasons
                    if r.code in ("section_below_threshold", "total_below_threshold")
                ]
                if person
                else []
            )
            reason = "Tidak memenuhi ambang batas jalurnya" + (
                f": {'; '.join(shortfalls)}" if shortfalls else ""
            )
            rows.append(
                [
                    layout.para(number),
                    layout.para(person.name if person else "-"),
                    layout.para(ctx.track_name(str(e.get("track")))),
                    layout.para(_value(e.get("total")), layout.CELL_RIGHT),
                    layout.para(reason),
                ]
            )
        parts.append(layout.grid(rows, [22 * mm, 40 * mm, 26 * mm, 14 * mm, width - 102 * mm]))
    parts.append(
        layout.signatures(
            [
                Signatory("Panitia Pelaksana", "Organising committee"),
                Signatory("Koordinator Lokasi", "Site coordinator"),
            ],
            width,
            place_date=f"{ctx.site_name}, {layout.day(ctx.generated_ms, ctx.zone)}",
        )
    )
    return parts


def _value(value: object) -> str:
    if value is None:
        return "-"
    try:
        return layout.number(exact(value, what="score"))
    except ValueError:
        return str(value)


def _separation(entry: Mapping[str, object], order: Sequence[str]) -> tuple[str, str]:
    """(Indonesian, English) for what separates ``entry`` from the next one."""
    sep = entry.get("separated_from_next_by")
    if not isinstance(sep, Mapping):
        return "-", ""
    rule = str(sep.get("rule"))
    if rule == "tie":
        return "SERI: sama pada semua aturan", "tied on every rule"
    above, below = _value(sep.get("above")), _value(sep.get("below"))
    equal = order[: order.index(rule)] if rule in order else []
    if not equal:
        return f"{_criterion(rule)} {above} > {below}", f"{_criterion(rule)} higher"
    same = ", ".join(_criterion(c) for c in equal)
    return (
        f"{same} sama; {_criterion(rule)} {above} > {below}",
        f"tie-break on {_criterion(rule)}",
    )


def _table(
    ctx: ReportContext,
    f: FormationInput,
    ranked: Sequence[Mapping[str, object]],
    order: Sequence[str],
    sections: Sequence[str],
    quota: object,
    width: float,
) -> Flowable:
    head = [
        layout.head("Per.", "Rank", align="right"),
        layout.head("Nomor Peserta", "Number"),
        layout.head("Nama / Jalur", "Name / track"),
        *[layout.head(s, align="right") for s in sections],
        layout.head("Total", align="right"),
        layout.head("Seri", "Tie", align="center"),
        layout.head("Pemisah dengan berikutnya", "Separated from the next by"),
    ]
    fixed = 10 * mm + 20 * mm + len(sections) * 11 * mm + 13 * mm + 10 * mm + 48 * mm
    widths = [
        10 * mm,
        20 * mm,
        width - fixed,
        *[11 * mm] * len(sections),
        13 * mm,
        10 * mm,
        48 * mm,
    ]
    blank: list[object] = [""] * (len(head) - 1)
    rows: list[list[object]] = [head]
    extra: list[tuple[object, ...]] = []
    last_inside = max(
        (i for i, e in enumerate(ranked) if e.get("within_quota") and isinstance(quota, int)),
        default=None,
    )
    for i, e in enumerate(ranked):
        number = str(e.get("candidate"))
        person = f.people.get(number)
        scores = e.get("sections")
        by_section = scores if isinstance(scores, Mapping) else {}
        tie = e.get("tie_group")
        sep_id, sep_en = _separation(e, order)
        shown = inert(sep_id)
        if sep_id.startswith("SERI"):
            shown = f'<font color="{css(NAVY)}"><b>{shown}</b></font>'
        rows.append(
            [
                Paragraph(f"<b>{inert(e.get('position'))}</b>", layout.CELL_RIGHT),
                layout.para(number),
                Paragraph(
                    f"<b>{inert(person.name if person else '-')}</b><br/>"
                    f'<font size="7" color="#5B6573">'
                    f"{inert(ctx.track_name(str(e.get('track'))))}</font>",
                    layout.CELL,
                ),
                *[layout.para(_value(by_section.get(s)), layout.CELL_RIGHT) for s in sections],
                Paragraph(f"<b>{inert(_value(e.get('total')))}</b>", layout.CELL_RIGHT),
                layout.para("-" if tie is None else tie, layout.CELL_CENTER),
                Paragraph(shown + (f"<br/>{en(sep_en)}" if sep_en else ""), layout.CELL),
            ]
        )
        row = len(rows) - 1
        if tie is not None:
            extra.append(("BACKGROUND", (0, row), (-1, row), SOFT))
        if i == last_inside:
            rows.append([_quota_line(quota, below=i + 1 < len(ranked)), *blank])
            extra += _line_style(len(rows) - 1)
    if not ranked:
        rows.append([Paragraph("Tidak ada peserta yang diperingkat.", layout.CELL), *blank])
        extra.append(("SPAN", (0, 1), (-1, 1)))

    return layout.grid(rows, widths, extra=extra)


def _quota_line(quota: object, *, below: bool) -> Paragraph:
    tail = (
        "peserta di bawah garis ini tidak melanjutkan."
        if below
        else "semua peserta yang diperingkat berada di atas garis."
    )
    return Paragraph(
        f'<font color="{css(BAD)}"><b>GARIS KUOTA ({inert(quota)})</b></font> — peserta di atas '
        f"garis (termasuk kelompok seri yang melewatinya) lanjut ke tahap berikutnya; {tail} "
        + en("Quota line."),
        layout.CELL,
    )


def _line_style(row: int) -> list[tuple[object, ...]]:
    return [
        ("SPAN", (0, row), (-1, row)),
        ("LINEABOVE", (0, row), (-1, row), 1.8, BAD),
        ("LINEBELOW", (0, row), (-1, row), 1.8, BAD),
        ("BACKGROUND", (0, row), (-1, row), BAD_SHADE),
    ]
