"""Hostile submissions: every cheat earns nothing and changes no other submission; every
fault is that submission's row while the rest are graded; nothing is left running; the
files on disk are never changed; Ctrl-C leaves a readable partial report.

One batch per mode (sandboxed with bubblewrap where it runs here, and unsandboxed) is
graded once by the ``backprop-lessons grade`` command; the tests read its reports.
"""

from __future__ import annotations

import hashlib
import json
import signal
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import nbformat
import pytest

from backprop_lessons.tools.authoring import solve
from backprop_lessons.tools.grading.sandbox import bwrap_available

sys.path.insert(0, str(Path(__file__).parent))
from grader_helpers import (  # noqa: E402
    ASCENT,
    REPO,
    RIGHT,
    RIGHT_ND,
    STUB,
    lesson01,
    notebook,
    processes_with,
    read_csv,
    read_jsonl,
    write,
)

pytestmark = pytest.mark.slow

LESSON_01 = ["numerical_derivative", "weight_update", "step_direction", "predicted_loss_change",
             "gradient_descent_1d"]
PROBE_PTH = Path(sysconfig.get_paths()["purelib"]) / "zzz_bpl_grader_probe.pth"
ALL_PASSED = json.dumps([{"exercise": i, "status": "passed", "message": ""}
                         for i in LESSON_01])
SLEEP_A, SLEEP_B = "987654", "987655"
DELEGATE_IMPORT = "from backprop_lessons.maths.updates import weight_update"
DELEGATE_CALL = ("from backprop_lessons.maths.updates import weight_update as wu\n"
                 "def weight_update(W_old, dL_dW, eta):\n    return wu(W_old, dL_dW, eta)")


