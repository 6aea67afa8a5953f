"""Interactive explorers of the lessons (ipywidgets 8 + matplotlib), in three parts:

- :mod:`.state`: plain objects that compute what an explorer shows (no display needed);
- :mod:`.picture`: :class:`Picture`, a drawn state that shows as a PNG anywhere;
- :mod:`.explorers`: the widgets (sliders bound to a state) and their static pictures.

``import backprop_lessons.widgets`` loads neither ipywidgets nor matplotlib: they load when
a widget or a picture is built.
"""

from __future__ import annotations

from ..maths.descent import descent_path, loss_1d
from .explorers import (
    chain_rule_explorer,
    chain_rule_explorer_figure,
    learning_rate_explorer,
    learning_rate_explorer_figure,
    slope_explorer,
    slope_explorer_figure,
    training_explorer,
    training_explorer_figure,
)
from .picture import PNG_DPI, Picture, png_bytes
from .state import ChainRuleState, LearningRateState, SlopeExplorerState, TrainingState

__all__ = [
    "loss_1d",
    "descent_path",
    "SlopeExplorerState",
    "LearningRateState",
    "ChainRuleState",
    "TrainingState",
    "slope_explorer",
    "learning_rate_explorer",
    "chain_rule_explorer",
    "training_explorer",
    "slope_explorer_figure",
    "learning_rate_explorer_figure",
    "chain_rule_explorer_figure",
    "training_explorer_figure",
    "Picture",
    "png_bytes",
    "PNG_DPI",
]
