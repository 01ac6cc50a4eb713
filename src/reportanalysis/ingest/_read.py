"""read_report / read_reports: paths, folders, zips in; reports, skipped inputs, duplicates out."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from .. import errors as _errors
from ..errors import (
    EmptyReportError,
    InputError,
    MissingFileError,
    ReportAnalysisError,
    UnsafeFileError,
    UnsupportedFormatError,
)
from ..model import Report
from ._decode import decode_bytes
from ._detect import detect_format, is_ignored_name, unsupported_reason
from ._metadata import parse_metadata, source_parts, visit_from_path
from ._overview import apply_metadata_table, read_metadata_table
from ._safety import DEFAULT_LIMITS, Limits, open_zip, read_member
from ._tables import TableOptions

__all__ = ["IngestResult", "nothing_read", "read_report", "read_reports"]

#: Below this many files reading is serial: starting a process pool (spawn, ~3 s on a busy
#: 2-core machine) costs more than it saves. Measured with benchmarks/bench_ingest.py on the
#: sample mix (shared, busy 2-core machine): 2 workers ran 0.25x as fast as serial at 100
#: files, 0.78x at 200, 1.11x-1.38x at 400 (two runs); noisy, so the threshold is rough.
PARALLEL_THRESHOLD = 300


def nothing_read(where: str, skipped: Sequence[InputError]) -> ReportAnalysisError:
    """The error for a run or command that could not read a single report from ``where``,
    listing why each input was skipped.

    >>> print(nothing_read("leeg/", [MissingFileError("leeg/a.txt", "does not exist")]))
    no report could be read from leeg/
      leeg/a.txt: does not exist
    """
    return ReportAnalysisError(
        f"no report could be read from {where}" + "".join(f"\n  {e}" for e in skipped)
    )


@dataclass
class IngestResult:
    """What :func:`read_reports` read: the reports, the inputs it skipped and why, duplicates.

    ``duplicates`` holds ``(source of the duplicate, id of the report it repeats)``.
    ``updated`` holds ``(source, id)`` of the reports
    :meth:`~reportanalysis.project.Project.add_reports` replaced by a changed version of the
    same file (they are in ``reports`` too), ``metadata_updated`` the ids of stored reports it
    gave the values of a metadata table; ``read_reports`` leaves both empty.
    """

    reports: list[Report] = field(default_factory=list)
    skipped: list[InputError] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    updated: list[tuple[str, str]] = field(default_factory=list)
    metadata_updated: list[str] = field(default_factory=list)

    def copies(self, reports: Iterable[Report] = ()) -> list[tuple[str, str]]:
        """The ``duplicates`` that are copies: files whose text another file has. A file read
        again into the project it is stored in (the source of the report it repeats) is none.
        ``reports`` holds the reports the duplicates may repeat besides :attr:`reports` (a
        project's stored ones)."""
        sources = {r.id: os.path.normpath(r.source) for r in (*self.reports, *reports)}
        return [(s, r) for s, r in self.duplicates if sources.get(r) != os.path.normpath(s)]


@dataclass(frozen=True)
class _Item:
    """One report's text before it gets its id (picklable across processes)."""

    source: str
    stem: str
    format: str
    text: str
    metadata: dict[str, Any]
    row_id: str | None = None


@dataclass(frozen=True)
class _Err:
    """An InputError in picklable form (its ``__init__`` takes two arguments)."""

    kind: str
    path: str
    reason: str

    @classmethod
    def of(cls, exc: InputError) -> _Err:
        return cls(type(exc).__name__, exc.path, exc.reason)

    def error(self) -> InputError:
        kind = getattr(_errors, self.kind, InputError)
        return kind(self.path, self.reason)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class _Options:
    table: TableOptions = TableOptions()
    limits: Limits = DEFAULT_LIMITS


def _texts(data: bytes, source: str, fmt: str, stem: str, opts: _Options) -> list[_Item | _Err]:
    """The reports inside one file's bytes (several for tables and archives)."""
    from . import _markup, _office, _pdf, _tables

    facts: dict[str, Any] = {}
    if fmt in ("txt", "md"):
        text, facts["encoding"] = decode_bytes(data, source)
    elif fmt == "docx":
        text = _office.read_docx(data, source, opts.limits)
    elif fmt == "odt":
        text = _office.read_odt(data, source, opts.limits)
    elif fmt == "pdf":
        text = _pdf.read_pdf(data, source, opts.limits)
    elif fmt == "html":
        text, facts["encoding"] = _markup.read_html(data, source)
    elif fmt == "rtf":
        text = _markup.read_rtf(data, source)
    elif fmt in ("csv", "xlsx"):
        if fmt == "csv":
            rows, bad = _tables.read_csv(data, source, opts.table)
        else:
            rows, bad = _tables.read_xlsx(data, source, opts.table, opts.limits)
        out: list[_Item | _Err] = [
            _Item(
                source,
                f"{stem}-{r.row}",
                fmt,
                r.text,
                {**parse_metadata(r.text), **r.metadata},
                r.row_id,
            )
            for r in rows
        ]
        return out + [_Err.of(e) for e in bad]
    elif fmt == "zip":
        return _archive(data, source, opts)
    else:  # pragma: no cover - detect_format only returns the formats above
        raise UnsupportedFormatError(source, f"no reader for {fmt}")
    if not text.strip():
        raise EmptyReportError(source, "holds no text")
    metadata = {**parse_metadata(text), **facts}
    if "bezoek" not in metadata:  # the text does not say: the file's name or folder may
        visit = visit_from_path(source)
        if visit is not None:
            metadata["bezoek"] = visit
    return [_Item(source, stem, fmt, text, metadata)]


def _archive(data: bytes, source: str, opts: _Options) -> list[_Item | _Err]:
    """Every report in a zip archive, read in memory under the limits."""
    zf = open_zip(data, source, opts.limits)
    out: list[_Item | _Err] = []
    with zf:
        for info in sorted(zf.infolist(), key=lambda i: i.filename):
            name = info.filename
            if info.is_dir() or is_ignored_name(name):
                continue
            member = f"{source}!{name}"
            try:
                if PurePosixPath(name).suffix.lower() == ".zip":
                    raise UnsupportedFormatError(member, "archives inside archives are not read")
                reason = unsupported_reason(name)
                if reason:
                    raise UnsupportedFormatError(member, reason)
                raw = read_member(zf, info, source, opts.limits)
                fmt = detect_format(name, raw[:2048])  # the name alone: '.zip!x' is no suffix
                if fmt == "zip":
                    raise UnsupportedFormatError(member, "archives inside archives are not read")
                out.extend(_texts(raw, member, fmt, PurePosixPath(name).stem, opts))
            except InputError as exc:
                out.append(_Err.of(exc))
            except RuntimeError as exc:
                if info.flag_bits & 0x1:  # zipfile refuses an encrypted member this way
                    reason = "is encrypted in the archive; unpack it with its password first"
                    out.append(_Err("EncryptedFileError", member, reason))
                else:
                    reason = f"could not be read ({type(exc).__name__}: {exc})"
                    out.append(_Err("CorruptFileError", member, reason))
            except Exception as exc:  # a reader library failing on a broken member
                reason = f"could not be read ({type(exc).__name__}: {exc})"
                out.append(_Err("CorruptFileError", member, reason))
    return out


def _load(path: str, opts: _Options) -> list[_Item | _Err]:
    """Read one file into items; every refusal becomes an :class:`_Err`."""
    try:
        p = Path(path)
        if not p.exists():
            raise MissingFileError(path, "does not exist; check the path")
        if not p.is_file():
            raise UnsupportedFormatError(path, "is not a regular file")
        size = p.stat().st_size
        if size > opts.limits.max_file_bytes:
            raise UnsafeFileError(
                path,
                f"is {size // 2**20} MB, more than the limit of "
                f"{opts.limits.max_file_bytes // 2**20} MB",
            )
        with open(p, "rb") as fh:
            head = fh.read(2048)
            fmt = detect_format(path, head)
            data = head + fh.read()
        return _texts(data, path, fmt, p.stem, opts)
    except InputError as exc:
        return [_Err.of(exc)]
    except MemoryError:
        return [_Err("UnsafeFileError", path, "needs more memory than is available")]
    except OSError as exc:
        return [_Err("MissingFileError", path, f"cannot be opened ({exc.strerror or exc})")]
    except Exception as exc:  # a reader library failing on a file it should have refused
        return [_Err("CorruptFileError", path, f"could not be read ({type(exc).__name__}: {exc})")]


def _expand(paths: str | Path | Iterable[str | Path]) -> list[str | _Err]:
    """Files to read, in order: folders recursively and sorted, hidden and lock files left out.

    In a folder, files with a report extension (or none: their first bytes decide) are read;
    other files (``.doc``, images) become refusals with the reason a file named explicitly
    gets, so they are listed among the skipped inputs instead of vanishing. Only hidden files,
    Office lock files and system clutter are left out quietly (:func:`is_ignored_name`).
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    out: list[str | _Err] = []
    for given in paths:
        p = Path(given)
        if p.is_dir():
            found: list[str] = []
            for root, dirs, files in os.walk(p):
                dirs[:] = [d for d in dirs if not is_ignored_name(d)]
                for name in files:
                    if not is_ignored_name(name):
                        found.append(os.path.join(root, name))
            found.sort(key=lambda f: Path(f).relative_to(p).as_posix())
            for f in found:
                reason = unsupported_reason(f)
                out.append(_Err("UnsupportedFormatError", f, reason) if reason else f)
        elif not p.exists():
            out.append(_Err("MissingFileError", str(given), "does not exist; check the path"))
        else:
            out.append(str(given))
    return out


#: A file name that says it is a copy: "anker_1 - Kopie.txt", "Kopie van anker_1.docx",
#: "anker_1 copy.txt", "anker_1 (2).txt".
_COPY_NAME = re.compile(r"\b(?:kopie|copy)\b|\(\d{1,3}\)\s*$", re.IGNORECASE)


#: The words and numbers that make a file name a copy's, to find the name of the original.
_COPY_MARKS = re.compile(
    r"^(?:kopie|copy) (?:van|of) |\s*-?\s*\b(?:kopie|copy)\b(?:\s*\(\d+\))?|\s*\(\d{1,3}\)(?=\.|$)",
    re.IGNORECASE,
)


def _file_name(source: str) -> str:
    """The file name of a report's source (a zip member's own name)."""
    return (source_parts(source) or [""])[-1]


def _looks_like_copy(source: str) -> bool:
    """Whether a file's name (not its folder) says it is a copy of another file."""
    return bool(_COPY_NAME.search(_file_name(source).rsplit(".", 1)[0]))


