import numpy as np

import nanokeras as keras
from nanokeras.backend import random as backend_random


def _train_once():
    keras.backend.clear_session()
    x = np.random.rand(20, 2).astype("float32")
    y = (x[:, 0] > x[:, 1]).astype("int32")
    model = keras.Sequential([keras.layers.Dense(3, input_shape=(2,), activation="relu"), keras.layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy")
    model.fit(x, y, epochs=2, batch_size=4, verbose=0)  # shuffles every epoch
    return model.get_weights()


def test_numpy_seed_alone_makes_training_reproducible(monkeypatch):
    # The tutorial only calls np.random.seed: until set_random_seed, nanokeras draws from numpy's state.
    monkeypatch.setattr(backend_random, "_generator", None)
    np.random.seed(0)
    first = _train_once()
    np.random.seed(0)
    second = _train_once()
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)


def test_set_random_seed_uses_a_dedicated_generator():
    keras.utils.set_random_seed(3)
    a = backend_random.global_generator().integers(0, 1000, size=5)
    keras.utils.set_random_seed(3)
    np.random.rand(7)  # consuming numpy's global state does not disturb it
    b = backend_random.global_generator().integers(0, 1000, size=5)
    np.testing.assert_array_equal(a, b)
