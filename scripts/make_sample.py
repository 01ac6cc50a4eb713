"""Regenerate the Word and PDF reports of data/sample/ from scripts/sample_texts/*.txt.

The source texts use a tiny markup: ``# `` a title, ``## `` a heading, ``- `` a bullet item,
blank lines between blocks; every other line is one paragraph. Word files get real heading
styles and a real bullet list (python-docx); PDFs get justified multi-line paragraphs in
DejaVuSans (fpdf2), so reading them exercises re-flowing.

    .venv/bin/python scripts/make_sample.py            # writes data/sample/*.docx, *.pdf
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ROOT / "scripts" / "sample_texts"
OUT = ROOT / "data" / "sample"
#: which source text becomes which format
TARGETS = {
    "speeltuin_1": "docx",
    "buurtbus_2": "docx",
    "voedseltuin_2": "pdf",
    "taalcafe_1": "pdf",
}


def blocks(source: str) -> list[tuple[str, str]]:
    """``(kind, text)`` per non-empty line: kind is title, heading, bullet or paragraph."""
    out = []
    for line in source.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("# "):
            out.append(("title", line[2:]))
        elif line.startswith("## "):
            out.append(("heading", line[3:]))
        elif line.startswith("- "):
            out.append(("bullet", line[2:]))
        else:
            out.append(("paragraph", line))
    return out


def expected_text(source: str) -> str:
    """The text a faithful reader gets back: one block per line, bullets as ``- item``."""
    return "\n".join(("- " + t) if k == "bullet" else t for k, t in blocks(source))


def make_docx(source: str, path: Path) -> None:
    import docx

    document = docx.Document()
    stamp = datetime(2024, 1, 1)
    props = document.core_properties
    props.author = props.last_modified_by = "reportanalysis sample"
    props.created = props.modified = stamp
    for kind, text in blocks(source):
        if kind == "title":
            document.add_heading(text, level=1)
        elif kind == "heading":
            document.add_heading(text, level=2)
        elif kind == "bullet":
            document.add_paragraph(text, style="List Bullet")
        else:
            document.add_paragraph(text)
    document.save(str(path))


def font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def make_pdf(source: str, path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime(2024, 1, 1))  # reproducible bytes
    pdf.add_font("DejaVu", "", str(font_dir() / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(font_dir() / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(25, 25, 25)
    pdf.add_page()
    for kind, text in blocks(source):
        if kind == "title":
            pdf.set_font("DejaVu", "B", 15)
            pdf.multi_cell(0, 8, text, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        elif kind == "heading":
            pdf.ln(2)
            pdf.set_font("DejaVu", "B", 12)
            pdf.multi_cell(0, 7, text, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif kind == "bullet":
            pdf.set_font("DejaVu", "", 10.5)
            pdf.multi_cell(0, 5.5, "- " + text, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        else:
            pdf.set_font("DejaVu", "", 10.5)
            pdf.multi_cell(0, 5.5, text, align="J", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
    pdf.output(str(path))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for stem, fmt in TARGETS.items():
        source = (TEXTS / f"{stem}.txt").read_text(encoding="utf-8")
        target = args.out / f"{stem}.{fmt}"
        (make_docx if fmt == "docx" else make_pdf)(source, target)
        print(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")


if __name__ == "__main__":
    main()
