"""The course's figures, each drawn by one function that returns a matplotlib Figure.

Every function takes ``theme="light"`` or ``"dark"``, uses fixed sizes, seeds and the
DejaVu Sans font, and builds a :class:`matplotlib.figure.Figure` directly (no pyplot, no
GUI backend, no graphviz), so it runs headless and gives the same picture every time.
``backprop-lessons figures [--out DIR]`` (:func:`cli_main`) writes all of them as
``<name>-<theme>.png`` and ``.svg`` into ``figures/``.

matplotlib is imported here, never by ``import backprop_lessons``.
"""

from __future__ import annotations

import argparse
import functools
import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle

from ..maths import calculus, course_network, updates
from ..maths.autodiff import Value
from ..maths.descent import descent_path, loss_1d
from .theme import THEMES, style, theme_colours

__all__ = [
    "THEMES",
    "FIGURES",
    "loss_1d",
    "descent_path",
    "draw_slope_step",
    "draw_descent",
    "backprop_overview",
    "course_network_figure",
    "chain_rule_paths",
    "slope_sign",
    "learning_rate",
    "computational_graph",
    "training_curves",
    "symmetry_weights",
    "save_figure",
    "write_all",
    "cli_main",
]

def _themed(build: Callable[..., Figure]) -> Callable[..., Figure]:
    """Run a figure builder inside the theme's rc settings; check ``theme`` first."""

    @functools.wraps(build)
    def wrapper(*args, theme: str = "light", **kwargs) -> Figure:
        th = theme_colours(theme)
        with style(th):
            fig = build(*args, th=th, **kwargs)
        fig.set_facecolor(th["bg"])
        return fig

    return wrapper


def _blank_axes(fig: Figure, xlim, ylim, rect=(0.0, 0.0, 1.0, 0.9)):
    ax = fig.add_axes(rect)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def _arrow(ax, start, end, color, style="-|>", lw=1.6, ls="-", rad=0.0, shrink=14.0):
    patch = FancyArrowPatch(
        start,
        end,
        arrowstyle=style,
        mutation_scale=12,
        color=color,
        lw=lw,
        linestyle=ls,
        connectionstyle=f"arc3,rad={rad}",
        shrinkA=shrink,
        shrinkB=shrink,
    )
    ax.add_patch(patch)
    return patch


def _node(ax, xy, text, th, r=0.38, fc=None, ec=None, fontsize=11):
    ax.add_patch(Circle(xy, r, fc=fc or th["panel"], ec=ec or th["fg"], lw=1.4, zorder=3))
    ax.text(*xy, text, ha="center", va="center", fontsize=fontsize, zorder=4, color=th["fg"])


