"""Wheel build hook: the lessons go into the package, as ``backprop_lessons/_lessons/``.

Every ``notebooks/NN_*.ipynb`` (their figures are embedded as cell attachments) and the
LICENSE are added to a regular wheel, so ``pip install <wheel>`` followed by
``backprop-lessons start`` gives the lessons with no clone. An editable install reads
them from the clone's ``notebooks/`` instead, so nothing is added there.
"""

from __future__ import annotations

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class LessonsHook(BuildHookInterface):
    PLUGIN_NAME = "lessons"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        lessons = sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))
        if not lessons:
            raise RuntimeError(f"no lessons in {root / 'notebooks'}: cannot build the wheel")
        for path in [*lessons, root / "LICENSE"]:
            build_data["force_include"][str(path)] = f"backprop_lessons/_lessons/{path.name}"
