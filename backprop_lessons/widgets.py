"""Interactive explorers for the lessons (ipywidgets 8 + matplotlib).

Each explorer has three parts:

- a *state* object, plain Python and numpy, that computes every number the widget shows
  from the core functions (testable without a browser);
- a widget function that binds sliders to that state and redraws when a slider moves
  (the returned box carries ``.state``, ``.controls`` and ``.output``);
- a static fallback ``*_figure()`` that draws a state (by default the widget's
  starting state) as a :class:`Picture`, for places where widgets do not render.

The picture is rendered to PNG bytes (Agg, 100 dpi, no "Software" stamp, so the bytes
are the same on every run) and written into the ``ipywidgets.Output``'s ``outputs``
state; nothing is displayed while a widget is built. An executed notebook therefore
shows one output for an explorer cell (the box), whichever tool ran it (nbclient,
nbval, a live kernel), and a static fallback shows as a picture without
``%matplotlib inline``.

ipywidgets and matplotlib are imported only when a widget or figure is built, so
``import backprop_lessons.widgets`` needs neither a display nor a kernel.
"""

from __future__ import annotations

import base64
import functools
import io
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from . import calculus, course_network, updates
from .descent import loss_1d  # the one-weight loss of lessons 00-01

__all__ = [
    "loss_1d",
    "descent_path",
    "SlopeExplorerState",
    "LearningRateState",
    "ChainRuleState",
    "TrainingState",
    "slope_explorer",
    "learning_rate_explorer",
    "chain_rule_explorer",
    "training_explorer",
    "slope_explorer_figure",
    "learning_rate_explorer_figure",
    "chain_rule_explorer_figure",
    "training_explorer_figure",
    "Picture",
    "png_bytes",
]


def descent_path(W0: float, eta: float, steps: int, f: Callable[[float], float] = loss_1d):
    """``[W0, W1, ..., W_steps]`` of gradient descent on ``f``:
    ``W_new = W_old - eta * dL/dW_old`` with the slope measured by central differences.
    Stops early if W leaves [-1e6, 1e6] (divergence)."""
    path = [float(W0)]
    for _ in range(int(steps)):
        slope = calculus.numerical_derivative(f, path[-1])
        path.append(updates.weight_update(path[-1], slope, eta))
        if abs(path[-1]) > 1e6:
            break
    return path


# ------------------------------------------------------------------------ states
@dataclass
class SlopeExplorerState:
    """One gradient-descent step on the 1-D loss ``L(W) = 0.5 (W - 2)^2 + 0.3``.

    ``slope = dL/dW`` at W (central difference), ``W_new = W - eta * slope``;
    ``direction`` is +1 (W grows, slope < 0), -1 (W shrinks, slope > 0) or 0.
    """

    W: float = 0.4
    eta: float = 0.5

    @property
    def slope(self) -> float:
        return calculus.numerical_derivative(loss_1d, self.W)

    @property
    def sign(self) -> int:
        """-1, 0 or +1: the sign of the slope (flat below 1e-9)."""
        return calculus.slope_sign(self.slope, tol=1e-9)

    @property
    def W_new(self) -> float:
        return updates.weight_update(self.W, self.slope, self.eta)

    @property
    def direction(self) -> int:
        return 0 if self.sign == 0 else updates.step_direction(self.slope)

    @property
    def L_old(self) -> float:
        return loss_1d(self.W)

    @property
    def L_new(self) -> float:
        return loss_1d(self.W_new)

    @property
    def relation(self) -> str:
        """The inequality spelled out, e.g. 'slope -1.60 < 0, so W_new = 1.20 > W_old = 0.40'."""
        s, new = self.slope, self.W_new
        if self.sign < 0:
            return f"slope {s:+.2f} < 0, so W_new = {new:.2f} > W_old = {self.W:.2f}"
        if self.sign > 0:
            return f"slope {s:+.2f} > 0, so W_new = {new:.2f} < W_old = {self.W:.2f}"
        return f"slope {abs(s):.2f} = 0, so W_new = W_old = {self.W:.2f} (at the minimum)"


