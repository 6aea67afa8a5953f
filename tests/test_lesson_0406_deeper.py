"""Issue 13, "go deeper", lessons 04 and 06: the course network in matrix form gives lesson
02's numbers, the forward pass ends with the batch loss, the shapes figure draws what the
forward pass computes, and lesson 06 puts new parameters back with set_params and reports a
held-out accuracy. Each claim a lesson prints is recomputed here from the package."""

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from backprop_lessons.exercises import lesson_04
from backprop_lessons.maths import course_network, datasets, layers, modes, training
from backprop_lessons.maths.activations import sigmoid
from backprop_lessons.maths.losses import mse
from backprop_lessons.maths.network import Network
from backprop_lessons.viz import shapes
from tests.conftest import assert_wrong, solution

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def _course_matrices(p):
    """The layer matrices of the course network, written out as lesson 04 writes them."""
    return {"W1": np.array([[p["W1"]]]), "b1": np.array([p["b1"]]),
            "W2": np.array([[p["W2"], p["W3"]]]), "b2": np.array([p["b2"], p["b3"]]),
            "W3": np.array([[p["W4"]], [p["W5"]]]), "b3": np.array([p["b4"]])}


def _matrix_forward(X, m):
    A1 = sigmoid(X @ m["W1"] + m["b1"])
    A2 = sigmoid(A1 @ m["W2"] + m["b2"])
    return A1, A2, sigmoid(A2 @ m["W3"] + m["b3"])


def _outputs(lesson: str) -> str:
    """Every text a built lesson notebook's code cells printed, joined."""
    nb = json.loads((NOTEBOOKS / f"{lesson}.ipynb").read_text(encoding="utf-8"))
    out = []
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            out.append("".join(o.get("text", "")))
    return "\n".join(out)


