"""The elements datasets yield read like `tf.data`'s eager tensors (`.numpy()`, `.shape`, printing),
stay plain numpy arrays for numpy and nanokeras, and `element_spec` describes them."""

import pickle

import numpy as np
import pytest

import nanokeras as nk
from nanokeras.utils.batched_dataset import BatchedDataset, DatasetTensor, TensorShape, TensorSpec


def _series():
    data = np.arange(40, dtype="float32").reshape(20, 2)
    return data, nk.utils.timeseries_dataset_from_array(data, data[5:, 0], sequence_length=5, batch_size=4)


def _texts(tmp_path):
    for name, text in (("a/1.txt", "hello world"), ("a/2.txt", "héllo"), ("b/3.txt", "foo bar")):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_batches_have_numpy_giving_plain_arrays():
    data, ds = _series()
    for inputs, targets in ds.take(1):
        pass
    assert isinstance(inputs, DatasetTensor) and isinstance(targets, DatasetTensor)
    values = inputs.numpy()
    assert type(values) is np.ndarray and values.shape == (4, 5, 2) and values.dtype == np.float32
    np.testing.assert_array_equal(values[1], data[1:6])
    values[0, 0, 0] = -1  # a copy: the element is unchanged
    assert inputs[0, 0, 0].numpy() == 0
    assert type(targets.numpy()) is np.ndarray and targets.numpy().tolist() == [10, 12, 14, 16]


def test_indexing_keeps_the_tensor_and_scalars_give_numpy_scalars():
    _, ds = _series()
    inputs, targets = next(iter(ds))
    assert type(inputs[0].numpy()) is np.ndarray and inputs[0].numpy().shape == (5, 2)
    scalar = targets[0]
    assert isinstance(scalar, DatasetTensor) and scalar.shape == ()
    assert type(scalar.numpy()) is np.float32 and scalar.numpy() == 10
    assert [row.numpy().shape for row in inputs] == [(5, 2)] * 4
    assert ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"][targets[0].numpy().astype(int) // 2] == "f"
    labels = np.array([2, 0], dtype="int32").view(DatasetTensor)
    assert ["x", "y", "z"][labels[0]] == "z"  # a 0-d int tensor indexes a list, as TensorFlow's


def test_shape_reads_like_a_tensorshape():
    _, ds = _series()
    inputs, targets = next(iter(ds))
    assert isinstance(inputs.shape, TensorShape) and isinstance(inputs.shape, tuple)
    assert inputs.shape == (4, 5, 2) and inputs.shape[0] == 4 and inputs.shape.as_list() == [4, 5, 2]
    assert str(inputs.shape) == "(4, 5, 2)" and str(targets.shape) == "(4,)"
    assert repr(targets.shape) == "TensorShape([4])" and inputs.shape.rank == 3
    assert isinstance(inputs.shape[1:], TensorShape) and inputs.shape[1:] == (5, 2)
    assert inputs.shape.num_elements() == 40 and TensorShape([None, 2]).num_elements() is None
    assert np.zeros(inputs.shape).shape == (4, 5, 2)
    assert inputs.dtype == np.float32 and inputs.dtype == "float32"  # a numpy dtype, as numpy code expects


def test_printing_matches_tensorflow():
    labels = np.array([1, 0], dtype="int32").view(DatasetTensor)
    assert str(labels) == "tf.Tensor([1 0], shape=(2,), dtype=int32)"
    assert repr(labels) == "<tf.Tensor: shape=(2,), dtype=int32, numpy=array([1, 0], dtype=int32)>"
    assert repr(labels[0]) == "<tf.Tensor: shape=(), dtype=int32, numpy=1>"
    assert str(labels[0]) == "tf.Tensor(1, shape=(), dtype=int32)"
    grid = np.zeros((2, 2), "float32").view(DatasetTensor)
    assert str(grid) == "tf.Tensor(\n[[0. 0.]\n [0. 0.]], shape=(2, 2), dtype=float32)"


def test_numpy_and_nanokeras_results_are_plain_arrays():
    _, ds = _series()
    inputs, targets = next(iter(ds))
    for value in (np.mean(inputs), np.asarray(inputs), np.array(inputs), np.add(inputs, 1), np.concatenate([targets]),
                  nk.ops.convert_to_tensor(inputs), nk.ops.reshape(inputs, (-1,)), nk.ops.mean(inputs, axis=0),
                  nk.layers.Flatten()(inputs), nk.losses.MeanSquaredError()(targets, targets * 2)):
        assert not isinstance(value, DatasetTensor), type(value)
    model = nk.Sequential([nk.Input((5, 2)), nk.layers.Flatten(), nk.layers.Dense(1)])
    assert type(model(inputs)) is np.ndarray and type(model.predict(inputs, verbose=0)) is np.ndarray
    normalization = nk.layers.Normalization()
    normalization.adapt(ds.map(lambda x, y: x))
    assert all(type(w) is np.ndarray for w in normalization.get_weights())
    assert type(normalization(inputs)) is np.ndarray


def test_operators_keep_the_tensor_type_as_tensorflow():
    _, ds = _series()
    inputs, targets = next(iter(ds))
    for value in (inputs / 255.0, 1 - targets, -targets, targets == 10, targets @ targets):
        assert isinstance(value, DatasetTensor)
    np.testing.assert_array_equal((targets * 2).numpy(), targets.numpy() * 2)
    assert isinstance(np.ones(4) + targets, DatasetTensor)  # as a tf.Tensor (its reflected operator wins)
    assert type(np.add(np.ones(4), targets)) is np.ndarray  # numpy's functions give numpy arrays
    kept = targets
    kept += 1
    assert kept is targets and isinstance(kept, DatasetTensor) and targets.numpy()[0] == 11
    assert type(pickle.loads(pickle.dumps(inputs))) is DatasetTensor


