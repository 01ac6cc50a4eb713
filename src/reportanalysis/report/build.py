"""Build the :class:`~reportanalysis.report.structure.Recommendations` from the analysis tables.

Everything the report says is counted or quoted from :class:`~reportanalysis.model.AnalysisTables`;
recommendations come from :mod:`reportanalysis.report.recommend` and cite their anecdotes.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError
from . import recommend
from .i18n import PRACTICE_NAMES, strings
from .structure import (
    ActionRow,
    Agreement,
    AgreementRow,
    AnecdoteRef,
    Appendix,
    ChangeRow,
    Count,
    Disagreement,
    LabelRow,
    Matrix,
    Overview,
    PracticeSection,
    Recommendation,
    Recommendations,
    ReportRow,
    ThemeSection,
    VisitChange,
)

if TYPE_CHECKING:
    import pandas as pd

    from ..model import AnalysisTables

__all__ = ["KINDS", "NO_PRACTICE", "build_recommendations"]

KINDS: tuple[str, ...] = ("succes", "knelpunt", "aanknopingspunt")
NO_PRACTICE = "none"
_QUOTES_PER_THEME = 3
_EXAMPLES_PER_PRACTICE = 3
_KEY_RECOMMENDATIONS = 6
_THEMES_CHANGED = 5


def build_recommendations(tables: AnalysisTables | Any, *, language: str = "nl") -> Recommendations:
    """The report's content, from the analysis tables (or a Project, through the pipeline).

    ``language`` (``"nl"`` or ``"en"``) sets the headings and fixed text; anecdote text stays as
    it is. The result holds no timestamp unless ``tables.settings["generated"]`` gives one.
    """
    t = strings(language)
    if not isinstance(getattr(tables, "anecdotes", None), _frame_type()):  # a Project
        from ..pipeline import tables_from_project

        project: Any = tables
        tables = tables_from_project(project)
    tables = _check(tables)
    reports = _reports(tables.reports)
    anecdotes = _anecdotes(tables.anecdotes, reports, t)
    names = recommend.infer_name_roles(
        [a.text for a in anecdotes] + _metadata_texts(tables.reports)
    )
    practice_names = _practice_names(tables.practices, t, language)
    themes = _themes(tables, anecdotes, reports, names, practice_names, t)
    rec_list = [r for th in themes for r in th.recommendations]
    key = tuple(
        sorted(rec_list, key=lambda r: (-len(r.refs), -r.score, r.refs))[:_KEY_RECOMMENDATIONS]
    )
    settings = tables.settings or {}
    generated = settings.get("generated")
    return Recommendations(
        language=language,
        title=str(settings.get("title") or t["title"]),
        generated=str(generated) if generated else None,
        overview=_overview(tables, anecdotes, reports, themes, practice_names, t),
        key_recommendations=key,
        themes=themes,
        practices=_practices(tables.practices, anecdotes, practice_names, t),
        change=_change(anecdotes, themes, practice_names, t),
        actions=_actions(getattr(tables, "actions", None), reports, t),
        appendix=_appendix(reports, anecdotes, settings),
        anecdotes=tuple(anecdotes),
        labels=_labels(tables.labels, anecdotes),
        theme_practice=_matrix(
            "theme_practice",
            anecdotes,
            [th.label for th in themes],
            list(practice_names),
            lambda a: a.theme_label,
            lambda a: a.practice or NO_PRACTICE,
        ),
        theme_kind=_matrix(
            "theme_kind",
            anecdotes,
            [th.label for th in themes],
            list(KINDS),
            lambda a: a.theme_label,
            lambda a: a.kind,
        ),
        practice_names=practice_names,
    )


# --------------------------------------------------------------------------- inputs


def _frame_type() -> type:
    import pandas as pd

    return pd.DataFrame


def _check(tables: AnalysisTables) -> AnalysisTables:
    """The tables, with an empty anecdote table given its columns; refuse a table without
    the columns the report needs."""
    import dataclasses

    import pandas as pd

    from ..model import ANECDOTE_COLUMNS

    if tables.anecdotes.empty and not len(tables.anecdotes.columns):
        return dataclasses.replace(tables, anecdotes=pd.DataFrame(columns=list(ANECDOTE_COLUMNS)))
    missing = [c for c in ("id", "report_id", "text") if c not in tables.anecdotes.columns]
    if missing:
        raise ConfigError(
            f"the anecdote table lacks the column(s) {', '.join(missing)}; "
            "build it with reportanalysis.pipeline or see model.ANECDOTE_COLUMNS"
        )
    return tables


def _clean(value: Any) -> Any:
    """None for pandas' missing values, plain Python for numpy scalars."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        import pandas as pd

        if value is pd.NaT or (not isinstance(value, list | tuple | dict) and pd.isna(value)):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item") and not isinstance(value, list | tuple | dict):
        return value.item()
    return value


