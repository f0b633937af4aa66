"""`Lambda`: wraps a Python function as a layer (no weights).

Saving stores the function by name only: nanokeras never writes or runs code
from a file, so a model with a Python `lambda` inside can be saved (as Keras's
`__lambda__` marker) but loading it is refused; a named function registered with
`keras.saving.register_keras_serializable()` round-trips.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> keras.layers.Lambda(lambda x: x * 2)(np.ones((1, 2), dtype="float32"))
    array([[2., 2.]], dtype=float32)
"""

import inspect

import numpy as np

from nanokeras.graph.keras_tensor import KerasTensor
from nanokeras.tree import flatten, map_structure
from nanokeras.graph.operation import infer_output_spec
from nanokeras.layers.layer import Layer, _is_shape, _specs_from_shapes


class Lambda(Layer):
    """Applies `function(inputs, **arguments)`.

    Args:
        function: the function to apply; it may take `training` and `mask` keyword arguments.
        output_shape: the output shape without the batch axis (or a function of the input
            shape); inferred by running the function on zeros when omitted.
        mask: a mask, or a function `(inputs, mask) -> mask` (kept for API compatibility).
        arguments: extra keyword arguments for `function`.
    """

    # integer and bool inputs pass unchanged, as in Keras (see Layer._passes_integer_inputs)
    _passes_integer_inputs = True

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(f"Lambda: `function` must be callable, got {function!r} of type {type(function).__name__}.")
        if arguments is not None and not isinstance(arguments, dict):
            raise TypeError(f"Lambda: `arguments` must be a dict of keyword arguments, got {arguments!r}.")
        self.function = function
        self.arguments = dict(arguments or {})
        self.mask = mask
        self._output_shape = output_shape
        try:
            parameters = inspect.signature(function).parameters
        except (TypeError, ValueError):
            parameters = {}
        self._fn_takes_training = "training" in parameters
        self._fn_takes_mask = "mask" in parameters
        self.built = True

    def compute_mask(self, inputs, mask=None):
        """`mask(inputs, mask)` when `mask` is a function, else the `mask` given (None drops it), as Keras."""
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._fn_takes_mask:
            kwargs["mask"] = mask
        if self._fn_takes_training:
            kwargs["training"] = training
        outputs = self.function(inputs, **kwargs)
        if self.dtype != "float64":
            # Integer inputs reach the function as they are: numpy's `ints * 2.5` is float64 and
            # `bools * 2` int64, where Keras computes float32 (the layer's dtype) and int32.
            outputs = map_structure(lambda value: self._narrow_64_bits(value, inputs), outputs)
        return outputs

    def _narrow_64_bits(self, value, inputs):
        dtype = getattr(value, "dtype", None)
        if dtype == np.float64 and np.dtype(self.dtype).kind == "f":
            target = self.dtype
        elif dtype == np.int64 and not any(getattr(x, "dtype", None) == np.int64 for x in flatten(inputs)):
            target = "int32"
        else:
            return value
        from nanokeras.ops.core import cast

        return cast(value, target)

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            specs = _map_shapes(lambda s: KerasTensor(s, dtype=self.dtype), input_shape)
            return map_structure(lambda t: t.shape, self._infer(specs, (), {}))
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        batch = _first_dim(input_shape)
        shape = tuple(self._output_shape)
        if _is_shape(shape):
            return (batch,) + shape
        return [(batch,) + tuple(s) for s in shape]

    def compute_output_spec(self, inputs, *args, **kwargs):
        if self._output_shape is None:
            # As Keras: the shapes found by running the function, in the layer's dtype (whatever
            # the function returns for integer inputs).
            return map_structure(lambda t: KerasTensor(t.shape, dtype=self.dtype) if isinstance(t, KerasTensor) else t,
                                 self._infer(inputs, args, kwargs))
        shape = self.compute_output_shape(map_structure(lambda t: t.shape, inputs))
        return _specs_from_shapes(shape, self.dtype)

    def _infer(self, inputs, args, kwargs):
        """The output specs found by running the function on zeros, or an error that says what to pass."""
        try:
            return infer_output_spec(self.call, (inputs,) + tuple(args), kwargs)
        except Exception as error:
            raise NotImplementedError(
                f"Lambda {self.name!r}: could not infer the output shape of its function (on zeros it raised "
                f"{type(error).__name__}: {error}); pass `output_shape` (the shape without the batch axis)."
            ) from error

    def get_config(self):
        config = super().get_config()
        config["function"] = _function_config(self.function)
        if self._output_shape is not None:
            shape = self._output_shape
            config["output_shape"] = _function_config(shape) if callable(shape) else list(shape)
        if self.mask is not None:
            config["mask"] = _function_config(self.mask) if callable(self.mask) else self.mask
        from nanokeras.saving.serialization_lib import serialize_keras_object

        config["arguments"] = serialize_keras_object(self.arguments)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuilds a Lambda whose function is a registered or built-in function (never a Python lambda)."""
        from nanokeras.saving.serialization_lib import deserialize_keras_object

        config = dict(config)
        for key in ("function", "output_shape", "mask"):
            value = config.get(key)
            if isinstance(value, dict) and "class_name" in value:
                config[key] = deserialize_keras_object(value, custom_objects=custom_objects)
        if isinstance(config.get("output_shape"), list):
            config["output_shape"] = tuple(config["output_shape"])
        dtype = config.get("dtype")
        if isinstance(dtype, dict):
            config["dtype"] = (dtype.get("config") or {}).get("name")
        return cls(**config)


def _function_config(fn):
    """A function by name; a Python lambda as Keras's `__lambda__` marker, without its code."""
    if getattr(fn, "__name__", None) == "<lambda>":
        return {"class_name": "__lambda__", "config": {"code": None, "defaults": None, "closure": None}}
    from nanokeras.saving.serialization_lib import serialize_keras_object

    return serialize_keras_object(fn)


def _map_shapes(fn, shapes):
    if _is_shape(shapes):
        return fn(tuple(shapes))
    if isinstance(shapes, dict):
        return {k: _map_shapes(fn, v) for k, v in shapes.items()}
    return [_map_shapes(fn, s) for s in shapes]


def _first_dim(input_shape):
    while not _is_shape(input_shape):
        input_shape = input_shape[0] if isinstance(input_shape, (list, tuple)) else next(iter(input_shape.values()))
    return input_shape[0] if input_shape else None
