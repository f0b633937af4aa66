import numpy as np
import pytest

import nanokeras as keras


def _linear_model(units=1):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(units, kernel_initializer="zeros")])
    return model


def test_one_sgd_step_on_mse_matches_hand_computation():
    x = np.array([[1.0, 2.0], [3.0, -1.0]], dtype="float32")
    y = np.array([[1.0], [2.0]], dtype="float32")
    model = _linear_model()
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    history = model.fit(x, y, batch_size=2, epochs=1, shuffle=False, verbose=0)
    # Zero weights predict 0: loss = mean(y^2) = 2.5; dL/dW = -2/n x^T y, dL/db = -2/n sum(y)
    np.testing.assert_allclose(history.history["loss"], [2.5])
    np.testing.assert_allclose(model.weights[0].numpy(), 0.1 * (x.T @ y), rtol=1e-6)
    np.testing.assert_allclose(model.weights[1].numpy(), [0.1 * 3.0], rtol=1e-6)


def test_history_keys_are_keras_names_and_epoch_averages():
    x = np.random.rand(20, 2).astype("float32")
    y = (x[:, 0] > 0.5).astype("int32")
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(2,), activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["acc"])
    history = model.fit(x, y, validation_data=(x[:5], y[:5]), epochs=3, batch_size=4, verbose=0)
    assert list(history.history) == ["acc", "loss", "val_acc", "val_loss"]
    assert all(len(v) == 3 and isinstance(v[0], float) for v in history.history.values())
    assert history.epoch == [0, 1, 2] and history.params["steps"] == 5
    np.testing.assert_allclose(history.history["val_loss"][-1], model.evaluate(x[:5], y[:5], verbose=0)[0], rtol=1e-6)


def test_repeated_fit_continues_training():
    x = np.random.rand(32, 2).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    model = _linear_model()
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    first = model.fit(x, y, epochs=3, verbose=0).history["loss"]
    second = model.fit(x, y, epochs=3, verbose=0).history["loss"]
    assert second[0] < first[0]


