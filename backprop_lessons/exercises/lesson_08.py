"""Exercises of lesson 08, "Gradient checking": the numerical gradient of an array
parameter (nudge and restore), the relative error, a sampled check of a big parameter,
and reading which parameters a report shows wrong."""

from __future__ import annotations

import numpy as np

from backprop_lessons.maths import checking, gradcheck
from backprop_lessons.maths.activations import sigmoid
from backprop_lessons.maths.losses import mse

from .compare import comparator, compare_errors
from .spec import Case, Exercise, Misconception, labelled

__all__ = ["central_difference_gradient", "relative_error", "sampled_gradient_check",
           "failing_parameters"]

LESSON = "08_gradient_checking"


# --- the numerical gradient of an array parameter -------------------------------------------

FORGOT_TO_RESTORE = (
    "You left `param` changed: after nudging an entry to old + h and old − h, put it back to "
    "its old value before you move to the next entry (save old = param[i] first, then "
    "param[i] = old). Otherwise every later entry is measured at a shifted point, and the "
    "caller's parameter, a network's real weight, stays nudged after the check. (Adding h "
    "and taking it away again is not enough: old + h − 2h + h can differ from old in the "
    "last digit, because every float operation rounds. Assign the saved old back.)"
)


def _left_nudged(f, param, h=1e-6):
    """Forgets to restore: each entry stays at old − h."""
    grad = np.zeros(param.shape)
    for i in np.ndindex(param.shape):
        old = param[i]
        param[i] = old + h
        f_plus = float(f(param))
        param[i] = old - h
        grad[i] = (f_plus - float(f(param))) / (2 * h)
    return grad


def _same_dtype(f, param, h=1e-6):
    """The right slopes, stored in an array of param's dtype."""
    return checking.central_difference_gradient(f, param, h).astype(param.dtype)


def _gradient_cases(rng: np.random.Generator) -> list[Case]:
    sum_sq = labelled("f(W) = sum(W²)", lambda W: float(np.sum(W**2)))
    X = rng.normal(size=(8, 3)).round(2)
    y = rng.integers(0, 2, size=(8, 1)).astype(float)
    layer = labelled("f(W) = mse(y, sigmoid(X @ W)), a batch of 8",
                     lambda W: mse(y, sigmoid(X @ W)))
    X2 = rng.normal(size=(5, 2)).round(2)
    tanh_sum = labelled("f(W) = sum(tanh(X @ W)²), X of shape (5, 2)",
                        lambda W: float(np.sum(np.tanh(X2 @ W) ** 2)))
    sin_sum = labelled("f(W) = sum(sin(W)), computed in float64",
                       lambda W: float(np.sum(np.sin(np.asarray(W, dtype=np.float64)))))
    return [
        Case(sum_sq, np.array([1.5]), label="one entry: the slope of W² at 1.5 is 3"),
        Case(sum_sq, np.array([1.0, -2.0, 0.5]), label="a vector: the gradient is 2W"),
        Case(layer, rng.normal(size=(3, 1)).round(2), label="a sigmoid layer's weights"),
        Case(tanh_sum, rng.normal(size=(2, 3)).round(2), h=1e-5,
             label="a (2, 3) matrix, with h = 1e-5"),
        Case(sin_sum, np.array([0.5, -1.25, 2.0], dtype=np.float32), h=2.0**-7,
             label="a float32 parameter, h = 2⁻⁷ (exact in float32): the gradient is "
                   "still float64"),
    ]


