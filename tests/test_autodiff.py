import math

import numpy as np
import pytest

from backprop_lessons.maths.autodiff import Value

REL_TOL = 1e-7


def central_difference(f, xs, i, h=1e-6):
    """(f(x + h e_i) - f(x - h e_i)) / (2 h) with plain floats."""
    up = list(xs)
    down = list(xs)
    up[i] += h
    down[i] -= h
    return (f(*up) - f(*down)) / (2 * h)


def rel_err(a, b):
    return abs(a - b) / max(1e-12, abs(a) + abs(b))


# name -> (function of Values or floats, sampler for the inputs)
OPS = {
    "add": (lambda a, b: a + b, lambda r: [r.normal(), r.normal()]),
    "sub": (lambda a, b: a - b, lambda r: [r.normal(), r.normal()]),
    "mul": (lambda a, b: a * b, lambda r: [r.normal(), r.normal()]),
    "div": (lambda a, b: a / b, lambda r: [r.normal(), r.uniform(0.5, 2) * r.choice([-1, 1])]),
    "pow3": (lambda a: a**3, lambda r: [r.normal()]),
    "pow_frac": (lambda a: a**1.5, lambda r: [r.uniform(0.5, 2)]),
    "pow_neg": (lambda a: a**-2, lambda r: [r.uniform(0.5, 2)]),
    "neg": (lambda a: -a, lambda r: [r.normal()]),
    "radd": (lambda a: 2.5 + a, lambda r: [r.normal()]),
    "rmul": (lambda a: 2.5 * a, lambda r: [r.normal()]),
    "rsub": (lambda a: 2.5 - a, lambda r: [r.normal()]),
    "rtruediv": (lambda a: 2.5 / a, lambda r: [r.uniform(0.5, 2)]),
    "exp": (lambda a: a.exp() if isinstance(a, Value) else math.exp(a), lambda r: [r.normal()]),
    "log": (
        lambda a: a.log() if isinstance(a, Value) else math.log(a),
        lambda r: [r.uniform(0.5, 3)],
    ),
    "tanh": (lambda a: a.tanh() if isinstance(a, Value) else math.tanh(a), lambda r: [r.normal()]),
    "sigmoid": (
        lambda a: a.sigmoid() if isinstance(a, Value) else 1 / (1 + math.exp(-a)),
        lambda r: [r.normal() * 3],
    ),
    "relu": (
        lambda a: a.relu() if isinstance(a, Value) else max(0.0, a),
        lambda r: [r.uniform(0.2, 2) * r.choice([-1, 1])],
    ),
}


@pytest.mark.parametrize("name", sorted(OPS))
def test_each_op_backward_matches_central_differences(name):
    f, sample = OPS[name]
    rng = np.random.default_rng(sorted(OPS).index(name))
    for _ in range(5):
        xs = [float(v) for v in sample(rng)]
        vs = [Value(x) for x in xs]
        out = f(*vs)
        assert out.data == pytest.approx(f(*xs), rel=1e-15, abs=1e-15)
        out.backward()
        for i, v in enumerate(vs):
            numeric = central_difference(f, xs, i)
            if name == "relu":
                assert v.grad == (1.0 if xs[0] > 0 else 0.0)
            else:
                assert rel_err(v.grad, numeric) <= REL_TOL, (name, xs, v.grad, numeric)


def test_sigmoid_does_not_overflow_for_large_negative_input():
    s = Value(-800.0).sigmoid()
    assert s.data == 0.0
    assert Value(800.0).sigmoid().data == 1.0


def test_node_used_on_two_paths_gets_the_sum():
    # L = a*b + a  ->  dL/da = b + 1
    a, b = Value(3.0), Value(-2.0)
    L = a * b + a
    L.backward()
    assert a.grad == pytest.approx(-2.0 + 1.0)
    assert b.grad == pytest.approx(3.0)
    # x*x uses x twice in one op: d(x^2)/dx = 2x
    x = Value(4.0)
    y = x * x
    y.backward()
    assert x.grad == 8.0


def test_diamond_graph_like_the_course_network():
    # O11 feeds O21 and O22, both feed O31: the two path products add up
    w = Value(0.7)
    o11 = w.tanh()
    o21 = (o11 * 2.0).sigmoid()
    o22 = (o11 * -3.0).sigmoid()
    o31 = o21 + o22
    o31.backward()
    t = math.tanh(0.7)
    s21 = 1 / (1 + math.exp(-2 * t))
    s22 = 1 / (1 + math.exp(3 * t))
    path1 = s21 * (1 - s21) * 2.0 * (1 - t * t)
    path2 = s22 * (1 - s22) * -3.0 * (1 - t * t)
    assert w.grad == pytest.approx(path1 + path2, rel=1e-12)


