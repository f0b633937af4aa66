"""`Optimizer.stateless_apply`: one update from given values, returning the new ones.

The model's and the optimizer's variables are given the passed values inside a
`keras.StatelessScope`, `apply` runs as usual (the same kernels, so the same numbers),
and the scope puts every variable back when it closes.
"""

from nanokeras.ops.stateless_scope import StatelessScope


def _count(optimizer, argument, given):
    try:
        return len(given)
    except TypeError:
        raise TypeError(
            f"Argument `{argument}` of {type(optimizer).__name__}.stateless_apply must be a list of arrays, "
            f"got {type(given).__name__}."
        ) from None


def stateless_apply(optimizer, optimizer_variables, grads, trainable_variables):
    """See `Optimizer.stateless_apply`."""
    name = type(optimizer).__name__
    if not optimizer.built:
        raise ValueError(
            f"To call `stateless_apply`, {name} must be built (i.e. its variables must have been created). "
            "You can build it via `optimizer.build(trainable_variables)`."
        )
    own_optimizer, own_trainable = optimizer.variables, optimizer._trainable_variables
    if _count(optimizer, "optimizer_variables", optimizer_variables) != len(own_optimizer):
        raise ValueError(
            f"Argument `optimizer_variables` must be a list of tensors corresponding 1:1 to {name}().variables. "
            f"Received list with length {len(optimizer_variables)}, but expected {len(own_optimizer)} variables."
        )
    if _count(optimizer, "trainable_variables", trainable_variables) != len(own_trainable):
        raise ValueError(
            "Argument `trainable_variables` must be a list of tensors corresponding 1:1 to the trainable "
            f"variables the optimizer was built with. Received len(trainable_variables) == "
            f"{len(trainable_variables)} whereas the optimizer was built with {len(own_trainable)} variables."
        )
    mapping = list(zip(own_trainable, trainable_variables)) + list(zip(own_optimizer, optimizer_variables))
    with StatelessScope(state_mapping=mapping) as scope:
        optimizer.apply(grads)
    return ([scope.get_current_value(v) for v in own_trainable],
            [scope.get_current_value(v) for v in own_optimizer])