central_difference_gradient = Exercise(
    reference=checking.central_difference_gradient,
    solution='''\
def central_difference_gradient(f, param, h=1e-6):
    grad = np.zeros(param.shape)
    for i in np.ndindex(param.shape):
        old = param[i]
        param[i] = old + h
        f_plus = f(param)
        param[i] = old - h
        f_minus = f(param)
        param[i] = old  # restore it before the next entry
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad
''',
    compare=comparator(float32=False),  # it teaches precision: float64 wanted
    cases=_gradient_cases,
    hints=[
        "One entry at a time: for i in np.ndindex(param.shape), move param[i] up by h and "
        "down by h, evaluate f(param) each time, and turn the two losses into a slope.",
        "Save old = param[i]; set param[i] = old + h and compute f_plus = f(param); set "
        "param[i] = old − h and compute f_minus; then put param[i] = old back. The two "
        "points are 2h apart.",
        "grad = np.zeros(param.shape); for i in np.ndindex(param.shape): old = param[i]; "
        "param[i] = old + h; f_plus = f(param); param[i] = old - h; f_minus = f(param); "
        "param[i] = old; grad[i] = (f_plus - f_minus) / (2 * h). Then return grad.",
    ],
    misconceptions=[
        Misconception("forgot to restore", _left_nudged, FORGOT_TO_RESTORE),
        Misconception(
            "gradient kept in param's dtype",
            _same_dtype,
            "Your gradient has param's dtype: np.zeros_like(param) (or np.empty_like, or "
            ".astype(param.dtype)) makes a float32 array when param is float32, and every "
            "slope you store in it is rounded to about 7 significant digits, which is the "
            "precision a gradient check needs to see. Collect the slopes in float64: "
            "grad = np.zeros(param.shape).",
        ),
        Misconception(
            "one-sided difference",
            checking.one_sided_gradient,
            "You used the one-sided difference (f(param + h) − f(param)) / h. It leans to "
            "one side and its error shrinks only like h (about 1e-6 here), so even a right "
            "backward pass would seem off by 1e-6. Look both ways: (f(old + h) − f(old − h)) "
            "/ (2h) errs like h², about 1e-10 with h = 1e-6.",
        ),
        Misconception(
            "divided by h",
            lambda f, param, h=1e-6: 2 * checking.central_difference_gradient(f, param, h),
            "Your gradient is twice too large: old − h and old + h are 2h apart, so the rise "
            "f(old + h) − f(old − h) must be divided by 2h, not by h. A gradient check with "
            "this would report a relative error of 1/3 for a perfect backward pass.",
        ),
        Misconception(
            "divided by 2, then multiplied by h",
            lambda f, param, h=1e-6: h**2 * checking.central_difference_gradient(f, param, h),
            "Your gradient is about h² times too small: Python reads (f_plus − f_minus) / 2*h "
            "as ((f_plus − f_minus) / 2) · h. Put the denominator in parentheses: "
            "(f_plus − f_minus) / (2 * h).",
        ),
    ],
    in_place={"param": "forgot to restore"},  # nudging param is the method; leaving it is not
)


# --- the relative error ---------------------------------------------------------------------


def _relative_cases(rng: np.random.Generator) -> list[Case]:
    g = rng.normal(size=(3, 4)).round(3)
    return [
        Case(np.array([3.0, -1.0]), np.array([3.0, -1.5]),
             label="max|a − b| = 0.5, max(|a| + |b|) = 6"),
        Case(np.array([0.0, 0.0]), np.array([0.0, 0.0]),
             label="two zero gradients (a parameter that does not affect the loss)"),
        Case(np.array([1e-9]), np.array([3e-9]),
             label="two tiny gradients: the floor 1e-8 takes over"),
        Case(1000 * g, 1000 * g + 1e-3, label="large gradients, a tiny difference"),
        Case(g / 1000, -g / 1000, label="small gradients of opposite sign"),
        Case(g, 2 * g, label="b twice a: the relative error is 1/3"),
        Case(np.array([2.0, 0.0]), np.array([0.0, 2.0]),
             label="the largest |a| and the largest |b| sit in different entries"),
    ]


def _no_floor(a, b):
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.max(np.abs(a - b)) / np.max(np.abs(a) + np.abs(b)))


