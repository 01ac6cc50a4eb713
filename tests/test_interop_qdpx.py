"""REFI-QDA export and import: schema validity, stable bytes, round trips, and the exports of
NVivo, MAXQDA, ATLAS.ti and Taguette as written by tests/fixtures/refi/make_fixtures.py."""

from __future__ import annotations

import re
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from reportanalysis.interop import ImportSummary, export_qdc, export_qdpx, import_qdpx, read_qdc
from reportanalysis.labels import load_codebook
from reportanalysis.model import Anecdote, Code, Codebook, Report
from reportanalysis.project import Project

FIXTURES = Path(__file__).parent / "fixtures" / "refi"
SCHEMAS = Path(__file__).resolve().parents[2] / "shared" / "external" / "refi-qda" / "schema"
sys.path.insert(0, str(FIXTURES))
import make_fixtures as fx  # noqa: E402

WHEN = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

ANKER = (
    "Initiatief: Buurtkamer Het Anker\r\n"
    "Bezoek: 1\r\n"
    "Datum: 14 maart 2024\r\n"
    "\r\n"
    "Hoe verloopt de samenwerking?\r\n"
    "Anneke noemt de samenwerking met Mehmet 'goud waard' 👍. Hij belt terug als hij het "
    "belooft en komt langs op de koffieochtend.\r\n"
    "Wat kost energie?\r\n"
    "De subsidieaanvraag voor de keuken lag drie maanden stil bij de afdeling Financiën 😩. "
    "Niemand wist wie erover ging.\r\n"
    "Afspraak: Mehmet zoekt uit wie het aanspreekpunt wordt.\r\n"
)
GROEN = (
    "Initiatief: Moestuin De Kiem\n"
    "Bezoek: 2\n"
    "\n"
    "Sanne van de afdeling Groen regelde binnen een week de houten bakken.\n"
    "De vergunning voor de waterput ligt nog bij de gemeente; de leges zijn onduidelijk.\n"
    "- Afspraak: de initiatiefnemers sturen de tekening vóór 1 juni.\n"
)


def _span(text: str, piece: str) -> tuple[int, int]:
    start = text.index(piece)
    return start, start + len(piece)


def schema(name: str) -> etree.XMLSchema:
    path = SCHEMAS / name
    if not path.exists():
        pytest.skip(f"{path} is not there (the shared schemas lie beside the repo)")
    return etree.XMLSchema(etree.parse(str(path)))


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """Two Dutch reports (CRLF and emoji in one), anecdotes, a hierarchical codebook, labels
    of two coders, an anecdote without labels and one with a section."""
    p = Project.create(tmp_path / "bron.ra")
    anker = Report("anker_1", "anker_1.txt", "txt", ANKER, {"initiatief": "Het Anker", "bezoek": 1})
    groen = Report("groen_2", "groen_2.docx", "docx", GROEN, {"initiatief": "De Kiem", "bezoek": 2})
    p.add_report(anker)
    p.add_report(groen)
    a1 = _span(
        ANKER,
        "Anneke noemt de samenwerking met Mehmet 'goud waard' 👍. Hij belt terug als "
        "hij het belooft en komt langs op de koffieochtend.",
    )
    a2 = _span(
        ANKER,
        "De subsidieaanvraag voor de keuken lag drie maanden stil bij de afdeling "
        "Financiën 😩. Niemand wist wie erover ging.",
    )
    a3 = _span(ANKER, "Afspraak: Mehmet zoekt uit wie het aanspreekpunt wordt.")
    p.set_anecdotes(
        "anker_1",
        [
            Anecdote.from_span(anker, *a1, section="Hoe verloopt de samenwerking?"),
            Anecdote.from_span(anker, *a2, section="Wat kost energie?"),
            Anecdote.from_span(anker, *a3),
        ],
    )
    g = [_span(GROEN, s) for s in GROEN.split("\n")[3:6]]
    p.set_anecdotes("groen_2", [Anecdote.from_span(groen, *sp) for sp in g])
    p.save_codebook(
        Codebook(
            (
                Code("Relaties", "Werken aan relaties", color="#2A9D8F"),
                Code(
                    "Vertrouwen",
                    "Wederzijds vertrouwen tussen ambtenaar en initiatiefnemer",
                    parent="Relaties",
                    inclusion="Ook wantrouwen en herstel ervan.",
                    exclusion="Vertrouwen in de gemeente als geheel.",
                    examples=("Hij belt terug als hij het belooft.", "Ze kent ons bij naam."),
                    color="#E76F51",
                ),
                Code("Regels", "Vergunningen, subsidies en leges"),
                Code("Wachttijd", "Lang wachten op de gemeente", parent="Regels", color="#abc"),
            ),
            name="leertraject",
        )
    )
    an = {a.text[:12]: a for a in p.anecdotes()}
    p.label(an["Anneke noemt"], "Vertrouwen", coder="fleur")
    p.label(an["Anneke noemt"], "Vertrouwen", coder="ahmed")
    p.label(an["De subsidiea"], "Wachttijd", coder="fleur")
    p.label(
        an["De subsidiea"], "Regels", coder="ahmed", source="suggested-accepted", confidence=0.7
    )
    with pytest.warns(UserWarning, match="'P5' not in any codebook"):
        p.label(an["Sanne van de"], "P5", coder="fleur")  # a code outside the codebook
    p.label(an["De vergunnin"], "Regels", coder="ahmed")
    p.label(an["- Afspraak: "], "Regels", coder="fleur", source="suggested")  # no coding
    yield p
    p.close()


