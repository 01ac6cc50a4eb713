"""A reused pseudonym key: pseudonyms stay the same from run to run, the key only grows."""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from pathlib import Path

import pytest

from reportanalysis.errors import InputError, MissingFileError
from reportanalysis.model import Report
from reportanalysis.privacy import Pseudonymiser, pseudonymise_paths, read_key

TEXTS = {
    "a": (
        "Verslag eerste bezoek Buurtkamer De Linde\n\n"
        "Onderzoeksduo: Anneke de Roos en Kees Dekker\n\n"
        "Anneke opende het gesprek. Zij vertelde dat de samenwerking met de gemeente goed loopt, "
        "omdat de ambtenaar snel terugbelt. Je kunt haar mailen op anneke.deroos@ziggo.nl of "
        "bellen op 06-12345678.\n\n"
        "Kees vertelde over de moestuin. De vergunning voor de kas duurde lang en niemand wist "
        "wie erover ging. Dat kostte veel energie.\n"
    ),
    "b": (
        "Verslag bezoek Taalcafé Oost\n\n"
        "Gesprek met Mehmet Yilmaz en mevrouw Sandra Pinas.\n\n"
        "Mehmet is bereikbaar op 010-7654321. Hij is trots op de vrijwilligers die elke week "
        "koffie schenken. De subsidie kwam pas na drie maanden, en dat maakte het lastig om de "
        "huur te betalen.\n\n"
        "Mevrouw Pinas gaf aan dat de wijkregisseur veel ruimte geeft om te experimenteren.\n"
    ),
    # a new person, a new phone number and e-mail address, and two persons of a and b
    "c": (
        "Verslag tweede bezoek Buurtkamer De Linde\n\n"
        "Aanwezig: Fatima El Amrani en Kees Dekker\n\n"
        "Fatima El Amrani vertelde dat zij sinds kort samenwerkt met Mehmet Yilmaz van het "
        "taalcafé. Fatima is bereikbaar op 06-87654321 en via fatima@buurtkamer.nl.\n\n"
        "Kees vond dat de gemeente sneller reageert sinds er één aanspreekpunt is. Toch bleef "
        "de kas een knelpunt: de vergunning is er nog steeds niet.\n"
    ),
}


def report(rid: str) -> Report:
    return Report(rid, f"{rid}.txt", "txt", TEXTS[rid])


def pseudonyms(ps: Pseudonymiser, r: Report) -> dict[str, str]:
    """Original text → pseudonym of every replacement in ``r``."""
    out = ps.transform(r)
    return {r.text[x.start : x.end]: x.pseudonym for x in out.replacements}


def highest(key: dict[str, str], label: str) -> int:
    return max(int(n) for n in re.findall(rf"\[{label} (\d+)\]", " ".join(key)))


def number(pseudonym: str) -> int:
    return int(pseudonym.strip("[]").split()[-1])


