"""Generate the reference documentation: ``docs/cli.md`` and ``docs/api/*.md``.

- ``docs/cli.md``: the hand-written introduction above the marker line is kept; below it, every
  command registered in :data:`reportanalysis.cli.app` with its help text, usage, arguments,
  options (read from the click objects typer builds) and an example from :data:`EXAMPLES`.
- ``docs/api/``: one Markdown file per public module (each name of its ``__all__``: signature,
  docstring, public methods of classes) and an ``index.md``. No sphinx: :mod:`inspect` only.

    .venv/bin/python scripts/make_docs.py               # rewrites docs/cli.md and docs/api/
    .venv/bin/python scripts/make_docs.py --out /tmp/d  # somewhere else (the tests do this)

Run it after changing a command, a docstring or an ``__all__``, and commit the result.
"""

from __future__ import annotations

import argparse
import enum
import importlib
import inspect
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

#: Public modules documented in docs/api/, in pipeline order (the CLI has docs/cli.md).
MODULES: tuple[str, ...] = (
    "reportanalysis",
    "reportanalysis.errors",
    "reportanalysis.model",
    "reportanalysis.ingest",
    "reportanalysis.project",
    "reportanalysis.edits",
    "reportanalysis.privacy",
    "reportanalysis.segment",
    "reportanalysis.embed",
    "reportanalysis.dutch",
    "reportanalysis.diskcache",
    "reportanalysis.saving",
    "reportanalysis.labels",
    "reportanalysis.themes",
    "reportanalysis.frameworks",
    "reportanalysis.frameworks.views",
    "reportanalysis.report",
    "reportanalysis.interop",
    "reportanalysis.pipeline",
)

MARKER = "<!-- Alles hieronder maakt scripts/make_docs.py; wijzig het daar of in cli.py. -->"

CLI_INTRO = """\
# Opdrachtregel: `reportanalysis`

Elke opdracht is een dunne laag over een functie van de bibliotheek (zie [de API](api/index.md)).
Na `make install` staat het programma in `.venv/bin/reportanalysis`; `reportanalysis --help` en
`reportanalysis OPDRACHT --help` tonen dezelfde informatie als deze pagina.

- **Exitcodes**: 0 alles goed, 1 een of meer invoerbestanden overgeslagen (de reden staat in de
  uitvoer), 2 mislukt.
- **JSON-regels**: `split`, `themes`, `practices`, `kinds` en `suggest` lezen en schrijven
  anekdotes als JSON-regels (één object per regel): elke invoerregel blijft heel en de opdracht
  voegt haar velden toe; als invoer is alleen `text` nodig. Zonder `-o BESTAND` gaat de uitvoer
  naar standaarduitvoer; `--format table` toont een leesbare tabel. Een regel van `split` heeft:
  - `report`: het id van het verslag (de bestandsnaam zonder extensie);
  - `start`, `end`: tekenposities in de tekst van het verslag zoals ingelezen (`end` telt niet
    mee), zodat `text` precies `tekst[start:end]` is;
  - `text`: de anekdote;
  - `section`: de kop of gespreksvraag waaronder de anekdote staat, of `null`;
  - `order`: het volgnummer van de anekdote in het verslag, vanaf 0;
  - `id`: `report:start-end`.

  Met `split --pseudonymise` is `text` gepseudonimiseerd en komen `pstart` en `pend` erbij: de
  posities in de gepseudonimiseerde tekst.
- **Gelabelde voorbeelden** (`--train`): JSON-regels met `text` en het label, in het veld dat de
  opdracht toevoegt: `kind` (succes, knelpunt of aanknopingspunt) bij `kinds`, `practice` (P1
  … P5 of none) bij `practices`, het veld van `--field` bij `suggest`. Zo'n bestand maakt u
  bijvoorbeeld van de uitvoer van `split` of `kinds`, met per regel het label nagekeken.
- **Privacy**: `run`, `report` en `export` schrijven gepseudonimiseerde tekst. `split`, `themes`,
  `practices`, `kinds`, `suggest` en `reports` werken op de tekst zoals ze die krijgen en
  pseudonimiseren niets (behalve `split --pseudonymise`): hun uitvoer is intern werkmateriaal.
- **Projectbestand**: `ingest`, `reports`, `report`, `export` en `import` werken op een
  projectbestand (`--project analyse.ra`), waarin verslagen, anekdotes, labels en bewerkingen
  bewaard blijven. `run --project` gebruikt hetzelfde bestand. De extensie maakt niet uit; deze
  documentatie gebruikt `.ra`.
- Een volledige analyse in één keer: `reportanalysis run verslagen/ --out uitvoer/` (zie de
  [gebruikershandleiding](gebruikershandleiding.md)).
- **Omgevingsvariabele** `REPORTANALYSIS_CACHE`: de map waarin hulptabellen uit de
  geïnstalleerde pakketten bewaard worden (standaard `~/.cache/reportanalysis`; `off` zet het
  uit). Er staat niets uit uw verslagen in.

"""

