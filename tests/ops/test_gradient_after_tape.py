"""`tape.gradient` for a watched numpy array, asked for AFTER the `with GradientTape()` block.

The FGSM / saliency-map / gradient-penalty pattern:

    with keras.GradientTape() as tape:
        tape.watch(x)            # x: a numpy array
        loss = ...
    tape.gradient(loss, x)       # after the block, as in TensorFlow

Closing the tape unwatches `x`, so an op that decided "does this input need a
gradient" only when the gradient is computed gave None. Each op family here is
checked: the gradient taken after the block equals the one taken inside it (not
None), and for dense, convolution and pooling also central finite differences in
float64.
"""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers, ops
from nanokeras.ops.custom_gradient import custom_gradient
from nanokeras.ops.random_transform import random_transform
from tests.ops.gradient_check import _weights, numeric_gradients


def _gradient(fn, x, after):
    """d sum(fn(x) * w) / dx for a watched numpy `x`, taken after the tape's block or inside it."""
    with keras.GradientTape() as tape:
        tape.watch(x)
        out = fn(x)
        loss = ops.sum(ops.multiply(out, _weights(np.shape(ops.convert_to_numpy(out)))))
        if not after:
            inside = tape.gradient(loss, x)
    if not after:
        return inside
    return tape.gradient(loss, x)


def _check_after_equals_inside(fn, x):
    inside = _gradient(fn, x, after=False)
    after = _gradient(fn, x, after=True)
    assert inside is not None
    assert after is not None, "the gradient taken after the tape's block is None"
    assert np.shape(after) == np.shape(x)
    np.testing.assert_array_equal(np.asarray(after), np.asarray(inside))
    return np.asarray(after)


def _check_finite_differences(fn, x, rtol=1e-6, atol=1e-8):
    after = _check_after_equals_inside(fn, x)
    assert after.dtype == np.float64
    (numeric,) = numeric_gradients(fn, [x])
    np.testing.assert_allclose(after, numeric, rtol=rtol, atol=atol)


def _data(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape)


# ------------------------------------------------------------------ dense (fused)


@pytest.mark.parametrize("activation", ["linear", "relu", "sigmoid", "tanh", "softmax"])
@pytest.mark.parametrize("shape", [(3, 5), (2, 3, 5)])
@pytest.mark.parametrize("use_bias", [True, False])
def test_dense_input_gradient_after_the_tape(activation, shape, use_bias):
    dense = layers.Dense(4, activation=activation, use_bias=use_bias, dtype="float64")
    dense.build(shape)
    dense.set_weights([_data(w.shape, seed=i + 1) for i, w in enumerate(dense.get_weights())])
    _check_finite_differences(dense, _data(shape))


def test_dense_float32_brief_example_gives_the_input_gradient():
    keras.utils.set_random_seed(0)
    m = keras.Sequential([keras.Input((3,)), layers.Dense(4, activation="relu"),
                          layers.Dense(2, activation="softmax")])
    x = np.ones((2, 3), "float32")
    labels = np.array([0, 1])
    grads = []
    for after in (False, True):
        with keras.GradientTape() as tape:
            tape.watch(x)
            loss = keras.losses.sparse_categorical_crossentropy(labels, m(x))
            if not after:
                grads.append(tape.gradient(loss, x))
        if after:
            grads.append(tape.gradient(loss, x))
    assert grads[1] is not None
    assert grads[1].dtype == np.float32 and grads[1].shape == (2, 3)
    np.testing.assert_array_equal(grads[1], grads[0])


# ------------------------------------------------------------------ convolutions


def _conv_layer(layer, input_shape, seed=1):
    layer.build(input_shape)
    layer.set_weights([_data(w.shape, seed=seed + i) * 0.5 for i, w in enumerate(layer.get_weights())])
    return layer


