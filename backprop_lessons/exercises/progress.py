"""The learner's progress: one JSON file per learner, written atomically under a file lock.

Location: ``$BACKPROP_LESSONS_HOME`` (a folder) if set, else the user's data folder:
``$XDG_DATA_HOME/backprop-lessons`` or ``~/.local/share/backprop-lessons`` (Linux),
``~/Library/Application Support/backprop-lessons`` (macOS), ``%APPDATA%\\backprop-lessons``
(Windows). The file is ``progress.json``::

    {"version": 1, "exercises": {id: {"lesson": ..., "status": ..., "attempts": int,
                                      "first_passed": ISO-8601 UTC or null,
                                      "last_status": ...}}}

``status`` is ``"passed"`` once any check passed (a later failure shows in ``last_status``);
``attempts`` counts checks that ran the learner's code (not "not attempted"). A corrupt file
is set aside as ``progress.json.corrupt-N`` with a warning; an unwritable folder falls back to
memory with a warning. Nothing here raises into a notebook.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as _dt
import html
import json
import os
import sys
import tempfile
import warnings
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
    "progress",
    "cli_main",
]

ENV_VAR = "BACKPROP_LESSONS_HOME"
FILE_NAME = "progress.json"
SCHEMA_VERSION = 1
APP = "backprop-lessons"


class ProgressWarning(UserWarning):
    """The progress file could not be read or written; what happened and where instead."""


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


def _apply(data: dict[str, Any], exercise_id: str, lesson: str, status: str) -> None:
    """Record one check outcome into ``data`` (the merge rule of the store)."""
    entry = data["exercises"].setdefault(
        exercise_id,
        {"lesson": lesson, "status": status, "attempts": 0, "first_passed": None},
    )
    entry["lesson"] = lesson
    if status != NOT_ATTEMPTED:
        entry["attempts"] = int(entry.get("attempts", 0)) + 1
    if status == PASSED and not entry.get("first_passed"):
        entry["first_passed"] = _now()
    entry.setdefault("first_passed", None)
    entry["last_status"] = status
    entry["status"] = PASSED if entry["first_passed"] else status


class MemoryStore:
    """Progress kept in memory only (when the folder cannot be written)."""

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
    def _locked(self) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.lock_path, "a+b") as lock_file:
            fd = lock_file.fileno()
            try:
                import fcntl
            except ImportError:  # Windows
                fcntl = None  # type: ignore[assignment]
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(fd, fcntl.LOCK_UN)
                return
            try:
                import msvcrt
            except ImportError:  # pragma: no cover - neither: no lock
                yield
                return
            lock_file.seek(0)
            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # pragma: no cover - Windows only
            try:  # pragma: no cover
                yield
            finally:  # pragma: no cover
                lock_file.seek(0)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

    def _read(self) -> dict[str, Any]:
        """The data on disk; a corrupt file is renamed aside (with a warning). Call locked."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return _empty()
        try:
            data = json.loads(text)
            problem = "" if _valid(data) else "it does not hold the expected fields"
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            problem = f"it is not valid JSON ({exc.msg if hasattr(exc, 'msg') else exc})"
        if not problem:
            return data
        n = 1
        while (aside := self.path.with_name(f"{FILE_NAME}.corrupt-{n}")).exists():
            n += 1
        os.replace(self.path, aside)
        warnings.warn(
            ProgressWarning(
                f"Your progress file {self.path} could not be read: {problem}. It was kept as "
                f"{aside.name} and a fresh progress file was started."
            ),
            stacklevel=4,
        )
        return _empty()

    def _write(self, data: dict[str, Any]) -> None:
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
        if not self.path.exists():
            return _empty()
        with self._locked():
            return self._read()

    def record(self, exercise_id: str, lesson: str, status: str) -> None:
        """Record one check outcome (atomic; safe with several kernels at once)."""
        with self._locked():
            data = self._read()
            _apply(data, exercise_id, lesson, status)
            self._write(data)


_fallbacks: dict[Path, MemoryStore] = {}


def current_store() -> ProgressStore | MemoryStore:
    """The store of the current location (``BACKPROP_LESSONS_HOME`` is read on every call)."""
    folder = data_dir()
    return _fallbacks.get(folder) or ProgressStore(folder)


def _fall_back(store: ProgressStore, exc: OSError) -> MemoryStore:
    data = None
    with contextlib.suppress(Exception):
        data = json.loads(store.path.read_text(encoding="utf-8"))
    memory = MemoryStore(data)
    _fallbacks[store.folder] = memory
    warnings.warn(
        ProgressWarning(
            f"Cannot save your progress in {store.folder} ({type(exc).__name__}: "
            f"{exc.strerror or exc}). It is kept in memory for this session only; set "
            f"{ENV_VAR} to a folder you can write to keep it."
        ),
        stacklevel=3,
    )
    return memory


def record(exercise_id: str, lesson: str, status: str) -> None:
    """Record one check outcome in the current store; never raises."""
    store = current_store()
    if isinstance(store, ProgressStore):
        try:
            store.record(exercise_id, lesson, status)
            return
        except OSError as exc:
            store = _fall_back(store, exc)
    store.record(exercise_id, lesson, status)


def _load_current() -> dict[str, Any]:
    store = current_store()
    if isinstance(store, ProgressStore):
        try:
            return store.load()
        except OSError as exc:
            store = _fall_back(store, exc)
    return store.load()


_ICON = {PASSED: "✓", "failed": "✗", "error": "⚠", NOT_ATTEMPTED: "○"}


class ProgressReport:
    """Progress per lesson: done / total, each exercise's state, what remains."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows

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
        return {"done": self.done, "total": self.total, "lessons": self.rows}

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
        parts.append("</div>")
        return "".join(parts)


def progress() -> ProgressReport:
    """Your progress, lesson by lesson (renders as a table in Jupyter, as text elsewhere)."""
    from .registry import lessons

    data = _load_current()["exercises"]
    rows = []
    for key, lesson in lessons().items():
        exercises = []
        for ex in lesson.exercises:
            entry = data.get(ex.id, {})
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
    return ProgressReport(rows)


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
    if args.reset:
        store = current_store()
        if store.path is None or not store.path.exists():
            print("Nothing to reset: no progress file yet.")
            return 0
        n = 1
        while (aside := store.path.with_name(f"{FILE_NAME}.reset-{n}")).exists():
            n += 1
        os.replace(store.path, aside)
        print(f"Progress reset. Your previous progress is kept in {aside}")
        return 0
    if args.where:
        print(current_store().path or "(in memory)")
        return 0
    report = progress()
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print(report)
    return 0
