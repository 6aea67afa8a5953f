import math

import numpy as np
import pytest

from backprop_lessons.maths import descent
from backprop_lessons.maths.calculus import numerical_derivative
from backprop_lessons.maths.descent import descent_step, dloss_1d, gradient_descent_1d, loss_1d
from backprop_lessons.maths.gradcheck import relative_error
from backprop_lessons.maths.updates import weight_update


def test_loss_1d_is_lowest_at_W_star():
    assert loss_1d(descent.W_STAR) == pytest.approx(descent.L_MIN)
    assert loss_1d(0.0) == pytest.approx(2.3)
    ws = np.linspace(-3, 7, 101)
    assert np.all(loss_1d(ws) >= descent.L_MIN)


@pytest.mark.parametrize("W", [-3.0, -1.5, 0.4, 1.999, 2.0, 3.6, 10.0])
def test_dloss_1d_matches_central_differences(W):
    exact = dloss_1d(W)
    numeric = numerical_derivative(loss_1d, W, h=1e-5)
    if exact == 0.0:
        assert abs(numeric) < 1e-9
    else:
        assert relative_error(exact, numeric) <= 1e-7


def test_dloss_1d_sign_left_and_right_of_the_minimum():
    assert dloss_1d(0.0) < 0 < dloss_1d(3.0)
    assert dloss_1d(2.0) == 0.0


def test_descent_step_is_minus_eta_times_slope():
    assert descent_step(2.0, 0.1) == pytest.approx(-0.2)
    assert descent_step(-3.0, 0.5) == pytest.approx(1.5)
    assert descent_step(0.0, 0.3) == 0.0
    assert isinstance(descent_step(2.0, 0.1), float)
    g = np.array([[1.0, -2.0], [0.5, 0.0]])
    g_copy = g.copy()
    np.testing.assert_allclose(descent_step(g, 0.1), -0.1 * g)
    np.testing.assert_array_equal(g, g_copy)


def test_descent_step_plus_W_old_is_the_weight_update():
    rng = np.random.default_rng(3)
    W, g = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    np.testing.assert_allclose(W + descent_step(g, 0.05), weight_update(W, g, 0.05))


@pytest.mark.parametrize("eta", [0, -0.1, float("nan")])
def test_descent_step_bad_eta_is_named(eta):
    with pytest.raises(ValueError, match="eta must be"):
        descent_step(1.0, eta)


def test_descent_step_bad_slope_is_named():
    with pytest.raises(ValueError, match="dL_dW must be finite"):
        descent_step(float("inf"), 0.1)
    with pytest.raises(TypeError, match="dL_dW must be a number or an array of numbers, got str"):
        descent_step("2", 0.1)


def test_gradient_descent_1d_returns_every_weight_visited():
    path = gradient_descent_1d(dloss_1d, -1.5, 0.7, 3)
    assert len(path) == 4
    assert all(isinstance(w, float) for w in path)
    assert path[0] == -1.5
    # W_new - 2 = (1 - eta)(W_old - 2)
    expected = [2.0 + (-3.5) * 0.3**k for k in range(4)]
    np.testing.assert_allclose(path, expected, rtol=1e-12)


def test_gradient_descent_1d_zero_steps_is_the_start():
    assert gradient_descent_1d(dloss_1d, 0.5, 0.1, 0) == [0.5]


def test_gradient_descent_1d_reaches_the_minimum():
    path = gradient_descent_1d(dloss_1d, -1.5, 0.7, 40)
    assert abs(path[-1] - descent.W_STAR) < 1e-12
    losses = [loss_1d(w) for w in path]
    assert all(b <= a for a, b in zip(losses, losses[1:], strict=False))


@pytest.mark.parametrize(
    "eta, behaviour",
    [(0.1, "creeps"), (0.7, "converges"), (1.8, "oscillates"), (2.15, "diverges")],
)
def test_gradient_descent_1d_learning_rate_regimes(eta, behaviour):
    path = np.array(gradient_descent_1d(dloss_1d, -1.5, eta, 10))
    dist = np.abs(path - 2.0)
    side = np.sign(path - 2.0)
    if behaviour == "creeps":
        assert np.all(side == -1) and dist[-1] > 1.0
    elif behaviour == "converges":
        assert dist[-1] < 1e-4
    elif behaviour == "oscillates":
        assert np.all(side[1:] != side[:-1]) and dist[-1] < dist[0]
    else:
        assert np.all(side[1:] != side[:-1]) and np.all(np.diff(dist) > 0)


def test_gradient_descent_1d_works_on_any_slope_function():
    path = gradient_descent_1d(lambda W: 4 * W**3, 1.0, 0.05, 2)
    assert path == pytest.approx([1.0, 0.8, 0.8 - 0.05 * 4 * 0.8**3])


def test_gradient_descent_1d_errors_are_named():
    with pytest.raises(TypeError, match="dL_dW must be a function of W"):
        gradient_descent_1d(2.0, 0.0, 0.1, 3)
    with pytest.raises(TypeError, match="steps must be a whole number.*the number 2.5"):
        gradient_descent_1d(dloss_1d, 0.0, 0.1, 2.5)
    with pytest.raises(TypeError, match="steps must be a whole number.*bool"):
        gradient_descent_1d(dloss_1d, 0.0, 0.1, True)
    with pytest.raises(ValueError, match="steps must be 0 or more, got -1"):
        gradient_descent_1d(dloss_1d, 0.0, 0.1, -1)
    with pytest.raises(ValueError, match="eta must be a positive number, got 0.0"):
        gradient_descent_1d(dloss_1d, 0.0, 0.0, 3)
    with pytest.raises(ValueError, match="W_old must be finite, got nan"):
        gradient_descent_1d(dloss_1d, math.nan, 0.1, 3)
    with pytest.raises(TypeError, match=r"dL_dW\(W\) must be a number"):
        gradient_descent_1d(lambda W: "steep", 0.0, 0.1, 3)


def test_gradient_descent_1d_divergence_is_reported():
    with pytest.raises(ValueError, match="diverged at step 2.*try an eta smaller than 1e\\+300"):
        gradient_descent_1d(dloss_1d, -1.5, 1e300, 5)
    with pytest.raises(ValueError, match="diverged at step 1"):
        gradient_descent_1d(lambda W: math.inf, 0.0, 0.1, 5)
