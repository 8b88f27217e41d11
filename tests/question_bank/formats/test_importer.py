from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from question_bank.errors import SourceError, ValidationError
from question_bank.formats import export_qti, import_files
from question_bank.formats.importer import scale
from question_bank.model import KeyRule, KeyRuleKind, Section, SectionId
from tests.question_bank.formats.factories import PNG, SKD, reasons, write
from tests.question_bank.formats.test_qti import figural_bank

CSV = (
    "id,bagian,topik,soal,opsi_a,opsi_b,opsi_c,opsi_d,opsi_e,kunci,gambar\n"
    "TWK-CSV-1,TWK,nkri,Bentuk negara Indonesia adalah ...,Kesatuan,Federasi,Serikat,"
    "Monarki,Uni,A,peta.png\n"
)
GIFT = (
    "$CATEGORY: $course$/top/Bank/twk/Bhinneka Tunggal Ika\n\n"
    "::TWK-GIFT-1::Semboyan bangsa Indonesia adalah ... "
    "{=Bhinneka Tunggal Ika ~Tut Wuri Handayani ~Gotong royong ~Jer basuki ~Merdeka}\n"
)
MOODLE = (
    '<?xml version="1.0"?>\n<quiz>\n'
    '<question type="category"><category><text>$course$/top/TWK/Materi Dasar/UUD1945</text>'
    "</category></question>\n"
    '<question type="multichoice"><name><text>TWK Moodle 1</text></name>'
    "<questiontext><text>UUD 1945 disahkan pada ...</text></questiontext>"
    '<answer fraction="100"><text>18 Agustus 1945</text></answer>'
    '<answer fraction="0"><text>17 Agustus 1945</text></answer>'
    '<answer fraction="0"><text>1 Juni 1945</text></answer>'
    '<answer fraction="0"><text>22 Juni 1945</text></answer>'
    '<answer fraction="0"><text>27 Desember 1949</text></answer>'
    "</question>\n</quiz>\n"
)


def test_every_format_into_one_bank(tmp_path: Path) -> None:
    (tmp_path / "peta.png").write_bytes(PNG)
    qti = tmp_path / "paket.zip"
    export_qti(figural_bank(), qti)
    paths = [
        write(tmp_path, "soal.csv", CSV),
        write(tmp_path, "soal.gift", GIFT),
        write(tmp_path, "moodle.xml", MOODLE),
        qti,
    ]
    source = import_files(paths, SKD)
    placed = [(i.id, i.section, i.topic) for i in source.items]
    assert placed[:3] == [
        ("TWK-CSV-1", "TWK", "nkri"),
        ("TWK-GIFT-1", "TWK", "bhinneka_tunggal_ika"),
        ("TWK-Moodle-1", "TWK", "uud1945"),  # the component that names a section
    ]
    assert len(source.items) == 3 + len(figural_bank().items)
    assert [o.file for o in source.origins[:3]] == [str(p) for p in paths[:3]]
    assert source.origins[3].file.startswith(f"{qti}:items/")
    assert "gambar/peta.png" in source.images
    assert "gambar/tiu-fig-001.png" in source.images
    assert source.manifest is SKD


def test_problems_of_every_file_are_reported_together_in_file_order(tmp_path: Path) -> None:
    (tmp_path / "peta.png").write_bytes(PNG)
    gift = write(tmp_path, "soal.gift", GIFT + "\n::TWK-GIFT-2::Benar? {TRUE}\n")
    csv = write(tmp_path, "soal.csv", CSV.replace(",A,peta.png", ",Z,peta.png"))
    moodle = write(tmp_path, "moodle.xml", MOODLE.replace("TWK Moodle 1", "TWK-GIFT-1"))
    with pytest.raises(ValidationError) as info:
        import_files([gift, csv, moodle], SKD)
    lines = reasons(info.value)
    assert len(lines) == 3
    assert lines[0].startswith(f"{gift}, line 5, item TWK-GIFT-2: unsupported construct")
    assert lines[1].startswith(f"{csv} row 2, item TWK-CSV-1, column 'kunci'")
    assert lines[2] == (
        f"{moodle}, line 4, item TWK-GIFT-1, field 'id': duplicate id TWK-GIFT-1 "
        f"(first at {gift}, line 3)"
    )


