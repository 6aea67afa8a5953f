"""Exercises of lesson 09, "Capstone: Rumelhart, Hinton & Williams (1986)": label the
mirror-symmetry data, train the 6-2-1 network as the paper did (full batch, momentum),
read the solution from the weights, and check the backward pass of the trained network."""

from __future__ import annotations

import itertools

import numpy as np

from backprop_lessons.maths import checking, datasets, rhw1986
from backprop_lessons.maths.losses import mse, mse_grad

from .compare import comparator
from .spec import Case, Exercise, Misconception

__all__ = ["symmetry_labels", "train_full_batch", "mirror_cosine", "numerical_gradients"]

LESSON = "09_rumelhart_1986"


# ----- 1. symmetry_labels -----------------------------------------------------------------
def _label_cases(rng: np.random.Generator) -> list[Case]:
    X6, _ = datasets.mirror_symmetry()
    X5 = rng.integers(0, 2, size=(12, 5)).astype(np.float64)
    X5[:3] = [[1, 0, 1, 0, 1], [0, 1, 1, 1, 0], [1, 1, 0, 1, 0]]
    return [
        Case(np.array([[1.0, 0.0, 1.0, 1.0, 0.0, 1.0]]), label="one symmetric vector"),
        Case(np.array([[1.0, 1.0, 0.0, 1.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0, 1.0, 0.0]]),
             label="an asymmetric and a symmetric vector"),
        Case(np.array([[1.0, 0.0, 1.0, 0.0, 1.0, 0.0], [0.0, 0.0, 1.0, 1.0, 1.0, 1.0],
                       [1.0, 1.0, 1.0, 1.0, 1.0, 1.0]]),
             label="each the complement of its own mirror image, then all ones"),
        Case(X5, label="12 five-bit vectors (the middle bit is its own mirror)"),
        Case(X6, label="all 64 six-bit vectors"),
        Case(np.array([[1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0],
                       [0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0]]),
             label="8 bits: only the middle pair differs, then a symmetric vector"),
        Case(np.array(list(itertools.product([0.0, 1.0], repeat=8))),
             label="all 256 eight-bit vectors"),
    ]


