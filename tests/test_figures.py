"""The figures: each draws headless, carries its title and labels, and the committed
PNGs in figures/ are what the code draws now (stale figures fail)."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.testing.compare import compare_images  # noqa: E402

from backprop_lessons import course_network, figures  # noqa: E402
from backprop_lessons.maths.autodiff import Value  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
COMMITTED = REPO / "figures"

# RMS tolerance of compare_images, on the 0-255 scale. The committed PNGs are drawn by
# the same code with the same matplotlib and FreeType, which gives RMS 0.0; 0.5 leaves
# room for anti-aliasing noise only: a moved line, a changed label or colour, or a
# different number in a figure gives an RMS well above it.
TOL = 0.5


def _texts(fig):
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        out += [t.get_text() for t in ax.texts]
        out += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
        leg = ax.get_legend()
        if leg is not None:
            out += [t.get_text() for t in leg.get_texts()]
    if fig._suptitle is not None:
        out.append(fig._suptitle.get_text())
    return "\n".join(out)


EXPECTED_TEXT = {
    "backprop_overview": ["forward pass", "backward pass", "mini-\nbatch"],
    "course_network": ["The course network", "W1", "W5", "+ b4", "O22"],
    "chain_rule_paths": ["two paths from L to W1", "path 1 (via O21)", "path 2 (via O22)"],
    "slope_sign": ["sign of the slope", "W_new = 1.20 > W_old = 0.40", "L(W)"],
    "learning_rate": ["η = 0.1: too small", "diverges", "oscillates"],
    "computational_graph": ["Computational graph", "grad 3", "data 1.5"],
    "training_curves": ["batch size 1 (SGD)", "batch size 32", "full batch (200)", "epoch"],
    "symmetry_weights": ["Hinton diagram of the 6-2-1", "hidden 2",
                         "output unit\n(weights from\nhidden 1, 2; bias)"],
}


@pytest.mark.parametrize("name", sorted(figures.FIGURES))
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_each_figure_draws_headless_with_its_labels(name, theme):
    fig = figures.FIGURES[name](theme=theme)
    assert isinstance(fig, Figure)
    text = _texts(fig)
    for fragment in EXPECTED_TEXT[name]:
        assert fragment in text, (name, fragment)
    bg = figures.THEMES[theme]["bg"]
    assert matplotlib.colors.to_hex(fig.get_facecolor()) == bg


def test_unknown_theme_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="theme must be 'light' or 'dark', got 'blue'"):
        figures.slope_sign(theme="blue")


def test_slope_sign_steps_follow_the_update_rule():
    from backprop_lessons.maths import calculus, updates

    # loss_1d has slope W - 2: at 0.4 the slope is -1.6, so W_new = 0.4 + 0.5 * 1.6 = 1.2
    slope, _ = calculus.tangent_line(figures.loss_1d, 0.4)
    assert slope == pytest.approx(-1.6, abs=1e-8)
    text = _texts(figures.slope_sign())
    W_new_left = updates.weight_update(
        0.4, calculus.numerical_derivative(figures.loss_1d, 0.4), 0.5
    )
    W_new_right = updates.weight_update(
        3.6, calculus.numerical_derivative(figures.loss_1d, 3.6), 0.5
    )
    assert W_new_left > 0.4 and W_new_right < 3.6
    assert f"W_new = {W_new_left:.2f} > W_old = 0.40" in text
    assert f"W_new = {W_new_right:.2f} < W_old = 3.60" in text


def test_descent_path_matches_the_closed_form_of_each_learning_rate():
    # loss_1d: W_new - 2 = (1 - eta)(W_old - 2)
    for eta, _verdict in figures.LEARNING_RATES:
        path = figures.descent_path(-1.5, eta, 10)
        expected = [2.0 + (1 - eta) ** k * (-3.5) for k in range(11)]
        np.testing.assert_allclose(path, expected, rtol=1e-8, atol=1e-8)
    assert abs(figures.descent_path(-1.5, 2.15, 10)[-1] - 2) > 3.5  # diverges
    small = figures.descent_path(-1.5, 1.8, 10)
    assert np.all(np.sign(np.diff(np.array(small) - 2)) != 0)


def test_chain_rule_paths_shows_the_course_network_path_products():
    x, y = course_network.default_example()
    params = course_network.default_params()
    (_p1, _v1, prod1), (_p2, _v2, prod2) = course_network.path_products(x, y, params, "W1")
    text = _texts(figures.chain_rule_paths())
    assert f"= {prod1:.5f}" in text and f"= {prod2:.5f}" in text
    total = course_network.gradients(x, y, params)["W1"]
    assert f"path 1 + path 2 = {total:.5f}" in text


def test_chain_rule_paths_writes_plain_text_not_mathtext():
    # the chain-rule explorer redraws this figure on every slider move; a mathtext label
    # costs ~35 ms to lay out, plain text with Unicode subscripts a fraction of that
    fig = figures.chain_rule_paths()
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert texts and not [t for t in texts if "$" in t]
    assert any("∂O₃₁/∂O₂₁" in t for t in texts) and any(t.startswith("∂L/∂W₁ =") for t in texts)


def test_graph_layout_is_layered_by_depth():
    L = figures.default_graph()
    pos = figures.graph_layout(L)
    by_label = {n.label: p for n, p in pos.items()}
    assert by_label["L"][0] == 4.0  # root on the right
    assert by_label["z − y"][0] == 3.0
    assert by_label["w"][0] == by_label["x"][0] == 0.0
    assert by_label["b"][0] == 1.0 and by_label["y"][0] == 2.0
    # no two nodes share a position
    assert len(set(pos.values())) == len(pos)


def test_computational_graph_draws_any_small_graph_and_refuses_big_ones():
    a, b = Value(0.5, label="a"), Value(-1.0, label="b")
    out = (a * b + a).tanh()
    out.backward()
    text = _texts(figures.computational_graph(out, theme="dark"))
    assert f"grad {a.grad:.4g}" in text and "tanh" in text
    big = Value(0.0)
    for _ in range(40):
        big = big + 1.0
    with pytest.raises(ValueError, match="draws at most 60"):
        figures.computational_graph(big)
    with pytest.raises(TypeError, match="root must be a Value"):
        figures.computational_graph(3.0)


def _agg_renderer(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def _overlaps(fig, texts, gap=0.0):
    """The pairs of ``texts`` whose bounding boxes, drawn by Agg, come closer than ``gap``
    pixels (``gap=0``: overlap by more than half a pixel either way)."""
    renderer = _agg_renderer(fig)
    boxes = [(t.get_text(), t.get_window_extent(renderer=renderer)) for t in texts
             if t.get_text()]
    limit = 0.5 if gap == 0 else -gap
    found = []
    for i, (a, ba) in enumerate(boxes):
        for b, bb in boxes[i + 1:]:
            dx = min(ba.x1, bb.x1) - max(ba.x0, bb.x0)
            dy = min(ba.y1, bb.y1) - max(ba.y0, bb.y0)
            if dx > limit and dy > limit:
                found.append((a, b))
    return found


def _outside_their_box(fig):
    """The node labels of a computational graph that stick out of their node's box."""
    from matplotlib.patches import FancyBboxPatch

    renderer = _agg_renderer(fig)
    ax = fig.axes[0]
    boxes = [p.get_window_extent(renderer=renderer) for p in ax.patches
             if isinstance(p, FancyBboxPatch)]
    out = []
    for k, t in enumerate(ax.texts):
        box, label = boxes[k // 3], t.get_window_extent(renderer=renderer)
        if label.x0 < box.x0 or label.x1 > box.x1 or label.y0 < box.y0 or label.y1 > box.y1:
            out.append(t.get_text())
    return out


def _course_graph():
    from backprop_lessons.maths import modes

    x, y = course_network.default_example()
    v = modes.course_values(x, y, course_network.default_params())
    v["L"].backward()
    return v["L"]


@pytest.mark.parametrize("which", ["default", "course network", "small"])
def test_computational_graph_labels_never_overlap(which):
    """Lesson 07 draws the course network's 27 nodes in 12 columns: each label must stay
    inside its own box ("O21 [σ]" used to run into "W4·O21 [*]"), and stay legible."""
    if which == "default":
        root = None
    elif which == "course network":
        root = _course_graph()
    else:
        a, b = Value(0.5, label="a"), Value(-1.0, label="b")
        root = (a * b + a).tanh()
        root.backward()
    fig = figures.computational_graph(root)
    texts = fig.axes[0].texts
    assert len(texts) == 3 * len((root or figures.default_graph()).nodes())
    assert _outside_their_box(fig) == []
    assert _overlaps(fig, texts, gap=4.0) == []
    assert min(t.get_fontsize() for t in texts) >= 7.0
    if which == "course network":
        titles = {t.get_text() for t in texts}
        assert {"O21 [σ]", "W4·O21 [*]", "W2·O11 [*]"} <= titles


def test_hinton_diagram_row_labels_never_overlap():
    fig = figures.symmetry_weights()
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["hidden 1", "hidden 2", "output unit\n(weights from\nhidden 1, 2; bias)"]
    assert "1..h" not in _texts(fig)
    assert _overlaps(fig, ax.get_yticklabels() + ax.get_xticklabels() + ax.texts) == []


def test_default_symmetry_network_solves_the_task_with_mirror_weights():
    from backprop_lessons.maths import datasets, network

    w = dict(figures.symmetry_weight_runs(figures.SYMMETRY_SEED))
    net = network.Network([6, 2, 1], seed=0)
    net.set_params(w)
    X, y = datasets.mirror_symmetry()
    assert np.array_equal(net.predict(X) > 0.5, y > 0.5)
    # each hidden unit: w_i = -w_(7-i) (the 1986 paper's solution)
    np.testing.assert_allclose(w["W1"], -w["W1"][::-1], rtol=0.05, atol=0.05)


def test_symmetry_weights_draws_given_weights_and_checks_them():
    rng = np.random.default_rng(0)
    weights = {
        "W1": rng.normal(size=(6, 2)),
        "b1": np.zeros(2),
        "W2": rng.normal(size=(2, 1)),
        "b2": np.zeros(1),
    }
    fig = figures.symmetry_weights(weights)
    assert f"{weights['W1'][0, 0]:+.1f}" in _texts(fig)
    with pytest.raises(ValueError, match="got W1 \\(6, 2\\), b1 \\(2,\\), W2 \\(3, 1\\)"):
        figures.symmetry_weights({**weights, "W2": np.ones((3, 1))})


def test_save_figure_refuses_other_formats(tmp_path):
    with pytest.raises(ValueError, match="must end in .png or .svg, got"):
        figures.save_figure(figures.slope_sign(), tmp_path / "x.pdf")


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    out = tmp_path_factory.mktemp("figures")
    code = figures.cli_main(["--out", str(out)])
    assert code == 0
    return out


def test_cli_writes_all_32_files(regenerated):
    names = sorted(p.name for p in regenerated.iterdir() if p.suffix != ".json")
    expected = sorted(
        f"{n}-{t}.{fmt}"
        for n in figures.FIGURES
        for t in ("light", "dark")
        for fmt in ("png", "svg")
    )
    assert names == expected and len(names) == 32
    for p in regenerated.glob("*.png"):
        assert p.stat().st_size < 150_000, p.name


def test_svg_output_is_deterministic(regenerated, tmp_path):
    figures.write_all(tmp_path, ["course_network"], themes=["dark"])
    again = (tmp_path / "course_network-dark.svg").read_bytes()
    assert again == (regenerated / "course_network-dark.svg").read_bytes()
    assert b"<dc:date>" not in again


@pytest.mark.parametrize(
    "filename", sorted(f"{n}-{t}.png" for n in figures.FIGURES for t in ("light", "dark"))
)
def test_committed_png_matches_the_code(regenerated, filename):
    expected = COMMITTED / filename
    assert expected.is_file(), f"{filename} is missing: run `backprop-lessons figures`"
    drawn_with = _manifest()["matplotlib"]
    if drawn_with.split(".")[:2] != matplotlib.__version__.split(".")[:2]:
        pytest.skip(f"the committed PNGs were drawn with matplotlib {drawn_with}, this is "
                    f"{matplotlib.__version__}: pixels would measure the renderer, not the "
                    "figure (test_committed_figure_content_matches_the_code still runs)")
    result = compare_images(str(expected), str(regenerated / filename), tol=TOL)
    assert result is None, f"{filename} is stale (run `backprop-lessons figures`): {result}"


def _manifest() -> dict:
    import json

    return json.loads((COMMITTED / figures.FINGERPRINTS).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(figures.FIGURES))
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_committed_figure_content_matches_the_code(name, theme):
    """Renderer-independent staleness check: what the figure shows (texts, line data,
    shapes) hashes to the fingerprint recorded when the committed files were written."""
    recorded = _manifest()["figures"].get(f"{name}-{theme}")
    assert recorded, f"{name}-{theme} has no fingerprint: run `backprop-lessons figures`"
    assert figures.fingerprint(figures.FIGURES[name](theme=theme)) == recorded, (
        f"{name}-{theme} is stale: run `backprop-lessons figures`")


def test_fingerprint_changes_with_the_content():
    fig = figures.FIGURES["slope_sign"](theme="light")
    before = figures.fingerprint(fig)
    fig.axes[0].lines[0].set_ydata(fig.axes[0].lines[0].get_ydata() + 1e-3)
    assert figures.fingerprint(fig) != before


def test_backprop_lessons_figures_command(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "backprop_lessons.tools.cli",
            "figures",
            "--out",
            str(tmp_path),
            "--only",
            "slope_sign",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".json") == [
        "slope_sign-dark.png",
        "slope_sign-dark.svg",
        "slope_sign-light.png",
        "slope_sign-light.svg",
    ]
