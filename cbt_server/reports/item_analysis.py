"""The item analysis report, for the committee: how every item of the session behaved.

Per item: difficulty, discrimination, point-biserial and how often each
option was chosen (with a small bar chart), and the items to review: too
easy, too hard, negative discrimination, a distractor chosen more than the
key. The statistics are ``scoring.analyse`` over the session's scored
attempts. Item ids and topics are shown; stems never are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Rect, String  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table  # type: ignore[import-untyped]

from cbt_server.reports import fonts, layout
from cbt_server.reports.context import ReportContext
from cbt_server.reports.figures import topic_name
from cbt_server.reports.layout import (
    BAD,
    BAD_SHADE,
    GOOD,
    MUTED,
    NAVY,
    RULE,
    SOFT,
    css,
    decimal,
    en,
    inert,
    label,
)
from scoring import AttemptResponses, ScoringPlan, analyse
from scoring.item_analysis import (
    MIN_CANDIDATES,
    TOO_EASY,
    TOO_HARD,
    ItemAnalysis,
    ItemStatistics,
)

DOCUMENT = "Laporan Analisis Butir Soal"

FLAGS = {
    "too_easy": ("terlalu mudah", "too easy"),
    "too_hard": ("terlalu sukar", "too hard"),
    "negative_discrimination": ("daya beda negatif", "negative discrimination"),
    "distractor_beats_key": ("pengecoh melebihi kunci", "a distractor beats the key"),
    "few_candidates": ("peserta sedikit", "few candidates"),
}
#: Flags that ask for a review of the item (``few_candidates`` is said once, above).
REVIEW = ("too_easy", "too_hard", "negative_discrimination", "distractor_beats_key")


@dataclass(frozen=True, slots=True)
class AnalysisInput:
    candidates: int
    bank_items: int
    analysis: ItemAnalysis
    annulled: frozenset[str]

    @classmethod
    def of(
        cls, plan: ScoringPlan, rows: Sequence[AttemptResponses], *, annulled: Iterable[str]
    ) -> AnalysisInput:
        return cls(
            candidates=len(rows),
            bank_items=len(plan.keys),
            analysis=analyse(plan=plan, attempts=rows),
            annulled=frozenset(annulled),
        )

    @property
    def presented(self) -> list[ItemStatistics]:
        return [s for s in self.analysis.items if s.candidates > 0]


def story(ctx: ReportContext, data: AnalysisInput) -> list[Flowable]:
    width = layout.content_width(wide=True)
    items = data.presented
    order = {section: i for i, section in enumerate(ctx.policy.section_ids)}
    review = sorted(
        (s for s in items if any(f in REVIEW for f in s.flags)),
        key=lambda s: (order.get(s.section, len(order)), s.item_id),
    )
    parts: list[Flowable] = layout.title_block(
        "Laporan Analisis Butir Soal",
        "Item analysis report · for the committee, not for publication",
        reference=ctx.reference("ANB"),
    )
    warning = Table(
        [
            [
                Paragraph(
                    f'<font color="{css(BAD)}"><b>TERBATAS — HANYA UNTUK PANITIA.</b></font> '
                    "Laporan ini memuat kode butir, topik dan kunci, tetapi tidak memuat teks "
                    "soal. "
                    + en("Restricted: committee only. Item ids, topics and keys; never stems."),
                    layout.CELL,
                )
            ]
        ],
        colWidths=[width],
    )
    warning.setStyle(
        layout.table_style(
            [("BOX", (0, 0), (-1, -1), 1, BAD), ("BACKGROUND", (0, 0), (-1, -1), BAD_SHADE)]
        )
    )
    parts.append(warning)
    parts.append(layout.heading("A. Ringkasan", "Summary"))
    counts = {flag: sum(1 for s in items if flag in s.flags) for flag in REVIEW}
    summary = layout.fields(
        [
            (
                label("Peserta dianalisis", "Candidates analysed"),
                f"{data.candidates} peserta (yang telah dinilai)",
            ),
            (
                label("Butir yang muncul", "Items presented"),
                f"{len(items)} dari {data.bank_items} butir di bank "
                "(bentuk soal diacak per peserta)",
            ),
            (
                label("Butir dianulir", "Annulled items"),
                ", ".join(sorted(data.annulled)) or "tidak ada",
            ),
            (
                label("Perlu ditinjau", "To review"),
                f"{len(review)} butir: "
                + ", ".join(f"{FLAGS[f][0]} {n}" for f, n in counts.items()),
            ),
            (
                label("Kriteria", "Criteria"),
                f"terlalu mudah: p > {decimal(TOO_EASY)}; terlalu sukar: p < {decimal(TOO_HARD)}; "
                "daya beda negatif: D < 0; pengecoh melebihi kunci: satu pilihan salah dipilih "
                "lebih sering daripada kunci",
            ),
        ],
        [46 * mm, width - 46 * mm],
    )
    parts.append(summary)
    if data.candidates < MIN_CANDIDATES:
        parts.append(
            Paragraph(
                f'<font color="{css(BAD)}"><b>Perhatian:</b></font> statistik dihitung dari '
                f"{data.candidates} peserta, kurang dari {MIN_CANDIDATES}; angka belum stabil dan "
                "hanya menjadi petunjuk awal. "
                + en(f"Fewer than {MIN_CANDIDATES} candidates: treat as indicative only."),
                layout.BODY,
            )
        )
    parts.append(
        Paragraph(
            "<b>p</b> (tingkat kesukaran): rata-rata bagian poin butir yang diperoleh peserta. "
            "<b>D</b> (daya beda): selisih p kelompok atas dan bawah (27%) menurut nilai subtes. "
            "<b>r<sub>pb</sub></b>: korelasi butir dengan sisa nilai subtesnya. Setiap statistik "
            "dihitung atas peserta yang mendapat butir itu (<b>n</b>). "
            + en("p: difficulty; D: upper-lower discrimination; r_pb: corrected point-biserial."),
            layout.SMALL,
        )
    )

    if data.analysis.sections:
        rows: list[list[object]] = [
            [
                layout.head("Subtes", "Section"),
                layout.head("Peserta", "Candidates", align="right"),
                layout.head("Butir per peserta", "Items per form", align="right"),
                layout.head("KR-20", "Reliability", align="right"),
            ]
        ]
        for r in data.analysis.sections:
            rows.append(
                [
                    layout.para(f"{r.section} · {ctx.section_name(r.section)}"),
                    layout.para(r.candidates, layout.CELL_RIGHT),
                    layout.para(r.items_per_form or "-", layout.CELL_RIGHT),
                    layout.para(decimal(r.kr20), layout.CELL_RIGHT),
                ]
            )
        parts.append(
            KeepTogether(
                [
                    layout.heading("B. Reliabilitas Subtes", "Section reliability (KR-20)"),
                    layout.grid(rows, [90 * mm, 30 * mm, 36 * mm, 30 * mm]),
                ]
            )
        )

    parts.append(layout.heading("C. Butir yang Perlu Ditinjau", "Items to review"))
    if review:
        parts.append(_table(review, data, width))
    else:
        parts.append(Paragraph("Tidak ada butir yang perlu ditinjau.", layout.BODY))

    for section in ctx.policy.section_ids:
        mine = [s for s in items if s.section == section]
        if not mine:
            continue
        parts.append(
            layout.heading(
                f"D. Rincian Butir {section} ({ctx.section_name(section)})",
                f"Every item of {section}",
            )
        )
        ordered = sorted(mine, key=lambda s: (s.topic or "", s.item_id))
        parts.append(_table(ordered, data, width))
    return parts


def _table(
    items: Sequence[ItemStatistics],
    data: AnalysisInput,
    width: float,
) -> Table:
    chart = 58 * mm
    rows: list[list[object]] = [
        [
            layout.head("Kode Butir", "Item id"),
            layout.head("Subtes", "Section"),
            layout.head("Topik", "Topic"),
            layout.head("n", "cand.", align="right"),
            layout.head("p", "kesukaran", align="right"),
            layout.head("D", "daya beda", align="right"),
            layout.head("r_pb", "korelasi", align="right"),
            layout.head("Kunci", "Key", align="center"),
            layout.head("Sebaran jawaban", "Options chosen (key green)"),
            layout.head("Catatan", "Flags"),
        ]
    ]
    extra: list[tuple[object, ...]] = []
    fixed = 30 * mm + 14 * mm + 10 * mm + 3 * 15 * mm + 13 * mm + chart + 6 + 46 * mm
    for s in items:
        flags = [FLAGS[f][0] for f in s.flags if f in REVIEW]
        if s.item_id in data.annulled:
            flags.insert(0, "DIANULIR")
        rows.append(
            [
                layout.para(s.item_id),
                layout.para(s.section, layout.CELL_CENTER),
                layout.para(topic_name(s.topic or "-")),
                layout.para(s.candidates, layout.CELL_RIGHT),
                _stat(s.difficulty, bad=any(f in s.flags for f in ("too_easy", "too_hard"))),
                _stat(s.discrimination, bad="negative_discrimination" in s.flags),
                _stat(s.point_biserial, bad=s.point_biserial is not None and s.point_biserial < 0),
                layout.para(", ".join(s.best_options), layout.CELL_CENTER),
                _chart(s, chart),
                Paragraph(
                    f'<font color="{css(BAD)}">{inert(", ".join(flags))}</font>' if flags else "-",
                    layout.CELL,
                ),
            ]
        )
        if flags:
            extra.append(("BACKGROUND", (-1, len(rows) - 1), (-1, len(rows) - 1), BAD_SHADE))
    compact = [("TOPPADDING", (0, 1), (-1, -1), 1.2), ("BOTTOMPADDING", (0, 1), (-1, -1), 1.6)]
    return layout.grid(
        rows,
        [
            30 * mm,
            14 * mm,
            width - fixed,
            10 * mm,
            15 * mm,
            15 * mm,
            15 * mm,
            13 * mm,
            chart + 6,
            46 * mm,
        ],
        extra=[*compact, *extra],
    )


def _stat(value: float | None, *, bad: bool) -> Paragraph:
    text = decimal(value)
    if bad:
        return Paragraph(f'<font color="{css(BAD)}"><b>{inert(text)}</b></font>', layout.CELL_RIGHT)
    return layout.para(text, layout.CELL_RIGHT)


def _chart(s: ItemStatistics, width: float) -> Drawing:
    """Bars of how many chose each option (and left it blank); the key's bars in green."""
    height = 17
    options = [o for o in s.option_counts if o != "blank"] + ["blank"]
    most = max(s.option_counts.values()) or 1
    key_count = max((s.option_counts.get(o, 0) for o in s.best_options), default=0)
    slot = width / len(options)
    bar = min(slot * 0.42, 14)
    base, top = 6.5, height - 0.5
    d = layout.drawing(width, height)
    d.add(Rect(0, base - 0.4, width, 0.4, fillColor=RULE, strokeColor=None))
    for i, option in enumerate(options):
        count = s.option_counts.get(option, 0)
        x = i * slot + 1
        key = option in s.best_options
        if key:
            colour = GOOD
        elif option != "blank" and count > key_count:
            colour = BAD
        elif option == "blank":
            colour = SOFT
        else:
            colour = RULE
        h = (top - base) * count / most
        if count:
            d.add(
                Rect(
                    x,
                    base,
                    bar,
                    h,
                    fillColor=colour,
                    strokeColor=MUTED if option == "blank" else None,
                    strokeWidth=0.3 if option == "blank" else 0,
                )
            )
        d.add(
            String(
                x + bar + 1.5,
                base + 0.8,
                str(count),
                fontName=fonts.REGULAR,
                fontSize=5.5,
                fillColor=MUTED,
            )
        )
        d.add(
            String(
                x + bar / 2,
                0.6,
                "–" if option == "blank" else option,
                fontName=fonts.BOLD if key else fonts.REGULAR,
                fontSize=5.8,
                fillColor=GOOD if key else NAVY,
                textAnchor="middle",
            )
        )
    return d
