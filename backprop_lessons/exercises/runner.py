"""Calling the learner's function safely: deep-copied inputs, a time limit no answer can
switch off, every exception caught (``SystemExit`` and ``KeyboardInterrupt`` included), the
learner's own frames kept (repeats collapsed), a call of the course's own answer noticed.

How the time limit works
    Where ``os.fork`` exists (Linux, macOS) :func:`run_calls` runs the learner's calls in
    a forked child process. The child runs the cases one after the other and writes each
    outcome as plain data (:mod:`.values`: numbers, strings, arrays as bytes; nothing the
    notebook would have to execute to read it), with what the call printed, to an unlinked
    temporary file; which case runs since when is kept in shared memory. The notebook
    sleeps until the child exits or the running case is ``time_limit`` seconds old, then
    kills the child's whole process group (SIGKILL), reads the outcomes and prints what
    the calls printed. No
    answer can defeat that: a bare ``except:`` in a loop, ``signal.alarm(0)``,
    ``SIG_IGN``, a nested ``check()``, a long numpy call in C, ``os._exit``, a crash — the
    notebook's process is never the one running the learner's code, and input changes
    happen in the child's copies (they are detected there and reported by name).

    Where fork is missing (Windows), or when ``BACKPROP_LESSONS_IN_PROCESS=1`` is set,
    the calls run in the notebook's own process with a ``SIGALRM`` interval timer (on the
    main thread of a POSIX system; none elsewhere). That path cannot stop an answer that
    disables SIGALRM itself (``signal.alarm(0)``, ``signal.signal(SIGALRM, SIG_IGN)``) or
    one stuck inside a single long C call, and a hostile answer could change the
    process it runs in.
"""

from __future__ import annotations

import copy
import io
import os
import select
import signal
import struct
import sys
import sysconfig
import tempfile
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import values as _values
from .compare import same_value, strip_addresses

__all__ = ["CallOutcome", "call_safely", "copy_input", "timer_available", "run_calls",
           "isolation_available", "IN_PROCESS_ENV", "learner_frames"]

IN_PROCESS_ENV = "BACKPROP_LESSONS_IN_PROCESS"
MAX_FRAMES = 12
MAX_ERROR_TEXT = 600
MAX_STDOUT = 20_000

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_LIBRARY_DIRS = tuple(
    {
        os.path.abspath(p)
        for key in ("stdlib", "platstdlib", "purelib", "platlib")
        if (p := sysconfig.get_paths().get(key))
    }
)
_in_child = False  # True in a forked child: a nested run does not start a new group
_zombies: list[int] = []


class _TimeLimitExceeded(BaseException):
    """Raised inside the learner's code by the SIGALRM handler (in-process path only)."""


@dataclass
class CallOutcome:
    """What happened when the learner's function was called on one case.

    ``value``: what it returned; ``exception``: what it raised (or None); ``timed_out``;
    ``mutated``: names of inputs it changed in place; ``frames``: the learner's own frames
    of the error. Also ``error_text`` (the exception as ``Type: message`` when it was
    raised in another process), ``delegated`` (it called the exercise's own reference),
    ``stub`` (the function is still an unmodified stub; it was not run) and ``plain``
    (``value`` is already plain data, see :mod:`.values`).
    """

    value: Any = None
    exception: BaseException | None = None
    timed_out: bool = False
    mutated: list[str] = field(default_factory=list)
    frames: list[str] = field(default_factory=list)
    error_text: str = ""
    delegated: bool = False
    stub: bool = False
    plain: bool = False

    @property
    def exception_text(self) -> str:
        """``TypeName: message`` of the exception, without memory addresses, shortened."""
        if self.error_text:
            return self.error_text
        if self.exception is None:
            return ""
        return _exception_text(self.exception)


