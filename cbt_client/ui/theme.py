"""The station's look: two palettes (calm and high contrast) and a font scale, as one stylesheet.

Sizes are in device-independent pixels, so Qt's high-DPI scaling carries them
from 1024x768 to 4K; the candidate's font buttons multiply them by ``scale``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

#: Preferred faces, best first: calm humanist sans serifs with full Latin coverage.
FONT_FAMILIES = ["Segoe UI", "Noto Sans", "Open Sans", "Liberation Sans", "Arial", "DejaVu Sans"]
ASSETS = Path(__file__).parent / "assets"


def pick_family(available: Iterable[str]) -> str:
    """The first preferred face installed here (Qt's default when none is)."""
    installed = set(available)
    return next((f for f in FONT_FAMILIES if f in installed), "")


SCALES = (0.9, 1.0, 1.12, 1.25, 1.4, 1.6)


@dataclass(frozen=True, slots=True)
class Palette:
    name: str
    window: str
    surface: str
    surface_alt: str
    text: str
    muted: str
    border: str
    primary: str
    primary_text: str
    primary_hover: str
    accent: str
    bar: str
    bar_text: str
    answered: str
    answered_text: str
    doubtful: str
    doubtful_text: str
    blank: str
    blank_text: str
    selected: str
    danger: str
    danger_soft: str
    success: str
    success_soft: str
    amber: str
    amber_text: str
    red: str
    focus: str
    current: str


CALM = Palette(
    name="calm",
    window="#EEF2F6",
    surface="#FFFFFF",
    surface_alt="#F6F8FB",
    text="#17212B",
    muted="#5A6878",
    border="#D3DAE3",
    primary="#16426E",
    primary_text="#FFFFFF",
    primary_hover="#1D5590",
    accent="#1F6FB2",
    bar="#0F2F52",
    bar_text="#FFFFFF",
    answered="#2E7D32",
    answered_text="#FFFFFF",
    doubtful="#F4B400",
    doubtful_text="#2B2100",
    blank="#FFFFFF",
    blank_text="#2C3A48",
    selected="#E6F0FA",
    danger="#B3261E",
    danger_soft="#FBEAEA",
    success="#1E6B31",
    success_soft="#E7F4EA",
    amber="#F4B400",
    amber_text="#2B2100",
    red="#C62828",
    focus="#F29D0C",
    current="#0B2545",
)

HIGH_CONTRAST = Palette(
    name="high_contrast",
    window="#000000",
    surface="#000000",
    surface_alt="#0C0C0C",
    text="#FFFFFF",
    muted="#E6E6E6",
    border="#FFFFFF",
    primary="#FFD400",
    primary_text="#000000",
    primary_hover="#FFE566",
    accent="#FFD400",
    bar="#000000",
    bar_text="#FFFFFF",
    answered="#00C853",
    answered_text="#000000",
    doubtful="#FFD400",
    doubtful_text="#000000",
    blank="#000000",
    blank_text="#FFFFFF",
    selected="#1A1A00",
    danger="#FF6E6E",
    danger_soft="#1A0000",
    success="#00E676",
    success_soft="#001A08",
    amber="#FFD400",
    amber_text="#000000",
    red="#FF5252",
    focus="#00E5FF",
    current="#00E5FF",
)


def stylesheet(p: Palette, scale: float = 1.0, family: str = "") -> str:
    def px(value: float) -> str:
        return f"{round(value * scale)}px"

    thick = "2px" if p.name == "high_contrast" else "1px"
    face = f'font-family: "{family}";' if family else ""
    tick = (ASSETS / ("check-dark.svg" if p.name == "high_contrast" else "check.svg")).as_posix()
    return f"""
* {{ font-size: {px(15)}; color: {p.text}; {face} }}
QWidget#StationWindow, QStackedWidget, QWidget#Page {{ background: {p.window}; }}
QLabel {{ background: transparent; }}
QLabel[role="h1"] {{ font-size: {px(28)}; font-weight: 600; }}
QLabel[role="h2"] {{ font-size: {px(21)}; font-weight: 600; }}
QLabel[role="h3"] {{ font-size: {px(16)}; font-weight: 600; }}
QLabel[role="lead"] {{ font-size: {px(16)}; color: {p.muted}; }}
QLabel[role="muted"] {{ color: {p.muted}; font-size: {px(14)}; }}
QLabel[role="legend"] {{ color: {p.muted}; font-size: 13px; }}
QLabel[role="caption"] {{ color: {p.muted}; font-size: {px(12)}; font-weight: 600;
    letter-spacing: 0.5px; }}
QLabel[role="value"] {{ font-size: {px(17)}; font-weight: 600; }}
QLabel[role="big"] {{ font-size: {px(44)}; font-weight: 700; }}
QFrame#Card {{ background: {p.surface}; border: {thick} solid {p.border}; border-radius: 12px; }}
QFrame#Band {{ background: {p.bar}; }}
QFrame#Band QLabel {{ color: {p.bar_text}; }}
QLabel#BandTitle {{ font-size: {px(17)}; font-weight: 600; }}
QLabel#BandMeta {{ font-size: {px(13)}; }}
QFrame#Rule {{ background: {p.border}; max-height: 1px; min-height: 1px; border: none; }}

QLineEdit {{ background: {p.surface}; border: {thick} solid {p.border}; border-radius: 8px;
    padding: {px(10)} {px(12)}; font-size: {px(18)}; selection-background-color: {p.surface}; }}
QLineEdit:focus {{ border: 2px solid {p.accent}; }}
QCheckBox {{ spacing: {px(10)}; font-size: {px(15)}; }}
QCheckBox::indicator {{ width: {px(22)}; height: {px(22)}; border: 2px solid {p.muted};
    border-radius: 5px; background: {p.surface}; }}
QCheckBox::indicator:checked {{ background: {p.primary}; border-color: {p.primary};
    image: url("{tick}"); }}
QCheckBox:focus {{ color: {p.text}; }}

QPushButton {{ background: {p.surface}; color: {p.text}; border: {thick} solid {p.border};
    border-radius: 8px; padding: {px(12)} {px(20)}; font-size: {px(15)}; font-weight: 600; }}
QPushButton:hover {{ border-color: {p.accent}; }}
QPushButton:focus {{ border: 2px solid {p.focus}; }}
QPushButton:disabled {{ color: {p.muted}; background: {p.surface_alt}; }}
QPushButton[kind="primary"] {{ background: {p.primary}; color: {p.primary_text};
    border: 2px solid {p.primary}; }}
QPushButton[kind="primary"]:hover {{ background: {p.primary_hover}; }}
QPushButton[kind="primary"]:focus {{ border: 2px solid {p.focus}; }}
QPushButton[kind="primary"]:disabled {{ background: {p.border}; border-color: {p.border};
    color: {p.muted}; }}
QPushButton[kind="danger"] {{ background: {p.danger}; color: #FFFFFF;
    border: 2px solid {p.danger}; }}
QPushButton[kind="link"] {{ background: transparent; border: none; color: {p.accent};
    padding: {px(4)} {px(6)}; text-decoration: underline; font-weight: 500; }}
QPushButton[kind="link"]:focus {{ border: 2px solid {p.focus}; }}
QPushButton[kind="bar"] {{ background: transparent; color: {p.bar_text};
    border: 1px solid rgba(255,255,255,0.35); padding: {px(6)} {px(10)}; font-size: {px(14)}; }}
QPushButton[kind="bar"]:hover {{ border-color: {p.bar_text}; }}
QPushButton[kind="bar"]:focus {{ border: 2px solid {p.focus}; }}
QPushButton[kind="bar"]:checked {{ background: {p.bar_text}; color: {p.bar}; }}
QPushButton[kind="doubt"] {{ background: {p.surface}; }}
QPushButton[kind="doubt"]:checked {{ background: {p.doubtful}; color: {p.doubtful_text};
    border-color: {p.doubtful}; }}

QLabel#Notice {{ border-radius: 8px; padding: {px(12)} {px(14)}; font-size: {px(15)}; }}
QLabel#Notice[tone="error"] {{ background: {p.danger_soft}; color: {p.danger};
    border: 1px solid {p.danger}; }}
QLabel#Notice[tone="info"] {{ background: {p.selected}; color: {p.text};
    border: 1px solid {p.accent}; }}
QLabel#Notice[tone="warning"] {{ background: {p.surface_alt}; color: {p.text};
    border: 2px solid {p.amber}; }}

QLabel#Status {{ font-size: {px(13)}; font-weight: 600; padding: {px(4)} {px(10)};
    border-radius: 11px; }}
QLabel#Status[state="online"] {{ color: {p.success}; background: {p.success_soft}; }}
QLabel#Status[state="sending"] {{ color: {p.text}; background: {p.selected}; }}
QLabel#Status[state="offline"] {{ color: {p.amber_text}; background: {p.amber}; }}
QFrame#Band QLabel#Status[state="online"] {{ color: #D9F2DE; background: rgba(255,255,255,0.10); }}
QFrame#Band QLabel#Status[state="sending"] {{ color: {p.bar_text};
    background: rgba(255,255,255,0.10); }}
QFrame#Band QLabel#Status[state="offline"] {{ color: {p.amber_text}; background: {p.amber}; }}

QLabel#Clock {{ font-size: {px(22)}; font-weight: 700; padding: {px(4)} {px(16)};
    border-radius: 8px; font-family: "DejaVu Sans Mono", "Consolas", monospace; }}
QLabel#Clock[urgency="calm"] {{ color: {p.bar_text}; background: rgba(255,255,255,0.10); }}
QLabel#Clock[urgency="amber"] {{ color: {p.amber_text}; background: {p.amber}; }}
QLabel#Clock[urgency="red"] {{ color: #FFFFFF; background: {p.red}; }}
QLabel#ClockCaption {{ font-size: {px(11)}; }}

QScrollArea {{ border: none; background: transparent; }}
QScrollArea > QWidget > QWidget {{ background: transparent; }}
QScrollBar:vertical {{ width: 12px; background: transparent; }}
QScrollBar::handle:vertical {{ background: {p.border}; border-radius: 6px; min-height: 40px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ height: 0; }}

QLabel#Stem {{ font-size: {px(18)}; line-height: 150%; }}
QLabel#SectionTag {{ color: {p.primary_text}; background: {p.primary}; border-radius: 6px;
    padding: {px(3)} {px(10)}; font-size: {px(13)}; font-weight: 700; }}
QFrame#Option {{ background: {p.surface}; border: {thick} solid {p.border}; border-radius: 10px; }}
QFrame#Option:hover {{ border-color: {p.accent}; }}
QFrame#Option[selected="true"] {{ background: {p.selected}; border: 2px solid {p.primary}; }}
QFrame#Option:focus {{ border: 2px solid {p.focus}; }}
QFrame#Option[selected="true"]:focus {{ border: 3px solid {p.focus}; }}
QLabel#OptionLetter {{ min-width: {px(36)}; max-width: {px(36)}; min-height: {px(36)};
    max-height: {px(36)}; border-radius: {px(18)}; border: 2px solid {p.muted};
    font-size: {px(16)}; font-weight: 700; color: {p.text}; background: {p.surface}; }}
QLabel#OptionLetter[selected="true"] {{ background: {p.primary};
    color: {p.primary_text}; border-color: {p.primary}; }}
QLabel#OptionText {{ font-size: {px(17)}; }}

QFrame#Navigator {{ background: {p.surface}; border-left: {thick} solid {p.border}; }}
QPushButton#Cell {{ padding: 0; border-radius: 6px; font-size: 12px;
    font-weight: 600;
    background: {p.blank}; color: {p.blank_text}; border: 1px solid {p.border}; }}
QPushButton#Cell[state="answered"] {{ background: {p.answered}; color: {p.answered_text};
    border-color: {p.answered}; }}
QPushButton#Cell[state="doubtful"] {{ background: {p.doubtful}; color: {p.doubtful_text};
    border-color: {p.doubtful}; }}
QPushButton#Cell[current="true"] {{ border: 3px solid {p.current}; }}
QPushButton#Chip {{ padding: 0; border-radius: 6px; font-size: 13px;
    font-weight: 600; background: {p.blank}; color: {p.blank_text}; border: 1px solid {p.border}; }}
QPushButton#Chip[state="doubtful"] {{ background: {p.doubtful}; color: {p.doubtful_text};
    border-color: {p.doubtful}; }}
QPushButton#Chip:focus {{ border: 3px solid {p.focus}; }}
QFrame#Band QLabel#Emblem {{ background: {p.accent if p.name != "high_contrast" else p.primary};
    color: {p.primary_text if p.name == "high_contrast" else "#FFFFFF"}; border-radius: 8px;
    font-size: {px(13)}; font-weight: 800; padding: 0; }}
QPushButton#Cell:focus {{ border: 3px solid {p.focus}; }}
QLabel#Swatch {{ min-width: 14px; max-width: 14px; min-height: 14px; max-height: 14px;
    border-radius: 3px; border: 1px solid {p.border}; }}
QLabel#Swatch[state="answered"] {{ background: {p.answered}; border-color: {p.answered}; }}
QLabel#Swatch[state="doubtful"] {{ background: {p.doubtful}; border-color: {p.doubtful}; }}
QLabel#Swatch[state="blank"] {{ background: {p.blank}; }}

QFrame#Overlay {{ background: {p.window}; }}
QFrame#Banner {{ background: {p.selected}; border: 1px solid {p.accent}; border-radius: 8px; }}
QFrame#Outcome[passed="true"] {{ background: {p.success_soft}; border: 2px solid {p.success};
    border-radius: 12px; }}
QFrame#Outcome[passed="false"] {{ background: {p.danger_soft}; border: 2px solid {p.danger};
    border-radius: 12px; }}
QFrame#Outcome[passed="none"] {{ background: {p.surface_alt}; border: 2px solid {p.border};
    border-radius: 12px; }}
QLabel#OutcomeText[passed="true"] {{ color: {p.success}; }}
QLabel#OutcomeText[passed="false"] {{ color: {p.danger}; }}
QLabel[verdict="pass"] {{ color: {p.success}; font-weight: 600; }}
QLabel[verdict="fail"] {{ color: {p.danger}; font-weight: 600; }}
QFrame#LockPanel {{ background: {p.surface}; border: 2px solid {p.danger}; border-radius: 14px; }}
QDialog {{ background: {p.surface}; }}
"""
