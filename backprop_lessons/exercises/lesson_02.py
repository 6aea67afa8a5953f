"""Exercises of lesson 02, "The chain rule": multiply local derivatives along a chain, derive
the two local derivatives of a weighted edge into a sigmoid neuron, multiply along one path
of the course network, add the two paths that lead to W1, and write dL/dW4 from the values
of the forward pass."""

from __future__ import annotations

import math

import numpy as np

from backprop_lessons.maths import chain_rule, course_network

from . import misconceptions as m
from .spec import Case, Exercise, Misconception

__all__ = ["chain_product", "edge_derivatives", "path_product", "dL_dW1", "dL_dW4"]

LESSON = "02_chain_rule"

_W1_KEYS = ("dL/dO31", "dO31/dO21", "dO21/dO11", "dO31/dO22", "dO22/dO11", "dO11/dW1")


def _local(x: float, y: float, params: dict, keys, digits: int = 6) -> dict[str, float]:
    """The course network's local derivatives at (x, y, params), only ``keys``, rounded."""
    d = course_network.local_derivatives(x, y, params)
    return {k: round(d[k], digits) for k in keys}


def _random_point(rng: np.random.Generator) -> tuple[float, float, dict]:
    params = course_network.random_params(rng)
    return round(float(rng.uniform(-2, 2)), 3), round(float(rng.uniform(0, 1)), 3), params


# --- a chain of local derivatives ------------------------------------------------------


def _chain_cases(rng: np.random.Generator) -> list[Case]:
    u = 3.0 * 0.5 + 1.0  # the lesson's composition at x = 0.5
    v = 1.0 / (1.0 + math.exp(-u))
    return [
        Case([2.0, 3.0], label="two links: 2 · 3"),
        Case([0.5, -4.0, 3.0], label="three links, one negative"),
        Case(
            [round(-2.0 * (1.0 - v), 6), round(v * (1.0 - v), 6), 3.0],
            label="the lesson's chain at x = 0.5: dL/dv, dv/du, du/dx",
        ),
        Case(list(rng.normal(size=5).round(3)), label="five links"),
        Case([2.0, 2.0, -1.5], label="a factor that repeats: 2 · 2 · (-1.5)"),
    ]


chain_product = Exercise(
    reference=chain_rule.chain_product,
    solution='''\
def chain_product(factors):
    product = 1.0
    for factor in factors:
        product = product * factor
    return product
''',
    cases=_chain_cases,
    hints=[
        "Each link scales a small nudge of its input by its local derivative; the next link "
        "scales that again. Scaling twice multiplies.",
        "Start a running product at 1 (multiplying by 1 changes nothing) and multiply it by "
        "each factor in turn.",
        "product = 1.0\nfor f in factors:\n    product = product * f\nreturn product\n"
        "(or: return math.prod(factors))",
    ],
    misconceptions=[
        Misconception(
            "summed the factors",
            lambda factors: float(sum(factors)),
            "You added the local derivatives. The chain rule multiplies them: if u moves 3 "
            "times as fast as x and v moves 2 times as fast as u, v moves 3 · 2 = 6 times as "
            "fast as x, not 3 + 2.",
        ),
        Misconception(
            "product started at 0",
            lambda factors: 0.0,
            "Your product is always 0: a running product must start at 1, the number that "
            "changes nothing when you multiply by it (0 would wipe out every factor).",
        ),
        Misconception(
            "last factor left out",
            lambda factors: float(math.prod(list(factors)[:-1])),
            "Your product leaves out the last factor: every link of the chain counts. Loop "
            "over the factors themselves (for f in factors), or over range(len(factors)), "
            "not range(len(factors) - 1).",
        ),
        Misconception(
            "return inside the loop",
            lambda factors: float(list(factors)[0]),
            "You returned the first factor alone: is your `return` indented inside the "
            "loop? Then the function ends during the first pass. Return after the loop, "
            "once every factor has been multiplied in.",
        ),
    ],
)


# --- the local derivatives of one weighted edge, derived -------------------------------


def _edge_cases(rng: np.random.Generator) -> list[Case]:
    x, y = course_network.default_example()
    p = course_network.default_params()
    f = course_network.forward(x, y, p)
    x2, y2, p2 = _random_point(rng)
    f2 = course_network.forward(x2, y2, p2)
    return [
        Case(0.7, 1.2, 0.4, label="O = 0.7, W = 1.2, a = 0.4"),
        Case(0.2, -0.5, 3.0, label="a negative weight"),
        Case(0.9, 2.0, -1.5, label="a negative input"),
        Case(round(f["O11"], 6), p["W1"], x,
             label="the course network's first edge: O11, W1, x"),
        Case(round(f["O31"], 6), p["W4"], round(f["O21"], 6),
             label="the course network's edge O21 -> O31 through W4"),
        Case(0.35, -0.1, 1.0, label="a bias: a weight whose input is 1"),
        Case(round(f2["O22"], 6), round(p2["W3"], 6), round(f2["O11"], 6),
             label="the course network at a random point: O22, W3, O11"),
    ]


