"""The chain rule by hand: products of local derivatives along a path, sums over paths.

One chain ``x -> u -> v -> L``: a nudge of x is scaled by each local derivative in turn::

    dL/dx = dL/dv * dv/du * du/dx                      (chain_product)

In a graph, every edge ``upper <- lower`` carries the local derivative ``d(upper)/d(lower)``
(the keys of :func:`backprop_lessons.maths.course_network.local_derivatives`, e.g. ``"dO31/dO21"``).
One path from L down to a weight contributes the product of its edges (path_product); when
several paths lead to the weight, their contributions add (sum_over_paths). In the course
network W1 reaches L through O21 and through O22::

    dL/dW1 = dL/dO31 * dO31/dO21 * dO21/dO11 * dO11/dW1
           + dL/dO31 * dO31/dO22 * dO22/dO11 * dO11/dW1      (dL_dW1)

and W4 through one edge of the output neuron only::

    dL/dW4 = dL/dO31 * dO31/dW4 = -2 (y - O31) * O31 (1 - O31) * O21     (dL_dW4)

Three gates, read backward: a node ``out = gate(a, b)`` receives ``upstream = dL/dout`` and
hands each input ``upstream * d(out)/d(input)`` (gate_gradients)::

    add       out = a + b        dL/da = upstream       dL/db = upstream      (distributes)
    multiply  out = a * b        dL/da = upstream * b   dL/db = upstream * a  (swaps)
    max       out = max(a, b)    the larger input gets upstream, the other 0  (routes)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from .validate import as_float, describe, require_finite

__all__ = [
    "chain_product",
    "edge_key",
    "path_product",
    "sum_over_paths",
    "W1_PATHS",
    "dL_dW1",
    "dL_dW4",
    "GATES",
    "gate_value",
    "gate_gradients",
]

W1_PATHS: tuple[tuple[str, ...], ...] = (
    ("L", "O31", "O21", "O11", "W1"),
    ("L", "O31", "O22", "O11", "W1"),
)
"""The two paths from L down to W1 in the course network: through O21, through O22."""

_W1_EDGES: tuple[tuple[str, str], ...] = tuple(
    (f"d{u}/d{lo}", f"{u} -> {lo}") for u, lo in dict.fromkeys(
        (u, lo) for path in W1_PATHS for u, lo in zip(path[:-1], path[1:], strict=True)
    )
)


def _finite(value: object, name: str) -> float:
    f = as_float(value, name)
    require_finite(np.asarray(f), name)
    return f


def chain_product(factors: Sequence[float]) -> float:
    """The product of the local derivatives along a chain: f1 * f2 * ... * fn.

    For ``x -> u -> v -> L`` the factors are ``dL/dv, dv/du, du/dx`` and the product is
    ``dL/dx``: each link scales a small nudge of its input by its local derivative, so
    the nudges multiply. An empty chain (x itself) gives 1.0. Raises TypeError when
    ``factors`` is not a list of numbers, ValueError when one is NaN or infinite.
    """
    if isinstance(factors, (str, bytes, Mapping)) or not isinstance(factors, Iterable):
        raise TypeError(f"factors must be a list of numbers, got {describe(factors)}")
    if isinstance(factors, np.ndarray) and factors.ndim != 1:
        raise TypeError(f"factors must be a list of numbers, got {describe(factors)}")
    values = [_finite(f, f"factors[{i}]") for i, f in enumerate(factors)]
    return float(math.prod(values))


def edge_key(upper: str, lower: str) -> str:
    """The key of the local derivative on the edge ``upper <- lower``: ``"d{upper}/d{lower}"``.

    ``edge_key("O31", "O21") == "dO31/dO21"``, the derivative of O31 with respect to O21.
    """
    for name, value in (("upper", upper), ("lower", lower)):
        if not isinstance(value, str) or not value:
            raise TypeError(f"{name} must be a node name such as 'O21', got {describe(value)}")
    return f"d{upper}/d{lower}"


def _checked_path(path: object) -> tuple[str, ...]:
    if isinstance(path, (str, bytes)) or not isinstance(path, Sequence):
        raise TypeError(
            "path must be a list of node names from the top down, such as "
            f"['L', 'O31', 'W4'], got {describe(path)}"
        )
    nodes = tuple(path)
    if len(nodes) < 2:
        raise ValueError(f"path must hold at least two nodes (one edge), got {list(nodes)!r}")
    for i, node in enumerate(nodes):
        if not isinstance(node, str) or not node:
            raise TypeError(f"path[{i}] must be a node name such as 'O21', got {describe(node)}")
    return nodes


def _factor(d: Mapping[str, float], key: str, where: str) -> float:
    if key not in d:
        raise KeyError(f"d has no local derivative {key!r} (the edge {where}); it has "
                       f"{', '.join(repr(k) for k in d)}")
    return _finite(d[key], f"d[{key!r}]")


def _checked_local(d: object) -> Mapping[str, float]:
    if not isinstance(d, Mapping):
        raise TypeError(
            "d must be a dict of local derivatives such as {'dL/dO31': -0.9, ...}, "
            f"got {describe(d)}"
        )
    return d


def path_product(d: Mapping[str, float], path: Sequence[str]) -> float:
    """The product of the local derivatives along one path, e.g. L -> O31 -> W4.

    ``path`` lists node names from the top (L) down to the target; each step
    ``upper -> lower`` uses ``d["d{upper}/d{lower}"]`` (see :func:`edge_key`)::

        path_product(d, ["L", "O31", "O21"]) = d["dL/dO31"] * d["dO31/dO21"]

    Raises KeyError naming the edge whose local derivative ``d`` lacks.
    """
    local = _checked_local(d)
    nodes = _checked_path(path)
    product = 1.0
    for upper, lower in zip(nodes[:-1], nodes[1:], strict=True):
        product *= _factor(local, edge_key(upper, lower), f"{upper} -> {lower}")
    return float(product)


def sum_over_paths(d: Mapping[str, float], paths: Iterable[Sequence[str]]) -> float:
    """dL/d(target) as the sum of the path products of every path from L to the target::

        dL/dw = sum over paths p of  prod over the edges of p of  d(upper)/d(lower)

    The paths must all end at the same node. Raises ValueError for no path.
    """
    local = _checked_local(d)
    if isinstance(paths, (str, bytes)) or not isinstance(paths, Iterable):
        raise TypeError(f"paths must be a list of paths, got {describe(paths)}")
    checked = [_checked_path(p) for p in paths]
    if not checked:
        raise ValueError("paths must hold at least one path, got none")
    targets = {p[-1] for p in checked}
    if len(targets) != 1:
        raise ValueError(f"paths must all end at the same node, got ends {sorted(targets)}")
    return float(sum(path_product(local, p) for p in checked))


def dL_dW1(d: Mapping[str, float]) -> float:
    """dL/dW1 from the local derivatives d: the sum of the two path products (via O21, via O22).

    ::

        dL/dW1 = dL/dO31 * dO31/dO21 * dO21/dO11 * dO11/dW1
               + dL/dO31 * dO31/dO22 * dO22/dO11 * dO11/dW1

    Nudging W1 moves O11, and O11 feeds both O21 and O22: each carries part of the
    nudge to O31, and the two effects add. ``d`` needs the six keys above.
    """
    local = _checked_local(d)
    f = {key: _factor(local, key, where) for key, where in _W1_EDGES}
    via_O21 = f["dL/dO31"] * f["dO31/dO21"] * f["dO21/dO11"] * f["dO11/dW1"]
    via_O22 = f["dL/dO31"] * f["dO31/dO22"] * f["dO22/dO11"] * f["dO11/dW1"]
    return float(via_O21 + via_O22)


def dL_dW4(y: float, O21: float, O31: float) -> float:
    """dL/dW4 of the course network from y, O21 and O31: dL/dO31 * dO31/dW4.

    With L = (y - O31)^2 and O31 = sigmoid(z31), z31 = W4*O21 + W5*O22 + b4::

        dL/dO31  = -2 (y - O31)                   (the 2 comes from the square)
        dO31/dW4 = sigmoid'(z31) * O21 = O31 (1 - O31) * O21
        dL/dW4   = -2 (y - O31) * O31 (1 - O31) * O21

    One path only: W4 reaches L through O31 alone.
    """
    y_f = _finite(y, "y")
    O21_f = _finite(O21, "O21")
    O31_f = _finite(O31, "O31")
    return -2.0 * (y_f - O31_f) * O31_f * (1.0 - O31_f) * O21_f


# --- gates: add, multiply, max --------------------------------------------------------

GATES: tuple[str, ...] = ("add", "multiply", "max")
"""The gates of :func:`gate_value` and :func:`gate_gradients`."""


def _gate_kind(kind: object) -> str:
    if isinstance(kind, str) and kind in GATES:
        return kind
    raise ValueError(f"kind must be one of {', '.join(repr(g) for g in GATES)}, "
                     f"got {describe(kind)}")


def gate_value(kind: str, a: float, b: float) -> float:
    """The forward value of a two-input gate: ``a + b``, ``a * b`` or ``max(a, b)``."""
    gate = _gate_kind(kind)
    a_f, b_f = _finite(a, "a"), _finite(b, "b")
    if gate == "add":
        return a_f + b_f
    if gate == "multiply":
        return a_f * b_f
    return max(a_f, b_f)


def gate_gradients(kind: str, a: float, b: float, upstream: float) -> tuple[float, float]:
    """``(dL/da, dL/db)`` of a gate ``out = gate(a, b)``, given ``upstream = dL/dout``.

    The chain rule at one node, ``dL/da = dL/dout * d(out)/da``, with the gate's local
    derivatives::

        add:       d(a + b)/da = 1, d(a + b)/db = 1  ->  (upstream, upstream)
        multiply:  d(a * b)/da = b, d(a * b)/db = a  ->  (upstream * b, upstream * a)
        max:       1 for the larger input, 0 for the other
                   ->  (upstream, 0) if a > b,  (0, upstream) if b > a

    Add *distributes* the upstream gradient unchanged to both inputs; multiply *swaps*
    (each input gets the upstream gradient times the other input); max *routes* it all to
    the larger input. At a tie ``a == b`` max has no derivative; this function then routes
    to ``a``, the first input.
    """
    gate = _gate_kind(kind)
    a_f, b_f = _finite(a, "a"), _finite(b, "b")
    up = _finite(upstream, "upstream")
    if gate == "add":
        return up, up
    if gate == "multiply":
        return up * b_f, up * a_f
    return (up, 0.0) if a_f >= b_f else (0.0, up)
