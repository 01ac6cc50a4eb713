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


# --------------------------------------------------------------------------- run (pipeline)


@app.command("run")
def run_command(
    paths: Annotated[list[Path], typer.Argument(help="Verslagen: bestanden, mappen of zips.")],
    out: Annotated[Path, typer.Option("--out", help="Map voor het rapport en run.json.")],
    config: Annotated[
        Path | None, typer.Option("--config", help="analysis.toml met instellingen per stap.")
    ] = None,
    project: Annotated[
        Path | None,
        typer.Option("--project", help="Projectbestand: labels, bewerkingen en cache blijven."),
    ] = None,
    key: Annotated[
        Path | None,
        typer.Option("--key", help="Schrijf de pseudoniemensleutel hierheen (apart bewaren!)."),
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Overschrijft de seed.")] = None,
    pseudonymise: Annotated[
        bool | None,
        typer.Option(
            "--pseudonymise/--no-pseudonymise", help="Persoonsgegevens vervangen (standaard aan)."
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Geen voortgangsbalken.")] = False,
) -> None:
    """Hele analyse: inlezen → pseudonimiseren → splitsen → thema's → praktijken → rapport."""
    from .pipeline import Config, run

    try:
        cfg = Config.from_toml(config) if config else Config()
        overrides: dict[str, Any] = {}
        if seed is not None:
            overrides["seed"] = seed
        if pseudonymise is not None:
            overrides["privacy"] = {**cfg.privacy, "enabled": pseudonymise}
        if overrides:
            cfg = Config.from_dict({**cfg.to_dict(), **overrides})
        with _stage_progress(quiet) as progress:
            result = run(paths, out, cfg, project=project, key_path=key, progress=progress)
    except ReportAnalysisError as exc:
        raise fail(str(exc)) from exc
    for line in iter_errors(result.skipped):
        typer.echo(line, err=True)
    typer.echo(f"Rapport geschreven naar {out}/ ({', '.join(sorted(result.outputs))})")
    raise typer.Exit(result.exit_code)


class _stage_progress:
    """Rich progress bars, one per pipeline stage (nothing when quiet or not a terminal)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self._progress: Any = None
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> Any:
        if self.quiet:
            return None
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("{task.description:<14}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            transient=False,
        )
        self._progress.__enter__()
        return self.update

    def update(self, stage: str, done: int, total: int | None) -> None:
        task = self._tasks.get(stage)
        if task is None:
            task = self._tasks[stage] = self._progress.add_task(stage, total=total)
        self._progress.update(task, completed=done, total=total)

    def __exit__(self, *exc: Any) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``reportanalysis`` script."""
    try:
        app(args=list(argv) if argv is not None else None, standalone_mode=True)
    except ReportAnalysisError as exc:  # errors raised outside a command's own handling
        typer.echo(f"fout: {exc}", err=True)
        raise SystemExit(EXIT_FAILED) from exc


if __name__ == "__main__":  # pragma: no cover
    main()
