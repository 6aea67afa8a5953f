"""The learner's progress: one JSON file per learner, written atomically under a file lock.

Location: ``$BACKPROP_LESSONS_HOME`` (a folder) if set, else the user's data folder:
``$XDG_DATA_HOME/backprop-lessons`` or ``~/.local/share/backprop-lessons`` (Linux),
``~/Library/Application Support/backprop-lessons`` (macOS), ``%APPDATA%\\backprop-lessons``
(Windows). The file is ``progress.json``::

    {"version": 1, "exercises": {id: {"lesson": ..., "status": ..., "attempts": int,
                                      "first_passed": ISO-8601 UTC or null,
                                      "last_status": ...}}}

``status`` is ``"passed"`` once any check passed (a later failure shows in ``last_status``);
``attempts`` counts checks that ran the learner's code (not "not attempted").

No check waits for the disk: :func:`record` hands the outcome to a writer thread and
returns at once (:func:`flush` waits for it; ``progress()``, the CLI and the end of the
session flush). Faults never raise and are told once, in plain words (through the next
check's message, the progress report and the CLI), never as a Python warning:

- a file that cannot be read as progress (not UTF-8, binary, not JSON, nested too deeply,
  the wrong fields, a folder or a FIFO at its path) is set aside as
  ``progress.json.corrupt-N`` and a fresh file is started;
- a file or folder that cannot be written (permission denied, disk full, a lock held too
  long) keeps the outcomes in memory; the next check tries the disk again and writes them
  all once it can;
- temporary files left by a writer that was killed are removed by the next write.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import datetime as _dt
import errno
import html
import json
import os
import queue
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from .result import NOT_ATTEMPTED, PASSED

__all__ = [
    "ENV_VAR",
    "ProgressWarning",
    "ProgressStore",
    "MemoryStore",
    "ProgressReport",
    "data_dir",
    "current_store",
    "record",
    "flush",
    "notes",
    "progress",
    "cli_main",
]

ENV_VAR = "BACKPROP_LESSONS_HOME"
FILE_NAME = "progress.json"
SCHEMA_VERSION = 1
APP = "backprop-lessons"
MAX_FILE_BYTES = 20 * 1024 * 1024
LOCK_TIMEOUT = 2.0
STALE_TEMP_SECONDS = 60.0


class ProgressWarning(UserWarning):
    """Kept for code that filtered it; the store now tells its faults through notes."""


class ProgressUnreadable(OSError):
    """The progress file could not be read and could not be set aside either."""


def data_dir(
    env: Mapping[str, str] | None = None, platform: str | None = None, home: Path | None = None
) -> Path:
    """The folder of the progress file (see the module docstring for the rules)."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    home = Path.home() if home is None else home
    if env.get(ENV_VAR):
        return Path(env[ENV_VAR]).expanduser()
    if platform.startswith("win"):
        base = env.get("APPDATA")
        return Path(base) / APP if base else home / "AppData" / "Roaming" / APP
    if platform == "darwin":
        return home / "Library" / "Application Support" / APP
    xdg = env.get("XDG_DATA_HOME")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / APP
    return home / ".local" / "share" / APP


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def _empty() -> dict[str, Any]:
    return {"version": SCHEMA_VERSION, "exercises": {}}


def _valid(data: Any) -> bool:
    if not isinstance(data, dict) or not isinstance(data.get("exercises"), dict):
        return False
    for entry in data["exercises"].values():
        if not isinstance(entry, dict) or not isinstance(entry.get("attempts"), int):
            return False
        if not isinstance(entry.get("status"), str):
            return False
    return True


def _apply(data: dict[str, Any], exercise_id: str, lesson: str, status: str,
           when: str | None = None) -> None:
    """Record one check outcome into ``data`` (the merge rule of the store)."""
    entry = data["exercises"].setdefault(
        exercise_id,
        {"lesson": lesson, "status": status, "attempts": 0, "first_passed": None},
    )
    entry["lesson"] = lesson
    if status != NOT_ATTEMPTED:
        entry["attempts"] = int(entry.get("attempts", 0)) + 1
    if status == PASSED and not entry.get("first_passed"):
        entry["first_passed"] = when or _now()
    entry.setdefault("first_passed", None)
    entry["last_status"] = status
    entry["status"] = PASSED if entry["first_passed"] else status


# ----- notes for the learner ------------------------------------------------------------
_notes_lock = threading.Lock()
_pending_notes: list[str] = []
_shown_notes: set[str] = set()


def _note(text: str, key: str | None = None) -> None:
    """Tell the learner ``text`` once (per ``key``) at the next occasion."""
    with _notes_lock:
        key = key or text
        if key in _shown_notes:
            return
        _shown_notes.add(key)
        _pending_notes.append(text)


