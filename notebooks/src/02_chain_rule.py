"""Lesson 02, The chain rule: the derivative of a composition as the product of local
derivatives along a chain; in the course network, one path's product (W4), and the sum
of the two path products for W1, checked against the numerical derivative."""

from backprop_lessons.tools.authoring import code, exercise, md, setup

CELLS = [
    md(r"""
    # 02 · The chain rule

    **What this lesson derives.** A network's loss reaches a weight through a chain of
    functions. The **chain rule** says the derivative through a chain is the **product of
    the local derivatives** of its links:

    $$\frac{dL}{dx} = \frac{dL}{dv}\cdot\frac{dv}{du}\cdot\frac{du}{dx}.$$

    In a network there can be several chains (**paths**) from the loss down to one weight;
    then the derivative is the **sum of the path products**. In the course network,

    $$\frac{\partial L}{\partial W_1} =
    \frac{\partial L}{\partial O_{31}}\frac{\partial O_{31}}{\partial O_{21}}
    \frac{\partial O_{21}}{\partial O_{11}}\frac{\partial O_{11}}{\partial W_1}
    + \frac{\partial L}{\partial O_{31}}\frac{\partial O_{31}}{\partial O_{22}}
    \frac{\partial O_{22}}{\partial O_{11}}\frac{\partial O_{11}}{\partial W_1}.$$

    We derive both from what a derivative means (how much a small nudge grows or shrinks),
    check every number against the numerical derivative of lesson 01, and meet three
    patterns that let you read local derivatives off a node at a glance (add distributes,
    multiply swaps, max routes). You write five functions: a chain's product, the local
    derivatives of a weighted edge into a sigmoid neuron, one path's product, the two-path
    sum for $W_1$, and $\partial L/\partial W_4$ from the values of the forward pass.
    """),
    setup("lesson_02", imports="""
    from backprop_lessons.maths import chain_rule
    from backprop_lessons import widgets
    from backprop_lessons.maths import course_network as cn
    from backprop_lessons.maths.activations import sigmoid, sigmoid_prime
    from backprop_lessons.maths.calculus import numerical_derivative
    """),
    md(r"""
    ## One chain

    Take three small functions and feed each into the next. Starting from a number $x$:

    $$u = 3x + 1, \qquad v = \sigma(u) = \frac{1}{1 + e^{-u}}, \qquad L = (1 - v)^2 .$$

    This is a tiny neuron already: a weighted input $u$, a sigmoid $v$, a squared error
    against the target 1. How fast does $L$ change when $x$ changes?

    Think in **nudges**. Nudge $x$ by a small $\Delta x$. Then $u$ moves by
    $\Delta u \approx \frac{du}{dx}\,\Delta x$ (that is what the derivative $du/dx$ means:
    the factor by which a small change of $x$ is scaled on its way to $u$). That change of
    $u$ moves $v$ by $\Delta v \approx \frac{dv}{du}\,\Delta u$, and that moves $L$ by
    $\Delta L \approx \frac{dL}{dv}\,\Delta v$. Put together,

    $$\Delta L \approx \frac{dL}{dv}\cdot\frac{dv}{du}\cdot\frac{du}{dx}\;\Delta x,
    \qquad\text{so}\qquad
    \frac{dL}{dx} = \frac{dL}{dv}\cdot\frac{dv}{du}\cdot\frac{du}{dx}.$$

    Each factor is a **local derivative**: it only looks at one link, with everything else
    fixed. Here $\frac{du}{dx} = 3$, $\frac{dv}{du} = \sigma'(u) = \sigma(u)\,(1-\sigma(u))$
    and $\frac{dL}{dv} = -2\,(1 - v)$ (the square brings down a 2, the inner $-v$ a minus
    sign). Let us watch a real nudge travel down the chain at $x = 0.5$:
    """),
    code(r"""
    x = 0.5
    u = 3 * x + 1
    v = sigmoid(u)
    L = (1 - v) ** 2

    dx = 1e-6                                  # a small nudge of x
    du = (3 * (x + dx) + 1) - u                # how far u moved
    dv = sigmoid(u + du) - v                   # how far v moved
    dL = (1 - (v + dv)) ** 2 - L               # how far L moved
    print(f"u = {u:.4f}, v = {v:.6f}, L = {L:.6f}")
    print(f"du/dx ~ {du / dx:.6f}    local derivative 3")
    print(f"dv/du ~ {dv / du:.6f}    local derivative sigma'(u) = {sigmoid_prime(u):.6f}")
    print(f"dL/dv ~ {dL / dv:.6f}   local derivative -2 (1 - v)  = {-2 * (1 - v):.6f}")
    """),
    md(r"""
    Each measured ratio matches its local derivative (up to the size of the nudge). The
    nudge of $x$ is tripled on its way to $u$, shrunk to about 7 % on its way to $v$, and
    multiplied by about $-0.15$ on its way to $L$. The whole chain scales it by the product
    of the three factors. Compare that product with the numerical derivative of $L(x)$,
    measured as in lesson 01 without any chain rule:
    """),
    code(r"""
    dL_dv, dv_du, du_dx = -2 * (1 - v), sigmoid_prime(u), 3.0
    product = dL_dv * dv_du * du_dx
    measured = numerical_derivative(lambda t: (1 - sigmoid(3 * t + 1)) ** 2, x)
    print(f"dL/dv * dv/du * du/dx = {dL_dv:.6f} * {dv_du:.6f} * {du_dx:.1f} = {product:.10f}")
    print(f"numerical derivative of L at x = {x}:            {measured:.10f}")
    print(f"relative difference: {abs(product - measured) / abs(measured):.1e}")
    """),
    md(r"""
    The product of the three local derivatives, about $-0.0319$, agrees with the measured
    slope to about nine digits. Notice what the chain rule buys: we never differentiated
    $(1 - \sigma(3x + 1))^2$ as a whole, only three easy links, each on its own. That is all
    backpropagation does, for every weight of a network.

    The factors **multiply**, they do not add: if $u$ moves 3 times as fast as $x$ and $v$
    moves 0.07 times as fast as $u$, then $v$ moves $3 \times 0.07$ times as fast as $x$.
    """),
    exercise("chain_product", intro=r"""
    ### Exercise 1: `chain_product(factors)`

    `factors` is a list of local derivatives along one chain, from the top (the loss) down,
    like `[dL_dv, dv_du, du_dx]`. Return their product, the derivative through the whole
    chain, as a number.
    """),
    md(r"""
    ## The course network

    Here is the network this course works with by hand: one input $x$, four sigmoid
    neurons and a squared-error loss. The input feeds $O_{11}$; $O_{11}$ feeds **both**
    $O_{21}$ and $O_{22}$; both feed $O_{31}$, the output; and the loss compares $O_{31}$
    with the target $y$.

    ![The course network: x feeds O11 through W1; O11 feeds O21 through W2 and O22
    through W3; O21 and O22 feed O31 through W4 and W5; the loss is (y - O31)
    squared.](../figures/course_network-light.png)

    $$\begin{aligned}
    O_{11} &= \sigma(W_1 x + b_1), &
    O_{21} &= \sigma(W_2 O_{11} + b_2), &
    O_{22} &= \sigma(W_3 O_{11} + b_3),\\
    O_{31} &= \sigma(W_4 O_{21} + W_5 O_{22} + b_4), &
    L &= (y - O_{31})^2 .
    \end{aligned}$$

    The forward pass at the course's example ($x = 1.5$, $y = 1$) and default weights,
    from `backprop_lessons.maths.course_network`:
    """),
    code(r"""
    x, y = cn.default_example()
    params = cn.default_params()
    f = cn.forward(x, y, params)
    print("params:", ", ".join(f"{k} = {v}" for k, v in params.items()))
    for key in ("O11", "O21", "O22", "O31", "L"):
        print(f"{key:>3} = {f[key]:.6f}")
    """),
    md(r"""
    The output $O_{31} \approx 0.546$ is well below the target 1, so the loss is about
    0.206. To lower it we need $\partial L/\partial W$ for every weight.

    Every arrow of the network is a link with a **local derivative**: how the node above
    responds to the node (or weight) below, everything else held fixed (which is why
    these are partial derivatives, written with $\partial$: a node like $O_{31}$ depends
    on several others, and each local derivative moves only one of them).

    The top arrow is the loss's own, $\frac{\partial L}{\partial O_{31}} = -2\,(y - O_{31})$
    (the square brings down a 2, as in the chain above). Every other arrow has one shape:
    an input $a$ enters a sigmoid neuron through a weight $W$,

    $$z = \ldots + W\cdot a + \ldots, \qquad O = \sigma(z),$$

    and the arrow from $a$ and the arrow from $W$ are each a chain of two links,

    $$\frac{\partial O}{\partial a} = \sigma'(z)\,\frac{\partial z}{\partial a},
    \qquad
    \frac{\partial O}{\partial W} = \sigma'(z)\,\frac{\partial z}{\partial W}.$$

    Derive the pieces yourself: $\sigma'(z)$ written from the neuron's output $O$ alone (the
    forward pass has already computed $O$; no new exponential is needed), and the slopes
    of the product $W\cdot a$ in $a$ and in $W$ (nudge one, hold the other; the other
    terms of $z$ do not move).
    """),
    exercise("edge_derivatives", intro=r"""
    ### Exercise 2: `edge_derivatives(out, W, a)`

    For the edge of input `a` with weight `W` into a sigmoid neuron whose output is `out`
    (the $O$ above), return the pair `(dO_da, dO_dW)`: $\partial O/\partial a$ first,
    then $\partial O/\partial W$.
    """),
    md(r"""
    The pieces: $\sigma'(z) = \sigma(z)\,(1 - \sigma(z)) = O\,(1 - O)$, and in the
    product $W\cdot a$ a nudge of $a$ is scaled by $W$ and a nudge of $W$ by $a$:
    $\partial(W a)/\partial a = W$, $\partial(W a)/\partial W = a$. Each edge carries the
    **other** factor of its product. So, for example,

    $$\frac{\partial O_{31}}{\partial O_{21}} = O_{31}(1 - O_{31})\,W_4, \qquad
    \frac{\partial O_{31}}{\partial W_4} = O_{31}(1 - O_{31})\,O_{21}.$$

    A bias is a weight whose input is 1, so $\partial O/\partial b = O\,(1 - O)$.
    `cn.local_derivatives` returns all fifteen, keyed `"d<upper>/d<lower>"`:
    """),
    code(r"""
    d = cn.local_derivatives(x, y, params)
    for key, value in d.items():
        print(f"{key:>10} = {value:+.6f}")
    """),
    md(r"""
    Ten of them are weighted edges. Rebuilt from the forward pass with the rule you just
    derived (`cn.edge_derivatives` is the course's version of your function), and compared
    with the list above, which computes $\sigma'(z)$ from $z$:
    """),
    code(r"""
    weighted_edges = [("O11", "x", "W1"), ("O21", "O11", "W2"), ("O22", "O11", "W3"),
                      ("O31", "O21", "W4"), ("O31", "O22", "W5")]
    largest = 0.0
    for upper, lower, W in weighted_edges:
        dO_din, dO_dW = cn.edge_derivatives(f[upper], params[W], f[lower])
        print(f"d{upper}/d{lower:<3} = {dO_din:+.6f}    d{upper}/d{W} = {dO_dW:+.6f}")
        largest = max(largest, abs(dO_din - d[f"d{upper}/d{lower}"]),
                      abs(dO_dW - d[f"d{upper}/d{W}"]))
    print(f"largest difference from cn.local_derivatives: {largest:.1e}")
    """),
    md(r"""
    ## One path: $W_4$

    $W_4$ reaches the loss along a single path, $L \leftarrow O_{31} \leftarrow W_4$: it
    only feeds $O_{31}$, and $O_{31}$ only feeds $L$. So its derivative is one product of
    two local derivatives:

    $$\frac{\partial L}{\partial W_4} = \frac{\partial L}{\partial O_{31}}\cdot
    \frac{\partial O_{31}}{\partial W_4}.$$
    """),
    code(r"""
    path_W4 = d["dL/dO31"] * d["dO31/dW4"]
    print(f"dL/dO31 * dO31/dW4 = {d['dL/dO31']:.6f} * {d['dO31/dW4']:.6f} = {path_W4:.8f}")
    print(f"numerical derivative of L in W4:       {cn.numerical_gradient(x, y, params, 'W4'):.8f}")
    """),
    md(r"""
    Both give about $-0.0924$: negative, so increasing $W_4$ lowers the loss (it raises
    $O_{31}$ towards the target). A path is written as the list of nodes it visits from the
    top down, here `["L", "O31", "W4"]`; each consecutive pair `(upper, lower)` is an edge
    whose local derivative is `d[f"d{upper}/d{lower}"]`.
    """),
    exercise("path_product", intro=r"""
    ### Exercise 3: `path_product(d, path)`

    `d` is a dict of local derivatives (like the one above) and `path` a list of node names
    from the top down, such as `["L", "O31", "O21", "O11", "W1"]`. Return the product of
    the local derivatives along the path. A path may start at any node, not only at `L`.
    """),
    md(r"""
    ## Two paths: $W_1$

    $W_1$ is different. A nudge $\Delta W_1$ moves $O_{11}$, and $O_{11}$ feeds **two**
    neurons: $O_{21}$ and $O_{22}$ both move, and **both** carry their change on to
    $O_{31}$. Follow the nudge:

    $$\Delta O_{11} \approx \frac{\partial O_{11}}{\partial W_1}\,\Delta W_1, \qquad
    \Delta O_{21} \approx \frac{\partial O_{21}}{\partial O_{11}}\,\Delta O_{11}, \qquad
    \Delta O_{22} \approx \frac{\partial O_{22}}{\partial O_{11}}\,\Delta O_{11}.$$

    $O_{31}$ depends on both; for small nudges their effects simply add up (this is the
    **total derivative**, the first-order change of a function of two inputs):

    $$\Delta O_{31} \approx \frac{\partial O_{31}}{\partial O_{21}}\,\Delta O_{21}
    + \frac{\partial O_{31}}{\partial O_{22}}\,\Delta O_{22}, \qquad
    \Delta L \approx \frac{\partial L}{\partial O_{31}}\,\Delta O_{31}.$$

    Substitute from the bottom up and divide by $\Delta W_1$: one product for each way the
    nudge can travel, **added**,

    $$\frac{\partial L}{\partial W_1} =
    \underbrace{\frac{\partial L}{\partial O_{31}}\frac{\partial O_{31}}{\partial O_{21}}
    \frac{\partial O_{21}}{\partial O_{11}}\frac{\partial O_{11}}{\partial W_1}}_{
    \text{path through } O_{21}}
    + \underbrace{\frac{\partial L}{\partial O_{31}}\frac{\partial O_{31}}{\partial O_{22}}
    \frac{\partial O_{22}}{\partial O_{11}}\frac{\partial O_{11}}{\partial W_1}}_{
    \text{path through } O_{22}}.$$

    The rule in general: **multiply along a path, add across paths.** Each factor, at our
    point:
    """),
    code(r"""
    for i, path in enumerate(cn.paths_to("W1"), start=1):
        print(f"path {i}: {' -> '.join(path.nodes)}")
        for key in path.factors:
            print(f"    {key:>10} = {d[key]:+.6f}")
    """),
    code(r"""
    via_O21 = d["dL/dO31"] * d["dO31/dO21"] * d["dO21/dO11"] * d["dO11/dW1"]
    via_O22 = d["dL/dO31"] * d["dO31/dO22"] * d["dO22/dO11"] * d["dO11/dW1"]
    numeric = cn.numerical_gradient(x, y, params, "W1")
    print(f"path through O21:  {via_O21:+.10f}")
    print(f"path through O22:  {via_O22:+.10f}")
    print(f"sum of the paths:  {via_O21 + via_O22:+.10f}")
    print(f"numerical dL/dW1:  {numeric:+.10f}")
    print(f"relative difference of the sum: {abs(via_O21 + via_O22 - numeric) / abs(numeric):.1e}")
    print(f"path through O21 alone is off by {abs(via_O21 - numeric) / abs(numeric):.0%}")
    print(f"path through O22 alone is off by {abs(via_O22 - numeric) / abs(numeric):.0%}")
    """),
    md(r"""
    The path through $O_{21}$ contributes about 0.0165, the path through $O_{22}$ about
    0.0072, and their sum, about 0.0236, matches the numerical derivative to about nine
    digits. Either path alone is badly wrong: the path through $O_{21}$ misses 30 % of the
    gradient, the path through $O_{22}$ misses 70 %. The sum is not an approximation, it
    is the derivative.

    Both paths share their first factor $\partial L/\partial O_{31}$ and their last
    $\partial O_{11}/\partial W_1$; they differ in the middle, where the nudge of $O_{11}$
    splits. The figure draws the two paths with every factor:

    ![The two chain-rule paths from L down to W1, through O21 and through O22, each edge
    labelled with its local derivative, and their sum.](../figures/chain_rule_paths-light.png)
    """),
    exercise("dL_dW1", intro=r"""
    ### Exercise 4: `dL_dW1(d)`

    From the dict of local derivatives `d`, return $\partial L/\partial W_1$: the sum of the
    products along the two paths, through $O_{21}$ and through $O_{22}$. (You may call your
    `path_product`.)
    """),
    md(r"""
    ## Explore: change the weights, watch the paths

    The package has an interactive explorer of the course network: sliders for $x$ and the
    weights $W_1 \ldots W_5$, with the forward pass, both path products, their sum and the
    numerical derivative updating together.

    Try $W_3 = 0$: the path through $O_{22}$ vanishes, because $O_{22}$ no longer depends
    on $O_{11}$. Try $W_5 = +0.6$: the path through $O_{22}$ changes sign, and the two
    paths now pull $W_1$ in opposite directions. The sliders need a running Jupyter kernel
    (open it in JupyterLab, your workspace or Binder); where the notebook is only shown, as
    on GitHub, the cell after it draws the explorer's starting state, the default weights,
    where both paths are positive.
    """),
    code("widgets.chain_rule_explorer()"),
    code("widgets.chain_rule_explorer_figure()"),
    md(r"""
    ## $\partial L/\partial W_4$ from the forward pass

    The local derivatives are themselves built from numbers the forward pass already
    computed. As in your `edge_derivatives`, $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$,
    so $\sigma'(z_{31}) = O_{31}(1 - O_{31})$ needs no new exponential, and

    $$\frac{\partial L}{\partial W_4}
    = \underbrace{-2\,(y - O_{31})}_{\partial L/\partial O_{31}}\;\cdot\;
    \underbrace{O_{31}\,(1 - O_{31})}_{\sigma'(z_{31})}\;\cdot\;
    \underbrace{O_{21}}_{\partial z_{31}/\partial W_4}.$$

    Three pieces, each with a reason: the 2 comes from the square in the loss, the
    $O_{31}(1 - O_{31})$ from the sigmoid between $z_{31}$ and $O_{31}$, and $O_{21}$
    because $W_4$ multiplies $O_{21}$ inside $z_{31}$.
    """),
    code(r"""
    O21, O31 = f["O21"], f["O31"]
    by_hand = -2 * (y - O31) * O31 * (1 - O31) * O21
    print(f"-2 (y - O31) * O31 (1 - O31) * O21 = "
          f"{-2 * (y - O31):.6f} * {O31 * (1 - O31):.6f} * {O21:.6f} = {by_hand:.8f}")
    print(f"backpropagation's dL/dW4:                       {cn.gradients(x, y, params)['W4']:.8f}")
    """),
    exercise("dL_dW4", intro=r"""
    ### Exercise 5: `dL_dW4(y, O21, O31)`

    Return $\partial L/\partial W_4$ for the course network from the target `y` and the
    forward-pass values `O21` and `O31` (sigmoid neurons, $L = (y - O_{31})^2$).
    """),
    md(r"""
    ## Every weight, every path

    The same rule gives every gradient of the network: list the paths from $L$ down to the
    parameter, multiply along each, add. `chain_rule.sum_over_paths` does exactly that;
    below it is compared, for all nine parameters, with `cn.gradients` (backpropagation,
    the next lessons' method) and with the numerical derivative:
    """),
    code(r"""
    grads = cn.gradients(x, y, params)
    print("param  paths   sum over paths   backprop      numerical")
    for name in cn.PARAM_NAMES:
        paths = [p.nodes for p in cn.paths_to(name)]
        total = chain_rule.sum_over_paths(d, paths)
        numeric = cn.numerical_gradient(x, y, params, name)
        print(f"{name:>5}  {len(paths):>5}   {total:+.10f}   {grads[name]:+.10f}   {numeric:+.10f}")
    """),
    md(r"""
    All three columns agree. $W_1$ and $b_1$ have two paths (they sit below the split at
    $O_{11}$); every other parameter has one. Look at the paths again: every path to
    $W_1$, $W_2$, $W_3$, $b_1$, $b_2$, $b_3$ starts with the same
    $\partial L/\partial O_{31}\cdot\partial O_{31}/\partial O_{2k}$. Listing paths recomputes
    those shared beginnings again and again, and in a big network the number of paths
    grows as the product of the layer widths. In a fully connected network a path from
    a weight up to the loss passes through one unit of every layer above the weight's
    own unit, in every combination: the number of paths is the product of those layers'
    widths. The course network has layers of widths 2 and 1 above $O_{11}$, so 2 paths
    to $W_1$, as listed. Count them for wider and deeper networks:
    """),
    code(r"""
    for above in ([2, 1], [4, 4, 1], [16, 16, 16, 1], [100, 100, 1]):
        n_paths = 1
        for width in above:
            n_paths *= width  # one unit of each layer, in every combination
        print(f"layers of widths {above} above the weight: {n_paths:,} paths")
    """),
    md(r"""
    Ten thousand paths to a single weight below two layers of 100, each a product of
    local derivatives, and most of them share their beginnings. **Backpropagation**
    computes each shared product once, from the top down, and reuses it: one pass,
    whatever the number of paths. Lesson 05 builds it.

    ## Three gates: add distributes, multiply swaps, max routes

    Backpropagation passes one number down each edge: the gradient of the loss with
    respect to the node above, the **upstream** gradient $\partial L/\partial\,out$. A node
    $out = g(a, b)$ hands each of its inputs the upstream gradient times its local
    derivative, $\frac{\partial L}{\partial a} = \frac{\partial L}{\partial\,out}\cdot
    \frac{\partial\,out}{\partial a}$: the chain rule at one node. For the three simplest
    nodes the result can be read off at a glance (the way Stanford's CS231n notes put it):

    - **add**, $out = a + b$: both local derivatives are 1, so both inputs receive the
      upstream gradient unchanged. The add gate **distributes** it.
    - **multiply**, $out = a\cdot b$: $\partial\,out/\partial a = b$ and
      $\partial\,out/\partial b = a$, so each input receives the upstream gradient times
      the **other** input. The multiply gate **swaps**.
    - **max**, $out = \max(a, b)$: $out$ moves with the larger input and ignores the
      smaller, so the larger receives all of the upstream gradient and the smaller 0. The
      max gate **routes** it. (At a tie max has no derivative; `chain_rule.gate_gradients`
      then routes to $a$.)

    Each gate at $a = 2$, $b = -3$ with an upstream gradient of 0.5, beside the measured
    slopes of $0.5\cdot out$ in $a$ and in $b$:
    """),
    code(r"""
    a, b, upstream, h = 2.0, -3.0, 0.5, 1e-5

    def L_near(kind, a, b):
        return upstream * chain_rule.gate_value(kind, a, b)  # L changes by upstream * out

    print("gate       out     dL/da    dL/db    measured dL/da   measured dL/db")
    for kind in chain_rule.GATES:
        out = chain_rule.gate_value(kind, a, b)
        dL_da, dL_db = chain_rule.gate_gradients(kind, a, b, upstream)
        measured_a = (L_near(kind, a + h, b) - L_near(kind, a - h, b)) / (2 * h)
        measured_b = (L_near(kind, a, b + h) - L_near(kind, a, b - h)) / (2 * h)
        print(f"{kind:<8} {out:+5.1f}   {dL_da:+6.2f}   {dL_db:+6.2f}   {measured_a:+14.6f}"
              f"   {measured_b:+14.6f}")
    """),
    md(r"""
    Add hands 0.5 to both; multiply hands $a$ the upstream times $b$ ($0.5 \cdot (-3) =
    -1.5$) and $b$ the upstream times $a$ ($0.5 \cdot 2 = 1$); max sends all 0.5 to $a$, the
    larger, and 0 to $b$. The measured slopes agree.

    The course network is built from these gates. $z_{31} = W_4 O_{21} + W_5 O_{22} + b_4$
    is two multiply gates feeding add gates: the add gates hand $\partial L/\partial z_{31}$
    unchanged to $b_4$ (so $\partial L/\partial b_4 = \partial L/\partial z_{31}$) and to each
    product, and the product $W_4 O_{21}$ swaps:
    $\partial L/\partial W_4 = \partial L/\partial z_{31}\cdot O_{21}$ and
    $\partial L/\partial O_{21} = \partial L/\partial z_{31}\cdot W_4$, the rule you
    derived in `edge_derivatives`, with $\sigma'$ already inside
    $\partial L/\partial z_{31}$. Gate by gate, against backpropagation:
    """),
    code(r"""
    dL_dz31 = d["dL/dO31"] * f["O31"] * (1 - f["O31"])   # through the sigmoid of O31
    products = params["W4"] * f["O21"] + params["W5"] * f["O22"]
    to_products, to_b4 = chain_rule.gate_gradients("add", products, params["b4"], dL_dz31)
    to_W4_O21, to_W5_O22 = chain_rule.gate_gradients(
        "add", params["W4"] * f["O21"], params["W5"] * f["O22"], to_products)
    to_W4, to_O21 = chain_rule.gate_gradients("multiply", params["W4"], f["O21"], to_W4_O21)
    grads, nodes = cn.gradients(x, y, params), cn.node_gradients(x, y, params)
    print(f"dL/db4  by the gates: {to_b4:+.8f}   by backpropagation: {grads['b4']:+.8f}")
    print(f"dL/dW4  by the gates: {to_W4:+.8f}   by backpropagation: {grads['W4']:+.8f}")
    print(f"dL/dO21 by the gates: {to_O21:+.8f}   by backpropagation: {nodes['O21']:+.8f}")
    """),
    md(r"""
    The max gate does not appear in the course network, but $\max(z, 0)$ is the ReLU
    activation many modern networks use in place of the sigmoid: it passes the upstream
    gradient through where $z > 0$ and stops it where $z < 0$. And where one value feeds
    two nodes, as $O_{11}$ feeds $O_{21}$ and $O_{22}$, the gradients coming back from
    both **add**: the two paths of $W_1$, seen from below.

    ## Summary

    - **Chain rule, one chain:** the derivative through a chain of functions is the
      **product of the local derivatives** of its links,
      $\frac{dL}{dx} = \frac{dL}{dv}\frac{dv}{du}\frac{du}{dx}$, because each link scales a
      small nudge by its own derivative. For $u = 3x + 1$, $v = \sigma(u)$, $L = (1 - v)^2$
      the product matched the numerical derivative to about nine digits.
    - **In a network:** each edge carries a local derivative (for a sigmoid neuron,
      $\sigma'(z)$ times the weight for an input, times the input for a weight); one
      **path**'s contribution is the product along it. $W_4$ has one path:
      $\frac{\partial L}{\partial W_4}
      = \frac{\partial L}{\partial O_{31}}\frac{\partial O_{31}}{\partial W_4}
      = -2(y - O_{31})\,O_{31}(1 - O_{31})\,O_{21}$.
    - **Several paths add:** $W_1$ reaches $L$ through $O_{21}$ and through $O_{22}$, and
      by the total derivative their effects add, so $\partial L/\partial W_1$ is the **sum
      of the two path products**; either alone is wrong.
    - The sums over paths equal the numerical derivatives and backpropagation's gradients
      for all nine parameters; backpropagation is the efficient way to compute them.
    - **Local derivatives, derived:** a weighted edge into a sigmoid neuron carries
      $\partial O/\partial a = O(1 - O)\,W$ and $\partial O/\partial W = O(1 - O)\,a$, with
      $\sigma'(z) = O(1 - O)$ from the output and each factor of $W\cdot a$ scaled by the
      other.
    - **Gates:** add distributes the upstream gradient unchanged, multiply swaps (each
      input gets upstream × the other input), max routes it to the larger input.

    Next, one neuron on its own: its two gradients and the updates of its weight and bias.

    [Next: 03 One neuron: weight and bias updates](03_one_neuron.ipynb)
    """),
]
