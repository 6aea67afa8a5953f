"""How a worker runs: its own folders, a clean environment, ``python -I -S``, inside
bubblewrap when it works here, a wall-clock limit, and nothing left behind.

Sandboxed (``bwrap``): the whole filesystem read-only, a fresh ``/tmp``, the submissions
folder and the other workers' folders hidden, only the worker's own folder writable, no
network, its own PID namespace (every process it starts dies with it), no capabilities.
Unsandboxed: the same folders, environment and limits, and clean-up by process group,
by a subreaper in the worker and by a token in the environment of everything it starts.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import threading
import time
from functools import lru_cache
from pathlib import Path

__all__ = ["WORKER", "PACKAGE_PARENT", "bwrap_available", "import_paths", "worker_env",
           "command", "run_worker", "kill_all", "sweep", "live_count"]

WORKER = Path(__file__).with_name("worker.py")
PACKAGE_PARENT = Path(__file__).resolve().parents[3]

_live: set[subprocess.Popen] = set()
_lock = threading.Lock()


@lru_cache(maxsize=1)
def bwrap_available() -> bool:
    """True when ``bwrap`` exists and can make the sandbox here (not in every container)."""
    exe = shutil.which("bwrap")
    if exe is None or not sys.platform.startswith("linux"):
        return False
    try:
        done = subprocess.run([exe, *_bwrap_base(), "--", "/bin/true"], capture_output=True,
                              timeout=20)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def _bwrap_base() -> list[str]:
    return ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
            "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
            "--die-with-parent", "--new-session", "--cap-drop", "ALL"]


def import_paths() -> list[str]:
    """What the worker puts on sys.path: this package's parent, then site-packages (no
    ``.pth`` file is read: ``-S``)."""
    paths = [str(PACKAGE_PARENT)]
    for key in ("purelib", "platlib"):
        p = sysconfig.get_paths().get(key)
        if p and p not in paths:
            paths.append(p)
    return paths


def _essentials() -> list[Path]:
    return [Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.executable,
                                        PACKAGE_PARENT, *import_paths())]


def _reexposed() -> list[str]:
    """``--ro-bind`` arguments for what the worker needs that the fresh ``/tmp`` would hide:
    Python, its site-packages and this package, when they live under ``/tmp`` (a clone or a
    virtual environment there, as in a CI run)."""
    tmp = Path("/tmp")
    paths: list[str] = []
    for e in [*map(Path, (sys.prefix, sys.base_prefix, PACKAGE_PARENT, *import_paths())),
              *_essentials()]:
        if (e == tmp or tmp in e.parents) and e.exists() and str(e) not in paths:
            paths.append(str(e))
    args: list[str] = []
    for path in sorted(paths, key=len):  # a folder before what it holds
        args += ["--ro-bind", path, path]
    return args


def can_hide(folder: Path) -> bool:
    """Can ``folder`` be hidden from the workers without hiding Python or this package?"""
    folder = folder.resolve()
    if folder == Path(folder.anchor):
        return False
    return not any(e == folder or folder in e.parents for e in _essentials())


def worker_env(work: Path, token: str) -> dict[str, str]:
    """A small environment: own HOME/TMPDIR/progress folder, no PYTHONPATH, one thread."""
    python_dir = str(Path(sys.executable).parent)
    return {
        "PATH": f"{python_dir}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(work / "home"),
        "TMPDIR": str(work / "tmp"),
        "BACKPROP_LESSONS_HOME": str(work / "progress"),
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": str(work / "home" / ".matplotlib"),
        "IPYTHONDIR": str(work / "home" / ".ipython"),
        "JUPYTER_CONFIG_DIR": str(work / "home" / ".jupyter"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "BACKPROP_LESSONS_GRADE_TOKEN": token,
    }


def command(box: Path, config: Path, sandboxed: bool, hide: list[Path]) -> list[str]:
    """The worker's command line (bwrap first when sandboxed): ``box`` is the one folder
    it may write."""
    cmd = [sys.executable, "-I", "-S", str(WORKER), str(config)]
    if not sandboxed:
        return cmd
    args = ["bwrap", *_bwrap_base(), *_reexposed()]
    for h in hide:
        args += ["--tmpfs", str(h)]
    args += ["--bind", str(box), str(box), "--chdir", str(box / "nb"), "--"]
    return args + cmd


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, OSError):
        pass


def sweep(token: str) -> int:
    """SIGKILL every process whose environment holds ``token``; how many were found."""
    if not token or not os.path.isdir("/proc"):
        return 0
    needle = f"BACKPROP_LESSONS_GRADE_TOKEN={token}".encode()
    killed = 0
    for _ in range(20):
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit() or int(entry) == os.getpid():
                continue
            try:
                with open(f"/proc/{entry}/environ", "rb") as fh:
                    if needle in fh.read():
                        found.append(int(entry))
            except OSError:
                continue
        if not found:
            break
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
                killed += 1
            except OSError:
                pass
        time.sleep(0.02)
    return killed


def run_worker(work: Path, box: Path, config: Path, token: str, limit: float,
               sandboxed: bool, hide: list[Path]) -> tuple[int, bool]:
    """Run one worker to its end or to ``limit`` seconds; ``(exit code, timed out)``.
    Its output goes to ``work/worker.log``, outside ``box`` (the folder it may write).
    Its process group is killed, then everything carrying its token."""
    env = worker_env(box, token)
    log_path = work / "worker.log"
    if log_path.is_symlink():
        log_path.unlink()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(command(box, config, sandboxed, hide), cwd=box / "nb",
                                env=env, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
    with _lock:
        _live.add(proc)
    timed_out = False
    try:
        try:
            code = proc.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill_group(proc)
            code = proc.wait()
    finally:
        _kill_group(proc)
        sweep(token)
        with _lock:
            _live.discard(proc)
    return code, timed_out


def kill_all() -> None:
    """Kill every running worker (Ctrl-C of the grader)."""
    with _lock:
        procs = list(_live)
    for proc in procs:
        _kill_group(proc)


def live_count() -> int:
    with _lock:
        return len(_live)