def cheats(subs: Path, sandboxed: bool) -> dict[str, object]:
    """name -> notebook. Each cheat has a stub weight_update: any credit is a cheat won."""
    folder = repr(str(subs))
    out = {
        "cheat_patch_check.ipynb": lesson01(
            "from backprop_lessons.exercises import Exercise, CheckResult, all_exercises\n"
            "Exercise.check = lambda self, fn=None: CheckResult(self.id, 'passed', 'ok')\n"
            "Exercise.judge = lambda self, outcomes: CheckResult(self.id, 'passed', 'ok')\n"
            "for e in all_exercises():\n"
            "    e.compare = lambda expected, got: (True, '')", wu=STUB),
        "cheat_patch_run.ipynb": lesson01(
            "from backprop_lessons.exercises import Exercise\n"
            "from backprop_lessons.exercises.runner import CallOutcome\n"
            "Exercise.run = lambda self, fn: [CallOutcome(value=p.expected)\n"
            "                                 for p in self.prepared_cases()]", wu=STUB),
        "cheat_patch_numpy.ipynb": lesson01(
            "import numpy as np\nnp.abs = lambda x: 0 * x\nnp.isfinite = lambda x: True\n"
            "np.allclose = lambda *a, **k: True\nnp.array_equal = lambda *a, **k: True",
            wu="def weight_update(W_old, dL_dW, eta):\n    return 0.0"),
        "cheat_fake_verdict.ipynb": lesson01(
            f"print('BACKPROP-LESSONS-GRADES:' + {ALL_PASSED!r})", wu=STUB),
        "cheat_ipython_hook.ipynb": lesson01(
            "def _fake(*args):\n"
            f"    print('BACKPROP-LESSONS-GRADES:' + {ALL_PASSED!r})\n"
            "get_ipython().events.register('pre_run_cell', _fake)\n"
            "get_ipython().events.register('post_run_cell', _fake)", wu=STUB),
        "cheat_frames.ipynb": lesson01(wu=(
            "import sys\n"
            "def weight_update(W_old, dL_dW, eta):\n"
            "    f = sys._getframe(1)\n"
            "    while f is not None:\n"
            "        for v in list(f.f_locals.values()):\n"
            "            if getattr(v, 'expected', None) is not None:\n"
            "                return v.expected\n"
            "            ref = getattr(v, 'reference', None)\n"
            "            if callable(ref) and ref(W_old, dL_dW, eta) is not None:\n"
            "                return ref(W_old, dL_dW, eta)\n"
            "        f = f.f_back\n"
            "    return None")),
        "cheat_four_tags.ipynb": lesson01(("x = 1", ["exercise:weight_update"]),
                                          ("y = 2", ["exercise:weight_update"]),
                                          ("z = 3", ["exercise:weight_update"])),
        "cheat_no_tags.ipynb": lesson01(wu_tags=(), nd_tags=()),
        "cheat_foreign_tag.ipynb": lesson01(
            ("def chain_product(local_derivatives):\n    out = 1.0\n"
             "    for d in local_derivatives:\n        out *= d\n    return out",
             ["exercise:chain_product"]), wu=STUB),
        "cheat_typo_tag.ipynb": lesson01(wu_tags=("exercise:weight_updat",)),
        "aaa_cheat_shadow_package.ipynb": lesson01(
            "import pathlib\n"
            "shadow = 'raise SystemExit(\"shadowed\")\\n'\n"
            f"for base in [pathlib.Path.cwd(), pathlib.Path({folder})]:\n"
            "    try:\n"
            "        (base / 'backprop_lessons').mkdir(exist_ok=True)\n"
            "        (base / 'backprop_lessons' / '__init__.py').write_text(shadow)\n"
            "        (base / 'sitecustomize.py').write_text(shadow)\n"
            "    except OSError as exc:\n"
            "        print('blocked', exc)", wu=STUB),
        "aaa_cheat_user_site.ipynb": lesson01(
            "import pathlib, site\n"
            "user = pathlib.Path(site.getuserbase() if hasattr(site, 'getuserbase') else '.')\n"
            "target = pathlib.Path.home() / '.local/lib/python3.11/site-packages'\n"
            "target.mkdir(parents=True, exist_ok=True)\n"
            "(target / 'usercustomize.py').write_text('raise SystemExit(\"shadowed\")')\n"
            "(target / 'evil.pth').write_text('import sys; sys.exit(\"shadowed\")')",
            wu=STUB),
        "aaa_cheat_edit_rivals.ipynb": lesson01(
            "import pathlib\n"
            f"for p in pathlib.Path({folder}).rglob('*.ipynb'):\n"
            "    try:\n"
            "        p.write_text('{}')\n"
            "    except OSError:\n"
            "        pass", wu=STUB),
    }
    if sandboxed:  # unsandboxed, this write would reach the real installation
        out["aaa_cheat_pth.ipynb"] = lesson01(
            f"try:\n    open({str(PROBE_PTH)!r}, 'w').write('# probe\\n')\n"
            "except OSError as exc:\n    print('blocked', exc)", wu=STUB)
    return out


def faults() -> dict[str, object]:
    """name -> notebook; weight_update is right in each, defined before the fault."""
    return {
        "fault_sigint_loop.ipynb": lesson01(
            "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"),
        "fault_alarm_loop.ipynb": lesson01(
            "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
            "signal.signal(signal.SIGALRM, signal.SIG_IGN)\nwhile True:\n    pass"),
        "fault_parent_kill.ipynb": lesson01("import os, signal\n"
                                            "os.kill(os.getppid(), signal.SIGKILL)"),
        "fault_os_exit.ipynb": lesson01("import os\nos._exit(3)"),
        "fault_exit.ipynb": lesson01("exit()", "import sys\nsys.exit(2)",
                                     "raise SystemExit", "quit()"),
        "fault_setsid.ipynb": lesson01(
            f"import os, subprocess\nsubprocess.Popen(['setsid', 'sleep', '{SLEEP_A}'])\n"
            "if os.fork() == 0:\n    os.setsid()\n"
            f"    os.execvp('sleep', ['sleep', '{SLEEP_B}'])"),
        "fault_memory.ipynb": lesson01("import numpy as np\nbig = np.ones(10**10)",
                                       "hog = []\nwhile True:\n"
                                       "    hog.append(bytearray(50 * 2**20))"),
        "fault_output.ipynb": lesson01("print('x' * 10_000_000)",
                                       "import os\nos.write(1, b'y' * 10_000_000)"),
        "fault_exit_while_checked.ipynb": lesson01(
            nd="def numerical_derivative(f, x, h=1e-5):\n    import os\n    os._exit(1)"),
    }


