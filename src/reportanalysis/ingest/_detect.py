"""Which reader a file needs: by extension, else by its first bytes."""

from __future__ import annotations

from pathlib import PurePath

from ..errors import UnsupportedFormatError

__all__ = ["EXTENSIONS", "detect_format", "is_ignored_name"]

#: extension → format name (``Report.format``); ``zip`` is a container, not a report.
EXTENSIONS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".docx": "docx",
    ".odt": "odt",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".rtf": "rtf",
    ".csv": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".zip": "zip",
}
_HINTS = {
    ".doc": "save it as .docx",
    ".xls": "save it as .xlsx",
    ".pages": "export it as .docx or .pdf",
    ".odp": "export the text as .odt or .pdf",
    ".pptx": "export the text as .docx or .pdf",
    ".ods": "save it as .xlsx or .csv",
    ".msg": "save the e-mail text as .txt",
    ".eml": "save the e-mail text as .txt",
}


def is_ignored_name(name: str) -> bool:
    """Hidden files, Office lock files (``~$…``) and macOS archive clutter.

    >>> is_ignored_name(".DS_Store"), is_ignored_name("~$verslag.docx"), is_ignored_name("a.txt")
    (True, True, False)
    """
    parts = PurePath(name.replace("\\", "/")).parts
    return any(p.startswith((".", "~$")) or p == "__MACOSX" for p in parts)


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in head:
            return "docx"
        if b"xl/" in head:
            return "xlsx"
        if b"opendocument.text" in head:
            return "odt"
        return "zip"
    lowered = head[:1024].lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        return "html"
    return None


def detect_format(name: str, head: bytes = b"") -> str:
    """The format of a file from its name, or from its first bytes when the name has no suffix.

    >>> detect_format("verslag.DOCX"), detect_format("notities", b"%PDF-1.7")
    ('docx', 'pdf')
    >>> detect_format("verslag.doc")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    reportanalysis.errors.UnsupportedFormatError: verslag.doc: .doc files cannot be read; save ...
    """
    suffix = PurePath(name).suffix.lower()
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    if not suffix:
        sniffed = _sniff(head)
        if sniffed:
            return sniffed
        return "txt"
    hint = _HINTS.get(suffix, "supported are " + ", ".join(sorted(set(EXTENSIONS))))
    raise UnsupportedFormatError(name, f"{suffix} files cannot be read; {hint}")
