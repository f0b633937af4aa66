"""After `keras.utils.set_random_seed(s)`, `fit(shuffle=True)` (the default), `shuffle="batch"` and a
shuffled PyDataset visit the samples in the order Keras 3 on JAX visits them, so the same
starting weights train to the same weights without `shuffle=False`."""

import numpy as np
import pytest

import nanokeras as nk


def _visits(lib, shuffle, seed):
    seen = []

    class Recorder(lib.layers.Layer):
        def call(self, x, training=None):
            if training:
                seen.append(np.asarray(x).ravel().astype(int).tolist())
            return x

    x, y = np.arange(20, dtype="float32").reshape(20, 1), np.zeros((20, 1), "float32")
    model = lib.Sequential([lib.Input((1,)), Recorder(), lib.layers.Dense(1)])
    model.compile("sgd", "mse", run_eagerly=True)
    lib.utils.set_random_seed(seed)
    model.fit(x, y, batch_size=6, epochs=2, verbose=0, shuffle=shuffle, validation_split=0.1)
    model.fit(x, y, batch_size=7, epochs=1, verbose=0, shuffle=shuffle)
    model.compile("sgd", "mse", run_eagerly=True)
    model.fit(x, y, batch_size=5, epochs=3, verbose=0, shuffle=shuffle, steps_per_epoch=2)
    return seen, float(np.random.rand())


@pytest.mark.parametrize("shuffle", [True, "batch"])
@pytest.mark.parametrize("seed", [0, 11])
def test_fit_visits_samples_in_keras_order(keras, shuffle, seed):
    assert _visits(nk, shuffle, seed) == _visits(keras, shuffle, seed)


def test_py_dataset_order(keras):
    def visits(lib):
        seen = []
        x = np.arange(24, dtype="float32").reshape(24, 1)

        class Batches(lib.utils.PyDataset):
            def __len__(self):
                return 6

            def __getitem__(self, i):
                return x[4 * i:4 * i + 4], np.zeros((4, 1), "float32")

        class Recorder(lib.layers.Layer):
            def call(self, inputs, training=None):
                if training:
                    seen.append(int(np.asarray(inputs)[0, 0]) // 4)
                return inputs

        model = lib.Sequential([lib.Input((1,)), Recorder(), lib.layers.Dense(1)])
        model.compile("sgd", "mse", run_eagerly=True)
        lib.utils.set_random_seed(2)
        model.fit(Batches(), epochs=3, verbose=0)
        return seen

    assert visits(nk) == visits(keras)


def test_same_weights_train_alike_with_the_default_shuffle(keras):
    rng = np.random.default_rng(0)
    x = rng.random((100, 8)).astype("float32")
    y = (x.sum(axis=1) > 4).astype("float32")

    def trained(lib, weights=None):
        model = lib.Sequential([lib.Input((8,)), lib.layers.Dense(4, activation="relu"),
                                lib.layers.Dense(1, activation="sigmoid")])
        if weights is not None:
            model.set_weights(weights)
        start = [np.asarray(w) for w in model.get_weights()]
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        lib.utils.set_random_seed(1)
        history = model.fit(x, y, epochs=3, batch_size=32, validation_split=0.2, verbose=0)
        return start, [np.asarray(w) for w in model.get_weights()], history.history

    start, theirs, their_history = trained(keras)
    _, ours, our_history = trained(nk, start)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, atol=1e-5)
    for key in their_history:
        np.testing.assert_allclose(our_history[key], their_history[key], atol=1e-5)
