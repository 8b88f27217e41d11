"""The SKD tie-break chain and the quota line, from the published rules."""

from __future__ import annotations

import pytest

from scoring import CandidateResult, ResultDataError, rank, result_from_dict


def r(name: str, twk: int, tiu: int, tkp: int, track: str = "general") -> CandidateResult:
    return CandidateResult(name, track, {"TWK": twk, "TIU": tiu, "TKP": tkp})


def test_equal_totals_are_separated_by_tkp_then_tiu_then_twk(skd) -> None:
    results = [
        r("dewi", 100, 120, 180),  # 400, TKP 180
        r("andi", 100, 110, 190),  # 400, TKP 190: first
        r("budi", 110, 110, 180),  # 400, TKP 180, TIU 110: below dewi (TIU 120)
        r("citra", 105, 115, 180),  # 400, TKP 180, TIU 115: between dewi and budi
        r("eko", 90, 120, 190),  # 400, TKP 190, TIU 120: above andi
    ]
    ranking = rank(policy=skd, results=results)
    assert [e.result.candidate for e in ranking.entries] == ["eko", "andi", "dewi", "citra", "budi"]
    assert [e.position for e in ranking.entries] == [1, 2, 3, 4, 5]
    rules = [e.separation_from_next.rule for e in ranking.entries[:-1]]
    assert rules == ["TIU", "TKP", "TIU", "TIU"]
    assert ranking.entries[-1].separation_from_next is None


def test_separation_records_the_values_that_decided(skd) -> None:
    ranking = rank(policy=skd, results=[r("a", 95, 115, 190), r("b", 100, 110, 190)])
    # totals 400 and TKP 190 equal: TIU 115 > 110 decides. (With total, TKP and TIU
    # equal, TWK is equal too, so the decree's last criterion can never split a pair.)
    first = ranking.entries[0]
    assert first.result.candidate == "a"
    assert (
        first.separation_from_next.rule,
        first.separation_from_next.above,
        first.separation_from_next.below,
    ) == ("TIU", 115, 110)


def test_full_tie_shares_a_position_and_crosses_the_quota_line_together(skd) -> None:
    results = [
        r("p1", 120, 150, 200),  # 470
        r("p2", 110, 140, 200),  # 450
        r("t1", 100, 130, 190),  # 420, tied on everything with t2 and t3
        r("t3", 100, 130, 190),
        r("t2", 100, 130, 190),
        r("z", 100, 120, 190),  # 410
    ]
    ranking = rank(policy=skd, results=results, vacancies=1)  # quota 3 x 1 = 3
    assert ranking.quota == 3
    names = [e.result.candidate for e in ranking.entries]
    assert names == ["p1", "p2", "t1", "t2", "t3", "z"]
    assert [e.position for e in ranking.entries] == [1, 2, 3, 3, 3, 6]
    assert [e.tie_group for e in ranking.entries] == [None, None, 1, 1, 1, None]
    assert [e.within_quota for e in ranking.entries] == [True, True, True, True, True, False]
    assert ranking.entries[2].separation_from_next.rule == "tie"
    assert ranking.entries[4].separation_from_next.rule == "total"


def test_only_passing_candidates_are_ranked_in_skd(skd) -> None:
    results = [r("lulus", 65, 80, 166), r("gagal", 150, 75, 225), r("cum", 55, 85, 171, "cumlaude")]
    ranking = rank(policy=skd, results=results)
    # both total 311; TKP 171 > 166 puts the cumlaude candidate first
    assert [e.result.candidate for e in ranking.entries] == ["cum", "lulus"]
    assert [x.candidate for x in ranking.not_ranked] == ["gagal"]


def test_ranking_ignores_input_order(skd) -> None:
    results = [r(f"c{i}", 65 + (i % 3) * 5, 80 + (i % 4) * 5, 166 + i % 5) for i in range(40)]
    forward = rank(policy=skd, results=results, quota=10)
    backward = rank(policy=skd, results=list(reversed(results)), quota=10)
    assert forward == backward


def test_pppk_ranks_everyone(pppk) -> None:
    results = [
        CandidateResult(
            "a",
            "general",
            {"teknis": 300, "manajerial": 80, "sosial_kultural": 60, "wawancara": 30},
        ),
        CandidateResult(
            "b",
            "general",
            {"teknis": 100, "manajerial": 40, "sosial_kultural": 40, "wawancara": 20},
        ),
    ]
    ranking = rank(policy=pppk, results=results)
    assert [e.result.candidate for e in ranking.entries] == ["a", "b"]
    assert ranking.not_ranked == ()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"candidate": "x", "sections": {"TWK": 1, "TIU": 1}}, "no score for TKP"),
        (
            {"candidate": "x", "sections": {"TWK": 1, "TIU": 1, "TKP": 1, "SKB": 1}},
            "SKB is not a section of policy 'skd-2024'",
        ),
        ({"candidate": "x", "track": "alien", "sections": {}}, "unknown track"),
        ({"candidate": "", "sections": {}}, "non-empty string"),
        ({"candidate": "x", "sections": {"TWK": 1.5, "TIU": 1, "TKP": 1}}, "floating-point"),
    ],
)
def test_bad_results_are_refused(skd, data, reason) -> None:
    with pytest.raises(ResultDataError, match=reason):
        result_from_dict(data, skd)


def test_duplicate_candidates_are_refused(skd) -> None:
    with pytest.raises(ResultDataError, match="appears twice"):
        rank(policy=skd, results=[r("a", 65, 80, 166), r("a", 65, 80, 166)])


def test_a_result_lacking_a_section_the_policy_needs_is_refused_by_name(pppk) -> None:
    results = [
        CandidateResult("a", "general", {"teknis": 1}),
        CandidateResult("b", "general", {"teknis": 1}),
    ]
    with pytest.raises(ResultDataError) as caught:
        rank(policy=pppk, results=results)
    assert caught.value.candidate == "a"
    assert caught.value.missing == ("manajerial", "sosial_kultural", "wawancara")
    assert str(caught.value) == (
        "candidate 'a': no score for manajerial, sosial_kultural, wawancara "
        "(policy 'pppk-2024' needs teknis, manajerial, sosial_kultural, wawancara)"
    )


@pytest.mark.parametrize(
    ("result", "reason"),
    [
        # a section the thresholds need but the ranking order does not (SKD ranks by TKP,
        # TIU, TWK; a missing TWK would otherwise count as 0 and fail the candidate silently)
        (CandidateResult("x", "general", {"TIU": 80, "TKP": 166}), "no score for TWK"),
        (
            CandidateResult("x", "general", {"TWK": 65, "TIU": 80, "TKP": 166, "SKB": 9}),
            "SKB is not a section",
        ),
        (CandidateResult("x", "alien", {"TWK": 65, "TIU": 80, "TKP": 166}), "track 'alien'"),
    ],
)
def test_results_built_in_code_are_checked_like_read_ones(skd, result, reason) -> None:
    with pytest.raises(ResultDataError, match=reason):
        rank(policy=skd, results=[result])


def test_an_order_naming_an_unknown_section_is_a_policy_error(skd) -> None:
    from scoring import PolicyError

    with pytest.raises(PolicyError, match="unknown section 'SKB'"):
        rank(policy=skd, results=[r("a", 65, 80, 166)], order=["total", "SKB"])
