"""`keras.tree`: node kinds, orders, rebuilding, structure checks and their errors."""

import collections

import numpy as np
import pytest

from nanokeras import tree

Point = collections.namedtuple("Point", "y x")


def test_dicts_flatten_in_sorted_key_order_and_rebuild_in_their_own_order():
    structure = {"b": 1, "a": [2, 3]}
    assert tree.flatten(structure) == [2, 3, 1]
    packed = tree.pack_sequence_as(structure, [10, 20, 30])
    assert packed == {"b": 30, "a": [10, 20]} and list(packed) == ["b", "a"]


def test_ordered_dicts_keep_their_order_and_defaultdicts_their_factory():
    ordered = collections.OrderedDict([("b", 1), ("a", 2)])
    assert tree.flatten(ordered) == [1, 2]
    assert type(tree.map_structure(str, ordered)) is collections.OrderedDict
    counts = collections.defaultdict(list, {"b": 1, "a": 2})
    mapped = tree.map_structure(lambda v: v * 2, counts)
    assert isinstance(mapped, collections.defaultdict) and mapped.default_factory is list
    assert dict(mapped) == {"b": 2, "a": 4}


def test_namedtuples_and_deques_are_nodes_rebuilt_as_themselves():
    assert tree.map_structure(lambda v: v + 1, Point(1, 2)) == Point(2, 3)
    queue = tree.pack_sequence_as(collections.deque([0, [0]], maxlen=5), [7, 8])
    assert queue == collections.deque([7, [8]]) and queue.maxlen == 5


def test_none_strings_arrays_and_sets_are_leaves():
    array = np.ones(2)
    assert tree.flatten([None, "ab", {1, 2}, array])[:3] == [None, "ab", {1, 2}]
    assert not any(tree.is_nested(x) for x in (None, "ab", {1, 2}, array, 3))


def test_paths_name_indices_and_keys():
    structure = {"a": [1, {"c": 2}], "b": collections.OrderedDict([("z", 3), ("y", 4)])}
    assert tree.flatten_with_path(structure) == [
        (("a", 0), 1), (("a", 1, "c"), 2), (("b", "z"), 3), (("b", "y"), 4)]


def test_map_structure_over_several_structures_checks_they_match():
    assert tree.map_structure(lambda a, b: a + b, [1, (2,)], [10, (20,)]) == [11, (22,)]
    with pytest.raises(ValueError, match="same nested structure"):
        tree.map_structure(lambda a, b: a, [1, 2], (1, 2))
    with pytest.raises(ValueError, match="keys differ"):
        tree.map_structure(lambda a, b: a, {"a": 1}, {"b": 1})
    with pytest.raises(ValueError, match="lengths differ"):
        tree.map_structure(lambda a, b: a, [1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="at least one structure"):
        tree.map_structure(lambda: 1)


def test_map_structure_keeps_nones_when_they_are_not_leaves():
    assert tree.map_structure(lambda a, b: a + b, [1, None], [3, None], none_is_leaf=False) == [4, None]
    assert tree.map_structure(lambda a: (a,), [1, None]) == [(1,), (None,)]
    with pytest.raises(ValueError, match="expected None"):
        tree.map_structure(lambda a, b: a, [None], [[1]], none_is_leaf=False)


def test_map_structure_up_to_stops_at_the_shallow_leaves():
    assert tree.map_structure_up_to([None, None], len, [[1, 1], [2, 2, 2]]) == [2, 3]
    assert tree.map_structure_up_to({"a": 0, "b": 0}, lambda x, y: (x, y), {"a": [1], "b": 2}, {"a": 3, "b": [4]}) \
        == {"a": ([1], 3), "b": (2, [4])}
    with pytest.raises(ValueError, match="same nested structure"):
        tree.map_structure_up_to([0, [0, 0]], str, [[1, 1], 2])


def test_assert_same_structure_and_paths():
    tree.assert_same_structure(collections.OrderedDict([("a", 1), ("b", 2)]), {"b": 1, "a": 2})
    with pytest.raises(ValueError, match="Point"):
        tree.assert_same_structure(Point(1, 2), (1, 2))
    tree.assert_same_paths(Point(1, 2), [3, 4])
    with pytest.raises(ValueError, match=r"Paths in `a` missing in `b`:\n\{\('a',\)\}"):
        tree.assert_same_paths({"a": 1}, {"b": 1})
    with pytest.warns(DeprecationWarning, match="check_types"):
        tree.assert_same_structure([1], [2], check_types=True)


def test_pack_sequence_as_counts_leaves():
    with pytest.raises(ValueError, match="too few leaves"):
        tree.pack_sequence_as([1, 2], [1])
    with pytest.raises(ValueError, match="too many leaves"):
        tree.pack_sequence_as(1, [1, 2])
    with pytest.raises(TypeError, match="flat_sequence"):
        tree.pack_sequence_as([1, 2], 5)
    assert tree.pack_sequence_as(1, [5]) == 5


def test_traverse_top_down_and_bottom_up():
    visited = []
    assert tree.traverse(visited.append, [(1, 2), [3], {"b": 5, "a": 4}], top_down=False) == [(1, 2), [3], {"b": 5, "a": 4}]
    assert visited == [1, 2, (1, 2), 3, [3], 4, 5, {"b": 5, "a": 4}, [(1, 2), [3], {"b": 5, "a": 4}]]
    assert tree.traverse(lambda x: tree.MAP_TO_NONE if x == 2 else None, [1, 2, [2]]) == [1, None, [None]]
    # top-down: a replaced sub-structure is not entered
    assert tree.traverse(lambda x: "seen" if isinstance(x, list) and len(x) == 1 else None, [1, [2, [3]]]) == [1, [2, "seen"]]
    with pytest.raises(TypeError, match="callable"):
        tree.traverse(3, [1])


def test_lists_to_tuples_and_shape_structures():
    assert tree.lists_to_tuples([1, [2, {"a": [3]}]]) == (1, (2, {"a": (3,)}))
    shapes = tree.map_shape_structure(lambda s: ("S", s), {"a": (None, 3), "b": [(2,), [4, None]], "c": 5})
    assert shapes == {"a": ("S", (None, 3)), "b": [("S", (2,)), ("S", [4, None])], "c": ("S", 5)}
