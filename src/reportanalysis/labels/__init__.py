"""Labels: codebooks, manual coding by several coders, agreement, suggestions that learn.

- :mod:`.codebook` — :func:`load_codebook` / :func:`save_codebook` (TOML, JSON, CSV, Excel);
- :mod:`.views` — :func:`code_report_matrix`, :func:`cooccurrence` over a labels frame;
- :mod:`.agreement` — :func:`agreement` (percentage, Cohen's κ, Krippendorff's α);
- :mod:`.suggest` — :class:`LabelSuggester` (zero-shot + supervised + active learning);
- :mod:`.workflow` — the same over a :class:`~reportanalysis.project.Project`
  (:func:`suggest_for_project`, :func:`accept`, :func:`reject`, :func:`next_to_label`);
- :mod:`.widget` — :class:`LabelingWidget` for Jupyter.
"""

from __future__ import annotations

from .agreement import (
    AgreementReport,
    agreement,
    cohen_kappa,
    krippendorff_alpha,
    percent_agreement,
)
from .codebook import load_codebook, save_codebook
from .suggest import LabelSuggester, Reason, Suggestion
from .views import code_report_matrix, codings, cooccurrence
from .workflow import (
    accept,
    fit_for_project,
    next_to_label,
    reject,
    suggest_for_project,
    update_for_project,
)

__all__ = [
    "AgreementReport",
    "LabelSuggester",
    "LabelingWidget",
    "Reason",
    "Suggestion",
    "accept",
    "agreement",
    "code_report_matrix",
    "codings",
    "cohen_kappa",
    "cooccurrence",
    "fit_for_project",
    "krippendorff_alpha",
    "load_codebook",
    "next_to_label",
    "percent_agreement",
    "reject",
    "save_codebook",
    "suggest_for_project",
    "update_for_project",
]


def __getattr__(name: str) -> object:
    if name == "LabelingWidget":  # ipywidgets loads only when the widget is asked for
        from .widget import LabelingWidget

        return LabelingWidget
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
