"""`fit`/`evaluate`/`predict` on the datasets of `keras.utils.*_dataset_from_*`, and on text inputs."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers
from nanokeras.utils.batched_dataset import BatchedDataset

RNG = np.random.default_rng(0)
X = RNG.normal(size=(40, 3)).astype("float32")
Y = (X.sum(axis=1) > 0).astype("float32")


def _model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), layers.Dense(1, activation="sigmoid")])
    model.compile(keras.optimizers.SGD(0.5), "binary_crossentropy", metrics=["accuracy"])
    return model


def test_a_dataset_trains_as_the_same_batches_of_arrays():
    by_arrays, by_dataset = _model(), _model()
    history = by_arrays.fit(X, Y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    dataset = BatchedDataset.from_arrays((X, Y), batch_size=8)
    history_ds = by_dataset.fit(dataset, epochs=3, verbose=0)
    for a, b in zip(by_arrays.get_weights(), by_dataset.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    np.testing.assert_allclose(history.history["loss"], history_ds.history["loss"], rtol=1e-6)
    assert by_dataset.evaluate(dataset, verbose=0) == pytest.approx(by_arrays.evaluate(X, Y, batch_size=8, verbose=0))
    np.testing.assert_allclose(by_dataset.predict(dataset, verbose=0), by_arrays.predict(X, verbose=0), rtol=1e-6)
    np.testing.assert_allclose(by_dataset.predict(dataset.map(lambda x, y: x), verbose=0),
                               by_arrays.predict(X, verbose=0), rtol=1e-6)


def test_validation_data_class_weight_and_steps_per_epoch():
    model = _model()
    train = BatchedDataset.from_arrays((X, Y), batch_size=8)
    history = model.fit(train, validation_data=BatchedDataset.from_arrays((X[:16], Y[:16]), batch_size=8),
                        epochs=2, verbose=0, class_weight={0: 1.0, 1: 2.0})
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    seen = []

    class Count(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(batch)

    model.fit(train.repeat(), steps_per_epoch=3, epochs=2, verbose=0, callbacks=[Count()])
    assert seen == [0, 1, 2, 0, 1, 2]


def test_dataset_arguments_keras_refuses():
    model = _model()
    dataset = BatchedDataset.from_arrays((X, Y), batch_size=8)
    with pytest.raises(ValueError, match="`y` cannot be passed when `x` is a Sequence, generator or dataset"):
        model.fit(dataset, Y, verbose=0)
    with pytest.raises(ValueError, match="sample_weight"):
        model.fit(dataset, sample_weight=np.ones(40), verbose=0)
    with pytest.raises(ValueError, match="validation_split"):
        model.fit(dataset, validation_split=0.2, verbose=0)
    with pytest.raises(ValueError, match="repeats forever"):
        model.fit(dataset.repeat(), verbose=0)
    with pytest.raises(ValueError, match="produced no batches"):
        model.fit(dataset.take(0), verbose=0)


def test_timeseries_and_text_datasets_train(tmp_path):
    series = np.sin(np.arange(300) / 10).astype("float32")[:, None]
    windows = keras.utils.timeseries_dataset_from_array(series[:-5], series[5:, 0], sequence_length=10,
                                                        batch_size=32)
    model = keras.Sequential([keras.Input((10, 1)), layers.GRU(8), layers.Dense(1)])
    model.compile(keras.optimizers.Adam(0.02), "mse")
    history = model.fit(windows, epochs=8, verbose=0)
    assert history.history["loss"][-1] < 0.2 * history.history["loss"][0]
    for label, words in (("neg", ["bad", "awful", "dull"]), ("pos", ["good", "great", "fun"])):
        (tmp_path / label).mkdir()
        for i in range(12):
            (tmp_path / label / f"{i}.txt").write_text(f"{words[i % 3]} film {words[(i + 1) % 3]}")
    texts = keras.utils.text_dataset_from_directory(tmp_path, batch_size=6, seed=0, verbose=False)
    vectorize = layers.TextVectorization(output_sequence_length=3)
    vectorize.adapt(texts.map(lambda x, y: x))
    ids = texts.map(lambda x, y: (vectorize(x), y)).cache()
    classifier = keras.Sequential([keras.Input((3,), dtype="int64"), layers.Embedding(20, 8),
                                   layers.GlobalAveragePooling1D() if hasattr(layers, "GlobalAveragePooling1D")
                                   else layers.Flatten(), layers.Dense(1, activation="sigmoid")])
    classifier.compile(keras.optimizers.Adam(0.05), "binary_crossentropy", metrics=["accuracy"])
    assert classifier.fit(ids, epochs=20, verbose=0).history["accuracy"][-1] == 1.0


def test_models_that_read_text_take_strings_in_predict_and_fit():
    vectorize = layers.TextVectorization(vocabulary=["good", "bad"], output_mode="multi_hot")
    model = keras.Sequential([vectorize, layers.Dense(1, activation="sigmoid")])
    model.compile(keras.optimizers.SGD(1.0), "binary_crossentropy")
    texts = np.array(["good", "bad", "good good", "bad film"])
    labels = np.array([1, 0, 1, 0], "float32")
    model.fit(texts, labels, epochs=30, verbose=0)
    assert model.predict(texts, verbose=0).round().ravel().tolist() == [1, 0, 1, 0]
    inputs = keras.Input((1,), dtype="string")
    functional = keras.Model(inputs, model(inputs))
    np.testing.assert_allclose(functional.predict(texts, verbose=0), model.predict(texts[:, None], verbose=0))
    with pytest.raises(TypeError, match="numeric"):
        _model().predict(texts, verbose=0)
