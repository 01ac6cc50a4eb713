"""REFI-QDA codebooks (``.qdc``): codes with hierarchy, colours and descriptions.

:func:`read_qdc` reads what QDA tools write (any namespace version, BOMs, an empty ``<Sets/>``
as Taguette writes it); :func:`export_qdc` writes a file that validates against the REFI-QDA
``Codebook.xsd``. A code's definition is its ``Description``; inclusion and exclusion notes and
examples follow the definition under a heading each, so other tools show them and a round trip
keeps them::

    >>> import tempfile, pathlib
    >>> from reportanalysis.model import Code, Codebook
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "codes.qdc"
    >>> book = Codebook((Code("relaties", "Werken aan relaties", color="#1F77B4"),
    ...                  Code("vertrouwen", "Wederzijds vertrouwen", parent="relaties",
    ...                       examples=("Anneke belt zelf terug.",))), name="codes")
    >>> export_qdc(book, path)
    >>> read_qdc(path) == book
    True

Code GUIDs are derived from the code names (:func:`stable_guid`), so exporting twice writes the
same bytes.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import ConfigError, InputError, UnsafeFileError
from ..model import Code, Codebook
from .safety import child, children, local_name, parse_xml

__all__ = [
    "CODEBOOK_NS",
    "ORIGIN",
    "CodeTree",
    "codes_element",
    "export_qdc",
    "normalise_guid",
    "read_codes",
    "read_qdc",
    "stable_guid",
    "xml_text",
]

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = f"reportanalysis {__version__}"
_NAMESPACE = uuid.UUID("6f0b7c52-3d7e-5a53-9a8e-7265706f7274")  # fixed: GUIDs never change
_COLOR = re.compile(r"^#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
_SECTIONS = (("inclusion", "Inclusie:"), ("exclusion", "Exclusie:"), ("examples", "Voorbeelden:"))


def stable_guid(kind: str, *parts: str) -> str:
    """A GUID derived from our ids (uuid5), the same on every export.

    >>> stable_guid("code", "vertrouwen") == stable_guid("code", "vertrouwen")
    True
    """
    return str(uuid.uuid5(_NAMESPACE, "\x1f".join((kind, *parts))))


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    """``value`` with characters XML cannot hold (form feeds from PDFs …) made spaces.

    >>> xml_text("pagina 1\x0cpagina 2")
    'pagina 1 pagina 2'
    """
    return _NOT_XML.sub(" ", value)


def normalise_guid(value: str | None) -> str:
    """GUIDs compare without braces and case: ``{ABC…}`` and ``abc…`` are the same."""
    return (value or "").strip().strip("{}").lower()


# --------------------------------------------------------------------------- descriptions


def describe(code: Code) -> str:
    """A code's ``Description``: the definition, then inclusion, exclusion and examples."""
    parts = [code.definition] if code.definition else []
    if code.inclusion:
        parts.append(f"Inclusie: {code.inclusion}")
    if code.exclusion:
        parts.append(f"Exclusie: {code.exclusion}")
    if code.examples:
        parts.append("Voorbeelden:\n" + "\n".join(f"- {e}" for e in code.examples))
    return "\n\n".join(parts)


def _parse_description(text: str) -> dict[str, Any]:
    """Inverse of :func:`describe`; a description without headings is all definition."""
    text = text.replace("\r\n", "\n").strip()
    fields: dict[str, Any] = {"definition": text}
    blocks = text.split("\n\n")
    definition: list[str] = []
    found: dict[str, Any] = {}
    for block in blocks:
        for key, head in _SECTIONS:
            if block.startswith(head) and key not in found:
                body = block[len(head) :].strip()
                if key == "examples":
                    found[key] = tuple(
                        line[2:].strip() if line.startswith("- ") else line.strip()
                        for line in body.split("\n")
                        if line.strip()
                    )
                else:
                    found[key] = body
                break
        else:
            if found:  # text after a heading block: not our layout, keep it all as definition
                return fields
            definition.append(block)
    if found:
        fields = {"definition": "\n\n".join(definition), **found}
    return fields


# --------------------------------------------------------------------------- reading


@dataclass
class CodeTree:
    """Codes read from a ``<Codes>`` element: the codebook, GUID → code name, and sets."""

    codes: list[Code] = field(default_factory=list)
    by_guid: dict[str, str] = field(default_factory=dict)
    codable: dict[str, bool] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def codebook(self, name: str) -> Codebook:
        return Codebook(tuple(self.codes), name=name)


