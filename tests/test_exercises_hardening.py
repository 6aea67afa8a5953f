"""Checks that never break, never hang and never lie: hostile and careless answers.

One test per behaviour; each asserts the status and the key words of the message.
"""

import signal
import sys

import numpy as np
import pytest

from backprop_lessons.exercises import Case, Exercise, runner
from backprop_lessons.exercises import lesson_01 as ex
from backprop_lessons.exercises import lesson_05 as ex5
from backprop_lessons.exercises import lesson_08 as ex8
from backprop_lessons.exercises.compare import comparator, compare
from backprop_lessons.exercises.runner import IN_PROCESS_ENV, isolation_available
from backprop_lessons.exercises.spec import MAX_MESSAGE
from backprop_lessons.maths import updates

HINTS = ["first hint", "second hint"]
needs_fork = pytest.mark.skipif(not isolation_available(), reason="no fork here")


def good(W_old, dL_dW, eta):
    return W_old - eta * dL_dW


def _quick(time_limit=0.5):
    """A cheap exercise with a short time limit (the hang tests wait for it)."""
    return Exercise(id="t_quick", lesson="01_slopes", reference=updates.weight_update,
                    cases=[Case(0.5, 2.0, 0.1)], hints=HINTS, time_limit=time_limit)


@pytest.fixture
def in_process(monkeypatch):
    monkeypatch.setenv(IN_PROCESS_ENV, "1")
    assert not isolation_available()


# ----- 1. check() never raises --------------------------------------------------------------
@pytest.mark.parametrize("path", ["forked", "in process"])
def test_a_raised_recursion_limit_never_lets_the_engine_raise(path, monkeypatch):
    if path == "in process":
        monkeypatch.setenv(IN_PROCESS_ENV, "1")
    elif not isolation_available():
        pytest.skip("no fork here")

    def weight_update(W_old, dL_dW, eta):
        return weight_update(W_old, dL_dW, eta)

    old = sys.getrecursionlimit()
    sys.setrecursionlimit(20_000)
    try:
        r = ex.weight_update.check(weight_update)
    finally:
        sys.setrecursionlimit(old)
    assert r.status == "error"
    assert "RecursionError" in r.message
    assert "the same line again" in r.message  # repeated frames collapsed
    assert len(r.message) < 3000


def test_a_learner_keyboard_interrupt_is_an_error_of_the_answer():
    def weight_update(W_old, dL_dW, eta):
        raise KeyboardInterrupt

    r = ex.weight_update.check(weight_update)
    assert r.status == "error" and "KeyboardInterrupt" in r.message


@needs_fork
def test_an_answer_that_ends_the_process_is_told_so():
    import os

    r = ex.weight_update.check(lambda W_old, dL_dW, eta: os._exit(3))
    assert r.status == "error"
    assert "ended with exit code 3" in r.message


# ----- 2. a time limit no answer can defeat ------------------------------------------------
def _bare_except_loop(W_old, dL_dW, eta):
    while True:
        try:
            while True:
                pass
        except:  # noqa: E722 - the point of the test
            pass


def _alarm_off(W_old, dL_dW, eta):
    signal.alarm(0)
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    while True:
        pass


def _nested_check(W_old, dL_dW, eta):
    ex.weight_update.check(good)  # a nested check must not switch the outer limit off
    while True:
        pass


def _long_c_call(W_old, dL_dW, eta):
    a = np.random.default_rng(0).random((2500, 2500))
    for _ in range(100):
        np.linalg.svd(a)  # seconds inside LAPACK, no Python bytecode to interrupt
    return W_old


@pytest.mark.slow
@needs_fork
@pytest.mark.parametrize("answer", [_bare_except_loop, _alarm_off, _nested_check, _long_c_call],
                         ids=["bare-except", "alarm-off", "nested-check", "long-C-call"])
def test_the_time_limit_cannot_be_defeated(answer):
    r = _quick(0.5).check(answer)
    assert r.status == "error"
    assert "did not finish within 0.5 s" in r.message


def _swallow_once(W_old, dL_dW, eta):
    try:
        while True:
            pass
    except:  # noqa: E722 - swallows the first alarm
        pass
    while True:
        pass


@pytest.mark.slow
def test_in_process_the_repeating_timer_stops_an_answer_that_swallows_one_alarm(in_process):
    # (in process, an answer that swallows every alarm in a loop cannot be stopped: that
    # is what the forked child is for)
    r = _quick(0.3).check(_swallow_once)
    assert r.status == "error"
    assert "did not finish within 0.3 s" in r.message


