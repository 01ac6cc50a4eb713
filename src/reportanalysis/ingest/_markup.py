"""HTML (visible text only) and RTF (striprtf)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ..errors import CorruptFileError, UnsafeFileError
from ._decode import decode_bytes

__all__ = ["html_to_text", "read_html", "read_rtf"]

_HIDDEN = {
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "noscript",
    "template",
    "head",
    "svg",
    "iframe",
    "object",
    "button",
    "select",
}
_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "table",
    "tr",
    "blockquote",
    "pre",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "hr",
    "address",
    "form",
    "fieldset",
    "details",
    "summary",
    "body",
    "html",
}
_VOID = {
    "br",
    "hr",
    "img",
    "input",
    "meta",
    "link",
    "area",
    "base",
    "col",
    "embed",
    "source",
    "wbr",
}
_ENTITY_DECL = re.compile(rb"<!ENTITY|<!DOCTYPE[^>]*\[", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.hidden = 0
        self.pre = 0
        self.lists: list[list[int | None]] = []  # per open list: [counter] or [None] for ul
        self.in_cell = False

    def _flush(self) -> None:
        text = "".join(self.current)
        if not self.pre:
            text = re.sub(r"\s+", " ", text).strip()
        if text.strip():
            self.lines.append(text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            if tag not in _VOID:
                self.hidden += 1
            return
        if self.hidden:
            return
        if tag == "br":
            self._flush()
        elif tag in ("td", "th"):
            if self.in_cell:
                self.current.append(" | ")
            self.in_cell = True
        elif tag in _BLOCK:
            self._flush()
            if tag == "tr":
                self.in_cell = False
            elif tag == "pre":
                self.pre += 1
            elif tag in ("ul", "ol"):
                self.lists.append([0 if tag == "ol" else None])
            elif tag == "li":
                marker = "- "
                if self.lists and self.lists[-1][0] is not None:
                    self.lists[-1][0] += 1  # type: ignore[operator]
                    marker = f"{self.lists[-1][0]}. "
                indent = "  " * max(len(self.lists) - 1, 0)
                self.current.append(indent + marker)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
            return
        if self.hidden:
            return
        if tag in _BLOCK:
            self._flush()
            if tag == "pre":
                self.pre = max(self.pre - 1, 0)
            elif tag in ("ul", "ol") and self.lists:
                self.lists.pop()
            elif tag == "tr":
                self.in_cell = False

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_to_text(markup: str) -> str:
    """The visible text of an HTML document, one block element per line.

    >>> html_to_text("<nav>menu</nav><h1>Verslag</h1><p>Het &amp; <b>ging</b> goed.</p>"
    ...              "<ul><li>a</li></ul>")
    'Verslag\\nHet & ging goed.\\n- a'
    """
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return "\n".join(parser.lines)


def read_html(data: bytes, source: str) -> tuple[str, str]:
    """``(text, encoding)`` of an HTML file; entity declarations are refused, never expanded."""
    if _ENTITY_DECL.search(data[:65536]):
        raise UnsafeFileError(source, "declares XML entities or an internal DTD, which are refused")
    m = _META_CHARSET.search(data[:4096])
    text: str | None = None
    encoding = ""
    if m and not data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        encoding = m.group(1).decode("ascii").lower()
        try:
            text = data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text, encoding = decode_bytes(data, source)
    return html_to_text(text), encoding


def read_rtf(data: bytes, source: str) -> str:
    """The text of an RTF file (striprtf; ``\\'xx`` escapes decoded with the file's code page)."""
    head = data.lstrip()[:5]
    if head != b"{\\rtf":
        raise CorruptFileError(source, "does not start like an RTF file ({\\rtf)")
    from striprtf.striprtf import rtf_to_text

    m = re.search(rb"\\ansicpg(\d+)", data[:4096])
    codepage = f"cp{m.group(1).decode()}" if m else "cp1252"
    try:
        "".encode(codepage)
    except LookupError:
        codepage = "cp1252"
    try:
        text = rtf_to_text(data.decode("latin-1"), encoding=codepage, errors="replace")
    except Exception as exc:  # striprtf is a regex machine: any failure means a broken file
        raise CorruptFileError(source, f"is a broken RTF file ({exc})") from None
    return "\n".join(line.rstrip() for line in text.splitlines()).strip("\n")
