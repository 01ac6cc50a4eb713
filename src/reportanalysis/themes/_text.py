"""Text side of theming: names left out, lemmas, group-specific vocabulary, c-TF-IDF keywords.

Anecdotes from one initiative share names, places and the activity itself; none of that is a
theme. These helpers find such words so they can be kept out of keywords and (optionally) out
of the text that is embedded::

    >>> mask_names("Karin belde Thijs over de vergunning. Daarna kwam Riolering langs.")
    'Karin belde over de vergunning. Daarna kwam langs.'
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "LemmaDocs",
    "char_docs",
    "char_features",
    "class_tfidf_keywords",
    "group_specific_terms",
    "initiative_of_report",
    "lemma_docs",
    "mask_names",
    "rare_terms",
    "report_initiatives",
    "split_compounds",
    "topic_lemmas",
]

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
#: Pseudonyms put in by :mod:`reportanalysis.privacy` ("[PERSOON 3]", "[E-MAIL 1]"): not words.
PSEUDONYM = re.compile(r"\[[A-Z][A-Z-]*(?: [A-Z][A-Z-]*)* \d+\]")
_CAPITALS = re.compile(r"[A-Z]+")
# Characters after which a capitalised word may simply start a sentence or a quote.
_OPENERS = ".!?:;“”\"‘’'(–—-•*"


def _is_initial(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in _OPENERS


def mask_names(text: str) -> str:
    """Drop capitalised words that do not start a sentence: people, places, departments.

    A crude but language-independent stand-in for named-entity recognition (no model is
    available offline for Dutch). Whitespace left behind is collapsed.
    """
    out: list[str] = []
    last = 0
    for m in _WORD.finditer(text):
        word = m.group()
        if word[0].isupper() and not _is_initial(text, m.start()):
            out.append(text[last : m.start()])
            last = m.end()
    out.append(text[last:])
    return re.sub(r"[ \t]{2,}", " ", re.sub(r" +([,.;:!?])", r"\1", "".join(out))).strip()


@dataclass
class LemmaDocs:
    """Per text: all content lemmas, and those that are not names (for keywords)."""

    lemmas: list[list[str]]
    content: list[list[str]]


def lemma_docs(texts: Sequence[str], nlp: Any = None, min_length: int = 3) -> LemmaDocs:
    """Lemmatise texts with :mod:`reportanalysis.dutch`; stop words and boilerplate dropped.

    ``content`` additionally leaves out names: a word form written with a capital where no
    sentence starts is a name everywhere in the corpus (also when it opens a sentence), unless
    the corpus also uses it in lower case. Pseudonyms (``[PERSOON 3]``) are left out entirely.

    >>> lemma_docs(["[PERSOON 3] belde de wethouder over de subsidie."]).lemmas
    [['bellen', 'wethouder', 'subsidie']]

    Forms spaCy's lookup table lacks get their lemma from
    :func:`~reportanalysis._lemma_rules.fallback_lemma`: these lemmas become the keywords an
    analyst reads.

    >>> lemma_docs(["Ze stelt de afspraken van drie maanden uit."]).lemmas
    [['stellen', 'afspraak', 'maand']]
    """
    from .._lemma_rules import fallback_lemma
    from ..dutch import make_nlp, parse_chunks, stop_words

    nlp = nlp if nlp is not None else make_nlp()
    stops = stop_words(boilerplate=True)
    parsed: list[list[tuple[str, str]]] = []
    names: set[str] = set()
    lower_forms: set[str] = set()
    # The texts are parsed as they are, pseudonyms included, so the practices and the kinds
    # find them parsed too; the pseudonyms' tokens are skipped here.
    for doc in parse_chunks(texts, nlp):
        text = doc.text  # spaCy builds it anew on every access
        # Where the words of pseudonyms start ("PERSOON", "E" and "MAIL" of "[E-MAIL 2]").
        pseudonym_words = {
            m.start() + w.start()
            for m in PSEUDONYM.finditer(text)
            for w in _CAPITALS.finditer(m.group())
        }
        toks: list[tuple[str, str]] = []
        for tok in doc:
            if not tok.is_alpha or tok.idx in pseudonym_words:
                continue
            if tok.text[0].isupper():
                if not (tok.is_sent_start or _is_initial(text, tok.idx)):
                    names.add(tok.lower_)
            else:
                lower_forms.add(tok.lower_)
            lemma = (tok.lemma_ or tok.text).lower()
            if lemma == tok.lower_:  # the lookup table lacks it: "maanden", "stelt"
                lemma = fallback_lemma(lemma)
            if lemma in stops or tok.lower_ in stops or len(lemma) < min_length:
                continue
            toks.append((tok.lower_, lemma))
        parsed.append(toks)
    names -= lower_forms
    lemmas = [[lemma for _, lemma in toks] for toks in parsed]
    content = [[lemma for form, lemma in toks if form not in names] for toks in parsed]
    return LemmaDocs(lemmas, content)


def rare_terms(docs: Sequence[Sequence[str]], min_docs: int = 2) -> set[str]:
    """Terms in fewer than ``min_docs`` documents: they say little about a theme.

    >>> sorted(rare_terms([["geld", "absurd"], ["geld"]]))
    ['absurd']
    """
    df: Counter[str] = Counter(w for d in docs for w in set(d))
    return {w for w, n in df.items() if n < min_docs}


def group_specific_terms(
    docs: Sequence[Sequence[str]],
    groups: Sequence[str] | None,
    *,
    share: float = 0.9,
    min_docs: int = 3,
) -> set[str]:
    """Terms whose documents lie (almost) all in one group, while other groups exist.

    Such a term names the initiative's own world (its building, its activity), not a theme.
    A term must occur in ``min_docs`` documents, so words that are merely rare are kept.

    >>> docs = [["buurtkamer", "vertrouwen"], ["buurtkamer"], ["buurtkamer", "vertrouwen"],
    ...         ["vertrouwen", "wadi"]]
    >>> sorted(group_specific_terms(docs, ["a", "a", "a", "b"]))
    ['buurtkamer']
    """
    if groups is None or len(set(groups)) < 2:
        return set()
    df: Counter[str] = Counter()
    by_group: dict[str, Counter[str]] = defaultdict(Counter)
    for words, g in zip(docs, groups, strict=True):
        for w in set(words):
            df[w] += 1
            by_group[w][g] += 1
    return {w for w, n in df.items() if n >= min_docs and max(by_group[w].values()) / n >= share}


#: A visit number closing a report id: ``anker_2``, ``anker-v2``, ``anker bezoek 2``.
_VISIT_SUFFIX = re.compile(
    r"(?P<stem>.*?[^\W\d_])(?:[ _.-]*(?:bezoek|visit)|[ _.-]+v)?[ _.-]*\d{1,2}", re.IGNORECASE
)


def initiative_of_report(report_id: str) -> str:
    """The initiative a report id names once a trailing visit number is taken off.

    >>> initiative_of_report("anker_2"), initiative_of_report("groen-bezoek-1")
    ('anker', 'groen')
    >>> [initiative_of_report(r) for r in ("anker-v2", "2023", "a2023")]
    ['anker', '2023', 'a2023']
    """
    m = _VISIT_SUFFIX.fullmatch(report_id)
    return m.group("stem") if m else report_id


def report_initiatives(groups: Sequence[str], texts: Sequence[str] | None = None) -> list[str]:
    """Per text, its initiative guessed from its report (``groups``) when none is known.

    Reports whose ids differ only by a trailing visit number (``anker_1``, ``anker_2``) are one
    initiative (:func:`initiative_of_report`); with ``texts``, so are reports that share names
    (:func:`reportanalysis.labels.features.initiatives`). When that would leave a single
    initiative for several reports (ids numbered ``verslag_1``, ``verslag_2``, … per
    initiative), the reports are kept apart: one group filters nothing.

    >>> report_initiatives(["anker_1", "anker_2", "groen_1"])
    ['anker', 'anker', 'groen']
    >>> report_initiatives(["verslag_1", "verslag_2"])
    ['verslag_1', 'verslag_2']
    """
    groups = [str(g) for g in groups]
    merged = [initiative_of_report(g) for g in groups]
    if texts is not None:
        from ..labels.features import initiatives

        merged = initiatives(texts, merged)
    if len(set(merged)) < 2 <= len(set(groups)):
        return groups
    return merged


def class_tfidf_keywords(
    docs: Sequence[Sequence[str]],
    labels: Sequence[int],
    *,
    top_n: int = 10,
    exclude: set[str] | frozenset[str] = frozenset(),
) -> dict[int, list[str]]:
    """Keywords per class by BERTopic's c-TF-IDF: ``tf(t, c) * log(1 + A / f(t))``.

    ``A`` is the average number of words per class, ``f(t)`` the frequency of ``t`` over all
    classes. Class ``-1`` (outliers) gets keywords too. Ties break alphabetically, so the
    result is deterministic.

    >>> kw = class_tfidf_keywords([["subsidie", "fonds"], ["subsidie"], ["vergunning"]], [0, 0, 1])
    >>> kw[0][0], kw[1]
    ('subsidie', ['vergunning'])
    """
    tf: dict[int, Counter[str]] = defaultdict(Counter)
    for words, label in zip(docs, labels, strict=True):
        tf[int(label)].update(w for w in words if w not in exclude)
    total: Counter[str] = Counter()
    for counts in tf.values():
        total.update(counts)
    avg = (sum(total.values()) / len(tf)) if tf else 0.0
    out: dict[int, list[str]] = {}
    for label, counts in tf.items():
        n = sum(counts.values()) or 1
        scored = [(c / n * math.log(1 + avg / total[w]), w) for w, c in counts.items()]
        scored.sort(key=lambda x: (-x[0], x[1]))
        out[label] = [w for _, w in scored[:top_n]]
    return out


def keyword_label(keywords: Sequence[str], n: int = 3) -> str:
    """A readable label from the top keywords: ``'subsidie / fonds / aanvraag'``."""
    return " / ".join(keywords[:n]) if keywords else "zonder trefwoorden"


# Lemmas that mark how an anecdote is told or judged (verbs of saying, evaluation, modal and
# light verbs), not what it is about: left out of the lexical clustering features.
THEME_NEUTRAL = frozenset(
    [
        "vertellen",
        "zeggen",
        "vinden",
        "noemen",
        "vragen",
        "antwoorden",
        "denken",
        "weten",
        "zien",
        "merken",
        "geven",
        "gaan",
        "komen",
        "staan",
        "willen",
        "moeten",
        "kunnen",
        "zullen",
        "mogen",
        "hebben",
        "zijn",
        "worden",
        "laten",
        "krijgen",
        "maken",
        "doen",
        "lastig",
        "blij",
        "goed",
        "mooi",
        "fijn",
        "leuk",
        "prettig",
        "slecht",
        "moeilijk",
        "makkelijk",
        "echt",
        "veel",
        "weinig",
        "heel",
        "erg",
        "wel",
        "nog",
        "ook",
        "alleen",
        "steeds",
        "eigenlijk",
        "gewoon",
        "zeker",
        "misschien",
        "natuurlijk",
    ]
)
#: Words kept out of keywords (and so labels) besides :data:`THEME_NEUTRAL`: inflected forms
#: of its verbs that spaCy's Dutch lookup table leaves as they are ("vond", "krijgt",
#: "gemaakt"), light nouns that say how, not what ("de manier waarop", "een paar keer"), and
#: the names of months and days.
KEYWORD_NEUTRAL = frozenset((
    "vertel", "vertelt", "vertelde", "vertelden", "verteld", "zeg", "zegt", "zei", "zeiden",
    "gezegd", "vind", "vindt", "vond", "vonden", "gevonden", "noem", "noemt", "noemde",
    "noemden", "genoemd", "vroeg", "vroegen", "gevraagd", "denk", "denkt", "dacht", "dachten",
    "gedacht", "weet", "wist", "wisten", "geweten", "zie", "ziet", "zag", "zagen", "gezien",
    "merk", "merkt", "merkte", "merkten", "gemerkt", "geef", "geeft", "gaf", "gaven", "gegeven",
    "ga", "gaat", "ging", "gingen", "gegaan", "kom", "komt", "kwam", "kwamen", "gekomen", "sta",
    "staat", "stond", "stonden", "gestaan", "wil", "wilt", "wilde", "wilden", "wou", "gewild",
    "kan", "kon", "konden", "gekund", "moet", "moest", "moesten", "mag", "mocht", "mochten",
    "laat", "liet", "lieten", "gelaten", "krijg", "krijgt", "kreeg", "kregen", "gekregen",
    "maak", "maakt", "maakte", "maakten", "gemaakt", "doe", "doet", "deed", "deden", "gedaan",
    "zit", "zat", "zaten", "gezeten", "word", "wordt", "werd", "werden", "geworden", "manier",
    "keer", "aantal", "soort", "paar", "geval",
    # dates say when, not what
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december", "maandag", "dinsdag", "woensdag", "donderdag",
    "vrijdag", "zaterdag", "zondag",
))  # fmt: skip
_LINKS = ("", "s", "e", "en")


def split_compounds(
    docs: Sequence[Sequence[str]], lexicon: set[str] | None = None, min_part: int = 4
) -> list[list[str]]:
    """Add the parts of Dutch compounds, found in the corpus's own vocabulary, to each doc.

    A lemma ``w`` splits into ``head`` (a known word ending ``w``) and ``modifier`` (a known
    word, optionally followed by a linking ``-s-``, ``-e-`` or ``-en-``); both parts have at
    least ``min_part`` letters. The longest modifier wins; the compound itself stays.

    >>> split_compounds([["bestemmingsplan"], ["bestemming", "plan"], ["vergunning"],
    ...                  ["omgevingsvergunning", "omgeving"]])[0]
    ['bestemmingsplan', 'bestemming', 'plan']
    >>> split_compounds([["omgevingsvergunning", "omgeving"], ["vergunning"]])[0]
    ['omgevingsvergunning', 'omgeving', 'omgeving', 'vergunning']
    """
    known = lexicon if lexicon is not None else {w for d in docs for w in d}
    cache: dict[str, list[str]] = {}

    def parts(w: str) -> list[str]:
        if w not in cache:
            cache[w] = []
            for i in range(len(w) - min_part, min_part - 1, -1):
                head, mod = w[i:], w[:i]
                if head not in known:
                    continue
                for link in _LINKS:
                    stem = mod[: len(mod) - len(link)]
                    if mod.endswith(link) and len(stem) >= min_part and stem in known:
                        cache[w] = [stem, head]
                        break
                if cache[w]:
                    break
        return cache[w]

    return [list(d) + [p for w in d for p in parts(w)] for d in docs]


def topic_lemmas(docs: Sequence[Sequence[str]], lexicon: set[str] | None = None) -> list[list[str]]:
    """Lemmas for clustering: theme-neutral words out, compound parts in.

    >>> topic_lemmas([["vertellen", "huurcontract"], ["huur", "contract", "lastig"]])
    [['huurcontract', 'huur', 'contract'], ['huur', 'contract']]
    """
    kept = [[w for w in d if w not in THEME_NEUTRAL] for d in docs]
    return split_compounds(kept, lexicon)


def tfidf_features(docs: Sequence[Sequence[str]], n_components: int, seed: int) -> tuple[Any, Any]:
    """Lemma TF-IDF reduced with SVD: returns ``(matrix, (vectorizer, svd))`` for transform."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    joined = [" ".join(d) for d in docs]
    min_df = 2 if len(docs) >= 20 else 1
    vec = TfidfVectorizer(sublinear_tf=True, min_df=min_df, token_pattern=r"\S+")
    try:
        X = vec.fit_transform(joined)
    except ValueError:  # empty vocabulary
        return np.zeros((len(docs), 0), dtype=np.float32), None
    k = min(n_components, X.shape[1] - 1, X.shape[0] - 1)
    if k < 2:
        return np.zeros((len(docs), 0), dtype=np.float32), None
    svd = TruncatedSVD(n_components=k, random_state=seed).fit(X)
    return svd.transform(X).astype(np.float32), (vec, svd)


