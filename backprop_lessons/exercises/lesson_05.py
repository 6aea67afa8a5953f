"""Exercises of lesson 05, "The backward pass": the output layer's error signal, one dense
layer's backward, the whole backward pass of a two-layer network, and a gradient check
that proves it."""

from __future__ import annotations

import numpy as np

from backprop_lessons import activations, layers, losses
from backprop_lessons.gradcheck import relative_error

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
    ]


output_error = Exercise(
    id="output_error",
    lesson=LESSON,
    reference=layers.output_error,
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
            "derivative carries the factor 1/N: dL/dY = (2/N)·(Y − y).",
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
    id="layer_backward",
    lesson=LESSON,
    reference=layers.layer_backward,
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
        net(1, 1, 2, 1, "one instance through a 1-2-1 network (the course network's shape)"),
        net(4, 2, 3, 1, "4 instances through a 2-3-1 network"),
        net(16, 3, 4, 2, "16 instances through a 3-4-2 network"),
    ]


def _backward_with(hidden_prime, output_prime, summed: bool = True):
    def backward(dL_dY, cache, W2):
        X, Z1, A1, Z2 = cache
        d2 = dL_dY * output_prime(Z2)
        d1 = (d2 @ W2.T) * hidden_prime(Z1, A1)
        total = (lambda d: d.sum(axis=0)) if summed else (lambda d: d)
        return X.T @ d1, total(d1), A1.T @ d2, total(d2)

    return backward


two_layer_backward = Exercise(
    id="two_layer_backward",
    lesson=LESSON,
    reference=layers.two_layer_backward,
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


def _gradcheck_cases(rng: np.random.Generator) -> list[Case]:
    sum_sq = labelled("L(W) = sum(W²)", lambda W: float(np.sum(W**2)))
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
    return [
        Case(sum_sq, W, 2 * W, label="the right gradient 2W: a tiny relative error"),
        Case(sum_sq, W, W, label="a wrong gradient W (the 2 dropped): a large error"),
        Case(layer_loss, W_layer, dW_right, label="a sigmoid layer, backprop's gradient"),
        Case(layer_loss, W_layer, dW_no_prime, label="the same layer, sigmoid' forgotten"),
    ]


check_gradient = Exercise(
    id="check_gradient",
    lesson=LESSON,
    reference=layers.check_gradient,
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
    ],
)
