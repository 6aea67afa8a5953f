"""Authoring and running the lesson notebooks (a build script over nbformat).

A lesson's source is ``notebooks/src/NN_name.py``: a Python module whose ``CELLS`` list
is made of :func:`md`, :func:`code`, :func:`setup` and :func:`exercise` cells.
``backprop-lessons build-notebooks`` turns each source into ``notebooks/NN_name.ipynb``
and executes it top to bottom in a fresh kernel, so outputs are real and execution
counts run 1..n. An exercise cell is tagged ``exercise:<id>`` and ships as the stub the
exercise spec generates; :func:`solve` swaps in the teaching-form solutions (the solved
run of the tests and of an instructor's key).

nbformat and nbclient are imported when used, never by ``import backprop_lessons``.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__

__all__ = [
    "Cell", "md", "code", "setup", "exercise", "lesson_map", "EXERCISE_TAG", "load_source",
    "build", "attach_figures", "execute", "coalesce_streams", "solve", "exercise_ids", "cli_main",
]

EXERCISE_TAG = "exercise:"
REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO_ROOT / "notebooks"


@dataclass(frozen=True)
class Cell:
    """One notebook cell before it becomes nbformat: kind, source, tags."""

    kind: str  # "markdown" or "code"
    source: str
    tags: tuple[str, ...] = field(default_factory=tuple)


def _clean(text: str) -> str:
    import textwrap

    return textwrap.dedent(text).strip("\n")


def md(text: str) -> Cell:
    """A markdown cell (dedented)."""
    return Cell("markdown", _clean(text))


def code(text: str, *tags: str) -> Cell:
    """A code cell (dedented), with optional metadata tags."""
    return Cell("code", _clean(text), tuple(tags))


# The package is not on the package index yet: on Colab the setup cell says what to do
# instead of trying an install that cannot work. Set True once `pip install
# backprop-lessons` installs this release.
PUBLISHED = False


def setup(exercises_module: str | None, imports: str = "") -> Cell:
    """The first code cell of every lesson: the Colab branch, imports, version stamp.

    ``exercises_module`` is e.g. ``"lesson_01"`` (imported as ``ex``) or None. On Colab the
    cell installs the package when it is published (:data:`PUBLISHED`) and, until then,
    stops with a message that says how to run the course instead.
    """
    lines = ["# Setup: run this cell first.", "import sys", ""]
    if PUBLISHED:
        lines += [
            'if "google.colab" in sys.modules:  # on Colab, install the course package first',
            "    import subprocess",
            '    subprocess.run([sys.executable, "-m", "pip", "install", "-q",',
            f'                    "backprop-lessons=={__version__}"], check=True)',
        ]
    else:
        lines += [
            'if "google.colab" in sys.modules:  # the package is not on the package index yet',
            "    raise RuntimeError(",
            '        "backprop-lessons is not on the package index yet, so Colab cannot "',
            '        "install it. Run the course on your own machine: the README\'s first "',
            '        "command installs it and opens your workspace.")',
        ]
    lines += [
        "",
        "import numpy as np  # noqa: F401 - for your own cells",
        "",
        "import backprop_lessons as bl  # noqa: F401 - bl.__version__ is the installed version",
        "from backprop_lessons.exercises import progress, written_for  # noqa: F401 - progress()",
    ]
    if exercises_module:
        lines.append(f"from backprop_lessons.exercises import {exercises_module} as ex")
    if imports.strip():
        lines.extend(_clean(imports).splitlines())
    lines += ["", f'written_for("{__version__}")  # warns if your installed package differs']
    return Cell("code", "\n".join(lines), ("setup",))


def exercise(exercise_id: str, intro: str | None = None) -> list[Cell]:
    """The stub cell (tagged ``exercise:<id>``) and the check cell of an exercise."""
    from ..exercises import get

    ex = get(exercise_id)
    cells = []
    if intro:
        cells.append(md(intro))
    cells.append(Cell("code", ex.stub_source().rstrip("\n"), (EXERCISE_TAG + exercise_id,)))
    cells.append(Cell("code", f"ex.{exercise_id}.check()", ("check:" + exercise_id,)))
    return cells


def lesson_map(heading: str = "## The lessons") -> Cell:
    """A markdown cell listing every lesson of :data:`backprop_lessons.catalog.LESSONS`
    (number, linked title, summary): lesson 00's map of the course."""
    from ..catalog import LESSONS

    lines = [heading, ""]
    lines += [f"- **{x.number:02d} [{x.title}]({x.notebook})**: {x.summary}" for x in LESSONS]
    return Cell("markdown", "\n".join(lines))


