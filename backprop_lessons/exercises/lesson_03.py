"""Exercises of lesson 03, "One neuron: weight and bias updates": the bias update, the
neuron's two gradients, one training step, and a fit over several epochs."""

from __future__ import annotations

import numpy as np

from backprop_lessons.maths import course_network, neuron, updates
from backprop_lessons.maths.activations import sigmoid

from . import misconceptions as m
from .spec import Case, Exercise, Misconception

__all__ = ["bias_update", "neuron_gradients", "train_step", "fit"]

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
    reference=updates.bias_update,
    solution='''\
def bias_update(b_old, dL_db, eta):
    return b_old - eta * dL_db
''',
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
        Misconception(
            "divided by the learning rate",
            lambda b_old, dL_db, eta: b_old - dL_db / eta,
            "You divided by η: a small learning rate must give a small step, so multiply: "
            "b_new = b_old − η·∂L/∂b_old.",
        ),
        Misconception(
            "step without b_old",
            lambda b_old, dL_db, eta: -eta * dL_db,
            "You returned only the step −η·∂L/∂b. The new bias is the old bias moved by "
            "that step: b_new = b_old − η·∂L/∂b_old.",
        ),
    ],
)


# --- the neuron's two gradients --------------------------------------------------------


def _output_neuron_case() -> Case:
    """O31 of the course network as one neuron: w = W4, x = O21, b = W5*O22 + b4."""
    x, y = course_network.default_example()
    p = course_network.default_params()
    f = course_network.forward(x, y, p)
    return Case(
        w=p["W4"], b=round(p["W5"] * f["O22"] + p["b4"], 6), x=round(f["O21"], 6), y=y,
        label="the output neuron O31 of the course network (w = W4, x = O21)",
    )


def _gradient_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case(w=2.0, b=-1.0, x=0.5, y=1.0, label="z = 0: y_hat = 0.5 and σ'(z) = 0.25"),
        Case(w=0.5, b=0.0, x=2.0, y=0.0, label="the prediction is too high: both positive"),
        _output_neuron_case(),
        Case(
            w=0.3, b=-0.2, x=rng.uniform(-2, 2, size=4).round(3),
            y=np.array([0.0, 1.0, 1.0, 0.0]),
            label="a batch of 4 examples: L is their mean, so each gradient is a mean",
        ),
    ]


def _delta(w, b, x, y, factor=2.0, activation_derivative=True):
    y_hat = sigmoid(w * np.asarray(x, dtype=float) + b)
    slope = -factor * (np.asarray(y, dtype=float) - y_hat)
    return slope * y_hat * (1.0 - y_hat) if activation_derivative else slope


def _grads_from(delta, x):
    return float(np.mean(delta * x)), float(np.mean(delta))


def _no_mean(w, b, x, y):
    delta = _delta(w, b, x, y)
    return delta * np.asarray(x, dtype=float), delta


def _summed(w, b, x, y):
    delta = _delta(w, b, x, y)
    return float(np.sum(delta * x)), float(np.sum(delta))


def _swapped(w, b, x, y):
    dL_dw, dL_db = _grads_from(_delta(w, b, x, y), x)
    return dL_db, dL_dw


def _sigma_prime_of_z(w, b, x, y):
    z = w * np.asarray(x, dtype=float) + b
    y_hat = sigmoid(z)
    return _grads_from(-2.0 * (np.asarray(y, dtype=float) - y_hat) * z * (1.0 - z), x)


neuron_gradients = Exercise(
    reference=neuron.gradients,
    solution='''\
def neuron_gradients(w, b, x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    y_hat = sigmoid(w * x + b)
    delta = -2 * (y - y_hat) * y_hat * (1 - y_hat)
    return np.mean(delta * x), np.mean(delta)
''',
    function_name="neuron_gradients",
    cases=_gradient_cases,
    hints=[
        "Two links from the loss to z: ∂L/∂y_hat = −2(y − y_hat) and ∂y_hat/∂z = σ'(z) = "
        "y_hat(1 − y_hat). Their product is the error signal δ = ∂L/∂z.",
        "From z = w·x + b: ∂z/∂w = x and ∂z/∂b = 1. So ∂L/∂w = δ·x and ∂L/∂b = δ.",
        "y_hat = sigmoid(w * x + b)\ndelta = -2 * (y - y_hat) * y_hat * (1 - y_hat)\n"
        "return float(np.mean(delta * x)), float(np.mean(delta))\n"
        "(np.mean makes it work for one example and for a batch: the loss is a mean.)",
    ],
    misconceptions=[
        Misconception(
            "dropped the factor 2",
            lambda w, b, x, y: _grads_from(_delta(w, b, x, y, factor=1.0), x),
            m.DROPPED_FACTOR_2,
        ),
        Misconception(
            "forgot the activation derivative",
            lambda w, b, x, y: _grads_from(_delta(w, b, x, y, activation_derivative=False), x),
            "The sigmoid's derivative is missing: y_hat = σ(z), so a change of z reaches the "
            "loss only after being scaled by σ'(z) = y_hat·(1 − y_hat). Multiply the loss "
            "slope −2(y − y_hat) by y_hat * (1 - y_hat) before using it.",
        ),
        Misconception(
            "bias gradient multiplied by x",
            lambda w, b, x, y: (
                _grads_from(_delta(w, b, x, y), x)[0], _grads_from(_delta(w, b, x, y), x)[0]
            ),
            "Your bias gradient was multiplied by x. In z = w·x + b the bias is added, not "
            "multiplied: ∂z/∂b = 1, so ∂L/∂b is the error signal δ itself.",
        ),
        Misconception(
            "per-example gradients, no mean",
            _no_mean,
            "You returned one gradient per example. The loss of a batch is the mean of "
            "the squared errors, so each gradient is the mean of the per-example "
            "gradients: np.mean(delta * x) and np.mean(delta), two numbers.",
        ),
        Misconception(
            "summed over the batch instead of the mean",
            _summed,
            "Your batch gradients are N times too large: you summed the per-example "
            "gradients. The loss here is the mean of the squared errors, "
            "L = (1/N)·Σ (y − y_hat)², so its gradients are means too: np.mean, not np.sum.",
        ),
        Misconception(
            "pair in the wrong order",
            _swapped,
            "Your two numbers are right but swapped: return (dL_dw, dL_db), the weight's "
            "gradient first, then the bias's.",
        ),
        Misconception(
            "σ'(z) written as z(1 − z)",
            _sigma_prime_of_z,
            "σ'(z) = σ(z)·(1 − σ(z)) = y_hat·(1 − y_hat): the formula takes the sigmoid's "
            "output, not its input z. Use y_hat * (1 - y_hat).",
        ),
    ],
)


