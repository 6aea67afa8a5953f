"""A scalar reverse-mode automatic differentiation engine (micrograd-style).

Every :class:`Value` remembers the Values it was computed from (its *children*, in the
order they were used) and, for each child, the *local derivative* d(out)/d(child).
Each operation writes its forward value and its local backward rule side by side::

    out = a * b          d(out)/da = b              d(out)/db = a
    out = a + b          d(out)/da = 1              d(out)/db = 1
    out = a ** n         d(out)/da = n a^(n-1)
    out = exp(a)         d(out)/da = exp(a)
    out = log(a)         d(out)/da = 1 / a
    out = tanh(a)        d(out)/da = 1 - tanh(a)^2
    out = sigmoid(a)     d(out)/da = sigmoid(a) (1 - sigmoid(a))
    out = relu(a)        d(out)/da = 1 if a > 0 else 0

:meth:`Value.backward` then applies the chain rule from the output back to the inputs:
visiting nodes from the output towards the leaves, each node passes
``child.grad += local_derivative * node.grad`` to each child. A node used on two paths
receives the sum of both contributions: that is the multivariable chain rule
(dL/dW1 = path through O21 + path through O22).

Why *reverse* mode for neural networks: a network has many inputs (weights) and one
output (the loss L). One backward pass costs about as much as one forward pass and
yields dL/dw for *every* weight w at once. Forward mode pushes d/dw forwards along
with the values and gives the derivative of every output with respect to *one* input
per pass, so it would need one pass per weight: a million passes for a million weights.

The topological sort is iterative (an explicit stack), so a chain of 100,000 nodes
differentiates without hitting Python's recursion limit.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

__all__ = ["Value"]


def _is_number(x: object) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _node(data: float, children: tuple, op: str, local: tuple) -> Value:
    """Build the result of an op without re-validating (the op already checked its inputs)."""
    out = object.__new__(Value)
    out.data = data
    out.grad = 0.0
    out._prev = children
    out._local = local
    out._op = op
    out.label = ""
    return out


class Value:
    """A scalar in a computational graph: its forward value ``data`` and its gradient ``grad``.

    ``grad`` holds dRoot/dself after ``root.backward()``; leaves (inputs, weights)
    accumulate over several ``backward()`` calls, as in PyTorch, until :meth:`zero_grad`.

    >>> w, x = Value(2.0, label="w"), Value(3.0, label="x")
    >>> L = (w * x - 1.0) ** 2
    >>> L.backward()
    >>> w.grad   # dL/dw = 2 (w x - 1) x = 2 * 5 * 3
    30.0
    """

    __slots__ = ("data", "grad", "_prev", "_local", "_op", "label")

    def __init__(
        self,
        data: float,
        children: Iterable[Value] = (),
        op: str = "",
        label: str = "",
        local_grads: Iterable[float] = (),
    ) -> None:
        if isinstance(data, Value):
            raise TypeError("data must be a number, got a Value (use the Value itself)")
        if not _is_number(data):
            raise TypeError(
                f"data must be a real number (int or float), got {type(data).__name__} {data!r}"
            )
        children = tuple(children)
        local = tuple(float(d) for d in local_grads)
        for c in children:
            if not isinstance(c, Value):
                raise TypeError(f"children must be Values, got {type(c).__name__} {c!r}")
        if children and len(local) != len(children):
            raise ValueError(
                f"local_grads must give one local derivative per child: "
                f"expected {len(children)}, got {len(local)}"
            )
        self.data = float(data)
        self.grad = 0.0
        self._prev: tuple[Value, ...] = children
        self._local: tuple[float, ...] = local
        self._op = op
        self.label = label

    # ----------------------------------------------------------------- inspection
    @property
    def children(self) -> tuple[Value, ...]:
        """The Values this one was computed from, in the order they were used."""
        return self._prev

    @property
    def local_grads(self) -> tuple[float, ...]:
        """d(self)/d(child) for each child, in the order of :attr:`children`."""
        return self._local

    @property
    def op(self) -> str:
        """The operation that produced this Value ('' for a leaf)."""
        return self._op

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    # ----------------------------------------------------------------- coercion
    @staticmethod
    def _coerce(other: object, op: str, self_left: bool = True) -> Value:
        if isinstance(other, Value):
            return other
        if _is_number(other):
            return _node(float(other), (), "", ())
        left, right = ("Value", type(other).__name__)
        if not self_left:
            left, right = right, left
        raise TypeError(
            f"unsupported operand for {op}: {left} and {right} "
            f"(expected a Value or a real number, got {type(other).__name__} {other!r})"
        )

    # ----------------------------------------------------------------- arithmetic
    def __add__(self, other: Value | float) -> Value:
        if other.__class__ is not Value:
            other = self._coerce(other, "+")
        # out = a + b;  d(out)/da = 1, d(out)/db = 1
        return _node(self.data + other.data, (self, other), "+", (1.0, 1.0))

    def __mul__(self, other: Value | float) -> Value:
        if other.__class__ is not Value:
            other = self._coerce(other, "*")
        # out = a * b;  d(out)/da = b, d(out)/db = a
        return _node(self.data * other.data, (self, other), "*", (other.data, self.data))

    def __pow__(self, exponent: float) -> Value:
        if not _is_number(exponent):
            raise TypeError(
                f"exponent of ** must be an int or float (a constant), "
                f"got {type(exponent).__name__} {exponent!r}"
            )
        n = float(exponent)
        # out = a ** n;  d(out)/da = n a^(n-1)
        return _node(self.data**n, (self,), f"**{exponent!r}", (n * self.data ** (n - 1.0),))

    def __neg__(self) -> Value:
        # out = -a;  d(out)/da = -1
        return _node(-self.data, (self,), "neg", (-1.0,))

    def __sub__(self, other: Value | float) -> Value:
        other = self._coerce(other, "-")
        # out = a - b;  d(out)/da = 1, d(out)/db = -1
        return _node(self.data - other.data, (self, other), "-", (1.0, -1.0))

    def __truediv__(self, other: Value | float) -> Value:
        other = self._coerce(other, "/")
        if other.data == 0.0:
            raise ZeroDivisionError(f"division by a Value whose data is 0.0 ({other!r})")
        # out = a / b;  d(out)/da = 1/b, d(out)/db = -a/b^2
        return _node(
            self.data / other.data,
            (self, other),
            "/",
            (1.0 / other.data, -self.data / other.data**2),
        )

    def __radd__(self, other: float) -> Value:
        return self._coerce(other, "+", self_left=False) + self

    def __rmul__(self, other: float) -> Value:
        return self._coerce(other, "*", self_left=False) * self

    def __rsub__(self, other: float) -> Value:
        return self._coerce(other, "-", self_left=False) - self

    def __rtruediv__(self, other: float) -> Value:
        return self._coerce(other, "/", self_left=False) / self

    # ----------------------------------------------------------------- functions
    def exp(self) -> Value:
        """``out = e^a``; ``d(out)/da = e^a``."""
        e = math.exp(self.data)
        return _node(e, (self,), "exp", (e,))

    def log(self) -> Value:
        """``out = ln a`` (a > 0); ``d(out)/da = 1/a``."""
        if self.data <= 0.0:
            raise ValueError(f"log needs a positive Value, got data={self.data!r}")
        return _node(math.log(self.data), (self,), "log", (1.0 / self.data,))

    def tanh(self) -> Value:
        """``out = tanh a``; ``d(out)/da = 1 - tanh(a)^2``."""
        t = math.tanh(self.data)
        return _node(t, (self,), "tanh", (1.0 - t * t,))

    def sigmoid(self) -> Value:
        """``out = 1 / (1 + e^-a)``; ``d(out)/da = out (1 - out)``."""
        a = self.data
        if a >= 0.0:
            s = 1.0 / (1.0 + math.exp(-a))
        else:  # the same value, written so that exp never overflows
            e = math.exp(a)
            s = e / (1.0 + e)
        return _node(s, (self,), "sigmoid", (s * (1.0 - s),))

    def relu(self) -> Value:
        """``out = max(0, a)``; ``d(out)/da = 1 if a > 0 else 0``."""
        a = self.data
        return _node(a if a > 0.0 else 0.0, (self,), "relu", (1.0 if a > 0.0 else 0.0,))

    # ----------------------------------------------------------------- the graph
    def nodes(self) -> list[Value]:
        """Every Value this one depends on, itself last, in topological order.

        Children come before the nodes computed from them; ties follow the order in
        which children were used, so the order is the same on every run. Iterative
        depth-first search: no recursion limit.
        """
        order: list[Value] = []
        seen = {self}
        # each stack entry: a node and the index of its next child to visit
        stack: list[tuple[Value, int]] = [(self, 0)]
        push, pop = stack.append, stack.pop
        while stack:
            node, i = pop()
            prev = node._prev
            n = len(prev)
            while i < n:
                child = prev[i]
                i += 1
                if child not in seen:
                    seen.add(child)
                    push((node, i))
                    node, prev, n, i = child, child._prev, len(child._prev), 0
            order.append(node)
        return order

    def edges(self) -> list[tuple[Value, Value]]:
        """The edges ``(child, parent)`` of the graph, each once, in the order of :meth:`nodes`."""
        out: list[tuple[Value, Value]] = []
        for node in self.nodes():
            seen: set[int] = set()
            for child in node._prev:
                if id(child) not in seen:
                    seen.add(id(child))
                    out.append((child, node))
        return out

    def zero_grad(self) -> None:
        """Set ``grad = 0`` on this Value and every Value it depends on."""
        for node in self.nodes():
            node.grad = 0.0

    def backward(self) -> None:
        """Fill ``.grad`` of every node with d(self)/d(node) by the chain rule.

        Seed dself/dself = 1, then visit the nodes in reverse topological order (each
        node after every node that uses it) and pass each child
        ``child.grad += d(node)/d(child) * node.grad``. Intermediate nodes start from 0
        on each call; leaves accumulate across calls until :meth:`zero_grad`.
        """
        topo = self.nodes()
        for node in topo:
            if node._prev:
                node.grad = 0.0
        if self._prev:
            self.grad = 1.0
        else:
            self.grad += 1.0
        for node in reversed(topo):
            prev = node._prev
            if prev:  # leaves have nothing to pass on
                g = node.grad
                local = node._local
                # child.grad += d(node)/d(child) * node.grad; unrolled for 1 and 2 children
                prev[0].grad += local[0] * g
                n = len(prev)
                if n == 2:
                    prev[1].grad += local[1] * g
                elif n > 2:  # a Value built by hand with many children
                    for i in range(1, n):
                        prev[i].grad += local[i] * g
