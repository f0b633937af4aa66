"""Data of another size than the `Input` says, where the layers take it (as Keras's fit/predict do).

Keras checks only the rank of `x` against the model's `Input`: an Embedding + LSTM built on
length 7 predicts on length 4 or 9. nanokeras accepts such data when the model's layers take it
(it runs the model once on zeros of that shape), and still refuses, with its explanation, data
the layers cannot take (a Dense model given another feature count).
"""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers

RNG = np.random.default_rng(3)


def _text_model(jit_compile="auto"):
    keras.utils.set_random_seed(7)
    model = keras.Sequential([keras.Input((7,), dtype="int32"), layers.Embedding(20, 4),
                              layers.LSTM(3), layers.Dense(1, activation="sigmoid")])
    model.compile(keras.optimizers.Adam(0.01), "binary_crossentropy", metrics=["accuracy"], jit_compile=jit_compile)
    return model


def _ids(n, length, seed):
    return np.random.default_rng(seed).integers(1, 20, size=(n, length)).astype("int32")


def test_compiled_steps_of_each_length_match_the_tape_bit_for_bit():
    labels = RNG.integers(0, 2, size=(24, 1)).astype("float32")
    results = []
    for jit_compile in (False, "auto"):
        model = _text_model(jit_compile)
        logs = []
        for length, seed in ((7, 0), (4, 1), (9, 2), (7, 3)):  # a new length makes a new program
            logs.append(model.fit(_ids(24, length, seed), labels, batch_size=8, epochs=2, verbose=0,
                                  validation_data=(_ids(8, length, seed + 10), labels[:8])).history)
        reasons = model.compiled_step_reason
        predictions = [model.predict(_ids(5, length, 20), verbose=0) for length in (3, 7, 11)]
        evaluation = model.evaluate(_ids(8, 5, 30), labels[:8], verbose=0, return_dict=True)
        results.append((model, logs, predictions, evaluation, reasons))
    (tape, tape_logs, tape_predictions, tape_evaluation, tape_reasons), \
        (compiled, logs, predictions, evaluation, reasons) = results
    assert reasons == {} and tape_reasons
    assert logs == tape_logs
    assert evaluation == tape_evaluation
    for a, b in zip(predictions, tape_predictions):
        assert a.shape == (5, 1)
        np.testing.assert_array_equal(a, b)
    for a, b in zip(compiled.weights, tape.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=a.path)


def test_generator_batches_of_varying_length():
    model = _text_model()

    def batches():
        while True:
            for length in (5, 7, 9):
                yield _ids(4, length, length), np.ones((4, 1), "float32")

    history = model.fit(batches(), steps_per_epoch=3, epochs=2, verbose=0).history
    assert len(history["loss"]) == 2 and all(np.isfinite(history["loss"]))
    assert model.predict(batches(), steps=3, verbose=0).shape == (12, 1)


def test_data_the_layers_cannot_take_is_refused_and_changes_nothing():
    model = keras.Sequential([keras.Input((3, 4)), layers.Flatten(), layers.Dense(2)])
    model.compile("sgd", "mse")
    weights = model.get_weights()
    with pytest.raises(ValueError, match=r"`x` has shape \(2, 2, 4\), but the model expects input of shape "
                                         r"\(None, 3, 4\).*Dense .*12"):
        model.fit(np.ones((2, 2, 4)), np.ones((2, 2)), verbose=0)
    for a, b in zip(model.get_weights(), weights):
        np.testing.assert_array_equal(a, b)
    assert int(model.optimizer.iterations.numpy()) == 0
    assert model.predict(np.ones((2, 4, 3)), verbose=0).shape == (2, 2)  # 12 values per sample: Dense takes it


def test_wrong_feature_count_keeps_its_explanation():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(2)])
    with pytest.raises(ValueError, match="The model takes 4 features per sample; the data has 3"):
        model.predict(np.ones((2, 3)), verbose=0)
    with pytest.raises(ValueError, match="Add the batch axis"):  # another rank: refused as Keras does
        model.predict(np.ones(4), verbose=0)


def test_conv_takes_larger_images_not_other_channels():
    model = keras.Sequential([keras.Input((8, 8, 1)), layers.Conv2D(2, 3), layers.GlobalMaxPooling2D()])
    assert model.predict(np.ones((2, 12, 10, 1)), verbose=0).shape == (2, 2)
    with pytest.raises(ValueError, match="channels"):
        model.predict(np.ones((2, 8, 8, 3)), verbose=0)


def test_the_look_at_a_new_length_changes_no_state():
    from nanokeras.trainers.validation import check_features

    inputs = keras.Input(batch_shape=(2, 3, 1))
    rnn = layers.SimpleRNN(1, stateful=True, kernel_initializer="ones", recurrent_initializer="ones")
    model = keras.Model(inputs, rnn(inputs))
    model.predict(np.ones((2, 3, 1)), verbose=0)
    before = [np.array(state.numpy()) for state in rnn.states]
    assert np.abs(before[0]).sum() > 0
    check_features(model, np.ones((2, 5, 1), "float32"))  # accepted: the layers take length 5
    for state, old in zip(rnn.states, before):
        np.testing.assert_array_equal(state.numpy(), old)
    with pytest.raises(ValueError, match="expects input of shape"):
        check_features(model, np.ones((2, 5, 2), "float32"))
