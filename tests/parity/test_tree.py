"""`keras.tree` against real Keras's: the same leaves, paths, rebuilt structures and verdicts."""

import collections

import numpy as np
import pytest

from nanokeras import tree

Point = collections.namedtuple("Point", "y x")

STRUCTURES = [
    1, None, "text", [], {}, (), [[]], [1, [2, 3], (4,)], {"b": 1, "a": [2, 3]},
    collections.OrderedDict([("b", 1), ("a", 2)]), collections.defaultdict(list, {"b": 1, "a": 2}),
    Point(1, [2, 3]), collections.deque([1, [2]]), {1: "a", "x": "b"}, [None, (None,)], {"a": None},
    {"outer": {"c": (1, 2), "a": 3}, "b": [collections.OrderedDict([("z", 4), ("y", 5)])]},
]


def _same(a, b):
    assert type(a) is type(b), (a, b)
    if isinstance(a, dict):
        assert list(a) == list(b)
        for k in a:
            _same(a[k], b[k])
    elif isinstance(a, (list, tuple, collections.deque)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y)
    else:
        assert a == b or (a is None and b is None)


@pytest.mark.parametrize("structure", STRUCTURES, ids=[repr(s)[:30] for s in STRUCTURES])
def test_structures_flatten_pack_and_map_as_in_keras(keras, structure):
    assert tree.is_nested(structure) == keras.tree.is_nested(structure)
    assert tree.flatten(structure) == keras.tree.flatten(structure)
    assert tree.flatten_with_path(structure) == keras.tree.flatten_with_path(structure)
    leaves = list(range(100, 100 + len(keras.tree.flatten(structure))))
    _same(tree.pack_sequence_as(structure, leaves), keras.tree.pack_sequence_as(structure, leaves))
    _same(tree.map_structure(lambda v: (v,), structure), keras.tree.map_structure(lambda v: (v,), structure))
    _same(tree.lists_to_tuples(structure), keras.tree.lists_to_tuples(structure))
    ours, theirs = [], []
    _same(tree.traverse(ours.append, structure), keras.tree.traverse(theirs.append, structure))
    _same(ours, theirs)
    ours, theirs = [], []
    tree.traverse(ours.append, structure, top_down=False)
    keras.tree.traverse(theirs.append, structure, top_down=False)
    _same(ours, theirs)


PAIRS = [
    ([1, 2], (1, 2)), ({"a": 1}, {"b": 1}), ([1, [2]], [1, 2]), ([1, 2], [1, [2]]), (Point(1, 2), (1, 2)),
    (collections.OrderedDict(a=1, b=2), {"b": 1, "a": 2}), ([1, 2], [1, 2, 3]), (None, 1), ([None], [[1]]),
    ({"a": [1, (2,)]}, {"a": [3, (4,)]}), (collections.deque([1]), [1]),
]


def _verdict(fn):
    try:
        return "ok", fn()
    except ValueError:
        return "ValueError", None


@pytest.mark.parametrize("a,b", PAIRS, ids=[f"{a!r}-{b!r}"[:40] for a, b in PAIRS])
def test_structure_checks_agree_with_keras(keras, a, b):
    assert _verdict(lambda: tree.assert_same_structure(a, b))[0] == _verdict(
        lambda: keras.tree.assert_same_structure(a, b))[0]
    assert _verdict(lambda: tree.assert_same_paths(a, b))[0] == _verdict(
        lambda: keras.tree.assert_same_paths(a, b))[0]
    ours = _verdict(lambda: tree.map_structure(lambda x, y: (x, y), a, b))
    theirs = _verdict(lambda: keras.tree.map_structure(lambda x, y: (x, y), a, b))
    assert ours[0] == theirs[0]
    if ours[0] == "ok":
        _same(ours[1], theirs[1])


def test_mapping_with_nones_kept_and_up_to_a_shallow_structure(keras):
    for args in ([[1, None], [3, None]], [{"a": None, "b": 2}, {"a": None, "b": 5}]):
        _same(tree.map_structure(lambda *x: x, *args, none_is_leaf=False),
              keras.tree.map_structure(lambda *x: x, *args, none_is_leaf=False))
    for shallow, structures in ([[0, 0], [[[1, 1], [2, 2]]]], [[0, [0, 0]], [[[1, 1], [2, 2]]]],
                                [{"a": 0, "b": 0}, [{"a": [1], "b": 2}, {"a": 3, "b": [4]}]]):
        _same(tree.map_structure_up_to(shallow, lambda *x: x, *structures),
              keras.tree.map_structure_up_to(shallow, lambda *x: x, *structures))
    shapes = {"a": (None, 3), "b": [(2,), [4, None]], "c": 5, "d": None, "e": []}
    _same(tree.map_shape_structure(lambda s: ("S", s), shapes), keras.tree.map_shape_structure(lambda s: ("S", s), shapes))
    assert np.array_equal(tree.flatten(np.ones(2))[0], keras.tree.flatten(np.ones(2))[0])
