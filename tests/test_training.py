import numpy as np
import pytest

from backprop_lessons.maths.datasets import mirror_symmetry, spirals, two_moons, xor
from backprop_lessons.maths.gradcheck import GradcheckReport, numerical_gradient, relative_error
from backprop_lessons.maths.network import Network
from backprop_lessons.maths.training import accuracy, gradient_descent_step, minibatches, train


@pytest.mark.parametrize("n, batch", [(100, 32), (64, 32), (5, 32), (7, 1)])
def test_minibatches_cover_every_sample_once(n, batch):
    X = np.arange(n, dtype=float).reshape(-1, 1)
    batches = list(minibatches(X, X * 10, batch_size=batch, seed=3))
    seen = np.concatenate([xb[:, 0] for xb, _ in batches])
    assert sorted(seen) == list(range(n))
    assert [len(xb) for xb, _ in batches][-1] == (n % batch or min(batch, n))
    assert all(np.array_equal(yb, xb * 10) for xb, yb in batches)


def test_minibatches_are_seeded_and_default_to_32():
    X = np.arange(70.0).reshape(-1, 1)
    a = [xb for xb, _ in minibatches(X, X)]
    b = [xb for xb, _ in minibatches(X, X)]
    assert [len(x) for x in a] == [32, 32, 6]
    assert all(np.array_equal(x, z) for x, z in zip(a, b, strict=False))
    c = [xb for xb, _ in minibatches(X, X, seed=1)]
    assert not np.array_equal(a[0], c[0])


def test_gradient_descent_step_updates_every_parameter_and_keeps_inputs():
    params = {"W1": np.ones((2, 2)), "b1": np.zeros(2)}
    grads = {"W1": np.full((2, 2), 2.0), "b1": np.array([1.0, -1.0])}
    new = gradient_descent_step(params, grads, 0.25)
    np.testing.assert_allclose(new["W1"], 0.5)
    np.testing.assert_allclose(new["b1"], [-0.25, 0.25])
    np.testing.assert_array_equal(params["W1"], 1.0)


def test_xor_reaches_full_accuracy_from_a_fixed_seed():
    X, y = xor()
    net = Network([2, 4, 1], seed=0)
    history = train(net, X, y, eta=2.0, epochs=2000, batch_size=4, seed=0)
    assert accuracy(y, net.predict(X)) == 1.0
    assert history.epoch_losses[-1] < 0.01 < history.epoch_losses[0]
    assert len(history.batch_losses) == 2000


def test_two_moons_training_lowers_the_loss_and_records_batches():
    X, y = two_moons(100, noise=0.1, seed=0)
    net = Network([2, 8, 1], activations=["tanh", "sigmoid"], seed=0)
    history = train(net, X, y, loss="bce", eta=1.0, epochs=200, batch_size=32, seed=0)
    assert len(history.batch_losses) == 200 * 4  # 32 + 32 + 32 + 4
    assert history.epoch_losses[-1] < 0.5 * history.epoch_losses[0]
    assert accuracy(y, net.predict(X)) > 0.95


def test_training_errors_are_named():
    X, y = xor()
    with pytest.raises(ValueError, match="batch_size must be a positive integer, got the number 0"):
        list(minibatches(X, y, batch_size=0))
    with pytest.raises(ValueError, match=r"same number of rows, got X \(4, 2\) and y \(3, 1\)"):
        list(minibatches(X, y[:3]))
    with pytest.raises(ValueError, match="eta must be a positive number"):
        train(Network([2, 2, 1]), X, y, eta=0.0)
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        train(Network([2, 2, 1]), X, y, epochs=0)
    with pytest.raises(KeyError, match=r"missing \['b1'\]"):
        gradient_descent_step({"W1": 1.0, "b1": 0.0}, {"W1": 1.0}, 0.1)


