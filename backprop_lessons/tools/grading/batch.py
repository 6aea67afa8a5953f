"""Grading submissions: each in its own worker folder, the verdicts in this process,
rows handed out as soon as a submission is done, a batch that always finishes."""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from . import sandbox
from .judging import Grade, clean_name, clean_text, judge_record
from .submission import (
    Submission,
    SubmissionError,
    answer_flags,
    bindings,
    parse,
    read,
    recognise,
    tamper_flags,
)

__all__ = ["Options", "find_notebooks", "grade_submission", "grade_all", "MAX_ATTEMPTS"]

MAX_ATTEMPTS = 3
_RESULTS_CAP = 64 * 1024 * 1024


@dataclass
class Options:
    """``cell_timeout``: seconds per cell; ``limit``: wall-clock seconds per run of a
    submission (a rescue run after a fatal cell gets the same); ``memory_mb`` (0 = none);
    ``lesson``: grade everything as this lesson; ``sandbox``: None = when available."""

    cell_timeout: float = 60
    limit: float = 300
    memory_mb: int = 2048
    lesson: str | None = None
    sandbox: bool | None = None


def find_notebooks(target: str | os.PathLike) -> tuple[Path, list[Path], list[str]]:
    """``(root, notebooks, notes on what was skipped)`` for a folder (searched
    recursively) or one notebook. FileNotFoundError / ValueError say what is wrong."""
    path = Path(target)
    if not path.exists():
        raise FileNotFoundError(f"{target}: no such file or folder")
    if path.is_file():
        if path.suffix != ".ipynb":
            raise ValueError(f"{target} is not a notebook: expected a .ipynb file or a "
                             "folder of them")
        return path.parent, [path], []
    found, checkpoints, hidden, others = [], 0, 0, 0
    for p in sorted(path.rglob("*")):
        rel = p.relative_to(path).parts
        if any(part == ".ipynb_checkpoints" for part in rel):
            checkpoints += p.suffix == ".ipynb"
            continue
        if any(part.startswith(".") for part in rel):
            hidden += p.is_file()
            continue
        if p.is_file():
            if p.suffix == ".ipynb":
                found.append(p)
            else:
                others += 1
    notes = []
    if others:
        notes.append(f"skipped {others} file(s) that are not .ipynb notebooks")
    if checkpoints:
        notes.append(f"skipped {checkpoints} Jupyter checkpoint cop(y/ies) "
                     "(.ipynb_checkpoints)")
    if hidden:
        notes.append(f"skipped {hidden} hidden file(s)")
    if not found:
        raise FileNotFoundError(f"no .ipynb files in {target} (subfolders searched too"
                                f"{'; ' + '; '.join(notes) if notes else ''})")
    return path, found, notes


