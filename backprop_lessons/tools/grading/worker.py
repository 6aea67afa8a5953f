"""The worker: the one place where a submission's code runs. Started by the grader as
``python -I -S worker.py CONFIG.json`` (inside bubblewrap when available), never imported
by the grader for anything but this file's path.

1. Before any learner code: set its limits (memory, file size, no core files), import the
   package from the paths the grader gives (``-I -S``: no cwd, no user site, no ``.pth``),
   and build each exercise's case *inputs* from the package's own seeded cases, in a
   *blinded* copy of the exercise (its reference returns None), so no frame the learner's
   code can read holds an expected answer.
2. Fork: the parent stays as a supervisor (a child subreaper: whatever the notebook starts,
   even in a new session, is adopted and killed when the notebook's process ends); the
   child runs the notebook's code cells in an IPython shell, each with a time limit, then
   calls each exercise's function (looked up by name) on the cases with ``Exercise.run``
   (which calls it in a forked child of its own per check). After each cell and each
   check the supervisor must echo a byte (:class:`_Lifeline`): a step that killed the
   supervisor is the one left open in the status file, not whatever came next.
3. It writes plain JSON lines only (:mod:`.codec`); the grader judges. A status file says
   which cell or exercise is running, so the grader can tell which one killed the worker.
"""

from __future__ import annotations

import json
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36


class CellTimeout(BaseException):
    """Raised in a cell that runs past the per-cell time limit."""


def _prctl(option: int, value: int) -> bool:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(option, value, 0, 0, 0) == 0
    except Exception:  # noqa: BLE001 - not Linux: the grader's own clean-up remains
        return False


def _set_limits(memory_mb: int) -> None:
    try:
        import resource
    except ImportError:  # Windows
        return
    limits = [(resource.RLIMIT_CORE, 0), (resource.RLIMIT_FSIZE, 256 * 1024 * 1024)]
    if memory_mb:
        limits.append((resource.RLIMIT_AS, memory_mb * 1024 * 1024))
    for what, value in limits:
        try:
            resource.setrlimit(what, (value, value))
        except (ValueError, OSError):
            pass
    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a huge file fails to grow, no kill


class _Status:
    """Unbuffered lines to the grader: ``cell 3``, ``done 3``, ``ex weight_update``..."""

    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def __call__(self, line: str) -> None:
        os.write(self.fd, (line + "\n").encode("utf-8"))


