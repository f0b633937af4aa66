"""`keras.utils.timeseries_dataset_from_array`: sliding windows over a series, in batches."""

import numbers

import numpy as np

from nanokeras.utils.batched_dataset import BatchedDataset, TensorSpec, _dtype_name


def _positive(argument, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(f"`{argument}` must be higher than 0. Received: {argument}={value!r}")
    return int(value)


def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1, sampling_rate=1,
                                  batch_size=128, shuffle=False, seed=None, start_index=None, end_index=None,
                                  format="tf"):
    """Windows of `sequence_length` steps of `data` (and the target of each window), batched.

    Window i starts at step `start_index + i * sequence_stride` and takes every
    `sampling_rate`-th step; its target is `targets[start_index + i * sequence_stride]`.

    Args:
        data: an array (steps, ...) of the series.
        targets: the targets, indexed by each window's first step; None for windows alone.
        sequence_length: the steps per window.
        sequence_stride: the steps between the starts of consecutive windows.
        sampling_rate: the steps between two steps kept in a window.
        batch_size: windows per batch (None: one window per element).
        shuffle, seed: shuffle the windows (as Keras: once by `seed`, then within a buffer per pass).
        start_index, end_index: use only `data[start_index:end_index]`.

    Returns:
        A `BatchedDataset` of `(windows, targets)` batches (or windows alone), which
        `fit`/`evaluate`/`predict` take directly.

    Example:
        >>> import numpy as np
        >>> ds = timeseries_dataset_from_array(np.arange(10), np.arange(10), sequence_length=3, batch_size=4)
        >>> x, y = next(iter(ds))
        >>> x.tolist(), y.tolist()
        ([[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5]], [0, 1, 2, 3])
    """
    if format not in ("tf", "grain"):
        raise ValueError(f'`format` should be either "tf" or "grain". Received: format={format!r}')
    data = np.asarray(data)
    if data.ndim == 0:
        raise ValueError("`data` must be an array of steps (a series), got a scalar.")
    length = len(data)
    sequence_length = _positive("sequence_length", sequence_length)
    sequence_stride = _positive("sequence_stride", sequence_stride)
    sampling_rate = _positive("sampling_rate", sampling_rate)
    if start_index:
        if start_index < 0:
            raise ValueError(f"`start_index` must be 0 or greater. Received: start_index={start_index}")
        if start_index >= length:
            raise ValueError(
                f"`start_index` must be lower than the length of the data. Received: start_index={start_index}, "
                f"for data of length {length}"
            )
    if end_index:
        if start_index and end_index <= start_index:
            raise ValueError(
                f"`end_index` must be higher than `start_index`. Received: start_index={start_index}, and "
                f"end_index={end_index} "
            )
        if end_index >= length:
            raise ValueError(
                f"`end_index` must be lower than the length of the data. Received: end_index={end_index}, for data "
                f"of length {length}"
            )
        if end_index <= 0:
            raise ValueError(f"`end_index` must be higher than 0. Received: end_index={end_index}")
    if sampling_rate >= length:
        raise ValueError(
            f"`sampling_rate` must be lower than the length of the data. Received: sampling_rate={sampling_rate}, "
            f"for data of length {length}"
        )
    if sequence_stride >= length:
        raise ValueError(
            f"`sequence_stride` must be lower than the length of the data. Received: "
            f"sequence_stride={sequence_stride}, for data of length {length}"
        )
    if batch_size is not None:
        batch_size = _positive("batch_size", batch_size)
    start = start_index or 0
    end = end_index or length
    windows = end - start - (sequence_length - 1) * sampling_rate
    if targets is not None:
        targets = np.asarray(targets)
        windows = min(windows, len(targets))
    starts = np.arange(0, max(windows, 0), sequence_stride)
    if shuffle:
        seed = np.random.randint(1e6) if seed is None else seed
        np.random.RandomState(seed).shuffle(starts)
    series = data[start:end]
    target_series = targets[start:end] if targets is not None else None
    offsets = np.arange(0, sequence_length * sampling_rate, sampling_rate)
    generator = np.random.default_rng(seed) if shuffle else None
    buffer_size = batch_size * 8 if batch_size is not None else 1024
    step = batch_size or 1

    def batches():
        order = starts[_buffer_shuffle(len(starts), buffer_size, generator)] if shuffle else starts
        for first in range(0, len(order), step):
            positions = order[first:first + step]
            windows = series[positions[:, None] + offsets]
            if batch_size is None:
                windows = windows[0]
            if targets is None:
                yield windows
            else:
                yield windows, (target_series[positions] if batch_size is not None else target_series[positions[0]])

    def spec():
        # As tf.data: the batch and window axes have no fixed size.
        windows_spec = TensorSpec(((None, None) if batch_size is not None else (None,)) + series.shape[1:],
                                  _dtype_name(series.dtype))
        if targets is None:
            return windows_spec
        target_shape = ((None,) if batch_size is not None else ()) + target_series.shape[1:]
        return windows_spec, TensorSpec(target_shape, _dtype_name(target_series.dtype))

    dataset = BatchedDataset(batches, -(-len(starts) // step), batched=batch_size is not None, spec=spec)
    dataset._batch_size = batch_size  # a batched tf.data dataset, as Keras returns (`split_dataset` reads it)
    return dataset


def _buffer_shuffle(count, buffer_size, generator):
    """The order in which a shuffle buffer of `buffer_size` (as `tf.data`'s) emits `count` elements."""
    order, buffer = [], []
    for i in range(count):
        buffer.append(i)
        if len(buffer) >= buffer_size:
            order.append(buffer.pop(int(generator.integers(len(buffer)))))
    while buffer:
        order.append(buffer.pop(int(generator.integers(len(buffer)))))
    return np.asarray(order, dtype=np.int64)
