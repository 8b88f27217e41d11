"""The stored score report (its JSON) read back as typed figures, and the words for them.

Every figure printed on a slip or a feedback report comes from the committed
report of the attempt, the same record the candidate's screen, the live
display and the exports read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from scoring.numbers import Number, exact


@dataclass(frozen=True, slots=True)
class TopicFigures:
    topic: str
    score: Number
    max: Number
    items: int
    answered: int
    correct: int

    @property
    def share(self) -> float | None:
        """Share of the topic's points earned."""
        return float(self.score / self.max) if self.max else None

    @property
    def lost(self) -> Number:
        return self.max - self.score


@dataclass(frozen=True, slots=True)
class SectionFigures:
    section: str
    score: Number
    max: Number
    threshold: Number | None
    passed: bool | None
    items: int
    answered: int
    correct: int
    blank: int
    topics: tuple[TopicFigures, ...]

    @property
    def share(self) -> float | None:
        return float(self.score / self.max) if self.max else None

    @property
    def lost(self) -> Number:
        return self.max - self.score

    @property
    def gap(self) -> Number | None:
        """Points missing to reach the threshold (None without one or when it is met)."""
        if self.threshold is None or self.score >= self.threshold:
            return None
        return self.threshold - self.score


@dataclass(frozen=True, slots=True)
class ReasonText:
    code: str
    section: str | None
    text_id: str
    text_en: str


@dataclass(frozen=True, slots=True)
class ScoreFigures:
    policy: str
    track: str
    sections: tuple[SectionFigures, ...]
    total: Number
    max_total: Number
    total_threshold: Number | None
    passed: bool | None
    reasons: tuple[ReasonText, ...]

    def section(self, section_id: str) -> SectionFigures:
        for s in self.sections:
            if s.section == section_id:
                return s
        raise KeyError(section_id)

    @property
    def total_gap(self) -> Number | None:
        if self.total_threshold is None or self.total >= self.total_threshold:
            return None
        return self.total_threshold - self.total


def _mapping(value: object, what: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise TypeError(f"the stored report's {what} is not an object")
    return value


def _number(value: object, what: str) -> Number:
    return exact(value, what=what)


def _maybe_number(value: object, what: str) -> Number | None:
    return None if value is None else exact(value, what=what)


def _int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"the stored report's {what} is not a whole number")
    return value


def _flag(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def figures_of(report: Mapping[str, object]) -> ScoreFigures:
    """Read a report as ``scoring.report_to_dict`` wrote it."""
    sections = []
    for sid, raw in _mapping(report.get("sections"), "sections").items():
        s = _mapping(raw, f"section {sid}")
        topics = tuple(
            TopicFigures(
                topic=tid,
                score=_number(t["score"], "topic score"),
                max=_number(t["max"], "topic max"),
                items=_int(t["items"], "topic items"),
                answered=_int(t["answered"], "topic answered"),
                correct=_int(t["correct"], "topic correct"),
            )
            for tid, t in (
                (tid, _mapping(v, f"topic {tid}"))
                for tid, v in _mapping(s.get("topics", {}), "topics").items()
            )
        )
        sections.append(
            SectionFigures(
                section=sid,
                score=_number(s["score"], f"{sid} score"),
                max=_number(s["max"], f"{sid} max"),
                threshold=_maybe_number(s.get("threshold"), f"{sid} threshold"),
                passed=_flag(s.get("passed")),
                items=_int(s["items"], f"{sid} items"),
                answered=_int(s["answered"], f"{sid} answered"),
                correct=_int(s["correct"], f"{sid} correct"),
                blank=_int(s["blank"], f"{sid} blank"),
                topics=topics,
            )
        )
    reasons = []
    raw_reasons = report.get("reasons", [])
    for raw in raw_reasons if isinstance(raw_reasons, list) else []:
        r = _mapping(raw, "reason")
        section = r.get("section")
        reasons.append(
            ReasonText(
                code=str(r.get("code", "")),
                section=section if isinstance(section, str) else None,
                text_id=str(r.get("id", "")),
                text_en=str(r.get("en", "")),
            )
        )
    return ScoreFigures(
        policy=str(report.get("policy", "")),
        track=str(report.get("track", "")),
        sections=tuple(sections),
        total=_number(report["total"], "total"),
        max_total=_number(report["max_total"], "max total"),
        total_threshold=_maybe_number(report.get("total_threshold"), "total threshold"),
        passed=_flag(report.get("passed")),
        reasons=tuple(reasons),
    )


# ---------------------------------------------------------------- words

#: Short words written in capitals in topic names.
_ACRONYMS = frozenset({"uud", "nkri", "tik", "twk", "tiu", "tkp", "asn", "ppkn", "ham", "dpr"})


def topic_name(code: str) -> str:
    """A topic code as a reader expects it: ``uud1945`` -> ``UUD 1945``."""
    words = re.sub(r"(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])", " ", code.replace("_", " ")).split()
    out = [w.upper() if w.lower() in _ACRONYMS else w for w in words]
    if out and out[0] == out[0].lower():
        out[0] = out[0][:1].upper() + out[0][1:]
    return " ".join(out) or "-"


def outcome_words(passed: bool | None) -> tuple[str, str]:
    """(Indonesian, English) for an outcome."""
    if passed is True:
        return "MEMENUHI AMBANG BATAS", "Meets the passing thresholds"
    if passed is False:
        return "TIDAK MEMENUHI AMBANG BATAS", "Does not meet the passing thresholds"
    return "TANPA AMBANG BATAS (PERINGKAT)", "No thresholds: the score is used for ranking"


def passed_words(passed: bool | None) -> str:
    return {True: "Memenuhi", False: "Tidak memenuhi", None: "-"}[passed]


SUBMITTED_BY = {
    "candidate": ("diserahkan oleh peserta", "submitted by the candidate"),
    "deadline": ("waktu habis (otomatis)", "time ran out (automatic)"),
    "proctor": ("diakhiri oleh pengawas", "ended by the proctor"),
    "session_closed": ("diakhiri saat sesi ditutup", "ended when the session closed"),
}


def submitted_words(by: str | None) -> str:
    return SUBMITTED_BY.get(by or "", (by or "-", ""))[0]
