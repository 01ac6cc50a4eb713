"""The recommendations report: built from realistic Dutch analysis tables (the dev set's gold
anecdotes and its four reports), rendered to HTML, Word, Excel, Markdown and JSON and read
back with the libraries users open them with."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reportanalysis.errors import ConfigError
from reportanalysis.labels import agreement
from reportanalysis.model import AnalysisTables, Anecdote, content_hash
from reportanalysis.report import build_recommendations, render
from reportanalysis.report.recommend import split_sentences
from reportanalysis.report.render_md import render_md

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev"
if not DEV.is_dir():
    DEV = Path("/work/shared/eval/dev")

PRACTICES = {
    "P1": ("Situaties in kaart brengen", "De vraag achter de vraag, wie spreekt voor wie."),
    "P2": ("Werken aan relaties", "Wederzijds vertrouwen, informeel contact, luisteren."),
    "P3": ("Werken aan gedragen oplossingen", "Tegengestelde belangen, procedures uitleggen."),
    "P4": ("Aansluiten van buiten op binnen en omgekeerd", "Eén aanspreekpunt, ruimte in regels."),
    "P5": ("Praktisch ondersteunen", "Bijeenkomsten organiseren, mensen verbinden."),
}
_MONTHS = "januari februari maart april mei juni juli augustus september oktober november december"
MONTHS = {m: i for i, m in enumerate(_MONTHS.split(), 1)}
ORDINALS = {"eerste": 1, "tweede": 2, "derde": 3}


def _header(text: str) -> dict[str, str | int | None]:
    """Metadata from a report's first lines, the way the dev reports write them."""
    lines = [ln.strip() for ln in text.splitlines()[:8] if ln.strip()]
    fields = {}
    for ln in lines:
        key, sep, value = ln.partition(":")
        if sep and len(key) < 30:
            fields[key.strip().lower()] = value.strip()
    title = lines[0]
    initiative = fields.get("initiatief") or title.split("–")[-1].split(",")[0].strip()
    visit = None
    if "bezoek" in fields:
        visit = int(re.match(r"\d+", fields["bezoek"]).group())
    else:
        m = re.search(r"bezoek (\d+)|(eerste|tweede|derde) bezoek", title, re.IGNORECASE)
        visit = int(m.group(1)) if m.group(1) else ORDINALS[m.group(2).lower()]
    date = None
    if "datum" in fields:
        day, month, year = fields["datum"].split()
        date = f"{int(year):04d}-{MONTHS[month]:02d}-{int(day):02d}"
    return {
        "initiative": initiative,
        "visit": visit,
        "date": date,
        "onderzoeksduo": fields.get("onderzoeksduo"),
        "gesprekspartners": fields.get("gesprekspartners"),
    }


def _section(text: str, start: int) -> str | None:
    """The nearest heading above ``start``: a short line without a final full stop."""
    for line in reversed(text[:start].splitlines()[:-1] or [""]):
        line = line.strip()
        if line and len(line) < 80 and not line.endswith("."):
            return line
    return None


