"""`SwapEMAWeights`: evaluate (and predict) with the optimizer's moving averages of the weights.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile(keras.optimizers.SGD(0.1, use_ema=True), "mse")
    >>> _ = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=2, verbose=0,
    ...               callbacks=[keras.callbacks.SwapEMAWeights(swap_on_epoch=True)])
"""

import numpy as np

from nanokeras.callbacks.callback import Callback


class SwapEMAWeights(Callback):
    """Swaps the model's weights with the optimizer's exponential moving averages (`use_ema=True`)
    around each evaluation and prediction, and with `swap_on_epoch=True` around the end of each
    epoch, so that other callbacks (e.g. `ModelCheckpoint`) see the averaged weights; after the
    last epoch the averages are left in the model.

    As in Keras 3.15, a prediction leaves the averaged weights in the model (it does not swap them
    back): the next evaluation's end, or the next epoch, puts the trained weights back.

    Args:
        swap_on_epoch: also swap at the end of each epoch (and back at the next one's start).
    """

    def __init__(self, swap_on_epoch=False):
        super().__init__()
        self.swap_on_epoch = swap_on_epoch
        self._ema_weights_in_model = False

    def _ema_optimizers(self):
        optimizer = getattr(self.model.optimizer, "inner_optimizer", self.model.optimizer)
        if hasattr(optimizer, "optimizers"):
            chosen = [inner for inner in optimizer.optimizers if getattr(inner, "use_ema", False)]
            if not chosen:
                raise ValueError("SwapEMAWeights must be used when at least one inner optimizer has `use_ema=True` "
                                 "set. Received a MultiOptimizer with all inner optimizers having `use_ema=False`.")
        else:
            chosen = [optimizer]
        for inner in chosen:
            if not hasattr(inner, "_model_variables_moving_average"):
                raise ValueError("SwapEMAWeights must be used when `use_ema=True` is set on the optimizer. "
                                 f"Received: use_ema={getattr(inner, 'use_ema', None)}")
        return chosen

    def _swap_variables(self):
        for optimizer in self._ema_optimizers():
            for variable, average in zip(optimizer._trainable_variables, optimizer._model_variables_moving_average):
                trained = np.array(variable.value)
                variable.assign(average.value)
                average.assign(trained)

    def _finalize_ema_values(self):
        for optimizer in self._ema_optimizers():
            for variable, average in zip(optimizer._trainable_variables, optimizer._model_variables_moving_average):
                average.assign(variable.value)

    def on_epoch_begin(self, epoch, logs=None):
        if self.swap_on_epoch and self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_epoch_end(self, epoch, logs=None):
        if self.swap_on_epoch and not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True
            if epoch == self.params["epochs"] - 1:
                self._finalize_ema_values()

    def on_test_begin(self, logs=None):
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True

    def on_test_end(self, logs=None):
        if self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_predict_begin(self, logs=None):
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True

    def on_predict_end(self, logs=None):
        if not self._ema_weights_in_model:  # (as Keras: never true here, so no swap back)
            self._swap_variables()
            self._ema_weights_in_model = False
