"""Exercises of lesson 10, "Handwritten digits: softmax and cross-entropy": a stable softmax,
the cross-entropy of one-hot targets, the error signal of softmax with cross-entropy, and one
epoch of training on the training split only (maths: :mod:`backprop_lessons.maths.softmax`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from backprop_lessons.maths import softmax as sm
from backprop_lessons.maths.activations import sigmoid
from backprop_lessons.maths.network import Network

from . import misconceptions as m
from .compare import compare, describe_type
from .spec import Case, Exercise, Misconception

__all__ = ["softmax", "cross_entropy", "softmax_cross_entropy_grad", "train_epoch"]

LESSON = "10_digits"


def _quiet(fn):
    """``fn`` with numpy's overflow / 0-division / NaN warnings silenced: a misconception
    that overflows must return its NaN, not warn (the learner's own code still warns)."""
    def wrapped(*args, **kwargs):
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)

    return wrapped


# --- 1. a stable softmax --------------------------------------------------------------------


def _softmax_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case(np.array([[1.0, 2.0, 3.0]]), label="one instance, three classes"),
        Case(rng.normal(size=(4, 5)).round(2), label="4 instances, 5 classes"),
        Case(np.array([[1000.0, 999.0, 998.0], [0.5, -0.5, 0.0]]),
             label="logits of 1000: exp(1000) overflows to inf in float64"),
        Case(np.array([[-1000.0, -1001.0], [2.0, 1.0], [30.0, -30.0]]),
             label="logits of -1000: exp(-1000) underflows to 0"),
        Case((3 * rng.normal(size=(32, 10))).round(2), label="a mini-batch of 32, ten classes"),
        Case(np.array([[1000.0, 0.0, -1000.0]]),
             label="logits 2000 apart in one row: only the row's max keeps every exp finite"),
    ]


def _rows(e):
    return e / e.sum(axis=1, keepdims=True)


softmax = Exercise(
    id="softmax",
    lesson=LESSON,
    reference=sm.softmax,
    solution='''\
def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)
''',
    cases=_softmax_cases,
    hints=[
        "Each row of Z is one instance: exponentiate its K logits and divide by their sum, so "
        "the row becomes K positive numbers that add up to 1. Subtracting the same number "
        "from every logit of a row does not change the result: use the row's largest logit.",
        "m = Z.max(axis=1, keepdims=True) is the largest logit of each row, shape (N, 1); "
        "E = np.exp(Z - m) never overflows (every exponent is <= 0); then divide E by its "
        "row sums E.sum(axis=1, keepdims=True).",
        "E = np.exp(Z - Z.max(axis=1, keepdims=True)); return E / E.sum(axis=1, keepdims=True)",
    ],
    misconceptions=[
        Misconception(
            "no max subtraction",
            _quiet(lambda Z: _rows(np.exp(Z))),
            "Your softmax takes np.exp(Z) directly. For a logit of 1000, exp(1000) is inf in "
            "float64 and inf / inf is nan; for logits of -1000 every exp is 0 and 0 / 0 is "
            "nan. Subtract each row's largest logit first, E = np.exp(Z - Z.max(axis=1, "
            "keepdims=True)): the factor exp(-max) cancels between numerator and denominator.",
        ),
        Misconception(
            "max of the whole batch",
            _quiet(lambda Z: _rows(np.exp(Z - Z.max()))),
            "You subtracted one number, the largest logit of the whole batch (Z.max()). That "
            "protects the row that holds it, but in a row whose logits are all far below it "
            "every exponential underflows (exp(-999) is 0 in float64) and 0 / 0 is nan. "
            "Subtract each row's own max: Z.max(axis=1, keepdims=True).",
        ),
        Misconception(
            "normalised over the batch",
            _quiet(lambda Z: (lambda e: e / e.sum())(np.exp(Z - Z.max(axis=1, keepdims=True)))),
            "Your probabilities add up to 1 over the whole batch (E / E.sum()): each instance "
            "gets a share of one common total, so a batch of 32 gives probabilities about 32 "
            "times too small. Each instance is its own distribution over the K classes: "
            "divide by the row sums, E.sum(axis=1, keepdims=True).",
        ),
        Misconception(
            "summed over axis 0",
            _quiet(lambda Z: (lambda e: e / e.sum(axis=0, keepdims=True))(
                np.exp(Z - Z.max(axis=0, keepdims=True)))),
            "Your columns sum to 1: you normalised over axis 0, the instances of the batch, "
            "so class k's 'probabilities' are shared among the instances. A row of Z is one "
            "instance's K scores: take the max and the sum over axis 1 (with keepdims=True "
            "so that they broadcast back over the row).",
        ),
        Misconception(
            "independent sigmoids",
            lambda Z: sigmoid(Z),
            "You applied a sigmoid to each logit on its own (lesson 09's output unit). Each "
            "number is then in (0, 1), but a row does not sum to 1: the classes do not "
            "compete. Softmax exponentiates and divides by the row's sum, so raising one "
            "class's logit lowers every other class's probability.",
        ),
        Misconception(
            "divided by the max",
            _quiet(lambda Z: (lambda e: e / e.max(axis=1, keepdims=True))(
                np.exp(Z - Z.max(axis=1, keepdims=True)))),
            "You divided by the largest exponential of each row, so the top class always gets "
            "1 and the row sums to more than 1. Divide by the row's sum: "
            "E / E.sum(axis=1, keepdims=True).",
        ),
    ],
)


