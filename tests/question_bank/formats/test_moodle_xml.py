from __future__ import annotations

from pathlib import Path

import pytest

from question_bank.errors import SourceError, ValidationError
from question_bank.formats import import_files
from question_bank.model import (
    BankId,
    Difficulty,
    KeyRule,
    KeyRuleKind,
    Manifest,
    Section,
    SectionId,
)
from question_bank.richtext import Image, Paragraph, Text, plain_text
from tests.question_bank.formats.factories import (
    PNG,
    PNG_B64,
    PNG_OTHER,
    PNG_OTHER_B64,
    SKD,
    reasons,
    single_problem,
    write,
)


def category(path: str) -> str:
    return f"""
  <question type="category">
    <category><text>{path}</text></category>
  </question>"""


def multichoice(
    name: str,
    text: str,
    answers: list[tuple[str, str]],
    *,
    idnumber: str = "",
    extra: str = "",
    single: str = "true",
) -> str:
    body = "".join(
        f"""
    <answer fraction="{fraction}" format="html"><text><![CDATA[{answer}]]></text></answer>"""
        for fraction, answer in answers
    )
    return f"""
  <question type="multichoice">
    <name><text>{name}</text></name>
    <questiontext format="html"><text><![CDATA[{text}]]></text></questiontext>
    <idnumber>{idnumber}</idnumber>
    <single>{single}</single>
    <shuffleanswers>1</shuffleanswers>{extra}{body}
  </question>"""


