"""`model.summary(layer_range=[first, last])`: only the rows from `first` to `last` (as Keras)."""

import numpy as np  # noqa: F401
import pytest

import nanokeras as keras


def _text(model, **kwargs):
    lines = []
    model.summary(print_fn=lines.append, line_length=80, **kwargs)
    return lines[0]


def _names(text):
    return [line.split("│")[1].split("(")[0].strip() for line in text.splitlines()
            if line.startswith("│") and "(" in line.split("│")[1]]


def _graph():
    inputs = keras.Input((4,), name="inp")
    a = keras.layers.Dense(3, name="a")(inputs)
    b = keras.layers.Dense(3, name="b")(a)
    return keras.Model(inputs, keras.layers.Add(name="add")([a, b]))


def _chain():
    inner = keras.Sequential([keras.layers.Dense(2, name="in1"), keras.layers.Dense(2, name="in2")], name="inner")
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, name="dense"),
                             keras.layers.Dense(2, name="dense_1"), inner, keras.layers.Dense(1, name="last")])


def test_only_the_range_is_listed_and_totals_stay():
    model = _graph()
    whole, part = _text(model), _text(model, layer_range=["a", "b"])
    assert _names(whole) == ["inp", "a", "b", "add"]
    assert _names(part) == ["a", "b"]
    assert part.splitlines()[-3:] == whole.splitlines()[-3:]  # the parameter totals
    assert _names(_text(model, layer_range=["b", "a"])) == ["b", "add"]  # "a" also matches "add"
    assert _names(_text(model, layer_range=["b", "a$"])) == ["a", "b"]  # reversed: from "a" to "b"
    assert _names(_text(model, layer_range=("b", "add"))) == ["b", "add"]


def test_names_are_regular_expressions_matched_at_the_start():
    model = _chain()
    assert _names(_text(model, layer_range=["dense", "dense"])) == ["dense", "dense_1"]
    assert _names(_text(model, layer_range=["dense$", "dense$"])) == ["dense"]
    assert _names(_text(model, layer_range=["d.*_1", "l"])) == ["dense_1", "inner", "last"]


def test_nested_rows_follow_their_layer():
    model = _chain()
    rows = _names(_text(model, layer_range=["inner", "inner"], expand_nested=True))
    assert rows == ["inner", "└ in1", "└ in2"]
    text = _text(model, layer_range=["inner", "last"], show_trainable=True)
    assert _names(text) == ["inner", "last"] and "Trainable" in text


@pytest.mark.parametrize("layer_range, error, match", [
    (["zz", "a"], ValueError, "does not match"),
    (["in1", "in2"], ValueError, "does not match"),
    (["a"], ValueError, "length 1"),
    ([1, "a"], ValueError, "two strings"),
    (5, TypeError, "list or tuple"),
])
def test_bad_ranges(layer_range, error, match):
    model = _graph() if "a" in str(layer_range) or layer_range == 5 else _chain()
    with pytest.raises(error, match=match):
        model.summary(layer_range=layer_range)
