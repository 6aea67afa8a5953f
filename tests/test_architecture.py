"""The folders are the layers: imports point downward only, no cycles, no private names
taken from another module. Imports are read with ``ast`` (also those inside functions)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "backprop_lessons"
NAME = "backprop_lessons"

# layer -> the layers it may import (its own included)
ALLOWED: dict[str, set[str]] = {
    "catalog": {"catalog"},
    "maths": {"maths"},
    "viz": {"viz", "maths"},
    "widgets": {"widgets", "viz", "maths"},
    "exercises": {"exercises", "maths", "catalog", "root"},
    "tools": {"tools", "exercises", "widgets", "viz", "maths", "catalog", "root"},
    "root": {"root", "maths"},
}


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "root"
    return parts[1]


def modules(package: Path = PACKAGE) -> dict[str, Path]:
    return {module_name(p, package): p for p in sorted(package.rglob("*.py"))}


def imports_of(module: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append((alias.name, [], node.lineno))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                if node.level > 1:
                    base = base[: -(node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((target, [a.name for a in node.names], node.lineno))
    return found


def resolve(target: str, names: list[str], known: dict[str, Path]) -> list[str]:
    """The package modules an import statement loads (``from pkg import mod`` loads mod)."""
    out = []
    if target in known:
        out.append(target)
    for n in names:
        if f"{target}.{n}" in known:
            out.append(f"{target}.{n}")
    return out


def graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    known = modules(package)
    edges: dict[str, set[str]] = {m: set() for m in known}
    for module, path in known.items():
        for target, names, _line in imports_of(module, path):
            if target == NAME or target.startswith(NAME + "."):
                edges[module].update(t for t in resolve(target, names, known) if t != module)
    return edges


def test_every_layer_imports_only_layers_below_it():
    bad = []
    for module, targets in graph().items():
        for target in targets:
            if target == NAME:
                continue  # the root package itself (its __version__), loaded by everything
            if layer_of(target) not in ALLOWED[layer_of(module)]:
                bad.append(f"{module} imports {target}")
    assert not bad, "imports against the layers:\n" + "\n".join(sorted(bad))


def test_no_import_cycles():
    edges = graph()
    # packages import their own submodules by design (re-exports); a cycle is between
    # modules that are not each other's package
    for module in edges:
        edges[module] = {t for t in edges[module] if not t.startswith(module + ".")}
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges[node]):
            if nxt == NAME:
                continue
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for m in sorted(edges):
        if m not in state:
            visit(m, [])
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_no_module_takes_another_modules_private_name():
    known = modules()
    bad = []
    for module, path in known.items():
        for target, names, line in imports_of(module, path):
            if not (target == NAME or target.startswith(NAME + ".")):
                continue
            for n in names:
                if n.startswith("_") and not n.startswith("__"):
                    bad.append(f"{module}:{line} takes {target}.{n}")
            if target.rpartition(".")[2].startswith("_"):
                bad.append(f"{module}:{line} imports the private module {target}")
    assert not bad, "\n".join(bad)


def test_the_checker_catches_a_planted_upward_import(tmp_path):
    """The layering test is not vacuous: a maths module importing viz is reported."""
    import shutil

    copy = tmp_path / NAME
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "maths" / "planted.py").write_text("from ..viz import theme\n", encoding="utf-8")
    bad = {f"{m} -> {t}" for m, ts in graph(copy).items() for t in ts
           if t != NAME and layer_of(t) not in ALLOWED[layer_of(m)]}
    assert bad == {f"{NAME}.maths.planted -> {NAME}.viz",
                   f"{NAME}.maths.planted -> {NAME}.viz.theme"}


@pytest.mark.parametrize("short, home", [("calculus", "maths.calculus"),
                                         ("network", "maths.network"),
                                         ("figures", "viz.figures"),
                                         ("grader", "tools.grader")])
def test_short_module_names_of_saved_notebooks_still_import(short, home):
    code = (f"import importlib, {NAME}; "
            f"a = importlib.import_module('{NAME}.{short}'); "
            f"from {NAME} import {short} as b; "
            f"import {NAME}.{home} as c; print(a is b is c, a.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == ["True", f"{NAME}.{home}"]
