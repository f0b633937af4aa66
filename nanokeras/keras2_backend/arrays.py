"""Keras 2's shape, reshaping and array-building functions (`K.int_shape`, `K.shape`,
`K.reshape`, `K.concatenate`, `K.batch_dot`, `K.zeros`, `K.switch`, ...).

`int_shape`, `ndim` and `dtype` read Python values, also of symbolic tensors
(`int_shape(keras.Input((3,)))` is `(None, 3)`); `shape` is a tensor (an int32
vector), so `K.shape(x)[0]` is the batch size when the model runs.

Example:
    >>> import numpy as np
    >>> from nanokeras import keras2_backend as K
    >>> x = np.ones((2, 3, 4), "float32")
    >>> K.int_shape(x), K.shape(x).tolist(), K.int_shape(K.batch_flatten(x))
    ((2, 3, 4), [2, 3, 4], (2, 12))
"""

import numpy as np

from nanokeras import ops
from nanokeras.backend import config
from nanokeras.keras2_backend.registry import keras2_function
from nanokeras.ops.gradient_utils import to_array
from nanokeras.ops.tensor import value_of
from nanokeras.ops.variable import Variable


def _is_symbolic(x):
    return getattr(type(x), "_is_keras_tensor", False)


def _ints(shape):
    """A shape given as ints, numpy ints, 0-d arrays or an int vector (`K.shape(x)`), as a tuple."""
    values = value_of(shape)
    if isinstance(values, np.ndarray) or np.isscalar(values):
        return tuple(int(d) for d in np.ravel(values))
    return tuple(-1 if d is None else int(np.asarray(value_of(d))) for d in values)


# --------------------------------------------------------------- about shapes
@keras2_function("`x.shape` (a tuple, `None` for unknown dimensions)", symbolic=False)
def int_shape(x):
    """The shape of `x` as a tuple of ints (None where unknown, for symbolic tensors)."""
    if _is_symbolic(x):
        return tuple(x.shape)
    return tuple(np.shape(to_array(x)))


@keras2_function("`keras.ops.shape(x)` (a tuple in Keras 3)")
def shape(x):
    """The shape of `x` as an int32 tensor (known when the model runs, for symbolic tensors)."""
    return np.asarray(np.shape(value_of(x)), dtype="int32")


@keras2_function("`keras.ops.ndim(x)` or `len(x.shape)`", symbolic=False)
def ndim(x):
    """The number of axes of `x`."""
    if _is_symbolic(x):
        return len(x.shape)
    return np.ndim(to_array(x))


@keras2_function("`keras.ops.dtype(x)` (or `x.dtype`)", symbolic=False)
def dtype(x):
    """The dtype of `x` as a string, e.g. `'float32'`."""
    if _is_symbolic(x):
        return str(x.dtype)
    return to_array(x).dtype.name


@keras2_function("`keras.ops.cast`")
def cast(x, dtype):
    """`x` converted to `dtype`."""
    return ops.cast(x, dtype)


@keras2_function("`keras.ops.size(x)` (or `math.prod(x.shape)`)", symbolic=False)
def count_params(x):
    """The number of values in `x` (a variable, usually)."""
    return int(np.prod(int_shape.__wrapped__(x)))


# ------------------------------------------------------------------ reshaping
@keras2_function("`keras.ops.reshape`")
def reshape(x, shape):
    """`x` with the same values in `shape` (one dimension may be -1)."""
    return ops.reshape(x, _ints(shape))


@keras2_function("`keras.ops.transpose(x)`")
def transpose(x):
    """`x` with its axes reversed."""
    return ops.transpose(x)


@keras2_function("`keras.ops.transpose(x, axes=pattern)`")
def permute_dimensions(x, pattern):
    """`x` with its axes in the order `pattern`, e.g. `(0, 2, 1)`."""
    return ops.transpose(x, tuple(pattern))


@keras2_function("`keras.ops.concatenate`")
def concatenate(tensors, axis=-1):
    """The tensors joined along `axis`."""
    return ops.concatenate(list(tensors), axis=axis)