# ----- one submission -------------------------------------------------------------------
def _read_lines(path: Path) -> list[str]:
    """The lines of a file the worker wrote, read only if it is a regular file: the
    submission could have made it a link (to anything) or a FIFO (which blocks a reader)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return []
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return []
        with os.fdopen(fd, "rb") as fh:
            fd = -1
            data = fh.read(_RESULTS_CAP)
    except OSError:
        return []
    finally:
        if fd >= 0:
            os.close(fd)
    return data.decode("utf-8", "replace").splitlines()


def _read_results(path: Path) -> tuple[dict[str, dict], bool]:
    records: dict[str, dict] = {}
    finished = False
    for line in _read_lines(path):
        try:
            rec = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if isinstance(rec, dict):
            if rec.get("finished") is True:
                finished = True
            elif isinstance(rec.get("exercise"), str):
                records[rec["exercise"]] = rec
    return records, finished


def _running(status: list[str], start: str, end: str) -> str | None:
    """The last ``start X`` without its ``end X``."""
    open_ = None
    for line in status:
        word, _, what = line.partition(" ")
        if word == start:
            open_ = what
        elif word == end and what == open_:
            open_ = None
    return open_


def _fresh_box(work: Path, sub: Submission) -> Path:
    """``work/box``, made anew: the only folder the worker can write (the sandbox binds it
    alone). The grader keeps its own files (the worker's log) in ``work`` beside it and
    never follows a link the worker may have left in the box: the box is removed (links
    in it are removed, not followed) and made again before every run."""
    box = work / "box"
    if box.is_symlink() or box.is_file():
        box.unlink()
    shutil.rmtree(box, ignore_errors=True)
    box.mkdir(parents=True)  # raises if anything is still there: that run is not started
    for d in ("nb", "home", "tmp", "progress"):
        (box / d).mkdir()
    with open(box / "nb" / Path(sub.name).name, "xb") as fh:
        fh.write(sub.data)
    return box


def _why_died(code: int, timed_out: bool, limit: float, log: Path) -> str:
    if timed_out:
        return f"did not finish within {limit:g} s (the grader's limit per submission)"
    if code == 128 + 9 or code == -9:
        return "was killed (SIGKILL: the memory limit, or a kill from the notebook)"
    if code < 0 or code > 128:
        return f"was stopped by signal {abs(code) - 128 if code > 128 else -code}"
    tail = " ".join(_read_lines(log)[-3:])[-300:]
    return f"exited with code {code}" + (f" ({tail})" if tail else "")


def grade_submission(sub: Submission, options: Options, work: Path, sandboxed: bool,
                     hide: list[Path]) -> Grade:
    """Grade one submission read in memory; never raises."""
    from ...exercises import registry

    start = time.monotonic()
    grade = Grade(sub.name, notes=list(sub.notes))
    try:
        parse(sub)
        sub.lesson, sub.how = recognise(sub, options.lesson)
        grade.lesson = sub.lesson
        lessons = registry.lessons()
        if sub.lesson not in lessons:
            raise SubmissionError(f"{sub.name}: lesson {sub.lesson} has no exercises to "
                                  f"grade; lessons with exercises: {', '.join(lessons)}")
        exercises = list(lessons[sub.lesson].exercises)
        grade.notes.append(f"lesson {sub.lesson} (from the {sub.how})")
        grade.flags = tamper_flags(sub.cells)
        _run_and_judge(sub, exercises, options, work, sandboxed, hide, grade)
    except SubmissionError as exc:
        grade.error = clean_text(exc, 500)
    except Exception as exc:  # noqa: BLE001 - one submission must not stop the batch
        grade.error = clean_text(f"the grader failed on this submission: "
                                 f"{type(exc).__name__}: {exc}", 500)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    # every text a submission may have put into its grade (an error's message, a log's
    # tail) is shown as escapes where it holds control characters
    grade.error = clean_text(grade.error, 500)
    grade.notes = [clean_text(n, 1000) for n in grade.notes]
    grade.flags = [clean_text(f, 500) for f in grade.flags]
    grade.exercises = [dataclasses.replace(
        e, message=clean_text(e.message), misconception=None if e.misconception is None
        else clean_text(e.misconception, 500), flags=tuple(clean_text(f, 500) for f in e.flags))
        for e in grade.exercises]
    grade.seconds = time.monotonic() - start
    return grade


def _run_and_judge(sub, exercises, options, work, sandboxed, hide, grade) -> None:
    skip_cells: list[int] = []
    skip_exercises: dict[str, str] = {}
    records: dict[str, dict] = {}
    finished = False
    for attempt in range(MAX_ATTEMPTS):
        box = _fresh_box(work, sub)
        run_dir = box / f"run{attempt}"
        run_dir.mkdir()
        config = {
            "paths": sandbox.import_paths(),
            "package_dir": str(sandbox.PACKAGE_PARENT / "backprop_lessons"),
            "exercises": [ex.id for ex in exercises],
            "cells": sub.cells,
            "skip_cells": skip_cells,
            "skip_exercises": list(skip_exercises),
            "cell_timeout": options.cell_timeout,
            "memory_mb": options.memory_mb,
            "results": str(run_dir / "results.jsonl"),
            "status": str(run_dir / "status.txt"),
            "stdout": str(run_dir / "stdout.txt"),
        }
        cfg_path = run_dir / "config.json"
        cfg_path.write_text(json.dumps(config), encoding="utf-8")
        token = secrets.token_hex(16)
        code, timed_out = sandbox.run_worker(work, box, cfg_path, token, options.limit,
                                             sandboxed, hide)
        got, finished = _read_results(run_dir / "results.jsonl")
        records.update(got)
        if finished:
            break
        status = _read_lines(run_dir / "status.txt")
        why = _why_died(code, timed_out, options.limit, work / "worker.log")
        cell = _running(status, "cell", "done")
        ex_id = _running(status, "ex", "exdone")
        if "ready" not in status:
            grade.error = clean_text(f"the grader could not start this notebook's process "
                                     f"(it {why})", 500)
            return
        if cell is not None and cell.isdigit():
            skip_cells.append(int(cell))
            grade.notes.append(f"cell {cell} ended the notebook's process (it {why}); "
                               "graded again without that cell")
        elif ex_id is not None:
            skip_exercises[ex_id] = (f"checking it ended the notebook's process (it {why})")
            grade.notes.append(f"checking {ex_id} ended the notebook's process (it {why})")
        else:
            grade.error = clean_text(f"the notebook's process {why}", 500)
            return
    if not finished:
        grade.notes.append(f"gave up after {MAX_ATTEMPTS} runs; exercises not checked are "
                           "errors")
    for ex in exercises:
        flags = answer_flags(sub.cells, ex.function_name, ex.reference.__name__)
        where = bindings(sub.cells, ex.function_name)
        if len({i for i, _ in where}) > 1:
            grade.notes.append(f"{ex.function_name} is defined in cells "
                               f"{', '.join(str(i) for i, _ in where)}: the last one counts")
        grade.exercises.append(judge_record(ex, records.get(ex.id), flags,
                                            skip_exercises.get(ex.id, "")))


# ----- a batch --------------------------------------------------------------------------
def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def _restore_changed(subs: list) -> list[str]:
    """Write back the bytes of any submission changed (or removed) on disk since it was
    read: an unsandboxed submission could edit a rival's file. Names of those restored."""
    restored = []
    for sub in subs:
        if not isinstance(sub, Submission):
            continue
        if _stamp(sub.path) != sub.stamp:
            try:
                if sub.path.is_symlink() or sub.path.is_dir():
                    shutil.rmtree(sub.path) if sub.path.is_dir() else sub.path.unlink()
                sub.path.write_bytes(sub.data)
                sub.stamp = _stamp(sub.path)
            except OSError:
                continue
            restored.append(sub.name)
    return restored


def _choose_sandbox(wanted: bool | None) -> bool:
    if wanted is False:
        return False
    ok = sandbox.bwrap_available()
    if wanted and not ok:
        raise RuntimeError("--sandbox was asked for, but bubblewrap (bwrap) cannot run here")
    return ok


def grade_all(root: Path, paths: Iterable[Path], options: Options, jobs: int = 2,
              on_grade: Callable[[Grade], None] | None = None,
              say: Callable[[str], None] | None = None) -> list[Grade]:
    """Grade ``paths`` (under ``root``), ``jobs`` at a time; each Grade is given to
    ``on_grade`` as soon as it is done. Every file is read before any code runs. On
    KeyboardInterrupt every worker is killed and the interrupt is raised again."""
    say = say or (lambda text: None)
    if not hasattr(os, "fork"):
        raise RuntimeError("the grader runs submissions on Linux and macOS only (it needs "
                           "os.fork)")
    sandboxed = _choose_sandbox(options.sandbox)
    if not sandboxed:
        why = ("--no-sandbox was given" if options.sandbox is False
               else "bubblewrap (bwrap) is not available here")
        say(f"unsandboxed: {why}, so submissions run without a read-only filesystem or "
            "network isolation (see the README)")
    subs: list[Submission | Grade] = []
    for p in paths:
        name = clean_name(str(p.relative_to(root)) if p.is_relative_to(root) else p.name)
        try:
            sub = read(p, name)
            sub.stamp = _stamp(p)
            if p.is_symlink():  # two names, one file: the instructor should know
                target = p.resolve()
                shown = target.relative_to(root.resolve()) if target.is_relative_to(
                    root.resolve()) else target
                sub.notes.append(clean_name(f"this file is a link to {shown}"))
            subs.append(sub)
        except SubmissionError as exc:
            subs.append(Grade(name, error=clean_text(exc, 500)))
    batch = Path(tempfile.mkdtemp(prefix="backprop-lessons-grade-"))
    hide = [h for h in sorted({root.resolve(), batch.resolve()}) if sandbox.can_hide(h)
            and not str(h).startswith("/tmp/")]
    if sandboxed and not sandbox.can_hide(root):
        say(f"warning: {root} holds Python or this package, so the sandbox cannot hide it: "
            "each submission can read the others (grade a folder of submissions only)")
    grades: list[Grade] = []
    pool = ThreadPoolExecutor(max_workers=max(1, jobs))
    try:
        pending = set()
        for i, sub in enumerate(subs):
            if isinstance(sub, Grade):
                grades.append(sub)
                if on_grade:
                    on_grade(sub)
                continue
            pending.add(pool.submit(grade_submission, sub, options, batch / f"{i:05d}",
                                    sandboxed, hide))
        while pending:
            done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            for fut in done:
                g = fut.result()
                for name in _restore_changed(subs):
                    g.notes.append(f"{name} was changed on disk while this ran: restored")
                    say(f"warning: {name} was changed on disk during grading (by a "
                        f"submission running with {g.submission}?): restored it")
                grades.append(g)
                if on_grade:
                    on_grade(g)
    except BaseException:
        sandbox.kill_all()
        pool.shutdown(wait=False, cancel_futures=True)
        for _ in range(100):  # let running threads see their killed workers
            if sandbox.live_count() == 0:
                break
            sandbox.kill_all()
            time.sleep(0.05)
        shutil.rmtree(batch, ignore_errors=True)
        raise
    pool.shutdown(wait=True)
    shutil.rmtree(batch, ignore_errors=True)
    for name in _restore_changed(subs):
        say(f"warning: {name} was changed on disk during grading: restored it")
    order = {p: i for i, p in enumerate(s.name for s in subs)}
    return sorted(grades, key=lambda g: order.get(g.submission, len(order)))
