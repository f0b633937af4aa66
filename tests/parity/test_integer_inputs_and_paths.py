"""Against real Keras 3: integer inputs of layers that only move or combine values, the paths
of weights and optimizer variables in Sequential, subclassed and nested models, and the
config of a plain `keras.layers.Layer()`.

Keras autocasts only floating inputs; int32, uint8 and bool inputs reach `call` unchanged,
so `Flatten()(int32)` is int32 while `Dense` still computes in float32. The symbolic dtype
is Keras's too: the input's for Flatten/Reshape/Permute/Identity, the layer's float dtype
for layers that only give an output shape (Dropout, Add, Lambda, ...).
"""

import numpy as np
import pytest

import nanokeras as nk

# name: (factory(lib), per-sample input shapes; several for a merge)
LAYERS = {
    "Flatten": (lambda L: L.Flatten(), [(3, 4)]),
    "Reshape": (lambda L: L.Reshape((2, 2)), [(4,)]),
    "Permute": (lambda L: L.Permute((2, 1)), [(3, 4)]),
    "RepeatVector": (lambda L: L.RepeatVector(2), [(4,)]),
    "Identity": (lambda L: L.Identity(), [(4,)]),
    "Lambda": (lambda L: L.Lambda(lambda t: t * 2), [(4,)]),
    "LambdaIdentity": (lambda L: L.Lambda(lambda t: t), [(4,)]),
    "ActivationLinear": (lambda L: L.Activation("linear"), [(4,)]),
    "ActivationRelu": (lambda L: L.Activation("relu"), [(4,)]),
    "ActivationTanh": (lambda L: L.Activation("tanh"), [(4,)]),
    "ReLU": (lambda L: L.ReLU(), [(4,)]),
    "ReLUCapped": (lambda L: L.ReLU(max_value=3.5), [(4,)]),
    "ReLUThreshold": (lambda L: L.ReLU(threshold=1.0), [(4,)]),
    "LeakyReLU": (lambda L: L.LeakyReLU(), [(4,)]),
    "Dropout": (lambda L: L.Dropout(0.5), [(4,)]),
    "SpatialDropout1D": (lambda L: L.SpatialDropout1D(0.5), [(3, 4)]),
    "GaussianNoise": (lambda L: L.GaussianNoise(0.5), [(4,)]),
    "GaussianDropout": (lambda L: L.GaussianDropout(0.5), [(4,)]),
    "AlphaDropout": (lambda L: L.AlphaDropout(0.5), [(4,)]),
    "ActivityRegularization": (lambda L: L.ActivityRegularization(), [(4,)]),
    "Add": (lambda L: L.Add(), [(4,), (4,)]),
    "Subtract": (lambda L: L.Subtract(), [(4,), (4,)]),
    "Multiply": (lambda L: L.Multiply(), [(4,), (4,)]),
    "Average": (lambda L: L.Average(), [(4,), (4,)]),
    "Maximum": (lambda L: L.Maximum(), [(4,), (4,)]),
    "Minimum": (lambda L: L.Minimum(), [(4,), (4,)]),
    "Concatenate": (lambda L: L.Concatenate(), [(4,), (4,)]),
    "Dot": (lambda L: L.Dot(axes=1), [(4,), (4,)]),
    "Masking": (lambda L: L.Masking(), [(3, 4)]),
    "Cropping1D": (lambda L: L.Cropping1D(1), [(4, 2)]),
    "Cropping2D": (lambda L: L.Cropping2D(1), [(4, 4, 2)]),
    "Cropping3D": (lambda L: L.Cropping3D(1), [(4, 4, 4, 2)]),
    "ZeroPadding1D": (lambda L: L.ZeroPadding1D(1), [(4, 2)]),
    "ZeroPadding2D": (lambda L: L.ZeroPadding2D(1), [(4, 4, 2)]),
    "ZeroPadding3D": (lambda L: L.ZeroPadding3D(1), [(4, 4, 4, 2)]),
    "UpSampling1D": (lambda L: L.UpSampling1D(2), [(4, 2)]),
    "UpSampling2D": (lambda L: L.UpSampling2D(2), [(4, 4, 2)]),
    "UpSampling2DBilinear": (lambda L: L.UpSampling2D(2, interpolation="bilinear"), [(4, 4, 2)]),
    "UpSampling3D": (lambda L: L.UpSampling3D(2), [(4, 4, 4, 2)]),
    "MaxPooling1D": (lambda L: L.MaxPooling1D(2), [(4, 2)]),
    "MaxPooling2DSame": (lambda L: L.MaxPooling2D(2, strides=1, padding="same"), [(3, 3, 2)]),
    "GlobalMaxPooling1D": (lambda L: L.GlobalMaxPooling1D(), [(4, 2)]),
    "GlobalMaxPooling2D": (lambda L: L.GlobalMaxPooling2D(), [(4, 4, 2)]),
    "GlobalAveragePooling1D": (lambda L: L.GlobalAveragePooling1D(), [(4, 2)]),
    "TimeDistributedFlatten": (lambda L: L.TimeDistributed(L.Flatten()), [(3, 2, 2)]),
    "TimeDistributedDense": (lambda L: L.TimeDistributed(L.Dense(2)), [(3, 2)]),
    "Dense": (lambda L: L.Dense(2), [(4,)]),
    "Conv1D": (lambda L: L.Conv1D(2, 2), [(4, 2)]),
    "BatchNormalization": (lambda L: L.BatchNormalization(), [(4,)]),
    "LayerNormalization": (lambda L: L.LayerNormalization(), [(4,)]),
    "Embedding": (lambda L: L.Embedding(20, 2), [(4,)]),
    "Rescaling": (lambda L: L.Rescaling(0.5), [(4,)]),
    "Softmax": (lambda L: L.Softmax(), [(4,)]),
}
# Where Keras raises (a float op on bools, Subtract of bools), nanokeras computes in floats: not compared.
KERAS_RAISES = {("Subtract", "bool"), ("Softmax", "bool")}
# Known differences outside these layers: nanokeras's Embedding refuses bool ids (Keras looks up 0/1).
NOT_COMPARED = {("Embedding", "bool")}
DTYPES = ["int32", "uint8", "bool"]
# float64 inputs: autocast to float32 eagerly and symbolically (one layer of each kind).
FLOAT64_LAYERS = ["Flatten", "Identity", "Lambda", "Dropout", "Add", "Dense", "ReLU"]


