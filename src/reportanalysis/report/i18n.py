"""The fixed text of the report in Dutch (default) and English.

Anecdote text is never translated; only headings, labels and sentences the report adds.

>>> t = strings("en")
>>> t["kind.knelpunt"]
'bottleneck'
>>> strings("nl")["audience.gemeente"]
'gemeente'

A count chooses its noun: ``{n:one|many}`` writes ``one`` when ``n`` is 1, else ``many``::

    >>> strings("nl")["count.succes"].format(n=1), strings("nl")["count.succes"].format(n=3)
    ('1 succes', '3 successen')
    >>> Text("{n} {n:report|reports}").format(n=1)
    '1 report'
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

from ..errors import ConfigError

__all__ = ["LANGUAGES", "Text", "strings"]


class _PluralFormatter(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> Any:
        if "|" in format_spec:
            one, _, many = format_spec.partition("|")
            return one if value == 1 else many
        return super().format_field(value, format_spec)


_FORMATTER = _PluralFormatter()


class Text(str):
    """A fixed string whose :meth:`format` also understands ``{n:one|many}``."""

    __slots__ = ()

    def format(self, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]
        return _FORMATTER.vformat(self, args, kwargs)


_NL: dict[str, str] = {
    "title": "Leren van samenwerking: bevindingen en aanbevelingen",
    "subtitle": "Analyse van bezoekverslagen bij bewonersinitiatieven",
    "toc": "Inhoud",
    "summary": "Samenvatting",
    "summary.text": (
        "Deze rapportage bundelt {anecdotes} {anecdotes:anekdote|anekdotes} uit {reports} "
        "{reports:verslag|verslagen} van {initiatives} {initiatives:initiatief|initiatieven}. "
        "De analyse vond {n_succes} {n_succes:succes|successen}, {n_knelpunt} "
        "{n_knelpunt:knelpunt|knelpunten} en {n_aanknopingspunt} "
        "{n_aanknopingspunt:aanknopingspunt|aanknopingspunten}, verdeeld over {themes} "
        "{themes:thema|thema's}."
    ),
    "summary.top_themes": "De grootste thema's",
    "summary.key_recommendations": "Belangrijkste aanbevelingen",
    "overview": "Overzicht",
    "overview.reports": "Verslagen",
    "overview.initiatives": "Initiatieven",
    "overview.visits": "Bezoeken",
    "overview.anecdotes": "Anekdotes",
    "overview.themes": "Thema's",
    "overview.coders": "Codeurs",
    "overview.labels": "Labels",
    "overview.agreement": "Overeenstemming tussen codeurs",
    "overview.no_agreement": "niet berekend (één codeur of geen dubbel gecodeerde anekdotes)",
    "overview.agreement_summary": "α {alpha} · {percent} gelijk (zie {section})",
    "agreement.text": (
        "Codeurs: {coders}. De eenheid is een anekdote: per code telt of een codeur die code "
        "wel of niet gaf; de eerste rij vergelijkt de hele set codes per anekdote. Cohens κ "
        "alleen bij twee codeurs; Krippendorffs α (nominaal) bij elk aantal."
    ),
    "agreement.all": "Alle codes samen",
    "agreement.units": "Anekdotes",
    "agreement.percent": "Gelijk",
    "agreement.kappa": "Cohens κ",
    "agreement.alpha": "Krippendorffs α",
    "agreement.disagreements": "Verschillen",
    "agreement.pointer": (
        "Bij {n} {n:anekdote|anekdotes} verschillen de codeurs; ze staan per code in de "
        "bijlage ({section}) en op het tabblad '{sheet}' van het Excel-bestand."
    ),
    "agreement.no_disagreements": "De codeurs verschillen bij geen enkele anekdote.",
    "appendix.disagreements": "Verschillen tussen codeurs",
    "col.with_code": "Met code",
    "col.without_code": "Zonder code",
    "sheet.agreement": "overeenstemming",
    "sheet.disagreements": "verschillen",
    "overview.period": "Periode",
    "overview.unknown": "onbekend",
    "overview.not_pseudonymised": (
        "Let op: de tekst in deze rapportage is niet gepseudonimiseerd. "
        "Verspreid haar niet buiten het analyseteam."
    ),
    "charts": "Figuren",
    "chart.practices": "Anekdotes per werkpraktijk en soort",
    "chart.heatmap": "Thema's × werkpraktijken (aantal anekdotes)",
    "chart.kinds": "Soort anekdote per thema",
    "chart.count": "aantal anekdotes",
    "themes": "Thema's",
    "theme.size": "Omvang",
    "theme.size_text": "{size} {size:anekdote|anekdotes} uit {reports} van {n_reports} "
    "{n_reports:verslag|verslagen} ({report_share}) en {initiatives} van {n_initiatives} "
    "{n_initiatives:initiatief|initiatieven} ({initiative_share})",
    "theme.keywords": "Kernwoorden",
    "theme.practices": "Betrokken werkpraktijken",
    "theme.kinds": "Successen, knelpunten en aanknopingspunten",
    "theme.quotes": "Uit de verslagen",
    "theme.recommendations": "Aanbevelingen",
    "theme.no_recommendations": (
        "Geen aanbevelingen: de verslagen bevatten bij dit thema geen knelpunten of "
        "aanknopingspunten."
    ),
    "rec.for": "Aanbeveling voor {audience}",
    "rec.see": "zie",
    "rec.visit": "bezoek {visits}",
    "rec.visits": "bezoeken {visits}",
    "rec.visits.and": " en ",
    "rec.lead.afspraak": "Zet deze afspraak voort en bewaak haar",
    "rec.lead.voorstel": "Neem dit voorstel over",
    "rec.lead.aanknopingspunt": "Bouw hierop voort",
    "rec.lead.knelpunt": "Pak dit knelpunt aan",
    "audience.gemeente": "gemeente",
    "audience.initiatiefnemers": "initiatiefnemers",
    "audience.gemeente.long": "de gemeente",
    "audience.initiatiefnemers.long": "initiatiefnemers",
    "practices": "Werkpraktijken",
    "practice.strengths": "Sterke punten",
    "practice.weak_spots": "Zwakke plekken",
    "practice.none": "Geen voorbeelden.",
    "practice.counts": "{n} {n:anekdote|anekdotes}: {n_succes} {n_succes:succes|successen}, "
    "{n_knelpunt} {n_knelpunt:knelpunt|knelpunten}, {n_aanknopingspunt} "
    "{n_aanknopingspunt:aanknopingspunt|aanknopingspunten}",
    "count.succes": "{n} {n:succes|successen}",
    "count.knelpunt": "{n} {n:knelpunt|knelpunten}",
    "count.aanknopingspunt": "{n} {n:aanknopingspunt|aanknopingspunten}",
    "change": "Verandering tussen eerste en tweede bezoek",
    "change.none": "Er zijn geen verslagen van twee verschillende bezoeken: geen vergelijking.",
    "actions": "Afspraken uit de verslagen",
    "actions.text": (
        "Wat de verslagen onder een eigen kop als ‘Afspraken’ noemen. Het zijn geen anekdotes:"
        " ze tellen niet mee in de thema's, werkpraktijken en soorten. Kijk bij het volgende"
        " bezoek of ze zijn nagekomen."
    ),
    "actions.none": "Geen verslag noemt afspraken onder een eigen kop.",
    "actions.where": "{initiative}, bezoek {visit}",
    "actions.where.novisit": "{initiative}",
    "change.visit": "bezoek {visit}",
    "change.by_practice": "Per werkpraktijk",
    "change.by_kind": "Per soort",
    "change.rose": "Thema's die vaker voorkomen",
    "change.fell": "Thema's die minder vaak voorkomen",
    "change.nothing": "geen",
    "change.category": "Categorie",
    "change.share": "aandeel",
    "change.left_out": (
        "{n} van de {total} anekdotes tellen in deze vergelijking niet mee: hun verslag heeft"
        " geen bezoeknummer (een regel ‘Bezoek: 2’ bovenaan het verslag) of is van een later"
        " bezoek."
    ),
    "appendix": "Bijlage: methode en gegevens",
    "appendix.text": (
        "De verslagen zijn ingelezen, gepseudonimiseerd en in anekdotes opgedeeld. Elke anekdote "
        "is ingedeeld bij een thema, een vitale werkpraktijk (Publieke Bricoleurs) en een soort "
        "(succes, knelpunt of aanknopingspunt). Aanbevelingen zijn letterlijk ontleend aan de "
        "knelpunten, voorstellen en afspraken in de verslagen; elke aanbeveling noemt de "
        "anekdotes waarop zij berust. Verwijzingen als A12 staan in de anekdotelijst hieronder "
        "en in het Excel-bestand."
    ),
    "appendix.text.originals": (
        "De verslagen zijn ingelezen en in anekdotes opgedeeld; de tekst is niet "
        "gepseudonimiseerd. Elke anekdote is ingedeeld bij een thema, een vitale werkpraktijk "
        "(Publieke Bricoleurs) en een soort (succes, knelpunt of aanknopingspunt). Aanbevelingen "
        "zijn letterlijk ontleend aan de knelpunten, voorstellen en afspraken in de verslagen; "
        "elke aanbeveling noemt de anekdotes waarop zij berust. Verwijzingen als A12 staan in de "
        "anekdotelijst hieronder en in het Excel-bestand."
    ),
    "appendix.reports": "Geanalyseerde verslagen",
    "appendix.settings": "Instellingen",
    "appendix.anecdotes": "Anekdotes",
    "col.ref": "Ref.",
    "col.report": "Verslag",
    "col.place": "Plaats",
    "col.initiative": "Initiatief",
    "col.visit": "Bezoek",
    "col.date": "Datum",
    "col.source": "Bron",
    "col.format": "Formaat",
    "col.theme": "Thema",
    "col.practice": "Werkpraktijk",
    "col.secondary_practice": "Tweede werkpraktijk",
    "col.kind": "Soort",
    "col.text": "Tekst",
    "col.section": "Kopje",
    "col.code": "Code",
    "col.name": "Naam",
    "col.definition": "Omschrijving",
    "col.count": "Aantal",
    "col.share": "Aandeel",
    "col.setting": "Instelling",
    "col.value": "Waarde",
    "col.audience": "Voor",
    "col.recommendation": "Aanbeveling",
    "col.sources": "Bronnen",
    "col.keywords": "Kernwoorden",
    "col.size": "Omvang",
    "col.coder": "Codeur",
    "col.anecdote": "Anekdote",
    "col.label_source": "Herkomst",
    "col.confidence": "Zekerheid",
    "col.time": "Tijd",
    "col.total": "Totaal",
    "kind.succes": "succes",
    "kind.knelpunt": "knelpunt",
    "kind.aanknopingspunt": "aanknopingspunt",
    "kinds.succes": "Successen",
    "kinds.knelpunt": "Knelpunten",
    "kinds.aanknopingspunt": "Aanknopingspunten",
    "practice.none_code": "geen werkpraktijk",
    "place.line": "r. {line}",
    "place.chars": "tekens {start}–{end}",
    "sheet.overview": "overzicht",
    "sheet.anecdotes": "anekdotes",
    "sheet.labels": "labels",
    "sheet.themes": "themas",
    "sheet.practices": "werkpraktijken",
    "sheet.recommendations": "aanbevelingen",
    "sheet.theme_practice": "thema x werkpraktijk",
    "sheet.theme_kind": "thema x soort",
    "sheet.change": "bezoek 1 vs 2",
    "sheet.actions": "afspraken",
    "generated": "Opgesteld",
    "footer": "Gemaakt met reportanalysis {version}",
}

_EN: dict[str, str] = {
    "title": "Learning from collaboration: findings and recommendations",
    "subtitle": "Analysis of visit reports on citizens' initiatives",
    "toc": "Contents",
    "summary": "Summary",
    "summary.text": (
        "This report brings together {anecdotes} {anecdotes:anecdote|anecdotes} from {reports} "
        "{reports:report|reports} on {initiatives} {initiatives:initiative|initiatives}: "
        "{n_succes} {n_succes:success|successes}, {n_knelpunt} "
        "{n_knelpunt:bottleneck|bottlenecks} and {n_aanknopingspunt} "
        "{n_aanknopingspunt:point|points} to improve on, across {themes} {themes:theme|themes}."
    ),
    "summary.top_themes": "The largest themes",
    "summary.key_recommendations": "Key recommendations",
    "overview": "Overview",
    "overview.reports": "Reports",
    "overview.initiatives": "Initiatives",
    "overview.visits": "Visits",
    "overview.anecdotes": "Anecdotes",
    "overview.themes": "Themes",
    "overview.coders": "Coders",
    "overview.labels": "Labels",
    "overview.agreement": "Agreement between coders",
    "overview.no_agreement": "not computed (one coder or no anecdotes coded twice)",
    "overview.agreement_summary": "α {alpha} · {percent} agree (see {section})",
    "agreement.text": (
        "Coders: {coders}. The unit is an anecdote: per code, whether a coder gave that code "
        "or not; the first row compares the whole set of codes per anecdote. Cohen's κ only "
        "with two coders; Krippendorff's α (nominal) with any number."
    ),
    "agreement.all": "All codes together",
    "agreement.units": "Anecdotes",
    "agreement.percent": "Agree",
    "agreement.kappa": "Cohen's κ",
    "agreement.alpha": "Krippendorff's α",
    "agreement.disagreements": "Disagreements",
    "agreement.pointer": (
        "The coders differ on {n} {n:anecdote|anecdotes}; they are listed per code in the "
        "appendix ({section}) and on the sheet '{sheet}' of the Excel file."
    ),
    "agreement.no_disagreements": "The coders differ on no anecdote.",
    "appendix.disagreements": "Disagreements between coders",
    "col.with_code": "With code",
    "col.without_code": "Without code",
    "sheet.agreement": "agreement",
    "sheet.disagreements": "disagreements",
    "overview.period": "Period",
    "overview.unknown": "unknown",
    "overview.not_pseudonymised": (
        "Note: the text in this report has not been pseudonymised. "
        "Do not share it outside the analysis team."
    ),
    "charts": "Figures",
    "chart.practices": "Anecdotes per work practice and kind",
    "chart.heatmap": "Themes × work practices (number of anecdotes)",
    "chart.kinds": "Kind of anecdote per theme",
    "chart.count": "number of anecdotes",
    "themes": "Themes",
    "theme.size": "Size",
    "theme.size_text": "{size} {size:anecdote|anecdotes} from {reports} of {n_reports} "
    "{n_reports:report|reports} ({report_share}) and {initiatives} of {n_initiatives} "
    "{n_initiatives:initiative|initiatives} ({initiative_share})",
    "theme.keywords": "Keywords",
    "theme.practices": "Work practices involved",
    "theme.kinds": "Successes, bottlenecks and points to improve on",
    "theme.quotes": "From the reports",
    "theme.recommendations": "Recommendations",
    "theme.no_recommendations": (
        "No recommendations: the reports hold no bottlenecks or points to improve on for "
        "this theme."
    ),
    "rec.for": "Recommendation for {audience}",
    "rec.see": "see",
    "rec.visit": "visit {visits}",
    "rec.visits": "visits {visits}",
    "rec.visits.and": " and ",
    "rec.lead.afspraak": "Keep this agreement and follow it up",
    "rec.lead.voorstel": "Adopt this proposal",
    "rec.lead.aanknopingspunt": "Build on this",
    "rec.lead.knelpunt": "Address this bottleneck",
    "audience.gemeente": "municipality",
    "audience.initiatiefnemers": "initiators",
    "audience.gemeente.long": "the municipality",
    "audience.initiatiefnemers.long": "initiators",
    "practices": "Work practices",
    "practice.strengths": "Strengths",
    "practice.weak_spots": "Weak spots",
    "practice.none": "No examples.",
    "practice.counts": "{n} {n:anecdote|anecdotes}: {n_succes} {n_succes:success|successes}, "
    "{n_knelpunt} {n_knelpunt:bottleneck|bottlenecks}, {n_aanknopingspunt} "
    "{n_aanknopingspunt:point|points} to improve on",
    "count.succes": "{n} {n:success|successes}",
    "count.knelpunt": "{n} {n:bottleneck|bottlenecks}",
    "count.aanknopingspunt": "{n} {n:point|points} to improve on",
    "change": "Change between the first and second visit",
    "change.none": "There are no reports of two different visits: no comparison.",
    "actions": "Agreements in the reports",
    "actions.text": (
        "What the reports list under a heading of their own, such as ‘Afspraken’. These are no"
        " anecdotes: they do not count in the themes, work practices and kinds. Check at the"
        " next visit whether they were kept."
    ),
    "actions.none": "No report lists agreements under a heading of their own.",
    "actions.where": "{initiative}, visit {visit}",
    "actions.where.novisit": "{initiative}",
    "change.visit": "visit {visit}",
    "change.by_practice": "Per work practice",
    "change.by_kind": "Per kind",
    "change.rose": "Themes that became more frequent",
    "change.fell": "Themes that became less frequent",
    "change.nothing": "none",
    "change.category": "Category",
    "change.share": "share",
    "change.left_out": (
        "{n} of the {total} anecdotes are not part of this comparison: their report has no"
        " visit number (a line ‘Visit: 2’ at the top of the report) or is of a later visit."
    ),
    "appendix": "Appendix: method and data",
    "appendix.text": (
        "The reports were read, pseudonymised and split into anecdotes. Each anecdote was "
        "assigned a theme, a vital work practice (Publieke Bricoleurs) and a kind (success, "
        "bottleneck or point to improve on). Recommendations are taken literally from the "
        "bottlenecks, proposals and agreements in the reports; each one names the anecdotes it "
        "rests on. References such as A12 are listed below and in the Excel file."
    ),
    "appendix.text.originals": (
        "The reports were read and split into anecdotes; the text is not pseudonymised. Each "
        "anecdote was assigned a theme, a vital work practice (Publieke Bricoleurs) and a kind "
        "(success, bottleneck or point to improve on). Recommendations are taken literally from "
        "the bottlenecks, proposals and agreements in the reports; each one names the anecdotes "
        "it rests on. References such as A12 are listed below and in the Excel file."
    ),
    "appendix.reports": "Reports analysed",
    "appendix.settings": "Settings",
    "appendix.anecdotes": "Anecdotes",
    "col.ref": "Ref.",
    "col.report": "Report",
    "col.place": "Place",
    "col.initiative": "Initiative",
    "col.visit": "Visit",
    "col.date": "Date",
    "col.source": "Source",
    "col.format": "Format",
    "col.theme": "Theme",
    "col.practice": "Work practice",
    "col.secondary_practice": "Second work practice",
    "col.kind": "Kind",
    "col.text": "Text",
    "col.section": "Heading",
    "col.code": "Code",
    "col.name": "Name",
    "col.definition": "Definition",
    "col.count": "Count",
    "col.share": "Share",
    "col.setting": "Setting",
    "col.value": "Value",
    "col.audience": "For",
    "col.recommendation": "Recommendation",
    "col.sources": "Sources",
    "col.keywords": "Keywords",
    "col.size": "Size",
    "col.coder": "Coder",
    "col.anecdote": "Anecdote",
    "col.label_source": "Source",
    "col.confidence": "Confidence",
    "col.time": "Time",
    "col.total": "Total",
    "kind.succes": "success",
    "kind.knelpunt": "bottleneck",
    "kind.aanknopingspunt": "point to improve on",
    "kinds.succes": "Successes",
    "kinds.knelpunt": "Bottlenecks",
    "kinds.aanknopingspunt": "Points to improve on",
    "practice.none_code": "no work practice",
    "place.line": "l. {line}",
    "place.chars": "chars {start}–{end}",
    "sheet.overview": "overview",
    "sheet.anecdotes": "anecdotes",
    "sheet.labels": "labels",
    "sheet.themes": "themes",
    "sheet.practices": "practices",
    "sheet.recommendations": "recommendations",
    "sheet.theme_practice": "theme x practice",
    "sheet.theme_kind": "theme x kind",
    "sheet.change": "visit 1 vs 2",
    "sheet.actions": "agreements",
    "generated": "Generated",
    "footer": "Made with reportanalysis {version}",
}

#: The built-in framework's practice names in English, by their Dutch name (a framework of the
#: analyst's own keeps its names in every language).
PRACTICE_NAMES: dict[str, Mapping[str, str]] = {
    "en": {
        "Situaties in kaart brengen": "Mapping the situation",
        "Werken aan relaties": "Working on relationships",
        "Werken aan gedragen oplossingen": "Working towards widely supported solutions",
        "Aansluiten van buiten op binnen en omgekeerd": "Connecting outside and inside, both ways",
        "Praktisch ondersteunen": "Practical support",
    }
}

LANGUAGES: dict[str, Mapping[str, str]] = {
    "nl": {k: Text(v) for k, v in _NL.items()},
    "en": {k: Text(v) for k, v in _EN.items()},
}


def strings(language: str) -> Mapping[str, str]:
    """The fixed strings for ``language`` (``"nl"`` or ``"en"``)."""
    try:
        return LANGUAGES[language]
    except KeyError:
        raise ConfigError(
            f"language {language!r} is not available; choose one of {sorted(LANGUAGES)}"
        ) from None
