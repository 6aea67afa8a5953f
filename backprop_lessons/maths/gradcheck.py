"""Gradient checking: compare backpropagation with finite differences.

    numeric dL/dtheta_i ~ (L(theta_i + h) - L(theta_i - h)) / (2 h)
    relative error     = max |a - b| / max(1e-8, max(|a| + |b|))

**The course's one rule for "this gradient is right"** (used by :func:`gradcheck`, and
stated in lessons 05, 08 and 09): the backward gradient a and the central difference b of
a parameter agree when

    max|a - b| <= TOLERANCE * max(|a| + |b|) + NOISE_FACTOR * eps * |L| / h

with TOLERANCE = 1e-7, NOISE_FACTOR = 10, eps = 2.2e-16 (float64) and L the loss. The
second term is the finite-difference noise: L(theta +- h) are each rounded by about
eps*|L|, and their difference is divided by 2h, so the central difference carries an
error of about eps*|L|/h whatever the gradient (measured: at most 0.7 eps*|L|/h on the
course's networks). For gradients of ordinary size it is negligible and the rule is the
relative error below 1e-7 (a correct backward pass measures 1e-8 or less; a wrong one
1e-3 to 1). For tiny gradients (a saturated network, such as lesson 09's runs at the 0.125
plateau, whose gradients are about 1e-6) the noise is the whole difference, and the rule
does not call a correct backward pass wrong. :func:`agreement_limit` gives the largest
relative error the rule allows.

The digits of a correct gradient's relative error are rounding noise: another CPU (another
OpenBLAS kernel, other SIMD loops for exp) rounds a few results the other way and prints
1.2e-09 where this one printed 7.9e-10, or 5.7e-11 for 7.3e-12. So what is printed of such
a number is what stays true on every machine: its power of ten (:func:`magnitude`), where
that is stable, or an honest bound (:func:`bound`); a report shows a passing error as
"at most" its tolerance and the digits only of a failing one, which are signal.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .losses import get_loss
from .validate import as_float, as_float_array, require_positive

__all__ = ["central_difference_at", "numerical_gradient", "relative_error", "TOLERANCE",
           "NOISE_FACTOR", "finite_difference_noise", "agreement_limit", "gradients_agree",
           "magnitude", "bound", "GradcheckReport", "gradcheck"]

TOLERANCE = 1e-7
"""The relative error a right gradient of ordinary size stays below (h = 1e-6, float64)."""

NOISE_FACTOR = 10.0
"""Safety factor on the finite-difference noise eps*|L|/h (measured up to 0.7)."""


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


def finite_difference_noise(loss_value, h: float = 1e-6) -> float:
    """NOISE_FACTOR * eps * |L| / h: how far a central difference of the loss L with step h
    can be off from rounding alone (eps = float64's 2.2e-16)."""
    loss_f = as_float(loss_value, "loss_value")
    if not np.isfinite(loss_f):
        raise ValueError(f"loss_value must be a finite number (the loss L), got {loss_f}")
    h = require_positive(h, "h")
    return NOISE_FACTOR * float(np.finfo(np.float64).eps) * abs(loss_f) / h


def agreement_limit(a, b, loss_value, h: float = 1e-6, tol: float = TOLERANCE) -> float:
    """The largest relative_error(a, b) the course's rule accepts for gradients a and b
    of a loss L = ``loss_value`` differenced with step ``h``:

        (tol * max(|a| + |b|) + finite_difference_noise(L, h)) / max(1e-8, max(|a| + |b|))

    About ``tol`` for gradients of ordinary size, more for tiny ones."""
    a_a = as_float_array(a, "a")
    b_a = as_float_array(b, "b")
    if a_a.shape != b_a.shape:
        raise ValueError(f"a and b must have the same shape, got {a_a.shape} and {b_a.shape}")
    tol = require_positive(tol, "tol")
    scale = float(np.max(np.abs(a_a) + np.abs(b_a))) if a_a.size else 0.0
    return (tol * scale + finite_difference_noise(loss_value, h)) / max(1e-8, scale)


def gradients_agree(a, b, loss_value, h: float = 1e-6, tol: float = TOLERANCE) -> bool:
    """The course's rule: max|a - b| <= tol * max(|a| + |b|) + finite-difference noise,
    i.e. relative_error(a, b) <= agreement_limit(a, b, loss_value, h, tol)."""
    return relative_error(a, b) <= agreement_limit(a, b, loss_value, h, tol)


def _non_negative(x, name: str) -> float:
    x_f = as_float(x, name)
    if not (np.isfinite(x_f) and x_f >= 0.0):
        raise ValueError(f"{name} must be a finite number >= 0 (an error, a ratio), got {x_f}")
    return x_f


def magnitude(x) -> str:
    """The power of ten nearest to ``x`` (log10 rounded to the nearest integer), as text.

    For a number whose digits are rounding noise but whose size is not: 1.2e-09 and
    7.9e-10 (a correct gradient's relative error on two CPUs) both give "1e-09". The
    result changes only where log10(x) crosses k + 1/2 (x = 3.16e-10, 3.16e-09, ...), so
    use it for a number whose spread stays clear of those. ``magnitude(0)`` is "0".
    """
    x_f = _non_negative(x, "x")
    if x_f == 0.0:
        return "0"
    return f"1e{math.floor(math.log10(x_f) + 0.5):+03d}"


def _limit_text(limit: float) -> str:
    return f"{limit:g}"


def bound(x, *, below=None, above=None) -> str:
    """An honest bound on ``x`` as text: "below 1e-08", "above 0.1", "between 1e-05 and
    0.01".

    For a number whose digits (even its power of ten) are noise that differs between
    CPUs: choose limits far from every value it takes, and the text is the same on every
    machine. If ``x`` breaks a limit, the text says so, with its value: "2.3e-08, not
    below 1e-08", so that a stale claim shows instead of hiding.
    """
    x_f = _non_negative(x, "x")
    if below is None and above is None:
        raise ValueError("bound needs a limit: below=..., above=... or both, got neither")
    hi = None if below is None else require_positive(below, "below")
    lo = None if above is None else require_positive(above, "above")
    if hi is not None and lo is not None and not lo < hi:
        raise ValueError(f"above must be smaller than below, got above={lo:g}, below={hi:g}")
    if lo is None:
        claim, holds = f"below {_limit_text(hi)}", x_f < hi
    elif hi is None:
        claim, holds = f"above {_limit_text(lo)}", x_f > lo
    else:
        claim = f"between {_limit_text(lo)} and {_limit_text(hi)}"
        holds = lo < x_f < hi
    return claim if holds else f"{x_f:.1e}, not {claim}"


@dataclass(frozen=True)
class GradcheckReport:
    """Relative error per parameter; ``passed`` when every one is within its limit: ``tol``,
    or, where given, ``limits[name]`` (:func:`agreement_limit`: tol plus the
    finite-difference noise, which matters only for tiny gradients).

    Printed, a passing parameter shows "at most <tol>" (or "within the finite-difference
    noise" when only the noise term lets it pass): its digits are rounding noise that
    differs from one CPU to the next. A failing one shows its error to two digits.
    """

    errors: dict
    tol: float
    limits: dict | None = None

    def limit(self, name: str) -> float:
        """The largest error parameter ``name`` may have and pass."""
        if self.limits is None or name not in self.limits:
            return self.tol
        return max(self.tol, self.limits[name])

    def ok(self, name: str) -> bool:
        return self.errors[name] <= self.limit(name)

    @property
    def passed(self) -> bool:
        return all(self.ok(name) for name in self.errors)

    @property
    def worst(self) -> tuple[str, float]:
        name = max(self.errors, key=self.errors.get)
        return name, self.errors[name]

    def __repr__(self) -> str:
        lines = [f"gradcheck {'passed' if self.passed else 'FAILED'} (tolerance {self.tol:.0e})"]
        for name, err in self.errors.items():
            if err <= self.tol:
                lines.append(f"  {name:>4}: relative error at most {self.tol:.0e}  ok")
            elif self.ok(name):
                lines.append(f"  {name:>4}: a tiny gradient, within the finite-difference "
                             "noise  ok")
            else:
                lines.append(f"  {name:>4}: relative error {err:.1e}  TOO LARGE")
        return "\n".join(lines)


def gradcheck(network, X, y, loss: str = "mse", h: float = 1e-6, tol: float = TOLERANCE
              ) -> GradcheckReport:
    """Check ``network.backward`` against finite differences on the batch (X, y), by the
    course's rule (:func:`gradients_agree`: relative error within ``tol`` plus the
    finite-difference noise of the loss)."""
    loss_fn, loss_grad = get_loss(loss)
    y_a = as_float_array(y, "y")
    if y_a.ndim == 1:
        y_a = y_a.reshape(-1, 1)
    Y, cache = network.forward(X)
    grads = network.backward(cache, loss_grad(y_a, Y))
    loss_value = float(loss_fn(y_a, Y))
    errors, limits = {}, {}
    for name, param in network.params.items():
        numeric = numerical_gradient(lambda: loss_fn(y_a, network.predict(X)), param, h)
        errors[name] = relative_error(grads[name], numeric)
        limits[name] = agreement_limit(grads[name], numeric, loss_value, h, tol)
    return GradcheckReport(errors=errors, tol=tol, limits=limits)
