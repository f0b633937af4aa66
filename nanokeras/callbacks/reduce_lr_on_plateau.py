"""`ReduceLROnPlateau`: divide the learning rate when a monitored quantity stops improving."""

import warnings

import numpy as np

from nanokeras.ops.tensor import value_of
from nanokeras.callbacks.monitor_callback import MonitorCallback, check_non_negative_int, check_number
from nanokeras.utils.keyword_arguments import accepted_keywords, unknown_keywords_error


def _current_lr(optimizer):
    return float(np.asarray(value_of(optimizer.learning_rate)))


class ReduceLROnPlateau(MonitorCallback):
    """Multiplies the learning rate by `factor` after `patience` epochs without improvement.

    Args:
        monitor: the logged quantity to watch (default `"val_loss"`).
        factor: `new_lr = lr * factor`; must be < 1.
        patience: epochs without improvement before reducing.
        verbose: 1 prints each reduction.
        mode: `"auto"`, `"min"` or `"max"`.
        min_delta: improvements smaller than this do not count (default 1e-4).
        cooldown: epochs to wait after a reduction before counting again.
        min_lr: the learning rate never goes below this.

    Each epoch's logs also get a `learning_rate` entry.

    Example:
        >>> import nanokeras as keras
        >>> reduce_lr = keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=2)
    """

    _accepts_extra_keywords = True  # checked in __init__ (Keras's signature takes **kwargs)

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto",
                 min_delta=1e-4, cooldown=0, min_lr=0.0, **kwargs):
        if kwargs:
            raise unknown_keywords_error(ReduceLROnPlateau, kwargs, list(accepted_keywords(ReduceLROnPlateau)[0]))
        super().__init__(monitor, mode, min_delta=min_delta)
        check_number(factor, "factor", "ReduceLROnPlateau")
        if factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau does not support a factor >= 1.0. Received factor={factor}")
        self.factor = factor
        self.min_lr = check_number(min_lr, "min_lr", "ReduceLROnPlateau")
        self.patience = check_non_negative_int(patience, "patience", "ReduceLROnPlateau")
        self.cooldown = check_non_negative_int(cooldown, "cooldown", "ReduceLROnPlateau")
        self.verbose = verbose
        self.cooldown_counter = 0
        self.wait = 0

    def _reset(self):
        self.best = None
        self.cooldown_counter = 0
        self.wait = 0

    def on_train_begin(self, logs=None):
        self._reset()

    def in_cooldown(self):
        return self.cooldown_counter > 0

    def _reduce_lr(self, epoch):
        optimizer = self.model.optimizer
        old_lr = _current_lr(optimizer)
        if old_lr > np.float32(self.min_lr):
            new_lr = max(old_lr * self.factor, self.min_lr)
            optimizer.learning_rate = new_lr
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new_lr}.")
            return True
        return False

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        logs = logs if logs is not None else {}
        logs["learning_rate"] = _current_lr(self.model.optimizer)
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(
                f"Learning rate reduction is conditioned on metric `{self.monitor}` which is not "
                f"available. Available metrics are: {','.join(list(logs.keys()))}.",
                stacklevel=2,
            )
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience and self._reduce_lr(epoch):
                self.cooldown_counter = self.cooldown
                self.wait = 0
