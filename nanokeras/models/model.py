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

from nanokeras.backend.tensor import value_of
from nanokeras.layers.layer import Layer
from nanokeras.trainers.trainer import Trainer
from nanokeras.utils import summary_utils


class Model(Trainer, Layer):
    """A trainable stack of layers; base of `Sequential` and of subclassed models."""

    def __init__(self, *args, **kwargs):
        if args or "inputs" in kwargs or "outputs" in kwargs:
            raise NotImplementedError(
                "The functional form `keras.Model(inputs, outputs)` is not available in this version "
                "of nanokeras; use `keras.Sequential([...])` or subclass `keras.Model`."
            )
        Layer.__init__(self, trainable=kwargs.pop("trainable", True), name=kwargs.pop("name", None),
                       dtype=kwargs.pop("dtype", None), **kwargs)
        Trainer.__init__(self)

    def __call__(self, inputs, *args, **kwargs):
        outputs = Layer.__call__(self, inputs, *args, **kwargs)
        return outputs

    def build(self, input_shape):
        """Builds the model by running it once on zeros of `input_shape` (batch axis as 1)."""
        if self.built:
            return
        shape = tuple(1 if d is None else d for d in input_shape)
        self.built = True
        try:
            self.call(np.zeros(shape, dtype=self.dtype))
        except Exception:
            self.built = False
            raise
        self._build_input_shape = tuple(input_shape)

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        """Prints a table of the layers with their output shapes and parameter counts.

        Args:
            line_length: total width of the table.
            positions: right edges of the columns (fractions or absolute).
            print_fn: a function called with the summary text (default: print).
        """
        summary_utils.print_summary(self, line_length=line_length, positions=positions,
                                    print_fn=print_fn, rows=self._summary_rows())

    def _summary_rows(self):
        rows = []
        for layer in self.layers:
            params = layer.count_params() if layer.built else None
            rows.append((layer.name, type(layer).__name__, self._output_shape_of(layer), params))
        return rows

    def _output_shape_of(self, layer):
        shape = getattr(layer, "_build_input_shape", None)
        if not layer.built or shape is None:
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
        for layer in self.layers:
            if layer.name == name:
                return layer
        names = [layer.name for layer in self.layers]
        raise ValueError(f"No layer named {name!r} in model {self.name!r}. Layers: {names}.")

    def predict_on_batch(self, x):
        return np.asarray(value_of(self(x, training=False)))
