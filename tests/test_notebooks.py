"""The lessons, checked beyond nbval's output comparison (see LESSONS.md):

- each committed notebook is exactly what its source in notebooks/src builds;
- it was executed top to bottom (counts 1..n), shows no error, and ships the stubs,
  with every check saying "not attempted";
- the solved run: with every exercise cell replaced by its reference answer the
  notebook runs without error and every check passes (read from the progress store);
- each lesson has its exercises, hints and misconceptions.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from backprop_lessons.exercises import all_exercises, get
from backprop_lessons.tools import authoring

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
SOURCES = sorted((NOTEBOOKS / "src").glob("[0-9][0-9]_*.py"))
NBS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def _read(path: Path):
    return nbformat.read(path, as_version=4)


def _text(output) -> str:
    if output.get("output_type") == "stream":
        return output.get("text", "")
    return output.get("data", {}).get("text/plain", "")


def test_every_source_has_its_notebook_and_back():
    assert [p.stem for p in SOURCES] == [p.stem for p in NBS]


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.stem)
def test_notebook_is_built_from_its_source(src):
    built = authoring.build(src)
    committed = _read(NOTEBOOKS / f"{src.stem}.ipynb")
    assert len(built.cells) == len(committed.cells), "rebuild: backprop-lessons build-notebooks"
    for i, (b, c) in enumerate(zip(built.cells, committed.cells, strict=True)):
        assert (b.cell_type, b.source) == (c.cell_type, c.source), f"cell {i} is stale"
        assert b.metadata.get("tags", []) == c.metadata.get("tags", []), f"cell {i} tags"


@pytest.mark.parametrize("path", NBS, ids=lambda p: p.stem)
def test_shipped_notebook_was_run_in_order_and_ships_stubs(path):
    nb = _read(path)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    assert "setup" in code[0].metadata.get("tags", []), "the first code cell is the setup cell"
    for cell in code:
        for out in cell.outputs:
            assert out.output_type != "error", f"error output in {cell.source[:60]!r}"
            assert "np.float64(" not in _text(out), "NumPy-2 scalar repr in an output"
            assert "Traceback" not in _text(out)
        tags = cell.metadata.get("tags", [])
        for tag in tags:
            if tag.startswith(authoring.EXERCISE_TAG):
                ex_id = tag[len(authoring.EXERCISE_TAG):]
                assert cell.source == get(ex_id).stub_source().rstrip("\n"), "answer shipped?"
            if tag.startswith("check:"):
                shown = "".join(_text(o) for o in cell.outputs)
                assert "not attempted" in shown.lower(), shown
    last = nb.cells[-1]
    assert last.cell_type == "markdown" and "summary" in last.source.lower()


@pytest.mark.parametrize("path", NBS, ids=lambda p: p.stem)
def test_lesson_declares_enough_exercises(path):
    ids = authoring.exercise_ids(_read(path))
    assert len(ids) >= (1 if path.stem.startswith("00") else 3)
    lesson_ids = {e.id for e in all_exercises() if e.lesson == path.stem}
    assert set(ids) == lesson_ids, "every exercise of the lesson appears in its notebook"
    for ex_id in ids:
        ex = get(ex_id)
        assert len(ex.hints) >= 2, f"{ex_id}: hint ladder"
        assert len(ex.misconceptions) >= 2, f"{ex_id}: misconceptions"


def _progress_records(home: Path) -> dict:
    files = list(home.rglob("*.json"))
    assert files, f"no progress file written in {home}"
    data = json.loads(files[0].read_text())
    return data["exercises"]


@pytest.mark.parametrize("path", NBS, ids=lambda p: p.stem)
def test_solved_run_passes_every_check(path, tmp_path):
    nb = authoring.solve(_read(path))
    authoring.execute(nb, cwd=NOTEBOOKS, home=str(tmp_path), allow_errors=True)
    errors = [(c.source[:80], o.get("ename"), o.get("evalue"))
              for c in nb.cells if c.cell_type == "code"
              for o in c.outputs if o.output_type == "error"]
    assert not errors
    records = _progress_records(tmp_path)
    ids = authoring.exercise_ids(nb)
    not_passed = {i: records.get(i, {}).get("status") for i in ids
                  if records.get(i, {}).get("status") != "passed"}
    assert not not_passed, not_passed


def test_start_here_lists_every_lesson():
    start = "".join(c.source for c in _read(NOTEBOOKS / "00_start_here.ipynb").cells
                    if c.cell_type == "markdown")
    for path in NBS:
        assert f"]({path.name})" in start, f"00_start_here does not link to {path.name}"


@pytest.mark.parametrize("path", NBS, ids=lambda p: p.stem)
def test_heading_and_next_link_use_the_catalog_title(path):
    from backprop_lessons.catalog import by_key, next_lesson

    lesson = by_key(path.stem)
    first = _read(path).cells[0].source.splitlines()[0]
    assert first == f"# {lesson.number:02d} · {lesson.title}"
    following = next_lesson(path.stem)
    if following is not None:
        assert f"[Next: {following.label}]({following.notebook})" in _read(path).cells[-1].source


@pytest.mark.parametrize("path", NBS, ids=lambda p: p.stem)
def test_each_lesson_ends_with_a_link_to_the_next(path):
    i = NBS.index(path)
    following = NBS[i + 1] if i + 1 < len(NBS) else NBS[0]
    assert f"]({following.name})" in _read(path).cells[-1].source
