"""Sentences, layout and anecdotes on Dutch report text (issue 3)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from reportanalysis.model import Report
from reportanalysis.segment import (
    SPLIT_COLUMNS,
    SentenceSplitter,
    Splitter,
    layout,
    sentences,
    split_frame,
    split_reports,
)

DATA = Path(__file__).parent / "data" / "segment"
DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev"


def read(path: Path) -> Report:
    with open(path, encoding="utf-8", newline="") as fh:
        text = fh.read()
    return Report(id=path.stem, source=str(path), format="txt", text=text)


@pytest.fixture(scope="module")
def splitter() -> Splitter:
    return Splitter(embedder="none")


@pytest.fixture(scope="module")
def sentence_splitter() -> SentenceSplitter:
    return SentenceSplitter()


def texts(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[s:e] for s, e in spans]


# --------------------------------------------------------------------------- sentences


def test_abbreviations_times_and_amounts_do_not_end_sentences(sentence_splitter):
    text = (
        "Dhr. Jansen en mevr. De Vries kwamen om 21.30 uur, o.a. voor de speeltuin. "
        "De kosten waren ca. € 1.500,- i.v.m. de nieuwe tegels, d.w.z. meer dan begroot. "
        "Nr. 12 ligt t.o.v. vorig jaar achter, bijv. bij het onderhoud."
    )
    assert texts(text, sentence_splitter.spans(text)) == [
        "Dhr. Jansen en mevr. De Vries kwamen om 21.30 uur, o.a. voor de speeltuin.",
        "De kosten waren ca. € 1.500,- i.v.m. de nieuwe tegels, d.w.z. meer dan begroot.",
        "Nr. 12 ligt t.o.v. vorig jaar achter, bijv. bij het onderhoud.",
    ]


def test_opening_quote_belongs_to_the_sentence_it_opens(sentence_splitter):
    text = "Hij knikte. “Dat klopt,” zei ze. Anneke: ‘Het gaat goed. Echt waar.’"
    got = texts(text, sentence_splitter.spans(text))
    assert got[0] == "Hij knikte."
    assert got[1] == "“Dat klopt,” zei ze."
    assert got[-1].endswith("Echt waar.’")


def test_lines_without_final_punctuation_and_lower_case_notes(sentence_splitter):
    text = "gemeente reageert traag\nHenk kwam wel kijken. dat werd gewaardeerd\nGeen punt hier"
    assert texts(text, sentence_splitter.spans(text)) == [
        "gemeente reageert traag",
        "Henk kwam wel kijken.",
        "dat werd gewaardeerd",
        "Geen punt hier",
    ]


def test_sentences_on_crlf_text_keep_offsets_and_leave_line_endings_out():
    text = "Eerste zin.\r\nTweede zin zonder punt\r\n\r\nDerde zin!\r\n"
    spans = sentences(text)
    assert texts(text, spans) == ["Eerste zin.", "Tweede zin zonder punt", "Derde zin!"]
    assert all("\r" not in text[s:e] and "\n" not in text[s:e] for s, e in spans)


def test_hard_wrapped_lines_join_into_one_sentence(sentence_splitter):
    report = read(DATA / "wrapped.txt")
    got = texts(report.text, sentence_splitter.spans(report.text))
    joined = [s for s in got if s.startswith("Piet Bakker")][0]
    assert joined.endswith("sterk is verbeterd.")
    assert "\r\n" in joined  # the line ending stays inside the span, as ingested
    assert any("t.o.v.\r\neen gekocht toestel" in s for s in got)


def test_a_text_split_before_is_not_parsed_again(sentence_splitter, monkeypatch):
    mod = sys.modules["reportanalysis.segment.sentences"]  # the name is also a function's
    report = read(DATA / "wrapped.txt")
    first = sentence_splitter.spans(report.text)
    parsed: list[str] = []
    real = mod._spacy_spans
    monkeypatch.setattr(
        mod, "_spacy_spans", lambda nlp, keys: parsed.extend(t for _, t in keys) or real(nlp, keys)
    )
    assert sentence_splitter.spans(report.text) == first and parsed == []
    edited = report.text.replace("Piet Bakker", "Piet de Bakker")
    assert [s for s, _ in sentence_splitter.spans(edited)][:2] == [s for s, _ in first][:2]
    assert len(parsed) == 1 and "Piet de Bakker" in parsed[0]  # only the changed line group


# --------------------------------------------------------------------------- layout


def test_layout_finds_title_metadata_questions_and_bullets():
    report = read(DEV / "reports" / "anker_2.txt") if DEV.exists() else read(DATA / "wrapped.txt")
    kinds = [b.kind for b in layout(report.text)]
    assert kinds[0] in ("title", "metadata")
    assert "question" in kinds and "paragraph" in kinds


def test_guide_questions_are_recognised_without_question_mark():
    text = "Verslag\n\nEnergie\nHenk is blij met de tuin.\nWat kost energie\nDe waterleiding."
    default = layout(text)
    guided = layout(text, guide_questions=["Wat kost energie?", "1. Energie"])
    assert [b.kind for b in guided if b.kind == "question"] == ["question", "question"]
    assert guided[-1].section == "Wat kost energie"
    assert default[-1].section == "Wat kost energie"  # a short line without punctuation: heading


# --------------------------------------------------------------------------- anecdotes


def check_provenance(report: Report, anecdotes) -> None:
    for n, a in enumerate(anecdotes):
        assert a.text == report.text[a.start : a.end]
        assert a.text == a.text.strip()
        assert not a.text.startswith(("- ", "• ", "* "))
        assert a.order == n
        assert a.report_id == report.id


def test_crlf_wrapped_report(splitter):
    report = read(DATA / "wrapped.txt")
    assert "\r\n" in report.text
    anecdotes = splitter.split(report)
    check_provenance(report, anecdotes)
    joined = " ".join(a.text for a in anecdotes)
    assert "Datum" not in joined and "Verslag tweede bezoek" not in joined
    assert {a.section for a in anecdotes} == {
        "Hoe verloopt de samenwerking?",
        "Wat kost energie?",
    }
    # A quotation spanning two sentences is never cut.
    quoted = [a for a in anecdotes if "'Dat geeft rust." in a.text]
    assert len(quoted) == 1 and "niet vergeten is.'" in quoted[0].text
    # "Daarnaast" and "Een ander punt" open new anecdotes.
    assert any(a.text.startswith("Daarnaast") for a in anecdotes)
    assert any(a.text.startswith("Een ander punt") for a in anecdotes)


def test_report_without_blank_lines_uses_guide_question_headings(splitter):
    report = read(DATA / "notes.txt")
    anecdotes = splitter.split(report)
    check_provenance(report, anecdotes)
    sections = [a.section for a in anecdotes]
    assert sections == ["Samenwerking", "Samenwerking", "Energie", "Wat kost energie", "Doelen"]
    assert not any("\n" in a.text for a in anecdotes)  # headings never glue onto a note


def test_report_of_bullet_notes_only(splitter):
    report = read(DATA / "bullets.txt")
    anecdotes = splitter.split(report)
    check_provenance(report, anecdotes)
    lines = [ln[2:] for ln in report.text.splitlines() if ln.startswith("- ")]
    assert [a.text for a in anecdotes] == lines[:5]  # one per bullet, the agreements left out
    assert [a.section for a in anecdotes][-1] == "Wat kan beter?"


def test_summary_answers_and_background_are_not_anecdotes(splitter):
    text = (
        "Verslag bezoek 1 – Buurttuin De Wilg\n"
        "Inleiding\n"
        "De buurttuin ligt achter de flat aan de Wilgenlaan. Er staan twintig moestuinbakken.\n"
        "Zijn de afspraken nagekomen?\n"
        "Deels. Karin heeft de subsidie geregeld, maar de vergunning ligt nog bij de gemeente.\n"
        "Afspraken\n"
        "- Karin belt iedere maand met de tuingroep over de vergunning\n"
    )
    report = Report(id="wilg", source="wilg.txt", format="txt", text=text)
    anecdotes = splitter.split(report)
    assert [a.text for a in anecdotes] == [
        "Karin heeft de subsidie geregeld, maar de vergunning ligt nog bij de gemeente."
    ]
    assert anecdotes[0].section == "Zijn de afspraken nagekomen?"


def test_background_paragraph_keeps_the_sentence_about_the_collaboration(splitter):
    text = (
        "Hoe is het initiatief ontstaan?\n"
        "Het buurthuis opende in 2019 in een oude school. Er komen vooral gezinnen. "
        "Via de wijkmanager van de gemeente kwam Sanne in contact met de woningcorporatie.\n"
    )
    report = Report(id="bh", source="bh.txt", format="txt", text=text)
    assert [a.text[:14] for a in splitter.split(report)] == ["Via de wijkman"]


def test_continuation_cues_keep_sentences_together_and_new_points_split(splitter):
    text = (
        "Hoe verloopt de samenwerking?\n"
        "Mehmet komt elke dinsdagochtend een uur in de buurtkamer zitten om te luisteren. "
        "Hij hoort zo wat er in de straat speelt, ook bij bewoners die nooit bellen. "
        "Daardoor kan hij signalen snel doorgeven aan het wijkteam van de gemeente. "
        "Daarnaast vindt Anneke het prettig dat Mehmet uitlegt waarom iets niet mag. "
        "Ze waardeert dat hij zich niet achter de regels verschuilt.\n"
    )
    report = Report(id="c", source="c.txt", format="txt", text=text)
    got = [a.text.split()[0] for a in splitter.split(report)]
    assert got == ["Mehmet", "Daarnaast"]


def test_split_is_deterministic_and_split_many_equals_split(splitter):
    reports = [read(p) for p in sorted(DATA.glob("*.txt"))]
    many = splitter.split_many(reports)
    one_by_one = [a for r in reports for a in splitter.split(r)]
    assert many == one_by_one
    assert Splitter(embedder="none").split_many(reports) == many


def test_progress_is_reported_per_report(splitter):
    reports = [read(p) for p in sorted(DATA.glob("*.txt"))]
    seen: list[tuple[int, int]] = []
    splitter.split_many(reports, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (len(reports), len(reports))


def test_split_frame_from_paths_and_reports():
    frame = split_frame(DATA / "bullets.txt", embedder="none")
    assert list(frame.columns) == list(SPLIT_COLUMNS)
    assert (frame["report"] == "bullets").all() and len(frame) == 5
    same = split_frame([read(DATA / "bullets.txt")], embedder="none")
    assert frame.equals(same)
    assert len(split_reports([read(DATA / "notes.txt")], embedder=False)) == 5


def test_empty_and_structure_only_reports_give_no_anecdotes(splitter):
    for text in ["", "\r\n\r\n", "Verslag\nDatum: 1 mei\nHoe gaat het?\n"]:
        assert splitter.split(Report(id="x", source="x", format="txt", text=text)) == []


# --------------------------------------------------------------------------- figures on dev


def score(rows: list[dict]) -> dict:
    sys.path.insert(0, str(DEV.parent))
    try:
        from score import score_split  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(DEV.parent))
    with open(DEV / "gold.jsonl", encoding="utf-8") as fh:
        gold = [json.loads(line) for line in fh]
    return score_split(gold, rows, str(DEV / "reports"))


@pytest.mark.skipif(not DEV.exists(), reason="the shared dev set is not there")
def test_dev_figures_without_embeddings():
    frame = split_frame(sorted((DEV / "reports").glob("*.txt")), embedder="none")
    figures = score(frame.to_dict("records"))
    assert figures["offsets_exact"] == 1.0
    assert figures["span_f1"] >= 0.80
    assert figures["content_precision"] >= 0.90
    assert figures["content_recall"] >= 0.95


@pytest.mark.slow
@pytest.mark.skipif(not DEV.exists(), reason="the shared dev set is not there")
def test_dev_figures_with_embeddings_through_the_cli(tmp_path):
    from typer.testing import CliRunner

    from reportanalysis.cli import app

    out = tmp_path / "split.jsonl"
    result = CliRunner().invoke(
        app, ["split", str(DEV / "reports"), "--format", "jsonl", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert set(SPLIT_COLUMNS) <= set(rows[0])
    figures = score(rows)
    assert figures["offsets_exact"] == 1.0
    assert figures["span_f1"] >= 0.80
    assert figures["content_precision"] >= 0.90
    assert figures["content_recall"] >= 0.95


# --------------------------------------------------------------------------- command line


def test_cli_split_table_and_skipped_files(tmp_path):
    from typer.testing import CliRunner

    from reportanalysis.cli import app

    bad = tmp_path / "kapot.docx"
    bad.write_bytes(b"geen zip")
    runner = CliRunner()
    result = runner.invoke(
        app, ["split", str(DATA / "bullets.txt"), str(bad), "--format", "table", "--no-embeddings"]
    )
    assert result.exit_code == 1
    assert "kapot.docx" in result.output  # named on stderr (mixed into output by CliRunner)
    assert "chauffeurs" in result.output

    out = tmp_path / "b.jsonl"
    result = runner.invoke(
        app, ["split", str(DATA / "bullets.txt"), "--no-embeddings", "-o", str(out)]
    )
    assert result.exit_code == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["order"] for r in rows] == list(range(5))
    assert rows[0]["id"] == f"bullets:{rows[0]['start']}-{rows[0]['end']}"

    # A report with text but not one anecdote is named, not silently passed over.
    questions = tmp_path / "vragen.txt"
    questions.write_text(
        "Verslag bezoek 1\n\nWat gaat goed?\n\nWat kan beter?\n\nHoe is het contact ontstaan?\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["split", str(questions), "--no-embeddings", "-o", str(out)])
    assert result.exit_code == 0 and "vragen: 0 anekdotes" in result.output


# --------------------------------------------------------------------------- other styles


def test_titles_and_quoted_questions_do_not_end_sentences(sentence_splitter):
    text = "We spraken mw. drs. Ellen Vermeulen. ‘Waarom zou ik nog komen?’ zegt Fatma. Klaar."
    assert texts(text, sentence_splitter.spans(text)) == [
        "We spraken mw. drs. Ellen Vermeulen.",
        "‘Waarom zou ik nog komen?’ zegt Fatma.",
        "Klaar.",
    ]


def test_markdown_report(splitter):
    text = (
        "# Verslag tweede bezoek – Repair Café\n\n"
        "**Datum:** 18 juni 2024\n**Onderzoeksduo:** Ilse en Youssef\n\n"
        "## Wat is er gebeurd?\n\n"
        "Sanne moest uitzoeken of het gebouw onder Vastgoed of het gebiedsteam viel. "
        "Uiteindelijk bleek een projectleider van Wonen het dossier te hebben.\n\n"
        "## Indruk van het duo\n\n"
        "De samenwerking is in drie maanden steviger geworden, de weg door het stadhuis niet.\n"
    )
    report = Report(id="md", source="md.md", format="md", text=text)
    kinds = [b.kind for b in layout(text)]
    assert kinds[:3] == ["title", "metadata", "metadata"]
    anecdotes = splitter.split(report)
    check_provenance(report, anecdotes)
    assert [a.section for a in anecdotes] == ["Wat is er gebeurd?", "Indruk van het duo"]
    assert not any("#" in a.text or "**" in a.text for a in anecdotes)


def test_contact_details_and_visit_description_are_left_out(splitter):
    text = (
        "Verslag\n\nWij spraken Kees en Mirjam in het wijkcentrum.\n\n"
        "Hoe verloopt de samenwerking?\n"
        "Mirjam reed op haar eerste werkdag met Kees mee, de hele route langs de halte.\n"
        "Kees is bereikbaar op 06-45678123 of kees.dekker@example.nl.\n"
    )
    report = Report(id="k", source="k.txt", format="txt", text=text)
    assert [a.text[:12] for a in splitter.split(report)] == ["Mirjam reed "]


def test_sample_reports_in_every_format():
    from reportanalysis.ingest import read_reports

    sample = Path(__file__).resolve().parents[1] / "data" / "sample"
    result = read_reports([sample])
    assert {r.format for r in result.reports} >= {"txt", "docx", "pdf", "md"}
    anecdotes = Splitter(embedder="none").split_many(result.reports)
    by_id = {r.id: r for r in result.reports}
    assert {a.report_id for a in anecdotes} == set(by_id)
    for a in anecdotes:
        assert a.text == by_id[a.report_id].text[a.start : a.end]
        assert "@" not in a.text and not a.text.startswith(("#", "Datum:", "Onderzoeksduo:"))
        assert 20 <= len(a.text) <= 1200


def test_numbered_items_are_anecdotes_and_numbered_questions_are_sections(splitter):
    text = (
        "1. Doelen voor de komende drie maanden\n"
        "1) Mehmet gaat met Anneke in gesprek met de corporatie over het contract.\n"
        "2) Anneke start een avond waarop jongeren ouderen helpen met hun telefoon.\n"
        "2. Indruk van het duo\n"
        "De samenwerking is persoonlijk en warm; Mehmet is zichtbaar en benaderbaar.\n"
    )
    report = Report(id="n", source="n.txt", format="txt", text=text)
    anecdotes = splitter.split(report)
    check_provenance(report, anecdotes)
    assert [a.text[:8] for a in anecdotes] == ["Mehmet g", "Anneke s", "De samen"]
    assert [a.section for a in anecdotes] == [
        "Doelen voor de komende drie maanden",
        "Doelen voor de komende drie maanden",
        "Indruk van het duo",
    ]


def test_configured_guide_questions_become_sections():
    text = (
        "Verslag bezoek\n"
        "Waar krijgen jullie energie van\n"
        "Karin krijgt energie van de straattafel, waar collega's nu meedenken over het plan.\n"
        "Wat kost energie, en waarom is dat zo lastig voor beide partijen in dit project\n"
        "De planning van de afdeling Riolering is leidend, en Karin kan daar weinig aan doen.\n"
    )
    report = Report(id="g", source="g.txt", format="txt", text=text)
    guide = [
        "Waar krijgen jullie energie van?",
        "Wat kost energie, en waarom is dat zo lastig voor beide partijen in dit project?",
    ]
    sections = [a.section for a in Splitter(embedder="none", guide_questions=guide).split(report)]
    assert sections == [
        "Waar krijgen jullie energie van",
        "Wat kost energie, en waarom is dat zo lastig voor beide partijen in dit project",
    ]


def test_an_anecdote_never_spans_a_left_out_sentence(splitter):
    text = (
        "Hoe verloopt de samenwerking?\n"
        "Mirjam belt Kees elke week. Kees is bereikbaar op 06-45678123. "
        "Hij waardeert dat ze ook belt als er geen nieuws is.\n"
    )
    report = Report(id="gap", source="gap.txt", format="txt", text=text)
    got = [a.text for a in splitter.split(report)]
    assert got == [
        "Mirjam belt Kees elke week.",
        "Hij waardeert dat ze ook belt als er geen nieuws is.",
    ]


def test_opening_bracket_starts_the_next_sentence() -> None:
    # Pseudonymised text: "[PERSOON 14]" must not be cut after its bracket.
    t = "Hij reed de hele route. [PERSOON 14] zegt dat het goed ging. (Later bleek het anders.)"
    assert [t[s:e] for s, e in sentences(t)] == [
        "Hij reed de hele route.",
        "[PERSOON 14] zegt dat het goed ging.",
        "(Later bleek het anders.)",
    ]


def test_markdown_table_rows_are_not_anecdotes() -> None:
    text = (
        "Zijn de afspraken nagekomen?\n\n"
        "| Afspraak | Stand |\n|---|---|\n"
        "| Overleg met alle afdelingen | gedaan, en volgens beiden het keerpunt |\n\n"
        "De wethouder kwam zelf langs en beloofde dat de gemeente de leges zou vergoeden. "
        "Daardoor kon de bewonersgroep de vergunning eindelijk aanvragen.\n"
    )
    report = Report(id="tabel", source="tabel.md", format="md", text=text)
    anecdotes = Splitter(embedder="none").split(report)
    assert anecdotes and all("|" not in a.text for a in anecdotes)
    assert anecdotes[0].text.startswith("De wethouder")


# --------------------------------------------------------------------------- embeddings


def test_window_similarities_compare_the_mean_vectors_either_side():
    import numpy as np

    from reportanalysis.segment.boundaries import window_similarities

    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((6, 8)).astype(np.float32)
    sims = window_similarities(vectors, 2)
    for i in range(1, 6):
        left, right = vectors[max(0, i - 2) : i].mean(0), vectors[i : i + 2].mean(0)
        expected = left @ right / (np.linalg.norm(left) * np.linalg.norm(right))
        assert sims[i] == pytest.approx(expected, abs=1e-5)
    assert sims[0] == 1.0
    assert list(window_similarities(vectors[:1], 2)) == [1.0]


def test_only_sentences_near_a_break_the_signals_decide_are_embedded():
    from reportanalysis.embed import CachedEmbedder, TfidfEmbedder

    text = (
        "Hoe verloopt de samenwerking?\n\n"
        "Karin belt Thijs elke week, ook als er geen nieuws is.\n\n"
        "Thijs zegt: “De gemeente luistert nu echt. Dat was vroeger anders. "
        "Toen kreeg ik nooit antwoord.”\n\n"
        "De wijkregisseur kwam langs bij de moestuin. Hij bracht de vergunning mee. "
        "Daarnaast regelt de gemeente een vaste plek voor de bewonersgroep.\n"
    )
    report = Report(id="r1", source="r1.txt", format="txt", text=text)
    embedder = CachedEmbedder(TfidfEmbedder(n_components=4, seed=0))
    anecdotes = Splitter(embedder=embedder).split(report)
    # The single sentence and the quotation (no break allowed inside) need no vectors.
    assert embedder.computed == 3
    assert any(a.text.startswith("Thijs zegt") and a.text.endswith("antwoord.”") for a in anecdotes)
    assert Splitter(embedder="none").split(report)[0].text == anecdotes[0].text


@pytest.mark.slow
def test_threaded_use_embeddings_equal_one_call():
    import numpy as np

    from reportanalysis.embed import USEEmbedder

    report = read(DATA / "bullets.txt")
    base = [report.text[s:e] for s, e in SentenceSplitter().spans(report.text)]
    sents = [f"{s} ({i})" for i, s in enumerate(base * (40 // len(base) + 1))][:40]
    threaded = USEEmbedder(threads=2, batch_size=6).embed(sents)
    single = USEEmbedder(threads=1, batch_size=64, blas_threads=2).embed(sents)
    assert threaded.shape == (40, 512) and threaded.dtype == np.float32
    np.testing.assert_allclose(threaded, single, atol=1e-5)


# --------------------------------------------------------------------------- user audit


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "Initiatief: De Moestuin\nDatum: 3 juli 2023\n\n"
            "Wethouder Bos zei: we gaan de subsidie verhogen als de buurt meedoet.\n",
            "Wethouder Bos zei: we gaan de subsidie verhogen als de buurt meedoet.",
        ),
        (
            "Conclusie: de gemeente moet beter luisteren naar de bewoners van de wijk.\n\n"
            "Hoe verloopt de samenwerking?\nKarin belt elke week met de tuingroep.\n",
            "Conclusie: de gemeente moet beter luisteren naar de bewoners van de wijk.",
        ),
        (
            "De initiatiefnemer zei: „Wij voelen ons niet gehoord door de gemeente.”\n",
            "De initiatiefnemer zei: „Wij voelen ons niet gehoord door de gemeente.”",
        ),
    ],
)
def test_a_sentence_with_a_colon_at_the_top_is_an_anecdote_not_metadata(splitter, text, kept):
    report = Report(id="x", source="x.txt", format="txt", text=text)
    assert kept in [a.text for a in splitter.split(report)]
    assert "metadata" not in [b.kind for b in layout(text) if text[b.start : b.end] == kept]


def test_the_metadata_block_still_leaves_the_report(splitter):
    text = (
        "Verslag bezoek 1 – De Moestuin\n"
        "Datum: 3 juli 2023\nGesprekspartners: Thijs van Oordt en Karin Smulders\n\n"
        "Hoe verloopt de samenwerking?\nKarin belt elke week met de tuingroep over de subsidie.\n"
    )
    report = Report(id="x", source="x.txt", format="txt", text=text)
    assert [b.kind for b in layout(text)][:3] == ["title", "metadata", "metadata"]
    assert [a.text[:10] for a in splitter.split(report)] == ["Karin belt"]


def test_text_about_the_stadsdeel_before_the_first_heading_is_kept(splitter):
    text = (
        "Verslag bezoek 1 – Speeltuin Noord\n\n"
        "Het stadsdeel knapte de speeltuin vorig jaar op; het wijkteam komt elke maand kijken.\n"
        "\n"
        "Wat gaat goed?\nDe vrijwilligers voelen zich gesteund door de gemeente.\n"
    )
    report = Report(id="x", source="x.txt", format="txt", text=text)
    assert [a.text[:13] for a in splitter.split(report)] == ["Het stadsdeel", "De vrijwillig"]


def test_the_background_rule_never_empties_a_report(splitter):
    text = (
        "Verslag bezoek Repair Café\n\n"
        "Het Repair Café draait elke zaterdag in het buurthuis. Er komen veel ouderen. "
        "De vrijwilligers willen graag een vaste ruimte, want nu ruimen ze elke week alles op.\n"
    )
    report = Report(id="rc", source="rc.txt", format="txt", text=text)
    anecdotes = splitter.split(report)
    assert [a.text[:10] for a in anecdotes] == ["Het Repair"]
    [coverage] = splitter.coverage([report], anecdotes)
    assert not coverage.empty and coverage.left_out_chars == 0


def test_coverage_names_a_report_without_anecdotes_and_the_text_left_out(splitter):
    empty = Report(
        id="leeg",
        source="leeg.txt",
        format="txt",
        text=(
            "Verslag bezoek 2\n\nZijn de afspraken nagekomen?\nDeels.\n"
            "Karin is bereikbaar via 06-12345678 of karin@dalwijk.nl.\n"
        ),
    )
    structure = Report(id="kop", source="kop.txt", format="txt", text="Verslag\n")
    report = read(DATA / "wrapped.txt")
    anecdotes = splitter.split_many([empty, structure, report])
    cov = {c.report_id: c for c in splitter.coverage([empty, structure, report], anecdotes)}
    assert cov["leeg"].empty and cov["leeg"].anecdotes == 0 and cov["leeg"].left_out_chars > 40
    assert not cov["kop"].empty and cov["kop"].text_chars == 0  # only a title: nothing to warn
    own = [a for a in anecdotes if a.report_id == "wrapped"]
    assert cov["wrapped"].anecdotes == len(own) > 0 and not cov["wrapped"].empty
    assert cov["wrapped"].anecdote_chars == sum(a.end - a.start for a in own)
    assert 0 < cov["wrapped"].left_out_chars < cov["wrapped"].text_chars


def test_a_story_sentence_that_mentions_a_number_is_kept_and_a_contact_note_left_out(splitter):
    text = (
        "Hoe verloopt het contact met de gemeente?\n"
        "Jolanda vertelt dat ze de wijkcoördinator altijd kan bellen. Ze heeft zijn mobiele "
        "nummer, 06-12345678, en hij neemt bijna altijd op. Dat scheelt veel gedoe met "
        "formulieren.\n"
        "Jolanda is bereikbaar via jolanda@example.nl.\n"
        "Hans Boersma: 06-87654321.\n"
    )
    report = Report(id="c", source="c.txt", format="txt", text=text)
    anecdotes = splitter.split(report)
    check_provenance(report, anecdotes)
    assert len(anecdotes) == 1
    assert "06-12345678" in anecdotes[0].text  # nothing of the story is lost
    assert anecdotes[0].text.endswith("gedoe met formulieren.")
    assert not any("@" in a.text or "87654321" in a.text for a in anecdotes)


def test_an_interview_written_as_questions_and_answers(splitter):
    text = (
        "Verslag bezoek Taalcafé Oost\n\n"
        "V: Hoe verloopt de samenwerking met de gemeente?\n"
        "A: Fatima vertelt dat de samenwerking de laatste maanden veel beter loopt. Sinds er "
        "een vaste contactpersoon is, weet ze bij wie ze terecht kan.\n\n"
        "Vraag 2: Hoe kijkt de ambtenaar ertegenaan?\n"
        "Antwoord: De ambtenaar erkent dat de regels streng zijn. Hij zoekt binnen de afdeling "
        "ruimte, maar de controller houdt vast aan de procedure.\n\n"
        "Wat viel op?\n"
        "A. de Roos belde de wijkcoördinator, die dezelfde middag langskwam om te helpen.\n"
    )
    report = Report(id="qa", source="qa.txt", format="txt", text=text)
    anecdotes = splitter.split(report)
    check_provenance(report, anecdotes)
    assert [a.section for a in anecdotes] == [
        "Hoe verloopt de samenwerking met de gemeente?",
        "Hoe kijkt de ambtenaar ertegenaan?",
        "Wat viel op?",
    ]
    assert [a.text.split()[0] for a in anecdotes] == ["Fatima", "De", "A."]  # an initial stays
    # a guide question is recognised with its "Vraag 2:" mark, and without its question mark
    blocks = layout(
        text.replace("ertegenaan?", "ertegenaan"),
        guide_questions=["Hoe kijkt de ambtenaar ertegenaan?"],
    )
    assert [b.kind for b in blocks if b.line == 5] == ["question"]


def test_word_table_rows_and_markdown_quotes(splitter, tmp_path):
    import docx

    from reportanalysis.ingest import read_reports

    doc = docx.Document()
    doc.add_heading("Bezoek Buurtbus", 1)
    doc.add_heading("Hoe verloopt de samenwerking?", 2)
    table = doc.add_table(rows=3, cols=2)
    cells = [
        ("Onderwerp", "Ervaring"),
        (
            "Vergunning",
            "De ontheffing voor het parkeren duurde vier maanden, omdat twee "
            "afdelingen naar elkaar wezen.",
        ),
        (
            "Subsidie",
            "De subsidie kwam binnen drie weken en de ambtenaar belde zelf om het te melden.",
        ),
    ]
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    doc.add_paragraph("Na afloop spraken we af dat de gemeente een vast aanspreekpunt aanwijst.")
    path = tmp_path / "buurtbus_1.docx"
    doc.save(path)
    (report,) = read_reports([path]).reports
    anecdotes = splitter.split(report)
    check_provenance(report, anecdotes)
    # the header row is no section, and a row's anecdote starts at its text, not its label
    assert {a.section for a in anecdotes} == {"Hoe verloopt de samenwerking?"}
    assert [a.text.split()[:2] for a in anecdotes] == [
        ["De", "ontheffing"],
        ["De", "subsidie"],
        ["Na", "afloop"],
    ]

    md = (
        "## Hoe verloopt de samenwerking?\n\n"
        '> "De gemeente denkt echt met ons mee," zegt de voorzitter. Ze vertelt dat de '
        "wijkregisseur elke maand langskomt en dat ze samen de planning doornemen.\n"
    )
    quoted = Report(id="q", source="q.md", format="md", text=md)
    (anecdote,) = splitter.split(quoted)
    assert anecdote.text.startswith('"De gemeente')


def test_contact_notes_are_left_out_also_when_pseudonymised(splitter):
    story = (
        "Ze heeft zijn mobiele nummer, {phone}, en hij neemt bijna altijd op. Dat scheelt veel "
        "gedoe met formulieren."
    )
    for phone, mail, address in (
        ("06-12345678", "kees@example.nl", "Nergensweg 21, 9911 ZB Lindewaard"),
        ("[TELEFOON 4]", "[E-MAIL 6]", "[ADRES 2]"),
    ):
        text = (
            "Hoe verloopt het contact?\n"
            + story.format(phone=phone)
            + "\n"
            + f"Kees is bereikbaar op {phone} of {mail}. Het secretariaat van de vereniging zit "
            f"aan de {address}.\n"
            f"Contact penningmeester: {phone}, {mail}.\n"
        )
        report = Report(id="c", source="c.txt", format="txt", text=text)
        (anecdote,) = splitter.split(report)
        assert anecdote.text == story.format(phone=phone)


def test_the_formulas_of_a_letter_are_no_anecdotes(splitter):
    story = (
        "De vrijwilligers zijn tevreden over de gemeente: de beleidsmedewerker reageert snel en "
        "hielp bij het vinden van een nieuwe stalling."
    )
    text = (
        "Hoe verloopt de samenwerking?\n\nBeste Kees,\n\n"
        "Hierbij mijn verslag van ons eerste bezoek. Excuses dat het wat later is dan "
        "afgesproken.\n\n"
        "Gesprek met Jeroen Smit (voorzitter) en Anouk de Graaf (beleidsadviseur Mobiliteit)\n\n"
        f"{story} Dank voor de koffie en de verse aardbeien!\n\n"
        "Met vriendelijke groet,\nJoost van Leeuwen en Ingrid Bosman (onderzoeksduo)\n"
    )
    report = Report(id="brief", source="brief.txt", format="txt", text=text)
    assert [a.text for a in splitter.split(report)] == [story]


def test_a_report_without_headings_loses_only_its_opening_description(splitter):
    """An e-mail or narrative without headings: the background rule takes the first paragraph
    of plain prose, not every paragraph until one names the municipality."""
    stories = [
        "Toen de klimtoren kapot ging, belde Henk naar het nummer op het bord bij de poort. "
        "Binnen een week hing er een nieuw touwnet.",
        "Minder goed ging het met de waterpomp. Die ligt al vier maanden bij het waterschap.",
    ]
    text = (
        "Van: Joost Hendriks\nAan: Ingrid Bakker\nOnderwerp: verslag bezoek De Klimboom\n\n"
        "Hoi Ingrid,\n\n"
        "We spraken Henk en Fatima in het clubhuis. Henk zette koffie.\n\n"
        "De speeltuin ligt achter de basisschool en wordt door zes buurtvaders onderhouden.\n\n"
        f"{stories[0]}\n\n{stories[1]}\n\nGroet,\nJoost\n"
    )
    report = Report(id="mail", source="mail.txt", format="txt", text=text)
    assert [a.text for a in splitter.split(report)] == stories
    # With a heading the text before it is an introduction, read up to the collaboration.
    headed = text.replace("Hoi Ingrid,\n\n", "").replace(
        f"{stories[1]}", f"Wat kan beter?\n\n{stories[1]}"
    )
    report = Report(id="kop", source="kop.txt", format="txt", text=headed)
    assert [a.text for a in splitter.split(report)] == stories[1:]


def test_municipal_roles_count_as_collaboration(splitter):
    text = (
        "Verslag bezoek 1\n\nDe tuin ligt aan de rand van de wijk. Toen de klimtoren kapot "
        "ging, belde Henk de teamleider van Stadsbeheer; die kwam dezelfde middag.\n\n"
        "Wat gaat goed?\nHet contact met de wijkmakelaar.\n"
    )
    report = Report(id="rol", source="rol.txt", format="txt", text=text)
    assert [a.text[:9] for a in splitter.split(report)][:1] == ["Toen de k"]


def test_a_reply_leaves_out_the_mail_it_quotes(splitter):
    story = "De haltebordjes staan er: de teamleider van beheer regelde het binnen twee weken."
    text = (
        "Onderwerp: RE: verslag buurtbus\n\nHoi Marloes,\n\n"
        f"{story}\n\n"
        "Op di 9 apr 2024 om 16:12 schreef Marloes de Wit <m.dewit@example.nl>:\n\n"
        "> De gemeente reageerde traag op de vraag om haltebordjes.\n"
        "> Marloes de Wit\n"
    )
    report = Report(id="re", source="re.txt", format="txt", text=text)
    assert [a.text for a in splitter.split(report)] == [story]
    # A forwarded mail has no "> " lines: its text is the report and stays.
    forwarded = text.replace("> ", "")
    report = Report(id="fw", source="fw.txt", format="txt", text=forwarded)
    assert [a.text[:20] for a in splitter.split(report)] == [story[:20], "De gemeente reageerd"]


def test_look_back_prose_under_agreements_is_kept_new_actions_are_not(splitter):
    kept = (
        "Verder was afgesproken dat Ronald vaker langskomt; dat is niet gelukt, hij had geen tijd."
    )
    text = (
        "Verslag bezoek 2\n\nTerugblik op de afspraken\n\n"
        f"{kept}\n\n"
        "Afspraken\n\nRonald zorgt dat er voor de zomer een besluit komt over de waterkraan.\n"
    )
    report = Report(id="tb", source="tb.txt", format="txt", text=text)
    assert [a.text for a in splitter.split(report)] == [kept]


def test_the_duo_describing_its_visit_is_no_anecdote(splitter):
    story = "De wijkmanager van de gemeente belt elke maand even, ook als er niets speelt."
    text = (
        "Verslag bezoek 1\n\nHoe verloopt de samenwerking?\n\n"
        "Wij, Joost (gemeente) en Fatma (Moestuin Het Zaadje), spraken op 23 maart met Ronald. "
        f"{story}\n"
    )
    report = Report(id="wij", source="wij.txt", format="txt", text=text)
    assert [a.text for a in splitter.split(report)] == [story]


def test_the_agreements_a_report_lists_are_kept_apart_from_its_anecdotes(splitter):
    story = "Karin van de gemeente kwam meteen kijken toen het hek kapot was."
    text = (
        "Verslag bezoek 1\n\nWat gaat goed?\n\n"
        f"{story}\n\n"
        "Afspraken voor de komende drie maanden\n\n"
        "- Karin vraagt de wethouder om een vast aanspreekpunt\n"
        "- Giften kunnen naar NL91 ABNA 0417 1643 00\n"
        "- Thijs organiseert een buurtavond in het voorjaar\n\n"
        "Afspraken – stand van zaken\n\n- hek: gerepareerd op 3 mei door de aannemer\n"
    )
    report = Report(id="af", source="af.txt", format="txt", text=text)
    assert [a.text for a in splitter.split(report)] == [story]
    actions = splitter.agreed_actions(report)
    assert [text[s:e] for s, e, _ in actions] == [
        "Karin vraagt de wethouder om een vast aanspreekpunt",
        "Thijs organiseert een buurtavond in het voorjaar",
    ]
    assert {section for _, _, section in actions} == {"Afspraken voor de komende drie maanden"}
