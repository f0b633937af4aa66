"""`Conv3D`: a 3-D convolution (depth, rows, cols)."""

from nanokeras.layers.convolutional.base_conv import BaseConv


class Conv3D(BaseConv):
    """3-D convolution: slides `filters` kernels over the input's depth, rows, cols (see `BaseConv` for the arguments).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.Conv3D(3, 3, activation="relu")
        >>> layer(np.ones((2, 8, 8, 8, 2), dtype="float32")).shape
        (2, 6, 6, 6, 3)
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 groups=1, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(3, filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                         dilation_rate=dilation_rate, groups=groups, activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
                         bias_constraint=bias_constraint, **kwargs)
