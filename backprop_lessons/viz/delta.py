"""A picture of the error signals δ of a backward pass: one table per layer, one row per
instance of the batch, one column per neuron, and under it the row Σ over the batch,
which is the layer's bias gradient ∂L/∂b (lesson 05).

Lesson 05 puts the 2/N of the mean squared error into δ = ∂L/∂Z, so every entry is
already that instance's share of the gradient; adding the rows gives ∂L/∂b. The figure
shows both: the shares and their sum.

:func:`delta_tables` returns a :class:`matplotlib.figure.Figure` built directly (no
pyplot), themed like the course's figures; matplotlib is imported when it is drawn.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..maths.validate import as_float_array, describe, require_finite
from .theme import canvas

__all__ = ["delta_tables", "display_scale", "power_label"]

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def power_label(e: int) -> str:
    """``×10⁻³`` for ``e = -3``: the unit a table is shown in (plain text, no mathtext)."""
    return "×10" + str(int(e)).translate(_SUPERSCRIPT)


def display_scale(values: Any) -> int:
    """The power of ten ``e`` in which ``values`` are shown: the largest |value| divided
    by 10**e lies in [1, 10). 0 when every value is 0."""
    a = np.abs(as_float_array(values, "values"))
    biggest = float(a.max()) if a.size else 0.0
    if biggest == 0.0 or not math.isfinite(biggest):
        return 0
    return int(math.floor(math.log10(biggest)))


def _deltas(deltas: Any) -> list[tuple[str, np.ndarray]]:
    if not isinstance(deltas, Mapping) or not deltas:
        raise TypeError(f"deltas must be a non-empty dict of name -> error signal "
                        f"(batch, n_neurons), got {describe(deltas)}")
    out: list[tuple[str, np.ndarray]] = []
    batch = None
    for name, value in deltas.items():
        a = as_float_array(value, f"deltas[{name!r}]")
        if a.ndim != 2 or a.shape[0] == 0 or a.shape[1] == 0:
            raise ValueError(f"deltas[{name!r}] must be a non-empty 2-D array (batch, "
                             f"n_neurons), one row per instance, got shape {a.shape}")
        require_finite(a, f"deltas[{name!r}]")
        if batch is not None and a.shape[0] != batch:
            raise ValueError(f"every δ must have one row per instance of the same batch: "
                             f"deltas[{name!r}] has {a.shape[0]} rows, the first had {batch}")
        batch = a.shape[0]
        out.append((str(name), a))
    return out


def _cells(ax: Any, block: np.ndarray, scale: int, th: Mapping[str, str], lim: float) -> None:
    ax.imshow(block, cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto")
    for (i, j), v in np.ndenumerate(block):
        shown = v / 10.0**scale
        colour = "#ffffff" if abs(v) > 0.6 * lim else "#1f2328"
        ax.text(j, i, f"{shown:+.2f}", ha="center", va="center", fontsize=8, color=colour)
    ax.set_xticks([])
    for spine in ax.spines.values():
        spine.set_color(th["muted"])


def delta_tables(deltas: Mapping[str, Any], *, rows: int = 6, theme: str = "light",
                 title: str | None = None) -> Any:
    """One table per entry of ``deltas`` (a name -> an error signal of shape (batch, n)):
    the first ``rows`` instances, then the row Σ over the whole batch (= ∂L/∂b).

    Each table is shown in its own power of ten (its panel title says which, e.g.
    ``×10⁻³``), colours run from blue (negative) to red (positive). Raises TypeError or
    ValueError naming the argument for anything that is not a dict of 2-D finite arrays
    with the same number of rows, or for ``rows`` not a whole number >= 1.
    """
    layers = _deltas(deltas)
    if isinstance(rows, (bool, np.bool_)) or not isinstance(rows, numbers.Integral):
        raise ValueError(f"rows must be a whole number >= 1, got {describe(rows)}")
    if int(rows) < 1:
        raise ValueError(f"rows must be a whole number >= 1, got {int(rows)}")
    batch = layers[0][1].shape[0]
    shown = min(int(rows), batch)
    widths = [max(2, a.shape[1]) for _, a in layers]
    with canvas(theme, (1.1 * sum(widths) + 1.6 * len(layers), 0.42 * shown + 2.3)) as (fig, th):
        grid = fig.add_gridspec(2, len(layers), height_ratios=[shown, 1.4], width_ratios=widths,
                                hspace=0.35, wspace=0.45)
        for k, (name, a) in enumerate(layers):
            total = a.sum(axis=0, keepdims=True)
            scale = display_scale(a[:shown])
            top = fig.add_subplot(grid[0, k])
            lim = float(np.abs(a[:shown]).max()) or 1.0
            _cells(top, a[:shown], scale, th, lim)
            top.set_yticks(range(shown), [f"instance {i}" for i in range(shown)], fontsize=8)
            more = f", {batch - shown} more below" if batch > shown else ""
            top.set_title(f"{name}\n({power_label(scale)}{more})", fontsize=9)
            bottom = fig.add_subplot(grid[1, k])
            sum_scale = display_scale(total)
            _cells(bottom, total, sum_scale, th, float(np.abs(total).max()) or 1.0)
            bottom.set_yticks([0], [f"Σ all {batch}"], fontsize=8)
            bottom.set_xlabel(f"= ∂L/∂b ({power_label(sum_scale)})", fontsize=8)
        fig.suptitle(title or "Error signals δ, one row per instance; their sum over the "
                     "batch is ∂L/∂b", fontsize=10)
        fig.subplots_adjust(left=0.14, right=0.98, top=0.82, bottom=0.1)
    return fig
