"""Keras 2's convolution, pooling, resizing and CTC functions (`K.conv2d`, `K.pool2d`,
`K.resize_images`, `K.ctc_batch_cost`, ...), on `keras.ops.conv`, `max_pool`, ...

Kernels are laid out as in Keras (`(*kernel_size, in_channels, filters)`);
`data_format` defaults to `keras.config.image_data_format()`. Keras 2's pooling
strides default to 1 (Keras 3's to the pool size).

Example:
    >>> import numpy as np
    >>> from nanokeras import keras2_backend as K
    >>> K.int_shape(K.conv2d(np.ones((1, 5, 5, 3)), np.ones((3, 3, 3, 8)), padding="same"))
    (1, 5, 5, 8)
"""

import numpy as np

from nanokeras import ops
from nanokeras.backend import config
from nanokeras.keras2_backend.registry import keras2_function
from nanokeras.ops.gradient_utils import to_array
from nanokeras.ops.tensor import value_of


def _data_format(data_format):
    data_format = config.image_data_format() if data_format is None else data_format
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(f"Unknown data_format: {data_format!r}; expected 'channels_first' or 'channels_last'.")
    return data_format


def _padding(padding):
    if padding not in ("same", "valid"):
        raise ValueError(f"Unknown padding: {padding!r}; expected 'same' or 'valid'.")
    return padding


