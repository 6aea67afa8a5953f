"""How long a check of a cheap function takes (target: <= 20 ms median).

    python benchmarks/bench_check.py

Includes the progress-store write (lock, read, atomic replace). Uses a temporary
BACKPROP_LESSONS_HOME so the learner's real progress file is never touched.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time


def main(repeats: int = 200) -> float:
    """Print and return the median time of one check, in milliseconds."""
    os.environ["BACKPROP_LESSONS_HOME"] = tempfile.mkdtemp(prefix="bpl-bench-")
    from backprop_lessons.exercises import lesson_01 as ex

    def weight_update(W_old, dL_dW, eta):
        return W_old - eta * dL_dW

    def wrong(W_old, dL_dW, eta):
        return W_old + eta * dL_dW

    ex.weight_update.check(weight_update)  # warm-up: cases and expected values are cached
    rows = []
    for name, fn in (("passing answer", weight_update), ("wrong answer (misconception)", wrong)):
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            ex.weight_update.check(fn)
            times.append((time.perf_counter() - start) * 1e3)
        rows.append((name, statistics.median(times)))
    for name, median in rows:
        print(f"check of a cheap function, {name}: median {median:.2f} ms (target <= 20 ms)")
    return max(m for _, m in rows)


if __name__ == "__main__":
    main()
