"""Learner outputs as plain JSON data, and back.

The worker (the learner's process) :func:`encode`\\ s each value its function returned into
JSON-ready data built from type checks only (no learner ``__repr__``/``__eq__``/``__iter__``
is trusted to shape the result): numbers, strings, ``None``, lists, tuples, dicts (as key/value
pairs), numpy arrays and scalars, named tuples; anything else becomes an *opaque* record (its
type name and a clipped repr). The grader :func:`decode`\\ s that data into plain Python and
numpy values, never into a learner object, so a comparator in the grader runs no learner code.

``encode`` is bounded: at most :data:`MAX_ITEMS` numbers/items per value and
:data:`MAX_DEPTH` levels of nesting; beyond that the value is opaque ("too large").
"""

from __future__ import annotations

import builtins
import math
from typing import Any

__all__ = ["MAX_ITEMS", "MAX_DEPTH", "Opaque", "encode", "decode", "encode_exception",
           "decode_exception", "LearnerException"]

MAX_ITEMS = 2_000_000
MAX_DEPTH = 40
_MAX_TEXT = 2000
_NUMERIC_KINDS = "biuf"


class _TooLarge(Exception):
    pass


def _text(value: Any, limit: int = _MAX_TEXT) -> str:
    """``str(value)`` clipped; a str subclass is read as a plain str."""
    if isinstance(value, str):
        value = str.__str__(value)
    else:
        value = "" if value is None else str(value)
    return value if len(value) <= limit else value[: limit - 3] + "..."


def _safe_repr(value: Any) -> str:
    try:
        return _text(object.__repr__(value) if not isinstance(value, str) else value, 200)
    except Exception:  # noqa: BLE001 - never trust a learner object
        return "<unprintable>"


def _float(x: float) -> Any:
    """JSON has no NaN/inf: encode them as tagged strings."""
    if math.isfinite(x):
        return x
    return {"__float__": "nan" if x != x else ("inf" if x > 0 else "-inf")}


class _Budget:
    def __init__(self) -> None:
        self.left = MAX_ITEMS

    def take(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise _TooLarge


def encode(value: Any) -> Any:
    """JSON-ready plain data for ``value`` (see the module docstring); never raises."""
    try:
        return _encode(value, 0, _Budget())
    except _TooLarge:
        return {"__opaque__": type(value).__name__, "repr": "a value too large to grade"}
    except RecursionError:
        return {"__opaque__": type(value).__name__, "repr": "a value nested too deeply"}
    except Exception as exc:  # noqa: BLE001 - a hostile object must not stop the worker
        return {"__opaque__": _text(type(value).__name__, 100),
                "repr": f"(could not be read: {type(exc).__name__})"}


def _encode(value: Any, depth: int, budget: _Budget) -> Any:
    import numpy as np

    if depth > MAX_DEPTH:
        raise _TooLarge
    budget.take(1)
    t = type(value)
    if value is None or t is bool:
        return value
    if t is int:
        return value if abs(value) < 2**63 else {"__bigint__": str(value)}
    if t is float:
        return _float(value)
    if t is str:
        return _text(value, 100_000)
    if t is complex:
        return {"__complex__": [_float(value.real), _float(value.imag)]}
    if isinstance(value, np.generic):
        if value.dtype.kind in _NUMERIC_KINDS:
            return {"__npscalar__": _encode(value.item(), depth + 1, budget),
                    "dtype": str(value.dtype)}
        return {"__opaque__": t.__name__, "repr": f"a numpy {value.dtype} scalar"}
    if isinstance(value, np.ndarray):
        return _encode_array(value, t, budget)
    if isinstance(value, tuple):
        items = [_encode(v, depth + 1, budget) for v in tuple.__iter__(value)]
        fields = getattr(t, "_fields", None)
        if t is not tuple and isinstance(fields, tuple) and all(
                type(f) is str for f in fields) and len(fields) == len(items):
            return {"__tuple__": items, "namedtuple": _text(t.__name__, 100),
                    "fields": list(fields)}
        return {"__tuple__": items}
    if isinstance(value, list):
        return [_encode(v, depth + 1, budget) for v in list.__iter__(value)]
    if isinstance(value, dict):
        return {"__dict__": [[_encode(k, depth + 1, budget), _encode(v, depth + 1, budget)]
                             for k, v in dict.items(value)]}
    if isinstance(value, (int, float, str)):  # a subclass: read as the builtin value
        base = int if isinstance(value, int) else float if isinstance(value, float) else str
        return _encode(base(value) if base is not str else str.__str__(value), depth, budget)
    return {"__opaque__": _text(t.__name__, 100), "repr": _safe_repr(value)}


def _encode_array(value: Any, t: type, budget: _Budget) -> Any:
    import numpy as np

    arr = value.view(np.ndarray)  # a subclass's methods are not called
    budget.take(int(arr.size))
    note = None
    if t is not np.ndarray:
        note = t.__name__
        if isinstance(value, np.ma.MaskedArray) and np.ma.getmaskarray(value).any():
            if arr.dtype.kind == "f":
                arr = np.where(np.ma.getmaskarray(value), np.nan, arr)
            else:
                return {"__opaque__": t.__name__, "repr": "a masked array with masked entries"}
    kind = arr.dtype.kind
    if kind in _NUMERIC_KINDS:
        flat = arr.ravel().tolist()
        if kind == "f":
            flat = [_float(x) for x in flat]
        data: Any = flat
    elif kind == "c":
        data = [[_float(x.real), _float(x.imag)] for x in arr.ravel().tolist()]
    elif kind == "U":
        data = [_text(x, 10_000) for x in arr.ravel().tolist()]
    else:
        return {"__opaque__": "ndarray", "repr": f"an array of dtype {arr.dtype}"}
    out = {"__ndarray__": data, "dtype": arr.dtype.str, "shape": list(arr.shape)}
    if note:
        out["subclass"] = _text(note, 100)
    return out


class Opaque:
    """A learner value the grader does not rebuild: equal to nothing but itself."""

    def __init__(self, type_name: str, text: str) -> None:
        self.type_name = type_name
        self.text = text

    def __repr__(self) -> str:
        return f"<a {self.type_name}: {self.text}>"

    def __eq__(self, other: object) -> bool:
        return other is self

    __hash__ = object.__hash__


def _decode_float(x: Any) -> float:
    if isinstance(x, dict):
        return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}.get(x.get("__float__"),
                                                                          math.nan)
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return float(x)
    raise ValueError(f"expected a float in the worker's data, got {type(x).__name__}")


