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
    dW, db, dX = dense_backward(dA, X, Z, W, "identity")
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


# --- the fast path against the teaching path, float32, recycled arrays -------------------

def _teaching_chain(net, X, dY):
    """Forward and backward through dense_forward / dense_backward (the lessons' maths)."""
    A, cache = X, []
    for layer in net.layers:
        A_next, Z = dense_forward(A, layer.W, layer.b, layer.activation)
        cache.append((A, Z))
        A = A_next
    grads, dA = {}, dY
    for i in range(len(net.layers), 0, -1):
        layer = net.layers[i - 1]
        X_i, Z = cache[i - 1]
        grads[f"W{i}"], grads[f"b{i}"], dA = dense_backward(dA, X_i, Z, layer.W,
                                                            layer.activation)
    return A, grads, dA


@pytest.mark.parametrize("acts", ["sigmoid", "tanh", ["relu", "tanh", "sigmoid"],
                                  ["tanh", "identity", "relu"]])
@pytest.mark.parametrize("sizes, batch", [([3, 5, 4, 2], 7), ([3, 200, 100, 2], 100)])
def test_network_equals_the_teaching_path_bit_for_bit(acts, sizes, batch):
    # the big case writes its results into recycled arrays (>= 2**14 entries)
    rng = np.random.default_rng(5)
    net = Network(sizes, activations=acts, seed=3)
    for layer in net.layers:
        layer.b[:] = rng.normal(size=layer.b.shape)
    for _ in range(3):  # later calls reuse the arrays of earlier ones nobody holds
        X = rng.normal(size=(batch, sizes[0])) * 3
        X[0, 0] = 0.0
        dY = rng.normal(size=(batch, sizes[-1]))
        Y, cache = net.forward(X)
        grads, dX = net.backward(cache, dY, input_grad=True)
        Y_ref, grads_ref, dX_ref = _teaching_chain(net, X, dY)
        np.testing.assert_array_equal(Y, Y_ref)
        np.testing.assert_array_equal(dX, dX_ref)
        assert list(grads) == list(net.params)
        for name in grads:
            np.testing.assert_array_equal(grads[name], grads_ref[name], err_msg=name)


def test_results_held_by_the_caller_are_never_overwritten():
    rng = np.random.default_rng(0)
    net = Network([4, 300, 100, 1], seed=0)
    kept = []
    for _ in range(6):
        X = rng.normal(size=(128, 4))
        Y, cache = net.forward(X)
        grads = net.backward(cache, Y - 0.5)
        kept.append((Y, cache, grads, Y.copy(), [dict((k, v.copy()) for k, v in c.items())
                                                  for c in cache],
                     {k: v.copy() for k, v in grads.items()}))
    for Y, cache, grads, Y0, cache0, grads0 in kept:
        np.testing.assert_array_equal(Y, Y0)
        for c, c0 in zip(cache, cache0, strict=True):
            for key in ("X", "Z", "A"):
                np.testing.assert_array_equal(c[key], c0[key])
        for name in grads:
            np.testing.assert_array_equal(grads[name], grads0[name])
    distinct = {id(g["W2"]) for _, _, g, *_ in kept}
    assert len(distinct) == len(kept)  # every backward returned its own array


def test_input_gradient_only_on_request():
    net = Network([3, 4, 2], seed=1)
    X = np.random.default_rng(2).normal(size=(5, 3))
    Y, cache = net.forward(X)
    grads = net.backward(cache, Y)
    assert isinstance(grads, dict) and set(grads) == {"W1", "b1", "W2", "b2"}
    grads2, dX = net.backward(cache, Y, input_grad=True)
    assert dX.shape == X.shape
    for name in grads:
        np.testing.assert_array_equal(grads[name], grads2[name])
    numeric = numerical_gradient(lambda: float(np.sum(net.forward(X)[0] ** 2) / 2), X)
    np.testing.assert_allclose(dX, numeric, rtol=1e-6, atol=1e-9)


