from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from question_bank.errors import SourceError, ValidationError
from question_bank.formats import export_qti, import_files
from question_bank.model import (
    BankId,
    BankSource,
    Difficulty,
    Item,
    ItemId,
    KeyRule,
    KeyRuleKind,
    Manifest,
    OptionLabel,
    Section,
    SectionId,
)
from question_bank.richtext import Image, parse, plain_text
from question_bank.source import read_source
from tests.question_bank.formats.factories import PNG, PNG_OTHER, SKD, reasons, single_problem

QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
MATCH = "http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct"
MAP = "http://www.imsglobal.org/question/qti_v2p1/rptemplates/map_response"
MAP_PROCESSING = f'<responseProcessing template="{MAP}"/>'
SAMPLES = Path(__file__).parents[3] / "question_bank" / "samples"


def choices(texts: list[str], fixed: str = "") -> str:
    pinned = ' fixed="true"'
    return "".join(
        f'<simpleChoice identifier="C{n}"{pinned if str(n) == fixed else ""}>{text}</simpleChoice>'
        for n, text in enumerate(texts)
    )


def item(
    identifier: str,
    body: str,
    *,
    correct: str = "C1",
    mapping: str = "",
    processing: str = f'<responseProcessing template="{MATCH}"/>',
    extra: str = "",
    namespace: str = QTI,
) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<assessmentItem xmlns="{namespace}" identifier="{identifier}" title="Soal" adaptive="false"
    timeDependent="false">
  <responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier">
    <correctResponse><value>{correct}</value></correctResponse>{mapping}
  </responseDeclaration>
  <outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float"/>
  <itemBody>
{body}
  </itemBody>
  {processing}{extra}
</assessmentItem>
"""


FIVE = ["Kebebasan mutlak", "Musyawarah untuk mufakat", "Persatuan", "Keadilan", "Ketuhanan"]
TWK_BODY = f"""
    <p>Perhatikan lambang berikut.</p>
    <div><img src="gambar/lambang.png" alt="Lambang"/></div>
    <choiceInteraction responseIdentifier="RESPONSE" shuffle="true" maxChoices="1">
      <prompt>Nilai sila <strong>keempat</strong> adalah ...</prompt>
      {choices(FIVE)}
    </choiceInteraction>
    <rubricBlock view="scorer tutor"><p>Sila keempat: musyawarah.</p></rubricBlock>
"""
TKP_BODY = f"""
    <p>Warga datang lima menit sebelum layanan ditutup. Sikap Anda ...</p>
    <choiceInteraction responseIdentifier="RESPONSE" shuffle="true" maxChoices="1">
      {choices(["Formulir", "Layani", "Tolak", "Alihkan", "Semua benar"], fixed="4")}
    </choiceInteraction>
