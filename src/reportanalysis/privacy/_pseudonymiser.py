"""Consistent pseudonyms for a whole project, with offset maps back to the original text."""

from __future__ import annotations

import bisect
import json
import os
import random
import re
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..dutch import cached_batch
from ..errors import InputError, MissingFileError, NotFittedError, UnknownItemError
from ..model import Report
from ._names import Mention, NameFinder, Spans
from ._patterns import find_patterns, pattern_value

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "KINDS",
    "LABELS",
    "Pseudonymised",
    "Pseudonymiser",
    "Replacement",
    "detect",
    "map_span",
    "pseudonymise_frame",
    "pseudonymise_rows",
    "read_key",
]

KINDS: tuple[str, ...] = (
    "person",
    "email",
    "phone",
    "address",
    "postcode",
    "bsn",
    "iban",
    "url",
    "birthdate",
)
#: The word in a pseudonym for each kind: ``[PERSOON 3]``.
LABELS: dict[str, str] = {
    "person": "PERSOON",
    "email": "E-MAIL",
    "phone": "TELEFOON",
    "address": "ADRES",
    "postcode": "POSTCODE",
    "bsn": "BSN",
    "iban": "IBAN",
    "url": "URL",
    "birthdate": "GEBOORTEDATUM",
}
_KIND_OF_LABEL = {label: kind for kind, label in LABELS.items()}
_PSEUDONYM = re.compile(r"\[(?P<label>[A-Z-]+) (?P<number>[1-9]\d*)\]")
# When two detections overlap the one earlier in this list wins.
_PRIORITY = ("email", "url", "iban", "bsn", "phone", "birthdate", "address", "postcode", "person")


@dataclass(frozen=True)
class Replacement:
    """An original span ``start:end`` that became ``pstart:pend`` of the pseudonymised text."""

    start: int
    end: int
    pstart: int
    pend: int
    kind: str
    pseudonym: str


def map_span(replacements: Sequence[Replacement], start: int, end: int) -> tuple[int, int]:
    """Original offsets → offsets in the pseudonymised text.

    A span that touches a replacement covers all of it::

        >>> reps = [Replacement(4, 10, 4, 15, "person", "[PERSOON 1]")]
        >>> map_span(reps, 0, 3), map_span(reps, 4, 10), map_span(reps, 6, 12)
        ((0, 3), (4, 15), (4, 17))
    """
    if start > end:
        raise ValueError(f"span {start}-{end}: start lies after end")
    ends = [r.end for r in replacements]
    # start: the first replacement ending after start
    k = bisect.bisect_right(ends, start)
    if k < len(replacements) and replacements[k].start <= start < replacements[k].end:
        pstart = replacements[k].pstart
        if end == start and replacements[k].start < start:  # empty, inside a replacement
            return pstart, replacements[k].pend
    else:
        shift = replacements[k - 1].pend - replacements[k - 1].end if k else 0
        pstart = start + shift
    # end: the replacement containing end - 1 (if the span is not empty)
    k = bisect.bisect_left(ends, end)
    if end > start and k < len(replacements) and replacements[k].start < end <= replacements[k].end:
        pend = replacements[k].pend
    else:
        j = bisect.bisect_right(ends, end)
        shift = replacements[j - 1].pend - replacements[j - 1].end if j else 0
        pend = end + shift
    return pstart, max(pstart, pend)


