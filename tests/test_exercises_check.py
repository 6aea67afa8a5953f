"""The check engine: outcomes, feedback, misconceptions, safety, tolerances, rendering."""

import re
import subprocess
import sys
import time

import numpy as np
import pytest

from backprop_lessons.exercises import Case, CheckResult, Exercise, Misconception, labelled
from backprop_lessons.exercises import lesson_01 as ex
from backprop_lessons.exercises import lesson_03 as ex3
from backprop_lessons.exercises import misconceptions as mis
from backprop_lessons.exercises.compare import compare, fmt_value
from backprop_lessons.exercises.runner import timer_available
from backprop_lessons.exercises.spec import seed_for
from backprop_lessons.maths import updates

HINTS = ["first hint", "second hint"]


def good(W_old, dL_dW, eta):
    return W_old - eta * dL_dW


# ----- 1. four outcomes ---------------------------------------------------------------------
def test_passed():
    r = ex.weight_update.check(good)
    assert (r.status, r.passed, r.exercise_id) == ("passed", True, "weight_update")


def test_failed():
    r = ex.weight_update.check(lambda W_old, dL_dW, eta: W_old - 2 * eta * dL_dW)
    assert (r.status, r.passed) == ("failed", False)


def test_error():
    def weight_update(W_old, dL_dW, eta):
        return W_old - eta * dL_dW / 0

    r = ex.weight_update.check(weight_update)
    assert r.status == "error"
    assert "ZeroDivisionError" in r.message


def _stub_ellipsis(W_old, dL_dW, eta):
    # YOUR CODE HERE
    ...


def _stub_pass(W_old, dL_dW, eta):
    pass


def _stub_raise(W_old, dL_dW, eta):
    raise NotImplementedError


def _stub_none(W_old, dL_dW, eta):
    W_new = W_old - eta * dL_dW  # noqa: F841 - forgot the return
    return None


def _stub_docstring(W_old, dL_dW, eta):
    """One gradient-descent step."""
    # YOUR CODE HERE
    ...


@pytest.mark.parametrize("stub", [_stub_ellipsis, _stub_pass, _stub_raise, _stub_docstring])
def test_not_attempted_variants(stub):
    r = ex.weight_update.check(stub)
    assert r.status == "not attempted"
    assert not r.passed
    assert "not attempted" in repr(r)


def _prints_instead_of_returning(W_old, dL_dW, eta):
    print(W_old - eta * dL_dW)


def _branch_without_return(W_old, dL_dW, eta):
    if eta > 1:
        return W_old - eta * dL_dW


@pytest.mark.parametrize("body", [_stub_none, _prints_instead_of_returning,
                                  _branch_without_return])
def test_a_real_body_returning_none_fails_with_return_missing(body, capsys):
    r = ex.weight_update.check(body)
    assert r.status == "failed"
    assert "returned None — is a `return` missing?" in r.message


def test_a_constant_answer_is_not_taken_for_a_stub():
    r = ex.weight_update.check(lambda W_old, dL_dW, eta: 2.0)
    assert r.status == "failed" and "expected: 0.3" in r.message


def test_undefined_name_is_not_attempted_and_the_name_is_looked_up_in_caller_globals():
    globals().pop("weight_update", None)
    r = ex.weight_update.check()
    assert r.status == "not attempted"
    assert "`weight_update` is not defined yet" in r.message
    globals()["weight_update"] = good
    try:
        assert ex.weight_update.check().passed
    finally:
        del globals()["weight_update"]


def test_lookup_uses_the_notebook_namespace_of_the_caller():
    namespace = {"ex": ex}
    exec(
        "def weight_update(w_old, grad, lr):\n    return w_old - lr * grad\n"
        "result = ex.weight_update.check()\n",
        namespace,
    )
    assert namespace["result"].passed  # learner's own parameter names are fine


def test_not_a_function():
    r = ex.weight_update.check(3.0)
    assert r.status == "failed"
    assert "should be a function" in r.message


# ----- 2. smallest failing case --------------------------------------------------------------
def test_failure_shows_smallest_failing_case_inputs_expected_and_got():
    def halfway(W_old, dL_dW, eta):
        return W_old - eta * dL_dW if np.ndim(W_old) == 0 and dL_dW > 0 else W_old

    r = ex.weight_update.check(halfway)
    assert r.status == "failed"
    assert "a negative slope: W must grow" in r.message  # case 2 is the first one that fails
    assert "  W_old = 0.5\n  dL_dW = -2.0\n  eta   = 0.1" in r.message
    assert "expected: 0.7" in r.message
    assert "got:      0.5" in r.message


