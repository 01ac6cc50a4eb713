"""The report's figures, drawn with matplotlib (no pyplot, no global state) as SVG or PNG bytes.

Three charts: anecdotes per work practice and kind, the theme × practice heat map, and the kinds
per theme. Labels are data, so mathtext is switched off for them (a ``$`` stays a ``$``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .structure import Recommendations

__all__ = ["CHART_NAMES", "KIND_COLOURS", "make_charts"]

CHART_NAMES: tuple[str, ...] = ("practices", "heatmap", "kinds")
#: Colours of the three kinds from the Okabe–Ito palette, told apart with any colour vision
#: (success blue, bottleneck vermillion, point to improve on reddish purple); never red
#: against green.
KIND_COLOURS: dict[str, str] = {
    "succes": "#0072b2",
    "knelpunt": "#d55e00",
    "aanknopingspunt": "#cc79a7",
}
_TEXT = "#1f2d3d"
_GRID = "#d5dbe3"
_MAX_LABEL = 38


def _label(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= _MAX_LABEL else text[: _MAX_LABEL - 1] + "…"


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    fig.patch.set_facecolor("white")
    return fig


def _style(ax: Any) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(_GRID)
    ax.tick_params(colors=_TEXT, labelsize=9)
    ax.xaxis.grid(True, color=_GRID, linewidth=0.6)
    ax.set_axisbelow(True)


def _stacked(
    ax: Any, rows: Sequence[str], counts: Sequence[Sequence[int]], kinds: Sequence[str], t: Any
) -> None:
    left = [0] * len(rows)
    positions = list(range(len(rows)))[::-1]
    for k, kind in enumerate(kinds):
        widths = [row[k] for row in counts]
        ax.barh(
            positions,
            widths,
            left=left,
            color=KIND_COLOURS[kind],
            label=t[f"kinds.{kind}"],
            height=0.62,
        )
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_yticks(positions, [_label(r) for r in rows])
    ax.set_xlabel(t["chart.count"], color=_TEXT, fontsize=9)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    _style(ax)


def _practices_chart(recs: Recommendations) -> Any:
    from .build import KINDS

    t = recs.t
    rows = [f"{p.code} {p.name}" for p in recs.practices]
    counts = [[c.count for c in p.kinds] for p in recs.practices]
    fig = _figure(8, 0.45 * max(len(rows), 3) + 1.2)
    ax = fig.add_subplot()
    _stacked(ax, rows, counts, KINDS, t)
    fig.tight_layout()
    return fig


def _heatmap_chart(recs: Recommendations) -> Any:
    m = recs.theme_practice
    fig = _figure(8, 0.42 * max(len(m.rows), 3) + 1.4)
    ax = fig.add_subplot()
    values = [list(row) for row in m.values] or [[0] * len(m.columns)]
    top = max((v for row in values for v in row), default=0) or 1
    ax.imshow(values, cmap="Blues", vmin=0, vmax=top, aspect="auto")
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            if v:
                colour = "white" if v > top * 0.55 else _TEXT
                ax.text(j, i, str(v), ha="center", va="center", fontsize=8, color=colour)
    columns = ["—" if c == "none" else c for c in m.columns]
    ax.set_xticks(range(len(columns)), columns)
    ax.set_yticks(range(len(values)), [_label(r) for r in m.rows] or [""])
    ax.tick_params(colors=_TEXT, labelsize=9, length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    fig.tight_layout()
    return fig


def _kinds_chart(recs: Recommendations) -> Any:
    from .build import KINDS

    m = recs.theme_kind
    fig = _figure(8, 0.42 * max(len(m.rows), 3) + 1.2)
    ax = fig.add_subplot()
    _stacked(ax, list(m.rows), [list(r) for r in m.values], KINDS, recs.t)
    fig.tight_layout()
    return fig


_DRAW = {"practices": _practices_chart, "heatmap": _heatmap_chart, "kinds": _kinds_chart}


def make_charts(recs: Recommendations, fmt: str = "svg", dpi: int = 150) -> dict[str, bytes]:
    """The charts of ``recs`` as ``{name: bytes}`` in ``fmt`` (``"svg"`` or ``"png"``).

    The SVG is deterministic (fixed hash salt, no date), its text drawn as paths so it looks
    the same in every browser.
    """
    from matplotlib import rc_context

    out = {}
    params: dict[str, Any] = {
        "svg.hashsalt": "reportanalysis",
        "svg.fonttype": "path",
        "text.usetex": False,
        "text.parse_math": False,
        "font.family": "DejaVu Sans",
    }
    with rc_context(params):  # type: ignore[arg-type]
        for name in CHART_NAMES:
            fig = _DRAW[name](recs)
            buf = io.BytesIO()
            metadata = {"Date": None} if fmt == "svg" else {"Software": None}
            fig.savefig(buf, format=fmt, dpi=dpi, metadata=metadata)
            out[name] = buf.getvalue()
    return out
