"""The comparator kit: is a learner's answer the expected one? And values shown readably.

Numbers are compared with ``|got - expected| <= atol + rtol * |expected|``, by default
``RTOL = 1e-9``, ``ATOL = 1e-12`` (an expected 0.0 accepts 1e-12, an expected 1e6 an
error of about 1e-3). The tolerance follows the answer's dtype: a float32 answer (a numpy
float32 scalar or array) is held to float32 precision (``RTOL32 = 1e-5``, ``ATOL32 =
1e-6`` times the size of the expected values) and the verdict says so; an exercise that
teaches precision builds its comparator with ``float32=False`` and then a float32 answer
is told to compute in float64. Python floats and ints, numpy scalars and 0-d arrays all
count as numbers; NaN or inf where a finite number is expected is never equal.

Containers, as a learner naturally writes them:

- an expected array accepts a list or tuple of numbers of the same shape;
- an expected list or tuple accepts a list, a tuple or a 1-D array of its items;
- an expected mapping (a dict) wants the same keys and compares the values key by key.

:func:`comparator` makes a comparator with an exercise's own tolerances. Every answer is
first read as plain data (:func:`backprop_lessons.exercises.values.plain`): the learner's
own objects are never asked whether they are equal, masked arrays are refused, ndarray
subclasses are read as plain arrays. Arrays are never compared with a bare ``==``.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from ..maths.validate import kind
from .values import Foreign, plain

__all__ = ["RTOL", "ATOL", "RTOL32", "ATOL32", "FLOAT32_NOTE", "compare", "comparator",
           "compare_errors", "is_number", "fmt_value", "describe_type", "same_value",
           "strip_addresses", "is_low_precision"]

RTOL = 1e-9
ATOL = 1e-12
RTOL32 = 1e-5
ATOL32 = 1e-6

FLOAT32_NOTE = ("Your answer is float32: it was checked to float32 precision (about 7 "
                "significant digits), which is enough here.")
_NEAR_TEXT = ("That is the precision of float32, or the trace of a shortcut: was something "
              "computed in float32, a small constant added (such as log(P + 1e-9)) or a "
              "value rounded? Compute in float64, with the formula as the lesson gives it.")
PRECISION_TEXT = ("This exercise is about precision, so it wants float64: float32 keeps "
                  "only about 7 significant digits (a central difference with a small h "
                  "loses most of them). Compute in float64 (np.float64, or leave numpy's "
                  "default dtype).")
MAX_SHOWN = 2000

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")

Comparator = Callable[..., "tuple[bool, str]"]


def strip_addresses(text: str) -> str:
    """``text`` without memory addresses (``<function f at 0x7f...>`` -> ``<function f>``)."""
    return _ADDRESS.sub("", text)


def is_number(value: object) -> bool:
    """True for a real number: int, float, numpy scalar or 0-d numeric array (not a bool)."""
    if isinstance(value, (bool, np.bool_, np.ma.MaskedArray)):
        return False
    if isinstance(value, np.ndarray):
        return value.ndim == 0 and value.dtype.kind in "iuf"
    return isinstance(value, numbers.Real)


def is_low_precision(value: object) -> bool:
    """True for a float32 (or float16) numpy scalar or array."""
    dtype = getattr(value, "dtype", None)
    return isinstance(value, (np.ndarray, np.generic)) and dtype is not None \
        and dtype.kind == "f" and dtype.itemsize < 8


def _fmt_float(x: float) -> str:
    text = repr(float(x))
    if len(text) > 14:
        text = f"{float(x):.12g}"
    return text


def _fmt(value: object, depth: int) -> str:
    if isinstance(value, (bool, np.bool_)):
        return repr(bool(value))
    if isinstance(value, Foreign):
        return repr(value)
    if isinstance(value, np.ma.MaskedArray):
        return f"a masked array (shape {value.shape}, {int(np.ma.count_masked(value))} " \
               "entries masked)"
    if is_number(value):
        if isinstance(value, (numbers.Integral, np.integer)) or (
            isinstance(value, np.ndarray) and value.dtype.kind in "iu"
        ):
            return repr(int(value))
        return _fmt_float(float(value))
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "O":
            return f"an array of Python objects (shape {value.shape}, dtype object)"
        body = np.array2string(value, precision=6, separator=", ", threshold=60, edgeitems=3)
        if value.dtype.kind == "f" and value.dtype.itemsize < 8 and value.size:
            body = np.array2string(value.astype(np.float64), precision=9, separator=", ",
                                   threshold=60, edgeitems=3)
        return f"{body}  (shape {value.shape}, dtype {value.dtype})"
    if callable(value):
        label = getattr(value, "label", None) or getattr(value, "__name__", None)
        if not label or label == "<lambda>":
            return "a function"
        return str(label)
    if depth > 6:
        return "…"
    if isinstance(value, (tuple, list)):
        items = list(value)
        if len(items) > 12:
            shown = [_fmt(v, depth + 1) for v in items[:6]] + ["…"] + \
                [_fmt(v, depth + 1) for v in items[-2:]]
            inner = ", ".join(shown) + f"  ({len(items)} items)"
        else:
            inner = ", ".join(_fmt(v, depth + 1) for v in items)
        if isinstance(value, tuple):
            return f"({inner}{',' if len(items) == 1 else ''})"
        return f"[{inner}]"
    if isinstance(value, dict):
        pairs = list(value.items())
        inner = ", ".join(f"{_fmt(k, depth + 1)}: {_fmt(v, depth + 1)}" for k, v in pairs[:12])
        if len(pairs) > 12:
            inner += f", …  ({len(pairs)} entries)"
        return "{" + inner + "}"
    if isinstance(value, str):
        text = repr(value)
        return text if len(text) <= 200 else text[:197] + "..."
    try:
        text = strip_addresses(repr(value))
    except Exception:  # noqa: BLE001 - an object whose repr raises
        return f"<a {type(value).__name__} object>"
    return text if len(text) <= 200 else text[:197] + "..."


def fmt_value(value: object) -> str:
    """A short, deterministic rendering: no ``np.float64(...)``, no memory addresses; long
    lists, dicts and arrays summarised (first items, size); at most 2,000 characters."""
    text = _fmt(value, 0)
    if len(text) > MAX_SHOWN:
        text = text[: MAX_SHOWN - 30] + f" … ({len(text)} characters)"
    return text


def describe_type(value: object) -> str:
    """What ``value`` is, in words: 'a number', 'an array of shape (2, 3) and dtype float64'...
    (:func:`backprop_lessons.maths.validate.kind`, and the description a value read from
    the learner's process carries when it could not be read as plain data)."""
    if isinstance(value, Foreign):
        if value.text:
            return value.text
        return f"a {value.type_name} object" + (f" ({value.why})" if value.why else "")
    return kind(value)


class _Tol:
    __slots__ = ("rtol", "atol", "float32")

    def __init__(self, rtol: float, atol: float, float32: bool) -> None:
        self.rtol, self.atol, self.float32 = float(rtol), float(atol), bool(float32)


def _close(expected: np.ndarray, got: np.ndarray, rtol: float, atol: float) -> np.ndarray:
    with np.errstate(all="ignore"):
        close = np.abs(got - expected) <= atol + rtol * np.abs(expected)
        finite_e = np.isfinite(expected)
        same_nonfinite = (np.isnan(expected) & np.isnan(got)) | (expected == got)
    return np.where(finite_e, close & np.isfinite(got), same_nonfinite)


def _low_tolerance(expected: np.ndarray, tol: _Tol) -> tuple[float, float]:
    finite = expected[np.isfinite(expected)] if expected.size else expected
    scale = float(np.max(np.abs(finite))) if finite.size else 1.0
    return max(tol.rtol, RTOL32), max(tol.atol, ATOL32 * max(1.0, scale))


def _number(expected: Any, got: Any, tol: _Tol) -> tuple[bool, str]:
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
            "expected (a division by zero, an overflow, a log of a negative number, "
            "or h = 0?)."
        )
    if not np.isfinite(e):
        ok = (np.isnan(e) and np.isnan(g)) or e == g
        return bool(ok), "" if ok else f"expected {e!r}, got {g!r}."
    ee, gg = np.asarray(e), np.asarray(g)
    if bool(_close(ee, gg, tol.rtol, tol.atol)):
        return True, ""
    abs_err = abs(g - e)
    rel = f"{abs_err / abs(e):.3g}" if e != 0 else "undefined (expected 0)"
    detail = f"absolute error {abs_err:.3g}, relative error {rel}."
    r32, a32 = _low_tolerance(ee.reshape(1), tol)
    if bool(_close(ee, gg, r32, a32)):
        if is_low_precision(got):
            if tol.float32:
                return True, FLOAT32_NOTE
            return False, f"{detail} Your answer is float32. {PRECISION_TEXT}"
        detail += f" Your number agrees to about 7 significant digits only. {_NEAR_TEXT}"
    elif is_low_precision(got) and not tol.float32:
        detail += f" Your answer is float32. {PRECISION_TEXT}"
    return False, detail


