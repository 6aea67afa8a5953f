"""Issue 13, "go deeper", lessons 01 and 02: why the update lowers the loss (the first- and
second-order change of the loss over one step), the local derivatives of a weighted edge
into a sigmoid neuron derived by the learner, and the three gates (add distributes,
multiply swaps, max routes). The maths in float64 against finite differences; each new
exercise against its solution, right variants and learner-style wrong answers."""

import math

import numpy as np
import pytest

from backprop_lessons.exercises import lesson_01, lesson_02
from backprop_lessons.maths import chain_rule, descent
from backprop_lessons.maths import course_network as cn
from backprop_lessons.maths.activations import sigmoid_scalar
from backprop_lessons.maths.calculus import numerical_derivative
from tests.conftest import assert_wrong, solution

_assert_wrong = assert_wrong


def _solution(exercise):
    """The exercise's teaching-form solution, with what this lesson's setup cell imports."""
    return solution(exercise, np=np, math=math)


# --- maths: the change of the loss over one step ------------------------------------------


def test_predicted_loss_change_values():
    assert descent.predicted_loss_change(-1.6, 0.5) == pytest.approx(-1.28, rel=1e-15)
    assert descent.predicted_loss_change(2.0, 0.1) == pytest.approx(-0.4, rel=1e-15)
    assert descent.predicted_loss_change(0.0, 0.3) == 0.0
    assert isinstance(descent.predicted_loss_change(1.0, 0.1), float)


def test_predicted_loss_change_never_positive_and_sign_blind():
    rng = np.random.default_rng(0)
    for slope, eta in zip(rng.normal(0, 3, 50), rng.uniform(0.001, 3, 50), strict=True):
        p = descent.predicted_loss_change(slope, eta)
        assert p <= 0.0
        assert p == descent.predicted_loss_change(-slope, eta)


def test_predicted_loss_change_of_several_weights_adds():
    g = np.array([[1.0, -2.0], [0.5, 3.0]])
    assert descent.predicted_loss_change(g, 0.1) == pytest.approx(-0.1 * (1 + 4 + 0.25 + 9))
    assert descent.predicted_loss_change([1.0, -2.0], 0.5) == pytest.approx(-2.5)


@pytest.mark.parametrize("f, W", [(np.sin, 0.3), (lambda w: w**3 - 2 * w, 1.7),
                                  (np.exp, -0.4), (descent.loss_1d, 0.4)])
def test_predicted_loss_change_is_the_slope_in_eta_at_zero(f, W):
    """d/d(eta) L(W - eta g) at eta = 0, by a central difference in float64, is the
    first-order prediction per unit eta: -g^2."""
    g = numerical_derivative(f, W, 1e-6)
    measured = numerical_derivative(lambda eta: f(W - eta * g), 0.0, 1e-5)
    assert measured == pytest.approx(descent.predicted_loss_change(g, 1.0), rel=1e-7)


@pytest.mark.parametrize("f, W", [(np.sin, 0.3), (lambda w: w**3 - 2 * w, 1.7)])
def test_predicted_loss_change_error_shrinks_like_eta_squared(f, W):
    g = numerical_derivative(f, W, 1e-6)
    errors = [abs(f(W - eta * g) - f(W) - descent.predicted_loss_change(g, eta))
              for eta in (1e-2, 5e-3)]
    assert errors[0] / errors[1] == pytest.approx(4.0, rel=0.05)


def test_second_order_change_is_exact_on_the_bowl():
    for W in (-1.5, 0.4, 2.0, 3.6):
        g = descent.dloss_1d(W)
        for eta in (0.01, 0.1, 0.5, 1.0, 1.8, 2.0, 2.5):
            actual = descent.loss_1d(W - eta * g) - descent.loss_1d(W)
            second = descent.second_order_loss_change(g, eta, 1.0)
            assert second == pytest.approx(actual, rel=1e-12, abs=1e-13)
            assert second == pytest.approx(
                descent.predicted_loss_change(g, eta) * (1 - eta / 2), rel=1e-12, abs=1e-15)


