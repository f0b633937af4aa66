"""`BatchDataset`: batches made on demand (what `image_dataset_from_directory` returns).

It stands where Keras returns a `tf.data.Dataset`: iterate it for `(images,
labels)` batches (each full pass is an epoch), pass it to `fit`/`evaluate`/
`predict` (it is indexable like a Keras `PyDataset`: `len()`, `dataset[i]`,
`on_epoch_end()`), and chain the `tf.data` calls tutorials use (`take`, `skip`,
`map`, `cache`, `shuffle`, `repeat`, `prefetch`).

Example:
    >>> import numpy as np
    >>> data = BatchDataset(lambda index, epoch: (np.full((2, 3), index), np.arange(2)), 3)
    >>> len(data), [float(x[0, 0]) for x, y in data.take(2)]
    (3, [0.0, 1.0])
"""

import numpy as np


class BatchDataset:
    """A fixed number of batches, each made when asked for.

    Args:
        get_batch: `get_batch(index, epoch) -> batch`; `epoch` counts the passes made
            so far (a dataset that reshuffles uses it to pick its order).
        num_batches: how many batches a pass has.
        class_names, file_paths: what the directory utilities found.
    """

    _is_batch_dataset = True

    def __init__(self, get_batch, num_batches, class_names=None, file_paths=None):
        self._get_batch = get_batch
        self._num_batches = int(num_batches)
        self._epoch = 0
        self.class_names = class_names
        self.file_paths = file_paths

    def __len__(self):
        return self._num_batches

    def __getitem__(self, index):
        if index < 0:
            index += self._num_batches
        if not 0 <= index < self._num_batches:
            raise IndexError(f"batch index {index} out of range for a dataset of {self._num_batches} batches")
        return self._get_batch(index, self._epoch)

    def on_epoch_end(self):
        """Starts the next pass (`fit` calls it after each epoch; iterating calls it at the end)."""
        self._epoch += 1

    def __iter__(self):
        for index in range(self._num_batches):
            yield self[index]
        self.on_epoch_end()

    def cardinality(self):
        return self._num_batches

    def as_numpy_iterator(self):
        return iter(self)

    def _derived(self, get_batch, num_batches):
        return BatchDataset(get_batch, num_batches, self.class_names, self.file_paths)

    def take(self, count):
        """The first `count` batches (all of them when `count` is -1)."""
        count = self._num_batches if count < 0 else min(count, self._num_batches)
        return self._derived(self._get_batch, count)

    def skip(self, count):
        count = min(max(count, 0), self._num_batches)
        return self._derived(lambda index, epoch: self._get_batch(index + count, epoch), self._num_batches - count)

    def map(self, function):
        """`function` applied to every batch (to its parts when the batch is a tuple)."""
        def get_batch(index, epoch):
            batch = self._get_batch(index, epoch)
            return function(*batch) if isinstance(batch, tuple) else function(batch)

        return self._derived(get_batch, self._num_batches)

    def cache(self, filename=""):
        """Keeps each batch the first time it is made; later passes reuse it."""
        stored = {}

        def get_batch(index, epoch):
            if index not in stored:
                stored[index] = self._get_batch(index, epoch)
            return stored[index]

        return self._derived(get_batch, self._num_batches)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True):
        """The batches in a random order, a new one each pass (whole batches move, as on a batched
        `tf.data` dataset)."""
        orders = {}

        def get_batch(index, epoch):
            key = epoch if reshuffle_each_iteration else 0
            if key not in orders:
                orders.clear()
                rng = np.random.default_rng(None if seed is None else (seed, key))
                orders[key] = rng.permutation(self._num_batches)
            return self._get_batch(int(orders[key][index]), epoch)

        return self._derived(get_batch, self._num_batches)

    def repeat(self, count):
        """The batches `count` times over."""
        return self._derived(lambda index, epoch: self._get_batch(index % self._num_batches, epoch),
                             self._num_batches * int(count))

    def prefetch(self, buffer_size=None):
        """Returns the dataset itself: batches are made when asked for (no background thread)."""
        return self

    def __repr__(self):
        return f"<BatchDataset batches={self._num_batches}>"
