"""Lesson 00, Start here: what backpropagation is, how the course works, and a warm-up
exercise that walks through writing, checking and fixing an answer."""

from backprop_lessons.tools.authoring import code, exercise, lesson_map, md, setup

CELLS = [
    md(r"""
    # 00 · Start here

    **What this lesson gives you.** A map of the whole algorithm before we derive it piece
    by piece: what backpropagation computes, the two passes it makes through a network,
    the gradient-descent step that follows, and why it is the right way to get gradients
    when a network has many weights and one loss. Then how this course works, and a
    warm-up exercise so you know what happens when you write an answer and check it.

    You need Python, a little NumPy, and the idea of a derivative as a slope (lesson 01
    rebuilds that from scratch).
    """),
    setup("lesson_00", imports="""

    from backprop_lessons.maths.autodiff import Value
    from backprop_lessons.maths.calculus import numerical_derivative
    from backprop_lessons.maths.network import Network
    from backprop_lessons.maths.training import minibatch_indices
    """),
    md(r"""
    ## What backpropagation is

    In 1986 David Rumelhart, Geoffrey Hinton and Ronald Williams showed, in a paper in
    *Nature*, that one training algorithm could teach networks with hidden layers useful
    internal representations: **backpropagation**. (Its mathematical core, reverse-mode
    differentiation, is older: Seppo Linnainmaa described it in 1970, and Paul Werbos
    proposed it for neural networks in 1974; the 1986 paper is what made it the way
    networks are trained.)

    A network's error on some data, the **loss** $L$, depends on every connection weight
    $W$ and every bias $b$. To make the error smaller we want to know, for each of them,
    which way and how strongly $L$ changes when that one parameter is nudged: the partial
    derivative $\partial L/\partial W$ (and $\partial L/\partial b$). Together these are
    the **gradient**. Backpropagation computes all of them in **two passes** through the
    network:

    1. **Forward pass.** The inputs go in at the input layer; each layer computes its
       outputs from the layer below, up to the output layer and then the loss. This is
       exactly making a prediction, except that every intermediate output is kept,
       because the backward pass needs them.
    2. **Backward pass.** Starting from the loss, the chain rule of calculus says how much
       each output connection contributed to the error; the same rule, applied again and
       again, carries these contributions down, layer by layer, to the input layer. This
       walk from the output back to the input gives the algorithm its name.

    With the gradient in hand, one **gradient-descent step** nudges every parameter
    against its own slope:

    $$W_{new} = W_{old} - \eta\,\frac{\partial L}{\partial W_{old}}, \qquad
      b_{new} = b_{old} - \eta\,\frac{\partial L}{\partial b_{old}}$$

    where $\eta$ (eta), the **learning rate**, is a small positive number that sets the
    size of the step.

    ![Backpropagation: a mini-batch goes forward through the network to the loss; the
    gradient comes backward, layer by layer; then a gradient-descent step updates every
    weight.](../figures/backprop_overview-light.png)
    """),
    md(r"""
    ## Mini-batches and epochs

    In 1986 Rumelhart, Hinton and Williams took one step per sweep through the whole
    training set (**full batch**; lesson 09 reproduces their experiment that way). Modern
    practice does not wait to see the whole training set before it takes a step: it
    handles one **mini-batch** at a time (for example 32 examples): a forward pass on the
    batch, a backward pass, one step. Then the next batch. One pass over the whole
    training set is an **epoch**, and training runs for many epochs. The package cuts a
    training set into the batches of one epoch; here is how many steps one epoch of a
    training set of 1000 examples takes with batches of 32:
    """),
    code(r"""
    n_examples, batch_size = 1000, 32
    batches = minibatch_indices(n_examples, batch_size=batch_size, seed=0)
    print(f"{len(batches)} steps per epoch: {len(batches) - 1} batches of {batch_size}, "
          f"and a last batch of {len(batches[-1])}")
    print("every example used exactly once per epoch:",
          sorted(np.concatenate(batches).tolist()) == list(range(n_examples)))
    epochs = 100
    print(f"{epochs} epochs: {epochs * len(batches)} gradient-descent steps")
    """),
    md(r"""
    So with 1000 examples one epoch is 32 gradient-descent steps (31 full batches and a
    last one of 8), and 100 epochs are 3200 steps. Lesson 06 trains a network this way.

    ## Why two passes and not a million: reverse-mode autodiff

    Computing derivatives automatically from the program that computes a function is
    called **automatic differentiation** (autodiff). Backpropagation is its **reverse
    mode**: one forward pass records the computation, one backward pass walks it in
    reverse and applies the chain rule at each step. It is **exact** (the derivative of
    the formula, up to rounding; no step size $h$ to choose) and it is **cheap when there
    are many inputs and one output**: the backward pass costs a small constant multiple
    of the forward pass, however many weights there are, and it yields the slope for
    every one of them. A loss is one number and a network has many weights, which is
    exactly that case. How small a multiple? Counted in the multiply-adds of its matrix
    products, a backward pass through dense layers costs between one and two forward
    passes: each layer's one product forward, $XW$, becomes two backward, the weight
    gradient $X^\top\delta$ and the $\delta W^\top$ handed down, and the first layer
    needs no $\delta W^\top$. The cell counts them for two networks on a batch of 32:
    """),
    code(r"""
    def multiply_adds(sizes, batch=32):
        pairs = list(zip(sizes[:-1], sizes[1:]))
        forward = sum(batch * n_in * n_out for n_in, n_out in pairs)        # X W
        backward = 2 * forward - batch * sizes[0] * sizes[1]   # X^T delta and delta W^T
        return forward, backward

    for sizes in ([3, 4, 4, 2], [784, 128, 64, 10]):
        fwd, bwd = multiply_adds(sizes)
        print(f"{sizes}: forward {fwd:,} multiply-adds, backward {bwd:,}: "
              f"{bwd / fwd:.2f} forward passes")
    """),
    md(r"""
    Between one and two: 1.67 for the small network, 1.08 for the digit classifier,
    whose first layer (784 inputs) does most of the work and needs no $\delta W^\top$.
    (A real run adds the activations and their slopes, a few operations per unit, small
    next to the products.)

    Compare with measuring each slope numerically, by nudging one weight at a time: that
    needs two forward passes *per parameter*. For the small network of the figure above
    (3 inputs, two hidden layers of 4, 2 outputs):
    """),
    code(r"""
    net = Network([3, 4, 4, 2], seed=0)
    n_params = sum(p.size for p in net.params.values())
    print(f"parameters (weights and biases): {n_params}")
    print(f"numerical slopes, 2 forward passes per parameter: {2 * n_params} forward passes")
    print("backpropagation: 1 forward pass + 1 backward pass, for all of them at once")
    """),
    md(r"""
    And exactness, on the smallest example: $L = (w\,x + b - y)^2$ with $w = 2$,
    $x = 1.5$, $b = -1$, $y = 1$. The package's autodiff engine (`Value`, built in later
    lessons) runs the backward pass; a central difference measures the same slope
    numerically:
    """),
    code(r"""
    w, x, b, y = Value(2.0, label="w"), Value(1.5, label="x"), Value(-1.0, label="b"), 1.0
    L = (w * x + b - y) ** 2
    L.backward()
    numeric = numerical_derivative(lambda w_: (w_ * 1.5 - 1.0 - 1.0) ** 2, 2.0)
    print(f"L = {L.data:.4f}")
    print(f"dL/dw by the backward pass:     {w.grad:.12f}")
    print(f"dL/dw by a central difference:  {numeric:.12f}")
    print(f"exact formula 2(wx + b - y)x:   {2 * (2.0 * 1.5 - 1.0 - 1.0) * 1.5:.12f}")
    """),
    md(r"""
    The backward pass gives the exact $\partial L/\partial w = 2(wx + b - y)\,x = 3$; the
    numerical slope is close but not exact, and it would cost two more forward passes for
    each further weight.

    ## How this course works

    - **Lessons** are these notebooks, in order. Each one derives one piece of the
      algorithm and ends with a summary and a link to the next. Run the cells from top
      to bottom (the first cell, *Setup*, imports the course package `backprop_lessons`
      and warns if your installed version differs from the one the lesson was written
      for).
    - **Exercises.** A cell that starts with `# YOUR CODE HERE` is yours: replace the `...`
      by your code and run it. The cell under it checks your function,
      `ex.<name>.check()`, on several inputs, from simple to harder, and says *passed*,
      *not right yet* (with the smallest input that fails, the expected value, your value,
      and the name of the mistake if it is a common one), *error in your code* (with the
      input that triggered it) or *not attempted yet*.
    - **Help.** `ex.<name>.hint()` shows the next hint (call it again for a more explicit
      one, or `hint(2)` for the second); `ex.<name>.solution()` shows one way to write
      it, in a few lines (the package's own version, with its input checks, is the
      reference the check compares with; calling it is not an answer).
    - **Progress.** Every check is saved in a small progress file. `progress()` in a
      notebook, or `backprop-lessons progress` in a terminal, shows what you have done,
      lesson by lesson. The file lives in your user data folder
      (`~/.local/share/backprop-lessons` on Linux); set the environment variable
      `BACKPROP_LESSONS_HOME` to a folder of your choice to keep it elsewhere (for
      example, one folder per course run).
    """),
    lesson_map(),
    md(r"""
    ## Warm-up: the step gradient descent takes

    One exercise, to learn the flow. In the update
    $W_{new} = W_{old} - \eta\,\partial L/\partial W_{old}$ the part added to $W_{old}$ is
    the **step**

    $$\text{step} = -\eta\,\frac{\partial L}{\partial W}.$$

    It points against the slope (downhill) and its size is the learning rate times the
    steepness. Write `descent_step(dL_dW, eta)` that returns it. It should work for a
    single slope and for a NumPy array of slopes (one per weight).

    First, run the two cells below **as they are**: the check says the exercise is not
    attempted yet, which is not a failure.
    """),
    exercise("descent_step"),
    md(r"""
    ### Asking for a hint

    Each exercise has a ladder of hints, from a gentle nudge to the answer in words. Each
    call shows the next one:
    """),
    code("ex.descent_step.hint()"),
    md(r"""
    ### What a wrong answer looks like

    Here is a deliberately wrong function: it forgets the minus sign. Passing it to
    `check` explicitly (instead of letting `check` find your `descent_step`) shows what you
    would see: the smallest input on which it fails, the expected value, the value it
    returned, and the name of the mistake with an explanation. (This demonstration counts
    as one attempt in your progress; that is harmless.)
    """),
    code(r"""
    def wrong_step(dL_dW, eta):
        return eta * dL_dW  # the minus sign is missing: this climbs the loss


    ex.descent_step.check(wrong_step)
    """),
    md(r"""
    ### Your turn

    Go back to the exercise cell above (the one with `# YOUR CODE HERE`), replace `...` by
    your code, run it, and run the check under it until it says **passed**. If you are
    stuck, `ex.descent_step.hint()` again, and `ex.descent_step.solution()` as a last
    resort. If the check reports an error, it shows the input that triggered it and the
    line of your code where it happened.
    """),
    md(r"""
    ## Summary

    - Backpropagation (Rumelhart, Hinton and Williams, 1986) computes the gradient of the
      loss, $\partial L/\partial W$ and $\partial L/\partial b$ for every weight and bias,
      with one **forward pass** (compute and keep every layer's output) and one
      **backward pass** (the chain rule, from the output back to the input).
    - A **gradient-descent step** then moves every parameter against its slope,
      $W_{new} = W_{old} - \eta\,\partial L/\partial W_{old}$; the step is
      $-\eta\,\partial L/\partial W$.
    - Training repeats this over **mini-batches** (for example 32 examples), and over the
      whole training set many times (one pass is an **epoch**).
    - Backpropagation is **reverse-mode autodiff**: exact, and the backward pass costs
      between one and two forward passes (counted in multiply-adds) however many weights
      there are, because there is one loss.
    - Exercises: write the function, `check()` it, `hint()` when stuck, `solution()` as a
      last resort; `progress()` shows what you have done.

    [Next: 01 Slopes and the sign of the gradient](01_slopes.ipynb)
    """),
]
