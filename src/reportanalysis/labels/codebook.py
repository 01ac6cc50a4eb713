"""Codebooks on disk: TOML, JSON, CSV and Excel, the format chosen by the file's extension.

A codebook file holds codes with ``name``, ``definition``, ``parent`` (for hierarchies),
``inclusion``, ``exclusion``, ``examples`` and ``color``. A plain JSON or TOML object
``{name: definition}`` is accepted as well. Wrong input raises :class:`ConfigError` naming the
file and the line (TOML, JSON) or row (CSV, Excel). Text files may be in any encoding Dutch
spreadsheets and editors write (UTF-8, with or without BOM, cp1252, UTF-16); CSV files are
written with a BOM so that Excel shows é and ë. Tables (CSV, Excel) have no place for the
codebook's name: read back, it is the file's stem::

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "thema.json"
    >>> _ = path.write_text('{"vertrouwen": "Wederzijds vertrouwen"}', encoding="utf-8")
    >>> load_codebook(path).names
    ('vertrouwen',)
    >>> save_codebook(load_codebook(path), path.with_suffix(".toml"))
    >>> load_codebook(path.with_suffix(".toml"))["vertrouwen"].definition
    'Wederzijds vertrouwen'
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import ConfigError, InputError
from ..model import Code, Codebook

__all__ = ["CODE_FIELDS", "codebook_from_obj", "codebook_to_obj", "load_codebook", "save_codebook"]

#: Columns of a codebook table (CSV, Excel) and keys of a code object (TOML, JSON).
CODE_FIELDS: tuple[str, ...] = (
    "name",
    "definition",
    "parent",
    "inclusion",
    "exclusion",
    "examples",
    "color",
)
_FORMATS = {".toml": "toml", ".json": "json", ".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx"}
#: Examples in one table cell are separated by newlines or by this.
EXAMPLE_SEPARATOR = " | "


def _format(path: Path) -> str:
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ConfigError(
            f"{path}: unknown codebook format {path.suffix!r}; use .toml, .json, .csv or .xlsx"
        )
    return fmt


def _code(obj: Any, where: str, default_name: str | None = None) -> Code:
    """One :class:`Code` from a mapping; ``where`` says where it came from for errors."""
    if isinstance(obj, str):
        obj = {"definition": obj}
    if not isinstance(obj, Mapping):
        raise ConfigError(f"{where}: a code must be a table/object, got {type(obj).__name__}")
    unknown = set(obj) - set(CODE_FIELDS)
    if unknown:
        raise ConfigError(
            f"{where}: unknown field(s) {', '.join(sorted(unknown))}; "
            f"allowed: {', '.join(CODE_FIELDS)}"
        )
    name = obj.get("name", default_name)
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where}: the code has no name")
    examples = obj.get("examples") or ()
    if isinstance(examples, str):
        examples = _split_examples(examples)
    if not isinstance(examples, Sequence) or not all(isinstance(e, str) for e in examples):
        raise ConfigError(f"{where}: 'examples' must be a list of texts")
    text_fields = {}
    for key in ("definition", "inclusion", "exclusion"):
        value = obj.get(key) or ""
        if not isinstance(value, str):
            raise ConfigError(f"{where}: {key!r} of code {name!r} must be text")
        text_fields[key] = value.strip()
    parent = obj.get("parent") or None
    color = obj.get("color") or None
    return Code(
        name=name.strip(),
        parent=str(parent).strip() if parent else None,
        examples=tuple(e.strip() for e in examples if e.strip()),
        color=str(color).strip() if color else None,
        **text_fields,
    )


def _split_examples(cell: str) -> tuple[str, ...]:
    """Examples in a table cell: one per line, or separated by `` | `` when the cell has one
    line (our own files put each example on its own line, so a ``|`` inside one survives).

    >>> _split_examples("Geen vergunning | Te laat\\n"), _split_examples("A | B\\nC")
    (('Geen vergunning', 'Te laat'), ('A | B', 'C'))
    """
    lines = cell.strip().split("\n")
    parts = lines if len(lines) > 1 else cell.split(EXAMPLE_SEPARATOR)
    return tuple(p.strip() for p in parts if p.strip())


def _read_text(path: Path) -> str:
    """The file's text, in whatever encoding it was saved (``ingest.decode_bytes``)."""
    from ..ingest import decode_bytes

    try:
        return decode_bytes(path.read_bytes(), str(path))[0]
    except InputError as exc:
        raise ConfigError(f"{path}: {exc.reason}") from None


