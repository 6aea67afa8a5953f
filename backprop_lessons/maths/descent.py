"""Gradient descent on one weight: the step, a run of steps, and the lessons' 1-D loss.

    step   = -eta * dL/dW_old
    W_new  =  W_old + step  =  W_old - eta * dL/dW_old

The loss of lessons 00 and 01 is one parabola in one weight W,

    L(W) = 0.5 (W - 2)^2 + 0.3,      dL/dW = W - 2,

lowest at W = 2 (where L = 0.3). On it one step gives W_new - 2 = (1 - eta) (W_old - 2):
the distance to the minimum shrinks for 0 < eta < 2, flips side each step for eta > 1
(oscillation) and grows for eta > 2 (divergence).

Why a step lowers the loss, to first order: the tangent says a move dW changes L by about
dL/dW * dW, and the step's move is dW = -eta * dL/dW, so

    dL ~ -eta * (dL/dW)^2  <= 0                                (predicted_loss_change)

whatever the sign of the slope. The curve bends away from its tangent, by
0.5 * d2L/dW2 * dW^2, so to second order

    dL ~ -eta (dL/dW)^2 + 0.5 eta^2 (dL/dW)^2 d2L/dW2          (second_order_loss_change)

exact on the bowl (d2L/dW2 = 1 everywhere): dL = -eta (dL/dW)^2 (1 - eta / 2), a fall for
eta < 2 and a rise for eta > 2, where the step overshoots the bottom so far that it lands
higher than it started.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable

import numpy as np

from .calculus import numerical_derivative
from .updates import weight_update
from .validate import as_float, as_float_array, describe, require_finite, require_positive

__all__ = [
    "W_STAR", "L_MIN", "loss_1d", "dloss_1d", "descent_step", "gradient_descent_1d",
    "descent_path", "predicted_loss_change", "second_order_loss_change",
]

W_STAR = 2.0
"""Where ``loss_1d`` is lowest."""
L_MIN = 0.3
"""The lowest value of ``loss_1d``, ``L(W_STAR)``."""


def loss_1d(W: float) -> float:
    """The one-weight loss of the slope lessons: ``L(W) = 0.5 (W - 2)^2 + 0.3``.

    Works on numbers and on numpy arrays (element by element).
    """
    return 0.5 * (W - W_STAR) ** 2 + L_MIN


def dloss_1d(W: float) -> float:
    """The exact slope of :func:`loss_1d`: ``dL/dW = W - 2`` (negative left of the
    minimum at W = 2, positive right of it, zero at it)."""
    return W - W_STAR


def descent_step(dL_dW: float | np.ndarray, eta: float) -> float | np.ndarray:
    """The step gradient descent adds to a weight, from the slope dL_dW and the rate eta.

    ``step = -eta * dL_dW``, so that ``W_new = W_old + step``. The step points against
    the slope (downhill) and its size is the learning rate times the steepness.
    ``dL_dW`` may be a number or an array; a number gives a float, an array a new
    float64 array. Raises ValueError for a non-positive ``eta`` or a non-finite slope.
    """
    eta_f = require_positive(eta, "eta")
    slope = as_float_array(dL_dW, "dL_dW")
    require_finite(slope, "dL_dW")
    step = -eta_f * slope
    return float(step) if step.ndim == 0 else step


def gradient_descent_1d(
    dL_dW: Callable[[float], float], W_old: float, eta: float, steps: int,
    *, stop_beyond: float | None = None,
) -> list[float]:
    """Run ``steps`` steps of gradient descent from ``W_old``; return every W visited.

    Each step is ``W_new = W_old - eta * dL_dW(W_old)``, and ``W_new`` becomes the
    ``W_old`` of the next step. Returns every weight visited,
    ``[W_0, W_1, ..., W_steps]`` (``steps + 1`` floats, ``W_0 = W_old``), so that the
    path can be inspected and plotted; the last item is where the run ends.

    Raises TypeError if ``dL_dW`` is not a function or returns something other than a
    number, or if ``steps`` is not an int; ValueError for a negative ``steps``, a
    non-positive ``eta``, and when the run diverges (a slope or a weight that is no longer
    a finite number: ``eta`` is far too large). With ``stop_beyond`` a run whose W leaves
    [-stop_beyond, stop_beyond] stops there instead (the last W is the first one outside),
    so that a diverging run can be drawn.
    """
    if not callable(dL_dW):
        raise TypeError(
            f"dL_dW must be a function of W that returns the slope, got {describe(dL_dW)}"
        )
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral):
        raise TypeError(f"steps must be a whole number (int), got {describe(steps)}")
    if steps < 0:
        raise ValueError(f"steps must be 0 or more, got {int(steps)}")
    eta_f = require_positive(eta, "eta")
    W = as_float(W_old, "W_old")
    if not np.isfinite(W):
        raise ValueError(f"W_old must be finite, got {W}")
    path = [W]
    for k in range(int(steps)):
        slope = as_float(dL_dW(W), "dL_dW(W)")
        W_new = float("nan")
        if np.isfinite(slope):
            with np.errstate(over="ignore"):
                W_new = weight_update(W, slope, eta_f)
        if not np.isfinite(W_new):
            raise ValueError(
                f"gradient descent diverged at step {k + 1}: dL_dW(W) = {slope} at "
                f"W = {W}, so W_new is no longer a finite number; try an eta smaller "
                f"than {eta_f}"
            )
        path.append(W_new)
        W = W_new
        if stop_beyond is not None and abs(W) > stop_beyond:
            break
    return path


def descent_path(
    W0: float, eta: float, steps: int, f: Callable[[float], float] = loss_1d
) -> list[float]:
    """``[W0, W1, ..., W_steps]`` of gradient descent on ``f`` with the slope measured by
    central differences (:func:`calculus.numerical_derivative`), as the figures and explorers
    draw it: :func:`gradient_descent_1d` that stops once |W| > 1e6 (divergence)."""
    return gradient_descent_1d(lambda W: numerical_derivative(f, W), W0, eta, steps,
                               stop_beyond=1e6)


def predicted_loss_change(dL_dW, eta: float) -> float:
    """The first-order change of the loss over one gradient-descent step:
    ``dL ~ -eta * (dL/dW)^2``, never positive.

    The tangent at W_old says a small move dW changes L by about ``dL/dW * dW``; the step
    moves ``dW = -eta * dL/dW``, so the product is ``-eta * (dL/dW)^2``: a negative slope
    and a positive one both give a fall. For several weights (``dL_dW`` an array) each
    weight's change adds, ``-eta * sum((dL/dW_i)^2)``. Accurate for a small step; a large
    one leaves the tangent behind (:func:`second_order_loss_change`).

    Raises ValueError for a non-positive ``eta`` or a non-finite slope.
    """
    eta_f = require_positive(eta, "eta")
    slope = as_float_array(dL_dW, "dL_dW")
    require_finite(slope, "dL_dW")
    return float(-eta_f * np.sum(slope * slope))


def second_order_loss_change(dL_dW: float, eta: float, d2L_dW2: float) -> float:
    """The change of a one-weight loss over one gradient-descent step, to second order::

        dL ~ -eta (dL/dW)^2 + 0.5 eta^2 (dL/dW)^2 d2L/dW2
           = -eta (dL/dW)^2 (1 - eta d2L/dW2 / 2)

    The first term is :func:`predicted_loss_change`; the second is how far the curve
    bends above its tangent over the move ``-eta dL/dW``. Exact on a parabola (on
    ``loss_1d``, d2L/dW2 = 1). With a positive curvature the step lowers the loss for
    ``eta < 2 / d2L/dW2`` and raises it beyond. Raises ValueError for a non-positive
    ``eta`` or a non-finite slope or curvature.
    """
    eta_f = require_positive(eta, "eta")
    slope = as_float(dL_dW, "dL_dW")
    curvature = as_float(d2L_dW2, "d2L_dW2")
    for value, name in ((slope, "dL_dW"), (curvature, "d2L_dW2")):
        if not np.isfinite(value):
            raise ValueError(f"{name} must be a finite number, got {value}")
    return -eta_f * slope * slope + 0.5 * eta_f * eta_f * slope * slope * curvature
