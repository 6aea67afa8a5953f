"""Automatic differentiation by hand: reverse mode over a named graph, forward mode with
dual numbers, and the cost of each (lesson 07).

A computational graph here is plain data, so that a learner can write the algorithms:

- ``children``: ``{node: [its children]}``, the nodes each node was computed from, in
  the order they were used (a leaf has no entry, or an empty list);
- ``local_grads``: ``{node: [d(node)/d(child) for each child]}``, the local derivatives
  stored beside each operation;
- an ``order``: every node once, each node after all of its children (a *topological
  order*), the root (the loss L) last.

Reverse mode (backpropagation) seeds dL/dL = 1 and walks the order backwards; each node
passes ``grad[child] += d(node)/d(child) * grad[node]`` to its children. A node used on
two paths receives both contributions (the sum over paths of lesson 02). One backward
pass gives dL/d(every node).

Forward mode pushes a *tangent* along with every value: a dual number ``(v, v_dot)``
with ``v_dot = dv/dt`` for one chosen input t. One forward pass gives d(every output)/dt
for that one input, so the gradient of a loss over n weights needs n passes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

from .activations import sigmoid_scalar
from .autodiff import Value
from .course_network import PARAM_NAMES, checked_example, checked_params
from .validate import as_float, describe, is_real_number

__all__ = [
    "neuron_expression",
    "LOCAL_OPS",
    "local_gradients",
    "Graph",
    "graph_of",
    "topological_order",
    "backward_pass",
    "Dual",
    "dual_multiply",
    "forward_mode_gradient",
    "reverse_mode_gradient",
    "count_operations",
    "n_parameters",
    "network_loss",
    "pass_counts",
    "course_values",
    "course_network_as_layers",
]


# --- local backward rules ----------------------------------------------------------------

LOCAL_OPS: tuple[str, ...] = ("+", "*", "tanh", "sigmoid")
"""The operations :func:`local_gradients` knows."""

_ARITY = {"+": 2, "*": 2, "tanh": 1, "sigmoid": 1}


def local_gradients(op: str, inputs: Sequence[float]) -> tuple[float, ...]:
    """The local derivatives d(out)/d(input) of the operation op, one per input.

    ::

        out = a + b        ->  (1, 1)
        out = a * b        ->  (b, a)              each input's derivative is the other input
        out = tanh(a)      ->  (1 - tanh(a)^2,)
        out = sigmoid(a)   ->  (sigma(a) (1 - sigma(a)),)

    ``op`` is one of LOCAL_OPS; ``inputs`` holds the forward values of the inputs
    (two numbers for + and *, one for tanh and sigmoid).
    """
    if not isinstance(op, str) or op not in _ARITY:
        valid = ", ".join(repr(o) for o in LOCAL_OPS)
        raise ValueError(f"op must be one of {valid}, got {describe(op)}")
    if isinstance(inputs, (str, bytes)) or not isinstance(inputs, Sequence):
        raise TypeError(f"inputs must be a list of numbers, got {describe(inputs)}")
    if len(inputs) != _ARITY[op]:
        raise ValueError(
            f"inputs of {op!r} must hold {_ARITY[op]} number(s), got {len(inputs)}"
        )
    xs = [as_float(v, f"inputs[{i}]") for i, v in enumerate(inputs)]
    if op == "+":
        return (1.0, 1.0)
    if op == "*":
        a, b = xs
        return (b, a)
    if op == "tanh":
        t = math.tanh(xs[0])
        return (1.0 - t * t,)
    s = sigmoid_scalar(xs[0])
    return (s * (1.0 - s),)


# --- a Value graph as plain data -----------------------------------------------------------


class Graph(NamedTuple):
    """A Value graph by node names: the order of :meth:`Value.nodes`, each node's
    children, local derivatives and forward value."""

    order: list[str]
    children: dict[str, list[str]]
    local_grads: dict[str, list[float]]
    data: dict[str, float]


def neuron_expression() -> Value:
    """The lessons' smallest expression as a graph of Values, before ``backward()``:
    ``L = (w·x + b − y)²`` at w = 2, x = 1.5, b = −1, y = 1 (so L = 1, dL/dw = 3)."""
    w, x = Value(2.0, label="w"), Value(1.5, label="x")
    b, y = Value(-1.0, label="b"), Value(1.0, label="y")
    wx = w * x
    wx.label = "w·x"
    z = wx + b
    z.label = "z"
    d = z - y
    d.label = "z − y"
    L = d**2
    L.label = "L"
    return L


def graph_of(root: Value) -> Graph:
    """The graph under ``root`` as plain data, nodes named by their labels.

    A node without a label is named after its operation and its position in the order
    (``"*3"``, ``"leaf5"``). Two nodes with the same label are an error: names must tell
    the nodes apart.
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {describe(root)}")
    nodes = root.nodes()
    names: dict[Value, str] = {}
    used: dict[str, int] = {}
    for i, node in enumerate(nodes):
        name = node.label or f"{node.op or 'leaf'}{i}"
        if name in used:
            raise ValueError(
                f"root's graph has two nodes named {name!r} (positions {used[name]} and {i} "
                "of root.nodes()); give every node a distinct label"
            )
        used[name] = i
        names[node] = name
    children = {names[n]: [names[c] for c in n.children] for n in nodes if n.children}
    local = {names[n]: list(n.local_grads) for n in nodes if n.children}
    return Graph([names[n] for n in nodes], children, local, {names[n]: n.data for n in nodes})


