"""Exercises of lesson 05, "The backward pass": the output layer's error signal, one dense
layer's backward, the whole backward pass of a two-layer network, and a gradient check
that proves it."""

from __future__ import annotations

import numpy as np

from backprop_lessons.maths import activations, layers, losses
from backprop_lessons.maths.gradcheck import relative_error

from . import misconceptions as m
from .compare import compare_errors
from .spec import Case, Exercise, Misconception, labelled

__all__ = ["output_error", "layer_backward", "two_layer_backward", "check_gradient"]

LESSON = "05_backward_pass"

_sig, _sig_prime = activations.sigmoid, activations.sigmoid_prime


# --- the output layer's error signal --------------------------------------------------------


def _output_cases(rng: np.random.Generator) -> list[Case]:
    def batch(n: int, k: int, label: str) -> Case:
        Z = rng.normal(size=(n, k)).round(2)
        return Case(Y=_sig(Z), y=rng.integers(0, 2, size=(n, k)).astype(float), Z_out=Z,
                    label=label)

    Z0 = np.array([[0.0]])
    return [
        Case(Y=_sig(Z0), y=np.array([[1.0]]), Z_out=Z0,
             label="one instance: Y = sigmoid(0) = 0.5, target 1"),
        batch(4, 1, "a batch of 4 instances, one output"),
        batch(8, 2, "8 instances, two outputs"),
        batch(32, 1, "a mini-batch of 32"),
        batch(3, 2, "3 instances, two outputs"),  # a short message for 'N = len(Y)'
    ]


output_error = Exercise(
    reference=layers.output_error,
    solution='''\
def output_error(Y, y, Z_out):
    dL_dY = 2 * (Y - y) / Y.size
    return dL_dY * sigmoid_prime(Z_out)
''',
    cases=_output_cases,
    hints=[
        "Two factors, by the chain rule: how L changes with the output Y (dL/dY), times how "
        "Y changes with Z_out (the slope of the sigmoid there).",
        "L = (1/N)·Σ(Y − y)², with N = Y.size, so dL/dY = (2/N)·(Y − y). The sigmoid's slope "
        "is bl.activations.sigmoid_prime(Z_out) (which equals Y·(1 − Y)).",
        "return 2 * (Y - y) / Y.size * bl.activations.sigmoid_prime(Z_out)",
    ],
    misconceptions=[
        Misconception(
            "dropped factor 2",
            lambda Y, y, Z_out: (Y - y) / Y.size * _sig_prime(Z_out),
            m.DROPPED_FACTOR_2,
        ),
        Misconception(
            "forgot sigmoid'",
            lambda Y, y, Z_out: 2 * (Y - y) / Y.size,
            "You returned dL/dY only. The error signal is taken with respect to Z_out, the "
            "input of the sigmoid, so the chain rule adds one more factor: "
            "δ_out = dL/dY · sigmoid'(Z_out).",
        ),
        Misconception(
            "sign flipped",
            lambda Y, y, Z_out: 2 * (y - Y) / Y.size * _sig_prime(Z_out),
            "Your signs are flipped: d/dY (Y − y)² = 2·(Y − y), output minus target. (The "
            "course network writes the same thing as −2·(y − O31).) With the wrong sign, "
            "every step would climb the loss.",
        ),
        Misconception(
            "forgot 1/N",
            lambda Y, y, Z_out: 2 * (Y - y) * _sig_prime(Z_out),
            "The loss is the mean over the N = Y.size entries of the batch, so each entry's "
            "derivative carries the factor 1/N: dL/dY = (2/N)·(Y − y). (Lesson 03 kept δ per "
            "example, without the 1/N, and averaged the gradients; this lesson puts the 1/N "
            "into δ, so that the gradients are sums over the batch.)",
        ),
        Misconception(
            "N = number of instances",
            lambda Y, y, Z_out: 2 * (Y - y) / len(Y) * _sig_prime(Z_out),
            "You divided by len(Y), the number of instances (rows). This loss is the mean "
            "over all N = Y.size entries of Y, every output of every instance, so "
            "dL/dY = (2/N)·(Y − y) with N = Y.size. The two agree only when the network has "
            "one output.",
        ),
        Misconception(
            "factors of the loss forgotten",
            lambda Y, y, Z_out: (Y - y) * _sig_prime(Z_out),
            "Both factors that the loss brings are missing: the 2 from the square and the 1/N "
            "from the mean. dL/dY = (2/N)·(Y − y), with N = Y.size.",
        ),
        Misconception(
            "integer division",
            lambda Y, y, Z_out: 2 // Y.size * (Y - y) * _sig_prime(Z_out),
            "2 // N is integer division: it is 0 as soon as N > 2, and your error signal "
            "vanishes. Use true division, 2 / N (or 2 * (Y - y) / Y.size).",
        ),
        Misconception(
            "Z(1 − Z) for sigmoid'",
            lambda Y, y, Z_out: 2 * (Y - y) / Y.size * Z_out * (1 - Z_out),
            "You wrote the sigmoid's slope as Z_out·(1 − Z_out). The formula is in terms of "
            "the sigmoid's output: σ'(Z) = σ(Z)·(1 − σ(Z)) = Y·(1 − Y), or "
            "bl.activations.sigmoid_prime(Z_out).",
        ),
        Misconception(
            "sigmoid' of Y",
            lambda Y, y, Z_out: 2 * (Y - y) / Y.size * _sig_prime(Y),
            "You evaluated sigmoid_prime at Y, the sigmoid's output. Its slope belongs at its "
            "input: sigmoid_prime(Z_out), which is the same number as Y·(1 − Y).",
        ),
    ],
)


