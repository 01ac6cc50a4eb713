"""A seeded corpus of Dutch visit reports with planted personal data, and checks on outputs.

``generate_corpus(n_reports, seed)`` writes reports from varied templates: a metadata block
(onderzoeksduo, gesprekspartners, sometimes a contact line) and ordinary report sentences in
which persons (full names, first names only, ``mevrouw De Roos``, ``A. de Roos``, roles),
e-mail addresses, phone numbers in Dutch formats, addresses with postcodes, BSNs (elfproef),
IBANs (mod 97), personal URLs and dates of birth are planted, together with sentences that hold
look-alikes that must *not* be masked (Wijk, Gemeente, the bakker, De Linde, month names,
departments, street names as places, organisation websites, visit dates, amounts).

About a third of the first names and surnames come from the held-out lists below, which are
not in the package's name lists, so recall on person names is not recall on our own list.

``assert_no_planted(paths, planted)`` checks that no planted item survives in output files;
the lead's end-to-end test can reuse it with ``data/sample/PLANTED.json``.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# Names NOT in src/reportanalysis/data/privacy_*.txt (a test checks that): real given names
# kept off the lists on purpose (rarer Dutch and Frisian names, and names of other
# backgrounds), a few of them also Dutch word forms (Lubbert, Evertje, Harke).
HELDOUT_FIRST = [
    "Wopke",
    "Oebele",
    "Gerbrich",
    "Jildert",
    "Hiltsje",
    "Marrigje",
    "Bareld",
    "Lubbert",
    "Evertje",
    "Meinte",
    "Fardau",
    "Wemke",
    "Hendrina",
    "Reinalda",
    "Jeltsje",
    "Sjirk",
    "Tsjalle",
    "Harke",
    "Ulco",
    "Jurian",
    "Bouwina",
    "Ludger",
    "Tjarda",
    "Ettie",
    "Nurten",
    "Şenay",
    "Gülten",
    "Muzaffer",
    "Necati",
    "Sabahat",
    "Yücel",
    "Ouafae",
    "Boujemaa",
    "Lhoussaine",
    "Abdelghani",
    "Nezha",
    "Soemintra",
    "Dropatie",
    "Radjkoemar",
    "Jurensley",
    "Shulaika",
    "Waldo",
    "Soekarmin",
    "Partini",
    "Hiwet",
    "Ayanle",
    "Bożena",
    "Wiesława",
    "Ghaith",
    "Nagham",
    "Kwesi",
    "Adjoa",
    "Jolie",
    "Silvan",
    "Jarno",
    "Féline",
    "Hanna-Lot",
]
HELDOUT_SURNAMES = [
    "Hoogeveen",
    "Kloosterman",
    "Wijnberg",
    "Brandsma",
    "Tjalsma",
    "Overbeek",
    "Roodenburg",
    "Schuurman",
    "Verweij",
    "Zwiers",
    "Hazelhoff",
    "Kwakman",
    "Ouwehand",
    "Dijkhuizen",
    "Griffioen",
    "Stoffels",
    "Nijland",
    "Harmsen",
    "Wessels",
    "Bulut",
    "Aydın",
    "Karaca",
    "Bouazza",
    "Haddou",
    "Ramcharan",
    "Jagroep",
    "Soekhai",
    "Doelwijt",
    "Kartosen",
    "Nijenhuis",
    "Tiemens",
    "Boersma",
    "Hoogendoorn",
    "Kooiman",
    "Lagerwey",
    "Mennink",
    "Oldenkamp",
    "Pronk",
    "Rademaker",
    "Stegeman",
    "Tolsma",
    "Uitdehaag",
    "Vreugdenhil",
    "Wiersma",
    "Zuidema",
]
HELDOUT_TV_SURNAMES = """van Dongen|de Haas|van Rijn|ter Veld|van 't Hof|in 't Veld|van der Sluis|
van den Akker|de Lange|van Egmond|ter Horst|van der Zanden|de Kruijf|van Wageningen""".replace(
    "\n", ""
).split("|")

KNOWN_FIRST = [
    "Anneke",
    "Mehmet",
    "Karin",
    "Thijs",
    "Fleur",
    "Rachid",
    "Priya",
    "Maarten",
    "Dennis",
    "Jan",
    "Kees",
    "Sanne",
    "Joost",
    "Fatima",
    "Youssef",
    "Esther",
    "Henk",
    "Willem",
    "Ingrid",
    "Saskia",
    "Mohamed",
    "Ayse",
    "Emine",
    "Stijn",
    "Lotte",
    "Daan",
    "Femke",
    "Bram",
    "Johan",
    "Marieke",
    "Petra",
    "Gerrit",
    "Hans",
    "Ilse",
    "Wim",
    "Nadia",
    "Samira",
    "Anil",
    "Shanti",
    "Koen",
    "Linda",
    "Ruud",
    "Tineke",
    "Sjoerd",
    "Hatice",
    "Omar",
    "Yvonne",
]
KNOWN_SURNAMES = [
    "Jansen",
    "Yilmaz",
    "Smulders",
    "Amrani",
    "Ramsaran",
    "Bakker",
    "Visser",
    "Mulder",
    "Smit",
    "Meijer",
    "Hendriks",
    "Dekker",
    "Kok",
    "Vermeulen",
    "Dijkstra",
    "Hoekstra",
    "Kaya",
    "Demir",
    "Bouma",
    "Postma",
    "Willems",
    "Huisman",
    "Kramer",
    "Koster",
    "Prins",
    "Schouten",
    "Verhoeven",
    "Wouters",
    "Sedney",
    "Pinas",
]
KNOWN_TV_SURNAMES = """de Roos|van Dijk|de Vries|van Oordt|de Boer|van den Berg|de Jong|
van der Meer|van Leeuwen|de Wit|van der Linden|de Groot|van Dam""".replace("\n", "").split("|")

TITLES_F = ["mevrouw", "mevr.", "mw.", "mevrouw"]
TITLES_M = ["meneer", "dhr.", "de heer", "meneer"]
ROLES = [
    "wethouder",
    "beleidsadviseur",
    "gebiedsmanager",
    "wijkagent",
    "jongerenwerker",
    "buurtwerker",
    "collega",
    "buurvrouw",
    "buurman",
    "voorzitter",
    "penningmeester",
    "wijkconsulent",
    "opbouwwerker",
    "projectleider",
]
STREETS = """Kerkstraat|Molenweg|Burgemeester de Vlugtlaan|Van der Helststraat|Oude Gracht|Merelhof|
Julianaplein|Esdoornlaan|Prins Hendrikkade|Dorpsstraat|Lindelaan|Vijverhof|Koningin Wilhelminaweg|
Schoolstraat|Havenkade|Rozengracht|Beukenlaan|Marktplein|Spoorsingel|Zonnebloemstraat|
Sint Jorisstraat|Lange Nieuwstraat|Watermolendreef|Emmastraat|Heuvelweg|Tulpstraat""".replace(
    "\n", ""
).split("|")
PLACES = ["Dalwijk", "Lindewaard", "Veldrecht", "Oosterzande", "Groenhoven", "Bergen op Zoom"]
BANKS = ["ABNA", "RABO", "INGB", "TRIO", "SNSB", "ASNB", "KNAB", "BUNQ"]
DOMAINS = ["gmail.com", "hotmail.com", "ziggo.nl", "outlook.com", "kpnmail.nl", "xs4all.nl"]
ORG_DOMAINS = ["dalwijk.nl", "lindewaard.nl", "woonveste.nl", "buurtwerk-noord.nl"]
INITIATIVES = [
    "Buurtkamer Het Anker",
    "Groene Lindestraat",
    "Repair Café De Schroevendraaier",
    "Taalcafé Samen Praten",
    "Speeltuin De Vlinderhof",
    "Voedseltuin Bloeiend Oost",
    "Buurtbus Lindewaard-Zuid",
    "Huiswerkklas Noord",
    "Energiecoöperatie Zonnedak",
    "Moestuin De Linde",
]
MONTHS = "januari februari maart april mei juni juli augustus september oktober november december"
MONTHS_L = MONTHS.split()


@dataclass
class Person:
    first: str
    surname: str  # with tussenvoegsel, as written after a first name ("de Roos")
    female: bool

    @property
    def full(self) -> str:
        return f"{self.first} {self.surname}"

    @property
    def bare_surname(self) -> str:
        """Surname alone, tussenvoegsel capitalised as Dutch spelling wants ("De Roos")."""
        return self.surname[0].upper() + self.surname[1:]


@dataclass
class Item:
    start: int
    end: int
    kind: str
    text: str


@dataclass
class CorpusReport:
    id: str
    text: str
    items: list[Item] = field(default_factory=list)


class _Writer:
    """Builds a text while recording the spans of planted items."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.items: list[Item] = []
        self.pos = 0

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.pos += len(text)

    def plant(self, text: str, kind: str) -> None:
        self.items.append(Item(self.pos, self.pos + len(text), kind, text))
        self.add(text)

    def text(self) -> str:
        return "".join(self.parts)


