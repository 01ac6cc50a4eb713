"""Analyst edits of themes as data, replayed after every refit: a pure function, no I/O.

Edits name anecdotes by id and themes by a *reference* that survives a refit renumbering the
themes: a label (``"vertrouwen"``), or ``{"label": ..., "anecdote_ids": [...]}`` — the theme
holding most of those anecdotes when the label is gone. :func:`theme_ref` builds one.

Actions and their payloads (scope ``"themes"`` in the project store):

- ``rename``: ``{"theme": ref, "label": new}``
- ``merge``: ``{"themes": [ref, ref, ...], "label": optional}`` — into the first
- ``split``: ``{"theme": ref, "anecdote_ids": [...], "label": optional}`` — those leave
- ``move``: ``{"anecdote_id": id, "theme": ref}`` (or ``"anecdote_ids"``)
- ``delete``: ``{"theme": ref}`` — its anecdotes become outliers (theme ``-1``)

:func:`check_theme_edit` checks an edit's shape when it is stored (unknown action or key,
missing or empty value, a theme named twice in a merge); what depends on the themes of a run
(a theme or anecdote that is gone, a split taking every anecdote) is checked when replayed.

>>> themes = [Theme(0, "geld", ("subsidie",), ("a", "b")), Theme(1, "regels", (), ("c",))]
>>> assign = {"a": 0, "b": 0, "c": 1}
>>> edits = [{"action": "rename", "payload": {"theme": "geld", "label": "subsidie"}},
...          {"action": "move", "payload": {"anecdote_id": "b", "theme": "regels"}},
...          {"action": "delete", "payload": {"theme": "onbekend"}}]
>>> assign, themes, failed = apply_theme_edits(assign, themes, edits)
>>> assign, [(t.label, t.anecdote_ids) for t in themes]
({'a': 0, 'b': 1, 'c': 1}, [('subsidie', ('a',)), ('regels', ('c', 'b'))])
>>> failed[0]["reason"]
"no theme matches 'onbekend'"
"""

from __future__ import annotations

import difflib
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from ..model import Theme

__all__ = ["THEME_ACTIONS", "apply_theme_edits", "check_theme_edit", "edit_problem", "theme_ref"]

THEME_ACTIONS: tuple[str, ...] = ("rename", "merge", "split", "move", "delete")

#: Per action: the payload keys it needs, and those it may have.
_KEYS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "rename": (frozenset({"theme", "label"}), frozenset()),
    "merge": (frozenset({"themes"}), frozenset({"label"})),
    "split": (frozenset({"theme", "anecdote_ids"}), frozenset({"label"})),
    "move": (frozenset({"theme"}), frozenset({"anecdote_id", "anecdote_ids"})),
    "delete": (frozenset({"theme"}), frozenset()),
}
#: How each action is written, for error messages.
THEME_EDIT_USAGE: dict[str, str] = {
    "rename": 'rename: theme=<theme>, label="new label"',
    "merge": 'merge: themes=[<theme>, <theme>, ...], optional label="..." (into the first)',
    "split": 'split: theme=<theme>, anecdote_ids=["...", ...], optional label="..."',
    "move": 'move: anecdote_id="..." or anecdote_ids=["...", ...], theme=<theme>',
    "delete": "delete: theme=<theme>",
}
_REF = (
    'a label ("geld"), a theme id (3) or theme_ref(theme) ({"label": ..., "anecdote_ids": [...]})'
)


def _ref_problem(ref: Any, key: str) -> str | None:
    if isinstance(ref, str):
        return None if ref.strip() else f"{key} is an empty label"
    if isinstance(ref, int) and not isinstance(ref, bool):
        return None
    if isinstance(ref, Mapping):
        unknown = sorted(set(ref) - {"label", "anecdote_ids"})
        if unknown:
            return f"{key} has unknown key(s) {', '.join(map(repr, unknown))}"
        label, ids = ref.get("label"), ref.get("anecdote_ids")
        if label is not None and (not isinstance(label, str) or not label.strip()):
            return f"{key}'s label must be a non-empty text"
        if ids is not None and _ids_problem(ids, f"{key}'s anecdote_ids"):
            return _ids_problem(ids, f"{key}'s anecdote_ids")
        if label is None and not ids:
            return f"{key} names no label and no anecdotes"
        return None
    return f"{key} must be {_REF}, not {ref!r}"


def _ids_problem(ids: Any, key: str) -> str | None:
    if isinstance(ids, str | bytes) or not isinstance(ids, Sequence):
        return f"{key} must be a list of anecdote ids, not {ids!r}"
    if not ids:
        return f"{key} is empty"
    if not all(isinstance(a, str | int) and not isinstance(a, bool) and str(a) for a in ids):
        return f"{key} must hold anecdote ids (texts)"
    return None