@keras2_function("`keras.ops.stack`")
def stack(x, axis=0):
    """The tensors of the list `x` stacked along a new axis."""
    return ops.stack(list(x), axis=axis)


@keras2_function("`keras.ops.expand_dims`")
def expand_dims(x, axis=-1):
    """`x` with a new axis of size 1 at `axis`."""
    return ops.expand_dims(x, axis)


@keras2_function("`keras.ops.squeeze`")
def squeeze(x, axis):
    """`x` without its axis `axis` (of size 1)."""
    return ops.squeeze(x, axis=axis)


@keras2_function("`keras.ops.reshape(x, (-1,))`")
def flatten(x):
    """`x` as a vector."""
    return ops.reshape(x, (-1,))


@keras2_function("`keras.ops.reshape(x, (keras.ops.shape(x)[0], -1))`")
def batch_flatten(x):
    """`x` as a matrix: one row per sample (the first axis)."""
    rows = np.shape(value_of(x))[0]
    return ops.reshape(x, (rows, -1 if rows else int(np.prod(np.shape(value_of(x))[1:]))))


@keras2_function("`keras.ops.tile`")
def tile(x, n):
    """`x` repeated `n` times along each axis (`n` an int for a vector, or one count per axis)."""
    return ops.tile(x, [n] if isinstance(n, (int, np.integer)) else _ints(n))


@keras2_function("`keras.ops.repeat(x, rep, axis=axis)`")
def repeat_elements(x, rep, axis):
    """Each slice of `x` along `axis` repeated `rep` times (`[a, b]` -> `[a, a, b, b]`)."""
    return ops.repeat(x, rep, axis=axis)


@keras2_function("`keras.layers.RepeatVector(n)` (or `keras.ops.repeat(keras.ops.expand_dims(x, 1), n, axis=1)`)")
def repeat(x, n):
    """A matrix `(samples, dim)` repeated `n` times: `(samples, n, dim)`."""
    if np.ndim(value_of(x)) != 2:
        raise ValueError(f"`repeat` expects a 2-D tensor (samples, dim), got shape {np.shape(value_of(x))}.")
    return ops.tile(ops.expand_dims(x, 1), (1, n, 1))


@keras2_function("`keras.ops.flip(x, axis=axes)`")
def reverse(x, axes):
    """`x` with the order of the values reversed along `axes` (an int or a list)."""
    for axis in ([axes] if isinstance(axes, (int, np.integer)) else axes):
        x = ops.flip(x, axis=int(axis))
    return x


@keras2_function("`keras.ops.take(reference, indices, axis=0)`")
def gather(reference, indices):
    """The rows (first-axis slices) of `reference` at `indices`."""
    return ops.take(reference, indices, axis=0)


@keras2_function("`keras.ops.pad(x, [[0, 0], padding, [0, 0]])`")
def temporal_padding(x, padding=(1, 1)):
    """Zeros added before and after the middle axis of a 3-D tensor (samples, steps, features)."""
    return ops.pad(x, [[0, 0], list(padding), [0, 0]])


def _spatial_padding(x, padding, data_format):
    data_format = config.image_data_format() if data_format is None else data_format
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(f"Unknown data_format: {data_format!r}; expected 'channels_first' or 'channels_last'.")
    pads = [list(p) for p in padding]
    pattern = [[0, 0], [0, 0]] + pads if data_format == "channels_first" else [[0, 0]] + pads + [[0, 0]]
    return ops.pad(x, pattern)


@keras2_function("`keras.layers.ZeroPadding2D(padding)` (or `keras.ops.pad`)")
def spatial_2d_padding(x, padding=((1, 1), (1, 1)), data_format=None):
    """Zeros around the rows and columns of 4-D images."""
    return _spatial_padding(x, padding, data_format)


@keras2_function("`keras.layers.ZeroPadding3D(padding)` (or `keras.ops.pad`)")
def spatial_3d_padding(x, padding=((1, 1), (1, 1), (1, 1)), data_format=None):
    """Zeros around the three spatial axes of 5-D volumes."""
    return _spatial_padding(x, padding, data_format)


