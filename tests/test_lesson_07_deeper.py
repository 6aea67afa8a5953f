"""Lesson 07, "Build the engine": the learner's own ``Value`` class (exercise
``value_engine``). The teaching-form solution and other valid classes pass; learner-style
wrong classes fail (most with their mistake named); a class that loops, floods or raises
ends its check with a message; the grader's blinded copy runs a class answer too."""

import math

import numpy as np
import pytest

from backprop_lessons.exercises import lesson_07
from backprop_lessons.maths import autodiff

EX = lesson_07.value_engine


def _assert_wrong(fn, mistake):
    """The wrong class ``fn`` fails, and is named ``mistake`` when one is given."""
    result = EX.check(fn)
    assert result.status == "failed", result.message
    if mistake is not None:
        assert result.misconception == mistake, result.message
    return result


def _solution():
    namespace = {"np": np}
    exec(EX.solution_cell(), namespace)  # noqa: S102 - the course's own answer key
    return namespace["Value"]


# --- right answers -------------------------------------------------------------------------


class ClosureValue:
    """micrograd's formulation: each node keeps a function that pushes its gradient down,
    and the topological order comes from an explicit stack (no recursion)."""

    def __init__(self, data, _prev=()):
        self.data = data
        self.grad = 0.0
        self._prev = _prev
        self._backward = lambda: None

    def __add__(self, other):
        out = ClosureValue(self.data + other.data, (self, other))

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        out = ClosureValue(self.data * other.data, (self, other))

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = ClosureValue(t, (self,))

        def _backward():
            self.grad += (1 - t * t) * out.grad

        out._backward = _backward
        return out

    def _topo(self):
        order, seen, stack = [], {id(self)}, [(self, iter(self._prev))]
        while stack:
            node, kids = stack[-1]
            for child in kids:
                if id(child) not in seen:
                    seen.add(id(child))
                    stack.append((child, iter(child._prev)))
                    break
            else:
                stack.pop()
                order.append(node)
        return order

    def backward(self):
        order = self._topo()
        for node in order:
            if node._prev:  # computed from others: this call's gradient only
                node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            node._backward()

    def zero_grad(self):
        for node in self._topo():
            node.grad = 0


class KahnValue:
    """Another order: Kahn's algorithm from the root (a node is processed once every node
    that uses it has been), lists of children, np.tanh."""

    def __init__(self, data, children=(), local_grads=()):
        self.data, self.grad = data, 0.0
        self.children, self.local_grads = list(children), list(local_grads)

    def __add__(self, other):
        return KahnValue(self.data + other.data, [self, other], [1, 1])

    def __mul__(self, other):
        return KahnValue(self.data * other.data, [self, other], [other.data, self.data])

    def tanh(self):
        return KahnValue(np.tanh(self.data), [self], [1 / np.cosh(self.data) ** 2])

    def _reachable(self):
        seen, stack = {self}, [self]
        while stack:
            for child in stack.pop().children:
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        return seen

    def backward(self):
        users = {node: 0 for node in self._reachable()}
        for node in users:
            for child in node.children:
                users[child] += 1
        for node in users:
            if node.children:  # computed from others: this call's gradient only
                node.grad = 0.0
        self.grad = 1.0
        ready = [self]
        while ready:
            node = ready.pop()
            for child, d in zip(node.children, node.local_grads, strict=True):
                child.grad += d * node.grad
                users[child] -= 1
                if users[child] == 0:
                    ready.append(child)

    def zero_grad(self):
        for node in self._reachable():
            node.grad = 0.0


def test_the_teaching_form_solution_passes():
    result = EX.check(_solution())
    assert result.status == "passed", result.message
    assert "All 13 cases" in result.message


@pytest.mark.parametrize("cls", [ClosureValue, KahnValue], ids=["closures", "kahn"])
def test_other_valid_formulations_pass(cls):
    result = EX.check(cls)
    assert result.status == "passed", result.message


