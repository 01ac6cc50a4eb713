"""Pseudonymisation of personal data in Dutch reports (AVG).

Detects e-mail addresses, Dutch phone numbers, addresses and postcodes, BSN (elfproef), IBAN
(mod 97), personal URLs, dates of birth and person names, and replaces them with consistent
pseudonyms (``[PERSOON 3]``, ``[E-MAIL 1]``) over a whole project. Each report gets a second,
pseudonymised text; :class:`Replacement` records map original offsets onto it, so anecdotes keep
pointing at the source while everything that circulates shows pseudonymised text. The key
(pseudonym → original) is written only by :meth:`Pseudonymiser.write_key`; pass it back
(:func:`read_key`, ``Pseudonymiser(previous_key=...)``) and the pseudonyms stay the same from run
to run.

    >>> from reportanalysis.model import Report
    >>> reports = [Report("a", "a.txt", "txt", "Mevr. Anneke de Roos (06-12345678) opende."),
    ...            Report("b", "b.txt", "txt", "Anneke belde met dhr. Pinas.")]
    >>> ps = Pseudonymiser().fit(reports)
    >>> [ps.transform(r).text for r in reports]
    ['Mevr. [PERSOON 2] ([TELEFOON 1]) opende.', '[PERSOON 2] belde met dhr. [PERSOON 1].']

Name lists (``reportanalysis/data/privacy_*.txt``) were written for this project; the Dutch
word lexicon that tells ordinary words from names comes from spacy-lookups-data.
"""

from __future__ import annotations

from ._files import key_inside, pseudonymise_paths
from ._masking import Masking, privacy_settings, project_masking, pseudonymiser_params, unmap_span
from ._names import NameFinder, load_name_lists
from ._patterns import elfproef, iban_valid
from ._pseudonymiser import (
    KINDS,
    LABELS,
    Pseudonymised,
    Pseudonymiser,
    Replacement,
    detect,
    map_span,
    pseudonymise_frame,
    pseudonymise_rows,
    read_key,
)

__all__ = [
    "KINDS",
    "LABELS",
    "Masking",
    "NameFinder",
    "Pseudonymised",
    "Pseudonymiser",
    "Replacement",
    "detect",
    "elfproef",
    "iban_valid",
    "key_inside",
    "load_name_lists",
    "map_span",
    "privacy_settings",
    "project_masking",
    "pseudonymise_frame",
    "pseudonymise_paths",
    "pseudonymise_rows",
    "pseudonymiser_params",
    "read_key",
    "unmap_span",
]
