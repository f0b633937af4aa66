"""A model saved unzipped (Keras 3's `save_model(model, "dir", zipped=False)`) loads like its `.keras` file."""

import os
import zipfile

import numpy as np
import pytest

import nanokeras as keras


def _saved_directory(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dense(2)])
    model.compile("adam", "mse")
    model.fit(np.ones((4, 3), "float32"), np.zeros((4, 2), "float32"), epochs=1, verbose=0)
    path = str(tmp_path / "m.keras")
    model.save(path)
    directory = str(tmp_path / "unzipped")
    with zipfile.ZipFile(path) as archive:
        archive.extractall(directory)
    return model, directory


def test_an_unzipped_model_directory_loads_with_its_optimizer_state(tmp_path):
    model, directory = _saved_directory(tmp_path)
    loaded = keras.saving.load_model(directory)
    x = np.arange(6, dtype="float32").reshape(2, 3)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert int(loaded.optimizer.iterations.numpy()) == 1
    for a, b in zip(model.optimizer.variables, loaded.optimizer.variables):
        np.testing.assert_allclose(b.numpy(), a.numpy())


def test_a_directory_without_config_is_refused_by_name(tmp_path):
    with pytest.raises(ValueError, match="without a config.json"):
        keras.saving.load_model(str(tmp_path))


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_symlinked_member_is_not_read(tmp_path):
    _, directory = _saved_directory(tmp_path)
    outside = tmp_path / "outside.weights.h5"
    os.replace(os.path.join(directory, "model.weights.h5"), outside)
    os.symlink(outside, os.path.join(directory, "model.weights.h5"))
    with pytest.raises(ValueError, match="model.weights.h5"):
        keras.saving.load_model(directory)


def test_save_zipped_false_writes_the_members_as_files_and_loads_back(tmp_path):
    model, _ = _saved_directory(tmp_path)
    directory = tmp_path / "written"
    model.save(str(directory), zipped=False)
    assert sorted(os.listdir(directory)) == ["config.json", "metadata.json", "model.weights.h5"]
    loaded = keras.saving.load_model(str(directory))
    x = np.ones((2, 3), "float32")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    with pytest.raises(ValueError, match="should not end in `.keras`"):
        model.save(str(tmp_path / "x.keras"), zipped=False)
    with pytest.raises(FileExistsError):
        keras.saving.save_model(model, str(directory), overwrite=False, zipped=False)
