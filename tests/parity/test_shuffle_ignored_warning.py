"""Where `fit(shuffle=True)` warns that it cannot shuffle, nanokeras warns as Keras 3 does (own words)."""

import warnings

import numpy as np
import pytest

import nanokeras as nk

X = np.arange(24, dtype="float32").reshape(8, 3)
Y = np.ones((8, 1), "float32")


def _sources(lib):
    def generator():
        while True:
            yield X[:4], Y[:4]

    class Sized(lib.utils.PyDataset):
        def __len__(self):
            return 2

        def __getitem__(self, index):
            return X[:4], Y[:4]

    class Endless(lib.utils.PyDataset):
        @property
        def num_batches(self):
            return None

        def __getitem__(self, index):
            return X[:4], Y[:4]

    def dataset():
        return lib.utils.timeseries_dataset_from_array(X, Y[:, 0], sequence_length=1, batch_size=4)

    return {
        "generator": lambda m: m.fit(generator(), steps_per_epoch=2, verbose=0),
        "generator_no_shuffle": lambda m: m.fit(generator(), steps_per_epoch=2, shuffle=False, verbose=0),
        "endless_py_dataset": lambda m: m.fit(Endless(), steps_per_epoch=2, verbose=0),
        "sized_py_dataset": lambda m: m.fit(Sized(), verbose=0),
        "dataset": lambda m: m.fit(dataset(), verbose=0),
        "arrays": lambda m: m.fit(X, Y, verbose=0),
        "evaluate_generator": lambda m: m.evaluate(generator(), steps=2, verbose=0),
        "validation_generator": lambda m: m.fit(X, Y, validation_data=generator(), validation_steps=1, verbose=0),
    }


def _warns(lib, case):
    model = lib.Sequential([lib.layers.Flatten(), lib.layers.Dense(1)])
    model.compile("sgd", "mse")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _sources(lib)[case](model)
    return [w.category for w in caught if "shuffle" in str(w.message)]


@pytest.mark.parametrize("case", sorted(_sources(nk)))
def test_fit_warns_where_keras_warns_that_shuffle_is_ignored(keras, case):
    assert _warns(nk, case) == _warns(keras, case)
