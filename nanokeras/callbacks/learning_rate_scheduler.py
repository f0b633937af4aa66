"""`LearningRateScheduler`: set the learning rate at the start of each epoch from `schedule(epoch, lr)`."""

import numpy as np

from nanokeras.ops.tensor import value_of
from nanokeras.callbacks.callback import Callback


class LearningRateScheduler(Callback):
    """Calls `schedule(epoch, lr)` at each epoch start and sets the optimizer's learning rate.

    `epoch` counts from 0 and `lr` is the current rate as a float; a schedule
    taking only `epoch` works too. Each epoch's logs get a `learning_rate` entry.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> def schedule(epoch, lr):
        ...     return lr if epoch < 10 else lr * float(np.exp(-0.1))
        >>> model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(10)])
        >>> model.compile(keras.optimizers.SGD(), loss="mse")
        >>> _ = model.fit(np.ones((5, 20)), np.zeros((5, 10)), epochs=15, verbose=0,
        ...               callbacks=[keras.callbacks.LearningRateScheduler(schedule)])
        >>> round(float(model.optimizer.learning_rate), 5)
        0.00607
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        if not callable(schedule):
            raise ValueError(
                f"LearningRateScheduler: `schedule` must be a function (epoch, lr) -> float, got {schedule!r}."
            )
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = self.model.optimizer
        if not hasattr(optimizer, "learning_rate"):
            raise ValueError('Optimizer must have a "learning_rate" attribute.')
        try:
            learning_rate = self.schedule(epoch, float(np.asarray(value_of(optimizer.learning_rate))))
        except TypeError:  # a Keras-2 style schedule(epoch)
            learning_rate = self.schedule(epoch)
        if isinstance(learning_rate, np.ndarray) and learning_rate.ndim == 0 and learning_rate.dtype.kind == "f":
            learning_rate = learning_rate[()]
        if not isinstance(learning_rate, (float, np.float32, np.float64)):
            raise ValueError(f"The output of the `schedule` function should be a float. Got: {learning_rate}")
        optimizer.learning_rate = learning_rate
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {learning_rate}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = float(np.asarray(value_of(self.model.optimizer.learning_rate)))
