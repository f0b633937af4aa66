"""One playground: a model, its data, the thread that trains it, and the pages watching.

The page's requests (change a setting, press a button, download) arrive here from
the server's threads; `fit` runs in a thread of its own. While that thread lives,
only it touches the model (other work is queued to it, see `TrainingControls`):
a model is not something two threads should run at once.

Example:
    >>> import json
    >>> session = Session(SettingsRecipe())
    >>> json.loads(session.broadcaster.latest("frame"))["status"]
    'ready'
    >>> session.control("step")  # one epoch, then pause
    >>> session.wait_until(lambda frame: frame["status"] == "paused", timeout=30)["epoch"]
    1
    >>> session.close()
"""

import base64
import json
import threading
import time

import numpy as np

from nanokeras.playground.broadcaster import Broadcaster
from nanokeras.playground.controls import TrainingCancelled, TrainingControls
from nanokeras.playground.pictures import ModelView
from nanokeras.playground.recipes import SettingsRecipe, extent_of, points_of, save_to_bytes
from nanokeras.playground.settings import PRESETS
from nanokeras.playground.streaming_callback import StreamingCallback
from nanokeras.utils.lookup import lookup

ACTIONS = ("train", "pause", "step", "reset")
MAX_CURVE_POINTS = 500  # the curves are drawn from at most this many epochs (the latest always included)


class Session:
    """The state behind the page.

    Args:
        recipe: where the model and data come from (`SettingsRecipe()` or a `UserModelRecipe`).
        max_fps: frames per second at most, per page.
        boundary_size, unit_size: pixels per side of the boundary and of each hidden unit's picture.
    """

    def __init__(self, recipe=None, max_fps=20.0, boundary_size=64, unit_size=24):
        self.recipe = recipe or SettingsRecipe()
        self.max_fps = max_fps
        self.broadcaster = Broadcaster(max_fps)
        self._sizes = (boundary_size, unit_size)
        self._control_lock = threading.Lock()  # one button or setting change at a time
        self._lock = threading.RLock()  # the state below; the training thread takes it too
        self._generation = 0
        self._worker = None
        self._controls = None
        self._callback = None
        with self._control_lock, self._lock:
            self._fresh()

    # ------------------------------------------------------------ requests
    def control(self, action):
        """Presses a button: `"train"`, `"pause"`, `"step"` (one epoch) or `"reset"`."""
        action = lookup(action, {a: a for a in ACTIONS}, kind="action", argument="action")
        with self._control_lock:
            if action == "reset":
                self._stop_worker()
                with self._lock:
                    self._fresh()
                return
            if self.status in ("done", "error") and action in ("train", "step"):
                self._stop_worker()
                with self._lock:
                    self._fresh()
            with self._lock:
                if action == "pause":
                    if self.status == "training":
                        self._controls.request_pause()
                elif self.status == "ready":
                    self._start(step=action == "step")
                elif action == "train":
                    if self.status == "paused" or self._controls.pause_due(self.epochs_done):
                        self._controls.resume()
                        self._set_status("training")
                elif action == "step":
                    self._controls.request_step(self.epochs_done)
                    self._set_status("training")

    def update_settings(self, changes):
        """Applies setting changes from the page (all checked first); a new set-up starts afresh,
        except a change of speed alone, which applies to the running training."""
        with self._control_lock:
            recipe = self.recipe.updated(changes)
            if set(changes) <= {"speed"}:
                with self._lock:
                    self.recipe = recipe
                    if self._callback is not None:
                        self._callback.epochs_per_second = recipe.epochs_per_second
                    self._publish_setup()
                return
            self._replace_recipe(recipe)

    def apply_preset(self, name):
        _, _, changes = lookup(name, PRESETS, kind="preset", argument="preset")
        self.update_settings(dict(changes))

    def upload(self, table, filename):
        """Trains on an uploaded file's `table` (see `uploads.parse_csv`) from now on."""
        with self._control_lock:
            if not hasattr(self.recipe, "with_upload"):
                raise ValueError("This playground shows the model and data given to show(); it takes no uploads.")
            self._replace_recipe(self.recipe.with_upload(table, filename))

    def model_file(self):
        """The current model as the bytes of a `.keras` file (saved between two training steps)."""
        return self._with_model(lambda model: save_to_bytes(model))

    def close(self):
        """Stops training and ends every page's stream."""
        with self._control_lock:
            self._stop_worker()
        self.broadcaster.close()

    def wait_until(self, condition, timeout):
        """Waits until the latest frame (as a dict) satisfies `condition`; returns it."""
        deadline = time.monotonic() + timeout
        while True:
            frame = json.loads(self.broadcaster.latest("frame"))
            if condition(frame):
                return frame
            if time.monotonic() > deadline:
                raise TimeoutError(f"No frame satisfied the condition within {timeout} s; last: {frame['status']}.")
            time.sleep(0.01)

    # --------------------------------------------------------------- state
    def _replace_recipe(self, recipe):
        self._stop_worker()
        with self._lock:
            previous = self.recipe
            self.recipe = recipe
            try:
                self._fresh()
            except Exception:
                self.recipe = previous  # a set-up that cannot be built leaves the old one in place
                self._fresh()
                raise

    def _fresh(self):
        """A new model and data from the recipe, untrained; tells the pages."""
        model, data = self.recipe.fresh()
        self._generation += 1
        self.model, self.data = model, data
        self.extent = extent_of(data)
        self.view = ModelView(model, self.extent, *self._sizes)
        self.history = {}
        self.epochs_done = self.batches_done = 0
        self.status, self.message = "ready", None
        self._pictures = _render_pictures(self.view)
        self._publish_setup()
        self._publish_frame()

    def _start(self, step):
        controls = TrainingControls()
        if step:
            controls.request_step(0)
        generation, view = self._generation, self.view
        callback = StreamingCallback(
            controls, publish_frame=lambda: self._frame_from_training(generation, view, callback),
            max_fps=self.max_fps, epochs_per_second=self.recipe.epochs_per_second,
            on_epoch_end=lambda epoch, logs: self._record_epoch(generation, epoch, logs),
            on_pause=lambda: self._paused(generation),
        )
        arguments = self.recipe.fit_arguments(self.data)
        worker = threading.Thread(target=self._train, args=(generation, self.model, arguments, controls, callback),
                                  name="nanokeras-playground-fit", daemon=True)
        self._worker, self._controls, self._callback = worker, controls, callback
        self._set_status("training")
        worker.start()

    def _train(self, generation, model, arguments, controls, callback):
        outcome, message = "done", None
        try:
            model.fit(verbose=0, callbacks=[callback], **arguments)
        except TrainingCancelled:
            outcome = None
        except Exception as error:  # shown on the page, which stays usable (Reset)
            outcome, message = "error", f"{type(error).__name__}: {error}"
        with self._lock:
            if generation == self._generation and outcome is not None:
                self.batches_done = 0
                self._pictures = _render_pictures(self.view)
                self.status, self.message = outcome, message
                self._publish_frame()
            if self._worker is threading.current_thread():
                self._worker = None
            # Tasks queued before the line above ran; none can be queued after it.
            controls.run_tasks()

    def _stop_worker(self):
        """Cancels training and waits for its thread (call with `_control_lock`, without `_lock`)."""
        with self._lock:
            worker, controls = self._worker, self._controls
            self._generation += 1  # whatever the old thread still reports is ignored
        if worker is not None:
            controls.cancel()
            worker.join(timeout=30)

    def _with_model(self, function):
        with self._lock:
            if self._worker is None:
                return function(self.model)
            task = self._controls.submit(lambda model=self.model: function(model))
        return task.result(timeout=60)

    # ------------------------------------------- called by the training thread
    def _record_epoch(self, generation, epoch, logs):
        with self._lock:
            if generation != self._generation:
                return
            for name, value in logs.items():
                self.history.setdefault(name, []).append(float(value))
            self.epochs_done = epoch + 1

    def _frame_from_training(self, generation, view, callback):
        pictures = _render_pictures(view)
        with self._lock:
            if generation != self._generation:
                return
            self.batches_done = callback.batches_done
            self._pictures = pictures
            self._publish_frame()

    def _paused(self, generation):
        with self._lock:
            if generation == self._generation:
                self.status = "paused"

    # ------------------------------------------------------------ messages
    def _set_status(self, status):
        self.status = status
        self._publish_frame()

    def _publish_setup(self):
        description = self.recipe.describe()
        description.update(
            generation=self._generation, mode=self.recipe.mode, extent=self.extent,
            points=points_of(self.data), classes=self.recipe.class_names(),
            layers=[{"name": layer.name, "units": int(layer.output.shape[-1])} for layer in self.view.hidden_layers],
            boundary_size=self.view.size, unit_size=self.view.unit_size, max_fps=self.max_fps,
        )
        self.broadcaster.publish("setup", json.dumps(description))

    def _publish_frame(self):
        epochs, curves = _curves(self.history)
        latest = {name: _finite(values[-1]) for name, values in self.history.items() if values}
        frame = dict(
            generation=self._generation, status=self.status, message=self.message,
            epoch=self.epochs_done, epochs=self.recipe.settings.epochs, batch=self.batches_done,
            curve_epochs=epochs, curves=curves, latest=latest, **self._pictures,
        )
        self.broadcaster.publish("frame", json.dumps(frame))