def test_numerical_gradient_and_relative_error():
    w = np.array([1.0, -2.0, 0.5])
    g = numerical_gradient(lambda: float(np.sum(w ** 3)), w)
    np.testing.assert_allclose(g, 3 * w ** 2, rtol=1e-8)
    np.testing.assert_array_equal(w, [1.0, -2.0, 0.5])  # restored
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([1.0], [-1.0]) == pytest.approx(1.0)
    assert relative_error(0.0, 1e-12) < 1e-3  # the 1e-8 floor
    with pytest.raises(TypeError, match="param must be a float64 numpy array"):
        numerical_gradient(lambda: 0.0, [1.0])
    with pytest.raises(ValueError, match=r"a and b must have the same shape"):
        relative_error(np.zeros(2), np.zeros(3))


def test_gradcheck_report_flags_a_wrong_gradient():
    report = GradcheckReport(errors={"W1": 1e-10, "b1": 0.3}, tol=1e-7)
    assert not report.passed and report.worst == ("b1", 0.3)
    assert "b1: relative error 3.0e-01  TOO LARGE" in repr(report)


def test_datasets():
    X, y = mirror_symmetry()
    assert X.shape == (64, 6) and y.shape == (64, 1)
    assert int(y.sum()) == 8
    for row, label in zip(X, y[:, 0], strict=False):
        assert label == float(np.array_equal(row, row[::-1]))
    X, y = two_moons(101, seed=1)
    assert X.shape == (101, 2) and sorted(set(y[:, 0])) == [0.0, 1.0]
    np.testing.assert_array_equal(X, two_moons(101, seed=1)[0])
    X, y = spirals(50)
    assert X.shape == (100, 2) and y.sum() == 50
    with pytest.raises(ValueError, match="noise must be a finite number >= 0"):
        two_moons(10, noise=-1)
    with pytest.raises(ValueError, match="n must be a positive integer"):
        two_moons(0)


# ----- minibatch_indices and train_epochs (lesson 06) ---------------------------------
from backprop_lessons.maths.training import minibatch_indices, train_epochs  # noqa: E402


@pytest.mark.parametrize("n, batch, sizes", [(10, 4, [4, 4, 2]), (12, 4, [4, 4, 4]),
                                             (5, 32, [5]), (3, 1, [1, 1, 1])])
def test_minibatch_indices_use_every_sample_once_and_keep_the_last_batch(n, batch, sizes):
    batches = minibatch_indices(n, batch, seed=7)
    assert [len(b) for b in batches] == sizes
    assert sorted(np.concatenate(batches).tolist()) == list(range(n))
    assert all(b.dtype.kind == "i" for b in batches)


def test_minibatch_indices_are_shuffled_seeded_and_match_minibatches():
    a = np.concatenate(minibatch_indices(100, 32, seed=0))
    assert not np.array_equal(a, np.arange(100))
    assert np.array_equal(a, np.concatenate(minibatch_indices(100, 32, seed=0)))
    assert not np.array_equal(a, np.concatenate(minibatch_indices(100, 32, seed=1)))
    X = np.arange(100.0).reshape(-1, 1)
    from_minibatches = [xb[:, 0].astype(int) for xb, _ in minibatches(X, X, 32, seed=0)]
    for got, want in zip(from_minibatches, minibatch_indices(100, 32, seed=0), strict=True):
        np.testing.assert_array_equal(got, want)


def test_minibatch_indices_errors_are_named():
    with pytest.raises(ValueError, match="n must be a positive integer, got the number 0"):
        minibatch_indices(0)
    with pytest.raises(ValueError, match="batch_size must be a positive integer, got the number"):
        minibatch_indices(10, 2.5)


def test_train_epochs_gives_the_epoch_losses_of_train():
    X, y = two_moons(40, noise=0.1, seed=1)
    losses = train_epochs([2, 4, 1], X, y, eta=2.0, epochs=5, batch_size=16, seed=3)
    history = train(Network([2, 4, 1], seed=3), X, y, "mse", 2.0, 5, 16, 3)
    assert all(isinstance(v, float) for v in losses)
    np.testing.assert_allclose(losses, history.epoch_losses, rtol=0, atol=0)
    assert losses[-1] < losses[0]


