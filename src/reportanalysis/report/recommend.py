"""Grounded recommendations: sentences taken from the anecdotes themselves, never invented.

Per theme, every bottleneck (knelpunt) and point to improve on (aanknopingspunt) offers its one
best sentence: one that carries an agreement made (``afspraak``), a proposal or wish
(``voorstel``) or, failing those, the point to improve on (``aanknopingspunt``) or the
bottleneck itself (``knelpunt``). An agreement told as history ("wat er was afgesproken", "had
beloofd") is no agreement to keep, and an opinion ("een goed idee") no proposal.
Sentences are ranked by that cue and by how central
they are among the theme's sentences (TF-IDF cosine); similar sentences are merged so a
recommendation cites every anecdote that says the same. Who should act — the municipality or
the initiators — follows from the actor the sentence names: a role word (ambtenaar, afdeling,
bewoners …) or a name whose role the corpus reveals (``Karin, gebiedsmanager`` …).

>>> cue_of("Ze spraken af dat Mehmet een bijeenkomst organiseert.")
'afspraak'
>>> cue_of("Anneke zou het prettig vinden als Mehmet haar vaker belt.")
'voorstel'
>>> cue_of("Het contract loopt eind dit jaar af.")
'knelpunt'
>>> cue_of("Ze zocht uit wat er over het terrein was afgesproken.", kind="aanknopingspunt")
'aanknopingspunt'
>>> split_sentences("Eén. Twee zinnen hier! En drie?")
['Eén.', 'Twee zinnen hier!', 'En drie?']
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "GEMEENTE",
    "INITIATIEFNEMERS",
    "Candidate",
    "audience_of",
    "candidates",
    "cue_of",
    "infer_name_roles",
    "recommend_theme",
    "split_sentences",
]

GEMEENTE, INITIATIEFNEMERS = "gemeente", "initiatiefnemers"

_SENTENCE_END = re.compile(r"([.!?…][”’\"')\]]*)\s+(?=[\"“‘'(\[A-ZÀ-Ý0-9])")
_TOKEN = re.compile(r"\[[^\]\s]{1,40}\]|<[^>\s]{1,40}>|[\wÀ-ÿ][\wÀ-ÿ'’\-]*")

_AFSPRAAK = re.compile(
    r"\bafspra(?:ak|ken)\s+(?:is|zijn|dat|over|gemaakt|vastgelegd|staan?)\b|\bafgesproken\b"
    r"|\bspr(?:eken|aken|eekt)\b[^.]*\baf\b|\bzegt(?:en)? toe\b|\btoegezegd\b"
    r"|\bbelooft (?:\w+ )?(?:dat|om|te)\b|\bbeloofd\b",  # not "belooft pas iets als …"
    re.IGNORECASE,
)
#: An agreement or promise told as history (pluperfect, "zoals afgesproken"): it says what went
#: before, kept or not ("Er was afgesproken dat …, maar"), not an agreement to keep.
_AFSPRAAK_PAST = re.compile(
    r"\b(?:was|waren|had|hadden)\b[^.;:]{0,60}\b(?:afgesproken|beloofd|toegezegd)\b"
    r"|\bzoals (?:(?:was|is|eerder) )?(?:afgesproken|beloofd|toegezegd)\b"
    # ... or one not kept: "De afspraken zijn niet nagekomen", "…, maar dat is niet gelukt"
    r"|\bniet (?:nagekomen|gelukt|gebeurd|gedaan|uitgevoerd|doorgegaan|waargemaakt)\b"
    r"|\bnooit (?:nagekomen|gebeurd|gekomen)\b",
    re.IGNORECASE,
)
_VOORSTEL = re.compile(
    r"\bvoorstel|\bvoorgesteld\b|\bstel(?:t|len|de|den)? voor\b|\bvolgende keer\b|"
    r"\bbeter als\b|\bbeter zou\b|\bgraag\b|\bidee (?:is|om|was)\b|\bsuggestie|\badviseer\w*|"
    r"\badviseren\b|\badvies (?:is |was )?om\b|\bwens|"
    r"\bprettig (?:als|zou|vinden)\b|\bvoortaan\b|\bin de toekomst\b"
    r"|\bzou(?:den)? (?:moeten|willen|kunnen)\b",
    re.IGNORECASE,
)
# Weaker cues of an intention: they mark the sentence to quote within a point to improve on.
_INTENT = re.compile(
    r"\bzou(?:den)?\b|\bhoopt?\b|\bzoekt uit\b|\buitzoeken\b|\bkijkt naar\b|"
    r"\bonderzoek naar\b|\bwil(?:t|len)?\b|\bgaat\b|\bgaan\b|\bprobeert\b|\bmoet(?:en)?\b",
    re.IGNORECASE,
)
# What makes a point to improve on a proposal without a proposal's words: a wish or a plan in
# the present ("wil", "zoekt uit", "gaat … regelen"), not a story told in the past.
_PLAN = re.compile(
    r"\bwil(?:t|len)?\b|\bzoekt uit\b|\bzoeken uit\b|\bkijkt (?:naar|of)\b|\bprobeert\b"
    r"|\bhoopt?\b|(?<!\bis )(?<!\bzijn )\bga(?:at|an)\b[^.;:,]{0,30}\b(?:doen|regelen"
    r"|organiseren|uitzoeken|vragen|kijken|zoeken|maken|bellen|brengen|opnemen|inwerken"
    r"|aanvragen|betrekken)\b",
    re.IGNORECASE,
)
_WISH_BEFORE_CLAUSE = re.compile(
    r"\b(?:afspra|spraken|prettig|hoop|wens|vraag|vroeg|graag|voorstel|stel\w* voor|wil)",
    re.IGNORECASE,
)
_CLAUSE = re.compile(r"\b(?:dat|als|om|zodat)\b", re.IGNORECASE)
_SECTION_AFSPRAAK = re.compile(r"afspra|vervolg|actie", re.IGNORECASE)
# A heading that looks back on agreements ("Zijn de afspraken nagekomen?"): its items say how
# they went, not what to keep doing.
_SECTION_LOOKS_BACK = re.compile(r"nagekomen|gelukt|uitgevoerd|sinds|vorig|terug|gebeurd", re.I)

_MUNICIPAL_PREFIXES = (
    "gemeente",
    "ambtena",
    "ambtelijk",
    "afdeling",
    "leidinggevende",
    "beleids",
    "gebiedsmanager",
    "gebiedsteam",
    "gebiedsregisseur",
    "wijkcoördinator",
    "wijkcoordinator",
    "wijkregisseur",
    "wijkmanager",
    "jurist",
    "wethouder",
    "college",
    "gemeenteraad",
    "raadslid",
    "loket",
    "vergunningverlener",
    "collega",
    "stadsdeel",
    "projectleider",
    "ambtelijke",
)
_INITIATOR_WORD = re.compile(
    r"^(?:buurt|straat)?bewoners?(?:groep|commissie|initiatief)?$|^initiatiefnem(?:er|ers|ster)s?$|"
    r"^vrijwillig(?:er|ers|ster)s?$|^omwonenden?$|^bezoekers$|^buurtgeno(?:ot|ten)$|^stichting$"
)
_NOT_NAMES_TEXT = (
    "de het een en of maar als dat dit die deze dan er ook toen nu wel niet geen ze zij hij "
    "wij we ik je jij u hun haar zijn hem mijn ons onze bij in op aan met voor van naar uit "
    "over door om tot wat wie waar hoe waarom wanneer tegelijk tegelijkertijd daarbij verder "
    "opvallend energie eén één twee drie vier vijf"
)
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())
_PLACEHOLDER = re.compile(r"^[\[<][^\]>]+[\]>]$|^[A-Z]+_\d+$")
_CUE_WEIGHT = {"afspraak": 2.0, "voorstel": 1.5, "aanknopingspunt": 1.0, "knelpunt": 0.5}
_MIN_WORDS = 4
_WHOLE_WORDS = 45


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` (a simple splitter that keeps closing quotes with the sentence)."""
    marked = _SENTENCE_END.sub("\\1\\n", text)
    parts = (p.strip() for p in marked.splitlines())
    return [p for p in parts if p]


