import numpy as np
import pytest

import nanokeras as keras


def test_layers_exclude_input_and_build_when_shape_known():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3), keras.layers.Dense(1)])
    assert [l.name for l in model.layers] == ["dense", "dense_1"]
    assert model.built and model.output_shape == (None, 1) and model.count_params() == 13


def test_deferred_build_on_first_call_returns_numpy():
    model = keras.Sequential([keras.layers.Dense(4, activation="relu"), keras.layers.Dense(2)])
    assert not model.built
    out = model(np.ones((5, 3)))
    assert isinstance(out, np.ndarray) and out.shape == (5, 2) and out.dtype == np.float32
    assert model.built and model.weights[0].shape == (3, 4)


def test_add_pop_and_input_shape_kwarg():
    model = keras.Sequential()
    model.add(keras.layers.Dense(1, input_shape=(2,), activation="sigmoid"))
    model.add(keras.layers.Dense(3))
    assert model.output_shape == (None, 3)
    popped = model.pop()
    assert popped.units == 3 and model.output_shape == (None, 1)


def test_add_rejects_non_layers_and_duplicate_names():
    model = keras.Sequential()
    with pytest.raises(TypeError, match="layer instance"):
        model.add("dense")
    model.add(keras.layers.Dense(1, name="a"))
    with pytest.raises(ValueError, match="unique names"):
        model.add(keras.layers.Dense(1, name="a"))


def test_summary_matches_keras_layout():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    lines = []
    model.summary(line_length=76, print_fn=lines.append)
    text = lines[0]
    assert text.splitlines()[0] == 'Model: "sequential"'
    assert "│ dense (Dense)                   │ (None, 1)              │             3 │" in text
    assert " Total params: 3 (12.00 B)" in text


def test_unbuilt_summary_shows_question_marks():
    model = keras.Sequential([keras.layers.Dense(5)])
    lines = []
    model.summary(print_fn=lines.append, line_length=80)
    assert "0 (unbuilt) │" in lines[0] and " ? " in lines[0]


@pytest.mark.parametrize("columns, expected_width", [("80", 80), ("100", 100), ("200", 120)])
def test_summary_is_cut_at_the_console_width(monkeypatch, columns, expected_width):
    monkeypatch.setenv("COLUMNS", columns)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    lines = []
    model.summary(line_length=120, print_fn=lines.append)
    table = [line for line in lines[0].splitlines() if line[:1] in "┏┃┡│├└"]
    assert {len(line) for line in table} == {expected_width}
    assert lines[0].splitlines()[0] == 'Model: "sequential"'  # text lines are not cut


def test_building_a_sequential_takes_a_functional_name_as_keras_does():
    keras.backend.clear_session()
    keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])  # built once
    unbuilt = keras.Sequential([keras.layers.Dense(1)])
    x = keras.Input((2,))
    assert keras.Model(x, keras.layers.Dense(1)(x)).name == "functional_1"
    unbuilt.build((None, 2))
    assert keras.Model(x, keras.layers.Dense(1)(x)).name == "functional_3"


def test_a_model_with_a_known_input_first_builds_the_stack():
    # Transfer learning's shape: a frozen base model, then a new head.
    base = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8)])
    base.trainable = False
    top = keras.Sequential([base, keras.layers.Dense(1)])
    assert top.built and top.layers[1].built
    assert tuple(top.output_shape) == (None, 1)
    assert len(top.trainable_weights) == 2 and len(top.non_trainable_weights) == 2
    inputs = keras.Input((3,))
    functional = keras.Model(inputs, keras.layers.Dense(5)(inputs))
    added = keras.Sequential()
    added.add(functional)
    added.add(keras.layers.Dense(2))
    assert added.built and tuple(added.output_shape) == (None, 2)
    # A model with two inputs cannot start a stack: it stays unbuilt until called.
    a, b = keras.Input((2,)), keras.Input((2,))
    two = keras.Model([a, b], keras.layers.Add()([a, b]))
    assert not keras.Sequential([two, keras.layers.Dense(1)]).built