def _text(value: Any) -> str | None:
    value = _clean(value)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _visit(value: Any) -> int | None:
    """``2``, ``"2"``, ``"2/2"``, ``"bezoek 2"`` → 2."""
    value = _clean(value)
    if value is None:
        return None
    match = re.search(r"\d+", str(value))
    return int(match.group()) if match else None


def _date(value: Any) -> str | None:
    value = _clean(value)
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    text = str(value).strip()
    return text[:10] if re.match(r"\d{4}-\d{2}-\d{2}", text) else text or None


def _reports(frame: pd.DataFrame) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for row in frame.to_dict("records"):
        rid = str(row["id"])
        text = row.get("text")
        out[rid] = {
            "id": rid,
            "source": _text(row.get("source")) or rid,
            "format": _text(row.get("format")) or "",
            "initiative": _text(row.get("initiative")),
            "visit": _visit(row.get("visit")),
            "date": _date(row.get("date")),
            "text": text if isinstance(text, str) else None,
        }
    return dict(sorted(out.items()))


def _metadata_texts(frame: pd.DataFrame) -> list[str]:
    """Free-text metadata (``onderzoeksduo``, ``gesprekspartners`` …): only used to learn who
    is a civil servant and who an initiator, never shown in the report."""
    skip = {"id", "source", "format", "sha256", "initiative", "visit", "date", "text"}
    texts = []
    for column in frame.columns:
        if column in skip:
            continue
        for value in frame[column].tolist():
            if isinstance(value, str) and len(value) < 500:
                texts.append(value)
    return texts


def _anecdotes(
    frame: pd.DataFrame, reports: Mapping[str, Mapping[str, Any]], t: Mapping[str, str]
) -> list[AnecdoteRef]:
    rows = frame.to_dict("records")
    report_order = {rid: i for i, rid in enumerate(reports)}
    rows.sort(
        key=lambda r: (
            report_order.get(str(r["report_id"]), len(report_order)),
            str(r["report_id"]),
            _clean(r.get("start")) or 0,
            str(r["id"]),
        )
    )
    out = []
    for n, row in enumerate(rows, 1):
        rid = str(row["report_id"])
        report = reports.get(rid, {})
        start = int(_clean(row.get("start")) or 0)
        end = int(_clean(row.get("end")) or 0)
        line = _clean(row.get("line"))
        line = int(line) if line is not None else None
        if line is None and report.get("text"):
            line = report["text"].count("\n", 0, start) + 1
        place = (
            t["place.line"].format(line=line)
            if line
            else t["place.chars"].format(start=start, end=end)
        )
        theme = _clean(row.get("theme"))
        theme_label = _text(row.get("theme_label")) or (None if theme is None else str(theme))
        practice = _text(row.get("practice"))
        out.append(
            AnecdoteRef(
                ref=f"A{n}",
                id=str(row["id"]),
                report_id=rid,
                start=start,
                end=end,
                line=line,
                place=place,
                text=str(row.get("text") or ""),
                section=_text(row.get("section")),
                theme=None if theme is None else str(theme),
                theme_label=theme_label,
                practice=practice if practice and practice.lower() != NO_PRACTICE else None,
                secondary_practice=_none_if_no_practice(_text(row.get("secondary_practice"))),
                kind=_text(row.get("kind")),
                initiative=report.get("initiative"),
                visit=report.get("visit"),
            )
        )
    return out


def _none_if_no_practice(code: str | None) -> str | None:
    return None if code is None or code.lower() == NO_PRACTICE else code


