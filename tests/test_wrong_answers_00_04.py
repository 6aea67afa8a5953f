"""Issue 13, done-when: every exercise of lessons 00-04 tried with learner-style wrong answers
(at least 8 each) and right variants written another way (at least 2 each).

Each wrong answer is a function a learner could type after reading the lesson. It must fail
(``status == "failed"``; a few that crash are checked as ``"error"``), with the declared
mistake named where the exercise has one for it, and a short message that says something
useful. Each right variant must pass. ``bias_update`` (lesson 03) is left out here: its
bias-shape convention is being changed elsewhere.
"""

from __future__ import annotations

import functools
import math
import operator

import numpy as np
import pytest

from backprop_lessons.exercises import lesson_00, lesson_01, lesson_02, lesson_03, lesson_04
from backprop_lessons.maths import course_network
from backprop_lessons.maths.activations import relu, sigmoid

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

MAX_MESSAGE = 2000

EXERCISES = {
    "descent_step": lesson_00.descent_step,
    "numerical_derivative": lesson_01.numerical_derivative,
    "weight_update": lesson_01.weight_update,
    "step_direction": lesson_01.step_direction,
    "gradient_descent_1d": lesson_01.gradient_descent_1d,
    "chain_product": lesson_02.chain_product,
    "path_product": lesson_02.path_product,
    "dL_dW1": lesson_02.dL_dW1,
    "dL_dW4": lesson_02.dL_dW4,
    "neuron_gradients": lesson_03.neuron_gradients,
    "train_step": lesson_03.train_step,
    "fit": lesson_03.fit,
    "layer_forward": lesson_04.layer_forward,
    "two_layer_forward": lesson_04.two_layer_forward,
    "layer_shapes": lesson_04.layer_shapes,
}

# (exercise id, wrong answer, declared mistake or None, text the message must contain or None)
WRONG: list[tuple[str, object, str | None, str | None]] = []
# (exercise id, wrong answer that crashes, text the error message must contain)
CRASH: list[tuple[str, object, str]] = []
# (exercise id, right variant)
RIGHT: list[tuple[str, object]] = []


def wrong(exercise_id, mistake=None, needle=None):
    def register(fn):
        WRONG.append((exercise_id, fn, mistake, needle))
        return fn
    return register


def crash(exercise_id, needle):
    def register(fn):
        CRASH.append((exercise_id, fn, needle))
        return fn
    return register


def right(exercise_id):
    def register(fn):
        RIGHT.append((exercise_id, fn))
        return fn
    return register


def _short(result):
    assert len(result.message) < MAX_MESSAGE, (len(result.message), result.message)


def _assert_wrong(exercise, fn, mistake=None, needle=None):
    """``fn`` fails, names ``mistake`` when given, and says something useful in short."""
    result = exercise.check(fn)
    assert result.status == "failed", result.message
    if mistake is not None:
        assert result.misconception == mistake, result.message
        assert f"Known mistake ({mistake})" in result.message, result.message
    _short(result)
    if needle is not None:
        assert needle in result.message, result.message
    else:
        assert "expected:" in result.message and "got:" in result.message, result.message
    return result


def _id(entry):
    return f"{entry[0]}-{entry[1].__name__}"


# --- 00 descent_step ------------------------------------------------------------------------


@wrong("descent_step", "sign flipped")
def ds_uphill(dL_dW, eta):
    return eta * dL_dW


@wrong("descent_step", "learning rate forgotten")
def ds_no_eta(dL_dW, eta):
    return -dL_dW


@wrong("descent_step", "divided by the learning rate")
def ds_divided(dL_dW, eta):
    return -dL_dW / eta


@wrong("descent_step")
def ds_always_down(dL_dW, eta):
    return -eta * abs(dL_dW)


@wrong("descent_step")
def ds_sign_only(dL_dW, eta):
    return -eta * np.sign(dL_dW)


@wrong("descent_step")
def ds_new_weight(dL_dW, eta):
    return 1 - eta * dL_dW  # the new weight of a W_old = 1, not the step


@wrong("descent_step")
def ds_squared(dL_dW, eta):
    return -eta * dL_dW ** 2


@wrong("descent_step", None, "expected an array of shape (2, 2)")
def ds_one_step_for_all(dL_dW, eta):
    return float(np.sum(-eta * np.asarray(dL_dW)))


@wrong("descent_step", None, "in place")
def ds_in_place(dL_dW, eta):
    dL_dW *= -eta  # changes the caller's array of slopes
    return dL_dW


@wrong("descent_step", "transposed")
def ds_transposed(dL_dW, eta):
    return -eta * np.transpose(dL_dW)


@wrong("descent_step")
def ds_rounded(dL_dW, eta):
    return np.round(-eta * dL_dW, 2)


@wrong("descent_step")
def ds_fixed_eta(dL_dW, eta):
    return -0.1 * dL_dW


@right("descent_step")
def ds_right_negative(dL_dW, eta):
    return -(eta * dL_dW)


@right("descent_step")
def ds_right_numpy(dL_dW, eta):
    return np.multiply(np.negative(dL_dW), eta)


@right("descent_step")
def ds_right_float32(dL_dW, eta):
    return np.float32(-eta) * np.asarray(dL_dW, dtype=np.float32)


# --- 01 numerical_derivative ------------------------------------------------------------------


@wrong("numerical_derivative", "h ignored")
def nd_fixed_h(f, x, h=1e-5):
    return (f(x + 1e-5) - f(x - 1e-5)) / (2 * 1e-5)


