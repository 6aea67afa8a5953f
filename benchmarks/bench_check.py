"""How long a check takes, as the learner feels it (target: median <= 2 ms for a passing
answer of a cheap exercise).

    python benchmarks/bench_check.py [--repeats N]

Prints the median and the maximum time of one ``check()`` for a passing and for a failing
answer of ``weight_update`` (a cheap exercise) and of ``two_layer_backward`` (arrays, a
cache), and the time of a check whose answer is a 1,000,000-item list. Includes the
progress store (its writer thread writes each outcome while the next checks run) and,
where the learner's call runs in a forked child, the fork; the last two rows leave the
store out. ``BACKPROP_LESSONS_IN_PROCESS=1`` measures the in-process path. Uses a
temporary BACKPROP_LESSONS_HOME so the learner's real progress file is never touched.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import statistics
import tempfile
import time


def _time(check, fn, repeats: int) -> tuple[float, float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        check(fn)
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times), max(times)


def main(repeats: int = 200) -> dict[str, tuple[float, float]]:
    """Print and return ``{row: (median ms, max ms)}``."""
    home = os.environ["BACKPROP_LESSONS_HOME"] = tempfile.mkdtemp(prefix="bpl-bench-")
    # registered before the package loads, so it runs after the progress store's own exit
    # handler (atexit runs last-registered first)
    atexit.register(shutil.rmtree, home, ignore_errors=True)
    from backprop_lessons.exercises import lesson_01, lesson_05
    from backprop_lessons.maths.activations import sigmoid_prime

    def weight_update(W_old, dL_dW, eta):
        return W_old - eta * dL_dW

    def wrong(W_old, dL_dW, eta):
        return W_old + eta * dL_dW

    def two_layer_backward(dL_dY, cache, W2):
        X, Z1, A1, Z2 = cache
        delta2 = dL_dY * sigmoid_prime(Z2)
        delta1 = (delta2 @ W2.T) * sigmoid_prime(Z1)
        return X.T @ delta1, delta1.sum(axis=0), A1.T @ delta2, delta2.sum(axis=0)

    def two_layer_backward_wrong(dL_dY, cache, W2):
        dW1, db1, dW2, db2 = two_layer_backward(dL_dY, cache, W2)
        return dW1, db1, 2 * dW2, db2

    big = list(range(1_000_000))

    def huge(W_old, dL_dW, eta):
        return big

    rows: dict[str, tuple[float, float]] = {}
    ex1, ex5 = lesson_01.weight_update, lesson_05.two_layer_backward
    for ex in (ex1, ex5):
        ex.prepared_cases()  # warm-up: cases and expected values are cached
        ex.check(wrong if ex is ex1 else two_layer_backward_wrong)
    rows["weight_update, passing answer"] = _time(ex1.check, weight_update, repeats)
    rows["weight_update, failing answer (misconception)"] = _time(ex1.check, wrong, repeats)
    rows["two_layer_backward, passing answer"] = _time(ex5.check, two_layer_backward,
                                                       max(repeats // 4, 5))
    rows["two_layer_backward, failing answer"] = _time(ex5.check, two_layer_backward_wrong,
                                                       max(repeats // 4, 5))
    rows["weight_update, a 1,000,000-item list answer"] = _time(ex1.check, huge, 3)
    from backprop_lessons.exercises import spec

    recorder = spec.set_recorder(None)  # the engine alone: no progress write in between
    try:
        rows["weight_update, passing answer, no progress store"] = _time(
            ex1.check, weight_update, repeats)
        rows["weight_update, failing answer, no progress store"] = _time(
            ex1.check, wrong, repeats)
    finally:
        spec.set_recorder(recorder)
    for name, (median, worst) in rows.items():
        print(f"check, {name}: median {median:.2f} ms, max {worst:.2f} ms")
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=200)
    main(parser.parse_args().repeats)