# ----------------------------------------------------------------------------- generators


def make_bsn(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        digits[0] = rng.randint(1, 9)
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            return "".join(map(str, digits)) + str(check)


def format_bsn(bsn: str, rng: random.Random) -> str:
    style = rng.randrange(3)
    if style == 0:
        return bsn
    if style == 1:
        return f"{bsn[:4]}.{bsn[4:6]}.{bsn[6:]}"
    return f"{bsn[:3]} {bsn[3:6]} {bsn[6:]}"


def make_iban(rng: random.Random) -> str:
    bank = rng.choice(BANKS)
    account = "".join(str(rng.randint(0, 9)) for _ in range(10))
    moved = bank + account + "NL00"
    check = 98 - int("".join(str(int(c, 36)) for c in moved)) % 97
    return f"NL{check:02d}{bank}{account}"


def format_iban(iban: str, rng: random.Random) -> str:
    if rng.random() < 0.5:
        return iban
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def make_phone(rng: random.Random) -> str:
    d = lambda n: "".join(str(rng.randint(0, 9)) for _ in range(n))  # noqa: E731
    mobile = "6" + d(8)
    area3 = rng.choice(["10", "20", "30", "40", "50", "70", "73", "76", "79"])
    area4 = rng.choice(["55", "58", "38", "53", "24", "26", "35", "45", "46", "71"])
    styles = [
        lambda: f"0{mobile[0]}-{mobile[1:]}",
        lambda: f"0{mobile[0]} {mobile[1:]}",
        lambda: f"0{mobile}",
        lambda: f"0{mobile[0]} {mobile[1:5]} {mobile[5:]}",
        lambda: f"0{mobile[:3]}-{mobile[3:]}",
        lambda: f"+31 {mobile[0]} {mobile[1:]}",
        lambda: f"+31 (0){mobile[0]} {mobile[1:5]} {mobile[5:]}",
        lambda: f"+316{mobile[1:]}",
        lambda: f"0031 {mobile[0]} {mobile[1:]}",
        lambda: f"0{area3} {d(3)} {d(4)}",
        lambda: f"0{area3}-{d(7)}",
        lambda: f"0{area4}-{d(7)}"[:12],
        lambda: f"(0){area3} {d(3)} {d(4)}",
        lambda: f"(0{area3}) {d(3)} {d(4)}",
        lambda: f"+31 {area3} {d(3)} {d(4)}",
        lambda: f"0{mobile[0]} - {mobile[1:3]} {mobile[3:5]} {mobile[5:7]} {mobile[7:]}",
    ]
    phone = rng.choice(styles)()
    return phone


def _slug(text: str) -> str:
    """A name as people write it in addresses: "Yücel" → "yucel", "Wiesława" → "wieslawa"."""
    text = text.lower().replace("'", "").replace("ı", "i").replace("ł", "l")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z]+", "", text)


