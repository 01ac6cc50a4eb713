"""The metadata block at the top of a report (``Initiatief: …``, ``Datum: …``) and its title.

Keys may be Dutch or English, in any case, with Markdown decoration; they are normalised to
Dutch lower-case keys. Unknown keys are kept, lower-cased, when the block also holds a known
key (so a report that opens with ``Anneke: ‘…’`` does not get an ``anneke`` field).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

__all__ = [
    "convert_value",
    "metadata_field",
    "metadata_lines",
    "normalise_key",
    "parse_bezoek",
    "parse_date",
    "parse_metadata",
    "scan_header",
    "source_parts",
    "visit_from_path",
]

_ALIASES: dict[str, str] = {}
for _canon, _names in {
    "initiatief": ["initiatief", "initiative", "naam initiatief", "project", "bewonersinitiatief"],
    "bezoek": ["bezoek", "visit", "bezoeknummer", "visit number", "ronde", "round"],
    "datum": [
        "datum",
        "date",
        "datum bezoek",
        "visit date",
        "date of visit",
        "bezoekdatum",
        "verzonden",  # the header of an e-mail the report was sent in
        "sent",
    ],
    "afzender": ["afzender", "van", "from"],
    "ontvanger": ["ontvanger", "aan", "to", "cc"],
    "onderwerp": ["onderwerp", "subject"],
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


_NAMED_VISIT = re.compile(
    r"(?:bezoek|visit|ronde|round|gesprek)[ _.-]?(\d{1,2})(?!\d)"
    r"|(eerste|tweede|derde|vierde|first|second|third|fourth)[ _.-]?(?:bezoek|visit|gesprek)"
    r"|(?<![\d])(\d)(?:e|ste|de|st|nd|rd|th)[ _.-]?(?:bezoek|visit|gesprek)",
    re.I,
)
_DATE_IN_NAME = re.compile(
    r"\d{1,4}[-_.]\d{1,2}[-_.]\d{2,4}"
    r"|\d{1,2}[ _.-]?(?:jan|feb|mrt|maa|apr|mei|jun|jul|aug|sep|okt|oct|nov|dec)[a-z]*"
    r"(?:[ _.-]?\d{2,4})?",
    re.I,
)
_BARE_NUMBER = re.compile(r"(?:^|[ _.-])([1-9])(?=$|[ _.-])")


def source_parts(source: str) -> list[str]:
    """The folders and file name of a report's source, separators of any system, a zip
    member's path inside its archive included.

    >>> source_parts("z.zip!ronde-1/x.docx"), source_parts("C:\\\\verslagen\\\\a.txt")[-1]
    (['z.zip', 'ronde-1', 'x.docx'], 'a.txt')
    """
    return [p for p in re.split(r"[\\/!]", source) if p]


def visit_from_path(path: str) -> int | None:
    """The visit number a report's file name or folder gives: ``bezoek2/…``, ``…_bezoek1``,
    ``tweede-bezoek-…``, or a lone digit in the file name (``anker_2``, ``klimboom_1_mail``);
    dates in the name are passed over, and a folder counts only when it names the visit.

    >>> [visit_from_path(p) for p in ("verslagen/anker_2.txt", "bezoek2/anker.txt",
    ...     "z.zip!ronde-1/x.docx", "2024-03-12_anker.txt", "Tweede bezoek Klimboom.pdf",
    ...     "rapport_2023.txt", "Taalcafé 3 juni.txt", "2e bezoek/verslag.docx")]
    [2, 2, 1, None, 2, None, None, 2]
    """
    parts = source_parts(path)
    if not parts:
        return None
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", parts[-1])
    for i, part in enumerate([stem, *reversed(parts[:-1])]):
        named = _NAMED_VISIT.search(_DATE_IN_NAME.sub(" ", part))
        if named:
            number, ordinal, short = named.groups()
            return int(number or short) if number or short else _ORDINALS[ordinal.lower()]
        if i == 0:
            bare = _BARE_NUMBER.findall(_DATE_IN_NAME.sub(" ", stem))
            if len(bare) == 1:
                return int(bare[0])
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
    r"|\binterview\w*\b(?:\s+(?:bij|van|aan|at|with)\b)?"
    r"|\b(?:(?:het|de|the)\s+)?(?:eerste|tweede|derde|vierde|laatste|first|second|third|last"
    r"|\d{1,2}(?:e|ste|de|st|nd|rd|th))\s+(?:bezoek|visit|gesprek|ronde|round)\b"
    r"(?:\s+(?:aan|bij|met|to|at|with)\b)?"
    r"|\b(?:bezoek|visit|gesprek|ronde|round)\b"
    r"(?:\s*(?:nr\.?|no\.?|#)?\s*\d{1,2}(?:\s*(?:/|van|of)\s*\d{1,2})?)?"
    r"(?:\s+(?:aan|bij|to|at)\b)?",
    re.I,
)


_REPORT_ABOUT = re.compile(
    r"\b(?:\w*verslag\w*|report|notities|aantekeningen|notes)\s+(?:van|bij|over|aan|on|of)\s+",
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
    if _SENTENCE_END.search(title):
        return found  # "Alleen-lezen verslag over de buurttuin." is a sentence, not a title
    n = parse_bezoek_from_title(title)
    if n is not None:
        found["bezoek"] = n
    iso = parse_date(title)
    if iso:
        found["datum"] = iso
    # "Kort verslag van het bezoek aan X": what comes before "verslag van" qualifies the report
    about = _REPORT_ABOUT.search(title)
    rest = title[about.end() :] if about else title
    for pattern, _order in _DATE_PATTERNS:  # first: "bezoek 12-3-2024" is a date, not visit 12
        rest = pattern.sub(" | ", rest)
    rest = _TITLE_NOISE.sub(" | ", rest)
    segments = [
        seg.strip(" \t.,;:|()[]–—-") for seg in re.split(r"\s+[–—-]\s+|\s*[|:;]\s*|\s*,\s*", rest)
    ]
    # "het Repair Café" (after "Tweede bezoek aan"): the article goes, the name stays; a number
    # alone ("Bezoekverslag 2 - Buurtbus Oost") is no initiative.
    segments = [re.sub(r"^(?:het|de|een|the|a)\s+(?=[A-Z\d])", "", seg) for seg in segments]
    segments = [
        seg
        for seg in segments
        if seg and (seg[0].isupper() or seg[0].isdigit()) and not re.fullmatch(r"[\d\W]+", seg)
    ]
    if segments:
        found["initiatief"] = segments[0]
        comma_place = re.search(re.escape(segments[0]) + r"\s*,\s*([^,|–—]+)", title)
        if comma_place and len(segments) > 1 and comma_place.group(1).strip() == segments[1]:
            found["locatie"] = segments[1]
    return found


#: The words a title numbers a visit with ("bezoek 2", "tweede gesprek", "ronde 2").
_VISIT_WORD = r"(?:bezoek|visit|gesprek|ronde|round)\b"
_NUMBER_MARK = r"\s*(?:nr\.?|no\.?|#)?\s*"


def parse_bezoek_from_title(title: str) -> int | None:
    """The visit number named in a title, only next to a word for a visit or conversation.

    >>> parse_bezoek_from_title("Gespreksverslag eerste bezoek – Groene Lindestraat")
    1
    >>> parse_bezoek_from_title("Verslag bezoek 1 – Buurtkamer Het Anker, Merelhof")
    1
    >>> parse_bezoek_from_title("Verslag Huiswerkklas 2000") is None
    True
    >>> parse_bezoek_from_title("Bezoekverslag 2 - Buurtbus Oost")
    2
    >>> [parse_bezoek_from_title(t) for t in ("Tweede gesprek", "Ronde 2: X", "Bezoek 12-3")]
    [2, 2, None]
    """
    t = title.lower()
    m = re.search(
        rf"\b(?:bezoek\w*|visit|gesprek|ronde|round){_NUMBER_MARK}(\d{{1,2}})\b(?!\s*[-/.]\d)", t
    ) or re.search(rf"\b(\d{{1,2}})(?:e|ste|de|st|nd|rd|th)\s+{_VISIT_WORD}", t)
    if m:
        return int(m.group(1))
    m = re.search(r"\b(" + "|".join(_ORDINALS) + rf")\s+{_VISIT_WORD}", t)
    if m:
        return _ORDINALS[m.group(1)]
    return None


#: Words that make a "key" a clause ("Wethouder Bos zei: …", "De initiatiefnemer vindt: …").
_CLAUSE_WORDS = frozenset(
    re.findall(
        r"\w+",
        """zei zegt zeggen zeiden vertelt vertelde vertelden vroeg vraagt vragen antwoordt
    antwoordde
    noemt noemde riep roept schreef schrijft meldt meldde stelt stelde benadrukt benadrukte
    legt legde concludeert concludeerde vindt vond vinden vonden denkt dacht hoopt hoopte weet
    wist is was zijn waren heeft had hebben hadden wordt werd kan kon moet moest wil wilde gaat
    ging komt kwam zagen zag ik jij hij zij wij we ze omdat maar
    said says asked asks told explained wrote writes thinks thought is was are were has had
    i he she we they""",
    )
)
_SENTENCE_END = re.compile(r"[.!?…][\"'’”)»]*$")
_SENTENCE_INSIDE = re.compile(r"[^\W\d_]{4,}[.!?…][\"'’”)»]*\s+[\"'‘“„«(]*[A-Z][^\W\d_]")
_QUOTE_OPEN = "‘“„«\"'"


def _is_key(raw_key: str) -> bool:
    """A short label: at most four words that do not make a clause."""
    words = re.findall(r"[^\W\d_]+", raw_key.lower())
    return (
        0 < len(words) <= 4
        and not _CLAUSE_WORDS.intersection(words)
        and not re.search(r"[.!?,;…]\s*$", raw_key.strip(" *_"))
    )


def _is_sentence(value: str) -> bool:
    """Whether a value reads as running text: a quotation, several sentences, or one long
    sentence (eight words or more, final punctuation). Initials and titles ("dhr. K. Dekker")
    do not end a sentence."""
    if value[:1] in _QUOTE_OPEN:
        return True
    long = len(value.split()) >= 8
    return long and bool(_SENTENCE_INSIDE.search(value) or _SENTENCE_END.search(value))


def metadata_field(line: str, *, title: bool = False) -> tuple[str, str] | None:
    """``(key, value)`` when ``line`` is a metadata field, else ``None``.

    Known keys (Dutch or English: ``Datum``, ``Gesprekspartners`` …) always count, whatever
    their value. Any other key must be a short label: a few words, no verb of speech or clause
    ("Wethouder Bos zei: …"), no final punctuation; and its value must not read as running text
    (a quotation, or a sentence of eight words or more).
    With ``title`` the line may be the report's title ("Verslag bezoek 1: Het Anker").

    >>> metadata_field("**Datum:** 3 mei 2023"), metadata_field("Wijkagent: mevrouw Jansen")
    (('datum', '3 mei 2023'), ('wijkagent', 'mevrouw Jansen'))
    >>> metadata_field("Wethouder Bos zei: we verhogen de subsidie") is None
    True
    >>> metadata_field("Conclusie: de gemeente moet beter luisteren naar de bewoners.") is None
    True
    """
    line = _strip_markup(line)
    m = _KV.match(line)
    if not m:
        return None
    value = m.group(2).strip().strip("*_").strip()
    key = normalise_key(m.group(1))
    if not value or len(value) > 300:
        return None
    if title and _TITLE_KEY.fullmatch(key):
        return None  # "Verslag bezoek 1: Buurtkamer Het Anker" is a title, not a field
    if key not in _ALIASES.values() and (not _is_key(m.group(1)) or _is_sentence(value)):
        return None
    return key, value


def scan_header(lines: Sequence[str]) -> tuple[str, list[tuple[int, str, str]], bool]:
    """The title, the metadata fields ``(line number, key, value)`` and whether a known key is
    among them, from the first lines of a report.

    The block is a run of ``Key: value`` lines among the first lines: a title (up to three
    lines) and blank lines may come before it. A blank line or any other line ends it; only a
    known key's line may continue it after a single blank line (Word documents often hold an
    empty paragraph between fields).
    """
    fields: list[tuple[int, str, str]] = []
    known = False
    title = ""
    skipped = 0
    blank_after = 0  # blank lines since the last field
    for n, raw in enumerate(lines[:40]):
        line = _strip_markup(raw)
        if not line or set(line) <= set("-=*_"):
            if fields:
                blank_after += 1
                if blank_after > 1:
                    break
            continue
        field = metadata_field(line, title=not fields and not title)
        if field and blank_after and field[0] not in _ALIASES.values():
            break
        if field:
            fields.append((n, *field))
            known = known or field[0] in _ALIASES.values()
            blank_after = 0
            continue
        if fields:
            break
        if not title:
            title = line
        skipped += 1
        if skipped > 3:
            break
    return title, fields, known


def metadata_lines(lines: Sequence[str]) -> list[int]:
    """The numbers of the lines that :func:`parse_metadata` reads as its metadata block.

    >>> metadata_lines(["Verslag", "Datum: 3 mei", "", "Wethouder Bos zei: ja, dat doen we."])
    [1]
    >>> metadata_lines(["Anneke: ‘Het gaat goed.’", "Mehmet: ‘Zeker.’"])
    []
    """
    _title, fields, known = scan_header(lines)
    return [n for n, _k, _v in fields] if known else []


def _invalid_date(value: str) -> bool:
    """A value written like a date that does not exist (31-02-2024, 2024-13-01)."""
    return parse_date(value) is None and bool(
        re.search(r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[-/.]\d{1,2}[-/.]\d{4}\b", value)
        or any(p.search(value) for p, _o in _DATE_PATTERNS[2:])
    )


def convert_value(key: str, value: str, metadata: dict[str, Any]) -> None:
    """Put ``key: value`` into ``metadata`` in canonical form, unless the key is there already.

    ``bezoek`` becomes a number and ``datum`` an ISO date where they can; other values are
    kept as written. A date that does not exist ("31-02-2024") is not a date: it goes to
    ``datum_ongeldig`` (as written) so that nothing downstream takes it for one.

    >>> meta = {}
    >>> convert_value("datum", "31-02-2024", meta); meta
    {'datum_ongeldig': '31-02-2024'}
    """
    if key in metadata:
        return
    if key == "datum" and _invalid_date(value):
        metadata.setdefault("datum_ongeldig", value)
        return
    metadata[key] = _convert(key, value)


#: What mail programs put before a subject: "RE: ", "Fwd: ", "Antw: ", "Doorst: ".
_REPLY_PREFIX = re.compile(r"^(?:\s*(?:re|fw|fwd|aw|antw|doorst|tr)\s*:\s*)+", re.I)


def parse_metadata(text: str) -> dict[str, Any]:
    """The metadata block at the top of ``text``, keys normalised; else what the title names.

    The block is a run of ``Key: value`` lines among the first lines (a title and blank lines
    may come before it); it ends at a blank line or the first other line (see
    :func:`scan_header`). Unknown keys count only in a block that also holds a known key.
    Nothing in the text is changed.

    >>> parse_metadata("Initiatief: Het Anker\\nBezoek: 2/2\\nDatum: 28 september 2023\\n\\nTekst")
    {'initiatief': 'Het Anker', 'bezoek': 2, 'datum': '2023-09-28'}
    >>> parse_metadata("Verslag bezoek 1 – Buurtkamer Het Anker, Merelhof\\nHoe verloopt het?")
    {'bezoek': 1, 'initiatief': 'Buurtkamer Het Anker', 'locatie': 'Merelhof'}
    >>> parse_metadata("Van: Joost\\nOnderwerp: verslag 2e bezoek De Klimboom\\n\\nHoi,")["bezoek"]
    2
    >>> parse_metadata("Bezoek 1: Taalcafé De Brug\\n\\nDe gemeente belde.")
    {'bezoek': 1, 'initiatief': 'Taalcafé De Brug'}
    """
    lines = text.splitlines()
    title, fields, known = scan_header(lines)
    result: dict[str, Any] = {}
    # "Bezoek 1: Taalcafé De Brug", "Tweede bezoek: Repair Café": a title, not a field
    titles = {
        n
        for n, _key, value in fields
        if parse_bezoek_from_title(_strip_markup(lines[n].split(":", 1)[0])) is not None
        and not re.search(r"\d", value)
    }
    for n in sorted(titles):
        for key, found in _from_title(_strip_markup(lines[n])).items():
            result.setdefault(key, found)
    fields = [f for f in fields if f[0] not in titles]
    known = known or bool(result)
    if known:
        for _n, key, value in fields:
            convert_value(key, value, result)
    for key, value in _from_title(title).items():
        result.setdefault(key, value)
    if isinstance(result.get("onderwerp"), str):  # an e-mail's subject is its report's title
        subject = _REPLY_PREFIX.sub("", result["onderwerp"])
        for key, value in _from_title(subject).items():
            result.setdefault(key, value)
    return result
