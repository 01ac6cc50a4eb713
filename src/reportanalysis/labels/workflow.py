"""Suggestions over a :class:`~reportanalysis.project.Project`: fit, suggest, accept, reject.

The project is the store: labels of every coder, the codebook and the embedding cache live
there, and everything here reads from and writes to it through its public methods.

- labels with source ``manual``, ``imported`` and ``suggested-accepted`` teach the suggester
  (from every coder: the more labels, the better it learns);
- a rejection is a label with source ``suggested-rejected``: that code is never suggested for
  that anecdote again;
- :func:`next_to_label` proposes the anecdotes whose labels would teach the model most.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..embed import CachedEmbedder, Embedder
from ..errors import ConfigError, ProjectError
from ..model import Codebook
from .suggest import LabelSuggester
from .views import NOT_CODINGS

if TYPE_CHECKING:
    import pandas as pd

    from ..project import Project

__all__ = [
    "SUGGESTION_COLUMNS",
    "accept",
    "fit_for_project",
    "next_to_label",
    "project_labels",
    "reject",
    "suggest_for_project",
    "suggest_rows",
    "update_for_project",
]

#: Columns of :func:`suggest_for_project`'s frame.
SUGGESTION_COLUMNS: tuple[str, ...] = (
    "anecdote_id",
    "report_id",
    "text",
    "rank",
    "code",
    "confidence",
    "reason",
)


def _project_embedder(project: Project, embedder: Embedder | None) -> Any:
    """The embedder wrapped in the project's persistent cache (USE by default)."""
    if isinstance(embedder, CachedEmbedder):
        return embedder
    if embedder is None:
        from ..embed import USEEmbedder

        embedder = USEEmbedder()
    return CachedEmbedder(embedder, project.embedding_cache())


def fit_for_project(
    project: Project,
    codebook: Codebook | None = None,
    *,
    suggester: LabelSuggester | None = None,
    embedder: Embedder | None = None,
    coder: str | None = None,
    **params: Any,
) -> tuple[LabelSuggester, list[str]]:
    """A suggester fitted on all anecdotes of the project and its labels for ``codebook``.

    Returns the suggester and the anecdote ids in the order of its corpus. ``coder`` limits
    the *rejections* taken into account to that coder's (labels of every coder teach).
    """
    codebook = codebook if codebook is not None else project.codebook()
    anecdotes = project.anecdotes()
    if not anecdotes:
        raise ProjectError(f"{project.path}: no anecdotes to suggest codes for; split first")
    ids = [a.id for a in anecdotes]
    labels, rejected = project_labels(project, codebook, ids, coder=coder)
    if suggester is None:
        suggester = LabelSuggester(codebook, _project_embedder(project, embedder), **params)
    suggester.fit(
        [a.text for a in anecdotes],
        labels,
        groups=[a.report_id for a in anecdotes],
        rejected=rejected,
    )
    return suggester, ids


def project_labels(
    project: Project, codebook: Codebook, ids: Sequence[str], *, coder: str | None = None
) -> tuple[dict[int, list[str]], list[tuple[int, str]]]:
    """The project's labels for ``codebook`` as ``({index: codes}, [(index, rejected code)])``
    over the anecdotes ``ids``; rejections only of ``coder`` when one is given."""
    position = {a: i for i, a in enumerate(ids)}
    labels: dict[int, set[str]] = {}
    rejected: list[tuple[int, str]] = []
    for rec in project.labels_frame().to_dict("records"):
        i = position.get(rec["anecdote_id"])
        if i is None or rec["code"] not in codebook:
            continue
        if rec["source"] == "suggested-rejected":
            if coder is None or rec["coder"] == coder:
                rejected.append((i, rec["code"]))
        elif rec["source"] not in NOT_CODINGS:
            labels.setdefault(i, set()).add(rec["code"])
    return {i: sorted(c) for i, c in labels.items()}, rejected


def update_for_project(
    project: Project,
    suggester: LabelSuggester,
    ids: Sequence[str],
    *,
    coder: str | None = None,
) -> LabelSuggester:
    """Retrain a suggester fitted by :func:`fit_for_project` on the project's current labels
    (fast: the text features are kept)."""
    labels, rejected = project_labels(project, suggester.codebook, ids, coder=coder)
    return suggester.update(labels, rejected=rejected)


def suggest_for_project(
    project: Project,
    codebook: Codebook | None = None,
    coder: str | None = None,
    *,
    top_k: int = 1,
    include_labelled: bool = False,
    suggester: LabelSuggester | None = None,
    embedder: Embedder | None = None,
) -> pd.DataFrame:
    """The top ``top_k`` suggestions per anecdote that ``coder`` has not coded yet.

    One row per anecdote × suggestion: :data:`SUGGESTION_COLUMNS`; ``reason`` is a short
    Dutch text (nearest labelled examples, key terms that matched, closest definition facet).
    """
    import pandas as pd

    codebook = codebook if codebook is not None else project.codebook()
    fitted, ids = fit_for_project(
        project, codebook, suggester=suggester, embedder=embedder, coder=coder
    )
    done: set[str] = set()
    if coder is not None and not include_labelled:
        own = project.labels_frame(coder=coder)
        own = own[own["code"].isin(codebook.names)]
        done = set(own["anecdote_id"][~own["source"].isin(NOT_CODINGS)])
    anecdotes = {a.id: a for a in project.anecdotes()}
    rows = []
    for s in fitted.suggest(top_k=top_k):
        anecdote_id = ids[s.index]
        if anecdote_id in done:
            continue
        a = anecdotes[anecdote_id]
        rows.append(
            {
                "anecdote_id": anecdote_id,
                "report_id": a.report_id,
                "text": a.text,
                "rank": s.rank,
                "code": s.code,
                "confidence": s.confidence,
                "reason": str(s.reason),
            }
        )
    return pd.DataFrame(rows, columns=list(SUGGESTION_COLUMNS))


