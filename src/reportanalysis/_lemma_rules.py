"""Lemmas for the Dutch word forms spaCy's lookup table lacks.

spaCy's Dutch lookup table (``spacy-lookups-data``) maps 213,000 forms, yet misses common ones:
``maanden``, ``afspraken``, ``stelt``, ``heeft`` and ``gemaakt`` came out of it unchanged, so a
theme's keywords read "maanden / stelt" and "afspraken" never met "afspraak". The same package
ships the data of spaCy's rule lemmatizer — lemma lists per part of speech (the *index*),
exceptions and suffix rules — which needs part-of-speech tags that ``spacy.blank("nl")`` does
not give. :func:`fallback_lemma` uses them without tags, as far as a form's shape allows:

1. a form the lookup table gives as a lemma is one (``werken``, ``plan``, ``gemeente``);
2. an irregular form from the exceptions (``kwam`` → ``komen``), verbs first, but a verb's
   stem that is also a noun stays a noun (``overleg``, not ``overleggen``);
3. a present-tense or participle verb form by its stem, checked on the verb list
   (``stelt`` → ``stellen``, ``weet`` → ``weten``, ``uitgelegd`` → ``uitleggen``);
4. a plural noun or an inflected adjective by the package's suffix rules and Dutch spelling
   (``fondsen`` → ``fonds``, ``vaste`` → ``vast``, ``grote`` → ``groot``), each candidate
   checked on the list of its part of speech.

A form ending in ``-en`` whose singular is a noun is taken for a plural before a past tense
("de afspraken", not "ze spraken af"; "maanden", not "manen"): keywords are about things. A
form the lookup table already maps is never looked at here, and a form that is itself a lemma
there (``gemaakt``, ``laat``) stays as it is.

Function words and forms of three letters or fewer are left alone: without tags "hoe" would be
a form of "hoeven". A form no rule explains stays as it is.

Used for the theme keywords an analyst reads (:func:`reportanalysis.themes._text.lemma_docs`).
The model features keep the lookup lemmas: with this fallback in the shared pipeline the dev
set gave practice macro-F1 0.771 (was 0.741), kinds 0.799 (was 0.826) and theme suggestions
0.406 / 0.432 / 0.438 (were 0.391 / 0.459 / 0.469), with the suggestions' practice guard 0.522
(was 0.553): changes within one standard error either way, so the features were not changed.

>>> [fallback_lemma(w) for w in ("maanden", "afspraken", "stelt", "uitgelegd", "vaste", "soms")]
['maand', 'afspraak', 'stellen', 'uitleggen', 'vast', 'soms']
"""

from __future__ import annotations

import functools
import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["fallback_lemma", "rule_tables"]

_VOWELS = "aeiou"
#: Parts of speech whose lemma lists and rules are used, in the order they are tried.
_POS = ("noun", "verb", "adj")
#: Adverbs ending in -s, not plurals ("soms" is no form of "som").
_ADVERBS_IN_S = frozenset(["soms", "eens", "anders", "straks", "links", "rechts", "ergens"])
_PARTICIPLE = re.compile(r"^(?P<prefix>[a-z]*?)ge(?P<stem>[a-z]{2,}?)(?:d|t|en)$")


@dataclass(frozen=True)
class RuleTables:
    """The rule lemmatizer's data: lemma lists, exceptions and suffix rules per part of speech."""

    index: dict[str, frozenset[str]]
    exceptions: dict[str, dict[str, str]]
    rules: dict[str, list[tuple[str, str]]]
    #: The lemmas the lookup table maps forms to: a word among them is a lemma already.
    lemmas: frozenset[str]


def _read(files: dict[str, Path]) -> RuleTables:
    def load(name: str) -> Any:
        with gzip.open(files[name]) as fh:
            return json.load(fh)

    index, exc, rules = load("index"), load("exc"), load("rules")
    lookup = load("lookup")
    return RuleTables(
        lemmas=frozenset(v.lower() for v in lookup.values()),
        index={pos: frozenset(w.lower() for w in words) for pos, words in index.items()},
        exceptions={
            pos: {form.lower(): lemmas[0].lower() for form, lemmas in table.items() if lemmas}
            for pos, table in exc.items()
        },
        rules={pos: [(old, new) for old, new in rules.get(pos, [])] for pos in _POS},
    )


@functools.cache
def rule_tables() -> RuleTables | None:
    """The tables of ``spacy-lookups-data`` (read once per machine, then from the disk
    cache); None when the package lacks them."""
    from .diskcache import cached
    from .dutch import lookups_file

    names = ("index", "exc", "rules", "lookup")
    files = {name: lookups_file(f"nl_lemma_{name}.json.gz") for name in names}
    if any(path is None for path in files.values()):  # pragma: no cover - a dependency
        return None
    found = {name: path for name, path in files.items() if path is not None}
    return cached("spacy-nl-lemma-rules", list(found.values()), lambda: _read(found))


