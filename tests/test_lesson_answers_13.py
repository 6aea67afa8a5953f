"""Issue 13, "false passes and wrong feedback": answers a learner wrote that passed, or were
told the wrong mistake, in lessons 01-09. Every wrong answer here must fail (most with the
right mistake named); every right variant must pass."""

import re

import numpy as np
import pytest

from backprop_lessons.exercises import (
    lesson_01,
    lesson_04,
    lesson_05,
    lesson_06,
    lesson_07,
    lesson_08,
    lesson_09,
)
from backprop_lessons.maths.activations import sigmoid, sigmoid_prime
from backprop_lessons.maths.gradcheck import relative_error
from backprop_lessons.maths.losses import mse, mse_grad
from tests.conftest import assert_wrong, solution

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

_assert_wrong = assert_wrong


def _solution(exercise):
    """The exercise's teaching-form solution, with what this lesson's setup cell imports."""
    return solution(exercise, np=np, sigmoid=sigmoid, sigmoid_prime=sigmoid_prime, mse=mse,
                     mse_grad=mse_grad, relative_error=relative_error)


# --- 01 numerical_derivative --------------------------------------------------------------


def nd_fixed_h(f, x, h=1e-5):
    return (f(x + 1e-5) - f(x - 1e-5)) / (2 * 1e-5)


def nd_fixed_h_everywhere(f, x, h=1e-5):
    step = 1e-5
    return (f(x + step) - f(x - step)) / (2 * step)


def nd_h_only_in_run(f, x, h=1e-5):
    return (f(x + 1e-5) - f(x - 1e-5)) / (2 * h)


def nd_forward(f, x, h=1e-5):
    return (f(x + h) - f(x)) / h


def nd_half_h(f, x, h=1e-5):
    return (f(x + h / 2) - f(x - h / 2)) / (2 * h)


def nd_float32(f, x, h=1e-5):
    x = np.float32(x)
    return np.float32((f(x + h) - f(x - h)) / (2 * h))


def nd_right_list_of_steps(f, x, h=1e-5):
    left, right = x - h, x + h
    return (f(right) - f(left)) / (right - left)


def nd_right_float(f, x, h=1e-5):
    return float((f(x + h) - f(x - h)) / (h + h))


ND_WRONG = {
    "h ignored (1e-5 hard-coded)": (nd_fixed_h, "h ignored"),
    "h ignored (a local step)": (nd_fixed_h_everywhere, "h ignored"),
    "h only in the run": (nd_h_only_in_run, "h ignored in the rise"),
    "forward difference": (nd_forward, "forward difference"),
    "half steps": (nd_half_h, None),
    "float32": (nd_float32, None),
}


@pytest.mark.parametrize("name", ND_WRONG)
def test_wrong_numerical_derivative_fails(name):
    _assert_wrong(lesson_01.numerical_derivative, *ND_WRONG[name])


def test_h_ignored_is_told_to_use_h():
    result = lesson_01.numerical_derivative.check(nd_fixed_h)
    assert "h = 0.1" in result.message and "use the parameter h" in result.message.lower()


@pytest.mark.parametrize("fn", [nd_right_list_of_steps, nd_right_float], ids=lambda f: f.__name__)
def test_right_numerical_derivative_passes(fn):
    result = lesson_01.numerical_derivative.check(fn)
    assert result.status == "passed", result.message


# --- 04 labels ----------------------------------------------------------------------------


def test_no_case_calls_1_2_1_the_course_network():
    for exercise in (lesson_04.two_layer_forward, lesson_04.layer_shapes,
                     lesson_05.two_layer_backward):
        for p in exercise.prepared_cases():
            label = p.case.label or ""
            if re.search(r"(?<![-\d])1-2-1", label):
                assert "course" not in label, label


def test_layer_shapes_course_case_is_1_1_2_1():
    course = [p.case for p in lesson_04.layer_shapes.prepared_cases()
              if "course" in (p.case.label or "")]
    assert course and list(course[0].args[0]) == [1, 1, 2, 1], course


def tlf_no_bias(X, W1, b1, W2, b2):
    Z1 = X @ W1
    A1 = sigmoid(Z1)
    Z2 = A1 @ W2
    return sigmoid(Z2), (X, Z1, A1, Z2)


