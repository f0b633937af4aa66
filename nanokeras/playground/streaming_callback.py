"""The callback that lets the page watch a real `fit` and press its buttons.

`fit` calls it after every batch and every epoch. There it obeys the controls
(pause, step, reset), runs work queued for the model, and asks for a new frame,
at most `max_fps` times a second: rendering every batch would cost more than
training. Optionally it also slows training to `epochs_per_second`, so that an
eye can follow what would otherwise be over in a blink; that changes when
things happen, never the numbers.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> from nanokeras.playground.controls import TrainingControls
    >>> frames = []
    >>> callback = StreamingCallback(TrainingControls(), publish_frame=lambda: frames.append(1), max_fps=1000)
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    >>> model.compile("sgd", "binary_crossentropy")
    >>> _ = model.fit(np.zeros((8, 2)), np.zeros(8), epochs=2, batch_size=4, verbose=0, callbacks=[callback])
    >>> callback.epochs_done, len(frames) > 0
    (2, True)
"""

import time

import nanokeras as keras


class StreamingCallback(keras.callbacks.Callback):
    """Streams frames from inside `fit` and obeys `TrainingControls`.

    Args:
        controls: the `TrainingControls` the page's buttons set.
        publish_frame: called (in the training thread) when a frame is due.
        max_fps: frames asked for per second at most.
        epochs_per_second: slow training down to at most this many epochs a second (None: full speed).
        on_epoch_end: called with `(epoch, logs)` after each epoch, before any frame.
        on_pause: called when training pauses.
    """

    def __init__(self, controls, publish_frame, max_fps=20.0, epochs_per_second=None,
                 on_epoch_end=None, on_pause=None):
        super().__init__()
        if not max_fps > 0:
            raise ValueError(f"`max_fps` must be a positive number of frames per second, got {max_fps!r}.")
        self.controls = controls
        self.publish_frame = publish_frame
        self.min_interval = 1.0 / max_fps
        self.epochs_per_second = epochs_per_second
        self._on_epoch_end = on_epoch_end
        self._on_pause = on_pause
        self.epochs_done = 0
        self.batches_done = 0
        self._last_frame = float("-inf")
        self._epoch_started = time.monotonic()

    def on_train_begin(self, logs=None):
        self.controls.wait_while_paused(self.epochs_done, on_pause=self._pause)
        self._frame()

    def on_epoch_begin(self, epoch, logs=None):
        self.epochs_done = epoch
        self.batches_done = 0
        self._epoch_started = time.monotonic()

    def on_train_batch_end(self, batch, logs=None):
        controls = self.controls
        controls.check()
        controls.run_tasks()
        self.batches_done = batch + 1
        if not controls.wait_while_paused(self.epochs_done, on_pause=self._pause):
            self._frame_if_due()

    def on_epoch_end(self, epoch, logs=None):
        self.epochs_done = epoch + 1
        self.batches_done = 0
        if self._on_epoch_end is not None:
            self._on_epoch_end(epoch, dict(logs or {}))
        if self.epochs_per_second:
            self.controls.sleep(self._epoch_started + 1.0 / self.epochs_per_second - time.monotonic())
        if self.epochs_done >= self.params.get("epochs", float("inf")):
            return  # the last epoch: training ends here, with no pause to release first
        if not self.controls.wait_while_paused(self.epochs_done, at_epoch_end=True, on_pause=self._pause):
            self._frame_if_due()

    def _pause(self):
        if self._on_pause is not None:
            self._on_pause()
        self._frame()

    def _frame_if_due(self):
        if time.monotonic() - self._last_frame >= self.min_interval:
            self._frame()

    def _frame(self):
        self._last_frame = time.monotonic()
        self.publish_frame()
