"""`ProgbarLogger`: prints `Epoch i/n` and the progress bar during `fit`, `evaluate`, `predict`."""

from nanokeras.callbacks.callback import Callback
from nanokeras.utils import io_utils
from nanokeras.utils.progbar import Progbar


class ProgbarLogger(Callback):
    """Prints the progress bar with the running metric values.

    `fit` adds one automatically when `verbose` is not 0; validation inside `fit`
    is silent.
    """

    def __init__(self):
        super().__init__()
        self.progbar = None
        self.target = None
        self.verbose = 1
        self.epochs = 1
        self.seen = 0
        self._inside_fit = False

    def set_params(self, params):
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else verbose
        self.epochs = params.get("epochs", 1)
        self.target = params.get("steps")

    def _new_bar(self):
        self.seen = 0
        # Logs hold running epoch averages already: the bar shows them as they are.
        self.progbar = Progbar(target=self.target, verbose=self.verbose, stateless_metrics=(), unit_name="step")

    def on_train_begin(self, logs=None):
        self._inside_fit = True

    def on_train_end(self, logs=None):
        self._inside_fit = False

    def on_epoch_begin(self, epoch, logs=None):
        self._new_bar()
        if self.verbose and self.epochs > 1:
            io_utils.print_msg(f"Epoch {epoch + 1}/{self.epochs}")

    def on_train_batch_end(self, batch, logs=None):
        self._update(batch, logs)

    def on_test_begin(self, logs=None):
        if not self._inside_fit:
            self._new_bar()

    def on_test_batch_end(self, batch, logs=None):
        if not self._inside_fit:
            self._update(batch, logs)

    def on_test_end(self, logs=None):
        if not self._inside_fit:
            self._finalize(logs)

    def on_predict_begin(self, logs=None):
        self._new_bar()

    def on_predict_batch_end(self, batch, logs=None):
        self._update(batch, None)

    def on_predict_end(self, logs=None):
        self._finalize(None)

    def on_epoch_end(self, epoch, logs=None):
        self._finalize(logs)

    def wants_logs(self, batch):
        """True when the bar will draw the values at the end of `batch` (logs cost a step's
        metrics to build: `fit` builds them only for a redraw)."""
        return self.verbose == 1 and self.progbar is not None and self.progbar.wants_update(batch + 1)

    def _update(self, batch, logs):
        self.seen = batch + 1
        if self.verbose == 1:
            bar = self.progbar
            values = logs if (logs and bar.wants_update(self.seen)) else None
            bar.update(self.seen, values, finalize=False)

    def _finalize(self, logs):
        if self.target is None:
            self.target = self.seen
            self.progbar.target = self.seen
        self.progbar.update(self.target, logs or None, finalize=True)