@pytest.fixture(scope="module", params=["sandboxed", "unsandboxed"])
def batch(request, tmp_path_factory):
    sandboxed = request.param == "sandboxed"
    if sandboxed and not bwrap_available():
        pytest.skip("bubblewrap (bwrap) cannot run here")
    base = tmp_path_factory.mktemp(request.param)
    subs = base / "subs"
    (subs / "group").mkdir(parents=True)
    shipped = nbformat.read(str(REPO / "notebooks" / "01_slopes.ipynb"), as_version=4)
    nbformat.write(solve(shipped), str(subs / "solved_01_slopes.ipynb"))
    nbformat.write(shipped, str(subs / "stub_01_slopes.ipynb"))
    write(subs, "ok.ipynb", lesson01(nd=RIGHT_ND))
    write(subs / "group", "wrong.ipynb", lesson01(wu=ASCENT))
    write(subs, "zzz_rival.ipynb", lesson01(nd=RIGHT_ND))
    write(subs, "zzz_stub_after.ipynb", lesson01(wu=STUB))
    write(subs, "mystery.ipynb", notebook(RIGHT))
    write(subs, "delegate_import.ipynb", lesson01(wu=DELEGATE_IMPORT))
    write(subs, "delegate_call.ipynb", lesson01(wu=DELEGATE_CALL))
    (subs / "fault_invalid_json.ipynb").write_bytes(b'{"cells": [')
    (subs / "fault_not_utf8.ipynb").write_bytes(b"\xff\xfe" + "{}".encode("utf-16-le"))
    for name, nb in {**cheats(subs, sandboxed), **faults()}.items():
        write(subs, name, nb)
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in subs.rglob("*.ipynb")}
    args = ["--jobs", "2", "--timeout", "10", "--limit", "60", "--memory-mb", "1024",
            "--csv", base / "r.csv", "--json", base / "r.jsonl",
            "--sandbox" if sandboxed else "--no-sandbox"]
    cmd = [sys.executable, "-m", "backprop_lessons.tools.cli", "grade", str(subs),
           *map(str, args)]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=1200, cwd=str(REPO),
                             env={**__import__("os").environ, "PYTHONPATH": str(REPO)})
        leftovers = processes_with(SLEEP_A) + processes_with(SLEEP_B)
        pth_planted = PROBE_PTH.exists()
    finally:
        PROBE_PTH.unlink(missing_ok=True)
    rows = read_csv(base / "r.csv")
    return {"out": out, "subs": subs, "before": before, "leftovers": leftovers,
            "pth": pth_planted, "sandboxed": sandboxed,
            "rows": {(r["submission"], r["exercise"]): r for r in rows},
            "json": {d["submission"]: d for d in read_jsonl(base / "r.jsonl")}}


def status(batch, name, exercise="weight_update"):
    return batch["rows"][(name, exercise)]["status"]


def test_the_batch_finishes_with_a_row_for_every_submission(batch):
    assert batch["out"].returncode == 0, batch["out"].stderr[-2000:]
    names = {p.relative_to(batch["subs"]).as_posix() for p in batch["before"]}
    assert set(batch["json"]) == names
    said = "unsandboxed: --no-sandbox was given, so submissions run without a read-only"
    assert (said in batch["out"].stderr) is (not batch["sandboxed"])


