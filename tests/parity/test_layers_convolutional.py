"""Parity of the convolution, pooling and spatial layers with real Keras 3 on JAX.

For each configuration of a grid (ranks, kernel sizes, strides, paddings,
dilations, groups, data formats, odd sizes, activations): the same weights in
both libraries give the same outputs, the same gradients for the inputs and
for every weight (within 1e-5), the same output shapes and the same configs.
"""

import json

import numpy as np
import pytest

import nanokeras as nk

TOL = dict(rtol=1e-5, atol=1e-5)


def _normalized(config):
    return json.loads(json.dumps(config))


def keras_gradients(layer, x, weights, training=False):
    """Gradients of sum(layer(x) * weights) for x and every trainable variable, through JAX."""
    import jax
    import jax.numpy as jnp

    trainable = [v.value for v in layer.trainable_variables]
    non_trainable = [v.value for v in layer.non_trainable_variables]

    def objective(trainable, x):
        kwargs = {"training": True} if training else {}
        outputs, _ = layer.stateless_call(trainable, non_trainable, x, **kwargs)
        return jnp.sum(outputs * weights)

    dw, dx = jax.grad(objective, argnums=(0, 1))(trainable, jnp.asarray(x))
    return np.asarray(dx), [np.asarray(g) for g in dw]


def nanokeras_gradients(layer, x, weights, training=False):
    xv = nk.Variable(x)
    variables = layer.trainable_weights
    with nk.GradientTape() as tape:
        loss = nk.ops.sum(nk.ops.multiply(layer(xv, training=training), weights))
    grads = tape.gradient(loss, [xv] + variables)
    return np.asarray(grads[0]), [np.asarray(g) for g in grads[1:]]


def check_parity(keras, name, kwargs, input_shape, seed=0, training=False, grads=True):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(input_shape).astype("float32")
    ours, theirs = getattr(nk.layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)
    expected = np.asarray(theirs(x, training=training))
    ours.build(input_shape)
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    assert [w.name for w in ours.weights] == [w.name.split("/")[-1] for w in theirs.weights]
    weights = [rng.standard_normal(w.shape).astype("float32") * 0.5 for w in theirs.weights]
    theirs.set_weights(weights)
    ours.set_weights(weights)
    expected = np.asarray(theirs(x, training=training))
    got = np.asarray(ours(x, training=training))
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, **TOL)
    assert tuple(ours.compute_output_shape(input_shape)) == tuple(theirs.compute_output_shape(input_shape))
    symbolic = (None,) + tuple(input_shape[1:])
    assert tuple(ours.compute_output_shape(symbolic)) == tuple(theirs.compute_output_shape(symbolic))
    ours_config, theirs_config = _normalized(ours.get_config()), _normalized(theirs.get_config())
    ours_config.pop("name"), theirs_config.pop("name")
    assert ours_config == theirs_config
    if grads:
        upstream = rng.standard_normal(expected.shape).astype("float32")
        dx, dw = nanokeras_gradients(ours, x, upstream, training)
        kdx, kdw = keras_gradients(theirs, x, upstream, training)
        np.testing.assert_allclose(dx, kdx, **TOL)
        for a, b in zip(dw, kdw):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-4)


