"""The self-contained HTML page: one file, charts inline as SVG data URIs, no network."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import TYPE_CHECKING

from .charts import make_charts
from .templating import environment

if TYPE_CHECKING:
    from .structure import Recommendations

__all__ = ["render_html"]


def render_html(
    recs: Recommendations, *, template_dir: str | Path | None = None, charts: bool = True
) -> str:
    """The report as one HTML page (``report.html.j2``, autoescaped).

    ``charts=False`` leaves the figures out (their section stays, empty).
    """
    uris = {}
    if charts:
        for name, svg in make_charts(recs, fmt="svg").items():
            uris[name] = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    template = environment("html", template_dir).get_template("report.html.j2")
    return template.render(recs=recs, t=recs.t, charts=uris)
