"""Issue 13: the same generators, PyDatasets and tf.data datasets train to the same numbers in real Keras."""

import numpy as np
import pytest
import nanokeras

RNG = np.random.default_rng(5)
X = RNG.normal(size=(30, 4)).astype("float32")
Y = (X[:, :2].sum(axis=1, keepdims=True) > 0).astype("float32")
W = RNG.uniform(0.5, 1.5, size=30).astype("float32")


def _build(lib, weights=None):
    model = lib.Sequential([lib.Input((4,)), lib.layers.Dense(5, activation="relu"),
                            lib.layers.Dense(1, activation="sigmoid")])
    model.compile(lib.optimizers.Adam(0.01), "binary_crossentropy", metrics=["accuracy"])
    if weights is not None:
        model.set_weights(weights)
    return model


def _generator(loop, weights):
    while True:
        for start in range(0, 30, 8):  # a short last batch
            rows = slice(start, start + 8)
            yield (X[rows], Y[rows], W[rows]) if weights else (X[rows], Y[rows])
        if not loop:
            return


def _dataset_class(lib):
    class Batches(lib.utils.PyDataset):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)

        def __len__(self):
            return 4

        def __getitem__(self, index):
            rows = slice(index * 8, index * 8 + 8)
            return X[rows], Y[rows], W[rows]

    return Batches


def _fit_both(keras, make_data, make_validation=None, **fit_kwargs):
    theirs = _build(keras)
    ours = _build(nanokeras, [np.asarray(w) for w in theirs.get_weights()])
    if make_validation is not None:
        fit_kwargs["validation_data"] = make_validation(keras)
    their_history = theirs.fit(make_data(keras), verbose=0, **fit_kwargs).history
    if make_validation is not None:
        fit_kwargs["validation_data"] = make_validation(nanokeras)
    our_history = ours.fit(make_data(nanokeras), verbose=0, **fit_kwargs).history
    assert sorted(our_history) == sorted(their_history)
    for key in their_history:
        np.testing.assert_allclose(our_history[key], their_history[key], rtol=1e-5, atol=1e-6, err_msg=key)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, np.asarray(b), rtol=1e-5, atol=1e-6)
    return ours, theirs


def test_finite_generator(keras):
    with pytest.warns(UserWarning, match="`x` ran out of data after 4 batch"):  # ours; Keras warns too
        _fit_both(keras, lambda lib: _generator(False, True), epochs=1)


def test_endless_generator_with_steps_and_a_validation_generator(keras):
    def validation(lib):  # the same two batches forever (how far Keras reads on between epochs aside)
        while True:
            yield X[:8], Y[:8]
            yield X[8:16], Y[8:16]

    _fit_both(keras, lambda lib: _generator(True, False), make_validation=validation,
              epochs=3, steps_per_epoch=3, validation_steps=2)


def test_py_dataset(keras):
    # (Read ahead by several workers, Keras's batches give other numbers than its own single reader's;
    # nanokeras keeps the epoch's order whatever the workers: tests/trainers/test_data_pipelines.py.)
    ours, theirs = _fit_both(keras, lambda lib: _dataset_class(lib)(), epochs=2, shuffle=False)
    data = _dataset_class(nanokeras)()
    np.testing.assert_allclose(ours.evaluate(data, verbose=0), theirs.evaluate(_dataset_class(keras)(), verbose=0),
                               rtol=1e-5)


def test_tf_data_dataset(keras):
    import tensorflow as tf

    dataset = tf.data.Dataset.from_tensor_slices((X, Y, W)).batch(8)
    ours, theirs = _fit_both(keras, lambda lib: dataset, epochs=2, validation_data=dataset.map(lambda x, y, w: (x, y)))
    np.testing.assert_allclose(ours.predict(dataset, verbose=0), np.asarray(theirs.predict(dataset, verbose=0)),
                               rtol=1e-5, atol=1e-6)
    _fit_both(keras, lambda lib: dataset.repeat(), epochs=2, steps_per_epoch=5)


def test_arrays_with_steps_per_epoch_take_batches_from_a_running_pass(keras):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # both warn when a pass runs out mid-epoch
        ours, theirs = _fit_both(keras, lambda lib: X, epochs=4, steps_per_epoch=3, shuffle=False, batch_size=8,
                                 y=Y, validation_data=(X, Y), validation_steps=2)
        np.testing.assert_allclose(ours.evaluate(X, Y, steps=6, batch_size=8, verbose=0),
                                   theirs.evaluate(X, Y, steps=6, batch_size=8, verbose=0), rtol=1e-5)