#: One example per command, in the order of docs/cli.md; a command missing here comes last,
#: with a ``--help`` line as its example and a warning.
EXAMPLES: dict[str, str] = {
    "run": "reportanalysis run data/sample --out uitvoer --project analyse.ra --seed 7",
    "ingest": "reportanalysis ingest data/sample --project analyse.ra",
    "reports": "reportanalysis reports --project analyse.ra",
    "split": "reportanalysis split data/sample --format jsonl -o anekdotes.jsonl",
    "pseudonymise": (
        "reportanalysis pseudonymise data/sample --out gepseudonimiseerd --key sleutel.json"
    ),
    "themes": "reportanalysis themes --input anekdotes.jsonl --seed 1 -o themas.jsonl",
    "practices": "reportanalysis practices --input anekdotes.jsonl -o praktijken.jsonl",
    "kinds": (
        '# gelabeld.jsonl: per regel text en kind, bijv. {"text": "…", "kind": "knelpunt"}\n'
        "reportanalysis kinds --input anekdotes.jsonl --train gelabeld.jsonl"
    ),
    "suggest": (
        "reportanalysis suggest --input anekdotes.jsonl --field thema "
        "--codebook notebooks/codeboek.toml -o voorstellen.jsonl"
    ),
    "report": "reportanalysis report --project analyse.ra --out rapport --format html,docx",
    "export": "reportanalysis export --project analyse.ra --format qdpx -o analyse.qdpx",
    "import": "reportanalysis import analyse.qdpx --project analyse.ra",
}


# --------------------------------------------------------------------------- command line


def cli_commands() -> list[tuple[str, Any]]:
    """``(name, click command)`` of every command registered in the typer app, sorted."""
    import typer

    from reportanalysis.cli import app

    group = typer.main.get_command(app)
    commands = getattr(group, "commands", {})
    order = {name: i for i, name in enumerate(EXAMPLES)}  # pipeline order, then the rest
    return sorted(commands.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))


