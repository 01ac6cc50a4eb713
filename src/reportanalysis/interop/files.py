"""One entry point per direction, the format chosen by extension (what the CLI calls).

>>> sorted(FORMATS)
['csv', 'qdc', 'qdpx', 'xlsx']
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UnsupportedFormatError
from .place import merge_codebook
from .qdc import export_qdc, read_qdc_tree
from .qdpx import export_qdpx, import_qdpx
from .summary import ImportSummary
from .tables import export_segments, import_segments

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["FORMATS", "export_file", "import_file", "import_qdc"]

FORMATS = {"qdpx": ".qdpx", "qdc": ".qdc", "csv": ".csv", "xlsx": ".xlsx"}
_BY_SUFFIX = {".qdpx": "qdpx", ".qdc": "qdc", ".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx"}


def _format(path: Path, fmt: str | None) -> str:
    fmt = fmt or _BY_SUFFIX.get(path.suffix.lower())
    if fmt not in FORMATS:
        raise UnsupportedFormatError(
            path, f"unknown format {fmt or path.suffix!r}; use .qdpx, .qdc, .csv or .xlsx"
        )
    return fmt


def import_qdc(path: str | Path, project: Project) -> ImportSummary:
    """Add a ``.qdc`` codebook to the project (named after the file; codes of an earlier
    codebook of that name that the file lacks are kept)."""
    path = Path(path)
    summary = ImportSummary(source=str(path))
    tree, sets = read_qdc_tree(path)
    for note in tree.notes:
        summary.note(note)
    merge_codebook(project, tree.codebook(path.stem), summary)
    summary.codes = len(tree.codes)
    code_sets = {
        name: [tree.by_guid[g] for g in codes if g in tree.by_guid] for name, codes, _ in sets
    }
    code_sets = {k: v for k, v in code_sets.items() if v}
    if code_sets:
        project.add_edit("refi-sets", "import", {"source": str(path), "code_sets": code_sets})
        summary.note(f"{len(code_sets)} code set(s) kept in the project's edit log ('refi-sets')")
    return summary


def import_file(path: str | Path, project: Project | str | Path) -> ImportSummary:
    """Import a ``.qdpx``, ``.qdc``, ``.csv`` or ``.xlsx`` into ``project`` (created if it is a
    path that does not exist)."""
    from ..project import Project

    path = Path(path)
    fmt = _format(path, None)
    if not isinstance(project, Project):
        target = Path(project)
        created = not target.exists()
        try:
            with Project.open_or_create(target) as opened:
                return import_file(path, opened)
        except BaseException:
            if created:  # a failed import leaves no empty project behind
                for leftover in (target, *(Path(f"{target}{s}") for s in ("-wal", "-shm"))):
                    leftover.unlink(missing_ok=True)
            raise
    if fmt == "qdpx":
        return import_qdpx(path, project)
    if fmt == "qdc":
        return import_qdc(path, project)
    return import_segments(path, project)


def export_file(
    project: Project | str | Path,
    path: str | Path,
    fmt: str | None = None,
    *,
    originals: bool = False,
) -> Path:
    """Export ``project`` as ``fmt`` (qdpx, qdc, csv, xlsx; default: by the extension).

    Texts, report ids and metadata are pseudonymised as in the project's last run, unless
    ``originals`` is True (a codebook holds no report text either way).
    """
    from ..project import Project

    path = Path(path)
    fmt = _format(path, fmt)
    if not isinstance(project, Project):
        with Project.open(project) as opened:
            return export_file(opened, path, fmt, originals=originals)
    if fmt == "qdpx":
        return export_qdpx(project, path, originals=originals)
    if fmt == "qdc":
        export_qdc(project, path)
        return path
    return export_segments(project, path, fmt=fmt, originals=originals)
