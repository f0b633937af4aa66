"""`keras.tree`: walking nested structures (lists, tuples, namedtuples, deques, dicts) of leaves.

Dict values are visited in sorted key order, as Keras's `tree` does, so a
structure and its flat list always line up the same way.

Example:
    >>> from nanokeras import tree
    >>> tree.flatten({"b": [1, 2], "a": 3})
    [3, 1, 2]
    >>> tree.map_structure(lambda x: x * 10, (1, [2, 3]))
    (10, [20, 30])
"""

from nanokeras.tree.tree_api import (
    MAP_TO_NONE,
    assert_same_paths,
    assert_same_structure,
    flatten,
    flatten_with_path,
    is_nested,
    lists_to_tuples,
    map_shape_structure,
    map_structure,
    map_structure_up_to,
    pack_sequence_as,
    traverse,
)

__all__ = [
    "MAP_TO_NONE", "assert_same_paths", "assert_same_structure", "flatten", "flatten_with_path", "is_nested",
    "lists_to_tuples", "map_shape_structure", "map_structure", "map_structure_up_to", "pack_sequence_as",
    "traverse",
]