def _actions(
    frame: Any, reports: Mapping[str, Mapping[str, Any]], t: Mapping[str, str]
) -> tuple[ActionRow, ...]:
    """The agreements the reports list, by initiative, visit and report."""
    if frame is None or not len(frame):
        return ()
    rows = []
    for row in frame.to_dict("records"):
        report = reports.get(str(row["report_id"]), {})
        initiative = report.get("initiative") or str(row["report_id"])
        visit = report.get("visit")
        where = t["actions.where" if visit is not None else "actions.where.novisit"]
        rows.append(
            ActionRow(
                report_id=str(row["report_id"]),
                initiative=report.get("initiative"),
                visit=visit,
                section=str(row.get("section") or ""),
                text=" ".join(str(row["text"]).split()),
                where=where.format(initiative=initiative, visit=visit),
            )
        )
    return tuple(sorted(rows, key=lambda a: (a.initiative or "", a.visit or 0, a.report_id)))


def _cite(refs: Sequence[str], visits: Sequence[int | None], t: Mapping[str, str]) -> str:
    """``A15, A16 · bezoek 1`` (the visits of the cited anecdotes, where known)."""
    known = sorted({v for v in visits if v is not None})
    if not known:
        return ", ".join(refs)
    shown = t["rec.visits.and"].join(str(v) for v in known)
    return f"{', '.join(refs)} · {t['rec.visits' if len(known) > 1 else 'rec.visit']}".format(
        visits=shown
    )


def _practice_names(
    frame: pd.DataFrame, t: Mapping[str, str], language: str = "nl"
) -> dict[str, str]:
    translated = PRACTICE_NAMES.get(language, {})
    names = {}
    if frame is not None and len(frame):
        for row in frame.to_dict("records"):
            name = _text(row.get("name")) or str(row["code"])
            names[str(row["code"])] = translated.get(name, name)
    names[NO_PRACTICE] = t["practice.none_code"]
    return names


def _counts(
    keys: Iterable[str], labels: Mapping[str, str], values: Sequence[str]
) -> tuple[Count, ...]:
    counter = Counter(values)
    total = len(values)
    return tuple(
        Count(key, labels.get(key, key), counter[key], _share(counter[key], total)) for key in keys
    )


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


# --------------------------------------------------------------------------- sections


def _overview(
    tables: AnalysisTables,
    anecdotes: Sequence[AnecdoteRef],
    reports: Mapping[str, Mapping[str, Any]],
    themes: Sequence[ThemeSection],
    practice_names: Mapping[str, str],
    t: Mapping[str, str],
) -> Overview:
    initiatives = {r["initiative"] for r in reports.values() if r["initiative"]}
    visits = sorted({r["visit"] for r in reports.values() if r["visit"] is not None})
    dates = sorted(r["date"] for r in reports.values() if r["date"])
    labels = tables.labels if tables.labels is not None else None
    coders: tuple[str, ...] = ()
    n_labels = 0
    if labels is not None and len(labels) and "coder" in labels.columns:
        coders = tuple(sorted({str(c) for c in labels["coder"].dropna()}))
        n_labels = len(labels)
    kind_labels = {k: t[f"kind.{k}"] for k in KINDS}
    return Overview(
        n_reports=len(reports),
        n_initiatives=len(initiatives),
        visits=tuple(visits),
        n_anecdotes=len(anecdotes),
        n_themes=len(themes),
        coders=coders,
        n_labels=n_labels,
        agreement=_agreement(tables.agreement, anecdotes) if tables.agreement else None,
        period_start=dates[0] if dates else None,
        period_end=dates[-1] if dates else None,
        pseudonymised=bool(tables.pseudonymised),
        kinds=_counts(KINDS, kind_labels, [a.kind or "" for a in anecdotes]),
        practices=_counts(
            practice_names, practice_names, [a.practice or NO_PRACTICE for a in anecdotes]
        ),
    )


