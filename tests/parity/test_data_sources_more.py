"""Data sources at their edges, as Keras 3 on JAX: inputs of another sequence length than the
model was built for, generators and datasets that run out, steps beyond a dataset's length,
and validation generators (each validation starts a new pass over the batches read first)."""

import warnings

import numpy as np
import pytest

import nanokeras

RNG = np.random.default_rng(11)
X = RNG.uniform(size=(64, 8)).astype("float32")
Y = (X.sum(axis=1) > 4).astype("float32")


def _batch(i):
    return X[i * 16:(i + 1) * 16], Y[i * 16:(i + 1) * 16]


def _model(lib):
    model = lib.Sequential([lib.Input((8,)), lib.layers.Dense(1, activation="sigmoid")])
    model.set_weights([np.full((8, 1), 0.1, "float32"), np.zeros(1, "float32")])
    model.compile(lib.optimizers.SGD(0.1), "binary_crossentropy")
    return model


def _counter(lib):
    class Counter(lib.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.batches = []
            self.test_batches = []

        def on_epoch_begin(self, epoch, logs=None):
            self.batches.append(0)

        def on_train_batch_end(self, batch, logs=None):
            self.batches[-1] += 1

        def on_test_begin(self, logs=None):
            self.test_batches.append(0)

        def on_test_batch_end(self, batch, logs=None):
            self.test_batches[-1] += 1

    return Counter()


def _recorded(call):
    """`call()`'s result and how many "ran out of data" warnings it gave (Keras's and ours)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call()
    return result, sum("ran out of data" in str(w.message) for w in caught)


def _finite(n=4, seen=None):
    for i in range(n):
        if seen is not None:
            seen.append(i)
        yield _batch(i)


def _endless(seen=None):
    while True:
        for i in range(4):
            if seen is not None:
                seen.append(i)
            yield _batch(i)


def _tf():
    try:
        import tensorflow as tf
    except Exception as error:  # pragma: no cover - tensorflow is a dev dependency
        pytest.skip(f"needs tensorflow ({error})")
    return tf


def _fit_both(keras, make_x, make_validation=None, **kwargs):
    """Histories, batch counts, validation batch counts and run-out warnings: Keras's, then ours."""
    results = []
    for lib in (keras, nanokeras):
        counter = _counter(lib)
        extra = {} if make_validation is None else {"validation_data": make_validation(lib)}
        history, warned = _recorded(lambda: _model(lib).fit(make_x(lib), callbacks=[counter], verbose=0,
                                                            **extra, **kwargs).history)
        results.append((history, counter.batches, counter.test_batches, warned))
    (theirs, their_counts, their_tests, their_warned), (ours, our_counts, our_tests, our_warned) = results
    assert our_counts == their_counts
    assert our_tests == their_tests
    assert our_warned == their_warned
    assert sorted(ours) == sorted(theirs)
    for key in theirs:
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-5, atol=1e-6, err_msg=key)
    return ours, our_counts, our_warned


# ------------------------------------------------ another sequence length
def _text_models(keras):
    theirs = keras.Sequential([keras.Input((5,)), keras.layers.Embedding(10, 4), keras.layers.LSTM(3)])
    ours = nanokeras.Sequential([nanokeras.Input((5,)), nanokeras.layers.Embedding(10, 4),
                                 nanokeras.layers.LSTM(3)])
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    return ours, theirs


@pytest.mark.parametrize("length", [3, 7])
def test_predict_on_another_sequence_length_than_the_input(keras, length):
    ours, theirs = _text_models(keras)
    ids = RNG.integers(1, 10, size=(2, length))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # neither warns
        expected = np.asarray(theirs.predict(ids, verbose=0))
        got = ours.predict(ids, verbose=0)
    assert got.shape == expected.shape == (2, 3)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_fit_and_evaluate_on_other_lengths_after_building_on_five(keras):
    ours, theirs = _text_models(keras)
    for model, lib in ((ours, nanokeras), (theirs, keras)):
        model.compile(lib.optimizers.SGD(0.1), "mse")
    histories = []
    for model in (theirs, ours):
        first = model.fit(RNG.integers(1, 10, size=(4, 5)) * 0 + 1, np.zeros((4, 3)), verbose=0).history["loss"]
        longer = model.fit(np.tile(np.arange(1, 8), (4, 1)), np.ones((4, 3)), epochs=2, verbose=0).history["loss"]
        loss = model.evaluate(np.array([[1, 2, 3]]), np.ones((1, 3)), verbose=0)
        histories.append(first + longer + [loss])
    np.testing.assert_allclose(histories[1], histories[0], rtol=1e-5, atol=1e-6)


