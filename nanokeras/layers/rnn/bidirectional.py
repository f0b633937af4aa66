"""`Bidirectional`: runs a recurrent layer over the sequence both ways and merges the two."""

from nanokeras.layers.layer import Layer
from nanokeras.ops.directions import MODES, merge_directions


def _without_prefix(name, prefix):
    return name[len(prefix):] if name.startswith(prefix) else name


def clone_layer(layer, **changes):
    """A new, unbuilt layer with `layer`'s config updated by `changes` (fresh weights, as Keras).

    The classes of `layer` and of its sub-layers are passed as custom objects, so a
    layer with a custom cell clones without registering anything.
    """
    from nanokeras.saving.serialization_lib import deserialize_keras_object, serialize_keras_object

    config = serialize_keras_object(layer)
    config["config"].update(changes)
    config.pop("build_config", None)
    known = {type(inner).__name__: type(inner) for inner in [layer] + layer._flat_layers()}
    cell = getattr(layer, "cell", None)
    if cell is not None and not isinstance(cell, Layer):
        known[type(cell).__name__] = type(cell)
    return deserialize_keras_object(config, custom_objects=known)


class Bidirectional(Layer):
    """Wraps a recurrent layer (`LSTM`, `GRU`, `SimpleRNN`, `RNN`) to read the sequence both ways.

    The forward copy reads steps first to last, the backward copy last to first,
    each with its own weights; their outputs are merged.

    Args:
        layer: the recurrent layer; its config makes both copies (fresh weights).
        merge_mode: `"concat"` (default), `"sum"`, `"ave"`, `"mul"`, or None (a list of both).
        backward_layer: an optional layer for the backward direction (with `go_backwards=True`).
        weights: optional initial weights, forward ones first.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.Bidirectional(keras.layers.LSTM(4, return_sequences=True))
        >>> layer(np.ones((2, 5, 3), "float32")).shape
        (2, 5, 8)
    """

    _replayable = True  # its call computes with recorded ops only

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"Please initialize `Bidirectional` layer with a `keras.layers.Layer` instance. "
                             f"Received: {layer!r}")
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError(f"`backward_layer` need to be a `keras.layers.Layer` instance. Received: {backward_layer!r}")
        if merge_mode not in MODES + (None,):
            raise ValueError(
                f"Bidirectional: invalid merge mode. Received: {merge_mode!r}. Merge mode should be one of "
                '{"sum", "mul", "ave", "concat", None}.'
            )
        super().__init__(**kwargs)
        self.forward_layer = clone_layer(layer, name="forward_" + _without_prefix(layer.name, "forward_"))
        if backward_layer is None:
            self.backward_layer = clone_layer(layer, go_backwards=True,
                                              name="backward_" + _without_prefix(layer.name, "backward_"))
        else:
            self.backward_layer = backward_layer
        self._verify_layer_config()
        for inner in (self.forward_layer, self.backward_layer):
            if getattr(inner, "zero_output_for_mask", None) is not None:
                inner.zero_output_for_mask = inner.return_sequences
        self.merge_mode = merge_mode
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True
        self._initial_weights = list(weights) if weights else None

    def _verify_layer_config(self):
        forward, backward = self.forward_layer, self.backward_layer
        if forward.go_backwards == backward.go_backwards:
            raise ValueError(
                "Forward layer and backward layer should have different `go_backwards` value. Received: "
                f"forward_layer.go_backwards {forward.go_backwards}, "
                f"backward_layer.go_backwards={backward.go_backwards}"
            )
        for attribute in ("stateful", "return_sequences", "return_state"):
            if getattr(forward, attribute) != getattr(backward, attribute):
                raise ValueError(
                    f'Forward layer and backward layer are expected to have the same value for attribute '
                    f'"{attribute}", got "{getattr(forward, attribute)}" for forward layer and '
                    f'"{getattr(backward, attribute)}" for backward layer'
                )

    def build(self, sequences_shape, initial_state_shape=None):
        for inner in (self.forward_layer, self.backward_layer):
            if not inner.built:
                inner._build_for(tuple(sequences_shape))
        if self._initial_weights:
            half = len(self._initial_weights) // 2
            self.forward_layer.set_weights(self._initial_weights[:half])
            self.backward_layer.set_weights(self._initial_weights[half:])
            self._initial_weights = None
        self.built = True

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        output_shape = self.forward_layer.compute_output_shape(sequences_shape)
        state_shapes = ()
        if self.return_state:
            output_shape, state_shapes = output_shape[0], tuple(output_shape[1:])
        if self.merge_mode == "concat":
            output_shape = tuple(output_shape[:-1]) + (output_shape[-1] * 2,)
        elif self.merge_mode is None:
            output_shape = [tuple(output_shape), tuple(output_shape)]
        if self.return_state:
            if self.merge_mode is None:
                return tuple(output_shape) + state_shapes + state_shapes
            return (output_shape,) + state_shapes + state_shapes
        return tuple(output_shape) if self.merge_mode is not None else output_shape

    def call(self, sequences, initial_state=None, mask=None, training=None):
        kwargs = {"training": training, "mask": mask}
        forward_state = backward_state = None
        if initial_state is not None:
            initial_state = list(initial_state)
            half = len(initial_state) // 2
            forward_state, backward_state = initial_state[:half], initial_state[half:]
        y = self.forward_layer(sequences, initial_state=forward_state, **kwargs)
        y_rev = self.backward_layer(sequences, initial_state=backward_state, **kwargs)
        states = ()
        if self.return_state:
            states = tuple(y[1:]) + tuple(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.merge_mode is None:
            output = (y, merge_directions(y, y_rev, None, flip_backward=self.return_sequences))
        else:
            output = merge_directions(y, y_rev, self.merge_mode, flip_backward=self.return_sequences)
        if self.return_state:
            return (output + states) if self.merge_mode is None else (output,) + states
        return output

    def compute_mask(self, inputs, mask):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        if self.return_sequences:
            output_mask = [mask, mask] if not self.merge_mode else mask
        else:
            output_mask = [None, None] if not self.merge_mode else None
        if self.return_state and self.states is not None:
            state_mask = [None] * len(self.states)
            if isinstance(output_mask, list):
                return output_mask + state_mask
            return [output_mask] + state_mask
        return output_mask

    @property
    def states(self):
        if self.forward_layer.states and self.backward_layer.states:
            return tuple(self.forward_layer.states) + tuple(self.backward_layer.states)
        return None

    def reset_state(self):
        if not self.stateful:
            raise AttributeError("Layer must be stateful.")
        self.forward_layer.reset_state()
        self.backward_layer.reset_state()

    def reset_states(self):
        self.reset_state()

    def get_config(self):
        from nanokeras.saving.serialization_lib import serialize_keras_object

        config = super().get_config()
        config["merge_mode"] = self.merge_mode
        config["layer"] = serialize_keras_object(self.forward_layer)
        config["backward_layer"] = serialize_keras_object(self.backward_layer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from nanokeras.saving.serialization_lib import deserialize_keras_object

        config = dict(config)
        if isinstance(config["layer"], dict):
            config["layer"] = deserialize_keras_object(config["layer"], custom_objects=custom_objects)
        backward = config.pop("backward_layer", None)
        if isinstance(backward, dict):
            backward = deserialize_keras_object(backward, custom_objects=custom_objects)
        if backward is not None:
            config["backward_layer"] = backward
        return super().from_config(config)