def char_docs(texts: Sequence[str]) -> list[str]:
    """The text the character n-grams are taken from: pseudonyms and names out, lower case.

    >>> char_docs(["Karin belde [PERSOON 2] over de vergunning van Riolering."])
    ['karin belde over de vergunning van.']
    """
    return [mask_names(PSEUDONYM.sub(" ", t)).lower() for t in texts]


def reduced_char_features(
    texts: Sequence[str],
    n_components: int = 100,
    seed: int = 0,
    fit_rows: int = 20000,
    chunk: int = 5000,
) -> tuple[np.ndarray | None, Any]:
    """:func:`char_features` reduced by a truncated SVD, for corpora too large to hold whole.

    The vectoriser and the SVD are fitted on a seeded sample of ``fit_rows`` texts; then all
    texts are transformed ``chunk`` at a time, so the sparse n-gram matrix of the whole corpus
    (some 8 GB of intermediate counts at 100,000 anecdotes) never exists. Returns dense rows
    and ``(vectorizer, svd)``.
    """
    from sklearn.decomposition import TruncatedSVD

    docs = char_docs(texts)
    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(len(docs), size=min(fit_rows, len(docs)), replace=False))
    sample, vec = _char_tfidf([docs[i] for i in rows])
    if sample is None:
        return None, None
    k = min(n_components, sample.shape[0] - 1, sample.shape[1] - 1)
    if k < 1:
        return None, None
    svd = TruncatedSVD(n_components=k, random_state=seed).fit(sample)
    parts = [svd.transform(vec.transform(docs[i : i + chunk])) for i in range(0, len(docs), chunk)]
    return np.vstack(parts).astype(np.float32), (vec, svd)


