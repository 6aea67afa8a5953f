"""Issue 13, done-when: every exercise of lessons 05-10 against learner-style wrong answers
(at least 8 each, with the ones in test_lesson_answers_13.py and test_lesson_10_answers.py)
and right variants written another valid way (lists, float32 where allowed, another
formulation). Every wrong answer fails, named by its misconception where the exercise has
one, with a short message that says something useful; every right variant passes."""

from __future__ import annotations

import copy
import math
from collections import defaultdict

import numpy as np
import pytest

from backprop_lessons.exercises import (
    lesson_05,
    lesson_06,
    lesson_07,
    lesson_08,
    lesson_09,
    lesson_10,
)
from backprop_lessons.maths import softmax as sm
from backprop_lessons.maths.activations import sigmoid, sigmoid_prime
from backprop_lessons.maths.gradcheck import relative_error
from backprop_lessons.maths.losses import mse, mse_grad
from backprop_lessons.maths.network import Network
from backprop_lessons.maths.rhw1986 import paper_network
from backprop_lessons.maths.training import accuracy as bl_accuracy
from backprop_lessons.maths.training import gradient_descent_step as bl_step
from backprop_lessons.maths.training import minibatches

# a learner's overflow or 0/0 warns in the notebook; here the verdict is the point
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

MAX_MESSAGE = 2000
UNNAMED = "no known mistake"  # a wrong answer no declared misconception describes


def _wrong(exercise, fn, mistake=None, needle=None):
    """``fn`` fails; named ``mistake`` when given (``UNNAMED``: no known mistake may be
    named, as a name would be wrong); a short message that names the mistake, the failing
    case, or (``needle``) a given phrase."""
    result = exercise.check(fn)
    assert result.status == "failed", result.message
    if mistake is UNNAMED:
        assert result.misconception is None, (result.misconception, result.message)
    elif mistake is not None:
        assert result.misconception == mistake, (result.misconception, result.message)
    message = result.message
    assert 0 < len(message) < MAX_MESSAGE, len(message)
    if needle is not None:
        assert needle in message, message
    else:
        assert result.misconception is not None or "case" in message.lower(), message
    return result


def _right(exercise, fn):
    result = exercise.check(fn)
    assert result.status == "passed", result.message
    return result


def _ids(table):
    return list(table)


# ============================================================================================
# lesson 05: output_error
# ============================================================================================


def oe_dropped_2(Y, y, Z_out):
    return (Y - y) / Y.size * sigmoid_prime(Z_out)


def oe_sign(Y, y, Z_out):
    return 2 * (y - Y) / Y.size * sigmoid_prime(Z_out)


def oe_no_n(Y, y, Z_out):
    return 2 * (Y - y) * sigmoid_prime(Z_out)


def oe_len(Y, y, Z_out):
    return 2 * (Y - y) / len(Y) * sigmoid_prime(Z_out)


def oe_z_slope(Y, y, Z_out):
    return 2 * (Y - y) / Y.size * Z_out * (1 - Z_out)


def oe_slope_of_y(Y, y, Z_out):
    return 2 * (Y - y) / Y.size * sigmoid_prime(Y)


def oe_mean_first(Y, y, Z_out):
    return np.mean(2 * (Y - y)) * sigmoid_prime(Z_out)


def oe_target_slope(Y, y, Z_out):
    return 2 * (Y - y) / Y.size * y * (1 - y)


def oe_by_outputs(Y, y, Z_out):
    return 2 * (Y - y) / Y.shape[1] * sigmoid_prime(Z_out)


def oe_in_place(Y, y, Z_out):
    Y -= y
    Y *= 2 / Y.size
    return Y * sigmoid_prime(Z_out)


def oe_squared(Y, y, Z_out):
    return 2 * (Y - y) ** 2 / Y.size * sigmoid_prime(Z_out)


def oe_loss_not_grad(Y, y, Z_out):
    return np.mean((Y - y) ** 2) * sigmoid_prime(Z_out)


OE_WRONG = {
    "dropped 2": (oe_dropped_2, "dropped factor 2"),
    "sign": (oe_sign, "sign flipped"),
    "no 1/N": (oe_no_n, "forgot 1/N"),
    "len(Y)": (oe_len, "N = number of instances"),
    "Z(1-Z)": (oe_z_slope, "Z(1 − Z) for sigmoid'"),
    "sigmoid' of Y": (oe_slope_of_y, "sigmoid' of Y"),
    "mean over the batch first": (oe_mean_first, None),
    "slope from the targets": (oe_target_slope, None),
    "divided by the number of outputs": (oe_by_outputs, None),
    "Y changed in place": (oe_in_place, None),
    "squared difference": (oe_squared, None),
    "the loss, not its derivative": (oe_loss_not_grad, None),
}


@pytest.mark.parametrize("name", _ids(OE_WRONG))
def test_output_error_wrong(name):
    _wrong(lesson_05.output_error, *OE_WRONG[name])


def oe_via_y(Y, y, Z_out):
    N = Y.shape[0] * Y.shape[1]
    return 2.0 / N * (Y - y) * Y * (1.0 - Y)


def oe_float32(Y, y, Z_out):
    s = 1 / (1 + np.exp(-Z_out.astype(np.float32)))
    return (2 * (Y - y) / Y.size).astype(np.float32) * s * (1 - s)


def oe_np_ops(Y, y, Z_out):
    return np.multiply(np.subtract(Y, y) * 2 / np.size(Y), sigmoid(Z_out) * (1 - sigmoid(Z_out)))


@pytest.mark.parametrize("fn", [oe_via_y, oe_float32, oe_np_ops], ids=lambda f: f.__name__)
def test_output_error_right(fn):
    _right(lesson_05.output_error, fn)


# ============================================================================================
# lesson 05: layer_backward
# ============================================================================================


def lb_transposed(dL_dZ, X, W):
    return dL_dZ.T @ X, dL_dZ.sum(axis=0), dL_dZ @ W.T


def lb_bias_unsummed(dL_dZ, X, W):
    return X.T @ dL_dZ, dL_dZ, dL_dZ @ W.T


def lb_bias_mean(dL_dZ, X, W):
    return X.T @ dL_dZ, dL_dZ.mean(axis=0), dL_dZ @ W.T


def lb_bias_axis1(dL_dZ, X, W):
    return X.T @ dL_dZ, dL_dZ.sum(axis=1), dL_dZ @ W.T


def lb_order(dL_dZ, X, W):
    return X.T @ dL_dZ, dL_dZ @ W.T, dL_dZ.sum(axis=0)


def lb_keepdims(dL_dZ, X, W):
    return X.T @ dL_dZ, dL_dZ.sum(axis=0, keepdims=True), dL_dZ @ W.T


def lb_dx_averaged(dL_dZ, X, W):
    return X.T @ dL_dZ, dL_dZ.sum(axis=0), dL_dZ @ W.T / len(X)


def lb_dx_wrong_side(dL_dZ, X, W):
    return X.T @ dL_dZ, dL_dZ.sum(axis=0), W @ dL_dZ.T


def lb_only_w_averaged(dL_dZ, X, W):
    return X.T @ dL_dZ / len(X), dL_dZ.sum(axis=0), dL_dZ @ W.T


def lb_bias_one_number(dL_dZ, X, W):
    return X.T @ dL_dZ, dL_dZ.sum(), dL_dZ @ W.T


def lb_elementwise(dL_dZ, X, W):
    return X.T * dL_dZ.sum(), dL_dZ.sum(axis=0), dL_dZ * W.sum()


def lb_forgot_dx(dL_dZ, X, W):
    return X.T @ dL_dZ, dL_dZ.sum(axis=0)


LB_WRONG = {
    "transposed": (lb_transposed, "transposed gradient"),
    "bias not summed": (lb_bias_unsummed, "bias gradient not summed"),
    "bias averaged": (lb_bias_mean, "bias gradient averaged"),
    "bias over axis 1": (lb_bias_axis1, "bias gradient summed over axis 1"),
    "order": (lb_order, "(dL_dW, dL_dX, dL_db) order"),
    "keepdims": (lb_keepdims, "(1, n) for (n,)"),
    "dX averaged": (lb_dx_averaged, None),
    "dX as W @ dL_dZ.T": (lb_dx_wrong_side, None),
    "only dW averaged": (lb_only_w_averaged, None),
    "bias one number": (lb_bias_one_number, "bias gradient summed to one number"),
    "entry by entry": (lb_elementwise, None),
    "dX forgotten": (lb_forgot_dx, None),
}


@pytest.mark.parametrize("name", _ids(LB_WRONG))
def test_layer_backward_wrong(name):
    _wrong(lesson_05.layer_backward, *LB_WRONG[name])


def lb_einsum(dL_dZ, X, W):
    return (np.einsum("ni,nj->ij", X, dL_dZ), np.einsum("nj->j", dL_dZ),
            np.einsum("nj,ij->ni", dL_dZ, W))


def lb_list_float32(dL_dZ, X, W):
    d = dL_dZ.astype(np.float32)
    return [X.T.astype(np.float32) @ d, d.sum(axis=0), d @ W.T.astype(np.float32)]


def lb_loop(dL_dZ, X, W):
    dW = np.zeros(W.shape)
    for n in range(len(X)):
        dW += np.outer(X[n], dL_dZ[n])
    return dW, np.sum(dL_dZ, axis=0), np.dot(dL_dZ, W.T)


@pytest.mark.parametrize("fn", [lb_einsum, lb_list_float32, lb_loop], ids=lambda f: f.__name__)
def test_layer_backward_right(fn):
    _right(lesson_05.layer_backward, fn)


# ============================================================================================
# lesson 05: two_layer_backward
# ============================================================================================


def tlb_no_hidden_slope(dL_dY, cache, W2):
    X, Z1, A1, Z2 = cache
    d2 = dL_dY * sigmoid_prime(Z2)
    d1 = d2 @ W2.T
    return X.T @ d1, d1.sum(axis=0), A1.T @ d2, d2.sum(axis=0)


def tlb_slope_of_a1(dL_dY, cache, W2):
    X, Z1, A1, Z2 = cache
    d2 = dL_dY * sigmoid_prime(Z2)
    d1 = (d2 @ W2.T) * sigmoid_prime(A1)
    return X.T @ d1, d1.sum(axis=0), A1.T @ d2, d2.sum(axis=0)


def tlb_z1_for_a1(dL_dY, cache, W2):
    X, Z1, A1, Z2 = cache
    d2 = dL_dY * sigmoid_prime(Z2)
    d1 = (d2 @ W2.T) * sigmoid_prime(Z1)
    return X.T @ d1, d1.sum(axis=0), Z1.T @ d2, d2.sum(axis=0)


def tlb_from_dy(dL_dY, cache, W2):
    X, Z1, A1, Z2 = cache
    d2 = dL_dY * sigmoid_prime(Z2)
    d1 = (dL_dY @ W2.T) * sigmoid_prime(Z1)
    return X.T @ d1, d1.sum(axis=0), A1.T @ d2, d2.sum(axis=0)


def tlb_weights_first(dL_dY, cache, W2):
    X, Z1, A1, Z2 = cache
    d2 = dL_dY * sigmoid_prime(Z2)
    d1 = (d2 @ W2.T) * sigmoid_prime(Z1)
    return X.T @ d1, A1.T @ d2, d1.sum(axis=0), d2.sum(axis=0)


def tlb_no_output_slope(dL_dY, cache, W2):
    X, Z1, A1, Z2 = cache
    d2 = dL_dY
    d1 = (d2 @ W2.T) * sigmoid_prime(Z1)
    return X.T @ d1, d1.sum(axis=0), A1.T @ d2, d2.sum(axis=0)


def tlb_slopes_of_outputs(dL_dY, cache, W2):
    X, Z1, A1, Z2 = cache
    Y = sigmoid(Z2)
    d2 = dL_dY * sigmoid_prime(Y)
    d1 = (d2 @ W2.T) * sigmoid_prime(A1)
    return X.T @ d1, d1.sum(axis=0), A1.T @ d2, d2.sum(axis=0)


def tlb_mixed_biases(dL_dY, cache, W2):
    X, Z1, A1, Z2 = cache
    d2 = dL_dY * sigmoid_prime(Z2)
    d1 = (d2 @ W2.T) * sigmoid_prime(Z1)
    return X.T @ d1, d1.sum(axis=0) + d2.sum(), A1.T @ d2, d2.sum(axis=0)