def load_source(path: str | os.PathLike) -> list[Cell]:
    """The CELLS of a lesson source file, flattened (a list item may be a list of cells)."""
    path = Path(path)
    spec = importlib.util.spec_from_file_location(f"_lesson_src_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(f"lesson source not found: {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cells: list[Cell] = []
    for item in module.CELLS:
        cells.extend(item if isinstance(item, list) else [item])
    return cells


# ipykernel's own kernelspec: a notebook that says the same is not rewritten (and so not
# marked modified) when JupyterLab opens it.
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}

# A figure in a lesson source is written as a markdown image of the committed light PNG,
# ``![alt](../figures/NAME-light.png)``; the build embeds that PNG in the cell as an
# attachment, so the figure travels with the notebook (workspace, wheel, GitHub, nbviewer,
# one downloaded file) and never depends on where the notebook sits.
FIGURE_REF = re.compile(r"!\[(?P<alt>[^\]]*)\]\(\.\./figures/(?P<file>[\w-]+\.png)\)")
FIGURES_DIR = REPO_ROOT / "figures"


def attach_figures(source: str, figures_dir: str | os.PathLike = FIGURES_DIR):
    """``(source, attachments)``: every ``![alt](../figures/FILE.png)`` of a markdown
    source becomes ``![alt](attachment:FILE.png)``, with FILE's bytes (base64) in
    ``attachments`` (nbformat's ``{name: {"image/png": data}}``; None when there is no
    figure). A missing file raises FileNotFoundError naming the source's reference."""
    import base64

    figures_dir = Path(figures_dir)
    attachments: dict[str, dict[str, str]] = {}

    def embed(match: re.Match) -> str:
        name = match["file"]
        png = figures_dir / name
        if not png.is_file():
            raise FileNotFoundError(f"figure {match[0][-60:]!r}: no file {png}; "
                                    "run `backprop-lessons figures`")
        attachments[name] = {"image/png": base64.b64encode(png.read_bytes()).decode("ascii")}
        return f"![{match['alt']}](attachment:{name})"

    return FIGURE_REF.sub(embed, source), (attachments or None)


def build(path: str | os.PathLike, figures_dir: str | os.PathLike = FIGURES_DIR):
    """An unexecuted nbformat notebook from a lesson source, with stable cell ids and the
    figures embedded as cell attachments (:func:`attach_figures`)."""
    import nbformat

    path = Path(path)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    for i, cell in enumerate(load_source(path)):
        if cell.kind == "markdown":
            source, attachments = attach_figures(cell.source, figures_dir)
            nb_cell = nbformat.v4.new_markdown_cell(source)
            if attachments:
                nb_cell["attachments"] = attachments
        else:
            nb_cell = nbformat.v4.new_code_cell(cell.source)
        digest = hashlib.sha1(f"{path.stem}:{i}".encode()).hexdigest()[:8]
        nb_cell["id"] = f"c{i:03d}-{digest}"
        if cell.tags:
            nb_cell.metadata["tags"] = list(cell.tags)
        nb.cells.append(nb_cell)
    return nb


@contextlib.contextmanager
def _kernel_env(home: str | None):
    """A fresh progress folder for the kernel; the inline matplotlib backend."""
    saved = {k: os.environ.get(k) for k in ("BACKPROP_LESSONS_HOME", "MPLBACKEND")}
    with tempfile.TemporaryDirectory(prefix="backprop-lessons-run-") as tmp:
        os.environ["BACKPROP_LESSONS_HOME"] = home or tmp
        os.environ.pop("MPLBACKEND", None)
        try:
            yield os.environ["BACKPROP_LESSONS_HOME"]
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def execute(nb, cwd: str | os.PathLike = NOTEBOOKS, timeout: int = 120,
            home: str | None = None, allow_errors: bool = False,
            kernel_kwargs: dict | None = None, interrupt_on_timeout: bool = False):
    """Run every cell of ``nb`` top to bottom in a new kernel (in place); returns nb.

    ``home`` is the BACKPROP_LESSONS_HOME of the kernel (a fresh temporary folder when
    None), so building a notebook never touches a learner's progress. ``timeout`` is
    per cell, in seconds (with ``interrupt_on_timeout`` a cell past it is interrupted and
    the run goes on); ``kernel_kwargs`` go to the kernel's start (e.g. preexec_fn).
    """
    from nbclient import NotebookClient

    with _kernel_env(home):
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                allow_errors=allow_errors,
                                interrupt_on_timeout=interrupt_on_timeout,
                                record_timing=False,  # no timestamps in committed files
                                resources={"metadata": {"path": str(cwd)}})
        client.execute(**(kernel_kwargs or {}))
    return coalesce_streams(nb)


