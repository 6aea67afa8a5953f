"""The progress store: schema, merge rule, location, atomic locked writes, corrupt and
unwritable files, the report and the CLI."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from backprop_lessons.exercises import lesson_01 as ex
from backprop_lessons.exercises import progress
from backprop_lessons.exercises.progress import (
    ENV_VAR,
    MemoryStore,
    ProgressStore,
    ProgressWarning,
    cli_main,
    current_store,
    data_dir,
    record,
)


def good(W_old, dL_dW, eta):
    return W_old - eta * dL_dW


def bad(W_old, dL_dW, eta):
    return W_old + eta * dL_dW


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    return tmp_path


def _data(home: Path) -> dict:
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


def test_corrupt_file_is_set_aside_with_a_warning(home):
    (home / "progress.json").write_text("{not json", encoding="utf-8")
    (home / "progress.json.corrupt-1").write_text("older", encoding="utf-8")
    with pytest.warns(ProgressWarning, match="could not be read.*progress.json.corrupt-2"):
        ex.weight_update.check(good)
    assert (home / "progress.json.corrupt-2").read_text(encoding="utf-8") == "{not json"
    assert _data(home)["exercises"]["weight_update"]["status"] == "passed"


def test_wrong_schema_counts_as_corrupt(home):
    (home / "progress.json").write_text('{"exercises": []}', encoding="utf-8")
    with pytest.warns(ProgressWarning):
        record("x", "01_slopes", "failed")
    assert (home / "progress.json.corrupt-1").exists()


def test_unwritable_location_falls_back_to_memory_with_a_warning(tmp_path, monkeypatch):
    blocker = tmp_path / "a_file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, str(blocker / "sub"))  # cannot be a folder
    with pytest.warns(ProgressWarning, match="kept in memory"):
        result = ex.weight_update.check(good)
    assert result.passed
    store = current_store()
    assert isinstance(store, MemoryStore)
    ex.weight_update.check(bad)  # no exception, no second warning needed
    assert store.load()["exercises"]["weight_update"]["attempts"] == 2
    report = progress()
    assert report.as_dict()["done"] >= 1


def test_writes_are_atomic_and_leave_no_temp_files(home):
    store = ProgressStore(home)
    for i in range(5):
        store.record(f"e{i}", "01_slopes", "passed")
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
