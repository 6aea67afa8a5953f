"""The grader's parts, each alone and fast: the codec (every exercise's answers survive
the trip from the worker as plain data), lesson recognition, what the source shows,
the verdict from a worker's records, the reports; then one small end-to-end run."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from backprop_lessons.exercises import registry
from backprop_lessons.tools import grader
from backprop_lessons.tools.grading import codec
from backprop_lessons.tools.grading.batch import find_notebooks
from backprop_lessons.tools.grading.judging import (
    ExerciseGrade,
    Grade,
    judge_record,
    named_tuples,
)
from backprop_lessons.tools.grading.reports import (
    StreamingReport,
    class_summary,
    csv_rows,
    gradescope,
    summary_text,
    write_figure,
)
from backprop_lessons.tools.grading.submission import (
    Submission,
    SubmissionError,
    answer_flags,
    parse,
    recognise,
    tamper_flags,
)

sys.path.insert(0, str(Path(__file__).parent))
from grader_helpers import (  # noqa: E402
    ASCENT,
    RIGHT,
    RIGHT_ND,
    lesson01,
    notebook,
    read_csv,
    read_jsonl,
    run_grade,
    write,
)

EXERCISES = registry.all_exercises()


def roundtrip(value, ex=None):
    data = json.loads(json.dumps(codec.encode(value)))
    return codec.decode(data, namedtuples=named_tuples(ex) if ex else None)


# ----- codec -----------------------------------------------------------------------------
@pytest.mark.parametrize("ex", EXERCISES, ids=lambda e: e.id)
def test_every_exercise_answer_survives_the_plain_data_trip(ex):
    """Each exercise's expected answers, encoded by the worker and decoded here, are judged
    right by the exercise's own comparator (so each kind of output has an encoding)."""
    from backprop_lessons.exercises.runner import CallOutcome

    for p in ex.prepared_cases():
        assert type(roundtrip(p.expected, ex)) is type(p.expected), ex.id
    result = ex.judge([CallOutcome(value=roundtrip(p.expected, ex))
                       for p in ex.prepared_cases()])
    assert result.status == "passed", result.message


def test_every_exercise_with_a_structured_answer_has_an_encoding_listed():
    from backprop_lessons.tools.grading.judging import STRUCTURED_OUTPUTS

    def structured(value):
        return isinstance(value, dict) or hasattr(type(value), "_fields") or (
            isinstance(value, (list, tuple))
            and any(not isinstance(v, (int, float)) for v in value))

    found = {ex.id for ex in EXERCISES if structured(ex.prepared_cases()[0].expected)}
    assert found == set(STRUCTURED_OUTPUTS)


def test_codec_keeps_types_shapes_and_non_finite_numbers():
    value = {"a": (1, 2.5, [np.float32(0.5)]), 3: np.arange(6.0).reshape(2, 3),
             "n": [math.nan, -math.inf], "s": "x", "b": True, "z": None, "c": 1 + 2j}
    back = roundtrip(value)
    assert back["a"][:2] == (1, 2.5) and back["a"][2][0].dtype == np.float32
    assert back[3].shape == (2, 3) and back[3].dtype == np.float64
    assert math.isnan(back["n"][0]) and back["n"][1] == -math.inf
    assert (back["s"], back["b"], back["z"], back["c"]) == ("x", True, None, 1 + 2j)


def test_codec_turns_learner_objects_into_opaque_values_equal_to_nothing():
    class Lying(np.ndarray):
        def __eq__(self, other):
            return True

    class Node:
        def __repr__(self):
            raise RuntimeError("hostile repr")

    lying = np.array([1.0, 2.0]).view(Lying)
    back = roundtrip(lying)
    assert type(back) is np.ndarray and back.tolist() == [1.0, 2.0]
    masked = np.ma.masked_array([1.0, 2.0], mask=[False, True])
    assert np.isnan(roundtrip(masked)[1])
    node = roundtrip(Node())
    assert isinstance(node, codec.Opaque) and node != node.__class__("Node", "")
    assert "Node" in repr(node)