# --- 2. cross-entropy on one-hot targets ------------------------------------------------------


def _ce_cases(rng: np.random.Generator) -> list[Case]:
    def batch(n: int, k: int, label: str) -> Case:
        P = sm.softmax((2 * rng.normal(size=(n, k))).round(2))
        labels = rng.integers(0, k, size=n)
        return Case(sm.one_hot(labels, k), P, label=label)

    return [
        Case(np.array([[0.0, 1.0, 0.0]]), np.array([[0.2, 0.7, 0.1]]),
             label="one instance of class 1, given probability 0.7"),
        Case(np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]),
             np.array([[0.5, 0.5, 0.0], [0.25, 0.25, 0.5]]),
             label="a wrong class given probability exactly 0 (softmax underflows)"),
        batch(4, 3, "4 instances, 3 classes"),
        batch(32, 10, "a mini-batch of 32, ten classes"),
    ]


def _ce_with(fn):
    return _quiet(lambda Y, P: float(fn(np.asarray(Y), np.asarray(P))))


cross_entropy = Exercise(
    id="cross_entropy",
    lesson=LESSON,
    reference=sm.cross_entropy,
    solution='''\
def cross_entropy(Y, P):
    return -np.sum(Y * np.log(np.clip(P, 1e-12, 1.0))) / len(P)
''',
    cases=_ce_cases,
    hints=[
        "For one instance, the loss is minus the log of the probability the network gave to "
        "the right class; Y's one-hot row picks that class out (it is 1 there and 0 "
        "elsewhere). The batch's loss is the mean over the N instances.",
        "-np.sum(Y * np.log(P)) / N, with N = len(P), is the formula, but a probability of "
        "exactly 0 in a wrong class gives 0 · log 0 = 0 · (-inf) = nan. Clip first, "
        "np.clip(P, 1e-12, 1) (sm.EPS is 1e-12), or take only the right class's "
        "probability: P[np.arange(N), Y.argmax(axis=1)].",
        "return float(-np.sum(Y * np.log(np.clip(P, 1e-12, 1.0))) / len(P))",
    ],
    misconceptions=[
        Misconception(
            "log of 0",
            _ce_with(lambda Y, P: -np.sum(Y * np.log(P)) / len(P)),
            "Your loss is nan when a wrong class has probability exactly 0 (softmax gives "
            "exact zeros for logits far below the others): np.log(0) is -inf, and Y · log P "
            "= 0 · (-inf) is nan, not 0. Clip the probabilities before the log, "
            "np.log(np.clip(P, 1e-12, 1)), or take the log of the right class's probability "
            "only, P[np.arange(N), Y.argmax(axis=1)].",
        ),
        Misconception(
            "summed over the batch",
            _ce_with(lambda Y, P: -np.sum(Y * np.log(np.clip(P, sm.EPS, 1.0)))),
            "You summed the losses of the N instances; the loss of a batch is their mean. "
            "Divide by N = len(P): a mean does not grow with the batch size, so the same η "
            "works for a batch of 32 and for the whole training set.",
        ),
        Misconception(
            "mean over every entry",
            _ce_with(lambda Y, P: -np.mean(Y * np.log(np.clip(P, sm.EPS, 1.0)))),
            "np.mean over the (N, K) array divides by N·K, the number of entries, but only one "
            "entry per instance is nonzero: your loss is K times too small. Sum over the "
            "classes and take the mean over the instances: -np.sum(Y * np.log(P)) / len(P).",
        ),
        Misconception(
            "sign",
            _ce_with(lambda Y, P: np.sum(Y * np.log(np.clip(P, sm.EPS, 1.0))) / len(P)),
            "Your loss is negative: log P <= 0 for a probability, so the loss needs a minus "
            "sign, L = -(1/N) Σ Y log P, to be >= 0 and to fall to 0 when the right class gets "
            "probability 1. Without it, gradient descent would push the right class's "
            "probability down.",
        ),
        Misconception(
            "the predicted class, not the label",
            _ce_with(lambda Y, P: -np.mean(np.log(np.clip(P.max(axis=1), sm.EPS, 1.0)))),
            "You took the log of each row's largest probability, the network's own guess. The "
            "loss must look at the label: the probability given to the class Y says is right "
            "(Y * log P summed over the classes, or P[np.arange(N), Y.argmax(axis=1)]), "
            "whatever the network guessed.",
        ),
        Misconception(
            "labels mixed up with rows",
            _ce_with(lambda Y, P: -np.mean(np.log(P[:, Y.argmax(axis=1)]))),
            "P[:, labels] takes, for every row, the probability of every instance's label: an "
            "N x N table, whose mean is not the loss. Pair row i with its own label, "
            "P[np.arange(N), labels] with labels = Y.argmax(axis=1), or use the one-hot form "
            "-np.sum(Y * np.log(P)) / N.",
        ),
        Misconception(
            "binary cross-entropy per class",
            _ce_with(lambda Y, P: -np.sum(
                Y * np.log(np.clip(P, sm.EPS, 1.0))
                + (1 - Y) * np.log(np.clip(1 - P, sm.EPS, 1.0))) / len(P)),
            "You added (1 - Y) · log(1 - P), lesson 09's binary cross-entropy applied to "
            "every class as if each were a yes/no question. With softmax the classes share "
            "one distribution: pushing the right class up already pushes the others down, so "
            "the loss is only -Σ Y log P, averaged over the instances.",
        ),
    ],
)


