"""`fit`/`evaluate`/`predict` on a `keras.utils.Sequence` (PyDataset) or a generator."""

import numpy as np
import pytest

import nanokeras as keras

rng = np.random.default_rng(0)
X = rng.normal(size=(12, 3)).astype("float32")
Y = (X.sum(axis=1) > 0).astype("float32")
W = np.linspace(0.5, 2.0, 12).astype("float32")


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y=None, w=None, size=4, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.w, self.size = x, y, w, size
        self.epochs_ended = 0

    def __len__(self):
        return int(np.ceil(len(self.x) / self.size))

    def __getitem__(self, index):
        rows = slice(index * self.size, (index + 1) * self.size)
        batch = (self.x[rows],) if self.y is None else (self.x[rows], self.y[rows])
        return batch if self.w is None else batch + (self.w[rows],)

    def on_epoch_end(self):
        self.epochs_ended += 1


def twin_models():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation="sigmoid")])
    twin = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation="sigmoid")])
    twin.set_weights(model.get_weights())
    for m in (model, twin):
        m.compile(keras.optimizers.SGD(0.1), "binary_crossentropy", metrics=["accuracy"])
    return model, twin


def test_sequence_trains_exactly_like_the_same_arrays():
    model, twin = twin_models()
    source = Batches(X, Y, W)
    ours = model.fit(source, epochs=3, shuffle=False, verbose=0, validation_data=Batches(X, Y))
    theirs = twin.fit(X, Y, sample_weight=W, batch_size=4, epochs=3, shuffle=False, verbose=0,
                      validation_data=(X, Y), validation_batch_size=4)
    for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
        np.testing.assert_allclose(ours.history[key], theirs.history[key], rtol=1e-6)
    assert source.epochs_ended == 4  # as Keras: the look at batch 0 before training is a pass of its own
    np.testing.assert_allclose(model.evaluate(Batches(X, Y), verbose=0), twin.evaluate(X, Y, batch_size=4, verbose=0),
                               rtol=1e-6)
    np.testing.assert_allclose(model.predict(Batches(X), verbose=0), twin.predict(X, verbose=0), rtol=1e-6)


def test_shuffled_sequence_visits_every_batch_once_per_epoch():
    seen = []

    class Recording(Batches):
        def __getitem__(self, index):
            seen.append(index)
            return super().__getitem__(index)

    model, _ = twin_models()
    model.fit(Recording(X, Y), epochs=2, verbose=0)
    # Batch 0 is read once before training (to build the model, as Keras), then again in the epochs.
    assert seen[0] == 0 and sorted(seen[1:4]) == [0, 1, 2] and sorted(seen[4:]) == [0, 1, 2]


def test_generator_with_steps_per_epoch_and_class_weight():
    model, twin = twin_models()

    def endless():
        while True:
            for start in range(0, 12, 4):
                yield X[start:start + 4], Y[start:start + 4]

    weights = {0: 1.0, 1: 3.0}
    ours = model.fit(endless(), steps_per_epoch=3, epochs=2, class_weight=weights, verbose=0)
    theirs = twin.fit(X, Y, batch_size=4, epochs=2, class_weight=weights, shuffle=False, verbose=0)
    np.testing.assert_allclose(ours.history["loss"], theirs.history["loss"], rtol=1e-6)


def test_finite_generator_ends_each_epoch_when_it_runs_out_as_keras():
    # Keras reads a generator's first two batches before training; a generator that ends gives
    # the next epochs only those two again (a new pass replays them), with a warning each time.
    model, twin = twin_models()
    batches = ((X[i:i + 4], Y[i:i + 4]) for i in range(0, 12, 4))
    with pytest.warns(UserWarning, match="`x` ran out of data after") as caught:
        history = model.fit(batches, epochs=3, shuffle=False, verbose=0)
    assert [str(w.message).split(":")[0] for w in caught] == [
        "`x` ran out of data after 3 batch(es) of epoch 1", "`x` ran out of data after 2 batch(es) of epoch 2",
        "`x` ran out of data after 2 batch(es) of epoch 3"]
    assert "Make it loop forever" in str(caught[0].message)
    first = twin.fit(X, Y, batch_size=4, epochs=1, shuffle=False, verbose=0).history["loss"]
    then = twin.fit(X[:8], Y[:8], batch_size=4, epochs=2, shuffle=False, verbose=0).history["loss"]
    np.testing.assert_allclose(history.history["loss"], first + then, rtol=1e-6)


def test_endless_py_dataset_needs_steps():
    class Endless(keras.utils.PyDataset):
        num_batches = None

        def __getitem__(self, index):
            return X[:4], Y[:4]

    model, _ = twin_models()
    with pytest.raises(ValueError, match="steps_per_epoch"):
        model.fit(Endless(), verbose=0)
    assert len(model.fit(Endless(), steps_per_epoch=2, epochs=2, verbose=0).history["loss"]) == 2


def test_the_errors_name_the_steps_argument_of_the_call():
    class Endless(keras.utils.PyDataset):
        num_batches = None

        def __getitem__(self, index):
            return X[:4], Y[:4]

    def finite():
        return ((X[i:i + 4], Y[i:i + 4]) for i in range(0, 12, 4))

    model, _ = twin_models()
    for call, argument in [(lambda: model.evaluate(Endless(), verbose=0), "`steps`"),
                           (lambda: model.predict(Endless(), verbose=0), "`steps`"),
                           (lambda: model.fit(X, Y, validation_data=Endless(), verbose=0), "`validation_steps`")]:
        with pytest.raises(ValueError, match="is endless") as caught:
            call()
        assert str(caught.value).endswith(f"pass {argument}.")
    with pytest.warns(UserWarning, match="`validation_data` ran out of data after") as caught:
        model.fit(X, Y, validation_data=finite(), epochs=2, verbose=0)
    assert "pass `validation_steps`" in str(caught[0].message)
    assert model.evaluate(Endless(), steps=2, verbose=0) is not None
    assert model.predict(Endless(), steps=2, verbose=0).shape == (8, 1)


def test_bad_combinations_are_refused():
    model, _ = twin_models()
    with pytest.raises(ValueError, match="`y` cannot be passed"):
        model.fit(Batches(X, Y), Y, verbose=0)
    with pytest.raises(ValueError, match="validation_split"):
        model.fit(Batches(X, Y), validation_split=0.2, verbose=0)
    with pytest.raises(ValueError, match="must hold labels"):
        model.fit(Batches(X), verbose=0)

    class Broken(Batches):
        def __getitem__(self, index):
            return X[:4], Y[:4], W[:4], W[:4]

    with pytest.raises(ValueError, match="tuple of 4 items"):
        model.fit(Broken(X, Y), verbose=0)

    class Ragged(Batches):
        def __getitem__(self, index):
            return X[:4], Y[:3]

    with pytest.raises(ValueError, match="same number of samples"):
        model.fit(Ragged(X, Y), verbose=0)
