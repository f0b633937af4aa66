"""What `.keras` files record about layers, against real Keras 3: each layer's `build_config`
in a functional model (layers Keras builds in `__init__` record none; layers built by their first
call record its input shape, as tuples) and the lookup layers' configs (keys and their order)."""

import numpy as np

import nanokeras as nk


def _build_configs(lib):
    lib.backend.clear_session()
    L = lib.layers
    a, b = lib.Input((4, 6), name="a"), lib.Input((4, 6), name="b")
    x = L.Concatenate()([a, b])
    x = L.Add()([x, x])
    x = L.Permute((2, 1))(x)
    x = L.Flatten()(x)
    x = L.Dropout(0.1)(x)
    x = L.Rescaling(0.5)(x)
    x = L.Reshape((6, 8))(x)
    x = L.ZeroPadding1D()(x)
    x = L.UpSampling1D()(x)
    x = L.MaxPooling1D()(x)
    x = L.LayerNormalization()(x)
    x = L.GlobalAveragePooling1D()(x)
    x = L.Activation("relu")(x)
    x = L.RepeatVector(2)(x)
    x = L.Cropping1D(0)(x)
    x = L.Flatten()(x)
    x = L.Dense(3)(x)
    x = L.ReLU()(x)
    x = L.Softmax()(x)
    model = lib.Model([a, b], L.Dense(1)(x))
    return [(layer["class_name"], layer.get("build_config")) for layer in model.get_config()["layers"]]


def test_build_configs_of_a_functional_model_match_keras(keras):
    assert _build_configs(nk) == _build_configs(keras)


def _lookup_configs(lib):
    lib.backend.clear_session()
    layers = lib.layers
    made = [layers.StringLookup(vocabulary=["a", "b", "c"]), layers.StringLookup(num_oov_indices=0, mask_token="", invert=True),
            layers.IntegerLookup(vocabulary=np.array([3, 5, 7])), layers.IntegerLookup(output_mode="one_hot")]
    configs = []
    for layer in made:
        config = layer.get_config()
        config.pop("name")
        configs.append((list(config), {k: v for k, v in config.items() if k != "dtype"}))
    return configs


def test_lookup_layer_configs_have_keras_keys_in_keras_order(keras):
    assert _lookup_configs(nk) == _lookup_configs(keras)


def test_string_lookup_from_a_keras_config_round_trips(keras):
    config = keras.layers.StringLookup(vocabulary=["x", "y"]).get_config()
    layer = nk.layers.StringLookup.from_config(config)
    np.testing.assert_array_equal(np.asarray(layer(np.array(["y", "z", "x"]))), [2, 0, 1])


def _input_layer_configs(lib):
    lib.backend.clear_session()
    model = lib.Sequential([lib.Input((4,)), lib.layers.Dense(1)])
    return model.get_config()["layers"][0]["config"], lib.layers.InputLayer(shape=(2, 3)).get_config()


def test_input_layer_configs_hold_the_batch_shape_as_a_tuple_like_keras(keras):
    ours, theirs = _input_layer_configs(nk), _input_layer_configs(keras)
    assert ours == theirs
    assert [type(config["batch_shape"]) for config in ours] == [tuple, tuple]


def _functional_file_build_config(lib, path):
    lib.backend.clear_session()
    x = lib.Input((3,))
    inner = lib.Model(x, lib.layers.Dense(2)(x), name="inner")
    y = lib.Input((3,))
    outer = lib.Model(y, inner(y), name="outer")
    outer.save(path)
    import json
    import zipfile

    config = json.loads(zipfile.ZipFile(path).read("config.json"))
    nested = [layer for layer in config["config"]["layers"] if layer["class_name"] == "Functional"][0]
    return outer.get_build_config(), config.get("build_config"), nested.get("build_config")


def test_functional_models_record_the_build_config_keras_writes(keras, tmp_path):
    ours = _functional_file_build_config(nk, tmp_path / "ours.keras")
    assert ours == _functional_file_build_config(keras, tmp_path / "theirs.keras")
    assert ours[0] == {"input_shape": None}
