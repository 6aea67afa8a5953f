import subprocess
import sys

import backprop_lessons
from backprop_lessons.tools.cli import main


def test_import_is_light():
    code = ("import backprop_lessons, backprop_lessons.maths.network, "
            "backprop_lessons.maths.training, backprop_lessons.maths.gradcheck, "
            "backprop_lessons.maths.datasets, backprop_lessons.exercises, "
            "backprop_lessons.widgets, sys; "
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


ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    command = 'python -m pip install -e ".[test]" && python -m pytest'
    assert command in readme
    assert any(line.startswith(command) for line in ci.splitlines())
    assert "python -m pip install -e . && jupyter lab notebooks/00_start_here.ipynb" in readme


def test_readme_lesson_map_lists_every_notebook():
    readme = (ROOT / "README.md").read_text()
    for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        assert f"(notebooks/{nb.name})" in readme, f"README lesson map misses {nb.name}"


def test_readme_lesson_table_is_the_catalog():
    """The README's table has one row per lesson of the catalog, in its words."""
    import re

    from backprop_lessons.catalog import LESSONS

    readme = (ROOT / "README.md").read_text()
    rows = re.findall(r"^\| (\d\d) \| \[(.+?)\]\(notebooks/(\S+?)\) \| (.+) \|$", readme, re.M)
    expected = [(f"{x.number:02d}", x.title, x.notebook, x.derives) for x in LESSONS]
    assert rows == expected


def test_catalog_and_notebooks_agree():
    from backprop_lessons.catalog import LESSONS

    on_disk = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert on_disk == [x.notebook for x in LESSONS]
    assert [x.number for x in LESSONS] == list(range(len(LESSONS)))
