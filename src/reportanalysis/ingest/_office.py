"""Word (.docx, python-docx) and OpenDocument (.odt, odfpy) text in reading order.

Paragraphs, headings, list items (``- `` or their number) and table rows (cells joined with
`` | ``) come out in document order, one per line.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from ..errors import CorruptFileError, EncryptedFileError
from ._safety import DEFAULT_LIMITS, Limits, open_zip, read_member

__all__ = ["read_docx", "read_odt", "safe_container"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def safe_container(data: bytes, source: str, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """Check an Office zip container (sizes, ratios, names, DTDs) before a library parses it."""
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise EncryptedFileError(
            source, "is password-protected (or an old binary Office file); save it without one"
        )
    zf = open_zip(data, source, limits)
    with zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            read_member(zf, info, source, limits, xml=info.filename.endswith((".xml", ".rels")))
    return data


def _numbering_formats(document: object) -> dict[tuple[str, str], str]:
    """``(numId, ilvl) → numFmt`` from the numbering part (``bullet``, ``decimal`` …)."""
    formats: dict[tuple[str, str], str] = {}
    try:
        numbering = document.part.numbering_part.element  # type: ignore[attr-defined]
    except (KeyError, AttributeError, NotImplementedError):
        return formats
    abstract: dict[str, dict[str, str]] = {}
    for an in numbering.findall(f"{_W}abstractNum"):
        levels = {}
        for lvl in an.findall(f"{_W}lvl"):
            fmt = lvl.find(f"{_W}numFmt")
            levels[lvl.get(f"{_W}ilvl", "0")] = fmt.get(f"{_W}val") if fmt is not None else ""
        abstract[an.get(f"{_W}abstractNumId", "")] = levels
    for num in numbering.findall(f"{_W}num"):
        ref = num.find(f"{_W}abstractNumId")
        if ref is None:
            continue
        for ilvl, fmt in abstract.get(ref.get(f"{_W}val", ""), {}).items():
            formats[(num.get(f"{_W}numId", ""), ilvl)] = fmt or ""
    return formats


def _style_info(document: object, style_id: str | None) -> tuple[str, tuple[str, str] | None]:
    """``(lower-case style name, (numId, ilvl) or None)`` of a paragraph style and its bases."""
    style = document.styles.default(1) if style_id is None else None  # type: ignore[attr-defined]
    if style_id is not None:
        try:
            style = document.styles.get_by_id(style_id, 1)  # type: ignore[attr-defined]
        except (KeyError, ValueError):
            style = None
    name = (style.name or "").lower() if style is not None else ""
    numpr = None
    while numpr is None and style is not None:
        sppr = style.element.pPr
        numpr = sppr.numPr if sppr is not None else None
        style = style.base_style
    return name, _num_key(numpr)


def _num_key(numpr: object) -> tuple[str, str] | None:
    if numpr is None or numpr.numId is None:  # type: ignore[attr-defined]
        return None
    ilvl = numpr.ilvl.val if numpr.ilvl is not None else 0  # type: ignore[attr-defined]
    return str(numpr.numId.val), str(ilvl)  # type: ignore[attr-defined]


_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SKIP_ANCESTORS = (f"{_W}del", f"{_W}moveFrom", f"{_W}pPr", f"{_W}rPr", f"{_MC}Fallback")


def _paragraph_text(p: Any) -> str:
    """A paragraph's visible text: runs, hyperlinks, tracked insertions, fields, tabs, breaks.

    Deleted text (tracked changes) and the fallback copies of alternate content are left out.
    """
    out: list[str] = []
    for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}noBreakHyphen"):
        if any(a.tag in _SKIP_ANCESTORS for a in el.iterancestors()):
            continue
        tag = el.tag
        if tag == f"{_W}t":
            out.append(el.text or "")
        elif tag == f"{_W}tab":
            out.append("\t")
        elif tag == f"{_W}noBreakHyphen":
            out.append("-")
        elif el.get(f"{_W}type") not in ("page", "column"):
            out.append("\n")
    return "".join(out)


def read_docx(data: bytes, source: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """The text of a .docx, in reading order (body XML children), lines joined with ``\\n``."""
    safe_container(data, source, limits)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise CorruptFileError(source, f"is not a readable Word document ({exc})") from None
    except Exception as exc:  # python-docx/lxml raise many kinds on broken parts
        raise CorruptFileError(source, f"is not a readable Word document ({exc})") from None
    formats = _numbering_formats(document)
    counters: dict[tuple[str, str], int] = {}
    lines: list[str] = []

    styles: dict[str | None, tuple[str, tuple[str, str] | None]] = {}

    def paragraph_line(par: Paragraph) -> str:
        text = _paragraph_text(par._p)
        p = par._p
        style_id = p.style
        if style_id not in styles:
            styles[style_id] = _style_info(document, style_id)
        style, num = styles[style_id]
        ppr = p.pPr
        own = _num_key(ppr.numPr) if ppr is not None and ppr.numPr is not None else None
        num = own or num
        if num is None and not style.startswith("list"):
            return text
        if not text.strip():
            return text
        fmt = formats.get(num, "") if num else ""
        level = int(num[1]) if num else 0
        if fmt in ("bullet", "none", "") and not (fmt == "" and "number" in style):
            return "  " * level + "- " + text
        key = num or ("style", style)
        counters[key] = counters.get(key, 0) + 1  # type: ignore[index]
        for other in list(counters):  # deeper levels of the same list restart
            if num and other[0] == num[0] and other[1] > num[1]:
                del counters[other]
        return "  " * level + f"{counters[key]}. " + text  # type: ignore[index]

    def table_lines(table: Table) -> None:
        for row in table.rows:
            cells: list[str] = []
            seen: set[int] = set()
            for cell in row.cells:
                if id(cell._tc) in seen:  # a merged cell is returned once per grid column
                    continue
                seen.add(id(cell._tc))
                cells.append(" ".join(p.text for p in cell.paragraphs if p.text).strip())
            if any(cells):
                lines.append(" | ".join(cells))

    def walk(parent_el: Any, parent: Any) -> None:
        for child in parent_el.iterchildren():  # type: ignore[attr-defined]
            tag = child.tag
            if tag == f"{_W}p":
                lines.append(paragraph_line(Paragraph(child, parent)))
            elif tag == f"{_W}tbl":
                table_lines(Table(child, parent))
            elif tag == f"{_W}sdt":
                content = child.find(f"{_W}sdtContent")
                if content is not None:
                    walk(content, parent)

    walk(document.element.body, document._body)
    return "\n".join(lines)


def read_odt(data: bytes, source: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """The text of an .odt: headings, paragraphs, list items and table rows in order."""
    safe_container(data, source, limits)
    from odf import teletype
    from odf.opendocument import load

    try:
        document = load(io.BytesIO(data))
    except Exception as exc:  # odfpy raises bare KeyError/SAX errors on broken files
        raise CorruptFileError(source, f"is not a readable OpenDocument text ({exc})") from None
    lines: list[str] = []

    def walk(node: object, depth: int, in_list: bool) -> None:
        for child in node.childNodes:  # type: ignore[attr-defined]
            name = getattr(child, "qname", None)
            if not name:
                continue
            tag = name[1]
            if tag in ("h", "p"):
                text = teletype.extractText(child)
                lines.append(("  " * max(depth - 1, 0) + "- " + text) if in_list else text)
                in_list = False if in_list else in_list
            elif tag == "list":
                walk(child, depth + 1, False)
            elif tag in ("list-item", "list-header"):
                walk(child, depth, True)
            elif tag == "table":
                for row in child.getElementsByType(_odf_row()):
                    cells = [
                        " ".join(teletype.extractText(p) for p in cell.childNodes).strip()
                        for cell in row.childNodes
                        if getattr(cell, "qname", ("", ""))[1] == "table-cell"
                    ]
                    if any(cells):
                        lines.append(" | ".join(cells))
            elif tag in ("section", "text", "body", "soft-page-break") or tag.endswith("-list"):
                walk(child, depth, in_list)

    walk(document.text, 0, False)
    return "\n".join(lines)


def _odf_row() -> object:
    from odf.table import TableRow

    return TableRow
