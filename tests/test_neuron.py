import math
import subprocess
import sys

import numpy as np
import pytest

from backprop_lessons.maths import course_network as cn
from backprop_lessons.maths import neuron
from backprop_lessons.maths.activations import sigmoid
from backprop_lessons.viz import plots


def rel_error(a: float, b: float) -> float:
    return abs(a - b) / max(1e-8, abs(a) + abs(b))


def central(f, v: float, h: float = 1e-6) -> float:
    return (f(v + h) - f(v - h)) / (2.0 * h)


def random_case(seed: int, n: int | None):
    rng = np.random.default_rng(seed)
    w, b = (float(v) for v in rng.normal(0.0, 1.5, size=2))
    if n is None:
        return w, b, float(rng.uniform(-2, 2)), float(rng.uniform(0, 1))
    return w, b, rng.uniform(-2, 2, size=n), rng.uniform(0, 1, size=n)


def test_predict_and_loss_by_hand():
    assert neuron.predict(0.0, 0.0, 3.0) == 0.5
    assert neuron.predict(2.0, -1.0, 0.5) == 0.5
    assert neuron.loss(2.0, -1.0, 0.5, 1.0) == 0.25
    assert neuron.loss(0.0, 0.0, [1.0, 2.0], [1.0, 0.0]) == 0.25
    np.testing.assert_allclose(neuron.predict(1.0, 0.0, np.array([-1.0, 1.0])),
                               [sigmoid(-1.0), sigmoid(1.0)], rtol=1e-15)
    assert type(neuron.loss(1.0, 0.0, 2.0, 1.0)) is float


def test_gradients_by_hand():
    # w = 2, b = -1, x = 0.5: z = 0, y_hat = 0.5; y = 1: delta = -2 * 0.5 * 0.25 = -0.25
    dL_dw, dL_db = neuron.gradients(2.0, -1.0, 0.5, 1.0)
    assert (dL_dw, dL_db) == (-0.125, -0.25)
    assert type(dL_dw) is float and type(dL_db) is float


@pytest.mark.parametrize("n", [None, 1, 5])
@pytest.mark.parametrize("seed", range(10))
def test_gradients_match_central_differences(seed, n):
    w, b, x, y = random_case(seed, n)
    dL_dw, dL_db = neuron.gradients(w, b, x, y)
    num_w = central(lambda v: neuron.loss(v, b, x, y), w)
    num_b = central(lambda v: neuron.loss(w, v, x, y), b)
    assert rel_error(dL_dw, num_w) <= 1e-7 or abs(dL_dw - num_w) <= 1e-10
    assert rel_error(dL_db, num_b) <= 1e-7 or abs(dL_db - num_b) <= 1e-10


def test_batch_gradient_is_the_mean_of_the_example_gradients():
    w, b, x, y = random_case(3, 6)
    per = [neuron.gradients(w, b, xi, yi) for xi, yi in zip(x, y, strict=True)]
    dL_dw, dL_db = neuron.gradients(w, b, x, y)
    assert dL_dw == pytest.approx(np.mean([g[0] for g in per]), rel=1e-13)
    assert dL_db == pytest.approx(np.mean([g[1] for g in per]), rel=1e-13)


@pytest.mark.parametrize("seed", range(5))
def test_the_output_neuron_of_the_course_network_is_one_neuron(seed):
    rng = np.random.default_rng(seed)
    p = cn.random_params(rng)
    x, y = float(rng.uniform(-2, 2)), float(rng.uniform(0, 1))
    f = cn.forward(x, y, p)
    rest = p["W5"] * f["O22"] + p["b4"]
    dL_dw, dL_db = neuron.gradients(p["W4"], rest, f["O21"], y)
    g = cn.gradients(x, y, p)
    assert dL_dw == pytest.approx(g["W4"], rel=1e-12)
    assert dL_db == pytest.approx(g["b4"], rel=1e-12)


def test_train_step_uses_the_old_values_for_both_gradients():
    w, b, x, y = 0.3, -0.2, np.array([0.5, -1.0, 2.0]), np.array([1.0, 0.0, 1.0])
    dL_dw, dL_db = neuron.gradients(w, b, x, y)
    w_new, b_new = neuron.train_step(w, b, x, y, 0.5)
    assert w_new == w - 0.5 * dL_dw
    assert b_new == b - 0.5 * dL_db
    assert b_new != b - 0.5 * neuron.gradients(w_new, b, x, y)[1]
    assert neuron.loss(w_new, b_new, x, y) < neuron.loss(w, b, x, y)
    assert type(w_new) is float and type(b_new) is float


def test_fit_records_the_loss_before_each_step_and_learns_the_toy_data():
    x, y = neuron.toy_data()
    w, b, losses = neuron.fit(0.0, 0.0, x, y, eta=2.0, epochs=3000)
    assert losses.shape == (3000,) and losses.dtype == np.float64
    assert losses[0] == neuron.loss(0.0, 0.0, x, y)
    assert np.all(np.diff(losses) <= 1e-15)  # a small enough step only goes down
    assert losses[-1] < 0.01 * losses[0]
    assert w == pytest.approx(2.0, abs=0.3) and b == pytest.approx(-1.0, abs=0.3)
    # the same as repeated train_step
    w2, b2 = 0.0, 0.0
    for _ in range(5):
        w2, b2 = neuron.train_step(w2, b2, x, y, 2.0)
    w5, b5, h5 = neuron.fit(0.0, 0.0, x, y, 2.0, 5)
    assert (w5, b5) == (w2, b2)
    np.testing.assert_array_equal(h5, losses[:5])


