"""`InputLayer` and `keras.Input`: declare the shape and dtype of a model's input."""

from nanokeras.graph.keras_tensor import KerasHistory, KerasTensor
from nanokeras.graph.node import Node
from nanokeras.layers.layer import Layer


class InputLayer(Layer):
    """The entry point of a model: holds the input's shape; computes nothing.

    Args:
        shape: the shape of one sample, without the batch axis, e.g. `(2,)`.
        batch_size: optional fixed batch size.
        dtype: the input's dtype (`floatx()` by default).
        batch_shape: the full shape including the batch axis (instead of `shape`).
        name: the layer's name (`input_layer`, `input_layer_1`, ... by default).
    """

    _replayable = True

    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None,
                 input_tensor=None, optional=False, name=None, **kwargs):
        if "input_shape" in kwargs:
            shape = kwargs.pop("input_shape")
        if "batch_input_shape" in kwargs:
            batch_shape = kwargs.pop("batch_input_shape")
        super().__init__(name=name, dtype=dtype, **kwargs)
        if input_tensor is not None:
            if not isinstance(input_tensor, KerasTensor):
                raise ValueError(
                    f"InputLayer: `input_tensor` must be a KerasTensor (from keras.Input), got {type(input_tensor).__name__}."
                )
            batch_shape = input_tensor.shape
        if shape is not None and batch_shape is not None:
            raise ValueError("InputLayer: give either `shape` or `batch_shape`, not both.")
        if shape is None and batch_shape is None:
            raise ValueError("InputLayer: `shape` is required, e.g. `keras.Input(shape=(2,))`.")
        if batch_shape is None:
            if isinstance(shape, int):
                shape = (shape,)
            try:
                shape = tuple(shape)
            except TypeError:
                raise ValueError(f"InputLayer: `shape` must be a tuple of ints, got {shape!r}.") from None
            batch_shape = (batch_size,) + shape
        batch_shape = tuple(batch_shape)
        for dim in batch_shape[1:]:
            if dim is not None and (not isinstance(dim, int) or dim <= 0):
                raise ValueError(
                    f"InputLayer: every dimension of `shape` must be a positive int or None, got {batch_shape[1:]}."
                )
        self.batch_shape = batch_shape
        self.sparse = bool(sparse)
        self.optional = optional
        self.built = True
        # As Keras: the tensor takes the name given (else its own automatic `keras_tensor_N`),
        # which is what a dict of inputs is matched against.
        self.output = input_tensor if input_tensor is not None else KerasTensor(batch_shape, self.dtype, name=name)
        self.output._keras_history = KerasHistory(self, 0, 0)
        self._inbound_nodes.append(Node(self, outputs=[self.output]))  # the input node: no arguments

    @property
    def batch_size(self):
        return self.batch_shape[0]

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {"batch_shape": tuple(self.batch_shape), "dtype": self.dtype, "sparse": self.sparse,
                "ragged": False, "name": self.name, "optional": self.optional}

    @classmethod
    def from_config(cls, config):
        """Creates an InputLayer from its config (Keras 3's `ragged` must be false)."""
        config = dict(config)
        if config.pop("ragged", False):
            raise ValueError("InputLayer.from_config: ragged inputs are not supported by nanokeras.")
        if isinstance(config.get("dtype"), dict):
            config["dtype"] = (config["dtype"].get("config") or {}).get("name")
        for key in ("batch_shape", "batch_input_shape", "shape"):
            if isinstance(config.get(key), list):
                config[key] = tuple(config[key])
        return cls(**config)


def Input(shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None, name=None, tensor=None, optional=False):
    """A symbolic input of `shape` (one sample, without the batch axis).

    Example:
        >>> import nanokeras as keras
        >>> model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
        >>> model.output_shape
        (None, 1)
    """
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse,
                       batch_shape=batch_shape, name=name, input_tensor=tensor, optional=optional)
    return layer.output
