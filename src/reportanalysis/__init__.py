"""reportanalysis: qualitative analysis of Dutch conversation reports.

files → Report → Anecdote → labels / themes / practices → recommendations → files.
Importing the package is cheap: heavy libraries load inside the functions that need them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import (
    ConfigError,
    CorruptFileError,
    DecodingError,
    EmptyReportError,
    EncryptedFileError,
    InputError,
    MissingFileError,
    ModelUnavailableError,
    NoTextLayerError,
    NotFittedError,
    ProjectError,
    ReportAnalysisError,
    UnknownItemError,
    UnsafeFileError,
    UnsupportedFormatError,
)
from .model import Anecdote, Code, Codebook, Label, Report, Theme, to_frame

__version__ = "0.1.0"

if TYPE_CHECKING:  # type checkers see the lazy names as ordinary imports
    from .embed import CachedEmbedder, make_embedder
    from .frameworks import KindClassifier, PracticeMapper, load_framework
    from .ingest import IngestResult, read_report, read_reports
    from .interop import export_qdpx, import_qdpx
    from .labels import (  # type: ignore[no-redef]
        LabelingWidget,
        LabelSuggester,
        agreement,
        load_codebook,
        save_codebook,
    )
    from .pipeline import Config, run, tables_from_project
    from .privacy import Pseudonymiser
    from .project import Project
    from .report import build_recommendations, render  # type: ignore[no-redef]
    from .segment import Splitter, split_frame, split_reports
    from .themes import ThemeModel, theme_table

# Names imported on first use (module ``__getattr__``), so ``import reportanalysis`` stays cheap.
_LAZY: dict[str, str] = {
    "Project": ".project",
    "read_reports": ".ingest",
    "read_report": ".ingest",
    "IngestResult": ".ingest",
    "Pseudonymiser": ".privacy",
    "Splitter": ".segment",
    "split_reports": ".segment",
    "split_frame": ".segment",
    "make_embedder": ".embed",
    "CachedEmbedder": ".embed",
    "load_codebook": ".labels",
    "save_codebook": ".labels",
    "agreement": ".labels",
    "LabelSuggester": ".labels",
    "LabelingWidget": ".labels",
    "ThemeModel": ".themes",
    "theme_table": ".themes",
    "load_framework": ".frameworks",
    "PracticeMapper": ".frameworks",
    "KindClassifier": ".frameworks",
    "build_recommendations": ".report",
    "render": ".report",
    "export_qdpx": ".interop",
    "import_qdpx": ".interop",
    "Config": ".pipeline",
    "run": ".pipeline",
    "tables_from_project": ".pipeline",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "__version__",
    "agreement",
    "build_recommendations",
    "export_qdpx",
    "import_qdpx",
    "load_codebook",
    "load_framework",
    "make_embedder",
    "read_report",
    "read_reports",
    "render",
    "run",
    "save_codebook",
    "split_frame",
    "split_reports",
    "tables_from_project",
    "theme_table",
    "to_frame",
    "Anecdote",
    "CachedEmbedder",
    "Code",
    "Codebook",
    "Config",
    "ConfigError",
    "CorruptFileError",
    "DecodingError",
    "EmptyReportError",
    "EncryptedFileError",
    "IngestResult",
    "InputError",
    "KindClassifier",
    "Label",
    "LabelSuggester",
    "LabelingWidget",
    "MissingFileError",
    "ModelUnavailableError",
    "NoTextLayerError",
    "NotFittedError",
    "PracticeMapper",
    "Project",
    "ProjectError",
    "Pseudonymiser",
    "Report",
    "ReportAnalysisError",
    "Splitter",
    "Theme",
    "ThemeModel",
    "UnknownItemError",
    "UnsafeFileError",
    "UnsupportedFormatError",
]
