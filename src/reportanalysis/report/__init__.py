"""The recommendations report: build it from the analysis tables, render it to files.

>>> from reportanalysis.report import FORMATS
>>> FORMATS
('html', 'docx', 'xlsx', 'md', 'json')

Typical use::

    recs = build_recommendations(tables, language="nl")
    render(recs, "uit/", formats=("html", "docx", "xlsx", "md", "json"))
"""

from __future__ import annotations

from .build import build_recommendations
from .render import FORMATS, render
from .structure import Recommendation, Recommendations

__all__ = ["FORMATS", "Recommendation", "Recommendations", "build_recommendations", "render"]
