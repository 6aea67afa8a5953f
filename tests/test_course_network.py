import math
import subprocess
import sys

import numpy as np
import pytest

from backprop_lessons.maths import course_network as cn
from tests.conftest import random_point, rel_error

EPS = np.finfo(np.float64).eps

# --- forward pass --------------------------------------------------------------------


def test_forward_by_hand_at_the_default_point():
    x, y = cn.default_example()
    p = cn.default_params()
    f = cn.forward(x, y, p)
    sig = lambda z: 1.0 / (1.0 + math.exp(-z))  # noqa: E731
    z11 = 0.5 * 1.5 + 0.1
    O11 = sig(z11)
    O21, O22 = sig(-0.8 * O11 + 0.2), sig(0.7 * O11 - 0.1)
    z31 = 1.2 * O21 - 0.6 * O22 + 0.05
    O31 = sig(z31)
    assert f["z11"] == pytest.approx(0.85, rel=1e-15)
    assert f["O11"] == pytest.approx(O11, rel=1e-15)
    assert f["O21"] == pytest.approx(O21, rel=1e-15)
    assert f["O22"] == pytest.approx(O22, rel=1e-15)
    assert f["z31"] == pytest.approx(z31, rel=1e-15)
    assert f["L"] == pytest.approx((1.0 - O31) ** 2, rel=1e-15)
    assert list(f) == ["x", "y", "z11", "O11", "z21", "O21", "z22", "O22", "z31", "O31", "L"]
    assert all(type(v) is float for v in f.values())


def test_identity_network_is_linear_and_tanh_is_tanh():
    x, y = 2.0, 0.5
    p = cn.default_params()
    f = cn.forward(x, y, p, activation="identity")
    O11 = 0.5 * 2.0 + 0.1
    O31 = 1.2 * (-0.8 * O11 + 0.2) - 0.6 * (0.7 * O11 - 0.1) + 0.05
    assert f["O31"] == pytest.approx(O31, rel=1e-15)
    t = cn.forward(x, y, p, activation="tanh")
    assert t["O11"] == pytest.approx(math.tanh(1.1), rel=1e-15)


def test_sigmoid_is_stable_for_huge_inputs():
    p = dict(cn.default_params(), W1=1e4)
    for x in (1e3, -1e3):
        f = cn.forward(x, 0.0, p)
        assert 0.0 <= f["O11"] <= 1.0
        g = cn.gradients(x, 0.0, p)
        assert all(math.isfinite(v) for v in g.values())


def test_inputs_accept_numpy_scalars_and_are_not_modified():
    p = {k: np.float64(v) for k, v in cn.default_params().items()}
    before = dict(p)
    f = cn.forward(np.array(1.5), np.float32(1.0), p)
    assert f["L"] == pytest.approx(cn.forward(1.5, 1.0, cn.default_params())["L"], rel=1e-15)
    assert p == before


def test_default_and_random_params():
    assert tuple(cn.default_params()) == cn.PARAM_NAMES
    assert cn.default_example() == (1.5, 1.0)
    a = cn.random_params(np.random.default_rng(3))
    b = cn.random_params(np.random.default_rng(3))
    assert a == b and tuple(a) == cn.PARAM_NAMES
    assert all(type(v) is float for v in a.values())
    assert a != cn.random_params(np.random.default_rng(4))


# --- gradients -----------------------------------------------------------------------


@pytest.mark.parametrize("activation", cn.ACTIVATIONS)
@pytest.mark.parametrize("seed", range(10))
def test_every_gradient_matches_central_differences(seed, activation):
    x, y, p = random_point(seed)
    g = cn.gradients(x, y, p, activation)
    assert tuple(g) == cn.PARAM_NAMES
    for name in cn.PARAM_NAMES:
        numeric = cn.numerical_gradient(x, y, p, name, activation=activation)
        assert rel_error(g[name], numeric) <= 1e-7, (name, g[name], numeric)


