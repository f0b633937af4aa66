"""The playground's web server: the page, its stream of frames, and its few requests.

Standard library only. It listens on 127.0.0.1 alone and answers only requests
addressed to that name (or `localhost`) and, for changes, coming from its own
page, so another web site open in the browser cannot drive it. The page can
only pick among built-in choices and send CSV files, which are parsed as numbers.

Routes:
    GET  /                  the page; GET /static/<file> its scripts and styles
    GET  /events            Server-Sent Events: `setup` (the set-up) and `frame` (training state)
    GET  /api/state         the latest `setup` and `frame`, as one JSON object
    POST /api/settings      `{"name": value, ...}` changes settings (a new set-up starts afresh)
    POST /api/preset        `{"name": "perceptron"}` applies a lesson's set-up
    POST /api/control       `{"action": "train" | "pause" | "step" | "reset"}`
    POST /api/upload?name=  a CSV file of two features and a label, as the request body
    GET  /api/model.keras   the current model, saved in Keras's format
    GET  /api/code.py       the code panel's program (`?library=keras` for the Keras 3 import)
"""

import http.server
import json
import os
import re
import threading
import urllib.parse

from nanokeras.playground import uploads

STATIC_FOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "static")
_CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                  ".css": "text/css; charset=utf-8", ".png": "image/png", ".svg": "image/svg+xml"}
MAX_JSON_BYTES = 64 * 1024
# An upload larger than the limit is read and dropped up to this size, so the browser gets the
# message instead of a broken connection; beyond it the connection is closed.
_MAX_DRAINED_BYTES = 512 * 1024 * 1024
KEEP_ALIVE_SECONDS = 15.0


class PlaygroundServer(http.server.ThreadingHTTPServer):
    """A `ThreadingHTTPServer` on 127.0.0.1 serving one `Session`.

    Args:
        session: the `Session` the page shows.
        port: the port to listen on; 0 picks a free one.
        quiet: don't log each request.
    """

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, session, port=0, quiet=True):
        self.session = session
        self.quiet = quiet
        super().__init__(("127.0.0.1", port), _Handler)
        self._thread = None

    @property
    def port(self):
        return self.server_address[1]

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/"

    def start(self):
        """Serves in a background thread; returns self."""
        self._thread = threading.Thread(target=self.serve_forever, name="nanokeras-playground-server", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        """Stops training, ends the pages' streams and closes the server."""
        self.session.close()
        self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)