@dataclass(frozen=True)
class Pseudonymised:
    """The pseudonymised text of one report and how it maps onto the original."""

    report_id: str
    text: str
    replacements: tuple[Replacement, ...] = ()

    def map_span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets → offsets in :attr:`text` (see :func:`map_span`)."""
        return map_span(self.replacements, start, end)

    def span_text(self, start: int, end: int) -> str:
        """The pseudonymised text of the original span ``start:end``."""
        pstart, pend = self.map_span(start, end)
        return self.text[pstart:pend]


@dataclass
class _Entity:
    kind: str
    key: tuple[str, ...]
    original: str
    order: int
    given: str = ""
    surname: str = ""
    initials: str = ""
    number: int = 0
    from_key: bool = False  # named by the previous key (and numbered by it)

    @property
    def pseudonym(self) -> str:
        return f"[{LABELS[self.kind]} {self.number}]"


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    kind: str
    value: str
    mention: Mention | None = None


@dataclass
class _Registry:
    """Entities of a project; persons are merged over name variants where unambiguous."""

    entities: dict[tuple[str, ...], _Entity] = field(default_factory=dict)
    # Full-named persons by first given name and by surname (whole and last part), so
    # resolving a mention is a lookup, not a scan over every entity of the project.
    by_given: dict[str, list[_Entity]] = field(default_factory=dict)
    by_surname: dict[str, list[_Entity]] = field(default_factory=dict)
    # From a previous key: other keys its persons may be found under ("Ozan" as given name or
    # surname), the highest number per kind (new entities are numbered above it) and entries
    # no entity took (kept in the key, their numbers never given to anyone else).
    aliases: dict[tuple[str, ...], _Entity] = field(default_factory=dict)
    floor: dict[str, int] = field(default_factory=dict)
    reserved: dict[str, str] = field(default_factory=dict)

    def add(
        self,
        kind: str,
        key: tuple[str, ...],
        original: str,
        given: str = "",
        surname: str = "",
        initials: str = "",
    ) -> _Entity:
        ent = self.entities.get(key) or self.aliases.get(key)
        if ent is None:
            ent = _Entity(
                kind, key, original, len(self.entities), given, surname, initials=initials
            )
            self.entities[key] = ent
            if kind == "person" and given and surname:
                self.by_given.setdefault(given.split()[0].lower(), []).append(ent)
            if kind == "person" and surname and (given or initials):  # "A. de Roos" too
                for part in dict.fromkeys((surname, surname.split()[-1])):
                    self.by_surname.setdefault(part, []).append(ent)
        elif len(original) > len(ent.original):
            ent.original = original
        return ent

    def resolve(self, m: Mention, local: set[tuple[str, ...]]) -> _Entity:
        """The person a mention refers to; ``local``: full names seen in the same report."""
        first = m.first.lower()
        if first and m.surname:
            return self.add(
                "person", ("person", first, m.surname), m.text, given=m.given, surname=m.surname
            )
        if first:
            cands = list(self.by_given.get(first, ()))
        elif m.surname:
            cands = list(self.by_surname.get(m.surname, ()))
            if m.initials:
                initial = m.initials[:1].upper()
                cands = [e for e in cands if (e.given[:1] or e.initials[:1]).upper() == initial]
        else:  # pragma: no cover - a mention always has a given name or a surname
            cands = []
        near = [e for e in cands if e.key in local]
        key = ("person", first, "") if first else ("person", m.initials.lower(), m.surname)
        # The previous key's "Anneke" stays that person where the report names no Anneke in
        # full, even when a full name found now ("Anneke de Roos") would take her in; and where
        # the key knew one Anneke de Roos, a new "Anneke Visser" does not make "Anneke" in the
        # reports of the earlier run someone else.
        prior = self.entities.get(key) or self.aliases.get(key)
        kept = [prior] if prior is not None and prior.from_key else []
        keyed = [e for e in cands if e.from_key]
        for group in (near, kept, keyed, cands):
            if len(group) == 1:
                return group[0]
        return self.add("person", key, m.text, m.given, m.surname, m.initials)

    def seed_key(self, entries: Sequence[tuple[str, int, str]], finder: NameFinder) -> None:
        """Register the entities of a previous key ``(kind, number, original)`` with their
        numbers, before anything is found. Two entries under one entity: the lower number wins,
        the other stays reserved."""
        for kind, number, original in sorted(entries, key=lambda e: (e[0], e[1])):
            self.floor[kind] = max(self.floor.get(kind, 0), number)
            pseudonym = f"[{LABELS[kind]} {number}]"
            keys: list[tuple[str, ...]] = [(kind, pattern_value(kind, original))]
            parts = ("", "", "")
            if kind == "person":
                m = finder.parse_name(original)
                first = m.first.lower()
                parts = (m.given, m.surname, m.initials)
                keys = [("person", first or m.initials.lower(), m.surname)]  # as resolve() does
                word = original.strip().lower().replace("’", "'")
                if len(original.split()) == 1 and not m.initials:  # a given name or a surname
                    keys += [
                        k for k in (("person", word, ""), ("person", "", word)) if k != keys[0]
                    ]
            if any(k in self.entities or k in self.aliases for k in keys):
                self.reserved[pseudonym] = original
                continue
            ent = self.add(kind, keys[0], original, *parts)
            ent.original, ent.number, ent.from_key = original, number, True
            for alias in keys[1:]:
                self.aliases[alias] = ent

    def number(self, seed: int) -> None:
        """Give every entity without a number the next free number of its kind (seeded order)."""
        if all(e.number for e in self.entities.values()):
            return  # the common case of a loose text with names already seen
        by_kind: dict[str, list[_Entity]] = {}
        for e in sorted(self.entities.values(), key=lambda e: e.order):
            by_kind.setdefault(e.kind, []).append(e)
        for kind, ents in by_kind.items():
            rng = random.Random(f"{seed}:{kind}")  # one stream per kind: order of kinds is moot
            used = max([self.floor.get(kind, 0), *(e.number for e in ents)])
            # Sorted before the seeded shuffle, so the numbers depend on the entities found and
            # the seed only, not on the order reports (or their metadata) were read in.
            new = sorted((e for e in ents if not e.number), key=lambda e: (e.key, e.original))
            rng.shuffle(new)
            for k, e in enumerate(new, used + 1):
                e.number = k


def _keep_spans(text: str, keep: Sequence[str]) -> list[tuple[int, int]]:
    spans = []
    for phrase in keep:
        if phrase.strip():
            pat = r"(?<!\w)" + re.escape(phrase.strip()) + r"(?!\w)"
            spans += [(m.start(), m.end()) for m in re.finditer(pat, text, re.IGNORECASE)]
    return spans


def _select(found: Iterable[_Found], keep: list[tuple[int, int]]) -> list[_Found]:
    """Non-overlapping detections: higher-priority kind first, then the longer span."""
    chosen: list[_Found] = []
    taken = Spans()
    order = sorted(found, key=lambda f: (_PRIORITY.index(f.kind), -(f.end - f.start), f.start))
    for f in order:
        if keep and any(a <= f.start and f.end <= b for a, b in keep):
            continue
        if not taken.overlaps(f.start, f.end):
            taken.add(f.start, f.end)
            chosen.append(f)
    return sorted(chosen, key=lambda f: f.start)


def _detect_one(
    text: str, finder: NameFinder, kinds: Sequence[str], keep: Sequence[str], known: bool
) -> tuple[_Found, ...]:
    found = [_Found(s, e, k, v) for s, e, k, v in find_patterns(text, kinds, finder.is_name)]
    if "person" in kinds:
        mentions = finder.find_with_known(text) if known else finder.find(text)
        found += [_Found(m.start, m.end, "person", m.text, m) for m in mentions]
    return tuple(_select(found, _keep_spans(text, keep)))


#: How many reports' detections :func:`_detect` remembers per process.
DETECT_CACHE_SIZE = 8192
_detected: OrderedDict[tuple[Any, ...], tuple[_Found, ...]] = OrderedDict()


def _detect(
    texts: Sequence[str],
    finder: NameFinder,
    kinds: Sequence[str],
    keep: Sequence[str],
    known: bool,
) -> list[tuple[_Found, ...]]:
    """The personal data found in each text, each text searched once per process.

    Detection depends on the text, the finder's name lists and the options only, so a second
    run over the same reports (a notebook re-run with other theme settings) finds them done.
    Nothing here leaves the process.
    """
    options = (finder.key, tuple(kinds), tuple(keep), known)
    return cached_batch(
        _detected,
        DETECT_CACHE_SIZE,
        [(text, options) for text in texts],
        lambda keys: [_detect_one(text, finder, kinds, keep, known) for text, _ in keys],
    )


def detect(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, kind)`` of the personal data found in one text, by start.

    >>> detect("Bel Anneke de Roos op 06-12345678.")
    [(4, 18, 'person'), (22, 33, 'phone')]
    """
    return [(f.start, f.end, f.kind) for f in _detect_one(text, NameFinder(), KINDS, (), False)]