@pytest.mark.parametrize("activation", cn.ACTIVATIONS)
def test_gradients_match_up_to_rounding_over_many_points(activation):
    # A central difference cannot resolve a gradient much below eps * L / h: there the
    # absolute error is the meaningful measure (seen at a few of these 200 points,
    # always with |dL/dW| < 1e-4). Elsewhere the relative error must stay below 1e-7.
    h = 1e-5
    for seed in range(200):
        x, y, p = random_point(seed)
        g = cn.gradients(x, y, p, activation)
        L = cn.forward(x, y, p, activation)["L"]
        rounding = EPS * max(L, 1.0) / h
        for name in cn.PARAM_NAMES:
            numeric = cn.numerical_gradient(x, y, p, name, h=h, activation=activation)
            assert rel_error(g[name], numeric) <= 1e-7 or abs(g[name] - numeric) <= rounding, (
                seed,
                name,
                g[name],
                numeric,
            )


def test_default_point_gradients_are_not_trivially_small():
    # Guards the check above from passing on an all-zero gradient.
    g = cn.gradients(*cn.default_example(), cn.default_params())
    assert min(abs(v) for v in g.values()) > 1e-2


def test_gradient_sign_convention_is_descent():
    # Predicting too little (O31 < y): raising b4 raises O31 and lowers L, so dL/db4 < 0.
    x, y = cn.default_example()
    p = cn.default_params()
    assert cn.forward(x, y, p)["O31"] < y
    assert cn.gradients(x, y, p)["b4"] < 0


@pytest.mark.parametrize("seed", range(5))
def test_node_gradients_match_central_difference_in_x(seed):
    x, y, p = random_point(seed)
    n = cn.node_gradients(x, y, p)
    assert tuple(n) == cn.NODE_NAMES
    assert rel_error(n["x"], cn.numerical_gradient(x, y, p, "x")) <= 1e-7
    f = cn.forward(x, y, p)
    assert n["O31"] == pytest.approx(-2.0 * (y - f["O31"]), rel=1e-15)


# --- the two paths of W1 ---------------------------------------------------------------


@pytest.mark.parametrize("activation", cn.ACTIVATIONS)
@pytest.mark.parametrize("seed", range(5))
def test_two_paths_of_W1_add_up(seed, activation):
    x, y, p = random_point(seed)
    through_O21, through_O22, total = cn.dL_dW1_two_paths(x, y, p, activation)
    assert total == through_O21 + through_O22
    assert total == pytest.approx(cn.gradients(x, y, p, activation)["W1"], rel=1e-12)
    numeric = cn.numerical_gradient(x, y, p, "W1", activation=activation)
    assert rel_error(total, numeric) <= 1e-7
    # Either path alone is wrong: it misses the other one's contribution.
    assert rel_error(through_O21, numeric) > 1e-3
    assert rel_error(through_O22, numeric) > 1e-3


def test_two_paths_by_hand_from_local_derivatives():
    x, y = cn.default_example()
    p = cn.default_params()
    d = cn.local_derivatives(x, y, p)
    f = cn.forward(x, y, p)
    s = lambda z: 1 / (1 + math.exp(-z))  # noqa: E731
    sp = lambda z: s(z) * (1 - s(z))  # noqa: E731
    assert d["dL/dO31"] == pytest.approx(-2 * (y - f["O31"]), rel=1e-15)
    assert d["dO31/dO21"] == pytest.approx(sp(f["z31"]) * p["W4"], rel=1e-14)
    assert d["dO22/dO11"] == pytest.approx(sp(f["z22"]) * p["W3"], rel=1e-14)
    assert d["dO11/dW1"] == pytest.approx(sp(f["z11"]) * x, rel=1e-14)
    assert d["dO11/dx"] == pytest.approx(sp(f["z11"]) * p["W1"], rel=1e-14)
    assert d["dO31/dW5"] == pytest.approx(sp(f["z31"]) * f["O22"], rel=1e-14)
    a, b, _ = cn.dL_dW1_two_paths(x, y, p)
    assert a == d["dL/dO31"] * d["dO31/dO21"] * d["dO21/dO11"] * d["dO11/dW1"]
    assert b == d["dL/dO31"] * d["dO31/dO22"] * d["dO22/dO11"] * d["dO11/dW1"]