# --- 3. the error signal of softmax with cross-entropy --------------------------------------


def _grad_cases(rng: np.random.Generator) -> list[Case]:
    def batch(n: int, k: int, label: str) -> Case:
        Z = (2 * rng.normal(size=(n, k))).round(2)
        return Case(sm.one_hot(rng.integers(0, k, size=n), k), Z, label=label)

    return [
        Case(np.array([[0.0, 1.0, 0.0]]), np.array([[1.0, 2.0, 0.5]]),
             label="one instance of class 1"),
        batch(3, 4, "3 instances, 4 classes"),
        batch(8, 3, "8 instances, 3 classes"),
        batch(32, 10, "a mini-batch of 32, ten classes"),
    ]


def _diagonal_only(Y, Z):
    P = sm.softmax(Z)
    return (P - Y) * P * (1 - P) / len(Z)


def _jacobian_wrong_way(Y, Z):
    """dL/dP times the diagonal of the softmax's Jacobian, entry by entry."""
    P = sm.softmax(Z)
    dP = -Y / P / len(Z)
    return dP * P * (1 - P)


softmax_cross_entropy_grad = Exercise(
    id="softmax_cross_entropy_grad",
    lesson=LESSON,
    reference=sm.softmax_cross_entropy_grad,
    solution='''\
def softmax_cross_entropy_grad(Y, Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    P = E / E.sum(axis=1, keepdims=True)
    return (P - Y) / len(Z)
''',
    cases=_grad_cases,
    hints=[
        "The derivation above ends in one line: for softmax followed by the cross-entropy "
        "(a mean over the N instances), dL/dZ = (P − Y) / N with P = softmax(Z). No Jacobian "
        "needs to be built: it cancels against the one-hot Y.",
        "P = sm.softmax(Z) (or your own softmax); N = len(Z), the number of "
        "instances (rows), not Z.size. The sign: output minus target, as for the squared "
        "error.",
        "return (sm.softmax(Z) - Y) / len(Z)",
    ],
    misconceptions=[
        Misconception(
            "forgot 1/N",
            lambda Y, Z: sm.softmax(Z) - Y,
            "You returned P − Y, the error signal of one instance. The loss is the mean over "
            "the N instances of the batch, so each instance's share of it carries 1/N: "
            "δ_out = (P − Y) / N, with N = len(Z). (The dense layer's Xᵀδ then sums over the "
            "batch, and the 1/N is already inside.)",
        ),
        Misconception(
            "divided by N·K",
            lambda Y, Z: (sm.softmax(Z) - Y) / Z.size,
            "You divided by Z.size, every entry of the batch (N·K). The cross-entropy averages "
            "over the N instances only (it sums over the K classes of each): divide by "
            "N = len(Z).",
        ),
        Misconception(
            "sign",
            lambda Y, Z: (Y - sm.softmax(Z)) / len(Z),
            m.SIGN_FLIPPED + " Here: δ_out = (P − Y) / N, prediction minus target.",
        ),
        Misconception(
            "Z instead of P",
            lambda Y, Z: (Z - Y) / len(Z),
            "You subtracted the target from the logits Z. The error signal compares the "
            "probabilities with the targets: P = softmax(Z) first, then (P − Y) / N.",
        ),
        Misconception(
            "the diagonal of the Jacobian only",
            _diagonal_only,
            "You multiplied by P·(1 − P), the diagonal of the softmax's Jacobian, as for a "
            "sigmoid. Each logit moves every probability of its row (dP_k/dZ_j = "
            "P_k(1[k = j] − P_j)), and summed over all k with the cross-entropy's -Y_k/P_k "
            "those terms cancel to (P_j − Y_j) / N: no slope factor is left.",
        ),
        Misconception(
            "dL/dP times the diagonal",
            _quiet(_jacobian_wrong_way),
            "You multiplied dL/dP = -Y / (N·P) by P·(1 − P) entry by entry, keeping only the "
            "diagonal of the softmax's Jacobian. The off-diagonal terms −P_k·P_j matter: the "
            "full chain rule is dL/dZ_j = Σ_k dL/dP_k · P_k(1[k = j] − P_j) = (P_j − Y_j) / N.",
        ),
        Misconception(
            "stopped at dL/dP",
            _quiet(lambda Y, Z: -Y / sm.softmax(Z) / len(Z)),
            "You returned dL/dP = -Y / (N·P), the gradient with respect to the probabilities. "
            "The error signal is taken with respect to the logits Z, one chain-rule step "
            "further back through the softmax: it simplifies to (P − Y) / N.",
        ),
    ],
)