def test_codec_bounds_huge_and_deep_values():
    huge = roundtrip(list(range(codec.MAX_ITEMS + 10)))
    assert isinstance(huge, codec.Opaque) and "too large" in huge.text
    deep: list = []
    for _ in range(codec.MAX_DEPTH + 5):
        deep = [deep]
    assert isinstance(roundtrip(deep), codec.Opaque)


def test_exceptions_come_back_as_builtin_types_by_name():
    back = codec.decode_exception(codec.encode_exception(ZeroDivisionError("division by zero")))
    assert type(back) is ZeroDivisionError and str(back) == "division by zero"

    class MyError(NotImplementedError):
        pass

    mine = codec.decode_exception(codec.encode_exception(MyError("later")))
    assert isinstance(mine, NotImplementedError) and type(mine).__name__ == "MyError"
    odd = codec.decode_exception({"type": "not an identifier!", "base": "Nope",
                                  "message": "m"})
    assert isinstance(odd, codec.LearnerException) and str(odd) == "m"
    assert codec.decode_exception(None) is None


# ----- reading a submission ---------------------------------------------------------------
def sub_of(nb, name="x.ipynb") -> Submission:
    s = Submission(Path(name), name, nbformat.writes(nb).encode("utf-8"))
    parse(s)
    return s


def test_the_lesson_comes_from_metadata_setup_cell_or_file_name():
    assert recognise(sub_of(lesson01()))[0] == "01_slopes"
    meta = notebook("x = 1", metadata={"backprop_lessons": {"lesson": "03_one_neuron"}})
    assert recognise(sub_of(meta)) == ("03_one_neuron", "notebook metadata")
    assert recognise(sub_of(notebook("x = 1"), "05_backward_pass-alice.ipynb"))[0] == \
        "05_backward_pass"
    assert recognise(sub_of(lesson01()), forced="02_chain_rule") == ("02_chain_rule",
                                                                     "--lesson")
    with pytest.raises(SubmissionError, match="cannot tell which lesson this is"):
        recognise(sub_of(notebook("x = 1"), "mystery.ipynb"))


@pytest.mark.parametrize("data, words", [
    (b"{not json", "not valid JSON (line 1, column 2)"),
    (b"\xff\xfe{}", "not UTF-8 text"),
    (b'{"cells": 3}', "no list of cells"),
])
def test_unreadable_files_say_why(data, words):
    with pytest.raises(SubmissionError, match=words.replace("(", r"\(").replace(")", r"\)")):
        parse(Submission(Path("bad.ipynb"), "bad.ipynb", data))


def test_answer_flags_spot_the_package_answer_but_not_an_own_formula():
    def cells(*sources):
        return list(enumerate(sources, start=1))

    imported = cells("from backprop_lessons.maths.updates import weight_update")
    assert "imports weight_update from backprop_lessons.maths.updates" in \
        answer_flags(imported, "weight_update", "weight_update")[0]
    called = cells("from backprop_lessons.maths import updates",
                   "def weight_update(W_old, dL_dW, eta):\n"
                   "    return updates.weight_update(W_old, dL_dW, eta)")
    assert "calls updates.weight_update" in answer_flags(called, "weight_update",
                                                         "weight_update")[0]
    via_ex = cells(RIGHT.replace("return", "return ex.weight_update.reference(W_old, dL_dW, "
                                 "eta) or"))
    assert ".reference" in answer_flags(via_ex, "weight_update", "weight_update")[0]
    renamed = cells("from backprop_lessons.maths.updates import weight_update as wu",
                    "def weight_update(W_old, dL_dW, eta):\n    return wu(W_old, dL_dW, eta)")
    assert "calls wu, which is weight_update imported from backprop_lessons.maths.updates" \
        in answer_flags(renamed, "weight_update", "weight_update")[0]
    assert answer_flags(cells("%matplotlib inline\n" + RIGHT), "weight_update",
                        "weight_update") == []


def test_tamper_flags_name_what_the_source_tries():
    flags = tamper_flags([(2, "ex.weight_update.compare = lambda a, b: (True, '')"),
                          (5, "import sys\nf = sys._getframe(1)")])
    assert flags == ["replaces part of the checker (cell 2)", "reads call frames (cell 5)"]
    assert tamper_flags([(1, RIGHT)]) == []