# --- one training step ------------------------------------------------------------------


def _step_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case(w=2.0, b=-1.0, x=0.5, y=1.0, eta=1.0, label="z = 0, y = 1: both must grow"),
        Case(w=0.5, b=0.0, x=2.0, y=0.0, eta=0.5, label="too high: both must shrink"),
        Case(
            w=0.3, b=-0.2, x=rng.uniform(-2, 2, size=4).round(3),
            y=np.array([0.0, 1.0, 1.0, 0.0]), eta=0.8, label="a batch of 4 examples",
        ),
    ]


def _step_with_w_new(w, b, x, y, eta):
    dL_dw, _ = neuron.gradients(w, b, x, y)
    w_new = w - eta * dL_dw
    _, dL_db = neuron.gradients(w_new, b, x, y)
    return w_new, b - eta * dL_db


def _step_with_b_new(w, b, x, y, eta):
    _, dL_db = neuron.gradients(w, b, x, y)
    b_new = b - eta * dL_db
    dL_dw, _ = neuron.gradients(w, b_new, x, y)
    return w - eta * dL_dw, b_new


def _ascent_step(w, b, x, y, eta):
    dL_dw, dL_db = neuron.gradients(w, b, x, y)
    return w + eta * dL_dw, b + eta * dL_db


def _step_without_eta(w, b, x, y, eta):
    dL_dw, dL_db = neuron.gradients(w, b, x, y)
    return w - dL_dw, b - dL_db


train_step = Exercise(
    reference=neuron.train_step,
    solution='''\
def train_step(w, b, x, y, eta):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    y_hat = sigmoid(w * x + b)
    delta = -2 * (y - y_hat) * y_hat * (1 - y_hat)
    dL_dw, dL_db = np.mean(delta * x), np.mean(delta)
    return w - eta * dL_dw, b - eta * dL_db
''',
    cases=_step_cases,
    hints=[
        "Compute both gradients first, at the current w and b (your neuron_gradients, or "
        "bl.neuron.gradients). Only then move w and b.",
        "w_new = w − η·∂L/∂w and b_new = b − η·∂L/∂b: the same rule for both.",
        "dL_dw, dL_db = neuron_gradients(w, b, x, y)\n"
        "return w - eta * dL_dw, b - eta * dL_db",
    ],
    misconceptions=[
        Misconception("bias gradient at w_new", _step_with_w_new, m.USED_W_NEW
                      + " Here ∂L/∂b was computed after w had already moved."),
        Misconception("weight gradient at b_new", _step_with_b_new, m.USED_W_NEW
                      + " Here ∂L/∂w was computed after b had already moved."),
        Misconception("sign flipped", _ascent_step, m.SIGN_FLIPPED),
        Misconception("learning rate forgotten", _step_without_eta, m.FORGOT_LEARNING_RATE),
        Misconception(
            "bias moved with dL/dw",
            lambda w, b, x, y, eta: (
                neuron.train_step(w, b, x, y, eta)[0],
                b - eta * neuron.gradients(w, b, x, y)[0],
            ),
            "Your bias moved with the weight's gradient ∂L/∂w. Each parameter follows its "
            "own slope: b_new = b − η·∂L/∂b (the second number of the gradient pair).",
        ),
        Misconception(
            "returned the gradients",
            lambda w, b, x, y, eta: neuron.gradients(w, b, x, y),
            "You returned the gradients (∂L/∂w, ∂L/∂b), not the new parameters. A step "
            "moves each parameter by its gradient: return (w − η·∂L/∂w, b − η·∂L/∂b).",
        ),
        Misconception(
            "pair in the wrong order",
            lambda w, b, x, y, eta: neuron.train_step(w, b, x, y, eta)[::-1],
            "Your two numbers are right but swapped: return (w_new, b_new), the weight "
            "first, then the bias.",
        ),
    ],
)


