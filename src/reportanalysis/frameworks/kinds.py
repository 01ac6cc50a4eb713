"""Sort anecdotes into successes, bottlenecks and points to improve on.

:class:`KindClassifier` is the same engine as the practice mapper, over the three kinds of
``kinds.toml``: Dutch cues (negation flips them: "niet tevreden" is a bottleneck, "geen
probleem" a success; hedged and modal phrases — "zou … kunnen", "misschien" — point to an
aanknopingspunt), example anecdotes per kind and embeddings; trainable from labels.

    >>> clf = KindClassifier(embedder=None).fit()      # cues only: no embedding model
    >>> clf.predict(["Het lukt maar niet om een vergunning te krijgen, heel frustrerend.",
    ...              "Ze zijn trots: de speeltuin is geopend en het is gelukt.",
    ...              "Afgesproken is dat de ambtenaar volgende keer de wethouder meeneemt."])
    ['knelpunt', 'succes', 'aanknopingspunt']
"""

from __future__ import annotations

from typing import Any

from .framework import Framework
from .mapper import _FrameworkClassifier

__all__ = ["KINDS", "KindClassifier"]

KINDS: tuple[str, ...] = ("succes", "knelpunt", "aanknopingspunt")


class KindClassifier(_FrameworkClassifier):
    """Anecdote → ``succes``, ``knelpunt`` or ``aanknopingspunt``; same contract as the mapper.

    ``framework`` defaults to the built-in ``kinds``; a TOML file of the same shape may define
    other kinds.
    """

    _with_none = False

    def __init__(
        self,
        framework: str | Framework = "kinds",
        embedder: Any = "use",
        *,
        k: int = 3,
        w_knn: float = 4.0,
        w_knn_labelled: float = 4.0,
        w_def: float = 1.0,
        w_lex: float = 1.0,
        w_model: float = 0.5,
        lex_scale: float = 0.3,
        C: float = 2.0,
        label_weight: float = 2.0,
        negation_weight: float = 0.5,
        no_cue_bonus: float = 0.5,
        none_margin: float = 0.0,
        temperature: float = 0.5,
        secondary_ratio: float = 1.01,
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
