"""The gradient-descent update of one weight or one bias.

    W_new = W_old - eta * dL/dW_old
    b_new = b_old - eta * dL/db_old

A negative slope dL/dW_old makes W grow (W_new > W_old), a positive slope makes it
shrink, a zero slope leaves it unchanged; the learning rate eta sets the step size.
"""

from __future__ import annotations

import numpy as np

from .validate import as_float_array, require_finite, require_positive

__all__ = ["weight_update", "bias_update", "step_direction"]


def _checked(old, grad, eta, old_name: str, grad_name: str):
    """Validated float64 copies of (old, grad) and eta as a float; errors name the argument."""
    eta_f = require_positive(eta, "eta")
    old_a = as_float_array(old, old_name)
    grad_a = as_float_array(grad, grad_name)
    if old_a.shape != grad_a.shape:
        raise ValueError(
            f"{grad_name} must have the same shape as {old_name}: "
            f"{old_name} has shape {old_a.shape}, {grad_name} has shape {grad_a.shape}"
        )
    require_finite(old_a, old_name)
    require_finite(grad_a, grad_name)
    return old_a, grad_a, eta_f


def _number_or_array(a: np.ndarray):
    return float(a) if a.ndim == 0 else a


def weight_update(W_old, dL_dW, eta):
    """One gradient-descent step for a weight: ``W_new = W_old - eta * dL_dW``.

    Works for a scalar or an array of any shape (``dL_dW`` must have the shape of
    ``W_old``). Returns a float for scalar input, a new float64 array otherwise;
    the inputs are never modified.

    Raises ValueError for a non-positive or non-finite ``eta``, mismatched shapes
    or NaN/infinity in the inputs.
    """
    W_old, dL_dW, eta = _checked(W_old, dL_dW, eta, "W_old", "dL_dW")
    W_new = W_old - eta * dL_dW
    return _number_or_array(W_new)


def bias_update(b_old, dL_db, eta):
    """One gradient-descent step for a bias: ``b_new = b_old - eta * dL_db``.

    The same rule as :func:`weight_update`; a bias is a weight whose input is 1.
    """
    b_old, dL_db, eta = _checked(b_old, dL_db, eta, "b_old", "dL_db")
    b_new = b_old - eta * dL_db
    return _number_or_array(b_new)


def step_direction(dL_dW) -> int:
    """Which way gradient descent moves W: +1 (grows), -1 (shrinks) or 0 (stays).

    From the sign of the slope dL/dW alone: a negative slope makes W grow (+1), a
    positive slope makes it shrink (-1), a zero slope leaves it (0). This is
    ``-sign(dL/dW)``: the step always goes downhill.
    """
    from .validate import as_float

    slope = as_float(dL_dW, "dL_dW")
    if not np.isfinite(slope):
        raise ValueError(f"dL_dW must be finite, got {slope}")
    return int(-np.sign(slope))