# --- reverse mode --------------------------------------------------------------------------


def _checked_children(children: object) -> Mapping[str, Sequence[str]]:
    if not isinstance(children, Mapping):
        raise TypeError(
            f"children must be a dict {{node: [its children]}}, got {describe(children)}"
        )
    for node, kids in children.items():
        if isinstance(kids, (str, bytes)) or not isinstance(kids, Sequence):
            raise TypeError(
                f"children[{node!r}] must be a list of node names, got {describe(kids)}"
            )
    return children


def topological_order(children: Mapping[str, Sequence[str]], root: str) -> list[str]:
    """Every node root depends on, each once, each after its children, root last.

    A depth-first walk from ``root``: a node is written down only after all of its
    children have been written down (children visited in the order they were used). A
    node reached along two paths is visited once (a set of visited nodes). Iterative, so
    long chains do not hit Python's recursion limit. A cycle is an error (a
    computational graph has none).
    """
    children = _checked_children(children)
    order: list[str] = []
    done: set[str] = set()
    on_path: set[str] = {root}
    stack: list[tuple[str, int]] = [(root, 0)]
    while stack:
        node, i = stack.pop()
        kids = children.get(node, ())
        if i < len(kids):
            stack.append((node, i + 1))
            child = kids[i]
            if child in on_path:
                raise ValueError(
                    f"children has a cycle through {child!r}: a node cannot depend on itself"
                )
            if child not in done:
                on_path.add(child)
                stack.append((child, 0))
        else:
            on_path.discard(node)
            done.add(node)
            order.append(node)
    return order


def backward_pass(
    order: Sequence[str],
    children: Mapping[str, Sequence[str]],
    local_grads: Mapping[str, Sequence[float]],
) -> dict[str, float]:
    """d(root)/d(node) for every node of order (root = order[-1]), by reverse mode.

    ::

        grad[node] = 0 for every node;  grad[root] = 1       (dL/dL = 1)
        for node in reversed(order):                           (users before their inputs)
            for child, d in zip(children[node], local_grads[node]):
                grad[child] += d * grad[node]                  (+=: paths add up)

    ``order`` is a topological order (children first); ``local_grads[node][k]`` is
    d(node)/d(children[node][k]). When a node is reached, every node that uses it has
    already passed its share, so its gradient is complete before it is passed on.
    """
    if isinstance(order, (str, bytes)) or not isinstance(order, Sequence) or not order:
        raise TypeError(f"order must be a non-empty list of node names, got {describe(order)}")
    children = _checked_children(children)
    if not isinstance(local_grads, Mapping):
        raise TypeError(
            f"local_grads must be a dict {{node: [local derivatives]}}, got "
            f"{describe(local_grads)}"
        )
    grad = {node: 0.0 for node in order}
    for node, kids in children.items():
        if node not in grad:
            raise ValueError(f"children names node {node!r}, which is not in order")
        missing = [k for k in kids if k not in grad]
        if missing:
            raise ValueError(f"children[{node!r}] names {missing}, not in order")
        if node not in local_grads or len(local_grads[node]) != len(kids):
            got = len(local_grads[node]) if node in local_grads else "none"
            raise ValueError(
                f"local_grads[{node!r}] must give one local derivative per child: expected "
                f"{len(kids)}, got {got}"
            )
    grad[order[-1]] = 1.0
    for node in reversed(order):
        for child, d in zip(children.get(node, ()), local_grads.get(node, ()), strict=True):
            grad[child] += float(d) * grad[node]
    return grad


