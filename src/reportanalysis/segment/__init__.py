"""Sentences and anecdotes: split reports into the passages analysts label.

- :func:`sentences` — Dutch sentence spans (spaCy's blank Dutch tokenizer + rules);
- :func:`layout` — title, metadata, headings, guide questions, bullets, paragraphs;
- :class:`Splitter` — groups sentences into anecdotes, each with its section and exact offsets;
- :meth:`Splitter.coverage` — per report, its anecdotes and the text they leave out;
- :func:`split_reports`, :func:`split_frame` — the same as functions, the latter as a DataFrame.
"""

from __future__ import annotations

from .boundaries import CONTINUE_CUES, NEW_POINT_CUES, CueWeights
from .sentences import SentenceSplitter, sentences
from .splitter import (
    BACKGROUND_HEADINGS,
    COLLABORATION_TERMS,
    LIST_HEADINGS,
    SPLIT_COLUMNS,
    SplitCoverage,
    Splitter,
    anecdote_rows,
    split_frame,
    split_reports,
)
from .structure import Block, layout

__all__ = [
    "BACKGROUND_HEADINGS",
    "COLLABORATION_TERMS",
    "CONTINUE_CUES",
    "LIST_HEADINGS",
    "NEW_POINT_CUES",
    "SPLIT_COLUMNS",
    "Block",
    "CueWeights",
    "SentenceSplitter",
    "SplitCoverage",
    "Splitter",
    "anecdote_rows",
    "layout",
    "sentences",
    "split_frame",
    "split_reports",
]