def _sample(shape, dtype):
    return (np.arange(int(np.prod((3,) + shape))).reshape((3,) + shape) % 5).astype(dtype)


def _dtype_name(x):
    if isinstance(x, (list, tuple)):
        return [_dtype_name(v) for v in x]
    return str(getattr(x.dtype, "name", x.dtype))


def _dtypes(lib, name, dtype):
    """(eager output dtype, symbolic output dtype, functional model's predict dtype)."""
    factory, shapes = LAYERS[name]
    arrays = [_sample(s, dtype) for s in shapes]
    data = arrays if len(arrays) > 1 else arrays[0]
    eager = _dtype_name(factory(lib.layers)(data))
    inputs = [lib.Input(s, dtype=dtype) for s in shapes]
    inputs = inputs if len(inputs) > 1 else inputs[0]
    outputs = factory(lib.layers)(inputs)
    predicted = lib.Model(inputs, outputs).predict(data, verbose=0)
    return eager, _dtype_name(outputs), _dtype_name(predicted)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(LAYERS))
def test_integer_inputs_give_keras_dtypes(keras, name, dtype):
    if (name, dtype) in KERAS_RAISES:  # nanokeras computes in floats there
        with pytest.raises(TypeError):
            factory, shapes = LAYERS[name]
            factory(keras.layers)([_sample(s, dtype) for s in shapes] if len(shapes) > 1 else _sample(shapes[0], dtype))
        return
    if (name, dtype) in NOT_COMPARED:
        return
    assert _dtypes(nk, name, dtype) == _dtypes(keras, name, dtype)


@pytest.mark.parametrize("name", FLOAT64_LAYERS)
def test_float64_inputs_are_autocast(keras, name):
    assert _dtypes(nk, name, "float64") == _dtypes(keras, name, "float64")


