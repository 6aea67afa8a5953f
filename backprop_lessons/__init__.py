"""backprop_lessons: the tested maths, exercises and figures of the backprop-lessons course.

The folders are the layers, each importing only those below it:

- :mod:`.maths`: every formula of the lessons (numpy only);
- :mod:`.viz` and :mod:`.widgets`: figures, plots and explorers (matplotlib, ipywidgets);
- :mod:`.exercises`: the check engine, the progress store, one module per lesson;
- :mod:`.tools`: building the notebooks, grading, the command line (imported by nothing).

``import backprop_lessons`` loads numpy only; the figures and widgets load matplotlib
and ipywidgets when they are used. The modules' short names still import, as notebooks
saved with earlier versions wrote them: ``from backprop_lessons import calculus`` or
``from backprop_lessons.network import Network`` are ``backprop_lessons.maths.calculus``
and ``backprop_lessons.maths.network``.
"""

from __future__ import annotations

__version__ = "0.2.0"

import importlib
import importlib.abc
import importlib.util
import sys
from typing import Any

from .maths.calculus import numerical_derivative, slope_sign, tangent_line
from .maths.updates import bias_update, step_direction, weight_update

__all__ = [
    "__version__",
    "numerical_derivative",
    "tangent_line",
    "slope_sign",
    "weight_update",
    "bias_update",
    "step_direction",
]

_MATHS = (
    "calculus", "descent", "updates", "activations", "losses", "course_network", "chain_rule",
    "neuron", "layers", "network", "training", "autodiff", "modes", "gradcheck", "checking",
    "datasets", "rhw1986",
)
ALIASES: dict[str, str] = {
    **{name: f"maths.{name}" for name in _MATHS},
    "figures": "viz.figures",
    "plots": "viz.plots",
    "authoring": "tools.authoring",
    "grader": "tools.grader",
    "cli": "tools.cli",
}
"""Short module names of earlier versions -> where the module lives now."""


class _AliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports ``backprop_lessons.<short name>`` as the module it names in ``ALIASES``
    (the same module object, imported once)."""

    def find_spec(self, fullname, path=None, target=None):  # noqa: ANN001 - importlib's API
        head, _, short = fullname.rpartition(".")
        if head == __name__ and short in ALIASES:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):  # noqa: ANN001
        return None

    def exec_module(self, module) -> None:  # noqa: ANN001
        short = module.__name__.rpartition(".")[2]
        sys.modules[module.__name__] = importlib.import_module(f"{__name__}.{ALIASES[short]}")


if not any(isinstance(f, _AliasFinder) for f in sys.meta_path):
    sys.meta_path.append(_AliasFinder())


def __getattr__(name: str) -> Any:
    """``backprop_lessons.<short name>`` (see ``ALIASES``), imported when first used."""
    if name in ALIASES:
        return importlib.import_module(f"{__name__}.{ALIASES[name]}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