@needs_fork
def test_what_the_answer_prints_is_forwarded(capsys):
    def weight_update(W_old, dL_dW, eta):
        print("looking at", W_old)
        return W_old - eta * dL_dW

    assert ex.weight_update.check(weight_update).passed
    assert "looking at 0.5" in capsys.readouterr().out


@needs_fork
def test_the_answer_runs_in_a_child_so_the_notebook_is_untouched():
    marker = []

    def weight_update(W_old, dL_dW, eta):
        marker.append(1)  # happens in the child's memory
        return W_old - eta * dL_dW

    assert ex.weight_update.check(weight_update).passed
    assert marker == []


def test_in_process_path_gives_the_same_verdicts(in_process):
    assert ex.weight_update.check(good).passed
    r = ex.weight_update.check(lambda W_old, dL_dW, eta: W_old + eta * dL_dW)
    assert r.misconception == "sign flipped"


# ----- 3. verdicts that are right -----------------------------------------------------------
def test_nan_from_h_zero_is_never_a_pass():
    def central_difference_gradient(f, param, h=1e-6):
        h = 0.0
        grad = np.zeros(param.shape)
        for i in np.ndindex(param.shape):
            old = param[i]
            param[i] = old + h
            up = f(param)
            param[i] = old - h
            down = f(param)
            param[i] = old
            with np.errstate(all="ignore"):
                grad[i] = np.divide(up - down, 2 * h)  # 0 / 0 = nan
        return grad

    r = ex8.central_difference_gradient.check(central_difference_gradient)
    assert r.status == "failed"
    assert "Not a finite number" in r.message and "nan" in r.message.lower()


def test_a_fully_masked_array_is_refused():
    r = ex.weight_update.check(
        lambda W_old, dL_dW, eta: np.ma.masked_all(np.shape(W_old)) if np.ndim(W_old)
        else W_old - eta * dL_dW)
    assert r.status == "failed" and "masked array" in r.message


def test_a_lying_ndarray_subclass_is_read_as_its_plain_numbers():
    class Liar(np.ndarray):
        def __eq__(self, other):
            return True

    def weight_update(W_old, dL_dW, eta):
        out = np.asarray(W_old - eta * dL_dW, dtype=float)
        return (out * 0 + 7).view(Liar) if out.ndim else float(out)

    r = ex.weight_update.check(weight_update)
    assert r.status == "failed"
    assert "first mismatch" in r.message


def test_an_object_whose_repr_and_conversion_raise_is_the_learners_error():
    class Thing:
        def __repr__(self):
            raise RuntimeError("no repr")

        def __float__(self):
            raise RuntimeError("no float")

        def __eq__(self, other):
            return True

    r = ex.weight_update.check(lambda W_old, dL_dW, eta: Thing())
    assert r.status == "failed"
    assert "Wrong type" in r.message and "Thing object" in r.message
    assert "bug of the course" not in r.message


def test_float32_answers_pass_and_the_message_says_so():
    def weight_update(W_old, dL_dW, eta):
        return (np.float32(W_old) - np.float32(eta) * np.asarray(dL_dW, dtype=np.float32))

    r = ex.weight_update.check(weight_update)
    assert r.status == "passed"
    assert "float32" in r.message and "7 significant digits" in r.message


def test_an_exercise_about_precision_wants_float64():
    def numerical_derivative(f, x, h=1e-5):
        x, h = np.float32(x), np.float32(h)
        return np.float32((f(x + h) - f(x - h)) / (2 * h))

    r = ex.numerical_derivative.check(numerical_derivative)
    assert r.status == "failed"
    assert "float64" in r.message


def test_a_python_float_right_to_float32_precision_only_says_so():
    r = ex.weight_update.check(
        lambda W_old, dL_dW, eta: float(np.float32(W_old - eta * dL_dW)) if np.ndim(W_old) == 0
        else W_old - eta * dL_dW)
    assert r.status == "failed"
    assert "7 significant digits" in r.message and "float32" in r.message


# ----- 4. delegation is not an answer -------------------------------------------------------
def _delegating_call(W_old, dL_dW, eta):
    return updates.weight_update(W_old, dL_dW, eta)


def _delegating_helper(W_old, dL_dW, eta):
    def helper(*args):
        return updates.weight_update(*args)
    return helper(W_old, dL_dW, eta)


@pytest.mark.parametrize("answer", [_delegating_call, _delegating_helper,
                                    updates.weight_update],
                         ids=["call", "through-a-helper", "the-function-itself"])
def test_delegation_is_told_to_write_the_formula(answer, tmp_path, monkeypatch):
    from backprop_lessons.exercises.progress import ENV_VAR, flush, progress

    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    r = ex.weight_update.check(answer)
    assert r.status == "failed"
    assert "write the formula yourself" in r.message and "updates.weight_update" in r.message
    assert flush()
    row = next(x for x in progress().as_dict()["lessons"] if x["lesson"] == "01_slopes")
    entry = next(e for e in row["exercises"] if e["id"] == "weight_update")
    assert entry["status"] == "failed"


