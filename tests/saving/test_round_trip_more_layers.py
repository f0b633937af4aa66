"""Round trips for the layers that hold lookup/adapt state, and for functional graphs with merges."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import saving


def _round_trip(model, x, tmp_path):
    path = tmp_path / "model.keras"
    model.save(path)
    restored = saving.load_model(path)
    assert [type(l).__name__ for l in restored.layers] == [type(l).__name__ for l in model.layers]
    for a, b in zip(model.weights, restored.weights):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    expected, got = model.predict(x, verbose=0), restored.predict(x, verbose=0)
    for e, g in zip(expected if isinstance(expected, list) else [expected], got if isinstance(got, list) else [got]):
        np.testing.assert_allclose(g, e, atol=1e-6)
    return restored


@pytest.mark.parametrize(
    "make_layer, data",
    [
        (lambda: keras.layers.Discretization(bin_boundaries=[0.25, 0.5, 0.75]), np.linspace(0, 1, 8).reshape(8, 1)),
        (lambda: keras.layers.CategoryEncoding(num_tokens=5, output_mode="multi_hot"), np.array([[0, 1], [3, 4], [2, 2]])),
        (lambda: keras.layers.IntegerLookup(vocabulary=[10, 20, 30]), np.array([[10], [30], [99]])),
        (lambda: keras.layers.StringLookup(vocabulary=["a", "b", "c"]), np.array([["a"], ["c"], ["z"]])),
    ],
    ids=["Discretization", "CategoryEncoding", "IntegerLookup", "StringLookup"],
)
def test_stateful_preprocessing_layers_round_trip(make_layer, data, tmp_path):
    layer = make_layer()
    restored = keras.layers.deserialize(keras.layers.serialize(layer))
    assert type(restored) is type(layer) and restored.get_config() == layer.get_config()
    np.testing.assert_array_equal(np.asarray(restored(data)), np.asarray(layer(data)))


def test_adapted_normalization_round_trips_in_a_model(tmp_path):
    x = np.random.default_rng(0).normal(3.0, 2.0, size=(20, 3)).astype("float32")
    norm = keras.layers.Normalization()
    norm.adapt(x)
    model = keras.Sequential([keras.Input((3,)), norm, keras.layers.Dense(2)])
    model.compile("adam", "mse")
    # Never trained, the optimizer saved no slots; loading says so, as Keras does.
    with pytest.warns(UserWarning, match="Skipping the optimizer state"):
        _round_trip(model, x, tmp_path)


def test_functional_graph_with_merges_round_trips(tmp_path):
    a, b = keras.Input((3,), name="a"), keras.Input((3,), name="b")
    shared = keras.layers.Dense(4, activation="tanh")
    merged = keras.layers.Concatenate()([shared(a), shared(b), keras.layers.Multiply()([a, b])])
    out = keras.layers.Dense(2, name="out")(keras.layers.Add()([keras.layers.Dense(4)(merged), shared(b)]))
    model = keras.Model([a, b], out)
    model.compile("adam", "mse")
    x = [np.random.rand(5, 3).astype("float32"), np.random.rand(5, 3).astype("float32")]
    model.fit(x, np.random.rand(5, 2).astype("float32"), verbose=0)
    _round_trip(model, x, tmp_path)
