"""Exercises of the course: specs, checks with feedback, hints, solutions and progress.

In a notebook::

    from backprop_lessons.exercises import lesson_01 as ex
    ex.weight_update.check()      # or .check(my_function); .hint(); .solution()

Importing this package loads numpy only (no matplotlib, no ipywidgets); the lesson modules
are imported when used or when the registry is asked.
"""

from __future__ import annotations

import importlib
from typing import Any

from . import spec as _spec
from .progress import progress, record
from .registry import all_exercises, get, lessons
from .result import CheckResult
from .spec import Case, Exercise, Misconception, labelled
from .version import VersionMismatchWarning, written_for

_spec.set_recorder(record)  # every check's outcome goes to the learner's progress store

__all__ = [
    "Exercise",
    "Case",
    "Misconception",
    "CheckResult",
    "labelled",
    "written_for",
    "VersionMismatchWarning",
    "progress",
    "all_exercises",
    "get",
    "lessons",
]


def __getattr__(name: str) -> Any:
    """Lazy access to ``lesson_NN`` modules as attributes of the package."""
    if name.startswith("lesson_"):
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"{__name__} has no lesson module {name!r}") from exc
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
