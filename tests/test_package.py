import subprocess
import sys
from pathlib import Path

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
    """The console script sits beside the interpreter (a venv's bin/ is not on PATH when
    the README runs `.venv/bin/python -m pytest`)."""
    scripts = Path(sys.executable).parent
    script = next((p for p in (scripts / "backprop-lessons", scripts / "backprop-lessons.exe")
                   if p.exists()), None)
    assert script is not None, f"no backprop-lessons script beside {sys.executable}"
    out = subprocess.run([str(script), "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "usage: backprop-lessons" in out.stdout
    assert "start" in out.stdout


ROOT = Path(__file__).resolve().parent.parent
README_LAB = ('python3 -m venv .venv && .venv/bin/python -m pip install -e ".[lab]" && '
              ".venv/bin/backprop-lessons start")
README_TEST = ('python3 -m venv .venv && .venv/bin/python -m pip install -e ".[test]" && '
               ".venv/bin/python -m pytest")


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert README_TEST in readme and README_LAB in readme
    assert any(line.startswith(README_TEST) for line in ci.splitlines()), \
        ".ci/run must run the README's test command verbatim"


def test_ci_installs_what_the_tests_need_non_interactively():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "apt-get update" in ci and "apt-get install -y" in ci
    for package in ("chromium", "bubblewrap", "python3-venv"):
        assert package in ci, f".ci/run does not install {package}"
    assert "playwright install" not in ci  # its browser download cannot work here
    assert ci.index("apt-get install") < ci.index(README_TEST)


def _pyproject() -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: the test extra installs tomli
        import tomli as tomllib
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_extras_and_dependencies_declare_what_commands_import():
    project = _pyproject()["project"]
    names = {d.split(">")[0].split("=")[0].split("<")[0].strip()
             for d in project["dependencies"]}
    # grade and build-notebooks import nbformat and nbclient; lessons run in ipykernel
    assert {"numpy", "matplotlib", "ipywidgets", "ipykernel", "nbformat", "nbclient"} <= names
    assert "jupyterlab" not in names, "JupyterLab is the lab extra, not a hard dependency"
    extras = project["optional-dependencies"]
    assert any(d.startswith("jupyterlab") for d in extras["lab"])
    assert any(d.startswith("playwright") for d in extras["browser"])
    ruff = [d for d in extras["test"] if d.startswith("ruff")]
    assert ruff and "<" in ruff[0], "ruff needs an upper bound: a new release must not fail tests"


def test_readme_launch_links_use_the_one_repository_url():
    """Binder and Colab links come from [project.urls] Repository, and only from it: with no
    public address yet there is none, and the README must not invent one."""
    import re

    url = _pyproject()["project"].get("urls", {}).get("Repository")
    readme = (ROOT / "README.md").read_text()
    links = re.findall(r"https://(?:mybinder\.org|colab\.research\.google\.com)\S+?\)", readme)
    if url is None:
        assert links == [], f"launch links without a repository address: {links}"
        return
    slug = url.removeprefix("https://github.com/")
    assert len(links) >= 2
    for link in links:
        assert f"/{slug}/" in link, f"{link} is not built from {url}"


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


def test_minimum_versions_tested_in_ci_are_the_declared_lower_bounds():
    import re

    project = _pyproject()["project"]
    declared = {}
    for dep in project["dependencies"] + project["optional-dependencies"]["test"]:
        m = re.match(r"([A-Za-z0-9_.-]+)>=([0-9.]+)", dep)
        if m:
            declared[m[1].lower()] = m[2]
    pins = dict(line.split("==") for line in
                (ROOT / ".ci" / "minimum-versions.txt").read_text().splitlines()
                if line.strip() and not line.startswith("#"))
    for name in ("numpy", "matplotlib", "ipywidgets", "ipykernel", "nbformat", "nbclient",
                 "pytest", "nbval", "ruff"):
        assert name in pins, f".ci/minimum-versions.txt does not pin {name}"
        low = tuple(int(x) for x in declared[name].split("."))
        pin = tuple(int(x) for x in pins[name].split("."))
        assert pin[:len(low)] == low and all(x == 0 for x in pin[len(low):]) or pin == low, \
            f"{name}: pyproject says >={declared[name]}, CI tests {pins[name]}"
    assert "minimum-versions.txt" in (ROOT / ".ci" / "run").read_text()
