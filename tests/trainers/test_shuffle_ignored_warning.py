"""`fit(shuffle=True)` (the default) warns, as Keras 3 does, when it cannot reorder the batches:
a generator, a dataset, an endless PyDataset. Arrays and sized PyDatasets shuffle silently;
`shuffle=False`, `evaluate`, validation sources and Keras 2's `fit_generator` never warn."""

import warnings

import numpy as np
import pytest

import nanokeras as keras

X = np.arange(24, dtype="float32").reshape(8, 3)
Y = np.ones((8, 1), "float32")


def _generator():
    while True:
        yield X[:4], Y[:4]


class Sized(keras.utils.PyDataset):
    def __len__(self):
        return 2

    def __getitem__(self, index):
        return X[4 * index:4 * index + 4], Y[4 * index:4 * index + 4]


class Endless(keras.utils.PyDataset):
    @property
    def num_batches(self):
        return None

    def __getitem__(self, index):
        return X[:4], Y[:4]


def _dataset():
    return keras.utils.timeseries_dataset_from_array(X, Y[:, 0], sequence_length=1, batch_size=4)


def _model():
    model = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(1)])  # (the dataset's x is (4, 1, 3))
    model.compile("sgd", "mse")
    return model


def _messages(run):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run(_model())
    return [str(w.message) for w in caught if "shuffle" in str(w.message)]


@pytest.mark.parametrize("source, kind, steps", [
    (_generator, "a generator", 2),
    (Endless, "an endless PyDataset", 2),
    (_dataset, "a dataset", None),
])
@pytest.mark.parametrize("shuffle", [True, "batch"])
def test_fit_warns_once_when_it_cannot_shuffle(source, kind, steps, shuffle):
    messages = _messages(lambda m: m.fit(source(), steps_per_epoch=steps, epochs=2, shuffle=shuffle, verbose=0))
    assert len(messages) == 1
    assert messages[0].startswith(f"`shuffle={shuffle!r}` has no effect: `x` is {kind}")


def test_the_warning_points_at_the_callers_fit():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _model().fit(_generator(), steps_per_epoch=1, verbose=0)
    assert [w.filename for w in caught] == [__file__]


@pytest.mark.parametrize("run", [
    lambda m: m.fit(_generator(), steps_per_epoch=2, shuffle=False, verbose=0),
    lambda m: m.fit(Sized(), epochs=2, verbose=0),
    lambda m: m.fit(X, Y, verbose=0),
    lambda m: m.fit(X, Y, validation_data=_generator(), validation_steps=1, verbose=0),
    lambda m: m.evaluate(_generator(), steps=2, verbose=0),
    lambda m: m.evaluate(_dataset(), verbose=0),
    lambda m: m.predict(_dataset(), verbose=0),
], ids=["shuffle_false", "sized_py_dataset", "arrays", "validation_generator", "evaluate_generator",
        "evaluate_dataset", "predict_dataset"])
def test_no_warning_where_shuffling_works_or_was_not_asked(run):
    assert _messages(run) == []


def test_keras2_fit_generator_says_nothing_of_shuffle_as_keras2():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert _messages(lambda m: m.fit_generator(_generator(), steps_per_epoch=2, verbose=0)) == []
