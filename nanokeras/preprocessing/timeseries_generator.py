"""Keras 2's `TimeseriesGenerator`: batches of windows over a series, for `fit(generator)`.

The time-series tutorials feed `TimeseriesGenerator(series, series, length=n_input,
batch_size=1)` to `fit`. Keras 3 dropped it for `keras.utils.timeseries_dataset_from_array`;
here it is a `keras.utils.Sequence` giving Keras 2's batches (a note names the Keras 3 way).

Window `i` holds the `length` steps before row `r = start_index + length + i * stride`
(every `sampling_rate`-th one) and its target is `targets[r]`.
"""

import numpy as np

from nanokeras.utils import keras2_notes
from nanokeras.utils.py_dataset import PyDataset


def _positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"TimeseriesGenerator: `{name}` must be a positive integer, got {name}={value!r}.")
    return int(value)


class TimeseriesGenerator(PyDataset):
    """Batches of `(windows, targets)` over `data`, as Keras 2 made them.

    Args:
        data: an array (or list) of time steps, first axis the time.
        targets: one target per time step (same length as `data`).
        length: steps per window.
        sampling_rate: take every `sampling_rate`-th step inside a window.
        stride: steps between the ends of consecutive windows.
        start_index, end_index: the rows (targets) that windows may end on, `end_index` included.
        shuffle: draw each batch's rows at random (from numpy's global generator), as Keras 2 did.
        reverse: windows in reverse time order.
        batch_size: windows per batch (the last batch may be smaller).

    Example:
        >>> import numpy as np, warnings, nanokeras as keras
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     gen = keras.preprocessing.sequence.TimeseriesGenerator(np.arange(10), np.arange(10), length=3,
        ...                                                            batch_size=2)
        >>> len(gen), gen[0][0].tolist(), gen[0][1].tolist()
        (4, [[0, 1, 2], [1, 2, 3]], [3, 4])
    """

    def __init__(self, data, targets, length, sampling_rate=1, stride=1, start_index=0, end_index=None,
                 shuffle=False, reverse=False, batch_size=128):
        keras2_notes.note("timeseries_generator")
        super().__init__()
        if len(data) != len(targets):
            raise ValueError(f"TimeseriesGenerator: `data` and `targets` must have the same length; got "
                             f"len(data)={len(data)} and len(targets)={len(targets)}.")
        self.data, self.targets = data, targets
        self.length = _positive_int("length", length)
        self.sampling_rate = _positive_int("sampling_rate", sampling_rate)
        self.stride = _positive_int("stride", stride)
        self.batch_size = _positive_int("batch_size", batch_size)
        self.start_index = int(start_index) + self.length  # the first row a window can end on
        self.end_index = len(data) - 1 if end_index is None else int(end_index)
        if self.start_index > self.end_index:
            raise ValueError(f"TimeseriesGenerator: `start_index + length` = {self.start_index} > `end_index` = "
                             f"{self.end_index}: no time step would be left to predict (data of length "
                             f"{len(data)}).")
        self.shuffle, self.reverse = bool(shuffle), bool(reverse)

    def __len__(self):
        span = self.batch_size * self.stride
        return (self.end_index - self.start_index + span) // span

    def __getitem__(self, index):
        if self.shuffle:
            rows = np.random.randint(self.start_index, self.end_index + 1, size=self.batch_size)
        else:
            first = self.start_index + self.batch_size * self.stride * index
            rows = np.arange(first, min(first + self.batch_size * self.stride, self.end_index + 1), self.stride)
        samples = np.array([self.data[row - self.length:row:self.sampling_rate] for row in rows])
        targets = np.array([self.targets[row] for row in rows])
        if self.reverse:
            return samples[:, ::-1, ...], targets
        return samples, targets
