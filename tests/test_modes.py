import math

import numpy as np
import pytest

from backprop_lessons.maths import course_network as cn
from backprop_lessons.maths import modes
from backprop_lessons.maths.autodiff import Value
from backprop_lessons.maths.losses import mse_grad


def central(f, xs, i, h=1e-6):
    up, down = list(xs), list(xs)
    up[i] += h
    down[i] -= h
    return (f(up) - f(down)) / (2 * h)


def rel_err(a, b):
    return abs(a - b) / max(1e-12, abs(a) + abs(b))


PLAIN = {
    "+": lambda a, b: a + b,
    "*": lambda a, b: a * b,
    "tanh": math.tanh,
    "sigmoid": lambda a: 1 / (1 + math.exp(-a)),
}


@pytest.mark.parametrize("op", modes.LOCAL_OPS)
def test_local_gradients_match_central_differences(op):
    rng = np.random.default_rng(modes.LOCAL_OPS.index(op))
    f = PLAIN[op]
    for _ in range(5):
        xs = [float(v) for v in rng.normal(size=2 if op in "+*" else 1)]
        got = modes.local_gradients(op, xs)
        for i, g in enumerate(got):
            assert rel_err(g, central(lambda v: f(*v), xs, i)) <= 1e-7


def test_local_gradients_product_is_the_other_input():
    assert modes.local_gradients("*", [2.0, 3.0]) == (3.0, 2.0)
    assert modes.local_gradients("sigmoid", [0.0]) == (0.25,)


def test_local_gradients_errors_name_the_argument():
    with pytest.raises(ValueError, match="op must be one of '\\+', '\\*'.*got str 'exp'"):
        modes.local_gradients("exp", [1.0])
    with pytest.raises(ValueError, match="inputs of '\\*' must hold 2 number.*got 1"):
        modes.local_gradients("*", [1.0])
    with pytest.raises(TypeError, match="inputs must be a list of numbers, got the number 1.0"):
        modes.local_gradients("tanh", 1.0)
    with pytest.raises(TypeError, match=r"inputs\[0\] must be a number"):
        modes.local_gradients("tanh", ["a"])


def _course():
    x, y = cn.default_example()
    p = cn.default_params()
    return x, y, p, modes.course_values(x, y, p)


def test_course_values_gradients_equal_course_network_gradients():
    x, y, p, v = _course()
    assert v["L"].data == pytest.approx(cn.forward(x, y, p)["L"], rel=1e-15)
    v["L"].backward()
    for name, g in cn.gradients(x, y, p).items():
        assert v[name].grad == pytest.approx(g, rel=1e-12, abs=1e-15)
    for name, g in cn.node_gradients(x, y, p).items():
        assert v[name].grad == pytest.approx(g, rel=1e-12, abs=1e-15)


def test_course_values_tanh_and_errors():
    x, y = cn.default_example()
    p = cn.default_params()
    v = modes.course_values(x, y, p, activation="tanh")
    v["L"].backward()
    for name, g in cn.gradients(x, y, p, "tanh").items():
        assert v[name].grad == pytest.approx(g, rel=1e-12, abs=1e-15)
    with pytest.raises(ValueError, match="activation must be 'sigmoid' or 'tanh', got str"):
        modes.course_values(x, y, p, activation="relu")
    with pytest.raises(ValueError, match="params must have exactly the keys"):
        modes.course_values(x, y, {"W1": 1.0})


def test_course_network_as_layers_gives_the_same_gradients():
    x, y, p, _ = _course()
    net = modes.course_network_as_layers(p)
    Y, cache = net.forward(np.array([[x]]))
    assert float(Y[0, 0]) == pytest.approx(cn.forward(x, y, p)["O31"], rel=1e-14)
    g = net.backward(cache, mse_grad(np.array([[y]]), Y))
    ref = cn.gradients(x, y, p)
    pairs = {"W1": g["W1"][0, 0], "W2": g["W2"][0, 0], "W3": g["W2"][0, 1],
             "W4": g["W3"][0, 0], "W5": g["W3"][1, 0], "b1": g["b1"][0],
             "b2": g["b2"][0], "b3": g["b2"][1], "b4": g["b3"][0]}
    for name, value in pairs.items():
        assert float(value) == pytest.approx(ref[name], rel=1e-12)


def test_graph_of_names_nodes_and_keeps_local_derivatives():
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    c = a * b
    c.label = "c"
    d = c + a
    d.label = "d"
    g = modes.graph_of(d)
    assert g.order == ["a", "b", "c", "d"]
    assert g.children == {"c": ["a", "b"], "d": ["c", "a"]}
    assert g.local_grads == {"c": [3.0, 2.0], "d": [1.0, 1.0]}
    assert g.data["d"] == 8.0
    unnamed = modes.graph_of(Value(1.0) * 2.0)
    assert unnamed.order == ["leaf0", "leaf1", "*2"]


