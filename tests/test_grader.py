"""The grader: each pipeline step alone, then whole folders of real submissions."""

import csv
import json

import nbformat
import pytest

from backprop_lessons.tools import grader

RIGHT = "def weight_update(W_old, dL_dW, eta):\n    return W_old - eta * dL_dW"
ASCENT = "def weight_update(W_old, dL_dW, eta):\n    return W_old + eta * dL_dW"
STUB_ND = "def numerical_derivative(f, x, h=1e-5):\n    # YOUR CODE HERE\n    ..."
RIGHT_ND = ("def numerical_derivative(f, x, h=1e-5):\n"
            "    return (f(x + h) - f(x - h)) / (2 * h)")


def submission(folder, name, weight_update_src, nd_src=STUB_ND, extra=None):
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(
        "from backprop_lessons.exercises import lesson_01 as ex"))
    for ex_id, src in (("weight_update", weight_update_src), ("numerical_derivative", nd_src)):
        cell = nbformat.v4.new_code_cell(src)
        cell.metadata["tags"] = [f"exercise:{ex_id}"]
        nb.cells.append(cell)
    for src in extra or []:
        nb.cells.append(nbformat.v4.new_code_cell(src))
    path = folder / name
    nbformat.write(nb, path)
    return path


def test_load_finds_exercise_cells(tmp_path):
    path = submission(tmp_path, "a.ipynb", RIGHT)
    nb, ids = grader.load(path)
    assert ids == ["weight_update", "numerical_derivative"]
    (tmp_path / "broken.ipynb").write_text("{not json")
    with pytest.raises(ValueError, match="broken.ipynb is not a readable notebook"):
        grader.load(tmp_path / "broken.ipynb")


def test_judge_keeps_notebook_order_and_flags_missing_verdicts():
    g = grader.judge("s.ipynb", ["a", "b"], [{"exercise": "a", "status": "passed",
                                              "message": "ok"}])
    assert [(e.exercise, e.status) for e in g.exercises] == [("a", "passed"), ("b", "error")]
    assert (g.passed, g.total) == (1, 2)


def test_collect_reports_a_cell_that_did_not_finish():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("error", ename="NameError", evalue="x",
                                           traceback=[])]
    nb.cells.append(cell)
    with pytest.raises(RuntimeError, match="did not finish \\(NameError: x\\)"):
        grader.collect(nb)


def test_grade_folder_end_to_end(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    submission(subs, "alice.ipynb", RIGHT, RIGHT_ND)
    submission(subs, "bob.ipynb", ASCENT)
    # carol breaks her own check cells and redefines the name late: the grader re-checks
    submission(subs, "carol.ipynb", "def weight_update(W_old, dL_dW, eta):\n    1/0",
               extra=["raise RuntimeError('carol broke a cell')", RIGHT])
    (subs / "dave.ipynb").write_text("not a notebook")
    grades = grader.grade_folder(subs, jobs=2, timeout=30)
    by_name = {g.submission: g for g in grades}
    assert [g.submission for g in grades] == ["alice.ipynb", "bob.ipynb", "carol.ipynb",
                                               "dave.ipynb"]
    assert (by_name["alice.ipynb"].passed, by_name["alice.ipynb"].total) == (2, 2)
    bob = {e.exercise: e for e in by_name["bob.ipynb"].exercises}
    assert bob["weight_update"].status == "failed"
    assert "gradient ascent" in bob["weight_update"].message
    assert bob["numerical_derivative"].status == "not attempted"
    carol = {e.exercise: e.status for e in by_name["carol.ipynb"].exercises}
    assert carol == {"weight_update": "passed", "numerical_derivative": "not attempted"}
    assert "not a readable notebook" in by_name["dave.ipynb"].error

    grader.write_csv(grades, tmp_path / "r.csv")
    rows = list(csv.DictReader(open(tmp_path / "r.csv", encoding="utf-8")))
    assert {"submission": "bob.ipynb", "exercise": "weight_update", "status": "failed"} \
        .items() <= rows[2].items()
    grader.write_json(grades, tmp_path / "r.json")
    data = json.loads((tmp_path / "r.json").read_text())
    assert data[0]["passed"] == 2 and data[3]["error"]


def test_a_hanging_submission_times_out_without_stopping_the_grader(tmp_path):
    path = submission(tmp_path, "loop.ipynb", RIGHT, extra=["while True:\n    pass"])
    g = grader.grade_one(str(path), timeout=3)
    assert not g.error, g.error  # the hanging cell is interrupted, the run goes on
    assert {e.exercise: e.status for e in g.exercises}["weight_update"] == "passed"


def test_memory_limit_turns_a_huge_allocation_into_an_error_not_a_crash(tmp_path):
    path = submission(tmp_path, "mem.ipynb", RIGHT,
                      extra=["import numpy as np\nbig = np.ones(10**10)"])
    g = grader.grade_one(str(path), timeout=30, memory_mb=1024)
    assert not g.error, g.error
    assert {e.exercise: e.status for e in g.exercises}["weight_update"] == "passed"


def test_cli(tmp_path, capsys):
    submission(tmp_path, "alice.ipynb", RIGHT, RIGHT_ND)
    assert grader.cli_main([str(tmp_path), "--jobs", "1", "--csv", str(tmp_path / "r.csv")]) == 0
    assert capsys.readouterr().out.strip() == "alice.ipynb  2/2 passed"
    assert (tmp_path / "r.csv").exists()
    assert grader.cli_main([str(tmp_path / "nothing-here")]) == 2


def test_one_notebook_can_be_graded_by_path(tmp_path, capsys):
    path = submission(tmp_path, "mine.ipynb", RIGHT)
    assert grader.cli_main([str(path), "--jobs", "1"]) == 0
    assert capsys.readouterr().out.strip() == "mine.ipynb  1/2 passed"
