"""What an object is, judged by what it can do.

Saving sits below layers, models and optimizers, so it never imports their
classes: a layer is an object with `add_weight` and `get_config`, a model is a
layer that can `compile` and `fit`, and so on.
"""


def _has(obj, names):
    cls = type(obj)
    return all(hasattr(cls, name) for name in names)


def is_layer(obj):
    return _has(obj, ("add_weight", "get_config", "trainable_weights")) and not isinstance(obj, type)


def is_model(obj):
    return is_layer(obj) and _has(obj, ("compile", "fit"))


def is_sequential(obj):
    return is_model(obj) and _has(obj, ("add", "pop"))


def is_functional(obj):
    return is_model(obj) and "_nodes_by_depth" in vars(obj)


def is_optimizer(obj):
    return _has(obj, ("apply_gradients", "build", "variables")) and not isinstance(obj, type)


def is_saveable(obj):
    """Layers, models and optimizers: the objects that own saved variables."""
    return is_layer(obj) or is_optimizer(obj)
