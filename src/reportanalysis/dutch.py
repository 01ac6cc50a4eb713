"""Dutch language resources shared by the steps: tokens, lemmas and stop words.

Built on ``spacy.blank("nl")`` with spaCy's lookup lemmatizer (``spacy-lookups-data``): no
model download. spaCy is imported only when a :class:`Lemmatizer` is first used.

    >>> Lemmatizer().lemmas(["De bewoners liepen naar het gemeentehuis."])
    [['de', 'bewoner', 'lopen', 'naar', 'het', 'gemeentehuis']]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["REPORT_BOILERPLATE", "Lemmatizer", "make_nlp", "stop_words"]

#: Words every visit report uses whatever it is about; they say nothing about a theme.
REPORT_BOILERPLATE: frozenset[str] = frozenset(
    [
        "verslag",
        "bezoek",
        "gesprek",
        "onderzoeksduo",
        "duo",
        "initiatief",
        "initiatiefnemer",
        "ambtenaar",
        "gemeente",
        "samenwerking",
        "vertellen",
        "zeggen",
        "vinden",
        "geven",
        "gaan",
        "komen",
        "krijgen",
        "maken",
        "willen",
        "zullen",
        "kunnen",
        "moeten",
        "laten",
        "staan",
        "zitten",
        "eerst",
        "nu",
        "wel",
        "echt",
        "heel",
        "erg",
        "even",
        "steeds",
        "zo'n",
        "ook",
        "nog",
        "al",
    ]
)


def make_nlp(*, sentences: bool = True, lemmas: bool = True) -> Any:
    """A blank Dutch spaCy pipeline with a sentencizer and the lookup lemmatizer."""
    import spacy

    nlp = spacy.blank("nl")
    if sentences:
        nlp.add_pipe("sentencizer")
    if lemmas:
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


def stop_words(*, boilerplate: bool = False) -> frozenset[str]:
    """spaCy's Dutch stop words, optionally with :data:`REPORT_BOILERPLATE`."""
    from spacy.lang.nl.stop_words import STOP_WORDS

    words = frozenset(w.lower() for w in STOP_WORDS)
    return words | REPORT_BOILERPLATE if boilerplate else words


class Lemmatizer:
    """Lower-cased lemmas of the alphabetic tokens of Dutch texts.

    The spaCy pipeline is built on first use and kept on the object (pass one around rather
    than building many). ``nlp`` may be given to share a pipeline.
    """

    def __init__(self, nlp: Any = None, batch_size: int = 256) -> None:
        self._nlp = nlp
        self.batch_size = batch_size

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            self._nlp = make_nlp(sentences=False)
        return self._nlp

    def lemmas(self, texts: Iterable[str]) -> list[list[str]]:
        out = []
        for doc in self.nlp.pipe(texts, batch_size=self.batch_size):
            out.append([(t.lemma_ or t.text).lower() for t in doc if t.is_alpha])
        return out