def _sig(out):
    return out * (1 - out)


def _sigmoid_of(t):
    return 1.0 / (1.0 + math.exp(-t))


edge_derivatives = Exercise(
    reference=course_network.edge_derivatives,
    solution='''\
def edge_derivatives(out, W, a):
    sigma_prime = out * (1 - out)
    return sigma_prime * W, sigma_prime * a
''',
    cases=_edge_cases,
    hints=[
        "Two links: z = ... + W·a + ... and O = σ(z). So ∂O/∂a = σ'(z) · ∂z/∂a and "
        "∂O/∂W = σ'(z) · ∂z/∂W.",
        "σ'(z) = σ(z)(1 − σ(z)), and σ(z) is the neuron's output `out`, so "
        "σ'(z) = out·(1 − out). In the product W·a, "
        "a nudge of a is scaled by W, a nudge of W by a: ∂(W·a)/∂a = W, ∂(W·a)/∂W = a.",
        "sigma_prime = out * (1 - out)\nreturn sigma_prime * W, sigma_prime * a",
    ],
    misconceptions=[
        Misconception(
            "input and weight swapped",
            lambda out, W, a: (_sig(out) * a, _sig(out) * W),
            "Your two derivatives are swapped. In W·a, a nudge of the input a is scaled "
            "by the weight: ∂(W·a)/∂a = W; a nudge of the weight by the input: "
            "∂(W·a)/∂W = a. So ∂O/∂a = O(1 − O)·W and ∂O/∂W = O(1 − O)·a (each gets "
            "the other factor).",
        ),
        Misconception(
            "sigmoid's derivative forgotten",
            lambda out, W, a: (W, a),
            "You returned ∂z/∂a and ∂z/∂W, the derivatives of the weighted sum. The "
            "neuron's output is O = σ(z), one more link: multiply both by "
            "σ'(z) = O·(1 − O).",
        ),
        Misconception(
            "sigmoid's derivative taken at O",
            lambda out, W, a: (_sig(_sigmoid_of(out)) * W, _sig(_sigmoid_of(out)) * a),
            "You computed σ(O)·(1 − σ(O)), the sigmoid's slope at the point O. But O is "
            "already σ(z), the output: the slope at z is σ'(z) = O·(1 − O), with no "
            "second sigmoid.",
        ),
        Misconception(
            "the sigmoid instead of its derivative",
            lambda out, W, a: (out * W, out * a),
            "You multiplied by O = σ(z), the sigmoid itself. The chain rule needs its "
            "slope, σ'(z) = σ(z)(1 − σ(z)) = O·(1 − O).",
        ),
        Misconception(
            "tanh's derivative",
            lambda out, W, a: ((1 - out**2) * W, (1 - out**2) * a),
            "You used 1 − O², the derivative of tanh written from its output. For the "
            "sigmoid it is σ'(z) = O·(1 − O).",
        ),
        Misconception(
            "only 1 - O",
            lambda out, W, a: ((1 - out) * W, (1 - out) * a),
            "Your sigmoid slope is 1 − O; it is O·(1 − O), the output times one minus "
            "the output.",
        ),
        Misconception(
            "the weight on both edges",
            lambda out, W, a: (_sig(out) * W, _sig(out) * W),
            "Your ∂O/∂W is O(1 − O)·W: but a nudge of the weight W is scaled by what W "
            "multiplies, the input a: ∂(W·a)/∂W = a, so ∂O/∂W = O(1 − O)·a.",
        ),
        Misconception(
            "the input on both edges",
            lambda out, W, a: (_sig(out) * a, _sig(out) * a),
            "Your ∂O/∂a is O(1 − O)·a: but a nudge of the input a is scaled by the "
            "weight it goes through: ∂(W·a)/∂a = W, so ∂O/∂a = O(1 − O)·W.",
        ),
    ],
)


# --- one path of the course network ----------------------------------------------------


def _edges(path):
    return [f"d{u}/d{lo}" for u, lo in zip(path[:-1], path[1:], strict=True)]


