from __future__ import annotations

import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from question_bank.blueprint import blueprint_from_dict
from question_bank.errors import SourceError, ValidationError
from question_bank.source import read_source, write_source
from tests.question_bank.factories import small_bank

MANIFEST = """[bank]
id = "uji"
title = "Uji"

[[sections]]
id = "TWK"
name = "TWK"
options = 5
key_rule = { kind = "right_wrong", points = 5 }
topics = ["pancasila"]

[[sections]]
id = "TKP"
name = "TKP"
options = 5
key_rule = { kind = "weighted", weights = [1, 2, 3, 4, 5] }
"""

GOOD = """[[item]]
id = "TWK-001"
section = "TWK"
topic = "pancasila"
difficulty = "easy"
stem = "Sila pertama Pancasila berbunyi ..."
options = ["a", "b", "c", "d", "e"]
key = "A"
"""


def make(tmp_path: Path, items: str, manifest: str = MANIFEST) -> Path:
    folder = tmp_path / "bank"
    (folder / "items").mkdir(parents=True, exist_ok=True)
    (folder / "bank.toml").write_text(manifest, encoding="utf-8")
    (folder / "items" / "soal.toml").write_text(items, encoding="utf-8")
    return folder


def test_reads_a_good_item(tmp_path) -> None:
    source = read_source(make(tmp_path, GOOD))
    (item,) = source.items
    assert item.id == "TWK-001"
    assert item.points == {"A": 5, "B": 0, "C": 0, "D": 0, "E": 0}
    assert source.origins[0].line == 1


def _problems(tmp_path, items: str) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        read_source(make(tmp_path, items))
    return [str(p) for p in caught.value.problems]


def test_every_problem_is_reported_with_file_line_and_field(tmp_path) -> None:
    bad = (
        GOOD
        + "\n"
        + GOOD.replace('key = "A"', 'key = "F"')
        + "\n"
        + GOOD.replace("TWK-001", "TWK-002").replace('section = "TWK"', 'section = "XYZ"')
        + "\n"
        + GOOD.replace("TWK-001", "TWK-003").replace(
            'stem = "Sila pertama Pancasila berbunyi ..."', 'stem = ""'
        )
    )
    found = _problems(tmp_path, bad)
    assert any("items/soal.toml, line 10, item TWK-001" in p and "duplicate id" in p for p in found)
    assert any("field 'key'" in p and "option(s) F that do not exist" in p for p in found)
    assert any("field 'section'" in p and "unknown section 'XYZ'" in p for p in found)
    assert any(
        "line 28, item TWK-003, field 'stem'" in p and "must not be empty" in p for p in found
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('key = "A"', "points = [3, 5, 1, 4, 2]"), "exactly one right option worth 5"),
        (('topic = "pancasila"', 'topic = "astronomi"'), "topic 'astronomi' is not one of"),
        (('options = ["a", "b", "c", "d", "e"]', 'options = ["a", "b", "c"]'), "have 5 options"),
        (
            ('options = ["a", "b", "c", "d", "e"]', 'options = ["a", "", "c", "d", "e"]'),
            "option B is empty",
        ),
        (('difficulty = "easy"', 'difficulty = "trivial"'), "easy, medium or hard"),
        (('key = "A"', 'key = "A"\npoints = [5, 0, 0, 0, 0]'), "either 'key' or 'points'"),
    ],
)
def test_item_problems(tmp_path, change, message) -> None:
    found = _problems(tmp_path, GOOD.replace(*change))
    assert any(message in p for p in found), found


@pytest.mark.parametrize(
    ("section", "points"),
    [("TWK", "[0, 0, 0, 0, 0]"), ("BEBAS", "[0, 0, 0, 0, 0]"), ("BEBAS", "[-1, 0, -2, 0, 0]")],
)
def test_an_item_where_no_option_earns_points_is_refused(tmp_path, section, points) -> None:
    manifest = MANIFEST + (
        '\n[[sections]]\nid = "BEBAS"\nname = "Bebas"\noptions = 5\nkey_rule = { kind = "free" }\n'
    )
    item = GOOD.replace('section = "TWK"', f'section = "{section}"').replace(
        'key = "A"', f"points = {points}"
    )
    with pytest.raises(ValidationError) as caught:
        read_source(make(tmp_path, item, manifest))
    assert [str(p) for p in caught.value.problems] == [
        "items/soal.toml, line 1, item TWK-001, field 'key': "
        "no option earns points (no scoring option)"
    ]


