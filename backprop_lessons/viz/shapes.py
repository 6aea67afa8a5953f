"""The shapes of a mini-batch's forward pass, layer by layer, up to the loss (lesson 04).

:func:`forward_shapes` lists them (numpy only); :func:`shapes_figure` draws them: one
rectangle per array, as tall as the batch and as wide as its number of columns, the
weight and bias shapes on the arrows between them, and the loss, a single number, at the
end::

    X (B, n_0) --W1 (n_0, n_1), b1 (n_1,)--> Z1, A1 (B, n_1) --> ... --> Z_L, A_L = Y (B, n_L)
    Y with the targets y (B, n_L) --mean loss over the batch--> L, shape () (a scalar)

The figure is a :class:`matplotlib.figure.Figure` built directly (no pyplot), themed like
the course's figures (``theme="light"`` or ``"dark"``, :mod:`.theme`). matplotlib is
imported when the figure is drawn, never by ``import backprop_lessons.viz.shapes``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..maths.layers import layer_shapes
from .theme import canvas

__all__ = ["forward_shapes", "shapes_figure"]

_MAX_DRAWN_COLUMNS = 8
"""Arrays wider than this are drawn at this width (their label still gives the shape)."""


def forward_shapes(layer_sizes: Sequence[int], batch_size: int = 32) -> list[dict[str, Any]]:
    """Every array of the forward pass of a network with ``layer_sizes`` = [n_0, ..., n_L]
    on a mini-batch of ``batch_size``, in the order it is computed, ending with the loss.

    Each entry is ``{"name": ..., "shape": ..., "weights": ..., "bias": ...}``: first
    ``X`` (B, n_0); then for layer i = 1..L ``Zi, Ai`` (B, n_i), made from the array before
    it by the weights Wi (n_(i-1), n_i) and biases bi (n_i,) (``weights`` and ``bias``
    give those shapes; the input and the loss have None); the last layer's output is
    ``Y``; last, the loss ``L`` of shape () (one number: the mean over the batch).
    """
    shapes = layer_shapes(layer_sizes, batch_size)  # checks both arguments
    n_layers = len(shapes) - 1
    out: list[dict[str, Any]] = [{"name": "X", "shape": shapes[0], "weights": None,
                                  "bias": None}]
    for i in range(1, n_layers + 1):
        name = f"Z{i}, A{i}" + (" = Y" if i == n_layers else "")
        out.append({"name": name, "shape": shapes[i],
                    "weights": (shapes[i - 1][1], shapes[i][1]), "bias": (shapes[i][1],)})
    out.append({"name": "L", "shape": (), "weights": None, "bias": None})
    return out


def _shape_text(shape: tuple[int, ...]) -> str:
    """(32, 2) -> '(32, 2)', (2,) -> '(2,)', () -> '()'."""
    return str(tuple(shape))


def shapes_figure(layer_sizes: Sequence[int], batch_size: int = 32, *,
                  theme: str = "light", title: str | None = None) -> Any:
    """Draw :func:`forward_shapes`: each array a rectangle (height: the batch, width: its
    columns), the shapes written under it, Wi and bi on the arrow into layer i, and the
    loss L, shape (), after the output, computed with the targets y of the output's shape.

    Returns a matplotlib Figure. The title defaults to "Shapes of the forward pass:
    <sizes> network, mini-batch of <B>".
    """
    from matplotlib.patches import FancyArrowPatch, Rectangle

    arrays = forward_shapes(layer_sizes, batch_size)
    sizes = "-".join(str(a["shape"][1]) for a in arrays[:-1])  # e.g. "1-1-2-1"
    if title is None:
        title = f"Shapes of the forward pass: {sizes} network, mini-batch of {batch_size}"
    n_arrays = len(arrays) - 1  # the loss is drawn on its own
    step, height, unit = 3.0, 2.0, 0.22
    width_in = 2.3 + 2.1 * n_arrays
    with canvas(theme, (width_in, 3.1)) as (fig, th):
        ax = fig.add_axes((0.0, 0.0, 1.0, 0.86))
        first_half = unit * min(arrays[0]["shape"][1], _MAX_DRAWN_COLUMNS) / 2
        ax.set_xlim(min(-1.2, -first_half - 0.6), step * n_arrays + 1.4)
        ax.set_ylim(-1.8, 1.8)
        ax.axis("off")
        fig.suptitle(title, y=0.95, fontsize=11)
        right_edges = []
        for k, entry in enumerate(arrays[:-1]):
            cols = entry["shape"][1]
            width = unit * min(cols, _MAX_DRAWN_COLUMNS)
            x0 = step * k - width / 2
            colour = th["forward"] if k else th["muted"]
            ax.add_patch(Rectangle((x0, -height / 2), width, height, fc=th["panel"],
                                   ec=colour, lw=1.6, zorder=2))
            if cols > _MAX_DRAWN_COLUMNS:  # wider than drawn: a dotted right edge says so
                ax.plot([x0 + width, x0 + width], [-height / 2, height / 2], color=th["bg"],
                        ls=":", lw=1.6, zorder=3)
            ax.text(step * k, height / 2 + 0.2, entry["name"], ha="center", va="bottom",
                    fontsize=10, color=th["fg"])
            ax.text(step * k, -height / 2 - 0.2, _shape_text(entry["shape"]), ha="center",
                    va="top", fontsize=10, color=th["fg"])
            right_edges.append((x0, x0 + width))
            if k:
                start, end = right_edges[k - 1][1], x0
                ax.add_patch(FancyArrowPatch((start, 0.0), (end, 0.0), arrowstyle="-|>",
                                             mutation_scale=12, color=th["forward"], lw=1.4,
                                             shrinkA=4, shrinkB=4))
                ax.text((start + end) / 2, 0.12, f"W{k} {_shape_text(entry['weights'])}",
                        ha="center", va="bottom", fontsize=8, color=th["fg"])
                ax.text((start + end) / 2, -0.12, f"b{k} {_shape_text(entry['bias'])}",
                        ha="center", va="top", fontsize=8, color=th["fg"])
        ax.text(-first_half - 0.3, 0.0, f"{batch_size} rows", rotation=90, ha="center", va="center",
                fontsize=8, color=th["muted"])
        # the loss: one number, from Y and the targets y
        loss = arrays[-1]
        x_loss = step * n_arrays
        start = right_edges[-1][1]
        ax.add_patch(FancyArrowPatch((start, 0.0), (x_loss - 0.2, 0.0), arrowstyle="-|>",
                                     mutation_scale=12, color=th["forward"], lw=1.4,
                                     shrinkA=4, shrinkB=4))
        out_shape = arrays[-2]["shape"]
        ax.text((start + x_loss) / 2, 0.12, f"with y {_shape_text(out_shape)}", ha="center",
                va="bottom", fontsize=8, color=th["fg"])
        ax.text((start + x_loss) / 2, -0.12, "mean loss", ha="center", va="top", fontsize=8,
                color=th["fg"])
        ax.add_patch(Rectangle((x_loss - 0.2, -0.2), 0.4, 0.4, fc=th["panel"], ec=th["good"],
                               lw=1.6, zorder=2))
        ax.text(x_loss, 0.4, loss["name"], ha="center", va="bottom", fontsize=10,
                color=th["fg"])
        ax.text(x_loss, -0.4, f"{_shape_text(loss['shape'])}\na scalar", ha="center",
                va="top", fontsize=10, color=th["fg"])
    return fig