def test_cases_are_tried_smallest_first_whatever_the_declared_order():
    exercise = Exercise(
        id="t_order",
        lesson="01_slopes",
        reference=updates.weight_update,
        cases=[Case(np.ones((3, 3)), np.ones((3, 3)), 0.1), Case(1.0, 1.0, 0.1)],
        hints=HINTS,
    )
    r = exercise.check(lambda W_old, dL_dW, eta: W_old)
    assert "(case 1 of 2)" in r.message
    assert "W_old = 1.0" in r.message


def test_array_failure_reports_shape_dtype_errors_and_first_mismatching_index():
    def off(W_old, dL_dW, eta):
        out = W_old - eta * dL_dW
        if np.ndim(out):
            out = out.copy()
            out[1, 2] += 0.5
        return out

    r = ex.weight_update.check(off)
    assert "shape (2, 3), dtype float64" in r.message
    assert "largest absolute error 0.5 at index (1, 2)" in r.message
    assert "largest relative error" in r.message
    assert "first mismatch at index (1, 2)" in r.message


# ----- 3. misconceptions ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "wrong, name, message",
    [
        (lambda W_old, dL_dW, eta: W_old + eta * dL_dW, "sign flipped", mis.SIGN_FLIPPED),
        (
            lambda W_old, dL_dW, eta: W_old - dL_dW,
            "learning rate forgotten",
            mis.FORGOT_LEARNING_RATE,
        ),
    ],
)
def test_weight_update_misconceptions_named(wrong, name, message):
    r = ex.weight_update.check(wrong)
    assert r.misconception == name
    assert message in r.message
    assert "gradient ascent" in mis.SIGN_FLIPPED


def _gradient_exercise(reference, wrong, message, cases):
    return Exercise(
        id=f"t_{reference.__name__}",
        lesson="05_backward_pass",
        reference=reference,
        cases=cases,
        hints=HINTS,
        misconceptions=[Misconception("the mistake", wrong, message)],
    )


def dL_dy(y, t):
    """Gradient of the squared error (y - t)**2."""
    return 2.0 * (y - t)


def dL_dW_after_update(W_old, x, delta, eta):
    """Gradient for the input of a layer, computed with the weights of the forward pass."""
    return W_old.T @ delta


def dL_dx_two_paths(w1, w2):
    """x feeds the loss along two paths, L = w1*x + w2*x."""
    return w1 + w2


def dL_dW_layer(delta, x):
    """dL/dW = delta @ x.T for a layer, shape of W."""
    return delta @ x.T


def dL_db_batch(delta):
    """dL/db = sum of delta over the batch (axis 1)."""
    return delta.sum(axis=1, keepdims=True)


_rng = np.random.default_rng(0)
_W = _rng.normal(size=(2, 3))
_delta = _rng.normal(size=(2, 4))
_x = _rng.normal(size=(3, 4))


@pytest.mark.parametrize(
    "reference, right, wrong, message, cases",
    [
        (dL_dy, lambda y, t: 2 * (y - t), lambda y, t: y - t, mis.DROPPED_FACTOR_2,
         [Case(1.0, 0.5), Case(2.0, -1.0)]),
        (
            dL_dW_after_update,
            lambda W_old, x, delta, eta: W_old.T @ delta,
            lambda W_old, x, delta, eta: (W_old - eta * delta @ x.T).T @ delta,
            mis.USED_W_NEW,
            [Case(_W, _x, _delta, 0.1)],
        ),
        (dL_dx_two_paths, lambda w1, w2: w2 + w1, lambda w1, w2: w1, mis.MISSING_CHAIN_PATH,
         [Case(0.5, 2.0)]),
        (dL_dW_layer, lambda delta, x: delta @ x.T, lambda delta, x: x @ delta.T,
         mis.TRANSPOSED_GRADIENT, [Case(_delta, _x)]),
        (dL_db_batch, lambda delta: np.sum(delta, axis=1, keepdims=True), lambda delta: delta,
         mis.BIAS_NOT_SUMMED, [Case(_delta)]),
    ],
    ids=["factor-2", "W_new-for-W_old", "chain-path", "transposed-gradient", "bias-not-summed"],
)
def test_lesson_misconceptions_are_caught_with_their_messages(reference, right, wrong, message,
                                                              cases):
    exercise = _gradient_exercise(reference, wrong, message, cases)
    assert exercise.check(right).passed
    r = exercise.check(wrong)
    assert r.status == "failed"
    assert r.misconception == "the mistake"
    assert message in r.message


