"""The progress store: schema, merge rule, location, atomic locked writes, the writer that
no check waits for, every kind of unreadable or unwritable file (told once, in words, never
as a warning or a traceback), the report and the CLI."""

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from backprop_lessons.exercises import lesson_01 as ex
from backprop_lessons.exercises import progress
from backprop_lessons.exercises.progress import (
    ENV_VAR,
    MemoryStore,
    ProgressStore,
    cli_main,
    current_store,
    data_dir,
    flush,
    notes,
    record,
)


def good(W_old, dL_dW, eta):
    return W_old - eta * dL_dW


def bad(W_old, dL_dW, eta):
    return W_old + eta * dL_dW


@pytest.fixture(autouse=True)
def _no_leftover_notes():
    flush()
    notes()
    yield
    flush()
    notes()


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    return tmp_path


def _data(home: Path) -> dict:
    assert flush()
    return json.loads((home / "progress.json").read_text(encoding="utf-8"))


def test_the_test_session_never_touches_the_real_user_folder():
    real = data_dir(env={}, platform="linux", home=Path.home())
    assert os.environ.get(ENV_VAR)
    assert current_store().path.parent == Path(os.environ[ENV_VAR])
    assert current_store().path.parent != real


def test_check_records_id_outcome_attempts_and_first_pass(home):
    ex.weight_update.check(bad)
    entry = _data(home)["exercises"]["weight_update"]
    assert entry == {
        "lesson": "01_slopes",
        "status": "failed",
        "attempts": 1,
        "first_passed": None,
        "last_status": "failed",
    }
    ex.weight_update.check(good)
    ex.weight_update.check(bad)
    data = _data(home)
    assert data["version"] == 1
    entry = data["exercises"]["weight_update"]
    assert entry["status"] == "passed"  # once passed, stays done
    assert entry["last_status"] == "failed"
    assert entry["attempts"] == 3
    assert entry["first_passed"].endswith("+00:00")


def test_not_attempted_is_recorded_without_counting_an_attempt(home):
    ex.weight_update.check(lambda W_old, dL_dW, eta: None)
    entry = _data(home)["exercises"]["weight_update"]
    assert (entry["status"], entry["attempts"]) == ("not attempted", 0)