def _agreement_made(sentence: str) -> bool:
    """Whether a sentence tells of an agreement made, not one told as history or not kept."""
    return bool(_AFSPRAAK.search(sentence)) and not _AFSPRAAK_PAST.search(sentence)


def cue_of(sentence: str, section: str | None = None, kind: str = "knelpunt") -> str:
    """``afspraak``, ``voorstel``, ``aanknopingspunt`` or ``knelpunt``: what kind of advice a
    sentence carries.

    A clear cue decides (an agreement made, a proposal or wish); without one, a point to
    improve on is an agreement under a heading of agreements (not one that looks back, "Zijn
    de afspraken nagekomen?"), a proposal when it names a wish or plan (``wil``, ``zoekt
    uit`` …), and else a point to build on; a bottleneck stays a bottleneck.
    """
    if _agreement_made(sentence):
        return "afspraak"
    if _VOORSTEL.search(sentence):
        return "voorstel"
    if kind != "aanknopingspunt":
        return "knelpunt"  # a heading such as "Zijn de afspraken nagekomen?" looks back
    if section and _SECTION_AFSPRAAK.search(section) and not _SECTION_LOOKS_BACK.search(section):
        return "afspraak"
    return "voorstel" if _PLAN.search(sentence) else "aanknopingspunt"


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _role_word(token: str) -> str | None:
    low = token.lower()
    if low.startswith(_MUNICIPAL_PREFIXES):
        return GEMEENTE
    if _INITIATOR_WORD.match(low):
        return INITIATIEFNEMERS
    return None


