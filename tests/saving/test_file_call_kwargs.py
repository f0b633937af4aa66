"""Call arguments a file records that nanokeras's `call` does not take (Keras writes `mask=None`
for a BatchNormalization, `training=True` for a Resizing) stay in the loaded model's config."""

import json
import os

import numpy as np

import nanokeras as keras


def _file_with_keras_call_kwargs(tmp_path):
    inputs = keras.Input((4, 4, 2), name="image")
    normalized = keras.layers.BatchNormalization(name="norm")(inputs)
    resized = keras.layers.Resizing(2, 2, name="resize")(normalized)
    model = keras.Model(inputs, keras.layers.Flatten(name="flat")(resized))
    path = str(tmp_path / "m.keras")
    model.save(path)
    config = model.get_config()
    for layer in config["layers"]:  # what Keras 3 writes for these calls
        if layer["name"] == "norm":
            layer["inbound_nodes"][0]["kwargs"] = {"mask": None}
        if layer["name"] == "resize":
            layer["inbound_nodes"][0]["kwargs"] = {"training": True}
    return model, config


def test_loaded_config_keeps_the_files_constant_call_arguments(tmp_path):
    model, config = _file_with_keras_call_kwargs(tmp_path)
    rebuilt = keras.Model.from_config(config)
    assert json.dumps(rebuilt.get_config(), sort_keys=True) == json.dumps(config, sort_keys=True)
    rebuilt.set_weights(model.get_weights())
    x = np.random.default_rng(0).random((3, 4, 4, 2)).astype("float32")
    np.testing.assert_allclose(rebuilt.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)


def test_the_kept_arguments_are_saved_again(tmp_path):
    _, config = _file_with_keras_call_kwargs(tmp_path)
    rebuilt = keras.Model.from_config(config)
    path = os.path.join(str(tmp_path), "again.keras")
    rebuilt.save(path)
    again = keras.saving.load_model(path)
    kwargs = {layer["name"]: layer["inbound_nodes"][0]["kwargs"] for layer in again.get_config()["layers"]
              if layer["inbound_nodes"]}
    assert kwargs["norm"] == {"mask": None} and kwargs["resize"] == {"training": True}
