"""Lesson 04, The forward pass: a layer of neurons on a mini-batch as one matrix product,
layers chained to the output, the shapes at every step, and the cache that the backward
pass needs."""

from backprop_lessons.tools.authoring import code, exercise, md, setup

CELLS = [
    md(r"""
    # 04 · The forward pass

    **What this lesson derives.** The course network of lessons 02 and 03 written with
    matrices; how a whole layer of neurons computes its outputs for a whole mini-batch of
    instances with one matrix product, $Z = XW + b$, $A = \mathrm{act}(Z)$; how layers are
    chained from the input layer to the output layer and then to the loss of the batch;
    the shape of the array at every step; and why the forward pass of training keeps
    every intermediate result (the **cache**) instead of only the prediction.

    Lesson 03 trained one neuron on one example. Real networks have layers of many neurons
    and see a **mini-batch** of examples (say 32 **instances**) at a time. Nothing new
    happens to a single neuron: it still computes a weighted sum plus a bias and applies
    its activation. What is new is bookkeeping, and getting it right is most of what
    makes a network fast and its gradients correct.
    """),
    setup("lesson_04", imports="""
    %matplotlib inline
    from backprop_lessons.maths import course_network, layers, modes
    from backprop_lessons.maths.activations import sigmoid
    from backprop_lessons.maths.losses import mse
    from backprop_lessons.maths.network import Network
    from backprop_lessons.viz import shapes
    """),
    md(r"""
    ## The course network, written with matrices

    Before any general rule, take the network you already know: one input $x$, the neuron
    $O_{11}$, the two neurons $O_{21}$ and $O_{22}$, the output $O_{31}$, sigmoid
    everywhere (sizes 1-1-2-1). Lesson 02 wrote its forward pass neuron by neuron:

    $$O_{11} = \sigma(W_1 x + b_1),\quad
      O_{21} = \sigma(W_2 O_{11} + b_2),\quad O_{22} = \sigma(W_3 O_{11} + b_3),\quad
      O_{31} = \sigma(W_4 O_{21} + W_5 O_{22} + b_4).$$

    Group the neurons by **layer**, and put the outputs of a layer side by side in a
    **row**. Layer 2 then computes both its sums at once, $[z_{21}\; z_{22}] = [O_{11}]
    \,[W_2\; W_3] + [b_2\; b_3]$, and layer 3 adds its two products in one row-times-column
    product, $[O_{21}\; O_{22}] \begin{bmatrix} W_4 \\ W_5 \end{bmatrix} = W_4 O_{21} +
    W_5 O_{22}$. Each layer is one product with a matrix of its weights, plus a row of
    its biases:

    $$\mathbf{W}_1 = [W_1]\ (1, 1),\quad
      \mathbf{W}_2 = [W_2\; W_3]\ (1, 2),\quad
      \mathbf{W}_3 = \begin{bmatrix} W_4 \\ W_5 \end{bmatrix}\ (2, 1),\qquad
      \mathbf{b}_1 = [b_1],\quad \mathbf{b}_2 = [b_2\; b_3],\quad \mathbf{b}_3 = [b_4].$$

    A matrix has one **row per input** of the layer and one **column per neuron**: column
    $j$ holds the weights of neuron $j$. (Here the bold names count layers and the plain
    ones are lesson 02's nine scalars: $\mathbf{W}_3$ holds $W_4$ and $W_5$. From the next
    section on, $W_i$ and $b_i$ always mean layer $i$'s matrix and biases, the names the
    package gives them.) With the input as a row $X = [x]$ of shape $(1, 1)$, the
    forward pass is three products in a row,
    $A_1 = \sigma(X\mathbf{W}_1 + \mathbf{b}_1)$, $A_2 = \sigma(A_1\mathbf{W}_2 +
    \mathbf{b}_2)$, $A_3 = \sigma(A_2\mathbf{W}_3 + \mathbf{b}_3)$.
    """),
    *exercise("course_matrices", intro=r"""
    ### Exercise: the course network's matrices

    Write `course_matrices(params)`. `params` is a dict of the nine scalars, with the keys
    `"W1"` to `"W5"` and `"b1"` to `"b4"` (as `course_network.default_params()` returns
    them). Return the dict of the layer arrays, as numpy arrays of these shapes:
    `{"W1": (1, 1), "b1": (1,), "W2": (1, 2), "b2": (2,), "W3": (2, 1), "b3": (1,)}`.
    """),
    md(r"""
    Here they are, written out for lesson 02's parameters. The three products give the
    same numbers as lesson 02's scalar forward pass:
    """),
    code(r"""
    p = course_network.default_params()       # the nine scalars of lessons 02 and 03
    x, y = course_network.default_example()
    W1 = np.array([[p["W1"]]])                # layer 1: one input (x), one neuron (O11)
    b1 = np.array([p["b1"]])
    W2 = np.array([[p["W2"], p["W3"]]])       # layer 2: one input (O11), two neurons
    b2 = np.array([p["b2"], p["b3"]])
    W3 = np.array([[p["W4"]], [p["W5"]]])     # layer 3: two inputs (O21, O22), one neuron
    b3 = np.array([p["b4"]])

    X = np.array([[x]])                       # one instance, one input: a (1, 1) row
    A1 = sigmoid(X @ W1 + b1)
    A2 = sigmoid(A1 @ W2 + b2)
    A3 = sigmoid(A2 @ W3 + b3)
    f = course_network.forward(x, y, p)       # lesson 02: neuron by neuron, scalars
    print("shapes: W1", W1.shape, " W2", W2.shape, " W3", W3.shape,
          "->  A1", A1.shape, " A2", A2.shape, " A3", A3.shape)
    print(f"matrices: A1 = {A1[0, 0]:.6f}, A2 = {np.round(A2[0], 6).tolist()}, "
          f"A3 = {A3[0, 0]:.6f}")
    print(f"scalars:  O11 = {f['O11']:.6f}, [O21, O22] = "
          f"{[round(f['O21'], 6), round(f['O22'], 6)]}, O31 = {f['O31']:.6f}")
    print("same O31:", bool(np.isclose(A3[0, 0], f["O31"], rtol=1e-12, atol=0)))
    as_layers = modes.course_network_as_layers(p).params   # the package's mapping
    print("the package's matrices are these:", all(
        np.array_equal(as_layers[name], value)
        for name, value in {"W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3}.items()))
    """),
    md(r"""
    Nothing changed but the bookkeeping: the same multiply-adds, grouped by layer.
    `modes.course_network_as_layers(params)` builds this 1-1-2-1 network from the nine
    scalars (its `.params` are your `course_matrices`); lesson 07 uses it again. The
    rest of this lesson makes the rule general: any number of inputs and neurons per
    layer, and many instances at once.
    """),
    md(r"""
    ## From one neuron to a layer

    A layer of neurons receives the same inputs $x_1, \dots, x_{n_{in}}$. Neuron $j$ has
    its own weights $W_{1j}, \dots, W_{n_{in} j}$ (one per input) and its own bias $b_j$:

    $$z_j = \sum_{k=1}^{n_{in}} x_k\,W_{kj} + b_j, \qquad a_j = \mathrm{act}(z_j).$$

    Store the weights of the whole layer in one matrix $W$ of shape $(n_{in}, n_{out})$:
    **row $k$ belongs to input $k$, column $j$ to neuron $j$**. Then the sums of all the
    neurons are one vector-matrix product, $z = x\,W + b$. Here is a layer of 3 neurons
    with 2 inputs, computed neuron by neuron and then as one product:
    """),
    code(r"""
    x = np.array([1.0, 2.0])                  # one instance: 2 input values
    W = np.array([[0.5, -0.3, 0.8],           # row 1: the weights of input 1 into neurons 1, 2, 3
                  [-0.1, 0.4, 0.2]])          # row 2: the weights of input 2
    b = np.array([0.5, 0.0, -0.2])            # one bias per neuron

    by_neuron = [x[0] * W[0, j] + x[1] * W[1, j] + b[j] for j in range(3)]
    print("neuron by neuron:", [round(float(z), 4) for z in by_neuron])
    print("as x @ W + b:    ", np.round(x @ W + b, 4).tolist())
    print("outputs sigmoid(z):", np.round(sigmoid(x @ W + b), 4).tolist())
    """),
    md(r"""
    ## A mini-batch: one instance per row

    A mini-batch stacks its instances as the **rows** of a matrix $X$ of shape
    $(\text{batch}, n_{in})$. Row $i$ of the product $XW$ is row $i$ of $X$ times $W$, that
    is, the weighted sums of every neuron for instance $i$. So one product computes every
    neuron for every instance:

    $$Z = X\,W + b \quad (\text{batch}, n_{out}), \qquad A = \mathrm{act}(Z).$$

    $b$ has shape $(n_{out},)$ and NumPy adds it to every row (broadcasting): each instance
    gets the same biases. Read the shapes like dominoes: $(\text{batch}, n_{in}) \times
    (n_{in}, n_{out}) \to (\text{batch}, n_{out})$; the inner sizes must agree and
    disappear. (Books that put one instance per *column*, such as Nielsen and CS229,
    write $W x + b$ with $b$ a column $(n_{out}, 1)$: the same computation transposed;
    lesson 03 shows how the two layouts map.)
    """),
    code(r"""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(32, 2))                  # a mini-batch of 32 instances, 2 inputs each
    Z = X @ W + b
    print("X:", X.shape, " W:", W.shape, " b:", b.shape, " ->  Z = X @ W + b:", Z.shape)
    print("row 0 of Z:          ", np.round(Z[0], 4).tolist())
    print("instance 0 on its own:", np.round(X[0] @ W + b, 4).tolist())
    """),
    *exercise("layer_forward", intro=r"""
    ### Exercise: a dense layer's forward pass

    Write `layer_forward(X, W, b, act)`: the outputs $A = \mathrm{act}(XW + b)$ of a layer
    for a mini-batch `X` of shape `(batch, n_in)`, with `W` of shape `(n_in, n_out)`, `b`
    of shape `(n_out,)` and `act` an activation function (the check passes sigmoid, tanh
    and relu). Return an array of shape `(batch, n_out)`.
    """),
    md(r"""
    ## Layer after layer

    A network is layers in a row. The forward pass goes like this:

    1. The mini-batch $X$ enters the **input layer**, which does no computing: it passes
       $X$ to the **first hidden layer**. That layer computes the output of all its neurons
       for every instance of the batch: $A_1 = \mathrm{act}(X W_1 + b_1)$.
    2. $A_1$ is passed to the next layer, which computes $A_2 = \mathrm{act}(A_1 W_2 +
       b_2)$, and so on, each layer's output being the next layer's input, until the
       **output layer** gives the prediction $Y$.
    3. The forward pass ends where lesson 00 said it does, at the **loss**: $Y$ is compared
       with the targets of the batch, and the losses of its instances are averaged into
       one number, $L$.

    ![A mini-batch of 32 enters a network with 3 inputs, two hidden layers of 4 neurons
    and 2 outputs; the forward pass computes every layer's output and keeps them; the
    backward pass (lesson 05) goes the other way.](../figures/backprop_overview-light.png)

    Here is that network, 3 inputs, two hidden layers of 4 neurons and 2 outputs, on a
    mini-batch of 32 instances, one layer at a time:
    """),
    code(r"""
    net = Network([3, 4, 4, 2], seed=0)
    X = np.random.default_rng(1).normal(size=(32, 3))
    params = net.params

    A = X
    print(f"input layer    X  {A.shape}")
    for i in range(1, 4):
        W_i, b_i = params[f"W{i}"], params[f"b{i}"]
        A = layers.layer_forward(A, W_i, b_i, sigmoid)
        print(f"layer {i}: W{i} {W_i.shape}, b{i} {b_i.shape}  ->  A{i} {A.shape}")
    print("same as net.predict(X):", bool(np.allclose(A, net.predict(X), rtol=1e-12, atol=0)))
    """),
    md(r"""
    The number of rows, 32, never changes: every instance travels through the network on
    its own row, and no instance ever mixes with another. Only the number of columns
    changes, from layer to layer, to the number of neurons of that layer. The weight
    matrices do not depend on the batch at all: the same $W_1$ serves a batch of any size,
    a single instance included.

    ## The last step: the loss of the mini-batch

    The forward pass does not stop at $Y$. Training needs one number to make smaller: the
    loss of the batch, the **mean** of the losses of its instances. With the squared error
    of lesson 02 and targets $y$ of the shape of $Y$, $(\text{batch}, n_L)$, that is the
    mean squared error

    $$L = \frac{1}{N}\sum_{i=1}^{\text{batch}}\sum_{j=1}^{n_L} (y_{ij} - Y_{ij})^2,
    \qquad N = \text{batch} \times n_L,$$

    a scalar, whatever the size of the batch. Here is the course network, with the three
    matrices above, on a mini-batch of 32 instances, all the way to the loss; the mean of
    lesson 02's loss $(y - O_{31})^2$, computed one instance at a time, is the same number:
    """),
    code(r"""
    rng = np.random.default_rng(4)
    X_batch = rng.normal(size=(32, 1))                        # 32 inputs x, one per row
    y_batch = rng.integers(0, 2, size=(32, 1)).astype(float)  # their targets, 0 or 1
    A1 = sigmoid(X_batch @ W1 + b1)
    A2 = sigmoid(A1 @ W2 + b2)
    Y_batch = sigmoid(A2 @ W3 + b3)
    L = mse(y_batch, Y_batch)                                 # mean of (y - Y)^2 over the batch
    print("X", X_batch.shape, "-> A1", A1.shape, "-> A2", A2.shape, "-> Y", Y_batch.shape,
          "; with y", y_batch.shape, "-> L", np.shape(L))
    one_by_one = [course_network.forward(float(x_i), float(y_i), p)["L"]
                  for x_i, y_i in zip(X_batch[:, 0], y_batch[:, 0])]
    print(f"L = mse(y, Y) = {L:.6f}")
    print(f"mean of the 32 scalar losses (y - O31)^2: {np.mean(one_by_one):.6f}")
    """),
    md(r"""
    The whole forward pass, shape by shape, drawn by `shapes.shapes_figure(layer_sizes,
    batch_size)`: every array is as tall as the batch (32 rows) and as wide as its layer;
    the weights and biases on each arrow do not depend on the batch; the loss at the end
    has shape `()`, a single number.
    """),
    code(r"""
    shapes.shapes_figure([1, 1, 2, 1], batch_size=32)
    """),
    *exercise("layer_shapes", intro=r"""
    ### Exercise: the shapes of a batch through a network

    Write `layer_shapes(layer_sizes, batch_size)`: for a network with layer sizes
    `[n_0, n_1, ..., n_L]` (inputs first, outputs last), the list of the shapes of the
    arrays that leave each layer, the input layer first, as tuples. For `[3, 4, 4, 2]`
    and a batch of 32 it is the four shapes the 3-4-4-2 network printed above.
    """),
    md(r"""
    ## The forward pass keeps everything: the cache

    For a **prediction** only the last array matters; each $A$ can be thrown away as soon
    as the next layer has used it. The forward pass of **training** is the same
    computation with one difference: **every intermediate result is kept**, because the
    backward pass (lesson 05) needs them. To get the gradient of layer $i$'s weights it
    needs the layer's input (the $A$ of the layer below, or $X$), and to go back through
    the activation it needs the slope $\mathrm{act}'(Z_i)$ at the layer's pre-activation
    $Z_i$.

    `Network.forward` returns the prediction $Y$ and this **cache**, one entry per layer
    with its input `X`, its pre-activation `Z` and its output `A`:
    """),
    code(r"""
    Y, cache = net.forward(X)
    print("Y:", Y.shape)
    for i, c in enumerate(cache, start=1):
        print(f"layer {i}: " + ", ".join(f"{key} {c[key].shape}" for key in ("X", "Z", "A")))
    print("layer 2's input is layer 1's output:",
          bool(np.array_equal(cache[1]["X"], cache[0]["A"])))
    kept = sum(c[key].size for c in cache for key in ("Z", "A"))
    print(f"numbers kept for the backward pass (Z and A of every layer): {kept}")
    """),
    md(r"""
    The cache grows with the batch and with the depth of the network: that memory is the
    price of a backward pass that never recomputes anything. (Only the prediction is
    needed at test time, which is why `net.predict(X)` keeps no cache.)

    Why keep $Z$ as well as $A$? The backward pass evaluates the slope $\mathrm{act}'$ at
    $Z$. For the sigmoid that slope can be rebuilt from the output,
    $\sigma'(Z) = \sigma(Z)\,(1 - \sigma(Z)) = A\,(1 - A)$, and for tanh too
    ($1 - A^2$), but not for every activation: keeping $Z$ works for all of them, without
    recomputing the product $XW + b$.
    """),
    *exercise("two_layer_forward", intro=r"""
    ### Exercise: a two-layer forward pass that keeps its cache

    Write `two_layer_forward(X, W1, b1, W2, b2)` for a network with one hidden layer,
    sigmoid activations in both layers (`bl.activations.sigmoid`):

    $$Z_1 = X W_1 + b_1,\quad A_1 = \sigma(Z_1),\quad Z_2 = A_1 W_2 + b_2,\quad Y = \sigma(Z_2).$$

    Return `(Y, cache)` with `cache = (X, Z1, A1, Z2)`: exactly what lesson 05's backward
    pass will read.
    """),
    md(r"""
    The package's version on the mini-batch above, with the first two layers of `net`
    (3 inputs, 4 hidden neurons, 4 outputs), gives the same outputs as those layers of
    the network:
    """),
    code(r"""
    p = net.params
    Y2, (X_c, Z1, A1, Z2) = layers.two_layer_forward(X, p["W1"], p["b1"], p["W2"], p["b2"])
    print("X", X_c.shape, " Z1", Z1.shape, " A1", A1.shape, " Z2", Z2.shape, " Y", Y2.shape)
    print("equals the network's layer 2 output:",
          bool(np.allclose(Y2, cache[1]["A"], rtol=1e-12, atol=0)))
    """),
    md(r"""
    ## One product for the batch equals a loop over its instances

    Nothing in $Z = XW + b$ lets one instance influence another: row $i$ of the output
    depends only on row $i$ of the input. So the batch computation must give exactly what
    a loop over the instances gives, one at a time. It does:
    """),
    code(r"""
    one_at_a_time = np.vstack([net.predict(X[i:i + 1]) for i in range(len(X))])
    print("loop over", len(X), "instances:", one_at_a_time.shape)
    print("batch equals loop:", bool(np.allclose(net.predict(X), one_at_a_time,
                                                 rtol=1e-12, atol=0)))
    n_layers = len(net.params) // 2
    print(f"matrix products: batch {n_layers}, loop {len(X) * n_layers} "
          "(the same multiply-adds)")
    """),
    md(r"""
    Why bother with the batch form, then? The multiply-adds are the same, but the batch
    hands them to NumPy's compiled, optimised code in one matrix product per layer, while
    the loop makes 32 times as many calls on tiny pieces, each paying Python's overhead;
    the more instances, the more calls the loop makes. The maths is the same.

    ## Summary

    - A layer of $n_{out}$ neurons with $n_{in}$ inputs has a weight matrix $W$ of shape
      $(n_{in}, n_{out})$ (column $j$: neuron $j$) and biases $b$ of shape $(n_{out},)$.
    - A mini-batch $X$ holds one instance per row, shape $(\text{batch}, n_{in})$; one
      product gives every neuron for every instance: $Z = XW + b$, $A = \mathrm{act}(Z)$,
      shape $(\text{batch}, n_{out})$.
    - The course network is the 1-1-2-1 case: $\mathbf{W}_1 = [W_1]$ (1, 1),
      $\mathbf{W}_2 = [W_2\; W_3]$ (1, 2), $\mathbf{W}_3 = [W_4; W_5]$ (2, 1); its matrix
      forward pass gives lesson 02's $O_{31}$.
    - The forward pass sends the batch from the input layer through each hidden layer to
      the output layer, each layer's output being the next one's input; the batch size
      stays, the number of columns follows the layer sizes. It ends with the loss of the
      batch, the mean of its instances' losses: one number, shape `()`.
    - The forward pass of training is a prediction that keeps every intermediate result
      (each layer's input, $Z$ and $A$) in a cache, because the backward pass needs them.
    - The batch computation equals a loop over the instances; it is only faster.

    [Next: 05 The backward pass](05_backward_pass.ipynb)
    """),
]
