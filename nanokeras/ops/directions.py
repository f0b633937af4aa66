"""`merge_directions`: joins a forward and a backward recurrent pass, as one recorded op.

`Bidirectional` runs a layer forwards and a copy backwards; the backward
outputs come in reverse time order, so with `return_sequences` they are flipped
back before merging (`concat`, `sum`, `ave`, `mul`; `None` keeps both).

Example:
    >>> import numpy as np
    >>> y, y_rev = np.ones((1, 2, 1)), np.array([[[1.0], [2.0]]])
    >>> merge_directions(y, y_rev, "sum", flip_backward=True)[0, :, 0].tolist()
    [3.0, 2.0]
"""

import numpy as np

from nanokeras.ops.gradient_utils import _recording_tapes, record, value_of
from nanokeras.ops.tape import needs_gradient

__all__ = []  # internal: used by `keras.layers.Bidirectional`

MODES = ("concat", "sum", "ave", "mul")


def _flipped(a, flip):
    return a[:, ::-1] if flip else a


def _merge(mode, a, b, out=None):
    if mode == "concat":
        return np.concatenate([a, b], axis=-1, out=out)
    if mode == "sum":
        return np.add(a, b, out=out)
    if mode == "mul":
        return np.multiply(a, b, out=out)
    total = np.add(a, b, out=out)
    return np.divide(total, 2, out=total)


def merge_directions(forward, backward, mode, flip_backward=False):
    """`mode` of `forward` and `backward` (the latter reversed along axis 1 when `flip_backward`).

    `mode` None returns the reversed backward alone (the forward output needs no op).
    """
    a, b = value_of(forward), value_of(backward)
    if mode is None:
        out = np.ascontiguousarray(_flipped(b, flip_backward))
    else:
        out = _merge(mode, a, _flipped(b, flip_backward))
    if not _recording_tapes:
        return out

    def forward_again():
        if mode is None:
            np.copyto(out, _flipped(value_of(backward), flip_backward))
        else:
            _merge(mode, value_of(forward), _flipped(value_of(backward), flip_backward), out=out)

    wanted = {id(x) for x in (forward, backward) if needs_gradient(x)}  # read now (see `attention._wanted`)

    def vjp(g):
        if _recording_tapes:
            return _recorded_vjp(forward, backward, mode, flip_backward, g)
        g = value_of(g)
        if mode is None:
            return None, np.ascontiguousarray(_flipped(g, flip_backward))
        if mode == "concat":
            units = value_of(forward).shape[-1]
            ga, gb = g[..., :units], g[..., units:]
        elif mode == "sum":
            ga, gb = g, g
        elif mode == "ave":
            ga = gb = g / 2
        else:
            ga = g * _flipped(value_of(backward), flip_backward)
            gb = g * value_of(forward)
        ga = np.ascontiguousarray(ga) if id(forward) in wanted else None
        gb = np.ascontiguousarray(_flipped(gb, flip_backward)) if id(backward) in wanted else None
        return ga, gb

    return record(out, (forward, backward), vjp, forward_again)


def _recorded_vjp(forward, backward, mode, flip_backward, g):
    from nanokeras.ops.tape import GradientTape
    from nanokeras.ops import numpy as np_ops

    with GradientTape() as tape:
        tape.watch([x for x in (forward, backward) if isinstance(x, np.ndarray)])
        b = np_ops.flip(backward, axis=1) if flip_backward else backward
        if mode is None:
            out = b
        elif mode == "concat":
            out = np_ops.concatenate([forward, b], axis=-1)
        elif mode == "sum":
            out = np_ops.add(forward, b)
        elif mode == "ave":
            out = np_ops.divide(np_ops.add(forward, b), 2.0)
        else:
            out = np_ops.multiply(forward, b)
    return tuple(tape.gradient(out, [forward, backward], output_gradients=g))
