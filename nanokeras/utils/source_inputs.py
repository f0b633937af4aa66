"""`get_source_inputs`: the `keras.Input` tensors a symbolic tensor was computed from.

Example:
    >>> import nanokeras as keras
    >>> a, b = keras.Input((2,), name="a"), keras.Input((2,), name="b")
    >>> y = keras.layers.Dense(1)(a + b)
    >>> [t.name for t in keras.utils.get_source_inputs(y)]
    ['a', 'b']
"""


def get_source_inputs(tensor):
    """The input tensors (from `keras.Input`) that `tensor` depends on, in first-use order.

    A tensor with no recorded history is its own source.
    """
    if not hasattr(tensor, "_keras_history"):
        raise TypeError(
            f"`get_source_inputs` expects a symbolic tensor (from `keras.Input` or a layer called on one), "
            f"got {type(tensor).__name__}."
        )
    sources, seen, stack = [], set(), [tensor]
    while stack:
        current = stack.pop()
        history = current._keras_history
        if history is None:
            node = None
        else:
            operation, node_index = history[0], history[1]
            node = operation._inbound_nodes[node_index]
        if node is None or node.is_input:
            if id(current) not in seen:
                seen.add(id(current))
                sources.append(current)
            continue
        # Reversed, so the first argument's sources come out first.
        stack.extend(reversed(node.input_tensors))
    return sources