def _forget_note(key: str) -> None:
    with _notes_lock:
        _shown_notes.discard(key)


def notes() -> list[str]:
    """The notes about the store not shown yet (each is shown once); clears them."""
    with _notes_lock:
        out = list(_pending_notes)
        _pending_notes.clear()
    return out


class MemoryStore:
    """Progress kept in memory only."""

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        self._data = data if data is not None and _valid(data) else _empty()
        self.path: Path | None = None

    def load(self) -> dict[str, Any]:
        """A copy of the progress data."""
        return json.loads(json.dumps(self._data))

    def record(self, exercise_id: str, lesson: str, status: str) -> None:
        """Record one check outcome."""
        _apply(self._data, exercise_id, lesson, status)


class ProgressStore:
    """The progress file of one folder; every update is read-modify-write under a lock."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        self.path = self.folder / FILE_NAME
        self.lock_path = self.folder / (FILE_NAME + ".lock")

    @contextlib.contextmanager
    def _locked(self, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NONBLOCK", 0),
                     0o644)
        try:
            try:
                import fcntl
            except ImportError:  # Windows
                fcntl = None  # type: ignore[assignment]
            if fcntl is None:  # pragma: no cover - Windows: msvcrt, non-blocking tries
                import msvcrt

                deadline = time.monotonic() + timeout
                while True:
                    try:
                        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                        break
                    except OSError:
                        if time.monotonic() > deadline:
                            raise TimeoutError(errno.ETIMEDOUT, "the progress lock is held "
                                               "by another program") from None
                        time.sleep(0.01)
                try:
                    yield
                finally:
                    msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
                return
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise TimeoutError(errno.ETIMEDOUT, "the progress lock is held by "
                                           "another program for too long") from None
                    time.sleep(0.005)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def _set_aside(self, problem: str) -> dict[str, Any]:
        n = 1
        while True:
            aside = self.path.with_name(f"{FILE_NAME}.corrupt-{n}")
            if not os.path.lexists(aside):
                break
            n += 1
        try:
            os.replace(self.path, aside)
        except OSError as exc:
            raise ProgressUnreadable(
                exc.errno or errno.EIO,
                f"{self.path} cannot be read ({problem}) and cannot be set aside "
                f"({exc.strerror or exc})") from None
        _note(f"Your progress file {self.path} could not be read: {problem}. It was kept as "
              f"{aside.name} and a fresh progress file was started.", key=f"aside:{aside}")
        return _empty()

    def _read(self) -> dict[str, Any]:
        """The data on disk; an unreadable file is set aside (with a note). Call locked."""
        try:
            info = os.lstat(self.path)
        except FileNotFoundError:
            return _empty()
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else (
                "a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else "not a regular file")
            return self._set_aside(f"it is {kind}, not a file")
        if info.st_size > MAX_FILE_BYTES:
            return self._set_aside(f"it is far too large ({info.st_size} bytes)")
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(self.path, flags)  # PermissionError: the caller keeps it in memory
        try:
            chunks = []
            while True:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
                if sum(map(len, chunks)) > MAX_FILE_BYTES:
                    break
        finally:
            os.close(fd)
        raw = b"".join(chunks)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return self._set_aside("it is not UTF-8 text (a binary file, or another encoding)")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            return self._set_aside(f"it is not valid JSON ({exc.msg})")
        except RecursionError:
            return self._set_aside("it is nested too deeply to be progress")
        except ValueError as exc:
            return self._set_aside(f"it is not valid JSON ({exc})")
        if not _valid(data):
            return self._set_aside("it does not hold the expected fields")
        return data

    def _clean_temp_files(self) -> None:
        now = time.time()
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names:
            if name.startswith(".progress-") and name.endswith(".tmp"):
                path = self.folder / name
                with contextlib.suppress(OSError):
                    if now - os.lstat(path).st_mtime > STALE_TEMP_SECONDS:
                        os.unlink(path)

    def _write(self, data: dict[str, Any]) -> None:
        self._clean_temp_files()
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".progress-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, indent=1, sort_keys=True)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def load(self) -> dict[str, Any]:
        """The progress data (an empty record if there is no file yet)."""
        if not os.path.lexists(self.path):
            return _empty()
        with self._locked():
            return self._read()

    def record(self, exercise_id: str, lesson: str, status: str) -> None:
        """Record one check outcome (atomic; safe with several kernels at once)."""
        self.record_many([(exercise_id, lesson, status, None)])

    def record_many(self, outcomes: list[tuple[str, str, str, str | None]]) -> None:
        """Record several outcomes ``(id, lesson, status, when)`` in one write."""
        with self._locked():
            data = self._read()
            for exercise_id, lesson, status, when in outcomes:
                _apply(data, exercise_id, lesson, status, when)
            self._write(data)


def current_store() -> ProgressStore:
    """The store of the current location (``BACKPROP_LESSONS_HOME`` is read on every call)."""
    return ProgressStore(data_dir())


# ----- the writer: checks never wait for the disk -----------------------------------------
_queue: queue.Queue = queue.Queue()
_state_lock = threading.Lock()
_unsaved: dict[Path, list[tuple[str, str, str, str | None]]] = {}
_writer: threading.Thread | None = None
_writer_pid: int | None = None
_idle = threading.Event()
_idle.set()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        text = exc.strerror or str(exc)
        if exc.errno == errno.ENOSPC:
            text = "the disk is full"
        elif exc.errno in (errno.EACCES, errno.EPERM):
            text = "permission denied"
        return f"{type(exc).__name__}: {text}"
    return f"{type(exc).__name__}: {exc}"


def _save(folder: Path) -> None:
    """Write every unsaved outcome of ``folder``; keep them in memory if that fails."""
    with _state_lock:
        batch = list(_unsaved.get(folder, ()))
    if not batch:
        return
    store = ProgressStore(folder)
    try:
        store.record_many(batch)
    except BaseException as exc:  # noqa: BLE001 - the store never breaks a check
        _note(f"Your progress could not be saved in {folder} ({_reason(exc)}). It is kept "
              "in memory for now; every later check tries the disk again (set "
              f"{ENV_VAR} to a folder you can write to, to keep it elsewhere).",
              key=f"unsaved:{folder}")
        return
    with _state_lock:
        left = _unsaved.get(folder, [])
        del left[: len(batch)]
        if not left:
            _unsaved.pop(folder, None)
    _forget_note(f"unsaved:{folder}")


def _work() -> None:
    while True:
        folder = _queue.get()
        try:
            _save(folder)
        except BaseException:  # noqa: BLE001 - the writer never dies
            pass
        finally:
            _queue.task_done()
            if _queue.unfinished_tasks == 0:
                _idle.set()


def _ensure_writer() -> None:
    global _writer, _writer_pid
    if _writer is not None and _writer.is_alive() and _writer_pid == os.getpid():
        return
    _writer = threading.Thread(target=_work, name="backprop-lessons-progress", daemon=True)
    _writer_pid = os.getpid()
    _writer.start()


def record(exercise_id: str, lesson: str, status: str) -> str | None:
    """Record one check outcome in the current store without waiting for the disk; never
    raises. Returns the notes about the store not shown yet (or None)."""
    folder = data_dir()
    with _state_lock:
        _unsaved.setdefault(folder, []).append((exercise_id, lesson, status, _now()))
    try:
        _ensure_writer()
        _idle.clear()
        _queue.put(folder)
    except BaseException:  # noqa: BLE001 - no thread: write now
        _save(folder)
    pending = notes()
    return "\n".join(f"({text})" for text in pending) if pending else None


def flush(timeout: float = 10.0) -> bool:
    """Wait (at most ``timeout`` s) until every recorded outcome was written or kept in
    memory; True when the writer is idle."""
    if _writer is None or not _writer.is_alive():
        return True
    return _idle.wait(timeout)


atexit.register(flush, 5.0)


def _load_current() -> dict[str, Any]:
    """The current progress: the file, with the outcomes not saved yet on top."""
    flush()
    folder = data_dir()
    try:
        data = ProgressStore(folder).load()
    except BaseException as exc:  # noqa: BLE001
        _note(f"Your progress file in {folder} cannot be read ({_reason(exc)}): only this "
              "session's checks are shown.", key=f"unreadable:{folder}")
        data = _empty()
    with _state_lock:
        for exercise_id, lesson, status, when in _unsaved.get(folder, ()):
            _apply(data, exercise_id, lesson, status, when)
    return data


_ICON = {PASSED: "✓", "failed": "✗", "error": "⚠", NOT_ATTEMPTED: "○"}


class ProgressReport:
    """Progress per lesson: done / total, each exercise's state, what remains."""

    def __init__(self, rows: list[dict[str, Any]], notes: list[str] | None = None) -> None:
        self.rows = rows
        self.notes = list(notes or [])

    @property
    def done(self) -> int:
        """Number of exercises passed at least once."""
        return sum(r["done"] for r in self.rows)

    @property
    def total(self) -> int:
        """Number of registered exercises."""
        return sum(r["total"] for r in self.rows)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form of the report."""
        return {"done": self.done, "total": self.total, "lessons": self.rows,
                "notes": self.notes}

    @staticmethod
    def _state(ex: dict[str, Any]) -> str:
        attempts = ex["attempts"]
        counted = f"{attempts} attempt{'s' if attempts != 1 else ''}"
        if ex["status"] == PASSED:
            last = ex["last_status"]
            extra = "" if last in (PASSED, None) else f"; last check: {last}"
            return f"done ({counted}{extra})"
        if ex["status"] == NOT_ATTEMPTED:
            return "not attempted yet"
        return f"{ex['status']} ({counted})"

    def __repr__(self) -> str:
        lines = [f"Your progress: {self.done} of {self.total} exercises done"]
        for row in self.rows:
            lines.append("")
            lines.append(f"{row['lesson']} · {row['title']}: {row['done']}/{row['total']} done")
            width = max(len(e["id"]) for e in row["exercises"])
            for ex in row["exercises"]:
                icon = _ICON.get(ex["status"], "?")
                lines.append(f"  {icon} {ex['id'].ljust(width)}  {self._state(ex)}")
            remaining = ", ".join(row["remaining"]) or "nothing, lesson complete"
            lines.append(f"  Remaining: {remaining}")
        for note in self.notes:
            lines += ["", f"Note: {note}"]
        return "\n".join(lines)

    __str__ = __repr__

    def _repr_html_(self) -> str:
        esc = html.escape
        parts = [
            '<div class="bpl-progress">',
            f"<strong>Your progress: {self.done} of {self.total} exercises done</strong>",
        ]
        for row in self.rows:
            parts.append(
                f"<h4>{esc(row['lesson'])} · {esc(row['title'])}: "
                f"{row['done']}/{row['total']} done</h4>"
            )
            parts.append("<table><thead><tr><th>Exercise</th><th>State</th></tr></thead><tbody>")
            for ex in row["exercises"]:
                icon = _ICON.get(ex["status"], "?")
                parts.append(
                    f"<tr><td>{icon} <code>{esc(ex['id'])}</code></td>"
                    f"<td>{esc(self._state(ex))}</td></tr>"
                )
            remaining = ", ".join(row["remaining"]) or "nothing, lesson complete"
            parts.append(f"</tbody></table><p>Remaining: {esc(remaining)}</p>")
        parts += [f"<p><em>Note: {esc(note)}</em></p>" for note in self.notes]
        parts.append("</div>")
        return "".join(parts)


def progress() -> ProgressReport:
    """Your progress, lesson by lesson (renders as a table in Jupyter, as text elsewhere).
    Never raises: a store that cannot be read is said so in the report's notes."""
    from .registry import lessons

    try:
        data = _load_current()["exercises"]
    except BaseException as exc:  # noqa: BLE001
        _note(f"Your progress could not be read ({_reason(exc)}).")
        data = {}
    rows = []
    for key, lesson in lessons().items():
        exercises = []
        for ex in lesson.exercises:
            entry = data.get(ex.id, {})
            if not isinstance(entry, dict):
                entry = {}
            exercises.append(
                {
                    "id": ex.id,
                    "status": entry.get("status", NOT_ATTEMPTED),
                    "last_status": entry.get("last_status"),
                    "attempts": int(entry.get("attempts", 0)),
                    "first_passed": entry.get("first_passed"),
                }
            )
        done = sum(e["status"] == PASSED for e in exercises)
        rows.append(
            {
                "lesson": key,
                "title": lesson.title,
                "done": done,
                "total": len(exercises),
                "remaining": [e["id"] for e in exercises if e["status"] != PASSED],
                "exercises": exercises,
            }
        )
    return ProgressReport(rows, notes())


