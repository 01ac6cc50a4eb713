"""Every format, read from files made by the libraries users use, compared with its source text."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

from reportanalysis.ingest import read_report, read_reports
from reportanalysis.ingest._pdf import reflow

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from make_sample import font_dir  # noqa: E402

DUTCH = (
    "Initiatief: Buurtkamer De Zwaluw\n"
    "Bezoek: 1/2\n"
    "Datum: 13 juli 2023\n"
    "\n"
    "Hoe verloopt de samenwerking?\n"
    "Anneke noemt de samenwerking ‘een warm bad’. “Hij luistert echt,” zegt ze.\n"
    "De leges van € 240 zijn een knelpunt; de coördinatrice vindt dat naïef beleid.\n"
)


# --------------------------------------------------------------------------- plain text


@pytest.mark.parametrize(
    ("encoding", "newline", "expected_encoding"),
    [
        ("utf-8", "\n", "utf-8"),
        ("utf-8", "\r\n", "utf-8"),
        ("utf-8-sig", "\r\n", "utf-8-sig"),
        ("utf-16", "\r\n", "utf-16-le"),
        ("utf-16-be", "\n", "utf-16-be"),
        ("cp1252", "\r\n", "cp1252"),
    ],
)
def test_text_offsets_are_exact(tmp_path, encoding, newline, expected_encoding):
    original = DUTCH.replace("\n", newline)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + original.encode("utf-16-be")
    else:
        data = original.encode(encoding)
    path = tmp_path / "verslag.txt"
    path.write_bytes(data)
    report = read_report(path)
    assert report.text == original
    assert report.metadata["encoding"] == expected_encoding
    for needle in ("‘een warm bad’", "€ 240", "naïef beleid.", f"2023{newline}{newline}Hoe"):
        start = original.index(needle)
        assert report.text[start : start + len(needle)] == needle
    if newline == "\r\n":
        assert "\r\n" in report.text and "\r\n\r\n" in report.text
    assert report.metadata["datum"] == "2023-07-13"
    assert report.metadata["bezoek"] == 1
    assert not report.text.startswith("\ufeff")


def test_latin1_without_cp1252_characters(tmp_path):
    text = "Verslag bezoek 2 – geen\nDe coördinator was tevreden over de ideeën.\n".replace(
        "–", "-"
    )
    (tmp_path / "a.txt").write_bytes(text.encode("latin-1"))
    assert read_report(tmp_path / "a.txt").text == text


def test_utf8_with_one_stray_cp1252_byte(tmp_path):
    good = DUTCH.encode("utf-8")
    (tmp_path / "mix.txt").write_bytes(good + b"Hij zei: \x93nee\x94.\n")
    report = read_report(tmp_path / "mix.txt")
    assert report.text.startswith(DUTCH)  # é stays é, not Ã©
    assert report.metadata["encoding"] == "utf-8 (2 undecodable bytes replaced)"


def test_markdown_is_kept_as_written(tmp_path):
    text = "# Verslag bezoek 1 – Moestuin De Kikker\r\n\r\n**Datum:** 2023-07-13\r\n\r\n- punt\r\n"
    (tmp_path / "kikker.md").write_bytes(text.encode("utf-8"))
    report = read_report(tmp_path / "kikker.md")
    assert report.text == text
    assert report.format == "md"
    assert report.metadata["initiatief"] == "Moestuin De Kikker"
    assert report.metadata["datum"] == "2023-07-13"


# --------------------------------------------------------------------------- docx


def test_docx_reading_order_lists_and_tables(tmp_path):
    import docx

    d = docx.Document()
    d.add_heading("Verslag bezoek 2 – Buurtkamer De Zwaluw", level=1)
    d.add_paragraph("Datum: 28 september 2023")
    d.add_heading("Wat is er gebeurd?", level=2)
    d.add_paragraph("Het gesprek met de corporatie heeft plaatsgevonden.")
    d.add_paragraph("eerste afspraak", style="List Bullet")
    d.add_paragraph("tweede afspraak", style="List Bullet")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "afspraak", "stand"
    table.cell(1, 0).text, table.cell(1, 1).text = "vergunning", "loopt nog"
    d.add_paragraph("Eerst dit", style="List Number")
    d.add_paragraph("Dan dat", style="List Number")
    d.add_paragraph("Tot slot: ‘samenwerking’ en € 600.")
    d.save(tmp_path / "zwaluw.docx")

    report = read_report(tmp_path / "zwaluw.docx")
    assert report.text == (
        "Verslag bezoek 2 – Buurtkamer De Zwaluw\n"
        "Datum: 28 september 2023\n"
        "Wat is er gebeurd?\n"
        "Het gesprek met de corporatie heeft plaatsgevonden.\n"
        "- eerste afspraak\n"
        "- tweede afspraak\n"
        "afspraak | stand\n"
        "vergunning | loopt nog\n"
        "1. Eerst dit\n"
        "2. Dan dat\n"
        "Tot slot: ‘samenwerking’ en € 600."
    )
    assert report.format == "docx"
    assert report.metadata["bezoek"] == 2
    assert report.metadata["initiatief"] == "Buurtkamer De Zwaluw"


# --------------------------------------------------------------------------- odt


def test_odt_headings_lists_and_tables(tmp_path):
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, List, ListItem, P

    doc = OpenDocumentText()
    doc.text.addElement(H(outlinelevel=1, text="Verslag bezoek 1 – Taalcafé De Brug"))
    doc.text.addElement(P(text="De samenwerking verloopt ‘prima’, zegt Fatma."))
    lst = List()
    for item in ("subsidie voor drie jaar", "ruimte zoeken"):
        li = ListItem()
        li.addElement(P(text=item))
        lst.addElement(li)
    doc.text.addElement(lst)
    table = Table(name="afspraken")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for row in (("afspraak", "stand"), ("subsidie", "gedaan")):
        tr = TableRow()
        for value in row:
            cell = TableCell()
            cell.addElement(P(text=value))
            tr.addElement(cell)
        table.addElement(tr)
    doc.text.addElement(table)
    doc.text.addElement(P(text="Einde."))
    doc.save(str(tmp_path / "brug.odt"))

    report = read_report(tmp_path / "brug.odt")
    assert report.text == (
        "Verslag bezoek 1 – Taalcafé De Brug\n"
        "De samenwerking verloopt ‘prima’, zegt Fatma.\n"
        "- subsidie voor drie jaar\n"
        "- ruimte zoeken\n"
        "afspraak | stand\n"
        "subsidie | gedaan\n"
        "Einde."
    )
    assert report.metadata["initiatief"] == "Taalcafé De Brug"


# --------------------------------------------------------------------------- pdf

LONG = (
    "De samenwerking tussen de gemeente en de bewoners van de Noorderstraat verloopt goed, "
    "al kost het afstemmen tussen de afdelingen Openbare Ruimte, Groen en Water veel tijd. "
    "De bewoners willen een geveltuin, een bankje en vier bomen, en de ambtenaar zoekt naar "
    "ruimte binnen de regels."
)


def _pdf(path: Path, blocks: list[tuple[str, str]], **encryption: str) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(font_dir() / "DejaVuSans.ttf"))
    pdf.set_font("DejaVu", size=11)
    if encryption:
        pdf.set_encryption(**encryption)
    pdf.add_page()
    for kind, text in blocks:
        if kind == "lines":  # pre-broken lines, e.g. with end-of-line hyphenation
            for line in text.split("\n"):
                pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
        else:
            pdf.multi_cell(0, 6, text, align="J" if kind == "J" else "L")
            pdf.ln(4)
    pdf.output(str(path))


def test_pdf_reflows_justified_paragraphs(tmp_path):
    _pdf(
        tmp_path / "noord.pdf",
        [("L", "Verslag bezoek 1 – Geveltuinen Noorderstraat"), ("J", LONG), ("J", LONG[:180])],
    )
    report = read_report(tmp_path / "noord.pdf")
    assert report.text == "\n".join(
        ["Verslag bezoek 1 – Geveltuinen Noorderstraat", LONG, LONG[:180]]
    )
    assert report.format == "pdf"
    assert report.metadata["initiatief"] == "Geveltuinen Noorderstraat"


def test_pdf_undoes_hyphenation_but_keeps_real_hyphens(tmp_path):
    lines = (
        "De samen-\n"
        "werking met de provincie Noord-\n"
        "Holland verliep goed, bel 06-\n"
        "12345678 voor de bewoners-\n"
        "bijeenkomst."
    )
    _pdf(tmp_path / "h.pdf", [("lines", lines)])
    text = read_report(tmp_path / "h.pdf").text
    assert text == (
        "De samenwerking met de provincie Noord-Holland verliep goed, bel 06-12345678 "
        "voor de bewonersbijeenkomst."
    )


def test_reflow_without_positions_collapses_spaces():
    page = "Een  lange  regel  die  vol  staat  met\nwoorden.\n\nNieuwe alinea."
    assert reflow(page) == "Een lange regel die vol staat met woorden.\nNieuwe alinea."


def test_pdf_with_owner_password_only_is_read(tmp_path):
    _pdf(tmp_path / "o.pdf", [("L", "Alleen een eigenaarswachtwoord.")], owner_password="baas")
    assert read_report(tmp_path / "o.pdf").text == "Alleen een eigenaarswachtwoord."


# --------------------------------------------------------------------------- html, rtf


def test_html_visible_text_only(tmp_path):
    html = """<!DOCTYPE html>
