"""`BatchedDataset`: what the `*_dataset_from_*` utilities return, a small stand-in for `tf.data.Dataset`.

Keras's utilities return `tf.data.Dataset`s; tutorials then iterate over them,
`map` them (e.g. through a `TextVectorization` layer), `cache()`/`prefetch()`
them and pass them to `fit`. This class offers that part of the API on numpy
batches: iterating yields one element at a time (a batch: an array, or a tuple
such as `(texts, labels)`), and every transformation returns a new dataset that
recomputes its elements lazily at each pass (so a shuffle differs per epoch).

The arrays a dataset yields are `DatasetTensor`s: numpy arrays that also read
like the eager tensors `tf.data` yields, so tutorial code runs unchanged:
`labels.numpy()` (a plain `np.ndarray`; strings as bytes, as TensorFlow gives
them), `images[0].numpy()`, `x.shape.as_list()`, and `print(x)` shows
`tf.Tensor(...)` as in Keras. Anything numpy or nanokeras computes from them
(`np.mean(x)`, `model(x)`, `keras.ops.*`) is a plain `np.ndarray`; operators
(`x / 255`) and indexing keep the tensor type, as with TensorFlow tensors.
`as_numpy_iterator()` yields plain arrays. `element_spec` describes the
elements with `TensorSpec`s (`None` for the batch axis), as `tf.data` does.

Example:
    >>> import numpy as np
    >>> data = BatchedDataset.from_arrays((np.arange(5), np.arange(5) * 10), batch_size=2)
    >>> [x.numpy().tolist() for x, y in data]
    [[0, 1], [2, 3], [4]]
    >>> len(data), [y.numpy().tolist() for x, y in data.map(lambda x, y: (x, y + 1)).take(1)]
    (3, [[1, 11]])
    >>> data.element_spec[0]
    TensorSpec(shape=(None,), dtype=tf.int64, name=None)
"""

import numpy as np

INFINITE = -1
UNKNOWN = -2


# ------------------------------------------------------------------ tensor-like elements
class TensorShape(tuple):
    """A shape as `tf.TensorShape` reads: a tuple (`None` for an unknown size) with `as_list()`.

    `print(shape)` shows `(4, 5, 2)`; `repr` shows `TensorShape([4, 5, 2])`, as TensorFlow.
    """

    def __new__(cls, dims=()):
        return super().__new__(cls, tuple(None if d is None else int(d) for d in dims))

    @property
    def rank(self):
        return len(self)

    ndims = rank

    def as_list(self):
        return list(self)

    def num_elements(self):
        """The number of elements, or None when a size is unknown."""
        return None if None in self else int(np.prod(self, dtype=np.int64))

    def is_fully_defined(self):
        return None not in self

    def __getitem__(self, key):
        item = super().__getitem__(key)
        return TensorShape(item) if isinstance(key, slice) else item

    def __str__(self):
        return tuple.__repr__(tuple(self))

    def __repr__(self):
        return f"TensorShape({list(self)!r})"


def _dtype_name(dtype):
    """TensorFlow's name of a numpy dtype: `string` for text (str or bytes), else numpy's name."""
    return "string" if np.dtype(dtype).kind in "USO" else np.dtype(dtype).name


def _plain_value(value):
    """`value` as `.numpy()` gives it: an `np.ndarray` (a numpy scalar when 0-d), text as bytes."""
    array = np.array(value)  # a plain copy
    if array.dtype.kind == "U":
        encoded = np.empty(array.shape, dtype=object)
        for index in np.ndindex(array.shape):
            encoded[index] = str(array[index]).encode("utf-8")
        array = encoded
    return array[()] if array.ndim == 0 else array


def _strip(value):
    """`value` with every `DatasetTensor` in it (also inside lists/tuples/dicts) as a plain array."""
    if isinstance(value, DatasetTensor):
        return value.view(np.ndarray)
    if isinstance(value, (list, tuple)):
        return type(value)(_strip(v) for v in value)
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items()}
    return value


