"""`Sequential`: a model that is a plain stack of layers, each feeding the next."""

import numpy as np

from nanokeras.backend import naming
from nanokeras.graph.input_rank import input_rank, match_input_rank
from nanokeras.graph.keras_tensor import KerasTensor
from nanokeras.layers.core.input_layer import InputLayer
from nanokeras.layers.layer import Layer
from nanokeras.models.model import Model
from nanokeras.ops.core import cast
from nanokeras.ops.tensor import TensorOperators
from nanokeras.trainers.keras2_methods import Keras2SequentialMethods
from nanokeras.utils.keyword_arguments import unknown_keywords_error


class Sequential(Keras2SequentialMethods, Model):
    """A linear stack of layers.

    Args:
        layers: an optional list of layers (the first may be `keras.Input(...)`).
        name: the model's name (`sequential`, `sequential_1`, ... by default).

    Example:
        >>> import nanokeras as keras
        >>> model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1, activation="sigmoid")])
        >>> model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
        >>> [layer.name for layer in model.layers]
        ['dense']
    """

    # Its call runs its layers and nothing else: compiled when they all are.
    _replayable = True

    def __init__(self, layers=None, trainable=True, name=None, **kwargs):
        if kwargs:
            raise unknown_keywords_error(type(self), kwargs, ["layers", "trainable", "name"])
        super().__init__(trainable=trainable, name=name)
        self._layers = []
        # Not a tracked sub-layer: it has no weights and is not in `layers`.
        object.__setattr__(self, "_input_layer", None)
        if layers is not None:
            if isinstance(layers, (Layer, KerasTensor)):
                layers = [layers]
            for layer in layers:
                self.add(layer, rebuild=False)
            self._build_if_input_known()

    # ------------------------------------------------------------- structure
    def add(self, layer, rebuild=True):
        """Appends `layer` (or a `keras.Input(...)`) to the stack."""
        if isinstance(layer, KerasTensor):
            layer = layer._keras_history[0]
        if not isinstance(layer, Layer):
            raise NotALayerError(
                "Sequential.add expects a layer instance (e.g. `keras.layers.Dense(1)`) or `keras.Input(...)`, "
                f"got {layer!r} of type {type(layer).__name__}."
            )
        if isinstance(layer, InputLayer):
            if self._input_layer is not None or self._layers:
                raise ValueError(
                    "Sequential: an Input can only be the first element of the model; "
                    f"model {self.name!r} already has layers or an input."
                )
            object.__setattr__(self, "_input_layer", layer)
            return
        # A set of the names makes adding N layers linear (a scan per add was quadratic);
        # it is confirmed by a scan in case a layer was renamed after it was added.
        names = self.__dict__.setdefault("_layer_names", set())
        if layer.name in names and any(existing.name == layer.name for existing in self._layers):
            raise ValueError(
                f"All layers added to a Sequential model should have unique names. Name {layer.name!r} "
                f"is already the name of a layer in model {self.name!r}."
            )
        if not self._layers and self._input_layer is None:
            if layer._input_shape_arg is not None:
                object.__setattr__(self, "_input_layer", InputLayer(batch_shape=layer._input_shape_arg))
            else:
                # A model with one known input first (a frozen base, as in transfer learning):
                # the stack builds on that input's shape, as in Keras.
                shape = _model_input_shape(layer)
                if shape is not None:
                    object.__setattr__(self, "_input_layer", InputLayer(batch_shape=shape))
        self._layers.append(layer)
        names.add(layer.name)
        self._tracked_layers.append(layer)
        self.built = False
        if rebuild:
            self._build_if_input_known()

    def pop(self, rebuild=True):
        """Removes and returns the last layer."""
        if not self._layers:
            raise IndexError(f"There are no layers in model {self.name!r} to pop.")
        layer = self._layers.pop()
        self.__dict__["_layer_names"] = {existing.name for existing in self._layers}
        self._tracked_layers.remove(layer)
        self.built = False
        if rebuild:
            self._build_if_input_known()
        return layer

    @property
    def layers(self):
        """The layers, without the input layer."""
        return list(self._layers)

    def _build_if_input_known(self):
        if self._input_layer is not None and self._layers:
            self.build(self._input_layer.batch_shape)

    # ------------------------------------------------------------ computing
    def build(self, input_shape=None):
        """Builds every layer in turn for inputs of `input_shape` (batch axis included)."""
        if input_shape is None:
            if self._input_layer is None:
                raise ValueError(f"Sequential {self.name!r}: `build` needs an input shape.")
            input_shape = self._input_layer.batch_shape
        input_shape = tuple(input_shape)
        if self._input_layer is None:
            object.__setattr__(self, "_input_layer", InputLayer(batch_shape=input_shape))
        # Run the stack once on the input's KerasTensor: this builds every layer and records
        # the graph, so `model.output` and `model.layers[i].output` exist as in Keras.
        x = self._input_layer.output
        if tuple(x.shape) != input_shape:
            x = KerasTensor(input_shape, dtype=x.dtype)
            x._keras_history = self._input_layer.output._keras_history
        output_shapes = []
        for layer in self._layers:
            if layer.built and layer._build_input_shape is None:
                layer._build_input_shape = x.shape
            x = layer(x)
            if type(x) in (list, tuple) and len(x) == 1:
                x = x[0]  # a nested `Model(i, [y])`: one output in a list, as Keras passes it on
            output_shapes.append(tuple(x.shape) if hasattr(x, "shape") else None)
        # What `summary` shows: the shapes in this stack, not those of a layer's own build (a
        # Normalization adapted on a (160,) vector before it was stacked on `input_shape=[1]`).
        object.__setattr__(self, "_stack_output_shapes", output_shapes)
        if x is None:  # the last layer's `call` returned nothing (Keras refuses this model too)
            raise ValueError(
                f"Sequential model {self.name!r}: its last layer {self._layers[-1].name!r} returned None "
                "instead of a tensor; its `call` needs a `return`."
            )
        self._build_input_shape = input_shape
        self._output_shape = x.shape
        object.__setattr__(self, "_symbolic_output", x)
        self.built = True
        # Keras builds a Sequential by making a functional model of its stack, which takes the next
        # automatic "functional" name: the user's next `keras.Model(...)` is then "functional_1".
        naming.uniquify("functional")

    def _build_on_data(self, data_shape, batch_size=None):
        # As Keras, which builds a Sequential without an Input on its first batch: its input keeps
        # that batch's size, and `summary()` shows it (`(1, 2)` after `model(ops.ones((1, 4)))`).
        first = data_shape[0] if batch_size is None else min(batch_size, data_shape[0])
        self.build((first,) + tuple(data_shape[1:]))

    def _output_shape_of(self, layer):
        shapes = self.__dict__.get("_stack_output_shapes")
        if self.built and shapes is not None:
            for stacked, shape in zip(self._layers, shapes):
                if stacked is layer:
                    return shape
        return super()._output_shape_of(layer)

    def call(self, inputs, training=None, mask=None):
        x = inputs
        if self._input_layer is not None and input_rank(x) != len(self._input_layer.batch_shape):
            x = match_input_rank(x, self._input_layer.batch_shape)  # as Keras: (7,) data for Input((1,))
        for layer in self._layers:
            if layer._call_takes_training:
                x = layer(x, training=training)
            else:
                x = layer(x)
        return x

    _one_input_one_output = True  # (`fit([x], [y])` takes the lists' arrays, as Keras)

    def __call__(self, inputs, training=None, mask=None):
        if type(inputs) in (list, tuple) and len(inputs) == 1 and _is_array(inputs[0]):
            inputs = inputs[0]  # `model([x])`: one input in a list, as Keras takes it
        elif type(inputs) in (list, tuple) and len(inputs) > 1 and all(_is_array(v) for v in inputs):
            self._refuse_several_inputs(inputs)
        if not self.built and not isinstance(inputs, KerasTensor):
            inputs = self._convert_inputs(inputs)
            self._build_on_data(tuple(np.shape(inputs)))
        elif self._integer_input and not isinstance(inputs, KerasTensor):
            inputs = self._convert_inputs(inputs)  # floats too become the Input's integers
        if training is None:  # recorded in a functional graph, an explicit None would hide the caller's flag
            return Layer.__call__(self, inputs)
        return Layer.__call__(self, inputs, training=training)

    def _refuse_several_inputs(self, inputs):
        # np.asarray would stack the arrays into one (a wrong shape, or a crash deep in a layer).
        shapes = [tuple(np.shape(v)) for v in inputs]
        expected = (f"one input of shape {self._input_layer.batch_shape}" if self._input_layer is not None
                    else "one input array")
        raise ValueError(
            f"Sequential model {self.name!r} takes {expected}, but it was given a list of {len(inputs)} "
            f"arrays (shapes {shapes}). Pass a single array; for a model of several inputs, build a "
            "functional model: `keras.Model([input_a, input_b], outputs)`."
        )

    @property
    def _integer_input(self):
        layer = self._input_layer
        return layer is not None and layer.dtype != "string" and np.dtype(layer.dtype).kind in "iub"

    def _convert_inputs(self, inputs):
        # Strings go unchanged to a first layer that looks them up (e.g. StringLookup).
        if self._layers and getattr(self._layers[0], "_takes_string_inputs", False):
            array = inputs if isinstance(inputs, np.ndarray) else None
            if array is None and isinstance(inputs, (list, tuple)):
                array = np.asarray(inputs)
            if array is not None and array.dtype.kind in "USO":
                return array
        if self._integer_input:
            dtype = self._input_layer.dtype
            # An integer `keras.Input` first: inputs become its dtype, as a functional model's do
            # (Keras builds a Sequential as one).
            if isinstance(inputs, TensorOperators):
                return inputs if inputs.dtype == dtype else cast(inputs, dtype)
            array = np.asarray(inputs)
            if array.dtype.kind in "fiub":
                return array.astype(dtype, copy=False)
        return super()._convert_inputs(inputs)

    def compute_output_shape(self, input_shape):
        shape = tuple(input_shape)
        for layer in self._layers:
            shape = layer.compute_output_shape(shape)
        return shape

    @property
    def input_shape(self):
        if self._input_layer is None:
            raise AttributeError(f"Sequential {self.name!r} has no defined input shape yet.")
        return self._input_layer.batch_shape

    @property
    def output_shape(self):
        if not self.built:
            raise AttributeError(f"Sequential {self.name!r} is not built yet, so it has no output shape.")
        return self._output_shape

    @property
    def inputs(self):
        return [self._input_layer.output] if self._input_layer is not None else None

    @property
    def input(self):
        return self._input_layer.output if self._input_layer is not None else None

    @property
    def outputs(self):
        output = self.__dict__.get("_symbolic_output") if self.built else None
        return [output] if output is not None else None

    @property
    def output(self):
        if not self.built or self.__dict__.get("_symbolic_output") is None:
            raise AttributeError(f"Sequential {self.name!r} has no output yet: give it an Input or build it first.")
        return self._symbolic_output

    def get_config(self):
        """The model as Keras 3 describes a Sequential: every layer serialized, the input first."""
        from nanokeras.saving.serialization_lib import serialize_keras_object

        layers = [serialize_keras_object(layer) for layer in self._layers]
        if self._input_layer is not None:
            layers.insert(0, serialize_keras_object(self._input_layer))
        config = Model.get_config(self)
        config["layers"] = layers
        if self._input_layer is not None:
            config["build_input_shape"] = list(self._input_layer.batch_shape)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuilds a Sequential from `get_config()` (or from a config Keras 3 wrote)."""
        from nanokeras.saving.serialization_lib import deserialize_keras_object, shape_from_json

        if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
            raise ValueError(
                "A Sequential config must be a dict with a 'layers' list (and a 'name'); "
                f"got {str(config)[:200]}."
            )
        model = cls(name=config.get("name"))
        keras_builds = 0
        for layer_config in config["layers"]:
            layer = deserialize_keras_object(layer_config, custom_objects=custom_objects)
            if not isinstance(layer, Layer):
                raise ValueError(f"Sequential {model.name!r}: the config lists {layer!r}, which is not a layer.")
            model.add(layer, rebuild=False)
            if model._input_layer is not None and not isinstance(layer, InputLayer):
                keras_builds += 1
        # Keras rebuilds after every layer added once the input is known; building once here gives
        # the same model in linear time, and the other builds' automatic names are taken as Keras's are.
        for _ in range(keras_builds - 1):
            naming.uniquify("functional")
        build_input_shape = config.get("build_input_shape")
        if model._input_layer is not None and model._layers:
            model._build_if_input_known()
        elif build_input_shape and model._layers:
            model.build(shape_from_json(build_input_shape, owner=f"Sequential {model.name!r}"))
        if config.get("trainable") is False:
            model.trainable = False
        return model


def _model_input_shape(layer):
    """The batch shape of `layer`'s single input when `layer` is a model that knows it, else None."""
    if not isinstance(layer, Model):
        return None
    try:
        shape = layer.input_shape
    except (AttributeError, ValueError):
        return None
    if not isinstance(shape, tuple) or not all(d is None or isinstance(d, int) for d in shape):
        return None  # several inputs: the stack cannot start from them
    return shape


class NotALayerError(TypeError, ValueError):
    """Something not a layer given to a Sequential: a TypeError, as Python would call it, and a
    ValueError, as Keras raises it."""


def _is_array(value):
    """An array or tensor (not a Python list, which is data: `[[1.0, 2.0]]` is one sample)."""
    return isinstance(value, (np.ndarray, TensorOperators, KerasTensor)) or hasattr(value, "__array__")
