"""The look every report shares: A4 pages, letterhead, footer, type, tables, signatures.

Every page carries the site and exam in its letterhead and, in its footer, the
time the document was generated, the head of the audit chain at that moment
and "Halaman x dari y". Documents holding one part per candidate number pages
per candidate (:class:`PageGroup`).

Text from the database (names, reasons, incident details) may contain
anything, markup included: it reaches reportlab's Paragraph parser only
through :func:`inert`, which escapes it, so it prints as written and is never
interpreted.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from typing import Any

from reportlab.graphics.shapes import Drawing  # type: ignore[import-untyped]
from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4, landscape  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from cbt_server.reports import fonts
from scoring.numbers import Number, display

# ---------------------------------------------------------------- colours and type

INK = colors.HexColor("#1A1A1A")
NAVY = colors.HexColor("#1F3A5F")
MUTED = colors.HexColor("#5B6573")
RULE = colors.HexColor("#8A96A8")
SHADE = colors.HexColor("#E6ECF3")
SOFT = colors.HexColor("#F5F7FA")
GOOD = colors.HexColor("#1E6B3A")
GOOD_SHADE = colors.HexColor("#E3F1E7")
BAD = colors.HexColor("#9B1C1C")
BAD_SHADE = colors.HexColor("#F8E3E3")
NEUTRAL_SHADE = colors.HexColor("#EEF0F3")

MARGIN_X: float = 18 * mm
MARGIN_TOP: float = 31 * mm
MARGIN_BOTTOM: float = 22 * mm


def style(name: str, **values: Any) -> ParagraphStyle:
    """A paragraph style in the reports' type (DejaVu Sans), ``values`` overriding."""
    base: dict[str, Any] = {
        "fontName": fonts.REGULAR,
        "fontSize": 9,
        "leading": 11.5,
        "textColor": INK,
    }
    base.update(values)
    return ParagraphStyle(name, **base)


BODY = style("body", fontSize=9.5, leading=13.5, spaceAfter=4)
BODY_JUSTIFIED = style("body-justified", fontSize=9.5, leading=13.5, spaceAfter=4, alignment=4)
BULLET = style(
    "bullet", fontSize=9.5, leading=13.5, leftIndent=11, firstLineIndent=-9, spaceAfter=3
)
SMALL = style("small", fontSize=7.5, leading=9.5, textColor=MUTED)
CELL = style("cell", fontSize=8.5, leading=10.5)
CELL_RIGHT = style("cell-right", fontSize=8.5, leading=10.5, alignment=TA_RIGHT)
CELL_CENTER = style("cell-center", fontSize=8.5, leading=10.5, alignment=TA_CENTER)
HEAD = style("head", fontName=fonts.BOLD, fontSize=8, leading=10, textColor=NAVY)
HEAD_RIGHT = style(
    "head-right", fontName=fonts.BOLD, fontSize=8, leading=10, textColor=NAVY, alignment=TA_RIGHT
)
HEAD_CENTER = style(
    "head-center", fontName=fonts.BOLD, fontSize=8, leading=10, textColor=NAVY, alignment=TA_CENTER
)
TITLE = style(
    "title", fontName=fonts.BOLD, fontSize=13.5, leading=17, alignment=TA_CENTER, textColor=INK
)
SUBTITLE = style(
    "subtitle",
    fontName=fonts.ITALIC,
    fontSize=8.5,
    leading=11,
    alignment=TA_CENTER,
    textColor=MUTED,
)
REFERENCE = style("reference", fontSize=9, leading=12, alignment=TA_CENTER)
HEADING = style(
    "heading",
    fontName=fonts.BOLD,
    fontSize=10.5,
    leading=14,
    textColor=NAVY,
    spaceBefore=9,
    spaceAfter=4,
    keepWithNext=1,
)
SIGN = style("sign", fontSize=9, leading=11.5, alignment=TA_CENTER)
SIGN_MUTED = style("sign-muted", fontSize=7.5, leading=9.5, alignment=TA_CENTER, textColor=MUTED)
SIGN_LEFT = style("sign-left", fontSize=9, leading=11.5, alignment=TA_LEFT)


def css(colour: Any) -> str:
    """A colour as ``#rrggbb`` for ``<font color=...>`` markup."""
    return "#" + str(colour.hexval())[2:]


