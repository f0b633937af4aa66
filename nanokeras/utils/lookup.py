"""One place that turns a string identifier into an object, or explains why it can't.

Example:
    >>> from nanokeras.utils.lookup import lookup
    >>> lookup("relu", {"relu": 1, "elu": 2}, kind="activation")
    1
    >>> lookup("rleu", {"relu": 1, "elu": 2}, kind="activation")
    Traceback (most recent call last):
    ...
    ValueError: Unknown activation: 'rleu'. Did you mean 'relu'? Known activations: 'elu', 'relu'.
"""

import difflib


def closest_names(name, known, count=1):
    """The names in `known` that look most like `name` (case-insensitive)."""
    lowered = {k.lower(): k for k in known}
    matches = difflib.get_close_matches(str(name).lower(), list(lowered), n=count, cutoff=0.6)
    return [lowered[m] for m in matches]


def unknown_identifier_error(name, known, kind, argument=None):
    """A `ValueError` naming what was asked for, the closest known name, and all known names."""
    where = f" (argument `{argument}`)" if argument else ""
    message = f"Unknown {kind}{where}: {name!r}."
    suggestions = closest_names(name, known)
    if suggestions:
        message += f" Did you mean {suggestions[0]!r}?"
    listing = ", ".join(repr(k) for k in sorted(known))
    message += f" Known {kind}s: {listing}."
    return ValueError(message)


def lookup(name, registry, kind, argument=None):
    """`registry[name]`, or a `ValueError` suggesting the closest known name."""
    try:
        return registry[name]
    except (KeyError, TypeError):
        raise unknown_identifier_error(name, registry, kind, argument) from None