def make_email(p: Person, rng: random.Random) -> str:
    first, sur = _slug(p.first), _slug(p.surname)
    style = rng.randrange(5)
    if style == 0:
        return f"{first}.{sur}@{rng.choice(DOMAINS)}"
    if style == 1:
        return f"{first[0]}.{sur}@{rng.choice(ORG_DOMAINS)}"
    if style == 2:
        return f"{first}{sur}{rng.randint(1, 99)}@{rng.choice(DOMAINS)}"
    if style == 3:
        return f"{first}@{sur}.nl"
    return f"{first}_{sur[:4]}@{rng.choice(DOMAINS)}"


def make_street(rng: random.Random) -> str:
    no = str(rng.randint(1, 240))
    suffix = rng.choice(["", "", "", "a", "b", "-2", " bis", " hs", "-12", "A"])
    return f"{rng.choice(STREETS)} {no}{suffix}"


def make_postcode(rng: random.Random) -> str:
    letters = "".join(rng.choice("ABCEGHJKLMNPRTVWXZ") for _ in range(2))
    sep = "" if rng.random() < 0.25 else " "
    return f"{rng.randint(1000, 9999)}{sep}{letters}"


def make_url(p: Person, rng: random.Random) -> str:
    first, sur = _slug(p.first), _slug(p.surname)
    styles = [
        f"https://www.facebook.com/{first}.{sur}",
        f"www.linkedin.com/in/{first}-{sur}-{rng.randint(10, 999)}",
        f"https://instagram.com/{first}_{sur}",
        f"https://www.{sur}fotografie.nl/over/{first}",
        f"https://twitter.com/{first}{sur[:3]}",
    ]
    return rng.choice(styles)


