"""Builders shared by the import-format tests: a target bank's manifest and small files."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from question_bank.errors import ValidationError
from question_bank.model import (
    BankId,
    KeyRule,
    KeyRuleKind,
    Manifest,
    Section,
    SectionId,
)
from tests.question_bank.factories import png

#: The target bank: SKD-shaped, with closed topic lists.
SKD = Manifest(
    BankId("skd-impor-2026"),
    "Bank Impor SKD",
    "id",
    (
        Section(
            SectionId("TWK"),
            "Tes Wawasan Kebangsaan",
            5,
            KeyRule(KeyRuleKind.RIGHT_WRONG, points=5),
            ("pancasila", "uud1945", "nkri", "bhinneka_tunggal_ika"),
        ),
        Section(
            SectionId("TIU"),
            "Tes Intelegensia Umum",
            5,
            KeyRule(KeyRuleKind.RIGHT_WRONG, points=5),
            ("deret_angka", "figural"),
        ),
        Section(
            SectionId("TKP"),
            "Tes Karakteristik Pribadi",
            5,
            KeyRule(KeyRuleKind.WEIGHTED, weights=(1, 2, 3, 4, 5)),
            ("pelayanan_publik", "profesionalisme"),
        ),
    ),
)

PNG = png(3, 3)
PNG_OTHER = png(4, 2)
PNG_B64 = base64.b64encode(PNG).decode("ascii")
PNG_OTHER_B64 = base64.b64encode(PNG_OTHER).decode("ascii")


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def reasons(error: ValidationError) -> list[str]:
    """Each problem as one line: where, then why."""
    return [str(problem) for problem in error.problems]


def single_problem(info: pytest.ExceptionInfo[ValidationError]) -> str:
    lines = reasons(info.value)
    assert len(lines) == 1, lines
    return lines[0]
