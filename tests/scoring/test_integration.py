from __future__ import annotations

from fractions import Fraction

import pytest

from scoring import CandidateResult, IntegrationInput, ResultDataError, final_score, integrate
from scoring.integration import input_from_dict


def test_final_score_is_40_60_exactly(skd) -> None:
    assert final_score(skd, 550, 100) == 100
    assert final_score(skd, 0, 0) == 0
    # 400/550*40 + 80*60/100 = 320/11 + 48
    assert final_score(skd, 400, 80) == Fraction(320, 11) + 48


def _input(name, twk, tiu, tkp, skb, grade=None, born=None) -> IntegrationInput:
    skd = CandidateResult(name, "general", {"TWK": twk, "TIU": tiu, "TKP": tkp})
    return IntegrationInput(skd=skd, skb=skb, grade_average=grade, birth_date=born)


def test_final_ties_follow_the_chain_down_to_the_older_candidate(skd) -> None:
    inputs = [
        _input("muda", 100, 120, 180, 80, grade=Fraction(35, 10), born="1998-05-01"),
        _input("tua", 100, 120, 180, 80, grade=Fraction(35, 10), born="1995-01-20"),
        _input("ipk", 100, 120, 180, 80, grade=Fraction(38, 10), born="1999-01-01"),
        _input("low", 105, 120, 185, 68, born="2000-01-01"),  # 410/550*40 + 40.8 < 77.1
        _input("top", 150, 175, 225, 100),
    ]
    entries = integrate(policy=skd, inputs=inputs)
    names = [e.row.input.skd.candidate for e in entries]
    assert names[0] == "top"
    finals = {e.row.input.skd.candidate: e.row.final for e in entries}
    assert finals["top"] == 100
    # the three with equal finals, SKD totals and sections: grade average, then age
    assert names == ["top", "ipk", "tua", "muda", "low"]
    rules = {e.row.input.skd.candidate: e.separation_from_next.rule for e in entries[:-1]}
    assert rules["ipk"] == "grade_average"
    assert rules["tua"] == "birth_date"


def test_equal_final_is_broken_by_skd_total(skd) -> None:
    # 440/550*40 = 32, SKB 80 -> 48: final 80 ; 330/550*40 = 24, SKB 280/3 -> 56: final 80
    a = _input("a", 100, 140, 200, 80)
    b = _input("b", 80, 100, 150, Fraction(280, 3))
    entries = integrate(policy=skd, inputs=[b, a])
    assert entries[0].row.final == entries[1].row.final == 80
    assert [e.row.input.skd.candidate for e in entries] == ["a", "b"]
    assert entries[0].separation_from_next.rule == "skd_total"


def test_candidates_equal_on_everything_stay_tied(skd) -> None:
    entries = integrate(
        policy=skd,
        inputs=[
            _input("x", 100, 120, 180, 80, born="1990-01-01"),
            _input("y", 100, 120, 180, 80, born="1990-01-01"),
        ],
    )
    assert [e.position for e in entries] == [1, 1]
    assert entries[0].separation_from_next.rule == "tie"


def test_bad_integration_input_is_refused(skd) -> None:
    base = {"candidate": "x", "sections": {"TWK": 65, "TIU": 80, "TKP": 166}}
    with pytest.raises(ResultDataError, match=r"outside 0\.\.100"):
        input_from_dict({**base, "skb": 101}, skd)
    with pytest.raises(ResultDataError, match="YYYY-MM-DD"):
        input_from_dict({**base, "skb": 50, "birth_date": "01/02/1990"}, skd)


def test_ranking_only_policy_has_no_integration(pppk) -> None:
    from scoring import PolicyError

    with pytest.raises(PolicyError, match="no integration"):
        final_score(pppk, 100, 50)


def test_integration_input_lacking_a_section_is_refused_by_name(skd) -> None:
    lacking = CandidateResult("x", "general", {"TWK": 65, "TIU": 80})
    with pytest.raises(ResultDataError) as caught:
        integrate(policy=skd, inputs=[IntegrationInput(lacking, skb=50)])
    assert caught.value.missing == ("TKP",)
    assert "candidate 'x': no score for TKP (policy 'skd-2024' needs TWK, TIU, TKP)" in str(
        caught.value
    )
