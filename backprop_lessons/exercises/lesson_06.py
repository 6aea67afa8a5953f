"""Exercises of lesson 06, "Training: mini-batches and epochs": cut an epoch into shuffled
mini-batches, take one gradient-descent step for every weight and bias, write the
training loop over epochs, and measure accuracy."""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from backprop_lessons.maths import datasets, losses, network, training

from . import misconceptions as m
from .compare import describe_type
from .spec import Case, Exercise, Misconception

__all__ = ["minibatch_indices", "gradient_descent_step", "train_epochs", "accuracy"]

LESSON = "06_training"


# ----- 1. minibatch_indices ---------------------------------------------------------------
def _as_batches(value: Any) -> tuple[list[np.ndarray] | None, str]:
    """The batches as 1-d integer arrays, or (None, why not) in words."""
    if not isinstance(value, (list, tuple)):
        kind = "a generator" if hasattr(value, "__next__") else describe_type(value)
        return None, (
            f"Wrong type: expected a list of index arrays (one per batch), got {kind}. "
            "Collect the batches in a list (or wrap a generator in list(...))."
        )
    batches = []
    for k, b in enumerate(value):
        arr = np.asarray(b)
        if arr.ndim != 1 or arr.dtype.kind not in "iu":
            return None, (
                f"Batch {k} should be a 1-d array of integer indices, got "
                f"{describe_type(arr)}. Slice an integer array such as rng.permutation(n)."
            )
        batches.append(arr)
    return batches, ""


def _profile(batches: list[np.ndarray]) -> tuple[tuple[int, ...], bool, bool, bool]:
    """(batch sizes, no index twice, the indices are exactly 0..total-1, in sorted order)."""
    sizes = tuple(len(b) for b in batches)
    flat = np.concatenate(batches) if batches else np.zeros(0, dtype=int)
    distinct = len(np.unique(flat)) == len(flat)
    complete = bool(np.array_equal(np.sort(flat), np.arange(len(flat))))
    ordered = bool(np.all(np.diff(flat) > 0)) if len(flat) > 1 else True
    return sizes, distinct, complete, ordered


SEEDED_ORDER = (
    "Your batches hold every sample once, but not in the order of the seeded shuffle the "
    "lesson asks for: order = np.random.default_rng(seed).permutation(n), then consecutive "
    "slices. The seed is what makes a run repeatable: the same seed must give the same "
    "batches, run after run, and another seed another order. A fixed order (reversed, "
    "rolled), np.random.permutation(n) without a seeded generator (a new order on every "
    "run), or a generator seeded with a constant does not do that."
)


def _seeded_orders(case: Any) -> list[np.ndarray]:
    """The shuffles of 0..n-1 the lesson accepts for ``case``: the seeded generator's
    permutation (rng.shuffle of an arange is the same) and its choice without replacement."""
    bound = inspect.signature(training.minibatch_indices).bind(*case.args, **case.kwargs)
    bound.apply_defaults()
    n, seed = int(bound.arguments["n"]), bound.arguments["seed"]
    return [np.random.default_rng(seed).permutation(n),
            np.random.default_rng(seed).choice(n, size=n, replace=False)]


