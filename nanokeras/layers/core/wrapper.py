"""`Wrapper`: the base of layers that wrap another layer and change how it is applied."""

from nanokeras.layers.layer import Layer


class Wrapper(Layer):
    """Holds `layer` (its weights are the wrapper's) and builds it with the wrapper.

    Subclasses implement `call` (e.g. `SpectralNormalization` normalizes the wrapped
    layer's kernel before calling it).

    Args:
        layer: the layer to wrap.
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                f"Layer {layer!r} supplied to Wrapper isn't a supported layer type. Please ensure wrapped "
                "layer is a valid Keras layer."
            )
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None):
        if not self.layer.built:
            self.layer._build_for(input_shape)
        self.built = True

    def get_config(self):
        from nanokeras.saving.serialization_lib import serialize_keras_object

        config = super().get_config()
        config["layer"] = serialize_keras_object(self.layer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from nanokeras.saving.serialization_lib import deserialize_keras_object

        config = dict(config)
        layer = deserialize_keras_object(config.pop("layer"), custom_objects=custom_objects)
        dtype = config.get("dtype")
        if isinstance(dtype, dict):
            config["dtype"] = (dtype.get("config") or {}).get("name")
        return cls(layer, **config)
