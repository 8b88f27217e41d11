"""The candidate feedback report: what the score means and what to improve.

Written above all for candidates who did not meet the thresholds: it says in
plain words why, by how much, which sections and topics cost the most
points, how each topic compares with the session's average, and where to
start. Every figure comes from the candidate's committed report and the
committed reports of the session; no item, stem or key is shown.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect  # type: ignore[import-untyped]
from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Table,
)

from cbt_server.reports import layout
from cbt_server.reports.context import ReportContext
from cbt_server.reports.figures import (
    ScoreFigures,
    SectionFigures,
    TopicFigures,
    outcome_words,
    topic_name,
)
from cbt_server.reports.layout import (
    BAD,
    BAD_SHADE,
    GOOD,
    GOOD_SHADE,
    NAVY,
    NEUTRAL_SHADE,
    RULE,
    SHADE,
    SOFT,
    css,
    decimal,
    en,
    inert,
    label,
    number,
    percent,
)
from scoring.numbers import Number
from scoring.policy import KeyRule, KeyRuleKind, Policy

DOCUMENT = "Laporan Umpan Balik Peserta"
MARKER = colors.HexColor("#C2410C")
#: How many topics the "cost the most" list names.
WORST_TOPICS = 5


@dataclass(frozen=True, slots=True)
class FeedbackInput:
    number: str
    name: str
    formation: str
    track: str
    slip: str
    figures: ScoreFigures


@dataclass(frozen=True, slots=True)
class Averages:
    """The session's averages over its scored candidates, exact until printed."""

    candidates: int
    sections: Mapping[str, Fraction]
    section_shares: Mapping[str, Fraction]
    topics: Mapping[tuple[str, str], Fraction]

    @classmethod
    def of(cls, everyone: Sequence[ScoreFigures]) -> Averages:
        scores: dict[str, list[Fraction]] = {}
        shares: dict[str, list[Fraction]] = {}
        topics: dict[tuple[str, str], list[Fraction]] = {}
        for f in everyone:
            for s in f.sections:
                scores.setdefault(s.section, []).append(Fraction(s.score))
                if s.share is not None:
                    shares.setdefault(s.section, []).append(s.share)
                for t in s.topics:
                    if t.share is not None:
                        topics.setdefault((s.section, t.topic), []).append(t.share)

        def mean(values: list[Fraction]) -> Fraction:
            return sum(values, Fraction(0)) / len(values)

        return cls(
            candidates=len(everyone),
            sections={k: mean(v) for k, v in scores.items()},
            section_shares={k: mean(v) for k, v in shares.items()},
            topics={k: mean(v) for k, v in topics.items()},
        )


def story(ctx: ReportContext, people: Sequence[FeedbackInput], avg: Averages) -> list[Flowable]:
    out: list[Flowable] = []
    for index, person in enumerate(people):
        if index:
            out.append(PageBreak())
        out += _one(ctx, person, avg)
    return out


