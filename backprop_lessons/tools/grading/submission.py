"""A submission as the grader sees it before running anything: its bytes (read once, so a
later change on disk changes nothing), its cells, its lesson, and what its source shows.

The lesson decides what is graded (every released exercise of that lesson); it is read
from, in order: the instructor's ``--lesson``, the notebook metadata
``{"backprop_lessons": {"lesson": KEY}}``, the setup cell
(``from backprop_lessons.exercises import lesson_NN as ex``), the file name (``NN_...``).
Exercise tags are not used to decide anything.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

__all__ = ["MAX_BYTES", "SubmissionError", "Submission", "read", "recognise", "code_cells",
           "bindings", "answer_flags", "tamper_flags"]

MAX_BYTES = 64 * 1024 * 1024


class SubmissionError(ValueError):
    """Why a file cannot be graded, in words for the report."""


@dataclass
class Submission:
    """One notebook to grade: ``name`` as shown in reports (relative to the folder)."""

    path: Path
    name: str
    data: bytes
    notebook: dict = field(default_factory=dict)
    lesson: str = ""
    how: str = ""
    cells: list[tuple[int, str]] = field(default_factory=list)
    stamp: tuple[int, int] | None = None  # (mtime_ns, size) when read
    notes: list[str] = field(default_factory=list)  # for the grade, e.g. "a link to ..."


def read(path: Path, name: str) -> Submission:
    """The file's bytes, read now (SubmissionError when it is too big or unreadable)."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SubmissionError(f"{name} is {size / 1e6:.0f} MB: larger than the "
                                  f"{MAX_BYTES // 2**20} MB a notebook may be")
        data = path.read_bytes()
    except OSError as exc:
        raise SubmissionError(f"{name} cannot be read: {exc.strerror or exc}") from exc
    return Submission(path, name, data)


def parse(sub: Submission) -> dict:
    """The notebook as a dict (nbformat 4); SubmissionError says what is wrong with it."""
    try:
        text = sub.data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SubmissionError(f"{sub.name} is not a readable notebook: not UTF-8 text "
                              f"(byte {exc.start})") from exc
    try:
        raw = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        where = (f" (line {exc.lineno}, column {exc.colno})"
                 if isinstance(exc, json.JSONDecodeError) else " (nested too deeply)")
        raise SubmissionError(f"{sub.name} is not a readable notebook: not valid JSON"
                              f"{where}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list):
        raise SubmissionError(f"{sub.name} is not a readable notebook: no list of cells")
    try:
        import nbformat

        nb = nbformat.reads(text, as_version=4)
    except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds for a broken file
        raise SubmissionError(f"{sub.name} is not a readable notebook: "
                              f"{type(exc).__name__}: {str(exc)[:200]}") from exc
    sub.notebook = nb
    sub.cells = code_cells(nb)
    return nb


def code_cells(nb: dict) -> list[tuple[int, str]]:
    """``(cell number, source)`` of every code cell, numbered from 1 as Jupyter shows them."""
    out = []
    for i, cell in enumerate(nb.get("cells", []), start=1):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            out.append((i, "".join(source) if isinstance(source, list) else str(source)))
    return out


_SETUP = re.compile(r"^\s*from\s+backprop_lessons\.exercises\s+import\s+lesson_(\d+)\b"
                    r"|^\s*import\s+backprop_lessons\.exercises\.lesson_(\d+)\b", re.M)


def recognise(sub: Submission, forced: str | None = None) -> tuple[str, str]:
    """``(lesson key, how it was recognised)``; SubmissionError when it cannot be told."""
    from ...catalog import LESSONS

    by_number = {lesson.number: lesson.key for lesson in LESSONS}
    keys = [lesson.key for lesson in LESSONS]
    if forced:
        return forced, "--lesson"
    meta = sub.notebook.get("metadata", {}).get("backprop_lessons", {})
    if isinstance(meta, dict) and meta.get("lesson") in keys:
        return meta["lesson"], "notebook metadata"
    for _, source in sub.cells:
        m = _SETUP.search(source)
        if m:
            number = int(m.group(1) or m.group(2))
            if number in by_number:
                return by_number[number], f"setup cell, lesson_{number:02d}"
    stem = Path(sub.name).stem
    for key in keys:
        if key in stem:
            return key, "file name"
    m = re.match(r"^(\d{2})(?:_|$)", Path(sub.name).name)
    if m and int(m.group(1)) in by_number:
        return by_number[int(m.group(1))], "file name"
    raise SubmissionError(
        f"{sub.name}: cannot tell which lesson this is: no setup cell "
        "`from backprop_lessons.exercises import lesson_NN as ex`, no lesson number in "
        "the file name (e.g. 01_slopes.ipynb); pass --lesson KEY to grade it as one")


@lru_cache(maxsize=4096)
def _parsed(source: str) -> ast.Module | None:
    """The cell's syntax tree (IPython magics turned into Python first); None if unreadable.
    Cached: each cell is read for every exercise. The trees are only read, never changed."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        source = TransformerManager().transform_cell(source)
    except Exception:  # noqa: BLE001 - no IPython, or a cell it cannot read
        pass
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _top_statements(body: list[ast.stmt]):
    """Module-level statements, also inside if/try/with/for blocks (not in functions)."""
    for node in body:
        yield node
        for name in ("body", "orelse", "finalbody"):
            inner = getattr(node, name, None)
            if isinstance(inner, list) and not isinstance(
                    node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                yield from _top_statements(inner)
        for handler in getattr(node, "handlers", []) or []:
            yield from _top_statements(handler.body)


def _binds(node: ast.stmt) -> list[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [(a.asname or a.name).split(".")[0] for a in node.names]
    targets = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        targets = [node.target]
    names = []
    for t in targets:
        for sub in ast.walk(t):
            if isinstance(sub, ast.Name):
                names.append(sub.id)
    return names


def bindings(cells: list[tuple[int, str]], name: str) -> list[tuple[int, ast.stmt]]:
    """Every ``(cell number, statement)`` that binds ``name`` at the notebook's top level."""
    found = []
    for index, source in cells:
        tree = _parsed(source)
        if tree is None:
            continue
        for node in _top_statements(tree.body):
            if name in _binds(node):
                found.append((index, node))
    return found


def _package_imports(cells: list[tuple[int, str]]) -> dict[str, tuple[str, str]]:
    """Names the notebook binds to something imported from backprop_lessons ->
    (module, the imported name; "" for a module)."""
    aliases: dict[str, tuple[str, str]] = {}
    for _, source in cells:
        tree = _parsed(source)
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "backprop_lessons"):
                for a in node.names:
                    aliases[a.asname or a.name] = (node.module or "", a.name)
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.startswith("backprop_lessons"):
                        aliases[(a.asname or a.name).split(".")[0]] = (a.name, "")
    return aliases


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.value if not isinstance(node, ast.Call) else node.func
    return node.id if isinstance(node, ast.Name) else None


