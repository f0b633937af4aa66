"""`History`: records each epoch's logs; `fit` returns it."""

from nanokeras.callbacks.callback import Callback


class History(Callback):
    """Collects `loss`, metrics and `val_*` values per epoch in `self.history`.

    Example:
        >>> # hist = model.fit(x, y, epochs=3); hist.history["loss"] -> three floats
    """

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        self.model.history = self
