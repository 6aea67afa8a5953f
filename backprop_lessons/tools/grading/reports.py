"""What instructors read: rows streamed as each submission finishes (CSV and JSON lines,
flushed, so an interrupted run leaves a valid partial report), a class summary as text and
as a small figure, and Gradescope's ``results.json``."""

from __future__ import annotations

import csv
import json
import os
from collections import Counter
from pathlib import Path
from typing import IO

from .judging import Grade

__all__ = ["CSV_FIELDS", "StreamingReport", "csv_rows", "class_summary", "summary_text",
           "write_figure", "gradescope", "STATUS_ORDER"]

CSV_FIELDS = ["submission", "lesson", "exercise", "status", "misconception", "flags",
              "message"]
STATUS_ORDER = ("passed", "failed", "error", "not attempted")


def csv_rows(g: Grade) -> list[dict[str, str]]:
    """One row per exercise (and one for a submission-wide error)."""
    rows = []
    if g.error:
        rows.append({"submission": g.submission, "lesson": g.lesson, "exercise": "",
                     "status": "error", "misconception": "", "flags": "; ".join(g.flags),
                     "message": g.error})
    for e in g.exercises:
        rows.append({"submission": g.submission, "lesson": g.lesson, "exercise": e.exercise,
                     "status": e.status, "misconception": e.misconception or "",
                     "flags": "; ".join([*e.flags, *g.flags]), "message": e.first_line})
    return rows


class StreamingReport:
    """Open the CSV / JSON-lines files now; :meth:`add` writes and flushes a submission."""

    def __init__(self, csv_path: str | os.PathLike | None = None,
                 jsonl_path: str | os.PathLike | None = None) -> None:
        self._csv_fh: IO[str] | None = None
        self._json_fh: IO[str] | None = None
        self._writer = None
        if csv_path:
            self._csv_fh = open(csv_path, "w", newline="", encoding="utf-8")  # noqa: SIM115
            self._writer = csv.DictWriter(self._csv_fh, CSV_FIELDS)
            self._writer.writeheader()
            self._csv_fh.flush()
        if jsonl_path:
            self._json_fh = open(jsonl_path, "w", encoding="utf-8")  # noqa: SIM115

    def add(self, g: Grade) -> None:
        if self._writer is not None and self._csv_fh is not None:
            self._writer.writerows(csv_rows(g))
            self._csv_fh.flush()
        if self._json_fh is not None:
            self._json_fh.write(json.dumps(g.as_dict(), ensure_ascii=False) + "\n")
            self._json_fh.flush()

    def close(self) -> None:
        for fh in (self._csv_fh, self._json_fh):
            if fh is not None:
                fh.close()

    def __enter__(self) -> StreamingReport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def class_summary(grades: list[Grade]) -> dict[str, dict]:
    """exercise -> {"lesson", counts per status, "misconceptions": [(name, count), ...]}."""
    out: dict[str, dict] = {}
    for g in grades:
        for e in g.exercises:
            row = out.setdefault(e.exercise, {"lesson": g.lesson,
                                              **{s: 0 for s in STATUS_ORDER},
                                              "_mis": Counter()})
            row[e.status] = row.get(e.status, 0) + 1
            if e.misconception:
                row["_mis"][e.misconception] += 1
    for row in out.values():
        row["misconceptions"] = row.pop("_mis").most_common(3)
    return out


def summary_text(grades: list[Grade]) -> str:
    """One line per submission, then the class summary per exercise."""
    if not grades:
        return "no submissions graded"
    width = max(len(g.submission) for g in grades)
    lines = []
    for g in grades:
        tail = f"error: {g.error}" if g.error else f"{g.passed}/{g.total} passed"
        if g.flags or any(e.flags for e in g.exercises):
            tail += "  [flagged]"
        lines.append(f"{g.submission:<{width}}  {tail}")
    summary = class_summary(grades)
    if summary:
        lines += ["", "Class summary (passed / failed / error / not attempted):"]
        ex_width = max(len(k) for k in summary)
        for ex_id, row in summary.items():
            counts = " / ".join(str(row[s]) for s in STATUS_ORDER)
            mis = ", ".join(f"{name} ×{n}" for name, n in row["misconceptions"])
            lines.append(f"  {ex_id:<{ex_width}}  {counts}"
                         + (f"   common mistakes: {mis}" if mis else ""))
    return "\n".join(lines)


def write_figure(grades: list[Grade], path: str | os.PathLike) -> None:
    """A small horizontal stacked bar chart: per exercise, how many passed/failed/..."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    summary = class_summary(grades)
    names = list(summary)[::-1]
    colours = {"passed": "#2e7d32", "failed": "#c62828", "error": "#ef6c00",
               "not attempted": "#9e9e9e"}
    fig, ax = plt.subplots(figsize=(6.4, 0.35 * max(len(names), 2) + 1.2))
    left = [0] * len(names)
    for status in STATUS_ORDER:
        counts = [summary[n][status] for n in names]
        ax.barh(names, counts, left=left, color=colours[status], label=status)
        left = [a + b for a, b in zip(left, counts, strict=True)]
    ax.set_xlabel("submissions")
    ax.set_title(f"{len(grades)} submission(s)")
    ax.legend(loc="lower right", fontsize="small")
    fig.tight_layout()
    fig.savefig(Path(path), dpi=100)
    plt.close(fig)


def gradescope(grades: list[Grade]) -> dict:
    """Gradescope's autograder ``results.json``: one test per exercise (1 point each),
    plus the total ``score``; a submission-wide error is one failed test."""
    tests = []
    many = len(grades) > 1
    for g in grades:
        prefix = f"{g.submission}: " if many else ""
        if g.error:
            tests.append({"name": f"{prefix}notebook", "score": 0.0, "max_score": 0.0,
                          "status": "failed", "output": g.error})
        for e in g.exercises:
            output = e.message
            if e.flags or g.flags:
                output += "\n\nFlagged for the instructor: " + "; ".join([*e.flags, *g.flags])
            tests.append({"name": f"{prefix}{g.lesson} / {e.exercise}",
                          "score": 1.0 if e.status == "passed" else 0.0, "max_score": 1.0,
                          "status": "passed" if e.status == "passed" else "failed",
                          "output": output})
    notes = [f"{g.submission}: {n}" for g in grades for n in g.notes]
    return {"score": sum(t["score"] for t in tests), "tests": tests,
            "output": "\n".join(notes), "visibility": "visible"}
