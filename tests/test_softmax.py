"""Softmax, cross-entropy and their gradients (maths/softmax.py): every gradient against
central differences in float64, the stable forms at logits of ±1000, the loss registered as
"softmax_ce" for the network and its gradient check, and one epoch of training."""

import numpy as np
import pytest

from backprop_lessons.maths import softmax as sm
from backprop_lessons.maths import training
from backprop_lessons.maths.gradcheck import gradcheck, numerical_gradient, relative_error
from backprop_lessons.maths.losses import LOSSES, get_loss
from backprop_lessons.maths.network import Network

RNG = np.random.default_rng(1234)
Z = RNG.normal(scale=2.0, size=(6, 5))
LABELS = np.array([0, 4, 2, 2, 1, 3])
Y = sm.one_hot(LABELS, 5)


def _numeric(f, arr):
    a = arr.copy()
    return numerical_gradient(lambda: f(a), a)


# --- softmax ---------------------------------------------------------------------------------


def test_softmax_rows_are_distributions_in_the_order_of_the_logits():
    P = sm.softmax(Z)
    assert P.shape == Z.shape and P.dtype == np.float64
    assert np.all(P > 0)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=0, atol=1e-15)
    assert np.array_equal(np.argsort(P, axis=1), np.argsort(Z, axis=1))
    np.testing.assert_allclose(sm.softmax([[0.0, np.log(3.0)]]), [[0.25, 0.75]], rtol=1e-15)


def test_softmax_is_the_same_for_shifted_rows_and_stable_at_1000():
    shifted = sm.softmax(Z + np.array([[1000.0], [-1000.0], [0], [3], [-7], [500.0]]))
    np.testing.assert_allclose(shifted, sm.softmax(Z), rtol=1e-12, atol=0)
    big = sm.softmax([[1000.0, 999.0, 998.0], [-1000.0, -1001.0, -1002.0]])
    assert np.all(np.isfinite(big))
    e = np.exp([0.0, -1.0, -2.0])
    np.testing.assert_allclose(big, np.vstack([e / e.sum()] * 2), rtol=1e-15)


def test_softmax_underflow_gives_exact_zeros_not_nan():
    P = sm.softmax([[0.0, -800.0]])
    assert P.tolist() == [[1.0, 0.0]]


def test_softmax_of_two_classes_is_the_sigmoid():
    from backprop_lessons.maths.activations import sigmoid

    z = np.linspace(-6, 6, 13)
    P = sm.softmax(np.column_stack([z, np.zeros_like(z)]))
    np.testing.assert_allclose(P[:, 0], sigmoid(z), rtol=1e-14)


def test_softmax_jacobian_against_central_differences():
    z = Z[1]
    J = sm.softmax_jacobian(z)
    numeric = np.zeros((5, 5))
    for j in range(5):
        for k in range(5):
            numeric[k, j] = _numeric(lambda a, k=k: sm.softmax(a.reshape(1, -1))[0, k], z)[j]
    assert relative_error(J, numeric) < 1e-8
    p = sm.softmax(z.reshape(1, -1))[0]
    np.testing.assert_allclose(J, np.diag(p) - np.outer(p, p), rtol=0, atol=1e-16)
    np.testing.assert_allclose(J.sum(axis=0), 0.0, atol=1e-15)  # the rows of P sum to 1


@pytest.mark.parametrize("bad, match", [
    (np.zeros(3), r"Z must have shape \(N, K\).*got shape \(3,\).*reshape\(1, -1\)"),
    (np.zeros((2, 2, 2)), r"Z must have shape \(N, K\).*\(2, 2, 2\)"),
    ([[0.0, np.nan]], "Z must be finite"),
    ("logits", "Z must be a number or an array of numbers"),
])
def test_softmax_errors_name_the_argument(bad, match):
    with pytest.raises((ValueError, TypeError), match=match):
        sm.softmax(bad)


def test_log_softmax_is_the_log_of_softmax_and_finite_where_it_underflows():
    np.testing.assert_allclose(sm.log_softmax(Z), np.log(sm.softmax(Z)), rtol=1e-13)
    assert sm.log_softmax([[0.0, -800.0]]).tolist() == [[0.0, -800.0]]


# --- one-hot and cross-entropy ---------------------------------------------------------------


def test_one_hot():
    assert sm.one_hot(np.array([2, 0, 1])).tolist() == [[0, 0, 1], [1, 0, 0], [0, 1, 0]]
    assert sm.one_hot(np.array([1]), 4).tolist() == [[0.0, 1.0, 0.0, 0.0]]
    with pytest.raises(ValueError, match="n_classes must be an integer above the largest "
                                         "label 3, got the number 3.0"):
        sm.one_hot(np.array([3, 1]), 3)
    with pytest.raises(ValueError, match="labels must be a non-empty 1-d array of integer"):
        sm.one_hot(np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="got the label -1"):
        sm.one_hot(np.array([-1, 1]))


