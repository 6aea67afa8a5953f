import numpy as np
import pytest

from backprop_lessons.maths.activations import identity, sigmoid, tanh
from backprop_lessons.maths.gradcheck import numerical_gradient
from backprop_lessons.maths.layers import (
    check_gradient,
    layer_backward,
    layer_forward,
    layer_shapes,
    output_error,
    two_layer_backward,
    two_layer_forward,
)
from backprop_lessons.maths.losses import mse, mse_grad
from backprop_lessons.maths.network import Network, dense_forward


def _two_layer_params(rng, n_in=3, n_h=4, n_out=2):
    return (rng.normal(size=(n_in, n_h)), rng.normal(size=n_h),
            rng.normal(size=(n_h, n_out)), rng.normal(size=n_out))


# --- forward -------------------------------------------------------------------------------


@pytest.mark.parametrize("act, name", [(sigmoid, "sigmoid"), (tanh, "tanh"),
                                       (identity, "identity")])
def test_layer_forward_matches_the_network_layer(act, name, rng):
    X, W, b = rng.normal(size=(32, 3)), rng.normal(size=(3, 4)), rng.normal(size=4)
    A = layer_forward(X, W, b, act)
    assert A.shape == (32, 4)
    np.testing.assert_allclose(A, dense_forward(X, W, b, name)[0], rtol=1e-15)


def test_layer_forward_row_i_is_instance_i(rng):
    X, W, b = rng.normal(size=(5, 2)), rng.normal(size=(2, 3)), rng.normal(size=3)
    A = layer_forward(X, W, b, sigmoid)
    for i in range(5):
        by_hand = [sigmoid(sum(X[i, k] * W[k, j] for k in range(2)) + b[j]) for j in range(3)]
        np.testing.assert_allclose(A[i], by_hand, rtol=1e-14)


def test_layer_forward_errors_name_the_argument():
    X, W, b = np.zeros((4, 3)), np.zeros((3, 2)), np.zeros(2)
    with pytest.raises(TypeError, match="act must be an activation function"):
        layer_forward(X, W, b, "sigmoid")
    with pytest.raises(ValueError, match=r"X must have 3 columns .*got shape \(4, 2\)"):
        layer_forward(np.zeros((4, 2)), W, b, sigmoid)
    with pytest.raises(ValueError, match=r"X must be a 2-d array .*got shape \(3,\)"):
        layer_forward(np.zeros(3), W, b, sigmoid)
    with pytest.raises(ValueError, match=r"W must be a 2-d array \(n_in, n_out\), got shape"):
        layer_forward(X, np.zeros(3), b, sigmoid)
    with pytest.raises(ValueError, match=r"b must have shape \(2,\) .*got shape \(2, 1\)"):
        layer_forward(X, W, np.zeros((2, 1)), sigmoid)
    with pytest.raises(ValueError, match="X must be finite"):
        layer_forward(np.full((4, 3), np.nan), W, b, sigmoid)
    with pytest.raises(ValueError, match="b must be finite"):
        layer_forward(X, W, np.array([0.0, np.inf]), sigmoid)


def test_layer_shapes():
    assert layer_shapes([3, 4, 4, 2], 32) == [(32, 3), (32, 4), (32, 4), (32, 2)]
    assert layer_shapes((2, 1), 1) == [(1, 2), (1, 1)]
    assert all(type(n) is int for shape in layer_shapes([np.int64(2), 3], 5) for n in shape)


def test_layer_shapes_agree_with_the_network_cache(rng):
    net = Network([3, 4, 4, 2], seed=0)
    Y, cache = net.forward(rng.normal(size=(32, 3)))
    shown = [cache[0]["X"].shape] + [c["A"].shape for c in cache]
    assert layer_shapes([3, 4, 4, 2], 32) == shown


def test_layer_shapes_errors():
    with pytest.raises(ValueError, match="batch_size must be a positive integer, got the number 0"):
        layer_shapes([2, 1], 0)
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        layer_shapes([2, 1], True)
    with pytest.raises(TypeError, match="layer_sizes must be a list of layer sizes"):
        layer_shapes("21", 4)
    with pytest.raises(ValueError, match="at least an input and an output size, got \\[2\\]"):
        layer_shapes([2], 4)
    with pytest.raises(ValueError, match="layer_sizes must hold positive integers, got the number"):
        layer_shapes([2, 0, 1], 4)


