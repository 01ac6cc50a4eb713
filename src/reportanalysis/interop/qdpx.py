"""REFI-QDA projects (``.qdpx``): exchange reports, anecdotes, codes and labels with QDA tools.

:func:`export_qdpx` writes a ``.qdpx`` that NVivo, ATLAS.ti, MAXQDA, QualCoder … read: a zip
with ``project.qde`` (valid against the REFI-QDA ``Project.xsd``) and every report as a UTF-8
text file ``sources/<guid>.txt``. Codes keep their hierarchy, colour and definition; each coder
is a user; each label is a ``PlainTextSelection`` over its anecdote with one ``Coding`` by the
coder; an anecdote without labels is a selection without coding; report metadata become
variables. GUIDs are derived from our ids, so exporting twice (with the same ``time``) writes
the same bytes.

By default the export is pseudonymised like everything that circulates (the project's last run's
privacy settings, see :class:`~reportanalysis.privacy.Masking`): the source texts, their names,
the selections' names and descriptions and the text variables show pseudonyms, and the positions
point into the pseudonymised texts. Importing such a file (or what another tool made of it) into
a project that holds the original reports finds each report by its pseudonymised text and maps
the positions back onto the original. ``originals=True`` writes the original texts: a file to
treat like the project itself.

:func:`import_qdpx` reads what those tools write, tolerantly (any namespace version,
``sources/`` or ``Sources/``, any ``.qde`` name, BOMs, CRLF, one selection per code or several
codings per selection, codes that are folders and codable, sets). Positions are checked
against the selection's name where it holds the selected text; NVivo's UTF-16 counting is
detected and converted (see :mod:`.positions`). What could not be imported is listed in the
returned :class:`~.summary.ImportSummary`, with its reason.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from ..errors import CorruptFileError, UnknownItemError
from ..model import Anecdote, Code, Codebook, Label, Report
from .place import Span, merge_codebook, place_spans
from .positions import COUNTINGS, Counting, find_named, name_matches, normalise_space
from .qdc import (
    ORIGIN,
    CodeTree,
    codes_element,
    normalise_guid,
    read_codes,
    read_sets,
    stable_guid,
    xml_text,
)
from .safety import DEFAULT_LIMITS, Limits, SafeArchive, child, children, decode_text, local_name
from .safety import parse_xml as _parse_xml
from .summary import ImportSummary

if TYPE_CHECKING:
    from ..privacy import Masking
    from ..project import Project

__all__ = ["PROJECT_NS", "export_qdpx", "import_qdpx", "project_codebook"]

PROJECT_NS = "urn:QDA-XML:project:1.0"
_NS = f"{{{PROJECT_NS}}}"
#: Label sources that are not a coder's judgement (see ``labels.views.NOT_CODINGS``): a
#: suggestion or a rejected suggestion is no coding in another tool.
_NOT_CODINGS = frozenset({"suggested", "suggested-rejected"})
_DOC_SUFFIXES = {".txt", ".docx", ".doc", ".pdf", ".rtf", ".odt", ".md", ".html", ".htm"}


# =========================================================================== export


def project_codebook(project: Project, name: str | None = None) -> Codebook:
    """The project's codebook ``name`` (else the one saved last, else none) plus every code its
    labels use that the codebook lacks (appended at the top level)."""
    try:
        book = project.codebook(name) if (name or project.codebooks()) else Codebook()
    except UnknownItemError:
        if name is not None:
            raise
        book = Codebook()
    codes = list(book.codes)
    known = set(book.names)
    for label in project.labels():
        if label.code not in known and label.source not in _NOT_CODINGS:
            codes.append(Code(label.code))
            known.add(label.code)
    return Codebook(tuple(codes), name=book.name if len(book) else project.path.stem)


def _stamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _variable_type(values: Sequence[Any]) -> str:
    if all(isinstance(v, bool) for v in values):
        return "Boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "Integer"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "Float"
    return "Text"


def _variables(reports: Sequence[Report]) -> dict[str, str]:
    """Metadata keys that can travel as REFI variables, with their type."""
    values: dict[str, list[Any]] = {}
    for report in reports:
        for key, value in report.metadata.items():
            if isinstance(value, str | int | float | bool) and value == value:  # no NaN
                values.setdefault(str(key), []).append(value)
    return {key: _variable_type(vals) for key, vals in sorted(values.items())}


def _value_element(kind: str, value: Any) -> tuple[str, str]:
    if kind == "Boolean":
        return "BooleanValue", "true" if value else "false"
    if kind == "Integer":
        return "IntegerValue", str(int(value))
    if kind == "Float":
        return "FloatValue", repr(float(value))
    return "TextValue", str(value)


def _add_selections(
    src: Any,
    anecdotes: Sequence[Anecdote],
    by_anecdote: dict[str, list[Label]],
    user_guid: dict[str, str],
    masking: Masking | None = None,
) -> None:
    """One PlainTextSelection per label (one Coding by the label's coder), and one without a
    coding for an anecdote without labels; the anecdote's section is the Description. With
    ``masking`` positions, names and descriptions are those of the pseudonymised text."""
    from lxml import etree

    for a in anecdotes:
        todo: list[Label | None] = [
            *sorted(by_anecdote.get(a.id, []), key=lambda lb: (lb.code, lb.coder))
        ]
        start, end, text, section, aid = a.start, a.end, a.text, a.section, a.id
        if masking is not None:
            start, end = masking.span(a.report_id, a.start, a.end)
            text = masking.by_report[a.report_id].text[start:end]
            section = masking.mask(a.section) if a.section else a.section
            aid = Anecdote.make_id(masking.report_id(a.report_id), start, end)
        for label in todo or [None]:
            ident = (aid,) if label is None else (aid, label.code, label.coder)
            attrs = {
                "guid": stable_guid("selection", *ident),
                "name": xml_text(text),
                "startPosition": str(start),
                "endPosition": str(end),
            }
            if label is not None:
                attrs["creatingUser"] = user_guid[label.coder]
                attrs["creationDateTime"] = _stamp(label.time)
            sel = etree.SubElement(src, _NS + "PlainTextSelection", attrs)
            if section:
                etree.SubElement(sel, _NS + "Description").text = xml_text(section)
            if label is None:
                continue
            coding = etree.SubElement(
                sel,
                _NS + "Coding",
                {
                    "guid": stable_guid("coding", *ident),
                    "creatingUser": user_guid[label.coder],
                    "creationDateTime": _stamp(label.time),
                },
            )
            etree.SubElement(
                coding, _NS + "CodeRef", {"targetGUID": stable_guid("code", label.code)}
            )


def export_qdpx(
    project: Project | str | Path,
    path: str | Path,
    *,
    codebook: str | None = None,
    time: datetime | None = None,
    originals: bool = False,
) -> Path:
    """Write the project as a REFI-QDA ``.qdpx``; returns the path written.

    ``codebook`` names the codebook to export (default: the one saved last), ``time`` the
    creation time written into the file (default: now; fix it for byte-identical exports).
    Suggestions that were not accepted are no codings and are left out. Texts, report names
    and text variables are pseudonymised unless ``originals`` is True (or privacy was switched
    off for the project's last run).
    """
    from lxml import etree

    from ..privacy import project_masking
    from ..project import Project

    if not isinstance(project, Project):
        with Project.open(project) as opened:
            return export_qdpx(opened, path, codebook=codebook, time=time, originals=originals)
    masking = None if originals else project_masking(project)
    moment = time or datetime.now(UTC)
    stamp = _stamp(moment)
    book = project_codebook(project, codebook)
    reports = project.reports()
    anecdotes = project.anecdotes()
    labels = [lb for lb in project.labels() if lb.source not in _NOT_CODINGS]
    coders = sorted({lb.coder for lb in labels})
    user_guid = {c: stable_guid("user", c) for c in coders}

    root = etree.Element(
        _NS + "Project",
        {
            "name": xml_text(book.name),
            "origin": ORIGIN,
            "creationDateTime": stamp,
            "modifiedDateTime": stamp,
        },
        nsmap={None: PROJECT_NS},
    )
    if coders:
        users = etree.SubElement(root, _NS + "Users")
        for c in coders:
            etree.SubElement(users, _NS + "User", {"guid": user_guid[c], "name": xml_text(c)})
    if len(book):
        etree.SubElement(root, _NS + "CodeBook").append(codes_element(book.codes, PROJECT_NS))
    variables = _variables(reports)
    if variables:
        var_el = etree.SubElement(root, _NS + "Variables")
        for key, kind in variables.items():
            etree.SubElement(
                var_el,
                _NS + "Variable",
                {
                    "guid": stable_guid("variable", key),
                    "name": xml_text(key),
                    "typeOfVariable": kind,
                },
            )
    members: dict[str, bytes] = {}
    if reports:
        sources = etree.SubElement(root, _NS + "Sources")
        by_report: dict[str, list[Any]] = {}
        for a in anecdotes:
            by_report.setdefault(a.report_id, []).append(a)
        by_anecdote: dict[str, list[Label]] = {}
        for lb in labels:
            by_anecdote.setdefault(lb.anecdote_id, []).append(lb)
        for report in reports:
            name, text, metadata = report.id, report.text, report.metadata
            if masking is not None:
                name = masking.report_id(report.id)
                text = masking.by_report[report.id].text
                metadata = masking.mask_metadata(report.metadata)
            guid = stable_guid("source", name)
            members[f"sources/{guid}.txt"] = text.encode("utf-8")
            src = etree.SubElement(
                sources,
                _NS + "TextSource",
                {
                    "guid": guid,
                    "name": xml_text(name),
                    "plainTextPath": f"internal://{guid}.txt",
                    "creationDateTime": stamp,
                },
            )
            _add_selections(src, by_report.get(report.id, []), by_anecdote, user_guid, masking)
            for key, kind in variables.items():
                value = metadata.get(key)
                if not isinstance(value, str | int | float | bool) or value != value:
                    continue
                if kind != "Text" and isinstance(value, str):
                    continue
                vv = etree.SubElement(src, _NS + "VariableValue")
                etree.SubElement(
                    vv, _NS + "VariableRef", {"targetGUID": stable_guid("variable", key)}
                )
                tag, text = _value_element(kind, value)
                etree.SubElement(vv, _NS + tag).text = xml_text(text)
    qde = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    stamp_zip = moment.astimezone(UTC).timetuple()[:6]
    stamp_zip = (max(1980, stamp_zip[0]), *stamp_zip[1:])
    tmp = path.with_name(path.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in [("project.qde", qde), *sorted(members.items())]:
            info = zipfile.ZipInfo(name, date_time=stamp_zip)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    tmp.replace(path)
    return path


# =========================================================================== import


@dataclass
class _Selection:
    guid: str
    name: str
    start: int
    end: int
    user: str
    codes: list[tuple[str, str]] = field(default_factory=list)  # (code guid, user guid)
    description: str = ""


@dataclass
class _Source:
    guid: str
    name: str
    text: str
    user: str
    selections: list[_Selection]
    metadata: dict[str, Any]


class _Reader:
    """One import: the archive, the parsed project, and the summary being filled."""

    def __init__(self, archive: SafeArchive, summary: ImportSummary) -> None:
        self.archive = archive
        self.source = str(archive.path)
        self.summary = summary

    # ------------------------------------------------------------------ members

    def project_xml(self) -> Any:
        qdes = [i for i in self.archive if i.filename.casefold().endswith(".qde")]
        if not qdes:
            raise CorruptFileError(self.source, "holds no project.qde: is it a REFI-QDA .qdpx?")
        qdes.sort(
            key=lambda i: (
                PurePosixPath(i.filename).name.casefold() != "project.qde",
                i.filename.count("/"),
                i.filename,
            )
        )
        info = qdes[0]
        if len(qdes) > 1:
            self.summary.note(f"several .qde files; read {info.filename!r}")
        root = _parse_xml(self.archive.read(info), self.source, info.filename)
        if local_name(root) != "Project":
            raise CorruptFileError(
                self.source,
                f"member {info.filename!r} is not a REFI-QDA project "
                f"(root element <{local_name(root)}>)",
            )
        return root

    def member_text(self, uri: str, what: str) -> str | None:
        """Text of ``internal://name``; None (and a skip of ``what``, if given) when it is not
        in the archive."""
        scheme, _, rest = uri.partition("://")
        if scheme.casefold() != "internal":
            if what:
                self.summary.skip(what, f"its text lies outside the archive ({uri}); not read")
            return None
        rest = rest.replace("\\", "/").lstrip("/")
        info = self.archive.find(f"sources/{rest}") or self.archive.find(rest)
        if info is None:
            base = PurePosixPath(rest).name.casefold()
            found = [i for i in self.archive if PurePosixPath(i.filename).name.casefold() == base]
            info = found[0] if found else None
        if info is None:
            if what:
                self.summary.skip(what, f"the archive holds no {uri}")
            return None
        text, encoding = decode_text(self.archive.read(info), self.source, info.filename)
        if encoding == "cp1252":
            self.summary.note(f"{what}: text is not UTF-8; read as Windows-1252")
        return text

    # ------------------------------------------------------------------ sources

    def text_source(self, el: Any, name: str) -> tuple[str, list[Any]] | None:
        what = f"source {name!r}"
        content = child(el, "PlainTextContent")
        path = el.get("plainTextPath")
        text = None
        if path:
            text = self.member_text(path, what if content is None else "")
        if text is None and content is not None:
            text = content.text or ""
        if text is None:
            if not path:
                self.summary.skip(what, "has no plain text (plainTextPath or PlainTextContent)")
            return None
        if text.startswith("\ufeff"):
            text = text[1:]
        if not text.strip():
            self.summary.skip(what, "its text is empty")
            return None
        return text, children(el, "PlainTextSelection")

    def sources(self, root: Any, variables: dict[str, tuple[str, str]]) -> list[_Source]:
        out: list[_Source] = []
        sources = child(root, "Sources")
        if sources is None:
            return out
        for el in sources:
            kind = local_name(el)
            guid = normalise_guid(el.get("guid"))
            name = (el.get("name") or guid or "source").strip()
            user = normalise_guid(el.get("creatingUser"))
            if kind == "TextSource":
                found = self.text_source(el, name)
            elif kind == "PDFSource":
                rep = child(el, "Representation")
                n_pdf = len(children(el, "PDFSelection"))
                if n_pdf:
                    self.summary.skip(
                        f"source {name!r}",
                        f"{n_pdf} selection(s) on PDF page areas: only text selections are read",
                    )
                if rep is None:
                    self.summary.skip(f"source {name!r}", "PDF without a plain-text representation")
                    continue
                found = self.text_source(rep, name)
            elif kind:
                self.summary.skip(f"source {name!r}", f"{kind}: only text sources are read")
                continue
            else:
                continue
            if found is None:
                continue
            text, selection_els = found
            if children(el, "Coding"):
                self.summary.skip(
                    f"source {name!r}",
                    f"{len(children(el, 'Coding'))} coding(s) of the whole document: "
                    "not an anecdote",
                )
            metadata = self.variable_values(el, variables)
            selections = [s for s in (self.selection(x, name) for x in selection_els) if s]
            out.append(_Source(guid, name, text, user, selections, metadata))
        return out

    def selection(self, el: Any, source_name: str) -> _Selection | None:
        guid = normalise_guid(el.get("guid"))
        try:
            start, end = int(el.get("startPosition")), int(el.get("endPosition"))
        except (TypeError, ValueError):
            self.summary.skip(
                f"selection {guid or '?'} in {source_name!r}", "has no numeric positions"
            )
            return None
        if start == end:
            self.summary.skip(f"selection {guid or start} in {source_name!r}", "selects nothing")
            return None
        description = child(el, "Description")
        sel = _Selection(
            guid=guid,
            name=el.get("name") or "",
            start=min(start, end),
            end=max(start, end),
            user=normalise_guid(el.get("creatingUser")),
            description=(description.text or "").strip() if description is not None else "",
        )
        for coding in children(el, "Coding"):
            ref = child(coding, "CodeRef")
            target = normalise_guid(ref.get("targetGUID") if ref is not None else None)
            sel.codes.append((target, normalise_guid(coding.get("creatingUser"))))
        return sel

    @staticmethod
    def variable_values(el: Any, variables: dict[str, tuple[str, str]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for vv in children(el, "VariableValue"):
            ref = child(vv, "VariableRef")
            name, _ = variables.get(
                normalise_guid(ref.get("targetGUID") if ref is not None else ""), ("", "")
            )
            for value_el in vv:
                kind = local_name(value_el)
                if kind == "VariableRef" or not name:
                    continue
                raw = (value_el.text or "").strip()
                try:
                    if kind == "BooleanValue":
                        out[name] = raw.lower() in ("true", "1")
                    elif kind == "IntegerValue":
                        out[name] = int(raw)
                    elif kind == "FloatValue":
                        out[name] = float(raw)
                    else:
                        out[name] = value_el.text or ""
                except ValueError:
                    out[name] = raw
        return out


# --------------------------------------------------------------------------- positions


def _countings(text: str, origin: str) -> list[Counting]:
    order = list(COUNTINGS)
    if "nvivo" in origin.casefold():
        order = sorted(order, key=lambda scheme: not scheme.startswith("utf16"))
    out, seen = [], set()
    for scheme in order:
        c = Counting(scheme, text)
        if c.signature not in seen:  # same counting as an earlier one for this text
            seen.add(c.signature)
            out.append(c)
    return out


def _span(c: Counting, start: int, end: int) -> tuple[int, int] | None:
    a, b = c.to_codepoints(start), c.to_codepoints(end)
    if a is None or b is None or a >= b:
        return None
    return a, b


_LABELS = {
    "codepoints": "code points (the REFI-QDA standard)",
    "utf16": "UTF-16 units (as NVivo counts)",
    "codepoints-lf": "code points with CRLF as one character",
    "utf16-lf": "UTF-16 units with CRLF as one character",
    "codepoints-crlf": "code points on CRLF line breaks",
    "utf16-crlf": "UTF-16 units on CRLF line breaks",
}


def resolve_positions(
    source: _Source, origin: str, summary: ImportSummary
) -> list[tuple[_Selection, int, int]]:
    """Map each selection of ``source`` onto ``str`` offsets, checking names where they hold
    the selected text; what was converted or moved goes to ``summary``."""
    text, what = source.text, f"source {source.name!r}"
    countings = _countings(text, origin)
    named = [s for s in source.selections if normalise_space(s.name)]

    def matches(c: Counting, s: _Selection) -> tuple[int, int] | None:
        span = _span(c, s.start, s.end)
        return span if span and name_matches(s.name, text[span[0] : span[1]]) else None

    scores = [sum(1 for s in named if matches(countings[0], s))]
    if scores[0] < len(named):  # the preferred counting leaves names unmatched: try the others
        scores += [sum(1 for s in named if matches(c, s)) for c in countings[1:]]
    best_i = max(range(len(scores)), key=lambda i: (scores[i], -i))
    best = countings[best_i]
    names_are_text = scores[best_i] > 0
    if best.differs:
        basis = f"{scores[best_i]} of {len(named)} selection names match" if named else "origin"
        summary.note(f"{what}: positions read as {_LABELS[best.scheme]} ({basis})")
    if named and not names_are_text:
        summary.note(f"{what}: selection names are not the selected text; positions not checked")
    out = []
    for s in source.selections:
        item = f"selection {s.guid or s.start} in {what}"
        span = _span(best, s.start, s.end)
        if names_are_text and normalise_space(s.name):
            if span and name_matches(s.name, text[span[0] : span[1]]):
                out.append((s, *span))
                continue
            other = next(
                ((c, m) for c in countings if c is not best and (m := matches(c, s))), None
            )
            if other:
                summary.note(f"{item}: read as {_LABELS[other[0].scheme]}, where its name matches")
                out.append((s, *other[1]))
                continue
            near = span[0] if span else min(s.start, len(text))
            length = span[1] - span[0] if span else s.end - s.start
            found = find_named(text, s.name, near, length)
            if found and name_matches(s.name, text[found[0] : found[1]]):
                summary.note(
                    f"{item}: positions {s.start}-{s.end} do not hold its text; "
                    f"found it at {found[0]}-{found[1]}"
                )
                out.append((s, *found))
                continue
            summary.skip(
                item,
                f"the text at {s.start}-{s.end} does not read {s.name[:40]!r} in any counting",
            )
            continue
        if span is None:
            span = next((sp for c in countings if (sp := _span(c, s.start, s.end))), None)
            if span is None:
                summary.skip(
                    item,
                    f"positions {s.start}-{s.end} lie outside the text ({len(text)} characters)",
                )
                continue
        out.append((s, *span))
    return out


# --------------------------------------------------------------------------- into the project


def _report_id(name: str, taken: set[str]) -> str:
    p = PurePosixPath(name.replace("\\", "/"))
    base = (p.stem if p.suffix.lower() in _DOC_SUFFIXES else p.name).strip() or "bron"
    rid, n = base, 2
    while rid in taken:
        rid = f"{base}-{n}"
        n += 1
    return rid


def import_qdpx(
    path: str | Path,
    project: Project | str | Path,
    *,
    default_coder: str = "import",
    limits: Limits = DEFAULT_LIMITS,
) -> ImportSummary:
    """Import a REFI-QDA project into ``project`` (a Project, or a path: created if missing).

    Text sources become reports (a report whose text is already in the project is reused),
    coded selections anecdotes and labels (see :mod:`.place` for overlapping selections),
    codes the codebook named after the project, users the coders (``default_coder`` when a
    coding names none). Returns what was imported and what was skipped, with reasons.
    UnsafeFileError for a hostile archive or XML, CorruptFileError for a broken one.
    """
    from ..ingest import parse_metadata
    from ..project import Project

    if not isinstance(project, Project):
        with Project.open_or_create(project) as opened:
            return import_qdpx(path, opened, default_coder=default_coder, limits=limits)
    path = Path(path)
    summary = ImportSummary(source=str(path))
    with SafeArchive(path, limits) as archive:
        reader = _Reader(archive, summary)
        root = reader.project_xml()
        origin = root.get("origin") or ""
        users: dict[str, str] = {}
        users_el = child(root, "Users")
        for u in children(users_el, "User") if users_el is not None else []:
            guid = normalise_guid(u.get("guid"))
            users[guid] = (u.get("name") or u.get("id") or f"user-{guid[:8]}").strip()
        codebook_el = child(root, "CodeBook")
        codes_el = child(codebook_el, "Codes") if codebook_el is not None else None
        tree = read_codes(codes_el, str(path)) if codes_el is not None else CodeTree()
        for n in tree.notes:
            summary.note(n)
        variables: dict[str, tuple[str, str]] = {}
        variables_el = child(root, "Variables")
        for v in children(variables_el, "Variable") if variables_el is not None else []:
            variables[normalise_guid(v.get("guid"))] = (
                v.get("name") or "",
                v.get("typeOfVariable") or "",
            )
        sources = reader.sources(root, variables)
    sets = read_sets(child(root, "Sets"))
    project_user = normalise_guid(root.get("creatingUserGUID"))

    def coder(*guids: str) -> str:
        for g in guids:
            if g:
                if g not in users:
                    users[g] = f"user-{g[:8]}"
                    summary.note(f"user {g} is not in <Users>; called {users[g]!r}")
                return users[g]
        return default_coder

    # document sets travel as report metadata
    doc_sets: dict[str, list[str]] = {}
    for set_name, _, members in sets:
        for m in members:
            doc_sets.setdefault(m, []).append(set_name)

    ours = origin.startswith("reportanalysis")  # our selection descriptions are sections
    before = project.reports()
    existing = {r.sha256: r.id for r in before}
    taken = {r.id for r in before}
    masked: list[tuple[Masking, dict[str, str]] | None] = []

    def pseudonymised() -> tuple[Masking, dict[str, str]] | None:
        """The project's pseudonymised reports (as its exports show them), by sha256."""
        from ..privacy import Masking, privacy_settings

        if not masked:
            params = privacy_settings(project) if before else None
            m = Masking.fit(before, **params) if params is not None else None
            masked.append((m, m.by_sha256()) if m is not None else None)
        return masked[0]

    spans: list[Span] = []
    mapped: list[str] = []
    for src in sources:
        metadata = {
            **parse_metadata(src.text),
            **src.metadata,
            "refi_guid": src.guid,
            "refi_origin": origin,
        }
        if src.guid in doc_sets:
            metadata["refi_sets"] = doc_sets[src.guid]
        report = Report(id="", source=f"{path.name}:{src.name}", format="qdpx", text=src.text)
        back = None  # the masking that maps this source's positions onto an original report
        found = pseudonymised() if report.sha256 not in existing else None
        if found is not None and report.sha256 in found[1]:
            back = found[0]
            rid = found[1][report.sha256]
            mapped.append(rid)
        if back is not None:
            pass
        elif report.sha256 in existing:
            rid = existing[report.sha256]
            summary.note(f"source {src.name!r}: same text as report {rid!r}; that report was used")
        else:
            rid = _report_id(src.name, taken)
            project.add_report(
                Report(
                    id=rid, source=report.source, format="qdpx", text=src.text, metadata=metadata
                )
            )
            existing[report.sha256] = rid
            taken.add(rid)
            summary.reports += 1
        for sel, start, end in resolve_positions(src, origin, summary):
            what = f"selection {sel.guid or sel.start} in source {src.name!r}"
            section = (sel.description or None) if ours else None
            if back is not None:
                start, end = back.to_original(rid, start, end)
                section = None  # a pseudonymised heading; the original is not known here
            spans.append(Span(rid, start, end, what=what, section=section))
            for code_guid, coding_user in sel.codes:
                code = tree.by_guid.get(code_guid)
                if code is None:
                    summary.skip(what, f"codes an unknown code {code_guid or '(none)'}")
                    continue
                who = coder(coding_user, sel.user, src.user, project_user)
                spans.append(Span(rid, start, end, code=code, coder=who, what=what))
    if mapped:
        summary.note(
            f"{len(mapped)} source(s) hold the pseudonymised text of a report of the project "
            f"({', '.join(mapped[:3])}{' …' if len(mapped) > 3 else ''}): their positions were "
            "mapped onto the original text"
        )
    # The codebook first, so the labels placed next are codes the project knows.
    if tree.codes:
        merge_codebook(project, tree.codebook((root.get("name") or path.stem).strip()), summary)
        summary.codes = len(tree.codes)
    place_spans(project, spans, summary)
    code_sets = {
        name: [tree.by_guid[g] for g in codes if g in tree.by_guid]
        for name, codes, _ in sets
        if codes
    }
    if code_sets:
        project.add_edit("refi-sets", "import", {"source": str(path), "code_sets": code_sets})
        summary.note(
            f"{len(code_sets)} code set(s) ({', '.join(code_sets)}) are kept in the project's "
            "edit log ('refi-sets'): codebooks have no sets"
        )
    summary.users = len({lb for lb in users.values()} | {s.coder for s in spans if s.coder})
    return summary
