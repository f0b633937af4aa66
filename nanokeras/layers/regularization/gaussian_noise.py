"""`GaussianNoise`: adds zero-centred Gaussian noise while training."""

from nanokeras.layers._argument_checks import check_float_in_range, check_seed
from nanokeras.layers.layer import Layer
from nanokeras.layers.regularization._noise import NoiseSource, as_floats
from nanokeras.ops import noise


class GaussianNoise(Layer):
    """Adds `N(0, stddev**2)` noise to the inputs when `training=True`; identity otherwise.

    Args:
        stddev: the noise's standard deviation, in `[0, 1]` (as Keras requires).
        seed: an int for a reproducible noise stream, or None for the shared generator.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.GaussianNoise(0.1, seed=1)
        >>> x = np.zeros((1000, 10), dtype="float32")
        >>> round(float(np.std(layer(x, training=True))), 1)
        0.1
    """

    # integer and bool inputs pass unchanged, as in Keras (see Layer._passes_integer_inputs)
    _passes_integer_inputs = True

    # The noise is drawn inside a recorded op: a compiled step replays it with new noise.
    _replayable = True

    def __init__(self, stddev, seed=None, **kwargs):
        stddev = check_float_in_range("GaussianNoise", "stddev", stddev, 0, 1)
        seed = check_seed("GaussianNoise", seed)
        super().__init__(**kwargs)
        self.supports_masking = True
        self.stddev = stddev
        self.seed = seed
        self._noise = NoiseSource(seed)
        self.built = True

    def call(self, inputs, training=False):
        if not training or self.stddev == 0:
            return inputs
        inputs = as_floats(self, inputs)
        return noise.gaussian_noise(inputs, self.stddev, generator=self._noise)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"stddev": self.stddev, "seed": self.seed})
        return config
