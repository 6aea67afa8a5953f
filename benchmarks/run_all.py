"""Every benchmark in one command, one table: ``python benchmarks/run_all.py [rounds]``.

Needs the bench extra (``pip install -e .[bench]``: micrograd, torch, threadpoolctl).
Prints the machine, the versions, the date and one Markdown table of ratios, each the
median (and the minimum) over interleaved rounds of one run; see harness.py for how.
"""

from __future__ import annotations

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench_autodiff  # noqa: E402
import bench_network  # noqa: E402
import harness  # noqa: E402


def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    import numpy as np

    out = [f"numpy {np.__version__}"]
    for name in ("torch", "micrograd", "threadpoolctl"):
        try:
            out.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            out.append(f"{name} not installed")
    return ", ".join(out)


def table(net_rows: list[dict], ad: dict) -> list[str]:
    lines = ["| work | measured | target |", "|---|---|---|"]
    for row in net_rows:
        size = f"{'-'.join(map(str, row['sizes']))} b{row['batch']}, {row['dtype']}"
        lines.append(f"| Network step (forward, backward, p -= eta g) / fused numpy step, "
                     f"{size} | {row['vs_fused']} | |")
        lines.append(f"| Network.train_step / fused numpy step, {size} | "
                     f"{row['train_step_vs_fused']} | <= 1.25x |")
    for row in net_rows:
        if "torch_vs" in row:
            size = f"{'-'.join(map(str, row['sizes']))} b{row['batch']}, {row['dtype']}"
            lines.append(f"| PyTorch step / Network step, {size} | {row['torch_vs']} | > 1x |")
            lines.append(f"| PyTorch step / Network.train_step, {size} | "
                         f"{row['torch_vs_train_step']} | > 1x |")
    for row in net_rows:
        if "f64_vs_f32" in row:
            size = f"{'-'.join(map(str, row['sizes']))} b{row['batch']}"
            target = ">= 1.8x" if row["sizes"] == [784, 256, 256, 10] else ""
            lines.append(f"| Network float64 step / float32 step, {size} | "
                         f"{row['f64_vs_f32']} | {target} |")
    for heap, res in ad.items():
        where = ("a bare process" if heap == "bare" else "a lesson's libraries loaded") \
            + f", {res['heap_objects']:,} objects"
        for key, targets in (("gc on", {"total": ">= 10x", "backward": ">= 3x"}),
                             ("gc off", {"total": ">= 3x"})):
            for phase in ("forward", "backward", "total"):
                lines.append(f"| micrograd / Value, MLP graph ({res['ops']:,} ops), {phase}, "
                             f"{key}, {where} | {res[key][phase]} | "
                             f"{targets.get(phase, '')} |")
    b = ad["bare"]["bytes_per_op"]
    lines.append(f"| bytes per operation, Value (micrograd) | {b['ours']:.0f} "
                 f"({b['micrograd']:.0f}) | <= 200 |")
    return lines


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    rounds = int(argv[0]) if argv else 15
    print(f"machine: {harness.machine()}")
    print(f"versions: {versions()}; date {harness.today()}")
    with harness.one_thread():
        print(f"threads: {harness.blas_threads()} (BLAS pools) and torch 1")
    here = os.path.dirname(os.path.abspath(__file__))
    ad = {}
    # the Value benchmark in fresh processes: its gc-on ratios depend on what is loaded
    for heap, extra in (("bare", []), ("lesson", ["--lesson-heap"])):
        run = subprocess.run(
            [sys.executable, os.path.join(here, "bench_autodiff.py"), "--json",
             str(max(5, rounds // 2 * 2 + 1)), *extra], capture_output=True, text=True,
            check=True)
        ad[heap] = bench_autodiff.from_json(run.stdout.strip().splitlines()[-1])
    net_rows = bench_network.measure(rounds)
    print("\n".join(table(net_rows, ad)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
