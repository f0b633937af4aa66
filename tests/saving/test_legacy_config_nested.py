"""Keras 2 configs of layers nested in a model, written by tf.keras 2.13+ with a `module`."""

import pytest

from nanokeras.saving.legacy.legacy_config import from_keras2


def _nested_batch_norm(axis):
    norm = {"module": "keras.layers", "class_name": "BatchNormalization",
            "config": {"name": "norm", "axis": axis, "momentum": 0.99}, "registered_name": None}
    inner = {"module": "keras", "class_name": "Sequential", "config": {"name": "inner", "layers": [norm]}}
    return {"class_name": "Sequential", "config": {"name": "outer", "layers": [inner]}}


def test_a_nested_batch_normalization_gets_its_one_axis_as_an_int():
    converted = from_keras2(_nested_batch_norm([1]))
    norm = converted["config"]["layers"][0]["config"]["layers"][0]
    assert norm["config"]["axis"] == 1


def test_a_nested_batch_normalization_over_two_axes_is_refused_by_name():
    with pytest.raises(ValueError, match=r"'norm' \(BatchNormalization\) normalizes over axes \[1, 2\]"):
        from_keras2(_nested_batch_norm([1, 2]))


def test_a_wrapped_layer_keeps_its_module_when_written_for_keras2():
    import nanokeras as keras
    from nanokeras.saving.legacy.legacy_config import to_keras2

    model = keras.Sequential([keras.Input((5, 3)), keras.layers.Bidirectional(keras.layers.LSTM(2)),
                              keras.layers.RepeatVector(2), keras.layers.TimeDistributed(keras.layers.Dense(1))])
    written = to_keras2(keras.saving.serialize_keras_object(model))
    bidirectional, _, time_distributed = [layer["config"] for layer in written["config"]["layers"][1:]]
    assert bidirectional["layer"]["module"] == "keras.layers"
    assert time_distributed["layer"]["module"] == "keras.layers"
    assert "module" not in written["config"]["layers"][1]  # a model's own layers: Keras 2's form


def test_keras3_only_options_of_one_class_are_dropped_at_their_default_for_keras2():
    import nanokeras as keras
    from nanokeras.saving.legacy.legacy_config import to_keras2

    L = keras.layers
    model = keras.Sequential([keras.Input((4, 5, 5, 1)), L.ConvLSTM2D(2, 3), L.Reshape((9, 2)), L.ZeroPadding1D(1),
                              L.LayerNormalization()])
    configs = [layer["config"] for layer in to_keras2(keras.saving.serialize_keras_object(model))["config"]["layers"][1:]]
    conv_lstm, _, padding, norm = configs
    assert "seed" not in conv_lstm and "data_format" in conv_lstm
    assert "data_format" not in padding
    assert "rms_scaling" not in norm


def test_a_nested_functional_writes_its_one_input_and_output_as_bare_references():
    import nanokeras as keras
    from nanokeras.saving.legacy.legacy_config import to_keras2

    inputs = keras.Input((4,))
    middle = keras.Model(inputs, keras.layers.Dense(2, name="d")(inputs), name="middle")
    outer_inputs = keras.Input((4,))
    outer = keras.Model(outer_inputs, keras.layers.Dense(1)(middle(outer_inputs)))
    written = to_keras2(keras.saving.serialize_keras_object(outer))
    nested = next(layer for layer in written["config"]["layers"] if layer["class_name"] == "Functional")
    assert nested["config"]["output_layers"] == ["d", 0, 0]
    assert len(nested["config"]["input_layers"]) == 3 and isinstance(nested["config"]["input_layers"][0], str)
    assert isinstance(written["config"]["output_layers"][0], list)  # the outer model: Keras 2's list
