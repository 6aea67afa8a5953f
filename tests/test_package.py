import subprocess
import sys

import backprop_lessons
from backprop_lessons.cli import main


def test_import_is_light():
    code = ("import backprop_lessons, backprop_lessons.network, backprop_lessons.training, "
            "backprop_lessons.gradcheck, backprop_lessons.datasets, sys; "
            "print('matplotlib' in sys.modules, 'ipywidgets' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


def test_cli_version_and_help(capsys):
    try:
        main(["--version"])
    except SystemExit as exc:
        assert exc.code == 0
    assert capsys.readouterr().out.strip() == f"backprop-lessons {backprop_lessons.__version__}"
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "progress" in out and "figures" in out


def test_console_script_is_installed():
    out = subprocess.run(["backprop-lessons", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "usage: backprop-lessons" in out.stdout
