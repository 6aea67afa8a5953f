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

import functools

import numpy as np

from ..maths.descent import loss_1d
from .picture import Picture
from .state import ChainRuleState, LearningRateState, SlopeExplorerState, TrainingState

__all__ = [
    "slope_explorer",
    "learning_rate_explorer",
    "chain_rule_explorer",
    "training_explorer",
    "slope_explorer_figure",
    "learning_rate_explorer_figure",
    "chain_rule_explorer_figure",
    "training_explorer_figure",
]


def _viz():
    """The figures and theme modules (matplotlib), imported when a picture is drawn."""
    from ..viz import figures, theme

    return figures, theme


def slope_explorer_figure(state: SlopeExplorerState | None = None, theme: str = "light") -> Picture:
    """The slope explorer's picture: the loss, the tangent at W, the step to W_new and the
    inequality (static fallback of :func:`slope_explorer`)."""
    state = SlopeExplorerState() if state is None else state
    with _viz()[1].canvas(theme, (7, 4.2)) as (fig, th):
        ax = fig.add_axes((0.1, 0.13, 0.86, 0.75))
        ws = np.linspace(-1.0, 5.0, 201)
        ax.plot(ws, [loss_1d(w) for w in ws], color=th["fg"], lw=2)
        color = th["path1"] if state.direction >= 0 else th["path2"]
        _viz()[0].draw_slope_step(ax, state.W, state.eta, th, color)
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
    state = LearningRateState() if state is None else state
    title = (
        f"η = {state.eta:g}, {state.steps} steps: {state.verdict}; final W = {state.path[-1]:.3g}"
    )
    with _viz()[1].canvas(theme, (7, 4.2)) as (fig, th):
        ax = fig.add_axes((0.1, 0.13, 0.86, 0.75))
        _viz()[0].draw_descent(ax, state.path, th, th["path1"])
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("W")
        ax.set_ylabel("L(W)")
    return Picture(fig, f"gradient descent from W = {state.W0:g} with {title}")


def chain_rule_explorer_figure(
    state: ChainRuleState | None = None, theme: str = "light"
) -> Picture:
    """The two paths to W1 with their products at the state's values, and the numeric
    derivative beside their sum (static fallback of :func:`chain_rule_explorer`)."""
    state = ChainRuleState() if state is None else state
    fig = _viz()[0].chain_rule_paths(theme=theme, x=state.x, y=state.y, params=state.params)
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
    with _viz()[1].canvas(theme, (10, 4)) as (fig, th):
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


def _explorer(explorer: str, state, controls: dict, draw, extra=None, working=None):
    """The box of an explorer called ``explorer``: bind ``controls`` (name -> widget) to
    ``state`` attributes and redraw on change.

    The picture ``draw(state)`` replaces the ``outputs`` of an ``ipywidgets.Output`` as
    one PNG ``display_data`` (:meth:`Picture.display_data`): no display message is sent,
    so running the cell gives exactly one output, the box. ``extra(state)``, if given,
    is HTML shown below the picture. ``working``, if given, is the text a status line
    (``box.status``) shows while a redraw runs, with the sliders disabled, for explorers
    whose redraw takes seconds; it is empty otherwise.

    The sliders wrap onto as many rows as the notebook's width needs (each keeps a
    usable track), instead of shrinking in one row."""
    import ipywidgets as widgets

    out = widgets.Output()
    table = widgets.HTML() if extra is not None else None
    status = widgets.HTML(value="") if working is not None else None

    def redraw(_change=None) -> None:
        if status is not None:
            status.value = f"<i>⏳ {working}</i>"
            for control in controls.values():
                control.disabled = True
        try:
            out.outputs = (draw(state).display_data(),)
            if table is not None:
                table.value = extra(state)
        finally:
            if status is not None:
                status.value = ""
                for control in controls.values():
                    control.disabled = False

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
    row = widgets.HBox(list(controls.values()),
                       layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
    children = [row] + ([status] if status is not None else []) + [out]
    if table is not None:
        children.append(table)
    box = _explorer_box_class()(children)
    box.explorer = explorer
    box.state = state
    box.controls = controls
    box.output = out
    box.status = status
    box.redraw = redraw
    redraw()
    return box


def _slider(description, value, lo, hi, step, integer=False):
    import ipywidgets as widgets

    cls = widgets.IntSlider if integer else widgets.FloatSlider
    # a fixed width (not shrinkable): in a wrapping row a slider moves to the next line
    # rather than losing its track
    return cls(
        value=value, min=lo, max=hi, step=step, description=description,
        continuous_update=False, layout=widgets.Layout(width="290px", flex="0 0 auto"),
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
    return _explorer("training_explorer", state, controls, training_explorer_figure,
                     working="training the network on these settings (a few seconds)…")
