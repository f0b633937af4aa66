"""`AlphaDropout`: dropout that keeps the mean and variance of SELU activations."""

from nanokeras.layers._argument_checks import check_float_in_range, check_noise_shape, check_seed
from nanokeras.layers.layer import Layer
from nanokeras.layers.regularization._noise import NoiseSource, as_floats, concrete_noise_shape
from nanokeras.ops import noise


class AlphaDropout(Layer):
    """Sets dropped inputs to SELU's saturation value, then applies an affine map
    that restores the inputs' mean and variance (for self-normalizing networks).

    Only active when `training=True`.

    Args:
        rate: the drop probability, in `[0, 1)`.
        noise_shape: the shape of the mask (broadcast over the input); None
            entries take the input's size.
        seed: an int for a reproducible stream, or None for the shared generator.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> x = np.random.default_rng(0).standard_normal((4000, 50)).astype("float32")
        >>> y = np.asarray(keras.layers.AlphaDropout(0.2, seed=0)(x, training=True))
        >>> abs(float(y.mean())) < 0.05, round(float(y.std()), 1)
        (True, 1.0)
    """

    # integer and bool inputs pass unchanged, as in Keras (see Layer._passes_integer_inputs)
    _passes_integer_inputs = True

    # The mask is drawn inside a recorded op: a compiled step replays it with new masks.
    _replayable = True

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        rate = check_float_in_range("AlphaDropout", "rate", rate, 0, 1, high_inclusive=False)
        noise_shape = check_noise_shape("AlphaDropout", noise_shape)
        seed = check_seed("AlphaDropout", seed)
        super().__init__(**kwargs)
        self.supports_masking = True
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed
        self._noise = NoiseSource(seed)
        self.built = True

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        inputs = as_floats(self, inputs)
        shape = concrete_noise_shape(self.name, self.noise_shape, inputs.shape)
        return noise.alpha_dropout(inputs, self.rate, shape, generator=self._noise)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed, "noise_shape": self.noise_shape})
        return config