def quiz(*questions: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>' + "".join(questions) + "\n</quiz>\n"


FIVE = [
    ("0", "Kebebasan"),
    ("100", "Musyawarah"),
    ("0", "Persatuan"),
    ("0", "Adil"),
    ("0", "Tuhan"),
]

PANCASILA = f"""
  <question type="multichoice">
    <name><text>Sila keempat</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>Perhatikan <strong>lambang</strong> berikut.</p>
<p><img src="@@PLUGINFILE@@/lambang%20sila.png" alt="Lambang"></p>
<p>Nilai sila keempat adalah &hellip;</p>]]></text>
      <file name="lambang sila.png" path="/" encoding="base64">{PNG_B64}</file>
    </questiontext>
    <generalfeedback format="html">
      <text><![CDATA[<p>Sila keempat: <em>musyawarah</em>.</p>]]></text>
    </generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber>TWK-PCS-201</idnumber>
    <single>true</single>
    <shuffleanswers>0</shuffleanswers>
    <answernumbering>abc</answernumbering>
    <correctfeedback format="html"><text>Jawaban Anda benar.</text></correctfeedback>
    <answer fraction="0" format="html"><text>Kebebasan mutlak</text>
      <feedback format="html"><text>Bukan kebebasan mutlak.</text></feedback></answer>
    <answer fraction="100" format="html"><text><![CDATA[<p>Musyawarah untuk mufakat</p>]]></text>
      <feedback format="html"><text></text></feedback></answer>
    <answer fraction="0" format="html"><text>Persatuan</text></answer>
    <answer fraction="0" format="html"><text>Keadilan</text></answer>
    <answer fraction="0" format="plain_text"><text>Ketuhanan &lt;b&gt;</text></answer>
    <tags><tag><text>sulit</text></tag></tags>
  </question>"""

TKP = multichoice(
    "Pelayanan akhir jam kerja",
    "Lima menit sebelum layanan ditutup, seorang warga datang. Sikap Anda ...",
    [("60", "Formulir"), ("100", "Layani"), ("20", "Tolak"), ("80", "Alihkan"), ("40", "Besok")],
)


def test_multichoice_with_category_images_and_feedback(tmp_path: Path) -> None:
    text = quiz(category("$course$/top/Bank SKD/TWK/Pancasila"), PANCASILA, category(
        "$course$/top/Bank SKD/TKP/Pelayanan Publik"), TKP)  # fmt: skip
    path = write(tmp_path, "kuis.xml", text)
    source = import_files([path], SKD)

    twk, tkp = source.items
    assert (twk.id, twk.section, twk.topic) == ("TWK-PCS-201", "TWK", "pancasila")
    assert twk.stem == (
        Paragraph((Text("Perhatikan "), Text("lambang", bold=True), Text(" berikut."))),
        Image("gambar/lambang-sila.png", "Lambang"),
        Paragraph((Text("Nilai sila keempat adalah …"),)),
    )
    assert plain_text(twk.options[1]) == "Musyawarah untuk mufakat"
    assert plain_text(twk.options[4]) == "Ketuhanan <b>"
    assert dict(twk.points) == {"A": 0, "B": 5, "C": 0, "D": 0, "E": 0}
    assert twk.keep_option_order is True
    assert twk.difficulty is Difficulty.HARD
    assert plain_text(twk.explanation) == (
        "Sila keempat: musyawarah.\nUmpan balik A: Bukan kebebasan mutlak."
    )
    assert source.images == {"gambar/lambang-sila.png": PNG}

    assert (tkp.id, tkp.section, tkp.topic) == (
        "Pelayanan-akhir-jam-kerja",
        "TKP",
        "pelayanan_publik",
    )
    assert dict(tkp.points) == {"A": 3, "B": 5, "C": 1, "D": 4, "E": 2}
    assert tkp.keep_option_order is False
    lines = text.splitlines()
    assert [o.line for o in source.origins] == [
        next(n for n, line in enumerate(lines, 1) if '<question type="multichoice"' in line),
        max(n for n, line in enumerate(lines, 1) if '<question type="multichoice"' in line),
    ]


def test_without_a_manifest_categories_make_free_sections(tmp_path: Path) -> None:
    text = quiz(
        multichoice("Tanpa kategori", "Soal umum ...", FIVE[:4]),
        category("$course$/top/TWK/Pancasila"),
        multichoice("Soal satu", "Sila pertama ...", FIVE, idnumber="twk 1"),
        multichoice(
            "Soal dua", "Sila kedua ...", [("50", "a"), ("100", "b"), ("-25", "c"), *FIVE[3:]]
        ),
    )
    source = import_files([write(tmp_path, "kuis.xml", text)])
    assert [(s.id, s.options, s.key_rule.kind) for s in source.manifest.sections] == [
        ("UMUM", 4, KeyRuleKind.FREE),
        ("TWK", 5, KeyRuleKind.FREE),
    ]
    general, first, second = source.items
    assert (general.section, general.topic) == ("UMUM", "umum")
    assert (first.id, first.topic, first.points["B"]) == ("twk-1", "Pancasila", 100)
    assert dict(second.points) == {"A": 50, "B": 100, "C": -25, "D": 0, "E": 0}
    assert source.manifest.bank_id == "imported"


@pytest.mark.parametrize(
    "kind",
    [
        "truefalse", "shortanswer", "essay", "matching", "numerical", "multianswer",
        "calculated", "calculatedmulti", "ddwtos", "gapselect", "description", "random",
        "ordering",
    ],
)  # fmt: skip
def test_other_question_types_are_refused_by_name(tmp_path: Path, kind: str) -> None:
    text = quiz(
        category("$course$/top/TWK/pancasila"),
        multichoice("Baik", "Soal baik ...", FIVE),
        f'\n  <question type="{kind}">\n    <name><text>Lain</text></name>\n  </question>',
    )
    path = write(tmp_path, "kuis.xml", text)
    with pytest.raises(ValidationError) as info:
        import_files([path], SKD)
    line = text.splitlines().index(f'  <question type="{kind}">') + 1
    assert single_problem(info) == (
        f"{path}, line {line}, item Lain: unsupported construct: Moodle question type '{kind}'"
    )


def test_multiple_answers_are_refused(tmp_path: Path) -> None:
    text = quiz(multichoice("Banyak", "Pilih dua ...", FIVE, single="false"))
    with pytest.raises(ValidationError) as info:
        import_files([write(tmp_path, "kuis.xml", text)], SKD)
    assert single_problem(info).endswith(
        "unsupported construct: Moodle multichoice with multiple answers"
    )


def test_fractions_that_do_not_make_whole_points(tmp_path: Path) -> None:
    answers = [("50", "a"), ("100", "b"), ("0", "c"), ("0", "d"), ("0", "e")]
    text = quiz(
        category("$course$/top/TWK/pancasila"), multichoice("Setengah", "Soal ...", answers)
    )
    with pytest.raises(ValidationError) as info:
        import_files([write(tmp_path, "kuis.xml", text)], SKD)
    assert single_problem(info).endswith(
        "field 'points': option A: 50% of 5 points (section TWK) is 2.5, not a whole number"
    )


def test_thirds_within_rounding_and_bad_fractions(tmp_path: Path) -> None:
    thirds = Manifest(
        BankId("sepertiga"),
        "Sepertiga",
        "id",
        (Section(SectionId("TIGA"), "Tiga", 3, KeyRule(KeyRuleKind.WEIGHTED, weights=(1, 2, 3))),),
    )
    answers = [("33.33333", "a"), ("66.66667", "b"), ("100", "c")]
    text = quiz(category("$course$/top/TIGA/umum"), multichoice("Tiga", "S", answers))
    source = import_files([write(tmp_path, "a.xml", text)], thirds)
    assert source.items[0].points == {"A": 1, "B": 2, "C": 3}
    with pytest.raises(ValidationError) as info:
        import_files([write(tmp_path, "a.xml", text)])  # scale 100: 33.33333 is not whole
    assert "option A: 33.3333% of 100 points (section TIGA) is 33.3333" in reasons(info.value)[0]
    bad = quiz(multichoice("Rusak", "S", [("seratus", "a"), ("100", "b")]))
    with pytest.raises(ValidationError) as info:
        import_files([write(tmp_path, "b.xml", bad)])
    assert "fraction 'seratus' is not a percentage from -100 to 100" in single_problem(info)


def test_hostile_html_is_refused(tmp_path: Path) -> None:
    text = quiz(
        category("$course$/top/TWK/pancasila"),
        multichoice("Skrip", "<p>Soal</p><script>document.cookie</script>", FIVE),
        multichoice("Gambar", "<img src='x' onerror='alert(1)'>", FIVE),
        multichoice("Tautan", "<a href='javascript:alert(1)'>klik</a>", FIVE),
    )
    with pytest.raises(ValidationError) as info:
        import_files([write(tmp_path, "kuis.xml", text)], SKD)
    text = "\n".join(reasons(info.value))
    assert "item Skrip, field 'questiontext': unsupported construct: HTML <script> element" in text
    assert "item Gambar, field 'questiontext': unsupported construct: HTML event-handler" in text
    assert "item Tautan, field 'questiontext': unsupported construct: javascript: URL" in text


def test_images_not_embedded_or_from_the_web(tmp_path: Path) -> None:
    text = quiz(
        multichoice("Hilang", "<img src='@@PLUGINFILE@@/tidak-ada.png'>", FIVE),
        multichoice("Web", "<img src='https://contoh.id/a.png'>", FIVE),
    )
    with pytest.raises(ValidationError) as info:
        import_files([write(tmp_path, "kuis.xml", text)])
    text = "\n".join(reasons(info.value))
    assert "image 'tidak-ada.png' is referenced but not embedded (<file>)" in text
    assert "unsupported construct: image from outside the file (https://contoh.id/a.png)" in text


def test_same_image_name_different_bytes_are_kept_apart(tmp_path: Path) -> None:
    def with_image(name: str, data: str) -> str:
        image = f'<file name="image.png" path="/" encoding="base64">{data}</file>'
        return multichoice(name, "<img src='@@PLUGINFILE@@/image.png'>", FIVE, extra=image)

    text = quiz(with_image("Satu", PNG_B64), with_image("Dua", PNG_OTHER_B64), with_image(
        "Tiga", PNG_B64))  # fmt: skip
    source = import_files([write(tmp_path, "kuis.xml", text)])
    names = [item.stem[0].source for item in source.items if isinstance(item.stem[0], Image)]
    assert names[0] == names[2] == "gambar/image.png"
    assert names[1].startswith("gambar/image-")
    assert names[1].endswith(".png")
    assert source.images == {names[0]: PNG, names[1]: PNG_OTHER}


def test_duplicate_ids_and_missing_names(tmp_path: Path) -> None:
    text = quiz(
        multichoice("Sama", "Soal satu", FIVE),
        multichoice("Sama", "Soal dua", FIVE),
        multichoice("", "Soal tiga", FIVE),
    )
    path = write(tmp_path, "kuis.xml", text)
    with pytest.raises(ValidationError) as info:
        import_files([path])
    first, second, third = (
        n for n, line in enumerate(text.splitlines(), 1) if "<question " in line
    )
    assert reasons(info.value) == [
        f"{path}, line {second}, item Sama, field 'id': "
        f"duplicate id Sama (first at {path}, line {first})",
        f"{path}, line {third}, field 'name': the question has neither a name nor an idnumber",
    ]


def test_doctype_and_entity_bombs_are_refused(tmp_path: Path) -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE quiz [\n <!ENTITY a "aaaaaaaaaa">\n'
        ' <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n<quiz>&b;</quiz>\n'
    )
    with pytest.raises(SourceError, match="document type declaration") as info:
        import_files([write(tmp_path, "bom.xml", bomb)])
    assert info.value.location.line == 2
    external = '<?xml version="1.0"?>\n<!DOCTYPE quiz SYSTEM "file:///etc/passwd">\n<quiz/>\n'
    with pytest.raises(SourceError, match="document type declaration"):
        import_files([write(tmp_path, "luar.xml", external)])


def test_malformed_xml_points_at_the_line(tmp_path: Path) -> None:
    text = quiz(multichoice("Rusak", "Soal", FIVE)).replace("</name>", "</nama>", 1)
    with pytest.raises(SourceError, match="not well-formed XML") as info:
        import_files([write(tmp_path, "rusak.xml", text)])
    assert info.value.location.line == 4
