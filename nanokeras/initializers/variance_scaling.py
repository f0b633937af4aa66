"""`VarianceScaling` and its named presets (Glorot, He, Lecun), plus `compute_fans`.

The variance of the weights is `scale / n`, where `n` is the fan-in, the fan-out,
or their average, so activations keep a stable scale from layer to layer.

Example:
    >>> import nanokeras as keras
    >>> keras.initializers.compute_fans((3, 3, 16, 32))  # a 3x3 conv kernel
    (144, 288)
"""

import math
import numbers

from nanokeras.initializers.initializer import standardize_float_dtype, standardize_shape
from nanokeras.initializers.random_initializers import (
    RandomInitializer,
    sample_normal,
    sample_truncated_normal,
    sample_uniform,
)

# Standard deviation of a unit normal truncated to [-2, 2]; dividing by it makes
# the truncated draws have exactly the requested variance.
TRUNCATED_STDDEV_FACTOR = 0.87962566103423978

_MODES = ("fan_in", "fan_out", "fan_avg")
_DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")


def compute_fans(shape, input_axes=None, output_axes=None):
    """`(fan_in, fan_out)` for a weight shape.

    Rank 0 gives (1, 1); rank 1 gives (n, n); rank 2 gives (rows, cols); higher
    ranks (conv kernels `(*spatial, in, out)`) multiply both by the receptive
    field size `prod(shape[:-2])`. With both `input_axes` and `output_axes`, the
    fans are the products of the dimensions on those axes.

    Example:
        >>> from nanokeras.initializers import compute_fans
        >>> compute_fans((4, 5))
        (4, 5)
    """
    shape = tuple(shape)
    if input_axes is not None and output_axes is not None:
        fan_in = 1
        for axis in input_axes:
            fan_in *= shape[axis]
        fan_out = 1
        for axis in output_axes:
            fan_out *= shape[axis]
        return int(fan_in), int(fan_out)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return int(shape[0]), int(shape[0])
    if len(shape) == 2:
        return int(shape[0]), int(shape[1])
    receptive_field = 1
    for dim in shape[:-2]:
        receptive_field *= dim
    return int(shape[-2] * receptive_field), int(shape[-1] * receptive_field)


