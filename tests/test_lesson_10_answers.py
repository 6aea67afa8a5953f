"""Lesson 10's exercises against answers a learner might write: every wrong one fails (most
with the known mistake named), every right one passes, whichever valid formulation it uses."""

import numpy as np
import pytest

from backprop_lessons.exercises import lesson_10 as ex
from backprop_lessons.maths import softmax as sm
from backprop_lessons.maths.network import Network

# a learner's overflowing exp or log(0) warns in the notebook; here the verdict is the point
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def _verdict(exercise, fn):
    result = exercise.check(fn)
    return result.status, result.misconception, result.message


# --- 1. softmax ------------------------------------------------------------------------------


def _naive(Z):
    return np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)


def _global_max(Z):
    E = np.exp(Z - np.max(Z))
    return E / E.sum(axis=1, keepdims=True)


def _batch_sum(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / np.sum(E)


def _axis0(Z):
    E = np.exp(Z - Z.max(axis=0))
    return E / E.sum(axis=0)


def _no_keepdims(Z):
    E = np.exp(Z - Z.max(axis=1))  # (N, K) - (N,): broadcasts along the wrong axis
    return E / E.sum(axis=1)


def _unnormalised(Z):
    return np.exp(Z - Z.max(axis=1, keepdims=True))


def _log_softmax(Z):
    S = Z - Z.max(axis=1, keepdims=True)
    return S - np.log(np.exp(S).sum(axis=1, keepdims=True))


def _sigmoids(Z):
    return 1 / (1 + np.exp(-Z))


def _by_max(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.max(axis=1, keepdims=True)


def _in_place_shift(Z):
    Z -= Z.max(axis=1, keepdims=True)
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)


def _softmax_float32(Z):
    E = np.exp((Z - Z.max(axis=1, keepdims=True)).astype(np.float32))
    return E / E.sum(axis=1, keepdims=True)


SOFTMAX_WRONG = {
    "no max subtraction": (_naive, "no max subtraction"),
    "max of the whole batch": (_global_max, "max of the whole batch"),
    "normalised over the batch": (_batch_sum, "normalised over the batch"),
    "axis 0": (_axis0, "summed over axis 0"),
    "max without keepdims": (_no_keepdims, None),
    "not normalised": (_unnormalised, None),
    "log-softmax returned": (_log_softmax, None),
    "independent sigmoids": (_sigmoids, "independent sigmoids"),
    "divided by the max": (_by_max, "divided by the max"),
    "input shifted in place": (_in_place_shift, None),
    "a list returned": (lambda Z: sm.softmax(Z).tolist(), None),
}



def _assert_wrong(exercise, fn, known):
    """The wrong answer ``fn`` is not passed, and is named ``known`` when one is given."""
    status, misconception, message = _verdict(exercise, fn)
    assert status in ("failed", "error"), message
    if known is not None:
        assert misconception == known, message

@pytest.mark.parametrize("name", SOFTMAX_WRONG)
def test_wrong_softmax_fails(name):
    _assert_wrong(ex.softmax, *SOFTMAX_WRONG[name])


def test_softmax_messages_point_at_the_fix():
    _, _, message = _verdict(ex.softmax, _in_place_shift)
    assert "changed its input `Z` in place" in message
    _, _, message = _verdict(ex.softmax, _no_keepdims)
    assert "raised an error" in message and "Traceback" not in message[:40]


def _rowwise(Z):
    out = []
    for row in Z:
        e = np.exp(row - max(row))
        out.append(e / sum(e))
    return np.array(out)


def _via_logsumexp(Z):
    m = np.max(Z, axis=-1, keepdims=True)
    return np.exp(Z - m - np.log(np.sum(np.exp(Z - m), axis=-1, keepdims=True)))


def _broadcast_by_hand(Z):
    E = np.exp(Z - Z.max(1)[:, None])
    return E / E.sum(1)[:, None]


SOFTMAX_RIGHT = {
    "the hint's answer": lambda Z: (lambda E: E / E.sum(axis=1, keepdims=True))(
        np.exp(Z - Z.max(axis=1, keepdims=True))),
    "row by row in Python": _rowwise,
    "through log-sum-exp, axis=-1": _via_logsumexp,
    "[:, None] instead of keepdims": _broadcast_by_hand,
    "float32 arithmetic (float32 precision is enough here)": _softmax_float32,
}


@pytest.mark.parametrize("name", SOFTMAX_RIGHT)
def test_right_softmax_passes(name):
    status, _, message = _verdict(ex.softmax, SOFTMAX_RIGHT[name])
    assert status == "passed", message


# --- 2. cross-entropy ------------------------------------------------------------------------


def _log0(Y, P):
    return -np.sum(Y * np.log(P)) / len(P)


CE_WRONG = {
    "log of 0": (_log0, "log of 0"),
    "summed over the batch": (lambda Y, P: -np.sum(Y * np.log(np.clip(P, 1e-12, 1))),
                              "summed over the batch"),
    "mean over every entry": (lambda Y, P: -np.mean(Y * np.log(np.clip(P, 1e-12, 1))),
                              "mean over every entry"),
    "no minus sign": (lambda Y, P: np.sum(Y * np.log(np.clip(P, 1e-12, 1))) / len(P), "sign"),
    "the predicted class": (lambda Y, P: -np.mean(np.log(P.max(axis=1))),
                            "the predicted class, not the label"),
    "P[:, labels]": (lambda Y, P: -np.mean(np.log(P[:, np.argmax(Y, axis=1)])),
                     "labels mixed up with rows"),
    "binary cross-entropy per class": (
        lambda Y, P: -np.sum(Y * np.log(np.clip(P, 1e-12, 1))
                             + (1 - Y) * np.log(np.clip(1 - P, 1e-12, 1))) / len(P),
        "binary cross-entropy per class"),
    "log base 2": (lambda Y, P: -np.sum(Y * np.log2(np.clip(P, 1e-12, 1))) / len(P), None),
    "per-instance losses, no mean": (
        lambda Y, P: -np.sum(Y * np.log(np.clip(P, 1e-12, 1)), axis=1), None),
    "mean over the classes": (
        lambda Y, P: -np.mean(np.sum(Y * np.log(np.clip(P, 1e-12, 1)), axis=0)), None),
    "labels from argmax over axis 0": (
        lambda Y, P: -np.mean(np.log(np.clip(P[np.arange(len(P)) % P.shape[1],
                                               np.argmax(Y, axis=0)[0]], 1e-12, 1))), None),
}


@pytest.mark.parametrize("name", CE_WRONG)
def test_wrong_cross_entropy_fails(name):
    _assert_wrong(ex.cross_entropy, *CE_WRONG[name])


CE_RIGHT = {
    "clipped, the hint's answer": lambda Y, P: float(
        -np.sum(Y * np.log(np.clip(P, 1e-12, 1.0))) / len(P)),
    "the right class's probability": lambda Y, P: -np.mean(
        np.log(P[np.arange(len(P)), Y.argmax(axis=1)])),
    "a boolean mask": lambda Y, P: -np.mean(np.log(P[Y == 1])),
    "np.where around the log": lambda Y, P: -np.sum(
        np.where(Y == 1, np.log(np.where(Y == 1, P, 1.0)), 0.0)) / P.shape[0],
    "a 0-d array": lambda Y, P: np.asarray(-np.sum(Y * np.log(np.maximum(P, 1e-12))) / len(P)),
}


@pytest.mark.parametrize("name", CE_RIGHT)
def test_right_cross_entropy_passes(name):
    status, _, message = _verdict(ex.cross_entropy, CE_RIGHT[name])
    assert status == "passed", message


# --- 3. the error signal -----------------------------------------------------------------------


def _my_softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def _through_jacobian(Y, Z, transpose=True, plus=False):
    P = _my_softmax(Z)
    dP = -Y / P / len(Z)
    rows = []
    for p, g in zip(P, dP, strict=True):
        J = np.diag(p) + np.outer(p, p) if plus else np.diag(p) - np.outer(p, p)
        rows.append((J.T if transpose else J) @ g)
    return np.array(rows)


GRAD_WRONG = {
    "forgot 1/N": (lambda Y, Z: _my_softmax(Z) - Y, "forgot 1/N"),
    "divided by N·K": (lambda Y, Z: (_my_softmax(Z) - Y) / Z.size, "divided by N·K"),
    "sign": (lambda Y, Z: (Y - _my_softmax(Z)) / len(Z), "sign"),
    "logits instead of probabilities": (lambda Y, Z: (Z - Y) / len(Z), "Z instead of P"),
    "sigmoid-style slope": (
        lambda Y, Z: (_my_softmax(Z) - Y) * _my_softmax(Z) * (1 - _my_softmax(Z)) / len(Z),
        "the diagonal of the Jacobian only"),
    "dL/dP times the diagonal": (
        lambda Y, Z: -Y / _my_softmax(Z) / len(Z) * _my_softmax(Z) * (1 - _my_softmax(Z)),
        "dL/dP times the diagonal"),
    "stopped at dL/dP": (lambda Y, Z: -Y / _my_softmax(Z) / len(Z), "stopped at dL/dP"),
    "Jacobian with + p pᵀ": (lambda Y, Z: _through_jacobian(Y, Z, plus=True), None),
    "divided by the number of classes": (
        lambda Y, Z: (_my_softmax(Z) - Y) / Z.shape[1], None),
    "averaged over the batch": (lambda Y, Z: (_my_softmax(Z) - Y).mean(axis=0), None),
    "the target ignored": (lambda Y, Z: (_my_softmax(Z) - 1) / len(Z), None),
}


@pytest.mark.parametrize("name", GRAD_WRONG)
def test_wrong_error_signal_fails(name):
    _assert_wrong(ex.softmax_cross_entropy_grad, *GRAD_WRONG[name])


GRAD_RIGHT = {
    "(P - Y) / N": lambda Y, Z: (sm.softmax(Z) - Y) / len(Z),
    "own softmax, Z.shape[0]": lambda Y, Z: (_my_softmax(Z) - Y) / Z.shape[0],
    "through the full Jacobian, Jᵀ": lambda Y, Z: _through_jacobian(Y, Z),
    "through the full Jacobian, J (symmetric)": lambda Y, Z: _through_jacobian(
        Y, Z, transpose=False),
}


@pytest.mark.parametrize("name", GRAD_RIGHT)
def test_right_error_signal_passes(name):
    status, _, message = _verdict(ex.softmax_cross_entropy_grad, GRAD_RIGHT[name])
    assert status == "passed", message


# --- 4. one epoch ------------------------------------------------------------------------------


def _net(params):
    W1, W2 = np.asarray(params["W1"]), np.asarray(params["W2"])
    net = Network([W1.shape[0], W1.shape[1], W2.shape[1]], activations=["tanh", "identity"])
    net.set_params(params)
    return net


def _epoch(params, X, Y, train_idx, eta, seed, batch_size=32, *, rows="train",
           order="perm", keep_last=True, after_step=False, grad="ce", hidden="tanh",
           loss_of="batches"):
    W1, W2 = np.asarray(params["W1"]), np.asarray(params["W2"])
    net = Network([W1.shape[0], W1.shape[1], W2.shape[1]], activations=[hidden, "identity"])
    net.set_params(params)
    idx = np.arange(len(X)) if rows == "all" else np.asarray(train_idx)
    Xt, Yt = X[idx], Y[idx]
    start_loss = sm.softmax_cross_entropy(Yt, net.predict(Xt))
    rng = np.random.default_rng(seed)
    perm = rng.permutation(len(idx)) if order == "perm" else np.arange(len(idx))
    stop = len(idx) if keep_last else len(idx) - len(idx) % batch_size
    total, count = 0.0, 0
    for s in range(0, stop, batch_size):
        b = perm[s:s + batch_size]
        Z, cache = net.forward(Xt[b])
        dZ = (sm.softmax_cross_entropy_grad(Yt[b], Z) if grad == "ce"
              else 2 * (Z - Yt[b]) / Z.size)
        grads = net.backward(cache, dZ)
        for name, p in net.params.items():
            p -= eta * grads[name]
        loss_Z = net.predict(Xt[b]) if after_step else Z
        total += sm.softmax_cross_entropy(Yt[b], loss_Z) * len(b)
        count += len(b)
    loss = start_loss if loss_of == "start" else total / count
    return {k: v.copy() for k, v in net.params.items()}, loss


def _variant(**kw):
    def fn(params, X, Y, train_idx, eta, seed, batch_size=32):
        return _epoch(params, X, Y, train_idx, eta, seed, batch_size, **kw)
    return fn


def _fresh_rng_per_batch(params, X, Y, train_idx, eta, seed, batch_size=32):
    net = _net(params)
    Xt, Yt = X[train_idx], Y[train_idx]
    total = 0.0
    for _ in range(0, len(train_idx), batch_size):
        b = np.random.default_rng(seed).permutation(len(train_idx))[:batch_size]
        Z, cache = net.forward(Xt[b])
        total += sm.softmax_cross_entropy(Yt[b], Z) * len(b)
        grads = net.backward(cache, sm.softmax_cross_entropy_grad(Yt[b], Z))
        for name, p in net.params.items():
            p -= eta * grads[name]
    return {k: v.copy() for k, v in net.params.items()}, total / len(train_idx)


def _shuffles_all_then_filters(params, X, Y, train_idx, eta, seed, batch_size=32):
    """Shuffles all rows and keeps the training ones: no leak, but not the epoch's order."""
    order = np.random.default_rng(seed).permutation(len(X))
    rows = [i for i in order if i in set(train_idx.tolist())]
    return _epoch(params, X[rows], Y[rows], np.arange(len(rows)), eta, seed, batch_size,
                  order="none")


EPOCH_WRONG = {
    "the test rows trained on": (_variant(rows="all"), "the test rows trained on"),
    "no shuffle": (_variant(order="none"), "no shuffle"),
    "last partial batch dropped": (_variant(keep_last=False), None),
    "loss measured after each step": (_variant(after_step=True), None),
    "the squared error's gradient": (_variant(grad="mse"), None),
    "a sigmoid hidden layer": (_variant(hidden="sigmoid"), None),
    "the loss before the epoch": (_variant(loss_of="start"), None),
    "the same batch every step": (_fresh_rng_per_batch, None),
    "forgot 1/N in δ": (ex._summed_grad, "forgot 1/N in δ"),
    "gradient ascent": (ex._ascent, "gradient ascent"),
    "unweighted mean of the batch losses": (ex._unweighted,
                                            "unweighted mean of the batch losses"),
    "params changed in place": (ex._in_place, "params changed in place"),
    "every row shuffled, then filtered": (_shuffles_all_then_filters, None),
}


@pytest.mark.parametrize("name", EPOCH_WRONG)
def test_wrong_epoch_fails(name):
    _assert_wrong(ex.train_epoch, *EPOCH_WRONG[name])


def _by_hand(params, X, Y, train_idx, eta, seed, batch_size=32):
    W1, b1, W2, b2 = (np.array(params[k], dtype=float) for k in ("W1", "b1", "W2", "b2"))
    Xt, Yt = X[train_idx], Y[train_idx]
    order = np.random.default_rng(seed).permutation(len(train_idx))
    total = 0.0
    for s in range(0, len(order), batch_size):
        b = order[s:s + batch_size]
        Xb, Yb = Xt[b], Yt[b]
        A1 = np.tanh(Xb @ W1 + b1)
        Z = A1 @ W2 + b2
        S = Z - Z.max(axis=1, keepdims=True)
        log_P = S - np.log(np.exp(S).sum(axis=1, keepdims=True))
        total += -np.sum(Yb * log_P)
        d2 = (np.exp(log_P) - Yb) / len(b)
        d1 = (d2 @ W2.T) * (1 - A1 ** 2)
        W2, b2 = W2 - eta * A1.T @ d2, b2 - eta * d2.sum(axis=0)
        W1, b1 = W1 - eta * Xb.T @ d1, b1 - eta * d1.sum(axis=0)
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}, total / len(train_idx)


