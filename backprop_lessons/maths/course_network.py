"""The course network of the chain-rule lesson: one input, four neurons, one loss.

::

                  ┌── W2, b2 ──> O21 ── W4 ──┐
    x ── W1, b1 ──> O11                      ├──> O31 ──> L = (y - O31)^2
                  └── W3, b3 ──> O22 ── W5 ──┘   (bias b4)

Forward pass (``act`` is the activation, sigmoid by default)::

    z11 = W1*x + b1                 O11 = act(z11)
    z21 = W2*O11 + b2               O21 = act(z21)
    z22 = W3*O11 + b3               O22 = act(z22)
    z31 = W4*O21 + W5*O22 + b4      O31 = act(z31)
    L   = (y - O31)^2

Backward pass: every edge of the graph carries a local derivative (``dO31/dO21 =
act'(z31)*W4``, ...); ``dL/dW`` is the sum, over every path from L down to W, of the
product of the local derivatives along the path. W1 has two paths (through O21 and
through O22)::

    dL/dW1 = dL/dO31 * dO31/dO21 * dO21/dO11 * dO11/dW1
           + dL/dO31 * dO31/dO22 * dO22/dO11 * dO11/dW1

:func:`gradients` computes the same numbers by backpropagation, in reverse order,
reusing the upstream products; :func:`numerical_gradient` measures them by central
differences.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from .activations import sigmoid_scalar
from .calculus import numerical_derivative
from .validate import as_float, describe, require_finite, require_positive

__all__ = [
    "PARAM_NAMES",
    "NODE_NAMES",
    "ACTIVATIONS",
    "EDGES",
    "Path",
    "default_params",
    "checked_params",
    "checked_example",
    "default_example",
    "random_params",
    "forward",
    "local_derivatives",
    "edge_derivatives",
    "gradients",
    "node_gradients",
    "dL_dW1_two_paths",
    "paths_to",
    "path_products",
    "numerical_gradient",
]

PARAM_NAMES: tuple[str, ...] = ("W1", "W2", "W3", "W4", "W5", "b1", "b2", "b3", "b4")
"""The nine parameters of the course network, weights first."""

NODE_NAMES: tuple[str, ...] = ("O31", "O21", "O22", "O11", "x")
"""The nodes below L whose gradient dL/d(node) the chain rule can reach."""

EDGES: tuple[tuple[str, str, str], ...] = (
    ("L", "O31", "dL/dO31"),
    ("O31", "O21", "dO31/dO21"),
    ("O31", "O22", "dO31/dO22"),
    ("O31", "W4", "dO31/dW4"),
    ("O31", "W5", "dO31/dW5"),
    ("O31", "b4", "dO31/db4"),
    ("O21", "O11", "dO21/dO11"),
    ("O21", "W2", "dO21/dW2"),
    ("O21", "b2", "dO21/db2"),
    ("O22", "O11", "dO22/dO11"),
    ("O22", "W3", "dO22/dW3"),
    ("O22", "b3", "dO22/db3"),
    ("O11", "x", "dO11/dx"),
    ("O11", "W1", "dO11/dW1"),
    ("O11", "b1", "dO11/db1"),
)
"""The computation graph as ``(upper, lower, local derivative key)``: ``upper`` is
computed from ``lower`` and the edge carries ``d(upper)/d(lower)``. Edges leave each
node in a fixed order (O21 before O22), so paths come out in the lesson's order."""


# --- activations: value and derivative side by side (scalars) -----------------------


def _sigmoid_prime(z: float) -> float:
    """sigma'(z) = sigma(z) * (1 - sigma(z))."""
    s = sigmoid_scalar(z)
    return s * (1.0 - s)


def _tanh_prime(z: float) -> float:
    """tanh'(z) = 1 - tanh(z)^2."""
    t = math.tanh(z)
    return 1.0 - t * t


def _identity(z: float) -> float:
    """identity(z) = z."""
    return z


def _identity_prime(z: float) -> float:
    """identity'(z) = 1."""
    return 1.0


_ACTIVATION_FUNCTIONS: dict[str, tuple[Callable[[float], float], Callable[[float], float]]] = {
    "sigmoid": (sigmoid_scalar, _sigmoid_prime),
    "tanh": (math.tanh, _tanh_prime),
    "identity": (_identity, _identity_prime),
}

ACTIVATIONS: tuple[str, ...] = tuple(_ACTIVATION_FUNCTIONS)
"""The activation names accepted by every function of this module."""


