"""The learner's workspace (`backprop-lessons start`) and the wheel that carries the lessons."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import nbformat
import pytest

from backprop_lessons.catalog import LESSONS
from backprop_lessons.tools import cli, workspace

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def _figure_refs(nb) -> list[str]:
    """The attachment names the markdown cells show, each checked to be embedded."""
    import re

    names = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for name in re.findall(r"\(attachment:([^)\s]+)\)", cell.source):
            data = cell.get("attachments", {}).get(name, {}).get("image/png")
            assert data, f"{name} is shown but not attached"
            names.append(name)
    return names


def _tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return h.hexdigest()


def _edit(path: Path, text: str) -> None:
    nb = nbformat.read(path, as_version=4)
    stub = next(c for c in nb.cells
                if any(t.startswith("exercise:") for t in c.metadata.get("tags", [])))
    stub.source = text
    nbformat.write(nb, path)


def _run_outputs(path: Path) -> None:
    """What running a lesson changes: outputs and counts, not a cell's source."""
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        cell.execution_count = 100 + i
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"ran {i}\n")]
    nb.metadata["widgets"] = {}
    nbformat.write(nb, path)


def test_start_copies_every_lesson_with_its_figures(tmp_path, capsys):
    ws = tmp_path / "ws"
    assert cli.main(["start", str(ws), "--no-open"]) == 0
    out = capsys.readouterr().out
    assert f"copied {len(LESSONS)} lesson(s)" in out
    names = sorted(p.name for p in ws.glob("[0-9][0-9]_*.ipynb"))
    assert names == [x.notebook for x in LESSONS]
    assert (ws / "LICENSE").read_text().startswith("MIT License")
    manifest = json.loads((ws / workspace.MANIFEST).read_text())
    assert sorted(manifest["files"]) == names
    shown = [n for name in names for n in _figure_refs(nbformat.read(ws / name, as_version=4))]
    assert len(shown) >= 9 and "backprop_overview-light.png" in shown
    assert cli.main(["start", str(ws), "--no-open"]) == 0
    assert f"{len(LESSONS)} lesson(s) already up to date" in capsys.readouterr().out


def _ship(folder: Path, version_note: str, extra: str | None = None) -> Path:
    """A stand-in for a release's lessons: three real lessons, their markdown tagged."""
    folder.mkdir(parents=True, exist_ok=True)
    for key in ("01_slopes", "02_chain_rule", "03_one_neuron"):
        nb = nbformat.read(NOTEBOOKS / f"{key}.ipynb", as_version=4)
        nb.cells[0].source += f"\n\n({version_note})"
        nbformat.write(nb, folder / f"{key}.ipynb")
    if extra:
        shutil.copyfile(NOTEBOOKS / f"{extra}.ipynb", folder / f"{extra}.ipynb")
    return folder


def test_upgrade_keeps_edits_refreshes_the_rest_and_says_where_the_new_one_went(tmp_path):
    ws = tmp_path / "ws"
    before = _tree_digest(NOTEBOOKS)
    first = workspace.sync(ws, source=_ship(tmp_path / "v1", "release 1"))
    assert sorted(first.copied) == ["01_slopes.ipynb", "02_chain_rule.ipynb",
                                    "03_one_neuron.ipynb"]
    _edit(ws / "01_slopes.ipynb", "def numerical_slope(f, W, h=1e-5):\n    return 42.0")
    edited = (ws / "01_slopes.ipynb").read_bytes()
    _run_outputs(ws / "02_chain_rule.ipynb")  # run, not edited

    same = workspace.sync(ws, source=tmp_path / "v1")  # no new release: nothing written
    assert same.kept == [("01_slopes.ipynb", None)] and not same.refreshed
    assert not list(ws.glob("*.new-v*.ipynb"))

    second = workspace.sync(ws, source=_ship(tmp_path / "v2", "release 2",
                                             extra="04_forward_pass"))
    assert second.copied == ["04_forward_pass.ipynb"]
    assert sorted(second.refreshed) == ["02_chain_rule.ipynb", "03_one_neuron.ipynb"]
    beside = f"01_slopes.new-v{workspace.__version__}.ipynb"
    assert second.kept == [("01_slopes.ipynb", beside)]
    assert (ws / "01_slopes.ipynb").read_bytes() == edited, "the learner's edit was overwritten"
    assert "(release 2)" in nbformat.read(ws / beside, as_version=4).cells[0].source
    assert "(release 2)" in nbformat.read(ws / "02_chain_rule.ipynb", as_version=4).cells[0].source
    lines = "\n".join(second.lines(ws))
    assert f"kept your edited 01_slopes.ipynb; its new version is beside it: {beside}" in lines
    assert "refreshed 2 lesson(s) you had not edited" in lines

    third = workspace.sync(ws, source=tmp_path / "v2")  # the note is not repeated
    assert third.kept == [("01_slopes.ipynb", None)]
    assert _tree_digest(NOTEBOOKS) == before, "the repository's lessons changed"


