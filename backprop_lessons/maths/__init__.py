"""The course's mathematics: plain functions and small classes over numpy (float64), each
documented with the formula it implements, in the lessons' symbols. numpy only: no Jupyter,
no matplotlib.

In teaching order:

- :mod:`.calculus`, :mod:`.descent`, :mod:`.updates` (lessons 00-01): slopes, the update
  W_new = W_old - eta dL/dW_old, a descent run;
- :mod:`.activations`, :mod:`.losses`: each with its derivative beside it;
- :mod:`.course_network`, :mod:`.chain_rule` (lesson 02): x -> O11 -> {O21, O22} -> O31 -> L;
- :mod:`.neuron` (lesson 03): one sigmoid neuron, the W4 and b2 updates;
- :mod:`.layers`, :mod:`.network` (lessons 04-05): dense layers, forward and backward passes;
- :mod:`.training` (lesson 06): mini-batches, epochs;
- :mod:`.autodiff`, :mod:`.modes` (lesson 07): reverse-mode autodiff;
- :mod:`.gradcheck`, :mod:`.checking` (lesson 08): gradient checking;
- :mod:`.datasets`, :mod:`.rhw1986` (lesson 09): data sets, Rumelhart, Hinton & Williams (1986);
- :mod:`.softmax` (lesson 10): softmax, cross-entropy, the handwritten digits' classifier;
- :mod:`.validate`: the argument checks every public function shares.
"""