# ---------------------------------------------------------------- inert text

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def inert(value: object) -> str:
    """``value`` as Paragraph markup that prints exactly as written (never interpreted)."""
    text = _CONTROL.sub("", str(value))
    text = (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
    return text.replace("\r\n", "\n").replace("\n", "<br/>")


def para(value: object, style: ParagraphStyle = CELL) -> Paragraph:
    """A paragraph of untrusted text (escaped)."""
    return Paragraph(inert(value), style)


def markup(trusted: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of markup written here, with any data in it passed through :func:`inert`."""
    return Paragraph(trusted, style)


def en(text: str) -> str:
    """An English gloss after an Indonesian label (markup)."""
    return f'<font size="7" color="#5B6573"><i>{inert(text)}</i></font>'


def label(id_text: str, en_text: str) -> Paragraph:
    """A bilingual table label: Indonesian in bold, English below in small grey."""
    return Paragraph(f"<b>{inert(id_text)}</b><br/>{en(en_text)}", CELL)


def head(id_text: str, en_text: str | None = None, *, align: str = "left") -> Paragraph:
    style = {"left": HEAD, "right": HEAD_RIGHT, "center": HEAD_CENTER}[align]
    gloss = (
        f'<br/><font name="{fonts.ITALIC}" size="6.5" color="#5B6573">{inert(en_text)}</font>'
        if en_text
        else ""
    )
    return Paragraph(inert(id_text) + gloss, style)


def title_block(id_title: str, en_title: str, reference: str | None = None) -> list[Flowable]:
    parts: list[Flowable] = [
        Paragraph(f"<u>{inert(id_title.upper())}</u>", TITLE),
        Paragraph(inert(en_title), SUBTITLE),
    ]
    if reference:
        parts.append(Paragraph(f"Nomor: {inert(reference)}", REFERENCE))
    parts.append(Spacer(1, 3 * mm))
    return parts


def heading(id_text: str, en_text: str) -> Paragraph:
    return Paragraph(
        f'{inert(id_text)} <font name="{fonts.ITALIC}" size="8" color="#5B6573">'
        f"{inert(en_text)}</font>",
        HEADING,
    )


# ---------------------------------------------------------------- numbers and times


def number(value: Number | None) -> str:
    """A score as Indonesians write it: ``65``, ``12,5`` (``-`` when there is none)."""
    return "-" if value is None else display(value).replace(".", ",")


def decimal(value: Fraction | float | None, places: int = 2) -> str:
    """``value`` to ``places`` decimals with a comma, rounded half away from zero.

    Rounding is done on the exact value, so a session average of exactly 57.5 %
    prints 58 % on every machine (a float would print 57 or 58 depending on the
    order of its sums).
    """
    if value is None:
        return "-"
    exact = Fraction(value)
    units = math.floor(abs(exact) * 10**places + Fraction(1, 2))
    whole, part = divmod(units, 10**places)
    text = f"{whole},{part:0{places}d}" if places else str(whole)
    return f"-{text}" if exact < 0 and units else text


def percent(share: Fraction | float | None, places: int = 0) -> str:
    return "-" if share is None else f"{decimal(Fraction(share) * 100, places)}%"


@dataclass(frozen=True, slots=True)
class Zone:
    """An Indonesian time zone: reports print local times with their zone's name."""

    name: str
    hours: int

    @property
    def tzinfo(self) -> dt.timezone:
        return dt.timezone(dt.timedelta(hours=self.hours), self.name)


ZONES = {"WIB": Zone("WIB", 7), "WITA": Zone("WITA", 8), "WIT": Zone("WIT", 9)}
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def _local(ms: int, zone: Zone) -> dt.datetime:
    return dt.datetime.fromtimestamp(ms / 1000, tz=zone.tzinfo)


def moment(ms: int | None, zone: Zone) -> str:
    """``24-11-2026 08:00:05 WIB``."""
    if ms is None:
        return "-"
    return f"{_local(ms, zone):%d-%m-%Y %H:%M:%S} {zone.name}"


def clock_time(ms: int | None, zone: Zone) -> str:
    """``08:00:05``."""
    return "-" if ms is None else f"{_local(ms, zone):%H:%M:%S}"


def day(ms: int, zone: Zone) -> str:
    """``Selasa, 24 November 2026``."""
    local = _local(ms, zone)
    return f"{DAYS[local.weekday()]}, {local.day} {MONTHS[local.month - 1]} {local.year}"


def date_text(iso: str) -> str:
    """``1998-02-03`` as ``3 Februari 1998`` (unchanged when it is not such a date)."""
    try:
        date = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


# ---------------------------------------------------------------- drawings


def drawing(width: float, height: float, **values: Any) -> Drawing:
    """A drawing whose text starts in the embedded font (never Helvetica)."""
    return Drawing(width, height, initialFontName=fonts.REGULAR, **values)


# ---------------------------------------------------------------- tables


def table_style(commands: Sequence[tuple[Any, ...]]) -> TableStyle:
    """A table style whose plain-text cells use the embedded font (never Helvetica)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR), *commands])


GRID_STYLE: list[tuple[Any, ...]] = [
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("BACKGROUND", (0, 0), (-1, 0), SHADE),
    ("LINEBELOW", (0, 0), (-1, 0), 0.9, NAVY),
    ("INNERGRID", (0, 0), (-1, -1), 0.3, RULE),
    ("BOX", (0, 0), (-1, -1), 0.8, NAVY),
    ("TOPPADDING", (0, 0), (-1, -1), 2.6),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3.2),
    ("LEFTPADDING", (0, 0), (-1, -1), 4),
    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
]


def grid(
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    *,
    extra: Sequence[tuple[Any, ...]] = (),
    repeat_header: bool = True,
) -> Table:
    """A ruled table whose first row is the header (repeated on every page)."""
    table = Table(
        [list(r) for r in rows],
        colWidths=list(widths),
        repeatRows=1 if repeat_header else 0,
        hAlign="LEFT",
    )
    table.setStyle(table_style([*GRID_STYLE, *extra]))
    return table


def fields(
    pairs: Sequence[tuple[Paragraph, object]], widths: Sequence[float], *, shade: bool = True
) -> Table:
    """A form-like table of label and value rows (values may be flowables or plain text)."""
    rows = [[k, v if isinstance(v, Flowable) else para(v)] for k, v in pairs]
    table = Table(rows, colWidths=list(widths), hAlign="LEFT")
    style: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("INNERGRID", (0, 0), (-1, -1), 0.3, RULE),
        ("BOX", (0, 0), (-1, -1), 0.8, NAVY),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.6),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
    ]
    if shade:
        style.append(("BACKGROUND", (0, 0), (0, -1), SOFT))
    table.setStyle(table_style(style))
    return table


def pairs(cells: Sequence[tuple[Paragraph, object]], widths: Sequence[float]) -> Table:
    """Label and value pairs two to a row (``widths``: label, value, label, value)."""
    rows: list[list[object]] = []
    for start in range(0, len(cells), 2):
        row: list[object] = []
        for k, v in cells[start : start + 2]:
            row += [k, v if isinstance(v, Flowable) else para(v)]
        row += [""] * (4 - len(row))
        rows.append(row)
    table = Table(rows, colWidths=list(widths), hAlign="LEFT")
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("GRID", (0, 0), (-1, -1), 0.3, RULE),
                ("BOX", (0, 0), (-1, -1), 0.8, NAVY),
                ("BACKGROUND", (0, 0), (0, -1), SOFT),
                ("BACKGROUND", (2, 0), (2, -1), SOFT),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


# ---------------------------------------------------------------- signatures


@dataclass(frozen=True, slots=True)
class Signatory:
    role_id: str
    role_en: str
    name: str | None = None
    note: str | None = None


def signatures(
    signatories: Sequence[Signatory],
    width: float,
    *,
    place_date: str | None = None,
    per_row: int = 2,
) -> Flowable:
    """Signature blocks side by side: role, room to sign, the name in brackets, a note."""
    per_row = max(1, min(per_row, len(signatories) or 1))
    column = width / per_row
    cells: list[list[Flowable]] = []
    for s in signatories:
        name = f"( {inert(s.name)} )" if s.name else "( ................................ )"
        block: list[Flowable] = [
            Paragraph(f"<b>{inert(s.role_id)}</b>", SIGN),
            Paragraph(inert(s.role_en), SIGN_MUTED),
            Spacer(1, 15 * mm),
            Paragraph(name, SIGN),
        ]
        if s.note:
            block.append(Paragraph(inert(s.note), SIGN_MUTED))
        cells.append(block)
    rows: list[list[object]] = []
    for start in range(0, len(cells), per_row):
        row: list[object] = list(cells[start : start + per_row])
        row += [""] * (per_row - len(row))
        rows.append(row)
    table = Table(rows, colWidths=[column] * per_row, hAlign="LEFT")
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    parts: list[Flowable] = [Spacer(1, 3 * mm)]
    if place_date:
        parts.append(Paragraph(inert(place_date), style("place", alignment=TA_RIGHT)))
        parts.append(Spacer(1, 2 * mm))
    parts.append(table)
    return KeepTogether(parts)


# ---------------------------------------------------------------- pages


@dataclass(frozen=True, slots=True)
class Letterhead:
    """What every page of a document says about where it comes from."""

    site_name: str
    site_code: str
    exam: str
    session: str
    document: str
    generated: str
    chain: str


class PageGroup(Flowable):  # type: ignore[misc]
    """Pages from here on belong to ``key`` (numbered "Halaman x dari y" within it)."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._cbt_group = self.key


class _PagedCanvas(Canvas):  # type: ignore[misc]
    """Keeps each page until the end, then draws letterhead and footer with the page count."""

    def __init__(self, *args: Any, letterhead: Letterhead, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._letterhead = letterhead
        self._cbt_group: str | None = None
        self._kept: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._kept.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        groups = [page.get("_cbt_group") for page in self._kept]
        grouped = any(g is not None for g in groups)
        for index, page in enumerate(self._kept):
            self.__dict__.update(page)
            same = [i for i, g in enumerate(groups) if g == groups[index]]
            self._decorate(
                same.index(index) + 1, len(same), index + 1, len(self._kept), grouped=grouped
            )
            super().showPage()
        super().save()

    def _decorate(self, page: int, pages: int, sheet: int, sheets: int, *, grouped: bool) -> None:
        lh = self._letterhead
        width, height = self._pagesize
        left, right = MARGIN_X, width - MARGIN_X
        centre = width / 2
        self.saveState()
        # Letterhead (kop): the site in capitals, what and where, a double rule.
        self.setFillColor(NAVY)
        self.setFont(fonts.BOLD, 12)
        self.drawCentredString(centre, height - 13 * mm, lh.site_name.upper())
        self.setFillColor(MUTED)
        self.setFont(fonts.REGULAR, 7.6)
        self.drawCentredString(
            centre,
            height - 17.6 * mm,
            f"Kode lokasi {lh.site_code}   ·   {lh.exam}   ·   {lh.session}",
        )
        self.setFont(fonts.REGULAR, 6.8)
        self.drawCentredString(
            centre,
            height - 21 * mm,
            "Sistem ujian berbasis komputer CBT Station  ·  Computer-based testing",
        )
        self.setStrokeColor(NAVY)
        self.setLineWidth(1.8)
        self.line(left, height - 23.5 * mm, right, height - 23.5 * mm)
        self.setLineWidth(0.5)
        self.line(left, height - 24.4 * mm, right, height - 24.4 * mm)
        # Footer: when generated, the audit chain head, the page.
        self.setStrokeColor(RULE)
        self.setLineWidth(0.4)
        self.line(left, 15.5 * mm, right, 15.5 * mm)
        self.setFillColor(MUTED)
        self.setFont(fonts.REGULAR, 6.8)
        self.drawString(left, 11.8 * mm, f"Dibuat / Generated: {lh.generated}")
        self.drawString(left, 8.6 * mm, f"Kepala rantai audit / Audit chain head: {lh.chain}")
        self.setFillColor(INK)
        self.setFont(fonts.BOLD, 7.5)
        self.drawRightString(right, 11.8 * mm, f"Halaman {page} dari {pages}")
        self.setFillColor(MUTED)
        self.setFont(fonts.REGULAR, 6.5)
        sheet_text = f"  ·  Lembar {sheet}/{sheets}" if grouped else ""
        self.drawRightString(right, 8.6 * mm, f"{lh.document}  ·  CBT Station{sheet_text}")
        self.restoreState()


_render_lock = threading.Lock()


def render(
    letterhead: Letterhead,
    story: list[Flowable],
    *,
    title: str,
    wide: bool = False,
) -> bytes:
    """The PDF of ``story`` on A4 (landscape when ``wide``), with letterhead and footer."""
    fonts.register()
    buffer = io.BytesIO()
    size = landscape(A4) if wide else A4
    doc = BaseDocTemplate(
        buffer,
        pagesize=size,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=letterhead.site_name,
        subject=f"{letterhead.exam} · {letterhead.session}",
        creator="CBT Station",
        initialFontName=fonts.REGULAR,  # no page refers to a font the PDF does not embed
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    with _render_lock:  # reportlab's font subsetting keeps per-process state
        doc.build(story, canvasmaker=partial(_PagedCanvas, letterhead=letterhead))
    return buffer.getvalue()


def content_width(*, wide: bool = False) -> float:
    """Width of the text frame: portrait A4, or landscape when ``wide``."""
    page = landscape(A4) if wide else A4
    return float(page[0]) - 2 * MARGIN_X
