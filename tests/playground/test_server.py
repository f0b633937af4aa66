"""nanokeras/playground/server.py: the endpoints, the event stream, and bad requests that change nothing."""

import http.client
import json
import socket
import threading
import time

import pytest

import nanokeras as keras
from nanokeras.playground.recipes import SettingsRecipe
from nanokeras.playground.server import PlaygroundServer, safe_filename
from nanokeras.playground.session import Session
from nanokeras.playground.settings import Settings


@pytest.fixture
def server():
    server = PlaygroundServer(Session(SettingsRecipe(Settings(dataset="blobs", points=100, hidden=(3,), epochs=40,
                                                              speed="fast")))).start()
    yield server
    server.stop()


def request(server, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    if isinstance(body, (dict, list)):
        body = json.dumps(body)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, response.getheader("Content-Type"), data


def json_request(server, method, path, body=None, headers=None):
    status, _, data = request(server, method, path, body, headers)
    return status, json.loads(data)


def state(server):
    return json_request(server, "GET", "/api/state")[1]


def wait_for(server, condition, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        frame = state(server)["frame"]
        if condition(frame):
            return frame
        time.sleep(0.02)
    raise AssertionError(f"timed out; last frame status {frame['status']}")


class EventClient:
    """A page's event stream over a raw socket, collecting `(time, kind, data)`."""

    def __init__(self, server):
        self.socket = socket.create_connection(("127.0.0.1", server.port), timeout=30)
        self.socket.sendall(f"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode())
        self.events = []
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self):
        stream = self.socket.makefile("rb")
        kind = None
        try:
            for line in stream:
                line = line.decode().rstrip("\r\n")
                if line.startswith("event: "):
                    kind = line[7:]
                elif line.startswith("data: ") and kind:
                    self.events.append((time.monotonic(), kind, json.loads(line[6:])))
        except (OSError, ValueError):
            pass

    def frames(self):
        return [(t, data) for t, kind, data in self.events if kind == "frame"]

    def close(self):
        self.socket.shutdown(socket.SHUT_RDWR)
        self.socket.close()


def test_the_page_and_its_files(server):
    status, content_type, body = request(server, "GET", "/")
    assert status == 200 and content_type.startswith("text/html") and b"nanokeras" in body
    for name, kind in (("playground.js", "text/javascript"), ("playground.css", "text/css"),
                       ("favicon.svg", "image/svg+xml")):
        status, content_type, body = request(server, "GET", f"/static/{name}")
        assert status == 200 and content_type.startswith(kind) and body
    for path in ("/static/../server.py", "/static/%2e%2e/server.py", "/static/", "/nothing", "/api/nothing"):
        status, content_type, body = request(server, "GET", path)
        assert status == 404 and "error" in json.loads(body), path
    assert "//" not in server.url[7:] and server.url.startswith("http://127.0.0.1:")


def test_only_loopback_names_and_the_pages_own_origin(server):
    status, body = json_request(server, "GET", "/api/state", headers={"Host": "attacker.example:80"})
    assert status == 403 and "127.0.0.1" in body["error"]
    status, body = json_request(server, "POST", "/api/control", {"action": "train"},
                                headers={"Origin": "http://attacker.example"})
    assert status == 403 and "not accepted" in body["error"]
    assert state(server)["frame"]["status"] == "ready"
    status, _ = json_request(server, "POST", "/api/control", {"action": "step"},
                             headers={"Origin": f"http://localhost:{server.port}"})
    assert status == 200
    assert server.server_address[0] == "127.0.0.1"


def test_settings_presets_and_controls(server):
    status, body = json_request(server, "POST", "/api/settings", {"dataset": "circles", "hidden": [5]})
    assert status == 200 and body == {"ok": True}
    setup = state(server)["setup"]
    assert setup["settings"]["dataset"] == "circles" and setup["layers"][0]["units"] == 5
    for bad, words in (({"hidden": [99]}, "from 1 to 16"), ({"optimiser": "sgd"}, "Did you mean 'optimizer'"),
                       ([1, 2], "JSON object"), ("{not json", "JSON object")):
        status, body = json_request(server, "POST", "/api/settings", bad)
        assert status == 400 and words in body["error"]
    assert state(server)["setup"]["generation"] == setup["generation"]  # nothing changed
    status, body = json_request(server, "POST", "/api/control", {"action": "jump"})
    assert status == 400 and "Unknown action" in body["error"]
    assert json_request(server, "POST", "/api/preset", {"name": "overfitting"})[0] == 200
    assert state(server)["setup"]["settings"]["hidden"] == [16, 16, 16]
    json_request(server, "POST", "/api/settings", {"epochs": 5, "hidden": [3]})
    assert json_request(server, "POST", "/api/control", {"action": "train"})[0] == 200
    assert wait_for(server, lambda frame: frame["status"] == "done")["epoch"] == 5
    status, body = json_request(server, "POST", "/api/settings", "x" * 70000)
    assert status == 413


def test_uploads_good_and_bad_and_the_server_keeps_running(server):
    rows = "x1,x2,label\n" + "\n".join(f"{i},{i % 4},{i % 2}" for i in range(40))
    status, body = json_request(server, "POST", "/api/upload?name=../../My%20Data.csv", rows)
    assert status == 200 and body == {"ok": True, "rows": 40}
    setup = state(server)["setup"]
    assert setup["uploaded"] == "My_Data.csv" and 'np.loadtxt("My_Data.csv"' in setup["code"]["nanokeras"]
    generation = setup["generation"]
    for bad, words in (("a,b\n1,2\n", "expected 3"), ("1,2,0\n3,x,1\n5,6,0\n7,8,1\n", "'x' is not a number")):
        status, body = json_request(server, "POST", "/api/upload?name=bad.csv", bad)
        assert status == 400 and words in body["error"]
    big = b"1,2,0\n" * (100_000_000 // 6)  # 100 MB
    start = time.monotonic()
    status, body = json_request(server, "POST", "/api/upload?name=big.csv", big)
    assert status == 413 and "100.0 MB" in body["error"] and "up to 5 MB" in body["error"]
    assert time.monotonic() - start < 20
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.putrequest("POST", "/api/upload")
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 411 and "Content-Length" in json.loads(response.read())["error"]
    connection.close()
    assert state(server)["setup"]["generation"] == generation  # refused uploads changed nothing
    assert json_request(server, "POST", "/api/control", {"action": "step"})[0] == 200
    assert wait_for(server, lambda frame: frame["status"] == "paused")["epoch"] == 1


def test_downloads(server, tmp_path):
    status, content_type, body = request(server, "GET", "/api/model.keras")
    assert status == 200 and body[:2] == b"PK"  # a zip, as Keras writes
    path = tmp_path / "model.keras"
    path.write_bytes(body)
    model = keras.saving.load_model(str(path))
    assert model.count_params() == 3 * 3 + 4
    for library, first_import in (("nanokeras", "import nanokeras as keras"), ("keras", "import keras")):
        status, content_type, body = request(server, "GET", f"/api/code.py?library={library}")
        assert status == 200 and content_type.startswith("text/x-python")
        assert body.decode().splitlines()[2].startswith(first_import)
    status, _, body = request(server, "GET", "/api/code.py?library=torch")
    assert status == 400 and b"'nanokeras' or 'keras'" in body


def test_an_internal_error_is_reported_and_the_server_goes_on(server, monkeypatch):
    def broken():
        raise RuntimeError("disk full")

    monkeypatch.setattr(server.session, "model_file", broken)
    status, body = json_request(server, "GET", "/api/model.keras")
    assert status == 500 and body["error"] == "Internal error: RuntimeError: disk full"
    assert state(server)["frame"]["status"] == "ready"


def test_concurrent_pages_see_the_same_training_and_one_leaving_harms_none(server):
    json_request(server, "POST", "/api/settings", {"epochs": 60, "speed": "normal"})  # 3 s of training
    pages = [EventClient(server) for _ in range(3)]
    deadline = time.monotonic() + 10
    while server.session.broadcaster.subscriber_count < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.session.broadcaster.subscriber_count == 3
    json_request(server, "POST", "/api/control", {"action": "train"})
    time.sleep(0.8)
    pages[0].close()  # closed mid-training
    wait_for(server, lambda frame: frame["status"] == "done", timeout=60)
    time.sleep(0.3)
    for page in pages[1:]:
        frames = page.frames()
        assert frames[-1][1]["status"] == "done" and frames[-1][1]["epoch"] == 60
        assert page.events[0][1] == "setup"  # a new page gets the set-up first
        training = [t for t, frame in frames if frame["status"] == "training"]
        assert len(training) >= 10
        span = training[-1] - training[0]
        assert len(training) <= span * 20 + 2  # at most 20 frames a second
        page.close()
    assert len(pages[0].frames()) < len(pages[1].frames())
    deadline = time.monotonic() + 5
    while server.session.broadcaster.subscriber_count > 0 and time.monotonic() < deadline:
        json_request(server, "POST", "/api/settings", {"speed": "fast"})  # something to send: the write fails
        time.sleep(0.05)
    assert server.session.broadcaster.subscriber_count == 0
    assert state(server)["frame"]["status"] == "done"


def test_safe_filenames():
    assert safe_filename("C:\\Users\\me\\points.csv") == "points.csv"
    assert safe_filename("") == safe_filename("...") == "data.csv"
    assert safe_filename('a"b\nc.csv') == "a_b_c.csv"


def test_the_stream_ends_when_the_server_stops():
    server = PlaygroundServer(Session(SettingsRecipe(Settings(speed="fast")))).start()
    page = EventClient(server)
    deadline = time.monotonic() + 5
    while not page.events and time.monotonic() < deadline:
        time.sleep(0.01)
    start = time.monotonic()
    server.stop()
    page._thread.join(timeout=5)
    assert not page._thread.is_alive() and time.monotonic() - start < 5
    assert [kind for _, kind, _ in page.events] == ["setup", "frame"]
    page.socket.close()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", server.port), timeout=1)