def test_column_for_vector_declared_in_bias_update():
    # the course's biases are vectors (n,): a column answer is named
    r = ex3.bias_update.check(lambda b_old, dL_db, eta: np.reshape(b_old - eta * dL_db, (-1, 1)))
    assert r.misconception == "(n, 1) column for (n,)"
    assert "vector of shape (n,)" in r.message and "column of shape (n, 1)" in r.message


def _undeclared(cases):
    return Exercise(
        id="t_generic",
        lesson="05_backward_pass",
        reference=dL_dW_layer,
        cases=cases,
        hints=HINTS,
    )


def test_generic_transposed_and_sign_flipped_arrays_without_declaration():
    exercise = _undeclared([Case(_delta, _x)])
    r = exercise.check(lambda delta, x: (delta @ x.T).T)
    assert r.misconception == "transposed" and mis.TRANSPOSED_ARRAY in r.message
    r = exercise.check(lambda delta, x: -(delta @ x.T))
    assert r.misconception == "sign flipped" and mis.OPPOSITE_SIGN in r.message


def test_generic_flat_vector_for_column():
    exercise = Exercise(
        id="t_col",
        lesson="05_backward_pass",
        reference=dL_db_batch,
        cases=[Case(_delta)],
        hints=HINTS,
    )
    r = exercise.check(lambda delta: delta.sum(axis=1))
    assert r.misconception == "(n,) for (n, 1)"
    assert mis.FLAT_VECTOR in r.message
    assert "Wrong shape: expected shape (2, 1), got shape (2,)" in r.message


def test_misconception_needs_a_match_on_every_case():
    def half_wrong(W_old, dL_dW, eta):
        return W_old + eta * dL_dW if dL_dW == 2.0 else W_old - eta * dL_dW

    r = ex.weight_update.check(half_wrong)
    assert r.status == "failed"
    assert r.misconception is None


# ----- 4. safety -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "exc, shown",
    [
        (SystemExit(0), "SystemExit"),
        (KeyboardInterrupt(), "KeyboardInterrupt"),
        (ValueError("bad value"), "ValueError: bad value"),
    ],
)
def test_any_exception_is_caught_with_input_and_learner_frames_only(exc, shown):
    def weight_update(W_old, dL_dW, eta):
        raise exc

    r = ex.weight_update.check(weight_update)
    assert r.status == "error"
    assert shown in r.message
    assert "W_old = 0.5" in r.message
    assert "test_exercises_check.py" in r.message and "in weight_update" in r.message
    assert "spec.py" not in r.message and "runner.py" not in r.message


def test_frames_inside_numpy_are_not_shown():
    r = ex.weight_update.check(lambda W_old, dL_dW, eta: np.reshape(W_old, (7, 7)))
    assert r.status == "error"
    assert "fromnumeric" not in r.message
    assert "test_exercises_check.py" in r.message


@pytest.mark.skipif(not timer_available(), reason="no SIGALRM here")
def test_infinite_loop_is_reported_with_the_input_and_the_process_survives():
    exercise = Exercise(
        id="t_loop",
        lesson="01_slopes",
        reference=updates.weight_update,
        cases=[Case(1.0, 1.0, 0.1)],
        hints=HINTS,
        time_limit=0.2,
    )

    def weight_update(W_old, dL_dW, eta):
        while True:
            W_old = W_old - eta * dL_dW

    start = time.monotonic()
    r = exercise.check(weight_update)
    assert time.monotonic() - start < 2.0
    assert r.status == "error"
    assert "did not finish within 0.2 s" in r.message
    assert "W_old = 1.0" in r.message
    assert exercise.check(good).passed  # still alive, timer disarmed
    time.sleep(0.3)  # a stray alarm would interrupt this


def test_inputs_are_copies_and_in_place_change_is_reported():
    def in_place(W_old, dL_dW, eta):
        if isinstance(W_old, np.ndarray):
            W_old -= eta * dL_dW
            return W_old
        return W_old - eta * dL_dW

    r = ex.weight_update.check(in_place)
    assert r.status == "failed"
    assert "changed its input `W_old` in place" in r.message
    # the exercise's own cases are untouched: the reference still passes
    assert ex.weight_update.check(good).passed


def test_nan_result_has_its_own_message():
    r = ex.weight_update.check(lambda W_old, dL_dW, eta: float("nan"))
    assert r.status == "failed"
    assert "Not a finite number" in r.message


