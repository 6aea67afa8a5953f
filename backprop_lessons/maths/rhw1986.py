"""The first experiment of Rumelhart, Hinton & Williams (1986), "Learning representations by
back-propagating errors" (Nature 323): a 6-2-1 sigmoid network learns to tell whether a
6-bit vector is mirror symmetric (reads the same backwards), and its two hidden units
discover a solution that can be read from their weights.

    label          y = 1 when x_i = x_(7-i) for i = 1, 2, 3, else 0
    paper's start  every weight and bias uniform in [-0.3, 0.3]
    momentum       Delta_theta(t) = -eta * dL/dtheta + alpha * Delta_theta(t-1)
                   theta_new     = theta_old + Delta_theta(t)
    full batch     one step per sweep through all 64 vectors, L = mean squared error
    mirror cosine  c(w) = sum_i w_i w_(n+1-i) / sum_i w_i^2      (-1: w_i = -w_(n+1-i))
    pair weights   a_k = (w_k - w_(n+1-k)) / 2, k = 1 .. n/2

The paper's error E = 1/2 sum over cases of (y - d)^2 has the gradient of our mean squared
error times n/2 (32 for the 64 vectors): its learning rate epsilon is our eta / 32.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np

from .gradcheck import numerical_gradient
from .losses import get_loss
from .network import Network
from .training import accuracy
from .validate import as_float, as_float_array, describe, require_finite, require_positive

__all__ = [
    "INIT_SCALE",
    "symmetry_labels",
    "paper_network",
    "momentum_step",
    "FullBatchRun",
    "train_full_batch",
    "mirror_cosine",
    "pair_weights",
    "numerical_gradients",
    "SeedRuns",
    "train_many_seeds",
    "train_seeds",
]

INIT_SCALE = 0.3
"""The paper's initial weights and biases: uniform in [-0.3, 0.3]."""


def _bits(X, name: str = "X") -> np.ndarray:
    X_a = as_float_array(X, name)
    if X_a.ndim != 2 or X_a.shape[1] < 1:
        raise ValueError(
            f"{name} must be a 2-d array with one bit vector per row, shape (n, bits), "
            f"got shape {X_a.shape}"
            + (". For one vector use x.reshape(1, -1)" if X_a.ndim == 1 else "")
        )
    require_finite(X_a, name)
    return X_a


def symmetry_labels(X) -> np.ndarray:
    """The label of each row of X, shape (n, 1): 1.0 if it reads the same backwards.

    A row is symmetric when x_i = x_(n+1-i) for every i; its label is then 1.0, else 0.0.
    For 6 bits: x1 = x6, x2 = x5 and x3 = x4."""
    X_a = _bits(X)
    return np.all(X_a == X_a[:, ::-1], axis=1).astype(np.float64).reshape(-1, 1)


def _non_negative_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"{name} must be an integer >= 0, got {describe(value)}")
    return int(value)


def paper_network(layer_sizes: Sequence[int] = (6, 2, 1), seed: int = 0,
                  scale: float = INIT_SCALE) -> Network:
    """A sigmoid ``Network(layer_sizes)`` started as in the paper: every weight and every
    bias drawn uniformly from [-scale, scale] by ``np.random.default_rng(seed)``."""
    scale = require_positive(scale, "scale")
    seed = _non_negative_int(seed, "seed")
    net = Network(layer_sizes, activations="sigmoid", seed=seed)
    rng = np.random.default_rng(seed)
    net.set_params({name: rng.uniform(-scale, scale, size=p.shape)
                    for name, p in net.params.items()})
    return net


def _alpha(alpha) -> float:
    a = as_float(alpha, "alpha")
    if not 0.0 <= a < 1.0:
        raise ValueError(f"alpha (the momentum) must be in [0, 1), got {a}")
    return a