def tlb_a1_slope_at_output(dL_dY, cache, W2):
    X, Z1, A1, Z2 = cache
    d2 = dL_dY * A1 * (1 - A1)  # (n, 1) * (n, h) broadcasts to (n, h)
    d1 = (d2 @ W2) * A1 * (1 - A1) if W2.shape[1] == W2.shape[0] else d2 * A1 * (1 - A1)
    return X.T @ d1, d1.sum(axis=0), A1.T @ d2, d2.sum(axis=0)


def tlb_cache_mutated(dL_dY, cache, W2):
    X, Z1, A1, Z2 = cache
    A1 *= 1 - A1  # the slope, in place: the cache now holds A1(1 - A1), not A1
    d2 = dL_dY * sigmoid_prime(Z2)
    d1 = (d2 @ W2.T) * A1
    return X.T @ d1, d1.sum(axis=0), sigmoid(Z1).T @ d2, d2.sum(axis=0)


def tlb_x_for_a1_input(dL_dY, cache, W2):
    X, Z1, A1, Z2 = cache
    d2 = dL_dY * sigmoid_prime(Z2)
    d1 = (d2 @ W2.T) * sigmoid_prime(Z1)
    return A1.T @ d1, d1.sum(axis=0), A1.T @ d2, d2.sum(axis=0)


TLB_WRONG = {
    "hidden sigmoid' forgotten": (tlb_no_hidden_slope, "hidden sigmoid' forgotten"),
    "sigmoid' of A1": (tlb_slope_of_a1, "sigmoid' of A1"),
    "Z1 for A1": (tlb_z1_for_a1, "Z1 where A1 belongs"),
    "from dL/dY": (tlb_from_dy, "δ1 from dL/dY instead of δ2"),
    "weights first": (tlb_weights_first, "weights first, then biases"),
    "output sigmoid' forgotten": (tlb_no_output_slope, "output sigmoid' forgotten"),
    "sigmoid' of Y and A1": (tlb_slopes_of_outputs, "sigmoid' of Y and A1"),
    "biases mixed": (tlb_mixed_biases, None),
    "A1's slope at the output": (tlb_a1_slope_at_output, None),
    "cache changed in place": (tlb_cache_mutated, None),
    "A1 as layer 1's input": (tlb_x_for_a1_input, None),
}


@pytest.mark.parametrize("name", _ids(TLB_WRONG))
def test_two_layer_backward_wrong(name):
    result = _wrong(lesson_05.two_layer_backward, *TLB_WRONG[name])
    assert "course network's shape" not in result.message


def tlb_via_layer_backward(dL_dY, cache, W2):
    X, Z1, A1, Z2 = cache
    d2 = dL_dY * sigmoid_prime(Z2)
    dW2, db2, dA1 = lesson_05.layer_backward.reference(d2, A1, W2)
    d1 = dA1 * sigmoid_prime(Z1)
    dW1, db1, _ = lesson_05.layer_backward.reference(d1, X, np.zeros((X.shape[1], d1.shape[1])))
    return dW1, db1, dW2, db2


def tlb_list_cache_order(dL_dY, cache, W2):
    X, Z1, A1, Z2 = list(cache)
    Y = 1 / (1 + np.exp(-Z2))
    d2 = dL_dY * Y * (1 - Y)
    d1 = np.einsum("nk,hk->nh", d2, W2) * A1 * (1 - A1)
    return [np.einsum("ni,nh->ih", X, d1), d1.sum(0), np.einsum("nh,nk->hk", A1, d2), d2.sum(0)]


@pytest.mark.parametrize("fn", [tlb_via_layer_backward, tlb_list_cache_order],
                         ids=lambda f: f.__name__)
def test_two_layer_backward_right(fn):
    _right(lesson_05.two_layer_backward, fn)


# ============================================================================================
# lesson 05: check_gradient
# ============================================================================================


def _copies_numeric(f, param, h, *, scale=1.0, forward=False, dtype=float):
    numeric = np.zeros(param.shape, dtype=dtype)
    for i in np.ndindex(param.shape):
        plus, minus = param.copy(), param.copy()
        plus[i] += h
        minus[i] -= h
        numeric[i] = ((f(plus) - f(param)) / h if forward
                      else scale * (f(plus) - f(minus)) / (2 * h))
    return numeric


def cg_forward(f, param, dL_dparam, h=1e-6):
    return relative_error(dL_dparam, _copies_numeric(f, param, h, forward=True))


def cg_run_h(f, param, dL_dparam, h=1e-6):
    numeric = np.zeros(param.shape)
    for i in np.ndindex(param.shape):
        plus, minus = param.copy(), param.copy()
        plus[i] += h
        minus[i] -= h
        numeric[i] = (f(plus) - f(minus)) / h
    return relative_error(dL_dparam, numeric)


def cg_absolute(f, param, dL_dparam, h=1e-6):
    return np.max(np.abs(dL_dparam - _copies_numeric(f, param, h)))


def cg_all_at_once(f, param, dL_dparam, h=1e-6):
    slope = (f(param + h) - f(param - h)) / (2 * h)
    return relative_error(dL_dparam, slope * np.ones(param.shape))


def cg_one_sided_denominator(f, param, dL_dparam, h=1e-6):
    numeric = _copies_numeric(f, param, h)
    return np.max(np.abs(dL_dparam - numeric)) / max(1e-8, np.max(np.abs(dL_dparam)))


def cg_never_restored(f, param, dL_dparam, h=1e-6):
    numeric = np.zeros(param.shape)
    for i in np.ndindex(param.shape):
        param[i] += h
        f_plus = f(param)
        param[i] -= 2 * h
        numeric[i] = (f_plus - f(param)) / (2 * h)
    return relative_error(dL_dparam, numeric)


def cg_precedence(f, param, dL_dparam, h=1e-6):
    numeric = np.zeros(param.shape)
    for i in np.ndindex(param.shape):
        plus, minus = param.copy(), param.copy()
        plus[i] += h
        minus[i] -= h
        numeric[i] = f(plus) - f(minus) / (2 * h)
    return relative_error(dL_dparam, numeric)


def cg_big_h(f, param, dL_dparam, h=1e-6):
    return relative_error(dL_dparam, _copies_numeric(f, param, 1e-2))


def cg_gradient_changed(f, param, dL_dparam, h=1e-6):
    numeric = _copies_numeric(f, param, h)
    dL_dparam -= numeric
    return np.max(np.abs(dL_dparam)) / max(1e-8, np.max(np.abs(dL_dparam + numeric)
                                                      + np.abs(numeric)))


def cg_float32_slopes(f, param, dL_dparam, h=1e-6):
    return relative_error(dL_dparam, _copies_numeric(f, param, h, dtype=np.float32))


def cg_plus_floor(f, param, dL_dparam, h=1e-6):
    numeric = _copies_numeric(f, param, h)
    return np.max(np.abs(dL_dparam - numeric)) / (np.max(np.abs(dL_dparam)
                                                         + np.abs(numeric)) + 1e-8)


CG_WRONG = {
    "forward difference": (cg_forward, "forward difference"),
    "run h": (cg_run_h, "run of h instead of 2h"),
    "absolute error": (cg_absolute, "absolute error"),
    "all at once": (cg_all_at_once, "every entry nudged at once"),
    "divided by |a| only": (cg_one_sided_denominator, None),
    "never restored": (cg_never_restored, "nudges not undone"),
    "f(plus) - f(minus) / (2h)": (cg_precedence, None),
    "h = 1e-2 hard-coded": (cg_big_h, None),
    # named "nudges not undone" (the engine's in_place covers every input): the message at
    # least names the input that changed
    "dL_dparam changed in place": (cg_gradient_changed, None, "`dL_dparam`"),
    "slopes in float32": (cg_float32_slopes, None),
}


@pytest.mark.parametrize("name", _ids(CG_WRONG))
def test_check_gradient_wrong(name):
    _wrong(lesson_05.check_gradient, *CG_WRONG[name])


def cg_flat_loop(f, param, dL_dparam, h=1e-6):
    a = np.asarray(dL_dparam, dtype=float).ravel()
    b = np.zeros(param.size)
    for k in range(param.size):
        plus = param.astype(float).ravel()
        minus = plus.copy()
        plus[k] += h
        minus[k] -= h
        b[k] = (f(plus.reshape(param.shape)) - f(minus.reshape(param.shape))) / (2 * h)
    return relative_error(a, b)


def cg_saved_old(f, param, dL_dparam, h=1e-6):
    numeric = np.zeros_like(param, dtype=np.float64)
    for i in np.ndindex(*param.shape):
        old = param[i].copy()
        param[i] = old + h
        up = f(param)
        param[i] = old - h
        down = f(param)
        param[i] = old
        numeric[i] = (up - down) / (2 * h)
    gap = np.abs(dL_dparam - numeric).max()
    return float(gap / np.maximum(1e-8, (np.abs(dL_dparam) + np.abs(numeric)).max()))


@pytest.mark.parametrize("fn", [cg_flat_loop, cg_saved_old], ids=lambda f: f.__name__)
def test_check_gradient_right(fn):
    _right(lesson_05.check_gradient, fn)


# ============================================================================================
# lesson 06: minibatch_indices
# ============================================================================================


def _slices(order, n, batch_size):
    return [order[s:s + batch_size] for s in range(0, n, batch_size)]