def test_inf_in_array_has_its_own_message():
    def infinite(W_old, dL_dW, eta):
        out = W_old - eta * dL_dW
        return out * np.inf if np.ndim(out) else out

    r = ex.weight_update.check(infinite)
    assert r.status == "failed"
    assert "Not a finite number" in r.message and "index (0, 0)" in r.message


@pytest.mark.parametrize(
    "wrong, text",
    [
        (lambda W_old, dL_dW, eta: str(W_old - eta * dL_dW), "Wrong type: expected a number"),
        (lambda W_old, dL_dW, eta: [W_old - eta * dL_dW], "Wrong type: expected a number"),
        (lambda W_old, dL_dW, eta: np.array([W_old - eta * dL_dW]), "Wrong shape"),
    ],
)
def test_wrong_type_or_shape_has_its_own_message(wrong, text):
    r = ex.weight_update.check(wrong)
    assert r.status == "failed"
    assert text in r.message


def test_a_list_is_accepted_where_an_array_is_natural():
    def as_list(W_old, dL_dW, eta):
        out = W_old - eta * dL_dW
        return out.tolist() if np.ndim(out) else out

    assert ex.weight_update.check(as_list).passed


def test_a_list_of_the_wrong_shape_is_told_its_shape():
    def as_list(W_old, dL_dW, eta):
        out = W_old - eta * dL_dW
        return out.ravel().tolist() if np.ndim(out) else out

    r = ex.weight_update.check(as_list)
    assert "Wrong type: expected an array of shape (2, 3), got a list of 6 items" in r.message


def test_a_bug_in_an_exercise_spec_does_not_raise_into_the_notebook():
    broken = Exercise(
        id="t_broken",
        lesson="01_slopes",
        reference=updates.weight_update,
        cases=[Case(1.0, 1.0, -1.0)],  # the reference rejects a negative eta
        hints=HINTS,
    )
    r = broken.check(good)
    assert r.status == "error"
    assert "bug of the course" in r.message


# ----- 5. tolerances -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "expected, got, ok",
    [
        (0.0, 1e-12, True),
        (0.0, 1e-9, False),
        (1e6, 1e6 + 1e-4, True),
        (1.0, 1.0 + 1e-6, False),
        (2.5, np.float64(2.5), True),
        (2.5, np.array(2.5), True),
        (2.5, np.float32(2.5), True),
        (np.float64(3.0), 3, True),
        (2.5, True, False),
        (np.array([1.0, 0.0]), np.array([1.0 + 1e-12, 1e-13]), True),
        (np.array([1.0, 2.0]), np.array([1.0, 2.1]), False),
        (np.array([1.0, 2.0]), np.array([1.0, 2.0, 3.0]), False),
        ((1.0, np.ones(2)), (1.0, np.ones(2)), True),
    ],
)
def test_compare_tolerances_and_number_kinds(expected, got, ok):
    assert compare(expected, got)[0] is ok


def test_compare_never_uses_bare_equality_on_arrays():
    ok, detail = compare("text", np.array([1.0, 2.0]))  # `==` here would be ambiguous
    assert not ok and "Wrong type" in detail


