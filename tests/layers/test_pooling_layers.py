"""Pooling layers: shapes, values, configs, masks and errors."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers


@pytest.mark.parametrize("layer,input_shape,output_shape", [
    (lambda: layers.MaxPooling1D(), (2, 9, 3), (2, 4, 3)),
    (lambda: layers.MaxPooling1D(3, 2, padding="same"), (2, 9, 3), (2, 5, 3)),
    (lambda: layers.MaxPooling2D(), (2, 7, 6, 3), (2, 3, 3, 3)),
    (lambda: layers.MaxPooling2D((2, 3), (1, 2), data_format="channels_first"), (2, 3, 7, 6), (2, 3, 6, 2)),
    (lambda: layers.MaxPooling3D(padding="same"), (1, 3, 4, 5, 2), (1, 2, 2, 3, 2)),
    (lambda: layers.AveragePooling1D(2), (2, 9, 3), (2, 4, 3)),
    (lambda: layers.AveragePooling2D(3, padding="same"), (2, 7, 6, 3), (2, 3, 2, 3)),
    (lambda: layers.AveragePooling3D(2, 1), (1, 3, 4, 5, 2), (1, 2, 3, 4, 2)),
    (lambda: layers.GlobalAveragePooling1D(), (2, 9, 3), (2, 3)),
    (lambda: layers.GlobalAveragePooling2D(keepdims=True), (2, 7, 6, 3), (2, 1, 1, 3)),
    (lambda: layers.GlobalAveragePooling3D(data_format="channels_first"), (1, 2, 3, 4, 5), (1, 2)),
    (lambda: layers.GlobalMaxPooling1D(data_format="channels_first"), (2, 3, 9), (2, 3)),
    (lambda: layers.GlobalMaxPooling2D(), (2, 7, 6, 3), (2, 3)),
    (lambda: layers.GlobalMaxPooling3D(keepdims=True), (1, 3, 4, 5, 2), (1, 1, 1, 1, 2)),
])
def test_shapes(layer, input_shape, output_shape):
    layer = layer()
    assert np.shape(layer(np.ones(input_shape, "float32"))) == output_shape
    assert layer.compute_output_shape(input_shape) == output_shape
    assert layer(keras.Input(input_shape[1:])).shape == (None,) + output_shape[1:]
    assert layer.weights == []


def test_values():
    x = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
    assert np.asarray(layers.MaxPooling2D()(x))[0, :, :, 0].tolist() == [[5, 7], [13, 15]]
    assert np.asarray(layers.AveragePooling2D(2)(x))[0, :, :, 0].tolist() == [[2.5, 4.5], [10.5, 12.5]]
    assert np.asarray(layers.GlobalMaxPooling2D()(x)).tolist() == [[15.0]]
    assert np.asarray(layers.GlobalAveragePooling2D()(x)).tolist() == [[7.5]]


def test_global_average_pooling1d_leaves_masked_steps_out():
    x = np.array([[[1.0], [3.0], [100.0]]], "float32")
    out = layers.GlobalAveragePooling1D()(x, mask=np.array([[True, True, False]]))
    assert np.asarray(out).tolist() == [[2.0]]


@pytest.mark.parametrize("cls", [layers.MaxPooling2D, layers.AveragePooling3D, layers.GlobalMaxPooling1D])
def test_config_round_trip(cls):
    kwargs = {} if cls is layers.GlobalMaxPooling1D else {"pool_size": 2, "strides": 1, "padding": "same"}
    layer = cls(name="p", data_format="channels_first", **kwargs)
    assert cls.from_config(layer.get_config()).get_config() == layer.get_config()


def test_aliases():
    assert layers.MaxPool2D is layers.MaxPooling2D and layers.AvgPool1D is layers.AveragePooling1D
    assert layers.GlobalAvgPool3D is layers.GlobalAveragePooling3D and layers.GlobalMaxPool2D is layers.GlobalMaxPooling2D


@pytest.mark.parametrize("make,message", [
    (lambda: layers.MaxPooling2D(0), "pool_size"),
    (lambda: layers.MaxPooling2D((2, 2, 2)), "pool_size"),
    (lambda: layers.AveragePooling1D(2, padding="causal"), "padding"),
    (lambda: layers.MaxPooling2D(data_format="channels_middle"), "data_format"),
    (lambda: layers.MaxPooling2D(2, strides=-1), "strides"),
])
def test_bad_configurations(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_bad_inputs_name_the_layer():
    with pytest.raises(ValueError, match="MaxPooling2D .*larger than the input"):
        layers.MaxPooling2D(3)(np.ones((1, 2, 2, 1), "float32"))
    with pytest.raises(ValueError, match="GlobalAveragePooling2D .*rank 4"):
        layers.GlobalAveragePooling2D()(np.ones((1, 2, 2), "float32"))
    with pytest.raises(ValueError, match="rank 4"):
        keras.Sequential([keras.Input((4, 4)), layers.MaxPooling2D()])


def test_average_pooling_without_pool_size_is_keras2_with_a_note(monkeypatch):
    from nanokeras.utils import keras2_notes

    monkeypatch.delenv("NANOKERAS_KERAS2_NOTES", raising=False)
    monkeypatch.delenv("NANOKERAS_STRICT_KERAS3", raising=False)
    keras2_notes.forget_notes()
    try:
        with pytest.warns(keras2_notes.Keras2Note, match="AveragePooling2D\\(pool_size=\\(2, 2\\)\\)"):
            layer = layers.AveragePooling2D()
        assert layer.pool_size == (2, 2) and layers.AveragePooling1D().pool_size == (2,)
        assert layers.AveragePooling3D().pool_size == (2, 2, 2)
        keras2_notes.set_strict(True)
        with pytest.raises(ValueError, match="strict Keras 3"):
            layers.AveragePooling2D()
    finally:
        keras2_notes.set_strict(None)
        keras2_notes.forget_notes()