relative_error = Exercise(
    reference=gradcheck.relative_error,
    solution='''\
def relative_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return np.max(np.abs(a - b)) / max(1e-8, np.max(np.abs(a) + np.abs(b)))
''',
    compare=comparator(float32=False),  # it teaches precision: float64 wanted
    cases=_relative_cases,
    hints=[
        "Two numbers: the largest gap between the gradients, max|a − b|, and their size, "
        "max(|a| + |b|), entry by entry. Divide the first by the second.",
        "Keep the denominator away from 0 with a floor: max(1e-8, largest of |a| + |b|). "
        "np.max, np.abs and Python's max are all you need.",
        "return float(np.max(np.abs(a - b)) / max(1e-8, np.max(np.abs(a) + np.abs(b))))",
    ],
    misconceptions=[
        Misconception(
            "absolute error",
            lambda a, b: float(np.max(np.abs(a - b))),
            "You returned the absolute error max|a − b|. Its meaning depends on the size of "
            "the gradients: 1e-3 is tiny next to gradients of 1000 and enormous next to "
            "gradients of 1e-3. Divide by max(|a| + |b|), so that 1e-9 means 'right' at "
            "every scale.",
        ),
        Misconception(
            "no floor",
            _no_floor,
            "Without the floor, two zero gradients give 0 / 0 = NaN, and a NaN fails every "
            "tolerance although the gradients agree exactly. Parameters with zero gradient "
            "are common (a relu that is off, a weight the batch does not reach): divide by "
            "max(1e-8, max(|a| + |b|)).",
        ),
        Misconception(
            "one side only",
            lambda a, b: float(np.max(np.abs(a - b)) / max(1e-8, np.max(np.abs(a)))),
            "You divided by the size of a alone. Neither gradient is the truth (the numerical "
            "one has its own error), so the formula treats them alike: divide by "
            "max(|a| + |b|). Then the error is symmetric, at most 1, and exactly 1 when b is "
            "−a (a flipped sign).",
        ),
        Misconception(
            "max|a| + max|b|",
            lambda a, b: float(np.max(np.abs(a - b))
                               / max(1e-8, np.max(np.abs(a)) + np.max(np.abs(b)))),
            "You added the two maxima, max|a| + max|b|. The formula takes the maximum of the "
            "sum, max(|a| + |b|), entry by entry: compute np.abs(a) + np.abs(b) first, then "
            "its max. The two differ when a and b are largest in different entries.",
        ),
        Misconception(
            "entry-by-entry ratio",
            lambda a, b: float(np.max(np.abs(a - b)
                                      / np.maximum(1e-8, np.abs(a) + np.abs(b)))),
            "You divided entry by entry, then took the largest ratio. Then one entry where "
            "both gradients are tiny (all rounding) can dominate the whole array. The formula "
            "divides two maxima: max|a − b| over max(1e-8, max(|a| + |b|)).",
        ),
        Misconception(
            "difference without abs",
            lambda a, b: float(np.max(a - b) / max(1e-8, np.max(np.abs(a) + np.abs(b)))),
            "You took max(a − b) without the absolute value, so a gap where b is larger than a "
            "counts as negative and is missed. Use np.max(np.abs(a - b)).",
        ),
        Misconception(
            "norms instead of maxima",
            lambda a, b: float(np.linalg.norm(a - b)
                               / max(1e-8, np.linalg.norm(a) + np.linalg.norm(b))),
            "You used norms, ‖a − b‖ / (‖a‖ + ‖b‖), the version of some other courses. It is "
            "a fine measure, but not the one asked here: this course (and its gradcheck) "
            "uses maxima, max|a − b| / max(1e-8, max(|a| + |b|)), and the magnitudes of "
            "section 5 are read on that scale.",
        ),
    ],
)


# --- a sampled check ------------------------------------------------------------------------




