"""A labelling widget for Jupyter: one anecdote at a time, code buttons, the suggestion and why.

Every click writes straight to the :class:`~reportanalysis.project.Project`. A code button
puts its code on the anecdote and moves on; with "meer codes" ticked it stays, so an anecdote
can get several codes. A button whose code the anecdote already has shows a tick, and clicking
it takes the code off again (kept in the history). Keyboard use: the shortcut box takes
``1``–``9`` (the numbered code buttons), ``a`` (accept the suggestion), ``r`` (reject it),
``n``/``p`` (next/previous), ``s`` (skip), ``m`` (more codes on/off); ipywidgets has no
accesskeys, so focus the box (one Tab from the buttons) and type. The same actions are
methods, so the widget can be driven from code and tested headless::

    w = LabelingWidget(project, codebook, coder="fleur", suggester=LabelSuggester(codebook))
    w  # shows it in a notebook
    w.buttons["regels en vergunningen"].click()   # labels the current anecdote, moves on
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..model import Codebook
from .suggest import LabelSuggester
from .workflow import accept, fit_for_project, reject, update_for_project

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["LabelingWidget"]

_CONTEXT = 300  # characters of report text shown before and after the anecdote


class LabelingWidget:
    """Label a project's anecdotes with a codebook, with suggestions when a suggester is given.

    ``anecdote_ids`` fixes the order (default: the project's order; with a suggester, the
    active-learning order of :meth:`LabelSuggester.next_to_label` first). ``refit_every``:
    retrain the suggester after this many new labels (0: never).
    """

    def __init__(
        self,
        project: Project,
        codebook: Codebook,
        coder: str,
        suggester: LabelSuggester | None = None,
        *,
        anecdote_ids: Sequence[str] | None = None,
        refit_every: int = 1,
    ) -> None:
        import ipywidgets as W

        self.project = project
        self.codebook = codebook
        self.coder = coder
        self.suggester = suggester
        self.refit_every = refit_every
        self._new_labels = 0
        self._corpus_ids: list[str] = []
        if suggester is not None:
            _, self._corpus_ids = fit_for_project(
                project, codebook, suggester=suggester, coder=coder
            )
        if anecdote_ids is None:
            anecdote_ids = [a.id for a in project.anecdotes()]
            if suggester is not None:
                first = [self._corpus_ids[i] for i in suggester.next_to_label(len(anecdote_ids))]
                anecdote_ids = first + [a for a in anecdote_ids if a not in set(first)]
        self.anecdote_ids = list(anecdote_ids)
        self.position = 0
        self.log: list[tuple[str, str, str]] = []  # (action, anecdote_id, code)

        self.header = W.HTML()
        self.text = W.HTML()
        self.suggestion = W.HTML()
        self.buttons: dict[str, Any] = {}
        for n, code in enumerate(codebook, start=1):
            key = f"{n} · " if n <= 9 else ""
            button = W.Button(
                description=f"{key}{code.name}",
                tooltip=code.definition or code.name,
                layout=W.Layout(width="auto"),
            )
            if code.color:
                button.style.button_color = code.color
            button.on_click(lambda _b, c=code.name: self.label_current(c))
            self.buttons[code.name] = button
        self.accept_button = W.Button(description="a · overnemen", button_style="success")
        self.reject_button = W.Button(description="r · afwijzen", button_style="warning")
        self.previous_button = W.Button(description="p · vorige")
        self.next_button = W.Button(description="n · volgende")
        self.skip_button = W.Button(description="s · overslaan")
        self.accept_button.on_click(lambda _b: self.accept_suggestion())
        self.reject_button.on_click(lambda _b: self.reject_suggestion())
        self.previous_button.on_click(lambda _b: self.previous())
        self.next_button.on_click(lambda _b: self.next())
        self.skip_button.on_click(lambda _b: self.skip())
        self.multi = W.Checkbox(value=False, description="m · meer codes", indent=False)
        self.shortcut = W.Text(
            placeholder="sneltoets: 1-9, a, r, n, p, s, m", continuous_update=True
        )
        self.shortcut.observe(self._on_key, names="value")
        self.widget = W.VBox(
            [
                self.header,
                self.text,
                self.suggestion,
                W.HBox([self.accept_button, self.reject_button]),
                W.HBox(list(self.buttons.values()), layout=W.Layout(flex_flow="row wrap")),
                W.HBox(
                    [
                        self.previous_button,
                        self.next_button,
                        self.skip_button,
                        self.multi,
                        self.shortcut,
                    ]
                ),
            ]
        )
        self.show(0)

    # ------------------------------------------------------------------ display

    def _ipython_display_(self) -> None:  # pragma: no cover - needs a notebook front end
        from IPython.display import display

        display(self.widget)

    @property
    def current(self) -> str | None:
        """The id of the anecdote on screen (None when all are done)."""
        if 0 <= self.position < len(self.anecdote_ids):
            return self.anecdote_ids[self.position]
        return None

    def current_suggestion(self) -> tuple[str, float, str] | None:
        """(code, confidence, reason) for the anecdote on screen, if there is a suggester and
        a code left that the coder has not rejected."""
        if self.suggester is None or self.current not in self._corpus_ids:
            return None
        i = self._corpus_ids.index(self.current)
        proba = self.suggester.proba_[i]
        j = int(proba.argmax())
        if proba[j] <= 0:  # every code rejected
            return None
        code = str(self.suggester.classes_[j])
        return code, float(proba[j]), str(self.suggester.explain(i, code))

    def show(self, position: int) -> None:
        """Put the anecdote at ``position`` on screen with its surrounding report text."""
        self.position = max(0, min(position, len(self.anecdote_ids)))
        anecdote_id = self.current
        if anecdote_id is None:
            self.header.value = f"<b>Klaar</b>: alle {len(self.anecdote_ids)} anekdotes gezien."
            self.text.value = ""
            self.suggestion.value = ""
            return
        a = self.project.anecdote(anecdote_id)
        report = self.project.report(a.report_id)
        before = report.text[max(0, a.start - _CONTEXT) : a.start]
        after = report.text[a.end : a.end + _CONTEXT]
        mine = self._codes_on(anecdote_id)
        for code, button in self.buttons.items():
            button.icon = "check" if code in mine else ""
        done = f" — al gelabeld: {html.escape(', '.join(mine))}" if mine else ""
        self.header.value = (
            f"<b>{self.position + 1}/{len(self.anecdote_ids)}</b> · "
            f"{html.escape(a.report_id)} · {html.escape(anecdote_id)}{done}"
        )
        self.text.value = (
            "<div style='white-space:pre-wrap;color:#666'>"
            f"…{html.escape(before)}<span style='color:#000;background:#fff3b0'>"
            f"{html.escape(a.text)}</span>{html.escape(after)}…</div>"
        )
        sug = self.current_suggestion()
        if sug:
            self.suggestion.value = (
                f"Suggestie: <b>{html.escape(sug[0])}</b> ({sug[1]:.0%}) — {html.escape(sug[2])}"
            )
        elif self.suggester is not None and anecdote_id in self._corpus_ids:
            self.suggestion.value = "Geen suggestie meer: u wees alle codes af."
        else:
            self.suggestion.value = ""

    # ------------------------------------------------------------------ actions

    def _codes_on(self, anecdote_id: str) -> list[str]:
        """The codes this coder has put on the anecdote (suggestions not accepted left out)."""
        return [
            lb.code
            for lb in self.project.labels(coder=self.coder)
            if lb.anecdote_id == anecdote_id
            and lb.source not in ("suggested", "suggested-rejected")
        ]

    def label_current(self, code: str) -> None:
        """Put ``code`` on the anecdote on screen (source ``manual``) and move on, or stay
        when "meer codes" is ticked. A code the anecdote already has is taken off again."""
        if self.current is None:
            return
        if code in self._codes_on(self.current):
            self.project.unlabel(self.current, code, coder=self.coder)
            self.log.append(("unlabel", self.current, code))
            self._learned(force=True)
            self.show(self.position)
            return
        self.project.label(self.current, code, coder=self.coder, source="manual")
        self.log.append(("label", self.current, code))
        self._learned()
        self.show(self.position if self.multi.value else self.position + 1)

    def accept_suggestion(self) -> None:
        """Accept the suggestion on screen (source ``suggested-accepted``) and move on."""
        sug = self.current_suggestion()
        if sug is None or self.current is None:
            return
        accept(self.project, self.current, sug[0], self.coder, confidence=sug[1])
        self.log.append(("accept", self.current, sug[0]))
        self._learned()
        self.show(self.position + 1)

    def reject_suggestion(self) -> None:
        """Reject the suggestion on screen; the next best code is suggested instead."""
        sug = self.current_suggestion()
        if sug is None or self.current is None:
            return
        reject(self.project, self.current, sug[0], self.coder, confidence=sug[1])
        self.log.append(("reject", self.current, sug[0]))
        self._learned(force=True)
        self.show(self.position)

    def next(self) -> None:
        self.show(self.position + 1)

    def previous(self) -> None:
        self.show(self.position - 1)

    def toggle_multi(self) -> None:
        """Switch "meer codes" (stay on the anecdote after a code) on or off."""
        self.multi.value = not self.multi.value

    def skip(self) -> None:
        """Leave the anecdote on screen unlabelled and move on."""
        if self.current is not None:
            self.log.append(("skip", self.current, ""))
        self.show(self.position + 1)

    def _learned(self, force: bool = False) -> None:
        self._new_labels += 1
        if self.suggester is None:
            return
        if force or (self.refit_every and self._new_labels % self.refit_every == 0):
            update_for_project(self.project, self.suggester, self._corpus_ids, coder=self.coder)

    def _on_key(self, change: dict[str, Any]) -> None:
        key = (change.get("new") or "").strip().lower()
        if not key:
            return
        self.shortcut.value = ""
        names = self.codebook.names
        if key.isdigit() and 1 <= int(key) <= min(9, len(names)):
            self.label_current(names[int(key) - 1])
        else:
            action = {
                "a": self.accept_suggestion,
                "r": self.reject_suggestion,
                "n": self.next,
                "p": self.previous,
                "s": self.skip,
                "m": self.toggle_multi,
            }.get(key)
            if action is not None:
                action()