def test_train_epochs_weights_batches_by_size_and_reshuffles_each_epoch():
    X, y = xor()
    X5, y5 = np.vstack([X, X[:1]]), np.vstack([y, y[:1]])  # 5 samples: batches of 2, 2, 1
    one = train_epochs([2, 2, 1], X5, y5, eta=1.0, epochs=1, batch_size=2, seed=0)
    net = Network([2, 2, 1], seed=0)
    total = 0.0
    for Xb, yb in minibatches(X5, y5, 2, seed=0):
        Y, cache = net.forward(Xb)
        total += float(np.mean((yb - Y) ** 2)) * len(Xb)
        grads = net.backward(cache, -2.0 * (yb - Y) / yb.size)
        net.set_params({k: net.params[k] - 1.0 * grads[k] for k in grads})
    assert one == [pytest.approx(total / 5, rel=1e-12)]
    two = train_epochs([2, 2, 1], X5, y5, eta=1.0, epochs=2, batch_size=2, seed=0)
    assert two[0] == one[0]


def test_train_epochs_errors_are_named():
    X, y = xor()
    with pytest.raises(ValueError, match="epochs must be a positive integer, got the number 0"):
        train_epochs([2, 2, 1], X, y, epochs=0)
    with pytest.raises(ValueError, match="eta must be a positive number"):
        train_epochs([2, 2, 1], X, y, eta=-1.0)
    with pytest.raises(ValueError, match=r"same number of rows, got X \(4, 2\) and y \(3, 1\)"):
        train_epochs([2, 2, 1], X, y[:3])


def test_divergence_is_reported_with_the_epoch():
    X = np.array([[1e3], [-1e3]])
    y = np.array([[1e3], [-1e3]])
    net = Network([1, 1], activations="identity", seed=0)
    with pytest.raises(ValueError, match=r"training diverged in epoch \d+.*eta = 10.0"):
        train(net, X, y, eta=10.0, epochs=50, batch_size=2)


def test_train_matches_explicit_gradient_descent_steps():
    X, y = xor()
    a, b = Network([2, 3, 1], seed=4), Network([2, 3, 1], seed=4)
    train(a, X, y, eta=0.7, epochs=3, batch_size=4)
    from backprop_lessons.maths.losses import mse_grad

    for _ in range(3):
        for Xb, yb in minibatches(X, y, 4, rng=np.random.default_rng(0)):
            Y, cache = b.forward(Xb)
            b.set_params(gradient_descent_step(b.params, b.backward(cache, mse_grad(yb, Y)),
                                               0.7))
    for name in a.params:
        np.testing.assert_allclose(a.params[name], b.params[name], rtol=1e-12)


def _judged(exercise, fn):
    """The verdict on ``fn``'s outputs, without the guard against calling the reference
    (these answers reuse the package's function to build a variant of its output)."""
    from backprop_lessons.exercises.runner import run_calls

    calls = [(p.args, p.kwargs, p.originals) for p in exercise.prepared_cases()]
    return exercise.judge(run_calls(fn, calls, exercise.time_limit, forbidden=None))


def test_train_epochs_exercise_accepts_the_losses_as_an_array_not_other_numbers():
    from backprop_lessons.exercises import lesson_06
    from backprop_lessons.maths import training

    def as_array(*args, **kwargs):
        return np.array(training.train_epochs(*args, **kwargs))

    def one_epoch_short(*args, **kwargs):
        return np.array(training.train_epochs(*args, **kwargs)[:-1])

    assert _judged(lesson_06.train_epochs, as_array).passed
    result = _judged(lesson_06.train_epochs, one_epoch_short)
    assert result.status == "failed"
    assert "Wrong length" in result.message


def test_central_difference_at_restores_the_entry_even_when_f_raises():
    from backprop_lessons.maths.gradcheck import central_difference_at

    p = np.array([1.0, 2.0])
    assert central_difference_at(lambda q: float(q[1] ** 3), p, 1, 1e-5) == \
        pytest.approx(12.0, rel=1e-9)
    np.testing.assert_array_equal(p, [1.0, 2.0])

    def boom(q):
        raise RuntimeError("loss failed")

    with pytest.raises(RuntimeError):
        central_difference_at(boom, p, 0, 1e-5)
    np.testing.assert_array_equal(p, [1.0, 2.0])