CONV_GRID = [
    ("Conv1D", dict(filters=4, kernel_size=3), (2, 9, 3)),
    ("Conv1D", dict(filters=4, kernel_size=3, padding="causal", dilation_rate=2, activation="relu"), (2, 9, 3)),
    ("Conv1D", dict(filters=6, kernel_size=2, strides=2, padding="same", groups=3), (2, 9, 3)),
    ("Conv1D", dict(filters=4, kernel_size=3, data_format="channels_first", activation="tanh"), (2, 3, 9)),
    ("Conv2D", dict(filters=5, kernel_size=3), (2, 7, 6, 3)),
    ("Conv2D", dict(filters=5, kernel_size=(3, 2), strides=(2, 1), padding="same", activation="relu"), (2, 7, 6, 3)),
    ("Conv2D", dict(filters=4, kernel_size=3, padding="same", dilation_rate=(2, 1), activation="sigmoid"),
     (2, 7, 6, 2)),
    ("Conv2D", dict(filters=6, kernel_size=3, groups=2, use_bias=False), (2, 5, 5, 4)),
    ("Conv2D", dict(filters=4, kernel_size=3, strides=2, data_format="channels_first", activation="relu"),
     (2, 3, 7, 6)),
    ("Conv2D", dict(filters=3, kernel_size=1), (2, 4, 5, 6)),
    ("Conv2D", dict(filters=3, kernel_size=4, strides=3, padding="same", activation="elu"), (2, 8, 7, 2)),
    ("Conv3D", dict(filters=2, kernel_size=2, padding="same"), (1, 4, 3, 5, 2)),
    ("Conv3D", dict(filters=3, kernel_size=(2, 1, 2), strides=(1, 2, 2), data_format="channels_first"),
     (1, 2, 4, 5, 5)),
    ("Conv1DTranspose", dict(filters=3, kernel_size=3, strides=2), (2, 5, 2)),
    ("Conv1DTranspose", dict(filters=3, kernel_size=4, strides=3, padding="same", output_padding=2), (2, 5, 2)),
    ("Conv2DTranspose", dict(filters=4, kernel_size=3, strides=2, padding="same", activation="relu"), (2, 4, 5, 3)),
    ("Conv2DTranspose", dict(filters=2, kernel_size=(3, 2), strides=(2, 3), output_padding=(1, 2)), (2, 3, 4, 3)),
    ("Conv2DTranspose", dict(filters=2, kernel_size=3, dilation_rate=2, padding="same"), (2, 4, 4, 3)),
    ("Conv2DTranspose", dict(filters=2, kernel_size=2, strides=2, data_format="channels_first"), (2, 3, 4, 3)),
    ("Conv3DTranspose", dict(filters=2, kernel_size=2, strides=2, padding="same"), (1, 2, 3, 2, 2)),
    ("DepthwiseConv1D", dict(kernel_size=3, depth_multiplier=2, padding="same"), (2, 7, 3)),
    ("DepthwiseConv2D", dict(kernel_size=3, activation="relu"), (2, 7, 6, 3)),
    ("DepthwiseConv2D", dict(kernel_size=(2, 3), strides=2, depth_multiplier=3, padding="same",
                             data_format="channels_first"), (2, 2, 7, 6)),
    ("DepthwiseConv2D", dict(kernel_size=3, dilation_rate=2), (2, 7, 7, 2)),
    ("SeparableConv1D", dict(filters=4, kernel_size=3, depth_multiplier=2), (2, 8, 3)),
    ("SeparableConv2D", dict(filters=4, kernel_size=3, padding="same", activation="relu"), (2, 6, 5, 3)),
    ("SeparableConv2D", dict(filters=2, kernel_size=2, strides=2, data_format="channels_first"), (2, 3, 6, 5)),
]


@pytest.mark.parametrize("name,kwargs,shape", CONV_GRID, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(CONV_GRID)])
def test_convolution_layers(keras, name, kwargs, shape):
    check_parity(keras, name, kwargs, shape)


POOL_GRID = [
    ("MaxPooling1D", dict(), (2, 9, 3)),
    ("MaxPooling1D", dict(pool_size=3, strides=2, padding="same"), (2, 9, 3)),
    ("MaxPooling2D", dict(), (2, 7, 6, 3)),
    ("MaxPooling2D", dict(pool_size=(3, 2), strides=1, padding="same", data_format="channels_first"), (2, 3, 7, 6)),
    ("MaxPooling3D", dict(pool_size=2, padding="same"), (1, 3, 4, 5, 2)),
    ("AveragePooling1D", dict(pool_size=2), (2, 9, 3)),
    ("AveragePooling2D", dict(pool_size=3, strides=2, padding="same"), (2, 7, 6, 3)),
    ("AveragePooling2D", dict(pool_size=2, strides=1, data_format="channels_first"), (2, 3, 5, 6)),
    ("AveragePooling3D", dict(pool_size=(2, 2, 1), padding="same"), (1, 3, 4, 5, 2)),
    ("GlobalAveragePooling1D", dict(), (2, 9, 3)),
    ("GlobalAveragePooling2D", dict(keepdims=True), (2, 7, 6, 3)),
    ("GlobalAveragePooling3D", dict(data_format="channels_first"), (1, 2, 3, 4, 5)),
    ("GlobalMaxPooling1D", dict(data_format="channels_first"), (2, 3, 9)),
    ("GlobalMaxPooling2D", dict(), (2, 7, 6, 3)),
    ("GlobalMaxPooling3D", dict(keepdims=True), (1, 3, 4, 5, 2)),
]


