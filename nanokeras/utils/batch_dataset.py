"""`BatchDataset`: batches produced on demand, one pass per iteration (what `image_dataset_from_directory` returns).

It stands where Keras returns a `tf.data.Dataset`: iterate it for `(images,
labels)` batches, pass it to `fit`/`evaluate`/`predict`, and chain the common
`tf.data` calls tutorials use (`take`, `map`, `cache`, `shuffle`, `prefetch`).

Example:
    >>> import numpy as np
    >>> data = BatchDataset(lambda epoch: iter([(np.zeros((2, 3)), np.arange(2))] * 3), 3)
    >>> len(data), [x.shape for x, y in data.take(2)]
    (3, [(2, 3), (2, 3)])
"""

import itertools

import numpy as np


class BatchDataset:
    """An iterable of batches; each `iter()` is a new pass (an epoch).

    Args:
        make_batches: `make_batches(epoch) -> iterator of batches`, called once per pass.
        num_batches: the number of batches of a pass (None if unknown).
        class_names, file_paths: what the directory utilities found.
    """

    _is_batch_dataset = True

    def __init__(self, make_batches, num_batches, class_names=None, file_paths=None):
        self._make_batches = make_batches
        self._num_batches = num_batches
        self._epoch = 0
        self.class_names = class_names
        self.file_paths = file_paths

    def __iter__(self):
        epoch = self._epoch
        self._epoch += 1
        return iter(self._make_batches(epoch))

    def __len__(self):
        if self._num_batches is None:
            raise TypeError("The length of this dataset is unknown.")
        return self._num_batches

    def cardinality(self):
        """The number of batches (-2 when unknown, as `tf.data` says)."""
        return -2 if self._num_batches is None else self._num_batches

    def as_numpy_iterator(self):
        return iter(self)

    def _derived(self, make_batches, num_batches):
        return BatchDataset(make_batches, num_batches, self.class_names, self.file_paths)

    def take(self, count):
        """The first `count` batches of each pass (all of them when `count` is -1)."""
        if count < 0:
            return self
        total = count if self._num_batches is None else min(count, self._num_batches)
        return self._derived(lambda epoch: itertools.islice(iter(self), count), total)

    def skip(self, count):
        total = None if self._num_batches is None else max(self._num_batches - count, 0)
        return self._derived(lambda epoch: itertools.islice(iter(self), count, None), total)

    def map(self, function):
        """`function` applied to every batch (to its parts when the batch is a tuple)."""
        def make(epoch):
            for batch in self:
                yield function(*batch) if isinstance(batch, tuple) else function(batch)

        return self._derived(make, self._num_batches)

    def cache(self, filename=""):
        """Keeps the batches of the first pass in memory; later passes replay them."""
        stored = []

        def make(epoch):
            if stored and epoch > 0:
                return iter(stored)
            stored.clear()
            return _recording(iter(self), stored)

        return self._derived(make, self._num_batches)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True):
        """The batches of each pass in a random order (whole batches move, as on a batched `tf.data` dataset)."""
        def make(epoch):
            batches = list(self)
            rng = np.random.default_rng(None if seed is None else (seed, epoch if reshuffle_each_iteration else 0))
            return iter([batches[i] for i in rng.permutation(len(batches))])

        return self._derived(make, self._num_batches)

    def prefetch(self, buffer_size=None):
        """Returns the dataset itself: batches are made when asked for (no background thread)."""
        return self

    def repeat(self, count=None):
        if count is None:
            return self._derived(lambda epoch: itertools.chain.from_iterable(iter(self) for _ in itertools.count()),
                                 None)
        total = None if self._num_batches is None else self._num_batches * count
        return self._derived(lambda epoch: itertools.chain.from_iterable(iter(self) for _ in range(count)), total)

    def __repr__(self):
        size = "unknown" if self._num_batches is None else self._num_batches
        return f"<BatchDataset batches={size}>"


def _recording(iterator, stored):
    for batch in iterator:
        stored.append(batch)
        yield batch
