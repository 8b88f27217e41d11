"""The reports' typeface: DejaVu Sans, embedded so Indonesian text renders on any reader.

The TrueType files ship in ``fonts/`` with their licence (Bitstream Vera
licence; DejaVu changes are public domain). PDF readers get subsets of them
inside each document, so nothing depends on the fonts of the reading machine.
Registration is done once per process, on first use, never at import.
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]

FAMILY = "DejaVuSans"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"

FOLDER = Path(__file__).with_name("fonts")
FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
}

_lock = threading.Lock()


def register() -> None:
    """Make the fonts known to reportlab (idempotent, thread-safe)."""
    with _lock:
        if REGULAR in pdfmetrics.getRegisteredFontNames():
            return
        for name, file in FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(FOLDER / file)))
        addMapping(FAMILY, 0, 0, REGULAR)
        addMapping(FAMILY, 1, 0, BOLD)
        addMapping(FAMILY, 0, 1, ITALIC)
        addMapping(FAMILY, 1, 1, BOLD)  # no bold-oblique shipped: bold stands in