@pytest.mark.parametrize("name,kwargs,shape", POOL_GRID, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(POOL_GRID)])
def test_pooling_layers(keras, name, kwargs, shape):
    check_parity(keras, name, kwargs, shape)


def test_max_pooling_gradient_after_relu_ties(keras):
    # ReLU zeros tie inside windows: the gradient goes where JAX sends it.
    rng = np.random.default_rng(3)
    x = np.maximum(rng.standard_normal((2, 6, 6, 2)), 0).astype("float32")
    x[0, :2, :2] = 0.0
    ours, theirs = nk.layers.MaxPooling2D(), keras.layers.MaxPooling2D()
    upstream = rng.standard_normal((2, 3, 3, 2)).astype("float32")
    np.testing.assert_array_equal(nanokeras_gradients(ours, x, upstream)[0], keras_gradients(theirs, x, upstream)[0])


RESHAPING_GRID = [
    ("ZeroPadding1D", dict(padding=(1, 2)), (2, 5, 3)),
    ("ZeroPadding2D", dict(padding=((1, 0), (2, 3))), (2, 4, 5, 3)),
    ("ZeroPadding2D", dict(padding=2, data_format="channels_first"), (2, 3, 4, 5)),
    ("ZeroPadding3D", dict(padding=(1, 0, 2)), (1, 2, 3, 4, 2)),
    ("Cropping1D", dict(cropping=(2, 1)), (2, 6, 3)),
    ("Cropping2D", dict(cropping=((1, 2), (0, 1))), (2, 5, 5, 3)),
    ("Cropping2D", dict(cropping=1, data_format="channels_first"), (2, 3, 4, 5)),
    ("Cropping3D", dict(cropping=((1, 0), (0, 1), (1, 1))), (1, 3, 3, 4, 2)),
    ("UpSampling1D", dict(size=3), (2, 4, 3)),
    ("UpSampling2D", dict(size=(2, 3)), (2, 3, 4, 2)),
    ("UpSampling2D", dict(size=2, interpolation="bilinear"), (2, 3, 4, 2)),
    ("UpSampling2D", dict(size=(3, 2), interpolation="bicubic", data_format="channels_first"), (2, 2, 3, 4)),
    ("UpSampling3D", dict(size=(1, 2, 2)), (1, 2, 3, 2, 2)),
    ("UpSampling3D", dict(size=2, data_format="channels_first"), (1, 2, 2, 3, 2)),
]


@pytest.mark.parametrize("name,kwargs,shape", RESHAPING_GRID,
                         ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(RESHAPING_GRID)])
def test_spatial_reshaping_layers(keras, name, kwargs, shape):
    check_parity(keras, name, kwargs, shape)


@pytest.mark.parametrize("name,shape,kwargs", [
    ("SpatialDropout1D", (4, 5, 6), {}), ("SpatialDropout2D", (4, 3, 5, 6), {"data_format": "channels_first"}),
    ("SpatialDropout3D", (2, 3, 3, 2, 4), {}),
])
def test_spatial_dropout_configs_and_inference(keras, name, shape, kwargs):
    x = np.random.default_rng(0).standard_normal(shape).astype("float32")
    ours, theirs = getattr(nk.layers, name)(0.3, seed=2, **kwargs), getattr(keras.layers, name)(0.3, seed=2, **kwargs)
    np.testing.assert_array_equal(np.asarray(ours(x)), np.asarray(theirs(x)))
    ours_config, theirs_config = ours.get_config(), theirs.get_config()
    ours_config.pop("name"), theirs_config.pop("name")
    assert _normalized(ours_config) == _normalized(theirs_config)
    dropped = np.asarray(theirs(x, training=True))  # Keras's pattern: whole channels zero, the rest scaled
    ours_dropped = np.asarray(ours(x, training=True))
    for y in (dropped, ours_dropped):
        kept = y != 0
        np.testing.assert_allclose(y[kept], x[kept] / 0.7, rtol=1e-6)