def test_deep_chain_of_100000_nodes_without_recursion_error():
    x = Value(1.0)
    y = x
    for _ in range(100_000):
        y = y * 1.0 + 0.0
    y.backward()  # 200,001 nodes deep
    assert x.grad == 1.0
    # per step: constant 1.0, the product, constant 0.0, the sum
    assert len(y.nodes()) == 4 * 100_000 + 1


def test_backward_accumulates_on_leaves_and_zero_grad_resets():
    a = Value(2.0)
    L = a * a * 3.0
    L.backward()
    assert a.grad == 12.0
    L.backward()
    assert a.grad == 24.0  # leaves accumulate, like PyTorch
    L.zero_grad()
    assert a.grad == 0.0
    L.backward()
    assert a.grad == 12.0


def test_nodes_and_edges_are_deterministic_and_in_insertion_order():
    def build():
        w, x, b = Value(2.0, label="w"), Value(3.0, label="x"), Value(1.0, label="b")
        return (w * x + b) ** 2

    L1, L2 = build(), build()
    labels1 = [n.label or n.op for n in L1.nodes()]
    labels2 = [n.label or n.op for n in L2.nodes()]
    assert labels1 == labels2 == ["w", "x", "*", "b", "+", "**2"]
    edges = [(c.label or c.op, p.label or p.op) for c, p in L1.edges()]
    assert edges == [("w", "*"), ("x", "*"), ("*", "+"), ("b", "+"), ("+", "**2")]
    prod = L1.nodes()[2]
    assert [c.label for c in prod.children] == ["w", "x"]
    assert prod.local_grads == (3.0, 2.0)


def test_edges_list_a_reused_child_once():
    x = Value(1.5, label="x")
    y = x * x
    assert y.edges() == [(x, y)]
    assert y.children == (x, x)


@pytest.mark.parametrize(
    "expr, fragment",
    [
        (lambda v: v + "a", "unsupported operand for +: Value and str"),
        (lambda v: "a" * v, "unsupported operand for *: str and Value"),
        (lambda v: v - None, "got NoneType None"),
        (lambda v: v / [1], "expected a Value or a real number"),
        (lambda v: v ** Value(2.0), "exponent of ** must be an int or float"),
        (lambda v: v + True, "got bool True"),
    ],
)
def test_unsupported_operands_raise_clear_type_errors(expr, fragment):
    with pytest.raises(TypeError, match=fragment.replace("*", r"\*").replace("+", r"\+")):
        expr(Value(1.0))


def test_constructor_and_domain_errors_name_the_problem():
    with pytest.raises(TypeError, match="data must be a real number"):
        Value("1.0")
    with pytest.raises(ValueError, match="one local derivative per child: expected 2, got 0"):
        Value(1.0, (Value(1.0), Value(2.0)), "+")
    with pytest.raises(ValueError, match="log needs a positive Value, got data=-1.0"):
        Value(-1.0).log()
    with pytest.raises(ZeroDivisionError, match="data is 0.0"):
        Value(1.0) / Value(0.0)


def test_repr_is_deterministic():
    v = Value(0.5, label="w")
    assert repr(v) == "Value(data=0.5, grad=0.0, label='w')"


def test_numpy_scalars_are_accepted():
    v = Value(np.float64(2.0)) * np.float64(3.0)
    assert v.data == 6.0 and type(v.data) is float


def _course_network_loss(cn, x, y, params):
    P = {k: Value(float(v), label=k) for k, v in params.items()}
    O11 = (P["W1"] * x + P["b1"]).sigmoid()
    O21 = (P["W2"] * O11 + P["b2"]).sigmoid()
    O22 = (P["W3"] * O11 + P["b3"]).sigmoid()
    O31 = (P["W4"] * O21 + P["W5"] * O22 + P["b4"]).sigmoid()
    L = (y - O31) ** 2
    return L, P, O31


def test_course_network_gradients_match_the_closed_form():
    cn = pytest.importorskip("backprop_lessons.maths.course_network")
    x, y = cn.default_example()
    params = cn.default_params()
    L, P, O31 = _course_network_loss(cn, x, y, params)
    fwd = cn.forward(x, y, params)
    assert L.data == pytest.approx(float(fwd["L"]), rel=1e-12)
    assert O31.data == pytest.approx(float(fwd["O31"]), rel=1e-12)
    L.backward()
    expected = cn.gradients(x, y, params)
    assert set(expected) == set(P)
    for name, v in P.items():
        assert v.grad == pytest.approx(float(expected[name]), rel=1e-10, abs=1e-14), name