def _infinitives(stem: str) -> list[str]:
    """Infinitives a verb stem may have, by Dutch spelling: ``werk`` → werken, ``stel`` →
    stellen (short vowel), ``maak`` → maken (long vowel), ``schrijf`` → schrijven, ``gaa`` →
    gaan."""
    out = [stem + "en", stem + "n"]
    if len(stem) >= 3 and stem[-1] not in _VOWELS:
        if stem[-2] in _VOWELS and stem[-3] not in _VOWELS:
            out.append(stem + stem[-1] + "en")  # stel → stellen
        if stem[-2] == stem[-3] and stem[-2] in _VOWELS:
            out.append(stem[:-2] + stem[-1] + "en")  # maak → maken
        voiced = {"f": "v", "s": "z"}.get(stem[-1])
        if voiced:
            base = stem[:-1] + voiced
            out.append(base + "en")  # schrijf → schrijven
            if len(stem) >= 3 and stem[-2] == stem[-3] and stem[-2] in _VOWELS:
                out.append(stem[:-3] + stem[-2] + voiced + "en")  # lees → lezen
    return out


def _singulars(stem: str) -> list[str]:
    """Singulars a plural's stem (``-en`` taken off) may have: ``maand``, ``bom`` → boom,
    ``briev`` → brief, ``bedd`` → bed."""
    out = [stem]
    short_vowel = len(stem) >= 3 and stem[-2] in _VOWELS and stem[-3] not in _VOWELS
    if short_vowel and stem[-1] not in _VOWELS:
        long = stem[:-1] + stem[-2] + stem[-1]  # bom → boom, strat → straat
        out += [long, long[:-1] + {"v": "f", "z": "s"}.get(long[-1], long[-1])]
    if len(stem) >= 3 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
        out.append(stem[:-1])  # bedd → bed
    if stem and stem[-1] in "vz":
        out.append(stem[:-1] + {"v": "f", "z": "s"}[stem[-1]])  # briev → brief
    return out


def _first(candidates: list[str], allowed: frozenset[str]) -> str | None:
    return next((c for c in candidates if c in allowed), None)


@functools.lru_cache(maxsize=200_000)
def fallback_lemma(word: str) -> str:
    """The lemma of a lower-case Dutch ``word`` the lookup table lacks (itself when no rule
    explains it); see the module's docstring."""
    tables = rule_tables()
    if tables is None or len(word) <= 3 or not word.isalpha() or word in _ADVERBS_IN_S:
        return word
    if _function_word(word):
        return word
    if word in tables.lemmas:
        return word
    nouns = tables.index.get("noun", frozenset())
    if word.endswith("en"):  # a plural before a past tense: "maanden" is not of "manen"
        found = _first(_singulars(word[:-2]), nouns & tables.lemmas)
        if found:
            return found
    for pos in ("verb", "noun", "adj"):
        if pos == "verb" and word in nouns:
            continue  # a verb's stem that is a noun too: "overleg", "plan", "werk"
        lemma = tables.exceptions.get(pos, {}).get(word)
        if lemma:
            return lemma
    verbs = tables.index.get("verb", frozenset())
    if word.endswith("t"):  # present tense: stelt, werkt, weet (stem weet), gaat
        for stem in (word[:-1], word):
            found = tables.exceptions.get("verb", {}).get(stem) or _first(_infinitives(stem), verbs)
            if found:
                return found
    participle = _PARTICIPLE.match(word)
    if participle:  # gemaakt, geleerd, uitgelegd
        prefix, stem = participle.group("prefix"), participle.group("stem")
        found = _first([prefix + inf for inf in _infinitives(stem)], verbs)
        if found:
            return found
    candidates: dict[str, list[str]] = {"noun": [], "adj": []}
    if word.endswith("en"):
        candidates["noun"] += _singulars(word[:-2])
    if word.endswith(("s", "'s")) and len(word) >= 5:
        candidates["noun"].append(word.rstrip("s").rstrip("'"))
    if word.endswith("e"):
        candidates["adj"] += _singulars(word[:-1])  # vaste → vast, grote → groot
    for pos in ("noun", "adj"):
        candidates[pos] += [
            word[: len(word) - len(old)] + new
            for old, new in tables.rules.get(pos, [])
            if old and word.endswith(old)
        ]
        found = _first(candidates[pos], tables.index.get(pos, frozenset()))
        if found:
            return found
    return word


def _function_word(word: str) -> bool:
    from .dutch import stop_words

    return word in stop_words()