_PERSON_KEY = re.compile(
    r"duo|gesprekspartner|contactperso|aanwezig|deelnemer|verslag|auteur|interview|"
    r"initiatiefnem|ambtena|opgesteld|notulist|namens|bezoeker|gesproken|trekker|betrokken|"
    r"persoon|personen|naam|namen|coach|begeleid|participant|author|participant|contact|"
    r"afzender|ontvanger",
    re.IGNORECASE,
)


def _person_parts(name: str, finder: NameFinder) -> list[Mention]:
    line = f"Deelnemers: {name}"
    return [
        Mention(m.start - 12, m.end - 12, m.text, m.given, m.initials, m.surname, "given")
        for m in finder.find(line)
    ]


class Pseudonymiser:
    """Replaces personal data with consistent pseudonyms across all reports of a project.

    Fit on all reports first: names found anywhere (a full name in one report, a metadata
    line in another) are then recognised everywhere, and "Anneke de Roos", "Anneke",
    "mevr. De Roos" and "A. de Roos" become one ``[PERSOON n]`` where that is unambiguous.
    Numbers are given per kind in an order shuffled with ``seed`` (so a number says nothing
    about where a person first appears). ``extra_names`` are persons to mask wherever they
    occur: each name exactly as listed (case-sensitive, on word boundaries, a tussenvoegsel in
    either case), also where the rules would not take it for a name ("Bos", "Van Dijk"); the
    parts of a longer name (the given name "Jorien", the surname "Kloosterman" of "Jorien
    Kloosterman") are masked where they read as a name, like any name found in the project.
    A surname a report shows to be a name (after a title, with a given name) is the same
    person wherever that report repeats it. ``keep`` are phrases never masked (a public
    building, a wethouder's public name).

    Transforming a report that was not in ``fit`` gives new persons new numbers.

    ``previous_key`` is the key of an earlier run (:meth:`key`, :func:`read_key`): what it names
    keeps its pseudonym, new entities are numbered above its highest number per kind, and its
    entries not found now stay in :meth:`key`, so pseudonyms stay the same from run to run and
    no number of the key is given to someone else.

        >>> old = {"[PERSOON 4]": "Anneke de Roos", "[PERSOON 7]": "Kees Dekker"}
        >>> r = Report("r2", "r2.txt", "txt", "Mevrouw De Roos sprak met Jan Pinas.")
        >>> ps = Pseudonymiser(previous_key=old).fit([r])
        >>> ps.transform(r).text
        'Mevrouw [PERSOON 4] sprak met [PERSOON 8].'
        >>> ps.key()
        {'[PERSOON 4]': 'Anneke de Roos', '[PERSOON 7]': 'Kees Dekker', '[PERSOON 8]': 'Jan Pinas'}

        >>> r = Report("r1", "r1.txt", "txt", "Anneke de Roos belde. Anneke was blij.")
        >>> Pseudonymiser().fit_transform([r])[0].text
        '[PERSOON 1] belde. [PERSOON 1] was blij.'
    """

    def __init__(
        self,
        *,
        kinds: Sequence[str] = KINDS,
        extra_names: Sequence[str] = (),
        keep: Sequence[str] = (),
        seed: int = 0,
        previous_key: Mapping[str, str] | None = None,
    ) -> None:
        self.kinds = kinds
        self.extra_names = extra_names
        self.keep = keep
        self.seed = seed
        self.previous_key = previous_key

    def _check_kinds(self) -> None:
        unknown = set(self.kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown kinds {sorted(unknown)}; choose from {', '.join(KINDS)}")

    def fit(self, reports: Sequence[Report]) -> Pseudonymiser:
        """Collect the persons and other data of all reports and number them."""
        self._check_kinds()
        base = NameFinder()
        registry = _Registry()
        entries = _key_entries(self.previous_key or {}, "previous_key")
        registry.seed_key(entries, base)
        # pass 1: full names from the rules, the metadata and the extra names
        extra = [base.parse_name(name) for name in self.extra_names if name.strip()]
        for report in reports:
            for mkey, value in report.metadata.items():
                if isinstance(value, str) and len(value) < 300 and _PERSON_KEY.search(mkey):
                    extra += _person_parts(value, base)
        # A person to keep (given name and surname) is found like any other, so that every
        # form of the name joins them, and then left as written (_kept); other phrases to keep
        # are never looked at.
        self.keep_persons_ = [
            m for m in (base.parse_name(k) for k in self.keep if k.strip()) if m.surname
        ]
        self.keep_spans_ = [
            k for k in self.keep if not (len(k.split()) > 1 and base.parse_name(k).first)
        ]
        first_pass = _detect([r.text for r in reports], base, self.kinds, self.keep_spans_, False)
        mentions = extra + [f.mention for fs in first_pass for f in fs if f.mention is not None]
        for m in mentions:
            if m.first and m.surname:
                registry.resolve(m, set())
        # the persons of the previous key are known names too (a report that named them in
        # full may be left out now); one word alone may be a given name or a surname, so only
        # names whose part is certain count
        known: list[Mention | _Entity] = [*mentions]
        known += [
            e
            for e in registry.entities.values()
            if e.from_key and e.kind == "person" and (e.given or len(e.original.split()) > 1)
        ]
        given = {m.given.split()[0] for m in known if m.given}
        surnames = {m.surname for m in known if m.surname}
        self.finder_ = NameFinder(
            base.lists, given_names=given, surnames=surnames, exact_names=self.extra_names
        )
        # pass 2: every mention, now also the repeated given names and surnames
        self.registry_ = registry
        self.found_: dict[str, list[tuple[_Found, _Entity]]] = {}
        second_pass = _detect(
            [r.text for r in reports], self.finder_, self.kinds, self.keep_spans_, True
        )
        for report, found in zip(reports, second_pass, strict=True):
            self.found_[report.sha256] = self._resolve(report.text, found)
        registry.number(self.seed)
        return self

    def _resolve(
        self, text: str, found: Sequence[_Found] | None = None
    ) -> list[tuple[_Found, _Entity]]:
        if found is None:
            (found,) = _detect([text], self.finder_, self.kinds, self.keep_spans_, True)
        local: set[tuple[str, ...]] = {
            ("person", (m.first or m.initials).lower(), m.surname)
            for m in (f.mention for f in found)
            if m is not None and (m.first or m.initials) and m.surname
        }

        def specific(f: _Found) -> int:  # full names first, then initials, then the rest
            m = f.mention
            return 2 if m is None or not m.surname else 0 if m.first else 1 if m.initials else 2

        ents: dict[int, _Entity] = {}
        for k in sorted(range(len(found)), key=lambda k: specific(found[k])):
            f = found[k]
            if f.mention is not None:
                ents[k] = self.registry_.resolve(f.mention, local)
            else:
                ents[k] = self.registry_.add(f.kind, (f.kind, f.value), text[f.start : f.end])
        return [(f, ents[k]) for k, f in enumerate(found) if not self._kept(ents[k])]

    def _kept(self, ent: _Entity) -> bool:
        """Is ``ent`` a person ``keep`` names (same surname; same given name or initial, when
        both are known)?"""
        if ent.kind != "person" or not ent.surname:
            return False
        given = ent.given.split()[0].lower() if ent.given else ""
        for k in getattr(self, "keep_persons_", ()):
            if k.surname != ent.surname.lower():
                continue
            first = k.first.lower()
            if not first or not (given or ent.initials):
                return True
            if given == first or (not given and ent.initials[:1].lower() == first[:1]):
                return True
        return False

    def _fitted(self) -> None:
        if not hasattr(self, "registry_"):
            raise NotFittedError("Pseudonymiser: call fit(reports) before transform")

    def transform(self, report: Report) -> Pseudonymised:
        """The pseudonymised text of one report and its replacements."""
        self._fitted()
        pairs = self.found_.get(report.sha256)
        if pairs is None:
            pairs = self._resolve(report.text)
            self.registry_.number(self.seed)
        parts: list[str] = []
        reps: list[Replacement] = []
        pos = shift = 0
        for f, ent in pairs:
            parts.append(report.text[pos : f.start])
            pseudonym = ent.pseudonym
            pstart = f.start + shift
            reps.append(
                Replacement(f.start, f.end, pstart, pstart + len(pseudonym), f.kind, pseudonym)
            )
            parts.append(pseudonym)
            shift += len(pseudonym) - (f.end - f.start)
            pos = f.end
        parts.append(report.text[pos:])
        return Pseudonymised(report.id, "".join(parts), tuple(reps))

    def transform_text(self, text: str) -> str:
        """Pseudonymise a loose text (a heading, a label) with this project's pseudonyms."""
        self._fitted()
        pairs = self._resolve(text)
        self.registry_.number(self.seed)
        out, pos = [], 0
        for f, ent in pairs:
            out += [text[pos : f.start], ent.pseudonym]
            pos = f.end
        return "".join(out) + text[pos:]

    def fit_transform(self, reports: Sequence[Report]) -> list[Pseudonymised]:
        """Fit on all reports, then transform each."""
        self.fit(reports)
        return [self.transform(r) for r in reports]

    def key(self) -> dict[str, str]:
        """Pseudonym → original (the fullest form seen). Keep it apart from every output.

        With a ``previous_key`` it holds all of that key's entries too: a key only grows.
        """
        self._fitted()
        registry = self.registry_
        entries = [(e.kind, e.number, e.original) for e in registry.entities.values() if e.number]
        entries += _key_entries(registry.reserved, "previous_key")
        return {f"[{LABELS[k]} {n}]": original for k, n, original in sorted(entries)}

    def write_key(self, path: str | Path) -> None:
        """Write :meth:`key` as JSON to ``path`` (the only place the key is ever written).

        The file is readable by its owner only (mode 0600), also when it existed before.
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        if hasattr(os, "fchmod"):  # an existing file keeps its mode on open: narrow it first
            os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(self.key(), fh, ensure_ascii=False, indent=1)
            fh.write("\n")


def _key_entries(key: Mapping[str, str], source: str | Path) -> list[tuple[str, int, str]]:
    """``(kind, number, original)`` of each entry of a key; InputError naming ``source`` when
    the key is not a mapping of pseudonyms ("[PERSOON 3]") to originals."""
    if not isinstance(key, Mapping):
        raise InputError(
            source,
            f"a pseudonym key is a JSON object of pseudonym → original, not a {type(key).__name__}"
            "; give the key file an earlier run wrote",
        )
    entries = []
    for pseudonym, original in key.items():
        m = _PSEUDONYM.fullmatch(pseudonym) if isinstance(pseudonym, str) else None
        if m is None or m["label"] not in _KIND_OF_LABEL:
            raise InputError(
                source,
                f"{pseudonym!r} is not a pseudonym such as '[PERSOON 3]' (kinds: "
                f"{', '.join(LABELS.values())}); give the key file an earlier run wrote",
            )
        if not isinstance(original, str) or not original.strip():
            raise InputError(source, f"{pseudonym} has no original text (a non-empty string)")
        entries.append((_KIND_OF_LABEL[m["label"]], int(m["number"]), original))
    return entries


def read_key(path: str | Path) -> dict[str, str]:
    """The key an earlier run wrote with :meth:`Pseudonymiser.write_key` (pseudonym → original),
    to pass as ``Pseudonymiser(previous_key=...)`` so pseudonyms stay the same.

    Raises :class:`~reportanalysis.errors.MissingFileError` when ``path`` does not exist and
    :class:`~reportanalysis.errors.InputError` (naming the file) when it is no such key.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MissingFileError(
            path, "no such key file; give the key an earlier run wrote"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"the key file cannot be read ({exc})") from exc
    try:
        key = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            path, f"not a pseudonym key: no valid JSON ({exc}); give the key an earlier run wrote"
        ) from exc
    _key_entries(key, path)
    return dict(key)


