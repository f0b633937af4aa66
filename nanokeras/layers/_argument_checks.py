"""Construction-time argument checks shared by the layers (clear errors, no numpy messages)."""

import numbers

import numpy as np


def check_float_in_range(layer_name, argument, value, low, high, high_inclusive=True):
    """`value` as a float in `[low, high]` (or `[low, high)`), else a ValueError naming `argument`."""
    bracket = "]" if high_inclusive else ")"
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or np.isnan(value):
        raise ValueError(
            f"{layer_name}: `{argument}` must be a float in [{low}, {high}{bracket}, "
            f"got {value!r} ({type(value).__name__})."
        )
    if value < low or value > high or (value == high and not high_inclusive):
        raise ValueError(f"{layer_name}: `{argument}` must be in [{low}, {high}{bracket}, got {argument}={value}.")
    return value


def check_noise_shape(layer_name, noise_shape):
    """`noise_shape` as a tuple of positive ints or None entries (None stays None)."""
    if noise_shape is None:
        return None
    if isinstance(noise_shape, str) or not hasattr(noise_shape, "__iter__"):
        raise ValueError(
            f"{layer_name}: `noise_shape` must be a tuple of positive ints (or None entries), "
            f"got {noise_shape!r}."
        )
    noise_shape = tuple(noise_shape)
    for i, dim in enumerate(noise_shape):
        if dim is None:
            continue
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or dim <= 0:
            raise ValueError(
                f"{layer_name}: `noise_shape` entries must be positive ints or None, "
                f"got {dim!r} at index {i} in noise_shape={noise_shape}."
            )
    return tuple(None if d is None else int(d) for d in noise_shape)


def check_seed(layer_name, seed):
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
        raise ValueError(f"{layer_name}: `seed` must be an int or None, got {seed!r}.")
    return None if seed is None else int(seed)


def check_axis_list(layer_name, axis):
    """An int axis stays an int; a list/tuple of ints becomes a list (as Keras stores it)."""
    if isinstance(axis, (list, tuple)):
        if not all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in axis):
            raise TypeError(f"{layer_name}: `axis` must be an int or a list/tuple of ints, got {axis!r}.")
        return [int(a) for a in axis]
    if isinstance(axis, (int, np.integer)) and not isinstance(axis, bool):
        return int(axis)
    raise TypeError(f"{layer_name}: `axis` must be an int or a list/tuple of ints, got {axis!r}.")


def check_axes_in_rank(layer_name, axes, input_shape):
    rank = len(input_shape)
    for a in [axes] if isinstance(axes, int) else axes:
        if a >= rank or a < -rank:
            raise ValueError(
                f"{layer_name}: axis {a} is out of bounds for input shape {tuple(input_shape)} "
                f"(rank {rank}). Received: axis={axes}."
            )


def check_choice(layer_name, argument, value, choices):
    if value not in choices:
        raise ValueError(
            f"{layer_name}: `{argument}` must be one of {', '.join(repr(c) for c in choices)}, got {value!r}."
        )
    return value


def serialize_optional(obj):
    """A config entry for an optional regularizer/constraint object (None stays None).

    Written as Keras writes it (with `module` and `registered_name`), so that Keras reads a
    registered custom regularizer back and the config compares equal to Keras's."""
    if obj is None or isinstance(obj, str):
        return obj
    if hasattr(obj, "get_config"):
        from nanokeras.saving.serialization_lib import serialize_keras_object

        return serialize_keras_object(obj)
    return obj
