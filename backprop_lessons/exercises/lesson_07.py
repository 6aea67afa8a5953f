"""Exercises of lesson 07, "Reverse-mode autodiff": the local derivatives of an operation,
a topological order of a graph, the backward pass over a graph given as plain data, a
``Value`` class of the learner's own (the whole engine: +, ·, tanh, backward, zero_grad),
and the product of two dual numbers (forward mode)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from backprop_lessons.maths import autodiff, course_network, modes

from . import misconceptions as m
from .compare import compare, describe_type, is_number
from .result import FAILED
from .spec import Case, Exercise, Misconception, is_stub, labelled

__all__ = ["local_gradients", "topological_order", "backward_pass", "value_engine",
           "engine_gradients", "dual_multiply"]

LESSON = "07_autodiff"


def _neuron_graph() -> modes.Graph:
    """The lesson's expression L = (w·x + b − y)² at w = 2, x = 1.5, b = −1, y = 1."""
    return modes.graph_of(modes.neuron_expression())


def _course_graph() -> modes.Graph:
    x, y = course_network.default_example()
    v = modes.course_values(x, y, course_network.default_params())
    return modes.graph_of(v["L"])


# --- the local backward rule of one operation ----------------------------------------------


def _compare_numbers(expected: Any, got: Any) -> tuple[bool, str]:
    """The kit's comparison (a tuple, a list or a 1-d array of the numbers); a bare number
    where a tuple of one was asked gets a word about the trailing comma."""
    if isinstance(expected, tuple) and len(expected) == 1 and is_number(got):
        return False, (
            "You returned a bare number. Return a tuple with one item per input, even for "
            "one input: (d,) with a trailing comma ((d) without it is just d)."
        )
    return compare(expected, got)


def _sig(a: float) -> float:
    return 1.0 / (1.0 + math.exp(-a))


def _local_but(op: str, wrong):
    def fn(op_: str, inputs):
        return wrong(*inputs) if op_ == op else modes.local_gradients(op_, inputs)

    return fn


local_gradients = Exercise(
    reference=modes.local_gradients,
    solution='''\
def local_gradients(op, inputs):
    if op == "+":
        return (1.0, 1.0)
    if op == "*":
        a, b = inputs
        return (b, a)
    if op == "tanh":
        t = np.tanh(inputs[0])
        return (1 - t**2,)
    s = 1 / (1 + np.exp(-inputs[0]))  # op == "sigmoid"
    return (s * (1 - s),)
''',
    cases=[
        Case("+", [2.0, -3.0], label="a sum: out = a + b"),
        Case("*", [2.0, 3.0], label="a product: out = a · b"),
        Case("*", [-1.5, 4.0], label="a product with a negative input"),
        Case("tanh", [0.5], label="out = tanh(a)"),
        Case("tanh", [-2.0], label="out = tanh(a), a far from 0"),
        Case("sigmoid", [0.0], label="out = σ(a) at a = 0"),
        Case("sigmoid", [1.2], label="out = σ(a) at a = 1.2"),
    ],
    compare=_compare_numbers,
    hints=[
        "Ask of each input: if I nudge this input alone, by how much does out move? For "
        "a + b every input moves out one for one. For a · b, nudging a moves out by b times "
        "the nudge.",
        "tanh and sigmoid have one input. Their derivatives are written with their own output: "
        "tanh'(a) = 1 − tanh(a)², σ'(a) = σ(a)·(1 − σ(a)). math.tanh and math.exp are enough.",
        "if op == '+': return (1.0, 1.0)\nif op == '*': a, b = inputs; return (b, a)\n"
        "if op == 'tanh': t = math.tanh(inputs[0]); return (1 - t * t,)\n"
        "s = 1 / (1 + math.exp(-inputs[0])); return (s * (1 - s),)",
    ],
    misconceptions=[
        Misconception(
            "product: each input's own value",
            _local_but("*", lambda a, b: (a, b)),
            "For out = a · b you returned (a, b). Nudge a alone: out moves by b times the "
            "nudge, so d(out)/da = b and d(out)/db = a. Each input's local derivative is the "
            "OTHER input.",
        ),
        Misconception(
            "tanh: 1 − a² instead of 1 − tanh(a)²",
            _local_but("tanh", lambda a: (1.0 - a * a,)),
            "tanh'(a) = 1 − tanh(a)², the square of the OUTPUT, not of the input a. Compute "
            "t = math.tanh(a) first, then 1 − t².",
        ),
        Misconception(
            "sigmoid: σ(a) instead of σ(a)(1 − σ(a))",
            _local_but("sigmoid", lambda a: (_sig(a),)),
            "You returned σ(a), the sigmoid's value. Its derivative is σ(a)·(1 − σ(a)), at "
            "most 0.25 (at a = 0).",
        ),
        Misconception(
            "sigmoid: a(1 − a) with the input",
            _local_but("sigmoid", lambda a: (a * (1.0 - a),)),
            "You computed a·(1 − a) with the input a. The rule σ'(a) = σ(a)·(1 − σ(a)) is "
            "written with the sigmoid's OUTPUT: compute s = 1 / (1 + math.exp(−a)) first, "
            "then s·(1 − s). (In the backward pass the output is at hand, which is why the "
            "rule is written that way.)",
        ),
    ],
)


