"""The scoring engine: pure rules that turn responses into scores, outcomes and ranks.

Standard library only, no I/O, no clock, no randomness: the same inputs give
the same report on every machine, which is how anyone re-checks a result.
"""

from scoring.annulment import Attempt, ScoreChange, annul, rescore
from scoring.engine import ScoringPlan, score, section_maxima
from scoring.errors import (
    DuplicateResponseError,
    KeyDataError,
    NoSuchSectionError,
    PolicyError,
    ReportDataError,
    ResponseError,
    ResultDataError,
    ScoringError,
    UnknownItemError,
    UnknownOptionError,
    UnknownSectionError,
)
from scoring.integration import IntegrationInput, final_score, integrate
from scoring.item_analysis import AttemptResponses, ItemAnalysis, analyse
from scoring.model import (
    Annulment,
    ItemId,
    ItemKey,
    OptionId,
    Response,
    ResponseMode,
    SectionId,
    key_from_dict,
    key_to_dict,
    keys_from_dict,
    responses_from_dict,
)
from scoring.numbers import Number
from scoring.policy import Policy, policy_from_dict
from scoring.presets import load_preset, policy_from_toml, preset_names
from scoring.ranking import CandidateResult, Ranking, rank, result_from_dict
from scoring.report import ScoreReport, report_from_dict, report_to_dict

__all__ = [
    "Annulment",
    "Attempt",
    "AttemptResponses",
    "CandidateResult",
    "DuplicateResponseError",
    "IntegrationInput",
    "ItemAnalysis",
    "ItemId",
    "ItemKey",
    "KeyDataError",
    "NoSuchSectionError",
    "Number",
    "OptionId",
    "Policy",
    "PolicyError",
    "Ranking",
    "ReportDataError",
    "Response",
    "ResponseError",
    "ResponseMode",
    "ResultDataError",
    "ScoreChange",
    "ScoreReport",
    "ScoringError",
    "ScoringPlan",
    "SectionId",
    "UnknownItemError",
    "UnknownOptionError",
    "UnknownSectionError",
    "analyse",
    "annul",
    "final_score",
    "integrate",
    "key_from_dict",
    "key_to_dict",
    "keys_from_dict",
    "load_preset",
    "policy_from_dict",
    "policy_from_toml",
    "preset_names",
    "rank",
    "report_from_dict",
    "report_to_dict",
    "rescore",
    "responses_from_dict",
    "result_from_dict",
    "score",
    "section_maxima",
]