@pytest.mark.parametrize("dtype", ["int32", "uint8", "bool"])
@pytest.mark.parametrize("name", ["UpSampling2DBilinear", "ReLUCapped", "ReLUThreshold", "Masking", "Dot",
                                  "Concatenate", "GlobalMaxPooling2D", "Lambda",
                                  "MaxPooling2DSame"])
def test_integer_outputs_have_keras_values(keras, name, dtype):
    factory, shapes = LAYERS[name]
    arrays = [(_sample(s, "int32") * 3 - 4).astype(dtype) if dtype != "uint8" else _sample(s, dtype) * 7
              for s in shapes]
    data = arrays if len(arrays) > 1 else arrays[0]
    ours = np.asarray(factory(nk.layers)(data))
    theirs = np.asarray(factory(keras.layers)(data))
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


def _lambda_details(lib):
    x = np.arange(12).reshape(3, 4).astype("int32")
    layers = lib.layers
    return [
        np.asarray(layers.Lambda(lambda t: lib.ops.bitwise_and(t, 1))(x)).tolist(),
        _dtype_name(layers.Lambda(lambda t: t * 2.5)(x)),
        _dtype_name(layers.Dropout(0.5, seed=1)(x, training=False)),
        _dtype_name(layers.GaussianNoise(0.5, seed=1)(x, training=True)),
    ]


def test_lambda_on_integers_and_noise_in_training(keras):
    assert _lambda_details(nk) == _lambda_details(keras)


def _sequential_dtypes(lib):
    x = np.arange(12).reshape(3, 4).astype("int32")
    layers = lib.layers
    with_input = lib.Sequential([lib.Input((4,), dtype="int32"), layers.Reshape((2, 2))])
    without_input = lib.Sequential([layers.Reshape((2, 2))])
    return [_dtype_name(with_input(x)), _dtype_name(with_input.predict(x, verbose=0)),
            _dtype_name(without_input(x)), _dtype_name(without_input.predict(x, verbose=0))]


def test_sequential_keeps_integers_of_an_integer_input(keras):
    assert _sequential_dtypes(nk) == _sequential_dtypes(keras)