def test_an_edited_cache_takes_the_derivative_from_Z():
    net = Network([3, 4, 2], activations=["sigmoid", "tanh"], seed=1)
    X = np.random.default_rng(3).normal(size=(5, 3))
    Y, cache = net.forward(X)
    dY = np.ones_like(Y)
    right = net.backward(cache, dY)
    # A is used for act'(Z) only while the cache is as forward() made it: after an edit
    # (or in a copy) act'(Z) comes from Z, so a wrong A changes nothing
    cache[0]["A"] = np.zeros_like(cache[0]["A"])
    cache[1] = dict(cache[1], A=np.zeros_like(cache[1]["A"]))
    edited = net.backward(cache, dY)
    for name in right:
        np.testing.assert_array_equal(edited[name], right[name])


def test_float32_end_to_end():
    X, y = two_moons(64, seed=0)
    net64 = Network([2, 8, 1], seed=4)
    net32 = Network([2, 8, 1], seed=4, dtype=np.float32)
    assert net32.dtype == np.float32 and net64.dtype == np.float64
    assert all(p.dtype == np.float32 for p in net32.params.values())
    np.testing.assert_array_equal(net32.params["W1"], net64.params["W1"].astype(np.float32))
    Y, cache = net32.forward(X)  # float64 input, converted
    assert Y.dtype == np.float32
    assert all(a.dtype == np.float32 for c in cache for a in c.values())
    grads = net32.backward(cache, mse_grad(y, Y))
    assert all(g.dtype == np.float32 for g in grads.values())
    Y64, cache64 = net64.forward(X)
    grads64 = net64.backward(cache64, mse_grad(y, Y64))
    for name in grads:
        np.testing.assert_allclose(grads[name], grads64[name], rtol=1e-4, atol=1e-6)


@pytest.mark.slow  # trains two networks / starts two interpreters
def test_float32_training_reaches_the_float64_accuracy():
    from backprop_lessons.maths.training import accuracy, train

    X, y = two_moons(200, noise=0.1, seed=0)
    scores = {}
    for dtype in (np.float64, np.float32):
        net = Network([2, 16, 16, 1], activations=["tanh", "tanh", "sigmoid"], seed=0,
                      dtype=dtype)
        train(net, X, y, eta=0.5, epochs=150, batch_size=32, seed=0)
        assert net.params["W1"].dtype == dtype
        scores[dtype] = accuracy(y, net.predict(X))
    assert scores[np.float64] >= 0.95
    assert abs(scores[np.float32] - scores[np.float64]) <= 0.01


def test_dtype_errors_are_named():
    with pytest.raises(ValueError, match="dtype must be float64 or float32, got"):
        Network([2, 1], dtype=np.int64)
    with pytest.raises(ValueError, match="dtype must be float64 or float32"):
        Network([2, 1], dtype="float16")
    with pytest.raises(ValueError, match="X must be finite"):
        Network([2, 1], dtype=np.float32).forward(np.array([[np.inf, 0.0]]))


def test_big_results_nobody_holds_are_recycled():
    net = Network([4, 300, 1], seed=0)
    X = np.random.default_rng(1).normal(size=(128, 4))
    Y, cache = net.forward(X)
    kept_Z = cache[0]["Z"]
    address = kept_Z.ctypes.data
    _, cache2 = net.forward(X)
    assert cache2[0]["Z"].ctypes.data != address  # still held: a new array
    del Y, cache, kept_Z, cache2
    _, cache3 = net.forward(X)
    assert cache3[0]["Z"].ctypes.data == address  # let go of: written again


