"""`Dropout`: zeroes a random fraction of the inputs while training."""

from nanokeras.layers._argument_checks import check_float_in_range, check_noise_shape, check_seed
from nanokeras.layers.layer import Layer
from nanokeras.layers.regularization._noise import NoiseSource, as_floats, concrete_noise_shape
from nanokeras.ops import noise


class Dropout(Layer):
    """Sets each input to 0 with probability `rate` during training, scaling the rest by `1/(1-rate)`.

    Only active when called with `training=True` (as `fit` does); at inference
    it returns its input unchanged. The scaling keeps the expected sum unchanged.

    Args:
        rate: the fraction of inputs to drop, in `[0, 1)`.
        noise_shape: the shape of the binary mask, broadcast over the input;
            e.g. `(batch, 1, features)` drops the same features at every time
            step. `None` entries take the input's size.
        seed: an int for a reproducible stream of masks, or None to draw from
            the shared generator (seeded by `keras.utils.set_random_seed`).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.Dropout(0.5, seed=0)
        >>> x = np.ones((2, 4), dtype="float32")
        >>> sorted(set(np.asarray(layer(x, training=True)).ravel().tolist()))
        [0.0, 2.0]
        >>> layer(x).tolist()  # inference: unchanged
        [[1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0]]
    """

    # integer and bool inputs pass unchanged, as in Keras (see Layer._passes_integer_inputs)
    _passes_integer_inputs = True

    # The mask is drawn inside a recorded op: a compiled step replays it with new masks.
    _replayable = True

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        rate = check_float_in_range("Dropout", "rate", rate, 0, 1, high_inclusive=False)
        noise_shape = check_noise_shape("Dropout", noise_shape)
        seed = check_seed("Dropout", seed)
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
        return noise.dropout(inputs, self.rate, shape, generator=self._noise)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed, "noise_shape": self.noise_shape})
        return config