# ----- 6. global state -----------------------------------------------------------------------
def test_verdict_does_not_depend_on_global_random_state():
    wrong = lambda W_old, dL_dW, eta: W_old + eta * dL_dW  # noqa: E731
    fresh = Exercise(
        id="weight_update",
        lesson="01_slopes",
        reference=updates.weight_update,
        cases=ex.weight_update.cases,
        hints=HINTS,
    )
    np.random.seed(1)
    first = repr(fresh.check(wrong))
    np.random.random(1000)
    again = Exercise(
        id="weight_update",
        lesson="01_slopes",
        reference=updates.weight_update,
        cases=ex.weight_update.cases,
        hints=HINTS,
    )
    assert repr(again.check(wrong)) == first
    script = (
        "from backprop_lessons.exercises.spec import seed_for; print(seed_for('weight_update'))"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert outs == {f"{seed_for('weight_update')}\n"}


# ----- 7. hints and solution -----------------------------------------------------------------
def test_hint_ladder():
    exercise = Exercise(
        id="t_hints",
        lesson="01_slopes",
        reference=updates.weight_update,
        cases=[Case(1.0, 1.0, 0.1)],
        hints=["one", "two", "three"],
    )
    assert repr(exercise.hint()) == "Hint 1 of 3 (t_hints)\none"
    assert repr(exercise.hint()) == "Hint 2 of 3 (t_hints)\ntwo"
    assert repr(exercise.hint(1)) == "Hint 1 of 3 (t_hints)\none"
    assert exercise.hint().body == "three"
    assert "last hint" in exercise.hint().body
    with pytest.raises(ValueError, match="at least 2"):
        Exercise(id="x", lesson="l", reference=good, cases=[Case(1, 1, 1)], hints=["only"])


@pytest.mark.parametrize("n, words, body", [
    (4, "There are 3 hints; here is the last", "three"),
    (99, "There are 3 hints; here is the last", "three"),
    (0, "Hints are numbered 1 to 3; here is hint 1", "one"),
    ("2", "'2' is not a hint number, so here is hint 1", "one"),
])
def test_hint_out_of_range_answers_in_words(n, words, body):
    exercise = Exercise(id="t_hints", lesson="01_slopes", reference=updates.weight_update,
                        cases=[Case(1.0, 1.0, 0.1)], hints=["one", "two", "three"])
    shown = exercise.hint(n)
    assert shown.body.startswith(body)
    assert words in shown.body


def test_solution_shows_the_teaching_form_not_the_package_source():
    shown = ex.weight_update.solution()
    assert repr(shown) == ("Solution of weight_update (one way to write it)\n"
                           "def weight_update(W_old, dL_dW, eta):\n"
                           "    return W_old - eta * dL_dW")
    assert "_checked" not in repr(shown)
    assert "<pre" in shown._repr_html_()


def test_stub_and_solution_cell_sources():
    assert ex.weight_update.stub_source() == (
        "def weight_update(W_old, dL_dW, eta):\n"
        '    """One gradient-descent step for a weight: ``W_new = W_old - eta * dL_dW``."""\n'
        "    # YOUR CODE HERE\n"
        "    ...\n"
    )
    assert "def numerical_derivative(f, x, h=1e-05):" in ex.numerical_derivative.stub_source()
    assert ex.weight_update.solution_cell() == (
        "def weight_update(W_old, dL_dW, eta):\n    return W_old - eta * dL_dW\n"
    )


# ----- 8. rendering --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "fn, icon, words",
    [
        (good, "✓", "passed"),
        (lambda W_old, dL_dW, eta: W_old, "✗", "not right yet"),
        (lambda W_old, dL_dW, eta: 1 / 0, "⚠", "error"),
        (_stub_ellipsis, "○", "not attempted yet"),
    ],
)
def test_text_and_html_render_icon_and_words_deterministically(fn, icon, words):
    r1, r2 = ex.weight_update.check(fn), ex.weight_update.check(fn)
    text, html = repr(r1), r1._repr_html_()
    assert text == repr(r2) and html == r2._repr_html_()
    assert text.startswith(f"{icon} weight_update: {words}")
    assert f"{icon} weight_update: {words}" in html
    for pattern in (r"0x[0-9a-f]{4,}", r"\d+\.\d+ ?m?s\b", r"np\.float64"):
        assert not re.search(pattern, text), pattern
        assert not re.search(pattern, html), pattern


def test_function_inputs_render_by_label_or_name():
    assert fmt_value(labelled("f(x) = x²", lambda x: x * x)) == "f(x) = x²"
    assert fmt_value(np.sin) == "sin"
    assert fmt_value(lambda x: x) == "a function"
    assert fmt_value(np.float64(0.1)) == "0.1"
    r = ex.numerical_derivative.check(lambda f, x, h=1e-5: (f(x + h) - f(x)) / h)
    assert "  f = f(x) = x²\n  x = 3.0" in r.message


def test_check_result_rejects_an_unknown_status():
    with pytest.raises(ValueError, match="status must be one of"):
        CheckResult("x", "maybe", "")


# ----- 10. version stamp ---------------------------------------------------------------------
def test_written_for(recwarn):
    import backprop_lessons
    from backprop_lessons.exercises import VersionMismatchWarning, written_for

    assert written_for(backprop_lessons.__version__) is None
    assert len(recwarn) == 0
    with pytest.warns(VersionMismatchWarning) as caught:
        written_for("0.0.1")
    text = str(caught[0].message)
    assert "written for backprop_lessons 0.0.1" in text
    assert f"{backprop_lessons.__version__} is installed" in text
    assert "pip install -U backprop-lessons" in text and "pip install -e ." in text
    assert issubclass(VersionMismatchWarning, UserWarning)