def _command_markdown(name: str, command: Any, root: Any) -> str:
    import typer

    parent = typer.Context(root, info_name="reportanalysis")
    ctx = typer.Context(command, info_name=name, parent=parent)
    out = [f"## `reportanalysis {name}`", ""]
    if command.help:
        out += [inspect.cleandoc(command.help), ""]
    usage = re.sub(  # "{paths}..." and, optional, "[paths]..." as PATHS
        r"\{(\w+)\}|(?<=\[)(\w+)(?=\])",
        lambda m: (m[1] or m[2]).upper(),
        " ".join(command.collect_usage_pieces(ctx)),
    )
    out += ["```console", f"$ reportanalysis {name} {usage}".rstrip(), "```", ""]
    arguments, options = [], []
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if param.param_type_name == "argument":
            metavar = str(param.name).upper() + ("..." if param.nargs == -1 else "")
            help_text = getattr(param, "help", None) or ""
            arguments.append((metavar, help_text))
        elif record is not None and "--help" not in param.opts:
            options.append(record)
    if arguments:
        out += ["**Argumenten**", ""]
        out += [f"- `{m}`" + (f": {h}" if h else "") for m, h in arguments]
        out.append("")
    if options:
        out += ["**Opties**", ""]
        out += [_option_markdown(opt, h) for opt, h in options]
        out.append("")
    example = EXAMPLES.get(name)
    if example is None:
        print(f"warning: no example for command {name!r}: add one to EXAMPLES", file=sys.stderr)
        example = f"reportanalysis {name} --help"
    out += ["**Voorbeeld**", "", "```sh", example, "```", ""]
    return "\n".join(out)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _option_markdown(opt: str, help_text: str) -> str:
    """One option as a list item; further paragraphs of its help (one per choice, say) as
    sub-items, with click's ``[default: …]``/``[required]`` kept on the first line.

    >>> print(_option_markdown("--mode <str>", "Hoe.\\n\\nauto: a.\\n\\nlarge: b. [default: auto]"))
    - `--mode <str>`: Hoe. [default: auto]
      - auto: a.
      - large: b.
    """
    paragraphs = [_one_line(p) for p in help_text.split("\n\n") if p.strip()]
    if not paragraphs:
        return f"- `{opt}`"
    suffix = ""
    if len(paragraphs) > 1:
        found = re.search(r"\s*((?:\[(?:default|required)[^\]]*\]\s*)+)$", paragraphs[-1])
        if found:
            suffix = " " + found[1].strip()
            paragraphs[-1] = paragraphs[-1][: found.start()]
    lines = [f"- `{opt}`: {paragraphs[0]}{suffix}"]
    lines += [f"  - {p}" for p in paragraphs[1:] if p]
    return "\n".join(lines)


def cli_markdown(intro: str = CLI_INTRO) -> str:
    """The whole of ``docs/cli.md``: ``intro``, the marker, then one section per command."""
    import typer

    from reportanalysis.cli import app

    root = typer.main.get_command(app)
    commands = cli_commands()
    toc = ["Opdrachten: " + ", ".join(f"[`{n}`](#reportanalysis-{n})" for n, _ in commands), ""]
    body = [_command_markdown(name, command, root) for name, command in commands]
    return intro.rstrip() + "\n\n" + MARKER + "\n\n" + "\n".join(toc + body).rstrip() + "\n"


