"""One exception tree for everything reportanalysis refuses.

Every error says what was wrong, where (file, line, anecdote id) and, where it can, what to do::

    ReportAnalysisError
    ├── InputError                 a file that cannot be read as a report (has .path, .reason)
    │   ├── MissingFileError       the path does not exist
    │   ├── UnsupportedFormatError no reader for this kind of file
    │   ├── EmptyReportError       the file holds no text
    │   ├── DecodingError          bytes that are not text in any encoding we accept
    │   ├── CorruptFileError       a truncated or broken docx/pdf/odt/xlsx/zip
    │   ├── EncryptedFileError     a password-protected file
    │   ├── NoTextLayerError       a scanned PDF without a text layer
    │   └── UnsafeFileError        zip bombs, external XML entities, path traversal
    ├── ProjectError               the project store cannot do what was asked
    │   └── UnknownItemError       an anecdote, report, code or theme id that does not exist
    ├── ConfigError                a configuration, codebook or framework file that is wrong
    ├── NotFittedError             predict/transform called before fit
    └── ModelUnavailableError      an optional dependency or offline model that is not there

``NotFittedError`` is also a ``ValueError`` and an ``AttributeError``, like scikit-learn's, so
code that catches scikit-learn's error catches ours too.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "ConfigError",
    "is_own_warning",
    "CorruptFileError",
    "DecodingError",
    "EmptyReportError",
    "EncryptedFileError",
    "InputError",
    "MissingFileError",
    "ModelUnavailableError",
    "NoTextLayerError",
    "NotFittedError",
    "ProjectError",
    "ReportAnalysisError",
    "UnknownItemError",
    "UnsafeFileError",
    "UnsupportedFormatError",
]


class ReportAnalysisError(Exception):
    """Base of every error reportanalysis raises on purpose."""


def is_own_warning(category: type[Warning], filename: str) -> bool:
    """Whether a warning is reportanalysis's own (one of its warning classes, or raised from
    its code): shown to the analyst as a plain line, and written to run.log.

    >>> import warnings
    >>> is_own_warning(UserWarning, __file__), is_own_warning(UserWarning, "/elders/x.py")
    (True, False)
    """
    return category.__module__.startswith("reportanalysis") or filename.startswith(
        str(Path(__file__).parent)
    )


class InputError(ReportAnalysisError):
    """A file that cannot be read as a report.

    ``meaning`` says in Dutch, for the analyst, what each kind of problem means; the
    ``reason`` gives the (English) details.

    >>> err = EmptyReportError("verslag.txt", "the file holds no text")
    >>> str(err)
    'verslag.txt: the file holds no text'
    >>> err.in_dutch()
    'verslag.txt: bevat geen tekst (the file holds no text)'
    """

    meaning = "niet te lezen"

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

    def in_dutch(self, path: str | None = None) -> str:
        """``<file>: <meaning> (<details>)``; ``path`` replaces the file as shown (masked)."""
        return f"{self.path if path is None else path}: {self.meaning} ({self.reason})"


class MissingFileError(InputError):
    """The path does not exist."""

    meaning = "bestaat niet"


class UnsupportedFormatError(InputError):
    """No reader knows this kind of file."""

    meaning = "geen bestandstype dat ingelezen kan worden"


class EmptyReportError(InputError):
    """The file exists but holds no text."""

    meaning = "bevat geen tekst"


class DecodingError(InputError):
    """The bytes are not text in any encoding we accept."""

    meaning = "geen leesbare tekst"


class CorruptFileError(InputError):
    """A truncated or otherwise broken container (docx, odt, pdf, xlsx, zip)."""

    meaning = "beschadigd of onvolledig bestand"


class EncryptedFileError(InputError):
    """A password-protected file."""

    meaning = "beveiligd met een wachtwoord"


class NoTextLayerError(InputError):
    """A PDF whose pages carry no text layer (a scan): run OCR first."""

    meaning = "gescande PDF zonder tekstlaag (eerst OCR nodig)"


class UnsafeFileError(InputError):
    """A file refused for safety: zip bombs, external XML entities, paths leaving the archive."""

    meaning = "onveilig bestand, niet geopend"


class ProjectError(ReportAnalysisError):
    """The project store cannot do what was asked."""


class UnknownItemError(ProjectError, KeyError):
    """An anecdote, report, code or theme id that does not exist."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class ConfigError(ReportAnalysisError):
    """A configuration, codebook or framework file that is wrong."""


class NotFittedError(ReportAnalysisError, ValueError, AttributeError):
    """An estimator was used before ``fit``."""


class ModelUnavailableError(ReportAnalysisError):
    """An optional dependency or an offline model that is not installed."""
