"""What attention layers called as `layer(query, value, key=None)` share: building from the three
shapes (recorded as Keras writes them in `build_config`), and the call's checks."""

import numpy as np

from nanokeras.layers.layer import Layer
from nanokeras.ops.tensor import value_of


class QueryValueKeyLayer(Layer):
    """A layer whose weights depend on the query, value and key shapes, built at the first call."""

    def _build_for(self, input_shape):
        # The query's shape alone does not say the value's: weights are made at the first
        # call, when all inputs are known (`call` / `compute_output_spec`).
        self._build_input_shape = input_shape

    def _remember_build_shapes(self, query_shape, value_shape, key_shape):
        """Notes the build's shapes as Keras's `shapes_dict` (the key only when one was given);
        returns the key's shape (the value's when none was given)."""
        self._build_shapes = {"query_shape": list(query_shape), "value_shape": list(value_shape)}
        if key_shape is not None:
            self._build_shapes["key_shape"] = list(key_shape)
        return value_shape if key_shape is None else tuple(key_shape)

    def get_build_config(self):
        """The shapes of the build, as Keras writes them (`shapes_dict`: query, value, key)."""
        return {"shapes_dict": dict(self._build_shapes)} if self.built else None

    def build_from_config(self, config):
        if not isinstance(config, dict):
            return
        if "shapes_dict" in config:
            self.build(**{k: tuple(v) for k, v in config["shapes_dict"].items()})
        elif "input_shape" in config:
            self.build(tuple(config["input_shape"]), tuple(config["input_shape"]))

    def _ensure_built(self, query, value, key):
        if self.built:
            return
        shape = lambda x: tuple(getattr(x, "shape", None) or np.shape(value_of(x)))  # noqa: E731
        self.build(shape(query), shape(value), None if key is None else shape(key))

    def __call__(self, query=None, value=None, key=None, **kwargs):
        if query is None or value is None:
            name = getattr(type(self), "_keras_export_name", None) or type(self).__name__
            raise ValueError(f"{name} needs `query` and `value`, e.g. `layer(query, value)`.")
        if key is not None:
            kwargs["key"] = key  # a keyword, so its mask reaches `key_mask`
        return super().__call__(query, value, **kwargs)
