"""The metadata block at the top of a report (``Initiatief: …``, ``Datum: …``) and its title.

Keys may be Dutch or English, in any case, with Markdown decoration; they are normalised to
Dutch lower-case keys. Unknown keys are kept, lower-cased, when the block also holds a known
key (so a report that opens with ``Anneke: ‘…’`` does not get an ``anneke`` field).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

__all__ = ["normalise_key", "parse_bezoek", "parse_date", "parse_metadata"]

_ALIASES: dict[str, str] = {}
for _canon, _names in {
    "initiatief": ["initiatief", "initiative", "naam initiatief", "project", "bewonersinitiatief"],
    "bezoek": ["bezoek", "visit", "bezoeknummer", "visit number", "ronde", "round"],
    "datum": ["datum", "date", "datum bezoek", "visit date", "date of visit", "bezoekdatum"],
    "onderzoeksduo": [
        "onderzoeksduo",
        "research duo",
        "onderzoekers",
        "researchers",
        "interviewers",
        "bezoekers",
        "visitors",
        "duo",
    ],
    "gesprekspartners": [
        "gesprekspartners",
        "gesprekspartner",
        "interviewees",
        "conversation partners",
        "samenwerkingsduo",
        "collaborating duo",
        "gesproken met",
        "spoke with",
        "aanwezig",
        "present",
        "participants",
        "deelnemers",
    ],
    "contactpersoon": ["contactpersoon", "contact", "contact person", "contactgegevens"],
    "gemeente": ["gemeente", "municipality", "city", "stad"],
    "locatie": ["locatie", "location", "plaats", "place", "adres", "address", "wijk"],
}.items():
    for _name in _names:
        _ALIASES[_name] = _canon

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("januari", "january", "jan"),
            ("februari", "february", "feb"),
            ("maart", "march", "mrt", "mar"),
            ("april", "apr"),
            ("mei", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("augustus", "august", "aug"),
            ("september", "sept", "sep"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_PATTERNS = (
    (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"), ("y", "m", "d")),
    (re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b"), ("d", "m", "y")),
    (
        re.compile(rf"\b(\d{{1,2}})(?:e|st|nd|rd|th)?\s+({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.I),
        ("d", "M", "y"),
    ),
    (
        re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I),
        ("M", "d", "y"),
    ),
)
_ORDINALS = {
    "eerste": 1,
    "tweede": 2,
    "derde": 3,
    "vierde": 4,
    "laatste": None,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
}
_KV = re.compile(
    r"^\s*(?:[-*•]\s+)?[*_]{0,2}([^\W\d][\w .'/()-]{0,38}?)[*_]{0,2}\s*:[*_]{0,2}\s*(.*?)\s*$"
)
_REPORT_WORD = re.compile(
    r"\b(?:gespreks)?verslag\w*|\bbezoek\w*|\breport\b|\bvisit\b|\bnotities\b|\baantekeningen\b"
    r"|\bnotes\b|\binterview\b",
    re.I,
)
_TITLE_KEY = re.compile(r"(?:gespreks|bezoek)?verslag\w*(?: .*)?|(?:visit )?report(?: .*)?")
_SEPARATOR = re.compile(r"\s+[–—-]\s+|\s*:\s+|\s+\|\s+")


def normalise_key(key: str) -> str:
    """A metadata key in canonical form: Dutch, lower case, known aliases mapped.

    >>> normalise_key("**Visit date**"), normalise_key("Contactpersoon initiatief")
    ('datum', 'contactpersoon')
    >>> normalise_key("Wijkagent")
    'wijkagent'
    """
    k = re.sub(r"\s+", " ", key.strip(" \t*_#-•").lower())
    if k in _ALIASES:
        return _ALIASES[k]
    first = k.split(" ", 1)[0]
    if first in _ALIASES and len(k.split()) <= 3:
        return _ALIASES[first]
    return k


def parse_date(value: str) -> str | None:
    """An ISO date (``YYYY-MM-DD``) from Dutch or English notations, else ``None``.

    >>> parse_date("13 juli 2023"), parse_date("13-07-2023"), parse_date("July 13, 2023")
    ('2023-07-13', '2023-07-13', '2023-07-13')
    >>> parse_date("dinsdag 3 okt. 2023"), parse_date("binnenkort")
    ('2023-10-03', None)
    """
    for pattern, order in _DATE_PATTERNS:
        m = pattern.search(value)
        if not m:
            continue
        parts: dict[str, int] = {}
        for field, raw in zip(order, m.groups(), strict=True):
            if field == "M":
                parts["m"] = _MONTHS[raw.lower()]
            else:
                parts[field] = int(raw)
        try:
            return date(parts["y"], parts["m"], parts["d"]).isoformat()
        except ValueError:
            continue
    return None


def parse_bezoek(value: str) -> int | None:
    """The visit number from ``"2/2"``, ``"1"``, ``"tweede bezoek"``, ``"Bezoek 1 van 2"``.

    >>> parse_bezoek("2/2"), parse_bezoek("eerste bezoek"), parse_bezoek("Visit 2 of 2")
    (2, 1, 2)
    """
    v = value.lower()
    m = re.search(r"(?:bezoek|visit)\s*(?:nr\.?|no\.?|#)?\s*(\d{1,2})\b", v) or re.search(
        r"(?<![\d/-])(\d{1,2})(?:e|ste|de|st|nd|rd|th)?\b(?!\s*(?:-|\.\d|/\d{2,}))", v
    )
    if m:
        return int(m.group(1))
    for word, number in _ORDINALS.items():
        if number and re.search(rf"\b{word}\b", v):
            return number
    return None


def _convert(key: str, value: str) -> Any:
    if key == "bezoek":
        n = parse_bezoek(value)
        return n if n is not None else value
    if key == "datum":
        iso = parse_date(value)
        return iso if iso is not None else value
    return value


def _strip_markup(line: str) -> str:
    return re.sub(r"^\s*#{1,6}\s*", "", line).strip().strip("*_").strip()


_TITLE_NOISE = re.compile(
    r"\((?:[^()]*\d[^()]*)\)"  # a parenthesised date or number
    r"|\b(?:gespreks|bezoek)?verslag(?:en)?\b(?:\s+(?:van|bij|over|aan)\b)?"
    r"|\b(?:visit\s+)?report\b(?:\s+(?:on|of)\b)?|\bnotities\b|\baantekeningen\b|\bnotes\b"
    r"|\b(?:(?:het|de|the)\s+)?(?:eerste|tweede|derde|vierde|laatste|first|second|third|last"
    r"|\d{1,2}(?:e|ste|de|st|nd|rd|th))\s+(?:bezoek|visit)\b(?:\s+(?:aan|bij|to|at)\b)?"
    r"|\b(?:bezoek|visit)\b(?:\s*(?:nr\.?|no\.?|#)?\s*\d{1,2}(?:\s*(?:/|van|of)\s*\d{1,2})?)?"
    r"(?:\s+(?:aan|bij|to|at)\b)?",
    re.I,
)


def _from_title(title: str) -> dict[str, Any]:
    """``initiatief`` / ``bezoek`` / ``datum`` / ``locatie`` named by a report's title line.

    The title must call itself a report or visit; what remains once those words, the visit
    number and the date are taken out is the initiative (and, after a comma, its place).
    """
    found: dict[str, Any] = {}
    if not title or len(title) > 150 or not _REPORT_WORD.search(title):
        return found
    n = parse_bezoek_from_title(title)
    if n is not None:
        found["bezoek"] = n
    iso = parse_date(title)
    if iso:
        found["datum"] = iso
    rest = _TITLE_NOISE.sub(" | ", title)
    for pattern, _order in _DATE_PATTERNS:
        rest = pattern.sub(" | ", rest)
    segments = [
        seg.strip(" \t.,;:|()[]–—-") for seg in re.split(r"\s+[–—-]\s+|\s*[|:;]\s*|\s*,\s*", rest)
    ]
    segments = [seg for seg in segments if seg and (seg[0].isupper() or seg[0].isdigit())]
    if segments:
        found["initiatief"] = segments[0]
        comma_place = re.search(re.escape(segments[0]) + r"\s*,\s*([^,|–—]+)", title)
        if comma_place and len(segments) > 1 and comma_place.group(1).strip() == segments[1]:
            found["locatie"] = segments[1]
    return found


def parse_bezoek_from_title(title: str) -> int | None:
    """The visit number named in a title, only next to the word bezoek/visit.

    >>> parse_bezoek_from_title("Gespreksverslag eerste bezoek – Groene Lindestraat")
    1
    >>> parse_bezoek_from_title("Verslag bezoek 1 – Buurtkamer Het Anker, Merelhof")
    1
    >>> parse_bezoek_from_title("Verslag Huiswerkklas 2000") is None
    True
    """
    t = title.lower()
    m = re.search(r"(?:bezoek|visit)\s*(?:nr\.?|no\.?|#)?\s*(\d{1,2})\b", t) or re.search(
        r"\b(\d{1,2})(?:e|ste|de|st|nd|rd|th)\s+(?:bezoek|visit)", t
    )
    if m:
        return int(m.group(1))
    m = re.search(r"\b(" + "|".join(_ORDINALS) + r")\s+(?:bezoek|visit)", t)
    if m:
        return _ORDINALS[m.group(1)]
    return None


def parse_metadata(text: str) -> dict[str, Any]:
    """The metadata block at the top of ``text``, keys normalised; else what the title names.

    The block is a run of ``Key: value`` lines among the first lines (a title and blank lines
    may come before it); it ends at the first other line. Nothing in the text is changed.

    >>> parse_metadata("Initiatief: Het Anker\\nBezoek: 2/2\\nDatum: 28 september 2023\\n\\nTekst")
    {'initiatief': 'Het Anker', 'bezoek': 2, 'datum': '2023-09-28'}
    >>> parse_metadata("Verslag bezoek 1 – Buurtkamer Het Anker, Merelhof\\nHoe verloopt het?")
    {'bezoek': 1, 'initiatief': 'Buurtkamer Het Anker', 'locatie': 'Merelhof'}
    """
    lines = text.splitlines()[:40]
    block: dict[str, Any] = {}
    known = False
    started = False
    title = ""
    skipped = 0
    for raw in lines:
        line = _strip_markup(raw)
        if not line or set(line) <= set("-=*_"):
            continue
        m = _KV.match(line)
        value = m.group(2).strip().strip("*_").strip() if m else ""
        if m and not started and not title and _TITLE_KEY.fullmatch(normalise_key(m.group(1))):
            m = None  # "Verslag bezoek 1: Buurtkamer Het Anker" is a title, not a field
        if m and value and len(value) <= 300:
            key = normalise_key(m.group(1))
            if key in _ALIASES.values():
                known = True
            if key not in block:
                block[key] = _convert(key, value)
            started = True
            continue
        if started:
            break
        if not title:
            title = line
        skipped += 1
        if skipped > 3:
            break
    result = block if known else {}
    for key, value in _from_title(title).items():
        result.setdefault(key, value)
    return result
