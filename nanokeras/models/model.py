"""`Model`: a layer that can be trained (`compile`, `fit`, `evaluate`, `predict`).

Subclass it, create layers in `__init__` and compute in `call`:

Example:
    >>> import numpy as np, nanokeras as keras
    >>> class TwoLayers(keras.Model):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = keras.layers.Dense(4, activation="relu")
    ...         self.out = keras.layers.Dense(1)
    ...     def call(self, x, training=False):
    ...         return self.out(self.hidden(x))
    >>> TwoLayers()(np.ones((3, 2), dtype="float32")).shape
    (3, 1)
"""

import numpy as np

from nanokeras.layers.layer import Layer
from nanokeras.trainers.data_adapter import keys_sorted, to_numpy_structure
from nanokeras.trainers.keras2_methods import Keras2TrainingMethods
from nanokeras.trainers.trainer import Trainer
from nanokeras.utils import summary_utils


class Model(Trainer, Keras2TrainingMethods, Layer):
    """A trainable stack of layers; base of `Sequential` and of subclassed models."""

    _shows_eager_mask = False  # `model(x)` and `predict` give plain arrays

    def __new__(cls, *args, **kwargs):
        if cls is Model and (args or "inputs" in kwargs or "outputs" in kwargs):
            from nanokeras.models.functional import Functional

            return Functional.__new__(Functional)
        return super().__new__(cls)

    def __init__(self, *args, **kwargs):
        if args or "inputs" in kwargs or "outputs" in kwargs:
            # `super().__init__(inputs, outputs)` in a subclass: the model becomes functional.
            from nanokeras.models.functional import Functional, functional_subclass

            self.__class__ = functional_subclass(type(self))
            Functional.__init__(self, *args, **kwargs)
            return
        Layer.__init__(self, trainable=kwargs.pop("trainable", True), name=kwargs.pop("name", None),
                       dtype=kwargs.pop("dtype", None), **kwargs)
        Trainer.__init__(self)

    def call(self, *args, **kwargs):
        # A subclassed model must say what it computes: the base layer's identity would make
        # `predict` hand the inputs back (keras.io's VAE and GAN models define only `train_step`).
        raise NotImplementedError(f"Model {type(self).__name__} does not have a `call()` method implemented.")

    def _defines_call(self):
        return type(self).call is not Model.call

    def build(self, input_shape):
        """Builds the model by running it once on zeros of `input_shape` (batch axis as 1)."""
        if self.built:
            return
        unbuilt = [layer for layer in self._flat_layers() if not layer.built]
        if not self._defines_call():
            # No `call` to run (a GAN that only has a `train_step`): built when its parts are.
            if unbuilt:
                raise RuntimeError(
                    f"Cannot build {type(self).__name__!r}: it has no `call()` to run on the data, and its layers "
                    f"{[layer.name for layer in unbuilt]} are not built. Build them (give each sub-model an "
                    "`Input`, or call it once on data) before `fit`/`evaluate`/`predict`, or define `call()`."
                )
            self.built = True
            return
        self.built = True
        try:
            self.call(_zeros_for(input_shape, self.dtype))
        except Exception:
            self.built = False
            raise
        nested = not _is_shape(input_shape)
        self._build_input_shape = input_shape if nested else tuple(input_shape)
        if not nested and input_shape and input_shape[0] is None:
            # The layers this built saw the stand-in batch of 1: they record the batch axis as
            # unknown, as Keras's symbolic build does (`summary` shows (None, ...)).
            for layer in unbuilt:
                recorded = layer._build_input_shape
                if isinstance(recorded, tuple) and recorded and recorded[0] == 1:
                    layer._build_input_shape = (None,) + recorded[1:]

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        """Prints a table of the layers with their output shapes and parameter counts.

        Args:
            line_length: total width of the table.
            positions: right edges of the columns (fractions or absolute).
            print_fn: a function called with the summary text (default: print).
            expand_nested: also list the layers of the models inside this one.
            show_trainable: add a column saying which layers are trainable.
            layer_range: `[first, last]`, two layer names or regular expressions: list only the
                layers from the first whose name matches `first` to the last whose name matches
                `last` (both included; `re.match`, so a name matches its prefixes). The
                parameter totals stay those of the whole model.
        """
        top = summary_utils.layer_index_range(self._summary_layers(), layer_range)
        rows = self._summary_rows()
        connected = bool(rows) and len(rows[0]) == 5
        if expand_nested or show_trainable:
            rows = summary_utils.expanded_rows(self, connected, expand_nested, show_trainable, top=top)
        else:
            rows = rows[top]
        summary_utils.print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn,
                                    rows=rows, connected=connected, show_trainable=show_trainable)

    def _summary_rows(self):
        rows = []
        for layer in self.layers:
            params = layer.count_params() if layer.built else None
            rows.append((layer.name, type(layer).__name__, self._output_shape_of(layer), params))
        return rows

    def _summary_layers(self):
        """The layers of `_summary_rows`, in its order."""
        return self.layers

    def _output_shape_of(self, layer):
        shape = getattr(layer, "_build_input_shape", None)
        if not layer.built or shape is None:
            return None
        cls = type(layer)
        if cls.compute_output_shape is Layer.compute_output_shape and not cls.__module__.startswith("nanokeras."):
            # As Keras: a layer of the user's without its own `compute_output_shape` shows "?" (Keras's
            # default raises NotImplementedError there; nanokeras's would run the layer on zeros).
            return None
        try:
            return layer.compute_output_shape(shape)
        except NotImplementedError:
            return None

    @property
    def layers(self):
        return [layer for layer in self._tracked_layers]

    def get_layer(self, name=None, index=None):
        """The layer called `name`, or at position `index`."""
        if index is not None:
            if not -len(self.layers) <= index < len(self.layers):
                raise ValueError(f"`index` {index} is out of range: the model has {len(self.layers)} layers.")
            return self.layers[index]
        if name is None:
            raise ValueError("`get_layer` needs a layer `name` or an `index`, got neither.")
        for layer in self.layers:
            if layer.name == name:
                return layer
        names = [layer.name for layer in self.layers]
        raise ValueError(f"No layer named {name!r} in model {self.name!r}. Layers: {names}.")

    def predict_on_batch(self, x):
        """The model's outputs for one batch, as numpy arrays (a list/dict of them for several outputs)."""
        if type(self).predict_step is not Trainer.predict_step:
            outputs = to_numpy_structure(self.predict_step(x))  # as `predict`, the model's own step
        else:
            outputs = to_numpy_structure(self(x, training=False))
        outputs = keys_sorted(outputs)
        self._forget_call_losses()  # as `predict`: a step leaves no `add_loss` loss behind
        return outputs

    # ---------------------------------------------------------------- saving
    def get_config(self):
        """`name`, `trainable` and `dtype` (a subclass with constructor arguments overrides this)."""
        return Layer.get_config(self)

    get_config._is_base_config = True

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Creates the model from `get_config()`: keys the constructor does not take are dropped.

        A functional model's config (`layers`, `input_layers`, `output_layers`) rebuilds the
        graph, as Keras does for `keras.Model` and for subclasses taking `(inputs, outputs)`.
        """
        import inspect

        if isinstance(config, dict) and all(k in config for k in ("name", "layers", "input_layers", "output_layers")):
            try:
                arguments = list(inspect.signature(cls.__init__).parameters)[1:3]
            except (TypeError, ValueError):
                arguments = []
            if cls is Model or arguments == ["inputs", "outputs"]:
                from nanokeras.saving.functional_config import functional_from_config

                return functional_from_config(cls, config, custom_objects=custom_objects)
        config = dict(config)
        dtype = config.get("dtype")
        if isinstance(dtype, dict):
            config["dtype"] = (dtype.get("config") or {}).get("name")
        try:
            parameters = inspect.signature(cls.__init__).parameters
        except (TypeError, ValueError):
            parameters = {}
        if not any(p.kind == p.VAR_KEYWORD for p in parameters.values()):
            config = {k: v for k, v in config.items() if k in parameters}
        try:
            return cls(**config)
        except TypeError as error:
            raise TypeError(
                f"Unable to revive {cls.__name__} from config {config!r}: {error}. Make `get_config()` "
                "return the constructor's arguments, or define `from_config`."
            ) from None

    def save(self, filepath, overwrite=True, zipped=None, **kwargs):
        """Saves the model (architecture, weights, compile settings, optimizer state) as `.keras`.

        Example:
            >>> import os, tempfile, nanokeras as keras
            >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
            >>> model.save(os.path.join(tempfile.mkdtemp(), "model.keras"))
        """
        from nanokeras.saving import saving_api

        saving_api.save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def save_weights(self, filepath, overwrite=True, max_shard_size=None):
        """Saves the weights (and optimizer state) to a `.weights.h5` file in Keras's layout."""
        from nanokeras.saving import saving_api

        if not self.built:
            # As Keras: an unbuilt model has no weights yet, and the file would hold none.
            raise ValueError(
                f"Cannot save the weights of {self.name!r}: the model is not built yet, so it has no weights. "
                "Build it first: call it on a batch of data, fit it, or call `model.build(input_shape)`."
            )
        saving_api.save_weights(self, filepath, overwrite=overwrite, max_shard_size=max_shard_size)

    def load_weights(self, filepath, skip_mismatch=False, **kwargs):
        """Loads weights from a `.weights.h5` or `.keras` file; all are checked before any is set."""
        from nanokeras.saving import saving_api

        saving_api.load_weights(self, filepath, skip_mismatch=skip_mismatch, **kwargs)

    def to_json(self, **kwargs):
        """The model's config as a JSON string (`keras.models.model_from_json` reads it back)."""
        import json

        from nanokeras.saving.serialization_lib import serialize_keras_object

        return json.dumps(serialize_keras_object(self), **kwargs)

    def get_build_config(self):
        """`{"input_shape": ...}` once built (what `build_from_config` needs), else None."""
        from nanokeras.saving.serialization_lib import _shape_tuples, shape_to_json

        if not self.built or self._build_input_shape is None:
            return None
        # Tuples, as Keras gives them (a file's JSON has lists either way).
        return {"input_shape": _shape_tuples(shape_to_json(self._build_input_shape))}

    def build_from_config(self, config):
        from nanokeras.saving.serialization_lib import shape_from_json

        if isinstance(config, dict) and config.get("input_shape") is not None and not self.built:
            self.build(shape_from_json(config["input_shape"], owner=f"model {self.name!r}"))

    def get_compile_config(self):
        """The arguments `compile` was called with, serialized (`{}` when not compiled)."""
        from nanokeras.saving.serialization_lib import serialize_keras_object

        if not self.compiled:
            return {}
        return {
            # the optimizer compile was given (not the LossScaleOptimizer a mixed_float16 model wraps it in)
            "optimizer": serialize_keras_object(getattr(self, "_compile_optimizer", None) or self.optimizer),
            "loss": serialize_keras_object(self.loss),
            "loss_weights": self._loss_weights_spec,
            "metrics": serialize_keras_object(self._metrics_spec) or None,
            "weighted_metrics": serialize_keras_object(self._weighted_metrics_spec) or None,
            "run_eagerly": bool(self.run_eagerly),
            "steps_per_execution": self.steps_per_execution,
            # Keras writes "auto" resolved (True where XLA compiles): the compiled step here.
            "jit_compile": getattr(self, "_jit_compile_config", self.jit_compile is not False),
        }

    def compile_from_config(self, config):
        """Compiles from `get_compile_config()` output and creates the optimizer's variables."""
        import warnings

        from nanokeras.saving.serialization_lib import deserialize_keras_object
        from nanokeras.trainers.trainer import Trainer

        if not config:
            return
        if type(self).compile is not Trainer.compile:
            warnings.warn(
                f"`compile()` was not called while loading {type(self).__name__!r} because its `compile()` "
                "is custom; override `get_compile_config()`/`compile_from_config()`, or compile after loading.",
                stacklevel=2,
            )
            return
        config = deserialize_keras_object(config)
        arguments = ("optimizer", "loss", "loss_weights", "metrics", "weighted_metrics", "run_eagerly",
                     "steps_per_execution", "jit_compile")
        arguments = {k: v for k, v in config.items() if k in arguments}
        if arguments.get("jit_compile") is False and self._layers_without_jit():
            # Keras saves "auto" resolved to False for a model holding such layers: not a request for
            # the tape, so the compiled step keeps running (`jit_compile` still reads False).
            arguments["jit_compile"] = "auto"
        self.compile(**arguments)
        if self.built and self.optimizer is not None:
            self.optimizer.build(self.trainable_weights)


def _is_shape(value):
    return isinstance(value, (tuple, list)) and all(d is None or isinstance(d, (int, np.integer)) for d in value)


def _zeros_for(input_shape, dtype):
    """Zeros of `input_shape` (None axes as 1), in its structure: a subclassed model's `call` may
    take a dict or a list of inputs (DLWP's CustomerTicketModel reads inputs["title"], ...)."""
    if isinstance(input_shape, dict):
        return {key: _zeros_for(shape, dtype) for key, shape in input_shape.items()}
    if not _is_shape(input_shape):
        return [_zeros_for(shape, dtype) for shape in input_shape]
    return np.zeros(tuple(1 if d is None else d for d in input_shape), dtype=dtype)