def momentum_step(params: Mapping[str, np.ndarray], grads: Mapping[str, np.ndarray],
                  velocity: Mapping[str, np.ndarray], eta: float, alpha: float
                  ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """One step with momentum, for every parameter theta (weights and biases):

        Delta_theta(t) = -eta * dL/dtheta_old + alpha * Delta_theta(t-1)
        theta_new      = theta_old + Delta_theta(t)

    ``velocity`` holds the previous steps Delta_theta(t-1) (zeros at the start). Returns
    ``(new_params, new_velocity)``; the inputs are not changed. With alpha = 0 this is
    the plain step theta_new = theta_old - eta * dL/dtheta_old.
    """
    eta = require_positive(eta, "eta")
    alpha = _alpha(alpha)
    for other, name in ((grads, "grads"), (velocity, "velocity")):
        if not isinstance(other, Mapping) or set(other) != set(params):
            got = sorted(other) if isinstance(other, Mapping) else describe(other)
            raise KeyError(f"{name} must have the same names as params {sorted(params)}, "
                           f"got {got}")
    new_params, new_velocity = {}, {}
    for name in params:
        theta = as_float_array(params[name], name)
        step = -eta * as_float_array(grads[name], f"grads[{name!r}]") \
            + alpha * as_float_array(velocity[name], f"velocity[{name!r}]")
        if step.shape != theta.shape:
            raise ValueError(f"the gradient and velocity of {name} must have its shape "
                             f"{theta.shape}, got a step of shape {step.shape}")
        new_velocity[name] = step
        new_params[name] = theta + step
    return new_params, new_velocity


class _RunFields(NamedTuple):
    epochs: int
    accuracy: float


class FullBatchRun(_RunFields):
    """``(epochs, accuracy)`` of :func:`train_full_batch`; also ``.network`` (the trained
    network) and ``.losses`` (the mean squared error before each sweep)."""

    network: Network
    losses: list[float]


def train_full_batch(layer_sizes: Sequence[int], X, y, eta: float, alpha: float = 0.9,
                     max_epochs: int = 3000, seed: int = 0) -> FullBatchRun:
    """Train ``paper_network(layer_sizes, seed)`` on (X, y) as in the paper: full batch,
    mean squared error, a momentum step after every sweep, until every example is on the
    right side of 0.5.

    Each sweep (epoch): forward pass over all of X; if accuracy(y, Y) is 1.0, stop;
    else backward pass from dL/dY = mse_grad(y, Y) and
    Delta_theta(t) = -eta * dL/dtheta + alpha * Delta_theta(t-1), theta += Delta_theta(t).
    Returns ``FullBatchRun(epochs, accuracy)``: the number of steps taken (max_epochs if
    it never got every example right) and the accuracy of the final weights.
    """
    net = paper_network(layer_sizes, seed)
    X_a = as_float_array(X, "X")
    y_a = as_float_array(y, "y").reshape(len(X_a), -1)
    eta = require_positive(eta, "eta")
    alpha = _alpha(alpha)
    max_epochs = _non_negative_int(max_epochs, "max_epochs")
    velocity = {name: np.zeros_like(p) for name, p in net.params.items()}
    losses: list[float] = []
    epochs = 0
    while True:
        Y, cache = net.forward(X_a)
        error = Y - y_a
        losses.append(float(np.mean(error ** 2)))  # L = mse(y, Y)
        if np.all((Y >= 0.5) == (y_a >= 0.5)) or epochs == max_epochs:
            break
        grads = net.backward(cache, 2.0 * error / error.size)  # dL/dY = mse_grad(y, Y)
        for name, theta in net.params.items():
            velocity[name] = alpha * velocity[name] - eta * grads[name]
            theta += velocity[name]  # theta_new = theta_old + Delta_theta(t), in place
        epochs += 1
    run = FullBatchRun(epochs, accuracy(y_a, Y))
    run.network = net
    run.losses = losses
    return run


def _weight_vector(w) -> np.ndarray:
    w_a = as_float_array(w, "w")
    if w_a.ndim == 2 and 1 in w_a.shape:
        w_a = w_a.reshape(-1)
    if w_a.ndim != 1 or w_a.size < 2:
        raise ValueError(f"w must be the input weights of one unit, a vector of at least "
                         f"2 numbers, got shape {w_a.shape}")
    require_finite(w_a, "w")
    return w_a


def mirror_cosine(w) -> float:
    """c(w) = sum_i w_i w_(n+1-i) / sum_i w_i^2, the cosine of w and its mirror image.

    w holds a unit's input weights. c(w) is -1 when w_i = -w_(n+1-i) for every i (mirror
    images of opposite sign), +1 when w_i = w_(n+1-i), near 0 for unrelated weights."""
    w_a = _weight_vector(w)
    norm2 = float(w_a @ w_a)
    if norm2 == 0.0:
        raise ValueError("w must not be all zeros: the cosine of a zero vector is undefined")
    return float(w_a @ w_a[::-1]) / norm2


def pair_weights(w) -> np.ndarray:
    """a_k = (w_k - w_(n+1-k)) / 2 for k = 1 .. n/2: the anti-symmetric part of a unit's
    input weights, one number per mirror pair. When w_(n+1-k) = -w_k, the net input is
    sum_i w_i x_i = sum_k a_k (x_k - x_(n+1-k)), zero for every symmetric x."""
    w_a = _weight_vector(w)
    half = w_a.size // 2
    return (w_a[:half] - w_a[::-1][:half]) / 2.0


def numerical_gradients(network: Network, X, y, h: float = 1e-6) -> dict[str, np.ndarray]:
    """{name: numerical dL/dtheta} for every parameter of ``network``, L = mse(y, Y(X)).

    Each entry by central differences (L(theta + h) - L(theta - h)) / (2h), nudging it in
    place and restoring it. Compare with ``network.backward`` by ``relative_error``."""
    if not isinstance(network, Network):
        raise TypeError(f"network must be a backprop_lessons Network, got {describe(network)}")
    loss_fn, _ = get_loss("mse")
    y_a = as_float_array(y, "y")
    if y_a.ndim == 1:
        y_a = y_a.reshape(-1, 1)
    return {name: numerical_gradient(lambda: loss_fn(y_a, network.predict(X)), param, h)
            for name, param in network.params.items()}


class SeedRuns(NamedTuple):
    """:func:`train_many_seeds`'s result, one entry per seed: ``epochs`` (sweeps taken,
    ``max_epochs`` for a run that never met the stopping rule), ``solved`` (met it), and
    ``W1`` (the final input-to-hidden weights, shape (seeds, inputs, hidden))."""

    seeds: np.ndarray
    epochs: np.ndarray
    solved: np.ndarray
    W1: np.ndarray


def _sigmoid_into(Z: np.ndarray, out: np.ndarray) -> np.ndarray:
    """out = 1 / (1 + exp(-Z)), computed in ``out`` (Z may be ``out`` itself)."""
    np.negative(Z, out=out)
    np.exp(out, out=out)
    out += 1.0
    return np.reciprocal(out, out=out)


def _flat(arrays: Sequence[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """One contiguous buffer holding copies of ``arrays`` end to end, and a view of it shaped
    like each: an update of the buffer is an update of every array, in three numpy calls."""
    flat = np.empty(sum(a.size for a in arrays))
    views, start = [], 0
    for a in arrays:
        view = flat[start:start + a.size].reshape(a.shape)
        view[...] = a
        views.append(view)
        start += a.size
    return flat, views


def _train_stacked(layer_sizes, X, y, eta, alpha, max_epochs, seeds, stop_error,
                   keep_losses: bool):
    """The loop behind :func:`train_many_seeds` and :func:`train_seeds`.

    Every seed's network is one slice of a stack, its biases kept apart from its weights.
    The first layer, whose input X is the same for every seed, is one matrix product for
    all of them: its weights are kept as W[0] of shape (inputs, seeds, units), so that
    X @ W[0].reshape(inputs, seeds * units) is every seed's net input at once, laid out
    (examples, seeds, units). Deeper layers are products batched over the seed axis,
    (seeds, examples, units) @ (seeds, units, next units). The parameters, their
    velocities and their gradients are each one flat buffer (views give the layers), so
    the momentum step is three numpy calls for all layers and seeds. A run that has
    stopped is dropped from the stack. Returns (seeds, epochs, solved, the final parameters
    of each seed as {name: array}, each seed's losses or None)."""
    X_a = as_float_array(X, "X")
    y_a = as_float_array(y, "y").reshape(len(X_a), -1)
    eta = require_positive(eta, "eta")
    alpha = _alpha(alpha)
    max_epochs = _non_negative_int(max_epochs, "max_epochs")
    seed_list = [_non_negative_int(s, "seed") for s in seeds]
    if not seed_list:
        raise ValueError("seeds must hold at least one seed, got none")
    if stop_error is not None:
        stop_error = require_positive(stop_error, "stop_error")
    nets = [paper_network(layer_sizes, s) for s in seed_list]
    n_layers = len(nets[0].params) // 2
    W = [np.stack([n.params[f"W{k + 1}"] for n in nets]) for k in range(n_layers)]
    b = [np.stack([n.params[f"b{k + 1}"] for n in nets]) for k in range(n_layers)]
    W[0] = W[0].transpose(1, 0, 2)  # (inputs, seeds, units)
    P, params = _flat(W + b)
    V, velocity = _flat([np.zeros_like(p) for p in params])
    G, grads = _flat(params)  # overwritten by every sweep's gradients
    S, n = len(seed_list), len(X_a)
    n_in, h1 = W[0].shape[0], W[0].shape[2]
    active = np.arange(S)
    epochs = np.full(S, max_epochs)
    solved = np.zeros(S, dtype=bool)
    final: list[dict[str, np.ndarray]] = [{} for _ in seed_list]
    losses = np.empty((max_epochs + 1, S)) if keep_losses else None
    target_side = y_a >= 0.5
    XT = np.ascontiguousarray(X_a.T)
    scale = 2.0 / y_a.size
    with np.errstate(over="ignore"):
        for epoch in range(max_epochs + 1):
            W, b = params[:n_layers], params[n_layers:]
            s = len(active)
            A1 = X_a @ W[0].reshape(n_in, s * h1)  # (n, s * units): every seed's net input
            A1 += b[0].reshape(-1)
            _sigmoid_into(A1, A1)
            A1 = A1.reshape(n, s, h1)
            acts = [A1.transpose(1, 0, 2)]  # each layer's input, (s, n, units)
            for k in range(1, n_layers):
                Z = acts[-1] @ W[k]
                Z += b[k][:, None, :]
                acts.append(_sigmoid_into(Z, Z))
            Y = acts.pop()
            error = Y - y_a
            if losses is not None:
                losses[epoch, active] = np.mean(error * error, axis=(1, 2))
            if stop_error is None:
                done = ((Y >= 0.5) == target_side).all(axis=(1, 2))
            else:
                done = (np.abs(error) < stop_error).all(axis=(1, 2))
            if epoch == max_epochs or done.any():
                hit = done if epoch < max_epochs else np.ones_like(done)
                for j in np.flatnonzero(hit):
                    i = active[j]
                    epochs[i], solved[i] = epoch, done[j]
                    final[i] = {"W1": W[0][:, j, :].copy(), "b1": b[0][j].copy()}
                    for k in range(1, n_layers):
                        final[i][f"W{k + 1}"] = W[k][j].copy()
                        final[i][f"b{k + 1}"] = b[k][j].copy()
                keep = ~hit
                active = active[keep]
                if not len(active):
                    break
                P, params = _flat([params[0][:, keep, :]] + [p[keep] for p in params[1:]])
                V, velocity = _flat([velocity[0][:, keep, :]] + [v[keep] for v in velocity[1:]])
                G, grads = _flat(params)
                W, b = params[:n_layers], params[n_layers:]
                s = len(active)
                A1 = A1[:, keep, :]
                acts = [A1.transpose(1, 0, 2)] + [a[keep] for a in acts[1:]]
                Y, error = Y[keep], error[keep]
            gW, gb = grads[:n_layers], grads[n_layers:]
            delta = (scale * error) * Y * (1.0 - Y)  # dL/dZ of the output layer
            for k in range(n_layers - 1, 0, -1):
                np.matmul(np.swapaxes(acts[k - 1], 1, 2), delta, out=gW[k])
                np.sum(delta, axis=1, out=gb[k])
                H = acts[k - 1]
                if k > 1:
                    delta = (delta @ np.swapaxes(W[k], 1, 2)) * H * (1.0 - H)
                else:  # the first layer's delta, laid out (n, s, units) like A1
                    back = np.empty((n, s, h1))
                    np.matmul(delta, np.swapaxes(W[k], 1, 2), out=back.transpose(1, 0, 2))
                    delta = back * A1 * (1.0 - A1)
            if n_layers == 1:
                delta = np.ascontiguousarray(delta.transpose(1, 0, 2))
            np.matmul(XT, delta.reshape(n, -1), out=gW[0].reshape(n_in, s * h1))
            np.sum(delta, axis=0, out=gb[0])
            # the momentum step of every layer and seed: v = alpha v - eta g;  p += v
            V *= alpha
            G *= eta
            V -= G
            P += V
    per_seed_losses = None
    if losses is not None:
        per_seed_losses = [losses[:epochs[i] + 1, i].tolist() for i in range(S)]
    return seed_list, epochs, solved, final, per_seed_losses


def train_many_seeds(layer_sizes: Sequence[int], X, y, eta: float, alpha: float = 0.9,
                     max_epochs: int = 3000, seeds: Sequence[int] = range(10),
                     stop_error: float | None = None) -> SeedRuns:
    """:func:`train_full_batch` for many seeds at once: the same start
    (``paper_network(layer_sizes, seed)``), the same full-batch momentum steps on the mean
    squared error, every seed's network stacked along a seed axis so that one sweep is a
    few matrix products for all of them (a run that has stopped is dropped from the
    stack).

    Stopping rule: every example on the right side of 0.5 (as train_full_batch), or, with
    ``stop_error``, every output within ``stop_error`` of its target, max|Y - y| <
    stop_error. The floats differ from train_full_batch's in the last digits (the products
    sum in another order), so a run's sweep count is the same up to such rounding (a run
    that sits long on a plateau can amplify it); print statistics over seeds."""
    seed_list, epochs, solved, final, _ = _train_stacked(
        layer_sizes, X, y, eta, alpha, max_epochs, seeds, stop_error, keep_losses=False)
    W1 = np.stack([f["W1"] for f in final])
    return SeedRuns(np.array(seed_list), epochs, solved, W1)


def train_seeds(layer_sizes: Sequence[int], X, y, eta: float, alpha: float = 0.9,
                max_epochs: int = 3000, seeds: Sequence[int] = range(6)) -> list[FullBatchRun]:
    """``[train_full_batch(layer_sizes, X, y, eta, alpha, max_epochs, seed=s) for s in
    seeds]``, trained all at once as :func:`train_many_seeds` does: one
    :class:`FullBatchRun` per seed, with its trained ``.network`` and its ``.losses``.
    The same runs up to rounding in the last digits (see :func:`train_many_seeds`)."""
    _, epochs, _, final, losses = _train_stacked(
        layer_sizes, X, y, eta, alpha, max_epochs, seeds, None, keep_losses=True)
    X_a = as_float_array(X, "X")
    y_a = as_float_array(y, "y").reshape(len(X_a), -1)
    runs = []
    for seed_epochs, params, seed_losses in zip(epochs, final, losses, strict=True):
        net = Network(layer_sizes, activations="sigmoid")
        net.set_params(params)
        run = FullBatchRun(int(seed_epochs), accuracy(y_a, net.predict(X_a)))
        run.network = net
        run.losses = seed_losses
        runs.append(run)
    return runs