def accept(
    project: Project,
    anecdote_id: str,
    code: str,
    coder: str,
    *,
    confidence: float | None = None,
) -> Any:
    """Turn a suggestion into a label of ``coder`` (source ``suggested-accepted``)."""
    return project.label(
        anecdote_id, code, coder=coder, source="suggested-accepted", confidence=confidence
    )


def reject(
    project: Project,
    anecdote_id: str,
    code: str,
    coder: str,
    *,
    confidence: float | None = None,
) -> Any:
    """Remember that ``coder`` turned the suggestion down (source ``suggested-rejected``)."""
    return project.label(
        anecdote_id, code, coder=coder, source="suggested-rejected", confidence=confidence
    )


def next_to_label(
    project_or_suggester: Project | LabelSuggester,
    n: int = 10,
    *,
    codebook: Codebook | None = None,
    coder: str | None = None,
    embedder: Embedder | None = None,
) -> list[Any]:
    """The ``n`` anecdotes whose labels would teach the suggester most (active learning).

    Given a fitted :class:`LabelSuggester`: indices into its corpus. Given a project: anecdote
    ids, leaving out what ``coder`` (or, without a coder, anyone) has coded already.
    """
    if isinstance(project_or_suggester, LabelSuggester):
        return project_or_suggester.next_to_label(n)
    project = project_or_suggester
    codebook = codebook if codebook is not None else project.codebook()
    fitted, ids = fit_for_project(project, codebook, embedder=embedder, coder=coder)
    frame = project.labels_frame(coder=coder) if coder is not None else project.labels_frame()
    frame = frame[~frame["source"].isin(NOT_CODINGS) & frame["code"].isin(codebook.names)]
    done = set(frame["anecdote_id"])
    exclude = [i for i, a in enumerate(ids) if a in done]
    return [ids[i] for i in fitted.next_to_label(n, exclude=exclude)]


def _codes(value: Any) -> list[str]:
    """The codes a training line gives: one code, a list of them, or none (None, '', NaN).

    >>> _codes("geld"), _codes(["geld", "regels", ""]), _codes(None), _codes(float("nan"))
    (['geld'], ['geld', 'regels'], [], [])
    """
    if isinstance(value, list | tuple | set):
        return [c for v in value for c in _codes(v)]
    if value is None or (isinstance(value, float) and value != value):
        return []
    text = str(value).strip()
    return [text] if text else []


def suggest_rows(
    rows: Sequence[dict[str, Any]],
    field: str,
    codebook: Codebook | None = None,
    *,
    train: Sequence[dict[str, Any]] | None = None,
    embedder: Embedder | None = None,
    **params: Any,
) -> list[dict[str, Any]]:
    """Each row (holding ``text``) with ``field`` (a code) and ``field_score`` added.

    ``train`` rows hold ``text`` and ``field`` (a code, or a list of codes); they teach the
    suggester and, with the input, form the corpus it learns from. Without a codebook the
    codes are the values of ``field`` in ``train``. A ``report`` field on every row lets the
    suggester remove what one report's anecdotes share.

    >>> from reportanalysis.model import Codebook
    >>> from reportanalysis.embed import TfidfEmbedder
    >>> cb = Codebook.from_mapping({"geld": "subsidie, fondsen, budget", "regels": "vergunning"})
    >>> rows = [{"text": "De subsidie is toegekend."}, {"text": "De vergunning kwam te laat."}]
    >>> [r["thema"] for r in suggest_rows(rows, "thema", cb, embedder=TfidfEmbedder(seed=0))]
    ['geld', 'regels']
    """
    train = list(train or [])
    if codebook is None:
        names = sorted({code for r in train for code in _codes(r.get(field))})
        if len(names) < 2:
            raise ConfigError(
                f"no codebook given and the training lines hold fewer than two values of "
                f"{field!r}: give --codebook or more labelled lines"
            )
        codebook = Codebook.from_mapping({n: "" for n in names}, name=field)
    texts = [str(r["text"]) for r in rows]
    position = {t: i for i, t in enumerate(texts)}
    labels: dict[int, list[str]] = {}
    corpus_rows = list(rows)
    for r in train:
        text = str(r["text"])
        if text not in position:
            position[text] = len(texts)
            texts.append(text)
            corpus_rows.append(r)
        for code in _codes(r.get(field)):
            given = labels.setdefault(position[text], [])
            if code not in given:
                given.append(code)
    groups = None
    if all(r.get("report") for r in corpus_rows):
        groups = [str(r["report"]) for r in corpus_rows]
    suggester = LabelSuggester(codebook, embedder, **params).fit(texts, labels, groups=groups)
    proba = suggester.predict_proba()[: len(rows)]
    out = []
    for row, p in zip(rows, proba, strict=True):
        j = int(p.argmax())
        out.append(
            {**row, field: str(suggester.classes_[j]), f"{field}_score": round(float(p[j]), 4)}
        )
    return out