def test_inputs_are_not_modified():
    x, y = np.array([1.0, 2.0]), np.array([0.0, 1.0])
    neuron.fit(0.1, 0.2, x, y, 0.5, 3)
    np.testing.assert_array_equal(x, [1.0, 2.0])
    np.testing.assert_array_equal(y, [0.0, 1.0])


def test_toy_data_is_seeded():
    x, y = neuron.toy_data(n=7, seed=1)
    x2, y2 = neuron.toy_data(n=7, seed=1)
    assert x.shape == y.shape == (7,)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(y, neuron.toy_data(n=7, seed=2)[1])
    np.testing.assert_allclose(neuron.toy_data(n=3, noise=0.0)[1],
                               sigmoid(2.0 * np.linspace(-3.0, 3.0, 3) - 1.0), rtol=1e-15)


@pytest.mark.parametrize(
    "call, kind, match",
    [
        (lambda: neuron.predict("w", 0.0, 1.0), TypeError, "w must be a number"),
        (lambda: neuron.predict(0.0, [1.0, 2.0], 1.0), TypeError, "b must be a single number"),
        (lambda: neuron.predict(math.nan, 0.0, 1.0), ValueError, "w must be finite"),
        (lambda: neuron.loss(0.0, 0.0, [1.0, 2.0], [1.0]), ValueError,
         r"y must have the shape of x .*x has shape \(2,\), y has shape \(1,\)"),
        (lambda: neuron.loss(0.0, 0.0, [], []), ValueError, "x must hold at least one example"),
        (lambda: neuron.gradients(0.0, 0.0, 1.0, math.inf), ValueError, "y must be finite"),
        (lambda: neuron.train_step(0.0, 0.0, 1.0, 1.0, 0.0), ValueError,
         "eta must be a positive number, got 0.0"),
        (lambda: neuron.fit(0.0, 0.0, 1.0, 1.0, 0.1, 2.5), TypeError,
         "epochs must be a whole number of steps, got the number 2.5"),
        (lambda: neuron.fit(0.0, 0.0, 1.0, 1.0, 0.1, True), TypeError,
         "epochs must be a whole number"),
        (lambda: neuron.fit(0.0, 0.0, 1.0, 1.0, 0.1, 0), ValueError,
         "epochs must be at least 1, got 0"),
        (lambda: neuron.fit(0.0, 0.0, 1.0, 1.0, -1.0, 3), ValueError,
         "eta must be a positive number"),
        (lambda: neuron.toy_data(n=0), ValueError, "n must be a whole number of examples >= 1"),
        (lambda: neuron.toy_data(noise=-0.1), ValueError, "noise must be >= 0"),
        (lambda: plots.loss_curve([]), ValueError, "losses must be a non-empty list"),
        (lambda: plots.loss_curve([1.0], theme="blue"), ValueError,
         "theme must be 'light' or 'dark'"),
        (lambda: plots.loss_curve([1.0, math.nan]), ValueError, "losses must be finite"),
    ],
)
def test_errors_name_the_argument(call, kind, match):
    with pytest.raises(kind, match=match):
        call()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_plot_loss_curve_draws_one_log_axis(theme):
    from matplotlib.figure import Figure

    fig = plots.loss_curve([1.0, 0.5, 0.25, 0.2], theme=theme)
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    assert ax.get_yscale() == "log"
    (line,) = ax.get_lines()
    np.testing.assert_array_equal(line.get_ydata(), [1.0, 0.5, 0.25, 0.2])
    assert ax.get_xlabel() == "epoch"
    assert plots.loss_curve([0.0, 1.0]).axes[0].get_yscale() == "linear"


def test_importing_neuron_does_not_import_matplotlib():
    code = "import backprop_lessons.maths.neuron, sys; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- the exercises of lesson 03 that build on this module --------------------------------


def _judged(exercise, fn):
    """The verdict on ``fn``'s outputs, without the guard against calling the reference
    (these answers reuse the package's function to build a variant of its output)."""
    from backprop_lessons.exercises.runner import run_calls

    calls = [(p.args, p.kwargs, p.originals) for p in exercise.prepared_cases()]
    return exercise.judge(run_calls(fn, calls, exercise.time_limit, forbidden=None))


def test_gradient_pair_exercises_accept_an_array_and_name_a_swapped_pair():
    from backprop_lessons.exercises import lesson_03

    as_array = _judged(lesson_03.neuron_gradients, lambda w, b, x, y: np.array(
        neuron.gradients(w, b, x, y)))
    assert as_array.passed, as_array.message
    step = _judged(lesson_03.train_step, lambda w, b, x, y, eta: np.array(
        neuron.train_step(w, b, x, y, eta)))
    assert step.passed, step.message
    swapped = _judged(lesson_03.neuron_gradients,
        lambda w, b, x, y: neuron.gradients(w, b, x, y)[::-1])
    assert not swapped.passed and swapped.misconception == "pair in the wrong order"
    too_long = _judged(lesson_03.train_step, lambda w, b, x, y, eta: np.array([w, b, 0.0]))
    assert not too_long.passed


def test_fit_exercise_accepts_a_list_history_and_names_one_loss_too_many():
    from backprop_lessons.exercises import lesson_03

    def as_list(w, b, x, y, eta, epochs):
        w_new, b_new, losses = neuron.fit(w, b, x, y, eta, epochs)
        return [w_new, b_new, list(losses)]

    assert _judged(lesson_03.fit, as_list).passed

    def one_more(w, b, x, y, eta, epochs):
        w_new, b_new, losses = neuron.fit(w, b, x, y, eta, epochs)
        return w_new, b_new, list(losses) + [neuron.loss(w_new, b_new, x, y)]

    result = _judged(lesson_03.fit, one_more)
    assert not result.passed and result.misconception == "one loss too many"