@pytest.mark.parametrize(
    "env, platform, expected",
    [
        ({ENV_VAR: "/srv/me"}, "linux", "/srv/me"),
        ({"XDG_DATA_HOME": "/xdg"}, "linux", "/xdg/backprop-lessons"),
        ({}, "linux", "/home/u/.local/share/backprop-lessons"),
        ({}, "darwin", "/home/u/Library/Application Support/backprop-lessons"),
        ({"APPDATA": "/appdata"}, "win32", "/appdata/backprop-lessons"),
    ],
)
def test_data_dir_per_platform(env, platform, expected):
    assert data_dir(env=env, platform=platform, home=Path("/home/u")) == Path(expected)


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.parametrize("content, problem", [
    (b"{not json", "not valid JSON"),
    (bytes(range(256)) * 4, "not UTF-8"),
    (json.dumps({"version": 1, "exercises": {}}).encode("utf-16"), "not UTF-8"),
    (_deep(200_000).encode(), "nested too deeply"),
    (b'{"exercises": []}', "expected fields"),
], ids=["json", "binary", "utf-16", "deep", "schema"])
def test_an_unreadable_file_is_set_aside_with_one_note_and_recording_goes_on(
        home, content, problem):
    (home / "progress.json").write_bytes(content)
    (home / "progress.json.corrupt-1").write_text("older", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no raw warning
        assert ex.weight_update.check(good).passed
        assert flush()
        report = progress()
    assert (home / "progress.json.corrupt-2").read_bytes() == content
    assert _data(home)["exercises"]["weight_update"]["status"] == "passed"
    assert len(report.notes) == 1
    assert problem in report.notes[0] and "progress.json.corrupt-2" in report.notes[0]
    assert "Note: Your progress file" in repr(report)
    assert progress().notes == []  # told once


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_folder_or_a_fifo_at_the_path_is_set_aside(home, kind):
    path = home / "progress.json"
    if kind == "folder":
        path.mkdir()
    else:
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        os.mkfifo(path)
    ex.weight_update.check(good)
    assert flush(30)
    assert _data(home)["exercises"]["weight_update"]["status"] == "passed"
    kept = home / "progress.json.corrupt-1"
    assert kept.is_dir() if kind == "folder" else kept.is_fifo()
    assert "a folder" in progress().notes[0] if kind == "folder" else True


def test_an_unwritable_location_keeps_progress_in_memory_and_the_next_check_tries_again(
        tmp_path, monkeypatch):
    blocker = tmp_path / "home"
    blocker.write_text("", encoding="utf-8")  # a file where the folder should be
    monkeypatch.setenv(ENV_VAR, str(blocker))
    assert ex.weight_update.check(good).passed
    assert flush()
    second = ex.weight_update.check(bad)  # the note comes with the next check
    assert "could not be saved" in second.message and "tries the disk again" in second.message
    assert flush()
    report = progress()
    assert report.as_dict()["lessons"][1]["exercises"][1]["attempts"] == 2  # from memory
    blocker.unlink()  # space is back
    third = ex.weight_update.check(good)
    assert "could not be saved" not in third.message
    data = _data(blocker)
    assert data["exercises"]["weight_update"]["attempts"] == 3  # nothing lost


def test_permission_denied_on_the_file_is_told_and_recording_resumes(home, monkeypatch):
    import errno

    path = home / "progress.json"
    path.write_text(json.dumps({"version": 1, "exercises": {}}), encoding="utf-8")
    real_read = ProgressStore._read

    def denied(self):  # what a chmod 000 file gives (the tests may run as root)
        raise PermissionError(errno.EACCES, "Permission denied", str(self.path))

    monkeypatch.setattr(ProgressStore, "_read", denied)
    ex.weight_update.check(good)
    assert flush()
    report = progress()
    assert any("permission denied" in n for n in report.notes)
    assert report.as_dict()["lessons"][1]["exercises"][1]["attempts"] == 1  # kept in memory
    monkeypatch.setattr(ProgressStore, "_read", real_read)
    ex.weight_update.check(good)
    assert _data(home)["exercises"]["weight_update"]["attempts"] == 2


def test_a_lock_held_elsewhere_never_blocks_a_check(home):
    import fcntl

    store = ProgressStore(home)
    home.mkdir(exist_ok=True)
    with open(store.lock_path, "a+b") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)  # another kernel stuck while writing
        result = ex.weight_update.check(good)  # returns: the writer waits, not the check
        assert result.passed
        assert flush(30)
        assert any("held by another program" in n for n in notes())
        fcntl.flock(held.fileno(), fcntl.LOCK_UN)
    ex.weight_update.check(good)
    assert _data(home)["exercises"]["weight_update"]["attempts"] == 2


def test_stale_temp_files_of_killed_writers_are_removed_by_the_next_write(home):
    stale = home / ".progress-dead.tmp"
    fresh = home / ".progress-live.tmp"
    for p in (stale, fresh):
        p.write_text("{", encoding="utf-8")
    old = os.stat(stale).st_mtime - 3600
    os.utime(stale, (old, old))
    record("x", "01_slopes", "failed")
    assert flush()
    assert not stale.exists()
    assert fresh.exists()  # it may be another kernel's write in progress


def test_memory_store_keeps_outcomes():
    store = MemoryStore()
    store.record("a", "01_slopes", "failed")
    store.record("a", "01_slopes", "passed")
    entry = store.load()["exercises"]["a"]
    assert (entry["status"], entry["attempts"]) == ("passed", 2)


def test_writes_are_atomic_and_leave_no_temp_files(home):
    store = ProgressStore(home)
    for i in range(5):
        store.record(f"e{i}", "01_slopes", "passed")
    assert current_store().path == store.path
    names = sorted(p.name for p in home.iterdir())
    assert names == ["progress.json", "progress.json.lock"]


