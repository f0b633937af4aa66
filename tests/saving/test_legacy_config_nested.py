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