def make_person(rng: random.Random, heldout: float = 0.35) -> Person:
    first = rng.choice(HELDOUT_FIRST if rng.random() < heldout else KNOWN_FIRST)
    r = rng.random()
    if r < heldout:
        pool = HELDOUT_TV_SURNAMES if rng.random() < 0.3 else HELDOUT_SURNAMES
    else:
        pool = KNOWN_TV_SURNAMES if rng.random() < 0.35 else KNOWN_SURNAMES
    return Person(first, rng.choice(pool), rng.random() < 0.5)


# ----------------------------------------------------------------------------- templates

# {P}: a full name; {F}: the first name of someone named before; {S}: title + surname;
# {I}: initials + surname; {R}: a role word before a full name; {B}: the bare surname of the
# person in {S} (or else {P}) of the same sentence, repeated on its own ("De Jong", "Mulder").
PERSON_SENTENCES = [
    "{P} vertelde dat het contact met de gemeente in het begin stroef verliep.",
    "Volgens {P} is het vooral de vaste groep vrijwilligers die het initiatief draagt.",
    "We spraken met {P}, die al twintig jaar in de wijk woont.",
    "Het eerste gesprek vond plaats bij {P} thuis, aan de keukentafel.",
    "{F} vindt het lastig dat besluiten zo lang op zich laten wachten.",
    "{F} krijgt energie van de bewoners die zelf iets gaan organiseren.",
    "Daarna nam {F} het woord: ‘Ik wil gewoon weten waar ik aan toe ben.’",
    "Het viel ons op hoe vaak {F} de naam van de wijkagent noemde.",
    "{F} en {F2} spreken elkaar inmiddels elke week.",
    "Toen de subsidie werd afgewezen, belde {F} meteen met {F2}.",
    "Ook {S} was bij het gesprek aanwezig en vulde af en toe aan.",
    "{S} heeft de sleutel van het buurthuis en opent elke ochtend de deur.",
    "Volgens {S} wordt er te weinig geluisterd naar de oudere bewoners.",
    "De brief werd ondertekend door {I}, namens de bewonerscommissie.",
    "Het verzoek kwam binnen via {I} van de huurdersvereniging.",
    "De {ROLE} {P} kwam onverwacht langs en bleef de hele middag.",
    "Er is contact gelegd met {ROLE} {P} over de openingstijden.",
    "Ze hoorde het pas later van {P}, die het in de krant had gelezen.",
    "Na afloop gaf {F} aan dat het gesprek haar goed had gedaan.",
    "{F}: ‘Als we het niet zelf doen, gebeurt er niets.’",
    "Samen met {P} wil {F} in het voorjaar een buurtfeest organiseren.",
    "Het plan van {F} om een moestuin aan te leggen kreeg veel steun.",
    "{P} (initiatiefnemer) en {P2} (gemeente) kennen elkaar sinds 2019.",
    "Bij de bewonersavond vroeg {S} of er ook aan parkeren was gedacht.",
    "Het was {F} die voorstelde om de afspraken op papier te zetten.",
    "Buurman {P} helpt elke zaterdag mee met opbouwen.",
    "Via {P} kwam het initiatief in contact met de woningcorporatie.",
    "{P} van de huurdersvereniging was kritisch over de plannen.",
    "Een vaste vrijwilliger, {P}, regelt de planning en de sleutels.",
    "Het idee kwam oorspronkelijk van {P}, een gepensioneerde leraar uit de straat.",
    "{S} van nummer 12 klaagt regelmatig over geluidsoverlast.",
    "Zij noemde ook {P} en {P2} als mensen op wie ze altijd kan rekenen.",
    "Ook de dochter van {S} doet inmiddels mee.",
    "De contacten met {F} lopen vooral via de app.",
    "Volgens de wijkagent heeft {F} veel gezag in de buurt.",
    "Omdat {F} ziek was, nam {F2} de bijeenkomst over.",
    "{S} belde in maart. Daarna sprak {B} met de wethouder.",
    "{S} opende de avond. {B} was blij met de opkomst.",
    "Wethouder {P} kwam ook even kijken. {B} bleef tot het einde.",
]
DATA_SENTENCES = {
    "email": [
        "Wie mee wil doen kan mailen naar {X}.",
        "De uitnodiging werd verstuurd vanaf {X}, het adres van de initiatiefnemer.",
        "Contact via {X} (graag vóór vrijdag).",
        "{F} is bereikbaar op {X}.",
    ],
    "phone": [
        "Zij is overdag bereikbaar op {X}.",
        "Bij vragen kunnen bewoners bellen met {X}, ook in het weekend.",
        "Het telefoonnummer van {F} ({X}) staat op de flyer.",
        "Tel.: {X}",
        "Bel {X} als de sleutel kwijt is.",
    ],
    "address": [
        "De bijeenkomst was bij {F} thuis op de {X}.",
        "Het materiaal ligt opgeslagen in de garage aan de {X}.",
        "Post kan naar {X}.",
        "\nAdres: {X}. Het eerste bezoek was op 12 juni.",
        "De eerste bijeenkomsten vonden plaats op {X}, in de woonkamer van {F}.",
    ],
    "postcode": [
        "Het pakket voor {F} ging per ongeluk naar postcode {X}, huisnummer 8.",
        "{F} verhuist in juni naar {X} en blijft daarna op afstand betrokken.",
    ],
    "bsn": [
        "In de aanvraag stond per ongeluk het BSN van {F} vermeld ({X}).",
        "Op het formulier moest een burgerservicenummer worden ingevuld: {X}.",
        "De wijkconsulent noteerde BSN {X} in het dossier.",
        "Het sofinummer {X} werd door de aanvrager zelf op de bijlage gezet.",
    ],
    "iban": [
        "Donaties zijn welkom op rekening {X} t.n.v. de bewonersgroep.",
        "De bijdrage wordt overgemaakt naar {X}.",
        "{F} gebruikt haar eigen rekening ({X}) voor de boodschappen van het taalcafé.",
        "Het rekeningnummer {X} staat op de flyer.",
    ],
    "url": [
        "Foto's van de dag staan op {X}.",
        "{F} houdt bij wat er gebeurt op {X}.",
    ],
    "birthdate": [
        "{F} (geboren op {X}) woont al sinds haar jeugd in de buurt.",
        "Op het aanmeldformulier stond: geb. {X}.",
        "Geboortedatum: {X}",
    ],
}
# Sentences with look-alikes that must stay as they are (no planted item).
DISTRACTORS = [
    "De Wijk is de afgelopen jaren flink veranderd.",
    "Gemeente en bewoners trekken samen op in de Buurt.",
    "Wijk en Buurt zijn in dit verslag vaak hetzelfde.",
    "Het plan ligt nu bij Ruimtelijke Ordening, daarna gaat het naar Vergunningen.",
    "De afdeling Openbare Ruimte stuurde een reactie, net als Zorg en Welzijn.",
    "De bijeenkomst is in buurthuis De Linde, naast de bibliotheek.",
    "Zon en wind bepalen of de markt buiten kan.",
    "De Zon scheen, en er kwamen meer mensen dan verwacht.",
    "De bakker aan de Dorpsstraat levert elke week gratis brood.",
    "Bakker en slager doen allebei mee aan de actie.",
    "Een visser uit het dorp vertelde over de oude haven.",
    "Visser of boer, iedereen is welkom in de buurtkamer.",
    "De bewoners van de Kerkstraat en het Julianaplein zijn het meest betrokken.",
    "Maart was een drukke maand; in April kwam de vergunning.",
    "In Mei volgt het tweede bezoek.",
    "Het Sociaal Domein en het team Wonen zitten sinds kort samen aan tafel.",
    "Woonveste heeft het huurcontract met een jaar verlengd.",
    "Meer informatie staat op www.dalwijk.nl en op https://www.woonveste.nl/huurders.",
    "De subsidie bedroeg € 2.500, uit te keren voor 1 juli 2024.",
    "Op 14 maart 2023 was het eerste bezoek, om 19.30 uur.",
    "Er kwamen 120 bezoekers op de open dag in 2023.",
    "Het Rode Kruis en de Voedselbank leveren vrijwilligers.",
    "De Stichting Buurtwerk Noord ondersteunt het initiatief.",
    "In het Huis van de Wijk is elke dinsdag een inloopspreekuur.",
    "Zowel de Omgevingswet als de APV spelen een rol.",
    "Het college en de Raad moeten nog een besluit nemen.",
    "Bij de Hoge Raad loopt geen procedure.",
    "De Groene Lindestraat is smal en heeft weinig bomen.",
    "Samen Praten is de naam van het taalcafé.",
    "Het Lindenkwartier grenst aan Bergen op Zoom.",
    "De boodschappen komen van de Albert Heijn op de hoek.",
    "Het Prins Bernhard Cultuurfonds gaf een kleine bijdrage.",
    "De Marie Curieschool stelt haar gymzaal beschikbaar.",
    "Met de Kamer van Koophandel is nog geen contact geweest.",
    "Stichting Vrienden van de Linde beheert de tuin.",
    "Het Van Gogh Museum organiseerde een uitje voor de vrijwilligers.",
    "De route loopt langs de Jan Steenstraat en de Johan de Wittlaan.",
    "De Visser & Zn. levert de vis voor het buurtfeest.",
    "Op Koningsdag staat de buurtkamer vol.",
    "De wijkagent, de huisarts en de Bakker van de Markt kennen iedereen.",
    "In de Lindestraat wonen veel gezinnen; op het Merelplein vooral ouderen.",
    "Het Jeugdfonds Sport & Cultuur betaalt de contributie.",
    "Het team Ruimtelijke Ordening en het team Wonen zitten in hetzelfde gebouw.",
]
QUESTIONS = [
    "Hoe is het initiatief ontstaan?",
    "Hoe verloopt de samenwerking?",
    "Waar krijgen jullie energie van?",
    "Wat slurpt energie?",
    "Wat lijkt je lastig in het werk van de ander?",
    "Waar heb je bewondering voor?",
    "Afspraken",
]