def answer_flags(cells: list[tuple[int, str]], function_name: str,
                 reference_name: str) -> list[str]:
    """Why the notebook's ``function_name`` looks like the package's own answer (its last
    binding imports it from backprop_lessons, or calls the reference): [] when it does not."""
    found = bindings(cells, function_name)
    if not found:
        return []
    index, node = found[-1]
    imports = _package_imports(cells)
    aliases = {alias: module for alias, (module, _) in imports.items()}
    if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("backprop_lessons"):
        return [f"cell {index} imports {function_name} from {node.module} (the package's "
                "answer)"]
    for sub in ast.walk(node):
        if isinstance(sub, ast.Attribute) and sub.attr in ("reference", "solution_cell"):
            return [f"cell {index}: {function_name} uses the exercise's .{sub.attr}"]
        if isinstance(sub, ast.Attribute) and sub.attr == reference_name:
            root = _root_name(sub)
            if root in aliases and not aliases[root].startswith("backprop_lessons.exercises"):
                return [f"cell {index}: {function_name} calls {root}.{reference_name} "
                        "(the package's answer)"]
        if isinstance(sub, ast.Name) and sub.id == reference_name and sub.id in aliases \
                and sub.id != function_name:
            return [f"cell {index}: {function_name} calls {reference_name} imported from "
                    f"{aliases[sub.id]} (the package's answer)"]
        if isinstance(sub, ast.Name) and sub.id != function_name and \
                imports.get(sub.id, ("", ""))[1] == reference_name:
            return [f"cell {index}: {function_name} calls {sub.id}, which is {reference_name} "
                    f"imported from {aliases[sub.id]} (the package's answer)"]
    return []


_TAMPER = [
    (r"\.(check|run|judge|compare|prepared_cases|reference)\s*=[^=]",
     "replaces part of the checker"),
    (r"\b(Exercise|CheckResult|CallOutcome)\b", "uses the checker's classes"),
    (r"_getframe|\bf_back\b|\bf_locals\b|inspect\.stack|currentframe", "reads call frames"),
    (r"events\.register|pre_run_cell|post_run_cell|set_custom_exc", "installs an IPython hook"),
    (r"BACKPROP-LESSONS-GRADES", "prints a grader verdict line"),
    (r"gc\.get_objects|gc\.get_referrers", "walks the interpreter's objects"),
    (r"\.pth\b|sitecustomize|usercustomize|site-packages|sys\.path",
     "changes where Python imports from"),
    (r"call_safely|set_recorder|\.expected\b", "uses the checker's internals"),
]


def tamper_flags(cells: list[tuple[int, str]]) -> list[str]:
    """What in the notebook's code looks like tampering with the grading (for a human to
    look at: these change no verdict, since the grader never trusts the notebook)."""
    flags = []
    for pattern, words in _TAMPER:
        where = [i for i, src in cells if re.search(pattern, src)]
        if where:
            flags.append(f"{words} (cell {', '.join(map(str, where[:5]))})")
    return flags
