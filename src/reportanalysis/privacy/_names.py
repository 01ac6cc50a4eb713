"""Person names in Dutch text: name lists, titles, tussenvoegsels and a Dutch word lexicon.

A *chain* is a run of capitalised words, initials and tussenvoegsels on one line ("Anneke de
Roos", "A. de Roos", "Jan Willem Bakker"). A chain counts as a person when the evidence is
strong enough: a title or role before it (``mevr.``, ``wethouder``), initials, a first name
from the list, a known surname after an unknown capitalised word, a tussenvoegsel between two
capitalised words that are not ordinary Dutch words, a metadata line about people
(``Onderzoeksduo: …``) or a speech verb after it (``Thijs vertelt``). Capitalised words that are
ordinary Dutch words (Wijk, Gemeente, Zon, Bakker) need more evidence than unknown words.

    >>> finder = NameFinder()
    >>> [m.text for m in finder.find("Gisteren sprak mevr. De Roos met Mehmet Yilmaz in de Wijk.")]
    ['De Roos', 'Mehmet Yilmaz']
"""

from __future__ import annotations

import bisect
import gzip
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["Mention", "NameFinder", "NameLists", "fold", "load_name_lists"]


@dataclass(frozen=True)
class Mention:
    """One mention of a person: span, text and the parts of the name as written."""

    start: int
    end: int
    text: str
    given: str = ""  # given names as written ("Anneke", "Jan Willem")
    initials: str = ""  # "A", "JP"
    surname: str = ""  # surname with tussenvoegsel, lower case ("de roos")
    rule: str = ""  # the rule that found it (for debugging and tests)

    @property
    def first(self) -> str:
        return self.given.split()[0] if self.given else ""


# ----------------------------------------------------------------------------- word lists


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TITLES = _words(
    """dhr dhr. mevr mevr. mw mw. mvr mvr. mevrouw meneer mijnheer heer mr mr. dr dr. drs drs.
    ir ir. ing ing. prof prof. ds ds. juffrouw"""
)
#: Offices and family words before a name; a word after them may also be a portfolio
#: ("wethouder Duurzaamheid"), so an ordinary word after them is not taken as a name.
_OFFICES = _words(
    """wethouder burgemeester raadslid gedeputeerde juf meester zuster broeder pastoor dominee
    oom tante opa oma"""
)
_ROLES = _words(
    """beleidsadviseur beleidsmedewerker gebiedsmanager gebiedsregisseur gebiedscoördinator
    wijkagent wijkconsulent wijkcoach wijkmanager wijkregisseur wijkverpleegkundige
    jongerenwerker opbouwwerker buurtwerker buurtcoach ambtenaar collega collega's buurman
    buurvrouw buren voorzitter secretaris penningmeester directeur coördinator coordinator
    projectleider projectmanager initiatiefnemer initiatiefneemster mede-initiatiefnemer huisarts
    manager teamleider afdelingshoofd vrijwilliger vrijwilligster bewoner bewoonster medewerker
    medewerkster adviseur accountmanager kwartiermaker contactpersoon jurist ondernemer
    eigenaar eigenaresse consulent verpleegkundige leerkracht docent trainer vader moeder zoon
    dochter man vrouw partner echtgenoot echtgenote zus broer vriend vriendin aanjager
    regisseur sociaal werker ouderenadviseur schoolleider conciërge kapper bakker
    gespreksleider"""
)
_SPEECH_VERBS = _words(
    """zegt zei zeggen vertelt vertelde vindt vond legt lacht lachte knikt knikte glimlacht
    zucht zuchtte benadrukt benadrukte beaamt beaamde antwoordt antwoordde reageert reageerde
    merkt merkte noemt noemde vraagt vroeg erkent erkende geeft gaf stelt stelde herinnert
    beschrijft beschreef waarschuwt waarschuwde"""
)
#: Tussenvoegsels, longest first so "van der" wins over "van".
_TUSSENVOEGSELS: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (
            tuple(t.split())
            for t in """van der|van den|van de|van het|van 't|in 't|in de|in den|op de|op den|
            op 't|op ten|uit de|uit den|uit het|van|de|den|der|ter|ten|te|'t|la|le|du|da|dos|
            von|el|d'|van 'T""".replace("\n", "").split("|")
        ),
        key=len,
        reverse=True,
    )
)
#: Capitalised words that never start or form a person's name.
_NEVER = _words(
    """januari februari maart april mei juni juli augustus september oktober november december
    maandag dinsdag woensdag donderdag vrijdag zaterdag zondag gemeente wijk buurt stichting
    vereniging afdeling team college raad provincie rijk ministerie het een ik jij hij zij wij
    jullie u ze we dit dat deze die daar hier er wat wie waar wanneer hoe waarom toen nu ook
    maar en of want dus toch nog al wel niet geen ja nee volgens namens samen beiden allebei
    inmiddels sinds tijdens na voor na bij met zonder door over onder tussen naast binnen
    buiten tot om op in aan uit dan als omdat hoewel zodat terwijl daarna daarom verder vooral
    eerst later ook zelfs bovendien tegelijk tegelijkertijd eigenlijk misschien waarschijnlijk
    gelukkig helaas jammer kortom tot slot afspraken afspraak reflectie inleiding datum bezoek
    verslag initiatief onderzoeksduo gesprekspartners contactpersoon noord oost zuid west
    centrum hart oude nieuwe groene grote kleine lange korte hoge lage sint"""
)
_ORG_SUFFIX = re.compile(  # a compound of at least four letters + one of these: an org/place
    r"(?<=\w{4})(?:straat|laan|weg|plein|kade|gracht|singel|dreef|steeg|plantsoen|markt|kwartier|"
    r"bank|klas|kamer|school|centrum|stichting|vereniging|wijk|buurt|park|tuin|fonds|"
    r"team|raad|beleid|zorg|welzijn|loket|café|cafe|kerk|moskee|bibliotheek|corporatie|"
    r"partners|groep|net|plan|project|dienst|punt|hal|lab|fabriek)$",
    re.IGNORECASE,
)
_SURNAME_SUFFIX = re.compile(
    r"(?:sen|ssen|sma|stra|ema|inga|ing|ink|man|mans|veld|kamp|horst|boom|dijk|beek|broek|"
    r"hof|ers|ens|enga|ga|ma|aar|ier|el|us|ijn|ink|oort|ert|erts|ouw|ouwer|oven|ijk|ik|ic|"
    r"ović|oglu|oğlu|ci|çi|ran|din|dine|i|ui|aoui)$"
)
_FUNCTION_WORDS = _words(
    """de het een en of maar want dus toch nog al wel niet geen ja nee ook zo dan als dat die
    deze dit wat wie waar hoe toen nu hier daar er ik jij je hij zij ze wij we jullie u hun
    hen haar hem zijn mijn jouw ons onze uw zich mij me elkaar iedereen niemand iets niets
    alles veel weinig meer minst meest heel erg zeer echt even steeds soms vaak altijd nooit
    misschien eigenlijk gewoon vooral alleen samen beiden allebei inmiddels sindsdien daarna
    daarnaast daarentegen daarmee daarvan daarop daaruit daartoe hierdoor hierbij hiervoor
    hiermee hierover ondertussen intussen vervolgens tenslotte ten slotte overigens immers
    namelijk bijvoorbeeld vooralsnog voorlopig opnieuw nogmaals binnenkort straks vandaag
    gisteren morgen destijds toentertijd sowieso zeker natuurlijk uiteraard blijkbaar kennelijk
    ongeveer bijna nauwelijks ruim tevens zowel noch evenals alsnog wellicht mogelijk
    achteraf vooraf tot nu toe zoals ofwel oftewel anders dus tegenwoordig vroeger nadien
    daarom daardoor daarbij daarvoor daarover daarin verder bovendien tegelijk eerst later
    uiteindelijk gelukkig helaas kortom tenslotte volgens namens sinds tijdens na voor bij
    met zonder door over onder tussen naast binnen buiten tot om op in aan uit omdat hoewel
    zodat terwijl toen wanneer waarom welke welk zulke zulk enkele sommige andere ander
    iemand elk elke ieder iedere geen beide waar"""
)

