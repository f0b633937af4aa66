"""`ELU`: the exponential linear unit as a layer."""

from nanokeras import activations
from nanokeras.layers.layer import Layer


class ELU(Layer):
    """`x` for `x >= 0`, `alpha * (exp(x) - 1)` below.

    Args:
        alpha: the scale of the negative part (1.0).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.ELU()(np.array([0.0, 2.0], dtype="float32")).tolist()
        [0.0, 2.0]
    """

    _replayable = True

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return activations.elu(inputs, alpha=self.alpha)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        # Keras builds this config automatically from the constructor: `alpha` after the name.
        config = {"name": self.name, "alpha": self.alpha}
        config.update(super().get_config())
        return config
