"""Grade submitted lesson notebooks headlessly: ``backprop-lessons grade DIR|NB``.

The pipeline (parts in :mod:`backprop_lessons.tools.grading`):

    find     every .ipynb under DIR (recursively; what is skipped is said), each read once
    lesson   the released lesson decides what is graded: every exercise of the lesson the
             notebook is (metadata, setup cell, file name or --lesson), never its tags
    run      a worker process per submission (bubblewrap sandbox when available) runs the
             code cells, then calls each exercise's function, found by name, on the cases
             it builds from the package; it writes plain JSON data only
    judge    this process decodes the outputs and calls the exercise's own ``judge``: no
             learner code ever runs here, and nothing the notebook changes reaches it
    report   rows streamed as each submission finishes (CSV, JSON lines), a progress line,
             a class summary (text, figure), Gradescope's results.json

A submission that cannot be read, crashes, hangs or kills its process is that submission's
row; the batch always finishes; Ctrl-C leaves the rows written so far.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path

from .grading.batch import Options, find_notebooks, grade_all
from .grading.judging import ExerciseGrade, Grade
from .grading.reports import StreamingReport, gradescope, summary_text, write_figure

__all__ = ["ExerciseGrade", "Grade", "Options", "grade_one", "grade_folder", "write_csv",
           "write_json", "cli_main", "DEFAULT_LIMIT", "DEFAULT_CELL_TIMEOUT"]

DEFAULT_CELL_TIMEOUT = 60
DEFAULT_LIMIT = 300


def grade_folder(folder: str | os.PathLike, jobs: int = 2,
                 timeout: float = DEFAULT_CELL_TIMEOUT, memory_mb: int | None = 2048, *,
                 limit: float = DEFAULT_LIMIT, lesson: str | None = None,
                 sandbox: bool | None = None) -> list[Grade]:
    """Grade every notebook under ``folder`` (or the one notebook ``folder``), in name
    order. ``timeout`` is per cell, ``limit`` per submission (wall clock)."""
    root, paths, _notes = find_notebooks(folder)
    options = Options(timeout, limit, memory_mb or 0, lesson, sandbox)
    return grade_all(root, paths, options, jobs)


def grade_one(path: str | os.PathLike, timeout: float = DEFAULT_CELL_TIMEOUT,
              memory_mb: int | None = 2048, **kwargs) -> Grade:
    """Grade one notebook; never raises for a bad notebook (its Grade has the error)."""
    return grade_folder(path, 1, timeout, memory_mb, **kwargs)[0]


def write_csv(grades: list[Grade], path: str | os.PathLike) -> None:
    """One row per submission and exercise (a row with the error if it could not run)."""
    with StreamingReport(csv_path=path) as report:
        for g in grades:
            report.add(g)


def write_json(grades: list[Grade], path: str | os.PathLike) -> None:
    """JSON lines: one object per submission."""
    with StreamingReport(jsonl_path=path) as report:
        for g in grades:
            report.add(g)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _minutes(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.1f} min"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backprop-lessons grade",
        description="Grade submitted lesson notebooks: each runs in its own sandboxed "
                    "process, the verdicts are computed here. Prints a summary; writes CSV, "
                    "JSON lines, a figure and/or Gradescope's results.json.")
    parser.add_argument("folder", help="a folder of .ipynb files (searched recursively) or "
                                       "one notebook")
    parser.add_argument("--csv", help="write one row per submission and exercise here")
    parser.add_argument("--json", help="write one JSON object per submission (JSON lines)")
    parser.add_argument("--gradescope", metavar="RESULTS_JSON",
                        help="write Gradescope's autograder results.json here")
    parser.add_argument("--summary-figure", metavar="PNG",
                        help="draw the class summary (per exercise) into this image")
    parser.add_argument("--jobs", type=int, default=2, help="submissions run at once (2)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_CELL_TIMEOUT,
                        help=f"seconds per cell ({DEFAULT_CELL_TIMEOUT}); a cell past it is "
                             "interrupted and the run goes on")
    parser.add_argument("--limit", type=float, default=DEFAULT_LIMIT,
                        help=f"wall-clock seconds per submission ({DEFAULT_LIMIT}); past it "
                             "the whole process group is killed")
    parser.add_argument("--memory-mb", type=int, default=2048,
                        help="memory limit of each submission's process in MB (2048; 0 = none)")
    parser.add_argument("--lesson", help="grade every notebook as this lesson (e.g. "
                                         "01_slopes), whatever it says it is")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--sandbox", dest="sandbox", action="store_true", default=None,
                       help="require the bubblewrap sandbox (fail if it cannot run)")
    group.add_argument("--no-sandbox", dest="sandbox", action="store_false",
                       help="do not use bubblewrap even where it is available")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    return parser


def cli_main(argv: list[str]) -> int:
    """``backprop-lessons grade DIR|NB [--csv F] [--json F] [--gradescope F] ...``."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.jobs < 1 or args.timeout <= 0 or args.limit <= 0 or args.memory_mb < 0:
        parser.error("--jobs must be >= 1, --timeout and --limit > 0, --memory-mb >= 0")
    if args.lesson:
        from ..catalog import LESSONS

        keys = [lesson.key for lesson in LESSONS]
        if args.lesson not in keys:
            parser.error(f"--lesson must be one of {', '.join(keys)}; got {args.lesson!r}")
    try:
        root, paths, notes = find_notebooks(args.folder)
    except (FileNotFoundError, ValueError) as exc:
        print(f"backprop-lessons grade: {exc}", file=sys.stderr)
        return 2

    def say(text: str) -> None:
        if not args.quiet:
            print(text, file=sys.stderr, flush=True)

    for note in notes:
        say(f"note: {note}")
    total, start, done = len(paths), time.monotonic(), [0]
    report = StreamingReport(args.csv, args.json)

    def on_grade(g: Grade) -> None:
        report.add(g)
        done[0] += 1
        elapsed = time.monotonic() - start
        eta = elapsed / done[0] * (total - done[0])
        tail = f"error: {g.error[:80]}" if g.error else f"{g.passed}/{g.total} passed"
        say(f"[{done[0]}/{total}] {g.submission}: {tail}  ({_minutes(elapsed)} elapsed, "
            f"ETA {_minutes(eta)})")

    options = Options(args.timeout, args.limit, args.memory_mb, args.lesson, args.sandbox)
    previous = signal.getsignal(signal.SIGTERM)
    try:
        signal.signal(signal.SIGTERM, _interrupt)  # a `kill` cleans up like Ctrl-C
    except ValueError:  # not the main thread
        previous = None
    try:
        grades = grade_all(root, paths, options, args.jobs, on_grade, say)
    except KeyboardInterrupt:
        report.close()
        say(f"interrupted: {done[0]} of {total} submissions graded; the reports hold those")
        return 130
    except RuntimeError as exc:
        report.close()
        print(f"backprop-lessons grade: {exc}", file=sys.stderr)
        return 2
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    report.close()
    print(summary_text(grades))
    if args.gradescope:
        Path(args.gradescope).write_text(json.dumps(gradescope(grades), indent=1) + "\n",
                                         encoding="utf-8")
    if args.summary_figure:
        write_figure(grades, args.summary_figure)
    return 0
