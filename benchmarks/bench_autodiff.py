"""The scalar autodiff engine against the real micrograd, on the same graph, side by side.

    python benchmarks/bench_autodiff.py        (or benchmarks/run_all.py for every table)

The graph is micrograd's own demo: an MLP 2-16-16-1 (ReLU hidden layers, a linear
output) scoring 100 two-moons samples, the max-margin loss ``relu(1 - y score)``
averaged, plus ``1e-4 * sum(p^2)`` over the parameters; about 65,000 operations. Both
engines build it from the same weights with the same expression (the same ops in the
same order) and must agree on the loss and on every parameter's gradient. micrograd
is the package from the index (``pip install .[bench]``), not a copy.

In each round each engine builds the graph (forward) and differentiates it
(``backward()``), timed in CPU time, once with the garbage collector on (as users run
it) and once with it off; the engines alternate, and the heap is collected between
repetitions outside the timing. A round repeats the faster engine's work as many times
as makes its round about as long as the slower engine's (at least ``ROUND_S`` of CPU
time each), so that a short stretch of noise on a shared machine weighs on both alike.
Memory is the bytes allocated per operation while the graph is built and
differentiated (tracemalloc).

The collector's work grows with everything alive in the process, so the gc-on ratios
depend on what else is loaded: run_all measures in two fresh processes, one that
imports only numpy, micrograd and the package, one that also holds what a lesson's
kernel holds (matplotlib, ipywidgets, IPython).
"""

from __future__ import annotations

import gc
import math
import random
import sys
import time
import tracemalloc

try:  # run as a script or imported by run_all
    from harness import Ratio
except ImportError:  # pragma: no cover
    from benchmarks.harness import Ratio

from backprop_lessons.maths.autodiff import Value
from backprop_lessons.maths.datasets import two_moons

SIZES = (2, 16, 16, 1)
N_SAMPLES = 100
ALPHA = 1e-4
ROUND_S = 0.4  # CPU seconds a round gives each engine, at least


def weights(seed: int = 1337) -> list:
    """micrograd's initialisation: uniform(-1, 1) weights, zero biases, one seeded stream."""
    rng = random.Random(seed)
    return [([[rng.uniform(-1, 1) for _ in range(n_in)] for _ in range(n_out)], [0.0] * n_out)
            for n_in, n_out in zip(SIZES[:-1], SIZES[1:], strict=True)]


def data():
    X, y = two_moons(N_SAMPLES, noise=0.1, seed=1)
    return X.tolist(), [1.0 if t > 0.5 else -1.0 for t in y.ravel()]


def parameters(V, w) -> tuple[list, list]:
    layers = [([[V(x) for x in row] for row in W], [V(x) for x in b]) for W, b in w]
    flat = [p for W, b in layers for row, bj in zip(W, b, strict=True) for p in (*row, bj)]
    return layers, flat


def loss(V, layers, flat, X, y):
    """micrograd's demo loss, written once for any Value class."""
    scores = []
    for row in X:
        a = [V(x) for x in row]
        for li, (W, b) in enumerate(layers):
            z = [sum((wi * ai for wi, ai in zip(w_row, a, strict=True)), bj)
                 for w_row, bj in zip(W, b, strict=True)]
            a = [zj.relu() for zj in z] if li < len(layers) - 1 else z
        scores.append(a[0])
    losses = [(1 + (-yi) * s).relu() for yi, s in zip(y, scores, strict=True)]
    data_loss = sum(losses) * (1.0 / len(losses))
    return data_loss + ALPHA * sum(p * p for p in flat)


def count_ops(root) -> int:
    """Operations (non-leaf nodes) of a graph, for any engine with ``_prev``."""
    seen, stack, n = {id(root)}, [root], 0
    while stack:
        node = stack.pop()
        kids = node._prev
        if kids:
            n += 1
        for c in kids:
            if id(c) not in seen:
                seen.add(id(c))
                stack.append(c)
    return n


def check_agreement(MG, w, X, y) -> int:
    """Same loss and gradients from both engines; returns the number of operations."""
    ours_layers, ours_flat = parameters(Value, w)
    mg_layers, mg_flat = parameters(MG, w)
    L_ours, L_mg = loss(Value, ours_layers, ours_flat, X, y), loss(MG, mg_layers, mg_flat, X, y)
    L_ours.backward()
    L_mg.backward()
    if not math.isclose(L_ours.data, L_mg.data, rel_tol=1e-12):
        raise AssertionError(f"losses differ: {L_ours.data} and {L_mg.data}")
    for p, q in zip(ours_flat, mg_flat, strict=True):
        if not math.isclose(p.grad, q.grad, rel_tol=1e-9, abs_tol=1e-15):
            raise AssertionError(f"gradients differ: {p.grad} and {q.grad}")
    return count_ops(L_ours)