def _figure(value: Any) -> float | None:
    value = _clean(value)
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _agreement(data: Mapping[str, Any], anecdotes: Sequence[AnecdoteRef]) -> Agreement | None:
    """The agreement figures (``labels.AgreementReport.to_dict()``) as a table.

    Disagreements cite anecdotes by reference; an id the anecdote list lacks (the ids there
    are pseudonymised) is found by its span when that is unique.
    """
    by_id = {a.id: a for a in anecdotes}
    by_span: dict[str, list[AnecdoteRef]] = {}
    for a in anecdotes:
        by_span.setdefault(a.id.rpartition(":")[2], []).append(a)
    disagreements = []
    for item in data.get("disagreements") or []:
        aid = str(item.get("anecdote_id", ""))
        found = by_id.get(aid)
        if found is None:
            same = by_span.get(aid.rpartition(":")[2], [])
            found = same[0] if len(same) == 1 else None
        disagreements.append(
            Disagreement(
                ref=found.ref if found else "",
                anecdote_id=found.id if found else "",
                code=str(item.get("code") or ""),
                with_code=str(item.get("with_code") or ""),
                without_code=str(item.get("without_code") or ""),
            )
        )
    disagreements.sort(key=lambda d: (_ref_number(d.ref), d.code))
    per_code = Counter(d.code for d in disagreements)

    def row(values: Mapping[str, Any], code: str | None, n: int) -> AgreementRow:
        return AgreementRow(
            code=code,
            units=int(_figure(values.get("units")) or 0),
            percent=_figure(values.get("percent")),
            kappa=_figure(values.get("kappa")),
            alpha=_figure(values.get("alpha")),
            disagreements=n,
        )

    overall = data.get("overall") or {}
    if not overall and not data.get("per_code"):
        return None
    units_apart = {str(r.get("anecdote_id", "")) for r in data.get("disagreements") or []}
    rows = [row(overall, None, len(units_apart))]
    for values in data.get("per_code") or []:
        code = str(values.get("code") or "")
        rows.append(row(values, code, per_code[code]))
    return Agreement(
        coders=tuple(str(c) for c in data.get("coders") or ()),
        rows=tuple(rows),
        disagreements=tuple(disagreements),
    )


def _ref_number(ref: str) -> int:
    digits = ref[1:]
    return int(digits) if digits.isdigit() else 10**9


def _jsonable(value: Any) -> Any:
    """Plain JSON data, keys sorted, so the JSON output is the same run after run."""
    return json.loads(
        json.dumps(
            value, sort_keys=True, default=lambda v: _clean(v) if hasattr(v, "item") else str(v)
        )
    )


def _themes(
    tables: AnalysisTables,
    anecdotes: Sequence[AnecdoteRef],
    reports: Mapping[str, Mapping[str, Any]],
    names: Mapping[str, str],
    practice_names: Mapping[str, str],
    t: Mapping[str, str],
) -> tuple[ThemeSection, ...]:
    info: dict[str, dict[str, Any]] = {}
    if tables.themes is not None and len(tables.themes):
        for row in tables.themes.to_dict("records"):
            keywords = (
                _clean(row.get("keywords"))
                if not isinstance(row.get("keywords"), list | tuple)
                else row["keywords"]
            )
            reps = row.get("representative_ids")
            info[str(_clean(row["id"]))] = {
                "label": _text(row.get("label")),
                "keywords": tuple(str(k) for k in (keywords or ())),
                "representative_ids": tuple(
                    str(r) for r in (reps if isinstance(reps, list | tuple) else ())
                ),
            }
    groups: dict[str, list[AnecdoteRef]] = {}
    for a in anecdotes:
        key = a.theme if a.theme is not None else (a.theme_label or "")
        groups.setdefault(key, []).append(a)
    n_reports = len(reports)
    all_initiatives = {r["initiative"] for r in reports.values() if r["initiative"]}
    kind_labels = {k: t[f"kind.{k}"] for k in KINDS}
    sections = []
    for key, members in groups.items():
        meta = info.get(key, {})
        label = meta.get("label") or members[0].theme_label or key
        in_reports = {a.report_id for a in members}
        in_initiatives = {a.initiative for a in members if a.initiative}
        grounded = recommend.recommend_theme(
            recommend.candidates(
                [
                    {"id": a.id, "ref": a.ref, "kind": a.kind, "text": a.text, "section": a.section}
                    for a in members
                ],
                names,
            )
        )
        visit_of = {a.id: a.visit for a in members}
        recs = tuple(
            Recommendation(
                audience=g.audience,
                cue=g.cue,
                lead=t[f"rec.lead.{g.cue}"],
                text=g.sentence,
                theme_label=label,
                anecdote_ids=g.anecdote_ids,
                refs=g.refs,
                score=g.score,
                cite=_cite(g.refs, [visit_of.get(i) for i in g.anecdote_ids], t),
            )
            for g in sorted(grounded, key=lambda g: (g.audience != recommend.GEMEENTE, -g.score))
        )
        practices_here = [
            p for p in practice_names if any((a.practice or NO_PRACTICE) == p for a in members)
        ]
        sections.append(
            ThemeSection(
                id=key,
                label=label,
                keywords=meta.get("keywords", ()),
                size=len(members),
                n_reports=len(in_reports),
                n_initiatives=len(in_initiatives),
                report_share=_share(len(in_reports), n_reports),
                initiative_share=_share(len(in_initiatives), len(all_initiatives)),
                kinds=_counts(KINDS, kind_labels, [a.kind or "" for a in members]),
                practices=tuple(
                    c
                    for c in _counts(
                        practices_here, practice_names, [a.practice or NO_PRACTICE for a in members]
                    )
                    if c.count
                ),
                successes=tuple(a.ref for a in members if a.kind == "succes"),
                bottlenecks=tuple(a.ref for a in members if a.kind == "knelpunt"),
                improvements=tuple(a.ref for a in members if a.kind == "aanknopingspunt"),
                quotes=_quotes(members, meta.get("representative_ids", ())),
                recommendations=recs,
            )
        )
    outliers = {"-1", "none", ""}
    sections.sort(key=lambda s: (s.id in outliers, -s.size, s.label))
    return tuple(sections)