# --------------------------------------------------------------------------- figures
@_themed
def backprop_overview(*, th) -> Figure:
    """A mini-batch flows forward through a 3-4-4-2 network (left to right), the error
    gradient dL/dO flows backward (right to left), then the gradient-descent step
    ``W_new = W_old - eta dL/dW`` updates every weight."""
    fig = Figure(figsize=(10, 4.6), dpi=100)
    fig.suptitle("Backpropagation: forward pass, backward pass, gradient-descent step", y=0.97)
    ax = _blank_axes(fig, (-1.2, 12.4), (-3.2, 3.0), rect=(0.01, 0.0, 0.98, 0.9))
    # the mini-batch: a stack of cards
    for k in range(4):
        ax.add_patch(
            Rectangle(
                (-1.0 + 0.12 * k, -0.9 - 0.12 * k),
                1.1,
                1.8,
                fc=th["panel"],
                ec=th["fg"],
                lw=1.0,
                zorder=2 + k,
            )
        )
    ax.text(-0.1 + 0.18, -0.2 - 0.18, "mini-\nbatch\n(32)", ha="center", va="center", zorder=8)
    layers = [3, 4, 4, 2]
    xs = [1.8, 3.6, 5.4, 7.2]
    pos = []
    for x, n in zip(xs, layers, strict=True):
        ys = np.linspace(-(n - 1) * 0.55, (n - 1) * 0.55, n)
        pos.append([(x, float(y)) for y in ys])
    for a, b in zip(pos[:-1], pos[1:], strict=True):
        for p in a:
            for q in b:
                ax.plot([p[0], q[0]], [p[1], q[1]], color=th["muted"], lw=0.7, zorder=1)
    for layer in pos:
        for p in layer:
            ax.add_patch(Circle(p, 0.22, fc=th["panel"], ec=th["fg"], lw=1.2, zorder=3))
    _arrow(ax, (0.35, 0.0), (1.5, 0.0), th["forward"], lw=2)
    ax.text(1.8, -2.05, "input", ha="center", color=th["muted"])
    ax.text(4.5, -2.05, "hidden layers", ha="center", color=th["muted"])
    ax.text(7.2, -2.05, "output ŷ", ha="center", color=th["muted"])
    # the loss
    ax.add_patch(
        FancyBboxPatch(
            (8.5, -0.45), 1.4, 0.9, boxstyle="round,pad=0.1", fc=th["panel"], ec=th["fg"]
        )
    )
    ax.text(9.2, 0.0, "L(y, ŷ)", ha="center", va="center")
    _arrow(ax, (7.5, 0.0), (8.4, 0.0), th["forward"], lw=2, shrink=2)
    # forward and backward passes
    _arrow(ax, (1.4, 2.2), (9.6, 2.2), th["forward"], lw=2.5, shrink=0)
    ax.text(
        5.5,
        2.45,
        "forward pass: compute every layer's output O, keep them",
        ha="center",
        color=th["forward"],
    )
    _arrow(ax, (9.6, -2.6), (1.4, -2.6), th["backward"], lw=2.5, ls="--", shrink=0)
    ax.text(
        5.5,
        -3.05,
        "backward pass: chain rule gives ∂L/∂O and ∂L/∂W, layer by layer",
        ha="center",
        color=th["backward"],
    )
    # the update
    ax.add_patch(
        FancyBboxPatch(
            (10.45, -1.0), 1.8, 2.0, boxstyle="round,pad=0.1", fc=th["panel"], ec=th["good"]
        )
    )
    ax.text(11.35, 0.35, "step", ha="center", va="center", color=th["good"])
    ax.text(
        11.35,
        -0.3,
        r"$W_{new} = W_{old}$" + "\n" + r"$- \eta\,\partial L/\partial W$",
        ha="center",
        va="center",
        fontsize=9,
    )
    _arrow(ax, (9.95, 0.0), (10.45, 0.0), th["good"], lw=2, shrink=1)
    return fig


_COURSE_POS = {
    "x": (0.0, 0.0),
    "O11": (2.5, 0.0),
    "O21": (5.0, 1.3),
    "O22": (5.0, -1.3),
    "O31": (7.5, 0.0),
    "L": (10.0, 0.0),
}


@_themed
def course_network_figure(*, th) -> Figure:
    """The course network ``x -> O11 -> {O21, O22} -> O31 -> L`` with W1..W5 on the edges
    and the biases b1..b4 beside their neurons; ``L = (y - O31)^2``."""
    fig = Figure(figsize=(9, 4), dpi=100)
    fig.suptitle("The course network: x → O11 → {O21, O22} → O31 → L", y=0.96)
    ax = _blank_axes(fig, (-0.8, 10.8), (-2.4, 2.3), rect=(0.02, 0.0, 0.96, 0.88))
    edges = [
        ("x", "O11", "W1"),
        ("O11", "O21", "W2"),
        ("O11", "O22", "W3"),
        ("O21", "O31", "W4"),
        ("O22", "O31", "W5"),
    ]
    for a, b, w in edges:
        pa, pb = _COURSE_POS[a], _COURSE_POS[b]
        _arrow(ax, pa, pb, th["fg"], shrink=15)
        mx, my = (pa[0] + pb[0]) / 2, (pa[1] + pb[1]) / 2
        ax.text(
            mx,
            my + 0.22,
            w,
            ha="center",
            va="bottom",
            color=th["forward"],
            fontsize=12,
            fontweight="bold",
        )
    _arrow(ax, _COURSE_POS["O31"], _COURSE_POS["L"], th["muted"], ls="--", shrink=15)
    ax.text(8.75, 0.22, "(y − O31)²", ha="center", va="bottom", color=th["muted"], fontsize=9)
    for name, p in _COURSE_POS.items():
        fc = th["bg"] if name in ("x", "L") else th["panel"]
        _node(ax, p, name, th, r=0.45, fc=fc)
    for neuron, bias in (("O11", "b1"), ("O21", "b2"), ("O22", "b3"), ("O31", "b4")):
        px, py = _COURSE_POS[neuron]
        ax.text(
            px,
            py - 0.62 if py <= 0 else py + 0.62,
            f"+ {bias}",
            ha="center",
            va="top" if py <= 0 else "bottom",
            color=th["backward"],
            fontsize=11,
        )
    ax.text(5.0, -2.3, "each neuron: O = σ(Σ W·input + b)", ha="center", color=th["muted"])
    return fig


