"""The score report: what a candidate, a proctor and an auditor all read.

Reports are plain frozen data with a JSON form (:func:`report_to_dict`) that
the server stores, the candidate screen shows and ``cbt-score`` prints.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from scoring.errors import NoSuchSectionError, ReportDataError
from scoring.model import SectionId
from scoring.numbers import Number, display, exact, to_json


@dataclass(frozen=True, slots=True)
class Reason:
    """One sentence explaining the outcome, in Indonesian and English."""

    code: str
    text_id: str
    text_en: str
    section: str | None = None


class _Share:
    """What reports say of a part of a score: the share earned and the points lost."""

    __slots__ = ()
    score: Number
    max: Number

    @property
    def share(self) -> Fraction | None:
        """Share of the points earned, exact (printing rounds it, once)."""
        return Fraction(self.score, self.max) if self.max else None

    @property
    def lost(self) -> Number:
        return self.max - self.score


@dataclass(frozen=True, slots=True)
class TopicResult(_Share):
    topic: str
    score: Number
    max: Number
    items: int
    answered: int
    correct: int


@dataclass(frozen=True, slots=True)
class SectionResult(_Share):
    section: SectionId
    score: Number
    max: Number
    threshold: Number | None
    passed: bool | None
    items: int
    answered: int
    correct: int
    blank: int
    topics: tuple[TopicResult, ...]

    @property
    def gap(self) -> Number | None:
        """Points missing to reach the threshold (None without one, or when it is met)."""
        if self.threshold is None or self.score >= self.threshold:
            return None
        return self.threshold - self.score


@dataclass(frozen=True, slots=True)
class ScoreReport:
    policy: str
    track: str
    sections: tuple[SectionResult, ...]
    total: Number
    max_total: Number
    total_threshold: Number | None
    #: ``None`` when the track has no thresholds (ranking only).
    passed: bool | None
    reasons: tuple[Reason, ...]

    def section(self, section_id: str) -> SectionResult:
        """One section's result; :class:`NoSuchSectionError` when the report has none."""
        for result in self.sections:
            if result.section == section_id:
                return result
        raise NoSuchSectionError(section_id, tuple(s.section for s in self.sections))

    @property
    def section_scores(self) -> dict[str, Number]:
        return {s.section: s.score for s in self.sections}

    @property
    def total_gap(self) -> Number | None:
        if self.total_threshold is None or self.total >= self.total_threshold:
            return None
        return self.total_threshold - self.total


def explain(
    *,
    sections: tuple[SectionResult, ...],
    total: Number,
    total_threshold: Number | None,
    track_name_id: str,
    track_name_en: str,
) -> tuple[tuple[Reason, ...], bool | None]:
    """The reasons for an outcome and the outcome itself (``None``: ranking only)."""
    reasons: list[Reason] = []
    failed: list[str] = []
    checked = False
    for s in sections:
        if s.threshold is None:
            continue
        checked = True
        score, minimum = display(s.score), display(s.threshold)
        if s.passed:
            reasons.append(
                Reason(
                    "section_meets_threshold",
                    f"{s.section} {score} memenuhi ambang batas {minimum}",
                    f"{s.section} {score} meets the threshold of {minimum}",
                    s.section,
                )
            )
        else:
            failed.append(s.section)
            reasons.append(
                Reason(
                    "section_below_threshold",
                    f"{s.section} {score} di bawah ambang batas {minimum}",
                    f"{s.section} {score} is below the threshold of {minimum}",
                    s.section,
                )
            )
    if total_threshold is not None:
        checked = True
        score, minimum = display(total), display(total_threshold)
        if total >= total_threshold:
            reasons.append(
                Reason(
                    "total_meets_threshold",
                    f"Total {score} memenuhi ambang batas {minimum}",
                    f"Total {score} meets the threshold of {minimum}",
                )
            )
        else:
            failed.append("Total")
            reasons.append(
                Reason(
                    "total_below_threshold",
                    f"Total {score} di bawah ambang batas {minimum}",
                    f"Total {score} is below the threshold of {minimum}",
                )
            )
    if not checked:
        reasons.append(
            Reason(
                "ranking_only",
                f"Jalur {track_name_id} tidak memiliki ambang batas; nilai dipakai untuk peringkat",
                f"Track {track_name_en} has no thresholds; the score is used for ranking",
            )
        )
        return tuple(reasons), None
    if failed:
        listed = ", ".join(failed)
        reasons.append(
            Reason(
                "outcome_fail",
                f"Tidak memenuhi ambang batas jalur {track_name_id} ({listed})",
                f"Does not meet the thresholds of the {track_name_en} track ({listed})",
            )
        )
        return tuple(reasons), False
    reasons.append(
        Reason(
            "outcome_pass",
            f"Memenuhi semua ambang batas jalur {track_name_id}",
            f"Meets every threshold of the {track_name_en} track",
        )
    )
    return tuple(reasons), True