_HYPHEN_TV = re.compile(r"-(?:van|de|der|den|ter|ten|te|in|op|la|le|el)$")
Tok = tuple[int, int, str, str]
_TV_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _seq in _TUSSENVOEGSELS:
    _TV_BY_FIRST.setdefault(_seq[0], []).append(_seq)


@lru_cache(maxsize=64)
def _tokens(text: str) -> tuple[Tok, ...]:
    """(start, end, text, lower-case text with ’ as ') of each token.

    Remembered for the last few texts: the second detection pass reads each report twice
    (:meth:`NameFinder.find`, then :meth:`NameFinder.find_known`).
    """
    return tuple(
        (m.start(), m.end(), m.group(), m.group().lower().replace("’", "'"))
        for m in _TOKEN.finditer(text)
    )


_TOKEN = re.compile(
    r"['’][tT](?![\w])|(?<![\w'’])[dD]['’](?=[A-ZÀ-Þ])|[^\W\d_]+(?:[-][^\W\d_]+)*|\d+|\S"
)
_SENTENCE_END = frozenset(".!?:;\n‘’“”\"'•-–—*#>(")


_FOLD_EXTRA = str.maketrans(
    {"ł": "l", "ı": "i", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe"}
)


def fold(word: str) -> str:
    """A word as the name lists are compared: lower case, without diacritics, ĳ as ij.

    >>> [fold(w) for w in ("Chloë", "Özlem", "Ĳsbrand", "IJsbrand", "Łukasz", "Işıl", "d’Ancona")]
    ['chloe', 'ozlem', 'ijsbrand', 'ijsbrand', 'lukasz', 'isil', "d'ancona"]
    """
    if word.isascii():
        return word.lower()
    low = word.lower().replace("’", "'").translate(_FOLD_EXTRA)
    return "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))


@dataclass(frozen=True)
class NameLists:
    """The word lists the name finder uses.

    The name lists are kept folded (:func:`fold`) and looked up with :meth:`first`,
    :meth:`surname` and :meth:`is_ambiguous`, so "Chloë" and "Chloe", "Özlem" and "Ozlem",
    "Ĳsbrand" and "IJsbrand" are one entry. The lexicon is lower case, not folded (Dutch words
    keep their accents: "één", "café").

        >>> lists = NameLists(frozenset({"Zoë", "Roos"}), frozenset(), frozenset({"roos"}),
        ...                   frozenset())
        >>> lists.first("Zoe"), lists.first("ZOË"), lists.is_ambiguous("Roos")
        (True, True, True)
    """

    first_names: frozenset[str]
    surnames: frozenset[str]
    ambiguous: frozenset[str]
    lexicon: frozenset[str]

    def __post_init__(self) -> None:
        for name in ("first_names", "surnames", "ambiguous"):
            object.__setattr__(self, name, frozenset(map(fold, getattr(self, name))))

    def first(self, word: str) -> bool:
        """Whether ``word`` is on the first-name list (ambiguous names included)."""
        return fold(word) in self.first_names

    def surname(self, word: str) -> bool:
        """Whether ``word`` is on the surname list."""
        return fold(word) in self.surnames

    def is_ambiguous(self, word: str) -> bool:
        """Whether ``word`` is a first name that is also an ordinary word ("Roos", "Merel")."""
        return fold(word) in self.ambiguous


def _read_list(name: str) -> list[str]:
    text = resources.files("reportanalysis").joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def _read_lexicon() -> set[str]:
    """Dutch word forms from spacy-lookups-data (nouns, verbs, adjectives and their forms)."""
    from ..dutch import lookups_file

    words: set[str] = set(_FUNCTION_WORDS)
    index, lookup = lookups_file("nl_lemma_index.json.gz"), lookups_file("nl_lemma_lookup.json.gz")
    if index is not None:
        with gzip.open(index) as fh:
            for forms in json.load(fh).values():
                words.update(forms)
    if lookup is not None:
        with gzip.open(lookup) as fh:
            words.update(json.load(fh))
    return {w.lower() for w in words}


def _lexicon() -> frozenset[str]:
    """:func:`_read_lexicon`, read once per machine (0.7 s) and then from the disk cache."""
    from ..diskcache import cached
    from ..dutch import lookups_file

    found = [lookups_file(f"nl_lemma_{t}.json.gz") for t in ("index", "lookup")]
    sources = [p for p in found if p is not None]
    if len(sources) < len(found):  # pragma: no cover - a dependency
        return frozenset(_read_lexicon())
    words = hashlib.sha256(" ".join(sorted(_FUNCTION_WORDS)).encode()).hexdigest()
    return cached("nl-lexicon", sources, lambda: frozenset(_read_lexicon()), version=words)


@lru_cache(maxsize=1)
def load_name_lists() -> NameLists:
    """The packaged name lists and the Dutch lexicon (read once per process: plain data)."""
    return NameLists(
        first_names=frozenset(_read_list("privacy_first_names.txt")),
        surnames=frozenset(_read_list("privacy_surnames.txt")),
        ambiguous=frozenset(_read_list("privacy_ambiguous_names.txt")),
        lexicon=_lexicon(),
    )


# ----------------------------------------------------------------------------- the finder


@dataclass
class _Chain:
    start_tok: int
    end_tok: int  # exclusive
    initials: list[str]
    words: list[int]  # token indices of capitalised name words before a tussenvoegsel
    tv: list[int]  # token indices of the tussenvoegsel
    surname_word: int | None  # token index of the word after the tussenvoegsel
    tail: int | None = None  # last token of a double surname ("de Wit-van Leeuwen")


class NameFinder:
    """Finds person mentions; ``known`` surfaces (from a fitted project) are matched as well.

    ``given_names`` and ``surnames`` are names already known to be persons in this project
    (lower-case first given names and lower-case surnames with tussenvoegsel). ``exact_names``
    are names an analyst listed: :meth:`find_known` finds each wherever it is written as given
    (case-sensitive, on word boundaries; a tussenvoegsel in either case, "Van Dijk" / "van
    Dijk"), whether or not the rules would take it for a name.
    """

    def __init__(
        self,
        lists: NameLists | None = None,
        given_names: Iterable[str] = (),
        surnames: Iterable[str] = (),
        exact_names: Iterable[str] = (),
    ) -> None:
        self.lists = lists or load_name_lists()
        self.given_names = {g.lower() for g in given_names}
        self.surnames = {_surname_key(s) for s in surnames}
        self._surnames_by_first = _index_surnames(self.surnames)
        names = (" ".join(n.split()) for n in exact_names)
        self.exact_names = tuple(dict.fromkeys(n for n in names if n))
        self._exact = [(_exact_pattern(n), self.parse_name(n)) for n in self.exact_names]
        #: Equal for finders that find the same mentions (a key for caching their results).
        self.key = (
            self.lists,
            frozenset(self.given_names),
            frozenset(self.surnames),
            self.exact_names,
        )

    def parse_name(self, name: str) -> Mention:
        """The parts of a name written on its own (an analyst's list, a metadata value).

        Initials and given names come before the first tussenvoegsel or the last word; one
        word alone is a given name when the first-name list has it, else a surname.

            >>> f = NameFinder()
            >>> names = ["Van Dijk", "J.P. de Vries", "Jorien Kloosterman", "Bos"]
            >>> [(m.given, m.initials, m.surname) for m in map(f.parse_name, names)]
            [('', '', 'van dijk'), ('', 'JP', 'de vries'), ('Jorien', '', 'kloosterman'), \
('', '', 'bos')]
        """
        words = name.split()
        initials: list[str] = []
        while words and _INITIALS.fullmatch(words[0]):
            initials += re.findall(r"(Th|[^\W\d_])\.", words.pop(0))
        low = [w.lower().replace("’", "'") for w in words]
        cut = next(
            (
                j
                for j in range(len(words) - 1)
                if any(tuple(low[j : j + len(seq)]) == seq for seq in _TV_BY_FIRST.get(low[j], ()))
            ),
            None,
        )
        if cut is None:
            cut = len(words) - 1 if (len(words) > 1 or initials) else len(words)
        if len(words) == 1 and not initials and not self.lists.first(low[0]):
            cut = 0
        return Mention(
            0,
            len(name),
            name,
            given=" ".join(words[:cut]),
            initials="".join(i[0] for i in initials),
            surname=" ".join(low[cut:]),
            rule="exact",
        )

    # -- word tests ---------------------------------------------------------------------

    def is_word(self, word: str) -> bool:
        """An ordinary Dutch word (so weak evidence of a name when capitalised)."""
        w = word.lower().replace("’", "'")
        lex = self.lists.lexicon
        if w in lex or w in _NEVER:
            return True
        for suffix in ("e", "en", "s", "es", "er", "ere", "ste"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 3 and w[: -len(suffix)] in lex:
                return True
        return False

    def is_first(self, word: str) -> bool:
        """A first name from the list that is no ordinary word; diacritics do not count, and
        a hyphenated given name counts when all its parts are listed first names. A short word
        in capitals is an acronym ("PIM", "ARI", "LEA"), not a name.

            >>> f = NameFinder()
            >>> [f.is_first(w) for w in ("Chloë", "Chloe", "Özlem", "Anne-Marie", "Roos", "Bos")]
            [True, True, True, True, False, False]
            >>> f.is_first("Pim"), f.is_first("PIM")
            (True, False)
        """
        if len(word) <= 4 and word.isupper():
            return False
        w = fold(word)
        if w in self.lists.first_names:
            return w not in self.lists.ambiguous
        parts = w.split("-")
        return (
            len(parts) > 1
            and all(p in self.lists.first_names for p in parts)
            and not all(p in self.lists.ambiguous for p in parts)
        )

    def is_name(self, word: str) -> bool:
        """Any name from the lists or from the project (used for URL paths)."""
        w = word.lower()
        if len(w) < 3 or self.lists.is_ambiguous(w):
            return False
        return (
            self.lists.first(w)
            or self.lists.surname(w)
            or w in self.given_names
            or (w,) in self.surnames
        )

    # -- tokens -------------------------------------------------------------------------

    def find(self, text: str) -> list[Mention]:
        """Person mentions in ``text``, non-overlapping, by start."""
        toks = _tokens(text)
        found: list[Mention] = []
        found.extend(self._metadata(text, toks))
        i = 0
        while i < len(toks):
            mention = self._at(text, toks, i)
            if mention is not None:
                found.append(mention)
                while i < len(toks) and toks[i][0] < mention.end:
                    i += 1
            else:
                i += 1
        return self._local_surnames(_non_overlapping(found))

    def _local_surnames(self, found: list[Mention]) -> list[Mention]:
        """A lone word found as a given name ("Jansen vertelt") is a surname when the same
        text, or the project, uses it as one ("mevrouw Jansen") and it is no first name."""
        local = {m.surname for m in found if m.surname and m.rule != "known-surname"}
        local_given = {m.first.lower() for m in found if m.first and m.surname}
        out = []
        for m in found:
            low = m.given.lower()
            if (
                m.given
                and not m.surname
                and not m.initials
                and " " not in low
                and (low in local or (low,) in self.surnames)
                and low not in local_given
                and not self.lists.first(low)
            ):
                m = Mention(m.start, m.end, m.text, surname=low, rule=m.rule)
            out.append(m)
        return out

    def _cap(self, toks: Sequence[Tok], i: int) -> bool:
        if not 0 <= i < len(toks):
            return False
        word = toks[i][2]
        return word[0].isupper() and word[0].isalpha() and not _ORG_SUFFIX.search(word)

    @staticmethod
    def _joined(text: str, toks: Sequence[Tok], i: int) -> bool:
        """Token ``i`` follows token ``i-1`` with only spaces between (same line)."""
        gap = text[toks[i - 1][1] : toks[i][0]]
        return i > 0 and gap.strip(" \t\u00a0") == "" and len(gap) <= 3

    def _initial(self, text: str, toks: Sequence[Tok], i: int) -> bool:
        if i + 1 >= len(toks):
            return False
        word = toks[i][2]
        is_letter = len(word) <= 2 and word[0].isupper() and word.isalpha()
        return (
            is_letter
            and (len(word) == 1 or word == "Th")
            and toks[i + 1][2] == "."
            and toks[i + 1][0] == toks[i][1]
            # "Julianaplein 145A." ends in a house number, not an initial
            and not (i > 0 and toks[i - 1][1] == toks[i][0] and toks[i - 1][2][-1].isalnum())
        )

    def _tv_len(self, text: str, toks: Sequence[Tok], i: int) -> int:
        if i >= len(toks):
            return 0
        for seq in _TV_BY_FIRST.get(toks[i][3], ()):
            n = len(seq)
            if i + n > len(toks):
                continue
            if all(toks[i + k][3] == seq[k] for k in range(1, n)) and all(
                self._joined(text, toks, i + k) for k in range(1, n)
            ):
                return n
        return 0

    def _sentence_start(self, text: str, toks: Sequence[Tok], i: int) -> bool:
        if i == 0:
            return True
        prev = toks[i - 1][2]
        gap = text[toks[i - 1][1] : toks[i][0]]
        return prev in _SENTENCE_END or "\n" in gap

    def _before(self, text: str, toks: Sequence[Tok], i: int) -> tuple[str, str]:
        """The lower-case word before token ``i`` (skipping one '.'), and the one before it."""
        j = i - 1
        if j >= 0 and toks[j][2] == "." and j - 1 >= 0 and toks[j - 1][1] == toks[j][0]:
            word = toks[j - 1][2].lower() + "."
            j -= 1
        elif j >= 0:
            word = toks[j][2].lower()
        else:
            return "", ""
        prev = toks[j - 1][2].lower() if j - 1 >= 0 else ""
        if j >= 0 and "\n" in text[toks[j][1] : toks[i][0]]:
            return "", ""
        return word, prev

    # -- chains -------------------------------------------------------------------------

    def _chain(self, text: str, toks: Sequence[Tok], i: int) -> _Chain | None:
        j = i
        initials: list[str] = []
        while self._initial(text, toks, j) and (j == i or self._joined(text, toks, j)):
            initials.append(toks[j][2])
            j += 2
        words: list[int] = []
        while (
            len(words) < 4
            and self._cap(toks, j)
            and (j == i or self._joined(text, toks, j))
            and not self._tv_len(text, toks, j)
        ):
            if words and toks[j][2].lower() in _NEVER:
                break
            # a middle initial after given names: "Jan B. Decker" (not "Volgens Anna M. …")
            if (
                words
                and self._initial(text, toks, j)
                and all(self.lists.first(toks[w][3]) for w in words)
            ):
                initials.append(toks[j][2])
                j += 2
                continue
            words.append(j)
            j += 1
        tv: list[int] = []
        surname_word = None
        n = self._tv_len(text, toks, j)
        if n and (j == i or self._joined(text, toks, j)):
            k = j + n
            lower_tv = all(toks[t][2][0].islower() or toks[t][2][0] in "'’" for t in range(j, k))
            if words and all(toks[t][2].isupper() and len(toks[t][2]) > 1 for t in words):
                lower_tv = lower_tv or all(toks[t][2].isupper() for t in range(j, k))
            sur = toks[k][3] if k < len(toks) else ""
            plain = sur in _NEVER or (self.is_word(sur) and not self.lists.surname(sur))
            surname_ok = (
                self._cap(toks, k)
                and (lower_tv or not words or initials or not self.is_word(sur))
                and not (len(words) >= 2 and plain)  # "Mehmet Yilmaz in de Wijk"
            )
            if surname_ok and self._joined(text, toks, k):
                tv = list(range(j, k))
                surname_word = k
                j = k + 1
        tail = None
        last = surname_word if surname_word is not None else (words[-1] if words else None)
        if last is not None and _HYPHEN_TV.search(toks[last][2]):
            k = j
            while k < len(toks) and toks[k][2].lower() in {"der", "den", "de", "het", "'t"}:
                k += 1
            if self._cap(toks, k) and self._joined(text, toks, k):
                tail = k
                j = k + 1
        if not initials and not words and surname_word is None:
            return None
        return _Chain(i, j, initials, words, tv, surname_word, tail)

    def _mention(
        self, text: str, toks: Sequence[Tok], chain: _Chain, n_words: int, rule: str
    ) -> Mention:
        words = chain.words[:n_words]
        full = n_words == len(chain.words)
        if chain.surname_word is not None and full:
            first_sur, last = (chain.tv or [chain.surname_word])[0], chain.surname_word
            given_idx = words
            if words and _HYPHEN_TV.search(toks[words[-1]][2]):  # "Jansen-van der Berg"
                first_sur, given_idx = words[-1], words[:-1]
        elif chain.initials or len(words) >= 2:
            first_sur = last = words[-1]
            given_idx = words[:-1]
        else:  # one word: a given name, unless a title says it is a surname
            first_sur = last = words[0]
            given_idx = [] if rule == "title" else words
        if full and chain.tail is not None:
            last = chain.tail
        surname = " ".join(text[toks[first_sur][0] : toks[last][1]].lower().split())
        if not given_idx and not chain.initials and rule != "title" and len(words) == 1:
            surname = ""
        if given_idx == words and chain.surname_word is None and chain.tail is None:
            surname = ""
        if chain.initials:
            given_idx = []
        start = toks[chain.start_tok][0]
        end = toks[last][1]
        return Mention(
            start=start,
            end=end,
            text=text[start:end],
            given=" ".join(toks[t][2] for t in given_idx),
            initials="".join(chain.initials),
            surname=surname.replace("’", "'"),
            rule=rule,
        )

    def _at(self, text: str, toks: Sequence[Tok], i: int) -> Mention | None:
        word = toks[i][2]
        if not (word[0].isupper() and word[0].isalpha()):
            # most tokens: a lower-case word that starts no tussenvoegsel ("dhr. van Dam")
            if toks[i][3] not in _TV_BY_FIRST:
                return None
            return self._titled_tussenvoegsel(text, toks, i)
        chain = self._chain(text, toks, i)
        if chain is None:
            return None
        prev, prev2 = self._before(text, toks, i)
        names = [toks[t][2] for t in chain.words]
        titled = prev in _TITLES or prev.rstrip(".") in _TITLES
        if prev in _OFFICES and chain.surname_word is None and len(names) == 1:
            low = names[0].lower()
            titled = not self.is_word(names[0]) or self.lists.surname(low)
        elif prev in _OFFICES:
            titled = True
        role = prev in _ROLES
        all_words = len(chain.words)
        surname_known = chain.surname_word is not None
        if chain.surname_word is not None:
            sur = toks[chain.surname_word][2]
            supported = titled or chain.initials or names
            if not supported and (
                sur.lower() in _NEVER or (self.is_word(sur) and not self.lists.surname(sur))
            ):
                surname_known = False
        starts_article = i > 0 and toks[i - 1][2].lower() in {"de", "het", "een", "'t"}
        # inside a run of capitalised words ("Stichting Vrienden van de Linde"): weak rules off
        in_run = (
            i > 0
            and toks[i - 1][2][:1].isupper()
            and self._joined(text, toks, i)
            and toks[i - 1][2].lower() not in _TITLES | _ROLES | _OFFICES
        )

        # titles: "mevr. De Roos", "wethouder Jansen", "de heer Pinas"
        if titled and (names or surname_known):
            if chain.surname_word is None and names and names[0].lower() in _NEVER:
                return None
            return self._mention(text, toks, chain, all_words, "title")
        # initials: "A. de Roos", "J.P. Bakker"
        if chain.initials and (surname_known or names):
            last = toks[chain.surname_word][2] if chain.surname_word is not None else names[-1]
            low = last.lower()
            if not chain.tv and (low in _NEVER or low in _FUNCTION_WORDS):
                return None
            return self._mention(text, toks, chain, all_words, "initials")
        if not names:
            return self._known_surname(text, toks, chain, i)
        first = names[0]
        low_first = first.lower()
        if low_first in _NEVER or starts_article or low_first in _TITLES | _OFFICES | _ROLES:
            return None  # a title or role word starts the chain: the next word is looked at
        keep = self._trim(names)
        # a first name from the list: a capitalised word after it is its surname
        if self.is_first(first) or first.lower() in self.given_names:
            keep = 1
            for word in names[1:]:
                if word.lower() in _NEVER or word.lower() in _FUNCTION_WORDS:
                    break
                keep += 1
            return self._mention(text, toks, chain, keep, "first-name")
        ambiguous = self.lists.is_ambiguous(first)
        unknown = not self.is_word(first) and not ambiguous
        if ambiguous and (keep >= 2 or (keep == len(names) and surname_known)):
            return self._mention(text, toks, chain, keep, "first-name+surname")
        if role and (unknown or ambiguous):
            return self._mention(text, toks, chain, keep, "role")
        if not unknown and len(names) == 2 and first.lower() not in _FUNCTION_WORDS:
            last = names[1].lower()
            if self.lists.surname(last) or (last,) in self.surnames:
                return self._mention(text, toks, chain, 2, "surname")
        if (  # "Reinout de Vries": a listed surname after a tussenvoegsel
            len(names) == 1
            and chain.surname_word is not None
            and self.lists.surname(toks[chain.surname_word][3])
            and low_first not in _FUNCTION_WORDS
            and not in_run
            and not (self.is_word(first) and self._sentence_start(text, toks, i))
        ):
            return self._mention(text, toks, chain, 1, "tussenvoegsel+surname")
        if (
            not unknown
            and not ambiguous
            and len(names) == 1
            and surname_known
            and first.lower() not in self.lists.lexicon
            and first.lower() not in _FUNCTION_WORDS
            and not in_run
        ):  # "Tijmen de Kruijf": only a suffix made the first word look like a Dutch word
            return self._mention(text, toks, chain, 1, "tussenvoegsel")
        if not unknown:
            return None
        if keep == len(names) and surname_known and keep == 1 and not in_run:
            return self._mention(text, toks, chain, keep, "tussenvoegsel")
        if keep >= 2 or (len(names) == 2 and not self._sentence_start(text, toks, i)):
            last = names[1].lower()
            if self.lists.surname(last) or (last,) in self.surnames:
                return self._mention(text, toks, chain, 2, "surname")
            if (
                keep == 2
                and not self._sentence_start(text, toks, i)
                and not self.is_word(names[1])
                and _SURNAME_SUFFIX.search(last)
            ):
                return self._mention(text, toks, chain, keep, "two-names")
        if keep == 1 and chain.surname_word is None:
            nxt = toks[i + 1][2].lower() if i + 1 < len(toks) else ""
            nxt2 = toks[i + 2][2] if i + 2 < len(toks) else ""
            inverted = nxt2[:1].isupper() or nxt2.lower() in {"ik", "hij", "zij", "ze", "we", "wij"}
            if (nxt in _SPEECH_VERBS and not inverted) or prev in {"aldus", "volgens"}:
                return self._mention(text, toks, chain, 1, "speech")
            if nxt == ":" and self._sentence_start(text, toks, i):
                after = text[toks[i + 1][1] : toks[i + 1][1] + 3].strip()
                if not after or after[0] in "‘“\"'":
                    return self._mention(text, toks, chain, 1, "speaker")
        return None

    def _titled_tussenvoegsel(self, text: str, toks: Sequence[Tok], i: int) -> Mention | None:
        """A title, then a lower-case tussenvoegsel and a surname: "dhr. van Dam"."""
        if not self._tv_len(text, toks, i):
            return None
        prev, _ = self._before(text, toks, i)
        if not (prev in _TITLES or prev.rstrip(".") in _TITLES or prev in _OFFICES):
            return None
        chain = self._chain(text, toks, i)
        if chain is None or chain.surname_word is None:
            return None
        # "mevrouw van de Stichting" is no one; after "'t" or "d'" any word is a surname ('t Hart)
        if toks[chain.surname_word][3] in _NEVER and toks[i][3] not in {"'t", "d'"}:
            return None
        return self._mention(text, toks, chain, 0, "title")

    def _trim(self, names: list[str]) -> int:
        """How many of the chain's words belong to the name (cut at an ordinary word)."""
        keep = 1
        for word in names[1:]:
            low = word.lower()
            known = self.lists.surname(low) or (low,) in self.surnames or self.is_first(word)
            if self.is_word(word) and not known:
                break
            keep += 1
        return keep

    def _known_surname(
        self, text: str, toks: Sequence[Tok], chain: _Chain, i: int
    ) -> Mention | None:
        """A bare tussenvoegsel surname ("Van Oordt") known from elsewhere in the project."""
        if chain.surname_word is None:
            return None
        key = tuple(toks[t][2].lower().replace("’", "'") for t in [*chain.tv, chain.surname_word])
        if key in self.surnames and not self.is_word(key[-1]):
            return self._mention(text, toks, chain, 0, "known-surname")
        return None

    # -- metadata lines -----------------------------------------------------------------

    def _metadata(self, text: str, toks: Sequence[Tok]) -> list[Mention]:
        out = []
        starts = [t[0] for t in toks]
        for m in _META_LINE.finditer(text):
            value_start, value_end = m.start("value"), m.end("value")
            blanked = _PARENS.sub(lambda p: " " * len(p.group()), text[value_start:value_end])
            bounds = [0]
            for sep in _META_SPLIT.finditer(blanked):
                bounds += [sep.start(), sep.end()]
            bounds.append(len(blanked))
            for a, b in zip(bounds[::2], bounds[1::2], strict=True):
                if blanked[a:b].strip():
                    mention = self._meta_chunk(text, toks, starts, value_start + a, value_start + b)
                    if mention is not None:
                        out.append(mention)
        return out

    def _meta_chunk(
        self, text: str, toks: Sequence[Tok], starts: Sequence[int], start: int, end: int
    ) -> Mention | None:
        """The name a metadata value holds between ``start`` and ``end`` (``starts``: the
        tokens' start offsets, to find the span's tokens by bisection)."""
        idx = range(bisect.bisect_left(starts, start), bisect.bisect_left(starts, end))
        for k in idx:
            word = toks[k][2]
            if not word[0].isalpha():
                continue
            if not word[0].isupper():
                return None  # "tel. 06-…", "gemeente …"
            chain = self._chain(text, toks, k)
            if chain is None or toks[chain.end_tok - 1][1] > end:
                return None
            names = [toks[t][2] for t in chain.words]
            if names and (names[0].lower() in _NEVER or _ORG_SUFFIX.search(names[0])):
                return None
            if not names and chain.surname_word is None:
                return None
            plausible = (
                chain.initials
                or (names and (self.is_first(names[0]) or not self.is_word(names[0])))
                or (names and chain.surname_word is not None)
                or len(names) >= 2
            )
            if not plausible:
                return None
            return self._mention(text, toks, chain, len(chain.words), "metadata")
        return None

    # -- known surfaces -----------------------------------------------------------------

    def find_with_known(self, text: str) -> list[Mention]:
        """:meth:`find`, then :meth:`find_known` trusting the surnames this text has shown.

        A surname the text itself gives as a name (after a title, with a given name or
        initials, or a surname known from the project written mid-sentence) is a name
        everywhere in it, also at a sentence start and also when it is a Dutch word ("Dhr.
        Pinas belde. Pinas vond het goed.", "Mevrouw De Jong … De Jong").
        Overlapping mentions are left to the caller.
        """
        found = self.find(text)
        local = {
            m.surname
            for m in found
            if m.surname and m.rule not in {"known-surname", "speech", "speaker"}
        }
        known = self.find_known(text, local)
        # a known surname this text uses mid-sentence ("sprak De Jong") is shown here as well
        more = {m.surname for m in known if m.rule == "known-surname"} - local
        if more:
            known = self.find_known(text, local | more)
        return found + self._local_surnames(found + known)[len(found) :]

    def find_known(self, text: str, local: Iterable[str] = ()) -> list[Mention]:
        """Mentions of given names and surnames already known to belong to persons.

        ``local``: surnames (lower case, with tussenvoegsel) this text has shown to be names;
        they are trusted where a surname known from elsewhere in the project is not (at a
        sentence start, or when the surname is a Dutch word: "Bos", "Mulder", "De Jong").
        """
        toks = _tokens(text)
        trusted = {_surname_key(s) for s in local if s.strip()}
        local_index = _index_surnames(trusted)
        out = self._find_exact(text)
        for i, (start, end, word, low_tok) in enumerate(toks):
            capital = word[0].isupper() and word[0].isalpha()
            # a lower-case word counts only as the start of a tussenvoegsel: "sprak de Jong"
            if not capital and (low_tok not in _TV_BY_FIRST or not self._tv_len(text, toks, i)):
                continue
            low = word.lower()
            article = i > 0 and toks[i - 1][2].lower() in {"de", "het", "een", "'t", "’t"}
            if capital and low in self.given_names and not article:
                out.append(Mention(start, end, word, given=word, rule="known-given"))
                continue
            if capital and low[-1:] == "s" and low[:-1] in self.given_names and len(low) > 3:
                # a genitive ("Lottes geduld"): the name is masked, the "s" stays
                out.append(Mention(start, end - 1, word[:-1], given=word[:-1], rule="known-given"))
                continue
            keys = local_index.get(toks[i][3], []) + self._surnames_by_first.get(toks[i][3], [])
            for key in sorted(keys, key=len, reverse=True):
                n = len(key)
                if i + n > len(toks):
                    continue
                words = [toks[i + k][3] for k in range(n)]
                core = toks[i + n - 1][2]
                if words != list(key) or not core[0].isupper():
                    continue
                if not all(self._joined(text, toks, i + k) for k in range(1, n)):
                    continue
                if article and n == 1:
                    continue
                if self.is_word(core) and not self._reads_as_name(text, toks, i, n, key in trusted):
                    continue
                e = toks[i + n - 1][1]
                out.append(
                    Mention(
                        start,
                        e,
                        text[start:e],
                        surname=_surname_text(text[start:e]),
                        rule="known-surname",
                    )
                )
                break
        return out

    def _reads_as_name(self, text: str, toks: Sequence[Tok], i: int, n: int, trusted: bool) -> bool:
        """Whether a known surname that is also a Dutch word ("Bos", "De Jong") at tokens
        ``i:i+n`` is the name here.

        A surname the text itself has shown to be a name counts also at a sentence start,
        unless an ordinary word is coordinated with it ("Bakker en slager"). One known from
        elsewhere in the project counts mid-sentence only, and a tussenvoegsel surname only
        after a lower-case word ("sprak De Jong"), not after a capitalised one ("Buurthuis
        De Linde").
        """
        if self._sentence_start(text, toks, i):
            return trusted and not self._coordinated_noun(toks, i + n)
        return trusted or n == 1 or toks[i - 1][2].islower()

    def _coordinated_noun(self, toks: Sequence[Tok], j: int) -> bool:
        """Tokens ``j``… read "en/of <ordinary word>": "Bakker en slager", "Visser of boer"."""
        if j + 1 >= len(toks) or toks[j][3] not in {"en", "of", "noch"}:
            return False
        nxt = toks[j + 1][2]
        return nxt.islower() and nxt not in _FUNCTION_WORDS and self.is_word(nxt)

    def _find_exact(self, text: str) -> list[Mention]:
        out = []
        for pattern, parts in self._exact:
            for m in pattern.finditer(text):
                out.append(
                    Mention(
                        m.start(),
                        m.end(),
                        m.group(),
                        given=parts.given,
                        initials=parts.initials,
                        surname=parts.surname,
                        rule="exact",
                    )
                )
        return out


_TV_WORDS = frozenset(w for seq in _TUSSENVOEGSELS for w in seq)


def _exact_pattern(name: str) -> re.Pattern[str]:
    """A name as written, on word boundaries; its tussenvoegsels in either case."""
    parts = []
    for word in name.split():
        low = word.lower().replace("’", "'")
        if low in _TV_WORDS:
            parts.append(
                "".join(
                    f"[{c.upper()}{c.lower()}]"
                    if c.isalpha()
                    else "['’]"
                    if c in "'’"
                    else re.escape(c)
                    for c in low
                )
            )
        else:
            parts.append("".join("['’]" if c in "'’" else re.escape(c) for c in word))
    return re.compile(r"(?<![\w'’-])" + r"[ \t\u00a0]+".join(parts) + r"(?![\w-])")


_INITIALS = re.compile(r"(?:(?:Th|[^\W\d_])\.)+")
_KEY_TOKEN = re.compile(r"'t(?!\w)|(?<![\w'])d'(?=\w)|[^\W\d_]+(?:-[^\W\d_]+)*|\d+|\S")


def _surname_key(surname: str) -> tuple[str, ...]:
    """A lower-case surname as the lower-case tokens of :func:`_tokens`: "d'ancona" → (d', ancona).

    >>> _surname_key("van 't Hof"), _surname_key("d’Ancona"), _surname_key("o'neill")
    (('van', "'t", 'hof'), ("d'", 'ancona'), ('o', "'", 'neill'))
    """
    return tuple(_KEY_TOKEN.findall(surname.lower().replace("’", "'")))


def _surname_text(written: str) -> str:
    """A surname as written → the form mentions carry: "D’Ancona" → "d'ancona"."""
    return " ".join(written.lower().replace("’", "'").split())


def _index_surnames(surnames: Iterable[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    """Surname keys by their first word, longest first."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for key in sorted(surnames, key=len, reverse=True):
        index.setdefault(key[0], []).append(key)
    return index


_META_LINE = re.compile(
    r"(?im)^[ \t*#-]*(?P<key>[^\n:.?!]{0,30}?"
    r"(?:duo|gesprekspartner|contactperso|aanwezig|deelnemer|"
    r"verslag\s+door|verslaglegg|auteur|interviewer|geïnterviewd|geinterviewd|initiatiefnem|"
    r"ambtena|opgesteld\s+door|notulist|namens|bezoeker|gesproken\s+met|geschreven\s+door|"
    r"trekker|betrokken|ondertekend|deelname|kopie|\bcc)[^\n:]{0,20}):(?!//)[ \t]*"
    r"(?P<value>[^\n]+)"
)
_PARENS = re.compile(r"\([^)\n]*\)|\[[^\]\n]*\]")
_META_SPLIT = re.compile(r",|;|&|/|\+|\s+en\s+|\s+met\s+|\s+-\s+|\s+–\s+")


class Spans:
    """Non-overlapping spans, sorted, with a logarithmic overlap test (a quadratic scan took
    minutes on a report of a few megabytes).

    >>> spans = Spans()
    >>> spans.add(5, 9), spans.overlaps(8, 12), spans.overlaps(9, 12), spans.overlaps(0, 5)
    (None, True, False, False)
    """

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start)
        if i and self.ends[i - 1] > start:
            return True
        return i < len(self.starts) and self.starts[i] < end

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


def _non_overlapping(mentions: Iterable[Mention]) -> list[Mention]:
    """Longest first, then earliest; drop what overlaps a kept mention."""
    kept: list[Mention] = []
    taken = Spans()
    for m in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start)):
        if not taken.overlaps(m.start, m.end):
            taken.add(m.start, m.end)
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)