def _as_array(got: Any) -> np.ndarray | None:
    """A list/tuple of numbers (nested, rectangular) as an array; None if it is not one."""
    try:
        arr = np.asarray(got)
    except (ValueError, TypeError):
        return None
    return arr if arr.dtype.kind in "iuf" else None


def _array(expected: np.ndarray, got: Any, tol: _Tol) -> tuple[bool, str]:
    if isinstance(got, np.ma.MaskedArray):
        return False, (f"Your answer is a masked array ({int(np.ma.count_masked(got))} of "
                       f"{got.size} entries masked): return a plain numpy array.")
    if isinstance(got, (list, tuple)) and expected.ndim > 0:
        converted = _as_array(got)
        if converted is None or converted.shape != expected.shape:
            shape = "" if converted is None else f" of shape {converted.shape}"
            return False, (f"Wrong type: expected an array of shape {expected.shape}, got "
                           f"{describe_type(got)}{shape}. Return a numpy array "
                           "(np.asarray(...)).")
        got = converted
    if not isinstance(got, np.ndarray) or got.ndim == 0:
        return False, (
            f"Wrong type: expected an array of shape {expected.shape}, got "
            f"{describe_type(got)}. Return a numpy array (np.asarray(...))."
        )
    if got.shape != expected.shape:
        return False, f"Wrong shape: expected shape {expected.shape}, got shape {got.shape}."
    if got.dtype.kind not in "iuf":
        return False, f"Wrong dtype: expected numbers (float64), got dtype {got.dtype}."
    if expected.dtype.kind not in "iuf":
        ok = bool(np.array_equal(expected, got))
        return ok, "" if ok else "The values differ."
    exp_f = expected.astype(np.float64)
    got_f = got.astype(np.float64)
    bad_nonfinite = np.isfinite(exp_f) & ~np.isfinite(got_f)
    if bool(np.any(bad_nonfinite)):
        bad = tuple(int(i) for i in np.argwhere(bad_nonfinite)[0])
        count = int(np.count_nonzero(bad_nonfinite))
        return False, (
            f"Not finite: your array holds {float(got_f[bad])!r} at index {bad} where "
            f"{_fmt_float(exp_f[bad])} was expected ({count} of {got.size} entries are NaN "
            "or inf: a division by zero, an overflow, or h = 0?)."
        )
    close = _close(exp_f, got_f, tol.rtol, tol.atol)
    if bool(np.all(close)):
        return True, ""
    low = is_low_precision(got)
    r32, a32 = _low_tolerance(exp_f, tol)
    close32 = bool(np.all(_close(exp_f, got_f, r32, a32)))
    if low and close32 and tol.float32:
        return True, FLOAT32_NOTE
    with np.errstate(all="ignore"):
        abs_err = np.where(np.isfinite(exp_f), np.abs(got_f - exp_f), 0.0)
        rel_err = np.where(exp_f != 0, abs_err / np.abs(exp_f), 0.0)
    first = tuple(int(i) for i in np.argwhere(~close)[0])
    i_abs = np.unravel_index(int(np.argmax(abs_err)), abs_err.shape)
    detail = (
        f"shape {got.shape}, dtype {got.dtype} (expected dtype {expected.dtype}); "
        f"largest absolute error {float(abs_err[i_abs]):.3g} at index "
        f"{tuple(int(i) for i in i_abs)}; largest relative error {float(np.max(rel_err)):.3g}; "
        f"first mismatch at index {first}: expected {_fmt_float(exp_f[first])}, "
        f"got {_fmt_float(got_f[first])}."
    )
    if low and close32:
        detail += f" Your answer is float32. {PRECISION_TEXT}"
    elif low and not tol.float32:
        detail += f" Your answer is float32. {PRECISION_TEXT}"
    elif close32:
        detail += f" Your numbers agree to about 7 significant digits only. {_NEAR_TEXT}"
    return False, detail


