"""Write the report in every format asked for: ``report.html``, ``.docx``, ``.xlsx``, ``.md``,
``.json``."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigError

if TYPE_CHECKING:
    from .structure import Recommendations

__all__ = ["FORMATS", "render"]

FORMATS: tuple[str, ...] = ("html", "docx", "xlsx", "md", "json")


def render(
    recs: Recommendations,
    out_dir: str | Path,
    formats: Iterable[str] = FORMATS,
    template_dir: str | Path | None = None,
) -> dict[str, Path]:
    """Write ``report.<format>`` into ``out_dir`` for each format; returns ``{format: path}``.

    ``template_dir`` holds templates (``report.html.j2``, ``report.md.j2``) that replace ours.
    """
    formats = [f.strip().lower() for f in formats if f.strip()]
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ConfigError(
            f"unknown report format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}"
        )
    if template_dir is not None and not Path(template_dir).is_dir():
        raise ConfigError(f"{template_dir}: template folder does not exist")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for fmt in formats:
        path = out / f"report.{fmt}"
        if fmt == "html":
            from .render_html import render_html

            path.write_text(render_html(recs, template_dir=template_dir), encoding="utf-8")
        elif fmt == "md":
            from .render_md import render_md

            path.write_text(render_md(recs, template_dir=template_dir), encoding="utf-8")
        elif fmt == "json":
            from .render_json import render_json

            path.write_text(render_json(recs), encoding="utf-8")
        elif fmt == "docx":
            from .render_docx import write_docx

            write_docx(recs, path)
        elif fmt == "xlsx":
            from .render_xlsx import write_xlsx

            write_xlsx(recs, path)
        written[fmt] = path
    return written
