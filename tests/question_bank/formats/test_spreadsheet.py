from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest

from question_bank.errors import SourceError, ValidationError
from question_bank.formats import import_files, write_template
from question_bank.model import Difficulty
from question_bank.richtext import Image, Paragraph, Text, plain_text
from tests.question_bank.formats.factories import PNG, SKD, reasons, single_problem

HEADER = [
    "No", "ID", "Bagian", "Topik", "Tingkat", "Soal", "Opsi A", "Opsi B", "Opsi C", "Opsi D",
    "Opsi E", "Kunci", "Bobot", "Gambar", "Urutan Tetap", "Pembahasan", "Penulis", "Sumber",
    "Tahun",
]  # fmt: skip
TWK_ROW = [
    "1", "TWK-PCS-101", "twk", "Pancasila", "sulit",
    "Nilai yang terkandung dalam sila **keempat** Pancasila adalah ...",
    "Kebebasan mutlak", "Musyawarah untuk mencapai mufakat", "Persatuan golongan",
    "Keadilan sosial", "Ketuhanan", "b", "", "peta.png", "ya",
    "Sila keempat menekankan musyawarah.", "Tim Penyusun", "original", "2026",
]  # fmt: skip
TKP_ROW = [
    "2", "TKP-PLY-101", "TKP", "pelayanan publik", "",
    "Seorang warga datang lima menit sebelum layanan ditutup. Sikap Anda ...",
    "Meminta datang besok pagi", "Melayani sampai selesai", "Menolak",
    "Mengarahkan ke petugas lain", "Meminta menunggu", "", "3,5,1,4,2", "", "",
    "", "", "", "",
]  # fmt: skip


def write_csv(path: Path, rows: list[list[str]], *, delimiter: str = ",", bom: bool = True) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig" if bom else "utf-8"))
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_csv_with_indonesian_headers(tmp_path: Path) -> None:
    (tmp_path / "peta.png").write_bytes(PNG)
    path = write_csv(tmp_path / "soal.csv", [HEADER, TWK_ROW, TKP_ROW])
    source = import_files([path], SKD)

    twk, tkp = source.items
    assert (twk.id, twk.section, twk.topic) == ("TWK-PCS-101", "TWK", "pancasila")
    assert twk.difficulty is Difficulty.HARD
    assert dict(twk.points) == {"A": 0, "B": 5, "C": 0, "D": 0, "E": 0}
    assert twk.keep_option_order is True
    assert twk.stem[0] == Paragraph(
        (
            Text("Nilai yang terkandung dalam sila "),
            Text("keempat", bold=True),
            Text(" Pancasila adalah ..."),
        )
    )
    assert twk.stem[-1] == Image("gambar/peta.png", "")
    assert plain_text(twk.explanation) == "Sila keempat menekankan musyawarah."
    assert twk.meta == {"author": "Tim Penyusun", "source": "original", "year": 2026}
    assert (tkp.section, tkp.topic) == ("TKP", "pelayanan_publik")
    assert dict(tkp.points) == {"A": 3, "B": 5, "C": 1, "D": 4, "E": 2}
    assert tkp.keep_option_order is False
    assert source.images == {"gambar/peta.png": PNG}
    assert [(o.file, o.line) for o in source.origins] == [(str(path), 2), (str(path), 3)]


def test_semicolon_csv_with_english_headers_and_no_bom(tmp_path: Path) -> None:
    header = ["id", "section", "topic", "stem", "option_a", "option_b", "option_c", "option_d"]
    header += ["option_e", "key", "points"]
    row = ["TWK-NKRI-1", "TWK", "nkri", "Ibu kota negara ...", "a", "b", "c", "d", "e", "", ""]
    row[9] = "C"
    path = write_csv(tmp_path / "items.csv", [header, row], delimiter=";", bom=False)
    (item,) = import_files([path], SKD).items
    assert item.points["C"] == 5
    assert item.difficulty is Difficulty.MEDIUM


def test_xlsx_first_sheet(tmp_path: Path) -> None:
    (tmp_path / "gambar").mkdir()
    (tmp_path / "gambar" / "peta.png").write_bytes(PNG)
    twk: list[object] = [*TWK_ROW]
    twk[-1] = 2026  # a number cell
    path = write_xlsx(tmp_path / "soal.xlsx", [HEADER, [], twk, TKP_ROW])
    source = import_files([path], SKD)
    assert [i.id for i in source.items] == ["TWK-PCS-101", "TKP-PLY-101"]
    assert source.items[0].meta["year"] == 2026
    assert [o.line for o in source.origins] == [3, 4]
    assert source.images == {"gambar/peta.png": PNG}


def test_errors_point_at_row_and_column(tmp_path: Path) -> None:
    twk = [*TWK_ROW]
    twk[11] = "F"  # no option F
    twk[13] = ""
    path = write_xlsx(tmp_path / "soal.xlsx", [HEADER, twk, TKP_ROW])
    with pytest.raises(ValidationError) as info:
        import_files([path], SKD)
    assert single_problem(info) == (
        f"{path} row 2, item TWK-PCS-101, column 'Kunci': "
        "must be the letter of one of the options (A to E)"
    )
    problem = info.value.problems[0]
    assert (problem.location.line, problem.location.field) == (2, "Kunci")