def test_hand_built_node_with_three_children():
    a, b, c = Value(1.0), Value(2.0), Value(3.0)
    # out = a + 2b + 3c, built by hand with its local derivatives
    out = Value(a.data + 2 * b.data + 3 * c.data, (a, b, c), "lin", local_grads=(1.0, 2.0, 3.0))
    (out * 2.0).backward()
    assert (a.grad, b.grad, c.grad) == (2.0, 4.0, 6.0)


# --- the fast backward against the teaching walk, memory, determinism --------------------

def _mlp_loss(seed=0, n_samples=6):
    """A small MLP loss built from Values (shared nodes, constants, relu and tanh)."""
    rng = np.random.default_rng(seed)
    W1 = [[Value(float(rng.uniform(-1, 1))) for _ in range(3)] for _ in range(5)]
    b1 = [Value(0.1) for _ in range(5)]
    W2 = [Value(float(rng.uniform(-1, 1))) for _ in range(5)]
    total = 0.0
    for _ in range(n_samples):
        x = [Value(float(v)) for v in rng.normal(size=3)]
        h = [sum((w * xi for w, xi in zip(row, x, strict=True)), b).tanh()
             for row, b in zip(W1, b1, strict=True)]
        out = sum((w * hj for w, hj in zip(W2, h, strict=True)), 0.0).relu()
        total = total + (out - 0.5) ** 2
    return total * (1.0 / n_samples), [w for row in W1 for w in row] + b1 + W2


def _backward_by_nodes(root):
    """The teaching algorithm: nodes() in reverse, child.grad += local * node.grad."""
    topo = root.nodes()
    grads = {id(n): 0.0 for n in topo}
    grads[id(root)] = 1.0
    for node in reversed(topo):
        for child, d in zip(node.children, node.local_grads, strict=True):
            grads[id(child)] += d * grads[id(node)]
    return grads


def test_backward_equals_the_teaching_walk_bit_for_bit():
    L, params = _mlp_loss()
    expected = _backward_by_nodes(L)
    L.backward()
    for node in L.nodes():
        assert node.grad == expected[id(node)]


def _random_graph(seed, n_ops=300):
    """A random graph: shared nodes, constants, inactive ReLUs, zero factors, hand-built
    nodes with three and four children (some local derivatives 0, a child repeated)."""
    rng = np.random.default_rng(seed)
    pool = [Value(float(v)) for v in rng.normal(size=6)] + [Value(0.0)]
    for _ in range(n_ops):
        a = pool[-1 - int(rng.integers(min(len(pool), 8)))]  # mostly recent: a deep graph
        b = pool[int(rng.integers(len(pool)))]
        kind = int(rng.integers(6))
        if kind == 0:
            out = a + b
        elif kind == 1:
            out = a * b
        elif kind == 2:
            out = (a - 0.3).relu()
        elif kind == 3:
            out = a.tanh() * 0.5
        else:
            c = pool[int(rng.integers(len(pool)))]
            kids = (a, b, c, a) if kind == 4 else (a, b, c)
            local = [float(rng.choice([0.0, rng.normal()])) for _ in kids]
            out = Value(sum(d * k.data for d, k in zip(local, kids, strict=True)), kids,
                        "lin", local_grads=local)
        pool.append(out)
    return sum(pool[-20:], pool[-21])


def _walk_order(root):
    """The order backward() must use: nodes()'s depth-first order, entering only
    operations and only through non-zero local derivatives."""
    order, seen, stack = [], {id(root)}, [(root, 0)]
    while stack:
        node, i = stack.pop()
        kids = [(c, d) for c, d in zip(node.children, node.local_grads, strict=True)
                if d and c.children]
        while i < len(kids) and id(kids[i][0]) in seen:
            i += 1
        if i < len(kids):
            stack += [(node, i + 1), (kids[i][0], 0)]
            seen.add(id(kids[i][0]))
        else:
            order.append(node)
    return order


def _backward_along(order):
    """The teaching algorithm's sums on ``order``, through non-zero local derivatives only."""
    grads = {id(order[-1]): 1.0}
    for node in reversed(order):
        for child, d in zip(node.children, node.local_grads, strict=True):
            if d:
                grads[id(child)] = grads.get(id(child), 0.0) + d * grads[id(node)]
    return grads


@pytest.mark.parametrize("seed", range(6))
def test_the_walk_visits_operations_in_the_documented_order_on_random_graphs(seed):
    root = _random_graph(seed)
    order = _walk_order(root)
    assert [id(n) for n in root._operations()] == [id(n) for n in order]
    along = _backward_along(order)
    teaching = _backward_by_nodes(root)
    root.backward()
    for node in root.nodes():
        # bit for bit the sums along the documented order; nodes reached through zero
        # local derivatives only keep their 0
        assert node.grad == along.get(id(node), 0.0)
        # and the teaching algorithm's to rounding: where a node is reached both through a
        # zero derivative and not, nodes() may place its users in another order
        assert node.grad == pytest.approx(teaching[id(node)], rel=1e-12, abs=1e-300)