class _CappedText:
    """A text stream that keeps the first ``limit`` characters and drops the rest."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self, path: str, limit: int = 65536) -> None:
        self._fh = open(path, "w", encoding="utf-8", errors="replace")  # noqa: SIM115
        self._left = limit

    def write(self, text: str) -> int:
        if self._left > 0 and isinstance(text, str):
            self._fh.write(text[: self._left])
            self._left -= len(text)
            if self._left <= 0:
                self._fh.write("\n[... output clipped by the grader ...]\n")
            self._fh.flush()
        return len(text) if isinstance(text, str) else 0

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self._fh.fileno()

    def writable(self) -> bool:
        return True


def _blind(exercise):
    """An exercise with the same case inputs and time limit whose reference returns None.
    The cases are prepared on a shallow copy, so the registry's exercise keeps no expected
    answers in this process either (the copy and its answers are dropped here)."""
    import copy
    import inspect

    from backprop_lessons.exercises import Case, Exercise

    prepared = copy.copy(exercise).prepared_cases()

    def reference(*args, **kwargs):
        return None

    reference.__signature__ = inspect.signature(exercise.reference)
    # ``Exercise.run`` unwraps the reference to notice an answer that is, or calls, the
    # package's own function: that must be the real one, which the learner can import.
    reference.__wrapped__ = inspect.unwrap(exercise.reference)
    blind = Exercise(id=exercise.id, lesson=exercise.lesson, reference=reference,
                     cases=[Case(*p.args, **p.kwargs) for p in prepared],
                     hints=["(hidden)", "(hidden)"], function_name=exercise.function_name,
                     time_limit=exercise.time_limit, adapt=exercise.adapt)
    if len(blind.prepared_cases()) != len(prepared):  # pragma: no cover - a course bug
        raise RuntimeError(f"blinded cases of {exercise.id} differ in number")
    return blind


def _origin(fn, package_dir: str) -> dict:
    """Where ``fn`` comes from: its module and code file, and whether that is the package."""
    import types

    module, filename = "", ""
    try:
        target = fn
        for _ in range(5):  # functools.wraps chains
            wrapped = getattr(target, "__wrapped__", None)
            if wrapped is None:
                break
            target = wrapped
        module = str(getattr(target, "__module__", "") or "")
        code = getattr(target, "__code__", None)
        if isinstance(code, types.CodeType):
            filename = code.co_filename
    except Exception:  # noqa: BLE001
        pass
    own = module.split(".")[0] == "backprop_lessons" or bool(
        filename and os.path.abspath(filename).startswith(package_dir + os.sep))
    return {"module": module[:200], "file": filename[:500], "package_own": own}


_KNOWN_FIELDS = ("value", "exception", "timed_out", "mutated", "frames")


def _outcome_record(outcome, codec) -> dict:
    """One CallOutcome as plain data; fields the engine may add later go in ``extra``."""
    import dataclasses

    record = {"value": codec.encode(outcome.value),
              "exception": codec.encode_exception(outcome.exception),
              "timed_out": bool(outcome.timed_out),
              "mutated": [str(m)[:100] for m in list(outcome.mutated)[:20]],
              "frames": [str(f)[:300] for f in list(outcome.frames)[:40]]}
    if dataclasses.is_dataclass(outcome):
        extra = {f.name: codec.encode(getattr(outcome, f.name))
                 for f in dataclasses.fields(outcome) if f.name not in _KNOWN_FIELDS}
        if extra:
            record["extra"] = extra
    return record


def _make_shell():
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "NoColor"
    shell = InteractiveShell.instance(config=config)
    # `%matplotlib inline` (in the lessons' setup cells) needs a kernel: this plain shell
    # raises on it, and the rest of the cell, the lesson's imports, would never run. Here
    # figures are drawn with Agg (MPLBACKEND) and never shown, so the magic does nothing.
    shell.register_magic_function(_no_gui, "line", "matplotlib")
    return shell


def _no_gui(line: str = "") -> None:
    """``%matplotlib``: nothing to do without a display (the backend is Agg)."""
    return None


def _on_cell_alarm(signum, frame):
    raise CellTimeout


def _quiet_alarm(signum, frame):
    return None


class _Lifeline:
    """Proof that the supervisor outlived a step. A step that kills the supervisor leaves
    this process running for the few milliseconds the kernel takes to end the supervisor
    (the parent-death signal comes last), long enough to start the next steps, which would
    then be blamed. So after each cell and each check this process sends a byte and waits
    for the supervisor's echo: a killed supervisor never echoes (its pipe ends at EOF),
    and this process exits with the step still open in the status file."""

    def __init__(self, to_supervisor: int, from_supervisor: int) -> None:
        self.to_fd, self.from_fd = to_supervisor, from_supervisor

    def __call__(self) -> None:
        for _ in range(5):
            try:
                os.write(self.to_fd, b".")
                if os.read(self.from_fd, 1):
                    return
                break  # EOF: the supervisor has gone
            except InterruptedError:
                continue
            except BaseException:  # noqa: BLE001 - closed or replaced by a cell: no proof
                break
        os._exit(71)


def _echo(from_notebook: int, to_notebook: int) -> None:
    """The supervisor's side of :class:`_Lifeline` (a thread)."""
    while True:
        try:
            data = os.read(from_notebook, 64)
            if not data:
                return
            os.write(to_notebook, data)
        except InterruptedError:
            continue
        except OSError:
            return


def _run_cells(cfg: dict, say: _Status, alive=lambda: None) -> dict:
    shell = _make_shell()
    skip = set(cfg.get("skip_cells", []))
    limit = float(cfg.get("cell_timeout") or 0)
    for index, source in cfg["cells"]:
        if index in skip:
            say(f"skip {index}")
            continue
        say(f"cell {index}")
        try:
            if limit and hasattr(signal, "setitimer"):
                signal.signal(signal.SIGALRM, _on_cell_alarm)
                signal.setitimer(signal.ITIMER_REAL, limit, 0.5)
            shell.run_cell(source, store_history=True)
        except BaseException:  # noqa: BLE001 - a cell's escape ends that cell only
            pass
        finally:
            try:
                if hasattr(signal, "setitimer"):
                    signal.setitimer(signal.ITIMER_REAL, 0)
                    signal.signal(signal.SIGALRM, _quiet_alarm)
            except BaseException:  # noqa: BLE001
                pass
        alive()
        say(f"done {index}")
    ns = shell.user_ns
    return ns if type(ns) is dict else dict(ns)


