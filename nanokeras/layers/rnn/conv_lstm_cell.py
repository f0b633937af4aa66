"""`ConvLSTMCell`: one step of a convolutional LSTM, the cell of `ConvLSTM1D/2D/3D`.

An LSTM whose matmuls are convolutions: the gates of every position come from a
convolution of the input (the layer's `strides`, `padding`, `dilation_rate`) plus a
"same", stride-1 convolution of the previous output `h`. Both kernels hold the four
gates side by side on their last axis, in Keras's order `[i, f, c, o]`.
"""

import numpy as np

from nanokeras import activations, initializers
from nanokeras.layers._argument_checks import check_seed
from nanokeras.layers.convolutional import _options
from nanokeras.layers.layer import Layer
from nanokeras.layers.regularization._noise import NoiseSource
from nanokeras.layers.rnn.dropout_rnn_cell import DropoutRNNCell, check_rate
from nanokeras.ops import convolution
from nanokeras.ops import numpy as np_ops
from nanokeras.ops.convolution_geometry import ConvGeometry
from nanokeras.ops.tensor import value_of

_RANKS = (1, 2, 3)


class ConvLSTMCell(Layer, DropoutRNNCell):
    """One ConvLSTM step over inputs `(batch, *spatial, channels)` (or channels first).

    Args:
        rank: the number of spatial axes (1, 2 or 3).
        filters: the channels of the output and of both states.
        kernel_size, strides, padding ("valid"/"same"), data_format, dilation_rate: the
            input convolution's, as `Conv2D`; the recurrent convolution is "same", stride 1.
        activation ("tanh"), recurrent_activation ("sigmoid"), use_bias, unit_forget_bias,
        kernel/recurrent/bias initializers, regularizers and constraints, dropout,
        recurrent_dropout, seed: as `LSTMCell`.

    Weights: `kernel` (*kernel_size, channels, 4 filters), `recurrent_kernel`
    (*kernel_size, filters, 4 filters), `bias` (4 filters).

    Example:
        >>> import numpy as np
        >>> cell = ConvLSTMCell(2, 4, 3, padding="same")
        >>> h, (h2, c) = cell(np.ones((1, 5, 5, 2), "float32"), [np.zeros((1, 5, 5, 4), "float32")] * 2)
        >>> h.shape
        (1, 5, 5, 4)
    """

    _replayable = True  # recorded ops only; dropout masks drawn inside them

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 activation="tanh", recurrent_activation="sigmoid", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", unit_forget_bias=True,
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 **kwargs):
        owner = type(self).__name__
        if rank not in _RANKS:
            raise ValueError(f"{owner}: `rank` must be 1, 2 or 3 (spatial axes), got rank={rank!r}.")
        _options.check_geometry(self, rank, kernel_size, strides, padding, data_format, dilation_rate)
        self.filters = _options.positive_int(self, "filters", filters)
        _options.refuse_strides_with_dilation(self)
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = bool(use_bias)
        self.unit_forget_bias = bool(unit_forget_bias)
        _options.set_weight_options(self, ("kernel", "recurrent", "bias"), locals())
        self.dropout = check_rate(owner, "dropout", dropout)
        self.recurrent_dropout = check_rate(owner, "recurrent_dropout", recurrent_dropout)
        self.seed = check_seed(owner, seed)
        super().__init__(**kwargs)
        self._noise = NoiseSource(self.seed)
        self.dropout_mask_count = 4  # one mask per gate, as Keras
        # Each state is (batch, *output spatial, filters): `filters` channels at every position.
        self.state_size = [self.filters, self.filters]
        self.output_size = self.filters
        self.spatial_dims = None

    # ------------------------------------------------------------- shapes
    def _channel_axis(self):
        return -1 if self.data_format == "channels_last" else 1

    def _spatial(self, shape):
        return tuple(shape[1:-1]) if self.data_format == "channels_last" else tuple(shape[2:])

    def _channels(self, shape):
        return shape[-1] if self.data_format == "channels_last" else shape[1]

    def _geometry(self, spatial):
        return convolution.geometry(tuple(spatial), self.kernel_size, self.strides, self.padding, None,
                                    self.dilation_rate, 1, False)

    def _recurrent_geometry(self, spatial):
        ones = (1,) * self.rank
        return convolution.geometry(tuple(spatial), self.kernel_size, ones, "same", None, ones, 1, False)

    def output_spatial(self, spatial, owner=None):
        """The spatial shape of the output and the states for inputs of spatial shape `spatial`."""
        known = tuple(1 if s is None else s for s in spatial)
        sizes = ConvGeometry(known, self.kernel_size, self.strides, self.padding, None, self.dilation_rate).output_shape
        for size, o in zip(spatial, sizes):
            if size is not None and o <= 0:
                raise ValueError(
                    f"{owner or type(self).__name__}: the kernel (kernel_size={self.kernel_size}, "
                    f"dilation_rate={self.dilation_rate}) is larger than the input's spatial shape "
                    f"{tuple(spatial)} with padding={self.padding!r}: the output would be empty. "
                    "Use padding='same', a smaller kernel or a larger input."
                )
        return tuple(None if size is None else o for size, o in zip(spatial, sizes))

    def _with_channels(self, batch, spatial, channels):
        if self.data_format == "channels_last":
            return (batch,) + tuple(spatial) + (channels,)
        return (batch, channels) + tuple(spatial)

    def compute_output_shape(self, inputs_shape, states_shape=None):
        out = self._with_channels(inputs_shape[0], self.output_spatial(self._spatial(inputs_shape)), self.filters)
        return out, [out, out]

    # -------------------------------------------------------------- build
    def build(self, input_shape, states_shape=None):
        input_shape = tuple(input_shape)
        name = f"{type(self).__name__} {self.name!r}"
        if len(input_shape) != self.rank + 2:
            raise ValueError(f"{name} expects step inputs of rank {self.rank + 2}, got shape {input_shape}.")
        spatial, channels = self._spatial(input_shape), self._channels(input_shape)
        if any(s is None for s in spatial):
            raise ValueError(
                f"{name}: ConvLSTM layers need a fixed spatial shape; got input shape {input_shape}. "
                "Give every spatial axis a size, e.g. `keras.Input((steps, 32, 32, 3))`."
            )
        if channels is None:
            raise ValueError(f"{name}: the channels axis of the input must be known, got input shape {input_shape}.")
        self.output_spatial(spatial)  # refuses a kernel that does not fit
        self.spatial_dims, self.input_dim = spatial, int(channels)
        gates = 4 * self.filters
        self.kernel = _options.add_weight(self, "kernel", "kernel", self.kernel_size + (self.input_dim, gates))
        self.recurrent_kernel = _options.add_weight(self, "recurrent", "recurrent_kernel",
                                                    self.kernel_size + (self.filters, gates))
        self.bias = None
        if self.use_bias:
            initializer = self.bias_initializer
            if self.unit_forget_bias:
                filters, base, ones = self.filters, self.bias_initializer, initializers.get("ones")

                def initializer(shape, dtype=None):
                    return np.concatenate([np.asarray(base((filters,), dtype=dtype)),
                                           np.asarray(ones((filters,), dtype=dtype)),
                                           np.asarray(base((2 * filters,), dtype=dtype))])
            self.bias = self.add_weight(shape=(gates,), name="bias", initializer=initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint)
        self.built = True

    def get_initial_state(self, batch_size=None):
        shape = self._with_channels(batch_size, self.output_spatial(self.spatial_dims), self.filters)
        return [np.zeros(shape, dtype=self.dtype), np.zeros(shape, dtype=self.dtype)]

    # -------------------------------------------------------- computation
    def input_projection(self, inputs):
        """`conv(inputs, kernel) + bias` for the four gates: `(n, *out_spatial, 4 filters)`.

        `inputs` is one array for every gate, or four (each gate's own dropped copy
        of the inputs); its batch axis may hold many steps folded together.
        """
        first = inputs[0] if isinstance(inputs, (list, tuple)) else inputs
        geo = self._geometry(self._spatial(np.shape(value_of(first))))
        if not isinstance(inputs, (list, tuple)):
            return convolution.convolve_bias_activation(inputs, self.kernel, self.bias, geo, self.data_format,
                                                        "linear", activations.linear)
        kernels = np_ops.split(self.kernel, 4, axis=-1)
        biases = np_ops.split(self.bias, 4) if self.bias is not None else [None] * 4
        parts = [convolution.convolve_bias_activation(x, k, b, geo, self.data_format, "linear", activations.linear)
                 for x, k, b in zip(inputs, kernels, biases)]
        return np_ops.concatenate(parts, axis=self._channel_axis())

    def recurrent_step(self, projected, h, c, state_masks=None):
        """`(h, c)` after one step, from this step's `input_projection` and the previous states."""
        geo = self._recurrent_geometry(self._spatial(np.shape(value_of(h))))
        if state_masks is None:
            recurrent = convolution.convolve(h, self.recurrent_kernel, geo, self.data_format)
        else:
            kernels = np_ops.split(self.recurrent_kernel, 4, axis=-1)
            recurrent = np_ops.concatenate(
                [convolution.convolve(np_ops.multiply(h, m), k, geo, self.data_format)
                 for m, k in zip(state_masks, kernels)], axis=self._channel_axis())
        z_i, z_f, z_c, z_o = np_ops.split(np_ops.add(projected, recurrent), 4, axis=self._channel_axis())
        i, f, o = self.recurrent_activation(z_i), self.recurrent_activation(z_f), self.recurrent_activation(z_o)
        c = np_ops.add(np_ops.multiply(f, c), np_ops.multiply(i, self.activation(z_c)))
        return np_ops.multiply(o, self.activation(c)), c

    def dropout_masks_for(self, step_input, state, training):
        """The input and state dropout masks of the current sequence (lists of four), or None
        (also for an argument given as None: that mask is not wanted now)."""
        input_masks = state_masks = None
        if training and 0.0 < self.dropout < 1.0 and step_input is not None:
            input_masks = self.get_dropout_mask(step_input)
        if training and 0.0 < self.recurrent_dropout < 1.0 and state is not None:
            state_masks = self.get_recurrent_dropout_mask(state)
        return input_masks, state_masks

    def call(self, inputs, states, training=False):
        h, c = states[0], states[1]
        input_masks, state_masks = self.dropout_masks_for(inputs, h, training)
        if input_masks is not None:
            inputs = [np_ops.multiply(inputs, m) for m in input_masks]
        h, c = self.recurrent_step(self.input_projection(inputs), h, c, state_masks)
        return h, [h, c]

    # ------------------------------------------------------------- config
    def get_config(self):
        config = super().get_config()
        config.update({
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "use_bias": self.use_bias,
        })
        serialized = _options.weight_options_config(self, ("kernel", "recurrent", "bias"))
        serialized.pop("activity_regularizer")
        for kind in ("initializer", "regularizer", "constraint"):
            for prefix in ("kernel", "recurrent", "bias"):
                config[f"{prefix}_{kind}"] = serialized[f"{prefix}_{kind}"]
            if kind == "initializer":
                config["unit_forget_bias"] = self.unit_forget_bias
        config["dropout"] = self.dropout
        config["recurrent_dropout"] = self.recurrent_dropout
        config["seed"] = self.seed
        return config
