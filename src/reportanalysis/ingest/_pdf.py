"""PDF text via pypdf's text layer, lines re-flowed into paragraphs.

A PDF stores lines, not paragraphs. We join the lines of a paragraph with a space, undo
end-of-line hyphenation (``samen-`` + ``werking`` → ``samenwerking``, but ``Noord-`` +
``Holland`` → ``Noord-Holland``) and collapse the extra spaces of justified text. A line ends a
paragraph when it is clearly shorter than the page's full lines, when the next line is a list
item, or at a blank line. Running headers and footers (a line that repeats at the top or
bottom of most pages, page numbers included: "Pagina 2 van 5") are left out, so they neither
become a section heading nor cut a paragraph that runs on to the next page.
"""

from __future__ import annotations

import io
import re
import statistics
from dataclasses import dataclass

from ..errors import CorruptFileError, EmptyReportError, EncryptedFileError, NoTextLayerError
from ._safety import DEFAULT_LIMITS, Limits

__all__ = ["read_pdf", "reflow"]

_BULLET = re.compile(r"^\s*(?:[-–•*▪◦·]|\d{1,2}[.)])\s+")
_SPACES = re.compile(r"[ \t\u00a0]{2,}")


def _join(left: str, right: str) -> str:
    if left.endswith("-") and len(left) > 1 and not left[-2].isspace():
        if left[-2].islower() and right[:1].islower():  # hyphenation: samen-|werking
            return left[:-1] + right
        return left + right  # a real hyphen at the line end: Noord-|Holland, 06-|12345678
    if left.endswith("\u00ad"):
        return left[:-1] + right
    return left + " " + right


def reflow(page_text: str) -> str:
    """Paragraphs from a page's lines: one paragraph per line of output.

    >>> reflow("De samen-\\nwerking in Noord-\\nHolland gaat  goed en wij zijn\\nblij mee.\\nKort.")
    'De samenwerking in Noord-Holland gaat goed en wij zijn blij mee.\\nKort.'
    """
    lines = [_SPACES.sub(" ", line).strip() for line in page_text.splitlines()]
    full = [len(line) for line in lines if line]
    if not full:
        return ""
    # The length of a full line: the upper quartile of line lengths on the page.
    width = statistics.quantiles(full, n=4)[2] if len(full) >= 4 else max(full)
    paragraphs: list[str] = []
    current = ""
    previous = ""
    for line in lines:
        if not line:
            if current:
                paragraphs.append(current)
            current, previous = "", ""
            continue
        starts_new = (
            not current
            or _BULLET.match(line) is not None
            or len(previous) < 0.75 * width
            and not previous.endswith(("-", ","))
        )
        if starts_new:
            if current:
                paragraphs.append(current)
            current = line
        else:
            current = _join(current, line)
        previous = line
    if current:
        paragraphs.append(current)
    return "\n".join(paragraphs)


@dataclass
class _Line:
    text: str
    y: float | None  # baseline height on the page (PDF units, up is larger)
    size: float
    page: int


def _page_lines(page: object, number: int) -> list[_Line]:
    """The page's lines with their height and font size, from pypdf's text visitor."""
    lines: list[_Line] = []
    parts: list[str] = []
    pos: list[float | None] = [None, 0.0]

    def close() -> None:
        text = _SPACES.sub(" ", "".join(parts)).strip()
        if text:
            lines.append(_Line(text, pos[0], pos[1] or 0.0, number))
        parts.clear()
        pos[0] = None

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        pieces = text.split("\n")
        for i, piece in enumerate(pieces):
            if i:
                close()
            if piece:
                if pos[0] is None and piece.strip():
                    pos[0] = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                    pos[1] = size * (abs(tm[3]) or 1.0) * (abs(cm[3]) or 1.0)
                parts.append(piece)

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    close()
    return lines


def _gap(a: _Line, b: _Line) -> float:
    """Distance from line ``a`` down to ``b`` in units of ``b``'s font size (0: unknown)."""
    if a.y is None or b.y is None or a.page != b.page:
        return 0.0
    return (a.y - b.y) / (b.size or 1.0)


