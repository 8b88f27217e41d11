from __future__ import annotations

import pytest

from scoring import Annulment, Attempt, ItemId, ScoringPlan, UnknownItemError, annul, rescore, score
from scoring.model import key_from_dict, key_to_dict
from tests.scoring.factories import option_worth, responses_for


def _wrong_twk(keys, responses):
    return next(k for k in keys if k.section == "TWK" and k.points[responses[k.item_id]] == 0)


def test_award_gives_everyone_the_points(plan, keys, skd) -> None:
    responses = responses_for(keys, TWK=60, TIU=80, TKP=166)
    item = _wrong_twk(keys, responses)
    new_keys = annul(keys=keys, items=[item.item_id], how=Annulment.AWARD)
    report = score(plan=ScoringPlan(skd, new_keys), responses=responses)
    assert report.section_scores["TWK"] == 65
    assert report.max_total == 550
    assert report.passed is True
    blank = dict(responses)
    del blank[item.item_id]
    assert score(plan=ScoringPlan(skd, new_keys), responses=blank).section_scores["TWK"] == 65


def test_drop_removes_the_item_from_scores_and_maxima(keys, skd) -> None:
    responses = responses_for(keys, TWK=65, TIU=80, TKP=166)
    right = next(k for k in keys if k.section == "TWK" and k.points[responses[k.item_id]] == 5)
    new_keys = annul(keys=keys, items=[right.item_id], how=Annulment.DROP)
    report = score(plan=ScoringPlan(skd, new_keys), responses=responses)
    twk = report.section("TWK")
    assert (twk.score, twk.max, twk.items) == (60, 145, 29)
    assert report.passed is False  # the threshold stays 65


def test_rescore_reports_who_changed(keys, skd) -> None:
    base = responses_for(keys, TWK=60, TIU=80, TKP=166)
    item = _wrong_twk(keys, base)
    right = dict(base)
    right[item.item_id] = option_worth(item, 5)
    attempts = [Attempt("b", None, base), Attempt("a", None, right)]
    changes = rescore(
        policy=skd,
        keys_before=keys,
        keys_after=annul(keys=keys, items=[item.item_id], how=Annulment.AWARD),
        attempts=attempts,
    )
    assert [c.candidate for c in changes] == ["a", "b"]
    assert [c.changed for c in changes] == [False, True]
    assert changes[1].before.passed is False
    assert changes[1].after.passed is True


def test_annulment_survives_the_published_key_form(keys) -> None:
    new_keys = annul(keys=keys, items=[ItemId("TIU-004")], how=Annulment.DROP)
    round_trip = [key_from_dict(key_to_dict(k)) for k in new_keys]
    assert round_trip == list(new_keys)


def test_annulling_an_unknown_item_is_refused(keys) -> None:
    with pytest.raises(UnknownItemError):
        annul(keys=keys, items=[ItemId("TWK-404")], how=Annulment.AWARD)
