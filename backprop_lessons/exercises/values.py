"""Answers as plain data: what the checker reads of a value returned by the learner's code.

:func:`encode` turns a value into nested tuples of plain Python data (tags, numbers,
strings, bytes) without calling a single method of the learner's own classes: exact
built-in types are read as they are, subclasses of ``int``/``float``/``str``/``tuple``/
``list``/``dict`` and ndarray subclasses through the built-in slots (so a lying ``__eq__``,
``__iter__`` or ``__array__`` is never consulted), a masked array keeps its mask, objects
of this package keep their attributes, and anything else becomes a :class:`Foreign`
placeholder that names its type. :func:`decode` builds the plain value back (plain
ndarrays, lists, tuples, dicts). ``dumps``/``loads`` carry that over a pipe with
:mod:`marshal` (data only: loading constructs numbers, strings and containers, it runs no
code), which is how a forked child reports its outcomes to the notebook.
"""

from __future__ import annotations

import importlib
import marshal
from typing import Any

import numpy as np

__all__ = ["Foreign", "encode", "decode", "plain", "dumps", "loads", "MAX_DEPTH", "size_of",
           "bounded", "size_limit"]

MAX_DEPTH = 40
_FAST_LIST = 64  # lists longer than this of exact ints or floats travel as one array


class Foreign:
    """A value the checker does not look into: an object of the learner's own class, a
    generator, a set... ``type_name`` says what it was; ``why`` (optional) says more."""

    __slots__ = ("type_name", "why", "text")

    def __init__(self, type_name: str, why: str = "", text: str = "") -> None:
        self.type_name = type_name
        self.why = why
        self.text = text  # a description that replaces "a <type> object"

    def __repr__(self) -> str:
        return self.text or f"<a {self.type_name} object>"


def size_of(value: Any, limit: float = float("inf")) -> int:
    """How many items ``value`` holds (numbers in arrays, items of lists, tuples and dicts,
    nested); stops counting once past ``limit``. Reads only built-in containers."""
    total = 0
    stack = [value]
    while stack and total <= limit:
        v = stack.pop()
        t = type(v)
        if isinstance(v, np.ndarray):
            total += int(v.size)
        elif t is list or t is tuple or (isinstance(v, (list, tuple)) and t is not str):
            total += len(v)
            if len(v) <= limit:
                stack.extend(v)
        elif isinstance(v, dict):
            total += len(v)
            if len(v) <= limit:
                stack.extend(v.values())
        else:
            total += 1
    return total


def size_limit(expected: Any) -> int:
    """The most items an answer to ``expected`` may hold before it is summarised unread:
    100 times the expected size, at least 10,000."""
    return max(10_000, 100 * size_of(expected))


def bounded(value: Any, limit: int) -> Any:
    """``value``, or a :class:`Foreign` that says how large it is when it holds more than
    ``limit`` items (so a huge wrong answer costs nothing to check)."""
    size = size_of(value, limit)
    if size <= limit:
        return value
    kind = type(value).__name__ if not isinstance(value, np.ndarray) else "array"
    count = int(value.size) if isinstance(value, np.ndarray) else (
        len(value) if isinstance(value, (list, tuple, dict)) else size)
    return Foreign(kind, "", f"a {kind} of {count} items (far more than the expected "
                             "answer holds; not read further)")


def _type_name(value: Any) -> str:
    t = type(value)
    module = getattr(t, "__module__", "") or ""
    name = getattr(t, "__qualname__", None) or getattr(t, "__name__", "object")
    if module in ("builtins", "__main__") or module.startswith("__"):
        return str(name)
    return f"{module}.{name}" if module.split(".")[0] in ("numpy", "backprop_lessons") \
        else str(name)


def _array(value: np.ndarray, depth: int) -> tuple:
    arr = np.ndarray.view(value, np.ndarray) if type(value) is not np.ndarray else value
    if arr.dtype.kind in "biufcSUmM" and arr.dtype.fields is None:
        return ("a", arr.dtype.str, tuple(arr.shape), arr.tobytes())
    if arr.dtype.kind == "O" and arr.size <= 10_000:
        return ("ao", tuple(arr.shape), [encode(v, depth + 1) for v in arr.ravel().tolist()])
    return ("f", f"array of dtype {arr.dtype}", "")