"""
TKP_MAPPING = """
    <mapping defaultValue="0">
      <mapEntry mapKey="C0" mappedValue="1.5"/><mapEntry mapKey="C1" mappedValue="2.5"/>
      <mapEntry mapKey="C2" mappedValue="0.5"/><mapEntry mapKey="C3" mappedValue="2"/>
      <mapEntry mapKey="C4" mappedValue="1"/>
    </mapping>"""


def package(
    path: Path, resources: list[tuple[str, str, list[str]]], files: dict[str, bytes]
) -> Path:
    """A content package: (href, item xml, keywords) per item resource, plus other files."""
    entries = []
    for href, _, keywords in resources:
        words = "".join(
            f"<imsmd:keyword><imsmd:langstring>{k}</imsmd:langstring></imsmd:keyword>"
            for k in keywords
        )
        entries.append(
            f'<resource identifier="R-{href}" type="imsqti_item_xmlv2p1" href="{href}">'
            f"<metadata><imsmd:lom><imsmd:general>{words}</imsmd:general>"
            "<imsmd:educational><imsmd:difficulty><imsmd:value><imsmd:langstring>difficult"
            "</imsmd:langstring></imsmd:value></imsmd:difficulty></imsmd:educational>"
            f'</imsmd:lom></metadata><file href="{href}"/></resource>'
        )
    manifest = (
        '<?xml version="1.0"?>\n<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" '
        'xmlns:imsmd="http://www.imsglobal.org/xsd/imsmd_v1p2" identifier="M">\n'
        "<organizations/>\n<resources>\n"
        '<resource identifier="T" type="imsqti_test_xmlv2p1" href="test.xml"/>\n'
        + "\n".join(entries)
        + "\n</resources>\n</manifest>\n"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("imsmanifest.xml", manifest)
        for href, xml, _ in resources:
            archive.writestr(href, xml)
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def test_single_item_file_with_an_image_beside_it(tmp_path: Path) -> None:
    (tmp_path / "gambar").mkdir()
    (tmp_path / "gambar" / "lambang.png").write_bytes(PNG)
    path = tmp_path / "soal.xml"
    path.write_text(item("TWK-PCS-401", TWK_BODY), encoding="utf-8")
    source = import_files([path])
    (only,) = source.items
    assert (only.id, only.section, only.topic) == ("TWK-PCS-401", "UMUM", "umum")
    assert plain_text(only.stem) == (
        "Perhatikan lambang berikut.\nLambang\nNilai sila keempat adalah ..."
    )
    assert only.stem[1] == Image("gambar/lambang.png", "Lambang")
    assert dict(only.points) == {"A": 0, "B": 100, "C": 0, "D": 0, "E": 0}
    assert only.keep_option_order is False
    assert plain_text(only.explanation) == "Sila keempat: musyawarah."
    assert source.images == {"gambar/lambang.png": PNG}
    assert (source.origins[0].file, source.origins[0].line) == (str(path), 2)


def test_package_keywords_folders_mapping_and_fixed_choices(tmp_path: Path) -> None:
    path = package(
        tmp_path / "paket.zip",
        [
            ("items/TWK/Pancasila/twk-1.xml", item("twk-1", TWK_BODY), []),
            (
                "items/tkp-1.xml",
                item("tkp-1", TKP_BODY, mapping=TKP_MAPPING, processing=(
                    f'<responseProcessing template="{MAP}"/>')),
                ["section:TKP", "topik=Pelayanan Publik"],
            ),
        ],
        {"items/TWK/Pancasila/gambar/lambang.png": PNG, "test.xml": b"<assessmentTest/>"},
    )  # fmt: skip
    source = import_files([path], SKD)
    twk, tkp = source.items
    assert (twk.section, twk.topic, twk.points["B"]) == ("TWK", "pancasila", 5)
    assert twk.difficulty is Difficulty.HARD  # the LOM educational difficulty
    assert (tkp.section, tkp.topic) == ("TKP", "pelayanan_publik")
    assert dict(tkp.points) == {"A": 3, "B": 5, "C": 1, "D": 4, "E": 2}
    assert tkp.keep_option_order is True  # a fixed choice cannot move: the order is kept
    assert source.origins[1].file == f"{path}:items/tkp-1.xml"


def body_with(interaction: str) -> str:
    return f"<p>Soal</p>{interaction}"


@pytest.mark.parametrize(
    ("body", "construct"),
    [
        (body_with('<p><textEntryInteraction responseIdentifier="RESPONSE"/></p>'),
         "QTI textEntryInteraction"),
        (body_with('<extendedTextInteraction responseIdentifier="RESPONSE"/>'),
         "QTI extendedTextInteraction"),
        (body_with('<orderInteraction responseIdentifier="RESPONSE">'
                   '<simpleChoice identifier="A">a</simpleChoice></orderInteraction>'),
         "QTI orderInteraction"),
        (body_with('<matchInteraction responseIdentifier="RESPONSE"/>'), "QTI matchInteraction"),
        (body_with('<hotspotInteraction responseIdentifier="RESPONSE"/>'),
         "QTI hotspotInteraction"),
        (body_with('<choiceInteraction responseIdentifier="RESPONSE" maxChoices="2">'
                   f'{choices(FIVE)}</choiceInteraction>'),
         "QTI choiceInteraction with maxChoices=2"),
        (body_with('<choiceInteraction responseIdentifier="RESPONSE" maxChoices="0">'
                   f'{choices(FIVE)}</choiceInteraction>'),
         "QTI choiceInteraction with maxChoices=0 (any number)"),
        (TWK_BODY.replace("<p>Perhatikan", "<p><printedVariable identifier='X'/>Perhatikan"),
         "QTI printedVariable"),
        (TWK_BODY.replace("<p>Perhatikan", "<object data='a.mp4' type='video/mp4'/><p>"),
         "HTML <object> element"),
        (TWK_BODY.replace("<p>Perhatikan", "<p onmouseover='x()'>Perhatikan"),
         "HTML event-handler attribute 'onmouseover'"),
    ],
)  # fmt: skip
def test_other_interactions_and_constructs_are_refused(
    tmp_path: Path, body: str, construct: str
) -> None:
    (tmp_path / "gambar").mkdir()
    (tmp_path / "gambar" / "lambang.png").write_bytes(PNG)
    path = tmp_path / "soal.xml"
    path.write_text(item("Q-1", body), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        import_files([path])
    assert "item Q-1" in single_problem(info)
    assert f"unsupported construct: {construct}" in single_problem(info)


@pytest.mark.parametrize(
    ("kwargs", "construct"),
    [
        ({"processing": "<responseProcessing><responseCondition/></responseProcessing>"},
         "QTI custom responseProcessing"),
        ({"processing": ""}, "QTI item without responseProcessing"),
        ({"processing": '<responseProcessing template="http://www.imsglobal.org/question/'
                        'qti_v2p1/rptemplates/map_response_point"/>'},
         "QTI responseProcessing template 'map_response_point'"),
        ({"namespace": "http://www.imsglobal.org/xsd/imsqti_v2p2"},
         "QTI version imsqti_v2p2 (only QTI 2.1 is read)"),
    ],
)  # fmt: skip
def test_processing_and_versions_we_do_not_take(
    tmp_path: Path, kwargs: dict[str, str], construct: str
) -> None:
    path = tmp_path / "soal.xml"
    path.write_text(item("Q-2", TKP_BODY, **kwargs), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        import_files([path])
    assert single_problem(info).endswith(f"item Q-2: unsupported construct: {construct}")


def test_template_processing_is_refused(tmp_path: Path) -> None:
    extra = "<templateProcessing/>"
    xml = item("Q-3", TKP_BODY).replace("<itemBody>", f"{extra}<itemBody>")
    path = tmp_path / "soal.xml"
    path.write_text(xml, encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        import_files([path])
    assert "unsupported construct: QTI templateProcessing" in single_problem(info)


def test_bad_keys_and_broken_packages(tmp_path: Path) -> None:
    path = package(
        tmp_path / "paket.zip",
        [
            ("items/a.xml", item("a", TKP_BODY, correct="C9"), ["section=TKP"]),
            ("items/b.xml", item("b", TKP_BODY, processing=MAP_PROCESSING), ["section=TKP"]),
        ],
        {},
    )  # fmt: skip
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("items/c.xml", b"ignored: not listed")
    with pytest.raises(ValidationError) as info:
        import_files([path], SKD)
    assert reasons(info.value) == [
        f"{path}:items/a.xml, line 2, item a, field 'responseDeclaration': "
        "the correct response 'C9' is not a choice",
        f"{path}:items/b.xml, line 2, item b, field 'responseDeclaration': "
        "map_response needs a <mapping>",
    ]
    no_manifest = tmp_path / "kosong.zip"
    with zipfile.ZipFile(no_manifest, "w") as archive:
        archive.writestr("items/a.xml", item("a", TKP_BODY))
    with pytest.raises(SourceError, match=r"the package has no imsmanifest\.xml"):
        import_files([no_manifest])
    not_zip = tmp_path / "bukan.zip"
    not_zip.write_bytes(b"PK bukan zip")
    with pytest.raises(SourceError, match="not a readable zip file"):
        import_files([not_zip])


def test_missing_item_file_in_the_package(tmp_path: Path) -> None:
    path = package(tmp_path / "paket.zip", [("items/a.xml", item("a", TKP_BODY), [])], {})
    with zipfile.ZipFile(path) as archive:
        manifest = archive.read("imsmanifest.xml").replace(b"items/a.xml", b"items/z.xml")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("imsmanifest.xml", manifest)
    with pytest.raises(ValidationError) as info:
        import_files([path])
    assert "'items/z.xml' is not in the package" in single_problem(info)


# ------------------------------------------------------------------ export and round trip


def figural_bank() -> BankSource:
    """A small SKD-shaped bank with figural items (images in stems and options)."""
    labels = tuple(OptionLabel(x) for x in "ABCDE")
    items = [
        Item(
            ItemId(f"TIU-FIG-{n:03d}"),
            SectionId("TIU"),
            "figural",
            Difficulty.HARD,
            parse(
                "Gambar yang tepat untuk **menggantikan** tanda tanya adalah ...\n\n"
                f"![Deret gambar](gambar/tiu-fig-{n:03d}.png)"
            ),
            tuple(parse(f"![{x}](gambar/tiu-fig-{n:03d}-{x.lower()}.png)") for x in labels),
            {x: (5 if x == "C" else 0) for x in labels},
            explanation=parse("Panah berputar 45° searah jarum jam.\n\n- langkah 1\n- langkah 2"),
            meta={"author": "Tim Uji", "year": 2026},
        )
        for n in (1, 2)
    ]
    items.append(
        Item(
            ItemId("TWK-UUD-001"),
            SectionId("TWK"),
            "uud1945",
            Difficulty.EASY,
            parse("| Pasal | Isi |\n|---|---|\n| 1 | Bentuk negara |\n\nPasal 1 ayat (1) ..."),
            tuple(parse(t) for t in ("Kesatuan", "Federasi", "Serikat", "Monarki", "*Semua*")),
            {x: (5 if x == "A" else 0) for x in labels},
            keep_option_order=True,
        )
    )
    items.append(
        Item(
            ItemId("TKP-PRO-001"),
            SectionId("TKP"),
            "profesionalisme",
            Difficulty.MEDIUM,
            parse("Atasan meminta laporan mendadak. Sikap Anda & tim <segera>?"),
            tuple(parse(f"Pilihan {x}") for x in labels),
            dict(zip(labels, (2, 4, 5, 1, 3), strict=True)),
        )
    )
    images = {
        f"gambar/tiu-fig-{n:03d}{suffix}.png": (PNG if suffix else PNG_OTHER)
        for n in (1, 2)
        for suffix in ("", "-a", "-b", "-c", "-d", "-e")
    }
    return BankSource(SKD, tuple(items), images)


def sample_bank(name: str) -> BankSource:
    """A sample bank shipped in question_bank/samples, or the small one if it is not readable."""
    try:
        return read_source(SAMPLES / name)
    except (SourceError, ValidationError):
        return figural_bank()


def assert_same_items(before: BankSource, after: BankSource) -> None:
    assert [i.id for i in after.items] == [i.id for i in before.items]
    for old, new in zip(before.items, after.items, strict=True):
        assert new == replace(old, meta=dict(old.meta), points=dict(old.points)), old.id
    assert dict(after.images) == dict(before.images)


@pytest.mark.parametrize("make", [figural_bank, lambda: sample_bank("skd-2024")])
def test_export_then_import_gives_the_same_items(tmp_path: Path, make: object) -> None:
    bank = make()  # type: ignore[operator]
    out = tmp_path / "bank-qti.zip"
    export_qti(bank, out)
    assert_same_items(bank, import_files([out], bank.manifest))


def test_round_trip_of_the_pppk_sample(tmp_path: Path) -> None:
    bank = sample_bank("pppk-2024")
    export_qti(bank, tmp_path / "pppk.zip")
    assert_same_items(bank, import_files([tmp_path / "pppk.zip"], bank.manifest))


def test_the_package_is_standard_and_reproducible(tmp_path: Path) -> None:
    bank = figural_bank()
    export_qti(bank, tmp_path / "a.zip")
    export_qti(bank, tmp_path / "b.zip")
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        names = archive.namelist()
        manifest = archive.read("imsmanifest.xml").decode()
        tkp = archive.read("items/TKP-PRO-001.xml").decode()
        twk = archive.read("items/TWK-UUD-001.xml").decode()
    assert names[0] == "imsmanifest.xml"
    assert "items/TIU-FIG-001.xml" in names
    assert "images/tiu-fig-001-c.png" in names
    assert manifest.count('type="imsqti_item_xmlv2p1"') == 4
    assert '<file href="images/tiu-fig-001-a.png"/>' in manifest
    assert "cbt:section=TIU" in manifest
    assert "cbt:topic=figural" in manifest
    assert "rptemplates/map_response" in tkp
    assert 'mappedValue="5"' in tkp
    assert 'shuffle="true"' in tkp
    assert "rptemplates/match_correct" in twk
    assert "<value>A</value>" in twk
    assert 'shuffle="false"' in twk
    assert "Sikap Anda &amp; tim &lt;segera&gt;?" in tkp


def test_without_a_manifest_free_sections_keep_the_native_points(tmp_path: Path) -> None:
    free = Manifest(
        BankId("bebas"),
        "Bebas",
        "id",
        (Section(SectionId("WAW"), "Wawancara", 3, KeyRule(KeyRuleKind.FREE)),),
    )
    labels = tuple(OptionLabel(x) for x in "ABC")
    bank = BankSource(
        free,
        (
            Item(
                ItemId("007"),
                SectionId("WAW"),
                "integritas",
                Difficulty.MEDIUM,
                parse("Teman meminta Anda menandatangani daftar hadir untuknya ..."),
                tuple(parse(t) for t in ("Menolak", "Menandatangani", "Diam")),
                dict(zip(labels, (4, -1, 0), strict=True)),
            ),
        ),
        {},
    )
    export_qti(bank, tmp_path / "bebas.zip")
    assert_same_items(bank, import_files([tmp_path / "bebas.zip"], free))
    unmanifested = import_files([tmp_path / "bebas.zip"])
    assert dict(unmanifested.items[0].points) == {"A": 4, "B": -1, "C": 0}
    with zipfile.ZipFile(tmp_path / "bebas.zip") as archive:
        assert 'identifier="item-007"' in archive.read("items/007.xml").decode()


def test_an_unsound_bank_is_not_exported(tmp_path: Path) -> None:
    bank = figural_bank()
    broken = BankSource(bank.manifest, bank.items, {})
    with pytest.raises(ValidationError, match="is missing"):
        export_qti(broken, tmp_path / "x.zip")
    assert not (tmp_path / "x.zip").exists()