def test_two_layer_forward_matches_network_and_keeps_its_cache(rng):
    W1, b1, W2, b2 = _two_layer_params(rng)
    X = rng.normal(size=(6, 3))
    Y, cache = two_layer_forward(X, W1, b1, W2, b2)
    net = Network([3, 4, 2], seed=0)
    net.set_params({"W1": W1, "b1": b1, "W2": W2, "b2": b2})
    Y_net, net_cache = net.forward(X)
    np.testing.assert_allclose(Y, Y_net, rtol=1e-15)
    X_c, Z1, A1, Z2 = cache
    np.testing.assert_array_equal(X_c, X)
    np.testing.assert_allclose(Z1, net_cache[0]["Z"], rtol=1e-15)
    np.testing.assert_allclose(A1, sigmoid(Z1), rtol=1e-15)
    np.testing.assert_allclose(Z2, A1 @ W2 + b2, rtol=1e-15)
    np.testing.assert_allclose(Y, sigmoid(Z2), rtol=1e-15)


def test_two_layer_forward_errors():
    X, W1, b1, W2, b2 = np.zeros((2, 3)), np.zeros((3, 4)), np.zeros(4), np.zeros((4, 1)), \
        np.zeros(1)
    with pytest.raises(ValueError, match=r"W2 must have 4 rows .*W1 has shape \(3, 4\).*\(5, 1\)"):
        two_layer_forward(X, W1, b1, np.zeros((5, 1)), b2)
    with pytest.raises(ValueError, match=r"b2 must have shape \(1,\)"):
        two_layer_forward(X, W1, b1, W2, np.zeros(2))
    with pytest.raises(ValueError, match=r"b1 must have shape \(4,\)"):
        two_layer_forward(X, W1, np.zeros(3), W2, b2)
    with pytest.raises(ValueError, match=r"X must have 3 columns \(one per input of W1"):
        two_layer_forward(np.zeros((2, 2)), W1, b1, W2, b2)


# --- backward ------------------------------------------------------------------------------


def test_output_error_matches_finite_differences(rng, rel_err):
    Z = rng.normal(size=(8, 2))
    y = rng.uniform(size=(8, 2))
    delta = output_error(sigmoid(Z), y, Z)
    numeric = numerical_gradient(lambda: mse(y, sigmoid(Z)), Z)
    assert rel_err(delta, numeric) <= 1e-7
    np.testing.assert_allclose(delta, mse_grad(y, sigmoid(Z)) * sigmoid(Z) * (1 - sigmoid(Z)))


def test_output_error_errors():
    Y = np.zeros((3, 1))
    with pytest.raises(ValueError, match=r"y must have the shape of Y \(3, 1\), got \(3,\)"):
        output_error(Y, np.zeros(3), Y)
    with pytest.raises(ValueError, match=r"Z_out must have the shape of Y \(3, 1\), got \(1, 3\)"):
        output_error(Y, Y, np.zeros((1, 3)))
    with pytest.raises(ValueError, match=r"Y must be a 2-d array \(batch, n_out\)"):
        output_error(np.zeros(3), np.zeros(3), np.zeros(3))
    with pytest.raises(ValueError, match="y must be finite"):
        output_error(Y, np.full((3, 1), np.nan), Y)


