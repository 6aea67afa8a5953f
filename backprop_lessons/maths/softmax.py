"""The output layer of a classifier (lesson 10): softmax, cross-entropy, and their
gradients side by side; one epoch of training a softmax classifier; accuracy and the
confusion matrix.

For a batch of N instances and K classes, Z (N, K) holds the **logits** (the output
layer's pre-activations, Z = A @ W + b), Y (N, K) the **one-hot** targets
(Y[i, k] = 1 when instance i is of class k, else 0) and ``labels`` (N,) the classes
themselves (0..K-1)::

    softmax        P[i, k] = exp(Z[i, k] - m_i) / sum_j exp(Z[i, j] - m_i),  m_i = max_j Z[i, j]
                   (the same value for any m_i; the row max keeps every exponent <= 0)
    Jacobian       dP[i, k] / dZ[i, j] = P[i, k] (1[k = j] - P[i, j])   (one row: diag(p) - p pᵀ)

    cross-entropy  L = -(1/N) sum_i sum_k Y[i, k] log P[i, k]  =  -(1/N) sum_i log P[i, label_i]
                   dL/dP = -(1/N) Y / P
    softmax + cross-entropy, as one function of the logits:
                   L = (1/N) sum_i (logsumexp(Z[i]) - Z[i, label_i])
                   dL/dZ = (1/N) (P - Y)                              (the error signal δ_out)

The 1/N of the batch mean is inside dL/dZ, so a dense layer's gradients follow as in
lesson 05: dL/dW = Aᵀ δ_out, dL/db = δ_out summed over the batch, dL/dA = δ_out Wᵀ.
Probabilities are clipped to [EPS, 1] before a log, so a probability that underflowed to
exactly 0 gives a large finite loss, never ``log(0) = -inf`` or ``0 · log 0 = nan``.
"""

from __future__ import annotations

import numpy as np

from .validate import (
    as_float_array,
    describe,
    require_finite,
    require_positive,
    require_positive_int,
)

__all__ = [
    "EPS", "softmax", "softmax_jacobian", "one_hot", "cross_entropy", "cross_entropy_labels",
    "cross_entropy_grad", "log_softmax", "softmax_cross_entropy", "softmax_cross_entropy_grad",
    "predicted_labels", "classification_accuracy", "confusion_matrix", "train_epoch",
]

EPS = 1e-12
"""The smallest probability a log is taken of (as for lesson 09's binary cross-entropy)."""


def _logits(Z, name: str = "Z") -> np.ndarray:
    Z_a = as_float_array(Z, name)
    if Z_a.ndim != 2 or Z_a.shape[1] < 1:
        raise ValueError(f"{name} must have shape (N, K): one row of K class scores per "
                         f"instance, got shape {Z_a.shape}"
                         + (". For one instance use z.reshape(1, -1)" if Z_a.ndim == 1 else ""))
    require_finite(Z_a, name)
    return Z_a


def _targets(Y, shape: tuple[int, int], name: str = "Y") -> np.ndarray:
    Y_a = as_float_array(Y, name)
    if Y_a.shape != shape:
        hint = (" (integer labels? turn them into one-hot rows with one_hot(labels, K))"
                if Y_a.ndim == 1 else "")
        raise ValueError(f"{name} must be one-hot targets of shape {shape}, got shape "
                         f"{Y_a.shape}{hint}")
    require_finite(Y_a, name)
    return Y_a


def _probabilities(P, name: str = "P") -> np.ndarray:
    P_a = _logits(P, name)
    if np.any((P_a < 0) | (P_a > 1)):
        raise ValueError(f"{name} must hold probabilities in [0, 1], got values from "
                         f"{P_a.min()} to {P_a.max()}")
    return P_a