@wrong("numerical_derivative", "h ignored in the run")
def nd_fixed_run(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / 2e-5


@wrong("numerical_derivative", "forward difference")
def nd_forward(f, x, h=1e-5):
    return (f(x + h) - f(x)) / h


@wrong("numerical_derivative", "backward difference")
def nd_backward(f, x, h=1e-5):
    return (f(x) - f(x - h)) / h


@wrong("numerical_derivative", "run of h instead of 2h")
def nd_run_h(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / h


@wrong("numerical_derivative", "reversed difference")
def nd_reversed(f, x, h=1e-5):
    return (f(x - h) - f(x + h)) / (2 * h)


@wrong("numerical_derivative", "/ 2 * h")
def nd_precedence(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / 2 * h


@wrong("numerical_derivative", "rise without the run")
def nd_rise(f, x, h=1e-5):
    return f(x + h) - f(x - h)


@wrong("numerical_derivative")
def nd_no_parentheses(f, x, h=1e-5):
    return f(x + h) - f(x - h) / (2 * h)


@wrong("numerical_derivative")
def nd_floor_division(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) // (2 * h)


@wrong("numerical_derivative")
def nd_two_h_forward(f, x, h=1e-5):
    return (f(x + 2 * h) - f(x)) / (2 * h)


@wrong("numerical_derivative")
def nd_rounded(f, x, h=1e-5):
    return round((f(x + h) - f(x - h)) / (2 * h), 4)


@wrong("numerical_derivative", None, "float64")
def nd_float32(f, x, h=1e-5):
    x = np.float32(x)
    return np.float32((f(x + h) - f(x - h)) / (2 * h))


@right("numerical_derivative")
def nd_right_steps(f, x, h=1e-5):
    left, right_ = x - h, x + h
    return (f(right_) - f(left)) / (2 * h)


@right("numerical_derivative")
def nd_right_half(f, x, h=1e-5):
    return 0.5 * (f(x + h) - f(x - h)) / h


@right("numerical_derivative")
def nd_right_float64(f, x, h=1e-5):
    return np.float64((f(x + h) - f(x - h)) / (h + h))


# --- 01 weight_update ---------------------------------------------------------------------------


@wrong("weight_update", "sign flipped")
def wu_plus(W_old, dL_dW, eta):
    return W_old + eta * dL_dW


@wrong("weight_update", "learning rate forgotten")
def wu_no_eta(W_old, dL_dW, eta):
    return W_old - dL_dW


@wrong("weight_update", "step without W_old")
def wu_step_only(W_old, dL_dW, eta):
    return -eta * dL_dW


@wrong("weight_update", "the weight in place of the slope")
def wu_weight_decay(W_old, dL_dW, eta):
    return W_old - eta * W_old


@wrong("weight_update", None, "in place")
def wu_in_place(W_old, dL_dW, eta):
    W_old -= eta * dL_dW  # on an array this changes the caller's weights
    return W_old


@wrong("weight_update")
def wu_precedence(W_old, dL_dW, eta):
    return (W_old - eta) * dL_dW


@wrong("weight_update")
def wu_multiplicative(W_old, dL_dW, eta):
    return W_old * (1 - eta * dL_dW)


@wrong("weight_update")
def wu_abs(W_old, dL_dW, eta):
    return W_old - eta * abs(dL_dW)


@wrong("weight_update")
def wu_sign_of_slope(W_old, dL_dW, eta):
    return W_old - eta * np.sign(dL_dW)


@wrong("weight_update")
def wu_mean_slope(W_old, dL_dW, eta):
    return W_old - eta * np.mean(dL_dW)  # one slope for every weight: broadcasts


@wrong("weight_update")
def wu_swapped(W_old, dL_dW, eta):
    return dL_dW - eta * W_old


@wrong("weight_update")
def wu_fixed_eta(W_old, dL_dW, eta):
    return W_old - 0.1 * dL_dW


@right("weight_update")
def wu_right_subtract(W_old, dL_dW, eta):
    return np.subtract(W_old, np.multiply(eta, dL_dW))


@right("weight_update")
def wu_right_copy(W_old, dL_dW, eta):
    W = np.array(W_old, dtype=float, copy=True)
    W -= eta * np.asarray(dL_dW)
    return W


@right("weight_update")
def wu_right_float32(W_old, dL_dW, eta):
    return np.float32(W_old) + np.float32(-eta) * np.float32(dL_dW)


# --- 01 step_direction --------------------------------------------------------------------------


@wrong("step_direction", "sign of the slope")
def sd_sign(dL_dW):
    return int(np.sign(dL_dW))


@wrong("step_direction", "a flat slope still moves")
def sd_flat_down(dL_dW):
    return -1 if dL_dW >= 0 else 1


@wrong("step_direction", "a flat slope still moves up")
def sd_flat_up(dL_dW):
    return -1 if dL_dW > 0 else 1


@wrong("step_direction", "the step instead of its direction")
def sd_step(dL_dW):
    return -dL_dW


@wrong("step_direction")
def sd_rounded(dL_dW):
    return round(-dL_dW)


@wrong("step_direction")
def sd_int(dL_dW):
    return -int(dL_dW)


@wrong("step_direction")
def sd_small_is_flat(dL_dW):
    if abs(dL_dW) < 0.01:
        return 0
    return 1 if dL_dW < 0 else -1


@wrong("step_direction", "a flat slope still moves")
def sd_copysign(dL_dW):
    return int(math.copysign(1, -dL_dW))


@wrong("step_direction")
def sd_bool(dL_dW):
    return dL_dW < 0


@wrong("step_direction")
def sd_words(dL_dW):
    return "up" if dL_dW < 0 else ("down" if dL_dW > 0 else "stay")


@wrong("step_direction")
def sd_threshold_one(dL_dW):
    return 1 if dL_dW < -1 else (-1 if dL_dW > 1 else 0)


@crash("step_direction", "ZeroDivisionError")
def sd_divide(dL_dW):
    return -dL_dW / abs(dL_dW)


@right("step_direction")
def sd_right_numpy(dL_dW):
    return int(-np.sign(dL_dW))


@right("step_direction")
def sd_right_float(dL_dW):
    return np.sign(-dL_dW)  # a numpy float, -1.0, 0.0 or 1.0


@right("step_direction")
def sd_right_compare(dL_dW):
    return (dL_dW < 0) - (dL_dW > 0)


# --- 01 gradient_descent_1d ----------------------------------------------------------------------


@wrong("gradient_descent_1d", "sign flipped")
def gd_ascent(dL_dW, W_old, eta, steps, *, stop_beyond=None):
    path, W = [W_old], W_old
    for _ in range(steps):
        W = W + eta * dL_dW(W)
        path.append(W)
    return path


@wrong("gradient_descent_1d", "slope measured once")
def gd_slope_at_start(dL_dW, W_old, eta, steps, *, stop_beyond=None):
    path, W = [W_old], W_old
    for _ in range(steps):
        W = W - eta * dL_dW(W_old)
        path.append(W)
    return path


@wrong("gradient_descent_1d", "one step too few")
def gd_range_from_one(dL_dW, W_old, eta, steps, *, stop_beyond=None):
    path, W = [W_old], W_old
    for _ in range(1, steps):
        W = W - eta * dL_dW(W)
        path.append(W)
    return path


@wrong("gradient_descent_1d", "one step too many")
def gd_inclusive(dL_dW, W_old, eta, steps, *, stop_beyond=None):
    path, W = [W_old], W_old
    for _ in range(steps + 1):
        W = W - eta * dL_dW(W)
        path.append(W)
    return path


@wrong("gradient_descent_1d", "W_old missing from the path")
def gd_no_start(dL_dW, W_old, eta, steps, *, stop_beyond=None):
    path, W = [], W_old
    for _ in range(steps):
        W = W - eta * dL_dW(W)
        path.append(W)
    return path


@wrong("gradient_descent_1d", "only the last W")
def gd_last(dL_dW, W_old, eta, steps, *, stop_beyond=None):
    W = W_old
    for _ in range(steps):
        W = W - eta * dL_dW(W)
    return W


@wrong("gradient_descent_1d")
def gd_append_before(dL_dW, W_old, eta, steps, *, stop_beyond=None):
    path, W = [W_old], W_old
    for _ in range(steps):
        path.append(W)
        W = W - eta * dL_dW(W)
    return path


@wrong("gradient_descent_1d")
def gd_never_moves_on(dL_dW, W_old, eta, steps, *, stop_beyond=None):
    path, W = [W_old], W_old
    for _ in range(steps):
        path.append(W - eta * dL_dW(W))
    return path


@wrong("gradient_descent_1d", "one step too few")
def gd_while_short(dL_dW, W_old, eta, steps, *, stop_beyond=None):
    path = [W_old]
    while len(path) < steps:
        path.append(path[-1] - eta * dL_dW(path[-1]))
    return path


@wrong("gradient_descent_1d")
def gd_fixed_eta(dL_dW, W_old, eta, steps, *, stop_beyond=None):
    path = [W_old]
    for _ in range(steps):
        path.append(path[-1] - 0.1 * dL_dW(path[-1]))
    return path


@wrong("gradient_descent_1d")
def gd_stops_at_the_bottom(dL_dW, W_old, eta, steps, *, stop_beyond=None):
    path = [W_old]
    for _ in range(steps):
        slope = dL_dW(path[-1])
        if slope == 0:  # "already at the minimum": but the path must hold steps + 1 weights
            break
        path.append(path[-1] - eta * slope)
    return path


@wrong("gradient_descent_1d")
def gd_stops_when_flat(dL_dW, W_old, eta, steps, *, stop_beyond=None):
    path = [W_old]
    for _ in range(steps):
        slope = dL_dW(path[-1])
        if abs(slope) < 1e-6:
            break
        path.append(path[-1] - eta * slope)
    return path


@right("gradient_descent_1d")
def gd_right_rebind(dL_dW, W_old, eta, steps, *, stop_beyond=None):
    path = [W_old]
    for _ in range(steps):
        W_old = W_old - eta * dL_dW(W_old)
        path.append(W_old)
    return path


@right("gradient_descent_1d")
def gd_right_array(dL_dW, W_old, eta, steps):
    path = np.empty(steps + 1)
    path[0] = W_old
    for k in range(steps):
        path[k + 1] = path[k] - eta * dL_dW(path[k])
    return path


@right("gradient_descent_1d")
def gd_right_recursive(dL_dW, W_old, eta, steps, *, stop_beyond=None):
    if steps == 0:
        return [W_old]
    return [W_old] + gd_right_recursive(dL_dW, W_old - eta * dL_dW(W_old), eta, steps - 1)


# --- 02 chain_product -------------------------------------------------------------------------


@wrong("chain_product", "summed the factors")
def cp_sum(factors):
    return sum(factors)


@wrong("chain_product", "product started at 0")
def cp_zero(factors):
    product = 0.0
    for f in factors:
        product *= f
    return product


@wrong("chain_product", "last factor left out")
def cp_range_short(factors):
    product = 1.0
    for i in range(len(factors) - 1):
        product *= factors[i]
    return product


@wrong("chain_product", "return inside the loop")
def cp_return_in_loop(factors):
    product = 1.0
    for f in factors:
        product *= f
        return product


@wrong("chain_product")
def cp_first_twice(factors):
    product = factors[0]
    for f in factors:
        product *= f
    return product


@wrong("chain_product")
def cp_first_left_out(factors):
    product = 1.0
    for i in range(1, len(factors)):
        product *= factors[i]
    return product


@wrong("chain_product")
def cp_ends_only(factors):
    return factors[0] * factors[-1]


@wrong("chain_product")
def cp_mean(factors):
    return sum(factors) / len(factors)


@wrong("chain_product")
def cp_abs(factors):
    return abs(math.prod(factors))


@wrong("chain_product", None, "Wrong shape")
def cp_cumulative(factors):
    return np.cumprod(factors)


@wrong("chain_product", None, "in place")
def cp_pop(factors):
    product = 1.0
    while factors:
        product *= factors.pop()
    return product


@wrong("chain_product")
def cp_two_links(factors):
    return factors[0] * factors[1]


@wrong("chain_product")  # passed before the case with a repeated factor
def cp_distinct_factors(factors):
    return math.prod(set(factors))


@right("chain_product")
def cp_right_prod(factors):
    return math.prod(factors)


@right("chain_product")
def cp_right_reduce(factors):
    return functools.reduce(operator.mul, reversed(factors), 1)


@right("chain_product")
def cp_right_float32(factors):
    return np.prod(np.asarray(factors, dtype=np.float32))


# --- 02 path_product ---------------------------------------------------------------------------


@wrong("path_product", "summed the factors")
def pp_sum(d, path):
    return sum(d[f"d{u}/d{lo}"] for u, lo in zip(path[:-1], path[1:], strict=True))


@wrong("path_product", "first edge left out")
def pp_first_left_out(d, path):
    product = 1.0
    for i in range(1, len(path) - 1):
        product *= d[f"d{path[i]}/d{path[i + 1]}"]
    return product


@wrong("path_product", "last edge left out")
def pp_last_left_out(d, path):
    product = 1.0
    for i in range(len(path) - 2):
        product *= d[f"d{path[i]}/d{path[i + 1]}"]
    return product


@wrong("path_product", "every entry of d multiplied")
def pp_everything(d, path):
    return math.prod(d.values())


@wrong("path_product")
def pp_any_node(d, path):
    return math.prod(v for k, v in d.items() if any(f"d{n}/" in k for n in path))


@wrong("path_product")
def pp_started_at_zero(d, path):
    product = 0.0
    for u, lo in zip(path[:-1], path[1:], strict=True):
        product *= d[f"d{u}/d{lo}"]
    return product


@wrong("path_product")
def pp_ends_only(d, path):
    return d[f"d{path[0]}/d{path[1]}"] * d[f"d{path[-2]}/d{path[-1]}"]


@wrong("path_product", None, "Wrong type")
def pp_list(d, path):
    return [d[f"d{u}/d{lo}"] for u, lo in zip(path[:-1], path[1:], strict=True)]


@wrong("path_product", None, "in place")
def pp_pops(d, path):
    product = 1.0
    for u, lo in zip(path[:-1], path[1:], strict=True):
        product *= d.pop(f"d{u}/d{lo}")
    return product


@wrong("path_product")
def pp_divides(d, path):
    product = d[f"d{path[0]}/d{path[1]}"]
    for u, lo in zip(path[1:-1], path[2:], strict=True):
        product /= d[f"d{u}/d{lo}"]
    return product


@crash("path_product", "KeyError")
def pp_keys_reversed(d, path):
    product = 1.0
    for u, lo in zip(path[1:], path[:-1], strict=True):
        product *= d[f"d{u}/d{lo}"]
    return product


@crash("path_product", "KeyError")
def pp_hard_coded_W4(d, path):
    return d["dL/dO31"] * d["dO31/dW4"]


@right("path_product")
def pp_right_zip_all(d, path):
    product = 1
    for u, lo in zip(path, path[1:]):  # noqa: B905 - zip stops at the shorter one
        product = product * d["d" + u + "/d" + lo]
    return product


@right("path_product")
def pp_right_indices(d, path):
    return math.prod(d[f"d{path[i]}/d{path[i + 1]}"] for i in range(len(path) - 1))


@right("path_product")
def pp_right_float32(d, path):
    edges = [np.float32(d[f"d{u}/d{lo}"]) for u, lo in zip(path[:-1], path[1:], strict=True)]
    return np.prod(edges)


# --- 02 dL_dW1 -------------------------------------------------------------------------------


def _p21(d):
    return d["dL/dO31"] * d["dO31/dO21"] * d["dO21/dO11"] * d["dO11/dW1"]


def _p22(d):
    return d["dL/dO31"] * d["dO31/dO22"] * d["dO22/dO11"] * d["dO11/dW1"]


@wrong("dL_dW1", "only the path through O21")
def w1_only_21(d):
    return d["dL/dO31"] * d["dO31/dO21"] * d["dO21/dO11"] * d["dO11/dW1"]


@wrong("dL_dW1", "only the path through O22")
def w1_only_22(d):
    return d["dL/dO31"] * d["dO31/dO22"] * d["dO22/dO11"] * d["dO11/dW1"]


@wrong("dL_dW1", "multiplied the two paths")
def w1_product(d):
    return _p21(d) * _p22(d)


@wrong("dL_dW1", "dO11/dW1 left out")
def w1_stops_at_O11(d):
    return (d["dL/dO31"] * d["dO31/dO21"] * d["dO21/dO11"]
            + d["dL/dO31"] * d["dO31/dO22"] * d["dO22/dO11"])


@wrong("dL_dW1", "dL/dO31 left out")
def w1_starts_at_O31(d):
    return (d["dO31/dO21"] * d["dO21/dO11"] * d["dO11/dW1"]
            + d["dO31/dO22"] * d["dO22/dO11"] * d["dO11/dW1"])


@wrong("dL_dW1")
def w1_crossed(d):
    return (d["dL/dO31"] * d["dO31/dO21"] * d["dO22/dO11"] * d["dO11/dW1"]
            + d["dL/dO31"] * d["dO31/dO22"] * d["dO21/dO11"] * d["dO11/dW1"])


@wrong("dL_dW1")
def w1_bad_factoring(d):
    return (d["dL/dO31"] * (d["dO31/dO21"] + d["dO31/dO22"]) * d["dO21/dO11"]
            * d["dO11/dW1"])


@wrong("dL_dW1")
def w1_sum_everything(d):
    return sum(d.values())


@wrong("dL_dW1")
def w1_multiply_everything(d):
    return math.prod(d.values())


@wrong("dL_dW1")
def w1_mean_of_paths(d):
    return (_p21(d) + _p22(d)) / 2


@wrong("dL_dW1")
def w1_difference(d):
    return _p21(d) - _p22(d)


@wrong("dL_dW1")
def w1_loss_slope_twice(d):
    return d["dL/dO31"] * (_p21(d) + _p22(d))


@wrong("dL_dW1")
def w1_one_path_doubled(d):
    return 2 * _p21(d)


@right("dL_dW1")
def w1_right_factored(d):
    return d["dL/dO31"] * (d["dO31/dO21"] * d["dO21/dO11"]
                           + d["dO31/dO22"] * d["dO22/dO11"]) * d["dO11/dW1"]


@right("dL_dW1")
def w1_right_paths(d):
    def along(path):
        return math.prod(d[f"d{u}/d{lo}"] for u, lo in zip(path[:-1], path[1:], strict=True))
    return along(["L", "O31", "O21", "O11", "W1"]) + along(["L", "O31", "O22", "O11", "W1"])


@right("dL_dW1")
def w1_right_float32(d):
    e = {k: np.float32(v) for k, v in d.items()}
    return _p21(e) + _p22(e)


# --- 02 dL_dW4 -------------------------------------------------------------------------------


@wrong("dL_dW4", "dropped the factor 2")
def w4_no_2(y, O21, O31):
    return -(y - O31) * O31 * (1 - O31) * O21


@wrong("dL_dW4", "forgot the activation derivative")
def w4_no_sigma_prime(y, O21, O31):
    return -2 * (y - O31) * O21


@wrong("dL_dW4", "forgot the input O21")
def w4_no_input(y, O21, O31):
    return -2 * (y - O31) * O31 * (1 - O31)


@wrong("dL_dW4", "sigmoid derivative of O21")
def w4_sigma_prime_O21(y, O21, O31):
    return -2 * (y - O31) * O21 * (1 - O21) * O31


@wrong("dL_dW4", "sign flipped")
def w4_sign(y, O21, O31):
    return 2 * (y - O31) * O31 * (1 - O31) * O21


@wrong("dL_dW4")
def w4_sigmoid_of_output(y, O21, O31):
    s = sigmoid(O31)  # σ'(O31) where σ'(z31) = O31(1 − O31) belongs
    return -2 * (y - O31) * s * (1 - s) * O21


@wrong("dL_dW4")
def w4_half_sigma_prime(y, O21, O31):
    return -2 * (y - O31) * (1 - O31) * O21


@wrong("dL_dW4")
def w4_loss_not_slope(y, O21, O31):
    return (y - O31) ** 2 * O31 * (1 - O31) * O21


@wrong("dL_dW4")
def w4_precedence(y, O21, O31):
    return -2 * y - O31 * O31 * (1 - O31) * O21


@wrong("dL_dW4")
def w4_wrong_neuron(y, O21, O31):
    return -2 * (y - O21) * O31 * (1 - O31) * O21


@wrong("dL_dW4")
def w4_output_as_input(y, O21, O31):
    return -2 * (y - O31) * O31 * (1 - O31) * O31


@right("dL_dW4")
def w4_right_flipped(y, O21, O31):
    return 2 * (O31 - y) * O31 * (1 - O31) * O21


@right("dL_dW4")
def w4_right_chain(y, O21, O31):
    dL_dO31 = -2.0 * (y - O31)
    dO31_dz31 = O31 - O31 ** 2
    return dL_dO31 * dO31_dz31 * O21


@right("dL_dW4")
def w4_right_float32(y, O21, O31):
    y, O21, O31 = np.float32(y), np.float32(O21), np.float32(O31)
    return np.float32(-2) * (y - O31) * O31 * (np.float32(1) - O31) * O21


# --- 03 neuron_gradients ------------------------------------------------------------------------


def _delta(w, b, x, y):
    y_hat = sigmoid(w * np.asarray(x, dtype=float) + b)
    return -2 * (np.asarray(y, dtype=float) - y_hat) * y_hat * (1 - y_hat)


@wrong("neuron_gradients", "dropped the factor 2")
def ng_no_2(w, b, x, y):
    y_hat = sigmoid(w * x + b)
    delta = -(y - y_hat) * y_hat * (1 - y_hat)
    return np.mean(delta * x), np.mean(delta)


@wrong("neuron_gradients", "forgot the activation derivative")
def ng_no_sigma_prime(w, b, x, y):
    y_hat = sigmoid(w * x + b)
    delta = -2 * (y - y_hat)
    return np.mean(delta * x), np.mean(delta)


@wrong("neuron_gradients", "bias gradient multiplied by x")
def ng_bias_times_x(w, b, x, y):
    delta = _delta(w, b, x, y)
    return np.mean(delta * x), np.mean(delta * x)


@wrong("neuron_gradients", "summed over the batch instead of the mean")
def ng_sum(w, b, x, y):
    delta = _delta(w, b, x, y)
    return np.sum(delta * x), np.sum(delta)


@wrong("neuron_gradients", "per-example gradients, no mean")
def ng_no_mean(w, b, x, y):
    delta = _delta(w, b, x, y)
    return delta * x, delta


@wrong("neuron_gradients", "pair in the wrong order")
def ng_swapped(w, b, x, y):
    delta = _delta(w, b, x, y)
    return np.mean(delta), np.mean(delta * x)


@wrong("neuron_gradients", "σ'(z) written as z(1 − z)")
def ng_z_one_minus_z(w, b, x, y):
    z = w * x + b
    y_hat = sigmoid(z)
    delta = -2 * (y - y_hat) * z * (1 - z)
    return np.mean(delta * x), np.mean(delta)


@wrong("neuron_gradients")
def ng_product_of_means(w, b, x, y):
    delta = _delta(w, b, x, y)
    return np.mean(delta) * np.mean(x), np.mean(delta)


@wrong("neuron_gradients")
def ng_bias_forgotten(w, b, x, y):
    y_hat = sigmoid(w * x)
    delta = -2 * (y - y_hat) * y_hat * (1 - y_hat)
    return np.mean(delta * x), np.mean(delta)


@wrong("neuron_gradients")
def ng_times_w(w, b, x, y):
    delta = _delta(w, b, x, y)
    return np.mean(delta * w), np.mean(delta)


@wrong("neuron_gradients")
def ng_sigma_prime_of_target(w, b, x, y):
    y_hat = sigmoid(w * x + b)
    delta = -2 * (y - y_hat) * y * (1 - y)
    return np.mean(delta * x), np.mean(delta)


@wrong("neuron_gradients")
def ng_sign(w, b, x, y):
    y_hat = sigmoid(w * x + b)
    delta = -2 * (y_hat - y) * y_hat * (1 - y_hat)
    return np.mean(delta * x), np.mean(delta)


@wrong("neuron_gradients", None, "Wrong")
def ng_three_values(w, b, x, y):
    delta = _delta(w, b, x, y)
    return np.mean(delta * x), np.mean(delta), np.mean((y - sigmoid(w * x + b)) ** 2)


@right("neuron_gradients")
def ng_right_by_hand(w, b, x, y):
    x, y = np.atleast_1d(x).astype(float), np.atleast_1d(y).astype(float)
    y_hat = 1.0 / (1.0 + np.exp(-(w * x + b)))
    delta = 2 * (y_hat - y) * y_hat * (1 - y_hat)
    return [float(np.sum(delta * x) / x.size), float(np.sum(delta) / x.size)]


@right("neuron_gradients")
def ng_right_array(w, b, x, y):
    delta = _delta(w, b, x, y)
    return np.array([np.mean(delta * x), np.mean(delta)])


@right("neuron_gradients")
def ng_right_float32(w, b, x, y):
    x, y = np.asarray(x, dtype=np.float32), np.asarray(y, dtype=np.float32)
    y_hat = np.asarray(sigmoid(np.float32(w) * x + np.float32(b)), dtype=np.float32)
    delta = np.float32(-2) * (y - y_hat) * y_hat * (np.float32(1) - y_hat)
    return np.mean(delta * x, dtype=np.float32), np.mean(delta, dtype=np.float32)


# --- 03 train_step -------------------------------------------------------------------------------


def _grads(w, b, x, y):
    delta = _delta(w, b, x, y)
    return float(np.mean(delta * np.asarray(x, dtype=float))), float(np.mean(delta))


@wrong("train_step", "bias gradient at w_new")
def ts_w_first(w, b, x, y, eta):
    w = w - eta * _grads(w, b, x, y)[0]
    b = b - eta * _grads(w, b, x, y)[1]
    return w, b


@wrong("train_step", "sign flipped")
def ts_ascent(w, b, x, y, eta):
    dw, db = _grads(w, b, x, y)
    return w + eta * dw, b + eta * db


@wrong("train_step", "learning rate forgotten")
def ts_no_eta(w, b, x, y, eta):
    dw, db = _grads(w, b, x, y)
    return w - dw, b - db


@wrong("train_step", "bias moved with dL/dw")
def ts_bias_with_dw(w, b, x, y, eta):
    dw, db = _grads(w, b, x, y)
    return w - eta * dw, b - eta * dw


@wrong("train_step", "returned the gradients")
def ts_gradients(w, b, x, y, eta):
    return _grads(w, b, x, y)


@wrong("train_step", "pair in the wrong order")
def ts_swapped(w, b, x, y, eta):
    dw, db = _grads(w, b, x, y)
    return b - eta * db, w - eta * dw


@wrong("train_step")
def ts_bias_stays(w, b, x, y, eta):
    dw, _ = _grads(w, b, x, y)
    return w - eta * dw, b


@wrong("train_step")
def ts_bias_without_eta(w, b, x, y, eta):
    dw, db = _grads(w, b, x, y)
    return w - eta * dw, b - db


@wrong("train_step")
def ts_summed_gradients(w, b, x, y, eta):
    delta = _delta(w, b, x, y)
    return w - eta * np.sum(delta * x), b - eta * np.sum(delta)


@wrong("train_step")
def ts_two_steps(w, b, x, y, eta):
    for _ in range(2):
        dw, db = _grads(w, b, x, y)
        w, b = w - eta * dw, b - eta * db
    return w, b


@wrong("train_step")
def ts_fixed_eta(w, b, x, y, eta):
    dw, db = _grads(w, b, x, y)
    return w - 0.1 * dw, b - 0.1 * db


@wrong("train_step", None, "Wrong")
def ts_with_loss(w, b, x, y, eta):
    dw, db = _grads(w, b, x, y)
    return w - eta * dw, b - eta * db, float(np.mean((y - sigmoid(w * x + b)) ** 2))


@right("train_step")
def ts_right_list(w, b, x, y, eta):
    dw, db = _grads(w, b, x, y)
    return [w - eta * dw, b - eta * db]


@right("train_step")
def ts_right_vector(w, b, x, y, eta):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    theta = np.array([w, b], dtype=float)
    y_hat = sigmoid(theta[0] * x + theta[1])
    delta = -2 * (y - y_hat) * y_hat * (1 - y_hat)
    return theta - eta * np.array([np.mean(delta * x), np.mean(delta)])


@right("train_step")
def ts_right_float32(w, b, x, y, eta):
    dw, db = _grads(w, b, x, y)
    return np.float32(w - eta * dw), np.float32(b - eta * db)


# --- 03 fit --------------------------------------------------------------------------------------


def _loss(w, b, x, y):
    return float(np.mean((np.asarray(y, dtype=float) - sigmoid(w * np.asarray(x, float) + b)) ** 2))


def _step(w, b, x, y, eta):
    dw, db = _grads(w, b, x, y)
    return w - eta * dw, b - eta * db


@wrong("fit", "loss recorded after the step")
def fit_loss_after(w, b, x, y, eta, epochs):
    losses = []
    for _ in range(epochs):
        w, b = _step(w, b, x, y, eta)
        losses.append(_loss(w, b, x, y))
    return w, b, losses


@wrong("fit", "steps not carried over")
def fit_not_carried(w, b, x, y, eta, epochs):
    losses = []
    for _ in range(epochs):
        losses.append(_loss(w, b, x, y))
        w_new, b_new = _step(w, b, x, y, eta)
    return w_new, b_new, losses


@wrong("fit", "one loss too many")
def fit_final_loss_too(w, b, x, y, eta, epochs):
    losses = []
    for _ in range(epochs):
        losses.append(_loss(w, b, x, y))
        w, b = _step(w, b, x, y, eta)
    losses.append(_loss(w, b, x, y))
    return w, b, losses


@wrong("fit", "loss summed, not averaged")
def fit_summed_loss(w, b, x, y, eta, epochs):
    losses = []
    for _ in range(epochs):
        losses.append(float(np.sum((y - sigmoid(w * x + b)) ** 2)))
        w, b = _step(w, b, x, y, eta)
    return w, b, losses


@wrong("fit", "losses returned first")
def fit_losses_first(w, b, x, y, eta, epochs):
    losses = []
    for _ in range(epochs):
        losses.append(_loss(w, b, x, y))
        w, b = _step(w, b, x, y, eta)
    return losses, w, b


@wrong("fit")
def fit_one_epoch_short(w, b, x, y, eta, epochs):
    losses = []
    for _ in range(epochs - 1):
        losses.append(_loss(w, b, x, y))
        w, b = _step(w, b, x, y, eta)
    return w, b, losses


@wrong("fit")
def fit_half_loss(w, b, x, y, eta, epochs):
    losses = []
    for _ in range(epochs):
        losses.append(0.5 * _loss(w, b, x, y))
        w, b = _step(w, b, x, y, eta)
    return w, b, losses


@wrong("fit")
def fit_abs_loss(w, b, x, y, eta, epochs):
    losses = []
    for _ in range(epochs):
        losses.append(float(np.mean(np.abs(y - sigmoid(w * x + b)))))
        w, b = _step(w, b, x, y, eta)
    return w, b, losses


@wrong("fit")
def fit_square_of_mean(w, b, x, y, eta, epochs):
    losses = []
    for _ in range(epochs):
        losses.append(float(np.mean(y - sigmoid(w * x + b)) ** 2))
        w, b = _step(w, b, x, y, eta)
    return w, b, losses


@wrong("fit", None, "Wrong")
def fit_last_loss_only(w, b, x, y, eta, epochs):
    loss = None
    for _ in range(epochs):
        loss = _loss(w, b, x, y)
        w, b = _step(w, b, x, y, eta)
    return w, b, loss


@wrong("fit")
def fit_history_of_w(w, b, x, y, eta, epochs):
    history = []
    for _ in range(epochs):
        history.append(w)
        w, b = _step(w, b, x, y, eta)
    return w, b, history


@wrong("fit")
def fit_summed_gradients(w, b, x, y, eta, epochs):
    losses = []
    for _ in range(epochs):
        losses.append(_loss(w, b, x, y))
        delta = _delta(w, b, x, y)
        w, b = w - eta * np.sum(delta * x), b - eta * np.sum(delta)
    return w, b, losses


@right("fit")
def fit_right_list(w, b, x, y, eta, epochs):
    losses = []
    for _ in range(epochs):
        losses.append(_loss(w, b, x, y))
        w, b = _step(w, b, x, y, eta)
    return w, b, losses


@right("fit")
def fit_right_preallocated(w, b, x, y, eta, epochs):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    losses = np.zeros(epochs)
    for epoch in range(epochs):
        y_hat = 1 / (1 + np.exp(-(w * x + b)))
        losses[epoch] = np.mean((y_hat - y) ** 2)
        delta = 2 * (y_hat - y) * y_hat * (1 - y_hat)
        w, b = w - eta * np.mean(delta * x), b - eta * np.mean(delta)
    return w, b, losses


@right("fit")
def fit_right_tuple(w, b, x, y, eta, epochs):
    losses = ()
    for _ in range(epochs):
        losses += (_loss(w, b, x, y),)
        w, b = _step(w, b, x, y, eta)
    return (w, b, losses)


# --- 04 layer_forward ----------------------------------------------------------------------------


@wrong("layer_forward", "bias forgotten")
def lf_no_bias(X, W, b, act):
    return act(X @ W)


@wrong("layer_forward", "bias added after the activation")
def lf_bias_after(X, W, b, act):
    return act(X @ W) + b


@wrong("layer_forward", "act ignored")
def lf_sigmoid_always(X, W, b, act):
    return sigmoid(X @ W + b)


@wrong("layer_forward", "activation forgotten")
def lf_no_act(X, W, b, act):
    return X @ W + b


@wrong("layer_forward", "instances as columns")
def lf_columns(X, W, b, act):
    return act(W.T @ X.T + b.reshape(-1, 1))


@wrong("layer_forward", "instances as columns")
def lf_transposed(X, W, b, act):
    return act(X @ W + b).T


@wrong("layer_forward")
def lf_elementwise(X, W, b, act):
    return act(X * W + b)  # broadcasts (1, 2) * (2, 1) to (2, 2) on the first case


@wrong("layer_forward")
def lf_bias_minus(X, W, b, act):
    return act(X @ W - b)


@wrong("layer_forward")
def lf_first_bias_only(X, W, b, act):
    return act(X @ W + b[0])


@wrong("layer_forward")
def lf_mean_bias(X, W, b, act):
    return act(X @ W + np.mean(b))


@wrong("layer_forward")
def lf_act_of_bias(X, W, b, act):
    return act(X @ W) + act(b)


@wrong("layer_forward")
def lf_relu_always(X, W, b, act):
    return relu(X @ W + b)


@wrong("layer_forward", None, "shape")
def lf_first_instance(X, W, b, act):
    return act(X[0] @ W + b)


@right("layer_forward")
def lf_right_dot(X, W, b, act):
    return act(np.dot(X, W) + b)


@right("layer_forward")
def lf_right_rows(X, W, b, act):
    return np.array([act(row @ W + b) for row in X])


@right("layer_forward")
def lf_right_einsum(X, W, b, act):
    Z = np.einsum("bi,io->bo", X, W)
    Z += b
    return act(Z)


@right("layer_forward")
def lf_right_float32(X, W, b, act):
    Z = X.astype(np.float32) @ W.astype(np.float32) + b.astype(np.float32)
    return np.asarray(act(Z), dtype=np.float32)  # the course's act returns float64


# --- 04 two_layer_forward ------------------------------------------------------------------------


@wrong("two_layer_forward", "Z1 fed to layer 2")
def tl_Z1_on(X, W1, b1, W2, b2):
    Z1 = X @ W1 + b1
    Z2 = Z1 @ W2 + b2
    return sigmoid(Z2), (X, Z1, sigmoid(Z1), Z2)


@wrong("two_layer_forward", "output activation forgotten")
def tl_no_output_sigmoid(X, W1, b1, W2, b2):
    Z1 = X @ W1 + b1
    A1 = sigmoid(Z1)
    Z2 = A1 @ W2 + b2
    return Z2, (X, Z1, A1, Z2)


@wrong("two_layer_forward", "(cache, Y) in the wrong order")
def tl_pair_swapped(X, W1, b1, W2, b2):
    Z1 = X @ W1 + b1
    A1 = sigmoid(Z1)
    Z2 = A1 @ W2 + b2
    return (X, Z1, A1, Z2), sigmoid(Z2)


@wrong("two_layer_forward", "cache in the wrong order")
def tl_cache_swapped(X, W1, b1, W2, b2):
    Z1 = X @ W1 + b1
    A1 = sigmoid(Z1)
    Z2 = A1 @ W2 + b2
    return sigmoid(Z2), (X, A1, Z1, Z2)


@wrong("two_layer_forward", "cache not returned")
def tl_no_cache(X, W1, b1, W2, b2):
    return sigmoid(sigmoid(X @ W1 + b1) @ W2 + b2)


@wrong("two_layer_forward", "activations cached instead of pre-activations")
def tl_cache_As(X, W1, b1, W2, b2):
    A1 = sigmoid(X @ W1 + b1)
    Y = sigmoid(A1 @ W2 + b2)
    return Y, (X, A1, A1, Y)


@wrong("two_layer_forward")
def tl_no_bias(X, W1, b1, W2, b2):
    Z1 = X @ W1
    A1 = sigmoid(Z1)
    Z2 = A1 @ W2
    return sigmoid(Z2), (X, Z1, A1, Z2)


@wrong("two_layer_forward")
def tl_b1_twice(X, W1, b1, W2, b2):
    Z1 = X @ W1 + b1
    A1 = sigmoid(Z1)
    Z2 = A1 @ W2 + b1  # broadcasts (batch, 1) + (n_h,) to (batch, n_h)
    return sigmoid(Z2), (X, Z1, A1, Z2)


@wrong("two_layer_forward")
def tl_cache_Z1_without_bias(X, W1, b1, W2, b2):
    A1 = sigmoid(X @ W1 + b1)
    Z2 = A1 @ W2 + b2
    return sigmoid(Z2), (X, X @ W1, A1, Z2)


@wrong("two_layer_forward")
def tl_cache_without_X(X, W1, b1, W2, b2):
    Z1 = X @ W1 + b1
    A1 = sigmoid(Z1)
    Z2 = A1 @ W2 + b2
    return sigmoid(Z2), (Z1, A1, Z2)


@wrong("two_layer_forward")
def tl_cache_with_Y(X, W1, b1, W2, b2):
    Z1 = X @ W1 + b1
    A1 = sigmoid(Z1)
    Z2 = A1 @ W2 + b2
    Y = sigmoid(Z2)
    return Y, (X, Z1, A1, Z2, Y)


@wrong("two_layer_forward")
def tl_tanh_hidden(X, W1, b1, W2, b2):
    Z1 = X @ W1 + b1
    A1 = np.tanh(Z1)
    Z2 = A1 @ W2 + b2
    return sigmoid(Z2), (X, Z1, A1, Z2)


@wrong("two_layer_forward")
def tl_relu_hidden(X, W1, b1, W2, b2):
    Z1 = X @ W1 + b1
    A1 = relu(Z1)
    Z2 = A1 @ W2 + b2
    return sigmoid(Z2), (X, Z1, A1, Z2)


@right("two_layer_forward")
def tl_right_lists(X, W1, b1, W2, b2):
    Z1 = np.dot(X, W1) + b1
    A1 = 1 / (1 + np.exp(-Z1))
    Z2 = np.dot(A1, W2) + b2
    return [1 / (1 + np.exp(-Z2)), [X, Z1, A1, Z2]]


@right("two_layer_forward")
def tl_right_layers(X, W1, b1, W2, b2):
    def layer(A, W, b):
        Z = A @ W + b
        return Z, sigmoid(Z)
    Z1, A1 = layer(X, W1, b1)
    Z2, Y = layer(A1, W2, b2)
    return Y, (X.copy(), Z1, A1, Z2)


@right("two_layer_forward")
def tl_right_float32(X, W1, b1, W2, b2):
    X32, W1, b1, W2, b2 = (a.astype(np.float32) for a in (X, W1, b1, W2, b2))
    Z1 = X32 @ W1 + b1
    A1 = sigmoid(Z1).astype(np.float32)
    Z2 = A1 @ W2 + b2
    return sigmoid(Z2).astype(np.float32), (X, Z1, A1, Z2)


# --- 04 layer_shapes -----------------------------------------------------------------------------


@wrong("layer_shapes", "(n, batch) for (batch, n)")
def ls_columns(layer_sizes, batch_size):
    return [(n, batch_size) for n in layer_sizes]


@wrong("layer_shapes", "input layer left out")
def ls_no_input(layer_sizes, batch_size):
    return [(batch_size, layer_sizes[i + 1]) for i in range(len(layer_sizes) - 1)]


@wrong("layer_shapes", "output layer left out")
def ls_no_output(layer_sizes, batch_size):
    return [(batch_size, layer_sizes[i]) for i in range(len(layer_sizes) - 1)]


@wrong("layer_shapes", "weight shapes instead of batch shapes")
def ls_weights(layer_sizes, batch_size):
    return [(layer_sizes[i], layer_sizes[i + 1]) for i in range(len(layer_sizes) - 1)]


@wrong("layer_shapes")
def ls_one_instance(layer_sizes, batch_size):
    return [(1, n) for n in layer_sizes]


@wrong("layer_shapes")
def ls_fixed_batch(layer_sizes, batch_size):
    return [(32, n) for n in layer_sizes]


@wrong("layer_shapes")
def ls_indices(layer_sizes, batch_size):
    return [(batch_size, n) for n in range(len(layer_sizes))]


@wrong("layer_shapes")
def ls_sizes_not_shapes(layer_sizes, batch_size):
    return [batch_size * n for n in layer_sizes]


@wrong("layer_shapes")
def ls_set(layer_sizes, batch_size):
    return list({(batch_size, n) for n in layer_sizes})


@wrong("layer_shapes")
def ls_sorted(layer_sizes, batch_size):
    return [(batch_size, n) for n in sorted(layer_sizes)]


@wrong("layer_shapes")
def ls_reversed(layer_sizes, batch_size):
    return [(batch_size, n) for n in reversed(layer_sizes)]


@wrong("layer_shapes", None, "in place")
def ls_in_place(layer_sizes, batch_size):
    for i, n in enumerate(layer_sizes):
        layer_sizes[i] = (batch_size, n)
    return layer_sizes


@wrong("layer_shapes", None, "generator")
def ls_generator(layer_sizes, batch_size):
    return ((batch_size, n) for n in layer_sizes)


@wrong("layer_shapes")
def ls_one_tuple(layer_sizes, batch_size):
    return [(batch_size, *layer_sizes)]


@wrong("layer_shapes", None, "whole numbers")  # passed before the shapes had to hold ints
def ls_float_entries(layer_sizes, batch_size):
    return [(batch_size, n / 1) for n in layer_sizes]


@right("layer_shapes")
def ls_right_lists(layer_sizes, batch_size):
    return [[batch_size, n] for n in layer_sizes]


@right("layer_shapes")
def ls_right_zeros(layer_sizes, batch_size):
    return [np.zeros((batch_size, n)).shape for n in layer_sizes]


@right("layer_shapes")
def ls_right_loop(layer_sizes, batch_size):
    shapes = []
    for n in layer_sizes:
        shapes = shapes + [(batch_size,) + (n,)]
    return tuple(shapes)


# --- a second round: answers that passed before a case was added, and more variants --------


@wrong("descent_step")
def ds_rounded_4(dL_dW, eta):
    return np.round(-eta * dL_dW, 4)  # passed while every case had 4 decimals or fewer


@wrong("numerical_derivative")
def nd_five_point(f, x, h=1e-5):
    return (-f(x + 2 * h) + 8 * f(x + h) - 8 * f(x - h) + f(x - 2 * h)) / (12 * h)


@wrong("numerical_derivative")
def nd_default_changed(f, x, h=1e-4):
    return (f(x + h) - f(x - h)) / (2 * h)


@right("numerical_derivative")
def nd_right_mean_of_one_sided(f, x, h=1e-5):
    return ((f(x + h) - f(x)) / h + (f(x) - f(x - h)) / h) / 2


@wrong("path_product")
def pp_edges_into_the_path(d, path):
    product = 1.0
    for key, value in d.items():
        _, lower = key[1:].split("/d")
        if lower in path[1:]:
            product *= value
    return product


@wrong("dL_dW1")
def w1_key_typo(d):
    via_O21 = d["dL/dO31"] * d["dO31/dO21"] * d["dO21/dO11"] * d["dO11/dW1"]
    via_O22 = d["dL/dO31"] * d["dO31/dO22"] * d["dO21/dO11"] * d["dO11/dW1"]
    return via_O21 + via_O22


@wrong("train_step", "weight gradient at b_new")
def ts_b_first(w, b, x, y, eta):
    b = b - eta * _grads(w, b, x, y)[1]
    w = w - eta * _grads(w, b, x, y)[0]
    return w, b


@wrong("train_step")
def ts_median(w, b, x, y, eta):
    delta = _delta(w, b, x, y)
    return w - eta * float(np.median(delta * x)), b - eta * float(np.median(delta))


@wrong("fit")
def fit_one_step_per_example(w, b, x, y, eta, epochs):
    x, y = np.atleast_1d(np.asarray(x, float)), np.atleast_1d(np.asarray(y, float))
    losses = []
    for _ in range(epochs):
        losses.append(_loss(w, b, x, y))
        for xi, yi in zip(x, y, strict=True):
            w, b = _step(w, b, xi, yi, eta)
    return w, b, losses


@wrong("fit")
def fit_one_epoch_too_many(w, b, x, y, eta, epochs):
    losses = []
    for _ in range(epochs + 1):
        losses.append(_loss(w, b, x, y))
        w, b = _step(w, b, x, y, eta)
    return w, b, losses[:epochs]


@crash("layer_forward", "could not be broadcast")
def lf_bias_column(X, W, b, act):
    return act(X @ W + b.reshape(-1, 1))


@wrong("layer_forward", None, "shape")
def lf_squeezed(X, W, b, act):
    return act(X @ W + b).squeeze()


@wrong("two_layer_forward")
def tl_bias_after_sigmoid(X, W1, b1, W2, b2):
    Z1 = X @ W1
    A1 = sigmoid(Z1) + b1
    Z2 = A1 @ W2 + b2
    return sigmoid(Z2), (X, Z1, A1, Z2)


@right("layer_shapes")
def ls_right_array(layer_sizes, batch_size):
    return np.array([(batch_size, n) for n in layer_sizes])


@right("layer_shapes")
def ls_right_zip(layer_sizes, batch_size):
    return list(zip([batch_size] * len(layer_sizes), layer_sizes, strict=True))


# --- a third round: every declared mistake met once, globals, integers, broadcasting ------

_LESSON_D = course_network.local_derivatives(*course_network.default_example(),
                                             course_network.default_params())


@wrong("numerical_derivative", "h ignored in the rise")
def nd_h_only_in_the_run(f, x, h=1e-5):
    return (f(x + 1e-5) - f(x - 1e-5)) / (2 * h)


@wrong("weight_update", "divided by the learning rate")
def wu_divided(W_old, dL_dW, eta):
    return W_old - dL_dW / eta


@crash("weight_update", "TypeError")
def wu_item_assignment(W_old, dL_dW, eta):
    W_old[...] = W_old - eta * dL_dW
    return W_old


@wrong("gradient_descent_1d", "learning rate forgotten")
def gd_no_eta(dL_dW, W_old, eta, steps, *, stop_beyond=None):
    path = [W_old]
    for _ in range(steps):
        path.append(path[-1] - dL_dW(path[-1]))
    return path


@wrong("chain_product")
def cp_integer(factors):
    return int(math.prod(factors))


@wrong("path_product")
def pp_lesson_dict(d, path):
    # the dict printed in the lesson (a notebook global), not the argument d
    return math.prod(_LESSON_D[f"d{u}/d{lo}"] for u, lo in zip(path[:-1], path[1:],
                                                               strict=True))


@wrong("dL_dW4")
def w4_target_one(y, O21, O31):
    return -2 * (1 - O31) * O31 * (1 - O31) * O21


@wrong("neuron_gradients")
def ng_x_as_column(w, b, x, y):
    x = np.reshape(x, (-1, 1))  # (4, 1) against y of shape (4,): y - y_hat is (4, 4)
    y_hat = sigmoid(w * x + b)
    delta = -2 * (y - y_hat) * y_hat * (1 - y_hat)
    return np.mean(delta * x), np.mean(delta)


@wrong("fit", "bias gradient at w_new")
def fit_w_first(w, b, x, y, eta, epochs):
    losses = []
    for _ in range(epochs):
        losses.append(_loss(w, b, x, y))
        w = w - eta * _grads(w, b, x, y)[0]
        b = b - eta * _grads(w, b, x, y)[1]
    return w, b, losses


@right("fit")
def fit_right_float32(w, b, x, y, eta, epochs):
    losses = []
    for _ in range(epochs):
        losses.append(_loss(w, b, x, y))
        w, b = _step(w, b, x, y, eta)
    return w, b, np.array(losses, dtype=np.float32)


@wrong("layer_shapes")
def ls_lesson_shapes(layer_sizes, batch_size):
    return [(32, 3), (32, 4), (32, 4), (32, 2)]  # the shapes printed in the lesson


@wrong("layer_forward")
def lf_weights_ignored(X, W, b, act):
    return act(X @ np.ones_like(W) + b)


@wrong("path_product")
def pp_first_values(d, path):
    return math.prod(list(d.values())[:len(path) - 1])  # as many entries as the path has edges


@wrong("neuron_gradients", None, "in place")
def ng_error_in_place(w, b, x, y):
    y_hat = sigmoid(w * x + b)
    error = np.asarray(y)  # the caller's array itself, not a copy
    error -= y_hat
    delta = -2 * error * y_hat * (1 - y_hat)
    return np.mean(delta * x), np.mean(delta)


@right("gradient_descent_1d")
def gd_right_float32(dL_dW, W_old, eta, steps, *, stop_beyond=None):
    path = [np.float32(W_old)]
    for _ in range(steps):
        path.append(np.float32(path[-1] - eta * dL_dW(float(path[-1]))))
    return path


# --- the tests -------------------------------------------------------------------------------


@pytest.mark.slow  # one forked check per answer, about 300 in all
@pytest.mark.parametrize("entry", WRONG, ids=_id)
def test_wrong_answer_fails(entry):
    exercise_id, fn, mistake, needle = entry
    _assert_wrong(EXERCISES[exercise_id], fn, mistake, needle)


@pytest.mark.slow
@pytest.mark.parametrize("entry", CRASH, ids=_id)
def test_wrong_answer_that_crashes_is_an_error(entry):
    exercise_id, fn, needle = entry
    result = EXERCISES[exercise_id].check(fn)
    assert result.status == "error", result.message
    _short(result)
    assert needle in result.message and "on this input" in result.message, result.message


@pytest.mark.slow
@pytest.mark.parametrize("entry", RIGHT, ids=_id)
def test_right_variant_passes(entry):
    exercise_id, fn = entry
    result = EXERCISES[exercise_id].check(fn)
    assert result.status == "passed", result.message


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_each_exercise_has_eight_wrong_answers_and_two_right_variants(exercise_id):
    wrong_count = sum(e[0] == exercise_id for e in WRONG) + sum(
        e[0] == exercise_id for e in CRASH)
    right_count = sum(e[0] == exercise_id for e in RIGHT)
    assert wrong_count >= 8 and right_count >= 2, (wrong_count, right_count)


@pytest.mark.slow
@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_the_teaching_solution_passes(exercise_id):
    exercise = EXERCISES[exercise_id]
    namespace = {"np": np, "sigmoid": sigmoid}
    exec(exercise.solution_cell(), namespace)  # noqa: S102 - the course's own answer key
    result = exercise.check(namespace[exercise.function_name])
    assert result.status == "passed", result.message


# the answers that passed, or were named a wrong mistake, before this file: in the fast tier too
FOUND_HERE = [
    ("gradient_descent_1d", gd_stops_at_the_bottom, None),
    ("gradient_descent_1d", gd_stops_when_flat, None),
    ("descent_step", ds_rounded_4, None),
    ("train_step", ts_b_first, "weight gradient at b_new"),
]


@pytest.mark.parametrize("entry", FOUND_HERE, ids=lambda e: f"{e[0]}-{e[1].__name__}")
def test_answers_that_passed_before_now_fail(entry):
    exercise_id, fn, mistake = entry
    _assert_wrong(EXERCISES[exercise_id], fn, mistake)
