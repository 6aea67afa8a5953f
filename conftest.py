"""Test-wide set-up: never touch the learner's real progress file.

Set before any kernel starts, so the nbval kernels inherit it too.
"""

import os
import tempfile

os.environ["BACKPROP_LESSONS_HOME"] = tempfile.mkdtemp(prefix="backprop-lessons-test-home-")
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")


def pytest_collection_modifyitems(config, items):
    """Every notebook cell that nbval runs belongs to the slow tier."""
    import pytest

    for item in items:
        if type(item).__name__ == "IPyNbCell":
            item.add_marker(pytest.mark.slow)