# --- 4. one epoch on the training split -------------------------------------------------------


def compare_epoch(expected: Any, got: Any) -> tuple[bool, str]:
    """``(new_params, epoch_loss)``: the same parameter names, each value and the loss equal
    within float64 tolerances; a list instead of the tuple is fine."""
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return False, (
            f"Wrong type: expected a pair (new_params, epoch_loss), got {describe_type(got)}"
            + (f" of {len(got)} items" if isinstance(got, (tuple, list)) else "")
            + ". Return both: return new_params, epoch_loss."
        )
    params, loss = got
    want_params, want_loss = expected
    if not isinstance(params, Mapping):
        return False, (f"Wrong type: new_params should be a dict {{name: array}}, got "
                       f"{describe_type(params)}.")
    if set(params) != set(want_params):
        return False, (f"Wrong names: expected the parameters {sorted(want_params)}, got "
                       f"{sorted(params)}.")
    ok, detail = compare(want_loss, loss)
    if not ok:
        return False, f"epoch_loss: {detail}"
    for name in want_params:
        ok, detail = compare(want_params[name], params[name])
        if not ok:
            return False, f"new_params[{name!r}]: {detail}"
    return True, ""


def _epoch_cases(rng: np.random.Generator) -> list[Case]:
    def problem(n: int, n_in: int, n_h: int, k: int, n_train: int, eta: float, seed: int,
                label: str, batch_size: int = 32) -> Case:
        X = rng.uniform(0, 1, size=(n, n_in)).round(2)
        labels = rng.integers(0, k, size=n)
        net = Network([n_in, n_h, k], activations=["tanh", "identity"], seed=seed)
        train_idx = np.sort(rng.permutation(n)[:n_train])
        return Case({name: p.copy() for name, p in net.params.items()}, X,
                    sm.one_hot(labels, k), train_idx, eta, seed, batch_size=batch_size,
                    label=label)

    return [
        problem(12, 3, 4, 3, 8, 0.5, 0, "12 rows, 8 of them for training, batches of 4",
                batch_size=4),
        problem(40, 4, 5, 3, 30, 0.5, 1, "40 rows, 30 for training: one batch of 30"),
        problem(100, 6, 8, 4, 75, 1.0, 2, "100 rows, 75 for training: batches of 32, 32, 11"),
        problem(5, 1, 2, 2, 4, 0.5, 2, "5 rows, 4 for training, batches of 3 (3 + 1)",
                batch_size=3),  # small: a failure shown in full stays short
    ]


