"""Legacy Keras 2 HDF5 files built by hand (Keras 2's documented layout): dialect, safety, errors.

The files real tf-keras and Keras 3 write are tested in tests/parity/test_saving_h5.py.
"""

import base64
import json
import marshal
import sys

import h5py
import numpy as np
import pytest

import nanokeras as keras
from nanokeras import saving


def _write_legacy(path, model_config=None, layers=(), training_config=None, optimizer=None,
                  keras_version="2.3.1", weights_only=False):
    """A file in Keras 2's layout: `layers` is `[(layer name, [(weight name, array), ...]), ...]`."""
    with h5py.File(path, "w") as f:
        if not weights_only:
            f.attrs["keras_version"] = keras_version.encode()
            f.attrs["backend"] = b"tensorflow"
            if model_config is not None:
                f.attrs["model_config"] = json.dumps(model_config).encode()
            if training_config is not None:
                f.attrs["training_config"] = json.dumps(training_config).encode()
        group = f if weights_only else f.create_group("model_weights")
        group.attrs["layer_names"] = np.array([name.encode() for name, _ in layers])
        group.attrs["keras_version"] = keras_version.encode()
        for name, weights in layers:
            layer_group = group.create_group(name)
            layer_group.attrs["weight_names"] = np.array([w.encode() for w, _ in weights]) if weights else np.array([])
            for weight_name, array in weights:
                layer_group.create_dataset(weight_name, data=array)
        if optimizer is not None:
            opt = f.create_group("optimizer_weights")
            opt.attrs["weight_names"] = np.array([n.encode() for n, _ in optimizer])
            for name, array in optimizer:
                opt.create_dataset(name, data=array)


def _keras23_model(units=3):
    """What Keras 2.3 wrote for Sequential([Dense(units, input_shape=(4,)), BatchNormalization(), Dense(1)])."""
    return {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
        {"class_name": "Dense", "config": {
            "name": "dense", "trainable": True, "batch_input_shape": [None, 4], "dtype": "float32", "units": units,
            "activation": "relu", "use_bias": True,
            "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
            "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": None,
            "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None,
            "bias_constraint": None}},
        {"class_name": "BatchNormalization", "config": {
            "name": "batch_normalization", "trainable": True, "dtype": "float32", "axis": [1], "momentum": 0.99,
            "epsilon": 0.001, "center": True, "scale": True,
            "beta_initializer": {"class_name": "Zeros", "config": {}},
            "gamma_initializer": {"class_name": "Ones", "config": {}},
            "moving_mean_initializer": {"class_name": "Zeros", "config": {}},
            "moving_variance_initializer": {"class_name": "Ones", "config": {}},
            "beta_regularizer": None, "gamma_regularizer": None, "beta_constraint": None, "gamma_constraint": None}},
        {"class_name": "Dense", "config": {"name": "dense_1", "dtype": {"class_name": "Policy",
                                                                          "config": {"name": "float32"}},
                                           "units": 1, "activation": "sigmoid"}},
    ]}}


def _keras23_weights(units=3, seed=0):
    rng = np.random.default_rng(seed)
    arrays = {
        "dense/kernel:0": rng.normal(size=(4, units)).astype("float32"),
        "dense/bias:0": rng.normal(size=units).astype("float32"),
        "batch_normalization/gamma:0": rng.uniform(0.5, 1.5, units).astype("float32"),
        "batch_normalization/beta:0": rng.normal(size=units).astype("float32"),
        "batch_normalization/moving_mean:0": rng.normal(size=units).astype("float32"),
        "batch_normalization/moving_variance:0": rng.uniform(0.5, 2.0, units).astype("float32"),
        "dense_1/kernel:0": rng.normal(size=(units, 1)).astype("float32"),
        "dense_1/bias:0": rng.normal(size=1).astype("float32"),
    }
    layers = [
        ("dense", [(n, arrays[n]) for n in ("dense/kernel:0", "dense/bias:0")]),
        ("batch_normalization", [(f"batch_normalization/{w}:0", arrays[f"batch_normalization/{w}:0"])
                                 for w in ("gamma", "beta", "moving_mean", "moving_variance")]),
        ("dense_1", [(n, arrays[n]) for n in ("dense_1/kernel:0", "dense_1/bias:0")]),
    ]
    return layers, arrays


