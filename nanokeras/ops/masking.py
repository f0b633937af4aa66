"""Masks as recorded values: boolean arrays computed from data, with no gradient.

A mask (which steps of a padded batch are real) is computed from the data, e.g.
`ids != 0`. Inside a compiled training step the data changes from batch to
batch while the Python that computed the mask does not run again, so a mask is
computed by `derived_mask`: one recorded node, without a gradient, whose
`forward` recomputes it in place from the current data.

Example:
    >>> import numpy as np
    >>> derived_mask(np.not_equal, np.array([[3, 0]]), 0).tolist()
    [[True, False]]
"""

import numpy as np

from nanokeras.ops.gradient_utils import _recording_tapes, record, value_of

__all__ = []  # internal: used by layers, not part of `keras.ops`


def derived_mask(function, *inputs):
    """`function(*values)`, a numpy array computed from `inputs` (arrays, Tensors, None or Python values).

    Recorded (when an input is) as a node with no gradient whose replay writes
    `function` of the inputs' current values into the same array.
    """
    out = function(*[value_of(x) for x in inputs])
    if not _recording_tapes:
        return out
    out = np.array(out) if type(out) is not np.ndarray else out

    def forward():
        np.copyto(out, function(*[value_of(x) for x in inputs]))

    recorded = [x for x in inputs if x is not None]
    return record(out, recorded, lambda g: (None,) * len(recorded), forward)


def _all_masks(*masks):
    result = masks[0]
    for m in masks[1:]:
        result = np.logical_and(result, m)
    return result


def _any_masks(*masks):
    result = masks[0]
    for m in masks[1:]:
        result = np.logical_or(result, m)
    return result


def mask_and(*masks):
    """The steps real in every mask (None masks are skipped; None when all are)."""
    present = [m for m in masks if m is not None]
    if not present:
        return None
    if len(present) == 1:
        return present[0]
    return derived_mask(_all_masks, *present)


def mask_or(*masks):
    """The steps real in any mask (None when all are None)."""
    present = [m for m in masks if m is not None]
    if not present:
        return None
    if len(present) == 1:
        return present[0]
    return derived_mask(_any_masks, *present)


def _keep_steps(values, mask_value):
    """True where a step (the last axis) has some value other than `mask_value`."""
    return np.any(np.not_equal(values, mask_value), axis=-1, keepdims=True)


def zero_masked_steps(x, mask_value):
    """`x` with the steps equal to `mask_value` everywhere (over the last axis) set to 0, and the
    mask of the other steps: `(outputs, mask)`. The gradient flows through the kept steps only."""
    a = value_of(x)
    keep = _keep_steps(a, mask_value)
    out = np.where(keep, a, np.zeros((), dtype=a.dtype))
    mask = keep[..., 0]
    if not _recording_tapes:
        return out, mask

    def forward():
        current = value_of(x)
        np.copyto(keep, _keep_steps(current, mask_value))
        np.copyto(out, np.where(keep, current, np.zeros((), dtype=current.dtype)))

    def vjp(g):
        if _recording_tapes:
            from nanokeras.ops import numpy as np_ops

            return (np_ops.where(keep, g, 0.0),)
        return (np.where(keep, value_of(g), np.zeros((), dtype=out.dtype)),)

    recorded = record(out, (x,), vjp, forward)
    # `mask` is a view of `keep`, which `forward` refreshes in place.
    return recorded, derived_mask(lambda values: np.any(np.not_equal(values, mask_value), axis=-1), x)


def zero_where_masked(x, mask):
    """`x` with the steps where `mask` (shape `x.shape[:-1]`) is False set to 0."""
    a = value_of(x)
    keep = np.asarray(value_of(mask))[..., None]
    out = np.where(keep, a, np.zeros((), dtype=a.dtype))
    if not _recording_tapes:
        return out

    def forward():
        np.copyto(out, np.where(np.asarray(value_of(mask))[..., None], value_of(x), np.zeros((), dtype=out.dtype)))

    def vjp(g):
        now = np.asarray(value_of(mask))[..., None]
        if _recording_tapes:
            from nanokeras.ops import numpy as np_ops

            return np_ops.where(now, g, 0.0), None
        return np.where(now, value_of(g), np.zeros((), dtype=out.dtype)), None

    return record(out, (x, mask), vjp, forward)