@dataclass
class LearningRateState:
    """``steps`` steps of gradient descent on the 1-D loss from ``W0`` with rate ``eta``:
    ``W_(k+1) = W_k - eta dL/dW(W_k)``. On this loss ``W_(k+1) - 2 = (1 - eta)(W_k - 2)``:
    it converges for 0 < eta < 2, oscillates for eta > 1 and diverges for eta > 2."""

    eta: float = 0.7
    steps: int = 10
    W0: float = -1.5

    @property
    def path(self) -> list[float]:
        return descent_path(self.W0, self.eta, self.steps)

    @property
    def losses(self) -> list[float]:
        return [loss_1d(w) for w in self.path]

    @property
    def verdict(self) -> str:
        """'converges', 'converges, oscillating', 'diverges' or 'oscillates forever'."""
        factor = 1.0 - self.eta
        if abs(factor) < 1.0:
            return "converges" if factor >= 0 else "converges, oscillating"
        return "oscillates forever" if abs(factor) == 1.0 else "diverges"


@dataclass
class ChainRuleState:
    """The course network at input ``x`` (target ``y``) with weights W1..W5 and biases b1..b4.

    ``intermediates``: every z and O of the forward pass and L; ``path_products``: each
    chain-rule path from L to W1 with its product; ``total``: their sum, dL/dW1;
    ``numeric``: dL/dW1 measured by central differences."""

    x: float = 1.5
    y: float = 1.0
    params: dict[str, float] = field(default_factory=course_network.default_params)

    def set(self, name: str, value: float) -> None:
        """Set ``x``, ``y`` or one parameter ('W1'..'W5', 'b1'..'b4')."""
        if name in ("x", "y"):
            setattr(self, name, float(value))
        elif name in course_network.PARAM_NAMES:
            self.params[name] = float(value)
        else:
            raise KeyError(
                f"name must be 'x', 'y' or one of {list(course_network.PARAM_NAMES)}, got {name!r}"
            )

    @property
    def intermediates(self) -> dict[str, float]:
        return {k: float(v) for k, v in course_network.forward(self.x, self.y, self.params).items()}

    @property
    def path_products(self) -> list[tuple[str, float]]:
        """``[(formula, product), ...]`` for the two paths from L to W1."""
        return [
            (str(path), float(product))
            for path, _values, product in course_network.path_products(
                self.x, self.y, self.params, "W1"
            )
        ]

    @property
    def total(self) -> float:
        return sum(p for _f, p in self.path_products)

    @property
    def numeric(self) -> float:
        return float(course_network.numerical_gradient(self.x, self.y, self.params, "W1"))


_DATASETS = ("two_moons", "xor", "spirals")


@dataclass
class TrainingState:
    """A 2-8-1 network (tanh, sigmoid) trained on a 2-D data set by mini-batch gradient
    descent with ``batch_size``, ``eta`` and ``epochs``; ``losses`` per epoch, the final
    ``accuracy`` and the predicted probability on a grid for the decision boundary."""

    batch_size: int = 32
    eta: float = 0.5
    epochs: int = 60
    dataset: str = "two_moons"
    seed: int = 0

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        from . import datasets

        if self.dataset not in _DATASETS:
            raise ValueError(f"dataset must be one of {list(_DATASETS)}, got {self.dataset!r}")
        if self.dataset == "two_moons":
            return datasets.two_moons(n=200, noise=0.1, seed=self.seed)
        if self.dataset == "spirals":
            return datasets.spirals(seed=self.seed)
        return datasets.xor()

    def result(self):
        """``(network, history)``, trained once per setting (cached)."""
        return _train_cached(
            self.dataset, int(self.batch_size), float(self.eta), int(self.epochs), int(self.seed)
        )

    @property
    def losses(self) -> list[float]:
        return list(self.result()[1].epoch_losses)

    @property
    def accuracy(self) -> float:
        from . import training

        X, y = self.data()
        return float(training.accuracy(y, self.result()[0].predict(X)))

    def grid(self, n: int = 80):
        """``(xx, yy, p)``: a grid over the data and the network's output on it."""
        X, _y = self.data()
        lo, hi = X.min(axis=0) - 0.5, X.max(axis=0) + 0.5
        xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n))
        p = self.result()[0].predict(np.column_stack([xx.ravel(), yy.ravel()]))
        return xx, yy, p.reshape(xx.shape)


