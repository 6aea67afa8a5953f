"""Widget logic: set a control, check the numbers against the core functions."""

import subprocess
import sys

import numpy as np
import pytest

from backprop_lessons import widgets
from backprop_lessons.maths import calculus, course_network, updates
from backprop_lessons.viz.figures import loss_1d

pytest.importorskip("ipywidgets")


def test_importing_widgets_loads_neither_matplotlib_nor_ipywidgets():
    code = (
        "import sys, backprop_lessons.widgets; "
        "print('matplotlib' in sys.modules, 'ipywidgets' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.parametrize("W", [-0.5, 0.4, 1.9, 3.6])
@pytest.mark.parametrize("eta", [0.1, 0.5, 1.2])
def test_slope_state_matches_the_core(W, eta):
    s = widgets.SlopeExplorerState(W=W, eta=eta)
    slope = calculus.numerical_derivative(loss_1d, W)
    assert s.slope == pytest.approx(W - 2.0, abs=1e-8) == pytest.approx(slope)
    assert s.W_new == pytest.approx(updates.weight_update(W, slope, eta))
    assert s.direction == updates.step_direction(slope)
    if W < 2:
        assert s.W_new > W and f"W_new = {s.W_new:.2f} > W_old = {W:.2f}" in s.relation
    else:
        assert s.W_new < W and f"W_new = {s.W_new:.2f} < W_old = {W:.2f}" in s.relation


def test_slope_state_at_the_minimum_stays_put():
    s = widgets.SlopeExplorerState(W=2.0, eta=0.5)
    assert s.direction == 0 and s.W_new == pytest.approx(2.0)
    assert "W_new = W_old = 2.00" in s.relation


def test_slope_explorer_slider_updates_the_state():
    box = widgets.slope_explorer()
    box.controls["W"].value = 3.5
    box.controls["eta"].value = 0.25
    assert box.state.W == 3.5 and box.state.eta == 0.25
    assert box.state.W_new == pytest.approx(3.5 - 0.25 * 1.5, abs=1e-8)
    assert box.state.direction == -1


def test_learning_rate_state_follows_the_closed_form():
    for eta, verdict in [(0.1, "converges"), (1.5, "converges, oscillating"), (2.2, "diverges")]:
        s = widgets.LearningRateState(eta=eta, steps=6)
        expected = [2 + (1 - eta) ** k * (s.W0 - 2) for k in range(7)]
        np.testing.assert_allclose(s.path, expected, rtol=1e-8, atol=1e-8)
        assert s.verdict == verdict
        assert s.losses == pytest.approx([loss_1d(w) for w in expected], rel=1e-7)


def test_learning_rate_explorer_sliders_change_the_path():
    box = widgets.learning_rate_explorer()
    box.controls["steps"].value = 3
    box.controls["eta"].value = 0.5
    assert len(box.state.path) == 4
    assert box.state.path[-1] == pytest.approx(2 + 0.5**3 * (-3.5), abs=1e-8)


def test_chain_rule_state_matches_course_network():
    s = widgets.ChainRuleState()
    s.set("x", 0.8)
    s.set("W3", -1.1)
    params = {**course_network.default_params(), "W3": -1.1}
    y = s.y
    fwd = course_network.forward(0.8, y, params)
    assert s.intermediates["O22"] == pytest.approx(float(fwd["O22"]))
    products = [p for _path, _v, p in course_network.path_products(0.8, y, params, "W1")]
    assert [p for _f, p in s.path_products] == pytest.approx(products)
    assert s.total == pytest.approx(course_network.gradients(0.8, y, params)["W1"], rel=1e-12)
    assert s.numeric == pytest.approx(s.total, rel=1e-6)
    assert "∂O31/∂O21" in s.path_products[0][0]
    with pytest.raises(KeyError, match="name must be 'x', 'y' or one of"):
        s.set("W9", 1.0)


def test_chain_rule_explorer_slider_moves_the_path_products():
    box = widgets.chain_rule_explorer()
    before = box.state.total
    box.controls["W4"].value = -2.0
    assert box.state.params["W4"] == -2.0
    x, y = box.state.x, box.state.y
    params = {**course_network.default_params(), "W4": -2.0}
    assert box.state.total == pytest.approx(course_network.gradients(x, y, params)["W1"])
    assert box.state.total != pytest.approx(before)


def test_training_state_losses_come_from_train():
    from backprop_lessons.maths import datasets, network, training

    s = widgets.TrainingState(batch_size=32, eta=0.5, epochs=5)
    X, y = datasets.two_moons(n=200, noise=0.1, seed=0)
    net = network.Network([2, 8, 1], activations=["tanh", "sigmoid"], seed=0)
    hist = training.train(net, X, y, loss="mse", eta=0.5, epochs=5, batch_size=32, seed=0)
    assert s.losses == pytest.approx(hist.epoch_losses, rel=1e-12)
    assert s.accuracy == pytest.approx(training.accuracy(y, net.predict(X)))
    xx, yy, p = s.grid(n=10)
    assert p.shape == (10, 10) and np.all((p > 0) & (p < 1))


def test_training_explorer_slider_retrains():
    box = widgets.training_explorer(epochs=3)
    box.controls["batch_size"].value = 200
    assert box.state.batch_size == 200
    assert len(box.state.losses) == 3
    full = widgets.TrainingState(batch_size=200, epochs=3).losses
    assert box.state.losses == full


def test_unknown_dataset_is_named():
    with pytest.raises(ValueError, match="dataset must be one of .*got 'iris'"):
        widgets.TrainingState(dataset="iris").data()


@pytest.mark.parametrize(
    "draw, fragment",
    [
        (widgets.slope_explorer_figure, "W_new = 1.20 > W_old = 0.40"),
        (widgets.learning_rate_explorer_figure, "converges"),
        (widgets.chain_rule_explorer_figure, "numeric (central difference)"),
        (widgets.training_explorer_figure, "decision boundary, accuracy"),
    ],
)
def test_static_fallbacks_draw_the_default_state(draw, fragment):
    from matplotlib.figure import Figure

    pic = draw(theme="dark")
    assert isinstance(pic, widgets.Picture) and isinstance(pic.figure, Figure)
    fig = pic.figure
    texts = [t.get_text() for t in fig.texts] + [ax.get_title() for ax in fig.axes]
    if fig._suptitle is not None:
        texts.append(fig._suptitle.get_text())
    assert any(fragment in t for t in texts), texts


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    "draw",
    [
        widgets.slope_explorer_figure,
        widgets.learning_rate_explorer_figure,
        widgets.chain_rule_explorer_figure,
        widgets.training_explorer_figure,
    ],
)
def test_static_fallback_shows_as_the_same_png_every_time(draw):
    from IPython.core.formatters import PlainTextFormatter, PNGFormatter

    first, second = draw(), draw()
    png = PNGFormatter()(first)  # what Jupyter shows, with no %matplotlib inline
    assert png is not None and png.startswith(PNG_SIGNATURE)
    assert png == second._repr_png_(), "same state, same bytes"
    assert b"Software" not in png and b"Matplotlib version" not in png
    text = PlainTextFormatter()(first)
    assert text == repr(second) == f"<Picture: {first.text}>"
    assert "0x" not in text


