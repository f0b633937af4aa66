"""`ZeroPadding1D`, `ZeroPadding2D`, `ZeroPadding3D`: rows/columns of zeros around images and sequences."""

from nanokeras.layers.layer import Layer
from nanokeras.layers.reshaping._margins import as_config, margins
from nanokeras.ops import spatial
from nanokeras.ops.convolution_geometry import data_format_of


class _ZeroPadding(Layer):
    # integer and bool inputs pass unchanged, as in Keras (see Layer._passes_integer_inputs)
    _passes_integer_inputs = True
    _replayable = True
    _rank = None

    def __init__(self, padding, data_format=None, **kwargs):
        cls = type(self).__name__
        self._margins = margins(padding, self._rank, "padding", cls)
        self.padding = as_config(self._margins)
        self.data_format = data_format_of(data_format, cls)
        super().__init__(**kwargs)
        self.built = True

    def _check_rank(self, shape):
        if len(shape) != self._rank + 2:
            raise ValueError(
                f"{type(self).__name__} {self.name!r} expects inputs of rank {self._rank + 2}, got shape {tuple(shape)}."
            )

    def call(self, inputs):
        self._check_rank(inputs.shape)
        return spatial.zero_pad(inputs, self._margins, self.data_format)

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        shape = list(input_shape)
        for axis, (lo, hi) in zip(spatial.spatial_axes(len(shape), self.data_format), self._margins):
            if shape[axis] is not None:
                shape[axis] += lo + hi
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config.update({"padding": self.padding, "data_format": self.data_format})
        return config


class ZeroPadding1D(_ZeroPadding):
    """Adds zeros at the start and end of the steps axis.

    Args:
        padding: an int (both ends) or `(before, after)`.
        data_format: "channels_last" (batch, steps, features) or "channels_first".

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.ZeroPadding1D((1, 2))(np.ones((1, 3, 2), dtype="float32")).shape
        (1, 6, 2)
    """

    _rank = 1

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)


class ZeroPadding2D(_ZeroPadding):
    """Adds rows and columns of zeros around images.

    Args:
        padding: an int (all sides), `(rows, cols)` (symmetric), or `((top, bottom), (left, right))`.
        data_format: "channels_last" or "channels_first" (default `keras.config.image_data_format()`).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.ZeroPadding2D(((1, 0), (2, 2)))(np.ones((1, 3, 3, 1), dtype="float32")).shape
        (1, 4, 7, 1)
    """

    _rank = 2

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)


class ZeroPadding3D(_ZeroPadding):
    """Adds zeros around volumes (depth, height, width).

    Args:
        padding: an int, 3 ints (symmetric per axis), or 3 `(before, after)` pairs.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.ZeroPadding3D(1)(np.ones((1, 2, 2, 2, 1), dtype="float32")).shape
        (1, 4, 4, 4, 1)
    """

    _rank = 3

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)
