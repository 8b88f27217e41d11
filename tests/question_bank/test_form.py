"""Blueprints, seeded forms and the keyless payload."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from question_bank.blueprint import blueprint_from_dict, blueprint_from_toml
from question_bank.delivery import render_payload
from question_bank.errors import BlueprintError
from question_bank.form import PoolItem, SeededStream, assemble
from question_bank.model import Difficulty, ItemId, SectionId
from question_bank.source import read_source

SAMPLES = Path(__file__).parents[2] / "question_bank" / "samples"


def pool(n_per: dict[tuple[str, str, Difficulty], int]) -> list[PoolItem]:
    items = []
    for (section, topic, band), count in n_per.items():
        for k in range(count):
            items.append(
                PoolItem(
                    ItemId(f"{section}-{topic}-{band.value}-{k:02d}"),
                    SectionId(section),
                    topic,
                    band,
                    5,
                    False,
                )
            )
    return items


BP = blueprint_from_dict(
    {
        "blueprint": {"id": "uji"},
        "sections": [{"id": "TWK", "count": 6, "topics": {"a": 2, "b": 2}}],
    }
)
POOL = pool(
    {
        ("TWK", "a", Difficulty.EASY): 5,
        ("TWK", "b", Difficulty.HARD): 5,
        ("TWK", "c", Difficulty.MEDIUM): 5,
    }
)


def test_same_seed_same_form_byte_for_byte() -> None:
    one = assemble(POOL, BP, bank_id="b", seed=7)
    two = assemble(list(reversed(POOL)), BP, bank_id="b", seed=7)
    assert one.to_json() == two.to_json()
    assert assemble(POOL, BP, bank_id="b", seed=8).to_json() != one.to_json()
    assert assemble(POOL, BP, bank_id="other", seed=7).to_json() != one.to_json()


def test_the_stream_is_fixed_forever() -> None:
    """Published rebuilds depend on this exact sequence; a change here breaks old seeds."""
    stream = SeededStream(b"cbt")
    assert [stream.below(10) for _ in range(8)] == [5, 3, 3, 1, 0, 9, 7, 8]


def test_the_stream_is_what_docs_describe() -> None:
    """An auditor's independent reimplementation: SHAKE-256, 4 bytes big-endian, rejection."""
    import hashlib

    data = hashlib.shake_256(b"audit").digest(4096)
    expected, pos = [], 0
    while len(expected) < 50:
        value = int.from_bytes(data[pos : pos + 4], "big")
        pos += 4
        if value < (1 << 32) - ((1 << 32) % 7):
            expected.append(value % 7)
    stream = SeededStream(b"audit")
    assert [stream.below(7) for _ in range(50)] == expected


def test_quotas_are_met() -> None:
    for seed in range(50):
        form = assemble(POOL, BP, bank_id="b", seed=seed)
        topics = Counter(i.item_id.split("-")[1] for i in form.items)
        assert len(form.items) == 6
        assert topics["a"] >= 2
        assert topics["b"] >= 2
        assert len({i.item_id for i in form.items}) == 6


def test_two_kinds_of_quota_together() -> None:
    bp = blueprint_from_dict(
        {
            "blueprint": {"id": "x"},
            "sections": [
                {
                    "id": "TWK",
                    "count": 6,
                    "topics": {"a": 3, "b": 3},
                    "difficulty": {"hard": 3, "easy": 3},
                }
            ],
        }
    )
    items = pool(
        {
            ("TWK", "a", Difficulty.EASY): 2,
            ("TWK", "a", Difficulty.HARD): 2,
            ("TWK", "b", Difficulty.EASY): 2,
            ("TWK", "b", Difficulty.HARD): 2,
            ("TWK", "c", Difficulty.MEDIUM): 6,
        }
    )
    for seed in range(100):
        form = assemble(items, bp, bank_id="b", seed=seed)
        topics = Counter(i.item_id.split("-")[1] for i in form.items)
        bands = Counter(i.item_id.split("-")[2] for i in form.items)
        assert (topics["a"], topics["b"], bands["hard"], bands["easy"]) == (3, 3, 3, 3)


@pytest.mark.parametrize(
    ("sections", "message"),
    [
        ([{"id": "TWK", "count": 16}], "asks for 16 items, the bank has 15 (1 short)"),
        (
            [{"id": "TWK", "count": 8, "topics": {"a": 7}}],
            "topic 'a': the blueprint asks for 7 items, the bank has 5 (2 short)",
        ),
        (
            [{"id": "TWK", "count": 8, "difficulty": {"hard": 6}}],
            "difficulty 'hard': the blueprint asks for 6 items, the bank has 5 (1 short)",
        ),
        (
            [{"id": "TWK", "count": 6, "topics": {"a": 5}, "difficulty": {"hard": 5}}],
            "cannot be met together (4 short)",
        ),
        (
            [{"id": "TIU", "count": 1}],
            "section TIU: the blueprint asks for 1 items, the bank has 0",
        ),
    ],
)
def test_unmeetable_blueprints_say_which_constraint_and_by_how_much(sections, message) -> None:
    bp = blueprint_from_dict({"blueprint": {"id": "x"}, "sections": sections})
    with pytest.raises(BlueprintError) as caught:
        assemble(POOL, bp, bank_id="b", seed=1)
    assert message in str(caught.value)
    assert caught.value.short > 0


