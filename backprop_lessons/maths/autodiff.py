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
output (the loss L). Counted in the multiply-adds of its matrix products, a backward pass
through dense layers costs between one and two forward passes (each layer's one product
forward, X W, becomes two backward, X^T delta and delta W^T, and the first layer needs no
delta W^T), and it yields dL/dw for *every* weight w at once. Forward mode pushes d/dw
forwards along with the values and gives the derivative of every output with respect to *one* input
per pass, so it would need one pass per weight: a million passes for a million weights.

How the engine stays fast (several times micrograd, see benchmarks/bench_autodiff.py)
while reading the same:

- **One object per node.** Every operation has one or two operands, so a node keeps its
  children and their local derivatives in four fields of its own (``_a, _da, _b, _db``)
  instead of a tuple of children, a tuple of derivatives, a closure or a set: one
  allocation per operation (about 140 bytes with its value and gradient), so Python's
  garbage collector, which otherwise dominates the forward pass, has a third of the
  objects to scan. The local derivatives are numbers computed once in the forward pass,
  not functions to call. (A node built by hand with more than two children keeps the
  others in ``_more``.)
- **The backward pass walks only the operations.** Leaves (inputs, weights, constants)
  only receive gradients, so the depth-first walk that orders the graph never enters
  them. It marks a node as reached by setting its ``grad`` to a zero of its own (a
  float 0.0 created for that call, recognised by identity) instead of hashing the
  node into a set: the reset to 0 that backward needs anyway is the mark. It keeps
  only the path from the root on its stack, and on the way back up it looks at each
  node's second child only (the first is done).
