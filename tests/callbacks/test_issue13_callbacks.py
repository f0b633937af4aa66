"""TensorBoard (event files read back), SwapEMAWeights and RemoteMonitor (a loopback server)."""

import glob
import http.server
import json
import os
import struct
import threading
import urllib.parse

import numpy as np
import pytest

import nanokeras as keras

RNG = np.random.default_rng(0)
X = RNG.normal(size=(20, 3)).astype("float32")
Y = (X.sum(axis=1, keepdims=True) > 0).astype("float32")


def _model(**optimizer_kwargs):
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu"),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(keras.optimizers.SGD(0.1, **optimizer_kwargs), "binary_crossentropy", metrics=["accuracy"])
    return model


def read_events(directory):
    """Every event of the event files in `directory`, parsed from their TFRecord framing."""
    from tensorboardX.proto.event_pb2 import Event

    events = []
    for path in sorted(glob.glob(os.path.join(directory, "events.out.tfevents.*"))):
        with open(path, "rb") as file:
            data = file.read()
        offset = 0
        while offset < len(data):
            (length,) = struct.unpack("<Q", data[offset:offset + 8])
            events.append(Event.FromString(data[offset + 12:offset + 12 + length]))
            offset += 12 + length + 4
    return events


def scalars(directory):
    found = {}
    for event in read_events(directory):
        for value in event.summary.value:
            if value.HasField("simple_value"):
                found.setdefault(value.tag, []).append((event.step, value.simple_value))
    return found


def test_tensorboard_writes_epoch_batch_evaluation_and_histogram_events(tmp_path):
    pytest.importorskip("tensorboardX")
    model = _model()
    callback = keras.callbacks.TensorBoard(str(tmp_path), histogram_freq=1, update_freq="batch", write_images=True)
    history = model.fit(X, Y, batch_size=5, epochs=2, validation_split=0.25, verbose=0, callbacks=[callback])
    train, validation = scalars(str(tmp_path / "train")), scalars(str(tmp_path / "validation"))
    np.testing.assert_allclose([v for _, v in train["epoch_loss"]], history.history["loss"], rtol=1e-6)
    assert [s for s, _ in train["epoch_accuracy"]] == [0, 1]
    np.testing.assert_allclose([v for _, v in train["epoch_learning_rate"]], [0.1, 0.1], rtol=1e-6)
    np.testing.assert_allclose([v for _, v in validation["epoch_loss"]], history.history["val_loss"], rtol=1e-6)
    assert [s for s, _ in train["batch_loss"]] == [1, 2, 3, 4, 5, 6]  # 3 + 3 batches
    assert [s for s, _ in validation["evaluation_loss_vs_iterations"]] == [3, 6]
    tags = {value.tag for event in read_events(str(tmp_path / "train")) for value in event.summary.value}
    # Tags are the weights' paths, as in Keras: the Sequential's name scope comes first.
    first_kernel, _, _, last_bias = (w.path for w in model.weights)
    assert first_kernel == f"{model.name}/{model.layers[0].name}/kernel"
    assert {f"{first_kernel}/histogram", f"{last_bias}/histogram", f"{first_kernel}/image", "keras"} <= tags
    keras_config = next(value for event in read_events(str(tmp_path / "train")) for value in event.summary.value
                        if value.tag == "keras")
    assert keras_config.metadata.plugin_data.plugin_name == "graph_keras_model"
    assert json.loads(keras_config.tensor.string_val[0])["name"] == model.name


def test_tensorboard_records_on_multiples_of_update_freq_as_keras(tmp_path):
    pytest.importorskip("tensorboardX")
    model = _model()
    model.fit(X, Y, batch_size=5, epochs=2, verbose=0, callbacks=[keras.callbacks.TensorBoard(str(tmp_path),
                                                                                             update_freq=2)])
    train = scalars(str(tmp_path / "train"))
    assert [s for s, _ in train["batch_loss"]] == [2, 4, 6, 8]
    # Epoch events are recorded only when the last batch's step is a multiple of update_freq (as Keras).
    assert [s for s, _ in train["epoch_loss"]] == [0, 1]
    model.fit(X[:15], Y[:15], batch_size=5, epochs=2, verbose=0,
              callbacks=[keras.callbacks.TensorBoard(str(tmp_path / "odd"), update_freq=2)])
    assert [s for s, _ in scalars(str(tmp_path / "odd" / "train"))["epoch_loss"]] == [1]


