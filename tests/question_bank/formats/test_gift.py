from __future__ import annotations

from pathlib import Path

import pytest

from question_bank.errors import SourceError, ValidationError
from question_bank.formats import import_files
from question_bank.richtext import Image, LineBreak, Paragraph, Text, plain_text
from tests.question_bank.formats.factories import PNG, SKD, reasons, single_problem, write

BANK = r"""// Bank soal contoh: format GIFT dari Moodle
// baris komentar diabaikan

$CATEGORY: $course$/top/SKD/TWK/Pancasila

::TWK-PCS-301::[html]Nilai sila <b>keempat</b> Pancasila adalah ...{
  =Musyawarah untuk mencapai mufakat#Tepat, sila keempat.
  ~Kebebasan mutlak#Bukan.
  ~Persatuan di atas golongan
  ~Keadilan sosial
  ~Ketuhanan yang berkebudayaan
  ####<p>Sila keempat berbunyi "Kerakyatan yang dipimpin ..."</p>
}

// pertanyaan dengan karakter lolos (escape)
::TWK-PCS-302:: Rumus 2 \= 1 + 1 dan kurung \{x\} serta \~ \# \: tetap teks. {
  =benar \= tepat
  ~salah
  ~keliru
  ~tidak tahu
  ~bukan
}

$CATEGORY: $course$/top/SKD/TKP/Pelayanan Publik

::Pelayanan sore::[markdown]Lima menit sebelum layanan ditutup, **warga** datang.\n\n
![Loket](loket.png) {
~%60%Memberikan formulir
~%100%Melayani sampai selesai
~%20%Menolak
~%80%Mengarahkan ke petugas lain
~%40%Meminta datang besok
}
"""


def test_multiple_choice_weighted_categories_and_feedback(tmp_path: Path) -> None:
    (tmp_path / "loket.png").write_bytes(PNG)
    path = write(tmp_path, "bank.gift", BANK)
    source = import_files([path], SKD)

    first, second, third = source.items
    assert (first.id, first.section, first.topic) == ("TWK-PCS-301", "TWK", "pancasila")
    assert first.stem == (
        Paragraph((Text("Nilai sila "), Text("keempat", bold=True), Text(" Pancasila adalah ..."))),
    )
    assert dict(first.points) == {"A": 5, "B": 0, "C": 0, "D": 0, "E": 0}
    assert plain_text(first.explanation) == (
        'Sila keempat berbunyi "Kerakyatan yang dipimpin ..."\n'
        "Umpan balik A: Tepat, sila keempat.\nUmpan balik B: Bukan."
    )
    assert plain_text(second.stem) == ("Rumus 2 = 1 + 1 dan kurung {x} serta ~ # : tetap teks.")
    assert plain_text(second.options[0]) == "benar = tepat"
    assert (third.id, third.section, third.topic) == ("Pelayanan-sore", "TKP", "pelayanan_publik")
    assert third.stem == (
        Paragraph((Text("Lima menit sebelum layanan ditutup, "), Text("warga", bold=True),
                   Text(" datang."))),
        Image("gambar/loket.png", "Loket"),
    )  # fmt: skip
    assert dict(third.points) == {"A": 3, "B": 5, "C": 1, "D": 4, "E": 2}
    lines = BANK.splitlines()
    assert [o.line for o in source.origins] == [
        next(n for n, line in enumerate(lines, 1) if line.startswith(f"::{item_id}"))
        for item_id in ("TWK-PCS-301", "TWK-PCS-302", "Pelayanan sore")
    ]
    assert source.images == {"gambar/loket.png": PNG}


def test_untitled_questions_get_ids_from_the_file_and_moodle_newlines(tmp_path: Path) -> None:
    text = "Baris satu\\nbaris dua {=a ~b ~c}\n\n[plain]Teks **polos** {=x ~y ~z}\n"
    source = import_files([write(tmp_path, "soal latihan.txt", text)])
    first, second = source.items
    assert (first.id, second.id) == ("soal-latihan-001", "soal-latihan-002")
    assert first.stem == (Paragraph((Text("Baris satu"), LineBreak(), Text("baris dua"))),)
    assert second.stem == (Paragraph((Text("Teks **polos**"),)),)
    assert (first.section, first.topic) == ("UMUM", "umum")
    assert dict(first.points) == {"A": 100, "B": 0, "C": 0}


