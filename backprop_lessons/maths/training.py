"""Training over mini-batches and epochs.

One epoch: shuffle the training set, cut it into mini-batches (32 instances by
default, the last one may be smaller), and for each batch run the forward pass, the
backward pass and one gradient-descent step for every weight and bias:

    theta_new = theta_old - eta * dL/dtheta_old
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from .losses import get_loss
from .network import Diverged, Network, mse_and_grad
from .updates import weight_update
from .validate import as_float_array, require_finite, require_positive, require_positive_int

__all__ = ["minibatches", "minibatch_indices", "gradient_descent_step", "History", "train",
           "train_epochs", "accuracy", "mse_and_grad"]


def minibatches(X, y, batch_size: int = 32, seed: int | None = 0,
                shuffle: bool = True, rng: np.random.Generator | None = None
                ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield ``(X_batch, y_batch)`` covering every sample exactly once (one epoch).

    The order is a seeded permutation (``rng`` if given, else ``default_rng(seed)``);
    the last batch keeps the remaining ``len(X) % batch_size`` samples.
    """
    X_a = as_float_array(X, "X")
    y_a = as_float_array(y, "y")
    if X_a.ndim == 0 or y_a.ndim == 0 or len(X_a) != len(y_a):
        raise ValueError(f"X and y must have one row per sample and the same number of rows, "
                         f"got X {X_a.shape} and y {y_a.shape}")
    batch_size = require_positive_int(batch_size, "batch_size")
    n = len(X_a)
    if shuffle:
        rng = np.random.default_rng(seed) if rng is None else rng
        order = rng.permutation(n)
    else:
        order = np.arange(n)
    for start in range(0, n, batch_size):
        idx = order[start:start + batch_size]
        yield X_a[idx], y_a[idx]


def minibatch_indices(n: int, batch_size: int = 32, seed: int | None = 0) -> list[np.ndarray]:
    """The index batches of one epoch: a seeded shuffle of 0..n-1, cut into slices.

    With order = default_rng(seed).permutation(n) and B = batch_size, batch k is
    order[k*B:(k+1)*B]. Every sample appears exactly once per epoch (no index twice, none
    missing), the order is random but the same for the same seed, and the last batch keeps
    the n % B leftover samples (it is not dropped): ceil(n / B) batches in all. These are
    the batches :func:`minibatches` yields for the same seed.
    """
    n = require_positive_int(n, "n")
    batch_size = require_positive_int(batch_size, "batch_size")
    order = np.random.default_rng(seed).permutation(n)
    return [order[start:start + batch_size] for start in range(0, n, batch_size)]


def gradient_descent_step(params: dict, grads: dict, eta: float) -> dict:
    """``{name: params[name] - eta * grads[name]}`` for every parameter; inputs untouched.

    Every weight and every bias takes the same step rule (see ``weight_update``).
    """
    if set(params) != set(grads):
        raise KeyError(f"grads must have the same names as params: missing "
                       f"{sorted(set(params) - set(grads))}, unexpected "
                       f"{sorted(set(grads) - set(params))}")
    require_positive(eta, "eta")
    return {name: weight_update(params[name], grads[name], eta) for name in params}


@dataclass
class History:
    """Losses recorded by :func:`train`: one per batch and the mean per epoch."""

    batch_losses: list[float] = field(default_factory=list)
    epoch_losses: list[float] = field(default_factory=list)

    def __repr__(self) -> str:
        last = f"{self.epoch_losses[-1]:.4g}" if self.epoch_losses else "n/a"
        return (f"History({len(self.epoch_losses)} epochs, {len(self.batch_losses)} batches, "
                f"last epoch loss {last})")


def _diverged(epoch: int, eta: float) -> ValueError:
    return ValueError(f"training diverged in epoch {epoch}: the loss is no longer a finite "
                      f"number (eta = {eta} is probably too large)")


