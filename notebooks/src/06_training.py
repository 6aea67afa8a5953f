"""Lesson 06, Training: mini-batches and epochs. The training loop of Rumelhart, Hinton &
Williams (1986) assembled from the forward pass, the backward pass and the gradient-descent
step: why a mini-batch gradient stands in for the full one, epochs, the step for every
weight and bias, batch size and learning rate, accuracy and the decision boundary."""

from backprop_lessons.tools.authoring import code, exercise, md, setup

CELLS = [
    md(r"""
    # 06 · Training: mini-batches and epochs

    **What this lesson derives.** Lessons 04 and 05 computed a network's output (the
    forward pass) and every gradient $\partial L/\partial W$, $\partial L/\partial b$ (the
    backward pass). Here they become a training algorithm. We derive

    1. why the gradient of a **mini-batch** of examples can stand in for the gradient of
       the whole training set (and what it costs: noise);
    2. what an **epoch** is, and why the examples are **shuffled** every epoch;
    3. the **gradient-descent step** applied to every weight and every bias at once;
    4. the **training loop** over mini-batches and epochs, and the loss curve it records;
    5. how the **batch size** and the **learning rate** $\eta$ change training;
    6. how to read the result: **accuracy** and the **decision boundary**.

    You write four functions: the mini-batches of an epoch, one step for every parameter,
    the training loop, and the accuracy.
    """),
    setup("lesson_06", imports="""
    %matplotlib inline
    from backprop_lessons.maths import datasets, training
    from backprop_lessons.viz import plots
    from backprop_lessons import widgets
    from backprop_lessons.maths.losses import mse, mse_grad
    from backprop_lessons.maths.network import Network
    from backprop_lessons.maths.training import minibatches
    """),
    md(r"""
    ## 1. The loss of a training set is a mean, so is its gradient

    Our data set for this lesson: two interleaved half moons in the plane, two classes,
    and a network with 2 inputs, 8 hidden tanh units and 1 sigmoid output whose output
    $\hat y$ is the probability of class 1.
    """),
    code(r"""
    X, y = datasets.two_moons(n=200, noise=0.1, seed=0)
    net = Network([2, 8, 1], activations=["tanh", "sigmoid"], seed=0)
    labels = sorted(set(y.ravel().tolist()))
    print(f"X: {X.shape} (one row per example), y: {y.shape}, labels {labels}")
    print(net, "with parameters", {name: p.shape for name, p in net.params.items()})
    """),
    md(r"""
    The loss of the whole training set of $n$ examples is the **mean** of the losses of
    the examples, $L = \frac{1}{n}\sum_{i=1}^{n} L_i$ (here the squared error
    $L_i = (y_i - \hat y_i)^2$). A derivative of a sum is the sum of the derivatives, so

    $$\frac{\partial L}{\partial W} = \frac{1}{n}\sum_{i=1}^{n}\frac{\partial L_i}{\partial W}.$$

    One exact gradient therefore needs a forward and a backward pass over **every**
    example. Take instead a **mini-batch** $B$ of $n_B$ examples and its own mean loss
    $L_B = \frac{1}{n_B}\sum_{i \in B} L_i$. Its gradient is the mean of the same
    per-example gradients over fewer examples: an estimate of the full gradient from a
    sample, as an opinion poll estimates a vote. And if the batches $B_1, B_2, \dots$
    split the training set, the full gradient is their weighted mean:

    $$\frac{\partial L}{\partial W}
    = \sum_{b} \frac{n_{B_b}}{n}\,\frac{\partial L_{B_b}}{\partial W}.$$

    Let us check that with the network above (every gradient at the same weights):
    """),
    code(r"""
    def gradient_on(X_part, y_part):
        # dL/d(every parameter) of the mean squared error on these examples
        Y, cache = net.forward(X_part)
        return net.backward(cache, mse_grad(y_part, Y))

    full = gradient_on(X, y)
    batches = list(minibatches(X, y, batch_size=32, seed=0))
    weighted = {name: sum(len(X_b) / len(X) * gradient_on(X_b, y_b)[name]
                          for X_b, y_b in batches) for name in full}
    print(f"{len(batches)} batches of sizes {[len(X_b) for X_b, _ in batches]}")
    print("weighted mean of the batch gradients == full gradient:",
          all(np.allclose(weighted[k], full[k], rtol=1e-10, atol=1e-14) for k in full))
    """),
    md(r"""
    How good is one batch's estimate? Flatten each gradient into one long vector and
    measure the **cosine** of the angle between a batch's gradient and the full one
    ($1$: same direction; $0$: at right angles, no help at all). Compare batches of 32
    with batches of a single example:
    """),
    code(r"""
    def flat(grads):
        return np.concatenate([g.ravel() for g in grads.values()])

    def cosine(a, b):
        return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))

    g_full = flat(full)
    cos_32 = [cosine(flat(gradient_on(X_b, y_b)), g_full) for X_b, y_b in batches]
    cos_1 = [cosine(flat(gradient_on(X[i:i + 1], y[i:i + 1])), g_full) for i in range(len(X))]
    print("batches of 32: cosine with the full gradient from "
          f"{min(cos_32):.2f} to {max(cos_32):.2f}")
    print(f"single examples: from {min(cos_1):.2f} to {max(cos_1):.2f}; "
          f"{sum(c < 0 for c in cos_1)} of {len(cos_1)} point uphill (cosine < 0)")
    """),
    md(r"""
    A batch of 32 points almost exactly where the full gradient points. A single example
    is a much noisier guide: some examples even pull the weights **uphill** for the whole
    training set, because what helps them hurts the others. That is the trade-off of the
    batch size, which section 5 measures: small batches give cheap, noisy steps; large
    batches give expensive, accurate ones.

    ## 2. An epoch: every example once, in a new order

    Training walks through the training set batch by batch. One full pass, in which every
    example is used **exactly once**, is an **epoch**; training runs for many epochs. With
    $n$ examples and batches of $n_B$ (32 by default) an epoch takes
    $\lceil n / n_B \rceil$ gradient-descent steps; the last batch keeps the
    $n \bmod n_B$ leftover examples.

    Why shuffle? Data sets often come sorted. Ours lists all of class 0 first:
    """),
    code(r"""
    print("first labels:", y[:5].ravel(), " last labels:", y[-5:].ravel())
    steps = -(-len(X) // 32)  # ceil(n / 32)
    print(f"n = {len(X)}, batches of 32: {steps} steps per epoch, last batch of {len(X) % 32}")
    in_order = [int(y_b.sum()) for _, y_b in minibatches(X, y, batch_size=32, shuffle=False)]
    print("unshuffled batches, examples of class 1 in each:", in_order)
    """),
    md(r"""
    Unshuffled, the first three batches would hold no example of class 1: each would pull the
    network towards answering "class 0" everywhere, and the next ones back towards
    "class 1". Shuffling makes every batch a fair sample of the whole set, which is what
    section 1 needs for a batch gradient to point the right way. A **new** order each
    epoch keeps the same examples from always meeting in the same batch.

    The package's `minibatches` does this and yields the batches themselves. Numbering 10
    examples 0 to 9 shows the order it picks with batches of 4:
    """),
    code(r"""
    ids = np.arange(10.0).reshape(-1, 1)
    for X_b, _ in minibatches(ids, ids, batch_size=4, seed=0):
        print(X_b.ravel().astype(int))
    """),
    *exercise("minibatch_indices", intro=r"""
    ### Exercise 1: the batches of one epoch

    Write `minibatch_indices(n, batch_size, seed)`: the list of index arrays of one epoch,
    `[array of batch 1, array of batch 2, ...]`. Shuffle the indices $0, \dots, n-1$ with
    `np.random.default_rng(seed)`, then cut them into slices of `batch_size`; keep the
    last, shorter slice. The check wants that seeded shuffle: every index exactly once,
    the right batch sizes, and the order of `np.random.default_rng(seed).permutation(n)`,
    so that the same seed gives the same batches and another seed another order.
    """),
    md(r"""
    ## 3. One step for every weight and every bias

    The backward pass returns one gradient per parameter, under the parameter's name and
    with its shape: $\partial L/\partial W_1$ has the shape of $W_1$, $\partial L/\partial
    b_1$ the shape of $b_1$, and so on.
    """),
    code(r"""
    grads = gradient_on(*batches[0])
    for name, p in net.params.items():
        print(f"{name}: parameter {p.shape}, gradient {grads[name].shape}")
    """),
    md(r"""
    Every one of them takes the same gradient-descent step, weights and biases alike,
    with the gradients computed at the old values (the ones the forward pass used):

    $$W_{new} = W_{old} - \eta\,\frac{\partial L}{\partial W_{old}}, \qquad
      b_{new} = b_{old} - \eta\,\frac{\partial L}{\partial b_{old}}.$$

    A bias is a weight whose input is always 1, so it needs no rule of its own; forget it
    and every neuron keeps the threshold it started with.
    """),
    *exercise("gradient_descent_step", intro=r"""
    ### Exercise 2: a step for every parameter

    Write `gradient_descent_step(params, grads, eta)`. `params` and `grads` are dicts with
    the same names, e.g. `{"W1": ..., "b1": ..., "W2": ..., "b2": ...}`; return a **new**
    dict with the updated value of every parameter (leave `params` unchanged).
    """),
    md(r"""
    ### Putting the new values back into the network

    A new dict of parameters changes nothing by itself: the network keeps computing with
    its old values until it is given the new ones. `net.params` cannot take them: it is
    read-only, a fresh dict of the network's own arrays built each time you read it. So
    `net.params = new` raises an error, and `net.params["W1"] = new["W1"]` is worse: it
    replaces an entry of that temporary dict and silently leaves the network unchanged.
    The way in is `net.set_params(new)`: it checks that the names and shapes are the
    network's, and copies every value into the network's arrays. Here is one step on the
    first mini-batch of section 1:
    """),
    code(r"""
    X_1, y_1 = batches[0]
    old_W1 = net.params["W1"].copy()
    before = mse(y_1, net.predict(X_1))
    new = training.gradient_descent_step(net.params, gradient_on(X_1, y_1), eta=0.5)

    try:
        net.params = new
    except AttributeError as error:
        print("net.params = new           ->", type(error).__name__, "(params is read-only)")
    net.params["W1"] = new["W1"]
    print("net.params['W1'] = ...     -> the network's W1 changed:",
          not np.array_equal(net.params["W1"], old_W1))
    net.set_params(new)
    print("net.set_params(new)        -> every parameter is the new one:",
          all(np.array_equal(net.params[name], new[name]) for name in new))
    print(f"loss of that batch: {before:.4f} before the step, "
          f"{mse(y_1, net.predict(X_1)):.4f} after it")
    """),
    md(r"""
    (`training.train` below takes the other way in: it changes the network's own arrays in
    place, `param -= eta * grads[name]` for each `param` of `net.params.values()`, which
    skips the copy. Both give the same numbers. For the course's `Network` it goes one
    step further: `net.train_step(X_B, y_B, eta)` takes the whole step in one call (forward
    pass, loss, backward pass, update) in arrays the network keeps for it, with no dicts
    in between, and returns the batch's loss before the step. It is there for speed only:
    the same arithmetic, so the same numbers to the last bit, as this cell shows on two
    networks built alike.)
    """),
    code(r"""
    by_hand, one_call = (Network([2, 8, 1], activations=["tanh", "sigmoid"], seed=0)
                         for _ in range(2))
    Y_1, cache = by_hand.forward(X_1)
    grads = by_hand.backward(cache, mse_grad(y_1, Y_1))
    by_hand.set_params(training.gradient_descent_step(by_hand.params, grads, eta=0.5))
    loss = one_call.train_step(X_1, y_1, eta=0.5)
    print(f"loss before the step: {mse(y_1, Y_1):.4f} by hand, {loss:.4f} from train_step")
    print("the same new parameters, bit for bit:",
          all(np.array_equal(by_hand.params[name], one_call.params[name])
              for name in by_hand.params))
    """),
    md(r"""
    ## 4. The training loop

    Everything is in place. Training by mini-batch gradient descent is two nested loops:

    ```text
    for each epoch:
        shuffle the training set and cut it into mini-batches
        for each mini-batch (X_B, y_B):
            forward pass: Y_B and every intermediate output         (lesson 04)
            loss L_B of the batch
            backward pass: dL_B/dW and dL_B/db for every parameter  (lesson 05)
            gradient-descent step for every weight and every bias
        record the epoch's loss
    ```

    For the record we use the loss the loop sees anyway: each batch's loss, weighted by
    its size, $\frac{1}{n}\sum_b n_{B_b} L_{B_b}$, the mean loss over the examples of the
    epoch. It costs nothing extra, but the weights change during the epoch, so it lags a
    little behind the loss of the final weights (the last line below measures that one).
    `training.train` runs this loop; it trains the network in place and returns the
    history of the losses:
    """),
    code(r"""
    net = Network([2, 8, 1], activations=["tanh", "sigmoid"], seed=0)
    history = training.train(net, X, y, loss="mse", eta=0.5, epochs=60, batch_size=32, seed=0)
    print(history)
    print(f"{len(history.batch_losses) // len(history.epoch_losses)} steps per epoch; "
          f"loss {history.epoch_losses[0]:.4f} in epoch 1, {history.epoch_losses[-1]:.4f} "
          f"in epoch {len(history.epoch_losses)}")
    print(f"loss of the final weights on the whole training set: {mse(y, net.predict(X)):.4f}")
    """),
    *exercise("train_epochs", intro=r"""
    ### Exercise 3: the loop itself

    Write `train_epochs(layer_sizes, X, y, eta, epochs, batch_size, seed)`: train a fresh
    `Network(layer_sizes, seed=seed)` on the mean squared error and return the list of
    the epochs' losses. Use the package's `minibatches(X, y, batch_size, rng=rng)` with
    **one** generator `rng = np.random.default_rng(seed)` made before the first epoch
    (every epoch then gets a new order, and your losses can match the reference to the
    last digit), `mse` and `mse_grad` for the loss and its gradient
    $\partial L_B/\partial \hat Y_B$, and your `gradient_descent_step`.
    """),
    md(r"""
    ## 5. Batch size: 1, 32 or the whole set

    The same network, from the same starting weights, trained with $\eta = 0.5$ and three
    batch sizes: 1 (one example per step, called **stochastic gradient descent**), 32, and
    the full training set (one exact step per epoch). We train for 20 epochs here (batch
    size 1 takes 4000 steps in that time); the figure below follows the same three runs
    for 60 epochs, so its curves at epoch 20 show these numbers:
    """),
    code(r"""
    batch_runs = {}
    for batch_size in (1, 32, len(X)):
        net_b = Network([2, 8, 1], activations=["tanh", "sigmoid"], seed=0)
        h = training.train(net_b, X, y, loss="mse", eta=0.5, epochs=20,
                           batch_size=batch_size, seed=0)
        batch_runs[batch_size] = h
        print(f"batch size {batch_size:3d}: {len(h.batch_losses) // 20:3d} steps per epoch, "
              f"{len(h.batch_losses):5d} steps in all, final loss {h.epoch_losses[-1]:.4f}, "
              f"accuracy {training.accuracy(y, net_b.predict(X)):.1%}")
    """),
    md(r"""
    ![Training loss per epoch on two moons for batch sizes 1, 32 and 200: the smaller the
    batch, the faster the loss falls per epoch.](../figures/training_curves-light.png)

    Per **epoch**, batch size 1 wins by far: it takes 200 steps where the full batch
    takes one. Each of its steps follows a noisy gradient (section 1), but many noisy steps
    downhill on average beat one exact step. Per **step**, the full batch is the most
    accurate, and each of its steps costs the whole training set. Batches of 32 sit in
    between. They are the usual choice because a computer handles 32 examples in one
    matrix product per layer (lesson 04): one call into compiled code instead of 32, on
    hardware built for such products, so a batch gives a far better gradient without 32
    times the overhead of one example; per epoch they take fewer steps, so they
    need more epochs here (or a larger $\eta$, next section).

    ## 6. The learning rate

    Keep batches of 32 and 60 epochs, and change only $\eta$:
    """),
    code(r"""
    eta_runs, eta_nets = {}, {}
    for eta in (0.05, 0.5, 5.0, 100.0):
        eta_nets[eta] = Network([2, 8, 1], activations=["tanh", "sigmoid"], seed=0)
        h = training.train(eta_nets[eta], X, y, loss="mse", eta=eta, epochs=60,
                           batch_size=32, seed=0)
        eta_runs[f"η = {eta:g}"] = h.epoch_losses
        out = eta_nets[eta].predict(X)
        print(f"η = {eta:6g}: final loss {h.epoch_losses[-1]:.4f}, accuracy "
              f"{training.accuracy(y, out):.1%}, outputs from {out.min():.3f} to {out.max():.3f}")
    """),
    code(r"""
    plots.loss_curves(eta_runs, title="Loss per epoch for four learning rates (batches of 32)")
    """),
    md(r"""
    - $\eta = 0.05$: every step is safe but tiny; after 60 epochs the loss is still high.
    - $\eta = 0.5$ and $\eta = 5$: larger steps, faster progress. Here $\eta = 5$ is the
      best of the four: the gradients of this network are small (the mean squared error
      divides by the batch size, and the sigmoid's slope is at most $\tfrac14$), so it can
      afford a large $\eta$. The right $\eta$ depends on the network and the loss: it is
      found by trying, as here.
    - $\eta = 100$: the first steps overshoot so far that the output sigmoid saturates:
      its output stays below 0.002 for every example, where its slope is practically zero.
      The backward pass multiplies by that slope, so every gradient vanishes and training
      stops with half the examples wrong (a loss of 0.5). A learning rate that is too
      large does not only oscillate or diverge, as in lesson 01: it can also stall the
      network for good.

    ## 7. Reading the result: accuracy and the decision boundary

    The loss says how far the outputs are from the labels; a person asks how many
    examples are classified right. The network outputs the probability $\hat y$ of
    class 1: it predicts class 1 when $\hat y \ge 0.5$ (the **threshold**), class 0
    otherwise. The **accuracy** is the fraction of examples whose predicted class is
    their label.
    """),
    *exercise("accuracy", intro=r"""
    ### Exercise 4: accuracy

    Write `accuracy(y, y_hat, threshold=0.5)`: the fraction of examples for which
    ($\hat y \ge$ threshold) agrees with ($y = 1$). `y` and `y_hat` have the same number of
    entries, as flat vectors or as columns $(n, 1)$.
    """),
    md(r"""
    The **decision boundary** is the line in the plane where the output crosses 0.5:
    on one side the network answers class 1, on the other class 0. Before training, the
    network's boundary has nothing to do with the moons:
    """),
    code(r"""
    untrained = Network([2, 8, 1], activations=["tanh", "sigmoid"], seed=0)
    print(f"accuracy before training: {training.accuracy(y, untrained.predict(X)):.1%}")
    plots.decision_boundary(untrained, X, y, title="before training")
    """),
    md(r"""
    After 60 epochs with batches of 32 and $\eta = 5$ (the network of section 6), the
    boundary bends between the two moons. The hidden layer made that possible: a single
    neuron can only draw a straight line.
    """),
    code(r"""
    trained = eta_nets[5.0]
    print(f"accuracy after training: {training.accuracy(y, trained.predict(X)):.1%}")
    plots.decision_boundary(trained, X, y)
    """),
    md(r"""
    ### Accuracy on examples the network never saw

    Every accuracy so far was measured on the examples the network trained on. It says
    how well the network fits them, not how well it will answer for a new point, and a
    network can fit its training set by learning its noise. To measure the second, hold
    examples back: `datasets.train_test_indices(n, test_fraction, seed)` splits the rows
    at random into a **training part** and a **held-out (test) part**. Train on the first
    only, then measure the accuracy on both. The held-out part is for that measurement
    alone: nothing is trained, and no $\eta$ or batch size is chosen, on it.

    Below, a quarter of the moons is held out, and the network of section 6 ($\eta = 5$,
    batches of 32, 60 epochs) trains on the rest; then the same with noisier moons, whose
    classes overlap:
    """),
    code(r"""
    train_idx, test_idx = datasets.train_test_indices(len(X), test_fraction=0.25, seed=0)
    print(f"{len(train_idx)} examples to train on, {len(test_idx)} held out "
          f"(no row in both: {not set(train_idx) & set(test_idx)})")
    for noise in (0.1, 0.3):
        X_n, y_n = datasets.two_moons(n=200, noise=noise, seed=0)
        net_n = Network([2, 8, 1], activations=["tanh", "sigmoid"], seed=0)
        training.train(net_n, X_n[train_idx], y_n[train_idx], loss="mse", eta=5.0,
                       epochs=60, batch_size=32, seed=0)
        on_train = training.accuracy(y_n[train_idx], net_n.predict(X_n[train_idx]))
        held_out = training.accuracy(y_n[test_idx], net_n.predict(X_n[test_idx]))
        print(f"noise {noise}: training accuracy {on_train:.1%}, held-out accuracy "
              f"{held_out:.1%}")
    """),
    md(r"""
    On the lesson's moons (noise 0.1) the two agree, 100.0% each: the classes are cleanly
    apart, and what the network learned carries over to the points it never saw. On the
    noisier moons the held-out accuracy, 90.0%, is below the training accuracy, 94.0%: part
    of what the network fitted was the noise of its own 150 examples. The held-out number
    is the one to report: it estimates the accuracy on new points, which the training
    number tends to flatter. (Strictly, section 6 chose $\eta = 5$ by looking at all 200
    examples, these 50 included; a careful study chooses $\eta$ and the batch size on the
    training part alone, often on a third, **validation** part cut from it.)
    """),
    md(r"""
    ## 8. Explore

    The package has an interactive explorer of this training: sliders for the batch size,
    $\eta$ and the number of epochs. Each change retrains the same 2-8-1 network on two
    moons and draws the loss per epoch and the decision boundary. Try batch size 1 with a
    small $\eta$, the full batch (200) with a large one, or $\eta$ at its maximum. The
    sliders need a running Jupyter kernel (open it in JupyterLab, your workspace or Binder);
    where the notebook is only shown, as on GitHub, the cell after it draws the explorer's
    starting state, batch size 32, $\eta = 0.5$ and 60 epochs.
    """),
    code("widgets.training_explorer()"),
    code("widgets.training_explorer_figure()"),
    md(r"""
    ## 9. The algorithm of 1986

    This loop is the algorithm that David Rumelhart, Geoffrey Hinton and Ronald Williams
    published in 1986 ("Learning representations by back-propagating errors", *Nature*
    323): a forward pass that keeps every intermediate output, a backward pass that
    applies the chain rule from the output layer back to the input layer to find how much
    every weight and every bias contributed to the error, and a gradient-descent step
    $W_{new} = W_{old} - \eta\,\partial L/\partial W_{old}$, repeated sweep after sweep
    through the training set until the network converges. Their experiments sat at the
    full-batch end of our batch-size axis: the gradient accumulated over all examples
    before each step, with a momentum term added; updating after every example is the
    other end. Mini-batches of 32 are the modern middle. One of their demonstrations, the
    mirror-symmetry task (is a 6-bit vector a palindrome?), trains with the full-batch
    end of this loop plus momentum (lesson 09 reproduces it); its weights, each hidden
    unit's left half a negative mirror image of its right half, are drawn below.

    ![Hinton diagram of a 6-2-1 network trained on the mirror-symmetry task: each hidden
    unit's weights are mirror images of opposite sign.](../figures/symmetry_weights-light.png)

    ## Summary

    - The loss of a training set is the mean of the examples' losses, so its gradient is
      the mean of their gradients; a **mini-batch** gives a cheaper, noisier estimate of
      it, and the batch gradients of one epoch, weighted by size, add up to the full one.
    - An **epoch** uses every example exactly once, in a new shuffled order;
      $\lceil n/n_B \rceil$ steps per epoch, the last batch keeping the leftovers.
    - One **gradient-descent step** moves every weight and every bias:
      $W_{new} = W_{old} - \eta\,\partial L/\partial W_{old}$,
      $b_{new} = b_{old} - \eta\,\partial L/\partial b_{old}$.
    - **Training** = for each epoch, for each mini-batch: forward pass, loss, backward
      pass, step; record the loss per epoch.
    - Smaller batches take more (noisier) steps per epoch; $\eta$ too small is slow and
      $\eta$ too large can saturate the network and stop learning.
    - `gradient_descent_step` returns new values; `net.set_params(new)` puts them into
      the network (`net.params` is read-only).
    - **Accuracy** thresholds $\hat y$ at 0.5; the **decision boundary** is where
      $\hat y = 0.5$. Report it on **held-out** examples, never trained on
      (`datasets.train_test_indices`), not only on the training set.

    This completes the derivation of the training algorithm of 1986, from a slope
    (lesson 01). The next lessons look under the hood: how a program computes these
    gradients for any expression, how to prove them right, and the 1986 experiment.

    [Next: 07 Reverse-mode autodiff](07_autodiff.ipynb)
    """),
]
