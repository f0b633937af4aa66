"""Keras 3's sharded weights (`w.weights.json` index + `w_0000N.weights.h5` shards) load into a model."""

import json
import os

import h5py
import numpy as np
import pytest

import nanokeras as keras


def _model():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5), keras.layers.Dense(2)])
    model.compile("adam", "mse")
    model.fit(np.ones((8, 4), "float32"), np.ones((8, 2), "float32"), epochs=1, verbose=0)
    return model


def _shard_by_hand(model, directory):
    """Writes the model's weights as Keras does with a small max_shard_size: the first layer's
    vars and half of the optimizer's in one shard, the rest in another (a group split in two)."""
    whole = os.path.join(directory, "whole.weights.h5")
    model.save_weights(whole)
    shards = {"w_00000.weights.h5": h5py.File(os.path.join(directory, "w_00000.weights.h5"), "w"),
              "w_00001.weights.h5": h5py.File(os.path.join(directory, "w_00001.weights.h5"), "w")}
    weight_map = {}
    with h5py.File(whole, "r") as source:
        datasets = []
        source.visititems(lambda name, obj: datasets.append(name) if isinstance(obj, h5py.Dataset) else None)
        for i, name in enumerate(datasets):
            shard = "w_00000.weights.h5" if i < len(datasets) // 2 else "w_00001.weights.h5"
            group_name = name.rpartition("/")[0]
            group = shards[shard].require_group(group_name)
            if i == 0 or shard not in weight_map.get("/" + group_name, []):
                group.attrs.update(source[group_name].attrs)
            group.create_dataset(name.rpartition("/")[2], data=source[name][()])
            files = weight_map.setdefault("/" + group_name, [])
            if shard not in files:
                files.append(shard)
    for f in shards.values():
        f.close()
    index = os.path.join(directory, "w.weights.json")
    with open(index, "w") as f:
        json.dump({"metadata": {"total_size": 1.0}, "weight_map": weight_map}, f)
    return index, weight_map


def test_sharded_weights_load_with_the_optimizer_state(tmp_path):
    model = _model()
    index, weight_map = _shard_by_hand(model, str(tmp_path))
    assert any(len(files) == 2 for files in weight_map.values())  # one group really is split
    other = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5), keras.layers.Dense(2)])
    other.compile("adam", "mse")
    other.optimizer.build(other.trainable_variables)
    other.load_weights(index)
    x = np.arange(8, dtype="float32").reshape(2, 4)
    np.testing.assert_allclose(other.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)
    for a, b in zip(model.optimizer.variables, other.optimizer.variables):
        np.testing.assert_allclose(b.numpy(), a.numpy())


def test_a_shard_outside_the_index_directory_is_refused(tmp_path):
    index = tmp_path / "w.weights.json"
    index.write_text(json.dumps({"weight_map": {"/layers/dense/vars": ["../evil.weights.h5"]}}))
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="plain file names"):
        model.load_weights(str(index))


def test_a_missing_shard_is_named(tmp_path):
    index = tmp_path / "w.weights.json"
    index.write_text(json.dumps({"weight_map": {"/layers/dense/vars": ["w_00000.weights.h5"]}}))
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    with pytest.raises(FileNotFoundError, match="w_00000.weights.h5"):
        model.load_weights(str(index))


def test_save_weights_with_max_shard_size_writes_shards_that_load_back(tmp_path):
    model = keras.Sequential([keras.Input((40,)), keras.layers.Dense(60), keras.layers.Dense(3)])
    model.compile("adam", "mse")
    model.fit(np.ones((8, 40), "float32"), np.ones((8, 3), "float32"), epochs=1, verbose=0)
    index = str(tmp_path / "w.weights.json")
    model.save_weights(index, max_shard_size=0.00001)  # 10.24 KB: the 40x60 kernel fills one shard
    shards = sorted(f for f in os.listdir(tmp_path) if f.endswith(".weights.h5"))
    assert len(shards) > 2 and shards[0] == "w_00000.weights.h5"
    with open(index) as f:
        weight_map = json.load(f)["weight_map"]
    assert set(weight_map) == {"/layers/dense/vars", "/layers/dense_1/vars", "/optimizer/vars"}
    other = keras.Sequential([keras.Input((40,)), keras.layers.Dense(60), keras.layers.Dense(3)])
    other.compile("adam", "mse")
    other.optimizer.build(other.trainable_variables)
    other.load_weights(index)
    for a, b in zip(model.weights + model.optimizer.variables, other.weights + other.optimizer.variables):
        np.testing.assert_allclose(b.numpy(), a.numpy())


def test_max_shard_size_checks_the_name_and_the_size(tmp_path):
    model = keras.Sequential([keras.Input((40,)), keras.layers.Dense(60)])
    with pytest.raises(ValueError, match="must end in `.weights.json`"):
        model.save_weights(str(tmp_path / "w.h5"), max_shard_size=1)
    with pytest.raises(ValueError, match="increase `max_shard_size`"):
        model.save_weights(str(tmp_path / "w.weights.json"), max_shard_size=0.000001)
    with pytest.warns(UserWarning, match="w.weights.json"):
        model.save_weights(str(tmp_path / "w.weights.h5"), max_shard_size=1)
    assert os.path.exists(tmp_path / "w.weights.json") and not os.path.exists(tmp_path / "w.weights.h5")