def test_a_deleted_lesson_comes_back_and_a_foreign_file_is_kept(tmp_path):
    ws = tmp_path / "ws"
    src = _ship(tmp_path / "v1", "release 1")
    workspace.sync(ws, source=src)
    (ws / "02_chain_rule.ipynb").unlink()
    (ws / "03_one_neuron.ipynb").write_text("my notes, not a notebook")
    report = workspace.sync(ws, source=src)
    assert report.copied == ["02_chain_rule.ipynb"]
    assert [k for k, _ in report.kept] == ["03_one_neuron.ipynb"]
    assert (ws / "03_one_neuron.ipynb").read_text() == "my notes, not a notebook"


def test_running_a_lesson_is_not_editing_it():
    nb = (NOTEBOOKS / "01_slopes.ipynb").read_bytes()
    parsed = json.loads(nb)
    parsed["cells"][1]["outputs"] = []
    parsed["metadata"]["kernelspec"]["display_name"] = "Other"
    assert workspace.content_hash(json.dumps(parsed).encode()) == workspace.content_hash(nb)
    parsed["cells"][1]["source"] = "x = 1"
    assert workspace.content_hash(json.dumps(parsed).encode()) != workspace.content_hash(nb)


def test_start_refuses_a_folder_inside_the_repository(capsys):
    with pytest.raises(SystemExit) as exc:
        workspace.cli_main([str(NOTEBOOKS), "--no-open"])
    assert "inside the course's repository" in str(exc.value)
    assert str(workspace.DEFAULT_DIR) in str(exc.value)
    assert not (NOTEBOOKS / workspace.MANIFEST).exists()


def test_default_workspace_is_outside_the_repository():
    default = workspace.DEFAULT_DIR.expanduser().resolve()
    assert ROOT.resolve() not in [default, *default.parents]
    assert default.name == "backprop-lessons-workspace"


def test_jupyterlab_command_serves_the_workspace_and_opens_lesson_00(tmp_path):
    workspace.sync(tmp_path)
    cmd = workspace.jupyter_command(tmp_path, ["--port", "8899"])
    assert cmd[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={tmp_path}" in cmd
    assert cmd[-1] == "00_start_here.ipynb" and "--port" in cmd
    assert ("--allow-root" in cmd) == (hasattr(os, "geteuid") and os.geteuid() == 0)


def test_maintainer_commands_say_they_need_a_clone(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(workspace, "clone_root", lambda: None)
    assert cli.main(["build-notebooks"]) == 2
    err = capsys.readouterr().err
    assert "maintainer command" in err and "clone" in err and "backprop-lessons start" in err
    assert cli.main(["figures"]) == 2
    assert "figures is a maintainer command" in capsys.readouterr().err
    assert cli._needs_clone_message("figures", ["--out", str(tmp_path)]) is None
    assert cli._needs_clone_message("progress", []) is None


def _clean_copy(dest: Path) -> Path:
    """The files a fresh clone has: git's tracked and not-ignored files of this tree."""
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    for name in filter(None, files):
        src = ROOT / name.decode()
        if src.is_file():
            (dest / name.decode()).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name.decode())
    return dest


@pytest.mark.slow
def test_wheel_carries_the_lessons_into_a_fresh_venv(tmp_path):
    """Build a wheel from a clean copy, install it in a fresh venv with no clone, and start
    a workspace from it: 10 lessons, their figures embedded, the LICENSE."""
    if shutil.which("git") is None:
        pytest.skip("git is needed to list a clean clone's files")
    src = _clean_copy(tmp_path / "clone")
    dist = tmp_path / "dist"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist),
                    str(src)], check=True, env=env, timeout=600)
    wheel = next(dist.glob("backprop_lessons-*.whl"))
    shutil.rmtree(src)  # no clone from here on
    venv.create(tmp_path / "venv", with_pip=True)
    bindir = tmp_path / "venv" / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, env=env,
                   timeout=900, cwd=tmp_path)
    ws = tmp_path / "ws"
    run = subprocess.run([str(bindir / "backprop-lessons"), "start", str(ws), "--no-open"],
                         capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    assert f"copied {len(LESSONS)} lesson(s)" in run.stdout
    names = sorted(p.name for p in ws.glob("[0-9][0-9]_*.ipynb"))
    assert names == [x.notebook for x in LESSONS]
    for name in names:  # the very files of the repository, figures inside
        assert (ws / name).read_bytes() == (NOTEBOOKS / name).read_bytes()
    shown = [n for name in names for n in _figure_refs(nbformat.read(ws / name, as_version=4))]
    assert len(shown) >= 9
    assert (ws / "LICENSE").read_text().startswith("MIT License")
    build = subprocess.run([str(bindir / "backprop-lessons"), "build-notebooks"],
                           capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert build.returncode == 2 and "maintainer command" in build.stderr
    site = subprocess.run([str(python), "-c", "import backprop_lessons, pathlib; "
                           "print(pathlib.Path(backprop_lessons.__file__).parents[1])"],
                          capture_output=True, text=True, env=env, cwd=tmp_path, check=True)
    assert not (Path(site.stdout.strip()) / "notebooks").exists()
