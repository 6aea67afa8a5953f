import warnings

import numpy as np
import pytest

from backprop_lessons.maths import activations as A
from backprop_lessons.maths import losses as Ls
from tests.conftest import central_diff


@pytest.mark.parametrize("name", sorted(A.ACTIVATIONS))
def test_activation_derivative_matches_finite_differences(name, rng, rel_err):
    f, df = A.get_activation(name)
    z = rng.normal(0, 2, size=50)
    if name == "relu":
        z = z[np.abs(z) > 1e-3]  # away from the kink
    numeric = central_diff(lambda v: np.asarray(f(v)), z)
    assert rel_err(df(z), numeric) <= 1e-7


def test_sigmoid_is_stable_at_extremes():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = A.sigmoid(np.array([-1000.0, 0.0, 1000.0]))
        assert A.sigmoid(1000.0) == 1.0 and A.sigmoid(-1000.0) == 0.0
        assert A.sigmoid_prime(-1000.0) == 0.0
    np.testing.assert_allclose(out, [0.0, 0.5, 1.0])


def test_scalars_give_floats_arrays_give_arrays():
    assert isinstance(A.tanh(0.3), float)
    assert A.relu(np.zeros((2, 3))).shape == (2, 3)


def test_unknown_activation_is_named():
    with pytest.raises(ValueError, match=r"activation must be one of .*got 'softmax'"):
        A.get_activation("softmax")


def test_squared_error_and_its_gradient(rel_err, rng):
    y = rng.normal(size=7)
    y_hat = rng.normal(size=7)
    assert Ls.squared_error(1.0, 0.25) == pytest.approx(0.5625)
    numeric = central_diff(lambda p: (y - p) ** 2, y_hat)
    assert rel_err(Ls.squared_error_grad(y, y_hat), numeric) <= 1e-7


@pytest.mark.parametrize("name", ["mse", "bce"])
def test_batch_losses_gradients_match_finite_differences(name, rng, rel_err):
    loss, grad = Ls.get_loss(name)
    y = rng.integers(0, 2, size=(6, 2)).astype(float)
    p = rng.uniform(0.05, 0.95, size=(6, 2))
    numeric = np.zeros_like(p)
    h = 1e-6
    for i in np.ndindex(p.shape):
        up, down = p.copy(), p.copy()
        up[i] += h
        down[i] -= h
        numeric[i] = (loss(y, up) - loss(y, down)) / (2 * h)
    assert rel_err(grad(y, p), numeric) <= 1e-7


def test_bce_is_finite_at_zero_and_one():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        val = Ls.binary_cross_entropy(np.array([1.0, 0.0]), np.array([0.0, 1.0]))
        g = Ls.binary_cross_entropy_grad(np.array([1.0, 0.0]), np.array([0.0, 1.0]))
    assert np.isfinite(val) and val > 20
    assert np.all(np.isfinite(g))
    assert Ls.binary_cross_entropy(np.array([1.0]), np.array([1.0])) < 1e-9


def test_loss_errors_are_named():
    with pytest.raises(ValueError, match=r"y and y_hat must have the same shape.*\(3,\).*\(2,\)"):
        Ls.mse(np.zeros(3), np.zeros(2))
    with pytest.raises(ValueError, match="y_hat must hold probabilities"):
        Ls.binary_cross_entropy(np.ones(2), np.array([0.5, 1.5]))
    with pytest.raises(ValueError, match="y_hat must be finite"):
        Ls.mse(np.zeros(2), np.array([0.0, np.nan]))
    with pytest.raises(ValueError, match=r"loss must be one of .*got 'hinge'"):
        Ls.get_loss("hinge")