def _sampled_cases(rng: np.random.Generator) -> list[Case]:
    X = rng.normal(size=(16, 6)).round(2)
    y = rng.integers(0, 2, size=(16, 4)).astype(float)
    loss = labelled("f(W) = mse(y, sigmoid(X @ W)), W of shape (6, 4)",
                    lambda W: mse(y, sigmoid(X @ W)))
    W = rng.normal(size=(6, 4)).round(2)
    Y = sigmoid(X @ W)
    right = X.T @ (2 * (Y - y) / Y.size * Y * (1 - Y))
    n_checks, seed = 5, 8
    picked = np.random.default_rng(seed).choice(W.size, size=n_checks, replace=False)
    # other samples a learner may draw: numpy's legacy generator, or with replacement;
    # the wrong entries below tell them apart from the right sample and from each other
    legacy = np.random.RandomState(seed).choice(W.size, size=n_checks, replace=False)
    replaced = np.random.default_rng(seed).choice(W.size, size=n_checks, replace=True)
    missed = [k for k in legacy if k not in picked and k not in replaced]
    elsewhere = [k for k in replaced if k not in picked and k not in legacy and k >= n_checks]
    wrong_hit, wrong_missed = right.copy(), right.copy()
    hit = next(k for k in picked if k not in legacy)  # not in numpy's legacy sample
    wrong_hit.flat[hit] *= -1                 # a sampled entry with a flipped sign
    wrong_missed.flat[missed[0]] *= -1        # an entry the sample does not reach
    wrong_elsewhere = right.copy()
    wrong_elsewhere.flat[elsewhere[0]] *= -1  # another one
    early = max(k for k in range(n_checks) if k not in picked)
    wrong_early = right.copy()
    wrong_early.flat[early] *= -1  # among the first entries, which the sample misses
    sum_sq = labelled("f(W) = sum(W²)", lambda W: float(np.sum(W**2)))
    cubic = labelled("f(W) = sum(W³)", lambda W: float(np.sum(W**3)))
    v = np.array([1.0, -2.0, 0.5, 3.0])
    return [
        Case(sum_sq, v, 2 * v, 2, 0,
             label="the right gradient 2W, 2 of 4 entries"),
        Case(cubic, v, 3 * v**2, 3, 1, 0.1,
             label="h = 0.1 on a cubic, 3 of 4 entries: the right gradient 3W², yet an "
                   "error that only this step h gives (the central difference is off by h²)"),
        Case(loss, W, right, n_checks, seed,
             label="backprop's gradient of a sigmoid layer, 5 of 24 entries"),
        Case(loss, W, wrong_hit, n_checks, seed,
             label="one entry wrong, and the sample picks it"),
        Case(loss, W, wrong_missed, n_checks, seed,
             label="one entry wrong, but the sample misses it"),
        Case(loss, W, wrong_elsewhere, n_checks, seed,
             label="another entry wrong that the sample misses"),
        Case(loss, W, wrong_early, n_checks, seed,
             label="one of the first entries wrong, which the sample misses"),
    ]


def _first_entries(f, param, dL_dparam, n_checks, seed=0, h=1e-6):
    p = param.copy()
    numeric = np.zeros(n_checks)
    for j in range(n_checks):
        numeric[j] = gradcheck.central_difference_at(f, p, np.unravel_index(j, p.shape), h)
    return gradcheck.relative_error(dL_dparam.reshape(-1)[:n_checks], numeric)


def _sampled(f, param, dL_dparam, n_checks, seed=0, h=1e-6, *, draw="once",
             analytic="same", relative=True):
    """Variants of the sampled check: how the entries are drawn, which entries of
    dL_dparam are compared, and whether the error is relative."""
    rng = np.random.default_rng(seed)
    picked = rng.choice(param.size, size=n_checks, replace=(draw == "replace"))
    p = param.copy()
    numeric = np.zeros(n_checks)
    for j, k in enumerate(picked):
        i = np.unravel_index(int(k), p.shape)
        numeric[j] = gradcheck.central_difference_at(f, p, i, h)
    if analytic == "same":
        exact = dL_dparam.reshape(-1)[picked]
    else:
        exact = dL_dparam.reshape(-1)[:n_checks]
    if not relative:
        return float(np.max(np.abs(exact - numeric)))
    return gradcheck.relative_error(exact, numeric)


DIFFERENT_SAMPLE = (
    "Your sample is not the one asked for. Draw it exactly with rng = "
    "np.random.default_rng(seed) and rng.choice(param.size, size=n_checks, replace=False): "
    "replace=True or rng.integers can pick an entry twice (a wasted check) and draw other "
    "entries, and a generator made without the seed draws a different sample on every run. "
    "Either way your check and the expected one look at different weights."
)


def _legacy_sample(f, param, dL_dparam, n_checks, seed=0, h=1e-6):
    picked = np.random.RandomState(seed).choice(param.size, size=n_checks, replace=False)
    p = param.copy()
    numeric = np.array([gradcheck.central_difference_at(
        f, p, np.unravel_index(int(k), p.shape), h) for k in picked])
    return gradcheck.relative_error(dL_dparam.reshape(-1)[picked], numeric)


def _every_entry(f, param, dL_dparam, n_checks, seed=0, h=1e-6):
    numeric = checking.central_difference_gradient(f, param.copy(), h)
    return gradcheck.relative_error(dL_dparam, numeric)


