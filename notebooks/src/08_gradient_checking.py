"""Lesson 08, Gradient checking: why a backward pass needs a check, central against one-sided
differences on arrays, the choice of h (truncation against rounding), why float64, what the
relative error's magnitudes mean, kinks, sampled checks of big parameters, and reading a
whole network's report to find the broken layer."""

from backprop_lessons.tools.authoring import code, exercise, md, setup

CELLS = [
    md(r"""
    # 08 · Gradient checking

    Lesson 05 ended with a test: nudge a parameter by $\pm h$, measure the slope of the
    loss, compare with backpropagation. This lesson works out how far that test can be
    trusted and how to read what it says. It derives:

    1. **why** a backward pass needs a check at all: a wrong one can still train;
    2. the **central difference** on a whole array, entry by entry, and why it beats the
       one-sided difference: its error shrinks like $h^2$, not like $h$;
    3. **how to choose $h$**: the truncation error ($\sim h^2$) and the rounding error
       ($\sim \varepsilon / h$) pull in opposite directions, and their sum is smallest
       near $h = \varepsilon^{1/3} \approx 6\cdot10^{-6}$ in float64;
    4. why the check needs **float64**, and what the **relative error** means at each
       magnitude, and the course's one rule for "this gradient is right";
    5. **kinks** (relu at 0) that make an honest check fail;
    6. **sampled checks** of big parameters (2 forward passes per entry checked), and how
       to find the broken layer from a report of the whole network.
    """),
    setup("lesson_08", imports="""
    from backprop_lessons.maths import checking, datasets, training
    from backprop_lessons.viz import plots
    from backprop_lessons.maths.activations import relu, relu_prime
    from backprop_lessons.maths.gradcheck import bound, gradcheck, magnitude
    from backprop_lessons.maths.gradcheck import relative_error as rel_err  # exercise 2: yours
    from backprop_lessons.maths.losses import mse_grad
    from backprop_lessons.maths.network import Network
    from backprop_lessons.widgets import Picture
    """),
    md(r"""
    ## 1. A wrong backward pass that still trains

    Here is a classic bug. The backward pass of a sigmoid layer multiplies by the slope of
    the sigmoid at the layer's input, $\sigma'(Z)$. Write $\sigma'(A)$ instead, the slope
    at the layer's *output*, and the code still runs, every gradient still has the right
    shape, and since $\sigma'$ is always positive the wrong gradient still points roughly
    downhill. The package has a network with exactly this bug in its first layer,
    `checking.SlopeBugNetwork`, for practice. Train it and a correct network from the same
    starting weights on the two moons of lesson 06:
    """),
    code(r"""
    X, y = datasets.two_moons(200, seed=0)
    right = Network([2, 8, 1], seed=0)
    buggy = checking.SlopeBugNetwork([2, 8, 1], seed=0, buggy_layer=1)
    for net in (right, buggy):
        history = training.train(net, X, y, eta=5.0, epochs=60, batch_size=32, seed=0)
        accuracy = training.accuracy(y, net.predict(X))
        print(f"{net!r:67} loss {history.epoch_losses[0]:.4f} -> "
              f"{history.epoch_losses[-1]:.4f}, accuracy {accuracy:.1%}")
    """),
    md(r"""
    The buggy network trains about as well as the right one. Nothing in the loss curve or
    the accuracy gives it away; on another problem it might learn a little slower, stall,
    or learn something slightly different, and we would blame the learning rate. A bug in
    a backward pass does not announce itself. The gradient check does: run it on 16
    examples, from the same starting weights.
    """),
    code(r"""
    Xb, yb = X[:16], y[:16].reshape(-1, 1)
    print(gradcheck(Network([2, 8, 1], seed=0), Xb, yb))
    print(gradcheck(checking.SlopeBugNetwork([2, 8, 1], seed=0, buggy_layer=1), Xb, yb))
    """),
    md(r"""
    The buggy network's first layer fails by a few percent. The right network passes,
    and its report does not print its errors' digits, only that they are within the
    tolerance: those digits are rounding noise, and another computer prints other ones
    (section 3 says why). The rest of the lesson takes this check apart, piece by piece,
    so that you can build it, trust it and read it.

    ## 2. The numerical gradient of an array

    A parameter is an array, say $W_1$ of shape $(2, 8)$. Its gradient
    $\partial L/\partial W_1$ has one entry per weight, and each entry is a slope of the
    loss along one weight with every other weight held still. So measure them one at a
    time: nudge entry $i$ up and down by $h$, evaluate the loss twice, and restore the
    entry before moving to the next one,

    $$\frac{\partial L}{\partial W_i} \approx \frac{L(W_i + h) - L(W_i - h)}{2h}.$$

    Restoring matters: every later entry must be measured at the same point $W_{old}$,
    and in a real check $W$ is a network's own weight array, which must come out of the
    check unchanged.
    """),
    *exercise("central_difference_gradient", intro=r"""
    ### Exercise 1: the numerical gradient of every entry

    Write `central_difference_gradient(f, param, h=1e-6)`. `f(param)` returns the loss for
    the parameter array `param`. For every entry `i` (loop with
    `for i in np.ndindex(param.shape)`), set `param[i]` to `old + h`, then `old - h`,
    evaluate `f(param)` each time, put `old` back, and store the central difference. Return
    a new float64 array of the shape of `param`; `param` itself must end as it began.
    """),
    md(r"""
    ### Central against one-sided

    Why two evaluations per entry when the one-sided difference $\big(L(W_i + h) -
    L(W_i)\big)/h$ gets away with one (plus a shared $L(W)$)? Expand the loss around
    $W_i$ (Taylor):

    $$L(W_i \pm h) = L \pm h L' + \frac{h^2}{2} L'' \pm \frac{h^3}{6} L''' + \dots$$

    The one-sided difference keeps the $L''$ term: it is off by about
    $\frac{h}{2}|L''|$. In the central difference the even terms cancel and only
    $\frac{h^2}{6}|L'''|$ remains. With $h = 10^{-6}$ that is an error proportional to
    $10^{-6}$ against one proportional to $10^{-12}$. On $W_1$ of the correct network,
    against backpropagation's gradient:
    """),
    code(r"""
    net = Network([2, 8, 1], seed=0)
    Y, cache = net.forward(Xb)
    grads = net.backward(cache, mse_grad(yb, Y))
    f = checking.loss_of_param(net, "W1", Xb, yb)    # f(W) = the loss with W1 set to W
    W1 = net.params["W1"]
    central = checking.central_difference_gradient(f, W1)
    one_sided = checking.one_sided_gradient(f, W1)
    print(f"dL/dW1 {W1.shape}: {W1.size} entries, {2 * W1.size} loss evaluations (central)")
    print(f"relative error, central:   about {magnitude(rel_err(grads['W1'], central))}")
    print(f"relative error, one-sided: {rel_err(grads['W1'], one_sided):.0e}")
    ratio = rel_err(grads["W1"], one_sided) / rel_err(grads["W1"], central)
    print(f"one-sided error / central error: {bound(ratio, above=10)}")
    """),
    md(r"""
    The one-sided error is more than ten times larger, for the same $h$, on a backward
    pass that is right. A check that cannot tell a right gradient from one that
    is slightly off is not much of a check: use the central difference.

    Why "about $10^{-9}$" rather than its digits, and why so much more than the
    $10^{-12}$ of the Taylor argument? The central error here is not truncation but
    rounding, the subject of the next section, and rounding is noise: another processor
    (another kernel for the matrix products, another loop for `np.exp`) rounds a few
    results the other way, and the digits change. Its power of ten does not; the
    one-sided error, mostly truncation, keeps its digits.

    ## 3. Choosing h: truncation against rounding

    The Taylor argument says: the smaller $h$, the better. The computer disagrees. A
    float64 number carries about 16 significant digits: each loss value comes back with a
    rounding error of about $\varepsilon\,|L|$, where $\varepsilon = 2^{-52}$ is the
    machine epsilon, the gap between 1 and the next float64:
    """),
    code(r"""
    eps = float(np.finfo(np.float64).eps)
    print(f"machine epsilon, float64: {eps:.2e}")
    print(f"eps^(1/3) = {checking.best_step(np.float64):.2e}, "
          f"eps^(2/3) = {eps ** (2 / 3):.0e}, eps^(1/2) = {eps ** 0.5:.0e}")
    """),
    md(r"""
    Subtracting two nearly equal losses keeps that error while the difference itself
    shrinks with $h$, and dividing by $2h$ blows it up. The two errors of the central difference add
    up to

    $$E(h) \approx \underbrace{\frac{|L'''|}{6}\,h^2}_{\text{truncation}} +
    \underbrace{\frac{\varepsilon\,|L|}{h}}_{\text{rounding}} .$$

    The first falls as $h$ shrinks, the second rises. $E$ is smallest where its slope is
    zero, $\frac{|L'''|}{3}h = \frac{\varepsilon |L|}{h^2}$, that is at
    $h^* = (3\varepsilon|L|/|L'''|)^{1/3}$: about $\varepsilon^{1/3}$ when $L$ and $L'''$
    have similar sizes, and the error there is about $\varepsilon^{2/3}$. The same
    argument for the one-sided difference ($\frac{|L''|}{2}h + \frac{2\varepsilon|L|}{h}$)
    gives $h^* \approx \varepsilon^{1/2}$ and a best error of about $\varepsilon^{1/2}$,
    far worse. With the numbers above: the best central $h$ is about $6\cdot10^{-6}$ with
    an error near $4\cdot10^{-11}$; the best one-sided $h$ is about $10^{-8}$ with an
    error near $10^{-8}$.
    """),
    md(r"""
    Measure it. The loss $L(w) = w^2/(1 + w^2)$, a smooth bowl lowest at $w = 0$, has the
    exact slope $L'(w) = 2w/(1 + w^2)^2$. (It is built from
    $+,-,\times,\div$ only, which every machine rounds the same way, so these numbers are
    the same on yours.) The relative error of each difference, for $h$ from $10^{-1}$
    down to $10^{-12}$:
    """),
    code(r"""
    hs = 10.0 ** -np.arange(1, 13)
    L, dL = checking.saturating_loss, checking.saturating_loss_prime
    err_central = checking.step_size_errors(L, dL, 0.5, hs)
    err_one_sided = checking.step_size_errors(L, dL, 0.5, hs, one_sided=True)
    err_float32 = checking.step_size_errors(L, dL, 0.5, hs, dtype=np.float32)
    print(f"L(0.5) = {L(0.5):.4f}, exact slope L'(0.5) = {dL(0.5):.4f}")
    print("     h    central   one-sided   central in float32")
    for h, c, o, s in zip(hs, err_central, err_one_sided, err_float32):
        print(f"{h:6.0e}   {c:7.0e}   {o:9.0e}   {s:10.0e}")
    best = int(np.argmin(err_central))
    print(f"smallest central error {err_central[best]:.0e} at h = {hs[best]:.0e}")
    """),
    code(r"""
    Picture(plots.step_size_plot(hs, {"central, float64": err_central,
                                         "one-sided, float64": err_one_sided,
                                         "central, float32": err_float32}),
            "Relative error of the slope against h: a U for each difference")
    """),
    md(r"""
    Read the blue curve from left to right. From $h = 10^{-1}$ to $10^{-4}$ each tenfold
    smaller $h$ makes the error a hundred times smaller: that is truncation, $\propto h^2$.
    Its bottom is at $h = 10^{-6}$, right next to $\varepsilon^{1/3} \approx 6\cdot10^{-6}$.
    Below that the error *grows* again, roughly tenfold per step, as rounding
    ($\propto \varepsilon/h$) takes over, and it becomes ragged because rounding is
    noise. The orange one-sided curve falls only tenfold per step, to its lowest values, a
    few times $10^{-9}$, from $h = 10^{-8} \approx \varepsilon^{1/2}$ down to $10^{-10}$
    (ragged there, as rounding takes over): far above the central difference's best.
    That is why every check in this course uses the central difference with
    $h = 10^{-6}$.

    ## 4. Why float64

    The red curve repeats the central difference in float32, where $\varepsilon =
    2^{-23}$:
    """),
    code(r"""
    eps32 = float(np.finfo(np.float32).eps)
    print(f"float32: eps = {eps32:.1e}, best h = eps^(1/3) = "
          f"{checking.best_step(np.float32):.1e}, best error about eps^(2/3) = "
          f"{eps32 ** (2 / 3):.0e}")
    best32 = int(np.argmin(err_float32))
    print(f"measured: smallest float32 error {err_float32[best32]:.0e} at h = {hs[best32]:.0e}"
          f" (float64: {err_central[best]:.0e});  at h = 1e-6: {err_float32[5]:.2f};  "
          f"at h = 1e-8: {err_float32[7]:.2f}")
    """),
    md(r"""
    The float32 curve bottoms out at $h = 10^{-3}$, not far from its
    $\varepsilon^{1/3} \approx 5\cdot10^{-3}$, with an error of $4\cdot10^{-6}$: no better
    than float64 at that same $h$, and nearly a million times worse than float64's best.
    At the usual $h = 10^{-6}$ the error is already 2 percent, and from $h = 10^{-8}$ on,
    $0.5 + h$ rounds back to $0.5$ in float32: the slope comes out as 0, an error of 1.
    """),
    md(r"""
    The same happens on a network. Below, the forward pass of our 2-8-1 network is
    written out once more with every array in float32 (a one-off: the package's networks
    always compute in float64), and its numerical gradient is compared with
    backpropagation's, which we know is right:
    """),
    code(r"""
    X32, y32 = Xb.astype(np.float32), yb.astype(np.float32)
    b1_32, W2_32, b2_32 = (net.params[k].astype(np.float32) for k in ("b1", "W2", "b2"))

    def loss_float32(W):
        A1 = 1 / (1 + np.exp(-(X32 @ W + b1_32)))
        Y = 1 / (1 + np.exp(-(A1 @ W2_32 + b2_32)))
        return np.mean((Y - y32) ** 2)

    W1_32 = W1.astype(np.float32)
    err_h6 = rel_err(grads["W1"], checking.central_difference_gradient(loss_float32, W1_32, 1e-6))
    err_h3 = rel_err(grads["W1"], checking.central_difference_gradient(loss_float32, W1_32, 1e-3))
    print(f"float32, h = 1e-06: relative error {bound(err_h6, above=0.1)}")
    print(f"float32, h = 1e-03: relative error {bound(err_h3, above=1e-5, below=1e-2)}")
    """),
    md(r"""
    With $h = 10^{-6}$ a correct gradient looks wrong (off by more than 10%); even with
    the best $h$ it looks suspicious (above $10^{-5}$). Train in float32 if you like, but
    check gradients in float64. These errors are float32 rounding noise, so we print
    bounds: their digits, even their powers of ten, differ from one processor to the
    next. (The curves above come out the same on every machine: $L(w) = w^2/(1 + w^2)$
    needs only $+, -, \times, \div$, which every processor rounds alike.)

    ## 5. The relative error and what its size means

    How close is close? The absolute difference $\max|a - b|$ has no scale: $10^{-3}$ is
    negligible next to gradients of 1000 and enormous next to gradients of $10^{-3}$. The
    relative error divides by the size of the two gradients,

    $$\text{rel}(a, b) = \frac{\max |a - b|}{\max\big(10^{-8},\ \max(|a| + |b|)\big)},$$

    where both maxima run over the entries. It treats $a$ and $b$ alike (neither is the
    truth: the numerical gradient has its own error), it is 0 for equal arrays and at
    most 1, and the floor $10^{-8}$ keeps it finite when both gradients are zero, as for a
    weight the batch never reaches.
    """),
    *exercise("relative_error", intro=r"""
    ### Exercise 2: the relative error

    Write `relative_error(a, b)` for two arrays of the same shape, with the formula above.
    The check includes two zero gradients.
    """),
    md(r"""
    Some landmarks, each computed on backpropagation's $\partial L/\partial W_1$, `g`:
    """),
    code(r"""
    g = grads["W1"]
    off = g.copy()
    off.flat[0] *= 1.01
    print(f"right (central difference): about {magnitude(rel_err(g, central))}")
    print(f"one entry off by 1%:        {rel_err(g, off):.4f}")
    print(f"twice too large:            {rel_err(g, 2 * g):.4f}")
    print(f"sign flipped:               {rel_err(g, -g):.4f}")
    """),
    md(r"""
    A flipped sign gives exactly 1 ($|2g| / |2g|$), a factor 2 too many gives
    $|g| / |3g| = 1/3$, and a single entry off by 1% gives two thousandths. So, in float64
    with $h \approx 10^{-6}$, the course's one rule (`gradcheck.gradients_agree`, used by
    `gradcheck` and in lessons 05 and 09): a backward gradient $a$ and a central
    difference $b$ agree when

    $$\max|a - b| \le 10^{-7}\,\max(|a| + |b|) + 10\,\varepsilon\,|L|/h .$$

    The second term is the finite-difference noise of section 3 (rounding is
    $\varepsilon |L| / h$ whatever the gradient's size; the 10 is a safety margin). So:

    - **a relative error of at most $10^{-7}$**: right (our right gradients measure
      about $10^{-9}$);
    - **above $10^{-7}$ but within the noise term**: right too. Tiny gradients next to
      a large loss land here: the finite difference cannot resolve them better (lesson
      09 meets a network whose gradients are about $10^{-6}$);
    - **$10^{-7}$ to $10^{-5}$ and outside the noise**: look closer: a kink or a
      one-sided difference lands here, and so does a small bug;
    - **above $10^{-5}$**: suspicious: something is wrong, often in a few entries;
    - **$10^{-2}$ to 1**: wrong: a missing factor, a missing term, a flipped sign.

    ## 6. Kinks: a check that fails honestly

    The relu, $\text{relu}(z) = \max(0, z)$, has a corner at $z = 0$: slope 0 on the left,
    1 on the right, and no derivative at 0 itself (the package takes 0 there). A central
    difference that straddles the corner averages the two sides:
    """),
    code(r"""
    z = np.array([-1.0, 0.0, 3e-7, 2.0])
    numeric = checking.central_difference_gradient(lambda p: float(np.sum(relu(p))), z)
    print("z                       ", z.tolist())
    print("relu'(z), backprop      ", relu_prime(z).tolist())
    print("central difference      ", np.round(numeric, 6).tolist())
    print(f"relative error: {rel_err(relu_prime(z), numeric):.2f}")
    """),
    md(r"""
    At $z = 0$ the difference sees $(h - 0)/(2h) = 0.5$; at $z = 3\cdot10^{-7}$, closer to
    the corner than $h$, it sees a mixture. Neither number is wrong, and neither is
    backpropagation's: there is no single slope to agree on. In a network of relus this
    happens when some pre-activation of the batch lies within $h$ of 0. With random data
    that is rare, so a relu network usually passes, but put one pre-activation exactly on
    the corner and the check fails although the backward pass is right:
    """),
    code(r"""
    relu_net = Network([2, 8, 1], activations=["relu", "sigmoid"], seed=0)
    print(gradcheck(relu_net, Xb, yb))
    Z1 = Xb @ relu_net.params["W1"] + relu_net.params["b1"]
    i, j = np.unravel_index(np.argmin(np.abs(Z1)), Z1.shape)
    relu_net.params["b1"][j] -= Z1[i, j]        # move that pre-activation onto the corner
    Z1 = Xb @ relu_net.params["W1"] + relu_net.params["b1"]
    print(f"pre-activation of neuron {j + 1} for example {i + 1}: {abs(float(Z1[i, j])):.1f}")
    print(gradcheck(relu_net, Xb, yb))
    """),
    md(r"""
    Only the parameters below the corner ($W_1$, $b_1$) fail, by a few thousandths. When a
    check fails on a network with kinks, look at the pre-activations before you look for a
    bug: move the data or the weights slightly (or check with a smooth activation), and
    if the failure goes away, it was the corner.

    ## 7. Big parameters: check a sample

    Each entry costs two forward passes. For the first layer of a digit classifier,
    $784 \times 128$ weights:
    """),
    code(r"""
    print(f"{784 * 128} weights: {2 * 784 * 128} forward passes for one full check")
    """),
    md(r"""
    Backpropagation got all of those gradients from one forward and one backward pass;
    the check only needs to be convinced. Check a few entries drawn at random, with a
    seeded generator so that the check is reproducible.
    """),
    *exercise("sampled_gradient_check", intro=r"""
    ### Exercise 3: a sampled gradient check

    Write `sampled_gradient_check(f, param, dL_dparam, n_checks, seed=0, h=1e-6)`. Draw
    the entries with `rng = np.random.default_rng(seed)` and `picked =
    rng.choice(param.size, size=n_checks, replace=False)` (flat indices, none twice; turn
    each into an index with `np.unravel_index(k, param.shape)`). For each picked entry
    compute the central difference (on a copy of `param`), then return the relative error
    between the `n_checks` entries of `dL_dparam` and your `n_checks` numerical ones.
    """),
    md(r"""
    A network with 64 inputs, 256 hidden neurons and 10 outputs has 16,384 weights in
    $W_1$. Check 20 of them, in a correct network and in one with the slope bug:
    """),
    code(r"""
    rng = np.random.default_rng(3)
    X_big = rng.normal(size=(32, 64))
    y_big = rng.integers(0, 2, size=(32, 10)).astype(float)
    for big in (Network([64, 256, 10], seed=0),
                checking.SlopeBugNetwork([64, 256, 10], seed=0, buggy_layer=1)):
        Y_big, cache_big = big.forward(X_big)
        g_big = big.backward(cache_big, mse_grad(y_big, Y_big))
        f_big = checking.loss_of_param(big, "W1", X_big, y_big)
        err = checking.sampled_gradient_check(f_big, big.params["W1"], g_big["W1"], 20, seed=0)
        shown = f"{err:.0e}" if err > 1e-5 else f"about {magnitude(err)}"  # noise: its size
        print(f"{big!r:71} 20 of {big.params['W1'].size} entries "
              f"({2 * 20} forward passes): {shown}")
    print(f"largest |dL/dW1|: {np.abs(g_big['W1']).max():.0e}, loss: "
          f"{float(np.mean((Y_big - y_big) ** 2)):.2f}")
    """),
    md(r"""
    The wrong gradient stands out at once. The right one gives about $10^{-7}$, not
    $10^{-9}$: these gradients (at most about $10^{-3}$) are tiny next to the loss (about
    0.3), and the rounding error $\varepsilon|L|/h$ does not shrink with them. The
    course's rule allows for exactly that with its noise term $10\,\varepsilon|L|/h$
    (the second item of the list in section 5).

    A sample catches a bug that touches many entries, like this one. A bug confined to a
    few entries can slip through: if one row of $W_1$ in 64 were wrong, 20 random entries
    would all miss it with probability about
    """),
    code(r"""
    p_miss = (63 / 64) ** 20
    print(f"(63/64)^20 = {p_miss:.2f}; with 200 entries: {(63 / 64) ** 200:.2f}")
    """),
    md(r"""
    so check more entries, and check every parameter (each bias, each layer), not only
    the biggest one.

    ## 8. Which parameter is wrong?

    `gradcheck` checks every parameter of a network and reports one relative error each,
    in the network's order: $W_1, b_1, W_2, b_2, \dots$ from the input to the output. A
    backward bug in layer $k$'s error signal $\delta_k$ spoils the gradients of layer $k$
    ($X^\top\delta_k$ and the sum of $\delta_k$), and since the backward pass hands
    $\delta_k W_k^\top$ down, of every layer below $k$ too, while the layers above stay
    right. So the failing parameter nearest the output points at the layer to read
    first. (A bug only in what is handed down, $\delta_k W_k^\top$, is different: layer
    $k$'s own gradients stay right and only the layers below fail, so the nearest
    failing layer is then the one *below* the bug.) A 2-4-4-1 network with the slope
    bug, a wrong $\sigma'$ inside $\delta_2$, in layer 2:
    """),
    code(r"""
    X8, y8 = X[:8], y[:8]
    report = gradcheck(checking.SlopeBugNetwork([2, 4, 4, 1], seed=0, buggy_layer=2), X8, y8)
    print(report)
    """),
    *exercise("failing_parameters", intro=r"""
    ### Exercise 4: the failing parameters

    Write `failing_parameters(errors, tol)`: from a dict `{name: relative error}` (such as
    `report.errors`), return the list of names whose error is not within the tolerance
    (a parameter passes when `err <= tol`), in the dict's order. Mind a NaN error: it
    passes no test, so it must fail.
    """),
    code(r"""
    failing = checking.failing_parameters(report.errors, report.tol)
    print("failing:", failing)
    print(f"the failing layer nearest the output: layer {failing[-1][1:]}")
    for layer in (1, 2, 3):
        bug_report = gradcheck(checking.SlopeBugNetwork([2, 4, 4, 1], seed=0,
                                                        buggy_layer=layer), X8, y8)
        print(f"bug in layer {layer}: failing", checking.failing_parameters(bug_report.errors,
                                                                           bug_report.tol))
    """),
    md(r"""
    Each time, the last failing name is the buggy layer. Now a bug of the other kind:
    layer $k$ computes its own $\delta_k$ and gradients right, but hands down twice
    $\delta_k W_k^\top$. A backward pass written out by hand, with that bug in layer 2 or
    3, checked parameter by parameter against `checking.central_difference_gradient` by
    the course's rule:
    """),
    code(r"""
    from backprop_lessons.maths.gradcheck import gradients_agree  # the course's one rule

    net3 = Network([2, 4, 4, 1], seed=0)
    y8c = y8.reshape(-1, 1)
    Y3, cache3 = net3.forward(X8)

    def backward_doubling_hand_down(layer):
        grads, d = {}, mse_grad(y8c, Y3) * Y3 * (1 - Y3)   # delta_3, sigmoid output
        for k in (3, 2, 1):
            grads[f"W{k}"], grads[f"b{k}"] = cache3[k - 1]["X"].T @ d, d.sum(axis=0)
            if k > 1:
                down = (d @ net3.params[f"W{k}"].T) * (2.0 if k == layer else 1.0)
                A = cache3[k - 2]["A"]
                d = down * A * (1 - A)                     # delta of the layer below
        return grads

    def loss8(_p):  # the loss of net3, whose parameter _p is nudged in place
        return float(np.mean((net3.predict(X8) - y8c) ** 2))

    for layer in (2, 3):
        grads = backward_doubling_hand_down(layer)
        wrong = [name for name, p in net3.params.items()
                 if not gradients_agree(grads[name],
                                        checking.central_difference_gradient(loss8, p),
                                        loss8(None), h=1e-6)]
        print(f"hand-down bug in layer {layer}: failing {wrong}")
    """),
    md(r"""
    Layer $k$ itself passes: the failing names stop one layer *below* the bug.

    (A bug in the *forward* pass is another matter: the check compares the backward
    pass with the forward pass it was given, so a wrong forward pass with a matching
    backward pass passes. The check proves that the gradients are those of the function
    you computed, not that you computed the right function.)

    ## Summary

    - A wrong backward pass can still lower the loss and reach a good accuracy
      ($\sigma'(A)$ for $\sigma'(Z)$ trained the moons as well as the right one); only a
      gradient check reveals it.
    - The numerical gradient of an array: nudge each entry to $W_i \pm h$, evaluate the
      loss, restore the entry, and take $\frac{L(W_i + h) - L(W_i - h)}{2h}$. Its error is
      $\frac{h^2}{6}|L'''|$; the one-sided difference errs by $\frac{h}{2}|L''|$.
    - Truncation ($\sim h^2$) against rounding ($\sim \varepsilon|L|/h$): the total error
      is a U in $h$, lowest near $h = \varepsilon^{1/3} \approx 6\cdot10^{-6}$ in float64,
      where it is about $\varepsilon^{2/3}$; measured, the bottom was at $h = 10^{-6}$.
    - float32 ($\varepsilon \approx 1.2\cdot10^{-7}$) ruins the check: at $h = 10^{-6}$ a
      right slope was off by 2%, a right network gradient by more than 10%. Check in
      float64.
    - A right gradient's relative error is rounding noise: its digits change from one
      computer to the next, its power of ten does not. Read its size, not its digits.
    - The relative error $\max|a - b| / \max(10^{-8}, \max(|a| + |b|))$, and the
      course's one rule: right when $\max|a - b| \le 10^{-7}\max(|a| + |b|) +
      10\,\varepsilon|L|/h$ (the second term, the finite-difference noise, matters only
      for tiny gradients); about 1 is wrong (a flipped sign gives exactly 1, a factor 2
      gives $1/3$).
    - Kinks (relu at 0) make a right backward pass fail the check, honestly.
    - A big parameter is checked on a random, seeded sample of entries, 2 forward passes
      each; a bug confined to a few entries needs a bigger sample.
    - In a report of the whole network, a bug in layer $k$'s $\delta_k$ spoils layer $k$
      and every layer below it: the failing parameter nearest the output names the layer
      to read. (A bug only in the handed-down $\delta_k W_k^\top$ spoils only the layers
      below $k$.)

    Next, the capstone: the experiments of Rumelhart, Hinton & Williams (1986), with the
    backward pass you can now both derive and check.

    [Next: 09 Capstone: Rumelhart, Hinton & Williams (1986)](09_rumelhart_1986.ipynb)
    """),
]
