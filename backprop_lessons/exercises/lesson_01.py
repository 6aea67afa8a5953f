"""Exercises of lesson 01, "Slopes and the sign of the gradient": measure a slope
numerically, then take one gradient-descent step with it."""

from __future__ import annotations

import numpy as np

from backprop_lessons.maths import calculus, descent, updates

from . import misconceptions as m
from .compare import comparator
from .spec import Case, Exercise, Misconception, labelled

__all__ = ["numerical_derivative", "weight_update", "step_direction", "predicted_loss_change",
           "gradient_descent_1d"]

LESSON = "01_slopes"

_line = labelled("f(x) = 3x + 1", lambda x: 3.0 * x + 1.0)
_square = labelled("f(x) = x²", lambda x: x * x)
_cube = labelled("f(x) = x³", lambda x: x**3)
_sin = labelled("f(x) = sin(x)", np.sin)
_exp = labelled("f(x) = exp(x)", np.exp)

numerical_derivative = Exercise(
    reference=calculus.numerical_derivative,
    solution='''\
def numerical_derivative(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)
''',
    compare=comparator(float32=False),  # it teaches precision: h and rounding
    cases=[
        Case(_line, 2.0, label="a straight line: the slope is 3 everywhere"),
        Case(_square, 3.0, label="a parabola: the slope at 3 is 6"),
        Case(_square, -1.5),
        Case(_sin, 1.0),
        Case(_exp, 0.5),
        Case(_cube, -2.0, h=1e-4, label="a cubic, with h = 1e-4"),
        Case(_sin, 1.0, h=0.1, label="sin at 1 with a large step h = 0.1: use the h given"),
        Case(_exp, 0.0, h=0.01, label="exp at 0 with h = 0.01"),
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
        Misconception(
            "backward difference",
            lambda f, x, h=1e-5: (f(x) - f(x - h)) / h,
            "You used a one-sided difference (f(x) − f(x − h)) / h, which leans to the left "
            "of x: its error shrinks only like h. The central difference "
            "(f(x + h) − f(x − h)) / (2h) looks both ways and its error shrinks like h².",
        ),
        Misconception(
            "/ 2 * h",
            lambda f, x, h=1e-5: (f(x + h) - f(x - h)) / 2 * h,
            "Your slopes are tiny, about h² times too small: Python reads `a / 2 * h` as "
            "`(a / 2) * h`, so it multiplies by h instead of dividing. Put the run in "
            "parentheses: `/ (2 * h)`.",
        ),
        Misconception(
            "rise without the run",
            lambda f, x, h=1e-5: f(x + h) - f(x - h),
            "You returned the rise f(x + h) − f(x − h) alone. A slope is rise over run: "
            "divide by the run, 2h.",
        ),
        Misconception(
            "h ignored in the run",
            lambda f, x, h=1e-5: (f(x + h) - f(x - h)) / (2 * 1e-5),
            "Your run is always 2 · 1e-5, whatever h the caller passes: with h = 1e-4 the "
            "rise spans 2h but you divide by 2 · 1e-5, so the slope is 10 times too large. "
            "Use the parameter h in the run too: / (2 * h).",
        ),
        Misconception(
            "h ignored",
            lambda f, x, h=1e-5: (f(x + 1e-5) - f(x - 1e-5)) / (2 * 1e-5),
            "Your function always steps 1e-5, whatever h the caller passes: with h = 0.1 the "
            "central difference of sin at 1 is (sin(1.1) − sin(0.9)) / 0.2 = 0.5394, not "
            "cos(1) = 0.5403. The check asks for the difference at the step it gives you "
            "(to see how h changes the answer): use the parameter h, f(x + h), f(x − h) "
            "and / (2 * h), rather than a fixed number.",
        ),
        Misconception(
            "h ignored in the rise",
            lambda f, x, h=1e-5: (f(x + 1e-5) - f(x - 1e-5)) / (2 * h),
            "Your rise always spans x ± 1e-5 but you divide by 2h: with h = 0.1 the slope "
            "comes out 10,000 times too small. Use the parameter h on both sides: "
            "f(x + h) − f(x − h), divided by 2 * h.",
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
    reference=updates.weight_update,
    solution='''\
def weight_update(W_old, dL_dW, eta):
    return W_old - eta * dL_dW
''',
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
        Misconception(
            "divided by the learning rate",
            lambda W_old, dL_dW, eta: W_old - dL_dW / eta,
            "You divided by η: a small learning rate must give a small step, so multiply: "
            "W_new = W_old − η·∂L/∂W_old.",
        ),
        Misconception(
            "the weight in place of the slope",
            lambda W_old, dL_dW, eta: W_old - eta * W_old,
            "Your step uses the weight itself, η·W_old, not the slope: the direction and "
            "size of the step come from ∂L/∂W, which is dL_dW.",
        ),
    ],
)


step_direction = Exercise(
    reference=updates.step_direction,
    solution='''\
def step_direction(dL_dW):
    if dL_dW > 0:
        return -1
    if dL_dW < 0:
        return 1
    return 0
''',
    cases=[
        Case(-2.0, label="a negative slope: the loss falls to the right"),
        Case(3.0, label="a positive slope: the loss rises to the right"),
        Case(0.0, label="a flat slope: at the bottom"),
        Case(-0.001, label="a gentle negative slope"),
        Case(250.0, label="a steep positive slope"),
    ],
    hints=[
        "Gradient descent moves W against the slope: W_new = W_old − η·∂L/∂W_old with η > 0.",
        "A negative slope makes −η·∂L/∂W positive, so W grows (+1); a positive slope makes "
        "W shrink (−1); a zero slope leaves it where it is (0).",
        "return -1 if dL_dW > 0 else (1 if dL_dW < 0 else 0)   (or int(-np.sign(dL_dW)))",
    ],
    misconceptions=[
        Misconception(
            "sign of the slope",
            lambda dL_dW: int(np.sign(dL_dW)),
            "You returned the sign of the slope itself, which points uphill. Gradient "
            "descent steps against the slope: a negative slope moves W up (+1), a "
            "positive slope moves it down (−1).",
        ),
        Misconception(
            "a flat slope still moves",
            lambda dL_dW: 1 if dL_dW < 0 else -1,
            "A zero slope gives a zero step, −η·0 = 0: at the bottom (or on a flat "
            "stretch) W does not move, so the direction is 0.",
        ),
        Misconception(
            "a flat slope still moves up",
            lambda dL_dW: 1 if dL_dW <= 0 else -1,
            "A zero slope gives a zero step, −η·0 = 0: at the bottom (or on a flat "
            "stretch) W does not move, so the direction is 0. Test dL_dW < 0 and "
            "dL_dW > 0 separately, and return 0 when neither holds.",
        ),
        Misconception(
            "the step instead of its direction",
            lambda dL_dW: -dL_dW,
            "You returned −∂L/∂W, a step with a size. The question is only which way W "
            "moves: +1, −1 or 0, whatever the steepness.",
        ),
    ],
)


predicted_loss_change = Exercise(
    reference=descent.predicted_loss_change,
    solution='''\
def predicted_loss_change(dL_dW, eta):
    return -eta * dL_dW ** 2
''',
    cases=[
        Case(-1.6, 0.5, label="the lesson's step from W = 0.4: slope −1.6, η = 0.5"),
        Case(1.6, 0.5, label="a positive slope: the loss falls too"),
        Case(0.0, 0.3, label="a flat slope: no change"),
        Case(3.0, 0.01, label="a steep slope, a small step"),
        Case(-0.5, 1.5),
        Case(-4.0, 0.25),
    ],
    hints=[
        "The tangent says: moving W by ΔW changes L by about (slope) × ΔW. What is the move "
        "ΔW of one gradient-descent step?",
        "The step moves W by ΔW = −η·∂L/∂W. Multiply it by the slope ∂L/∂W.",
        "ΔL ≈ ∂L/∂W · (−η·∂L/∂W) = −η·(∂L/∂W)²:\nreturn -eta * dL_dW ** 2",
    ],
    misconceptions=[
        Misconception(
            "sign flipped",
            lambda dL_dW, eta: eta * dL_dW**2,
            "Your predicted change is positive: that would be the loss going up. The move "
            "is ΔW = −η·∂L/∂W (against the slope), so ΔL ≈ ∂L/∂W · ΔW = −η·(∂L/∂W)², "
            "never above 0.",
        ),
        Misconception(
            "slope not squared",
            lambda dL_dW, eta: -eta * dL_dW,
            "You returned −η·∂L/∂W: that is the step ΔW, the change of the weight. The "
            "change of the loss is the slope times that step, ∂L/∂W · (−η·∂L/∂W) = "
            "−η·(∂L/∂W)²: the slope enters twice.",
        ),
        Misconception(
            "slope doubled, not squared",
            lambda dL_dW, eta: -eta * dL_dW * 2,
            "You multiplied the slope by 2 (`dL_dW * 2`); square it instead: "
            "`dL_dW ** 2` (or `dL_dW * dL_dW`). ΔL ≈ −η·(∂L/∂W)².",
        ),
        Misconception(
            "size of the slope, not its square",
            lambda dL_dW, eta: -eta * abs(dL_dW),
            "You used |∂L/∂W| once. The slope enters twice, once in the step "
            "ΔW = −η·∂L/∂W and once as the tangent's rise per unit of W: "
            "ΔL ≈ −η·(∂L/∂W)².",
        ),
        Misconception(
            "learning rate forgotten",
            lambda dL_dW, eta: -(dL_dW**2),
            "Your change does not depend on η: but a smaller learning rate takes a smaller "
            "step and changes the loss less. ΔL ≈ −η·(∂L/∂W)².",
        ),
        Misconception(
            "learning rate squared",
            lambda dL_dW, eta: -((eta * dL_dW) ** 2),
            "You squared the whole step, −(η·∂L/∂W)² = −η²·(∂L/∂W)². The change is the "
            "slope times the step, ∂L/∂W · (−η·∂L/∂W): η appears once, the slope twice.",
        ),
        Misconception(
            "divided by the learning rate",
            lambda dL_dW, eta: -(dL_dW**2) / eta,
            "You divided by η: a small learning rate must give a small step and a small "
            "change of the loss, so multiply: ΔL ≈ −η·(∂L/∂W)².",
        ),
        Misconception(
            "a half too many",
            lambda dL_dW, eta: -0.5 * eta * dL_dW**2,
            "Your prediction is half the size it should be: the ½ of the bowl "
            "½(W − 2)² is already inside its slope W − 2. To first order "
            "ΔL ≈ ∂L/∂W · ΔW = −η·(∂L/∂W)², with no ½.",
        ),
        Misconception(
            "the bowl's exact change",
            lambda dL_dW, eta: -eta * dL_dW**2 * (1 - eta / 2),
            "You computed the bowl's exact change, −η·(∂L/∂W)²·(1 − η/2), which includes "
            "how the curve bends (its curvature, 1 on the bowl). The prediction asked for "
            "is the first-order one, the tangent's: −η·(∂L/∂W)², for any curve.",
        ),
    ],
)


_bowl = labelled("dL/dW = W − 2  (L = ½(W − 2)² + 0.3)", descent.dloss_1d)
_double = labelled("dL/dW = 2W  (L = W²)", lambda W: 2.0 * W)
_quartic = labelled("dL/dW = 4W³  (L = W⁴)", lambda W: 4.0 * W**3)


def _ascent(dL_dW, W_old, eta, steps):
    path = [W_old]
    for _ in range(steps):
        path.append(path[-1] + eta * dL_dW(path[-1]))
    return path


def _no_eta(dL_dW, W_old, eta, steps):
    path = [W_old]
    for _ in range(steps):
        path.append(path[-1] - dL_dW(path[-1]))
    return path


def _slope_once(dL_dW, W_old, eta, steps):
    slope = dL_dW(W_old)
    path = [W_old]
    for _ in range(steps):
        path.append(path[-1] - eta * slope)
    return path


gradient_descent_1d = Exercise(
    reference=descent.gradient_descent_1d,
    solution='''\
def gradient_descent_1d(dL_dW, W_old, eta, steps, *, stop_beyond=None):
    path = [W_old]
    W = W_old
    for _ in range(steps):
        W = W - eta * dL_dW(W)
        path.append(W)
        if stop_beyond is not None and abs(W) > stop_beyond:
            break
    return path
''',
    cases=[
        Case(_bowl, 0.0, 0.5, 1, label="one step from W = 0"),
        Case(_bowl, 5.0, 0.1, 0, label="zero steps: the path is just the start"),
        Case(_bowl, 3.0, 0.25, 3),
        Case(_double, 1.0, 0.1, 5),
        Case(_bowl, -1.5, 0.7, 10, label="ten steps to the minimum at W = 2"),
        Case(_quartic, 1.0, 0.05, 4, label="a steeper bowl"),
        Case(_bowl, 2.0, 0.5, 3, label="starting at the minimum: W stays at 2, and the path "
             "still holds steps + 1 weights"),
    ],
    hints=[
        "Start a list with W_old. Then repeat `steps` times: measure the slope at the "
        "current W, take one gradient-descent step, append the new W.",
        "The slope at the current W is dL_dW(W) (dL_dW is a function). One step is "
        "W = W - eta * dL_dW(W). The list ends with steps + 1 weights.",
        "path = [W_old]\nW = W_old\nfor _ in range(steps):\n    W = W - eta * dL_dW(W)\n"
        "    path.append(W)\nreturn path",
    ],
    misconceptions=[
        Misconception("sign flipped", _ascent, m.SIGN_FLIPPED),
        Misconception("learning rate forgotten", _no_eta, m.FORGOT_LEARNING_RATE),
        Misconception(
            "slope measured once",
            _slope_once,
            "You measured the slope once, at W_old, and reused it for every step. The "
            "slope changes as W moves (it shrinks near the minimum): measure it again at "
            "the current W before each step, dL_dW(W).",
        ),
        Misconception(
            "only the last W",
            lambda dL_dW, W_old, eta, steps: descent.gradient_descent_1d(
                dL_dW, W_old, eta, steps)[-1],
            "You returned only where the run ends. Return the whole path, "
            "[W_0, W_1, ..., W_steps], a list that starts with W_old: it shows how "
            "descent got there.",
        ),
        Misconception(
            "W_old missing from the path",
            lambda dL_dW, W_old, eta, steps: descent.gradient_descent_1d(
                dL_dW, W_old, eta, steps)[1:],
            "Your path misses its start: it should begin with W_old, then hold one W per "
            "step, steps + 1 weights in all.",
        ),
        Misconception(
            "one step too many",
            lambda dL_dW, W_old, eta, steps: descent.gradient_descent_1d(
                dL_dW, W_old, eta, steps + 1),
            "Your run takes one step too many: with W_old first and one W per step, the "
            "path holds steps + 1 weights (check your range()).",
        ),
        Misconception(
            "one step too few",
            lambda dL_dW, W_old, eta, steps: descent.gradient_descent_1d(
                dL_dW, W_old, eta, max(steps - 1, 0)),
            "Your run stops one step short: `steps` steps need a loop that runs `steps` "
            "times, range(steps) (range(1, steps) or range(steps - 1) runs one time too "
            "few). The path then holds steps + 1 weights, W_old included.",
        ),
    ],
)
