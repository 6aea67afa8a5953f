"""The gradient-descent update of one weight or one bias.

    W_new = W_old - eta * dL/dW_old
    b_new = b_old - eta * dL/db_old

A negative slope dL/dW_old makes W grow (W_new > W_old), a positive slope makes it
shrink, a zero slope leaves it unchanged; the learning rate eta sets the step size.

The course's bias convention (a batch as NumPy code and PyTorch lay it out): a mini-batch
X holds one example per row, a layer computes Z = X @ W + b with W of shape (n_in, n_out), and its
biases are a vector b of shape (n_out,), one per neuron, added to every row. One neuron's
bias is a single number. Books that put one example in a column (Nielsen, CS229) write
z = W x + b with W of shape (n_out, n_in) and b a column (n_out, 1); the same numbers,
transposed: their W is our W.T, their b is our b.reshape(-1, 1), and b.ravel() turns
their column back into our vector. :func:`bias_update` names that difference when it
is handed a column.
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


def _bias_shape(b: np.ndarray, name: str) -> None:
    """A bias is a number (one neuron) or a vector of shape (n,) (a layer): anything else
    gets a message that names the course's convention."""
    if b.ndim <= 1:
        return
    if b.ndim == 2 and 1 in b.shape:
        n = max(b.shape)
        kind = "a column" if b.shape[1] == 1 else "a row"
        raise ValueError(
            f"{name} must be one number or a vector of shape (n,), one bias per neuron, got "
            f"{kind} of shape {b.shape}. In this course a layer computes Z = X @ W + b with "
            f"one example per row of X, so its biases have shape (n_out,) and are added to "
            f"every row; the column (n_out, 1) is the layout of books that write W x + b "
            f"with one example per column (Nielsen, CS229). The numbers are the same: "
            f"{name}.ravel() (here shape ({n},)) is this course's layout."
        )
    raise ValueError(
        f"{name} must be one number or a vector of shape (n,), one bias per neuron, got "
        f"an array of shape {b.shape}: a layer of n_out neurons has n_out biases, shared by "
        f"every example of the batch (the b of Z = X @ W + b)."
    )


def bias_update(b_old, dL_db, eta):
    """One gradient-descent step for a bias: ``b_new = b_old - eta * dL_db``.

    The same rule as :func:`weight_update`; a bias is a weight whose input is 1.
    ``b_old`` is one number (one neuron) or a vector of shape (n,), one bias per neuron
    of a layer (the ``b`` of ``Z = X @ W + b``); ``dL_db`` has the same shape. A column
    (n, 1) or a row (1, n), the layouts of other books, raises a ValueError that says so
    and how to convert (``.ravel()``); so does a ``dL_db`` whose shape differs from
    ``b_old``'s. Returns a float for a number, a new float64 vector otherwise.
    """
    eta_f = require_positive(eta, "eta")
    b_a = as_float_array(b_old, "b_old")
    g_a = as_float_array(dL_db, "dL_db")
    _bias_shape(b_a, "b_old")
    if g_a.shape != b_a.shape:
        if b_a.ndim == 1 and g_a.ndim == 2 and g_a.size == b_a.size:
            how = ("a sum over the batch with keepdims=True, or a column-vector book's "
                   "(n, 1)? Sum without keepdims (delta.sum(axis=0)) or use dL_db.ravel()")
        elif b_a.ndim == 1 and g_a.ndim == 2 and g_a.shape[1] == b_a.size:
            how = ("one row per example: the error signal itself, not yet summed over the "
                   "batch. The bias gradient is delta.sum(axis=0)")
        elif b_a.ndim == 0:
            how = ("one bias has one gradient, a number: the examples' contributions "
                   "combined into one, as the loss combines them (a mean or a sum)")
        else:
            how = "one entry of dL_db per bias"
        raise ValueError(
            f"dL_db must have the same shape as b_old: b_old has shape {b_a.shape}, dL_db "
            f"has shape {g_a.shape} ({how})."
        )
    require_finite(b_a, "b_old")
    require_finite(g_a, "dL_db")
    return _number_or_array(b_a - eta_f * g_a)


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