symmetry_labels = Exercise(
    reference=rhw1986.symmetry_labels,
    solution='''\
def symmetry_labels(X):
    X = np.asarray(X)
    symmetric = np.all(X == X[:, ::-1], axis=1)
    return symmetric.astype(float).reshape(-1, 1)
''',
    cases=_label_cases,
    hints=[
        "A vector is mirror symmetric when it reads the same backwards: bit i equals bit "
        "n+1-i for every i. For a whole array X, X[:, ::-1] reverses every row at once.",
        "Compare X with X[:, ::-1] entry by entry, ask whether a row agrees everywhere "
        "(np.all(..., axis=1)), and turn True/False into 1.0/0.0 in a column (n, 1).",
        "return np.all(X == X[:, ::-1], axis=1).astype(float).reshape(-1, 1)",
    ],
    misconceptions=[
        Misconception(
            "compared with the complement",
            lambda X: np.all(np.asarray(X) == 1 - np.asarray(X)[:, ::-1], axis=1)
            .astype(np.float64).reshape(-1, 1),
            "You compared each vector with the complement of its mirror image (0 and 1 "
            "swapped). Symmetric means the vector equals its mirror image itself: bit i "
            "equals bit n+1-i, with no flipping of bits.",
        ),
        Misconception(
            "first half against itself",
            lambda X: np.all(
                np.asarray(X)[:, : np.shape(X)[1] // 2]
                == np.asarray(X)[:, : np.shape(X)[1] // 2][:, ::-1], axis=1,
            ).astype(np.float64).reshape(-1, 1),
            "You checked only the first half of each vector against itself reversed "
            "(x1 = x3 for six bits). The mirror pairs each join a bit of the left half with "
            "one of the right half: x1 = x6, x2 = x5, x3 = x4. Compare the whole vector with "
            "the whole vector reversed.",
        ),
        Misconception(
            "any pair instead of every pair",
            lambda X: np.any(np.asarray(X) == np.asarray(X)[:, ::-1], axis=1)
            .astype(np.float64).reshape(-1, 1),
            "You labelled a vector symmetric when at least one mirror pair agrees (np.any). "
            "Every pair must agree: use np.all(..., axis=1).",
        ),
    ],
)


# ----- 2. train_full_batch ----------------------------------------------------------------
def _train_cases(rng: np.random.Generator) -> list[Case]:
    X6, y6 = datasets.mirror_symmetry()
    X2, y2 = datasets.xor()
    return [
        Case([2, 2, 1], X2, y2, 2.0, 0.9, 2000, 2,
             label="XOR, eta = 2, alpha = 0.9, up to 2000 sweeps"),
        Case([2, 2, 1], X2, y2, 2.0, 0.5, 2000, 2,
             label="XOR, eta = 2, alpha = 0.5: less momentum, more sweeps"),
        Case([6, 2, 1], X6, y6, 1.6, 0.9, 30, 0,
             label="mirror symmetry, stopped after 30 sweeps, before the end"),
        Case([6, 2, 1], X6, y6, 1.6, 0.9, 1000, 1,
             label="mirror symmetry, eta = 1.6, alpha = 0.9, up to 1000 sweeps"),
        Case([2, 2, 1], X2, (rhw1986.paper_network([2, 2, 1], 5).predict(X2) >= 0.5) * 1.0,
             2.0, 0.9, 100, 5, label="labels the starting network already gets right: "
             "0 steps"),
    ]


def _loop(layer_sizes, X, y, eta, alpha, max_epochs, seed, *, lag=False, extra=0,
          average=False):
    """A variant of the paper's loop, for the misconceptions below."""
    net = rhw1986.paper_network(layer_sizes, seed)
    y = np.asarray(y, dtype=np.float64).reshape(len(X), -1)
    velocity = {k: np.zeros_like(p) for k, p in net.params.items()}
    epochs = 0
    while True:
        Y, cache = net.forward(X)
        if np.all((Y >= 0.5) == (y >= 0.5)) or epochs == max_epochs:
            break
        grads = net.backward(cache, 2.0 * (Y - y) / y.size)
        for k, theta in net.params.items():
            if lag:  # step with the previous velocity, then update it
                theta += velocity[k]
                velocity[k] = alpha * velocity[k] - eta * grads[k]
            elif average:  # an exponential moving average of the gradients
                velocity[k] = alpha * velocity[k] + (1 - alpha) * grads[k]
                theta -= eta * velocity[k]
            else:
                velocity[k] = alpha * velocity[k] - eta * grads[k]
                theta += velocity[k]
        epochs += 1
    acc = float(np.mean((Y >= 0.5) == (y >= 0.5)))
    return (epochs + extra, acc)


train_full_batch = Exercise(
    reference=rhw1986.train_full_batch,
    # a case trains for up to 3,000 sweeps: room for a correct answer on a slow or busy laptop
    time_limit=10.0,
    solution='''\
def train_full_batch(layer_sizes, X, y, eta, alpha=0.9, max_epochs=3000, seed=0):
    network = paper_network(layer_sizes, seed)
    velocity = {k: np.zeros_like(p) for k, p in network.params.items()}
    epochs = 0
    while True:
        Y, cache = network.forward(X)
        if accuracy(y, Y) == 1.0 or epochs == max_epochs:
            break
        grads = network.backward(cache, mse_grad(y, Y))
        for k, p in network.params.items():
            velocity[k] = alpha * velocity[k] - eta * grads[k]
            p += velocity[k]
        epochs += 1
    return epochs, accuracy(y, Y)
''',
    cases=_train_cases,
    stub='''def train_full_batch(layer_sizes, X, y, eta, alpha=0.9, max_epochs=3000, seed=0):
    """(epochs, accuracy): train paper_network(layer_sizes, seed) with full-batch momentum."""
    # YOUR CODE HERE
    # network = paper_network(layer_sizes, seed)
    # velocity: one array of zeros per parameter (np.zeros_like)
    # repeat: forward pass on all of X; stop when every example is on the right side
    # of 0.5 or after max_epochs steps; else backward from mse_grad(y, Y) and, for every
    # parameter, velocity = alpha * velocity - eta * gradient; parameter += velocity.
    # return the number of steps taken and the accuracy of the final weights
    ...
''',
    hints=[
        "One sweep = one forward pass over all of X, one backward pass, one step. Before each "
        "step, check whether every output is on the right side of 0.5: "
        "accuracy(y, Y) == 1.0. Stop there, or once max_epochs steps have been taken.",
        "The step with momentum: velocity[name] = alpha * velocity[name] - eta * "
        "grads[name], then network.params[name] += velocity[name] (each velocity starts as "
        "zeros). Count the steps; after the loop return (steps, accuracy(y, Y)).",
        "network = paper_network(layer_sizes, seed)\n"
        "velocity = {k: np.zeros_like(p) for k, p in network.params.items()}\n"
        "epochs = 0\n"
        "while True:\n"
        "    Y, cache = network.forward(X)\n"
        "    if accuracy(y, Y) == 1.0 or epochs == max_epochs:\n"
        "        break\n"
        "    grads = network.backward(cache, mse_grad(y, Y))\n"
        "    for k, p in network.params.items():\n"
        "        velocity[k] = alpha * velocity[k] - eta * grads[k]\n"
        "        p += velocity[k]\n"
        "    epochs += 1\n"
        "return epochs, accuracy(y, Y)",
    ],
    misconceptions=[
        Misconception(
            "moving-average momentum",
            lambda layer_sizes, X, y, eta, alpha=0.9, max_epochs=3000, seed=0: _loop(
                layer_sizes, X, y, eta, alpha, max_epochs, seed, average=True),
            "Your momentum averages the gradients, velocity = alpha * velocity + (1 − alpha) "
            "* gradient, then θ −= eta * velocity (the form some libraries and courses call "
            "momentum). It points the same way, but each gradient enters with weight "
            "1 − alpha = 0.1, so with the same eta your steps are ten times smaller than "
            "the paper's. The paper (and this exercise) adds the whole step: velocity = "
            "alpha * velocity − eta * gradient, then θ += velocity.",
        ),
        Misconception(
            "momentum forgotten",
            lambda layer_sizes, X, y, eta, alpha=0.9, max_epochs=3000, seed=0: _loop(
                layer_sizes, X, y, eta, 0.0, max_epochs, seed),
            "Your network learns like plain gradient descent: the momentum term is missing. "
            "Each step is −η·∂L/∂θ plus α times the previous step, so steps that keep the "
            "same direction build up speed: velocity = alpha * velocity - eta * gradient, "
            "then θ += velocity.",
        ),
        Misconception(
            "stepped with the old velocity",
            lambda layer_sizes, X, y, eta, alpha=0.9, max_epochs=3000, seed=0: _loop(
                layer_sizes, X, y, eta, alpha, max_epochs, seed, lag=True),
            "You moved the parameters with the previous velocity and updated it afterwards, "
            "so every gradient reaches the weights one sweep late. Update the velocity with "
            "this sweep's gradient first, then add it to the parameters.",
        ),
        Misconception(
            "one sweep too many counted",
            lambda layer_sizes, X, y, eta, alpha=0.9, max_epochs=3000, seed=0: _loop(
                layer_sizes, X, y, eta, alpha, max_epochs, seed, extra=1),
            "Your count is one too high: the forward pass that finds every example right "
            "takes no step, so it is not counted. Count the steps taken (the updates of the "
            "weights), which is 0 if the network is right from the start.",
        ),
    ],
)


# ----- 3. mirror_cosine -------------------------------------------------------------------
def _cosine_cases(rng: np.random.Generator) -> list[Case]:
    half = rng.normal(0, 3, size=3).round(2)
    return [
        Case(np.array([1.0, -1.0]), label="two weights, mirror images of opposite sign"),
        Case(np.array([4.0, 2.0, 1.0, -1.0, -2.0, -4.0]), label="the 1:2:4 pattern"),
        Case(np.array([1.0, 2.0, 3.0, 3.0, 2.0, 1.0]), label="a symmetric unit"),
        Case(np.array([0.5, -1.0, 2.0, 0.3, 1.5, -0.2]), label="weights with no pattern"),
        Case(np.array([1.0, 2.0, 3.0, 2.0, 1.0]),
             label="five weights, symmetric: the middle weight is its own mirror image"),
        Case(np.array([2.0, -1.0, 0.5, 4.0, 1.0, -2.0, 3.0]),
             label="seven weights with no pattern (an odd length)"),
        Case(np.concatenate([half, -half[::-1]]) + rng.normal(0, 0.1, size=6).round(2),
             label="nearly mirror images of opposite sign"),
    ]


mirror_cosine = Exercise(
    reference=rhw1986.mirror_cosine,
    solution='''\
def mirror_cosine(w):
    w = np.ravel(w)
    return (w @ w[::-1]) / (w @ w)
''',
    cases=_cosine_cases,
    hints=[
        "The mirror image of w is w reversed, w[::-1]. The cosine of the angle between two "
        "vectors a and b is (a · b) / (|a| |b|); a vector and its reverse have the same "
        "length.",
        "So the cosine is (w · w[::-1]) / (w · w): −1 when w[::-1] = −w, +1 when "
        "w[::-1] = w.",
        "return float(w @ w[::-1] / (w @ w))",
    ],
    misconceptions=[
        Misconception(
            "not normalised",
            lambda w: float(np.asarray(w) @ np.asarray(w)[::-1]),
            "You returned the dot product w · w[::-1] without dividing by w · w. Its size "
            "grows with the weights, so it cannot say how close to −1 (perfect mirror images "
            "of opposite sign) a unit is. Divide by the squared length w · w.",
        ),
        Misconception(
            "compared with itself",
            lambda w: float(np.asarray(w) @ np.asarray(w) / (np.asarray(w) @ np.asarray(w))),
            "You compared w with itself, which always gives 1. The mirror image of w is w "
            "reversed: w[::-1] (its first weight is the last one of w).",
        ),
        Misconception(
            "divided by the length, not its square",
            lambda w: float(np.asarray(w) @ np.asarray(w)[::-1]
                            / np.linalg.norm(np.asarray(w))),
            "You divided by |w|, the length. A cosine divides by the product of BOTH lengths, "
            "|w| · |w[::-1]| = |w|², that is w · w. Only then is a perfect mirror image of "
            "opposite sign exactly −1, whatever the size of the weights.",
        ),
        Misconception(
            "summed over half the pairs",
            lambda w: float(np.asarray(w)[: len(w) // 2] @ np.asarray(w)[::-1][: len(w) // 2]
                            / (np.asarray(w) @ np.asarray(w))),
            "You summed w_i w_(n+1-i) over the first half only. The sum runs over every i, "
            "so each mirror pair counts twice (w_1 w_6 and w_6 w_1), and the middle weight of "
            "an odd-length w counts once. Half the sum never gets below −0.5.",
        ),
    ],
)


# ----- 4. numerical_gradients -------------------------------------------------------------
compare_gradients = comparator(rtol=1e-8, atol=1e-9, float32=False)
"""Same names, same shapes, and values within rtol 1e-8, atol 1e-9: two correct central
differences agree that closely even when their losses round differently (float64 wanted:
the exercise is about precision, so slopes rounded to float32, 6e-8 apart, fail)."""


def _gradient_cases(rng: np.random.Generator) -> list[Case]:
    X2, y2 = datasets.xor()
    X6, y6 = datasets.mirror_symmetry()
    pick = rng.choice(64, size=8, replace=False)
    trained = rhw1986.train_full_batch([6, 2, 1], X6, y6, 1.6, 0.9, 1000, seed=1).network
    return [
        Case(rhw1986.paper_network([2, 2, 1], seed=3), X2, y2, label="a 2-2-1 network, XOR"),
        Case(rhw1986.paper_network([2, 2, 1], seed=6), X2, y2, 0.05,
             label="a 2-2-1 network, XOR, h = 0.05: the slopes of this step, not of 1e-6"),
        Case(rhw1986.paper_network([6, 2, 1], seed=0), X6[pick], y6[pick],
             label="an untrained 6-2-1 network, 8 vectors"),
        Case(trained, X6, y6, label="the trained 6-2-1 network, all 64 vectors"),
        Case(checking.SlopeBugNetwork([2, 3, 1], seed=4, buggy_layer=1), X2, y2,
             label="a network whose backward pass has a bug (sigmoid'(A) for sigmoid'(Z) in "
                   "layer 1): only finite differences give its true gradient"),
    ]


def _backward(network, X, y, h=1e-6):
    Y, cache = network.forward(X)
    return network.backward(cache, mse_grad(y, Y))


def _not_restored(network, X, y, h=1e-6):
    """Every entry left at old - h (the outputs of the in-place mistake)."""
    out = {}
    for name, p in network.params.items():
        g = np.zeros(p.shape)
        for i in np.ndindex(p.shape):
            old = p[i]
            p[i] = old + h
            plus = mse(y, network.predict(X))
            p[i] = old - h
            g[i] = (plus - mse(y, network.predict(X))) / (2 * h)
        out[name] = g
    return out


NOT_RESTORED = (
    "Your function leaves the network's weights changed: after nudging an entry to "
    "old + h and old − h it must hold exactly old again before the next entry. Either an "
    "entry was left at old − h (the restore is missing), or you took the nudges back by "
    "arithmetic (p[i] += h, p[i] -= 2 * h, p[i] += h): old + h − 2h + h can differ from "
    "old in the last digit, because every float operation rounds. Every later entry is "
    "then measured at a shifted point, and the network the caller trains is no longer "
    "the one it had. Save old = p[i] first and assign it back, p[i] = old, after the two "
    "losses."
)


def _one_sided(network, X, y, h=1e-6):
    out = {}
    for name, p in network.params.items():
        g = np.zeros_like(p)
        base = mse(y, network.predict(X))
        for i in np.ndindex(p.shape):
            old = p[i]
            p[i] = old + h
            g[i] = (mse(y, network.predict(X)) - base) / h
            p[i] = old
        out[name] = g
    return out


def _over_h(network, X, y, h=1e-6):
    return {k: 2.0 * v for k, v in rhw1986.numerical_gradients(network, X, y, h).items()}


numerical_gradients = Exercise(
    reference=rhw1986.numerical_gradients,
    solution='''\
def numerical_gradients(network, X, y, h=1e-6):
    grads = {}
    for name, param in network.params.items():
        grad = np.zeros(param.shape)
        for i in np.ndindex(param.shape):
            old = param[i]
            param[i] = old + h
            L_plus = mse(y, network.predict(X))
            param[i] = old - h
            L_minus = mse(y, network.predict(X))
            param[i] = old  # restore it
            grad[i] = (L_plus - L_minus) / (2 * h)
        grads[name] = grad
    return grads
''',
    cases=_gradient_cases,
    compare=compare_gradients,
    in_place={"network": "not restored"},  # nudging its weights is the method; leaving them is not
    hints=[
        "For every parameter array p in network.params and every entry i of it: set "
        "p[i] = old + h, compute the loss mse(y, network.predict(X)), set p[i] = old - h, "
        "compute it again, and put p[i] back to old. The arrays in network.params are the "
        "network's own, so a change in place changes the network's output.",
        "The central difference is (L_plus - L_minus) / (2 * h). Loop over the entries with "
        "for i in np.ndindex(p.shape), collect them in np.zeros_like(p), and return "
        "{name: that array}.",
        "grads = {}\n"
        "for name, p in network.params.items():\n"
        "    g = np.zeros_like(p)\n"
        "    for i in np.ndindex(p.shape):\n"
        "        old = p[i]\n"
        "        p[i] = old + h\n"
        "        L_plus = mse(y, network.predict(X))\n"
        "        p[i] = old - h\n"
        "        L_minus = mse(y, network.predict(X))\n"
        "        p[i] = old\n"
        "        g[i] = (L_plus - L_minus) / (2 * h)\n"
        "    grads[name] = g\n"
        "return grads",
    ],
    misconceptions=[
        Misconception(
            "backward instead of finite differences",
            _backward,
            "You returned the backward pass's gradients, network.backward(...): those are "
            "what a gradient check is meant to test, so they cannot check themselves. On "
            "the network with a buggy backward pass they are wrong, and only a numerical "
            "gradient tells. Measure every entry with the central difference, "
            "(L(θ + h) − L(θ − h)) / (2h), from network.predict(X) and mse.",
        ),
        Misconception("not restored", _not_restored, NOT_RESTORED),
        Misconception(
            "divided by h instead of 2h",
            _over_h,
            "Your gradients are exactly twice the right ones: L(θ + h) − L(θ − h) spans a "
            "distance of 2h, so divide by 2h, not by h.",
        ),
        Misconception(
            "one-sided difference",
            _one_sided,
            "You used the one-sided difference (L(θ + h) − L(θ)) / h. Its error shrinks "
            "only like h, about 1e-6 here; the central difference "
            "(L(θ + h) − L(θ − h)) / (2h) errs like h², about 1e-12, which is what a "
            "gradient check needs to tell a right backward pass from a wrong one.",
        ),
    ],
)
