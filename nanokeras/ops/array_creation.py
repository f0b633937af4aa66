"""Creating arrays with numpy's names: `array`, `empty`, `tri`, `logspace`, `geomspace`,
`meshgrid`, and the window functions (`bartlett`, `blackman`, `hamming`, `hanning`, `kaiser`).

Floats are `floatx()` unless a `dtype` is given, as in Keras.

Example:
    >>> from nanokeras import ops
    >>> ops.tri(3).tolist()
    [[1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [1.0, 1.0, 1.0]]
    >>> ops.hamming(3).tolist()
    [0.07999999821186066, 1.0, 0.07999999821186066]
"""

import numpy as np

from nanokeras.backend import config
from nanokeras.backend.dtypes import result_type, standardize_dtype
from nanokeras.ops import core
from nanokeras.ops import numpy as ops
from nanokeras.ops.gradient_utils import _recording_tapes, to_array, value_of
from nanokeras.ops.op_builders import dtype_of

__all__ = ["array", "empty", "empty_like", "tri", "logspace", "geomspace", "meshgrid", "bartlett", "blackman",
           "hamming", "hanning", "kaiser"]


def array(x, dtype=None):
    """`x` as an array (`convert_to_tensor`)."""
    return core.convert_to_tensor(x, dtype=dtype)


def _shape(shape):
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    if any(int(d) < 0 for d in shape):
        raise ValueError(f"`shape` must hold non-negative sizes, got {shape}.")
    return tuple(int(d) for d in shape)


def empty(shape, dtype=None):
    """An array of `shape` whose values are unspecified (zeros here, as on JAX)."""
    return np.zeros(_shape(shape), dtype=standardize_dtype(dtype))


def empty_like(x, dtype=None):
    """An array of the shape (and by default the dtype) of `x`, values unspecified (zeros here)."""
    a = to_array(x)
    return np.zeros(a.shape, dtype=a.dtype if dtype is None else standardize_dtype(dtype))


def tri(N, M=None, k=0, dtype=None):
    """Ones at and below the `k`-th diagonal of an `N` x `M` matrix, zeros above."""
    return np.tri(N, M=M, k=k, dtype=standardize_dtype(dtype))


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    """`num` numbers spaced evenly on a log scale, from `base**start` to `base**stop`."""
    if dtype is None:
        dtype = result_type(dtype_of(start), dtype_of(stop), float)
    return np.logspace(value_of(start), value_of(stop), num=num, endpoint=endpoint, base=base,
                       dtype=standardize_dtype(dtype), axis=axis)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """`num` numbers spaced evenly on a log scale from `start` to `stop` (a geometric progression)."""
    if dtype is None:  # as Keras: the result type of `start`, `stop` and a float
        dtype = result_type(dtype_of(start), dtype_of(stop), float)
    return np.geomspace(value_of(start), value_of(stop), num=num, endpoint=endpoint,
                        dtype=standardize_dtype(dtype), axis=axis)


def meshgrid(*x, indexing="xy"):
    """Coordinate arrays for the grid spanned by 1-D arrays (`indexing="xy"`: the first two axes swapped).

    Example:
        >>> [g.tolist() for g in meshgrid(np.array([1, 2]), np.array([3, 4, 5]))][0]
        [[1, 2], [1, 2], [1, 2]]
    """
    if indexing not in ("xy", "ij"):
        raise ValueError(f"`indexing` must be 'xy' or 'ij', got {indexing!r}.")
    if not _recording_tapes:
        return [g.copy() for g in np.meshgrid(*[to_array(v) for v in x], indexing=indexing)]
    sizes = [to_array(v).size for v in x]
    if indexing == "xy" and len(x) > 1:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    grids = []
    for i, v in enumerate(x):
        axis = {0: 1, 1: 0}.get(i, i) if indexing == "xy" and len(x) > 1 else i
        shape = [1] * len(x)
        shape[axis] = -1
        grids.append(ops.broadcast_to(ops.reshape(v, shape), tuple(sizes)))
    return grids


def _window(np_fn, M, *args):
    return np_fn(int(value_of(M)), *args).astype(config.floatx())


def bartlett(x):
    """The Bartlett (triangular) window of `x` points."""
    return _window(np.bartlett, x)


def blackman(x):
    """The Blackman window of `x` points."""
    return _window(np.blackman, x)


def hamming(x):
    """The Hamming window of `x` points."""
    return _window(np.hamming, x)


def hanning(x):
    """The Hann window of `x` points."""
    return _window(np.hanning, x)


def kaiser(x, beta):
    """The Kaiser window of `x` points with shape parameter `beta`."""
    return _window(np.kaiser, x, float(value_of(beta)))
