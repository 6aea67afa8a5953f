"""Lesson 08's gradient checking: differences on arrays, the choice of h, sampled checks,
reading a report, and the deliberately broken network."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from backprop_lessons.maths import checking as c
from backprop_lessons.maths.gradcheck import gradcheck, relative_error
from backprop_lessons.maths.losses import mse, mse_grad
from backprop_lessons.maths.network import Network
from backprop_lessons.viz import plots


def _cubic(p):
    return float(np.sum(p**3) + np.prod(np.tanh(p)))


def _cubic_grad(p):
    t = np.tanh(p)
    return 3 * p**2 + np.prod(t) / t * (1 - t**2)


# --- differences on arrays -------------------------------------------------------------


def test_central_difference_matches_the_exact_gradient_and_restores_param(rng):
    p = rng.normal(size=(3, 4))
    before = p.copy()
    g = c.central_difference_gradient(_cubic, p)
    assert g.shape == p.shape and g.dtype == np.float64
    assert relative_error(g, _cubic_grad(p)) <= 1e-7
    np.testing.assert_array_equal(p, before)  # every nudged entry restored exactly


def test_central_difference_on_a_network_parameter_matches_backprop(rng):
    net = Network([3, 4, 2], seed=1)
    X, y = rng.normal(size=(8, 3)), rng.integers(0, 2, size=(8, 2)).astype(float)
    Y, cache = net.forward(X)
    grads = net.backward(cache, mse_grad(y, Y))
    for name in net.params:
        f = c.loss_of_param(net, name, X, y)
        numeric = c.central_difference_gradient(f, net.params[name].copy())
        assert relative_error(grads[name], numeric) <= 1e-7, name


def test_one_sided_errs_like_h_the_central_like_h_squared(rng):
    p = rng.normal(size=5)
    exact = _cubic_grad(p)
    one = relative_error(c.one_sided_gradient(_cubic, p, h=1e-4), exact)
    central = relative_error(c.central_difference_gradient(_cubic, p, h=1e-4), exact)
    assert 1e-6 < one < 1e-3
    assert central < 1e-8
    assert relative_error(c.one_sided_gradient(_cubic, p, h=1e-5), exact) == pytest.approx(
        one / 10, rel=0.2)


def test_param_is_restored_even_when_f_raises():
    p = np.array([1.0, 2.0])

    def boom(q):
        if q[0] != 1.0:
            raise RuntimeError("no")
        return 0.0

    with pytest.raises(RuntimeError):
        c.central_difference_gradient(boom, p)
    np.testing.assert_array_equal(p, [1.0, 2.0])


def test_float32_param_ruins_the_check(rng):
    X = rng.normal(size=(16, 3)).astype(np.float32)
    W = rng.normal(size=3)

    def loss(w):
        return np.mean(np.tanh(X @ w) ** 2)

    exact = c.central_difference_gradient(loss, W.copy())
    err32 = relative_error(exact, c.central_difference_gradient(loss, W.astype(np.float32)))
    assert err32 > 1e-3


def test_difference_errors_name_the_argument():
    with pytest.raises(TypeError, match="f must be a function of the parameter array"):
        c.central_difference_gradient(3, np.zeros(2))
    with pytest.raises(TypeError, match="param must be a numpy array of floats.*int64"):
        c.central_difference_gradient(np.sum, np.array([1, 2]))
    with pytest.raises(TypeError, match="param must be a numpy array of floats.*list"):
        c.one_sided_gradient(np.sum, [1.0, 2.0])
    with pytest.raises(ValueError, match="h must be a positive number, got 0.0"):
        c.central_difference_gradient(np.sum, np.zeros(2), h=0.0)


# --- the choice of h -------------------------------------------------------------------


def test_saturating_loss_prime_is_its_slope():
    w = np.linspace(-3, 3, 13)
    numeric = (c.saturating_loss(w + 1e-6) - c.saturating_loss(w - 1e-6)) / 2e-6
    assert relative_error(c.saturating_loss_prime(w), numeric) <= 1e-7
    assert c.saturating_loss(0.5) == pytest.approx(0.2)
    assert c.saturating_loss(np.float32(0.5)).dtype == np.float32


def test_step_size_errors_make_a_u_with_its_bottom_near_the_best_step():
    hs = 10.0 ** -np.arange(1, 13)
    err = c.step_size_errors(c.saturating_loss, c.saturating_loss_prime, 0.5, hs)
    assert np.all(np.diff(np.log10(err[:4])) < -1.5)  # truncation: 100x smaller per decade
    assert hs[int(np.argmin(err))] in (1e-5, 1e-6)
    assert err.min() < 1e-10 and err[-1] > 1e-6  # rounding takes over at tiny h
    one = c.step_size_errors(c.saturating_loss, c.saturating_loss_prime, 0.5, hs,
                             one_sided=True)
    assert np.diff(np.log10(one[1:6])) == pytest.approx([-1] * 4, abs=0.05)  # like h
    f32 = c.step_size_errors(c.saturating_loss, c.saturating_loss_prime, 0.5, hs,
                             dtype=np.float32)
    assert f32.min() > 1e-7 and f32[5] > 1e-2  # float32 at h = 1e-6: ruined


def test_best_step_is_the_cube_root_of_eps():
    assert c.best_step() == pytest.approx(6.055e-6, rel=1e-3)
    assert c.best_step(np.float32) == pytest.approx(4.92e-3, rel=1e-3)
    with pytest.raises(ValueError, match="dtype must be a float type"):
        c.best_step(np.int32)


def test_step_size_errors_name_the_argument():
    f, fp = c.saturating_loss, c.saturating_loss_prime
    with pytest.raises(ValueError, match=r"x must be a point where the exact slope.*got f_prime"):
        c.step_size_errors(f, fp, 0.0, [1e-3])
    with pytest.raises(ValueError, match="hs must hold positive step sizes"):
        c.step_size_errors(f, fp, 0.5, [1e-3, -1.0])
    with pytest.raises(ValueError, match="dtype must be np.float64 or np.float32"):
        c.step_size_errors(f, fp, 0.5, [1e-3], dtype=np.float16)
    with pytest.raises(TypeError, match="f_prime must be the exact derivative"):
        c.step_size_errors(f, None, 0.5, [1e-3])


def test_step_size_plot_draws_one_line_per_curve_and_the_guides():
    hs = 10.0 ** -np.arange(1, 6)
    err = c.step_size_errors(c.saturating_loss, c.saturating_loss_prime, 0.5, hs)
    fig = plots.step_size_plot(hs, {"central": err, "zero": np.zeros(5)})
    assert isinstance(fig, Figure)
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert labels[:2] == ["central", "zero"]
    assert any("truncation" in s for s in labels) and any("rounding" in s for s in labels)
    dark = plots.step_size_plot(hs, {"central": err}, guides=False, theme="dark")
    assert len(dark.axes[0].get_lines()) == 2  # the curve and the line at eps^(1/3)
    with pytest.raises(ValueError, match=r"curves\['x'\] must hold one error per h \(5\)"):
        plots.step_size_plot(hs, {"x": [1.0]})
    with pytest.raises(ValueError, match="curves must be a non-empty dict"):
        plots.step_size_plot(hs, {})
    with pytest.raises(ValueError, match="hs must hold at least 2 positive"):
        plots.step_size_plot([1e-3], {"x": [1.0]})


# --- sampled checks --------------------------------------------------------------------


def test_sampled_check_uses_the_rngs_entries(rng):
    p = rng.normal(size=(4, 5))
    g = _cubic_grad(p)
    assert c.sampled_gradient_check(_cubic, p, g, 6, seed=0) <= 1e-7
    picked = np.random.default_rng(0).choice(20, size=6, replace=False)
    wrong_hit, wrong_missed = g.copy(), g.copy()
    wrong_hit.flat[picked[2]] *= 2
    missed = next(k for k in range(20) if k not in picked)
    wrong_missed.flat[missed] *= 2
    assert c.sampled_gradient_check(_cubic, p, wrong_hit, 6, seed=0) > 1e-3
    assert c.sampled_gradient_check(_cubic, p, wrong_missed, 6,
                                    seed=0) <= 1e-7
    assert c.sampled_gradient_check(_cubic, p, wrong_missed, 20,
                                    seed=0) > 1e-3


def test_sampled_check_costs_two_evaluations_per_entry_and_keeps_param(rng):
    p = rng.normal(size=(10, 10))
    before = p.copy()
    calls = []

    def f(q):
        calls.append(1)
        return _cubic(q)

    c.sampled_gradient_check(f, p, _cubic_grad(p), 7, seed=1)
    assert len(calls) == 14
    np.testing.assert_array_equal(p, before)


def test_sampled_check_errors_name_the_argument():
    p = np.zeros((2, 2))
    with pytest.raises(ValueError, match="dL_dparam must have the shape of param"):
        c.sampled_gradient_check(np.sum, p, np.zeros(3), 1, seed=0)
    with pytest.raises(ValueError, match="n_checks must be at most param.size = 4"):
        c.sampled_gradient_check(np.sum, p, p, 5, seed=0)
    with pytest.raises(ValueError, match="n_checks must be a positive integer"):
        c.sampled_gradient_check(np.sum, p, p, 0, seed=0)
    with pytest.raises(ValueError, match="seed must be a non-negative integer, got the"):
        c.sampled_gradient_check(np.sum, p, p, 1, seed=-1)


# --- reading a report, the broken network ----------------------------------------------


def test_failing_parameters_keeps_the_report_order_and_fails_nan():
    errors = {"W1": 3e-2, "b1": 1e-7, "W2": float("nan"), "b2": 1e-10}
    assert c.failing_parameters(errors, 1e-7) == ["W1", "W2"]
    assert c.failing_parameters({"W1": 1e-9}, 1e-7) == []
    with pytest.raises(TypeError, match="errors must be a dict"):
        c.failing_parameters([1e-3], 1e-7)
    with pytest.raises(ValueError, match="tol must be a positive number"):
        c.failing_parameters(errors, -1.0)
    with pytest.raises(TypeError, match=r"errors\['W1'\] must be a number"):
        c.failing_parameters({"W1": "big"}, 1e-7)


@pytest.mark.parametrize("buggy_layer, wrong", [(1, ["W1", "b1"]),
                                                 (2, ["W1", "b1", "W2", "b2"])])
def test_slope_bug_spoils_its_layer_and_every_layer_below(buggy_layer, wrong, rng):
    X, y = rng.normal(size=(6, 2)), rng.integers(0, 2, size=(6, 1)).astype(float)
    right = gradcheck(Network([2, 3, 3, 1], seed=2), X, y)
    assert right.passed
    buggy = c.SlopeBugNetwork([2, 3, 3, 1], seed=2, buggy_layer=buggy_layer)
    report = gradcheck(buggy, X, y)
    assert c.failing_parameters(report.errors, report.tol) == wrong
    assert "bug in layer" in repr(buggy)
    np.testing.assert_array_equal(buggy.predict(X), Network([2, 3, 3, 1], seed=2).predict(X))


def test_slope_bug_network_errors():
    with pytest.raises(ValueError, match="buggy_layer must be a layer number from 1 to 2"):
        c.SlopeBugNetwork([2, 3, 1], buggy_layer=3)
    with pytest.raises(ValueError, match="cache must be the list returned by forward"):
        c.SlopeBugNetwork([2, 3, 1]).backward("x", np.zeros((1, 1)))


def test_loss_of_param_sets_and_restores_one_parameter(rng):
    net = Network([2, 3, 1], seed=0)
    X, y = rng.normal(size=(5, 2)), rng.integers(0, 2, size=5).astype(float)
    f = c.loss_of_param(net, "b1", X, y)
    before = net.params["b1"].copy()
    assert f(before) == pytest.approx(mse(y.reshape(-1, 1), net.predict(X)))
    assert f(before + 1.0) != f(before)
    np.testing.assert_array_equal(net.params["b1"], before)
    with pytest.raises(KeyError, match="name must be one of the network's parameters"):
        c.loss_of_param(net, "W9", X, y)
    with pytest.raises(ValueError, match=r"p must have the shape of b1 \(3,\)"):
        f(np.zeros(2))
