"""Lesson 07, Reverse-mode autodiff: a program as a graph of operations, each with its
local derivatives; the backward pass in reverse topological order, with accumulation at
shared nodes; forward mode with dual numbers; why reverse mode wins for one loss and many
weights; backpropagation as reverse-mode autodiff of a network's loss."""

from backprop_lessons.tools.authoring import code, exercise, md, setup

CELLS = [
    md(r"""
    # 07 · Reverse-mode autodiff

    **What this lesson derives.** Lessons 02 to 05 computed gradients with formulas
    derived by hand for one network. **Automatic differentiation** (*autodiff*) computes
    the exact derivatives of any program built from simple operations, by applying the
    chain rule mechanically, one operation at a time. We derive

    1. a program as a **computational graph**: each operation is a node that knows its
       forward value and its **local derivatives** with respect to its inputs;
    2. the **backward pass**: seed $\partial L/\partial L = 1$, then visit the nodes in
       **reverse topological order**, each passing
       $\text{grad} \times \text{local derivative}$ to its inputs, **adding** where a node
       is used twice (lesson 02's sum over paths);
    3. the whole **engine**, as a class of your own: operations that record their local
       derivatives, `backward()`, and `zero_grad()` between two backward passes;
    4. that **backpropagation is reverse-mode autodiff** applied to a network's loss: the
       engine's gradients equal those of lessons 02 and 05;
    5. **forward mode** with **dual numbers**, which carries derivatives forwards instead;
    6. why, for one loss and $n$ weights, reverse mode needs **one** backward pass where
       forward mode needs $n$ passes.

    You write the local derivatives of an operation, a topological order of a graph and
    the backward pass over a graph; then you put them together in a `Value` class of your
    own, the whole engine; last, the product of two dual numbers.
    """),
    setup("lesson_07", imports="""
    from backprop_lessons.maths import autodiff
    from backprop_lessons.maths import course_network as cn
    from backprop_lessons.viz import figures
    from backprop_lessons.maths import modes
    from backprop_lessons.maths.autodiff import Value
    from backprop_lessons.maths.calculus import numerical_derivative
    from backprop_lessons.maths.losses import mse_grad
    from backprop_lessons.widgets import Picture
    """),
    md(r"""
    ## 1. A program is a graph of operations

    Take one linear neuron with a squared error, the smallest loss with a weight, a bias,
    an input and a target:

    $$L = (w\cdot x + b - y)^2 \qquad\text{at } w = 2,\; x = 1.5,\; b = -1,\; y = 1.$$

    Python evaluates it one operation at a time: first $w\cdot x$, then $+\,b$, then
    $-\,y$, then the square. The package's `Value` is a number that **records** each
    operation as it happens: the result remembers which Values it was computed from (its
    *children*) and the operation. Each intermediate gets a label so that we can talk
    about it.
    """),
    code(r"""
    w, x = Value(2.0, label="w"), Value(1.5, label="x")
    b, y = Value(-1.0, label="b"), Value(1.0, label="y")
    wx = w * x;      wx.label = "w·x"
    z = wx + b;      z.label = "z"
    d = z - y;       d.label = "z − y"
    L = d ** 2;      L.label = "L"

    for node in L.nodes():
        inputs = ", ".join(c.label for c in node.children) or "(a leaf: an input)"
        print(f"{node.label:>6} = {node.data:+.2f}   op {node.op or 'leaf':>4}   from {inputs}")
    """),
    md(r"""
    `L.nodes()` lists every node once, and each node comes **after** the nodes it is
    computed from: the leaves $w, x, b, y$ (inputs and parameters) before $w\cdot x$,
    $w\cdot x$ before $z$, and $L$ last. Such an order is called a **topological order**.
    Evaluating the nodes in that order is the **forward pass**: every node's inputs are
    ready when it is computed. The forward values are $w\cdot x = 3$, $z = 2$,
    $z - y = 1$ and $L = 1$.

    The same program drawn as a graph, inputs on the left, the loss on the right. Each box
    shows a node's forward value (`data`) and its gradient (`grad`), still 0 because
    nothing has been differentiated yet:
    """),
    code(r"""
    Picture(figures.computational_graph(L), "the graph of L = (w·x + b − y)² after the "
            "forward pass: every grad is still 0")
    """),
    md(r"""
    ## 2. Every operation knows its local derivatives

    A node's **local derivative** with respect to one of its inputs is how fast the node
    moves when that input alone is nudged, everything else held fixed. It only looks at
    one operation, so it is easy:

    | operation | local derivatives |
    |---|---|
    | $out = a + b$ | $\partial out/\partial a = 1$, $\;\partial out/\partial b = 1$ |
    | $out = a - b$ | $\partial out/\partial a = 1$, $\;\partial out/\partial b = -1$ |
    | $out = a \cdot b$ | $\partial out/\partial a = b$, $\;\partial out/\partial b = a$ |
    | $out = a^2$ | $\partial out/\partial a = 2a$ |
    | $out = \tanh a$ | $1 - \tanh^2 a$ |
    | $out = \sigma(a)$ | $\sigma(a)\,(1 - \sigma(a))$ |

    The product is the one to remember: nudging $a$ by $\Delta a$ moves $a\cdot b$ by
    $b\,\Delta a$, so each input's local derivative is the **other** input. `Value`
    computes these numbers during the forward pass, while the input values are at hand,
    and stores them beside the operation (`local_grads`, one per child):
    """),
    code(r"""
    for node in L.nodes():
        if node.children:
            parts = [f"d({node.label})/d({c.label}) = {g:+.2f}"
                     for c, g in zip(node.children, node.local_grads)]
            print(f"{node.label:>6} [{node.op:>3}]   " + ",  ".join(parts))
    """),
    md(r"""
    At $w = 2$, $x = 1.5$: $\partial(w\cdot x)/\partial w = x = 1.5$ and
    $\partial(w\cdot x)/\partial x = w = 2$; the square's local derivative is
    $2\,(z - y) = 2$. These numbers are all the backward pass needs: it never
    differentiates the program as a whole, only multiplies and adds local derivatives.
    """),
    *exercise("local_gradients", intro=r"""
    ### Exercise 1: `local_gradients(op, inputs)`

    Return the local derivatives of one operation as a tuple, one per input, in the order
    of `inputs`. `op` is `"+"`, `"*"`, `"tanh"` or `"sigmoid"`; `inputs` holds the forward
    values of the inputs (two numbers for `"+"` and `"*"`, one for `"tanh"` and
    `"sigmoid"`). Example: `local_gradients("*", [2.0, 3.0])` is `(3.0, 2.0)`.
    """),
    md(r"""
    ## 3. The backward pass, by hand

    We want $\partial L/\partial(\text{node})$ for every node. Start at the top: $L$
    changes exactly as fast as itself, so

    $$\frac{\partial L}{\partial L} = 1 .$$

    Then go down one operation at a time. If we already know $\partial L/\partial n$ for a
    node $n$, the chain rule (lesson 02) gives each of its children $c$ the contribution

    $$\frac{\partial L}{\partial n}\cdot\frac{\partial n}{\partial c}
    \qquad(\text{the node's gradient} \times \text{the local derivative}).$$

    Written out for our graph, one line per node, from $L$ down to the leaves:
    """),
    code(r"""
    local = {node.label: dict(zip([c.label for c in node.children], node.local_grads))
             for node in L.nodes() if node.children}
    grad = {"L": 1.0}                                          # dL/dL = 1
    grad["z − y"] = grad["L"] * local["L"]["z − y"]            # 1 · 2(z − y)
    grad["z"] = grad["z − y"] * local["z − y"]["z"]            # · 1
    grad["y"] = grad["z − y"] * local["z − y"]["y"]            # · (−1)
    grad["w·x"] = grad["z"] * local["z"]["w·x"]                # · 1
    grad["b"] = grad["z"] * local["z"]["b"]                    # · 1
    grad["w"] = grad["w·x"] * local["w·x"]["w"]                # · x
    grad["x"] = grad["w·x"] * local["w·x"]["x"]                # · w
    print("  ".join(f"dL/d({k}) = {v:+.2f}" for k, v in grad.items()))
    """),
    md(r"""
    So $\partial L/\partial w = 3$: the gradient $2\,(z - y) = 2$ that reaches $w\cdot x$,
    times the local derivative $x = 1.5$. And $\partial L/\partial b = 2$: the bias passes
    the error signal through unchanged, as lesson 03 found. `L.backward()` does exactly
    these steps and stores each result in the node's `grad`. The numerical derivative of
    lesson 01 agrees:
    """),
    code(r"""
    L.backward()
    by_nudging = numerical_derivative(lambda w_: (w_ * 1.5 + (-1.0) - 1.0) ** 2, 2.0)
    for node in (w, x, b, y):
        print(f"dL/d{node.label} = {node.grad:+.4f}   (by hand {grad[node.label]:+.4f})")
    print(f"numerical dL/dw at w = 2: {by_nudging:+.10f}")
    Picture(figures.computational_graph(L), "the graph of L = (w·x + b − y)² after "
            "L.backward(): " + ", ".join(f"dL/d{n.label} = {n.grad:g}" for n in (w, x, b, y)))
    """),
    md(r"""
    ### Why reverse topological order

    In the hand computation each line used a gradient computed on an earlier line. That is
    the rule that fixes the order: **a node may pass its gradient on only once it is
    complete**, that is, once every node that uses it has sent its contribution. The
    users of a node come after it in a topological order, so walking the order
    **backwards** (from $L$ to the leaves) guarantees it. Walking it forwards would pass
    on gradients that are still 0.

    The package's `Value.nodes()` finds a topological order by a **depth-first walk** from
    the root: visit a node's children first, then write the node down; a set of visited
    nodes makes sure that a node reached along two paths is written down once.
    """),
    md(r"""
    For the exercises the graph is plain data: a dict `children` mapping each node's name
    to the names of the nodes it is computed from (a leaf has no entry), and a dict
    `local_grads` with the matching local derivatives. `modes.graph_of` turns a `Value`
    graph into that form:
    """),
    code(r"""
    g = modes.graph_of(L)
    print("children:   ", g.children)
    print("local_grads:", g.local_grads)
    """),
    *exercise("topological_order", intro=r"""
    ### Exercise 2: `topological_order(children, root)`

    Return a list of every node that `root` depends on, `root` included, each exactly
    once, where every node comes **after** all of its children, and `root` last. Any such
    order is accepted (a graph often has several). Example: for
    `children = {"L": ["u", "v"], "u": ["x"], "v": ["x"]}` and `root = "L"`, the answer
    `["x", "u", "v", "L"]` is right, and so is `["x", "v", "u", "L"]`.
    """),
    *exercise("backward_pass", intro=r"""
    ### Exercise 3: `backward_pass(order, children, local_grads)`

    `order` is a topological order (children first, the root `order[-1]` last);
    `children[node]` lists the node's children and `local_grads[node]` their local
    derivatives, in the same order (leaves have no entry). Return a dict with
    $\partial\,\text{root}/\partial\,\text{node}$ for **every** node of `order`: seed the
    root with 1, walk the order from the root down, and **add** each contribution
    $\text{grad}[\text{node}] \times \text{local derivative}$ to the child's gradient.
    """),
    md(r"""
    ## 4. A node used twice: the gradients add

    Why `+=` and not `=`? Look at $L = x\cdot x$. The product has two inputs, and both are
    $x$: the node $L$ lists $x$ as its child **twice**, with local derivative $x$ each
    time. $x$ receives one contribution through each use, and they add up to the familiar
    $\frac{d}{dx}x^2 = 2x$:
    """),
    code(r"""
    t = Value(3.0, label="x")
    square = t * t;  square.label = "L"
    square.backward()
    print("children of L:", [c.label for c in square.children],
          " local derivatives:", square.local_grads)
    print(f"dL/dx = {square.grad * square.local_grads[0]:.1f} + "
          f"{square.grad * square.local_grads[1]:.1f} = {t.grad:.1f}   (2x = {2 * t.data:.1f})")
    """),
    md(r"""
    This is lesson 02's two-path rule, done mechanically. In the course network, $O_{11}$
    feeds both $O_{21}$ and $O_{22}$, so the backward pass reaches it twice: once from the
    product node $W_2\cdot O_{11}$ and once from $W_3\cdot O_{11}$. `modes.course_values`
    builds the course network from Values, every node labelled as in the lessons:
    """),
    code(r"""
    x0, y0 = cn.default_example()
    params = cn.default_params()
    v = modes.course_values(x0, y0, params)
    v["L"].backward()

    via_O21 = v["W2·O11"].grad * params["W2"]     # the contribution through O21
    via_O22 = v["W3·O11"].grad * params["W3"]     # the contribution through O22
    print(f"dL/dO11 = {via_O21:+.8f} (through O21) + {via_O22:+.8f} (through O22) "
          f"= {v['O11'].grad:+.8f}")
    through_O21, through_O22, total = cn.dL_dW1_two_paths(x0, y0, params)
    print(f"dL/dW1 from the engine: {v['W1'].grad:+.10f}")
    print(f"lesson 02, sum of the two path products: {through_O21:+.10f} + {through_O22:+.10f}"
          f" = {total:+.10f}")
    """),
    md(r"""
    The two contributions meet at $O_{11}$ and add; from there on, everything below $O_{11}$
    ($W_1$, $b_1$, $x$) receives the sum. The engine's $\partial L/\partial W_1$ equals the
    sum of lesson 02's two path products. There is a difference in cost, though: listing
    paths repeats the shared beginning of each path, while the backward pass computes every
    node's gradient once and hands it on, so its cost grows with the number of **edges** of
    the graph, not with the number of paths.

    Here is the whole course network as the engine sees it, after `backward()`:
    """),
    code(r"""
    Picture(figures.computational_graph(v["L"]), "the course network as a computational "
            f"graph after L.backward(): {len(v['L'].nodes())} nodes, each with its value and "
            "gradient")
    """),
    md(r"""
    ## 5. Build the engine yourself

    You now hold every piece of an autodiff engine: the local derivatives of each
    operation (exercise 1), a topological order (exercise 2), the backward pass with `+=`
    (exercise 3). Put them together in a class of your own, the size of the core of
    Karpathy's *micrograd*:

    - `Value(data)` holds a number `data` and its gradient `grad` (0 to start), plus the
      `children` it was computed from and their `local_grads`;
    - `a + b`, `a * b` (both Values) and `a.tanh()` each return a **new** Value, whose
      children are the inputs and whose local derivatives are those of exercise 1;
    - `L.backward()` lists the nodes in a topological order, sets `grad = 0` on every
      node computed from others (not on the leaves), seeds `L.grad = 1`, then walks the
      nodes **backwards** and adds `d * node.grad` to each child's `grad`;
    - `L.zero_grad()` sets `grad = 0` on every node `L` depends on.

    Two traps wait in such a class. The first: **`=` instead of `+=`**. Here is the
    backward pass written both ways, run on the package's graphs (their nodes have the
    same `children` and `local_grads`), first on $y = a\cdot a$, then on a node $h$ that
    feeds two others:
    """),
    code(r"""
    def backward_by_hand(root, accumulate=True):
        order = root.nodes()
        for node in order:
            node.grad = 0.0
        root.grad = 1.0
        for node in reversed(order):
            for child, d in zip(node.children, node.local_grads):
                if accumulate:
                    child.grad += d * node.grad    # every contribution adds up
                else:
                    child.grad = d * node.grad     # the bug: the last contribution wins

    a = Value(3.0, label="a")
    y = a * a
    for accumulate in (False, True):
        backward_by_hand(y, accumulate)
        print(f"y = a·a at a = 3, with {'+=' if accumulate else '= '}:  dy/da = {a.grad:g}")
    print("2a =", 2 * a.data)

    x = Value(0.5, label="x")
    h = x.tanh()
    L2 = h * 2.0 + h * h                           # h feeds two nodes: 2·h and h·h
    for accumulate in (False, True):
        backward_by_hand(L2, accumulate)
        print(f"L = 2h + h·h, h = tanh(x), with {'+=' if accumulate else '= '}:  "
              f"dL/dh = {h.grad:.4f},  dL/dx = {x.grad:.4f}")
    numerical = numerical_derivative(lambda x_: 2 * np.tanh(x_) + np.tanh(x_) ** 2, 0.5)
    print(f"numerical dL/dx at x = 0.5: {numerical:.4f}")
    """),
    md(r"""
    With `=`, $y = a\cdot a$ gets $dy/da = 3$, one of its two contributions; with `+=` it
    gets both, $2a = 6$. On the second graph `=` keeps only the contribution that arrived
    last at $h$, and everything below $h$ inherits the error; `+=` agrees with the
    numerical derivative.

    The second trap: **the leaves' gradients accumulate across backward passes**.
    `backward()` first sets `grad = 0` on every node computed from others, never on the
    leaves, then seeds 1 and walks; so a second call on the same graph adds the same
    gradient again to the **leaves**, while each intermediate node holds this call's
    gradient only. `zero_grad()` is what resets the leaves:
    """),
    code(r"""
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    L3 = a * b
    L3.backward()
    print(f"after one backward():              dL/da = {a.grad:g}   (= b)")
    L3.backward()
    print(f"after a second backward():         dL/da = {a.grad:g}   (3 + 3: added up)")
    L3.zero_grad()
    L3.backward()
    print(f"after zero_grad(), then backward(): dL/da = {a.grad:g}")
    """),
    md(r"""
    On a graph with intermediate nodes, $L = \tanh(a\cdot b) + c$, watch the leaf $a$
    and the intermediate node $h = \tanh(a\cdot b)$:
    """),
    code(r"""
    a, b, c = Value(0.5, label="a"), Value(2.0, label="b"), Value(-1.0, label="c")
    h = (a * b).tanh()
    h.label = "h"
    L4 = h + c
    L4.backward()
    once_a, once_h = a.grad, h.grad
    print(f"after one backward():       dL/da = {once_a:.4f}   dL/dh = {once_h:g}")
    L4.backward()
    print(f"after a second backward():  dL/da = {a.grad:.4f}   dL/dh = {h.grad:g}")
    print(f"dL/da: {a.grad / once_a:g} × one pass;  dL/dh: {h.grad / once_h:g} × one pass")
    """),
    md(r"""
    The leaf's gradient doubled; $h$ holds this call's gradient, not the sum of both.
    micrograd itself does not reset the intermediate nodes: there a second call adds to
    their old gradients and passes the sums on, so the leaves get something that is
    neither one nor two gradients.
    """),
    md(r"""
    A training loop computes a new gradient at every step. Without `zero_grad()` before
    each `backward()`, each step's gradient is added to all the earlier ones, and the
    updates go wrong without any error message. PyTorch behaves the same way on purpose
    (its loops call `optimizer.zero_grad()`): adding up lets one sum the gradients of
    several backward passes, for example over several small batches.
    """),
    *exercise("value_engine", intro=r"""
    ### Exercise 4: your own `Value`

    Write the class: `__add__`, `__mul__` and `tanh` (each returns a new Value with its
    children and local derivatives), `backward()` and `zero_grad()` as described above.
    The given `__init__` stores the graph as `children` and `local_grads`; you may store
    it another way (micrograd keeps a small function per node instead), as long as
    `data`, `grad`, `+`, `*`, `tanh`, `backward()` and `zero_grad()` behave as above.
    The check builds small expressions with your class (a sum, a product, tanh, a node
    used twice, a node feeding two others, a tanh neuron), runs `backward()` (in the last
    cases twice, on graphs with and without intermediate nodes, or with `zero_grad()` in
    between) and compares each value and gradient with the package's engine.

    Your class is called `Value`, like the package's: from this cell on, `Value` is
    yours, and the lesson calls the package's `autodiff.Value`.
    """),
    md(r"""
    The package's engine, `autodiff.Value`, which this lesson has used since section 1,
    is **the same algorithm**: each operation records its children and their local
    derivatives, and `backward()` orders the graph by a depth-first walk, starts the nodes
    computed from others at 0, seeds 1, walks the graph backwards and adds. What differs
    is storage: it keeps each node in a more compact, faster form and walks the graph
    without recursion (`benchmarks/bench_autodiff.py`
    measures the speed), and it knows more operations ($-$, $/$, powers, exp, log, σ,
    ReLU, plain numbers as operands). Your class and it,
    on micrograd's tanh neuron $o = \tanh(x_1 w_1 + x_2 w_2 + b)$ (once your check
    passes):
    """),
    code(r"""
    def tanh_neuron(engine):
        x1, w1, x2, w2, b = (engine(v) for v in (2.0, -3.0, 0.0, 1.0, 6.8813735870195432))
        o = (x1 * w1 + x2 * w2 + b).tanh()
        o.backward()
        return o.data, [x1.grad, w1.grad, x2.grad, w2.grad, b.grad]

    print("engine                  o        dL/dx1   dL/dw1   dL/dx2   dL/dw2   dL/db")
    theirs = tanh_neuron(autodiff.Value)
    print(f"package autodiff.Value  {theirs[0]:.4f}  "
          + "  ".join(f"{g:+.4f}" for g in theirs[1]))
    if ex.value_engine.check(Value).passed:
        yours = tanh_neuron(Value)
        print(f"your Value              {yours[0]:.4f}  "
              + "  ".join(f"{g:+.4f}" for g in yours[1]))
        same = all(abs(p - q) <= 1e-12 for p, q in zip(theirs[1], yours[1]))
        print("the same gradients to 1e-12:", same)
    else:
        print("your Value: not run yet (finish exercise 4 first: its check says what is left)")
    """),
    md(r"""
    ## 6. Backpropagation is reverse-mode autodiff

    Lesson 02 (`cn.gradients`) and lesson 05 (the vectorized `Network`, layer by layer)
    computed the course network's gradients with formulas derived for networks. The
    autodiff engine knows nothing about networks, only about $+$, $\cdot$, $\sigma$ and the
    square. As a vectorized network the course network has layers of sizes $[1, 1, 2, 1]$:
    its second layer's weight matrix is $[W_2\; W_3]$ and its third layer's is
    $[W_4\; W_5]^\top$ (`modes.course_network_as_layers`). All three give the same nine
    gradients:
    """),
    code(r"""
    net = modes.course_network_as_layers(params)
    Y, cache = net.forward(np.array([[x0]]))
    layer_grads = net.backward(cache, mse_grad(np.array([[y0]]), Y))
    from_layers = {
        "W1": layer_grads["W1"][0, 0], "b1": layer_grads["b1"][0],
        "W2": layer_grads["W2"][0, 0], "W3": layer_grads["W2"][0, 1],
        "b2": layer_grads["b2"][0], "b3": layer_grads["b2"][1],
        "W4": layer_grads["W3"][0, 0], "W5": layer_grads["W3"][1, 0], "b4": layer_grads["b3"][0],
    }
    by_formula = cn.gradients(x0, y0, params)
    print("param   autodiff (Value)   lesson 02 formulas   lesson 05 Network")
    for name in cn.PARAM_NAMES:
        print(f"{name:>5}   {v[name].grad:+.12f}    {by_formula[name]:+.12f}      "
              f"{float(from_layers[name]):+.12f}")
    agree = all(abs(v[k].grad - by_formula[k]) <= 1e-12
                and abs(v[k].grad - float(from_layers[k])) <= 1e-12 for k in cn.PARAM_NAMES)
    print("all three agree to 1e-12:", agree)
    """),
    md(r"""
    The columns agree to the last printed digit (any difference is at the level of float64
    rounding). Backpropagation is not a separate trick: it is reverse-mode autodiff
    applied to a network's loss. The layer formulas of lesson 05, $\partial L/\partial W =
    X^\top\delta$ and $\partial L/\partial X = \delta W^\top$, are the same local
    derivatives grouped into matrices, so that numpy does a whole layer in one operation.
    """),
    md(r"""
    ## 7. Forward mode: dual numbers

    There is a second way to automate the chain rule: carry derivatives **forwards**,
    alongside the values. Pick one input $t$ to differentiate with respect to, and replace
    every number $a$ of the program by a pair $(a, \dot a)$ with $\dot a = da/dt$, its
    **tangent**. The input itself starts as $(t, 1)$ (since $dt/dt = 1$) and every other
    input as $(\cdot, 0)$. Each operation then computes its value and its tangent side by
    side:

    $$(a, \dot a) + (b, \dot b) = (a + b,\; \dot a + \dot b), \qquad
    (a, \dot a)\cdot(b, \dot b) = (a b,\; \dot a\, b + a\, \dot b), \qquad
    f\big((a, \dot a)\big) = \big(f(a),\; f'(a)\,\dot a\big).$$

    These pairs are called **dual numbers**, $a + \dot a\,\varepsilon$ with
    $\varepsilon^2 = 0$: multiplying out $(a + \dot a\varepsilon)(b + \dot b\varepsilon)$
    gives $ab + (\dot a b + a\dot b)\varepsilon + \dot a\dot b\,\varepsilon^2$, and the last
    term vanishes, which leaves exactly the product rule. `modes.Dual` implements them:
    """),
    code(r"""
    s = modes.Dual(0.5, 1.0)        # the input t = 0.5, seeded with dt/dt = 1
    outputs = {"t·t": s * s, "tanh(t)": s.tanh(), "σ(3t)": (s * 3.0).sigmoid()}
    for name, out in outputs.items():
        print(f"{name:>8}: value {out.value:.6f}, tangent d/dt = {out.dot:.6f}")
    """),
    md(r"""
    One forward pass gave the derivative of **every output** with respect to the **one**
    input we seeded: $\frac{d}{dt}t^2 = 2t = 1$, $\frac{d}{dt}\tanh t = 1 - \tanh^2 t$,
    $\frac{d}{dt}\sigma(3t) = 3\sigma'(3t)$. No graph is stored and nothing runs backwards.
    """),
    *exercise("dual_multiply", intro=r"""
    ### Exercise 5: `dual_multiply(a, a_dot, b, b_dot)`

    Return the product of the dual numbers $(a, \dot a)$ and $(b, \dot b)$ as a pair
    `(value, tangent)`, where `a_dot` $= da/dt$ and `b_dot` $= db/dt$.
    """),
    md(r"""
    ## 8. Forward or reverse: count the passes

    For a network, the input we differentiate with respect to is a **weight**. Forward
    mode seeds one weight per pass, so the gradient of the loss with respect to all $n$
    weights and biases takes $n$ passes. Reverse mode needs one forward pass (to build the
    graph and its local derivatives) and one backward pass, whatever $n$. Both give the
    same numbers. The course network written with scalars (`modes.network_loss`, layers
    $[1, 1, 2, 1]$; its parameters in the order $W_1, b_1, W_2, W_3, b_2, b_3, W_4, W_5,
    b_4$):
    """),
    code(r"""
    theta = [params[k] for k in ("W1", "b1", "W2", "W3", "b2", "b3", "W4", "W5", "b4")]

    def course_loss(t):
        return modes.network_loss(t, [1, 1, 2, 1], [x0], [y0])

    forward_grads = modes.forward_mode_gradient(course_loss, theta)    # one pass per parameter
    reverse_grads = modes.reverse_mode_gradient(course_loss, theta)    # one forward + one backward
    print("forward mode:", [round(gr, 6) for gr in forward_grads])
    print("reverse mode:", [round(gr, 6) for gr in reverse_grads])
    agree = all(abs(p - q) <= 1e-12 for p, q in zip(forward_grads, reverse_grads))
    print("the two agree to 1e-12:", agree)
    """),
    md(r"""
    The same nine gradients. Now the cost. One pass costs about as many operations as the
    graph has nodes (forward mode computes each value and its tangent; the backward pass
    visits each node once), so we count **operations**, not seconds: `modes.pass_counts`
    builds the graph of one example's loss and counts its operations (the nodes that
    are not leaves), for networks of growing
    size.
    """),
    code(r"""
    print("layers          weights+biases   ops/pass   forward mode: passes, ops   "
          "reverse mode: passes, ops   ratio")
    for sizes in ([1, 1, 2, 1], [2, 4, 1], [10, 20, 1], [64, 32, 10]):
        c = modes.pass_counts(sizes)
        ratio = c["forward_mode_ops"] / c["reverse_mode_ops"]
        print(f"{str(sizes):15} {c['n_params']:>14}   {c['ops']:>8}   {c['forward_passes']:>12},"
              f" {c['forward_mode_ops']:>10}   {c['reverse_passes']:>12}, "
              f"{c['reverse_mode_ops']:>10}   {ratio:>6.1f}")
    n_million = 1_000_000
    print(f"a network with {n_million:,} weights: {n_million:,} forward-mode passes "
          f"against 2 for reverse mode")
    """),
    md(r"""
    Forward mode's work grows with the number of weights times the size of the graph;
    reverse mode's stays at two passes, so the ratio is $n/2$, and it only grows with the
    network.

    That ratio is a **model**: it charges one unit of work per node per pass. Count the
    arithmetic instead. A node with $k$ children (2 for a sum or product of two values,
    1 for a sigmoid) costs, in forward mode, its value, its $k$ local derivatives, $k$
    products with the children's tangents and $k - 1$ additions: $3k$ operations, in each
    of the $n$ passes. In reverse mode it costs its value and $k$ local derivatives once
    (the forward pass), then $k$ products and $k$ additions into the children's `.grad`
    (the backward pass): $1 + 3k$. So a node costs about as much in one forward-mode pass
    as in the whole reverse mode, and the ratio is close to $n$, not $n/2$:
    """),
    code(r"""
    def arithmetic(sizes):
        rng = np.random.default_rng(0)
        n = modes.n_parameters(sizes)
        theta = [autodiff.Value(float(v)) for v in rng.normal(size=n)]
        loss = modes.network_loss(theta, sizes, list(rng.normal(size=sizes[0])),
                                  list(rng.uniform(size=sizes[-1])))
        seen, stack, per_pass, reverse = set(), [loss], 0, 0
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            k = len(node.children)
            if k:
                per_pass += 3 * k      # value, k local derivatives, k products, k - 1 sums
                reverse += 1 + 3 * k   # value, k local derivatives, k products, k sums
            stack.extend(node.children)
        return n, n * per_pass, reverse

    print("layers          n   forward-mode ops   reverse-mode ops   ratio   model n/2")
    for sizes in ([1, 1, 2, 1], [2, 4, 1], [10, 20, 1]):
        n, fwd_ops, rev_ops = arithmetic(sizes)
        print(f"{str(sizes):13} {n:>4}   {fwd_ops:>16,}   {rev_ops:>16,}   "
              f"{fwd_ops / rev_ops:>5.0f}   {n / 2:>9.1f}")
    """),
    md(r"""
    The arithmetic ratio is $0.85\,n$ or so (206 for $n = 241$), 1.7 times the model's.
    A real run differs again, by
    what neither count sees: the cost of each operation in the language that runs it (a
    Python object per node here, created anew in every forward-mode pass), memory
    traffic, and how well the two modes' loops suit the machine. Timings therefore vary
    from machine to machine, and the course does not print them; what holds everywhere is
    the shape of the result: forward mode's work grows with $n$ times the graph,
    reverse mode's with the graph alone.

    With one loss and many weights, **reverse mode wins**, which is why every
    deep-learning library trains networks with it.

    Forward mode is not useless: it wins in the opposite case, a function with **few
    inputs and many outputs** (one pass per input gives the derivatives of all outputs),
    and it needs no stored graph. Reverse mode pays for its speed with memory: the forward
    pass must keep every intermediate value (the cache of lesson 04) until the backward
    pass has used it.

    | | forward mode (dual numbers) | reverse mode (backpropagation) |
    |---|---|---|
    | one pass gives | ∂(every output)/∂(one input) | ∂(one output)/∂(every input) |
    | gradient of one loss over $n$ weights | $n$ passes | 1 forward + 1 backward |
    | memory | the current values only | every intermediate of the forward pass |
    """),
    md(r"""
    ## Summary

    - A program built from simple operations is a **computational graph**; each node
      stores its forward value and its **local derivatives** ($a + b \to 1, 1$;
      $a\cdot b \to b, a$; $\tanh a \to 1 - \tanh^2 a$; $\sigma(a) \to \sigma(1-\sigma)$).
    - **Reverse mode**: seed $\partial L/\partial L = 1$; visit the nodes in **reverse
      topological order**, so that each node's gradient is complete before it is passed
      on; each node adds $\text{grad} \times \text{local derivative}$ to each child. A node
      used twice **accumulates** both contributions: lesson 02's sum over paths, done
      mechanically. For $L = (w\cdot x + b - y)^2$ at $w = 2$, $x = 1.5$, $b = -1$, $y = 1$:
      $\partial L/\partial w = 3$, $\partial L/\partial b = 2$.
    - A **topological order** lists every node after its children; a depth-first walk
      with a set of visited nodes finds one.
    - The whole **engine** fits in one small class: each operation returns a new Value
      with its children and local derivatives; `backward()` seeds 1 and adds (`+=`, never
      `=`) in reverse topological order, each node computed from others starting at 0;
      the leaves' gradients **accumulate across backward calls** until `zero_grad()`.
      The package's `autodiff.Value` is the same algorithm with a faster storage.
    - **Forward mode** carries a tangent with every value (dual numbers,
      $\varepsilon^2 = 0$, the product rule built in); one pass gives the derivatives of
      every output with respect to **one** input.
    - For one loss and $n$ weights, forward mode needs $n$ passes and reverse mode two
      (one forward, one backward): the ratio of work is $n/2$ in passes, and nearer $n$
      counted in arithmetic (a forward-mode pass costs each node about what the whole
      reverse mode does).
    - **Backpropagation is reverse-mode autodiff** of a network's loss: the engine's
      gradients of the course network equal lesson 02's formulas and lesson 05's
      vectorized network.

    Next: how to be sure a gradient is right, whoever computed it.

    [Next: 08 Gradient checking](08_gradient_checking.ipynb)
    """),
]