# --- a topological order ----------------------------------------------------------------------

def _order_case(children: dict[str, list[str]], root: str, label: str) -> Case:
    return Case(children, root, label=label)


def _order_cases(rng: np.random.Generator) -> list[Case]:
    neuron, course = _neuron_graph(), _course_graph()
    return [
        _order_case({"b": ["a"], "c": ["b"]}, "c", "a chain: c uses b, b uses a"),
        _order_case({"L": ["u", "v"], "u": ["x"], "v": ["x"]}, "L",
                    "x is shared: u and v both use it"),
        _order_case({"L": ["x", "h"], "h": ["g"], "g": ["x"]}, "L",
                    "x reaches L directly and through g and h (paths of different lengths)"),
        _order_case(neuron.children, "L", "the lesson's L = (w·x + b − y)²"),
        _order_case(course.children, "L", "the course network"),
        _order_case({"L": ["u"], "u": ["x"], "M": ["x", "z"], "z": ["y"]}, "L",
                    "a graph with a second output M: L depends on u and x only"),
    ]


def _compare_order(expected: Any, got: Any, case: Case | None = None) -> tuple[bool, str]:
    """Any valid order of the case's graph is right (the engine passes the case when it
    judges an answer); without a case (a known mistake's output), plain equality."""
    if case is None or not isinstance(expected, list):
        return compare(expected, got)
    children = case.args[0] if case.args else case.kwargs["children"]
    if not isinstance(got, (list, tuple)):
        return False, f"Wrong type: expected a list of node names, got {describe_type(got)}."
    got = list(got)
    twice = sorted({n for n in got if got.count(n) > 1}, key=str)
    if twice:
        return False, (
            f"{twice[0]!r} appears {got.count(twice[0])} times: list every node once, even "
            "one reached along two paths (keep a set of the nodes already visited)."
        )
    missing = [n for n in expected if n not in got]
    if missing:
        return False, f"Nodes missing from your order: {missing}."
    extra = [n for n in got if n not in expected]
    graph = set(children) | {c for kids in children.values() for c in kids}
    unreached = [n for n in extra if n in graph]
    if unreached:
        return False, (
            f"Your order lists {unreached}, which the root {expected[-1]!r} does not depend "
            "on: they are in the graph, but no path leads from them to the root, so the "
            "backward pass from the root never needs them. Walk from the root (visit(root) "
            "and the children of what you visit), not over every entry of children."
        )
    if extra:
        return False, f"Your order names nodes that are not in the graph: {extra}."
    position = {n: i for i, n in enumerate(got)}
    for node in got:
        for child in children.get(node, ()):
            if position[child] > position[node]:
                return False, (
                    f"{node!r} comes before its child {child!r}: every node must come after "
                    "all the nodes it is computed from. (Any order with that property is "
                    "accepted, not only the expected one shown.)"
                )
    return True, ""


def _preorder(children, root):
    out: list[str] = []
    seen: set[str] = set()

    def visit(node):
        if node in seen:
            return
        seen.add(node)
        out.append(node)
        for child in children.get(node, ()):
            visit(child)

    visit(root)
    return out


def _dfs_no_visited_set(children, root):
    out: list[str] = []

    def visit(node):
        for child in children.get(node, ()):
            visit(child)
        out.append(node)

    visit(root)
    return out


