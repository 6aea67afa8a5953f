"""One value describer: validate.kind (what sort of value) under validate.describe (the value
too) and the check engine's describe_type (an answer, or a value from the learner's process)."""

import numpy as np
import pytest

from backprop_lessons.exercises.compare import describe_type
from backprop_lessons.exercises.values import Foreign
from backprop_lessons.maths.validate import describe, kind


@pytest.mark.parametrize("value, words", [
    (None, "None"),
    (3, "a number"),
    (2.5, "a number"),
    (np.float32(2.0), "a number"),
    (np.array(3.0), "a number"),
    (np.array(True), "an array of shape () and dtype bool"),
    (True, "a bool"),
    ([1, 2], "a list of 2 items"),
    ((1,), "a tuple of 1 item"),
    (np.zeros((2, 3)), "an array of shape (2, 3) and dtype float64"),
    (np.ma.array([1.0, 2.0]), "a masked array of shape (2,)"),
    ("text", "a str"),
    ({"a": 1}, "a dict"),
])
def test_kind_names_the_sort_of_value_and_describe_type_says_the_same(value, words):
    assert kind(value) == words
    assert describe_type(value) == words


def test_describe_shows_the_value_and_the_same_words_for_an_array():
    a = np.ones((4, 1), dtype=np.float32)
    assert describe(a) == kind(a) == "an array of shape (4, 1) and dtype float32"
    assert describe(2) == "the number 2.0"
    assert describe(True) == "the bool True"
    assert describe("x" * 100).startswith("str 'xxx") and describe("x" * 100).endswith("...")


def test_a_value_from_the_learners_process_keeps_its_own_description():
    assert describe_type(Foreign("Widget", text="a Widget that could not be read")) == \
        "a Widget that could not be read"
    assert describe_type(Foreign("Widget", why="no plain form")) == \
        "a Widget object (no plain form)"