@pytest.mark.parametrize(
    ("question", "construct"),
    [
        ("Pancasila dasar negara. {T}", "GIFT true/false question"),
        ("Pancasila dasar negara. {TRUE}", "GIFT true/false question"),
        ("Bumi datar. {F#Salah, bumi bulat.}", "GIFT true/false question"),
        ("Ibu kota Indonesia? {=Jakarta =jakarta}", "GIFT short-answer question"),
        ("Pasangkan. {=Sila 1 -> Bintang =Sila 2 -> Rantai ~x}", "GIFT matching question"),
        ("Tahun proklamasi? {#1945:0}", "GIFT numerical question"),
        ("Jelaskan makna Bhinneka Tunggal Ika. {}", "GIFT essay question"),
        ("Ibu kota {=Jakarta ~Bandung} adalah pusat pemerintahan.", "GIFT missing-word question"),
        ("Pilih dua. {~%50%a ~%50%b ~%-100%c}", "GIFT multiple-answer question"),
        ("Hanya teks penjelasan tanpa jawaban.", "GIFT description"),
    ],
)
def test_other_question_kinds_are_refused_by_name(
    tmp_path: Path, question: str, construct: str
) -> None:
    text = "::Baik::Soal baik {=a ~b ~c}\n\n// catatan\n::Lain::" + question + "\n"
    path = write(tmp_path, "bank.gift", text)
    with pytest.raises(ValidationError) as info:
        import_files([path])
    line = single_problem(info)
    assert line.startswith(f"{path}, line 4, item Lain: unsupported construct: {construct}")


def test_malformed_questions_point_at_their_line(tmp_path: Path) -> None:
    text = (
        "::Satu::Soal {=a ~b ~c}\n\n"
        "::Dua::Soal tanpa penutup {=a ~b\n\n"
        "::Tiga::Soal {=a ~%abc%b ~c}\n\n"
        "::Empat::Soal {teks lepas =a ~b}\n\n"
        "::Lima tanpa penutup judul Soal {=a ~b}\n"
    )
    path = write(tmp_path, "rusak.gift", text)
    with pytest.raises(ValidationError) as info:
        import_files([path])
    assert reasons(info.value) == [
        f"{path}, line 3, item Dua: the answer block has no closing '}}'",
        f"{path}, line 5, item Tiga, field 'answers': weight %abc% is not a percentage "
        "from -100 to 100",
        f"{path}, line 7, item Empat, field 'answers': text before the first answer "
        "(answers start with = or ~)",
        f"{path}, line 9: the title is not closed with '::'",
    ]


def test_one_refused_question_returns_nothing(tmp_path: Path) -> None:
    good = "\n\n".join(f"::TWK-{n}::Soal {n} {{=a ~b ~c ~d ~e}}" for n in range(5))
    text = "$CATEGORY: TWK/pancasila\n\n" + good + "\n\n::TWK-9::Benar? {T}\n"
    with pytest.raises(ValidationError) as info:
        import_files([write(tmp_path, "bank.gift", text)], SKD)
    assert "GIFT true/false question" in single_problem(info)


def test_hostile_html_and_encoding(tmp_path: Path) -> None:
    text = "::X::[html]<p>Soal</p><iframe src='//jahat'></iframe> {=a ~b}\n"
    with pytest.raises(ValidationError) as info:
        import_files([write(tmp_path, "x.gift", text)])
    assert "item X, field 'stem': unsupported construct: HTML <iframe> element" in (
        single_problem(info)
    )
    latin = tmp_path / "latin.gift"
    latin.write_bytes("::A::Soal {=a ~b}\n\n::B::Caf\xe9 {=a ~b}\n".encode("latin-1"))
    with pytest.raises(SourceError, match="not UTF-8 text") as source_info:
        import_files([latin])
    assert source_info.value.location.line == 3