def test_weighted_sections_need_a_permutation(tmp_path) -> None:
    item = (
        GOOD.replace('section = "TWK"', 'section = "TKP"')
        .replace('topic = "pancasila"', 'topic = "pelayanan"')
        .replace('key = "A"', "points = [1,1,3,4,5]")
    )
    found = _problems(tmp_path, item)
    assert any("weights 1, 2, 3, 4, 5 in some order, not 1, 1, 3, 4, 5" in p for p in found)
    item = item.replace("points = [1,1,3,4,5]", 'key = "B"')
    assert any("give 'points' for every option" in p for p in _problems(tmp_path, item))


def test_images_missing_oversize_or_not_images(tmp_path) -> None:
    folder = make(
        tmp_path,
        GOOD.replace(
            'stem = "Sila pertama Pancasila berbunyi ..."',
            'stem = """Lihat:\n\n![x](gambar/a.png)\n"""',
        ),
    )
    with pytest.raises(ValidationError, match=r"image 'gambar/a\.png' is missing"):
        read_source(folder)
    (folder / "gambar").mkdir()
    (folder / "gambar" / "a.png").write_bytes(b"GIF89a not really")
    with pytest.raises(ValidationError, match="is not a PNG or JPEG"):
        read_source(folder)
    (folder / "gambar" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError, match="the limit is 1,048,576"):
        read_source(folder)


def test_image_paths_cannot_leave_the_folder(tmp_path) -> None:
    (tmp_path / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\nsecret")
    folder = make(
        tmp_path,
        GOOD.replace(
            'stem = "Sila pertama Pancasila berbunyi ..."', 'stem = "![x](../secret.png)"'
        ),
    )
    with pytest.raises(ValidationError, match="missing"):
        read_source(folder)


def test_toml_syntax_errors_name_the_line(tmp_path) -> None:
    with pytest.raises(SourceError) as caught:
        read_source(make(tmp_path, GOOD + "\nthis is = = broken\n"))
    assert caught.value.location.file == "items/soal.toml"
    assert caught.value.location.line == 10


def test_write_then_read_gives_the_same_bank(tmp_path) -> None:
    bank = small_bank()
    write_source(bank, tmp_path / "out")
    again = read_source(tmp_path / "out")
    assert again.manifest == bank.manifest
    assert again.items == bank.items
    assert again.images == bank.images
    assert again.blueprint is None
    assert not (tmp_path / "out" / "blueprint.toml").exists()


@pytest.mark.parametrize("duration", [None, 45])
def test_the_blueprint_is_written_and_reads_back_equal(tmp_path, duration) -> None:
    head: dict[str, object] = {"id": "uji-bp", "title": "Uji", "shuffle_sections": True}
    if duration is not None:
        head["duration_minutes"] = duration
    raw = {
        "blueprint": head,
        "sections": [
            {
                "id": "TWK",
                "count": 4,
                "topics": {"pancasila": 1, "nkri": 1},
                "difficulty": {"medium": 2},
            },
            {"id": "TKP", "count": 2, "shuffle": False},
        ],
    }
    bank = replace(small_bank(), blueprint=raw)
    write_source(bank, tmp_path / "out")
    again = read_source(tmp_path / "out")
    assert again.blueprint is not None
    written, meant = blueprint_from_dict(again.blueprint), blueprint_from_dict(raw)
    assert written == meant
    assert written.digest == meant.digest  # so forms drawn from it are the same forms


def test_a_zip_of_the_folder_reads_the_same(tmp_path) -> None:
    bank = small_bank()
    write_source(bank, tmp_path / "src" / "my-bank")
    archive = shutil.make_archive(str(tmp_path / "bank"), "zip", tmp_path / "src")
    assert zipfile.is_zipfile(archive)
    assert read_source(Path(archive)).items == bank.items


def test_samples_are_valid() -> None:
    root = Path(__file__).parents[2] / "question_bank" / "samples"
    pppk = read_source(root / "pppk-2024")
    assert len(pppk.items) >= 40