def _render_pictures(view):
    """The boundary (predicted class and its probability per pixel) and each unit's picture, as bytes."""
    probabilities = view.probabilities()
    return {
        "predicted": _bytes(probabilities.argmax(axis=-1)),
        "confidence": _bytes(np.round(np.nan_to_num(probabilities.max(axis=-1)) * 255)),
        "units": [_unit_pictures(layer) for layer in view.hidden_maps()],
        "weights": [np.round(np.nan_to_num(kernel), 4).tolist() for kernel in view.connection_weights()],
    }


def _finite(value):
    """JSON has no NaN or infinity (a diverging model has them): they become null."""
    return round(value, 5) if np.isfinite(value) else None


def _bytes(values):
    return base64.b64encode(np.asarray(values, dtype=np.uint8).tobytes()).decode("ascii")


def _unit_pictures(layer):
    """Each unit's `(size, size)` activations, scaled into [-1, 1] by their largest magnitude (the shape
    is what shows), as bytes: 0 is -1, 127.5 is 0, 255 is 1."""
    layer = np.nan_to_num(layer, nan=0.0, posinf=0.0, neginf=0.0)
    largest = np.abs(layer).reshape(len(layer), -1).max(axis=1)
    scaled = layer / np.where(largest > 0, largest, 1.0)[:, None, None]
    return [_bytes(unit) for unit in np.round(scaled * 127.5 + 127.5)]


def _curves(history):
    """The epochs (1-based) and values to draw: every epoch, or an even sample with the last one."""
    count = len(next(iter(history.values()))) if history else 0
    if count <= MAX_CURVE_POINTS:
        chosen = list(range(count))
    else:
        chosen = sorted(set(np.linspace(0, count - 1, MAX_CURVE_POINTS).round().astype(int).tolist()))
    curves = {name: [_finite(values[i]) for i in chosen if i < len(values)] for name, values in history.items()}
    return [i + 1 for i in chosen], curves
