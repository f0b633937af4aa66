"""Convolution layers: shapes, weights, configs, closed-form values, training, and clear errors."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers

X2 = np.random.default_rng(0).standard_normal((2, 7, 6, 3)).astype("float32")


@pytest.mark.parametrize("layer,input_shape,output_shape,weight_shapes", [
    (lambda: layers.Conv1D(4, 3), (2, 10, 3), (2, 8, 4), [(3, 3, 4), (4,)]),
    (lambda: layers.Conv1D(4, 3, padding="causal", dilation_rate=2), (2, 10, 3), (2, 10, 4), [(3, 3, 4), (4,)]),
    (lambda: layers.Conv1D(6, 3, strides=2, padding="same", groups=3), (2, 9, 3), (2, 5, 6), [(3, 1, 6), (6,)]),
    (lambda: layers.Conv2D(5, (3, 2), strides=(2, 1)), (2, 7, 6, 3), (2, 3, 5, 5), [(3, 2, 3, 5), (5,)]),
    (lambda: layers.Conv2D(6, 3, padding="same", groups=3, use_bias=False), (2, 7, 6, 3), (2, 7, 6, 6),
     [(3, 3, 1, 6)]),
    (lambda: layers.Conv2D(4, 3, data_format="channels_first"), (2, 3, 7, 6), (2, 4, 5, 4), [(3, 3, 3, 4), (4,)]),
    (lambda: layers.Conv3D(2, 2, padding="same"), (1, 4, 5, 3, 2), (1, 4, 5, 3, 2), [(2, 2, 2, 2, 2), (2,)]),
    (lambda: layers.Conv1DTranspose(4, 3, strides=2), (2, 5, 3), (2, 11, 4), [(3, 4, 3), (4,)]),
    (lambda: layers.Conv2DTranspose(4, 3, strides=2, padding="same"), (2, 4, 5, 3), (2, 8, 10, 4),
     [(3, 3, 4, 3), (4,)]),
    (lambda: layers.Conv2DTranspose(4, 3, strides=2, output_padding=1), (2, 4, 5, 3), (2, 10, 12, 4), None),
    (lambda: layers.Conv3DTranspose(2, 2, strides=2, data_format="channels_first"), (1, 3, 2, 2, 2),
     (1, 2, 4, 4, 4), [(2, 2, 2, 2, 3), (2,)]),
    (lambda: layers.DepthwiseConv1D(3, depth_multiplier=2), (2, 6, 3), (2, 4, 6), [(3, 3, 2), (6,)]),
    (lambda: layers.DepthwiseConv2D(3, padding="same"), (2, 7, 6, 3), (2, 7, 6, 3), [(3, 3, 3, 1), (3,)]),
    (lambda: layers.SeparableConv1D(4, 3, depth_multiplier=2), (2, 6, 3), (2, 4, 4), [(3, 3, 2), (1, 6, 4), (4,)]),
    (lambda: layers.SeparableConv2D(4, 3, strides=2), (2, 7, 6, 3), (2, 3, 2, 4),
     [(3, 3, 3, 1), (1, 1, 3, 4), (4,)]),
])
def test_shapes_and_weights(layer, input_shape, output_shape, weight_shapes):
    layer = layer()
    x = np.ones(input_shape, "float32")
    assert np.shape(layer(x)) == output_shape
    assert tuple(layer.compute_output_shape(input_shape)) == output_shape  # a list for transposed ones, as Keras
    if weight_shapes is not None:
        assert [w.shape for w in layer.weights] == weight_shapes
    symbolic = layer(keras.Input(input_shape[1:]))
    assert symbolic.shape == (None,) + output_shape[1:]


def test_weight_names_are_keras_names():
    conv = layers.Conv2D(2, 3)
    conv.build((None, 5, 5, 1))
    sep = layers.SeparableConv2D(2, 3)
    sep.build((None, 5, 5, 1))
    dw = layers.DepthwiseConv2D(3)
    dw.build((None, 5, 5, 1))
    assert [w.name for w in conv.weights] == ["kernel", "bias"]
    assert [w.name for w in sep.weights] == ["depthwise_kernel", "pointwise_kernel", "bias"]
    assert [w.name for w in dw.weights] == ["kernel", "bias"]


def test_conv2d_value_by_hand():
    layer = layers.Conv2D(1, 2, kernel_initializer="ones", bias_initializer="ones", activation="relu")
    x = np.arange(9, dtype="float32").reshape(1, 3, 3, 1)
    out = np.asarray(layer(x))[0, :, :, 0]
    np.testing.assert_array_equal(out, [[0 + 1 + 3 + 4 + 1, 1 + 2 + 4 + 5 + 1], [3 + 4 + 6 + 7 + 1, 4 + 5 + 7 + 8 + 1]])


def test_causal_conv1d_only_sees_the_past():
    layer = layers.Conv1D(1, 3, padding="causal", kernel_initializer="ones", use_bias=False)
    x = np.zeros((1, 6, 1), "float32")
    x[0, 3, 0] = 1.0
    out = np.asarray(layer(x))[0, :, 0]
    np.testing.assert_array_equal(out, [0, 0, 0, 1, 1, 1])


def test_activation_is_read_at_call_time():
    layer = layers.Conv2D(2, 3, activation="relu")
    before = np.asarray(layer(X2))
    assert before.min() >= 0
    layer.activation = keras.activations.linear
    after = np.asarray(layer(X2))
    assert after.min() < 0
    np.testing.assert_array_equal(np.maximum(after, 0), before)


def test_any_activation_works_unfused():
    layer = layers.Conv2D(2, 3, activation="elu", data_format="channels_first")
    x = np.moveaxis(X2, -1, 1)
    out = np.asarray(layer(x))
    z = np.asarray(keras.ops.conv(x, layer.kernel.numpy(), data_format="channels_first"))
    z = z + layer.bias.numpy().reshape(-1, 1, 1)
    np.testing.assert_allclose(out, keras.activations.elu(z), rtol=1e-6)


@pytest.mark.parametrize("cls", [layers.Conv2D, layers.Conv2DTranspose, layers.DepthwiseConv2D,
                                 layers.SeparableConv2D])
def test_config_round_trip(cls):
    kwargs = {"kernel_size": 3, "strides": 2, "padding": "same", "activation": "relu", "use_bias": False,
              "name": "c", "data_format": "channels_first"}
    if cls is not layers.DepthwiseConv2D:
        kwargs["filters"] = 4
    layer = cls(**kwargs)
    clone = cls.from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
    assert layer.get_config()["kernel_size"] == (3, 3) and layer.get_config()["strides"] == (2, 2)


def test_regularizers_and_constraints():
    layer = layers.Conv2D(2, 3, kernel_regularizer=keras.regularizers.L2(0.5), bias_constraint="non_neg",
                          activity_regularizer="l1")
    layer(X2)
    kernel = layer.kernel.numpy()
    losses = sorted(float(np.asarray(loss)) for loss in layer.losses)
    assert len(losses) == 2  # the kernel's L2 and the outputs' L1
    assert any(v == pytest.approx(0.5 * float(np.sum(kernel ** 2)), rel=1e-5) for v in losses)
    assert layer.get_config()["bias_constraint"]["class_name"] == "NonNeg"


def test_a_convnet_learns_a_separable_task():
    rng = np.random.default_rng(0)
    x = rng.random((64, 8, 8, 1)).astype("float32")
    y = (x[:, :4].mean(axis=(1, 2, 3)) > x[:, 4:].mean(axis=(1, 2, 3))).astype("int32")
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((8, 8, 1)), layers.Conv2D(8, 3, activation="relu"),
                              layers.MaxPooling2D(), layers.Flatten(), layers.Dense(2, activation="softmax")])
    model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy", ["accuracy"])
    history = model.fit(x, y, epochs=30, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    assert history.history["accuracy"][-1] > 0.9


@pytest.mark.parametrize("make,message", [
    (lambda: layers.Conv2D(0, 3), "filters"),
    (lambda: layers.Conv2D(4, 0), "kernel_size"),
    (lambda: layers.Conv2D(4, (3, 3, 3)), "kernel_size"),
    (lambda: layers.Conv2D(4, 3, padding="causal"), "padding"),
    (lambda: layers.Conv1D(4, 3, padding="full"), "padding"),
    (lambda: layers.Conv2D(4, 3, data_format="NCHW"), "data_format"),
    (lambda: layers.Conv2D(4, 3, strides=2, dilation_rate=2), "dilation_rate"),
    (lambda: layers.Conv2D(5, 3, groups=2), "divisible by `groups`"),
    (lambda: layers.Conv2DTranspose(4, 3, strides=2, output_padding=2), "output_padding"),
    (lambda: layers.DepthwiseConv2D(3, depth_multiplier=0), "depth_multiplier"),
    (lambda: layers.Conv2D(4, 3, lora_rank=0), "lora_rank"),
])
def test_bad_configurations_fail_at_construction(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("make,input_shape,message", [
    (lambda: layers.Conv2D(4, 5), (1, 3, 3, 1), "larger than the input"),
    (lambda: layers.Conv2D(4, 3), (1, 5, 5), "rank 4"),
    (lambda: layers.Conv2D(4, 3, groups=2), (1, 5, 5, 3), "divisible by `groups`"),
    (lambda: layers.Conv1D(4, 3), (1, 5, 5, 2), "rank 3"),
    (lambda: layers.SeparableConv2D(4, 6), (1, 5, 5, 2), "larger than the input"),
])
def test_bad_inputs_fail_at_build_naming_the_layer(make, input_shape, message):
    layer = make()
    with pytest.raises(ValueError, match=message) as error:
        layer(np.ones(input_shape, "float32"))
    assert type(layer).__name__ in str(error.value)
    with pytest.raises(ValueError, match=message):
        keras.Sequential([keras.Input(input_shape[1:]), make()])


def test_a_built_layer_refuses_other_channels():
    layer = layers.Conv2D(2, 3)
    layer(np.ones((1, 5, 5, 3), "float32"))
    with pytest.raises(ValueError, match="3 channels"):
        layer(np.ones((1, 5, 5, 4), "float32"))


def test_aliases_are_the_same_classes():
    assert layers.Convolution2D is layers.Conv2D and layers.Convolution3DTranspose is layers.Conv3DTranspose
    assert layers.SeparableConvolution1D is layers.SeparableConv1D