CONV_LAYERS = {
    "conv1d": (lambda: layers.Conv1D(3, 3, activation="relu", dtype="float64"), (2, 7, 2)),
    "conv1d_causal_dilated": (lambda: layers.Conv1D(2, 2, padding="causal", dilation_rate=2, dtype="float64"),
                              (2, 7, 2)),
    "conv2d_relu": (lambda: layers.Conv2D(3, 3, activation="relu", dtype="float64"), (2, 5, 5, 2)),
    "conv2d_tanh_same_strided": (lambda: layers.Conv2D(2, 2, strides=2, padding="same", activation="tanh",
                                                       dtype="float64"), (1, 5, 4, 2)),
    "conv2d_sigmoid_no_bias": (lambda: layers.Conv2D(2, 3, activation="sigmoid", use_bias=False,
                                                     dtype="float64"), (1, 4, 5, 2)),
    "conv2d_unfused_activation": (lambda: layers.Conv2D(2, 3, activation="elu", dtype="float64"), (1, 4, 4, 2)),
    "conv2d_channels_first": (lambda: layers.Conv2D(2, 3, activation="relu", data_format="channels_first",
                                                    dtype="float64"), (1, 2, 5, 4)),
    "conv3d": (lambda: layers.Conv3D(2, 2, dtype="float64"), (1, 3, 3, 3, 1)),
    "conv1d_transpose": (lambda: layers.Conv1DTranspose(2, 3, strides=2, dtype="float64"), (1, 4, 2)),
    "conv2d_transpose": (lambda: layers.Conv2DTranspose(2, 3, strides=2, activation="relu", dtype="float64"),
                         (1, 3, 3, 2)),
    "depthwise_conv2d": (lambda: layers.DepthwiseConv2D(3, depth_multiplier=2, dtype="float64"), (1, 5, 5, 2)),
    "depthwise_conv1d": (lambda: layers.DepthwiseConv1D(2, dtype="float64"), (2, 5, 3)),
    "separable_conv2d": (lambda: layers.SeparableConv2D(3, 2, activation="relu", dtype="float64"), (1, 4, 4, 2)),
    "separable_conv1d": (lambda: layers.SeparableConv1D(2, 3, dtype="float64"), (2, 6, 2)),
}


@pytest.mark.parametrize("name", list(CONV_LAYERS))
def test_convolution_layer_input_gradient_after_the_tape(name):
    make, shape = CONV_LAYERS[name]
    layer = _conv_layer(make(), shape)
    _check_finite_differences(layer, _data(shape))


CONV_OPS = {
    "conv1d": (lambda x: ops.conv(x, _data((3, 2, 3), 1)), (2, 6, 2)),
    "conv2d": (lambda x: ops.conv(x, _data((2, 2, 2, 3), 1), strides=2, padding="same"), (1, 5, 5, 2)),
    "conv2d_dilated": (lambda x: ops.conv(x, _data((2, 2, 1, 2), 1), dilation_rate=2), (1, 5, 5, 1)),
    "conv_transpose": (lambda x: ops.conv_transpose(x, _data((3, 3, 2, 2), 1), strides=2), (1, 3, 3, 2)),
    "depthwise_conv": (lambda x: ops.depthwise_conv(x, _data((2, 2, 2, 2), 1)), (1, 4, 4, 2)),
    "separable_conv": (lambda x: ops.separable_conv(x, _data((2, 2, 2, 1), 1), _data((1, 1, 2, 3), 2)),
                       (1, 4, 4, 2)),
}


@pytest.mark.parametrize("name", list(CONV_OPS))
def test_convolution_op_input_gradient_after_the_tape(name):
    fn, shape = CONV_OPS[name]
    _check_finite_differences(fn, _data(shape))


def test_convolution_kernel_gradient_for_a_watched_numpy_kernel_after_the_tape():
    x = _data((1, 5, 5, 2))
    _check_finite_differences(lambda w: ops.conv(x, w), _data((3, 3, 2, 2), 1))


# ------------------------------------------------------------------ pooling

POOLS = {
    "max_pool1d": (lambda x: ops.max_pool(x, 2), (2, 6, 3)),
    "max_pool2d_same": (lambda x: ops.max_pool(x, 3, strides=2, padding="same"), (1, 5, 5, 2)),
    "avg_pool1d_same": (lambda x: ops.average_pool(x, 3, strides=1, padding="same"), (2, 5, 2)),
    "avg_pool2d": (lambda x: ops.average_pool(x, (2, 2)), (1, 4, 6, 2)),
    "max_pool3d": (lambda x: ops.max_pool(x, 2), (1, 4, 4, 4, 1)),
    "max_pooling2d_layer": (layers.MaxPooling2D(2, dtype="float64"), (2, 4, 4, 2)),
    "average_pooling2d_layer_channels_first": (
        layers.AveragePooling2D(2, data_format="channels_first", dtype="float64"), (1, 2, 4, 4)),
    "global_average_pooling2d": (layers.GlobalAveragePooling2D(dtype="float64"), (2, 3, 3, 2)),
    "global_max_pooling1d": (layers.GlobalMaxPooling1D(dtype="float64"), (2, 5, 2)),
}


@pytest.mark.parametrize("name", list(POOLS))
def test_pooling_input_gradient_after_the_tape(name):
    fn, shape = POOLS[name]
    _check_finite_differences(fn, _data(shape))