def test_two_layer_failure_label_is_honest():
    message = lesson_04.two_layer_forward.check(tlf_no_bias).message
    assert "1-2-1 network: 1 input, 2 hidden neurons, 1 output" in message, message
    assert "course" not in message.splitlines()[0], message


# --- 05 check_gradient --------------------------------------------------------------------


def _numeric(f, param, h, restore):
    numeric = np.zeros(param.shape)
    for i in np.ndindex(param.shape):
        restore(f, param, i, h, numeric)
    return numeric


def _copies(f, param, i, h, numeric, *, run=None):
    plus, minus = param.copy(), param.copy()
    plus[i] += h
    minus[i] -= h
    numeric[i] = (f(plus) - f(minus)) / (2 * h) if run is None else run(f(plus) - f(minus), h)


def cg_no_floor(f, param, dL_dparam, h=1e-6):
    numeric = _numeric(f, param, h, _copies)
    return np.max(np.abs(dL_dparam - numeric)) / np.max(np.abs(dL_dparam) + np.abs(numeric))


def cg_div2_times_h(f, param, dL_dparam, h=1e-6):
    numeric = _numeric(f, param, h, lambda *a: _copies(*a, run=lambda d, h: d / 2 * h))
    return relative_error(dL_dparam, numeric)


def cg_reversed(f, param, dL_dparam, h=1e-6):
    numeric = _numeric(f, param, h, lambda *a: _copies(*a, run=lambda d, h: -d / (2 * h)))
    return relative_error(dL_dparam, numeric)


def _arith_restore(f, param, i, h, numeric):
    param[i] += h
    f_plus = f(param)
    param[i] -= 2 * h
    f_minus = f(param)
    param[i] += h
    numeric[i] = (f_plus - f_minus) / (2 * h)


def cg_arith_restore(f, param, dL_dparam, h=1e-6):
    return relative_error(dL_dparam, _numeric(f, param, h, _arith_restore))


def cg_norm(f, param, dL_dparam, h=1e-6):
    numeric = _numeric(f, param, h, _copies)
    return np.linalg.norm(dL_dparam - numeric) / (np.linalg.norm(dL_dparam)
                                                  + np.linalg.norm(numeric))


def cg_entrywise(f, param, dL_dparam, h=1e-6):
    numeric = _numeric(f, param, h, _copies)
    return np.max(np.abs(dL_dparam - numeric)
                  / np.maximum(1e-8, np.abs(dL_dparam) + np.abs(numeric)))


def cg_mean_abs(f, param, dL_dparam, h=1e-6):
    numeric = _numeric(f, param, h, _copies)
    return np.mean(np.abs(dL_dparam - numeric)) / max(1e-8, np.max(np.abs(dL_dparam)
                                                                  + np.abs(numeric)))


def cg_right_restore(f, param, dL_dparam, h=1e-6):
    def step(f, param, i, h, numeric):
        old = param[i]
        param[i] = old + h
        f_plus = f(param)
        param[i] = old - h
        f_minus = f(param)
        param[i] = old
        numeric[i] = (f_plus - f_minus) / (2 * h)
    return relative_error(dL_dparam, _numeric(f, param, h, step))


def cg_right_float32_free(f, param, dL_dparam, h=1e-6):
    a = np.asarray(dL_dparam, dtype=float)
    b = _numeric(f, param, h, _copies)
    return float(np.max(np.abs(a - b)) / max(1e-8, float(np.max(np.abs(a) + np.abs(b)))))


CG_WRONG = {
    "no floor": (cg_no_floor, "no floor"),
    "/ 2 * h": (cg_div2_times_h, "/ 2 * h"),
    "difference the wrong way round": (cg_reversed, "difference the wrong way round"),
    "+h, -2h, +h restore": (cg_arith_restore, "nudges not undone"),
    "norms": (cg_norm, "norm-based relative error"),
    "entry-by-entry ratio": (cg_entrywise, None),
    "mean absolute gap": (cg_mean_abs, None),
}


@pytest.mark.parametrize("name", CG_WRONG)
def test_wrong_check_gradient_fails(name):
    _assert_wrong(lesson_05.check_gradient, *CG_WRONG[name])


def test_check_gradient_messages_name_the_real_mistake():
    div = lesson_05.check_gradient.check(cg_div2_times_h).message
    assert "(2 * h)" in div and "wrong way round" not in div and "h²" in div
    arith = lesson_05.check_gradient.check(cg_arith_restore).message
    assert "last digit" in arith and "old = param[i]" in arith
    norm = lesson_05.check_gradient.check(cg_norm).message
    assert "deeplearning.ai" in norm and "CS231n does" not in norm