# --- one dense layer backward ---------------------------------------------------------------

_COLUMN_BIAS = (
    "Your bias gradient is a column (n_out, 1). In this course b has shape (n_out,), one "
    "bias per neuron added to every row of Z = X @ W + b (lesson 03 says where other books "
    "differ: those that write W x + b, one example per column, keep b as a column). A "
    "gradient has the shape of its parameter: dL_dZ.sum(axis=0), shape (n_out,), no "
    "reshape."
)


def _backward_cases(rng: np.random.Generator) -> list[Case]:
    def layer(n: int, n_in: int, n_out: int, label: str) -> Case:
        return Case(dL_dZ=rng.normal(size=(n, n_out)).round(2),
                    X=rng.normal(size=(n, n_in)).round(2),
                    W=rng.normal(size=(n_in, n_out)).round(2), label=label)

    return [
        Case(dL_dZ=np.array([[0.5]]), X=np.array([[1.0, 2.0]]), W=np.array([[0.3], [-0.4]]),
             label="one instance, 2 inputs, 1 neuron"),
        layer(3, 2, 3, "3 instances, 2 inputs, 3 neurons"),
        layer(5, 4, 2, "5 instances, 4 inputs, 2 neurons"),
        layer(32, 3, 4, "a mini-batch of 32, 3 inputs, 4 neurons"),
    ]


