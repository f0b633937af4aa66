"""nanokeras/playground/show.py: `show(model, x, y)`, `serve()` and the command line."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import playground
from tests.playground.helpers import ROOT


def _model(compiled=True):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, activation="relu"),
                              keras.layers.Dense(1, activation="sigmoid")])
    if compiled:
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    return model


X = np.random.default_rng(0).normal(size=(30, 2)).astype("float32")
Y = (X[:, 0] > 0).astype("int32")


def _get(url_or_port, path):
    port = url_or_port if isinstance(url_or_port, int) else int(url_or_port.rsplit(":", 1)[1].strip("/"))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read()


def test_show_opens_the_page_on_the_users_model(monkeypatch, capsys):
    opened = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url))
    server = playground.show(_model(), X, Y, validation_data=(X[:5], Y[:5]), epochs=7, batch_size=4, block=False)
    try:
        deadline = time.monotonic() + 5
        while not opened and time.monotonic() < deadline:
            time.sleep(0.01)
        assert opened == [server.url] and server.url in capsys.readouterr().out
        status, body = _get(server.url, "/api/state")
        setup = json.loads(body)["setup"]
        assert status == 200 and setup["mode"] == "model" and setup["settings"]["epochs"] == 7
        assert [layer["units"] for layer in setup["layers"]] == [3] and len(setup["points"]["test"]) == 5
    finally:
        server.stop()


def test_the_playground_loads_on_first_use_and_import_stays_light():
    assert keras.playground is playground
    code = "import sys, nanokeras; print(any(m.startswith('nanokeras.playground') for m in sys.modules), " \
           "'http.server' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                            env=dict(os.environ, PYTHONPATH=ROOT), timeout=60)
    assert result.stdout.split() == ["False", "False"], result.stderr


@pytest.mark.parametrize("arguments, error, words", [
    (dict(model=_model(compiled=False)), ValueError, ["compiled model", "model.compile("]),
    (dict(x=np.zeros((30, 3))), ValueError, ["`x` must have shape (samples, 2)", "(30, 3)"]),
    (dict(x=[["a", "b"]] * 30), TypeError, ["`x` must be an array of numbers"]),
    (dict(y=np.zeros(29)), ValueError, ["29 labels for 30 samples"]),
    (dict(y=np.array(["a"] * 30)), TypeError, ["numeric labels"]),
    (dict(validation_data=X), ValueError, ["`validation_data` must be a tuple"]),
    (dict(validation_data=(X[:, :1], Y)), ValueError, ["`validation_data[0]` must have shape"]),
    (dict(speed="warp"), ValueError, ["`speed` must be one of slow, normal, fast"]),
])
def test_show_refuses_what_it_cannot_draw(arguments, error, words):
    call = dict(model=_model(), x=X, y=Y, open_browser=False, block=False)
    call.update(arguments)
    with pytest.raises(error) as raised:
        playground.show(**call)
    for word in words:
        assert word in str(raised.value)


def test_serve_in_the_background():
    server = playground.serve(open_browser=False, block=False)
    try:
        status, body = _get(server.url, "/")
        assert status == 200 and b"nanokeras" in body
    finally:
        server.stop()


def _start_cli(*arguments):
    process = subprocess.Popen([sys.executable, "-m", "nanokeras.playground", "--no-browser", *arguments],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                               env=dict(os.environ, PYTHONPATH=ROOT))
    line = process.stdout.readline()
    return process, line


def test_the_command_line_serves_until_ctrl_c():
    process, line = _start_cli("--port", "0")
    try:
        assert line.startswith("nanokeras playground: http://127.0.0.1:") and "Ctrl+C" in line
        url = line.split()[2]
        assert _get(url, "/")[0] == 200
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0 and "stopped" in out, err


def test_the_command_line_explains_a_taken_port_and_falls_back_when_none_was_asked_for():
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    taken = holder.getsockname()[1]
    try:
        result = subprocess.run([sys.executable, "-m", "nanokeras.playground", "--no-browser", "--port", str(taken)],
                                capture_output=True, text=True, cwd=ROOT, env=dict(os.environ, PYTHONPATH=ROOT),
                                timeout=60)
        assert result.returncode == 2 and f"cannot listen on 127.0.0.1:{taken}" in result.stderr
        assert "--port 0" in result.stderr
    finally:
        holder.close()
    process, line = _start_cli()  # the default port, or any free one if that is taken
    try:
        assert line.startswith("nanokeras playground: http://127.0.0.1:")
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=20)


def test_the_console_script_is_declared():
    with open(os.path.join(ROOT, "pyproject.toml")) as file:
        text = file.read()
    assert 'nanokeras-playground = "nanokeras.playground.show:main"' in text
    assert '"nanokeras.playground" = ["static/*"]' in text
    from nanokeras.playground.show import main

    assert callable(main)
