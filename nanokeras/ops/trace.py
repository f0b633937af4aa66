"""`Trace`: a computation recorded once on a tape, replayed on new values of the same shapes.

A training step is the same computation on every batch: only the numbers in
the arrays change. After one step has been recorded (every op a `Tensor` node
whose `forward` recomputes its value in place, see `record`), running it again
needs none of the Python that produced it (layers, the tape, closures,
allocation): copy the next batch into the arrays the first step read, call each
node's `forward` in order, and walk the same nodes backwards for the gradients.

Replaying calls the same numpy functions in the same order as recording did,
on the same arrays, so it gives bit for bit the numbers the tape gives.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> from nanokeras.ops.tensor import Constant
    >>> w = keras.Variable([2.0])
    >>> x = Constant(np.array([3.0], "float32"))
    >>> with keras.GradientTape() as tape:
    ...     y = keras.ops.sum(keras.ops.multiply(w, x))
    >>> trace = Trace(tape)
    >>> x.value[...] = 5.0                    # the next batch, written in place
    >>> trace.forward()
    >>> float(y.value), trace.gradients(y, [w])[0].tolist()
    (10.0, [5.0])
"""

from nanokeras.ops.tape import backward_pass


class Trace:
    """The nodes a tape recorded, ready to run again.

    Args:
        tape: a `GradientTape` that recorded the computation (read before its
            `gradient` call clears it, or a persistent one).
    """

    def __init__(self, tape):
        self.nodes = list(tape._nodes)
        self._forwards = [node.forward for node in self.nodes]

    def unreplayable_ops(self):
        """Names of the recorded ops that have no `forward` (the trace cannot be replayed)."""
        return [op_name(node) for node in self.nodes if node.forward is None]

    @property
    def replayable(self):
        return all(f is not None for f in self._forwards)

    def forward(self):
        """Recomputes every node, in recording order, from the current input values."""
        for forward in self._forwards:
            forward()

    def gradients(self, target, sources, output_gradients=None):
        """Gradients of `target` for each of `sources` (a list), as `GradientTape.gradient` gives them."""
        grads = backward_pass(self.nodes, target, output_gradients)
        return [grads.get(id(s)) for s in sources]


def op_name(node):
    """The op that recorded `node`, read from its gradient function (`relu.<locals>.vjp` -> `relu`)."""
    qualname = getattr(node.vjp, "__qualname__", "") or "?"
    return qualname.split(".<locals>")[0]
