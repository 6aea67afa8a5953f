"""Lesson 01, Slopes and the sign of the gradient: the derivative as the slope of a
tangent (numerically, then exactly), the update W_new = W_old - eta dL/dW_old, why the
sign of the slope sets the direction of the step, and what the learning rate does."""

from backprop_lessons.tools.authoring import code, exercise, md, setup

CELLS = [
    md(r"""
    # 01 · Slopes and the sign of the gradient

    **What this lesson derives.** The derivative as the slope of a tangent, measured
    numerically and then exactly; the gradient-descent update of one weight,

    $$W_{new} = W_{old} - \eta\,\frac{\partial L}{\partial W_{old}},$$

    why the **sign** of the slope decides whether $W$ grows or shrinks (the step always
    goes downhill), and how the **learning rate** $\eta$ decides whether descent creeps,
    converges, oscillates or diverges; and **why** a small enough step always lowers the
    loss, $\Delta L \approx -\eta\,(\partial L/\partial W)^2 \le 0$. You will write five
    functions: a numerical derivative, one weight update, the direction of a step, the
    predicted change of the loss, and a whole descent run.
    """),
    setup("lesson_01", imports="""
    from backprop_lessons.maths import calculus, descent, updates
    from backprop_lessons.viz import figures
    from backprop_lessons import widgets
    """),
    md(r"""
    ## The loss as a function of one weight

    A network's loss $L$ depends on all its weights. Freeze all of them but one, $W$, and
    the loss becomes an ordinary function of one number, a curve $L(W)$ we can draw.
    Throughout this lesson we use the simplest such curve, a bowl:

    $$L(W) = \tfrac12\,(W - 2)^2 + 0.3 .$$

    It is lowest at $W = 2$. Training must find that $W$ without seeing the curve: all it
    can do is stand at its current $W$ and feel the slope under its feet.

    ## A slope, measured

    Stand at $W = 0.4$. Move a tiny bit to the right, $h = 10^{-4}$, and see how much the
    loss changes: rise over run.
    """),
    code(r"""
    W, h = 0.4, 1e-4
    L_here, L_right = descent.loss_1d(W), descent.loss_1d(W + h)
    print(f"L({W}) = {L_here:.8f}")
    print(f"L({W} + h) = {L_right:.8f}")
    print(f"rise / run = ({L_right:.8f} - {L_here:.8f}) / {h} = {(L_right - L_here) / h:.6f}")
    """),
    md(r"""
    The loss *falls* by about 1.6 for each unit of $W$ we move right: the slope at
    $W = 0.4$ is about $-1.6$. That is what a derivative is: the slope of the line that
    touches the curve at one point, the **tangent**,

    $$\frac{dL}{dW}(W) = \lim_{h \to 0} \frac{L(W + h) - L(W)}{h}.$$

    A computer cannot take the limit, so it picks a small $h$. The one-sided difference
    above leans to the right of $W$ and its error shrinks only in proportion to $h$. Looking
    both ways, from $W - h$ to $W + h$ (a run of $2h$), cancels that leaning:

    $$\frac{dL}{dW}(W) \approx \frac{L(W + h) - L(W - h)}{2h} \qquad \text{(central difference)},$$

    whose error shrinks like $h^2$. Here are both, for shrinking $h$; the exact slope at
    $0.4$ is $-1.6$ (we derive it below):
    """),
    code(r"""
    print("      h    one-sided    its error    central     its error")
    for h in (1e-1, 1e-2, 1e-3, 1e-4, 1e-8, 1e-11):
        one_sided = (descent.loss_1d(W + h) - descent.loss_1d(W)) / h
        central = (descent.loss_1d(W + h) - descent.loss_1d(W - h)) / (2 * h)
        print(f"{h:7.0e}  {one_sided:+.8f}  {abs(one_sided + 1.6):.1e}  "
              f"{central:+.8f}  {abs(central + 1.6):.1e}")
    """),
    md(r"""
    In the first four rows the one-sided error is $h/2$: it falls tenfold when $h$ does.
    The central difference is right at each of those $h$, up to rounding: on a parabola
    the curvature errors of the two sides cancel exactly, so this table cannot show its
    own error shrinking. Do not take $h$ *too* small, though: look at the last two rows.
    There the two losses agree in almost all their digits, the subtraction loses those
    digits to rounding, and the error grows again as $h$ shrinks.

    To see both effects at once, take a curve where the central difference does err:
    $f(w) = w^3$, slope $3w^2 = 3$ at $w = 1$, whose central difference is off by
    exactly $h^2$ before rounding. (It uses only $\times$, $+$, $-$ and $\div$, which
    every computer rounds the same way, so these digits are the same on yours.)
    """),
    code(r"""
    def cube(w):
        return w * w * w

    print("      h    central          its error")
    for h in (1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-10, 1e-12):
        central = (cube(1 + h) - cube(1 - h)) / (2 * h)
        print(f"{h:7.0e}  {central:.12f}  {abs(central - 3):.1e}")
    """),
    md(r"""
    The error is a U. From $h = 10^{-1}$ to $10^{-4}$ it is $h^2$ (truncation): it falls
    a hundredfold per row. From $h = 10^{-5}$ to $10^{-7}$ it stays near $10^{-10}$ and
    below, where truncation and rounding are both small; below that rounding takes over
    and the error grows again, to $10^{-4}$ at $h = 10^{-12}$. A step around
    $10^{-5}$ is a good compromise in float64: truncation has fallen to about
    $10^{-10}$, and rounding has not yet grown. (Lesson 08 works out where the bottom of
    the U lies.)

    Now write the rule as a function of any $f$ and any $x$.
    """),
    exercise("numerical_derivative", intro=r"""
    ### Exercise 1: `numerical_derivative(f, x, h=1e-5)`

    Return the central-difference slope of the function `f` at `x`:
    $\big(f(x + h) - f(x - h)\big) / (2h)$. `f` takes one number and returns one number.
    """),
    md(r"""
    The package's version is the same rule; it is what the rest of the course uses. At
    our point it agrees with the number we measured by hand:
    """),
    code(r"""
    print(f"calculus.numerical_derivative(loss_1d, 0.4) = "
          f"{calculus.numerical_derivative(descent.loss_1d, 0.4):.10f}")
    """),
    md(r"""
    ## The slope, exactly

    For a formula we can do better than measure: the rules of differentiation give the
    slope everywhere at once. With the power rule and the chain rule (lesson 02 derives
    it), $\frac{d}{dW}\,\tfrac12(W - 2)^2 = \tfrac12 \cdot 2\,(W - 2) \cdot 1$, so

    $$\frac{\partial L}{\partial W} = W - 2 .$$

    (The curly $\partial$ marks a **partial derivative**: the slope in $W$ with every other
    weight of the network held fixed. Our $L$ has only one weight, so $\partial L/\partial W$
    and $dL/dW$ are the same number; the course writes $\partial$ from here on because a
    real loss depends on many weights.)

    Negative left of the bottom, zero at it, positive right of it. Checked against the
    measured slope at a few points:
    """),
    code(r"""
    print("   W    measured (h = 1e-5)   exact W - 2")
    for W in (-1.5, 0.4, 2.0, 3.6):
        measured = calculus.numerical_derivative(descent.loss_1d, W)
        print(f"{W:+.1f}    {measured:+.10f}       {descent.dloss_1d(W):+.4f}")
    """),
    md(r"""
    A backward pass computes exact slopes like this one, for every weight of a network at
    once; the numerical slope stays useful as an independent **check** of it (lesson 05
    does exactly that).

    ## One step downhill

    Gradient descent moves the weight a little *against* its slope:

    $$W_{new} = W_{old} - \eta\,\frac{\partial L}{\partial W_{old}}$$

    where $\eta > 0$ is the learning rate. The slope is taken at $W_{old}$, where the
    weight is now. One step from $W_{old} = 0.4$ with $\eta = 0.5$:
    """),
    code(r"""
    W_old, eta = 0.4, 0.5
    slope = descent.dloss_1d(W_old)
    W_new = updates.weight_update(W_old, slope, eta)
    print(f"dL/dW at W_old = {W_old}: {slope:+.2f}")
    print(f"W_new = {W_old} - {eta} * ({slope:+.2f}) = {W_new:.2f}")
    print(f"loss: {descent.loss_1d(W_old):.4f} -> {descent.loss_1d(W_new):.4f}")
    """),
    md(r"""
    The weight moved from 0.4 to 1.2, towards the bottom at 2, and the loss fell from
    1.58 to 0.62. Your turn to write the update. It must work for one number and for a
    whole NumPy array of weights with their slopes (the same rule, entry by entry), and it
    must return a new value without changing its inputs.
    """),
    exercise("weight_update", intro=r"""
    ### Exercise 2: `weight_update(W_old, dL_dW, eta)`

    Return $W_{new} = W_{old} - \eta\,\partial L/\partial W_{old}$.
    """),
    md(r"""
    ## The sign of the slope sets the direction

    Why does the minus sign always send $W$ the right way? Write the slope as a sign and a
    size, $|\partial L/\partial W|$, and look at the three cases ($\eta > 0$ always):

    - **Negative slope** (the loss falls to the right, so the bottom is to the right):
      $W_{new} = W_{old} - \eta\,(-|\partial L/\partial W|)
      = W_{old} + \eta\,|\partial L/\partial W|$, so $W_{new} > W_{old}$: $W$ grows, it
      moves right, downhill.
    - **Positive slope** (the loss rises to the right, the bottom is to the left):
      $W_{new} = W_{old} - \eta\,|\partial L/\partial W|$, so $W_{new} < W_{old}$: $W$
      shrinks, it moves left, downhill.
    - **Zero slope** (the bottom, or a flat stretch): $W_{new} = W_{old}$, no change.

    Whichever side of the bottom we stand on, the step goes downhill. The three cases on
    our bowl:
    """),
    code(r"""
    eta = 0.5
    for W_old in (0.4, 3.6, 2.0):
        slope = descent.dloss_1d(W_old)
        W_new = updates.weight_update(W_old, slope, eta)
        relation = ">" if W_new > W_old else ("<" if W_new < W_old else "=")
        print(f"W_old = {W_old:.1f}: slope {slope:+.2f}, W_new = {W_new:.2f} {relation} W_old, "
              f"direction {updates.step_direction(slope)}, "
              f"loss {descent.loss_1d(W_old):.2f} -> {descent.loss_1d(W_new):.2f}")
    """),
    md(r"""
    From 0.4 (slope $-1.6$) the weight grows to 1.2; from 3.6 (slope $+1.6$) it shrinks to
    2.8; at 2.0 (slope 0) it stays. Both moving steps lower the loss, from 1.58 to 0.62.

    ![The tangent at W = 0.4 has a negative slope and the step moves right; the tangent at
    W = 3.6 has a positive slope and the step moves left.](../figures/slope_sign-light.png)
    """),
    exercise("step_direction", intro=r"""
    ### Exercise 3: `step_direction(dL_dW)`

    From a slope alone, say which way gradient descent moves the weight: return `+1` if
    $W$ grows, `-1` if it shrinks, `0` if it stays.
    """),
    md(r"""
    ## Why the update lowers the loss

    The three cases say the step goes downhill from either side. One line says it for
    every slope at once. The tangent at $W_{old}$ says that a small move $\Delta W$
    changes the loss by about the slope times the move,
    $\Delta L \approx \frac{\partial L}{\partial W}\,\Delta W$. The step's move is
    $\Delta W = -\eta\,\frac{\partial L}{\partial W}$, so

    $$\Delta L \approx \frac{\partial L}{\partial W}\cdot
    \Big(-\eta\,\frac{\partial L}{\partial W}\Big)
    = -\eta\,\Big(\frac{\partial L}{\partial W}\Big)^2 \;\le\; 0 .$$

    The square does what the sign cases did by hand: a negative slope times a positive
    move, or a positive slope times a negative move, is negative either way. Only a zero
    slope leaves the loss where it is (to first order).

    The $\approx$ is the tangent's promise, and it holds only for small steps. Our bowl
    bends up away from its tangent: over a move $\Delta W$ it rises
    $\tfrac12\,\frac{\partial^2 L}{\partial W^2}\,\Delta W^2$ above it, and its
    curvature $\frac{\partial^2 L}{\partial W^2}$ is 1 everywhere. So on the bowl the
    change is exactly

    $$\Delta L = -\eta\,\Big(\frac{\partial L}{\partial W}\Big)^2
    + \tfrac12\,\eta^2\,\Big(\frac{\partial L}{\partial W}\Big)^2
    = -\eta\,\Big(\frac{\partial L}{\partial W}\Big)^2\Big(1 - \frac{\eta}{2}\Big).$$

    Predicted and actual change, one step from $W_{old} = 0.4$ (slope $-1.6$):
    """),
    code(r"""
    W_old = 0.4
    slope = descent.dloss_1d(W_old)
    print(" eta  W_new   predicted      actual  second order  actual / predicted")
    print("            -eta*slope^2      change")
    for eta in (0.01, 0.1, 0.5, 1.8, 2.5):
        W_new = updates.weight_update(W_old, slope, eta)
        predicted = descent.predicted_loss_change(slope, eta)
        actual = descent.loss_1d(W_new) - descent.loss_1d(W_old)
        second = descent.second_order_loss_change(slope, eta, 1.0)
        print(f"{eta:4}  {W_new:5.3g}  {predicted:+10.4g}  {actual:+10.4g}  {second:+12.4g}"
              f"  {actual / predicted:+18.3f}")
    """),
    md(r"""
    For a small step the tangent is right: with $\eta = 0.01$ the actual change is 0.995
    of the predicted one, and with $\eta = 0.1$ it is 0.950. The ratio is $1 - \eta/2$, and the
    second-order column matches the actual change on every row. With $\eta = 1.8$ the step
    **overshoots** the bottom (it lands at 3.28, on the other side of 2) and the loss still
    falls, but only by a tenth (0.100) of the prediction. With $\eta = 2.5$ it overshoots so
    far (to 4.4, further from the bottom than 0.4 was) that the loss **goes up**, by
    $+1.6$, where the tangent promised $-6.4$. On the bowl the turn is at $\eta = 2$,
    where $1 - \eta/2 = 0$; the learning-rate section below meets the same $\eta = 2$ as
    the edge of divergence. On a curve of curvature $c > 0$ near $W$ the same algebra
    puts the edge near $\eta = 2/c$: the more sharply the loss bends, the smaller the step
    the tangent can be trusted for.

    So "the update lowers the loss" is a first-order statement: true for every slope, for
    a small enough $\eta$.
    """),
    exercise("predicted_loss_change", intro=r"""
    ### Exercise 4: `predicted_loss_change(dL_dW, eta)`

    Return the first-order change of the loss over one gradient-descent step with slope
    `dL_dW` and learning rate `eta`: the slope times the step's move,
    $\Delta L \approx -\eta\,(\partial L/\partial W)^2$.
    """),
    md(r"""
    ## Explore: drag the weight and the learning rate

    The package has an interactive explorer of this picture: sliders for $W$ and $\eta$,
    the tangent at $W$, the sign of its slope and where $W_{new}$ lands. Move $W$ to either
    side of the bottom, and $\eta$ from small to large, and watch the inequality in the
    title. The sliders need a running Jupyter kernel (open it in JupyterLab, your
    workspace or Binder); where the notebook is only shown, as on GitHub, the cell after
    it draws the explorer's starting state, $W = 0.4$ and $\eta = 0.5$.
    """),
    code("widgets.slope_explorer()"),
    code("widgets.slope_explorer_figure()"),
    md(r"""
    ## The learning rate: too small, right, too large, far too large

    The direction comes from the slope; the **size** of the step comes from $\eta$. On our
    bowl one step is easy to follow exactly. Since $\partial L/\partial W = W - 2$,

    $$W_{new} - 2 = (W_{old} - 2) - \eta\,(W_{old} - 2) = (1 - \eta)\,(W_{old} - 2):$$

    each step multiplies the distance to the bottom by $(1 - \eta)$. So:

    - $0 < \eta < 1$: the distance shrinks and keeps its side. A small $\eta$ shrinks it
      slowly (**too small**: descent creeps); one closer to 1 shrinks it fast (**good**).
      At exactly $\eta = 1$ the factor is 0 and one step lands on the bottom (a
      peculiarity of this bowl; on other curves no single $\eta$ does that).
    - $1 < \eta < 2$: $(1 - \eta)$ is negative, so each step jumps **over** the bottom to
      the other side; since $|1 - \eta| < 1$ the jumps still shrink (**too large**:
      oscillation). At $\eta = 2$ the factor is $-1$: $W$ bounces between two points
      forever.
    - $\eta > 2$: $|1 - \eta| > 1$, every jump lands further away than the last
      (**far too large**: divergence).

    Ten steps from $W = -1.5$ with the four learning rates of the figure below:
    """),
    code(r"""
    W0, steps = -1.5, 10
    for eta, verdict in figures.LEARNING_RATES:
        path = descent.gradient_descent_1d(descent.dloss_1d, W0, eta, steps)
        print(f"eta = {eta:<4}  factor 1 - eta = {1 - eta:+.2f}  "
              f"W after {steps} steps = {path[-1]:+8.4f}  "
              f"distance to 2: {abs(W0 - 2):.2f} -> {abs(path[-1] - 2):.4f}  ({verdict})")
    """),
    code(r"""
    path = descent.gradient_descent_1d(descent.dloss_1d, W0, 1.8, 5)
    print("eta = 1.8, the first steps jump from side to side:",
          ", ".join(f"{w:.2f}" for w in path))
    """),
    md(r"""
    With $\eta = 0.1$ the weight has only reached about 0.78 after ten steps; with
    $\eta = 0.7$ it is at the bottom to four decimals; with $\eta = 1.8$ it zig-zags
    ($-1.5$, 4.80, $-0.24$, 3.79, ...) and slowly closes in; with $\eta = 2.15$ it is
    thrown further out at every step, past $-12$ after ten. A real network's loss is not
    one bowl, but the same four behaviours appear, and choosing $\eta$ is a large part of
    making training work.

    ![Ten steps of gradient descent from W = -1.5 with four learning rates: too small,
    good, too large (oscillates), far too large (diverges).](../figures/learning_rate-light.png)
    """),
    md(r"""
    The same descent, live: choose $\eta$ and the number of steps and follow the path from
    $W = -1.5$. Try $\eta$ just below and just above 1, then just below and just above 2.
    Below the explorer, its starting state: $\eta = 0.7$, ten steps.
    """),
    code("widgets.learning_rate_explorer()"),
    code("widgets.learning_rate_explorer_figure()"),
    exercise("gradient_descent_1d", intro=r"""
    ### Exercise 5: `gradient_descent_1d(dL_dW, W_old, eta, steps)`

    Run gradient descent for `steps` steps, starting at `W_old`. `dL_dW` is a *function*:
    `dL_dW(W)` is the slope at `W`. Measure the slope at the current weight before each
    step, and return the whole path as a list, `[W_0, W_1, ..., W_steps]` (with
    `W_0 = W_old`, so `steps + 1` weights in all). The stub's last parameter,
    `stop_beyond`, is for the package's explorers, which end a diverging run early; the
    check never passes it, so you may leave it unused.
    """),
    md(r"""
    ## Summary

    - The **derivative** $dL/dW$ is the slope of the tangent to $L(W)$. Numerically, the
      central difference $\big(L(W + h) - L(W - h)\big)/(2h)$ measures it with an error
      that shrinks like $h^2$ (the one-sided difference only like $h$). Exactly, the
      rules of differentiation give it as a formula: for $L = \tfrac12(W - 2)^2 + 0.3$,
      $\partial L/\partial W = W - 2$.
    - **Gradient descent** updates a weight against its slope,
      $W_{new} = W_{old} - \eta\,\partial L/\partial W_{old}$.
    - The **sign** of the slope sets the direction: a negative slope makes
      $W_{new} > W_{old}$, a positive slope makes $W_{new} < W_{old}$, a zero slope
      leaves $W$ where it is; the step always goes downhill.
    - **Why it goes downhill:** to first order the step changes the loss by
      $\Delta L \approx -\eta\,(\partial L/\partial W)^2 \le 0$. The curve's bend adds
      $\tfrac12\,\eta^2(\partial L/\partial W)^2\,\partial^2L/\partial W^2$, so a
      step that is too large overshoots and raises the loss (on the bowl, for
      $\eta > 2$).
    - The **learning rate** sets the size: on a bowl each step multiplies the distance to
      the bottom by $(1 - \eta)$, so a small $\eta$ creeps, a good one converges, a large
      one oscillates and one too large diverges.

    Next, a network's loss reaches a weight through a chain of functions; the **chain
    rule** gives $\partial L/\partial W$ through that chain.

    [Next: 02 The chain rule](02_chain_rule.ipynb)
    """),
]