def write_reports(folder: Path, ids: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for rid in ids:
        (folder / f"{rid}.txt").write_text(TEXTS[rid], encoding="utf-8")
    return folder


# ----------------------------------------------------------------------------- Pseudonymiser


def test_a_second_run_keeps_the_pseudonyms_of_the_first() -> None:
    first = Pseudonymiser().fit([report("a"), report("b")])
    key1 = first.key()
    second = Pseudonymiser(previous_key=key1).fit([report("a"), report("b"), report("c")])
    key2 = second.key()
    for rid in "ab":
        assert second.transform(report(rid)).text == first.transform(report(rid)).text
    assert key2.items() >= key1.items()  # the key only grows
    new = pseudonyms(second, report("c"))
    assert new["Mehmet Yilmaz"] == pseudonyms(first, report("b"))["Mehmet Yilmaz"]
    assert new["Kees"] == new["Kees Dekker"] == pseudonyms(first, report("a"))["Kees Dekker"]
    assert number(new["Fatima El Amrani"]) > highest(key1, "PERSOON")
    assert number(new["06-87654321"]) > highest(key1, "TELEFOON")
    assert key2[new["Fatima El Amrani"]] == "Fatima El Amrani"
    # without the key the numbers of this seed do move: the drift the key prevents
    drift = Pseudonymiser().fit([report("a"), report("b"), report("c")])
    assert drift.transform(report("a")).text != first.transform(report("a")).text


def test_order_of_the_reports_does_not_matter_with_a_key() -> None:
    key1 = Pseudonymiser().fit([report("a"), report("b")]).key()
    one = Pseudonymiser(previous_key=key1).fit([report("a"), report("b"), report("c")])
    other = Pseudonymiser(previous_key=key1).fit([report("c"), report("b"), report("a")])
    assert one.key() == other.key()
    for rid in "abc":
        assert one.transform(report(rid)).text == other.transform(report(rid)).text


def test_a_person_missing_now_keeps_the_entry_and_the_number() -> None:
    first = Pseudonymiser().fit([report("a"), report("b")])
    key1 = first.key()
    anneke = pseudonyms(first, report("a"))["Anneke de Roos"]
    without_a = Pseudonymiser(previous_key=key1).fit([report("b"), report("c")])
    key2 = without_a.key()
    assert key2[anneke] == "Anneke de Roos"
    assert key2.items() >= key1.items()
    assert number(pseudonyms(without_a, report("c"))["Fatima El Amrani"]) > highest(key1, "PERSOON")
    # report a back again: Anneke has her old pseudonym
    again = Pseudonymiser(previous_key=key2).fit([report("a"), report("b"), report("c")])
    assert again.transform(report("a")).text == first.transform(report("a")).text


def test_parts_of_a_name_in_the_key_find_the_person() -> None:
    key = {"[PERSOON 4]": "Anneke de Roos", "[PERSOON 9]": "Jan"}
    text = (
        "Tijdens het derde bezoek was Anneke er weer. Volgens mevrouw De Roos is de kas nu "
        "klaar. Jan en Wopke Hiemstra hielpen mee."
    )
    r = Report("d", "d.txt", "txt", text)
    ps = Pseudonymiser(previous_key=key).fit([r])
    found = pseudonyms(ps, r)
    assert found["Anneke"] == found["De Roos"] == "[PERSOON 4]"
    assert found["Jan"] == "[PERSOON 9]"
    assert found["Wopke Hiemstra"] == "[PERSOON 10]"  # above the key's highest number


def test_a_bare_given_name_stays_with_the_key_when_a_namesake_arrives() -> None:
    old = Report("o", "o.txt", "txt", "Gesprek met Anneke de Roos. Later belde Anneke terug.")
    loose = Report("l", "l.txt", "txt", "Anneke stuurde de foto's na.")
    new = Report("n", "n.txt", "txt", "Anneke Visser kwam erbij en vond het een goed plan.")
    first = Pseudonymiser().fit([old, loose])
    assert pseudonyms(first, loose)["Anneke"] == pseudonyms(first, old)["Anneke de Roos"]
    second = Pseudonymiser(previous_key=first.key()).fit([old, loose, new])
    assert second.transform(loose).text == first.transform(loose).text
    assert pseudonyms(second, new)["Anneke Visser"] not in first.key()


def test_other_kinds_are_matched_by_their_normalised_value() -> None:
    key = {
        "[TELEFOON 4]": "06-12345678",
        "[E-MAIL 2]": "Anneke.deRoos@Ziggo.nl",
        "[IBAN 1]": "NL91 ABNA 0417 1643 00",
        "[POSTCODE 3]": "1234 AB",
    }
    text = (
        "Bel 06 12 34 56 78 of mail anneke.deroos@ziggo.nl. Rekening NL91ABNA0417164300, "
        "postcode 1234AB. Nieuw nummer: 010-7654321."
    )
    r = Report("e", "e.txt", "txt", text)
    found = pseudonyms(Pseudonymiser(previous_key=key).fit([r]), r)
    assert found["06 12 34 56 78"] == "[TELEFOON 4]"
    assert found["anneke.deroos@ziggo.nl"] == "[E-MAIL 2]"
    assert found["NL91ABNA0417164300"] == "[IBAN 1]"
    assert found["1234AB"] == "[POSTCODE 3]"
    assert found["010-7654321"] == "[TELEFOON 5]"


def test_two_entries_for_one_person_keep_both_numbers_reserved() -> None:
    key = {"[PERSOON 5]": "Anneke de Roos", "[PERSOON 2]": "Anneke de Roos"}
    ps = Pseudonymiser(previous_key=key).fit([report("a")])
    found = pseudonyms(ps, report("a"))
    assert found["Anneke de Roos"] == "[PERSOON 2]"  # the lower number, whatever the order
    assert found["Kees Dekker"] == "[PERSOON 6]"  # 5 is never given to someone else
    assert ps.key()["[PERSOON 5]"] == "Anneke de Roos"


def test_fitting_again_on_the_key_it_wrote_changes_nothing() -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from privacy_corpus import generate_corpus

    reports = [Report(r.id, f"{r.id}.txt", "txt", r.text) for r in generate_corpus(16, seed=5)]
    first = Pseudonymiser().fit(reports)
    second = Pseudonymiser(previous_key=first.key()).fit(reports)
    assert second.key() == first.key()
    changed = [r.id for r in reports if second.transform(r).text != first.transform(r).text]
    assert changed == []


# ----------------------------------------------------------------------------- key files


def test_pseudonymise_paths_reuses_and_grows_the_key_file(tmp_path: Path) -> None:
    key = tmp_path / "sleutels" / "analyse.json"
    write_reports(tmp_path / "week1", "ab")
    pseudonymise_paths(tmp_path / "week1", tmp_path / "uit1", key=key)
    key1 = read_key(key)
    write_reports(tmp_path / "week2", "cba")
    result = pseudonymise_paths(tmp_path / "week2", tmp_path / "uit2", key=key)
    assert result.key == key
    key2 = json.loads(key.read_text(encoding="utf-8"))
    assert key2.items() >= key1.items() and "Fatima El Amrani" in key2.values()
    for rid in "ab":
        assert (tmp_path / "uit2" / f"{rid}.txt").read_text(encoding="utf-8") == (
            tmp_path / "uit1" / f"{rid}.txt"
        ).read_text(encoding="utf-8")
    fatima = next(p for p, original in key2.items() if original == "Fatima El Amrani")
    assert number(fatima) > highest(key1, "PERSOON")
    assert fatima in (tmp_path / "uit2" / "c.txt").read_text(encoding="utf-8")
    if os.name == "posix":
        assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_cli_pseudonymise_reuses_the_key(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from reportanalysis.cli import app

    key = tmp_path / "sleutel.json"
    write_reports(tmp_path / "in", "ab")
    runner = CliRunner()
    first = runner.invoke(
        app,
        ["pseudonymise", str(tmp_path / "in"), "--out", str(tmp_path / "u1"), "--key", str(key)],
    )
    assert first.exit_code == 0, first.output
    write_reports(tmp_path / "in", "c")
    second = runner.invoke(
        app,
        ["pseudonymise", str(tmp_path / "in"), "--out", str(tmp_path / "u2"), "--key", str(key)],
    )
    assert second.exit_code == 0, second.output
    assert (tmp_path / "u2" / "a.txt").read_text(encoding="utf-8") == (
        tmp_path / "u1" / "a.txt"
    ).read_text(encoding="utf-8")
    help_text = runner.invoke(app, ["pseudonymise", "--help"]).output
    assert "hergebruikt" in help_text


BAD_KEYS = [
    ("{niet: json", "no valid JSON"),
    ('["[PERSOON 1]", "Anneke de Roos"]', "JSON object"),
    ('{"PERSOON 1": "Anneke de Roos"}', "'PERSOON 1' is not a pseudonym"),
    ('{"[KLANT 1]": "Anneke de Roos"}', "'[KLANT 1]' is not a pseudonym"),
    ('{"[PERSOON 0]": "Anneke de Roos"}', "is not a pseudonym"),
    ('{"[PERSOON 1]": 12}', "no original text"),
]


@pytest.mark.parametrize(("content", "message"), BAD_KEYS)
def test_a_malformed_key_file_is_refused_naming_the_file(
    tmp_path: Path, content: str, message: str
) -> None:
    key = tmp_path / "sleutel.json"
    key.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)) as exc:
        read_key(key)
    assert exc.value.path == str(key) and str(key) in str(exc.value)
    write_reports(tmp_path / "in", "a")
    with pytest.raises(InputError, match=re.escape(str(key))):  # before anything is written
        pseudonymise_paths(tmp_path / "in", tmp_path / "uit", key=key)
    assert not (tmp_path / "uit").exists()
    assert key.read_text(encoding="utf-8") == content  # left as it was