def _one(ctx: ReportContext, p: FeedbackInput, avg: Averages) -> list[Flowable]:
    width = layout.content_width()
    f = p.figures
    words_id, words_en = outcome_words(f.passed)
    colour = {True: GOOD, False: BAD, None: NAVY}[f.passed]
    parts: list[Flowable] = [layout.PageGroup(p.number)]
    parts += layout.title_block(
        "Laporan Umpan Balik Hasil Ujian",
        "Candidate feedback report · what the score means and what to improve",
        reference=p.slip,
    )
    half = width / 2
    identity = Table(
        [
            [
                label("Nomor Peserta", "Participant number"),
                layout.para(p.number),
                label("Nama", "Name"),
                Paragraph(f"<b>{inert(p.name)}</b>", layout.CELL),
            ],
            [
                label("Formasi", "Position"),
                layout.para(p.formation),
                label("Jalur", "Track"),
                layout.para(ctx.track_name(p.track)),
            ],
            [
                label("Total Nilai", "Total score"),
                Paragraph(f"<b>{number(f.total)}</b> dari {number(f.max_total)}", layout.CELL),
                label("Hasil", "Outcome"),
                Paragraph(
                    f'<font color="{css(colour)}"><b>{inert(words_id)}</b></font>', layout.CELL
                ),
            ],
        ],
        colWidths=[32 * mm, half - 32 * mm, 24 * mm, half - 24 * mm],
        hAlign="LEFT",
    )
    identity.setStyle(
        layout.table_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.3, RULE),
                ("BOX", (0, 0), (-1, -1), 0.8, NAVY),
                ("BACKGROUND", (0, 0), (0, -1), SOFT),
                ("BACKGROUND", (2, 0), (2, -1), SOFT),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    parts.append(identity)

    parts.append(layout.heading("1. Penjelasan Hasil", "Your outcome, explained"))
    box = [Paragraph(text, layout.BODY_JUSTIFIED) for text in _explain(ctx, p)]
    box.append(Paragraph(en(words_en), layout.BODY))
    shade = {True: GOOD_SHADE, False: BAD_SHADE, None: NEUTRAL_SHADE}[f.passed]
    framed = Table([[box]], colWidths=[width])
    framed.setStyle(
        layout.table_style(
            [
                ("BOX", (0, 0), (-1, -1), 1.1, colour),
                ("BACKGROUND", (0, 0), (-1, -1), shade),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    parts.append(framed)

    parts.append(
        layout.heading("2. Nilai per Subtes dan Rata-rata Sesi", "Sections against the session")
    )
    parts.append(_sections(ctx, f, avg, width))

    parts.append(layout.heading("3. Capaian per Topik", "Share of points earned, by topic"))
    parts.append(
        Paragraph(
            "Capaian = bagian poin topik yang Anda peroleh. Batang biru: capaian Anda; "
            f'garis <font color="{css(MARKER)}"><b>jingga</b></font>: rata-rata sesi. '
            + en("Blue bar: your share; orange line: the session average."),
            layout.SMALL,
        )
    )
    parts.append(_topics(ctx, f, avg, width))

    parts.append(
        KeepTogether(
            [
                layout.heading(
                    "4. Bagian yang Paling Mengurangi Nilai", "Where most points were lost"
                ),
                *[Paragraph(t, layout.BODY) for t in _losses(f, avg)],
            ]
        )
    )
    parts.append(
        KeepTogether(
            [
                layout.heading("5. Yang Perlu Ditingkatkan", "What to improve"),
                *[Paragraph(f"•&nbsp;&nbsp;{t}", layout.BULLET) for t in _advice(ctx, f, avg)],
            ]
        )
    )
    parts.append(
        Paragraph(
            f"Rata-rata sesi dihitung dari {avg.candidates} peserta sesi "
            f"{inert(ctx.session_code)} yang telah dinilai. Laporan ini tidak memuat soal "
            "maupun kunci jawaban. Bila Anda meragukan hasil ini, ajukan sanggahan pada masa "
            f"sanggah dengan menyebut kode slip <b>{inert(p.slip)}</b>. "
            + en(
                "Session averages are over the session's scored candidates. No item or key is "
                "shown. To object, quote the slip code during the objection period."
            ),
            layout.SMALL,
        )
    )
    return parts


# ---------------------------------------------------------------- words


def _rule_words(policy: Policy, track_id: str) -> str:
    track = policy.tracks.get(track_id)
    if track is None or not track.thresholds:
        return ""
    names = [
        ("total" if name == "total" else name, minimum)
        for name, minimum in track.thresholds.items()
    ]
    listed = _join([f"{inert(n)} minimal {number(m)}" for n, m in names])
    if all(n != "total" for n, _ in names):
        return (
            f"setiap subtes harus mencapai batas minimumnya ({listed}); satu subtes saja di "
            "bawah batasnya membuat hasil tidak memenuhi ambang batas"
        )
    return f"semua syarat berikut harus dipenuhi: {listed}"


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " dan " + items[-1]


def _key_rule(policy: Policy, section_id: str) -> KeyRule | None:
    for section in policy.sections:
        if section.id == section_id:
            return section.key_rule
    return None


def _per_answer(policy: Policy, section_id: str, gap: float) -> str:
    """How many more right answers (or better choices) close a gap, per the section's rule."""
    rule = _key_rule(policy, section_id)
    if rule is None:
        return ""
    if rule.kind is KeyRuleKind.RIGHT_WRONG and rule.points:
        more = math.ceil(gap / float(rule.points))
        return (
            f" Setiap jawaban benar bernilai {number(rule.points)} poin, jadi kekurangan ini "
            f"setara dengan <b>{more} jawaban benar lagi</b>."
        )
    if rule.kind is KeyRuleKind.WEIGHTED and rule.weights:
        low, high = min(rule.weights), max(rule.weights)
        return (
            f" Setiap soal bernilai {number(low)} sampai {number(high)} poin menurut pilihan "
            "Anda (kosong bernilai 0); memilih tindakan yang lebih tepat menutup kekurangan ini."
        )
    return ""


def _explain(ctx: ReportContext, p: FeedbackInput) -> list[str]:
    f = p.figures
    track = inert(ctx.track_name(p.track))
    out: list[str] = []
    if f.passed is None:
        out.append(
            f"Jalur <b>{track}</b> tidak memiliki ambang batas. Nilai Anda, <b>{number(f.total)}"
            f"</b> dari {number(f.max_total)}, dipakai untuk menentukan peringkat dalam formasi "
            "Anda."
        )
        return out
    rule = _rule_words(ctx.policy, p.track)
    if f.passed:
        quota = ctx.policy.ranking.quota_per_vacancy
        out.append(
            f"Hasil Anda <b>memenuhi ambang batas</b> jalur <b>{track}</b>: {rule}. Ini belum "
            "berarti lulus seleksi. Peserta yang memenuhi ambang batas diurutkan menurut total "
            f"nilai dalam formasi yang sama, dan paling banyak {quota} kali jumlah formasi "
            "melanjutkan ke tahap berikutnya (SKB)."
        )
        out.append(
            "Bagian 3 sampai 5 menunjukkan topik di mana nilai Anda masih dapat ditingkatkan."
        )
        return out
    out.append(
        f"Hasil Anda <b>belum memenuhi ambang batas</b> jalur <b>{track}</b>. Pada jalur ini "
        f"{rule}. Berikut bagian yang belum tercapai:"
    )
    for s in sorted(f.sections, key=lambda s: -(s.gap or 0)):
        if s.gap is None:
            continue
        out.append(
            f"<b>{inert(s.section)}</b> ({inert(ctx.section_name(s.section))}): nilai Anda "
            f"{number(s.score)}, <b>kurang {number(s.gap)} poin</b> dari ambang batas "
            f"{number(s.threshold)}.{_per_answer(ctx.policy, s.section, float(s.gap))}"
        )
    if f.total_gap is not None:
        out.append(
            f"<b>Total</b>: nilai Anda {number(f.total)}, <b>kurang {number(f.total_gap)} poin"
            f"</b> dari ambang batas total {number(f.total_threshold)}."
        )
    met = [
        f"{inert(s.section)} ({number(s.score)} ≥ {number(s.threshold)})"
        for s in f.sections
        if s.threshold is not None and s.gap is None
    ]
    if met:
        out.append(f"Yang sudah memenuhi ambang batas: {_join(met)}.")
    return out


def _losses(f: ScoreFigures, avg: Averages) -> list[str]:
    lost = f.max_total - f.total
    by_section = sorted(f.sections, key=lambda s: -s.lost)
    listed = _join([f"{inert(s.section)} {number(s.lost)}" for s in by_section])
    out = [
        f"Dari {number(f.max_total)} poin yang mungkin, Anda tidak memperoleh "
        f"<b>{number(lost)} poin</b>: {listed}."
    ]
    topics = sorted(
        ((s, t) for s in f.sections for t in s.topics),
        key=lambda st: (-st[1].lost, st[1].share or 0),
    )[:WORST_TOPICS]
    if topics:
        out.append("Topik dengan poin hilang terbanyak:")
        for rank, (s, t) in enumerate(topics, 1):
            average = avg.topics.get((s.section, t.topic))
            out.append(
                f"&nbsp;&nbsp;{rank}. <b>{inert(topic_name(t.topic))}</b> ({inert(s.section)}): "
                f"{number(t.lost)} dari {number(t.max)} poin hilang; capaian "
                f"{percent(t.share)}, rata-rata sesi {percent(average)}."
            )
    return out


def _advice(ctx: ReportContext, f: ScoreFigures, avg: Averages) -> list[str]:
    out: list[str] = []
    short = [s for s in f.sections if s.gap is not None]
    for s in sorted(short, key=lambda s: -(s.gap or 0)):
        weakest = _weakest(s, 2)
        out.append(
            f"<b>Utamakan {inert(s.section)}</b> ({inert(ctx.section_name(s.section))}): "
            f"tambah sedikitnya {number(s.gap)} poin. Mulailah dari "
            f"{_join([_topic_words(s, t, avg) for t in weakest])}, "
            "di mana capaian Anda paling rendah."
        )
    if f.total_gap is not None and not short:
        weakest_section = min(f.sections, key=lambda s: s.share or 0)
        out.append(
            f"<b>Naikkan total</b> sedikitnya {number(f.total_gap)} poin; ruang terbesar ada "
            f"pada {inert(weakest_section.section)} (capaian {percent(weakest_section.share)})."
        )
    below = [
        (s, t)
        for s in f.sections
        for t in s.topics
        if s.gap is None
        and t.share is not None
        and avg.topics.get((s.section, t.topic), 0) - t.share > 0.05
    ]
    if below:
        below.sort(key=lambda st: st[1].share or 0)
        out.append(
            "Topik di bawah rata-rata sesi yang patut dilatih: "
            + _join([_topic_words(s, t, avg) for s, t in below[:4]])
            + "."
        )
    blank = sum(s.blank for s in f.sections)
    if blank:
        where = _join([f"{inert(s.section)} {s.blank}" for s in f.sections if s.blank])
        out.append(
            f"<b>Jawab semua soal.</b> Anda mengosongkan {blank} soal ({where}). Jawaban kosong "
            "bernilai 0, sedangkan jawaban yang salah tidak mengurangi nilai; pada subtes "
            "berbobot setiap pilihan bahkan tetap bernilai."
        )
    for s in f.sections:
        rule = _key_rule(ctx.policy, s.section)
        if rule is not None and rule.kind is KeyRuleKind.WEIGHTED and (s.share or 0) < 0.9:
            out.append(
                f"Pada <b>{inert(s.section)}</b> tidak ada jawaban yang salah, tetapi ada yang "
                "paling tepat: setiap pilihan bernilai "
                f"{number(min(rule.weights))} sampai {number(max(rule.weights))}. Capaian Anda "
                f"{percent(s.share)} dari nilai maksimum (rata-rata sesi "
                f"{percent(avg.section_shares.get(s.section))}). Latih cara memilih tindakan "
                "yang paling sesuai dengan situasi kerja yang dijelaskan soal."
            )
    if not out:
        out.append(
            "Capaian Anda merata dan di atas rata-rata sesi pada setiap topik. Pertahankan cara "
            "belajar Anda."
        )
    return out


def _weakest(s: SectionFigures, count: int) -> list[TopicFigures]:
    return sorted(s.topics, key=lambda t: (t.share or 0, -t.lost))[:count]


def _topic_words(s: SectionFigures, t: TopicFigures, avg: Averages) -> str:
    average = avg.topics.get((s.section, t.topic))
    return (
        f"<b>{inert(topic_name(t.topic))}</b> (capaian {percent(t.share)}, "
        f"rata-rata sesi {percent(average)})"
    )


# ---------------------------------------------------------------- tables


def _sections(ctx: ReportContext, f: ScoreFigures, avg: Averages, width: float) -> Table:
    rows: list[list[object]] = [
        [
            layout.head("Subtes", "Section"),
            layout.head("Nilai Anda", "Your score", align="right"),
            layout.head("Maks.", "Max", align="right"),
            layout.head("Ambang", "Threshold", align="right"),
            layout.head("Selisih ambang", "Against threshold", align="right"),
            layout.head("Rata-rata sesi", "Session average", align="right"),
            layout.head("Poin hilang", "Points lost", align="right"),
        ]
    ]
    for s in f.sections:
        against = "-" if s.threshold is None else _signed_points(s.score - s.threshold)
        colour = BAD if s.passed is False else (GOOD if s.passed else NAVY)
        rows.append(
            [
                Paragraph(
                    f"<b>{inert(s.section)}</b> {inert(ctx.section_name(s.section))}", layout.CELL
                ),
                Paragraph(f"<b>{number(s.score)}</b>", layout.CELL_RIGHT),
                layout.para(number(s.max), layout.CELL_RIGHT),
                layout.para(number(s.threshold), layout.CELL_RIGHT),
                Paragraph(
                    f'<font color="{css(colour)}"><b>{inert(against)}</b></font>',
                    layout.CELL_RIGHT,
                ),
                layout.para(decimal(avg.sections.get(s.section), 1), layout.CELL_RIGHT),
                layout.para(number(s.lost), layout.CELL_RIGHT),
            ]
        )
    rows.append(
        [
            Paragraph("<b>TOTAL</b>", layout.CELL),
            Paragraph(f"<b>{number(f.total)}</b>", layout.CELL_RIGHT),
            layout.para(number(f.max_total), layout.CELL_RIGHT),
            layout.para(number(f.total_threshold), layout.CELL_RIGHT),
            layout.para(
                "-" if f.total_threshold is None else _signed_points(f.total - f.total_threshold),
                layout.CELL_RIGHT,
            ),
            layout.para(decimal(sum(avg.sections.values()), 1), layout.CELL_RIGHT),
            layout.para(number(f.max_total - f.total), layout.CELL_RIGHT),
        ]
    )
    last = len(rows) - 1
    return layout.grid(
        rows,
        [width - 6 * 21 * mm, *[21 * mm] * 6],
        extra=[
            ("BACKGROUND", (0, last), (-1, last), SHADE),
            ("LINEABOVE", (0, last), (-1, last), 0.9, NAVY),
        ],
    )


def _topics(ctx: ReportContext, f: ScoreFigures, avg: Averages, width: float) -> Table:
    bar_width = 42 * mm
    rows: list[list[object]] = [
        [
            layout.head("Topik", "Topic"),
            layout.head("Benar", "Right", align="center"),
            layout.head("Capaian", "Your share", align="right"),
            layout.head("Rata-rata", "Session", align="right"),
            layout.head("Selisih", "% points", align="right"),
            layout.head("Anda dan rata-rata sesi", "You and the session"),
        ]
    ]
    extra: list[tuple[object, ...]] = []
    for s in f.sections:
        rows.append(
            [
                Paragraph(
                    f"<b>{inert(s.section)}</b> · {inert(ctx.section_name(s.section))}",
                    layout.CELL,
                ),
                "",
                "",
                "",
                "",
                "",
            ]
        )
        here = len(rows) - 1
        extra += [
            ("SPAN", (0, here), (-1, here)),
            ("BACKGROUND", (0, here), (-1, here), SOFT),
        ]
        for t in sorted(s.topics, key=lambda t: topic_name(t.topic)):
            average = avg.topics.get((s.section, t.topic))
            diff = None if t.share is None or average is None else (t.share - average) * 100
            colour = NAVY if diff is None or abs(diff) < 5 else (GOOD if diff > 0 else BAD)
            rows.append(
                [
                    layout.para(topic_name(t.topic)),
                    layout.para(f"{t.correct} / {t.items}", layout.CELL_CENTER),
                    Paragraph(f"<b>{percent(t.share)}</b>", layout.CELL_RIGHT),
                    layout.para(percent(average), layout.CELL_RIGHT),
                    Paragraph(
                        f'<font color="{css(colour)}">'
                        f"{inert('-' if diff is None else _signed(diff, 0))}</font>",
                        layout.CELL_RIGHT,
                    ),
                    _bar(t.share, average, bar_width),
                ]
            )
    return layout.grid(
        rows,
        [
            width - bar_width - 16 * mm - 3 * 19 * mm - 8,
            16 * mm,
            19 * mm,
            19 * mm,
            19 * mm,
            bar_width + 8,
        ],
        extra=extra,
    )


def _signed_points(value: Number) -> str:
    """Points above or below a threshold, exact: ``+5``, ``-2,5``, ``0``."""
    magnitude = -value if value < 0 else value
    return ("+" if value > 0 else "-" if value < 0 else "") + number(magnitude)


def _signed(value: Fraction, places: int) -> str:
    text = decimal(abs(value), places)
    if not text.strip("0,"):  # rounds to zero: no sign
        return text
    return ("+" if value > 0 else "-") + text


def _bar(share: Fraction | None, average: Fraction | None, width: float) -> Drawing:
    height = 9
    d = layout.drawing(width, height)
    d.add(Rect(0, 1.5, width, height - 3, fillColor=SOFT, strokeColor=RULE, strokeWidth=0.4))
    if share is not None:
        d.add(
            Rect(
                0,
                1.5,
                width * max(0.0, min(1.0, float(share))),
                height - 3,
                fillColor=NAVY,
                strokeColor=None,
            )
        )
    if average is not None:
        x = width * max(0.0, min(1.0, float(average)))
        d.add(Line(x, 0, x, height, strokeColor=MARKER, strokeWidth=1.6))
        d.add(
            Polygon(
                [x - 2, height, x + 2, height, x, height - 2.5], fillColor=MARKER, strokeColor=None
            )
        )
    return d