def test_cross_entropy_values():
    P = sm.softmax(Z)
    expected = -np.mean(np.log(P[np.arange(6), LABELS]))
    assert sm.cross_entropy(Y, P) == pytest.approx(expected, rel=1e-14)
    assert sm.cross_entropy_labels(LABELS, P) == pytest.approx(expected, rel=1e-14)
    assert sm.cross_entropy(Y[:1], np.full((1, 5), 0.2)) == pytest.approx(np.log(5), rel=1e-15)
    assert sm.cross_entropy([[0, 1.0]], [[0.0, 1.0]]) == 0.0  # a certain right answer, not -0.0
    assert str(sm.cross_entropy([[0, 1.0]], [[0.0, 1.0]])) == "0.0"


def test_cross_entropy_is_finite_at_a_probability_of_zero():
    # a wrong class at exactly 0 contributes nothing; the right class at 0 costs -log(EPS)
    assert sm.cross_entropy([[1.0, 0.0]], [[1.0, 0.0]]) == 0.0
    assert sm.cross_entropy([[0.0, 1.0]], [[1.0, 0.0]]) == pytest.approx(-np.log(sm.EPS))
    assert sm.cross_entropy_labels(np.array([1]), [[1.0, 0.0]]) == pytest.approx(
        -np.log(sm.EPS))


def test_cross_entropy_grad_against_central_differences():
    P = sm.softmax(Z / 2)  # no tiny probability: -log p bends sharply near 0
    g = sm.cross_entropy_grad(Y, P)
    assert relative_error(g, _numeric(lambda a: sm.cross_entropy(Y, a), P)) < 1e-8
    np.testing.assert_array_equal(g[Y == 0], 0.0)


def test_cross_entropy_errors():
    P = sm.softmax(Z)
    with pytest.raises(ValueError, match=r"Y must be one-hot targets of shape \(6, 5\), got "
                                         r"shape \(6,\) \(integer labels\? .*one_hot"):
        sm.cross_entropy(LABELS, P)
    with pytest.raises(ValueError, match=r"P must hold probabilities in \[0, 1\]"):
        sm.cross_entropy(Y, Z)
    with pytest.raises(ValueError, match=r"labels must be classes 0..4, got labels from 0 to 7"):
        sm.cross_entropy_labels(np.array([0, 7, 1, 1, 1, 1]), P)
    with pytest.raises(ValueError, match=r"labels must hold one integer class per row of P"):
        sm.cross_entropy_labels(LABELS[:3], P)


# --- softmax with cross-entropy --------------------------------------------------------------


def test_softmax_cross_entropy_is_cross_entropy_of_softmax():
    assert sm.softmax_cross_entropy(Y, Z) == pytest.approx(
        sm.cross_entropy(Y, sm.softmax(Z)), rel=1e-13)
    # finite and exact where softmax underflows: -log_softmax of the right class
    assert sm.softmax_cross_entropy([[0.0, 1.0]], [[0.0, -800.0]]) == pytest.approx(800.0)


def test_softmax_cross_entropy_grad_against_central_differences_and_the_jacobian():
    g = sm.softmax_cross_entropy_grad(Y, Z)
    np.testing.assert_allclose(g, (sm.softmax(Z) - Y) / 6, rtol=1e-15)
    assert relative_error(g, _numeric(lambda a: sm.softmax_cross_entropy(Y, a), Z)) < 1e-8
    dP = sm.cross_entropy_grad(Y, sm.softmax(Z))
    chained = np.array([sm.softmax_jacobian(Z[i]).T @ dP[i] for i in range(6)])
    np.testing.assert_allclose(chained, g, rtol=1e-12, atol=1e-16)
    np.testing.assert_allclose(g.sum(axis=1), 0.0, atol=1e-15)


def test_softmax_ce_is_a_registered_loss_and_the_network_passes_the_gradient_check():
    assert LOSSES["softmax_ce"] == (sm.softmax_cross_entropy, sm.softmax_cross_entropy_grad)
    assert get_loss("softmax_ce")[1] is sm.softmax_cross_entropy_grad
    X = RNG.uniform(size=(6, 4))
    net = Network([4, 3, 5], activations=["tanh", "identity"], seed=0)
    report = gradcheck(net, X, Y, loss="softmax_ce")
    assert report.passed, report
    assert set(report.errors) == {"W1", "b1", "W2", "b2"}


