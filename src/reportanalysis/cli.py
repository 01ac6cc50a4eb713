"""The command line: each command parses its arguments and calls the library function it names.

Commands that read and write anecdotes as JSON lines follow ../shared/eval/README.md: each input
line is kept whole and the command adds its fields; output goes to standard output unless
``-o FILE`` is given.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from . import __version__
from .errors import ReportAnalysisError

app = typer.Typer(
    name="reportanalysis",
    help="Kwalitatieve analyse van Nederlandse gespreksverslagen.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Exit codes shared by every command.
EXIT_OK, EXIT_SKIPPED, EXIT_FAILED = 0, 1, 2


class OutputFormat(str, Enum):
    jsonl = "jsonl"
    table = "table"


OutOption = Annotated[
    Path | None, typer.Option("-o", "--output", help="Write here instead of standard output.")
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", help="jsonl or table.")]


# --------------------------------------------------------------------------- shared helpers


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Rows of a JSON-lines file; a bad line is an error naming file and line."""
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise typer.BadParameter(f"{path}:{n}: not JSON ({exc.msg})") from exc
            if not isinstance(row, dict):
                raise typer.BadParameter(f"{path}:{n}: expected a JSON object")
            rows.append(row)
    return rows


def require_field(rows: Sequence[dict[str, Any]], field: str, path: Path) -> None:
    for n, row in enumerate(rows, 1):
        if field not in row:
            raise typer.BadParameter(f"{path}: line {n} has no {field!r} field")


def _jsonable(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)


def write_rows(
    rows: Iterable[dict[str, Any]],
    fmt: OutputFormat,
    output: Path | None,
    columns: Sequence[str] | None = None,
) -> None:
    """Write rows as JSON lines or as a rich table, to ``output`` or standard output."""
    rows = list(rows)
    if fmt is OutputFormat.jsonl:
        lines = (json.dumps(r, ensure_ascii=False, default=_jsonable) + "\n" for r in rows)
        if output is None:
            sys.stdout.writelines(lines)
        else:
            output.parent.mkdir(parents=True, exist_ok=True)
            with open(output, "w", encoding="utf-8") as fh:
                fh.writelines(lines)
        return
    from rich.console import Console
    from rich.table import Table

    cols = list(columns or (rows[0].keys() if rows else []))
    table = Table(*cols)
    for r in rows:
        table.add_row(*(_short(r.get(c)) for c in cols))
    if output is None:
        Console().print(table)
    else:
        with open(output, "w", encoding="utf-8") as fh:
            Console(file=fh, width=200).print(table)


def _short(value: Any, width: int = 80) -> str:
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def fail(message: str, code: int = EXIT_FAILED) -> typer.Exit:
    typer.echo(f"fout: {message}", err=True)
    return typer.Exit(code)


def iter_errors(errors: Iterable[ReportAnalysisError]) -> Iterator[str]:
    for err in errors:
        yield f"overgeslagen: {err}"


# --------------------------------------------------------------------------- commands


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"reportanalysis {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version_callback, is_eager=True, help="Versie."),
    ] = False,
) -> None:
    """Kwalitatieve analyse van Nederlandse gespreksverslagen."""


# Commands are added below, one section per pipeline step, each a few lines over a library call.


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``reportanalysis`` script."""
    try:
        app(args=list(argv) if argv is not None else None, standalone_mode=True)
    except ReportAnalysisError as exc:  # errors raised outside a command's own handling
        typer.echo(f"fout: {exc}", err=True)
        raise SystemExit(EXIT_FAILED) from exc


if __name__ == "__main__":  # pragma: no cover
    main()
