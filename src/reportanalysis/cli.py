"""The command line: each command parses its arguments and calls the library function it names.

Commands that read and write anecdotes as JSON lines follow ../shared/eval/README.md: each input
line is kept whole and the command adds its fields; output goes to standard output unless
``-o FILE`` is given.
"""

from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Iterable, Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from . import __version__
from .errors import ConfigError, InputError, ReportAnalysisError, is_own_warning

app = typer.Typer(
    name="reportanalysis",
    help="Kwalitatieve analyse van Nederlandse gespreksverslagen.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Exit codes shared by every command.
EXIT_OK, EXIT_SKIPPED, EXIT_FAILED = 0, 1, 2


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    table = "table"


OutOption = Annotated[
    Path | None, typer.Option("-o", "--output", help="Write here instead of standard output.")
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", help="jsonl or table.")]


# --------------------------------------------------------------------------- shared helpers


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Rows of a JSON-lines file; a missing file or a bad line is an error naming the file
    (and the line)."""
    rows = []
    try:
        with open(path, encoding="utf-8-sig") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise typer.BadParameter(
                        f"{path}, regel {n}: geen JSON ({exc.msg}); verwacht één JSON-object "
                        "per regel"
                    ) from exc
                if not isinstance(row, dict):
                    raise typer.BadParameter(f"{path}, regel {n}: verwacht een JSON-object")
                rows.append(row)
    except FileNotFoundError as exc:
        raise typer.BadParameter(f"{path}: bestand bestaat niet; controleer het pad") from exc
    except IsADirectoryError as exc:
        raise typer.BadParameter(f"{path}: is een map, geen JSONL-bestand") from exc
    except UnicodeDecodeError as exc:
        raise typer.BadParameter(
            f"{path}: geen UTF-8-tekst (byte {exc.start}); sla het op als UTF-8"
        ) from exc
    return rows


def read_labelled(
    input: Path, train: Path | None, field: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]] | None]:
    """The ``--input`` rows (with ``text``) and ``--train`` rows (``text`` and ``field``)."""
    rows = read_jsonl(input)
    require_field(rows, "text", input)
    if train is None:
        return rows, None
    train_rows = read_jsonl(train)
    require_field(train_rows, "text", train)
    require_field(train_rows, field, train)
    return rows, train_rows


def require_field(rows: Sequence[dict[str, Any]], field: str, path: Path) -> None:
    for n, row in enumerate(rows, 1):
        if field not in row:
            raise typer.BadParameter(f"{path}, regel {n}: het veld {field!r} ontbreekt")


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


def exit_code(read: int, skipped: Sequence[Any]) -> int:
    """0 all read, 1 some inputs skipped, 2 nothing could be read at all.

    >>> exit_code(3, []), exit_code(3, ["x"]), exit_code(0, ["x"])
    (0, 1, 2)
    """
    if skipped and not read:
        return EXIT_FAILED
    return EXIT_SKIPPED if skipped else EXIT_OK


def reports_word(n: int) -> str:
    """``1 verslag``, ``3 verslagen``.

    >>> reports_word(1), reports_word(0)
    ('1 verslag', '0 verslagen')
    """
    return f"{n} verslag" if n == 1 else f"{n} verslagen"


def skipped_line(err: ReportAnalysisError) -> str:
    """``overgeslagen: <file>: <what it means, in Dutch> (<details>)``.

    >>> from reportanalysis.errors import EncryptedFileError
    >>> skipped_line(EncryptedFileError("a.pdf", "the PDF is encrypted; remove the password"))
    'overgeslagen: a.pdf: beveiligd met een wachtwoord (the PDF is encrypted; remove the password)'
    """
    if not isinstance(err, InputError):
        return f"overgeslagen: {err}"
    return f"overgeslagen: {err.in_dutch()}"


def iter_errors(errors: Iterable[ReportAnalysisError]) -> Iterator[str]:
    for err in errors:
        yield skipped_line(err)


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


# --------------------------------------------------------------------------- ingest, reports

ProjectOption = Annotated[Path, typer.Option("--project", help="Het projectbestand (.ra).")]


def _existing_project(path: Path) -> Path:
    if not path.is_file():
        raise typer.BadParameter(
            f"{path}: dat projectbestand bestaat niet; maak het met "
            f"`reportanalysis ingest <verslagen> --project {path}` of "
            f"`reportanalysis run <verslagen> --project {path} --out <map>`"
        )
    return path


ExistingProjectOption = Annotated[
    Path,
    typer.Option("--project", help="Het projectbestand (.ra).", callback=_existing_project),
]


MetadataOption = Annotated[
    Path | None,
    typer.Option(
        "--metadata",
        help="Overzicht (.csv of .xlsx) met een rij per verslag: een kolom 'bestand' en "
        "kolommen als initiatief, bezoek en datum. Gaat voor wat het verslag zelf zegt.",
    ),
]


@app.command("ingest")
def ingest_command(
    paths: Annotated[list[Path], typer.Argument(help="Verslagen: bestanden, mappen of zips.")],
    project: ProjectOption,
    text_column: Annotated[
        list[str] | None,
        typer.Option(
            "--text-column",
            help="Tabellen: kolom met de tekst (herhaal voor meer open vragen; standaard: de "
            "kolommen met lange teksten).",
        ),
    ] = None,
    id_column: Annotated[
        str | None, typer.Option("--id-column", help="Tabellen: kolom met het id.")
    ] = None,
    metadata: MetadataOption = None,
) -> None:
    """Verslagen inlezen in een projectbestand (wordt aangemaakt als het er nog niet is)."""
    from .project import Project

    try:
        with Project.open_or_create(project) as store:
            result = store.add_reports(
                paths, text_column=text_column, id_column=id_column, metadata_table=metadata
            )
            reports_now = store.reports()
            total = len(reports_now)
    except ReportAnalysisError as exc:
        raise fail(str(exc)) from exc
    added = len(result.reports) - len(result.updated)
    typer.echo(f"{reports_word(added)} toegevoegd aan {project} ({total} in totaal)")
    if result.metadata_updated:
        typer.echo(
            f"metadata uit {metadata} op {reports_word(len(result.metadata_updated))} gezet "
            "die er al in stonden"
        )
    if result.updated:
        typer.echo(f"{reports_word(len(result.updated))} bijgewerkt (het bestand is veranderd):")
        for source, report_id in result.updated:
            typer.echo(f"  bijgewerkt: {report_id} ({source})")
    # A file read again into its project is no copy: only files repeating another are listed.
    copies = result.copies(reports_now)
    again = [d for d in result.duplicates if d not in copies]
    if again:
        typer.echo(f"{reports_word(len(again))} ongewijzigd, al in het project")
    if copies:
        typer.echo(f"{len(copies)} dubbel (zelfde tekst als een ander bestand), niet toegevoegd:")
        for source, same_as in copies:
            typer.echo(f"  {source} = {same_as}")
    if result.skipped:
        typer.echo(f"{len(result.skipped)} overgeslagen:")
        for line in iter_errors(result.skipped):
            typer.echo(f"  {line}")
    raise typer.Exit(exit_code(len(result.reports) + len(result.duplicates), result.skipped))


@app.command("reports")
def reports_command(
    project: ExistingProjectOption, fmt: FormatOption = OutputFormat.table, output: OutOption = None
) -> None:
    """De verslagen in een project: id, formaat, initiatief, bezoek, datum, tekens."""
    from .project import Project

    try:
        with Project.open(project) as store:
            reports = store.reports()
    except ReportAnalysisError as exc:
        raise fail(str(exc)) from exc
    rows = [
        {
            "id": r.id,
            "format": r.format,
            **{k: r.metadata.get(k) for k in ("initiatief", "bezoek", "datum")},
            "tekens": len(r.text),
        }
        for r in reports
    ]
    columns = ["id", "format", "initiatief", "bezoek", "datum", "tekens"]
    write_rows(rows, fmt, output, columns=columns)


# --------------------------------------------------------------------------- split


@app.command("split")
def split_command(
    paths: Annotated[list[Path], typer.Argument(help="Verslagen: bestanden of mappen.")],
    fmt: FormatOption = OutputFormat.jsonl,
    output: OutOption = None,
    no_embeddings: Annotated[
        bool, typer.Option("--no-embeddings", help="Alleen signaalwoorden en lengte, geen model.")
    ] = False,
    pseudonymise: Annotated[
        bool,
        typer.Option(
            "--pseudonymise/--no-pseudonymise",
            help="text gepseudonimiseerd (start/end blijven naar het origineel wijzen, pstart/pend "
            "erbij). Standaard uit: dan is text precies het stuk uit het bestand.",
        ),
    ] = False,
) -> None:
    """Verslagen splitsen in anekdotes (één regel per anekdote: report, start, end, text …)."""
    from .ingest import read_reports
    from .segment import SPLIT_COLUMNS, Splitter, anecdote_rows

    try:
        result = read_reports(paths, errors="collect")
        splitter = Splitter(embedder="none" if no_embeddings else None)
        anecdotes = splitter.split_many(result.reports)
        rows = anecdote_rows(anecdotes)
        if pseudonymise:
            from .privacy import pseudonymise_rows

            rows = pseudonymise_rows(rows, result.reports)
    except ReportAnalysisError as exc:
        raise fail(str(exc)) from exc
    if exit_code(len(result.reports), result.skipped) == EXIT_FAILED:
        for line in iter_errors(result.skipped):
            typer.echo(line, err=True)
        raise fail("geen enkel verslag ingelezen; er is niets geschreven")
    table = ("report", "start", "end", "section", "text")
    write_rows(rows, fmt, output, columns=SPLIT_COLUMNS if fmt is OutputFormat.jsonl else table)
    for line in iter_errors(result.skipped):
        typer.echo(line, err=True)
    for c in splitter.coverage(result.reports, anecdotes):
        if c.empty:
            typer.echo(
                f"let op: {c.report_id}: 0 anekdotes ({c.text_chars} tekens tekst)", err=True
            )
    raise typer.Exit(exit_code(len(result.reports), result.skipped))


# --------------------------------------------------------------------------- pseudonymise


@app.command("pseudonymise")
def pseudonymise_command(
    paths: Annotated[list[Path], typer.Argument(help="Verslagen: bestanden, mappen of zips.")],
    out: Annotated[Path, typer.Option("--out", help="Map voor de gepseudonimiseerde .txt's.")],
    key: Annotated[
        Path | None,
        typer.Option(
            "--key",
            help="Sleutelbestand (pseudoniem → origineel, JSON), buiten --out. Een bestaande "
            "sleutel wordt hergebruikt en aangevuld, zodat pseudoniemen gelijk blijven.",
        ),
    ] = None,
    keep: Annotated[
        list[str] | None, typer.Option("--keep", help="Woord of naam die nooit vervangen wordt.")
    ] = None,
    name: Annotated[
        list[str] | None, typer.Option("--name", help="Extra naam om overal te vervangen.")
    ] = None,
) -> None:
    """Persoonsgegevens vervangen door vaste pseudoniemen: één .txt per verslag in --out."""
    from .privacy import pseudonymise_paths

    try:
        result = pseudonymise_paths(paths, out, key=key, keep=keep or (), extra_names=name or ())
    except (ReportAnalysisError, ValueError) as exc:
        raise fail(str(exc)) from exc
    for line in iter_errors(result.skipped):
        typer.echo(line, err=True)
    typer.echo(f"{reports_word(len(result.written))} gepseudonimiseerd in {out}/")
    if result.key is not None:
        typer.echo(f"Sleutel geschreven naar {result.key}: bewaar die apart van de uitvoer.")
    raise typer.Exit(exit_code(len(result.written), result.skipped))


# --------------------------------------------------------------------------- run (pipeline)


@app.command("run")
def run_command(
    out: Annotated[Path, typer.Option("--out", help="Map voor het rapport en run.json.")],
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Verslagen: bestanden, mappen of zips. Zonder: de verslagen in --project."
        ),
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="analysis.toml met instellingen per stap.")
    ] = None,
    project: Annotated[
        Path | None,
        typer.Option("--project", help="Projectbestand: labels, bewerkingen en cache blijven."),
    ] = None,
    key: Annotated[
        Path | None,
        typer.Option(
            "--key",
            help="Pseudoniemensleutel (apart bewaren!). Een bestaande sleutel wordt hergebruikt "
            "en aangevuld, zodat pseudoniemen gelijk blijven tussen runs.",
        ),
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Overschrijft de seed.")] = None,
    pseudonymise: Annotated[
        bool | None,
        typer.Option(
            "--pseudonymise/--no-pseudonymise", help="Persoonsgegevens vervangen (standaard aan)."
        ),
    ] = None,
    metadata: MetadataOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Geen voortgangsbalken.")] = False,
) -> None:
    """Hele analyse: inlezen → pseudonimiseren → splitsen → thema's → praktijken → rapport."""
    from .pipeline import Config, run

    if not paths and project is None:
        raise fail("geef verslagen (bestanden, mappen of zips), of --project met verslagen erin")
    if not paths and project is not None and not project.exists():
        raise fail(f"{project}: projectbestand bestaat niet; geef ook de verslagen")
    if out.exists() and not out.is_dir():
        raise fail(f"{out} is een bestand; --out is een map (voor report.html, run.json …)")
    paths = paths or []
    try:
        cfg = Config.from_toml(config) if config else Config()
        overrides: dict[str, Any] = {}
        if seed is not None:
            overrides["seed"] = seed
        if pseudonymise is not None:
            overrides["privacy"] = {**cfg.privacy, "enabled": pseudonymise}
        if metadata is not None:
            overrides["ingest"] = {**cfg.ingest, "metadata_table": str(metadata.resolve())}
        if overrides:
            cfg = Config.from_dict({**cfg.to_dict(), **overrides})
        with _StageBars(quiet) as progress:
            result = run(paths, out, cfg, project=project, key_path=key, progress=progress)
    except ReportAnalysisError as exc:
        raise fail(str(exc)) from exc
    except Exception as exc:  # a bug or a broken template: say where the details are, exit 2
        raise fail(
            f"onverwachte fout ({type(exc).__name__}: {exc}); details in {out}/run.log"
        ) from exc
    for line in iter_errors(result.skipped):
        typer.echo(line, err=True)
    for report_id in result.info.get("without_anecdotes", []):
        typer.echo(f"let op: {report_id}: 0 anekdotes (zie {out}/run.log)", err=True)
    for item in result.info.get("updated", []):
        typer.echo(f"bijgewerkt: {item['id']} ({item['source']}): het bestand is veranderd")
    for item in result.info.get("duplicates", []):
        typer.echo(
            f"dubbel: {item['source']} heeft dezelfde tekst als {item['same_as']} en telt één "
            "keer mee"
        )
    for name in result.info.get("kept_from_earlier", []):
        typer.echo(
            f"let op: {out}/{name} is van een eerdere run en sindsdien bewerkt: "
            "bewaard, niet bijgewerkt",
            err=True,
        )
    names = ", ".join(sorted(p.name for p in result.outputs.values()))
    typer.echo(f"Rapport geschreven naar {out}/ ({names})")
    raise typer.Exit(result.exit_code)


class _StageBars:
    """Rich progress bars, one per pipeline stage (nothing when quiet or not a terminal)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self._progress: Any = None
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> Any:
        if self.quiet:
            return None
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        console = Console(stderr=True)  # stdout stays for the result line
        if not console.is_terminal:
            return None  # a log file or a pipe gets no bars drawn at the end
        self._progress = Progress(
            TextColumn("{task.description:<14}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            transient=False,
            console=console,
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


# --------------------------------------------------------------------------- practices, kinds

InputOption = Annotated[
    Path, typer.Option("--input", help="Anekdotes als JSON-regels (met 'text').")
]
TrainOption = Annotated[
    Path | None,
    typer.Option(
        "--train",
        help="Gelabelde anekdotes als JSON-regels om van te leren: per regel 'text' en het "
        "label, in het veld dat de opdracht toevoegt: 'kind' bij kinds (succes, knelpunt, "
        "aanknopingspunt), 'practice' bij practices (P1..P5 of none), het veld van --field "
        "bij suggest.",
    ),
]
EmbedderOption = Annotated[
    str,
    typer.Option(
        "--embedder",
        help="use (standaard, meertalig, offline), tfidf (geen model) of "
        "sentence-transformers (met --model).",
    ),
]
ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        help="Bij --embedder sentence-transformers: map van een opgeslagen model of naam van "
        "een geïnstalleerd modelpakket (er wordt niets gedownload).",
    ),
]


def _embedder(kind: str, model: str | None) -> Any:
    """The embedder ``--embedder``/``--model`` ask for; None for ``use``, each step's default
    (which also caches the vectors)."""
    from .embed import make_embedder

    if model is not None and kind.lower() not in ("sentence-transformers", "st", "sbert"):
        raise ConfigError("--model hoort bij --embedder sentence-transformers")
    if kind.lower() == "use":
        return None
    return make_embedder(kind, **({"model": model} if model is not None else {}))


@app.command("practices")
def practices_command(
    input: InputOption,
    train: TrainOption = None,
    framework: Annotated[
        str,
        typer.Option("--framework", help="Naam van een ingebouwd raamwerk of een TOML-bestand."),
    ] = "publieke_bricoleurs",
    fmt: FormatOption = OutputFormat.jsonl,
    output: OutOption = None,
) -> None:
    """Anekdotes koppelen aan de vijf vitale werkpraktijken (P1..P5 of none)."""
    from .frameworks.apply import label_practices

    rows, train_rows = read_labelled(input, train, "practice")
    try:
        out = label_practices(rows, train=train_rows, framework=framework)
    except ReportAnalysisError as exc:
        raise fail(str(exc)) from exc
    write_rows(out, fmt, output, columns=["text", "practice", "secondary_practice"])


@app.command("kinds")
def kinds_command(
    input: InputOption,
    train: TrainOption = None,
    fmt: FormatOption = OutputFormat.jsonl,
    output: OutOption = None,
) -> None:
    """Anekdotes indelen in succes, knelpunt of aanknopingspunt."""
    from .frameworks.apply import label_kinds

    rows, train_rows = read_labelled(input, train, "kind")
    try:
        out = label_kinds(rows, train=train_rows)
    except ReportAnalysisError as exc:
        raise fail(str(exc)) from exc
    write_rows(out, fmt, output, columns=["text", "kind"])


# --------------------------------------------------------------------------- themes


@app.command("themes")
def themes_command(
    input: InputOption,
    codebook: Annotated[
        Path | None,
        typer.Option("--codebook", help="Codeboek (.toml/.json/.csv/.xlsx) dat de thema's stuurt."),
    ] = None,
    seed: Annotated[
        int, typer.Option("--seed", help="Zaadwaarde: gelijk zaad, gelijke thema's.")
    ] = 0,
    n_themes: Annotated[
        int | None,
        typer.Option(
            "--n-themes",
            help="Vast aantal thema's (standaard: automatisch). Met --codebook: hoogstens "
            "zoveel thema's, codes meegeteld; elke code blijft een thema.",
        ),
    ] = None,
    mode: Annotated[
        str,
        typer.Option(
            "--mode",
            help="Hoe de thema's gevonden worden.\n\n"
            "auto: direct onder 5.000 anekdotes, daarboven small.\n\n"
            "direct: zonder BERTopic (gemiddelde koppeling of PCA + KMeans); snel.\n\n"
            "small: BERTopic met PCA + KMeans; elke anekdote krijgt een thema.\n\n"
            "bertopic: hetzelfde als small.\n\n"
            "large: BERTopic met UMAP + HDBSCAN; vindt zelf het aantal, traag.",
        ),
    ] = "auto",
    embedder: EmbedderOption = "use",
    model: ModelOption = None,
    fmt: FormatOption = OutputFormat.jsonl,
    output: OutOption = None,
) -> None:
    """Anekdotes in thema's groeperen; elke regel krijgt 'theme' en 'theme_label'."""
    from .themes import themes

    rows = read_jsonl(input)
    require_field(rows, "text", input)
    try:
        book = None
        if codebook is not None:
            from .labels import load_codebook

            book = load_codebook(codebook)
        out, fitted = themes(
            rows,
            codebook=book,
            seed=seed,
            n_themes=n_themes,
            mode=mode,
            embedder=_embedder(embedder, model),
        )
    except ReportAnalysisError as exc:
        raise fail(str(exc)) from exc
    n = len(fitted.themes_)
    found = "1 thema" if n == 1 else f"{n} thema's"
    typer.echo(f"{found} voor {len(rows)} anekdotes (route: {fitted.path_})", err=True)
    write_rows(out, fmt, output, columns=["text", "theme", "theme_label"])


# --------------------------------------------------------------------------- suggest (labels)


@app.command("suggest")
def suggest_command(
    input: InputOption,
    field: Annotated[str, typer.Option("--field", help="Naam van het veld dat erbij komt.")],
    codebook: Annotated[
        Path | None,
        typer.Option("--codebook", help="Codeboek: .toml, .json ({naam: definitie}), .csv, .xlsx."),
    ] = None,
    train: TrainOption = None,
    embedder: EmbedderOption = "use",
    model: ModelOption = None,
    fmt: FormatOption = OutputFormat.jsonl,
    output: OutOption = None,
) -> None:
    """Codes voorstellen voor anekdotes (uit het codeboek en/of gelabelde voorbeelden)."""
    from .labels import load_codebook
    from .labels.workflow import suggest_rows

    rows, train_rows = read_labelled(input, train, field)
    if codebook is None and train_rows is None:
        raise fail("geef een codeboek (--codebook) of gelabelde voorbeelden (--train)")
    try:
        book = load_codebook(codebook) if codebook is not None else None
        out = suggest_rows(rows, field, book, train=train_rows, embedder=_embedder(embedder, model))
    except ReportAnalysisError as exc:
        raise fail(str(exc)) from exc
    write_rows(out, fmt, output, columns=["text", field, f"{field}_score"])


# --------------------------------------------------------------------------- report


@app.command("report")
def report_command(
    project: ExistingProjectOption,
    out: Annotated[Path, typer.Option("--out", help="Map voor report.html, .docx, .xlsx …")],
    formats: Annotated[
        str, typer.Option("--format", help="Komma-gescheiden: html,docx,xlsx,md,json.")
    ] = "html,docx,xlsx,md,json",
    language: Annotated[str, typer.Option("--language", help="nl of en.")] = "nl",
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            help="Map met eigen report.html.j2 en/of report.md.j2; vervangt het ingebouwde "
            "sjabloon met dezelfde naam (zie de gebruikershandleiding).",
        ),
    ] = None,
) -> None:
    """Het rapport met aanbevelingen schrijven uit een geanalyseerd project."""
    from .pipeline import tables_from_project
    from .project import Project
    from .report import build_recommendations, render

    try:
        with Project.open(project) as store:
            if not store.runs():
                raise fail(
                    f"{project}: dit project is nog niet geanalyseerd (geen thema's, praktijken "
                    f"of soorten); draai eerst `reportanalysis run MAP --project {project}`"
                )
            tables = tables_from_project(store)
        recs = build_recommendations(tables, language=language)
        written = render(recs, out, formats=formats.split(","), template_dir=templates)
    except ReportAnalysisError as exc:
        raise fail(str(exc)) from exc
    except typer.Exit:
        raise
    except Exception as exc:  # a broken template of the user's, or a bug: exit 2, say what
        raise fail(f"onverwachte fout ({type(exc).__name__}: {exc})") from exc
    for path in written.values():
        typer.echo(f"geschreven: {path}")