def _build(codes: list[Code], name: str, where: str) -> Codebook:
    try:
        return Codebook(tuple(codes), name=name)
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from exc


def codebook_from_obj(obj: Any, *, name: str = "codebook", where: str = "codebook") -> Codebook:
    """A codebook from parsed TOML/JSON: ``{"codes": [...]}``, a list, or ``{name: definition}``.

    >>> codebook_from_obj({"name": "thema", "codes": [{"name": "regels", "examples": ["huur"]}]})
    Codebook(codes=(Code(name='regels', definition='', parent=None, inclusion='', exclusion='', examples=('huur',), color=None),), name='thema')
    """  # noqa: E501
    if isinstance(obj, Mapping) and "codes" in obj:
        extra = set(obj) - {"name", "codes"}
        if extra:
            raise ConfigError(f"{where}: unknown top-level key(s) {', '.join(sorted(extra))}")
        name = str(obj.get("name") or name)
        obj = obj["codes"]
    if isinstance(obj, Mapping):  # {name: definition} or {name: {definition: ...}}
        codes = [_code(v, f"{where}: code {k!r}", default_name=str(k)) for k, v in obj.items()]
    elif isinstance(obj, list):
        codes = [_code(v, f"{where}: code {i + 1}") for i, v in enumerate(obj)]
    else:
        raise ConfigError(f"{where}: expected an object of codes or a list of codes")
    return _build(codes, name, where)


def codebook_to_obj(codebook: Codebook) -> dict[str, Any]:
    """The codebook as plain data (``{"name": ..., "codes": [...]}``), empty fields left out."""
    codes = []
    for code in codebook:
        row: dict[str, Any] = {"name": code.name}
        for key in CODE_FIELDS[1:]:
            value = getattr(code, key)
            if value:
                row[key] = list(value) if key == "examples" else value
        codes.append(row)
    return {"name": codebook.name, "codes": codes}


def _line_of(text: str, needle: str) -> int | None:
    """The 1-based line where ``needle`` first occurs in ``text``."""
    pos = text.find(needle)
    return text.count("\n", 0, pos) + 1 if pos >= 0 else None


def _load_toml(path: Path, name: str) -> Codebook:
    import tomllib

    text = _read_text(path)
    try:
        obj = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    try:
        return codebook_from_obj(obj, name=name, where=str(path))
    except ConfigError as exc:
        raise _with_line(exc, path, text) from None


def _with_line(exc: ConfigError, path: Path, text: str) -> ConfigError:
    """Add the line of the offending code (found by its quoted name) to a message."""
    msg = str(exc)
    marker = "code '"
    if marker in msg:
        code_name = msg.split(marker, 1)[1].split("'", 1)[0]
        line = _line_of(text, code_name)
        if line is not None:
            return ConfigError(msg.replace(f"{path}:", f"{path}:{line}:", 1))
    return exc


def _load_json(path: Path, name: str) -> Codebook:
    text = _read_text(path)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from exc
    try:
        return codebook_from_obj(obj, name=name, where=str(path))
    except ConfigError as exc:
        raise _with_line(exc, path, text) from None


def _rows_to_codebook(rows: list[tuple[int, dict[str, Any]]], path: Path, name: str) -> Codebook:
    codes = []
    for rownum, row in rows:
        clean = {k.strip().lower(): v for k, v in row.items() if k is not None and str(k).strip()}
        clean = {k: ("" if v is None else str(v)) for k, v in clean.items()}
        if not any(v.strip() for v in clean.values()):
            continue
        codes.append(_code(clean, f"{path}: row {rownum}"))
    if not codes:
        raise ConfigError(f"{path}: no codes found; the first row must name the columns")
    try:
        return Codebook(tuple(codes), name=name)
    except ValueError as exc:
        bad = str(exc).split("code ", 1)[-1].split(" ", 1)[0].strip("'")
        dup = [n for n, r in rows if str(r.get("name", "")).strip() == bad]
        where = f"{path}: row {dup[-1]}" if dup else str(path)
        raise ConfigError(f"{where}: {exc}") from exc


