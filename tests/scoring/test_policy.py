from __future__ import annotations

import tomllib
from fractions import Fraction

import pytest

from scoring import PolicyError, load_preset, policy_from_dict, preset_names
from scoring.presets import preset_text


def test_presets_are_shipped_and_load() -> None:
    assert set(preset_names()) >= {"skd-2024", "pppk-2024"}
    for name in preset_names():
        assert load_preset(name).id == name


def test_skd_2024_matches_the_decree(skd) -> None:
    assert [(s.id, s.items, s.max) for s in skd.sections] == [
        ("TWK", 30, 150),
        ("TIU", 35, 175),
        ("TKP", 45, 225),
    ]
    assert skd.max_total == 550
    assert skd.duration_minutes == 100
    assert dict(skd.track("general").thresholds) == {"TWK": 65, "TIU": 80, "TKP": 166}
    for track in ("cumlaude", "diaspora"):
        assert dict(skd.track(track).thresholds) == {"total": 311, "TIU": 85}
    for track in ("disability", "papua", "tertinggal"):
        assert dict(skd.track(track).thresholds) == {"total": 286, "TIU": 60}
    assert skd.ranking.order == ("total", "TKP", "TIU", "TWK")
    assert skd.ranking.quota_per_vacancy == 3
    assert skd.integration is not None
    assert (skd.integration.skd_weight, skd.integration.skb_weight) == (40, 60)


def test_pppk_2024_is_ranking_only(pppk) -> None:
    assert [(s.id, s.items, s.max) for s in pppk.sections] == [
        ("teknis", 90, 450),
        ("manajerial", 25, 100),
        ("sosial_kultural", 20, 80),
        ("wawancara", 10, 40),
    ]
    assert pppk.max_total == 670
    assert pppk.track(None).ranking_only
    assert pppk.ranking.eligible.value == "all"


def _skd_data() -> dict:
    return tomllib.loads(preset_text("skd-2024"))


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (
            lambda d: d["tracks"]["general"]["thresholds"].update(TWK=151),
            "threshold TWK 151 is above the maximum 150",
        ),
        (
            lambda d: d["tracks"]["cumlaude"]["thresholds"].update(total=551),
            "threshold total 551 is above the maximum 550",
        ),
        (
            lambda d: d["ranking"].update(order=["total", "TKP", "XYZ"]),
            "ranking order names unknown section 'XYZ'",
        ),
        (
            lambda d: d["tracks"]["general"]["thresholds"].update(ABC=1),
            "threshold for unknown section 'ABC'",
        ),
        (lambda d: d["sections"][0].update(max=140), "30 items of at most 5 points make 150"),
        (lambda d: d.update(default_track="nope"), "default_track 'nope' is not a track"),
        (
            lambda d: d["tracks"]["general"]["thresholds"].update(TWK=65.5),
            "floating-point number",
        ),
        (lambda d: d["integration"].update(order=["final", "shoe_size"]), "unknown criterion"),
        (lambda d: d["sections"][1].update(id="TWK"), "two sections share an id"),
        (lambda d: d.update(annulment="forgive"), "'annulment' must be 'drop' or 'award'"),
        (lambda d: d["ranking"].update(order=["total", "TKP", "TKP"]), "repeats a criterion"),
    ],
)
def test_a_contradictory_policy_is_refused_with_its_reason(mutate, reason) -> None:
    data = _skd_data()
    mutate(data)
    with pytest.raises(PolicyError) as caught:
        policy_from_dict(data)
    assert reason in str(caught.value)
    assert caught.value.policy == "skd-2024"


def test_decimal_and_fraction_strings_are_exact() -> None:
    data = _skd_data()
    data["tracks"]["general"]["thresholds"]["TWK"] = "65.5"
    data["tracks"]["general"]["thresholds"]["TIU"] = "161/2"
    policy = policy_from_dict(data)
    assert policy.track("general").thresholds["TWK"] == Fraction(131, 2)
    assert policy.track("general").thresholds["TIU"] == Fraction(161, 2)


def test_unknown_track_is_named(skd) -> None:
    with pytest.raises(PolicyError, match="no track 'veteran'"):
        skd.track("veteran")
