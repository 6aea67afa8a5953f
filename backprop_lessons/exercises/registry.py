"""Every exercise, by lesson. Exercises live in the ``lesson_*.py`` modules of this package;
they are found (and imported) when the registry is asked, so a new lesson module needs no
change here.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from typing import NamedTuple

from ..catalog import LESSONS
from .spec import Exercise

__all__ = ["LESSON_TITLES", "Lesson", "lesson_modules", "all_exercises", "get", "lessons"]

LESSON_TITLES: dict[str, str] = {lesson.key: lesson.title for lesson in LESSONS}
"""Lesson key -> title, in teaching order (from :mod:`backprop_lessons.catalog`)."""

_LESSON_MODULE = re.compile(r"^lesson_\w+$")


class Lesson(NamedTuple):
    """A lesson: its key, its title and its exercises in declaration order."""

    key: str
    title: str
    exercises: tuple[Exercise, ...]


def lesson_modules() -> list[str]:
    """Names of the ``lesson_*`` modules of this package, sorted."""
    from backprop_lessons import exercises as package

    return sorted(
        f"{package.__name__}.{m.name}"
        for m in pkgutil.iter_modules(package.__path__)
        if _LESSON_MODULE.match(m.name)
    )


def _lesson_order(key: str) -> tuple[int, str]:
    keys = list(LESSON_TITLES)
    return (keys.index(key), key) if key in LESSON_TITLES else (len(keys), key)


def all_exercises() -> list[Exercise]:
    """Every registered exercise, in lesson order, then declaration order within a lesson.

    Raises ValueError if two different exercises share an id.
    """
    found: list[Exercise] = []
    seen: dict[str, tuple[Exercise, str]] = {}
    for module_name in lesson_modules():
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if not isinstance(value, Exercise):
                continue
            if value.id in seen:
                other, where = seen[value.id]
                if other is value:
                    continue
                raise ValueError(
                    f"exercise id {value.id!r} is defined twice: in {where} and in {module_name}"
                )
            seen[value.id] = (value, module_name)
            found.append(value)
    order = {id(ex): i for i, ex in enumerate(found)}
    return sorted(found, key=lambda ex: (_lesson_order(ex.lesson), order[id(ex)]))


def get(exercise_id: str) -> Exercise:
    """The exercise with this id; KeyError listing the known ids otherwise."""
    for ex in all_exercises():
        if ex.id == exercise_id:
            return ex
    known = ", ".join(ex.id for ex in all_exercises())
    raise KeyError(f"exercise_id {exercise_id!r} is not a registered exercise; known: {known}")


def lessons() -> dict[str, Lesson]:
    """The lessons that have exercises, in teaching order, keyed by lesson key."""
    grouped: dict[str, list[Exercise]] = {}
    for ex in all_exercises():
        grouped.setdefault(ex.lesson, []).append(ex)
    return {
        key: Lesson(key, LESSON_TITLES.get(key, key), tuple(exs)) for key, exs in grouped.items()
    }
