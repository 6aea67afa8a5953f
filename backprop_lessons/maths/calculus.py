"""Slopes: the derivative as the slope of a tangent, measured numerically.

    f'(x) ~ (f(x + h) - f(x - h)) / (2 h)        (central difference, error O(h^2))
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .validate import as_float, require_positive

__all__ = ["numerical_derivative", "tangent_line", "slope_sign"]


def numerical_derivative(f: Callable[[float], float], x: float, h: float = 1e-5) -> float:
    """Central-difference slope of ``f`` at ``x``: ``(f(x + h) - f(x - h)) / (2 h)``.

    With float64 and h around 1e-5 the error is about 1e-10 for smooth f.
    """
    if not callable(f):
        raise TypeError(f"f must be a function of one number, got {type(f).__name__}")
    x_f = as_float(x, "x")
    h_f = require_positive(h, "h")
    return (float(f(x_f + h_f)) - float(f(x_f - h_f))) / (2.0 * h_f)


def tangent_line(f: Callable[[float], float], x0: float, h: float = 1e-5):
    """The tangent of ``f`` at ``x0`` as ``(slope, intercept)``: ``t(x) = slope * x + intercept``.

    The slope is :func:`numerical_derivative` at ``x0``; the line passes through
    ``(x0, f(x0))``, so ``intercept = f(x0) - slope * x0``.
    """
    x0_f = as_float(x0, "x0")
    slope = numerical_derivative(f, x0_f, h)
    intercept = float(f(x0_f)) - slope * x0_f
    return slope, intercept


def slope_sign(slope: float, tol: float = 0.0) -> int:
    """The sign of a slope: +1 (uphill to the right), -1 (downhill), 0 (flat, |slope| <= tol)."""
    s = as_float(slope, "slope")
    if not np.isfinite(s):
        raise ValueError(f"slope must be finite, got {s}")
    if abs(s) <= tol:
        return 0
    return 1 if s > 0 else -1
