"""Codebooks read and written as TOML, JSON, CSV and Excel; errors name file and line/row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportanalysis.errors import ConfigError
from reportanalysis.labels import load_codebook, save_codebook
from reportanalysis.model import Code, Codebook

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev"

HIERARCHY = Codebook(
    (
        Code(
            "relatie", "De persoonlijke relatie tussen initiatiefnemer en ambtenaar.", color="#88c"
        ),
        Code(
            "vertrouwen",
            "Wederzijds vertrouwen, eerlijkheid.",
            parent="relatie",
            inclusion="Ook: afspraken nakomen.",
            exclusion="Niet: vertrouwen in de gemeente als geheel.",
            examples=(
                "Dat ze dat zo eerlijk zei, heeft het vertrouwen gelegd.",
                "Hij belde terug.",
            ),
        ),
        Code("regels", "Vergunningen, bestemmingsplannen; leges (zie ook: geld).", color="#c88"),
    ),
    name="samenwerking",
)


@pytest.mark.parametrize("suffix", [".toml", ".json", ".csv", ".xlsx"])
def test_round_trip_keeps_every_field(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"codeboek{suffix}"
    save_codebook(HIERARCHY, path)
    loaded = load_codebook(path)
    assert loaded.codes == HIERARCHY.codes
    assert loaded.children("relatie") == (HIERARCHY["vertrouwen"],)
    expected_name = "samenwerking" if suffix in (".toml", ".json") else "codeboek"
    assert loaded.name == expected_name


def test_plain_json_mapping_of_the_dev_set() -> None:
    book = load_codebook(DEV / "themes.json")
    assert len(book) == 10
    assert book["regels en vergunningen"].definition.startswith("Wet- en regelgeving")
    assert book.name == "themes"


def test_excel_made_by_hand_with_other_column_order(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Definition", "Name", "Examples", None])
    ws.append(
        ["Geld: subsidies en fondsen", "subsidie", "Het fonds betaalt twaalf bakken\nLeges", None]
    )
    ws.append([None, None, None, None])  # empty rows are skipped
    ws.append(["Eén vast aanspreekpunt", "aanspreekpunt", None, None])
    wb.save(tmp_path / "codes.xlsx")
    book = load_codebook(tmp_path / "codes.xlsx")
    assert book.names == ("subsidie", "aanspreekpunt")
    assert book["subsidie"].examples == ("Het fonds betaalt twaalf bakken", "Leges")


def test_semicolon_csv_as_dutch_excel_exports_it(tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    path.write_text(
        "\ufeffname;definition;parent\n"
        "relatie;Persoonlijk contact;\n"
        "luisteren;Tijd nemen;relatie\n",
        encoding="utf-8",
    )
    book = load_codebook(path)
    assert book["luisteren"].parent == "relatie"


QUOTED = Codebook(
    (
        Code("Regels", 'Regels, "vergunningen" en meldingen', inclusion="Ook; de APV."),
        Code(
            "Geld",
            "Subsidie | fondsen",
            examples=('Hij zei: "geen geld" | en ging weg.', "Leges; € 45,–"),
        ),
    ),
    name="thema 2024/2025: [concept]",
)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json", ".toml"])
def test_quotes_separators_and_odd_names_survive_a_round_trip(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"codes{suffix}"
    save_codebook(QUOTED, path)
    assert load_codebook(path).codes == QUOTED.codes


def test_csv_is_written_for_excel_and_read_with_excel_quoting(tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    save_codebook(HIERARCHY, path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel on Windows then shows é and ë
    semicolons = tmp_path / "nl.csv"
    semicolons.write_text(
        'name;definition\nregels;"Vergunningen; de ""APV"" en meldingen"\nkontakt;Eén punt\n',
        encoding="utf-8",
    )
    book = load_codebook(semicolons)
    assert book["regels"].definition == 'Vergunningen; de "APV" en meldingen'
    assert book["kontakt"].definition == "Eén punt"


def test_codebooks_in_other_encodings(tmp_path: Path) -> None:
    cp1252 = tmp_path / "excel.csv"
    cp1252.write_bytes("name;definition\nbeleid;Één loket, ‘snel’ en € 50\n".encode("cp1252"))
    assert load_codebook(cp1252)["beleid"].definition == "Één loket, ‘snel’ en € 50"
    latin1 = tmp_path / "oud.json"
    latin1.write_bytes('{"coöperatie": "Samenwerking met één partner"}'.encode("latin-1"))
    assert load_codebook(latin1).names == ("coöperatie",)
    binary = tmp_path / "kapot.toml"
    binary.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(ConfigError, match="kapot.toml"):
        load_codebook(binary)


def test_toml_flat_mapping(tmp_path: Path) -> None:
    path = tmp_path / "thema.toml"
    path.write_text('regels = "Vergunningen"\n"één aanspreekpunt" = "Eén vaste contactpersoon"\n')
    assert load_codebook(path).names == ("regels", "één aanspreekpunt")


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("bad.json", '{\n  "regels": "Vergunningen",\n  "geld" "Subsidie"\n}', "bad.json:3:"),
        ("bad.toml", 'name = "x"\n[[codes]]\nname = \n', "bad.toml: not valid TOML"),
        (
            "parent.json",
            '{"codes": [\n{"name": "a"},\n{"name": "b", "parent": "zzz"}\n]}',
            "unknown parent 'zzz'",
        ),
        ("twice.csv", "name,definition\nregels,x\ngeld,y\nregels,z\n", "twice.csv: row 4:"),
        (
            "noname.csv",
            "name,definition\nregels,x\n,zonder naam\n",
            "noname.csv: row 3: the code has no name",
        ),
        ("header.csv", "code,definitie\nregels,x\n", "row 1 must name the columns"),
        ("field.toml", '[[codes]]\nname = "a"\ncolour = "red"\n', "unknown field(s) colour"),
        ("codes.yaml", "a: b\n", "unknown codebook format"),
    ],
)
def test_errors_name_file_and_place(tmp_path: Path, name: str, content: str, expected: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_codebook(path)
    assert expected in str(info.value)
    assert name in str(info.value)


def test_missing_file_and_unknown_field_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_codebook(tmp_path / "weg.json")
    path = tmp_path / "codes.json"
    path.write_text(json.dumps({"regels": "x", "geld": {"definiton": "typo"}}, indent=1))
    with pytest.raises(
        ConfigError, match=r"codes.json:3: code 'geld': unknown field\(s\) definiton"
    ):
        load_codebook(path)


def test_broken_excel_file(tmp_path: Path) -> None:
    path = tmp_path / "kapot.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ConfigError, match="kapot.xlsx: not a readable Excel file"):
        load_codebook(path)