def _path_cases(rng: np.random.Generator) -> list[Case]:
    x, y = course_network.default_example()
    p = course_network.default_params()
    via_O22 = ["L", "O31", "O22", "O11", "W1"]
    x2, y2, p2 = _random_point(rng)
    via_O21 = ["L", "O31", "O21", "O11", "W1"]
    every = tuple(course_network.local_derivatives(x, y, p))  # d holds every edge
    return [
        Case({"dL/dO31": 2.0, "dO31/dW4": 0.5, "dO31/dW5": 3.0}, ["L", "O31", "W4"],
             label="one path of two edges: dL/dO31 · dO31/dW4 = 2 · 0.5 (dO31/dW5 is "
                   "off the path)"),
        Case({"dO31/dO21": 0.25, "dO21/dO11": -2.0, "dO31/dO22": 4.0},
             ["O31", "O21", "O11"],
             label="a path may start at any node: dO31/dO11 through O21"),
        Case(_local(x, y, p, every), via_O22,
             label="the course network at its default point: L to W1 through O22"),
        Case(_local(x2, y2, p2, every), via_O21,
             label="the course network at a random point: L to W1 through O21"),
    ]


def _path_values(d, path):
    return [d[k] for k in _edges(path)]


path_product = Exercise(
    reference=chain_rule.path_product,
    solution='''\
def path_product(d, path):
    product = 1.0
    for upper, lower in zip(path[:-1], path[1:]):
        product = product * d[f"d{upper}/d{lower}"]
    return product
''',
    cases=_path_cases,
    hints=[
        "Walk down the path two nodes at a time: each pair (upper, lower) is one edge, and "
        "the edge carries the local derivative d[f'd{upper}/d{lower}'].",
        "zip(path[:-1], path[1:]) gives the pairs (upper, lower) in order. Multiply their "
        "local derivatives together, starting from 1.",
        "product = 1.0\nfor upper, lower in zip(path[:-1], path[1:]):\n"
        "    product = product * d[f'd{upper}/d{lower}']\nreturn product",
    ],
    misconceptions=[
        Misconception(
            "summed the factors",
            lambda d, path: float(sum(_path_values(d, path))),
            "You added the local derivatives along the path. Along one path they multiply: "
            "each edge scales the nudge that reaches it.",
        ),
        Misconception(
            "first edge left out",
            lambda d, path: float(math.prod(_path_values(d, path)[1:])),
            "Your product leaves out the first edge of the path (for a path from L, that is "
            "∂L/∂O31, how the loss responds to the output). Every edge of the path counts, "
            "the first one included: a path of n nodes has n − 1 factors.",
        ),
        Misconception(
            "last edge left out",
            lambda d, path: float(math.prod(_path_values(d, path)[:-1])),
            "Your product stops one edge short: the last edge (for instance ∂O11/∂W1, how "
            "the neuron responds to its own weight) is a factor too. A path of n nodes has "
            "n − 1 factors.",
        ),
        Misconception(
            "every entry of d multiplied",
            lambda d, path: float(math.prod(d.values())),
            "You multiplied every local derivative in d, but d holds the edges of the "
            "whole network. Only the edges of this path count: for each consecutive pair "
            "(upper, lower) of `path`, take d[f'd{upper}/d{lower}'].",
        ),
    ],
)


# --- the two paths to W1 --------------------------------------------------------------


def _W1_cases(rng: np.random.Generator) -> list[Case]:
    x, y = course_network.default_example()
    p = course_network.default_params()
    x2, y2, p2 = _random_point(rng)
    simple = {"dL/dO31": 1.0, "dO31/dO21": 2.0, "dO21/dO11": 3.0,
              "dO31/dO22": 4.0, "dO22/dO11": 5.0, "dO11/dW1": 0.5}
    return [
        Case(simple, label="simple numbers: 1·2·3·0.5 + 1·4·5·0.5 = 13"),
        Case(_local(x, y, p, _W1_KEYS), label="the course network at its default point"),
        Case(_local(x2, y2, p2, _W1_KEYS), label="the course network at a random point"),
    ]


def _via_O21(d):
    return d["dL/dO31"] * d["dO31/dO21"] * d["dO21/dO11"] * d["dO11/dW1"]


def _via_O22(d):
    return d["dL/dO31"] * d["dO31/dO22"] * d["dO22/dO11"] * d["dO11/dW1"]


