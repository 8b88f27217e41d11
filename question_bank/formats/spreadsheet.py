"""Items from a spreadsheet (CSV or the first sheet of an XLSX workbook), one row per item.

The first row names the columns (in English or Indonesian, any case); texts
are written in the bank's rich-text markup, as in items/*.toml. See
docs/import-formats.md for the columns.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from question_bank.errors import Location, SourceError
from question_bank.formats.draft import Draft, Intake, Key, Placement, Points, RowLocation, at, slug
from question_bank.formats.html_import import TextFormat, to_document
from question_bank.formats.images import ImageResolver, folder_resolver
from question_bank.model import LETTERS, Difficulty
from question_bank.richtext import Document, Image

#: Column name -> the field it fills. Indonesian aliases are accepted everywhere.
COLUMNS: dict[str, str] = {
    "id": "id",
    "section": "section",
    "bagian": "section",
    "topic": "topic",
    "topik": "topic",
    "difficulty": "difficulty",
    "tingkat": "difficulty",
    "stem": "stem",
    "soal": "stem",
    "key": "key",
    "kunci": "key",
    "points": "points",
    "bobot": "points",
    "image": "image",
    "gambar": "image",
    "keep_option_order": "keep_option_order",
    "urutan_tetap": "keep_option_order",
    "explanation": "explanation",
    "pembahasan": "explanation",
    "author": "author",
    "penulis": "author",
    "source": "source",
    "sumber": "source",
    "year": "year",
    "tahun": "year",
}
for _letter in LETTERS.lower():
    COLUMNS[f"option_{_letter}"] = f"option_{_letter}"
    COLUMNS[f"opsi_{_letter}"] = f"option_{_letter}"
#: Columns people keep for themselves (a running number); read and ignored.
IGNORED_COLUMNS = frozenset({"no", "nomor"})
REQUIRED = ("id", "section", "topic", "stem", "option_a", "option_b")

DIFFICULTIES = {
    "easy": Difficulty.EASY,
    "mudah": Difficulty.EASY,
    "medium": Difficulty.MEDIUM,
    "sedang": Difficulty.MEDIUM,
    "hard": Difficulty.HARD,
    "sulit": Difficulty.HARD,
}
YES = frozenset({"ya", "y", "true", "1", "yes", "benar"})
NO = frozenset({"tidak", "t", "false", "0", "no", "n", "salah", ""})

Row = tuple[int, list[str]]


def read_csv(path: Path, intake: Intake) -> None:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(Location(str(path)), f"cannot be read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(
            RowLocation(str(path), _text_line(raw, exc.start)),
            "not UTF-8 text; save the sheet as 'CSV UTF-8'",
        ) from None
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    try:
        rows = [
            (number, row)
            for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1)
        ]
    except csv.Error as exc:
        raise SourceError(Location(str(path)), f"not a readable CSV file ({exc})") from None
    _read_rows(path, rows, intake)


def _text_line(raw: bytes, offset: int) -> int:
    return raw[:offset].count(b"\n") + 1


def read_xlsx(path: Path, intake: Intake) -> None:
    _read_rows(path, list(_xlsx_rows(path)), intake)


def _xlsx_rows(path: Path) -> Iterator[Row]:
    openpyxl = _openpyxl(path)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it does not read; they carry no items.
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise SourceError(Location(str(path)), f"not a readable .xlsx workbook ({exc})") from None
    try:
        if not book.worksheets:
            raise SourceError(Location(str(path)), "the workbook has no sheet")
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(value) for value in values]
    finally:
        book.close()


def _openpyxl(path: Path) -> Any:
    try:
        import openpyxl  # type: ignore[import-untyped]
    except ImportError:
        raise SourceError(
            Location(str(path)),
            "reading .xlsx needs openpyxl (install cbt-station[bank]); or save the sheet as CSV",
        ) from None
    return openpyxl


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _header_name(text: str) -> str:
    return re.sub(r"[\s-]+", "_", text.strip().lower()).strip("._")


def _read_rows(path: Path, rows: Sequence[Row], intake: Intake) -> None:
    file = str(path)
    rows = [(n, cells) for n, cells in rows if any(c.strip() for c in cells)]
    if not rows:
        raise SourceError(RowLocation(file, 1), "the sheet is empty (no header row)")
    header_row, header = rows[0]
    columns: dict[str, int] = {}
    written: dict[str, str] = {}
    ok = True
    for index, title in enumerate(header):
        name = _header_name(title)
        if not name or name in IGNORED_COLUMNS:
            continue
        field = COLUMNS.get(name)
        if field is None:
            intake.fail(
                RowLocation(file, header_row, title.strip()),
                "unknown column; the columns are: " + ", ".join(_column_list()),
            )
            ok = False
        elif field in columns:
            intake.fail(
                RowLocation(file, header_row, title.strip()),
                f"column for '{field}' given twice",
            )
            ok = False
        else:
            columns[field] = index
            written[field] = title.strip()
    for field in REQUIRED:
        if field not in columns:
            intake.fail(RowLocation(file, header_row, field), "this column is missing")
            ok = False
    if "key" not in columns and "points" not in columns:
        intake.fail(
            RowLocation(file, header_row, "key"), "a 'key' (kunci) or 'points' (bobot) column"
        )
        ok = False
    if not ok:
        return
    resolver = folder_resolver(path.parent, intake.images)
    for number, cells in rows[1:]:
        _read_row(file, number, cells, columns, written, resolver, intake)


def _column_list() -> list[str]:
    seen: list[str] = []
    for name, field in COLUMNS.items():
        if name == field and not name.startswith("option_"):
            aliases = [a for a, f in COLUMNS.items() if f == field and a != name]
            seen.append(f"{name} ({'/'.join(aliases)})" if aliases else name)
    seen.append("option_a..option_j (opsi_a..opsi_j)")
    return seen


def _read_row(
    file: str,
    number: int,
    cells: list[str],
    columns: dict[str, int],
    written: dict[str, str],
    resolver: ImageResolver,
    intake: Intake,
) -> None:
    def cell(field: str) -> str:
        index = columns.get(field)
        if index is None or index >= len(cells):
            return ""
        return cells[index].strip()

    raw_id = cell("id")
    where = RowLocation(file, number)
    if not raw_id:
        intake.fail(at(where, written["id"]), "every row needs an id")
        return
    item_id = slug(raw_id)
    where = RowLocation(file, number, item_id=item_id or raw_id)
    before = len(intake.problems)

    def fail(field: str, reason: str) -> None:
        intake.fail(at(where, written.get(field, field)), reason)

    section = cell("section")
    topic = cell("topic")
    if not section:
        fail("section", "must not be empty")
    if not topic:
        fail("topic", "must not be empty")

    texts = [cell(f"option_{letter}") for letter in LETTERS.lower()]
    last = max((n for n, text in enumerate(texts) if text), default=-1)
    for n in range(last + 1):
        if not texts[n]:
            fail(f"option_{LETTERS[n].lower()}", "empty, but a later option is filled in")
    option_texts = texts[: last + 1]

    difficulty_text = cell("difficulty").lower()
    difficulty = Difficulty.MEDIUM
    if difficulty_text:
        if difficulty_text in DIFFICULTIES:
            difficulty = DIFFICULTIES[difficulty_text]
        else:
            fail("difficulty", "must be easy/medium/hard (mudah/sedang/sulit)")

    keep_text = cell("keep_option_order").lower()
    keep = keep_text in YES
    if keep_text not in YES and keep_text not in NO:
        fail("keep_option_order", "must be ya/tidak (true/false, 1/0)")

    score = _score(cell("key"), cell("points"), len(option_texts), fail)

    meta: dict[str, str | int] = {}
    for field in ("author", "source"):
        if cell(field):
            meta[field] = cell(field)
    year = cell("year")
    if year:
        if year.isdigit():
            meta["year"] = int(year)
        else:
            fail("year", "must be a year such as 2026")

    def document(field: str, text: str) -> Document:
        try:
            return to_document(text, TextFormat.MARKDOWN, at(where, written[field]), resolver)
        except SourceError as exc:
            intake.refuse(exc)
            return ()

    stem = document("stem", cell("stem"))
    options = tuple(
        document(f"option_{LETTERS[n].lower()}", text) for n, text in enumerate(option_texts)
    )
    explanation = document("explanation", cell("explanation")) if "explanation" in columns else ()
    image = cell("image")
    if image:
        try:
            stem = (*stem, Image(resolver(image, at(where, written["image"])), ""))
        except SourceError as exc:
            intake.refuse(exc)

    intake.drafts.append(
        Draft(
            id=raw_id,
            where=where,
            placement=Placement(section=section, topic=topic),
            stem=stem,
            options=options,
            score=score,
            difficulty=difficulty,
            keep_option_order=keep,
            explanation=explanation,
            meta=meta,
            fields=written,
            complete=len(intake.problems) == before and score is not None,
        )
    )


def _score(
    key: str, points: str, count: int, fail: Callable[[str, str], None]
) -> Key | Points | None:
    if key and points:
        fail("key", "give either a key (kunci) or points (bobot), not both")
        return None
    if key:
        label = key.upper()
        if count == 0:
            fail("key", "the row has no options")
            return None
        if label not in LETTERS[:count]:
            fail("key", f"must be the letter of one of the options (A to {LETTERS[count - 1]})")
            return None
        return Key(label)
    if points:
        parts = [p for p in re.split(r"[\s,;/]+", points) if p]
        if not all(re.fullmatch(r"[+-]?\d+", p) for p in parts):
            fail("points", "must be whole numbers, one per option, e.g. 3,5,1,4,2")
            return None
        if len(parts) != count:
            fail("points", f"{len(parts)} points for {count} options")
            return None
        return Points(tuple(int(p) for p in parts))
    fail("key", "give the key (kunci) or the points of every option (bobot)")
    return None


# ------------------------------------------------------------------ the template

TEMPLATE_HEADER = (
    "id", "bagian", "topik", "tingkat", "soal", "opsi_a", "opsi_b", "opsi_c", "opsi_d",
    "opsi_e", "kunci", "bobot", "gambar", "urutan_tetap", "pembahasan", "penulis",
    "sumber", "tahun",
)  # fmt: skip
TEMPLATE_ROWS: tuple[tuple[str | int, ...], ...] = (
    (
        "TWK-CONTOH-001",
        "TWK",
        "pancasila",
        "sedang",
        "Nilai yang terkandung dalam sila keempat Pancasila adalah ...",
        "Kebebasan mutlak setiap warga negara",
        "Musyawarah untuk mencapai mufakat",
        "Persatuan di atas kepentingan golongan",
        "Keadilan bagi seluruh rakyat",
        "Ketuhanan yang berkebudayaan",
        "B",
        "",
        "",
        "tidak",
        "Sila keempat menekankan **musyawarah untuk mencapai mufakat** "
        "dalam mengambil keputusan bersama.",
        "Tim Penyusun",
        "original",
        2026,
    ),
    (
        "TKP-CONTOH-001",
        "TKP",
        "pelayanan_publik",
        "sedang",
        "Lima menit sebelum jam layanan berakhir, seorang warga datang dan membutuhkan "
        "surat keterangan hari itu juga. Sikap Anda adalah ...",
        "Memberikan formulir dan meminta warga kembali besok pagi",
        "Melayani warga sampai urusannya selesai meskipun melewati jam layanan",
        "Menolak karena jam layanan hampir berakhir",
        "Mengarahkan warga ke petugas lain yang masih bertugas",
        "Meminta warga datang kembali besok",
        "",
        "3,5,1,4,2",
        "",
        "tidak",
        "Bobot: B = 5 (melayani sampai tuntas), D = 4, A = 3, E = 2, C = 1.",
        "Tim Penyusun",
        "original",
        2026,
    ),
)
TEMPLATE_GUIDE: tuple[tuple[str, str, str], ...] = (
    ("kolom", "wajib", "keterangan"),
    ("id", "ya", "Kode unik soal: huruf, angka, '-', '_' atau '.', misalnya TWK-PCS-001. "
     "Jangan dipakai ulang untuk soal lain. (Nama kolom dalam bahasa Inggris: id)"),
    ("bagian", "ya", "Kode bagian (subtes) sesuai bank.toml, misalnya TWK, TIU, TKP. (section)"),
    ("topik", "ya", "Topik di dalam bagian, misalnya pancasila atau pelayanan_publik. (topic)"),
    ("tingkat", "tidak", "Tingkat kesulitan: mudah, sedang atau sulit; kosong berarti sedang. "
     "(difficulty: easy/medium/hard)"),
    ("soal", "ya", "Teks soal. Boleh memakai **tebal**, *miring*, daftar '- ' atau '1. ', "
     "tabel '| a | b |' dan gambar ![keterangan](gambar/nama.png) pada barisnya sendiri. "
     "(stem)"),
    ("opsi_a .. opsi_j", "ya (minimal opsi_a dan opsi_b)", "Teks pilihan jawaban A, B, C, ...; "
     "isi berurutan tanpa lubang. Jumlah opsi harus sama dengan ketentuan bagiannya. "
     "(option_a .. option_j)"),
    ("kunci", "untuk bagian benar/salah", "Huruf jawaban yang benar, misalnya B. Nilainya "
     "mengikuti aturan bagian di bank.toml. (key)"),
    ("bobot", "untuk bagian berbobot", "Nilai setiap opsi dipisah koma, urut A, B, C, ...; "
     "misalnya 3,5,1,4,2 berarti A=3, B=5, C=1, D=4, E=2. Isi kunci ATAU bobot, tidak "
     "keduanya. (points)"),
    ("gambar", "tidak", "Nama berkas gambar soal (PNG/JPEG, maks. 1 MiB) yang diletakkan di "
     "folder yang sama dengan lembar ini (atau di subfolder gambar/). Gambar ditampilkan di "
     "akhir soal. (image)"),
    ("urutan_tetap", "tidak", "ya jika urutan opsi tidak boleh diacak (misalnya ada opsi "
     "'semua jawaban benar'); tidak atau kosong jika boleh diacak. (keep_option_order)"),
    ("pembahasan", "tidak", "Pembahasan jawaban; tidak pernah dikirim ke peserta selama ujian. "
     "(explanation)"),
    ("penulis", "tidak", "Nama penulis soal. (author)"),
    ("sumber", "tidak", "Asal soal, misalnya original. (source)"),
    ("tahun", "tidak", "Tahun penulisan, misalnya 2026. (year)"),
    ("no / nomor", "tidak", "Kolom nomor urut boleh ada; isinya diabaikan. Kolom lain yang "
     "tidak dikenal ditolak agar tidak ada isian yang hilang tanpa disadari."),
)  # fmt: skip


def write_template(path: Path) -> None:
    """Write the authoring template as .xlsx (with a "Petunjuk" sheet) or .csv, by extension."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(TEMPLATE_HEADER)
        writer.writerows(TEMPLATE_ROWS)
        # A byte-order mark and ';' let Excel set to Indonesian open it as UTF-8 in columns.
        path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    elif suffix == ".xlsx":
        _write_xlsx_template(path)
    else:
        raise SourceError(Location(str(path)), "the template is written as .xlsx or .csv")


