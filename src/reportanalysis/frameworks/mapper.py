"""Map anecdotes onto a framework's practices: zero-shot from the framework data, or trained.

A score per practice combines four signals, each general rather than fitted to one batch:

- **kNN**: mean cosine similarity (USE embeddings by default) to the ``k`` nearest example
  anecdotes of the practice (the framework's own examples, plus labelled anecdotes after
  ``fit(texts, y)``);
- **definition**: similarity to the practice's definition;
- **indicators**: lemmatised, compound-aware indicator phrases, weaker when negated, minus
  counter-indicators (:mod:`~reportanalysis.frameworks.lexical`);
- **model**: a logistic regression over embeddings and indicator counts, trained on the same
  examples (and labels).

``none`` is a class of its own, learned from the framework's none-examples, with a margin the
other practices must beat. Scores are turned into probabilities with a softmax.

    >>> m = PracticeMapper(embedder=None).fit()        # indicators only: no embedding model
    >>> m.predict(["Ze werd van de ene afdeling naar de andere doorverwezen."])
    ['P4']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from ..embed import CachedEmbedder, make_embedder
from ..errors import ConfigError, NotFittedError
from ..saving import Saveable
from .framework import NONE, Framework, load_framework
from .lexical import CueMatcher, Hit

__all__ = ["Explanation", "PracticeMapper"]


@dataclass(frozen=True)
class Explanation:
    """Why an anecdote got its label.

    ``indicators_fired`` maps a code to the cues found for it (a negated cue is shown as
    ``"niet: <cue>"``); ``nearest_examples`` holds (code, example text, similarity) of the most
    similar examples; ``scores`` the probability per code.
    """

    label: str
    indicators_fired: dict[str, tuple[str, ...]]
    nearest_examples: tuple[tuple[str, str, float], ...]
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        """A short Dutch explanation, for the ``practice_reason`` field."""
        parts = []
        cues = self.indicators_fired.get(self.label, ())
        if cues:
            parts.append("signalen: " + ", ".join(cues[:4]))
        same = [e for e in self.nearest_examples if e[0] == self.label]
        if same:
            text = same[0][1]
            parts.append(f"lijkt op: ‘{text[:70]}{'…' if len(text) > 70 else ''}’")
        if not parts:
            parts.append("geen duidelijke signalen")
        return f"{self.label} ({self.scores.get(self.label, 0.0):.2f}); " + "; ".join(parts)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class _FrameworkClassifier(Saveable, ClassifierMixin, BaseEstimator):
    """The shared engine of :class:`PracticeMapper` and the kind classifier."""

    _with_none: bool = True

    # ------------------------------------------------------------------ setup

    def _load(self) -> Framework:
        fw = self.framework
        return fw if isinstance(fw, Framework) else load_framework(fw)

    def _make_embedder(self) -> CachedEmbedder | None:
        emb = self.embedder
        if emb is None:
            return None
        if isinstance(emb, str):
            return CachedEmbedder(make_embedder(emb))
        if isinstance(emb, CachedEmbedder):
            return emb
        return CachedEmbedder(emb)

    def fit(self, texts: Sequence[str] | None = None, y: Sequence[str | None] | None = None) -> Any:
        """Learn from the framework, and from labelled ``texts`` when ``y`` is given.

        ``y`` may be None (zero-shot only) or hold None/"" for unlabelled texts.
        """
        fw = self._load()
        self.framework_ = fw
        codes = list(fw.codes)
        if self._with_none:
            codes.append(NONE)
        self.classes_ = np.array(codes)
        index = {c: i for i, c in enumerate(codes)}

        pool_texts: list[str] = []
        pool_labels: list[int] = []
        pool_weights: list[float] = []
        for p in fw.practices:
            for ex in p.examples:
                pool_texts.append(ex)
                pool_labels.append(index[p.code])
                pool_weights.append(1.0)
        if self._with_none:
            for ex in fw.none_examples:
                pool_texts.append(ex)
                pool_labels.append(index[NONE])
                pool_weights.append(1.0)
        self.n_labelled_ = 0
        if y is not None:
            if texts is None or len(texts) != len(y):
                raise ConfigError("fit: texts and y must have the same length")
            for t, lab in zip(texts, y, strict=True):
                if lab is None or lab == "":
                    continue
                if lab not in index:
                    raise ConfigError(
                        f"fit: label {lab!r} is not in framework {fw.name!r}; "
                        f"use one of {', '.join(codes)}"
                    )
                pool_texts.append(str(t))
                pool_labels.append(index[lab])
                pool_weights.append(float(self.label_weight))
                self.n_labelled_ += 1
        self.pool_texts_ = pool_texts
        self.pool_labels_ = np.array(pool_labels)
        self.pool_weights_ = np.array(pool_weights)

        if not isinstance(getattr(self, "matcher_", None), CueMatcher):
            self.matcher_ = CueMatcher()  # kept on refit: building spaCy's pipeline is slow
        self._cue_index()
        self.embedder_ = self._make_embedder()
        lex_pool, _ = self._lexical(pool_texts)
        if self.embedder_ is not None:
            self.pool_vectors_: np.ndarray | None = self.embedder_.embed(pool_texts)
            definitions = [f"{p.name}. {p.definition}" for p in fw.practices]
            self.definition_vectors_: np.ndarray | None = self.embedder_.embed(definitions)
            features = self._features(self.pool_vectors_, lex_pool)
        else:
            self.pool_vectors_ = None
            self.definition_vectors_ = None
            features = lex_pool
        self.model_ = None
        if self.w_model > 0 and len(set(pool_labels)) > 1:
            from sklearn.linear_model import LogisticRegression

            self.model_ = LogisticRegression(
                C=self.C, max_iter=2000, class_weight="balanced", random_state=self.random_state
            ).fit(features, self.pool_labels_, sample_weight=self.pool_weights_)
        return self

    def _features(self, vectors: np.ndarray, lex: np.ndarray) -> np.ndarray:
        return np.hstack([vectors, self.lex_scale * lex])

    # ------------------------------------------------------------------ signals

    def _cue_index(self) -> None:
        """Weight every cue by how many classes share it (shared cues say less)."""
        fw = self.framework_
        owners: dict[str, set[str]] = {}
        for p in fw.practices:
            for cue in p.indicators:
                owners.setdefault(cue.lower(), set()).add(p.code)
        self.cue_weight_ = {cue: 1.0 / len(o) for cue, o in owners.items()}

    def _lexical(self, texts: Sequence[str]) -> tuple[np.ndarray, list[dict[str, list[str]]]]:
        fw = self.framework_
        codes = list(self.classes_)
        col = {c: i for i, c in enumerate(codes)}
        out = np.zeros((len(texts), len(codes)), dtype=np.float64)
        fired: list[dict[str, list[str]]] = []
        hedge = fw.hedge_as
        # Parsed texts are large (token and compound indexes): hold one chunk at a time.
        chunks = (self.matcher_.parse(texts[i : i + 1024]) for i in range(0, len(texts), 1024))
        for n, doc in enumerate(d for chunk in chunks for d in chunk):
            got: dict[str, list[str]] = {}
            raw = np.zeros(len(codes))
            for p in fw.practices:
                hits: list[Hit] = self.matcher_.find(doc, p.indicators)
                for h in hits:
                    w = self.cue_weight_.get(h.cue.lower(), 1.0)
                    target = p.code
                    if h.negated:
                        if p.negated_as is not None:
                            target = p.negated_as
                        else:
                            w *= self.negation_weight
                    if h.hedged and hedge is not None and p.code != hedge:
                        target = hedge
                    raw[col[target]] += w
                    label = f"niet: {h.cue}" if h.negated else h.cue
                    got.setdefault(target, []).append(label)
                for _h in self.matcher_.find(doc, p.counter_indicators):
                    raw[col[p.code]] -= 0.5
            if self._with_none:
                for h in self.matcher_.find(doc, fw.none_indicators):
                    raw[col[NONE]] += 0.5 if h.negated else 1.0
                    got.setdefault(NONE, []).append(h.cue)
                if raw[:-1].max(initial=0.0) <= 0:  # no practice cue at all
                    raw[col[NONE]] += self.no_cue_bonus
            if hedge is not None and doc.hedged_clauses:
                raw[col[hedge]] += 1.0
            out[n] = np.sign(raw) * np.log1p(np.abs(raw))
            fired.append(got)
        return out, fired

    def _components(self, texts: Sequence[str]) -> dict[str, Any]:
        if not hasattr(self, "classes_"):
            raise NotFittedError(
                f"{type(self).__name__} is not fitted yet: call fit() (texts and labels are "
                "optional) before predict"
            )
        texts = [str(t) for t in texts]
        n, c = len(texts), len(self.classes_)
        lex, fired = self._lexical(texts)
        comp: dict[str, Any] = {"lex": lex, "fired": fired, "sims": None}
        if self.embedder_ is None or n == 0:
            comp["knn"] = np.zeros((n, c))
            comp["knn_lab"] = np.zeros((n, c))
            comp["def"] = np.zeros((n, c))
            comp["model"] = (
                self._model_scores(lex) if self.model_ is not None and n else np.zeros((n, c))
            )
            return comp
        assert self.pool_vectors_ is not None and self.definition_vectors_ is not None
        E = self.embedder_.embed(texts)
        sims = E @ self.pool_vectors_.T
        comp["sims"] = sims
        # Framework examples and labelled anecdotes are scored apart: labelled anecdotes from
        # the same batch resemble every input more (same style), which would favour the
        # practices that happen to have many labels.
        n_fw = len(self.pool_texts_) - self.n_labelled_
        comp["knn"] = self._knn(sims[:, :n_fw], self.pool_labels_[:n_fw], c)
        comp["knn_lab"] = self._knn(sims[:, n_fw:], self.pool_labels_[n_fw:], c)
        d = E @ self.definition_vectors_.T
        if self._with_none:  # 'none' has no definition: neutral
            d = np.hstack([d, d.mean(axis=1, keepdims=True)])
        comp["def"] = d
        if self.model_ is not None:
            comp["model"] = self._model_scores(self._features(E, lex))
        else:
            comp["model"] = np.zeros((n, c))
        return comp

    def _model_scores(self, features: np.ndarray) -> np.ndarray:
        """Log-probabilities of the linear model, one column per class. A class without any
        example or label (a framework whose ``none`` has no examples) was never seen in
        training: it gets the row's mean, so it neither wins nor loses."""
        assert self.model_ is not None
        seen = np.log(self.model_.predict_proba(features) + 1e-6)
        if seen.shape[1] == len(self.classes_):
            return seen
        out = np.repeat(seen.mean(axis=1, keepdims=True), len(self.classes_), axis=1)
        out[:, np.asarray(self.model_.classes_, dtype=int)] = seen
        return out

    def _knn(self, sims: np.ndarray, labels: np.ndarray, c: int) -> np.ndarray:
        """Mean similarity to the ``k`` nearest items of each class; classes without items get
        the row's mean, so they neither win nor lose."""
        knn = np.full((sims.shape[0], c), np.nan)
        for j in range(c):
            cols = np.flatnonzero(labels == j)
            if len(cols):
                k = min(self.k, len(cols))
                knn[:, j] = np.sort(sims[:, cols], axis=1)[:, -k:].mean(axis=1)
        if np.isnan(knn).all():
            return np.zeros_like(knn)
        fill = np.nanmean(knn, axis=1, keepdims=True)
        return np.where(np.isnan(knn), fill, knn)

    def _combine(self, comp: dict[str, Any]) -> np.ndarray:
        def centred(m: np.ndarray) -> np.ndarray:
            return m - m.mean(axis=1, keepdims=True) if m.size else m

        z = (
            self.w_knn * centred(comp["knn"])
            + self.w_def * centred(comp["def"])
            + self.w_knn_labelled * centred(comp["knn_lab"])
            + self.w_lex * comp["lex"]
            + self.w_model * centred(comp["model"])
        )
        if self._with_none and z.size:
            z[:, -1] -= self.none_margin
        return z

    # ------------------------------------------------------------------ public API

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """The combined score per text and class (columns follow ``classes_``)."""
        return self._combine(self._components(texts))

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities per class (softmax of the scores), columns follow ``classes_``."""
        z = self.decision_function(texts)
        return _softmax(z / self.temperature) if z.size else z

    def predict(self, texts: Sequence[str]) -> list[str]:
        """The most likely code per text."""
        proba = self.predict_proba(texts)
        return [str(self.classes_[i]) for i in proba.argmax(axis=1)] if len(proba) else []

    def predict_with_secondary(self, texts: Sequence[str]) -> list[tuple[str, str | None]]:
        """(primary, secondary or None) per text.

        The runner-up becomes secondary when it is a practice, the primary is not ``none``,
        and its probability is at least ``secondary_ratio`` times the primary's.
        """
        return [(a, b) for a, _, b, _ in self.predict_top2(texts)]

    def predict_top2(self, texts: Sequence[str]) -> list[tuple[str, float, str | None, float]]:
        """(primary, its probability, secondary or None, its probability) per text."""
        proba = self.predict_proba(texts)
        out = []
        for row in proba:
            order = np.argsort(-row)
            first, second = order[0], order[1] if len(order) > 1 else None
            a = str(self.classes_[first])
            b: str | None = None
            pb = 0.0
            if second is not None and a != NONE:
                cand = str(self.classes_[second])
                if cand != NONE and row[second] >= self.secondary_ratio * row[first]:
                    b, pb = cand, float(row[second])
            out.append((a, float(row[first]), b, pb))
        return out

    def explain(self, texts: Sequence[str], n_examples: int = 3) -> list[Explanation]:
        """Per text: the cues that fired, the nearest examples, and the scores."""
        comp = self._components(texts)
        proba = _softmax(self._combine(comp) / self.temperature) if len(texts) else np.zeros(0)
        out = []
        for i in range(len(texts)):
            label = str(self.classes_[int(np.argmax(proba[i]))])
            nearest: tuple[tuple[str, str, float], ...] = ()
            if comp["sims"] is not None:
                top = np.argsort(-comp["sims"][i])[:n_examples]
                nearest = tuple(
                    (
                        str(self.classes_[self.pool_labels_[j]]),
                        self.pool_texts_[j],
                        round(float(comp["sims"][i, j]), 4),
                    )
                    for j in top
                )
            out.append(
                Explanation(
                    label=label,
                    indicators_fired={k: tuple(v) for k, v in comp["fired"][i].items()},
                    nearest_examples=nearest,
                    scores={
                        str(c): round(float(p), 4)
                        for c, p in zip(self.classes_, proba[i], strict=True)
                    },
                )
            )
        return out


class PracticeMapper(_FrameworkClassifier):
    """Anecdote → vital work practice (P1…P5) or ``none``, with a secondary practice.

    ``framework`` is a name of a built-in framework, a path to a TOML file, or a
    :class:`~reportanalysis.frameworks.Framework`. ``embedder`` is ``"use"`` (default),
    ``"tfidf"``, an :class:`~reportanalysis.embed.Embedder`, or None for indicators only.
    ``fit()`` without labels is zero-shot; ``fit(texts, y)`` adds labelled anecdotes to the
    examples (each counting ``label_weight`` times) and to the model.
    """

    _with_none = True

    def __init__(
        self,
        framework: str | Framework = "publieke_bricoleurs",
        embedder: Any = "use",
        *,
        k: int = 3,
        w_knn: float = 4.0,
        w_knn_labelled: float = 4.0,
        w_def: float = 1.0,
        w_lex: float = 1.5,
        w_model: float = 0.25,
        lex_scale: float = 0.3,
        C: float = 2.0,
        label_weight: float = 2.0,
        negation_weight: float = 0.5,
        no_cue_bonus: float = 0.25,
        none_margin: float = 0.6,
        temperature: float = 0.5,
        secondary_ratio: float = 0.5,
        random_state: int | None = 0,
    ) -> None:
        self.framework = framework
        self.embedder = embedder
        self.k = k
        self.w_knn = w_knn
        self.w_knn_labelled = w_knn_labelled
        self.w_def = w_def
        self.w_lex = w_lex
        self.w_model = w_model
        self.lex_scale = lex_scale
        self.C = C
        self.label_weight = label_weight
        self.negation_weight = negation_weight
        self.no_cue_bonus = no_cue_bonus
        self.none_margin = none_margin
        self.temperature = temperature
        self.secondary_ratio = secondary_ratio
        self.random_state = random_state