topological_order = Exercise(
    reference=modes.topological_order,
    solution='''\
def topological_order(children, root):
    order, visited = [], set()

    def visit(node):
        if node in visited:
            return
        visited.add(node)
        for child in children.get(node, []):
            visit(child)
        order.append(node)  # after all of its children

    visit(root)
    return order
''',
    cases=_order_cases,
    compare=_compare_order,
    hints=[
        "Write a node down only once all of its children have been written down. A "
        "depth-first walk does that: visit the children first, then append the node.",
        "Keep a set `visited`. visit(node): if node is in visited, return; add it; call "
        "visit(child) for each child in children.get(node, []); then append node to the "
        "order. Start with visit(root). (children.get, because a leaf has no entry.)",
        "order, visited = [], set()\ndef visit(node):\n    if node in visited:\n        return\n"
        "    visited.add(node)\n    for child in children.get(node, []):\n        visit(child)\n"
        "    order.append(node)\nvisit(root)\nreturn order",
    ],
    misconceptions=[
        Misconception(
            "parents first",
            lambda children, root: list(reversed(modes.topological_order(children, root))),
            "Your order starts at the root and ends at the leaves: parents come before their "
            "children. That is the order in which the backward pass VISITS the nodes, the "
            "reverse of a topological order. Here every node comes after the nodes it is "
            "computed from, and the root comes last.",
        ),
        Misconception(
            "node written down before its children",
            _preorder,
            "You appended each node as soon as you reached it, before visiting its children "
            "(a pre-order walk), so the root comes first. Append a node AFTER the loop over "
            "its children (post-order): by then every node it is computed from is already "
            "in the list.",
        ),
        Misconception(
            "a shared node listed twice",
            _dfs_no_visited_set,
            "A node used by two others appears twice in your order: the walk reached it once "
            "along each path. Keep a set of visited nodes and skip a node already in it, so "
            "each node is listed once.",
        ),
        Misconception(
            "root left out",
            lambda children, root: modes.topological_order(children, root)[:-1],
            "The root is missing. It belongs in the order too, last: the backward pass "
            "starts from it, with dL/dL = 1.",
        ),
    ],
)


# --- the backward pass ------------------------------------------------------------------------


def _graph_case(g: modes.Graph, label: str) -> Case:
    return Case(g.order, g.children, g.local_grads, label=label)


def _backward_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case(["a", "b", "c"], {"b": ["a"], "c": ["b"]}, {"b": [2.0], "c": [3.0]},
             label="a chain: dc/db = 3, db/da = 2"),
        Case(["x", "L"], {"L": ["x", "x"]}, {"L": [3.0, 3.0]},
             label="x used twice by one node: L = x · x at x = 3"),
        Case(["x", "u", "v", "L"], {"u": ["x"], "v": ["x"], "L": ["u", "v"]},
             {"u": [2.0], "v": [-1.0], "L": [0.5, 4.0]},
             label="x reaches L along two paths, through u and through v"),
        _graph_case(_neuron_graph(), "the lesson's L = (w·x + b − y)²"),
        _graph_case(_course_graph(), "the course network at its default point"),
    ]


def _backward_variant(order, children, local_grads, *, seed=1.0, reverse=True, add=True,
                      chain=True, seed_at=-1):
    grad = {n: 0.0 for n in order}
    grad[order[seed_at]] = seed
    for node in (reversed(order) if reverse else order):
        for child, d in zip(children.get(node, ()), local_grads.get(node, ()), strict=True):
            grad[child] = (grad[child] if add else 0.0) + d * (grad[node] if chain else 1.0)
    return grad


def _reversed_in_place(order, children, local_grads):
    """Right numbers, but ``order.reverse()`` leaves the caller's list reversed."""
    grad = modes.backward_pass(order, children, local_grads)
    order.reverse()
    return grad