def _qde(path: Path) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read("project.qde")


def _codings(project: Project) -> set[tuple[str, str, str]]:
    return {
        (lb.anecdote_id, lb.code, lb.coder)
        for lb in project.labels()
        if lb.source not in ("suggested", "suggested-rejected")
    }


# --------------------------------------------------------------------------- export


def test_export_validates_against_the_refi_schemas(project: Project, tmp_path: Path) -> None:
    out = export_qdpx(project, tmp_path / "leertraject.qdpx", time=WHEN)
    project_xsd = schema("Project.xsd")
    doc = etree.fromstring(_qde(out))
    assert project_xsd.validate(doc), project_xsd.error_log
    export_qdc(project, tmp_path / "leertraject.qdc")
    codebook_xsd = schema("Codebook.xsd")
    qdc = etree.parse(str(tmp_path / "leertraject.qdc"))
    assert codebook_xsd.validate(qdc), codebook_xsd.error_log


def test_export_layout_guids_and_code_point_positions(project: Project, tmp_path: Path) -> None:
    out = export_qdpx(project, tmp_path / "x.qdpx", time=WHEN, originals=True)
    ns = {"q": "urn:QDA-XML:project:1.0"}
    doc = etree.fromstring(_qde(out))
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        for src in doc.iterfind(".//q:TextSource", ns):
            guid = src.get("guid")
            assert GUID.match(guid)
            assert src.get("plainTextPath") == f"internal://{guid}.txt"
            assert f"sources/{guid}.txt" in names
            text = zf.read(f"sources/{guid}.txt").decode("utf-8")
            for sel in src.iterfind("q:PlainTextSelection", ns):
                start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
                assert text[start:end] == sel.get("name")  # code points, CRLF and emoji kept
    assert zipfile.ZipFile(out).read(
        f"sources/{doc.find('.//q:TextSource', ns).get('guid')}.txt"
    ) == ANKER.encode("utf-8")
    users = {u.get("name") for u in doc.iterfind(".//q:User", ns)}
    assert users == {"fleur", "ahmed"}
    # the unaccepted suggestion is no coding; the accepted one and P5 are
    refs = doc.findall(".//q:Coding/q:CodeRef", ns)
    assert len(refs) == 6
    codes = {c.get("name"): c for c in doc.iterfind(".//q:Code", ns)}
    assert codes["Vertrouwen"].getparent() is codes["Relaties"]
    assert codes["Vertrouwen"].get("color") == "#E76F51"
    assert codes["Relaties"].findtext("q:Description", namespaces=ns) == "Werken aan relaties"
    assert "P5" in codes


def test_export_twice_writes_the_same_bytes(project: Project, tmp_path: Path) -> None:
    a = export_qdpx(project, tmp_path / "a.qdpx", time=WHEN)
    b = export_qdpx(project, tmp_path / "b.qdpx", time=WHEN)
    assert _qde(a) == _qde(b)
    assert a.read_bytes() == b.read_bytes()
    c = export_qdpx(project, tmp_path / "c.qdpx", time=datetime(2027, 1, 1, tzinfo=UTC))
    guids = re.compile(rb'guid="([^"]+)"')
    assert guids.findall(_qde(a)) == guids.findall(_qde(c))  # time moves, GUIDs do not