layer_backward = Exercise(
    reference=layers.layer_backward,
    solution='''\
def layer_backward(dL_dZ, X, W):
    dL_dW = X.T @ dL_dZ
    dL_db = dL_dZ.sum(axis=0)
    dL_dX = dL_dZ @ W.T
    return dL_dW, dL_db, dL_dX
''',
    cases=_backward_cases,
    hints=[
        "Z = X @ W + b. Each weight W[k, j] multiplies input k on its way to neuron j, in "
        "every instance; each bias b[j] is added once per instance; each input X[i, k] feeds "
        "every neuron j through W[k, j].",
        "Match the shapes: dL_dW must be (n_in, n_out) like W, so X.T @ dL_dZ; dL_db must be "
        "(n_out,) like b, so sum dL_dZ over the batch (axis 0); dL_dX must be (batch, n_in) "
        "like X, so dL_dZ @ W.T.",
        "return X.T @ dL_dZ, dL_dZ.sum(axis=0), dL_dZ @ W.T",
    ],
    misconceptions=[
        Misconception(
            "transposed gradient",
            lambda dL_dZ, X, W: (dL_dZ.T @ X, dL_dZ.sum(axis=0), dL_dZ @ W.T),
            m.TRANSPOSED_GRADIENT.replace(
                "δ · xᵀ rather than x · δᵀ", "X.T @ dL_dZ (n_in, n_out) rather than dL_dZ.T @ X"
            ),
        ),
        Misconception(
            "bias gradient not summed",
            lambda dL_dZ, X, W: (X.T @ dL_dZ, dL_dZ, dL_dZ @ W.T),
            m.BIAS_NOT_SUMMED,
        ),
        Misconception(
            "bias gradient averaged",
            lambda dL_dZ, X, W: (X.T @ dL_dZ, dL_dZ.mean(axis=0), dL_dZ @ W.T),
            "You averaged the bias gradient over the batch. The loss's own 1/N is already "
            "inside dL_dZ, so the contributions of the instances simply add up: "
            "dL_db = dL_dZ.sum(axis=0), just as X.T @ dL_dZ sums over the batch for W.",
        ),
        Misconception(
            "gradients averaged over the batch",
            lambda dL_dZ, X, W: (X.T @ dL_dZ / len(X), dL_dZ.mean(axis=0), dL_dZ @ W.T),
            "You divided the weight and bias gradients by the batch size. The loss's own 1/N "
            "is already inside dL_dZ; dividing again counts it twice. The instances' "
            "contributions simply add up: X.T @ dL_dZ and dL_dZ.sum(axis=0).",
        ),
        Misconception(
            "bias gradient summed over axis 1",
            lambda dL_dZ, X, W: (X.T @ dL_dZ, dL_dZ.sum(axis=1), dL_dZ @ W.T),
            "Your bias gradient sums over axis 1, the neurons of each instance, giving one "
            "number per instance. A bias belongs to one neuron and serves every instance: sum "
            "over the batch, axis 0, to get shape (n_out,) like b.",
        ),
        Misconception(
            "bias gradient summed to one number",
            lambda dL_dZ, X, W: (X.T @ dL_dZ, dL_dZ.sum(), dL_dZ @ W.T),
            "Your bias gradient is one number: dL_dZ.sum() adds over every axis. Each neuron "
            "has its own bias, so sum over the batch only: dL_dZ.sum(axis=0), shape (n_out,).",
        ),
        Misconception(
            "(dL_dW, dL_dX, dL_db) order",
            lambda dL_dZ, X, W: (X.T @ dL_dZ, dL_dZ @ W.T, dL_dZ.sum(axis=0)),
            "Your three gradients are right but in the wrong order. Return "
            "(dL_dW, dL_db, dL_dX): weights, bias, then what is handed to the layer below.",
        ),
        Misconception(
            "(n, 1) column for (n,)",
            lambda dL_dZ, X, W: (X.T @ dL_dZ, dL_dZ.sum(axis=0).reshape(-1, 1), dL_dZ @ W.T),
            _COLUMN_BIAS,
        ),
        Misconception(
            "(1, n) for (n,)",
            lambda dL_dZ, X, W: (X.T @ dL_dZ, dL_dZ.sum(axis=0, keepdims=True), dL_dZ @ W.T),
            "Your bias gradient has shape (1, n_out), but b has shape (n_out,): a gradient "
            "always has the shape of its parameter. Sum without keepdims: dL_dZ.sum(axis=0).",
        ),
    ],
)


# --- the whole backward pass of a two-layer network -----------------------------------------


def _two_layer_cases(rng: np.random.Generator) -> list[Case]:
    def net(n: int, n_in: int, n_h: int, n_out: int, label: str) -> Case:
        W1 = rng.normal(size=(n_in, n_h)).round(2)
        b1 = rng.normal(size=n_h).round(2)
        W2 = rng.normal(size=(n_h, n_out)).round(2)
        b2 = rng.normal(size=n_out).round(2)
        X = rng.normal(size=(n, n_in)).round(2)
        y = rng.integers(0, 2, size=(n, n_out)).astype(float)
        Y, cache = layers.two_layer_forward(X, W1, b1, W2, b2)
        return Case(dL_dY=losses.mse_grad(y, Y), cache=cache, W2=W2, label=label)

    return [
        net(1, 1, 2, 1, "one instance through a 1-2-1 network: 1 input, 2 hidden neurons, "
            "1 output"),
        net(4, 2, 3, 1, "4 instances through a 2-3-1 network"),
        net(16, 3, 4, 2, "16 instances through a 3-4-2 network"),
    ]