def test_second_order_change_turns_up_past_two_over_the_curvature():
    for curvature in (0.5, 1.0, 4.0):
        edge = 2.0 / curvature
        assert descent.second_order_loss_change(1.3, 0.9 * edge, curvature) < 0
        assert descent.second_order_loss_change(1.3, edge, curvature) == pytest.approx(
            0.0, abs=1e-12)
        assert descent.second_order_loss_change(1.3, 1.1 * edge, curvature) > 0


def test_second_order_change_error_shrinks_like_eta_cubed():
    """On a curve that is not a parabola, the second-order change (curvature measured by a
    second difference in float64) is off by O(eta^3)."""
    f, W = np.sin, 0.3
    g = numerical_derivative(f, W, 1e-6)
    h = 1e-4
    curvature = (f(W + h) - 2 * f(W) + f(W - h)) / h**2
    assert curvature == pytest.approx(-math.sin(W), rel=1e-6)
    errors = [abs(f(W - eta * g) - f(W) - descent.second_order_loss_change(g, eta, curvature))
              for eta in (4e-2, 2e-2)]
    assert errors[0] / errors[1] == pytest.approx(8.0, rel=0.05)


def test_loss_change_errors_name_the_argument():
    with pytest.raises(ValueError, match="eta"):
        descent.predicted_loss_change(1.0, 0.0)
    with pytest.raises(ValueError, match="dL_dW"):
        descent.predicted_loss_change(math.nan, 0.1)
    with pytest.raises(ValueError, match="d2L_dW2"):
        descent.second_order_loss_change(1.0, 0.1, math.inf)
    with pytest.raises(ValueError, match="eta"):
        descent.second_order_loss_change(1.0, -0.1, 1.0)


# --- maths: the local derivatives of a weighted edge --------------------------------------


def test_edge_derivatives_values():
    dO_da, dO_dW = cn.edge_derivatives(0.7, 1.2, 0.4)
    assert dO_da == pytest.approx(0.21 * 1.2, rel=1e-14)
    assert dO_dW == pytest.approx(0.21 * 0.4, rel=1e-14)
    assert cn.edge_derivatives(0.35, -0.1, 1.0)[1] == pytest.approx(0.35 * 0.65)  # a bias


@pytest.mark.parametrize("W, a, rest", [(1.2, 0.4, 0.05), (-0.8, 2.0, -1.0),
                                        (0.5, -1.5, 0.3), (3.0, 0.7, 0.0)])
def test_edge_derivatives_match_finite_differences(W, a, rest):
    """O = sigmoid(W a + rest): the slopes in a and in W, measured in float64."""
    out = sigmoid_scalar(W * a + rest)
    dO_da, dO_dW = cn.edge_derivatives(out, W, a)
    assert numerical_derivative(lambda t: sigmoid_scalar(W * t + rest), a) == pytest.approx(
        dO_da, rel=1e-8)
    assert numerical_derivative(lambda t: sigmoid_scalar(t * a + rest), W) == pytest.approx(
        dO_dW, rel=1e-8)


@pytest.mark.parametrize("seed", [None, 0, 1, 2])
def test_edge_derivatives_rebuild_the_course_networks_weighted_edges(seed):
    x, y = cn.default_example()
    params = cn.default_params() if seed is None else cn.random_params(
        np.random.default_rng(seed))
    f, d = cn.forward(x, y, params), cn.local_derivatives(x, y, params)
    for upper, lower, W in [("O11", "x", "W1"), ("O21", "O11", "W2"), ("O22", "O11", "W3"),
                            ("O31", "O21", "W4"), ("O31", "O22", "W5")]:
        dO_din, dO_dW = cn.edge_derivatives(f[upper], params[W], f[lower])
        assert dO_din == pytest.approx(d[f"d{upper}/d{lower}"], rel=1e-14, abs=1e-300)
        assert dO_dW == pytest.approx(d[f"d{upper}/d{W}"], rel=1e-14, abs=1e-300)
    for upper, b in [("O11", "b1"), ("O21", "b2"), ("O22", "b3"), ("O31", "b4")]:
        assert cn.edge_derivatives(f[upper], params[b], 1.0)[1] == pytest.approx(
            d[f"d{upper}/d{b}"], rel=1e-14, abs=1e-300)