def test_unbuilt_stack_fit_on_five_then_predicts_three(keras):
    outputs = []
    for lib in (keras, nanokeras):
        model = lib.Sequential([lib.layers.Embedding(10, 4, embeddings_initializer="ones"),
                                lib.layers.LSTM(3, kernel_initializer="ones", recurrent_initializer="zeros")])
        model.compile("sgd", "mse")
        model.fit(np.ones((4, 5), "int32"), np.zeros((4, 3)), verbose=0)
        outputs.append(np.asarray(model.predict(np.array([[1, 2, 3]]), verbose=0)))
    np.testing.assert_allclose(outputs[1], outputs[0], rtol=1e-5, atol=1e-6)


def test_functional_pooling_model_predicts_another_length(keras):
    outputs = []
    for lib in (keras, nanokeras):
        inputs = lib.Input((5,))
        pooled = lib.layers.GlobalAveragePooling1D()(lib.layers.Embedding(10, 4, embeddings_initializer="ones")(inputs))
        outputs.append(np.asarray(lib.Model(inputs, pooled).predict(np.array([[1, 2, 3]]), verbose=0)))
    assert outputs[1].shape == outputs[0].shape == (1, 4)
    np.testing.assert_allclose(outputs[1], outputs[0])


def test_convolutions_take_larger_images_but_not_other_channels(keras):
    results = []
    for lib in (keras, nanokeras):
        model = lib.Sequential([lib.Input((8, 8, 1)), lib.layers.Conv2D(2, 3, kernel_initializer="ones"),
                                lib.layers.GlobalMaxPooling2D(), lib.layers.Dense(1, kernel_initializer="ones")])
        results.append(np.asarray(model.predict(np.ones((2, 10, 10, 1)), verbose=0)))
        with pytest.raises(ValueError):
            model.predict(np.ones((2, 10, 10, 3)), verbose=0)
    np.testing.assert_allclose(results[1], results[0])


def test_a_wrong_feature_count_still_raises(keras):
    for lib in (keras, nanokeras):
        model = lib.Sequential([lib.Input((4,)), lib.layers.Dense(2)])
        model.compile("sgd", "mse")
        with pytest.raises(ValueError):
            model.predict(np.ones((2, 3)), verbose=0)
        with pytest.raises(ValueError):
            model.fit(np.ones((2, 3)), np.ones((2, 2)), verbose=0)
    model = nanokeras.Sequential([nanokeras.Input((4,)), nanokeras.layers.Dense(2)])
    with pytest.raises(ValueError, match=r"expects input of shape \(None, 4\).*4 features per sample; the data has 3"):
        model.predict(np.ones((2, 3)), verbose=0)


# ------------------------------------------------ generators that run out
def test_finite_generator_over_several_epochs(keras):
    seen = {}
    _, counts, warned = _fit_both(keras, lambda lib: _finite(seen=seen.setdefault(lib.__name__, [])), epochs=3)
    # Epochs 2 and 3 get only the two batches Keras read first (a new pass replays them).
    assert counts == [4, 2, 2] and warned == 3
    assert seen["nanokeras"] == seen["keras"] == [0, 1, 2, 3]


def test_finite_generator_with_steps_per_epoch(keras):
    _, counts, _ = _fit_both(keras, lambda lib: _finite(), epochs=4, steps_per_epoch=3)
    assert counts == [3, 1, 2, 2]
    _, counts, _ = _fit_both(keras, lambda lib: _finite(), epochs=2, steps_per_epoch=6)
    assert counts == [4, 2]


def test_one_batch_generator(keras):
    _, counts, _ = _fit_both(keras, lambda lib: _finite(1), epochs=3)
    assert counts == [1, 1, 1]


# ------------------------------------------------ steps beyond a dataset's length
def test_tf_data_with_more_steps_than_batches_ends_the_epoch(keras):
    tf = _tf()
    dataset = tf.data.Dataset.from_tensor_slices((X, Y)).batch(16)
    _, counts, warned = _fit_both(keras, lambda lib: dataset, epochs=2, steps_per_epoch=10, shuffle=False)
    assert counts == [4, 4] and warned == 2
    _, counts, _ = _fit_both(keras, lambda lib: dataset, epochs=4, steps_per_epoch=3, shuffle=False)
    assert counts == [3, 1, 3, 1]