# --------------------------------------------------------------------------- round trip


def test_round_trip_keeps_reports_anecdotes_codes_labels_and_coders(
    project: Project, tmp_path: Path
) -> None:
    out = export_qdpx(project, tmp_path / "x.qdpx", time=WHEN, originals=True)
    with Project.create(tmp_path / "terug.ra") as back:
        summary = import_qdpx(out, back)
        assert isinstance(summary, ImportSummary)
        assert summary.ok, summary.skipped
        assert (summary.reports, summary.anecdotes, summary.labels, summary.users) == (2, 6, 6, 2)
        assert [(r.id, r.text) for r in back.reports()] == [
            (r.id, r.text) for r in project.reports()
        ]
        assert back.report("anker_1").metadata["initiatief"] == "Het Anker"
        assert back.report("groen_2").metadata["bezoek"] == 2
        assert [(a.id, a.text, a.section) for a in back.anecdotes()] == [
            (a.id, a.text, a.section) for a in project.anecdotes()
        ]
        assert _codings(back) == _codings(project)
        assert {lb.coder for lb in back.labels()} == {"fleur", "ahmed"}
        book = back.codebook("leertraject")
        original = project.codebook("leertraject")
        assert book.codes[: len(original)] == original.codes  # hierarchy, colour, definition …
        assert book.names[len(original) :] == ("P5",)


def test_import_twice_adds_nothing_new(project: Project, tmp_path: Path) -> None:
    out = export_qdpx(project, tmp_path / "x.qdpx", time=WHEN)
    with Project.create(tmp_path / "terug.ra") as back:
        import_qdpx(out, back)
        again = import_qdpx(out, back)
        assert (again.reports, again.anecdotes, again.labels) == (0, 0, 0)
        assert len(back.reports()) == 2
        assert len(back.labels()) == 6
        assert any("same text as report" in n for n in again.notes)


def test_qdc_round_trip_keeps_hierarchy_colours_and_notes(project: Project, tmp_path: Path) -> None:
    book = project.codebook("leertraject")
    export_qdc(book, tmp_path / "codes.qdc")
    assert read_qdc(tmp_path / "codes.qdc", name="leertraject") == book
    assert load_codebook(tmp_path / "codes.qdc").names == book.names  # labels dispatches .qdc


# --------------------------------------------------------------------------- fixtures


def test_nvivo_utf16_positions_bom_crlf_and_emoji(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.ra") as p:
        summary = import_qdpx(FIXTURES / "nvivo.qdpx", p)
        assert summary.reports == 2
        anker = p.report("Verslag Anker bezoek 1")
        assert anker.text == fx.NVIVO_TEXT  # BOM gone, CRLF kept
        assert anker.metadata["initiatief"] == "Buurtkeuken De Anker"
        assert p.report("Verslag Groen bezoek 2").text == fx.NVIVO_PDF_TEXT  # PDF's plain text
        texts = {a.text for a in p.anecdotes()}
        assert texts == set(fx.NVIVO_SPANS.values())
        labels = {(p.anecdote(lb.anecdote_id).text[:10], lb.code, lb.coder) for lb in p.labels()}
        assert labels == {
            ("Mehmet kom", "Persoonlijk contact", "Fleur de Vries"),
            ("Mehmet kom", "Vertrouwen", "Fleur de Vries"),
            ("De subsidi", "Regels en procedures", "Ahmed Benali"),
            ("Sanne van ", "Praktische hulp", "Ahmed Benali"),
        }
        book = p.codebook("Leertraject 2024")
        assert book["Persoonlijk contact"].parent == "Relaties"
        assert book["Persoonlijk contact"].color == "#E63946"
        assert book["Relaties"].definition == "Werken aan relaties"
        assert any("UTF-16" in n for n in summary.notes)
        assert [item for item, _ in summary.skipped] == ["source 'Verslag Groen bezoek 2.pdf'"]
        assert "PDF page" in summary.skipped[0][1]


def _rewrite_qde(src: Path, dst: Path, member: str, edit) -> Path:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info.filename, edit(data) if info.filename == member else data)
    return dst


