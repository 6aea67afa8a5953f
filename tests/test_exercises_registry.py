"""Every registered exercise, automatically: its reference passes its own check, its stub is
"not attempted", and each declared misconception is caught with its message."""

import ast

import pytest

from backprop_lessons.exercises import all_exercises, get, lessons
from backprop_lessons.exercises.registry import LESSON_TITLES, lesson_modules

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
def test_reference_passes_its_own_check(ex):
    result = ex.check(ex.reference)
    assert result.status == "passed", repr(result)
    assert result.passed


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
def test_solution_cell_defines_a_passing_function(ex):
    namespace: dict = {}
    exec(ex.solution_cell(), namespace)
    assert namespace[ex.function_name] is ex.reference
    assert ex.check(namespace[ex.function_name]).passed


@pytest.mark.parametrize("ex", EXERCISES, ids=_ids)
def test_exercise_has_a_hint_ladder_and_misconceptions(ex):
    assert len(ex.hints) >= 2
    assert len(ex.misconceptions) >= 2
    assert ex.lesson in LESSON_TITLES


@pytest.mark.parametrize(
    "ex, mis", MISCONCEPTIONS, ids=[f"{ex.id}-{m.name}" for ex, m in MISCONCEPTIONS]
)
def test_declared_misconception_is_caught_with_its_message(ex, mis):
    result = ex.check(mis.fn)
    assert result.status == "failed", repr(result)
    assert result.misconception == mis.name
    assert mis.message in result.message
