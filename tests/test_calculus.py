import math

import pytest

from backprop_lessons.maths.calculus import numerical_derivative, slope_sign, tangent_line


@pytest.mark.parametrize("f, df, x", [
    (lambda w: (w - 3.0) ** 2, lambda w: 2 * (w - 3.0), 1.2),
    (math.sin, math.cos, 0.7),
    (math.exp, math.exp, -1.3),
])
def test_numerical_derivative_matches_exact(f, df, x):
    assert numerical_derivative(f, x) == pytest.approx(df(x), rel=1e-8, abs=1e-9)


def test_tangent_line_touches_the_curve_with_the_slope():
    f = lambda w: w ** 3  # noqa: E731
    slope, intercept = tangent_line(f, 2.0)
    assert slope == pytest.approx(12.0, rel=1e-8)
    assert slope * 2.0 + intercept == pytest.approx(8.0)


@pytest.mark.parametrize("s, sign", [(-0.5, -1), (2.0, 1), (0.0, 0), (1e-9, 0)])
def test_slope_sign(s, sign):
    assert slope_sign(s, tol=1e-8 if s == 1e-9 else 0.0) == sign


def test_errors_are_named():
    with pytest.raises(TypeError, match="f must be a function"):
        numerical_derivative(3.0, 1.0)
    with pytest.raises(ValueError, match="h must be a positive number, got -0.1"):
        numerical_derivative(math.sin, 1.0, h=-0.1)
    with pytest.raises(TypeError, match="x must be a single number"):
        numerical_derivative(math.sin, [1.0, 2.0])
    with pytest.raises(ValueError, match="slope must be finite"):
        slope_sign(float("nan"))
