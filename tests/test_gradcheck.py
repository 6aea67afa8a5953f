"""gradcheck's report formatting: what is printed of a rounding-noise number is what stays
true on every CPU (its power of ten, an honest bound), and a report prints the digits of
a failing error only."""

from __future__ import annotations

import math

import numpy as np
import pytest

from backprop_lessons.maths.datasets import two_moons
from backprop_lessons.maths.gradcheck import GradcheckReport, bound, gradcheck, magnitude
from backprop_lessons.maths.network import Network


@pytest.mark.parametrize(("x", "text"), [
    (1.2e-9, "1e-09"), (7.9e-10, "1e-09"),       # lesson 08's W1 on two CPUs
    (3.1e-10, "1e-10"), (3.2e-10, "1e-09"),      # the boundary is 10^-9.5 = 3.16e-10
    (9.16e-8, "1e-07"), (6.39e-8, "1e-07"),      # lesson 08's sampled check, two CPUs
    (1.0, "1e+00"), (0.31, "1e-01"), (0.32, "1e+00"), (35.0, "1e+02"), (0.0, "0"),
])
def test_magnitude_rounds_log10_to_the_nearest_integer(x, text):
    assert magnitude(x) == text


def test_magnitude_is_the_same_across_a_factor_below_sqrt10():
    # Every x in [10^(k - 0.49), 10^(k + 0.49)] prints as 1e{k}.
    for k in range(-12, 3):
        lo, hi = 10.0 ** (k - 0.49), 10.0 ** (k + 0.49)
        assert {magnitude(x) for x in np.geomspace(lo, hi, 17)} == {f"1e{k:+03d}"}


@pytest.mark.parametrize("bad", [-1e-9, math.nan, math.inf])
def test_magnitude_rejects_what_is_not_an_error_size(bad):
    with pytest.raises(ValueError, match=r"x must be a finite number >= 0.*got"):
        magnitude(bad)
    with pytest.raises(TypeError, match=r"x must be a number"):
        magnitude("1e-9")


def test_bound_states_the_claim_when_it_holds():
    assert bound(1.2e-9, below=1e-8) == "below 1e-08"
    assert bound(0.18, above=0.1) == "above 0.1"
    assert bound(2.9e-4, above=1e-5, below=1e-2) == "between 1e-05 and 0.01"
    assert bound(29.0, above=10) == "above 10"


def test_bound_shows_the_value_when_the_claim_breaks():
    assert bound(2.3e-8, below=1e-8) == "2.3e-08, not below 1e-08"
    assert bound(0.05, above=0.1) == "5.0e-02, not above 0.1"
    assert bound(0.5, above=1e-5, below=1e-2) == "5.0e-01, not between 1e-05 and 0.01"
    assert bound(1e-8, below=1e-8) == "1.0e-08, not below 1e-08"  # strict


def test_bound_rejects_missing_or_crossed_limits():
    with pytest.raises(ValueError, match=r"bound needs a limit.*got neither"):
        bound(1.0)
    with pytest.raises(ValueError, match=r"above must be smaller than below, got above=0.1"):
        bound(1.0, above=0.1, below=0.01)
    with pytest.raises(ValueError, match=r"below must be a positive number, got -1.0"):
        bound(1.0, below=-1.0)


def test_report_prints_a_pass_as_its_tolerance_and_a_failure_with_digits():
    text = repr(GradcheckReport(errors={"W1": 7.3e-12, "b1": 0.0321, "W2": 1e-7}, tol=1e-7))
    assert text.splitlines() == [
        "gradcheck FAILED (tolerance 1e-07)",
        "    W1: relative error at most 1e-07  ok",
        "    b1: relative error 3.2e-02  TOO LARGE",
        "    W2: relative error at most 1e-07  ok",   # err <= tol passes, as .passed says
    ]
    nan = repr(GradcheckReport(errors={"W1": float("nan")}, tol=1e-7))
    assert "W1: relative error nan  TOO LARGE" in nan


def test_report_text_does_not_depend_on_rounding_noise():
    # Two reports of a right network whose errors differ only by noise print alike.
    X, y = two_moons(16, seed=0)
    report = gradcheck(Network([2, 8, 1], seed=0), X, y.reshape(-1, 1))
    assert report.passed
    noisier = GradcheckReport({k: v * 7.0 for k, v in report.errors.items()}, report.tol)
    assert noisier.passed and repr(noisier) == repr(report)


# The course's one rule for "this gradient is right": relative error within TOLERANCE plus
# the finite-difference noise NOISE_FACTOR * eps * |L| / h.

def test_rule_is_the_tolerance_for_ordinary_gradients_and_grows_for_tiny_ones():
    from backprop_lessons.maths.gradcheck import (
        TOLERANCE,
        agreement_limit,
        finite_difference_noise,
        gradients_agree,
    )
    eps = np.finfo(np.float64).eps
    assert finite_difference_noise(0.125, 1e-6) == pytest.approx(10 * eps * 0.125 / 1e-6)
    a = np.array([0.5, -1.0])
    assert agreement_limit(a, a, 0.1) == pytest.approx(TOLERANCE, rel=2e-3)
    tiny = np.array([5e-7, -3e-7])
    noisy = tiny + 1e-10          # a difference of 1e-10: relative error 1e-4
    assert gradients_agree(tiny, noisy, 0.125)            # noise 2.8e-9 covers it
    assert not gradients_agree(tiny, noisy, 0.0)          # no loss, no noise: fails
    assert not gradients_agree(a, a + 1e-6, 0.1)          # 5e-7 on an ordinary gradient
    with pytest.raises(ValueError, match=r"a and b must have the same shape"):
        agreement_limit(a, tiny[:1], 0.1)
    with pytest.raises(ValueError, match=r"loss_value must be a finite number.*got nan"):
        finite_difference_noise(float("nan"))


def test_a_saturated_1986_network_passes_and_a_bug_still_fails():
    from backprop_lessons.maths import checking, datasets, rhw1986
    X, y = datasets.mirror_symmetry()
    # seed 0 at the paper's setting after 1,500 sweeps: saturated, gradients about 1e-6.
    stuck = rhw1986.train_full_batch([6, 2, 1], X, y, 3.2, 0.9, 1500, seed=0).network
    report = gradcheck(stuck, X, y)
    assert report.passed, report
    assert max(report.errors.values()) > report.tol       # the old rule called it FAILED
    bug = gradcheck(checking.SlopeBugNetwork([6, 2, 1], seed=0, buggy_layer=1), X, y)
    assert not bug.passed and not bug.ok("W1")


def test_report_prints_a_noise_pass_without_digits():
    text = repr(GradcheckReport(errors={"W1": 1.5e-5, "b1": 0.3}, tol=1e-7,
                                limits={"W1": 4e-5, "b1": 1e-7}))
    assert text.splitlines() == [
        "gradcheck FAILED (tolerance 1e-07)",
        "    W1: a tiny gradient, within the finite-difference noise  ok",
        "    b1: relative error 3.0e-01  TOO LARGE",
    ]
