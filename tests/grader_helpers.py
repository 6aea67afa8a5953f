"""Building submissions for the grader tests, and looking for leftover processes."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
SETUP_01 = "from backprop_lessons.exercises import lesson_01 as ex"
RIGHT = "def weight_update(W_old, dL_dW, eta):\n    return W_old - eta * dL_dW"
ASCENT = "def weight_update(W_old, dL_dW, eta):\n    return W_old + eta * dL_dW"
STUB = "def weight_update(W_old, dL_dW, eta):\n    # YOUR CODE HERE\n    ..."
RIGHT_ND = ("def numerical_derivative(f, x, h=1e-5):\n"
            "    return (f(x + h) - f(x - h)) / (2 * h)")
STUB_ND = "def numerical_derivative(f, x, h=1e-5):\n    # YOUR CODE HERE\n    ..."


def notebook(*cells, metadata=None):
    """A notebook of code cells: each a source, or (source, [tags])."""
    nb = nbformat.v4.new_notebook()
    for cell in cells:
        src, tags = (cell, []) if isinstance(cell, str) else cell
        c = nbformat.v4.new_code_cell(src)
        if tags:
            c.metadata["tags"] = list(tags)
        nb.cells.append(c)
    if metadata:
        nb.metadata.update(metadata)
    return nb


def lesson01(*extra, wu=RIGHT, nd=STUB_ND, wu_tags=("exercise:weight_update",),
             nd_tags=("exercise:numerical_derivative",)):
    """A small lesson 01 submission: setup, weight_update, numerical_derivative, extras."""
    return notebook((SETUP_01, ["setup"]), (wu, list(wu_tags)), (nd, list(nd_tags)), *extra)


def write(folder: Path, name: str, nb) -> Path:
    path = folder / name
    nbformat.write(nb, str(path))
    return path


def run_grade(target, *args, timeout=900):
    """Run ``backprop-lessons grade`` as a subprocess with this worktree's package."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "backprop_lessons.tools.cli", "grade",
                           str(target), *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=timeout, cwd=str(REPO))


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def processes_with(marker: str) -> list[int]:
    """Pids of live processes whose command line holds ``marker``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ")
            state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker.encode() in cmdline and state != "Z":
            found.append(int(entry))
    return found
