"""keras.activations: values, Keras relu options, gradients, and get/serialize/deserialize."""

import math

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import activations
from tests.ops.gradient_check import check_gradients

X = np.array([-10.0, -5.0, 0.0, 5.0, 10.0], "float32")


def test_relu_options_match_keras_docs():
    assert activations.relu(X).tolist() == [0, 0, 0, 5, 10]
    assert activations.relu(X, negative_slope=0.5).tolist() == [-5, -2.5, 0, 5, 10]
    assert activations.relu(X, max_value=5.0).tolist() == [0, 0, 0, 5, 5]
    assert activations.relu(X, threshold=5.0).tolist() == [0, 0, 0, 0, 10]
    assert activations.relu(X, max_value=6).tolist() == [0, 0, 0, 5, 6]
    out = activations.relu(X, negative_slope=0.5, max_value=4.0, threshold=1.0)
    np.testing.assert_allclose(out, [-5.5, -3.0, -0.5, 4.0, 4.0])
    assert activations.relu(X).dtype == np.float32


@pytest.mark.parametrize(
    "name,ref",
    [
        ("sigmoid", lambda x: 1 / (1 + np.exp(-x))),
        ("tanh", np.tanh),
        ("linear", lambda x: x),
        ("exponential", np.exp),
        ("softplus", lambda x: np.log1p(np.exp(x))),
        ("softsign", lambda x: x / (1 + np.abs(x))),
        ("elu", lambda x: np.where(x > 0, x, np.expm1(x))),
        ("selu", lambda x: 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * np.expm1(x))),
        ("silu", lambda x: x / (1 + np.exp(-x))),
        ("swish", lambda x: x / (1 + np.exp(-x))),
        ("gelu", lambda x: 0.5 * x * (1 + np.vectorize(math.erf)(x / np.sqrt(2)))),
        ("hard_sigmoid", lambda x: np.clip(x / 6 + 0.5, 0, 1)),
        ("hard_silu", lambda x: x * np.clip(x / 6 + 0.5, 0, 1)),
        ("hard_swish", lambda x: x * np.clip(x / 6 + 0.5, 0, 1)),
        ("leaky_relu", lambda x: np.where(x >= 0, x, 0.2 * x)),
        ("relu6", lambda x: np.clip(x, 0, 6)),
        ("mish", lambda x: x * np.tanh(np.log1p(np.exp(x)))),
        ("softmax", lambda x: np.exp(x) / np.exp(x).sum(-1, keepdims=True)),
        ("log_softmax", lambda x: x - np.log(np.exp(x).sum(-1, keepdims=True))),
    ],
)
def test_values_against_closed_forms(name, ref):
    x = np.linspace(-4, 4, 12).reshape(3, 4)
    fn = activations.get(name)
    np.testing.assert_allclose(fn(x.astype("float32")), ref(x), rtol=2e-6, atol=2e-6)
    assert fn(x.astype("float32")).dtype == np.float32


@pytest.mark.parametrize("name", [n for n in activations.ALL_OBJECTS_DICT])
def test_gradients_match_finite_differences(name):
    x = np.array([[-2.7, -0.8, 0.4, 1.9], [2.6, -1.3, 0.9, 4.2]])
    fn = activations.get(name)
    if name == "threshold":
        check_gradients(lambda v: fn(v, 0.5, -2.0), x)
    else:
        check_gradients(fn, x)


@pytest.mark.parametrize("name,kwargs,ref", [
    ("celu", {"alpha": 2.0}, lambda x: np.where(x > 0, x, 2.0 * np.expm1(x / 2.0))),
    ("hard_tanh", {}, lambda x: np.clip(x, -1, 1)),
    ("log_sigmoid", {}, lambda x: -np.log1p(np.exp(-x))),
    ("hard_shrink", {"threshold": 1.0}, lambda x: np.where(np.abs(x) > 1.0, x, 0.0)),
    ("soft_shrink", {"threshold": 1.0}, lambda x: np.sign(x) * np.maximum(np.abs(x) - 1.0, 0.0)),
    ("tanh_shrink", {}, lambda x: x - np.tanh(x)),
    ("threshold", {"threshold": 0.3, "default_value": 7.0}, lambda x: np.where(x > 0.3, x, 7.0)),
    ("sparse_plus", {}, lambda x: np.where(x <= -1, 0.0, np.where(x >= 1, x, (x + 1) ** 2 / 4))),
    ("sparse_sigmoid", {}, lambda x: np.clip((x + 1) / 2, 0, 1)),
    ("squareplus", {"b": 2.0}, lambda x: (x + np.sqrt(x * x + 2.0)) / 2),
    ("glu", {}, lambda x: x[:, :2] / (1 + np.exp(-x[:, 2:]))),
])
def test_more_activations_against_closed_forms(name, kwargs, ref):
    x = np.linspace(-3, 3, 12).reshape(3, 4)
    out = activations.get(name)(x.astype("float32"), **kwargs)
    np.testing.assert_allclose(out, ref(x), rtol=2e-6, atol=2e-6)
    assert out.dtype == np.float32


