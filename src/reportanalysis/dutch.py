"""Dutch language resources shared by the steps: tokens, lemmas and stop words.

Built on ``spacy.blank("nl")`` with spaCy's lookup lemmatizer (``spacy-lookups-data``): no
model download. spaCy is imported only when a :class:`Lemmatizer` is first used.

    >>> Lemmatizer().lemmas(["De bewoners liepen naar het gemeentehuis."])
    [['de', 'bewoner', 'lopen', 'naar', 'het', 'gemeentehuis']]
"""

from __future__ import annotations

import functools
import sys
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "REPORT_BOILERPLATE",
    "EXTRA_STOP_WORDS",
    "Lemmatizer",
    "cached_batch",
    "import_spacy",
    "lookups_file",
    "make_nlp",
    "number_words",
    "parse",
    "parse_chunks",
    "pronominal_adverbs",
    "stop_words",
]

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


def import_spacy() -> Any:
    """``import spacy``, without the ~3 s (2 cores) in which thinc would import torch.

    thinc imports torch, when installed, only to wrap PyTorch models; a blank pipeline with
    lookup tables never uses them. torch is hidden while spaCy loads and visible again after,
    so BERTopic and sentence-transformers import it as usual.
    """
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    hide = "torch" not in sys.modules
    if hide:
        sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` fails fast
    try:
        import spacy
    finally:
        if hide and "torch" in sys.modules and sys.modules["torch"] is None:
            del sys.modules["torch"]
    return spacy


# Marks the pipelines make_nlp shares, which pickled objects rebuild instead of storing.
_SHARED = "reportanalysis_shared"


@functools.cache
def make_nlp(*, sentences: bool = True, lemmas: bool = True) -> Any:
    """A blank Dutch spaCy pipeline with a sentencizer and the lookup lemmatizer.

    Building one costs about 1.5 s (the tokenizer's exception table), so each combination is
    built once per process and shared by every step: treat it as read-only (no ``add_pipe``).
    """
    spacy = import_spacy()
    nlp = spacy.blank("nl")
    if sentences:
        nlp.add_pipe("sentencizer")  # rule-based: nothing to initialise
    if lemmas:
        lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        # What nlp.initialize() would do for this pipeline, with the table from the disk
        # cache: unpickling it takes half the time of building it from the JSON.
        lemmatizer.initialize(lookups=_lemma_lookups())
    nlp.meta[_SHARED] = True
    return nlp


def lookups_file(name: str) -> Path | None:
    """A data file of spacy-lookups-data (``nl_lemma_lookup.json.gz``), None without it."""
    try:
        import spacy_lookups_data
    except ImportError:  # pragma: no cover - a dependency
        return None
    path = Path(spacy_lookups_data.__file__).parent / "data" / name
    return path if path.is_file() else None


def _lemma_lookups() -> Any:
    """spaCy's Dutch lemma lookup table (spacy-lookups-data), via :mod:`.diskcache`."""
    import spacy.lookups
    from spacy.lookups import load_lookups

    from .diskcache import cached

    def build() -> Any:
        return load_lookups(lang="nl", tables=["lemma_lookup"])

    data = lookups_file("nl_lemma_lookup.json.gz")
    if data is None:  # pragma: no cover - a dependency; spaCy says what is missing
        return build()
    return cached("spacy-nl-lemma-lookup", [data, Path(spacy.lookups.__file__)], build)


def cached_batch(
    cache: OrderedDict[Any, Any],
    limit: int,
    keys: Sequence[Any],
    compute: Callable[[list[Any]], Iterable[Any]],
) -> list[Any]:
    """The value of each key: from ``cache``, or made by one call of ``compute`` on the
    missing keys (each once, in order). The ``limit`` most recently used values are kept.

    >>> cache: OrderedDict[str, int] = OrderedDict()
    >>> cached_batch(cache, 2, ["a", "bb", "a"], lambda ks: [len(k) for k in ks])
    [1, 2, 1]
    >>> cached_batch(cache, 2, ["ccc", "bb"], lambda ks: [len(k) for k in ks]), list(cache)
    ([3, 2], ['bb', 'ccc'])
    """
    missing = list(dict.fromkeys(k for k in keys if k not in cache))
    found = dict(zip(missing, compute(missing), strict=True))
    out = []
    for k in keys:
        if k in found:
            out.append(found[k])
        else:
            out.append(cache[k])
            cache.move_to_end(k)
    for k, value in found.items():
        cache[k] = value
        if len(cache) > limit:
            cache.popitem(last=False)
    return out


#: How many parsed texts :func:`parse` remembers (about 30 kB each for an anecdote).
PARSE_CACHE_SIZE = 8192
_parsed: OrderedDict[tuple[int, str], Any] = OrderedDict()


def parse(texts: Iterable[str], nlp: Any = None, batch_size: int = 256) -> list[Any]:
    """spaCy ``Doc`` objects of ``texts``, each text parsed once per process.

    Themes, practices, kinds and suggestions all read the same anecdotes; the last
    :data:`PARSE_CACHE_SIZE` docs are remembered, so each step after the first finds its
    anecdotes parsed. The docs are shared: read them, don't change them.

    >>> a, b = parse(["De buurt doet mee."]), parse(["De buurt doet mee."])
    >>> a[0] is b[0], [t.lemma_ for t in a[0]]
    (True, ['de', 'buurt', 'doen', 'mee', '.'])
    """
    nlp = nlp if nlp is not None else make_nlp()
    keys = [(id(nlp), t) for t in texts]
    return cached_batch(
        _parsed,
        PARSE_CACHE_SIZE,
        keys,
        lambda missing: nlp.pipe([t for _, t in missing], batch_size=batch_size),
    )


def parse_chunks(
    texts: Iterable[str], nlp: Any = None, chunk: int = 1024, batch_size: int = 256
) -> Iterator[Any]:
    """:func:`parse` over a long sequence, ``chunk`` texts at a time: the docs of a large
    corpus are never all in memory (a parsed anecdote takes about 30 kB)."""
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) >= chunk:
            yield from parse(batch, nlp, batch_size)
            batch = []
    if batch:
        yield from parse(batch, nlp, batch_size)


#: The first parts of Dutch pronominal adverbs (``daarover``, ``waarop``, ``ermee``).
PRONOMINAL_HEADS: tuple[str, ...] = ("er", "daar", "hier", "waar")
#: Their second parts: prepositions in the form they take there (met → mee, tot → toe).
PRONOMINAL_TAILS: tuple[str, ...] = (
    "aan", "achter", "achteraan", "af", "bij", "binnen", "boven", "buiten", "door",
    "doorheen", "heen", "in", "langs", "mee", "na", "naar", "naartoe", "naast", "om",
    "omheen", "onder", "op", "over", "overheen", "rond", "tegen", "tegenover", "toe",
    "tussen", "tussendoor", "uit", "van", "vandaan", "voor", "zonder",
)  # fmt: skip


def pronominal_adverbs() -> frozenset[str]:
    """Every er/daar/hier/waar + preposition: words of pointing, never of a theme.

    >>> words = pronominal_adverbs()
    >>> {"daarover", "waarop", "hierbij", "ermee", "waardoor"} <= words, "daar" in words
    (True, False)
    """
    return frozenset(h + t for h in PRONOMINAL_HEADS for t in PRONOMINAL_TAILS)


_UNITS = ("een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen")
_TEENS = ("tien", "elf", "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien",
          "achttien", "negentien")  # fmt: skip
_TENS = ("twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig")
_BIG = ("honderd", "duizend", "miljoen", "miljard")


def _ordinal(number: str) -> str:
    """``twee`` → ``tweede``, ``acht`` → ``achtste``, ``twintig`` → ``twintigste``."""
    if number == "een":
        return "eerste"
    if number == "drie":
        return "derde"
    if number.endswith(("acht", "ig")) or number in _BIG:
        return number + "ste"
    return number + "de"


def number_words() -> frozenset[str]:
    """Dutch cardinals up to a thousand's words (``twee``, ``vijftien``, ``eenentwintig``,
    ``honderd``), their ordinals (``tweede``, ``achtste``) and counts (``tiental``,
    ``honderden``): quantities say how much, not what about.

    >>> words = number_words()
    >>> {"één", "twee", "vijf", "acht", "twintig", "tweeëntwintig", "honderd", "derde"} <= words
    True
    """
    cardinals = [*_UNITS, *_TEENS, *_TENS, *_BIG]
    for ten in _TENS:  # 21..99: unit + "en" (+ diaeresis after a vowel) + ten
        cardinals += [u + ("ën" if u.endswith("e") else "en") + ten for u in _UNITS]
    words = set(cardinals) | {_ordinal(c) for c in cardinals}
    words |= {c + "tal" for c in (*_UNITS[1:], *_TEENS[:3])}  # tweetal, tiental
    words |= {"één", "eentje", "ééntje", "tientallen", "honderden", "duizenden", "miljoenen"}
    words |= {"half", "halve", "helft"}
    return frozenset(words)


#: Function words spaCy's Dutch list lacks.
EXTRA_STOP_WORDS: frozenset[str] = frozenset(
    ["per", "mee", "heen", "zodat", "via", "elkaar", "zo'n", "zo’n"]
)


@functools.cache
def stop_words(*, boilerplate: bool = False, extended: bool = True) -> frozenset[str]:
    """Dutch stop words: spaCy's, and with ``extended`` the pronominal adverbs
    (:func:`pronominal_adverbs`), number words (:func:`number_words`) and
    :data:`EXTRA_STOP_WORDS`; optionally with :data:`REPORT_BOILERPLATE`.

    >>> words = stop_words()
    >>> {"daarover", "twee", "per", "de"} <= words, "subsidie" in words
    (True, False)
    """
    import_spacy()
    from spacy.lang.nl.stop_words import STOP_WORDS

    words = frozenset(w.lower() for w in STOP_WORDS)
    if extended:
        words |= pronominal_adverbs() | number_words() | EXTRA_STOP_WORDS
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
            self._nlp = make_nlp()
        return self._nlp

    def __getstate__(self) -> dict[str, Any]:
        # The shared pipeline (make_nlp's, 9 MB of lemma table) is built again when needed
        # rather than pickled; a pipeline of the caller's own is pickled with the object.
        shared = self._nlp is not None and self._nlp.meta.get(_SHARED)
        return {**self.__dict__, "_nlp": None} if shared else dict(self.__dict__)

    def lemmas(self, texts: Iterable[str]) -> list[list[str]]:
        out = []
        for doc in parse_chunks(texts, self.nlp, batch_size=self.batch_size):
            out.append([(t.lemma_ or t.text).lower() for t in doc if t.is_alpha])
        return out