def softmax(Z) -> np.ndarray:
    """The probabilities P = softmax(Z) of logits Z (N, K), row by row, stable for any Z.

    P[i, k] = exp(Z[i, k] - m_i) / sum_j exp(Z[i, j] - m_i) with m_i the largest logit of
    row i. Each row of P is positive and sums to 1.

    Subtracting the row max changes nothing mathematically (the factor exp(-m_i) cancels)
    but keeps every exponent <= 0, so exp never overflows (exp(1000) is inf in float64,
    and inf / inf is nan) and each row's largest term is exp(0) = 1, so the sum is never 0.
    """
    Z_a = _logits(Z)
    E = np.exp(Z_a - Z_a.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def softmax_jacobian(z) -> np.ndarray:
    """The K x K Jacobian of one row p = softmax(z): J[k, j] = dp_k / dz_j = p_k (1[k = j] - p_j),
    that is diag(p) - p pᵀ. ``z`` is one row of K logits (shape (K,))."""
    z_a = as_float_array(z, "z")
    if z_a.ndim != 1:
        raise ValueError(f"z must be one row of logits, shape (K,), got shape {z_a.shape}")
    p = softmax(z_a.reshape(1, -1))[0]
    return np.diag(p) - np.outer(p, p)


def one_hot(labels, n_classes: int | None = None) -> np.ndarray:
    """Y (N, K) float64 with Y[i, labels[i]] = 1 and 0 elsewhere; K = ``n_classes``
    (default: the largest label + 1)."""
    lab = np.asarray(labels)
    if lab.ndim != 1 or lab.size == 0 or lab.dtype.kind not in "iu":
        raise ValueError(f"labels must be a non-empty 1-d array of integer classes, got "
                         f"{describe(lab)}")
    if lab.min() < 0:
        raise ValueError(f"labels must be classes 0, 1, 2, ..., got the label {int(lab.min())}")
    k = int(lab.max()) + 1 if n_classes is None else n_classes
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k <= int(lab.max()):
        raise ValueError(f"n_classes must be an integer above the largest label "
                         f"{int(lab.max())}, got {describe(n_classes)}")
    Y = np.zeros((lab.size, int(k)))
    Y[np.arange(lab.size), lab] = 1.0
    return Y


def cross_entropy(Y, P) -> float:
    """The cross-entropy L of one-hot targets Y and probabilities P (N, K), one number.

    L = -(1/N) sum_i sum_k Y[i, k] log P[i, k]: the mean over the N instances of minus
    the log-probability given to the right class.

    P is clipped to [EPS, 1] first: a probability of exactly 0 (softmax underflows for a
    logit far below the others) would make log P = -inf and Y · log P = 0 · (-inf) = nan.
    """
    P_a = _probabilities(P)
    Y_a = _targets(Y, P_a.shape)
    return float(-np.sum(Y_a * np.log(np.clip(P_a, EPS, 1.0))) / len(P_a)) + 0.0  # no -0.0


def cross_entropy_labels(labels, P) -> float:
    """The same loss from integer labels: L = -(1/N) sum_i log P[i, labels[i]] (P clipped
    to [EPS, 1]); equal to ``cross_entropy(one_hot(labels, K), P)``."""
    P_a = _probabilities(P)
    lab = np.asarray(labels)
    if lab.shape != (len(P_a),) or lab.dtype.kind not in "iu":
        raise ValueError(f"labels must hold one integer class per row of P, shape "
                         f"({len(P_a)},), got {describe(lab)}")
    if lab.min() < 0 or lab.max() >= P_a.shape[1]:
        raise ValueError(f"labels must be classes 0..{P_a.shape[1] - 1}, got labels from "
                         f"{int(lab.min())} to {int(lab.max())}")
    return float(-np.mean(np.log(np.clip(P_a[np.arange(len(P_a)), lab], EPS, 1.0)))) + 0.0


def cross_entropy_grad(Y, P) -> np.ndarray:
    """dL/dP = -(1/N) Y / P (P clipped to [EPS, 1] as in the loss): nonzero only at the
    right class of each instance."""
    P_a = _probabilities(P)
    Y_a = _targets(Y, P_a.shape)
    return -Y_a / np.clip(P_a, EPS, 1.0) / len(P_a)


def log_softmax(Z) -> np.ndarray:
    """log P row by row without forming P: Z[i, k] - m_i - log sum_j exp(Z[i, j] - m_i)
    (finite even where P underflows to 0)."""
    Z_a = _logits(Z)
    shifted = Z_a - Z_a.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax_cross_entropy(Y, Z) -> float:
    """L = cross_entropy(Y, softmax(Z)) as one function of the logits Z (N, K):
    L = -(1/N) sum_i sum_k Y[i, k] log_softmax(Z)[i, k]. Y holds one-hot targets (N, K).

    Registered in :data:`backprop_lessons.maths.losses.LOSSES` as ``"softmax_ce"``: the
    loss of a network whose output layer is the identity, so its outputs are the logits."""
    Z_a = _logits(Z)
    Y_a = _targets(Y, Z_a.shape)
    return float(-np.sum(Y_a * log_softmax(Z_a)) / len(Z_a)) + 0.0  # no -0.0


def softmax_cross_entropy_grad(Y, Z) -> np.ndarray:
    """dL/dZ of softmax with cross-entropy (the mean over N instances): the error signal.

    dL/dZ = (softmax(Z) - Y) / N, the output layer's error signal δ_out, for one-hot
    targets Y (N, K) and logits Z (N, K).

    Through the Jacobian: dL/dZ[i, j] = sum_k dL/dP[i, k] · P[i, k] (1[k = j] - P[i, j])
    = -(1/N) sum_k Y[i, k] (1[k = j] - P[i, j]) = (1/N) (P[i, j] - Y[i, j]), because each
    row of Y sums to 1. The 1/N is the batch mean's."""
    Z_a = _logits(Z)
    Y_a = _targets(Y, Z_a.shape)
    return (softmax(Z_a) - Y_a) / len(Z_a)


def predicted_labels(Z) -> np.ndarray:
    """The class with the largest score in each row (logits or probabilities: softmax keeps
    the order), as an int array (N,)."""
    return np.argmax(_logits(Z), axis=1).astype(np.int64)


def _labels(labels, name: str) -> np.ndarray:
    lab = np.asarray(labels)
    if lab.ndim != 1 or lab.dtype.kind not in "iu":
        raise ValueError(f"{name} must be a 1-d array of integer classes, got {describe(lab)}")
    return lab


def classification_accuracy(labels, Z) -> float:
    """The fraction of rows of Z whose largest score is at the row's label."""
    lab = _labels(labels, "labels")
    pred = predicted_labels(Z)
    if pred.shape != lab.shape:
        raise ValueError(f"labels must hold one class per row of Z ({len(pred)}), got "
                         f"{lab.size}")
    return float(np.mean(pred == lab))


def confusion_matrix(labels, predicted, n_classes: int) -> np.ndarray:
    """C (K, K) int: C[t, p] counts the instances of true class t predicted as class p
    (the diagonal holds the right answers; each row sums to the size of its class)."""
    lab = _labels(labels, "labels")
    pred = _labels(predicted, "predicted")
    if lab.shape != pred.shape:
        raise ValueError(f"labels and predicted must have the same length, got {lab.size} "
                         f"and {pred.size}")
    if isinstance(n_classes, bool) or not isinstance(n_classes, (int, np.integer)) \
            or n_classes < 1:
        raise ValueError(f"n_classes must be a positive integer, got {describe(n_classes)}")
    for name, arr in (("labels", lab), ("predicted", pred)):
        if arr.size and (arr.min() < 0 or arr.max() >= n_classes):
            raise ValueError(f"{name} must be classes 0..{n_classes - 1}, got values from "
                             f"{int(arr.min())} to {int(arr.max())}")
    C = np.zeros((int(n_classes), int(n_classes)), dtype=np.int64)
    np.add.at(C, (lab, pred), 1)
    return C


def train_epoch(params: dict, X, Y, train_idx, eta: float, seed: int,
                batch_size: int = 32) -> tuple[dict, float]:
    """One epoch of mini-batch gradient descent for a classifier X -> tanh -> softmax,
    on the training rows ``train_idx`` of the data set (X, Y) only; returns
    ``(new_params, epoch_loss)`` and leaves ``params`` unchanged.

    ``params`` = {"W1", "b1", "W2", "b2"}: the weights of a Network([n_in, n_hidden, K],
    activations=["tanh", "identity"]) whose outputs are the logits. The batches are those
    of ``training.minibatches(X[train_idx], Y[train_idx], batch_size, seed=seed)`` (a
    seeded permutation of the training rows, cut into slices of ``batch_size``); for
    each: forward pass, loss L_B = softmax_cross_entropy(Y_B, Z_B), backward pass from
    dL/dZ_B = (softmax(Z_B) - Y_B) / n_B, then W_new = W_old - eta dL/dW_old for every
    weight and bias. ``epoch_loss`` is the mean of the batch losses weighted by batch size
    (the mean loss over the training rows seen during the epoch).
    """
    from .network import Network

    X_a = as_float_array(X, "X")
    idx = np.asarray(train_idx)
    if idx.ndim != 1 or idx.size == 0 or idx.dtype.kind not in "iu":
        raise ValueError(f"train_idx must be a non-empty 1-d array of row indices, got "
                         f"{describe(idx)}")
    eta = require_positive(eta, "eta")
    W1 = as_float_array(params["W1"], "params['W1']")
    W2 = as_float_array(params["W2"], "params['W2']")
    net = Network([W1.shape[0], W1.shape[1], W2.shape[1]], activations=["tanh", "identity"])
    net.set_params(params)
    X_train, Y_train = X_a[idx], as_float_array(Y, "Y")[idx]
    order = np.random.default_rng(seed).permutation(len(idx))
    total, count = 0.0, 0
    for start in range(0, len(idx), require_positive_int(batch_size, "batch_size")):
        rows = order[start:start + batch_size]
        X_b, Y_b = X_train[rows], Y_train[rows]
        Z_b, cache = net.forward(X_b)
        total += softmax_cross_entropy(Y_b, Z_b) * len(X_b)
        count += len(X_b)
        grads = net.backward(cache, softmax_cross_entropy_grad(Y_b, Z_b))
        for name, p in net.params.items():
            p -= eta * grads[name]  # the network's own copy, not the caller's
    return {name: p.copy() for name, p in net.params.items()}, total / count