def _expected(arrays, x):
    h = np.maximum(x @ arrays["dense/kernel:0"] + arrays["dense/bias:0"], 0)
    h = (h - arrays["batch_normalization/moving_mean:0"]) / np.sqrt(
        arrays["batch_normalization/moving_variance:0"] + 1e-3)
    h = h * arrays["batch_normalization/gamma:0"] + arrays["batch_normalization/beta:0"]
    z = h @ arrays["dense_1/kernel:0"] + arrays["dense_1/bias:0"]
    return 1 / (1 + np.exp(-z))


TRAINING_CONFIG = {
    "optimizer_config": {"class_name": "Adam", "config": {
        "name": "Adam", "lr": 0.01, "decay": 0.5, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07,
        "amsgrad": False}},
    "loss": "binary_crossentropy", "metrics": ["acc"], "weighted_metrics": None, "loss_weights": None,
    "sample_weight_mode": None,
}


def _old_adam_state(arrays):
    """Keras 2.3's optimizer weights: `Adam/iterations:0`, then `Adam/<layer>/<weight>/m:0`, ..."""
    state = [("Adam/iter:0", np.array(7, dtype="int64"))]
    trainable = ["dense/kernel", "dense/bias", "batch_normalization/gamma", "batch_normalization/beta",
                 "dense_1/kernel", "dense_1/bias"]
    for slot, scale in (("m", 0.1), ("v", 0.01)):
        state += [(f"Adam/{name}/{slot}:0", np.full_like(arrays[name + ":0"], scale)) for name in trainable]
    return state


def test_a_keras23_model_file_loads_with_weights_training_config_and_optimizer(tmp_path):
    layers, arrays = _keras23_weights()
    path = tmp_path / "keras23.h5"
    _write_legacy(path, _keras23_model(), layers, TRAINING_CONFIG)
    model = saving.load_model(path)
    x = np.random.default_rng(1).normal(size=(5, 4)).astype("float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), _expected(arrays, x), atol=1e-5)
    # Keras 2's `decay`: lr / (1 + decay * iterations), as a schedule.
    schedule = model.optimizer.get_config()["learning_rate"]
    assert type(model.optimizer).__name__ == "Adam" and schedule["class_name"] == "InverseTimeDecay"
    assert schedule["config"]["initial_learning_rate"] == pytest.approx(0.01)
    assert (schedule["config"]["decay_rate"], schedule["config"]["decay_steps"]) == (0.5, 1)
    history = model.fit(x, (x[:, :1] > 0).astype("float32"), epochs=1, verbose=0).history
    assert sorted(history) == ["acc", "loss"]


def test_keras2_optimizer_weights_are_mapped_by_their_names(tmp_path):
    layers, arrays = _keras23_weights()
    path = tmp_path / "with_state.h5"
    config = dict(TRAINING_CONFIG, optimizer_config={"class_name": "Adam", "config": {"learning_rate": 0.01}})
    _write_legacy(path, _keras23_model(), layers, config, optimizer=_old_adam_state(arrays))
    model = saving.load_model(path)
    assert int(model.optimizer.iterations.numpy()) == 7
    slots = {v.name: v.numpy() for v in model.optimizer.variables}
    np.testing.assert_allclose(slots["sequential_dense_kernel_momentum"], 0.1)
    np.testing.assert_allclose(slots["sequential_dense_1_bias_velocity"], 0.01)


def test_unmappable_optimizer_weights_warn_and_start_fresh(tmp_path):
    layers, arrays = _keras23_weights()
    path = tmp_path / "odd_state.h5"
    state = _old_adam_state(arrays)[:5]  # a state for fewer variables than the model has
    _write_legacy(path, _keras23_model(), layers, TRAINING_CONFIG, optimizer=state)
    with pytest.warns(UserWarning, match="optimizer starts fresh"):
        model = saving.load_model(path)
    assert int(model.optimizer.iterations.numpy()) == 0


def test_compile_false_and_missing_training_config(tmp_path):
    layers, arrays = _keras23_weights()
    path = tmp_path / "m.h5"
    _write_legacy(path, _keras23_model(), layers, TRAINING_CONFIG)
    assert saving.load_model(path, compile=False).optimizer is None
    bare = tmp_path / "bare.h5"
    _write_legacy(bare, _keras23_model(), layers)
    with pytest.warns(UserWarning, match="not\\* compiled"):
        assert saving.load_model(bare).optimizer is None


def test_keras2_weights_files_topological_by_name_and_skip_mismatch(tmp_path):
    layers, arrays = _keras23_weights()
    path = tmp_path / "w.h5"
    _write_legacy(path, layers=layers, weights_only=True)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="relu", name="a"),
                              keras.layers.BatchNormalization(name="b"), keras.layers.Dense(1, name="c")])
    model.load_weights(path)  # by position: the names differ
    np.testing.assert_array_equal(model.layers[1].moving_variance.numpy(),
                                  arrays["batch_normalization/moving_variance:0"])
    named = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="dense"),
                              keras.layers.Dense(7, name="other")])
    named.load_weights(path, by_name=True)
    np.testing.assert_array_equal(named.layers[0].kernel.numpy(), arrays["dense/kernel:0"])
    wrong = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="dense"),
                              keras.layers.Dense(2, name="dense_1")])
    with pytest.raises(ValueError, match=r"Layer 'dense_1'.*shape \(3, 2\).*\(3, 1\)"):
        wrong.load_weights(path, by_name=True)
    with pytest.warns(UserWarning, match="Skipping Layer 'dense_1'"):
        wrong.load_weights(path, by_name=True, skip_mismatch=True)
    model.save_weights(tmp_path / "k3.weights.h5")
    with pytest.raises(ValueError, match="by_name=True` applies to legacy"):
        model.load_weights(tmp_path / "k3.weights.h5", by_name=True)