@_themed
def chain_rule_paths(
    *, th, x: float | None = None, y: float | None = None, params: Mapping[str, float] | None = None
) -> Figure:
    """The two chain-rule paths from L down to W1 (through O21 and through O22), each
    edge labelled with its local derivative, and their sum::

        dL/dW1 = dL/dO31 dO31/dO21 dO21/dO11 dO11/dW1 + dL/dO31 dO31/dO22 dO22/dO11 dO11/dW1

    The path products are evaluated at ``params`` and ``(x, y)`` (the course defaults).
    """
    if x is None or y is None:
        x, y = course_network.default_example()
    params = course_network.default_params() if params is None else params
    products = course_network.path_products(x, y, params, "W1")
    pos = {
        "L": (9.0, 0.0),
        "O31": (6.75, 0.0),
        "O21": (4.5, 1.2),
        "O22": (4.5, -1.2),
        "O11": (2.25, 0.0),
        "W1": (0.0, 0.0),
    }
    fig = Figure(figsize=(10, 5.4), dpi=100)
    fig.suptitle("Chain rule: two paths from L to W1, their products add up", y=0.97)
    ax = _blank_axes(fig, (-0.8, 9.8), (-3.9, 2.0), rect=(0.02, 0.0, 0.96, 0.9))
    styles = [(th["path1"], "-", +1), (th["path2"], "--", -1)]
    for (path, values, _product), (color, ls, side) in zip(products, styles, strict=True):
        for upper, lower, key, val in zip(
            path.nodes[:-1], path.nodes[1:], path.factors, values, strict=True
        ):
            pu, pl = pos[upper], pos[lower]
            shared = pu[1] == pl[1] == 0.0
            off = 0.09 * side if shared else 0.0
            _arrow(ax, (pu[0], pu[1] + off), (pl[0], pl[1] + off), color, ls=ls, lw=2, shrink=17)
            mx, my = (pu[0] + pl[0]) / 2, (pu[1] + pl[1]) / 2
            num, den = key.split("/")
            label = f"∂{_sym(num[1:])}/∂{_sym(den[1:])}\n= {val:.4f}"
            dy = 0.3 * side if shared or my == 0 else 0.3 * np.sign(my)
            ax.text(
                mx,
                my + dy + (0.25 * side if shared else 0),
                label,
                ha="center",
                va="bottom" if dy > 0 else "top",
                fontsize=8.5,
                color=color,
            )
    for name, p in pos.items():
        _node(ax, p, name, th, r=0.42, fc=th["bg"] if name in ("L", "W1") else th["panel"])
    total = sum(prod for _p, _v, prod in products)
    lines = []
    for i, (path, _v, prod) in enumerate(products, start=1):
        lines.append(
            (f"path {i} (via {path.nodes[2]}):  {_product_text(path.nodes)}  = {prod:.5f}",
             styles[i - 1][0])
        )
    ax.text(-0.6, -2.3, lines[0][0], color=lines[0][1], fontsize=11, va="center")
    ax.text(-0.6, -2.95, lines[1][0], color=lines[1][1], fontsize=11, va="center")
    ax.text(
        -0.6,
        -3.6,
        f"∂L/∂{_sym('W1')} = path 1 + path 2 = {total:.5f}",
        fontsize=11,
        va="center",
        fontweight="bold",
    )
    return fig


_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _sym(name: str) -> str:
    """'O31' -> 'O₃₁', 'L' -> 'L': plain text with Unicode subscripts, not mathtext (a
    mathtext label costs about 35 ms to lay out, and the chain-rule explorer redraws its
    figure on every slider move)."""
    head = name.rstrip("0123456789")
    return head + name[len(head):].translate(_SUBSCRIPT)


def _product_text(nodes: Sequence[str]) -> str:
    """'∂L/∂O₃₁ · ∂O₃₁/∂O₂₁ · ...': a path's product of local derivatives, from L down."""
    return " · ".join(f"∂{_sym(upper)}/∂{_sym(lower)}"
                      for upper, lower in zip(nodes[:-1], nodes[1:], strict=True))