@pytest.mark.parametrize("fn", [cg_right_restore, cg_right_float32_free, "solution"],
                         ids=lambda f: getattr(f, "__name__", f))
def test_right_check_gradient_passes(fn):
    if fn == "solution":
        fn = _solution(lesson_05.check_gradient)
    result = lesson_05.check_gradient.check(fn)
    assert result.status == "passed", result.message


# --- 06 minibatch_indices -----------------------------------------------------------------


def mb_reversed(n, batch_size=32, seed=0):
    order = np.arange(n)[::-1]
    return [order[s:s + batch_size] for s in range(0, n, batch_size)]


def mb_legacy_unseeded(n, batch_size=32, seed=0):
    order = np.random.permutation(n)
    return [order[s:s + batch_size] for s in range(0, n, batch_size)]


def mb_seed_zero(n, batch_size=32, seed=0):
    order = np.random.default_rng(0).permutation(n)
    return [order[s:s + batch_size] for s in range(0, n, batch_size)]


def mb_legacy_seeded(n, batch_size=32, seed=0):
    order = np.random.RandomState(seed).permutation(n)
    return [order[s:s + batch_size] for s in range(0, n, batch_size)]


def mb_seed_plus_one(n, batch_size=32, seed=0):
    order = np.random.default_rng(seed + 1).permutation(n)
    return [order[s:s + batch_size] for s in range(0, n, batch_size)]


def mb_rolled(n, batch_size=32, seed=0):
    order = np.roll(np.arange(n), seed + 1)
    return [order[s:s + batch_size] for s in range(0, n, batch_size)]


def mb_batches_shuffled(n, batch_size=32, seed=0):
    order = np.arange(n)
    batches = [order[s:s + batch_size] for s in range(0, n, batch_size)]
    np.random.default_rng(seed).shuffle(batches)
    return batches


MB_WRONG = {
    "reversed order": (mb_reversed, "a fixed order, not a shuffle"),
    "np.random.permutation, seed ignored": (mb_legacy_unseeded, None),
    "default_rng(0) whatever the seed": (mb_seed_zero, "seed ignored"),
    "legacy RandomState(seed)": (mb_legacy_seeded, "legacy generator"),
    "seed + 1": (mb_seed_plus_one, None),
    "rolled order": (mb_rolled, None),
    "batches shuffled, not samples": (mb_batches_shuffled, None),
}


@pytest.mark.parametrize("name", MB_WRONG)
def test_wrong_minibatch_indices_fails(name):
    result = _assert_wrong(lesson_06.minibatch_indices, *MB_WRONG[name])
    assert "default_rng(seed)" in result.message or "Wrong batches" in result.message


def mb_shuffle_in_place(n, batch_size=32, seed=0):
    order = np.arange(n)
    np.random.default_rng(seed).shuffle(order)
    return [order[s:s + batch_size] for s in range(0, n, batch_size)]


def mb_lists(n, batch_size=32, seed=0):
    order = list(np.random.default_rng(seed).permutation(n))
    return [np.array(order[s:s + batch_size]) for s in range(0, n, batch_size)]


def mb_while(n, batch_size=32, seed=0):
    rng = np.random.default_rng(seed)
    order, out, start = rng.permutation(n), [], 0
    while start < n:
        out.append(order[start:start + batch_size])
        start += batch_size
    return out


@pytest.mark.parametrize("fn", [mb_shuffle_in_place, mb_lists, mb_while, "solution"],
                         ids=lambda f: getattr(f, "__name__", f))
def test_right_minibatch_indices_passes(fn):
    if fn == "solution":
        fn = _solution(lesson_06.minibatch_indices)
    result = lesson_06.minibatch_indices.check(fn)
    assert result.status == "passed", result.message


# --- 06 accuracy --------------------------------------------------------------------------


def acc_no_flatten(y, y_hat, threshold=0.5):
    return np.mean((y_hat >= threshold) == (y == 1))


def acc_flatten_y_only(y, y_hat, threshold=0.5):
    return np.mean((y_hat >= threshold) == (np.ravel(y) == 1))


def acc_reshape_col_hat(y, y_hat, threshold=0.5):
    return np.mean((np.reshape(y_hat, (-1, 1)) >= threshold) == (y == 1))