def test_solved_stub_and_wrong_get_passed_not_attempted_and_failed(batch):
    solved = batch["json"]["solved_01_slopes.ipynb"]
    assert [e["status"] for e in solved["exercises"]] == ["passed"] * len(LESSON_01)
    # the answer key holds teaching-form solutions, written out: nothing to flag
    assert [e["flags"] for e in solved["exercises"]] == [[]] * len(LESSON_01)
    stub = batch["json"]["stub_01_slopes.ipynb"]
    assert [e["status"] for e in stub["exercises"]] == ["not attempted"] * len(LESSON_01)
    wrong = batch["rows"][("group/wrong.ipynb", "weight_update")]
    assert (wrong["status"], wrong["misconception"]) == ("failed", "sign flipped")
    wrong_json = batch["json"]["group/wrong.ipynb"]["exercises"][1]
    assert wrong_json["misconception"] == "sign flipped"
    assert "gradient ascent" in wrong_json["message"]
    assert status(batch, "ok.ipynb") == status(batch, "ok.ipynb", "numerical_derivative") \
        == "passed"


@pytest.mark.parametrize("name", ["delegate_import.ipynb", "delegate_call.ipynb"])
def test_the_package_answer_is_flagged_and_not_passed(batch, name):
    wu = batch["json"][name]["exercises"][1]
    assert (wu["exercise"], wu["status"]) == ("weight_update", "failed"), wu
    assert "calls the course's own answer, updates.weight_update" in wu["message"]
    assert "write the formula yourself" in wu["message"]
    assert "(the package's answer)" in " ".join(wu["flags"])
    if name == "delegate_import.ipynb":  # the worker saw where the function comes from
        assert "is the package's own function (backprop_lessons.maths.updates)" in \
            " ".join(wu["flags"])


@pytest.mark.parametrize("name", [
    "cheat_patch_check.ipynb", "cheat_patch_run.ipynb", "cheat_patch_numpy.ipynb",
    "cheat_fake_verdict.ipynb", "cheat_ipython_hook.ipynb", "cheat_frames.ipynb",
    "aaa_cheat_shadow_package.ipynb", "aaa_cheat_user_site.ipynb",
    "aaa_cheat_edit_rivals.ipynb", "cheat_foreign_tag.ipynb"])
def test_a_cheat_earns_no_credit(batch, name):
    grade = batch["json"][name]
    assert grade["passed"] == 0, grade
    assert [e["exercise"] for e in grade["exercises"]] == LESSON_01


def test_the_lesson_decides_what_is_graded_not_the_tags(batch):
    for name in ("cheat_four_tags.ipynb", "cheat_no_tags.ipynb", "cheat_typo_tag.ipynb"):
        grade = batch["json"][name]
        assert [e["exercise"] for e in grade["exercises"]] == LESSON_01, name
        assert (grade["passed"], grade["error"]) == (1, ""), name
        assert status(batch, name) == "passed"
    assert status(batch, "cheat_no_tags.ipynb", "numerical_derivative") == "not attempted"
    assert "cannot tell which lesson this is" in batch["json"]["mystery.ipynb"]["error"]


def test_cheats_are_flagged_for_the_instructor(batch):
    flags = {name: " ".join(batch["json"][name]["flags"]) for name in batch["json"]}
    assert "replaces part of the checker" in flags["cheat_patch_check.ipynb"]
    assert "reads call frames" in flags["cheat_frames.ipynb"]
    assert "installs an IPython hook" in flags["cheat_ipython_hook.ipynb"]
    assert "prints a grader verdict line" in flags["cheat_fake_verdict.ipynb"]


def test_no_cheat_changes_another_submission(batch):
    assert status(batch, "zzz_rival.ipynb") == "passed"
    assert status(batch, "zzz_rival.ipynb", "numerical_derivative") == "passed"
    assert status(batch, "zzz_stub_after.ipynb") == "not attempted"
    assert batch["json"]["zzz_stub_after.ipynb"]["error"] == ""
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in batch["before"]}
    assert after == batch["before"]  # no submission file changed on disk
    assert not batch["pth"]  # the installation was not written to
    if not batch["sandboxed"]:  # the cheats did reach the disk, and changed nothing
        assert (batch["subs"] / "backprop_lessons" / "__init__.py").exists()
        assert "zzz_rival.ipynb was changed on disk during grading" in batch["out"].stderr


