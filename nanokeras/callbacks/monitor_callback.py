"""`MonitorCallback`: the shared "is this epoch better?" logic of EarlyStopping and ReduceLROnPlateau."""

import numbers

from nanokeras.callbacks.callback import Callback

_MODES = ("auto", "min", "max")


def _less(a, b):
    return a < b


def _greater(a, b):
    return a > b


def check_non_negative_int(value, name, owner):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"{owner}: `{name}` must be a non-negative integer, got {name}={value!r}.")
    return int(value)


def check_number(value, name, owner):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{owner}: `{name}` must be a number, got {name}={value!r}.")
    return value


class MonitorCallback(Callback):
    """Watches `logs[monitor]` and decides whether a value improves on a reference.

    `mode="min"` wants lower values, `"max"` higher; `"auto"` (default) takes
    `min` for losses and the compiled metric's direction otherwise (accuracy-like
    metrics go up). Improvements smaller than `min_delta` do not count.
    """

    def __init__(self, monitor="val_loss", mode="auto", baseline=None, min_delta=0):
        super().__init__()
        owner = type(self).__name__
        if mode not in _MODES:
            # Keras warns and falls back to "auto"; a typo silently changing the direction is
            # worse than an error, so nanokeras refuses it.
            raise ValueError(f"{owner}: `mode` must be one of 'auto', 'min', 'max', got mode={mode!r}.")
        if not isinstance(monitor, str):
            raise ValueError(f"{owner}: `monitor` must be the name of a logged quantity, got {monitor!r}.")
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(check_number(min_delta, "min_delta", owner))
        self.monitor_op = None

    def _compiled_metrics(self):
        found = []
        for metric in getattr(self.model, "metrics", None) or ():
            inner = getattr(metric, "metrics", None)
            found.extend(inner if isinstance(inner, (list, tuple)) else [metric])
        return found

    def _set_monitor_op(self):
        if self.mode == "min":
            self.monitor_op = _less
        elif self.mode == "max":
            self.monitor_op = _greater
        else:
            name = self.monitor[4:] if self.monitor.startswith("val_") else self.monitor
            if name == "loss":
                self.monitor_op = _less
            for metric in self._compiled_metrics():
                direction = getattr(metric, "_direction", None)
                if getattr(metric, "name", None) == name and direction is not None:
                    self.monitor_op = _greater if direction == "up" else _less
            if self.monitor_op is None:
                raise ValueError(
                    f"{type(self).__name__} callback received monitor={self.monitor}, but Keras isn't "
                    "able to automatically determine whether that metric should be maximized or "
                    "minimized. Pass `mode='max'` in order to monitor based on the highest metric "
                    "value, or pass `mode='min'` in order to use the lowest value."
                )
        if self.monitor_op is _less:
            self.min_delta *= -1

    def _is_improvement(self, monitor_value, reference_value):
        if reference_value is None:
            return True
        return bool(self.monitor_op(monitor_value - self.min_delta, reference_value))
