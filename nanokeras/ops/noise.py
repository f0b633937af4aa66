"""Random noise applied to a tensor, drawn INSIDE the recorded op: dropout and its relatives.

A compiled training step replays recorded ops on each new batch (see
`nanokeras/ops/trace.py`). Noise drawn in Python before an op would be replayed
as a constant: the same mask on every batch. Here each op draws its noise when
it runs, and its replay (`forward`) draws again, from the same generator, with
the same calls, in the same order, so a replayed step gets exactly the numbers
the tape path gets.

`generator` is a numpy `Generator` (or an object with its `random` and
`standard_normal` methods), or a function of no arguments returning one, read
at every draw (so the session's shared generator can be replaced by
`keras.utils.set_random_seed`); None means the session's shared generator.

Example:
    >>> import numpy as np
    >>> x = np.ones((2, 4), "float32")
    >>> sorted(set(dropout(x, 0.5, generator=np.random.default_rng(0)).ravel().tolist()))
    [0.0, 2.0]
"""

import math

import numpy as np

from nanokeras.backend import random as backend_random
from nanokeras.ops import numpy as _ops
from nanokeras.ops.gradient_utils import Workspace, _recording_tapes, converted, record, to_array

__all__ = []  # internal: used by the regularization layers, not part of `keras.ops`

# SELU's constants: alpha dropout sets dropped units to SELU's negative saturation value.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _source(generator):
    """A function returning the generator to draw from now."""
    if generator is None:
        return backend_random.global_generator
    if callable(generator) and not hasattr(generator, "random"):
        return generator
    return lambda: generator


def _recorded(x, apply, vjp):
    """Runs `apply(ws)` (which draws and computes into the workspace), recorded with its replay."""
    ws = Workspace()
    out = apply(ws)
    if not _recording_tapes:
        return out
    return record(out, (x,), vjp, lambda: apply(ws))


def dropout(x, rate, noise_shape=None, generator=None):
    """`x * mask / (1 - rate)`, the mask 0 with probability `rate` (drawn in float32).

    Args:
        x: the input.
        rate: the drop probability, in `[0, 1)`.
        noise_shape: the mask's shape (broadcast over `x`), `x`'s shape by default.
        generator: where the noise comes from (see the module docstring).
    """
    a = to_array(x)
    shape = a.shape if noise_shape is None else tuple(noise_shape)
    keep = 1.0 - rate
    keep_value = np.asarray(keep, dtype=a.dtype)
    draw = _source(generator)
    mask = None

    def apply(ws):
        nonlocal mask
        drawn = draw().random(shape, dtype=np.float32)
        mask = ws("mask", converted, drawn < keep, a.dtype)
        return ws("out", np.divide, ws("kept", np.multiply, a, mask), keep_value)

    return _recorded(x, apply, lambda g: (_ops.multiply(_ops.divide(g, keep_value), mask),))


def gaussian_noise(x, stddev, generator=None):
    """`x + N(0, stddev**2)` noise (drawn in float32)."""
    a = to_array(x)
    draw = _source(generator)
    scale = np.float32(stddev)

    def apply(ws):
        noise = draw().standard_normal(a.shape, dtype=np.float32) * scale
        return ws("out", np.add, a, noise.astype(a.dtype, copy=False))

    return _recorded(x, apply, lambda g: (g,))


def gaussian_dropout(x, rate, generator=None):
    """`x * N(1, rate / (1 - rate))` noise (drawn in float32)."""
    a = to_array(x)
    draw = _source(generator)
    scale = np.float32(math.sqrt(rate / (1.0 - rate)))
    noise = None

    def apply(ws):
        nonlocal noise
        drawn = draw().standard_normal(a.shape, dtype=np.float32) * scale + 1
        noise = ws("noise", converted, drawn, a.dtype)
        return ws("out", np.multiply, a, noise)

    return _recorded(x, apply, lambda g: (_ops.multiply(g, noise),))


def alpha_dropout(x, rate, noise_shape=None, generator=None):
    """Dropped entries become SELU's saturation value, then an affine map restores the mean and variance.

    `(x * kept + saturation * (1 - kept)) * a + b`, `kept` 1 with probability `1 - rate`.
    """
    a_x = to_array(x)
    dtype = a_x.dtype
    shape = a_x.shape if noise_shape is None else tuple(noise_shape)
    draw = _source(generator)
    saturation = -_SELU_ALPHA * _SELU_SCALE
    a = ((1 - rate) * (1 + rate * saturation**2)) ** -0.5
    b = -a * saturation * rate
    a_value, b_value = np.asarray(a, dtype=dtype), np.asarray(b, dtype=dtype)
    kept = None

    def apply(ws):
        nonlocal kept
        drawn = draw().random(shape, dtype=np.float32)
        kept = ws("kept", converted, drawn >= rate, dtype)
        # x*kept + saturation*(1-kept), then a*x + b; only the first term depends on x.
        dropped_value = ws("dropped_value", np.multiply, saturation, ws("one_minus_kept", np.subtract, 1, kept))
        mixed = ws("mixed", np.add, ws("x_kept", np.multiply, a_x, kept), dropped_value)
        return ws("out", np.add, ws("scaled", np.multiply, mixed, a_value), b_value)

    return _recorded(x, apply, lambda g: (_ops.multiply(_ops.multiply(g, a_value), kept),))
