"""`steps_per_epoch` takes batches from one running pass over the data, as Keras does: the next
epoch goes on where the last one stopped, an epoch ends early (with a warning) when the pass
runs out, and a new pass starts after that. `evaluate` always starts from the beginning."""

import numpy as np
import pytest

import nanokeras as keras

X = np.arange(20, dtype="float32").reshape(20, 1)
Y = np.zeros((20, 1), "float32")


class Recording(keras.Model):
    """A model whose steps note the first sample of each batch they see."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seen = []

    def train_step(self, data):
        self.seen.append(int(np.asarray(data[0])[0, 0]))
        return super().train_step(data)

    def test_step(self, data):
        self.seen.append(int(np.asarray(data[0])[0, 0]))
        return super().test_step(data)


def _model():
    inputs = keras.Input((1,))
    model = Recording(inputs, keras.layers.Dense(1)(inputs))
    model.compile("sgd", "mse")
    return model


class EpochStarts(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.model.seen.append("|")


def test_arrays_epochs_continue_the_running_pass():
    model = _model()
    with pytest.warns(UserWarning, match="ran out of data after 1 of the 2 steps"):
        model.fit(X, Y, batch_size=4, steps_per_epoch=2, epochs=4, shuffle=False, verbose=0,
                  callbacks=[EpochStarts()])
    # 5 batches per pass: 2 + 2 + 1 (the pass ends: a short epoch), then a new pass.
    assert model.seen == ["|", 0, 4, "|", 8, 12, "|", 16, "|", 0, 4]


def test_more_steps_than_batches_end_the_epoch_at_the_end_of_the_data():
    model = _model()
    with pytest.warns(UserWarning, match="ran out of data after 5 of the 7 steps"):
        history = model.fit(X, Y, batch_size=4, steps_per_epoch=7, epochs=2, shuffle=False, verbose=0)
    assert len(history.history["loss"]) == 2 and len(model.seen) == 10


def test_without_steps_every_epoch_is_one_whole_pass():
    model = _model()
    model.fit(X, Y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    assert model.seen == [0, 8, 16, 0, 8, 16]


def test_shuffled_running_pass_uses_every_sample_once_per_pass():
    model = _model()
    model.fit(X, Y, batch_size=1, steps_per_epoch=5, epochs=4, verbose=0)
    assert sorted(model.seen) == list(range(20))


def test_evaluate_with_steps_starts_from_the_beginning_and_stops_at_the_end():
    model = _model()
    model.evaluate(X, Y, batch_size=4, steps=2, verbose=0)
    model.evaluate(X, Y, batch_size=4, steps=2, verbose=0)
    assert model.seen == [0, 4, 0, 4]
    model.seen.clear()
    with pytest.warns(UserWarning, match="ran out of data"):
        model.evaluate(X, Y, batch_size=4, steps=9, verbose=0)
    assert model.seen == [0, 4, 8, 12, 16]


class Batches(keras.utils.PyDataset):
    def __init__(self):
        super().__init__()

    def __len__(self):
        return 5

    def __getitem__(self, index):
        return X[index * 4:(index + 1) * 4], Y[index * 4:(index + 1) * 4]


def test_a_sequence_keeps_its_running_pass_and_validation_restarts():
    model = _model()
    with pytest.warns(UserWarning, match="ran out of data"):
        model.fit(Batches(), steps_per_epoch=2, epochs=3, shuffle=False, verbose=0, callbacks=[EpochStarts()],
                  validation_data=Batches(), validation_steps=1)
    # training takes batches 0,1 | 2,3 | 4 ; each validation reads batch 0 again
    assert model.seen == ["|", 0, 4, 0, "|", 8, 12, 0, "|", 16, 0]