def _grade(cfg: dict, blinded: dict, ns: dict, say: _Status, codec,
           alive=lambda: None) -> None:
    skip = set(cfg.get("skip_exercises", []))
    with open(cfg["results"], "a", encoding="utf-8") as out:
        for ex_id, blind in blinded.items():
            if ex_id in skip:
                continue
            say(f"ex {ex_id}")
            name = blind.function_name
            record: dict = {"exercise": ex_id, "function": name}
            fn = dict.get(ns, name, _MISSING)
            if fn is _MISSING:
                record["defined"] = False
            elif not callable(fn):
                record.update(defined=True, callable=False, type=type(fn).__name__[:100])
            else:
                record.update(defined=True, callable=True,
                              origin=_origin(fn, cfg["package_dir"]))
                try:
                    outcomes = blind.run(fn)
                    record["outcomes"] = [_outcome_record(o, codec) for o in outcomes]
                except BaseException as exc:  # noqa: BLE001 - the engine itself failed here
                    record["worker_error"] = f"{type(exc).__name__}: {exc}"[:500]
            alive()
            out.write(json.dumps(record) + "\n")
            out.flush()
            say(f"exdone {ex_id}")
        out.write(json.dumps({"finished": True}) + "\n")
        out.flush()


_MISSING = object()


def _supervise(child: int, from_notebook: int, to_notebook: int) -> None:
    """Echo the notebook's lifeline, wait for the notebook's process, then kill and reap
    whatever it left behind."""
    import threading

    _prctl(_PR_SET_CHILD_SUBREAPER, 1)
    threading.Thread(target=_echo, args=(from_notebook, to_notebook), daemon=True).start()
    status = 0
    while True:
        try:
            _, status = os.waitpid(child, 0)
            break
        except InterruptedError:
            continue
        except ChildProcessError:
            break
    code = os.waitstatus_to_exitcode(status)
    _kill_adopted()
    os._exit(code if code >= 0 else 128 - code)


def _kill_adopted() -> None:
    import time

    me = str(os.getpid())
    for _ in range(200):
        children = []
        for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    stat = fh.read().decode("ascii", "replace")
                if stat[stat.rindex(")") + 2:].split()[1] == me:
                    children.append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
        if not children:
            return
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
        time.sleep(0.01)


def main(config_path: str) -> None:
    with open(config_path, encoding="utf-8") as fh:
        cfg = json.load(fh)
    _set_limits(int(cfg.get("memory_mb") or 0))
    _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)  # the grader gone: so is this worker
    sys.path[:0] = cfg["paths"]
    say = _Status(cfg["status"])
    say("boot")
    os.environ["MPLBACKEND"] = "Agg"
    from backprop_lessons.exercises import registry
    from backprop_lessons.tools.grading import codec

    blinded = {ex_id: _blind(registry.get(ex_id)) for ex_id in cfg["exercises"]}
    say("ready")
    supervisor = os.getpid()
    up_r, up_w = os.pipe()
    down_r, down_w = os.pipe()
    child = os.fork()
    if child:
        os.close(up_w)
        os.close(down_r)
        _supervise(child, up_r, down_w)
    _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)  # the supervisor killed: this process dies
    if os.getppid() != supervisor:
        os._exit(70)
    os.close(up_r)
    os.close(down_w)
    alive = _Lifeline(up_w, down_r)
    sys.stdout = _CappedText(cfg["stdout"])
    sys.stderr = sys.stdout
    ns = _run_cells(cfg, say, alive)
    try:
        if hasattr(signal, "setitimer"):
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, _quiet_alarm)
    except BaseException:  # noqa: BLE001
        pass
    _grade(cfg, blinded, ns, say, codec, alive)
    say("finished")
    os._exit(0)  # no atexit handler of the notebook runs


if __name__ == "__main__":
    main(sys.argv[1])