def _sequence(expected: Any, got: Any, tol: _Tol) -> tuple[bool, str]:
    kind = type(expected).__name__
    if isinstance(got, np.ndarray) and got.ndim >= 1 and got.dtype.kind in "iufb":
        got = list(got)  # a 1-D array of the items (numpy scalars keep their dtype)
    if not isinstance(got, (tuple, list)):
        return False, (
            f"Wrong type: expected a {kind} of {len(expected)} items, "
            f"got {describe_type(got)}."
        )
    if len(got) != len(expected):
        return False, f"Wrong length: expected {len(expected)} items, got {len(got)}."
    notes = set()
    for i, (e, g) in enumerate(zip(expected, got, strict=True)):
        ok, detail = _cmp(e, g, tol)
        if not ok:
            return False, f"item {i}: {detail}"
        if detail:
            notes.add(detail)
    return True, " ".join(sorted(notes))


def _mapping(expected: Mapping, got: Any, tol: _Tol) -> tuple[bool, str]:
    keys = list(expected)
    if not isinstance(got, Mapping):
        return False, (
            f"Wrong type: expected a dict with the keys {keys}, got {describe_type(got)}. "
            "Build and return a dict, one entry per key."
        )
    missing = [k for k in keys if k not in got]
    extra = [k for k in got if k not in expected]
    if missing or extra:
        parts = [f"Wrong keys: expected the keys {keys}"]
        if missing:
            parts.append(f"missing {missing}")
        if extra:
            parts.append(f"unexpected {extra}")
        return False, "; ".join(parts) + ". Return one entry for every key, no other."
    notes = set()
    for key in keys:
        ok, detail = _cmp(expected[key], got[key], tol)
        if not ok:
            return False, f"{key}: {detail}"
        if detail:
            notes.add(detail)
    return True, " ".join(sorted(notes))


