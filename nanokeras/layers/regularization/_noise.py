"""The random source of the noise layers: a per-layer stream for an int seed, else the shared one."""

from nanokeras.backend import random as backend_random


class NoiseSource:
    """Draws noise for one layer.

    With an int `seed` the layer owns a stream started from that seed, so two
    layers built with the same seed produce the same sequence of masks. With
    `seed=None` every draw comes from the session's shared generator, read at
    call time, so `keras.utils.set_random_seed` makes runs reproducible.
    """

    def __init__(self, seed):
        self._generator = None if seed is None else backend_random.make_generator(seed)

    @property
    def generator(self):
        return self._generator if self._generator is not None else backend_random.global_generator()

    def __call__(self):
        """The generator to draw from now (what the noise ops read at every draw, replays included)."""
        return self._generator if self._generator is not None else backend_random.global_generator()


def as_floats(layer, inputs):
    """`inputs` in the layer's dtype when they hold integers or bools (noise is drawn in floats;
    at inference such inputs pass unchanged), else `inputs` themselves."""
    if inputs.dtype.kind in "iub":
        from nanokeras.ops.core import cast

        return cast(inputs, layer.dtype)
    return inputs


def concrete_noise_shape(layer_name, noise_shape, input_shape):
    """`noise_shape` with None entries taken from the input; checked to broadcast."""
    if noise_shape is None:
        return tuple(input_shape)
    if len(noise_shape) != len(input_shape):
        raise ValueError(
            f"Layer {layer_name!r}: `noise_shape` {noise_shape} must have the input's rank "
            f"{len(input_shape)} (input shape {tuple(input_shape)})."
        )
    shape = tuple(i if n is None else n for n, i in zip(noise_shape, input_shape))
    for n, i in zip(shape, input_shape):
        if n != 1 and n != i:
            raise ValueError(
                f"Layer {layer_name!r}: `noise_shape` {noise_shape} does not broadcast to the input "
                f"shape {tuple(input_shape)}: each entry must be 1, None or the input's size."
            )
    return shape