def _exception_text(exc: BaseException) -> str:
    try:
        text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    except BaseException:  # noqa: BLE001 - a learner's exception whose str() raises
        text = f"{type(exc).__name__}: (its message could not be shown)"
    text = strip_addresses(text)
    if len(text) > MAX_ERROR_TEXT:
        text = text[: MAX_ERROR_TEXT - 40] + f" … ({len(text)} characters in all)"
    return text


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
    """True where the in-process time limit works: SIGALRM exists and this is the main
    thread."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def isolation_available() -> bool:
    """True where :func:`run_calls` runs the learner's code in a forked child (POSIX with
    ``os.fork``, unless ``BACKPROP_LESSONS_IN_PROCESS`` is set to a non-empty value)."""
    return hasattr(os, "fork") and sys.platform != "win32" and not os.environ.get(IN_PROCESS_ENV)


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


def learner_frames(exc: BaseException, limit: int = MAX_FRAMES) -> list[str]:
    """The traceback of ``exc`` restricted to the learner's own code (no engine, no
    library); a run of repeated frames (a recursion) is shown once with its count, and at
    most ``limit`` lines are kept (the first ones and the last ones)."""
    import linecache

    runs: list[list[Any]] = []  # [filename, lineno, name, count]
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        filename, lineno = code.co_filename, tb.tb_lineno
        tb = tb.tb_next
        if not _is_learner_frame(filename):
            continue
        if runs and runs[-1][:3] == [filename, lineno, code.co_name]:
            runs[-1][3] += 1
        else:
            runs.append([filename, lineno, code.co_name, 1])
    lines = []
    for filename, lineno, name, count in runs:
        text = f"{_where(filename)}, line {lineno}, in {name}"
        source = linecache.getline(filename, lineno).strip()
        if source:
            text += f": {source[:160]}"
        lines.append(text)
        if count > 1:
            lines.append(f"  … the same line again {count - 1} more times (a recursion "
                         "that does not stop?)")
    if len(lines) > limit:
        head, tail = lines[: limit - 4], lines[-3:]
        lines = head + [f"… {len(lines) - len(head) - len(tail)} more lines …"] + tail
    return lines


def _mutated(originals: dict[str, Any] | None, call_args: tuple,
             call_kwargs: dict[str, Any]) -> list[str]:
    if not originals:
        return []
    names = list(originals)
    positional = dict(zip(names, call_args, strict=False))
    positional.update(call_kwargs)
    changed = []
    for name, original in originals.items():
        if name in positional and not callable(original):
            try:
                same = same_value(positional[name], original)
            except BaseException:  # noqa: BLE001 - a learner object put into an input
                same = False
            if not same:
                changed.append(name)
    return changed


def call_safely(
    fn: Any,
    args: tuple,
    kwargs: dict[str, Any],
    time_limit: float | None,
    originals: dict[str, Any] | None = None,
) -> CallOutcome:
    """Call ``fn(*copies of args, **copies of kwargs)`` in this process and report what
    happened. Never raises (the time-limit exception cannot leak: the timer is disarmed
    before anything else happens).

    ``time_limit`` (seconds, or None) uses SIGALRM where :func:`timer_available`; a timer
    already running (an outer check) is restored afterwards with its remaining time.
    ``originals`` maps an argument name to its pristine value; a copy that differs from
    it after the call is listed in ``CallOutcome.mutated``.
    """
    call_args = tuple(copy_input(a) for a in args)
    call_kwargs = {k: copy_input(v) for k, v in kwargs.items()}
    outcome = CallOutcome()
    use_timer = bool(time_limit) and timer_available()
    armed = [False]
    old_handler: Any = None
    old_timer = (0.0, 0.0)
    started = time.monotonic()

    def _on_alarm(signum: int, frame: Any) -> None:
        if armed[0]:
            raise _TimeLimitExceeded

    if use_timer:
        try:
            old_handler = signal.signal(signal.SIGALRM, _on_alarm)
            old_timer = signal.getitimer(signal.ITIMER_REAL)
        except (ValueError, OSError):  # not the main thread of the main interpreter
            use_timer = False
    try:
        try:
            if use_timer:
                armed[0] = True
                # repeat every 50 ms after the limit, in case the learner's code swallows one
                signal.setitimer(signal.ITIMER_REAL, float(time_limit), 0.05)
            outcome.value = fn(*call_args, **call_kwargs)
        finally:
            armed[0] = False
    except _TimeLimitExceeded:
        armed[0] = False
        outcome.timed_out = True
    except BaseException as exc:  # noqa: BLE001 - the learner's code never breaks the notebook
        armed[0] = False
        outcome.exception = exc
    finally:
        armed[0] = False
        if use_timer:
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, old_handler if old_handler is not None else 0)
                if old_timer[0] > 0:  # an outer check's timer: give it back what is left
                    left = old_timer[0] - (time.monotonic() - started)
                    signal.setitimer(signal.ITIMER_REAL, max(left, 0.001), old_timer[1])
            except BaseException:  # noqa: BLE001 - a timer we cannot reset is not fatal
                pass
    if outcome.exception is not None:
        try:
            outcome.frames = learner_frames(outcome.exception)
            outcome.error_text = _exception_text(outcome.exception)
        except BaseException:  # noqa: BLE001
            outcome.error_text = f"{type(outcome.exception).__name__}"
    outcome.mutated = _mutated(originals, call_args, call_kwargs)
    return outcome


# ----- noticing a call of the reference ---------------------------------------------------
def _marker(*args: Any, __bpl_hits: list | None = None, **kwargs: Any) -> Any:
    # Runs in place of the reference while the learner's code is called: it may use no
    # global name (it runs with the reference's globals), so it records through its default.
    if __bpl_hits is not None:
        __bpl_hits.append(True)
    raise SystemExit("this exercise's own reference answer was called")


class _Patched:
    """While active, calling ``reference`` records a hit (and raises SystemExit)."""

    def __init__(self, reference: Callable[..., Any] | None) -> None:
        self.reference = reference
        self.hits: list[bool] = []
        self.saved: tuple | None = None

    def __enter__(self) -> _Patched:
        ref = self.reference
        if ref is not None and type(ref).__name__ == "function" and not ref.__code__.co_freevars:
            try:
                self.saved = (ref.__code__, ref.__kwdefaults__)
                ref.__code__ = _marker.__code__
                ref.__kwdefaults__ = {"__bpl_hits": self.hits}
            except (AttributeError, TypeError, ValueError):
                self.saved = None
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.saved is not None:
            self.reference.__code__, self.reference.__kwdefaults__ = self.saved  # type: ignore
            self.saved = None


# ----- running the cases ------------------------------------------------------------------
Call = tuple  # (args, kwargs, originals) or (args, kwargs, originals, size limit)


def run_calls(
    fn: Any,
    calls: Sequence[Call],
    time_limit: float,
    *,
    forbidden: Callable[..., Any] | None = None,
    in_child: Callable[[], None] | None = None,
    isolate: bool | None = None,
) -> list[CallOutcome]:
    """Call ``fn`` on each ``(args, kwargs, originals[, size limit])`` in turn and return
    the outcomes (an answer holding more items than the limit is reported by its size only),
    stopping after a call that raised or timed out. ``forbidden`` is a function the calls
    must not use (the exercise's reference: a call sets ``CallOutcome.delegated``);
    ``in_child`` runs first in a forked child (e.g. to switch progress recording off).
    ``isolate`` (default :func:`isolation_available`) picks the forked-child path."""
    if isolate is None:
        isolate = isolation_available()
    if isolate:
        return _run_forked(fn, calls, time_limit, forbidden, in_child)
    return _run_here(fn, calls, time_limit, forbidden)


class _CappedText(io.TextIOBase):
    """Where the learner's prints go during an in-process check: the first ``left``
    characters are kept, the rest only counted (a print in a loop cannot flood the
    notebook, nor fill the memory)."""

    def __init__(self, left: int) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.left, self.hidden = left, 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        text = str(text)
        keep = text[:max(self.left, 0)]
        if keep:
            self.parts.append(keep)
            self.left -= len(keep)
        self.hidden += len(text) - len(keep)
        return len(text)


def _run_here(fn, calls, time_limit, forbidden) -> list[CallOutcome]:
    outcomes = []
    printed = _CappedText(MAX_STDOUT)
    saved = sys.stdout, sys.stderr
    try:
        for call in calls:
            args, kwargs, originals = call[:3]
            sys.stdout = sys.stderr = printed
            try:
                with _Patched(forbidden) as patch:
                    out = call_safely(fn, args, kwargs, time_limit, originals)
            finally:
                sys.stdout, sys.stderr = saved
            out.delegated = bool(patch.hits)
            outcomes.append(out)
            if out.exception is not None or out.timed_out or out.delegated:
                break
    finally:
        sys.stdout, sys.stderr = saved
        _write("".join(printed.parts))
        if printed.hidden:
            _write(_hidden_note(printed.hidden))
    return outcomes


def _encode_outcome(out: CallOutcome, limit: float = float("inf")) -> tuple:
    value = _values.encode(_values.bounded(out.value, limit) if limit != float("inf")
                           else out.value)
    return (value, out.error_text, type(out.exception).__name__ if out.exception else "",
            _builtin_exception(out.exception), out.timed_out, list(out.mutated),
            list(out.frames), out.delegated)


def _builtin_exception(exc: BaseException | None) -> str:
    if exc is None:
        return ""
    for klass in type(exc).__mro__:
        if getattr(klass, "__module__", None) == "builtins" and \
                issubclass(klass, BaseException):
            return klass.__name__
    return "Exception"


def _decode_outcome(data: tuple) -> CallOutcome:
    value, error_text, _type_name, builtin, timed_out, mutated, frames, delegated = data
    exception = None
    if builtin:
        import builtins

        klass = getattr(builtins, builtin, Exception)
        try:
            exception = klass(error_text.split(": ", 1)[-1])
        except BaseException:  # noqa: BLE001 - an exception class with odd arguments
            exception = Exception(error_text)
    return CallOutcome(value=_values.decode(value), exception=exception, timed_out=timed_out,
                       mutated=list(mutated), frames=list(frames), error_text=error_text,
                       delegated=delegated, plain=True)


def _send(fd: int, message: tuple) -> None:
    raw = _values.dumps(message)
    data = struct.pack("!Q", len(raw)) + raw
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _child(fn, calls, fd, forbidden, in_child, progress) -> None:
    """Run the calls; each outcome is appended to the file ``fd``; ``progress`` (shared
    memory) holds the index of the case being run and when it started."""
    global _in_child
    import gc

    gc.disable()  # a short-lived process: no collection touching (and copying) every page
    nested = _in_child
    _in_child = True
    if not nested:
        try:
            os.setpgid(0, 0)  # a group of its own: the notebook kills it and its children
        except OSError:
            pass
    for sig in ("SIGINT", "SIGALRM", "SIGTERM"):
        if hasattr(signal, sig):
            try:
                signal.signal(getattr(signal, sig), signal.SIG_DFL)
            except (ValueError, OSError):
                pass
    if hasattr(signal, "setitimer"):
        signal.setitimer(signal.ITIMER_REAL, 0)
    if in_child is not None:
        in_child()
    sys.stdin = io.StringIO("")
    with _Patched(forbidden) as patch:
        for index, call in enumerate(calls):
            args, kwargs, originals = call[:3]
            limit = call[3] if len(call) > 3 else float("inf")
            progress[:16] = struct.pack("!qd", index, time.monotonic())
            buffer = io.StringIO()
            sys.stdout = sys.stderr = buffer
            del patch.hits[:]
            out = call_safely(fn, args, kwargs, None, originals)
            out.delegated = bool(patch.hits)
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
            printed = buffer.getvalue()
            if len(printed) > MAX_STDOUT:
                printed = printed[:MAX_STDOUT] + f"\n… ({len(printed)} characters printed)\n"
            try:
                _send(fd, ("case", _encode_outcome(out, limit), printed))
            except BaseException as exc:  # noqa: BLE001
                _send(fd, ("case", _encode_outcome(CallOutcome(
                    exception=exc, error_text=f"Your answer could not be read: {exc}")), ""))
                return
            if out.exception is not None or out.timed_out or out.delegated:
                return


def _reap() -> None:
    for pid in list(_zombies):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            _zombies.remove(pid)


def _kill(pid: int) -> None:
    for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            target()
        except (ProcessLookupError, PermissionError, OSError):
            pass


def _messages(fd: int) -> list[tuple]:
    """The complete messages written to the file ``fd`` (a killed child may leave half of
    one at the end)."""
    size = os.lseek(fd, 0, os.SEEK_END)
    os.lseek(fd, 0, os.SEEK_SET)
    raw = bytearray()
    while len(raw) < size:
        chunk = os.read(fd, size - len(raw))
        if not chunk:
            break
        raw += chunk
    out, at = [], 0
    while at + 8 <= len(raw):
        n = struct.unpack("!Q", bytes(raw[at: at + 8]))[0]
        if at + 8 + n > len(raw):
            break
        out.append(_values.loads(bytes(raw[at + 8: at + 8 + n])))
        at += 8 + n
    return out


def _run_forked(fn, calls, time_limit, forbidden, in_child) -> list[CallOutcome]:
    """The learner's calls in a forked child. The notebook sleeps in one ``select`` until
    the child is done (or the running case is past its limit): the child writes its
    outcomes to an unlinked temporary file and its progress to shared memory, so the
    notebook wakes once per check, not once per case."""
    import mmap

    _reap()
    progress = mmap.mmap(-1, 16)
    progress[:16] = struct.pack("!qd", -1, time.monotonic())
    if hasattr(os, "memfd_create"):  # Linux: a file in memory, no disk involved
        data = open(os.memfd_create("backprop-lessons-outcomes"), "r+b", buffering=0)
    else:
        data = tempfile.TemporaryFile()
    data_fd = data.fileno()
    done_r, done_w = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "fork() in a multi-threaded process"
        pid = os.fork()
    if pid == 0:  # the child: run the calls, report, and leave without cleaning up
        try:
            os.close(done_r)
            _child(fn, calls, data_fd, forbidden, in_child, progress)
        except BaseException:  # noqa: BLE001
            pass
        finally:
            try:
                os.write(done_w, b"x")  # done (even if the answer left a process behind)
            finally:
                os._exit(0)
    os.close(done_w)
    if not _in_child:
        try:
            os.setpgid(pid, pid)  # (also done by the child: whichever comes first)
        except OSError:
            pass
    started = time.monotonic()
    timed_out_at: int | None = None
    interrupted = False
    finished = False
    try:
        while True:
            index, case_start = struct.unpack("!qd", progress[:16])
            deadline = (case_start if index >= 0 else started) + time_limit
            left = deadline - time.monotonic()
            if left <= 0:
                index2, _ = struct.unpack("!qd", progress[:16])
                if index2 == index:  # the same case is still running: past its limit
                    timed_out_at = max(index, 0)
                    _kill(pid)
                    break
                continue
            ready, _, _ = select.select([done_r], [], [], left)
            if ready:
                break  # the child is done (it exited: EOF on the pipe)
        finished = True
    except KeyboardInterrupt:
        interrupted = True
        _kill(pid)
    finally:
        os.close(done_r)
    try:
        messages = _messages(data_fd)
    finally:
        data.close()
        progress.close()
    outcomes: list[CallOutcome] = []
    left, hidden = MAX_STDOUT, 0  # what the calls printed, MAX_STDOUT for the whole check
    for message in messages:
        out = _decode_outcome(message[1])
        printed = message[2]
        if printed and left > 0:
            shown, left = printed[:left], left - len(printed)
            hidden += len(printed) - len(shown)
            _write(shown)
        elif printed:
            hidden += len(printed)
        outcomes.append(out)
    if hidden:
        _write(_hidden_note(hidden))
    stopped = bool(outcomes) and (outcomes[-1].exception is not None or outcomes[-1].delegated)
    if interrupted:
        outcomes.append(CallOutcome(exception=KeyboardInterrupt(), plain=True,
                                    error_text="KeyboardInterrupt: the check was interrupted"))
    elif timed_out_at is not None and len(outcomes) < len(calls):
        outcomes.append(CallOutcome(timed_out=True, plain=True))
    elif finished and len(outcomes) < len(calls) and not stopped:
        outcomes.append(_ended(pid))
        return outcomes
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        done = pid
    if not done:
        _zombies.append(pid)
    return outcomes


def _hidden_note(hidden: int) -> str:
    """The line that ends a check's output when the answer printed more than MAX_STDOUT."""
    return f"\n… (and {hidden:,} more characters printed by your function, not shown)\n"


def _write(text: str) -> None:
    try:
        sys.stdout.write(text)
    except Exception:  # noqa: BLE001 - a closed stdout
        pass


def _ended(pid: int) -> CallOutcome:
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        status = 0
    if os.WIFSIGNALED(status):
        how = f"was killed by signal {os.WTERMSIG(status)} (a crash, or out of memory?)"
    else:
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else status
        how = f"ended with exit code {code} (os._exit or a crash?)"
    text = f"ProcessEnded: the process running your function {how}"
    exc = SystemExit(text)
    return CallOutcome(exception=exc, error_text=text, plain=True)
