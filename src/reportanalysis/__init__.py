"""reportanalysis: qualitative analysis of Dutch conversation reports.

files → Report → Anecdote → labels / themes / practices → recommendations → files.
Importing the package is cheap: heavy libraries load inside the functions that need them.
"""

from __future__ import annotations

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