def _quotes(
    members: Sequence[AnecdoteRef], representative: Sequence[str]
) -> tuple[AnecdoteRef, ...]:
    """The theme model's representatives first, then one anecdote of each kind not yet shown."""
    by_id = {a.id: a for a in members}
    chosen = [by_id[r] for r in representative if r in by_id][:_QUOTES_PER_THEME]
    for kind in ("knelpunt", "succes", "aanknopingspunt"):
        if len(chosen) >= _QUOTES_PER_THEME:
            break
        if any(a.kind == kind for a in chosen):
            continue
        pick = next((a for a in members if a.kind == kind and a not in chosen), None)
        if pick:
            chosen.append(pick)
    for a in members:
        if len(chosen) >= _QUOTES_PER_THEME:
            break
        if a not in chosen:
            chosen.append(a)
    return tuple(chosen)


def _practices(
    frame: pd.DataFrame,
    anecdotes: Sequence[AnecdoteRef],
    names: Mapping[str, str],
    t: Mapping[str, str],
) -> tuple[PracticeSection, ...]:
    kind_labels = {k: t[f"kind.{k}"] for k in KINDS}
    sections = []
    rows = frame.to_dict("records") if frame is not None and len(frame) else []
    for row in rows:
        code = str(row["code"])
        members = [a for a in anecdotes if a.practice == code]
        sections.append(
            PracticeSection(
                code=code,
                name=names.get(code, code),  # the framework's name, translated
                definition=_text(row.get("definition")) or "",
                count=len(members),
                kinds=_counts(KINDS, kind_labels, [a.kind or "" for a in members]),
                strengths=tuple(a for a in members if a.kind == "succes")[:_EXAMPLES_PER_PRACTICE],
                weak_spots=tuple(a for a in members if a.kind == "knelpunt")[
                    :_EXAMPLES_PER_PRACTICE
                ],
            )
        )
    return tuple(sections)


def _change_rows(
    keys: Sequence[str],
    labels: Mapping[str, str],
    first: Sequence[str],
    second: Sequence[str],
) -> tuple[ChangeRow, ...]:
    c1, c2 = Counter(first), Counter(second)
    rows = []
    for key in keys:
        s1, s2 = _share(c1[key], len(first)), _share(c2[key], len(second))
        rows.append(
            ChangeRow(key, labels.get(key, key), c1[key], s1, c2[key], s2, round(s2 - s1, 4))
        )
    return tuple(rows)