def _paths(lib):
    """Weight, layer and optimizer-variable paths in the ways a model can be put together."""
    lib.backend.clear_session()
    layers = lib.layers
    x = np.ones((2, 3), "float32")
    found = {}

    def record(tag, model):
        found[tag] = [w.path for w in model.weights]

    record("sequential", lib.Sequential([lib.Input((3,)), layers.Dense(2)]))
    record("named", lib.Sequential([lib.Input((3,)), layers.Dense(2)], name="cnn"))
    model = lib.Sequential([layers.Dense(2)])
    model(x)
    record("built_by_call", model)
    model = lib.Sequential([layers.Dense(2)])
    model.build((None, 3))
    record("built_by_build", model)
    built_first = layers.Dense(2)
    built_first.build((None, 3))
    record("layer_built_before", lib.Sequential([lib.Input((3,)), built_first, layers.Dense(1)]))
    inner = lib.Sequential([layers.Dense(2)], name="inner")
    nested = lib.Sequential([lib.Input((3,)), inner, layers.Dense(1)], name="outer")
    record("nested", nested)
    found["layer_paths"] = [layer.path for layer in nested.layers] + [inner.layers[0].path, nested.path]
    i = lib.Input((3,))
    record("sequential_in_functional", lib.Model(i, lib.Sequential([layers.Dense(2)], name="seq_in")(i)))
    i = lib.Input((3,))
    functional = lib.Model(i, layers.Dense(2)(i), name="fn")
    record("functional_in_sequential", lib.Sequential([lib.Input((3,)), functional, layers.Dense(1)], name="o2"))

    class Sub(lib.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.first = layers.Dense(2)
            self.second = layers.Dense(1)

        def call(self, inputs):
            return self.second(self.first(inputs))

    class BuiltSub(lib.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dense = layers.Dense(2)

        def build(self, input_shape):
            self.dense.build(input_shape)

        def call(self, inputs):
            return self.dense(inputs)

    class Custom(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dense = layers.Dense(2)

        def build(self, input_shape):
            self.scale = self.add_weight(shape=(1,), name="scale")

        def call(self, inputs):
            return self.dense(inputs) * self.scale

    sub = Sub(name="sub")
    sub(x)
    record("subclassed", sub)
    built = BuiltSub(name="built_sub")
    built.build((None, 3))
    record("subclassed_build", built)
    custom = Custom(name="custom")
    custom(x)
    record("custom_layer", custom)
    record("custom_in_sequential", lib.Sequential([lib.Input((3,)), Custom(name="custom2")], name="sq"))
    record("subclassed_in_sequential", lib.Sequential([lib.Input((3,)), Sub(name="sub2")], name="sq2"))
    record("recurrent", lib.Sequential([lib.Input((3, 2)), layers.LSTM(2, return_sequences=True),
                                        layers.Bidirectional(layers.GRU(2)), layers.BatchNormalization()],
                                       name="rnn"))
    model = lib.Sequential([lib.Input((3,)), layers.Dense(2)], name="opt")
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.ones((2, 3)), np.ones((2, 2)), verbose=0)
    found["optimizer"] = [v.path for v in model.optimizer.variables]
    i = lib.Input((3,))
    functional = lib.Model(i, layers.Dense(2)(i))
    functional.compile(optimizer=lib.optimizers.SGD(momentum=0.9, name="my_sgd"), loss="mse")
    functional.fit(np.ones((2, 3)), np.ones((2, 2)), verbose=0)
    found["optimizer_functional"] = [v.path for v in functional.optimizer.variables]
    return found


def test_weight_and_optimizer_variable_paths(keras):
    ours, theirs = _paths(nk), _paths(keras)
    assert ours.keys() == theirs.keys()
    for tag in theirs:
        assert ours[tag] == theirs[tag], tag


def _save_and_load(source, target, tmp_path, suffix):
    """A Sequential with Adam state saved by `source`, loaded by `target`: weights and optimizer values."""
    source.backend.clear_session()
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(8, 3)).astype("float32"), rng.normal(size=(8, 2)).astype("float32")
    model = source.Sequential([source.Input((3,)), source.layers.Dense(4, activation="relu"),
                               source.layers.Dense(2)], name="saved")
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=2, verbose=0)
    path = str(tmp_path / f"m{suffix}")
    if suffix == ".keras":
        model.save(path)
        loaded = target.models.load_model(path)
        np.testing.assert_allclose(np.asarray(loaded.optimizer.variables[2]),
                                   np.asarray(model.optimizer.variables[2]), rtol=1e-6)
    else:
        model.save_weights(path)
        target.backend.clear_session()
        loaded = target.Sequential([target.Input((3,)), target.layers.Dense(4, activation="relu"),
                                    target.layers.Dense(2)], name="other")
        loaded.load_weights(path)
    for a, b in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
    return [w.path for w in loaded.weights]


@pytest.mark.parametrize("suffix", [".keras", ".weights.h5"])
def test_saved_files_load_both_ways_with_the_new_paths(keras, tmp_path, suffix):
    assert _save_and_load(nk, keras, tmp_path, suffix) == _save_and_load(keras, keras, tmp_path, suffix)
    assert _save_and_load(keras, nk, tmp_path, suffix) == _save_and_load(nk, nk, tmp_path, suffix)


def _layer_configs(lib):
    layers = lib.layers

    class Plain(layers.Layer):
        def __init__(self, units=3, **kwargs):
            super().__init__(**kwargs)
            self.units = units

    return [
        layers.Layer().get_config(),
        layers.Layer(name="x", trainable=False, dtype="float16").get_config(),
        layers.Layer(activity_regularizer="l2", autocast=False).get_config(),
        Plain().get_config(),
        Plain(units=4, name="u").get_config(),
    ]


def test_base_layer_config(keras):
    nk.backend.clear_session()
    keras.backend.clear_session()
    ours, theirs = _layer_configs(nk), _layer_configs(keras)
    assert ours == theirs
    assert [list(c) for c in ours] == [list(c) for c in theirs]  # the key order too