# --------------------------------------------------------------------------- import, export


class InteropFormat(StrEnum):
    qdpx = "qdpx"
    qdc = "qdc"
    csv = "csv"
    xlsx = "xlsx"


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="Een .qdpx, .qdc, .csv of .xlsx.")],
    project: ProjectOption,
) -> None:
    """Een REFI-QDA-project of -codeboek, of een tabel met gecodeerde fragmenten, inlezen in een
    project (wordt aangemaakt als het er nog niet is)."""
    from .interop import import_file

    try:
        summary = import_file(file, project)
    except ReportAnalysisError as exc:
        raise fail(str(exc)) from exc
    for line in summary.lines():
        typer.echo(line)
    raise typer.Exit(EXIT_OK if summary.ok else EXIT_SKIPPED)


@app.command("export")
def export_command(
    project: ExistingProjectOption,
    output: Annotated[Path, typer.Option("-o", "--output", help="Het bestand om te schrijven.")],
    fmt: Annotated[
        InteropFormat | None,
        typer.Option("--format", help="qdpx, qdc, csv of xlsx (standaard: volgens -o)."),
    ] = None,
    originals: Annotated[
        bool,
        typer.Option(
            "--originals",
            help="Originele tekst exporteren in plaats van gepseudonimiseerde (alleen intern; "
            "behandel het bestand als het projectbestand).",
        ),
    ] = False,
) -> None:
    """Een project exporteren naar REFI-QDA (.qdpx, .qdc) of een tabel (.csv, .xlsx).

    De tekst is gepseudonimiseerd zoals bij de laatste run; een teruggelezen export komt op de
    originele tekst terecht."""
    from .interop import export_file
    from .project import Project

    try:
        written = export_file(project, output, fmt.value if fmt else None, originals=originals)
        with Project.open(project) as store:
            unsplit = bool(store.reports()) and not store.anecdotes()
    except ReportAnalysisError as exc:
        raise fail(str(exc)) from exc
    typer.echo(f"geschreven: {written}")
    if unsplit:
        typer.echo(
            f"let op: {project} heeft nog geen anekdotes, dus de export heeft geen fragmenten; "
            f"draai eerst: reportanalysis run --project {project} --out <map>",
            err=True,
        )


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    """Our own warnings as a line an analyst reads ("let op: …"), not a Python source
    location; every other warning as Python shows it."""
    if is_own_warning(category, filename):
        typer.echo(f"let op: {message}", err=True)
    else:
        text = warnings.formatwarning(message, category, filename, lineno, line)
        (file or sys.stderr).write(text)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``reportanalysis`` script."""
    warnings.showwarning = _show_warning
    try:
        app(args=list(argv) if argv is not None else None, standalone_mode=True)
    except ReportAnalysisError as exc:  # errors raised outside a command's own handling
        typer.echo(f"fout: {exc}", err=True)
        raise SystemExit(EXIT_FAILED) from exc


if __name__ == "__main__":  # pragma: no cover
    main()
