"""Integer inputs of layers that only move or combine values stay integers (as Keras autocasts
only floats); weights get paths from the name scopes their layers were built in; a plain
`Layer()` has Keras's config."""

import warnings

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers, ops

XI = np.arange(12).reshape(3, 4).astype("int32")


@pytest.mark.parametrize("layer", [
    layers.Flatten(), layers.Reshape((2, 2)), layers.Permute((1,)), layers.RepeatVector(2), layers.Identity(),
    layers.Lambda(lambda t: t * 2), layers.Activation("relu"), layers.Activation("linear"), layers.ReLU(),
    layers.Dropout(0.5), layers.GaussianNoise(0.1), layers.ActivityRegularization(l1=0.1),
], ids=lambda layer: type(layer).__name__)
def test_integer_inputs_stay_integers(layer):
    out = layer(XI)
    assert np.asarray(out).dtype == np.int32


@pytest.mark.parametrize("dtype", ["uint8", "bool"])
def test_small_integers_and_bools_keep_their_dtype(dtype):
    x = XI.astype(dtype)
    assert layers.Flatten()(x).dtype == dtype
    assert layers.Add()([x, x]).dtype == dtype
    assert layers.Concatenate()([x, x]).dtype == dtype


def test_layers_with_weights_or_float_math_still_compute_in_float32():
    assert layers.Dense(2)(XI).dtype == np.float32
    assert layers.Average()([XI, XI]).dtype == np.float32
    assert layers.LeakyReLU()(XI).dtype == np.float32
    assert layers.Add()([XI, layers.Dense(4)(XI)]).dtype == np.float32
    # numpy would promote these to float64 (or int64): the Lambda gives Keras's float32 (int32)
    assert layers.Lambda(lambda t: t * 2.5)(XI).dtype == np.float32
    assert layers.Lambda(lambda t: t * 2)(XI > 3).dtype == np.int32


def test_lambda_sees_integers():
    out = layers.Lambda(lambda t: ops.bitwise_and(t, 1))(XI)
    assert np.asarray(out)[0].tolist() == [0, 1, 0, 1]


def test_noise_in_training_draws_in_floats():
    for layer in [layers.Dropout(0.5, seed=1), layers.GaussianNoise(0.5, seed=1), layers.AlphaDropout(0.5, seed=1),
                  layers.GaussianDropout(0.5, seed=1)]:
        assert layer(XI, training=True).dtype == np.float32
        assert layer(XI, training=False).dtype == np.int32


def test_relu_on_integers():
    x = np.arange(-2, 6).astype("int32")
    assert layers.ReLU(max_value=3.5)(x).tolist() == [0, 0, 0, 1, 2, 3, 3, 3]
    assert layers.ReLU(threshold=1.0)(x).tolist() == [0, 0, 0, 0, 2, 3, 4, 5]
    assert layers.ReLU()(x > 0).dtype == np.int32
    assert layers.ReLU(max_value=6)(x).dtype == np.float32


def test_max_pooling_of_integers_is_exact_in_their_dtype():
    x = (np.arange(16).reshape(1, 8, 2) + 2**30 + 1).astype("int32")  # not exact in float32
    out = layers.MaxPooling1D(2)(x)
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, x[:, 1::2])
    assert layers.MaxPooling2D(padding="same")((np.arange(8).reshape(1, 2, 2, 2) > 3)).dtype == bool
    assert layers.AveragePooling1D(2)(x).dtype == np.float32


def test_bilinear_upsampling_of_integers_rounds_half_to_even():
    x = (np.arange(8).reshape(1, 2, 2, 2) * 3).astype("int32")
    out = layers.UpSampling2D(2, interpolation="bilinear")(x)
    assert out.dtype == np.int32
    assert np.asarray(out)[0, 0, :, 0].tolist() == [0, 2, 4, 6]  # 1.5 -> 2, 4.5 -> 4


def test_symbolic_dtypes():
    i = keras.Input((4,), dtype="int32")
    assert layers.Reshape((2, 2))(i).dtype == "int32"
    assert layers.Flatten()(i).dtype == "int32"
    assert layers.Identity()(i).dtype == "int32"
    assert layers.Identity()(keras.Input((4,), dtype="float64")).dtype == "float32"
    # layers that only know their output shape give their float dtype (Keras's KerasTensors)
    assert layers.Dropout(0.5)(i).dtype == "float32"
    assert layers.Lambda(lambda t: t)(i).dtype == "float32"


