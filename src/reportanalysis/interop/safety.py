"""Reading untrusted exchange files safely: zip containers and XML.

A ``.qdpx`` is a zip archive made by another program, and both ``.qde`` and ``.qdc`` are XML.
Before anything is parsed:

- every member name is checked (no absolute paths, drive letters or ``..``; no symlinks);
- the member count, the declared sizes and compression ratios are checked (zip bombs), and the
  members we read are read in chunks with a hard cap, whatever they declare;
- XML is parsed without DTDs, without expanding entities and without network access, and a
  document whose DOCTYPE declares entities or points at an external DTD is refused.

Every refusal is an :class:`~reportanalysis.errors.UnsafeFileError` naming the file and member::

    >>> try:
    ...     parse_xml(b'<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', "codes.qdc")
    ... except UnsafeFileError as exc:
    ...     print(exc.path, "|", exc.reason)
    codes.qdc | declares XML entities or an external DTD, which are refused
    >>> local_name(parse_xml(b'<CodeBook xmlns="urn:QDA-XML:codebook:1:0"/>', "codes.qdc"))
    'CodeBook'
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import CorruptFileError, MissingFileError, UnsafeFileError

# One set of rules for every archive we open.
from ..ingest._safety import check_member_name, check_members, read_capped, size_text

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "SafeArchive",
    "check_member_name",
    "child",
    "children",
    "decode_text",
    "local_name",
    "parse_xml",
]

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Upper bounds for one exchange file (bytes unless named otherwise).

    ``max_read_bytes`` bounds each member we decompress (the project XML, text sources);
    members we never read (pictures, audio) are bounded by the ratio and total checks only.

    >>> Limits().max_ratio
    200
    """

    max_file_bytes: int = 4096 * MB
    max_members: int = 20_000
    max_unpacked_bytes: int = 8192 * MB
    max_read_bytes: int = 64 * MB
    max_ratio: int = 200
    ratio_floor_bytes: int = 1 * MB  # smaller members may compress as well as they like


DEFAULT_LIMITS = Limits()


class SafeArchive:
    """A zip archive whose names, count, declared sizes and ratios were checked on opening.

    Use :meth:`find` to look a member up (case-insensitively) and :meth:`read` to read it with
    a hard cap. Close it, or use it as a context manager.
    """

    def __init__(self, path: str | Path, limits: Limits = DEFAULT_LIMITS) -> None:
        self.path = Path(path)
        self.limits = limits
        source = str(self.path)
        if not self.path.is_file():
            raise MissingFileError(source, "no such file")
        size = self.path.stat().st_size
        if size > limits.max_file_bytes:
            raise UnsafeFileError(
                source,
                f"is {size_text(size)}, more than the limit of {size_text(limits.max_file_bytes)}",
            )
        try:
            self._zip = zipfile.ZipFile(self.path)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
            raise CorruptFileError(
                source, f"not a readable zip archive ({exc}); is it truncated?"
            ) from None
        try:
            self._check(infos)
        except BaseException:
            self._zip.close()
            raise
        self.infos = [i for i in infos if not i.is_dir()]

    def _check(self, infos: list[zipfile.ZipInfo]) -> None:
        check_members(infos, str(self.path), self.limits, symlinks=False)

    def __enter__(self) -> SafeArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def __iter__(self) -> Iterator[zipfile.ZipInfo]:
        return iter(self.infos)

    def find(self, name: str) -> zipfile.ZipInfo | None:
        """The member called ``name`` (case and slash direction ignored), or None."""
        wanted = name.replace("\\", "/").lstrip("/").casefold()
        for info in self.infos:
            if info.filename.replace("\\", "/").casefold() == wanted:
                return info
        return None

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """The member's bytes, read in chunks; refused beyond ``max_read_bytes``."""
        source, cap = str(self.path), self.limits.max_read_bytes
        if info.file_size > cap:
            raise UnsafeFileError(
                source,
                f"member {info.filename!r} unpacks to {size_text(info.file_size)}, more than the "
                f"limit of {size_text(cap)} for a member that is read",
            )
        return read_capped(self._zip, info, source, cap)


# --------------------------------------------------------------------------- XML

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_DOCTYPE = re.compile(r"<!DOCTYPE(.*?)(?:\[(.*?)\])?\s*>", re.S)


def _head_text(data: bytes) -> str:
    """The first 64 KiB as text, enough to see the prolog (BOM-aware, else ASCII-compatible)."""
    head = data[: 64 * 1024]
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, errors="replace")
    if head[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
        return head.decode("utf-16-le" if head[0] == 0x3C else "utf-16-be", errors="replace")
    return head.decode("latin-1")


def _refuse_entities(data: bytes, source: str, member: str | None) -> None:
    head = _head_text(data)
    where = f"member {member!r} " if member else ""
    if "<!ENTITY" in head:
        raise UnsafeFileError(
            source, f"{where}declares XML entities or an external DTD, which are refused"
        )
    match = _DOCTYPE.search(head)
    if match and re.search(r"\b(SYSTEM|PUBLIC)\b", match.group(1) or ""):
        raise UnsafeFileError(
            source, f"{where}declares XML entities or an external DTD, which are refused"
        )


def parse_xml(data: bytes, source: str, member: str | None = None) -> Any:
    """Parse untrusted XML: no DTD, no entity expansion, no network; returns the root element.

    UnsafeFileError for entity declarations or an external DTD, CorruptFileError for XML that
    is not well-formed.
    """
    from lxml import etree

    _refuse_entities(data, source, member)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    where = f"member {member!r}: " if member else ""
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise CorruptFileError(source, f"{where}not well-formed XML ({exc})") from None
    if root is None:
        raise CorruptFileError(source, f"{where}holds no XML element")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and (list(dtd.iterentities()) or dtd.system_url or dtd.public_id):
        raise UnsafeFileError(
            source, f"{where}declares XML entities or an external DTD, which are refused"
        )
    return root


def local_name(element: Any) -> str:
    """The tag without its namespace: exports differ in namespace version, not in names."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def children(element: Any, name: str) -> list[Any]:
    """Child elements with local name ``name``, in document order."""
    return [c for c in element if local_name(c) == name]


def child(element: Any, name: str) -> Any | None:
    """The first child element with local name ``name``, or None."""
    for c in element:
        if local_name(c) == name:
            return c
    return None


def decode_text(data: bytes, source: str, member: str) -> tuple[str, str]:
    """Text of a plain-text source and the encoding used: BOM first, else UTF-8, else cp1252.

    A BOM is not part of the text (positions never count it).

    >>> decode_text("\\ufeffHé".encode("utf-8"), "x.qdpx", "a.txt")
    ('Hé', 'utf-8-sig')
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise CorruptFileError(
                    source, f"member {member!r}: not {encoding} ({exc})"
                ) from None
            return text, "utf-8-sig" if encoding == "utf-8" else encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"
