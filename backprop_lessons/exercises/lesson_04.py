"""Exercises of lesson 04, "The forward pass": one dense layer on a mini-batch, a two-layer
forward pass that keeps its cache, and the shapes of a batch through a network."""

from __future__ import annotations

import numpy as np

from backprop_lessons.maths import activations, course_network, layers, modes

from .compare import compare
from .spec import Case, Exercise, Misconception, labelled

__all__ = ["layer_forward", "two_layer_forward", "layer_shapes", "course_matrices"]

LESSON = "04_forward_pass"

_sigmoid = labelled("sigmoid", activations.sigmoid)
_tanh = labelled("tanh", activations.tanh)
_relu = labelled("relu", activations.relu)


# ----- the course network in matrix form ----------------------------------------------------
def _course_matrices(params):
    """The course network's layer arrays from its nine scalars, as a dict W1, b1, ..., b3.

    The package's mapping (:func:`backprop_lessons.maths.modes.course_network_as_layers`)::

        W1 = [[W1]] (1, 1)            b1 = [b1] (1,)
        W2 = [[W2, W3]] (1, 2)        b2 = [b2, b3] (2,)
        W3 = [[W4], [W5]] (2, 1)      b3 = [b4] (1,)

    one row per input of the layer, one column per neuron.
    """
    return {name: np.array(value) for name, value in
            modes.course_network_as_layers(params).params.items()}


def _course_cases(rng: np.random.Generator) -> list[Case]:
    default = course_network.default_params()
    return [
        Case(default, label="the course network's parameters of lessons 02 and 03"),
        Case(course_network.random_params(rng), label="nine random parameters"),
        Case(course_network.random_params(rng, scale=3.0),
             label="nine random parameters, larger ones"),
    ]


