import math

import numpy as np
import pytest

from backprop_lessons.maths import chain_rule as cr
from backprop_lessons.maths import course_network as cn
from backprop_lessons.maths.activations import sigmoid, sigmoid_prime
from backprop_lessons.maths.calculus import numerical_derivative
from tests.conftest import random_point, rel_error

# --- one chain -----------------------------------------------------------------------


def test_chain_product_multiplies_and_an_empty_chain_is_one():
    assert cr.chain_product([2.0, 3.0, 4.0]) == 24.0
    assert cr.chain_product((-0.5, 2)) == -1.0
    assert cr.chain_product(np.array([0.25, 4.0])) == 1.0
    assert cr.chain_product([np.float64(1.5)]) == 1.5
    assert cr.chain_product([]) == 1.0
    assert type(cr.chain_product([2, 3])) is float


@pytest.mark.parametrize("x", [-2.0, -0.3, 0.0, 0.7, 1.9])
def test_chain_product_of_a_composition_matches_central_differences(x):
    # x -> u = 3x + 1 -> v = sigmoid(u) -> L = (1 - v)^2
    def L(t):
        return (1.0 - sigmoid(3.0 * t + 1.0)) ** 2

    u = 3.0 * x + 1.0
    v = sigmoid(u)
    dL_dx = cr.chain_product([-2.0 * (1.0 - v), sigmoid_prime(u), 3.0])
    assert rel_error(dL_dx, numerical_derivative(L, x)) <= 1e-7


@pytest.mark.parametrize(
    "bad, kind, match",
    [
        ("123", TypeError, "factors must be a list of numbers, got str"),
        ({"a": 1.0}, TypeError, "factors must be a list of numbers, got dict"),
        (3.0, TypeError, "factors must be a list of numbers, got the number 3.0"),
        (np.ones((2, 2)), TypeError, r"factors must be a list of numbers, got an array of shape"),
        ([1.0, "x"], TypeError, r"factors\[1\] must be a number"),
        ([1.0, [2.0, 3.0]], TypeError, r"factors\[1\] must be a single number"),
        ([1.0, math.nan], ValueError, r"factors\[1\] must be finite"),
        ([math.inf], ValueError, r"factors\[0\] must be finite"),
    ],
)
def test_chain_product_errors_name_the_argument(bad, kind, match):
    with pytest.raises(kind, match=match):
        cr.chain_product(bad)


def test_edge_key():
    assert cr.edge_key("O31", "O21") == "dO31/dO21"
    assert cr.edge_key("L", "O31") == "dL/dO31"
    with pytest.raises(TypeError, match="lower must be a node name such as 'O21', got"):
        cr.edge_key("O31", 3)
    with pytest.raises(TypeError, match="upper must be a node name"):
        cr.edge_key("", "O21")


# --- paths in the course network -----------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_path_product_equals_the_course_network_path_products(seed):
    x, y, p = random_point(seed)
    d = cn.local_derivatives(x, y, p)
    for name in cn.PARAM_NAMES + ("O21", "O22", "O11", "x"):
        for path, _values, product in cn.path_products(x, y, p, name):
            got = cr.path_product(d, list(path.nodes))
            assert got == pytest.approx(product, rel=1e-14, abs=1e-300), (name, path.nodes)


def test_path_product_by_hand():
    d = {"dL/dO31": 2.0, "dO31/dW4": 0.5, "dO31/dO21": 3.0, "dO21/dO11": -1.0}
    assert cr.path_product(d, ["L", "O31", "W4"]) == 1.0
    assert cr.path_product(d, ("L", "O31", "O21", "O11")) == -6.0
    assert cr.path_product(d, ["O31", "O21"]) == 3.0


def test_path_product_errors():
    d = {"dL/dO31": 2.0}
    with pytest.raises(KeyError, match=r"no local derivative 'dO31/dW4' \(the edge O31 -> W4\)"):
        cr.path_product(d, ["L", "O31", "W4"])
    with pytest.raises(ValueError, match=r"at least two nodes \(one edge\), got \['L'\]"):
        cr.path_product(d, ["L"])
    with pytest.raises(TypeError, match="path must be a list of node names .* got str"):
        cr.path_product(d, "L O31")
    with pytest.raises(TypeError, match=r"path\[1\] must be a node name"):
        cr.path_product(d, ["L", 31])
    with pytest.raises(TypeError, match="d must be a dict of local derivatives"):
        cr.path_product([2.0], ["L", "O31"])
    with pytest.raises(ValueError, match=r"d\['dL/dO31'\] must be finite"):
        cr.path_product({"dL/dO31": math.nan}, ["L", "O31"])


