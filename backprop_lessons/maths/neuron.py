"""One sigmoid neuron: its prediction, its loss, its two gradients, a training step, a fit.

::

    z     = w*x + b                 y_hat = sigmoid(z)
    L     = (y - y_hat)^2           (the mean over the examples when x, y are arrays)

By the chain rule, with the error signal delta = dL/dz::

    delta = dL/dy_hat * dy_hat/dz = -2 (y - y_hat) * y_hat (1 - y_hat)
    dL/dw = delta * dz/dw = delta * x
    dL/db = delta * dz/db = delta * 1          (the bias gradient is the error signal itself)

and one step of gradient descent moves both with the gradients of the *old* values::

    w_new = w_old - eta * dL/dw_old,          b_new = b_old - eta * dL/db_old

Over N examples the loss is the mean of the N squared errors, so each gradient is the
mean of the N per-example gradients. One example is the case N = 1.

The delta convention of this lesson (03): delta_n is *per example*, the error signal of
example n's own loss L_n = (y_n - y_hat_n)^2 (:func:`error_signals`), and the gradients
of the mean loss are means, dL/dw = mean(delta_n x_n), dL/db = mean(delta_n). Lesson 05
folds the 1/N into delta instead (delta = dL/dZ of the whole batch loss, which is
delta_n / N) and then sums over the batch: the same numbers.

This is the output neuron O31 of the course network seen alone: with x = O21 and the
rest of z31 (W5*O22 + b4) playing the role of b, ``gradients(W4, ...)[0]`` is dL/dW4.
The loss curve of a fit is drawn by :func:`backprop_lessons.viz.plots.loss_curve`.
"""

from __future__ import annotations

import numbers

import numpy as np

from .activations import sigmoid
from .validate import as_float, as_float_array, describe, require_finite, require_positive

__all__ = [
    "predict",
    "loss",
    "error_signals",
    "gradients",
    "train_step",
    "fit",
    "toy_data",
]


def _param(value: object, name: str) -> float:
    f = as_float(value, name)
    require_finite(np.asarray(f), name)
    return f


def _data(x: object, y: object | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    x_a = as_float_array(x, "x")
    if x_a.size == 0:
        raise ValueError("x must hold at least one example, got an empty array")
    require_finite(x_a, "x")
    if y is None:
        return x_a, None
    y_a = as_float_array(y, "y")
    if y_a.shape != x_a.shape:
        raise ValueError(
            f"y must have the shape of x (one target per example): x has shape {x_a.shape}, "
            f"y has shape {y_a.shape}"
        )
    require_finite(y_a, "y")
    return x_a, y_a


def predict(w: float, b: float, x):
    """y_hat = sigmoid(w*x + b), for one input or an array of inputs."""
    w_f, b_f = _param(w, "w"), _param(b, "b")
    x_a, _ = _data(x)
    return sigmoid(w_f * x_a + b_f)


def loss(w: float, b: float, x, y) -> float:
    """L = mean over the examples of (y - y_hat)^2, with y_hat = sigmoid(w*x + b)."""
    w_f, b_f = _param(w, "w"), _param(b, "b")
    x_a, y_a = _data(x, y)
    y_hat = np.asarray(sigmoid(w_f * x_a + b_f))
    return float(np.mean((y_a - y_hat) ** 2))


def error_signals(w: float, b: float, x, y):
    """The per-example error signals delta_n = dL_n/dz_n, with L_n = (y_n - y_hat_n)^2
    example n's own loss and z_n = w*x_n + b::

        delta_n = -2 (y_n - y_hat_n) * y_hat_n (1 - y_hat_n)

    Lesson 03's convention: no 1/N inside (the gradients of the mean loss are the means
    of delta_n x_n and delta_n, see :func:`gradients`). A float for one example, a
    float64 array of x's shape for several.
    """
    w_f, b_f = _param(w, "w"), _param(b, "b")
    x_a, y_a = _data(x, y)
    y_hat = np.asarray(sigmoid(w_f * x_a + b_f))
    delta = -2.0 * (y_a - y_hat) * y_hat * (1.0 - y_hat)
    return float(delta) if delta.ndim == 0 else delta


def gradients(w: float, b: float, x, y) -> tuple[float, float]:
    """The neuron's two gradients (dL/dw, dL/db) for L = (y - sigmoid(w*x + b))^2.

    ::

        delta = -2 (y - y_hat) * y_hat (1 - y_hat)      (dL/dz: loss slope times sigmoid')
        dL/dw = delta * x                               (dz/dw = x)
        dL/db = delta                                   (dz/db = 1)

    For arrays x, y (N examples) L is the mean squared error and each gradient is the
    mean of the per-example gradients, delta_n from :func:`error_signals`. Returns two
    floats.
    """
    x_a, _ = _data(x, y)
    delta = np.asarray(error_signals(w, b, x, y))
    return float(np.mean(delta * x_a)), float(np.mean(delta))


def train_step(w: float, b: float, x, y, eta: float) -> tuple[float, float]:
    """One gradient-descent step of the neuron: returns (w_new, b_new).

    Both gradients are computed first, at the old values (w_old, b_old), then both
    parameters move::

        w_new = w_old - eta * dL/dw_old,    b_new = b_old - eta * dL/db_old
    """
    eta_f = require_positive(eta, "eta")
    dL_dw, dL_db = gradients(w, b, x, y)
    return _param(w, "w") - eta_f * dL_dw, _param(b, "b") - eta_f * dL_db


def _epochs(value: object) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"epochs must be a whole number of steps, got {describe(value)}")
    if int(value) < 1:
        raise ValueError(f"epochs must be at least 1, got {int(value)}")
    return int(value)


def fit(w: float, b: float, x, y, eta: float, epochs: int) -> tuple[float, float, np.ndarray]:
    """Train the neuron for ``epochs`` steps: returns (w, b, losses).

    Each epoch measures the loss at the current (w, b), records it, then takes one
    :func:`train_step` on all the examples. ``losses[k]`` is the loss at the start of
    epoch k (so ``losses[0]`` is the loss before any training); it is a float64 array
    of length ``epochs``.
    """
    n = _epochs(epochs)
    require_positive(eta, "eta")
    w_f, b_f = _param(w, "w"), _param(b, "b")
    _data(x, y)
    losses = np.empty(n)
    for k in range(n):
        losses[k] = loss(w_f, b_f, x, y)
        w_f, b_f = train_step(w_f, b_f, x, y, eta)
    return w_f, b_f, losses


def toy_data(
    n: int = 20, w: float = 2.0, b: float = -1.0, noise: float = 0.05, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` examples for one neuron: x evenly spaced in [-3, 3], y = sigmoid(w*x + b) plus
    Gaussian noise of standard deviation ``noise`` (seeded), so (w, b) is the answer."""
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"n must be a whole number of examples >= 1, got {describe(n)}")
    w_f, b_f = _param(w, "w"), _param(b, "b")
    noise_f = _param(noise, "noise")
    if noise_f < 0:
        raise ValueError(f"noise must be >= 0 (a standard deviation), got {noise_f}")
    rng = np.random.default_rng(seed)
    x = np.linspace(-3.0, 3.0, int(n))
    y = np.asarray(sigmoid(w_f * x + b_f)) + rng.normal(0.0, noise_f, size=int(n))
    return x, y
