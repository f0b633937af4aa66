"""`Activation`: applies an activation function to its input."""

from nanokeras import activations
from nanokeras.layers.layer import Layer, _is_builtin_function


class Activation(Layer):
    """Applies `activation` elementwise (or along the last axis for softmax).

    Args:
        activation: a name such as `"sigmoid"`, or a function such as
            `keras.activations.sigmoid`.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.Activation("relu")(np.array([[-1.0, 2.0]], dtype="float32"))
        array([[0., 2.]], dtype=float32)
    """

    # integer and bool inputs pass unchanged, as in Keras (see Layer._passes_integer_inputs)
    _passes_integer_inputs = True

    _replayable = True

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.activation = activations.get(activation)
        self.built = True

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def _replay_blocker(self):
        if not _is_builtin_function(self.activation):
            return f"its activation {getattr(self.activation, '__name__', self.activation)!r} is a function of the user's"
        return None

    def get_config(self):
        config = super().get_config()
        config["activation"] = activations.serialize(self.activation)
        return config