def test_models_keep_integer_inputs():
    i = keras.Input((4,), dtype="int32")
    model = keras.Model(i, layers.Lambda(lambda t: t * 2)(layers.Reshape((2, 2))(i)))
    assert model.predict(XI, verbose=0).dtype == np.int32
    sequential = keras.Sequential([keras.Input((4,), dtype="int32"), layers.Reshape((2, 2))])
    assert sequential(XI).dtype == np.int32
    assert sequential.predict(XI, verbose=0).dtype == np.int32
    assert sequential(XI.astype("float32") + 0.5).dtype == np.int32  # cast to the Input's dtype
    # without an integer Input, a Sequential is built for float32 inputs (as Keras)
    assert keras.Sequential([layers.Reshape((2, 2))]).predict(XI, verbose=0).dtype == np.float32


def test_training_with_integer_features_through_structural_layers():
    model = keras.Sequential([keras.Input((4,), dtype="int32"), layers.Flatten(), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(XI, np.ones((3, 1), "float32"), epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    assert model.layers[-1].kernel.numpy().dtype == np.float32


# ------------------------------------------------------------------------------------- paths
def _paths(model):
    return [w.path for w in model.weights]


def test_sequential_weights_are_under_the_model_name():
    keras.backend.clear_session()
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
    assert _paths(model) == ["sequential/dense/kernel", "sequential/dense/bias"]
    assert model.layers[0].path == "sequential/dense"
    named = keras.Sequential([keras.Input((3,)), layers.Dense(2, name="d")], name="cnn")
    assert _paths(named) == ["cnn/d/kernel", "cnn/d/bias"]


def test_functional_weights_have_no_model_prefix():
    keras.backend.clear_session()
    i = keras.Input((3,))
    model = keras.Model(i, layers.Dense(2)(i), name="f")
    assert _paths(model) == ["dense/kernel", "dense/bias"]


def test_paths_are_fixed_where_a_layer_is_first_built():
    keras.backend.clear_session()
    first = layers.Dense(2, name="first")
    first.build((None, 3))
    model = keras.Sequential([keras.Input((3,)), first, layers.Dense(1, name="second")], name="s")
    assert _paths(model) == ["first/kernel", "first/bias", "s/second/kernel", "s/second/bias"]
    inner = keras.Sequential([layers.Dense(2, name="d")], name="inner")
    outer = keras.Sequential([keras.Input((3,)), inner], name="outer")
    assert _paths(outer) == ["outer/inner/d/kernel", "outer/inner/d/bias"]
    # called again elsewhere, the weights keep their paths
    i = keras.Input((3,))
    assert _paths(keras.Model(i, inner(i))) == ["outer/inner/d/kernel", "outer/inner/d/bias"]


def test_subclassed_models_and_layers_with_sub_layers():
    class Sub(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dense = layers.Dense(2, name="d")

        def call(self, x):
            return self.dense(x)

    class Scaled(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dense = layers.Dense(2, name="inner")

        def build(self, input_shape):
            self.scale = self.add_weight(shape=(1,), name="scale")

        def call(self, x):
            return self.dense(x) * self.scale

    model = Sub(name="sub")
    model(np.ones((1, 3), "float32"))
    assert _paths(model) == ["sub/d/kernel", "sub/d/bias"]
    layer = Scaled(name="scaled")
    layer(np.ones((1, 3), "float32"))
    assert _paths(layer) == ["scaled/scale", "scaled/inner/kernel", "scaled/inner/bias"]


def test_optimizer_slots_are_named_from_the_variable_paths():
    keras.backend.clear_session()
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2)], name="opt")
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.ones((2, 3)), np.ones((2, 2)), verbose=0)
    assert [v.path for v in model.optimizer.variables][2:4] == [
        "adam/opt_dense_kernel_momentum", "adam/opt_dense_kernel_velocity"]


def test_weights_saved_and_loaded_with_other_paths(tmp_path):
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2)], name="a")
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_array_equal(loaded.get_weights()[0], model.get_weights()[0])
    np.testing.assert_array_equal(loaded.optimizer.variables[2].numpy(), model.optimizer.variables[2].numpy())
    other = keras.Sequential([keras.Input((3,)), layers.Dense(2)], name="b")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.save_weights(str(tmp_path / "w.weights.h5"))
        other.load_weights(str(tmp_path / "w.weights.h5"))
    np.testing.assert_array_equal(other.get_weights()[0], model.get_weights()[0])


def test_base_layer_config():
    config = layers.Layer(name="plain").get_config()
    assert list(config) == ["name", "activity_regularizer", "trainable", "dtype", "autocast"]
    assert config["activity_regularizer"] is None and config["autocast"] is True
    restored = layers.Layer.from_config(layers.Layer(activity_regularizer="l2", autocast=False).get_config())
    assert restored.autocast is False and restored.activity_regularizer is not None

    class Sub(layers.Layer):
        def __init__(self, units=3, **kwargs):
            super().__init__(**kwargs)
            self.units = units

    assert "autocast" not in Sub().get_config()
