"""Regenerate the sample figures of the TIU figural items (TIU-FIG-001..016).

Run ``python question_bank/samples/draw_figures.py`` (Pillow required). It writes,
into ``skd-2024/gambar/``, one stem image per item (``tiu-fig-NNN.png``, about
600x150 px) and five option images (``tiu-fig-NNN-a.png`` .. ``-e.png``, 120x120
px) in the order the options are written in ``skd-2024/items/tiu.toml``; the
right option of item N is at the letter ``ITEMS[N - 1].key``.

The output is deterministic: everything is drawn from fixed coordinates at four
times the final size and scaled down, with no fonts, clocks or randomness.
Before writing, the script checks that the five options of every item are
pairwise different pictures and that each polyomino analogy has exactly one
rigid transformation (rotation or reflection) taking its first figure to its
second.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

SS = 4
"""Supersampling factor: draw at SS times the size, then scale down (anti-aliasing)."""

INK = 0
PAPER = 255
FRAME = 175
STROKE = 3 * SS
THIN = 2 * SS

OUT_DIR = Path(__file__).resolve().parent / "skd-2024" / "gambar"
LETTERS = "ABCDE"

STEM_SIZE = (600, 150)
OPTION_SIZE = (120, 120)

Point = tuple[float, float]
Cells = frozenset[tuple[int, int]]


@dataclass(frozen=True)
class Cell:
    """Where a panel is drawn: its centre and half its side, in supersampled pixels."""

    cx: float
    cy: float
    half: float

    def at(self, rx: float, ry: float) -> Point:
        """The point at relative coordinates (-1..1 across the panel, y down)."""
        return (self.cx + rx * self.half, self.cy + ry * self.half)

    def polar(self, r: float, angle: float) -> Point:
        """The point at relative radius r, angle in degrees clockwise from straight up."""
        a = math.radians(angle)
        return self.at(r * math.sin(a), -r * math.cos(a))

    def box(self, rx: float, ry: float, r: float) -> tuple[float, float, float, float]:
        """The bounding box of a circle of relative radius r around a relative point."""
        x, y = self.at(rx, ry)
        return (x - r * self.half, y - r * self.half, x + r * self.half, y + r * self.half)


Panel = Callable[[ImageDraw.ImageDraw, Cell], None]


# ---------------------------------------------------------------- primitives


def _rotate(points: Sequence[Point], angle: float) -> list[Point]:
    """Rotate relative points clockwise (on screen) by angle degrees about the origin."""
    a = math.radians(angle)
    c, s = math.cos(a), math.sin(a)
    return [(x * c - y * s, x * s + y * c) for x, y in points]


def _fill(filled: bool) -> int | None:
    return INK if filled else None


def combine(*panels: Panel) -> Panel:
    """A panel that draws the given panels one over another."""

    def draw(d: ImageDraw.ImageDraw, cell: Cell) -> None:
        for panel in panels:
            panel(d, cell)

    return draw


def circle(
    radius: float = 0.78, *, filled: bool = False, rx: float = 0.0, ry: float = 0.0
) -> Panel:
    """A circle of relative radius ``radius``."""

    def draw(d: ImageDraw.ImageDraw, cell: Cell) -> None:
        d.ellipse(cell.box(rx, ry, radius), fill=_fill(filled), outline=INK, width=STROKE)

    return draw


def polygon(
    sides: int, radius: float = 0.8, *, filled: bool = False, rotation: float = 0.0
) -> Panel:
    """A regular polygon with a vertex straight up (before ``rotation``, clockwise)."""

    def draw(d: ImageDraw.ImageDraw, cell: Cell) -> None:
        pts = [cell.polar(radius, rotation + 360.0 * i / sides) for i in range(sides)]
        d.polygon(pts, fill=_fill(filled), outline=INK, width=STROKE)

    return draw


def square(half_side: float = 0.72, *, filled: bool = False) -> Panel:
    """An axis-aligned square of relative half side ``half_side``."""

    def draw(d: ImageDraw.ImageDraw, cell: Cell) -> None:
        x0, y0 = cell.at(-half_side, -half_side)
        x1, y1 = cell.at(half_side, half_side)
        d.rectangle((x0, y0, x1, y1), fill=_fill(filled), outline=INK, width=STROKE)

    return draw


_ARROW: list[Point] = [
    (0.0, -0.82),
    (0.5, -0.2),
    (0.2, -0.2),
    (0.2, 0.8),
    (-0.2, 0.8),
    (-0.2, -0.2),
    (-0.5, -0.2),
]


def arrow(angle: float, *, filled: bool = True) -> Panel:
    """A block arrow pointing ``angle`` degrees clockwise from straight up."""

    def draw(d: ImageDraw.ImageDraw, cell: Cell) -> None:
        pts = [cell.at(x, y) for x, y in _rotate(_ARROW, angle)]
        d.polygon(pts, fill=_fill(filled), outline=INK, width=STROKE)

    return draw


_DOT_LAYOUTS: dict[int, list[Point]] = {
    1: [(0, 0)],
    2: [(-1, -1), (1, 1)],
    3: [(0, -1), (-1, 0.8), (1, 0.8)],
    4: [(-1, -1), (1, -1), (-1, 1), (1, 1)],
    5: [(-1, -1), (1, -1), (0, 0), (-1, 1), (1, 1)],
    6: [(-1, -1), (1, -1), (-1, 0), (1, 0), (-1, 1), (1, 1)],
    7: [(-1, -1), (1, -1), (-1, 0), (0, 0), (1, 0), (-1, 1), (1, 1)],
}


def dots(count: int, spread: float = 0.45, dot: float = 0.11, *, dy: float = 0.0) -> Panel:
    """``count`` black dots in the dice pattern, ``spread`` from the centre."""

    def draw(d: ImageDraw.ImageDraw, cell: Cell) -> None:
        for x, y in _DOT_LAYOUTS[count]:
            d.ellipse(cell.box(x * spread, y * spread + dy, dot), fill=INK)

    return draw


def vlines(count: int, half_height: float = 0.5, spread: float = 0.45) -> Panel:
    """``count`` evenly spaced vertical strokes."""

    def draw(d: ImageDraw.ImageDraw, cell: Cell) -> None:
        for i in range(count):
            x = 0.0 if count == 1 else -spread + 2 * spread * i / (count - 1)
            d.line([cell.at(x, -half_height), cell.at(x, half_height)], fill=INK, width=STROKE)

    return draw


def lines_through(count: int, radius: float = 0.8) -> Panel:
    """``count`` full lines through the centre, evenly spread, the first vertical."""

    def draw(d: ImageDraw.ImageDraw, cell: Cell) -> None:
        for i in range(count):
            angle = 180.0 * i / count
            d.line(
                [cell.polar(radius, angle), cell.polar(radius, angle + 180.0)],
                fill=INK,
                width=STROKE,
            )
        d.ellipse(cell.box(0, 0, 0.07), fill=INK)

    return draw


def spokes(count: int, radius: float = 0.8) -> Panel:
    """``count`` rays from the centre, evenly spread, the first straight up."""

    def draw(d: ImageDraw.ImageDraw, cell: Cell) -> None:
        for i in range(count):
            d.line([cell.at(0, 0), cell.polar(radius, 360.0 * i / count)], fill=INK, width=STROKE)
        d.ellipse(cell.box(0, 0, 0.07), fill=INK)

    return draw


def hexagon_sectors(shaded: frozenset[int]) -> Panel:
    """A hexagon cut into six triangles; sector i (clockwise from the top) shaded if in set."""

    def draw(d: ImageDraw.ImageDraw, cell: Cell) -> None:
        radius = 0.82
        corners = [cell.polar(radius, 60.0 * i) for i in range(6)]
        centre = cell.at(0, 0)
        for i in shaded:
            d.polygon([centre, corners[i], corners[(i + 1) % 6]], fill=INK)
        d.polygon(corners, outline=INK, width=STROKE)
        for corner in corners:
            d.line([centre, corner], fill=INK, width=THIN)

    return draw


def rim_dot(position: int) -> Panel:
    """A circle with eight ticks and a black dot on tick ``position`` (0 = top, clockwise)."""

    def draw(d: ImageDraw.ImageDraw, cell: Cell) -> None:
        radius = 0.7
        d.ellipse(cell.box(0, 0, radius), outline=INK, width=STROKE)
        for i in range(8):
            d.line(
                [cell.polar(radius - 0.1, 45.0 * i), cell.polar(radius, 45.0 * i)],
                fill=INK,
                width=THIN,
            )
        x, y = cell.polar(radius, 45.0 * position)
        r = 0.15 * cell.half
        d.ellipse((x - r, y - r, x + r, y + r), fill=INK)

    return draw


def clock(long_hand: float, short_hand: float) -> Panel:
    """A clock face with a long thin hand and a short thick hand at the given angles."""

    def draw(d: ImageDraw.ImageDraw, cell: Cell) -> None:
        d.ellipse(cell.box(0, 0, 0.8), outline=INK, width=STROKE)
        for i in range(4):
            d.line([cell.polar(0.68, 90.0 * i), cell.polar(0.8, 90.0 * i)], fill=INK, width=THIN)
        d.line([cell.at(0, 0), cell.polar(0.64, long_hand)], fill=INK, width=THIN + SS)
        d.line([cell.at(0, 0), cell.polar(0.4, short_hand)], fill=INK, width=3 * STROKE)
        d.ellipse(cell.box(0, 0, 0.09), fill=INK)

    return draw


_BORDER: list[tuple[int, int]] = [(0, 0), (0, 1), (0, 2), (1, 2), (2, 2), (2, 1), (2, 0), (1, 0)]
"""The eight border squares of a 3x3 grid as (row, column), clockwise from the top left."""


def grid3(black: int, ring: int) -> Panel:
    """A 3x3 grid with a black square on border square ``black`` and a ring on ``ring``."""

    def draw(d: ImageDraw.ImageDraw, cell: Cell) -> None:
        size = 0.5
        left = -1.5 * size
        row, col = _BORDER[black]
        x0, y0 = cell.at(left + col * size, left + row * size)
        x1, y1 = cell.at(left + (col + 1) * size, left + (row + 1) * size)
        d.rectangle((x0, y0, x1, y1), fill=INK)
        for i in range(4):
            v = left + i * size
            d.line([cell.at(left, v), cell.at(-left, v)], fill=INK, width=THIN)
            d.line([cell.at(v, left), cell.at(v, -left)], fill=INK, width=THIN)
        row, col = _BORDER[ring]
        cx, cy = left + (col + 0.5) * size, left + (row + 0.5) * size
        d.ellipse(cell.box(cx, cy, 0.15), fill=PAPER, outline=INK, width=STROKE)

    return draw


# ---------------------------------------------------------------- polyominoes


def cells(*rows: str) -> Cells:
    """A polyomino from rows of text, ``X`` for a filled square."""
    return frozenset(
        (r, c) for r, line in enumerate(rows) for c, ch in enumerate(line) if ch == "X"
    )


def _normal(shape: Cells) -> Cells:
    r0 = min(r for r, _ in shape)
    c0 = min(c for _, c in shape)
    return frozenset((r - r0, c - c0) for r, c in shape)


def turn(shape: Cells, quarters: int = 1) -> Cells:
    """The polyomino turned ``quarters`` quarter turns clockwise."""
    for _ in range(quarters % 4):
        shape = frozenset((c, -r) for r, c in shape)
    return _normal(shape)


def mirror(shape: Cells) -> Cells:
    """The polyomino reflected left to right."""
    return _normal(frozenset((r, -c) for r, c in shape))


def flip(shape: Cells) -> Cells:
    """The polyomino reflected top to bottom."""
    return _normal(frozenset((-r, c) for r, c in shape))


def _transforms() -> dict[str, Callable[[Cells], Cells]]:
    return {
        "putar 0": lambda s: turn(s, 0),
        "putar 90": lambda s: turn(s, 1),
        "putar 180": lambda s: turn(s, 2),
        "putar 270": lambda s: turn(s, 3),
        "cermin": mirror,
        "cermin+putar 90": lambda s: turn(mirror(s), 1),
        "cermin+putar 180": lambda s: turn(mirror(s), 2),
        "cermin+putar 270": lambda s: turn(mirror(s), 3),
    }


def transformations_between(a: Cells, b: Cells) -> list[str]:
    """The names of the rigid transformations that take polyomino ``a`` to ``b``."""
    return [name for name, t in _transforms().items() if t(_normal(a)) == _normal(b)]


def polyomino(shape: Cells, *, filled: bool = True) -> Panel:
    """The polyomino centred in the panel, its squares as large as the longer side allows."""
    shape = _normal(shape)
    rows = max(r for r, _ in shape) + 1
    cols = max(c for _, c in shape) + 1
    unit = min(0.45, 1.5 / max(rows, cols))

    def draw(d: ImageDraw.ImageDraw, cell: Cell) -> None:
        top, left = -rows * unit / 2, -cols * unit / 2
        for r, c in sorted(shape):
            x0, y0 = cell.at(left + c * unit, top + r * unit)
            x1, y1 = cell.at(left + (c + 1) * unit, top + (r + 1) * unit)
            d.rectangle((x0, y0, x1, y1), fill=_fill(filled), outline=INK, width=THIN + SS)

    return draw


# ---------------------------------------------------------------- pictures


def _canvas(size: tuple[int, int]) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("L", (size[0] * SS, size[1] * SS), PAPER)
    return image, ImageDraw.Draw(image)


def _finish(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    return image.resize(size, Image.Resampling.LANCZOS)


def _frame(d: ImageDraw.ImageDraw, cell: Cell) -> None:
    h = cell.half
    d.rectangle((cell.cx - h, cell.cy - h, cell.cx + h, cell.cy + h), outline=FRAME, width=THIN)


def _question_mark(d: ImageDraw.ImageDraw, cell: Cell) -> None:
    """A question mark drawn with strokes (no font, so the same on every machine)."""
    width = STROKE + SS
    r, cy = 0.26, -0.3
    d.arc(cell.box(0, cy, r), start=170, end=60, fill=INK, width=width)
    end = (r * math.cos(math.radians(60)), cy + r * math.sin(math.radians(60)))
    d.line(
        [cell.at(*end), cell.at(0.0, 0.05), cell.at(0.0, 0.22)],
        fill=INK,
        width=width,
        joint="curve",
    )
    d.ellipse(cell.box(0, 0.45, 0.08), fill=INK)


def _arrow_between(d: ImageDraw.ImageDraw, x0: float, x1: float, y: float) -> None:
    head = 7 * SS
    d.line([(x0, y), (x1 - head, y)], fill=INK, width=THIN)
    d.polygon([(x1, y), (x1 - head, y - head / 1.6), (x1 - head, y + head / 1.6)], fill=INK)


def series_image(panels: Sequence[Panel | None]) -> Image.Image:
    """Panels in a row of frames; ``None`` is the frame with the question mark."""
    image, d = _canvas(STEM_SIZE)
    width, height = STEM_SIZE[0] * SS, STEM_SIZE[1] * SS
    step = width / len(panels)
    half = min(step, height) / 2 - 8 * SS
    for i, panel in enumerate(panels):
        cell = Cell(step * (i + 0.5), height / 2, half)
        _frame(d, cell)
        if panel is None:
            _question_mark(d, cell)
        else:
            panel(d, Cell(cell.cx, cell.cy, cell.half * 0.85))
    return _finish(image, STEM_SIZE)


def analogy_image(a: Panel, b: Panel, c: Panel) -> Image.Image:
    """``a -> b`` on the left, ``c -> ?`` on the right, with a divider between."""
    image, d = _canvas(STEM_SIZE)
    height = STEM_SIZE[1] * SS
    half = 52 * SS
    y = height / 2
    centres = [62 * SS, 200 * SS, 400 * SS, 538 * SS]
    for x, panel in zip(centres, [a, b, c, None], strict=True):
        cell = Cell(x, y, half)
        _frame(d, cell)
        if panel is None:
            _question_mark(d, cell)
        else:
            panel(d, Cell(cell.cx, cell.cy, cell.half * 0.85))
    for left, right in ((centres[0], centres[1]), (centres[2], centres[3])):
        _arrow_between(d, left + half + 6 * SS, right - half - 6 * SS, y)
    mid = 300 * SS
    d.line([(mid, y - 55 * SS), (mid, y + 55 * SS)], fill=FRAME, width=THIN)
    return _finish(image, STEM_SIZE)


def option_image(panel: Panel) -> Image.Image:
    """One option: the panel in a light frame, 120x120."""
    image, d = _canvas(OPTION_SIZE)
    cell = Cell(OPTION_SIZE[0] * SS / 2, OPTION_SIZE[1] * SS / 2, 56 * SS)
    _frame(d, cell)
    panel(d, Cell(cell.cx, cell.cy, cell.half * 0.85))
    return _finish(image, OPTION_SIZE)


# ---------------------------------------------------------------- the items


@dataclass(frozen=True)
class FigureItem:
    """One figural item: its stem picture, right option, four distractors, key letter."""

    number: int
    stem: Callable[[], Image.Image]
    correct: Panel
    distractors: tuple[Panel, Panel, Panel, Panel]
    key: str

    def options(self) -> list[Panel]:
        """The five options in written order (a..e), the right one at ``key``."""
        out = list(self.distractors)
        out.insert(LETTERS.index(self.key), self.correct)
        return out


def series(*panels: Panel | None) -> Callable[[], Image.Image]:
    """A stem that is a row of panels (``None`` for the question mark)."""
    return lambda: series_image(panels)


def analogy(a: Panel, b: Panel, c: Panel) -> Callable[[], Image.Image]:
    """A stem of the form ``a -> b, c -> ?``."""
    return lambda: analogy_image(a, b, c)


def in_shape(outline: Panel, count: int, spread: float = 0.26, dot: float = 0.08) -> Panel:
    """An outline shape with ``count`` dots clustered at its centre."""
    return combine(outline, dots(count, spread, dot))


def _shape(kind: str, radius: float, *, filled: bool = False) -> Panel:
    if kind == "circle":
        return circle(radius, filled=filled)
    if kind == "square":
        return polygon(4, radius * 1.25, filled=filled, rotation=45.0)
    if kind == "triangle":
        return polygon(3, radius * 1.15, filled=filled)
    raise ValueError(kind)


def nested(outer: str, inner: str) -> Panel:
    """A large outline shape with a small black shape inside."""
    return combine(_shape(outer, 0.72), _shape(inner, 0.24, filled=True))


def dots_shape(kind: str, count: int) -> Panel:
    """A large outline shape (circle, square, triangle or n-gon) with dots inside."""
    if kind == "circle":
        return in_shape(circle(0.8), count)
    if kind == "square":
        return in_shape(square(0.72), count)
    if kind == "triangle":
        return combine(polygon(3, 0.9), dots(count, 0.2, 0.075, dy=0.08))
    if kind == "triangle_down":
        return combine(polygon(3, 0.9, rotation=180.0), dots(count, 0.2, 0.075, dy=-0.08))
    if kind == "pentagon":
        return in_shape(polygon(5, 0.85), count, 0.24)
    if kind == "hexagon":
        return in_shape(polygon(6, 0.85), count, 0.26)
    raise ValueError(kind)


def square_lines(count: int) -> Panel:
    """A square outline with ``count`` vertical strokes inside."""
    return combine(square(0.72), vlines(count, 0.45, 0.4))


def square_dots(count: int) -> Panel:
    """A square outline with ``count`` dots inside."""
    return in_shape(square(0.72), count, 0.32)


def circle_dots(count: int) -> Panel:
    """A circle outline with ``count`` dots inside."""
    return in_shape(circle(0.8), count, 0.32)


def circle_lines(count: int) -> Panel:
    """A circle outline with ``count`` vertical strokes inside."""
    return combine(circle(0.8), vlines(count, 0.42, 0.36))


def hexagon_one(sector: int) -> Panel:
    """A hexagon with one shaded sector."""
    return hexagon_sectors(frozenset({sector}))


F_PENTOMINO = cells(".XX", "XX.", ".X.")
P_PENTOMINO = cells("XX", "XX", "X.")
Y_PENTOMINO = cells(".X..", "XXXX")
N_PENTOMINO = cells("XXX.", "..XX")
L_TETROMINO = cells("X.", "X.", "XX")


def build_items() -> list[FigureItem]:
    """All sixteen figural items, in id order."""
    return [
        # 001 arrow turns 45 degrees clockwise each step.
        FigureItem(
            1,
            series(arrow(0), arrow(45), arrow(90), arrow(135), None),
            arrow(180),
            (arrow(225), arrow(135), arrow(0), arrow(270)),
            "C",
        ),
        # 002 one more dot each step.
        FigureItem(
            2,
            series(
                in_shape(square(0.72), 1, 0.36, 0.1),
                in_shape(square(0.72), 2, 0.36, 0.1),
                in_shape(square(0.72), 3, 0.36, 0.1),
                in_shape(square(0.72), 4, 0.36, 0.1),
                None,
            ),
            in_shape(square(0.72), 5, 0.36, 0.1),
            (
                in_shape(square(0.72), 6, 0.36, 0.1),
                in_shape(square(0.72), 4, 0.36, 0.1),
                in_shape(square(0.72), 7, 0.36, 0.1),
                in_shape(square(0.72), 3, 0.36, 0.1),
            ),
            "A",
        ),
        # 003 one more side each step: 3, 4, 5, 6 -> 7.
        FigureItem(
            3,
            series(polygon(3), polygon(4), polygon(5), polygon(6), None),
            polygon(7),
            (polygon(6), polygon(8), polygon(5), circle(0.8)),
            "E",
        ),
        # 004 the shaded sector moves one sector clockwise: 0, 1, 2, 3 -> 4.
        FigureItem(
            4,
            series(hexagon_one(0), hexagon_one(1), hexagon_one(2), hexagon_one(3), None),
            hexagon_one(4),
            (hexagon_one(3), hexagon_one(5), hexagon_sectors(frozenset({4, 5})), hexagon_one(1)),
            "B",
        ),
        # 005 one more line through the centre each step: 1, 2, 3, 4 -> 5.
        FigureItem(
            5,
            series(lines_through(1), lines_through(2), lines_through(3), lines_through(4), None),
            lines_through(5),
            (lines_through(4), lines_through(6), spokes(5), lines_through(3)),
            "D",
        ),
        # 006 the dot moves 1, 2, 3 ticks clockwise, so 4 next: 0, 1, 3, 6 -> 10 = 2.
        FigureItem(
            6,
            series(rim_dot(0), rim_dot(1), rim_dot(3), rim_dot(6), None),
            rim_dot(2),
            (rim_dot(7), rim_dot(1), rim_dot(4), rim_dot(0)),
            "A",
        ),
        # 007 F turns 90 degrees clockwise each step and black/white alternate.
        FigureItem(
            7,
            series(
                polyomino(F_PENTOMINO),
                polyomino(turn(F_PENTOMINO, 1), filled=False),
                polyomino(turn(F_PENTOMINO, 2)),
                polyomino(turn(F_PENTOMINO, 3), filled=False),
                None,
            ),
            polyomino(F_PENTOMINO),
            (
                polyomino(F_PENTOMINO, filled=False),
                polyomino(mirror(F_PENTOMINO)),
                polyomino(turn(F_PENTOMINO, 1)),
                polyomino(turn(F_PENTOMINO, 3)),
            ),
            "E",
        ),
        # 008 outer and inner shapes swap places.
        FigureItem(
            8,
            analogy(
                nested("circle", "triangle"),
                nested("triangle", "circle"),
                nested("square", "circle"),
            ),
            nested("circle", "square"),
            (
                nested("square", "circle"),
                nested("circle", "circle"),
                nested("square", "square"),
                nested("triangle", "square"),
            ),
            "C",
        ),
        # 009 reflection left to right.
        FigureItem(
            9,
            analogy(polyomino(N_PENTOMINO), polyomino(mirror(N_PENTOMINO)), polyomino(L_TETROMINO)),
            polyomino(mirror(L_TETROMINO)),
            (
                polyomino(L_TETROMINO),
                polyomino(turn(L_TETROMINO, 2)),
                polyomino(flip(L_TETROMINO)),
                polyomino(turn(L_TETROMINO, 1)),
            ),
            "B",
        ),
        # 010 outer shape cycles circle, square, triangle; one more dot each step.
        FigureItem(
            10,
            series(
                dots_shape("circle", 1),
                dots_shape("square", 2),
                dots_shape("triangle", 3),
                dots_shape("circle", 4),
                None,
            ),
            dots_shape("square", 5),
            (
                dots_shape("triangle", 5),
                dots_shape("square", 4),
                dots_shape("circle", 5),
                dots_shape("square", 6),
            ),
            "D",
        ),
        # 011 long hand +90 clockwise, short hand +45 clockwise each step.
        FigureItem(
            11,
            series(clock(0, 225), clock(90, 270), clock(180, 315), clock(270, 0), None),
            clock(0, 45),
            (clock(270, 45), clock(0, 90), clock(90, 45), clock(0, 315)),
            "E",
        ),
        # 012 the number of dots equals the number of sides.
        FigureItem(
            12,
            series(
                dots_shape("triangle", 3),
                dots_shape("square", 4),
                dots_shape("hexagon", 6),
                dots_shape("triangle_down", 3),
            ),
            dots_shape("pentagon", 5),
            (
                dots_shape("pentagon", 4),
                dots_shape("square", 5),
                dots_shape("hexagon", 5),
                dots_shape("triangle", 4),
            ),
            "A",
        ),
        # 013 black square one step clockwise, ring one step anticlockwise round the border.
        FigureItem(
            13,
            series(grid3(0, 7), grid3(1, 6), grid3(2, 5), grid3(3, 4), None),
            grid3(4, 3),
            (grid3(3, 4), grid3(4, 5), grid3(5, 3), grid3(4, 2)),
            "C",
        ),
        # 014 a quarter turn clockwise.
        FigureItem(
            14,
            analogy(
                polyomino(P_PENTOMINO), polyomino(turn(P_PENTOMINO, 1)), polyomino(Y_PENTOMINO)
            ),
            polyomino(turn(Y_PENTOMINO, 1)),
            (
                polyomino(turn(Y_PENTOMINO, 3)),
                polyomino(mirror(Y_PENTOMINO)),
                polyomino(turn(mirror(Y_PENTOMINO), 1)),
                polyomino(turn(Y_PENTOMINO, 2)),
            ),
            "D",
        ),
        # 015 two interleaved series: circles with 1, 2, 3 dots; squares with 1, 2 strokes.
        FigureItem(
            15,
            series(circle_dots(1), square_lines(1), circle_dots(2), square_lines(2), None),
            circle_dots(3),
            (square_lines(3), circle_dots(4), square_dots(3), circle_lines(3)),
            "B",
        ),
        # 016 the arrow turns 90 degrees clockwise; black and white alternate; third missing.
        FigureItem(
            16,
            series(arrow(0), arrow(90, filled=False), None, arrow(270, filled=False), arrow(0)),
            arrow(180),
            (arrow(180, filled=False), arrow(270), arrow(90), arrow(0, filled=False)),
            "A",
        ),
    ]


ITEMS: list[FigureItem] = build_items()


def check_analogies() -> None:
    """Each polyomino analogy's first pair has exactly one transformation, giving the key."""
    cases = [
        (N_PENTOMINO, mirror(N_PENTOMINO), L_TETROMINO, mirror(L_TETROMINO)),
        (P_PENTOMINO, turn(P_PENTOMINO, 1), Y_PENTOMINO, turn(Y_PENTOMINO, 1)),
    ]
    for a, b, c, answer in cases:
        names = transformations_between(a, b)
        if len(names) != 1:
            raise RuntimeError(f"ambiguous analogy: {names}")
        if transformations_between(c, answer) != names:
            raise RuntimeError(f"analogy answer does not follow {names}")


def main() -> None:
    """Draw every stem and option image into OUT_DIR."""
    check_analogies()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for item in ITEMS:
        name = f"tiu-fig-{item.number:03d}"
        pictures = [option_image(panel) for panel in item.options()]
        if len({p.tobytes() for p in pictures}) != len(pictures):
            raise RuntimeError(f"{name}: two options are the same picture")
        item.stem().save(OUT_DIR / f"{name}.png", optimize=True)
        for letter, picture in zip(LETTERS.lower(), pictures, strict=True):
            picture.save(OUT_DIR / f"{name}-{letter}.png", optimize=True)
    print(f"wrote {len(ITEMS) * 6} images to {OUT_DIR}")


if __name__ == "__main__":
    main()