def _sampled_one_sided(f, param, dL_dparam, n_checks, seed=0, h=1e-6):
    p = param.copy()
    picked = np.random.default_rng(seed).choice(p.size, size=n_checks, replace=False)
    base = float(f(p))
    numeric, analytic = np.zeros(n_checks), np.zeros(n_checks)
    for j, k in enumerate(picked):
        i = np.unravel_index(int(k), p.shape)
        old = p[i]
        p[i] = old + h
        numeric[j] = (float(f(p)) - base) / h
        p[i] = old
        analytic[j] = dL_dparam[i]
    return gradcheck.relative_error(analytic, numeric)


sampled_gradient_check = Exercise(
    reference=checking.sampled_gradient_check,
    solution='''\
def sampled_gradient_check(f, param, dL_dparam, n_checks, seed=0, h=1e-6):
    picked = np.random.default_rng(seed).choice(param.size, size=n_checks, replace=False)
    analytic, numeric = [], []
    for k in picked:
        i = np.unravel_index(k, param.shape)
        plus, minus = param.copy(), param.copy()
        plus[i] += h
        minus[i] -= h
        numeric.append((f(plus) - f(minus)) / (2 * h))
        analytic.append(dL_dparam[i])
    analytic, numeric = np.array(analytic), np.array(numeric)
    biggest = np.max(np.abs(analytic) + np.abs(numeric))
    return np.max(np.abs(analytic - numeric)) / max(1e-8, biggest)
''',
    cases=_sampled_cases,
    compare=compare_errors,
    hints=[
        "Draw the entries first: rng = np.random.default_rng(seed), then picked = "
        "rng.choice(param.size, size=n_checks, replace=False) gives n_checks different "
        "flat indices. np.unravel_index(k, "
        "param.shape) turns flat index k into the index of an entry.",
        "For each picked entry, the central difference on a copy p = param.copy(): "
        "(f(p with p[i] = old + h) − f(p with p[i] = old − h)) / (2h), and restore p[i]. "
        "Collect those numbers and the matching dL_dparam[i] in two arrays of length "
        "n_checks.",
        "p = param.copy(); picked = np.random.default_rng(seed).choice(param.size, "
        "size=n_checks, replace=False); "
        "for each k: i = np.unravel_index(k, p.shape); nudge, measure, restore; "
        "numeric[j] = (f_plus - f_minus) / (2 * h); analytic[j] = dL_dparam[i]. Then "
        "return bl.gradcheck.relative_error(analytic, numeric).",
    ],
    misconceptions=[
        Misconception(
            "the first entries",
            _first_entries,
            "You checked the first n_checks entries instead of random ones. A backward bug "
            "often lives in a few entries (one row, the last column, one bias): the first "
            "entries can miss it on every run. Draw them with np.random.default_rng(seed)"
            ".choice(param.size, size=n_checks, replace=False): random, yet the same for "
            "the same seed.",
        ),
        Misconception(
            "legacy np.random.seed",
            _legacy_sample,
            "Your sample comes from numpy's legacy generator (np.random.seed(seed) then "
            "np.random.choice, or np.random.RandomState(seed)): repeatable, but it draws "
            "other entries than the generator this course uses, so your check and the "
            "expected one look at different weights (and np.random.seed changes the "
            "global state for every other function). Draw with a generator of your own: "
            "np.random.default_rng(seed).choice(param.size, size=n_checks, replace=False).",
        ),
        Misconception(
            "every entry",
            _every_entry,
            "You checked every entry, not n_checks of them. That is the full check: right, "
            "but 2 forward passes per entry, millions for a big layer. Check only the "
            "n_checks entries drawn by np.random.default_rng(seed).choice(param.size, "
            "size=n_checks, replace=False).",
        ),
        Misconception(
            "one-sided difference",
            _sampled_one_sided,
            "You used the one-sided difference (f(old + h) − f(old)) / h. Its error of about "
            "1e-6 makes even a right gradient look doubtful; the central difference "
            "(f(old + h) − f(old − h)) / (2h) is right to about 1e-10.",
        ),
        Misconception(
            "compared with the first entries of dL_dparam",
            lambda f, param, dL_dparam, n_checks, seed=0, h=1e-6: _sampled(
                f, param, dL_dparam, n_checks, seed, h, analytic="first"),
            "You measured the picked entries but compared them with the FIRST n_checks "
            "entries of dL_dparam. Compare like with like: for the entry with index i, "
            "numeric[j] and analytic[j] = dL_dparam[i], the same i.",
        ),
        Misconception(
            "drawn with replacement",
            lambda f, param, dL_dparam, n_checks, seed=0, h=1e-6: _sampled(
                f, param, dL_dparam, n_checks, seed, h, draw="replace"),
            DIFFERENT_SAMPLE,
        ),
        Misconception(
            "absolute error",
            lambda f, param, dL_dparam, n_checks, seed=0, h=1e-6: _sampled(
                f, param, dL_dparam, n_checks, seed, h, relative=False),
            "You returned the absolute error max|analytic − numeric|. Gradients of 1e-3 make "
            "any gap look small: return the relative error of exercise 2, "
            "max|a − b| / max(1e-8, max(|a| + |b|)).",
        ),
    ],
)


