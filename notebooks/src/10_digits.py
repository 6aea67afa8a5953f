"""Lesson 10, Handwritten digits: softmax and cross-entropy. The output layer of every
classifier derived (a stable softmax, cross-entropy on one-hot targets, the error signal
(ŷ − y)/N of the pair, checked numerically), then a 64-32-10 network of the course trained
on 1,797 real 8×8 digits with shuffled mini-batches of 32, and measured on a held-out test
split it never saw."""

from backprop_lessons.tools.authoring import code, exercise, md, setup

CELLS = [
    md(r"""
    # 10 · Handwritten digits: softmax and cross-entropy

    **What this lesson derives.** Every lesson so far ended in one output unit that says
    "yes" or "no". A digit is one of **ten** classes. This lesson builds the output layer
    that every classifier uses and trains the course's own network on real handwriting:

    1. **softmax**, which turns ten scores into ten probabilities, and the one line that
       keeps it from overflowing;
    2. **cross-entropy**, the loss of a probability given to the right class;
    3. the error signal of the pair, $\delta_{out} = \partial L/\partial Z =
       (\hat y - y)/N$, derived through the softmax's Jacobian and checked numerically;
    4. a 64 → 32 → 10 network trained with shuffled mini-batches of 32 on a
       **training split**, and its accuracy on a **test split** it never saw;
    5. what it gets wrong: a confusion matrix and the misread digits themselves.

    You write four functions: the softmax, the cross-entropy, the error signal, and one
    epoch of training.
    """),
    setup("lesson_10", imports="""
    %matplotlib inline
    from backprop_lessons.maths import datasets
    from backprop_lessons.maths import softmax as sm
    from backprop_lessons.maths.activations import sigmoid
    from backprop_lessons.maths.gradcheck import gradcheck, numerical_gradient
    from backprop_lessons.maths.network import Network
    from backprop_lessons.viz import digits as pictures
    """),
    md(r"""
    ## 1. The data: 1,797 handwritten digits

    The "optical recognition of handwritten digits" set (E. Alpaydin and C. Kaynak, UCI
    Machine Learning Repository, 1998, licence CC BY 4.0) ships inside the package. Each
    image is $8\times8$ pixels, and each pixel counts the ink in a $4\times4$ block of a
    $32\times32$ scan, from 0 to 16. A row of `X` is one image, its 64 pixels row by row;
    `labels` holds the digit each image shows.
    """),
    code(r"""
    X_pixels, labels = datasets.digits()
    print(f"X: {X_pixels.shape}, pixels from {X_pixels.min():g} to {X_pixels.max():g}; "
          f"labels: {labels.shape}, digits {sorted(set(labels.tolist()))}")
    print("images per digit:", np.bincount(labels).tolist())
    pictures.digit_images(X_pixels[:20], titles=[str(d) for d in labels[:20]],
                          title="The first 20 images and their labels")
    """),
    md(r"""
    Two preparations. The pixels are scaled to $0..1$ (divided by 16), so that the inputs
    have the size of lesson 06's. And the rows are split once, with a seed, into a
    **training split** (three quarters) and a **test split** (one quarter). The network
    learns from the training split only; the test split is kept for one measurement at the
    very end: how well the network reads digits it has never seen. Nothing is chosen by
    looking at it (not the learning rate, not the number of epochs), or it would stop being
    a fair test.
    """),
    code(r"""
    X = X_pixels / 16.0
    train_idx, test_idx = datasets.train_test_indices(len(X), test_fraction=0.25, seed=0)
    print(f"training split: {len(train_idx)} images, test split: {len(test_idx)} images")
    print("disjoint:", not set(train_idx.tolist()) & set(test_idx.tolist()),
          "| together every image once:",
          sorted(train_idx.tolist() + test_idx.tolist()) == list(range(len(X))))
    print("test images per digit:", np.bincount(labels[test_idx], minlength=10).tolist())
    """),
    md(r"""
    ## 2. From ten scores to ten probabilities: softmax

    The output layer has one neuron per class. For an instance it computes ten numbers,
    the **logits** $z_0, \dots, z_9$ (pre-activations, $Z = A W + b$ as in lesson 04),
    any real numbers. We want ten **probabilities**: positive, adding up to 1, the largest
    for the largest score. Exponentiate, then divide by the total:

    $$p_k = \operatorname{softmax}(z)_k = \frac{e^{z_k}}{\sum_{j} e^{z_j}} .$$

    $e^{z}$ is positive for every $z$ and grows with it; dividing by the sum makes the row
    add up to 1. On a batch $Z$ of shape $(N, 10)$ the softmax works **row by row**: each
    instance gets its own distribution over the ten classes.

    Computed literally, the formula breaks on large logits. $e^{1000}$ does not fit in a
    float64: it becomes `inf`, and $\infty/\infty$ is `nan`. Large negative logits fail
    too: $e^{-1000}$ is 0, and $0/0$ is `nan`.
    """),
    code(r"""
    Z_big = np.array([[1000.0, 999.0, 998.0], [-1000.0, -1001.0, -1002.0]])
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):  # silence the warnings
        print(f"largest float64: {np.finfo(np.float64).max:.1e};  np.exp(1000.0) =",
              np.exp(1000.0), "  np.exp(-1000.0) =", np.exp(-1000.0))
        literal = np.exp(Z_big) / np.exp(Z_big).sum(axis=1, keepdims=True)
    print("literal formula:", literal.tolist())
    print("stable softmax: ", np.round(sm.softmax(Z_big), 4).tolist())
    """),
    md(r"""
    The cure is one subtraction. For any number $m$,

    $$\frac{e^{z_k - m}}{\sum_j e^{z_j - m}} = \frac{e^{-m}\,e^{z_k}}{e^{-m}\sum_j e^{z_j}}
    = \frac{e^{z_k}}{\sum_j e^{z_j}} ,$$

    so the result does not change. Choose $m = \max_j z_j$, the row's largest logit: every
    exponent is then $\le 0$ (no overflow), and the largest term is $e^0 = 1$, so the sum
    is at least 1 (never $0/0$). Both rows above are the same three logits shifted, so they
    get the same probabilities. The maximum must be each **row's** own: a row is one
    instance.
    """),
    *exercise("softmax", intro=r"""
    ### Exercise 1: a stable softmax

    Write `softmax(Z)`: for logits `Z` of shape $(N, K)$, the probabilities $P$ of the same
    shape, row by row, with each row's maximum subtracted first. The check includes logits
    of $\pm 1000$.
    """),
    md(r"""
    ## 3. The loss: cross-entropy

    The label of an instance is a class $c$; written as a **one-hot** row $y$, it is 1 at
    position $c$ and 0 elsewhere (digit 3 is $(0,0,0,1,0,0,0,0,0,0)$). How good is a
    prediction $p$? Look at the probability it gives to the right class, $p_c$: the loss
    of the instance is $-\log p_c$, which is 0 when $p_c = 1$ and grows without bound as
    $p_c \to 0$. With the one-hot row, $-\log p_c = -\sum_k y_k \log p_k$ (only the right
    class's term survives). The loss of a batch is the **mean** over its $N$ instances:

    $$L = -\frac{1}{N}\sum_{i=1}^{N}\sum_{k} Y_{ik}\,\log P_{ik}
        = -\frac{1}{N}\sum_{i=1}^{N} \log P_{i,\,c_i} .$$

    Why the log? The probability that the network gives the whole batch its right labels
    is the product $\prod_i P_{i, c_i}$; its log is a sum, and minimising $-\log$ of it
    makes that product as large as possible. A network that guesses $\tfrac{1}{10}$ for
    every class scores $\log 10$:
    """),
    code(r"""
    Y = sm.one_hot(labels, 10)
    print("label of image 0:", labels[0], " one-hot row:", Y[0].astype(int).tolist())
    uniform = np.full((len(train_idx), 10), 0.1)
    print(f"loss of the uniform guess: {sm.cross_entropy(Y[train_idx], uniform):.4f}"
          f"  (log 10 = {np.log(10):.4f})")
    print(f"the same from the labels: "
          f"{sm.cross_entropy_labels(labels[train_idx], uniform):.4f}")
    """),
    md(r"""
    One trap: the stable softmax gives probabilities of **exactly** 0 when a logit is far
    below the others ($e^{-800}$ underflows). For a wrong class that is harmless in the
    maths ($y_k = 0$), but in numpy `np.log(0)` is `-inf`, and $0 \cdot (-\infty)$ is
    `nan`:
    """),
    code(r"""
    P_zero = sm.softmax(np.array([[0.0, 0.0, -800.0]]))
    Y_zero = np.array([[1.0, 0.0, 0.0]])
    with np.errstate(divide="ignore", invalid="ignore"):
        literal = -np.sum(Y_zero * np.log(P_zero)) / len(P_zero)
    print("P =", P_zero.tolist(), " literal loss:", literal,
          f" clipped loss: {sm.cross_entropy(Y_zero, P_zero):.4f}")
    """),
    md(r"""
    The package clips the probabilities to $[10^{-12}, 1]$ before the log (as lesson 09's
    binary cross-entropy does), or one can take the log of the right class's probability
    only.
    """),
    *exercise("cross_entropy", intro=r"""
    ### Exercise 2: cross-entropy

    Write `cross_entropy(Y, P)`: the mean over the $N$ instances of
    $-\sum_k Y_{ik}\log P_{ik}$, for one-hot targets `Y` and probabilities `P`, both of
    shape $(N, K)$; return one number. One case has a probability of exactly 0.
    """),
    md(r"""
    ## 4. The error signal of softmax with cross-entropy

    Backpropagation starts at the output: we need $\delta_{out} = \partial L/\partial Z$,
    how the loss reacts to each logit (lesson 05). Take one instance and drop its index:
    $L_i = -\sum_k y_k \log p_k$ with $p = \operatorname{softmax}(z)$. Two factors.

    **The loss.** $\dfrac{\partial L_i}{\partial p_k} = -\dfrac{y_k}{p_k}$.

    **The softmax.** Every logit moves every probability of its row (they share the
    denominator $S = \sum_j e^{z_j}$). By the quotient rule,

    $$\frac{\partial p_k}{\partial z_j}
    = \frac{\mathbb{1}[k = j]\,e^{z_k}\,S - e^{z_k}\,e^{z_j}}{S^2}
    = p_k\,(\mathbb{1}[k = j] - p_j),$$

    a $K\times K$ **Jacobian** $J = \operatorname{diag}(p) - p\,p^\top$.

    **The chain rule** sums over the $K$ paths from $z_j$ through $p_1, \dots, p_K$ to
    the loss (lesson 02):

    $$\frac{\partial L_i}{\partial z_j} = \sum_k \left(-\frac{y_k}{p_k}\right)
    p_k\,(\mathbb{1}[k = j] - p_j) = -y_j + p_j \sum_k y_k = p_j - y_j ,$$

    because the one-hot row sums to 1. Everything cancels but the difference between what
    the network said and what was right. The batch's loss is the mean over $N$
    instances, so each carries a factor $1/N$:

    $$\delta_{out} = \frac{\partial L}{\partial Z} = \frac{\hat Y - Y}{N} \qquad
    (\hat Y = P = \operatorname{softmax}(Z)).$$

    Check it against finite differences (lesson 01) on a batch of 4 instances, and
    against the long way through the full Jacobian for the first instance:
    """),
    code(r"""
    rng = np.random.default_rng(10)
    Z4 = rng.normal(scale=2.0, size=(4, 10))
    Y4 = Y[train_idx[:4]]
    delta = sm.softmax_cross_entropy_grad(Y4, Z4)
    numeric = numerical_gradient(lambda: sm.softmax_cross_entropy(Y4, Z4), Z4)
    print("(P - Y)/N, instance 0: ", np.round(delta[0], 4).tolist())
    print("finite differences:    ", np.round(numeric[0], 4).tolist())
    P4 = sm.softmax(Z4)
    dL_dP = sm.cross_entropy_grad(Y4, P4)
    through_jacobian = sm.softmax_jacobian(Z4[0]).T @ dL_dP[0]
    print("through the Jacobian:  ", np.round(through_jacobian, 4).tolist())
    """),
    md(r"""
    The three rows agree to the digits shown. Whether a gradient is right is decided by
    the course's gradient check (lesson 08), which compares backpropagation with central
    differences for every parameter of a network, with its own tolerance. The smallest
    network with this output layer is **softmax regression**: one dense layer from the 64
    pixels to the 10 logits, identity activation, and the loss `"softmax_ce"` (softmax and
    cross-entropy on the logits, with the gradient above). Its weight gradient is
    $X^\top\delta_{out}$, so a wrong $\delta_{out}$ fails the check:
    """),
    code(r"""
    regression = Network([64, 10], activations="identity", seed=0)
    report = gradcheck(regression, X[train_idx[:8]], Y[train_idx[:8]], loss="softmax_ce")
    print(f"gradient check of softmax regression: {'passed' if report.passed else 'FAILED'} "
          f"(tolerance {report.tol:.0e})")
    """),
    md(r"""
    **The same form as lesson 09.** A sigmoid output unit with the binary cross-entropy
    has the error signal $(\hat y - y)/N$ too: the sigmoid's slope $\hat y(1 - \hat y)$
    cancels against the loss's $1/(\hat y(1 - \hat y))$. That is no coincidence: a
    softmax over two classes with logits $(z, 0)$ **is** a sigmoid,
    $e^{z}/(e^{z} + e^{0}) = 1/(1 + e^{-z}) = \sigma(z)$:
    """),
    code(r"""
    z = np.array([-3.0, -0.5, 0.0, 2.0])
    two_class = sm.softmax(np.column_stack([z, np.zeros_like(z)]))[:, 0]
    print("softmax of (z, 0), class 0:", np.round(two_class, 6).tolist())
    print("sigmoid(z):                ", np.round(sigmoid(z), 6).tolist())
    """),
    md(r"""
    In both cases the loss was chosen to match the output activation, and no slope of the
    output unit is left in $\delta_{out}$. That is why these outputs do not get stuck when
    saturated, unlike the squared error through a sigmoid in lesson 09.
    """),
    *exercise("softmax_cross_entropy_grad", intro=r"""
    ### Exercise 3: the error signal of softmax with cross-entropy

    Write `softmax_cross_entropy_grad(Y, Z)`: $\partial L/\partial Z$ for one-hot targets
    `Y` and logits `Z`, both $(N, K)$, where $L$ is the cross-entropy of
    $\operatorname{softmax}(Z)$, the mean over the $N$ instances.
    """),
    md(r"""
    ## 5. The network: 64 → 32 → 10

    The course's `Network` does the rest unchanged: a hidden layer of 32 tanh units and an
    output layer of 10 units with the **identity** activation, so that the network's
    outputs are the logits $Z$. Softmax and cross-entropy sit outside it, in the loss:
    `Network.backward` starts from $\delta_{out} = (\hat Y - Y)/N$ (the identity's slope is
    1), then runs lesson 05's steps: $\partial L/\partial W_2 = A_1^\top\delta_{out}$,
    $\partial L/\partial b_2 = \sum_{\text{batch}}\delta_{out}$,
    $\delta_1 = (\delta_{out} W_2^\top)\odot\tanh'(Z_1)$, and so on. To read the network's
    answer, take the class with the largest logit (softmax does not change the order).
    """),
    code(r"""
    net = Network([64, 32, 10], activations=["tanh", "identity"], seed=0)
    n_params = sum(p.size for p in net.params.values())
    print(net, f"with {n_params} parameters")
    Z_train = net.predict(X[train_idx])
    print(f"before training: loss {sm.softmax_cross_entropy(Y[train_idx], Z_train):.4f}, "
          f"accuracy {sm.classification_accuracy(labels[train_idx], Z_train):.1%} "
          "on the training split")
    """),
    md(r"""
    Before training, the loss is near the uniform guess's $\log 10$ and the accuracy near
    chance. Before we trust its backward pass with 2,410 parameters, run the gradient
    check on the whole network, on a batch of 8 training images:
    """),
    code(r"""
    report = gradcheck(net, X[train_idx[:8]], Y[train_idx[:8]], loss="softmax_ce")
    print(f"gradient check of the 64-32-10 network: {'passed' if report.passed else 'FAILED'}"
          f" for {', '.join(report.errors)} (tolerance {report.tol:.0e})")
    """),
    md(r"""
    ## 6. Training on the training split

    One epoch is lesson 06's loop: shuffle the training rows, cut them into mini-batches
    of 32, and for each batch run the forward pass, the loss, the backward pass from
    $\delta_{out}$, and the step $W_{new} = W_{old} - \eta\,\partial L/\partial W_{old}$
    for every weight and bias. The function receives the whole data set and the indices
    of the training rows, as a data loader does: it must use those rows and no others.
    """),
    *exercise("train_epoch", intro=r"""
    ### Exercise 4: one epoch on the training split

    Write `train_epoch(params, X, Y, train_idx, eta, seed, batch_size=32)`. `params` holds
    `"W1", "b1", "W2", "b2"` of a `Network([n_in, n_hidden, K], activations=["tanh",
    "identity"])`; `X`, `Y` are the whole data set (inputs and one-hot targets) and
    `train_idx` the rows to train on. Shuffle with
    `order = np.random.default_rng(seed).permutation(len(train_idx))`, take the batches
    `order[s:s + batch_size]` of the training rows, and return `(new_params, epoch_loss)`:
    new arrays (leave `params` unchanged) and the mean of the batch losses weighted by
    batch size. The cases are small networks on random data.
    """),
    md(r"""
    Now train: 20 epochs with $\eta = 0.5$ and batches of 32, a new shuffle every epoch
    (seed = epoch number). These settings are a first guess, kept because the training
    loss keeps falling; the test split played no part in choosing them. After each
    epoch we record the epoch's loss and the accuracy on the training split.
    """),
    code(r"""
    params = {name: p.copy() for name, p in net.params.items()}
    epoch_losses, train_accuracies = [], []
    for epoch in range(20):
        params, loss = sm.train_epoch(params, X, Y, train_idx, eta=0.5, seed=epoch)
        net.set_params(params)
        epoch_losses.append(loss)
        train_accuracies.append(
            sm.classification_accuracy(labels[train_idx], net.predict(X[train_idx])))
        if epoch in (0, 4, 9, 19):
            print(f"epoch {epoch + 1:2d}: loss {loss:.4f}, "
                  f"training accuracy {train_accuracies[-1]:.1%}")
    print(f"{-(-len(train_idx) // 32)} steps per epoch, {20 * -(-len(train_idx) // 32)} in all")
    """),
    code(r"""
    pictures.training_curves(epoch_losses, train_accuracies,
                             title="64-32-10 network on the training split, batches of 32")
    """),
    md(r"""
    The loss falls, and the accuracy climbs, but not smoothly: some epochs end far below
    the one before. The culprit is the **last batch** of each epoch. The training split
    does not divide into batches of 32, so every epoch ends with one step taken on the
    few images left over. Replay epoch 2 by hand and measure the accuracy just before its
    last step:
    """),
    code(r"""
    print(f"the last batch of every epoch: {len(train_idx) % 32} images")
    dips = [e + 1 for e in range(1, 20) if train_accuracies[e] < train_accuracies[e - 1] - 0.05]
    print("epochs whose training accuracy fell by more than 5 points:", dips)
    replay = Network([64, 32, 10], activations=["tanh", "identity"], seed=0)
    replay.set_params(sm.train_epoch(replay.params, X, Y, train_idx, eta=0.5, seed=0)[0])
    order = np.random.default_rng(1).permutation(len(train_idx))  # epoch 2's shuffle
    for start in range(0, len(train_idx), 32):
        rows = train_idx[order[start:start + 32]]
        if start + 32 >= len(train_idx):
            before = sm.classification_accuracy(labels[train_idx], replay.predict(X[train_idx]))
        Z_b, cache = replay.forward(X[rows])
        grads = replay.backward(cache, sm.softmax_cross_entropy_grad(Y[rows], Z_b))
        for name, p in replay.params.items():
            p -= 0.5 * grads[name]
    after = sm.classification_accuracy(labels[train_idx], replay.predict(X[train_idx]))
    print(f"epoch 2: training accuracy {before:.1%} before its last step, {after:.1%} after")
    """),
    md(r"""
    One step on a handful of images, with the $\eta$ chosen for batches of 32, is exactly
    the noisy gradient of lesson 06: a few examples can pull the weights far from where
    the whole training set wants them. The next epoch's full batches repair the damage.
    Dropping the short batch, a smaller $\eta$, or an $\eta$ that shrinks over the epochs
    would smooth the curve; we keep lesson 06's loop as it is, and note that the final
    weights, too, come right after such a step.

    ## 7. The test split: digits the network never saw

    A network can learn its training images by heart. The question that matters is how
    it does on new handwriting, so now, once, we open the test split:
    """),
    code(r"""
    Z_test = net.predict(X[test_idx])
    predicted = sm.predicted_labels(Z_test)
    right = int(np.sum(predicted == labels[test_idx]))
    test_accuracy = sm.classification_accuracy(labels[test_idx], Z_test)
    print(f"test accuracy: {right} of {len(test_idx)} images, {test_accuracy:.1%}")
    print(f"test loss: {sm.softmax_cross_entropy(Y[test_idx], Z_test):.4f} "
          f"(training loss of the last epoch: {epoch_losses[-1]:.4f})")
    """),
    md(r"""
    The test loss is higher than the training loss: the network is more confident on the
    images it learned from. That gap is the price of generalisation, and measuring it
    honestly is what the held-out split is for. Where do the mistakes fall? The
    **confusion matrix** counts, for each true digit (row), how often each digit was
    predicted (column); the right answers lie on the diagonal, the mistakes (in the
    theme's red) off it.
    """),
    code(r"""
    C = sm.confusion_matrix(labels[test_idx], predicted, 10)
    off = C - np.diag(np.diag(C))
    t, p = np.unravel_index(int(np.argmax(off)), off.shape)
    print(f"{int(off.sum())} mistakes; the most frequent: true digit {t} read as {p} "
          f"({int(off[t, p])} times)")
    pictures.confusion_matrix_plot(C)
    """),
    md(r"""
    And the misread digits themselves, with the true label and the network's answer
    ("true → predicted"). Several are hard for a person too, at $8\times8$ pixels.
    """),
    code(r"""
    wrong = np.flatnonzero(predicted != labels[test_idx])
    shown = wrong[:10]
    pictures.digit_images(X_pixels[test_idx[shown]],
                          titles=[f"{labels[test_idx[i]]} → {predicted[i]}" for i in shown],
                          title="Misclassified test digits (true → predicted)")
    """),
    md(r"""
    ## Summary

    - **Softmax** turns a row of logits into probabilities,
      $p_k = e^{z_k - m}/\sum_j e^{z_j - m}$ with $m$ the row's maximum: the same value
      as without $m$, but no overflow ($e^{1000}$ is `inf`) and no $0/0$. Each row, one
      instance, is normalised on its own.
    - **Cross-entropy** on one-hot targets, $L = -\frac{1}{N}\sum_i\sum_k Y_{ik}\log
      P_{ik}$: minus the log-probability of the right class, averaged over the batch;
      probabilities are clipped before the log, since softmax can give exact zeros.
    - **Their error signal**: through the Jacobian $\partial p_k/\partial z_j =
      p_k(\mathbb{1}[k = j] - p_j)$ everything cancels to
      $\delta_{out} = \partial L/\partial Z = (\hat Y - Y)/N$, checked against finite
      differences and by the gradient check; lesson 09's sigmoid with binary
      cross-entropy is the two-class case, with the same form.
    - **On real data**: the course's 64 → 32 → 10 network (tanh hidden layer, identity
      output, softmax and cross-entropy in the loss), trained with shuffled mini-batches
      of 32 on three quarters of the 1,797 digits, read the held-out quarter with the
      test accuracy printed in section 7. The test split was used once, for that
      measurement.

    **What to read next.** Andrej Karpathy's *Neural Networks: Zero to Hero*: micrograd,
    then "Becoming a backprop ninja", which derives this softmax and cross-entropy
    backward by hand, on characters instead of digits. Stanford's CS231n notes (linear
    classification, softmax, and backpropagation). *Dive into Deep Learning* (d2l.ai),
    chapter "Softmax Regression", which trains the same output layer on images of
    clothing with a framework's autograd. The next steps for this network are better
    optimisers (momentum, Adam), regularisation, and convolutional layers.

    This is the last lesson of the course. [Back to 00 Start here, the map of the
    course](00_start_here.ipynb)
    """),
]
