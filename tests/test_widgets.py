"""Widget logic: set a control, check the numbers against the core functions."""

import subprocess
import sys

import numpy as np
import pytest

from backprop_lessons import calculus, course_network, updates, widgets
from backprop_lessons.figures import loss_1d

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
    from backprop_lessons import datasets, network, training

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

    fig = draw(theme="dark")
    assert isinstance(fig, Figure)
    texts = [t.get_text() for t in fig.texts] + [ax.get_title() for ax in fig.axes]
    if fig._suptitle is not None:
        texts.append(fig._suptitle.get_text())
    assert any(fragment in t for t in texts), texts