# ------------------------------------------------------------------- products
@keras2_function("`keras.ops.matmul` (or `keras.ops.tensordot(x, y, axes=[[-1], [-2]])`)")
def dot(x, y):
    """Matrix product; for higher ranks, the last axis of `x` with the second-to-last of `y`."""
    if np.ndim(value_of(x)) > 2 or np.ndim(value_of(y)) > 2:
        return ops.tensordot(x, y, axes=[[-1], [-2 if np.ndim(value_of(y)) > 1 else -1]])
    return ops.matmul(x, y)


def _batch_dot_axes(x_ndim, y_ndim, axes):
    if isinstance(axes, (int, np.integer)):
        axes = [axes, axes]
    if axes is None:
        axes = [x_ndim - 1, y_ndim - 1 if y_ndim == 2 else y_ndim - 2]
    if any(isinstance(a, (list, tuple)) for a in axes):
        raise ValueError(f"`batch_dot` takes one axis for each tensor (None, an int or (int, int)), got axes={axes}.")
    a, b = (int(axes[0]) % x_ndim, int(axes[1]) % y_ndim)
    if 0 in (a, b):
        raise ValueError("`batch_dot` cannot contract the batch axis 0; add a batch axis with "
                         "`K.expand_dims(x, 0)` if the inputs have none.")
    return a, b


@keras2_function("`keras.layers.Dot(axes)` (or `keras.ops.einsum`)")
def batch_dot(x, y, axes=None):
    """Per sample of the batch (axis 0), the dot product of `x` and `y` over `axes`.

    Example:
        >>> import numpy as np
        >>> from nanokeras import keras2_backend as K
        >>> K.int_shape(K.batch_dot(np.ones((32, 20, 1)), np.ones((32, 30, 20)), axes=(1, 2)))
        (32, 1, 30)
    """
    x_shape, y_shape = np.shape(value_of(x)), np.shape(value_of(y))
    if len(x_shape) < 2 or len(y_shape) < 2:
        raise ValueError(f"`batch_dot` needs inputs of rank 2 or more, got shapes {x_shape} and {y_shape}.")
    if x_shape[0] != y_shape[0]:
        raise ValueError(f"`batch_dot` needs inputs with the same batch size, got shapes {x_shape} and {y_shape}.")
    a, b = _batch_dot_axes(len(x_shape), len(y_shape), axes)
    if x_shape[a] != y_shape[b]:
        raise ValueError(f"`batch_dot` of shapes {x_shape} and {y_shape} over axes ({a}, {b}): "
                         f"x.shape[{a}] != y.shape[{b}] ({x_shape[a]} != {y_shape[b]}).")
    # Keras 2's layout: x's remaining axes, then y's; a 2-D input contributes no axis of its own.
    letters = "abcdefghijklmnopqrstuvwxyz"
    x_axes = ["z"] + list(letters[:len(x_shape) - 1])
    y_axes = ["z"] + list(letters[len(x_shape) - 1:len(x_shape) + len(y_shape) - 2])
    y_axes[b] = x_axes[a]
    kept = [c for i, c in enumerate(x_axes[1:], 1) if i != a] + [c for i, c in enumerate(y_axes[1:], 1) if i != b]
    result = ops.einsum(f"{''.join(x_axes)},{''.join(y_axes)}->z{''.join(kept)}", x, y)
    if len(x_shape) == 2 and len(y_shape) == 2:
        return ops.expand_dims(result, 1)
    return result


# ----------------------------------------------------------- building arrays
def _float_or(dtype):
    return config.floatx() if dtype is None else dtype


def _as_variable(value, dtype, name):
    return Variable(np.asarray(value, dtype=dtype), dtype=dtype, name=name)


@keras2_function("`keras.Variable(keras.ops.zeros(shape))` (or `keras.ops.zeros(shape)` for a tensor)",
                 symbolic=False)
