"""The explorers' states: plain Python and numpy objects that compute every number an
explorer shows from the core functions, so that they are tested without a browser."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

from ..maths import calculus, course_network, updates
from ..maths.descent import descent_path, loss_1d

__all__ = ["SlopeExplorerState", "LearningRateState", "ChainRuleState", "TrainingState"]


@dataclass
class SlopeExplorerState:
    """One gradient-descent step on the 1-D loss ``L(W) = 0.5 (W - 2)^2 + 0.3``.

    ``slope = dL/dW`` at W (central difference), ``W_new = W - eta * slope``;
    ``direction`` is +1 (W grows, slope < 0), -1 (W shrinks, slope > 0) or 0.
    """

    W: float = 0.4
    eta: float = 0.5

    @property
    def slope(self) -> float:
        return calculus.numerical_derivative(loss_1d, self.W)

    @property
    def sign(self) -> int:
        """-1, 0 or +1: the sign of the slope (flat below 1e-9)."""
        return calculus.slope_sign(self.slope, tol=1e-9)

    @property
    def W_new(self) -> float:
        return updates.weight_update(self.W, self.slope, self.eta)

    @property
    def direction(self) -> int:
        return 0 if self.sign == 0 else updates.step_direction(self.slope)

    @property
    def L_old(self) -> float:
        return loss_1d(self.W)

    @property
    def L_new(self) -> float:
        return loss_1d(self.W_new)

    @property
    def relation(self) -> str:
        """The inequality spelled out, e.g. 'slope -1.60 < 0, so W_new = 1.20 > W_old = 0.40'."""
        s, new = self.slope, self.W_new
        if self.sign < 0:
            return f"slope {s:+.2f} < 0, so W_new = {new:.2f} > W_old = {self.W:.2f}"
        if self.sign > 0:
            return f"slope {s:+.2f} > 0, so W_new = {new:.2f} < W_old = {self.W:.2f}"
        return f"slope {abs(s):.2f} = 0, so W_new = W_old = {self.W:.2f} (at the minimum)"


@dataclass
class LearningRateState:
    """``steps`` steps of gradient descent on the 1-D loss from ``W0`` with rate ``eta``:
    ``W_(k+1) = W_k - eta dL/dW(W_k)``. On this loss ``W_(k+1) - 2 = (1 - eta)(W_k - 2)``:
    it converges for 0 < eta < 2, oscillates for eta > 1 and diverges for eta > 2."""

    eta: float = 0.7
    steps: int = 10
    W0: float = -1.5

    @property
    def path(self) -> list[float]:
        return descent_path(self.W0, self.eta, self.steps)

    @property
    def losses(self) -> list[float]:
        return [loss_1d(w) for w in self.path]

    @property
    def verdict(self) -> str:
        """'converges', 'converges, oscillating', 'diverges' or 'oscillates forever'."""
        factor = 1.0 - self.eta
        if abs(factor) < 1.0:
            return "converges" if factor >= 0 else "converges, oscillating"
        return "oscillates forever" if abs(factor) == 1.0 else "diverges"


@dataclass
class ChainRuleState:
    """The course network at input ``x`` (target ``y``) with weights W1..W5 and biases b1..b4.

    ``intermediates``: every z and O of the forward pass and L; ``path_products``: each
    chain-rule path from L to W1 with its product; ``total``: their sum, dL/dW1;
    ``numeric``: dL/dW1 measured by central differences."""

    x: float = 1.5
    y: float = 1.0
    params: dict[str, float] = field(default_factory=course_network.default_params)

    def set(self, name: str, value: float) -> None:
        """Set ``x``, ``y`` or one parameter ('W1'..'W5', 'b1'..'b4')."""
        if name in ("x", "y"):
            setattr(self, name, float(value))
        elif name in course_network.PARAM_NAMES:
            self.params[name] = float(value)
        else:
            raise KeyError(
                f"name must be 'x', 'y' or one of {list(course_network.PARAM_NAMES)}, got {name!r}"
            )

    @property
    def intermediates(self) -> dict[str, float]:
        return {k: float(v) for k, v in course_network.forward(self.x, self.y, self.params).items()}

    @property
    def path_products(self) -> list[tuple[str, float]]:
        """``[(formula, product), ...]`` for the two paths from L to W1."""
        return [
            (str(path), float(product))
            for path, _values, product in course_network.path_products(
                self.x, self.y, self.params, "W1"
            )
        ]

    @property
    def total(self) -> float:
        return sum(p for _f, p in self.path_products)

    @property
    def numeric(self) -> float:
        return float(course_network.numerical_gradient(self.x, self.y, self.params, "W1"))


_DATASETS = ("two_moons", "xor", "spirals")


@dataclass
class TrainingState:
    """A 2-8-1 network (tanh, sigmoid) trained on a 2-D data set by mini-batch gradient
    descent with ``batch_size``, ``eta`` and ``epochs``; ``losses`` per epoch, the final
    ``accuracy`` and the predicted probability on a grid for the decision boundary."""

    batch_size: int = 32
    eta: float = 0.5
    epochs: int = 60
    dataset: str = "two_moons"
    seed: int = 0

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        from ..maths import datasets

        if self.dataset not in _DATASETS:
            raise ValueError(f"dataset must be one of {list(_DATASETS)}, got {self.dataset!r}")
        if self.dataset == "two_moons":
            return datasets.two_moons(n=200, noise=0.1, seed=self.seed)
        if self.dataset == "spirals":
            return datasets.spirals(seed=self.seed)
        return datasets.xor()

    def result(self):
        """``(network, history)``, trained once per setting (cached)."""
        return _train_cached(
            self.dataset, int(self.batch_size), float(self.eta), int(self.epochs), int(self.seed)
        )

    @property
    def losses(self) -> list[float]:
        return list(self.result()[1].epoch_losses)

    @property
    def accuracy(self) -> float:
        from ..maths import training

        X, y = self.data()
        return float(training.accuracy(y, self.result()[0].predict(X)))

    def grid(self, n: int = 80):
        """``(xx, yy, p)``: a grid over the data and the network's output on it."""
        X, _y = self.data()
        lo, hi = X.min(axis=0) - 0.5, X.max(axis=0) + 0.5
        xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n))
        p = self.result()[0].predict(np.column_stack([xx.ravel(), yy.ravel()]))
        return xx, yy, p.reshape(xx.shape)


@functools.lru_cache(maxsize=16)
def _train_cached(dataset: str, batch_size: int, eta: float, epochs: int, seed: int):
    from ..maths import network, training

    X, y = TrainingState(batch_size, eta, epochs, dataset, seed).data()
    net = network.Network([2, 8, 1], activations=["tanh", "sigmoid"], seed=seed)
    hist = training.train(
        net,
        X,
        y,
        loss="mse",
        eta=eta,
        epochs=epochs,
        batch_size=min(batch_size, len(X)),
        seed=seed,
    )
    return net, hist
