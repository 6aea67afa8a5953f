"""How long each lesson takes to execute top to bottom (LESSONS.md: <= 10 s each).

    python benchmarks/bench_lessons.py

Builds every notebook from its source and runs it in a fresh kernel (kernel start-up
included), once as shipped and once solved (every exercise cell replaced by its
reference answer), and prints the seconds of each run. Nothing is written to notebooks/.
"""

from __future__ import annotations

import time

from backprop_lessons.tools import authoring


def main() -> None:
    sources = sorted((authoring.NOTEBOOKS / "src").glob("[0-9][0-9]_*.py"))
    total = 0.0
    print(f"{'lesson':<22}{'shipped':>9}{'solved':>9}")
    for src in sources:
        times = []
        for solve in (False, True):
            nb = authoring.build(src)
            if solve:
                nb = authoring.solve(nb)
            start = time.perf_counter()
            authoring.execute(nb)
            times.append(time.perf_counter() - start)
        total += times[0]
        print(f"{src.stem:<22}{times[0]:>8.1f}s{times[1]:>8.1f}s")
    print(f"{'all lessons (shipped)':<22}{total:>8.1f}s")


if __name__ == "__main__":
    main()
