"""Issue 13 for lessons 03 and 05: one bias shape for the course (a vector (n,), the b of
Z = X @ W + b), the two delta conventions (lesson 03 per example with means, lesson 05 with
the 2/N inside delta and sums), the delta picture, and learner-style answers to every
exercise these changes touched: the solution and its right variants pass, the other bias
shape is told so, and at least eight wrong answers per exercise fail (with their names)."""

import re

import numpy as np
import pytest

from backprop_lessons.exercises import lesson_03, lesson_05
from backprop_lessons.maths import course_network, layers, neuron
from backprop_lessons.maths.activations import sigmoid, sigmoid_prime
from backprop_lessons.maths.losses import mse, mse_grad
from backprop_lessons.maths.updates import bias_update
from backprop_lessons.viz import delta as delta_viz
from tests.conftest import assert_wrong, solution

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

_assert_wrong = assert_wrong


def _solution(exercise):
    """The exercise's teaching-form solution, with what this lesson's setup cell imports."""
    return solution(exercise, np=np, sigmoid=sigmoid, sigmoid_prime=sigmoid_prime, mse=mse,
                     mse_grad=mse_grad)


def _central(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


# --- maths: bias_update keeps the course's layout and names the other one -----------------


def test_bias_update_on_a_layer_vector_and_a_number():
    b = np.array([0.2, -0.1, 0.5])
    g = np.array([-0.4, 0.3, 0.0])
    out = bias_update(b, g, 0.5)
    assert out.shape == (3,) and out.dtype == np.float64
    np.testing.assert_allclose(out, [0.4, -0.25, 0.5], rtol=0, atol=1e-15)
    np.testing.assert_array_equal(b, [0.2, -0.1, 0.5])  # inputs untouched
    assert bias_update(0.2, -0.5, 0.2) == pytest.approx(0.3, abs=1e-15)
    assert isinstance(bias_update(0.2, -0.5, 0.2), float)
    np.testing.assert_allclose(bias_update([1.0, 2.0], [0.5, 0.5], 1.0), [0.5, 1.5])
    f32 = bias_update(np.float32([1.0, 2.0]), np.float32([0.25, 0.5]), 2.0)
    assert f32.dtype == np.float64
    np.testing.assert_allclose(f32, [0.5, 1.0], rtol=0, atol=1e-7)


def test_bias_update_of_the_course_networks_hidden_layer_lowers_the_loss():
    x, y = course_network.default_example()
    p = course_network.default_params()
    g = course_network.gradients(x, y, p)
    b2, b3 = bias_update(np.array([p["b2"], p["b3"]]), np.array([g["b2"], g["b3"]]), 0.5)
    assert b2 == pytest.approx(0.2 - 0.5 * g["b2"], abs=1e-15)
    assert course_network.forward(x, y, dict(p, b2=b2, b3=b3))["L"] < \
        course_network.forward(x, y, p)["L"]


@pytest.mark.parametrize("shape, kind", [((3, 1), "a column"), ((1, 3), "a row")])
def test_bias_update_refuses_the_other_books_layout_and_says_how_to_convert(shape, kind):
    with pytest.raises(ValueError) as err:
        bias_update(np.zeros(shape), np.zeros(shape), 0.1)
    text = str(err.value)
    assert "b_old must be one number or a vector of shape (n,)" in text
    assert f"got {kind} of shape {shape}" in text
    assert "Z = X @ W + b" in text and "Nielsen, CS229" in text and "W x + b" in text
    assert "b_old.ravel() (here shape (3,))" in text


@pytest.mark.parametrize("grad_shape, says", [
    ((1, 3), "keepdims=True"),
    ((3, 1), "dL_db.ravel()"),
    ((5, 3), "not yet summed over the batch. The bias gradient is delta.sum(axis=0)"),
    ((4,), "one entry of dL_db per bias"),
])
def test_bias_update_names_a_gradient_of_another_shape(grad_shape, says):
    with pytest.raises(ValueError) as err:
        bias_update(np.zeros(3), np.zeros(grad_shape), 0.1)
    text = str(err.value)
    assert text.startswith("dL_db must have the same shape as b_old: b_old has shape (3,), "
                           f"dL_db has shape {grad_shape}")
    assert says in text


def test_bias_update_one_bias_with_per_example_gradients_and_a_table():
    with pytest.raises(ValueError, match=r"one bias has one gradient, a number"):
        bias_update(0.0, np.zeros(4), 0.1)
    with pytest.raises(ValueError, match=r"got an array of shape \(2, 2\): a layer of n_out "):
        bias_update(np.zeros((2, 2)), np.zeros((2, 2)), 0.1)
    with pytest.raises(ValueError, match="eta must be"):
        bias_update(np.zeros(2), np.zeros(2), 0.0)
    with pytest.raises(ValueError, match="dL_db must be finite"):
        bias_update(np.zeros(2), np.array([0.0, np.nan]), 0.1)


# --- maths: lesson 03's per-example delta ---------------------------------------------------


def test_error_signals_are_the_per_example_dL_dz_by_finite_differences():
    w, b = 0.7, -0.3
    x = np.array([-1.0, 0.5, 1.5, 2.0])
    y = np.array([0.0, 1.0, 1.0, 0.0])
    deltas = neuron.error_signals(w, b, x, y)
    assert deltas.shape == (4,) and deltas.dtype == np.float64
    for n in range(4):
        # dz/db = 1, so example n's own dL_n/db is its dL_n/dz
        x_n, y_n = x[n], y[n]
        numeric = _central(lambda b_, x_n=x_n, y_n=y_n: neuron.loss(w, b_, x_n, y_n), b)
        assert deltas[n] == pytest.approx(numeric, rel=1e-8, abs=1e-11)
        numeric_w = _central(lambda w_, x_n=x_n, y_n=y_n: neuron.loss(w_, b, x_n, y_n), w)
        assert deltas[n] * x[n] == pytest.approx(numeric_w, rel=1e-8, abs=1e-11)
    dL_dw, dL_db = neuron.gradients(w, b, x, y)
    assert dL_db == pytest.approx(float(np.mean(deltas)), rel=1e-14)
    assert dL_dw == pytest.approx(float(np.mean(deltas * x)), rel=1e-14)
    # lesson 05's convention: delta_n / N, then a sum: the same bias gradient
    assert float(np.sum(deltas / len(x))) == pytest.approx(dL_db, rel=1e-14)


def test_error_signal_of_one_example_is_a_number():
    d = neuron.error_signals(0.5, 0.0, 1.5, 1.0)
    assert isinstance(d, float)
    y_hat = sigmoid(0.75)
    assert d == pytest.approx(-2 * (1 - y_hat) * y_hat * (1 - y_hat), rel=1e-14)
    assert d == pytest.approx(neuron.gradients(0.5, 0.0, 1.5, 1.0)[1], rel=1e-14)


def test_error_signals_validate_like_the_neuron():
    with pytest.raises(ValueError, match="y must have the shape of x"):
        neuron.error_signals(0.5, 0.0, np.zeros(3), np.zeros(2))
    with pytest.raises(ValueError, match="x must hold at least one example"):
        neuron.error_signals(0.5, 0.0, np.zeros(0), np.zeros(0))


# --- lesson 05's delta: the 2/N inside, the instance alone / B -----------------------------


def _running_example():
    rng = np.random.default_rng(5)
    W1, b1 = rng.normal(size=(3, 4)), rng.normal(size=4)
    W2, b2 = rng.normal(size=(4, 2)), rng.normal(size=2)
    X = rng.normal(size=(32, 3))
    y = rng.integers(0, 2, size=(32, 2)).astype(float)
    Y, cache = layers.two_layer_forward(X, W1, b1, W2, b2)
    return X, y, W1, b1, W2, b2, Y, cache


def test_batch_delta_is_each_instance_alone_divided_by_the_batch_size():
    X, y, W1, b1, W2, b2, Y, (_, Z1, A1, Z2) = _running_example()
    B = len(X)
    delta2 = layers.output_error(Y, y, Z2)
    alone = np.vstack([layers.output_error(Y[i:i + 1], y[i:i + 1], Z2[i:i + 1])
                       for i in range(B)])
    np.testing.assert_allclose(delta2, alone / B, rtol=1e-13, atol=0)
    _, db2, _ = layers.layer_backward(delta2, A1, W2)
    np.testing.assert_allclose(db2, alone.mean(axis=0), rtol=1e-13, atol=0)

    def loss_b2(b):
        return mse(y, layers.two_layer_forward(X, W1, b1, W2, b)[0])

    numeric = np.array([_central(lambda t, j=j: loss_b2(b2 + t * np.eye(2)[j]), 0.0)
                        for j in range(2)])
    np.testing.assert_allclose(db2, numeric, rtol=1e-7, atol=1e-11)


# --- viz: the delta tables ---------------------------------------------------------------


def test_display_scale_is_the_power_of_ten_of_the_largest_entry():
    assert delta_viz.display_scale([0.0039, -0.0041]) == -3
    assert delta_viz.display_scale([[0.05, -0.01]]) == -2
    assert delta_viz.display_scale([9.99]) == 0
    assert delta_viz.display_scale([-12.0, 3.0]) == 1
    assert delta_viz.display_scale(np.zeros(3)) == 0


def test_power_label_writes_the_unit_in_superscripts():
    assert delta_viz.power_label(-3) == "×10⁻³"
    assert delta_viz.power_label(0) == "×10⁰"
    assert delta_viz.power_label(12) == "×10¹²"


def test_delta_tables_show_each_instance_and_the_sum_that_is_the_bias_gradient():
    from matplotlib.figure import Figure

    X, y, W1, b1, W2, b2, Y, (_, Z1, A1, Z2) = _running_example()
    delta2 = layers.output_error(Y, y, Z2)
    dW2, db2, dA1 = layers.layer_backward(delta2, A1, W2)
    delta1 = dA1 * sigmoid_prime(Z1)
    fig = delta_viz.delta_tables({"δ1": delta1, "δ2": delta2}, rows=4)
    assert isinstance(fig, Figure)
    top1, sum1, top2, sum2 = fig.axes
    for top, sums, delta, db in ((top1, sum1, delta1, layers.layer_backward(delta1, X, W1)[1]),
                                 (top2, sum2, delta2, db2)):
        scale = delta_viz.display_scale(delta[:4])
        shown = [t.get_text() for t in top.texts]
        assert shown == [f"{v / 10.0**scale:+.2f}" for v in delta[:4].ravel()]
        assert f"({delta_viz.power_label(scale)}, 28 more below)" in top.get_title()
        sum_scale = delta_viz.display_scale(db)
        assert [t.get_text() for t in sums.texts] == [f"{v / 10.0**sum_scale:+.2f}" for v in db]
        assert [t.get_text() for t in sums.get_yticklabels()] == ["Σ all 32"]
        assert sums.get_xlabel() == f"= ∂L/∂b ({delta_viz.power_label(sum_scale)})"
    assert top1.get_title().startswith("δ1") and top2.get_title().startswith("δ2")
    assert [t.get_text() for t in top1.get_yticklabels()] == [f"instance {i}" for i in range(4)]
    assert "sum over the batch is ∂L/∂b" in fig._suptitle.get_text()


def test_delta_tables_of_a_small_batch_and_the_dark_theme():
    d = np.array([[0.5, -0.25], [0.4, 1.0]])
    fig = delta_viz.delta_tables({"δ": d}, rows=10, theme="dark", title="two instances")
    top, sums = fig.axes
    assert [t.get_text() for t in top.texts] == ["+0.50", "-0.25", "+0.40", "+1.00"]
    assert [t.get_text() for t in sums.texts] == ["+9.00", "+7.50"]  # 0.9, 0.75 in 10^-1
    assert "more below" not in top.get_title()
    assert fig._suptitle.get_text() == "two instances"


@pytest.mark.parametrize("deltas, rows, error, text", [
    ([np.zeros((2, 2))], 3, TypeError, "deltas must be a non-empty dict"),
    ({}, 3, TypeError, "deltas must be a non-empty dict"),
    ({"δ": np.zeros(3)}, 3, ValueError, r"deltas\['δ'\] must be a non-empty 2-D array"),
    ({"a": np.zeros((3, 2)), "b": np.zeros((4, 2))}, 3, ValueError,
     r"deltas\['b'\] has 4 rows, the first had 3"),
    ({"δ": np.array([[np.nan, 0.0]])}, 3, ValueError, r"deltas\['δ'\] must be finite"),
    ({"δ": np.zeros((3, 2))}, 0, ValueError, "rows must be a whole number >= 1, got 0"),
    ({"δ": np.zeros((3, 2))}, 2.5, ValueError, "rows must be a whole number >= 1"),
])
def test_delta_tables_name_bad_arguments(deltas, rows, error, text):
    with pytest.raises(error, match=text):
        delta_viz.delta_tables(deltas, rows=rows)


# --- exercise 03 bias_update ------------------------------------------------------------------


def bu_right(b_old, dL_db, eta):
    return b_old - eta * dL_db


def bu_right_list(b_old, dL_db, eta):
    b_new = np.asarray(b_old) - eta * np.asarray(dL_db)
    return b_new.tolist() if b_new.ndim else float(b_new)


def bu_right_float32(b_old, dL_db, eta):
    return np.float32(b_old) - np.float32(eta) * np.float32(dL_db)


def bu_right_subtract(b_old, dL_db, eta):
    step = np.multiply(eta, dL_db)
    return np.subtract(b_old, step)


def bu_right_loop(b_old, dL_db, eta):
    if np.ndim(b_old) == 0:
        return b_old - eta * dL_db
    return np.array([b - eta * g for b, g in zip(b_old, dL_db, strict=True)])


@pytest.mark.parametrize("fn", [bu_right, bu_right_list, bu_right_float32, bu_right_subtract,
                                bu_right_loop])
def test_bias_update_right_variants_pass(fn):
    result = lesson_03.bias_update.check(fn)
    assert result.passed, result.message


def test_bias_update_solution_passes_and_cases_use_the_vector_layout():
    assert lesson_03.bias_update.check(_solution(lesson_03.bias_update)).passed
    shapes = [np.shape(p.args[0] if p.args else p.kwargs["b_old"])
              for p in lesson_03.bias_update.prepared_cases()]
    assert shapes == [(), (), (2,), (3,)]


def bu_column(b_old, dL_db, eta):
    return np.reshape(b_old - eta * dL_db, (-1, 1))


def bu_column_arrays(b_old, dL_db, eta):
    b_new = b_old - eta * dL_db
    if isinstance(b_new, np.ndarray):
        return b_new[:, None]
    return b_new


def bu_column_gradient(b_old, dL_db, eta):
    return b_old - eta * np.reshape(dL_db, (-1, 1))


def bu_column_gradient_arrays(b_old, dL_db, eta):
    g = dL_db.reshape(len(dL_db), 1) if isinstance(dL_db, np.ndarray) else dL_db
    return b_old - eta * g


def bu_sign(b_old, dL_db, eta):
    return b_old + eta * dL_db


def bu_no_eta(b_old, dL_db, eta):
    return b_old - dL_db


def bu_divide(b_old, dL_db, eta):
    return b_old - dL_db / eta


def bu_step_only(b_old, dL_db, eta):
    return -eta * dL_db


def bu_mean_gradient(b_old, dL_db, eta):
    return b_old - eta * np.mean(dL_db)


def bu_row(b_old, dL_db, eta):
    return np.atleast_2d(b_old - eta * dL_db)


def bu_eta_on_b(b_old, dL_db, eta):
    return eta * b_old - dL_db


BU_WRONG = {
    "column": (bu_column, "(n, 1) column for (n,)"),
    "column only for arrays": (bu_column_arrays, "(n, 1) column for (n,)"),
    "column gradient": (bu_column_gradient, "column gradient broadcast to (n, n)"),
    "column gradient for arrays": (bu_column_gradient_arrays,
                                   "column gradient broadcast to (n, n)"),
    "sign": (bu_sign, "sign flipped"),
    "no eta": (bu_no_eta, "learning rate forgotten"),
    "divide": (bu_divide, "divided by the learning rate"),
    "step only": (bu_step_only, "step without b_old"),
    "mean of the layer's gradients": (bu_mean_gradient, None),
    "row": (bu_row, None),
    "eta on b": (bu_eta_on_b, None),
}


@pytest.mark.parametrize("name", list(BU_WRONG))
def test_bias_update_wrong_answers_fail(name):
    _assert_wrong(lesson_03.bias_update, *BU_WRONG[name])


def test_bias_update_column_answer_is_told_the_courses_layout():
    message = lesson_03.bias_update.check(bu_column_arrays).message
    assert "Wrong shape: expected shape (2,), got shape (2, 1)." in message
    assert "vector of shape (n,), one per neuron" in message
    assert "Nielsen, CS229" in message and "W x + b" in message
    broadcast = lesson_03.bias_update.check(bu_column_gradient_arrays).message
    assert "got shape (2, 2)" in broadcast and "(n, n) table" in broadcast


# --- exercise 03 neuron_gradients (its summed-batch message now names lesson 05) ----------------


def ng_right_floats(w, b, x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    y_hat = 1 / (1 + np.exp(-(w * x + b)))
    delta = -2 * (y - y_hat) * y_hat * (1 - y_hat)
    return float(np.mean(delta * x)), float(np.mean(delta))


def ng_right_list(w, b, x, y):
    return list(ng_right_floats(w, b, x, y))


def ng_right_array32(w, b, x, y):
    return np.array(ng_right_floats(w, b, x, y), dtype=np.float32)


def ng_right_sum_over_n(w, b, x, y):
    x, y = np.atleast_1d(x).astype(float), np.atleast_1d(y).astype(float)
    delta = -2 * (y - sigmoid(w * x + b)) * sigmoid_prime(w * x + b) / len(x)
    return np.sum(delta * x), np.sum(delta)   # lesson 05's way: 1/N in delta, then sums


@pytest.mark.parametrize("fn", [ng_right_floats, ng_right_list, ng_right_array32,
                                ng_right_sum_over_n])
def test_neuron_gradients_right_variants_pass(fn):
    result = lesson_03.neuron_gradients.check(fn)
    assert result.passed, result.message


def test_neuron_gradients_solution_passes():
    assert lesson_03.neuron_gradients.check(_solution(lesson_03.neuron_gradients)).passed


def _ng_delta(w, b, x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    y_hat = sigmoid(w * x + b)
    return x, y, y_hat


def ng_no_two(w, b, x, y):
    x, y, y_hat = _ng_delta(w, b, x, y)
    delta = -(y - y_hat) * y_hat * (1 - y_hat)
    return np.mean(delta * x), np.mean(delta)


def ng_no_sigma_prime(w, b, x, y):
    x, y, y_hat = _ng_delta(w, b, x, y)
    delta = -2 * (y - y_hat)
    return np.mean(delta * x), np.mean(delta)


def ng_bias_times_x(w, b, x, y):
    x, y, y_hat = _ng_delta(w, b, x, y)
    delta = -2 * (y - y_hat) * y_hat * (1 - y_hat)
    return np.mean(delta * x), np.mean(delta * x)


def ng_per_example(w, b, x, y):
    x, y, y_hat = _ng_delta(w, b, x, y)
    delta = -2 * (y - y_hat) * y_hat * (1 - y_hat)
    return delta * x, delta


def ng_summed(w, b, x, y):
    x, y, y_hat = _ng_delta(w, b, x, y)
    delta = -2 * (y - y_hat) * y_hat * (1 - y_hat)
    return np.sum(delta * x), np.sum(delta)


def ng_swapped(w, b, x, y):
    x, y, y_hat = _ng_delta(w, b, x, y)
    delta = -2 * (y - y_hat) * y_hat * (1 - y_hat)
    return np.mean(delta), np.mean(delta * x)


def ng_z_one_minus_z(w, b, x, y):
    x, y, _ = _ng_delta(w, b, x, y)
    z = w * x + b
    delta = -2 * (y - sigmoid(z)) * z * (1 - z)
    return np.mean(delta * x), np.mean(delta)


def ng_sign(w, b, x, y):
    x, y, y_hat = _ng_delta(w, b, x, y)
    delta = 2 * (y - y_hat) * y_hat * (1 - y_hat)
    return np.mean(delta * x), np.mean(delta)


def ng_bias_ignored(w, b, x, y):
    x, y, _ = _ng_delta(w, b, x, y)
    y_hat = sigmoid(w * x)
    delta = -2 * (y - y_hat) * y_hat * (1 - y_hat)
    return np.mean(delta * x), np.mean(delta)


NG_WRONG = {
    "no 2": (ng_no_two, "dropped the factor 2"),
    "no sigma'": (ng_no_sigma_prime, "forgot the activation derivative"),
    "bias times x": (ng_bias_times_x, "bias gradient multiplied by x"),
    "per example": (ng_per_example, "per-example gradients, no mean"),
    "summed": (ng_summed, "summed over the batch instead of the mean"),
    "swapped": (ng_swapped, "pair in the wrong order"),
    "z(1 - z)": (ng_z_one_minus_z, "σ'(z) written as z(1 − z)"),
    "sign": (ng_sign, None),
    "bias ignored": (ng_bias_ignored, None),
}


@pytest.mark.parametrize("name", list(NG_WRONG))
def test_neuron_gradients_wrong_answers_fail(name):
    _assert_wrong(lesson_03.neuron_gradients, *NG_WRONG[name])


def test_summed_neuron_gradients_are_told_where_lesson_05_differs():
    message = lesson_03.neuron_gradients.check(ng_summed).message
    assert "Lesson 05 sums over the batch, but there the 1/N already sits inside δ" in message


# --- exercise 05 output_error (its 1/N message now names lesson 03) -----------------------------


def oe_right_y_form(Y, y, Z_out):
    return 2 / Y.size * (Y - y) * Y * (1 - Y)


def oe_right_float32(Y, y, Z_out):
    return (2 * (Y - y) / Y.size * sigmoid_prime(Z_out)).astype(np.float32)


def oe_right_list(Y, y, Z_out):
    return (2 * (Y - y) / np.prod(Y.shape) * sigmoid_prime(Z_out)).tolist()


@pytest.mark.parametrize("fn", [oe_right_y_form, oe_right_float32, oe_right_list])
def test_output_error_right_variants_pass(fn):
    result = lesson_05.output_error.check(fn)
    assert result.passed, result.message


def test_output_error_solution_passes():
    assert lesson_05.output_error.check(_solution(lesson_05.output_error)).passed


OE_WRONG = {
    "no 2": (lambda Y, y, Z_out: (Y - y) / Y.size * Y * (1 - Y), "dropped factor 2"),
    "no sigma'": (lambda Y, y, Z_out: 2 * (Y - y) / Y.size, "forgot sigmoid'"),
    "sign": (lambda Y, y, Z_out: -2 * (Y - y) / Y.size * Y * (1 - Y), "sign flipped"),
    "lesson 03's delta, no 1/N": (lambda Y, y, Z_out: 2 * (Y - y) * Y * (1 - Y), "forgot 1/N"),
    "rows for N": (lambda Y, y, Z_out: 2 * (Y - y) / Y.shape[0] * Y * (1 - Y),
                   "N = number of instances"),
    "no 2, no 1/N": (lambda Y, y, Z_out: (Y - y) * sigmoid_prime(Z_out),
                     "factors of the loss forgotten"),
    "2 // N": (lambda Y, y, Z_out: 2 // Y.size * (Y - y) * sigmoid_prime(Z_out),
               "integer division"),
    "Z(1 - Z)": (lambda Y, y, Z_out: 2 * (Y - y) / Y.size * Z_out * (1 - Z_out),
                 "Z(1 − Z) for sigmoid'"),
    "sigma'(Y)": (lambda Y, y, Z_out: 2 * (Y - y) / Y.size * sigmoid_prime(Y),
                  "sigmoid' of Y"),
    "1/N squared": (lambda Y, y, Z_out: 2 * (Y - y) / Y.size ** 2 * Y * (1 - Y), None),
}


@pytest.mark.parametrize("name", list(OE_WRONG))
def test_output_error_wrong_answers_fail(name):
    _assert_wrong(lesson_05.output_error, *OE_WRONG[name])


def test_output_error_without_1_over_N_is_told_lesson_03s_convention():
    message = lesson_05.output_error.check(OE_WRONG["lesson 03's delta, no 1/N"][0]).message
    assert "Lesson 03 kept δ per example, without the 1/N" in message


# --- exercise 05 layer_backward (the order stays (dW, db, dX)) --------------------------------


def lb_right_einsum(dL_dZ, X, W):
    return (np.einsum("ik,ij->kj", X, dL_dZ), np.einsum("ij->j", dL_dZ),
            np.einsum("ij,kj->ik", dL_dZ, W))


def lb_right_list(dL_dZ, X, W):
    return [X.T @ dL_dZ, dL_dZ.sum(axis=0), dL_dZ @ W.T]


def lb_right_float32(dL_dZ, X, W):
    f = np.float32
    return (X.T.astype(f) @ dL_dZ.astype(f), dL_dZ.astype(f).sum(axis=0),
            dL_dZ.astype(f) @ W.T.astype(f))


def lb_right_loop(dL_dZ, X, W):
    dW = sum(np.outer(X[i], dL_dZ[i]) for i in range(len(X)))
    return dW, np.sum(dL_dZ, axis=0), np.dot(dL_dZ, W.T)


@pytest.mark.parametrize("fn", [lb_right_einsum, lb_right_list, lb_right_float32,
                                lb_right_loop])
def test_layer_backward_right_variants_pass(fn):
    result = lesson_05.layer_backward.check(fn)
    assert result.passed, result.message


def test_layer_backward_solution_passes():
    assert lesson_05.layer_backward.check(_solution(lesson_05.layer_backward)).passed


def lb_column_bias(dL_dZ, X, W):
    db = dL_dZ.sum(axis=0)
    return X.T @ dL_dZ, db[:, np.newaxis], dL_dZ @ W.T


LB_WRONG = {
    "dW transposed": (lambda d, X, W: (d.T @ X, d.sum(axis=0), d @ W.T), "transposed gradient"),
    "db not summed": (lambda d, X, W: (X.T @ d, d, d @ W.T), "bias gradient not summed"),
    "db averaged": (lambda d, X, W: (X.T @ d, np.mean(d, axis=0), d @ W.T),
                    "bias gradient averaged"),
    "all averaged": (lambda d, X, W: ((X.T @ d) / X.shape[0], d.mean(axis=0), d @ W.T),
                     "gradients averaged over the batch"),
    "db over axis 1": (lambda d, X, W: (X.T @ d, d.sum(axis=1), d @ W.T),
                       "bias gradient summed over axis 1"),
    "db one number": (lambda d, X, W: (X.T @ d, np.sum(d), d @ W.T),
                      "bias gradient summed to one number"),
    "order": (lambda d, X, W: (X.T @ d, d @ W.T, d.sum(axis=0)), "(dL_dW, dL_dX, dL_db) order"),
    "keepdims": (lambda d, X, W: (X.T @ d, d.sum(axis=0, keepdims=True), d @ W.T),
                 "(1, n) for (n,)"),
    "column bias": (lb_column_bias, "(n, 1) column for (n,)"),
    "dW as a product of sums": (lambda d, X, W: (np.outer(X.sum(axis=0), d.sum(axis=0)),
                                                 d.sum(axis=0), d @ W.T), None),
    "dX summed over the batch": (lambda d, X, W: (X.T @ d, d.sum(axis=0),
                                                  (d @ W.T).sum(axis=0)), None),
}


@pytest.mark.parametrize("name", list(LB_WRONG))
def test_layer_backward_wrong_answers_fail(name):
    _assert_wrong(lesson_05.layer_backward, *LB_WRONG[name])


def test_layer_backward_column_bias_is_told_the_courses_layout():
    message = lesson_05.layer_backward.check(lb_column_bias).message
    assert re.search(r"item 1: Wrong shape: expected shape \(\d+,\), got shape \(\d+, 1\)",
                     message), message
    assert "In this course b has shape (n_out,)" in message and "W x + b" in message


# --- exercise 05 two_layer_backward -----------------------------------------------------------


def tb_right_layerwise(dL_dY, cache, W2):
    X, Z1, A1, Z2 = cache
    d2 = dL_dY * sigmoid(Z2) * (1 - sigmoid(Z2))
    d1 = d2 @ W2.T * A1 * (1 - A1)
    return (X.T @ d1, d1.sum(0), A1.T @ d2, d2.sum(0))


def tb_right_list_float32(dL_dY, cache, W2):
    X, Z1, A1, Z2 = (np.asarray(a, dtype=np.float32) for a in cache)
    d2 = np.float32(dL_dY) * sigmoid_prime(Z2).astype(np.float32)
    d1 = (d2 @ W2.T.astype(np.float32)) * sigmoid_prime(Z1).astype(np.float32)
    return [X.T @ d1, d1.sum(axis=0), A1.T @ d2, d2.sum(axis=0)]


@pytest.mark.parametrize("fn", [tb_right_layerwise, tb_right_list_float32])
def test_two_layer_backward_right_variants_pass(fn):
    result = lesson_05.two_layer_backward.check(fn)
    assert result.passed, result.message


def test_two_layer_backward_solution_passes():
    assert lesson_05.two_layer_backward.check(_solution(lesson_05.two_layer_backward)).passed


def _tb(hidden=True, output=True, summed=True, column=False, mean=False, input2="A1",
        from_dY=False, order=(0, 1, 2, 3)):
    def two_layer_backward(dL_dY, cache, W2):
        X, Z1, A1, Z2 = cache
        d2 = dL_dY * (sigmoid_prime(Z2) if output else 1.0)
        d1 = ((dL_dY if from_dY else d2) @ W2.T) * (sigmoid_prime(Z1) if hidden else 1.0)
        if column:
            db1, db2 = d1.sum(axis=0).reshape(-1, 1), d2.sum(axis=0).reshape(-1, 1)
        elif mean:
            db1, db2 = d1.mean(axis=0), d2.mean(axis=0)
        elif summed:
            db1, db2 = d1.sum(axis=0), d2.sum(axis=0)
        else:
            db1, db2 = d1, d2
        dW2 = (Z1 if input2 == "Z1" else A1).T @ d2
        if mean:
            grads = (X.T @ d1 / len(X), db1, dW2 / len(X), db2)
        else:
            grads = (X.T @ d1, db1, dW2, db2)
        return tuple(grads[i] for i in order)

    return two_layer_backward


def tb_sigma_prime_of_outputs(dL_dY, cache, W2):
    X, Z1, A1, Z2 = cache
    Y = sigmoid(Z2)
    d2 = dL_dY * sigmoid_prime(Y)
    d1 = (d2 @ W2.T) * sigmoid_prime(A1)
    return X.T @ d1, d1.sum(axis=0), A1.T @ d2, d2.sum(axis=0)


def tb_sigma_prime_of_A1(dL_dY, cache, W2):
    X, Z1, A1, Z2 = cache
    d2 = dL_dY * sigmoid_prime(Z2)
    d1 = (d2 @ W2.T) * sigmoid_prime(A1)
    return X.T @ d1, d1.sum(axis=0), A1.T @ d2, d2.sum(axis=0)


TB_WRONG = {
    "hidden sigma' forgotten": (_tb(hidden=False), "hidden sigmoid' forgotten"),
    "output sigma' forgotten": (_tb(output=False), "output sigmoid' forgotten"),
    "sigma' of A1": (tb_sigma_prime_of_A1, "sigmoid' of A1"),
    "sigma' of Y and A1": (tb_sigma_prime_of_outputs, "sigmoid' of Y and A1"),
    "biases not summed": (_tb(summed=False), "bias gradients not summed"),
    "column biases": (_tb(column=True), "(n, 1) column biases for (n,)"),
    "averaged": (_tb(mean=True), "gradients averaged over the batch"),
    "Z1 for A1": (_tb(input2="Z1"), "Z1 where A1 belongs"),
    "delta1 from dL/dY": (_tb(from_dY=True), "δ1 from dL/dY instead of δ2"),
    "layer 2 first": (_tb(order=(2, 3, 0, 1)), "layer 2's gradients first"),
    "weights first": (_tb(order=(0, 2, 1, 3)), "weights first, then biases"),
}


@pytest.mark.parametrize("name", list(TB_WRONG))
def test_two_layer_backward_wrong_answers_fail(name):
    _assert_wrong(lesson_05.two_layer_backward, *TB_WRONG[name])


def test_two_layer_backward_column_biases_are_told_the_courses_layout():
    message = lesson_05.two_layer_backward.check(_tb(column=True)).message
    assert "Your bias gradients are columns (n, 1)" in message
    assert "lesson 03 says where other books differ" in message