def _permuted_indices(params, X, Y, train_idx, eta, seed, batch_size=32):
    net = _net(params)
    rows = np.random.default_rng(seed).permutation(train_idx)  # the same order, as rows
    total = 0.0
    for s in range(0, len(rows), batch_size):
        b = rows[s:s + batch_size]
        Z, cache = net.forward(X[b])
        total += sm.softmax_cross_entropy(Y[b], Z) * len(b)
        grads = net.backward(cache, sm.softmax_cross_entropy_grad(Y[b], Z))
        for name, p in net.params.items():
            p -= eta * grads[name]
    return [{k: v.copy() for k, v in net.params.items()}, total / len(rows)]


EPOCH_RIGHT = {
    "with the course's Network": _variant(),
    "by hand in numpy": _by_hand,
    "rng.permutation(train_idx), a list returned": _permuted_indices,
}


@pytest.mark.parametrize("name", EPOCH_RIGHT)
def test_right_epoch_passes(name):
    status, _, message = _verdict(ex.train_epoch, EPOCH_RIGHT[name])
    assert status == "passed", message


def test_the_leak_message_explains_why():
    _, _, message = _verdict(ex.train_epoch, _variant(rows="all"))
    assert "X[train_idx]" in message and "never seen" in message


@pytest.mark.parametrize("exercise, reference", [(ex.softmax, sm.softmax),
                                                 (ex.train_epoch, sm.train_epoch)],
                         ids=["softmax", "train_epoch"])
def test_the_package_own_answer_is_not_counted(exercise, reference):
    status, _, message = _verdict(exercise, reference)
    assert status == "failed" and "write the formula yourself" in message
