"""Gradient checking in depth (lesson 08): differences on arrays, the choice of h, sampled
checks of big parameters, reading a whole network's report, and a deliberately broken
backward pass to practise on.

The symbols are the lessons'. For a parameter array ``param`` and a scalar loss L::

    central   dL/dparam[i] ~ (L(param + h e_i) - L(param - h e_i)) / (2h)   error ~ h²
    one-sided dL/dparam[i] ~ (L(param + h e_i) - L(param)) / h              error ~ h

Rounding adds an error of about eps·|L| / h (eps = 2.2e-16 in float64), so the total
error of the central difference, (|L'''| / 6) h² + eps·|L| / h, is smallest near
h = eps^(1/3), about 6e-6 in float64. The relative error between two gradients a and b
is ``gradcheck.relative_error``: max|a - b| / max(1e-8, max(|a| + |b|)). Whether a gradient
is right is decided by the course's one rule, ``gradcheck.gradients_agree``: max|a - b| <=
1e-7 max(|a| + |b|) + 10 eps |L| / h (the second term the finite-difference noise, which
matters only for tiny gradients); about 1 is certainly wrong.

The error curves are drawn by :func:`backprop_lessons.viz.plots.step_size_plot`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from .gradcheck import central_difference_at, relative_error
from .losses import get_loss
from .network import Network
from .validate import as_float, as_float_array, describe, require_positive, require_positive_int

__all__ = [
    "central_difference_gradient",
    "one_sided_gradient",
    "saturating_loss",
    "saturating_loss_prime",
    "step_size_errors",
    "best_step",
    "sampled_gradient_check",
    "failing_parameters",
    "loss_of_param",
    "SlopeBugNetwork",
]


def _function(f: object) -> Callable:
    if not callable(f):
        raise TypeError(f"f must be a function of the parameter array returning the loss, "
                        f"got {describe(f)}")
    return f


def _float_param(param: object) -> np.ndarray:
    if not isinstance(param, np.ndarray) or param.dtype.kind != "f":
        raise TypeError("param must be a numpy array of floats (it is nudged in place), got "
                        + describe(param))
    return param


def _differences(f: Callable, param: np.ndarray, h: float, one_sided: bool) -> np.ndarray:
    """Nudge every entry of ``param`` in place, evaluate ``f(param)``, restore the entry."""
    grad = np.zeros(param.shape)
    base = float(f(param)) if one_sided else 0.0
    for i in np.ndindex(param.shape):
        if not one_sided:
            grad[i] = central_difference_at(f, param, i, h)
            continue
        old = param[i].copy()
        try:
            param[i] = old + h
            grad[i] = (float(f(param)) - base) / h
        finally:
            param[i] = old
    return grad


def central_difference_gradient(f: Callable[[np.ndarray], float], param: np.ndarray,
                                h: float = 1e-6) -> np.ndarray:
    """The numerical gradient of f at param: (f(param + h e_i) - f(param - h e_i)) / (2h).

    ``f(param)`` returns the loss for the parameter array ``param`` (every other input held
    fixed). Each entry i in turn is nudged in place to param[i] + h, then param[i] - h,
    and restored to its old value before the next entry, so ``param`` is unchanged when the
    function returns. The result is a float64 array of the shape of ``param``; its error is
    about (|f'''| / 6) h² plus rounding, about 1e-10 in float64 with h = 1e-6.
    ``param`` may be float32: the nudges and f are then computed in float32 (to show what
    rounding does).
    """
    _function(f)
    p = _float_param(param)
    return _differences(f, p, require_positive(h, "h"), one_sided=False)


def one_sided_gradient(f: Callable[[np.ndarray], float], param: np.ndarray,
                       h: float = 1e-6) -> np.ndarray:
    """The one-sided (forward) difference (f(param + h e_i) - f(param)) / h for every entry.

    Same contract as :func:`central_difference_gradient`, but the error shrinks only like
    h: it is about (|f''| / 2) h, so about 1e-6 relative with h = 1e-6, where the central
    difference is right to about 1e-10.
    """
    _function(f)
    p = _float_param(param)
    return _differences(f, p, require_positive(h, "h"), one_sided=True)


def saturating_loss(w):
    """L(w) = w² / (1 + w²): a smooth bowl, lowest at w = 0, that flattens out towards 1.

    Built from + - × ÷ only, which IEEE 754 rounds the same way on every machine, so the
    error curves of lesson 08 are reproducible bit for bit. Works on numbers and arrays
    and keeps the dtype of numpy inputs (float32 stays float32).
    """
    return w * w / (1 + w * w)


def saturating_loss_prime(w):
    """dL/dw = 2w / (1 + w²)², the exact slope of :func:`saturating_loss`."""
    d = 1 + w * w
    return 2 * w / (d * d)


def step_size_errors(f: Callable, f_prime: Callable, x: float, hs: Sequence[float], *,
                     one_sided: bool = False, dtype: type = np.float64) -> np.ndarray:
    """The relative error |numeric - exact| / |exact| of a finite difference, for each h.

    numeric = (f(x + h) - f(x - h)) / (2h) (or (f(x + h) - f(x)) / h with ``one_sided``),
    computed with x and h rounded to ``dtype`` (float64 or float32) and f evaluated in that
    dtype; exact = f_prime(x) in float64. The error falls like h² (central) or h (one-sided)
    while truncation dominates and rises like eps / h once rounding does: a U on log axes.
    """
    _function(f)
    if not callable(f_prime):
        raise TypeError(f"f_prime must be the exact derivative of f, got {describe(f_prime)}")
    kind = np.dtype(dtype)
    if kind not in (np.dtype(np.float64), np.dtype(np.float32)):
        raise ValueError(f"dtype must be np.float64 or np.float32, got {describe(dtype)}")
    x_f = as_float(x, "x")
    exact = float(f_prime(x_f))
    if exact == 0.0 or not np.isfinite(exact):
        raise ValueError(f"x must be a point where the exact slope is finite and not 0 (the "
                         f"error is relative to it), got f_prime({x_f}) = {exact}")
    h_arr = as_float_array(hs, "hs").reshape(-1)
    if h_arr.size == 0 or not np.all(np.isfinite(h_arr) & (h_arr > 0)):
        raise ValueError(f"hs must hold positive step sizes, got {h_arr.tolist()}")
    xd = kind.type(x_f)
    errors = []
    for h in h_arr:
        hd = kind.type(h)
        if one_sided:
            numeric = (f(xd + hd) - f(xd)) / hd
        else:
            numeric = (f(xd + hd) - f(xd - hd)) / (kind.type(2) * hd)
        errors.append(abs(float(numeric) - exact) / abs(exact))
    return np.array(errors)


def best_step(dtype: type = np.float64) -> float:
    """h = eps^(1/3), where the central difference's two errors balance: about 6.1e-6 in
    float64 (eps = 2.2e-16), 4.9e-3 in float32 (eps = 1.2e-7).

    The truncation error (|f'''| / 6) h² grows with h, the rounding error eps·|f| / h
    shrinks with it; their sum is smallest at h = (3 eps |f| / |f'''|)^(1/3), which is
    eps^(1/3) up to a factor of order 1 when f and f''' have similar sizes.
    """
    kind = np.dtype(dtype)
    if kind.kind != "f":
        raise ValueError(f"dtype must be a float type such as np.float64, got {describe(dtype)}")
    return float(np.finfo(kind).eps) ** (1.0 / 3.0)


def sampled_gradient_check(f: Callable[[np.ndarray], float], param: np.ndarray, dL_dparam,
                           n_checks: int, seed: int = 0, h: float = 1e-6) -> float:
    """Relative error between dL_dparam and central differences on n_checks random entries.

    With rng = np.random.default_rng(seed), the entries are ``rng.choice(param.size,
    size=n_checks, replace=False)`` (flat indices, no entry twice, the same for the same
    seed), in that order; entry k is ``np.unravel_index(k, param.shape)``. For each
    one, numeric = (f(param + h e_k) - f(param - h e_k)) / (2h), 2 forward passes; the
    result is ``relative_error`` of the n_checks backprop entries against the n_checks
    numerical ones. Costs 2·n_checks evaluations of f instead of 2·param.size; ``param``
    is left unchanged.
    """
    _function(f)
    p = as_float_array(param, "param")
    g = as_float_array(dL_dparam, "dL_dparam")
    if g.shape != p.shape:
        raise ValueError(f"dL_dparam must have the shape of param {p.shape}, got {g.shape}")
    n = require_positive_int(n_checks, "n_checks")
    if n > p.size:
        raise ValueError(f"n_checks must be at most param.size = {p.size} (each entry is "
                         f"checked once), got {n}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {describe(seed)}")
    h_f = require_positive(h, "h")
    p = p.copy()
    picked = np.random.default_rng(int(seed)).choice(p.size, size=n, replace=False)
    analytic, numeric = np.zeros(n), np.zeros(n)
    for j, k in enumerate(picked):
        i = np.unravel_index(int(k), p.shape)
        numeric[j] = central_difference_at(f, p, i, h_f)
        analytic[j] = g[i]
    return relative_error(analytic, numeric)


def failing_parameters(errors: Mapping[str, float], tol: float) -> list[str]:
    """The names whose relative error is not within ``tol``, in the order of ``errors``.

    A parameter passes when err <= tol (as in ``GradcheckReport``); every other one fails,
    a NaN error included (NaN <= tol is False: a check that produced NaN proves nothing).
    The order is the report's, layer by layer from the input, so the failing layer nearest
    the output is the last name: a backward bug in layer k spoils the gradients of layer k
    and of every layer below it.
    """
    if not isinstance(errors, Mapping):
        raise TypeError(f"errors must be a dict {{parameter name: relative error}}, such as "
                        f"report.errors, got {describe(errors)}")
    tol_f = require_positive(tol, "tol")
    failing = []
    for name, err in errors.items():
        err_f = as_float(err, f"errors[{name!r}]")
        if not err_f <= tol_f:
            failing.append(name)
    return failing


def loss_of_param(network: Network, name: str, X, y, loss: str = "mse"
                  ) -> Callable[[np.ndarray], float]:
    """``f(p)``: the loss of ``network`` on the batch (X, y) with parameter ``name`` set to p.

    Every other parameter keeps its value; the network's own ``name`` array is restored
    after each call. This is the f that :func:`central_difference_gradient` and
    :func:`sampled_gradient_check` take, for one parameter of a Network.
    """
    params = network.params
    if name not in params:
        raise KeyError(f"name must be one of the network's parameters {list(params)}, "
                       f"got {name!r}")
    loss_fn, _ = get_loss(loss)
    y_a = as_float_array(y, "y")
    if y_a.ndim == 1:
        y_a = y_a.reshape(-1, 1)
    target = params[name]

    def f(p) -> float:
        p_a = as_float_array(p, "p")
        if p_a.shape != target.shape:
            raise ValueError(f"p must have the shape of {name} {target.shape}, got {p_a.shape}")
        saved = target.copy()
        target[...] = p_a
        try:
            return float(loss_fn(y_a, network.predict(X)))
        finally:
            target[...] = saved

    return f


class SlopeBugNetwork(Network):
    """A Network whose backward pass has one classic bug, to practise gradient checking.

    In layer ``buggy_layer`` (1 = the first) the backward pass multiplies by the
    activation's slope at the layer's output A instead of its input Z: act'(A) where
    act'(Z) belongs. Everything else (the forward pass, the other layers) is right. The
    slope stays positive, so the gradient still points roughly downhill and training still
    lowers the loss; a gradient check shows the gradients of layer ``buggy_layer`` and of
    every layer below it wrong.
    """

    def __init__(self, layer_sizes: Sequence[int], activations: str | Sequence[str] = "sigmoid",
                 seed: int | None = 0, rng: np.random.Generator | None = None,
                 buggy_layer: int = 1) -> None:
        super().__init__(layer_sizes, activations, seed=seed, rng=rng)
        n = len(self.layers)
        if isinstance(buggy_layer, bool) or not isinstance(buggy_layer, (int, np.integer)) \
                or not 1 <= buggy_layer <= n:
            raise ValueError(f"buggy_layer must be a layer number from 1 to {n}, "
                             f"got {describe(buggy_layer)}")
        self.buggy_layer = int(buggy_layer)

    def backward(self, cache: list, dL_dY) -> dict[str, np.ndarray]:
        """Network.backward with act'(A) in place of act'(Z) in layer ``buggy_layer``."""
        if not isinstance(cache, list) or len(cache) != len(self.layers):
            return super().backward(cache, dL_dY)  # its error message
        bent = [dict(c, Z=c["A"]) if i == self.buggy_layer - 1 else c
                for i, c in enumerate(cache)]
        return super().backward(bent, dL_dY)

    def __repr__(self) -> str:
        return super().__repr__()[:-1] + f", bug in layer {self.buggy_layer})"