def test_utf16_counting_is_found_from_the_names_when_origin_is_silent(tmp_path: Path) -> None:
    anonymous = _rewrite_qde(
        FIXTURES / "nvivo.qdpx",
        tmp_path / "anoniem.qdpx",
        "Project.qde",
        lambda b: b.replace(b'origin="NVivo 12 For Mac"', b'origin="Onbekend"'),
    )
    with Project.create(tmp_path / "p.ra") as p:
        summary = import_qdpx(anonymous, p)
        assert {a.text for a in p.anecdotes()} == set(fx.NVIVO_SPANS.values())
        assert any("UTF-16" in n and "selection names match" in n for n in summary.notes)


def test_nvivo_origin_decides_when_selections_have_no_names(tmp_path: Path) -> None:
    nameless = _rewrite_qde(
        FIXTURES / "nvivo.qdpx",
        tmp_path / "naamloos.qdpx",
        "Project.qde",
        lambda b: re.sub(rb' name="[^"]*" startPosition', b" startPosition", b),
    )
    with Project.create(tmp_path / "p.ra") as p:
        import_qdpx(nameless, p)
        assert {a.text for a in p.anecdotes()} == set(fx.NVIVO_SPANS.values())


def test_a_selection_whose_positions_miss_its_text_is_found_or_skipped(tmp_path: Path) -> None:
    start, end = _span(fx.ATLAS_TEXT, fx.ATLAS_SPANS["leges"])
    shifted = _rewrite_qde(
        FIXTURES / "atlasti.qdpx",
        tmp_path / "verschoven.qdpx",
        "Het Eiland.qde",
        lambda b: b.replace(
            f'startPosition="{start}" endPosition="{end}"'.encode(),
            f'startPosition="{start - 7}" endPosition="{end - 7}"'.encode(),
        ),
    )
    with Project.create(tmp_path / "p.ra") as p:
        summary = import_qdpx(shifted, p)
        assert fx.ATLAS_SPANS["leges"] in {a.text for a in p.anecdotes()}
        assert any("do not hold its text; found it" in n for n in summary.notes)
    wrong = _rewrite_qde(
        FIXTURES / "atlasti.qdpx",
        tmp_path / "fout.qdpx",
        "Het Eiland.qde",
        lambda b: b.replace(b'name="Het duurde lang', b'name="Dit staat nergens in de tekst'),
    )
    with Project.create(tmp_path / "q.ra") as q:
        summary = import_qdpx(wrong, q)
        assert not summary.ok
        assert "does not read" in summary.skipped[0][1]
        assert fx.ATLAS_SPANS["leges"] not in {a.text for a in q.anecdotes()}