def _is_name(token: str, capitalised_inside: set[str], lowercase_seen: set[str]) -> bool:
    if _PLACEHOLDER.match(token):
        return True
    return (
        token[:1].isupper()
        and token.lower() not in _NOT_NAMES
        and token in capitalised_inside
        and token.lower() not in lowercase_seen
        and _role_word(token) is None
    )


def infer_name_roles(texts: Iterable[str], window: int = 3) -> dict[str, str]:
    """Names (or pseudonym placeholders) whose role the texts reveal, mapped to an audience.

    Three signals, strongest first: an apposition (``Karin Smulders (gebiedsmanager``,
    ``ambtenaar als Mehmet``); being one of exactly two people named in a sentence with
    someone of known role (a visit is a conversation between an initiator and a civil
    servant); role words close by. Departments (``afdeling Riolering``) get a role but do not
    count as people.

    >>> infer_name_roles(["Karin, gebiedsmanager van de gemeente, belt.",
    ...                   "Daarna belt Karin weer met Thijs over de straat."])
    {'Karin': 'gemeente', 'Thijs': 'initiatiefnemers'}
    """
    texts = list(texts)
    sentences = [_tokens(s) for t in texts for s in split_sentences(t)]
    capitalised_inside = {tok for toks in sentences for tok in toks[1:] if tok[:1].isupper()}
    lowercase_seen = {tok for toks in sentences for tok in toks if tok[:1].islower()}
    votes: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    named: list[list[str]] = []
    for toks in sentences:
        heads: list[str] = []
        previous_was_name = False
        for i, tok in enumerate(toks):
            is_name = _is_name(tok, capitalised_inside, lowercase_seen)
            if is_name and not previous_was_name:
                heads.append(tok)
                for j in range(max(0, i - window), min(len(toks), i + window + 1)):
                    role = _role_word(toks[j])
                    if role and j != i:
                        votes[tok][role] += 0.5 / abs(i - j)
            previous_was_name = is_name or (previous_was_name and tok in _PARTICLES)
        named.append(heads)
    organisations: set[str] = set()
    for text in texts:
        for match in _APPOSITION_AFTER.finditer(text):
            role = _role_word(match.group(2))
            if role:
                votes[match.group(1)][role] += 3.0
        for match in _APPOSITION_BEFORE.finditer(text):
            role = _role_word(match.group(1))
            if role:
                votes[match.group(2)][role] += 3.0
                if match.group(1).lower().startswith(_ORGANISATION_PREFIXES):
                    organisations.add(match.group(2))
    seeds = {k: v for k, v in _decide(votes, margin=2.0).items() if k not in organisations}
    for heads in named:
        people = sorted(set(heads) - organisations)
        if len(people) != 2:
            continue
        for name, other in (people, people[::-1]):
            if other in seeds and name not in seeds:
                votes[name][_OTHER[seeds[other]]] += 1.0
    return _decide(votes, margin=0.0)


