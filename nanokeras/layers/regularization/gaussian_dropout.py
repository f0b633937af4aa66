"""`GaussianDropout`: multiplies the inputs by 1-centred Gaussian noise while training."""

from nanokeras.layers._argument_checks import check_float_in_range, check_seed
from nanokeras.layers.layer import Layer
from nanokeras.layers.regularization._noise import NoiseSource, as_floats
from nanokeras.ops import noise


class GaussianDropout(Layer):
    """Multiplies the inputs by `N(1, rate / (1 - rate))` noise when `training=True`.

    Args:
        rate: the drop probability it mimics, in `[0, 1)`; the noise's standard
            deviation is `sqrt(rate / (1 - rate))`.
        seed: an int for a reproducible noise stream, or None for the shared generator.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.GaussianDropout(0.5, seed=3)
        >>> x = np.ones((2000, 10), dtype="float32")
        >>> round(float(np.mean(layer(x, training=True))), 1)
        1.0
    """

    # integer and bool inputs pass unchanged, as in Keras (see Layer._passes_integer_inputs)
    _passes_integer_inputs = True

    # The noise is drawn inside a recorded op: a compiled step replays it with new noise.
    _replayable = True

    def __init__(self, rate, seed=None, **kwargs):
        rate = check_float_in_range("GaussianDropout", "rate", rate, 0, 1, high_inclusive=False)
        seed = check_seed("GaussianDropout", seed)
        super().__init__(**kwargs)
        self.supports_masking = True
        self.rate = rate
        self.seed = seed
        self._noise = NoiseSource(seed)
        self.built = True

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        inputs = as_floats(self, inputs)
        return noise.gaussian_dropout(inputs, self.rate, generator=self._noise)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed})
        return config
