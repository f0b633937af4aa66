"""The elements of `keras.utils.*_dataset_from_*` datasets against real Keras 3 (tf.data tensors there, even
on JAX): the tutorial idioms `batch.numpy()`, `images[0].numpy()`, `x.shape`, `print(x)` and
`ds.element_spec` give the same values and text, and `fit` on the dataset trains the same."""

import wave

import numpy as np
import pytest

import nanokeras as nk

pytest.importorskip("tensorflow")


def _series():
    return np.arange(60, dtype="float32").reshape(30, 2) / 10


def _both(keras, build):
    return build(nk), build(keras)


def _shape_text(shape):
    return str(shape), repr(shape), shape.as_list(), shape[0], len(shape)


def test_timeseries_batches_read_like_keras(keras):
    data = _series()
    ours, theirs = _both(keras, lambda k: k.utils.timeseries_dataset_from_array(
        data, data[5:, 0], sequence_length=5, batch_size=4))
    pairs = []
    for ds in (ours, theirs):
        for batch in ds.take(1):
            inputs, targets = batch
        pairs.append((inputs, targets))
    (our_x, our_y), (their_x, their_y) = pairs
    assert type(our_x.numpy()) is type(their_x.numpy()) is np.ndarray
    np.testing.assert_array_equal(our_x.numpy(), their_x.numpy())
    np.testing.assert_array_equal(our_y.numpy(), their_y.numpy())
    assert our_x.numpy().dtype == their_x.numpy().dtype and our_y.numpy().shape == their_y.numpy().shape
    assert _shape_text(our_x.shape) == _shape_text(their_x.shape)
    assert _shape_text(our_y.shape) == _shape_text(their_y.shape)
    assert our_x.dtype.name == their_x.dtype.name
    assert str(our_y) == str(their_y) and repr(our_y) == repr(their_y)
    assert str(our_x) == str(their_x)
    assert repr(our_y[1]) == repr(their_y[1]) and str(our_y[1]) == str(their_y[1])
    assert type(our_y[1].numpy()) is type(their_y[1].numpy())
    np.testing.assert_array_equal(our_x[2].numpy(), their_x[2].numpy())
    for ours_part, theirs_part in zip(next(ours.as_numpy_iterator()), next(theirs.as_numpy_iterator())):
        assert type(ours_part) is type(theirs_part) is np.ndarray
        np.testing.assert_array_equal(ours_part, theirs_part)


@pytest.mark.parametrize("transform", [
    lambda ds: ds, lambda ds: ds.take(2), lambda ds: ds.unbatch(), lambda ds: ds.unbatch().batch(3),
    lambda ds: ds.unbatch().batch(3, drop_remainder=True), lambda ds: ds.shuffle(4).repeat(2).cache().prefetch(1),
    lambda ds: ds.map(lambda *parts: parts[-1]), lambda ds: ds.skip(1).unbatch().map(lambda *parts: parts),
    lambda ds: ds.map(lambda *parts: parts[0] * 2.0),
])
def test_element_spec_of_timeseries_datasets(keras, transform):
    data = _series()
    for kwargs in (dict(targets=data[5:, 0], batch_size=4), dict(targets=data[5:], batch_size=4),
                   dict(targets=None, batch_size=4)):
        ours, theirs = _both(keras, lambda k: transform(k.utils.timeseries_dataset_from_array(
            data, sequence_length=5, **kwargs)))
        assert repr(ours.element_spec) == repr(theirs.element_spec), kwargs
    unbatched = _both(keras, lambda k: k.utils.timeseries_dataset_from_array(
        data, data[5:], sequence_length=5, batch_size=None))
    assert repr(unbatched[0].element_spec) == repr(unbatched[1].element_spec)
    spec, their_spec = unbatched[0].element_spec[0], unbatched[1].element_spec[0]
    assert (spec.shape.as_list(), str(spec.dtype), spec.dtype.name) == (
        their_spec.shape.as_list(), str(their_spec.dtype), their_spec.dtype.name)


def test_fit_on_the_dataset_is_keras(keras):
    data = _series()

    def run(k):
        ds = k.utils.timeseries_dataset_from_array(data, data[5:, 0], sequence_length=5, batch_size=4)
        model = k.Sequential([k.Input((5, 2)), k.layers.Flatten(), k.layers.Dense(1, kernel_initializer="ones")])
        model.compile(k.optimizers.SGD(0.001), "mse")
        history = model.fit(ds, epochs=2, verbose=0)
        return history.history["loss"], model.get_weights(), model.predict(ds, verbose=0)

    ours, theirs = run(nk), run(keras)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-5)
    for a, b in zip(ours[1], theirs[1]):
        assert type(a) is np.ndarray
        np.testing.assert_allclose(a, np.asarray(b), rtol=1e-5)
    assert type(ours[2]) is np.ndarray
    np.testing.assert_allclose(ours[2], np.asarray(theirs[2]), rtol=1e-5)


@pytest.fixture
def image_folders(tmp_path):
    pytest.importorskip("PIL")
    rng = np.random.default_rng(0)
    for name in ("cat", "dog"):
        (tmp_path / name).mkdir()
        for i in range(3):
            nk.utils.save_img(tmp_path / name / f"{i}.png", rng.integers(0, 256, (8, 8, 3)).astype("float32"),
                              scale=False)
    return tmp_path


@pytest.mark.parametrize("kwargs", [dict(), dict(label_mode="categorical", color_mode="grayscale"),
                                    dict(label_mode="binary"), dict(label_mode=None), dict(batch_size=None)])