def acc_squeeze_axis(y, y_hat, threshold=0.5):
    return float(np.mean((y_hat >= threshold).squeeze() == (y == 1)))


ACC_WRONG = {
    "no flattening": (acc_no_flatten, "shapes broadcast"),
    "only y flattened": (acc_flatten_y_only, "shapes broadcast"),
    "only y_hat made a column": (acc_reshape_col_hat, "shapes broadcast"),
    "only y_hat squeezed": (acc_squeeze_axis, "shapes broadcast"),
}


@pytest.mark.parametrize("name", ACC_WRONG)
def test_wrong_accuracy_fails(name):
    fn, mistake = ACC_WRONG[name]
    result = lesson_06.accuracy.check(fn)
    assert result.status == "failed", result.message
    assert result.misconception == mistake, result.message
    assert "ravel" in result.message


def acc_reshape_both(y, y_hat, threshold=0.5):
    return float(np.mean((np.reshape(y_hat, -1) >= threshold) == (np.reshape(y, -1) == 1)))


def acc_count(y, y_hat, threshold=0.5):
    y, y_hat = np.ravel(y), np.ravel(y_hat)
    right = sum(int((p >= threshold) == (t == 1)) for p, t in zip(y_hat, y, strict=True))
    return right / len(y)


@pytest.mark.parametrize("fn", [acc_reshape_both, acc_count, "solution"],
                         ids=lambda f: getattr(f, "__name__", f))
def test_right_accuracy_passes(fn):
    if fn == "solution":
        fn = _solution(lesson_06.accuracy)
    result = lesson_06.accuracy.check(fn)
    assert result.status == "passed", result.message


# --- 07 topological_order -----------------------------------------------------------------


def topo_all_keys(children, root):
    order, seen = [], set()

    def visit(node):
        if node in seen:
            return
        seen.add(node)
        for child in children.get(node, []):
            visit(child)
        order.append(node)

    for node in children:
        visit(node)
    visit(root)
    return order


def topo_every_node_sorted(children, root):
    nodes = set(children) | {c for kids in children.values() for c in kids}
    order, done = [], set()
    while len(order) < len(nodes):
        for node in sorted(nodes):
            if node not in done and all(c in done for c in children.get(node, [])):
                order.append(node)
                done.add(node)
    return order


def topo_root_moved_last(children, root):
    order = [n for n in topo_all_keys(children, root) if n != root]
    return order + [root]


TOPO_WRONG = {
    "every key visited": topo_all_keys,
    "every node of the dict (Kahn)": topo_every_node_sorted,
    "every key, root moved last": topo_root_moved_last,
}


@pytest.mark.parametrize("name", TOPO_WRONG)
def test_wrong_topological_order_fails(name):
    result = lesson_07.topological_order.check(TOPO_WRONG[name])
    assert result.status == "failed", result.message
    assert "does not depend on" in result.message