def test_edge_derivatives_errors_name_the_argument():
    with pytest.raises(ValueError, match="out must be a sigmoid"):
        cn.edge_derivatives(1.5, 1.0, 1.0)
    with pytest.raises(ValueError, match="W"):
        cn.edge_derivatives(0.5, math.nan, 1.0)
    with pytest.raises(ValueError, match="a"):
        cn.edge_derivatives(0.5, 1.0, math.inf)


# --- maths: the gates ----------------------------------------------------------------------


def test_gate_values_and_patterns():
    assert chain_rule.gate_value("add", 2.0, -3.0) == -1.0
    assert chain_rule.gate_value("multiply", 2.0, -3.0) == -6.0
    assert chain_rule.gate_value("max", 2.0, -3.0) == 2.0
    assert chain_rule.gate_gradients("add", 2.0, -3.0, 0.5) == (0.5, 0.5)  # distributes
    assert chain_rule.gate_gradients("multiply", 2.0, -3.0, 0.5) == (-1.5, 1.0)  # swaps
    assert chain_rule.gate_gradients("max", 2.0, -3.0, 0.5) == (0.5, 0.0)  # routes
    assert chain_rule.gate_gradients("max", -3.0, 2.0, 0.5) == (0.0, 0.5)
    assert chain_rule.gate_gradients("max", 1.0, 1.0, 0.5) == (0.5, 0.0)  # a tie: to a


def _gate_slope(kind, a, b, upstream, which, h=1e-5):
    """d(upstream * gate(a, b)) / d(a or b) by a central difference in float64."""
    def L(t):
        return upstream * (chain_rule.gate_value(kind, t, b) if which == 0
                           else chain_rule.gate_value(kind, a, t))
    return numerical_derivative(L, a if which == 0 else b, h)


@pytest.mark.parametrize("kind", chain_rule.GATES)
def test_gate_gradients_match_finite_differences(kind):
    rng = np.random.default_rng(13)
    for _ in range(20):
        a, b = rng.normal(0, 2, size=2)
        if abs(a - b) < 1e-3:  # max has no derivative at a tie
            continue
        upstream = float(rng.normal())
        da, db = chain_rule.gate_gradients(kind, a, b, upstream)
        assert _gate_slope(kind, a, b, upstream, 0) == pytest.approx(da, rel=1e-8, abs=1e-9)
        assert _gate_slope(kind, a, b, upstream, 1) == pytest.approx(db, rel=1e-8, abs=1e-9)


def test_gates_rebuild_backpropagation_at_the_output_neuron():
    x, y = cn.default_example()
    for params in (cn.default_params(), cn.random_params(np.random.default_rng(4))):
        f, d = cn.forward(x, y, params), cn.local_derivatives(x, y, params)
        grads, nodes = cn.gradients(x, y, params), cn.node_gradients(x, y, params)
        dL_dz31 = d["dL/dO31"] * f["O31"] * (1 - f["O31"])
        p4, p5 = params["W4"] * f["O21"], params["W5"] * f["O22"]
        to_sum, to_b4 = chain_rule.gate_gradients("add", p4 + p5, params["b4"], dL_dz31)
        to_p4, to_p5 = chain_rule.gate_gradients("add", p4, p5, to_sum)
        to_W4, to_O21 = chain_rule.gate_gradients("multiply", params["W4"], f["O21"], to_p4)
        to_W5, to_O22 = chain_rule.gate_gradients("multiply", params["W5"], f["O22"], to_p5)
        assert to_b4 == pytest.approx(grads["b4"], rel=1e-13)
        assert to_W4 == pytest.approx(grads["W4"], rel=1e-13)
        assert to_W5 == pytest.approx(grads["W5"], rel=1e-13)
        assert to_O21 == pytest.approx(nodes["O21"], rel=1e-13)
        assert to_O22 == pytest.approx(nodes["O22"], rel=1e-13)


