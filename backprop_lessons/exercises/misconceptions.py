"""Known wrong answers, in plain words.

An exercise declares its own misconceptions (``Misconception(name, fn, message)``); the
messages below are shared so that every lesson names a mistake the same way. Three
mistakes are recognised for any exercise without a declaration (see :data:`GENERIC`): an
answer with the opposite sign, a transposed array, and a flat ``(n,)`` vector returned
where an ``(n, 1)`` column was expected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from .compare import is_number

__all__ = [
    "SIGN_FLIPPED",
    "FORGOT_LEARNING_RATE",
    "DROPPED_FACTOR_2",
    "USED_W_NEW",
    "MISSING_CHAIN_PATH",
    "TRANSPOSED_GRADIENT",
    "BIAS_NOT_SUMMED",
    "FLAT_VECTOR",
    "OPPOSITE_SIGN",
    "TRANSPOSED_ARRAY",
    "GenericMistake",
    "GENERIC",
]

SIGN_FLIPPED = (
    "You added the step instead of subtracting it: that is gradient ascent, it climbs the "
    "loss. W_new = W_old − η·∂L/∂W_old."
)
FORGOT_LEARNING_RATE = (
    "You forgot the learning rate: the step is η·∂L/∂W_old, not ∂L/∂W_old. Without η the "
    "step has the size of the slope itself and can jump far past the minimum."
)
DROPPED_FACTOR_2 = (
    "The factor 2 of the squared error is missing: d/dy (y − t)² = 2·(y − t). Keep the 2 "
    "(or halve the loss, L = ½(y − t)², if that is the convention in use)."
)
USED_W_NEW = (
    "You used W_new where W_old belongs: every gradient of one step is computed with the "
    "weights as they were during the forward pass (W_old); update them only afterwards."
)
MISSING_CHAIN_PATH = (
    "One path of the chain rule is missing: when a quantity reaches the loss along several "
    "paths, ∂L/∂x is the sum of the contributions of every path."
)
TRANSPOSED_GRADIENT = (
    "Your gradient is transposed: ∂L/∂W must have the shape of W (one entry per weight). "
    "Check the order of the factors, e.g. δ · xᵀ rather than x · δᵀ."
)
BIAS_NOT_SUMMED = (
    "The bias gradient is not summed over the batch: one bias serves every example, so "
    "∂L/∂b adds up the contributions of all examples (sum over the batch axis)."
)
FLAT_VECTOR = (
    "You returned a flat vector of shape (n,) where a column of shape (n, 1) was expected. "
    "The numbers are right; keep the column shape (reshape(-1, 1), or avoid ravel/flatten)."
)
OPPOSITE_SIGN = (
    "Your answer has the right size but the opposite sign on every case: a minus sign is "
    "missing, or there is one too many. Follow the signs through your formula term by term."
)
TRANSPOSED_ARRAY = (
    "Your array holds the right numbers but transposed (rows and columns swapped): check "
    "the order of a matrix product or a stray .T."
)


class GenericMistake(NamedTuple):
    """A mistake recognised for every exercise: ``transform(expected)`` is the wrong answer."""

    name: str
    transform: Callable[[Any], Any]
    message: str


def _negate(value: Any) -> Any:
    if is_number(value) or (isinstance(value, np.ndarray) and value.dtype.kind in "iuf"):
        return -np.asarray(value, dtype=np.float64) if isinstance(value, np.ndarray) else -value
    raise TypeError("only numbers and arrays have a sign")


def _transpose(value: Any) -> Any:
    if is_number(value):
        return value
    if isinstance(value, np.ndarray) and value.dtype.kind in "iuf":
        return value.T
    raise TypeError("only arrays transpose")


def _flatten_column(value: Any) -> Any:
    if is_number(value):
        return value
    if isinstance(value, np.ndarray) and value.ndim == 2 and value.shape[1] == 1:
        return value.reshape(-1)
    if isinstance(value, np.ndarray):
        return value
    raise TypeError("only arrays flatten")


GENERIC: tuple[GenericMistake, ...] = (
    GenericMistake("sign flipped", _negate, OPPOSITE_SIGN),
    GenericMistake("transposed", _transpose, TRANSPOSED_ARRAY),
    GenericMistake("(n,) for (n, 1)", _flatten_column, FLAT_VECTOR),
)
