"""Regression tests for what a tester playing a learner found on 2026-12-02: wrong answers
that passed (each case the exercises lacked is now there), broken answers whose check
ended as "a bug of the course", and one check that flooded the notebook."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pytest

from backprop_lessons.exercises import (
    lesson_01,
    lesson_02,
    lesson_05,
    lesson_06,
    lesson_07,
    lesson_08,
    lesson_09,
    lesson_10,
    runner,
)
from backprop_lessons.maths.losses import mse, mse_grad
from backprop_lessons.maths.rhw1986 import paper_network
from backprop_lessons.maths.training import accuracy


# ----- wrong answers that passed --------------------------------------------------------
def test_mirror_cosine_that_drops_the_middle_weight_fails():
    def mirror_cosine(w):
        w = np.ravel(np.asarray(w, dtype=float))
        k = len(w) // 2  # "each mirror pair counts twice": the middle weight forgotten
        return float(2 * (w[:k] @ w[::-1][:k]) / (w @ w))

    r = lesson_09.mirror_cosine.check(mirror_cosine)
    assert r.status == "failed" and "five weights" in r.message


def test_symmetry_labels_from_a_weighted_sum_fail_on_eight_bits():
    def symmetry_labels(X):  # "net input 0" with evenly spaced weights: right up to 6 bits
        X = np.asarray(X, dtype=float)
        n = X.shape[1]
        return (np.abs(X @ (np.arange(n) - (n - 1) / 2)) < 1e-9).astype(float).reshape(-1, 1)

    assert symmetry_labels(np.array([[1.0, 0, 0, 1, 0, 1, 1, 0]]))[0, 0] == 1.0  # not mirror
    r = lesson_09.symmetry_labels.check(symmetry_labels)
    assert r.status == "failed" and "256 eight-bit" in r.message


def test_momentum_with_alpha_typed_as_a_number_fails():
    ex = lesson_09.train_full_batch
    source = ex.solution_cell()
    assert "alpha * velocity[k]" in source
    namespace = {"np": np, "paper_network": paper_network, "accuracy": accuracy,
                 "mse_grad": mse_grad}
    exec(source.replace("alpha * velocity[k]", "0.9 * velocity[k]"), namespace)  # noqa: S102
    r = ex.check(namespace["train_full_batch"])
    assert r.status == "failed" and "alpha = 0.5" in r.message


STEP = 1e-6  # typed as a number: the argument h is ignored


def _slope(f, p, i):
    old = p[i]
    p[i] = old + STEP
    up = float(f(p))
    p[i] = old - STEP
    down = float(f(p))
    p[i] = old
    return (up - down) / (2 * STEP)


def _rel(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b)) / max(1e-8, np.max(np.abs(a) + np.abs(b))))


def test_gradient_checks_that_ignore_h_fail():
    def check_gradient(f, param, dL_dparam, h=1e-6):
        p = np.array(param, dtype=float)
        num = np.zeros(p.shape)
        for i in np.ndindex(p.shape):
            num[i] = _slope(f, p, i)
        return _rel(dL_dparam, num)

    def sampled_gradient_check(f, param, dL_dparam, n_checks, seed=0, h=1e-6):
        p = np.array(param, dtype=float)
        picked = np.random.default_rng(seed).choice(p.size, size=n_checks, replace=False)
        idx = [np.unravel_index(int(k), p.shape) for k in picked]
        return _rel([np.asarray(dL_dparam)[i] for i in idx], [_slope(f, p, i) for i in idx])

    def numerical_gradients(network, X, y, h=1e-6):
        out = {}
        for name, p in network.params.items():
            g = np.zeros(p.shape)
            for i in np.ndindex(p.shape):
                g[i] = _slope(lambda _: mse(y, network.predict(X)), p, i)
            out[name] = g
        return out

    for ex, fn in ((lesson_05.check_gradient, check_gradient),
                   (lesson_08.sampled_gradient_check, sampled_gradient_check),
                   (lesson_09.numerical_gradients, numerical_gradients)):
        r = ex.check(fn)
        assert r.status == "failed", (ex.id, r.message)
        assert "h = 0." in r.message, (ex.id, r.message)


# ----- broken answers: a clear failure, never "a bug of the course" ----------------------
def _not_compared(r):
    assert r.status == "failed", r.message
    assert "could not be compared" in r.message and "bug of the course" not in r.message


def test_an_order_holding_a_list_or_arrays_is_a_failure():
    def topological_order(children, root):
        return ["a", "b", "c", ["c"]]

    _not_compared(lesson_07.topological_order.check(topological_order))

    def topological_order(children, root):  # noqa: F811 - the second answer
        return [np.zeros(3), np.zeros(2)]

    _not_compared(lesson_07.topological_order.check(topological_order))


def test_a_ragged_batch_is_a_failure():
    def minibatch_indices(n, batch_size=32, seed=0):
        return [[[0, 1], [2]]]

    _not_compared(lesson_06.minibatch_indices.check(minibatch_indices))


def test_parameters_with_a_number_for_a_name_are_a_failure():
    def train_epoch(params, X, Y, train_idx, eta, seed, batch_size=32):
        new = dict(params)
        new[0] = 1.0
        return new, 0.5

    _not_compared(lesson_10.train_epoch.check(train_epoch))


def test_an_integer_beyond_float_range_is_a_failure():
    def step_direction(dL_dW):
        return -int(dL_dW) * 10**400

    def chain_product(factors):
        return 10 ** (200 * len(factors))

    _not_compared(lesson_01.step_direction.check(step_direction))
    _not_compared(lesson_02.chain_product.check(chain_product))


def test_a_callable_whose_getattr_raises_is_run_like_any_answer():
    class WeightUpdate:
        def __getattr__(self, name):
            raise RuntimeError(f"no attribute {name!r}")

        def __call__(self, W_old, dL_dW, eta):
            return W_old - eta * dL_dW

    r = lesson_01.weight_update.check(WeightUpdate())
    assert r.status == "passed", r.message


@pytest.mark.parametrize("path", ["forked", "in process"])
def test_what_an_answer_prints_is_capped_for_the_whole_check(monkeypatch, path):
    if path == "in process":  # as where there is no fork (Windows)
        monkeypatch.setenv(runner.IN_PROCESS_ENV, "1")
    elif not runner.isolation_available():
        pytest.skip("no fork here")

    def local_gradients(op, inputs):
        for i in range(100_000):  # a debug print left in a loop, on every case
            print(i)
        return (1.0,) * len(inputs)

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        r = lesson_07.local_gradients.check(local_gradients)
    out = buf.getvalue()
    assert r.status == "failed"
    assert len(out) < runner.MAX_STDOUT + 300, len(out)
    assert out.startswith("0\n1\n2\n")
    assert "more characters printed by your function, not shown" in out


def test_a_near_miss_names_the_shortcut_as_well_as_float32():
    def cross_entropy(Y, P):
        Y, P = np.asarray(Y, float), np.asarray(P, float)
        return float(-np.sum(Y * np.log(P + 1e-9)) / len(Y))

    r = lesson_10.cross_entropy.check(cross_entropy)
    assert r.status == "failed"
    assert "7 significant digits" in r.message and "small constant added" in r.message
