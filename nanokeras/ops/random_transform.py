"""A recorded op whose randomness is drawn inside it: what augmentation and spatial dropout layers use.

`random_transform(x, draw, apply)` computes `apply(x, draw())`. Drawing inside
the op (not before it, in Python) is what lets a compiled training step replay
it: each replay draws again from the same generator, in the same order, so
the compiled step and the tape see the same random numbers.
Internal: not part of `keras.ops`.

Example:
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> def draw():                      # which elements to negate
    ...     return rng.random(4) < 0.5
    >>> def apply(x, flips):             # the result, and the gradient for an output gradient g
    ...     return np.where(flips, -x, x), lambda g: np.where(flips, -g, g)
    >>> random_transform(np.ones(4, "float32"), draw, apply).tolist()
    [1.0, -1.0, -1.0, -1.0]
"""

import numpy as np

from nanokeras.ops.gradient_utils import _recording_tapes, record, value_of
from nanokeras.ops.tape import needs_gradient

__all__ = []


def random_transform(x, draw, apply):
    """`apply(x, draw())`, recorded so that a replay draws again.

    Args:
        x: the input (array, Tensor or Variable).
        draw: `draw() -> parameters`, the random part (reads its generator).
        apply: `apply(x_array, parameters) -> (output array, backward)`, where
            `backward(g)` is the gradient with respect to `x` for output gradient `g`.
    """
    xv = value_of(x)
    out, backward = apply(xv, draw())
    out = np.asarray(out)
    if not _recording_tapes:
        return out
    current = [backward]
    wanted = needs_gradient(x)  # read now: a watched array is unwatched when its tape closes

    def forward():
        new_out, current[0] = apply(xv, draw())
        np.copyto(out, new_out)

    def vjp(g):
        return (current[0](value_of(g)) if wanted else None,)

    return record(out, (x,), vjp, forward)