def draw_slope_step(
    ax, W_old: float, eta: float, th, color: str, span: float = 0.9, label_side: str = "left"
):
    """Draw the tangent of loss_1d at W_old and the gradient-descent step to W_new.

    Returns ``(slope, W_new)`` computed with :func:`calculus.tangent_line` and
    :func:`updates.weight_update`."""
    slope, intercept = calculus.tangent_line(loss_1d, W_old)
    W_new = updates.weight_update(W_old, slope, eta)
    ws = np.array([W_old - span, W_old + span])
    ax.plot(ws, slope * ws + intercept, color=color, lw=2, ls="--")
    L_old = loss_1d(W_old)
    ax.plot([W_old], [L_old], "o", color=color, ms=7, zorder=5)
    ax.plot([W_new], [loss_1d(W_new)], "o", mfc=th["bg"], mec=color, ms=7, zorder=5)
    ax.annotate(
        "",
        xy=(W_new, -0.15),
        xytext=(W_old, -0.15),
        arrowprops={"arrowstyle": "-|>", "color": color, "lw": 2},
    )
    ax.plot([W_old, W_old], [-0.15, L_old], color=color, lw=0.8, ls=":")
    ax.plot([W_new, W_new], [-0.15, loss_1d(W_new)], color=color, lw=0.8, ls=":")
    return slope, W_new


@_themed
def slope_sign(*, th, W_left: float = 0.4, W_right: float = 3.6, eta: float = 0.5) -> Figure:
    """The loss ``L(W) = 0.5 (W - 2)^2 + 0.3`` with a tangent of negative slope (the step
    ``W_new = W_old - eta dL/dW`` moves right: W_new > W_old) and one of positive slope
    (moves left: W_new < W_old)."""
    fig = Figure(figsize=(8, 4.8), dpi=100)
    ax = fig.add_axes((0.09, 0.11, 0.88, 0.78))
    ax.set_title("The sign of the slope sets the direction of the step")
    ws = np.linspace(-0.5, 4.5, 201)
    ax.plot(ws, [loss_1d(w) for w in ws], color=th["fg"], lw=2, label="L(W)")
    s1, n1 = draw_slope_step(ax, W_left, eta, th, th["path1"])
    s2, n2 = draw_slope_step(ax, W_right, eta, th, th["path2"])
    box = {"boxstyle": "round,pad=0.2", "fc": th["bg"], "ec": "none", "alpha": 0.85}
    for W_old, slope, W_new, color, ha, dx, dy in (
        (W_left, s1, n1, th["path1"], "left", 0.25, 0.75),
        (W_right, s2, n2, th["path2"], "right", -0.25, 0.15),
    ):
        sign, rel = ("<", ">") if slope < 0 else (">", "<")
        ax.text(
            W_old + dx,
            loss_1d(W_old) + dy,
            f"slope {slope:+.2f} {sign} 0\nW_new = {W_new:.2f} {rel} W_old = {W_old:.2f}",
            color=color,
            ha=ha,
            fontsize=9,
            bbox=box,
        )
    ax.text(
        2.0,
        3.3,
        r"$W_{new} = W_{old} - \eta\,\partial L/\partial W$" + f"   (η = {eta})",
        ha="center",
        fontsize=11,
    )
    ax.set_xlabel("W")
    ax.set_ylabel("L(W)")
    ax.set_xlim(-0.6, 4.6)
    ax.set_ylim(-0.4, 3.8)
    return fig


LEARNING_RATES: tuple[tuple[float, str], ...] = (
    (0.1, "too small"),
    (0.7, "good"),
    (1.8, "too large: oscillates"),
    (2.15, "far too large: diverges"),
)
"""The four learning rates of :func:`learning_rate` on ``loss_1d`` (W_new - 2 = (1 - eta)
(W_old - 2): converges for 0 < eta < 2, oscillates for eta > 1, diverges for eta > 2)."""


def draw_descent(ax, path: Sequence[float], th, color: str, W_range=(-2.0, 6.0)):
    lo = min(W_range[0], min(path) - 0.3)
    hi = max(W_range[1], max(path) + 0.3)
    ws = np.linspace(lo, hi, 301)
    ax.plot(ws, [loss_1d(w) for w in ws], color=th["muted"], lw=1.5)
    Ls = [loss_1d(w) for w in path]
    ax.plot(path, Ls, "-o", color=color, ms=4, lw=1.2)
    ax.plot(path[:1], Ls[:1], "s", color=th["fg"], ms=6)
    ax.set_xlim(lo, hi)


