"""Plots of a trained network, drawn on demand in a lesson: where a 2-D classifier puts its
decision boundary, and how the loss went down epoch after epoch.

Each function returns a :class:`matplotlib.figure.Figure` built directly (no pyplot, no GUI
backend), themed like the course's figures (``theme="light"`` or ``"dark"``). matplotlib is
imported when a plot is drawn, never by ``import backprop_lessons.plots``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from ._validate import as_float_array, describe, require_finite

__all__ = ["decision_boundary", "loss_curves"]


@contextmanager
def _canvas(theme: str, figsize: tuple[float, float]):
    """Yield ``(fig, th)``: a new Figure drawn inside the theme's rc settings."""
    import matplotlib
    from matplotlib.figure import Figure

    from .figures import _rc, _theme

    th = _theme(theme)
    with matplotlib.rc_context(_rc(th)):
        yield Figure(figsize=figsize, dpi=100, facecolor=th["bg"]), th


def _points(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    X_a = as_float_array(X, "X")
    if X_a.ndim != 2 or X_a.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2) (two features, to draw them on a plane), "
                         f"got shape {X_a.shape}")
    require_finite(X_a, "X")
    y_a = as_float_array(y, "y").reshape(-1)
    if y_a.size != len(X_a):
        raise ValueError(f"y must hold one label per row of X ({len(X_a)}), got {y_a.size}")
    return X_a, y_a


def decision_boundary(network: Any, X: Any, y: Any, *, theme: str = "light",
                      resolution: int = 150, margin: float = 0.5,
                      title: str | None = None) -> Any:
    """The plane coloured by the class ``network`` predicts, the boundary where its output
    crosses 0.5, and the points ``(X, y)`` (labels 0/1) on top.

    ``network.predict(P)`` is evaluated on a ``resolution`` x ``resolution`` grid covering
    the points plus ``margin``; a point of the plane belongs to class 1 when
    y_hat >= 0.5. The title shows the accuracy on ``(X, y)`` unless ``title`` is given.
    """
    from .training import accuracy

    X_a, y_a = _points(X, y)
    if not callable(getattr(network, "predict", None)):
        raise TypeError(f"network must have a predict(X) method (a Network), "
                        f"got {describe(network)}")
    if isinstance(resolution, bool) or not isinstance(resolution, (int, np.integer)) \
            or resolution < 2:
        raise ValueError(f"resolution must be an integer >= 2, got {describe(resolution)}")
    lo, hi = X_a.min(axis=0) - margin, X_a.max(axis=0) + margin
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], int(resolution)),
                         np.linspace(lo[1], hi[1], int(resolution)))
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    p = np.asarray(network.predict(grid), dtype=np.float64)
    if p.size != grid.shape[0]:
        raise ValueError(f"network.predict must return one output per point (a network "
                         f"with one output unit), got {p.size} outputs for "
                         f"{grid.shape[0]} points")
    p = p.reshape(xx.shape)
    with _canvas(theme, (5.5, 4.6)) as (fig, th):
        ax = fig.add_axes((0.1, 0.1, 0.85, 0.8))
        ax.contourf(xx, yy, p, levels=[min(p.min(), 0.0) - 1.0, 0.5, max(p.max(), 1.0) + 1.0],
                    colors=[th["path2"], th["path1"]], alpha=0.22)
        if p.min() < 0.5 <= p.max():
            ax.contour(xx, yy, p, levels=[0.5], colors=[th["fg"]], linewidths=1.5)
        one = y_a >= 0.5
        ax.scatter(X_a[~one, 0], X_a[~one, 1], s=14, color=th["path2"], label="class 0")
        ax.scatter(X_a[one, 0], X_a[one, 1], s=14, color=th["path1"], marker="s",
                   label="class 1")
        ax.set_xlim(lo[0], hi[0])
        ax.set_ylim(lo[1], hi[1])
        ax.set_xlabel("feature 1")
        ax.set_ylabel("feature 2")
        if title is None:
            acc = accuracy(y_a, network.predict(X_a))
            title = f"decision boundary (output = 0.5), accuracy {acc:.1%}"
        ax.set_title(title, fontsize=10)
        ax.legend(loc="upper right", fontsize=8, frameon=True)
    return fig


def loss_curves(curves: Mapping[str, Sequence[float]], *, theme: str = "light",
                title: str = "Training loss per epoch", ylabel: str = "loss (MSE)",
                log: bool = True) -> Any:
    """One line per run: ``curves`` maps a label (e.g. "η = 0.5") to its loss per epoch
    (epoch 1, 2, ...). A log scale (``log=True``) shows a loss that keeps falling by
    factors as steadily as one that falls little."""
    if not isinstance(curves, Mapping) or not curves:
        raise ValueError(f"curves must be a non-empty dict {{label: losses per epoch}}, "
                         f"got {describe(curves)}")
    arrays = {}
    for label, values in curves.items():
        arr = as_float_array(values, f"curves[{label!r}]").reshape(-1)
        if arr.size == 0:
            raise ValueError(f"curves[{label!r}] must hold at least one loss, got none")
        if log and np.any(arr <= 0):
            raise ValueError(f"curves[{label!r}] must be positive for a log scale "
                             f"(log=False draws a linear one), got a minimum of {arr.min()}")
        arrays[str(label)] = arr
    with _canvas(theme, (7.0, 4.0)) as (fig, th):
        ax = fig.add_axes((0.1, 0.13, 0.86, 0.77))
        colours = [th["path1"], th["path2"], th["good"], th["backward"], th["accent"],
                   th["muted"]]
        styles = ["-", "--", "-.", ":"]
        for k, (label, arr) in enumerate(arrays.items()):
            ax.plot(np.arange(1, arr.size + 1), arr, color=colours[k % len(colours)],
                    ls=styles[k % len(styles)], lw=2, label=label)
        ax.set_xlabel("epoch")
        ax.set_ylabel(ylabel)
        if log:
            ax.set_yscale("log")
        ax.set_title(title)
        ax.legend(frameon=True)
    return fig