class DatasetTensor(np.ndarray):
    """A numpy array that also reads like the eager tensor `tf.data` yields (see the module docstring).

    `.numpy()` gives a plain copy, `.shape` a `TensorShape`; numpy functions and ufuncs called on
    it return plain arrays, while its operators and indexing keep the type (`labels[0].numpy()`).
    """

    def numpy(self):
        """A plain `np.ndarray` copy (a numpy scalar when 0-d); text comes as bytes, as TensorFlow's."""
        return _plain_value(self.view(np.ndarray))

    @property
    def shape(self):
        return TensorShape(np.ndarray.shape.__get__(self))

    @shape.setter
    def shape(self, value):
        np.ndarray.shape.__set__(self, value)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        out = kwargs.get("out")
        if out is not None:
            kwargs["out"] = _strip(out)
        result = getattr(ufunc, method)(*_strip(inputs), **kwargs)
        if out is not None:  # in place: the given outputs, as numpy returns them
            return out[0] if len(out) == 1 else out
        return result

    def __array_function__(self, func, types, args, kwargs):
        return func(*_strip(args), **_strip(kwargs))

    def __getitem__(self, key):
        item = np.ndarray.__getitem__(self.view(np.ndarray), _strip(key))
        return np.asarray(item).view(DatasetTensor)

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        for index in range(len(self)):
            yield self[index]

    def __str__(self):
        text = str(self.numpy())
        if "\n" in text:
            text = "\n" + text
        return f"tf.Tensor({text}, shape={self.shape}, dtype={_dtype_name(self.dtype)})"

    def __repr__(self):
        value = self.numpy()
        text = repr(value.item() if isinstance(value, np.generic) else value)
        if "\n" in text:
            text = "\n" + text
        return f"<tf.Tensor: shape={self.shape}, dtype={_dtype_name(self.dtype)}, numpy={text}>"


def _operator(function, reflected=False):
    def method(self, other):
        plain = self.view(np.ndarray)
        result = function(_strip(other), plain) if reflected else function(plain, _strip(other))
        return np.asarray(result).view(DatasetTensor) if result is not NotImplemented else result

    return method


def _unary(function):
    return lambda self: np.asarray(function(self.view(np.ndarray))).view(DatasetTensor)


for _name, _function in (("add", np.add), ("sub", np.subtract), ("mul", np.multiply),
                         ("truediv", np.true_divide), ("floordiv", np.floor_divide), ("mod", np.remainder),
                         ("pow", np.power), ("matmul", np.matmul), ("and", np.bitwise_and),
                         ("or", np.bitwise_or), ("xor", np.bitwise_xor)):
    setattr(DatasetTensor, f"__{_name}__", _operator(_function))
    setattr(DatasetTensor, f"__r{_name}__", _operator(_function, reflected=True))
for _name, _function in (("lt", np.less), ("le", np.less_equal), ("gt", np.greater), ("ge", np.greater_equal),
                         ("eq", np.equal), ("ne", np.not_equal)):
    setattr(DatasetTensor, f"__{_name}__", _operator(_function))
for _name, _function in (("neg", np.negative), ("pos", np.positive), ("abs", np.absolute), ("invert", np.invert)):
    setattr(DatasetTensor, f"__{_name}__", _unary(_function))
DatasetTensor.__hash__ = None


def _as_tensors(element):
    """An element with its arrays (and numpy scalars) as `DatasetTensor`s."""
    if isinstance(element, tuple):
        return tuple(_as_tensors(part) for part in element)
    if isinstance(element, list):
        return [_as_tensors(part) for part in element]
    if isinstance(element, dict):
        return {k: _as_tensors(v) for k, v in element.items()}
    if isinstance(element, (np.ndarray, np.generic)):
        return np.asarray(element).view(DatasetTensor)
    return element


def _as_numpy(element):
    """An element as `as_numpy_iterator()` gives it: plain arrays, numpy scalars, text as bytes."""
    if isinstance(element, tuple):
        return tuple(_as_numpy(part) for part in element)
    if isinstance(element, list):
        return [_as_numpy(part) for part in element]
    if isinstance(element, dict):
        return {k: _as_numpy(v) for k, v in element.items()}
    if isinstance(element, (np.ndarray, np.generic)):
        return _plain_value(element)
    return element


# ------------------------------------------------------------------ element_spec
class DType(str):
    """A dtype name as `TensorSpec.dtype` gives it: equal to the name (`spec.dtype == "float32"`),
    printed as TensorFlow prints its dtypes (`<dtype: 'float32'>`, repr `tf.float32`)."""

    @property
    def name(self):
        return str.__str__(self)

    def __str__(self):
        return f"<dtype: {self.name!r}>"

    def __repr__(self):
        return f"tf.{self.name}"


class TensorSpec:
    """The shape and dtype of one part of a dataset's elements, as `tf.TensorSpec` (its repr too).

    `shape` is a `TensorShape` (None for a size that varies, such as the batch axis); `dtype`
    is TensorFlow's dtype name (`"float32"`, `"int32"`, `"string"`...).
    """

    def __init__(self, shape, dtype, name=None):
        self.shape = TensorShape(shape)
        self.dtype = DType(dtype.name if isinstance(dtype, DType) else
                           dtype if isinstance(dtype, str) else _dtype_name(dtype))
        self.name = name

    def __eq__(self, other):
        return (isinstance(other, TensorSpec) and (self.shape, self.dtype, self.name)
                == (other.shape, other.dtype, other.name))

    def __hash__(self):
        return hash((self.shape, self.dtype, self.name))

    def __repr__(self):
        return f"TensorSpec(shape={self.shape}, dtype={self.dtype!r}, name={self.name!r})"