def compare_batches(expected: Any, got: Any, case: Any = None) -> tuple[bool, str]:
    """Do the batches ``got`` have the properties of ``expected`` (the same batch sizes,
    every index once, every sample covered, shuffled) and the order of the seeded
    shuffle, ``np.random.default_rng(seed).permutation(n)`` (or the same generator's
    ``choice(n, n, replace=False)``)? Without a case (a known mistake's output), the
    batches must be the expected ones exactly.
    """
    want, _ = _as_batches(expected)
    have, why = _as_batches(got)
    if want is None:
        raise TypeError(f"expected must be a list of index arrays, got {describe_type(expected)}")
    if have is None:
        return False, why
    sizes_w, distinct_w, complete_w, ordered_w = _profile(want)
    sizes_g, distinct_g, complete_g, ordered_g = _profile(have)
    if sizes_g != sizes_w:
        return False, (
            f"Wrong batches: expected {len(sizes_w)} batches of sizes {list(sizes_w)} "
            f"({sum(sizes_w)} samples), got {len(sizes_g)} of sizes {list(sizes_g)} "
            f"({sum(sizes_g)} samples)."
        )
    if distinct_g != distinct_w:
        flat = np.concatenate(have)
        values, counts = np.unique(flat, return_counts=True)
        twice = int(values[np.argmax(counts)])
        return False, (
            f"Index {twice} appears {int(counts.max())} times in one epoch: every sample "
            "must appear exactly once."
        )
    if complete_g != complete_w:
        flat = np.concatenate(have)
        missing = sorted(set(range(len(flat))) - set(flat.tolist()))
        where = f"index {missing[0]} never appears" if missing else "an index is out of range"
        return False, (
            f"The batches do not cover the samples 0..{len(flat) - 1}: {where} (the indices "
            "must be exactly 0, 1, ..., n − 1, each once)."
        )
    if ordered_g != ordered_w:
        return False, (
            "The batches are in the order 0, 1, 2, ...: the samples were not shuffled."
            if ordered_g
            else "The batches are shuffled where the samples should keep their order."
        )
    flat = np.concatenate(have) if have else np.zeros(0, dtype=int)
    orders = [np.concatenate(want) if want else flat]
    if case is not None:
        orders += _seeded_orders(case)
    if not any(np.array_equal(flat, order) for order in orders):
        return False, SEEDED_ORDER
    return True, ""


def _batch_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case(10, 4, 0, label="10 samples in batches of 4: the last batch holds 2"),
        Case(10, 4, 7, label="the same 10 samples with seed 7: another order"),
        Case(12, 4, 1, label="12 samples in batches of 4: three full batches"),
        Case(10, 32, 2, label="fewer samples than a batch: one batch of 10"),
        Case(20, 1, 3, label="batch size 1: one sample per step"),
        Case(100, 32, 4, label="the default batch size 32: 32 + 32 + 32 + 4"),
    ]


def _with_replacement(n, batch_size=32, seed=0):
    idx = np.random.default_rng(seed).integers(0, n, size=n)
    return [idx[s:s + batch_size] for s in range(0, n, batch_size)]


def _drop_last(n, batch_size=32, seed=0):
    order = np.random.default_rng(seed).permutation(n)
    return [order[s:s + batch_size] for s in range(0, n - batch_size + 1, batch_size)]


def _no_shuffle(n, batch_size=32, seed=0):
    order = np.arange(n)
    return [order[s:s + batch_size] for s in range(0, n, batch_size)]


