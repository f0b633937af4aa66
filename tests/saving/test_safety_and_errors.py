"""Bad files give clear errors; files can never make the loader import or call anything."""

import json
import os
import zipfile

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import saving

SENTINEL = []


def sentinel_function(*args, **kwargs):
    SENTINEL.append(args)
    return 0


def _model():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d")])
    model.compile(optimizer="adam", loss="mse")
    return model


def _rewrite_config(source, target, edit):
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    config = json.loads(members["config.json"])
    edit(config)
    members["config.json"] = json.dumps(config).encode()
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "good.keras"
    _model().save(path)
    return path


@pytest.mark.parametrize("module, class_name, fn_config", [
    ("os", "system", None),
    ("builtins", "eval", None),
    ("subprocess", "Popen", None),
    (__name__, "sentinel_function", None),
    ("builtins", "function", "system"),
    (__name__, "function", "sentinel_function"),
    ("os", "function", "system"),
])
def test_configs_naming_arbitrary_callables_are_refused_and_nothing_runs(saved, tmp_path, module, class_name, fn_config):
    def edit(config):
        layer = config["config"]["layers"][1]
        payload = {"module": module, "class_name": class_name, "config": fn_config if fn_config else {"command": "touch pwned"},
                   "registered_name": None}
        layer["config"]["activation"] = payload
        config["config"]["layers"].append(dict(payload))

    bad = tmp_path / "bad.keras"
    _rewrite_config(saved, bad, edit)
    before = set(os.listdir(tmp_path))
    with pytest.raises(ValueError, match="Refusing|not supported|Could not interpret|Unknown"):
        saving.load_model(bad)
    assert SENTINEL == []
    assert set(os.listdir(tmp_path)) == before


def test_top_level_class_from_an_arbitrary_module_is_refused(saved, tmp_path):
    bad = tmp_path / "bad.keras"
    _rewrite_config(saved, bad, lambda c: c.update(module="subprocess", class_name="Popen"))
    with pytest.raises(ValueError, match="Refusing to load class 'Popen'"):
        saving.load_model(bad)


def test_lambda_is_refused_even_without_safe_mode(saved, tmp_path):
    def edit(config):
        config["config"]["layers"][1]["config"]["activation"] = {"class_name": "__lambda__", "config": {"value": "xyz"}}

    bad = tmp_path / "bad.keras"
    _rewrite_config(saved, bad, edit)
    for safe_mode in (True, False):
        with pytest.raises(ValueError, match="lambda"):
            saving.load_model(bad, safe_mode=safe_mode)


def test_unsupported_keras_class_is_named(saved, tmp_path):
    def edit(config):
        config["config"]["layers"][1]["class_name"] = "JaxLayer"

    bad = tmp_path / "bad.keras"
    _rewrite_config(saved, bad, edit)
    with pytest.raises(ValueError, match="keras.layers.JaxLayer.*not supported by nanokeras"):
        saving.load_model(bad)


def test_registered_and_custom_objects_are_allowed(tmp_path):
    @saving.register_keras_serializable(package="tests")
    def doubled_relu(x):
        return keras.activations.relu(x) * 2.0

    class Scale(keras.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, x):
            return x * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation=doubled_relu), Scale(3.0)])
    path = tmp_path / "custom.keras"
    model.save(path)
    with pytest.raises(ValueError, match="Refusing to load class 'Scale'"):
        saving.load_model(path)
    x = np.ones((2, 3), dtype="float32")
    for loader in (lambda: saving.load_model(path, custom_objects={"Scale": Scale}),
                   lambda: _in_scope(path, Scale)):
        restored = loader()
        assert restored.layers[0].activation is doubled_relu
        assert restored.layers[1].factor == 3.0
        np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0))


def _in_scope(path, cls):
    with saving.custom_object_scope({"Scale": cls}):
        return saving.load_model(path)


def test_subclassed_model_round_trips_when_registered(tmp_path):
    @saving.register_keras_serializable(package="tests")
    class TwoLayers(keras.Model):
        def __init__(self, units=3, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.hidden = keras.layers.Dense(units, activation="relu")
            self.blocks = [keras.layers.Dense(units), keras.layers.Dense(units)]
            self.out = keras.layers.Dense(1)

        def call(self, x, training=False):
            x = self.hidden(x)
            for block in self.blocks:
                x = block(x)
            return self.out(x)

        def get_config(self):
            return {**super().get_config(), "units": self.units}

    model = TwoLayers(4)
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((8, 2), dtype="float32"), np.zeros((8, 1), dtype="float32")
    model.fit(x, y, epochs=1, verbose=0)
    model.save(tmp_path / "sub.keras")
    restored = saving.load_model(tmp_path / "sub.keras")
    assert isinstance(restored, TwoLayers) and restored.units == 4
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0))
    import h5py

    with zipfile.ZipFile(tmp_path / "sub.keras") as archive:
        archive.extract("model.weights.h5", tmp_path)
    names = []
    with h5py.File(tmp_path / "model.weights.h5", "r") as f:
        f.visit(names.append)
    # Keras's walk: attributes in sorted order, each object stored where first met.
    assert [n for n in names if n.endswith("/vars")] == [
        "blocks/dense/vars", "blocks/dense_1/vars", "hidden/vars", "layers/dense_3/vars", "optimizer/vars"]


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.keras"):
        saving.load_model(tmp_path / "nope.keras")
    with pytest.raises(FileNotFoundError):
        _model().load_weights(tmp_path / "nope.weights.h5")