def _epoch(params, X, Y, train_idx, eta, seed, batch_size=32, *, rows=None, shuffle=True,
           scale=1.0, sign=1.0, record="weighted"):
    """A variant of the epoch, for the misconceptions below."""
    W1, W2 = np.asarray(params["W1"]), np.asarray(params["W2"])
    net = Network([W1.shape[0], W1.shape[1], W2.shape[1]], activations=["tanh", "identity"])
    net.set_params(params)
    idx = np.arange(len(X)) if rows == "all" else np.asarray(train_idx)
    X_t, Y_t = np.asarray(X)[idx], np.asarray(Y)[idx]
    order = np.random.default_rng(seed).permutation(len(idx)) if shuffle else np.arange(len(idx))
    batch_losses, sizes = [], []
    for start in range(0, len(idx), batch_size):
        b = order[start:start + batch_size]
        Z, cache = net.forward(X_t[b])
        batch_losses.append(sm.softmax_cross_entropy(Y_t[b], Z))
        sizes.append(len(b))
        grads = net.backward(cache, scale * sm.softmax_cross_entropy_grad(Y_t[b], Z))
        for name, p in net.params.items():
            p -= sign * eta * grads[name]
    if record == "unweighted":
        loss = float(np.mean(batch_losses))
    elif record == "last":
        loss = float(batch_losses[-1])
    else:
        loss = float(np.dot(batch_losses, sizes) / sum(sizes))
    return {name: p.copy() for name, p in net.params.items()}, loss


def _leak(params, X, Y, train_idx, eta, seed, batch_size=32):
    return _epoch(params, X, Y, train_idx, eta, seed, batch_size, rows="all")


def _no_shuffle(params, X, Y, train_idx, eta, seed, batch_size=32):
    return _epoch(params, X, Y, train_idx, eta, seed, batch_size, shuffle=False)


def _summed_grad(params, X, Y, train_idx, eta, seed, batch_size=32):
    # the batch's loss summed, not averaged: every gradient n_B times too large
    def run():
        W1, W2 = np.asarray(params["W1"]), np.asarray(params["W2"])
        net = Network([W1.shape[0], W1.shape[1], W2.shape[1]],
                      activations=["tanh", "identity"])
        net.set_params(params)
        idx = np.asarray(train_idx)
        X_t, Y_t = np.asarray(X)[idx], np.asarray(Y)[idx]
        order = np.random.default_rng(seed).permutation(len(idx))
        total = 0.0
        for start in range(0, len(idx), batch_size):
            b = order[start:start + batch_size]
            Z, cache = net.forward(X_t[b])
            total += sm.softmax_cross_entropy(Y_t[b], Z) * len(b)
            grads = net.backward(cache, sm.softmax(Z) - Y_t[b])
            for name, p in net.params.items():
                p -= eta * grads[name]
        return {name: p.copy() for name, p in net.params.items()}, total / len(idx)

    return _quiet(run)()


def _ascent(params, X, Y, train_idx, eta, seed, batch_size=32):
    return _epoch(params, X, Y, train_idx, eta, seed, batch_size, sign=-1.0)


def _unweighted(params, X, Y, train_idx, eta, seed, batch_size=32):
    return _epoch(params, X, Y, train_idx, eta, seed, batch_size, record="unweighted")


def _last(params, X, Y, train_idx, eta, seed, batch_size=32):
    return _epoch(params, X, Y, train_idx, eta, seed, batch_size, record="last")


def _in_place(params, X, Y, train_idx, eta, seed, batch_size=32):
    new, loss = _epoch(params, X, Y, train_idx, eta, seed, batch_size)
    for name in params:
        params[name][...] = new[name]
    return params, loss


_EPOCH_STUB = '''def train_epoch(params, X, Y, train_idx, eta, seed, batch_size=32):
    """One epoch on the training rows X[train_idx]: (new_params, epoch_loss)."""
    # YOUR CODE HERE
    ...
'''