dL_dW1 = Exercise(
    reference=chain_rule.dL_dW1,
    solution='''\
def dL_dW1(d):
    via_O21 = d["dL/dO31"] * d["dO31/dO21"] * d["dO21/dO11"] * d["dO11/dW1"]
    via_O22 = d["dL/dO31"] * d["dO31/dO22"] * d["dO22/dO11"] * d["dO11/dW1"]
    return via_O21 + via_O22
''',
    cases=_W1_cases,
    hints=[
        "W1 moves O11, and O11 feeds two neurons, O21 and O22. Both carry the change on to "
        "O31, so there are two paths from L down to W1.",
        "One path's contribution is the product of its four local derivatives, e.g. "
        "d['dL/dO31'] * d['dO31/dO21'] * d['dO21/dO11'] * d['dO11/dW1']. Do the same for "
        "the path through O22.",
        "Add the two path products: the total change of L is the sum of the changes that "
        "arrive along each path. (path_product(d, path) from above does one path.)",
    ],
    misconceptions=[
        Misconception("only the path through O21", _via_O21,
                      m.MISSING_CHAIN_PATH + " You kept only the path through O21; add the "
                      "path through O22."),
        Misconception("only the path through O22", _via_O22,
                      m.MISSING_CHAIN_PATH + " You kept only the path through O22; add the "
                      "path through O21."),
        Misconception(
            "multiplied the two paths",
            lambda d: _via_O21(d) * _via_O22(d),
            "You multiplied the two path products. Factors multiply along one path, but "
            "separate paths add: each path carries its own share of the change of L.",
        ),
        Misconception(
            "dO11/dW1 left out",
            lambda d: _via_O21(d) / d["dO11/dW1"] + _via_O22(d) / d["dO11/dW1"],
            "Your paths stop at O11: that is ∂L/∂O11, not ∂L/∂W1. Each path goes on down "
            "to W1, so each ends with the factor ∂O11/∂W1, d['dO11/dW1'].",
        ),
        Misconception(
            "dL/dO31 left out",
            lambda d: _via_O21(d) / d["dL/dO31"] + _via_O22(d) / d["dL/dO31"],
            "Your paths start at O31: that is ∂O31/∂W1, how the output moves. The loss is "
            "one more link up, so each path starts with ∂L/∂O31, d['dL/dO31'].",
        ),
    ],
)


# --- dL/dW4 from the forward pass ------------------------------------------------------


def _W4_cases(rng: np.random.Generator) -> list[Case]:
    x, y = course_network.default_example()
    f = course_network.forward(x, y, course_network.default_params())
    x2, y2, p2 = _random_point(rng)
    f2 = course_network.forward(x2, y2, p2)
    return [
        Case(y=1.0, O21=0.5, O31=0.5, label="y = 1, O21 = O31 = 0.5: the output is too low"),
        Case(y=0.0, O21=0.8, O31=0.9, label="y = 0, the output is too high: dL/dW4 > 0"),
        Case(y=y, O21=round(f["O21"], 6), O31=round(f["O31"], 6),
             label="the course network at its default point"),
        Case(y=y2, O21=round(f2["O21"], 6), O31=round(f2["O31"], 6),
             label="the course network at a random point"),
    ]


dL_dW4 = Exercise(
    reference=chain_rule.dL_dW4,
    solution='''\
def dL_dW4(y, O21, O31):
    dL_dO31 = -2 * (y - O31)
    dO31_dW4 = O31 * (1 - O31) * O21
    return dL_dO31 * dO31_dW4
''',
    cases=_W4_cases,
    hints=[
        "W4 reaches L along one path only: L ← O31 ← W4. So ∂L/∂W4 = ∂L/∂O31 · ∂O31/∂W4.",
        "∂L/∂O31 = −2(y − O31) (the square brings down a 2; the inner −O31 brings the minus). "
        "O31 = σ(z31) with z31 = W4·O21 + W5·O22 + b4, so ∂O31/∂W4 = σ'(z31) · O21.",
        "σ'(z31) = O31 · (1 − O31) for the sigmoid, so\n"
        "return -2 * (y - O31) * O31 * (1 - O31) * O21",
    ],
    misconceptions=[
        Misconception("dropped the factor 2",
                      lambda y, O21, O31: -(y - O31) * O31 * (1 - O31) * O21,
                      m.DROPPED_FACTOR_2),
        Misconception(
            "forgot the activation derivative",
            lambda y, O21, O31: -2 * (y - O31) * O21,
            "The sigmoid's derivative is missing: O31 = σ(z31), so a nudge of W4 first moves "
            "z31 by O21, and O31 moves only σ'(z31) = O31·(1 − O31) times that. Multiply by "
            "O31 * (1 - O31).",
        ),
        Misconception(
            "forgot the input O21",
            lambda y, O21, O31: -2 * (y - O31) * O31 * (1 - O31),
            "You returned ∂L/∂z31, the output neuron's error signal (which is also ∂L/∂b4). "
            "For the weight, multiply by ∂z31/∂W4 = O21: the weight's effect is scaled by "
            "the input it multiplies.",
        ),
        Misconception(
            "sigmoid derivative of O21",
            lambda y, O21, O31: -2 * (y - O31) * O21 * (1 - O21) * O31,
            "You took the sigmoid's derivative at the wrong neuron: the sigmoid between "
            "z31 and L is the one of O31, so σ'(z31) = O31·(1 − O31). O21 enters only "
            "once, as the input W4 multiplies.",
        ),
    ],
)
