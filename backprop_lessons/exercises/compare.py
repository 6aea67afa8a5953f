"""Comparing a learner's answer with the expected one, and showing values readably.

Numbers are compared as float64 with ``|got - expected| <= ATOL + RTOL * |expected|``
(``RTOL = 1e-9``, ``ATOL = 1e-12``): an expected 0.0 accepts 1e-12, an expected 1e6
accepts an error of about 1e-3. Python floats and ints, numpy scalars and 0-d arrays all
count as numbers. Arrays are never compared with a bare ``==``.
"""

from __future__ import annotations

import numbers
import re
from typing import Any

import numpy as np

__all__ = ["RTOL", "ATOL", "compare", "compare_errors", "is_number", "fmt_value", "same_value",
           "strip_addresses"]

RTOL = 1e-9
ATOL = 1e-12

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def strip_addresses(text: str) -> str:
    """``text`` without memory addresses (``<function f at 0x7f...>`` -> ``<function f>``)."""
    return _ADDRESS.sub("", text)


def is_number(value: object) -> bool:
    """True for a real number: int, float, numpy scalar or 0-d numeric array (not a bool)."""
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, np.ndarray):
        return value.ndim == 0 and value.dtype.kind in "iuf"
    return isinstance(value, numbers.Real)


def _fmt_float(x: float) -> str:
    text = repr(float(x))
    if len(text) > 14:
        text = f"{float(x):.12g}"
    return text


def fmt_value(value: object) -> str:
    """A short, deterministic rendering: no ``np.float64(...)``, no memory addresses."""
    if isinstance(value, (bool, np.bool_)):
        return repr(bool(value))
    if is_number(value):
        if isinstance(value, (numbers.Integral, np.integer)) or (
            isinstance(value, np.ndarray) and value.dtype.kind in "iu"
        ):
            return repr(int(value))
        return _fmt_float(float(value))
    if isinstance(value, np.ndarray):
        body = np.array2string(value, precision=6, separator=", ", threshold=60)
        return f"{body}  (shape {value.shape}, dtype {value.dtype})"
    if callable(value):
        label = getattr(value, "label", None) or getattr(value, "__name__", None)
        if not label or label == "<lambda>":
            return "a function"
        return str(label)
    if isinstance(value, (tuple, list)):
        inner = ", ".join(fmt_value(v) for v in value)
        if isinstance(value, tuple):
            return f"({inner}{',' if len(value) == 1 else ''})"
        return f"[{inner}]"
    text = strip_addresses(repr(value))
    return text if len(text) <= 200 else text[:197] + "..."


def describe_type(value: object) -> str:
    """What ``value`` is, in words: 'a number', 'an array of shape (2, 3) and dtype float64'..."""
    if value is None:
        return "None"
    if is_number(value):
        return "a number"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"a {type(value).__name__}"