def make_tables(*, settings: dict | None = None) -> AnalysisTables:
    """AnalysisTables over the dev set: gold anecdotes, two coders, a themes and a reports
    frame derived from the files, as the pipeline would hand them over."""
    import pandas as pd

    texts = {
        p.stem: p.read_text(encoding="utf-8")
        for p in sorted((DEV / "reports").glob("*.txt"))
        if p.is_file()
    }
    reports = pd.DataFrame(
        [
            {
                "id": rid,
                "source": f"{rid}.txt",
                "format": "txt",
                "sha256": content_hash(text),
                **_header(text),
            }
            for rid, text in texts.items()
        ]
    )
    gold = [json.loads(ln) for ln in (DEV / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    theme_names = list(json.loads((DEV / "themes.json").read_text(encoding="utf-8")))
    rows = []
    for order, g in enumerate(gold):
        text = texts[g["report"]]
        assert text[g["start"] : g["end"]] == g["text"]
        rows.append(
            {
                "id": Anecdote.make_id(g["report"], g["start"], g["end"]),
                "report_id": g["report"],
                "start": g["start"],
                "end": g["end"],
                "text": g["text"],
                "section": _section(text, g["start"]),
                "order": order,
                "theme": theme_names.index(g["theme"]),
                "theme_label": g["theme"],
                "practice": g["practice"],
                "secondary_practice": g["secondary_practice"],
                "practice_score": 0.8,
                "kind": g["kind"],
                "kind_score": 0.7,
            }
        )
    anecdotes = pd.DataFrame(rows)
    themes = []
    for i, name in enumerate(theme_names):
        members = anecdotes[anecdotes["theme"] == i]
        words = Counter(w for t in members["text"] for w in re.findall(r"[a-zë]{7,}", t.lower()))
        themes.append(
            {
                "id": i,
                "label": name,
                "keywords": [w for w, _ in words.most_common(4)],
                "size": len(members),
                "representative_ids": list(members["id"][:1]),
            }
        )
    time = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
    labels = []
    for n, row in enumerate(rows):
        labels.append((row["id"], row["practice"], "ambtenaar-1", time))
        other = (row["secondary_practice"] or "none") if n % 5 == 0 else row["practice"]
        labels.append((row["id"], other, "initiatiefnemer-1", time))
    label_frame = pd.DataFrame(
        [
            {
                "anecdote_id": a,
                "report_id": a.rpartition(":")[0],
                "code": c,
                "coder": coder,
                "source": "manual",
                "confidence": None,
                "time": tm,
            }
            for a, c, coder, tm in labels
        ]
    )
    return AnalysisTables(
        reports=reports,
        anecdotes=anecdotes,
        themes=pd.DataFrame(themes),
        practices=pd.DataFrame(
            [{"code": c, "name": n, "definition": d} for c, (n, d) in PRACTICES.items()]
        ),
        labels=label_frame,
        agreement=agreement(label_frame).to_dict(),
        settings=settings
        if settings is not None
        else {
            "seed": 42,
            "embedder": "use",
            "themes": {"min_topic_size": 3},
            "versions": {"reportanalysis": "0.1.0", "bertopic": "0.17.0"},
        },
        pseudonymised=False,
    )


@pytest.fixture(scope="module")
def tables() -> AnalysisTables:
    return make_tables()


@pytest.fixture(scope="module")
def recs(tables):
    return build_recommendations(tables)


@pytest.fixture(scope="module")
def rendered(recs, tmp_path_factory):
    return render(recs, tmp_path_factory.mktemp("report"))


def tiny_tables(
    texts: list[tuple[str, str, str]], *, labels: tuple[str, ...] = ()
) -> AnalysisTables:
    """A handful of anecdotes ``(text, theme_label, kind)`` in one report of one visit."""
    import pandas as pd

    rows, start = [], 0
    for order, (text, theme, kind) in enumerate(texts):
        rows.append(
            {
                "id": Anecdote.make_id("verslag_1", start, start + len(text)),
                "report_id": "verslag_1",
                "start": start,
                "end": start + len(text),
                "text": text,
                "section": None,
                "order": order,
                "theme": theme,
                "theme_label": theme,
                "practice": "P4",
                "secondary_practice": None,
                "practice_score": None,
                "kind": kind,
                "kind_score": None,
            }
        )
        start += len(text) + 1
    return AnalysisTables(
        reports=pd.DataFrame(
            [
                {
                    "id": "verslag_1",
                    "source": "verslag_1.docx",
                    "format": "docx",
                    "sha256": "",
                    "initiative": "Speeltuin De Wilg",
                    "visit": "1/2",
                    "date": "2024-04-02",
                }
            ]
        ),
        anecdotes=pd.DataFrame(rows),
        themes=pd.DataFrame(
            [
                {"id": th, "label": th, "keywords": [], "size": 0, "representative_ids": []}
                for th in dict.fromkeys(r["theme"] for r in rows)
            ]
        ),
        practices=pd.DataFrame(
            [{"code": c, "name": n, "definition": d} for c, (n, d) in PRACTICES.items()]
        ),
        labels=pd.DataFrame(
            [
                {
                    "anecdote_id": rows[0]["id"],
                    "code": code,
                    "coder": "analist",
                    "source": "manual",
                    "confidence": None,
                    "time": None,
                }
                for code in labels
            ]
        ),
        settings={"seed": 7},
    )


def _norm(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- content


def test_overview_counts_the_dev_set(recs):
    gold = [json.loads(ln) for ln in (DEV / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    o = recs.overview
    assert (o.n_reports, o.n_initiatives, o.visits, o.n_anecdotes) == (4, 2, (1, 2), len(gold))
    assert {c.key: c.count for c in o.kinds} == dict(Counter(g["kind"] for g in gold))
    assert (o.period_start, o.period_end) == ("2023-02-21", "2023-09-28")
    assert o.coders == ("ambtenaar-1", "initiatiefnemer-1") and o.n_labels == 2 * len(gold)
    assert 0 < o.agreement.overall.percent < 1
    assert recs.anecdotes[0].ref == "A1" and recs.anecdotes[0].report_id == "anker_1"


def test_theme_sections_count_quote_and_spread(recs):
    gold = [json.loads(ln) for ln in (DEV / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    sizes = Counter(g["theme"] for g in gold)
    assert {th.label: th.size for th in recs.themes} == dict(sizes)
    assert [th.size for th in recs.themes] == sorted(sizes.values(), reverse=True)
    texts = {a.ref: a for a in recs.anecdotes}
    for th in recs.themes:
        assert sum(c.count for c in th.kinds) == th.size
        assert len(th.successes) + len(th.bottlenecks) + len(th.improvements) == th.size
        assert 1 <= th.n_reports <= 4 and th.report_share == th.n_reports / 4
        assert th.quotes and all(texts[q.ref] == q and q.theme_label == th.label for q in th.quotes)
    for th in recs.themes:
        spread = {g["report"].split("_")[0] for g in gold if g["theme"] == th.label}
        assert th.n_initiatives == len(spread) and th.initiative_share == len(spread) / 2


def test_recommendations_are_drawn_from_the_anecdotes_they_cite(recs):
    by_ref = {a.ref: a for a in recs.anecdotes}
    n = 0
    for th in recs.themes:
        has_material = bool(th.bottlenecks or th.improvements)
        assert bool(th.recommendations) == has_material
        for r in th.recommendations:
            n += 1
            cited = [by_ref[ref] for ref in r.refs]
            assert r.audience in ("gemeente", "initiatiefnemers")
            assert all(a.kind in ("knelpunt", "aanknopingspunt") for a in cited)
            assert all(a.theme_label == th.label for a in cited)
            assert any(_norm(r.text) in _norm(a.text) for a in cited), r.text
            assert [a.id for a in cited] == list(r.anecdote_ids)
    assert n >= 10
    recs_by_text = {r.text: r for th in recs.themes for r in th.recommendations}
    afspraak = next(r for t, r in recs_by_text.items() if t.startswith("Ze spraken af dat Mehmet"))
    assert (afspraak.cue, afspraak.audience) == ("afspraak", "gemeente")
    wish = next(r for t, r in recs_by_text.items() if t.startswith("Anneke zou het prettig"))
    assert (wish.cue, wish.audience) == ("voorstel", "gemeente")
    assert any(r.audience == "initiatiefnemers" for r in recs_by_text.values())
    assert recs.key_recommendations and all(
        r in recs_by_text.values() for r in recs.key_recommendations
    )


def test_name_roles_come_from_appositions_and_metadata(tables):
    from reportanalysis.report.build import _metadata_texts
    from reportanalysis.report.recommend import infer_name_roles

    roles = infer_name_roles(list(tables.anecdotes["text"]) + _metadata_texts(tables.reports))
    assert roles["Mehmet"] == roles["Karin"] == "gemeente"
    assert roles["Anneke"] == roles["Thijs"] == "initiatiefnemers"


def test_sentences_keep_their_quotes():
    text = "Thijs twijfelt: “Ik ben bang.” Daarna praat hij verder. Klaar!"
    assert split_sentences(text) == [
        "Thijs twijfelt: “Ik ben bang.”",
        "Daarna praat hij verder.",
        "Klaar!",
    ]


def test_practice_sections_show_strengths_and_weak_spots(recs):
    assert [p.code for p in recs.practices] == list(PRACTICES)
    for p in recs.practices:
        assert all(q.kind == "succes" and q.practice == p.code for q in p.strengths)
        assert all(q.kind == "knelpunt" and q.practice == p.code for q in p.weak_spots)
        assert p.count == sum(c.count for c in p.kinds)
    p4 = next(p for p in recs.practices if p.code == "P4")
    assert p4.count == 25 and p4.strengths and p4.weak_spots


def test_change_between_visits(recs, tables):
    ch = recs.change
    assert ch.available and (ch.first, ch.second) == (1, 2)
    visit = dict(zip(tables.reports["id"], tables.reports["visit"], strict=True))
    kinds = Counter(
        (visit[r], k)
        for r, k in zip(tables.anecdotes["report_id"], tables.anecdotes["kind"], strict=True)
    )
    for row in ch.by_kind:
        assert (row.count_first, row.count_second) == (kinds[(1, row.key)], kinds[(2, row.key)])
    assert sum(r.share_first for r in ch.by_practice) == pytest.approx(1, abs=1e-3)
    assert all(r.delta > 0 for r in ch.themes_rose) and all(r.delta < 0 for r in ch.themes_fell)
    rose = {r.key for r in ch.themes_rose}
    assert "terugkoppeling en communicatie" in rose


def test_single_visit_and_theme_without_bottlenecks():
    recs = build_recommendations(
        tiny_tables(
            [
                (
                    "De wijkagent komt elke week langs en kent alle kinderen bij naam.",
                    "contact",
                    "succes",
                ),
                ("De vergunning voor het hek duurde vier maanden.", "regels", "knelpunt"),
            ]
        )
    )
    assert not recs.change.available and recs.overview.visits == (1,)
    contact = next(th for th in recs.themes if th.label == "contact")
    assert contact.recommendations == ()
    regels = next(th for th in recs.themes if th.label == "regels")
    assert regels.recommendations[0].cue == "knelpunt"
    assert regels.recommendations[0].text == "De vergunning voor het hek duurde vier maanden."
    assert recs.appendix.seed == "7" and recs.overview.agreement is None


def test_bad_input_is_refused(tables, tmp_path, recs):
    with pytest.raises(ConfigError, match="language"):
        build_recommendations(tables, language="fr")
    with pytest.raises(ConfigError, match="pdf"):
        render(recs, tmp_path, formats=("pdf",))
    broken = dataclasses.replace(tables, anecdotes=tables.anecdotes.drop(columns=["text"]))
    with pytest.raises(ConfigError, match="text"):
        build_recommendations(broken)


# --------------------------------------------------------------------------- files


def test_json_is_deterministic_and_carries_the_counts(tables, tmp_path):
    a = render(build_recommendations(tables), tmp_path / "a", formats=("json",))["json"]
    b = render(build_recommendations(make_tables()), tmp_path / "b", formats=("json",))["json"]
    assert a.read_bytes() == b.read_bytes()
    data = json.loads(a.read_text(encoding="utf-8"))
    assert data["overview"]["n_anecdotes"] == 69 and data["overview"]["n_reports"] == 4
    assert data["appendix"]["seed"] == "42"
    assert "generated" in data and data["generated"] is None
    stamped = build_recommendations(make_tables(settings={"generated": "2024-05-01"}))
    assert stamped.generated == "2024-05-01"


def test_html_holds_the_sections_and_the_charts(rendered, recs):
    from lxml import html

    doc = html.fromstring(rendered["html"].read_bytes())
    assert doc.xpath("//h1")[0].text_content() == recs.title
    h2 = [h.text_content() for h in doc.xpath("//h2")]
    assert h2[:2] == ["Samenvatting", "Inhoud"] and "Thema's" in h2 and h2[-1].startswith("Bijlage")
    assert len(doc.xpath("//section[@class='theme']")) == len(recs.themes)
    for name in ("practices", "heatmap", "kinds"):
        (img,) = doc.xpath(f"//figure[@id='chart-{name}']/img")
        assert img.get("src").startswith("data:image/svg+xml;base64,")
    assert not doc.xpath("//script | //link | //*[@src][not(starts-with(@src, 'data:'))]")
    body = doc.text_content()
    first = recs.themes[0].recommendations[0]
    assert _norm(first.text) in _norm(body) and "zie " + first.refs[0] in body


def test_docx_has_headings_tables_and_images(rendered, recs):
    import docx

    doc = docx.Document(str(rendered["docx"]))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == recs.title and "Samenvatting" in headings and "Werkpraktijken" in headings
    assert f"1. {recs.themes[0].label}" in headings
    assert len(doc.inline_shapes) == 3
    text = "\n".join(p.text for p in doc.paragraphs)
    assert recs.themes[0].recommendations[0].text in text
    anecdote_table = doc.tables[-1]
    assert len(anecdote_table.rows) == 1 + len(recs.anecdotes)
    assert anecdote_table.rows[1].cells[-1].text == recs.anecdotes[0].text
    section = doc.sections[0]  # A4, not python-docx's US Letter
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert doc.core_properties.author == "reportanalysis"


def test_xlsx_has_the_tables_and_matrices(rendered, recs):
    import openpyxl

    wb = openpyxl.load_workbook(rendered["xlsx"])
    assert wb.sheetnames == [
        "overzicht",
        "aanbevelingen",
        "anekdotes",
        "labels",
        "themas",
        "werkpraktijken",
        "thema x werkpraktijk",
        "thema x soort",
        "overeenstemming",
        "verschillen",
        "bezoek 1 vs 2",
    ]
    rows = list(wb["anekdotes"].iter_rows(values_only=True))
    assert len(rows) == 1 + len(recs.anecdotes)
    assert rows[1][0] == "A1" and rows[1][-1] == recs.anecdotes[0].text
    assert len(list(wb["labels"].iter_rows())) == 1 + 138
    matrix = list(wb["thema x werkpraktijk"].iter_rows(values_only=True))
    assert matrix[0][1:-1] == recs.theme_practice.columns
    assert sum(r[-1] for r in matrix[1:]) == len(recs.anecdotes)


def test_markdown_has_the_sections(rendered, recs):
    md = rendered["md"].read_text(encoding="utf-8")
    assert md.startswith("# Leren van samenwerking")
    assert "## Samenvatting" in md and f"### 1. {recs.themes[0].label}" in md
    listed = md[md.index("### Anekdotes") :]
    assert len(re.findall(r"^\| A\d+ \|", listed, flags=re.MULTILINE)) == len(recs.anecdotes)


HOSTILE = [
    (
        '<script>alert("verslag")</script> Het hek bleef dicht.',
        "<img src=x onerror=alert(1)>",
        "knelpunt",
    ),
    (
        '=HYPERLINK("http://example.org","klik") gaat de gemeente regelen.',
        "=thema",
        "aanknopingspunt",
    ),
    ("+31 6 12345678 is het nummer van de ambtenaar die we moeten bellen.", "regels", "knelpunt"),
    ("-2+3 bezoekers zouden graag een bankje willen.", "regels", "aanknopingspunt"),
    ("@SUM(A1:A9) staat in de begroting van de bewoners.", "regels", "succes"),
    ("\t=1+1 na een tab.", "regels", "succes"),
    ("*vet* en [link](http://example.org) en # kop | pijp & teken.", "regels", "succes"),
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    recs = build_recommendations(tiny_tables(HOSTILE, labels=("=1+1", "P4")))
    return recs, render(recs, tmp_path_factory.mktemp("hostile"))


def test_html_shows_markup_as_text(hostile):
    from lxml import html

    recs, files = hostile
    raw = files["html"].read_text(encoding="utf-8")
    assert "<script" not in raw and "<img src=x" not in raw
    assert "&lt;script&gt;" in raw
    doc = html.fromstring(raw)
    assert not doc.xpath("//script") and not doc.xpath("//*[@onerror]")
    assert '<script>alert("verslag")</script>' in doc.text_content()
    assert "<img src=x onerror=alert(1)>" in doc.text_content()


def test_markdown_escapes_report_text(hostile):
    _, files = hostile
    md = files["md"].read_text(encoding="utf-8")
    assert not re.search(r"(?<!\\)<", md), "an unescaped < in the Markdown"
    assert "\\<script\\>" in md and "\\[link\\]" in md and "\\*vet\\*" in md


def test_xlsx_never_holds_a_formula(hostile):
    import openpyxl

    recs, files = hostile
    wb = openpyxl.load_workbook(files["xlsx"])
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    assert cells and not [c.coordinate for c in cells if c.data_type == "f"]
    risky = [c for c in cells if isinstance(c.value, str) and c.value[:1] in "=+-@\t"]
    assert len(risky) >= 6 and all(c.quotePrefix and c.data_type == "s" for c in risky)
    texts = {c.value for c in wb["anekdotes"]["N"]}
    assert {h[0] for h in HOSTILE} <= texts  # the text itself is kept exactly
    assert "=1+1" in {c.value for c in wb["labels"]["C"]}


def test_docx_keeps_markup_as_text(hostile):
    import docx

    _, files = hostile
    doc = docx.Document(str(files["docx"]))
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert HOSTILE[0][0] in cells and HOSTILE[1][0] in cells


def test_english_translates_headings_not_anecdotes(tables, tmp_path):
    import docx

    recs = build_recommendations(tables, language="en")
    files = render(recs, tmp_path, formats=("html", "docx", "md"))
    assert recs.title.startswith("Learning from collaboration")
    assert recs.overview.kinds[1].label == "bottleneck"
    headings = [
        p.text
        for p in docx.Document(str(files["docx"])).paragraphs
        if p.style.name.startswith("Heading")
    ]
    assert "Summary" in headings and "Work practices" in headings
    html_text = files["html"].read_text(encoding="utf-8")
    assert ">Summary</h2>" in html_text and "Samenvatting" not in html_text
    assert "Recommendation for the municipality" in html_text
    md = files["md"].read_text(encoding="utf-8")
    assert "## Summary" in md and recs.anecdotes[0].text.split()[0] in md
    assert recs.anecdotes[0].text == build_recommendations(tables).anecdotes[0].text
    # The anecdote tables name the kinds in English too (html did already; md and docx now).
    table = docx.Document(str(files["docx"])).tables[-1]
    kinds = {row.cells[4].text for row in table.rows[1:]}
    assert kinds & {"success", "bottleneck", "point to improve on"}
    assert not kinds & {"succes", "knelpunt", "aanknopingspunt"}
    # The built-in framework's practices have English names too.
    assert "Working on relationships" in md and "Werken aan relaties" not in md
    anecdote_rows = [line for line in md.splitlines() if line.startswith("| A")]
    assert anecdote_rows and not any("| knelpunt |" in line for line in anecdote_rows)


def test_a_users_template_replaces_ours(recs, tmp_path):
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "report.md.j2").write_text(
        "# {{ recs.title | md }}\n"
        "{% for th in recs.themes %}- {{ th.label | md }}: {{ th.size }}\n{% endfor %}",
        encoding="utf-8",
    )
    (tmp_path / "tpl" / "report.html.j2").write_text(
        "<p>{{ recs.anecdotes[0].text }}</p>", encoding="utf-8"
    )
    files = render(recs, tmp_path / "out", formats=("md", "html"), template_dir=tmp_path / "tpl")
    md = [ln for ln in files["md"].read_text(encoding="utf-8").splitlines() if ln]
    assert md[0] == f"# {recs.title}" and len(md) == 1 + len(recs.themes)
    assert files["html"].read_text(encoding="utf-8").startswith("<p>")
    with pytest.raises(ConfigError, match="template"):
        render(recs, tmp_path / "x", formats=("md",), template_dir=tmp_path / "missing")
    # Compiled templates are kept per process, but an edited template is read again.
    edited = tmp_path / "tpl" / "report.html.j2"
    edited.write_text("<h1>{{ recs.title }}</h1>", encoding="utf-8")
    os.utime(edited, ns=(edited.stat().st_atime_ns, edited.stat().st_mtime_ns + 10**9))
    again = render(recs, tmp_path / "out2", formats=("html",), template_dir=tmp_path / "tpl")
    assert again["html"].read_text(encoding="utf-8").startswith("<h1>")


def test_cli_report_command_is_registered():
    from typer.testing import CliRunner

    from reportanalysis.cli import app

    result = CliRunner().invoke(app, ["report", "--help"])
    assert result.exit_code == 0 and "--project" in result.output and "--language" in result.output


# --------------------------------------------------------------------------- browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _screenshot(page: Path, png: Path, profile: Path) -> None:
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            f"--screenshot={png}",
            "--window-size=1280,4000",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )


def _chart_pixels(png: Path) -> int:
    """Pixels in the charts' own colours: the kinds' bar colours and the heat map's blues."""
    import numpy as np
    from PIL import Image

    from reportanalysis.report.charts import KIND_COLOURS

    pixels = np.asarray(Image.open(png).convert("RGB"), dtype=np.int32).reshape(-1, 3)
    hits = np.zeros(len(pixels), dtype=bool)
    for colour in KIND_COLOURS.values():
        target = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
        hits |= np.abs(pixels - target).sum(axis=1) < 30
    r, g, b = pixels.T
    hits |= (b > 150) & (b - r > 60) & (b - g > 20)  # matplotlib's Blues, the darker half
    return int(hits.sum())


@pytest.mark.browser
@pytest.mark.slow
def test_the_charts_are_drawn_in_a_real_browser(recs, tmp_path):
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (make browser installs it)")
    from reportanalysis.report.render_html import render_html

    with_charts, without = tmp_path / "met.html", tmp_path / "zonder.html"
    with_charts.write_text(render_html(recs), encoding="utf-8")
    without.write_text(render_html(recs, charts=False), encoding="utf-8")
    shots = []
    for page in (with_charts, without):
        png = page.with_suffix(".png")
        _screenshot(page, png, tmp_path / f"profile-{page.stem}")
        shots.append(_chart_pixels(png))
    drawn, bare = shots
    assert drawn > bare + 20_000, (drawn, bare)


def test_no_anecdotes_still_gives_a_report(tmp_path):
    recs = build_recommendations(tiny_tables([]))
    assert recs.overview.n_anecdotes == 0 and recs.themes == () and not recs.change.available
    files = render(recs, tmp_path)
    assert json.loads(files["json"].read_text(encoding="utf-8"))["overview"]["n_anecdotes"] == 0


# --------------------------------------------------------------------------- audit fixes


def _docx_text(path: Path) -> str:
    import docx

    doc = docx.Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_agreement_is_a_readable_table_in_every_format(rendered, recs, tables):
    from openpyxl import load_workbook

    from reportanalysis.report.templating import decimal

    figures = agreement(tables.labels)
    alpha, kappa = figures.overall["alpha"], figures.overall["kappa"]
    ag = recs.overview.agreement
    assert ag.coders == ("ambtenaar-1", "initiatiefnemer-1")
    assert [r.code for r in ag.rows] == [None, *figures.per_code["code"]]
    assert ag.overall.disagreements == figures.disagreements["anecdote_id"].nunique() > 0
    assert len(ag.disagreements) == len(figures.disagreements)
    assert all(d.ref.startswith("A") for d in ag.disagreements)
    md = rendered["md"].read_text(encoding="utf-8")
    html = rendered["html"].read_text(encoding="utf-8")
    word = _docx_text(rendered["docx"])
    overall = (
        f"| *Alle codes samen* | {figures.overall['units']} | "
        f"{round(100 * figures.overall['percent'])}% | {decimal(kappa, 'nl')} | "
        f"{decimal(alpha, 'nl')} | {ag.overall.disagreements} |"
    )
    assert overall in md
    assert "," in decimal(alpha, "nl") and decimal(alpha, "nl") in html
    for text in (md, html, word):
        assert "{'" not in text and "'alpha'" not in text and "disagreements:" not in text
        assert "Krippendorffs α" in text and "Cohens κ" in text
        assert f"Bij {ag.overall.disagreements} anekdotes verschillen de codeurs" in text
        assert "Verschillen tussen codeurs" in text  # where they are listed
    assert '<h4 id="disagreements">' in html and '<a href="#A1">A1</a>' in html
    wb = load_workbook(rendered["xlsx"], read_only=True)
    rows = list(wb["verschillen"].iter_rows(values_only=True))
    assert len(rows) == 1 + len(figures.disagreements)
    assert list(wb["overeenstemming"].iter_rows(values_only=True))[1][4] == pytest.approx(alpha)
    english = render_md(build_recommendations(tables, language="en"))
    assert f"| {decimal(kappa, 'en')} | {decimal(alpha, 'en')} |" in english
    assert "." in decimal(alpha, "en")


def test_markdown_tables_and_paragraphs_stay_apart(rendered, recs):
    markdown_it = pytest.importorskip("markdown_it")
    md = rendered["md"].read_text(encoding="utf-8")
    tokens = markdown_it.MarkdownIt("commonmark").enable("table").parse(md)
    headers = []
    for i, tok in enumerate(tokens):
        if tok.type == "table_open":
            first_th = next(j for j in range(i, len(tokens)) if tokens[j].type == "th_open")
            headers.append(tokens[first_th + 1].content)
    # the reports, the settings, the disagreements and the anecdotes are four tables
    for first in ("Verslag", "Instelling", "Ref."):
        assert first in headers, headers
    assert headers.count("Ref.") == 2
    n_rows = sum(1 for tok in tokens if tok.type == "tr_open")
    assert n_rows >= len(recs.anecdotes) + len(recs.appendix.reports)
    paragraphs = [
        tokens[i + 1].content for i, tok in enumerate(tokens) if tok.type == "paragraph_open"
    ]
    assert paragraphs.count("**Uit de verslagen**") == len(recs.themes)
    intro = [p for p in paragraphs if p.startswith(f"{recs.themes[0].size} anekdotes uit")]
    assert intro and "Kernwoorden" not in intro[0] and "Uit de verslagen" not in intro[0]
    assert any(p.startswith("Kernwoorden: ") for p in paragraphs)
    # and without a parser: a blank line before and after every table
    lines = md.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("|") and i and not lines[i - 1].startswith("|"):
            assert lines[i - 1] == "", lines[i - 1 : i + 1]
        if line.startswith("|") and i + 1 < len(lines) and not lines[i + 1].startswith("|"):
            assert lines[i + 1] == "", lines[i : i + 2]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_counts_of_one_take_the_singular(tmp_path, language):
    recs = build_recommendations(
        tiny_tables([("Het hek bleef dicht tot de gemeente belde.", "hek", "succes")]),
        language=language,
    )
    out = render(recs, tmp_path, formats=["md", "html", "docx"])
    texts = [out["md"].read_text(encoding="utf-8"), out["html"].read_text(encoding="utf-8")]
    texts.append(_docx_text(out["docx"]))
    wrong = {
        "nl": ("1 verslagen", "1 successen", "1 anekdotes", "1 initiatieven", "1 thema's"),
        "en": ("1 reports", "1 successes", "1 anecdotes", "1 initiatives", "1 themes"),
    }[language]
    right = {
        "nl": ("1 anekdote uit 1 verslag van 1 initiatief", "1 succes"),
        "en": ("1 anecdote from 1 report on 1 initiative", "1 success"),
    }[language]
    for text in texts:
        assert not any(w in text for w in wrong), [w for w in wrong if w in text]
        assert all(r in text for r in right), [r for r in right if r not in text]
    many = build_recommendations(
        tiny_tables([("Het hek bleef dicht.", "hek", "knelpunt"), ("Nog een.", "hek", "knelpunt")])
    )
    assert "2 knelpunten" in render_md(many) and "2 anekdotes" in render_md(many)


def _simulated_lab(hex_colour: str, matrix: list[list[float]] | None) -> list[float]:
    """CIELAB of a colour as seen with a colour-vision deficiency (Machado et al. 2009)."""
    import numpy as np

    c = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    if matrix is not None:
        linear = np.clip(np.array(matrix) @ linear, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    x = xyz @ linear / np.array([0.95047, 1.0, 1.08883])
    f = np.where(x > 0.008856, np.cbrt(x), 7.787 * x + 16 / 116)
    return [116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])]


def test_kind_colours_stay_apart_for_colour_blind_readers(recs):
    import itertools
    import math

    from reportanalysis.report.charts import KIND_COLOURS, make_charts

    deficiencies = {
        "normal": None,
        "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                       [-0.003882, -0.048116, 1.051998]],
        "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                         [-0.011820, 0.042940, 0.968881]],
        "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                       [0.004733, 0.691367, 0.303900]],
    }  # fmt: skip
    for name, matrix in deficiencies.items():
        labs = [_simulated_lab(c, matrix) for c in KIND_COLOURS.values()]
        closest = min(math.dist(a, b) for a, b in itertools.combinations(labs, 2))
        assert closest >= 20, (name, closest)  # the old green/red/amber: 12.7 with protanopia
    svg = make_charts(recs)["kinds"].decode("utf-8").lower()
    assert all(colour in svg for colour in KIND_COLOURS.values())


def test_the_method_says_whether_the_text_was_pseudonymised(recs, rendered, tmp_path):
    """The fixture's tables are not pseudonymised: the method text must not claim they are."""
    import dataclasses

    md = rendered["md"].read_text(encoding="utf-8")
    assert "niet gepseudonimiseerd" in md[md.index("## Bijlage") :]
    assert "ingelezen, gepseudonimiseerd" not in md
    shown = dataclasses.replace(
        recs, overview=dataclasses.replace(recs.overview, pseudonymised=True)
    )
    out = render(shown, tmp_path, formats=("md", "html", "docx"))
    assert "ingelezen, gepseudonimiseerd" in out["md"].read_text(encoding="utf-8")
    assert "ingelezen, gepseudonimiseerd" in out["html"].read_text(encoding="utf-8")
    from docx import Document

    body = "\n".join(p.text for p in Document(str(out["docx"])).paragraphs)
    assert "ingelezen, gepseudonimiseerd" in body


def test_anecdotes_without_a_visit_number_are_counted_out_of_the_comparison(tables, tmp_path):
    reports = tables.reports.copy()
    missing = reports["id"].iloc[0]
    reports.loc[reports["id"] == missing, "visit"] = None
    recs = build_recommendations(dataclasses.replace(tables, reports=reports))
    n = int((tables.anecdotes["report_id"] == missing).sum())
    ch = recs.change
    assert n and ch.available and (ch.left_out, ch.total) == (n, len(tables.anecdotes))
    compared = sum(r.count_first + r.count_second for r in ch.by_kind)
    assert compared == len(tables.anecdotes) - n
    note = f"{n} van de {len(tables.anecdotes)} anekdotes tellen in deze vergelijking niet mee"
    paths = render(recs, tmp_path, formats=("html", "md", "docx", "xlsx", "json"))
    import docx
    import openpyxl

    assert note in paths["html"].read_text(encoding="utf-8")
    assert note in paths["md"].read_text(encoding="utf-8")
    assert any(note in p.text for p in docx.Document(paths["docx"]).paragraphs)
    sheet = openpyxl.load_workbook(paths["xlsx"])["bezoek 1 vs 2"]
    assert any(note in str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert json.loads(paths["json"].read_text(encoding="utf-8"))["change"]["left_out"] == n
    # All reports with a visit number: nothing said.
    assert build_recommendations(tables).change.left_out == 0


@pytest.mark.parametrize(
    ("sentence", "section", "kind", "cue"),
    [
        ("Ze spraken af dat Mehmet een bijeenkomst organiseert.", None, "knelpunt", "afspraak"),
        (
            "Er is afgesproken dat de vervoerder kleine wijzigingen goedkeurt.",
            None,
            "knelpunt",
            "afspraak",
        ),
        # History, not an agreement to keep: what was agreed before, a promise not kept.
        (
            "Ze zocht uit wat er over het terrein was afgesproken.",
            None,
            "aanknopingspunt",
            "aanknopingspunt",
        ),
        (
            "De wethouder had beloofd te bellen, maar dat gebeurde niet.",
            None,
            "knelpunt",
            "knelpunt",
        ),
        ("Mehmet maakte een afspraak met de huisarts.", None, "knelpunt", "knelpunt"),
        ("Ze schreef het plan, zoals afgesproken.", None, "aanknopingspunt", "aanknopingspunt"),
        # An agreement not kept is a bottleneck.
        ("De afspraken zijn niet nagekomen.", None, "knelpunt", "knelpunt"),
        ("Hij belooft pas iets als hij het zeker weet.", None, "knelpunt", "knelpunt"),
        ("De wethouder belooft te komen kijken.", None, "knelpunt", "afspraak"),
        (
            "Er is afgesproken dat Ronald vaker langskomt, maar dat is niet gelukt.",
            None,
            "knelpunt",
            "knelpunt",
        ),
        ("Het advies van de jurist was negatief.", None, "knelpunt", "knelpunt"),
        ("Wat Sanne prettig vindt, is dat Bas elke maand belt.", None, "knelpunt", "knelpunt"),
        ("Anneke zou het prettig vinden als Mehmet vaker belt.", None, "knelpunt", "voorstel"),
        (
            "Nu weet hij hoe het gaat, en kan ik hem bellen.",
            None,
            "aanknopingspunt",
            "aanknopingspunt",
        ),
        # An opinion is no proposal; a wish or plan in the present is.
        (
            "Iedereen vindt het een goed idee, maar niemand kan het veranderen.",
            None,
            "knelpunt",
            "knelpunt",
        ),
        (
            "Karin wil de speeltuin meenemen in het nieuwe beleid.",
            None,
            "aanknopingspunt",
            "voorstel",
        ),
        (
            "Ze vertelde dat ze toen eerst is gaan uitzoeken hoe het zat.",
            None,
            "aanknopingspunt",
            "aanknopingspunt",
        ),
        ("Dat gaat hij regelen.", None, "aanknopingspunt", "voorstel"),
        # Under a heading of agreements an item is one, unless the heading looks back.
        ("Werving chauffeurs via de supermarkt.", "Afspraken", "aanknopingspunt", "afspraak"),
        (
            "Werving chauffeurs: ja, drie nieuwe.",
            "Zijn de afspraken nagekomen?",
            "aanknopingspunt",
            "aanknopingspunt",
        ),
    ],
)
def test_what_kind_of_advice_a_sentence_carries(sentence, section, kind, cue):
    from reportanalysis.report.recommend import cue_of

    assert cue_of(sentence, section, kind) == cue


def test_recommendations_say_which_visit_they_come_from(recs, rendered):
    """A point from a first visit may be settled by the second: the citation says the visit."""
    by_ref = {a.ref: a for a in recs.anecdotes}
    md = rendered["md"].read_text(encoding="utf-8")
    for th in recs.themes:
        for r in th.recommendations:
            visits = sorted({by_ref[ref].visit for ref in r.refs})
            word = "bezoek " if len(visits) == 1 else "bezoeken "
            assert r.cite == f"{', '.join(r.refs)} · {word}{' en '.join(map(str, visits))}"
            assert f"(zie {r.cite.replace('_', chr(92) + '_')})" in md


def test_the_agreements_the_reports_list_get_a_section_of_their_own(tables, tmp_path):
    import docx
    import pandas as pd
    from openpyxl import load_workbook

    report_id = str(tables.reports["id"].iloc[0])
    actions = pd.DataFrame(
        [
            {
                "report_id": report_id,
                "start": 0,
                "end": 10,
                "section": "Afspraken",
                "text": "Mehmet  regelt de leges\nvoor de zomer.",
            },
        ]
    )
    recs = build_recommendations(dataclasses.replace(tables, actions=actions))
    (action,) = recs.actions
    assert action.text == "Mehmet regelt de leges voor de zomer."
    assert action.where.endswith(f"bezoek {action.visit}")
    paths = render(recs, tmp_path, formats=("html", "md", "docx", "xlsx", "json"))
    assert "Afspraken uit de verslagen" in paths["md"].read_text(encoding="utf-8")
    assert action.text in paths["md"].read_text(encoding="utf-8")
    assert action.text in paths["html"].read_text(encoding="utf-8")
    assert any(action.text in p.text for p in docx.Document(paths["docx"]).paragraphs)
    sheet = load_workbook(paths["xlsx"])["afspraken"]
    assert list(sheet.iter_rows(values_only=True))[1][4] == action.text
    assert json.loads(paths["json"].read_text(encoding="utf-8"))["actions"][0]["text"] == (
        action.text
    )
    # Without agreements the section says so.
    assert "Geen verslag noemt afspraken" in render_md(build_recommendations(tables))
