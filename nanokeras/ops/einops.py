"""`rearrange`: reshaping and transposing by naming axes, as in the einops library.

`"b h w c -> b (h w) c"` merges two axes, `"(b h) w -> b h w"` splits one (give
the sizes you know: `h=2`), `"h w -> w h"` transposes. Written with `reshape`
and `transpose`, it is differentiable.

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> ops.rearrange(np.zeros((2, 3, 4, 5)), "b h w c -> b (h w) c").shape
    (2, 12, 5)
    >>> ops.rearrange(np.zeros((6, 4)), "(b h) w -> b h w", h=3).shape
    (2, 3, 4)
"""

import re

import numpy as np

from nanokeras.ops import numpy as ops
from nanokeras.ops.gradient_utils import to_array

__all__ = []
CORE_NAMES = ["rearrange"]

_TOKEN = re.compile(r"\w+|\([\w\s]*\)")


def _groups(side):
    tokens = _TOKEN.findall(side)
    if "".join(tokens).replace(" ", "") != re.sub(r"\s+", "", side):
        raise ValueError(f"Cannot read the pattern side {side!r}: use axis names, and parentheses to group them.")
    return [t[1:-1].split() if t.startswith("(") else [t] for t in tokens]


def rearrange(tensor, pattern, **axes_lengths):
    """Reshapes and transposes `tensor` as `pattern` ("input axes -> output axes") names it."""
    if pattern.count("->") != 1:
        raise ValueError(f"`pattern` must be 'input axes -> output axes', got {pattern!r}.")
    left, right = (s.strip() for s in pattern.split("->"))
    inputs, outputs = _groups(left), _groups(right)
    shape = np.shape(to_array(tensor))
    if len(inputs) != len(shape):
        raise ValueError(f"The pattern {left!r} names {len(inputs)} axes, but the tensor has shape {shape}.")
    sizes = dict(axes_lengths)
    for group, dim in zip(inputs, shape):
        unknown = [a for a in group if a not in sizes]
        if len(unknown) > 1:
            raise ValueError(f"Give the sizes of all but one axis of the group ({' '.join(group)}).")
        known = int(np.prod([sizes[a] for a in group if a in sizes], dtype=np.int64))
        if unknown:
            if known == 0 or dim % known:
                raise ValueError(f"Axis of size {dim} cannot be split into ({' '.join(group)}) with {axes_lengths}.")
            sizes[unknown[0]] = dim // known
        elif known != dim:
            raise ValueError(f"The group ({' '.join(group)}) has size {known}, but the axis has size {dim}.")
    flat_in = [a for g in inputs for a in g]
    flat_out = [a for g in outputs for a in g]
    if sorted(flat_in) != sorted(flat_out) or len(set(flat_in)) != len(flat_in):
        raise ValueError(f"Both sides of {pattern!r} must name the same axes, each once.")
    decomposed = [sizes[a] for a in flat_in]
    if tuple(decomposed) != shape:
        tensor = ops.reshape(tensor, decomposed)
    tensor = ops.transpose(tensor, [flat_in.index(a) for a in flat_out])
    return ops.reshape(tensor, [int(np.prod([sizes[a] for a in g], dtype=np.int64)) for g in outputs])
