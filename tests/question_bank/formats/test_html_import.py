from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from question_bank.errors import Location, SourceError, UnsupportedConstructError
from question_bank.formats.html_import import (
    TextFormat,
    html_to_document,
    plain_to_document,
    to_document,
)
from question_bank.formats.qti import _xhtml
from question_bank.richtext import (
    Document,
    Image,
    LineBreak,
    ListBlock,
    Paragraph,
    Table,
    Text,
    parse,
    plain_text,
)

HERE = Location("soal.xml", 12, "questiontext", "TWK-001")


def images(src: str, where: Location) -> str:
    return "gambar/" + src.rsplit("/", 1)[-1]


def convert(markup: str) -> Document:
    return html_to_document(markup, HERE, images)


def test_paragraphs_breaks_bold_and_italic() -> None:
    document = convert(
        "<p>Nilai sila <strong>keempat</strong> adalah <em>musyawarah</em>.</p>"
        "<div>Baris satu<br>baris dua</div>"
    )
    assert document == (
        Paragraph(
            (
                Text("Nilai sila "),
                Text("keempat", bold=True),
                Text(" adalah "),
                Text("musyawarah", italic=True),
                Text("."),
            )
        ),
        Paragraph((Text("Baris satu"), LineBreak(), Text("baris dua"))),
    )


def test_white_space_collapses_like_a_browser() -> None:
    document = convert("<p>\n   Pancasila   sebagai\n\tdasar <b> negara </b> .  </p>")
    assert document == (
        Paragraph((Text("Pancasila sebagai dasar "), Text("negara ", bold=True), Text("."))),
    )


def test_two_breaks_start_a_new_paragraph() -> None:
    assert convert("Paragraf satu<br><br>Paragraf dua<br>") == (
        Paragraph((Text("Paragraf satu"),)),
        Paragraph((Text("Paragraf dua"),)),
    )


def test_lists_nested_lists_are_flattened() -> None:
    document = convert(
        "<p>Sila Pancasila:</p><ol><li>Ketuhanan</li><li>Kemanusiaan"
        "<ul><li>adil</li><li>beradab</li></ul></li><li>Persatuan</li></ol>"
    )
    assert document[1] == ListBlock(
        True,
        (
            (Text("Ketuhanan"),),
            (Text("Kemanusiaan"),),
            (Text("adil"),),
            (Text("beradab"),),
            (Text("Persatuan"),),
        ),
    )


def test_tables_first_row_is_the_header() -> None:
    document = convert(
        "<table><thead><tr><th>Tahun</th><th>Peristiwa</th></tr></thead>"
        "<tbody><tr><td>1945</td><td>Proklamasi <b>kemerdekaan</b></td></tr>"
        "<tr><td>1928</td><td><p>Sumpah</p><p>Pemuda</p></td></tr></tbody></table>"
    )
    assert document == (
        Table(
            header=((Text("Tahun"),), (Text("Peristiwa"),)),
            rows=(
                ((Text("1945"),), (Text("Proklamasi "), Text("kemerdekaan", bold=True))),
                ((Text("1928"),), (Text("Sumpah"), LineBreak(), Text("Pemuda"))),
            ),
        ),
    )


def test_images_stand_alone_and_go_through_the_resolver() -> None:
    document = convert('<p>Perhatikan gambar: <img src="folder/peta.png" alt="Peta"> ini.</p>')
    assert document == (
        Paragraph((Text("Perhatikan gambar:"),)),
        Image("gambar/peta.png", "Peta"),
        Paragraph((Text("ini."),)),
    )


def test_entities_text_elements_headings_and_scripts() -> None:
    document = convert(
        "<h3>Soal&nbsp;1</h3><p><span style='color:red'>a &amp; b &lt; c</span>, "
        "<u>garis</u>, <font face='Arial'>huruf</font>, x<sup>2</sup> + H<sub>2</sub>O, "
        "10<sup>o</sup>, e<sup>x+1</sup>, log<sub>ab</sub><o:p></o:p></p>"
    )
    assert document[0] == Paragraph((Text("Soal 1", bold=True),))
    assert plain_text(document[1:]) == (
        "a & b < c, garis, huruf, x² + H₂O, 10^o, e^(x+1), log_(ab)"
    )