def test_maxqda_coloured_described_codes_without_codings(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.ra") as p:
        summary = import_qdpx(FIXTURES / "maxqda.qdpx", p)
        assert summary.ok
        assert (summary.reports, summary.anecdotes, summary.codes, summary.labels) == (2, 0, 3, 0)
        assert sorted(r.text for r in p.reports()) == sorted(fx.MAXQDA_TEXTS.values())
        assert {r.id for r in p.reports()} == {"Verslag Groen 1", "Verslag Groen 2"}
        book = p.codebook("Moestuin")
        assert book["Vergunning"].parent == "Knelpunten"
        assert book["Vergunning"].color == "#FF8080"
        assert book["Vergunning"].definition == "Vergunningen, leges en regels.\nOok wachttijden."
        assert book["Successen"].definition == "Wat goed gaat."
        assert p.anecdotes() == [] and p.labels() == []


def test_atlasti_flat_codes_sets_and_several_codings_per_quotation(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.ra") as p:
        summary = import_qdpx(FIXTURES / "atlasti.qdpx", p)
        assert summary.ok, summary.skipped
        book = p.codebook("Het Eiland")
        assert all(c.parent is None for c in book)
        assert book.names == ("ter plekke", "binnen-buiten", "reactietijd", "afspraken")
        assert p.report("Eiland bezoek 2").text == fx.ATLAS_INLINE_TEXT  # PlainTextContent
        outer = next(a for a in p.anecdotes() if a.text == fx.ATLAS_SPANS["kijken"])
        on_outer = {(lb.code, lb.coder) for lb in p.labels() if lb.anecdote_id == outer.id}
        # two codings of one quotation by two users; the nested quotation's code lands here too
        assert on_outer == {("ter plekke", "Joris"), ("binnen-buiten", "Ilse")}
        assert any("overlaps another one" in n for n in summary.notes)
        assert p.report("Eiland bezoek 1").metadata["refi_sets"] == ["Eerste bezoeken"]
        sets = p.edits("refi-sets")
        assert sets[-1]["payload"]["code_sets"] == {
            "Relaties met de gemeente": ["ter plekke", "binnen-buiten"]
        }


def test_taguette_codebook_with_empty_sets_is_read_though_invalid(tmp_path: Path) -> None:
    xsd = schema("Codebook.xsd")
    assert not xsd.validate(etree.parse(str(FIXTURES / "taguette.qdc")))
    book = read_qdc(FIXTURES / "taguette.qdc")
    assert book.name == "taguette"
    assert book.names == ("vertrouwen", "regels", "praktische hulp")
    assert book["regels"].definition == "Vergunningen, subsidies en procedures"


def test_imported_fixtures_export_valid_projects(tmp_path: Path) -> None:
    xsd = schema("Project.xsd")
    with Project.create(tmp_path / "alles.ra") as p:
        for name in ("nvivo.qdpx", "maxqda.qdpx", "atlasti.qdpx"):
            import_qdpx(FIXTURES / name, p)
        out = export_qdpx(p, tmp_path / "alles.qdpx", time=WHEN, originals=True)
        assert xsd.validate(etree.fromstring(_qde(out))), xsd.error_log
        with Project.create(tmp_path / "terug.ra") as back:
            summary = import_qdpx(out, back)
            assert summary.ok
            assert _codings(back) == _codings(p)
            assert [a.text for a in back.anecdotes()] == [a.text for a in p.anecdotes()]


def test_inline_text_counted_with_crlf_lands_on_its_text(tmp_path: Path) -> None:
    """A tool counted on CRLF text, but XML hands inline content over with LF line breaks."""
    text = "Initiatief: Het Anker\r\nDe buurt kookt samen.\r\nMehmet regelde de sleutel.\r\n"
    piece = "Mehmet regelde de sleutel."
    start, end = _span(text, piece)
    qde = (
        '<?xml version="1.0" encoding="utf-8"?>\r\n'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="inline" origin="Quirkos 2.5">'
        '<Sources><TextSource guid="22222222-2222-4222-8222-222222222222" name="anker">'
        f"<PlainTextContent>{text}</PlainTextContent>"
        f'<PlainTextSelection guid="33333333-3333-4333-8333-333333333333" name="{piece}" '
        f'startPosition="{start}" endPosition="{end}"/></TextSource></Sources></Project>'
    )
    path = tmp_path / "inline.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", qde.encode("utf-8"))
    with Project.create(tmp_path / "p.ra") as p:
        summary = import_qdpx(path, p)
        assert p.report("anker").text == text.replace("\r\n", "\n")
        assert [a.text for a in p.anecdotes()] == [piece]
        assert any("CRLF line breaks" in n for n in summary.notes)


def test_text_xml_cannot_hold_still_exports_and_round_trips(tmp_path: Path) -> None:
    text = "Initiatief: Het Anker\n\nPagina 1 eindigt hier.\x0cPagina 2: de leges zijn betaald.\n"
    piece = "Pagina 1 eindigt hier.\x0cPagina 2: de leges zijn betaald."
    with Project.create(tmp_path / "pdf.ra") as p:
        report = Report("anker_pdf", "anker.pdf", "pdf", text)
        p.add_report(report)
        p.set_anecdotes("anker_pdf", [Anecdote.from_span(report, *_span(text, piece))])
        p.label(p.anecdotes()[0], "Regels", coder="fleur")
        out = export_qdpx(p, tmp_path / "pdf.qdpx", time=WHEN)
    xsd = schema("Project.xsd")
    assert xsd.validate(etree.fromstring(_qde(out))), xsd.error_log
    with Project.create(tmp_path / "terug.ra") as back:
        assert import_qdpx(out, back).ok
        assert back.report("anker_pdf").text == text
        assert [a.text for a in back.anecdotes()] == [piece]


def test_codebook_with_repeated_names_and_odd_colours(tmp_path: Path) -> None:
    qdc = (
        '\ufeff<?xml version="1.0" encoding="utf-8"?>\r\n'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        '<Code guid="{AAAAAAAA-0000-4000-8000-000000000001}" name="Successen" isCodable="false">'
        '<Code guid="aaaaaaaa-0000-4000-8000-000000000002" name="Overig" isCodable="true"/>'
        "</Code>"
        '<Code guid="aaaaaaaa-0000-4000-8000-000000000003" name="Knelpunten" isCodable="true" '
        'color="rood"><Code guid="aaaaaaaa-0000-4000-8000-000000000004" name="Overig" '
        'isCodable="true" color="#0a0"/></Code>'
        "</Codes></CodeBook>"
    )
    (tmp_path / "dubbel.qdc").write_bytes(qdc.encode("utf-8"))
    book = read_qdc(tmp_path / "dubbel.qdc")
    assert book.names == ("Successen", "Overig", "Knelpunten", "Knelpunten/Overig")
    assert book["Knelpunten/Overig"].parent == "Knelpunten"
    assert book["Knelpunten/Overig"].color == "#0a0"
    assert book["Knelpunten"].color is None  # "rood" is no colour the schema allows


# --------------------------------------------------------------------------- privacy

NAMES = ("Anneke", "Mehmet", "Sanne")


def _members(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n).decode("utf-8") for n in zf.namelist()}