def test_tf_data_of_unknown_length(keras):
    tf = _tf()
    dataset = tf.data.Dataset.from_tensor_slices((X, Y)).batch(16).filter(lambda x, y: True)
    _, counts, warned = _fit_both(keras, lambda lib: dataset, epochs=4, steps_per_epoch=3, shuffle=False)
    assert counts == [3, 1, 3, 1] and warned == 2
    _, counts, warned = _fit_both(keras, lambda lib: dataset, epochs=2, shuffle=False)
    assert counts == [4, 4] and warned == 2


def test_py_dataset_and_arrays_with_more_steps_than_batches(keras):
    def py_dataset(lib):
        class Batches(lib.utils.PyDataset):
            def __init__(self):
                super().__init__()

            def __len__(self):
                return 4

            def __getitem__(self, index):
                return _batch(index)

        return Batches()

    _, counts, warned = _fit_both(keras, py_dataset, epochs=2, steps_per_epoch=10, shuffle=False)
    assert counts == [4, 4] and warned == 2
    _, counts, _ = _fit_both(keras, py_dataset, epochs=4, steps_per_epoch=3, shuffle=False)
    assert counts == [3, 1, 3, 1]
    for lib in (keras, nanokeras):
        counter = _counter(lib)
        _, warned = _recorded(lambda: _model(lib).fit(X, Y, batch_size=16, epochs=2, steps_per_epoch=10,
                                                      shuffle=False, callbacks=[counter], verbose=0))
        assert counter.batches == [4, 4] and warned == 2


# ------------------------------------------------ validation generators
@pytest.mark.parametrize("validation_steps,expected_seen", [(2, [0, 1]), (3, [0, 1, 2, 3, 0])])
def test_validation_generator_starts_a_new_pass_each_epoch(keras, validation_steps, expected_seen):
    seen = {}
    _fit_both(keras, lambda lib: _endless(), lambda lib: _endless(seen.setdefault(lib.__name__, [])),
              epochs=3, steps_per_epoch=2, validation_steps=validation_steps)
    assert seen["keras"] == seen["nanokeras"] == expected_seen


def test_finite_validation_generator(keras):
    for steps in (None, 6):
        seen = {}
        _fit_both(keras, lambda lib: _endless(), lambda lib: _finite(seen=seen.setdefault(lib.__name__, [])),
                  epochs=3, steps_per_epoch=2, validation_steps=steps)
        assert seen["keras"] == seen["nanokeras"] == [0, 1, 2, 3]


def test_validation_datasets_with_more_steps_than_batches(keras):
    tf = _tf()
    dataset = tf.data.Dataset.from_tensor_slices((X, Y)).batch(16)
    for validation, steps in ((dataset, 3), (dataset, 6), (dataset.filter(lambda x, y: True), 6),
                              (dataset.repeat(), 6)):
        _fit_both(keras, lambda lib: _endless(), lambda lib: validation, epochs=2, steps_per_epoch=2,
                  validation_steps=steps)


# ------------------------------------------------ evaluate and predict
def test_evaluate_and_predict_on_sources_that_run_out(keras):
    tf = _tf()
    dataset = tf.data.Dataset.from_tensor_slices((X, Y)).batch(16)
    results = []
    for lib in (keras, nanokeras):
        model, seen = _model(lib), []
        values = [_recorded(lambda: model.evaluate(_endless(seen), steps=2, verbose=0)),
                  _recorded(lambda: model.evaluate(_endless(seen), steps=2, verbose=0)),
                  _recorded(lambda: model.evaluate(_finite(seen=seen), verbose=0)),
                  _recorded(lambda: model.evaluate(_finite(seen=seen), steps=6, verbose=0)),
                  _recorded(lambda: model.evaluate(dataset, steps=6, verbose=0))]
        predicted, warned = _recorded(lambda: np.asarray(model.predict(_finite(), steps=6, verbose=0)))
        from_dataset, warned_dataset = _recorded(lambda: np.asarray(model.predict(dataset, steps=6, verbose=0)))
        results.append((values, seen, predicted, warned, from_dataset, warned_dataset))
    theirs, ours = results
    np.testing.assert_allclose([v for v, _ in ours[0]], [v for v, _ in theirs[0]], rtol=1e-5)
    assert [w for _, w in ours[0]] == [w for _, w in theirs[0]] == [0, 0, 1, 1, 1]
    assert ours[1] == theirs[1] == [0, 1, 0, 1, 0, 1, 2, 3, 0, 1, 2, 3]
    assert ours[2].shape == theirs[2].shape == (64, 1)
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ours[4], theirs[4], rtol=1e-5, atol=1e-6)
    assert ours[3] == theirs[3] == 1 and ours[5] == theirs[5] == 1