def _change(
    anecdotes: Sequence[AnecdoteRef],
    themes: Sequence[ThemeSection],
    practice_names: Mapping[str, str],
    t: Mapping[str, str],
) -> VisitChange:
    visits = sorted({a.visit for a in anecdotes if a.visit is not None})
    if len(visits) < 2:
        return VisitChange(
            available=False,
            first=visits[0] if visits else None,
            second=None,
            left_out=sum(a.visit is None for a in anecdotes),
            total=len(anecdotes),
        )
    v1, v2 = visits[0], visits[1]
    first = [a for a in anecdotes if a.visit == v1]
    second = [a for a in anecdotes if a.visit == v2]
    left_out = len(anecdotes) - len(first) - len(second)
    by_theme = _change_rows(
        [th.label for th in themes],
        {},
        [a.theme_label or "" for a in first],
        [a.theme_label or "" for a in second],
    )
    return VisitChange(
        available=True,
        first=v1,
        second=v2,
        by_practice=_change_rows(
            list(practice_names),
            practice_names,
            [a.practice or NO_PRACTICE for a in first],
            [a.practice or NO_PRACTICE for a in second],
        ),
        by_kind=_change_rows(
            KINDS,
            {k: t[f"kind.{k}"] for k in KINDS},
            [a.kind or "" for a in first],
            [a.kind or "" for a in second],
        ),
        themes_rose=tuple(
            sorted((r for r in by_theme if r.delta > 0), key=lambda r: (-r.delta, r.key))
        )[:_THEMES_CHANGED],
        themes_fell=tuple(
            sorted((r for r in by_theme if r.delta < 0), key=lambda r: (r.delta, r.key))
        )[:_THEMES_CHANGED],
        left_out=left_out,
        total=len(anecdotes),
    )


def _flatten(settings: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    out = []
    for key in sorted(settings, key=str):
        value = settings[key]
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.extend(_flatten(value, name + "."))
        elif isinstance(value, str):
            out.append((name, value))
        else:
            out.append((name, json.dumps(_jsonable(value), ensure_ascii=False, sort_keys=True)))
    return out


def _appendix(
    reports: Mapping[str, Mapping[str, Any]],
    anecdotes: Sequence[AnecdoteRef],
    settings: Mapping[str, Any],
) -> Appendix:
    per_report = Counter(a.report_id for a in anecdotes)
    versions = settings.get("versions") or {}
    seed = settings.get("seed", settings.get("random_state"))
    return Appendix(
        reports=tuple(
            ReportRow(
                id=r["id"],
                source=r["source"],
                format=r["format"],
                initiative=r["initiative"],
                visit=r["visit"],
                date=r["date"],
                anecdotes=per_report[r["id"]],
            )
            for r in reports.values()
        ),
        settings=tuple(
            (k, v)
            for k, v in _flatten(settings)
            if not k.startswith("versions.") and k != "versions"
        ),
        seed=None if seed is None else str(seed),
        versions=tuple(_flatten(versions)) if isinstance(versions, Mapping) else (),
    )


def _labels(frame: pd.DataFrame, anecdotes: Sequence[AnecdoteRef]) -> tuple[LabelRow, ...]:
    if frame is None or not len(frame):
        return ()
    refs = {a.id: a.ref for a in anecdotes}
    rows = []
    for row in frame.to_dict("records"):
        aid = str(row.get("anecdote_id"))
        confidence = _clean(row.get("confidence"))
        rows.append(
            LabelRow(
                ref=refs.get(aid, ""),
                anecdote_id=aid,
                code=str(_clean(row.get("code")) or ""),
                coder=str(_clean(row.get("coder")) or ""),
                source=str(_clean(row.get("source")) or ""),
                confidence=None if confidence is None else float(confidence),
                time=_time(row.get("time")),
            )
        )
    rows.sort(key=lambda r: (r.anecdote_id, r.coder, r.code, r.time or ""))
    return tuple(rows)


def _time(value: Any) -> str | None:
    value = _clean(value)
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _matrix(
    name: str,
    anecdotes: Sequence[AnecdoteRef],
    rows: Sequence[str],
    columns: Sequence[str],
    row_of: Any,
    column_of: Any,
) -> Matrix:
    counter = Counter((row_of(a), column_of(a)) for a in anecdotes)
    return Matrix(
        name=name,
        rows=tuple(rows),
        columns=tuple(columns),
        values=tuple(tuple(counter[(r, c)] for c in columns) for r in rows),
    )