def zeros(shape, dtype=None, name=None):
    """A variable of zeros (Keras 2 made variables here)."""
    return _as_variable(np.zeros(_ints(shape)), _float_or(dtype), name)


@keras2_function("`keras.Variable(keras.ops.ones(shape))` (or `keras.ops.ones(shape)` for a tensor)",
                 symbolic=False)
def ones(shape, dtype=None, name=None):
    """A variable of ones."""
    return _as_variable(np.ones(_ints(shape)), _float_or(dtype), name)


@keras2_function("`keras.Variable(keras.ops.eye(size))` (or `keras.ops.eye(size)` for a tensor)", symbolic=False)
def eye(size, dtype=None, name=None):
    """A variable holding the `size` x `size` identity matrix."""
    return _as_variable(np.eye(int(size)), _float_or(dtype), name)


@keras2_function("`keras.ops.zeros_like`")
def zeros_like(x, dtype=None, name=None):
    """Zeros shaped like `x` (of `x`'s dtype unless given)."""
    return np.zeros(np.shape(value_of(x)), dtype=to_array(x).dtype if dtype is None else dtype)


@keras2_function("`keras.ops.ones_like`")
def ones_like(x, dtype=None, name=None):
    """Ones shaped like `x` (of `x`'s dtype unless given)."""
    return np.ones(np.shape(value_of(x)), dtype=to_array(x).dtype if dtype is None else dtype)


@keras2_function("`keras.ops.arange`", symbolic=False)
def arange(start, stop=None, step=1, dtype="int32"):
    """`start, start + step, ...` below `stop` (`arange(n)` is `0 .. n-1`); int32 unless a bound is a float."""
    if stop is None and start < 0:
        start = 0
    bounds = (start, step) if stop is None else (start, stop, step)
    is_float = any(isinstance(v, (float, np.floating)) for v in bounds)
    values = np.arange(0, start, step) if stop is None else np.arange(start, stop, step)
    values = values.astype("float32" if is_float else "int32")
    return values if dtype == "int32" else values.astype(dtype)


@keras2_function("`keras.ops.one_hot(indices, num_classes)`")
def one_hot(indices, num_classes):
    """A float32 one-hot vector along a new last axis for each index (zeros for indices out of range)."""
    return ops.one_hot(indices, num_classes, dtype="float32")


@keras2_function("`keras.ops.where(condition, x, y)` (or `keras.ops.cond` for a scalar condition)")
def switch(condition, then_expression, else_expression):
    """`then_expression` where `condition` holds, `else_expression` elsewhere.

    A scalar condition picks one whole expression (each may be a function, called only if
    chosen); a tensor condition picks value by value: a vector broadcast as numpy does (against
    the last axis), a matrix or more lined up with the expressions' first axes, as in Keras 2.
    """
    condition = ops.cast(condition, "bool")
    cond_ndim = np.ndim(value_of(condition))
    if cond_ndim == 0:
        chosen = then_expression if bool(value_of(condition)) else else_expression
        return chosen() if callable(chosen) else chosen
    then_expression = then_expression() if callable(then_expression) else then_expression
    else_expression = else_expression() if callable(else_expression) else else_expression
    expr_ndim = np.ndim(value_of(then_expression))
    if cond_ndim > expr_ndim:
        raise ValueError(f"Rank of `condition` should be less than or equal to rank of `then_expression` and "
                         f"`else_expression`. ndim(condition)={cond_ndim}, ndim(then_expression)={expr_ndim}")
    if 1 < cond_ndim < expr_ndim:  # Keras 2 lined a matrix condition up with the first axes (a vector, the last)
        condition = ops.reshape(condition, np.shape(value_of(condition)) + (1,) * (expr_ndim - cond_ndim))
    return ops.where(condition, then_expression, else_expression)


@keras2_function("`keras.ops.stop_gradient`")
def stop_gradient(variables):
    """The value(s) of `variables` (a tensor or a list), through which no gradient flows."""
    if isinstance(variables, (list, tuple)):
        return [ops.stop_gradient(v) for v in variables]
    return ops.stop_gradient(variables)