def _duplicate(result: IngestResult, item: _Item, at: int, used: set[str]) -> None:
    """Record ``item`` as a duplicate of the report read earlier with the same text (at
    ``result.reports[at]``); when that one's file name says it is a copy and this one's does
    not, this file keeps the report (its name gives the id) and the copy becomes the
    duplicate."""
    kept = result.reports[at]
    kept_id = kept.id
    swap = (
        item.row_id is None and _looks_like_copy(kept.source) and not _looks_like_copy(item.source)
    )
    if not swap:
        result.duplicates.append((item.source, kept_id))
        return
    used.discard(kept_id)
    rid = _unique(item.stem, used)
    result.reports[at] = dataclasses.replace(
        kept, id=rid, source=item.source, format=item.format, metadata=item.metadata
    )
    result.duplicates = [(s, rid if r == kept_id else r) for s, r in result.duplicates]
    result.duplicates.append((kept.source, rid))


def _unique(wanted: str, used: set[str]) -> str:
    rid, n = wanted, 2
    while rid in used:
        rid = f"{wanted}-{n}"
        n += 1
    used.add(rid)
    return rid


def _load_all(
    files: list[str],
    opts: _Options,
    workers: int | None,
    progress: Callable[[int, int], None] | None,
) -> list[list[_Item | _Err]]:
    if workers is None:
        workers = 1 if len(files) < PARALLEL_THRESHOLD else min(os.cpu_count() or 1, 8)
    workers = max(1, min(workers, len(files) or 1))
    results: list[list[_Item | _Err]] = []
    if workers == 1:
        for i, f in enumerate(files, 1):
            results.append(_load(f, opts))
            if progress:
                progress(i, len(files))
        return results
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from itertools import repeat

    chunksize = max(1, len(files) // (workers * 4))
    ctx = multiprocessing.get_context("spawn")  # fork is unsafe once torch/BLAS threads run
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        for i, res in enumerate(pool.map(_load, files, repeat(opts), chunksize=chunksize), 1):
            results.append(res)
            if progress:
                progress(i, len(files))
    return results


def read_reports(
    paths: str | Path | Iterable[str | Path],
    *,
    errors: Literal["collect", "raise"] = "collect",
    text_column: str | Sequence[str] | None = None,
    id_column: str | None = None,
    metadata_columns: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
    metadata_table: str | Path | None = None,
) -> IngestResult:
    """Read files, folders (recursive, sorted) and zip archives into reports.

    Ids are file stems made unique (``verslag``, ``verslag-2``); table rows get
    ``<stem>-<row>`` or their ``id_column``; a row's text is its ``text_column`` (one or
    several; default: the columns with long texts, see :mod:`reportanalysis.ingest._tables`).
    A report whose text repeats an earlier one is left out and listed in ``duplicates``. With
    ``errors="collect"`` unreadable inputs land in ``skipped`` and the rest is still read;
    with ``"raise"`` the first one is raised.
    ``workers``: processes to read with (default: one per core, serial below
    :data:`PARALLEL_THRESHOLD` files or on one core).
    ``metadata_table``: a ``.csv`` or ``.xlsx`` list with a row per file (initiative, visit,
    date…) whose values go over what the reports' own headers say (see
    :mod:`reportanalysis.ingest._overview`); read before any report, so a table that cannot
    be read stops the run at once.
    """
    if errors not in ("collect", "raise"):
        raise ValueError(f"errors must be 'collect' or 'raise', not {errors!r}")
    table = read_metadata_table(metadata_table) if metadata_table is not None else None
    opts = _Options(TableOptions(text_column, id_column, metadata_columns), limits)
    expanded = _expand(paths)
    files = [e for e in expanded if isinstance(e, str)]
    loaded = iter(_load_all(files, opts, workers, progress))
    result = IngestResult()
    used: set[str] = set()
    seen: dict[str, int] = {}  # text's sha256 → its report's place in result.reports
    for entry in expanded:
        items = [entry] if isinstance(entry, _Err) else next(loaded)
        for item in items:
            if isinstance(item, _Err):
                if errors == "raise":
                    raise item.error()
                result.skipped.append(item.error())
                continue
            report = Report(
                id="",
                source=item.source,
                format=item.format,
                text=item.text,
                metadata=item.metadata,
            )
            if report.sha256 in seen:
                _duplicate(result, item, seen[report.sha256], used)
                continue
            rid = _unique(item.row_id or item.stem, used)
            seen[report.sha256] = len(result.reports)
            result.reports.append(
                Report(rid, item.source, item.format, item.text, item.metadata, report.sha256)
            )
    if table is not None:
        result.reports = apply_metadata_table(result.reports, table, str(metadata_table))
    _warn_about_edited_copies(result.reports)
    return result


class CopyWarning(RuntimeWarning):
    """A file named as a copy of another ("… - kopie.docx") whose text differs from it: both
    are analysed, so their anecdotes may count twice. Not a ``UserWarning``: importing
    BERTopic installs a filter that ignores those."""


def _warn_about_edited_copies(reports: Sequence[Report]) -> None:
    """Warn about a report whose file name says it copies another report's file while the
    texts differ (identical texts are left out as duplicates already)."""
    import warnings

    by_name: dict[str, Report] = {}
    for r in reports:
        by_name.setdefault(_file_name(r.source).lower(), r)
    for r in reports:
        name = _file_name(r.source)
        if not _looks_like_copy(r.source):
            continue
        original = by_name.get(_COPY_MARKS.sub("", name).strip(" -_").lower())
        if original is not None and original is not r:
            warnings.warn(
                f"{name} looks like a copy of {_file_name(original.source)} with other text: "
                "both are analysed, so passages in both count twice; remove the copy, or "
                "keep it out of the folder",
                CopyWarning,
                stacklevel=3,
            )


def read_report(
    path: str | Path, *, report_id: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> Report:
    """Read one file into a :class:`Report`; raises an :class:`InputError` subclass.

    A table or archive holding more than one report is refused: use :func:`read_reports`.
    """
    items = _load(str(path), _Options(limits=limits))
    for item in items:
        if isinstance(item, _Err):
            raise item.error()
    if len(items) != 1:
        raise UnsupportedFormatError(
            str(path), f"holds {len(items)} reports; read it with read_reports"
        )
    item = items[0]
    assert isinstance(item, _Item)
    rid = report_id or item.row_id or item.stem
    return Report(rid, item.source, item.format, item.text, item.metadata)
