"""Input checks shared by the core maths: each error names the argument, what was
expected and what came, so that a learner knows what to fix."""

from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "as_float", "as_float_array", "require_finite", "require_positive", "require_positive_int",
    "describe", "kind", "is_real_number",
]


def _array_words(value: np.ndarray) -> str:
    if isinstance(value, np.ma.MaskedArray):
        return f"a masked array of shape {value.shape}"
    return f"an array of shape {value.shape} and dtype {value.dtype}"


def kind(value: object) -> str:
    """What sort of value ``value`` is, without its contents: 'None', 'a number', 'an array
    of shape (2, 3) and dtype float64', 'a list of 3 items', 'a str'. For messages about an
    answer, whose contents are shown apart; :func:`describe` also shows the value."""
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        if value.ndim == 0 and value.dtype.kind in "iuf" \
                and not isinstance(value, np.ma.MaskedArray):
            return "a number"
        return _array_words(value)
    if is_real_number(value):
        return "a number"
    if isinstance(value, (list, tuple)):
        n = len(value)
        return f"a {type(value).__name__} of {n} item{'' if n == 1 else 's'}"
    return f"a {type(value).__name__}"


def describe(value: object) -> str:
    """A short, deterministic description of ``value`` for error messages: its
    :func:`kind` for an array, the value itself for a number or anything else."""
    if isinstance(value, np.ndarray):
        return _array_words(value)
    if isinstance(value, (bool, np.bool_)):
        return f"the bool {value!r}"
    if isinstance(value, numbers.Number):
        return f"the number {float(value)!r}" if not isinstance(value, complex) else repr(value)
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def as_float_array(value: object, name: str) -> np.ndarray:
    """``value`` as a float64 array, or a TypeError naming ``name``."""
    if isinstance(value, (bool, np.bool_)) or value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a number or an array of numbers, got {describe(value)}")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{name} must be a number or an array of numbers, got {describe(value)}"
        ) from exc
    return arr


def as_float(value: object, name: str) -> float:
    """``value`` as a Python float (numbers, numpy scalars and 0-d arrays accepted)."""
    arr = as_float_array(value, name)
    if arr.ndim != 0:
        raise TypeError(f"{name} must be a single number, got {describe(np.asarray(value))}")
    return float(arr)


def require_finite(arr: np.ndarray, name: str) -> None:
    """Raise a ValueError naming ``name`` if ``arr`` holds NaN or infinity."""
    if not np.all(np.isfinite(arr)):
        bad = arr[~np.isfinite(arr)] if arr.ndim else arr
        first = float(np.ravel(bad)[0])
        raise ValueError(f"{name} must be finite, got a value of {first} (NaN or infinity)")


def require_positive(value: object, name: str) -> float:
    """A finite, strictly positive float, or a ValueError naming ``name``."""
    x = as_float(value, name)
    if not np.isfinite(x):
        raise ValueError(f"{name} must be a finite positive number, got {x}")
    if x <= 0:
        raise ValueError(f"{name} must be a positive number, got {x}")
    return x


def is_real_number(value: object) -> bool:
    """True for a real number (int, float, numpy scalar), False for a bool or anything else."""
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def require_positive_int(value: object, name: str) -> int:
    """A whole number >= 1 (int or numpy integer, not a bool), or a ValueError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {describe(value)}")
    return int(value)
