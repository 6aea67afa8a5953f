"""Training step of the course's Network against the numpy limit and PyTorch, side by side.

    python benchmarks/bench_network.py          (or benchmarks/run_all.py for every table)

One training step = forward pass, dL/dY of the mean squared error, backward pass, and
W <- W - eta dL/dW for every weight and bias, on one mini-batch; sigmoid layers.
Three contenders take the same step from the same weights on the same batch:

- ``network``: the package's Network, as a learner calls it (``forward``, ``backward``,
  ``p -= eta * g``), the teaching path;
- ``train_step``: the package's fused path, ``Network.train_step(X, y, eta)``, which
  :func:`training.train` takes for every batch (it also returns the batch's loss, which
  the fused step below does not compute);
- ``fused``: the numpy limit, the same arithmetic written out by hand for these
  layers, every array preallocated, every operation ``out=`` (no checks, no dicts);
- ``torch``: PyTorch on the CPU (``torch.addmm``, ``torch.sigmoid``, ``mse_loss``,
  autograd, ``torch.optim.SGD``), an optional peer: ``pip install .[bench]``.

Before timing, the script checks that they agree: network, train_step and fused bit for
bit (float64 and float32), torch to rounding. Everyone runs on one thread.
"""

from __future__ import annotations

import sys

import numpy as np

try:  # run as a script (python benchmarks/bench_network.py) or imported by run_all
    from harness import Ratio, calibrate, interleaved, one_thread
except ImportError:  # pragma: no cover
    from benchmarks.harness import Ratio, calibrate, interleaved, one_thread

from backprop_lessons.maths.network import Network

SIZES = [([2, 4, 1], 32), ([2, 16, 16, 1], 32), ([784, 128, 64, 10], 128),
         ([784, 256, 256, 10], 256)]
ETA = 0.1


def batch(sizes, n, dtype, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, sizes[0])).astype(dtype)
    y = rng.uniform(size=(n, sizes[-1])).astype(dtype)
    return X, y


def network_step(net: Network, X, y, eta: float = ETA):
    """The step as a learner writes it with the Network."""
    def step():
        Y, cache = net.forward(X)
        grads = net.backward(cache, -2.0 * (y - Y) / Y.size)
        for name, p in net.params.items():
            p -= eta * grads[name]
    return step


def train_step(net: Network, X, y, eta: float = ETA):
    """The step by the Network's fused path (what training.train runs per batch)."""
    def step():
        net.train_step(X, y, eta)
    return step


class FusedStep:
    """The numpy limit: the Network's arithmetic for sigmoid layers and the MSE, by hand,
    into preallocated arrays (the same floats as the Network, checked before timing)."""

    def __init__(self, net: Network, X, y, eta: float = ETA):
        self.W = [layer.W.copy() for layer in net.layers]
        self.b = [layer.b.copy() for layer in net.layers]
        self.X, self.y, self.eta = X, y, eta
        n, dt = len(X), X.dtype
        outs = [W.shape[1] for W in self.W]
        self.Z = [np.empty((n, k), dt) for k in outs]
        self.A = [np.empty((n, k), dt) for k in outs]
        self.den = [np.empty((n, k), dt) for k in outs]
        self.step = [np.empty((n, k), dt) for k in outs]
        self.delta = [np.empty((n, k), dt) for k in outs]
        self.dA = [np.empty((n, k), dt) for k in outs]
        self.dW = [np.empty_like(W) for W in self.W]
        self.db = [np.empty_like(b) for b in self.b]

    def __call__(self):
        # every ufunc's output passed by position and the sums by np.add.reduce: the
        # cheapest numpy calls on small arrays (the keyword forms cost more per call)
        W, b, Z, A = self.W, self.b, self.Z, self.A
        a = self.X
        for i in range(len(W)):  # Z = a W + b, A = sigmoid(Z) (the stable form)
            np.matmul(a, W[i], Z[i])
            np.add(Z[i], b[i], Z[i])
            e = A[i]
            np.copysign(Z[i], -1.0, e)  # -|Z|
            np.exp(e, e)
            np.add(e, 1.0, self.den[i])
            np.greater_equal(Z[i], 0.0, self.step[i])  # where(Z >= 0, 1, e) = max(e, H)
            np.maximum(e, self.step[i], out=e)
            np.divide(e, self.den[i], e)
            a = A[i]
        d = self.dA[-1]  # dL/dY = -2 (y - Y) / N
        np.subtract(self.y, a, d)
        np.multiply(d, -2.0, d)
        np.divide(d, a.size, d)
        for i in range(len(W) - 1, -1, -1):
            delta = self.delta[i]  # dL/dZ = dL/dA * A (1 - A)
            np.subtract(1.0, A[i], delta)
            np.multiply(A[i], delta, delta)
            np.multiply(d, delta, delta)
            np.matmul((A[i - 1] if i else self.X).T, delta, self.dW[i])
            np.add.reduce(delta, 0, out=self.db[i])
            if i:
                d = self.dA[i - 1]
                np.matmul(delta, W[i].T, d)
            np.multiply(self.dW[i], self.eta, self.dW[i])
            np.subtract(W[i], self.dW[i], W[i])
            np.multiply(self.db[i], self.eta, self.db[i])
            np.subtract(b[i], self.db[i], b[i])


