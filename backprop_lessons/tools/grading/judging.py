"""The verdict, in the grader's own process, from the worker's plain data: decoded
outcomes handed to the grader's own copy of each exercise (``Exercise.judge``)."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from ...exercises import CheckResult, Exercise
from ...exercises.runner import CallOutcome
from . import codec

__all__ = ["ExerciseGrade", "Grade", "STRUCTURED_OUTPUTS", "named_tuples", "outcomes_from",
           "judge_record", "clean_text", "clean_name"]


_FIELDS = ("value", "exception", "timed_out", "mutated", "frames")


# control characters (terminal escapes, carriage returns, ...) and the bidirectional
# overrides, which could make a report or the grader's terminal show other text than it holds
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_IN_NAMES = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 256 else f"\\u{code:04x}"


def clean_text(text: Any, limit: int = 20_000) -> str:
    """A str safe for any report and for the terminal: valid UTF-8 (lone surrogates
    replaced), control characters but newline and tab shown as escapes (``\\x1b``),
    clipped."""
    text = str(text)
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = _CONTROL.sub(_escape, text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def clean_name(name: str) -> str:
    """A submission's name as reports show it: the bytes of a file name that is not UTF-8
    as escapes (``\\xe9``), every control character too (a newline in a name would start
    a line of its own in the summary)."""
    try:
        text = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeError:
        text = name.encode("utf-8", "replace").decode("utf-8")
    return _CONTROL_IN_NAMES.sub(_escape, text)


@dataclass(frozen=True)
class ExerciseGrade:
    """One exercise of one submission: status, named misconception, message, flags."""

    exercise: str
    status: str  # passed / failed / error / not attempted
    message: str = ""
    misconception: str | None = None
    flags: tuple[str, ...] = ()

    @property
    def first_line(self) -> str:
        return self.message.splitlines()[0] if self.message else ""


@dataclass
class Grade:
    """One submission: its lesson, one ExerciseGrade per released exercise, or an error."""

    submission: str
    lesson: str = ""
    exercises: list[ExerciseGrade] = field(default_factory=list)
    error: str = ""  # why the whole submission could not be graded
    notes: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> int:
        return sum(e.status == "passed" for e in self.exercises)

    @property
    def total(self) -> int:
        return len(self.exercises)

    def as_dict(self) -> dict:
        return {"submission": self.submission, "lesson": self.lesson, "passed": self.passed,
                "total": self.total, "error": self.error, "notes": list(self.notes),
                "flags": list(self.flags), "seconds": round(self.seconds, 2),
                "exercises": [dict(asdict(e), flags=list(e.flags)) for e in self.exercises]}


STRUCTURED_OUTPUTS: dict[str, str] = {
    "fit": "a tuple (weights array, loss history): __tuple__ of __ndarray__ and a list",
    "two_layer_forward": "a tuple (output, (cache arrays)): nested __tuple__ of __ndarray__",
    "layer_shapes": "a list of shape tuples: a list of __tuple__ of ints",
    "course_matrices": "a dict name -> layer array: __dict__ pairs of str and array",
    "layer_backward": "a tuple of gradient arrays: __tuple__ of __ndarray__",
    "two_layer_backward": "a tuple of gradient arrays: __tuple__ of __ndarray__",
    "minibatch_indices": "a list of index arrays: a list of __ndarray__ (integer dtype)",
    "gradient_descent_step": "a dict name -> new value: __dict__ pairs of str and array",
    "topological_order": "a list of node names: a list of str (nodes never travel as "
                         "objects; a learner's node object is opaque, so it fails as in "
                         "the notebook)",
    "backward_pass": "a dict node name -> gradient: __dict__ pairs of str and number",
    "value_engine": "a dict 'L', 'dL/dL', 'dL/da', ... -> number: __dict__ pairs of str and "
                    "number (the learner's class never travels: the worker builds each "
                    "case's expression with it and sends the numbers)",
    "train_full_batch": "FullBatchRun, a named tuple: __tuple__ with its name and fields, "
                        "rebuilt here as the package's FullBatchRun",
    "numerical_gradients": "a dict parameter name -> gradient array: __dict__ pairs",
    "train_epoch": "a tuple (dict name -> new array, epoch loss): __tuple__ of __dict__ and a "
                   "number",
}
"""How each exercise whose answer is a structure travels from the worker as plain data
(:mod:`.codec`); a test checks every such exercise is listed and survives the trip."""


def named_tuples(exercise: Exercise) -> dict[str, type]:
    """The named-tuple classes of the exercise's expected answers, by name: a learner's
    named tuple with the same name and fields is rebuilt as the grader's own class."""
    found: dict[str, type] = {}

    def visit(value: Any, depth: int = 0) -> None:
        if depth > 5:
            return
        if isinstance(value, tuple):
            if hasattr(type(value), "_fields"):
                found[type(value).__name__] = type(value)
            for v in value:
                visit(v, depth + 1)
        elif isinstance(value, list):
            for v in value[:50]:
                visit(v, depth + 1)
        elif isinstance(value, dict):
            for v in list(value.values())[:50]:
                visit(v, depth + 1)

    for p in exercise.prepared_cases():
        visit(p.expected)
    return found


