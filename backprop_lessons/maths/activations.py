"""Activation functions, each with its derivative beside it.

    sigmoid(z) = 1 / (1 + e^-z)          sigmoid'(z) = sigmoid(z) (1 - sigmoid(z))
    tanh(z)                              tanh'(z)    = 1 - tanh(z)^2
    relu(z)    = max(0, z)               relu'(z)    = 1 if z > 0 else 0
    identity(z) = z                      identity'(z) = 1

Every function takes a number or an array and returns float64 of the same shape
(a Python float for a scalar input).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .validate import as_float_array

__all__ = [
    "sigmoid", "sigmoid_prime", "sigmoid_scalar", "tanh", "tanh_prime", "relu", "relu_prime",
    "identity", "identity_prime", "ACTIVATIONS", "get_activation",
]


def _out(a: np.ndarray):
    return float(a) if a.ndim == 0 else a


def sigmoid(z):
    """sigmoid(z) = 1 / (1 + exp(-z)), computed without overflow for any z.

    For z >= 0 it uses 1 / (1 + e^-z); for z < 0 the equal form e^z / (1 + e^z),
    so no exponential of a large positive number is ever taken.
    """
    z = as_float_array(z, "z")
    e = np.exp(-np.abs(z))  # e^-|z| <= 1: never overflows
    return _out(np.where(z >= 0, 1.0, e) / (1.0 + e))


def sigmoid_scalar(z: float) -> float:
    """sigmoid(z) of one Python float, with math.exp (the scalar engines' form, fast and
    exact to the same rounding): 1 / (1 + e^-z) for z >= 0, e^z / (1 + e^z) otherwise,
    so e^(...) never overflows. No input checks: callers pass a float."""
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def sigmoid_prime(z):
    """sigmoid'(z) = sigmoid(z) * (1 - sigmoid(z)); largest (0.25) at z = 0."""
    s = np.asarray(sigmoid(z))
    return _out(s * (1.0 - s))


def tanh(z):
    """tanh(z) = (e^z - e^-z) / (e^z + e^-z), in (-1, 1)."""
    return _out(np.tanh(as_float_array(z, "z")))


def tanh_prime(z):
    """tanh'(z) = 1 - tanh(z)^2."""
    t = np.tanh(as_float_array(z, "z"))
    return _out(1.0 - t * t)


def relu(z):
    """relu(z) = max(0, z)."""
    return _out(np.maximum(as_float_array(z, "z"), 0.0))


def relu_prime(z):
    """relu'(z) = 1 for z > 0, else 0 (the value 0 is taken at the kink z = 0)."""
    return _out((as_float_array(z, "z") > 0).astype(np.float64))


def identity(z):
    """identity(z) = z (a linear output unit)."""
    return _out(as_float_array(z, "z").copy())


def identity_prime(z):
    """identity'(z) = 1."""
    return _out(np.ones_like(as_float_array(z, "z")))


ACTIVATIONS: dict[str, tuple[Callable, Callable]] = {
    "sigmoid": (sigmoid, sigmoid_prime),
    "tanh": (tanh, tanh_prime),
    "relu": (relu, relu_prime),
    "identity": (identity, identity_prime),
}


def get_activation(name: str) -> tuple[Callable, Callable]:
    """The pair (activation, derivative) for a name in ACTIVATIONS."""
    if name not in ACTIVATIONS:
        raise ValueError(
            f"activation must be one of {sorted(ACTIVATIONS)}, got {name!r}"
        )
    return ACTIVATIONS[name]