def write_cli(path: Path) -> Path:
    """Write ``path``, keeping a hand-written introduction above :data:`MARKER` if present."""
    intro = CLI_INTRO
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if MARKER in text:
            intro = text.split(MARKER, 1)[0]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(cli_markdown(intro), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- API reference


def _annotation(value: Any) -> str:
    if value is inspect.Parameter.empty:
        return ""
    if isinstance(value, str):
        return value
    return inspect.formatannotation(value)


def _stable_repr(value: Any) -> str:
    """``repr``, with sets in sorted order (their own order changes with the hash seed).

    >>> _stable_repr(frozenset({"b", "a"})), _stable_repr({"b", "a"}), _stable_repr(frozenset())
    ("frozenset({'a', 'b'})", "{'a', 'b'}", 'frozenset()')
    """
    if isinstance(value, set | frozenset) and value:
        try:
            items = ", ".join(repr(v) for v in sorted(value))
        except TypeError:  # unorderable members
            return repr(value)
        return f"frozenset({{{items}}})" if isinstance(value, frozenset) else f"{{{items}}}"
    return repr(value)


def _default(value: Any) -> str:
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    text = _stable_repr(value)
    if re.search(r" at 0x[0-9a-f]+>", text):  # objects without a stable repr
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 60 else text[:57] + "..."


def signature(obj: Any, *, drop_self: bool = False) -> str:
    """``(a: int, *, b: str = 'x') -> bool`` from string or real annotations, stable reprs."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return "(...)"
    parts: list[str] = []
    star_done = False
    params = list(sig.parameters.values())
    if drop_self and params and params[0].name in ("self", "cls"):
        params = params[1:]
    for p in params:
        if p.kind is p.KEYWORD_ONLY and not star_done:
            parts.append("*")
            star_done = True
        if p.kind is p.VAR_POSITIONAL:
            star_done = True
        prefix = {p.VAR_POSITIONAL: "*", p.VAR_KEYWORD: "**"}.get(p.kind, "")
        text = prefix + p.name
        ann = _annotation(p.annotation)
        if ann:
            text += f": {ann}"
        if p.default is not inspect.Parameter.empty:
            text += f" = {_default(p.default)}" if ann else f"={_default(p.default)}"
        parts.append(text)
        if p.kind is p.POSITIONAL_ONLY and (
            p is params[-1] or params[params.index(p) + 1].kind is not p.POSITIONAL_ONLY
        ):
            parts.append("/")
    result = "(" + ", ".join(parts) + ")"
    ret = _annotation(sig.return_annotation)
    return result + (f" -> {ret}" if ret else "")


def docstring_markdown(doc: str | None) -> str:
    """A docstring as Markdown: doctests and ``::`` literal blocks become fenced code."""
    if not doc:
        return ""
    lines = inspect.cleandoc(doc).splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith(">>>"):
            indent = len(line) - len(line.lstrip())
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i][indent:] if len(lines[i]) >= indent else lines[i].lstrip())
                i += 1
            out += ["```pycon", *block, "```"]
            continue
        if line.rstrip().endswith("::") and not line.strip().startswith(".."):
            stripped = line.rstrip()[:-1]  # "Example::" -> "Example:"; "text ::" -> "text :"
            if stripped.strip() not in ("", ":"):
                out.append(_inline(stripped.rstrip(" :")) + ":")
            i += 1
            while i < len(lines) and not lines[i].strip():
                i += 1
            block = []
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith((" ", "\t"))):
                block.append(lines[i])
                i += 1
            while block and not block[-1].strip():
                block.pop()
            if block:
                indent = min(len(b) - len(b.lstrip()) for b in block if b.strip())
                fence = "pycon" if block[0].strip().startswith(">>>") else ""
                out += ["", f"```{fence}", *(b[indent:] for b in block), "```", ""]
            continue
        out.append(_inline(line))
        i += 1
    return "\n".join(out).strip()


def _inline(line: str) -> str:
    """Sphinx roles (``:class:`~a.b.C```) and double backticks as plain Markdown code."""
    line = re.sub(r":(?:func|class|meth|mod|data|attr|exc|obj):`~?([^`]+)`", r"`\1`", line)
    return line.replace("``", "`")


def _public_members(cls: type) -> Iterator[tuple[str, Any]]:
    """Public methods and properties defined in ``cls`` or its reportanalysis bases."""
    seen: set[str] = set()
    for klass in cls.__mro__:
        if not klass.__module__.startswith("reportanalysis"):
            continue
        for name, value in vars(klass).items():
            if name.startswith("_") or name in seen:
                continue
            seen.add(name)
            if isinstance(value, property | staticmethod | classmethod) or inspect.isfunction(
                value
            ):
                yield name, value


def _class_markdown(name: str, cls: type) -> list[str]:
    kind = "exception" if issubclass(cls, BaseException) else "class"
    out = [f"### {kind} `{name}`", ""]
    if not issubclass(cls, BaseException):
        sig = signature(cls).removesuffix(" -> None")
        out += ["```python", f"{name}{sig}", "```", ""]
    else:
        bases = ", ".join(b.__name__ for b in cls.__bases__)
        out += [f"Subclass of `{bases}`.", ""]
    doc = cls.__doc__ if "__doc__" in vars(cls) else None
    if doc:
        out += [docstring_markdown(doc), ""]
    for member, value in _public_members(cls):
        if isinstance(value, property):
            out += [f"- **`{member}`** (property)" + _first_line(value.__doc__)]
            continue
        func = value.__func__ if isinstance(value, staticmethod | classmethod) else value
        prefix = "classmethod " if isinstance(value, classmethod) else ""
        out += [
            "",
            f"#### `{name}.{member}`",
            "",
            "```python",
            f"{prefix}{member}{signature(func, drop_self=True)}",
            "```",
            "",
        ]
        body = docstring_markdown(func.__doc__)
        if body:
            out += [body, ""]
    out.append("")
    return out


def _first_line(doc: str | None) -> str:
    if not doc:
        return ""
    return ": " + _inline(inspect.cleandoc(doc).split("\n\n")[0].replace("\n", " "))


def _value_markdown(name: str, value: Any) -> list[str]:
    text = _stable_repr(value)
    if len(text) > 300:
        text = text[:297] + "..."
    return [f"### `{name}`", "", "```python", f"{name} = {text}", "```", ""]


def module_markdown(module_name: str) -> str:
    """One module's reference page."""
    module = importlib.import_module(module_name)
    names = list(getattr(module, "__all__", []))
    out = [f"# `{module_name}`", ""]
    doc = docstring_markdown(module.__doc__)
    if doc:
        out += [doc, ""]
    classes, functions, values = [], [], []
    for name in names:
        if name.startswith("__"):
            continue
        obj = getattr(module, name)
        if inspect.isclass(obj):
            classes.append((name, obj))
        elif inspect.isroutine(obj):
            functions.append((name, obj))
        else:
            values.append((name, obj))
    if names:
        out += ["Public names: " + ", ".join(f"`{n}`" for n in names if not n.startswith("__")), ""]
    if classes:
        out += ["## Classes", ""]
        for name, cls in classes:
            out += _class_markdown(name, cls)
    if functions:
        out += ["## Functions", ""]
        for name, func in functions:
            out += [f"### `{name}`", "", "```python", f"{name}{signature(func)}", "```", ""]
            body = docstring_markdown(func.__doc__)
            if body:
                out += [body, ""]
    if values:
        out += ["## Constants", ""]
        for name, value in values:
            out += _value_markdown(name, value)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"


def available_modules() -> list[str]:
    """The modules of :data:`MODULES` that import and define ``__all__``."""
    found = []
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            print(f"warning: {name} cannot be imported; left out of docs/api", file=sys.stderr)
            continue
        if hasattr(module, "__all__"):
            found.append(name)
        else:
            print(f"warning: {name} has no __all__; left out of docs/api", file=sys.stderr)
    return found


def write_api(folder: Path) -> list[Path]:
    """Write one page per module and ``index.md`` into ``folder``; stale pages are removed."""
    folder.mkdir(parents=True, exist_ok=True)
    modules = available_modules()
    written = []
    index = [
        "# API-referentie",
        "",
        "Gegenereerd uit de docstrings door `scripts/make_docs.py` (niet met de hand wijzigen).",
        "Per module de namen uit `__all__`; de modules volgen de pijplijn: bestanden → Report →",
        "Anecdote → labels / thema's / praktijken → aanbevelingen → bestanden.",
        "",
    ]
    for name in modules:
        path = folder / f"{name}.md"
        path.write_text(module_markdown(name), encoding="utf-8")
        written.append(path)
        module = importlib.import_module(name)
        summary = _first_line(module.__doc__)[2:] if module.__doc__ else ""
        index.append(f"- [`{name}`]({name}.md)" + (f" — {summary}" if summary else ""))
    for stale in folder.glob("reportanalysis*.md"):
        if stale not in written:
            stale.unlink()
    (folder / "index.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    return [*written, folder / "index.md"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="the docs folder")
    args = parser.parse_args(argv)
    cli = write_cli(args.out / "cli.md")
    api = write_api(args.out / "api")
    print(f"wrote {cli} and {len(api)} files in {args.out / 'api'}")


if __name__ == "__main__":
    main()
