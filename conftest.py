"""Test-wide set-up: never touch the learner's real progress file.

Set before any kernel starts, so the nbval kernels inherit it too.
"""

import os
import shutil
import tempfile

# (both folders are removed when the test session ends, see pytest_unconfigure)
_HOME = tempfile.mkdtemp(prefix="backprop-lessons-test-home-")
os.environ["BACKPROP_LESSONS_HOME"] = _HOME
# matplotlib's font cache of this test session only: a cache left by another install of the
# same matplotlib version (another venv) can miss fonts, and its warnings on stderr would
# fail strict nbval
_MPL = tempfile.mkdtemp(prefix="backprop-lessons-test-mpl-")
os.environ["MPLCONFIGDIR"] = _MPL
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")


def pytest_configure(config):
    """Build that font cache here, once, before any kernel starts: a kernel that had to build
    it would print matplotlib's "building the font cache" warning into a lesson's output."""
    from matplotlib import font_manager  # noqa: F401


def pytest_unconfigure(config):
    """Remove this session's progress home and font cache: a developer who runs the suite
    often would otherwise collect two folders in /tmp per run."""
    for folder in (_HOME, _MPL):
        shutil.rmtree(folder, ignore_errors=True)


# Tests of the slow tier besides nbval's cells (each runs kernels, subprocesses or writes
# every figure); a test file may also mark its own with @pytest.mark.slow.
SLOW = (
    "tests/test_notebooks.py::test_solved_run_passes_every_check",
    "tests/test_authoring.py::test_answer_key_has_every_check_passing",
    "tests/test_progress.py::test_two_processes_checking_200_times_each_lose_no_record",
    "tests/test_figures.py::test_cli_writes_all_32_files",
    "tests/test_figures.py::test_svg_output_is_deterministic",
    "tests/test_figures.py::test_committed_png_matches_the_code",
    "tests/test_figures.py::test_backprop_lessons_figures_command",
    "tests/test_autodiff.py::test_deep_chain_of_100000_nodes_without_recursion_error",
    # every declared misconception of every exercise, one forked check each (338 checks)
    "tests/test_exercises_registry.py::test_declared_misconception_is_caught_with_its_message",
    # explorers and figures drawn with matplotlib, slider by slider
    "tests/test_widgets.py::test_slope_explorer_",
    "tests/test_widgets.py::test_learning_rate_explorer_",
    "tests/test_widgets.py::test_chain_rule_explorer_",
    "tests/test_widgets.py::test_training_explorer_",
    "tests/test_widgets.py::test_static_fallback",
    "tests/test_widgets.py::test_explorer_",
    "tests/test_widgets.py::test_building_an_explorer_",
    "tests/test_figures.py::test_each_figure_draws_headless_with_its_labels",
    "tests/test_figures.py::test_committed_figure_content_matches_the_code",
    # one fresh interpreter per old module name
    "tests/test_architecture.py::test_short_module_names_of_saved_notebooks_still_import",
    # each waits out a time limit or a lock on purpose
    "tests/test_lesson_07_deeper.py::test_a_class_that_loops_forever_gets_a_time_limit_message",
    "tests/test_lesson_07_deeper.py::test_a_class_that_prints_forever_is_cut_off",
    "tests/test_progress.py::test_a_lock_held_elsewhere_never_blocks_a_check",
)


# Catalogues of learner answers (one forked check each, hundreds in all): a parametrized test
# whose name says "wrong" or "right" in these files is slow; single regression tests stay fast.
CATALOGUES = ("tests/test_wrong_answers_", "tests/test_lesson_")


def _catalogued(nodeid: str) -> bool:
    if not nodeid.startswith(CATALOGUES) or "[" not in nodeid:
        return False
    name = nodeid.split("::", 1)[1].split("[", 1)[0]
    return "wrong" in name or "right" in name


def pytest_collection_modifyitems(config, items):
    """Every notebook cell that nbval runs, the tests in SLOW and the answer catalogues
    belong to the slow tier."""
    import pytest

    for item in items:
        if type(item).__name__ == "IPyNbCell" or item.nodeid.startswith(SLOW) \
                or _catalogued(item.nodeid):
            item.add_marker(pytest.mark.slow)