def read_codes(codes_element: Any, source: str) -> CodeTree:
    """Walk a ``<Codes>`` element (of a project or a codebook) into a :class:`CodeTree`.

    Names must be unique in our codebooks: a name that repeats under another parent becomes
    ``parent/name`` (and a note says so).
    """
    tree = CodeTree()
    taken: set[str] = set()

    def walk(element: Any, parent: str | None) -> None:
        for node in children(element, "Code"):
            raw = (node.get("name") or "").strip()
            guid = normalise_guid(node.get("guid"))
            name = raw or f"code {guid[:8]}"
            if name in taken:
                name = f"{parent}/{raw}" if parent else raw
                n = 2
                base = name
                while name in taken:
                    name = f"{base} ({n})"
                    n += 1
                tree.notes.append(f"code {raw!r} appears more than once; one is now {name!r}")
            taken.add(name)
            description = child(node, "Description")
            fields = _parse_description(description.text or "") if description is not None else {}
            color = (node.get("color") or "").strip() or None
            if color and not _COLOR.match(color):
                tree.notes.append(f"code {name!r}: colour {color!r} is not #RRGGBB; left out")
                color = None
            tree.codes.append(Code(name=name, parent=parent, color=color, **fields))
            if guid:
                tree.by_guid[guid] = name
            tree.codable[name] = (node.get("isCodable") or "true").strip().lower() in ("true", "1")
            walk(node, name)

    walk(codes_element, None)
    return tree


def read_sets(sets_element: Any | None) -> list[tuple[str, list[str], list[str]]]:
    """``(name, member code GUIDs, member source GUIDs)`` of each ``<Set>``; none is fine."""
    if sets_element is None:
        return []
    out = []
    for node in children(sets_element, "Set"):
        codes = [
            normalise_guid(m.get("targetGUID") or m.get("guid"))
            for m in children(node, "MemberCode")
        ]
        sources = [normalise_guid(m.get("targetGUID")) for m in children(node, "MemberSource")]
        out.append((node.get("name") or "", codes, sources))
    return out


def _read_root(path: Path) -> Any:
    if not path.is_file():
        raise ConfigError(f"{path}: codebook file not found")
    return parse_xml(path.read_bytes(), str(path))


def read_qdc_tree(path: str | Path) -> tuple[CodeTree, list[tuple[str, list[str], list[str]]]]:
    """The codes and code sets of a ``.qdc`` file (see :func:`read_qdc`)."""
    path = Path(path)
    root = _read_root(path)
    if local_name(root) not in ("CodeBook", "Codebook"):
        raise ConfigError(f"{path}: not a REFI-QDA codebook (root element <{local_name(root)}>)")
    codes = child(root, "Codes")
    if codes is None:
        raise ConfigError(f"{path}: the codebook has no <Codes>")
    return read_codes(codes, str(path)), read_sets(child(root, "Sets"))


def read_qdc(path: str | Path, *, name: str | None = None) -> Codebook:
    """Read a REFI-QDA codebook (``.qdc``) from any QDA tool.

    Namespaces are ignored (``urn:QDA-XML:codebook:1.0`` and ``…:1:0`` alike); an empty
    ``<Sets/>`` is accepted; code sets are not part of a :class:`Codebook` and are left out.
    The codebook is called ``name``, else after the file's stem. Unsafe XML raises
    UnsafeFileError, other wrong input ConfigError naming the file.
    """
    path = Path(path)
    try:
        tree, _ = read_qdc_tree(path)
        return tree.codebook(name or path.stem)
    except UnsafeFileError:
        raise
    except InputError as exc:
        raise ConfigError(str(exc)) from exc
    except ValueError as exc:
        raise ConfigError(f"{path}: {exc}") from exc


# --------------------------------------------------------------------------- writing


def _ordered(codes: Sequence[Code]) -> dict[str | None, list[Code]]:
    kids: dict[str | None, list[Code]] = {}
    for code in codes:
        kids.setdefault(code.parent, []).append(code)
    return kids


def codes_element(codes: Iterable[Code], namespace: str, *, codable: set[str] | None = None) -> Any:
    """A ``<Codes>`` element (in ``namespace``) with the hierarchy nested; GUIDs from names.

    Every code is codable unless ``codable`` is given and leaves it out.
    """
    from lxml import etree

    kids = _ordered(list(codes))
    ns = f"{{{namespace}}}"
    root = etree.Element(ns + "Codes", nsmap={None: namespace})

    def add(parent_el: Any, parent: str | None) -> None:
        for code in kids.get(parent, []):
            attrs = {
                "guid": stable_guid("code", code.name),
                "name": xml_text(code.name),
                "isCodable": "true" if codable is None or code.name in codable else "false",
            }
            if code.color and _COLOR.match(code.color):
                attrs["color"] = code.color
            el = etree.SubElement(parent_el, ns + "Code", attrs)
            text = describe(code)
            if text:
                etree.SubElement(el, ns + "Description").text = xml_text(text)
            add(el, code.name)

    add(root, None)
    return root


def export_qdc(codebook: Codebook | Any, path: str | Path, *, name: str | None = None) -> None:
    """Write a REFI-QDA codebook (``.qdc``) that validates against ``Codebook.xsd``.

    ``codebook``: a :class:`Codebook`, or a :class:`~reportanalysis.project.Project` (its
    codebook ``name``, else the one saved last, plus every code its labels use).
    """
    from lxml import etree

    if not isinstance(codebook, Codebook):
        from .qdpx import project_codebook

        codebook = project_codebook(codebook, name)
    if not len(codebook):
        raise ConfigError(f"{path}: codebook {codebook.name!r} has no codes to export")
    root = etree.Element(
        f"{{{CODEBOOK_NS}}}CodeBook", {"origin": ORIGIN}, nsmap={None: CODEBOOK_NS}
    )
    root.append(codes_element(codebook.codes, CODEBOOK_NS))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    )
