"""The learner's workspace: ``backprop-lessons start [DIR] [--no-open]``.

The lessons a learner opens are copies in a folder of their own, never the repository's
``notebooks/`` (the files the project's tests guard and ``git pull`` updates). ``start``
copies the shipped lessons into the workspace and opens JupyterLab there.

Where the shipped lessons come from: ``backprop_lessons/_lessons/`` in an installed wheel
(the build puts the notebooks and the LICENSE there), else ``notebooks/`` of the clone
the package runs from.

Upgrades: the workspace keeps a manifest (:data:`MANIFEST`) of what each lesson was when
it was copied, as a hash of its cells' types and sources (what a learner edits; running a
lesson changes its outputs, not its sources). Running ``start`` again

- copies a lesson that is not there yet (a new lesson, or one the learner deleted);
- refreshes a lesson whose cells are still the ones copied, when the shipped one changed;
- never overwrites a lesson whose cells the learner changed: the new version goes beside
  it as ``NN_name.new-vX.Y.Z.ipynb``, and the command says so.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__

__all__ = [
    "DEFAULT_DIR", "MANIFEST", "PACKAGED_LESSONS", "REPO_ROOT", "clone_root", "lessons_dir",
    "lesson_files", "content_hash", "Report", "sync", "jupyter_command", "cli_main",
]

PACKAGE_DIR = Path(__file__).resolve().parents[1]
PACKAGED_LESSONS = PACKAGE_DIR / "_lessons"
REPO_ROOT = PACKAGE_DIR.parent
# Outside any clone (a clone named backprop-lessons in the home folder is common), the
# same folder whichever directory the command runs from.
DEFAULT_DIR = Path("~") / "backprop-lessons-workspace"
MANIFEST = ".backprop-lessons-manifest.json"
LESSON_GLOB = "[0-9][0-9]_*.ipynb"


def clone_root() -> Path | None:
    """The repository the package runs from (a clone with ``notebooks/src``), or None for
    an installed package."""
    if (REPO_ROOT / "pyproject.toml").is_file() and (REPO_ROOT / "notebooks" / "src").is_dir():
        return REPO_ROOT
    return None


def lessons_dir() -> Path:
    """The folder of the shipped lessons: the wheel's ``_lessons`` or the clone's
    ``notebooks``."""
    if any(PACKAGED_LESSONS.glob(LESSON_GLOB)):
        return PACKAGED_LESSONS
    root = clone_root()
    if root is not None and any((root / "notebooks").glob(LESSON_GLOB)):
        return root / "notebooks"
    raise FileNotFoundError(
        f"no lessons found: neither {PACKAGED_LESSONS} (an installed wheel) nor "
        f"{REPO_ROOT / 'notebooks'} (a clone) holds {LESSON_GLOB}; reinstall backprop-lessons")


def lesson_files(folder: Path | None = None) -> list[Path]:
    """The shipped lesson notebooks, in order."""
    return sorted((folder or lessons_dir()).glob(LESSON_GLOB))


def content_hash(data: bytes) -> str:
    """A hash of what a learner edits in a notebook: each cell's type and source, in
    order. Outputs, execution counts and metadata (which running or saving a lesson
    changes) do not count. A file that is not a notebook hashes its bytes."""
    try:
        nb = json.loads(data)
        cells = [[c.get("cell_type"), "".join(c.get("source", ""))] for c in nb["cells"]]
    except (ValueError, KeyError, TypeError, AttributeError):
        return "bytes:" + hashlib.sha256(data).hexdigest()
    text = json.dumps(cells, ensure_ascii=False, separators=(",", ":"))
    return "cells:" + hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Report:
    """What :func:`sync` did, file names by outcome."""

    copied: list[str] = field(default_factory=list)
    refreshed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[tuple[str, str | None]] = field(default_factory=list)  # (edited, new beside)

    def lines(self, workspace: Path) -> list[str]:
        out = [f"workspace: {workspace}"]
        if self.copied:
            out.append(f"copied {len(self.copied)} lesson(s): {', '.join(self.copied)}")
        if self.refreshed:
            out.append(f"refreshed {len(self.refreshed)} lesson(s) you had not edited: "
                       f"{', '.join(self.refreshed)}")
        if self.unchanged:
            out.append(f"{len(self.unchanged)} lesson(s) already up to date")
        edited_only = [edited for edited, beside in self.kept if beside is None]
        if edited_only:
            out.append(f"kept {len(edited_only)} lesson(s) you edited: {', '.join(edited_only)}")
        for edited, beside in self.kept:
            if beside:
                out.append(f"kept your edited {edited}; its new version is beside it: {beside}")
        return out


def _read_manifest(workspace: Path) -> dict:
    path = workspace / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data.get("files"), dict) else {"files": {}}
    except (OSError, ValueError, AttributeError):
        return {"files": {}}


def _write_manifest(workspace: Path, files: dict) -> None:
    data = {"about": "what backprop-lessons start copied here (do not edit)",
            "version": __version__, "files": dict(sorted(files.items()))}
    (workspace / MANIFEST).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def _check_outside_clone(workspace: Path) -> None:
    root = clone_root()
    if root is None:
        return
    resolved, root = workspace.resolve(), root.resolve()
    if resolved == root or root in resolved.parents:
        raise SystemExit(
            f"backprop-lessons start: the workspace {workspace} is inside the course's "
            f"repository ({root}). Pick a folder outside it (the default is {DEFAULT_DIR}), "
            "so that your work never meets the project's tests or a git pull.")


def sync(workspace: str | os.PathLike, source: Path | None = None) -> Report:
    """Copy the shipped lessons into ``workspace`` (created if needed) as described in the
    module docstring; returns what happened. LICENSE is copied beside the lessons."""
    workspace = Path(workspace).expanduser()
    _check_outside_clone(workspace)
    source = source or lessons_dir()
    workspace.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(workspace)["files"]
    report = Report()
    for shipped in lesson_files(source):
        name = shipped.name
        data = shipped.read_bytes()
        new_hash = content_hash(data)
        target = workspace / name
        if not target.exists():
            target.write_bytes(data)
            manifest[name] = new_hash
            report.copied.append(name)
            continue
        current = content_hash(target.read_bytes())
        if current == new_hash:
            manifest[name] = new_hash
            report.unchanged.append(name)
        elif current == manifest.get(name):  # still what was copied: not edited
            target.write_bytes(data)
            manifest[name] = new_hash
            report.refreshed.append(name)
        elif manifest.get(name) == new_hash:  # edited, and no newer version shipped
            report.kept.append((name, None))
        else:  # edited by the learner (or put there by them): keep it, new one beside
            beside = workspace / f"{shipped.stem}.new-v{__version__}.ipynb"
            beside.write_bytes(data)
            manifest[name] = new_hash
            report.kept.append((name, beside.name))
    license_file = source / "LICENSE"
    if not license_file.is_file() and clone_root() is not None:
        license_file = REPO_ROOT / "LICENSE"
    if license_file.is_file():
        shutil.copyfile(license_file, workspace / "LICENSE")
    _write_manifest(workspace, manifest)
    return report


def jupyter_command(workspace: Path, extra: list[str]) -> list[str]:
    """The JupyterLab command that serves ``workspace`` and opens lesson 00 (as root,
    with ``--allow-root``, which JupyterLab refuses to start without)."""
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={workspace}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in extra:
        cmd.append("--allow-root")
    first = lesson_files(workspace)
    return cmd + list(extra) + ([first[0].name] if first else [])


def cli_main(argv: list[str]) -> int:
    """``backprop-lessons start [DIR] [--no-open] [JUPYTERLAB OPTIONS]``."""
    parser = argparse.ArgumentParser(
        prog="backprop-lessons start",
        description="Copy the lessons into a workspace of your own and open it in JupyterLab. "
                    "Run it again after an upgrade: new lessons are added, lessons you never "
                    "edited are refreshed, and an edited lesson is kept, its new version "
                    "written beside it. Options it does not know go to JupyterLab "
                    "(e.g. --port 8899).")
    parser.add_argument("dir", nargs="?", default=str(DEFAULT_DIR),
                        help=f"the workspace folder (default: {DEFAULT_DIR})")
    parser.add_argument("--no-open", action="store_true",
                        help="only copy the lessons; do not start JupyterLab")
    args, extra = parser.parse_known_args(argv)
    workspace = Path(args.dir).expanduser().absolute()
    try:
        report = sync(workspace)
    except FileNotFoundError as exc:
        print(f"backprop-lessons start: {exc}", file=sys.stderr)
        return 1
    print("\n".join(report.lines(workspace)))
    if args.no_open:
        return 0
    import importlib.util

    if importlib.util.find_spec("jupyterlab") is None:
        print("JupyterLab is not installed here. Install it with "
              "`python -m pip install \"backprop-lessons[lab]\"` (or `jupyterlab`) and run "
              f"this again, or open {workspace} in the Jupyter you use (VS Code, JupyterHub).",
              file=sys.stderr)
        return 1
    cmd = jupyter_command(workspace, extra)
    print("starting JupyterLab:", " ".join(cmd), file=sys.stderr)
    sys.stdout.flush()  # the report before JupyterLab's log, also when piped
    try:
        return subprocess.call(cmd, cwd=workspace)
    except KeyboardInterrupt:
        return 0
