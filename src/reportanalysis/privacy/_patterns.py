"""Pattern detectors for personal data with a fixed form: e-mail, phone, IBAN, BSN and friends.

Every detector returns ``(start, end, kind, value)`` tuples, ``value`` being the normalised
form used to give the same datum the same pseudonym everywhere::

    >>> [(k, v) for _, _, k, v in find_patterns("Bel 06-12345678 of mail a.b@x.nl.")]
    [('phone', '0612345678'), ('email', 'a.b@x.nl')]
    >>> elfproef("111222333"), iban_valid("NL91ABNA0417164300")
    (True, True)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

__all__ = ["PATTERN_KINDS", "elfproef", "find_patterns", "iban_valid", "pattern_value"]

Found = tuple[int, int, str, str]

PATTERN_KINDS = ("email", "url", "iban", "bsn", "phone", "address", "postcode", "birthdate")

# ----------------------------------------------------------------------------- e-mail and URL

_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+(?:@|\s?\[at\]\s?|\s?\(at\)\s?)[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?!\w)"
)
_URL = re.compile(
    r"(?<![\w@/])(?:https?://|www\.|(?:[\w-]+\.)?(?:facebook|instagram|linkedin|twitter|x|"
    r"tiktok|youtube|threads|nextdoor)\.com/)[^\s<>\"“”‘’()\[\]]+",
    re.IGNORECASE,
)
#: Hosts where every path names a person or a personal account.
_PERSONAL_HOSTS = re.compile(
    r"(?:^|\.)(?:facebook|fb|instagram|linkedin|twitter|x|tiktok|youtube|threads|nextdoor|"
    r"wa|t|flickr|pinterest|vimeo|github|mastodon\.\w+)\.(?:com|me|nl|social|org)$"
)


def _find_email(text: str) -> Iterable[Found]:
    for m in _EMAIL.finditer(text):
        value = re.sub(r"\s?[\[(]at[\])]\s?", "@", m.group()).lower()
        yield m.start(), m.end(), "email", value


def _is_personal_url(url: str, is_name: Callable[[str], bool]) -> bool:
    bare = re.sub(r"^(?:https?://)?(?:www\.)?", "", url, flags=re.IGNORECASE)
    host, _, path = bare.partition("/")
    path = path.strip("/")
    if not path:
        return False
    if _PERSONAL_HOSTS.search(host.lower()) or "~" in path or "@" in path:
        return True
    words = re.findall(r"[^\W\d_]+", path)
    return any(is_name(w) for w in words)


#: A social-media handle ("@roosgroenkookt", "@buurtbus_oost"): an account, personal like a
#: profile's URL (not the "@" inside an e-mail address).
_HANDLE = re.compile(r"(?<![\w@./+-])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w@])")


def _find_url(text: str, is_name: Callable[[str], bool]) -> Iterable[Found]:
    """Personal URLs, and social-media handles (as URLs: both lead to an account) unless the
    handle is a name (a mention of a person, left to the name finder).

    >>> names = {"Roos", "roos", "Sanne"}.__contains__
    >>> found = _find_url("@RoosKookt, @Sanne, roos@kookt.nl, instagram.com/roos", names)
    >>> sorted(f[3] for f in found)
    ['@rooskookt', 'instagram.com/roos']
    """
    for m in _URL.finditer(text):
        url = m.group().rstrip(".,;:!?'")
        if _is_personal_url(url, is_name):
            yield m.start(), m.start() + len(url), "url", url.lower()
    for m in _HANDLE.finditer(text):
        if not is_name(m.group()[1:]):  # "@Sanne: graag …" mentions a person: a name
            yield m.start(), m.end(), "url", m.group().lower()


# ----------------------------------------------------------------------------- phone numbers

_SEP = r"(?:[ \t]?[-.][ \t]?|[ \t])?"
_PHONE = re.compile(
    r"(?<![\w+/])(?:"
    rf"(?P<intl>(?:\+|00)31{_SEP}(?:\(0\){_SEP})?)\d(?:{_SEP}\d){{8}}"  # +31 6 12345678
    rf"|\(0\){_SEP}\d(?:{_SEP}\d){{8}}"  # (0)20 123 4567
    rf"|\(0\d{{1,3}}\){_SEP}\d(?:{_SEP}\d){{4,7}}"  # (020) 123 4567
    rf"|0\d(?:{_SEP}\d){{8}}"  # 06-12345678, 010 123 4567
    r")(?![\w])(?!\s?[-.]?\s?\d)"
)
_DATE_LIKE = re.compile(r"^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")


def _find_phone(text: str) -> Iterable[Found]:
    for m in _PHONE.finditer(text):
        raw = m.group()
        if _DATE_LIKE.match(raw):
            continue
        digits = re.sub(r"\D", "", raw.replace("(0)", ""))
        if raw.startswith("(0)"):
            digits = "0" + digits
        elif m.group("intl"):
            digits = "0" + digits[4:] if raw.startswith("00") else "0" + digits[2:]
        if len(digits) != 10 or digits[1] == "0":
            continue
        yield m.start(), m.end(), "phone", digits


# ----------------------------------------------------------------------------- IBAN and BSN

#: IBAN lengths of the countries a Dutch municipality meets most.
_IBAN_LENGTH = {"NL": 18, "BE": 16, "DE": 22, "FR": 27, "GB": 22, "LU": 20, "ES": 24, "IT": 27}
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]){11,30}")


def iban_valid(iban: str) -> bool:
    """The ISO 13616 mod-97 check on a compact IBAN.

    >>> iban_valid("NL91ABNA0417164300"), iban_valid("NL91ABNA0417164301")
    (True, False)
    """
    iban = iban.upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", iban):
        return False
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def _find_iban(text: str) -> Iterable[Found]:
    for m in _IBAN.finditer(text):
        raw = m.group()
        compact_pos = [i for i, c in enumerate(raw) if c != " "]
        compact = raw.replace(" ", "").upper()
        lengths = [_IBAN_LENGTH[compact[:2]]] if compact[:2] in _IBAN_LENGTH else []
        lengths += range(min(len(compact), 34), 14, -1)
        for n in lengths:
            if n <= len(compact) and iban_valid(compact[:n]):
                end = m.start() + compact_pos[n - 1] + 1
                if end < len(text) and text[end].isalnum():
                    continue
                yield m.start(), end, "iban", compact[:n]
                break


def elfproef(digits: str) -> bool:
    """The BSN eleven test: 9·d1 + 8·d2 + … + 2·d8 − d9 is a multiple of 11.

    >>> elfproef("123456782"), elfproef("123456789")
    (True, False)
    """
    if not re.fullmatch(r"\d{9}", digits) or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0


_BSN = re.compile(
    r"(?<![\d.,/-])(?:\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3}([ .-])\d{3}\1\d{3}"
    r"|\d{3}([ .])\d{2}\2\d{2}\2\d{2})(?![\d]|[.,-]\d)"
)


def _find_bsn(text: str) -> Iterable[Found]:
    for m in _BSN.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if elfproef(digits):
            yield m.start(), m.end(), "bsn", digits


# ----------------------------------------------------------------------------- addresses

_STREET_SUFFIX = (
    "straat|laan|weg|plein|hof|kade|gracht|singel|dijk|dreef|pad|steeg|park|plantsoen|markt|"
    "erf|baan|veld|wal|haven|ring|allee|boulevard|burg|hoeve|dam|kant|zijde|poort|brink|hout|"
    "tuin|weide|akker|hoek|donk|oord|horst|stede|vaart|wetering|zoom|rade|daal|berg|heuvel|"
    "promenade|passage|galerij|kamp|gaarde|linie|schans|stein|werf|zand|hof|dreef|lei|gang"
)
_CAP = r"[A-ZÀ-Þ][\w'’.-]*"
_STREET = (
    rf"(?:{_CAP}\s+(?:(?:{_CAP}|van|de|der|den|het|ten|ter|'t)\s+){{0,2}})?"
    rf"(?:[A-ZÀ-Þ][\w'’-]*?(?:{_STREET_SUFFIX})|(?:{_STREET_SUFFIX.title()}))"
)
_HOUSE_NO = r"\d{1,4}(?:\s?-\s?\d{1,4}|\s?[a-zA-Z](?![\w])|\s?(?:hs|bis|zw|rd|I{1,3})\b)?"
_POSTCODE = r"[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}(?![\w])"
_PLACE = r"[A-ZÀ-Þ][\w'’-]+(?:\s(?:aan|op|de|den|[A-ZÀ-Þ][\w'’-]+)){0,3}"
_ADDRESS = re.compile(
    rf"(?<![\w])(?:{_STREET})\s+{_HOUSE_NO}(?!\s?(?:uur|euro|procent|%|jaar|km|m\b|meter))"
    rf"(?:,?\s+{_POSTCODE}(?:\s+{_PLACE})?)?"
)
_POSTCODE_RE = re.compile(rf"(?<![\w]){_POSTCODE}")
_ADDRESS_LABEL = re.compile(
    r"(?im)^[ \t]*(?:adres|woonadres|postadres|bezoekadres)[ \t]*:[ \t]*(.+)$"
)
# After an "Adres:" label the street needs no known suffix ("Het Rond 5"): any words up to the
# first house number (short abbreviations such as "Burg." allowed, no sentence end), then the
# postcode and town when they follow, or ", Town" at the end of the sentence.
_LABELLED_ADDRESS = re.compile(
    r"(?:\b[^\W\d_]{1,5}\.[ \t]?|(?![.!?](?:\s|$))[^\n,;()\d]){1,80}?"
    rf"{_HOUSE_NO}"
    rf"(?:,?[ \t]+{_POSTCODE}(?:[ \t]+{_PLACE})?"
    r"|,[ \t]*[A-ZÀ-Þ][\w'’-]+(?=[ \t]*(?:[.;)\n]|$)))?"
)
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|[;(]")


def _labelled_address(value: str) -> str:
    """The address at the start of a labelled value: not the rest of its line."""
    m = _LABELLED_ADDRESS.match(value)
    if m:
        return m.group()
    end = _SENTENCE_END.search(value)
    return value[: end.start() if end else len(value)].rstrip(" ,")


def _find_address(text: str) -> Iterable[Found]:
    for m in _ADDRESS.finditer(text):
        yield m.start(), m.end(), "address", " ".join(m.group().lower().split())
    for m in _ADDRESS_LABEL.finditer(text):
        value = _labelled_address(m.group(1))
        if re.search(r"\d", value):
            start = m.start(1)
            yield start, start + len(value), "address", " ".join(value.lower().split())


def _find_postcode(text: str) -> Iterable[Found]:
    for m in _POSTCODE_RE.finditer(text):
        yield m.start(), m.end(), "postcode", m.group().replace(" ", "")


# ----------------------------------------------------------------------------- dates of birth

_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    r"jan\.?|feb\.?|mrt\.?|apr\.?|jun\.?|jul\.?|aug\.?|sep\.?|sept\.?|okt\.?|nov\.?|dec\.?"
)
_BIRTHDATE = re.compile(
    r"(?i)(?<!\w)(?:geboren|geb\.|geb|geboortedatum|geboortedag)\s*(?:op|:|in|d\.d\.)?\s*"
    rf"(?P<date>\d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{2,4}}|\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}}"
    r"|(?:19|20)\d{2}(?:[-/.]\d{1,2}){0,2}(?!\d))"  # 1985-03-12 (ISO), 1985-03, 1985
)


def _find_birthdate(text: str) -> Iterable[Found]:
    for m in _BIRTHDATE.finditer(text):
        yield m.start("date"), m.end("date"), "birthdate", " ".join(m.group("date").lower().split())


def find_patterns(
    text: str,
    kinds: Iterable[str] = PATTERN_KINDS,
    is_name: Callable[[str], bool] = lambda word: False,
) -> list[Found]:
    """Every pattern match of the requested kinds, overlapping ones included, by start.

    ``is_name`` tells whether a word of a URL path is a person's name (then the URL is
    personal); URLs on social-media hosts are always personal.
    """
    wanted = set(kinds)
    found: list[Found] = []
    finders: dict[str, Callable[[str], Iterable[Found]]] = {
        "email": _find_email,
        "url": lambda t: _find_url(t, is_name),
        "iban": _find_iban,
        "bsn": _find_bsn,
        "phone": _find_phone,
        "address": _find_address,
        "postcode": _find_postcode,
        "birthdate": _find_birthdate,
    }
    for kind, finder in finders.items():
        if kind in wanted:
            found.extend(finder(text))
    return sorted(found)


def pattern_value(kind: str, text: str) -> str:
    """The normalised value the detectors give ``text`` when they find it whole as ``kind``
    (how a pseudonym key's original is matched to what a new run finds).

    >>> pattern_value("phone", "+31 6 1234 5678"), pattern_value("email", "A.B [at] x.nl")
    ('0612345678', 'a.b@x.nl')
    >>> pattern_value("address", "Kerkstraat  12a"), pattern_value("iban", "nl91 abna 0417 1643 00")
    ('kerkstraat 12a', 'NL91ABNA0417164300')
    """
    text = text.strip()
    for start, end, found, value in find_patterns(text, [kind], lambda word: True):
        if found == kind and start == 0 and end == len(text):
            return value
    # Found only in context ("geboren op …", "Adres: …") or a form the detectors no longer take:
    # the normalisation each detector applies.
    if kind == "email":
        return re.sub(r"\s?[\[(]at[\])]\s?", "@", text).lower()
    if kind == "iban":
        return text.replace(" ", "").upper()
    if kind in ("bsn", "phone"):
        return re.sub(r"\D", "", text)
    if kind == "postcode":
        return text.replace(" ", "")
    if kind == "url":
        return text.lower()
    return " ".join(text.lower().split())
