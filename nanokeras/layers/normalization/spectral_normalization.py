"""`SpectralNormalization`: trains a layer as if its kernel were divided by its largest singular value.

Each training call estimates the kernel's spectral norm `sigma` by one (or more) steps
of power iteration, reusing the vector `u` kept from the previous call, and runs the
wrapped layer with `kernel / sigma`; the gradient flows through `sigma` too (the power
iteration's vectors are constants, as in Keras). This is what Keras computes inside `fit`
on its JAX backend, where the kernel variable itself keeps its raw values, so calls with
`training=False` (`predict`, `evaluate`) use the raw kernel.
"""

import numbers

import numpy as np

from nanokeras import initializers
from nanokeras.layers.core.wrapper import Wrapper
from nanokeras.layers.input_spec import InputSpec
from nanokeras.ops import numpy as ops


def _l2_normalize(x):
    """`x / ||x||`, as Keras's `ops.normalize(axis=None)`: `x * min(rsqrt(sum(x**2)), 1 / 1e-7)`."""
    inv = np.minimum(1.0 / np.sqrt(np.sum(np.square(x))), np.asarray(1e7, x.dtype)).astype(x.dtype)
    return x * inv


class SpectralNormalization(Wrapper):
    """Wraps a layer with a `kernel` (or `embeddings`) and trains it with that matrix divided by its
    spectral norm, which bounds how much the layer can stretch its input (e.g. GAN discriminators).

    Args:
        layer: the layer to wrap (e.g. `Dense`); it must have a `kernel` or `embeddings` weight.
        power_iterations: power-iteration steps per training call (1).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.SpectralNormalization(keras.layers.Dense(2, kernel_initializer="ones"))
        >>> y = layer(np.ones((1, 2), dtype="float32"), training=True)
        >>> [w.name for w in layer.weights]
        ['kernel', 'vector_u', 'bias']
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        if isinstance(power_iterations, bool) or not isinstance(power_iterations, numbers.Integral) \
                or power_iterations <= 0:
            raise ValueError(
                f"`power_iterations` should be greater than zero. Received: `power_iterations={power_iterations}`"
            )
        self.power_iterations = int(power_iterations)

    def build(self, input_shape):
        super().build(input_shape)
        self.input_spec = InputSpec(min_ndim=1, axes={-1: input_shape[-1]})
        for attribute in ("kernel", "embeddings"):
            if getattr(self.layer, attribute, None) is not None:
                self._kernel_attribute = attribute
                break
        else:
            raise ValueError(f"{type(self.layer).__name__} object has no attribute 'kernel' nor 'embeddings'")
        self.kernel = getattr(self.layer, self._kernel_attribute)
        # Keras tracks the kernel as the wrapper's own weight too: `weights` lists it first.
        self._own_weights.append(self.kernel)
        self.kernel_shape = tuple(self.kernel.shape)
        self.vector_u = self.add_weight(shape=(1, self.kernel_shape[-1]),
                                        initializer=initializers.TruncatedNormal(stddev=0.02), trainable=False,
                                        name="vector_u", dtype=self.kernel.value.dtype.name)
        self.built = True

    def call(self, inputs, training=False):
        if not training or not np.any(self.kernel.value != 0):
            return self.layer(inputs)
        kernel = self.normalized_kernel()
        # The wrapped layer computes with the normalized kernel for this call only. Set without
        # Layer.__setattr__: this is not a change of the layer's configuration.
        object.__setattr__(self.layer, self._kernel_attribute, kernel)
        try:
            return self.layer(inputs)
        finally:
            object.__setattr__(self.layer, self._kernel_attribute, self.kernel)

    def normalized_kernel(self):
        """`kernel / sigma` (differentiable), after one power-iteration step per `power_iterations`
        (which also updates `vector_u`)."""
        weights = self.kernel.value.reshape(-1, self.kernel_shape[-1])
        vector_u = self.vector_u.value
        for _ in range(self.power_iterations):
            vector_v = _l2_normalize(np.matmul(vector_u, weights.T))
            vector_u = _l2_normalize(np.matmul(vector_v, weights))
        self.vector_u.assign(vector_u)
        flat = ops.reshape(self.kernel, (-1, self.kernel_shape[-1]))
        sigma = ops.matmul(ops.matmul(vector_v, flat), vector_u.T)
        return ops.reshape(ops.divide(self.kernel, sigma), self.kernel_shape)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        config = super().get_config()
        config["power_iterations"] = self.power_iterations
        return config
