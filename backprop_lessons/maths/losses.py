"""Losses and their derivatives with respect to the prediction y_hat.

    squared error          L = (y - y_hat)^2                dL/dy_hat = -2 (y - y_hat)
    mean squared error     L = mean((y - y_hat)^2)          dL/dy_hat = -2 (y - y_hat) / N
    binary cross-entropy   L = -mean(y log p + (1-y) log(1-p))
                                                           dL/dp = (p - y) / (p (1 - p)) / N

N is the number of entries (batch size times outputs). The cross-entropy clips p to
[eps, 1 - eps] so that it stays finite at p = 0 and p = 1.

The classifier's loss of lesson 10, softmax with cross-entropy on the logits Z (N, K), is
in :mod:`.softmax` and registered here as "softmax_ce": L = -(1/N) sum Y log softmax(Z),
dL/dZ = (softmax(Z) - Y) / N, with Y one-hot and N the number of instances.
"""

from __future__ import annotations

import numpy as np

from .softmax import softmax_cross_entropy, softmax_cross_entropy_grad
from .validate import as_float_array, require_finite

__all__ = [
    "squared_error", "squared_error_grad", "mse", "mse_grad",
    "binary_cross_entropy", "binary_cross_entropy_grad", "LOSSES", "get_loss",
]

EPS = 1e-12


def _pair(y, y_hat):
    y_a = as_float_array(y, "y")
    y_hat_a = as_float_array(y_hat, "y_hat")
    if y_a.shape != y_hat_a.shape:
        raise ValueError(
            f"y and y_hat must have the same shape, got y {y_a.shape} and y_hat {y_hat_a.shape}"
        )
    require_finite(y_a, "y")
    require_finite(y_hat_a, "y_hat")
    return y_a, y_hat_a


def _out(a):
    a = np.asarray(a)
    return float(a) if a.ndim == 0 else a


def squared_error(y, y_hat):
    """L = (y - y_hat)^2, entry by entry."""
    y_a, y_hat_a = _pair(y, y_hat)
    return _out((y_a - y_hat_a) ** 2)


def squared_error_grad(y, y_hat):
    """dL/dy_hat = -2 (y - y_hat): the chain rule's outer 2 times the inner -1."""
    y_a, y_hat_a = _pair(y, y_hat)
    return _out(-2.0 * (y_a - y_hat_a))


def mse(y, y_hat) -> float:
    """L = (1/N) sum (y - y_hat)^2 over every entry of the batch."""
    y_a, y_hat_a = _pair(y, y_hat)
    return float(np.mean((y_a - y_hat_a) ** 2))


def mse_grad(y, y_hat):
    """dL/dy_hat = -2 (y - y_hat) / N, with N = y.size."""
    y_a, y_hat_a = _pair(y, y_hat)
    return _out(-2.0 * (y_a - y_hat_a) / max(y_a.size, 1))


def _probabilities(y, p):
    y_a, p_a = _pair(y, p)
    if np.any((p_a < 0) | (p_a > 1)):
        raise ValueError("y_hat must hold probabilities in [0, 1] for binary cross-entropy, "
                         f"got values from {p_a.min()} to {p_a.max()}")
    return y_a, np.clip(p_a, EPS, 1.0 - EPS)


def binary_cross_entropy(y, y_hat) -> float:
    """L = -(1/N) sum [y log(y_hat) + (1 - y) log(1 - y_hat)], y_hat clipped to [eps, 1-eps]."""
    y_a, p = _probabilities(y, y_hat)
    return float(-np.mean(y_a * np.log(p) + (1.0 - y_a) * np.log1p(-p)))


def binary_cross_entropy_grad(y, y_hat):
    """dL/dy_hat = (y_hat - y) / (y_hat (1 - y_hat)) / N (y_hat clipped as in the loss)."""
    y_a, p = _probabilities(y, y_hat)
    return _out((p - y_a) / (p * (1.0 - p)) / max(y_a.size, 1))


LOSSES = {
    "mse": (mse, mse_grad),
    "bce": (binary_cross_entropy, binary_cross_entropy_grad),
    "softmax_ce": (softmax_cross_entropy, softmax_cross_entropy_grad),
}


def get_loss(name: str):
    """The pair (loss, gradient) for "mse", "bce" or "softmax_ce" (softmax with
    cross-entropy on the logits, one-hot targets)."""
    if name not in LOSSES:
        raise ValueError(f"loss must be one of {sorted(LOSSES)}, got {name!r}")
    return LOSSES[name]