# --- a fit over several epochs -----------------------------------------------------------


def _fit_cases(rng: np.random.Generator) -> list[Case]:
    x, y = neuron.toy_data(n=8, seed=int(rng.integers(1000)))
    return [
        Case(w=0.0, b=0.0, x=1.0, y=1.0, eta=1.0, epochs=1,
             label="one epoch: the history holds the loss before the step"),
        Case(w=0.0, b=0.0, x=np.array([-1.0, 1.0]), y=np.array([0.0, 1.0]), eta=1.0,
             epochs=3, label="3 epochs on 2 examples"),
        Case(w=0.5, b=0.5, x=x.round(3), y=y.round(3), eta=2.0, epochs=40,
             label="40 epochs on 8 examples from the toy data"),
    ]


def _fit_loss_after(w, b, x, y, eta, epochs):
    losses = []
    for _ in range(epochs):
        w, b = neuron.train_step(w, b, x, y, eta)
        losses.append(neuron.loss(w, b, x, y))
    return w, b, np.array(losses)


def _fit_w_new(w, b, x, y, eta, epochs):
    losses = []
    for _ in range(epochs):
        losses.append(neuron.loss(w, b, x, y))
        w, b = _step_with_w_new(w, b, x, y, eta)
    return w, b, np.array(losses)


def _fit_not_carried(w, b, x, y, eta, epochs):
    losses = []
    w_new, b_new = w, b
    for _ in range(epochs):
        losses.append(neuron.loss(w, b, x, y))
        w_new, b_new = neuron.train_step(w, b, x, y, eta)
    return w_new, b_new, np.array(losses)


def _fit_one_loss_more(w, b, x, y, eta, epochs):
    w_new, b_new, losses = neuron.fit(w, b, x, y, eta, epochs)
    return w_new, b_new, np.append(losses, neuron.loss(w_new, b_new, x, y))


def _fit_summed_loss(w, b, x, y, eta, epochs):
    w_new, b_new, losses = neuron.fit(w, b, x, y, eta, epochs)
    return w_new, b_new, losses * np.size(x)


fit = Exercise(
    reference=neuron.fit,
    solution='''\
def fit(w, b, x, y, eta, epochs):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    losses = []
    for _ in range(epochs):
        y_hat = sigmoid(w * x + b)
        losses.append(np.mean((y - y_hat) ** 2))
        delta = -2 * (y - y_hat) * y_hat * (1 - y_hat)
        w, b = w - eta * np.mean(delta * x), b - eta * np.mean(delta)
    return w, b, np.array(losses)
''',
    cases=_fit_cases,
    hints=[
        "An epoch is: measure the loss at the current (w, b), write it down, then take one "
        "training step on all the examples. Repeat `epochs` times.",
        "Keep a list `losses`. In a loop over range(epochs): losses.append(loss at w, b), "
        "then w, b = train_step(w, b, x, y, eta) so that the next epoch starts where this "
        "one ended. The loss is np.mean((y - sigmoid(w * x + b)) ** 2).",
        "losses = []\nfor _ in range(epochs):\n"
        "    losses.append(float(np.mean((y - sigmoid(w * x + b)) ** 2)))\n"
        "    w, b = train_step(w, b, x, y, eta)\nreturn w, b, np.array(losses)",
    ],
    misconceptions=[
        Misconception(
            "loss recorded after the step",
            _fit_loss_after,
            "Your history is shifted by one epoch: you recorded the loss after each step. "
            "Record it before the step, so that losses[0] is the loss of the starting "
            "(w, b) and the curve shows where training began.",
        ),
        Misconception("bias gradient at w_new", _fit_w_new, m.USED_W_NEW),
        Misconception(
            "steps not carried over",
            _fit_not_carried,
            "Your w and b never moved on: every epoch started again from the initial (w, b), "
            "so the loss stayed the same. Carry each step's result into the next epoch: "
            "w, b = train_step(w, b, x, y, eta).",
        ),
        Misconception(
            "one loss too many",
            _fit_one_loss_more,
            "Your history holds epochs + 1 losses: you also recorded the loss after the "
            "last step. Record exactly one loss per epoch, before its step, so the history "
            "has `epochs` entries (the final loss is then not in it; the final (w, b) is).",
        ),
        Misconception(
            "loss summed, not averaged",
            _fit_summed_loss,
            "Your losses are N times too large: you summed the squared errors. The loss is "
            "their mean, np.mean((y - y_hat) ** 2), the L whose gradients train_step uses.",
        ),
        Misconception(
            "losses returned first",
            lambda w, b, x, y, eta, epochs: (neuron.fit(w, b, x, y, eta, epochs)[2],
                                             *neuron.fit(w, b, x, y, eta, epochs)[:2]),
            "Your three values are in the wrong order: return (w, b, losses), the final "
            "parameters first, then the history.",
        ),
    ],
)