@pytest.mark.parametrize("seed", range(10))
def test_sum_over_paths_is_the_gradient_and_matches_central_differences(seed):
    x, y, p = random_point(seed)
    d = cn.local_derivatives(x, y, p)
    g = cn.gradients(x, y, p)
    for name in cn.PARAM_NAMES:
        paths = [path.nodes for path in cn.paths_to(name)]
        got = cr.sum_over_paths(d, paths)
        assert got == pytest.approx(g[name], rel=1e-12, abs=1e-15)
        numeric = cn.numerical_gradient(x, y, p, name)
        assert rel_error(got, numeric) <= 1e-7 or abs(got - numeric) <= 1e-10, (name, got)


def test_sum_over_paths_errors():
    d = cn.local_derivatives(*cn.default_example(), cn.default_params())
    with pytest.raises(ValueError, match="at least one path, got none"):
        cr.sum_over_paths(d, [])
    with pytest.raises(ValueError, match=r"same node, got ends \['W1', 'W4'\]"):
        cr.sum_over_paths(d, [("L", "O31", "W4"), cr.W1_PATHS[0]])
    with pytest.raises(TypeError, match="paths must be a list of paths"):
        cr.sum_over_paths(d, 3)


# --- dL/dW1 (two paths) and dL/dW4 (one path) ---------------------------------------


def test_W1_paths_are_the_course_network_paths():
    assert cr.W1_PATHS == tuple(p.nodes for p in cn.paths_to("W1"))


@pytest.mark.parametrize("activation", cn.ACTIVATIONS)
@pytest.mark.parametrize("seed", range(10))
def test_dL_dW1_matches_backprop_and_central_differences(seed, activation):
    x, y, p = random_point(seed)
    d = cn.local_derivatives(x, y, p, activation)
    got = cr.dL_dW1(d)
    assert got == pytest.approx(cn.gradients(x, y, p, activation)["W1"], rel=1e-12, abs=1e-15)
    numeric = cn.numerical_gradient(x, y, p, "W1", activation=activation)
    assert rel_error(got, numeric) <= 1e-7 or abs(got - numeric) <= 1e-10


def test_dL_dW1_needs_both_paths_at_the_default_point():
    x, y = cn.default_example()
    p = cn.default_params()
    d = cn.local_derivatives(x, y, p)
    via_O21, via_O22, total = cn.dL_dW1_two_paths(x, y, p)
    assert cr.dL_dW1(d) == pytest.approx(total, rel=1e-15)
    numeric = cn.numerical_gradient(x, y, p, "W1")
    assert rel_error(cr.dL_dW1(d), numeric) <= 1e-7
    # Either path alone is far from the derivative: the sum is not an approximation.
    assert rel_error(via_O21, numeric) > 0.1 and rel_error(via_O22, numeric) > 0.1


def test_dL_dW1_names_a_missing_key():
    d = cn.local_derivatives(*cn.default_example(), cn.default_params())
    del d["dO22/dO11"]
    with pytest.raises(KeyError, match=r"'dO22/dO11' \(the edge O22 -> O11\)"):
        cr.dL_dW1(d)
    with pytest.raises(TypeError, match="d must be a dict of local derivatives"):
        cr.dL_dW1(None)


@pytest.mark.parametrize("seed", range(10))
def test_dL_dW4_matches_backprop_and_central_differences(seed):
    x, y, p = random_point(seed)
    f = cn.forward(x, y, p)
    got = cr.dL_dW4(y, f["O21"], f["O31"])
    assert got == pytest.approx(cn.gradients(x, y, p)["W4"], rel=1e-12, abs=1e-15)
    numeric = cn.numerical_gradient(x, y, p, "W4")
    assert rel_error(got, numeric) <= 1e-7 or abs(got - numeric) <= 1e-10


def test_dL_dW4_by_hand_and_errors():
    # y = 1, O21 = 0.5, O31 = 0.5: -2 * 0.5 * 0.25 * 0.5
    assert cr.dL_dW4(1.0, 0.5, 0.5) == -0.125
    assert cr.dL_dW4(np.float64(1.0), np.array(0.5), 0.5) == -0.125
    with pytest.raises(TypeError, match="O21 must be a number"):
        cr.dL_dW4(1.0, "0.5", 0.5)
    with pytest.raises(ValueError, match="O31 must be finite"):
        cr.dL_dW4(1.0, 0.5, math.nan)
    with pytest.raises(TypeError, match="y must be a single number"):
        cr.dL_dW4([1.0, 0.0], 0.5, 0.5)


# --- the exercises of lesson 02 that build on this module --------------------------------


def test_path_product_exercise_rejects_a_product_of_every_entry_of_d():
    """d holds edges off the path, so multiplying all of d cannot pass by accident."""
    from backprop_lessons.exercises import lesson_02

    result = lesson_02.path_product.check(lambda d, path: math.prod(d.values()))
    assert not result.passed
    assert result.misconception == "every entry of d multiplied"
    namespace: dict = {}
    exec(lesson_02.path_product.solution_cell(), namespace)  # the teaching-form solution
    assert lesson_02.path_product.check(namespace["path_product"]).passed
