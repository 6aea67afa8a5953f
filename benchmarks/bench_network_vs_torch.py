"""Training speed of the course's numpy network against PyTorch on the CPU, side by side.

    python benchmarks/bench_network_vs_torch.py

Both train the same network (same initial weights, same mini-batches in the same order,
plain mini-batch gradient descent on the mean squared error) at the course's sizes; the
script checks that the two loss curves agree, then prints the seconds per epoch of each
and their ratio, measured in this one run. PyTorch is an optional peer here, never a
dependency of the course: `pip install torch` to run this script.
"""

from __future__ import annotations

import time

import numpy as np

from backprop_lessons.maths.datasets import two_moons
from backprop_lessons.maths.losses import mse
from backprop_lessons.maths.network import Network
from backprop_lessons.maths.training import minibatches, train

SIZES = [  # (label, layer sizes, samples)
    ("XOR-size net [2, 4, 1], 256 samples", [2, 4, 1], 256),
    ("course net [2, 16, 16, 1], 1024 samples", [2, 16, 16, 1], 1024),
    ("wider net [2, 64, 64, 1], 1024 samples", [2, 64, 64, 1], 1024),
]
EPOCHS, BATCH, ETA = 20, 32, 0.5


def torch_train(torch, net: Network, X, y, epochs: int, seed: int) -> list[float]:
    """The same training in PyTorch: nn.Linear layers with the numpy net's weights."""
    torch.set_num_threads(1)
    layers = []
    for layer in net.layers:
        lin = torch.nn.Linear(*layer.W.shape).double()
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(layer.W.T.copy()))
            lin.bias.copy_(torch.from_numpy(layer.b.copy()))
        layers += [lin, torch.nn.Sigmoid()]
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=ETA)
    loss_fn = torch.nn.MSELoss()
    rng = np.random.default_rng(seed)
    epoch_losses = []
    for _ in range(epochs):
        total = 0.0
        for Xb, yb in minibatches(X, y, BATCH, rng=rng):
            xb_t, yb_t = torch.from_numpy(Xb), torch.from_numpy(yb)
            opt.zero_grad()
            loss = loss_fn(model(xb_t), yb_t)
            loss.backward()
            opt.step()
            total += loss.item() * len(Xb)
        epoch_losses.append(total / len(X))
    return epoch_losses


def main() -> None:
    try:
        import torch
    except ImportError as exc:
        raise SystemExit("PyTorch is not installed: pip install torch (only for this benchmark)"
                         ) from exc
    print(f"numpy {np.__version__}, torch {torch.__version__} (1 thread each), "
          f"{EPOCHS} epochs, batch {BATCH}, eta {ETA}")
    X0, y0 = two_moons(64, seed=0)  # warm-up of both libraries, not timed
    train(Network([2, 4, 1]), X0, y0, epochs=2)
    torch_train(torch, Network([2, 4, 1]), X0, y0, 2, seed=0)
    for label, sizes, n in SIZES:
        X, y = two_moons(n, noise=0.2, seed=0)
        net_np, net_ref = Network(sizes, seed=1), Network(sizes, seed=1)
        start = time.perf_counter()
        hist = train(net_np, X, y, loss="mse", eta=ETA, epochs=EPOCHS, batch_size=BATCH, seed=0)
        t_np = time.perf_counter() - start
        start = time.perf_counter()
        losses_t = torch_train(torch, net_ref, X, y, EPOCHS, seed=0)
        t_t = time.perf_counter() - start
        gap = max(abs(a - b) for a, b in zip(hist.epoch_losses, losses_t, strict=True))
        assert gap < 1e-9, f"the two trainings disagree (max loss gap {gap:.2e})"
        final = mse(y, net_np.predict(X))
        print(f"{label}: numpy {1e3 * t_np / EPOCHS:.2f} ms/epoch, "
              f"torch {1e3 * t_t / EPOCHS:.2f} ms/epoch, torch/numpy time ratio "
              f"{t_t / t_np:.2f} (losses agree to {gap:.1e}; final MSE {final:.4f})")


if __name__ == "__main__":
    main()