_PARTICLES = frozenset({"van", "de", "der", "den", "ten", "te", "el", "al"})
_ORGANISATION_PREFIXES = ("gemeente", "afdeling", "college", "loket", "stadsdeel", "gebiedsteam")
_OTHER = {GEMEENTE: INITIATIEFNEMERS, INITIATIEFNEMERS: GEMEENTE}
_NAME = r"(\[[^\]\s]+\]|<[^>\s]+>|[A-ZÀ-Ý][\wÀ-ÿ'’\-]+)"
_APPOSITION_AFTER = re.compile(
    _NAME + r"(?:\s+(?:van|de|der|den|ten|te|el|al|[A-ZÀ-Ý][\wÀ-ÿ'’\-]+))*\s*[,(]\s*([\wÀ-ÿ]+)"
)
_APPOSITION_BEFORE = re.compile(r"\b([\wÀ-ÿ]+)\s+(?:als\s+)?" + _NAME)


def _decide(votes: Mapping[str, Mapping[str, float]], margin: float) -> dict[str, str]:
    result = {}
    for name, counter in sorted(votes.items()):
        ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        if not ranked:
            continue
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        if ranked[0][1] - second > margin:
            result[name] = ranked[0][0]
    return result


def _actors(tokens: Sequence[str], names: Mapping[str, str]) -> list[tuple[int, str]]:
    found = []
    for i, tok in enumerate(tokens):
        role = _role_word(tok) or names.get(tok)
        if role:
            found.append((i, role))
    return found


def audience_of(sentence: str, names: Mapping[str, str], context: str = "") -> str | None:
    """Who should act on ``sentence``: the actor in the clause after a wish or agreement
    (``… zou het prettig vinden als <actor> …``), else the first actor named; else the first
    actor in ``context``; ``None`` when nobody is named.

    >>> names = {"Mehmet": "gemeente", "Anneke": "initiatiefnemers"}
    >>> audience_of("Anneke zou het prettig vinden als Mehmet haar vaker belt.", names)
    'gemeente'
    >>> audience_of("De bewoners zoeken zelf een nieuwe penningmeester.", names)
    'initiatiefnemers'
    """
    tokens = _tokens(sentence)
    actors = _actors(tokens, names)
    for i, role in actors:
        if i > 0 and tokens[i - 1].lower() == "door":
            return role
    wish = _WISH_BEFORE_CLAUSE.search(sentence)
    if wish:
        clause = _CLAUSE.search(sentence, wish.end())
        if clause:
            before = len(_tokens(sentence[: clause.end()]))
            after = [role for i, role in actors if i >= before]
            if after:
                return after[0]
    if actors:
        return actors[0][1]
    if context:
        found = _actors(_tokens(context), names)
        if found:
            return found[0][1]
    return None


@dataclass(frozen=True)
class Candidate:
    """The best sentence one bottleneck or improvement anecdote offers."""

    anecdote_id: str
    ref: str
    kind: str
    section: str | None
    sentence: str
    cue: str
    audience: str


def _strength(sentence: str, cue: str) -> int:
    """How plainly a sentence carries its cue: an explicit agreement or proposal beats an
    intention (``wil``, ``gaat``), which beats a sentence that only belongs to a proposal."""
    if cue == "afspraak" and _agreement_made(sentence):
        return 4
    if cue == "voorstel" and _VOORSTEL.search(sentence):
        return 3
    if cue == "voorstel" and _INTENT.search(sentence):
        return 2
    return 1 if cue != "knelpunt" else 0


def _best_sentence(text: str, section: str | None, kind: str) -> tuple[str, str]:
    """The sentence with the plainest cue (earliest first); a bottleneck or point to improve on
    without any cue is quoted whole when short, else by its longest sentence."""
    sentences = [s for s in split_sentences(text) if len(s.split()) >= _MIN_WORDS]
    if not sentences:
        return text.strip(), cue_of(text, section, kind)
    ranked = sorted(
        enumerate(sentences),
        key=lambda p: (-_strength(p[1], cue_of(p[1], section, kind)), p[0]),
    )
    sentence = ranked[0][1]
    cue = cue_of(sentence, section, kind)
    if cue in ("knelpunt", "aanknopingspunt"):
        whole = " ".join(text.split())
        sentence = whole if len(whole.split()) <= _WHOLE_WORDS else max(sentences, key=len)
    return sentence, cue