# ------------------------------------------------------------------ crossentropies


def _probabilities(shape, seed=0):
    e = np.exp(_data(shape, seed))
    return (e / e.sum(axis=-1, keepdims=True)).astype("float32")


CROSSENTROPIES = {
    "categorical": lambda t, o: keras.losses.categorical_crossentropy(t, o),
    "categorical_from_logits": lambda t, o: keras.losses.categorical_crossentropy(t, o, from_logits=True),
    "categorical_smoothing": lambda t, o: keras.losses.categorical_crossentropy(t, o, label_smoothing=0.1),
    "binary": lambda t, o: keras.losses.binary_crossentropy(t, o),
    "binary_from_logits": lambda t, o: keras.losses.binary_crossentropy(t, o, from_logits=True),
    "categorical_loss_class_mean": lambda t, o: keras.losses.CategoricalCrossentropy()(t, o),
    "binary_loss_class_mean": lambda t, o: keras.losses.BinaryCrossentropy(from_logits=True)(t, o),
    "ops_categorical": lambda t, o: ops.categorical_crossentropy(t, o),
    "ops_binary": lambda t, o: ops.binary_crossentropy(t, o),
}


@pytest.mark.parametrize("name", list(CROSSENTROPIES))
@pytest.mark.parametrize("wrt", ["output", "target"])
def test_crossentropy_gradient_after_the_tape(name, wrt):
    loss = CROSSENTROPIES[name]
    target, output = _probabilities((3, 4), seed=1), _probabilities((3, 4), seed=2)
    if wrt == "output":
        _check_after_equals_inside(lambda o: loss(target, o), output)
    else:
        _check_after_equals_inside(lambda t: loss(t, output), target)


@pytest.mark.parametrize("from_logits", [False, True])
def test_sparse_categorical_crossentropy_gradient_after_the_tape(from_logits):
    labels = np.array([0, 3, 1])
    output = _probabilities((3, 4), seed=2)
    _check_after_equals_inside(
        lambda o: keras.losses.sparse_categorical_crossentropy(labels, o, from_logits=from_logits), output)
    _check_after_equals_inside(
        lambda o: keras.losses.SparseCategoricalCrossentropy(from_logits=from_logits)(labels, o), output)


# ------------------------------------------------------------------ random transforms


def test_random_transform_op_gradient_after_the_tape():
    def draw():
        return 3.0

    def apply(a, scale):
        return a[::-1] * scale, lambda g: g[::-1] * scale

    _check_finite_differences(lambda x: random_transform(x, draw, apply), _data((5,)))


@pytest.mark.parametrize("make", [
    lambda: layers.RandomFlip("horizontal_and_vertical", seed=3),
    lambda: layers.SpatialDropout2D(0.5, seed=3),
], ids=["random_flip", "spatial_dropout"])
def test_random_layer_input_gradient_after_the_tape(make):
    x = _data((2, 4, 4, 2)).astype("float32")
    # The same seed in a fresh layer: the same draw for the gradient inside and after the block.
    inside = _gradient(lambda a: make()(a, training=True), x, after=False)
    after = _gradient(lambda a: make()(a, training=True), x, after=True)
    assert after is not None
    np.testing.assert_array_equal(after, inside)
    assert np.any(after != 0)


# ------------------------------------------------------------------ other ops reading "tracked" lazily


def test_power_exponent_gradient_after_the_tape():
    base = np.abs(_data((4,))) + 0.5
    _check_finite_differences(lambda e: ops.power(base, e), _data((4,), 1))


def test_custom_gradient_with_a_watched_array_and_a_variable_after_the_tape():
    @custom_gradient
    def scaled(x, w):
        def grad(g):
            return g * 2.0, g * 3.0

        return x * 2.0 + w * 3.0, grad

    x = np.ones(3, "float32")
    w = keras.Variable(np.ones(3, "float32"))
    with keras.GradientTape() as tape:
        tape.watch(x)
        y = ops.sum(scaled(x, w))
    gx, gw = tape.gradient(y, [x, w])
    # Each gradient goes to its own argument (not shifted by one when `x` is no longer watched).
    np.testing.assert_array_equal(gx, np.full(3, 2.0))
    np.testing.assert_array_equal(gw, np.full(3, 3.0))


# ------------------------------------------------------------------ a small CNN: saliency map, FGSM