def test_export_is_pseudonymised_by_default_and_positions_fit_the_pseudonymised_text(
    project: Project, tmp_path: Path
) -> None:
    out = export_qdpx(project, tmp_path / "x.qdpx", time=WHEN)
    members = _members(out)
    for name, text in members.items():
        assert not any(n in text for n in NAMES), name
    assert any("[PERSOON" in t for n, t in members.items() if n.startswith("sources/"))
    ns = {"q": "urn:QDA-XML:project:1.0"}
    doc = etree.fromstring(_qde(out))
    assert schema("Project.xsd").validate(doc)
    n_selections = 0
    for src in doc.iterfind(".//q:TextSource", ns):
        text = members[f"sources/{src.get('guid')}.txt"]
        for sel in src.iterfind("q:PlainTextSelection", ns):
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            assert text[start:end] == sel.get("name")
            n_selections += 1
    assert n_selections == 8  # six codings, two anecdotes without codings
    originals = _members(export_qdpx(project, tmp_path / "o.qdpx", time=WHEN, originals=True))
    assert any("Mehmet" in t for t in originals.values())


def test_text_variables_and_section_descriptions_are_pseudonymised(tmp_path: Path) -> None:
    text = (
        "Initiatief: Repair Café Oost\n\n"
        "Kees Dekker vertelde dat Fatima Yılmaz elke maand langskomt.\n"
        "Daarna ging het over de huur van het buurthuis.\n"
    )
    meta = {"gesprekspartners": "Kees Dekker en Fatima Yılmaz", "bezoek": 1}
    with Project.create(tmp_path / "p.ra") as p:
        report = Report("repair_1", "repair_1.txt", "txt", text, meta)
        p.add_report(report)
        span = _span(text, "Kees Dekker vertelde dat Fatima Yılmaz elke maand langskomt.")
        p.set_anecdotes("repair_1", [Anecdote.from_span(report, *span, section="Kees:")])
        p.label(p.anecdotes()[0], "Vrijwilligers", coder="fleur")
        members = _members(export_qdpx(p, tmp_path / "x.qdpx", time=WHEN))
    qde = members["project.qde"]
    for name in ("Kees", "Dekker", "Fatima", "Yılmaz"):
        assert not any(name in t for t in members.values()), name
    assert re.search(r"<TextValue>\[PERSOON \d+\] en \[PERSOON \d+\]</TextValue>", qde)
    assert "<Description>[PERSOON" in qde


def test_pseudonymised_export_comes_back_onto_the_original_text(
    project: Project, tmp_path: Path
) -> None:
    out = export_qdpx(project, tmp_path / "x.qdpx", time=WHEN)
    # into the project it came from: the same anecdotes and labels, nothing new
    again = import_qdpx(out, project)
    assert (again.reports, again.anecdotes, again.labels) == (0, 0, 0), again.lines()
    assert again.ok and any("mapped onto the original text" in n for n in again.notes)
    # into a project with the same reports but no anecdotes yet (coded in another tool)
    with Project.create(tmp_path / "terug.ra") as back:
        for r in project.reports():
            back.add_report(r)
        summary = import_qdpx(out, back)
        assert summary.ok, summary.skipped
        assert summary.reports == 0
        assert [(a.id, a.text) for a in back.anecdotes()] == [
            (a.id, a.text) for a in project.anecdotes()
        ]
        assert _codings(back) == _codings(project)
