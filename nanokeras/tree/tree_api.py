"""Nested structures of leaves: what is a node, in which order its children come, how it is rebuilt.

Nodes are lists, tuples, namedtuples, `collections.deque`s and dicts (with
`OrderedDict` and `defaultdict`); everything else, `None` included, is a leaf.
A dict's children come in sorted key order (an `OrderedDict`'s in its own
order), so a structure and its flat list always line up the same way; a
rebuilt dict keeps the key order of the structure it was built from.
These are the rules of `keras.tree` (optree's, on the JAX backend).
"""

import collections
import warnings

_deque = collections.deque
_OrderedDict = collections.OrderedDict
_defaultdict = collections.defaultdict


class MAP_TO_NONE:
    """Returned by the function given to `traverse` to replace a sub-structure with `None`."""


def is_nested(structure):
    """True for a list, tuple, namedtuple, deque or dict (a node `flatten` looks inside).

    Example:
        >>> is_nested({"a": 1}), is_nested(1), is_nested(None)
        (True, False, False)
    """
    return isinstance(structure, (list, tuple, dict, _deque))


def _keys(mapping):
    """A dict's keys in flattening order: sorted, or as stored for an OrderedDict (and unsortable keys)."""
    if isinstance(mapping, _OrderedDict):
        return list(mapping)
    try:
        return sorted(mapping)
    except TypeError:
        return list(mapping)


def _children(node):
    """(keys, children) of a node, in flattening order; keys are indices for sequences."""
    if isinstance(node, dict):
        keys = _keys(node)
        return keys, [node[k] for k in keys]
    return range(len(node)), list(node)


def _rebuild(node, children):
    """A node of the same kind as `node`, holding `children` (given in flattening order)."""
    if isinstance(node, list):
        return list(children)
    if isinstance(node, tuple):
        return type(node)(*children) if hasattr(type(node), "_fields") else type(node)(children)
    if isinstance(node, _deque):
        return _deque(children, maxlen=node.maxlen)
    by_key = dict(zip(_keys(node), children))
    pairs = [(k, by_key[k]) for k in node]  # the original key order
    if isinstance(node, _defaultdict):
        return _defaultdict(node.default_factory, pairs)
    if type(node) is dict:
        return dict(pairs)
    return type(node)(pairs)


def _flatten_into(structure, out):
    kind = type(structure)
    if kind is list or kind is tuple:
        for item in structure:
            if type(item) in _FAST_LEAVES:
                out.append(item)
            else:
                _flatten_into(item, out)
    elif isinstance(structure, dict):
        for key in _keys(structure):
            _flatten_into(structure[key], out)
    elif isinstance(structure, (list, tuple, _deque)):
        for item in structure:
            _flatten_into(item, out)
    else:
        out.append(structure)


# Leaves recognised by their exact type, without the isinstance checks (the common case in ops).
_FAST_LEAVES = frozenset({int, float, bool, str, type(None)})


def flatten(structure):
    """The leaves of a nested structure, depth first (dict values in sorted key order).

    Example:
        >>> flatten({"b": [1, 2], "a": 3})
        [3, 1, 2]
        >>> flatten(None)
        [None]
    """
    out = []
    _flatten_into(structure, out)
    return out


def flatten_with_path(structure):
    """`(path, leaf)` pairs, in `flatten` order; a path is the tuple of indices and keys leading to the leaf.

    Example:
        >>> flatten_with_path([{"foo": 42}])
        [((0, 'foo'), 42)]
    """
    out = []

    def visit(node, path):
        if not is_nested(node):
            out.append((path, node))
            return
        keys, children = _children(node)
        for key, child in zip(keys, children):
            visit(child, path + (key,))

    visit(structure, ())
    return out