backward_pass = Exercise(
    reference=modes.backward_pass,
    solution='''\
def backward_pass(order, children, local_grads):
    grad = {node: 0.0 for node in order}
    grad[order[-1]] = 1.0  # dL/dL
    for node in reversed(order):
        for child, d in zip(children.get(node, []), local_grads.get(node, [])):
            grad[child] += d * grad[node]
    return grad
''',
    cases=_backward_cases,
    hints=[
        "Start every gradient at 0, except the root's (order[-1]): dL/dL = 1. Then visit the "
        "nodes from the root down, reversed(order), so that a node's gradient is complete "
        "before it is passed on.",
        "At each node, for every child with its local derivative d (zip(children.get(node, "
        "[]), local_grads.get(node, []))), add d · grad[node] to grad[child]. Add, never "
        "overwrite: a child used on two paths receives two contributions.",
        "grad = {n: 0.0 for n in order}\ngrad[order[-1]] = 1.0\nfor node in reversed(order):\n"
        "    for child, d in zip(children.get(node, []), local_grads.get(node, [])):\n"
        "        grad[child] += d * grad[node]\nreturn grad",
    ],
    misconceptions=[
        Misconception(
            "overwrote instead of accumulating",
            lambda order, children, local_grads: _backward_variant(
                order, children, local_grads, add=False),
            m.MISSING_CHAIN_PATH + " You wrote grad[child] = ..., so the second path "
            "overwrote the first. Use grad[child] += d * grad[node].",
        ),
        Misconception(
            "output gradient not seeded with 1",
            lambda order, children, local_grads: _backward_variant(
                order, children, local_grads, seed=0.0),
            "Every gradient came out 0: the backward pass needs a seed. The root's gradient "
            "with respect to itself is dL/dL = 1; set grad[order[-1]] = 1.0 before the loop.",
        ),
        Misconception(
            "visited the nodes children first",
            lambda order, children, local_grads: _backward_variant(
                order, children, local_grads, reverse=False),
            "You walked `order` from the leaves up, so each node passed on its gradient "
            "before the nodes that use it had sent theirs (it was still 0). Walk it from the "
            "root down: for node in reversed(order).",
        ),
        Misconception(
            "local derivative passed on alone",
            lambda order, children, local_grads: _backward_variant(
                order, children, local_grads, chain=False),
            "You added the local derivative d alone to grad[child]. The chain rule multiplies "
            "along the path: what reaches the child is grad[node] · d, the node's gradient "
            "times its local derivative. On the chain a → b → c, dc/da = dc/db · db/da "
            "= 3 · 2 = 6, not 2.",
        ),
        Misconception(
            "seeded the first node of order",
            lambda order, children, local_grads: _backward_variant(
                order, children, local_grads, seed_at=0),
            "You put the seed 1 on order[0], a leaf. The root is the LAST node of a "
            "topological order, order[-1]: dL/dL = 1 belongs there.",
        ),
        Misconception(
            "reversed order in place",
            _reversed_in_place,
            "The inputs belong to the caller: read them, never change them. The usual "
            "culprit is order.reverse(), which reverses the caller's own list, so the graph "
            "is listed backwards for whoever uses it next. Walk a reversed view instead: "
            "for node in reversed(order), or order[::-1].",
        ),
    ],
    in_place="reversed order in place",
)


# --- the whole engine: a Value class of the learner's own -----------------------------------
#
# The answer is a class, not a function: ``adapt`` turns it into the function the cases
# call (build the case's expression from the class's Values, run backward()/zero_grad(),
# read the gradients). That function runs in the engine's forked child like any answer, so
# a class that loops or raises ends its check with a message, never a hung notebook.

_METHODS = ("__add__", "__mul__", "tanh", "backward", "zero_grad")


def _node(result: Any, what: str) -> Any:
    """``result`` of an operation of the learner's class, if it looks like a Value."""
    if result is None or not (hasattr(result, "data") and hasattr(result, "grad")):
        raise TypeError(
            f"{what} returned {describe_type(result)}, not a Value: each operation must "
            "return a NEW Value (its data, its children, their local derivatives). Is a "
            "`return` missing?"
        )
    return result


def _add(x: Any, y: Any) -> Any:
    return _node(x + y, "a + b (__add__)")


def _mul(x: Any, y: Any) -> Any:
    return _node(x * y, "a * b (__mul__)")


def _tanh(x: Any) -> Any:
    return _node(x.tanh(), "a.tanh()")


def _stub_method(engine: Any, name: str) -> bool:
    return is_stub(getattr(engine, name, None))


def _drive(engine: Any, expression: Any, inputs: dict[str, float], steps: tuple) -> dict:
    """Build ``expression`` from one ``engine(value)`` leaf per input, call the ``steps``
    (``"backward"`` or ``"zero_grad"``) on its result, and return its value and the
    gradient of the result itself and of every leaf: ``{"L": ..., "dL/dL": ..., "dL/da": ...,
    ...}``."""
    for name in _METHODS:
        if isinstance(engine, type) and _stub_method(engine, name):
            raise RuntimeError(
                f"Value.{name} is still the stub (its body is `...`): write it, run the "
                "cell, then run the check again.")
    leaves = {name: _node(engine(float(v)), f"Value({float(v)!r})")
              for name, v in inputs.items()}
    out = _node(expression(**leaves), "the expression")
    for step in steps:
        getattr(out, step)()
    result = {"L": float(out.data), "dL/dL": float(out.grad)}
    result.update({f"dL/d{name}": float(leaf.grad) for name, leaf in leaves.items()})
    return result