@functools.lru_cache(maxsize=16)
def _train_cached(dataset: str, batch_size: int, eta: float, epochs: int, seed: int):
    from . import network, training

    X, y = TrainingState(batch_size, eta, epochs, dataset, seed).data()
    net = network.Network([2, 8, 1], activations=["tanh", "sigmoid"], seed=seed)
    hist = training.train(
        net,
        X,
        y,
        loss="mse",
        eta=eta,
        epochs=epochs,
        batch_size=min(batch_size, len(X)),
        seed=seed,
    )
    return net, hist


# ------------------------------------------------------------------------ drawing
PNG_DPI = 100


def png_bytes(fig, dpi: int = PNG_DPI) -> bytes:
    """The PNG of a matplotlib Figure, rendered by Agg at ``dpi`` with no "Software"
    metadata: the same figure gives the same bytes on every run."""
    buf = io.BytesIO()
    fig.savefig(
        buf, format="png", dpi=dpi, metadata={"Software": None}, facecolor=fig.get_facecolor()
    )
    return buf.getvalue()


class Picture:
    """A drawn explorer state: ``.figure`` (the matplotlib Figure) and ``.text`` (what it
    shows, in words). Jupyter displays it as a PNG (:func:`png_bytes`), with or without
    ``%matplotlib inline``; its text form is ``.text``."""

    def __init__(self, figure, text: str):
        self.figure = figure
        self.text = text

    def png(self) -> bytes:
        return png_bytes(self.figure)

    def _repr_png_(self) -> bytes:
        return self.png()

    def display_data(self) -> dict:
        """The picture as one ``display_data`` output (PNG in base64, ``.text`` as plain
        text), the form a notebook and an ``ipywidgets.Output`` store."""
        return {
            "output_type": "display_data",
            "data": {
                "image/png": base64.b64encode(self.png()).decode("ascii"),
                "text/plain": self.text,
            },
            "metadata": {},
        }

    def __repr__(self) -> str:
        return f"<Picture: {self.text}>"


@contextmanager
def _canvas(theme: str, figsize):
    """Yield ``(fig, th)``: a new Figure drawn inside the theme's rc settings."""
    import matplotlib
    from matplotlib.figure import Figure

    from .figures import _rc, _theme

    th = _theme(theme)
    with matplotlib.rc_context(_rc(th)):
        yield Figure(figsize=figsize, dpi=100, facecolor=th["bg"]), th


def slope_explorer_figure(state: SlopeExplorerState | None = None, theme: str = "light") -> Picture:
    """The slope explorer's picture: the loss, the tangent at W, the step to W_new and the
    inequality (static fallback of :func:`slope_explorer`)."""
    from .figures import _draw_slope_step

    state = SlopeExplorerState() if state is None else state
    with _canvas(theme, (7, 4.2)) as (fig, th):
        ax = fig.add_axes((0.1, 0.13, 0.86, 0.75))
        ws = np.linspace(-1.0, 5.0, 201)
        ax.plot(ws, [loss_1d(w) for w in ws], color=th["fg"], lw=2)
        color = th["path1"] if state.direction >= 0 else th["path2"]
        _draw_slope_step(ax, state.W, state.eta, th, color)
        ax.set_title(state.relation, fontsize=10)
        ax.set_xlabel("W")
        ax.set_ylabel("L(W)")
        ax.set_xlim(-1.0, 5.0)
        ax.set_ylim(-0.4, 5.0)
    return Picture(fig, f"slope at W = {state.W:.2f} with η = {state.eta:.2f}: {state.relation}")


def learning_rate_explorer_figure(
    state: LearningRateState | None = None, theme: str = "light"
) -> Picture:
    """The path of gradient descent on the loss for one eta and number of steps (static
    fallback of :func:`learning_rate_explorer`)."""
    from .figures import _draw_descent

    state = LearningRateState() if state is None else state
    title = (
        f"η = {state.eta:g}, {state.steps} steps: {state.verdict}; final W = {state.path[-1]:.3g}"
    )
    with _canvas(theme, (7, 4.2)) as (fig, th):
        ax = fig.add_axes((0.1, 0.13, 0.86, 0.75))
        _draw_descent(ax, state.path, th, th["path1"])
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("W")
        ax.set_ylabel("L(W)")
    return Picture(fig, f"gradient descent from W = {state.W0:g} with {title}")