def test_tensorboard_event_files_open_in_tensorflow(tmp_path):
    tf = pytest.importorskip("tensorflow")
    model = _model()
    model.fit(X, Y, epochs=2, verbose=0, callbacks=[keras.callbacks.TensorBoard(str(tmp_path))])
    paths = glob.glob(str(tmp_path / "train" / "events.out.tfevents.*"))
    tags = {value.tag for path in paths for event in tf.compat.v1.train.summary_iterator(path)
            for value in event.summary.value}
    assert {"epoch_loss", "epoch_accuracy", "epoch_learning_rate"} <= tags


def test_tensorboard_arguments():
    with pytest.raises(ValueError, match="Profiling is not yet available"):
        keras.callbacks.TensorBoard(profile_batch=2)
    with pytest.raises(ValueError, match="update_freq"):
        keras.callbacks.TensorBoard(update_freq="sometimes")


def test_swap_ema_weights_evaluates_with_the_averages():
    model = _model(use_ema=True, ema_momentum=0.5)
    model.fit(X, Y, epochs=2, verbose=0)
    trained = model.get_weights()
    averages = [v.numpy() for v in model.optimizer._model_variables_moving_average[:len(trained)]]
    twin = _model()
    twin.set_weights(averages)
    expected = twin.evaluate(X, Y, verbose=0)
    result = model.evaluate(X, Y, verbose=0, callbacks=[keras.callbacks.SwapEMAWeights()])
    np.testing.assert_allclose(result, expected, rtol=1e-6)
    for a, b in zip(model.get_weights(), trained):  # swapped back afterwards
        np.testing.assert_array_equal(a, b)
    swapping = _model(use_ema=True)
    swapping.fit(X, Y, epochs=2, verbose=0, callbacks=[keras.callbacks.SwapEMAWeights(swap_on_epoch=True)])
    for a, b in zip(swapping.get_weights(), swapping.optimizer._model_variables_moving_average):
        np.testing.assert_array_equal(a, b.numpy())  # the averages end in the model
    with pytest.raises(ValueError, match="use_ema=True"):
        _model().evaluate(X, Y, verbose=0, callbacks=[keras.callbacks.SwapEMAWeights()])


class _Recorder(http.server.BaseHTTPRequestHandler):
    received = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.path, self.headers.get("Content-Type"), body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture()
def loopback_server():
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.received
    server.shutdown()
    server.server_close()


def test_remote_monitor_posts_each_epoch(loopback_server):
    root, received = loopback_server
    model = _model()
    history = model.fit(X, Y, epochs=2, verbose=0, callbacks=[
        keras.callbacks.RemoteMonitor(root=root, path="/epochs", send_as_json=True),
        keras.callbacks.RemoteMonitor(root=root, path="/form", field="payload", headers={"X-Run": "7"})])
    json_posts = [json.loads(body) for path, kind, body in received if path == "/epochs"]
    assert [p["epoch"] for p in json_posts] == [0, 1]
    np.testing.assert_allclose([p["loss"] for p in json_posts], history.history["loss"], rtol=1e-6)
    forms = [urllib.parse.parse_qs(body.decode()) for path, kind, body in received if path == "/form"]
    assert json.loads(forms[1]["payload"][0])["epoch"] == 1
    with pytest.warns(UserWarning, match="Could not reach RemoteMonitor root server"):
        model.fit(X, Y, epochs=1, verbose=0, callbacks=[keras.callbacks.RemoteMonitor(root="http://127.0.0.1:9")])
