"""A FeatureSpace saved to a `.keras` file and loaded again is adapted and encodes as before."""

import numpy as np

import nanokeras as keras

RNG = np.random.default_rng(3)
DATA = {
    "sex": RNG.integers(0, 2, 30),
    "thal": RNG.choice(["fixed", "normal", "reversible"], 30),
    "age": RNG.integers(20, 70, 30).astype("float32"),
    "chol": RNG.normal(240, 30, 30).astype("float32"),
}


def _space():
    fs = keras.utils.FeatureSpace
    return fs(features={"sex": fs.integer_categorical(num_oov_indices=0), "thal": "string_categorical",
                        "age": fs.float_discretized(num_bins=4), "chol": "float_normalized"},
              crosses=[fs.cross(("sex", "age"), crossing_dim=8)], output_mode="concat")


def test_a_loaded_space_is_adapted_and_encodes_as_the_saved_one(tmp_path):
    space = _space()
    space.adapt(DATA)
    expected = np.asarray(space(DATA))
    space.save(tmp_path / "fs.keras")
    loaded = keras.saving.load_model(tmp_path / "fs.keras")
    np.testing.assert_allclose(np.asarray(loaded(DATA)), expected, rtol=1e-6)
    assert loaded.get_encoded_features().shape == (None, expected.shape[1])


def test_build_config_is_each_preprocessors_by_feature_name():
    space = _space()
    space.adapt(DATA)
    config = space.get_build_config()
    assert sorted(config) == sorted(DATA)
    assert config["chol"] == space.preprocessors["chol"].get_build_config()


def test_build_from_config_marks_the_space_adapted():
    space = _space()
    space.build_from_config({"sex": {}, "chol": {"input_shape": [None, 1]}})
    assert space._is_adapted
    assert space.preprocessors["chol"].built