def test_nanokeras_round_trip_through_h5_keeps_everything(tmp_path):
    a, b = keras.Input((4,), name="a"), keras.Input((2,), name="b")
    norm = keras.layers.Normalization(name="norm")
    norm.adapt(np.random.default_rng(0).normal(size=(20, 4)).astype("float32"))
    x = keras.layers.LayerNormalization(name="ln")(keras.layers.Dense(6, activation="relu")(norm(a)))
    x = keras.layers.concatenate([keras.layers.Dropout(0.2)(x), keras.layers.Rescaling(2.0)(b)])
    out = keras.layers.Dense(2, activation="softmax")(keras.layers.Reshape((8,))(x))
    model = keras.Model([a, b], out)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="categorical_crossentropy", metrics=["accuracy"])
    rng = np.random.default_rng(1)
    data = [rng.normal(size=(16, 4)).astype("float32"), rng.normal(size=(16, 2)).astype("float32")]
    y = np.eye(2, dtype="float32")[rng.integers(0, 2, 16)]
    model.fit(data, y, epochs=2, verbose=0, shuffle=False)
    path = tmp_path / "round.h5"
    with pytest.warns(UserWarning, match="legacy"):
        model.save(path)
    restored = saving.load_model(path)
    np.testing.assert_allclose(restored.predict(data, verbose=0), model.predict(data, verbose=0), atol=1e-6)
    for ours, theirs in zip(restored.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    weights = tmp_path / "round_weights.h5"
    with pytest.warns(UserWarning, match="legacy Keras 2 HDF5"):
        model.save_weights(weights)
    twin = keras.models.clone_model(model)
    twin.load_weights(weights)
    np.testing.assert_allclose(twin.predict(data, verbose=0), model.predict(data, verbose=0), atol=1e-6)


# ------------------------------------------------------------------ bad files
def test_bad_files_get_clear_errors(tmp_path):
    layers, arrays = _keras23_weights()
    good = tmp_path / "good.h5"
    _write_legacy(good, _keras23_model(), layers)
    truncated = tmp_path / "truncated.h5"
    truncated.write_bytes(good.read_bytes()[:1000])
    with pytest.raises(ValueError, match="not a readable HDF5 file"):
        saving.load_model(truncated)
    keras1 = tmp_path / "keras1.h5"
    _write_legacy(keras1, _keras23_model(), layers, keras_version="1.2.2")
    with pytest.raises(ValueError, match="keras_version='1.2.2'"):
        saving.load_model(keras1)
    weights_only = tmp_path / "weights_only.h5"
    _write_legacy(weights_only, None, layers)
    with pytest.raises(ValueError, match="no model config.*load_weights"):
        saving.load_model(weights_only)
    other = tmp_path / "other.h5"
    _write_legacy(other, _keras23_model(units=5), layers)
    with pytest.raises(ValueError, match=r"Layer #0 'dense'.*\(4, 5\).*\(4, 3\)") as info:
        saving.load_model(other)
    assert str(other) in str(info.value)


def _lambda_model(function_config):
    return {"class_name": "Sequential", "config": {"name": "s", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 2], "dtype": "float32", "name": "in"}},
        {"class_name": "Lambda", "config": dict({"name": "lam", "trainable": True, "dtype": "float32",
                                                  "output_shape": None, "output_shape_type": "raw",
                                                  "output_shape_module": None, "arguments": {}},
                                                 **function_config)}]}}


