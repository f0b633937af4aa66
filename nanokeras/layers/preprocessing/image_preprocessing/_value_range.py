"""Moving image values between ranges, as Keras's color layers do (they work in `(0, 255)`)."""

import numpy as np


def check_value_range(layer_name, value_range):
    """`value_range` as a sorted pair of numbers, or a ValueError naming the layer."""
    if (not isinstance(value_range, (tuple, list)) or len(value_range) != 2
            or not all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
                       for v in value_range)):
        raise ValueError(f"{layer_name}: the `value_range` argument should be a list of two numbers, "
                         f"e.g. (0, 255) or (0, 1). Received: value_range={value_range!r}")
    return sorted(value_range)


def rescale(images, original, target, dtype):
    """`images` from range `original` to range `target` (Keras's order of float operations), and
    the derivative of that map (a number)."""
    if original[0] == target[0] and original[1] == target[1]:
        return images, 1.0
    low, high = dtype.type(original[0]), dtype.type(original[1])
    new_low, new_high = dtype.type(target[0]), dtype.type(target[1])
    unit = (images - low) / (high - low)
    return unit * (new_high - new_low) + new_low, float(new_high - new_low) / float(high - low)
