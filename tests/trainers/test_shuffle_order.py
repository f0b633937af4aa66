"""`fit`'s shuffle draws as Keras 3 on JAX draws: `np.random.permutation` per pass (numpy's global
generator), one discarded draw when Keras peeks at a batch to build (the first fit/evaluate after
compile), `shuffle="batch"` permuting within each batch, a PyDataset's batches by Python's
`random.shuffle`."""

import random

import numpy as np
import pytest

import nanokeras as keras

N = 20


class Recorder(keras.layers.Layer):
    """Passes its input on, noting the sample ids (the input's values) each training step sees."""

    def __init__(self, seen, **kwargs):
        super().__init__(**kwargs)
        self.record = seen.append  # not the list itself: a list attribute is a tracked copy, as in Keras

    def call(self, x, training=None):
        if training:
            self.record(np.asarray(x).ravel().astype(int).tolist())
        return x


def _model(seen):
    model = keras.Sequential([keras.Input((1,)), Recorder(seen), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    return model


def _data():
    return np.arange(N, dtype="float32").reshape(N, 1), np.zeros((N, 1), "float32")


def _batches(order, size):
    order = list(order)
    return [order[i:i + size] for i in range(0, len(order), size)]


def test_first_fit_after_compile_discards_one_permutation_then_one_per_epoch():
    seen = []
    model = _model(seen)
    keras.utils.set_random_seed(3)
    model.fit(*_data(), batch_size=8, epochs=2, verbose=0)
    np.random.seed(3)
    np.random.permutation(N)  # the peek's draw
    expected = _batches(np.random.permutation(N), 8) + _batches(np.random.permutation(N), 8)
    assert seen == expected
    # the next fit peeks no more
    seen.clear()
    keras.utils.set_random_seed(3)
    model.fit(*_data(), batch_size=8, epochs=1, verbose=0)
    np.random.seed(3)
    assert seen == _batches(np.random.permutation(N), 8)


def test_evaluate_first_builds_so_fit_does_not_peek_and_compile_again_does():
    seen = []
    model = _model(seen)
    model.evaluate(*_data(), verbose=0)
    keras.utils.set_random_seed(4)
    model.fit(*_data(), batch_size=N, epochs=1, verbose=0)
    np.random.seed(4)
    assert seen == [np.random.permutation(N).tolist()]
    seen.clear()
    model.compile("sgd", "mse")
    keras.utils.set_random_seed(4)
    model.fit(*_data(), batch_size=N, epochs=1, verbose=0)
    np.random.seed(4)
    np.random.permutation(N)
    assert seen == [np.random.permutation(N).tolist()]


def test_validation_split_shuffles_the_training_part_only():
    seen = []
    model = _model(seen)
    keras.utils.set_random_seed(5)
    model.fit(*_data(), batch_size=16, epochs=1, verbose=0, validation_split=0.2)
    np.random.seed(5)
    np.random.permutation(16)
    assert seen == [np.random.permutation(16).tolist()]


def test_shuffle_batch_permutes_within_each_batch_in_order():
    seen = []
    model = _model(seen)
    keras.utils.set_random_seed(6)
    model.fit(*_data(), batch_size=6, epochs=1, verbose=0, shuffle="batch")
    np.random.seed(6)
    np.random.permutation(6)  # the peek: the first batch's draw
    expected = [(np.random.permutation(min(6, N - start)) + start).tolist() for start in range(0, N, 6)]
    assert seen == expected
    assert [sorted(batch) for batch in seen] == _batches(range(N), 6)


def test_no_shuffle_draws_nothing():
    model = _model([])
    keras.utils.set_random_seed(7)
    model.fit(*_data(), batch_size=8, epochs=2, verbose=0, shuffle=False)
    model.predict(_data()[0], verbose=0)
    after = np.random.rand()
    np.random.seed(7)
    assert after == np.random.rand()


def test_py_dataset_batches_are_shuffled_by_python_random():
    seen = []
    x, y = _data()

    class Batches(keras.utils.PyDataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return x[5 * i:5 * i + 5], y[5 * i:5 * i + 5]

    model = _model(seen)
    keras.utils.set_random_seed(8)
    model.fit(Batches(), epochs=2, verbose=0)
    random.seed(8)
    orders = []
    for _ in range(3):
        order = list(range(4))
        random.shuffle(order)
        orders.append(order)
    expected = [list(range(5 * i, 5 * i + 5)) for order in orders[1:] for i in order]
    assert seen == expected


@pytest.mark.parametrize("shuffle", [True, "batch"])
def test_tiny_model_path_sees_the_same_order(shuffle):
    # the tutorial-sized model runs whole epochs as generated code: same draws, same weights
    def trained(run_eagerly):
        keras.utils.set_random_seed(9)
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid",
                                                                        kernel_initializer="ones")])
        model.compile(keras.optimizers.SGD(0.2), "binary_crossentropy", run_eagerly=run_eagerly)
        x = np.linspace(-1, 1, 40, dtype="float32").reshape(20, 2)
        model.fit(x, (x[:, :1] > 0).astype("float32"), batch_size=3, epochs=3, verbose=0, shuffle=shuffle)
        return model.get_weights()

    for a, b in zip(trained(False), trained(True)):
        np.testing.assert_allclose(a, b, atol=1e-6)  # (the tiny path: within 1e-6 of the tape)
