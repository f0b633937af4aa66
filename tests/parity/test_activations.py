"""nanokeras.activations against real keras.activations: values, gradients, get/serialize."""

import numpy as np
import pytest

import nanokeras
from nanokeras import activations

X = np.array([[-6.0, -3.0, -1.5, -0.5, 0.0], [0.25, 1.0, 3.0, 5.0, 6.0]], "float32")
W = np.random.default_rng(2).standard_normal(X.shape).astype("float32")

NAMES = sorted(activations.ALL_OBJECTS_DICT)
RELU_OPTIONS = [
    {}, {"negative_slope": 0.5}, {"max_value": 5.0}, {"max_value": 6.0}, {"threshold": 1.0},
    {"negative_slope": 0.3, "max_value": 4.0, "threshold": 1.0}, {"negative_slope": 0.2, "threshold": -1.0},
]


def _grad(fn):
    v = nanokeras.Variable(X)
    with nanokeras.GradientTape() as tape:
        y = nanokeras.ops.sum(fn(v) * W)
    return np.asarray(tape.gradient(y, v))


def _jax_grad(fn):
    import jax
    import jax.numpy as jnp

    return np.asarray(jax.grad(lambda x: jnp.sum(fn(x) * W))(jnp.asarray(X)))


# Activations that need more than `x`, and the arguments they are tested with.
EXTRA_ARGUMENTS = {"threshold": (0.5, -2.0), "hard_shrink": (1.2,), "soft_shrink": (0.7,), "squareplus": (2.0,)}


def _with_arguments(fn, name, lib):
    extra = EXTRA_ARGUMENTS.get(name, ())
    if name == "glu":  # it halves the last axis: give it twice as many columns
        return lambda x: fn(lib.ops.concatenate([x, lib.ops.flip(x, axis=-1)], axis=-1))
    return (lambda x: fn(x, *extra)) if extra else fn


@pytest.mark.parametrize("name", NAMES)
def test_values_and_gradients_match_keras(keras, name):
    ours = _with_arguments(activations.get(name), name, nanokeras)
    theirs = _with_arguments(keras.activations.get(name), name, keras)
    np.testing.assert_allclose(ours(X), np.asarray(theirs(X)), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(_grad(ours), _jax_grad(theirs), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("options", RELU_OPTIONS, ids=str)
def test_relu_options_match_keras(keras, options):
    ours = lambda x: activations.relu(x, **options)  # noqa: E731
    theirs = lambda x: keras.activations.relu(x, **options)  # noqa: E731
    np.testing.assert_allclose(ours(X), np.asarray(theirs(X)), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(_grad(ours), _jax_grad(theirs), rtol=1e-5, atol=1e-6)


def test_gelu_default_is_exact_like_keras(keras):
    np.testing.assert_allclose(activations.gelu(X), np.asarray(keras.activations.gelu(X)), atol=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_serialize_names_match_keras(keras, name):
    assert activations.serialize(activations.get(name)) == keras.activations.serialize(keras.activations.get(name))


def test_keras_serialized_dicts_are_understood(keras):
    from keras.src.saving import serialization_lib

    for name in ("relu", "softmax", "swish"):
        config = serialization_lib.serialize_keras_object(keras.activations.get(name))
        assert activations.get(config) is activations.get(name)