def _backward_with(hidden_prime, output_prime, summed: bool = True, *, layer2_input="A1",
                   from_dY: bool = False, averaged: bool = False, column: bool = False):
    """A variant of the two-layer backward pass, for the misconceptions below."""
    def backward(dL_dY, cache, W2):
        X, Z1, A1, Z2 = cache
        d2 = dL_dY * output_prime(Z2)
        d1 = ((dL_dY if from_dY else d2) @ W2.T) * hidden_prime(Z1, A1)

        def total(d):
            if column:
                return d.sum(axis=0).reshape(-1, 1)
            return d.sum(axis=0) if summed else d

        A_in = Z1 if layer2_input == "Z1" else A1
        scale = 1.0 / len(X) if averaged else 1.0
        return (scale * (X.T @ d1), scale * total(d1), scale * (A_in.T @ d2),
                scale * total(d2))

    return backward


def _right_hidden(Z1, A1):
    return _sig_prime(Z1)


def _reordered(*order: int):
    def backward(dL_dY, cache, W2):
        grads = layers.two_layer_backward(dL_dY, cache, W2)
        return tuple(grads[i] for i in order)

    return backward


two_layer_backward = Exercise(
    reference=layers.two_layer_backward,
    solution='''\
def two_layer_backward(dL_dY, cache, W2):
    X, Z1, A1, Z2 = cache
    delta2 = dL_dY * sigmoid_prime(Z2)
    delta1 = (delta2 @ W2.T) * sigmoid_prime(Z1)
    return X.T @ delta1, delta1.sum(axis=0), A1.T @ delta2, delta2.sum(axis=0)
''',
    cases=_two_layer_cases,
    hints=[
        "Start at the output and walk down: first the output layer's error signal δ2, its "
        "gradients, and dL/dA1 for the layer below; then the same for layer 1.",
        "δ2 = dL_dY * sigmoid'(Z2); dW2 = A1.T @ δ2, db2 = δ2.sum(axis=0); "
        "dL/dA1 = δ2 @ W2.T; δ1 = dL/dA1 * sigmoid'(Z1); dW1 = X.T @ δ1, db1 = δ1.sum(axis=0). "
        "layer_backward from the previous exercise does three of these lines at once.",
        "X, Z1, A1, Z2 = cache; sp = bl.activations.sigmoid_prime; d2 = dL_dY * sp(Z2); "
        "d1 = (d2 @ W2.T) * sp(Z1); "
        "return X.T @ d1, d1.sum(axis=0), A1.T @ d2, d2.sum(axis=0)",
    ],
    misconceptions=[
        Misconception(
            "hidden sigmoid' forgotten",
            _backward_with(lambda Z1, A1: 1.0, _sig_prime),
            "Layer 1's gradients miss a factor: between dL/dA1 and δ1 the signal passes back "
            "through layer 1's sigmoid, so δ1 = (δ2 @ W2.T) * sigmoid'(Z1). The same chain "
            "rule step as at the output.",
        ),
        Misconception(
            "sigmoid' of A1",
            _backward_with(lambda Z1, A1: _sig_prime(A1), _sig_prime),
            "You evaluated sigmoid_prime at A1, the output of layer 1. The slope belongs at "
            "the sigmoid's input: sigmoid_prime(Z1), the same number as A1 * (1 - A1). This "
            "is why the cache keeps Z1.",
        ),
        Misconception(
            "bias gradients not summed",
            _backward_with(lambda Z1, A1: _sig_prime(Z1), _sig_prime, summed=False),
            m.BIAS_NOT_SUMMED,
        ),
        Misconception(
            "sigmoid' of Y and A1",
            _backward_with(lambda Z1, A1: _sig_prime(A1), lambda Z2: _sig_prime(_sig(Z2))),
            "You evaluated sigmoid_prime at the layers' outputs (Y and A1). The slope belongs "
            "at each sigmoid's input: sigmoid_prime(Z2) and sigmoid_prime(Z1), the same "
            "numbers as Y * (1 - Y) and A1 * (1 - A1). This is why the cache keeps Z1 and Z2.",
        ),
        Misconception(
            "Z1 where A1 belongs",
            _backward_with(_right_hidden, _sig_prime, layer2_input="Z1"),
            "Your dL/dW2 uses Z1. Layer 2's input is A1 = sigmoid(Z1), the output of layer 1, "
            "so dL/dW2 = A1.T @ δ2 (a weight's gradient is its input times the error signal "
            "of the neuron it feeds).",
        ),
        Misconception(
            "δ1 from dL/dY instead of δ2",
            _backward_with(_right_hidden, _sig_prime, from_dY=True),
            "Layer 1's error signal starts from dL_dY @ W2.T, but what layer 2 hands down is "
            "δ2 @ W2.T with δ2 = dL_dY * sigmoid'(Z2): the signal has already passed back "
            "through the output sigmoid before it reaches W2.",
        ),
        Misconception(
            "gradients averaged over the batch",
            _backward_with(_right_hidden, _sig_prime, averaged=True),
            "You divided the gradients by the batch size. The loss's 1/N is already inside "
            "dL_dY (mse_grad includes it); dividing again counts it twice. The instances' "
            "contributions simply add up: X.T @ δ1, δ1.sum(axis=0), and so on.",
        ),
        Misconception(
            "(n, 1) column biases for (n,)",
            _backward_with(_right_hidden, _sig_prime, column=True),
            "Your bias gradients are columns (n, 1). In this course a layer's biases have "
            "shape (n,), one per neuron (the b of Z = X @ W + b; lesson 03 says where other "
            "books differ), and a gradient has the shape of its parameter: δ1.sum(axis=0) "
            "and δ2.sum(axis=0), no reshape.",
        ),
        Misconception(
            "layer 2's gradients first",
            _reordered(2, 3, 0, 1),
            "Your gradients are right but in the wrong order. Return them layer 1 first: "
            "(dL_dW1, dL_db1, dL_dW2, dL_db2), even though the backward pass computes layer "
            "2's first.",
        ),
        Misconception(
            "weights first, then biases",
            _reordered(0, 2, 1, 3),
            "Your gradients are right but in the wrong order: return them layer by layer, "
            "(dL_dW1, dL_db1, dL_dW2, dL_db2), not all weights then all biases.",
        ),
        Misconception(
            "output sigmoid' forgotten",
            _backward_with(lambda Z1, A1: _sig_prime(Z1), lambda Z2: 1.0),
            "The output layer's error signal misses sigmoid'(Z2): δ2 = dL_dY * sigmoid'(Z2), "
            "because Y = sigmoid(Z2) sits between the loss and Z2.",
        ),
    ],
)


