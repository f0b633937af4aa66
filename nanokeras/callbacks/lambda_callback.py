"""`LambdaCallback`: a callback built from plain functions."""

from nanokeras.callbacks.callback import Callback
from nanokeras.utils.keyword_arguments import unknown_keywords_error

_HOOKS = (
    "on_epoch_begin", "on_epoch_end", "on_train_begin", "on_train_end", "on_test_begin", "on_test_end",
    "on_predict_begin", "on_predict_end", "on_batch_begin", "on_batch_end", "on_train_batch_begin",
    "on_train_batch_end", "on_test_batch_begin", "on_test_batch_end", "on_predict_batch_begin",
    "on_predict_batch_end",
)


class LambdaCallback(Callback):
    """Runs the given functions at the matching hooks, with positional arguments.

    `on_epoch_begin/end(epoch, logs)`, `on_train_begin/end(logs)`,
    `on_train_batch_begin/end(batch, logs)`; any other hook by keyword
    (`on_test_end=...`).

    Example:
        >>> import nanokeras as keras
        >>> log = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: print(epoch, logs["loss"]))
    """

    _accepts_extra_keywords = True  # any hook by keyword; checked in __init__

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None, on_train_end=None,
                 on_train_batch_begin=None, on_train_batch_end=None, **kwargs):
        unknown = {k: v for k, v in kwargs.items() if k not in _HOOKS}
        if unknown:
            raise unknown_keywords_error(LambdaCallback, unknown, list(_HOOKS))
        super().__init__()
        given = dict(kwargs, on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end,
                     on_train_begin=on_train_begin, on_train_end=on_train_end,
                     on_train_batch_begin=on_train_batch_begin, on_train_batch_end=on_train_batch_end)
        for name, function in given.items():
            if function is not None and not callable(function):
                raise TypeError(f"LambdaCallback: `{name}` must be callable, got {function!r}.")
        self._batch_functions = {}
        for name, function in given.items():
            if function is None:
                continue
            if "batch" in name:
                self._batch_functions[name] = function
            else:
                setattr(self, name, function)

    # The callback list looks up batch hooks on the class (to skip unused ones), so these
    # dispatch to the functions given; they cost nothing when the list is built without them.
    def _run_batch(self, name, batch, logs):
        function = self._batch_functions.get(name)
        if function is not None:
            function(batch, logs)
            return True
        return False

    def on_batch_begin(self, batch, logs=None):
        self._run_batch("on_batch_begin", batch, logs)

    def on_batch_end(self, batch, logs=None):
        self._run_batch("on_batch_end", batch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        if not self._run_batch("on_train_batch_begin", batch, logs):
            self.on_batch_begin(batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        if not self._run_batch("on_train_batch_end", batch, logs):
            self.on_batch_end(batch, logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._run_batch("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        self._run_batch("on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._run_batch("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._run_batch("on_predict_batch_end", batch, logs)