def test_items_outside_the_bank_and_topics_outside_the_list(tmp_path: Path) -> None:
    text = (
        "$CATEGORY: $course$/top/Bank/TWK/Sejarah\n\n::A-1::Soal {=a ~b ~c ~d ~e}\n\n"
        "$CATEGORY: $course$/top/Bank/Lainnya/umum\n\n::A-2::Soal {=a ~b ~c ~d ~e}\n"
    )
    with pytest.raises(ValidationError) as info:
        import_files([write(tmp_path, "a.gift", text)], SKD)
    lines = reasons(info.value)
    assert (
        "item A-1, field 'topic': topic 'Sejarah' is not one of section TWK's topics" in (lines[0])
    )
    assert (
        "item A-2, field 'section': unknown section 'Lainnya' (sections: TWK, TIU, TKP)"
        in (lines[1])
    )


def test_without_a_manifest_the_bank_is_built_from_what_was_found(tmp_path: Path) -> None:
    text = (
        "$CATEGORY: TWK/pancasila\n\n::A-1::Soal {=a ~b ~c ~d}\n\n"
        "$CATEGORY: twk/nkri\n\n::A-2::Soal {=a ~b ~c}\n\n"
        "::A-3::Soal {~%25%a ~%100%b ~%-50%c ~d}\n"
    )
    with pytest.raises(ValidationError) as info:
        import_files([write(tmp_path, "a.gift", text)])
    assert [r.split(": ", 1)[1] for r in reasons(info.value)] == [
        "section TWK items have 4 options, this one has 3"
    ]
    source = import_files([write(tmp_path, "b.gift", text.replace("~b ~c}", "~b ~c ~d}"))])
    manifest = source.manifest
    assert (manifest.bank_id, manifest.title, manifest.language) == (
        "imported",
        "Imported items",
        "id",
    )
    (section,) = manifest.sections
    assert (section.id, section.options, section.key_rule.kind, section.topics) == (
        "TWK",
        4,
        KeyRuleKind.FREE,
        (),
    )
    assert [i.section for i in source.items] == ["TWK", "TWK", "TWK"]
    assert dict(source.items[2].points) == {"A": 25, "B": 100, "C": -50, "D": 0}


def test_the_points_scale_of_each_kind_of_section() -> None:
    assert scale(SKD.section("TWK")) == 5
    assert scale(SKD.section("TKP")) == 5
    weighted = Section(SectionId("W"), "W", 4, KeyRule(KeyRuleKind.WEIGHTED, weights=(0, 1, 3, 6)))
    assert scale(weighted) == 6
    assert scale(Section(SectionId("F"), "F", 4, KeyRule(KeyRuleKind.FREE))) == 100


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("soal.docx", b"PK", "a file type that cannot be imported"),
        ("soal.xls", b"\xd0\xcf", "an old .xls workbook"),
        ("lain.xml", b"<?xml version='1.0'?><html/>", "neither a Moodle XML quiz"),
        ("rusak.xml", b"<quiz><question>", "not well-formed XML"),
    ],
)
def test_files_that_cannot_be_imported(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceError, match=message) as info:
        import_files([path])
    assert info.value.location.file == str(path)


def test_missing_files_folders_and_nothing_to_import(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        import_files([tmp_path / "tidak-ada.csv"])
    with pytest.raises(SourceError, match="a folder, not a file"):
        import_files([tmp_path])
    empty = write(tmp_path, "kosong.gift", "// hanya komentar\n")
    with pytest.raises(ValidationError, match="no items found in the files"):
        import_files([empty])


def test_a_category_ending_in_the_section_gives_topic_umum(tmp_path: Path) -> None:
    open_topics = replace(SKD, sections=tuple(replace(s, topics=()) for s in SKD.sections))
    text = "$CATEGORY: $course$/top/Semua soal/tiu\n\n::TIU-1::2, 4, 8, ... {=16 ~10 ~12 ~14 ~18}\n"
    (item,) = import_files([write(tmp_path, "a.gift", text)], open_topics).items
    assert (item.section, item.topic, item.points["A"]) == ("TIU", "umum", 5)