def engine_gradients(expression, inputs, steps=("backward",)):
    """The value and the leaves' gradients of ``expression`` built with the package's own
    :class:`~backprop_lessons.maths.autodiff.Value`, after the ``steps``."""
    return _drive(autodiff.Value, expression, inputs, tuple(steps))


def _not_attempted(expression, inputs, steps=("backward",)):
    """The class is still the stub."""


def _as_function(answer: Any) -> Any:
    """The learner's class as the function the cases call (see ``Exercise.adapt``)."""
    if answer is engine_gradients:
        return answer
    try:
        if isinstance(answer, type):
            if issubclass(answer, autodiff.Value):
                return engine_gradients  # the package's engine itself: told "delegation"
            if all(_stub_method(answer, name) for name in _METHODS):
                return _not_attempted
    except Exception:  # noqa: BLE001 - an odd class is judged by running it, in the child
        pass

    def with_your_value(expression, inputs, steps=("backward",)):
        return _drive(answer, expression, inputs, tuple(steps))

    return with_your_value


def _expr(text: str, fn) -> Any:
    return labelled(text, fn)


_ONCE = ("backward",)


def _engine_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case(_expr("L = a + b", lambda a, b: _add(a, b)), {"a": 2.0, "b": -3.0}, _ONCE,
             label="a sum"),
        Case(_expr("L = a · b", lambda a, b: _mul(a, b)), {"a": 2.0, "b": 3.0}, _ONCE,
             label="a product: each input's gradient is the other input"),
        Case(_expr("L = tanh(a)", lambda a: _tanh(a)), {"a": 0.5}, _ONCE,
             label="tanh: dL/da = 1 − tanh(a)²"),
        Case(_expr("L = a · a", lambda a: _mul(a, a)), {"a": 3.0}, _ONCE,
             label="a used twice by one node: dL/da = 2a"),
        Case(_expr("h = a · b;  L = h · c + tanh(h)",
                   lambda a, b, c: _add(_mul(_mul(a, b), c), _tanh(_mul(a, b)))),
             {"a": 0.5, "b": -1.5, "c": 2.0}, _ONCE,
             label="a product computed twice (two nodes), each with its own path"),
        Case(_expr("h = a · b;  L = h · c + tanh(h)  (h ONE node, used twice)",
                   lambda a, b, c: (lambda h: _add(_mul(h, c), _tanh(h)))(_mul(a, b))),
             {"a": 0.5, "b": -1.5, "c": 2.0}, _ONCE,
             label="h feeds two nodes: its gradient is the sum of both"),
        Case(_expr("m = a · b;  L = m + tanh(m)",
                   lambda a, b: (lambda m: _add(m, _tanh(m)))(_mul(a, b))),
             {"a": 0.8, "b": 0.5}, _ONCE,
             label="m reaches L directly and through tanh (paths of different lengths)"),
        Case(_expr("L = tanh(x1·w1 + x2·w2 + b)",
                   lambda x1, w1, x2, w2, b: _tanh(_add(_add(_mul(x1, w1), _mul(x2, w2)), b))),
             {"x1": 2.0, "w1": -3.0, "x2": 0.0, "w2": 1.0, "b": 6.8813735870195432}, _ONCE,
             label="a tanh neuron (a chain of five operations)"),
        Case(_expr("L = a · b", lambda a, b: _mul(a, b)), {"a": 2.0, "b": 3.0},
             ("backward", "backward"),
             label="backward() twice, no zero_grad(): the leaves' gradients add up"),
        Case(_expr("L = tanh(a · b) + c", lambda a, b, c: _add(_tanh(_mul(a, b)), c)),
             {"a": 0.5, "b": 2.0, "c": -1.0}, ("backward", "backward"),
             label="backward() twice on a deeper graph: the leaves get twice one pass"),
        Case(_expr("h = a · b;  L = h · c + tanh(h)  (h ONE node, used twice)",
                   lambda a, b, c: (lambda h: _add(_mul(h, c), _tanh(h)))(_mul(a, b))),
             {"a": 0.5, "b": -1.5, "c": 2.0}, ("backward", "backward"),
             label="backward() twice, h shared by two nodes: again twice one pass"),
        Case(_expr("L = tanh(a · b) + c", lambda a, b, c: _add(_tanh(_mul(a, b)), c)),
             {"a": 0.5, "b": 2.0, "c": -1.0}, ("backward", "zero_grad", "backward"),
             label="backward(), zero_grad(), backward(): as if called once"),
        Case(_expr("L = tanh(a · b) + c", lambda a, b, c: _add(_tanh(_mul(a, b)), c)),
             {"a": 0.5, "b": 2.0, "c": -1.0}, ("backward", "zero_grad"),
             label="backward(), then zero_grad(): every gradient back to 0"),
    ]


