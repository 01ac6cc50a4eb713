"""Which reader a file needs: by extension, else by its first bytes."""

from __future__ import annotations

import re
from pathlib import PurePath

from ..errors import UnsupportedFormatError

__all__ = [
    "EXTENSIONS",
    "NON_DOCUMENTS",
    "detect_format",
    "is_ignored_name",
    "unsupported_reason",
]

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
_IMAGE_HINT = "if it is a scanned or photographed report, run OCR and save the text as .txt"
for _ext in (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".heic", ".webp"):
    _HINTS[_ext] = _IMAGE_HINT
#: System clutter that is never a report; left out of folders and archives without a word.
_CLUTTER = {"thumbs.db", "desktop.ini", "icon\r", "__macosx"}
#: Extensions of files that are obviously no document (data, code, media, programs, shortcuts,
#: temporary files): left out of folders and archives without a word. Everything else that we
#: cannot read (``.doc``, ``.pages``, images, unknown extensions) is listed as skipped.
NON_DOCUMENTS = frozenset(
    "." + ext
    for ext in re.findall(
        r"\w+",
        """json jsonl yaml yml toml ini cfg conf xml xsd py pyc ipynb js css sh bat ps1 exe dll
        so dylib app msi dmg iso db sqlite sqlite3 lnk url webloc tmp temp bak swp log lock part
        crdownload mp3 wav m4a ogg flac mp4 mov avi mkv wmv ttf otf woff woff2 ics vcf gpx kml""",
    )
)


def is_ignored_name(name: str) -> bool:
    """Hidden files (``.DS_Store``), Office lock files (``~$…``), system clutter (``Thumbs.db``,
    ``desktop.ini``, ``__MACOSX``) and obvious non-documents (:data:`NON_DOCUMENTS`: data,
    code, audio and video, programs): left out of folders and archives quietly.

    Every other file in a folder or archive is either read or listed as skipped with its
    reason (a ``.doc`` file, an image that may be a scan), so no report goes missing unseen.

    >>> is_ignored_name(".DS_Store"), is_ignored_name("~$verslag.docx"), is_ignored_name("a.txt")
    (True, True, False)
    >>> is_ignored_name("foto's/Thumbs.db"), is_ignored_name("codes.json")
    (True, True)
    >>> is_ignored_name("notities.doc"), is_ignored_name("scan.jpg")
    (False, False)
    """
    path = PurePath(name.replace("\\", "/"))
    if path.suffix.lower() in NON_DOCUMENTS:
        return True
    return any(p.startswith((".", "~$")) or p.lower() in _CLUTTER for p in path.parts)


def unsupported_reason(name: str) -> str | None:
    """Why a file with this name cannot be read, or ``None`` when a reader may take it.

    >>> unsupported_reason("verslag.doc"), unsupported_reason("verslag.docx")
    ('.doc files cannot be read; save it as .docx', None)
    """
    suffix = PurePath(name).suffix.lower()
    if not suffix or suffix in EXTENSIONS:
        return None
    hint = _HINTS.get(suffix, "supported are " + ", ".join(sorted(set(EXTENSIONS))))
    return f"{suffix} files cannot be read; {hint}"


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
    raise UnsupportedFormatError(name, unsupported_reason(name) or "cannot be read")
