"""Builders of SKD-shaped keys and of responses that reach chosen section scores."""

from __future__ import annotations

from scoring import ItemId, ItemKey, OptionId, Response, SectionId

OPTIONS = tuple(OptionId(o) for o in "ABCDE")
SKD_SHAPE = {"TWK": 30, "TIU": 35, "TKP": 45}
TOPICS = {
    "TWK": ("pancasila", "uud1945", "nkri", "bhinneka"),
    "TIU": ("verbal", "numerik", "figural"),
    "TKP": ("pelayanan_publik", "jejaring", "sosial_budaya", "tik", "profesionalisme"),
}


def skd_keys() -> list[ItemKey]:
    """110 keys shaped like SKD; the right option and the TKP weights vary by item."""
    keys: list[ItemKey] = []
    for section, count in SKD_SHAPE.items():
        for n in range(count):
            item_id = ItemId(f"{section}-{n + 1:03d}")
            topic = TOPICS[section][n % len(TOPICS[section])]
            if section == "TKP":
                weights = [1, 2, 3, 4, 5]
                shift = n % 5
                rotated = weights[shift:] + weights[:shift]
                points = dict(zip(OPTIONS, rotated, strict=True))
            else:
                right = OPTIONS[n % 5]
                points = {o: (5 if o == right else 0) for o in OPTIONS}
            keys.append(
                ItemKey(item_id=item_id, section=SectionId(section), topic=topic, points=points)
            )
    return keys


def option_worth(key: ItemKey, points: int) -> OptionId:
    for option, value in key.points.items():
        if value == points:
            return option
    raise AssertionError(f"{key.item_id} has no option worth {points}")


def responses_for(keys: list[ItemKey], **targets: int) -> dict[ItemId, Response]:
    """Responses that make each section score exactly ``targets[section]``.

    Right/wrong items are answered right or wrong (never blank); TKP items
    take the weights needed, and are left blank only when the target needs 0.
    """
    responses: dict[ItemId, Response] = {}
    for section, target in targets.items():
        items = [k for k in keys if k.section == section]
        remaining = target
        for i, key in enumerate(items):
            left_after = len(items) - i - 1
            values = sorted({int(v) for v in key.points.values()}, reverse=True)
            best = values[0]
            for value in values:
                floor = 0 if 0 in values else min(values)
                if floor * left_after <= remaining - value <= best * left_after:
                    responses[key.item_id] = option_worth(key, value)
                    remaining -= value
                    break
            else:
                if remaining <= best * left_after:  # leave it blank
                    continue
                raise AssertionError(f"cannot reach {target} in {section}")
        assert remaining == 0, (section, target, remaining)
    return responses
