"""The pictures of lesson 10, drawn in a cell: handwritten digits as images, a confusion
matrix, and the loss and accuracy of a classifier epoch by epoch.

Each function returns a :class:`matplotlib.figure.Figure` built directly (no pyplot), in the
course's light or dark theme (``theme="light"`` or ``"dark"``). matplotlib is imported when
a picture is drawn, never by ``import backprop_lessons.viz.digits``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..maths.validate import as_float_array, describe, require_finite
from .theme import canvas

__all__ = ["digit_images", "confusion_matrix_plot", "training_curves"]


def _cmap(th: dict, name: str) -> Any:
    """A colour map from the background to the ink colour of the theme."""
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list(name, [th["bg"], th["fg"]])


def digit_images(images: Any, titles: Sequence[str] | None = None, *, theme: str = "light",
                 ncols: int = 10, title: str | None = None) -> Any:
    """A grid of 8 x 8 images: ``images`` is (n, 64) (rows of pixels, as the data set
    stores them) or (n, 8, 8); ``titles`` (optional) one caption per image. Ink is drawn in
    the theme's text colour on its background, from 0 (no ink) to the largest pixel."""
    arr = as_float_array(images, "images")
    if arr.ndim == 2 and arr.shape[1] == 64:
        arr = arr.reshape(-1, 8, 8)
    if arr.ndim != 3 or arr.shape[1:] != (8, 8) or len(arr) == 0:
        raise ValueError(f"images must have shape (n, 64) or (n, 8, 8) with n >= 1, got "
                         f"shape {np.shape(images)}")
    require_finite(arr, "images")
    if titles is not None and len(titles) != len(arr):
        raise ValueError(f"titles must hold one caption per image ({len(arr)}), got "
                         f"{describe(titles)}")
    if isinstance(ncols, bool) or not isinstance(ncols, (int, np.integer)) or ncols < 1:
        raise ValueError(f"ncols must be a positive integer, got {describe(ncols)}")
    cols = min(int(ncols), len(arr))
    rows = -(-len(arr) // cols)
    # one mosaic, one imshow (fast): tiles of 8 x 8 with a gap of 2 pixels of background
    gap, cell = 2, 10
    mosaic = np.full((rows * cell + gap, cols * cell + gap), np.nan)
    for k, img in enumerate(arr):
        r, c = divmod(k, cols)
        mosaic[gap + r * cell:gap + r * cell + 8, gap + c * cell:gap + c * cell + 8] = img
    caption = 0.22 if titles is not None else 0.0
    top = 0.4 if title else 0.0
    with canvas(theme, (0.9 * cols, (0.9 + caption) * rows + top + 0.1)) as (fig, th):
        height = (0.9 + caption) * rows + top + 0.1
        ax = fig.add_axes((0.0, 0.0, 1.0, 1.0 - top / height))
        cmap = _cmap(th, "ink").with_extremes(bad=th["bg"])
        vmax = max(float(arr.max()), 1e-12)
        ax.imshow(mosaic, cmap=cmap, vmin=0.0, vmax=vmax, interpolation="nearest",
                  aspect="auto")
        for k in range(len(arr)):
            r, c = divmod(k, cols)
            x0, y0 = gap + c * cell - 0.5, gap + r * cell - 0.5
            ax.add_patch(_frame(x0, y0, th["muted"]))
            if titles is not None:
                ax.text(x0 + 4, y0 - 0.3, str(titles[k]), ha="center", va="bottom",
                        fontsize=8, color=th["fg"])
        ax.set_axis_off()
        if title:
            fig.suptitle(title, fontsize=10)
    return fig


def _frame(x0: float, y0: float, colour: str) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle((x0, y0), 8, 8, fill=False, edgecolor=colour, linewidth=0.6)


def confusion_matrix_plot(C: Any, *, theme: str = "light",
                          title: str = "Confusion matrix (test split)") -> Any:
    """The K x K counts ``C`` (row: true class, column: predicted class) as a grid of
    shaded cells with the count written in each non-zero cell; the diagonal holds the right
    answers."""
    arr = np.asarray(C)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1] or arr.shape[0] < 1 \
            or arr.dtype.kind not in "iu" or np.any(arr < 0):
        raise ValueError(f"C must be a square array of counts (integers >= 0), got "
                         f"{describe(arr)}")
    k = arr.shape[0]
    with canvas(theme, (5.6, 5.0)) as (fig, th):
        ax = fig.add_axes((0.13, 0.11, 0.8, 0.8))
        shade = np.log1p(arr.astype(np.float64))
        ax.imshow(shade, cmap=_cmap(th, "counts"), vmin=0.0,
                  vmax=max(float(shade.max()), 1e-12), interpolation="nearest")
        half = float(shade.max()) / 2
        for t in range(k):
            for p in range(k):
                if arr[t, p]:
                    colour = th["bg"] if shade[t, p] > half else th["fg"]
                    colour = th["backward"] if t != p else colour
                    ax.text(p, t, str(int(arr[t, p])), ha="center", va="center",
                            fontsize=8, color=colour)
        ax.set_xticks(range(k))
        ax.set_yticks(range(k))
        ax.set_xlabel("predicted class")
        ax.set_ylabel("true class")
        ax.set_title(title, fontsize=10)
    return fig


def training_curves(losses: Any, accuracies: Any, *, theme: str = "light",
                    title: str = "Training, epoch by epoch") -> Any:
    """Two panels side by side: the loss of every epoch (log scale) and the accuracy of
    every epoch (``losses`` and ``accuracies`` in epoch order, equally long)."""
    loss = as_float_array(losses, "losses").reshape(-1)
    acc = as_float_array(accuracies, "accuracies").reshape(-1)
    if loss.size == 0 or loss.size != acc.size:
        raise ValueError(f"losses and accuracies must hold one value per epoch, equally "
                         f"many, got {loss.size} and {acc.size}")
    require_finite(loss, "losses")
    require_finite(acc, "accuracies")
    if np.any(loss <= 0):
        raise ValueError(f"losses must be positive (a log scale), got a minimum of {loss.min()}")
    if np.any((acc < 0) | (acc > 1)):
        raise ValueError("accuracies must be fractions from 0 to 1, got values from "
                         f"{acc.min()} to {acc.max()}")
    epochs = np.arange(1, loss.size + 1)
    with canvas(theme, (9.0, 3.6)) as (fig, th):
        left = fig.add_axes((0.08, 0.15, 0.38, 0.72))
        right = fig.add_axes((0.59, 0.15, 0.38, 0.72))
        left.plot(epochs, loss, color=th["path1"], lw=2, marker="o", ms=3)
        left.set_yscale("log")
        left.set_xlabel("epoch")
        left.set_ylabel("cross-entropy loss")
        right.plot(epochs, acc, color=th["good"], lw=2, marker="o", ms=3)
        right.set_xlabel("epoch")
        right.set_ylabel("accuracy")
        right.set_ylim(min(float(acc.min()), 0.9) - 0.01, 1.005)
        fig.suptitle(title, fontsize=10)
    return fig
