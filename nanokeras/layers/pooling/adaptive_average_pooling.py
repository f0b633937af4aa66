"""`AdaptiveAveragePooling1D/2D/3D`: each spatial axis pooled to a fixed size (the windows' average)."""

from nanokeras.layers.pooling.base_adaptive_pooling import BaseAdaptivePooling
from nanokeras.ops.adaptive_pooling import adaptive_average_pool


class _AdaptiveAveragePooling(BaseAdaptivePooling):
    _pool = staticmethod(adaptive_average_pool)


class AdaptiveAveragePooling1D(_AdaptiveAveragePooling):
    """The average of each of `output_size` windows along the steps (see `BaseAdaptivePooling`).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.AdaptiveAveragePooling1D(4)(np.ones((2, 10, 3), "float32")).shape
        (2, 4, 3)
    """

    rank = 1


class AdaptiveAveragePooling2D(_AdaptiveAveragePooling):
    """The average of each of `output_size` windows along height and width (see `BaseAdaptivePooling`).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.AdaptiveAveragePooling2D((2, 3))(np.ones((1, 7, 9, 4), "float32")).shape
        (1, 2, 3, 4)
    """

    rank = 2


class AdaptiveAveragePooling3D(_AdaptiveAveragePooling):
    """The average of each of `output_size` windows along depth, height and width (see `BaseAdaptivePooling`).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.AdaptiveAveragePooling3D(2)(np.ones((1, 5, 5, 5, 1), "float32")).shape
        (1, 2, 2, 2, 1)
    """

    rank = 3