# --- forward mode: dual numbers ----------------------------------------------------------------


class Dual:
    """A dual number ``value + dot·ε`` (ε² = 0): a value and its tangent ``dot`` = d(value)/dt
    for one chosen input t. Each operation computes its value and its tangent side by side::

        (a, a') + (b, b') = (a + b, a' + b')
        (a, a') * (b, b') = (a b, a' b + a b')          the product rule
        (a, a') ** n      = (a^n, n a^(n-1) a')
        f((a, a'))        = (f(a), f'(a) a')            for exp, tanh, sigmoid

    Seed the input you differentiate with ``dot = 1`` and every other input with 0; the
    output's ``dot`` is then d(output)/d(that input).
    """

    __slots__ = ("value", "dot")

    def __init__(self, value: float, dot: float = 0.0) -> None:
        self.value = as_float(value, "value")
        self.dot = as_float(dot, "dot")

    @staticmethod
    def _lift(other: object, op: str) -> Dual:
        if isinstance(other, Dual):
            return other
        if is_real_number(other):
            return Dual(float(other), 0.0)  # a constant: its tangent is 0
        raise TypeError(
            f"unsupported operand for {op}: Dual and {type(other).__name__} "
            f"(expected a Dual or a real number, got {describe(other)})"
        )

    def __add__(self, other: Dual | float) -> Dual:
        o = self._lift(other, "+")
        return Dual(self.value + o.value, self.dot + o.dot)

    __radd__ = __add__

    def __mul__(self, other: Dual | float) -> Dual:
        o = self._lift(other, "*")
        return Dual(self.value * o.value, self.dot * o.value + self.value * o.dot)

    __rmul__ = __mul__

    def __neg__(self) -> Dual:
        return Dual(-self.value, -self.dot)

    def __sub__(self, other: Dual | float) -> Dual:
        return self + (-self._lift(other, "-"))

    def __rsub__(self, other: float) -> Dual:
        return self._lift(other, "-") - self

    def __truediv__(self, other: Dual | float) -> Dual:
        o = self._lift(other, "/")
        if o.value == 0.0:
            raise ZeroDivisionError("division by a Dual whose value is 0.0")
        # (a/b)' = a'/b - a b'/b^2
        return Dual(self.value / o.value, self.dot / o.value - self.value * o.dot / o.value**2)

    def __rtruediv__(self, other: float) -> Dual:
        return self._lift(other, "/") / self

    def __pow__(self, exponent: float) -> Dual:
        if not is_real_number(exponent):
            raise TypeError(f"exponent of ** must be a number, got {describe(exponent)}")
        n = float(exponent)
        return Dual(self.value**n, n * self.value ** (n - 1.0) * self.dot)

    def exp(self) -> Dual:
        e = math.exp(self.value)
        return Dual(e, e * self.dot)

    def tanh(self) -> Dual:
        t = math.tanh(self.value)
        return Dual(t, (1.0 - t * t) * self.dot)

    def sigmoid(self) -> Dual:
        s = sigmoid_scalar(self.value)
        return Dual(s, s * (1.0 - s) * self.dot)

    def __repr__(self) -> str:
        return f"Dual(value={self.value!r}, dot={self.dot!r})"


def dual_multiply(a: float, a_dot: float, b: float, b_dot: float) -> tuple[float, float]:
    """The product of the dual numbers (a, a_dot) and (b, b_dot), as a pair (value, tangent).

    ``(a b, a_dot b + a b_dot)``: the tangent follows the product rule. If a and b
    both depend on t, then d(a b)/dt = (da/dt) b + a (db/dt).
    """
    a_f, ad_f = as_float(a, "a"), as_float(a_dot, "a_dot")
    b_f, bd_f = as_float(b, "b"), as_float(b_dot, "b_dot")
    return (a_f * b_f, ad_f * b_f + a_f * bd_f)


def _checked_inputs(inputs: object) -> list[float]:
    if isinstance(inputs, (str, bytes)) or not isinstance(inputs, Sequence | np.ndarray):
        raise TypeError(f"inputs must be a list of numbers, got {describe(inputs)}")
    return [as_float(v, f"inputs[{i}]") for i, v in enumerate(inputs)]


