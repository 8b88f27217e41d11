from __future__ import annotations

import pytest

from scoring import ItemKey, Policy, ScoringPlan, load_preset
from tests.scoring.factories import skd_keys


@pytest.fixture(scope="session")
def skd() -> Policy:
    return load_preset("skd-2024")


@pytest.fixture(scope="session")
def pppk() -> Policy:
    return load_preset("pppk-2024")


@pytest.fixture(scope="session")
def keys() -> list[ItemKey]:
    return skd_keys()


@pytest.fixture(scope="session")
def plan(skd: Policy, keys: list[ItemKey]) -> ScoringPlan:
    return ScoringPlan(skd, keys)