@pytest.mark.parametrize("activation", ["identity", "sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("seed", [0, 1])
def test_dense_backward_and_the_fast_layer_equal_lesson_05s_layer_backward(activation, seed):
    """One tuple order, (dL_dW, dL_db, dL_dX), and the same floats as layers.layer_backward
    (which takes dL/dZ): network.dense_backward, and the Dense layer's fast path."""
    from backprop_lessons.maths.activations import get_activation
    from backprop_lessons.maths.layers import layer_backward

    rng = np.random.default_rng(seed)
    X, dA = rng.normal(size=(6, 4)), rng.normal(size=(6, 3))
    layer = Dense(4, 3, activation, rng)
    layer.b[:] = rng.normal(size=3)
    A, cache = layer.forward(X)
    delta = dA * np.asarray(get_activation(activation)[1](cache["Z"]))
    expected = layer_backward(delta, X, layer.W)
    got = dense_backward(dA, X, cache["Z"], layer.W, activation)
    assert len(got) == 3
    for name, g, e in zip(("dL_dW", "dL_db", "dL_dX"), got, expected, strict=True):
        np.testing.assert_allclose(g, e, rtol=1e-15, atol=1e-15, err_msg=name)
    dX, grads = layer.backward(cache, dA)
    for name, g, e in zip(("dL_dW", "dL_db", "dL_dX"), (grads["W"], grads["b"], dX), expected,
                          strict=True):
        np.testing.assert_allclose(g, e, rtol=1e-14, atol=1e-15, err_msg=name)


def test_params_and_gradients_name_every_layer_in_order_after_a_layer_is_added():
    net = Network([2, 3, 1], seed=0)
    names = ["W1", "b1", "W2", "b2"]
    assert list(net.params) == names
    net.layers.append(Dense(1, 2, "tanh", np.random.default_rng(1)))
    names += ["W3", "b3"]
    params = net.params
    assert list(params) == names
    assert all(params[f"W{i}"] is layer.W and params[f"b{i}"] is layer.b
               for i, layer in enumerate(net.layers, start=1))
    X = np.random.default_rng(2).normal(size=(5, 2))
    Y, cache = net.forward(X)
    grads = net.backward(cache, np.ones_like(Y))
    assert list(grads) == names
    assert [grads[n].shape for n in names] == [params[n].shape for n in names]


def test_a_non_finite_entry_anywhere_in_the_input_is_caught():
    net = Network([3, 2, 1])
    wide = np.zeros((4, 6))
    for bad in (np.nan, np.inf, -np.inf):
        for row, col in ((0, 0), (3, 4), (2, 2)):
            X = wide.copy()
            X[row, col] = bad
            with pytest.raises(ValueError, match="X must be finite"):
                net.forward(X[:, ::2])  # a strided view: every other column
    huge = np.full((2, 3), 1e200)  # finite, though its sum of squares overflows: no error,
    # and no overflow warning (pytest turns warnings into errors)
    assert np.isfinite(net.forward(huge)[0]).all()


# ----- Network.train_step: the whole step in the network's buffers ---------------------
def _teaching_step(net, X, y, eta):
    """The step as a learner writes it: forward, MSE, backward, p -= eta * g."""
    from backprop_lessons.maths.training import mse_and_grad

    Y, cache = net.forward(X)
    loss, dY = mse_and_grad(np.asarray(y, net.dtype).reshape(Y.shape), Y)
    grads = net.backward(cache, dY)
    for name, p in net.params.items():
        p -= eta * grads[name]
    return loss


def _assert_same_params(a, b):
    assert list(a.params) == list(b.params)
    for name in a.params:
        np.testing.assert_array_equal(a.params[name], b.params[name], err_msg=name)
        assert a.params[name].dtype == b.params[name].dtype


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("acts", ["sigmoid", "tanh", ["relu", "tanh", "sigmoid"],
                                  ["tanh", "identity", "relu"], ["identity", "sigmoid", "tanh"]])
@pytest.mark.parametrize("sizes", [[3, 5, 4, 2], [3, 200, 100, 2]])
def test_train_step_equals_the_teaching_step_bit_for_bit(dtype, acts, sizes):
    # batch sizes change and come back (buffers kept per size, and more sizes than are
    # kept); the big case is where the teaching path writes into recycled arrays
    rng = np.random.default_rng(7)
    fast = Network(sizes, activations=acts, seed=3, dtype=dtype)
    slow = Network(sizes, activations=acts, seed=3, dtype=dtype)
    for net in (fast, slow):
        for layer in net.layers:
            layer.b[:] = np.random.default_rng(1).normal(size=layer.b.shape)
    for rows in (32, 32, 7, 32, 100, 1, 2, 3, 7, 32):
        X = rng.normal(size=(rows, sizes[0])) * 2
        y = rng.uniform(size=(rows, sizes[-1]))
        eta = float(rng.uniform(0.05, 0.5))
        expected = _teaching_step(slow, X, y, eta)
        loss = fast.train_step(X, y, eta)
        assert isinstance(loss, float)
        assert loss == expected
        _assert_same_params(fast, slow)


def test_train_step_follows_every_change_to_the_layers():
    rng = np.random.default_rng(0)
    fast, slow = Network([2, 4, 3, 1], seed=1), Network([2, 4, 3, 1], seed=1)
    X, y = rng.normal(size=(8, 2)), rng.uniform(size=(8, 1))

    def step():
        assert fast.train_step(X, y, 0.3) == _teaching_step(slow, X, y, 0.3)
        _assert_same_params(fast, slow)

    step()
    for net in (fast, slow):  # a new weight array, not an in-place change
        net.layers[1].W = net.layers[1].W * 0.5
    step()
    for net in (fast, slow):
        net.layers[1].activation = "relu"
    step()
    for net in (fast, slow):  # a whole new layer, then one more on top
        net.layers[0] = Dense(2, 4, "tanh", np.random.default_rng(5))
        net.layers.append(Dense(1, 2, "sigmoid", np.random.default_rng(6)))
    y = rng.uniform(size=(8, 2))  # the output is now 2 wide
    step()
    for net in (fast, slow):  # an in-place change is seen without any rebuild
        net.params["W2"][...] = 0.1
        net.set_params({**net.params, "b1": np.ones(4)})
    step()


def test_train_step_keeps_a_subclass_and_a_new_activation_on_the_teaching_path():
    from backprop_lessons.maths import activations

    calls = []

    class Logged(Network):
        def forward(self, X):
            calls.append(len(X))
            return super().forward(X)

    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(5, 3)), rng.uniform(size=(5, 1))
    fast, slow = Logged([3, 4, 1], seed=2), Network([3, 4, 1], seed=2)
    assert fast.train_step(X, y, 0.5) == _teaching_step(slow, X, y, 0.5)
    assert calls == [5]  # its forward ran
    _assert_same_params(fast, slow)

    softsign = (lambda z: z / (1 + np.abs(z)), lambda z: 1 / (1 + np.abs(z)) ** 2)
    activations.ACTIVATIONS["softsign"] = softsign
    try:
        fast = Network([3, 4, 1], ["softsign", "sigmoid"], seed=2)
        slow = Network([3, 4, 1], ["softsign", "sigmoid"], seed=2)
        for _ in range(2):
            assert fast.train_step(X, y, 0.5) == _teaching_step(slow, X, y, 0.5)
        _assert_same_params(fast, slow)
    finally:
        del activations.ACTIVATIONS["softsign"]


def test_train_step_takes_one_output_targets_as_a_vector_and_converts_dtypes():
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(6, 2)), rng.uniform(size=6)
    a = Network([2, 3, 1], seed=0, dtype=np.float32)
    b = Network([2, 3, 1], seed=0, dtype=np.float32)
    assert a.train_step(X.tolist(), y, 1) == _teaching_step(b, X.astype(np.float32),
                                                             y.astype(np.float32), 1.0)
    _assert_same_params(a, b)