def test_a_missing_key_file_and_a_wrong_mapping() -> None:
    with pytest.raises(MissingFileError, match="no such key file"):
        read_key("bestaat/niet.json")
    with pytest.raises(InputError, match="previous_key"):
        Pseudonymiser(previous_key={"[PERSOON x]": "Anneke"}).fit([report("a")])


# ----------------------------------------------------------------------------- pipeline


@pytest.mark.slow
def test_pipeline_runs_keep_pseudonyms_in_the_report_and_the_exports(tmp_path: Path) -> None:
    from reportanalysis.pipeline import Config, run
    from reportanalysis.privacy import project_masking
    from reportanalysis.project import Project

    key = tmp_path / "sleutels" / "analyse.json"
    fast = {"embedder": {"kind": "tfidf"}, "report": {"formats": ["md", "json"]}}

    def anecdotes(out: Path) -> dict[str, str]:
        data = json.loads((out / "report.json").read_text(encoding="utf-8"))
        return {a["id"]: a["text"] for a in data["anecdotes"]}

    run([write_reports(tmp_path / "week1", "ab")], tmp_path / "out1", Config(**fast), key_path=key)
    before = anecdotes(tmp_path / "out1")
    key1 = read_key(key)
    assert any("[PERSOON" in text for text in before.values())
    # week 2 names the key in the configuration and keeps a project (exports re-fit from it)
    config = Config.from_dict({**fast, "privacy": {"key": str(key)}})
    project = tmp_path / "analyse.rap"
    run([write_reports(tmp_path / "week2", "abc")], tmp_path / "out2", config, project=project)
    after = anecdotes(tmp_path / "out2")
    for aid, text in before.items():
        assert after[aid] == text
    assert read_key(key).items() >= key1.items() and "Fatima El Amrani" in read_key(key).values()
    if os.name == "posix":
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    with Project.open(project) as p:
        masking = project_masking(p)
        assert masking is not None
        stored = {a.id: a for a in p.anecdotes()}
        for aid, text in after.items():
            a = stored[aid]
            assert masking.text(a.report_id, a.start, a.end) == text


