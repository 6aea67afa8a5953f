"""Layers of neurons over a mini-batch, written out step by step for lessons 04 and 05.

The symbols are the lessons': a mini-batch ``X`` holds one instance per row,
shape (batch, n_in); a layer's weights ``W`` have shape (n_in, n_out) (column j holds
the weights into neuron j), its biases ``b`` shape (n_out,).

Forward, one layer::

    Z = X @ W + b          (batch, n_out)   every neuron, every instance, in one product
    A = act(Z)             (batch, n_out)   the layer's output, the next layer's input

Backward, one layer, from its error signal dL/dZ (written δ, shape (batch, n_out))::

    dL/dW = X.T @ δ        (n_in, n_out)    summed over the instances of the batch
    dL/db = δ summed over the batch axis    (n_out,)
    dL/dX = δ @ W.T        (batch, n_in)    handed to the layer below

Output layer with L = mean((Y - y)^2) over the N = Y.size entries and Y = sigmoid(Z)::

    δ_out = dL/dY * sigmoid'(Z) = (2 / N) (Y - y) * sigmoid'(Z)

:func:`two_layer_forward` and :func:`two_layer_backward` chain these for a network
with one hidden layer (sigmoid everywhere); :func:`check_gradient` measures how far a
gradient is from central differences. :class:`backprop_lessons.maths.network.Network` does the
same for any number of layers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .activations import sigmoid, sigmoid_prime
from .gradcheck import central_difference_at, relative_error
from .validate import as_float_array, describe, require_finite, require_positive

__all__ = [
    "layer_forward",
    "layer_shapes",
    "two_layer_forward",
    "output_error",
    "layer_backward",
    "two_layer_backward",
    "check_gradient",
]


def _matrix(value: object, name: str, what: str) -> np.ndarray:
    arr = as_float_array(value, name)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be a 2-d array {what}, got shape {arr.shape}")
    require_finite(arr, name)
    return arr


def _layer_inputs(X: object, W: object, b: object, suffix: str = ""):
    """Validated (X, W, b) of one layer; errors name the argument and the shapes."""
    W_a = _matrix(W, "W" + suffix, "(n_in, n_out)")
    n_in, n_out = W_a.shape
    X_a = _matrix(X, "X", "(batch, n_in): one row per instance")
    if X_a.shape[1] != n_in:
        raise ValueError(
            f"X must have {n_in} columns (one per input of W{suffix}, which has shape "
            f"{W_a.shape}), got shape {X_a.shape}"
        )
    b_a = as_float_array(b, "b" + suffix)
    if b_a.shape != (n_out,):
        raise ValueError(
            f"b{suffix} must have shape ({n_out},) (one bias per neuron of W{suffix}), "
            f"got shape {b_a.shape}"
        )
    require_finite(b_a, "b" + suffix)
    return X_a, W_a, b_a


def layer_forward(X, W, b, act: Callable) -> np.ndarray:
    """The output of a dense layer for a batch: A = act(X @ W + b).

    ``X`` (batch, n_in) holds one instance per row, ``W`` (n_in, n_out), ``b`` (n_out,);
    ``act`` is the activation applied entry by entry (e.g. ``activations.sigmoid``).
    Row i of the result is the output of every neuron of the layer for instance i,
    shape (batch, n_out). ``b`` is added to every row (broadcasting).
    """
    if not callable(act):
        raise TypeError(f"act must be an activation function such as sigmoid, got {describe(act)}")
    X_a, W_a, b_a = _layer_inputs(X, W, b)
    return np.asarray(act(X_a @ W_a + b_a), dtype=np.float64)


def layer_shapes(layer_sizes: Sequence[int], batch_size: int) -> list[tuple[int, int]]:
    """The shape of the array leaving each layer for one mini-batch, input layer first.

    ``layer_sizes`` = [n_0, n_1, ..., n_L] (n_0 inputs, n_L outputs) gives
    ``[(batch_size, n_0), (batch_size, n_1), ..., (batch_size, n_L)]``: the batch size
    never changes along the way, only the number of columns (one per neuron).
    """
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
            or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {describe(batch_size)}")
    if isinstance(layer_sizes, (str, bytes)) or not isinstance(layer_sizes, Sequence):
        raise TypeError(
            f"layer_sizes must be a list of layer sizes such as [3, 4, 1], "
            f"got {describe(layer_sizes)}"
        )
    sizes = list(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(
            f"layer_sizes must list at least an input and an output size, got {sizes}"
        )
    for n in sizes:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(
                f"layer_sizes must hold positive integers, got {describe(n)} in {sizes}"
            )
    return [(int(batch_size), int(n)) for n in sizes]


def two_layer_forward(X, W1, b1, W2, b2):
    """Forward pass of a two-layer network; returns (Y, cache) with cache = (X, Z1, A1, Z2).

    ::

        Z1 = X @ W1 + b1,   A1 = sigmoid(Z1)     (batch, n_hidden)
        Z2 = A1 @ W2 + b2,  Y  = sigmoid(Z2)     (batch, n_out)

    The cache keeps every intermediate the backward pass needs: X for dL/dW1, Z1 for
    sigmoid'(Z1), A1 (the input of layer 2) for dL/dW2, Z2 for sigmoid'(Z2).
    """
    X_a, W1_a, b1_a = _layer_inputs(X, W1, b1, "1")
    W2_a = _matrix(W2, "W2", "(n_hidden, n_out)")
    if W2_a.shape[0] != W1_a.shape[1]:
        raise ValueError(
            f"W2 must have {W1_a.shape[1]} rows (one per neuron of layer 1, W1 has shape "
            f"{W1_a.shape}), got shape {W2_a.shape}"
        )
    Z1 = X_a @ W1_a + b1_a
    A1 = np.asarray(sigmoid(Z1))
    _, W2_a, b2_a = _layer_inputs(A1, W2_a, b2, "2")
    Z2 = A1 @ W2_a + b2_a
    Y = np.asarray(sigmoid(Z2))
    return Y, (X_a, Z1, A1, Z2)


def output_error(Y, y, Z_out) -> np.ndarray:
    """The output layer's error signal for the MSE loss: (2/N)(Y - y) * sigmoid'(Z_out).

    ::

        L     = (1/N) sum (Y - y)^2          over the N = Y.size entries of the batch
        dL/dY = (2/N) (Y - y)
        δ_out = dL/dZ_out = dL/dY * sigmoid'(Z_out)     (entry by entry)

    ``Y`` = sigmoid(Z_out) is the network's output, ``y`` the targets, both of the
    shape of ``Z_out`` (batch, n_out).
    """
    Y_a = _matrix(Y, "Y", "(batch, n_out)")
    y_a = as_float_array(y, "y")
    Z_a = as_float_array(Z_out, "Z_out")
    for name, arr in (("y", y_a), ("Z_out", Z_a)):
        if arr.shape != Y_a.shape:
            raise ValueError(f"{name} must have the shape of Y {Y_a.shape}, got {arr.shape}")
        require_finite(arr, name)
    N = Y_a.size
    dL_dY = 2.0 * (Y_a - y_a) / N
    return dL_dY * np.asarray(sigmoid_prime(Z_a))


def layer_backward(dL_dZ, X, W):
    """Gradients of a dense layer from its error signal: (dL_dW, dL_db, dL_dX).

    ::

        dL/dW = X.T @ dL/dZ            (n_in, n_out): sum over the batch of x_i^T δ_i
        dL/db = sum of dL/dZ over the batch axis (axis 0)        (n_out,)
        dL/dX = dL/dZ @ W.T            (batch, n_in): for the layer below

    ``dL_dZ`` (batch, n_out) is δ = dL/dZ, ``X`` (batch, n_in) the layer's input from the
    forward pass, ``W`` (n_in, n_out) its weights.
    """
    W_a = _matrix(W, "W", "(n_in, n_out)")
    X_a = _matrix(X, "X", "(batch, n_in): the layer's input from the forward pass")
    d_a = _matrix(dL_dZ, "dL_dZ", "(batch, n_out)")
    if X_a.shape[1] != W_a.shape[0]:
        raise ValueError(
            f"X must have {W_a.shape[0]} columns to match W of shape {W_a.shape}, "
            f"got shape {X_a.shape}"
        )
    expected = (X_a.shape[0], W_a.shape[1])
    if d_a.shape != expected:
        raise ValueError(
            f"dL_dZ must have shape {expected} (batch of X, outputs of W), got {d_a.shape}"
        )
    return X_a.T @ d_a, d_a.sum(axis=0), d_a @ W_a.T


def two_layer_backward(dL_dY, cache, W2):
    """Backward pass of the two-layer network: (dL_dW1, dL_db1, dL_dW2, dL_db2).

    From the cache (X, Z1, A1, Z2) of :func:`two_layer_forward`, output to input::

        δ2    = dL/dY * sigmoid'(Z2)                     (batch, n_out)
        dL/dW2 = A1.T @ δ2,   dL/db2 = sum of δ2 over the batch
        dL/dA1 = δ2 @ W2.T                               (batch, n_hidden)
        δ1    = dL/dA1 * sigmoid'(Z1)
        dL/dW1 = X.T @ δ1,    dL/db1 = sum of δ1 over the batch
    """
    if not isinstance(cache, (tuple, list)) or len(cache) != 4:
        raise ValueError(
            f"cache must be the tuple (X, Z1, A1, Z2) returned by two_layer_forward, "
            f"got {describe(cache)}"
        )
    X, Z1, A1, Z2 = (as_float_array(c, n) for c, n in zip(cache, ("X", "Z1", "A1", "Z2"),
                                                          strict=True))
    dY = as_float_array(dL_dY, "dL_dY")
    if dY.shape != Z2.shape:
        raise ValueError(f"dL_dY must have the shape of the output {Z2.shape}, got {dY.shape}")
    if Z1.shape != A1.shape:
        raise ValueError(f"cache: Z1 {Z1.shape} and A1 {A1.shape} must have the same shape")
    delta2 = dY * np.asarray(sigmoid_prime(Z2))
    dL_dW2, dL_db2, dL_dA1 = layer_backward(delta2, A1, W2)
    delta1 = dL_dA1 * np.asarray(sigmoid_prime(Z1))
    dL_dW1, dL_db1 = X.T @ delta1, delta1.sum(axis=0)
    return dL_dW1, dL_db1, dL_dW2, dL_db2


def check_gradient(f: Callable, param, dL_dparam, h: float = 1e-6) -> float:
    """Relative error between a gradient and central differences of f (small means right).

    ``f(p)`` returns the loss for the parameter array ``p`` (every other input held
    fixed); ``dL_dparam`` is the gradient to check, of the shape of ``param``::

        numeric[i] = (f(param + h e_i) - f(param - h e_i)) / (2 h)      for every entry i
        error      = max |dL_dparam - numeric| / max(1e-8, max(|dL_dparam| + |numeric|))

    Whether an error is small enough is the course's one rule,
    :func:`backprop_lessons.maths.gradcheck.gradients_agree` (at most 1e-7 times the
    gradients' scale plus the finite-difference noise of about 10 eps |L| / h); a wrong
    gradient is typically off by 1e-3 to 1. ``param`` is never modified (each nudge works
    on a copy).
    """
    if not callable(f):
        raise TypeError(f"f must be a function of the parameter array, got {describe(f)}")
    p = as_float_array(param, "param")
    g = as_float_array(dL_dparam, "dL_dparam")
    if g.shape != p.shape:
        raise ValueError(
            f"dL_dparam must have the shape of param {p.shape}, got {g.shape}"
        )
    h_f = require_positive(h, "h")
    numeric = np.zeros_like(p)
    p = p.copy()  # nudged one entry at a time (and restored), never the caller's array
    for i in np.ndindex(p.shape):
        numeric[i] = central_difference_at(f, p, i, h_f)
    return relative_error(g, numeric)
