"""`UpSampling1D`, `UpSampling2D`, `UpSampling3D`: repeat each step/pixel/voxel (or interpolate, in 2-D)."""

import numpy as np

from nanokeras import ops
from nanokeras.layers.layer import Layer
from nanokeras.ops import image, spatial
from nanokeras.ops.convolution_geometry import data_format_of, int_tuple
from nanokeras.ops.image_resize import METHODS


class _UpSampling(Layer):
    # integer and bool inputs pass unchanged, as in Keras (see Layer._passes_integer_inputs)
    _passes_integer_inputs = True
    _replayable = True
    _rank = None

    def _setup(self, size, data_format):
        cls = type(self).__name__
        self._sizes = int_tuple(size, self._rank, "size", cls)
        self.data_format = data_format_of(data_format, cls)

    def _check_rank(self, shape):
        if len(shape) != self._rank + 2:
            raise ValueError(
                f"{type(self).__name__} {self.name!r} expects inputs of rank {self._rank + 2}, got shape {tuple(shape)}."
            )

    def call(self, inputs):
        self._check_rank(inputs.shape)
        return spatial.repeat_spatial(inputs, self._sizes, self.data_format)

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        shape = list(input_shape)
        for axis, s in zip(spatial.spatial_axes(len(shape), self.data_format), self._sizes):
            if shape[axis] is not None:
                shape[axis] *= s
        return tuple(shape)


class UpSampling1D(_UpSampling):
    """Repeats each step `size` times along the steps axis of (batch, steps, features).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.UpSampling1D(3)(np.arange(2.0).reshape(1, 2, 1))[0, :, 0].tolist()
        [0.0, 0.0, 0.0, 1.0, 1.0, 1.0]
    """

    _rank = 1

    def __init__(self, size=2, **kwargs):
        if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
            raise ValueError(f"UpSampling1D: `size` must be a positive int, got size={size!r}.")
        self._setup(size, "channels_last")
        self.size = size
        super().__init__(**kwargs)
        self.built = True

    def get_config(self):
        config = super().get_config()
        config["size"] = self.size
        return config


class UpSampling2D(_UpSampling):
    """Enlarges images by `size = (rows, cols)`: repeating pixels ("nearest") or interpolating.

    Args:
        size: an int or `(rows, cols)`.
        data_format: "channels_last" or "channels_first" (default `keras.config.image_data_format()`).
        interpolation: "nearest", "bilinear", "bicubic", "lanczos3" or "lanczos5".

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.UpSampling2D((2, 3))(np.ones((1, 2, 2, 1), dtype="float32")).shape
        (1, 4, 6, 1)
    """

    _rank = 2
    _replayable = True  # its own `call` (the interpolating resize is a recorded op too)

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        self._setup(size, data_format)
        self.size = self._sizes
        if not isinstance(interpolation, str) or interpolation.lower() not in METHODS:
            raise ValueError(
                f"UpSampling2D: `interpolation` must be one of {', '.join(repr(m) for m in METHODS)}, "
                f"got {interpolation!r}."
            )
        self.interpolation = interpolation.lower()
        super().__init__(**kwargs)
        self.built = True

    def call(self, inputs):
        if self.interpolation == "nearest":
            return super().call(inputs)
        self._check_rank(inputs.shape)
        shape = self.compute_output_shape(tuple(inputs.shape))
        size = shape[1:3] if self.data_format == "channels_last" else shape[2:4]
        dtype = np.dtype(inputs.dtype)
        if dtype.kind not in "iub":
            return image.resize(inputs, size, interpolation=self.interpolation, data_format=self.data_format)
        # Integers (and bools) come back in their dtype, as Keras's: interpolated in floats, rounded
        # half to even and kept in the dtype's range.
        out = image.resize(ops.cast(inputs, self.dtype), size, interpolation=self.interpolation,
                           data_format=self.data_format)
        out = ops.round(out)
        if dtype.kind != "b":
            info = np.iinfo(dtype)
            out = ops.clip(out, float(info.min), float(info.max))
        return ops.cast(out, dtype.name)

    def get_config(self):
        config = super().get_config()
        config.update({"size": self.size, "data_format": self.data_format, "interpolation": self.interpolation})
        return config


class UpSampling3D(_UpSampling):
    """Repeats each voxel `size = (depth, rows, cols)` times.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.UpSampling3D(2)(np.ones((1, 1, 2, 2, 1), dtype="float32")).shape
        (1, 2, 4, 4, 1)
    """

    _rank = 3

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        self._setup(size, data_format)
        self.size = self._sizes
        super().__init__(**kwargs)
        self.built = True

    def get_config(self):
        config = super().get_config()
        config.update({"size": self.size, "data_format": self.data_format})
        return config