@pytest.mark.slow
def test_a_key_given_to_run_is_recorded_so_exports_find_it(tmp_path: Path) -> None:
    """``run --key`` (not the configuration) is remembered with the run, as an absolute path,
    so exports that re-fit from the project show the report's pseudonyms."""
    from reportanalysis.pipeline import Config, run
    from reportanalysis.privacy import project_masking
    from reportanalysis.project import Project

    key = tmp_path / "sleutels" / "analyse.json"
    config = Config(embedder={"kind": "tfidf"}, report={"formats": ["json"]})
    project = tmp_path / "analyse.rap"
    run([write_reports(tmp_path / "week1", "ab")], tmp_path / "out1", config, key_path=key)
    run(
        [write_reports(tmp_path / "week2", "abc")],
        tmp_path / "out2",
        config,
        project=project,
        key_path=key,
    )
    info = json.loads((tmp_path / "out2" / "run.json").read_text(encoding="utf-8"))
    assert info["config"]["privacy"]["key"] == "analyse.json"  # run.json circulates: no folders
    with Project.open(project) as p:
        assert p.runs()[-1]["config"]["privacy"]["key"] == str(key.resolve())
    data = json.loads((tmp_path / "out2" / "report.json").read_text(encoding="utf-8"))
    shown = {a["id"]: a["text"] for a in data["anecdotes"]}
    with Project.open(project) as p:
        masking = project_masking(p)
        assert masking is not None
        for a in p.anecdotes():
            assert masking.text(a.report_id, a.start, a.end) == shown[a.id]