def mb_drop_last(n, batch_size=32, seed=0):
    order = np.random.default_rng(seed).permutation(n)
    return [order[s:s + batch_size] for s in range(0, n // batch_size * batch_size, batch_size)]


def mb_no_shuffle(n, batch_size=32, seed=0):
    return _slices(np.arange(n), n, batch_size)


def mb_with_replacement(n, batch_size=32, seed=0):
    return _slices(np.random.default_rng(seed).integers(0, n, size=n), n, batch_size)


def mb_choice_default_replace(n, batch_size=32, seed=0):
    return _slices(np.random.default_rng(seed).choice(n, n), n, batch_size)


def mb_array_split(n, batch_size=32, seed=0):
    order = np.random.default_rng(seed).permutation(n)
    return np.array_split(order, math.ceil(n / batch_size))


def mb_global_seed(n, batch_size=32, seed=0):
    np.random.seed(seed)
    return _slices(np.random.permutation(n), n, batch_size)


def mb_each_batch_sorted(n, batch_size=32, seed=0):
    order = np.random.default_rng(seed).permutation(n)
    return [np.sort(b) for b in _slices(order, n, batch_size)]


def mb_float_indices(n, batch_size=32, seed=0):
    order = np.random.default_rng(seed).permutation(n).astype(float)
    return _slices(order, n, batch_size)


def mb_generator(n, batch_size=32, seed=0):
    order = np.random.default_rng(seed).permutation(n)
    for s in range(0, n, batch_size):
        yield order[s:s + batch_size]


def mb_stop_before_last_sample(n, batch_size=32, seed=0):
    order = np.random.default_rng(seed).permutation(n)
    return [order[s:s + batch_size] for s in range(0, n - 1, batch_size)]


def mb_one_short(n, batch_size=32, seed=0):
    order = np.random.default_rng(seed).permutation(n)
    return [order[s:s + batch_size - 1] for s in range(0, n, batch_size - 1)]


def mb_fresh_rng_per_batch(n, batch_size=32, seed=0):
    order = np.arange(n)
    out = []
    for s in range(0, n, batch_size):
        out.append(np.random.default_rng(seed).permutation(order[s:s + batch_size]))
    return out


MB_WRONG = {
    "last batch dropped": (mb_drop_last, "dropped the last partial batch"),
    "no shuffle": (mb_no_shuffle, "no shuffle"),
    "integers, with replacement": (mb_with_replacement, "sampling with replacement"),
    "choice(n, n): replace=True by default": (mb_choice_default_replace, None),
    "array_split": (mb_array_split, "np.array_split into equal pieces"),
    "np.random.seed": (mb_global_seed, "legacy generator"),
    "each batch sorted": (mb_each_batch_sorted, None),
    "float indices": (mb_float_indices, None),
    "a generator": (mb_generator, None, "generator"),
    "stops before the last sample": (mb_stop_before_last_sample, None),
    "batches one short": (mb_one_short, None),
    "shuffled inside each batch only": (mb_fresh_rng_per_batch, None),
}


@pytest.mark.parametrize("name", _ids(MB_WRONG))
def test_minibatch_indices_wrong(name):
    _wrong(lesson_06.minibatch_indices, *MB_WRONG[name])


def mb_choice(n, batch_size=32, seed=0):
    order = np.random.default_rng(seed).choice(n, size=n, replace=False)
    return tuple(order[s:s + batch_size] for s in range(0, n, batch_size))


def mb_np_split(n, batch_size=32, seed=0):
    order = np.random.default_rng(seed).permutation(n)
    return list(np.split(order, range(batch_size, n, batch_size)))


def mb_python_lists(n, batch_size=32, seed=0):
    order = np.random.default_rng(seed).permutation(n).tolist()
    return [order[s:s + batch_size] for s in range(0, n, batch_size)]


@pytest.mark.parametrize("fn", [mb_choice, mb_np_split, mb_python_lists],
                         ids=lambda f: f.__name__)
def test_minibatch_indices_right(fn):
    _right(lesson_06.minibatch_indices, fn)


# ============================================================================================
# lesson 06: gradient_descent_step
# ============================================================================================


def gd_sign(params, grads, eta):
    return {k: params[k] + eta * grads[k] for k in params}


def gd_no_eta(params, grads, eta):
    return {k: params[k] - grads[k] for k in params}


def gd_weights_only(params, grads, eta):
    return {k: (params[k] - eta * grads[k]) if k.startswith("W") else params[k] for k in params}


def gd_in_place(params, grads, eta):
    for k in params:
        params[k] -= eta * grads[k]
    return params


def gd_shallow_copy(params, grads, eta):
    new = params.copy()
    for k in new:
        new[k] -= eta * grads[k]
    return new


def gd_eta_squared(params, grads, eta):
    return {k: params[k] - eta * eta * grads[k] for k in params}


def gd_divided(params, grads, eta):
    return {k: params[k] - grads[k] / eta for k in params}


def gd_only_weights_returned(params, grads, eta):
    return {k: params[k] - eta * grads[k] for k in params if k.startswith("W")}


def gd_sorted_grads(params, grads, eta):
    return {k: params[k] - eta * grads[g] for k, g in zip(params, sorted(grads), strict=True)}


def gd_list(params, grads, eta):
    return [params[k] - eta * grads[k] for k in params]


def gd_gradient_returned(params, grads, eta):
    return {k: -eta * grads[k] for k in params}


GD_WRONG = {
    "sign": (gd_sign, "sign flipped"),
    "no eta": (gd_no_eta, "learning rate forgotten"),
    "weights only": (gd_weights_only, "only the weights updated"),
    "in place": (gd_in_place, "params changed in place"),
    "dict.copy() then -=": (gd_shallow_copy, "params changed in place"),
    "eta squared": (gd_eta_squared, None),
    "divided by eta": (gd_divided, None),
    "biases left out of the dict": (gd_only_weights_returned, None),
    "gradients matched by sorted name": (gd_sorted_grads, None),
    "a list": (gd_list, None),
    "the step, not the new value": (gd_gradient_returned, None),
}


@pytest.mark.parametrize("name", _ids(GD_WRONG))
def test_gradient_descent_step_wrong(name):
    _wrong(lesson_06.gradient_descent_step, *GD_WRONG[name])


def gd_items_loop(params, grads, eta):
    new = {}
    for name, value in params.items():
        new[name] = np.subtract(value, np.multiply(eta, grads[name]))
    return new


def gd_float32(params, grads, eta):
    return {k: np.float32(params[k]) - np.float32(eta) * np.float32(grads[k]) for k in params}


def gd_copy_then_subtract(params, grads, eta):
    new = {k: np.array(v, dtype=float, copy=True) for k, v in params.items()}
    for k in new:
        new[k] -= eta * np.asarray(grads[k])
    return new


@pytest.mark.parametrize("fn", [gd_items_loop, gd_float32, gd_copy_then_subtract],
                         ids=lambda f: f.__name__)
def test_gradient_descent_step_right(fn):
    _right(lesson_06.gradient_descent_step, fn)


# ============================================================================================
# lesson 06: train_epochs
# ============================================================================================


def _te(layer_sizes, X, y, eta, epochs, batch_size, seed, *, net_seed="seed", rng_per_epoch=False,
        sign=1.0, record="weighted", loss_after=False, no_rng=False):
    network = Network(layer_sizes) if net_seed is None else Network(layer_sizes, seed=seed)
    rng = np.random.default_rng(seed)
    out = []
    for epoch in range(epochs):
        if rng_per_epoch:
            batches = minibatches(X, y, batch_size, seed=epoch)
        elif no_rng:
            batches = minibatches(X, y, batch_size)
        else:
            batches = minibatches(X, y, batch_size, rng=rng)
        total, count, n_batches = 0.0, 0, 0
        for X_b, y_b in batches:
            Y_b, cache = network.forward(X_b)
            grads = network.backward(cache, mse_grad(y_b, Y_b))
            network.set_params({k: p - sign * eta * grads[k]
                                for k, p in network.params.items()})
            L_b = mse(y_b, network.predict(X_b)) if loss_after else mse(y_b, Y_b)
            total += L_b * len(X_b)
            count += len(X_b)
            n_batches += 1
        out.append(total / (n_batches * batch_size) if record == "full batches" else total / count)
    return out


def te_no_seed(layer_sizes, X, y, eta=0.5, epochs=10, batch_size=32, seed=0):
    return _te(layer_sizes, X, y, eta, epochs, batch_size, seed, net_seed=None)


def te_ascent(layer_sizes, X, y, eta=0.5, epochs=10, batch_size=32, seed=0):
    return _te(layer_sizes, X, y, eta, epochs, batch_size, seed, sign=-1.0)


def te_loss_after_step(layer_sizes, X, y, eta=0.5, epochs=10, batch_size=32, seed=0):
    return _te(layer_sizes, X, y, eta, epochs, batch_size, seed, loss_after=True)


def te_divided_by_full_batches(layer_sizes, X, y, eta=0.5, epochs=10, batch_size=32, seed=0):
    return _te(layer_sizes, X, y, eta, epochs, batch_size, seed, record="full batches")


def te_seed_is_epoch(layer_sizes, X, y, eta=0.5, epochs=10, batch_size=32, seed=0):
    return _te(layer_sizes, X, y, eta, epochs, batch_size, seed, rng_per_epoch=True)


def te_same_order(layer_sizes, X, y, eta=0.5, epochs=10, batch_size=32, seed=0):
    network = Network(layer_sizes, seed=seed)
    out = []
    for _ in range(epochs):
        total = 0.0
        for X_b, y_b in minibatches(X, y, batch_size, rng=np.random.default_rng(seed)):
            Y_b, cache = network.forward(X_b)
            total += mse(y_b, Y_b) * len(X_b)
            network.set_params(bl_step(network.params, network.backward(
                cache, mse_grad(y_b, Y_b)), eta))
        out.append(total / len(X))
    return out


def te_unweighted(layer_sizes, X, y, eta=0.5, epochs=10, batch_size=32, seed=0):
    network = Network(layer_sizes, seed=seed)
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(epochs):
        batch_losses = []
        for X_b, y_b in minibatches(X, y, batch_size, rng=rng):
            Y_b, cache = network.forward(X_b)
            batch_losses.append(mse(y_b, Y_b))
            network.set_params(bl_step(network.params, network.backward(
                cache, mse_grad(y_b, Y_b)), eta))
        out.append(np.mean(batch_losses))
    return out


def te_no_rng(layer_sizes, X, y, eta=0.5, epochs=10, batch_size=32, seed=0):
    return _te(layer_sizes, X, y, eta, epochs, batch_size, seed, no_rng=True)


def te_one_step_per_epoch(layer_sizes, X, y, eta=0.5, epochs=10, batch_size=32, seed=0):
    network = Network(layer_sizes, seed=seed)
    out = []
    for _ in range(epochs):
        Y, cache = network.forward(X)
        out.append(mse(y, Y))
        network.set_params(bl_step(network.params, network.backward(cache, mse_grad(y, Y)), eta))
    return out


def te_final_loss_only(layer_sizes, X, y, eta=0.5, epochs=10, batch_size=32, seed=0):
    return _te(layer_sizes, X, y, eta, epochs, batch_size, seed)[-1]


TE_WRONG = {
    "Network without seed": (te_no_seed, None),
    "gradient ascent": (te_ascent, None),
    "loss after the step": (te_loss_after_step, None),
    "divided by batches × batch_size": (te_divided_by_full_batches, None),
    "seeded with the epoch number": (te_seed_is_epoch, None),
    "fresh generator every epoch": (te_same_order, "the same order every epoch"),
    "unweighted mean": (te_unweighted, "unweighted mean of the batch losses"),
    "minibatches without rng": (te_no_rng, "minibatches called without rng"),
    "full batch, batch_size ignored": (te_one_step_per_epoch, None),
    "only the last epoch's loss": (te_final_loss_only, None),
}


@pytest.mark.parametrize("name", _ids(TE_WRONG))
def test_train_epochs_wrong(name):
    _wrong(lesson_06.train_epochs, *TE_WRONG[name])


def te_average_weights(layer_sizes, X, y, eta=0.5, epochs=10, batch_size=32, seed=0):
    network = Network(layer_sizes, seed=seed)
    rng = np.random.default_rng(seed)
    history = []
    for _ in range(epochs):
        losses, sizes = [], []
        for X_b, y_b in minibatches(X, y, batch_size, rng=rng):
            Y_b, cache = network.forward(X_b)
            losses.append(mse(y_b, Y_b))
            sizes.append(len(y_b))
            network.set_params(bl_step(network.params, network.backward(
                cache, mse_grad(y_b, Y_b)), eta))
        history.append(float(np.average(losses, weights=sizes)))
    return history


def te_squared_errors_summed(layer_sizes, X, y, eta=0.5, epochs=10, batch_size=32, seed=0):
    network = Network(layer_sizes, seed=seed)
    rng = np.random.default_rng(seed)
    history = []
    for _ in range(epochs):
        squared = 0.0
        for X_b, y_b in minibatches(X, y, batch_size, rng=rng):
            Y_b, cache = network.forward(X_b)
            squared += np.sum((Y_b - y_b) ** 2) / y_b.shape[1]
            grads = network.backward(cache, mse_grad(y_b, Y_b))
            for k, p in network.params.items():
                p -= eta * grads[k]
        history.append(squared / len(X))
    return np.array(history)


@pytest.mark.parametrize("fn", [te_average_weights, te_squared_errors_summed],
                         ids=lambda f: f.__name__)
def test_train_epochs_right(fn):
    _right(lesson_06.train_epochs, fn)


# ============================================================================================
# lesson 06: accuracy
# ============================================================================================


def acc_wrong_side(y, y_hat, threshold=0.5):
    return np.mean((np.ravel(y_hat) < threshold) == (np.ravel(y) == 1))


def acc_no_threshold(y, y_hat, threshold=0.5):
    return np.mean(np.ravel(y_hat) == np.ravel(y))


def acc_rounded(y, y_hat, threshold=0.5):
    return np.mean(np.round(np.ravel(y_hat)) == np.ravel(y))


def acc_strict(y, y_hat, threshold=0.5):
    return np.mean((np.ravel(y_hat) > threshold) == (np.ravel(y) == 1))


def acc_half(y, y_hat, threshold=0.5):
    return np.mean((np.ravel(y_hat) >= 0.5) == (np.ravel(y) == 1))


def acc_count(y, y_hat, threshold=0.5):
    return np.sum((np.ravel(y_hat) >= threshold) == (np.ravel(y) == 1))


def acc_percent(y, y_hat, threshold=0.5):
    return 100 * np.mean((np.ravel(y_hat) >= threshold) == (np.ravel(y) == 1))


def acc_int_division(y, y_hat, threshold=0.5):
    return int(np.sum((np.ravel(y_hat) >= threshold) == (np.ravel(y) == 1))) // len(np.ravel(y))


def acc_astype_unflattened(y, y_hat, threshold=0.5):
    return np.mean((y_hat >= threshold).astype(int) == y)


def acc_close_to_label(y, y_hat, threshold=0.5):
    return np.mean(np.abs(np.ravel(y) - np.ravel(y_hat)) < threshold)


def acc_error_rate(y, y_hat, threshold=0.5):
    return np.mean((np.ravel(y_hat) >= threshold) != (np.ravel(y) == 1))


ACC_WRONG = {
    "threshold the wrong side": (acc_wrong_side, "threshold on the wrong side"),
    "no threshold": (acc_no_threshold, "probabilities compared without a threshold"),
    "np.round": (acc_rounded, "rounded instead of thresholded"),
    "strict >": (acc_strict, "> instead of >="),
    "0.5 hard-coded": (acc_half, "threshold argument ignored"),
    "a count": (acc_count, "a count, not a fraction"),
    "a percentage": (acc_percent, "a percentage"),
    "integer division": (acc_int_division, "integer division"),
    "astype(int), not flattened": (acc_astype_unflattened, "shapes broadcast"),
    "|y - y_hat| < threshold": (acc_close_to_label, UNNAMED),  # was told "> for >="
    "the error rate": (acc_error_rate, "threshold on the wrong side", "!="),
}


@pytest.mark.parametrize("name", _ids(ACC_WRONG))
def test_accuracy_wrong(name):
    _wrong(lesson_06.accuracy, *ACC_WRONG[name])


def acc_count_nonzero(y, y_hat, threshold=0.5):
    y, y_hat = np.asarray(y).reshape(-1), np.asarray(y_hat).reshape(-1)
    return np.count_nonzero((y_hat >= threshold) == (y == 1)) / y.size


def acc_float32(y, y_hat, threshold=0.5):
    predicted = (np.ravel(y_hat) >= threshold).astype(np.float32)
    return np.float32(np.mean(predicted == np.ravel(y).astype(np.float32)))


def acc_where(y, y_hat, threshold=0.5):
    classes = np.where(np.ravel(y_hat) >= threshold, 1.0, 0.0)
    return float((classes == np.ravel(y)).mean())


@pytest.mark.parametrize("fn", [acc_count_nonzero, acc_float32, acc_where],
                         ids=lambda f: f.__name__)
def test_accuracy_right(fn):
    _right(lesson_06.accuracy, fn)


# ============================================================================================
# lesson 07: local_gradients
# ============================================================================================


def _lg(op, inputs, *, add=None, mul=None, tanh=None, sig=None):
    """A learner's local_gradients with one rule replaced; the others right."""
    if op == "+":
        return add(*inputs) if add else (1.0, 1.0)
    if op == "*":
        a, b = inputs
        return mul(a, b) if mul else (b, a)
    if op == "tanh":
        return tanh(inputs[0]) if tanh else (1 - math.tanh(inputs[0]) ** 2,)
    s = 1 / (1 + math.exp(-inputs[0]))
    return sig(inputs[0]) if sig else (s * (1 - s),)


def lg_own_values(op, inputs):
    return _lg(op, inputs, mul=lambda a, b: (a, b))


def lg_tanh_of_input(op, inputs):
    return _lg(op, inputs, tanh=lambda a: (1 - a ** 2,))


def lg_sigmoid_value(op, inputs):
    return _lg(op, inputs, sig=lambda a: (1 / (1 + math.exp(-a)),))


def lg_sigmoid_of_input(op, inputs):
    return _lg(op, inputs, sig=lambda a: (a * (1 - a),))


def lg_sum_one_item(op, inputs):
    return _lg(op, inputs, add=lambda a, b: (1.0,))


def lg_sum_inputs(op, inputs):
    return _lg(op, inputs, add=lambda a, b: (a, b))


def lg_tanh_no_square(op, inputs):
    return _lg(op, inputs, tanh=lambda a: (1 - math.tanh(a),))


def lg_sech_not_squared(op, inputs):
    return _lg(op, inputs, tanh=lambda a: (1 / math.cosh(a),))


def lg_bare_number(op, inputs):
    return _lg(op, inputs, sig=lambda a: (1 / (1 + math.exp(-a))) * (1 - 1 / (1 + math.exp(-a))))


def lg_square_outside(op, inputs):
    return _lg(op, inputs, tanh=lambda a: ((1 - math.tanh(a)) ** 2,))


def lg_product_value(op, inputs):
    return _lg(op, inputs, mul=lambda a, b: (a * b, a * b))


LG_WRONG = {
    "product: own values": (lg_own_values, "product: each input's own value"),
    "tanh: 1 - a²": (lg_tanh_of_input, "tanh: 1 − a² instead of 1 − tanh(a)²"),
    "sigmoid: its value": (lg_sigmoid_value, "sigmoid: σ(a) instead of σ(a)(1 − σ(a))"),
    "sigmoid: a(1 - a)": (lg_sigmoid_of_input, "sigmoid: a(1 − a) with the input"),
    "sum: one item": (lg_sum_one_item, None),
    "sum: the inputs": (lg_sum_inputs, None),
    "tanh: square forgotten": (lg_tanh_no_square, None),
    "tanh: sech, not sech²": (lg_sech_not_squared, None),
    "a bare number for one input": (lg_bare_number, None, "trailing comma"),
    "tanh: (1 - tanh)²": (lg_square_outside, None),
    "product: the product itself": (lg_product_value, None),
}


@pytest.mark.parametrize("name", _ids(LG_WRONG))
def test_local_gradients_wrong(name):
    _wrong(lesson_07.local_gradients, *LG_WRONG[name])


def lg_lists_and_cosh(op, inputs):
    if op == "+":
        return [1, 1]
    if op == "*":
        return [inputs[1], inputs[0]]
    if op == "tanh":
        return [1 / math.cosh(inputs[0]) ** 2]
    e = math.exp(-inputs[0])
    return [e / (1 + e) ** 2]


def lg_array(op, inputs):
    x = np.asarray(inputs, dtype=float)
    table = {"+": lambda: np.ones(2), "*": lambda: x[::-1],
             "tanh": lambda: 1 - np.tanh(x) ** 2,
             "sigmoid": lambda: sigmoid(x) * (1 - sigmoid(x))}
    return table[op]()


@pytest.mark.parametrize("fn", [lg_lists_and_cosh, lg_array], ids=lambda f: f.__name__)
def test_local_gradients_right(fn):
    _right(lesson_07.local_gradients, fn)


# ============================================================================================
# lesson 07: topological_order
# ============================================================================================


def _post_order(children, root):
    order, seen = [], set()

    def visit(node):
        if node in seen:
            return
        seen.add(node)
        for child in children.get(node, []):
            visit(child)
        order.append(node)

    visit(root)
    return order


def topo_parents_first(children, root):
    return _post_order(children, root)[::-1]


def topo_pre_order(children, root):
    order, seen = [], set()

    def visit(node):
        if node in seen:
            return
        seen.add(node)
        order.append(node)
        for child in children.get(node, []):
            visit(child)

    visit(root)
    return order


def topo_no_visited(children, root):
    order = []

    def visit(node):
        for child in children.get(node, []):
            visit(child)
        order.append(node)

    visit(root)
    return order


def topo_root_left_out(children, root):
    return [n for n in _post_order(children, root) if n != root]


def topo_sorted_names(children, root):
    return sorted(_post_order(children, root))


def topo_leaves_then_keys(children, root):
    leaves = [c for kids in children.values() for c in kids if c not in children]
    return list(dict.fromkeys(leaves)) + list(children)


def topo_bfs(children, root):
    order, queue = [], [root]
    while queue:
        node = queue.pop(0)
        if node not in order:
            order.append(node)
            queue.extend(children.get(node, []))
    return order


def topo_a_set(children, root):
    return set(_post_order(children, root))


def topo_setdefault(children, root):
    order, seen = [], set()

    def visit(node):
        if node in seen:
            return
        seen.add(node)
        for child in children.setdefault(node, []):
            visit(child)
        order.append(node)

    visit(root)
    return order


def topo_children_only(children, root):
    return [n for n in _post_order(children, root) if n in children]


TOPO_WRONG = {
    "parents first": (topo_parents_first, "parents first"),
    "pre-order": (topo_pre_order, "node written down before its children"),
    "no visited set": (topo_no_visited, "a shared node listed twice"),
    "root left out": (topo_root_left_out, "root left out"),
    "sorted by name": (topo_sorted_names, None),
    "leaves, then the keys": (topo_leaves_then_keys, None),
    "breadth first": (topo_bfs, None),
    "a set": (topo_a_set, None),
    "children.setdefault": (topo_setdefault, None),
    "leaves left out": (topo_children_only, None),
}


@pytest.mark.parametrize("name", _ids(TOPO_WRONG))
def test_topological_order_wrong(name):
    _wrong(lesson_07.topological_order, *TOPO_WRONG[name])


def topo_kahn_reachable(children, root):
    reach, stack = set(), [root]
    while stack:
        node = stack.pop()
        if node not in reach:
            reach.add(node)
            stack.extend(children.get(node, []))
    waiting = {n: len(set(children.get(n, []))) for n in reach}
    ready = sorted(n for n in reach if waiting[n] == 0)
    users = defaultdict(set)
    for n in reach:
        for c in children.get(n, []):
            users[c].add(n)
    order = []
    while ready:
        node = ready.pop(0)
        order.append(node)
        for user in sorted(users[node]):
            waiting[user] -= 1
            if waiting[user] == 0:
                ready.append(user)
    return order


def topo_order_as_seen(children, root):
    order = []

    def visit(node):
        if node in order:
            return
        for child in children.get(node, ()):
            visit(child)
        if node not in order:
            order.append(node)

    visit(root)
    return tuple(order)


@pytest.mark.parametrize("fn", [topo_kahn_reachable, topo_order_as_seen],
                         ids=lambda f: f.__name__)
def test_topological_order_right(fn):
    _right(lesson_07.topological_order, fn)


# ============================================================================================
# lesson 07: backward_pass
# ============================================================================================


def _bp(order, children, local_grads, *, seed=1.0, walk=None, update=None, seed_at=-1):
    grad = {n: 0.0 for n in order}
    grad[order[seed_at]] = seed
    for node in (walk or reversed)(order):
        for child, d in zip(children.get(node, []), local_grads.get(node, []), strict=True):
            if update is None:
                grad[child] += d * grad[node]
            else:
                update(grad, node, child, d)
    return grad


def bp_overwrite(order, children, local_grads):
    def assign(grad, node, child, d):
        grad[child] = d * grad[node]
    return _bp(order, children, local_grads, update=assign)


def bp_no_seed(order, children, local_grads):
    return _bp(order, children, local_grads, seed=0.0)


def bp_forwards(order, children, local_grads):
    return _bp(order, children, local_grads, walk=list)


def bp_local_only(order, children, local_grads):
    def add_d(grad, node, child, d):
        grad[child] += d
    return _bp(order, children, local_grads, update=add_d)


def bp_seed_first(order, children, local_grads):
    return _bp(order, children, local_grads, seed_at=0)


def bp_reverse_in_place(order, children, local_grads):
    grad = {n: 0.0 for n in order}
    grad[order[-1]] = 1.0
    order.reverse()
    for node in order:
        for child, d in zip(children.get(node, []), local_grads.get(node, []), strict=True):
            grad[child] += d * grad[node]
    return grad


def bp_towards_the_root(order, children, local_grads):
    def upward(grad, node, child, d):
        grad[node] += d * grad[child]
    return _bp(order, children, local_grads, update=upward)


def bp_multiplied_paths(order, children, local_grads):
    grad = {n: 1.0 for n in order}
    for node in reversed(order):
        for child, d in zip(children.get(node, []), local_grads.get(node, []), strict=True):
            grad[child] *= d * grad[node]
    return grad


def bp_values_in_order(order, children, local_grads):
    grad = _bp(order, children, local_grads)
    return [grad[n] for n in order]


def bp_seed_is_local(order, children, local_grads):
    return _bp(order, children, local_grads, seed=float(sum(local_grads[order[-1]])))


def bp_divided_by_paths(order, children, local_grads):
    grad = {n: 0.0 for n in order}
    grad[order[-1]] = 1.0
    for node in reversed(order):
        kids = children.get(node, [])
        for child, d in zip(kids, local_grads.get(node, []), strict=True):
            grad[child] += d * grad[node] / len(kids)
    return grad


BP_WRONG = {
    "overwrote": (bp_overwrite, "overwrote instead of accumulating"),
    "no seed": (bp_no_seed, "output gradient not seeded with 1"),
    "walked forwards": (bp_forwards, "visited the nodes children first"),
    "local derivative alone": (bp_local_only, "local derivative passed on alone"),
    "seeded order[0]": (bp_seed_first, "seeded the first node of order"),
    "order.reverse()": (bp_reverse_in_place, "reversed order in place"),
    "towards the root": (bp_towards_the_root, None),
    "paths multiplied": (bp_multiplied_paths, None),
    "a list in order": (bp_values_in_order, None),
    "seeded with the root's local derivatives": (bp_seed_is_local, None),
    "divided by the number of children": (bp_divided_by_paths, None),
}


@pytest.mark.parametrize("name", _ids(BP_WRONG))
def test_backward_pass_wrong(name):
    _wrong(lesson_07.backward_pass, *BP_WRONG[name])


def bp_get_default(order, children, local_grads):
    grad = {order[-1]: 1}
    for node in order[::-1]:
        for k, child in enumerate(children.get(node, ())):
            grad[child] = grad.get(child, 0) + local_grads[node][k] * grad.get(node, 0)
    return grad


def bp_defaultdict(order, children, local_grads):
    grad = defaultdict(float)
    grad[order[-1]] = 1.0
    for node in reversed(order):
        for child, d in zip(children.get(node, []), local_grads.get(node, []), strict=True):
            grad[child] += grad[node] * d
    return dict(grad)


@pytest.mark.parametrize("fn", [bp_get_default, bp_defaultdict], ids=lambda f: f.__name__)
def test_backward_pass_right(fn):
    _right(lesson_07.backward_pass, fn)


# ============================================================================================
# lesson 07: dual_multiply
# ============================================================================================


def dm_tangents_multiplied(a, a_dot, b, b_dot):
    return a * b, a_dot * b_dot


def dm_tangents_added(a, a_dot, b, b_dot):
    return a * b, a_dot + b_dot


def dm_swapped(a, a_dot, b, b_dot):
    return a_dot * b + a * b_dot, a * b


def dm_eps_squared(a, a_dot, b, b_dot):
    return a * b, a_dot * b + a * b_dot + a_dot * b_dot


def dm_own_values(a, a_dot, b, b_dot):
    return a * b, a * a_dot + b * b_dot


def dm_half(a, a_dot, b, b_dot):
    return a * b, a_dot * b


def dm_tangent_only(a, a_dot, b, b_dot):
    return a_dot * b + a * b_dot


def dm_value_sum(a, a_dot, b, b_dot):
    return a + b, a_dot * b + a * b_dot


def dm_quotient_sign(a, a_dot, b, b_dot):
    return a * b, a_dot * b - a * b_dot


def dm_averaged(a, a_dot, b, b_dot):
    return a * b, (a_dot * b + a * b_dot) / 2


def dm_other_half(a, a_dot, b, b_dot):
    return a * b, a * b_dot


DM_WRONG = {
    "tangents multiplied": (dm_tangents_multiplied, "multiplied the tangents"),
    "tangents added": (dm_tangents_added, "added the tangents"),
    "swapped": (dm_swapped, "value and tangent swapped"),
    "ε² kept": (dm_eps_squared, "kept the ε² term"),
    "own values": (dm_own_values, "each tangent scaled by its own value"),
    "half": (dm_half, "half of the product rule"),
    "the tangent only": (dm_tangent_only, None),
    "value a + b": (dm_value_sum, None),
    "a minus in the product rule": (dm_quotient_sign, None),
    "product rule halved": (dm_averaged, None),
    "the other half": (dm_other_half, None),
}


@pytest.mark.parametrize("name", _ids(DM_WRONG))
def test_dual_multiply_wrong(name):
    _wrong(lesson_07.dual_multiply, *DM_WRONG[name])


def dm_list(a, a_dot, b, b_dot):
    return [a * b, b * a_dot + a * b_dot]


def dm_array(a, a_dot, b, b_dot):
    return np.array([a, a_dot]) * b + np.array([0.0, a * b_dot])


@pytest.mark.parametrize("fn", [dm_list, dm_array], ids=lambda f: f.__name__)
def test_dual_multiply_right(fn):
    _right(lesson_07.dual_multiply, fn)


# ============================================================================================
# lesson 08: central_difference_gradient
# ============================================================================================


def cdg_not_restored(f, param, h=1e-6):
    grad = np.zeros(param.shape)
    for i in np.ndindex(param.shape):
        old = param[i]
        param[i] = old + h
        f_plus = f(param)
        param[i] = old - h
        grad[i] = (f_plus - f(param)) / (2 * h)
    return grad


def cdg_one_sided(f, param, h=1e-6):
    grad = np.zeros(param.shape)
    base = f(param)
    for i in np.ndindex(param.shape):
        old = param[i]
        param[i] = old + h
        grad[i] = (f(param) - base) / h
        param[i] = old
    return grad


def cdg_over_h(f, param, h=1e-6):
    grad = np.zeros(param.shape)
    for i in np.ndindex(param.shape):
        old = param[i]
        param[i] = old + h
        f_plus = f(param)
        param[i] = old - h
        f_minus = f(param)
        param[i] = old
        grad[i] = (f_plus - f_minus) / h
    return grad


def cdg_precedence(f, param, h=1e-6):
    grad = np.zeros(param.shape)
    for i in np.ndindex(param.shape):
        old = param[i]
        param[i] = old + h
        f_plus = f(param)
        param[i] = old - h
        f_minus = f(param)
        param[i] = old
        grad[i] = (f_plus - f_minus) / 2 * h
    return grad


def cdg_arithmetic_restore(f, param, h=1e-6):
    grad = np.zeros(param.shape)
    for i in np.ndindex(param.shape):
        param[i] += h
        f_plus = f(param)
        param[i] -= 2 * h
        f_minus = f(param)
        param[i] += h
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def cdg_all_at_once(f, param, h=1e-6):
    return np.full(param.shape, (f(param + h) - f(param - h)) / (2 * h))


def cdg_flat_list(f, param, h=1e-6):
    slopes = []
    for i in np.ndindex(param.shape):
        plus, minus = param.copy(), param.copy()
        plus[i] += h
        minus[i] -= h
        slopes.append((f(plus) - f(minus)) / (2 * h))
    return slopes


def cdg_h_hard_coded(f, param, h=1e-6):
    grad = np.zeros(param.shape)
    for i in np.ndindex(param.shape):
        plus, minus = param.copy(), param.copy()
        plus[i] += 1e-6
        minus[i] -= 1e-6
        grad[i] = (f(plus) - f(minus)) / (2 * 1e-6)
    return grad


def cdg_base_twice(f, param, h=1e-6):
    grad = np.zeros(param.shape)
    for i in np.ndindex(param.shape):
        plus = param.copy()
        plus[i] += h
        grad[i] = (f(plus) - f(param)) / (2 * h)
    return grad


def cdg_float32_copies(f, param, h=1e-6):
    grad = np.zeros(param.shape)
    for i in np.ndindex(param.shape):
        plus, minus = param.astype(np.float32), param.astype(np.float32)
        plus[i] += h
        minus[i] -= h
        grad[i] = (f(plus) - f(minus)) / (2 * h)
    return grad


CDG_WRONG = {
    "not restored": (cdg_not_restored, "forgot to restore"),
    "one-sided": (cdg_one_sided, "one-sided difference"),
    "divided by h": (cdg_over_h, "divided by h"),
    "/ 2 * h": (cdg_precedence, "divided by 2, then multiplied by h"),
    "+h, -2h, +h": (cdg_arithmetic_restore, "forgot to restore"),
    "every entry at once": (cdg_all_at_once, None),
    "a flat list": (cdg_flat_list, None),
    "h hard-coded": (cdg_h_hard_coded, None),
    "f(param) as the lower point": (cdg_base_twice, None),
    "float32 copies of float64 weights": (cdg_float32_copies, None),
}


@pytest.mark.parametrize("name", _ids(CDG_WRONG))
def test_central_difference_gradient_wrong(name):
    _wrong(lesson_08.central_difference_gradient, *CDG_WRONG[name])


def cdg_unravel(f, param, h=1e-6):
    grad = np.zeros(param.size)
    for k in range(param.size):
        i = np.unravel_index(k, param.shape)
        plus, minus = param.copy(), param.copy()
        plus[i] = param[i] + h
        minus[i] = param[i] - h
        grad[k] = (f(plus) - f(minus)) / (2 * h)
    return grad.reshape(param.shape)


def cdg_try_finally(f, param, h=1e-6):
    grad = np.zeros(param.shape, dtype=np.float64)
    it = np.nditer(param, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = param[i].copy()
        try:
            param[i] = old + h
            up = f(param)
            param[i] = old - h
            grad[i] = (up - f(param)) / (h + h)
        finally:
            param[i] = old
    return grad


@pytest.mark.parametrize("fn", [cdg_unravel, cdg_try_finally], ids=lambda f: f.__name__)
def test_central_difference_gradient_right(fn):
    _right(lesson_08.central_difference_gradient, fn)


# ============================================================================================
# lesson 08: relative_error
# ============================================================================================


def re_absolute(a, b):
    return np.max(np.abs(a - b))


def re_no_floor(a, b):
    return np.max(np.abs(a - b)) / np.max(np.abs(a) + np.abs(b))


def re_one_side(a, b):
    return np.max(np.abs(a - b)) / max(1e-8, np.max(np.abs(a)))


def re_sum_of_maxima(a, b):
    return np.max(np.abs(a - b)) / max(1e-8, np.max(np.abs(a)) + np.max(np.abs(b)))


def re_entrywise(a, b):
    return np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)))