def test_random_bytes_and_truncated_archives(saved, tmp_path):
    junk = tmp_path / "junk.keras"
    junk.write_bytes(os.urandom(4096))
    with pytest.raises(ValueError, match="not a valid zip"):
        saving.load_model(junk)
    truncated = tmp_path / "truncated.keras"
    truncated.write_bytes(saved.read_bytes()[: len(saved.read_bytes()) // 2])
    with pytest.raises(ValueError):
        saving.load_model(truncated)
    junk_weights = tmp_path / "junk.weights.h5"
    junk_weights.write_bytes(os.urandom(512))
    model = _model()
    before = model.get_weights()
    with pytest.raises(ValueError, match="not a valid HDF5"):
        model.load_weights(junk_weights)
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


def test_archive_without_config_or_with_bad_json(saved, tmp_path):
    empty = tmp_path / "empty.keras"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("metadata.json", "{}")
    with pytest.raises(ValueError, match="config.json"):
        saving.load_model(empty)
    broken = tmp_path / "broken.keras"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("config.json", "{not json")
    with pytest.raises(ValueError, match="not valid JSON"):
        saving.load_model(broken)


def test_weights_of_the_wrong_shape_change_nothing(tmp_path):
    small = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), keras.layers.Dense(1)])
    big = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), keras.layers.Dense(5)])
    small.save_weights(tmp_path / "small.weights.h5")
    before = big.get_weights()
    with pytest.raises(ValueError, match=r"Shape mismatch.*layers/dense_1/vars/0.*\(2, 1\).*\(2, 5\)"):
        big.load_weights(tmp_path / "small.weights.h5")
    assert all(np.array_equal(a, b) for a, b in zip(before, big.get_weights()))
    with pytest.warns(UserWarning, match="Skipping"):
        big.load_weights(tmp_path / "small.weights.h5", skip_mismatch=True)
    np.testing.assert_array_equal(big.layers[0].kernel.numpy(), small.layers[0].kernel.numpy())


def test_wrong_variable_count_and_mismatched_architecture_in_a_keras_file(saved, tmp_path):
    def edit(config):
        config["config"]["layers"][1]["config"]["units"] = 7

    bad = tmp_path / "bad.keras"
    _rewrite_config(saved, bad, edit)
    with pytest.raises(ValueError, match="Shape mismatch"):
        saving.load_model(bad)


def test_bad_paths_and_extensions(tmp_path):
    model = _model()
    with pytest.raises(ValueError, match=r"\.keras"):
        model.save(tmp_path / "model.pkl")
    with pytest.raises(ValueError, match=r"\.weights\.h5"):
        model.save_weights(tmp_path / "model.npz")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        model.save(tmp_path / "missing_dir" / "m.keras")
    model.save(tmp_path / "m.keras")
    with pytest.raises(FileExistsError):
        model.save(tmp_path / "m.keras", overwrite=False)
    with pytest.raises(TypeError, match="filepath"):
        saving.load_model(123)


def test_saves_are_atomic(tmp_path, monkeypatch):
    model = _model()
    path = tmp_path / "m.keras"
    model.save(path)
    original = path.read_bytes()
    from nanokeras.saving import saving_lib

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(saving_lib, "weights_bytes", lambda m: b"x" * 10)
    monkeypatch.setattr(saving_lib.zipfile.ZipFile, "writestr", explode)
    with pytest.raises(RuntimeError, match="disk full"):
        model.save(path)
    assert path.read_bytes() == original
    assert sorted(os.listdir(tmp_path)) == ["m.keras"]


def test_h5_links_outside_the_file_are_refused(tmp_path):
    import h5py

    model = _model()
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f.create_dataset("secret", data=np.zeros((3, 2)))
    path = tmp_path / "linked.weights.h5"
    model.save_weights(path)
    with h5py.File(path, "a") as f:
        del f["layers/dense/vars/0"]
        f["layers/dense/vars/0"] = h5py.ExternalLink(str(other), "secret")
    with pytest.raises(ValueError, match="ExternalLink"):
        model.load_weights(path)


@pytest.mark.parametrize("name", ["cp.ckpt", "nope.weights.h5", "nope.h5", "nope.keras"])
def test_load_weights_of_a_missing_file_is_both_file_not_found_and_value_error(tmp_path, name):
    # Keras raises a ValueError for a missing `cp.ckpt` (an unsupported extension, checked first)
    # and a FileNotFoundError for a missing `.weights.h5`: either `except` catches ours.
    for expected in (FileNotFoundError, ValueError):
        with pytest.raises(expected, match="No weights file found"):
            _model().load_weights(tmp_path / name)
