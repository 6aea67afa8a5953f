"""Exercises as small declarative specs: a reference (a public core function), cases, hints,
misconceptions. ``Exercise.check`` runs the learner's function on every case and explains
the outcome; it never raises into the notebook and records the outcome in the progress store.

    weight_update = Exercise(        # in lesson_01.py: id and lesson are found
        reference=updates.weight_update,
        solution="def weight_update(W_old, dL_dW, eta):\n    return W_old - eta * dL_dW\n",
        cases=[Case(W_old=0.5, dL_dW=-2.0, eta=0.1), ...],
        hints=["...", "..."],
        misconceptions=[Misconception("sign flipped", lambda W_old, dL_dW, eta: ..., "...")],
    )

A check: :meth:`Exercise.run` calls the learner's function on every case (in a forked
child where possible, see :mod:`.runner`), :meth:`Exercise.judge` reads the outcomes as
plain data and gives the verdict (stub, delegation to the reference, errors, time-outs,
in-place changes, NaN/inf, masked arrays, unknown objects, then the comparator).
"""

from __future__ import annotations

import inspect
import keyword
import re
import sys
import textwrap
import types
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..catalog import LESSONS
from . import misconceptions as _mis
from .compare import compare as default_compare
from .compare import describe_type, fmt_value
from .result import ERROR, FAILED, NOT_ATTEMPTED, PASSED, CheckResult, Display
from .runner import CallOutcome, call_safely, run_calls
from .values import Foreign, bounded, plain, size_limit

__all__ = ["Case", "Misconception", "Exercise", "labelled", "seed_for", "set_recorder"]

Comparator = Callable[[Any, Any], "tuple[bool, str]"]
Recorder = Callable[[str, str, str], "str | None"]
"""``recorder(exercise_id, lesson, status)``: told the outcome of every check; it may
return a note for the learner (e.g. that an earlier outcome could not be saved)."""

MAX_MESSAGE = 6000
_LESSON_MODULE = re.compile(r"(?:^|\.)lesson_(\d+)$")

_recorder: Recorder | None = None
_record_failure_shown = False


def set_recorder(recorder: Recorder | None) -> Recorder | None:
    """Tell ``recorder`` the outcome of every later check (the progress store registers
    itself here when :mod:`backprop_lessons.exercises` is imported); returns the previous
    one. ``None`` records nothing."""
    global _recorder
    if recorder is not None and not callable(recorder):
        raise TypeError(f"recorder must be a function or None, got {describe_type(recorder)}")
    previous, _recorder = _recorder, recorder
    return previous


def _record(result: CheckResult, lesson: str) -> CheckResult:
    """Give ``result`` to the recorder; if that fails, say so in the result, once a session."""
    global _record_failure_shown
    if _recorder is None:
        return result
    try:
        note = _recorder(result.exercise_id, lesson, result.status)
    except BaseException as exc:  # noqa: BLE001 - a broken store must not break a check
        if _record_failure_shown:
            return result
        _record_failure_shown = True
        note = (f"(This outcome could not be saved to your progress file: "
                f"{type(exc).__name__}: {exc}. The check itself is right; later checks try "
                "again, and this note shows only once.)")
    if not isinstance(note, str) or not note:
        return result
    message = f"{result.message}\n{note}" if result.message else note
    return CheckResult(result.exercise_id, result.status, message, result.misconception)


def _no_recording() -> None:
    """In a forked child that runs the learner's code: record nothing there."""
    global _recorder
    _recorder = None


def _lesson_of_caller(depth: int) -> str | None:
    """The lesson key of the ``lesson_NN`` module that is defining an exercise."""
    try:
        name = sys._getframe(depth).f_globals.get("__name__", "")
    except ValueError:
        return None
    match = _LESSON_MODULE.search(str(name))
    if not match:
        return None
    number = int(match.group(1))
    return next((x.key for x in LESSONS if x.number == number), None)


def _empty_body() -> None:
    pass


def _empty_body_with_doc() -> None:
    """Doc."""


