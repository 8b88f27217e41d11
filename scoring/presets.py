"""The policies shipped with the engine, as TOML files in ``scoring/presets``.

Reading these packaged files is the one place the scoring rules touch storage;
the data is part of the package, like the code that reads it.
"""

from __future__ import annotations

import tomllib
from importlib import resources

from scoring.errors import PolicyError
from scoring.policy import Policy, policy_from_dict


def preset_names() -> tuple[str, ...]:
    """Names of the shipped presets, e.g. ``("pppk-2024", "skd-2024")``."""
    folder = resources.files("scoring") / "presets"
    return tuple(
        sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))
    )


def preset_text(name: str) -> str:
    """The TOML source of a shipped preset (what ``cbt-score`` users copy and edit)."""
    if name not in preset_names():
        known = ", ".join(preset_names())
        raise PolicyError(name, f"no such preset (presets: {known})")
    return (resources.files("scoring") / "presets" / f"{name}.toml").read_text(encoding="utf-8")


def load_preset(name: str) -> Policy:
    """Load and check a shipped preset."""
    return policy_from_toml(preset_text(name), origin=name)


def policy_from_toml(text: str, *, origin: str) -> Policy:
    """Parse a policy written in TOML; ``origin`` names it in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(origin, f"not valid TOML: {exc}") from None
    return policy_from_dict(data)