class VarianceScaling(RandomInitializer):
    """Random weights whose variance is `scale / n`.

    `n` is fan_in, fan_out, or (fan_in + fan_out) / 2 depending on `mode`.
    `distribution="truncated_normal"` (alias `"normal"`) draws within 2 standard
    deviations with the standard deviation corrected so the variance is exact;
    `"untruncated_normal"` uses stddev `sqrt(scale / n)`; `"uniform"` draws
    from `[-limit, limit)` with `limit = sqrt(3 * scale / n)`.

    Args:
        scale: positive scaling factor.
        mode: `"fan_in"`, `"fan_out"` or `"fan_avg"`.
        distribution: `"truncated_normal"`, `"untruncated_normal"` or `"uniform"`.
        seed: int for a fixed stream, None to take one from the global seed.
        input_axes, output_axes: optional axes that define the fans.

    Example:
        >>> import nanokeras as keras
        >>> init = keras.initializers.VarianceScaling(2.0, "fan_in", "uniform", seed=0)
        >>> bool(abs(init((6, 10))).max() <= 1.0)
        True
    """

    def __init__(
        self,
        scale=1.0,
        mode="fan_in",
        distribution="truncated_normal",
        seed=None,
        input_axes=None,
        output_axes=None,
    ):
        name = type(self).__name__
        if isinstance(scale, bool) or not isinstance(scale, numbers.Real) or not scale > 0:
            raise ValueError(f"{name} `scale` must be a positive number, got scale={scale!r}.")
        if mode not in _MODES:
            raise ValueError(
                f"{name} `mode` must be one of {list(_MODES)}, got mode={mode!r}."
            )
        if not isinstance(distribution, str):
            raise ValueError(
                f"{name} `distribution` must be one of {list(_DISTRIBUTIONS)}, "
                f"got distribution={distribution!r}."
            )
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in _DISTRIBUTIONS:
            raise ValueError(
                f"{name} `distribution` must be one of {list(_DISTRIBUTIONS)} (or 'normal', "
                f"an alias of 'truncated_normal'), got distribution={distribution!r}."
            )
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.input_axes = input_axes
        self.output_axes = output_axes
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        shape = standardize_shape(shape)
        dtype = standardize_float_dtype(dtype, type(self).__name__)
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        if self.mode == "fan_in":
            n = max(1.0, fan_in)
        elif self.mode == "fan_out":
            n = max(1.0, fan_out)
        else:
            n = max(1.0, (fan_in + fan_out) / 2.0)
        variance = self.scale / n
        generator = self._generator()
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(variance) / TRUNCATED_STDDEV_FACTOR
            return sample_truncated_normal(generator, shape, 0.0, stddev, dtype)
        if self.distribution == "untruncated_normal":
            return sample_normal(generator, shape, 0.0, math.sqrt(variance), dtype)
        limit = math.sqrt(3.0 * variance)
        return sample_uniform(generator, shape, -limit, limit, dtype)

    def get_config(self):
        return {
            "seed": self._init_seed,
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


class _Preset(VarianceScaling):
    """A VarianceScaling whose scale, mode and distribution are fixed by the subclass."""

    _SCALE = 1.0
    _MODE = "fan_in"
    _DISTRIBUTION = "truncated_normal"

    def __init__(self, seed=None, input_axes=None, output_axes=None):
        super().__init__(
            scale=self._SCALE,
            mode=self._MODE,
            distribution=self._DISTRIBUTION,
            seed=seed,
            input_axes=input_axes,
            output_axes=output_axes,
        )

    def get_config(self):
        return {
            "seed": self._init_seed,
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


class GlorotUniform(_Preset):
    """Uniform in `[-limit, limit)`, `limit = sqrt(6 / (fan_in + fan_out))` (Xavier uniform).

    Keras's default kernel initializer.

    Example:
        >>> import nanokeras as keras
        >>> w = keras.initializers.GlorotUniform(seed=0)((2, 4))
        >>> bool(abs(w).max() <= 1.0)
        True
    """

    _MODE = "fan_avg"
    _DISTRIBUTION = "uniform"


class GlorotNormal(_Preset):
    """Truncated normal with stddev `sqrt(2 / (fan_in + fan_out))` (Xavier normal).

    Example:
        >>> import nanokeras as keras
        >>> keras.initializers.GlorotNormal(seed=0)((3, 3)).dtype.name
        'float32'
    """

    _MODE = "fan_avg"
    _DISTRIBUTION = "truncated_normal"


class HeNormal(_Preset):
    """Truncated normal with stddev `sqrt(2 / fan_in)`; suits ReLU layers.

    Example:
        >>> import nanokeras as keras
        >>> keras.initializers.HeNormal(seed=0)((4, 2)).shape
        (4, 2)
    """

    _SCALE = 2.0
    _MODE = "fan_in"
    _DISTRIBUTION = "truncated_normal"


class HeUniform(_Preset):
    """Uniform in `[-limit, limit)`, `limit = sqrt(6 / fan_in)`.

    Example:
        >>> import nanokeras as keras
        >>> bool(abs(keras.initializers.HeUniform(seed=0)((6, 2))).max() <= 1.0)
        True
    """

    _SCALE = 2.0
    _MODE = "fan_in"
    _DISTRIBUTION = "uniform"


class LecunNormal(_Preset):
    """Truncated normal with stddev `sqrt(1 / fan_in)`; suits SELU layers.

    Example:
        >>> import nanokeras as keras
        >>> keras.initializers.LecunNormal(seed=0)((4, 2)).shape
        (4, 2)
    """

    _MODE = "fan_in"
    _DISTRIBUTION = "truncated_normal"


class LecunUniform(_Preset):
    """Uniform in `[-limit, limit)`, `limit = sqrt(3 / fan_in)`.

    Example:
        >>> import nanokeras as keras
        >>> bool(abs(keras.initializers.LecunUniform(seed=0)((3, 2))).max() <= 1.0)
        True
    """

    _MODE = "fan_in"
    _DISTRIBUTION = "uniform"
