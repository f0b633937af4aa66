"""`BatchedDataset`: what the `*_dataset_from_*` utilities return, a small stand-in for `tf.data.Dataset`.

Keras's utilities return `tf.data.Dataset`s; tutorials then iterate over them,
`map` them (e.g. through a `TextVectorization` layer), `cache()`/`prefetch()`
them and pass them to `fit`. This class offers that part of the API on numpy
batches: iterating yields one element at a time (a batch: an array, or a tuple
such as `(texts, labels)`), and every transformation returns a new dataset that
recomputes its elements lazily at each pass (so a shuffle differs per epoch).

Example:
    >>> import numpy as np
    >>> data = BatchedDataset.from_arrays((np.arange(5), np.arange(5) * 10), batch_size=2)
    >>> [x.tolist() for x, y in data]
    [[0, 1], [2, 3], [4]]
    >>> len(data), [y.tolist() for x, y in data.map(lambda x, y: (x, y + 1)).take(1)]
    (3, [[1, 11]])
"""

import numpy as np

INFINITE = -1
UNKNOWN = -2


def _stack(elements):
    """Elements (arrays, or tuples of arrays) stacked along a new first axis."""
    first = elements[0]
    if isinstance(first, tuple):
        return tuple(_stack([e[i] for e in elements]) for i in range(len(first)))
    if isinstance(first, dict):
        return {k: _stack([e[k] for e in elements]) for k in first}
    return np.stack([np.asarray(e) for e in elements])


def _rows(batch):
    """The rows of a batch (an array, or a tuple/dict of arrays of one length)."""
    if isinstance(batch, tuple):
        columns = [list(_rows(part)) for part in batch]
        return [tuple(row) for row in zip(*columns)]
    if isinstance(batch, dict):
        keys = list(batch)
        columns = [list(_rows(batch[k])) for k in keys]
        return [dict(zip(keys, row)) for row in zip(*columns)]
    return list(np.asarray(batch))


class BatchedDataset:
    """A re-iterable sequence of elements (usually batches), with `tf.data`-like transformations.

    Args:
        make_iterator: a function of no arguments returning a fresh iterator over the elements.
        cardinality: the number of elements, `INFINITE` (-1) or `UNKNOWN` (-2).
    """

    # `fit`, `evaluate` and `predict` recognise datasets by this mark.
    _is_nanokeras_dataset = True

    def __init__(self, make_iterator, cardinality=UNKNOWN):
        self._make_iterator = make_iterator
        self._cardinality = cardinality
        self.class_names = None
        self.file_paths = None

    @classmethod
    def from_arrays(cls, arrays, batch_size=None, shuffle=False, seed=None):
        """Batches of `arrays` (an array or a tuple of arrays with one first dimension)."""
        length = len(arrays[0]) if isinstance(arrays, tuple) else len(arrays)
        generator = np.random.default_rng(seed)

        def pieces():
            order = generator.permutation(length) if shuffle else np.arange(length)
            step = batch_size or length
            for start in range(0, length, step):
                index = order[start:start + step]
                yield tuple(np.asarray(a)[index] for a in arrays) if isinstance(arrays, tuple) else \
                    np.asarray(arrays)[index]

        count = 1 if not batch_size else -(-length // batch_size)
        return cls(pieces, count)

    # ------------------------------------------------------------ reading
    def __iter__(self):
        return iter(self._make_iterator())

    def __len__(self):
        if self._cardinality < 0:
            raise TypeError("The dataset's length is unknown or infinite (see `cardinality()`).")
        return self._cardinality

    def cardinality(self):
        """The number of elements, -1 if infinite, -2 if unknown (as `tf.data`)."""
        return self._cardinality

    def as_numpy_iterator(self):
        return iter(self)

    def _derived(self, make_iterator, cardinality):
        dataset = BatchedDataset(make_iterator, cardinality)
        dataset.class_names, dataset.file_paths = self.class_names, self.file_paths
        return dataset

    # ---------------------------------------------------- transformations
    def map(self, function, num_parallel_calls=None, deterministic=None, name=None):
        """Applies `function` to each element (a tuple element is passed as separate arguments)."""
        def mapped():
            for element in self:
                yield function(*element) if isinstance(element, tuple) else function(element)

        return self._derived(mapped, self._cardinality)

    def filter(self, predicate, name=None):
        def kept():
            for element in self:
                if bool(predicate(*element) if isinstance(element, tuple) else predicate(element)):
                    yield element

        return self._derived(kept, UNKNOWN)

    def take(self, count, name=None):
        def taken():
            if count == 0:
                return
            for i, element in enumerate(self):
                yield element
                if count > 0 and i + 1 >= count:
                    return

        cardinality = self._cardinality if count < 0 else (
            count if self._cardinality == INFINITE else min(count, self._cardinality) if self._cardinality >= 0
            else UNKNOWN)
        return self._derived(taken, cardinality)

    def skip(self, count, name=None):
        def skipped():
            for i, element in enumerate(self):
                if i >= count:
                    yield element

        cardinality = max(self._cardinality - count, 0) if self._cardinality >= 0 else self._cardinality
        return self._derived(skipped, cardinality)

    def repeat(self, count=None, name=None):
        def repeated():
            i = 0
            while count is None or count < 0 or i < count:
                yield from self
                i += 1

        infinite = count is None or count < 0
        cardinality = INFINITE if infinite else (self._cardinality * count if self._cardinality >= 0 else UNKNOWN)
        return self._derived(repeated, cardinality)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True, name=None):
        """Elements in random order, drawn from a buffer of `buffer_size` (as `tf.data`)."""
        generator = np.random.default_rng(seed)
        fixed = None if reshuffle_each_iteration else generator.bit_generator.state

        def shuffled():
            rng = generator
            if fixed is not None:
                rng = np.random.default_rng()
                rng.bit_generator.state = fixed
            buffer = []
            for element in self:
                buffer.append(element)
                if len(buffer) >= buffer_size:
                    yield buffer.pop(int(rng.integers(len(buffer))))
            while buffer:
                yield buffer.pop(int(rng.integers(len(buffer))))

        return self._derived(shuffled, self._cardinality)

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None, deterministic=None, name=None):
        def batched():
            pending = []
            for element in self:
                pending.append(element)
                if len(pending) == batch_size:
                    yield _stack(pending)
                    pending = []
            if pending and not drop_remainder:
                yield _stack(pending)

        cardinality = self._cardinality
        if cardinality >= 0:
            cardinality = cardinality // batch_size if drop_remainder else -(-cardinality // batch_size)
        return self._derived(batched, cardinality)

    def unbatch(self, name=None):
        def rows():
            for element in self:
                yield from _rows(element)

        return self._derived(rows, UNKNOWN if self._cardinality >= 0 else self._cardinality)

    def cache(self, filename="", name=None):
        """Keeps the elements of the first complete pass in memory and replays them afterwards."""
        store = {}

        def cached():
            if "elements" in store:
                yield from store["elements"]
                return
            elements = []
            for element in self:
                elements.append(element)
                yield element
            store["elements"] = elements

        return self._derived(cached, self._cardinality)

    def prefetch(self, buffer_size=None, name=None):
        """Returns the dataset itself: elements are computed when asked for (nothing runs in the background)."""
        return self

    def __repr__(self):
        size = self._cardinality if self._cardinality >= 0 else {INFINITE: "infinite", UNKNOWN: "unknown"}[
            self._cardinality]
        return f"<BatchedDataset cardinality={size}>"
