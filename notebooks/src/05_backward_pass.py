"""Lesson 05, The backward pass: from the output layer's error signal, layer by layer down
to the input, the gradient of every weight and every bias of a network on a mini-batch;
checked against finite differences and against the two-path sum of lesson 02."""

from backprop_lessons.tools.authoring import code, exercise, md, setup

CELLS = [
    md(r"""
    # 05 · The backward pass

    **What this lesson derives.** The gradient $\partial L/\partial W$ of every weight and
    $\partial L/\partial b$ of every bias of a layered network, on a whole mini-batch, in
    one sweep from the output back to the input:

    1. the output layer's **error signal** $\delta_{out} = \partial L/\partial Z_{out}$:
       how much each output neuron's pre-activation contributed to the error;
    2. for any layer, from its error signal $\delta$: $\partial L/\partial W = X^\top
       \delta$, $\partial L/\partial b = $ the sum of $\delta$ over the batch, and
       $\partial L/\partial X = \delta\,W^\top$, how strongly the loss reacts to each
       output of the layer below: the error signal handed down to it;
    3. the same step repeated, layer by layer, down to the input layer.

    Then we prove it twice: against finite differences, and against the two-path sum of
    the chain-rule lesson on the course network.

    ![Backpropagation: the forward pass keeps every layer's output; the backward pass
    carries the gradient from the loss back to the input, layer by layer; a
    gradient-descent step follows.](../figures/backprop_overview-light.png)
    """),
    setup("lesson_05", imports="""
    from backprop_lessons.maths import course_network, layers
    from backprop_lessons.maths.activations import sigmoid, sigmoid_prime
    from backprop_lessons.maths.gradcheck import numerical_gradient
    from backprop_lessons.maths.losses import mse, mse_grad
    from backprop_lessons.maths.network import Network
    from backprop_lessons.viz import delta as delta_viz
    """),
    md(r"""
    ## The running example

    A network with 3 inputs, a hidden layer of 4 sigmoid neurons and 2 sigmoid outputs, a
    mini-batch of 32 instances with targets $y$ of 0 or 1, and the mean squared error

    $$L = \frac{1}{N}\sum (Y - y)^2 \qquad (N = \text{number of entries of } Y).$$

    The forward pass is lesson 04's `two_layer_forward`; it returns the prediction $Y$ and
    the cache $(X, Z_1, A_1, Z_2)$.
    """),
    code(r"""
    net = Network([3, 4, 2], seed=0)
    rng = np.random.default_rng(5)
    for layer in net.layers:          # non-zero biases, so that every gradient is exercised
        layer.b[:] = rng.normal(scale=0.5, size=layer.b.shape)
    X = rng.normal(size=(32, 3))
    y = rng.integers(0, 2, size=(32, 2)).astype(float)
    W1, b1, W2, b2 = (net.params[k] for k in ("W1", "b1", "W2", "b2"))

    Y, cache = layers.two_layer_forward(X, W1, b1, W2, b2)
    X_c, Z1, A1, Z2 = cache
    print("Y", Y.shape, " N =", Y.size, f" loss L = {mse(y, Y):.4f}")
    """),
    md(r"""
    ## Step 1: the output layer's error signal

    The loss sees the network only through its output $Y = \sigma(Z_2)$, and each entry of
    $Y$ only through its own pre-activation. By the chain rule, entry by entry:

    $$\frac{\partial L}{\partial Y} = \frac{2}{N}(Y - y), \qquad
    \delta_{out} = \frac{\partial L}{\partial Z_{out}} = \frac{\partial L}{\partial Y}
    \odot \sigma'(Z_{out}),$$

    where $\odot$ multiplies entry by entry. The 2 comes from the square, the $1/N$ from
    the mean, and $\sigma'(Z) = \sigma(Z)(1 - \sigma(Z))$ from the sigmoid. $\delta_{out}$
    says how strongly the loss reacts to each output neuron's pre-activation, for each
    instance: it is the error signal that the rest of the backward pass carries down.

    Is that right? Nudge each entry of $Z_2$ by $\pm h$ and watch the loss (finite
    differences, as in lesson 01):
    """),
    code(r"""
    delta2 = layers.output_error(Y, y, Z2)
    Z2_nudged = Z2.copy()
    numeric = numerical_gradient(lambda: mse(y, sigmoid(Z2_nudged)), Z2_nudged)
    print("delta_out, first instance:", np.round(delta2[0], 6).tolist())
    print("finite differences:       ", np.round(numeric[0], 6).tolist())
    print("every entry agrees to 1e-8:", bool(np.allclose(delta2, numeric, rtol=0, atol=1e-8)))
    """),
    md(r"""
    **A convention to notice: the $2/N$ sits inside $\delta$.** Lesson 03 kept its error
    signal *per example*, $\delta_n = -2(y_n - \hat y_n)\,\hat y_n(1 - \hat y_n)$ with no
    $1/N$, and took the *mean* of the per-example gradients. Here $\delta_{out}$ is
    $\partial L/\partial Z_{out}$ of the whole batch's loss, so the $1/N$ of the mean is
    already in it: each row of $\delta_{out}$ is that instance's own error signal (the
    $\delta$ of a batch holding only that instance) divided by the batch size $B$. The
    gradients below are therefore plain **sums** over the batch, and they equal lesson
    03's means. Measured on our batch:
    """),
    code(r"""
    B = len(X)
    alone = np.vstack([layers.output_error(Y[i:i + 1], y[i:i + 1], Z2[i:i + 1])
                       for i in range(B)])          # each instance as a batch of one
    print(f"B = {B} instances; delta_out of the batch equals (delta of each instance alone)"
          f" / B: {bool(np.allclose(delta2, alone / B, rtol=1e-12, atol=0))}")
    print("instance 0 alone:", np.round(alone[0], 6).tolist(),
          " in the batch:", np.round(delta2[0], 6).tolist())
    """),
    *exercise("output_error", intro=r"""
    ### Exercise: the output layer's error signal

    Write `output_error(Y, y, Z_out)`: $\delta_{out} = \frac{2}{N}(Y - y) \odot
    \sigma'(Z_{out})$ for the mean squared error, where `Y = sigmoid(Z_out)` is the output,
    `y` the targets (same shape) and $N$ = `Y.size`. `bl.activations.sigmoid_prime` is
    $\sigma'$.
    """),
    md(r"""
    ## Step 2: from a layer's error signal to its gradients

    Take one dense layer, $Z = XW + b$, with its error signal $\delta = \partial L /
    \partial Z$ of shape $(\text{batch}, n_{out})$. Written entry by entry,

    $$Z_{ij} = \sum_k X_{ik} W_{kj} + b_j .$$

    **Weights.** $W_{kj}$ appears in $Z_{ij}$ for *every* instance $i$ of the batch, each
    time multiplied by $X_{ik}$. When one quantity reaches the loss along several paths,
    the chain rule adds the paths (lesson 02), so

    $$\frac{\partial L}{\partial W_{kj}} = \sum_i \delta_{ij}\,X_{ik}
    \quad\Longrightarrow\quad \frac{\partial L}{\partial W} = X^\top \delta
    \quad (n_{in}, n_{out}).$$

    **Biases.** $b_j$ is added to $Z_{ij}$ for every instance, with factor 1:
    $\partial L/\partial b_j = \sum_i \delta_{ij}$, the error signal **summed over the
    batch**, shape $(n_{out},)$ like $b$ (the course's layout for biases since lesson 03: a
    vector, one per neuron, added to every row). One bias serves every instance, so it
    collects the contributions of all of them. Why a sum, when lesson 03 took a mean?
    Because the $1/N$ already sits in $\delta$: each row is its instance's share of the
    gradient, already divided by the batch size, and adding the shares *is* the mean of
    the per-instance gradients. Dividing by the batch size again would count the $1/N$
    twice.

    **Inputs.** $X_{ik}$ feeds every neuron $j$ of the layer through $W_{kj}$:
    $\partial L/\partial X_{ik} = \sum_j \delta_{ij} W_{kj}$, that is
    $\partial L/\partial X = \delta\,W^\top$ $(\text{batch}, n_{in})$: how strongly the
    loss reacts to each output of the layer below, collected over all the connections
    that output feeds. It is what we pass down.

    Each gradient has the shape of the thing it is the gradient of; that alone fixes the
    order of the factors. The matrix product $X^\top\delta$ really is the sum over the
    batch of one small product per instance:
    """),
    code(r"""
    dW2, db2, dA1 = layers.layer_backward(delta2, A1, W2)
    print("dL/dW2", dW2.shape, "like W2", W2.shape, "| dL/db2", db2.shape, "like b2",
          b2.shape, "| dL/dA1", dA1.shape, "like A1", A1.shape)
    per_instance = sum(np.outer(A1[i], delta2[i]) for i in range(len(A1)))
    print("A1.T @ delta2 equals the sum of the 32 per-instance products:",
          bool(np.allclose(dW2, per_instance, rtol=1e-12, atol=1e-15)))
    print("dL/db2 =", np.round(db2, 6).tolist(), " = delta2 summed over the batch:",
          np.round(delta2.sum(axis=0), 6).tolist())
    print("         = the mean of the instances' own bias gradients (lesson 03's way):",
          np.round(alone.mean(axis=0), 6).tolist())
    """),
    *exercise("layer_backward", intro=r"""
    ### Exercise: a dense layer's backward pass

    Write `layer_backward(dL_dZ, X, W)`: from the layer's error signal `dL_dZ` (batch,
    n_out), its input `X` (batch, n_in) saved by the forward pass and its weights `W`
    (n_in, n_out), return the tuple `(dL_dW, dL_db, dL_dX)`.
    """),
    md(r"""
    ## Step 3: layer by layer, down to the input

    $\partial L/\partial A_1 = \delta_2 W_2^\top$ is what layer 2 hands down. Layer 1's
    output went through its sigmoid, so one more chain-rule factor turns it into layer 1's
    own error signal, and step 2 applies again:

    $$\delta_1 = (\delta_2 W_2^\top) \odot \sigma'(Z_1), \qquad
    \frac{\partial L}{\partial W_1} = X^\top \delta_1, \qquad
    \frac{\partial L}{\partial b_1} = \textstyle\sum_{\text{batch}} \delta_1 .$$

    With more layers the same two lines repeat until the input layer is reached. Every
    product is computed once and reused by everything below it, and every quantity it
    uses ($X$, $A_1$, $Z_1$, $Z_2$) was kept in the cache by the forward pass. In the
    matrix product $\delta_2 W_2^\top$ the sum over the output neurons is the sum over the
    paths of lesson 02: each hidden neuron reaches the loss through every output neuron.
    """),
    code(r"""
    delta1 = dA1 * sigmoid_prime(Z1)
    dW1, db1, _ = layers.layer_backward(delta1, X, W1)
    ours = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}

    net_grads = net.backward(net.forward(X)[1], mse_grad(y, Y))
    for name, g in ours.items():
        same = bool(np.allclose(g, net_grads[name], rtol=1e-12, atol=1e-15))
        print(f"dL/d{name} {str(g.shape):7} equals Network.backward: {same}")
    """),
    md(r"""
    Here are the two error signals of the backward pass, one row per instance (the first
    six of the 32), one column per neuron, and under each the row summed over all 32
    instances, which is that layer's bias gradient. Every entry is small because the
    $1/N$ is inside it; the sum collects the 32 shares:
    """),
    code(r"""
    %matplotlib inline
    delta_viz.delta_tables({"δ1, hidden layer (4 neurons)": delta1,
                            "δ2, output layer (2 neurons)": delta2}, rows=6)
    """),
    code(r"""
    print("sum row, layer 1:", np.round(delta1.sum(axis=0), 6).tolist(),
          "= dL/db1:", np.round(db1, 6).tolist())
    print("sum row, layer 2:", np.round(delta2.sum(axis=0), 6).tolist(),
          "= dL/db2:", np.round(db2, 6).tolist())
    """),
    *exercise("two_layer_backward", intro=r"""
    ### Exercise: the whole backward pass of a two-layer network

    Write `two_layer_backward(dL_dY, cache, W2)`: from $\partial L/\partial Y$ (for example
    `mse_grad(y, Y)`), the cache `(X, Z1, A1, Z2)` of `two_layer_forward` and the output
    layer's weights `W2`, return `(dL_dW1, dL_db1, dL_dW2, dL_db2)`. Both layers use the
    sigmoid.
    """),
    md(r"""
    ## Proving it: the gradient check

    A backward pass can be wrong and still produce numbers of the right shape. The test
    that settles it is the one from lesson 01: nudge one parameter by $\pm h$, run the
    forward pass, and measure the slope,

    $$\frac{\partial L}{\partial W_{kj}} \approx \frac{L(W_{kj} + h) - L(W_{kj} - h)}{2h},$$

    for every entry of every parameter. Then compare with backpropagation's numbers by
    the **relative error**

    $$\frac{\max |a - b|}{\max(|a| + |b|)},$$

    which means the same whether the gradients are of size $10^{3}$ or $10^{-3}$. The
    course's one rule for "this gradient is right" (`gradcheck.gradients_agree`, taken up
    again in lessons 08 and 09): a relative error of at most $10^{-7}$, plus the noise of
    the finite difference itself, $10\,\varepsilon|L|/h$ with $\varepsilon = 2.2\times
    10^{-16}$, which matters only for tiny gradients. A wrong gradient gives an error
    many orders of magnitude larger.
    """),
    *exercise("check_gradient", intro=r"""
    ### Exercise: a gradient check

    Write `check_gradient(f, param, dL_dparam, h=1e-6)`: `f(p)` returns the loss for a
    parameter array `p` (everything else fixed), `dL_dparam` is the gradient to check.
    Compute the central difference for every entry of `param` (on copies: never change
    `param` itself), then return the relative error between `dL_dparam` and it
    (`bl.gradcheck.relative_error(a, b)` computes the formula above, with a floor of
    $10^{-8}$ in the denominator). The check feeds it a right and a wrong gradient.
    """),
    md(r"""
    Here is the package's `check_gradient` on our four gradients, and on a backward pass
    with a classic bug: $\sigma'(Z_1)$ forgotten in the hidden layer.
    """),
    code(r"""
    values = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}

    def loss_with(name):
        def f(p):
            changed = dict(values, **{name: p})
            Y_p, _ = layers.two_layer_forward(X, changed["W1"], changed["b1"],
                                              changed["W2"], changed["b2"])
            return mse(y, Y_p)
        return f

    def verdict(err):
        return "below 1e-8: right" if err < 1e-8 else f"{err:.2f}: WRONG"

    for name, g in ours.items():
        err = layers.check_gradient(loss_with(name), values[name], g)
        print(f"dL/d{name}: relative error {verdict(err)}")

    buggy_dW1 = X.T @ dA1            # sigma'(Z1) forgotten
    err = layers.check_gradient(loss_with("W1"), W1, buggy_dW1)
    print(f"buggy dL/dW1: relative error {verdict(err)}")
    """),
    md(r"""
    The right gradients come out well inside the rule, below $10^{-8}$ (the cell prints
    only that bound: the digits below it are rounding noise that differ between
    computers); the buggy one, at 0.62, is far outside.

    Why not always use finite differences, then? Count the forward passes. The check
    needs two per parameter entry; backpropagation gets every gradient from one forward
    and one backward pass. Counted in the multiply-adds of its matrix products, a
    backward pass through dense layers costs between one and two forward passes: each
    layer's one product forward, $XW$, becomes two backward, the weight gradient
    $X^\top\delta$ and the $\delta W^\top$ handed down, and the first layer needs no
    $\delta W^\top$:
    """),
    code(r"""
    sizes = [layer.shape for layer in (W1, W2)]
    fwd = sum(len(X) * n_in * n_out for n_in, n_out in sizes)
    bwd = 2 * fwd - len(X) * sizes[0][0] * sizes[0][1]
    print(f"this batch: forward {fwd} multiply-adds, backward {bwd}: {bwd / fwd:.2f} forward "
          "passes")
    n_params = sum(p.size for p in values.values())
    print(f"parameters: {n_params}; finite differences: {2 * n_params} forward passes; "
          "backpropagation: 1 forward + 1 backward")
    big = Network([784, 128, 64, 10])
    n_big = sum(p.size for p in big.params.values())
    print(f"a 784-128-64-10 digit classifier: {n_big} parameters, "
          f"{2 * n_big} forward passes for one numerical gradient")
    """),
    md(r"""
    That is why the gradient check is a test, run once on a small batch, and
    backpropagation is the algorithm.

    ## The course network, one more time

    The course network of lesson 02, $x \to O_{11} \to \{O_{21}, O_{22}\} \to O_{31} \to
    L$, is a layered network too: layer sizes 1, 1, 2, 1, with $W_1$ a $1\times1$ matrix,
    $W_2, W_3$ side by side in a $1\times2$ matrix, $W_4, W_5$ stacked in a $2\times1$
    matrix, and $L = (y - O_{31})^2$, the mean squared error of a batch of one. Put its
    parameters into a `Network` and run the matrix backward pass:
    """),
    code(r"""
    p = course_network.default_params()
    x0, y0 = course_network.default_example()
    course = Network([1, 1, 2, 1], seed=0)
    course.set_params({"W1": [[p["W1"]]], "b1": [p["b1"]],
                       "W2": [[p["W2"], p["W3"]]], "b2": [p["b2"], p["b3"]],
                       "W3": [[p["W4"]], [p["W5"]]], "b3": [p["b4"]]})
    X0, y0_batch = np.array([[x0]]), np.array([[y0]])
    Y0, cache0 = course.forward(X0)
    g = course.backward(cache0, mse_grad(y0_batch, Y0))

    path_O21, path_O22, two_paths = course_network.dL_dW1_two_paths(x0, y0, p)
    by_hand = course_network.gradients(x0, y0, p)
    print(f"dL/dW1 through O21: {path_O21:.6f}, through O22: {path_O22:.6f}, "
          f"sum of the two paths: {two_paths:.6f}")
    print(f"course_network.gradients:   {by_hand['W1']:.6f}")
    print(f"matrix backward pass:       {float(g['W1'][0, 0]):.6f}")
    print(f"finite differences:         {course_network.numerical_gradient(x0, y0, p, 'W1'):.6f}")
    matrix = {"W1": g["W1"][0, 0], "W2": g["W2"][0, 0], "W3": g["W2"][0, 1],
              "W4": g["W3"][0, 0], "W5": g["W3"][1, 0], "b1": g["b1"][0],
              "b2": g["b2"][0], "b3": g["b2"][1], "b4": g["b3"][0]}
    print("all nine gradients agree:",
          all(abs(float(matrix[k]) - by_hand[k]) < 1e-12 for k in course_network.PARAM_NAMES))
    """),
    md(r"""
    The two paths of lesson 02 did not disappear: they are the two terms of the product
    $\delta_2 W_2^\top$ on the way from layer 2 down to $O_{11}$. The matrix backward pass
    is the chain rule of lesson 02, organised so that every shared product is computed
    once, for every instance of the batch at the same time.

    ## Summary

    - The backward pass starts at the output: the error signal
      $\delta_{out} = \partial L/\partial Y \odot \sigma'(Z_{out})$, with
      $\partial L/\partial Y = \frac{2}{N}(Y - y)$ for the mean squared error.
    - This lesson puts the $2/N$ of the loss into $\delta$ (each row is its instance's own
      error signal divided by the batch size), so the gradients are sums over the batch;
      lesson 03 kept $\delta$ per example and took means: the same numbers.
    - From any layer's error signal $\delta$ and its cached input $X$:
      $\partial L/\partial W = X^\top\delta$ and $\partial L/\partial b = \sum_{\text{batch}}
      \delta$ (every instance contributes; the bias gradient is summed over the batch,
      a vector of shape $(n_{out},)$ like $b$), and $\partial L/\partial X = \delta W^\top$
      is passed to the layer below.
    - Going down through an activation multiplies by its slope at the cached
      pre-activation: $\delta_{below} = (\delta W^\top) \odot \sigma'(Z_{below})$; repeated
      layer by layer it reaches the input layer.
    - Each gradient has the shape of its parameter; a central-difference gradient check
      with a relative error within the course's rule ($10^{-7}$ plus the finite-difference
      noise; our right gradients measure below $10^{-8}$) shows a backward pass right, and
      on the
      course network the matrix backward pass equals the two-path sum of lesson 02.
    - One forward and one backward pass give every gradient (the backward pass costs
      between one and two forward passes in multiply-adds); finite differences would
      need two forward passes per parameter.

    Next, lesson 06 uses these gradients to train: a gradient-descent step
    $W_{new} = W_{old} - \eta\,\partial L/\partial W_{old}$ for every weight and bias,
    mini-batch after mini-batch, epoch after epoch.

    [Next: 06 Training: mini-batches and epochs](06_training.ipynb)
    """),
]
