"""The shapes a layer's `build` or `compute_output_shape` receives when it names several.

Keras hands a `build(self, input_shape)` with one parameter the shape of the call's first tensor.
A `build(self, query_shape, value_shape)` with several parameters gets, for each `<name>_shape`, the
shape of the call's tensor argument `<name>` (left out when the call did not get it, so the
parameter's default applies); a parameter not named that way is refused, as in Keras.

Example:
    >>> def build(query_shape, value_shape=None): pass
    >>> shape_arguments(build, "Attention", {"query": (2, 3), "value": (2, 4)}, {"query", "value"})
    {'query_shape': (2, 3), 'value_shape': (2, 4)}
    >>> shape_arguments(lambda input_shape: None, "Dense", {"x": (2, 3)}, {"x"}) is None
    True
"""

import inspect

_NAMED = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD,
          inspect.Parameter.KEYWORD_ONLY)


def shape_parameters(method):
    """The names of `method`'s (bound) parameters that can take a shape."""
    try:
        parameters = inspect.signature(method).parameters.values()
    except (TypeError, ValueError):
        return []
    return [p.name for p in parameters if p.kind in _NAMED]


def shape_arguments(method, layer_name, shapes, call_parameters):
    """`{<name>_shape: shape}` to call `method` with, or None when it takes a single shape.

    Args:
        method: the bound `build` or `compute_output_shape`.
        layer_name: the layer's class name, for errors.
        shapes: `{call argument name: shape}` of the call's tensor arguments (masks left out).
        call_parameters: the names of `call`'s parameters.
    """
    names = shape_parameters(method)
    if len(names) <= 1:
        return None
    method_name = getattr(method, "__name__", "build")
    arguments = {}
    for name in names:
        argument = name[:-len("_shape")] if name.endswith("_shape") else None
        if argument is None or argument not in call_parameters:
            problem = "is not named `<argument>_shape`" if argument is None else (
                f"names `{argument}`, which is not an argument of `call()`")
            raise ValueError(
                f"Layer {layer_name}: `{method_name}()` has several parameters, so each one is the shape of "
                f"the `call()` argument it names (`a_shape` for `a`); its parameter `{name}` {problem}."
            )
        if argument in shapes:
            arguments[name] = shapes[argument]
    return arguments