def bytes_per_op(V, w, X, y, n_ops: int) -> float:
    gc.collect()
    tracemalloc.start()
    layers, flat = parameters(V, w)
    root = loss(V, layers, flat, X, y)
    root.backward()
    used = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del root, layers, flat
    gc.collect()
    return used / n_ops


def _once(V, params, X, y, gc_on: bool) -> tuple[float, float]:
    """CPU seconds of one forward and one backward; the heap is collected afterwards."""
    layers, flat = params
    if not gc_on:
        gc.disable()
    try:
        t0 = time.process_time()
        root = loss(V, layers, flat, X, y)
        t1 = time.process_time()
        root.backward()
        t2 = time.process_time()
    finally:
        gc.enable()
    del root
    gc.collect()
    return t1 - t0, t2 - t1


def _round(V, params, X, y, gc_on: bool, reps: int) -> tuple[float, float]:
    """Mean CPU seconds of forward and of backward over ``reps`` repetitions."""
    f = b = 0.0
    for _ in range(reps):
        df, db = _once(V, params, X, y, gc_on)
        f += df
        b += db
    return f / reps, b / reps


def measure(rounds: int = 11) -> dict:
    from micrograd.engine import Value as MG

    w = weights()
    X, y = data()
    n_ops = check_agreement(MG, w, X, y)
    params = {"ours": parameters(Value, w), "micrograd": parameters(MG, w)}
    engines = {"ours": Value, "micrograd": MG}
    gc.collect()
    out: dict = {"ops": n_ops, "heap_objects": len(gc.get_objects())}
    for gc_on in (True, False):
        t = {(e, phase): [] for e in engines for phase in ("forward", "backward", "total")}
        # warm-up, and the time of one repetition: each engine repeats its work until
        # its round is about as long as the slower one's (and at least ROUND_S)
        for name, V in engines.items():
            _round(V, params[name], X, y, gc_on, 1)
        once = {name: sum(_round(V, params[name], X, y, gc_on, 1)) for name, V in engines.items()}
        longest = max(ROUND_S, *once.values())
        reps = {name: max(1, round(longest / s)) for name, s in once.items()}
        for r in range(rounds):
            order = list(engines) if r % 2 == 0 else list(engines)[::-1]
            for name in order:
                f, b = _round(engines[name], params[name], X, y, gc_on, reps[name])
                t[name, "forward"].append(f)
                t[name, "backward"].append(b)
                t[name, "total"].append(f + b)
        key = "gc on" if gc_on else "gc off"
        out[key] = {phase: Ratio.of(t["micrograd", phase], t["ours", phase])
                    for phase in ("forward", "backward", "total")}
        out[key]["ours_total_s"] = min(t["ours", "total"])
        out[key]["reps"] = reps
    out["bytes_per_op"] = {name: bytes_per_op(V, w, X, y, n_ops) for name, V in engines.items()}
    return out


def load_lesson_libraries() -> int:
    """Import what a lesson's kernel holds (matplotlib, ipywidgets, IPython, the
    package's figures and widgets): a heap like a learner's. Returns gc's object count."""
    import IPython  # noqa: F401

    import backprop_lessons.viz.figures  # noqa: F401
    import backprop_lessons.widgets  # noqa: F401

    gc.collect()
    return len(gc.get_objects())


def as_json(res: dict) -> str:
    """``measure()``'s result as JSON (Ratios as [median, min])."""
    import json

    def plain(v):
        if isinstance(v, Ratio):
            return [v.median, v.min]
        return {k: plain(x) for k, x in v.items()} if isinstance(v, dict) else v
    return json.dumps(plain(res))


def from_json(text: str) -> dict:
    import json

    def back(v):
        if isinstance(v, list):
            return Ratio(*v)
        return {k: back(x) for k, x in v.items()} if isinstance(v, dict) else v
    return back(json.loads(text))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--json":  # for run_all, which runs this in a fresh process
        if "--lesson-heap" in argv:
            load_lesson_libraries()
        print(as_json(measure(int(argv[1]) if len(argv) > 1 else 11)))
        return 0
    res = measure(int(argv[0]) if argv else 11)
    print(f"MLP 2-16-16-1, {N_SAMPLES} samples, {res['ops']} operations; "
          "speed-up = micrograd CPU time / ours, per round")
    for key in ("gc on", "gc off"):
        r = res[key]
        print(f"{key:<7} forward {r['forward']}, backward {r['backward']}, total {r['total']} "
              f"(repetitions per round: ours {r['reps']['ours']}, "
              f"micrograd {r['reps']['micrograd']})")
    b = res["bytes_per_op"]
    print(f"bytes per operation: ours {b['ours']:.0f}, micrograd {b['micrograd']:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