def test_sparsemax_keeps_the_largest_entries_as_keras():
    # Keras's threshold: support = the two largest; tau = ((1.0) + (1.5) - 1) / 2 = 0.75.
    out = activations.sparsemax(np.array([[1.0, 0.5, 0.0], [0.0, 3.0, 0.0]], "float32"))
    np.testing.assert_allclose(out, [[0.25, 0.0, 0.0], [0.0, 1.0, 0.0]])
    np.testing.assert_allclose(activations.sparsemax(np.array([[[0.0], [3.0]]]), axis=1), [[[0.0], [1.0]]])


def test_relu_option_gradients():
    x = np.array([-3.1, -0.7, 0.6, 1.4, 4.3, 7.2])
    check_gradients(lambda v: activations.relu(v, negative_slope=0.3, max_value=4.0, threshold=0.5), x)
    check_gradients(lambda v: activations.relu(v, max_value=6), x)


def test_get_resolves_every_identifier_kind():
    assert activations.get(None) is activations.linear
    assert activations.get("relu") is activations.relu
    assert activations.get("swish") is activations.silu
    assert activations.get(activations.tanh) is activations.tanh
    custom = lambda x: x * 2  # noqa: E731
    assert activations.get(custom) is custom
    assert activations.get({"class_name": "function", "config": "elu"}) is activations.elu
    assert activations.get({"module": "keras.activations", "class_name": "function",
                            "config": "gelu", "registered_name": None}) is activations.gelu


def test_get_rejects_unknown_identifiers_with_suggestion():
    with pytest.raises(ValueError, match="Did you mean 'relu'"):
        activations.get("rleu")
    with pytest.raises(ValueError, match="Could not interpret"):
        activations.get(42)


def test_serialize_round_trip():
    for name, fn in activations.ALL_OBJECTS_DICT.items():
        serialized = activations.serialize(fn)
        assert isinstance(serialized, str)
        assert activations.deserialize(serialized) is fn
    assert activations.serialize(activations.swish) == "silu"
    assert activations.serialize(activations.hard_swish) == "hard_silu"


def test_serialize_custom_function_and_deserialize_with_custom_objects():
    def my_act(x):
        return x

    config = activations.serialize(my_act)
    assert config["class_name"] == "function" and config["config"] == "my_act"
    assert activations.deserialize(config, custom_objects={"my_act": my_act}) is my_act
    with pytest.raises(ValueError, match="my_act"):
        activations.deserialize(config)


def test_unregistered_custom_function_is_a_type_error_saying_how_to_register():
    # Keras raises TypeError ("Could not locate function"), not "Unknown activation" with the built-ins.
    def my_act(x):
        return x

    with pytest.raises(TypeError, match="register_keras_serializable") as raised:
        activations.deserialize(activations.serialize(my_act))
    assert "my_act" in str(raised.value) and "Known activations" not in str(raised.value)
    with pytest.raises(ValueError, match="Did you mean 'relu'"):  # a typo in a built-in name still suggests
        activations.deserialize({"module": "keras.activations", "class_name": "function", "config": "rleu"})


def test_model_with_unregistered_activation_fails_to_load_with_a_type_error(tmp_path):
    def my_act(x):
        return x * 3

    for layer in (keras.layers.Activation(my_act), keras.layers.Dense(2, activation=my_act)):
        keras.Sequential([keras.Input((3,)), layer]).save(tmp_path / "m.keras")
        with pytest.raises(TypeError, match="my_act"):
            keras.models.load_model(tmp_path / "m.keras")
        loaded = keras.models.load_model(tmp_path / "m.keras", custom_objects={"my_act": my_act})
        assert loaded.layers[0].activation is my_act


def test_activations_work_on_variables_inside_a_tape():
    w = keras.Variable([0.5, -0.5])
    with keras.GradientTape() as tape:
        y = keras.ops.sum(activations.sigmoid(w))
    s = 1 / (1 + np.exp(-np.array([0.5, -0.5])))
    np.testing.assert_allclose(tape.gradient(y, w), s * (1 - s), rtol=1e-6)