def torch_step(torch, net: Network, X, y, eta: float = ETA):
    """The same step in PyTorch, from the Network's weights; returns (step, parameters)."""
    params = []
    for layer in net.layers:
        params += [torch.tensor(layer.W, requires_grad=True),
                   torch.tensor(layer.b, requires_grad=True)]
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    opt = torch.optim.SGD(params, lr=eta)
    mse_loss = torch.nn.functional.mse_loss

    def step():
        a = Xt
        for i in range(0, len(params), 2):
            a = torch.sigmoid(torch.addmm(params[i + 1], a, params[i]))
        loss = mse_loss(a, yt)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    return step, params


def check_agreement(torch, sizes, n, dtype) -> None:
    """network == train_step == fused bit for bit after 3 steps; torch equal to rounding."""
    X, y = batch(sizes, n, dtype)
    net = Network(sizes, seed=1, dtype=dtype)
    fused = FusedStep(net, X, y)
    step = network_step(net, X, y)
    net_ts = Network(sizes, seed=1, dtype=dtype)
    ts_step = train_step(net_ts, X, y)
    t_step, t_params = torch_step(torch, Network(sizes, seed=1, dtype=dtype), X, y) \
        if torch else (None, None)
    for _ in range(3):
        step()
        ts_step()
        fused()
        if t_step:
            t_step()
    for i, layer in enumerate(net.layers):
        if not (np.array_equal(layer.W, fused.W[i]) and np.array_equal(layer.b, fused.b[i])):
            raise AssertionError(f"network and fused step disagree at {sizes} {dtype}")
        ts_layer = net_ts.layers[i]
        if not (np.array_equal(layer.W, ts_layer.W) and np.array_equal(layer.b, ts_layer.b)):
            raise AssertionError(f"network and train_step disagree at {sizes} {dtype}")
        if t_params:
            tol = 1e-9 if dtype == np.float64 else 1e-4
            np.testing.assert_allclose(t_params[2 * i].detach().numpy(), layer.W,
                                       rtol=tol, atol=tol)


def measure(rounds: int = 15, target_s: float = 0.1) -> list[dict]:
    """One row per (size, dtype): step times and the ratios, all from one interleaved run."""
    try:
        import torch
    except ImportError:
        torch = None
    rows = []
    with one_thread():
        for sizes, n in SIZES:
            contenders = {}
            for dtype in (np.float64, np.float32):
                check_agreement(torch, sizes, n, dtype)
                X, y = batch(sizes, n, dtype)
                tag = np.dtype(dtype).name
                contenders[f"network {tag}"] = network_step(Network(sizes, seed=1, dtype=dtype),
                                                            X, y)
                contenders[f"train_step {tag}"] = train_step(
                    Network(sizes, seed=1, dtype=dtype), X, y)
                contenders[f"fused {tag}"] = FusedStep(Network(sizes, seed=1, dtype=dtype), X, y)
                if torch is not None:
                    contenders[f"torch {tag}"] = torch_step(
                        torch, Network(sizes, seed=1, dtype=dtype), X, y)[0]
            reps = {name: calibrate(work, target_s) for name, work in contenders.items()}
            t = interleaved(contenders, rounds, reps)
            for tag in ("float64", "float32"):
                row = {"sizes": sizes, "batch": n, "dtype": tag,
                       "network_s": min(t[f"network {tag}"]),
                       "vs_fused": Ratio.of(t[f"network {tag}"], t[f"fused {tag}"]),
                       "train_step_s": min(t[f"train_step {tag}"]),
                       "train_step_vs_fused": Ratio.of(t[f"train_step {tag}"],
                                                       t[f"fused {tag}"])}
                if torch is not None:
                    row["torch_vs"] = Ratio.of(t[f"torch {tag}"], t[f"network {tag}"])
                    row["torch_vs_train_step"] = Ratio.of(t[f"torch {tag}"],
                                                          t[f"train_step {tag}"])
                if tag == "float32":
                    row["f64_vs_f32"] = Ratio.of(t["network float64"], t["network float32"])
                rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    rounds = int(argv[0]) if argv else 15
    print(f"{'network':<22}{'dtype':<9}{'step':>10}  {'network / fused':<22}"
          f"{'train_step / fused':<22}{'torch / network':<22}{'torch / train_step':<22}"
          f"{'float64 / float32':<20}")
    for row in measure(rounds):
        torch_vs = str(row.get("torch_vs", "n/a"))
        torch_ts = str(row.get("torch_vs_train_step", "n/a"))
        f32 = str(row.get("f64_vs_f32", ""))
        label = f"{row['sizes']} b{row['batch']}"
        print(f"{label:<22}{row['dtype']:<9}{row['network_s'] * 1e3:>8.3f}ms  "
              f"{str(row['vs_fused']):<22}{str(row['train_step_vs_fused']):<22}"
              f"{torch_vs:<22}{torch_ts:<22}{f32:<20}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
