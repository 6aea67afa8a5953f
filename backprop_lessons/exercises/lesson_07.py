"""Exercises of lesson 07, "Reverse-mode autodiff": the local derivatives of an operation,
a topological order of a graph, the backward pass over a graph given as plain data, and
the product of two dual numbers (forward mode)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from backprop_lessons.maths import course_network, modes

from . import misconceptions as m
from .compare import compare, describe_type, is_number
from .spec import Case, Exercise, Misconception

__all__ = ["local_gradients", "topological_order", "backward_pass", "dual_multiply"]

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
