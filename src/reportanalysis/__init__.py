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
    from .project import Project

# Names imported on first use (module ``__getattr__``), so ``import reportanalysis`` stays cheap.
_LAZY: dict[str, str] = {
    "Project": ".project",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Anecdote",
    "Code",
    "Codebook",
    "ConfigError",
    "CorruptFileError",
    "DecodingError",
    "EmptyReportError",
    "EncryptedFileError",
    "InputError",
    "Label",
    "MissingFileError",
    "ModelUnavailableError",
    "NoTextLayerError",
    "NotFittedError",
    "Project",
    "ProjectError",
    "Report",
    "ReportAnalysisError",
    "Theme",
    "UnknownItemError",
    "UnsafeFileError",
    "UnsupportedFormatError",
    "__version__",
    "to_frame",
]