def forward_mode_gradient(f: Callable[[list[Any]], Any], inputs: Sequence[float]) -> list[float]:
    """dL/d(input_i) for every input of ``L = f(inputs)``, by forward mode: one pass per input.

    Pass i runs ``f`` on Duals with ``dot = 1`` for input i and 0 for the others; the
    output's ``dot`` is dL/d(input_i). n inputs cost n passes. ``f`` takes a list and
    uses only arithmetic and the methods exp, tanh, sigmoid.
    """
    xs = _checked_inputs(inputs)
    grads = []
    for i in range(len(xs)):
        out = f([Dual(x, 1.0 if j == i else 0.0) for j, x in enumerate(xs)])
        if not isinstance(out, Dual):
            raise TypeError(
                f"f must return one number computed from its inputs, got {describe(out)}"
            )
        grads.append(out.dot)
    return grads


def reverse_mode_gradient(f: Callable[[list[Any]], Any], inputs: Sequence[float]) -> list[float]:
    """dL/d(input_i) for every input of ``L = f(inputs)``, by reverse mode: one forward pass
    on Values (building the graph), one backward pass, whatever the number of inputs."""
    xs = [Value(x) for x in _checked_inputs(inputs)]
    out = f(xs)
    if not isinstance(out, Value):
        raise TypeError(f"f must return one number computed from its inputs, got {describe(out)}")
    out.backward()
    return [x.grad for x in xs]


def count_operations(root: Value) -> int:
    """The number of operations (non-leaf nodes) in ``root``'s graph: the work of one
    forward pass, and about the work of one backward pass (each node is visited once)."""
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {describe(root)}")
    return sum(1 for node in root.nodes() if node.children)


# --- networks written with scalars ----------------------------------------------------------


def _checked_sizes(layer_sizes: object) -> list[int]:
    if isinstance(layer_sizes, (str, bytes)) or not isinstance(layer_sizes, Sequence):
        raise TypeError(f"layer_sizes must be a list of positive integers, got "
                        f"{describe(layer_sizes)}")
    sizes = list(layer_sizes)
    if len(sizes) < 2 or any(
        isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 1 for s in sizes
    ):
        raise ValueError(
            f"layer_sizes must list at least two positive integers (inputs, ..., outputs), "
            f"got {sizes}"
        )
    return [int(s) for s in sizes]


def n_parameters(layer_sizes: Sequence[int]) -> int:
    """The number of weights and biases of a dense network: sum of (n_in + 1) n_out."""
    sizes = _checked_sizes(layer_sizes)
    return sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))


def network_loss(theta: Sequence[Any], layer_sizes: Sequence[int], x: Sequence[float],
                 y: Sequence[float]) -> Any:
    """The squared error of a sigmoid network on one example, written with scalars::

        a = x;  for each layer: a_j = sigmoid(sum_k W_kj a_k + b_j)
        L = (1/n_out) sum_j (a_j - y_j)^2

    ``theta`` lists the parameters layer by layer, each layer's W row by row (n_in rows
    of n_out), then its b. Its items may be floats, Values or Duals, so the same program
    runs forward (floats), in reverse mode (Values) or in forward mode (Duals).
    """
    sizes = _checked_sizes(layer_sizes)
    n = n_parameters(sizes)
    if len(theta) != n:
        raise ValueError(f"theta must hold {n} parameters for layers {sizes}, got {len(theta)}")
    if len(x) != sizes[0] or len(y) != sizes[-1]:
        raise ValueError(
            f"x must hold {sizes[0]} numbers and y {sizes[-1]}, got {len(x)} and {len(y)}"
        )
    a: list[Any] = list(x)
    k = 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        W = [theta[k + r * n_out: k + (r + 1) * n_out] for r in range(n_in)]
        k += n_in * n_out
        b = theta[k: k + n_out]
        k += n_out
        out = []
        for j in range(n_out):
            z = b[j]
            for r in range(n_in):
                z = z + W[r][j] * a[r]
            out.append(z.sigmoid() if hasattr(z, "sigmoid") else sigmoid_scalar(float(z)))
        a = out
    loss = (a[0] - y[0]) ** 2
    for j in range(1, len(a)):
        loss = loss + (a[j] - y[j]) ** 2
    return loss * (1.0 / len(a))