def train(network, X, y, loss: str = "mse", eta: float = 0.5, epochs: int = 100,
          batch_size: int = 32, seed: int | None = 0) -> History:
    """Train ``network`` in place by mini-batch gradient descent; return the History.

    Each epoch reshuffles (one Generator seeded once by ``seed``); the epoch loss is
    the mean of its batch losses weighted by batch size.
    """
    loss_fn, loss_grad = get_loss(loss)
    eta = require_positive(eta, "eta")
    epochs = require_positive_int(epochs, "epochs")
    y_a = as_float_array(y, "y")
    if y_a.ndim == 1:
        y_a = y_a.reshape(-1, 1)
    if y_a.ndim and not len(y_a):
        raise ValueError(f"X and y must hold at least one sample to train on, got y of "
                         f"shape {y_a.shape}")
    fast_mse = loss == "mse"
    if fast_mse:  # checked once here, instead of by mse and mse_grad on every batch
        require_finite(y_a, "y")
    rng = np.random.default_rng(seed)
    history = History()
    params = network.params  # the network's own arrays: updated in place below
    # the course's Network takes the whole step in its buffers (Network.train_step): the
    # same floats as the lines below, which run for any other network
    fused = fast_mse and isinstance(network, Network)
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(1, epochs + 1):
            total, count = 0.0, 0
            for Xb, yb in minibatches(X, y_a, batch_size, rng=rng):
                if fused:
                    try:
                        batch_loss = network.train_step(Xb, yb, eta)
                    except Diverged:
                        raise _diverged(epoch, eta) from None
                    history.batch_losses.append(batch_loss)
                    total += batch_loss * len(Xb)
                    count += len(Xb)
                    continue
                Y, cache = network.forward(Xb)
                if fast_mse:
                    if yb.shape != Y.shape:
                        raise ValueError(f"y and y_hat must have the same shape, got y "
                                         f"{yb.shape} and y_hat {Y.shape}")
                    batch_loss, dL_dY = mse_and_grad(yb, Y)
                    if not np.isfinite(batch_loss):
                        raise _diverged(epoch, eta)
                else:
                    batch_loss = loss_fn(yb, Y) if np.all(np.isfinite(Y)) else np.inf
                    if not np.isfinite(batch_loss):
                        raise _diverged(epoch, eta)
                    dL_dY = loss_grad(yb, Y)
                grads = network.backward(cache, dL_dY)
                for name, param in params.items():
                    # W_new = W_old - eta * dL/dW_old, written into the network's own array
                    # (the rule of gradient_descent_step, without copying every parameter)
                    param -= eta * grads[name]
                history.batch_losses.append(float(batch_loss))
                total += float(batch_loss) * len(Xb)
                count += len(Xb)
            history.epoch_losses.append(total / count)
    return history


def train_epochs(layer_sizes, X, y, eta: float = 0.5, epochs: int = 10,
                 batch_size: int = 32, seed: int | None = 0) -> list[float]:
    """The loss of every epoch while a fresh ``Network(layer_sizes, seed=seed)`` (sigmoid
    layers) learns ``(X, y)`` by mini-batch gradient descent on the mean squared error.

    One Generator rng = default_rng(seed) shuffles every epoch (a new order each epoch).
    For each batch (X_b, y_b) of ``minibatches(X, y, batch_size, rng=rng)``: forward pass
    Y_b, batch loss L_b = mse(y_b, Y_b), backward pass from dL/dY_b = mse_grad(y_b, Y_b),
    then W_new = W_old - eta * dL/dW_old for every weight and bias. The epoch's loss is
    the mean of its batch losses weighted by batch size, sum_b n_b * L_b / n (the mean
    loss over every sample seen during the epoch). Returns one float per epoch: the same
    numbers as ``train(Network(layer_sizes, seed=seed), X, y, "mse", eta, epochs,
    batch_size, seed).epoch_losses``.
    """
    from .losses import mse, mse_grad

    network = Network(layer_sizes, seed=seed)
    y = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
    rng = np.random.default_rng(seed)
    losses = []
    for _ in range(require_positive_int(epochs, "epochs")):
        total = 0.0
        for X_b, y_b in minibatches(X, y, batch_size, rng=rng):
            Y_b, cache = network.forward(X_b)
            total += mse(y_b, Y_b) * len(X_b)
            grads = network.backward(cache, mse_grad(y_b, Y_b))
            network.set_params(gradient_descent_step(network.params, grads, eta))
        losses.append(total / len(X))
    return losses


def accuracy(y, y_hat, threshold: float = 0.5) -> float:
    """Fraction of predictions on the right side of ``threshold`` (binary labels 0/1)."""
    y_a = as_float_array(y, "y").reshape(-1)
    p = as_float_array(y_hat, "y_hat").reshape(-1)
    if y_a.shape != p.shape:
        raise ValueError(f"y and y_hat must have the same number of entries, "
                         f"got {y_a.size} and {p.size}")
    return float(np.mean((p >= threshold) == (y_a >= 0.5)))