train_epoch = Exercise(
    id="train_epoch",
    lesson=LESSON,
    reference=sm.train_epoch,
    solution='''\
def train_epoch(params, X, Y, train_idx, eta, seed, batch_size=32):
    n_in, n_hidden = params["W1"].shape
    net = Network([n_in, n_hidden, params["W2"].shape[1]], activations=["tanh", "identity"])
    net.set_params(params)
    X_train, Y_train = X[train_idx], Y[train_idx]
    order = np.random.default_rng(seed).permutation(len(train_idx))
    total = 0.0
    for start in range(0, len(order), batch_size):
        b = order[start:start + batch_size]
        Z, cache = net.forward(X_train[b])
        total += sm.softmax_cross_entropy(Y_train[b], Z) * len(b)
        grads = net.backward(cache, sm.softmax_cross_entropy_grad(Y_train[b], Z))
        for name, p in net.params.items():
            p -= eta * grads[name]
    return {name: p.copy() for name, p in net.params.items()}, total / len(train_idx)
''',
    cases=_epoch_cases,
    compare=compare_epoch,
    stub=_EPOCH_STUB,
    hints=[
        "Only the training rows may be used: X_train, Y_train = X[train_idx], Y[train_idx]. "
        "Build the network from params (net = Network([n_in, n_hidden, K], "
        "activations=['tanh', 'identity']); net.set_params(params) copies the values in), "
        "then one pass of lesson 06's loop over shuffled mini-batches.",
        "order = np.random.default_rng(seed).permutation(len(train_idx)); for each slice "
        "b = order[s:s + batch_size]: Z, cache = net.forward(X_train[b]); loss "
        "sm.softmax_cross_entropy(Y_train[b], Z) (weighted by len(b) for the epoch's "
        "mean); grads = net.backward(cache, sm.softmax_cross_entropy_grad(Y_train[b], "
        "Z)); then p -= eta * grads[name] for every name, p in net.params.items().",
        "Return ({name: p.copy() for name, p in net.params.items()}, total / len(train_idx)) "
        "where total adds each batch's loss times its size. Starting sizes: n_in, n_hidden = "
        "params['W1'].shape and K = params['W2'].shape[1].",
    ],
    misconceptions=[
        Misconception(
            "the test rows trained on",
            _leak,
            "Your epoch went over every row of X, the test rows included (the split "
            "leaked). The test split must never reach the training: a network's accuracy "
            "on rows it has learned from says nothing about images it has never seen. Take "
            "the training rows first, X[train_idx] and Y[train_idx], and shuffle and batch "
            "only those.",
        ),
        Misconception(
            "no shuffle",
            _no_shuffle,
            "Your batches take the training rows in their stored order. Shuffle them first, "
            "order = np.random.default_rng(seed).permutation(len(train_idx)), so that every "
            "batch is a fair sample of the training set (lesson 06).",
        ),
        Misconception(
            "forgot 1/N in δ",
            _summed_grad,
            "Your step used P − Y without dividing by the batch size: the gradient of the "
            "batch's summed loss, n_B times too large, so the step is n_B times η. The loss "
            "is the batch mean, so δ_out = (P − Y) / n_B: "
            "sm.softmax_cross_entropy_grad(Y_b, Z).",
        ),
        Misconception(
            "gradient ascent",
            _ascent,
            "Your step went uphill: W_new = W_old − η·∂L/∂W_old, with a minus, so that the "
            "loss falls.",
        ),
        Misconception(
            "unweighted mean of the batch losses",
            _unweighted,
            "Your epoch loss is the plain mean of the batch losses, so the short last batch "
            "counts as much as a full one. Weight each batch's loss by its size and divide by "
            "the number of training rows: the mean loss over the rows of the epoch.",
        ),
        Misconception(
            "the last batch's loss",
            _last,
            "You returned the loss of the last batch only. The epoch's loss is the mean over "
            "all its batches, each weighted by its size.",
        ),
        Misconception(
            "params changed in place",
            _in_place,
            "Your epoch wrote the new values into the caller's arrays. Work on the network's "
            "own copy (net.set_params copies) and return new arrays, so that params still "
            "holds the weights the epoch started from.",
        ),
    ],
    in_place="params changed in place",
    time_limit=10.0,
)
