import numpy as np
import pytest

from backprop_lessons.maths import rhw1986
from backprop_lessons.maths.datasets import mirror_symmetry, xor
from backprop_lessons.maths.gradcheck import gradcheck, relative_error
from backprop_lessons.maths.losses import mse_grad
from backprop_lessons.maths.network import Network
from backprop_lessons.maths.training import gradient_descent_step


def test_symmetry_labels_match_the_data_set_eight_of_64():
    X, y = mirror_symmetry()
    labels = rhw1986.symmetry_labels(X)
    assert labels.shape == (64, 1) and labels.dtype == np.float64
    np.testing.assert_array_equal(labels, y)
    assert int(labels.sum()) == 8
    assert rhw1986.symmetry_labels([[1, 0, 1], [1, 1, 0]]).ravel().tolist() == [1.0, 0.0]


@pytest.mark.parametrize("X, message", [
    (np.array([1.0, 0.0, 1.0]), r"X must be a 2-d array .*got shape \(3,\).*reshape"),
    (np.array([[1.0, np.nan]]), "X must be finite"),
    ("101", "X must be a number or an array"),
])
def test_symmetry_labels_errors_name_the_argument(X, message):
    with pytest.raises((ValueError, TypeError), match=message):
        rhw1986.symmetry_labels(X)


def test_paper_network_draws_every_parameter_in_plus_minus_scale():
    net = rhw1986.paper_network([6, 2, 1], seed=3)
    for p in net.params.values():
        assert np.all(np.abs(p) <= rhw1986.INIT_SCALE)
    assert np.any(net.params["b1"] != 0)
    again = rhw1986.paper_network([6, 2, 1], seed=3)
    for k in net.params:
        np.testing.assert_array_equal(net.params[k], again.params[k])
    with pytest.raises(ValueError, match="scale must be a positive number, got -1.0"):
        rhw1986.paper_network(scale=-1)
    with pytest.raises(ValueError, match="seed must be an integer >= 0, got the number 1.5"):
        rhw1986.paper_network(seed=1.5)


def test_momentum_step_is_the_formula_and_keeps_its_inputs():
    params = {"W": np.array([[1.0, 2.0]]), "b": np.array([0.5])}
    grads = {"W": np.array([[0.5, -1.0]]), "b": np.array([2.0])}
    velocity = {"W": np.array([[0.1, 0.2]]), "b": np.array([-0.3])}
    new, vel = rhw1986.momentum_step(params, grads, velocity, eta=0.1, alpha=0.9)
    np.testing.assert_allclose(vel["W"], [[-0.05 + 0.09, 0.1 + 0.18]])
    np.testing.assert_allclose(vel["b"], [-0.2 - 0.27])
    np.testing.assert_allclose(new["W"], params["W"] + vel["W"])
    np.testing.assert_array_equal(params["W"], [[1.0, 2.0]])
    np.testing.assert_array_equal(velocity["b"], [-0.3])
    plain, _ = rhw1986.momentum_step(params, grads, velocity, eta=0.1, alpha=0.0)
    expected = gradient_descent_step(params, grads, 0.1)
    for k in params:
        np.testing.assert_allclose(plain[k], expected[k])


def test_momentum_step_errors():
    p = {"W": np.ones(2)}
    with pytest.raises(ValueError, match=r"alpha \(the momentum\) must be in \[0, 1\), got 1.0"):
        rhw1986.momentum_step(p, p, p, 0.1, 1.0)
    with pytest.raises(ValueError, match="eta must be a positive number, got 0.0"):
        rhw1986.momentum_step(p, p, p, 0.0, 0.5)
    with pytest.raises(KeyError, match=r"velocity must have the same names as params \['W'\]"):
        rhw1986.momentum_step(p, p, {"V": np.ones(2)}, 0.1, 0.5)
    with pytest.raises(ValueError, match=r"the gradient and velocity of W must have its shape"):
        rhw1986.momentum_step(p, {"W": np.ones(3)}, {"W": np.ones(3)}, 0.1, 0.5)


