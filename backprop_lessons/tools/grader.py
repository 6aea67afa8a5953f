"""Grade a folder of submitted lesson notebooks headlessly: ``backprop-lessons grade``.

A pipeline of small steps, each testable alone:

    load     read a submission (.ipynb) and find its exercise cells (tags exercise:<id>)
    execute  run it top to bottom in its own kernel: a fresh progress folder, a time
             limit per cell, a memory limit for the kernel (Linux/macOS)
    collect  a cell appended by the grader checks every exercise of the notebook again
             with the package's own checks and prints the verdicts as JSON
    judge    one Grade per submission: every exercise's status and message
    report   a CSV (one row per submission and exercise) and/or a JSON file

Submissions run in parallel (``--jobs``), each in its own process and kernel. A
submission that cannot be read, times out or crashes its kernel gets an "error" grade
with the reason; it never stops the others.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["ExerciseGrade", "Grade", "load", "collector_cell", "execute", "collect",
           "judge", "grade_one", "grade_folder", "write_csv", "write_json", "cli_main"]

MARKER = "BACKPROP-LESSONS-GRADES:"


@dataclass(frozen=True)
class ExerciseGrade:
    exercise: str
    status: str  # passed / failed / error / not attempted
    message: str = ""


@dataclass
class Grade:
    submission: str
    exercises: list[ExerciseGrade] = field(default_factory=list)
    error: str = ""  # why the whole submission could not be graded

    @property
    def passed(self) -> int:
        return sum(e.status == "passed" for e in self.exercises)

    @property
    def total(self) -> int:
        return len(self.exercises)

    def as_dict(self) -> dict:
        return {"submission": self.submission, "passed": self.passed, "total": self.total,
                "error": self.error, "exercises": [asdict(e) for e in self.exercises]}


def load(path: str | os.PathLike):
    """``(notebook, exercise ids)``; a ValueError says why a file is not a notebook."""
    import nbformat

    from .authoring import exercise_ids

    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as exc:  # nbformat raises many kinds for a broken file
        raise ValueError(f"{Path(path).name} is not a readable notebook: "
                         f"{type(exc).__name__}: {exc}") from exc
    return nb, exercise_ids(nb)


def collector_cell(ids: list[str]) -> str:
    """Source of the cell the grader appends: re-check every exercise, print JSON."""
    return "\n".join([
        "import json as _bpl_json",
        "from backprop_lessons.exercises import get as _bpl_get",
        "_bpl_grades = []",
        f"for _bpl_id in {ids!r}:",
        "    _bpl_r = _bpl_get(_bpl_id).check()",
        "    _bpl_grades.append({'exercise': _bpl_id, 'status': _bpl_r.status,",
        "                        'message': _bpl_r.message})",
        f"print({MARKER!r} + _bpl_json.dumps(_bpl_grades))",
    ])


def _limit_memory(limit_bytes: int):
    def apply() -> None:  # runs in the kernel process before it starts
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))
    return apply


def execute(nb, ids: list[str], cwd: str | os.PathLike, timeout: int = 60,
            memory_mb: int | None = 2048):
    """Append the collector cell and run the notebook in a fresh kernel (in place)."""
    import nbformat

    from .authoring import execute as run

    nb.cells.append(nbformat.v4.new_code_cell(collector_cell(ids)))
    kernel_kwargs = {}
    if memory_mb and sys.platform != "win32":
        kernel_kwargs["preexec_fn"] = _limit_memory(memory_mb * 1024 * 1024)
    with tempfile.TemporaryDirectory(prefix="backprop-lessons-grade-") as home:
        run(nb, cwd=cwd, timeout=timeout, home=home, allow_errors=True,
            kernel_kwargs=kernel_kwargs, interrupt_on_timeout=True)
    return nb


def collect(nb) -> list[dict]:
    """The verdicts printed by the collector cell (the last cell)."""
    for out in nb.cells[-1].get("outputs", []):
        if out.get("output_type") == "stream":
            for line in out.get("text", "").splitlines():
                if line.startswith(MARKER):
                    return json.loads(line[len(MARKER):])
    errors = [o for o in nb.cells[-1].get("outputs", []) if o.get("output_type") == "error"]
    why = f"{errors[0]['ename']}: {errors[0]['evalue']}" if errors else "no verdicts printed"
    raise RuntimeError(f"the grader's check cell did not finish ({why})")


def judge(name: str, ids: list[str], verdicts: list[dict]) -> Grade:
    """A Grade with one entry per exercise id, in notebook order."""
    by_id = {v["exercise"]: v for v in verdicts}
    return Grade(name, [ExerciseGrade(i, by_id.get(i, {}).get("status", "error"),
                                      by_id.get(i, {}).get("message", "no verdict"))
                        for i in ids])


def grade_one(path: str, timeout: int = 60, memory_mb: int | None = 2048) -> Grade:
    """Load, execute, collect and judge one submission; never raises."""
    name = Path(path).name
    try:
        nb, ids = load(path)
        if not ids:
            return Grade(name, error="no exercise cells (tags exercise:<id>) found")
        execute(nb, ids, cwd=Path(path).parent, timeout=timeout, memory_mb=memory_mb)
        return judge(name, ids, collect(nb))
    except Exception as exc:  # one broken submission must not stop the others
        return Grade(name, error=f"{type(exc).__name__}: {exc}".strip())


def grade_folder(folder: str | os.PathLike, jobs: int = 2, timeout: int = 60,
                 memory_mb: int | None = 2048) -> list[Grade]:
    """Grade every .ipynb in ``folder`` (sorted by name), ``jobs`` at a time; ``folder``
    may also be one notebook (a learner checking their own work from a terminal)."""
    if Path(folder).is_file() and str(folder).endswith(".ipynb"):
        paths = [str(folder)]
    else:
        paths = sorted(str(p) for p in Path(folder).glob("*.ipynb"))
    if not paths:
        raise FileNotFoundError(f"no .ipynb files in {folder}")
    if jobs <= 1:
        return [grade_one(p, timeout, memory_mb) for p in paths]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(grade_one, paths, [timeout] * len(paths),
                             [memory_mb] * len(paths)))


def write_csv(grades: list[Grade], path: str | os.PathLike) -> None:
    """One row per submission and exercise (a row with the error if it could not run)."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["submission", "exercise", "status", "message"])
        for g in grades:
            if g.error:
                writer.writerow([g.submission, "", "error", g.error])
            for e in g.exercises:
                first_line = e.message.splitlines()[0] if e.message else ""
                writer.writerow([g.submission, e.exercise, e.status, first_line])


