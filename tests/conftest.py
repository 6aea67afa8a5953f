import numpy as np
import pytest

from backprop_lessons.gradcheck import relative_error


def central_diff(f, x, h=1e-6):
    """Element-wise central difference of an element-wise function f at array x."""
    return (f(x + h) - f(x - h)) / (2 * h)


@pytest.fixture
def rel_err():
    return relative_error


@pytest.fixture
def rng():
    return np.random.default_rng(12345)
