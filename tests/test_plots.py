"""The plots of lesson 06 draw headless (no display, no pyplot) and name their errors."""

import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure

from backprop_lessons.maths.datasets import two_moons, xor
from backprop_lessons.maths.network import Network
from backprop_lessons.viz import plots


class _Halfplane:
    """A fixed classifier: class 1 when x1 > 0, so its boundary is the line x1 = 0."""

    def predict(self, X):
        return (np.asarray(X)[:, :1] > 0).astype(float) * 0.8 + 0.1


def test_decision_boundary_draws_the_points_the_regions_and_the_boundary():
    X = np.array([[-1.0, 0.0], [-0.5, 1.0], [0.5, -1.0], [1.0, 0.5]])
    y = np.array([0.0, 0.0, 1.0, 0.0])
    fig = plots.decision_boundary(_Halfplane(), X, y, resolution=41)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_title() == "decision boundary (output = 0.5), accuracy 75.0%"
    points = [c for c in ax.collections if type(c) is PathCollection]
    assert [len(c.get_offsets()) for c in points] == [3, 1]  # class 0: three, class 1: one
    contours = [c for c in ax.collections if isinstance(c, ContourSet)]
    assert [list(c.levels) for c in contours][1] == [0.5]  # the boundary, output = 0.5
    assert ax.get_xlim() == pytest.approx((-1.5, 1.5))


def test_decision_boundary_of_a_network_in_both_themes():
    X, y = two_moons(40, seed=0)
    net = Network([2, 3, 1], seed=0)
    light = plots.decision_boundary(net, X, y, resolution=20, title="before training")
    dark = plots.decision_boundary(net, X, y, resolution=20, theme="dark")
    assert light.axes[0].get_title() == "before training"
    assert light.get_facecolor() != dark.get_facecolor()


def test_decision_boundary_errors_are_named():
    X, y = xor()
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\).*got shape \(4, 1\)"):
        plots.decision_boundary(Network([1, 1]), X[:, :1], y)
    with pytest.raises(ValueError, match="y must hold one label per row of X \\(4\\), got 3"):
        plots.decision_boundary(Network([2, 1]), X, y[:3])
    with pytest.raises(TypeError, match="network must have a predict\\(X\\) method"):
        plots.decision_boundary("net", X, y)
    with pytest.raises(ValueError, match="resolution must be an integer >= 2, got the number 1"):
        plots.decision_boundary(Network([2, 1]), X, y, resolution=1)
    with pytest.raises(ValueError, match="one output per point"):
        plots.decision_boundary(Network([2, 2]), X, y, resolution=5)
    with pytest.raises(ValueError, match="theme must be 'light' or 'dark'"):
        plots.decision_boundary(Network([2, 1]), X, y, theme="blue")


def test_loss_curves_draw_one_line_per_run():
    fig = plots.loss_curves({"η = 0.5": [0.3, 0.2, 0.1], "η = 5": [0.3, 0.05]})
    ax = fig.axes[0]
    assert [line.get_label() for line in ax.get_lines()] == ["η = 0.5", "η = 5"]
    np.testing.assert_array_equal(ax.get_lines()[1].get_xdata(), [1, 2])
    assert ax.get_yscale() == "log"
    assert plots.loss_curves({"a": [0.0, 1.0]}, log=False).axes[0].get_yscale() == "linear"


def test_loss_curves_errors_are_named():
    with pytest.raises(ValueError, match="curves must be a non-empty dict"):
        plots.loss_curves({})
    with pytest.raises(ValueError, match=r"curves\['a'\] must hold at least one loss"):
        plots.loss_curves({"a": []})
    with pytest.raises(ValueError, match=r"curves\['a'\] must be positive for a log scale"):
        plots.loss_curves({"a": [1.0, 0.0]})


def test_importing_plots_does_not_import_matplotlib():
    import subprocess
    import sys

    code = ("import sys, backprop_lessons.viz.plots; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