# --- a gradient check -----------------------------------------------------------------------




def _numeric(f, param, h: float, step) -> np.ndarray:
    out = np.zeros_like(param)
    for i in np.ndindex(param.shape):
        out[i] = step(f, param, i, h)
    return out


def _forward_step(f, p, i, h):
    plus = p.copy()
    plus[i] += h
    return (float(f(plus)) - float(f(p))) / h


def _run_h_step(f, p, i, h):
    plus, minus = p.copy(), p.copy()
    plus[i] += h
    minus[i] -= h
    return (float(f(plus)) - float(f(minus))) / h


def _left_nudged(f, param, dL_dparam, h=1e-6):
    """Nudges param itself (or one reused copy) and never undoes it."""
    numeric = np.zeros(param.shape)
    for i in np.ndindex(param.shape):
        param[i] += h
        f_plus = float(f(param))
        param[i] -= 2 * h
        numeric[i] = (f_plus - float(f(param))) / (2 * h)
    return relative_error(dL_dparam, numeric)


def _all_at_once(f, param, dL_dparam, h=1e-6):
    slope = (float(f(param + h)) - float(f(param - h))) / (2 * h)
    return relative_error(dL_dparam, np.full(param.shape, slope))


def _norm_error(f, param, dL_dparam, h=1e-6, floor=1e-8):
    numeric = _numeric(f, param, h, _run_h_step) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.linalg.norm(dL_dparam - numeric)
                     / max(floor, np.linalg.norm(dL_dparam) + np.linalg.norm(numeric)))


def _norm_error_no_floor(f, param, dL_dparam, h=1e-6):
    return _norm_error(f, param, dL_dparam, h, floor=0.0)


def _no_floor(f, param, dL_dparam, h=1e-6):
    numeric = _numeric(f, param, h, _run_h_step) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.max(np.abs(dL_dparam - numeric))
                     / np.max(np.abs(dL_dparam) + np.abs(numeric)))


