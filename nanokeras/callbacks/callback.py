"""`Callback`: hooks into `fit`, `evaluate` and `predict` (epoch and batch boundaries)."""

from nanokeras.utils.keyword_arguments import check_keyword_arguments


class Callback:
    """Base class for callbacks. Override the hooks you need.

    `self.model` is the model being trained and `self.params` holds `verbose`,
    `epochs` and `steps`. Set `self.model.stop_training = True` to stop `fit`.

    Example:
        >>> import nanokeras as keras
        >>> class PrintLoss(keras.callbacks.Callback):
        ...     def on_epoch_end(self, epoch, logs=None):
        ...         print(epoch, round(logs["loss"], 2))
    """

    def __new__(cls, *args, **kwargs):
        # Before `__init__`: a misspelt argument gets "did you mean ...?", not Python's TypeError.
        check_keyword_arguments(cls, kwargs)
        return super().__new__(cls)

    def __init__(self):
        self.params = {}
        self.model = None

    def set_params(self, params):
        self.params = params

    def set_model(self, model):
        self.model = model

    def on_batch_begin(self, batch, logs=None):
        """Keras-2 name of `on_train_batch_begin`."""

    def on_batch_end(self, batch, logs=None):
        """Keras-2 name of `on_train_batch_end`."""

    def on_epoch_begin(self, epoch, logs=None):
        pass

    def on_epoch_end(self, epoch, logs=None):
        pass

    def on_train_batch_begin(self, batch, logs=None):
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        pass

    def on_test_batch_end(self, batch, logs=None):
        pass

    def on_predict_batch_begin(self, batch, logs=None):
        pass

    def on_predict_batch_end(self, batch, logs=None):
        pass

    def on_train_begin(self, logs=None):
        pass

    def on_train_end(self, logs=None):
        pass

    def on_test_begin(self, logs=None):
        pass

    def on_test_end(self, logs=None):
        pass

    def on_predict_begin(self, logs=None):
        pass

    def on_predict_end(self, logs=None):
        pass
