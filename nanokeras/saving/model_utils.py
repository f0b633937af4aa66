"""`model_from_json` and `clone_model`: models from configs, without weights.

Example:
    >>> import nanokeras as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> keras.models.model_from_json(model.to_json()).layers[0].units
    2
"""

from nanokeras.saving import builtin_registry, saving_lib, serialization_lib
from nanokeras.saving.object_kinds import is_layer, is_sequential


def model_from_json(json_string, custom_objects=None):
    """A new (freshly initialized) model from `model.to_json()`'s output."""
    if not isinstance(json_string, (str, bytes)):
        raise TypeError(f"`json_string` must be a str (from `model.to_json()`), got {type(json_string).__name__}.")
    config = saving_lib.parse_config(json_string, "`json_string`")
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError("`json_string` does not describe a model: it has no 'class_name'.")
    return serialization_lib.deserialize_keras_object(config, custom_objects=custom_objects)


def clone_model(model, input_tensors=None, clone_function=None, call_function=None, recursive=False, **kwargs):
    """A new model with the same architecture as `model` and newly initialized weights, compiled
    as `model` is (with a fresh optimizer).

    Args:
        model: a `Sequential` (or a subclassed model with `get_config`/`from_config`).
        clone_function: for a Sequential, called on each layer to make its copy
            (default: `layer.__class__.from_config(layer.get_config())`).

    Example:
        >>> import nanokeras as keras
        >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        >>> clone = keras.models.clone_model(model)
        >>> clone.layers[0] is model.layers[0]
        False
    """
    if kwargs:
        raise TypeError(f"clone_model() got unexpected keyword argument(s): {', '.join(sorted(kwargs))}.")
    if input_tensors is not None or call_function is not None:
        raise ValueError("`clone_model` in nanokeras does not take `input_tensors` or `call_function`; "
                         "call the clone on new inputs instead (`keras.Model(inputs, clone(inputs))`).")
    if not is_layer(model):
        raise TypeError(f"`clone_model` expects a keras Model, got {type(model).__name__}.")
    if clone_function is not None and not callable(clone_function):
        raise TypeError(f"`clone_function` must be callable, got {clone_function!r}.")
    if not is_sequential(model):
        if clone_function is not None:
            raise ValueError("`clone_function` applies to Sequential models only.")
        clone = type(model).from_config(model.get_config())
        build_config = model.get_build_config() if model.built else None
        if build_config is not None and not clone.built:
            clone.build_from_config(build_config)  # as Keras's round trip: built, weights to set
        return _compiled_like(model, clone)
    clone_function = clone_function or (lambda layer: layer.__class__.from_config(layer.get_config()))
    sequential_class = builtin_registry.builtin_class("keras", "Sequential")
    clone = sequential_class(name=model.name, trainable=model.trainable)
    if model._input_layer is not None:
        clone.add(model._input_layer.__class__.from_config(model._input_layer.get_config()), rebuild=False)
    for layer in model.layers:
        new = clone_function(layer)
        if not is_layer(new):
            raise ValueError(f"`clone_function` must return a layer, got {new!r} for layer {layer.name!r}.")
        clone.add(new, rebuild=False)
    clone._build_if_input_known()
    return _compiled_like(model, clone)


def _compiled_like(model, clone):
    """`clone`, compiled as `model` is (Keras compiles a clone from the original's compile config)."""
    if not getattr(model, "compiled", False):
        return clone
    try:
        clone.compile_from_config(model.get_compile_config())
    except (TypeError, ValueError) as error:  # e.g. a loss function of the user's, not registered
        import warnings

        warnings.warn(f"The clone of model {model.name!r} is not compiled ({error}); call `compile()` on it.",
                      stacklevel=3)
    return clone
