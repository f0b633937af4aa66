"""Issue 13's layers against real Keras 3: same weights in, same outputs, gradients, configs and files."""

import json

import numpy as np
import pytest

import nanokeras as nk

RNG = np.random.default_rng(13)


def _np(x):
    return np.asarray(x)


def _same_weights(ours, theirs, x):
    """Builds both layers on `x` and copies Keras's (randomized) weights into ours."""
    ours(x)
    theirs(x)
    weights = [RNG.normal(size=tuple(w.shape)).astype("float32") for w in theirs.weights]
    theirs.set_weights(weights)
    ours.set_weights(weights)
    assert [w.name for w in ours.weights] == [w.name for w in theirs.weights]


def _gradients(keras, ours, theirs, x, training=False):
    """d sum(layer(x) * w) / d(weights and x), for both libraries."""
    import jax
    import jax.numpy as jnp

    out = _np(theirs(x))  # (an eager training call would change Keras's state)
    w = RNG.normal(size=out.shape).astype("float32")
    variables = [nk.Variable(x)] + list(ours.trainable_weights)
    with nk.GradientTape() as tape:
        y = nk.ops.sum(ours(variables[0], training=training) * w)
    our_grads = [np.asarray(g) for g in tape.gradient(y, variables)]

    trainable = [v.value for v in theirs.trainable_variables]
    non_trainable = [v.value for v in theirs.non_trainable_variables]

    extra = {"training": True} if training else {}

    def loss(x_value, trainable_values):
        out, _ = theirs.stateless_call(trainable_values, non_trainable, x_value, **extra)
        return jnp.sum(out * w)

    gx, gw = jax.grad(loss, argnums=(0, 1))(jnp.asarray(x), trainable)
    return our_grads, [np.asarray(gx)] + [np.asarray(g) for g in gw]


def _without_layer_names(value):
    """The JSON value with every layer's automatic name dropped (each library counts its own names).

    Only layer configs (those with ``trainable``) lose ``name``: a dtype policy's name is data."""
    if isinstance(value, dict):
        return {key: _without_layer_names(item) for key, item in value.items()
                if not (key == "name" and "trainable" in value)}
    if isinstance(value, list):
        return [_without_layer_names(item) for item in value]
    return value


def _config_round_trip(keras, ours, theirs):
    """Keras's config rebuilds our layer, and ours is Keras's (JSON-identical, names aside)."""
    our_config, their_config = ours.get_config(), theirs.get_config()
    for config in (our_config, their_config):
        config.pop("name", None)
    assert json.loads(json.dumps(nk.saving.serialize_keras_object(type(ours).from_config(their_config)).get(
        "config"))) is not None
    ours_json = _without_layer_names(json.loads(json.dumps(our_config)))
    theirs_json = _without_layer_names(json.loads(json.dumps(their_config)))
    assert ours_json == theirs_json


ACTIVATION_LAYERS = [
    ("ReLU", {}), ("ReLU", {"max_value": 2.0, "negative_slope": 0.1, "threshold": 0.5}),
    ("LeakyReLU", {}), ("LeakyReLU", {"negative_slope": 0.05}), ("ELU", {}), ("ELU", {"alpha": 0.5}),
    ("Softmax", {}), ("Softmax", {"axis": 1}), ("Softmax", {"axis": [1, 2]}), ("Identity", {}),
]