def encode(value: Any, depth: int = 0) -> tuple:
    """``value`` as nested tuples of plain data (see the module docstring). Never calls a
    method of a class that is not built in, numpy's or this package's."""
    t = type(value)
    if value is None or t in (bool, int, float, complex, str, bytes):
        return ("s", value)
    if t is Foreign:
        return ("f", value.type_name, value.why, value.text)
    if depth > MAX_DEPTH:
        return ("f", _type_name(value), "nested more than 40 levels deep")
    if isinstance(value, np.generic):
        if value.dtype.kind == "O":
            return ("f", _type_name(value), "")
        return ("g", value.dtype.str, value.tobytes())
    if isinstance(value, np.ndarray):
        if isinstance(value, np.ma.MaskedArray):
            data = np.ndarray.view(value, np.ndarray)
            mask = np.ma.getmaskarray(value)
            return ("m", _array(data, depth), _array(np.asarray(mask, dtype=bool), depth))
        return _array(value, depth)
    if issubclass(t, bool):
        return ("s", bool(int.__int__(value)))
    if issubclass(t, int):
        return ("s", int.__int__(value))
    if issubclass(t, float):
        return ("s", float.__float__(value))
    if issubclass(t, complex):
        return ("s", complex.__complex__(value)) if hasattr(complex, "__complex__") \
            else ("s", complex(float(value.real), float(value.imag)))
    if issubclass(t, str):
        return ("s", str.__str__(value))
    if issubclass(t, bytes):
        return ("s", bytes(memoryview(value)))
    if issubclass(t, list):
        items = list.copy(value)
        if len(items) > _FAST_LIST:
            kinds = set(map(type, items))
            if kinds == {float} or kinds == {int} or kinds == {int, float}:
                try:
                    arr = np.array(items, dtype=np.int64 if kinds == {int} else np.float64)
                except OverflowError:
                    pass
                else:
                    return ("lf", arr.dtype.str, arr.tobytes())
        return ("l", [encode(v, depth + 1) for v in items])
    if issubclass(t, tuple):
        return ("t", [encode(v, depth + 1) for v in tuple.__iter__(value)])
    if issubclass(t, dict):
        return ("d", [(encode(k, depth + 1), encode(v, depth + 1))
                      for k, v in dict.items(value)])
    module = getattr(t, "__module__", "") or ""
    if module.split(".")[0] == "backprop_lessons" and not callable(value):
        try:
            attrs = object.__getattribute__(value, "__dict__")
        except AttributeError:
            attrs = None
        if type(attrs) is dict:
            return ("o", module, t.__qualname__, encode(attrs, depth + 1))
    return ("f", _type_name(value), "")


def _resolve(module: str, qualname: str) -> type | None:
    if module.split(".")[0] != "backprop_lessons":
        return None
    try:
        obj: Any = importlib.import_module(module)
        for part in qualname.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError):
        return None
    return obj if isinstance(obj, type) else None


def decode(data: tuple) -> Any:
    """The plain value of :func:`encode`'s output."""
    tag = data[0]
    if tag == "s":
        return data[1]
    if tag == "a":
        _, dtype, shape, raw = data
        return np.frombuffer(raw, dtype=np.dtype(dtype)).reshape(shape).copy()
    if tag == "g":
        return np.frombuffer(data[2], dtype=np.dtype(data[1]))[0]
    if tag == "l":
        return [decode(v) for v in data[1]]
    if tag == "lf":
        return np.frombuffer(data[2], dtype=np.dtype(data[1])).tolist()
    if tag == "t":
        return tuple(decode(v) for v in data[1])
    if tag == "d":
        out = {}
        for k, v in data[1]:
            key = decode(k)
            try:
                out[key] = decode(v)
            except TypeError:  # an unhashable key (cannot happen for encoded keys)
                return Foreign("dict", "a key that is not hashable")
        return out
    if tag == "m":
        return np.ma.MaskedArray(decode(data[1]), mask=decode(data[2]))
    if tag == "ao":
        arr = np.empty(len(data[2]), dtype=object)
        for i, v in enumerate(data[2]):
            arr[i] = decode(v)
        return arr.reshape(data[1])
    if tag == "o":
        cls = _resolve(data[1], data[2])
        attrs = decode(data[3])
        if cls is None or not isinstance(attrs, dict):
            return Foreign(data[2])
        try:
            obj = object.__new__(cls)
            obj.__dict__.update(attrs)
        except TypeError:
            return Foreign(data[2])
        return obj
    return Foreign(*data[1:4])


_SCALARS = frozenset({int, float, bool, complex, str, bytes, type(None)})


def _already_plain(value: Any) -> bool:
    t = type(value)
    if t in _SCALARS:
        return True
    if t is np.ndarray:
        return value.dtype.kind in "biufcSUmM" and value.dtype.fields is None
    if t is list or t is tuple:
        return set(map(type, value)) <= _SCALARS
    return False


def plain(value: Any) -> Any:
    """``decode(encode(value))``: the value as the checker reads it (a value that is plain
    already, e.g. a float, an ndarray or a list of numbers, is returned as it is)."""
    if _already_plain(value):
        return value
    return decode(encode(value))


def dumps(value: Any) -> bytes:
    """Bytes of plain data for a pipe (``marshal`` of tuples, numbers, strings, bytes)."""
    return marshal.dumps(value)


def loads(raw: bytes) -> Any:
    """The inverse of :func:`dumps`."""
    return marshal.loads(raw)