def test_gate_errors_name_the_argument():
    with pytest.raises(ValueError, match="kind must be one of 'add', 'multiply', 'max'"):
        chain_rule.gate_gradients("subtract", 1.0, 2.0, 1.0)
    with pytest.raises(ValueError, match="upstream"):
        chain_rule.gate_gradients("add", 1.0, 2.0, math.nan)
    with pytest.raises(ValueError, match="b"):
        chain_rule.gate_value("max", 1.0, math.inf)


def test_course_network_docstring_states_the_one_rule():
    doc = cn.numerical_gradient.__doc__
    assert "gradients_agree" in doc and "1e-7" in doc
    assert "1e-4" not in doc and "below 1e-7" not in doc


# --- 01 predicted_loss_change --------------------------------------------------------------


def plc_slope_times_step(dL_dW, eta):
    step = -eta * dL_dW
    return dL_dW * step


def plc_float32(dL_dW, eta):
    return np.float32(-eta * dL_dW * dL_dW)


def plc_numpy(dL_dW, eta):
    return -eta * np.square(dL_dW)


def plc_abs_squared(dL_dW, eta):
    return -eta * abs(dL_dW) ** 2


def plc_pow(dL_dW, eta):
    return -(eta * math.pow(dL_dW, 2))


@pytest.mark.parametrize("fn", [_solution(lesson_01.predicted_loss_change),
                                plc_slope_times_step, plc_float32, plc_numpy,
                                plc_abs_squared, plc_pow], ids=lambda f: f.__name__)
def test_right_predicted_loss_change_passes(fn):
    result = lesson_01.predicted_loss_change.check(fn)
    assert result.status == "passed", result.message


PLC_WRONG = {
    "sign flipped": (lambda dL_dW, eta: eta * dL_dW**2, "sign flipped"),
    "the step, not the change": (lambda dL_dW, eta: -eta * dL_dW, "slope not squared"),
    "* 2 for ** 2": (lambda dL_dW, eta: -eta * dL_dW * 2, "slope doubled, not squared"),
    "abs once": (lambda dL_dW, eta: -eta * abs(dL_dW), "size of the slope, not its square"),
    "no eta": (lambda dL_dW, eta: -dL_dW * dL_dW, "learning rate forgotten"),
    "the whole step squared": (lambda dL_dW, eta: -(eta * dL_dW) ** 2,
                               "learning rate squared"),
    "eta squared": (lambda dL_dW, eta: -eta**2 * dL_dW**2, "learning rate squared"),
    "divided by eta": (lambda dL_dW, eta: -dL_dW**2 / eta, "divided by the learning rate"),
    "a half": (lambda dL_dW, eta: -eta * dL_dW**2 / 2, "a half too many"),
    "the bowl's exact change": (lambda dL_dW, eta: -eta * dL_dW**2 + 0.5 * eta**2 * dL_dW**2,
                                "the bowl's exact change"),
    "the squared step, positive": (lambda dL_dW, eta: (-eta * dL_dW) ** 2, None),
    "the ascent step": (lambda dL_dW, eta: eta * dL_dW, None),
    "the new weight's slope": (lambda dL_dW, eta: -eta * (dL_dW - eta * dL_dW) ** 2, None),
}


@pytest.mark.parametrize("name", PLC_WRONG)
def test_wrong_predicted_loss_change_fails(name):
    _assert_wrong(lesson_01.predicted_loss_change, *PLC_WRONG[name])


def test_predicted_loss_change_messages_name_the_mistake():
    message = lesson_01.predicted_loss_change.check(PLC_WRONG["the step, not the change"][0]
                                                     ).message
    assert "that is the step ΔW" in message and "the slope enters twice" in message
    message = lesson_01.predicted_loss_change.check(PLC_WRONG["sign flipped"][0]).message
    assert "positive" in message and "never above 0" in message


# --- 02 edge_derivatives ---------------------------------------------------------------------


def ed_list(out, W, a):
    s = out * (1 - out)
    return [s * W, s * a]


def ed_array(out, W, a):
    return out * (1 - out) * np.array([W, a])


