"""`keras.ops` calls and Python operators on symbolic tensors are saved as Keras saves them:
one layer entry per op, the call's arguments in `inbound_nodes`, the rest in `config`."""

import json
import zipfile

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import ops


def _model():
    a, b = keras.Input((4,), name="a"), keras.Input((4,), name="b")
    h = keras.layers.Dense(4, name="d")(a)
    outputs = [
        h + 1, h * b, -h, h[:, 0:2], h[:, 1], h[..., None], h[:, ::2], 2.0 * h, h ** 2,
        ops.mean(h, axis=1, keepdims=True), ops.concatenate([h, b], axis=-1), ops.reshape(h, (-1, 2, 2)),
        ops.expand_dims(h, 1), ops.cast(h, "int32"), ops.clip(h, 0.0, 1.0), ops.softmax(h),
        ops.where(h > 0, h, b), ops.square(h), ops.transpose(ops.reshape(h, (-1, 2, 2)), (0, 2, 1)),
        ops.maximum(h, 0.5), ops.stack([h, b], axis=1), ops.relu(h), ops.squeeze(ops.expand_dims(h, 1), axis=1),
        ops.take(h, [0, 2], axis=1), ops.pad(h, [[0, 0], [1, 1]], constant_values=3.0),
    ]
    return keras.Model([a, b], outputs)


def _data():
    rng = np.random.default_rng(0)
    return [rng.normal(size=(3, 4)).astype("float32"), rng.normal(size=(3, 4)).astype("float32")]


def test_ops_in_a_graph_save_and_load_to_the_same_outputs(tmp_path):
    model = _model()
    model.save(tmp_path / "ops.keras")
    restored = keras.models.load_model(tmp_path / "ops.keras")
    for ours, theirs in zip(model(_data()), restored(_data())):
        np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))
    restored.save(tmp_path / "again.keras")  # what was loaded saves again
    assert len(keras.models.load_model(tmp_path / "again.keras").outputs) == len(model.outputs)


def _entries(path):
    config = json.loads(zipfile.ZipFile(path).read("config.json"))
    return {layer["name"]: layer for layer in config["config"]["layers"]}


def test_call_arguments_and_constructor_arguments_are_split_as_keras_splits_them(tmp_path):
    inputs = keras.Input((4,), name="x")
    model = keras.Model(inputs, [ops.mean(inputs, axis=1, keepdims=True) + 1, inputs[:, 0:2],
                                 ops.pad(inputs, [[0, 0], [1, 1]], constant_values=2.0)])
    model.save(tmp_path / "m.keras")
    entries = _entries(tmp_path / "m.keras")
    mean, add, item, pad = entries["mean"], entries["add"], entries["get_item"], entries["pad"]
    assert (mean["module"], mean["class_name"]) == ("keras.src.ops.numpy", "Mean")
    assert mean["config"] == {"name": "mean", "axis": 1, "keepdims": True}
    assert [a["class_name"] for a in mean["inbound_nodes"][0]["args"]] == ["__keras_tensor__"]
    assert add["config"] == {"name": "add"} and add["inbound_nodes"][0]["args"][1] == 1
    assert item["inbound_nodes"][0]["args"][1] == [
        {"class_name": "__slice__", "config": {"start": None, "stop": None, "step": None}},
        {"class_name": "__slice__", "config": {"start": 0, "stop": 2, "step": None}}]
    # Keras's Pad takes `constant_values` in its call and `pad_width`, `mode` in its constructor.
    assert pad["config"] == {"name": "pad", "pad_width": [[0, 0], [1, 1]], "mode": "constant"}
    assert pad["inbound_nodes"][0]["args"][1] == 2.0


def test_an_op_keras_has_no_class_for_is_refused_with_advice(tmp_path):
    from nanokeras import keras2_backend as K

    inputs = keras.Input((2,))
    with pytest.raises(NotImplementedError, match="registered custom layer"):
        keras.Model(inputs, K.mean(inputs, axis=1)).save(tmp_path / "k.keras")
    assert not (tmp_path / "k.keras").exists()


def test_an_op_named_like_a_layer_of_the_file_keeps_its_own_name(tmp_path):
    # Keras names an `ops.concatenate` "concatenate_1" beside a Concatenate layer "concatenate";
    # replayed in a fresh session the op must not take a new automatic name, "concatenate".
    keras.backend.clear_session()
    ids_a, ids_b = keras.Input((3,), dtype="int32", name="ia"), keras.Input((3,), dtype="int32", name="ib")
    embedding = keras.layers.Embedding(10, 2, name="emb")
    joined = keras.layers.Concatenate(axis=1)([embedding(ids_a), embedding(ids_b)])
    model = keras.Model([ids_a, ids_b], keras.layers.GlobalAveragePooling1D()(ops.concatenate([joined, joined], axis=1)))
    assert sorted(op.name for op in model._operations if "concatenate" in op.name) == ["concatenate", "concatenate_1"]
    model.save(tmp_path / "m.keras")
    keras.backend.clear_session()
    restored = keras.models.load_model(tmp_path / "m.keras")
    ids = [np.array([[1, 2, 0]]), np.array([[3, 0, 0]])]
    np.testing.assert_array_equal(np.asarray(model(ids)), np.asarray(restored(ids)))


def test_abs_is_written_as_keras_records_it():
    # Keras's ops.abs calls ops.absolute: its files name the op "Absolute", and so do ours.
    import nanokeras as nk

    inputs = nk.Input((3,))
    model = nk.Model(inputs, nk.ops.abs(inputs) + nk.ops.absolute(inputs))
    written = [layer["class_name"] for layer in model.get_config()["layers"]]
    assert written.count("Absolute") == 2 and "Abs" not in written
    rebuilt = nk.Model.from_config(model.get_config())
    assert [layer["class_name"] for layer in rebuilt.get_config()["layers"]] == written