@_themed
def learning_rate(*, th, W0: float = -1.5, steps: int = 10) -> Figure:
    """Gradient descent on ``loss_1d`` from the same start W0 with four learning rates:
    too small (creeps), good, too large (oscillates around the minimum) and far too
    large (each step overshoots further: diverges)."""
    fig = Figure(figsize=(11, 3.6), dpi=100)
    fig.suptitle(f"Learning rate: {steps} steps of gradient descent from W = {W0}", y=0.98)
    axes = fig.subplots(1, 4)
    fig.subplots_adjust(left=0.05, right=0.99, bottom=0.15, top=0.8, wspace=0.28)
    colors = [th["path1"], th["good"], th["path2"], th["backward"]]
    for ax, (eta, verdict), color in zip(axes, LEARNING_RATES, colors, strict=True):
        path = descent_path(W0, eta, steps)
        draw_descent(ax, path, th, color)
        ax.set_title(f"η = {eta}: {verdict}", fontsize=10)
        ax.set_xlabel("W")
        ax.set_facecolor(th["bg"])
    axes[0].set_ylabel("L(W)")
    return fig


def default_graph() -> Value:
    """The default expression of :func:`computational_graph`, after ``backward()``:
    ``L = (w x + b - y)^2`` with w = 2, x = 1.5, b = -1, y = 1."""
    from ..maths.modes import neuron_expression

    L = neuron_expression()
    L.backward()
    return L


def graph_layout(root: Value) -> dict[Value, tuple[float, float]]:
    """Positions for drawing ``root``'s graph: the root on the right, each node one
    column left of the furthest node that uses it (layered by depth); within a column
    nodes are ordered by the mean height of their users, ties by first use."""
    topo = root.nodes()
    depth: dict[Value, int] = {root: 0}
    for node in reversed(topo):
        for child in node.children:
            depth[child] = max(depth.get(child, 0), depth[node] + 1)
    max_depth = max(depth.values())
    users: dict[Value, list[Value]] = {n: [] for n in topo}
    for child, parent in root.edges():
        users[child].append(parent)
    ypos: dict[Value, float] = {}
    order_index = {n: i for i, n in enumerate(topo)}
    for d in range(max_depth + 1):
        column = [n for n in topo if depth[n] == d]

        def key(n, _users=users):
            ys = [ypos[u] for u in _users[n] if u in ypos]
            return (-(sum(ys) / len(ys)) if ys else 0.0, order_index[n])

        column.sort(key=key)
        k = len(column)
        for i, n in enumerate(column):
            ypos[n] = (k - 1) / 2.0 - i
    return {n: (float(max_depth - depth[n]), ypos[n] * 1.0) for n in topo}


_MAX_GRAPH_NODES = 60
_OP_SHOWN = {"sigmoid": "σ"}  # operation names shortened in a node's title


@_themed
def computational_graph(root: Value | None = None, *, th) -> Figure:
    """Draw the graph of a small Value expression: one box per node with its name (label
    or operation), forward value ``data`` and gradient ``grad``, arrows from inputs to
    outputs. Laid out by :func:`graph_layout`. ``root=None`` draws :func:`default_graph`;
    a given root is drawn as it is (call ``root.backward()`` first to show gradients)."""
    if root is None:
        root = default_graph()
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value (or None), got {type(root).__name__}")
    nodes = root.nodes()
    if len(nodes) > _MAX_GRAPH_NODES:
        raise ValueError(
            f"root's graph has {len(nodes)} nodes; computational_graph draws at most "
            f"{_MAX_GRAPH_NODES} legibly (draw a smaller expression)"
        )
    pos = graph_layout(root)
    n_cols = int(max(p[0] for p in pos.values())) + 1
    n_rows = max(sum(1 for p in pos.values() if p[0] == c) for c in range(n_cols))
    sx, sy = 2.3, 1.35
    width = min(16.0, 1.0 + 2.1 * n_cols)
    height = min(9.0, 1.6 + 1.1 * n_rows)
    fig = Figure(figsize=(width, height), dpi=100)
    fig.suptitle("Computational graph: each node's value and gradient", y=0.98)
    ax = fig.add_axes((0.01, 0.01, 0.98, 1 - 0.55 / height))
    ax.axis("off")
    ys = [p[1] for p in pos.values()]
    ax.set_xlim(-0.75 * sx, (n_cols - 1) * sx + 0.75 * sx)
    ax.set_ylim(min(ys) * sy - 0.7, max(ys) * sy + 0.7)
    bw, bh = 1.75, 0.95
    labels = []
    for child, parent in root.edges():
        (cx, cy), (px, py) = pos[child], pos[parent]
        _arrow(
            ax,
            (cx * sx + bw / 2, cy * sy),
            (px * sx - bw / 2, py * sy),
            th["muted"],
            lw=1.2,
            shrink=1,
        )
    for node in nodes:
        x, y = pos[node]
        X, Y = x * sx, y * sy
        leaf = not node.children
        name = node.label or (node.op if not leaf else "const")
        title = name if leaf or not node.label else f"{name} [{_OP_SHOWN.get(node.op, node.op)}]"
        ax.add_patch(
            FancyBboxPatch(
                (X - bw / 2, Y - bh / 2),
                bw,
                bh,
                boxstyle="round,pad=0.04",
                fc=th["panel"],
                ec=th["fg"] if node is root else th["muted"],
                lw=1.6 if node is root else 1.0,
                zorder=3,
            )
        )
        labels.append(ax.text(
            X, Y + 0.25, title, ha="center", va="center", fontsize=9.5, zorder=4, fontweight="bold"
        ))
        labels.append(ax.text(
            X,
            Y - 0.02,
            f"data {node.data:.4g}",
            ha="center",
            va="center",
            fontsize=8.5,
            color=th["forward"],
            zorder=4,
        ))
        labels.append(ax.text(
            X,
            Y - 0.28,
            f"grad {node.grad:.4g}",
            ha="center",
            va="center",
            fontsize=8.5,
            color=th["backward"],
            zorder=4,
        ))
    _fit_in_boxes(fig, ax, labels, bw)
    return fig


