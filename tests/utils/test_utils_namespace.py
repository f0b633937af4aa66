"""The rest of `keras.utils`: Config, batch tuples, split_dataset, get_file archives, source inputs,
interactive logging, and the names published from higher floors."""

import io
import logging
import os
import tarfile
import zipfile

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.utils.file_utils import hash_file


def test_config_behaves_as_keras_config():
    config = keras.utils.Config(learning_rate=0.1, momentum=0.9)
    config.seed = 3
    config["beta"] = 2
    assert (config.seed, config["learning_rate"], len(config), "beta" in config) == (3, 0.1, 4, True)
    assert list(config) == ["beta", "learning_rate", "momentum", "seed"]
    assert config.as_dict() == {"learning_rate": 0.1, "momentum": 0.9, "seed": 3, "beta": 2}
    with pytest.raises(AttributeError, match="Did you mean 'momentum'"):
        config.momentun
    config.freeze()
    assert config.frozen
    for change in (lambda: setattr(config, "seed", 1), lambda: config.update(a=1), lambda: config.pop("seed")):
        with pytest.raises(ValueError, match="frozen"):
            change()
    config.unfreeze()
    del config["beta"]
    assert "beta" not in config


def test_pack_and_unpack_batches():
    x, y, w = np.ones(2), np.zeros(2), np.full(2, 0.5)
    assert keras.utils.pack_x_y_sample_weight(x) is x
    assert keras.utils.pack_x_y_sample_weight([x, x])[0] == [x, x]
    assert keras.utils.pack_x_y_sample_weight(x, y, w)[2] is w
    assert keras.utils.unpack_x_y_sample_weight([x, y])[:2] == (x, y)
    assert keras.utils.unpack_x_y_sample_weight(x)[1] is None
    with pytest.raises(ValueError, match="found a tuple of 4"):
        keras.utils.unpack_x_y_sample_weight((x, y, w, w))


def test_split_dataset_sizes_order_and_shuffle():
    x, y = np.arange(20).reshape(10, 2), np.arange(10)
    left, right = keras.utils.split_dataset((x, y), left_size=0.7, preferred_backend="numpy")
    assert left[1].tolist() == list(range(7)) and right[1].tolist() == [7, 8, 9]
    left, right = keras.utils.split_dataset(x, right_size=3, preferred_backend="numpy")
    assert left.shape == (7, 2) and right.shape == (3, 2)
    left, right = keras.utils.split_dataset((x, y), left_size=5, shuffle=True, seed=1, preferred_backend="numpy")
    assert sorted(left[1].tolist() + right[1].tolist()) == list(range(10))
    np.testing.assert_array_equal(left[0][:, 0] // 2, left[1])  # samples stay aligned
    with pytest.raises(ValueError, match="At least one"):
        keras.utils.split_dataset(x)
    with pytest.raises(ValueError, match="different lengths"):
        keras.utils.split_dataset((x, y[:3]), left_size=0.5)
    with pytest.raises(ValueError, match="greater than 1"):
        keras.utils.split_dataset(x, left_size=0.6, right_size=0.6)
    with pytest.raises(TypeError, match="must be a numpy array"):
        keras.utils.split_dataset("text", left_size=0.5)


def _archives(tmp_path):
    tar_path = tmp_path / "data.tar.gz"
    with tarfile.open(tar_path, "w:gz") as archive:
        for name, content in (("folder/a.txt", b"alpha"), ("../escape.txt", b"bad")):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    zip_path = tmp_path / "data.zip"
    with zipfile.ZipFile(zip_path, "w") as archive:
        archive.writestr("b.txt", "beta")
    return tar_path, zip_path


def test_get_file_downloads_checks_and_extracts_archives(tmp_path):
    tar_path, zip_path = _archives(tmp_path)
    cache = tmp_path / "cache"
    with pytest.warns(UserWarning, match="Skipping invalid path"):
        folder = keras.utils.get_file("archive.tar.gz", origin=tar_path.as_uri(), extract=True,
                                      cache_dir=str(cache))
    assert folder == str(cache / "datasets" / "archive_extracted")
    with open(os.path.join(folder, "folder", "a.txt")) as file:
        assert file.read() == "alpha"
    assert not (cache / "datasets" / "escape.txt").exists()
    folder = keras.utils.get_file(origin=zip_path.as_uri(), extract=True, cache_dir=str(cache))
    assert folder == str(cache / "datasets" / "data.zip")
    with open(os.path.join(folder, "b.txt")) as file:
        assert file.read() == "beta"
    path = keras.utils.get_file("plain.zip", origin=zip_path.as_uri(), cache_dir=str(cache),
                                file_hash=hash_file(str(zip_path)))
    assert os.path.isfile(path)
    with pytest.raises(ValueError, match="does not match"):
        keras.utils.get_file("other.zip", origin=zip_path.as_uri(), cache_dir=str(cache), file_hash="0" * 64)
    assert not os.path.exists(cache / "datasets" / "other.zip")


def test_get_source_inputs_follows_the_graph():
    a, b = keras.Input((2,), name="src_a"), keras.Input((2,), name="src_b")
    y = keras.layers.Concatenate()([keras.layers.Dense(2)(b), a])
    assert [t.name for t in keras.utils.get_source_inputs(y)] == ["src_b", "src_a"]
    assert keras.utils.get_source_inputs(a) == [a]
    with pytest.raises(TypeError, match="symbolic tensor"):
        keras.utils.get_source_inputs(np.ones(2))


def test_interactive_logging_switches_between_stdout_and_logging(capsys, caplog):
    from nanokeras.utils.io_utils import print_msg

    print_msg("to stdout")
    assert capsys.readouterr().out == "to stdout\n"
    keras.utils.disable_interactive_logging()
    try:
        with caplog.at_level(logging.INFO, logger="nanokeras"):
            print_msg("to the log")
        assert capsys.readouterr().out == "" and "to the log" in caplog.text
    finally:
        keras.utils.enable_interactive_logging()


def test_names_from_higher_floors_are_published_and_listed():
    for name in ("register_keras_serializable", "custom_object_scope", "CustomObjectScope", "get_custom_objects",
                 "get_registered_name", "get_registered_object", "serialize_keras_object",
                 "deserialize_keras_object"):
        assert name in dir(keras.utils)
        assert getattr(keras.utils, name) is getattr(keras.saving, name)
    assert keras.utils.clear_session is keras.backend.clear_session
    assert keras.utils.is_keras_tensor(keras.Input((1,)))
    assert keras.utils.standardize_dtype("float64") == "float64" and keras.utils.standardize_dtype is keras.backend.standardize_dtype
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        keras.utils.nothing_here