def ed_float32(out, W, a):
    s = np.float32(out) * (np.float32(1) - np.float32(out))
    return s * np.float32(W), s * np.float32(a)


def ed_expanded(out, W, a):
    return (out - out**2) * W, (out - out**2) * a


def ed_sigma_of_logit(out, W, a):
    z = math.log(out / (1 - out))  # back to z, then sigma'(z) = sigma(z)(1 - sigma(z))
    s = 1 / (1 + math.exp(-z))
    return s * (1 - s) * W, s * (1 - s) * a


@pytest.mark.parametrize("fn", [_solution(lesson_02.edge_derivatives), ed_list, ed_array,
                                ed_float32, ed_expanded, ed_sigma_of_logit],
                         ids=lambda f: f.__name__)
def test_right_edge_derivatives_passes(fn):
    result = lesson_02.edge_derivatives.check(fn)
    assert result.status == "passed", result.message


def _sp(out):
    return out * (1 - out)


def _sigma(t):
    return 1 / (1 + math.exp(-t))


ED_WRONG = {
    "swapped": (lambda out, W, a: (_sp(out) * a, _sp(out) * W), "input and weight swapped"),
    "(dO_dW, dO_da) order": (lambda out, W, a: (_sp(out) * a, _sp(out) * W),
                             "input and weight swapped"),
    "no sigma'": (lambda out, W, a: (W, a), "sigmoid's derivative forgotten"),
    "sigma' at O": (lambda out, W, a: (_sp(_sigma(out)) * W, _sp(_sigma(out)) * a),
                    "sigmoid's derivative taken at O"),
    "the sigmoid itself": (lambda out, W, a: (out * W, out * a),
                           "the sigmoid instead of its derivative"),
    "tanh'": (lambda out, W, a: ((1 - out**2) * W, (1 - out**2) * a), "tanh's derivative"),
    "1 - O": (lambda out, W, a: ((1 - out) * W, (1 - out) * a), "only 1 - O"),
    "W twice": (lambda out, W, a: (_sp(out) * W, _sp(out) * W), "the weight on both edges"),
    "a twice": (lambda out, W, a: (_sp(out) * a, _sp(out) * a), "the input on both edges"),
    "sigma' with the sign flipped": (lambda out, W, a: (out * (out - 1) * W,
                                                        out * (out - 1) * a), None),
    "sigma' squared": (lambda out, W, a: (_sp(out) ** 2 * W, _sp(out) ** 2 * a), None),
    "only dO/dW": (lambda out, W, a: _sp(out) * a, None),
    "W * a in both": (lambda out, W, a: (_sp(out) * W * a, _sp(out) * W * a), None),
}


@pytest.mark.parametrize("name", ED_WRONG)
def test_wrong_edge_derivatives_fails(name):
    _assert_wrong(lesson_02.edge_derivatives, *ED_WRONG[name])


def test_edge_derivatives_messages_name_the_mistake():
    message = lesson_02.edge_derivatives.check(ED_WRONG["swapped"][0]).message
    assert "swapped" in message and "∂(W·a)/∂a = W" in message
    message = lesson_02.edge_derivatives.check(ED_WRONG["sigma' at O"][0]).message
    assert "O is already σ(z)" in message


# --- the lessons place the new exercises --------------------------------------------------


def test_lessons_place_the_new_exercises_in_order():
    from backprop_lessons.tools.authoring import load_source

    cells_01 = load_source("notebooks/src/01_slopes.py")
    tags = [t for c in cells_01 for t in c.tags if t.startswith("exercise:")]
    assert tags == ["exercise:numerical_derivative", "exercise:weight_update",
                    "exercise:step_direction", "exercise:predicted_loss_change",
                    "exercise:gradient_descent_1d"]
    cells_02 = load_source("notebooks/src/02_chain_rule.py")
    tags = [t for c in cells_02 for t in c.tags if t.startswith("exercise:")]
    assert tags == ["exercise:chain_product", "exercise:edge_derivatives",
                    "exercise:path_product", "exercise:dL_dW1", "exercise:dL_dW4"]