def test_train_step_errors_are_named_and_nothing_moves():
    net = Network([2, 3, 1], seed=0)
    before = {k: v.copy() for k, v in net.params.items()}
    X, y = np.zeros((4, 2)), np.zeros((4, 1))
    cases = [
        ((np.zeros((4, 3)), y, 0.1), r"X must have shape \(batch, 2\).*got shape \(4, 3\)"),
        ((X, np.zeros((3, 1)), 0.1), r"same shape, got y \(3, 1\) and y_hat \(4, 1\)"),
        ((X, np.zeros((4, 2)), 0.1), r"same shape, got y \(4, 2\) and y_hat \(4, 1\)"),
        ((X, y, 0.0), "eta must be a positive number, got 0.0"),
        ((X, y, -1), "eta must be a positive number"),
        ((X, y, float("nan")), "eta must be a finite positive number"),
        ((np.full((4, 2), np.nan), y, 0.1), "X must be finite"),
        ((X, np.full((4, 1), np.inf), 0.1), "y must be finite, got a value of inf"),
    ]
    for args, message in cases:
        with pytest.raises(ValueError, match=message):
            net.train_step(*args)
    with pytest.raises(TypeError, match="eta must be a number"):
        net.train_step(X, y, "0.1")
    with pytest.raises(TypeError, match="y must be a number or an array of numbers"):
        net.train_step(X, None, 0.1)
    for name, value in net.params.items():
        np.testing.assert_array_equal(value, before[name])
    net.layers[1].W[0, 0] = np.nan  # a broken network: its output is NaN
    broken = {k: v.copy() for k, v in net.params.items()}
    from backprop_lessons.maths.network import Diverged

    with pytest.raises(Diverged, match=r"the batch's loss is not a finite number \(nan\), "
                                       "so nothing was updated"):
        net.train_step(X, y, 0.1)
    for name, value in net.params.items():
        np.testing.assert_array_equal(value, broken[name])