def candidates(
    rows: Iterable[Mapping[str, object]], names: Mapping[str, str], default: str = GEMEENTE
) -> list[Candidate]:
    """One candidate per bottleneck or improvement anecdote (rows need id, ref, kind, text,
    section)."""
    out = []
    for row in rows:
        kind = str(row.get("kind") or "")
        if kind not in ("knelpunt", "aanknopingspunt"):
            continue
        text = str(row.get("text") or "").strip()
        if not text:
            continue
        section = row.get("section")
        section = str(section) if isinstance(section, str) else None
        sentence, cue = _best_sentence(text, section, kind)
        audience = audience_of(sentence, names, context=text) or default
        out.append(
            Candidate(str(row["id"]), str(row["ref"]), kind, section, sentence, cue, audience)
        )
    return out


@dataclass(frozen=True)
class Grounded:
    """A recommendation before it is worded: the sentence and the candidates it merges."""

    audience: str
    cue: str
    sentence: str
    anecdote_ids: tuple[str, ...]
    refs: tuple[str, ...]
    score: float


def recommend_theme(
    cands: Sequence[Candidate],
    *,
    per_audience: int = 3,
    merge_threshold: float = 0.3,
) -> list[Grounded]:
    """Rank a theme's candidates and merge similar ones into at most ``per_audience``
    recommendations for each audience."""
    if not cands:
        return []
    centrality, similar_to = _centrality([c.sentence for c in cands])
    score = [
        _CUE_WEIGHT[c.cue] + centrality[i] + (0.25 if c.kind == "aanknopingspunt" else 0.0)
        for i, c in enumerate(cands)
    ]
    order = sorted(range(len(cands)), key=lambda i: (-score[i], cands[i].ref))
    chosen: list[list[int]] = []
    head_sims: dict[int, np.ndarray] = {}  # a group's head against every candidate
    for i in order:
        home = next((g for g in chosen if head_sims[g[0]][i] >= merge_threshold), None)
        if home is not None:
            home.append(i)
            continue
        if sum(cands[g[0]].audience == cands[i].audience for g in chosen) < per_audience:
            chosen.append([i])
            head_sims[i] = similar_to(i)
    result = []
    for group in chosen:
        head = cands[group[0]]
        members = sorted(group, key=lambda k: _ref_key(cands[k].ref))
        result.append(
            Grounded(
                audience=head.audience,
                cue=head.cue,
                sentence=head.sentence,
                anecdote_ids=tuple(cands[k].anecdote_id for k in members),
                refs=tuple(cands[k].ref for k in members),
                score=round(score[group[0]] + 0.1 * (len(group) - 1), 6),
            )
        )
    return result


def _ref_key(ref: str) -> tuple[int, str]:
    digits = ref.lstrip("A")
    return (int(digits), ref) if digits.isdigit() else (10**9, ref)


def _centrality(
    sentences: Sequence[str],
) -> tuple[np.ndarray, Callable[[int], np.ndarray]]:
    """Each sentence's mean TF-IDF cosine to the others, and a function giving one sentence's
    cosine to every sentence. Linear in the number of sentences: a theme of a large corpus
    has thousands of candidates, and their full similarity matrix took minutes.

    >>> c, like = _centrality(["De subsidie kwam laat.", "De subsidie kwam snel.", "Koffie."])
    >>> [round(float(x), 2) for x in c], [round(float(x), 2) for x in like(0)]
    ([0.27, 0.27, 0.0], [1.0, 0.54, 0.0])
    """
    n = len(sentences)
    M = None
    if n > 1:
        from sklearn.feature_extraction.text import TfidfVectorizer

        try:
            M = TfidfVectorizer(sublinear_tf=True, token_pattern=r"(?u)\b\w\w\w+\b").fit_transform(
                sentences
            )
        except ValueError:  # no usable words: each sentence is only like itself
            M = None
    if M is None:
        return np.zeros(n), lambda i: (np.arange(n) == i).astype(np.float64)
    M = M.tocsr()
    total = np.asarray(M.sum(axis=0)).ravel()
    own = np.asarray(M.multiply(M).sum(axis=1)).ravel()
    centrality = (M @ total - own) / (n - 1)
    return centrality, lambda i: np.asarray((M @ M[i].T).todense()).ravel()
