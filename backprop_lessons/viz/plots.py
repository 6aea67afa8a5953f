"""Plots of a trained network, drawn on demand in a lesson: where a 2-D classifier puts its
decision boundary, and how the loss went down epoch after epoch.

Each function returns a :class:`matplotlib.figure.Figure` built directly (no pyplot, no GUI
backend), themed like the course's figures (``theme="light"`` or ``"dark"``). matplotlib is
imported when a plot is drawn, never by ``import backprop_lessons.viz.plots``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..maths.validate import as_float_array, describe, require_finite
from .theme import canvas, style, theme_colours

__all__ = ["decision_boundary", "loss_curves", "loss_curve", "step_size_plot"]


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
    from ..maths.training import accuracy

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
    with canvas(theme, (5.5, 4.6)) as (fig, th):
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
    with canvas(theme, (7.0, 4.0)) as (fig, th):
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


def loss_curve(
    losses: Sequence[float] | np.ndarray, *, theme: str = "light", title: str | None = None
) -> Any:
    """The loss against the epoch (a matplotlib Figure), on a logarithmic loss axis.

    ``losses`` is a history of losses, e.g. what :func:`backprop_lessons.maths.neuron.fit`
    returns. matplotlib is imported here only.
    """
    from matplotlib.figure import Figure

    values = as_float_array(losses, "losses")
    if values.ndim != 1 or values.size == 0:
        raise ValueError(
            f"losses must be a non-empty list of numbers, got {describe(values)}"
        )
    require_finite(values, "losses")
    th = theme_colours(theme)
    fig = Figure(figsize=(6.4, 3.6), dpi=100, facecolor=th["bg"])
    ax = fig.add_subplot(1, 1, 1, facecolor=th["bg"])
    ax.plot(np.arange(values.size), values, color=th["forward"], lw=2)
    if np.all(values > 0):
        ax.set_yscale("log")
    ax.set_xlabel("epoch", color=th["fg"])
    ax.set_ylabel("loss L (mean squared error)", color=th["fg"])
    ax.set_title(title or "Training one neuron: the loss falls, then flattens", color=th["fg"])
    ax.tick_params(colors=th["fg"], which="both")
    for spine in ax.spines.values():
        spine.set_color(th["muted"])
    ax.grid(True, color=th["muted"], alpha=0.3, which="both")
    fig.tight_layout()
    return fig


def step_size_plot(hs: Sequence[float], curves: Mapping[str, Sequence[float]], *,
                   guides: bool = True, theme: str = "light",
                   title: str = "Error of a finite difference against the step h") -> Any:
    """Log-log lines of relative error against h, one per entry of ``curves`` (a label ->
    the errors of :func:`backprop_lessons.maths.checking.step_size_errors` for ``hs``),
    with h = eps^(1/3) marked.

    With ``guides`` two dotted lines show the float64 error model: truncation, C·h² through
    the first curve's largest h, and rounding, eps / h. Errors of exactly 0 (a lucky
    rounding) are left out of the lines.
    Returns a matplotlib Figure (no pyplot); matplotlib is imported here, not before.
    """
    from matplotlib.figure import Figure

    from ..maths.checking import best_step

    h_arr = as_float_array(hs, "hs").reshape(-1)
    if h_arr.size < 2 or not np.all(h_arr > 0):
        raise ValueError(f"hs must hold at least 2 positive step sizes, got {h_arr.tolist()}")
    if not isinstance(curves, Mapping) or not curves:
        raise ValueError(f"curves must be a non-empty dict {{label: errors}}, "
                         f"got {describe(curves)}")
    lines = {}
    for label, values in curves.items():
        arr = as_float_array(values, f"curves[{label!r}]").reshape(-1)
        if arr.shape != h_arr.shape:
            raise ValueError(f"curves[{label!r}] must hold one error per h ({h_arr.size}), "
                             f"got {arr.size}")
        lines[str(label)] = np.where(arr > 0, arr, np.nan)
    th = theme_colours(theme)
    with style(th):
        fig = Figure(figsize=(7.0, 4.4), dpi=100, facecolor=th["bg"])
        ax = fig.add_axes((0.11, 0.13, 0.85, 0.77))
        colours = [th["path1"], th["path2"], th["backward"], th["good"], th["accent"]]
        styles = ["-", "--", "-.", ":"]
        for k, (label, arr) in enumerate(lines.items()):
            ax.plot(h_arr, arr, color=colours[k % len(colours)], ls=styles[k % len(styles)],
                    lw=2, marker="o", ms=4, label=label)
        if guides:
            eps = float(np.finfo(np.float64).eps)
            first = next(iter(lines.values()))
            k0 = int(np.argmax(h_arr))
            C = first[k0] / h_arr[k0] ** 2 if np.isfinite(first[k0]) else 1.0
            ax.plot(h_arr, C * h_arr**2, color=th["muted"], ls=":", lw=1,
                    label="truncation model ∝ h²")
            ax.plot(h_arr, eps / h_arr, color=th["muted"], ls=(0, (1, 4)), lw=1,
                    label="rounding model ε/h")
        h_star = best_step(np.float64)
        ax.axvline(h_star, color=th["good"], lw=1)
        data = np.concatenate(list(lines.values()))
        data = data[np.isfinite(data)]
        if data.size:
            ax.set_ylim(float(data.min()) / 10, max(3.0, float(data.max()) * 3))
        ax.text(h_star * 0.8, 0.04, f"h = ε^(1/3) ≈ {h_star:.0e}", color=th["good"],
                fontsize=9, transform=ax.get_xaxis_transform())
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.invert_xaxis()
        ax.set_xlabel("step h (shrinking to the right)")
        ax.set_ylabel("relative error of the slope")
        ax.set_title(title)
        ax.legend(frameon=True, fontsize=8, loc="lower left")
    return fig
