"""`keras.utils.PyDataset` (also `keras.utils.Sequence`, its Keras 2 name): batches made in Python.

Subclass it with `__len__` (the number of batches) and `__getitem__(index)` (one
batch: `x`, `(x, y)` or `(x, y, sample_weight)`); `fit`, `evaluate` and `predict`
take it in place of arrays and call `on_epoch_end()` after each epoch.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> class Halves(keras.utils.PyDataset):
    ...     def __init__(self, x, y, **kwargs):
    ...         super().__init__(**kwargs)
    ...         self.x, self.y = x, y
    ...     def __len__(self):
    ...         return 2
    ...     def __getitem__(self, index):
    ...         rows = slice(index * 2, index * 2 + 2)
    ...         return self.x[rows], self.y[rows]
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    >>> model.compile("sgd", "mse")
    >>> len(model.fit(Halves(np.ones((4, 3)), np.zeros(4)), epochs=2, verbose=0).history["loss"])
    2
"""


class PyDataset:
    """Base class of datasets that build their batches in Python.

    Args:
        workers: how many threads (or processes) read batches ahead of training (1: the
            batches are read in the training thread, one at a time).
        use_multiprocessing: read in worker processes instead of threads (forked from this
            one; the batches are handed back in order).
        max_queue_size: how many batches may be read ahead.

    The batches reach the model in the epoch's order whatever the workers; an exception in
    `__getitem__` stops them all and names the batch.
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        for name, value in (("workers", workers), ("max_queue_size", max_queue_size)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"PyDataset: `{name}` must be a positive integer, got {name}={value!r}.")
        self.workers = workers
        self.use_multiprocessing = use_multiprocessing
        self.max_queue_size = max_queue_size

    def __getitem__(self, index):
        """Batch number `index`: override it."""
        raise NotImplementedError(f"{type(self).__name__} must implement `__getitem__(self, index)`.")

    @property
    def num_batches(self):
        """The number of batches (`len(self)`), or None for an endless dataset."""
        if hasattr(self, "__len__"):
            return len(self)
        raise NotImplementedError(
            f"{type(self).__name__} must implement `__len__` (or a `num_batches` property returning "
            "the number of batches, None for an endless dataset)."
        )

    def __iter__(self):
        count = self.num_batches
        index = 0
        while count is None or index < count:
            yield self[index]
            index += 1

    def on_epoch_begin(self):
        """Called before each epoch."""

    def on_epoch_end(self):
        """Called after each epoch (e.g. to reshuffle)."""


# Keras 2's name, still exported by Keras 3.
Sequence = PyDataset
