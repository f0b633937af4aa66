"""`EarlyStopping`: stop `fit` when a monitored quantity stops improving."""

import warnings

from nanokeras.callbacks.monitor_callback import MonitorCallback, check_non_negative_int


class EarlyStopping(MonitorCallback):
    """Stops training once `monitor` has not improved for `patience` epochs.

    Args:
        monitor: the logged quantity to watch (default `"val_loss"`).
        min_delta: changes smaller than this do not count as improvement.
        patience: epochs without improvement before stopping (0: stop at the first one).
        verbose: 1 prints when it stops and when it restores weights.
        mode: `"auto"`, `"min"` or `"max"` (see `MonitorCallback`).
        baseline: training also stops if the quantity does not beat this value
            within `patience` epochs.
        restore_best_weights: at the end of training, set the weights of the best
            epoch seen (even when training did not stop early).
        start_from_epoch: epochs to ignore before monitoring starts (warm-up).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(10)])
        >>> model.compile(keras.optimizers.SGD(), loss="mse")
        >>> stop = keras.callbacks.EarlyStopping(monitor="loss", patience=3)
        >>> history = model.fit(np.arange(100).reshape(5, 20), np.zeros(5), epochs=10,
        ...                     batch_size=1, callbacks=[stop], verbose=0)
        >>> len(history.history["loss"])
        4
    """

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False, start_from_epoch=0):
        super().__init__(monitor, mode, min_delta=min_delta)
        self.patience = check_non_negative_int(patience, "patience", "EarlyStopping")
        self.start_from_epoch = check_non_negative_int(start_from_epoch, "start_from_epoch", "EarlyStopping")
        self.verbose = verbose
        self.baseline = baseline
        self.restore_best_weights = bool(restore_best_weights)
        self.wait = 0
        self.stopped_epoch = 0
        self.best_weights = None
        self.best_epoch = 0

    def on_train_begin(self, logs=None):
        # A callback can be reused across fit() calls: start afresh each time.
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            # The direction may depend on compiled metrics, only built once fit runs.
            self._set_monitor_op()
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            # The wait restarts only when the value beats the baseline too.
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(f"Restoring model weights from the end of the best epoch: {self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)

    def get_monitor_value(self, logs):
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(
                f"Early stopping conditioned on metric `{self.monitor}` which is not available. "
                f"Available metrics are: {','.join(list(logs.keys()))}",
                stacklevel=2,
            )
        return value