def _gradcheck_cases(rng: np.random.Generator) -> list[Case]:
    sum_sq = labelled("L(W) = sum(W²)", lambda W: float(np.sum(W**2)))
    cubic = labelled("L(W) = sum(W³)", lambda W: float(np.sum(W**3)))
    W = np.array([[1.0, -2.0, 0.5]])
    X = rng.normal(size=(8, 3)).round(2)
    y = rng.integers(0, 2, size=(8, 1)).astype(float)
    W_layer = rng.normal(size=(3, 1)).round(2)
    b_layer = np.array([0.1])
    layer_loss = labelled(
        "L(W) = mse(y, sigmoid(X @ W + b)), a batch of 8",
        lambda W_: losses.mse(y, _sig(X @ W_ + b_layer)),
    )
    Y = _sig(X @ W_layer + b_layer)
    delta = layers.output_error(Y, y, X @ W_layer + b_layer)
    dW_right, _, _ = layers.layer_backward(delta, X, W_layer)
    dW_no_prime, _, _ = layers.layer_backward(2 * (Y - y) / Y.size, X, W_layer)
    X_off = np.zeros((4, 3))
    unreached = labelled(
        "L(W) = mse(y, sigmoid(X @ W + b)) with every input 0: W does not reach the loss",
        lambda W_: losses.mse(y[:4], _sig(X_off @ W_ + b_layer)),
    )
    return [
        Case(sum_sq, W, 2 * W, label="the right gradient 2W: a tiny relative error"),
        Case(sum_sq, W, W, label="a wrong gradient W (the 2 dropped): a large error"),
        Case(sum_sq, W, -2 * W, label="a gradient with the wrong sign, −2W: the error is 1"),
        Case(layer_loss, W_layer, dW_right, label="a sigmoid layer, backprop's gradient"),
        Case(layer_loss, W_layer, dW_no_prime, label="the same layer, sigmoid' forgotten"),
        Case(unreached, W_layer, np.zeros_like(W_layer),
             label="a zero gradient, right: both gradients are 0 (the floor 1e-8 keeps 0/0 away)"),
        Case(cubic, W, 3 * W**2, 0.1,
             label="h = 0.1 on a cubic: the right gradient 3W², yet an error near 4e-4, "
                   "from the step h itself (the central difference is off by h² here)"),
    ]


