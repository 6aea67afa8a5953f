"""The one list of the course's lessons, in teaching order: number, key, title, the short
summary lesson 00's map shows and what the README's table says each lesson derives.

The exercise registry, the notebook build (lesson 00's map, each lesson's link to the next)
and the README's table (checked by the tests) all read this list. Plain data, no imports.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LessonInfo", "LESSONS", "by_key", "next_lesson"]


@dataclass(frozen=True)
class LessonInfo:
    """One lesson: ``number`` (its place), ``key`` (``"01_slopes"``: the notebook's file
    stem and the exercises' ``lesson``), ``title``, ``summary`` (markdown, one sentence or
    two) and ``derives`` (the README's "what it derives")."""

    number: int
    key: str
    title: str
    summary: str
    derives: str

    @property
    def notebook(self) -> str:
        """The notebook's file name, e.g. ``"01_slopes.ipynb"``."""
        return f"{self.key}.ipynb"

    @property
    def label(self) -> str:
        """``"01 Slopes and the sign of the gradient"``."""
        return f"{self.number:02d} {self.title}"


LESSONS: tuple[LessonInfo, ...] = (
    LessonInfo(
        0, "00_start_here", "Start here",
        "this map and how the exercises work.",
        ("what backpropagation is (Rumelhart, Hinton & Williams, 1986): a forward pass, a "
         "backward pass, a gradient-descent step; mini-batches and epochs; why "
         "reverse-mode autodiff; how the exercises work"),
    ),
    LessonInfo(
        1, "01_slopes", "Slopes and the sign of the gradient",
        (r"the derivative as a slope; $W_{new} = W_{old} - \eta\,\partial L/\partial "
         "W_{old}$; the learning rate."),
        ("the derivative as a slope (numerically, then exactly); W_new = W_old − "
         "η·∂L/∂W_old; a negative slope makes W grow, a positive one makes it shrink; "
         "learning rates that creep, converge, oscillate, diverge"),
    ),
    LessonInfo(
        2, "02_chain_rule", "The chain rule",
        (r"$\partial L/\partial W$ through a chain of functions, and the sum over several "
         "paths."),
        ("derivatives of compositions as products of local derivatives; ∂L/∂W1 in the "
         "course network x → O11 → {O21, O22} → O31 → L as the sum over its two paths"),
    ),
    LessonInfo(
        3, "03_one_neuron", "One neuron: weight and bias updates",
        "the gradient of one neuron's loss; the updates of its weight and its bias.",
        ("∂L/∂w and ∂L/∂b of a sigmoid neuron; the W4 and b2 updates; why the bias "
         "gradient is the error signal; training one neuron"),
    ),
    LessonInfo(
        4, "04_forward_pass", "The forward pass",
        "a mini-batch through a network, layer by layer, keeping every output.",
        ("layers on a mini-batch of 32 instances, Z = XW + b, shapes layer by layer, the "
         "cache kept for the backward pass"),
    ),
    LessonInfo(
        5, "05_backward_pass", "The backward pass",
        "the gradient of every weight and bias, layer by layer, checked numerically.",
        ("each layer's error signal, ∂L/∂W = Xᵀδ, the bias gradient summed over the batch,"
         " layer by layer to the input; gradient checking"),
    ),
    LessonInfo(
        6, "06_training", "Training: mini-batches and epochs",
        "the training loop; a network that learns.",
        ("shuffle, mini-batches, forward, backward, step, repeated over epochs; batch size"
         " and learning rate; a decision boundary"),
    ),
    LessonInfo(
        7, "07_autodiff", "Reverse-mode autodiff",
        ("gradients of any expression from its computational graph, in one backward pass; "
         "forward mode versus reverse mode."),
        ("a computational graph, local derivatives, the backward pass in reverse "
         "topological order, gradients that add over paths; forward mode (dual numbers) vs"
         " reverse mode, and why one loss with many weights wants reverse mode"),
    ),
    LessonInfo(
        8, "08_gradient_checking", "Gradient checking",
        ("proving a backward pass right with finite differences, and reading a relative "
         "error."),
        ("central differences on arrays, choosing h (truncation vs rounding), relative "
         "error and what its size means, float64, kinks, sampled checks, finding the "
         "broken parameter"),
    ),
    LessonInfo(
        9, "09_rumelhart_1986", "Capstone: Rumelhart, Hinton & Williams (1986)",
        ("the mirror-symmetry network of the paper that introduced backpropagation, "
         "reproduced."),
        ("the paper's mirror-symmetry task with a 6-2-1 network: full-batch training with "
         "momentum, 100% accuracy, and the weights read as the paper did (mirror images of"
         " opposite sign, sizes about 1 : 2 : 4)"),
    ),
    LessonInfo(
        10, "10_digits", "Handwritten digits: softmax and cross-entropy",
        (r"a classifier of real handwriting: softmax, cross-entropy, "
         r"$\delta_{out} = (\hat y - y)/N$, accuracy on a held-out test set."),
        ("the stable softmax, cross-entropy on one-hot targets, ∂L/∂Z = (ŷ − y)/N for the "
         "pair; a 64-32-10 network trained with shuffled mini-batches of 32 on 1,797 real "
         "8×8 digits; accuracy on a held-out test split, a confusion matrix, a gradient "
         "check of the whole network"),
    ),
)


def by_key(key: str) -> LessonInfo:
    """The lesson with this key; KeyError listing the keys otherwise."""
    for lesson in LESSONS:
        if lesson.key == key:
            return lesson
    raise KeyError(f"lesson key {key!r} is not a lesson; known: {[x.key for x in LESSONS]}")


def next_lesson(key: str) -> LessonInfo | None:
    """The lesson after ``key``, or None after the last one."""
    keys = [x.key for x in LESSONS]
    i = keys.index(by_key(key).key)
    return LESSONS[i + 1] if i + 1 < len(LESSONS) else None