def topo_iterative(children, root):
    order, done, stack = [], set(), [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if node in done:
            continue
        if expanded:
            done.add(node)
            order.append(node)
            continue
        stack.append((node, True))
        for child in reversed(children.get(node, [])):
            if child not in done:
                stack.append((child, False))
    return order


@pytest.mark.parametrize("fn", [topo_iterative, "solution"],
                         ids=lambda f: getattr(f, "__name__", f))
def test_right_topological_order_passes(fn):
    if fn == "solution":
        fn = _solution(lesson_07.topological_order)
    result = lesson_07.topological_order.check(fn)
    assert result.status == "passed", result.message


# --- 08 central_difference_gradient and sampled_gradient_check -----------------------------


def cdg_zeros_like(f, param, h=1e-6):
    grad = np.zeros_like(param)
    for i in np.ndindex(param.shape):
        old = param[i]
        param[i] = old + h
        f_plus = f(param)
        param[i] = old - h
        f_minus = f(param)
        param[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def cdg_empty_like(f, param, h=1e-6):
    grad = np.empty_like(param)
    for i in np.ndindex(param.shape):
        plus, minus = param.copy(), param.copy()
        plus[i] += h
        minus[i] -= h
        grad[i] = (f(plus) - f(minus)) / (2 * h)
    return grad


def cdg_astype(f, param, h=1e-6):
    grad = np.zeros(param.shape)
    for i in np.ndindex(param.shape):
        plus, minus = param.copy(), param.copy()
        plus[i] += h
        minus[i] -= h
        grad[i] = (f(plus) - f(minus)) / (2 * h)
    return grad.astype(param.dtype)


def cdg_float64(f, param, h=1e-6):
    grad = np.zeros(param.shape, dtype=np.float64)
    for i in np.ndindex(param.shape):
        plus, minus = param.copy(), param.copy()
        plus[i] += h
        minus[i] -= h
        grad[i] = (f(plus) - f(minus)) / (2 * h)
    return grad


CDG_WRONG = {"zeros_like": cdg_zeros_like, "empty_like": cdg_empty_like,
             "astype(param.dtype)": cdg_astype}


@pytest.mark.parametrize("name", CDG_WRONG)
def test_float32_gradient_fails(name):
    result = lesson_08.central_difference_gradient.check(CDG_WRONG[name])
    assert result.status == "failed", result.message
    assert result.misconception == "gradient kept in param's dtype", result.message
    assert "np.zeros(param.shape)" in result.message


@pytest.mark.parametrize("fn", [cdg_float64, "solution"],
                         ids=lambda f: getattr(f, "__name__", f))
def test_right_central_difference_gradient_passes(fn):
    if fn == "solution":
        fn = _solution(lesson_08.central_difference_gradient)
    result = lesson_08.central_difference_gradient.check(fn)
    assert result.status == "passed", result.message


def _sampled_with(pick):
    def check(f, param, dL_dparam, n_checks, seed=0, h=1e-6):
        picked = pick(param.size, n_checks, seed)
        a, b = [], []
        for k in picked:
            i = np.unravel_index(int(k), param.shape)
            plus, minus = param.copy(), param.copy()
            plus[i] += h
            minus[i] -= h
            b.append((f(plus) - f(minus)) / (2 * h))
            a.append(dL_dparam[i])
        return relative_error(np.array(a), np.array(b))
    return check


def _legacy_pick(size, n, seed):
    np.random.seed(seed)
    return np.random.choice(size, n, replace=False)


SAMPLED_WRONG = {
    "legacy np.random.seed": (_sampled_with(_legacy_pick), "legacy np.random.seed"),
    "RandomState(seed)": (_sampled_with(
        lambda size, n, seed: np.random.RandomState(seed).choice(size, n, replace=False)),
        "legacy np.random.seed"),
    "permutation[:n]": (_sampled_with(
        lambda size, n, seed: np.random.default_rng(seed).permutation(size)[:n]), None),
    "seed ignored": (_sampled_with(
        lambda size, n, seed: np.random.default_rng(0).choice(size, n, replace=False)), None),
}


@pytest.mark.parametrize("name", SAMPLED_WRONG)
def test_wrong_sample_is_not_told_every_entry(name):
    fn, mistake = SAMPLED_WRONG[name]
    result = lesson_08.sampled_gradient_check.check(fn)
    assert result.status == "failed", result.message
    assert result.misconception != "every entry", result.message
    if mistake is not None:
        assert result.misconception == mistake, result.message


def sampled_every_entry(f, param, dL_dparam, n_checks, seed=0, h=1e-6):
    numeric = np.zeros(param.shape)
    for i in np.ndindex(param.shape):
        plus, minus = param.copy(), param.copy()
        plus[i] += h
        minus[i] -= h
        numeric[i] = (f(plus) - f(minus)) / (2 * h)
    return relative_error(dL_dparam, numeric)


def test_every_entry_is_still_named():
    result = lesson_08.sampled_gradient_check.check(sampled_every_entry)
    assert result.status == "failed" and result.misconception == "every entry", result.message


@pytest.mark.parametrize("fn", [_sampled_with(
    lambda size, n, seed: np.random.default_rng(seed).choice(size, size=n, replace=False)),
    "solution"], ids=["by hand", "solution"])
def test_right_sampled_check_passes(fn):
    if fn == "solution":
        fn = _solution(lesson_08.sampled_gradient_check)
    result = lesson_08.sampled_gradient_check.check(fn)
    assert result.status == "passed", result.message


# --- 09 train_full_batch and numerical_gradients --------------------------------------------


def _paper_loop(step):
    from backprop_lessons.maths.rhw1986 import paper_network
    from backprop_lessons.maths.training import accuracy

    def train(layer_sizes, X, y, eta, alpha=0.9, max_epochs=3000, seed=0):
        net = paper_network(layer_sizes, seed)
        v = {k: np.zeros_like(p) for k, p in net.params.items()}
        epochs = 0
        while True:
            Y, cache = net.forward(X)
            if accuracy(y, Y) == 1.0 or epochs == max_epochs:
                break
            grads = net.backward(cache, mse_grad(y, Y))
            for k, p in net.params.items():
                v[k] = step(v[k], grads[k], eta, alpha)
                p += v[k]
            epochs += 1
        return epochs, accuracy(y, Y)
    return train


TRAIN_WRONG = {
    "moving-average momentum": (_paper_loop(
        lambda v, g, eta, alpha: alpha * v - (1 - alpha) * eta * g), "moving-average momentum"),
    "momentum forgotten": (_paper_loop(lambda v, g, eta, alpha: -eta * g),
                           "momentum forgotten"),
    "velocity not decayed": (_paper_loop(lambda v, g, eta, alpha: v - eta * g), None),
    "alpha on the gradient": (_paper_loop(lambda v, g, eta, alpha: v - alpha * eta * g), None),
}


@pytest.mark.parametrize("name", TRAIN_WRONG)
def test_wrong_train_full_batch_fails(name):
    _assert_wrong(lesson_09.train_full_batch, *TRAIN_WRONG[name])


def test_right_train_full_batch_passes():
    right = _paper_loop(lambda v, g, eta, alpha: alpha * v - eta * g)
    result = lesson_09.train_full_batch.check(right)
    assert result.status == "passed", result.message


def ng_backward(network, X, y, h=1e-6):
    Y, cache = network.forward(X)
    return network.backward(cache, mse_grad(y, Y))


def ng_backward_copied(network, X, y, h=1e-6):
    Y, cache = network.forward(X)
    return {k: np.array(v) for k, v in network.backward(cache, mse_grad(y, Y)).items()}


def _ng_with(restore):
    def numerical(network, X, y, h=1e-6):
        grads = {}
        for name, p in network.params.items():
            g = np.zeros(p.shape)
            for i in np.ndindex(p.shape):
                g[i] = restore(network, X, y, p, i, h)
            grads[name] = g
        return grads
    return numerical


def _no_restore(network, X, y, p, i, h):
    old = p[i]
    p[i] = old + h
    plus = mse(y, network.predict(X))
    p[i] = old - h
    return (plus - mse(y, network.predict(X))) / (2 * h)


def _arith(network, X, y, p, i, h):
    p[i] += h
    plus = mse(y, network.predict(X))
    p[i] -= 2 * h
    minus = mse(y, network.predict(X))
    p[i] += h
    return (plus - minus) / (2 * h)


NG_WRONG = {
    "network.backward": (ng_backward, "backward instead of finite differences"),
    "network.backward, copied": (ng_backward_copied, "backward instead of finite differences"),
    "no restore": (_ng_with(_no_restore), "not restored"),
    "+h, -2h, +h": (_ng_with(_arith), "not restored"),
}


@pytest.mark.parametrize("name", NG_WRONG)
def test_wrong_numerical_gradients_fails(name):
    fn, mistake = NG_WRONG[name]
    result = lesson_09.numerical_gradients.check(fn)
    assert result.status == "failed", result.message
    assert result.misconception == mistake, result.message


def test_restore_message_explains_rounding():
    message = lesson_09.numerical_gradients.check(_ng_with(_arith)).message
    assert "last digit" in message and "old = p[i]" in message


def _right_restore(network, X, y, p, i, h):
    old = p[i].copy()
    try:
        p[i] = old + h
        plus = mse(y, network.predict(X))
        p[i] = old - h
        return (plus - mse(y, network.predict(X))) / (2 * h)
    finally:
        p[i] = old


@pytest.mark.parametrize("fn", [_ng_with(_right_restore), "solution"],
                         ids=lambda f: getattr(f, "__name__", f))
def test_right_numerical_gradients_passes(fn):
    if fn == "solution":
        fn = _solution(lesson_09.numerical_gradients)
    result = lesson_09.numerical_gradients.check(fn)
    assert result.status == "passed", result.message


# --- 04/05 the two-layer exercises and layer_shapes: more learner answers ------------------


def tlf_relu_hidden(X, W1, b1, W2, b2):
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0)
    Z2 = A1 @ W2 + b2
    return sigmoid(Z2), (X, Z1, A1, Z2)


def tlf_elementwise(X, W1, b1, W2, b2):
    Z1 = X * W1.T[0] + b1[0] if W1.shape[1] == 1 else X @ W1 + b1
    A1 = sigmoid(Z1)
    Z2 = A1 * W2.T[0] + b2 if A1.shape[1] == W2.shape[0] == 1 else A1 @ W2 + b2
    return sigmoid(Z2), (X, Z1, A1, Z2)


def tlf_list_cache(X, W1, b1, W2, b2):
    Z1 = X @ W1 + b1
    A1 = sigmoid(Z1)
    Z2 = A1 @ W2 + b2
    return sigmoid(Z2), (X, Z1, A1, Z2, sigmoid(Z2))


def tlf_right_lists(X, W1, b1, W2, b2):
    Z1 = np.dot(X, W1) + b1
    A1 = 1 / (1 + np.exp(-Z1))
    Z2 = np.dot(A1, W2) + b2
    return 1 / (1 + np.exp(-Z2)), [X, Z1, A1, Z2]


@pytest.mark.parametrize("fn", [tlf_no_bias, tlf_relu_hidden, tlf_list_cache],
                         ids=lambda f: f.__name__)
def test_wrong_two_layer_forward_fails(fn):
    result = lesson_04.two_layer_forward.check(fn)
    assert result.status == "failed", result.message
    assert "1-2-1" not in result.message or "course" not in result.message, result.message


@pytest.mark.parametrize("fn", [tlf_right_lists, "solution"],
                         ids=lambda f: getattr(f, "__name__", f))
def test_right_two_layer_forward_passes(fn):
    if fn == "solution":
        fn = _solution(lesson_04.two_layer_forward)
    result = lesson_04.two_layer_forward.check(fn)
    assert result.status == "passed", result.message


def ls_shapes_of_weights_plus_input(layer_sizes, batch_size):
    return [(batch_size, layer_sizes[0])] + [
        (a, b) for a, b in zip(layer_sizes[:-1], layer_sizes[1:], strict=True)]


def ls_hidden_only(layer_sizes, batch_size):
    return [(batch_size, n) for n in layer_sizes[1:-1]]


def ls_flat_sizes(layer_sizes, batch_size):
    return [batch_size * n for n in layer_sizes]


def ls_right_loop(layer_sizes, batch_size):
    shapes = []
    for n in layer_sizes:
        shapes.append((int(batch_size), int(n)))
    return shapes


@pytest.mark.parametrize("fn", [ls_shapes_of_weights_plus_input, ls_hidden_only, ls_flat_sizes],
                         ids=lambda f: f.__name__)
def test_wrong_layer_shapes_fails(fn):
    result = lesson_04.layer_shapes.check(fn)
    assert result.status == "failed", result.message


@pytest.mark.parametrize("fn", [ls_right_loop, "solution"],
                         ids=lambda f: getattr(f, "__name__", f))
def test_right_layer_shapes_passes(fn):
    if fn == "solution":
        fn = _solution(lesson_04.layer_shapes)
    result = lesson_04.layer_shapes.check(fn)
    assert result.status == "passed", result.message


def _sp(Z):
    s = sigmoid(Z)
    return s * (1 - s)


def tlb_means(dL_dY, cache, W2):
    X, Z1, A1, Z2 = cache
    d2 = dL_dY * _sp(Z2)
    d1 = (d2 @ W2.T) * _sp(Z1)
    return X.T @ d1, d1.mean(axis=0), A1.T @ d2, d2.mean(axis=0)


def tlb_w2_not_transposed(dL_dY, cache, W2):
    X, Z1, A1, Z2 = cache
    d2 = dL_dY * _sp(Z2)
    d1 = (d2 * W2.ravel()) * _sp(Z1) if W2.shape[1] == 1 else (d2 @ W2.T) * _sp(Z1)
    return X.T @ d1, d1.sum(axis=0), A1.T @ d2, d2.sum(axis=0) * 0.5


def tlb_x_for_a1(dL_dY, cache, W2):
    X, Z1, A1, Z2 = cache
    d2 = dL_dY * _sp(Z2)
    d1 = (d2 @ W2.T) * _sp(Z1)
    return A1.T @ d1 if A1.shape[1] == X.shape[1] else X.T @ d1 * 2, d1.sum(axis=0), \
        A1.T @ d2, d2.sum(axis=0)


def tlb_right_via_y(dL_dY, cache, W2):
    X, Z1, A1, Z2 = cache
    Y = sigmoid(Z2)
    d2 = dL_dY * Y * (1 - Y)
    d1 = d2 @ W2.T * A1 * (1 - A1)
    return np.dot(X.T, d1), np.sum(d1, axis=0), np.dot(A1.T, d2), np.sum(d2, axis=0)


@pytest.mark.parametrize("fn", [tlb_means, tlb_w2_not_transposed, tlb_x_for_a1],
                         ids=lambda f: f.__name__)
def test_wrong_two_layer_backward_fails(fn):
    result = lesson_05.two_layer_backward.check(fn)
    assert result.status == "failed", result.message
    assert "course network's shape" not in result.message, result.message


@pytest.mark.parametrize("fn", [tlb_right_via_y, "solution"],
                         ids=lambda f: getattr(f, "__name__", f))
def test_right_two_layer_backward_passes(fn):
    if fn == "solution":
        fn = _solution(lesson_05.two_layer_backward)
    result = lesson_05.two_layer_backward.check(fn)
    assert result.status == "passed", result.message


# --- more answers for the other exercises touched ------------------------------------------


def cdg_one_copy_reused(f, param, h=1e-6):
    p = param.copy()
    grad = np.zeros(param.shape)
    for i in np.ndindex(param.shape):
        p[i] += h
        f_plus = f(p)
        p[i] -= 2 * h
        grad[i] = (f_plus - f(p)) / (2 * h)
    return grad


def cdg_float32_sum(f, param, h=1e-6):
    grad = np.zeros(param.shape, dtype=np.float32)
    for i in np.ndindex(param.shape):
        plus, minus = param.copy(), param.copy()
        plus[i] += h
        minus[i] -= h
        grad[i] = (f(plus) - f(minus)) / (2 * h)
    return grad


@pytest.mark.parametrize("fn", [cdg_one_copy_reused, cdg_float32_sum],
                         ids=lambda f: f.__name__)
def test_more_wrong_central_difference_gradients_fail(fn):
    result = lesson_08.central_difference_gradient.check(fn)
    assert result.status == "failed", result.message


def topo_bfs_reversed(children, root):
    order, queue = [], [root]
    while queue:
        node = queue.pop(0)
        if node not in order:
            order.append(node)
            queue.extend(children.get(node, []))
    return order[::-1]


def test_breadth_first_reversed_fails():
    # x reaches L directly and through g and h: reversed BFS puts x before g
    result = lesson_07.topological_order.check(topo_bfs_reversed)
    assert result.status == "failed", result.message


def acc_list_inputs(y, y_hat, threshold=0.5):
    y, y_hat = np.asarray(y).tolist(), np.asarray(y_hat).tolist()
    flat = lambda v: [a[0] if isinstance(a, list) else a for a in v]  # noqa: E731
    pairs = zip(flat(y), flat(y_hat), strict=True)
    return sum((p >= threshold) == (t == 1) for t, p in pairs) / len(y)


def test_accuracy_by_lists_passes():
    result = lesson_06.accuracy.check(acc_list_inputs)
    assert result.status == "passed", result.message


def ng_summed_loss(network, X, y, h=1e-6):
    def loss():
        return float(np.sum((network.predict(X) - y) ** 2))

    grads = {}
    for name, p in network.params.items():
        g = np.zeros(p.shape)
        for i in np.ndindex(p.shape):
            old = p[i].copy()
            p[i] = old + h
            plus = loss()
            p[i] = old - h
            g[i] = (plus - loss()) / (2 * h)
            p[i] = old
        grads[name] = g
    return grads


def ng_forward_difference_restore(network, X, y, h=1e-6):
    grads = {}
    base = mse(y, network.predict(X))
    for name, p in network.params.items():
        g = np.zeros(p.shape)
        for i in np.ndindex(p.shape):
            old = p[i].copy()
            p[i] = old + h
            g[i] = (mse(y, network.predict(X)) - base) / h
            p[i] = old
        grads[name] = g
    return grads


@pytest.mark.parametrize("fn", [ng_summed_loss, ng_forward_difference_restore],
                         ids=lambda f: f.__name__)
def test_more_wrong_numerical_gradients_fail(fn):
    result = lesson_09.numerical_gradients.check(fn)
    assert result.status == "failed", result.message
