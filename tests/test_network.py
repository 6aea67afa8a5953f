import numpy as np
import pytest

from backprop_lessons.maths.datasets import two_moons, xor
from backprop_lessons.maths.gradcheck import gradcheck, numerical_gradient
from backprop_lessons.maths.losses import mse, mse_grad
from backprop_lessons.maths.network import Dense, Network, dense_backward, dense_forward


@pytest.mark.parametrize("acts", ["sigmoid", "tanh", ["relu", "sigmoid"], ["tanh", "identity"]])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_backward_matches_finite_differences(acts, seed, rel_err):
    rng = np.random.default_rng(seed)
    net = Network([3, 5, 2], activations=acts, seed=seed)
    for layer in net.layers:  # non-zero biases so every gradient is exercised
        layer.b[:] = rng.normal(size=layer.b.shape)
    X = rng.normal(size=(7, 3))
    y = rng.normal(size=(7, 2))
    report = gradcheck(net, X, y, loss="mse", tol=1e-7)
    assert report.passed, report


def test_three_layer_network_and_bce():
    X, y = two_moons(16, seed=3)
    report = gradcheck(Network([2, 4, 3, 1], activations=["tanh", "tanh", "sigmoid"], seed=5),
                       X, y, loss="bce")
    assert report.passed, report
    assert set(report.errors) == {"W1", "b1", "W2", "b2", "W3", "b3"}


def test_forward_keeps_every_intermediate_and_shapes():
    net = Network([4, 6, 3, 1], seed=0)
    X = np.random.default_rng(0).normal(size=(32, 4))
    Y, cache = net.forward(X)
    assert Y.shape == (32, 1)
    assert [c["Z"].shape for c in cache] == [(32, 6), (32, 3), (32, 1)]
    np.testing.assert_array_equal(cache[0]["X"], X)
    np.testing.assert_array_equal(cache[1]["X"], cache[0]["A"])
    np.testing.assert_array_equal(cache[-1]["A"], Y)


def test_batch_equals_loop_over_instances():
    net = Network([3, 4, 2], seed=2)
    X = np.random.default_rng(1).normal(size=(5, 3))
    looped = np.vstack([net.predict(x.reshape(1, -1)) for x in X])
    np.testing.assert_allclose(net.predict(X), looped, rtol=1e-14)


def test_bias_gradient_is_summed_over_the_batch():
    rng = np.random.default_rng(0)
    X, W, b = rng.normal(size=(8, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
    A, Z = dense_forward(X, W, b, "identity")
    dA = rng.normal(size=(8, 2))
    dX, dW, db = dense_backward(dA, X, Z, W, "identity")
    np.testing.assert_allclose(db, dA.sum(axis=0))
    np.testing.assert_allclose(dW, X.T @ dA)
    np.testing.assert_allclose(dX, dA @ W.T)


def test_dense_input_gradient_matches_finite_differences(rel_err):
    rng = np.random.default_rng(4)
    layer = Dense(3, 2, "tanh", rng)
    X = rng.normal(size=(4, 3))
    dY = rng.normal(size=(4, 2))
    _, cache = layer.forward(X)
    dX, _ = layer.backward(cache, dY)
    numeric = numerical_gradient(lambda: float(np.sum(layer.forward(X)[0] * dY)), X)
    assert rel_err(dX, numeric) <= 1e-7


def test_seeded_initialisation_is_reproducible():
    a, b, c = Network([2, 3, 1], seed=7), Network([2, 3, 1], seed=7), Network([2, 3, 1], seed=8)
    np.testing.assert_array_equal(a.params["W1"], b.params["W1"])
    assert not np.allclose(a.params["W1"], c.params["W1"])


def test_small_step_lowers_the_loss():
    X, y = xor()
    net = Network([2, 3, 1], seed=0)
    Y, cache = net.forward(X)
    before = mse(y, Y)
    grads = net.backward(cache, mse_grad(y, Y))
    for name, p in net.params.items():
        p -= 0.1 * grads[name]
    assert mse(y, net.predict(X)) < before


def test_errors_are_named():
    net = Network([3, 2, 1])
    with pytest.raises(ValueError, match=r"X must have shape \(batch, 3\).*got shape \(3,\)"
                                         r".*reshape\(1, -1\)"):
        net.forward(np.zeros(3))
    with pytest.raises(ValueError, match=r"X must have shape \(batch, 3\).*got shape \(4, 2\)"):
        net.forward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match="X must be finite"):
        net.forward(np.full((1, 3), np.nan))
    _, cache = net.forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"dL_dY must have the shape of the output \(4, 1\)"):
        net.backward(cache, np.zeros((4,)))
    with pytest.raises(ValueError, match="cache must be the list returned by forward"):
        net.backward({}, np.zeros((4, 1)))
    with pytest.raises(ValueError, match="layer_sizes must list at least"):
        Network([3])
    with pytest.raises(ValueError, match="activations must be one name or 2 names"):
        Network([3, 2, 1], activations=["tanh"])
    with pytest.raises(ValueError, match="n_out must be a positive integer, got the number 0"):
        Dense(3, 0)
    with pytest.raises(ValueError, match=r"b must have shape \(2,\)"):
        dense_forward(np.zeros((1, 3)), np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(KeyError, match=r"missing \['b2'\]"):
        net.set_params({k: v for k, v in net.params.items() if k != "b2"})
