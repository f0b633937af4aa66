"""Reading the padding/cropping arguments of `ZeroPadding*` and `Cropping*` as Keras does."""

import numbers


def _int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def margins(value, rank, argument, layer_name):
    """`((before, after), ...)` per spatial axis from an int, `rank` ints, or `rank` pairs (1-D: a pair).

    Negative values are refused.
    """
    expected = ("an int or a tuple of 2 ints (before, after)" if rank == 1 else
                f"an int, a tuple of {rank} ints, or a tuple of {rank} tuples of 2 ints ((before, after) per axis)")
    error = ValueError(f"{layer_name}: `{argument}` must be {expected}, got {argument}={value!r}.")
    if _int(value):
        result = ((int(value), int(value)),) * rank
    elif rank == 1:
        try:
            pair = tuple(value)
        except TypeError:
            raise error from None
        if len(pair) != 2 or not all(_int(v) for v in pair):
            raise error
        result = ((int(pair[0]), int(pair[1])),)
    else:
        try:
            entries = tuple(value)
        except TypeError:
            raise error from None
        if len(entries) != rank:
            raise error
        result = []
        for entry in entries:
            if _int(entry):
                result.append((int(entry), int(entry)))
                continue
            try:
                pair = tuple(entry)
            except TypeError:
                raise error from None
            if len(pair) != 2 or not all(_int(v) for v in pair):
                raise error
            result.append((int(pair[0]), int(pair[1])))
        result = tuple(result)
    if any(v < 0 for pair in result for v in pair):
        raise ValueError(f"{layer_name}: `{argument}` cannot be negative, got {argument}={value!r}.")
    return result


def as_config(margins_value):
    """The config form: a pair for 1-D, a tuple of pairs otherwise."""
    return margins_value[0] if len(margins_value) == 1 else margins_value