def _small_cnn(dtype):
    model = keras.Sequential([
        keras.Input((6, 6, 1), dtype=dtype),
        layers.Conv2D(3, 3, activation="relu", padding="same", dtype=dtype),
        layers.MaxPooling2D(2, dtype=dtype),
        layers.Conv2D(4, 2, activation="tanh", dtype=dtype),
        layers.AveragePooling2D(2, dtype=dtype),
        layers.Flatten(dtype=dtype),
        layers.Dense(3, activation="softmax", dtype=dtype),
    ])
    model.set_weights([_data(w.shape, seed=i + 1) * 0.5 for i, w in enumerate(model.get_weights())])
    return model


def _through_layers(model):
    """The model's layers called one after the other (a float64 batch reaches them as it is:
    the float32 `Sequential` itself would first cast it to float32)."""
    def apply(x):
        for layer in model.layers:
            x = layer(x)
        return x

    return apply


def test_small_cnn_saliency_map_after_the_tape_matches_finite_differences():
    model = _small_cnn("float64")
    _check_finite_differences(_through_layers(model), _data((2, 6, 6, 1)))


def test_small_cnn_fgsm_loss_gradient_after_the_tape():
    model = _small_cnn("float32")
    x = _data((2, 6, 6, 1)).astype("float32")
    labels = np.array([0, 2])
    grads = []
    for after in (False, True):
        with keras.GradientTape() as tape:
            tape.watch(x)
            loss = keras.losses.SparseCategoricalCrossentropy()(labels, model(x))
            if not after:
                grads.append(tape.gradient(loss, x))
        if after:
            grads.append(tape.gradient(loss, x))
    assert grads[1] is not None and grads[1].dtype == np.float32
    np.testing.assert_array_equal(grads[1], grads[0])
    assert np.any(grads[1] != 0)


def _penalty_gradients(forward, x, sources, after):
    """A gradient penalty: the inner tape's gradient of `forward()` for `x`, taken inside the
    `with` block or `after` it, then the outer tape's gradient of its squared norm."""
    with keras.GradientTape() as outer:
        with keras.GradientTape() as inner:
            inner.watch(x)
            y = forward()
            if not after:
                g = inner.gradient(y, x)
        if after:
            g = inner.gradient(y, x)
        penalty = ops.sum(ops.square(g))
    return g, outer.gradient(penalty, sources)


def test_gradient_penalty_through_a_closed_inner_tape_inside_an_outer_tape():
    # WGAN-GP: the inner tape (watching a numpy batch) is closed before its gradient is
    # taken, inside an outer tape that differentiates the gradient's norm for the weights.
    model = _small_cnn("float64")
    critic = _through_layers(model)
    x = _data((2, 6, 6, 1))
    weights = [w for layer in model.layers for w in layer.trainable_weights]

    def forward():
        return ops.sum(critic(x)[:, 0])

    g_inside, w_inside = _penalty_gradients(forward, x, weights, after=False)
    g_after, w_after = _penalty_gradients(forward, x, weights, after=True)
    np.testing.assert_allclose(np.asarray(g_after), np.asarray(g_inside), rtol=1e-12, atol=1e-14)
    for a, b in zip(w_after, w_inside):
        assert a is not None and b is not None
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-12, atol=1e-14)


def test_second_order_through_a_plain_convolution_with_a_closed_inner_tape():
    # `ops.conv` (no fused bias): its recorded backward pass, under the outer tape.
    kernel = keras.Variable(_data((2, 2, 2, 3), 1), dtype="float64")
    x = _data((1, 4, 4, 2))

    def forward():
        return ops.sum(ops.multiply(ops.tanh(ops.max_pool(ops.conv(x, kernel), 2)), 0.5))

    g_inside, k_inside = _penalty_gradients(forward, x, kernel, after=False)
    g_after, k_after = _penalty_gradients(forward, x, kernel, after=True)
    assert g_after is not None and k_after is not None
    np.testing.assert_allclose(np.asarray(g_after), np.asarray(g_inside), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(np.asarray(k_after), np.asarray(k_inside), rtol=1e-12, atol=1e-14)
    assert np.any(np.asarray(k_after) != 0)


def test_a_float64_watched_batch_gets_its_gradient_through_a_float32_model():
    # `x = np.random.rand(...)` is float64: the model casts it to float32 as a recorded op.
    model = _small_cnn("float32")
    x64 = _data((2, 6, 6, 1))
    labels = np.array([0, 2])
    grads = []
    for x in (x64, x64.astype("float32")):
        with keras.GradientTape() as tape:
            tape.watch(x)
            loss = keras.losses.SparseCategoricalCrossentropy()(labels, model(x))
        grads.append(tape.gradient(loss, x))
    assert grads[0] is not None and grads[0].dtype == np.float64
    np.testing.assert_array_equal(grads[0], grads[1].astype("float64"))