def _map_specs(function, spec):
    if isinstance(spec, (tuple, list)):
        return type(spec)(_map_specs(function, part) for part in spec)
    if isinstance(spec, dict):
        return {k: _map_specs(function, v) for k, v in spec.items()}
    return function(spec)


def _leaves(structure):
    """The leaves of an element or spec (tuples, lists and dicts are walked), in order."""
    if isinstance(structure, (tuple, list)):
        return [leaf for part in structure for leaf in _leaves(part)]
    if isinstance(structure, dict):
        return [leaf for key in structure for leaf in _leaves(structure[key])]
    return [structure]


def _spec_of(element, batched):
    """The spec of one element; with `batched`, the first axis is `None` (its size varies)."""
    def leaf(value):
        array = np.asarray(value)
        shape = array.shape
        return TensorSpec(((None,) + shape[1:]) if batched and shape else shape, _dtype_name(array.dtype))

    if isinstance(element, (tuple, list, dict)):
        return _map_specs(leaf, _strip(element))
    return leaf(element)


def _first_row(element):
    """Row 0 of a batch (an array, or a tuple/dict of arrays)."""
    if isinstance(element, (tuple, list)):
        return type(element)(_first_row(part) for part in element)
    if isinstance(element, dict):
        return {k: _first_row(v) for k, v in element.items()}
    return np.asarray(element)[0]


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
        batched: the elements are batches (`element_spec` then gives `None` for their first axis).
        spec: a function of no arguments giving `element_spec`; by default it is read from
            the first element.
    """

    # `fit`, `evaluate` and `predict` recognise datasets by this mark.
    _is_nanokeras_dataset = True

    def __init__(self, make_iterator, cardinality=UNKNOWN, batched=False, spec=None):
        self._make_iterator = make_iterator
        self._cardinality = cardinality
        self._batched = batched
        self._spec = spec
        self._batch_size = None  # set by `batch()`, read by `split_dataset` (as tf.data's BatchDataset)
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
        return cls(pieces, count, batched=True)

    @classmethod
    def from_samples(cls, samples, batch_size=None):
        """A dataset of `samples` (a list), one per element or stacked in batches of `batch_size`."""
        samples = list(samples)

        def elements():
            if batch_size is None:
                yield from samples
                return
            for start in range(0, len(samples), batch_size):
                yield _stack(samples[start:start + batch_size])

        count = len(samples) if batch_size is None else -(-len(samples) // batch_size)
        dataset = cls(elements, count, batched=batch_size is not None)
        dataset._batch_size = batch_size
        return dataset

    # ------------------------------------------------------------ reading
    def _elements(self):
        """The elements as the transformations pass them on (plain arrays, or whatever `map` returned)."""
        return iter(self._make_iterator())

    def __iter__(self):
        for element in self._elements():
            yield _as_tensors(element)

    def __len__(self):
        if self._cardinality < 0:
            raise TypeError("The dataset's length is unknown or infinite (see `cardinality()`).")
        return self._cardinality

    def cardinality(self):
        """The number of elements, -1 if infinite, -2 if unknown (as `tf.data`)."""
        return self._cardinality

    def as_numpy_iterator(self):
        """The elements as plain numpy arrays (numpy scalars when 0-d; text as bytes, as `tf.data`)."""
        return (_as_numpy(element) for element in self._elements())

    @property
    def element_spec(self):
        """The structure of `TensorSpec`s of the elements (`None` for the size of a batch axis)."""
        if self._spec is not None:
            return self._spec()
        for element in self._elements():
            return _spec_of(element, self._batched)
        raise ValueError("The dataset has no elements, so its `element_spec` cannot be read from one.")

    def _derived(self, make_iterator, cardinality, batched=None, spec=None):
        dataset = BatchedDataset(make_iterator, cardinality, self._batched if batched is None else batched, spec)
        dataset.class_names, dataset.file_paths = self.class_names, self.file_paths
        return dataset

    def _same_elements(self, make_iterator, cardinality):
        """A derived dataset whose elements have this one's spec (take, skip, shuffle...)."""
        return self._derived(make_iterator, cardinality, spec=lambda: self.element_spec)

    # ---------------------------------------------------- transformations
    def map(self, function, num_parallel_calls=None, deterministic=None, name=None):
        """Applies `function` to each element (a tuple element is passed as separate arguments)."""
        def mapped():
            for element in self:
                yield function(*element) if isinstance(element, tuple) else function(element)

        def spec():
            # Read from the first element mapped; a part shaped as a part of the input keeps that
            # part's spec (its unknown sizes stay unknown, as tf.data traces them).
            for raw in self._elements():
                element = _as_tensors(raw)
                output = function(*element) if isinstance(element, tuple) else function(element)
                known = list(zip([np.shape(leaf) for leaf in _leaves(raw)],
                                 [s.shape for s in _leaves(self.element_spec)]))
                shapes = iter([np.shape(leaf) for leaf in _leaves(_strip(output))])

                def like_input(spec):
                    concrete = next(shapes)
                    return TensorSpec(next((shape for seen, shape in known if seen == concrete), spec.shape),
                                      spec.dtype)

                return _map_specs(like_input, _spec_of(output, self._batched))
            raise ValueError("The dataset has no elements, so its `element_spec` cannot be read from one.")

        return self._derived(mapped, self._cardinality, spec=spec)

    def filter(self, predicate, name=None):
        def kept():
            for raw in self._elements():
                element = _as_tensors(raw)
                if bool(predicate(*element) if isinstance(element, tuple) else predicate(element)):
                    yield raw

        return self._same_elements(kept, UNKNOWN)

    def take(self, count, name=None):
        def taken():
            if count == 0:
                return
            for i, element in enumerate(self._elements()):
                yield element
                if count > 0 and i + 1 >= count:
                    return

        cardinality = self._cardinality if count < 0 else (
            count if self._cardinality == INFINITE else min(count, self._cardinality) if self._cardinality >= 0
            else UNKNOWN)
        return self._same_elements(taken, cardinality)

    def skip(self, count, name=None):
        def skipped():
            for i, element in enumerate(self._elements()):
                if i >= count:
                    yield element

        cardinality = max(self._cardinality - count, 0) if self._cardinality >= 0 else self._cardinality
        return self._same_elements(skipped, cardinality)

    def repeat(self, count=None, name=None):
        def repeated():
            i = 0
            while count is None or count < 0 or i < count:
                yield from self._elements()
                i += 1

        infinite = count is None or count < 0
        cardinality = INFINITE if infinite else (self._cardinality * count if self._cardinality >= 0 else UNKNOWN)
        return self._same_elements(repeated, cardinality)

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
            for element in self._elements():
                buffer.append(element)
                if len(buffer) >= buffer_size:
                    yield buffer.pop(int(rng.integers(len(buffer))))
            while buffer:
                yield buffer.pop(int(rng.integers(len(buffer))))

        return self._same_elements(shuffled, self._cardinality)

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None, deterministic=None, name=None):
        def batched():
            pending = []
            for element in self._elements():
                pending.append(element)
                if len(pending) == batch_size:
                    yield _stack(pending)
                    pending = []
            if pending and not drop_remainder:
                yield _stack(pending)

        cardinality = self._cardinality
        if cardinality >= 0:
            cardinality = cardinality // batch_size if drop_remainder else -(-cardinality // batch_size)
        size = batch_size if drop_remainder else None
        dataset = self._derived(batched, cardinality, batched=True, spec=lambda: _map_specs(
            lambda s: TensorSpec((size,) + tuple(s.shape), s.dtype, s.name), self.element_spec))
        dataset._batch_size = batch_size
        return dataset

    def unbatch(self, name=None):
        def rows():
            for element in self._elements():
                yield from _rows(element)

        return self._derived(rows, UNKNOWN if self._cardinality >= 0 else self._cardinality, batched=False,
                             spec=lambda: _map_specs(lambda s: TensorSpec(s.shape[1:], s.dtype, s.name),
                                                     self.element_spec))

    def cache(self, filename="", name=None):
        """Keeps the elements of the first complete pass in memory and replays them afterwards."""
        store = {}

        def cached():
            if "elements" in store:
                yield from store["elements"]
                return
            elements = []
            for element in self._elements():
                elements.append(element)
                yield element
            store["elements"] = elements

        return self._same_elements(cached, self._cardinality)

    def prefetch(self, buffer_size=None, name=None):
        """Returns the dataset itself: elements are computed when asked for (nothing runs in the background)."""
        return self

    def __repr__(self):
        size = self._cardinality if self._cardinality >= 0 else {INFINITE: "infinite", UNKNOWN: "unknown"}[
            self._cardinality]
        return f"<BatchedDataset cardinality={size}>"