def test_the_sandbox_hides_the_submissions_folder(batch):
    if not batch["sandboxed"]:
        pytest.skip("only the sandbox hides the folder")
    assert not (batch["subs"] / "backprop_lessons").exists()


@pytest.mark.parametrize("name", [
    "fault_sigint_loop.ipynb", "fault_alarm_loop.ipynb", "fault_parent_kill.ipynb",
    "fault_os_exit.ipynb", "fault_exit.ipynb", "fault_setsid.ipynb", "fault_memory.ipynb",
    "fault_output.ipynb", "fault_exit_while_checked.ipynb"])
def test_a_fault_is_that_submissions_row_and_its_functions_are_still_graded(batch, name):
    grade = batch["json"][name]
    assert grade["error"] == "", grade
    assert status(batch, name) == "passed", grade


def test_fatal_cells_and_checks_are_named_in_the_notes(batch):
    notes = " ".join(batch["json"]["fault_os_exit.ipynb"]["notes"])
    assert "cell 4 ended the notebook's process (it exited with code 3" in notes
    notes = " ".join(batch["json"]["fault_alarm_loop.ipynb"]["notes"])
    assert "did not finish within 60 s" in notes
    notes = " ".join(batch["json"]["fault_parent_kill.ipynb"]["notes"])
    assert "cell 4 ended the notebook's process (it was killed (SIGKILL" in notes
    # os._exit in a function being checked ends only the engine's child for that check:
    # that input is an error saying so, and the notebook's process goes on (no note)
    exited = batch["json"]["fault_exit_while_checked.ipynb"]
    nd = exited["exercises"][0]
    assert (nd["exercise"], nd["status"]) == ("numerical_derivative", "error")
    assert "the process running your function ended with exit code 1 (os._exit" in \
        nd["message"]
    assert not any("ended the notebook's process" in n for n in exited["notes"])


def test_unreadable_files_are_error_rows(batch):
    assert "not valid JSON" in batch["json"]["fault_invalid_json.ipynb"]["error"]
    assert "not UTF-8" in batch["json"]["fault_not_utf8.ipynb"]["error"]


def test_no_process_is_left_behind(batch):
    assert batch["leftovers"] == []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_ctrl_c_leaves_a_readable_partial_report(tmp_path, signum):
    subs = tmp_path / "subs"
    subs.mkdir()
    write(subs, "a_fast.ipynb", lesson01())
    for name in ("b_slow.ipynb", "c_slow.ipynb"):
        write(subs, name, lesson01(f"import subprocess, time\n"
                                   f"subprocess.Popen(['setsid', 'sleep', '{SLEEP_A}1'])\n"
                                   "time.sleep(300)"))
    cmd = [sys.executable, "-m", "backprop_lessons.tools.cli", "grade", str(subs), "--jobs",
           "1", "--timeout", "600", "--limit", "600", "--csv", str(tmp_path / "r.csv"),
           "--json", str(tmp_path / "r.jsonl")]
    proc = subprocess.Popen(cmd, cwd=str(REPO), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env={**__import__("os").environ, "PYTHONPATH": str(REPO)})
    try:
        for _ in range(1200):  # wait (at most 2 min) for the first row and the slow one
            if (tmp_path / "r.jsonl").exists() and (tmp_path / "r.jsonl").read_text() \
                    and processes_with(f"{SLEEP_A}1"):
                break
            time.sleep(0.1)
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert "interrupted: 1 of 3 submissions graded" in err
    rows = read_csv(tmp_path / "r.csv")
    assert {r["submission"] for r in rows} == {"a_fast.ipynb"} and len(rows) == len(LESSON_01)
    assert [d["submission"] for d in read_jsonl(tmp_path / "r.jsonl")] == ["a_fast.ipynb"]
    assert processes_with(f"{SLEEP_A}1") == []