def test_plain_and_markdown_and_moodle_formats() -> None:
    assert plain_to_document("Baris **satu**\nbaris dua\n\nParagraf <b>dua</b>") == (
        Paragraph((Text("Baris **satu**"), LineBreak(), Text("baris dua"))),
        Paragraph((Text("Paragraf <b>dua</b>"),)),
    )
    assert to_document("**Tebal** dan *miring*", TextFormat.MARKDOWN, HERE, images) == parse(
        "**Tebal** dan *miring*"
    )
    assert to_document("satu\ndua", TextFormat.MOODLE, HERE, images) == (
        Paragraph((Text("satu"), LineBreak(), Text("dua"))),
    )


@pytest.mark.parametrize(
    ("markup", "construct"),
    [
        ("<p>Halo</p><script>alert(1)</script>", "HTML <script> element"),
        ("<iframe src='https://contoh.id'></iframe>", "HTML <iframe> element"),
        ("<object data='x.swf'></object>", "HTML <object> element"),
        ("<embed src='x.swf'>", "HTML <embed> element"),
        ("<form action='/kirim'><input name='a'></form>", "HTML <form> element"),
        ("<input type='text'>", "HTML <input> element"),
        ("<style>p { color: red }</style>", "HTML <style> element"),
        ("<math><mi>x</mi></math>", "MathML <math> element"),
        ("<svg><circle r='1'/></svg>", "SVG <svg> element"),
        ("<p onclick='curang()'>klik</p>", "HTML event-handler attribute 'onclick' on <p>"),
        ("<img src='x.png' onerror='alert(1)'>", "HTML event-handler attribute 'onerror'"),
        ("<a href='javascript:alert(1)'>tautan</a>", "javascript: URL in <a href>"),
        ("<a href='JaVa\tScRiPt&#58;alert(1)'>tautan</a>", "javascript: URL in <a href>"),
        ("<a href='data:text/html,<script>x</script>'>t</a>", "data: URL in <a href>"),
        ("<span style='background:url(javascript:x)'>t</span>", "javascript: URL"),
        ("<blink>kedip</blink>", "HTML <blink> element"),
        ("<p>a</p><![CDATA[<script>x</script>]]>", "CDATA section inside HTML"),
        ("<table><tr><td><img src='a.png'></td></tr></table>", "image inside a list item"),
        ("<table><tr><td><table></table></td></tr></table>", "table inside a table"),
    ],
)
def test_active_and_unknown_content_is_refused_by_name(markup: str, construct: str) -> None:
    with pytest.raises(UnsupportedConstructError) as info:
        convert(markup)
    assert construct in str(info.value)
    assert info.value.location == HERE
    assert "unsupported construct" in info.value.reason


def test_image_without_resolver_or_src() -> None:
    with pytest.raises(UnsupportedConstructError, match="image in this text"):
        html_to_document("<img src='a.png'>", HERE, None)
    with pytest.raises(SourceError, match="without a src"):
        convert("<img alt='kosong'>")


# Documents the bank can hold survive XHTML (as the QTI export writes it) and back.
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789&<>\"'.,?*", min_size=1, max_size=8)
LINE = st.lists(WORDS, min_size=1, max_size=5).map(" ".join)


@st.composite
def documents(draw: st.DrawFn) -> Document:
    blocks = []
    for kind in draw(st.lists(st.sampled_from("pult"), min_size=1, max_size=4)):
        if kind == "p":
            lines = draw(st.lists(LINE, min_size=1, max_size=3))
            bold = draw(st.booleans())
            inlines: list[Text | LineBreak] = []
            for n, line in enumerate(lines):
                if n:
                    inlines.append(LineBreak())
                inlines.append(Text(line, bold=bold and n == 0, italic=n == 1))
            blocks.append(Paragraph(tuple(inlines)))
        elif kind in "ul":
            items = draw(st.lists(LINE, min_size=1, max_size=3))
            blocks.append(ListBlock(kind == "l", tuple((Text(i),) for i in items)))
        else:
            width = draw(st.integers(1, 3))
            cells = st.lists(LINE.map(lambda t: (Text(t),)), min_size=width, max_size=width)
            header = tuple(draw(cells))
            rows = tuple(tuple(row) for row in draw(st.lists(cells, min_size=1, max_size=2)))
            blocks.append(Table(header, rows))
    return tuple(blocks)


@settings(max_examples=60, deadline=None)
@given(documents())
def test_xhtml_round_trip(document: Document) -> None:
    assert convert(_xhtml(document, {})) == document