def test_graph_of_errors():
    with pytest.raises(TypeError, match="root must be a Value, got the number 1.0"):
        modes.graph_of(1.0)
    a, b = Value(1.0, label="a"), Value(2.0, label="a")
    with pytest.raises(ValueError, match="two nodes named 'a'"):
        modes.graph_of(a + b)


def test_topological_order_children_first_shared_node_once():
    children = {"L": ["u", "v"], "u": ["x"], "v": ["x", "w"]}
    order = modes.topological_order(children, "L")
    assert order == ["x", "u", "w", "v", "L"]
    assert modes.topological_order({}, "x") == ["x"]


def test_topological_order_equals_value_nodes():
    *_, v = _course()
    g = modes.graph_of(v["L"])
    assert modes.topological_order(g.children, "L") == g.order


def test_topological_order_long_chain_no_recursion_limit():
    n = 20_000
    children = {f"n{i}": [f"n{i - 1}"] for i in range(1, n)}
    order = modes.topological_order(children, f"n{n - 1}")
    assert order[0] == "n0" and order[-1] == f"n{n - 1}" and len(order) == n


def test_topological_order_errors():
    with pytest.raises(ValueError, match="cycle through 'a'"):
        modes.topological_order({"a": ["b"], "b": ["a"]}, "a")
    with pytest.raises(TypeError, match="children must be a dict"):
        modes.topological_order([("a", "b")], "a")
    with pytest.raises(TypeError, match=r"children\['a'\] must be a list of node names, got str"):
        modes.topological_order({"a": "b"}, "a")


def test_backward_pass_equals_value_backward():
    *_, v = _course()
    v["L"].backward()
    g = modes.graph_of(v["L"])
    grads = modes.backward_pass(g.order, g.children, g.local_grads)
    for name in g.order:
        assert grads[name] == pytest.approx(v[name].grad, rel=1e-15, abs=0)


def test_backward_pass_accumulates_a_node_used_twice():
    x = Value(3.0, label="x")
    L = x * x
    L.label = "L"
    g = modes.graph_of(L)
    assert modes.backward_pass(g.order, g.children, g.local_grads) == {"x": 6.0, "L": 1.0}


def test_backward_pass_matches_central_differences():
    def f(v):
        a, b = v
        u = (a * b).tanh()
        return (u + a).sigmoid() * u

    xs = [0.7, -1.3]
    vals = [Value(xs[0], label="a"), Value(xs[1], label="b")]
    g = modes.graph_of(f(vals))
    grads = modes.backward_pass(g.order, g.children, g.local_grads)
    plain = lambda v: f([Value(v[0]), Value(v[1])]).data  # noqa: E731
    for i, name in enumerate("ab"):
        assert rel_err(grads[name], central(plain, xs, i)) <= 1e-7


def test_backward_pass_errors():
    with pytest.raises(TypeError, match="order must be a non-empty list"):
        modes.backward_pass([], {}, {})
    with pytest.raises(ValueError, match=r"children\['L'\] names \['q'\], not in order"):
        modes.backward_pass(["x", "L"], {"L": ["q"]}, {"L": [1.0]})
    with pytest.raises(ValueError, match=r"local_grads\['L'\] must give one local derivative "
                                         r"per child: expected 2, got 1"):
        modes.backward_pass(["x", "L"], {"L": ["x", "x"]}, {"L": [1.0]})
    with pytest.raises(TypeError, match="local_grads must be a dict"):
        modes.backward_pass(["x", "L"], {"L": ["x"]}, [1.0])
    with pytest.raises(ValueError, match="children names node 'M', which is not in order"):
        modes.backward_pass(["x", "L"], {"M": ["x"]}, {"M": [1.0]})


DUAL_FUNCS = {
    "add": lambda a, b: a + b + 2.0,
    "sub": lambda a, b: a - b - 1.5,
    "rsub": lambda a, b: 1.5 - a * b,
    "mul": lambda a, b: a * b * 3.0,
    "div": lambda a, b: a / b,
    "rdiv": lambda a, b: 2.0 / (b * b + 1.0),
    "pow": lambda a, b: (a * a + 1.0) ** 1.5,
    "exp": lambda a, b: (a * b).exp(),
    "tanh": lambda a, b: (a + b).tanh(),
    "sigmoid": lambda a, b: (a * 2.0 - b).sigmoid(),
}


def _plain(fn):
    return lambda v: fn(Value(v[0]), Value(v[1])).data


@pytest.mark.parametrize("name", sorted(DUAL_FUNCS))
def test_dual_tangents_match_central_differences(name):
    fn = DUAL_FUNCS[name]
    rng = np.random.default_rng(sorted(DUAL_FUNCS).index(name))
    for _ in range(4):
        xs = [float(rng.uniform(0.5, 2)), float(rng.uniform(0.5, 2))]
        for i in range(2):
            duals = [modes.Dual(x, 1.0 if j == i else 0.0) for j, x in enumerate(xs)]
            out = fn(*duals)
            assert out.value == pytest.approx(_plain(fn)(xs), rel=1e-14)
            assert rel_err(out.dot, central(_plain(fn), xs, i)) <= 1e-7