def _array_split(n, batch_size=32, seed=0):
    order = np.random.default_rng(seed).permutation(n)
    return list(np.array_split(order, -(-n // batch_size)))  # ceil(n / batch_size) pieces


def _reversed(n, batch_size=32, seed=0):
    order = np.arange(n)[::-1]
    return [order[s:s + batch_size] for s in range(0, n, batch_size)]


def _seed_ignored(n, batch_size=32, seed=0):
    order = np.random.default_rng(0).permutation(n)
    return [order[s:s + batch_size] for s in range(0, n, batch_size)]


def _legacy(n, batch_size=32, seed=0):
    order = np.random.RandomState(seed).permutation(n)
    return [order[s:s + batch_size] for s in range(0, n, batch_size)]


minibatch_indices = Exercise(
    reference=training.minibatch_indices,
    solution='''\
def minibatch_indices(n, batch_size=32, seed=0):
    order = np.random.default_rng(seed).permutation(n)
    return [order[start:start + batch_size] for start in range(0, n, batch_size)]
''',
    cases=_batch_cases,
    compare=compare_batches,
    hints=[
        "An epoch uses every sample exactly once, in a new random order. Shuffle the "
        "indices 0..n−1 first, then cut the shuffled list into consecutive slices.",
        "rng = np.random.default_rng(seed); order = rng.permutation(n) is a shuffle of "
        "0..n−1. Slices start at 0, batch_size, 2·batch_size, ...: range(0, n, batch_size).",
        "order = np.random.default_rng(seed).permutation(n), then return "
        "[order[s:s + batch_size] for s in range(0, n, batch_size)] (the last slice is "
        "shorter when n is not a multiple of batch_size: keep it).",
    ],
    misconceptions=[
        Misconception(
            "dropped the last partial batch",
            _drop_last,
            "Your epoch stops at the last full batch, so the n % batch_size leftover samples "
            "are never trained on in that epoch. Keep the last, shorter batch: slice up to n "
            "(range(0, n, batch_size)), not up to n − batch_size + 1.",
        ),
        Misconception(
            "no shuffle",
            _no_shuffle,
            "Your batches take the samples in their stored order (0, 1, 2, ...). Data sets are "
            "often sorted (here, all of one class first), so each batch would pull the "
            "weights towards one class and the next batch back. Shuffle first: "
            "order = rng.permutation(n).",
        ),
        Misconception(
            "a fixed order, not a shuffle",
            _reversed,
            "Your batches take the samples in reverse order, n − 1 down to 0: every index "
            "once, but the same order in every epoch and for every seed, so it is no "
            "shuffle. Shuffle with the seeded generator: order = "
            "np.random.default_rng(seed).permutation(n), then slice it.",
        ),
        Misconception(
            "seed ignored",
            _seed_ignored,
            "Your shuffle does not depend on the seed: np.random.default_rng(0) gives the "
            "same order whatever seed the caller passes, so two runs meant to differ see "
            "the same batches. Seed the generator with the parameter: "
            "np.random.default_rng(seed).permutation(n).",
        ),
        Misconception(
            "legacy generator",
            _legacy,
            "You shuffled with numpy's legacy generator (np.random.seed(seed) then "
            "np.random.permutation, or np.random.RandomState(seed)): repeatable, but a "
            "different stream from the one the course uses, and np.random.seed changes the "
            "global state for every other function. Use a generator of your own: "
            "np.random.default_rng(seed).permutation(n).",
        ),
        Misconception(
            "sampling with replacement",
            _with_replacement,
            "You drew random indices with replacement (rng.integers or rng.choice): some "
            "samples come twice in the epoch and others never. An epoch is one pass over the "
            "whole training set: shuffle a permutation (rng.permutation(n)) and slice it.",
        ),
        Misconception(
            "np.array_split into equal pieces",
            _array_split,
            "np.array_split(order, k) cuts into k pieces of nearly equal size, so your batches "
            "are not batch_size long: 10 samples in 3 pieces give 4, 3, 3 where batches of 4 "
            "are 4, 4, 2. Only the last batch may be shorter. Slice instead: "
            "[order[s:s + batch_size] for s in range(0, n, batch_size)].",
        ),
    ],
)


# ----- 2. gradient_descent_step -------------------------------------------------------------
def _step_cases(rng: np.random.Generator) -> list[Case]:
    def net(sizes):
        params, grads = {}, {}
        for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), start=1):
            params[f"W{i}"] = rng.normal(size=(a, b)).round(3)
            params[f"b{i}"] = rng.normal(size=b).round(3)
            grads[f"W{i}"] = rng.normal(size=(a, b)).round(3)
            grads[f"b{i}"] = rng.normal(size=b).round(3)
        return params, grads

    p1, g1 = net([2, 2, 1])
    p2, g2 = net([3, 4, 2])
    return [
        Case({"W": 0.5, "b": 0.1}, {"W": 2.0, "b": -1.0}, 0.1,
             label="one weight and one bias"),
        Case({"W": -1.0, "b": 0.0}, {"W": -0.5, "b": 0.25}, 0.5),
        Case(p1, g1, 0.5, label="a 2-2-1 network: W1, b1, W2, b2"),
        Case(p2, g2, 0.05, label="a 3-4-2 network"),
    ]


_STEP_STUB = '''def gradient_descent_step(params, grads, eta):
    """A new dict {name: new value}: one gradient-descent step for every weight and bias."""
    # YOUR CODE HERE
    ...
'''

def _step_in_place(params, grads, eta):
    """The right numbers, written into the caller's arrays."""
    for name in params:
        params[name] -= eta * grads[name]
    return params


gradient_descent_step = Exercise(
    reference=training.gradient_descent_step,
    solution='''\
def gradient_descent_step(params, grads, eta):
    return {name: params[name] - eta * grads[name] for name in params}
''',
    cases=_step_cases,
    stub=_STEP_STUB,
    hints=[
        "Every parameter, weight or bias, takes the same step: new = old − η·gradient. "
        "params and grads share their names (\"W1\", \"b1\", ...).",
        "Loop over the names: for name in params: ... params[name] − eta * grads[name]. "
        "Put the results in a new dict (do not change params in place).",
        "return {name: params[name] - eta * grads[name] for name in params}",
    ],
    misconceptions=[
        Misconception(
            "sign flipped",
            lambda params, grads, eta: {k: params[k] + eta * grads[k] for k in params},
            m.SIGN_FLIPPED,
        ),
        Misconception(
            "learning rate forgotten",
            lambda params, grads, eta: {k: params[k] - grads[k] for k in params},
            m.FORGOT_LEARNING_RATE,
        ),
        Misconception(
            "only the weights updated",
            lambda params, grads, eta: {
                k: params[k] - eta * grads[k] if k.startswith("W") else params[k]
                for k in params
            },
            "Your step moved the weights but left the biases where they were. Biases are "
            "parameters too: b_new = b_old − η·∂L/∂b_old, in the same step as the weights, "
            "or every neuron stays stuck with its initial threshold.",
        ),
        Misconception(
            "params changed in place",
            _step_in_place,
            "Your step wrote into the caller's parameters (params[name] -= ..., or new[name] "
            "-= ... after new = params.copy(): copying a dict does not copy the arrays in "
            "it). Compute each new value as a new array, new[name] = params[name] - eta * "
            "grads[name], so the old values survive.",
        ),
    ],
    in_place="params changed in place",
)


# ----- 3. train_epochs --------------------------------------------------------------------
def _loop(layer_sizes, X, y, eta, epochs, batch_size, seed, *, fresh_rng=False,
          record="mean", default_seed=False):
    """A variant of the training loop, for the misconceptions below."""
    net = network.Network(layer_sizes, seed=seed)
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(epochs):
        batch_losses, sizes = [], []
        if default_seed:
            batches = training.minibatches(X, y, batch_size)
        elif fresh_rng:
            batches = training.minibatches(X, y, batch_size, seed=seed)
        else:
            batches = training.minibatches(X, y, batch_size, rng=rng)
        for X_b, y_b in batches:
            Y_b, cache = net.forward(X_b)
            batch_losses.append(losses.mse(y_b, Y_b))
            sizes.append(len(X_b))
            grads = net.backward(cache, losses.mse_grad(y_b, Y_b))
            net.set_params(training.gradient_descent_step(net.params, grads, eta))
        if record == "unweighted":
            out.append(float(np.mean(batch_losses)))
        elif record == "last":
            out.append(batch_losses[-1])
        elif record == "sum":
            out.append(float(np.sum(batch_losses)))
        elif record == "after":
            out.append(losses.mse(y, net.predict(X)))
        else:
            out.append(float(np.dot(batch_losses, sizes) / sum(sizes)))
    return out


def _same_order(layer_sizes, X, y, eta=0.5, epochs=10, batch_size=32, seed=0):
    return _loop(layer_sizes, X, y, eta, epochs, batch_size, seed, fresh_rng=True)


def _unweighted(layer_sizes, X, y, eta=0.5, epochs=10, batch_size=32, seed=0):
    return _loop(layer_sizes, X, y, eta, epochs, batch_size, seed, record="unweighted")


def _last_batch(layer_sizes, X, y, eta=0.5, epochs=10, batch_size=32, seed=0):
    return _loop(layer_sizes, X, y, eta, epochs, batch_size, seed, record="last")


def _no_rng(layer_sizes, X, y, eta=0.5, epochs=10, batch_size=32, seed=0):
    return _loop(layer_sizes, X, y, eta, epochs, batch_size, seed, default_seed=True)


def _summed(layer_sizes, X, y, eta=0.5, epochs=10, batch_size=32, seed=0):
    return _loop(layer_sizes, X, y, eta, epochs, batch_size, seed, record="sum")


def _after_epoch(layer_sizes, X, y, eta=0.5, epochs=10, batch_size=32, seed=0):
    return _loop(layer_sizes, X, y, eta, epochs, batch_size, seed, record="after")


def _train_cases(rng: np.random.Generator) -> list[Case]:
    X_xor, y_xor = datasets.xor()
    X_m, y_m = datasets.two_moons(40, noise=0.1, seed=1)
    return [
        Case([2, 2, 1], X_xor, y_xor, 2.0, 3, 3, 0,
             label="XOR, batches of 3 (3 + 1), 3 epochs"),
        Case([2, 3, 1], X_xor, y_xor, 1.0, 4, 4, 1, label="XOR, full batch, 4 epochs"),
        Case([2, 4, 1], X_m, y_m, 2.0, 5, 16, 3,
             label="two moons (40 points), batches of 16 (16 + 16 + 8), 5 epochs"),
    ]


_TRAIN_STUB = '''def train_epochs(layer_sizes, X, y, eta=0.5, epochs=10, batch_size=32, seed=0):
    """The loss of every epoch while Network(layer_sizes, seed=seed) learns (X, y)."""
    # YOUR CODE HERE
    # network = Network(layer_sizes, seed=seed)
    # rng = np.random.default_rng(seed)   # once, before the epochs: a new order each epoch
    # for every epoch, for every (X_b, y_b) in minibatches(X, y, batch_size, rng=rng):
    #     forward, mse, backward, gradient_descent_step for every parameter;
    # then append the epoch's loss (the sum of n_b * L_b, divided by n) and, at the end,
    # return the list of epoch losses.
    ...
'''

train_epochs = Exercise(
    reference=training.train_epochs,
    solution='''\
def train_epochs(layer_sizes, X, y, eta=0.5, epochs=10, batch_size=32, seed=0):
    network = Network(layer_sizes, seed=seed)
    rng = np.random.default_rng(seed)
    epoch_losses = []
    for _ in range(epochs):
        total = 0.0
        for X_b, y_b in minibatches(X, y, batch_size, rng=rng):
            Y_b, cache = network.forward(X_b)
            total += mse(y_b, Y_b) * len(X_b)
            grads = network.backward(cache, mse_grad(y_b, Y_b))
            network.set_params({k: p - eta * grads[k] for k, p in network.params.items()})
        epoch_losses.append(total / len(X))
    return epoch_losses
''',
    cases=_train_cases,
    stub=_TRAIN_STUB,
    hints=[
        "Two nested loops: the outer one over epochs, the inner one over the mini-batches "
        "of that epoch, minibatches(X, y, batch_size, rng=rng). Each batch: Y_b, cache = "
        "network.forward(X_b); L_b = mse(y_b, Y_b); grads = network.backward(cache, "
        "mse_grad(y_b, Y_b)); then network.set_params(gradient_descent_step(network.params, "
        "grads, eta)).",
        "The epoch's loss is the mean over its samples: add L_b * len(X_b) for every batch, "
        "then divide by len(X) once the epoch is over, and append it to epoch_losses. "
        "Create rng once, before the epochs, so that every epoch gets a new order.",
        "for epoch in range(epochs):\n"
        "    total = 0.0\n"
        "    for X_b, y_b in minibatches(X, y, batch_size, rng=rng):\n"
        "        Y_b, cache = network.forward(X_b)\n"
        "        total += mse(y_b, Y_b) * len(X_b)\n"
        "        grads = network.backward(cache, mse_grad(y_b, Y_b))\n"
        "        network.set_params(gradient_descent_step(network.params, grads, eta))\n"
        "    epoch_losses.append(total / len(X))\n"
        "return epoch_losses",
    ],
    misconceptions=[
        Misconception(
            "the same order every epoch",
            _same_order,
            "Your first epoch is right, then the losses drift: every epoch replays the same "
            "order, because the batches are drawn with seed=seed (a new generator each "
            "epoch). Create rng = np.random.default_rng(seed) once, before the loop, and "
            "pass rng=rng: each epoch then gets a new shuffle.",
        ),
        Misconception(
            "unweighted mean of the batch losses",
            _unweighted,
            "You averaged the batch losses as if every batch were the same size. The last "
            "batch can be smaller (here 8 samples instead of 16): weight each batch loss by "
            "its number of samples, sum of n_b·L_b divided by n, so that every sample counts "
            "once.",
        ),
        Misconception(
            "only the last batch's loss",
            _last_batch,
            "You recorded the loss of the last batch of each epoch only. One batch is a "
            "small, noisy sample of the data; the epoch's loss is the mean over every batch "
            "of the epoch, weighted by batch size.",
        ),
        Misconception(
            "minibatches called without rng",
            _no_rng,
            "Your batches come from minibatches(X, y, batch_size) without rng=: it then "
            "shuffles with its default seed 0, the same order in every epoch (and not the "
            "order of your seed). Create rng = np.random.default_rng(seed) once, before the "
            "epochs, and pass rng=rng.",
        ),
        Misconception(
            "sum of the batch losses",
            _summed,
            "You added up the batch losses without averaging: the number grows with the "
            "number of batches. Weight each batch loss by its size and divide by n: "
            "the sum of len(X_b)·L_b, divided by len(X).",
        ),
        Misconception(
            "loss of the final weights",
            _after_epoch,
            "You recorded the loss of the whole training set after the epoch's last step. "
            "That is a fine number to watch, but it costs one more forward pass; this "
            "exercise records what the loop computes anyway: each batch's loss, before its "
            "step, weighted by batch size, sum of len(X_b)·L_b divided by len(X).",
        ),
    ],
)


# ----- 4. accuracy ----------------------------------------------------------------------
def _accuracy_cases(rng: np.random.Generator) -> list[Case]:
    y = (rng.random(20) < 0.5).astype(float).reshape(-1, 1)
    p = np.clip(np.where(y == 1, 0.7, 0.3) + rng.normal(0, 0.25, size=(20, 1)), 0.01, 0.99)
    return [
        Case(np.array([1.0, 0.0, 1.0, 0.0]), np.array([0.9, 0.2, 0.3, 0.4]),
             label="four predictions, three right"),
        Case(np.array([1.0, 1.0, 0.0]), np.array([0.5, 0.8, 0.1]),
             label="a probability of exactly 0.5 counts as class 1"),
        Case(np.array([[1.0], [0.0], [1.0], [1.0], [0.0]]),
             np.array([[0.65], [0.55], [0.75], [0.3], [0.2]]), threshold=0.6,
             label="columns (n, 1), threshold 0.6"),
        Case(y, p.round(3), label="20 predictions of a network"),
        Case(np.array([1.0, 0.0, 1.0, 0.0]), np.array([[0.9], [0.2], [0.3], [0.4]]),
             label="labels (n,), predictions a column (n, 1): the spec allows both"),
        Case(np.array([[1.0], [1.0], [0.0]]), np.array([0.8, 0.3, 0.1]),
             label="labels a column (n, 1), predictions (n,)"),
        Case(np.array([1.0, 0.0, 1.0]), np.array([0.5, 0.2, 0.25]), threshold=0.3,
             label="threshold 0.3: a probability of 0.5 is class 1"),
    ]


BROADCAST = (
    "Your answer is right when y and y_hat have the same shape, and wrong when one is "
    "(n,) and the other a column (n, 1): comparing them broadcasts to an (n, n) table of "
    "every prediction against every label, and its mean is no accuracy. Flatten both "
    "first, np.ravel(y_hat) >= threshold and np.ravel(y) == 1, so that prediction i "
    "meets label i."
)


def _unflattened(y_shape: str, hat_shape: str):
    """An accuracy that leaves y and/or y_hat in their shapes ("as is"), flattens one
    ("flat") or makes it a column ("column"): it broadcasts on mixed shapes."""
    shape = {"as is": np.asarray, "flat": np.ravel,
             "column": lambda a: np.reshape(a, (-1, 1))}

    def accuracy(y, y_hat, threshold=0.5):
        return float(np.mean((shape[hat_shape](y_hat) >= threshold)
                             == (shape[y_shape](y) == 1)))

    return accuracy


_BROADCAST_VARIANTS = [("as is", "as is"), ("flat", "as is"), ("as is", "flat"),
                       ("as is", "column"), ("column", "as is")]


accuracy = Exercise(
    reference=training.accuracy,
    solution='''\
def accuracy(y, y_hat, threshold=0.5):
    predicted = np.ravel(y_hat) >= threshold
    return np.mean(predicted == (np.ravel(y) == 1))
''',
    cases=_accuracy_cases,
    hints=[
        "The network outputs a probability y_hat of class 1. Turn it into a class first: "
        "class 1 when y_hat >= threshold, else class 0. Then count how often the class is "
        "the label.",
        "(y_hat >= threshold) is an array of True/False; compare it with (y == 1) and take "
        "the mean: True counts as 1 and False as 0.",
        "return float(np.mean((np.ravel(y_hat) >= threshold) == (np.ravel(y) == 1)))",
    ],
    misconceptions=[
        *[Misconception("shapes broadcast", _unflattened(y_shape, hat_shape), BROADCAST)
          for y_shape, hat_shape in _BROADCAST_VARIANTS],
        Misconception(
            "threshold on the wrong side",
            lambda y, y_hat, threshold=0.5: float(
                np.mean((np.ravel(y_hat) < threshold) == (np.ravel(y) == 1))
            ),
            "Your accuracies are 1 − the right ones: you predicted class 1 when y_hat is "
            "below the threshold (or counted the wrong answers, !=). y_hat is the "
            "probability of class 1, so class 1 is y_hat >= threshold, and a right answer "
            "is one where that class == the label.",
        ),
        Misconception(
            "probabilities compared without a threshold",
            lambda y, y_hat, threshold=0.5: float(np.mean(np.ravel(y_hat) == np.ravel(y))),
            "You compared the probabilities themselves with the labels: 0.9 is never equal "
            "to 1, so almost nothing counts as right. Threshold first (class 1 when "
            "y_hat >= threshold), then compare the classes with the labels.",
        ),
        Misconception(
            "rounded instead of thresholded",
            lambda y, y_hat, threshold=0.5: float(
                np.mean(np.round(np.ravel(y_hat)) == np.ravel(y))
            ),
            "You rounded y_hat instead of comparing it with the threshold: rounding ignores "
            "the threshold argument, and np.round(0.5) is 0 (round half to even), so a "
            "prediction of exactly 0.5 becomes class 0. Use y_hat >= threshold.",
        ),
        Misconception(
            "> instead of >=",
            lambda y, y_hat, threshold=0.5: float(
                np.mean((np.ravel(y_hat) > threshold) == (np.ravel(y) == 1))
            ),
            "A probability exactly at the threshold counts as class 1 (the lesson's rule is "
            "y_hat >= threshold); your strict > puts it in class 0.",
        ),
        Misconception(
            "threshold argument ignored",
            lambda y, y_hat, threshold=0.5: float(
                np.mean((np.ravel(y_hat) >= 0.5) == (np.ravel(y) == 1))
            ),
            "You compared with 0.5 whatever the threshold argument says. Use the parameter: "
            "y_hat >= threshold (0.5 is only its default).",
        ),
        Misconception(
            "a count, not a fraction",
            lambda y, y_hat, threshold=0.5: int(
                np.sum((np.ravel(y_hat) >= threshold) == (np.ravel(y) == 1))
            ),
            "You returned how many examples are right. The accuracy is the fraction of them: "
            "divide by the number of examples (or take np.mean of the True/False array).",
        ),
        Misconception(
            "a percentage",
            lambda y, y_hat, threshold=0.5: 100 * float(
                np.mean((np.ravel(y_hat) >= threshold) == (np.ravel(y) == 1))
            ),
            "You returned a percentage. Return the fraction, a number from 0 to 1 (0.75, "
            "not 75); print it with f\"{acc:.1%}\" to show it as a percentage.",
        ),
        Misconception(
            "integer division",
            lambda y, y_hat, threshold=0.5: int(
                np.sum((np.ravel(y_hat) >= threshold) == (np.ravel(y) == 1))
            ) // np.size(y),
            "right // n is integer division: it gives 0 unless every example is right. Use "
            "true division, right / n (or np.mean of the True/False array).",
        ),
    ],
)