def _activation(activation: object) -> tuple[Callable[[float], float], Callable[[float], float]]:
    """(act, act') for the name ``activation``, or a ValueError listing the valid names."""
    if isinstance(activation, str) and activation in _ACTIVATION_FUNCTIONS:
        return _ACTIVATION_FUNCTIONS[activation]
    valid = ", ".join(repr(a) for a in ACTIVATIONS)
    raise ValueError(f"activation must be one of {valid}, got {describe(activation)}")


# --- parameters and examples -----------------------------------------------------------


def default_params() -> dict[str, float]:
    """The fixed, readable parameters the lesson works with by hand."""
    return {
        "W1": 0.5,
        "W2": -0.8,
        "W3": 0.7,
        "W4": 1.2,
        "W5": -0.6,
        "b1": 0.1,
        "b2": 0.2,
        "b3": -0.1,
        "b4": 0.05,
    }


def default_example() -> tuple[float, float]:
    """The lesson's training example ``(x, y)``."""
    return 1.5, 1.0


def random_params(rng: np.random.Generator, scale: float = 1.0) -> dict[str, float]:
    """Nine parameters drawn from a normal distribution N(0, scale^2), in PARAM_NAMES order.

    ``rng`` is a numpy Generator (``np.random.default_rng(seed)``), so the draw is
    reproducible from its seed.
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be a numpy Generator such as np.random.default_rng(0), got {describe(rng)}"
        )
    scale_f = require_positive(scale, "scale")
    values = rng.normal(0.0, scale_f, size=len(PARAM_NAMES))
    return {name: float(v) for name, v in zip(PARAM_NAMES, values, strict=True)}


def checked_params(params: object) -> dict[str, float]:
    """``params`` as a dict of nine finite floats, or an error naming what is wrong."""
    if not isinstance(params, Mapping):
        raise TypeError(
            f"params must be a dict with the keys {', '.join(PARAM_NAMES)}, got {describe(params)}"
        )
    missing = [name for name in PARAM_NAMES if name not in params]
    extra = [repr(key) for key in params if key not in PARAM_NAMES]
    if missing or extra:
        problems = []
        if missing:
            problems.append(f"missing {', '.join(missing)}")
        if extra:
            problems.append(f"unexpected {', '.join(extra)}")
        raise ValueError(
            f"params must have exactly the keys {', '.join(PARAM_NAMES)}: {'; '.join(problems)}"
        )
    checked = {}
    for name in PARAM_NAMES:
        label = f"params[{name!r}]"
        value = as_float(params[name], label)
        require_finite(np.asarray(value), label)
        checked[name] = value
    return checked


def checked_example(x: object, y: object) -> tuple[float, float]:
    """``(x, y)`` as two finite floats, or an error naming the argument that is not."""
    x_f = as_float(x, "x")
    require_finite(np.asarray(x_f), "x")
    y_f = as_float(y, "y")
    require_finite(np.asarray(y_f), "y")
    return x_f, y_f


# --- forward pass ------------------------------------------------------------------------


def _forward(x: float, y: float, p: Mapping[str, float], act: Callable[[float], float]):
    z11 = p["W1"] * x + p["b1"]
    O11 = act(z11)
    z21 = p["W2"] * O11 + p["b2"]
    O21 = act(z21)
    z22 = p["W3"] * O11 + p["b3"]
    O22 = act(z22)
    z31 = p["W4"] * O21 + p["W5"] * O22 + p["b4"]
    O31 = act(z31)
    L = (y - O31) ** 2
    return {
        "x": x, "y": y,
        "z11": z11, "O11": O11,
        "z21": z21, "O21": O21,
        "z22": z22, "O22": O22,
        "z31": z31, "O31": O31,
        "L": L,
    }  # fmt: skip


def forward(
    x: float, y: float, params: Mapping[str, float], activation: str = "sigmoid"
) -> dict[str, float]:
    """The forward pass, keeping every intermediate (they are needed going backward).

    ::

        z11 = W1*x + b1,              O11 = act(z11)
        z21 = W2*O11 + b2,            O21 = act(z21)
        z22 = W3*O11 + b3,            O22 = act(z22)
        z31 = W4*O21 + W5*O22 + b4,   O31 = act(z31)
        L   = (y - O31)^2

    Returns floats under the keys x, y, z11, O11, z21, O21, z22, O22, z31, O31, L.
    ``params`` must hold exactly the nine PARAM_NAMES as finite numbers; ``activation``
    is one of ACTIVATIONS.
    """
    act, _ = _activation(activation)
    x_f, y_f = checked_example(x, y)
    return _forward(x_f, y_f, checked_params(params), act)


# --- local derivatives and backpropagation ---------------------------------------------


def local_derivatives(
    x: float, y: float, params: Mapping[str, float], activation: str = "sigmoid"
) -> dict[str, float]:
    """The local derivative carried by every edge of the graph (see EDGES)::

        dL/dO31   = -2 (y - O31)
        dO31/dO21 = act'(z31) W4     dO31/dO22 = act'(z31) W5
        dO31/dW4  = act'(z31) O21    dO31/dW5  = act'(z31) O22    dO31/db4 = act'(z31)
        dO21/dO11 = act'(z21) W2     dO21/dW2  = act'(z21) O11    dO21/db2 = act'(z21)
        dO22/dO11 = act'(z22) W3     dO22/dW3  = act'(z22) O11    dO22/db3 = act'(z22)
        dO11/dW1  = act'(z11) x      dO11/db1  = act'(z11)        dO11/dx  = act'(z11) W1

    Each is the derivative of one node with respect to one of its direct inputs,
    everything else held fixed; the chain rule multiplies them along a path.
    """
    act, act_prime = _activation(activation)
    x_f, y_f = checked_example(x, y)
    p = checked_params(params)
    f = _forward(x_f, y_f, p, act)
    a11, a21 = act_prime(f["z11"]), act_prime(f["z21"])
    a22, a31 = act_prime(f["z22"]), act_prime(f["z31"])
    return {
        "dL/dO31": -2.0 * (y_f - f["O31"]),
        "dO31/dO21": a31 * p["W4"],
        "dO31/dO22": a31 * p["W5"],
        "dO31/dW4": a31 * f["O21"],
        "dO31/dW5": a31 * f["O22"],
        "dO31/db4": a31,
        "dO21/dO11": a21 * p["W2"],
        "dO21/dW2": a21 * f["O11"],
        "dO21/db2": a21,
        "dO22/dO11": a22 * p["W3"],
        "dO22/dW3": a22 * f["O11"],
        "dO22/db3": a22,
        "dO11/dx": a11 * p["W1"],
        "dO11/dW1": a11 * x_f,
        "dO11/db1": a11,
    }


def edge_derivatives(out: float, W: float, a: float) -> tuple[float, float]:
    """(dO/da, dO/dW) on the edge of input a, weight W, into a sigmoid neuron of output out.

    The neuron computes ``O = sigmoid(z)`` with ``z = ... + W*a + ...`` (the input ``a``
    enters through the weight ``W``); ``out`` is its output O. The sigmoid's slope, written
    from its output, is ``sigmoid'(z) = O (1 - O)``; the product ``W*a`` has
    ``d(W*a)/da = W`` and ``d(W*a)/dW = a``. So::

        dO/da = O (1 - O) W          dO/dW = O (1 - O) a

    Every weighted edge of the course network is one of these (e.g. ``dO31/dO21`` and
    ``dO31/dW4`` are ``edge_derivatives(O31, W4, O21)``); a bias is a weight whose input
    is 1, so ``dO/db = edge_derivatives(O, b, 1)[1] = O (1 - O)``. ``out`` must lie in
    [0, 1], the range of a sigmoid; all three must be finite numbers.
    """
    O_f = as_float(out, "out")
    W_f = as_float(W, "W")
    a_f = as_float(a, "a")
    for value, name in ((O_f, "out"), (W_f, "W"), (a_f, "a")):
        require_finite(np.asarray(value), name)
    if not 0.0 <= O_f <= 1.0:
        raise ValueError(f"out must be a sigmoid neuron's output, between 0 and 1, got {O_f}")
    slope = O_f * (1.0 - O_f)
    return slope * W_f, slope * a_f


def _backward(x: float, y: float, params: Mapping[str, float], activation: str) -> dict[str, float]:
    """dL/d(everything): parameters and nodes, by one reverse sweep."""
    act, act_prime = _activation(activation)
    x_f, y_f = checked_example(x, y)
    p = checked_params(params)
    f = _forward(x_f, y_f, p, act)
    # Output neuron: dL/dz31 = dL/dO31 * act'(z31), shared by W4, W5, b4, O21, O22.
    dL_dO31 = -2.0 * (y_f - f["O31"])
    dL_dz31 = dL_dO31 * act_prime(f["z31"])
    dL_dO21 = dL_dz31 * p["W4"]
    dL_dO22 = dL_dz31 * p["W5"]
    # Hidden neurons: each reuses dL/dO2k from above.
    dL_dz21 = dL_dO21 * act_prime(f["z21"])
    dL_dz22 = dL_dO22 * act_prime(f["z22"])
    # O11 feeds both hidden neurons: its two paths meet here and add.
    dL_dO11 = dL_dz21 * p["W2"] + dL_dz22 * p["W3"]
    dL_dz11 = dL_dO11 * act_prime(f["z11"])
    return {
        "W1": dL_dz11 * x_f,
        "W2": dL_dz21 * f["O11"],
        "W3": dL_dz22 * f["O11"],
        "W4": dL_dz31 * f["O21"],
        "W5": dL_dz31 * f["O22"],
        "b1": dL_dz11,
        "b2": dL_dz21,
        "b3": dL_dz22,
        "b4": dL_dz31,
        "O31": dL_dO31,
        "O21": dL_dO21,
        "O22": dL_dO22,
        "O11": dL_dO11,
        "x": dL_dz11 * p["W1"],
    }


def gradients(
    x: float, y: float, params: Mapping[str, float], activation: str = "sigmoid"
) -> dict[str, float]:
    """dL/dW1..dL/dW5 and dL/db1..dL/db4 by backpropagation, keyed "W1".."b4".

    One reverse sweep; each product is computed once and reused below it::

        dL/dz31 = -2 (y - O31) act'(z31)
        dL/dW4  = dL/dz31 O21     dL/dW5 = dL/dz31 O22     dL/db4 = dL/dz31
        dL/dz21 = dL/dz31 W4 act'(z21)     dL/dz22 = dL/dz31 W5 act'(z22)
        dL/dW2  = dL/dz21 O11     dL/db2 = dL/dz21
        dL/dW3  = dL/dz22 O11     dL/db3 = dL/dz22
        dL/dz11 = (dL/dz21 W2 + dL/dz22 W3) act'(z11)      (the two paths add)
        dL/dW1  = dL/dz11 x       dL/db1 = dL/dz11
    """
    grads = _backward(x, y, params, activation)
    return {name: grads[name] for name in PARAM_NAMES}


def node_gradients(
    x: float, y: float, params: Mapping[str, float], activation: str = "sigmoid"
) -> dict[str, float]:
    """dL/dO31, dL/dO21, dL/dO22, dL/dO11 and dL/dx by backpropagation, keyed by node::

    dL/dO31 = -2 (y - O31)
    dL/dO21 = dL/dO31 act'(z31) W4         dL/dO22 = dL/dO31 act'(z31) W5
    dL/dO11 = dL/dO21 act'(z21) W2 + dL/dO22 act'(z22) W3
    dL/dx   = dL/dO11 act'(z11) W1
    """
    grads = _backward(x, y, params, activation)
    return {name: grads[name] for name in NODE_NAMES}


def dL_dW1_two_paths(
    x: float, y: float, params: Mapping[str, float], activation: str = "sigmoid"
) -> tuple[float, float, float]:
    """The chain rule for W1, path by path: ``(through O21, through O22, their sum)``::

        through O21: dL/dO31 * dO31/dO21 * dO21/dO11 * dO11/dW1
        through O22: dL/dO31 * dO31/dO22 * dO22/dO11 * dO11/dW1
        dL/dW1 = through O21 + through O22

    Dropping either path is the classic mistake; the sum equals ``gradients()["W1"]``.
    """
    d = local_derivatives(x, y, params, activation)
    through_O21 = d["dL/dO31"] * d["dO31/dO21"] * d["dO21/dO11"] * d["dO11/dW1"]
    through_O22 = d["dL/dO31"] * d["dO31/dO22"] * d["dO22/dO11"] * d["dO11/dW1"]
    return through_O21, through_O22, through_O21 + through_O22


# --- paths of the chain rule -----------------------------------------------------------


def _subscripted(symbol: str) -> str:
    """'O31' -> 'O_{31}', 'W1' -> 'W_{1}', 'L' -> 'L' (LaTeX)."""
    head, tail = symbol[0], symbol[1:]
    return f"{head}_{{{tail}}}" if tail else head


@dataclass(frozen=True)
class Path:
    """One path of the chain rule from L down to a target, e.g. L -> O31 -> O21 -> O11 -> W1.

    ``nodes`` lists the nodes from L to the target; ``factors`` the keys of the local
    derivatives met on the way (as in :func:`local_derivatives`), one per edge. The
    path contributes the product of its factors to dL/d(target).
    """

    nodes: tuple[str, ...]
    factors: tuple[str, ...]

    @property
    def target(self) -> str:
        """The node or parameter the path ends at."""
        return self.nodes[-1]

    def __str__(self) -> str:
        """The product as the lesson writes it: '∂L/∂O31 · ∂O31/∂O21 · ...'."""
        return " · ".join(key.replace("d", "∂", 1).replace("/d", "/∂", 1) for key in self.factors)

    def latex(self) -> str:
        r"""The product in LaTeX: '\frac{\partial L}{\partial O_{31}} \cdot ...'."""
        parts = []
        for upper, lower in zip(self.nodes[:-1], self.nodes[1:], strict=True):
            parts.append(
                rf"\frac{{\partial {_subscripted(upper)}}}{{\partial {_subscripted(lower)}}}"
            )
        return r" \cdot ".join(parts)


def _all_paths() -> dict[str, list[Path]]:
    """Every path from L to every node below it, by a depth-first walk over EDGES."""
    found: dict[str, list[Path]] = {}
    stack: list[tuple[tuple[str, ...], tuple[str, ...]]] = [(("L",), ())]
    while stack:
        nodes, factors = stack.pop()
        if len(nodes) > 1:
            found.setdefault(nodes[-1], []).append(Path(nodes, factors))
        below = [(lower, key) for upper, lower, key in EDGES if upper == nodes[-1]]
        for lower, key in reversed(below):  # reversed: the first edge is walked first
            stack.append((nodes + (lower,), factors + (key,)))
    return found


_PATHS: dict[str, list[Path]] = _all_paths()
_TARGETS: tuple[str, ...] = PARAM_NAMES + NODE_NAMES


def paths_to(name: str) -> list[Path]:
    """Every path from L down to ``name`` (a parameter W1..W5, b1..b4 or a node O31, O21,
    O22, O11, x), in the lesson's order (through O21 before through O22).

    dL/d(name) = sum over these paths of the product of their factors.
    W1, b1, O11 and x have two paths; every other target has one.
    """
    if not isinstance(name, str) or name not in _TARGETS:
        raise ValueError(f"name must be one of {', '.join(_TARGETS)}, got {describe(name)}")
    return list(_PATHS[name])


def path_products(
    x: float,
    y: float,
    params: Mapping[str, float],
    name: str,
    activation: str = "sigmoid",
) -> list[tuple[Path, tuple[float, ...], float]]:
    """For each path from L to ``name``: ``(path, its factor values, their product)``.

    The products add up to dL/d(name)::

        dL/d(name) = sum over paths of  prod over the path's edges of  d(upper)/d(lower)
    """
    paths = paths_to(name)
    d = local_derivatives(x, y, params, activation)
    result = []
    for path in paths:
        values = tuple(d[key] for key in path.factors)
        result.append((path, values, math.prod(values)))
    return result


# --- numerical check ----------------------------------------------------------------------


def numerical_gradient(
    x: float,
    y: float,
    params: Mapping[str, float],
    name: str,
    h: float = 1e-5,
    activation: str = "sigmoid",
) -> float:
    """dL/d(name) measured by a central difference, with every other input held fixed::

        dL/dW ~ (L(W + h) - L(W - h)) / (2 h)

    ``name`` is a parameter (W1..W5, b1..b4) or the input ``x``. Two errors compete:
    truncation, O(h^2), and rounding, about eps * |L| / h with eps = 2.2e-16. With the
    default h = 1e-5 both stay near 1e-11. Whether the result and :func:`gradients` agree
    is judged by the course's one rule, :func:`backprop_lessons.maths.gradcheck.gradients_agree`:
    ``|a - b| <= 1e-7 * (|a| + |b|)`` plus the finite-difference noise
    ``10 * eps * |L| / h``, which is what counts when a gradient is tiny.
    """
    act, _ = _activation(activation)
    x_f, y_f = checked_example(x, y)
    p = checked_params(params)
    h_f = require_positive(h, "h")
    if not isinstance(name, str) or name not in PARAM_NAMES + ("x",):
        raise ValueError(f"name must be one of {', '.join(PARAM_NAMES)}, x, got {describe(name)}")

    def L_at(shift: float) -> float:
        if name == "x":
            return _forward(x_f + shift, y_f, p, act)["L"]
        shifted = dict(p)
        shifted[name] = p[name] + shift
        return _forward(x_f, y_f, shifted, act)["L"]

    return numerical_derivative(L_at, 0.0, h_f)
