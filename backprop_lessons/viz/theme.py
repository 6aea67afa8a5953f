"""The course's two themes (light and dark): colours, matplotlib settings, a themed canvas.

One place for the look of every figure, plot and explorer picture. matplotlib is imported
when a canvas is drawn, never by ``import backprop_lessons.viz.theme``.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import contextmanager

__all__ = ["THEMES", "theme_colours", "rc", "style", "canvas"]

THEMES: dict[str, dict[str, str]] = {
    "light": {
        "bg": "#ffffff",
        "fg": "#1f2328",
        "muted": "#8c959f",
        "panel": "#f6f8fa",
        "forward": "#0969da",
        "backward": "#cf222e",
        "path1": "#0969da",
        "path2": "#bc4c00",
        "good": "#1a7f37",
        "accent": "#8250df",
        "pos": "#ffffff",
        "neg": "#1f2328",
        "hinton_bg": "#8c959f",
    },
    "dark": {
        "bg": "#0d1117",
        "fg": "#e6edf3",
        "muted": "#7d8590",
        "panel": "#161b22",
        "forward": "#58a6ff",
        "backward": "#ff7b72",
        "path1": "#58a6ff",
        "path2": "#ffa657",
        "good": "#3fb950",
        "accent": "#d2a8ff",
        "pos": "#f0f6fc",
        "neg": "#010409",
        "hinton_bg": "#6e7681",
    },
}
"""Colours of the two themes (GitHub's light and dark palettes)."""


def theme_colours(theme: object) -> dict[str, str]:
    """The colours of ``theme`` (``'light'`` or ``'dark'``); ValueError for any other."""
    if not isinstance(theme, str) or theme not in THEMES:
        raise ValueError(f"theme must be 'light' or 'dark', got {theme!r}")
    return THEMES[theme]


def rc(th: Mapping[str, str]) -> dict[str, object]:
    """matplotlib rc settings that draw in the colours ``th`` (fonts fixed, SVG ids stable)."""
    return {
        "font.family": "DejaVu Sans",
        "font.size": 10,
        "mathtext.fontset": "dejavusans",
        "text.color": th["fg"],
        "axes.facecolor": th["bg"],
        "axes.edgecolor": th["fg"],
        "axes.labelcolor": th["fg"],
        "axes.titlecolor": th["fg"],
        "xtick.color": th["fg"],
        "ytick.color": th["fg"],
        "figure.facecolor": th["bg"],
        "legend.facecolor": th["panel"],
        "legend.edgecolor": th["muted"],
        "svg.hashsalt": "backprop-lessons",
        "svg.fonttype": "path",
        "path.simplify": True,
    }


@contextmanager
def style(th: Mapping[str, str]):
    """matplotlib's rc settings of a theme's colours, for the duration of a ``with``."""
    import matplotlib

    with matplotlib.rc_context(rc(th)):
        yield


@contextmanager
def canvas(theme: str, figsize):
    """Yield ``(fig, th)``: a new Figure (dpi 100, the theme's background) drawn inside the
    theme's rc settings."""
    from matplotlib.figure import Figure

    th = theme_colours(theme)
    with style(th):
        yield Figure(figsize=figsize, dpi=100, facecolor=th["bg"]), th