def test_as_numpy_iterator_map_unbatch_and_fit():
    _, ds = _series()
    first = next(ds.as_numpy_iterator())
    assert all(type(part) is np.ndarray for part in first)
    seen = []
    mapped = ds.map(lambda x, y: (seen.append(type(x)) or x / 2, y))
    x, _ = next(iter(mapped))
    assert seen == [DatasetTensor] and isinstance(x, DatasetTensor) and x.numpy()[0, 1, 0] == 1
    row = next(iter(ds.unbatch()))
    assert row[0].shape == (5, 2) and type(row[1].numpy()) is np.float32
    assert type(next(ds.unbatch().as_numpy_iterator())[1]) is np.float32
    model = nk.Sequential([nk.Input((5, 2)), nk.layers.Flatten(), nk.layers.Dense(1)])
    model.compile("sgd", "mse")
    history = model.fit(ds, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0]) and all(type(w) is np.ndarray for w in model.get_weights())


def test_text_elements_are_bytes_like_tensorflow(tmp_path):
    ds = nk.utils.text_dataset_from_directory(str(_texts(tmp_path)), batch_size=2, shuffle=False, verbose=False)
    texts, labels = next(iter(ds))
    values = texts.numpy()
    assert values.dtype == object and values.tolist() == [b"hello world", "héllo".encode()]
    assert texts[0].numpy() == b"hello world" and texts.shape == (2,)
    assert str(texts) == "tf.Tensor([b'hello world' b'h\\xc3\\xa9llo'], shape=(2,), dtype=string)"
    assert next(ds.as_numpy_iterator())[0].tolist() == values.tolist()
    vectorize = nk.layers.TextVectorization(max_tokens=10)
    vectorize.adapt(ds.map(lambda x, y: x))
    assert "héllo" in vectorize.get_vocabulary() and type(vectorize(texts)) is np.ndarray
    assert ds.element_spec == (TensorSpec((None,), "string"), TensorSpec((None,), "int32"))


def test_element_spec_of_builders_and_transformations():
    data, ds = _series()
    spec = ds.element_spec
    assert repr(spec) == ("(TensorSpec(shape=(None, None, 2), dtype=tf.float32, name=None), "
                          "TensorSpec(shape=(None,), dtype=tf.float32, name=None))")
    assert spec[0].shape.as_list() == [None, None, 2] and spec[0].dtype == "float32"
    assert str(spec[0].dtype) == "<dtype: 'float32'>" and spec[0].dtype.name == "float32"
    assert ds.take(1).element_spec == spec and ds.shuffle(3).repeat(2).cache().element_spec == spec
    assert ds.unbatch().element_spec == (TensorSpec((None, 2), "float32"), TensorSpec((), "float32"))
    assert ds.unbatch().batch(3, drop_remainder=True).element_spec[1] == TensorSpec((3,), "float32")
    assert ds.map(lambda x, y: y).element_spec == TensorSpec((None,), "float32")
    unbatched = nk.utils.timeseries_dataset_from_array(data, None, sequence_length=5, batch_size=None)
    assert unbatched.element_spec == TensorSpec((None, 2), "float32")
    arrays = BatchedDataset.from_arrays(np.zeros((5, 3), "uint8"), batch_size=2)
    assert arrays.element_spec == TensorSpec((None, 3), "uint8")


def test_element_spec_does_not_use_up_a_shuffled_pass(tmp_path):
    ds = nk.utils.text_dataset_from_directory(str(_texts(tmp_path)), batch_size=1, seed=3, verbose=False)
    again = nk.utils.text_dataset_from_directory(str(_texts(tmp_path)), batch_size=1, seed=3, verbose=False)
    assert again.element_spec[1] == TensorSpec((None,), "int32")
    assert [t.numpy().tolist() for t, _ in ds] == [t.numpy().tolist() for t, _ in again]


def test_an_empty_dataset_has_no_element_spec_to_read():
    empty = BatchedDataset(lambda: iter(()), 0)
    with pytest.raises(ValueError, match="no elements"):
        empty.element_spec


def test_split_dataset_of_a_dataset_gives_datasets_batched_as_it_was():
    _, ds = _series()
    left, right = nk.utils.split_dataset(ds, left_size=0.6)
    assert (left.cardinality(), right.cardinality()) == (3, 2)  # 15 windows: 9 and 6, in batches of 4
    assert left.element_spec[0] == TensorSpec((None, 5, 2), "float32")  # Keras: from the samples
    x, y = next(iter(right))
    assert isinstance(x, DatasetTensor) and x.shape == (4, 5, 2) and y.numpy().tolist() == [28, 30, 32, 34]
    rows_left, _ = nk.utils.split_dataset(ds.unbatch(), left_size=5)
    assert rows_left.cardinality() == 5 and rows_left.element_spec[1] == TensorSpec((), "float32")
    model = nk.Sequential([nk.Input((5, 2)), nk.layers.Flatten(), nk.layers.Dense(1)])
    model.compile("sgd", "mse")
    assert np.isfinite(model.fit(left, validation_data=right, verbose=0).history["val_loss"][0])
