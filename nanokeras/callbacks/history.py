"""`History`: records each epoch's logs; `fit` returns it."""

from nanokeras.callbacks.callback import Callback
from nanokeras.utils import keras2_notes


class HistoryDict(dict):
    """A plain dict of per-epoch values that also answers Keras 2's `'lr'` key.

    tf.keras 2 logged the learning rate of `ReduceLROnPlateau` / `LearningRateScheduler` as
    `lr`, so tutorials plot `history.history['lr']`; Keras 3 logs `learning_rate`. Reading
    `'lr'` (or `'val_lr'`) gives those values with a Keras 2 note; nothing else changes
    (`'lr' in history`, `keys()` and `get` see only what was logged).
    """

    def __missing__(self, key):
        renamed = {"lr": "learning_rate", "val_lr": "val_learning_rate"}.get(key)
        if renamed is None or renamed not in self:
            raise KeyError(key)
        keras2_notes.note("history_lr", used=f"`history.history[{key!r}]`", instead=f"`history.history[{renamed!r}]`")
        return self[renamed]


class History(Callback):
    """Collects `loss`, metrics and `val_*` values per epoch in `self.history`.

    Example:
        >>> # hist = model.fit(x, y, epochs=3); hist.history["loss"] -> three floats
    """

    def __init__(self):
        super().__init__()
        self.history = HistoryDict()
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        self.model.history = self
