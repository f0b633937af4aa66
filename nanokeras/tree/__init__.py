"""`keras.tree`: walking nested structures (lists, tuples, dicts) of leaves.

Dict values are visited in sorted key order, as Keras's `tree` does, so a
structure and its flat list always line up the same way.

Example:
    >>> from nanokeras import tree
    >>> tree.flatten({"b": [1, 2], "a": 3})
    [3, 1, 2]
    >>> tree.map_structure(lambda x: x * 10, (1, [2, 3]))
    (10, [20, 30])
"""

__all__ = ["flatten", "is_nested", "map_structure", "pack_sequence_as"]


def is_nested(structure):
    """True for a list, tuple or dict (something `flatten` looks inside)."""
    return isinstance(structure, (list, tuple, dict))


def flatten(structure):
    """The leaves of nested lists/tuples/dicts, depth first (dict values in sorted key order)."""
    if isinstance(structure, (list, tuple)):
        out = []
        for item in structure:
            out.extend(flatten(item))
        return out
    if isinstance(structure, dict):
        out = []
        for key in sorted(structure):
            out.extend(flatten(structure[key]))
        return out
    return [structure]


def pack_sequence_as(structure, flat_sequence):
    """Rebuilds `structure` with the leaves of `flat_sequence`, in `flatten` order."""
    iterator = iter(flat_sequence)

    def build(s):
        if isinstance(s, (list, tuple)):
            items = [build(x) for x in s]
            return type(s)(items) if not hasattr(s, "_fields") else type(s)(*items)
        if isinstance(s, dict):
            values = {key: build(s[key]) for key in sorted(s)}
            return {key: values[key] for key in s}
        return next(iterator)

    return build(structure)


def map_structure(fn, structure):
    """`structure` with `fn` applied to each leaf."""
    return pack_sequence_as(structure, [fn(x) for x in flatten(structure)])
