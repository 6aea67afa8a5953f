"""Exercises of lesson 01, "Slopes and the sign of the gradient": measure a slope
numerically, then take one gradient-descent step with it."""

from __future__ import annotations

import numpy as np

from backprop_lessons import calculus, updates

from . import misconceptions as m
from .spec import Case, Exercise, Misconception, labelled

__all__ = ["numerical_derivative", "weight_update"]

LESSON = "01_slopes"

_line = labelled("f(x) = 3x + 1", lambda x: 3.0 * x + 1.0)
_square = labelled("f(x) = x²", lambda x: x * x)
_cube = labelled("f(x) = x³", lambda x: x**3)
_sin = labelled("f(x) = sin(x)", np.sin)
_exp = labelled("f(x) = exp(x)", np.exp)

numerical_derivative = Exercise(
    id="numerical_derivative",
    lesson=LESSON,
    reference=calculus.numerical_derivative,
    cases=[
        Case(_line, 2.0, label="a straight line: the slope is 3 everywhere"),
        Case(_square, 3.0, label="a parabola: the slope at 3 is 6"),
        Case(_square, -1.5),
        Case(_sin, 1.0),
        Case(_exp, 0.5),
        Case(_cube, -2.0, h=1e-4, label="a cubic, with h = 1e-4"),
    ],
    hints=[
        "A slope is rise over run: how much f changes divided by how much x changes.",
        "Step a little to each side of x: evaluate f at x + h and at x − h.",
        "The two points are 2h apart: slope = (f(x + h) − f(x − h)) / (2 * h).",
    ],
    misconceptions=[
        Misconception(
            "forward difference",
            lambda f, x, h=1e-5: (f(x + h) - f(x)) / h,
            "You used a one-sided difference (f(x + h) − f(x)) / h: its error shrinks only "
            "like h. The central difference (f(x + h) − f(x − h)) / (2h) looks both ways "
            "and is far more accurate (its error shrinks like h²).",
        ),
        Misconception(
            "run of h instead of 2h",
            lambda f, x, h=1e-5: (f(x + h) - f(x - h)) / h,
            "Your slopes are twice too large: x − h and x + h are 2h apart, so divide the "
            "rise f(x + h) − f(x − h) by 2h, not by h.",
        ),
        Misconception(
            "reversed difference",
            lambda f, x, h=1e-5: (f(x - h) - f(x + h)) / (2 * h),
            "Your slopes have the wrong sign: rise over run goes from left to right, "
            "(f(x + h) − f(x − h)) / (2h); the reverse order flips every slope.",
        ),
    ],
)


def _weight_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case(W_old=0.5, dL_dW=2.0, eta=0.1, label="a positive slope: W must shrink"),
        Case(W_old=0.5, dL_dW=-2.0, eta=0.1, label="a negative slope: W must grow"),
        Case(W_old=-1.0, dL_dW=0.0, eta=0.5, label="a flat slope: W stays"),
        Case(W_old=2.0, dL_dW=3.0, eta=0.01),
        Case(
            W_old=rng.normal(size=(2, 3)).round(3),
            dL_dW=rng.normal(size=(2, 3)).round(3),
            eta=0.05,
            label="a 2×3 weight matrix",
        ),
    ]


weight_update = Exercise(
    id="weight_update",
    lesson=LESSON,
    reference=updates.weight_update,
    cases=_weight_cases,
    hints=[
        "Gradient descent goes downhill: against the slope ∂L/∂W.",
        "The step is the slope times the learning rate η (eta): η·∂L/∂W.",
        "W_new = W_old − eta * dL_dW (this works for numbers and numpy arrays alike).",
    ],
    misconceptions=[
        Misconception(
            "sign flipped",
            lambda W_old, dL_dW, eta: W_old + eta * dL_dW,
            m.SIGN_FLIPPED,
        ),
        Misconception(
            "learning rate forgotten",
            lambda W_old, dL_dW, eta: W_old - dL_dW,
            m.FORGOT_LEARNING_RATE,
        ),
        Misconception(
            "step without W_old",
            lambda W_old, dL_dW, eta: -eta * dL_dW,
            "You returned only the step −η·∂L/∂W. The new weight is the old weight moved "
            "by that step: W_new = W_old − η·∂L/∂W_old.",
        ),
    ],
)