def test_train_step_buffers_are_not_part_of_the_networks_value():
    net = Network([2, 3, 1], seed=0)
    keys = set(vars(net))
    net.train_step(np.zeros((4, 2)), np.zeros((4, 1)), 0.1)
    assert set(vars(net)) == keys


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_one_division_by_minus_half_n_is_the_mse_gradient_to_the_bit(dtype):
    # train_step computes -2 (y - Y) / N as (y - Y) / (-N / 2): equal for every finite
    # difference, subnormal ones and the largest included
    info = np.finfo(dtype)
    rng = np.random.default_rng(0)
    exponents = rng.uniform(np.log2(info.smallest_subnormal), np.log2(info.max) - 2, 20000)
    d = (np.sign(rng.normal(size=exponents.size)) * 2.0 ** exponents).astype(dtype)
    d[:4] = [info.smallest_subnormal, -info.tiny, info.max / 4, 0.0]
    for n in (1, 2, 3, 7, 32, 100, 320, 1000, 2 ** 20 + 1):
        np.testing.assert_array_equal(d / (-n / 2), (-2.0 * d) / n, err_msg=str(n))


def test_train_step_and_train_refuse_an_empty_batch_by_name():
    from backprop_lessons.maths.training import train

    with pytest.raises(ValueError, match=r"X must hold at least one row.*\(0, 2\)"):
        Network([2, 1]).train_step(np.zeros((0, 2)), np.zeros((0, 1)), 0.1)
    with pytest.raises(ValueError, match=r"at least one sample to train on.*\(0, 1\)"):
        train(Network([2, 1]), np.zeros((0, 2)), np.zeros(0), epochs=1)


def test_train_step_survives_a_network_pickled_before_it_existed():
    import pickle

    rng = np.random.default_rng(4)
    X, y = rng.normal(size=(5, 2)), rng.uniform(size=(5, 1))
    net, ref = Network([2, 3, 1], seed=0), Network([2, 3, 1], seed=0)
    del net._plans  # as an older version's pickle leaves it
    copy = pickle.loads(pickle.dumps(net))
    assert copy.train_step(X, y, 0.2) == _teaching_step(ref, X, y, 0.2)
    _assert_same_params(copy, ref)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_layers_sigmoid_is_the_stable_where_form_to_the_bit(dtype):
    """where(Z >= 0, 1, e) / (1 + e), e = exp(-|Z|), as the layer computes it (the
    numerator as max(e, H)): equal at signed zeros, infinities, NaN, subnormals and
    values whose e underflows, and activations.sigmoid's floats in float64."""
    from backprop_lessons.maths.activations import sigmoid
    from backprop_lessons.maths.network import _sigmoid_into

    info = np.finfo(dtype)
    special = [0.0, -0.0, np.inf, -np.inf, np.nan, info.smallest_subnormal,
               -info.smallest_subnormal, info.tiny, -info.tiny, 745.0, -745.0, 104.0, -104.0,
               88.7, -88.7, 1e-8, -1e-8, info.max, -info.max]
    rng = np.random.default_rng(0)
    Z = np.concatenate([np.array(special), rng.normal(size=4000) * 30]).astype(dtype)
    Z = Z.reshape(-1, 1)
    e = np.exp(-np.abs(Z))
    expected = np.where(Z >= 0, dtype(1.0), e) / (1 + e)
    got = _sigmoid_into(Z, None, np.empty_like(Z), np.empty_like(Z))
    assert got.dtype == dtype
    np.testing.assert_array_equal(got, expected)
    assert np.array_equal(np.signbit(got), np.signbit(expected))
    if dtype == np.float64:
        finite = np.isfinite(Z)
        np.testing.assert_array_equal(got[finite], sigmoid(Z[finite]))