def _initials(p: Person, rng: random.Random) -> str:
    first = p.first.split("-")[0]
    if rng.random() < 0.2:
        return f"{first[0]}.{rng.choice('JMPHW')}. {p.surname}"
    return f"{first[0]}. {p.surname}"


def _titled(p: Person, rng: random.Random) -> str:
    return rng.choice(TITLES_F if p.female else TITLES_M)


def _fill(
    template: str,
    kind: str | None,
    people: Sequence[Person],
    rng: random.Random,
) -> dict[str, tuple[str, str | None]]:
    values: dict[str, tuple[str, str | None]] = {}
    pool = list(people)
    rng.shuffle(pool)

    def take() -> Person:
        return pool.pop() if pool else rng.choice(people)

    named: list[Person] = []  # the person of {S}, else of {P}: {B} repeats their surname
    for slot in ("P", "P2"):
        if "{" + slot + "}" in template:
            named.append(take())
            values[slot] = (named[-1].full, "person")
    for slot in ("F", "F2"):
        if "{" + slot + "}" in template:
            # the first name alone: of someone in the metadata block or named before
            p = take()
            values[slot] = (p.first, "person")
    if "{S}" in template:
        p = take()
        named.insert(0, p)
        values["S"] = (p.bare_surname, "person")
        values["_T"] = (_titled(p, rng), None)  # written before the surname, not planted
    if "{B}" in template:
        values["B"] = (named[0].bare_surname, "person")
    if "{I}" in template:
        values["I"] = (_initials(take(), rng), "person")
    if "{ROLE}" in template:
        values["ROLE"] = (rng.choice(ROLES), None)
    if kind in DATA_SENTENCES:
        p = rng.choice(people)
        if kind == "email":
            values["X"] = (make_email(p, rng), "email")
        elif kind == "phone":
            values["X"] = (make_phone(rng), "phone")
        elif kind == "postcode":
            values["X"] = (make_postcode(rng), "postcode")
        elif kind == "bsn":
            values["X"] = (format_bsn(make_bsn(rng), rng), "bsn")
        elif kind == "iban":
            values["X"] = (format_iban(make_iban(rng), rng), "iban")
        elif kind == "url":
            values["X"] = (make_url(p, rng), "url")
        elif kind == "birthdate":
            day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1935, 2005)
            text = rng.choice(
                [
                    f"{day} {MONTHS_L[month - 1]} {year}",
                    f"{day:02d}-{month:02d}-{year}",
                    f"{year}-{month:02d}-{day:02d}",  # ISO 8601
                ]
            )
            values["X"] = (text, "birthdate")
    return values


