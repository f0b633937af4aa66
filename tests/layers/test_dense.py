import numpy as np
import pytest

import nanokeras as keras
from nanokeras import GradientTape


def test_dense_forward_is_activation_of_affine_map():
    layer = keras.layers.Dense(2, activation="relu", kernel_initializer="ones", bias_initializer="zeros")
    x = np.array([[1.0, -3.0], [2.0, 1.0]], dtype="float32")
    np.testing.assert_allclose(layer(x), np.maximum(x @ np.ones((2, 2)), 0))
    assert layer(x).dtype == np.float32


def test_dense_weights_names_shapes_and_default_initializers():
    layer = keras.layers.Dense(3)
    layer(np.zeros((1, 4), dtype="float32"))
    kernel, bias = layer.weights
    assert (kernel.shape, bias.shape) == ((4, 3), (3,))
    assert (kernel.path, bias.path) == ("dense/kernel", "dense/bias")
    limit = np.sqrt(6 / (4 + 3))
    assert np.all(np.abs(kernel.numpy()) <= limit) and np.all(bias.numpy() == 0)


def test_dense_gradient_matches_closed_form():
    layer = keras.layers.Dense(1, activation="sigmoid")
    x = np.array([[0.5, -1.0], [1.5, 2.0]], dtype="float32")
    layer(x)
    kernel, bias = layer.weights
    with GradientTape() as tape:
        loss = keras.ops.sum(layer(x))
    g_kernel, g_bias = tape.gradient(loss, [kernel, bias])
    p = 1 / (1 + np.exp(-(x @ kernel.numpy() + bias.numpy())))
    np.testing.assert_allclose(g_kernel, x.T @ (p * (1 - p)), rtol=1e-5)
    np.testing.assert_allclose(g_bias, (p * (1 - p)).sum(axis=0), rtol=1e-5)


def test_dense_without_bias_and_config_round_trip():
    layer = keras.layers.Dense(4, use_bias=False, activation="tanh", name="proj")
    config = layer.get_config()
    clone = keras.layers.Dense.from_config(config)
    assert clone.units == 4 and clone.use_bias is False and clone.name == "proj"
    clone(np.zeros((2, 3), dtype="float32"))
    assert len(clone.weights) == 1


@pytest.mark.parametrize("units", [0, -1, 2.5, "3", None])
def test_dense_rejects_bad_units(units):
    with pytest.raises(ValueError, match="units"):
        keras.layers.Dense(units)


def test_dense_rejects_wrong_feature_count_clearly():
    layer = keras.layers.Dense(1)
    layer(np.zeros((1, 2), dtype="float32"))
    with pytest.raises(ValueError, match=r"last dimension 2.*\(1, 3\)"):
        layer(np.zeros((1, 3), dtype="float32"))


def test_unknown_activation_suggests_closest():
    with pytest.raises(ValueError, match="sigmoid"):
        keras.layers.Dense(1, activation="sigmod")


def test_float64_and_int_inputs_are_cast_to_float32():
    layer = keras.layers.Dense(1, kernel_initializer="ones")
    assert layer(np.ones((1, 2))).dtype == np.float32
    assert layer(np.ones((1, 2), dtype="int64")).dtype == np.float32
    assert layer([[1, 2]]).dtype == np.float32


def _second_order(activation, fused):
    """Hessian-vector products through a float64 Dense, via nested tapes.

    The inner gradient is taken with respect to the kernel and the input, so the
    fused op's re-derived backward pass (ops/fused.py `_composite_vjp`) must give
    every input's gradient as a recorded, differentiable value.
    """
    rng = np.random.default_rng(0)
    x = keras.Variable(rng.normal(size=(5, 3)), dtype="float64")
    if not fused:  # the same function, but not one the fused op recognises
        activation = getattr(keras.activations, activation)
        activation = (lambda f: lambda z: f(z))(activation)
    layer = keras.layers.Dense(4, activation=activation, dtype="float64")
    layer.build((None, 3))
    layer.set_weights([rng.normal(size=(3, 4)), rng.normal(size=(4,))])
    from nanokeras.layers.core.dense import _FUSABLE_ACTIVATIONS

    assert (layer.activation in _FUSABLE_ACTIVATIONS) == fused  # fused at call time when it is one of these
    direction_kernel, direction_input = rng.normal(size=(3, 4)), rng.normal(size=(5, 3))

    def first_gradient(kernel_value):
        layer.kernel.assign(kernel_value)
        with GradientTape() as tape:
            loss = keras.ops.sum(keras.ops.square(layer(x)))
        grad_kernel, grad_input = tape.gradient(loss, [layer.kernel, x])
        return np.sum(np.asarray(grad_kernel) * direction_kernel) + np.sum(np.asarray(grad_input) * direction_input)

    kernel_value = layer.kernel.numpy().copy()
    with GradientTape() as outer:
        with GradientTape() as inner:
            loss = keras.ops.sum(keras.ops.square(layer(x)))
        grad_kernel, grad_input = inner.gradient(loss, [layer.kernel, x])
        directional = keras.ops.sum(grad_kernel * direction_kernel) + keras.ops.sum(grad_input * direction_input)
    second_kernel, second_bias = outer.gradient(directional, [layer.kernel, layer.bias])
    eps = 1e-6
    bump = np.zeros_like(kernel_value)
    bump[1, 2] = eps
    numeric = (first_gradient(kernel_value + bump) - first_gradient(kernel_value - bump)) / (2 * eps)
    layer.kernel.assign(kernel_value)
    return np.asarray(second_kernel), np.asarray(second_bias), numeric


@pytest.mark.parametrize("activation", ["linear", "sigmoid", "tanh", "relu", "softmax"])
def test_fused_dense_second_derivatives_match_unfused_and_finite_differences(activation):
    fused_kernel, fused_bias, numeric = _second_order(activation, fused=True)
    plain_kernel, plain_bias, _ = _second_order(activation, fused=False)
    np.testing.assert_allclose(fused_kernel, plain_kernel, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(fused_bias, plain_bias, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(fused_kernel[1, 2], numeric, rtol=1e-5, atol=1e-7)
    assert np.any(fused_kernel != 0)


def test_help_explains_the_arguments_the_tutorial_uses():
    import pydoc

    text = pydoc.render_doc(keras.layers.Dense, renderer=pydoc.plaintext)
    for argument in ("units", "activation", "input_shape", "input_dim"):
        assert argument in text