def report_to_dict(report: ScoreReport) -> dict[str, object]:
    """The JSON form printed by ``cbt-score score`` and stored by the server."""
    return {
        "policy": report.policy,
        "track": report.track,
        "sections": {
            s.section: {
                "score": to_json(s.score),
                "max": to_json(s.max),
                "threshold": None if s.threshold is None else to_json(s.threshold),
                "passed": s.passed,
                "items": s.items,
                "answered": s.answered,
                "correct": s.correct,
                "blank": s.blank,
                "topics": {
                    t.topic: {
                        "score": to_json(t.score),
                        "max": to_json(t.max),
                        "items": t.items,
                        "answered": t.answered,
                        "correct": t.correct,
                    }
                    for t in s.topics
                },
            }
            for s in report.sections
        },
        "total": to_json(report.total),
        "max_total": to_json(report.max_total),
        "total_threshold": (
            None if report.total_threshold is None else to_json(report.total_threshold)
        ),
        "passed": report.passed,
        "reasons": [
            {"code": r.code, "section": r.section, "id": r.text_id, "en": r.text_en}
            for r in report.reasons
        ],
    }


def report_from_dict(data: Mapping[str, object]) -> ScoreReport:
    """Read back what :func:`report_to_dict` wrote (a stored or published report).

    Raises :class:`ReportDataError` naming the part that is malformed.
    """
    try:
        sections = []
        for sid, raw in _object(data["sections"]).items():
            s = _object(raw)
            topics = tuple(
                TopicResult(
                    topic=tid,
                    score=_num(t["score"]),
                    max=_num(t["max"]),
                    items=_whole(t["items"]),
                    answered=_whole(t["answered"]),
                    correct=_whole(t["correct"]),
                )
                for tid, t in ((tid, _object(v)) for tid, v in _object(s["topics"]).items())
            )
            sections.append(
                SectionResult(
                    section=SectionId(sid),
                    score=_num(s["score"]),
                    max=_num(s["max"]),
                    threshold=_maybe(s.get("threshold")),
                    passed=_flag(s.get("passed")),
                    items=_whole(s["items"]),
                    answered=_whole(s["answered"]),
                    correct=_whole(s["correct"]),
                    blank=_whole(s["blank"]),
                    topics=topics,
                )
            )
        reasons = tuple(
            Reason(
                code=str(r["code"]),
                text_id=str(r["id"]),
                text_en=str(r["en"]),
                section=None if r.get("section") is None else str(r["section"]),
            )
            for r in (_object(x) for x in _list(data["reasons"]))
        )
        return ScoreReport(
            policy=str(data["policy"]),
            track=str(data["track"]),
            sections=tuple(sections),
            total=_num(data["total"]),
            max_total=_num(data["max_total"]),
            total_threshold=_maybe(data.get("total_threshold")),
            passed=_flag(data.get("passed")),
            reasons=reasons,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ReportDataError(f"the report is malformed ({exc})") from None


def _object(value: object) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise TypeError("expected an object")
    return value


def _list(value: object) -> list[object]:
    if not isinstance(value, list):
        raise TypeError("expected a list")
    return value


def _whole(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("expected a whole number")
    return value


def _num(value: object) -> Number:
    return exact(value, what="a score")


def _maybe(value: object) -> Number | None:
    return None if value is None else _num(value)


def _flag(value: object) -> bool | None:
    return value if isinstance(value, bool) else None