def _write_xlsx_template(path: Path) -> None:
    openpyxl = _openpyxl(path)
    font, alignment = openpyxl.styles.Font, openpyxl.styles.Alignment

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Soal"
    sheet.append(TEMPLATE_HEADER)
    for row in TEMPLATE_ROWS:
        sheet.append(row)
    widths = {"soal": 60, "pembahasan": 50, "bobot": 12}
    for n, title in enumerate(TEMPLATE_HEADER, start=1):
        cell = sheet.cell(row=1, column=n)
        cell.font = font(bold=True)
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = widths.get(
            title, 30 if title.startswith("opsi") else 16
        )
        for row_number in range(2, len(TEMPLATE_ROWS) + 2):
            sheet.cell(row=row_number, column=n).alignment = alignment(
                wrap_text=True, vertical="top"
            )
    sheet.freeze_panes = "A2"

    guide = book.create_sheet("Petunjuk")
    for row in TEMPLATE_GUIDE:
        guide.append(row)
    for n in range(1, 4):
        guide.cell(row=1, column=n).font = font(bold=True)
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 24
    guide.column_dimensions["C"].width = 100
    for row_cells in guide.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = alignment(wrap_text=True, vertical="top")
    guide.append(())
    guide.append(
        (
            "catatan",
            "",
            "Satu baris = satu soal. Baris pertama lembar Soal adalah judul kolom; nama kolom "
            "boleh bahasa Indonesia atau Inggris, huruf besar/kecil bebas. Simpan sebagai "
            ".xlsx atau 'CSV UTF-8'. Dua baris contoh di lembar Soal boleh dihapus.",
        )
    )
    fixed = datetime.datetime(2026, 1, 1)  # reproducible file properties
    book.properties.creator = "CBT Station"
    book.properties.created = fixed
    book.properties.modified = fixed
    book.save(path)
