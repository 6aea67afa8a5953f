"""Exercise of lesson 00, "Start here": a warm-up to learn how exercises work
(write, check, read the feedback, ask for a hint)."""

from __future__ import annotations

import numpy as np

from backprop_lessons.maths import descent

from . import misconceptions as m
from .spec import Case, Exercise, Misconception

__all__ = ["descent_step"]

LESSON = "00_start_here"


def _step_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case(dL_dW=2.0, eta=0.1, label="a positive slope: the step is negative"),
        Case(dL_dW=-3.0, eta=0.5, label="a negative slope: the step is positive"),
        Case(dL_dW=0.0, eta=0.3, label="a flat slope: no step"),
        Case(dL_dW=3.14159265, eta=0.01, label="a slope with many digits: keep them all"),
        Case(
            dL_dW=rng.normal(size=(2, 2)).round(3),
            eta=0.2,
            label="a 2×2 matrix of slopes: one step per weight",
        ),
    ]


descent_step = Exercise(
    reference=descent.descent_step,
    solution='''\
def descent_step(dL_dW, eta):
    return -eta * dL_dW
''',
    cases=_step_cases,
    hints=[
        "Gradient descent walks downhill: the step points against the slope ∂L/∂W.",
        "Its size is the learning rate η (eta) times the slope.",
        "return -eta * dL_dW (the same line works for a number and for a numpy array).",
    ],
    misconceptions=[
        Misconception(
            "sign flipped",
            lambda dL_dW, eta: eta * dL_dW,
            "Your step points uphill: +η·∂L/∂W climbs the loss (gradient ascent). "
            "Descent goes against the slope: step = −η·∂L/∂W.",
        ),
        Misconception(
            "learning rate forgotten",
            lambda dL_dW, eta: -dL_dW,
            m.FORGOT_LEARNING_RATE,
        ),
        Misconception(
            "divided by the learning rate",
            lambda dL_dW, eta: -dL_dW / eta,
            "You divided by η: a small learning rate must give a small step, so multiply: "
            "step = −η·∂L/∂W.",
        ),
    ],
)
