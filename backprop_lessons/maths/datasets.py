"""Small data sets made in code (no downloads). Each returns ``(X, y)`` with X of shape
(n, features) and y of shape (n, 1), float64, labels 0 or 1.

One real data set ships inside the package (lesson 10): :func:`digits`, 1,797 handwritten
digits of 8 x 8 pixels (E. Alpaydin and C. Kaynak, "Optical Recognition of Handwritten
Digits", UCI Machine Learning Repository, 1998, CC BY 4.0; see ``data/README.md``), read
with numpy from ``data/digits.csv.gz``, and :func:`train_test_indices`, a seeded split of
its rows into a training and a held-out test part."""

from __future__ import annotations

import gzip
import hashlib
import itertools
from pathlib import Path

import numpy as np

from .validate import describe

__all__ = ["xor", "two_moons", "spirals", "mirror_symmetry", "DIGITS_FILE", "DIGITS_SHA256",
           "digits", "train_test_indices"]

DIGITS_FILE = Path(__file__).resolve().parent / "data" / "digits.csv.gz"
"""Where the digits ship: inside the package, next to their README (source, licence)."""

DIGITS_SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"
"""The SHA-256 of ``digits.csv.gz`` as taken from scikit-learn 1.9.1 (the bytes, unchanged)."""


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


def digits(path: str | Path | None = None):
    """The handwritten digits: ``(X, y)`` with X (1797, 64) float64, the 8 x 8 pixels of each
    image row by row, integers 0..16 (image i is ``X[i].reshape(8, 8)``), and y (1797,) int64,
    the digit 0..9 each image shows.

    Reads ``path`` (default :data:`DIGITS_FILE`) and checks its SHA-256 against
    :data:`DIGITS_SHA256` first: a damaged or different file raises a ValueError saying so.
    """
    file = DIGITS_FILE if path is None else Path(path)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise FileNotFoundError(
            f"path: the digits file {file} cannot be read ({exc.strerror}); it ships inside "
            "the package as backprop_lessons/maths/data/digits.csv.gz: reinstall the package"
        ) from exc
    digest = hashlib.sha256(raw).hexdigest()
    if digest != DIGITS_SHA256:
        raise ValueError(
            f"path: the digits file {file} is not the one this package expects: its SHA-256 "
            f"is {digest}, expected {DIGITS_SHA256} (a damaged or replaced file: reinstall "
            "the package)"
        )
    rows = np.loadtxt(gzip.decompress(raw).decode("ascii").splitlines(), delimiter=",")
    if rows.shape != (1797, 65):
        raise ValueError(f"path: the digits file {file} should hold 1797 rows of 64 pixels and "
                         f"a label, got shape {rows.shape}")
    return rows[:, :64].copy(), rows[:, 64].astype(np.int64)


def train_test_indices(n: int, test_fraction: float = 0.25, seed: int = 0):
    """A seeded split of the rows 0..n-1: ``(train_idx, test_idx)``, two sorted int arrays
    that are disjoint and together hold every row once.

    The rows are shuffled with ``default_rng(seed).permutation(n)``; the first
    round(test_fraction * n) shuffled rows are the test part (at least 1, at most n - 1),
    the rest the training part. The test part is for the final measurement only: nothing
    is trained or chosen on it.
    """
    n = _n(n, "n")
    if n < 2:
        raise ValueError(f"n must be at least 2 to split the rows in two, got {n}")
    if isinstance(test_fraction, bool) or not isinstance(test_fraction, (int, float, np.floating)) \
            or not 0.0 < float(test_fraction) < 1.0:
        raise ValueError(f"test_fraction must be a number strictly between 0 and 1, got "
                         f"{describe(test_fraction)}")
    n_test = min(max(int(round(float(test_fraction) * n)), 1), n - 1)
    order = np.random.default_rng(seed).permutation(n)
    return np.sort(order[n_test:]), np.sort(order[:n_test])
