"""`TerminateOnNaN`: stop training as soon as a batch loss is NaN or infinite."""

import numpy as np

from nanokeras.callbacks.callback import Callback


class TerminateOnNaN(Callback):
    """Stops `fit` when a batch's `loss` is NaN or inf.

    Args:
        raise_error: raise a `RuntimeError` at once instead of stopping gracefully
            (a graceful stop still runs every callback's `on_train_end`).

    Example:
        >>> import nanokeras as keras
        >>> callback = keras.callbacks.TerminateOnNaN()
    """

    def __init__(self, raise_error=False):
        super().__init__()
        self.raise_error = bool(raise_error)

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None:
            return
        if np.isnan(loss) or np.isinf(loss):
            if self.raise_error:
                raise RuntimeError(
                    f"NaN or Inf loss encountered at batch {batch}. Loss value: {loss}. "
                    "Terminating training immediately."
                )
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