_STUB_CODES = {  # bytecode of an empty body -> where its None is among the constants
    f.__code__.co_code: f.__code__.co_consts.index(None)
    for f in (_empty_body, _empty_body_with_doc)
}


def _code(fn: Any) -> types.CodeType | None:
    """``fn.__code__`` if it is a code object, else None: an answer's own ``__getattr__``
    may raise anything, or return anything."""
    try:
        code = getattr(fn, "__code__", None)
    except Exception:  # noqa: BLE001
        return None
    return code if isinstance(code, types.CodeType) else None


def _error_text(exc: BaseException) -> str:
    """``Type: message`` of an exception, at most 200 characters, whatever its str() does."""
    try:
        text = f"{type(exc).__name__}: {exc}"
    except Exception:  # noqa: BLE001
        text = type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"


def is_stub(fn: Any) -> bool:
    """True for a function whose body does nothing: ``...``, ``pass``, a docstring and
    comments only (the shipped stub). ``return 2.0`` or ``print(x)`` is not a stub."""
    code = _code(fn)
    if code is None:
        return False
    where = _STUB_CODES.get(code.co_code)
    if where is None or code.co_names or len(code.co_consts) <= where:
        return False
    return code.co_consts[where] is None


def _cap(message: str) -> str:
    if len(message) <= MAX_MESSAGE:
        return message
    return message[: MAX_MESSAGE - 60] + f"\n… (message shortened: {len(message)} characters)"


def _scan(value: Any, depth: int = 0) -> tuple[str, str] | None:
    """The first thing in a plain answer that can never be right: ``("masked", where)``,
    ``("foreign", what)`` or ``("nonfinite", where)``; None when there is none."""
    if depth > 40:
        return None
    if isinstance(value, Foreign):
        return "foreign", describe_type(value)
    if isinstance(value, np.ma.MaskedArray):
        return "masked", f"a masked array of shape {value.shape}"
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "fc":
            with np.errstate(all="ignore"):
                bad = ~np.isfinite(value)
            if bool(np.any(bad)):
                where = tuple(int(i) for i in np.argwhere(bad)[0])
                return "nonfinite", f"{value[where]!r} at index {where}"
        elif value.dtype.kind == "O":
            for v in value.ravel():
                found = _scan(v, depth + 1)
                if found:
                    return found
        return None
    if type(value) is float or isinstance(value, np.floating):
        if not np.isfinite(value):
            return "nonfinite", repr(float(value))
        return None
    if isinstance(value, (list, tuple)):
        if value and set(map(type, value)) <= {int, float}:
            try:
                arr = np.asarray(value, dtype=np.float64)
            except OverflowError:  # an int too large for a float: finite anyway
                return None
            if not bool(np.all(np.isfinite(arr))):
                i = int(np.argmin(np.isfinite(arr)))
                return "nonfinite", f"{value[i]!r} at item {i}"
            return None
        for i, v in enumerate(value):
            found = _scan(v, depth + 1)
            if found:
                return found[0], f"{found[1]} (item {i})"
        return None
    if isinstance(value, dict):
        for k, v in value.items():
            found = _scan(v, depth + 1)
            if found:
                return found[0], f"{found[1]} (key {k!r})"
    return None


