"""What a tester playing a hostile class found on 2026-12-02, as regression tests: the
grader follows no link and opens no FIFO a submission leaves in its folder, decodes no
forged record into gigabytes, shows every name and message without control characters,
notes a submission that is a link to another, and gives the answer key of every lesson
full marks (``%matplotlib inline`` in a setup cell used to stop the lesson's imports)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from backprop_lessons.exercises import registry
from backprop_lessons.tools.authoring import solve
from backprop_lessons.tools.grading import codec
from backprop_lessons.tools.grading.judging import clean_name, clean_text
from backprop_lessons.tools.grading.sandbox import bwrap_available

sys.path.insert(0, str(Path(__file__).parent))
from grader_helpers import REPO, RIGHT_ND, lesson01, read_jsonl, write  # noqa: E402

SANDBOX = "--sandbox" if bwrap_available() else "--no-sandbox"


def _grade(folder: Path, out: Path, *args: str, timeout: float = 600):
    cmd = [sys.executable, "-m", "backprop_lessons.tools.cli", "grade", str(folder),
           "--jobs", "2", "--json", str(out), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=str(REPO),
                          env={**os.environ, "PYTHONPATH": str(REPO)})


@pytest.mark.slow
def test_the_answer_key_of_every_lesson_gets_full_marks(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    for path in sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nbformat.write(solve(nbformat.read(str(path), as_version=4)), str(subs / path.name))
    done = _grade(subs, tmp_path / "r.jsonl", SANDBOX, "--quiet")
    assert done.returncode == 0, done.stderr[-2000:]
    grades = {d["submission"]: d for d in read_jsonl(tmp_path / "r.jsonl")}
    lessons = registry.lessons()
    assert len(grades) == len(lessons)
    for name, g in grades.items():
        wrong = [(e["exercise"], e["status"], e["message"][:200]) for e in g["exercises"]
                 if e["status"] != "passed"]
        assert not wrong and not g["error"], (name, g["error"], wrong)
        assert g["passed"] == len(lessons[g["lesson"]].exercises) > 0, name


def _box_tricks() -> dict[str, object]:
    """Notebooks that leave FIFOs and links where the grader reads, then end the process
    (so the grader reads what they left, and runs them again without that cell)."""
    here = "import os, pathlib\nbox = pathlib.Path.cwd().parent\n"
    return {
        "fifo_results.ipynb": lesson01(
            here + "for run in box.glob('run*'):\n"
            "    os.unlink(run / 'results.jsonl') if (run / 'results.jsonl').exists() else None\n"
            "    os.mkfifo(run / 'results.jsonl')\n"
            "os._exit(0)", nd=RIGHT_ND),
        "fifo_status.ipynb": lesson01(
            here + "for run in box.glob('run*'):\n"
            "    for f in ('results.jsonl', 'status.txt'):\n"
            "        (run / f).unlink(missing_ok=True)\n"
            "        os.mkfifo(run / f)\n"
            "os._exit(0)", nd=RIGHT_ND),
        "link_results.ipynb": lesson01(
            here + "for run in box.glob('run*'):\n"
            "    (run / 'results.jsonl').unlink(missing_ok=True)\n"
            "    os.symlink('/etc/passwd', run / 'results.jsonl')\n"
            "os._exit(0)", nd=RIGHT_ND),
        "link_folders.ipynb": lesson01(
            here + f"target = pathlib.Path({str(PROBE_DIR)!r})\n"
            "for d in ('nb', 'home', 'tmp', 'progress'):\n"
            "    try:\n"
            "        os.rename(box / d, box / (d + '.old'))\n"
            "        os.symlink(target, box / d)\n"
            "    except OSError as exc:\n"
            "        print('blocked', exc)\n"
            "for f in ('worker.log', '../worker.log'):\n"
            "    try:\n"
            "        (box / f).unlink(missing_ok=True)\n"
            "        os.symlink(target / 'log', box / f)\n"
            "    except OSError as exc:\n"
            "        print('blocked', exc)\n"
            "os._exit(0)", nd=RIGHT_ND),
        "wide_dtype.ipynb": lesson01(
            "import json, os, pathlib\n"
            "run = sorted(pathlib.Path.cwd().parent.glob('run*'))[-1]\n"
            "value = {'__ndarray__': ['x'] * 4, 'dtype': '<U100000000', 'shape': [4]}\n"
            "rec = {'exercise': 'weight_update', 'defined': True, 'callable': True,\n"
            "       'outcomes': [{'value': value}]}\n"
            "with open(run / 'results.jsonl', 'a') as fh:\n"
            "    fh.write(json.dumps(rec) + '\\n' + json.dumps({'finished': True}) + '\\n')\n"
            "os._exit(0)"),
        "ansi_error.ipynb": lesson01(
            "import os\nos.write(1, b'\\x1b[6A\\x1b[2Kalice.ipynb  0/5 passed\\r')\nos._exit(3)"),
    }


PROBE_DIR = Path("/tmp/backprop-lessons-test-probe-outside")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("integrity")
    subs = base / "subs"
    subs.mkdir()
    PROBE_DIR.mkdir(exist_ok=True)
    before = sorted(os.listdir(PROBE_DIR))
    write(subs, "alice.ipynb", lesson01(nd=RIGHT_ND))
    for name, nb in _box_tricks().items():
        write(subs, name, nb)
    os.symlink(subs / "alice.ipynb", subs / "zed_link.ipynb")
    odd = os.fsencode(str(subs)) + b"/m\xe9lanie\n\x1b[1mfake 5 of 5 passed.ipynb"
    with open(odd, "wb") as fh:
        fh.write((subs / "alice.ipynb").read_bytes())
    try:
        done = _grade(subs, base / "r.jsonl", SANDBOX, "--limit", "60", timeout=900)
        after = sorted(os.listdir(PROBE_DIR))
    finally:
        for p in PROBE_DIR.iterdir():
            p.unlink()
        PROBE_DIR.rmdir()
    grades = {d["submission"]: d for d in read_jsonl(base / "r.jsonl")}
    return {"done": done, "grades": grades, "before": before, "after": after}


def test_the_batch_finishes_and_every_name_is_one_clean_line(hostile):
    done = hostile["done"]
    assert done.returncode == 0, done.stderr[-2000:]
    names = set(hostile["grades"])
    assert len(names) == 9, names
    assert "m\\xe9lanie\\x0a\\x1b[1mfake 5 of 5 passed.ipynb" in names
    for text in (done.stdout, done.stderr, *names):
        assert "\x1b" not in text and "\r" not in text
    summary = [line for line in done.stdout.splitlines() if "fake 5 of 5" in line]
    assert len(summary) == 1 and summary[0].rstrip().endswith("2/5 passed"), summary


def test_honest_work_and_work_before_a_trick_are_graded(hostile):
    g = hostile["grades"]
    assert g["alice.ipynb"]["passed"] == 2
    for name in ("fifo_results.ipynb", "link_results.ipynb", "link_folders.ipynb"):
        assert g[name]["passed"] == 2, (name, g[name])  # the rescue run skips the trick
    # with its progress file gone too, the grader cannot tell which cell to skip: an error
    # for that submission alone, and no hang
    assert g["fifo_status.ipynb"]["passed"] == 0 and g["fifo_status.ipynb"]["error"]


def test_nothing_outside_the_box_is_written(hostile):
    assert hostile["after"] == hostile["before"] == []


def test_a_forged_wide_dtype_earns_nothing(hostile):
    wu = {e["exercise"]: e for e in hostile["grades"]["wide_dtype.ipynb"]["exercises"]}
    assert wu["weight_update"]["status"] != "passed"


def test_escape_codes_in_an_error_are_shown_as_text(hostile):
    g = hostile["grades"]["ansi_error.ipynb"]
    text = g["error"] + " ".join(g["notes"]) + " ".join(e["message"] for e in g["exercises"])
    assert "\x1b" not in text and "\\x1b" in text


def test_a_link_to_another_submission_is_noted(hostile):
    notes = hostile["grades"]["zed_link.ipynb"]["notes"]
    assert "this file is a link to alice.ipynb" in notes, notes
    assert hostile["grades"]["zed_link.ipynb"]["passed"] == 2


def test_codec_refuses_a_dtype_wider_than_any_answer():
    value = codec.decode({"__ndarray__": ["x"] * 4, "dtype": "<U100000000", "shape": [4]})
    assert isinstance(value, codec.Opaque)
    ok = codec.decode(codec.encode(__import__("numpy").array(["a" * 10_000])))
    assert ok.shape == (1,) and ok[0] == "a" * 10_000


def test_clean_text_and_clean_name():
    assert clean_text("a\x1b[2Kb\nc\td\re\u202e") == "a\\x1b[2Kb\nc\td\\x0de\\u202e"
    assert clean_name("m\udce9lanie\n.ipynb") == "m\\xe9lanie\\x0a.ipynb"
    assert clean_name("élodie/01 slopes.ipynb") == "élodie/01 slopes.ipynb"