def test_image_batches_read_like_keras(keras, image_folders, kwargs):
    kwargs = dict(dict(image_size=(8, 8), batch_size=4, shuffle=False, verbose=False), **kwargs)
    ours, theirs = _both(keras, lambda k: k.utils.image_dataset_from_directory(str(image_folders), **kwargs))
    assert repr(ours.element_spec) == repr(theirs.element_spec)
    if kwargs.get("label_mode", "int") != "int" or kwargs["batch_size"] is None:
        return
    shown = []
    for ds in (ours, theirs):
        for images, labels in ds.take(1):
            first = images[0].numpy().astype("uint8")
            shown.append((first, ds.class_names[labels[0]], str(labels), _shape_text(images.shape)))
    np.testing.assert_array_equal(shown[0][0], shown[1][0])
    assert shown[0][1:] == shown[1][1:]


def test_fit_on_an_image_dataset_is_keras(keras, image_folders):
    def run(k):
        ds = k.utils.image_dataset_from_directory(str(image_folders), image_size=(8, 8), batch_size=4,
                                                  shuffle=False, verbose=False)
        model = k.Sequential([k.Input((8, 8, 3)), k.layers.Rescaling(1 / 255.0), k.layers.Flatten(),
                              k.layers.Dense(2, kernel_initializer="ones")])
        model.compile(k.optimizers.SGD(0.01), k.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        return model.fit(ds.cache().prefetch(2), epochs=2, verbose=0).history

    ours, theirs = run(nk), run(keras)
    assert sorted(ours) == sorted(theirs)
    for key in ours:
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-5)


def test_text_batches_read_like_keras(keras, tmp_path):
    for name, text in (("neg/1.txt", "bad movie"), ("neg/2.txt", "très mauvais"), ("pos/3.txt", "good\nfun")):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    for kwargs in (dict(batch_size=2), dict(batch_size=None, label_mode="categorical"),
                   dict(batch_size=2, label_mode=None), dict(batch_size=3, label_mode="binary")):
        ours, theirs = _both(keras, lambda k: k.utils.text_dataset_from_directory(
            str(tmp_path), shuffle=False, verbose=False, **kwargs))
        assert repr(ours.element_spec) == repr(theirs.element_spec), kwargs
        our_first, their_first = next(iter(ours)), next(iter(theirs))
        if kwargs.get("label_mode", "int") is None:
            our_first, their_first = (our_first,), (their_first,)
        for a, b in zip(our_first, their_first):
            assert str(a) == str(b) and repr(a) == repr(b)
            assert type(a.numpy()) is type(b.numpy())
            if isinstance(b.numpy(), np.ndarray):
                assert a.numpy().tolist() == b.numpy().tolist() and a.numpy().dtype == b.numpy().dtype
            else:
                assert a.numpy() == b.numpy()
        our_row, their_row = next(ours.as_numpy_iterator()), next(theirs.as_numpy_iterator())
        assert repr(our_row) == repr(their_row)


def test_audio_element_spec_is_keras(keras, tmp_path):
    rng = np.random.default_rng(0)
    for label in ("bird", "cat"):
        for i in range(2):
            path = tmp_path / label / f"{i}.wav"
            path.parent.mkdir(exist_ok=True)
            with wave.open(str(path), "wb") as f:
                f.setnchannels(2)
                f.setsampwidth(2)
                f.setframerate(8000)
                f.writeframes(rng.integers(-32768, 32768, size=(10 + 5 * i, 2)).astype("<i2").tobytes())
    for kwargs in (dict(batch_size=4), dict(batch_size=None, label_mode="categorical"),
                   dict(batch_size=2, output_sequence_length=20, label_mode=None),
                   dict(batch_size=2, label_mode="binary")):
        ours, theirs = _both(keras, lambda k: k.utils.audio_dataset_from_directory(
            str(tmp_path), shuffle=False, verbose=False, **kwargs))
        assert repr(ours.element_spec) == repr(theirs.element_spec), kwargs
        our_first, their_first = next(iter(ours)), next(iter(theirs))
        our_audio = our_first if kwargs.get("label_mode", "int") is None else our_first[0]
        their_audio = their_first if kwargs.get("label_mode", "int") is None else their_first[0]
        np.testing.assert_array_equal(our_audio.numpy(), their_audio.numpy())
        assert _shape_text(our_audio.shape) == _shape_text(their_audio.shape)


def test_split_dataset_of_datasets_is_keras(keras, image_folders):
    data = _series()
    for build in (lambda k: k.utils.timeseries_dataset_from_array(data, data[5:, 0], sequence_length=5, batch_size=4),
                  lambda k: k.utils.timeseries_dataset_from_array(data, None, sequence_length=5,
                                                                  batch_size=4).unbatch(),
                  lambda k: k.utils.image_dataset_from_directory(str(image_folders), image_size=(8, 8), batch_size=4,
                                                                 shuffle=False, verbose=False)):
        ours, theirs = _both(keras, lambda k: k.utils.split_dataset(build(k), left_size=0.6))
        for our_part, their_part in zip(ours, theirs):
            assert repr(our_part.element_spec) == repr(their_part.element_spec)
            assert int(our_part.cardinality()) == int(their_part.cardinality())
            for a, b in zip(our_part.as_numpy_iterator(), their_part.as_numpy_iterator()):
                for x, y in zip(a if isinstance(a, tuple) else (a,), b if isinstance(b, tuple) else (b,)):
                    np.testing.assert_array_equal(x, y)