def pack_sequence_as(structure, flat_sequence):
    """`structure` rebuilt with the leaves of `flat_sequence`, taken in `flatten` order.

    Example:
        >>> pack_sequence_as({"key3": "", "key1": ""}, ["value1", "value3"])
        {'key3': 'value3', 'key1': 'value1'}
    """
    try:
        leaves = list(flat_sequence)
    except TypeError:
        raise TypeError(
            f"`flat_sequence` must be a sequence of leaves (e.g. a list), got {type(flat_sequence).__name__}."
        ) from None
    position = 0

    def build(node):
        nonlocal position
        if not is_nested(node):
            if position >= len(leaves):
                raise ValueError(
                    f"`flat_sequence` has too few leaves ({len(leaves)}) for the structure "
                    f"{_short(structure)}, which has {len(flatten(structure))}."
                )
            position += 1
            return leaves[position - 1]
        return _rebuild(node, [build(child) for child in _children(node)[1]])

    packed = build(structure)
    if position != len(leaves):
        raise ValueError(
            f"`flat_sequence` has too many leaves ({len(leaves)}) for the structure {_short(structure)}, "
            f"which has {position}."
        )
    return packed


def _short(structure, limit=120):
    text = repr(structure)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _same_kind(a, b):
    """Whether two nodes match: dicts of any kind with the same keys, else the same type and length."""
    if isinstance(a, dict) or isinstance(b, dict):
        if not (isinstance(a, dict) and isinstance(b, dict)):
            return f"expected a dict, got {_short(b)}" if isinstance(a, dict) else f"expected {type(a).__name__}, got a dict"
        if set(a) != set(b):
            return f"dict keys differ: {sorted(map(repr, a))} and {sorted(map(repr, b))}"
        return None
    if type(a) is not type(b):
        return f"expected an instance of {type(a).__name__}, got {_short(b)}"
    if len(a) != len(b):
        return f"{type(a).__name__} lengths differ: {len(a)} and {len(b)}"
    return None


def _structure_error(a, b, reason):
    return ValueError(
        f"The two structures don't have the same nested structure: {reason}.\n"
        f"First structure: {_short(a)}\nSecond structure: {_short(b)}"
    )


def _check_same(a, b, none_is_leaf=True, top=None):
    """Raises a ValueError unless `a` and `b` are nested the same way."""
    top = (a, b) if top is None else top
    if not none_is_leaf and (a is None or b is None):
        if a is not b:
            raise _structure_error(*top, f"expected None, got {_short(b if a is None else a)}")
        return
    nested_a, nested_b = is_nested(a), is_nested(b)
    if nested_a != nested_b:
        reason = f"{_short(a)} is nested and {_short(b)} is not" if nested_a else \
            f"{_short(a)} is a leaf and {_short(b)} is nested"
        raise _structure_error(*top, reason)
    if not nested_a:
        return
    reason = _same_kind(a, b)
    if reason:
        raise _structure_error(*top, reason)
    if isinstance(a, dict):
        for key in _keys(a):
            _check_same(a[key], b[key], none_is_leaf, top)
    else:
        for x, y in zip(a, b):
            _check_same(x, y, none_is_leaf, top)


def assert_same_structure(a, b, check_types=None):
    """Raises a ValueError unless `a` and `b` are nested the same way.

    Node types must match (a list is not a tuple, two namedtuple classes differ),
    except that `dict`, `OrderedDict` and `defaultdict` match when their keys do.
    Leaves may differ. `check_types` is deprecated and has no effect (as in Keras).

    Example:
        >>> assert_same_structure([(0, 1)], [(2, 3)])
    """
    if check_types is not None:
        warnings.warn(
            "The `check_types` argument is deprecated and no longer has any effect; for a looser check use "
            "`keras.tree.assert_same_paths()`.", DeprecationWarning, stacklevel=2,
        )
    _check_same(a, b)


def assert_same_paths(a, b):
    """Raises a ValueError unless `a` and `b` have the same leaf paths (node types may differ).

    Example:
        >>> assert_same_paths([0, 1], (2, 3))
    """
    a_paths = {path for path, _ in flatten_with_path(a)}
    b_paths = {path for path, _ in flatten_with_path(b)}
    if a_paths != b_paths:
        message = "`a` and `b` don't have the same paths."
        if a_paths - b_paths:
            message += f"\nPaths in `a` missing in `b`:\n{a_paths - b_paths}"
        if b_paths - a_paths:
            message += f"\nPaths in `b` missing in `a`:\n{b_paths - a_paths}"
        raise ValueError(message)