def pass_counts(layer_sizes: Sequence[int], seed: int = 0) -> dict[str, int]:
    """What the gradient of one example's loss costs, in passes and in operations::

        n_params            the number of inputs of L (weights and biases)
        ops                 operations of one forward pass (nodes of the graph)
        forward_passes      forward mode: one pass per parameter = n_params
        forward_mode_ops    n_params passes x ops (each computes values and tangents)
        reverse_passes      reverse mode: 1 forward + 1 backward = 2
        reverse_mode_ops    2 x ops

    The operation counts come from the graph of :func:`network_loss` at seeded
    parameters (the count does not depend on their values).
    """
    sizes = _checked_sizes(layer_sizes)
    n = n_parameters(sizes)
    rng = np.random.default_rng(seed)
    theta = [Value(float(v)) for v in rng.normal(size=n)]
    x = [float(v) for v in rng.normal(size=sizes[0])]
    y = [float(v) for v in rng.uniform(size=sizes[-1])]
    ops = count_operations(network_loss(theta, sizes, x, y))
    return {"n_params": n, "ops": ops, "forward_passes": n, "forward_mode_ops": n * ops,
            "reverse_passes": 2, "reverse_mode_ops": 2 * ops}


def course_values(
    x: float, y: float, params: Mapping[str, float], activation: str = "sigmoid"
) -> dict[str, Value]:
    """The course network built from Values, every node labelled as in the lessons::

        z11 = W1 x + b1                O11 = act(z11)
        z21 = W2 O11 + b2              O21 = act(z21)
        z22 = W3 O11 + b3              O22 = act(z22)
        z31 = W4 O21 + W5 O22 + b4     O31 = act(z31)
        L   = (y - O31)^2

    Returns {name: Value} for x, y, W1..b4, z11, O11, ..., O31 and L (the products and
    the difference y - O31 are labelled too: "W1·x", ..., "s31" = W4·O21 + W5·O22,
    "y − O31"). Call ``["L"].backward()``.
    ``activation`` is "sigmoid" or "tanh".
    """
    if activation not in ("sigmoid", "tanh"):
        raise ValueError(f"activation must be 'sigmoid' or 'tanh', got {describe(activation)}")
    x_f, y_f = checked_example(x, y)
    p = checked_params(params)
    v: dict[str, Value] = {"x": Value(x_f, label="x"), "y": Value(y_f, label="y")}
    for name in PARAM_NAMES:
        v[name] = Value(p[name], label=name)

    def act(z: Value, name: str) -> Value:
        out = z.sigmoid() if activation == "sigmoid" else z.tanh()
        out.label = name
        return out

    def lab(value: Value, name: str) -> Value:
        value.label = name
        v[name] = value
        return value

    lab(v["W1"] * v["x"], "W1·x")
    lab(v["W1·x"] + v["b1"], "z11")
    v["O11"] = act(v["z11"], "O11")
    lab(v["W2"] * v["O11"], "W2·O11")
    lab(v["W2·O11"] + v["b2"], "z21")
    v["O21"] = act(v["z21"], "O21")
    lab(v["W3"] * v["O11"], "W3·O11")
    lab(v["W3·O11"] + v["b3"], "z22")
    v["O22"] = act(v["z22"], "O22")
    lab(v["W4"] * v["O21"], "W4·O21")
    lab(v["W5"] * v["O22"], "W5·O22")
    lab(v["W4·O21"] + v["W5·O22"], "s31")
    lab(v["s31"] + v["b4"], "z31")
    v["O31"] = act(v["z31"], "O31")
    lab(v["y"] - v["O31"], "y − O31")
    lab(v["y − O31"] ** 2, "L")
    return v


def course_network_as_layers(params: Mapping[str, float]):
    """The course network as a vectorized :class:`~backprop_lessons.maths.network.Network`
    ``[1, 1, 2, 1]`` (sigmoid) with the same parameters::

        layer 1: W = [[W1]],           b = [b1]
        layer 2: W = [[W2, W3]],       b = [b2, b3]
        layer 3: W = [[W4], [W5]],     b = [b4]

    With the mean squared error over one output, its loss is the course's (y - O31)^2.
    """
    from .network import Network

    p = checked_params(params)
    net = Network([1, 1, 2, 1], seed=0)
    net.set_params({
        "W1": [[p["W1"]]], "b1": [p["b1"]],
        "W2": [[p["W2"], p["W3"]]], "b2": [p["b2"], p["b3"]],
        "W3": [[p["W4"]], [p["W5"]]], "b3": [p["b4"]],
    })
    return net
