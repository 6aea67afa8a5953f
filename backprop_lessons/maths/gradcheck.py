"""Gradient checking: compare backpropagation with finite differences.

    numeric dL/dtheta_i ~ (L(theta_i + h) - L(theta_i - h)) / (2 h)
    relative error     = max |a - b| / max(1e-8, max(|a| + |b|))

In float64 with h ~ 1e-6 a correct backward gives a relative error around 1e-9 or
smaller; above 1e-5 something is usually wrong; around 1 it is certainly wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .losses import get_loss
from .validate import as_float_array, require_positive

__all__ = ["central_difference_at", "numerical_gradient", "relative_error", "GradcheckReport",
           "gradcheck"]


def central_difference_at(f: Callable[[np.ndarray], float], param: np.ndarray, index,
                          h: float) -> float:
    """(f(param with param[index] + h) - f(param with param[index] - h)) / (2 h).

    The one entry ``param[index]`` is nudged in place and always restored (even if ``f``
    raises), so ``param`` is unchanged afterwards. No input checks: callers check.
    """
    old = param[index].copy()
    try:
        param[index] = old + h
        f_plus = float(f(param))
        param[index] = old - h
        f_minus = float(f(param))
    finally:
        param[index] = old
    return (f_plus - f_minus) / (2.0 * h)


def numerical_gradient(f: Callable[[], float], param: np.ndarray, h: float = 1e-6
                       ) -> np.ndarray:
    """Central-difference gradient of the scalar ``f()`` with respect to every entry of
    ``param``, which ``f`` reads; each entry is nudged in place and restored."""
    if not callable(f):
        raise TypeError(f"f must be a function of no arguments returning the loss, "
                        f"got {type(f).__name__}")
    if not isinstance(param, np.ndarray) or param.dtype != np.float64:
        raise TypeError("param must be a float64 numpy array that f reads (it is nudged in "
                        f"place), got {type(param).__name__}"
                        + (f" of dtype {param.dtype}" if isinstance(param, np.ndarray) else ""))
    h = require_positive(h, "h")
    grad = np.zeros_like(param)
    for i in np.ndindex(param.shape):
        grad[i] = central_difference_at(lambda _p: f(), param, i, h)
    return grad


def relative_error(a, b) -> float:
    """max|a - b| / max(1e-8, max(|a| + |b|)): 0 for equal arrays, about 1 for unrelated."""
    a_a = as_float_array(a, "a")
    b_a = as_float_array(b, "b")
    if a_a.shape != b_a.shape:
        raise ValueError(f"a and b must have the same shape, got {a_a.shape} and {b_a.shape}")
    if a_a.size == 0:
        return 0.0
    return float(np.max(np.abs(a_a - b_a)) / max(1e-8, float(np.max(np.abs(a_a) + np.abs(b_a)))))


@dataclass(frozen=True)
class GradcheckReport:
    """Relative error per parameter; ``passed`` when every one is <= ``tol``."""

    errors: dict
    tol: float

    @property
    def passed(self) -> bool:
        return all(err <= self.tol for err in self.errors.values())

    @property
    def worst(self) -> tuple[str, float]:
        name = max(self.errors, key=self.errors.get)
        return name, self.errors[name]

    def __repr__(self) -> str:
        lines = [f"gradcheck {'passed' if self.passed else 'FAILED'} (tolerance {self.tol:.0e})"]
        for name, err in self.errors.items():
            mark = "ok" if err <= self.tol else "TOO LARGE"
            lines.append(f"  {name:>4}: relative error {err:.1e}  {mark}")
        return "\n".join(lines)


def gradcheck(network, X, y, loss: str = "mse", h: float = 1e-6, tol: float = 1e-7
              ) -> GradcheckReport:
    """Check ``network.backward`` against finite differences on the batch (X, y)."""
    loss_fn, loss_grad = get_loss(loss)
    y_a = as_float_array(y, "y")
    if y_a.ndim == 1:
        y_a = y_a.reshape(-1, 1)
    Y, cache = network.forward(X)
    grads = network.backward(cache, loss_grad(y_a, Y))
    errors = {}
    for name, param in network.params.items():
        numeric = numerical_gradient(lambda: loss_fn(y_a, network.predict(X)), param, h)
        errors[name] = relative_error(grads[name], numeric)
    return GradcheckReport(errors=errors, tol=tol)