def map_structure(func, *structures, none_is_leaf=True):
    """`func` applied to the leaves of `structures` (nested the same way), in their structure.

    With `none_is_leaf=False`, a `None` is kept as is (every structure must have
    `None` there) and `func` is not called on it.

    Example:
        >>> map_structure(lambda x: x * 10, (1, [2, 3]))
        (10, [20, 30])
        >>> map_structure(lambda x, y: x + y, {"a": 1}, {"a": 2})
        {'a': 3}
    """
    if not structures:
        raise ValueError("`map_structure` needs at least one structure to map `func` over.")
    if not callable(func):
        raise TypeError(f"`func` must be callable, got {type(func).__name__}.")
    first = structures[0]
    for other in structures[1:]:
        _check_same(first, other, none_is_leaf)

    def apply(nodes):
        node = nodes[0]
        if node is None and not none_is_leaf:
            return None
        if not is_nested(node):
            return func(*nodes)
        if isinstance(node, dict):
            keys = _keys(node)
            return _rebuild(node, [apply([n[k] for n in nodes]) for k in keys])
        return _rebuild(node, [apply(group) for group in zip(*nodes)])

    return apply(structures)


def map_structure_up_to(shallow_structure, func, *structures):
    """Like `map_structure`, but only down to the leaves of `shallow_structure`: `func`
    receives the (possibly nested) sub-structures of `structures` found there.

    Example:
        >>> map_structure_up_to([None, None], len, [[1, 1], [2, 2, 2]])
        [2, 3]
        >>> map_structure_up_to([None, [None, None]], str, [[1, 1], [2, 2]])
        ['[1, 1]', ['2', '2']]
    """
    if not structures:
        raise ValueError("`map_structure_up_to` needs at least one structure to map `func` over.")

    def apply(shallow, nodes):
        if not is_nested(shallow):
            return func(*nodes)
        for node in nodes:
            reason = _same_kind(shallow, node) if is_nested(node) else f"expected {_short(shallow)}, got {_short(node)}"
            if reason:
                raise _structure_error(shallow_structure, node, reason)
        if isinstance(shallow, dict):
            keys = _keys(shallow)
            return _rebuild(shallow, [apply(shallow[k], [n[k] for n in nodes]) for k in keys])
        return _rebuild(shallow, [apply(s, group) for s, *group in zip(shallow, *nodes)])

    return apply(shallow_structure, structures)


def traverse(func, structure, top_down=True):
    """Calls `func` on every sub-structure (nodes and leaves), depth first; returns the structure rebuilt.

    Top-down, a non-None result replaces that sub-structure and stops the descent
    into it; bottom-up, children are visited first and a non-None result replaces
    the (already traversed) sub-structure. Return `MAP_TO_NONE` to put `None` there.

    Example:
        >>> visited = []
        >>> traverse(visited.append, [(1, 2), [3]])
        [(1, 2), [3]]
        >>> visited
        [[(1, 2), [3]], (1, 2), 1, 2, [3], 3]
    """
    if not callable(func):
        raise TypeError(f"`func` must be callable, got {type(func).__name__}.")

    def children_traversed(node):
        if not is_nested(node):
            return node
        return _rebuild(node, [visit(child) for child in _children(node)[1]])

    def visit(node):
        if top_down:
            result = func(node)
            if result is None:
                return children_traversed(node)
        else:
            node = children_traversed(node)
            result = func(node)
            if result is None:
                return node
        return None if result is MAP_TO_NONE else result

    return visit(structure)


def lists_to_tuples(structure):
    """`structure` with every list turned into a tuple.

    Example:
        >>> lists_to_tuples([1, [2, {"a": [3]}]])
        (1, (2, {'a': (3,)}))
    """
    return traverse(lambda node: tuple(node) if isinstance(node, list) else None, structure, top_down=False)


def _is_shape(x):
    return isinstance(x, (list, tuple)) and all(isinstance(d, int) or d is None for d in x)


def map_shape_structure(func, structure):
    """`func` applied to each shape (a list or tuple of ints and Nones) and other leaf of `structure`.

    Example:
        >>> map_shape_structure(len, {"a": (None, 3), "b": [(2,), (4, 5, 6)]})
        {'a': 2, 'b': [1, 3]}
    """

    def apply(node):
        if _is_shape(node) or not is_nested(node):
            return func(node)
        return _rebuild(node, [apply(child) for child in _children(node)[1]])

    return apply(structure)
