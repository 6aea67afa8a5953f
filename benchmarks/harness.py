"""Shared machinery of the benchmarks: one thread for everyone, interleaved rounds, CPU time.

Every ratio is measured inside one run: in each round every contender runs the same
number of repetitions of its work, one after the other (the order rotates from round
to round), and its CPU time (``time.process_time``: time the machine gave this process,
so waiting behind other programs on a shared machine does not count) is recorded. A
ratio is taken round by round (``slow / fast`` within the same round, so a noisy stretch
slows both alike) and reported as the median and the minimum over the rounds.

Every peer runs on one thread: numpy's BLAS through threadpoolctl and PyTorch through
``torch.set_num_threads(1)`` (see :func:`one_thread`).
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone


@contextmanager
def one_thread():
    """Limit numpy's BLAS (threadpoolctl) and PyTorch (if installed) to one thread."""
    from threadpoolctl import threadpool_limits

    try:
        import torch
    except ImportError:
        torch = None
    old = torch.get_num_threads() if torch is not None else None
    with threadpool_limits(limits=1):
        if torch is not None:
            torch.set_num_threads(1)
        try:
            yield
        finally:
            if torch is not None:
                torch.set_num_threads(old)


def blas_threads() -> list[tuple[str, int]]:
    """(library, threads) of every BLAS/OpenMP pool loaded, as threadpoolctl sees them."""
    from threadpoolctl import threadpool_info

    return [(info["internal_api"], info["num_threads"]) for info in threadpool_info()]


def calibrate(work: Callable[[], object], target_s: float = 0.02) -> int:
    """How many repetitions of ``work`` take about ``target_s`` of CPU time (>= 1)."""
    work()  # warm-up: first call pays for allocations and caches
    reps = 1
    while True:
        t0 = time.process_time()
        for _ in range(reps):
            work()
        elapsed = time.process_time() - t0
        if elapsed >= target_s / 4 or reps >= 1 << 20:
            return max(1, round(reps * target_s / max(elapsed, 1e-9)))
        reps *= 4


def interleaved(contenders: dict[str, Callable[[], object]], rounds: int,
                reps: dict[str, int]) -> dict[str, list[float]]:
    """CPU seconds per repetition of each contender, one entry per round."""
    names = list(contenders)
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        for name in order:
            work, n = contenders[name], reps[name]
            t0 = time.process_time()
            for _ in range(n):
                work()
            times[name].append((time.process_time() - t0) / n)
    return times


@dataclass
class Ratio:
    """``slow / fast`` per round: its median and minimum over the rounds."""

    median: float
    min: float

    @classmethod
    def of(cls, slow: list[float], fast: list[float]) -> Ratio:
        per_round = [s / f for s, f in zip(slow, fast, strict=True)]
        return cls(statistics.median(per_round), min(per_round))

    def __str__(self) -> str:
        return f"{self.median:.2f}x (min {self.min:.2f}x)"


def machine() -> str:
    """The CPU, core count, OS and Python of this run."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
            f"Python {sys.version.split()[0]}")


def today() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d")
