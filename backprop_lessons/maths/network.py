"""A vectorized multi-layer network: dense layers over a mini-batch.

Shapes, for a mini-batch X of shape (batch, n_in):

    forward:   Z = X @ W + b        (batch, n_out)     W: (n_in, n_out), b: (n_out,)
               A = act(Z)
    backward:  dL/dZ = dL/dA * act'(Z)                 (the layer's error signal)
               dL/dW = X.T @ dL/dZ                     (n_in, n_out)
               dL/db = sum of dL/dZ over the batch     (n_out,)
               dL/dX = dL/dZ @ W.T                     (batch, n_in), passed to the layer below

The forward pass keeps every intermediate (X, Z, A of each layer) in a cache because
the backward pass needs them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .activations import get_activation
from .validate import as_float_array, describe, require_finite

__all__ = ["Dense", "Network", "dense_forward", "dense_backward"]


def _batch(X, name: str, n_features: int) -> np.ndarray:
    X_a = as_float_array(X, name)
    if X_a.ndim != 2 or X_a.shape[1] != n_features:
        raise ValueError(
            f"{name} must have shape (batch, {n_features}) (one row per instance, "
            f"{n_features} features), got shape {X_a.shape}"
            + (". For one instance use x.reshape(1, -1)" if X_a.ndim == 1 else "")
        )
    require_finite(X_a, name)
    return X_a


def _forward(X: np.ndarray, W: np.ndarray, b: np.ndarray, act):
    """Z = X @ W + b, A = act(Z), on arrays already checked."""
    Z = X @ W + b
    return np.asarray(act(Z)), Z


def _backward(dL_dA: np.ndarray, X: np.ndarray, Z: np.ndarray, W: np.ndarray, act_prime):
    """(dL_dX, dL_dW, dL_db) on arrays already checked."""
    dL_dZ = dL_dA * np.asarray(act_prime(Z))
    return dL_dZ @ W.T, X.T @ dL_dZ, dL_dZ.sum(axis=0)


def dense_forward(X, W, b, activation: str = "sigmoid"):
    """One dense layer on a batch: ``Z = X @ W + b``, ``A = act(Z)``; returns ``(A, Z)``."""
    W_a = as_float_array(W, "W")
    b_a = as_float_array(b, "b")
    if W_a.ndim != 2:
        raise ValueError(f"W must be a 2-d array (n_in, n_out), got shape {W_a.shape}")
    if b_a.shape != (W_a.shape[1],):
        raise ValueError(f"b must have shape ({W_a.shape[1]},) to match W, got shape {b_a.shape}")
    X_a = _batch(X, "X", W_a.shape[0])
    act, _ = get_activation(activation)
    return _forward(X_a, W_a, b_a, act)


def dense_backward(dL_dA, X, Z, W, activation: str = "sigmoid"):
    """Backward through one dense layer; returns ``(dL_dX, dL_dW, dL_db)``.

    dL/dZ = dL/dA * act'(Z); dL/dW = X.T @ dL/dZ; dL/db = dL/dZ summed over the batch
    (axis 0); dL/dX = dL/dZ @ W.T.
    """
    dL_dA = as_float_array(dL_dA, "dL_dA")
    Z = as_float_array(Z, "Z")
    if dL_dA.shape != Z.shape:
        raise ValueError(
            f"dL_dA must have the shape of the layer's output {Z.shape}, got {dL_dA.shape}"
        )
    X = as_float_array(X, "X")
    W = as_float_array(W, "W")
    _, act_prime = get_activation(activation)
    return _backward(dL_dA, X, Z, W, act_prime)


class Dense:
    """A dense layer with weights ``W`` (n_in, n_out) and bias ``b`` (n_out,).

    Weights start from a seeded Generator with scale sqrt(1 / n_in) (sigmoid/tanh) or
    sqrt(2 / n_in) (relu); biases start at zero.
    """

    def __init__(self, n_in: int, n_out: int, activation: str = "sigmoid",
                 rng: np.random.Generator | None = None) -> None:
        for name, n in (("n_in", n_in), ("n_out", n_out)):
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
                raise ValueError(f"{name} must be a positive integer, got {describe(n)}")
        get_activation(activation)
        rng = np.random.default_rng(0) if rng is None else rng
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy.random.Generator, got {describe(rng)}")
        scale = np.sqrt((2.0 if activation == "relu" else 1.0) / n_in)
        self.activation = activation
        self.W = rng.normal(0.0, scale, size=(int(n_in), int(n_out)))
        self.b = np.zeros(int(n_out))

    @property
    def shape(self) -> tuple[int, int]:
        return self.W.shape

    def forward(self, X):
        """``(A, cache)`` with cache = {"X", "Z", "A"} for the backward pass."""
        return self._forward(_batch(X, "X", self.W.shape[0]))

    def _forward(self, X: np.ndarray):
        act, _ = get_activation(self.activation)
        A, Z = _forward(X, self.W, self.b, act)
        return A, {"X": X, "Z": Z, "A": A}

    def backward(self, cache: dict, dL_dA):
        """``(dL_dX, {"W": dL_dW, "b": dL_db})`` from the cache of :meth:`forward`."""
        dL_dA = as_float_array(dL_dA, "dL_dA")
        if dL_dA.shape != cache["Z"].shape:
            raise ValueError(f"dL_dA must have the shape of the layer's output "
                             f"{cache['Z'].shape}, got {dL_dA.shape}")
        return self._backward(cache, dL_dA)

    def _backward(self, cache: dict, dL_dA: np.ndarray):
        _, act_prime = get_activation(self.activation)
        dL_dX, dL_dW, dL_db = _backward(dL_dA, cache["X"], cache["Z"], self.W, act_prime)
        return dL_dX, {"W": dL_dW, "b": dL_db}

    def __repr__(self) -> str:
        return f"Dense({self.W.shape[0]} -> {self.W.shape[1]}, {self.activation})"


class Network:
    """A stack of dense layers, e.g. ``Network([2, 4, 1])`` for 2 inputs, 4 hidden, 1 output.

    Parameters are named "W1", "b1" (first layer), "W2", "b2", ... ; ``params`` maps
    each name to the layer's own array, so an in-place change updates the network.
    """

    def __init__(self, layer_sizes: Sequence[int],
                 activations: str | Sequence[str] = "sigmoid",
                 seed: int | None = 0, rng: np.random.Generator | None = None) -> None:
        sizes = list(layer_sizes)
        if len(sizes) < 2:
            raise ValueError(
                f"layer_sizes must list at least an input and an output size, got {sizes}"
            )
        n_layers = len(sizes) - 1
        acts = [activations] * n_layers if isinstance(activations, str) else list(activations)
        if len(acts) != n_layers:
            raise ValueError(
                f"activations must be one name or {n_layers} names (one per layer), "
                f"got {len(acts)}"
            )
        rng = np.random.default_rng(seed) if rng is None else rng
        self.layers = [Dense(sizes[i], sizes[i + 1], acts[i], rng) for i in range(n_layers)]
        self.layer_sizes = tuple(int(s) for s in sizes)

    @property
    def params(self) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for i, layer in enumerate(self.layers, start=1):
            out[f"W{i}"] = layer.W
            out[f"b{i}"] = layer.b
        return out

    def set_params(self, params: dict) -> None:
        """Replace every parameter (same names and shapes as :attr:`params`)."""
        current = self.params
        missing = sorted(set(current) - set(params))
        extra = sorted(set(params) - set(current))
        if missing or extra:
            raise KeyError(f"params must have exactly {sorted(current)}; "
                           f"missing {missing}, unexpected {extra}")
        for name, value in params.items():
            arr = as_float_array(value, name)
            if arr.shape != current[name].shape:
                raise ValueError(f"{name} must have shape {current[name].shape}, "
                                 f"got {arr.shape}")
            current[name][...] = arr

    def forward(self, X):
        """``(Y, cache)``: the output for the batch X (batch, n_in) and every intermediate.

        ``cache`` is a list with one dict per layer: {"X": its input, "Z": its
        pre-activation, "A": its output}.
        """
        A = _batch(X, "X", self.layer_sizes[0])  # checked once; the layers trust it
        cache = []
        for layer in self.layers:
            A, layer_cache = layer._forward(A)
            cache.append(layer_cache)
        return A, cache

    def predict(self, X) -> np.ndarray:
        """The output for X, no cache kept."""
        return self.forward(X)[0]

    def backward(self, cache: list, dL_dY) -> dict[str, np.ndarray]:
        """Every gradient, from the output back to the input, layer by layer.

        ``dL_dY`` is dL/d(output) of shape (batch, n_out). Returns {"W1": dL/dW1,
        "b1": dL/db1, ...}; each bias gradient is summed over the batch.
        """
        if not isinstance(cache, list) or len(cache) != len(self.layers):
            raise ValueError(f"cache must be the list returned by forward() "
                             f"({len(self.layers)} layers), got {describe(cache)}")
        dL_dA = as_float_array(dL_dY, "dL_dY")
        if dL_dA.shape != cache[-1]["A"].shape:
            raise ValueError(f"dL_dY must have the shape of the output "
                             f"{cache[-1]['A'].shape}, got {dL_dA.shape}")
        grads: dict[str, np.ndarray] = {}
        for i in range(len(self.layers), 0, -1):
            dL_dA, g = self.layers[i - 1]._backward(cache[i - 1], dL_dA)
            grads[f"W{i}"] = g["W"]
            grads[f"b{i}"] = g["b"]
        return {name: grads[name] for name in self.params}

    def __repr__(self) -> str:
        acts = ", ".join(layer.activation for layer in self.layers)
        return f"Network({list(self.layer_sizes)}, activations=[{acts}])"