def re_no_abs(a, b):
    return np.max(a - b) / max(1e-8, np.max(np.abs(a) + np.abs(b)))


def re_norms(a, b):
    return np.linalg.norm(a - b) / max(1e-8, np.linalg.norm(a) + np.linalg.norm(b))


def re_floor_1e7(a, b):
    return np.max(np.abs(a - b)) / max(1e-7, np.max(np.abs(a) + np.abs(b)))


def re_mean_gap(a, b):
    return np.mean(np.abs(a - b)) / max(1e-8, np.max(np.abs(a) + np.abs(b)))


def re_float32(a, b):
    a, b = np.float32(a), np.float32(b)
    return np.max(np.abs(a - b)) / max(np.float32(1e-8), np.max(np.abs(a) + np.abs(b)))


def re_plus_floor(a, b):
    return np.max(np.abs(a - b)) / (np.max(np.abs(a) + np.abs(b)) + 1e-8)


def re_abs_of_sum(a, b):
    return np.max(np.abs(a - b)) / max(1e-8, np.max(np.abs(a + b)))


RE_WRONG = {
    "absolute": (re_absolute, "absolute error"),
    "no floor": (re_no_floor, "no floor"),
    "one side": (re_one_side, "one side only"),
    "max|a| + max|b|": (re_sum_of_maxima, "max|a| + max|b|"),
    "entry by entry": (re_entrywise, "entry-by-entry ratio"),
    "no abs": (re_no_abs, "difference without abs"),
    "norms": (re_norms, "norms instead of maxima"),
    "floor 1e-7": (re_floor_1e7, None),
    "mean gap": (re_mean_gap, None),
    "float32": (re_float32, None, "float64"),
    "+ 1e-8 in the denominator": (re_plus_floor, None),
    "|a + b| for |a| + |b|": (re_abs_of_sum, None),
}


