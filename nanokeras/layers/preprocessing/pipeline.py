"""`Pipeline`: a plain layer that applies a list of layers in turn (e.g. a preprocessing chain)."""

from nanokeras.layers.layer import Layer


class Pipeline(Layer):
    """Applies `layers` one after the other. Unlike `Sequential`, it is a layer, not a model.

    Args:
        layers: the layers, in order.
        name: the layer's name.

    Call arguments:
        inputs: what the first layer takes.
        training: passed to the layers that take it (True by default, as Keras: a pipeline is
            usually data augmentation applied while preparing training data).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> pipeline = keras.layers.Pipeline([keras.layers.Rescaling(2.0), keras.layers.ReLU()])
        >>> pipeline(np.array([-1.0, 3.0], dtype="float32")).tolist()
        [0.0, 6.0]
    """

    # Its call runs its layers and nothing else: replayable when they all are (each is checked).
    _replayable = True

    def __init__(self, layers, name=None):
        layers = list(layers)
        for layer in layers:
            if not isinstance(layer, Layer):
                raise TypeError(f"Pipeline: every element of `layers` must be a Layer, got {type(layer).__name__}.")
        super().__init__(name=name)
        self._pipeline_layers = layers
        self.built = True

    @property
    def layers(self):
        return self._pipeline_layers

    def call(self, inputs, training=True, mask=None):
        for layer in self._pipeline_layers:
            kwargs = {}
            if layer._call_takes_mask and mask is not None:
                kwargs["mask"] = mask
            if layer._call_takes_training and training is not None:
                kwargs["training"] = training
            inputs = layer(inputs, **kwargs)
        return inputs

    def get_config(self):
        from nanokeras.saving.serialization_lib import serialize_keras_object

        return {"layers": serialize_keras_object(self._pipeline_layers), "name": self.name}

    @classmethod
    def from_config(cls, config):
        from nanokeras.saving.serialization_lib import deserialize_keras_object

        layers = config.get("layers")
        if not isinstance(layers, (list, tuple)):
            raise ValueError(
                "`Pipeline` config must contain a `layers` key mapping to a list of serialized layers. "
                f"Received config with layers={layers!r}."
            )
        config = dict(config)
        config["layers"] = [deserialize_keras_object(layer) for layer in layers]
        return cls(**config)