def test_layer_backward_matches_finite_differences(rng, rel_err):
    X, W, b = rng.normal(size=(7, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
    delta = rng.normal(size=(7, 2))

    def L():  # a loss whose dL/dZ is exactly delta
        return float(np.sum(delta * (X @ W + b)))

    dW, db, dX = layer_backward(delta, X, W)
    assert (dW.shape, db.shape, dX.shape) == ((3, 2), (2,), (7, 3))
    assert rel_err(dW, numerical_gradient(L, W)) <= 1e-7
    assert rel_err(db, numerical_gradient(L, b)) <= 1e-7
    assert rel_err(dX, numerical_gradient(L, X)) <= 1e-7


def test_weight_gradient_is_the_sum_of_per_instance_outer_products(rng):
    X, delta = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    dW, db, _ = layer_backward(delta, X, rng.normal(size=(3, 2)))
    np.testing.assert_allclose(dW, sum(np.outer(X[i], delta[i]) for i in range(5)))
    np.testing.assert_allclose(db, sum(delta[i] for i in range(5)))


def test_layer_backward_errors():
    d, X, W = np.zeros((4, 2)), np.zeros((4, 3)), np.zeros((3, 2))
    with pytest.raises(ValueError, match=r"X must have 3 columns to match W of shape \(3, 2\)"):
        layer_backward(d, np.zeros((4, 2)), W)
    with pytest.raises(ValueError, match=r"dL_dZ must have shape \(4, 2\) .*got \(2, 4\)"):
        layer_backward(np.zeros((2, 4)), X, W)
    with pytest.raises(ValueError, match=r"dL_dZ must be a 2-d array"):
        layer_backward(np.zeros(2), X, W)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_two_layer_backward_matches_finite_differences_and_network(seed, rel_err):
    rng = np.random.default_rng(seed)
    params = list(_two_layer_params(rng))
    X, y = rng.normal(size=(9, 3)), rng.uniform(size=(9, 2))
    Y, cache = two_layer_forward(X, *params)
    grads = two_layer_backward(mse_grad(y, Y), cache, params[2])
    for p, g in zip(params, grads, strict=True):
        numeric = numerical_gradient(lambda: mse(y, two_layer_forward(X, *params)[0]), p)
        assert rel_err(g, numeric) <= 1e-7
    net = Network([3, 4, 2], seed=0)
    net.set_params(dict(zip(["W1", "b1", "W2", "b2"], params, strict=True)))
    Y_net, net_cache = net.forward(X)
    ref = net.backward(net_cache, mse_grad(y, Y_net))
    for name, g in zip(["W1", "b1", "W2", "b2"], grads, strict=True):
        np.testing.assert_allclose(g, ref[name], rtol=1e-12, atol=1e-15)


def test_two_layer_backward_errors(rng):
    params = _two_layer_params(rng)
    Y, cache = two_layer_forward(rng.normal(size=(4, 3)), *params)
    with pytest.raises(ValueError, match=r"cache must be the tuple \(X, Z1, A1, Z2\)"):
        two_layer_backward(Y, {"X": 1}, params[2])
    with pytest.raises(ValueError, match=r"dL_dY must have the shape of the output \(4, 2\)"):
        two_layer_backward(np.zeros(4), cache, params[2])
    X, Z1, A1, Z2 = cache
    with pytest.raises(ValueError, match=r"cache: Z1 \(4, 4\) and A1 \(4, 3\)"):
        two_layer_backward(Y, (X, Z1, A1[:, :3], Z2), params[2])


# --- gradient check ------------------------------------------------------------------------


def test_check_gradient_small_for_right_about_a_third_for_doubled(rng):
    W = rng.normal(size=(3, 2))
    assert check_gradient(lambda p: float(np.sum(p**2)), W, 2 * W) <= 1e-9
    assert check_gradient(lambda p: float(np.sum(p**2)), W, 4 * W) == pytest.approx(1 / 3,
                                                                                  rel=1e-6)
    assert check_gradient(lambda p: float(p**3), 2.0, 12.0) <= 1e-9


def test_check_gradient_on_the_two_layer_network(rng):
    params = list(_two_layer_params(rng))
    X, y = rng.normal(size=(5, 3)), rng.uniform(size=(5, 2))
    Y, cache = two_layer_forward(X, *params)
    grads = two_layer_backward(mse_grad(y, Y), cache, params[2])

    def loss_of_W1(W1):
        return mse(y, two_layer_forward(X, W1, *params[1:])[0])

    before = params[0].copy()
    assert check_gradient(loss_of_W1, params[0], grads[0]) <= 1e-7
    np.testing.assert_array_equal(params[0], before)  # param untouched
    assert check_gradient(loss_of_W1, params[0], grads[0] * 0.9) > 1e-2


def test_check_gradient_errors():
    W = np.zeros((2, 2))
    with pytest.raises(TypeError, match="f must be a function of the parameter array"):
        check_gradient(3.0, W, W)
    with pytest.raises(ValueError, match=r"dL_dparam must have the shape of param \(2, 2\)"):
        check_gradient(np.sum, W, np.zeros(4))
    with pytest.raises(ValueError, match="h must be a positive number, got -1.0"):
        check_gradient(np.sum, W, W, h=-1.0)