def _reset() -> str:
    flush()
    store = current_store()
    if not os.path.lexists(store.path):
        return "Nothing to reset: no progress file yet."
    n = 1
    while os.path.lexists(aside := store.path.with_name(f"{FILE_NAME}.reset-{n}")):
        n += 1
    try:
        os.replace(store.path, aside)
    except OSError as exc:
        return f"Could not reset: {store.path} could not be moved aside ({_reason(exc)})."
    return f"Progress reset. Your previous progress is kept in {aside}"


def cli_main(argv: list[str]) -> int:
    """``backprop-lessons progress [--json] [--where] [--reset]``: print the progress table."""
    parser = argparse.ArgumentParser(
        prog="backprop-lessons progress",
        description="Show which exercises you have done, lesson by lesson.",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--where", action="store_true", help="print the location of the progress file"
    )
    parser.add_argument(
        "--reset", action="store_true",
        help="start afresh: the current file is kept aside as progress.json.reset-N",
    )
    args = parser.parse_args(argv)
    try:
        if args.reset:
            print(_reset())
            return 0
        if args.where:
            print(current_store().path)
            return 0
        report = progress()
        if args.json:
            print(json.dumps(report.as_dict(), indent=2))
        else:
            print(report)
    except BrokenPipeError:
        raise
    except Exception as exc:  # noqa: BLE001 - the CLI never shows a traceback
        print(f"backprop-lessons progress: {_reason(exc)}", file=sys.stderr)
        return 1
    return 0