def test_picture_text_states_the_numbers():
    pic = widgets.slope_explorer_figure(widgets.SlopeExplorerState(W=3.6, eta=0.5))
    assert pic.text == "slope at W = 3.60 with η = 0.50: " + (
        "slope +1.60 > 0, so W_new = 2.80 < W_old = 3.60"
    )


def _images(box) -> list[bytes]:
    """The PNGs held by an explorer's Output widget; fails on any other output."""
    import base64

    pngs = []
    for out in box.output.outputs:
        assert out["output_type"] == "display_data", out["output_type"]
        assert set(out["data"]) == {"image/png", "text/plain"}, set(out["data"])
        png = base64.b64decode(out["data"]["image/png"])
        assert png.startswith(PNG_SIGNATURE)
        pngs.append(png)
    return pngs


EXPLORERS = [
    ("slope_explorer", {}, "W", 3.5),
    ("learning_rate_explorer", {}, "eta", 1.8),
    ("chain_rule_explorer", {}, "W4", -2.0),
    ("training_explorer", {"epochs": 3}, "batch_size", 200),
]


@pytest.mark.parametrize("name, kwargs, control, value", EXPLORERS, ids=[e[0] for e in EXPLORERS])
def test_explorer_output_holds_one_png_that_follows_the_slider(name, kwargs, control, value):
    box = getattr(widgets, name)(**kwargs)
    (before,) = _images(box)
    assert before == widgets.png_bytes(getattr(widgets, f"{name}_figure")(box.state).figure), (
        "the Output shows the state's picture"
    )
    box.controls[control].value = value
    (after,) = _images(box)
    assert after != before, "moving a slider redraws the picture"
    box.controls[control].value = box.controls[control].value  # no change, no redraw
    assert _images(box) == [after]


@pytest.mark.parametrize("name, kwargs, control, value", EXPLORERS, ids=[e[0] for e in EXPLORERS])
def test_building_an_explorer_displays_nothing(name, kwargs, control, value, monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: shown.append(a))
    monkeypatch.setattr(IPython.display, "clear_output", lambda *a, **k: shown.append(a))
    box = getattr(widgets, name)(**kwargs)
    box.controls[control].value = value
    assert shown == [], "a display message would become an extra cell output under nbval"


@pytest.mark.parametrize("name, kwargs, control, value", EXPLORERS, ids=[e[0] for e in EXPLORERS])
def test_explorer_text_form_is_short_and_the_same_every_time(name, kwargs, control, value):
    first, second = getattr(widgets, name)(**kwargs), getattr(widgets, name)(**kwargs)
    text = first._repr_mimebundle_()["text/plain"]
    assert text == second._repr_mimebundle_()["text/plain"] == repr(first)
    assert text.startswith(name + "(") and text.endswith(") [interactive]")
    assert len(text) <= 110, "ipywidgets cuts longer text forms"
    assert "0x" not in text and first.model_id not in text and "iVBOR" not in text


def test_slope_explorer_text_form_follows_the_sliders():
    box = widgets.slope_explorer()
    assert repr(box) == "slope_explorer(W=0.4, eta=0.5) [interactive]"
    box.controls["W"].value = 3.5
    assert repr(box) == "slope_explorer(W=3.5, eta=0.5) [interactive]"


def test_chain_rule_explorer_table_follows_the_sliders():
    box = widgets.chain_rule_explorer()
    table = box.children[-1]
    assert f"<b>{box.state.total:.6f}</b>" in table.value
    box.controls["W4"].value = -2.0
    assert f"<b>{box.state.total:.6f}</b>" in table.value
    assert f"{box.state.numeric:.6f}" in table.value