def _check_header(header: Sequence[Any], path: Path) -> None:
    cols = {str(h).strip().lower() for h in header if h is not None and str(h).strip()}
    if "name" not in cols:
        raise ConfigError(
            f"{path}: row 1 must name the columns and include 'name' "
            f"(columns: {', '.join(CODE_FIELDS)})"
        )
    unknown = cols - set(CODE_FIELDS)
    if unknown:
        raise ConfigError(f"{path}: row 1: unknown column(s) {', '.join(sorted(unknown))}")


def _load_csv(path: Path, name: str) -> Codebook:
    text = _read_text(path)
    # Only the separator is sniffed, from the header; quoting is Excel's (a doubled quote is
    # a quote), which the sniffer cannot tell from one line.
    try:
        delimiter = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=csv.excel, delimiter=delimiter)
    _check_header(reader.fieldnames or [], path)
    rows = []
    for row in reader:
        if None in row:
            raise ConfigError(f"{path}: row {reader.line_num}: more cells than columns")
        rows.append((reader.line_num, row))
    return _rows_to_codebook(rows, path, name)


def _load_xlsx(path: Path, name: str) -> Codebook:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise ConfigError(f"{path}: not a readable Excel file ({exc})") from exc
    try:
        sheet = book.worksheets[0]
        values = list(sheet.iter_rows(values_only=True))
    finally:
        book.close()
    if not values:
        raise ConfigError(f"{path}: the first sheet is empty")
    header = [str(h).strip().lower() if h is not None else "" for h in values[0]]
    _check_header(header, path)
    rows = [
        (n, {h: v for h, v in zip(header, row, strict=False) if h})
        for n, row in enumerate(values[1:], start=2)
    ]
    return _rows_to_codebook(rows, path, name)


def load_codebook(path: str | Path, *, name: str | None = None) -> Codebook:
    """Read a codebook; the format follows the extension (.toml, .json, .csv, .xlsx).

    The codebook's name is the ``name`` in the file, else ``name``, else the file's stem.
    """
    path = Path(path)
    if path.suffix.lower() == ".qdc":  # REFI-QDA codebooks: reportanalysis.interop
        from ..interop import read_qdc

        return read_qdc(path, name=name)
    fmt = _format(path)
    if not path.is_file():
        raise ConfigError(f"{path}: codebook file not found")
    default = name or path.stem
    loader = {"toml": _load_toml, "json": _load_json, "csv": _load_csv, "xlsx": _load_xlsx}[fmt]
    codebook = loader(path, default)
    if name is not None and codebook.name != name:
        codebook = Codebook(codebook.codes, name=name)
    return codebook


def _table_rows(codebook: Codebook) -> list[list[str]]:
    rows = []
    for code in codebook:
        row = []
        for key in CODE_FIELDS:
            value = getattr(code, key)
            if key == "examples":
                value = "\n".join(value)
            row.append(value or "")
        rows.append(row)
    return rows


def _sheet_title(name: str) -> str:
    """An Excel sheet name for ``name``: at most 31 characters, none of ``\\/?*:[]``.

    >>> _sheet_title("thema's 2024/2025: [concept]")
    "thema's 2024-2025- -concept-"
    """
    title = "".join("-" if ch in "\\/?*:[]" else ch for ch in name)[:31].strip("' ")
    return title or "codebook"


def save_codebook(codebook: Codebook, path: str | Path) -> None:
    """Write a codebook; the format follows the extension (.toml, .json, .csv, .xlsx)."""
    path = Path(path)
    fmt = _format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "toml":
        import tomli_w

        path.write_text(tomli_w.dumps(codebook_to_obj(codebook)), encoding="utf-8")
    elif fmt == "json":
        text = json.dumps(codebook_to_obj(codebook), ensure_ascii=False, indent=2)
        path.write_text(text + "\n", encoding="utf-8")
    elif fmt == "csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(CODE_FIELDS)
            writer.writerows(_table_rows(codebook))
    else:
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = _sheet_title(codebook.name)
        sheet.append(list(CODE_FIELDS))
        for row in _table_rows(codebook):
            sheet.append(row)
        book.save(path)