- **A zero local derivative passes nothing on.** ``child.grad += 0 * node.grad``
  changes nothing, so the walk does not follow such an edge: the subgraph behind an
  inactive ReLU (d = 0), a factor whose value is 0 or a margin already met is not
  visited at all (in the benchmark's ReLU network, half of the operations). A node
  reached only that way is left as it is: its ``grad`` is 0 unless an earlier
  ``backward()`` from another root set it (:meth:`zero_grad` resets every node), and
  an infinite gradient times a zero derivative gives 0 there, as PyTorch's ReLU does,
  not NaN.
- **The teaching algorithm's sums, in an order fixed by the graph.** The walk's order
  is that of :meth:`nodes` on the graph without the edges of local derivative 0 (and
  without the leaves), and each gradient is the sum of the teaching algorithm's
  contributions (reverse ``nodes()``, ``child.grad += local * node.grad``) in that
  order: the same gradients bit for bit on every run and in every process. Where no
  local derivative is 0 this is exactly the teaching order; where a node is reached
  both through a zero derivative and not, ``nodes()`` may place the nodes that use it
  in another order, and its gradient may then differ from the teaching algorithm's in
  the last bits (rounding, nothing more; tests/test_autodiff.py checks both).
- **No recursion.** Both walks use an explicit stack, so a chain of 100,000 nodes
  differentiates without hitting Python's recursion limit.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from .activations import sigmoid_scalar
from .validate import is_real_number

__all__ = ["Value"]

_new = object.__new__


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

    # _a, _b: the first and second child (None if absent); _da, _db: their local
    # derivatives; _more: ((child, derivative), ...) beyond two (hand-built nodes only)
    __slots__ = ("data", "grad", "_a", "_da", "_b", "_db", "_more", "_op", "label")

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
        if not is_real_number(data):
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
        self._a = self._da = self._b = self._db = self._more = None
        if children:
            self._a, self._da = children[0], local[0]
            if len(children) > 1:
                self._b, self._db = children[1], local[1]
            if len(children) > 2:
                self._more = tuple(zip(children[2:], local[2:], strict=True))
        self._op = op
        self.label = label

    # ----------------------------------------------------------------- inspection
    @property
    def children(self) -> tuple[Value, ...]:
        """The Values this one was computed from, in the order they were used."""
        if self._a is None:
            return ()
        if self._b is None:
            return (self._a,)
        extra = tuple(c for c, _ in self._more) if self._more else ()
        return (self._a, self._b, *extra)

    _prev = children  # micrograd's name for the same thing

    @property
    def local_grads(self) -> tuple[float, ...]:
        """d(self)/d(child) for each child, in the order of :attr:`children`."""
        if self._a is None:
            return ()
        if self._b is None:
            return (self._da,)
        extra = tuple(d for _, d in self._more) if self._more else ()
        return (self._da, self._db, *extra)

    @property
    def op(self) -> str:
        """The operation that produced this Value ('' for a leaf)."""
        return self._op

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    # ----------------------------------------------------------------- building nodes
    @staticmethod
    def _coerce(other: object, op: str, self_left: bool = True) -> Value:
        """``other`` as a Value: a number becomes a leaf (a constant), anything else an error."""
        if isinstance(other, Value):
            return other
        if is_real_number(other):
            return _leaf(float(other))
        left, right = ("Value", type(other).__name__)
        if not self_left:
            left, right = right, left
        raise TypeError(
            f"unsupported operand for {op}: {left} and {right} "
            f"(expected a Value or a real number, got {type(other).__name__} {other!r})"
        )

    # ----------------------------------------------------------------- arithmetic
    # Each op builds its result in place (one object, no helper call): the forward value
    # in ``data``, each child beside its local derivative d(out)/d(child).
    def __add__(self, other: Value | float) -> Value:
        if other.__class__ is not Value:
            other = self._coerce(other, "+")
        out = _new(Value)
        out.data = self.data + other.data
        out.grad = 0.0
        out._a, out._da = self, 1.0  # d(out)/da = 1
        out._b, out._db = other, 1.0  # d(out)/db = 1
        out._more = None
        out._op, out.label = "+", ""
        return out

    def __mul__(self, other: Value | float) -> Value:
        if other.__class__ is not Value:
            other = self._coerce(other, "*")
        out = _new(Value)
        out.data = self.data * other.data
        out.grad = 0.0
        out._a, out._da = self, other.data  # d(out)/da = b
        out._b, out._db = other, self.data  # d(out)/db = a
        out._more = None
        out._op, out.label = "*", ""
        return out

    def __sub__(self, other: Value | float) -> Value:
        if other.__class__ is not Value:
            other = self._coerce(other, "-")
        # out = a - b;  d(out)/da = 1, d(out)/db = -1
        return _binary(self.data - other.data, self, 1.0, other, -1.0, "-")

    def __truediv__(self, other: Value | float) -> Value:
        if other.__class__ is not Value:
            other = self._coerce(other, "/")
        if other.data == 0.0:
            raise ZeroDivisionError(f"division by a Value whose data is 0.0 ({other!r})")
        # out = a / b;  d(out)/da = 1/b, d(out)/db = -a/b^2
        return _binary(self.data / other.data, self, 1.0 / other.data,
                       other, -self.data / other.data**2, "/")

    def __pow__(self, exponent: float) -> Value:
        if not is_real_number(exponent):
            raise TypeError(
                f"exponent of ** must be an int or float (a constant), "
                f"got {type(exponent).__name__} {exponent!r}"
            )
        n = float(exponent)
        # out = a ** n;  d(out)/da = n a^(n-1)
        return _unary(self.data**n, self, n * self.data ** (n - 1.0), f"**{exponent!r}")

    def __neg__(self) -> Value:
        # out = -a;  d(out)/da = -1
        return _unary(-self.data, self, -1.0, "neg")

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
        return _unary(e, self, e, "exp")

    def log(self) -> Value:
        """``out = ln a`` (a > 0); ``d(out)/da = 1/a``."""
        if self.data <= 0.0:
            raise ValueError(f"log needs a positive Value, got data={self.data!r}")
        return _unary(math.log(self.data), self, 1.0 / self.data, "log")

    def tanh(self) -> Value:
        """``out = tanh a``; ``d(out)/da = 1 - tanh(a)^2``."""
        t = math.tanh(self.data)
        return _unary(t, self, 1.0 - t * t, "tanh")

    def sigmoid(self) -> Value:
        """``out = 1 / (1 + e^-a)``; ``d(out)/da = out (1 - out)``."""
        s = sigmoid_scalar(self.data)  # the stable form: exp never overflows
        return _unary(s, self, s * (1.0 - s), "sigmoid")

    def relu(self) -> Value:
        """``out = max(0, a)``; ``d(out)/da = 1 if a > 0 else 0``."""
        a = self.data
        return _unary(a if a > 0.0 else 0.0, self, 1.0 if a > 0.0 else 0.0, "relu")

    # ----------------------------------------------------------------- the graph
    def nodes(self) -> list[Value]:
        """Every Value this one depends on, itself last, in topological order.

        Children come before the nodes computed from them; ties follow the order in
        which children were used, so the order is the same on every run. Iterative
        depth-first search: no recursion limit.
        """
        order: list[Value] = []
        seen = {self}
        # each stack entry: a node, its children and the index of the next one to visit
        stack: list[tuple[Value, tuple, int]] = [(self, self.children, 0)]
        push, pop = stack.append, stack.pop
        while stack:
            node, kids, i = pop()
            n = len(kids)
            while i < n:
                child = kids[i]
                i += 1
                if child not in seen:
                    seen.add(child)
                    push((node, kids, i))
                    node, kids, i = child, child.children, 0
                    n = len(kids)
            order.append(node)
        return order

    def edges(self) -> list[tuple[Value, Value]]:
        """The edges ``(child, parent)`` of the graph, each once, in the order of :meth:`nodes`."""
        out: list[tuple[Value, Value]] = []
        for node in self.nodes():
            seen: set[int] = set()
            for child in node.children:
                if id(child) not in seen:
                    seen.add(id(child))
                    out.append((child, node))
        return out

    def zero_grad(self) -> None:
        """Set ``grad = 0`` on this Value and every Value it depends on."""
        for node in self.nodes():
            node.grad = 0.0

    def _operations(self) -> list[Value]:
        """Every operation (non-leaf node) this Value depends on through non-zero local
        derivatives, itself last, each after the operations it is computed from; each
        one's ``grad`` is reset to 0.

        A depth-first walk like :meth:`nodes` (its order on the graph without the
        edges whose local derivative is 0, less the leaves). Leaves are never visited,
        since they only receive gradients. Instead of keeping a set of the nodes
        reached, the walk sets a reached node's ``grad`` to this call's own zero: a
        float 0.0 made for this call, so ``node.grad is zero`` tells "reached" apart
        from a stale 0.0 left by an earlier call (a float object is unique while it
        lives), and the backward pass adds to it as to any 0.0.
        """
        if self._a is None:
            return []
        zero = float(0)  # a new object: no other grad is this one
        self.grad = zero
        order: list[Value] = []
        stack: list[Value] = []  # the path from the root down to ``node``, less ``node``
        push, pop, emit = stack.append, stack.pop, order.append
        node = self
        while True:
            # go down through first children as long as they are operations not reached
            child = node._a
            if node._da and child.grad is not zero and child._a is not None:
                child.grad = zero
                push(node)
                node = child
                continue
            # the first child is done: write nodes down and go back up the path until
            # one has a second (or further) child still to explore
            while True:
                child = node._b
                if node._db and child.grad is not zero and child._a is not None:
                    break
                if node._more:  # a Value built by hand with more than two children
                    child = _next_child(node._more, zero)
                    if child is not None:
                        break
                emit(node)
                if not stack:
                    return order
                node = pop()
            child.grad = zero
            push(node)
            node = child

    def backward(self) -> None:
        """Fill ``.grad`` of every node with d(self)/d(node) by the chain rule.

        Seed dself/dself = 1, then visit the operations in reverse topological order
        (each node after every node that uses it) and pass each child
        ``child.grad += d(node)/d(child) * node.grad`` (a local derivative of 0 passes
        nothing, so the walk skips what lies behind it). Intermediate nodes start from 0
        on each call; leaves accumulate across calls until :meth:`zero_grad`.
        """
        order = self._operations()
        if not order:  # a leaf: d(self)/d(self) = 1, accumulated like any leaf
            self.grad += 1.0
            return
        self.grad = 1.0
        for node in reversed(order):  # each node's grad is complete when it is reached
            g = node.grad
            # child.grad += d(node)/d(child) * node.grad, for each child whose local
            # derivative is not 0
            d = node._da
            if d:
                node._a.grad += d * g
            d = node._db
            if d is not None:  # a second child
                if d:
                    node._b.grad += d * g
                if node._more:  # a Value built by hand with more than two children
                    for child, d in node._more:
                        if d:
                            child.grad += d * g


def _next_child(more: tuple, zero: float) -> Value | None:
    """The first of a hand-built node's further children that the walk must still enter."""
    for child, d in more:
        if d and child.grad is not zero and child._a is not None:
            return child
    return None


def _leaf(data: float) -> Value:
    """A leaf (a constant operand) without re-validating ``data``, a float."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out._a = out._da = out._b = out._db = out._more = None
    out._op = out.label = ""
    return out


def _unary(data: float, a: Value, da: float, op: str) -> Value:
    """The result of a one-operand op: ``data``, its child ``a`` and d(out)/da."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out._a, out._da = a, da
    out._b = out._db = out._more = None
    out._op, out.label = op, ""
    return out


def _binary(data: float, a: Value, da: float, b: Value, db: float, op: str) -> Value:
    """The result of a two-operand op: ``data``, its children and their local derivatives."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out._a, out._da = a, da
    out._b, out._db = b, db
    out._more = None
    out._op, out.label = op, ""
    return out