def test_the_cases_include_a_node_used_twice_tanh_a_chain_and_zero_grad():
    labels = " | ".join(p.case.label for p in EX.prepared_cases())
    for words in ("used twice", "tanh", "chain", "zero_grad()", "backward() twice"):
        assert words in labels
    # expected answers come from the package's engine: L = a · a at a = 3 gives 2a = 6
    square = next(p for p in EX.prepared_cases() if "used twice by one node" in p.case.label)
    assert square.expected == {"L": 9.0, "dL/dL": 1.0, "dL/da": 6.0}


def test_the_learner_classes_gradients_equal_the_package_engines_on_a_small_graph():
    mine = _solution()
    results = []
    for engine in (mine, autodiff.Value):
        a, b = engine(0.5), engine(-1.5)
        h = a * b
        L = h * h.tanh() + a
        L.backward()
        results.append((L.data, a.grad, b.grad))
    assert results[0] == pytest.approx(results[1], rel=1e-12, abs=1e-15)


# --- wrong answers -------------------------------------------------------------------------


def _engine(**overrides):
    """The solution's class (a fresh copy) with some of its methods replaced, as a
    learner's edit of the cell."""
    cls = _solution()
    for name, fn in overrides.items():
        setattr(cls, name, fn)
    return cls


def _assign_instead_of_add(self):
    self.grad = 1.0
    for node in reversed(self.nodes()):
        for child, d in zip(node.children, node.local_grads, strict=True):
            child.grad = d * node.grad


def _forward_order(self):
    order = self.nodes()
    for node in order:
        if node.children:
            node.grad = 0.0
    self.grad = 1.0
    for node in order:
        for child, d in zip(node.children, node.local_grads, strict=True):
            child.grad += d * node.grad


def _no_visited_set(self):
    order = []

    def visit(node):
        for child in node.children:
            visit(child)
        order.append(node)

    visit(self)
    return order


def _breadth_first(self):
    """Parents before children, but level by level: a node reached by a short and a long
    path is processed before the long path has reached it."""
    self.grad = 1.0
    queue, seen = [self], {self}
    while queue:
        node = queue.pop(0)
        for child, d in zip(node.children, node.local_grads, strict=True):
            child.grad += d * node.grad
            if child not in seen:
                seen.add(child)
                queue.append(child)


def _one_level(self):
    self.grad = 1.0
    for child, d in zip(self.children, self.local_grads, strict=True):
        child.grad += d * self.grad


def _seed_added(self):
    self.grad += 1.0
    for node in reversed(self.nodes()):
        for child, d in zip(node.children, node.local_grads, strict=True):
            child.grad += d * node.grad


def _reset_then_backward(self):
    self.zero_grad()
    self.grad = 1.0
    for node in reversed(self.nodes()):
        for child, d in zip(node.children, node.local_grads, strict=True):
            child.grad += d * node.grad


def _zero_only_leaves(self):
    for node in self.nodes():
        if not node.children:
            node.grad = 0.0


def _zero_self_only(self):
    self.grad = 0.0


def _zero_nothing(self):
    for node in self.nodes():  # noqa: B007 - the mistake: node is never used
        grad = 0.0  # a local variable: no node's grad changes  # noqa: F841


def _tanh_no_derivative(self):
    t = np.tanh(self.data)
    return type(self)(t, (self,), (1.0,))


def _tanh_of_input(self):
    t = np.tanh(self.data)
    return type(self)(t, (self,), (1 - self.data**2,))


def _mul_own_values(self, other):
    return type(self)(self.data * other.data, (self, other), (self.data, other.data))


def _add_forgot_return(self, other):
    type(self)(self.data + other.data, (self, other), (1.0, 1.0))


WRONG = [
    ("= instead of +=", {"backward": _assign_instead_of_add}, "overwrote instead of accumulating"),
    ("backward in forward order", {"backward": _forward_order},
     "visited the nodes children first"),
    ("topological order without a visited set", {"nodes": _no_visited_set},
     "a shared node visited twice"),
    ("breadth-first walk", {"backward": _breadth_first}, None),
    ("only the root's own children", {"backward": _one_level}, None),
    ("seed added, not set", {"backward": _seed_added}, None),
    ("backward resets every grad first", {"backward": _reset_then_backward},
     "backward resets the gradients itself"),
    ("zero_grad of the leaves only", {"zero_grad": _zero_only_leaves}, None),
    ("zero_grad of self only", {"zero_grad": _zero_self_only}, "zero_grad resets only self"),
    ("zero_grad that does nothing", {"zero_grad": _zero_nothing}, "zero_grad does nothing"),
    ("tanh without its derivative", {"tanh": _tanh_no_derivative},
     "tanh's local derivative left out"),
    ("tanh derivative from the input", {"tanh": _tanh_of_input},
     "tanh: 1 − a² instead of 1 − tanh(a)²"),
    ("mul rule swapped", {"__mul__": _mul_own_values}, "product: each input's own value"),
]


