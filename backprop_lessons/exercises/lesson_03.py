"""Exercises of lesson 03, "One neuron: weight and bias updates"."""

from __future__ import annotations

import numpy as np

from backprop_lessons import updates

from . import misconceptions as m
from .spec import Case, Exercise, Misconception

__all__ = ["bias_update"]

LESSON = "03_one_neuron"


def _bias_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case(b_old=0.0, dL_db=1.0, eta=0.1, label="a positive slope: b must shrink"),
        Case(b_old=0.2, dL_db=-0.5, eta=0.2, label="a negative slope: b must grow"),
        Case(
            b_old=rng.normal(size=(3, 1)).round(3),
            dL_db=rng.normal(size=(3, 1)).round(3),
            eta=0.1,
            label="a layer of 3 neurons: a column of biases, shape (3, 1)",
        ),
    ]


bias_update = Exercise(
    id="bias_update",
    lesson=LESSON,
    reference=updates.bias_update,
    cases=_bias_cases,
    hints=[
        "A bias is a weight whose input is always 1: it follows the same rule as a weight.",
        "b_new = b_old − η·∂L/∂b_old.",
        "return b_old - eta * dL_db (no reshaping: b_old and dL_db have the same shape).",
    ],
    misconceptions=[
        Misconception(
            "sign flipped",
            lambda b_old, dL_db, eta: b_old + eta * dL_db,
            m.SIGN_FLIPPED.replace("W_new = W_old − η·∂L/∂W_old", "b_new = b_old − η·∂L/∂b_old"),
        ),
        Misconception(
            "learning rate forgotten",
            lambda b_old, dL_db, eta: b_old - dL_db,
            m.FORGOT_LEARNING_RATE.replace("∂L/∂W_old", "∂L/∂b_old"),
        ),
        Misconception(
            "(n,) for (n, 1)",
            lambda b_old, dL_db, eta: np.ravel(b_old - eta * dL_db),
            "Your biases came back as a flat vector of shape (n,): a layer's biases are a "
            "column of shape (n, 1), one row per neuron, so that b lines up with W @ x. "
            "Keep the shape of b_old (no ravel, flatten or squeeze).",
        ),
    ],
)
