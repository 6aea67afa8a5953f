"""The handwritten digits of lesson 10: the shipped file (checksum, licence text), the numpy
loader, the seeded train/test split, the lesson's training recipe reaching the accuracy the
lesson claims, and the pictures drawn in both themes."""

import gzip
import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure

from backprop_lessons.maths import datasets
from backprop_lessons.maths import softmax as sm
from backprop_lessons.maths.network import Network
from backprop_lessons.viz import digits as pictures

DATA = Path(datasets.__file__).resolve().parent / "data"


# --- the file and the loader -----------------------------------------------------------------


def test_the_shipped_file_has_the_expected_checksum_and_its_licence_beside_it():
    assert datasets.DIGITS_FILE == DATA / "digits.csv.gz"
    assert hashlib.sha256(datasets.DIGITS_FILE.read_bytes()).hexdigest() == \
        datasets.DIGITS_SHA256
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for needed in ("E. Alpaydin and C. Kaynak", "Optical Recognition of Handwritten",
                   "UCI Machine Learning Repository", "1998", "CC BY 4.0",
                   datasets.DIGITS_SHA256):
        assert needed in readme, needed


def test_digits_loads_1797_images_of_64_pixels_with_labels_0_to_9():
    X, y = datasets.digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 16.0
    assert np.array_equal(X, np.round(X))  # counts of ink, whole numbers
    assert sorted(set(y.tolist())) == list(range(10))
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    # the first row of the file, as scikit-learn's load_digits also gives it
    assert X[0].reshape(8, 8)[1].tolist() == [0, 0, 13, 15, 10, 15, 5, 0]
    assert y[:10].tolist() == list(range(10))


def test_digits_rejects_a_damaged_file(tmp_path):
    copy = tmp_path / "digits.csv.gz"
    rows = gzip.decompress(datasets.DIGITS_FILE.read_bytes()).decode("ascii").splitlines()
    rows[0] = rows[0].replace("13", "14", 1)  # one pixel changed
    copy.write_bytes(gzip.compress("\n".join(rows).encode("ascii") + b"\n"))
    with pytest.raises(ValueError, match=r"path: the digits file .* is not the one this "
                                         r"package expects: its SHA-256 is [0-9a-f]{64}, "
                                         f"expected {datasets.DIGITS_SHA256}"):
        datasets.digits(copy)


def test_digits_reads_an_intact_copy_and_names_a_missing_file(tmp_path):
    copy = tmp_path / "digits.csv.gz"
    shutil.copy(datasets.DIGITS_FILE, copy)
    X, y = datasets.digits(copy)
    X0, y0 = datasets.digits()
    assert np.array_equal(X, X0) and np.array_equal(y, y0)
    with pytest.raises(FileNotFoundError, match="path: the digits file .*missing.csv.gz "
                                                "cannot be read"):
        datasets.digits(tmp_path / "missing.csv.gz")


def test_the_wheel_configuration_ships_the_data_folder():
    """hatch builds the wheel from the package folder (every file git tracks in it, data
    included); nothing in pyproject or .gitignore may leave the data behind."""
    root = Path(__file__).resolve().parent.parent
    pyproject = (root / "pyproject.toml").read_text()
    assert 'packages = ["backprop_lessons"]' in pyproject
    assert "exclude" not in pyproject.split("[tool.hatch.build.targets.wheel]")[1].split("[")[0]
    ignored = (root / ".gitignore").read_text().split()
    assert not any(p in ignored for p in ("*.gz", "*.csv.gz", "data/", "*.md"))


# --- the split -------------------------------------------------------------------------------


def test_split_is_seeded_disjoint_and_complete():
    train, test = datasets.train_test_indices(1797, test_fraction=0.25, seed=0)
    assert (len(train), len(test)) == (1348, 449)
    assert not set(train.tolist()) & set(test.tolist())
    assert sorted(train.tolist() + test.tolist()) == list(range(1797))
    assert np.all(np.diff(train) > 0) and np.all(np.diff(test) > 0)
    again_train, again_test = datasets.train_test_indices(1797, 0.25, seed=0)
    assert np.array_equal(train, again_train) and np.array_equal(test, again_test)
    _, other = datasets.train_test_indices(1797, 0.25, seed=1)
    assert not np.array_equal(test, other)
    _, y = datasets.digits()
    assert np.bincount(y[test], minlength=10).min() >= 30  # every digit in the test split


