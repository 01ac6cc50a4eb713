"""Pseudonymise files: read reports, write one pseudonymised .txt per report, key apart."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

__all__ = ["PseudonymiseResult", "pseudonymise_paths"]


@dataclass
class PseudonymiseResult:
    """What :func:`pseudonymise_paths` wrote and which inputs it skipped."""

    written: list[Path] = field(default_factory=list)
    skipped: list[InputError] = field(default_factory=list)
    key: Path | None = None


def key_inside(key: str | Path | None, out: str | Path) -> bool:
    """Whether the pseudonym key would lie inside the output folder, which circulates.

    >>> key_inside("uit/sleutel.json", "uit"), key_inside("apart/sleutel.json", "uit")
    (True, False)
    """
    return key is not None and Path(key).resolve().is_relative_to(Path(out).resolve())


def pseudonymise_paths(
    paths: str | Path | Iterable[str | Path],
    out: str | Path,
    *,
    key: str | Path | None = None,
    extra_names: Sequence[str] = (),
    keep: Sequence[str] = (),
    seed: int = 0,
) -> PseudonymiseResult:
    """Read reports (files, folders, zips), write ``<out>/<report id>.txt`` pseudonymised.

    The key (pseudonym → original, JSON) is written to ``key`` only when it is given; it must
    not lie inside ``out``, so the outputs can circulate without it. A key that exists already
    is read first and reused (:func:`read_key`): what it names keeps its pseudonym, new persons
    get numbers above it, and it is written back grown.
    """
    from ..ingest import nothing_read, read_reports
    from ._pseudonymiser import Pseudonymiser, read_key

    out = Path(out)
    if key_inside(key, out):
        raise ValueError(f"{key}: write the key outside the output folder {out}")
    previous = read_key(key) if key is not None and Path(key).exists() else None
    ingested = read_reports(paths, errors="collect")
    if not ingested.reports:
        inputs = [paths] if isinstance(paths, str | Path) else paths
        raise nothing_read(", ".join(map(str, inputs)), ingested.skipped)
    ps = Pseudonymiser(extra_names=extra_names, keep=keep, seed=seed, previous_key=previous)
    ps.fit(ingested.reports)
    result = PseudonymiseResult(skipped=list(ingested.skipped))
    out.mkdir(parents=True, exist_ok=True)
    for report in ingested.reports:
        target = out / f"{report.id}.txt"
        target.write_text(ps.transform(report).text, encoding="utf-8")
        result.written.append(target)
    if key is not None:
        ps.write_key(key)
        result.key = Path(key)
    return result