def test_local_derivatives_cover_every_edge():
    d = cn.local_derivatives(*cn.default_example(), cn.default_params())
    assert set(d) == {key for _, _, key in cn.EDGES}
    assert len(d) == 15


# --- paths ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, count",
    [
        ("W1", 2), ("b1", 2), ("O11", 2), ("x", 2),
        ("W2", 1), ("W3", 1), ("W4", 1), ("W5", 1),
        ("b2", 1), ("b3", 1), ("b4", 1),
        ("O21", 1), ("O22", 1), ("O31", 1),
    ],
)  # fmt: skip
def test_number_of_paths(name, count):
    paths = cn.paths_to(name)
    assert len(paths) == count
    assert all(path.nodes[0] == "L" and path.target == name for path in paths)
    assert all(len(path.factors) == len(path.nodes) - 1 for path in paths)


def test_paths_of_W1_in_the_lesson_order():
    first, second = cn.paths_to("W1")
    assert first.nodes == ("L", "O31", "O21", "O11", "W1")
    assert first.factors == ("dL/dO31", "dO31/dO21", "dO21/dO11", "dO11/dW1")
    assert second.nodes == ("L", "O31", "O22", "O11", "W1")
    assert str(first) == "∂L/∂O31 · ∂O31/∂O21 · ∂O21/∂O11 · ∂O11/∂W1"
    assert str(cn.paths_to("b4")[0]) == "∂L/∂O31 · ∂O31/∂b4"
    assert first.latex() == (
        r"\frac{\partial L}{\partial O_{31}} \cdot \frac{\partial O_{31}}{\partial O_{21}}"
        r" \cdot \frac{\partial O_{21}}{\partial O_{11}}"
        r" \cdot \frac{\partial O_{11}}{\partial W_{1}}"
    )


def test_paths_come_from_the_edge_list():
    # Every consecutive pair of nodes on a path is an edge, carrying the factor named.
    edges = {(upper, lower): key for upper, lower, key in cn.EDGES}
    for name in cn.PARAM_NAMES + cn.NODE_NAMES:
        for path in cn.paths_to(name):
            pairs = list(zip(path.nodes[:-1], path.nodes[1:], strict=True))
            assert tuple(edges[pair] for pair in pairs) == path.factors


def test_path_is_frozen_and_paths_to_returns_a_copy():
    path = cn.paths_to("W4")[0]
    with pytest.raises(AttributeError):
        path.nodes = ()  # type: ignore[misc]
    cn.paths_to("W4").clear()
    assert len(cn.paths_to("W4")) == 1


@pytest.mark.parametrize("activation", cn.ACTIVATIONS)
@pytest.mark.parametrize("seed", range(5))
def test_path_products_sum_to_every_gradient(seed, activation):
    x, y, p = random_point(seed)
    g = cn.gradients(x, y, p, activation)
    n = cn.node_gradients(x, y, p, activation)
    d = cn.local_derivatives(x, y, p, activation)
    for name, expected in {**g, **n}.items():
        rows = cn.path_products(x, y, p, name, activation)
        assert [row[0] for row in rows] == cn.paths_to(name)
        for path, values, product in rows:
            assert values == tuple(d[key] for key in path.factors)
            assert product == pytest.approx(math.prod(values), rel=1e-15)
        assert sum(row[2] for row in rows) == pytest.approx(expected, rel=1e-12, abs=1e-300)


# --- errors speak to the learner -------------------------------------------------------


def test_missing_param_is_named():
    p = cn.default_params()
    del p["W3"]
    with pytest.raises(ValueError, match=r"params must have exactly the keys .*: missing W3"):
        cn.forward(1.0, 0.0, p)