def coalesce_streams(nb):
    """Merge consecutive stdout (or stderr) outputs of each code cell into one (in place),
    so that how the kernel happened to flush its prints does not change the file."""
    for cell in nb.cells:
        merged = []
        for out in cell.get("outputs", []):
            prev = merged[-1] if merged else None
            if (out.get("output_type") == "stream" and prev is not None
                    and prev.get("output_type") == "stream"
                    and prev.get("name") == out.get("name")):
                prev["text"] = "".join(prev["text"]) + "".join(out["text"])
            else:
                merged.append(out)
        if "outputs" in cell:
            cell["outputs"] = merged
    return nb


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def stable_widget_ids(nb, name: str):
    """The notebook with its saved widget model ids made deterministic (in place).

    ipywidgets gives every model a random id, so each rebuild would rewrite the saved
    widget state. Models are renamed in a fixed order (the views in cell order, then
    what they reference, depth first), each to a hash of ``name`` and its position.
    """
    import json
    import re

    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    if not state:
        return nb
    order: list[str] = []

    def visit(model_id: str) -> None:
        if model_id in state and model_id not in order:
            order.append(model_id)
            for ref in re.findall(r"IPY_MODEL_([0-9a-f]{32})",
                                  json.dumps(state[model_id], sort_keys=True)):
                visit(ref)

    for cell in nb.cells:
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get(WIDGET_VIEW)
            if view:
                visit(view["model_id"])
    rest = [m for m in state if m not in order]
    masked = {m: re.sub(r"[0-9a-f]{32}", "", json.dumps(state[m], sort_keys=True))
              for m in rest}
    for model_id in sorted(rest, key=lambda m: masked[m]):
        visit(model_id)
    mapping = {old: hashlib.sha1(f"{name}:widget:{i}".encode()).hexdigest()[:32]
               for i, old in enumerate(order)}
    text = json.dumps(nb)
    for old, new in mapping.items():
        text = text.replace(old, new)
    import nbformat

    fixed = nbformat.from_dict(json.loads(text))
    widget_state = fixed.metadata["widgets"][WIDGET_STATE]
    widget_state["state"] = dict(sorted(widget_state["state"].items()))
    nb.cells, nb.metadata = fixed.cells, fixed.metadata
    return nb


def exercise_ids(nb) -> list[str]:
    """The ids of the exercise cells of a notebook, in order."""
    ids = []
    for cell in nb.cells:
        for tag in cell.get("metadata", {}).get("tags", []):
            if tag.startswith(EXERCISE_TAG):
                ids.append(tag[len(EXERCISE_TAG):])
    return ids


def solve(nb):
    """A copy of ``nb`` with every exercise cell replaced by its teaching-form solution
    (the function as a learner would write it; ``Exercise.solution_cell``)."""
    import copy

    from ..exercises import get

    solved = copy.deepcopy(nb)
    for cell in solved.cells:
        for tag in cell.get("metadata", {}).get("tags", []):
            if tag.startswith(EXERCISE_TAG):
                cell.source = get(tag[len(EXERCISE_TAG):]).solution_cell()
    return solved


def _sources(names: list[str]) -> list[Path]:
    all_sources = sorted((NOTEBOOKS / "src").glob("[0-9][0-9]_*.py"))
    if not names:
        return all_sources
    picked = [p for p in all_sources if any(p.stem.startswith(n) for n in names)]
    missing = [n for n in names if not any(p.stem.startswith(n) for p in all_sources)]
    if missing:
        raise SystemExit(f"no lesson source matches {missing}; have "
                         f"{[p.stem for p in all_sources]}")
    return picked


def cli_main(argv: list[str]) -> int:
    """``backprop-lessons build-notebooks [NN ...] [--solved --out DIR]``."""
    import argparse

    import nbformat

    parser = argparse.ArgumentParser(
        prog="backprop-lessons build-notebooks",
        description="Build notebooks/NN_*.ipynb from notebooks/src/NN_*.py and execute "
                    "them top to bottom (outputs committed with the notebook). With "
                    "--solved, write an instructor's answer key instead: every exercise "
                    "cell holds its teaching-form solution and every check shows it "
                    "passing.")
    parser.add_argument("lessons", nargs="*", help="lesson numbers or names (default: all)")
    parser.add_argument("--no-execute", action="store_true", help="only build the cells")
    parser.add_argument("--solved", action="store_true",
                        help="fill in the teaching-form solutions (needs --out)")
    parser.add_argument("--out", help="folder to write to (default: notebooks/)")
    args = parser.parse_args(argv)
    if args.solved and not args.out:
        parser.error("--solved needs --out DIR: the shipped notebooks keep their stubs")
    out_dir = Path(args.out) if args.out else NOTEBOOKS
    out_dir.mkdir(parents=True, exist_ok=True)
    for src in _sources(args.lessons):
        start = time.perf_counter()
        nb = build(src)
        if args.solved:
            nb = solve(nb)
        if not args.no_execute:
            execute(nb, cwd=NOTEBOOKS)
            stable_widget_ids(nb, src.stem)
        out = out_dir / f"{src.stem}.ipynb"
        nbformat.write(nb, out)
        print(f"{out}: {len(nb.cells)} cells, {time.perf_counter() - start:.1f} s",
              file=sys.stderr)
    return 0
