from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from question_bank.richtext import (
    Image,
    LineBreak,
    ListBlock,
    Paragraph,
    Table,
    Text,
    from_json,
    images,
    parse,
    plain_text,
    to_html,
    to_json,
    to_markup,
)

SAMPLE = """Perhatikan **tabel** berikut.
Baris kedua paragraf.

| Tahun | Jumlah |
|---|---|
| 2023 | 12 |

- satu
- *dua*

1. pertama
2. kedua

![Peta](gambar/peta.png)"""


def test_blocks_and_inlines() -> None:
    doc = parse(SAMPLE)
    assert isinstance(doc[0], Paragraph)
    assert doc[0].inlines == (
        Text("Perhatikan "),
        Text("tabel", bold=True),
        Text(" berikut."),
        LineBreak(),
        Text("Baris kedua paragraf."),
    )
    assert isinstance(doc[1], Table)
    assert plain_text((doc[1],)) == "Tahun | Jumlah\n2023 | 12"
    assert doc[2] == ListBlock(False, ((Text("satu"),), (Text("dua", italic=True),)))
    assert isinstance(doc[3], ListBlock)
    assert doc[3].ordered
    assert doc[4] == Image("gambar/peta.png", "Peta")
    assert images(doc) == ["gambar/peta.png"]


def test_markup_is_never_interpreted_as_html() -> None:
    hostile = '<script>alert(1)</script> <img src=x onerror="alert(2)"> & **tebal**'
    html = to_html(parse(hostile))
    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html
    assert "<b>tebal</b>" in html
    quoted = to_html(parse('![" onerror="x](gambar/a.png)'))
    assert 'alt="&quot; onerror=&quot;x"' in quoted


def test_unclosed_markers_stay_text() -> None:
    assert parse("2 * 3 = 6") == (Paragraph((Text("2 * 3 = 6"),)),)
    assert parse(r"a \*b\* c") == (Paragraph((Text("a *b* c"),)),)


def test_markup_and_json_round_trip() -> None:
    doc = parse(SAMPLE)
    assert parse(to_markup(doc)) == doc
    assert from_json(to_json(doc)) == doc


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_any_text_parses_and_round_trips(text: str) -> None:
    doc = parse(text)
    assert from_json(to_json(doc)) == doc
    assert "<script" not in to_html(doc).lower()


@given(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
        max_size=80,
    )
    .map(str.strip)
    .filter(bool)
)
def test_any_line_of_text_survives_markup(text: str) -> None:
    """Imported text that looks like a list, a table or an image stays plain text."""
    from question_bank.richtext import Paragraph, Text

    document = (Paragraph((Text(text),)),)
    assert plain_text(parse(to_markup(document))) == text