def chain_rule_explorer_figure(
    state: ChainRuleState | None = None, theme: str = "light"
) -> Picture:
    """The two paths to W1 with their products at the state's values, and the numeric
    derivative beside their sum (static fallback of :func:`chain_rule_explorer`)."""
    from .figures import chain_rule_paths

    state = ChainRuleState() if state is None else state
    fig = chain_rule_paths(theme=theme, x=state.x, y=state.y, params=state.params)
    fig.text(
        0.97,
        0.04,
        f"numeric (central difference): {state.numeric:.5f}",
        ha="right",
        fontsize=10,
        color=fig.texts[0].get_color() if fig.texts else None,
    )
    return Picture(
        fig,
        f"∂L/∂W1 at x = {state.x:g} by two paths: sum {state.total:.5f}, "
        f"numeric (central difference) {state.numeric:.5f}",
    )


def training_explorer_figure(state: TrainingState | None = None, theme: str = "light") -> Picture:
    """Loss per epoch (left) and the decision boundary on the data (right) (static
    fallback of :func:`training_explorer`)."""
    state = TrainingState() if state is None else state
    with _canvas(theme, (10, 4)) as (fig, th):
        ax1, ax2 = fig.subplots(1, 2)
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.13, top=0.85, wspace=0.25)
        losses = state.losses
        ax1.plot(np.arange(1, len(losses) + 1), losses, color=th["path1"], lw=2)
        ax1.set_xlabel("epoch")
        ax1.set_ylabel("loss (MSE)")
        ax1.set_title(f"batch size {state.batch_size}, η = {state.eta:g}", fontsize=10)
        xx, yy, p = state.grid()
        ax2.contourf(
            xx, yy, p, levels=[0.0, 0.5, 1.0], colors=[th["path2"], th["path1"]], alpha=0.25
        )
        ax2.contour(xx, yy, p, levels=[0.5], colors=[th["fg"]], linewidths=1.5)
        X, y = state.data()
        yb = y.ravel() > 0.5
        ax2.scatter(X[~yb, 0], X[~yb, 1], s=12, color=th["path2"], label="class 0")
        ax2.scatter(X[yb, 0], X[yb, 1], s=12, color=th["path1"], marker="s", label="class 1")
        ax2.set_title(f"decision boundary, accuracy {state.accuracy:.1%}", fontsize=10)
        fig.suptitle(f"Training on {state.dataset} for {state.epochs} epochs")
    return Picture(
        fig,
        f"training on {state.dataset}, batch size {state.batch_size}, η = {state.eta:g}, "
        f"{state.epochs} epochs: final loss {losses[-1]:.4f}, accuracy {state.accuracy:.1%}",
    )


# ------------------------------------------------------------------------ widgets
@functools.cache
def _explorer_box_class():
    """A VBox whose text form names the explorer and its settings (no model ids, no
    memory addresses, no image data), built when ipywidgets is first needed."""
    import ipywidgets as widgets

    class ExplorerBox(widgets.VBox):
        def __repr__(self) -> str:
            values = ", ".join(f"{name}={c.value:g}" for name, c in self.controls.items())
            return f"{self.explorer}({values}) [interactive]"

    return ExplorerBox


def _explorer(explorer: str, state, controls: dict, draw, extra=None):
    """The box of an explorer called ``explorer``: bind ``controls`` (name -> widget) to
    ``state`` attributes and redraw on change.

    The picture ``draw(state)`` replaces the ``outputs`` of an ``ipywidgets.Output`` as
    one PNG ``display_data`` (:meth:`Picture.display_data`): no display message is sent,
    so running the cell gives exactly one output, the box. ``extra(state)``, if given,
    is HTML shown below the picture."""
    import ipywidgets as widgets

    out = widgets.Output()
    table = widgets.HTML() if extra is not None else None

    def redraw(_change=None) -> None:
        out.outputs = (draw(state).display_data(),)
        if table is not None:
            table.value = extra(state)

    def bind(name, control):
        def on_change(change):
            if isinstance(state, ChainRuleState):
                state.set(name, change["new"])
            else:
                setattr(state, name, change["new"])
            redraw()

        control.observe(on_change, names="value")

    for key, control in controls.items():
        bind(key, control)
    children = [widgets.HBox(list(controls.values())), out]
    if table is not None:
        children.append(table)
    box = _explorer_box_class()(children)
    box.explorer = explorer
    box.state = state
    box.controls = controls
    box.output = out
    box.redraw = redraw
    redraw()
    return box