@pytest.mark.parametrize("what, overrides, mistake", WRONG, ids=[w[0] for w in WRONG])
def test_a_wrong_class_fails_with_its_mistake_named(what, overrides, mistake):
    result = _assert_wrong(_engine(**overrides), mistake)
    assert "Smallest failing case" in result.message


def test_an_operation_without_return_is_told_so():
    result = EX.check(_engine(__add__=_add_forgot_return))
    assert result.status == "error", result.message
    assert "returned None, not a Value" in result.message
    assert "a + b (__add__)" in result.message


def test_a_method_left_as_the_stub_is_named():
    namespace: dict = {}
    exec(EX.stub_source(), namespace)  # noqa: S102 - the shipped stub
    stub = namespace["Value"]
    sol = _solution()
    half = type("Value", (stub,), {"__add__": sol.__add__, "__mul__": sol.__mul__,
                                   "tanh": sol.tanh, "nodes": sol.nodes})
    result = EX.check(half)
    assert result.status == "error", result.message
    assert "Value.backward is still the stub" in result.message
    assert EX.check(stub).status == "not attempted"


def test_the_package_engine_or_a_subclass_of_it_is_delegation():
    for answer in (autodiff.Value, type("Value", (autodiff.Value,), {})):
        result = EX.check(answer)
        assert result.status == "failed", result.message
        assert "package's own engine" in result.message
        assert not result.passed


# --- hostile classes: a message, never a hung or flooded notebook --------------------------


def _loops_forever(self):
    node = self
    while node is not None:  # a leaf's children are () but node never changes
        for child, d in zip(node.children, node.local_grads, strict=True):
            child.grad += d * node.grad


def _prints_forever(self):
    while True:
        print("backward", self.grad)


def _recurses(self):
    self.grad = 1.0
    for child in self.children:
        child.backward()
    self.backward()


def _typo(self, other):
    return type(self)(self.data * other.value, (self, other), (other.data, self.data))


def test_a_class_that_loops_forever_gets_a_time_limit_message():
    result = EX.check(_engine(backward=_loops_forever))
    assert result.status == "error"
    assert f"did not finish within {EX.time_limit:g} s" in result.message


def test_a_class_that_prints_forever_is_cut_off(capsys):
    result = EX.check(_engine(backward=_prints_forever))
    assert result.status == "error"
    assert "did not finish" in result.message
    printed = capsys.readouterr().out
    assert len(printed) < 25_000  # the engine keeps at most 20,000 characters of output


@pytest.mark.parametrize("method, fn, words", [
    ("backward", _recurses, "RecursionError"),
    ("__mul__", _typo, "AttributeError"),
], ids=["recursion", "typo"])
def test_a_class_that_raises_gets_the_error_and_the_case(method, fn, words):
    result = EX.check(_engine(**{method: fn}))
    assert result.status == "error"
    assert "raised an error on this input" in result.message
    assert words in result.message


# --- the grader runs a class answer through its blinded copy ------------------------------


def test_the_graders_blinded_exercise_runs_a_class_answer():
    from backprop_lessons.tools.grading.worker import _blind

    blind = _blind(EX)
    assert all(p.expected is None for p in blind.prepared_cases())
    assert EX.judge(blind.run(_solution())).status == "passed"
    wrong = EX.judge(blind.run(_engine(backward=_assign_instead_of_add)))
    assert wrong.misconception == "overwrote instead of accumulating"
    assert "package's own engine" in EX.judge(blind.run(autodiff.Value)).message