def test_a_wrong_error_signal_fails_the_gradient_check(monkeypatch):
    from backprop_lessons.maths import losses

    X = RNG.uniform(size=(6, 4))
    net = Network([4, 3, 5], activations=["tanh", "identity"], seed=0)
    forgot_1_over_n = (sm.softmax_cross_entropy, lambda Y_, Z_: sm.softmax(Z_) - Y_)
    monkeypatch.setitem(losses.LOSSES, "softmax_ce", forgot_1_over_n)
    report = gradcheck(net, X, Y, loss="softmax_ce")
    assert not report.passed
    assert report.errors["W2"] == pytest.approx(5 / 7, rel=1e-6)  # (N - 1) / (N + 1), N = 6


# --- reading the classifier ------------------------------------------------------------------


def test_predicted_labels_accuracy_and_confusion_matrix():
    assert sm.predicted_labels(Z).tolist() == np.argmax(Z, axis=1).tolist()
    pred = sm.predicted_labels(Z)
    assert sm.classification_accuracy(pred, Z) == 1.0
    acc = sm.classification_accuracy(LABELS, Z)
    assert acc == pytest.approx(np.mean(pred == LABELS))
    C = sm.confusion_matrix(np.array([0, 0, 1, 2, 2, 2]), np.array([0, 1, 1, 2, 0, 2]), 3)
    assert C.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    assert C.dtype == np.int64
    with pytest.raises(ValueError, match=r"predicted must be classes 0..2, got values from 0 "
                                         "to 3"):
        sm.confusion_matrix(np.array([0, 1]), np.array([0, 3]), 3)
    with pytest.raises(ValueError, match="labels and predicted must have the same length"):
        sm.confusion_matrix(np.array([0, 1]), np.array([0]), 3)
    with pytest.raises(ValueError, match=r"labels must hold one class per row of Z \(6\), got 2"):
        sm.classification_accuracy(np.array([0, 1]), Z)


# --- one epoch -------------------------------------------------------------------------------


def _problem():
    rng = np.random.default_rng(7)
    X = rng.uniform(size=(50, 4))
    Y_ = sm.one_hot(rng.integers(0, 3, size=50), 3)
    train_idx = np.sort(rng.permutation(50)[:37])
    net = Network([4, 6, 3], activations=["tanh", "identity"], seed=3)
    return net, X, Y_, train_idx


def test_train_epoch_is_one_epoch_of_the_package_training_loop():
    net, X, Y_, train_idx = _problem()
    params = {k: v.copy() for k, v in net.params.items()}
    new, loss = sm.train_epoch(params, X, Y_, train_idx, eta=0.5, seed=11, batch_size=8)
    for k in params:
        np.testing.assert_array_equal(params[k], net.params[k])  # params left unchanged
    history = training.train(net, X[train_idx], Y_[train_idx], loss="softmax_ce", eta=0.5,
                             epochs=1, batch_size=8, seed=11)
    for k in new:
        np.testing.assert_allclose(new[k], net.params[k], rtol=1e-13, atol=1e-15)
    assert loss == pytest.approx(history.epoch_losses[0], rel=1e-13)


def test_train_epoch_uses_the_training_rows_only():
    net, X, Y_, train_idx = _problem()
    params = net.params
    test_rows = np.setdiff1d(np.arange(50), train_idx)
    X_changed = X.copy()
    X_changed[test_rows] = 99.0  # anything in the test rows must change nothing
    a, loss_a = sm.train_epoch(params, X, Y_, train_idx, 0.5, 0)
    b, loss_b = sm.train_epoch(params, X_changed, Y_, train_idx, 0.5, 0)
    assert loss_a == loss_b
    assert all(np.array_equal(a[k], b[k]) for k in a)


def test_train_epoch_lowers_the_loss_and_names_its_errors():
    net, X, Y_, train_idx = _problem()
    params = net.params
    losses_ = []
    for epoch in range(15):
        params, loss = sm.train_epoch(params, X, Y_, train_idx, 1.0, epoch, batch_size=8)
        losses_.append(loss)
    assert losses_[-1] < losses_[0]
    with pytest.raises(ValueError, match="train_idx must be a non-empty 1-d array of row"):
        sm.train_epoch(params, X, Y_, np.array([0.5]), 0.5, 0)
    with pytest.raises(ValueError, match="eta must be a positive number"):
        sm.train_epoch(params, X, Y_, train_idx, -0.5, 0)
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        sm.train_epoch(params, X, Y_, train_idx, 0.5, 0, batch_size=0)