def test_same_seed_gives_bit_identical_training():
    def run():
        keras.backend.clear_session()
        keras.utils.set_random_seed(7)
        x = np.random.rand(30, 2).astype("float32")
        y = (x[:, 0] > x[:, 1]).astype("int32")
        model = keras.Sequential([keras.layers.Dense(4, input_shape=(2,), activation="relu"), keras.layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy", ["accuracy"])
        model.fit(x, y, epochs=2, batch_size=4, verbose=0)
        return model.get_weights()

    for a, b in zip(run(), run()):
        np.testing.assert_array_equal(a, b)


def test_evaluate_return_forms_and_predict():
    x = np.random.rand(10, 2).astype("float32")
    y = (x[:, 0] > 0.5).astype("float32")
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile("sgd", "binary_crossentropy", metrics=["accuracy"])
    loss, accuracy = model.evaluate(x, y, verbose=0)
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert logs == {"accuracy": accuracy, "loss": loss}
    np.testing.assert_allclose(accuracy, np.mean((model.predict(x, verbose=0)[:, 0] > 0.5) == y), rtol=1e-6)
    model.compile("sgd", "binary_crossentropy")  # as Keras: compiling without metrics keeps them
    assert model.evaluate(x, y, verbose=0, return_dict=True).keys() == {"accuracy", "loss"}
    fresh = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    fresh.compile("sgd", "binary_crossentropy")
    assert isinstance(fresh.evaluate(x, y, verbose=0), float)


def test_validation_split_holds_out_last_samples():
    x = np.arange(20, dtype="float32").reshape(10, 2)
    y = np.zeros((10, 1), dtype="float32")
    seen = []

    class Recorder(keras.callbacks.Callback):
        def on_test_batch_begin(self, batch, logs=None):
            seen.append(batch)

    model = _linear_model()
    model.compile("sgd", "mse")
    history = model.fit(x, y, validation_split=0.2, batch_size=1, epochs=1, verbose=0, callbacks=[Recorder()])
    assert history.params["steps"] == 8 and seen == [0, 1]


def test_train_on_batch_test_on_batch_predict_on_batch():
    x = np.ones((4, 2), dtype="float32")
    y = np.ones((4, 1), dtype="float32")
    model = _linear_model()
    model.compile(keras.optimizers.SGD(0.1), "mse", metrics=["mae"])
    loss, mae = model.train_on_batch(x, y)
    assert loss == pytest.approx(1.0) and mae == pytest.approx(1.0)
    assert model.test_on_batch(x, y, return_dict=True)["loss"] < 1.0
    assert model.predict_on_batch(x).shape == (4, 1)


def test_callback_hooks_order_and_stop_training():
    events = []

    class Tracer(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            events.append("train_begin")

        def on_epoch_begin(self, epoch, logs=None):
            events.append(f"epoch_begin {epoch}")

        def on_batch_end(self, batch, logs=None):  # Keras-2 alias
            events.append(f"batch_end {batch} {sorted(logs)}")
            if batch == 1:
                self.model.stop_training = True

        def on_epoch_end(self, epoch, logs=None):
            events.append(f"epoch_end {epoch}")

        def on_train_end(self, logs=None):
            events.append("train_end")

    model = _linear_model()
    model.compile("sgd", "mse")
    model.fit(np.ones((8, 2)), np.ones((8, 1)), batch_size=2, epochs=3, verbose=0, callbacks=[Tracer()])
    assert events == ["train_begin", "epoch_begin 0", "batch_end 0 ['loss']", "batch_end 1 ['loss']",
                      "epoch_end 0", "train_end"]


def test_integer_and_one_hot_labels_with_the_matching_losses():
    x = np.random.rand(12, 2).astype("float32")
    y = (x[:, 0] > 0.5).astype("int32")
    model = keras.Sequential([keras.layers.Dense(2, input_shape=(2,), activation="softmax")])
    model.compile(keras.optimizers.Adam(0.01), "categorical_crossentropy", ["acc"])
    h1 = model.fit(x, keras.utils.to_categorical(y), verbose=0, batch_size=1)
    model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy", ["acc"])
    h2 = model.fit(x, y, verbose=0, batch_size=1)
    assert list(h1.history) == list(h2.history) == ["acc", "loss"]


def test_progress_output_formats(capsys):
    x = np.random.rand(6, 2).astype("float32")
    y = np.zeros((6, 1), dtype="float32")
    model = _linear_model()
    model.compile("sgd", "mse", metrics=["mae"])
    model.fit(x, y, epochs=2, batch_size=2, validation_data=(x, y))
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Epoch 1/2"
    assert out[1].startswith("3/3 ━━━━━━━━━━━━━━━━━━━━ 0s ") and "/step - loss: " in out[1]
    assert " - mae: " in out[1] and " - val_loss: " in out[1] and "\x1b" not in out[1]
    model.fit(x, y, epochs=1, batch_size=2, verbose=2)
    line = capsys.readouterr().out.splitlines()[0]
    assert line.startswith("3/3 - 0s - ") and "/step - loss: " in line
    model.fit(x, y, epochs=1, verbose=0)
    assert capsys.readouterr().out == ""


def test_validation_gives_the_same_numbers_whatever_the_batching():
    x = np.random.rand(30, 2).astype("float32")
    y = (x[:, 0] > x[:, 1]).astype("int32")
    histories = []
    for validation_batch_size in (None, 1):  # None: batched internally when nothing can tell
        keras.backend.clear_session()
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid", kernel_initializer="ones")])
        model.compile(keras.optimizers.SGD(0.2), "binary_crossentropy", ["acc"])
        histories.append(model.fit(x[:20], y[:20], validation_data=(x[20:], y[20:]), batch_size=1, epochs=2,
                                   shuffle=False, verbose=0, validation_batch_size=validation_batch_size).history)
    for key in histories[0]:
        np.testing.assert_allclose(histories[0][key], histories[1][key], rtol=1e-6)


def test_validation_keeps_batch_size_when_a_callback_watches_test_batches():
    sizes = []

    class Watcher(keras.callbacks.Callback):
        def on_test_batch_end(self, batch, logs=None):
            sizes.append(batch)

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(np.ones((4, 2)), np.ones((4, 1)), validation_data=(np.ones((6, 2)), np.ones((6, 1))),
              batch_size=2, epochs=1, verbose=0, callbacks=[Watcher()])
    assert sizes == [0, 1, 2]


def test_array_metric_results_are_logged_as_arrays_and_shown_as_their_mean(capsys):
    # F1Score(average=None) gives one score per class: Keras keeps the array in the logs and the
    # progress line shows its mean.
    x = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0]], dtype="float32")
    y = np.array([[1, 0], [0, 1], [1, 0], [1, 0]], dtype="float32")
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2, kernel_initializer="zeros", bias_initializer="ones")])
    model.compile("sgd", "mse", metrics=[keras.metrics.F1Score(average=None, threshold=0.5)])
    logs = model.evaluate(x, y, return_dict=True, verbose=0)
    # The model predicts 1 > threshold for every class: precision = class frequency, recall = 1.
    expected = np.array([2 * 0.75 / 1.75, 2 * 0.25 / 1.25], dtype="float32")
    assert isinstance(logs["f1_score"], np.ndarray) and isinstance(logs["loss"], float)
    np.testing.assert_allclose(logs["f1_score"], expected, rtol=1e-6)
    model.evaluate(x, y, verbose=1)
    assert f"f1_score: {expected.mean():.4f}" in capsys.readouterr().out
    history = model.fit(x, y, epochs=1, batch_size=4, verbose=2)
    assert history.history["f1_score"][0].shape == (2,)
    assert " - f1_score: " in capsys.readouterr().out
