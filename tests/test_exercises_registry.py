"""Every registered exercise, automatically: its teaching-form solution passes when run in the
lesson's namespace, the reference itself is told to write the formula, its stub is "not
attempted", each declared misconception is caught with its message, and no hostile answer
(NaN, inf, masked, an ndarray subclass, a lying object) is ever passed."""

import ast
import json
from pathlib import Path

import numpy as np
import pytest

from backprop_lessons.exercises import all_exercises, get, lessons
from backprop_lessons.exercises.registry import LESSON_TITLES, lesson_modules
from backprop_lessons.exercises.runner import CallOutcome, run_calls

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

EXERCISES = all_exercises()
MISCONCEPTIONS = [(ex, m) for ex in EXERCISES for m in ex.misconceptions]


def _ids(ex):
    return ex.id


def test_registry_finds_the_lesson_modules_and_groups_by_lesson():
    assert "backprop_lessons.exercises.lesson_01" in lesson_modules()
    assert "backprop_lessons.exercises.lesson_03" in lesson_modules()
    ids = [ex.id for ex in EXERCISES]
    assert {"numerical_derivative", "weight_update", "bias_update"} <= set(ids)
    assert len(ids) == len(set(ids))
    by_lesson = lessons()
    assert [ex.id for ex in by_lesson["01_slopes"].exercises][:2] == [
        "numerical_derivative",
        "weight_update",
    ]
    assert by_lesson["03_one_neuron"].title == "One neuron: weight and bias updates"
    keys = list(by_lesson)
    known = [k for k in LESSON_TITLES if k in keys]
    assert keys[: len(known)] == known  # teaching order
    assert get("bias_update").lesson == "03_one_neuron"


def test_get_unknown_id_names_it_and_lists_the_known_ones():
    with pytest.raises(KeyError, match="'no_such'.*weight_update"):
        get("no_such")


@pytest.mark.parametrize("ex", EXERCISES, ids=_ids)
def test_the_reference_itself_is_delegation_not_a_pass(ex):
    result = ex.check(ex.reference)
    assert result.status == "failed", repr(result)
    assert "write the formula yourself" in result.message
    assert not result.passed


def _setup_namespace(lesson_key: str) -> dict:
    """A fresh namespace with what the lesson's setup cell imports (numpy included)."""
    nb = json.loads((NOTEBOOKS / f"{lesson_key}.ipynb").read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "setup" in c.get("metadata", {}).get("tags", []))
    source = "\n".join(line for line in "".join(cell["source"]).splitlines()
                       if not line.lstrip().startswith("%"))
    namespace: dict = {"__name__": "__main__"}
    exec(source, namespace)
    return namespace


@pytest.mark.parametrize("ex", EXERCISES, ids=_ids)
def test_teaching_form_solution_runs_in_the_lesson_namespace_and_passes(ex):
    namespace = _setup_namespace(ex.lesson)
    exec(ex.solution_cell(), namespace)
    fn = namespace[ex.function_name]
    assert fn is not ex.reference
    result = ex.check(fn)
    assert result.status == "passed", repr(result)
    shown = ex.solution()
    if ex.adapt is None:
        assert shown.body.startswith(f"def {ex.function_name}(")
        assert len(shown.body.splitlines()) <= 20
    else:  # an answer that is a class (lesson 07's Value): a small class of a few methods
        assert shown.body.startswith(f"class {ex.function_name}:")
        assert len(shown.body.splitlines()) <= 45
    assert "import" not in shown.body and "raise" not in shown.body  # no validation noise


@pytest.mark.parametrize("ex", EXERCISES, ids=_ids)
def test_stub_is_not_attempted(ex):
    source = ex.stub_source()
    ast.parse(source)
    assert "# YOUR CODE HERE" in source
    namespace: dict = {}
    exec(source, namespace)
    result = ex.check(namespace[ex.function_name])
    assert result.status == "not attempted", repr(result)
    assert not result.passed


@pytest.mark.parametrize("ex", EXERCISES, ids=_ids)
def test_exercise_has_a_hint_ladder_and_misconceptions(ex):
    assert len(ex.hints) >= 2
    assert len(ex.misconceptions) >= 2
    assert ex.lesson in LESSON_TITLES


@pytest.mark.parametrize(
    "ex, mis", MISCONCEPTIONS, ids=[f"{ex.id}-{m.name}" for ex, m in MISCONCEPTIONS]
)
def test_declared_misconception_is_caught_with_its_message(ex, mis):
    # some known mistakes are written with the reference (e.g. "only the last W"): run them
    # without the delegation guard, as the output of a learner's own code
    calls = [(p.args, p.kwargs, p.originals) for p in ex.prepared_cases()]
    result = ex.judge(run_calls(mis.fn, calls, ex.time_limit, forbidden=None))
    assert result.status == "failed", repr(result)
    assert result.misconception == mis.name
    assert mis.message in result.message


# ----- answers that must never pass, on every exercise ----------------------------------------
class _Liar(np.ndarray):
    """An ndarray subclass that claims to equal everything."""

    def __eq__(self, other):
        return True

    __ne__ = __eq__


class _LyingObject:
    def __eq__(self, other):
        return True

    def __array__(self, dtype=None, copy=None):
        raise AssertionError("the checker must not convert a learner's object")

    def __float__(self):
        raise AssertionError("the checker must not convert a learner's object")


def _poison(value, kind):
    """The expected answer turned into a hostile one of the same shape."""
    if isinstance(value, dict):
        return {k: _poison(v, kind) for k, v in value.items()}
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        return type(value)(_poison(v, kind) for v in value)
    if isinstance(value, tuple):
        return tuple(_poison(v, kind) for v in value)
    numeric = not isinstance(value, (bool, str)) and np.asarray(value).dtype.kind in "iuf"
    arr = np.asarray(value, dtype=float) if numeric else np.asarray(1.0)
    if kind == "nan":
        return np.full_like(arr, np.nan) if arr.ndim else float("nan")
    if kind == "inf":
        return np.full_like(arr, np.inf) if arr.ndim else float("inf")
    if kind == "masked":
        return np.ma.masked_all(arr.shape)
    if kind == "subclass":
        return (arr * 0 + 12345.0).view(_Liar)
    return _LyingObject()


HOSTILE = ["nan", "inf", "masked", "subclass", "liar"]


@pytest.mark.parametrize("kind", HOSTILE)
@pytest.mark.parametrize("ex", EXERCISES, ids=_ids)
def test_hostile_answers_are_never_passed(ex, kind):
    outcomes = [CallOutcome(value=_poison(p.expected, kind)) for p in ex.prepared_cases()]
    result = ex.judge(outcomes)
    assert result.status == "failed", repr(result)
    assert not result.passed
    words = {"nan": "NaN", "inf": "inf", "masked": "masked", "subclass": "",
             "liar": "Wrong type"}[kind]
    assert words in result.message
