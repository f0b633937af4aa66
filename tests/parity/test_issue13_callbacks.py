"""TensorBoard, SwapEMAWeights and RemoteMonitor against real Keras 3: same files' tags and values,
same evaluations, same posts."""

import glob
import http.server
import json
import os
import threading

import numpy as np
import pytest

import nanokeras

RNG = np.random.default_rng(2)
X = RNG.normal(size=(24, 3)).astype("float32")
Y = (X.sum(axis=1, keepdims=True) > 0).astype("float32")


def _pair(keras, **optimizer_kwargs):
    def build(lib):
        model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(4, activation="tanh"),
                                lib.layers.Dense(1, activation="sigmoid")])
        model.compile(lib.optimizers.SGD(0.1, **optimizer_kwargs), "binary_crossentropy", metrics=["accuracy"])
        return model

    theirs = build(keras)
    ours = build(nanokeras)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    return ours, theirs


def _scalars(directory):
    import tensorflow as tf

    found = {}
    for path in glob.glob(os.path.join(directory, "events.out.tfevents.*")):
        for event in tf.compat.v1.train.summary_iterator(path):
            for value in event.summary.value:
                if value.HasField("simple_value"):
                    number = value.simple_value
                elif value.HasField("tensor") and value.tensor.dtype == 1 and not value.tensor.string_val:
                    number = float(tf.make_ndarray(value.tensor))
                else:
                    continue
                found.setdefault(value.tag, []).append((event.step, number))
    return {tag: sorted(values) for tag, values in found.items()}


@pytest.mark.parametrize("update_freq", ["epoch", 2])
def test_tensorboard_scalars_match_keras(keras, tmp_path, update_freq):
    pytest.importorskip("tensorboardX")
    pytest.importorskip("tensorboard", reason="Keras's TensorBoard callback needs the tensorboard package")
    ours, theirs = _pair(keras)
    fit = dict(x=X, y=Y, batch_size=6, epochs=2, shuffle=False, validation_split=0.25, verbose=0)
    theirs.fit(callbacks=[keras.callbacks.TensorBoard(str(tmp_path / "k"), update_freq=update_freq)], **fit)
    ours.fit(callbacks=[nanokeras.callbacks.TensorBoard(str(tmp_path / "n"), update_freq=update_freq)], **fit)
    for part in ("train", "validation"):
        expected, result = _scalars(str(tmp_path / "k" / part)), _scalars(str(tmp_path / "n" / part))
        assert sorted(result) == sorted(expected), part
        for tag in expected:
            assert [s for s, _ in result[tag]] == [s for s, _ in expected[tag]], tag
            np.testing.assert_allclose([v for _, v in result[tag]], [v for _, v in expected[tag]], rtol=1e-5,
                                       atol=1e-6, err_msg=tag)


def test_swap_ema_weights_matches_keras(keras):
    ours, theirs = _pair(keras, use_ema=True, ema_momentum=0.8)
    fit = dict(x=X, y=Y, batch_size=6, epochs=3, shuffle=False, verbose=0)
    theirs_history = theirs.fit(validation_data=(X, Y), callbacks=[keras.callbacks.SwapEMAWeights()], **fit)
    ours_history = ours.fit(validation_data=(X, Y), callbacks=[nanokeras.callbacks.SwapEMAWeights()], **fit)
    for key in ("val_loss", "val_accuracy", "loss"):
        np.testing.assert_allclose(ours_history.history[key], theirs_history.history[key], rtol=1e-5, err_msg=key)
    np.testing.assert_allclose(ours.evaluate(X, Y, verbose=0, callbacks=[nanokeras.callbacks.SwapEMAWeights()]),
                               theirs.evaluate(X, Y, verbose=0, callbacks=[keras.callbacks.SwapEMAWeights()]),
                               rtol=1e-5)
    # (`swap_on_epoch=True` is checked in tests/callbacks: inside Keras's JAX `fit` the model's variables
    # are synchronised with the training state after the epoch's callbacks, which undoes the swap.)


class _Recorder(http.server.BaseHTTPRequestHandler):
    received = []

    def do_POST(self):  # noqa: N802
        self.received.append((self.path, self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_remote_monitor_posts_what_keras_posts(keras):
    pytest.importorskip("requests")  # (Keras's RemoteMonitor needs it; ours uses the standard library)
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    root = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        ours, theirs = _pair(keras)
        for lib, model in ((keras, theirs), (nanokeras, ours)):
            model.fit(X, Y, batch_size=6, epochs=2, shuffle=False, verbose=0, callbacks=[
                lib.callbacks.RemoteMonitor(root=root, path="/json", send_as_json=True),
                lib.callbacks.RemoteMonitor(root=root, path="/form")])
    finally:
        server.shutdown()
        server.server_close()
    received = _Recorder.received
    assert [path for path, _ in received[:4]] == [path for path, _ in received[4:]]
    for (_, theirs_body), (_, ours_body) in zip(received[:4], received[4:]):
        if theirs_body.startswith(b"{"):
            theirs_data, ours_data = json.loads(theirs_body), json.loads(ours_body)
        else:
            from urllib.parse import parse_qs

            theirs_data = json.loads(parse_qs(theirs_body.decode())["data"][0])
            ours_data = json.loads(parse_qs(ours_body.decode())["data"][0])
        assert sorted(ours_data) == sorted(theirs_data)
        for key in theirs_data:
            np.testing.assert_allclose(ours_data[key], theirs_data[key], rtol=1e-5)
