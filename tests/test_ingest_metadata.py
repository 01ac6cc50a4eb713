"""The metadata block and the title line: Dutch and English keys, dates, visit numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportanalysis.ingest import (
    metadata_field,
    metadata_lines,
    parse_date,
    parse_metadata,
    read_reports,
)


def test_dutch_block_with_title_and_blank_lines():
    text = (
        "Gespreksverslag eerste bezoek – Groene Lindestraat\n\n"
        "Datum: 21 februari 2023\n"
        "Onderzoeksduo: Maarten Visser (gemeente Dalwijk) en Priya Ramsaran\n"
        "Gesprekspartners: Thijs van Oordt en Karin Smulders\n\n"
        "Inleiding\n"
        "Karin: ‘Ik wilde weten of dit het plan van de straat was.’\n"
    )
    assert parse_metadata(text) == {
        "datum": "2023-02-21",
        "onderzoeksduo": "Maarten Visser (gemeente Dalwijk) en Priya Ramsaran",
        "gesprekspartners": "Thijs van Oordt en Karin Smulders",
        "bezoek": 1,
        "initiatief": "Groene Lindestraat",
    }


def test_english_markdown_keys_any_case():
    text = (
        "## Zonnedak — tweede bezoek\n\n"
        "- **INITIATIVE:** Zonnedak Havenkwartier\n"
        "- **Visit:** 2 of 2\n"
        "- **date**: 14 December 2023\n"
        "- **Research duo:** Nadia en Kees\n"
        "- **Municipality:** Lindewaard\n"
        "- **Wijkagent:** mevrouw Jansen\n\n"
        "### Wat is er gebeurd?\n"
    )
    assert parse_metadata(text) == {
        "initiatief": "Zonnedak Havenkwartier",
        "bezoek": 2,
        "datum": "2023-12-14",
        "onderzoeksduo": "Nadia en Kees",
        "gemeente": "Lindewaard",
        "wijkagent": "mevrouw Jansen",
    }


def test_block_values_win_over_the_title():
    text = "Verslag bezoek 1 – Oude Naam\nInitiatief: Nieuwe Naam\nBezoek: 2/2\n\nTekst."
    assert parse_metadata(text) == {"initiatief": "Nieuwe Naam", "bezoek": 2}


def test_title_with_a_colon():
    text = "Verslag bezoek 2: Kledingbank West\nDatum: 3-5-2024\n\nTekst."
    assert parse_metadata(text) == {
        "datum": "2024-05-03",
        "bezoek": 2,
        "initiatief": "Kledingbank West",
    }


def test_quote_lines_are_not_metadata():
    text = "Anneke: ‘Het gaat goed.’\nMehmet: ‘Zeker.’\nDaarna spraken we over geld."
    assert parse_metadata(text) == {}


def test_title_only():
    assert parse_metadata("Verslag van het tweede bezoek aan De Kledingbank (3 mei 2024)\n") == {
        "bezoek": 2,
        "datum": "2024-05-03",
        "initiatief": "De Kledingbank",
    }
    assert parse_metadata("Hoe verloopt de samenwerking?\nGoed.") == {}


def test_unparseable_values_are_kept():
    meta = parse_metadata("Initiatief: X\nDatum: na de zomer\nBezoek: slotbijeenkomst\n")
    assert meta == {"initiatief": "X", "datum": "na de zomer", "bezoek": "slotbijeenkomst"}


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("13 juli 2023", "2023-07-13"),
        ("13-07-2023", "2023-07-13"),
        ("13/7/2023", "2023-07-13"),
        ("2023-07-13", "2023-07-13"),
        ("donderdag 13 juli 2023", "2023-07-13"),
        ("13 jul. 2023", "2023-07-13"),
        ("1 maart 2024", "2024-03-01"),
        ("3 okt 2023", "2023-10-03"),
        ("July 13, 2023", "2023-07-13"),
        ("13th of", None),
        ("31-02-2023", None),
        ("mei", None),
    ],
)
def test_dates(value, iso):
    assert parse_date(value) == iso


# --------------------------------------------------------------------------- user audit


def test_a_sentence_with_a_colon_after_the_block_is_text():
    text = (
        "Initiatief: De Moestuin\nDatum: 3 juli 2023\n\n"
        "Wethouder Bos zei: we gaan de subsidie verhogen als de buurt meedoet.\n"
    )
    assert parse_metadata(text) == {"initiatief": "De Moestuin", "datum": "2023-07-03"}
    assert metadata_lines(text.splitlines()) == [0, 1]


@pytest.mark.parametrize(
    "line",
    [
        "Wethouder Bos zei: we gaan de subsidie verhogen",
        "De initiatiefnemer zei: „Wij voelen ons niet gehoord door de gemeente.”",
        "Conclusie: de gemeente moet beter luisteren naar de bewoners van de wijk.",
        "Anneke: ‘Het gaat goed.’",
        "Karin vertelde: eerst de straat in.",
        "Samenvatting: het ging goed. Daarna spraken we over de vergunning en de subsidie.",
    ],
)
def test_sentences_are_not_fields(line):
    assert metadata_field(line) is None
    assert parse_metadata(f"Datum: 3 mei 2023\n{line}\n") == {"datum": "2023-05-03"}


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("Wijkagent: mevrouw Jansen", ("wijkagent", "mevrouw Jansen")),
        (
            "- **Naam en functie:** Karin, gebiedsmanager",
            ("naam en functie", "Karin, gebiedsmanager"),
        ),
        (
            "Gesprekspartners: Thijs van Oordt (bewonersinitiatief Groene Lindestraat) en Karin "
            "Smulders (gebiedsmanager Lindenkwartier).",
            (
                "gesprekspartners",
                "Thijs van Oordt (bewonersinitiatief Groene Lindestraat) en Karin Smulders "
                "(gebiedsmanager Lindenkwartier).",
            ),
        ),
    ],
)
def test_short_labels_and_known_keys_are_fields(line, field):
    assert metadata_field(line) == field


def test_a_blank_line_ends_the_block_unless_a_known_key_follows():
    text = (
        "Initiatief: De Moestuin\nDatum: 3 juli 2023\n\n"  # an empty Word paragraph
        "Gesprekspartners: Thijs en Karin\n\n"
        "Opmerking: kort\n"
    )
    assert parse_metadata(text) == {
        "initiatief": "De Moestuin",
        "datum": "2023-07-03",
        "gesprekspartners": "Thijs en Karin",
    }
    assert "gemeente" not in parse_metadata("Datum: 1 mei 2023\n\n\nGemeente: Dalwijk\n")


@pytest.mark.parametrize("value", ["31-02-2024", "2024-13-01", "30 februari 2024"])
def test_a_date_that_does_not_exist_is_not_a_date(value):
    meta = parse_metadata(f"Initiatief: X\nDatum: {value}\n\nTekst.")
    assert meta == {"initiatief": "X", "datum_ongeldig": value}


def test_an_impossible_date_in_a_table_column_is_flagged(tmp_path):
    path = tmp_path / "verslagen.csv"
    path.write_text(
        "tekst;datum\nDe gemeente belde Karin elke week over de vergunning.;31-02-2024\n",
        encoding="utf-8",
    )
    [report] = read_reports(path).reports
    assert report.metadata["datum_ongeldig"] == "31-02-2024" and "datum" not in report.metadata


def test_words_before_verslag_qualify_the_report_not_name_the_initiative():
    assert "initiatief" not in parse_metadata("Alleen-lezen verslag over de buurttuin.\nTekst.")
    assert "initiatief" not in parse_metadata("Alleen-lezen verslag over de buurttuin\nTekst.")
    assert parse_metadata("Kort verslag van het bezoek aan De Kledingbank\nTekst.") == {
        "initiatief": "De Kledingbank"
    }
    assert parse_metadata("Buurtkamer Het Anker – verslag bezoek 1\nTekst.") == {
        "bezoek": 1,
        "initiatief": "Buurtkamer Het Anker",
    }


def test_a_report_sent_as_an_e_mail_keeps_its_header_as_metadata():
    from reportanalysis.model import Report
    from reportanalysis.privacy import Pseudonymiser
    from reportanalysis.segment import Splitter

    text = (
        "Van: Anna Smit <anna.smit@example.nl>\n"
        "Verzonden: maandag 3 maart 2026 14:12\n"
        "Aan: Kees de Vries\n"
        "Onderwerp: verslag bezoek Buurtbus Oost\n\n"
        "Hoi Kees,\n\n"
        "De vrijwilligers zijn tevreden over de gemeente: de beleidsmedewerker reageert snel en "
        "hielp bij het vinden van een nieuwe stalling.\n\n"
        "Groet,\nAnna\n"
    )
    meta = parse_metadata(text)
    assert meta["datum"] == "2026-03-03"
    assert meta["onderwerp"] == "verslag bezoek Buurtbus Oost"
    assert meta["ontvanger"] == "Kees de Vries"
    report = Report("mail", "mail.txt", "txt", text, metadata=meta)
    (anecdote,) = Splitter(embedder="none").split(report)
    assert anecdote.section is None and anecdote.text.startswith("De vrijwilligers")
    # the names in the header are persons: masked wherever they appear
    masked = Pseudonymiser().fit_transform([report])[0].text
    assert "Smit" not in masked and "Kees" not in masked


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Bezoekverslag 2 - Buurtbus Oost", {"bezoek": 2, "initiatief": "Buurtbus Oost"}),
        ("Tweede bezoek aan het Repair Café", {"bezoek": 2, "initiatief": "Repair Café"}),
        ("Verslag tweede gesprek Taalcafé (2)", {"bezoek": 2, "initiatief": "Taalcafé"}),
        ("Gespreksverslag ronde 2: Zonnedak", {"bezoek": 2, "initiatief": "Zonnedak"}),
        (
            "Verslag bezoek 12-3-2024 Buurtbus",
            {"datum": "2024-03-12", "initiatief": "Buurtbus"},
        ),
        ("Verslag gesprek met de wethouder", {}),
        ("Bezoekverslag Huiswerkklas 2000", {"initiatief": "Huiswerkklas 2000"}),
    ],
)
def test_titles_as_duos_write_them(title, expected):
    """A number alone is no initiative, a visit may be a conversation or a round, and the
    article before a name after 'bezoek aan' goes."""
    assert parse_metadata(f"{title}\n\nDe gemeente reageerde snel.") == expected


def test_an_e_mail_subject_names_the_initiative_and_the_visit():
    text = (
        "Van: Joost Hendriks\nAan: Ingrid Bakker\n"
        "Onderwerp: RE: Verslag bezoek 2 Speeltuin De Klimboom\n\nHoi Ingrid,\n"
    )
    meta = parse_metadata(text)
    assert (meta["initiatief"], meta["bezoek"]) == ("Speeltuin De Klimboom", 2)
    assert parse_metadata("Onderwerp: Fwd: vraag\nVan: Kees\n\nHoi")["onderwerp"] == "Fwd: vraag"


def test_the_visit_number_from_the_file_name_when_the_text_does_not_say(tmp_path):
    from reportanalysis.ingest import read_reports

    story = "De gemeente belde terug binnen een week."
    for rel in ("bezoek2/anker.txt", "klimboom_1_mail.txt", "2024-03-12_zonnedak.txt"):
        path = tmp_path / rel
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"{story} ({rel})", encoding="utf-8")
    (tmp_path / "buurtbus_1.txt").write_text(f"Bezoek: 2\n\n{story}", encoding="utf-8")
    visits = {
        Path(r.source).relative_to(tmp_path).as_posix(): r.metadata.get("bezoek")
        for r in read_reports([tmp_path]).reports
    }
    assert visits == {
        "bezoek2/anker.txt": 2,
        "klimboom_1_mail.txt": 1,
        "2024-03-12_zonnedak.txt": None,  # a date is no visit
        "buurtbus_1.txt": 2,  # what the report says goes first
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bezoek 1: Taalcafé De Brug\n\nTekst.", {"bezoek": 1, "initiatief": "Taalcafé De Brug"}),
        ("Tweede bezoek: Repair Café\n\nTekst.", {"bezoek": 2, "initiatief": "Repair Café"}),
        ("Bezoek: 2/2\nInitiatief: X\n\nTekst.", {"bezoek": 2, "initiatief": "X"}),
    ],
)
def test_a_first_line_naming_the_visit_is_a_title(text, expected):
    assert parse_metadata(text) == expected