def test_one_bad_row_among_good_ones_returns_nothing(tmp_path: Path) -> None:
    good = [[*TWK_ROW[:13], "", *TWK_ROW[14:]] for _ in range(3)]
    for n, row in enumerate(good):
        row[1] = f"TWK-PCS-{n}"
    bad = [*TKP_ROW]
    bad[12] = "1,1,3,4,5"  # not the section's weights
    path = write_csv(tmp_path / "soal.csv", [HEADER, *good, bad])
    with pytest.raises(ValidationError) as info:
        import_files([path], SKD)
    line = single_problem(info)
    assert line.startswith(f"{path} row 5, item TKP-PLY-101, column 'Bobot': ")
    assert "weights 1, 2, 3, 4, 5" in line


def test_every_row_problem_is_reported(tmp_path: Path) -> None:
    rows = [HEADER]
    rows.append(["", "", "TWK", "pancasila", "", "Soal", "a", "b", "c", "d", "e", "A"])
    rows.append(["", "TWK-X", "TWK", "", "rumit", "Soal", "a", "", "c", "d", "e", "A", "1,2"])
    rows.append(["", "TKP-X", "TKP", "pelayanan_publik", "", "Soal", "a", "b", "c", "d", "e"])
    rows[-1] += ["B", "", "", "mungkin", "", "", "", "dua ribu"]
    path = write_csv(tmp_path / "soal.csv", rows)
    with pytest.raises(ValidationError) as info:
        import_files([path], SKD)
    text = "\n".join(reasons(info.value))
    assert f"{path} row 2, column 'ID': every row needs an id" in text
    assert "row 3, item TWK-X, column 'Topik': must not be empty" in text
    assert "row 3, item TWK-X, column 'Tingkat': must be easy/medium/hard" in text
    assert "row 3, item TWK-X, column 'Opsi B': empty, but a later option is filled in" in text
    assert "row 3, item TWK-X, column 'Kunci': give either a key (kunci) or points" in text
    assert "row 4, item TKP-X, column 'Urutan Tetap': must be ya/tidak" in text
    assert "row 4, item TKP-X, column 'Tahun': must be a year" in text
    assert "row 4, item TKP-X, column 'Kunci': section TKP is weighted" in text


def test_unknown_and_missing_columns(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "soal.csv", [["id", "bagian", "soal", "opsi_a", "kuncii"]])
    with pytest.raises(ValidationError) as info:
        import_files([path], SKD)
    text = "\n".join(reasons(info.value))
    assert "row 1, column 'kuncii': unknown column; the columns are: id, section (bagian)" in text
    assert "row 1, column 'topic': this column is missing" in text
    assert "row 1, column 'option_b': this column is missing" in text


def test_missing_image_and_duplicate_ids(tmp_path: Path) -> None:
    second = [*TWK_ROW]
    second[13] = ""
    path = write_csv(tmp_path / "soal.csv", [HEADER, TWK_ROW, second])
    with pytest.raises(ValidationError) as info:
        import_files([path], SKD)
    text = "\n".join(reasons(info.value))
    assert "row 2, item TWK-PCS-101, column 'Gambar': image 'peta.png' not found" in text
    assert "row 3, item TWK-PCS-101, column 'ID': duplicate id TWK-PCS-101" in text


def test_files_that_cannot_be_read(tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes("id,soal\nTWK-1,Sila ke-4 \xe9\n".encode("latin-1"))
    with pytest.raises(SourceError, match="not UTF-8 text") as info:
        import_files([latin], SKD)
    assert info.value.location.line == 2
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"bukan workbook")
    with pytest.raises(SourceError, match=r"not a readable \.xlsx workbook"):
        import_files([broken], SKD)
    empty = write_csv(tmp_path / "kosong.csv", [])
    with pytest.raises(SourceError, match="the sheet is empty"):
        import_files([empty], SKD)


@pytest.mark.parametrize("name", ["template-soal.xlsx", "template-soal.csv"])
def test_template_imports_into_an_skd_bank(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    write_template(path)
    source = import_files([path], SKD)
    assert [(i.id, i.section) for i in source.items] == [
        ("TWK-CONTOH-001", "TWK"),
        ("TKP-CONTOH-001", "TKP"),
    ]
    assert dict(source.items[1].points) == {"A": 3, "B": 5, "C": 1, "D": 4, "E": 2}


def test_xlsx_template_explains_every_column(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template(path)
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["Soal", "Petunjuk"]
    header = next(book["Soal"].iter_rows(values_only=True))
    explained = " ".join(str(r[0]) for r in book["Petunjuk"].iter_rows(values_only=True))
    book.close()
    for column in header:
        stem = str(column).rsplit("_", 1)[0] if str(column).startswith("opsi") else str(column)
        assert stem in explained


def test_shipped_templates_are_current(tmp_path: Path) -> None:
    shipped = Path(__file__).parents[3] / "question_bank" / "templates"
    write_template(tmp_path / "t.csv")
    assert (shipped / "template-soal.csv").read_bytes() == (tmp_path / "t.csv").read_bytes()
    write_template(tmp_path / "t.xlsx")
    for name in ("Soal", "Petunjuk"):
        ours = openpyxl.load_workbook(tmp_path / "t.xlsx", read_only=True)
        theirs = openpyxl.load_workbook(shipped / "template-soal.xlsx", read_only=True)
        assert list(ours[name].iter_rows(values_only=True)) == list(
            theirs[name].iter_rows(values_only=True)
        )
        ours.close()
        theirs.close()
    with pytest.raises(SourceError, match=r"\.xlsx or \.csv"):
        write_template(tmp_path / "t.ods")
