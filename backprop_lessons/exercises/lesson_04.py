"""Exercises of lesson 04, "The forward pass": one dense layer on a mini-batch, a two-layer
forward pass that keeps its cache, and the shapes of a batch through a network."""

from __future__ import annotations

import numpy as np

from backprop_lessons.maths import activations, layers

from .spec import Case, Exercise, Misconception, labelled

__all__ = ["layer_forward", "two_layer_forward", "layer_shapes"]

LESSON = "04_forward_pass"

_sigmoid = labelled("sigmoid", activations.sigmoid)
_tanh = labelled("tanh", activations.tanh)
_relu = labelled("relu", activations.relu)


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


layer_shapes = Exercise(
    reference=layers.layer_shapes,
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
