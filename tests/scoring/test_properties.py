"""Properties that must hold for every input, checked with hypothesis."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import (
    Annulment,
    CandidateResult,
    ItemId,
    ItemKey,
    OptionId,
    ScoringPlan,
    SectionId,
    annul,
    rank,
    score,
)
from tests.scoring.factories import OPTIONS, skd_keys

KEYS = skd_keys()
ITEM_IDS = [k.item_id for k in KEYS]

responses_strategy = st.dictionaries(
    st.sampled_from(ITEM_IDS), st.one_of(st.none(), st.sampled_from(OPTIONS)), max_size=110
)


@given(responses=responses_strategy, track=st.sampled_from(["general", "cumlaude", "papua"]))
def test_every_score_lies_between_zero_and_the_maximum(plan, responses, track) -> None:
    report = score(plan=plan, responses=responses, track=track)
    for section in report.sections:
        assert 0 <= section.score <= section.max
        assert section.answered + section.blank == section.items
    assert 0 <= report.total <= report.max_total == 550
    assert report.total == sum(s.score for s in report.sections)


@given(responses=responses_strategy, item=st.sampled_from(ITEM_IDS))
def test_choosing_the_best_option_never_lowers_the_score(plan, responses, item) -> None:
    key = plan.keys[item]
    before = score(plan=plan, responses=responses).total
    improved = dict(responses)
    improved[item] = sorted(key.best_options)[0]
    after = score(plan=plan, responses=improved).total
    assert after >= before


results_strategy = st.lists(
    st.builds(
        lambda twk, tiu, tkp, track: (twk * 5, tiu * 5, tkp, track),
        st.integers(0, 30),
        st.integers(0, 35),
        st.integers(45, 225),
        st.sampled_from(["general", "cumlaude", "disability"]),
    ),
    max_size=40,
)


@given(rows=results_strategy, data=st.data(), quota=st.one_of(st.none(), st.integers(0, 20)))
def test_ranking_ignores_input_order(skd, rows, data, quota) -> None:
    results = [
        CandidateResult(f"c{i:02d}", track, {"TWK": twk, "TIU": tiu, "TKP": tkp})
        for i, (twk, tiu, tkp, track) in enumerate(rows)
    ]
    shuffled = data.draw(st.permutations(results))
    assert rank(policy=skd, results=results, quota=quota) == rank(
        policy=skd, results=shuffled, quota=quota
    )


@given(
    items=st.lists(st.sampled_from(ITEM_IDS), min_size=1, max_size=5),
    how=st.sampled_from(list(Annulment)),
    responses=responses_strategy,
)
@settings(max_examples=50)
def test_annulling_twice_equals_annulling_once(skd, items, how, responses) -> None:
    once = annul(keys=KEYS, items=items, how=how)
    twice = annul(keys=once, items=items, how=how)
    assert once == twice
    assert score(plan=ScoringPlan(skd, once), responses=responses) == score(
        plan=ScoringPlan(skd, twice), responses=responses
    )


@given(
    points=st.lists(st.integers(-3, 6), min_size=2, max_size=6).filter(lambda p: max(p) > 0),
    choice=st.integers(0, 5),
)
def test_free_keys_score_exactly_the_points_of_the_choice(points, choice) -> None:
    from scoring.policy import neutral_policy

    options = [OptionId(chr(65 + i)) for i in range(len(points))]
    key = ItemKey(ItemId("X"), SectionId("S"), dict(zip(options, points, strict=True)))
    option = options[choice % len(options)]
    report = score(plan=ScoringPlan(neutral_policy(["S"]), [key]), responses={key.item_id: option})
    assert report.total == points[choice % len(options)]


@given(data=st.data(), responses=responses_strategy)
@settings(max_examples=60)
def test_a_subset_plan_scores_as_a_plan_built_from_its_keys(skd, data, responses) -> None:
    picks = data.draw(st.lists(st.integers(0, len(KEYS) - 1), min_size=1, max_size=60, unique=True))
    chosen = [KEYS[i] for i in picks]
    mine = {k: v for k, v in responses.items() if k in {c.item_id for c in chosen}}
    whole = ScoringPlan(skd, KEYS)
    assert score(plan=whole.subset(c.item_id for c in chosen), responses=mine) == score(
        plan=ScoringPlan(skd, chosen), responses=mine
    )


@given(
    points=st.lists(
        st.lists(st.fractions(-2, 5, max_denominator=12), min_size=2, max_size=4),
        min_size=2,
        max_size=8,
    ),
    data=st.data(),
)
@settings(max_examples=60)
def test_a_subset_keeps_fractional_points_exact(points, data) -> None:
    """The subset keeps the whole plan's scale, a multiple of its own: still exact."""
    from scoring.policy import neutral_policy

    keys = [
        ItemKey(
            ItemId(f"F{i}"),
            SectionId("S"),
            {OptionId(chr(65 + j)): p for j, p in enumerate(row)},
        )
        for i, row in enumerate(points)
        if max(row) > 0
    ]
    if not keys:
        return
    policy = neutral_policy(["S"])
    picks = data.draw(st.lists(st.integers(0, len(keys) - 1), min_size=1, unique=True))
    chosen = [keys[i] for i in picks]
    answers = {k.item_id: data.draw(st.sampled_from(sorted(k.points))) for k in chosen}
    part = ScoringPlan(policy, keys).subset(k.item_id for k in chosen)
    assert score(plan=part, responses=answers) == score(
        plan=ScoringPlan(policy, chosen), responses=answers
    )
