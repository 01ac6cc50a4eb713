"""The metadata block and the title line: Dutch and English keys, dates, visit numbers."""

from __future__ import annotations

import pytest

from reportanalysis.ingest import parse_date, parse_metadata


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
