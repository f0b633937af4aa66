"""`keras.utils.FeatureSpace` against real Keras 3: the same data adapts to the same encodings."""

import numpy as np
import pytest

import nanokeras

RNG = np.random.default_rng(13)
N = 40
DATA = {
    "age": RNG.uniform(18, 80, N).astype("float32"),
    "income": RNG.lognormal(3, 1, N).astype("float32"),
    "score": RNG.normal(size=N).astype("float32"),
    "plain": RNG.normal(size=N).astype("float32"),
    "color": RNG.choice(["red", "green", "blue", "violet"], N, p=[0.4, 0.3, 0.2, 0.1]),
    "city": RNG.choice(["paris", "rome", "oslo"], N),
    "rooms": RNG.integers(1, 6, N).astype("int32"),
    "zip": RNG.integers(1000, 1100, N).astype("int32"),
}


def _space(lib, output_mode):
    fs = lib.utils.FeatureSpace
    return fs(
        features={
            "age": fs.float_discretized(num_bins=4, name="age"),
            "income": "float_normalized",
            "score": fs.float_rescaled(scale=2.0, offset=1.0, name="score"),
            "plain": "float",
            "color": "string_categorical",
            "city": fs.string_hashed(num_bins=5, name="city"),
            "rooms": "integer_categorical",
            "zip": "integer_hashed",
        },
        crosses=[("color", "rooms"), fs.cross(("city", "zip"), crossing_dim=7)],
        crossing_dim=6, hashing_dim=8, output_mode=output_mode)


@pytest.mark.parametrize("output_mode", ["concat", "dict"])
def test_feature_space_encodes_as_keras(keras, output_mode):
    import tensorflow as tf

    theirs = _space(keras, output_mode)
    theirs.adapt(tf.data.Dataset.from_tensor_slices(DATA).batch(16))
    ours = _space(nanokeras, output_mode)
    ours.adapt(DATA)
    sample = {k: v[:7] for k, v in DATA.items()}
    expected = theirs(sample)
    result = ours(sample)
    if output_mode == "concat":
        np.testing.assert_allclose(result, np.asarray(expected), rtol=1e-5, atol=1e-5)
    else:
        assert sorted(result) == sorted(expected)
        for name in expected:
            np.testing.assert_allclose(np.asarray(result[name], "float64"), np.asarray(expected[name], "float64"),
                                       rtol=1e-5, atol=1e-5, err_msg=name)
    one = {k: v[3] for k, v in DATA.items()}  # a single sample (scalars)
    np.testing.assert_allclose(np.asarray(ours(one) if output_mode == "concat" else ours(one)["age"]),
                               np.asarray(theirs(one) if output_mode == "concat" else theirs(one)["age"]),
                               rtol=1e-5, atol=1e-5)


def test_feature_space_configs_rebuild(keras):
    config = _space(keras, "concat").get_config()
    rebuilt = nanokeras.utils.FeatureSpace.from_config(config)
    assert sorted(rebuilt.features) == sorted(DATA)
    assert [c.name for c in rebuilt.crosses] == ["color_X_rooms", "city_X_zip"]
    assert rebuilt.get_config()["crosses"] == _space(nanokeras, "concat").get_config()["crosses"]


def test_feature_space_files_load_in_both_libraries(keras, tmp_path):
    import tensorflow as tf

    theirs = _space(keras, "concat")
    theirs.adapt(tf.data.Dataset.from_tensor_slices(DATA).batch(16))
    ours = _space(nanokeras, "concat")
    ours.adapt(DATA)
    expected = np.asarray(theirs(DATA))
    theirs.save(tmp_path / "theirs.keras")
    ours.save(tmp_path / "ours.keras")
    loaded_by_us = nanokeras.saving.load_model(tmp_path / "theirs.keras")
    np.testing.assert_allclose(np.asarray(loaded_by_us(DATA)), expected, rtol=1e-5, atol=1e-5)
    loaded_by_them = keras.saving.load_model(tmp_path / "ours.keras")
    np.testing.assert_allclose(np.asarray(loaded_by_them({k: tf.constant(v) for k, v in DATA.items()})), expected,
                               rtol=1e-5, atol=1e-5)
    reloaded = nanokeras.saving.load_model(tmp_path / "ours.keras")
    np.testing.assert_allclose(np.asarray(reloaded(DATA)), expected, rtol=1e-5, atol=1e-5)
