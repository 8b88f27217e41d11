"""Golden tables from the published SKD rules, and the engine's edge cases."""

from __future__ import annotations

from fractions import Fraction

import pytest

from scoring import (
    ItemId,
    ItemKey,
    KeyDataError,
    OptionId,
    ResponseError,
    ResponseMode,
    ScoringPlan,
    SectionId,
    UnknownItemError,
    UnknownOptionError,
    UnknownSectionError,
    policy_from_dict,
    report_to_dict,
    score,
)
from tests.scoring.factories import responses_for

# (track, TWK, TIU, TKP, passed, reason codes of the failing checks)
SKD_GOLDEN = [
    # general: every section must meet its own threshold
    ("general", 65, 80, 166, True, set()),
    ("general", 60, 80, 166, False, {"TWK"}),
    ("general", 65, 75, 166, False, {"TIU"}),
    ("general", 65, 80, 165, False, {"TKP"}),
    ("general", 150, 175, 165, False, {"TKP"}),
    ("general", 0, 0, 0, False, {"TWK", "TIU", "TKP"}),
    ("general", 150, 175, 225, True, set()),
    # cumlaude / diaspora: total >= 311 and TIU >= 85 (TWK may be low)
    ("cumlaude", 55, 85, 171, True, set()),
    ("cumlaude", 55, 85, 170, False, {"total"}),
    ("cumlaude", 100, 80, 200, False, {"TIU"}),
    ("diaspora", 60, 90, 161, True, set()),
    # disability / papua / tertinggal: total >= 286 and TIU >= 60
    ("disability", 50, 60, 176, True, set()),
    ("disability", 50, 60, 175, False, {"total"}),
    ("papua", 60, 55, 200, False, {"TIU"}),
    ("tertinggal", 45, 60, 181, True, set()),
]


@pytest.mark.parametrize(("track", "twk", "tiu", "tkp", "passed", "failing"), SKD_GOLDEN)
def test_skd_golden_table(plan, keys, track, twk, tiu, tkp, passed, failing) -> None:
    responses = responses_for(keys, TWK=twk, TIU=tiu, TKP=tkp)
    report = score(plan=plan, responses=responses, track=track)
    assert report.section_scores == {"TWK": twk, "TIU": tiu, "TKP": tkp}
    assert report.total == twk + tiu + tkp
    assert report.max_total == 550
    assert report.passed is passed
    below = {r.section or "total" for r in report.reasons if r.code.endswith("below_threshold")}
    assert below == failing
    assert report.reasons[-1].code == ("outcome_pass" if passed else "outcome_fail")


def test_reasons_are_plain_indonesian_and_english(plan, keys) -> None:
    report = score(plan=plan, responses=responses_for(keys, TWK=65, TIU=75, TKP=170))
    texts_id = [r.text_id for r in report.reasons]
    texts_en = [r.text_en for r in report.reasons]
    assert "TIU 75 di bawah ambang batas 80" in texts_id
    assert "TWK 65 memenuhi ambang batas 65" in texts_id
    assert "TIU 75 is below the threshold of 80" in texts_en
    assert texts_id[-1] == "Tidak memenuhi ambang batas jalur Umum (TIU)"


def test_report_counts_and_topics(plan, keys) -> None:
    responses = responses_for(keys, TWK=65, TIU=80, TKP=166)
    # blank two TWK items that were answered wrong: score unchanged, counts move
    wrong = [
        k.item_id
        for k in keys
        if k.section == "TWK" and responses.get(k.item_id) and k.points[responses[k.item_id]] == 0
    ][:2]
    for item_id in wrong:
        del responses[item_id]
    report = score(plan=plan, responses=responses)
    twk = report.section("TWK")
    assert (twk.score, twk.items, twk.answered, twk.blank, twk.correct) == (65, 30, 28, 2, 13)
    assert sum(t.score for t in twk.topics) == 65
    assert sum(t.items for t in twk.topics) == 30
    assert {t.topic for t in twk.topics} == {"pancasila", "uud1945", "nkri", "bhinneka"}
    tkp = report.section("TKP")
    assert tkp.correct == sum(
        1
        for k in keys
        if k.section == "TKP"
        and responses.get(k.item_id) is not None
        and k.points[responses[k.item_id]] == 5
    )


def test_json_form_has_the_published_shape(plan, keys) -> None:
    data = report_to_dict(score(plan=plan, responses=responses_for(keys, TWK=65, TIU=80, TKP=176)))
    assert data["sections"]["TWK"] == {
        **data["sections"]["TWK"],
        "score": 65,
        "max": 150,
        "threshold": 65,
        "passed": True,
    }
    assert data["total"] == 321
    assert data["passed"] is True
    assert {"code", "id", "en", "section"} <= set(data["reasons"][0])


def test_blank_tkp_scores_zero(plan) -> None:
    report = score(plan=plan, responses={})
    assert report.section_scores == {"TWK": 0, "TIU": 0, "TKP": 0}
    assert report.section("TKP").blank == 45


def test_ranking_only_policy_has_no_outcome(pppk) -> None:
    keys = [
        ItemKey(ItemId("T1"), SectionId("teknis"), {OptionId("A"): 5, OptionId("B"): 0}),
        ItemKey(
            ItemId("M1"),
            SectionId("manajerial"),
            dict(zip(map(OptionId, "ABCD"), [1, 2, 3, 4], strict=True)),
        ),
    ]
    report = score(
        plan=ScoringPlan(pppk, keys),
        responses={ItemId("T1"): OptionId("A"), ItemId("M1"): OptionId("C")},
    )
    assert report.total == 8
    assert report.passed is None
    assert [r.code for r in report.reasons] == ["ranking_only"]