# --- which parameter is wrong ---------------------------------------------------------------


def _failing_cases(rng: np.random.Generator) -> list[Case]:
    def report(*errors: float) -> dict[str, float]:
        names = ["W1", "b1", "W2", "b2", "W3", "b3"]
        return dict(zip(names, errors, strict=False))

    return [
        Case({"W1": 2e-10, "b1": 5e-11}, 1e-7, label="a right backward pass: nothing fails"),
        Case(report(3e-2, 1e-10, 2e-10, 4e-11), 1e-7, label="only W1 fails"),
        Case(report(7e-2, 3e-2, 4e-9, 1e-10), 1e-7, label="layer 1 fails: W1 and b1"),
        Case(report(5e-2, 2e-2, 8e-3, 6e-3, 1e-10, 3e-11), 1e-7,
             label="a bug in layer 2 spoils layers 2 and 1"),
        Case(report(1e-6, 1e-9, 2e-5, 1e-5), 1e-5,
             label="an error equal to the tolerance passes"),
        Case(report(1e-10, 2e-10, float("nan"), 3e-10), 1e-7,
             label="a NaN error (the loss overflowed): it proves nothing, so it fails"),
    ]


failing_parameters = Exercise(
    reference=checking.failing_parameters,
    solution='''\
def failing_parameters(errors, tol):
    return [name for name, err in errors.items() if not err <= tol]
''',
    cases=_failing_cases,
    hints=[
        "Walk through errors.items() in order and keep each name whose error is not "
        "within the tolerance. A parameter passes when its error is at most tol.",
        "Write the test as 'not (err <= tol)' rather than 'err > tol': both agree on "
        "numbers, but NaN <= tol and NaN > tol are both False, and a NaN must fail.",
        "return [name for name, err in errors.items() if not err <= tol]",
    ],
    misconceptions=[
        Misconception(
            "the passing names",
            lambda errors, tol: [n for n, e in errors.items() if e <= tol],
            "You returned the parameters that pass. The question is the opposite: which "
            "gradients disagree with the finite differences, that is whose relative error "
            "is above the tolerance.",
        ),
        Misconception(
            "NaN counted as a pass",
            lambda errors, tol: [n for n, e in errors.items() if e > tol],
            "A NaN error slipped through: NaN > tol is False, so 'err > tol' lets it pass. "
            "A NaN means the check itself broke (an overflow, 0/0) and proves nothing: keep "
            "the names for which 'not err <= tol'.",
        ),
        Misconception(
            "tolerance excluded",
            lambda errors, tol: [n for n, e in errors.items() if not e < tol],
            "An error exactly equal to the tolerance passes (the report marks a parameter ok "
            "when err <= tol): fail only what is above it.",
        ),
        Misconception(
            "sorted",
            lambda errors, tol: sorted(n for n, e in errors.items() if not e <= tol),
            "Keep the report's order (layer by layer from the input: W1, b1, W2, ...). "
            "Sorted by name, W2 comes before b1 and the list no longer shows where the "
            "failures stop, which is the layer to look at first.",
        ),
    ],
)