def _make_engine(*, accumulate=True, reverse=True, tanh_rule="1 - t*t", mul="other",
                 zero="all", visited=True, seed="set", reset="operations"):
    """A micrograd-style Value with one of a learner's mistakes (the right one by default):
    the known mistakes of :data:`value_engine` are written with it. ``reset``: which nodes
    backward() sets to 0 before it seeds, "operations" (those computed from others, the
    right answer), "none" (micrograd's own engine) or "all" (the leaves too)."""

    class V:
        def __init__(self, data, children=(), local_grads=()):
            self.data, self.grad = data, 0.0
            self.children, self.local_grads = children, local_grads

        def __add__(self, other):
            return V(self.data + other.data, (self, other), (1.0, 1.0))

        def __mul__(self, other):
            grads = (other.data, self.data) if mul == "other" else (self.data, other.data)
            return V(self.data * other.data, (self, other), grads)

        def tanh(self):
            t = math.tanh(self.data)
            d = {"1 - t*t": 1 - t * t, "1 - a*a": 1 - self.data ** 2, "none": 1.0}[tanh_rule]
            return V(t, (self,), (d,))

        def nodes(self):
            order, seen = [], set()

            def visit(node):
                if visited and node in seen:
                    return
                seen.add(node)
                for child in node.children:
                    visit(child)
                order.append(node)

            visit(self)
            return order

        def backward(self):
            order = self.nodes()
            for node in order:
                if reset == "all" or (reset == "operations" and node.children):
                    node.grad = 0.0
            if seed == "set":
                self.grad = 1.0
            for node in (reversed(order) if reverse else order):
                for child, d in zip(node.children, node.local_grads, strict=True):
                    if accumulate:
                        child.grad += d * node.grad
                    else:
                        child.grad = d * node.grad

        def zero_grad(self):
            if zero == "all":
                for node in self.nodes():
                    node.grad = 0.0
            elif zero == "self":
                self.grad = 0.0

    V.__name__ = V.__qualname__ = "Value"
    return V


class _ClassExercise(Exercise):
    """An exercise whose answer is a class: an answer that is the package's own engine is
    told so in words about classes."""

    def judge(self, outcomes):
        if any(o.delegated for o in outcomes):
            return self._result(
                FAILED,
                f"Your {self.function_name} is the package's own engine, "
                "backprop_lessons.maths.autodiff.Value (or a subclass of it): that shows it "
                "works, but the exercise is to write the formula yourself: a class of your "
                "own with +, ·, tanh, backward and zero_grad. This check is not counted as "
                "passed.",
            )
        return super().judge(outcomes)


def _engine_mistake(**kw):
    engine = _make_engine(**kw)

    def fn(expression, inputs, steps=("backward",)):
        return _drive(engine, expression, inputs, tuple(steps))

    return fn