def test_extra_param_is_named():
    p = dict(cn.default_params(), W6=1.0)
    with pytest.raises(ValueError, match=r"unexpected 'W6'"):
        cn.gradients(1.0, 0.0, p)


def test_missing_and_extra_together():
    p = cn.default_params()
    del p["b4"]
    p["b5"] = 0.0
    with pytest.raises(ValueError, match=r"missing b4; unexpected 'b5'"):
        cn.local_derivatives(1.0, 0.0, p)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -np.inf])
def test_non_finite_param_is_named(bad):
    p = dict(cn.default_params(), W2=bad)
    with pytest.raises(ValueError, match=r"params\['W2'\] must be finite"):
        cn.forward(1.0, 0.0, p)


def test_non_number_param_is_named():
    p = dict(cn.default_params(), b2="0.2")
    with pytest.raises(TypeError, match=r"params\['b2'\] must be a number.*got str '0.2'"):
        cn.forward(1.0, 0.0, p)


def test_params_not_a_dict():
    with pytest.raises(TypeError, match=r"params must be a dict with the keys W1, .*got list"):
        cn.forward(1.0, 0.0, [0.5] * 9)


@pytest.mark.parametrize("arg", ["x", "y"])
def test_non_finite_example_is_named(arg):
    kwargs = {"x": 1.0, "y": 0.0, arg: float("nan")}
    with pytest.raises(ValueError, match=rf"^{arg} must be finite"):
        cn.forward(params=cn.default_params(), **kwargs)


@pytest.mark.parametrize("name", ["W6", "L", "z11", "w1", 1])
def test_unknown_path_target_lists_the_valid_ones(name):
    with pytest.raises(
        ValueError, match=r"name must be one of W1, W2, .*b4, O31, O21, O22, O11, x"
    ):
        cn.paths_to(name)
    with pytest.raises(ValueError, match="name must be one of"):
        cn.path_products(1.0, 0.0, cn.default_params(), name)


def test_numerical_gradient_rejects_a_node_and_a_bad_h():
    with pytest.raises(ValueError, match=r"name must be one of W1, .*b4, x, got str 'O21'"):
        cn.numerical_gradient(1.0, 0.0, cn.default_params(), "O21")
    with pytest.raises(ValueError, match="h must be a positive number, got 0.0"):
        cn.numerical_gradient(1.0, 0.0, cn.default_params(), "W1", h=0)


@pytest.mark.parametrize(
    "func",
    [cn.forward, cn.local_derivatives, cn.gradients, cn.node_gradients, cn.dL_dW1_two_paths],
)
@pytest.mark.parametrize("bad", ["relu", "Sigmoid", None])
def test_bad_activation_lists_the_valid_ones(func, bad):
    pattern = r"activation must be one of 'sigmoid', 'tanh', 'identity', got "
    with pytest.raises(ValueError, match=pattern):
        func(1.0, 0.0, cn.default_params(), activation=bad)


def test_bad_activation_in_path_products_and_numerical_gradient():
    with pytest.raises(ValueError, match="activation must be one of"):
        cn.path_products(1.0, 0.0, cn.default_params(), "W1", activation="relu")
    with pytest.raises(ValueError, match="activation must be one of"):
        cn.numerical_gradient(1.0, 0.0, cn.default_params(), "W1", activation="relu")


def test_random_params_needs_a_generator():
    with pytest.raises(TypeError, match=r"rng must be a numpy Generator .*got the number 0.0"):
        cn.random_params(0)
    with pytest.raises(ValueError, match="scale must be a positive number"):
        cn.random_params(np.random.default_rng(0), scale=-1.0)


def test_module_loads_numpy_only():
    code = (
        "import sys, backprop_lessons.maths.course_network; "
        "print(any(m.split('.')[0] in ('matplotlib', 'ipywidgets') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
