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

Speed without changing a number: act'(Z) is read off the cached output A = act(Z)
(sigmoid' = A (1 - A), tanh' = 1 - A^2, relu' = [A > 0]: the same floats as from Z);
the first layer's dL/dX, which training never uses, is computed only when asked;
the inputs are checked once per call, not once per layer; temporaries that never
leave a call are written into buffers kept by the layer (``out=`` arithmetic), and big
results into arrays of earlier calls that nobody holds any more. A
``dtype`` (float64 by default, or float32) holds for the parameters, the cache and the
gradients alike.

Beside that teaching path, :meth:`Network.train_step` takes one whole training step
(forward, mean squared error, backward, update) in buffers the network keeps, with no
cache dicts and no gradient dicts: the same floats, to the last bit, as the step a
learner writes with ``forward``, ``backward`` and ``p -= eta * g`` (tested equal), at
the cost of a hand-fused numpy step. :func:`training.train` uses it.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence

import numpy as np

from .activations import get_activation
from .validate import as_float_array, describe, require_finite, require_positive

__all__ = ["Dense", "Network", "LayerCache", "Diverged", "dense_forward", "dense_backward",
           "mse_and_grad"]

_DTYPES = (np.dtype(np.float64), np.dtype(np.float32))
_F64 = _DTYPES[0]


def _dtype(dtype) -> np.dtype:
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt not in _DTYPES:
        raise ValueError(f"dtype must be float64 or float32, got {describe(dtype)}")
    return _DTYPES[_DTYPES.index(dt)]  # the one object, so that `is` compares dtypes


def _as_dtype(value, name: str, dtype: np.dtype) -> np.ndarray:
    """``value`` as an array of ``dtype`` (no copy if it already is one)."""
    if value.__class__ is np.ndarray and (value.dtype is dtype or value.dtype == dtype):
        return value
    arr = as_float_array(value, name)
    return arr if dtype == arr.dtype else arr.astype(dtype)


def _batch(X, name: str, n_features: int, dtype: np.dtype = _DTYPES[0]) -> np.ndarray:
    X_a = _as_dtype(X, name, dtype)
    if X_a.ndim != 2 or X_a.shape[1] != n_features:
        raise ValueError(
            f"{name} must have shape (batch, {n_features}) (one row per instance, "
            f"{n_features} features), got shape {X_a.shape}"
            + (". For one instance use x.reshape(1, -1)" if X_a.ndim == 1 else "")
        )
    # one dot product instead of an isfinite mask: a NaN or an infinity makes the sum of
    # squares non-finite (one that overflows on finite entries only sends us to the exact
    # check); on small batches np.vdot costs a quarter of a reduction such as X.sum()
    if not math.isfinite(np.vdot(X_a, X_a)):
        require_finite(X_a, name)
    return X_a


_FAST = ("sigmoid", "tanh", "relu", "identity")  # activations computed in place here
_FROM_OUTPUT = ("sigmoid", "tanh", "relu")  # act'(Z) read off A = act(Z)
_BIG = 1 << 14  # entries from which a result is written into a recycled array
_POOL = 3  # arrays kept per role and layer: a training loop holds the last step's


def _refcount_alone() -> int:
    """sys.getrefcount of an array that only a list refers to, seen in a loop over the list
    as :func:`_recycled` sees it (0 where there is no getrefcount: nothing is recycled)."""
    if not hasattr(sys, "getrefcount"):
        return 0
    pool = [np.empty(1)]
    for arr in pool:
        return sys.getrefcount(arr)
    return 0


_ALONE = _refcount_alone()


def _recycled(pool: list, shape: tuple, dtype: np.dtype) -> np.ndarray:
    """An array for a new result: one of ``pool`` that nobody holds any more, else new.

    Big arrays that are freed and made again every step cost page faults in the
    allocator; so a layer keeps its last few results (cache entries, gradients) and
    writes a new result into one that only the pool still refers to (CPython's
    reference count equals that of an array held by a list alone, measured once at
    import). An array the caller still holds, or a view of it, is never reused.
    """
    for arr in pool:
        if sys.getrefcount(arr) == _ALONE and arr.shape == shape and arr.dtype == dtype:
            return arr
    arr = np.empty(shape, dtype)
    if len(pool) >= _POOL:
        pool.pop(0)
    pool.append(arr)
    return arr


def mse_and_grad(y: np.ndarray, y_hat: np.ndarray) -> tuple[float, np.ndarray]:
    """The mean squared error and its gradient in one pass, for arrays already checked::

        L = (1/N) sum (y - y_hat)^2,      dL/dy_hat = -2 (y - y_hat) / N,   N = y.size

    The same operations as :func:`losses.mse` and :func:`losses.mse_grad`, so the
    same numbers to the last bit, without checking the arguments again on every batch
    (:func:`training.train` checks ``y`` once, and a non-finite y_hat gives a non-finite L).
    """
    diff = y - y_hat
    return float(np.mean(diff ** 2)), -2.0 * diff / max(diff.size, 1)


class Diverged(ValueError):
    """Raised by :meth:`Network.train_step` when the batch's loss is not a finite number
    (nothing was updated); :func:`training.train` reports it with the epoch."""


class LayerCache(dict):
    """One layer's cache {"X", "Z", "A"} as :meth:`Dense.forward` made it, so A = act(Z)
    holds and act'(Z) may be read off A. After ``cache[key] = value`` (``edited``) or in
    a copy such as ``dict(cache)``, act'(Z) is computed from Z again."""

    edited = False

    def __setitem__(self, key, value) -> None:
        self.edited = True
        super().__setitem__(key, value)


def _sigmoid_into(Z: np.ndarray, out: np.ndarray | None, den: np.ndarray,
                  step: np.ndarray) -> np.ndarray:
    """activations.sigmoid(Z), the same floats, in Z's dtype, into ``out`` (or a new
    array): e = exp(-|Z|), sigmoid = where(Z >= 0, 1, e) / (1 + e).

    The numerator where(Z >= 0, 1, e) is max(e, H) with H = 1.0 where Z >= 0, else 0.0
    (``step``, a buffer of Z's dtype): e lies in [0, 1], so the maximum is 1 where Z >= 0
    and e elsewhere, and a NaN stays NaN. The same floats as a masked copy, several
    times faster on big arrays (np.copyto with ``where=`` copies element by element).
    """
    # (outputs passed by position and 0.0 a float: the cheapest calls on small arrays)
    e = np.copysign(Z, -1.0, out)  # -|Z|
    np.exp(e, e)  # e = e^-|z| <= 1: never overflows
    np.add(e, 1.0, den)
    np.greater_equal(Z, 0.0, step)  # H: 1.0 where Z >= 0, else 0.0
    np.maximum(e, step, out=e)  # (by keyword: np.maximum takes no third input)
    np.divide(e, den, e)
    return e


def _forward(X: np.ndarray, W: np.ndarray, b: np.ndarray, act):
    """Z = X @ W + b, A = act(Z), on arrays already checked."""
    Z = X @ W + b
    return np.asarray(act(Z)), Z


def _backward(dL_dA: np.ndarray, X: np.ndarray, Z: np.ndarray, W: np.ndarray, act_prime):
    """(dL_dW, dL_db, dL_dX) on arrays already checked."""
    dL_dZ = dL_dA * np.asarray(act_prime(Z))
    return X.T @ dL_dZ, dL_dZ.sum(axis=0), dL_dZ @ W.T


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
    """Backward through one dense layer; returns ``(dL_dW, dL_db, dL_dX)``.

    dL/dZ = dL/dA * act'(Z); dL/dW = X.T @ dL/dZ; dL/db = dL/dZ summed over the batch
    (axis 0); dL/dX = dL/dZ @ W.T. The order of :func:`layers.layer_backward` (lesson 05),
    which takes dL/dZ itself.
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

    # scratch space for temporaries and recycled results: slots, so not in vars(layer),
    # which holds the layer's value (W, b, activation)
    __slots__ = ("__dict__", "_scratch", "_pools")

    def __init__(self, n_in: int, n_out: int, activation: str = "sigmoid",
                 rng: np.random.Generator | None = None, dtype=np.float64) -> None:
        for name, n in (("n_in", n_in), ("n_out", n_out)):
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
                raise ValueError(f"{name} must be a positive integer, got {describe(n)}")
        get_activation(activation)
        rng = np.random.default_rng(0) if rng is None else rng
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy.random.Generator, got {describe(rng)}")
        dt = _dtype(dtype)
        scale = np.sqrt((2.0 if activation == "relu" else 1.0) / n_in)
        self.activation = activation
        # drawn in float64 whatever the dtype, so a float32 layer holds the same weights
        # rounded
        self.W = rng.normal(0.0, scale, size=(int(n_in), int(n_out))).astype(dt, copy=False)
        self.b = np.zeros(int(n_out), dtype=dt)
        self._scratch: tuple[np.ndarray, ...] = ()
        self._pools: tuple[list, list, list] = ([], [], [])  # Z, A, dL/dW

    @property
    def shape(self) -> tuple[int, int]:
        return self.W.shape

    @property
    def dtype(self) -> np.dtype:
        return self.W.dtype

    def _buffers(self, rows: int) -> tuple[np.ndarray, ...]:
        """Scratch arrays (den, step, delta, dA), each (rows, n_out), kept by the layer for
        temporaries that never leave a call (made again when the batch size changes)."""
        bufs, W = self._scratch, self.W
        if not bufs or bufs[0].shape != (rows, W.shape[1]) or bufs[0].dtype is not W.dtype:
            shape, dt = (rows, W.shape[1]), W.dtype
            bufs = self._scratch = (np.empty(shape, dt), np.empty(shape, dt),
                                    np.empty(shape, dt), np.empty(shape, dt))
        return bufs

    def forward(self, X):
        """``(A, cache)`` with cache = {"X", "Z", "A"} for the backward pass."""
        return self._forward(_batch(X, "X", self.W.shape[0], self.W.dtype))

    def _forward(self, X: np.ndarray):
        """Z = X @ W + b, A = act(Z) on a checked X of the layer's dtype."""
        W, rows = self.W, len(X)
        shape = (rows, W.shape[1])
        big = rows * shape[1] >= _BIG  # small arrays are cheap to make: no pool
        Z = np.matmul(X, W, out=_recycled(self._pools[0], shape, W.dtype)) if big else X @ W
        Z += self.b
        name = self.activation
        if name in _FAST:
            A = _recycled(self._pools[1], shape, W.dtype) if big else None
            if name == "sigmoid":
                bufs = self._buffers(rows)
                A = _sigmoid_into(Z, A, bufs[0], bufs[1])
            elif name == "tanh":
                A = np.tanh(Z, out=A)
            elif name == "relu":
                A = np.maximum(Z, 0.0, out=A)
            elif A is None:  # identity
                A = Z.copy()
            else:
                np.copyto(A, Z)
        else:  # an activation added to ACTIVATIONS by hand: the teaching path
            A = np.asarray(get_activation(name)[0](Z), dtype=Z.dtype)
        return A, LayerCache(X=X, Z=Z, A=A)

    def backward(self, cache: dict, dL_dA):
        """``(dL_dX, {"W": dL_dW, "b": dL_db})`` from the cache of :meth:`forward`."""
        dL_dA = _as_dtype(dL_dA, "dL_dA", self.W.dtype)
        if dL_dA.shape != cache["Z"].shape:
            raise ValueError(f"dL_dA must have the shape of the layer's output "
                             f"{cache['Z'].shape}, got {dL_dA.shape}")
        dW, db, dX = self._backward(cache, dL_dA)
        return dX, {"W": dW, "b": db}

    def _backward(self, cache: dict, dL_dA: np.ndarray, input_grad: bool = True,
                  out: np.ndarray | None = None):
        """``(dL_dW, dL_db, dL_dX or None)`` on a checked dL_dA; dL_dX goes into ``out``
        if given."""
        A, X, W, name = cache["A"], cache["X"], self.W, self.activation
        # the error signal dL/dZ = dL/dA * act'(Z), in a scratch buffer of the layer
        # (ufunc outputs passed by position: the cheaper call on small batches)
        if name in _FROM_OUTPUT and cache.__class__ is LayerCache and not cache.edited:
            d = self._buffers(len(A))[2]
            if name == "sigmoid":  # sigmoid'(Z) = A (1 - A)
                np.subtract(1.0, A, d)
                np.multiply(A, d, d)
            elif name == "tanh":  # tanh'(Z) = 1 - A^2
                np.multiply(A, A, d)
                np.subtract(1.0, d, d)
            else:  # relu'(Z) = 1 where A > 0 (that is, Z > 0), else 0
                np.greater(A, 0.0, d)
            np.multiply(dL_dA, d, d)
        elif name == "identity":  # identity'(Z) = 1: dL/dZ = dL/dA
            d = dL_dA
        else:  # act'(Z) from Z itself (an edited cache, or an activation added by hand)
            _, act_prime = get_activation(name)
            Z = as_float_array(cache["Z"], "Z").astype(W.dtype, copy=False)
            d = dL_dA * np.asarray(act_prime(Z), dtype=W.dtype)
        if W.size >= _BIG and X.dtype == W.dtype == d.dtype:
            dW = np.matmul(X.T, d, out=_recycled(self._pools[2], W.shape, W.dtype))
        else:
            dW = X.T @ d
        db = np.add.reduce(d, 0)  # dL/db: d summed over the batch
        if not input_grad:
            return dW, db, None
        return dW, db, np.matmul(d, W.T, out)

    def __repr__(self) -> str:
        return f"Dense({self.W.shape[0]} -> {self.W.shape[1]}, {self.activation})"


_CODES = {name: code for code, name in enumerate(_FAST)}  # train_step's activations
_SIGMOID, _TANH, _RELU, _IDENTITY = (_CODES[name] for name in _FAST)
_PLANS = 4  # batch sizes a network keeps buffers for (a training set's full and last batch)


class _Step:
    """One layer's part of :meth:`Network.train_step`: the layer's arrays as they were when
    the buffers were made (checked by identity on every step) and the buffers."""

    __slots__ = ("layer", "W", "b", "activation", "code", "Z", "A", "den", "step",
                 "delta", "dW", "db", "dA_below")

    def __init__(self, layer: Dense, rows: int, below: int | None) -> None:
        W, b, dt = layer.W, layer.b, layer.W.dtype
        shape = (rows, W.shape[1])
        self.layer, self.W, self.b = layer, W, b
        self.activation, self.code = layer.activation, _CODES[layer.activation]
        self.Z = np.empty(shape, dt)
        self.A = self.Z if self.code == _IDENTITY else np.empty(shape, dt)
        self.den = np.empty(shape, dt)
        self.step = np.empty(shape, dt)  # sigmoid's H, see _sigmoid_into
        self.delta = np.empty(shape, dt)
        self.dW = np.empty(W.shape, dt)
        self.db = np.empty(b.shape, dt)
        # dL/dA of the layer below (None for the first layer: never needed to train)
        self.dA_below = None if below is None else np.empty((rows, below), dt)


class _Plan:
    """The buffers of :meth:`Network.train_step` for one batch size: one :class:`_Step` per
    layer, and dL/dY and its square for the loss."""

    __slots__ = ("shape", "steps", "dY", "sq", "size", "half")

    def __init__(self, layers: list, rows: int, n_out: int, dtype: np.dtype) -> None:
        self.steps = [_Step(layer, rows, layers[i - 1].W.shape[1] if i else None)
                      for i, layer in enumerate(layers)]
        self.shape = (rows, n_out)  # of the output, dL/dY and y
        self.dY = np.empty((rows, n_out), dtype)
        self.sq = np.empty((rows, n_out), dtype)
        self.size = rows * n_out
        self.half = -self.size / 2

    def holds(self, layers: list) -> bool:
        """True while every layer still has the arrays and activation the plan was made for."""
        steps = self.steps
        if len(steps) != len(layers):
            return False
        for layer, step in zip(layers, steps, strict=True):
            # (the same W has the dtype the plan was made for: an array keeps its dtype)
            if (layer is not step.layer or layer.W is not step.W or layer.b is not step.b
                    or layer.activation != step.activation):
                return False
        return True


def _fusable(net: Network) -> bool:
    """True if :meth:`Network.train_step` may use its buffers: the network's own forward,
    backward and params, plain Dense layers of the network's dtype, the activations
    computed in place here, and shapes that chain (else the teaching step runs and its
    checks name what is wrong)."""
    cls = net.__class__
    if (cls.forward is not Network.forward or cls.backward is not Network.backward
            or cls.params is not Network.params):
        return False
    n_in, dt = net.layer_sizes[0], net.dtype
    for layer in net.layers:
        W, b = getattr(layer, "W", None), getattr(layer, "b", None)
        if (layer.__class__ is not Dense or layer.activation not in _CODES
                or W.__class__ is not np.ndarray or b.__class__ is not np.ndarray
                or W.dtype != dt or b.dtype != dt or W.ndim != 2 or W.shape[0] != n_in
                or b.shape != (W.shape[1],)
                or not (W.flags.c_contiguous and b.flags.c_contiguous)):
            return False
        n_in = W.shape[1]
    return True


class Network:
    """A stack of dense layers, e.g. ``Network([2, 4, 1])`` for 2 inputs, 4 hidden, 1 output.

    Parameters are named "W1", "b1" (first layer), "W2", "b2", ... ; ``params`` maps
    each name to the layer's own array, so an in-place change updates the network.
    ``dtype`` (float64, the default, or float32) is that of the parameters, of every
    array in the cache and of the gradients; inputs of another dtype are converted.
    ``forward`` and ``backward`` are the teaching path (lessons 04-05);
    ``train_step(X, y, eta)`` takes a whole training step on the mean squared error in one
    call, with the same numbers, faster (what :func:`training.train` uses).
    """

    # train_step's buffers live in a slot, not in vars(network), which holds its value
    __slots__ = ("__dict__", "_plans")

    def __init__(self, layer_sizes: Sequence[int],
                 activations: str | Sequence[str] = "sigmoid",
                 seed: int | None = 0, rng: np.random.Generator | None = None,
                 dtype=np.float64) -> None:
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
        self.dtype = _dtype(dtype)
        self.layers = [Dense(sizes[i], sizes[i + 1], acts[i], rng, self.dtype)
                       for i in range(n_layers)]
        self.layer_sizes = tuple(int(s) for s in sizes)
        self._names = [(f"W{i}", f"b{i}") for i in range(1, n_layers + 1)]
        self._flat_names = [name for pair in self._names for name in pair]
        self._plans: dict[int, _Plan] = {}  # train_step's buffers, by batch size

    def _param_names(self) -> list[tuple[str, str]]:
        """[("W1", "b1"), ("W2", "b2"), ...], one pair per layer (made once)."""
        if len(self._names) != len(self.layers):
            self._names = [(f"W{i}", f"b{i}") for i in range(1, len(self.layers) + 1)]
            self._flat_names = [name for pair in self._names for name in pair]
        return self._names

    def _flat_param_names(self) -> list[str]:
        """["W1", "b1", "W2", "b2", ...] (made once)."""
        self._param_names()
        return self._flat_names

    @property
    def params(self) -> dict[str, np.ndarray]:
        arrays: list[np.ndarray] = []
        for layer in self.layers:
            arrays += layer.W, layer.b
        return dict(zip(self._flat_param_names(), arrays, strict=True))

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
        A = _batch(X, "X", self.layer_sizes[0], self.dtype)  # checked once; layers trust it
        cache = []
        append = cache.append
        for layer in self.layers:
            A, layer_cache = layer._forward(A)
            append(layer_cache)
        return A, cache

    def predict(self, X) -> np.ndarray:
        """The output for X, no cache kept."""
        return self.forward(X)[0]

    def backward(self, cache: list, dL_dY, input_grad: bool = False):
        """Every gradient, from the output back to the input, layer by layer.

        ``dL_dY`` is dL/d(output) of shape (batch, n_out). Returns {"W1": dL/dW1,
        "b1": dL/db1, ...}; each bias gradient is summed over the batch. With
        ``input_grad=True`` returns ``(grads, dL_dX)``, dL/dX of the input batch too
        (training never needs it, so it is not computed otherwise).
        """
        if not isinstance(cache, list) or len(cache) != len(self.layers):
            raise ValueError(f"cache must be the list returned by forward() "
                             f"({len(self.layers)} layers), got {describe(cache)}")
        dL_dA = _as_dtype(dL_dY, "dL_dY", self.dtype)
        if dL_dA.shape != cache[-1]["A"].shape:
            raise ValueError(f"dL_dY must have the shape of the output "
                             f"{cache[-1]['A'].shape}, got {dL_dA.shape}")
        layers, rows = self.layers, len(dL_dA)
        grads: list = [None] * (2 * len(layers))  # dL/dW1, dL/db1, dL/dW2, ...
        for i in range(len(layers) - 1, 0, -1):
            # dL/dA of the layer below, a temporary: into that layer's buffer
            grads[2 * i], grads[2 * i + 1], dL_dA = layers[i]._backward(
                cache[i], dL_dA, True, layers[i - 1]._buffers(rows)[3])
        grads[0], grads[1], dL_dA = layers[0]._backward(cache[0], dL_dA, input_grad)
        ordered = dict(zip(self._flat_param_names(), grads, strict=True))
        return (ordered, dL_dA) if input_grad else ordered

    def train_step(self, X, y, eta: float) -> float:
        """One step of gradient descent on the mean squared error of the batch, in place.

        Returns the batch's loss L = mean((y - Y)^2) for the output Y *before* the step,
        and moves every weight and bias by W_new = W_old - eta * dL/dW_old. The same floats
        as the step written out with the teaching path::

            Y, cache = net.forward(X)
            L, dL_dY = mse_and_grad(y, Y)       # -2 (y - Y) / y.size, y in the dtype
            grads = net.backward(cache, dL_dY)
            for name, p in net.params.items():
                p -= eta * grads[name]

        but in buffers the network keeps for each batch size, with no cache or gradient
        dicts (for activations other than sigmoid, tanh, relu and identity, or a subclass
        with its own forward or backward, it runs exactly those lines). ``X`` is (batch,
        n_in); ``y`` is (batch, n_out), or (batch,) for one output. If the loss is not
        finite, nothing moves and :class:`Diverged` (a ValueError) says why.
        """
        X_a = _batch(X, "X", self.layer_sizes[0], self.dtype)
        if not len(X_a):
            raise ValueError("X must hold at least one row (one instance) to train on, got "
                             f"shape {X_a.shape}")
        # y's shape is checked by _train_step, against its buffers
        y_a = y if y.__class__ is np.ndarray and y.dtype is self.dtype \
            else _as_dtype(y, "y", self.dtype)
        if eta.__class__ is not float or not 0.0 < eta < math.inf:
            eta = require_positive(eta, "eta")
        loss = self._train_step(X_a, y_a, eta)
        if not math.isfinite(loss):
            require_finite(y_a, "y")
            raise Diverged(f"the batch's loss is not a finite number ({loss}), so nothing "
                           f"was updated: the network's output is too large or not a number "
                           f"(a learning rate eta = {eta} that is too large makes the "
                           f"weights grow without bound)")
        return loss

    def _n_out(self) -> int:
        """The width of the output (that of the last layer, also after layers are added)."""
        layers = self.layers
        W = getattr(layers[-1], "W", None) if layers else None
        return W.shape[1] if isinstance(W, np.ndarray) and W.ndim == 2 \
            else self.layer_sizes[-1]

    def _targets(self, y, rows: int) -> np.ndarray:
        """y as an array of the network's dtype and shape (rows, n_out), or a ValueError."""
        y_a = _as_dtype(y, "y", self.dtype)
        n_out = self._n_out()
        if y_a.shape != (rows, n_out):
            if y_a.shape == (rows,) and n_out == 1:
                return y_a.reshape(rows, 1)
            raise ValueError(f"y and y_hat must have the same shape, got y {y_a.shape} and "
                             f"y_hat {(rows, n_out)} (one row of targets per row of X)")
        return y_a

    def _train_step(self, X: np.ndarray, y: np.ndarray, eta: float) -> float:
        """:meth:`train_step` on a checked X, a y of the network's dtype (its shape is
        checked here) and a float eta; nothing moves if the loss it returns is not
        finite."""
        rows, dt = len(X), self.dtype
        try:
            plan = self._plans.get(rows)
        except AttributeError:  # a network unpickled from before train_step existed
            self._plans = {}
            plan = None
        if plan is None or not plan.holds(self.layers):
            if not _fusable(self):
                return self._teaching_step(X, self._targets(y, rows), eta)
            if len(self._plans) >= _PLANS:
                self._plans.clear()
            plan = self._plans[rows] = _Plan(self.layers, rows, self._n_out(), dt)
        if y.shape != plan.shape:
            y = self._targets(y, rows)
        steps = plan.steps
        # the ufuncs as local names: about 1 µs less a step on small batches
        matmul, add, subtract, multiply = np.matmul, np.add, np.subtract, np.multiply
        a = X
        for s in steps:  # forward: Z = a W + b, A = act(Z), as Dense._forward computes them
            Z, A, code = s.Z, s.A, s.code
            matmul(a, s.W, Z)
            add(Z, s.b, Z)
            if code == _SIGMOID:
                _sigmoid_into(Z, A, s.den, s.step)
            elif code == _TANH:
                np.tanh(Z, A)
            elif code == _RELU:
                np.maximum(Z, 0.0, out=A)  # (by keyword: np.maximum takes no third input)
            a = A  # identity: A is Z
        d, sq = plan.dY, plan.sq  # y - Y, its square and its mean, as mse_and_grad has them
        subtract(y, a, d)
        multiply(d, d, sq)
        # np.mean's floats: the pairwise sum over the batch, divided (in float64) by the
        # count and rounded to the dtype
        loss = float(add.reduce(sq, None)) / plan.size
        if dt is not _F64:
            loss = float(dt.type(loss))
        if not math.isfinite(loss):
            return loss
        # dL/dY = -2 (y - Y) / N in one call: doubling is exact and a division is correctly
        # rounded, so (y - Y) / (-N / 2) is the same float as (-2 (y - Y)) / N whenever the
        # loss is finite and N / 2 is exact in the dtype (N < 2**24)
        if plan.size < 1 << 24:
            np.divide(d, plan.half, d)
        else:
            multiply(d, -2.0, d)
            np.divide(d, plan.size, d)
        for i in range(len(steps) - 1, -1, -1):  # backward, as Dense._backward, and update
            s = steps[i]
            A, code, W, b, dW, db = s.A, s.code, s.W, s.b, s.dW, s.db
            if code == _IDENTITY:
                delta = d
            else:
                delta = s.delta  # dL/dZ = dL/dA * act'(Z), act'(Z) read off A
                if code == _SIGMOID:
                    subtract(1.0, A, delta)
                    multiply(A, delta, delta)
                elif code == _TANH:
                    multiply(A, A, delta)
                    subtract(1.0, delta, delta)
                else:
                    np.greater(A, 0.0, delta)
                multiply(d, delta, delta)
            matmul(steps[i - 1].A.T if i else X.T, delta, dW)
            add.reduce(delta, 0, None, db)
            if i:  # dL/dA of the layer below, from W before it moves
                d = s.dA_below
                matmul(delta, W.T, d)
            multiply(dW, eta, dW)  # W_new = W_old - eta dL/dW_old
            subtract(W, dW, W)
            multiply(db, eta, db)
            subtract(b, db, b)
        return loss

    def _teaching_step(self, X: np.ndarray, y: np.ndarray, eta: float) -> float:
        """The step of :meth:`train_step` by forward, backward and ``p -= eta * g``."""
        Y, cache = self.forward(X)
        if Y.shape != y.shape:
            raise ValueError(f"y and y_hat must have the same shape, got y {y.shape} and "
                             f"y_hat {Y.shape}")
        loss, dL_dY = mse_and_grad(y, Y)
        if not math.isfinite(loss):
            return loss
        grads = self.backward(cache, dL_dY)
        for name, p in self.params.items():
            p -= eta * grads[name]
        return loss

    def __repr__(self) -> str:
        acts = ", ".join(layer.activation for layer in self.layers)
        return f"Network({list(self.layer_sizes)}, activations=[{acts}])"