def test_split_sizes_and_errors():
    assert [len(p) for p in datasets.train_test_indices(10, 0.01)] == [9, 1]
    assert [len(p) for p in datasets.train_test_indices(10, 0.99)] == [1, 9]
    assert [len(p) for p in datasets.train_test_indices(4, 0.5, seed=3)] == [2, 2]
    with pytest.raises(ValueError, match="test_fraction must be a number strictly between 0 "
                                         "and 1, got the number 1.0"):
        datasets.train_test_indices(10, 1.0)
    with pytest.raises(ValueError, match="n must be at least 2"):
        datasets.train_test_indices(1)
    with pytest.raises(ValueError, match="n must be a positive integer"):
        datasets.train_test_indices(10.0)


# --- the lesson's recipe ---------------------------------------------------------------------


def test_the_lesson_recipe_reaches_95_percent_on_the_test_split():
    """Lesson 10, sections 5-7: a 64-32-10 network (tanh, identity + softmax/CE), 20 epochs
    of batches of 32 with eta = 0.5 on the training split; the test split read once."""
    X_pixels, labels = datasets.digits()
    X, Y = X_pixels / 16.0, sm.one_hot(labels, 10)
    train_idx, test_idx = datasets.train_test_indices(len(X), test_fraction=0.25, seed=0)
    net = Network([64, 32, 10], activations=["tanh", "identity"], seed=0)
    params = net.params
    losses = []
    for epoch in range(20):
        params, loss = sm.train_epoch(params, X, Y, train_idx, eta=0.5, seed=epoch)
        losses.append(loss)
    net.set_params(params)
    test_accuracy = sm.classification_accuracy(labels[test_idx], net.predict(X[test_idx]))
    assert test_accuracy >= 0.95
    assert losses[-1] < losses[0] / 10
    train_accuracy = sm.classification_accuracy(labels[train_idx], net.predict(X[train_idx]))
    assert train_accuracy >= test_accuracy  # the gap the lesson talks about
    C = sm.confusion_matrix(labels[test_idx], sm.predicted_labels(net.predict(X[test_idx])),
                            10)
    assert C.sum() == len(test_idx) and np.trace(C) == round(test_accuracy * len(test_idx))


# --- the pictures ----------------------------------------------------------------------------


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_digit_images_in_both_themes(theme):
    X, y = datasets.digits()
    fig = pictures.digit_images(X[:12], titles=[str(v) for v in y[:12]], theme=theme,
                                ncols=5, title="twelve")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == [str(v) for v in y[:12]]
    assert ax.images[0].get_array().shape == (3 * 10 + 2, 5 * 10 + 2)  # 3 rows of 5 tiles
    assert fig._suptitle.get_text() == "twelve"
    light = pictures.digit_images(X[:2]).get_facecolor()
    assert (fig.get_facecolor() == light) == (theme == "light")


def test_digit_images_errors():
    X, _ = datasets.digits()
    with pytest.raises(ValueError, match=r"images must have shape \(n, 64\) or \(n, 8, 8\)"):
        pictures.digit_images(X[:3, :63])
    with pytest.raises(ValueError, match="titles must hold one caption per image \\(3\\)"):
        pictures.digit_images(X[:3], titles=["a"])
    with pytest.raises(ValueError, match="theme must be 'light' or 'dark'"):
        pictures.digit_images(X[:3], theme="blue")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_confusion_matrix_plot_writes_every_nonzero_count(theme):
    C = np.array([[5, 1, 0], [0, 7, 0], [2, 0, 4]])
    fig = pictures.confusion_matrix_plot(C, theme=theme)
    texts = sorted(t.get_text() for t in fig.axes[0].texts)
    assert texts == sorted(["5", "1", "7", "2", "4"])
    with pytest.raises(ValueError, match="C must be a square array of counts"):
        pictures.confusion_matrix_plot(np.ones((2, 3), dtype=int))
    with pytest.raises(ValueError, match="C must be a square array of counts"):
        pictures.confusion_matrix_plot(np.eye(2))


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_training_curves(theme):
    fig = pictures.training_curves([2.3, 0.5, 0.1], [0.5, 0.9, 0.97], theme=theme)
    left, right = fig.axes
    assert left.get_yscale() == "log"
    assert right.lines[0].get_ydata().tolist() == [0.5, 0.9, 0.97]
    assert left.lines[0].get_xdata().tolist() == [1, 2, 3]
    with pytest.raises(ValueError, match="one value per epoch, equally many, got 2 and 3"):
        pictures.training_curves([1.0, 0.5], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="accuracies must be fractions from 0 to 1"):
        pictures.training_curves([1.0], [97.0])