def _cmp(expected: Any, got: Any, tol: _Tol) -> tuple[bool, str]:
    if isinstance(got, np.ma.MaskedArray):
        return False, (f"Your answer is a masked array ({int(np.ma.count_masked(got))} of "
                       f"{got.size} entries masked): return a plain numpy array.")
    if isinstance(got, Foreign) and not isinstance(expected, Foreign):
        return False, (f"Wrong type: expected {describe_type(expected)}, got "
                       f"{describe_type(got)}; the checker reads numbers, arrays, lists, "
                       "tuples and dicts.")
    if is_number(expected):
        return _number(expected, got, tol)
    if isinstance(expected, np.ndarray):
        return _array(expected, got, tol)
    if isinstance(expected, (bool, np.bool_)):
        if isinstance(got, (bool, np.bool_)) and bool(got) == bool(expected):
            return True, ""
        return False, f"expected {expected!r}, got {fmt_value(got)}."
    if isinstance(expected, (tuple, list)):
        return _sequence(expected, got, tol)
    if isinstance(expected, Mapping):
        return _mapping(expected, got, tol)
    if isinstance(got, np.ndarray):
        return False, f"Wrong type: expected {describe_type(expected)}, got {describe_type(got)}."
    if isinstance(expected, (str, bytes, type(None))) and type(got) is not type(expected):
        return False, f"expected {fmt_value(expected)}, got {fmt_value(got)}."
    try:
        ok = bool(expected == got)
    except Exception:  # noqa: BLE001 - a strange object must not break the check
        ok = False
    return ok, "" if ok else f"expected {fmt_value(expected)}, got {fmt_value(got)}."


def compare(expected: Any, got: Any, *, rtol: float = RTOL, atol: float = ATOL,
            float32: bool = True) -> tuple[bool, str]:
    """``(ok, detail)``: is ``got`` the ``expected`` value, within the tolerances?

    ``detail`` says why not, in sentences for the learner (wrong type, wrong shape, NaN/inf,
    the largest absolute/relative error and first mismatching index of an array, the
    item or key where it goes wrong). When ok it is empty, or a note (the answer passed
    at float32 precision). ``float32=False``: a float32 answer must be as precise as
    float64 (for exercises that teach precision).
    """
    return _cmp(expected, plain(got), _Tol(rtol, atol, float32))


def comparator(*, rtol: float = RTOL, atol: float = ATOL, float32: bool = True,
               rounding_level: float | None = None) -> Comparator:
    """A comparator ``(expected, got) -> (ok, detail)`` with an exercise's own tolerances.

    ``rounding_level``: answers that are relative errors of a gradient check; any two
    numbers in ``[0, rounding_level]`` mean "agrees up to rounding" and count as equal.
    """
    tol = _Tol(rtol, atol, float32)

    def compare_with(expected: Any, got: Any) -> tuple[bool, str]:
        got = plain(got)
        if rounding_level is not None and is_number(expected) and is_number(got):
            e, g = float(expected), float(got)
            if 0.0 <= e <= rounding_level and 0.0 <= g <= rounding_level:
                return True, ""
        return _cmp(expected, got, tol)

    compare_with.__name__ = "compare"
    compare_with.__doc__ = (f"compare with rtol={rtol:g}, atol={atol:g}, float32={float32}"
                            + (f", rounding level {rounding_level:g}" if rounding_level
                               else ""))
    return compare_with


compare_errors = comparator(float32=False, rounding_level=1e-8)
"""For answers that are relative errors of a gradient check (float64 wanted): any two
values in [0, 1e-8] mean "agrees up to rounding" and count as equal."""


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
