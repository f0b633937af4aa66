"""`custom_gradient`: a function whose gradient you write yourself.

`f(*args)` returns `(output, grad_fn)`; the wrapped function returns `output`,
computed without recording the ops inside `f`, and its gradient is
`grad_fn(upstream)`: one gradient per argument. Write `grad_fn` with
`keras.ops` so that it is differentiable too.

Example:
    >>> import nanokeras as keras
    >>> from nanokeras import ops
    >>> @ops.custom_gradient
    ... def clipped_identity(x):
    ...     def grad(upstream):
    ...         return ops.clip(upstream, -1.0, 1.0)
    ...     return x, grad
    >>> w = keras.Variable([3.0])
    >>> with keras.GradientTape() as tape:
    ...     y = ops.multiply(clipped_identity(w), 5.0)
    >>> tape.gradient(y, w).tolist()
    [1.0]
"""

import functools

import numpy as np

from nanokeras import tree
from nanokeras.ops.gradient_utils import TensorOperators, as_recordable, is_tracked, record, to_array, value_of

__all__ = []
CORE_NAMES = ["custom_gradient"]


def _plain(x):
    return np.asarray(value_of(x)) if isinstance(x, TensorOperators) else x


def custom_gradient(f):
    """Wraps `f(*args) -> (output, grad_fn)` into a function with the gradient `grad_fn(upstream)`."""

    @functools.wraps(f)
    def wrapper(*args):
        flat_args = tree.flatten(list(args))
        # Which arguments are tracked, read now: a watched array is unwatched when its tape
        # closes, and `tape.gradient` may be called after that.
        is_tracked_arg = [is_tracked(a) for a in flat_args]
        tracked = [a for a, t in zip(flat_args, is_tracked_arg) if t]

        def run():
            plain_args = tree.pack_sequence_as(list(args), [_plain(a) for a in flat_args])
            result = f(*plain_args)
            if not isinstance(result, (tuple, list)) or len(result) != 2 or not callable(result[1]):
                raise TypeError("A function decorated with `custom_gradient` must return `(output, grad_fn)`.")
            return result

        output, grad_fn = run()
        if not tracked:
            return output
        holder = [grad_fn]
        flat_outputs = [as_recordable(to_array(o)) for o in tree.flatten(output)]

        def gradients_for(upstreams):
            grads = holder[0](*upstreams) if len(upstreams) > 1 else holder[0](upstreams[0])
            grads = list(grads) if isinstance(grads, (list, tuple)) else [grads]
            by_arg = tree.flatten(grads)
            if len(by_arg) != len(flat_args):
                raise ValueError(f"The `grad_fn` of a `custom_gradient` function returned {len(by_arg)} gradients "
                                 f"for {len(flat_args)} arguments.")
            return tuple(g for g, t in zip(by_arg, is_tracked_arg) if t)

        def forward():
            new_output, holder[0] = run()
            for kept, new in zip(flat_outputs, tree.flatten(new_output)):
                np.copyto(kept, to_array(new))

        nodes = []
        for position, value in enumerate(flat_outputs):
            def vjp(g, position=position):
                upstreams = [g if i == position else np.zeros_like(o) for i, o in enumerate(flat_outputs)]
                return gradients_for(upstreams)

            nodes.append(record(value, tuple(tracked), vjp, forward if position == 0 else (lambda: None)))
        return tree.pack_sequence_as(output, nodes)

    return wrapper