<html><head><meta charset="windows-1252"><title>Titel</title>
<style>p { color: red }</style><script>var x = "geheim";</script></head>
<body><header>Gemeente Veldrecht – menu</header><nav><a href="/">Home</a></nav>
<main><h1>Verslag bezoek 1 &ndash; Repair Caf&eacute; Oost</h1>
<p>De   samenwerking
verloopt <b>goed</b>.<br>Nieuwe regel met &euro; 750.</p>
<ol><li>eerste afspraak</li><li>tweede afspraak</li></ol>
<table><tr><th>afspraak</th><th>stand</th></tr><tr><td>subsidie</td><td>loopt</td></tr></table>
<noscript>Zet JavaScript aan</noscript><template><p>sjabloon</p></template></main>
<aside>Lees ook</aside><footer>© gemeente</footer></body></html>"""
    (tmp_path / "oost.html").write_bytes(html.encode("cp1252"))
    report = read_report(tmp_path / "oost.html")
    assert report.text == (
        "Verslag bezoek 1 – Repair Café Oost\n"
        "De samenwerking verloopt goed.\n"
        "Nieuwe regel met € 750.\n"
        "1. eerste afspraak\n"
        "2. tweede afspraak\n"
        "afspraak | stand\n"
        "subsidie | loopt"
    )
    assert report.metadata["initiatief"] == "Repair Café Oost"


def test_rtf_with_code_page_escapes(tmp_path):
    rtf = (
        r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Calibri;}}"
        "\n"
        r"\pard Verslag bezoek 2 \endash  Caf\'e9 De Hoek\par"
        "\n"
        r"\pard De co\'f6rdinator zei: \lquote prima\rquote . Kosten \'80 50.\par"
        "\n}"
    )
    (tmp_path / "hoek.rtf").write_bytes(rtf.encode("ascii"))
    report = read_report(tmp_path / "hoek.rtf")
    assert "Café De Hoek" in report.text
    assert "De coördinator zei: ‘prima’. Kosten € 50." in report.text
    assert report.format == "rtf"


# --------------------------------------------------------------------------- tables

ROWS = [
    ("nr", "Initiatief", "Datum", "verslag"),
    (
        "A1",
        "Moestuin",
        "13-07-2023",
        "De moestuin draait goed; de samenwerking met de gemeente is warm.",
    ),
    (
        "A2",
        "Buurtbus",
        "2023-09-21",
        "De buurtbus heeft nieuwe chauffeurs nodig en de keuring kost veel.",
    ),
    (
        "A3",
        "Taalcafé",
        "3 okt 2023",
        "Het taalcafé zoekt een nieuwe ruimte; de gemeente helpt zoeken.",
    ),
]


def test_csv_rows_become_reports(tmp_path):
    path = tmp_path / "verslagen.csv"
    with open(path, "w", encoding="cp1252", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(ROWS)
    result = read_reports(path)
    assert [r.id for r in result.reports] == ["verslagen-1", "verslagen-2", "verslagen-3"]
    first = result.reports[0]
    assert first.text == ROWS[1][3]
    assert first.format == "csv"
    assert first.metadata["initiatief"] == "Moestuin"
    assert first.metadata["datum"] == "2023-07-13"
    assert first.metadata["row"] == 1
    assert result.reports[2].metadata["datum"] == "2023-10-03"
    assert result.reports[2].metadata["initiatief"] == "Taalcafé"

    named = read_reports(path, id_column="nr", metadata_columns=["Datum"], text_column="verslag")
    assert [r.id for r in named.reports] == ["A1", "A2", "A3"]
    assert "initiatief" not in named.reports[0].metadata


def test_xlsx_rows_become_reports(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "verslagen"
    for row in ROWS:
        ws.append(row)
    ws.append(("A4", "Leeg", "", ""))
    wb.save(tmp_path / "rondes.xlsx")
    result = read_reports(tmp_path / "rondes.xlsx", id_column="nr")
    assert [r.text for r in result.reports] == [r[3] for r in ROWS[1:]]
    assert result.reports[1].metadata["sheet"] == "verslagen"
    assert result.reports[1].id == "A2"
    assert len(result.skipped) == 1 and "row 4" in result.skipped[0].reason


def test_docx_tracked_changes_and_hyperlinks(tmp_path):
    """Inserted text counts, deleted text does not; hyperlink text is kept."""
    import zipfile

    import docx

    d = docx.Document()
    d.add_paragraph("PLACEHOLDER")
    d.save(tmp_path / "plain.docx")
    w = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    body = (
        '<w:r><w:t xml:space="preserve">De wethouder </w:t></w:r>'
        '<w:del w:id="1" w:author="a"><w:r><w:delText>weigerde </w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="a"><w:r><w:t xml:space="preserve">steunde </w:t></w:r></w:ins>'
        f'<w:hyperlink {w} r:id="rId99"><w:r><w:t>het plan</w:t></w:r></w:hyperlink>'
        "<w:r><w:tab/><w:t>.</w:t></w:r>"
    )
    with (
        zipfile.ZipFile(tmp_path / "plain.docx") as src,
        zipfile.ZipFile(tmp_path / "tracked.docx", "w") as out,
    ):
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:r><w:t>PLACEHOLDER</w:t></w:r>", body.encode())
                assert b"steunde" in data
            out.writestr(info, data)
    assert read_report(tmp_path / "tracked.docx").text == "De wethouder steunde het plan\t."


def test_a_form_with_several_open_questions_keeps_every_answer(tmp_path):
    """A form export (one row per visit, a column per open question): each answer is a
    section of the row's report, under its question; short columns stay metadata."""
    from openpyxl import Workbook

    from reportanalysis.segment import Splitter

    good = "Wat ging goed in de samenwerking met de gemeente?"
    better = "Wat kan beter?"
    wb = Workbook()
    ws = wb.active
    admire = "Waar heb je bewondering voor?"
    ws.append(["Nr", "Initiatief", "Datum", good, better, "Ingevuld door", admire])
    ws.append(
        [
            1,
            "Moestuin De Linde",
            "2026-03-02",
            "De wijkregisseur kwam zelf langs en regelde binnen een week de watertap. Daardoor "
            "konden de vrijwilligers in april al zaaien.",
            "De subsidieaanvraag was ingewikkeld: het formulier vroeg om een begroting tot op de "
            "euro, terwijl de tuin op giften draait.",
            "Anna Smit",
            "Voor het geduld van de wijkregisseur met de buren.",  # short, and still text
        ]
    )
    ws.append(
        [
            2,
            "Taalcafé Oost",
            "2026-03-09",
            "Er is nu één vast aanspreekpunt. Fatima weet bij wie ze terecht kan en krijgt snel "
            "antwoord op haar vragen.",
            None,
            "Kees de Vries",
            None,
        ]
    )
    path = tmp_path / "formulier.xlsx"
    wb.save(path)
    first, second = read_reports(path, id_column="Nr").reports
    assert first.metadata["initiatief"] == "Moestuin De Linde"
    assert first.metadata["ingevuld door"] == "Anna Smit"
    assert good.lower() not in {k.lower() for k in first.metadata}
    anecdotes = Splitter(embedder="none").split_many([first, second])
    assert [(a.report_id, a.section) for a in anecdotes] == [
        ("1", good),
        ("1", better),
        ("1", admire),
        ("2", good),
    ]
    assert anecdotes[1].text.startswith("De subsidieaanvraag was ingewikkeld")
    # named columns: only those, in the order given
    (only,) = read_reports(path, text_column=[better], id_column="Nr").reports
    assert only.text.startswith("De subsidieaanvraag") and only.id == "1"