def test_malformed_blueprints() -> None:
    with pytest.raises(BlueprintError, match="quotas add up to 7, more than the count 6"):
        blueprint_from_dict(
            {
                "blueprint": {"id": "x"},
                "sections": [{"id": "TWK", "count": 6, "topics": {"a": 4, "b": 3}}],
            }
        )
    with pytest.raises(BlueprintError, match="easy, medium and hard"):
        blueprint_from_dict(
            {
                "blueprint": {"id": "x"},
                "sections": [{"id": "TWK", "count": 6, "difficulty": {"extreme": 1}}],
            }
        )
    with pytest.raises(BlueprintError, match="not valid TOML"):
        blueprint_from_toml("[blueprint", origin="bp.toml")


def test_keep_option_order_is_kept() -> None:
    fixed = [
        PoolItem(ItemId(f"X{k}"), SectionId("TWK"), "a", Difficulty.EASY, 5, True) for k in range(6)
    ]
    form = assemble(
        fixed,
        BP.__class__(
            BP.id, "", None, False, (BP.sections[0].__class__(SectionId("TWK"), 6, True, {}, {}),)
        ),
        bank_id="b",
        seed=3,
    )
    assert all(i.option_order == tuple("ABCDE") for i in form.items)


def test_best_option_position_is_uniform_over_seeds() -> None:
    """Chi-square over 2,000 forms: where the key lands is uniform across A..E."""
    one = [PoolItem(ItemId("K"), SectionId("TWK"), "a", Difficulty.EASY, 5, False)]
    bp = blueprint_from_dict({"blueprint": {"id": "x"}, "sections": [{"id": "TWK", "count": 1}]})
    counts = Counter()
    for seed in range(2000):
        form = assemble(one, bp, bank_id="b", seed=seed)
        counts[form.items[0].option_order.index("B")] += 1  # "B" is the author's key
    expected = 2000 / 5
    chi2 = sum((counts[p] - expected) ** 2 / expected for p in range(5))
    assert chi2 < 18.47  # 4 degrees of freedom, p = 0.001


def test_skd_sample_forms_differ_and_fill_the_blueprint() -> None:
    source = read_source(SAMPLES / "skd-2024")
    bp = blueprint_from_dict(source.blueprint or {})
    items = [PoolItem.of(i) for i in source.items]
    forms = [assemble(items, bp, bank_id=source.manifest.bank_id, seed=s) for s in range(20)]
    for form in forms:
        sections = [i.section for i in form.items]
        assert sections == ["TWK"] * 30 + ["TIU"] * 35 + ["TKP"] * 45
    overlap = len({i.item_id for i in forms[0].items} & {i.item_id for i in forms[1].items})
    assert overlap < 100  # a bank twice a form's size gives really different forms


def test_payload_carries_no_key_material() -> None:
    source = read_source(SAMPLES / "skd-2024")
    bp = blueprint_from_dict(source.blueprint or {})
    form = assemble(
        [PoolItem.of(i) for i in source.items], bp, bank_id=source.manifest.bank_id, seed=99
    )
    items = {i.id: i for i in source.items}
    payload = render_payload(form, items, source.manifest, image_ref=lambda n: "img-" + n[-12:])
    text = payload.to_json().decode()
    data = json.loads(text)
    assert len(data["items"]) == 110
    assert _keys(data) <= {
        "payload_version",
        "title",
        "duration_minutes",
        "sections",
        "id",
        "name",
        "first",
        "count",
        "items",
        "number",
        "section",
        "stem",
        "options",
        "label",
        "content",
        "p",
        "t",
        "b",
        "i",
        "br",
        "ul",
        "ol",
        "table",
        "head",
        "rows",
        "img",
        "src",
        "alt",
    }
    for item_id in items:  # no item id, so nothing to look an answer up by
        assert item_id not in text
    for item in source.items:  # no explanation text of any item is present
        from question_bank.richtext import plain_text

        if item.explanation:
            assert plain_text(item.explanation)[:40] not in text
    first = data["items"][0]
    assert [o["label"] for o in first["options"]] == list("ABCDE")
    with_topics = render_payload(form, items, source.manifest, image_ref=str, include_topics=True)
    assert "topic" in with_topics.to_json().decode()


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_shown_labels_map_back_to_the_authors() -> None:
    form = assemble(POOL, BP, bank_id="b", seed=5)
    order = form.items[0].option_order
    assert form.original_label(1, "A") == order[0]
    assert form.original_label(1, "E") == order[4]
    assert form.original_label(1, "F") is None
    assert form.original_label(99, "A") is None


def test_shuffle_is_fisher_yates_over_below() -> None:
    fast, slow = SeededStream(b"x"), SeededStream(b"x")
    items = list(range(500))
    fast.shuffle(items)
    expected = list(range(500))
    for i in range(len(expected) - 1, 0, -1):
        j = slow.below(i + 1)
        expected[i], expected[j] = expected[j], expected[i]
    assert items == expected
    assert fast.below(1000) == slow.below(1000)  # both streams stand at the same place
