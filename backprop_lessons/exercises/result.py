"""What a check, a hint or a solution shows: plain deterministic text for terminals and
nbval (``__repr__``), HTML for Jupyter (``_repr_html_``: an icon and words, not colour alone).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

__all__ = ["STATUSES", "CheckResult", "Display"]

PASSED, FAILED, ERROR, NOT_ATTEMPTED = "passed", "failed", "error", "not attempted"
STATUSES: tuple[str, ...] = (PASSED, FAILED, ERROR, NOT_ATTEMPTED)

# status -> (icon, words, accent colour)
_LOOK: dict[str, tuple[str, str, str]] = {
    PASSED: ("✓", "passed", "#2e7d32"),
    FAILED: ("✗", "not right yet", "#c62828"),
    ERROR: ("⚠", "error in your code", "#ef6c00"),
    NOT_ATTEMPTED: ("○", "not attempted yet", "#757575"),
}


def _html_box(title: str, body: str, colour: str, css_class: str) -> str:
    body_html = (
        f'<pre style="margin:0.3em 0 0 0;white-space:pre-wrap">{html.escape(body)}</pre>'
        if body
        else ""
    )
    return (
        f'<div class="{css_class}" role="status" style="border-left:4px solid {colour};'
        f'padding:0.3em 0.6em;margin:0.2em 0">'
        f"<strong>{html.escape(title)}</strong>{body_html}</div>"
    )


@dataclass(frozen=True)
class CheckResult:
    """The verdict of one check.

    ``status`` is one of ``"passed"``, ``"failed"``, ``"error"``, ``"not attempted"``;
    ``message`` explains it in plain words (the smallest failing case, a named
    misconception, the learner's frames of an error...); ``misconception`` names the known
    mistake recognised, if any.
    """

    exercise_id: str
    status: str
    message: str
    misconception: str | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r}")

    @property
    def passed(self) -> bool:
        """True when every case gave the expected answer."""
        return self.status == PASSED

    @property
    def title(self) -> str:
        """One line: icon, exercise id and the outcome in words."""
        icon, words, _ = _LOOK[self.status]
        return f"{icon} {self.exercise_id}: {words}"

    def __repr__(self) -> str:
        return f"{self.title}\n{self.message}" if self.message else self.title

    __str__ = __repr__

    def _repr_html_(self) -> str:
        _, _, colour = _LOOK[self.status]
        css = f"bpl-check bpl-{self.status.replace(' ', '-')}"
        return _html_box(self.title, self.message, colour, css)


@dataclass(frozen=True)
class Display:
    """A titled block of text (a hint, a solution, a progress table) for notebooks and terminals."""

    title: str
    body: str
    kind: str = "info"

    def __repr__(self) -> str:
        return f"{self.title}\n{self.body}" if self.body else self.title

    __str__ = __repr__

    def _repr_html_(self) -> str:
        return _html_box(self.title, self.body, "#1565c0", f"bpl-{self.kind}")