def _fit_in_boxes(fig: Figure, ax, texts, box_width: float, fill: float = 0.9) -> None:
    """Shrink every text of ``texts`` by one common factor (never grow them) so that the
    widest fits in ``fill`` of a box ``box_width`` data units wide: on a wide graph the
    boxes get narrow, and a label like "W4·O21  [*]" would run into its neighbour's.
    Measured with the Agg renderer at the figure's own size and dpi."""
    from matplotlib.backends.backend_agg import RendererAgg

    w_in, h_in = fig.get_size_inches()
    renderer = RendererAgg(int(w_in * fig.dpi), int(h_in * fig.dpi), fig.dpi)
    x0, x1 = ax.transData.transform([(0.0, 0.0), (box_width, 0.0)])[:, 0]
    room = fill * abs(x1 - x0)
    widest = max((t.get_window_extent(renderer=renderer).width for t in texts), default=0.0)
    if widest > room:
        scale = room / widest
        for t in texts:
            t.set_fontsize(t.get_fontsize() * scale)


@functools.lru_cache(maxsize=4)
def _training_runs(epochs: int, seed: int) -> tuple[tuple[str, tuple[float, ...]], ...]:
    from ..maths import datasets, network, training

    X, y = datasets.two_moons(n=200, noise=0.1, seed=seed)
    runs = []
    for batch_size, name in (
        (1, "batch size 1 (SGD)"),
        (32, "batch size 32"),
        (len(X), f"full batch ({len(X)})"),
    ):
        net = network.Network([2, 8, 1], activations=["tanh", "sigmoid"], seed=seed)
        hist = training.train(
            net, X, y, loss="mse", eta=0.5, epochs=epochs, batch_size=batch_size, seed=seed
        )
        runs.append((name, tuple(hist.epoch_losses)))
    return tuple(runs)


@_themed
def training_curves(*, th, epochs: int = 60, seed: int = 0) -> Figure:
    """Mean squared error per epoch on two_moons (200 points) for a 2-8-1 network trained
    with batch size 1, 32 and the full batch (same start, eta = 0.5): smaller batches take
    more steps per epoch, so they go down faster per epoch, and more noisily."""
    runs = _training_runs(int(epochs), int(seed))
    fig = Figure(figsize=(7.5, 4.5), dpi=100)
    ax = fig.add_axes((0.1, 0.12, 0.86, 0.78))
    ax.set_title("Training loss per epoch for three batch sizes (two moons, 2-8-1)")
    for (name, losses), color, ls in zip(
        runs, [th["backward"], th["path1"], th["good"]], ["-", "--", ":"], strict=True
    ):
        ax.plot(np.arange(1, len(losses) + 1), losses, color=color, ls=ls, lw=2, label=name)
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss (MSE)")
    ax.set_yscale("log")
    ax.legend(frameon=True)
    return fig


@functools.lru_cache(maxsize=2)
def symmetry_weight_runs(seed: int) -> tuple[tuple[str, np.ndarray], ...]:
    from ..maths import datasets, rhw1986

    X, y = datasets.mirror_symmetry()
    run = rhw1986.train_full_batch([6, 2, 1], X, y, eta=1.6, alpha=0.9, max_epochs=3000,
                                   seed=seed)
    return tuple((k, np.array(v, copy=True)) for k, v in run.network.params.items())


SYMMETRY_SEED = 0
"""Seed of the 6-2-1 network that :func:`symmetry_weights` trains by default, with the
paper's recipe (``rhw1986.train_full_batch``: full batch, squared error, momentum 0.9,
eta = 1.6), which solved all 64 vectors from each of the seeds tried in lesson 09."""