def test_train_full_batch_solves_the_symmetry_task_with_momentum():
    X, y = mirror_symmetry()
    run = rhw1986.train_full_batch([6, 2, 1], X, y, eta=1.6, alpha=0.9, max_epochs=1000, seed=1)
    assert tuple(run) == (456, 1.0)
    assert len(run.losses) == 457 and run.losses[-1] < run.losses[0]
    W1 = run.network.params["W1"]
    for j in range(2):
        assert rhw1986.mirror_cosine(W1[:, j]) < -0.999
    # a symmetric input: both hidden net inputs (without bias) are near zero
    sym = X[y.ravel() == 1]
    assert np.max(np.abs(sym @ W1)) < 0.05 * np.max(np.abs(W1))


def test_train_full_batch_without_momentum_stays_on_the_plateau():
    X, y = mirror_symmetry()
    run = rhw1986.train_full_batch([6, 2, 1], X, y, eta=1.6, alpha=0.0, max_epochs=300, seed=1)
    assert tuple(run) == (300, 0.875)
    assert abs(run.losses[-1] - 7 / 64) < 1e-3  # the output 1/8 for every vector


def test_train_full_batch_counts_no_step_when_right_from_the_start_and_checks_arguments():
    X, y = xor()
    run = rhw1986.train_full_batch([2, 2, 1], X, y, eta=2.0, max_epochs=0, seed=2)
    assert run.epochs == 0 and len(run.losses) == 1
    with pytest.raises(ValueError, match="max_epochs must be an integer >= 0, got the number -1"):
        rhw1986.train_full_batch([2, 2, 1], X, y, eta=2.0, max_epochs=-1)
    with pytest.raises(ValueError, match=r"alpha \(the momentum\) must be in \[0, 1\)"):
        rhw1986.train_full_batch([2, 2, 1], X, y, eta=2.0, alpha=-0.1)


def test_mirror_cosine_and_pair_weights():
    w = np.array([4.0, 2.0, 1.0, -1.0, -2.0, -4.0])
    assert rhw1986.mirror_cosine(w) == pytest.approx(-1.0)
    assert rhw1986.mirror_cosine(np.abs(w)) == pytest.approx(1.0)
    assert rhw1986.mirror_cosine([1.0, 0.0, 0.0]) == pytest.approx(0.0)
    assert rhw1986.mirror_cosine(w.reshape(-1, 1)) == pytest.approx(-1.0)
    np.testing.assert_allclose(rhw1986.pair_weights(w), [4.0, 2.0, 1.0])
    np.testing.assert_allclose(rhw1986.pair_weights([1.0, 5.0, 3.0]), [-1.0])
    X, _ = mirror_symmetry()
    a = rhw1986.pair_weights(w)
    np.testing.assert_allclose(X @ w, (X[:, :3] - X[:, ::-1][:, :3]) @ a)


@pytest.mark.parametrize("w, message", [
    (np.zeros(4), "w must not be all zeros"),
    (np.ones((2, 3)), r"w must be the input weights of one unit.*got shape \(2, 3\)"),
    (np.array([1.0]), r"at least 2 numbers, got shape \(1,\)"),
    (np.array([1.0, np.inf]), "w must be finite"),
])
def test_mirror_cosine_errors(w, message):
    with pytest.raises(ValueError, match=message):
        rhw1986.mirror_cosine(w)


def test_numerical_gradients_agree_with_backward_and_restore_the_weights():
    X, y = mirror_symmetry()
    net = rhw1986.paper_network([6, 2, 1], seed=0)
    before = {k: v.copy() for k, v in net.params.items()}
    numeric = rhw1986.numerical_gradients(net, X, y)
    Y, cache = net.forward(X)
    grads = net.backward(cache, mse_grad(y, Y))
    for k in grads:
        assert relative_error(grads[k], numeric[k]) <= 1e-7
        np.testing.assert_array_equal(net.params[k], before[k])
    assert gradcheck(net, X, y).passed
    with pytest.raises(TypeError, match="network must be a backprop_lessons Network"):
        rhw1986.numerical_gradients({"W1": np.ones(2)}, X, y)


def test_the_trained_network_passes_a_gradient_check():
    X, y = mirror_symmetry()
    net = rhw1986.train_full_batch([6, 2, 1], X, y, eta=1.6, max_epochs=1000, seed=1).network
    assert isinstance(net, Network)
    report = gradcheck(net, X, y)
    assert report.passed, report