@keras2_function("`keras.ops.conv(x, kernel, strides, padding, data_format, dilation_rate)`")
def conv1d(x, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """1-D convolution; `padding="causal"` pads the start so step `t` sees only steps up to `t`."""
    data_format = _data_format(data_format)
    if padding == "causal":
        left = int(dilation_rate) * (np.shape(value_of(kernel))[0] - 1)
        pattern = [[0, 0], [left, 0], [0, 0]] if data_format == "channels_last" else [[0, 0], [0, 0], [left, 0]]
        x, padding = ops.pad(x, pattern), "valid"
    return ops.conv(x, kernel, strides=strides, padding=_padding(padding), data_format=data_format,
                    dilation_rate=dilation_rate)


@keras2_function("`keras.ops.conv(x, kernel, strides, padding, data_format, dilation_rate)`")
def conv2d(x, kernel, strides=(1, 1), padding="valid", data_format=None, dilation_rate=(1, 1)):
    """2-D convolution of images with `kernel` (rows, cols, in_channels, filters)."""
    return ops.conv(x, kernel, strides=strides, padding=_padding(padding), data_format=_data_format(data_format),
                    dilation_rate=dilation_rate)


@keras2_function("`keras.ops.conv(x, kernel, strides, padding, data_format, dilation_rate)`")
def conv3d(x, kernel, strides=(1, 1, 1), padding="valid", data_format=None, dilation_rate=(1, 1, 1)):
    """3-D convolution of volumes with `kernel` (depth, rows, cols, in_channels, filters)."""
    return ops.conv(x, kernel, strides=strides, padding=_padding(padding), data_format=_data_format(data_format),
                    dilation_rate=dilation_rate)


@keras2_function("`keras.ops.depthwise_conv(x, kernel, strides, padding, data_format, dilation_rate)`")
def depthwise_conv2d(x, depthwise_kernel, strides=(1, 1), padding="valid", data_format=None, dilation_rate=(1, 1)):
    """Each input channel convolved on its own, `depthwise_kernel` (rows, cols, in_channels, multiplier)."""
    return ops.depthwise_conv(x, depthwise_kernel, strides=strides, padding=_padding(padding),
                              data_format=_data_format(data_format), dilation_rate=dilation_rate)


@keras2_function("`keras.ops.separable_conv(x, depthwise_kernel, pointwise_kernel, ...)`")
def separable_conv2d(x, depthwise_kernel, pointwise_kernel, strides=(1, 1), padding="valid", data_format=None,
                     dilation_rate=(1, 1)):
    """A depthwise convolution followed by a 1x1 (pointwise) convolution."""
    return ops.separable_conv(x, depthwise_kernel, pointwise_kernel, strides=strides, padding=_padding(padding),
                              data_format=_data_format(data_format), dilation_rate=dilation_rate)


def _pool(x, pool_size, strides, padding, data_format, pool_mode):
    if pool_mode not in ("max", "avg"):
        raise ValueError(f"Invalid pool_mode: {pool_mode!r}; expected 'max' or 'avg'.")
    pool = ops.max_pool if pool_mode == "max" else ops.average_pool
    return pool(x, pool_size, strides=strides, padding=_padding(padding), data_format=_data_format(data_format))


@keras2_function("`keras.ops.max_pool` / `keras.ops.average_pool` (with `strides=` given: Keras 3's default is "
                 "the pool size)")
def pool2d(x, pool_size, strides=(1, 1), padding="valid", data_format=None, pool_mode="max"):
    """2-D max (`pool_mode="max"`) or average (`"avg"`) pooling; strides 1 unless given."""
    return _pool(x, pool_size, strides, padding, data_format, pool_mode)


@keras2_function("`keras.ops.max_pool` / `keras.ops.average_pool` (with `strides=` given: Keras 3's default is "
                 "the pool size)")
def pool3d(x, pool_size, strides=(1, 1, 1), padding="valid", data_format=None, pool_mode="max"):
    """3-D max or average pooling; strides 1 unless given."""
    return _pool(x, pool_size, strides, padding, data_format, pool_mode)


_INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5")


@keras2_function("`keras.layers.UpSampling2D(size, interpolation=...)` (or `keras.ops.image.resize`)")
def resize_images(x, height_factor, width_factor, data_format, interpolation="nearest"):
    """Images enlarged by integer factors: rows by `height_factor`, columns by `width_factor`."""
    data_format = _data_format(data_format)
    rows = 1 if data_format == "channels_last" else 2
    if interpolation == "nearest":
        return ops.repeat(ops.repeat(x, height_factor, axis=rows), width_factor, axis=rows + 1)
    if interpolation not in _INTERPOLATIONS:
        raise ValueError(f"`interpolation` argument should be one of: {', '.join(_INTERPOLATIONS)}. "
                         f"Received: {interpolation!r}.")
    shape = np.shape(value_of(x))
    size = (shape[rows] * height_factor, shape[rows + 1] * width_factor)
    return ops.image.resize(x, size, interpolation=interpolation, data_format=data_format)


@keras2_function("`keras.layers.UpSampling3D(size)` (or `keras.ops.repeat` along each axis)")
def resize_volumes(x, depth_factor, height_factor, width_factor, data_format):
    """Volumes enlarged by repeating each value `depth_factor` x `height_factor` x `width_factor` times."""
    first = 1 if _data_format(data_format) == "channels_last" else 2
    for axis, factor in zip(range(first, first + 3), (depth_factor, height_factor, width_factor)):
        x = ops.repeat(x, factor, axis=axis)
    return x


@keras2_function("`keras.ops.ctc_loss(labels, keras.ops.log(y_pred), label_length, input_length, "
                 "mask_index=classes - 1)`")
def ctc_batch_cost(y_true, y_pred, input_length, label_length):
    """The CTC loss of each sample, shape (samples, 1): `y_pred` holds softmax outputs (samples, steps,
    classes) whose last class is the blank; the lengths are (samples, 1)."""
    log_probabilities = ops.log(ops.add(y_pred, np.asarray(config.epsilon(), to_array(y_pred).dtype)))
    blank = np.shape(value_of(y_pred))[-1] - 1
    loss = ops.ctc_loss(y_true, log_probabilities, ops.reshape(label_length, (-1,)),
                        ops.reshape(input_length, (-1,)), mask_index=blank)
    return ops.expand_dims(loss, 1)


@keras2_function("`keras.ops.ctc_decode(keras.ops.log(y_pred), input_length, strategy=..., mask_index=classes - 1)`")
def ctc_decode(y_pred, input_length, greedy=True, beam_width=100, top_paths=1):
    """Best label sequences of softmax outputs `y_pred` (the last class the blank): `([decoded], log_probabilities)`,
    each decoded (samples, steps) padded with -1."""
    log_probabilities = ops.log(ops.add(y_pred, np.asarray(config.epsilon(), to_array(y_pred).dtype)))
    blank = np.shape(value_of(y_pred))[-1] - 1
    decoded, scores = ops.ctc_decode(log_probabilities, ops.reshape(input_length, (-1,)),
                                     strategy="greedy" if greedy else "beam_search", beam_width=beam_width,
                                     top_paths=1 if greedy else top_paths, mask_index=blank)
    paths = np.shape(value_of(decoded))[0]
    return [ops.cast(ops.getitem(decoded, i), "int64") for i in range(paths)], scores


def _per_axis(value, rank):
    return (int(value),) * rank if isinstance(value, (int, np.integer)) else tuple(int(v) for v in value)


@keras2_function("`keras.ops.conv_transpose(x, kernel, strides, padding, output_padding, data_format, "
                 "dilation_rate)`")
def conv2d_transpose(x, kernel, output_shape, strides=(1, 1), padding="valid", data_format=None,
                     dilation_rate=(1, 1)):
    """The transposed 2-D convolution giving `output_shape` (batch, rows, cols, filters, or channels first);
    `kernel` is (rows, cols, filters, in_channels)."""
    from nanokeras.ops.convolution import convolve, geometry

    data_format, padding = _data_format(data_format), _padding(padding)
    strides, dilation = _per_axis(strides, 2), _per_axis(dilation_rate, 2)
    x_shape, kernel_shape = np.shape(value_of(x)), np.shape(value_of(kernel))
    first = 1 if data_format == "channels_last" else 2
    in_sizes = x_shape[first:first + 2]
    out_sizes = tuple(int(d) for d in tuple(_per_axis(value_of(output_shape), 4))[first:first + 2])
    pads = []
    for size, target, k, s, d in zip(in_sizes, out_sizes, kernel_shape[:2], strides, dilation):
        span = d * (k - 1) + 1
        # The padding of the convolution this one transposes (from `target` down to `size`), as TensorFlow's.
        forward_low = 0 if padding == "valid" else max((size - 1) * s + span - target, 0) // 2
        low = span - 1 - forward_low
        pads.append((low, target + span - 1 - ((size - 1) * s + 1) - low))
    geo = geometry(in_sizes, tuple(kernel_shape[:2]), None, tuple(pads), strides, dilation, 1, True)
    return convolve(x, kernel, geo, data_format)


def _local_conv(inputs, kernel, kernel_size, strides, output_shape, data_format):
    data_format = _data_format(data_format)
    kernel_shape = np.shape(value_of(kernel))
    features, filters = kernel_shape[1], kernel_shape[-1]
    rank = len(output_shape)
    patches = []
    for position in np.ndindex(*output_shape):
        window = [slice(p * s, p * s + k) for p, s, k in zip(position, strides, kernel_size)]
        index = ([slice(None), slice(None)] + window if data_format == "channels_first"
                 else [slice(None)] + window + [slice(None)])
        patches.append(ops.reshape(ops.getitem(inputs, tuple(index)), (1, -1, features)))
    # One weight matrix per output position: (positions, batch, features) x (positions, features, filters).
    out = ops.einsum("pbf,pfo->pbo", ops.concatenate(patches, axis=0), kernel)
    out = ops.reshape(out, tuple(output_shape) + (-1, filters))
    spatial = list(range(rank))
    order = [rank, rank + 1] + spatial if data_format == "channels_first" else [rank] + spatial + [rank + 1]
    return ops.transpose(out, order)


@keras2_function("`keras.ops.extract_sequences`/`keras.ops.einsum` (Keras 3 has no `LocallyConnected1D`)")
def local_conv1d(inputs, kernel, kernel_size, strides, data_format=None):
    """A 1-D convolution with its own weights at each output step: `kernel` is (output_length,
    kernel_size * input_dim, filters)."""
    length = np.shape(value_of(kernel))[0]
    return _local_conv(inputs, kernel, _per_axis(kernel_size, 1), _per_axis(strides, 1), (length,), data_format)


@keras2_function("`keras.ops.image.extract_patches` and `keras.ops.einsum` (Keras 3 has no `LocallyConnected2D`)")
def local_conv2d(inputs, kernel, kernel_size, strides, output_shape, data_format=None):
    """A 2-D convolution with its own weights at each output position: `kernel` is (rows * cols,
    kernel_rows * kernel_cols * input_dim, filters), `output_shape` is (rows, cols)."""
    return _local_conv(inputs, kernel, _per_axis(kernel_size, 2), _per_axis(strides, 2),
                       tuple(int(d) for d in output_shape), data_format)
