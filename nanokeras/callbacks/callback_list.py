"""`CallbackList`: calls every callback's hook, skipping those that do nothing.

Batch hooks run every step, so the list remembers which callbacks actually
override them: with only `History` and the progress bar, a step costs no hook calls
but the progress bar's.
"""

from nanokeras.callbacks.callback import Callback
from nanokeras.callbacks.history import History
from nanokeras.callbacks.progbar_logger import ProgbarLogger

_BATCH_HOOKS = (
    "on_train_batch_begin", "on_train_batch_end", "on_test_batch_begin",
    "on_test_batch_end", "on_predict_batch_begin", "on_predict_batch_end",
)


def _overrides(callback, hook):
    method = getattr(type(callback), hook, None)
    if method is getattr(Callback, hook):
        # The Keras-2 aliases count too: on_train_batch_* forward to on_batch_*.
        alias = {"on_train_batch_begin": "on_batch_begin", "on_train_batch_end": "on_batch_end"}.get(hook)
        return alias is not None and getattr(type(callback), alias) is not getattr(Callback, alias)
    return True


def _handed_over(logs):
    """The logs as Keras hands them to callbacks: a fresh dict, keys sorted, nested dicts flattened.

    One such dict goes through all of a hook's callbacks in order: a key one adds (as
    `ReduceLROnPlateau` adds `learning_rate`) is seen by the later ones, History and the progress
    bar included, but not the trainer's own dict, which `on_train_end` gets a copy of."""
    if logs is None:
        return {}
    result = {}
    for key in sorted(logs, key=str):
        value = logs[key]
        if isinstance(value, dict):
            result.update(_handed_over(value))
        else:
            result[key] = value
    return result


class CallbackList(Callback):
    """A container that forwards each hook to its callbacks, in order."""

    _accepts_extra_keywords = True  # **params: the `params` its callbacks see

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None, **params):
        super().__init__()
        if isinstance(callbacks, Callback):
            # `fit(..., callbacks=EarlyStopping())`: one callback without a list, which Keras accepts.
            callbacks = [callbacks]
        callbacks = list(callbacks or [])
        for callback in callbacks:
            if not isinstance(callback, Callback):
                raise TypeError(
                    f"`callbacks` must be a list of keras.callbacks.Callback instances, got {callback!r} "
                    f"of type {type(callback).__name__}."
                )
        # As Keras: History, then the progress bar, after the user's callbacks (unless the user gave
        # one). Each hook hands one logs dict through the list in order, so the bar's epoch line shows
        # what earlier callbacks added (`learning_rate`) and prints after their messages.
        if add_history and not any(isinstance(c, History) for c in callbacks):
            callbacks.append(History())
        if add_progbar and not any(isinstance(c, ProgbarLogger) for c in callbacks):
            callbacks.append(ProgbarLogger())
        self.callbacks = callbacks
        self._hooked = {hook: [c for c in callbacks if _overrides(c, hook)] for hook in _BATCH_HOOKS}
        if model is not None:
            self.set_model(model)
        if params:
            self.set_params(params)

    @property
    def history(self):
        # The last one, as Keras's CallbackList keeps the last History it finds.
        return next((c for c in reversed(self.callbacks) if isinstance(c, History)), None)

    def hook_if_used(self, hook):
        """The bound batch hook `hook` when some callback implements it, else None."""
        return getattr(self, hook) if self._hooked[hook] else None

    def only_progress_bar_uses(self, hook):
        """True when no callback but the progress bar implements batch hook `hook`."""
        return all(type(c) is ProgbarLogger for c in self._hooked[hook])

    def batch_end(self, hook, batch, logs):
        """Calls `hook` (an `on_*_batch_end`) with `logs`, a dict or a function returning one.

        Given a function, the logs are built only if a callback will read them: always
        for a callback of the user's, for the progress bar only when it redraws.
        """
        if not callable(logs):
            self._call_batch(hook, batch, logs)
            return
        built = None
        for c in self._hooked[hook]:
            if type(c) is ProgbarLogger and not c.wants_logs(batch):
                getattr(c, hook)(batch, logs=None)
                continue
            if built is None:
                built = logs()
            getattr(c, hook)(batch, logs=built)

    def set_params(self, params):
        super().set_params(params)
        for c in self.callbacks:
            c.set_params(params)

    def set_model(self, model):
        super().set_model(model)
        for c in self.callbacks:
            c.set_model(model)

    def _call(self, hook, *args):
        # Keras hands callbacks a dict, `{}` when there is nothing to report yet.
        args = args[:-1] + (_handed_over(args[-1]),)
        for c in self.callbacks:
            getattr(c, hook)(*args)

    def _call_batch(self, hook, batch, logs):
        logs = _handed_over(logs)
        for c in self._hooked[hook]:
            getattr(c, hook)(batch, logs=logs)  # by keyword, as Keras calls batch hooks

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._call_batch("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._call_batch("on_train_batch_end", batch, logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._call_batch("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        self._call_batch("on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._call_batch("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._call_batch("on_predict_batch_end", batch, logs)

    def on_train_begin(self, logs=None):
        self._call("on_train_begin", logs)

    def on_train_end(self, logs=None):
        self._call("on_train_end", logs)

    def on_test_begin(self, logs=None):
        self._call("on_test_begin", logs)

    def on_test_end(self, logs=None):
        self._call("on_test_end", logs)

    def on_predict_begin(self, logs=None):
        self._call("on_predict_begin", logs)

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", logs)