def decode(data: Any, depth: int = 0, namedtuples: dict[str, type] | None = None) -> Any:
    """Plain Python / numpy values from :func:`encode`'s data. ``namedtuples`` maps a named
    tuple's name to the grader's own class (rebuilt when the fields agree)."""
    import numpy as np

    if depth > MAX_DEPTH + 5:
        return Opaque("value", "nested too deeply")
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [decode(v, depth + 1, namedtuples) for v in data]
    if not isinstance(data, dict):
        return Opaque(type(data).__name__, "unreadable")
    if "__float__" in data:
        return _decode_float(data)
    if "__bigint__" in data:
        text = str(data["__bigint__"])
        return int(text) if text.lstrip("-").isdigit() and len(text) < 5000 else Opaque(
            "int", "unreadable")
    if "__complex__" in data:
        re_, im = data["__complex__"]
        return complex(_decode_float(re_), _decode_float(im))
    if "__npscalar__" in data:
        dtype = np.dtype(str(data.get("dtype", "float64")))
        if dtype.kind not in _NUMERIC_KINDS:
            return Opaque("numpy scalar", "unreadable")
        return dtype.type(decode(data["__npscalar__"], depth + 1))
    if "__ndarray__" in data:
        return _decode_array(data)
    if "__tuple__" in data:
        items = [decode(v, depth + 1, namedtuples) for v in data["__tuple__"]]
        cls = (namedtuples or {}).get(str(data.get("namedtuple")))
        if cls is not None and list(getattr(cls, "_fields", ())) == data.get("fields"):
            return cls(*items)
        return tuple(items)
    if "__dict__" in data:
        out = {}
        for pair in data["__dict__"]:
            key = decode(pair[0], depth + 1, namedtuples)
            try:
                hash(key)
            except TypeError:
                key = Opaque(type(key).__name__, repr(key)[:100])
            out[key] = decode(pair[1], depth + 1, namedtuples)
        return out
    if "__opaque__" in data:
        return Opaque(_text(data.get("__opaque__"), 100), _text(data.get("repr"), 200))
    return Opaque("value", "unreadable")


def _decode_array(data: dict) -> Any:
    import numpy as np

    dtype = np.dtype(str(data["dtype"]))
    if dtype.itemsize > 4 * 10_000:  # the encoder writes strings of at most 10,000 characters
        return Opaque("ndarray", f"dtype {dtype.str[:20]}: wider than any answer's")
    shape = tuple(int(s) for s in data["shape"])
    flat = data["__ndarray__"]
    if dtype.kind == "f":
        flat = [_decode_float(x) for x in flat]
    elif dtype.kind == "c":
        flat = [complex(_decode_float(r), _decode_float(i)) for r, i in flat]
    elif dtype.kind not in _NUMERIC_KINDS + "U":
        return Opaque("ndarray", f"dtype {dtype}")
    arr = np.array(flat, dtype=dtype)
    if int(np.prod(shape, dtype=np.int64)) != arr.size:
        return Opaque("ndarray", "data and shape disagree")
    return arr.reshape(shape)


# ----- exceptions ------------------------------------------------------------------------
def encode_exception(exc: BaseException | None) -> dict | None:
    """Type name, the first builtin class it derives from, and its (clipped) message."""
    if exc is None:
        return None
    t = type(exc)
    base = next((c.__name__ for c in t.__mro__ if c.__module__ == "builtins"),
                "BaseException")
    try:
        message = _text(str(exc))
    except BaseException:  # noqa: BLE001 - a message that raises is still an error
        message = "(the message could not be read)"
    return {"type": _text(t.__name__, 100), "base": base, "message": message}


class LearnerException(Exception):
    """Stands for a learner's exception whose class is not a builtin one."""


_BUILTIN_EXCEPTIONS = {
    name: cls for name, cls in vars(builtins).items()
    if isinstance(cls, type) and issubclass(cls, BaseException)
}


def decode_exception(data: Any) -> BaseException | None:
    """A builtin exception of the same name (or a class of that name derived from the
    recorded builtin base), carrying the message; ``None`` for no exception."""
    if not isinstance(data, dict):
        return None
    name = _text(data.get("type"), 100)
    message = _text(data.get("message"))
    cls = _BUILTIN_EXCEPTIONS.get(name)
    if cls is None:
        base = _BUILTIN_EXCEPTIONS.get(_text(data.get("base"), 100), LearnerException)
        if base in (BaseException, Exception):
            base = LearnerException
        safe = name if name.isidentifier() else "LearnerException"
        cls = type(safe, (base,), {"__module__": "builtins"})
    try:
        return cls(message)
    except Exception:  # noqa: BLE001 - e.g. UnicodeDecodeError needs 5 arguments
        return type(name if name.isidentifier() else "LearnerException",
                    (LearnerException,), {"__module__": "builtins"})(message)