@pytest.mark.parametrize("name", _ids(RE_WRONG))
def test_relative_error_wrong(name):
    _wrong(lesson_08.relative_error, *RE_WRONG[name])


def re_inf_norm(a, b):
    a, b = np.ravel(a).astype(float), np.ravel(b).astype(float)
    return float(np.linalg.norm(a - b, np.inf) / max(1e-8, np.linalg.norm(np.abs(a) + np.abs(b),
                                                                            np.inf)))


def re_python_loop(a, b):
    gap = size = 0.0
    for x, z in zip(np.ravel(a).tolist(), np.ravel(b).tolist(), strict=True):
        gap, size = max(gap, abs(x - z)), max(size, abs(x) + abs(z))
    return gap / max(1e-8, size)


@pytest.mark.parametrize("fn", [re_inf_norm, re_python_loop], ids=lambda f: f.__name__)
def test_relative_error_right(fn):
    _right(lesson_08.relative_error, fn)


# ============================================================================================
# lesson 08: sampled_gradient_check
# ============================================================================================


def _sgc(f, param, dL_dparam, n_checks, seed, h, pick, *, one_sided=False, first_analytic=False,
         absolute=False, unravel=lambda k, shape: np.unravel_index(int(k), shape)):
    picked = pick(np.random.default_rng(seed), param.size, n_checks)
    analytic, numeric = [], []
    for j, k in enumerate(picked):
        i = unravel(k, param.shape)
        plus, minus = param.copy(), param.copy()
        plus[i] += h
        minus[i] -= h
        numeric.append((f(plus) - f(param)) / h if one_sided else (f(plus) - f(minus)) / (2 * h))
        analytic.append(dL_dparam.flat[j] if first_analytic else dL_dparam[i])
    a, b = np.array(analytic), np.array(numeric)
    return float(np.max(np.abs(a - b))) if absolute else relative_error(a, b)


def _choice(rng, size, n):
    return rng.choice(size, size=n, replace=False)


def sgc_first(f, param, dL_dparam, n_checks, seed=0, h=1e-6):
    return _sgc(f, param, dL_dparam, n_checks, seed, h, lambda rng, size, n: range(n))