_WORKER = """
import sys
from backprop_lessons.exercises import lesson_01 as ex
from backprop_lessons.exercises.progress import record
tag = sys.argv[1]
good = lambda W_old, dL_dW, eta: W_old - eta * dL_dW
for i in range(200):
    ex.weight_update.check(good)
    record(f"{tag}-{i}", "01_slopes", "failed")
"""


def test_two_processes_checking_200_times_each_lose_no_record(home):
    env = dict(os.environ, **{ENV_VAR: str(home)})
    procs = [subprocess.Popen([sys.executable, "-c", _WORKER, tag], env=env) for tag in ("a", "b")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    data = _data(home)["exercises"]
    assert data["weight_update"]["attempts"] == 400
    assert len([k for k in data if k != "weight_update"]) == 400


def _total(lesson_key: str) -> int:
    from backprop_lessons.exercises import lessons

    return len(lessons()[lesson_key].exercises)


def test_progress_report_text_and_html(home):
    import re

    ex.weight_update.check(good)
    ex.weight_update.check(bad)
    ex.numerical_derivative.check(lambda f, x, h=1e-5: 0.0)
    report = progress()
    text = repr(report)
    assert text == repr(progress())
    n01, n03 = _total("01_slopes"), _total("03_one_neuron")
    assert f"01_slopes · Slopes and the sign of the gradient: 1/{n01} done" in text
    assert re.search(r"✓ weight_update +done \(2 attempts; last check: failed\)", text)
    assert re.search(r"✗ numerical_derivative +failed \(1 attempt\)", text)
    assert re.search(r"Remaining: [^\n]*numerical_derivative", text)
    assert f"03_one_neuron · One neuron: weight and bias updates: 0/{n03} done" in text
    html = report._repr_html_()
    assert "<table>" in html and "✓ <code>weight_update</code>" in html
    lesson = next(x for x in report.as_dict()["lessons"] if x["lesson"] == "01_slopes")
    assert (lesson["done"], lesson["total"]) == (1, n01)


def test_cli_prints_the_table(home, capsys):
    ex.weight_update.check(good)
    assert cli_main([]) == 0
    out = capsys.readouterr().out
    assert f"01_slopes · Slopes and the sign of the gradient: 1/{_total('01_slopes')} done" in out
    assert cli_main(["--json"]) == 0
    by_key = {x["lesson"]: x for x in json.loads(capsys.readouterr().out)["lessons"]}
    assert by_key["01_slopes"]["done"] == 1
    assert cli_main(["--where"]) == 0
    assert capsys.readouterr().out.strip() == str(home / "progress.json")


def test_console_command_dispatches_to_cli_main(home):
    env = dict(os.environ, **{ENV_VAR: str(home)})
    out = subprocess.run(
        [sys.executable, "-m", "backprop_lessons.tools.cli", "progress"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert out.stdout.startswith("Your progress: 0 of ")


def test_cli_never_shows_a_traceback_or_a_raw_warning(home):
    (home / "progress.json").write_bytes(bytes(range(256)))
    env = dict(os.environ, **{ENV_VAR: str(home)})
    out = subprocess.run([sys.executable, "-W", "always", "-m", "backprop_lessons.tools.cli",
                          "progress"], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0
    assert "Traceback" not in out.stderr and "Warning" not in out.stderr
    assert out.stdout.startswith("Your progress: 0 of ")
    assert "Note: Your progress file" in out.stdout and "not UTF-8" in out.stdout


def test_cli_reset_keeps_the_old_file_aside(home, capsys):
    assert cli_main(["--reset"]) == 0
    assert "Nothing to reset" in capsys.readouterr().out
    ex.weight_update.check(good)
    assert cli_main(["--reset"]) == 0
    assert "previous progress is kept in" in capsys.readouterr().out
    assert not (home / "progress.json").exists()
    kept = json.loads((home / "progress.json.reset-1").read_text(encoding="utf-8"))
    assert kept["exercises"]["weight_update"]["status"] == "passed"
    ex.weight_update.check(good)
    assert cli_main(["--reset"]) == 0
    assert (home / "progress.json.reset-2").exists()
