import numpy as np
import pytest

from backprop_lessons.maths import course_network as cn
from backprop_lessons.maths.gradcheck import relative_error


def central_diff(f, x, h=1e-6):
    """Element-wise central difference of an element-wise function f at array x."""
    return (f(x + h) - f(x - h)) / (2 * h)


@pytest.fixture
def rel_err():
    return relative_error


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


def rel_error(a: float, b: float) -> float:
    """|a - b| / max(1e-8, |a| + |b|) for two numbers."""
    return abs(a - b) / max(1e-8, abs(a) + abs(b))


def random_point(seed: int):
    """A random (x, y, params) of the course network."""
    rng = np.random.default_rng(seed)
    params = cn.random_params(rng)
    return float(rng.uniform(-2.0, 2.0)), float(rng.uniform(0.0, 1.0)), params


def assert_wrong(exercise, fn, mistake):
    """The wrong answer ``fn`` fails ``exercise``'s check, and is named ``mistake`` (a
    declared misconception) when one is given. Returns the CheckResult."""
    result = exercise.check(fn)
    assert result.status == "failed", result.message
    if mistake is not None:
        assert result.misconception == mistake, result.message
    return result


def solution(exercise, name=None, **lesson_names):
    """The exercise's teaching-form solution, defined as a learner's cell defines it: run
    with only ``lesson_names`` (what the lesson's setup cell imports) in scope. Returns the
    function (or class) called ``name``, by default the exercise's function name."""
    namespace = dict(lesson_names)
    exec(exercise.solution_cell(), namespace)  # noqa: S102 - the course's own answer key
    return namespace[name or exercise.function_name]