def edit_problem(action: str, payload: Mapping[str, Any]) -> str | None:
    """What is wrong with the shape of a theme edit, or None when it is well formed.

    >>> edit_problem("merge", {"themse": ["geld", "regels"]})
    "unknown key 'themse' (did you mean 'themes'?); missing key 'themes'"
    >>> edit_problem("merge", {"themes": ["geld", "geld"]}), edit_problem("delete", {"theme": 2})
    ("themes names 'geld' twice: a merge needs different themes", None)
    """
    if action not in _KEYS:
        close = difflib.get_close_matches(str(action), THEME_ACTIONS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"unknown action {action!r}{hint}: use one of {', '.join(THEME_ACTIONS)}"
    if not isinstance(payload, Mapping):
        return f"the payload must be a mapping of keys to values, not {payload!r}"
    need, may = _KEYS[action]
    problems = []
    for key in sorted(set(payload) - need - may):
        close = difflib.get_close_matches(key, sorted(need | may), n=1)
        problems.append(
            f"unknown key {key!r}" + (f" (did you mean {close[0]!r}?)" if close else "")
        )
    problems += [f"missing key {key!r}" for key in sorted(need - set(payload))]
    if problems:
        return "; ".join(problems)
    if "theme" in payload:
        problem = _ref_problem(payload["theme"], "theme")
        if problem:
            return problem
    label = payload.get("label")
    if (action == "rename" or label is not None) and (
        not isinstance(label, str) or not label.strip()
    ):
        return "label must be a non-empty text"
    if action == "merge":
        refs = payload["themes"]
        if isinstance(refs, str | bytes | Mapping) or not isinstance(refs, Sequence):
            return f"themes must be a list of themes, not {refs!r}"
        if len(refs) < 2:
            return "a merge needs at least two themes"
        seen: set[str] = set()
        for ref in refs:
            problem = _ref_problem(ref, "each of themes")
            if problem:
                return problem
            key = json.dumps(ref, sort_keys=True, ensure_ascii=False)
            if key in seen:
                return f"themes names {ref!r} twice: a merge needs different themes"
            seen.add(key)
    if action == "split":
        return _ids_problem(payload["anecdote_ids"], "anecdote_ids")
    if action == "move":
        given = [k for k in ("anecdote_id", "anecdote_ids") if payload.get(k) is not None]
        if len(given) != 1:
            return "give either anecdote_id or anecdote_ids (one of them)"
        if given == ["anecdote_id"]:
            return _ids_problem([payload["anecdote_id"]], "anecdote_id")
        return _ids_problem(payload["anecdote_ids"], "anecdote_ids")
    return None


def check_theme_edit(action: str, payload: Mapping[str, Any]) -> None:
    """Raise :class:`~reportanalysis.errors.ConfigError` saying what is wrong with a theme
    edit's shape and how the action is written; nothing when it is well formed.

    >>> from reportanalysis.errors import ConfigError
    >>> try:
    ...     check_theme_edit("rename", {"theme": "geld"})
    ... except ConfigError as exc:
    ...     print(exc)
    theme edit 'rename': missing key 'label'; expected rename: theme=<theme>, label="new label"
    """
    from ..errors import ConfigError

    problem = edit_problem(action, payload)
    if problem is None:
        return
    usage = THEME_EDIT_USAGE.get(action)
    expected = f"; expected {usage}" if usage else ""
    raise ConfigError(f"theme edit {action!r}: {problem}{expected}")


def theme_ref(theme: Theme) -> dict[str, Any]:
    """A reference to ``theme`` that survives a refit: its label and representative anecdotes."""
    return {
        "label": theme.label,
        "anecdote_ids": list(theme.representative_ids or theme.anecdote_ids[:3]),
    }


class _EditError(Exception):
    pass


class _State:
    def __init__(self, assignments: Mapping[str, int], themes: Sequence[Theme]) -> None:
        self.assign = {str(k): int(v) for k, v in assignments.items()}
        self.labels = {t.id: t.label for t in themes}
        self.keywords = {t.id: t.keywords for t in themes}
        self.reps = {t.id: t.representative_ids for t in themes}
        self.order = {t.id: list(t.anecdote_ids) for t in themes}

    def resolve(self, ref: Any) -> int:
        if isinstance(ref, bool):
            raise _EditError(f"not a theme reference: {ref!r}")
        if isinstance(ref, int):
            if ref in self.labels:
                return ref
            raise _EditError(f"no theme with id {ref}")
        label: Any = ref
        anecdotes: Sequence[str] = ()
        if isinstance(ref, Mapping):
            label = ref.get("label")
            anecdotes = [str(a) for a in ref.get("anecdote_ids") or ()]
        if label is not None:
            matches = [t for t, lab in self.labels.items() if lab == label]
            if matches:
                return matches[0]
        held = Counter(self.assign[a] for a in anecdotes if a in self.assign)
        held.pop(-1, None)
        if held:
            tid, count = held.most_common(1)[0]
            if count * 2 > len(anecdotes):
                return tid
        raise _EditError(f"no theme matches {label if label is not None else ref!r}")

    def new_id(self) -> int:
        return max([*self.labels, -1]) + 1

    def unique(self, label: str, own: int | None = None) -> str:
        taken = {lab for t, lab in self.labels.items() if t != own}
        if label in taken:
            raise _EditError(f"another theme is already called {label!r}")
        return label


def _anecdotes(payload: Mapping[str, Any], state: _State) -> list[str]:
    ids = payload.get("anecdote_ids")
    if ids is None and payload.get("anecdote_id") is not None:
        ids = [payload["anecdote_id"]]
    ids = [str(a) for a in ids or ()]
    if not ids:
        raise _EditError("no anecdote ids given")
    missing = [a for a in ids if a not in state.assign]
    if missing:
        raise _EditError(f"unknown anecdote(s): {', '.join(missing)}")
    return ids


def _apply(state: _State, action: str, p: Mapping[str, Any]) -> None:
    problem = edit_problem(action, p)  # edits stored before they were checked
    if problem:
        raise _EditError(problem)
    if action == "rename":
        tid = state.resolve(p.get("theme"))
        label = str(p.get("label") or "").strip()
        if not label:
            raise _EditError("rename needs a new label")
        state.labels[tid] = state.unique(label, own=tid)
    elif action == "merge":
        refs = list(p.get("themes") or ())
        if len(refs) < 2:
            raise _EditError("merge needs at least two themes")
        tids = list(dict.fromkeys(state.resolve(r) for r in refs))
        if len(tids) < 2:
            raise _EditError(f"the themes to merge are all theme {state.labels[tids[0]]!r}")
        into = tids[0]
        for tid in tids[1:]:
            for a, t in state.assign.items():
                if t == tid:
                    state.assign[a] = into
            state.keywords[into] = tuple(dict.fromkeys(state.keywords[into] + state.keywords[tid]))
            state.order[into] += state.order[tid]
            for d in (state.labels, state.keywords, state.reps, state.order):
                d.pop(tid, None)
        if p.get("label"):
            state.labels[into] = state.unique(str(p["label"]), own=into)
    elif action == "split":
        tid = state.resolve(p.get("theme"))
        ids = _anecdotes(p, state)
        outside = [a for a in ids if state.assign[a] != tid]
        if outside:
            raise _EditError(f"not in theme {state.labels[tid]!r}: {', '.join(outside)}")
        if set(ids) >= {a for a, t in state.assign.items() if t == tid}:
            raise _EditError(
                f"the split takes every anecdote of {state.labels[tid]!r}: rename it instead"
            )
        new = state.new_id()
        label = str(p.get("label") or f"{state.labels[tid]} (deel 2)")
        state.labels[new] = state.unique(label)
        state.keywords[new], state.reps[new], state.order[new] = (), (), list(ids)
        for a in ids:
            state.assign[a] = new
    elif action == "move":
        ids = _anecdotes(p, state)
        tid = state.resolve(p.get("theme"))
        for a in ids:
            state.assign[a] = tid
            state.order[tid].append(a)
    elif action == "delete":
        tid = state.resolve(p.get("theme"))
        for a, t in state.assign.items():
            if t == tid:
                state.assign[a] = -1
        for d in (state.labels, state.keywords, state.reps, state.order):
            d.pop(tid, None)
    else:
        raise _EditError(f"unknown action {action!r}: use one of {', '.join(THEME_ACTIONS)}")


def apply_theme_edits(
    assignments: Mapping[str, int],
    themes: Sequence[Theme],
    edits: Sequence[Mapping[str, Any]],
) -> tuple[dict[str, int], list[Theme], list[dict[str, Any]]]:
    """Replay ``edits`` (oldest first) on theme ``assignments`` (anecdote id → theme id).

    Each edit is ``{"action": ..., "payload": {...}}`` (as :meth:`Project.edits` returns them)
    or a flat ``{"action": ..., **payload}``. An edit that no longer applies (its theme or
    anecdote is gone) is skipped and returned in ``failed`` with a ``reason``; the others still
    apply. Themes left without anecdotes disappear; keywords of merged themes are pooled.
    """
    state = _State(assignments, themes)
    failed: list[dict[str, Any]] = []
    for edit in edits:
        action = str(edit.get("action", ""))
        payload = edit.get("payload")
        if payload is None:
            payload = {k: v for k, v in edit.items() if k not in ("action", "id", "scope", "time")}
        try:
            _apply(state, action, payload)
        except _EditError as exc:
            failed.append({**dict(edit), "reason": str(exc)})
    members: dict[int, list[str]] = {t: [] for t in state.labels}
    for tid in state.labels:
        seen = set()
        for a in state.order.get(tid, []):
            if state.assign.get(a) == tid and a not in seen:
                members[tid].append(a)
                seen.add(a)
    for a, t in state.assign.items():  # anecdotes a theme did not list before
        if t in members and a not in members[t]:
            members[t].append(a)
    out = []
    for tid in sorted(state.labels):
        if not members[tid]:
            continue
        reps = tuple(a for a in state.reps.get(tid, ()) if state.assign.get(a) == tid)
        out.append(
            Theme(
                id=tid,
                label=state.labels[tid],
                keywords=state.keywords.get(tid, ()),
                anecdote_ids=tuple(members[tid]),
                representative_ids=reps or tuple(members[tid][:3]),
            )
        )
    return dict(state.assign), out, failed