def _matrices(p, W1=None, b1=None, W2=None, b2=None, W3=None, b3=None):
    """The right layer arrays, with any of them replaced (to write a known mistake)."""
    right = {
        "W1": np.array([[p["W1"]]]), "b1": np.array([p["b1"]]),
        "W2": np.array([[p["W2"], p["W3"]]]), "b2": np.array([p["b2"], p["b3"]]),
        "W3": np.array([[p["W4"]], [p["W5"]]]), "b3": np.array([p["b4"]]),
    }
    given = {"W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3}
    return {k: right[k] if given[k] is None else given[k] for k in right}


course_matrices = Exercise(
    reference=_course_matrices,
    function_name="course_matrices",
    solution='''\
def course_matrices(params):
    p = params
    return {
        "W1": np.array([[p["W1"]]]),
        "b1": np.array([p["b1"]]),
        "W2": np.array([[p["W2"], p["W3"]]]),
        "b2": np.array([p["b2"], p["b3"]]),
        "W3": np.array([[p["W4"]], [p["W5"]]]),
        "b3": np.array([p["b4"]]),
    }
''',
    cases=_course_cases,
    hints=[
        "Group the neurons by layer: layer 1 is O11, layer 2 is O21 and O22, layer 3 is O31. "
        "A layer's matrix has one row per input of the layer and one column per neuron.",
        "Layer 2 has one input (O11) and two neurons: W2 is the row [[W2, W3]], shape (1, 2). "
        "Layer 3 has two inputs (O21, O22) and one neuron: W3 is the column [[W4], [W5]], "
        "shape (2, 1). Each bias array has one entry per neuron: b2 = [b2, b3].",
        'return {"W1": np.array([[p["W1"]]]), "b1": np.array([p["b1"]]), '
        '"W2": np.array([[p["W2"], p["W3"]]]), "b2": np.array([p["b2"], p["b3"]]), '
        '"W3": np.array([[p["W4"]], [p["W5"]]]), "b3": np.array([p["b4"]])} with p = params',
    ],
    misconceptions=[
        Misconception(
            "W2 as a column",
            lambda params: _matrices(params, W2=np.array([[params["W2"]], [params["W3"]]])),
            "Your W2 is a column (2, 1). Layer 2 has one input, O11, and two neurons, O21 and "
            "O22: one row per input, one column per neuron, so W2 = [[W2, W3]], shape (1, 2), "
            "and A1 @ W2 gives the row [z21, z22].",
        ),
        Misconception(
            "W3 as a row",
            lambda params: _matrices(params, W3=np.array([[params["W4"], params["W5"]]])),
            "Your W3 is a row (1, 2). Layer 3 has two inputs, O21 and O22, and one neuron, "
            "O31: one row per input, so W3 = [[W4], [W5]], shape (2, 1), and A2 @ W3 = "
            "W4·O21 + W5·O22.",
        ),
        Misconception(
            "every matrix transposed",
            lambda params: _matrices(params, W2=np.array([[params["W2"]], [params["W3"]]]),
                                     W3=np.array([[params["W4"], params["W5"]]])),
            "Your matrices have one row per neuron: the W x layout some books use, with one "
            "instance per column. In this course an instance is a row, Z = X @ W + b, so W "
            "has one row per input and one column per neuron: W2 (1, 2), W3 (2, 1).",
        ),
        Misconception(
            "W2 and W3 swapped",
            lambda params: _matrices(params, W2=np.array([[params["W3"], params["W2"]]])),
            "W2 has the right shape but its entries are swapped. Column j belongs to neuron j: "
            "O21 (column 1) has the weight W2, O22 (column 2) the weight W3: [[W2, W3]].",
        ),
        Misconception(
            "W4 and W5 swapped",
            lambda params: _matrices(params, W3=np.array([[params["W5"]], [params["W4"]]])),
            "W3 has the right shape but its entries are swapped. Row k belongs to input k: "
            "O21 (row 1) reaches O31 through W4, O22 (row 2) through W5: [[W4], [W5]].",
        ),
        Misconception(
            "biases as columns",
            lambda params: _matrices(params, b1=np.array([[params["b1"]]]),
                                     b2=np.array([[params["b2"]], [params["b3"]]]),
                                     b3=np.array([[params["b4"]]])),
            "Your biases are columns (n, 1). In this course a layer's biases are a flat "
            "array of shape (n_out,), one per neuron, which numpy adds to every row of "
            "X @ W: b2 = np.array([b2, b3]), shape (2,).",
        ),
        Misconception(
            "weights as flat vectors",
            lambda params: _matrices(params, W1=np.array([params["W1"]]),
                                     W2=np.array([params["W2"], params["W3"]]),
                                     W3=np.array([params["W4"], params["W5"]])),
            "Your weights are flat vectors. A layer's weights are a matrix, 2-d even when a "
            "side is 1: W1 = [[W1]] (1, 1), W2 = [[W2, W3]] (1, 2), W3 = [[W4], [W5]] (2, 1). "
            "The double brackets make the rows.",
        ),
        Misconception(
            "the nine scalars kept",
            lambda params: dict(params),
            "You returned the nine scalars under their own names. The answer is one weight "
            "matrix and one bias array per layer, named by layer as the package names them: "
            "W1, b1 (layer 1), W2, b2 (layer 2), W3, b3 (layer 3).",
        ),
    ],
)


def _layer_cases(rng: np.random.Generator) -> list[Case]:
    def batch(n_batch: int, n_in: int, n_out: int, act, label: str) -> Case:
        return Case(
            X=rng.normal(size=(n_batch, n_in)).round(2),
            W=rng.normal(size=(n_in, n_out)).round(2),
            b=rng.normal(size=n_out).round(2),
            act=act,
            label=label,
        )

    return [
        Case(X=np.array([[1.0, 2.0]]), W=np.array([[0.5], [-0.25]]), b=np.array([0.5]),
             act=_sigmoid, label="one instance, two inputs, one neuron: sigmoid(1·0.5 + 2·(−0.25)"
             " + 0.5)"),
        batch(3, 2, 4, _tanh, "a batch of 3 instances into a layer of 4 tanh neurons"),
        batch(5, 3, 2, _sigmoid, "5 instances, 3 inputs, 2 sigmoid neurons"),
        batch(32, 4, 3, _relu, "a mini-batch of 32 instances, 4 inputs, 3 relu neurons"),
    ]


layer_forward = Exercise(
    reference=layers.layer_forward,
    solution='''\
def layer_forward(X, W, b, act):
    return act(X @ W + b)
''',
    cases=_layer_cases,
    hints=[
        "Each neuron computes its weighted sum plus its bias, then applies the activation. "
        "With instances as rows, one matrix product does every neuron for every instance.",
        "X has shape (batch, n_in) and W has shape (n_in, n_out): the matrix product X @ W "
        "(not X * W, which multiplies entry by entry) has shape (batch, n_out). Add b (shape "
        "(n_out,)): numpy adds it to every row. Then apply act, the function you are given.",
        "return act(X @ W + b)",
    ],
    misconceptions=[
        Misconception(
            "instances as columns",
            lambda X, W, b, act: act((W.T @ X.T) + b[:, None]),
            "Your output has one column per instance: shape (n_out, batch). You computed "
            "W.T @ X.T, the one-column-per-instance layout (W x) some books use. In this "
            "course a mini-batch holds one instance per row, so the layer is X @ W + b, of "
            "shape (batch, n_out).",
        ),
        Misconception(
            "bias forgotten",
            lambda X, W, b, act: act(X @ W),
            "The bias is missing. Every neuron adds its bias to its weighted sum before the "
            "activation: act(X @ W + b). Without b, a neuron's weighted sum is 0 whenever its "
            "inputs are all 0, whatever it has learned.",
        ),
        Misconception(
            "bias added after the activation",
            lambda X, W, b, act: act(X @ W) + b,
            "You added the bias after the activation: act(X @ W) + b. The bias belongs inside, "
            "with the weighted sum: z = X @ W + b, then A = act(z). It shifts where the "
            "neuron switches on; added afterwards it only shifts the output.",
        ),
        Misconception(
            "act ignored",
            lambda X, W, b, act: activations.sigmoid(X @ W + b),
            "You applied the sigmoid whatever `act` is. The layer's activation is an argument: "
            "call the function you are given, act(X @ W + b) (the check passes sigmoid, tanh "
            "and relu).",
        ),
        Misconception(
            "activation forgotten",
            lambda X, W, b, act: X @ W + b,
            "You returned Z = X @ W + b, the pre-activation. The layer's output is act(Z): "
            "apply the activation function `act` to it. Without it, a stack of layers "
            "collapses into a single linear map.",
        ),
    ],
)


def _two_layer_cases(rng: np.random.Generator) -> list[Case]:
    def net(n_batch: int, n_in: int, n_h: int, n_out: int, label: str) -> Case:
        return Case(
            X=rng.normal(size=(n_batch, n_in)).round(2),
            W1=rng.normal(size=(n_in, n_h)).round(2),
            b1=rng.normal(size=n_h).round(2),
            W2=rng.normal(size=(n_h, n_out)).round(2),
            b2=rng.normal(size=n_out).round(2),
            label=label,
        )

    return [
        net(1, 1, 2, 1, "one instance through a 1-2-1 network: 1 input, 2 hidden neurons, "
            "1 output"),
        net(4, 2, 3, 1, "4 instances, 2 inputs, 3 hidden, 1 output"),
        net(32, 3, 4, 2, "a mini-batch of 32 through a 3-4-2 network"),
    ]


def _pre_activation_forward(X, W1, b1, W2, b2):
    Z1 = X @ W1 + b1
    Z2 = Z1 @ W2 + b2
    return activations.sigmoid(Z2), (X, Z1, activations.sigmoid(Z1), Z2)


def _no_output_activation(X, W1, b1, W2, b2):
    Z1 = X @ W1 + b1
    A1 = activations.sigmoid(Z1)
    Z2 = A1 @ W2 + b2
    return Z2, (X, Z1, A1, Z2)


def _activations_cached(X, W1, b1, W2, b2):
    Z1 = X @ W1 + b1
    A1 = activations.sigmoid(Z1)
    Y = activations.sigmoid(A1 @ W2 + b2)
    return Y, (X, A1, A1, Y)


def _cache_order_swapped(X, W1, b1, W2, b2):
    Y, (X_c, Z1, A1, Z2) = layers.two_layer_forward(X, W1, b1, W2, b2)
    return Y, (X_c, A1, Z1, Z2)


two_layer_forward = Exercise(
    reference=layers.two_layer_forward,
    solution='''\
def two_layer_forward(X, W1, b1, W2, b2):
    Z1 = X @ W1 + b1
    A1 = sigmoid(Z1)
    Z2 = A1 @ W2 + b2
    Y = sigmoid(Z2)
    return Y, (X, Z1, A1, Z2)
''',
    cases=_two_layer_cases,
    hints=[
        "Two layers, one after the other: layer 1 turns X into A1, layer 2 turns A1 into Y. "
        "Both use the sigmoid (bl.activations.sigmoid).",
        "Z1 = X @ W1 + b1, A1 = sigmoid(Z1), Z2 = A1 @ W2 + b2, Y = sigmoid(Z2). Keep each "
        "of them in a variable: the backward pass needs them.",
        "sigmoid = bl.activations.sigmoid; compute the four lines above, then "
        "return Y, (X, Z1, A1, Z2)",
    ],
    misconceptions=[
        Misconception(
            "Z1 fed to layer 2",
            _pre_activation_forward,
            "Layer 2 received Z1, the pre-activation of layer 1, instead of its output "
            "A1 = sigmoid(Z1). A layer passes on what its neurons output: Z2 = A1 @ W2 + b2.",
        ),
        Misconception(
            "output activation forgotten",
            _no_output_activation,
            "Your Y is Z2, the output layer's pre-activation. The output neurons apply the "
            "sigmoid too: Y = sigmoid(Z2).",
        ),
        Misconception(
            "(cache, Y) in the wrong order",
            lambda X, W1, b1, W2, b2: layers.two_layer_forward(X, W1, b1, W2, b2)[::-1],
            "Your numbers are right but the pair is the wrong way round: return the prediction "
            "first and the cache second, (Y, cache), as in Y, cache = net.forward(X).",
        ),
        Misconception(
            "cache in the wrong order",
            _cache_order_swapped,
            "Your prediction is right, but the cache holds A1 before Z1. The backward pass "
            "unpacks it as X, Z1, A1, Z2 = cache, so keep that order: (X, Z1, A1, Z2).",
        ),
        Misconception(
            "cache not returned",
            lambda X, W1, b1, W2, b2: layers.two_layer_forward(X, W1, b1, W2, b2)[0],
            "You returned the prediction Y only. Training needs the cache too: return "
            "Y, (X, Z1, A1, Z2), a pair whose second item is the tuple of intermediates.",
        ),
        Misconception(
            "activations cached instead of pre-activations",
            _activations_cached,
            "Your prediction Y is right, but the cache holds the outputs A where the "
            "pre-activations Z belong. The backward pass needs Z1 and Z2 to evaluate "
            "sigmoid'(Z): keep (X, Z1, A1, Z2).",
        ),
    ],
)


def _compare_shapes(expected, got):
    """The shapes as compare() sees them, and each entry a whole number: a shape such as
    (32, 4.0) is not one numpy would give."""
    ok, detail = compare(expected, got)
    if not ok:
        return ok, detail
    for shape in got:
        for n in np.asarray(shape).reshape(-1).tolist() if isinstance(shape, np.ndarray) \
                else shape:
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
                return False, (f"A shape holds whole numbers (ints), as an array's .shape "
                               f"does, e.g. (32, 4); yours holds {n!r}. Use the sizes as "
                               f"given, without dividing or converting to float.")
    return True, ""


layer_shapes = Exercise(
    reference=layers.layer_shapes,
    compare=_compare_shapes,
    solution='''\
def layer_shapes(layer_sizes, batch_size):
    return [(batch_size, n) for n in layer_sizes]
''',
    cases=[
        Case([2, 1], 1, label="one instance, 2 inputs, 1 output"),
        Case([1, 1, 2, 1], 4, label="the course network 1-1-2-1, a batch of 4"),
        Case([3, 4, 4, 2], 32, label="the 3-4-4-2 network of the lesson, a mini-batch of 32"),
        Case([784, 128, 64, 10], 64, label="a digit classifier, a batch of 64"),
    ],
    hints=[
        "List one shape per layer, the input layer first. The number of rows is the number "
        "of instances in the batch: does it change from layer to layer?",
        "A layer of n neurons outputs n numbers per instance, so its array has shape "
        "(batch_size, n).",
        "return [(batch_size, n) for n in layer_sizes]",
    ],
    misconceptions=[
        Misconception(
            "(n, batch) for (batch, n)",
            lambda layer_sizes, batch_size: [(n, batch_size) for n in layer_sizes],
            "Your shapes are (n, batch): one column per instance. In this course a mini-batch "
            "has one row per instance, so every layer's array is (batch_size, n).",
        ),
        Misconception(
            "input layer left out",
            lambda layer_sizes, batch_size: [(batch_size, n) for n in layer_sizes[1:]],
            "The input layer is missing: the list starts with the batch X itself, of shape "
            "(batch_size, n_0), and then one entry per layer of neurons.",
        ),
        Misconception(
            "output layer left out",
            lambda layer_sizes, batch_size: [(batch_size, n) for n in layer_sizes[:-1]],
            "The output layer is missing: the list ends with the prediction, of shape "
            "(batch_size, n_L). One shape for every entry of layer_sizes, the last included.",
        ),
        Misconception(
            "weight shapes instead of batch shapes",
            lambda layer_sizes, batch_size: [
                (a, b) for a, b in zip(layer_sizes[:-1], layer_sizes[1:], strict=True)
            ],
            "These are the shapes of the weight matrices W (n_in, n_out), which do not "
            "depend on the batch. The question asks for the arrays that flow through the "
            "network: (batch_size, n) for each layer.",
        ),
    ],
)
