"""The stored score report (its JSON) read back as typed figures, and the words for them.

Every figure printed on a slip or a feedback report comes from the committed
report of the attempt, the same record the candidate's screen, the live
display and the exports read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from scoring.report import Reason, ScoreReport, SectionResult, TopicResult, report_from_dict

# The reports read the stored report with scoring's own types: one definition of a
# score report, whoever prints it.
TopicFigures = TopicResult
SectionFigures = SectionResult
ReasonText = Reason
ScoreFigures = ScoreReport


def figures_of(report: Mapping[str, object]) -> ScoreReport:
    """Read a report as ``scoring.report_to_dict`` wrote it."""
    return report_from_dict(report)


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