def pseudonymise_frame(
    df: pd.DataFrame,
    pseudonymised_by_report: Mapping[str, Pseudonymised],
    text_column: str = "text",
) -> pd.DataFrame:
    """A copy of an anecdote frame whose ``text_column`` holds the pseudonymised slice.

    ``start``/``end`` keep pointing into the original report; ``pstart``/``pend`` are added and
    point into the pseudonymised text. Rows need ``report_id``, ``start`` and ``end``.
    """
    out = df.copy()
    texts: list[Any] = []
    pstarts: list[int] = []
    pends: list[int] = []
    for rid, start, end in zip(out["report_id"], out["start"], out["end"], strict=True):
        p = pseudonymised_by_report.get(rid)
        if p is None:
            raise UnknownItemError(
                f"report {rid!r} was not pseudonymised: fit the Pseudonymiser on all reports"
            )
        ps, pe = p.map_span(int(start), int(end))
        texts.append(p.text[ps:pe])
        pstarts.append(ps)
        pends.append(pe)
    out[text_column] = texts
    out["pstart"] = pstarts
    out["pend"] = pends
    return out


def pseudonymise_rows(
    rows: Sequence[Mapping[str, Any]],
    reports: Sequence[Report],
    *,
    report_field: str = "report",
    text_field: str = "text",
    **params: Any,
) -> list[dict[str, Any]]:
    """Rows (``split`` output) with pseudonymised ``text`` and added ``pstart``/``pend``.

    A :class:`Pseudonymiser` (``params`` go to it) is fitted on all ``reports``; ``start``/``end``
    keep pointing into the original report text.
    """
    ps = Pseudonymiser(**params).fit(reports)
    done = {r.id: ps.transform(r) for r in reports}
    sections: dict[str, str] = {}
    out = []
    for row in rows:
        p = done.get(str(row[report_field]))
        if p is None:
            raise UnknownItemError(f"report {row[report_field]!r} is not among the reports read")
        pstart, pend = p.map_span(int(row["start"]), int(row["end"]))
        new = {**row, text_field: p.text[pstart:pend], "pstart": pstart, "pend": pend}
        section = row.get("section")
        if isinstance(section, str) and section:
            if section not in sections:
                sections[section] = ps.transform_text(section)
            new["section"] = sections[section]
        out.append(new)
    return out