def write_json(grades: list[Grade], path: str | os.PathLike) -> None:
    Path(path).write_text(json.dumps([g.as_dict() for g in grades], indent=1) + "\n",
                          encoding="utf-8")


def summary(grades: list[Grade]) -> str:
    width = max(len(g.submission) for g in grades)
    lines = []
    for g in grades:
        tail = f"error: {g.error}" if g.error else f"{g.passed}/{g.total} passed"
        lines.append(f"{g.submission:<{width}}  {tail}")
    return "\n".join(lines)


def cli_main(argv: list[str]) -> int:
    """``backprop-lessons grade FOLDER [--csv F] [--json F] [--jobs N] [--timeout S]``."""
    parser = argparse.ArgumentParser(
        prog="backprop-lessons grade",
        description="Run every submitted notebook in FOLDER in its own kernel and check "
                    "its exercises; print a summary and write a CSV and/or JSON report.")
    parser.add_argument("folder", help="folder of submitted .ipynb files (or one notebook)")
    parser.add_argument("--csv", help="write one row per submission and exercise here")
    parser.add_argument("--json", help="write the full report as JSON here")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks run at once (2)")
    parser.add_argument("--timeout", type=int, default=60, help="seconds per cell (60)")
    parser.add_argument("--memory-mb", type=int, default=2048,
                        help="memory limit of each kernel in MB (2048; 0 = none)")
    args = parser.parse_args(argv)
    if args.jobs < 1 or args.timeout < 1 or args.memory_mb < 0:
        parser.error("--jobs and --timeout must be >= 1 and --memory-mb >= 0")
    try:
        grades = grade_folder(args.folder, args.jobs, args.timeout, args.memory_mb or None)
    except FileNotFoundError as exc:
        print(f"backprop-lessons grade: {exc}", file=sys.stderr)
        return 2
    print(summary(grades))
    if args.csv:
        write_csv(grades, args.csv)
    if args.json:
        write_json(grades, args.json)
    return 0