def _close(expected: np.ndarray, got: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.abs(got - expected) <= ATOL + RTOL * np.abs(expected)


def _nonfinite_where_finite(expected: np.ndarray, got: np.ndarray) -> bool:
    return bool(np.any(np.isfinite(expected) & ~np.isfinite(got)))


def _compare_number(expected: Any, got: Any) -> tuple[bool, str]:
    if isinstance(got, np.ndarray) and got.ndim > 0 and got.dtype.kind in "iuf":
        return False, (
            f"Wrong shape: expected a single number, got {describe_type(got)}. "
            "Return one number (for instance with float(...))."
        )
    if not is_number(got):
        return False, (
            f"Wrong type: expected a number, got {describe_type(got)} ({fmt_value(got)})."
        )
    e, g = float(expected), float(got)
    if np.isfinite(e) and not np.isfinite(g):
        return False, (
            f"Not a finite number: your function returned {g!r} where {_fmt_float(e)} was "
            "expected (a division by zero, an overflow or a log of a negative number?)."
        )
    if not np.isfinite(e):
        ok = (np.isnan(e) and np.isnan(g)) or e == g
        return bool(ok), "" if ok else f"expected {e!r}, got {g!r}."
    if bool(_close(np.asarray(e), np.asarray(g))):
        return True, ""
    abs_err = abs(g - e)
    rel = f"{abs_err / abs(e):.3g}" if e != 0 else "undefined (expected 0)"
    return False, f"absolute error {abs_err:.3g}, relative error {rel}."


def _compare_array(expected: np.ndarray, got: Any) -> tuple[bool, str]:
    if not isinstance(got, np.ndarray) or got.ndim == 0:
        return False, (
            f"Wrong type: expected an array of shape {expected.shape}, got "
            f"{describe_type(got)}. Return a numpy array (np.asarray(...))."
        )
    if got.shape != expected.shape:
        return False, f"Wrong shape: expected shape {expected.shape}, got shape {got.shape}."
    if got.dtype.kind not in "iuf":
        return False, f"Wrong dtype: expected numbers (float64), got dtype {got.dtype}."
    if _nonfinite_where_finite(expected, got):
        bad = tuple(int(i) for i in np.argwhere(np.isfinite(expected) & ~np.isfinite(got))[0])
        return False, (
            f"Not finite: your array holds {got[bad]!r} at index {bad} where "
            f"{_fmt_float(expected[bad])} was expected (a division by zero or an overflow?)."
        )
    exp_f = expected.astype(np.float64)
    got_f = got.astype(np.float64)
    both_nonfinite = ~np.isfinite(exp_f)
    close = _close(exp_f, got_f)
    with np.errstate(all="ignore"):
        same_nonfinite = (np.isnan(exp_f) & np.isnan(got_f)) | (exp_f == got_f)
    close = np.where(both_nonfinite, same_nonfinite, close)
    if bool(np.all(close)):
        return True, ""
    with np.errstate(all="ignore"):
        abs_err = np.where(np.isfinite(exp_f), np.abs(got_f - exp_f), 0.0)
        rel_err = np.where(exp_f != 0, abs_err / np.abs(exp_f), 0.0)
    first = tuple(int(i) for i in np.argwhere(~close)[0])
    i_abs = np.unravel_index(int(np.argmax(abs_err)), abs_err.shape)
    return False, (
        f"shape {got.shape}, dtype {got.dtype} (expected dtype {expected.dtype}); "
        f"largest absolute error {float(abs_err[i_abs]):.3g} at index "
        f"{tuple(int(i) for i in i_abs)}; largest relative error {float(np.max(rel_err)):.3g}; "
        f"first mismatch at index {first}: expected {_fmt_float(exp_f[first])}, "
        f"got {_fmt_float(got_f[first])}."
    )


def compare(expected: Any, got: Any) -> tuple[bool, str]:
    """``(ok, detail)``: is ``got`` the ``expected`` value, within float64 tolerances?

    ``detail`` is empty when ok, otherwise one or more sentences for the learner: wrong
    type, wrong shape, NaN/inf, or the largest absolute/relative error and first
    mismatching index of an array. Tuples and lists are compared item by item.
    """
    if is_number(expected):
        return _compare_number(expected, got)
    if isinstance(expected, np.ndarray):
        return _compare_array(expected, got)
    if isinstance(expected, (bool, np.bool_)):
        if isinstance(got, (bool, np.bool_)) and bool(got) == bool(expected):
            return True, ""
        return False, f"expected {expected!r}, got {fmt_value(got)}."
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)):
            return False, (
                f"Wrong type: expected a {type(expected).__name__} of {len(expected)} items, "
                f"got {describe_type(got)}."
            )
        if len(got) != len(expected):
            return False, f"Wrong length: expected {len(expected)} items, got {len(got)}."
        for i, (e, g) in enumerate(zip(expected, got, strict=True)):
            ok, detail = compare(e, g)
            if not ok:
                return False, f"item {i}: {detail}"
        return True, ""
    if isinstance(got, np.ndarray):
        return False, f"Wrong type: expected {describe_type(expected)}, got {describe_type(got)}."
    try:
        ok = bool(expected == got)
    except Exception:  # noqa: BLE001 - a strange object must not break the check
        ok = False
    return ok, "" if ok else f"expected {fmt_value(expected)}, got {fmt_value(got)}."


def same_value(a: Any, b: Any, _depth: int = 0) -> bool:
    """Exact equality used to detect in-place changes (NaN equals NaN; arrays by content).

    Objects without an ``__eq__`` of their own (a ``Network``, a layer) are compared by
    their attributes, so a deep copy of an unchanged object counts as the same value.
    """
    if _depth > 20:  # a deep or cyclic structure: fall back to identity
        return a is b
    if (type(a) is type(b) and type(a).__eq__ is object.__eq__
            and hasattr(a, "__dict__") and not callable(a)):
        return same_value(vars(a), vars(b), _depth + 1)
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)):
            return False
        if a.shape != b.shape or a.dtype != b.dtype:
            return False
        try:
            return bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
        except TypeError:
            return bool(np.array_equal(a, b))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(
            same_value(x, y, _depth + 1) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k], _depth + 1) for k in a)
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
        return True
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001
        return False


def compare_errors(expected: Any, got: Any) -> tuple[bool, str]:
    """Like :func:`compare`, for answers that are relative errors of a gradient check:
    any two values in [0, 1e-8] mean "agrees up to rounding" and count as equal."""
    if is_number(expected) and is_number(got):
        e, g = float(expected), float(got)
        if 0.0 <= e <= 1e-8 and 0.0 <= g <= 1e-8:
            return True, ""
    return compare(expected, got)
