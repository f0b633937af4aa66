"""`Cropping1D`, `Cropping2D`, `Cropping3D`: cut rows/columns off the borders of images and sequences."""

from nanokeras.layers.layer import Layer
from nanokeras.layers.reshaping._margins import as_config, margins
from nanokeras.ops import spatial
from nanokeras.ops.convolution_geometry import data_format_of


class _Cropping(Layer):
    # integer and bool inputs pass unchanged, as in Keras (see Layer._passes_integer_inputs)
    _passes_integer_inputs = True
    _replayable = True
    _rank = None

    def _setup(self, cropping, data_format):
        cls = type(self).__name__
        self._margins = margins(cropping, self._rank, "cropping", cls)
        self.cropping = as_config(self._margins)
        self.data_format = data_format_of(data_format, cls)
        self.built = True

    def call(self, inputs):
        self.compute_output_shape(tuple(inputs.shape))
        return spatial.crop(inputs, self._margins, self.data_format)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        if len(shape) != self._rank + 2:
            raise ValueError(
                f"{type(self).__name__} {self.name!r} expects inputs of rank {self._rank + 2}, got shape "
                f"{tuple(input_shape)}."
            )
        for axis, (lo, hi) in zip(spatial.spatial_axes(len(shape), self.data_format), self._margins):
            if shape[axis] is None:
                continue
            if lo + hi >= shape[axis]:
                raise ValueError(
                    f"{type(self).__name__} {self.name!r}: `cropping` {self.cropping} removes all of axis {axis} "
                    f"(size {shape[axis]}) of inputs of shape {tuple(input_shape)}; crop less."
                )
            shape[axis] -= lo + hi
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config["cropping"] = self.cropping
        if self._rank > 1:
            config["data_format"] = self.data_format
        return config


class Cropping1D(_Cropping):
    """Removes elements from the start and end of the steps axis of (batch, steps, features).

    Args:
        cropping: an int (both ends) or `(start, end)`.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.Cropping1D((1, 2))(np.ones((1, 6, 2), dtype="float32")).shape
        (1, 3, 2)
    """

    _rank = 1

    def __init__(self, cropping=(1, 1), **kwargs):
        self._setup(cropping, "channels_last")
        super().__init__(**kwargs)


class Cropping2D(_Cropping):
    """Removes rows and columns from the borders of images.

    Args:
        cropping: an int (all sides), `(rows, cols)` (symmetric), or `((top, bottom), (left, right))`.
        data_format: "channels_last" or "channels_first" (default `keras.config.image_data_format()`).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.Cropping2D(((1, 0), (2, 2)))(np.ones((1, 5, 7, 1), dtype="float32")).shape
        (1, 4, 3, 1)
    """

    _rank = 2

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        self._setup(cropping, data_format)
        super().__init__(**kwargs)


class Cropping3D(_Cropping):
    """Removes elements from the borders of volumes (depth, height, width).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.Cropping3D(1)(np.ones((1, 4, 4, 4, 1), dtype="float32")).shape
        (1, 2, 2, 2, 1)
    """

    _rank = 3

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        self._setup(cropping, data_format)
        super().__init__(**kwargs)