def _pitch(lines: list[_Line]) -> float:
    """The ordinary line distance within a paragraph, relative to the font size (lower
    quartile of the gaps, so paragraph spacing does not count)."""
    gaps = [g for a, b in zip(lines, lines[1:], strict=False) if (g := _gap(a, b)) > 0]
    if not gaps:
        return 0.0
    gaps.sort()
    return gaps[len(gaps) // 4]


#: A line that only numbers the page: "3", "- 3 -", "Pagina 3 van 5", "blz. 3", "3/5".
_PAGE_NUMBER = re.compile(
    r"^(?:(?:pagina|page|blz\.?|p\.)\s*)?[-–]?\s*\d{1,4}\s*[-–]?"
    r"(?:\s*(?:van|of|/)\s*\d{1,4})?$",
    re.IGNORECASE,
)
#: How many lines at the top and at the bottom of a page may be a running header or footer.
EDGE_LINES = 2


def _edge_key(line: _Line) -> tuple[str, int | None]:
    """A line as a running header or footer repeats from page to page: the same text, digits
    (page numbers, dates) aside, at the same height on the page."""
    text = re.sub(r"\d+", "#", " ".join(line.text.lower().split()))
    return text, None if line.y is None else round(line.y / 4)


def drop_running_lines(lines: list[_Line]) -> list[_Line]:
    """The lines without running headers and footers: among the first and last
    :data:`EDGE_LINES` lines of each page, page numbers and the lines that repeat (digits
    aside, at the same height) at the edges of at least half of the pages, two at the least.

    >>> def page(n, text):
    ...     return [_Line("Gemeente X - verslag", 800, 8, n), _Line(text, 700, 11, n),
    ...             _Line(f"Pagina {n + 1} van 2", 20, 8, n)]
    >>> [line.text for line in drop_running_lines(page(0, "Eerst dit.") + page(1, "Dan dat."))]
    ['Eerst dit.', 'Dan dat.']
    """
    pages: dict[int, list[int]] = {}
    for i, line in enumerate(lines):
        pages.setdefault(line.page, []).append(i)
    edges = {
        i
        for idx in pages.values()
        for i in idx[:EDGE_LINES] + idx[-EDGE_LINES:]
        if len(idx) > 1  # a page of one line is content, whatever it looks like
    }
    seen: dict[tuple[str, int | None], set[int]] = {}
    for i in edges:
        seen.setdefault(_edge_key(lines[i]), set()).add(lines[i].page)
    repeated = {key for key, on in seen.items() if len(on) >= max(2, (len(pages) + 1) // 2)}
    drop = {
        i
        for i in edges
        if _PAGE_NUMBER.match(lines[i].text.strip()) or _edge_key(lines[i]) in repeated
    }
    return [line for i, line in enumerate(lines) if i not in drop]


def reflow_lines(lines: list[_Line]) -> str:
    """Paragraphs from positioned lines: a new one at a wider gap, a new font size, a list item
    or after a clearly short line; a page break continues a paragraph that did not end."""
    if not lines:
        return ""
    # Line widths estimated as characters × font size: a bigger font fills a line sooner.
    widths = sorted(len(line.text) * (line.size or 1.0) for line in lines)
    width = widths[(3 * len(widths)) // 4] if len(widths) >= 4 else widths[-1]
    pitch = _pitch(lines)
    paragraphs: list[str] = []
    current = lines[0].text
    for prev, line in zip(lines, lines[1:], strict=False):
        short = len(prev.text) * (prev.size or 1.0) < 0.75 * width and not prev.text.endswith(
            ("-", ",")
        )
        if line.page != prev.page:
            ended = prev.text.endswith((".", "!", "?", ":", "’", "”", '"')) or short
            new = (ended and not line.text[:1].islower()) or _BULLET.match(line.text) is not None
        else:
            gap = _gap(prev, line)
            new = (
                short
                or _BULLET.match(line.text) is not None
                or abs(line.size - prev.size) > 0.5
                or (pitch > 0 and gap > 1.2 * pitch)
                or gap < 0  # a new column or a jump upwards
            )
        if new:
            paragraphs.append(current)
            current = line.text
        else:
            current = _join(current, line.text)
    paragraphs.append(current)
    return "\n".join(paragraphs)


def read_pdf(data: bytes, source: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """The re-flowed text layer of a PDF, pages separated by a line break."""
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise CorruptFileError(source, "does not start like a PDF (%PDF); is it a PDF at all?")
    import logging

    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # broken files warn loudly otherwise
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except (DependencyError, NotImplementedError) as exc:
                raise EncryptedFileError(
                    source, f"is encrypted and cannot be opened ({exc})"
                ) from None
            if not ok:
                raise EncryptedFileError(
                    source, "is password-protected; save a copy without a password"
                )
        pages = reader.pages
        if len(pages) > limits.max_pdf_pages:
            raise CorruptFileError(
                source, f"has {len(pages)} pages, more than the limit of {limits.max_pdf_pages}"
            )
        lines = [line for n, page in enumerate(pages) for line in _page_lines(page, n)]
    except (EncryptedFileError, CorruptFileError):
        raise
    except FileNotDecryptedError:
        raise EncryptedFileError(
            source, "is password-protected; save a copy without a password"
        ) from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise CorruptFileError(source, f"is a broken PDF ({exc})") from None
    except Exception as exc:  # pypdf raises many kinds on damaged files
        raise CorruptFileError(source, f"is a broken PDF ({type(exc).__name__}: {exc})") from None
    if not len(pages):
        raise EmptyReportError(source, "has no pages")
    if not lines:
        raise NoTextLayerError(
            source, "has no text layer (a scan?); run OCR on it first, then read it again"
        )
    return reflow_lines(drop_running_lines(lines) or lines)
