"""backprop_lessons: the tested maths, exercises and figures of the backprop-lessons course.

``import backprop_lessons`` loads numpy only; the figures and widgets load matplotlib
and ipywidgets when they are used.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .calculus import numerical_derivative, slope_sign, tangent_line
from .updates import bias_update, step_direction, weight_update

__all__ = [
    "__version__",
    "numerical_derivative",
    "tangent_line",
    "slope_sign",
    "weight_update",
    "bias_update",
    "step_direction",
]
