"""Lesson 07, exercise ``value_engine``: backward() twice without zero_grad() on a graph
with intermediate nodes. As in the package's engine and PyTorch, each backward() call
starts every node computed from others at 0 and the leaves accumulate across calls, so a
second call adds the same gradient again to the leaves (2x one pass, not micrograd's 4x on
L = tanh(a·b) + c). An engine whose intermediate nodes keep their gradient between calls
fails with its mistake named; the teaching-form solution and other valid resets pass."""

import math

import numpy as np
import pytest

from backprop_lessons.exercises import lesson_07
from backprop_lessons.maths import autodiff
from tests.conftest import assert_wrong, solution

EX = lesson_07.value_engine
KEEPS = "intermediate nodes keep their gradient between backward() calls"


def _solution():
    """The teaching-form solution, exec'd as the learner's cell runs it (np in scope)."""
    return solution(EX, np=np)


def _engine(backward):
    """The solution's class (a fresh copy) with another backward(), as a learner's edit."""
    cls = _solution()
    cls.backward = backward
    return cls


def _micrograd_backward(self):
    """micrograd's backward() as it is: seed the root and add, reset nothing, so the
    intermediate nodes keep the gradient of the previous call."""
    self.grad = 1.0
    for node in reversed(self.nodes()):
        for child, d in zip(node.children, node.local_grads, strict=True):
            child.grad += d * node.grad


def _zero_operations_then_micrograd(self):
    """A zero_grad-like loop over the non-leaf nodes only, then micrograd's backward()."""
    for node in self.nodes():
        if node.children:
            node.grad = 0
    _micrograd_backward(self)


def _fresh_dict_then_add_to_leaves(self):
    """This call's gradients in a fresh dict (exercise 3's backward pass), added to the
    leaves; a node computed from others holds this call's gradient."""
    order = self.nodes()
    grad = {node: 0.0 for node in order}
    grad[self] = 1.0
    for node in reversed(order):
        for child, d in zip(node.children, node.local_grads, strict=True):
            grad[child] += d * grad[node]
    for node in order:
        if node.children or node is self:
            node.grad = grad[node]
        else:
            node.grad += grad[node]


def _deeper(engine):
    """L = tanh(a·b) + c at a = 0.5, b = 2, c = -1: the leaves and the intermediate node."""
    a, b, c = engine(0.5), engine(2.0), engine(-1.0)
    h = (a * b).tanh()
    L = h + c
    return L, h, (a, b, c)


# --- the check ----------------------------------------------------------------------------


def test_the_cases_include_backward_twice_on_a_graph_with_intermediate_nodes():
    twice = [p for p in EX.prepared_cases()
             if tuple(p.case.args[2]) == ("backward", "backward")]
    deeper = [p for p in twice if "tanh" in str(p.case.args[0])]
    assert len(twice) >= 2 and deeper, [p.case.label for p in twice]
    # the expected answer is the package engine's: twice one pass at the leaves
    once = lesson_07.engine_gradients(deeper[0].case.args[0], deeper[0].case.args[1])
    for key, value in deeper[0].expected.items():
        if key in ("L", "dL/dL"):
            assert value == once[key]
        else:
            assert value == pytest.approx(2 * once[key], rel=1e-12)


@pytest.mark.parametrize("cls", [_engine(_micrograd_backward),
                                 lesson_07._make_engine(reset="none")],
                         ids=["micrograd", "make_engine"])
def test_an_engine_whose_intermediate_nodes_keep_their_gradient_fails_named(cls):
    result = assert_wrong(EX, cls, KEEPS)
    assert "Smallest failing case" in result.message
    assert "backward() twice on a deeper graph" in result.message
    assert "set grad = 0 on every node computed from others" in result.message
    assert "Leave the leaves alone" in result.message


def test_the_teaching_form_solution_passes_and_resets_the_intermediate_nodes():
    result = EX.check(_solution())
    assert result.status == "passed", result.message
    assert "if node.children:" in EX.solution_cell()


@pytest.mark.parametrize("backward", [_zero_operations_then_micrograd,
                                      _fresh_dict_then_add_to_leaves],
                         ids=["zero-operations-loop", "fresh-dict"])
def test_other_valid_resets_of_the_intermediate_nodes_pass(backward):
    result = EX.check(_engine(backward))
    assert result.status == "passed", result.message


def test_a_backward_that_resets_the_leaves_too_is_still_its_own_mistake():
    assert_wrong(EX, lesson_07._make_engine(reset="all"),
                 "backward resets the gradients itself")


def test_the_hints_backward_code_resets_the_intermediate_nodes():
    last = EX.hints[-1]
    assert "if node.children:" in last and "node.grad = 0.0" in last
    assert last.index("node.grad = 0.0") < last.index("self.grad = 1.0")


# --- the engines themselves -----------------------------------------------------------------


@pytest.mark.parametrize("backward", [None, "solution", _zero_operations_then_micrograd,
                                      _fresh_dict_then_add_to_leaves],
                         ids=["package", "solution", "zero-operations-loop", "fresh-dict"])
def test_backward_twice_gives_twice_one_pass_at_the_leaves(backward):
    engine = (autodiff.Value if backward is None else _solution() if backward == "solution"
              else _engine(backward))
    L, h, leaves = _deeper(engine)
    L.backward()
    once, h_once = [leaf.grad for leaf in leaves], h.grad
    L.backward()
    assert [leaf.grad for leaf in leaves] == [2 * g for g in once]  # exactly 2x
    assert L.grad == 1.0 and h.grad == h_once  # the intermediate node: this call's only
    assert once[0] == pytest.approx(2.0 * (1 - math.tanh(1.0) ** 2), rel=1e-14)


def test_micrograds_engine_gives_neither_one_nor_two_passes():
    L, _, (a, _, _) = _deeper(_engine(_micrograd_backward))
    L.backward()
    once = a.grad
    L.backward()
    assert a.grad == pytest.approx(4 * once, rel=1e-14)