def outcomes_from(records: list[Any], exercise: Exercise) -> list[CallOutcome]:
    """CallOutcome objects rebuilt from the worker's data (plain values, builtin
    exceptions); at most one per prepared case."""
    types = named_tuples(exercise)
    known = {f.name for f in dataclasses.fields(CallOutcome)} - set(_FIELDS)
    out = []
    for rec in records[: len(exercise.prepared_cases())]:
        if not isinstance(rec, dict):
            raise ValueError(f"an outcome must be a JSON object, got {type(rec).__name__}")
        mutated = rec.get("mutated") or []
        frames = rec.get("frames") or []
        extra = rec.get("extra") if isinstance(rec.get("extra"), dict) else {}
        out.append(CallOutcome(
            value=codec.decode(rec.get("value"), namedtuples=types),
            exception=codec.decode_exception(rec.get("exception")),
            timed_out=rec.get("timed_out") is True,
            mutated=[clean_text(m, 100) for m in mutated if isinstance(m, str)][:20],
            frames=[clean_text(f, 300) for f in frames if isinstance(f, str)][:40],
            **{k: codec.decode(v) for k, v in extra.items() if k in known}))
    return out


def _grade(result: CheckResult, flags: list[str]) -> ExerciseGrade:
    return ExerciseGrade(result.exercise_id, result.status, clean_text(result.message),
                         result.misconception, tuple(flags))


def judge_record(exercise: Exercise, record: dict | None, flags: list[str],
                 why_missing: str = "") -> ExerciseGrade:
    """The grade of one exercise from the worker's record of it (None: not checked)."""
    name = exercise.function_name
    flags = list(flags)
    if record is None:
        return ExerciseGrade(exercise.id, "error", why_missing or
                             "not checked: the notebook's process stopped before it",
                             None, tuple(flags))
    if not record.get("defined"):
        return ExerciseGrade(exercise.id, "not attempted",
                             f"`{name}` is not defined in the notebook (the grader looks "
                             "for a function of that name after running every cell).",
                             None, tuple(flags))
    if not record.get("callable"):
        return ExerciseGrade(exercise.id, "failed",
                             f"`{name}` should be a function, but it is a "
                             f"{clean_text(record.get('type'), 100)}.", None, tuple(flags))
    origin = record.get("origin") or {}
    if isinstance(origin, dict) and origin.get("package_own") is True:
        flags.append(f"`{name}` is the package's own function "
                     f"({clean_text(origin.get('module') or origin.get('file'), 200)})")
    if record.get("worker_error"):
        return ExerciseGrade(exercise.id, "error", "the check could not run in the "
                             f"notebook's process: {clean_text(record['worker_error'], 500)}",
                             None, tuple(flags))
    try:
        outcomes = outcomes_from(list(record.get("outcomes") or []), exercise)
        result = exercise.judge(outcomes)
    except Exception as exc:  # noqa: BLE001 - unreadable data is this submission's error
        return ExerciseGrade(exercise.id, "error", "the notebook's answers could not be "
                             f"read: {type(exc).__name__}: {clean_text(exc, 300)}", None,
                             tuple(flags))
    return _grade(result, flags)