def test_find_notebooks_searches_subfolders_and_says_what_it_skipped(tmp_path):
    (tmp_path / "group" / ".ipynb_checkpoints").mkdir(parents=True)
    write(tmp_path / "group", "a.ipynb", lesson01())
    write(tmp_path / "group" / ".ipynb_checkpoints", "a-checkpoint.ipynb", lesson01())
    (tmp_path / "notes.txt").write_text("hi")
    root, paths, notes = find_notebooks(tmp_path)
    assert [p.relative_to(root).as_posix() for p in paths] == ["group/a.ipynb"]
    assert notes == ["skipped 1 file(s) that are not .ipynb notebooks",
                     "skipped 1 Jupyter checkpoint cop(y/ies) (.ipynb_checkpoints)"]
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        find_notebooks(tmp_path / "nothing")
    with pytest.raises(ValueError, match="notes.txt is not a notebook"):
        find_notebooks(tmp_path / "notes.txt")
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="no .ipynb files in"):
        find_notebooks(tmp_path / "empty")


# ----- the verdict from records ------------------------------------------------------------
def record_of(fn, ex):
    from backprop_lessons.tools.grading.worker import _outcome_record

    return {"exercise": ex.id, "defined": True, "callable": True,
            "origin": {"module": "__main__", "file": "<cell>", "package_own": False},
            "outcomes": json.loads(json.dumps([_outcome_record(o, codec)
                                               for o in ex.run(fn)]))}


def test_judge_record_gives_the_engine_verdicts_and_misconceptions():
    ex = registry.get("weight_update")
    right = judge_record(ex, record_of(lambda W_old, dL_dW, eta: W_old - eta * dL_dW, ex), [])
    assert (right.status, right.misconception) == ("passed", None)
    wrong = judge_record(ex, record_of(lambda W_old, dL_dW, eta: W_old + eta * dL_dW, ex), [])
    assert (wrong.status, wrong.misconception) == ("failed", "sign flipped")
    assert "gradient ascent" in wrong.message
    boom = judge_record(ex, record_of(lambda W_old, dL_dW, eta: 1 / 0, ex), [])
    assert boom.status == "error" and "ZeroDivisionError: division by zero" in boom.message
    stub = judge_record(ex, record_of(lambda W_old, dL_dW, eta: None, ex), [])
    assert stub.status == "not attempted"
    assert judge_record(ex, {"defined": False}, []).status == "not attempted"
    assert judge_record(ex, {"defined": True, "callable": False, "type": "int"},
                        []).message == "`weight_update` should be a function, but it is a int."
    assert judge_record(ex, None, [], "checking it ended the process").message == \
        "checking it ended the process"


def test_judge_record_flags_the_package_own_function_and_survives_garbage():
    ex = registry.get("weight_update")
    rec = record_of(lambda W_old, dL_dW, eta: W_old - eta * dL_dW, ex)
    rec["origin"] = {"module": "backprop_lessons.maths.updates", "package_own": True}
    assert judge_record(ex, rec, []).flags == (
        "`weight_update` is the package's own function (backprop_lessons.maths.updates)",)
    bad = judge_record(ex, {"defined": True, "callable": True, "outcomes": [3]}, [])
    assert bad.status == "error" and "could not be read" in bad.message


# ----- reports -----------------------------------------------------------------------------
def sample_grades():
    return [
        Grade("a.ipynb", "01_slopes", [
            ExerciseGrade("weight_update", "passed", "All 5 cases.\nmore"),
            ExerciseGrade("numerical_derivative", "failed", "Wrong.", "forward difference",
                          ("the package's own",))]),
        Grade("b.ipynb", "01_slopes", [
            ExerciseGrade("weight_update", "failed", "Wrong.", "sign flipped"),
            ExerciseGrade("numerical_derivative", "not attempted", "")]),
        Grade("c.ipynb", error="c.ipynb is not a readable notebook: not UTF-8 text"),
    ]