def sgc_one_sided(f, param, dL_dparam, n_checks, seed=0, h=1e-6):
    return _sgc(f, param, dL_dparam, n_checks, seed, h, _choice, one_sided=True)


def sgc_first_analytic(f, param, dL_dparam, n_checks, seed=0, h=1e-6):
    return _sgc(f, param, dL_dparam, n_checks, seed, h, _choice, first_analytic=True)


def sgc_replace(f, param, dL_dparam, n_checks, seed=0, h=1e-6):
    return _sgc(f, param, dL_dparam, n_checks, seed, h,
                lambda rng, size, n: rng.choice(size, size=n, replace=True))


def sgc_absolute(f, param, dL_dparam, n_checks, seed=0, h=1e-6):
    return _sgc(f, param, dL_dparam, n_checks, seed, h, _choice, absolute=True)


def sgc_integers(f, param, dL_dparam, n_checks, seed=0, h=1e-6):
    return _sgc(f, param, dL_dparam, n_checks, seed, h,
                lambda rng, size, n: rng.integers(0, size, size=n))


def sgc_choice_default(f, param, dL_dparam, n_checks, seed=0, h=1e-6):
    return _sgc(f, param, dL_dparam, n_checks, seed, h, lambda rng, size, n: rng.choice(size, n))


def sgc_fortran_order(f, param, dL_dparam, n_checks, seed=0, h=1e-6):
    return _sgc(f, param, dL_dparam, n_checks, seed, h, _choice,
                unravel=lambda k, shape: np.unravel_index(int(k), shape, order="F"))


def sgc_nudged_in_place(f, param, dL_dparam, n_checks, seed=0, h=1e-6):
    picked = np.random.default_rng(seed).choice(param.size, size=n_checks, replace=False)
    a, b = [], []
    for k in picked:
        i = np.unravel_index(int(k), param.shape)
        param[i] += h
        f_plus = f(param)
        param[i] -= 2 * h
        b.append((f_plus - f(param)) / (2 * h))
        a.append(dL_dparam[i])
    return relative_error(np.array(a), np.array(b))


def sgc_rows_only(f, param, dL_dparam, n_checks, seed=0, h=1e-6):
    rng = np.random.default_rng(seed)
    rows = rng.choice(param.shape[0], size=n_checks, replace=n_checks > param.shape[0])
    a, b = [], []
    for r in rows:
        i = (int(r),) + (0,) * (param.ndim - 1)
        plus, minus = param.copy(), param.copy()
        plus[i] += h
        minus[i] -= h
        b.append((f(plus) - f(minus)) / (2 * h))
        a.append(dL_dparam[i])
    return relative_error(np.array(a), np.array(b))


SGC_WRONG = {
    "the first entries": (sgc_first, "the first entries"),
    "one-sided": (sgc_one_sided, "one-sided difference"),
    "first entries of dL_dparam": (sgc_first_analytic,
                                   "compared with the first entries of dL_dparam"),
    "replace=True": (sgc_replace, "drawn with replacement"),
    "absolute error": (sgc_absolute, "absolute error"),
    "rng.integers": (sgc_integers, None),
    "rng.choice(size, n): replace by default": (sgc_choice_default, None),
    "unravelled in Fortran order": (sgc_fortran_order, UNNAMED),  # was "the first entries"
    "param nudged, never restored": (sgc_nudged_in_place, None),
    "only the first column, random rows": (sgc_rows_only, UNNAMED),  # was "the first entries"
}


@pytest.mark.parametrize("name", _ids(SGC_WRONG))
def test_sampled_gradient_check_wrong(name):
    _wrong(lesson_08.sampled_gradient_check, *SGC_WRONG[name])


def sgc_flat_copy(f, param, dL_dparam, n_checks, seed=0, h=1e-6):
    rng = np.random.default_rng(seed)
    picked = rng.choice(param.size, n_checks, replace=False)
    flat_grad = dL_dparam.reshape(-1)
    numeric = np.empty(n_checks)
    for j, k in enumerate(picked):
        plus = param.copy().reshape(-1)
        minus = param.copy().reshape(-1)
        plus[k] += h
        minus[k] -= h
        numeric[j] = (f(plus.reshape(param.shape)) - f(minus.reshape(param.shape))) / (2 * h)
    return relative_error(flat_grad[picked], numeric)


def sgc_restore_old(f, param, dL_dparam, n_checks, seed=0, h=1e-6):
    picked = np.random.default_rng(seed).choice(param.size, size=n_checks, replace=False)
    a, b = np.zeros(n_checks), np.zeros(n_checks)
    for j, k in enumerate(picked):
        i = np.unravel_index(k, param.shape)
        old = param[i]
        param[i] = old + h
        up = f(param)
        param[i] = old - h
        down = f(param)
        param[i] = old
        a[j], b[j] = dL_dparam[i], (up - down) / (2 * h)
    return np.max(np.abs(a - b)) / max(1e-8, np.max(np.abs(a) + np.abs(b)))


@pytest.mark.parametrize("fn", [sgc_flat_copy, sgc_restore_old], ids=lambda f: f.__name__)
def test_sampled_gradient_check_right(fn):
    _right(lesson_08.sampled_gradient_check, fn)


# ============================================================================================
# lesson 08: failing_parameters
# ============================================================================================


def fp_passing(errors, tol):
    return [n for n, e in errors.items() if e <= tol]


def fp_nan_passes(errors, tol):
    return [n for n, e in errors.items() if e > tol]


def fp_tolerance_fails(errors, tol):
    return [n for n, e in errors.items() if e >= tol or e != e]


def fp_sorted(errors, tol):
    return sorted(n for n, e in errors.items() if not e <= tol)


def fp_dict(errors, tol):
    return {n: e for n, e in errors.items() if not e <= tol}


def fp_first_only(errors, tol):
    bad = [n for n, e in errors.items() if not e <= tol]
    return bad[0] if bad else None


def fp_tol_hard_coded(errors, tol):
    return [n for n, e in errors.items() if not e <= 1e-7]


def fp_set(errors, tol):
    return {n for n, e in errors.items() if not e <= tol}


def fp_worst(errors, tol):
    worst = max(errors, key=lambda n: errors[n] if errors[n] == errors[n] else math.inf)
    return [worst] if not errors[worst] <= tol else []


def fp_reversed(errors, tol):
    return [n for n, e in reversed(list(errors.items())) if not e <= tol]


def fp_weights_only(errors, tol):
    return [n for n, e in errors.items() if n.startswith("W") and not e <= tol]


FP_WRONG = {
    "the passing names": (fp_passing, "the passing names"),
    "NaN passes": (fp_nan_passes, "NaN counted as a pass"),
    "tolerance fails": (fp_tolerance_fails, "tolerance excluded"),
    "sorted": (fp_sorted, "sorted"),
    "a dict": (fp_dict, None),
    "the first name only": (fp_first_only, None),
    "1e-7 hard-coded": (fp_tol_hard_coded, None),
    "a set": (fp_set, None),
    "only the worst": (fp_worst, None),
    "from the output down": (fp_reversed, None),
    "weights only": (fp_weights_only, None),
}


@pytest.mark.parametrize("name", _ids(FP_WRONG))
def test_failing_parameters_wrong(name):
    _wrong(lesson_08.failing_parameters, *FP_WRONG[name])


def fp_isnan(errors, tol):
    out = []
    for name in errors:
        err = float(errors[name])
        if np.isnan(err) or err > tol:
            out.append(name)
    return out


def fp_tuple(errors, tol):
    return tuple(name for name, err in errors.items() if not (err <= tol))


@pytest.mark.parametrize("fn", [fp_isnan, fp_tuple], ids=lambda f: f.__name__)
def test_failing_parameters_right(fn):
    _right(lesson_08.failing_parameters, fn)


# ============================================================================================
# lesson 09: symmetry_labels
# ============================================================================================


def sl_complement(X):
    return np.all(X == 1 - X[:, ::-1], axis=1).astype(float).reshape(-1, 1)


