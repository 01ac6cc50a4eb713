"""The report as JSON: the structured object, keys sorted, byte-for-byte reproducible."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .structure import Recommendations

__all__ = ["render_json"]


def render_json(recs: Recommendations) -> str:
    """``recs`` as indented JSON with sorted keys (no timestamps unless the settings give one)."""
    return json.dumps(recs.to_dict(), ensure_ascii=False, sort_keys=True, indent=2) + "\n"
