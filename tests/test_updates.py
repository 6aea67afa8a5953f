import numpy as np
import pytest

from backprop_lessons import bias_update, step_direction, weight_update


def test_weight_update_scalar_follows_the_rule():
    assert weight_update(0.5, 2.0, 0.1) == pytest.approx(0.3)
    assert isinstance(weight_update(0.5, 2.0, 0.1), float)


@pytest.mark.parametrize("slope, moves", [(-3.0, 1), (3.0, -1), (0.0, 0)])
def test_slope_sign_intuition(slope, moves):
    W_old = 1.0
    W_new = weight_update(W_old, slope, 0.05)
    assert np.sign(W_new - W_old) == moves
    assert step_direction(slope) == moves


def test_weight_update_arrays_any_shape_and_inputs_untouched():
    rng = np.random.default_rng(0)
    W = rng.normal(size=(3, 4, 2))
    g = rng.normal(size=(3, 4, 2))
    W_copy, g_copy = W.copy(), g.copy()
    out = weight_update(W, g, 0.01)
    np.testing.assert_allclose(out, W - 0.01 * g)
    np.testing.assert_array_equal(W, W_copy)
    np.testing.assert_array_equal(g, g_copy)


def test_bias_update_is_the_same_rule():
    b = np.array([0.1, -0.2])
    np.testing.assert_allclose(bias_update(b, np.array([1.0, -1.0]), 0.5), [-0.4, 0.3])


@pytest.mark.parametrize("eta", [0, -0.1, float("nan"), float("inf")])
def test_bad_eta_is_named(eta):
    with pytest.raises(ValueError, match="eta must be"):
        weight_update(1.0, 1.0, eta)


def test_shape_mismatch_is_named():
    with pytest.raises(
        ValueError, match=r"dL_dW must have the same shape as W_old.*\(2,\).*\(3,\)",
    ):
        weight_update(np.zeros(2), np.zeros(3), 0.1)
    with pytest.raises(ValueError, match="dL_db must have the same shape as b_old"):
        bias_update(np.zeros(2), np.zeros(3), 0.1)


def test_non_finite_inputs_are_named():
    with pytest.raises(ValueError, match="W_old must be finite"):
        weight_update(np.array([1.0, np.nan]), np.zeros(2), 0.1)
    with pytest.raises(ValueError, match="dL_dW must be finite"):
        weight_update(1.0, float("inf"), 0.1)


def test_wrong_type_is_named():
    with pytest.raises(TypeError, match="W_old must be a number or an array of numbers, got str"):
        weight_update("1.0", 1.0, 0.1)
