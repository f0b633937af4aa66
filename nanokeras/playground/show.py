"""Starting the playground: from a shell (`main`), with the page's own set-ups (`serve`),
or on your own model from a script or notebook (`show`)."""

import argparse
import sys
import threading
import webbrowser

import numpy as np

from nanokeras.playground.recipes import SettingsRecipe, UserModelRecipe
from nanokeras.playground.server import PlaygroundServer
from nanokeras.playground.session import Session
from nanokeras.playground.settings import SPEEDS

DEFAULT_PORT = 8765


def serve(port=0, open_browser=True, block=True, max_fps=20.0, quiet=True):
    """Starts the playground with its built-in datasets and networks.

    Args:
        port: the port on 127.0.0.1 (0: any free port).
        open_browser: open the page in the default web browser.
        block: serve until Ctrl+C (else serve in the background and return at once).
        max_fps: frames per second at most, per page.

    Returns:
        The running `PlaygroundServer` (`.url`, `.stop()`, `.session`).
    """
    server = PlaygroundServer(Session(SettingsRecipe(), max_fps=max_fps), port=port, quiet=quiet)
    return _run(server, open_browser, block)


def show(model, x, y, validation_data=None, epochs=100, batch_size=32, speed="normal", port=0,
         open_browser=True, block=None):
    """Opens the playground on your own compiled model with two input features.

    Train, Pause, Step and Reset run `model.fit(x, y, validation_data=..., epochs=..., batch_size=...)`
    while the page draws the decision boundary, the hidden units (of a Sequential or
    functional model) and the loss and metric curves. Reset puts back the weights and
    optimizer state the model had when `show` was called.

    Args:
        model: a compiled Keras model taking inputs of shape `(None, 2)`.
        x: the features, shape `(samples, 2)`; y: the labels.
        validation_data: optional `(x_val, y_val)`, drawn as the test points.
        epochs, batch_size: `fit`'s arguments (changeable in the page).
        speed: "slow", "normal" or "fast": how fast the page lets training run.
        port: the port on 127.0.0.1 (0: any free port).
        open_browser: open the page in the default web browser.
        block: serve until Ctrl+C; by default it blocks in a script and returns at once in a
            notebook or an interactive shell (the server then runs in the background).

    Returns:
        The running `PlaygroundServer` (`.url`, `.stop()`).
    """
    if getattr(model, "optimizer", None) is None or not getattr(model, "compiled", True):
        raise ValueError("show() needs a compiled model: call model.compile(optimizer=..., loss=..., "
                         "metrics=['accuracy']) first.")
    x = _features(x, "x")
    y = _labels(y, len(x), "y")
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
            raise ValueError("`validation_data` must be a tuple (x_val, y_val); got "
                             f"{type(validation_data).__name__}.")
        x_val = _features(validation_data[0], "validation_data[0]")
        validation_data = (x_val, _labels(validation_data[1], len(x_val), "validation_data[1]"))
    if speed not in SPEEDS:
        raise ValueError(f"`speed` must be one of {', '.join(SPEEDS)}; got {speed!r}.")
    recipe = UserModelRecipe(model, x, y, validation_data, epochs=epochs, batch_size=batch_size, speed=speed)
    server = PlaygroundServer(Session(recipe), port=port)
    if block is None:
        block = not _interactive()
    return _run(server, open_browser, block)


def main(argv=None):
    """The command line: `python -m nanokeras.playground [--port N] [--no-browser]`."""
    parser = argparse.ArgumentParser(
        prog="nanokeras-playground",
        description="Watch a Keras model learn, live, in your browser (served on 127.0.0.1 only).",
    )
    parser.add_argument("--port", type=int, default=None,
                        help=f"port on 127.0.0.1 (default {DEFAULT_PORT}, or a free one if it is taken)")
    parser.add_argument("--no-browser", action="store_true", help="print the address without opening a browser")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    arguments = parser.parse_args(argv)
    port = DEFAULT_PORT if arguments.port is None else arguments.port
    try:
        server = PlaygroundServer(Session(SettingsRecipe()), port=port, quiet=not arguments.verbose)
    except OSError as error:
        if arguments.port is not None:
            parser.exit(2, f"nanokeras-playground: cannot listen on 127.0.0.1:{port} ({error.strerror}); "
                           "choose another --port, or --port 0 for any free one.\n")
        server = PlaygroundServer(Session(SettingsRecipe()), port=0, quiet=not arguments.verbose)
    _run(server, open_browser=not arguments.no_browser, block=True)


def _run(server, open_browser, block):
    print(f"nanokeras playground: {server.url}" + ("   (Ctrl+C to stop)" if block else ""), flush=True)
    if open_browser:
        threading.Thread(target=webbrowser.open, args=(server.url,), daemon=True).start()
    if not block:
        return server.start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nnanokeras playground: stopped.")
    finally:
        server.session.close()
        server.server_close()
    return server


def _interactive():
    return hasattr(sys, "ps1") or bool(sys.flags.interactive) or "ipykernel" in sys.modules


def _features(x, name):
    try:
        x = np.asarray(x, dtype="float32")
    except (TypeError, ValueError):
        raise TypeError(f"`{name}` must be an array of numbers of shape (samples, 2).") from None
    if x.ndim != 2 or x.shape[1] != 2 or len(x) == 0:
        raise ValueError(f"`{name}` must have shape (samples, 2): the playground draws two features; "
                         f"got shape {x.shape}.")
    return x


def _labels(y, count, name):
    y = np.asarray(y)
    if y.dtype.kind not in "iufb":
        raise TypeError(f"`{name}` must hold numeric labels, got dtype {y.dtype}.")
    if len(y) != count:
        raise ValueError(f"`{name}` has {len(y)} labels for {count} samples: they must match.")
    return y