def _weights_dict(weights) -> dict[str, np.ndarray]:
    need = ("W1", "b1", "W2", "b2")
    if not isinstance(weights, Mapping) or not all(k in weights for k in need):
        got = sorted(weights) if isinstance(weights, Mapping) else type(weights).__name__
        raise ValueError(f"weights must be a dict with keys {list(need)}, got {got}")
    W1 = np.asarray(weights["W1"], dtype=np.float64)
    W2 = np.asarray(weights["W2"], dtype=np.float64)
    b1 = np.asarray(weights["b1"], dtype=np.float64).reshape(-1)
    b2 = np.asarray(weights["b2"], dtype=np.float64).reshape(-1)
    if W1.ndim != 2 or W2.shape != (W1.shape[1], 1) or b1.shape != (W1.shape[1],):
        raise ValueError(
            f"weights must be those of an n-h-1 network: W1 (n, h), b1 (h,), W2 (h, 1), "
            f"b2 (1,); got W1 {W1.shape}, b1 {b1.shape}, W2 {W2.shape}, b2 {b2.shape}"
        )
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


@_themed
def symmetry_weights(weights: Mapping[str, np.ndarray] | None = None, *, th) -> Figure:
    """Hinton diagram of a 6-2-1 network trained on the mirror-symmetry task: one square
    per weight, area proportional to |w|, light for w > 0 and dark for w < 0. Each hidden
    unit's input weights are mirror images of opposite sign (w_i = -w_(7-i)), so a
    symmetric input makes them cancel. ``weights=None`` trains one (seed SYMMETRY_SEED)."""
    if weights is None:
        weights = dict(symmetry_weight_runs(SYMMETRY_SEED))
    w = _weights_dict(weights)
    n_in, n_hid = w["W1"].shape
    rows = [(f"hidden {j + 1}", list(w["W1"][:, j]) + [w["b1"][j]]) for j in range(n_hid)]
    hidden = (", ".join(str(j + 1) for j in range(n_hid)) if n_hid <= 3
              else f"1 to {n_hid}")
    rows.append((f"output unit\n(weights from\nhidden {hidden}; bias)",
                 list(w["W2"][:, 0]) + [w["b2"][0]]))
    wmax = max(abs(v) for _n, r in rows for v in r) or 1.0
    n_cols = max(len(r) for _n, r in rows)
    fig = Figure(figsize=(7.5, 1.6 + 0.9 * len(rows)), dpi=100)
    ax = fig.add_axes((0.2, 0.06, 0.77, 0.74))
    ax.set_title(f"Hinton diagram of the {n_in}-{n_hid}-1 mirror-symmetry network", pad=24)
    ax.set_facecolor(th["hinton_bg"])
    for i, (_name, r) in enumerate(rows):
        for j, v in enumerate(r):
            col = j if j < len(r) - 1 else n_cols - 1
            side = math.sqrt(abs(v) / wmax) * 0.78
            ax.add_patch(
                Rectangle(
                    (col - side / 2, -i - side / 2),
                    side,
                    side,
                    fc=th["pos"] if v > 0 else th["neg"],
                    ec="none",
                )
            )
            ax.text(
                col, -i - 0.47, f"{v:+.1f}", ha="center", va="center", fontsize=7, color=th["fg"]
            )
    ax.set_xlim(-0.6, n_cols - 0.4)
    ax.set_ylim(-len(rows) + 0.4, 0.6)
    ax.set_xticks(range(n_cols))
    ax.set_xticklabels([f"in {k + 1}" for k in range(n_cols - 1)] + ["bias"])
    ax.xaxis.tick_top()
    ax.set_yticks([-i for i in range(len(rows))])
    ax.set_yticklabels([name for name, _r in rows])
    ax.set_aspect("equal")
    return fig


# --------------------------------------------------------------------------- writing
FIGURES: dict[str, Callable[..., Figure]] = {
    "backprop_overview": backprop_overview,
    "course_network": course_network_figure,
    "chain_rule_paths": chain_rule_paths,
    "slope_sign": slope_sign,
    "learning_rate": learning_rate,
    "computational_graph": computational_graph,
    "training_curves": training_curves,
    "symmetry_weights": symmetry_weights,
}
"""Every committed figure: file name -> function (called with ``theme=`` only)."""

FORMATS: tuple[str, ...] = ("png", "svg")