def test_reports_stream_rows_with_misconceptions_and_flags(tmp_path):
    grades = sample_grades()
    with StreamingReport(tmp_path / "r.csv", tmp_path / "r.jsonl") as report:
        report.add(grades[0])
        assert len(read_csv(tmp_path / "r.csv")) == 2  # flushed before the next one
        for g in grades[1:]:
            report.add(g)
    rows = read_csv(tmp_path / "r.csv")
    assert [(r["submission"], r["exercise"], r["status"], r["misconception"]) for r in rows] \
        == [("a.ipynb", "weight_update", "passed", ""),
            ("a.ipynb", "numerical_derivative", "failed", "forward difference"),
            ("b.ipynb", "weight_update", "failed", "sign flipped"),
            ("b.ipynb", "numerical_derivative", "not attempted", ""),
            ("c.ipynb", "", "error", "")]
    assert rows[0]["message"] == "All 5 cases." and rows[1]["flags"] == "the package's own"
    lines = read_jsonl(tmp_path / "r.jsonl")
    assert [d["passed"] for d in lines] == [1, 0, 0]
    assert lines[1]["exercises"][0]["misconception"] == "sign flipped"
    assert csv_rows(grades[2])[0]["message"].startswith("c.ipynb is not a readable")


def test_class_summary_counts_and_names_common_mistakes(tmp_path):
    grades = sample_grades()
    summary = class_summary(grades)
    assert summary["weight_update"]["passed"] == 1 and summary["weight_update"]["failed"] == 1
    assert summary["weight_update"]["misconceptions"] == [("sign flipped", 1)]
    text = summary_text(grades)
    assert "a.ipynb  1/2 passed  [flagged]" in text
    assert "weight_update         1 / 1 / 0 / 0   common mistakes: sign flipped ×1" in text
    write_figure(grades, tmp_path / "summary.png")
    assert (tmp_path / "summary.png").read_bytes()[:4] == b"\x89PNG"


def test_gradescope_results_have_one_test_per_exercise():
    data = gradescope(sample_grades()[:1])
    assert data["score"] == 1.0
    assert [(t["name"], t["score"], t["max_score"], t["status"]) for t in data["tests"]] == [
        ("01_slopes / weight_update", 1.0, 1.0, "passed"),
        ("01_slopes / numerical_derivative", 0.0, 1.0, "failed")]
    assert "Flagged for the instructor: the package's own" in data["tests"][1]["output"]
    many = gradescope(sample_grades())
    assert many["tests"][-1]["name"] == "c.ipynb: notebook"


# ----- end to end (one small batch) ----------------------------------------------------------
@pytest.mark.slow
def test_cli_grades_a_folder_end_to_end(tmp_path):
    subs = tmp_path / "subs"
    (subs / "group").mkdir(parents=True)
    write(subs, "alice.ipynb", lesson01(nd=RIGHT_ND))
    write(subs / "group", "bob.ipynb", lesson01(wu=ASCENT))
    (subs / "dave.ipynb").write_text("not a notebook")
    out = run_grade(subs, "--jobs", "2", "--timeout", "20", "--limit", "120",
                    "--csv", tmp_path / "r.csv", "--json", tmp_path / "r.jsonl",
                    "--gradescope", tmp_path / "gs.json", "--summary-figure",
                    tmp_path / "s.png")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[:3] == [
        "alice.ipynb      2/5 passed", "dave.ipynb       error: dave.ipynb is not a readable "
        "notebook: not valid JSON (line 1, column 1)", "group/bob.ipynb  0/5 passed"]
    assert "[3/3]" in out.stderr and "ETA" in out.stderr
    rows = {(r["submission"], r["exercise"]): r for r in read_csv(tmp_path / "r.csv")}
    bob = rows[("group/bob.ipynb", "weight_update")]
    assert (bob["status"], bob["misconception"]) == ("failed", "sign flipped")
    assert rows[("alice.ipynb", "step_direction")]["status"] == "not attempted"
    assert json.loads((tmp_path / "gs.json").read_text())["score"] == 2.0
    assert (tmp_path / "s.png").exists()
    missing = run_grade(tmp_path / "nothing-here")
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr


def test_grade_folder_keeps_its_python_api(tmp_path):
    (tmp_path / "broken.ipynb").write_bytes(b"{not json")
    grades = grader.grade_folder(tmp_path, jobs=1, timeout=5)
    assert [(g.submission, g.total) for g in grades] == [("broken.ipynb", 0)]
    assert "not valid JSON" in grades[0].error


def test_outcome_fields_the_engine_adds_travel_as_plain_data():
    """The engine's own outcome fields (delegated, stub, ...) reach the grader's judge, and a
    field this engine does not know is left out."""
    import dataclasses

    from backprop_lessons.exercises.runner import CallOutcome
    from backprop_lessons.tools.grading.judging import outcomes_from
    from backprop_lessons.tools.grading.worker import _outcome_record

    @dataclasses.dataclass
    class Later(CallOutcome):
        from_the_future: bool = True

    record = json.loads(json.dumps(_outcome_record(Later(value=1.5, delegated=True), codec)))
    assert record["extra"]["delegated"] is True and record["value"] == 1.5
    ex = registry.get("weight_update")
    (back,) = outcomes_from([record], ex)
    assert back.value == 1.5 and back.delegated is True
    assert not hasattr(back, "from_the_future")


def test_the_worker_blinded_exercise_holds_no_answer_but_sees_the_package_answer():
    """The worker's copy of an exercise computes no expected answer, yet an answer that is,
    or calls, the package's own function is noticed (``delegated``), a stub is not run
    (``stub``), and both verdicts come back through the plain-data trip."""
    from backprop_lessons.maths import updates
    from backprop_lessons.tools.grading.worker import _blind

    ex = registry.get("weight_update")
    blind = _blind(ex)
    assert [p.expected for p in blind.prepared_cases()] == [None] * len(ex.prepared_cases())

    def via(W_old, dL_dW, eta):
        return updates.weight_update(W_old, dL_dW, eta)

    def stub(W_old, dL_dW, eta):
        # YOUR CODE HERE
        ...

    def trip(fn):
        from backprop_lessons.tools.grading.worker import _outcome_record

        return {"exercise": ex.id, "defined": True, "callable": True, "origin": {},
                "outcomes": json.loads(json.dumps([_outcome_record(o, codec)
                                                   for o in blind.run(fn)]))}

    for fn in (updates.weight_update, via):
        (out,) = blind.run(fn)
        assert out.delegated is True, fn
        got = judge_record(ex, trip(fn), [])
        assert got.status == "failed" and "write the formula yourself" in got.message
    assert blind.run(stub)[0].stub is True
    assert judge_record(ex, trip(stub), []).status == "not attempted"
    right = judge_record(ex, trip(lambda W_old, dL_dW, eta: W_old - eta * dL_dW), [])
    assert right.status == "passed"


@pytest.mark.slow
def test_sandboxed_grading_works_when_the_package_lives_under_tmp(tmp_path):
    """The sandbox's fresh /tmp must not hide the package (a clone or venv under /tmp, as a
    CI run may have): a solved notebook graded from a copy of the package in tmp_path."""
    import os
    import shutil
    import subprocess

    from backprop_lessons.tools import authoring
    from backprop_lessons.tools.grading import sandbox

    if not sandbox.bwrap_available():
        pytest.skip("bubblewrap is not usable here")
    root = Path(__file__).resolve().parent.parent
    assert Path("/tmp") in tmp_path.resolve().parents
    shutil.copytree(root / "backprop_lessons", tmp_path / "backprop_lessons",
                    ignore=shutil.ignore_patterns("__pycache__"))
    subs = tmp_path / "subs"
    subs.mkdir()
    nb = nbformat.read(root / "notebooks" / "01_slopes.ipynb", as_version=4)
    nbformat.write(authoring.solve(nb), subs / "solved.ipynb")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "backprop_lessons.tools.cli", "grade",
                           str(subs), "--csv", str(tmp_path / "g.csv"), "--sandbox"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    rows = (tmp_path / "g.csv").read_text().splitlines()[1:]
    assert len(rows) == 5 and all(",passed," in r for r in rows), done.stdout + done.stderr