class _RequestError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class _Handler(http.server.BaseHTTPRequestHandler):
    server_version = "nanokeras-playground"

    # ------------------------------------------------------------ routing
    def do_GET(self):
        self._dispatch({
            "/": lambda: self._static("index.html"),
            "/events": self._events,
            "/api/state": self._state,
            "/api/model.keras": self._model_file,
            "/api/code.py": self._code_file,
        }, static=True)

    def do_POST(self):
        self._dispatch({
            "/api/settings": lambda: self._change(self.server.session.update_settings),
            "/api/preset": lambda: self._change(lambda body: self.server.session.apply_preset(body.get("name"))),
            "/api/control": lambda: self._change(lambda body: self.server.session.control(body.get("action"))),
            "/api/upload": self._upload,
        }, post=True)

    def _dispatch(self, routes, static=False, post=False):
        path = urllib.parse.urlsplit(self.path).path
        try:
            self._check_origin(post)
            if path in routes:
                routes[path]()
            elif static and path.startswith("/static/"):
                self._static(path[len("/static/"):])
            else:
                raise _RequestError(404, f"No such page: {path}")
        except _RequestError as error:
            self._send_json(error.status, {"error": str(error)})
        except (ValueError, TypeError) as error:  # a setting or file the playground refused
            self._send_json(400, {"error": str(error)})
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True
        except Exception as error:  # a bug: reported to the page; the server keeps serving
            self._send_json(500, {"error": f"Internal error: {type(error).__name__}: {error}"})

    def _check_origin(self, post):
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        if host not in ("127.0.0.1", "localhost"):
            raise _RequestError(403, f"The playground answers only on 127.0.0.1, not for host {host!r}.")
        origin = self.headers.get("Origin")
        if post and origin is not None:
            parts = urllib.parse.urlsplit(origin)
            if parts.hostname not in ("127.0.0.1", "localhost") or parts.port != self.server.port:
                raise _RequestError(403, f"Requests from {origin} are not accepted: open the playground's own page.")

    # -------------------------------------------------------------- GET
    def _static(self, name):
        if name not in _static_files():
            raise _RequestError(404, f"No such file: {name}")
        with open(os.path.join(STATIC_FOLDER, name), "rb") as file:
            body = file.read()
        self._send(200, body, _CONTENT_TYPES.get(os.path.splitext(name)[1], "application/octet-stream"))

    def _state(self):
        broadcaster = self.server.session.broadcaster
        state = {kind: json.loads(broadcaster.latest(kind)) for kind in ("setup", "frame")}
        self._send_json(200, state)

    def _events(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        self.close_connection = True
        subscription = self.server.session.broadcaster.subscribe()
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while True:
                messages = subscription.next_messages(timeout=KEEP_ALIVE_SECONDS)
                if messages is None:
                    return
                if not messages:
                    self.wfile.write(b": keep-alive\n\n")  # also how a closed page is noticed
                for kind, text in messages:
                    self.wfile.write(f"event: {kind}\ndata: {text}\n\n".encode("utf-8"))
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
            pass  # the page was closed or reloaded
        finally:
            subscription.close()

    def _model_file(self):
        body = self.server.session.model_file()
        self._send(200, body, "application/octet-stream",
                   {"Content-Disposition": 'attachment; filename="playground_model.keras"'})

    def _code_file(self):
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        library = query.get("library", ["nanokeras"])[0]
        code = json.loads(self.server.session.broadcaster.latest("setup"))["code"]
        if library not in code:
            raise _RequestError(400, f"`library` must be 'nanokeras' or 'keras', got {library!r}.")
        self._send(200, code[library].encode("utf-8"), "text/x-python; charset=utf-8",
                   {"Content-Disposition": 'attachment; filename="playground.py"'})

    # ------------------------------------------------------------- POST
    def _change(self, apply):
        length = self._content_length()
        if length > MAX_JSON_BYTES:
            raise _RequestError(413, f"Request too large ({length} bytes; at most {MAX_JSON_BYTES}).")
        try:
            body = json.loads(self.rfile.read(length).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise _RequestError(400, "The request body must be a JSON object.") from None
        if not isinstance(body, dict):
            raise _RequestError(400, f"The request body must be a JSON object, got {type(body).__name__}.")
        apply(body)
        self._send_json(200, {"ok": True})

    def _upload(self):
        length = self._content_length()
        if length > uploads.MAX_BYTES:
            self._drain(length)
            raise _RequestError(413, uploads.too_large_message(length))
        table = uploads.parse_csv(self.rfile.read(length))
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        self.server.session.upload(table, safe_filename(query.get("name", [""])[0]))
        self._send_json(200, {"ok": True, "rows": len(table.y)})

    def _content_length(self):
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            raise _RequestError(411, "The request needs a Content-Length header.") from None
        if length < 0:
            raise _RequestError(400, "Content-Length must not be negative.")
        return length

    def _drain(self, length):
        if length > _MAX_DRAINED_BYTES:
            self.close_connection = True
            return
        remaining = length
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 1 << 20))
            if not chunk:
                break
            remaining -= len(chunk)

    # ----------------------------------------------------------- replies
    def _send_json(self, status, value):
        self._send(status, json.dumps(value).encode("utf-8"), "application/json")

    def _send(self, status, body, content_type, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        if not self.server.quiet:
            super().log_message(format, *args)


def safe_filename(name):
    """The uploaded file's name as the code panel may print it: letters, digits, `._-` only.

    Example:
        >>> safe_filename("../my data (1).csv")
        'my_data__1_.csv'
    """
    base = re.sub(r"[^A-Za-z0-9._-]", "_", os.path.basename(name.replace("\\", "/")))[:80].lstrip(".")
    return base or "data.csv"


def _static_files():
    return set(os.listdir(STATIC_FOLDER))