def _markdown(lesson: str) -> str:
    nb = json.loads((NOTEBOOKS / f"{lesson}.ipynb").read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


# --- lesson 04: the course network in matrix form ------------------------------------------


def test_the_package_maps_the_nine_scalars_to_these_layer_matrices():
    p = course_network.default_params()
    got = modes.course_network_as_layers(p).params
    want = _course_matrices(p)
    assert set(got) == set(want)
    for name, value in want.items():
        assert got[name].shape == value.shape, name
        np.testing.assert_array_equal(got[name], value)
    assert [got[k].shape for k in ("W1", "W2", "W3")] == [(1, 1), (1, 2), (2, 1)]


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_the_matrix_forward_pass_gives_the_scalar_course_network(seed):
    rng = np.random.default_rng(seed)
    p = course_network.random_params(rng)
    x, y = float(rng.normal()), float(rng.uniform())
    A1, A2, A3 = _matrix_forward(np.array([[x]]), _course_matrices(p))
    f = course_network.forward(x, y, p)
    assert A1[0, 0] == pytest.approx(f["O11"], rel=1e-14, abs=0)
    np.testing.assert_allclose(A2[0], [f["O21"], f["O22"]], rtol=1e-14, atol=0)
    assert A3[0, 0] == pytest.approx(f["O31"], rel=1e-13, abs=0)
    # and the package's Network with these matrices says the same
    net_out = modes.course_network_as_layers(p).predict(np.array([[x]]))
    assert net_out[0, 0] == pytest.approx(f["O31"], rel=1e-13, abs=0)


def test_a_wrong_mapping_does_not_give_the_course_network():
    """The check of the lesson's cell can fail: W4 and W5 swapped give another O31."""
    p = course_network.default_params()
    m = _course_matrices(p)
    m["W3"] = m["W3"][::-1]
    _, _, A3 = _matrix_forward(np.array([[1.5]]), m)
    assert not np.isclose(A3[0, 0], course_network.forward(1.5, 1.0, p)["O31"], rtol=1e-6)


def test_the_batch_loss_is_the_mean_of_the_scalar_losses():
    p = course_network.default_params()
    rng = np.random.default_rng(4)  # the lesson's batch
    X = rng.normal(size=(32, 1))
    y = rng.integers(0, 2, size=(32, 1)).astype(float)
    _, A2, Y = _matrix_forward(X, _course_matrices(p))
    assert A2.shape == (32, 2) and Y.shape == (32, 1)
    L = mse(y, Y)
    assert np.shape(L) == ()
    scalar = [course_network.forward(float(a), float(b), p)["L"]
              for a, b in zip(X[:, 0], y[:, 0], strict=True)]
    assert L == pytest.approx(float(np.mean(scalar)), rel=1e-13, abs=0)
    assert L == pytest.approx(float(np.mean((y - Y) ** 2)), rel=1e-15)
    assert f"L = mse(y, Y) = {L:.6f}" in _outputs("04_forward_pass")
    assert f"{np.mean(scalar):.6f}" in _outputs("04_forward_pass")


def test_lesson_04_prints_the_matrix_and_scalar_O31_and_draws_the_shapes():
    out = _outputs("04_forward_pass")
    f = course_network.forward(1.5, 1.0, course_network.default_params())
    assert f"O31 = {f['O31']:.6f}" in out and f"A3 = {f['O31']:.6f}" in out
    assert "same O31: True" in out and "the package's matrices are these: True" in out
    nb = json.loads((NOTEBOOKS / "04_forward_pass.ipynb").read_text(encoding="utf-8"))
    figure_cells = [c for c in nb["cells"] if c["cell_type"] == "code"
                    and "shapes.shapes_figure" in "".join(c["source"])]
    assert figure_cells and any("image/png" in o.get("data", {})
                                for o in figure_cells[0]["outputs"])


# --- the shapes of the forward pass ---------------------------------------------------------


def test_forward_shapes_of_the_course_network():
    got = shapes.forward_shapes([1, 1, 2, 1], 32)
    assert [a["name"] for a in got] == ["X", "Z1, A1", "Z2, A2", "Z3, A3 = Y", "L"]
    assert [a["shape"] for a in got] == [(32, 1), (32, 1), (32, 2), (32, 1), ()]
    assert [a["weights"] for a in got] == [None, (1, 1), (1, 2), (2, 1), None]
    assert [a["bias"] for a in got] == [None, (1,), (2,), (1,), None]


def test_forward_shapes_are_those_of_a_real_forward_pass():
    sizes, batch = [3, 4, 4, 2], 7
    net = Network(sizes, seed=0)
    Y, cache = net.forward(np.zeros((batch, 3)))
    got = shapes.forward_shapes(sizes, batch)
    assert got[0]["shape"] == cache[0]["X"].shape
    for entry, c, (name, value) in zip(got[1:-1], cache, list(net.params.items())[::2],
                                       strict=True):
        assert entry["shape"] == c["Z"].shape == c["A"].shape
        assert entry["weights"] == value.shape, name
    assert got[-1]["shape"] == np.shape(mse(np.zeros_like(Y), Y))
    assert [a["shape"] for a in got[:-1]] == layers.layer_shapes(sizes, batch)


@pytest.mark.parametrize("sizes, batch, message", [
    ([3], 32, "at least an input and an output"),
    ([3, 0, 1], 32, "positive integers"),
    ("3-4-1", 32, "list of layer sizes"),
    ([3, 4, 1], 0, "batch_size must be a positive integer"),
    ([3, 4, 1], 2.5, "batch_size must be a positive integer"),
])
def test_forward_shapes_names_a_bad_argument(sizes, batch, message):
    with pytest.raises((ValueError, TypeError), match=message):
        shapes.forward_shapes(sizes, batch)


def _figure_texts(fig):
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [t.get_text() for t in ax.texts]
    return out


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_shapes_figure_draws_the_shapes_with_their_labels(theme):
    pytest.importorskip("matplotlib")
    from matplotlib.colors import to_hex
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    from backprop_lessons.viz.theme import THEMES

    fig = shapes.shapes_figure([1, 1, 2, 1], 32, theme=theme)
    assert isinstance(fig, Figure)
    assert to_hex(fig.get_facecolor()) == THEMES[theme]["bg"]
    texts = _figure_texts(fig)
    for label in ["Shapes of the forward pass: 1-1-2-1 network, mini-batch of 32",
                  "X", "Z1, A1", "Z2, A2", "Z3, A3 = Y", "L", "(32, 1)", "(32, 2)",
                  "W1 (1, 1)", "W2 (1, 2)", "W3 (2, 1)", "b1 (1,)", "b2 (2,)", "b3 (1,)",
                  "with y (32, 1)", "mean loss", "()\na scalar", "32 rows"]:
        assert label in texts, label
    assert texts.count("(32, 1)") == 3  # X, A1 and Y
    rects = [p for p in fig.axes[0].patches if isinstance(p, Rectangle)]
    assert len(rects) == 5  # X, three layers, the loss
    # every array is as tall as the batch; the 2-column array is twice as wide as a 1-column
    widths = [r.get_width() for r in rects[:4]]
    assert len({r.get_height() for r in rects[:4]}) == 1
    assert widths[2] == pytest.approx(2 * widths[1]) and widths[0] == widths[1] == widths[3]


def test_shapes_figure_is_deterministic_and_follows_its_arguments():
    pytest.importorskip("matplotlib")
    from backprop_lessons.viz.figures import fingerprint

    a = fingerprint(shapes.shapes_figure([3, 4, 4, 2], 32))
    assert a == fingerprint(shapes.shapes_figure([3, 4, 4, 2], 32))
    assert a != fingerprint(shapes.shapes_figure([3, 4, 4, 2], 64))
    assert a != fingerprint(shapes.shapes_figure([3, 4, 5, 2], 32))
    wide = shapes.shapes_figure([784, 100, 10], 64)
    texts = _figure_texts(wide)
    assert "(64, 784)" in texts and "W1 (784, 100)" in texts and "64 rows" in texts
    assert shapes.shapes_figure([2, 1], 8, title="mine").texts[0].get_text() == "mine"


def test_shapes_figure_refuses_a_bad_theme_and_bad_sizes():
    pytest.importorskip("matplotlib")
    with pytest.raises(ValueError, match="theme must be 'light' or 'dark', got 'blue'"):
        shapes.shapes_figure([1, 1], 4, theme="blue")
    with pytest.raises(ValueError, match="at least an input and an output"):
        shapes.shapes_figure([1], 4)


def test_importing_shapes_does_not_import_matplotlib():
    code = ("import sys, backprop_lessons.viz.shapes; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


# --- lesson 06: new parameters into the network; held-out accuracy --------------------------


def test_params_is_read_only_and_set_params_puts_the_new_values_in():
    net = Network([2, 8, 1], activations=["tanh", "sigmoid"], seed=0)
    X, y = datasets.two_moons(n=200, noise=0.1, seed=0)
    Y, cache = net.forward(X[:32])
    from backprop_lessons.maths.losses import mse_grad

    new = training.gradient_descent_step(net.params, net.backward(cache, mse_grad(y[:32], Y)),
                                         0.5)
    before = {k: v.copy() for k, v in net.params.items()}
    with pytest.raises(AttributeError):
        net.params = new
    net.params["W1"] = new["W1"]  # a temporary dict: the network is unchanged
    for name, value in before.items():
        np.testing.assert_array_equal(net.params[name], value)
    net.set_params(new)
    for name, value in new.items():
        np.testing.assert_array_equal(net.params[name], value)
    assert mse(y[:32], net.predict(X[:32])) < mse(y[:32], Y)
    with pytest.raises(KeyError, match="missing \\['b2'\\]"):
        net.set_params({k: v for k, v in new.items() if k != "b2"})
    with pytest.raises(ValueError, match="W1 must have shape \\(2, 8\\)"):
        net.set_params({**new, "W1": np.zeros((8, 2))})


def test_lesson_06_prints_what_set_params_does():
    out = _outputs("06_training")
    assert "net.params = new           -> AttributeError (params is read-only)" in out
    assert "net.params['W1'] = ...     -> the network's W1 changed: False" in out
    assert "net.set_params(new)        -> every parameter is the new one: True" in out


def _held_out(noise):
    X, y = datasets.two_moons(n=200, noise=noise, seed=0)
    train_idx, test_idx = datasets.train_test_indices(len(X), test_fraction=0.25, seed=0)
    net = Network([2, 8, 1], activations=["tanh", "sigmoid"], seed=0)
    training.train(net, X[train_idx], y[train_idx], loss="mse", eta=5.0, epochs=60,
                   batch_size=32, seed=0)
    return (training.accuracy(y[train_idx], net.predict(X[train_idx])),
            training.accuracy(y[test_idx], net.predict(X[test_idx])), train_idx, test_idx)


def test_lesson_06_held_out_accuracy_is_measured_on_rows_never_trained_on():
    out = _outputs("06_training")
    prose = _markdown("06_training")
    for noise in (0.1, 0.3):
        on_train, held_out, train_idx, test_idx = _held_out(noise)
        assert len(train_idx) == 150 and len(test_idx) == 50
        assert not set(train_idx) & set(test_idx)
        line = (f"noise {noise}: training accuracy {on_train:.1%}, held-out accuracy "
                f"{held_out:.1%}")
        assert line in out
        for number in (f"{on_train:.1%}", f"{held_out:.1%}"):
            assert number in prose
    on_train, held_out, *_ = _held_out(0.3)
    assert held_out < on_train  # the gap the prose explains
    # every percentage of the held-out paragraph is one a cell printed
    paragraph = prose[prose.index("On the lesson's moons"):]
    paragraph = paragraph[:paragraph.index("\n\n")]
    for number in re.findall(r"\d+\.\d%", paragraph):
        assert number in out, number


# --- training.mse_and_grad: the training loop's loss, without re-checking every batch ---


@pytest.mark.parametrize("shape", [(1, 1), (32, 1), (7, 3)])
def test_mse_and_grad_is_mse_and_mse_grad_to_the_last_bit(shape):
    from backprop_lessons.maths.losses import mse_grad

    rng = np.random.default_rng(sum(shape))
    y, y_hat = rng.normal(size=shape), rng.uniform(size=shape)
    L, g = training.mse_and_grad(y, y_hat)
    assert isinstance(L, float) and L == mse(y, y_hat)
    assert g.shape == shape
    np.testing.assert_array_equal(g, mse_grad(y, y_hat))


def test_mse_and_grad_gradient_matches_central_differences_in_float64():
    rng = np.random.default_rng(3)
    y, y_hat = rng.normal(size=(5, 2)), rng.normal(size=(5, 2))
    _, g = training.mse_and_grad(y, y_hat)
    h = 1e-4  # L is quadratic in y_hat: no truncation error, rounding ~ eps * L / h
    for i in np.ndindex(y_hat.shape):
        up, down = y_hat.copy(), y_hat.copy()
        up[i] += h
        down[i] -= h
        slope = (training.mse_and_grad(y, up)[0] - training.mse_and_grad(y, down)[0]) / (2 * h)
        assert slope == pytest.approx(g[i], rel=1e-8, abs=1e-10), i


def test_train_gives_the_numbers_of_the_checked_losses_for_mse_and_bce():
    """train's mse path (mse_and_grad) and its generic path give the same steps as the
    validated loss functions would: the loop written with them, step by step."""
    from backprop_lessons.maths.losses import (
        binary_cross_entropy,
        binary_cross_entropy_grad,
        mse_grad,
    )

    X, y = datasets.two_moons(n=40, noise=0.1, seed=1)
    for loss, fn, grad in (("mse", mse, mse_grad),
                           ("bce", binary_cross_entropy, binary_cross_entropy_grad)):
        a = Network([2, 4, 1], activations=["tanh", "sigmoid"], seed=2)
        b = Network([2, 4, 1], activations=["tanh", "sigmoid"], seed=2)
        history = training.train(a, X, y, loss=loss, eta=0.8, epochs=3, batch_size=16, seed=5)
        rng, losses = np.random.default_rng(5), []
        for _ in range(3):
            for Xb, yb in training.minibatches(X, y, 16, rng=rng):
                Y, cache = b.forward(Xb)
                losses.append(fn(yb, Y))
                b.set_params(training.gradient_descent_step(
                    b.params, b.backward(cache, grad(yb, Y)), 0.8))
        assert history.batch_losses == losses, loss
        for name in a.params:
            np.testing.assert_array_equal(a.params[name], b.params[name])


def test_train_still_names_a_bad_target():
    X = np.zeros((4, 2))
    net = Network([2, 1], seed=0)
    with pytest.raises(ValueError, match="y must be finite, got a value of nan"):
        training.train(net, X, np.array([[0.0], [1.0], [np.nan], [0.0]]), epochs=1)
    with pytest.raises(ValueError, match=r"y and y_hat must have the same shape, got y \(4, 2\) "
                                         r"and y_hat \(4, 1\)"):
        training.train(net, X, np.zeros((4, 2)), epochs=1, batch_size=4)


# --- lesson 04 exercise: course_matrices ---------------------------------------------------

COURSE = lesson_04.course_matrices

_assert_wrong = assert_wrong


def _solution(exercise):
    """The exercise's teaching-form solution, with what this lesson's setup cell imports."""
    return solution(exercise, np=np)


def test_course_matrices_reference_is_the_package_mapping_with_these_values():
    p = course_network.default_params()
    got = lesson_04._course_matrices(p)
    for name, value in _course_matrices(p).items():
        assert got[name].dtype == np.float64
        np.testing.assert_array_equal(got[name], value)


def test_course_matrices_solution_passes():
    assert COURSE.check(_solution(COURSE)).status == "passed"


def cm_lists(params):
    p = params
    return {"W1": [[p["W1"]]], "b1": [p["b1"]], "W2": [[p["W2"], p["W3"]]],
            "b2": [p["b2"], p["b3"]], "W3": [[p["W4"]], [p["W5"]]], "b3": [p["b4"]]}


def cm_reshape(params):
    v = np.array([params[k] for k in ("W1", "W2", "W3", "W4", "W5", "b1", "b2", "b3", "b4")])
    return {"W1": v[0:1].reshape(1, 1), "W2": v[1:3].reshape(1, 2),
            "W3": v[3:5].reshape(2, 1), "b1": v[5:6], "b2": v[6:8], "b3": v[8:9]}


def cm_float32(params):
    return {k: np.asarray(v, dtype=np.float32) for k, v in cm_lists(params).items()}


def cm_by_layer_loop(params):
    layers_of = {1: (["W1"], ["b1"], 1), 2: (["W2", "W3"], ["b2", "b3"], 1),
                 3: (["W4", "W5"], ["b4"], 2)}
    out = {}
    for i, (ws, bs, n_in) in layers_of.items():
        out[f"W{i}"] = np.array([params[w] for w in ws], dtype=float).reshape(n_in, -1)
        out[f"b{i}"] = np.array([params[b] for b in bs], dtype=float)
    return out


def cm_via_network(params):
    from backprop_lessons.maths.network import Network

    net = Network([1, 1, 2, 1], seed=0)
    net.set_params(cm_lists(params))
    return {k: v.copy() for k, v in net.params.items()}


def cm_numpy_W1_lists_rest(params):
    p = dict(params)
    p["W1"] = np.array([[p["W1"]]])
    return {"W1": p["W1"], **{k: v for k, v in cm_lists(params).items() if k != "W1"}}


@pytest.mark.parametrize("fn", [cm_lists, cm_reshape, cm_float32, cm_by_layer_loop,
                                cm_via_network, cm_numpy_W1_lists_rest])
def test_course_matrices_right_variants_pass(fn):
    result = COURSE.check(fn)
    assert result.status == "passed", result.message


def cm_W2_column(params):
    return {**cm_lists(params), "W2": np.array([[params["W2"]], [params["W3"]]])}


def cm_W3_row(params):
    return {**cm_lists(params), "W3": np.array([[params["W4"], params["W5"]]])}


def cm_books_layout(params):
    return {**cm_lists(params), "W2": np.array([[params["W2"]], [params["W3"]]]),
            "W3": np.array([[params["W4"], params["W5"]]])}


def cm_W2_swapped(params):
    return {**cm_lists(params), "W2": np.array([[params["W3"], params["W2"]]])}


def cm_W4_W5_swapped(params):
    return {**cm_lists(params), "W3": np.array([[params["W5"]], [params["W4"]]])}


def cm_bias_columns(params):
    p = params
    return {**cm_lists(p), "b1": np.array([[p["b1"]]]), "b2": np.array([[p["b2"]], [p["b3"]]]),
            "b3": np.array([[p["b4"]]])}


def cm_flat_weights(params):
    p = params
    return {**cm_lists(p), "W1": np.array([p["W1"]]), "W2": np.array([p["W2"], p["W3"]]),
            "W3": np.array([p["W4"], p["W5"]])}


def cm_scalars(params):
    return dict(params)


def cm_bias_row(params):  # b2 as a (1, 2) row: a shape numpy would still broadcast
    return {**cm_lists(params), "b2": np.array([[params["b2"], params["b3"]]])}


def cm_bias_scalar(params):  # a plain float where an array of one entry belongs
    return {**cm_lists(params), "b1": params["b1"], "b3": params["b4"]}


def cm_tuple(params):
    d = cm_lists(params)
    return tuple(np.array(d[k]) for k in ("W1", "b1", "W2", "b2", "W3", "b3"))


def cm_wrong_bias_pair(params):  # b3 taken as the third bias instead of the fourth
    return {**cm_lists(params), "b3": np.array([params["b3"]])}


def cm_default_params_only(params):  # ignores the argument: lesson 02's numbers
    return cm_lists(course_network.default_params())


@pytest.mark.parametrize("fn, mistake", [
    (cm_W2_column, "W2 as a column"),
    (cm_W3_row, "W3 as a row"),
    (cm_books_layout, "every matrix transposed"),
    (cm_W2_swapped, "W2 and W3 swapped"),
    (cm_W4_W5_swapped, "W4 and W5 swapped"),
    (cm_bias_columns, "biases as columns"),
    (cm_flat_weights, "weights as flat vectors"),
    (cm_scalars, "the nine scalars kept"),
    (cm_bias_row, None),
    (cm_bias_scalar, None),
    (cm_tuple, None),
    (cm_wrong_bias_pair, None),
    (cm_default_params_only, None),
])
def test_course_matrices_wrong_answers_fail(fn, mistake):
    result = _assert_wrong(COURSE, fn, mistake)
    if mistake is None:  # the generic verdict still says what is wrong
        assert any(word in result.message for word in ("shape", "type", "expected")), \
            result.message