def test_errors_name_the_item_and_option(plan) -> None:
    with pytest.raises(UnknownItemError) as caught:
        score(plan=plan, responses={ItemId("TWK-999"): OptionId("A")})
    assert caught.value.item_id == "TWK-999"
    with pytest.raises(UnknownOptionError) as bad_option:
        score(plan=plan, responses={ItemId("TWK-001"): OptionId("F")})
    assert (bad_option.value.item_id, bad_option.value.option) == ("TWK-001", "F")
    assert bad_option.value.options == ("A", "B", "C", "D", "E")
    with pytest.raises(ResponseError):
        score(plan=plan, responses={ItemId("TWK-001"): frozenset({OptionId("A")})})


def test_keys_that_contradict_the_policy_are_refused(skd) -> None:
    bad_tkp = ItemKey(
        ItemId("TKP-X"),
        SectionId("TKP"),
        dict(zip(map(OptionId, "ABCDE"), [1, 1, 3, 4, 5], strict=True)),
    )
    with pytest.raises(KeyDataError, match="weights 1, 2, 3, 4, 5"):
        ScoringPlan(skd, [bad_tkp])
    two_right = ItemKey(
        ItemId("TWK-X"), SectionId("TWK"), {OptionId("A"): 5, OptionId("B"): 5, OptionId("C"): 0}
    )
    with pytest.raises(KeyDataError, match="one option worth 5"):
        ScoringPlan(skd, [two_right])
    stranger = ItemKey(ItemId("X-1"), SectionId("XYZ"), {OptionId("A"): 5})
    with pytest.raises(UnknownSectionError) as caught:
        ScoringPlan(skd, [stranger])
    assert caught.value.section == "XYZ"
    with pytest.raises(KeyDataError, match="no scoring option"):
        ItemKey(ItemId("Z"), SectionId("TWK"), {OptionId("A"): 0, OptionId("B"): 0})


FREE = policy_from_dict(
    {
        "id": "free",
        "sections": [{"id": "S", "key_rule": {"kind": "free"}}],
        "tracks": {"general": {"thresholds": {}}},
    }
)


def _free_score(key: ItemKey, response) -> object:
    return score(plan=ScoringPlan(FREE, [key]), responses={key.item_id: response}).total


def test_negative_marking_and_blank_points() -> None:
    key = ItemKey(
        ItemId("N"),
        SectionId("S"),
        {OptionId("A"): 4, OptionId("B"): -1, OptionId("C"): -1},
        blank_points=0,
    )
    assert _free_score(key, OptionId("A")) == 4
    assert _free_score(key, OptionId("B")) == -1
    assert _free_score(key, None) == 0


def test_multiple_response_all_or_nothing_and_partial() -> None:
    points = {OptionId("A"): 2, OptionId("B"): 2, OptionId("C"): -1, OptionId("D"): -1}
    strict = ItemKey(ItemId("M"), SectionId("S"), points, mode=ResponseMode.ALL_OR_NOTHING)
    partial = ItemKey(ItemId("M"), SectionId("S"), points, mode=ResponseMode.PARTIAL)
    both = frozenset({OptionId("A"), OptionId("B")})
    one = frozenset({OptionId("A")})
    one_wrong = frozenset({OptionId("A"), OptionId("C")})
    all_wrong = frozenset({OptionId("C"), OptionId("D")})
    assert _free_score(strict, both) == 4
    assert _free_score(strict, one) == 0
    assert _free_score(partial, one) == 2
    assert _free_score(partial, one_wrong) == 1
    assert _free_score(partial, all_wrong) == 0  # floored at zero
    with pytest.raises(UnknownOptionError):
        _free_score(partial, frozenset({OptionId("Q")}))


def test_weights_and_fractions_stay_exact() -> None:
    keys = [
        ItemKey(
            ItemId(f"W{i}"),
            SectionId("S"),
            {OptionId("A"): 1, OptionId("B"): 0},
            weight=Fraction(1, 3),
        )
        for i in range(3)
    ]
    report = score(plan=ScoringPlan(FREE, keys), responses={k.item_id: OptionId("A") for k in keys})
    assert report.total == 1
    assert isinstance(report.total, int)
    assert (
        report_to_dict(
            score(plan=ScoringPlan(FREE, keys), responses={ItemId("W0"): OptionId("A")})
        )["total"]
        == "1/3"
    )


def test_a_report_reads_back_from_its_published_form(plan, keys) -> None:
    from scoring import ReportDataError, report_from_dict

    report = score(plan=plan, responses=responses_for(keys, TWK=60, TIU=80, TKP=170))
    assert report_from_dict(report_to_dict(report)) == report
    assert report.section("TWK").gap == 5
    assert report.section("TIU").gap is None
    assert report.section("TWK").lost == 90
    assert report.section("TWK").share == Fraction(2, 5)
    with pytest.raises(ReportDataError, match="malformed"):
        report_from_dict({"sections": {"TWK": {"score": 1.5}}})


def test_asking_a_report_for_a_section_it_lacks_names_the_sections_it_has(plan, keys) -> None:
    from scoring import NoSuchSectionError, ScoringError

    report = score(plan=plan, responses=responses_for(keys, TWK=60, TIU=80, TKP=170))
    with pytest.raises(NoSuchSectionError) as caught:
        report.section("XYZ")
    assert isinstance(caught.value, ScoringError)
    assert not isinstance(caught.value, KeyError)
    assert (caught.value.section, caught.value.known) == ("XYZ", ("TWK", "TIU", "TKP"))
    assert str(caught.value) == "the report has no section 'XYZ' (sections: TWK, TIU, TKP)"