value_engine = _ClassExercise(
    id="value_engine",
    function_name="Value",
    reference=engine_gradients,
    adapt=_as_function,
    stub='''\
class Value:
    """A number that records how it was computed: reverse-mode autodiff in one class."""

    def __init__(self, data, children=(), local_grads=()):
        self.data = data                # the forward value
        self.grad = 0.0                 # d(root)/d(self), filled in by root.backward()
        self.children = children        # the Values this one was computed from
        self.local_grads = local_grads  # d(self)/d(child), one per child

    def __add__(self, other):
        """self + other, both Values: a new Value."""
        # YOUR CODE HERE
        ...

    def __mul__(self, other):
        """self * other, both Values: a new Value."""
        ...

    def tanh(self):
        """tanh(self): a new Value."""
        ...

    def backward(self):
        """Fill .grad of every node self depends on with d(self)/d(node) (self: 1):
        the nodes computed from others start from 0, the leaves add to theirs."""
        ...

    def zero_grad(self):
        """Set .grad = 0 on self and on every node it depends on."""
        ...
''',
    solution='''\
class Value:
    def __init__(self, data, children=(), local_grads=()):
        self.data = data
        self.grad = 0.0
        self.children = children
        self.local_grads = local_grads

    def __add__(self, other):
        return Value(self.data + other.data, (self, other), (1.0, 1.0))

    def __mul__(self, other):
        return Value(self.data * other.data, (self, other), (other.data, self.data))

    def tanh(self):
        t = np.tanh(self.data)
        return Value(t, (self,), (1 - t**2,))

    def nodes(self):
        order, visited = [], set()

        def visit(node):
            if node not in visited:
                visited.add(node)
                for child in node.children:
                    visit(child)
                order.append(node)

        visit(self)
        return order

    def backward(self):
        order = self.nodes()
        for node in order:
            if node.children:  # computed from others: this call's gradient only
                node.grad = 0.0
        self.grad = 1.0  # d(self)/d(self)
        for node in reversed(order):
            for child, d in zip(node.children, node.local_grads):
                child.grad += d * node.grad

    def zero_grad(self):
        for node in self.nodes():
            node.grad = 0.0
''',
    cases=_engine_cases,
    hints=[
        "Each operation returns a NEW Value: its data is the result, its children the "
        "inputs, its local_grads exercise 1's local derivatives: a + b → (1, 1); a · b → "
        "(b.data, a.data); tanh(a) → (1 − t²,) with t = tanh(a.data).",
        "backward(): list the nodes in a topological order (exercise 2: a depth-first walk "
        "over node.children with a set of visited nodes), set grad = 0 on every node that "
        "has children (the leaves keep theirs: they add up across calls), set self.grad = "
        "1, then walk the order reversed and add d · node.grad to each child's grad "
        "(exercise 3: +=, never =). zero_grad(): the same list, grad = 0 on every node.",
        "def __mul__(self, other):\n    return Value(self.data * other.data, (self, other), "
        "(other.data, self.data))\ndef backward(self):\n    order = self.nodes()\n"
        "    for node in order:\n        if node.children:\n            node.grad = 0.0\n"
        "    self.grad = 1.0\n    for node in reversed(order):\n        for child, d in "
        "zip(node.children, node.local_grads):\n            child.grad += d * node.grad\n"
        "(nodes(): exercise 2's walk, from self; .solution() shows the whole class.)",
    ],
    misconceptions=[
        Misconception(
            "overwrote instead of accumulating",
            _engine_mistake(accumulate=False),
            m.MISSING_CHAIN_PATH + " Your backward() writes child.grad = d * node.grad, so "
            "a node used twice keeps only the last contribution (L = a · a gives a, not "
            "2a). Use child.grad += d * node.grad.",
        ),
        Misconception(
            "visited the nodes children first",
            _engine_mistake(reverse=False),
            "Your backward() walks the topological order from the leaves up, so each node "
            "passes on its gradient before the nodes that use it have sent theirs (it is "
            "still 0). Walk it from self down: for node in reversed(order).",
        ),
        Misconception(
            "tanh: 1 − a² instead of 1 − tanh(a)²",
            _engine_mistake(tanh_rule="1 - a*a"),
            "tanh'(a) = 1 − tanh(a)², the square of the OUTPUT t = tanh(a.data), not of "
            "the input: local_grads = (1 − t²,).",
        ),
        Misconception(
            "tanh's local derivative left out",
            _engine_mistake(tanh_rule="none"),
            "Your tanh passes the gradient through unchanged (local derivative 1). Its "
            "local derivative is 1 − tanh(a)²: with t = tanh(a.data), local_grads = "
            "(1 − t²,).",
        ),
        Misconception(
            "product: each input's own value",
            _engine_mistake(mul="own"),
            "Your __mul__ gives each input its own value as local derivative. Nudge a "
            "alone: a · b moves by b times the nudge, so the local derivatives of a · b "
            "are (b.data, a.data): each input gets the OTHER input.",
        ),
        Misconception(
            "a shared node visited twice",
            _engine_mistake(visited=False),
            "Your topological order lists a node used by two others twice, so backward() "
            "passes its gradient on twice, the first time before it is complete. Keep a "
            "set of visited nodes in the walk and skip a node already in it.",
        ),
        Misconception(
            "zero_grad does nothing",
            _engine_mistake(zero="none"),
            "After zero_grad() the gradients are still there, so the next backward() adds "
            "to the old ones. zero_grad() must set grad = 0 on self and on EVERY node it "
            "depends on (the same topological order backward() uses).",
        ),
        Misconception(
            "zero_grad resets only self",
            _engine_mistake(zero="self"),
            "Your zero_grad() resets self.grad only; the other nodes keep their old "
            "gradients, and the next backward() adds to them. Walk every node self depends "
            "on (the same topological order backward() uses) and set each grad to 0.",
        ),
        Misconception(
            "intermediate nodes keep their gradient between backward() calls",
            _engine_mistake(reset="none"),
            "Your backward() is right for one call, but the nodes computed from others "
            "(a · b, tanh(...), ...) keep the gradient of the previous call, and a second "
            "call adds to it and passes the sum on: the leaves end up with "
            "something other than twice one pass's gradient. (micrograd's own engine does "
            "this too.) At the start of "
            "backward(), before self.grad = 1.0, set grad = 0 on every node computed from "
            "others (for node in order: if node.children: node.grad = 0.0). Leave the "
            "leaves alone: theirs add up across calls, until zero_grad().",
        ),
        Misconception(
            "backward resets the gradients itself",
            _engine_mistake(reset="all"),
            "Your backward() sets every grad to 0 before it starts, the leaves' too, so a "
            "second call forgets the first. In this course, as in PyTorch, backward() "
            "starts only the nodes computed from others at 0; the leaves ADD into .grad, "
            "and zero_grad() is what resets them (a training loop calls it before each "
            "backward).",
        ),
        Misconception(
            "output gradient not seeded with 1",
            _engine_mistake(seed="none"),
            "Every gradient came out 0: backward() needs a seed. d(self)/d(self) = 1: set "
            "self.grad = 1.0 before the loop.",
        ),
    ],
)


