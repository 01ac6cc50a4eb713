"""Limits that keep reading bounded in time and memory, and the checks that enforce them.

Office files (docx, odt, xlsx) and ``.zip`` archives are zip containers: before anything parses
them we check the member count, every member's declared size, the total and the compression
ratio, refuse members whose names leave the archive, and then read each member with a hard cap
(a forged declared size cannot make us read more: :mod:`zipfile` stops at the declared size and
the CRC check fails).
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Protocol

from ..errors import CorruptFileError, UnsafeFileError

__all__ = [
    "DEFAULT_LIMITS",
    "ArchiveLimits",
    "Limits",
    "check_member_name",
    "check_members",
    "open_zip",
    "read_capped",
    "read_member",
    "size_text",
]

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Upper bounds for one input; every bound is in bytes unless named otherwise.

    >>> Limits().max_ratio
    200
    """

    max_file_bytes: int = 256 * MB
    max_members: int = 10_000
    max_unpacked_bytes: int = 512 * MB
    max_member_bytes: int = 128 * MB
    max_ratio: int = 200
    ratio_floor_bytes: int = 1 * MB  # smaller members may compress as well as they like
    max_pdf_pages: int = 5_000


DEFAULT_LIMITS = Limits()

_DRIVE = re.compile(r"^[A-Za-z]:")


def check_member_name(name: str, source: str) -> None:
    """Refuse a member path that is absolute or climbs out of the archive.

    >>> check_member_name("verslagen/a.txt", "x.zip")
    >>> check_member_name("../etc/passwd", "x.zip")
    Traceback (most recent call last):
    ...
    reportanalysis.errors.UnsafeFileError: x.zip: member '../etc/passwd' points outside the archive
    """
    norm = name.replace("\\", "/")
    parts = PurePosixPath(norm).parts
    if norm.startswith("/") or _DRIVE.match(norm) or ".." in parts:
        raise UnsafeFileError(source, f"member {name!r} points outside the archive")


class ArchiveLimits(Protocol):
    """The bounds :func:`check_members` reads (both our ``Limits`` classes have them)."""

    @property
    def max_members(self) -> int: ...
    @property
    def max_unpacked_bytes(self) -> int: ...
    @property
    def max_ratio(self) -> int: ...
    @property
    def ratio_floor_bytes(self) -> int: ...


def size_text(n: int) -> str:
    """A size for a message: whole MB from 10 MB up, else bytes.

    >>> size_text(400 * MB), size_text(2104)
    ('400 MB', '2,104 bytes')
    """
    return f"{n // MB} MB" if n >= 10 * MB else f"{n:,} bytes"


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


def check_members(
    infos: Sequence[zipfile.ZipInfo],
    source: str,
    limits: ArchiveLimits,
    *,
    member_cap: int | None = None,
    symlinks: bool = True,
) -> None:
    """Refuse an archive by its table of contents, before anything is unpacked: too many
    members, a name outside the archive, a symbolic link (unless ``symlinks``), a member
    declaring more than ``member_cap`` bytes, a compression ratio or a total that says
    zip bomb."""
    if len(infos) > limits.max_members:
        raise UnsafeFileError(
            source, f"holds {len(infos)} members, more than the limit of {limits.max_members}"
        )
    total = 0
    for info in infos:
        name, size = info.filename, info.file_size
        check_member_name(name, source)
        if not symlinks and _is_symlink(info):
            raise UnsafeFileError(source, f"member {name!r} is a symbolic link")
        if member_cap is not None and size > member_cap:
            raise UnsafeFileError(
                source,
                f"member {name!r} unpacks to {size_text(size)}, more than the limit of "
                f"{size_text(member_cap)} (a zip bomb?)",
            )
        if size > limits.ratio_floor_bytes and size > limits.max_ratio * max(info.compress_size, 1):
            ratio = size // max(info.compress_size, 1)
            raise UnsafeFileError(
                source,
                f"member {name!r} unpacks to {size_text(size)}, compressed {ratio}:1, more than "
                f"the limit of {limits.max_ratio}:1 (a zip bomb?)",
            )
        total += size
    if total > limits.max_unpacked_bytes:
        raise UnsafeFileError(
            source,
            f"unpacks to {size_text(total)}, more than the limit of "
            f"{size_text(limits.max_unpacked_bytes)} (a zip bomb?)",
        )


def read_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo, source: str, cap: int) -> bytes:
    """A member's bytes, read in chunks: refused as soon as it holds more than it declares
    or than ``cap``, whatever its header says."""
    chunks: list[bytes] = []
    size = 0
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(1 * MB):
                size += len(chunk)
                if size > min(cap, info.file_size):
                    raise UnsafeFileError(
                        source, f"member {info.filename!r} unpacks to more than it declares"
                    )
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise CorruptFileError(source, f"member {info.filename!r} is broken ({exc})") from None
    return b"".join(chunks)


def open_zip(data: bytes, source: str, limits: Limits = DEFAULT_LIMITS) -> zipfile.ZipFile:
    """Open a zip container after checking its declared sizes, count and ratios."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise CorruptFileError(
            source, f"not a readable zip container ({exc}); is it truncated?"
        ) from None
    check_members(infos, source, limits, member_cap=limits.max_member_bytes)
    return zf


_XML_DANGER = (b"<!DOCTYPE", b"<!ENTITY")


def read_member(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    source: str,
    limits: Limits = DEFAULT_LIMITS,
    *,
    xml: bool = False,
) -> bytes:
    """The member's bytes, read in chunks with a hard cap; ``xml``: refuse DTDs and entities."""
    data = read_capped(zf, info, source, limits.max_member_bytes)
    if xml:
        check_xml(data[:65536], source, info.filename)
    return data


def check_xml(head: bytes, source: str, member: str | None = None) -> None:
    """Refuse XML that declares a DTD or entities: we never fetch or expand them.

    >>> check_xml(b'<?xml version="1.0"?><a/>', "a.xml")
    >>> check_xml(b'<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>', "a.xml")
    Traceback (most recent call last):
    ...
    reportanalysis.errors.UnsafeFileError: a.xml: declares a DTD or XML entities, which are refused
    """
    upper = head.upper()
    if any(d in upper for d in _XML_DANGER):
        where = f"member {member!r} " if member else ""
        raise UnsafeFileError(source, f"{where}declares a DTD or XML entities, which are refused")