def save_figure(fig: Figure, path: str | Path) -> Path:
    """Save ``fig`` as PNG (dpi 100) or SVG, chosen by the suffix, with fixed metadata
    (no date, no software version) so that the same figure gives the same bytes."""
    path = Path(path)
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise ValueError(f"path must end in .png or .svg, got {str(path)!r}")
    metadata = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
    with matplotlib.rc_context({"svg.hashsalt": "backprop-lessons", "svg.fonttype": "path"}):
        fig.savefig(path, format=fmt, dpi=100, metadata=metadata, facecolor=fig.get_facecolor())
    return path


FINGERPRINTS = "FINGERPRINTS.json"


def _rounded(values) -> list:
    return [float(f"{v:.6g}") for v in np.ravel(np.asarray(values, dtype=np.float64))]


def fingerprint(fig: Figure) -> str:
    """A hash of what a figure shows, independent of the renderer: every title, label and
    text, the data of every line, the geometry of every rectangle, circle and arrow, and
    the points of every scatter, rounded to 6 significant digits.

    The committed figures' fingerprints are kept in ``figures/FINGERPRINTS.json``, so a
    figure whose content changed is caught on any matplotlib version (pixels are compared
    only on the version that drew them)."""
    import hashlib
    import json

    from matplotlib.patches import Circle, FancyArrowPatch, Rectangle

    items: list = [["text", t.get_text()] for t in fig.texts]
    for ax in fig.axes:
        items.append(["axes", ax.get_title(), ax.get_xlabel(), ax.get_ylabel()])
        items += [["text", t.get_text(), _rounded(t.get_position())] for t in ax.texts]
        items += [["line", _rounded(line.get_xydata())] for line in ax.lines]
        for patch in ax.patches:
            if isinstance(patch, Rectangle):
                items.append(["rect", _rounded([*patch.get_xy(), patch.get_width(),
                                                patch.get_height()])])
            elif isinstance(patch, Circle):
                items.append(["circle", _rounded([*patch.center, patch.radius])])
            elif isinstance(patch, FancyArrowPatch):
                items.append(["arrow", _rounded(getattr(patch, "_posA_posB", None) or [])])
        items += [["points", _rounded(c.get_offsets())] for c in ax.collections]
        legend = ax.get_legend()
        if legend is not None:
            items.append(["legend", [t.get_text() for t in legend.get_texts()]])
    text = json.dumps(items, sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()


def write_all(
    out_dir: str | Path,
    names: Sequence[str] | None = None,
    themes: Sequence[str] = ("light", "dark"),
) -> list[Path]:
    """Draw every figure (or those in ``names``) in both themes and write
    ``<name>-<theme>.png`` and ``.svg`` into ``out_dir``; return the paths written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    chosen = list(FIGURES) if names is None else list(names)
    unknown = [n for n in chosen if n not in FIGURES]
    if unknown:
        raise ValueError(f"unknown figure name(s) {unknown}; choose from {list(FIGURES)}")
    import json

    manifest_path = out / FINGERPRINTS
    manifest = (json.loads(manifest_path.read_text(encoding="utf-8"))
                if manifest_path.is_file() else {"figures": {}})
    manifest["matplotlib"] = matplotlib.__version__
    written = []
    for name in chosen:
        for theme in themes:
            fig = FIGURES[name](theme=theme)
            manifest["figures"][f"{name}-{theme}"] = fingerprint(fig)
            for fmt in FORMATS:
                written.append(save_figure(fig, out / f"{name}-{theme}.{fmt}"))
    manifest["figures"] = dict(sorted(manifest["figures"].items()))
    manifest_path.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return written


def default_out_dir() -> Path:
    """``figures/`` at the repository root when running from a checkout (the folder that
    holds pyproject.toml above this package), else ``figures/`` in the current folder."""
    repo = Path(__file__).resolve().parents[2]
    if (repo / "pyproject.toml").is_file():
        return repo / "figures"
    return Path.cwd() / "figures"


def cli_main(argv: list[str]) -> int:
    """``backprop-lessons figures [--out DIR] [--only NAME ...]``: regenerate the figures."""
    parser = argparse.ArgumentParser(
        prog="backprop-lessons figures",
        description="Regenerate every committed figure (PNG and SVG, light and dark).",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output folder (default: figures/ at the repository root)",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=list(FIGURES),
        metavar="NAME",
        help=f"draw only this figure (repeatable); one of {', '.join(FIGURES)}",
    )
    args = parser.parse_args(argv)
    out = args.out if args.out is not None else default_out_dir()
    paths = write_all(out, args.only)
    print(f"wrote {len(paths)} files to {out}")
    return 0