def test_lambda_bytecode_is_refused_and_never_unmarshalled(tmp_path, monkeypatch):
    canary = tmp_path / "ran"
    code = compile(f"open({str(canary)!r}, 'w').write('ran')", "<file>", "exec")
    payload = base64.b64encode(marshal.dumps(code)).decode()
    calls = []
    real_loads = marshal.loads

    def watched_loads(*args, **kwargs):
        # Python's import system unmarshals .pyc files through this same function (e.g. a codec
        # imported lazily by h5py), so only calls made from nanokeras's own code count.
        caller = sys._getframe(1).f_globals.get("__name__", "")
        if caller.startswith("nanokeras"):
            calls.append(args)
            pytest.fail("unmarshalled")
        return real_loads(*args, **kwargs)

    monkeypatch.setattr(marshal, "loads", watched_loads)
    for function in ({"function": payload, "function_type": "lambda", "module": "__main__"},
                     {"function": [payload, None, None], "function_type": "lambda", "module": "__main__"}):
        path = tmp_path / "lambda.h5"
        _write_legacy(path, _lambda_model(function), [("in", []), ("lam", [])])
        with pytest.raises(ValueError, match="bytecode.*never decodes it"):
            saving.load_model(path)
    assert calls == [] and not canary.exists()


def test_named_functions_and_tf_ops_are_never_imported(tmp_path):
    path = tmp_path / "named.h5"
    _write_legacy(path, _lambda_model({"function": "system", "function_type": "function", "module": "os"}),
                  [("in", []), ("lam", [])])
    with pytest.raises(ValueError, match="Refusing to load function 'system'"):
        saving.load_model(path)
    tf_op = {"class_name": "Functional", "config": {"name": "f", "layers": [
        {"class_name": "InputLayer", "name": "in", "inbound_nodes": [],
         "config": {"batch_input_shape": [None, 2], "dtype": "float32", "name": "in"}},
        {"class_name": "TFOpLambda", "name": "tf.math.add", "inbound_nodes": [[["in", 0, 0, {"y": 1.0}]]],
         "config": {"name": "tf.math.add", "function": "math.add", "trainable": True, "dtype": "float32"}}],
        "input_layers": [["in", 0, 0]], "output_layers": [["tf.math.add", 0, 0]]}}
    _write_legacy(path, tf_op, [("in", []), ("tf.math.add", [])])
    with pytest.raises(ValueError, match="TFOpLambda.*cannot run TensorFlow ops"):
        saving.load_model(path)


def test_links_outside_the_file_and_limits(tmp_path):
    layers, arrays = _keras23_weights()
    path = tmp_path / "linked.h5"
    _write_legacy(path, _keras23_model(), layers)
    secret = tmp_path / "secret.h5"
    with h5py.File(secret, "w") as f:
        f.create_dataset("x", data=np.zeros((4, 3), "float32"))
    with h5py.File(path, "a") as f:
        del f["model_weights/dense/dense/kernel:0"]
        f["model_weights/dense/dense/kernel:0"] = h5py.ExternalLink(str(secret), "x")
    with pytest.raises(ValueError, match="ExternalLink"):
        saving.load_model(path)
    deep = tmp_path / "deep.h5"
    _write_legacy(deep, {"class_name": "Sequential", "config": [[[[[[[]]]]]]]}, layers)
    with saving.load_limits(max_depth=4):
        with pytest.raises(ValueError, match="max_depth=4"):
            saving.load_model(deep)
    with saving.load_limits(max_layers=2):
        with pytest.raises(ValueError, match="max_layers=2"):
            saving.load_model(tmp_path / "linked.h5")


@keras.saving.register_keras_serializable(package="legacy_h5_test")
class _AddOne(keras.layers.Layer):
    def call(self, x):
        return x + 1.0


def test_a_registered_custom_layer_is_written_by_its_registered_name(tmp_path):
    inputs = keras.Input((2,))
    model = keras.Model(inputs, _AddOne()(keras.layers.Dense(2, name="dense")(inputs)))
    path = tmp_path / "model.h5"
    with pytest.warns(UserWarning, match="legacy"):
        model.save(path)
    with h5py.File(path, "r") as f:
        layers = json.loads(f.attrs["model_config"])["config"]["layers"]
    assert layers[-1]["class_name"] == "legacy_h5_test>_AddOne"  # what Keras 3 and tf-keras write and look up
    x = np.ones((1, 2), "float32")
    restored = saving.load_model(path, compile=False)
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0))
