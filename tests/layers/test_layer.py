import numpy as np
import pytest

import nanokeras as keras


class Scale(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")

    def call(self, x):
        return x * self.w


def test_automatic_unique_names_and_clear_session():
    assert [keras.layers.Dense(1).name for _ in range(3)] == ["dense", "dense_1", "dense_2"]
    assert keras.layers.Activation("relu").name == "activation"
    keras.backend.clear_session()
    assert keras.layers.Dense(1).name == "dense"


def test_custom_layer_trains_without_backward_code():
    layer = Scale()
    x = np.array([[1.0, 2.0]], dtype="float32")
    layer(x)
    with keras.GradientTape() as tape:
        loss = keras.ops.sum(layer(x) ** 2)
    (grad,) = tape.gradient(loss, layer.trainable_weights)
    np.testing.assert_allclose(grad, 2 * x[0] ** 2)


def test_weights_get_set_and_errors_change_nothing():
    layer = keras.layers.Dense(2)
    layer(np.zeros((1, 3), dtype="float32"))
    before = layer.get_weights()
    with pytest.raises(ValueError, match=r"dense.*\(3, 2\).*\(2, 3\)"):
        layer.set_weights([np.zeros((2, 3)), np.zeros(2)])
    with pytest.raises(ValueError, match="expects 2 weight arrays"):
        layer.set_weights([np.zeros((3, 2))])
    for a, b in zip(layer.get_weights(), before):
        np.testing.assert_array_equal(a, b)
    layer.set_weights([np.ones((3, 2)), np.full(2, 5.0)])
    np.testing.assert_array_equal(layer.weights[1].numpy(), [5.0, 5.0])


def test_trainable_flag_moves_weights():
    layer = keras.layers.Dense(2)
    layer(np.zeros((1, 3), dtype="float32"))
    layer.trainable = False
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 2


def test_input_shape_and_input_dim_kwargs():
    assert keras.layers.Dense(1, input_shape=(2,))._input_shape_arg == (None, 2)
    assert keras.layers.Dense(1, input_dim=3)._input_shape_arg == (None, 3)
    with pytest.raises(ValueError, match="Did you mean 'input_shape'"):
        keras.layers.Dense(1, input_shap=(2,))


def test_input_returns_symbolic_tensor():
    x = keras.Input(shape=(2,))
    assert x.shape == (None, 2) and x.dtype == "float32"
    with pytest.raises(ValueError, match="shape"):
        keras.Input(shape=(0,))


def test_activation_layer():
    out = keras.layers.Activation(keras.activations.sigmoid)(np.zeros((1, 2), dtype="float32"))
    np.testing.assert_allclose(out, 0.5)
