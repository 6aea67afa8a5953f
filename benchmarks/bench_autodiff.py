"""Benchmark: forward + backward of a small MLP built from scalar Values.

Compares backprop_lessons.maths.autodiff.Value with a faithful re-implementation of
micrograd's Value (micrograd/engine.py by Andrej Karpathy, MIT licence): closures for
``_backward``, a ``set`` of children, and a *recursive* topological sort. micrograd is
not installed here, so the copy below stands in for it; it is labelled MicrogradValue.

Run:  python benchmarks/bench_autodiff.py
Prints the best-of-N times of both engines and their ratio, measured in this one run.
"""

from __future__ import annotations

import math
import random
import sys
import time

from backprop_lessons.maths.autodiff import Value


# --- re-implementation of micrograd's engine.py (for comparison only) -----------------
class MicrogradValue:
    """micrograd's Value, re-implemented faithfully (recursive build_topo, closures)."""

    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op

    def __add__(self, other):
        other = other if isinstance(other, MicrogradValue) else MicrogradValue(other)
        out = MicrogradValue(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, MicrogradValue) else MicrogradValue(other)
        out = MicrogradValue(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, other):
        assert isinstance(other, (int, float)), "only supporting int/float powers for now"
        out = MicrogradValue(self.data**other, (self,), f"**{other}")

        def _backward():
            self.grad += (other * self.data ** (other - 1)) * out.grad

        out._backward = _backward
        return out

    def tanh(self):
        # micrograd ships relu; its lecture version adds tanh with the same pattern
        t = math.tanh(self.data)
        out = MicrogradValue(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t**2) * out.grad

        out._backward = _backward
        return out

    def backward(self):
        topo = []
        visited = set()

        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)

        build_topo(self)
        self.grad = 1
        for v in reversed(topo):
            v._backward()

    def __neg__(self):
        return self * -1

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __rmul__(self, other):
        return self * other


# --- the workload: an MLP 3-16-16-1 (tanh) on a few samples, squared-error loss --------
def make_params(cls, sizes, seed=0):
    rng = random.Random(seed)
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        W = [[cls(rng.uniform(-1, 1)) for _ in range(n_in)] for _ in range(n_out)]
        b = [cls(0.0) for _ in range(n_out)]
        layers.append((W, b))
    return layers


def loss_of(layers, X, Y):
    total = 0.0
    for x, y in zip(X, Y, strict=True):
        a = x
        for li, (W, b) in enumerate(layers):
            z = [
                sum((wi * ai for wi, ai in zip(row, a, strict=True)), bj)
                for row, bj in zip(W, b, strict=True)
            ]
            a = z if li == len(layers) - 1 else [zj.tanh() for zj in z]
        total = total + (a[0] - y) ** 2
    return total


def time_engine(cls, X, Y, repeats):
    layers = make_params(cls, [3, 16, 16, 1])
    best_f = best_b = float("inf")
    n_nodes = 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        L = loss_of(layers, X, Y)
        t1 = time.perf_counter()
        L.backward()
        t2 = time.perf_counter()
        best_f, best_b = min(best_f, t1 - t0), min(best_b, t2 - t1)
        grad0 = layers[0][0][0][0].grad
        for W, b in layers:
            for row in W:
                for w in row:
                    w.grad = 0
            for bj in b:
                bj.grad = 0
    if cls is Value:
        n_nodes = len(L.nodes())
    return best_f, best_b, L.data, grad0, n_nodes


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    repeats = int(argv[0]) if argv else 15
    rng = random.Random(1)
    X = [[rng.uniform(-1, 1) for _ in range(3)] for _ in range(8)]
    Y = [rng.choice([-1.0, 1.0]) for _ in range(8)]
    f_ours, b_ours, L_ours, g_ours, n_nodes = time_engine(Value, X, Y, repeats)
    f_mg, b_mg, L_mg, g_mg, _ = time_engine(MicrogradValue, X, Y, repeats)
    assert math.isclose(L_ours, L_mg, rel_tol=1e-12), (L_ours, L_mg)
    assert math.isclose(g_ours, g_mg, rel_tol=1e-9), (g_ours, g_mg)
    print(f"MLP 3-16-16-1 (tanh), 8 samples, {n_nodes} nodes; best of {repeats} runs")
    print(f"{'engine':<34}{'forward ms':>12}{'backward ms':>13}{'total ms':>10}")
    rows = [
        ("backprop_lessons.maths.autodiff.Value", f_ours, b_ours),
        ("micrograd re-implementation", f_mg, b_mg),
    ]
    for name, f, b in rows:
        print(f"{name:<34}{f * 1e3:>12.2f}{b * 1e3:>13.2f}{(f + b) * 1e3:>10.2f}")
    print(
        f"speed-up (micrograd re-impl. time / ours): forward {f_mg / f_ours:.2f}x, "
        f"backward {b_mg / b_ours:.2f}x, total {(f_mg + b_mg) / (f_ours + b_ours):.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