def test_dual_errors_and_repr():
    with pytest.raises(TypeError, match="unsupported operand for \\*: Dual and str"):
        modes.Dual(1.0) * "a"
    with pytest.raises(ZeroDivisionError, match="value is 0.0"):
        modes.Dual(1.0) / 0.0
    with pytest.raises(TypeError, match="exponent of \\*\\* must be a number"):
        modes.Dual(1.0) ** modes.Dual(2.0)
    with pytest.raises(TypeError, match="value must be a number"):
        modes.Dual("x")
    assert repr(modes.Dual(2.0, 1.0)) == "Dual(value=2.0, dot=1.0)"


def test_dual_multiply_is_the_product_rule():
    assert modes.dual_multiply(2.0, 1.0, 3.0, 0.0) == (6.0, 3.0)
    assert modes.dual_multiply(2.0, 1.0, 3.0, 1.0) == (6.0, 5.0)
    d = modes.Dual(2.0, 0.5) * modes.Dual(-1.5, 2.0)
    assert modes.dual_multiply(2.0, 0.5, -1.5, 2.0) == (d.value, d.dot)
    with pytest.raises(TypeError, match="b_dot must be a number"):
        modes.dual_multiply(1.0, 1.0, 1.0, None)


def test_forward_and_reverse_mode_agree_with_central_differences():
    sizes = [2, 3, 2]
    n = modes.n_parameters(sizes)
    assert n == 3 * 3 + 4 * 2
    theta = [float(v) for v in np.random.default_rng(1).normal(size=n)]

    def f(t):
        return modes.network_loss(t, sizes, [0.5, -1.0], [1.0, 0.0])

    fwd = modes.forward_mode_gradient(f, theta)
    rev = modes.reverse_mode_gradient(f, theta)
    for i in range(n):
        num = central(f, theta, i)
        assert rel_err(fwd[i], num) <= 1e-7
        assert rel_err(rev[i], num) <= 1e-7
        assert fwd[i] == pytest.approx(rev[i], rel=1e-12, abs=1e-15)


def test_network_loss_on_floats_equals_the_vectorized_network():
    from backprop_lessons.maths.losses import mse
    from backprop_lessons.maths.network import Network

    sizes = [2, 3, 2]
    net = Network(sizes, seed=3)
    theta = []
    for k in (1, 2):
        theta += list(net.params[f"W{k}"].ravel()) + list(net.params[f"b{k}"])
    x, y = np.array([0.3, -0.7]), np.array([1.0, 0.0])
    expected = mse(y.reshape(1, -1), net.predict(x.reshape(1, -1)))
    assert modes.network_loss([float(t) for t in theta], sizes, x, y) == pytest.approx(
        expected, rel=1e-14)


def test_network_loss_and_sizes_errors():
    with pytest.raises(ValueError, match="theta must hold 9 parameters"):
        modes.network_loss([0.0], [2, 2, 1], [0, 0], [0])
    with pytest.raises(ValueError, match="x must hold 2 numbers and y 1, got 1 and 1"):
        modes.network_loss([0.0] * 9, [2, 2, 1], [0], [0])
    with pytest.raises(ValueError, match="layer_sizes must list at least two positive"):
        modes.n_parameters([3])
    with pytest.raises(TypeError, match="layer_sizes must be a list of positive integers"):
        modes.n_parameters(3)


def test_forward_and_reverse_gradient_errors():
    with pytest.raises(TypeError, match="inputs must be a list of numbers"):
        modes.forward_mode_gradient(lambda t: t[0], "ab")
    with pytest.raises(TypeError, match="f must return one number computed from its inputs"):
        modes.forward_mode_gradient(lambda t: 1.0, [1.0])
    with pytest.raises(TypeError, match="f must return one number computed from its inputs"):
        modes.reverse_mode_gradient(lambda t: 1.0, [1.0])


def test_count_operations_and_pass_counts():
    a = Value(1.0)
    assert modes.count_operations(a) == 0
    assert modes.count_operations((a * 2.0 + a).tanh()) == 3
    with pytest.raises(TypeError, match="root must be a Value"):
        modes.count_operations(3)
    c = modes.pass_counts([1, 1, 2, 1])
    assert c["n_params"] == 9 and c["forward_passes"] == 9 and c["reverse_passes"] == 2
    assert c["forward_mode_ops"] == 9 * c["ops"] and c["reverse_mode_ops"] == 2 * c["ops"]
    big = modes.pass_counts([10, 20, 1])
    assert big["forward_mode_ops"] / big["reverse_mode_ops"] == big["n_params"] / 2