def test_train_many_seeds_matches_train_full_batch_seed_by_seed():
    X, y = mirror_symmetry()
    many = rhw1986.train_many_seeds([6, 2, 1], X, y, 1.6, 0.9, 2000, seeds=range(4))
    single = [rhw1986.train_full_batch([6, 2, 1], X, y, 1.6, 0.9, 2000, seed=s)
              for s in range(4)]
    assert many.epochs.tolist() == [r.epochs for r in single]
    assert many.solved.tolist() == [r.accuracy == 1.0 for r in single]
    for i, r in enumerate(single):
        np.testing.assert_allclose(many.W1[i], r.network.params["W1"], rtol=1e-6, atol=1e-9)


def test_train_many_seeds_cap_and_stop_error():
    X, y = mirror_symmetry()
    capped = rhw1986.train_many_seeds([6, 2, 1], X, y, 3.2, 0.9, 300, seeds=[0, 1])
    assert capped.epochs.tolist() == [300, 300] and not capped.solved.any()
    strict = rhw1986.train_many_seeds([6, 2, 1], X, y, 1.6, 0.9, 5000, seeds=[1],
                                      stop_error=0.1)
    loose = rhw1986.train_many_seeds([6, 2, 1], X, y, 1.6, 0.9, 5000, seeds=[1])
    assert strict.solved[0] and strict.epochs[0] > loose.epochs[0]
    net = rhw1986.paper_network([6, 2, 1], seed=1)
    assert net.params["W1"].shape == strict.W1[0].shape


def test_train_many_seeds_names_bad_arguments():
    X, y = mirror_symmetry()
    with pytest.raises(ValueError, match=r"seeds must hold at least one seed, got none"):
        rhw1986.train_many_seeds([6, 2, 1], X, y, 1.0, seeds=[])
    with pytest.raises(ValueError, match=r"stop_error must be a positive number"):
        rhw1986.train_many_seeds([6, 2, 1], X, y, 1.0, stop_error=-0.1)


def test_train_many_seeds_trains_two_hidden_layers_like_train_full_batch():
    X, y = mirror_symmetry()
    many = rhw1986.train_many_seeds([6, 3, 2, 1], X, y, 1.6, 0.9, 400, seeds=[0, 1])
    single = [rhw1986.train_full_batch([6, 3, 2, 1], X, y, 1.6, 0.9, 400, seed=s).epochs
              for s in (0, 1)]
    assert many.epochs.tolist() == single


@pytest.mark.parametrize("layer_sizes, eta, alpha, max_epochs", [
    ([6, 2, 1], 3.2, 0.9, 600),   # some runs stop, some reach the cap
    ([6, 2, 1], 1.6, 0.0, 300),   # plain steps
    ([6, 3, 2, 1], 1.6, 0.9, 400),  # two hidden layers
    ([6, 1], 1.0, 0.5, 50),       # no hidden layer
])
def test_train_seeds_gives_train_full_batchs_runs(layer_sizes, eta, alpha, max_epochs):
    X, y = mirror_symmetry()
    stacked = rhw1986.train_seeds(layer_sizes, X, y, eta, alpha, max_epochs, seeds=[0, 1, 2])
    single = [rhw1986.train_full_batch(layer_sizes, X, y, eta, alpha, max_epochs, seed=s)
              for s in (0, 1, 2)]
    assert [r.epochs for r in stacked] == [r.epochs for r in single]
    assert [r.accuracy for r in stacked] == [r.accuracy for r in single]
    for a, b in zip(stacked, single, strict=True):
        assert isinstance(a, rhw1986.FullBatchRun) and isinstance(a.network, Network)
        assert len(a.losses) == len(b.losses) == b.epochs + 1
        np.testing.assert_allclose(a.losses, b.losses, rtol=1e-9, atol=1e-12)
        for name, p in b.network.params.items():
            np.testing.assert_allclose(a.network.params[name], p, rtol=1e-7, atol=1e-10)
        np.testing.assert_allclose(a.network.predict(X), b.network.predict(X), atol=1e-9)


def test_train_seeds_stacks_more_seeds_than_the_cell_uses_and_names_bad_seeds():
    X, y = mirror_symmetry()
    runs = rhw1986.train_seeds([6, 2, 1], X, y, 1.6, 0.9, 100, seeds=range(8))
    assert len(runs) == 8 and all(r.epochs == 100 for r in runs)
    with pytest.raises(ValueError, match=r"seed must be an integer >= 0, got"):
        rhw1986.train_seeds([6, 2, 1], X, y, 1.6, seeds=[0, -1])