def test_a_walk_is_not_confused_by_the_marks_of_an_earlier_walk():
    """The walk marks a node by a zero of its own in ``grad``: marks left by an earlier
    walk (one never followed by the backward pass) are not taken for this walk's."""
    root = _random_graph(7)
    first = root._operations()
    old_mark = root.grad
    assert all(n.grad == 0.0 and n.grad is old_mark for n in first)
    second = root._operations()
    assert [id(n) for n in second] == [id(n) for n in first]
    assert all(n.grad == 0.0 and n.grad is not old_mark for n in second)
    expected = _backward_along(_walk_order(root))
    root.backward()
    assert all(n.grad == expected.get(id(n), 0.0) for n in root.nodes())


def test_a_zero_local_derivative_passes_nothing_on():
    """Behind an inactive ReLU the subgraph gets exactly 0: even an infinite gradient
    arriving at the ReLU gives 0 there (as PyTorch's ReLU), not 0 * inf = NaN."""
    a, b = Value(-1.0), Value(2.0)
    z = a * b  # -2: the ReLU below is inactive, d relu / dz = 0
    r = z.relu()
    L = r * Value(float("inf")) + a * 3.0
    L.backward()
    assert r.grad == math.inf
    assert (z.grad, b.grad) == (0.0, 0.0)
    assert a.grad == 3.0  # only the path through a * 3.0
    # a factor whose value is 0: d(x * 0)/dx = 0, d(x * 0)/d0 = x
    x, zero = Value(5.0), Value(0.0)
    y = (x * x) * zero
    y.backward()
    assert (x.grad, zero.grad) == (0.0, 25.0)


def test_a_second_backward_resets_intermediates_and_accumulates_leaves():
    L, params = _mlp_loss(seed=1)
    L.backward()
    inner = {id(n): n.grad for n in L.nodes() if n.children}
    first = [p.grad for p in params]
    L.backward()
    assert all(n.grad == inner[id(n)] for n in L.nodes() if n.children)
    assert [p.grad for p in params] == pytest.approx([2 * g for g in first], rel=1e-12)


def test_two_roots_sharing_nodes():
    x, y = Value(2.0), Value(3.0)
    a = x * y
    L1 = a + x  # dL1/dx = y + 1 = 4, dL1/dy = x = 2
    L2 = a * a  # dL2/dx = 2 a y = 36, dL2/dy = 2 a x = 24
    L1.backward()
    assert (x.grad, y.grad, a.grad) == (4.0, 2.0, 1.0)
    L2.backward()
    assert (x.grad, y.grad, a.grad) == (40.0, 26.0, 12.0)


def test_hand_built_nodes_keep_children_and_local_grads_in_order():
    a, b, c = Value(1.0), Value(2.0), Value(3.0)
    out = Value(6.0, (a, b, c), "lin", local_grads=(1.0, 2.0, 3.0))
    assert out.children == (a, b, c) and out.local_grads == (1.0, 2.0, 3.0)
    assert out._prev == out.children and out.op == "lin"
    one = Value(2.0, (a,), "id", local_grads=(1.0,))
    assert one.children == (a,) and one.local_grads == (1.0,)
    assert Value(1.0).children == () and Value(1.0).local_grads == ()
    (out * one).backward()
    assert (a.grad, b.grad, c.grad) == (2.0 * 1 + 6.0, 4.0, 6.0)


def test_memory_per_operation_is_at_most_200_bytes():
    import gc
    import tracemalloc

    gc.collect()
    tracemalloc.start()
    L, _ = _mlp_loss(seed=2, n_samples=200)
    L.backward()
    used = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    n_ops = sum(1 for n in L.nodes() if n.children)
    assert n_ops > 5_000
    assert used / n_ops <= 200, used / n_ops


_GRADS_SCRIPT = """
import sys
sys.path.insert(0, sys.argv[1])
from tests.test_autodiff import _mlp_loss
L, params = _mlp_loss(seed=3, n_samples=20)
L.backward()
print(" ".join(p.grad.hex() for p in params))
"""


@pytest.mark.slow  # trains two networks / starts two interpreters
def test_same_gradients_bit_for_bit_across_processes():
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parent.parent)
    L, params = _mlp_loss(seed=3, n_samples=20)
    L.backward()
    here = " ".join(p.grad.hex() for p in params)
    for hash_seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        out = subprocess.run([sys.executable, "-c", _GRADS_SCRIPT, root], env=env,
                             capture_output=True, text=True, check=True, cwd=root)
        assert out.stdout.strip() == here