# --- forward mode: the product of dual numbers ---------------------------------------------


def _dual_cases(rng: np.random.Generator) -> list[Case]:
    a, b = (round(float(v), 3) for v in rng.normal(size=2))
    ad, bd = (round(float(v), 3) for v in rng.normal(size=2))
    return [
        Case(2.0, 1.0, 3.0, 0.0, label="only a depends on t: d(a·b)/dt = b"),
        Case(2.0, 0.0, 3.0, 1.0, label="only b depends on t: d(a·b)/dt = a"),
        Case(3.0, 1.0, 3.0, 1.0, label="a = b = t = 3: d(t·t)/dt = 2t = 6"),
        Case(a, ad, b, bd, label="random values and tangents"),
    ]


dual_multiply = Exercise(
    reference=modes.dual_multiply,
    solution='''\
def dual_multiply(a, a_dot, b, b_dot):
    return a * b, a_dot * b + a * b_dot
''',
    cases=_dual_cases,
    compare=_compare_numbers,
    hints=[
        "The value part is the ordinary product a · b. The tangent part is d(a·b)/dt, "
        "where a_dot = da/dt and b_dot = db/dt.",
        "The product rule: d(a·b)/dt = (da/dt)·b + a·(db/dt). Both inputs may move with t, "
        "and their effects add.",
        "return (a * b, a_dot * b + a * b_dot)",
    ],
    misconceptions=[
        Misconception(
            "multiplied the tangents",
            lambda a, a_dot, b, b_dot: (a * b, a_dot * b_dot),
            "You multiplied the tangents: a_dot · b_dot. The tangent of a product follows "
            "the product rule, a_dot · b + a · b_dot (each factor's change, scaled by the "
            "other factor).",
        ),
        Misconception(
            "added the tangents",
            lambda a, a_dot, b, b_dot: (a * b, a_dot + b_dot),
            "You added the tangents, which is the rule of a SUM. For a product each change "
            "is scaled by the other factor: a_dot · b + a · b_dot.",
        ),
        Misconception(
            "value and tangent swapped",
            lambda a, a_dot, b, b_dot: (a_dot * b + a * b_dot, a * b),
            "Your pair is (tangent, value): the order is (value, tangent), as in the Dual "
            "number (a, a_dot) itself. Return (a * b, a_dot * b + a * b_dot).",
        ),
        Misconception(
            "kept the ε² term",
            lambda a, a_dot, b, b_dot: (a * b, a_dot * b + a * b_dot + a_dot * b_dot),
            "Your tangent has an extra a_dot · b_dot. That is the coefficient of ε², and "
            "ε² = 0 for dual numbers: (a + a_dot ε)(b + b_dot ε) = ab + (a_dot b + a b_dot) ε. "
            "The tangent is a_dot · b + a · b_dot.",
        ),
        Misconception(
            "each tangent scaled by its own value",
            lambda a, a_dot, b, b_dot: (a * b, a_dot * a + b * b_dot),
            "You scaled each tangent by its own value (a_dot · a + b · b_dot). In a product "
            "each factor's change is scaled by the OTHER factor: nudge a and a·b moves by b "
            "times the nudge. The tangent is a_dot · b + a · b_dot.",
        ),
        Misconception(
            "half of the product rule",
            lambda a, a_dot, b, b_dot: (a * b, a_dot * b),
            "Your tangent is a_dot · b only: you treated b as a constant. When b depends on "
            "t too, its change adds a · b_dot.",
        ),
    ],
)