def test_written_for_prints_nothing_when_it_matches(capsys):
    import backprop_lessons
    from backprop_lessons.exercises import written_for

    written_for(backprop_lessons.__version__)
    assert capsys.readouterr() == ("", "")


# ----- light import --------------------------------------------------------------------------
def test_import_does_not_load_matplotlib_or_ipywidgets():
    code = (
        "import sys, backprop_lessons.exercises as e; e.lesson_01.weight_update;"
        "e.all_exercises();"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'ipywidgets')];"
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_in_place_detection_compares_plain_objects_by_their_attributes():
    import copy

    from backprop_lessons.exercises.compare import same_value
    from backprop_lessons.maths.network import Network

    net = Network([2, 3, 1], seed=0)
    twin = copy.deepcopy(net)
    assert same_value(net, twin)
    twin.layers[0].W[0, 0] += 1.0
    assert not same_value(net, twin)


def test_compare_errors_treats_every_rounding_level_error_alike():
    from backprop_lessons.exercises.compare import compare_errors

    assert compare_errors(3e-10, 7e-9)[0]
    assert compare_errors(0.0, 1e-8)[0]
    assert not compare_errors(3e-10, 2e-8)[0]
    assert not compare_errors(0.25, 0.3)[0]
    assert compare_errors(0.25, 0.25)[0]


def test_in_place_can_name_a_declared_misconception():
    import numpy as np

    from backprop_lessons.exercises.spec import Case, Exercise, Misconception
    from backprop_lessons.maths import updates

    def nudged(W_old, dL_dW, eta):
        W_old -= eta * dL_dW
        return W_old.copy()

    spec = dict(id="inplace_demo", lesson="99_demo", reference=updates.weight_update,
                cases=[Case(np.array([1.0, 2.0]), np.array([0.5, 0.5]), 0.1)],
                hints=["a", "b"],
                misconceptions=[Misconception("kept the change", nudged, "Undo it.")])
    named = Exercise(**spec, in_place="kept the change").check(nudged)
    assert named.status == "failed" and named.misconception == "kept the change"
    assert "Known mistake (kept the change): Undo it." in named.message
    generic = Exercise(**spec).check(nudged)
    assert "changed its input `W_old` in place" in generic.message
    with pytest.raises(ValueError, match="in_place must name one of its misconceptions"):
        Exercise(**spec, in_place="no such mistake")


def test_in_place_mapping_names_the_mistake_only_for_the_nudged_input():
    import numpy as np

    from backprop_lessons.exercises.spec import Case, Exercise, Misconception
    from backprop_lessons.maths import updates

    def nudged(W_old, dL_dW, eta):
        W_old -= eta * dL_dW
        return W_old.copy()

    def gradient_scaled(W_old, dL_dW, eta):
        dL_dW *= eta
        return W_old - dL_dW

    spec = dict(id="inplace_demo", lesson="99_demo", reference=updates.weight_update,
                cases=[Case(np.array([1.0, 2.0]), np.array([0.5, 0.5]), 0.1)],
                hints=["a", "b"],
                misconceptions=[Misconception("kept the change", nudged, "Undo it.")],
                in_place={"W_old": "kept the change"})
    named = Exercise(**spec).check(nudged)
    assert named.status == "failed" and named.misconception == "kept the change"
    other = Exercise(**spec).check(gradient_scaled)
    assert other.status == "failed" and other.misconception is None
    assert "changed its input `dL_dW` in place" in other.message
    assert "Known mistake" not in other.message
    with pytest.raises(ValueError, match="in_place must map input names to names of its"):
        Exercise(**{**spec, "in_place": {"W_old": "no such mistake"}})


def test_a_comparator_with_a_case_parameter_sees_the_case():
    from backprop_lessons.exercises.spec import Case, Exercise
    from backprop_lessons.maths import updates

    seen = []

    def any_multiple(expected, got, case=None):
        seen.append(case)
        if case is None:
            return (expected == got), ""
        return (abs(got / case.args[1] - round(got / case.args[1])) < 1e-12), "not a multiple"

    ex_ = Exercise(id="case_demo", lesson="99_demo", reference=updates.weight_update,
                   cases=[Case(1.0, 0.5, 0.1)], hints=["a", "b"], compare=any_multiple)
    assert ex_.check(lambda W_old, dL_dW, eta: 2.0).passed  # any multiple of 0.5 passes
    assert isinstance(seen[-1], Case) and seen[-1].args == (1.0, 0.5, 0.1)
    assert not ex_.check(lambda W_old, dL_dW, eta: 0.3).passed
