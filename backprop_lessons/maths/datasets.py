"""Small data sets made in code (no downloads). Each returns ``(X, y)`` with X of shape
(n, features) and y of shape (n, 1), float64, labels 0 or 1."""

from __future__ import annotations

import itertools

import numpy as np

from .validate import describe

__all__ = ["xor", "two_moons", "spirals", "mirror_symmetry"]


def _n(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {describe(value)}")
    return int(value)


def _noise(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)) \
            or not np.isfinite(value) or value < 0:
        raise ValueError(f"noise must be a finite number >= 0, got {describe(value)}")
    return float(value)


def xor():
    """The four points of XOR: label 1 when exactly one input is 1."""
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    y = np.array([[0], [1], [1], [0]], dtype=np.float64)
    return X, y


def two_moons(n: int = 200, noise: float = 0.1, seed: int = 0):
    """Two interleaved half circles: n points, half per moon, Gaussian ``noise`` added."""
    n = _n(n, "n")
    noise = _noise(noise)
    rng = np.random.default_rng(seed)
    n_a = n // 2
    n_b = n - n_a
    t_a = np.linspace(0, np.pi, n_a)
    t_b = np.linspace(0, np.pi, n_b)
    upper = np.column_stack([np.cos(t_a), np.sin(t_a)])
    lower = np.column_stack([1 - np.cos(t_b), 0.5 - np.sin(t_b)])
    X = np.vstack([upper, lower]) + rng.normal(0.0, noise, size=(n, 2))
    y = np.concatenate([np.zeros(n_a), np.ones(n_b)]).reshape(-1, 1)
    return X, y


def spirals(n_per_class: int = 100, noise: float = 0.1, seed: int = 0, turns: float = 1.5):
    """Two intertwined spirals (``n_per_class`` points each), scaled to about [-1, 1]."""
    n = _n(n_per_class, "n_per_class")
    noise = _noise(noise)
    rng = np.random.default_rng(seed)
    r = np.linspace(0.1, 1.0, n)
    xs, ys = [], []
    for label in (0, 1):
        theta = r * turns * 2 * np.pi + label * np.pi
        pts = np.column_stack([r * np.cos(theta), r * np.sin(theta)])
        xs.append(pts + rng.normal(0.0, noise * 0.1, size=pts.shape))
        ys.append(np.full(n, float(label)))
    return np.vstack(xs), np.concatenate(ys).reshape(-1, 1)


def mirror_symmetry():
    """The symmetry task of Rumelhart, Hinton & Williams (1986): all 64 six-bit vectors,
    label 1 when the vector reads the same backwards (8 of the 64)."""
    X = np.array(list(itertools.product([0, 1], repeat=6)), dtype=np.float64)
    y = np.all(X == X[:, ::-1], axis=1).astype(np.float64).reshape(-1, 1)
    return X, y