def test_pdf_running_headers_footers_and_page_numbers_are_left_out(tmp_path):
    """A report exported from Word: a header line and "Pagina n van m" on every page. They
    must not become section headings nor cut a paragraph that runs on to the next page."""
    from fpdf import FPDF

    from reportanalysis.segment import Splitter

    class Report(FPDF):
        def header(self) -> None:
            self.set_font("DejaVu", size=8)
            self.cell(0, 8, "Gemeente Lindewaard - bezoekverslag - vertrouwelijk")
            self.ln(10)
            self.set_font("DejaVu", size=11)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("DejaVu", size=8)
            self.cell(0, 10, f"Pagina {self.page_no()} van {{nb}}", align="C")

    pdf = Report()
    pdf.add_font("DejaVu", "", str(font_dir() / "DejaVuSans.ttf"))
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font("DejaVu", size=11)
    pdf.multi_cell(
        0, 6, "Hoe verloopt de samenwerking met de gemeente?", new_x="LMARGIN", new_y="NEXT"
    )
    story = (
        "Jolanda vertelt dat de wijkcoördinator meedenkt over de tuin en zelf langskwam toen "
        "het hek verplaatst moest worden; de vergunning duurde toch nog drie maanden ({n})."
    )
    for n in range(1, 31):
        pdf.multi_cell(0, 6, story.format(n=n), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    path = tmp_path / "verslag_1.pdf"
    pdf.output(str(path))
    assert pdf.page_no() >= 2
    (report,) = read_reports(path).reports
    assert "vertrouwelijk" not in report.text and "Pagina" not in report.text
    paragraphs = report.text.splitlines()
    assert paragraphs[0] == "Hoe verloopt de samenwerking met de gemeente?"
    # every paragraph whole, also the one the page break runs through
    assert paragraphs[1:] == [story.format(n=n) for n in range(1, 31)]
    anecdotes = Splitter(embedder="none").split(report)
    assert {a.section for a in anecdotes} == {"Hoe verloopt de samenwerking met de gemeente?"}
