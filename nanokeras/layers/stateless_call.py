"""`Layer.stateless_call`: a layer's `call` on given weight values, leaving the layer unchanged.

The values are put in place by a `keras.StatelessScope`; what the call assigns
(moving averages, states, seeds) comes back as the new non-trainable values.
"""

from nanokeras.ops.stateless_scope import StatelessScope


def _check_count(layer, argument, given, expected):
    try:
        count = len(given)
    except TypeError:
        raise TypeError(
            f"Argument `{argument}` of {type(layer).__name__}.stateless_call must be a list of arrays matching "
            f"`{argument}` of the layer one to one, got {type(given).__name__}."
        ) from None
    if count != len(expected):
        raise ValueError(
            f"Argument `{argument}` must be a list of tensors corresponding 1:1 to "
            f"{type(layer).__name__}().{argument}. Received list with length {count}, but expected "
            f"{len(expected)} variables."
        )


def stateless_call(layer, trainable_variables, non_trainable_variables, *args, return_losses=False, **kwargs):
    """See `Layer.stateless_call`."""
    if not layer.built:
        raise ValueError(
            f"To call stateless_call, {type(layer).__name__} must be built (i.e. its variables must have been "
            "already created). You can build it by calling it on some data."
        )
    own_trainable, own_non_trainable = layer.trainable_variables, layer.non_trainable_variables
    _check_count(layer, "trainable_variables", trainable_variables, own_trainable)
    _check_count(layer, "non_trainable_variables", non_trainable_variables, own_non_trainable)
    mapping = list(zip(own_trainable, trainable_variables)) + list(zip(own_non_trainable, non_trainable_variables))
    losses = None
    with StatelessScope(state_mapping=mapping, collect_losses=return_losses) as scope:
        outputs = layer.call(*args, **kwargs)
        if return_losses:
            # Keras's `layer.losses` inside the scope: the losses the call added, then the
            # weight regularizers on the scope's values.
            losses = list(scope.losses)
            for sub in [layer] + layer._flat_layers():
                losses.extend(w.regularizer(w) for w in sub._own_weights if w.regularizer is not None)
    new_non_trainable = [scope.get_current_value(v) for v in own_non_trainable]
    if return_losses:
        return outputs, new_non_trainable, losses
    return outputs, new_non_trainable