def sl_first_half(X):
    half = X[:, : X.shape[1] // 2]
    return np.all(half == half[:, ::-1], axis=1).astype(float).reshape(-1, 1)


def sl_any(X):
    return np.any(X == X[:, ::-1], axis=1).astype(float).reshape(-1, 1)


def sl_flat(X):
    return np.all(X == X[:, ::-1], axis=1).astype(float)


def sl_bools(X):
    return np.all(X == X[:, ::-1], axis=1).reshape(-1, 1)


def sl_rows_reversed(X):
    return np.all(X == X[::-1], axis=1).astype(float).reshape(-1, 1)


def sl_no_axis(X):
    return np.full((len(X), 1), float(np.all(X == X[:, ::-1])))


def sl_six_bits(X):
    pairs = (X[:, 0] == X[:, -1]) & (X[:, 1] == X[:, -2]) & (X[:, 2] == X[:, -3])
    return pairs.astype(float).reshape(-1, 1)


def sl_flip_both(X):
    return np.all(X == np.flip(X), axis=1).astype(float).reshape(-1, 1)


def sl_half_sums(X):
    k = X.shape[1] // 2
    return (X[:, :k].sum(axis=1) == X[:, ::-1][:, :k].sum(axis=1)).astype(float).reshape(-1, 1)


def sl_inverted(X):
    return 1.0 - np.all(X == X[:, ::-1], axis=1).astype(float).reshape(-1, 1)


SL_WRONG = {
    "the complement": (sl_complement, "compared with the complement"),
    "first half against itself": (sl_first_half, "first half against itself"),
    "any pair": (sl_any, "any pair instead of every pair"),
    "shape (n,)": (sl_flat, None),
    "booleans": (sl_bools, None),
    "rows reversed, not bits": (sl_rows_reversed, None),
    "np.all without axis": (sl_no_axis, None),
    "three pairs hard-coded": (sl_six_bits, None),  # passed before the 8-bit case
    "np.flip of both axes": (sl_flip_both, None),
    "sums of the halves": (sl_half_sums, None),
    "1 for asymmetric": (sl_inverted, None),
}


@pytest.mark.parametrize("name", _ids(SL_WRONG))
def test_symmetry_labels_wrong(name):
    _wrong(lesson_09.symmetry_labels, *SL_WRONG[name])


def sl_fliplr(X):
    X = np.asarray(X)
    return (X == np.fliplr(X)).all(axis=1, keepdims=True).astype(np.float64)


def sl_loop(X):
    return np.array([[1.0 if list(row) == list(row[::-1]) else 0.0] for row in np.asarray(X)])


def sl_float32(X):
    X = np.asarray(X)
    return np.all(X == X[:, ::-1], axis=1).astype(np.float32)[:, None]


@pytest.mark.parametrize("fn", [sl_fliplr, sl_loop, sl_float32], ids=lambda f: f.__name__)
def test_symmetry_labels_right(fn):
    _right(lesson_09.symmetry_labels, fn)


# ============================================================================================
# lesson 09: train_full_batch
# ============================================================================================


def _tfb(layer_sizes, X, y, eta, alpha, max_epochs, seed, *, v0=np.zeros_like, check=True,
         lag=False, alpha_used=None, count_from=0, grad=lambda y, Y: mse_grad(y, Y),
         net_seed=True, check_after=False):
    network = paper_network(layer_sizes, seed) if net_seed else paper_network(layer_sizes)
    a = alpha if alpha_used is None else alpha_used
    velocity = {k: v0(p) for k, p in network.params.items()}
    epochs = count_from
    while True:
        Y, cache = network.forward(X)
        if not check_after and ((check and bl_accuracy(y, Y) == 1.0)
                                or epochs == max_epochs + count_from):
            break
        grads = network.backward(cache, grad(y, Y))
        for k, p in network.params.items():
            if lag:
                p += velocity[k]
                velocity[k] = a * velocity[k] - eta * grads[k]
            else:
                velocity[k] = a * velocity[k] - eta * grads[k]
                p += velocity[k]
        epochs += 1
        if check_after:
            Y = network.predict(X)
            if bl_accuracy(y, Y) == 1.0 or epochs == max_epochs:
                break
    return epochs, bl_accuracy(y, Y)


def tfb_no_momentum(layer_sizes, X, y, eta, alpha=0.9, max_epochs=3000, seed=0):
    return _tfb(layer_sizes, X, y, eta, alpha, max_epochs, seed, alpha_used=0.0)


def tfb_lagged(layer_sizes, X, y, eta, alpha=0.9, max_epochs=3000, seed=0):
    return _tfb(layer_sizes, X, y, eta, alpha, max_epochs, seed, lag=True)


def tfb_counted_from_1(layer_sizes, X, y, eta, alpha=0.9, max_epochs=3000, seed=0):
    return _tfb(layer_sizes, X, y, eta, alpha, max_epochs, seed, count_from=1)


def tfb_velocity_ones(layer_sizes, X, y, eta, alpha=0.9, max_epochs=3000, seed=0):
    return _tfb(layer_sizes, X, y, eta, alpha, max_epochs, seed,
                v0=lambda p: 0.01 * np.ones_like(p))


def tfb_never_stops_early(layer_sizes, X, y, eta, alpha=0.9, max_epochs=3000, seed=0):
    return _tfb(layer_sizes, X, y, eta, alpha, max_epochs, seed, check=False)


def tfb_targets_swapped(layer_sizes, X, y, eta, alpha=0.9, max_epochs=3000, seed=0):
    return _tfb(layer_sizes, X, y, eta, alpha, max_epochs, seed, grad=lambda y, Y: mse_grad(Y, y))


def tfb_default_seed(layer_sizes, X, y, eta, alpha=0.9, max_epochs=3000, seed=0):
    return _tfb(layer_sizes, X, y, eta, alpha, max_epochs, seed, net_seed=False)


def tfb_step_then_check(layer_sizes, X, y, eta, alpha=0.9, max_epochs=3000, seed=0):
    return _tfb(layer_sizes, X, y, eta, alpha, max_epochs, seed, check_after=True)


def tfb_summed_loss_gradient(layer_sizes, X, y, eta, alpha=0.9, max_epochs=3000, seed=0):
    return _tfb(layer_sizes, X, y, eta, alpha, max_epochs, seed,
                grad=lambda y, Y: 2 * (Y - y))


def tfb_accuracy_of_start(layer_sizes, X, y, eta, alpha=0.9, max_epochs=3000, seed=0):
    epochs, _ = _tfb(layer_sizes, X, y, eta, alpha, max_epochs, seed)
    return epochs, bl_accuracy(y, paper_network(layer_sizes, seed).predict(X))


TFB_WRONG = {
    "momentum forgotten": (tfb_no_momentum, "momentum forgotten"),
    "old velocity": (tfb_lagged, "stepped with the old velocity"),
    "counted from 1": (tfb_counted_from_1, "one sweep too many counted"),
    "velocity not zero at the start": (tfb_velocity_ones, None),  # 0.01, not zeros
    "never stops early": (tfb_never_stops_early, None),
    "mse_grad(Y, y)": (tfb_targets_swapped, None),
    "paper_network without seed": (tfb_default_seed, None),
    "step, then check": (tfb_step_then_check, None),  # passed before the 0-step case
    "the summed loss's gradient": (tfb_summed_loss_gradient, None),
    "accuracy of the starting weights": (tfb_accuracy_of_start, None),
}


@pytest.mark.slow  # each wrong loop trains up to 3,000 sweeps of the 1986 network
@pytest.mark.parametrize("name", _ids(TFB_WRONG))
def test_train_full_batch_wrong(name):
    _wrong(lesson_09.train_full_batch, *TFB_WRONG[name])


def tfb_for_loop(layer_sizes, X, y, eta, alpha=0.9, max_epochs=3000, seed=0):
    network = paper_network(layer_sizes, seed)
    velocity = {k: 0.0 * p for k, p in network.params.items()}
    for step in range(max_epochs + 1):
        Y, cache = network.forward(X)
        if np.all((Y >= 0.5) == (y == 1)) or step == max_epochs:
            return step, float(np.mean((Y >= 0.5) == (y == 1)))
        grads = network.backward(cache, mse_grad(y, Y))
        for k in velocity:
            velocity[k] = alpha * velocity[k] - eta * grads[k]
        network.set_params({k: p + velocity[k] for k, p in network.params.items()})
    raise AssertionError("unreachable")


def tfb_list_result(layer_sizes, X, y, eta, alpha=0.9, max_epochs=3000, seed=0):
    network = paper_network(layer_sizes, seed)
    steps = {k: np.zeros(p.shape) for k, p in network.params.items()}
    n = 0
    Y, cache = network.forward(X)
    while bl_accuracy(y, Y) < 1.0 and n < max_epochs:
        grads = network.backward(cache, 2 * (Y - y) / Y.size)
        for k, p in network.params.items():
            steps[k] = -eta * grads[k] + alpha * steps[k]
            p += steps[k]
        n += 1
        Y, cache = network.forward(X)
    return [n, bl_accuracy(y, Y)]


@pytest.mark.parametrize("fn", [tfb_for_loop, tfb_list_result], ids=lambda f: f.__name__)
def test_train_full_batch_right(fn):
    _right(lesson_09.train_full_batch, fn)


# ============================================================================================
# lesson 09: mirror_cosine
# ============================================================================================


def mc_not_normalised(w):
    return float(w @ w[::-1])


def mc_itself(w):
    return float(w @ w / (w @ w))


def mc_by_length(w):
    return float(w @ w[::-1] / np.linalg.norm(w))


def mc_half(w):
    k = len(w) // 2
    return float(w[:k] @ w[::-1][:k] / (w @ w))


def mc_by_len(w):
    return float(np.dot(w, w[::-1]) / len(w))


def mc_sign(w):
    return float(w @ -w[::-1] / (w @ w))


def mc_rolled(w):
    return float(w @ np.roll(w, 1) / (w @ w))


def mc_correlation(w):
    return float(np.corrcoef(w, w[::-1])[0, 1])


def mc_entrywise(w):
    return w * w[::-1] / (w @ w)


def mc_by_sum(w):
    return float(w @ w[::-1] / np.sum(w))


def mc_abs(w):
    return float(abs(w @ w[::-1]) / (w @ w))


MC_WRONG = {
    "not normalised": (mc_not_normalised, "not normalised"),
    "compared with itself": (mc_itself, "compared with itself"),
    "divided by the length": (mc_by_length, "divided by the length, not its square"),
    "half the pairs": (mc_half, "summed over half the pairs"),
    "divided by len(w)": (mc_by_len, None),
    "minus the mirror": (mc_sign, None),
    "np.roll for the mirror": (mc_rolled, None),
    "correlation (centred)": (mc_correlation, None),
    "entry by entry": (mc_entrywise, None),
    "divided by the sum": (mc_by_sum, None),
    "absolute value": (mc_abs, None),
}


@pytest.mark.parametrize("name", _ids(MC_WRONG))
def test_mirror_cosine_wrong(name):
    _wrong(lesson_09.mirror_cosine, *MC_WRONG[name])


def mc_norms(w):
    w = np.asarray(w, dtype=float)
    return float(np.dot(w, np.flip(w)) / (np.linalg.norm(w) * np.linalg.norm(np.flip(w))))


def mc_loop(w):
    w = list(np.ravel(w))
    n = len(w)
    return sum(w[i] * w[n - 1 - i] for i in range(n)) / sum(x * x for x in w)


def mc_float32(w):
    w = np.asarray(w, dtype=np.float32)
    return np.float32(w @ w[::-1] / (w @ w))


@pytest.mark.parametrize("fn", [mc_norms, mc_loop, mc_float32], ids=lambda f: f.__name__)
def test_mirror_cosine_right(fn):
    _right(lesson_09.mirror_cosine, fn)


# ============================================================================================
# lesson 09: numerical_gradients
# ============================================================================================


def _ng(network, X, y, h, *, store=float, post=lambda g: g, loss=None, scale=0.5,
        skip_biases=False, one_sided=False):
    loss = loss or (lambda: mse(y, network.predict(X)))
    grads = {}
    for name, p in network.params.items():
        if skip_biases and name.startswith("b"):
            continue
        g = np.zeros(p.shape, dtype=store)
        base = loss()
        for i in np.ndindex(p.shape):
            old = p[i].copy()
            p[i] = old + h
            up = loss()
            p[i] = old - h
            down = base if one_sided else loss()
            p[i] = old
            g[i] = scale * (up - down) / h
        grads[name] = post(g)
    return grads


def ng_over_h(network, X, y, h=1e-6):
    return _ng(network, X, y, h, scale=1.0)


def ng_one_sided(network, X, y, h=1e-6):
    return _ng(network, X, y, h, one_sided=True, scale=1.0)


def ng_float32_store(network, X, y, h=1e-6):
    return _ng(network, X, y, h, store=np.float32)


def ng_float32_zeros_like(network, X, y, h=1e-6):
    params32 = {k: p.astype(np.float32) for k, p in network.params.items()}
    return {k: v.astype(np.float64) for k, v in _ng(
        network, X, y, h, post=lambda g: g.astype(params32["W1"].dtype)).items()}


def ng_all_at_once(network, X, y, h=1e-6):
    grads = {}
    for name, p in network.params.items():
        old = p.copy()
        p += h
        up = mse(y, network.predict(X))
        p -= 2 * h
        down = mse(y, network.predict(X))
        p[...] = old
        grads[name] = np.full(p.shape, (up - down) / (2 * h))
    return grads


def ng_weights_only(network, X, y, h=1e-6):
    return _ng(network, X, y, h, skip_biases=True)


def ng_copy_never_used(network, X, y, h=1e-6):
    grads = {}
    for name, p in network.params.items():
        g = np.zeros(p.shape)
        for i in np.ndindex(p.shape):
            q = p.copy()
            q[i] += h
            up = mse(y, network.predict(X))
            q[i] -= 2 * h
            g[i] = (up - mse(y, network.predict(X))) / (2 * h)
        grads[name] = g
    return grads


def ng_list_of_arrays(network, X, y, h=1e-6):
    return list(_ng(network, X, y, h).values())


def ng_h_hard_coded(network, X, y, h=1e-6):
    return _ng(network, X, y, 1e-3)


def ng_loss_per_output(network, X, y, h=1e-6):
    return _ng(network, X, y, h, loss=lambda: float(np.mean(
        (network.predict(X) - y) ** 2, axis=0).sum() / len(X)))


NG_WRONG = {
    "divided by h": (ng_over_h, "divided by h instead of 2h"),
    "one-sided": (ng_one_sided, "one-sided difference"),
    # these two passed while the comparator's rtol was 1e-6
    "float32 arrays": (ng_float32_store, None, "float32"),
    "rounded to float32, returned as float64": (ng_float32_zeros_like, None, "float32"),
    "h = 1e-3 hard-coded": (ng_h_hard_coded, None),
    "every entry at once": (ng_all_at_once, None),
    "biases left out": (ng_weights_only, None),
    "a copy nudged, the network never": (ng_copy_never_used, None),
    "a list": (ng_list_of_arrays, None),
    "mean over instances twice": (ng_loss_per_output, None),
}


@pytest.mark.parametrize("name", _ids(NG_WRONG))
def test_numerical_gradients_wrong(name):
    _wrong(lesson_09.numerical_gradients, *NG_WRONG[name])


def ng_mean_by_hand(network, X, y, h=1e-6):
    return _ng(network, X, y, h, loss=lambda: float(np.mean((network.predict(X) - y) ** 2)))


def ng_deep_copies(network, X, y, h=1e-6):
    grads = {}
    for name, p in network.params.items():
        g = np.zeros(p.shape)
        for i in np.ndindex(p.shape):
            nets = []
            for step in (h, -h):
                other = copy.deepcopy(network)
                other.params[name][i] += step
                nets.append(mse(y, other.forward(X)[0]))
            g[i] = (nets[0] - nets[1]) / (2 * h)
        grads[name] = g
    return grads


def ng_set_params(network, X, y, h=1e-6):
    start = {k: p.copy() for k, p in network.params.items()}
    grads = {k: np.zeros(p.shape) for k, p in start.items()}
    for name, p0 in start.items():
        for i in np.ndindex(p0.shape):
            losses = []
            for step in (h, -h):
                moved = {k: v.copy() for k, v in start.items()}
                moved[name][i] += step
                network.set_params(moved)
                losses.append(mse(y, network.predict(X)))
            grads[name][i] = (losses[0] - losses[1]) / (2 * h)
    network.set_params(start)
    return grads


def ng_python_sum(network, X, y, h=1e-6):
    def loss():
        P = network.predict(X)
        return sum(float(d) ** 2 for d in (P - y).ravel()[::-1]) / P.size  # rounds otherwise
    return _ng(network, X, y, h, loss=loss)


@pytest.mark.parametrize("fn", [ng_mean_by_hand, ng_deep_copies, ng_set_params, ng_python_sum],
                         ids=lambda f: f.__name__)
def test_numerical_gradients_right(fn):
    _right(lesson_09.numerical_gradients, fn)


# ============================================================================================
# lesson 10: softmax, cross_entropy, softmax_cross_entropy_grad, train_epoch (more answers
# beside the 11-13 each of test_lesson_10_answers.py)
# ============================================================================================


def sx_mean_shift(Z):
    E = np.exp(Z - Z.mean(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def sx_min_shift(Z):
    E = np.exp(Z - Z.min(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def sx_unshifted_sum(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / np.exp(Z).sum(axis=1, keepdims=True)


def sx_plus_max(Z):
    E = np.exp(Z + Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def sx_divided_by_norm(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / np.linalg.norm(E, axis=1, keepdims=True)


def sx_linear(Z):
    S = Z - Z.min(axis=1, keepdims=True)
    return S / S.sum(axis=1, keepdims=True)


SX_WRONG = {
    # these two passed before the case with logits 2000 apart
    "the row's mean subtracted": (sx_mean_shift, None),
    "the row's min subtracted": (sx_min_shift, None),
    "shifted exps over the unshifted sum": (sx_unshifted_sum, None),
    "max added": (sx_plus_max, None),
    "divided by the norm": (sx_divided_by_norm, None),
    "no exp": (sx_linear, None),
}


@pytest.mark.parametrize("name", _ids(SX_WRONG))
def test_softmax_wrong(name):
    _wrong(lesson_10.softmax, *SX_WRONG[name])


def sx_exp_minus_logsumexp(Z):
    Z = np.asarray(Z, dtype=float)
    m = np.max(Z, axis=-1, keepdims=True)
    return np.exp(Z - m - np.log(np.sum(np.exp(Z - m), axis=-1, keepdims=True)))


def sx_transposed(Z):
    T = np.asarray(Z).T
    E = np.exp(T - T.max(axis=0))
    return (E / E.sum(axis=0)).T


@pytest.mark.parametrize("fn", [sx_exp_minus_logsumexp, sx_transposed], ids=lambda f: f.__name__)
def test_softmax_right(fn):
    _right(lesson_10.softmax, fn)


def ce_per_row_mean(Y, P):
    return float(-np.mean(np.sum(Y * np.log(np.clip(P, 1e-12, 1)), axis=0)))


def ce_log_of_sum(Y, P):
    return float(-np.log(np.sum(Y * P)) / len(P))


def ce_one_minus(Y, P):
    return float(np.sum(Y * (1 - P)) / len(P))


def ce_log10(Y, P):
    return float(-np.sum(Y * np.log10(np.clip(P, 1e-12, 1))) / len(P))


def ce_clip_after_log(Y, P):
    return float(-np.sum(np.clip(Y * np.log(P), -1e12, 0)) / len(P))


def ce_squared_error(Y, P):
    return float(np.mean((Y - P) ** 2))


CE_WRONG = {
    "mean over the classes of the sums": (ce_per_row_mean, None),
    "log of the summed probabilities": (ce_log_of_sum, None),
    "1 - P": (ce_one_minus, None),
    "log10": (ce_log10, None),
    "clipped after the log": (ce_clip_after_log, "log of 0"),  # nan already
    "squared error": (ce_squared_error, None),
}


@pytest.mark.parametrize("name", _ids(CE_WRONG))
def test_cross_entropy_wrong(name):
    _wrong(lesson_10.cross_entropy, *CE_WRONG[name])


def ce_loop(Y, P):
    total = 0.0
    for y_row, p_row in zip(np.asarray(Y), np.asarray(P), strict=True):
        total -= math.log(max(float(p_row[int(np.argmax(y_row))]), 1e-12))
    return total / len(Y)


def ce_einsum(Y, P):
    return -np.einsum("nk,nk->", Y, np.log(np.maximum(P, sm.EPS))) / P.shape[0]


@pytest.mark.parametrize("fn", [ce_loop, ce_einsum], ids=lambda f: f.__name__)
def test_cross_entropy_right(fn):
    _right(lesson_10.cross_entropy, fn)


def _p(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def sg_softmax_over_axis0(Y, Z):
    E = np.exp(Z - Z.max(axis=0))
    return (E / E.sum(axis=0) - Y) / len(Z)


def sg_sigmoid(Y, Z):
    return (sigmoid(Z) - Y) / len(Z)


def sg_mse_style(Y, Z):
    return 2 * (_p(Z) - Y) / len(Z)


def sg_y_times(Y, Z):
    return Y * (_p(Z) - 1) / len(Z)


def sg_log_p(Y, Z):
    return (np.log(_p(Z)) - Y) / len(Z)


def sg_summed_rows(Y, Z):
    return (_p(Z) - Y).sum(axis=1, keepdims=True) / len(Z)


SG_WRONG = {
    "softmax over axis 0": (sg_softmax_over_axis0, None),
    "sigmoid for softmax": (sg_sigmoid, None),
    "2 (P - Y) / N": (sg_mse_style, None),
    "only the right class": (sg_y_times, "dL/dP times the diagonal"),  # the same numbers
    "log P - Y": (sg_log_p, None),
    "rows summed": (sg_summed_rows, None),
}


@pytest.mark.parametrize("name", _ids(SG_WRONG))
def test_softmax_cross_entropy_grad_wrong(name):
    _wrong(lesson_10.softmax_cross_entropy_grad, *SG_WRONG[name])


def sg_float32(Y, Z):
    return ((_p(Z.astype(np.float32)) - Y.astype(np.float32)) / np.float32(len(Z)))


def sg_rows(Y, Z):
    return np.array([(_p(z[None, :])[0] - y) for y, z in zip(Y, Z, strict=True)]) / Z.shape[0]


@pytest.mark.parametrize("fn", [sg_float32, sg_rows], ids=lambda f: f.__name__)
def test_softmax_cross_entropy_grad_right(fn):
    _right(lesson_10.softmax_cross_entropy_grad, fn)


def _te10(params, X, Y, train_idx, eta, seed, batch_size, *, order_of=None, hidden="tanh",
          step_scale=1.0, loss_of="batch", sign=1.0, default_seed=False):
    n_in, n_hidden = np.shape(params["W1"])
    net = Network([n_in, n_hidden, np.shape(params["W2"])[1]],
                  activations=[hidden, "identity"])
    net.set_params(params)
    X_t, Y_t = X[train_idx], Y[train_idx]
    order = (order_of(len(train_idx)) if order_of else
             np.random.default_rng(None if default_seed else seed).permutation(len(train_idx)))
    total = 0.0
    for start in range(0, len(order), batch_size):
        b = order[start:start + batch_size]
        Z, cache = net.forward(X_t[b])
        total += sm.softmax_cross_entropy(Y_t[b], Z) * len(b)
        grads = net.backward(cache, sm.softmax_cross_entropy_grad(Y_t[b], Z))
        for name, p in net.params.items():
            p -= sign * step_scale * eta * grads[name]
    loss = total / len(train_idx)
    if loss_of == "split":
        loss = sm.softmax_cross_entropy(Y_t, net.forward(X_t)[0])
    return {name: p.copy() for name, p in net.params.items()}, loss


def tq_seed_ignored(params, X, Y, train_idx, eta, seed, batch_size=32):
    return _te10(params, X, Y, train_idx, eta, 0, batch_size)


def tq_eta_over_batch(params, X, Y, train_idx, eta, seed, batch_size=32):
    return _te10(params, X, Y, train_idx, eta, seed, batch_size, step_scale=1 / batch_size)


def tq_loss_of_final_weights(params, X, Y, train_idx, eta, seed, batch_size=32):
    return _te10(params, X, Y, train_idx, eta, seed, batch_size, loss_of="split")


def tq_relu(params, X, Y, train_idx, eta, seed, batch_size=32):
    return _te10(params, X, Y, train_idx, eta, seed, batch_size, hidden="relu")


def tq_descending(params, X, Y, train_idx, eta, seed, batch_size=32):
    return _te10(params, X, Y, train_idx, eta, seed, batch_size,
                 order_of=lambda n: np.arange(n)[::-1])


TQ_WRONG = {
    "seed 0 whatever the seed": (tq_seed_ignored, None),
    "eta divided by the batch size": (tq_eta_over_batch, None),
    "the loss of the final weights": (tq_loss_of_final_weights, None),
    "relu hidden layer": (tq_relu, None),
    "reversed, not shuffled": (tq_descending, None),
}


@pytest.mark.parametrize("name", _ids(TQ_WRONG))
def test_train_epoch_wrong(name):
    _wrong(lesson_10.train_epoch, *TQ_WRONG[name])


def tq_numpy_by_hand(params, X, Y, train_idx, eta, seed, batch_size=32):
    W1, b1 = np.array(params["W1"], dtype=float), np.array(params["b1"], dtype=float)
    W2, b2 = np.array(params["W2"], dtype=float), np.array(params["b2"], dtype=float)
    X_t, Y_t = np.asarray(X)[train_idx], np.asarray(Y)[train_idx]
    order = np.random.default_rng(seed).permutation(len(train_idx))
    total = 0.0
    for start in range(0, len(order), batch_size):
        b = order[start:start + batch_size]
        A = np.tanh(X_t[b] @ W1 + b1)
        Z = A @ W2 + b2
        P = _p(Z)
        total += -np.sum(Y_t[b] * np.log(np.clip(P, 1e-12, 1)))
        d2 = (P - Y_t[b]) / len(b)
        d1 = (d2 @ W2.T) * (1 - A ** 2)
        W2, b2 = W2 - eta * A.T @ d2, b2 - eta * d2.sum(axis=0)
        W1, b1 = W1 - eta * X_t[b].T @ d1, b1 - eta * d1.sum(axis=0)
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}, total / len(order)


def tq_permuted_train_idx_values(params, X, Y, train_idx, eta, seed, batch_size=32):
    rows = np.random.default_rng(seed).permutation(train_idx)  # the same shuffle of the rows
    return _te10(params, X, Y, rows, eta, seed, batch_size, order_of=lambda n: np.arange(n))


def tq_list_pair(params, X, Y, train_idx, eta, seed, batch_size=32):
    new, loss = _te10(params, X, Y, train_idx, eta, seed, batch_size)
    return [new, np.float64(loss)]


@pytest.mark.parametrize("fn", [tq_numpy_by_hand, tq_list_pair, tq_permuted_train_idx_values],
                         ids=lambda f: f.__name__)
def test_train_epoch_right(fn):
    _right(lesson_10.train_epoch, fn)


# ============================================================================================
# more right variants: other containers and dtypes the exercises accept
# ============================================================================================


def bp_defaultdict_returned(order, children, local_grads):
    grad = defaultdict(float)
    grad[order[-1]] = 1.0
    for node in reversed(order):
        for child, d in zip(children.get(node, []), local_grads.get(node, []), strict=True):
            grad[child] += grad[node] * d
    return grad


def gd_keys_reversed(params, grads, eta):
    return {k: params[k] - eta * grads[k] for k in reversed(list(params))}


def lg_float32(op, inputs):
    if op == "+":
        return (np.float64(1), np.float64(1))
    if op == "*":
        return (inputs[1], inputs[0])
    if op == "tanh":
        return (np.float32(1 - np.tanh(np.float32(inputs[0])) ** 2),)
    s = 1 / (1 + np.exp(-np.float32(inputs[0])))
    return (s * (1 - s),)


def dm_float32(a, a_dot, b, b_dot):
    a, a_dot, b, b_dot = (np.float32(v) for v in (a, a_dot, b, b_dot))
    return a * b, a_dot * b + a * b_dot


def sl_int_column(X):
    X = np.asarray(X)
    return np.all(X == X[:, ::-1], axis=1).astype(int).reshape(-1, 1)


def sl_nested_lists(X):
    X = np.asarray(X)
    return [[float(v)] for v in np.all(X == X[:, ::-1], axis=1)]


def fp_filter(errors, tol):
    return list(filter(lambda name: not errors[name] <= tol, errors))


MORE_RIGHT = {
    "backward_pass: a defaultdict": (lesson_07.backward_pass, bp_defaultdict_returned),
    "gradient_descent_step: keys in another order": (lesson_06.gradient_descent_step,
                                                     gd_keys_reversed),
    "local_gradients: float32 numbers": (lesson_07.local_gradients, lg_float32),
    "dual_multiply: float32 numbers": (lesson_07.dual_multiply, dm_float32),
    "symmetry_labels: an int column": (lesson_09.symmetry_labels, sl_int_column),
    "symmetry_labels: nested lists": (lesson_09.symmetry_labels, sl_nested_lists),
    "failing_parameters: filter": (lesson_08.failing_parameters, fp_filter),
}


@pytest.mark.parametrize("name", _ids(MORE_RIGHT))
def test_more_right_variants(name):
    _right(*MORE_RIGHT[name])