# The address slot gets street + optional postcode + place, planted as two items.
def _address_parts(rng: random.Random) -> list[tuple[str, str | None]]:
    parts: list[tuple[str, str | None]] = [(make_street(rng), "address")]
    if rng.random() < 0.85:
        parts.append((rng.choice([", ", " "]), None))
        parts.append((make_postcode(rng), "postcode"))
        parts.append((" " + rng.choice(PLACES), None))
    return parts


def _write_template(
    w: _Writer, template: str, values: dict[str, tuple[str, str | None]], rng: random.Random
) -> None:
    for piece in re.split(r"(\{\w+\})", template):
        if not (piece.startswith("{") and piece.endswith("}")):
            w.add(piece)
            continue
        slot = piece[1:-1]
        if slot == "S" and "_T" in values:
            w.add(values["_T"][0] + " ")
        if slot == "X" and values["X"][1] == "address":
            for text, kind in _address_parts(rng):
                w.plant(text, kind) if kind else w.add(text)
            continue
        text, kind = values[slot]
        w.plant(text, kind) if kind else w.add(text)


def generate_corpus(
    n_reports: int = 80, seed: int = 0, free_form: float = 0.3
) -> list[CorpusReport]:
    """``n_reports`` reports, in pairs: first and second visit to one initiative.

    ``free_form``: the share of reports without a metadata block naming people.
    """
    rng = random.Random(seed)
    reports = []
    for n in range(n_reports // 2):
        # two in the research duo, two partners, and one to three people named only in the text
        cast = [make_person(rng) for _ in range(rng.randint(5, 7))]
        initiative = rng.choice(INITIATIVES)
        for visit in (1, 2):
            rid = f"r{n:03d}_{visit}"
            reports.append(_report(rid, visit, initiative, cast, rng, free_form))
    return reports


def _report(
    rid: str,
    visit: int,
    initiative: str,
    cast: Sequence[Person],
    rng: random.Random,
    free_form_share: float,
) -> CorpusReport:
    duo, partners = cast[:2], cast[2:4]
    w = _Writer()
    day = rng.randint(1, 28)
    w.add(
        f"Initiatief: {initiative}\nBezoek: {visit}/2\nDatum: {day} {rng.choice(MONTHS_L)} 2023\n"
    )
    free_form = rng.random() < free_form_share  # no metadata block about people
    if not free_form:
        w.add("Onderzoeksduo: ")
        w.plant(duo[0].full, "person")
        w.add(rng.choice([" (gemeente) en ", " en ", " & "]))
        w.plant(duo[1].full, "person")
        w.add(rng.choice(["\n", " (initiatiefnemer)\n"]))
    if partners and not free_form and rng.random() < 0.75:
        w.add("Gesprekspartners: ")
        for k, p in enumerate(partners):
            if k:
                w.add(rng.choice([", ", " en "]))
            w.plant(p.full, "person")
            if rng.random() < 0.4:
                w.add(f" ({rng.choice(['initiatiefnemer', 'gebiedsmanager', 'gemeente'])})")
        w.add("\n")
    people = list(cast)
    if rng.random() < 0.5:
        p = rng.choice(people)
        w.add("Contactpersoon: ")
        w.plant(_initials(p, rng) if rng.random() < 0.5 else p.full, "person")
        w.add(", tel. ")
        w.plant(make_phone(rng), "phone")
        w.add("\n")
    w.add("\n")
    sentences: list[tuple[str, str | None]] = []
    for _ in range(rng.randint(6, 9)):
        sentences.append((rng.choice(PERSON_SENTENCES), None))
    for kind, templates in DATA_SENTENCES.items():
        count = {"url": 0.6, "birthdate": 0.6, "postcode": 0.4}.get(kind, 1.6)
        for _ in range(int(count) + (rng.random() < count - int(count))):
            sentences.append((rng.choice(templates), kind))
    for _ in range(rng.randint(3, 5)):
        sentences.append((rng.choice(DISTRACTORS), None))
    rng.shuffle(sentences)
    questions = iter(rng.sample(QUESTIONS, len(QUESTIONS)))
    for k, (template, kind) in enumerate(sentences):
        if k % 4 == 0:
            w.add(("\n" if k else "") + next(questions, "Overig") + "\n")
        values = _fill(template, kind, people, rng)
        if kind == "address":
            values["X"] = ("", "address")
        _write_template(w, template, values, rng)
        ends_line = template.rstrip()[-1] not in ".?!’"
        w.add("\n" if ends_line or rng.random() < 0.3 else " ")
    return CorpusReport(rid, w.text(), w.items)


def write_jsonl(reports: Iterable[CorpusReport], path: str | Path) -> None:
    """One JSON object per report: id, text, items (start, end, kind, text)."""
    with open(path, "w", encoding="utf-8") as fh:
        for r in reports:
            items = [vars(i) for i in r.items]
            fh.write(json.dumps({"id": r.id, "text": r.text, "items": items}, ensure_ascii=False))
            fh.write("\n")


# ----------------------------------------------------------------------------- output checks


def planted_strings(planted: Mapping[str, Sequence[str]]) -> list[str]:
    """Every planted string of a PLANTED.json-like mapping (kind → list of strings)."""
    return [s for values in planted.values() for s in values if isinstance(s, str) and s.strip()]


def find_planted(text: str, planted: Mapping[str, Sequence[str]]) -> list[str]:
    """Planted strings that occur in ``text`` as whole words (also with spaces normalised)."""
    flat = " ".join(text.split())
    digits = re.sub(r"\D", "", text)
    found = []
    for item in planted_strings(planted):
        pat = r"(?<!\w)" + re.escape(" ".join(item.split())) + r"(?!\w)"
        if re.search(pat, flat):
            found.append(item)
            continue
        item_digits = re.sub(r"\D", "", item)
        if len(item_digits) >= 9 and not re.search(r"[A-Za-z]", item) and item_digits in digits:
            found.append(item)  # a phone number or BSN written differently
    return found


def assert_no_planted(paths: Iterable[str | Path], planted: Mapping[str, Sequence[str]]) -> None:
    """Fail when any planted item occurs in any of the files (text read as UTF-8, or bytes).

    Folders are searched recursively. Binary files (docx, xlsx, pdf) are checked on their raw
    bytes and, for zip containers, on every member, so compressed XML is checked too.
    """
    import zipfile

    leaks: list[str] = []
    files: list[Path] = []
    for path in map(Path, paths):
        files += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        texts = []
        if zipfile.is_zipfile(file):
            with zipfile.ZipFile(file) as zf:
                for name in zf.namelist():
                    raw = zf.read(name).decode("utf-8", "ignore")
                    texts.append(re.sub(r"<[^>]+>", "", raw))
        else:
            texts.append(file.read_bytes().decode("utf-8", "ignore"))
        for text in texts:
            leaks += [f"{file}: {item!r}" for item in find_planted(text, planted)]
    assert not leaks, "personal data left in the outputs:\n" + "\n".join(leaks)


# ----------------------------------------------------------------------------- scoring

#: Detection kinds that count as finding a planted item of a kind.
COMPATIBLE = {
    "person": {"person"},
    "email": {"email"},
    "phone": {"phone"},
    "address": {"address"},
    "postcode": {"postcode", "address"},
    "bsn": {"bsn"},
    "iban": {"iban"},
    "url": {"url"},
    "birthdate": {"birthdate"},
}


def score(
    reports: Sequence[CorpusReport], detections: Mapping[str, Sequence[tuple[int, int, str]]]
) -> dict[str, dict[str, float]]:
    """Recall per planted kind and precision per detected kind.

    A planted item is found when detections of a compatible kind cover all its non-space
    characters. A detection is correct when it overlaps some planted item.
    """
    found: dict[str, list[int]] = {k: [0, 0] for k in COMPATIBLE}
    correct: dict[str, list[int]] = {k: [0, 0] for k in COMPATIBLE}
    for r in reports:
        dets = detections[r.id]
        for item in r.items:
            ok = COMPATIBLE[item.kind]
            covered = set()
            for s, e, k in dets:
                if k in ok and s < item.end and e > item.start:
                    covered.update(range(max(s, item.start), min(e, item.end)))
            need = {i for i in range(item.start, item.end) if not r.text[i].isspace()}
            found[item.kind][0] += need <= covered
            found[item.kind][1] += 1
        for s, e, k in dets:
            hit = any(s < i.end and e > i.start for i in r.items)
            correct[k][0] += hit
            correct[k][1] += 1
    out: dict[str, dict[str, float]] = {}
    for kind in COMPATIBLE:
        n_items, n_dets = found[kind][1], correct[kind][1]
        out[kind] = {
            "items": n_items,
            "recall": found[kind][0] / n_items if n_items else float("nan"),
            "detections": n_dets,
            "precision": correct[kind][0] / n_dets if n_dets else float("nan"),
        }
    return out


def missed(
    reports: Sequence[CorpusReport],
    detections: Mapping[str, Sequence[tuple[int, int, str]]],
    kind: str,
) -> list[tuple[str, str]]:
    """(item text, context) of planted items of ``kind`` that were not fully found."""
    out = []
    for r in reports:
        for item in r.items:
            if item.kind != kind:
                continue
            covered = set()
            for s, e, k in detections[r.id]:
                if k in COMPATIBLE[kind]:
                    covered.update(range(s, e))
            need = {i for i in range(item.start, item.end) if not r.text[i].isspace()}
            if not need <= covered:
                out.append((item.text, r.text[max(0, item.start - 40) : item.end + 30]))
    return out


def false_positives(
    reports: Sequence[CorpusReport], detections: Mapping[str, Sequence[tuple[int, int, str]]]
) -> list[tuple[str, str, str]]:
    """(kind, detected text, context) of detections that overlap no planted item."""
    out = []
    for r in reports:
        for s, e, k in detections[r.id]:
            if not any(s < i.end and e > i.start for i in r.items):
                out.append((k, r.text[s:e], r.text[max(0, s - 40) : e + 30]))
    return out


def is_heldout(name: str) -> bool:
    """Whether a planted name uses a first name or surname outside the package's lists."""
    words = set(re.findall(r"[^\W\d_][\w'’-]*", name))
    heldout = set(HELDOUT_FIRST) | set(HELDOUT_SURNAMES)
    heldout |= {s.split()[-1] for s in HELDOUT_TV_SURNAMES}
    return bool(words & heldout)
