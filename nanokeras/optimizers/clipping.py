"""Gradient clipping as Keras 3 does it: per-tensor norm, global norm, or by value.

Every function returns new arrays and never writes into the gradients it is given
(they may belong to the caller). Arithmetic stays in the gradients' float type.

Example:
    >>> import numpy as np
    >>> from nanokeras.optimizers.clipping import clip_by_norm
    >>> clip_by_norm(np.array([3.0, 4.0], dtype="float32"), 1.0).tolist()
    [0.6000000238418579, 0.800000011920929]
"""

import numpy as np


def clip_by_norm(gradient, clipnorm):
    """`gradient * clipnorm / max(||gradient||, clipnorm)` (a NaN norm gives NaN)."""
    f = gradient.dtype.type
    l2sum = np.sum(np.square(gradient))
    # A zero norm stays zero (no sqrt), as Keras does to keep its gradient finite.
    l2norm = np.sqrt(l2sum) if l2sum > 0 else l2sum
    return (gradient * f(clipnorm)) / np.maximum(l2norm, f(clipnorm))


def global_norm(gradients):
    """The L2 norm of all gradients taken together."""
    squares = [np.sum(np.square(g)) for g in gradients if g is not None]
    return np.sqrt(np.sum(np.stack(squares)))


def clip_by_global_norm(gradients, clipnorm):
    """Scales all gradients by `clipnorm / max(global_norm, clipnorm)`.

    A non-finite global norm makes every gradient NaN, as in Keras.
    """
    norm = global_norm(gradients)
    f = norm.dtype.type
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = f(clipnorm) * np.minimum(f(1.0) / norm, f(1.0 / clipnorm)) + (norm - norm)
    return [None if g is None else g * scale for g in gradients]


def clip_by_value(gradient, clipvalue):
    """Each element clipped into `[-clipvalue, clipvalue]`."""
    f = gradient.dtype.type
    return np.clip(gradient, f(-clipvalue), f(clipvalue))