class Case:
    """The inputs of one call: ``Case(*args, label=None, **kwargs)``.

    ``label`` (optional) is shown with the case when it fails, e.g. ``"a steep slope"``.
    """

    __slots__ = ("args", "kwargs", "label")

    def __init__(self, *args: Any, label: str | None = None, **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs
        self.label = label

    def __repr__(self) -> str:
        parts = [fmt_value(a) for a in self.args]
        parts += [f"{k}={fmt_value(v)}" for k, v in self.kwargs.items()]
        if self.label is not None:
            parts.append(f"label={self.label!r}")
        return f"Case({', '.join(parts)})"


@dataclass(frozen=True)
class Misconception:
    """A known wrong answer: ``fn`` computes it (same parameters as the reference);
    an answer that matches ``fn`` on every case is told ``message``."""

    name: str
    fn: Callable[..., Any]
    message: str

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise TypeError(f"Misconception name must be a non-empty str, got {self.name!r}")
        if not callable(self.fn):
            raise TypeError(
                f"Misconception {self.name!r}: fn must be a function, got {describe_type(self.fn)}"
            )
        if not isinstance(self.message, str) or not self.message.strip():
            raise TypeError(
                f"Misconception {self.name!r}: message must be a non-empty str, "
                f"got {self.message!r}"
            )


class _Labelled:
    """A function with a readable name, for case inputs that are functions."""

    def __init__(self, label: str, fn: Callable[..., Any]) -> None:
        self.label = label
        self.__name__ = label
        self._fn = fn

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._fn(*args, **kwargs)

    def __repr__(self) -> str:
        return self.label


def labelled(label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` shown as ``label`` in feedback, e.g. ``labelled("f(x) = x**2", lambda x: x**2)``."""
    if not callable(fn):
        raise TypeError(f"fn must be a function, got {describe_type(fn)}")
    return _Labelled(str(label), fn)


def seed_for(exercise_id: str) -> int:
    """A stable seed for an exercise's random cases: ``zlib.crc32`` of its id (not ``hash``)."""
    return zlib.crc32(exercise_id.encode("utf-8"))


@dataclass
class _Prepared:
    """One case bound to the reference signature, with its expected answer."""

    case: Case
    names: list[str]
    args: tuple
    kwargs: dict[str, Any]
    expected: Any
    originals: dict[str, Any] = field(default_factory=dict)

    @property
    def size(self) -> int:
        total = 0
        for v in self.originals.values():
            if callable(v) and not isinstance(v, np.ndarray):
                continue
            try:
                total += int(np.size(v))
            except Exception:  # noqa: BLE001 - an odd input counts as one
                total += 1
        return total


def _indent(text: str, prefix: str) -> str:
    return text.replace("\n", "\n" + prefix)


class Exercise:
    """One exercise of a lesson. See the module docstring for an example.

    Parameters: ``id`` (unique; the notebook cell tag is ``exercise:<id>``; default: the
    function name), ``lesson`` (lesson key, e.g. ``"01_slopes"``; default: the lesson of
    the ``lesson_NN`` module that defines the exercise, from
    :data:`backprop_lessons.catalog.LESSONS`), ``reference`` (a public core function: the
    right answer), ``cases`` (a list of :class:`Case`, simple to complex, or ``cases(rng) -> list``
    with ``rng`` seeded by the id), ``hints`` (>= 2, from gentle to explicit),
    ``function_name`` (what the learner defines; default ``reference.__name__``),
    ``misconceptions``, ``compare`` (``comparator(expected, got) -> (ok, detail)``; one
    with a ``case`` parameter also receives the :class:`Case` when it judges an answer
    against the reference, e.g. to accept any valid order of a graph's nodes),
    ``stub`` (stub source; default generated), ``time_limit`` (seconds per call),
    ``in_place`` (the name of a declared misconception to report when the answer leaves an
    input changed, for exercises whose method nudges an input and must restore it; or a
    mapping {input name: misconception name}, so that the misconception is told only
    when the inputs left changed are among those that the method nudges; default: any
    in-place change gets the generic message), ``solution`` (the short
    teaching-form answer: the function as a learner would write it, with the exercise's
    own name and signature; :meth:`solution` shows it and the answer key uses it),
    ``adapt`` (for an answer that is not itself the function the cases call, e.g. a class
    the learner wrote: ``adapt(answer)`` returns that function; it is called before
    anything else looks at the answer, in the notebook's process, so it must only inspect
    the answer, never run it; it may return a stub to say "not attempted" or the reference
    to say "the package's own answer").
    """

    def __init__(
        self,
        *,
        id: str | None = None,
        lesson: str | None = None,
        reference: Callable[..., Any],
        cases: Sequence[Case] | Callable[[np.random.Generator], Sequence[Case]],
        hints: Sequence[str],
        function_name: str | None = None,
        misconceptions: Sequence[Misconception] = (),
        compare: Comparator | None = None,
        stub: str | None = None,
        time_limit: float = 3.0,
        in_place: str | Mapping[str, str] | None = None,
        solution: str | None = None,
        adapt: Callable[[Any], Callable[..., Any]] | None = None,
    ) -> None:
        if id is None:
            id = function_name if function_name is not None else getattr(
                reference, "__name__", None)
        if lesson is None:
            lesson = _lesson_of_caller(2)
        if not isinstance(id, str) or not id or any(c.isspace() for c in id):
            raise ValueError(f"id must be a non-empty str without spaces, got {id!r}")
        if not isinstance(lesson, str) or not lesson:
            raise ValueError(
                f"Exercise {id!r}: lesson must be a non-empty str (or left out in a "
                f"lesson_NN module of the course), got {lesson!r}")
        if solution is not None and (not isinstance(solution, str) or not solution.strip()):
            raise TypeError(f"Exercise {id!r}: solution must be a non-empty str of source, "
                            f"got {solution!r}")
        if not callable(reference):
            raise TypeError(
                f"Exercise {id!r}: reference must be a function, got {describe_type(reference)}"
            )
        name = function_name if function_name is not None else reference.__name__
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            raise ValueError(
                f"Exercise {id!r}: function_name must be a Python identifier, got {name!r}"
            )
        hints = list(hints)
        if len(hints) < 2 or not all(isinstance(h, str) and h.strip() for h in hints):
            raise ValueError(
                f"Exercise {id!r}: hints must hold at least 2 non-empty strings "
                f"(a ladder from gentle to explicit), got {hints!r}"
            )
        if not callable(cases):
            cases = list(cases)
            if not cases:
                raise ValueError(f"Exercise {id!r}: cases must not be empty")
        misconceptions = list(misconceptions)
        for m in misconceptions:
            if not isinstance(m, Misconception):
                raise TypeError(
                    f"Exercise {id!r}: misconceptions must be Misconception objects, "
                    f"got {describe_type(m)}"
                )
        declared = {m.name for m in misconceptions}
        if isinstance(in_place, Mapping):
            in_place = dict(in_place)
            for arg, mistake in in_place.items():
                if not isinstance(arg, str) or mistake not in declared:
                    raise ValueError(
                        f"Exercise {id!r}: in_place must map input names to names of its "
                        f"misconceptions, got {arg!r}: {mistake!r}"
                    )
        elif in_place is not None and in_place not in declared:
            raise ValueError(
                f"Exercise {id!r}: in_place must name one of its misconceptions, "
                f"got {in_place!r}"
            )
        if compare is not None and not callable(compare):
            raise TypeError(f"Exercise {id!r}: compare must be a function or None")
        if adapt is not None and not callable(adapt):
            raise TypeError(f"Exercise {id!r}: adapt must be a function or None, "
                            f"got {describe_type(adapt)}")
        if (
            isinstance(time_limit, bool)
            or not isinstance(time_limit, (int, float))
            or not (time_limit > 0)
        ):
            raise ValueError(
                f"Exercise {id!r}: time_limit must be a positive number of seconds, "
                f"got {time_limit!r}"
            )
        self.id = id
        self.lesson = lesson
        self.reference = reference
        self.function_name = name
        self.cases = cases
        self.hints = hints
        self.misconceptions = misconceptions
        self.compare: Comparator = compare or default_compare
        try:
            self._compare_sees_case = "case" in inspect.signature(self.compare).parameters
        except (TypeError, ValueError):  # a builtin without a signature
            self._compare_sees_case = False
        self.stub = stub
        self.time_limit = float(time_limit)
        self.in_place = in_place
        self.adapt = adapt
        self.solution_source = textwrap.dedent(solution).strip("\n") + "\n" if solution else None
        self._prepared: list[_Prepared] | None = None
        self._mis_outputs: dict[int, list[Any] | None] = {}
        self._hints_shown = 0

    def __repr__(self) -> str:
        return f"Exercise({self.id!r}, lesson={self.lesson!r})"

    # ----- cases -------------------------------------------------------------------------
    def prepared_cases(self) -> list[_Prepared]:
        """The cases bound to the reference signature with their expected answers, smallest
        first (stable: cases of equal size keep their declared order). Computed once."""
        if self._prepared is not None:
            return self._prepared
        if callable(self.cases):
            raw = list(self.cases(np.random.default_rng(seed_for(self.id))))
        else:
            raw = list(self.cases)
        sig = inspect.signature(self.reference)
        prepared = []
        for i, case in enumerate(raw):
            if not isinstance(case, Case):
                raise TypeError(
                    f"Exercise {self.id!r}: case {i} must be a Case, got {describe_type(case)}"
                )
            try:
                bound = sig.bind(*case.args, **case.kwargs)
            except TypeError as exc:
                raise TypeError(
                    f"Exercise {self.id!r}: case {i} {case!r} does not fit the reference "
                    f"signature {self.reference.__name__}{sig}: {exc}"
                ) from exc
            originals = dict(bound.arguments)
            out = call_safely(self.reference, bound.args, bound.kwargs, None)
            if out.exception is not None:
                raise ValueError(
                    f"Exercise {self.id!r}: the reference raised on case {i} {case!r}: "
                    f"{out.exception_text}"
                ) from out.exception
            prepared.append(
                _Prepared(case, list(originals), bound.args, bound.kwargs, out.value, originals)
            )
        prepared.sort(key=lambda p: p.size)
        self._prepared = prepared
        return prepared

    def _format_case(self, index: int, total: int) -> str:
        p = self.prepared_cases()[index]
        head = f"case {index + 1} of {total}"
        if p.case.label:
            head += f", {p.case.label}"
        width = max((len(n) for n in p.names), default=0)
        lines = [f"({head}):"]
        for name, value in p.originals.items():
            prefix = f"  {name.ljust(width)} = "
            lines.append(prefix + _indent(fmt_value(value), " " * len(prefix)))
        return "\n".join(lines)

    # ----- the check ---------------------------------------------------------------------
    def check(self, fn: Callable[..., Any] | None = None) -> CheckResult:
        """Check the learner's function (``fn``, or the caller's global ``function_name``).

        Returns a :class:`CheckResult`; never raises, whatever the function does. The
        outcome is recorded in the learner's progress store.
        """
        try:
            if fn is None:
                fn = sys._getframe(1).f_globals.get(self.function_name, _MISSING)
            result = self._judge(fn)
        except KeyboardInterrupt:
            result = CheckResult(self.id, ERROR, "The check was interrupted before it "
                                 "finished: no verdict (run it again).")
        except BaseException as exc:  # noqa: BLE001 - a bug of the course must not break the notebook
            try:
                text = f"{type(exc).__name__}: {exc}"[:300]
            except BaseException:  # noqa: BLE001
                text = type(exc).__name__
            result = CheckResult(
                self.id,
                ERROR,
                f"The checker itself failed ({text}). This is a bug of "
                "the course, not of your code: please report it.",
            )
        try:
            return _record(result, self.lesson)
        except BaseException:  # noqa: BLE001 - never raise into the notebook
            return result

    def _result(self, status: str, message: str, misconception: str | None = None) -> CheckResult:
        return CheckResult(self.id, status, _cap(message), misconception)

    def run(self, fn: Any) -> list[CallOutcome]:
        """Call ``fn`` on every prepared case, in order, and return what happened (values,
        exceptions, time-outs, mutated inputs, a call of the reference); stops after a call
        that raised, timed out or called the reference. This is the only step that runs
        the learner's code, in a forked child where the system allows it (see
        :mod:`.runner`): :meth:`judge` reads its result (the grader runs this step in a
        worker and judges in its own process). An unmodified stub is not run: the one
        outcome returned says ``stub=True``."""
        prepared = self.prepared_cases()
        if self.adapt is not None:
            fn = self.adapt(fn)
        if is_stub(fn):
            return [CallOutcome(stub=True, plain=True)]
        ref = self._reference()
        if fn is self.reference or fn is ref or _code(fn) is getattr(ref, "__code__", False):
            return [CallOutcome(delegated=True, plain=True)]
        calls = [(p.args, p.kwargs, p.originals, size_limit(p.expected)) for p in prepared]
        return run_calls(fn, calls, self.time_limit, forbidden=ref, in_child=_no_recording)

    def judge(self, outcomes: Sequence[CallOutcome]) -> CheckResult:
        """The verdict on the outcomes of :meth:`run` (one per prepared case, in order; a
        shorter list ends at a case that raised or timed out). Runs no learner code: every
        value is read as plain data first (masked arrays, NaN/inf, objects of unknown
        classes are told apart before any comparison)."""
        name = self.function_name
        prepared = self.prepared_cases()
        total = len(prepared)
        if outcomes and outcomes[0].stub:
            return self._result(
                NOT_ATTEMPTED,
                f"`{name}` is still the stub (its body is `...` or `pass`). Write your code "
                "in the exercise cell, run that cell, then run this check again.",
            )
        if any(o.delegated for o in outcomes):
            where = f"{getattr(self.reference, '__module__', '?')}." \
                    f"{getattr(self.reference, '__name__', '?')}"
            where = where.replace("backprop_lessons.maths.", "")
            return self._result(
                FAILED,
                f"Your {name} calls the course's own answer, {where}: that shows it works, "
                "but the exercise is to write the formula yourself. Replace the call by the "
                "computation (the lesson above shows the formula; .hint() helps). This "
                "check is not counted as passed.",
            )
        outputs: list[Any] = []
        notes: set[str] = set()
        first_failure: tuple[int, str, Any] | None = None
        complete = True
        for i, p in enumerate(prepared):
            if i >= len(outcomes):
                complete = False
                break
            out = outcomes[i]
            problem = self._problem(i, total, out)
            if problem is not None:
                if first_failure is None:
                    return problem
                complete = False
                break
            value = bounded(out.value, size_limit(p.expected))
            value = value if out.plain else plain(value)
            ok, detail = self._verdict(p, value)
            if not ok and first_failure is None:
                first_failure = (i, detail, value)
            elif ok and detail:
                notes.add(detail)
            outputs.append(value)
        if first_failure is None:
            if not complete:
                return self._result(
                    ERROR, f"Only {len(outcomes)} of {total} cases were run: no verdict.")
            message = f"All {total} cases give the expected answer. Well done."
            if notes:
                message += "\n" + " ".join(sorted(notes))
            return self._result(PASSED, message)
        index, detail, got = first_failure
        lines = [
            f"Your {name} gives a wrong answer. Smallest failing case "
            + self._format_case(index, total),
            "expected: " + _indent(fmt_value(prepared[index].expected), " " * 10),
            "got:      " + _indent(fmt_value(got), " " * 10),
        ]
        if detail:
            lines.append(detail)
        known = None
        if complete:
            try:
                known = self._misconception(prepared, outputs)
            except Exception:  # noqa: BLE001 - naming a mistake is a bonus, never a crash
                known = None
        if known is not None:
            lines.append(f"Known mistake ({known[0]}): {known[1]}")
        lines.append(f"Stuck? {self.function_name} has hints: call .hint() on the exercise.")
        return self._result(FAILED, "\n".join(lines), known[0] if known else None)

    def _verdict(self, p: _Prepared, value: Any) -> tuple[bool, str]:
        """(ok, detail) of one plain answer value against the prepared case."""
        if value is None:
            return False, ("Your function returned None — is a `return` missing? (A "
                           "function that prints its result, or a branch without a "
                           "`return`, gives None.)")
        found = _scan(value)
        if found is not None:
            kind, where = found
            if kind == "foreign" and "not read further" in where:
                return False, (f"Your answer is {where}: expected "
                               f"{describe_type(p.expected)}.")
            if kind == "foreign":
                return False, (f"Wrong type: your answer holds {where}; the checker reads "
                               f"numbers, arrays, lists, tuples and dicts, and expected "
                               f"{describe_type(p.expected)}.")
            if kind == "masked":
                return False, (f"Your answer is (or holds) {where}: return a plain numpy "
                               "array (np.asarray(...) or .filled(...)), whose every entry "
                               "counts.")
            if _scan(p.expected) is None:
                return False, (f"Not a finite number: your answer holds {where} (NaN or inf "
                               "where a finite number is expected: a division by zero, an "
                               "overflow, a log of a negative number, or h = 0?).")
        try:
            ok, detail = self._compared(p, value)
        except Exception as exc:  # noqa: BLE001 - told apart just below
            try:
                self._compared(p, p.expected)
            except Exception:  # noqa: BLE001
                raise exc from None  # the comparison fails on the course's own answer
            # it works on the expected answer, so it is this value that cannot be compared
            return False, (f"Your answer could not be compared with the expected one "
                           f"({_error_text(exc)}): expected {describe_type(p.expected)}, "
                           f"got {describe_type(value)}.")
        return bool(ok), str(detail or "")

    def _compared(self, p: _Prepared, value: Any) -> tuple[Any, Any]:
        return (self.compare(p.expected, value, case=p.case)
                if self._compare_sees_case else self.compare(p.expected, value))

    def _judge(self, fn: Any) -> CheckResult:
        name = self.function_name
        if fn is _MISSING:
            return self._result(
                NOT_ATTEMPTED,
                f"`{name}` is not defined yet. Write it in the exercise cell above, run that "
                "cell, then run this check again.",
            )
        if not callable(fn):
            return self._result(
                FAILED, f"`{name}` should be a function, but it is {describe_type(fn)}."
            )
        return self.judge(self.run(fn))

    def _problem(self, i: int, total: int, out: CallOutcome) -> CheckResult | None:
        """A result that ends the check at case ``i`` (an error, a time-out, ...), or None."""
        name = self.function_name
        if isinstance(out.exception, NotImplementedError) or (
                out.exception is not None
                and out.exception_text.startswith("NotImplementedError")):
            return self._result(
                NOT_ATTEMPTED,
                f"`{name}` still raises NotImplementedError: replace that line with your code.",
            )
        case = self._format_case(i, total)
        if out.timed_out:
            return self._result(
                ERROR,
                f"Your {name} did not finish within {self.time_limit:g} s on this input "
                f"{case}\nAn infinite loop? Check that every loop ends (a while condition "
                "that becomes false, a counter that moves).",
            )
        if out.exception is not None:
            text = out.exception_text
            lines = [f"Your {name} raised an error on this input {case}", text]
            if isinstance(out.exception, SystemExit) and "ProcessEnded" not in text:
                lines.append("(exit() stops the whole program: a function should return.)")
            if isinstance(out.exception, RecursionError) or text.startswith("RecursionError"):
                lines.append("(A function that calls itself needs a case where it stops.)")
            if out.frames:
                lines.append("Where, in your code:")
                lines += ["  " + f for f in out.frames]
            return self._result(ERROR, "\n".join(lines))
        in_place = self.in_place
        if isinstance(in_place, dict):  # told only when the nudged inputs are the ones left
            named = {in_place.get(m) for m in out.mutated}
            in_place = named.pop() if len(named) == 1 and None not in named else None
        if out.mutated and in_place is not None and out.value is not None:
            # an answer allowed to work in place, provided it undoes its changes
            known = next(m for m in self.misconceptions if m.name == in_place)
            names = ", ".join(f"`{m}`" for m in out.mutated)
            return self._result(
                FAILED,
                f"Your {name} left its input {names} changed on this input {case}\n"
                f"Known mistake ({known.name}): {known.message}",
                known.name,
            )
        if out.mutated:
            names = ", ".join(f"`{m}`" for m in out.mutated)
            return self._result(
                FAILED,
                f"Your {name} changed its input {names} in place on this input {case}\n"
                "The caller's value changed too. Leave the inputs as they are and build new "
                "values: `a = a - ...` rather than `a -= ...` on an array, `b = a.copy()` "
                "before changing entries, `c = lst + [x]` rather than `lst.append(x)` or "
                "`lst.pop()`.",
            )
        return None

    def _misconception(
        self, prepared: list[_Prepared], outputs: list[Any]
    ) -> tuple[str, str] | None:
        """(name, message) of a declared or generic mistake matching ``outputs`` on every case."""
        for k, m in enumerate(self.misconceptions):
            wrong = self._misconception_outputs(k, m, prepared)
            if wrong is not None and all(
                self.compare(w, g)[0] for w, g in zip(wrong, outputs, strict=True)
            ):
                return m.name, m.message
        for g in _mis.GENERIC:
            try:
                targets = [g.transform(p.expected) for p in prepared]
            except TypeError:
                continue
            pairs = zip(prepared, targets, strict=True)
            trivial = all(self.compare(p.expected, t)[0] for p, t in pairs)
            if not trivial and all(
                self.compare(t, o)[0] for t, o in zip(targets, outputs, strict=True)
            ):
                return g.name, g.message
        return None

    def _misconception_outputs(
        self, k: int, m: Misconception, prepared: list[_Prepared]
    ) -> list[Any] | None:
        if k not in self._mis_outputs:
            values: list[Any] | None = []
            for p in prepared:
                out = call_safely(m.fn, p.args, p.kwargs, self.time_limit)
                if out.exception is not None or out.timed_out:
                    values = None
                    break
                values.append(out.value)
            self._mis_outputs[k] = values
        return self._mis_outputs[k]

    # ----- help --------------------------------------------------------------------------
    def hint(self, n: int | None = None) -> Display:
        """The next hint of the ladder, or hint ``n`` (1-based) when given. A number out of
        range is answered in words (the nearest hint is shown), never with an error."""
        total = len(self.hints)
        note = ""
        if n is None:
            n = min(self._hints_shown + 1, total)
            if self._hints_shown >= total:
                note = "\n(That was the last hint; .solution() shows one way to write it.)"
        elif isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            note = (f"\n(Hints are numbered 1 to {total}; {fmt_value(n)} is not a hint "
                    "number, so here is hint 1.)")
            n = 1
        elif n > total:
            note = (f"\n(There are {total} hints; here is the last. .solution() shows one "
                    "way to write it.)")
            n = total
        elif n < 1:
            note = f"\n(Hints are numbered 1 to {total}; here is hint 1.)"
            n = 1
        n = int(n)
        self._hints_shown = max(self._hints_shown, n)
        return Display(f"Hint {n} of {total} ({self.id})", self.hints[n - 1] + note, "hint")

    def _reference(self) -> Callable[..., Any]:
        return inspect.unwrap(self.reference)

    def solution(self) -> Display:
        """One way to write the function: the short teaching-form solution (it runs when
        pasted into the exercise cell). Without one, the source of the reference."""
        if self.solution_source is not None:
            return Display(f"Solution of {self.id} (one way to write it)",
                           self.solution_source.rstrip("\n"), "solution")
        ref = self._reference()
        where = f"{getattr(ref, '__module__', '?')}.{getattr(ref, '__qualname__', ref)}"
        try:
            body = inspect.getsource(ref).rstrip("\n")
        except (OSError, TypeError):
            body = f"(the source of {where} is not available)"
        return Display(f"Solution of {self.id}: {where}", body, "solution")

    def stub_source(self) -> str:
        """The source of the stub a notebook ships: signature, first docstring line,
        ``# YOUR CODE HERE`` and ``...``."""
        if self.stub is not None:
            return self.stub
        sig = inspect.signature(self._reference())
        params = [p.replace(annotation=inspect.Parameter.empty) for p in sig.parameters.values()]
        plain = sig.replace(parameters=params, return_annotation=inspect.Signature.empty)
        doc = (inspect.getdoc(self._reference()) or "").strip().splitlines()
        first = doc[0].replace('"""', "'''").rstrip("\\") if doc else f"Your {self.id}."
        return (
            f'def {self.function_name}{plain}:\n    """{first}"""\n    # YOUR CODE HERE\n    ...\n'
        )

    def solution_cell(self) -> str:
        """Source of an exercise cell holding the teaching-form solution (the answer key
        and the solved runs of the tests); the reference imported under the function's
        name when the exercise has no solution."""
        if self.solution_source is not None:
            return self.solution_source
        ref = self.reference
        module, name = ref.__module__, ref.__name__
        return f"from {module} import {name} as {self.function_name}\n"


class _Missing:
    def __repr__(self) -> str:
        return "<not defined>"


_MISSING: Any = _Missing()