def char_features(
    texts: Sequence[str], ngram_range: tuple[int, int] = (4, 6), min_df: int = 2
) -> tuple[Any, Any]:
    """Character n-gram TF-IDF of the texts with names masked: ``(sparse rows, vectorizer)``.

    N-grams inside word boundaries (``char_wb``) of four to six letters catch the parts of
    Dutch compounds and inflections (``vergunning`` in ``omgevingsvergunning``, ``aanvraag`` and
    ``aanvragen``) without a compound splitter or a lemmatiser, and mean the same thing in every
    initiative. Rows are L2-normalised; ``min_df`` is lowered to 1 for fewer than 20 texts.
    Names (:func:`mask_names`) are left out, so initiatives do not group by their people.

    >>> X, vec = char_features(["De vergunning kwam laat.", "Een omgevingsvergunning.", "Geld."])
    >>> X.shape[0], "gunn" in vec.vocabulary_
    (3, True)
    """
    return _char_tfidf(char_docs(texts), ngram_range, min_df)


def _char_tfidf(
    docs: Sequence[str], ngram_range: tuple[int, int] = (4, 6), min_df: int = 2
) -> tuple[Any, Any]:
    """:func:`char_features` of texts already passed through :func:`char_docs`."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=ngram_range,
        sublinear_tf=True,
        min_df=min_df if len(docs) >= 20 else 1,
        dtype=np.float32,
    )
    try:
        X = vec.fit_transform(docs)
    except ValueError:  # no n-gram occurs often enough
        return None, None
    return X.tocsr(), vec
