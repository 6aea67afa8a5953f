"""Lesson 09, Capstone: Rumelhart, Hinton & Williams (1986). The first experiment of
"Learning representations by back-propagating errors" reproduced with the course's
machinery: the mirror-symmetry data, the 6-2-1 sigmoid network, full-batch training with
momentum (and what happens without it), 100% accuracy, the solution read from the
weights, and a gradient check of the trained network."""

from backprop_lessons.tools.authoring import code, exercise, md, setup

CELLS = [
    md(r"""
    # 09 · Capstone: Rumelhart, Hinton & Williams (1986)

    **What this lesson derives.** In 1986 David Rumelhart, Geoffrey Hinton and Ronald
    Williams published "Learning representations by back-propagating errors" (*Nature*
    323). Its point was not only a faster way to compute gradients: it showed that
    backpropagation can train **hidden units**, neurons that nobody tells what to do,
    and that they discover useful features on their own. Its first example is a network
    with 6 inputs, **2** hidden units and 1 output that learns to say whether a 6-bit
    vector is **mirror symmetric** (reads the same backwards).

    We reproduce it with everything the course built, and derive along the way

    1. the data set: why exactly 8 of the 64 vectors are symmetric, and why no single
       input bit says anything about the label;
    2. the paper's training recipe: full batch, squared error, and **momentum**,
       $\Delta\theta(t) = -\eta\,\partial L/\partial\theta + \alpha\,\Delta\theta(t-1)$,
       and what happens without it (runs that sit at 87.5%), and how long the runs take
       over a hundred random starts;
    3. the solution **read from the weights**, as the paper did: each hidden unit's
       weights are mirror images of opposite sign, $w_i = -w_{7-i}$, in the ratio of
       about 1 : 2 : 4, so that a symmetric input gives both hidden units a net input of 0;
    4. a gradient check of the trained network's backward pass.

    You write four functions: the labels, the paper's training loop, a score of the
    mirror pattern, and the numerical gradients of a gradient check.
    """),
    setup("lesson_09", imports="""
    import itertools

    from backprop_lessons.maths import datasets, gradcheck, rhw1986
    from backprop_lessons.viz import figures
    from backprop_lessons.maths.losses import mse, mse_grad
    from backprop_lessons.maths.rhw1986 import paper_network
    from backprop_lessons.maths.training import accuracy
    from backprop_lessons.widgets import Picture
    """),
    md(r"""
    ## 1. The task: is the vector a palindrome?

    The input is a vector of 6 bits $x_1, \dots, x_6$. It is **mirror symmetric** when it
    reads the same from both ends: $x_1 = x_6$, $x_2 = x_5$ and $x_3 = x_4$. The training
    set is all $2^6 = 64$ vectors, each labelled $y = 1$ (symmetric) or $y = 0$.
    """),
    code(r"""
    X, y = datasets.mirror_symmetry()
    print(f"X: {X.shape}, y: {y.shape}; symmetric: {int(y.sum())} of {len(X)}")
    for x in X[y.ravel() == 1]:
        print("".join(str(int(b)) for b in x))
    """),
    md(r"""
    Why 8? The first three bits can be anything ($2^3 = 8$ choices) and then the mirror
    pairs fix the last three. So 56 of the 64 vectors are asymmetric: a network that
    always answers "not symmetric" is already right on $56/64 = 87.5\%$ of them. Keep
    that number in mind; training will meet it.

    Why is the task hard? Look at one input bit at a time: among the symmetric vectors,
    and among the others, how often is it 1?
    """),
    code(r"""
    sym, asym = X[y.ravel() == 1], X[y.ravel() == 0]
    print("bit:                      ", "  ".join(f"x{i + 1}" for i in range(6)))
    print("share of 1s, symmetric:   ", "  ".join(f"{v:.1f}" for v in sym.mean(axis=0)))
    print("share of 1s, asymmetric:  ", "  ".join(f"{v:.1f}" for v in asym.mean(axis=0)))
    """),
    md(r"""
    Every bit is 1 in exactly half of the symmetric vectors and in half of the others:
    alone, no bit tells anything about the label. What matters is whether **pairs** of
    bits agree, $x_1 = x_6$, which is XOR's problem again (lesson 06: one neuron draws a
    single straight boundary and cannot do it). The network has to build features out of
    several inputs in its hidden layer, and nobody tells the hidden units which.
    """),
    *exercise("symmetry_labels", intro=r"""
    ### Exercise 1: the labels

    Write `symmetry_labels(X)`: for a 2-d array `X` with one bit vector per row (any
    number of bits), return the column of labels, shape $(n, 1)$: `1.0` when the row reads
    the same backwards, `0.0` otherwise. With 5 bits, the middle bit is its own mirror
    image.
    """),
    md(r"""
    The package's version gives the data set's labels:
    """),
    code(r"""
    print("rhw1986.symmetry_labels(X) equals y:",
          bool(np.array_equal(rhw1986.symmetry_labels(X), y)))
    """),
    md(r"""
    ## 2. The network of the paper

    Six inputs, two sigmoid hidden units, one sigmoid output: the `Network` of lessons 04
    and 05, with $W_1$ of shape $(6, 2)$, $b_1$ of shape $(2,)$, $W_2$ of shape $(2, 1)$
    and $b_2$ of shape $(1,)$. The paper started from small random weights: every weight
    and bias uniform in $[-0.3, 0.3]$. `paper_network` builds exactly that.
    """),
    code(r"""
    net = paper_network([6, 2, 1], seed=0)
    print(net, {name: p.shape for name, p in net.params.items()})
    n_params = sum(p.size for p in net.params.values())
    largest = max(float(np.abs(p).max()) for p in net.params.values())
    print(f"{n_params} parameters, the largest |value| {largest:.3f}")
    Y0 = net.predict(X)
    print(f"before training: outputs from {Y0.min():.3f} to {Y0.max():.3f}, "
          f"accuracy {accuracy(y, Y0):.1%}, loss {mse(y, Y0):.4f}")
    """),
    md(r"""
    Seventeen numbers to learn. With small weights every output is near 0.5, and the
    accuracy depends only on which side of 0.5 each output happens to fall: here all of
    them are above it, so every vector is called symmetric and only the 8 symmetric ones
    ($8/64 = 12.5\%$) are right.

    ## 3. Training as in 1986: full batch, squared error, momentum

    The paper adjusted the weights **once per sweep** through all 64 vectors (the full
    batch of lesson 06), on the squared error, with one addition to the gradient-descent
    step of lesson 01: **momentum**. Each step adds a fraction $\alpha$ of the previous
    step:

    $$\Delta\theta(t) = -\eta\,\frac{\partial L}{\partial \theta} + \alpha\,\Delta\theta(t-1),
    \qquad \theta_{new} = \theta_{old} + \Delta\theta(t),$$

    for every weight and bias $\theta$. With $\alpha = 0$ it is the plain step
    $W_{new} = W_{old} - \eta\,\partial L/\partial W_{old}$. Why add the old step? Where
    the gradient keeps the same direction, step after step, the steps build up like a
    ball rolling downhill: with a constant gradient $g$ they grow to
    $-\eta g\,(1 + \alpha + \alpha^2 + \dots) = -\eta g/(1 - \alpha)$, ten times the plain
    step for $\alpha = 0.9$. Where the gradient flips sign from step to step (across a
    narrow valley), the old and new steps cancel. `rhw1986.momentum_step` applies the
    rule; with a constant gradient of 1, $\eta = 0.1$ and $\alpha = 0.9$:
    """),
    code(r"""
    theta, velocity = {"W": 0.0}, {"W": 0.0}
    steps = []
    for _step in range(60):
        theta, velocity = rhw1986.momentum_step(theta, {"W": 1.0}, velocity, eta=0.1, alpha=0.9)
        steps.append(float(velocity["W"]))
    print("step t:", "  ".join(f"{t}: {steps[t - 1]:+.3f}" for t in (1, 2, 3, 10, 30, 60)))
    print(f"limit -eta * g / (1 - alpha) = {-0.1 * 1.0 / (1 - 0.9):+.3f}")
    """),
    md(r"""
    **The learning rate.** The paper's error was $E = \tfrac12\sum_{c}(y_c - d_c)^2$,
    summed over the 64 cases $c$ ($d_c$ the desired output); ours is the mean,
    $L = \tfrac1{64}\sum_c (y_c - d_c)^2$. So $\partial E/\partial\theta = 32\,\partial
    L/\partial\theta$, and the paper's learning rate $\varepsilon$ is our $\eta = 32\,
    \varepsilon$. The paper used $\varepsilon = 0.1$ and $\alpha = 0.9$, our $\eta = 3.2$.

    **When to stop.** After each forward pass, if every vector is on the right side of
    0.5 (accuracy 100%), stop; the number of steps taken is the run's length in
    **sweeps**.
    """),
    *exercise("train_full_batch", intro=r"""
    ### Exercise 2: the paper's training loop

    Write `train_full_batch(layer_sizes, X, y, eta, alpha=0.9, max_epochs=3000, seed=0)`.
    Start from `paper_network(layer_sizes, seed)` and a velocity of zeros for every
    parameter. Each sweep: forward pass on all of `X`; stop if `accuracy(y, Y) == 1.0`
    or after `max_epochs` steps; otherwise backward pass from `mse_grad(y, Y)`, then for
    every parameter `velocity = alpha * velocity - eta * gradient` and
    `parameter += velocity`. Return `(epochs, accuracy)`: the number of steps taken and
    the accuracy of the final weights. (The check compares the number of steps exactly:
    the same start and the same arithmetic give the same run.)
    """),
    md(r"""
    Now the experiment, over six seeds (six different random starts). The package's
    `rhw1986.train_seeds` gives the same six runs as calling `rhw1986.train_full_batch`
    once per seed, only faster: it trains the six networks side by side (the cells
    below explain how). First the paper's own setting, $\eta = 3.2$ ($\varepsilon = 0.1$) and
    $\alpha = 0.9$, for up to 1500 sweeps:
    """),
    code(r"""
    seeds = range(6)

    def report(eta, alpha, max_epochs):
        runs = rhw1986.train_seeds([6, 2, 1], X, y, eta, alpha, max_epochs, seeds=seeds)
        solved = [r.epochs for r in runs if r.accuracy == 1.0]
        print(f"eta = {eta:g}, alpha = {alpha:g}: solved {len(solved)} of {len(runs)} "
              f"within {max_epochs} sweeps; sweeps of the solved runs: {solved}")
        print("    final accuracies:", ", ".join(f"{r.accuracy:.1%}" for r in runs),
              "\n    final losses:    ", ", ".join(f"{r.losses[-1]:.4f}" for r in runs))
        return runs

    paper_runs = report(3.2, 0.9, 1500)
    """),
    md(r"""
    Only one of the six runs solves it within 1500 sweeps. The others are at 87.5% when
    the limit of 1500 sweeps stops them, most of them with a loss of $0.125 = 8/64$: the
    "never symmetric" answer with outputs at 0, so that each of the 8 symmetric vectors
    costs an error of 1 and the 56 others cost almost nothing. Look inside the first of
    them:
    """),
    code(r"""
    stuck = next(r for r in paper_runs if r.accuracy < 1.0)
    Y_stuck = stuck.network.predict(X)
    print(f"outputs of a run on the plateau: from {Y_stuck.min():.2e} to {Y_stuck.max():.2e}")
    slope = float((Y_stuck * (1 - Y_stuck)).max())
    print(f"largest sigmoid'(z) = Y(1 - Y) at the output: {slope:.2e}")
    """),
    md(r"""
    The steps were large enough to throw the output unit into **saturation**: its net
    input is so negative that $\hat y \approx 0$ for every vector, and the slope of the
    sigmoid there, $\hat y(1 - \hat y)$, is almost 0. Every gradient of the backward pass
    is multiplied by that slope (lesson 03's error signal), so the gradient of the squared
    error is tiny there: a **plateau**. (Cross-entropy, whose gradient with respect to the
    output unit's net input is $(\hat y - y)/N$ for the mean over $N$ examples, with no
    sigmoid slope in it, does not flatten out this way.)

    Tiny is not zero. Are these runs stuck for good, or only slow? Run the same recipe
    longer, for a hundred seeds at once: `rhw1986.train_many_seeds` stacks the hundred
    networks along a first axis, so one sweep is a few batched matrix products for all of
    them. Sweep counts this long can shift a little between computers (a run on a plateau
    amplifies rounding), so the cell prints counts and medians to the nearest hundred:
    """),
    code(r"""
    many = rhw1986.train_many_seeds([6, 2, 1], X, y, 3.2, 0.9, 10000, seeds=range(100))
    done = many.epochs[many.solved]
    for limit in (1500, 5000, 10000):
        print(f"solved within {limit:>6,} sweeps: {int(np.sum(done <= limit)):>3} of 100 seeds")
    sweeps = np.where(many.solved, many.epochs, np.inf)  # an unsolved run: more than 10,000
    q1, med, q3 = (int(round(v, -2)) for v in np.percentile(sweeps, [25, 50, 75]))
    print(f"sweeps needed, over all 100 runs: median about {med:,}, "
          f"middle half from about {q1:,} to {q3:,}")
    late = many.solved[:6] & (many.epochs[:6] > 1500)
    print(f"of our six seeds, solved later than 1,500 sweeps: {int(late.sum())}")
    """),
    md(r"""
    So a run at 87.5% after 1500 sweeps is not stuck for good. Over a hundred starts
    most runs solve it, the typical one after about 3,000 sweeps, twice the 1500 we
    allowed; two of our five unsolved runs finish by 10,000 sweeps, and 22 of the
    hundred need longer still. The spread is wide; the sweep count of one run says
    little, the distribution over starts says more. The paper reports one run; its
    Figure 1 caption is reported (we could not check the printed caption ourselves) as
    1,425 sweeps with $\varepsilon = 0.1$ and $\alpha = 0.9$, at the fast end of the
    middle half above.

    With our random starts the paper's $\varepsilon = 0.1$ is slow. Halve it,
    $\eta = 1.6$ ($\varepsilon = 0.05$), and keep the momentum:
    """),
    code(r"""
    runs = report(1.6, 0.9, 2000)
    """),
    md(r"""
    Every start solves it. Now the same $\eta = 1.6$ **without** momentum, plain
    full-batch gradient descent:
    """),
    code(r"""
    plain_runs = report(1.6, 0.0, 1500)
    print(f"the loss of answering 1/8 for every vector: {mse(y, np.full_like(y, 1 / 8)):.4f}")
    """),
    md(r"""
    At 87.5% again when the 1500 sweeps end, but differently: the loss sits at the loss
    of answering $1/8$ (the share of symmetric vectors) for every vector. That is a **plateau**: the
    network first learns the base rate, and near it the gradient that would split the
    symmetric vectors from the others is small. Small plain steps crawl along it for all
    1500 sweeps of these runs. Momentum lets the steps build up to ten times their size while
    the gradient keeps its direction, which carries the weights off the plateau. Is it
    just the size of the step? Take plain steps ten times larger, $\eta = 16$. Steps this
    large make each run **chaotic**: a difference in the last digit of a number, such as
    another processor rounding `np.exp` or a matrix product the other way, grows from
    sweep to sweep until the run takes another path. The exact number of sweeps of each
    run, and its final loss, then differ from one computer to the next, so this cell
    prints only what does not: how many runs solve, and how many of them within 1000
    sweeps. (The runs above, with smaller steps, do not amplify such differences: their
    numbers came out the same on every processor we tried.)
    """),
    code(r"""
    big_runs = rhw1986.train_seeds([6, 2, 1], X, y, 16.0, 0.0, 1500, seeds=seeds)
    big_solved = [r.epochs for r in big_runs if r.accuracy == 1.0]
    print(f"eta = 16, alpha = 0: solved {len(big_solved)} of {len(big_runs)} within 1500 "
          f"sweeps, {sum(e < 1000 for e in big_solved)} of them within 1000 sweeps")
    print("    final accuracies:", ", ".join(f"{r.accuracy:.1%}" for r in big_runs))
    """),
    md(r"""
    Here, yes: on this small task, plain full-batch steps of $\eta = 16$ solve it too, and
    all within 1000 sweeps. What
    momentum buys is that the step grows only along directions that stay the same; a
    plain step that large would jump back and forth across any narrow valley of a
    harder loss. So in this lesson we use the paper's recipe (full batch, squared error,
    momentum $\alpha = 0.9$, start in $[-0.3, 0.3]$) with $\eta = 1.6$. The mini-batches
    of lesson 06 would work as well; full batch is what the paper did, and with 64
    examples a sweep costs little.

    ## 4. 100% accuracy

    Take the first run of the $\eta = 1.6$ series (seed 0):
    """),
    code(r"""
    run = runs[0]
    trained = run.network
    Y = trained.predict(X)
    print(f"seed 0: {run.epochs} sweeps, accuracy {accuracy(y, Y):.1%}, "
          f"loss from {run.losses[0]:.4f} to {run.losses[-1]:.4f}")
    Y_sym, Y_asym = Y[y == 1], Y[y == 0]
    print(f"outputs of the 8 symmetric vectors:   from {Y_sym.min():.3f} to {Y_sym.max():.3f}")
    print(f"outputs of the 56 asymmetric vectors: from {Y_asym.min():.3f} to {Y_asym.max():.3f}")
    for k in (0, 100, 300, 600, 900, run.epochs):
        print(f"  loss before sweep {k:>4}: {run.losses[k]:.4f}")
    """),
    md(r"""
    All 64 right. The loss history shows how close this run came to the plateau runs
    above: for hundreds of sweeps its loss sits near 0.125, the "never symmetric" answer
    with outputs near 0, then it passes the base-rate loss 0.109 and falls as the hidden
    units find their features. Training stopped at the first sweep where every vector was
    on the right side of 0.5, so some outputs are still close to it; more sweeps would
    push them apart.

    ## 5. Reading the solution from the weights

    The paper's most quoted result is not the accuracy but what the hidden units learned.
    Here are the trained weights as a **Hinton diagram** (the paper's own kind of
    picture): one square per weight, its area proportional to $|w|$, light for positive
    and dark for negative; the last column is the bias.
    """),
    code(r"""
    Picture(figures.symmetry_weights(trained.params),
            "Hinton diagram of the trained 6-2-1 network (seed 0): each hidden unit's weights "
            "are mirror images of opposite sign")
    """),
    code(r"""
    W1, b1 = trained.params["W1"], trained.params["b1"]
    W2, b2 = trained.params["W2"], trained.params["b2"]
    for j in range(2):
        w = W1[:, j]
        print(f"hidden {j + 1}: w = [{', '.join(f'{v:+.2f}' for v in w)}], b1 = {b1[j]:+.2f}")
    print(f"output: W2 = [{', '.join(f'{v:+.2f}' for v in W2.ravel())}], b2 = {b2[0]:+.2f}")
    """),
    md(r"""
    Read the first hidden unit from the outside in: $w_1$ and $w_6$ have the same size
    and opposite signs, so do $w_2$ and $w_5$, and $w_3$ and $w_4$. The weights are
    **mirror images of opposite sign**, $w_i = -w_{7-i}$. A way to measure it: the cosine
    between a unit's weights $w$ and their mirror image $w^{rev} = (w_6, \dots, w_1)$,

    $$c(w) = \frac{\sum_i w_i\,w_{7-i}}{\sum_i w_i^2},$$

    is $-1$ for perfect mirror images of opposite sign, $+1$ for a symmetric unit, and
    near 0 for weights with no such pattern (a vector and its reverse have the same
    length, so the denominator is $|w|\,|w^{rev}|$).
    """),
    *exercise("mirror_cosine", intro=r"""
    ### Exercise 3: how anti-symmetric is a unit?

    Write `mirror_cosine(w)`: $c(w)$ above, for the input weights `w` of one unit (a
    vector of any length), as a float.
    """),
    code(r"""
    for j in range(2):
        print(f"hidden {j + 1}: c(w) = {rhw1986.mirror_cosine(W1[:, j]):+.4f}")
    untrained_c = [rhw1986.mirror_cosine(paper_network([6, 2, 1], seed=s).params["W1"][:, 0])
                   for s in seeds]
    print("before training (hidden 1, six seeds):", ", ".join(f"{c:+.2f}" for c in untrained_c))
    print("after training (hidden 1, six seeds): ",
          ", ".join(f"{rhw1986.mirror_cosine(r.network.params['W1'][:, 0]):+.4f}" for r in runs))
    """),
    md(r"""
    From random cosines at the start to $-1$ (to four decimals) at the end, in every run:
    backpropagation found the same pattern from six different starts.

    **Why it works.** When $w_{7-i} = -w_i$, the net input of the unit (before its bias)
    pairs up:

    $$\sum_{i=1}^{6} w_i x_i = a_1 (x_1 - x_6) + a_2 (x_2 - x_5) + a_3 (x_3 - x_4),
    \qquad a_k = \frac{w_k - w_{7-k}}{2}.$$

    A symmetric vector has every difference $x_k - x_{7-k} = 0$, so **both** hidden units
    get a net input of exactly 0, whatever the bits are. An asymmetric vector has at
    least one difference of $+1$ or $-1$. `rhw1986.pair_weights` gives $a_1, a_2, a_3$; the
    paper noticed that their sizes are in the ratio of about 1 : 2 : 4 (its run was
    trained on until every output was close to its target, which matters, as we will see):
    """),
    code(r"""
    for j in range(2):
        a = rhw1986.pair_weights(W1[:, j])
        ratio = np.sort(np.abs(a)) / np.abs(a).min()
        print(f"hidden {j + 1}: a = [{', '.join(f'{v:+.2f}' for v in a)}], "
              f"sizes in the ratio 1 : {ratio[1]:.2f} : {ratio[2]:.2f}")
    ratios = [np.sort(np.abs(rhw1986.pair_weights(r.network.params["W1"][:, 0])))
              for r in runs]
    print("all six runs, hidden 1:", "; ".join(f"1 : {a[1] / a[0]:.2f} : {a[2] / a[0]:.2f}"
                                              for a in ratios))
    """),
    md(r"""
    Why powers of two? The net input of an asymmetric vector is $\sum_k a_k s_k$ with each
    $s_k = x_k - x_{7-k}$ in $\{-1, 0, +1\}$ and at least one of them non-zero. If the
    terms of such a sum could cancel, say $a_1 = a_2$ with $s = (1, -1, 0)$, that
    asymmetric vector would get a net input of 0 and look symmetric. With sizes 1, 2, 4
    no signed sum cancels, for the same reason that a binary number has one way of being
    written: the largest term is bigger than all the smaller ones together. The ratio
    need not be exact; what matters is the smallest net input an asymmetric vector can
    get.

    **The ratio depends on when training stops.** Our runs stop at the first sweep where
    every output is on the right side of 0.5. Train ten of the $\eta = 1.6$ starts until every
    output is within 0.1 of its target instead, $|y - d| < 0.1$, and compare the median
    ratio over both hidden units of every run:
    """),
    code(r"""
    def median_ratio(stop_error):
        r = rhw1986.train_many_seeds([6, 2, 1], X, y, 1.6, 0.9, 5000, seeds=range(10),
                                     stop_error=stop_error)
        sizes = [np.sort(np.abs(rhw1986.pair_weights(r.W1[i][:, j])))
                 for i in np.flatnonzero(r.solved) for j in range(2)]
        m = np.median([a / a[0] for a in sizes], axis=0)
        return int(r.solved.sum()), f"1 : {m[1]:.1f} : {m[2]:.1f}"

    for label, stop_error in (("stopped at the right side of 0.5:", None),
                              ("trained on to |y - d| < 0.1:     ", 0.1)):
        n_solved, ratio = median_ratio(stop_error)
        print(f"{label} solved {n_solved} of 10, median ratio {ratio}")
    """),
    md(r"""
    Stopped early, the ratio is short of 1 : 2 : 4; trained on, the weights grow into it.
    "About 1 : 2 : 4" is the shape the solution tends to, and how close a run gets
    depends on how long it trains. Every one of the 26 non-zero sign
    patterns $s$, for our trained unit:
    """),
    code(r"""
    a = rhw1986.pair_weights(W1[:, 0])
    patterns = [s for s in itertools.product([-1, 0, 1], repeat=3) if any(s)]
    smallest = min(abs(float(np.dot(a, s))) for s in patterns)
    net_in = X @ W1  # net inputs of the two hidden units, before the bias
    print(f"{len(patterns)} sign patterns; the smallest |net input| among them: {smallest:.2f}")
    print(f"symmetric vectors: largest |net input| {np.abs(net_in[y.ravel() == 1]).max():.3f}")
    print(f"asymmetric vectors: smallest |net input| {np.abs(net_in[y.ravel() == 0]).min():.2f}")
    """),
    md(r"""
    The trained weights are not perfect mirror images, so a symmetric vector gets a net
    input near 0 rather than exactly 0, yet far below the smallest net input of an
    asymmetric one, which is the smallest of the 26 signed sums.

    The second hidden unit has nearly the same weights with the opposite signs (compare
    the two rows of the diagram). So for an asymmetric vector the two net inputs are
    about $u$ and $-u$ with $u \neq 0$: **exactly one** hidden unit is pushed up. Both biases are
    negative, so a hidden unit switches on only when its net input overcomes its bias;
    for a symmetric vector both stay at $\sigma(b_1)$. The output unit has two large
    negative weights and a positive bias: it says "symmetric" unless a hidden unit is on.
    """),
    code(r"""
    H = trained.forward(X)[1][0]["A"]  # the hidden units' outputs for all 64 vectors
    print(f"symmetric vectors: hidden outputs from {H[y.ravel() == 1].min():.3f} "
          f"to {H[y.ravel() == 1].max():.3f}")
    larger = H[y.ravel() == 0].max(axis=1)  # the larger of the two hidden outputs
    print(f"asymmetric vectors: the larger hidden output from {larger.min():.3f} "
          f"to {larger.max():.3f}")
    print(f"sigma(b1) = {', '.join(f'{1 / (1 + np.exp(-b)):.3f}' for b in b1)}")
    """),
    md(r"""
    That is the sense of the paper's title: the hidden units **learned a representation**
    ("is this vector asymmetric to the left? to the right?") that no one put in, and the
    output unit reads the answer from it.

    ## 6. Checking the backward pass of the trained network

    Everything above trusted `Network.backward`. Lesson 05 checked a backward pass
    against finite differences on random weights; the trained network is a harder test,
    with large weights and saturated units. For every parameter $\theta$,

    $$\frac{\partial L}{\partial \theta} \approx
    \frac{L(\theta + h) - L(\theta - h)}{2h}, \qquad h = 10^{-6},$$

    nudging one entry at a time in place and restoring it.
    """),
    *exercise("numerical_gradients", intro=r"""
    ### Exercise 4: numerical gradients

    Write `numerical_gradients(network, X, y, h=1e-6)`: a dict `{name: array}` with the
    central-difference gradient of $L$ = `mse(y, network.predict(X))` for every
    parameter in `network.params` (each array of the parameter's shape). Put every entry
    back exactly as it was.
    """),
    code(r"""
    Y, cache = trained.forward(X)
    backprop = trained.backward(cache, mse_grad(y, Y))
    numeric = rhw1986.numerical_gradients(trained, X, y)
    L = mse(y, Y)
    for name in backprop:
        agree = gradcheck.gradients_agree(backprop[name], numeric[name], L, h=1e-6)
        print(f"{name}: agrees by the course's rule: {agree}")
    report = gradcheck.gradcheck(trained, X, y)
    print("gradcheck of the whole trained network passed:", report.passed)
    """),
    md(r"""
    The rule is the course's one test of "this gradient is right" (lesson 08,
    `gradcheck.gradients_agree`): the largest difference may be at most $10^{-7}$ of the
    gradient's size, plus the noise of the finite difference itself, $10\,\varepsilon
    |L|/h$ with $\varepsilon = 2.2\times10^{-16}$: the two losses $L(\theta \pm h)$ are
    each rounded by about $\varepsilon |L|$. For gradients of ordinary size the noise term
    is negligible. It matters for the runs that sat on the plateau: their gradients are
    so small that the noise is most of the difference, and a plain relative error below
    $10^{-7}$ would call their correct backward pass wrong. The first of them, after its
    1500 sweeps:
    """),
    code(r"""
    plateau = gradcheck.gradcheck(stuck.network, X, y)
    print(f"largest relative error {gradcheck.bound(max(plateau.errors.values()), above=1e-7)}")
    print(plateau)
    """),
    md(r"""
    Its relative errors are above $10^{-7}$, and still every parameter is within the
    finite-difference noise: the backward pass is right, the gradient just tiny.

    ## Summary

    - **The task** (Rumelhart, Hinton & Williams, 1986): all 64 six-bit vectors, 8 of
      them mirror symmetric ($2^3$: the first half fixes the second). No single bit
      carries any information about the label; only pairs of bits do, so hidden units
      are needed.
    - **The recipe**: a 6-2-1 sigmoid network started in $[-0.3, 0.3]$, full-batch
      gradient descent on the squared error with momentum,
      $\Delta\theta(t) = -\eta\,\partial L/\partial\theta + \alpha\,\Delta\theta(t-1)$;
      the paper's $\varepsilon$ is our $\eta/32$. With $\eta = 1.6$, $\alpha = 0.9$ every
      start tried reached 100% accuracy. Without momentum the same $\eta$ stayed on the
      87.5% plateau (the answer $1/8$ everywhere); with the paper's $\varepsilon = 0.1$
      the runs that miss 1500 sweeps sit on a plateau, their output unit saturated near
      0, and most of them leave it later: over 100 starts the median run needs about
      3,000, and the spread is wide.
    - **The solution, read from the weights**: each hidden unit's weights are mirror
      images of opposite sign ($c(w) = -1$), with pair sizes in the ratio of about
      1 : 2 : 4 (closer the longer training goes on), so a symmetric vector gives both
      hidden units a net input of 0 and an asymmetric one pushes exactly one of them
      up; the two units have opposite signs and the output unit answers "symmetric"
      when neither is on.
    - **The check**: the trained network's backward pass agrees with central
      differences on every parameter, by the course's one rule (relative error within
      $10^{-7}$ plus the finite-difference noise), also where the gradients are tiny.

    **What you built, from first principles.** A slope measured with $h = 10^{-4}$
    (lesson 01); the step $W_{new} = W_{old} - \eta\,\partial L/\partial W_{old}$; the
    chain rule and its sum over paths (02); the gradients of one neuron and its bias (03);
    the forward pass of a layered network on a mini-batch (04); the backward pass, layer
    by layer, $\partial L/\partial W = X^\top\delta$ (05); training over mini-batches and
    epochs (06); reverse-mode autodiff, the same algorithm for any graph (07); gradient
    checking, the test of every backward pass (08); and here, the experiment that
    introduced backpropagation, reproduced and read.

    **What comes next.** This network ends in one sigmoid unit: one yes-or-no answer. A
    classifier of many classes ends in a softmax instead, trained with cross-entropy: the
    last lesson derives that output layer and trains a network on real handwriting, judged
    on digits it never saw. (Lesson 10 also lists where to read on after the course.)

    [Next: 10 Handwritten digits: softmax and cross-entropy](10_digits.ipynb)
    """),
]
