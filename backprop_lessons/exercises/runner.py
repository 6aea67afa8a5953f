"""Calling the learner's function safely: deep-copied inputs, a time limit, every exception
caught (``SystemExit`` and ``KeyboardInterrupt`` included), the learner's own frames kept.

The time limit uses ``signal.setitimer``/``SIGALRM`` (Linux, macOS) when called from the main
thread; elsewhere (Windows, a worker thread) the call runs without a limit.
"""

from __future__ import annotations

import copy
import os
import signal
import sysconfig
import threading
import traceback
from dataclasses import dataclass, field
from typing import Any

from .compare import same_value, strip_addresses

__all__ = ["CallOutcome", "call_safely", "copy_input", "timer_available"]

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_LIBRARY_DIRS = tuple(
    {
        os.path.abspath(p)
        for key in ("stdlib", "platstdlib", "purelib", "platlib")
        if (p := sysconfig.get_paths().get(key))
    }
)


class _TimeLimitExceeded(BaseException):
    """Raised inside the learner's code by the SIGALRM handler."""


@dataclass
class CallOutcome:
    """What happened when the learner's function was called on one case."""

    value: Any = None
    exception: BaseException | None = None
    timed_out: bool = False
    mutated: list[str] = field(default_factory=list)
    frames: list[str] = field(default_factory=list)

    @property
    def exception_text(self) -> str:
        """``TypeName: message`` of the exception, without memory addresses."""
        if self.exception is None:
            return ""
        exc = self.exception
        text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return strip_addresses(text)


def copy_input(value: Any) -> Any:
    """A deep copy of a case input; functions (and other callables) are passed as they are."""
    if callable(value) and not hasattr(value, "__array__"):
        return value
    if isinstance(value, (int, float, str, bytes, bool, type(None))):
        return value
    try:
        return copy.deepcopy(value)
    except Exception:  # noqa: BLE001 - an uncopyable input is passed as it is
        return value


def timer_available() -> bool:
    """True where a time limit can be enforced: SIGALRM exists and this is the main thread."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _is_learner_frame(filename: str) -> bool:
    path = os.path.abspath(filename) if not filename.startswith("<") else filename
    if path.startswith(_PACKAGE_DIR + os.sep):
        return False
    return not any(path.startswith(d + os.sep) for d in _LIBRARY_DIRS)


def _where(filename: str) -> str:
    if "ipykernel_" in filename or filename.startswith("<ipython-input"):
        return "your notebook cell"
    if filename.startswith("<"):
        return filename
    return os.path.basename(filename)


def learner_frames(exc: BaseException) -> list[str]:
    """The traceback of ``exc`` restricted to the learner's own code (no engine, no library)."""
    lines = []
    for frame in traceback.extract_tb(exc.__traceback__):
        if not _is_learner_frame(frame.filename):
            continue
        text = f"{_where(frame.filename)}, line {frame.lineno}, in {frame.name}"
        if frame.line:
            text += f": {frame.line.strip()}"
        lines.append(text)
    return lines


def call_safely(
    fn: Any,
    args: tuple,
    kwargs: dict[str, Any],
    time_limit: float | None,
    originals: dict[str, Any] | None = None,
) -> CallOutcome:
    """Call ``fn(*copies of args, **copies of kwargs)`` and report what happened. Never raises.

    ``originals`` maps an argument name to its pristine value; a copy that differs from
    it after the call is listed in ``CallOutcome.mutated`` (the learner changed an input
    in place).
    """
    call_args = tuple(copy_input(a) for a in args)
    call_kwargs = {k: copy_input(v) for k, v in kwargs.items()}
    outcome = CallOutcome()
    use_timer = bool(time_limit) and timer_available()
    armed = [False]
    old_handler: Any = None

    def _on_alarm(signum: int, frame: Any) -> None:
        if armed[0]:
            raise _TimeLimitExceeded

    if use_timer:
        try:
            old_handler = signal.signal(signal.SIGALRM, _on_alarm)
        except (ValueError, OSError):  # not the main thread of the main interpreter
            use_timer = False
    try:
        if use_timer:
            armed[0] = True
            # repeat every 50 ms after the limit, in case the learner's code swallows one
            signal.setitimer(signal.ITIMER_REAL, float(time_limit), 0.05)
        outcome.value = fn(*call_args, **call_kwargs)
    except _TimeLimitExceeded:
        outcome.timed_out = True
    except BaseException as exc:  # noqa: BLE001 - the learner's code never breaks the notebook
        outcome.exception = exc
        outcome.frames = learner_frames(exc)
    finally:
        armed[0] = False
        if use_timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old_handler if old_handler is not None else 0)
    if originals:
        names = list(originals)
        positional = dict(zip(names, call_args, strict=False))
        positional.update(call_kwargs)
        for name, original in originals.items():
            if name in positional and not callable(original):
                if not same_value(positional[name], original):
                    outcome.mutated.append(name)
    return outcome