def _slider(description, value, lo, hi, step, integer=False):
    import ipywidgets as widgets

    cls = widgets.IntSlider if integer else widgets.FloatSlider
    return cls(
        value=value, min=lo, max=hi, step=step, description=description, continuous_update=False
    )


def slope_explorer(W: float = 0.4, eta: float = 0.5):
    """Sliders for W and eta on the 1-D loss: the tangent at W, the sign of its slope, where
    W_new lands and the inequality W_new > W_old or W_new < W_old. Returns an
    ``ipywidgets.VBox`` with ``.state`` (:class:`SlopeExplorerState`), ``.controls`` and
    ``.output`` (the ``ipywidgets.Output`` holding the picture)."""
    state = SlopeExplorerState(W=W, eta=eta)
    controls = {"W": _slider("W", W, -1.0, 5.0, 0.05), "eta": _slider("η", eta, 0.05, 1.5, 0.05)}
    return _explorer("slope_explorer", state, controls, slope_explorer_figure)


def learning_rate_explorer(eta: float = 0.7, steps: int = 10):
    """Sliders for eta and the number of steps: the path of gradient descent on the curve."""
    state = LearningRateState(eta=eta, steps=steps)
    controls = {
        "eta": _slider("η", eta, 0.05, 2.3, 0.05),
        "steps": _slider("steps", steps, 1, 30, 1, integer=True),
    }
    return _explorer("learning_rate_explorer", state, controls, learning_rate_explorer_figure)


def _chain_rule_table(state: ChainRuleState) -> str:
    """Every intermediate of the forward pass, both path products, their sum and the
    numeric derivative, as an HTML table."""
    rows = "".join(f"<tr><td>{k}</td><td>{v:.6f}</td></tr>" for k, v in state.intermediates.items())
    paths = "".join(
        f"<tr><td>path {i}: {formula}</td><td>{p:.6f}</td></tr>"
        for i, (formula, p) in enumerate(state.path_products, start=1)
    )
    return (
        "<table><tr><th>forward pass</th><th></th></tr>"
        + rows
        + "<tr><th>chain rule for ∂L/∂W1</th><th></th></tr>"
        + paths
        + f"<tr><td><b>sum of the paths</b></td><td><b>{state.total:.6f}</b></td></tr>"
        + f"<tr><td>numeric (central difference)</td><td>{state.numeric:.6f}</td></tr></table>"
    )


def chain_rule_explorer(x: float = 1.5):
    """Sliders for x and W1..W5: every intermediate of the forward pass, both path products
    of dL/dW1, their sum, and the numeric derivative beside it."""
    state = ChainRuleState(x=x)
    controls = {"x": _slider("x", x, -3.0, 3.0, 0.1)}
    for name in ("W1", "W2", "W3", "W4", "W5"):
        controls[name] = _slider(name, state.params[name], -3.0, 3.0, 0.05)
    return _explorer(
        "chain_rule_explorer", state, controls, chain_rule_explorer_figure, extra=_chain_rule_table
    )


def training_explorer(batch_size: int = 32, eta: float = 0.5, epochs: int = 60):
    """Batch size, eta and epochs for a 2-8-1 network on two moons: the loss per epoch and
    the decision boundary (each change retrains; results are cached)."""
    state = TrainingState(batch_size=batch_size, eta=eta, epochs=epochs)
    controls = {
        "batch_size": _slider("batch size", batch_size, 1, 200, 1, integer=True),
        "eta": _slider("η", eta, 0.05, 3.0, 0.05),
        "epochs": _slider("epochs", epochs, 1, 200, 1, integer=True),
    }
    return _explorer("training_explorer", state, controls, training_explorer_figure)