check_gradient = Exercise(
    reference=layers.check_gradient,
    solution='''\
def check_gradient(f, param, dL_dparam, h=1e-6):
    numeric = np.zeros(param.shape)
    for i in np.ndindex(param.shape):
        plus, minus = param.copy(), param.copy()
        plus[i] += h
        minus[i] -= h
        numeric[i] = (f(plus) - f(minus)) / (2 * h)
    biggest = np.max(np.abs(dL_dparam) + np.abs(numeric))
    return np.max(np.abs(dL_dparam - numeric)) / max(1e-8, biggest)
''',
    cases=_gradcheck_cases,
    compare=compare_errors,
    hints=[
        "Measure the gradient numerically, one entry at a time: nudge entry i of a copy of "
        "param up by h and down by h, and see how much f changes. Then compare with "
        "dL_dparam.",
        "numeric[i] = (f(param + h at i) − f(param − h at i)) / (2h): loop with "
        "`for i in np.ndindex(param.shape):` on copies (plus = param.copy(); plus[i] += h). "
        "Then the relative error max|a − b| / max(1e-8, max(|a| + |b|)), which is "
        "bl.gradcheck.relative_error(a, b).",
        "numeric = np.zeros_like(param); for i in np.ndindex(param.shape): plus, minus = "
        "param.copy(), param.copy(); plus[i] += h; minus[i] -= h; numeric[i] = (f(plus) - "
        "f(minus)) / (2 * h). Then return bl.gradcheck.relative_error(dL_dparam, numeric)",
    ],
    misconceptions=[
        Misconception(
            "forward difference",
            lambda f, param, dL_dparam, h=1e-6: relative_error(
                dL_dparam, _numeric(f, param, h, _forward_step)),
            "You used a one-sided difference (f(param + h) − f(param)) / h. Its error shrinks "
            "only like h, so even a right gradient shows a relative error near 1e-7 and you "
            "cannot tell a right gradient from a slightly wrong one. The central difference "
            "(f(+h) − f(−h)) / (2h) errs like h².",
        ),
        Misconception(
            "run of h instead of 2h",
            lambda f, param, dL_dparam, h=1e-6: relative_error(
                dL_dparam, _numeric(f, param, h, _run_h_step)),
            "Your numerical gradients are twice too large, so a right gradient shows a "
            "relative error of 1/3: param − h and param + h are 2h apart, so divide by 2h.",
        ),
        Misconception(
            "absolute error",
            lambda f, param, dL_dparam, h=1e-6: float(np.max(np.abs(
                dL_dparam - _numeric(f, param, h, _run_h_step) / 2))),
            "You returned the absolute error max|a − b|. Its size depends on the size of the "
            "gradient (1e-6 is tiny for a gradient of 1000, huge for one of 1e-6). Divide by "
            "max(|a| + |b|) to get a relative error that means the same at every scale.",
        ),
        Misconception(
            "nudges not undone",
            _left_nudged,
            "Your nudges do not leave param exactly as it was. Either an entry stays at "
            "old − h (in param itself, or in the one copy you reuse), or you took the nudges "
            "back by arithmetic (+h, −2h, +h): old + h − 2h + h can differ from old in the "
            "last digit, because every float operation rounds. Either way a later entry is "
            "measured at a shifted point and the caller's weights stay changed. Nudge a "
            "fresh copy for each entry (plus = param.copy()), or save old = param[i] first "
            "and assign it back, param[i] = old, before the next entry.",
        ),
        Misconception(
            "every entry nudged at once",
            _all_at_once,
            "param + h moves every entry at the same time, so your one 'slope' is the sum of "
            "all the partial derivatives, the same number for every entry. Nudge one entry "
            "at a time: for i in np.ndindex(param.shape), on a copy, plus[i] += h.",
        ),
        Misconception(
            "difference the wrong way round",
            lambda f, param, dL_dparam, h=1e-6: relative_error(
                dL_dparam, -_numeric(f, param, h, _run_h_step) / 2),
            "Your numerical gradient has the wrong sign, so even a right gradient shows a "
            "relative error of exactly 1: (f(param − h) − f(param + h)) / (2h) is minus the "
            "slope. Subtract in the order f(+h) − f(−h), as in rise over run.",
        ),
        Misconception(
            "/ 2 * h",
            lambda f, param, dL_dparam, h=1e-6: relative_error(
                dL_dparam, _numeric(f, param, h, _run_h_step) / 2 * h * h),
            "Your numerical gradient is about h² times too small (1e-12 times here), so "
            "every check reports an error near 1, right gradient or not: Python reads "
            "`(f_plus - f_minus) / 2 * h` as `((f_plus - f_minus) / 2) * h`, multiplying by "
            "h instead of dividing. Put the run in parentheses: `/ (2 * h)`.",
        ),
        Misconception(
            "no floor",
            _no_floor,
            "Your error is NaN when both gradients are 0 (0 / 0): a parameter that does not "
            "reach the loss has a zero gradient, and the check must call that agreement, not "
            "fail it. Keep the denominator away from 0 with the floor: "
            "max(1e-8, max(|a| + |b|)).",
        ),
        Misconception(
            "norm-based relative error",
            _norm_error,
            "You measured the error with norms, ‖a − b‖ / (‖a‖ + ‖b‖), the form of "
            "deeplearning.ai's gradient-checking exercise (CS231n's rel_error divides entry "
            "by entry instead). That is a sound measure too, but this exercise asks for the "
            "lesson's one, "
            "max|a − b| / max(|a| + |b|) with a floor of 1e-8, which is "
            "bl.gradcheck.relative_error(a, b).",
        ),
        Misconception(
            "norm-based relative error",
            _norm_error_no_floor,
            "You measured the error with norms, ‖a − b‖ / (‖a‖ + ‖b‖), the form of "
            "deeplearning.ai's gradient-checking exercise (CS231n's rel_error divides entry "
            "by entry instead). That is a sound measure too, but this exercise asks for the "
            "lesson's one, "
            "max|a − b| / max(|a| + |b|) with a floor of 1e-8, which is "
            "bl.gradcheck.relative_error(a, b).",
        ),
    ],
    in_place={"param": "nudges not undone"},  # nudging param and restoring it is fine
)
