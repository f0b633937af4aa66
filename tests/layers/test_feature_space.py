"""`keras.utils.FeatureSpace`: encodings by closed form, errors, and a model built on its encoded features."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.layers.preprocessing.feature_space import FeatureSpace


def test_encodings_closed_form():
    space = FeatureSpace({"x": FeatureSpace.float_rescaled(scale=2.0, offset=1.0, name="x"),
                          "n": "float_normalized", "c": "integer_categorical"}, output_mode="dict")
    data = {"x": np.array([1.0, 2.0]), "n": np.array([0.0, 2.0]), "c": np.array([7, 9])}
    space.adapt(data)
    out = space(data)
    np.testing.assert_allclose(out["x"], [[3.0], [5.0]])
    np.testing.assert_allclose(out["n"], [[-1.0], [1.0]], atol=1e-3)
    assert out["c"].shape == (2, 3) and np.all(out["c"].sum(axis=1) == 1)  # OOV + 2 ids
    concat = FeatureSpace({"x": "float", "c": "integer_categorical"})
    concat.adapt({"x": np.array([0.5]), "c": np.array([4])})
    np.testing.assert_allclose(concat({"x": np.array([0.5]), "c": np.array([4])}), [[0.0, 1.0, 0.5]])
    assert concat({"x": 0.5, "c": 4}).shape == (3,)  # one sample given as scalars


def test_errors_are_explained():
    with pytest.raises(ValueError, match="cannot be None or empty"):
        FeatureSpace({})
    with pytest.raises(ValueError, match="Invalid feature type: 'floaty'"):
        FeatureSpace({"a": "floaty"})
    with pytest.raises(ValueError, match="unknown features"):
        FeatureSpace({"a": "float"}, crosses=[("a", "b")])
    space = FeatureSpace({"a": "float_normalized"})
    with pytest.raises(ValueError, match="call `.adapt"):
        space({"a": np.ones(2)})
    space.adapt({"a": np.arange(4.0)})
    with pytest.raises(ValueError, match="only be called with a dict"):
        space(np.ones(2))
    with pytest.raises(ValueError, match="needs dicts of features"):
        space.adapt([(np.ones(2), np.ones(2))])
    int_space = FeatureSpace({"a": FeatureSpace.integer_categorical(output_mode="int", name="a")})
    int_space.adapt({"a": np.array([1, 2])})
    with pytest.raises(ValueError, match="has not been encoded"):
        int_space({"a": np.array([1])})


def test_a_model_on_the_encoded_features_trains_and_predicts_from_raw_features():
    rng = np.random.default_rng(0)
    data = {"age": rng.uniform(20, 60, 64).astype("float32"), "rooms": rng.integers(1, 4, 64).astype("int32")}
    labels = (data["age"] > 40).astype("float32")
    space = keras.utils.FeatureSpace({"age": "float_normalized", "rooms": "integer_categorical"})
    space.adapt(data)
    encoded = space.get_encoded_features()
    assert encoded.shape == (None, 5)
    outputs = keras.layers.Dense(1, activation="sigmoid")(encoded)
    model = keras.Model(space.get_inputs(), outputs)
    model.compile("adam", "binary_crossentropy")
    history = model.fit({k: v[:, None] for k, v in data.items()}, labels, epochs=3, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    predictions = model.predict({k: v[:, None] for k, v in data.items()}, verbose=0)
    assert predictions.shape == (64, 1)
    assert keras.utils.FeatureSpace is FeatureSpace