def test_the_reference_works_again_after_a_check(in_process):
    ex.weight_update.check(_delegating_call)  # in process the reference is swapped and back
    assert updates.weight_update(1.0, 1.0, 0.5) == 0.5


# ----- 6. bounded messages ------------------------------------------------------------------
def test_a_million_item_answer_is_summarised():
    big = list(range(1_000_000))
    r = ex.weight_update.check(lambda W_old, dL_dW, eta: big)
    assert r.status == "failed"
    assert "a list of 1000000 items (far more than the expected answer" in r.message
    assert len(r.message) <= MAX_MESSAGE


def test_a_huge_error_message_is_cut():
    def weight_update(W_old, dL_dW, eta):
        raise ValueError("x" * 1_000_000)

    r = ex.weight_update.check(weight_update)
    assert r.status == "error"
    assert "characters in all" in r.message and len(r.message) < 2000


def test_an_exception_whose_str_raises_is_still_shown():
    class Odd(Exception):
        def __str__(self):
            raise RuntimeError("no")

    def weight_update(W_old, dL_dW, eta):
        raise Odd

    r = ex.weight_update.check(weight_update)
    assert r.status == "error" and "Odd" in r.message


# ----- 9. the comparator kit ----------------------------------------------------------------
def test_mappings_compare_key_by_key_with_named_keys():
    ok, detail = compare({"W": np.ones(2), "b": 0.5}, {"W": np.ones(2), "b": 0.25})
    assert not ok and detail.startswith("b: ")
    ok, detail = compare({"W": 1.0, "b": 0.5}, {"W": 1.0})
    assert not ok and "Wrong keys" in detail and "missing ['b']" in detail
    assert compare({"W": 1.0}, {"W": np.float64(1.0)}) == (True, "")


def test_sequences_and_arrays_stand_for_each_other():
    assert compare([1.0, 2.0], np.array([1.0, 2.0]))[0]
    assert compare((1.0, 2.0), [1.0, 2.0])[0]
    assert compare(np.array([[1.0, 2.0]]), [[1.0, 2.0]])[0]
    ok, detail = compare(np.array([1.0, 2.0]), [1.0, 2.0, 3.0])
    assert not ok and "shape (2,)" in detail


def test_tolerances_are_arguments():
    loose = comparator(rtol=1e-3, atol=0.0)
    assert loose(1.0, 1.0005)[0]
    assert not compare(1.0, 1.0005)[0]
    strict = comparator(float32=False)
    ok, detail = strict(np.array([0.1, 0.2]), np.array([0.1, 0.2], dtype=np.float32))
    assert not ok and "float64" in detail


def test_no_lesson_module_writes_its_own_dict_or_sequence_comparator():
    import inspect

    from backprop_lessons.exercises import lesson_01, lesson_03, lesson_06, lesson_07, lesson_09

    for module in (lesson_01, lesson_03, lesson_06, lesson_07, lesson_09):
        source = inspect.getsource(module)
        assert "isinstance(got, Mapping)" not in source, module.__name__
        assert "got.ndim == 1" not in source, module.__name__


# ----- defaults ----------------------------------------------------------------------------
def test_id_defaults_to_the_function_name_and_lesson_to_the_module():
    namespace = {"__name__": "backprop_lessons.exercises.lesson_03"}
    exec("from backprop_lessons.exercises import Exercise, Case\n"
         "from backprop_lessons.maths import updates\n"
         "made = Exercise(reference=updates.bias_update, cases=[Case(1.0, 1.0, 0.1)],\n"
         "                hints=['a', 'b'])\n", namespace)
    made = namespace["made"]
    assert (made.id, made.lesson) == ("bias_update", "03_one_neuron")
    with pytest.raises(ValueError, match="lesson must be a non-empty str"):
        Exercise(reference=updates.bias_update, cases=[Case(1.0, 1.0, 0.1)], hints=HINTS)


def test_judge_reads_outcomes_of_another_process_as_plain_data():
    outcomes = ex5.two_layer_backward.run(ex5.two_layer_backward.reference)
    assert outcomes[0].delegated
    calls = [(p.args, p.kwargs, p.originals) for p in ex5.two_layer_backward.prepared_cases()]
    fresh = runner.run_calls(ex5.two_layer_backward.reference, calls, 3.0, forbidden=None)
    assert all(o.plain for o in fresh) or not isolation_available()
    assert ex5.two_layer_backward.judge(fresh).passed