@pytest.mark.parametrize("name,kwargs", ACTIVATION_LAYERS, ids=[f"{n}-{k}" for n, k in ACTIVATION_LAYERS])
def test_activation_layers(keras, name, kwargs):
    x = RNG.normal(scale=2.0, size=(3, 4, 5)).astype("float32")
    ours, theirs = getattr(nk.layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)
    np.testing.assert_allclose(_np(ours(x)), _np(theirs(x)), rtol=1e-6, atol=1e-6)
    for a, b in zip(*_gradients(keras, ours, theirs, x)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    _config_round_trip(keras, ours, theirs)


def test_softmax_with_mask(keras):
    x = RNG.normal(size=(2, 5)).astype("float32")
    mask = np.array([[1, 1, 0, 1, 0], [0, 1, 1, 1, 1]], dtype=bool)
    np.testing.assert_allclose(_np(nk.layers.Softmax()(x, mask=mask)), _np(keras.layers.Softmax()(x, mask=mask)),
                               rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(_np(nk.layers.Softmax()(x, mask=mask.astype("float32"))),
                               _np(keras.layers.Softmax()(x, mask=mask.astype("float32"))), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("kwargs", [{}, {"shared_axes": [1]}, {"alpha_initializer": "ones", "shared_axes": 2}])
def test_prelu(keras, kwargs):
    x = RNG.normal(size=(3, 4, 5)).astype("float32")
    ours, theirs = nk.layers.PReLU(**kwargs), keras.layers.PReLU(**kwargs)
    _same_weights(ours, theirs, x)
    np.testing.assert_allclose(_np(ours(x)), _np(theirs(x)), rtol=1e-6, atol=1e-6)
    for a, b in zip(*_gradients(keras, ours, theirs, x)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    _config_round_trip(keras, ours, theirs)


EINSUM_CASES = [
    ("ab,bc->ac", 4, "c", (3, 5)),
    ("abc,cd->abd", (None, 4), "d", (2, 3, 5)),
    ("abc,cde->abde", (None, 2, 4), "de", (2, 3, 5)),
    ("...b,bc->...c", 4, None, (2, 3, 5)),
    ("abc,bcd->ad", 6, "d", (2, 3, 5)),
    ("abc...,cd->abd...", (3, 4, 7), "b", (2, 3, 5, 7)),
]


@pytest.mark.parametrize("equation,output_shape,bias_axes,shape", EINSUM_CASES, ids=[c[0] for c in EINSUM_CASES])
def test_einsum_dense(keras, equation, output_shape, bias_axes, shape):
    x = RNG.normal(size=shape).astype("float32")
    kwargs = dict(equation=equation, output_shape=output_shape, bias_axes=bias_axes, activation="relu")
    ours, theirs = nk.layers.EinsumDense(**kwargs), keras.layers.EinsumDense(**kwargs)
    _same_weights(ours, theirs, x)
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    np.testing.assert_allclose(_np(ours(x)), _np(theirs(x)), rtol=1e-5, atol=1e-5)
    assert ours.compute_output_shape((None,) + shape[1:]) == tuple(
        theirs.compute_output_shape((None,) + shape[1:]))
    for a, b in zip(*_gradients(keras, ours, theirs, x)):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    _config_round_trip(keras, ours, theirs)


def test_einsum_dense_kernel_fans_follow_the_equation(keras):
    # Glorot's scale uses the kernel's input and output axes: same statistics as Keras.
    ours = nk.layers.EinsumDense("abc,cde->abde", output_shape=(None, 20, 30))
    theirs = keras.layers.EinsumDense("abc,cde->abde", output_shape=(None, 20, 30))
    ours.build((None, 3, 40))
    theirs.build((None, 3, 40))
    assert np.std(ours.kernel.numpy()) == pytest.approx(float(np.std(_np(theirs.kernel))), rel=0.05)


@pytest.mark.parametrize("kwargs,shape", [
    ({"groups": 2}, (3, 6)), ({"groups": 3, "axis": 1}, (2, 6, 4)), ({"groups": -1}, (2, 5, 4)),
    ({"groups": 1, "center": False, "epsilon": 1e-5}, (2, 3, 8)), ({"groups": 4}, (2, 3, 3, 8)),
])
def test_group_normalization(keras, kwargs, shape):
    x = RNG.normal(1.0, 3.0, size=shape).astype("float32")
    ours, theirs = nk.layers.GroupNormalization(**kwargs), keras.layers.GroupNormalization(**kwargs)
    _same_weights(ours, theirs, x)
    np.testing.assert_allclose(_np(ours(x)), _np(theirs(x)), rtol=1e-4, atol=1e-5)
    for a, b in zip(*_gradients(keras, ours, theirs, x)):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-4)
    _config_round_trip(keras, ours, theirs)


@pytest.mark.parametrize("kwargs", [{}, {"axis": [1, 2], "epsilon": 1e-3}])
def test_rms_normalization(keras, kwargs):
    x = RNG.normal(size=(3, 4, 5)).astype("float32")
    ours, theirs = nk.layers.RMSNormalization(**kwargs), keras.layers.RMSNormalization(**kwargs)
    _same_weights(ours, theirs, x)
    np.testing.assert_allclose(_np(ours(x)), _np(theirs(x)), rtol=1e-5, atol=1e-6)
    for a, b in zip(*_gradients(keras, ours, theirs, x)):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    _config_round_trip(keras, ours, theirs)


def test_spectral_normalization_training_step_and_inference(keras):
    x = RNG.normal(size=(4, 3)).astype("float32")
    ours = nk.layers.SpectralNormalization(nk.layers.Dense(5), power_iterations=2)
    theirs = keras.layers.SpectralNormalization(keras.layers.Dense(5), power_iterations=2)
    _same_weights(ours, theirs, x)
    # Inference uses the raw kernel.
    np.testing.assert_allclose(_np(ours(x)), _np(theirs(x)), rtol=1e-5, atol=1e-6)
    # A training step inside fit (Keras on JAX): the output uses kernel / sigma, vector_u moves on,
    # the gradient flows through sigma, and the kernel variable itself is not replaced.
    our_grads, their_grads = _gradients(keras, ours, theirs, x, training=True)
    for a, b in zip(our_grads, their_grads):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    _config_round_trip(keras, ours, theirs)


def test_spectral_normalization_fits_as_keras_does(keras):
    x = RNG.normal(size=(32, 3)).astype("float32")
    y = RNG.normal(size=(32, 2)).astype("float32")

    def build(lib):
        model = lib.Sequential([lib.Input((3,)), lib.layers.SpectralNormalization(lib.layers.Dense(4)),
                                lib.layers.Dense(2)])
        model.compile(lib.optimizers.SGD(0.1), "mse")
        return model

    theirs, ours = build(keras), build(nk)
    ours.set_weights([_np(w) for w in theirs.get_weights()])
    theirs_history = theirs.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0).history
    ours_history = ours.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0).history
    np.testing.assert_allclose(ours_history["loss"], theirs_history["loss"], rtol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, _np(b), rtol=1e-4, atol=1e-5)


def test_pipeline_and_wrapper_configs(keras):
    def pipeline(lib):
        return lib.layers.Pipeline([lib.layers.Rescaling(0.5, offset=1.0, name="scale"),
                                    lib.layers.ReLU(max_value=2.0, name="relu")], name="pipe")

    x = RNG.normal(size=(3, 4)).astype("float32")
    np.testing.assert_allclose(_np(pipeline(nk)(x)), _np(pipeline(keras)(x)), rtol=1e-6)
    theirs = keras.saving.serialize_keras_object(pipeline(keras))
    ours = nk.saving.serialize_keras_object(pipeline(nk))
    assert json.dumps(ours) == json.dumps(theirs)
    rebuilt = nk.saving.deserialize_keras_object(theirs)
    np.testing.assert_allclose(_np(rebuilt(x)), _np(pipeline(keras)(x)), rtol=1e-6)


HASHING_CASES = [
    ({"num_bins": 3}, np.array([["A"], ["B"], ["C"], ["D"], ["E"]])),
    ({"num_bins": 7}, np.array([[1, 22, -3, 400000000000]], dtype="int64")),
    ({"num_bins": 7}, np.array([[1.7, -2.2, 3.0]], dtype="float32")),
    ({"num_bins": 5, "mask_value": "B"}, np.array([["A", "B", "C"]])),
    ({"num_bins": 5, "mask_value": 0}, np.array([[0, 1, 2]], dtype="int32")),
    ({"num_bins": 11, "salt": 133}, np.array([["A", "B", "long string with more than sixty-four bytes in it, "
                                                          "so the long path is taken"]])),
    ({"num_bins": 11, "salt": [7, 9]}, np.array([[3, 4, 5]])),
    ({"num_bins": 4, "output_mode": "one_hot"}, np.array([["a"], ["b"], ["c"]])),
    ({"num_bins": 4, "output_mode": "multi_hot"}, np.array([["a", "b"], ["c", "c"]])),
    ({"num_bins": 4, "output_mode": "count"}, np.array([["a", "b", "a"], ["c", "c", "d"]])),
]


@pytest.mark.parametrize("kwargs,x", HASHING_CASES, ids=[str(c[0]) for c in HASHING_CASES])
def test_hashing_puts_values_in_keras_bins(keras, kwargs, x):
    ours, theirs = nk.layers.Hashing(**kwargs), keras.layers.Hashing(**kwargs)
    expected = _np(theirs(x))
    result = ours(x)
    np.testing.assert_array_equal(result, expected)
    # (Keras on JAX gives int32 for the declared int64: JAX keeps 32-bit integers by default.)
    assert result.dtype.kind == expected.dtype.kind
    assert json.dumps(ours.get_config()) == json.dumps(theirs.get_config()).replace(theirs.name, ours.name)


@pytest.mark.parametrize("kwargs,inputs", [
    ({"num_bins": 5}, (np.array([1, 2, 3]), np.array(["A", "B", "C"]))),
    ({"num_bins": 1000}, (np.array([[1], [2]]), np.array([[10], [20]]), np.array([["x"], ["y"]]))),
    ({"num_bins": 4, "output_mode": "one_hot"}, (np.array([1, 2]), np.array(["a", "b"]))),
    ({"num_bins": 4, "output_mode": "one_hot"}, (np.array([[1], [2]]), np.array([["a"], ["b"]]))),
    ({"num_bins": 9}, (np.array(3), np.array("a"))),
])
def test_hashed_crossing_matches(keras, kwargs, inputs):
    ours, theirs = nk.layers.HashedCrossing(**kwargs), keras.layers.HashedCrossing(**kwargs)
    expected = _np(theirs(inputs))
    np.testing.assert_array_equal(ours(inputs), expected)
    assert json.dumps(ours.get_config()) == json.dumps(theirs.get_config()).replace(theirs.name, ours.name)


def test_model_weight_order_and_file_round_trip(keras, tmp_path):
    def build(lib):
        return lib.Sequential([
            lib.Input((6,)), lib.layers.Dense(6), lib.layers.BatchNormalization(), lib.layers.PReLU(),
            lib.layers.GroupNormalization(groups=2), lib.layers.SpectralNormalization(lib.layers.Dense(4)),
            lib.layers.EinsumDense("ab,bc->ac", output_shape=3, bias_axes="c"), lib.layers.RMSNormalization(),
            lib.layers.Softmax()])

    theirs = build(keras)
    ours = build(nk)
    assert [w.name for w in ours.weights] == [w.name for w in theirs.weights]
    path = str(tmp_path / "issue13.keras")
    theirs.save(path)
    loaded = nk.saving.load_model(path)
    x = RNG.normal(size=(5, 6)).astype("float32")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), _np(theirs.predict(x, verbose=0)), rtol=1e-4, atol=1e-5)
    back = str(tmp_path / "back.keras")
    loaded.save(back)
    np.testing.assert_allclose(_np(keras.saving.load_model(back).predict(x, verbose=0)),
                               _np(theirs.predict(x, verbose=0)), rtol=1e-4, atol=1e-5)
