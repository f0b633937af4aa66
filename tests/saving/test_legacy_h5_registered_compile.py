"""A legacy `.h5` whose training_config names registered functions (Keras 3 writes a registered
loss or metric function as `'package>name'`) compiles with them."""

import json

import h5py
import numpy as np
import pytest

import nanokeras as keras


@keras.saving.register_keras_serializable(package="h5reg")
def doubled_mse(y_true, y_pred):
    return keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1) * 2.0


@keras.saving.register_keras_serializable(package="h5reg")
def half_mae(y_true, y_pred):
    return keras.ops.mean(keras.ops.abs(y_true - y_pred), axis=-1) * 0.5


def _file_naming_registered_functions(tmp_path, loss, metrics):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile("sgd", "mse")
    path = str(tmp_path / "m.h5")
    with pytest.warns(UserWarning, match='legacy'):
        model.save(path)
    with h5py.File(path, "r+") as f:  # the training_config as Keras 3's .h5 writer leaves it
        config = json.loads(f.attrs["training_config"])
        config["loss"], config["metrics"] = loss, metrics
        f.attrs["training_config"] = json.dumps(config)
    return model, path


def test_registered_loss_and_metric_names_compile_with_the_functions(tmp_path):
    model, path = _file_naming_registered_functions(tmp_path, "h5reg>doubled_mse", ["h5reg>half_mae", "mae"])
    loaded = keras.saving.load_model(path)
    x, y = np.ones((4, 3), "float32"), np.zeros((4, 2), "float32")
    logs = loaded.evaluate(x, y, verbose=0, return_dict=True)
    prediction = model.predict(x, verbose=0)
    np.testing.assert_allclose(logs["loss"], 2 * np.mean(prediction ** 2), rtol=1e-5)
    np.testing.assert_allclose(logs["half_mae"], 0.5 * np.mean(np.abs(prediction)), rtol=1e-5)
    np.testing.assert_allclose(logs["mae"], np.mean(np.abs(prediction)), rtol=1e-5)


def test_names_passed_in_custom_objects_are_found_too(tmp_path):
    model, path = _file_naming_registered_functions(tmp_path, "my_loss", None)
    loaded = keras.saving.load_model(path, custom_objects={"my_loss": doubled_mse})
    x, y = np.ones((4, 3), "float32"), np.zeros((4, 2), "float32")
    loss = loaded.evaluate(x, y, verbose=0)
    np.testing.assert_allclose(loss, 2 * np.mean(model.predict(x, verbose=0) ** 2), rtol=1e-5)
