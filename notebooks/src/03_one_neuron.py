"""Lesson 03, One neuron: weight and bias updates. The neuron y_hat = sigma(w x + b) with
L = (y - y_hat)^2; dL/dw and dL/db by the chain rule; the updates of W4 and b2 in the
course network; why the bias gradient is the error signal; training until the loss
stops falling."""

from backprop_lessons.tools.authoring import code, exercise, md, setup

CELLS = [
    md(r"""
    # 03 · One neuron: weight and bias updates

    **What this lesson derives.** One sigmoid neuron,
    $\hat y = \sigma(w\,x + b)$, with the squared-error loss $L = (y - \hat y)^2$. By the
    chain rule of lesson 02 we derive its two gradients,

    $$\frac{\partial L}{\partial w} = \delta\cdot x, \qquad
    \frac{\partial L}{\partial b} = \delta, \qquad\text{with the error signal}\qquad
    \delta = \frac{\partial L}{\partial z} = -2\,(y - \hat y)\;\hat y\,(1 - \hat y),$$

    and see why the bias gradient is the error signal itself. Then we update a weight and a
    bias of the course network with the rule of lesson 01,

    $$W_{4,new} = W_{4,old} - \eta\,\frac{\partial L}{\partial W_{4,old}}, \qquad
    b_{2,new} = b_{2,old} - \eta\,\frac{\partial L}{\partial b_{2,old}},$$

    and train one neuron on data until its loss stops falling. You will write the bias
    update, the neuron's two gradients, one training step, and a whole fit.
    """),
    setup("lesson_03", imports="""
    from backprop_lessons.maths import neuron, updates
    from backprop_lessons.viz import plots
    from backprop_lessons.maths import course_network as cn
    from backprop_lessons.maths.activations import sigmoid
    from backprop_lessons.maths.calculus import numerical_derivative
    """),
    md(r"""
    ## One neuron, two gradients

    A neuron weighs its input, adds its bias, and squashes the sum:

    $$z = w\,x + b, \qquad \hat y = \sigma(z) = \frac{1}{1 + e^{-z}}, \qquad
    L = (y - \hat y)^2 .$$

    The loss reaches the weight through one chain, $L \leftarrow \hat y \leftarrow z
    \leftarrow w$, and the bias through the same chain with a different last link,
    $L \leftarrow \hat y \leftarrow z \leftarrow b$. The local derivatives are

    $$\frac{\partial L}{\partial \hat y} = -2\,(y - \hat y), \qquad
    \frac{\partial \hat y}{\partial z} = \sigma'(z) = \hat y\,(1 - \hat y), \qquad
    \frac{\partial z}{\partial w} = x, \qquad \frac{\partial z}{\partial b} = 1 .$$

    The first two are shared. Their product is how the loss responds to the neuron's sum
    $z$; call it the neuron's **error signal**,

    $$\delta = \frac{\partial L}{\partial z}
    = \frac{\partial L}{\partial \hat y}\cdot\frac{\partial \hat y}{\partial z}
    = -2\,(y - \hat y)\;\hat y\,(1 - \hat y),$$

    and the two gradients are $\delta$ times the last link:

    $$\frac{\partial L}{\partial w} = \delta\cdot\frac{\partial z}{\partial w} = \delta\,x,
    \qquad
    \frac{\partial L}{\partial b} = \delta\cdot\frac{\partial z}{\partial b} = \delta .$$

    A worked example: $w = 0.5$, $b = 0$, input $x = 1.5$, target $y = 1$.
    """),
    code(r"""
    w, b, x, y = 0.5, 0.0, 1.5, 1.0
    z = w * x + b
    y_hat = sigmoid(z)
    delta = -2 * (y - y_hat) * y_hat * (1 - y_hat)
    print(f"z = {z:.4f}, y_hat = {y_hat:.6f}, L = {(y - y_hat) ** 2:.6f}")
    print(f"delta = -2 (y - y_hat) * y_hat (1 - y_hat) = "
          f"{-2 * (y - y_hat):.6f} * {y_hat * (1 - y_hat):.6f} = {delta:.6f}")
    print(f"dL/dw = delta * x = {delta * x:.6f}")
    print(f"dL/db = delta     = {delta:.6f}")
    """),
    md(r"""
    The neuron outputs about 0.679 where 1 is wanted, so $\delta \approx -0.140$ is
    negative: raising $z$ would lower the loss. Both gradients are negative, so gradient
    descent will raise both $w$ and $b$. The numerical derivative of lesson 01, which
    knows nothing of the chain rule, agrees (`neuron.loss` is $L$ as a function of $w$ and
    $b$):
    """),
    code(r"""
    dL_dw, dL_db = neuron.gradients(w, b, x, y)
    num_w = numerical_derivative(lambda w_: neuron.loss(w_, b, x, y), w)
    num_b = numerical_derivative(lambda b_: neuron.loss(w, b_, x, y), b)
    print(f"dL/dw: chain rule {dL_dw:.10f}   numerical {num_w:.10f}")
    print(f"dL/db: chain rule {dL_db:.10f}   numerical {num_b:.10f}")
    """),
    md(r"""
    ### Why the bias gradient is the error signal itself

    In $z = w\,x + b$ the weight is *multiplied* by the input, the bias is only *added*.
    Nudge $w$ by $\Delta w$ and $z$ moves by $x\,\Delta w$: the nudge is scaled by the
    input. Nudge $b$ by $\Delta b$ and $z$ moves by exactly $\Delta b$:
    $\partial z/\partial b = 1$. So the bias feels the error signal unscaled,
    $\partial L/\partial b = \delta$. A bias is a weight whose input is always 1.

    Two consequences run through the rest of the course. The gradient of every weight of a
    neuron is its bias gradient times that weight's input, $\partial L/\partial w = \delta\,x$,
    so a backward pass computes $\delta$ once per neuron and reuses it. And a weight whose
    input is 0 gets no gradient at all (it had no effect on $z$), while the bias still gets
    the full $\delta$.

    **Over several examples** the loss is the mean of the squared errors,
    $L = \frac1N\sum_n (y_n - \hat y_n)^2$, so each gradient is the mean of the
    per-example gradients: $\partial L/\partial w = \frac1N\sum_n \delta_n x_n$ and
    $\partial L/\partial b = \frac1N\sum_n \delta_n$. One example is the case $N = 1$.

    **This lesson's convention for $\delta$.** Here $\delta_n$ is *per example*: the error
    signal of example $n$'s own loss $L_n = (y_n - \hat y_n)^2$, with no $1/N$ inside, and
    the $1/N$ comes in when the gradients are averaged. Lesson 05 makes the other choice,
    with the same result: it puts the $2/N$ into $\delta$ itself ($\delta$ becomes
    $\partial L/\partial z$ of the whole batch's loss, $\delta_n/N$ in this lesson's terms)
    and then *sums* over the batch. Four examples, their $\delta_n$
    (`neuron.error_signals`) and the means:
    """),
    code(r"""
    x4, y4 = np.array([-1.0, 0.5, 1.5, 2.0]), np.array([0.0, 1.0, 1.0, 0.0])
    deltas = neuron.error_signals(w, b, x4, y4)
    print(" n    x_n  y_n   delta_n  delta_n * x_n")
    for n, (x_n, y_n, d_n) in enumerate(zip(x4, y4, deltas)):
        print(f"{n:2}  {x_n:5.1f}  {y_n:3.0f}  {d_n:+.5f}  {d_n * x_n:+.5f}")
    print(f"mean            {deltas.mean():+.5f}  {np.mean(deltas * x4):+.5f}")
    dw4, db4 = neuron.gradients(w, b, x4, y4)
    print(f"neuron.gradients: dL/dw = {dw4:+.5f}, dL/db = {db4:+.5f}")
    print(f"lesson 05's delta, delta_n / N: {np.round(deltas / len(x4), 5).tolist()}, "
          f"summed: {np.sum(deltas / len(x4)):+.5f}")
    """),
    md(r"""
    The mean of the per-example $\delta_n$ is $\partial L/\partial b$, the mean of
    $\delta_n x_n$ is $\partial L/\partial w$; dividing each $\delta_n$ by $N$ first and
    then adding, as lesson 05 will, gives the same $\partial L/\partial b$.
    """),
    exercise("neuron_gradients", intro=r"""
    ### Exercise 1: `neuron_gradients(w, b, x, y)`

    Return the pair `(dL_dw, dL_db)` for the neuron $\hat y = \sigma(w x + b)$ and
    $L = (y - \hat y)^2$. `x` and `y` are either single numbers or NumPy arrays of
    examples (then return the means, as two numbers). `sigmoid` is imported above.
    """),
    md(r"""
    ## The weight update: $W_4$ in the course network

    The output neuron $O_{31}$ of the course network is one neuron like ours:

    $$O_{31} = \sigma(\underbrace{W_4\,O_{21}}_{w\,x} + \underbrace{W_5\,O_{22} + b_4}_{
    \text{held fixed: acts as } b}).$$

    Seen from $W_4$, the input is $O_{21}$, and everything else in the sum is a constant
    that plays the role of the bias. So the one-neuron formula must give the network's
    $\partial L/\partial W_4$:
    """),
    code(r"""
    xc, yc = cn.default_example()
    params = cn.default_params()
    f = cn.forward(xc, yc, params)
    grads = cn.gradients(xc, yc, params)
    rest = params["W5"] * f["O22"] + params["b4"]
    dL_dW4, _ = neuron.gradients(params["W4"], rest, f["O21"], yc)
    print(f"one neuron (w = W4, x = O21, b = W5 O22 + b4): dL/dW4 = {dL_dW4:.10f}")
    print(f"the course network's gradient:                  dL/dW4 = {grads['W4']:.10f}")
    """),
    md(r"""
    The same number. Now the update of lesson 01, with the gradient taken at the old
    weight:

    $$W_{4,new} = W_{4,old} - \eta\,\frac{\partial L}{\partial W_{4,old}} .$$

    With $\eta = 0.5$:
    """),
    code(r"""
    eta = 0.5
    W4_old = params["W4"]
    W4_new = updates.weight_update(W4_old, grads["W4"], eta)
    L_old = f["L"]
    L_new = cn.forward(xc, yc, dict(params, W4=W4_new))["L"]
    print(f"W4_new = {W4_old} - {eta} * ({grads['W4']:.6f}) = {W4_new:.6f}")
    print(f"loss: {L_old:.6f} -> {L_new:.6f}")
    """),
    md(r"""
    The gradient is negative, so $W_4$ grows, from 1.2 to about 1.2462, and the loss falls
    from 0.205965 to 0.201719.

    ## The bias update: $b_2$

    The bias $b_2$ sits in the hidden neuron $O_{21} = \sigma(W_2 O_{11} + b_2)$. The same
    rule moves it:

    $$b_{2,new} = b_{2,old} - \eta\,\frac{\partial L}{\partial b_{2,old}} .$$

    Its gradient is a path product of lesson 02, $L \leftarrow O_{31} \leftarrow O_{21}
    \leftarrow b_2$, and the last factor is $\partial O_{21}/\partial b_2 = \sigma'(z_{21})
    \cdot 1$. So $\partial L/\partial b_2$ is the error signal of $O_{21}$,
    $\delta_{21} = \partial L/\partial z_{21}$, and $W_2$'s gradient is that same
    $\delta_{21}$ times $W_2$'s input $O_{11}$:
    """),
    code(r"""
    d = cn.local_derivatives(xc, yc, params)
    delta_21 = d["dL/dO31"] * d["dO31/dO21"] * d["dO21/db2"]
    print(f"delta_21 = dL/dO31 * dO31/dO21 * dO21/db2 = {delta_21:.10f}")
    print(f"dL/db2 (course network)                    = {grads['b2']:.10f}")
    print(f"dL/dW2 = delta_21 * O11 = {delta_21 * f['O11']:.10f}   "
          f"(course network: {grads['W2']:.10f})")
    b2_old = params["b2"]
    b2_new = updates.bias_update(b2_old, grads["b2"], eta)
    L_new_b2 = cn.forward(xc, yc, dict(params, b2=b2_new))["L"]
    print(f"b2_new = {b2_old} - {eta} * ({grads['b2']:.6f}) = {b2_new:.6f}")
    print(f"loss: {L_old:.6f} -> {L_new_b2:.6f}")
    """),
    md(r"""
    $\partial L/\partial b_2 \approx -0.0653$ is negative, so $b_2$ grows from 0.2 to
    about 0.2327 and the loss falls from 0.205965 to 0.203830.

    ### A layer's biases: the shape this course gives them

    $b_2$ and $b_3$ are the biases of the course network's hidden layer, the neurons
    $O_{21}$ and $O_{22}$. From lesson 04 on, a layer is written with one example per
    **row**: a mini-batch $X$ of shape $(\text{batch}, n_{in})$, weights $W$ of shape
    $(n_{in}, n_{out})$, and the biases a **vector $b$ of shape $(n_{out},)$**, one per
    neuron, added to every row:

    $$Z = X\,W + b .$$

    One example per row with a bias vector of shape $(n_{out},)$ is how NumPy code and
    PyTorch lay out a batch (PyTorch's `nn.Linear` stores its weight the other way round,
    $(n_{out}, n_{in})$, and computes $X W^\top + b$), and it is the layout the whole course
    keeps. So the hidden layer's biases are the vector $[b_2, b_3]$, shape $(2,)$, their
    gradients a vector of the same shape, and one update moves both:
    """),
    code(r"""
    b_hidden = np.array([params["b2"], params["b3"]])
    dL_db_hidden = np.array([grads["b2"], grads["b3"]])
    b_hidden_new = updates.bias_update(b_hidden, dL_db_hidden, eta)
    print(f"b = [b2, b3] = {b_hidden.tolist()}, shape {b_hidden.shape}")
    print(f"dL/db = {np.round(dL_db_hidden, 6).tolist()}")
    print(f"b_new = {np.round(b_hidden_new, 6).tolist()}, shape {b_hidden_new.shape}")
    """),
    md(r"""
    **Where other books differ.** Books that put one example in a **column**, such as
    Nielsen's *Neural Networks and Deep Learning* and Stanford's CS229 notes, write a
    layer as $z = W x + b$: their $W$ has shape $(n_{out}, n_{in})$, $x$ is a column
    $(n_{in}, 1)$ and $b$ a **column $(n_{out}, 1)$**. It is the same computation
    transposed: their $W$ is our $W^\top$, their $x$ and $z$ are our rows stood up as
    columns, their $b$ is our `b.reshape(-1, 1)`, and `b.ravel()` turns their column back
    into our vector. Mixing the two layouts is a classic bug, because NumPy does not
    complain: a column $(n, 1)$ plus a vector $(n,)$ broadcasts into an $(n, n)$ table.
    So the course's `bias_update` refuses a column and says why:
    """),
    code(r"""
    import textwrap

    W_layer = np.array([[0.5, -0.3, 0.8],      # ours: (n_in, n_out) = (2, 3)
                        [-0.1, 0.4, 0.2]])
    b_layer = np.array([0.5, 0.0, -0.2])       # ours: (n_out,) = (3,)
    x_row = np.array([1.0, 2.0])               # one example: a row
    z_ours = x_row @ W_layer + b_layer
    z_book = W_layer.T @ x_row.reshape(-1, 1) + b_layer.reshape(-1, 1)   # W x + b, columns
    print(f"ours,  x W + b: {np.round(z_ours, 4).tolist()}  shape {z_ours.shape}")
    print(f"books, W x + b: {np.round(z_book.ravel(), 4).tolist()}  shape {z_book.shape}")
    print("a column plus a vector:", (b_layer.reshape(-1, 1) + b_layer).shape)
    try:
        updates.bias_update(b_layer.reshape(-1, 1), np.zeros((3, 1)), 0.1)
    except ValueError as err:
        print(textwrap.fill(f"bias_update(column, ...): {err}", 88))
    """),
    md(r"""
    Write the bias update: it is the weight update of lesson 01 with a bias in place of
    the weight.
    """),
    exercise("bias_update", intro=r"""
    ### Exercise 2: `bias_update(b_old, dL_db, eta)`

    Return $b_{new} = b_{old} - \eta\,\partial L/\partial b_{old}$, for one bias (a number)
    or a layer's biases, a NumPy vector of shape $(n,)$ with `dL_db` of the same shape
    (keep that shape).
    """),
    md(r"""
    ## One training step

    A training step moves both parameters of the neuron at once. The order matters:
    **compute both gradients first**, at $(w_{old}, b_{old})$, the values the forward pass
    used; **then** update both. If you updated $w$ first and then computed
    $\partial L/\partial b$ with the new $w$, the bias would follow the slope of a
    different point than the one you measured: every gradient of one step belongs to the
    same $W_{old}$.

    $$w_{new} = w_{old} - \eta\,\frac{\partial L}{\partial w_{old}}, \qquad
    b_{new} = b_{old} - \eta\,\frac{\partial L}{\partial b_{old}} .$$

    One step on the worked example, with $\eta = 1$:
    """),
    code(r"""
    w_new, b_new = neuron.train_step(w, b, x, y, eta=1.0)
    print(f"w: {w} -> {w_new:.6f}    b: {b} -> {b_new:.6f}")
    print(f"loss: {neuron.loss(w, b, x, y):.6f} -> {neuron.loss(w_new, b_new, x, y):.6f}")
    """),
    exercise("train_step", intro=r"""
    ### Exercise 3: `train_step(w, b, x, y, eta)`

    Return `(w_new, b_new)` after one gradient-descent step of the neuron on the examples
    `x`, `y`. You may call your `neuron_gradients`.
    """),
    md(r"""
    ## Training until the loss stops falling

    Now repeat the step. Twenty examples come from a "true" neuron with $w = 2$, $b = -1$,
    plus a little seeded noise; we start from $w = b = 0$ and take one step per **epoch**
    (one pass over all twenty examples), recording the loss at the start of each epoch.
    """),
    code(r"""
    xs, ys = neuron.toy_data(n=20, w=2.0, b=-1.0, noise=0.05, seed=0)
    w_fit, b_fit, losses = neuron.fit(0.0, 0.0, xs, ys, eta=2.0, epochs=1000)
    for epoch in (0, 10, 100, 200, 999):
        print(f"epoch {epoch:>4}: loss {losses[epoch]:.7f}")
    drops = -np.diff(losses)  # drops[k] = losses[k] - losses[k + 1]
    flat = int(np.nonzero(drops >= 1e-7)[0][-1]) + 1  # after the last drop of 1e-7 or more
    print(f"from epoch {flat} on, the loss falls by less than 1e-7 per epoch")
    print(f"fitted w = {w_fit:.4f}, b = {b_fit:.4f}")
    print(f"loss of the true neuron (w = 2, b = -1): {neuron.loss(2.0, -1.0, xs, ys):.7f}")
    """),
    md(r"""
    The loss drops fast at first (from about 0.166 to 0.007 in ten epochs), then slower
    and slower: from about epoch 200 on it falls by less than $10^{-7}$ per epoch, and it
    settles near 0.0012. That is where training stops helping: the gradients are nearly
    zero, so the steps are nearly zero.

    The fitted neuron, $w \approx 1.85$ and $b \approx -1.12$, is close to the true one but
    not equal, and its loss is even *lower* than the true neuron's (about 0.0019): with
    only twenty noisy examples, the best fit also fits a little of the noise. The loss
    curve, drawn by `plots.loss_curve` (a logarithmic loss axis shows both the fast
    start and the flat end):
    """),
    code(r"""
    %matplotlib inline
    plots.loss_curve(losses)
    """),
    exercise("fit", intro=r"""
    ### Exercise 4: `fit(w, b, x, y, eta, epochs)`

    Train the neuron for `epochs` epochs, starting from `w`, `b`. In each epoch, record the
    loss at the current `(w, b)` first, then take one training step. Return
    `(w, b, losses)`: the final parameters and the `epochs` recorded losses (a list or a
    NumPy array).
    """),
    md(r"""
    ## Summary

    - One neuron $\hat y = \sigma(w x + b)$ with $L = (y - \hat y)^2$: by the chain rule,
      its **error signal** is
      $\delta = \partial L/\partial z = -2\,(y - \hat y)\,\hat y\,(1 - \hat y)$, and its
      gradients are $\partial L/\partial w = \delta\,x$ and $\partial L/\partial b = \delta$
      (over several examples, their means: $\delta_n$ is per example here, while lesson 05
      puts the $1/N$ into $\delta$ and sums); they matched the numerical derivatives.
    - The **bias gradient is the error signal itself** because $\partial z/\partial b = 1$:
      a bias is a weight whose input is always 1.
    - The **weight update** $W_{4,new} = W_{4,old} - \eta\,\partial L/\partial W_{4,old}$
      treats the output neuron $O_{31}$ as one neuron with input $O_{21}$; the **bias
      update** $b_{2,new} = b_{2,old} - \eta\,\partial L/\partial b_{2,old}$ uses the error
      signal of $O_{21}$. Both lowered the course network's loss.
    - A layer's biases are a **vector of shape $(n_{out},)$**, the $b$ of $Z = XW + b$ with
      one example per row; books that write $W x + b$ (Nielsen, CS229) use the transposed
      layout, $b$ a column $(n_{out}, 1)$: `b.ravel()` maps theirs to ours.
    - A **training step** computes every gradient at the old values, then updates them all.
      Repeated for 1000 epochs, it fit a neuron to twenty noisy examples; the loss fell
      fast, then flattened once the gradients became tiny.

    Next, many neurons side by side: a layer, written with matrices, and the forward pass
    through a whole network.

    [Next: 04 The forward pass](04_forward_pass.ipynb)
    """),
]
