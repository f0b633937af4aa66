"""Saving and loading inside nanokeras: every layer, optimizer, loss and metric round-trips."""

import json
import zipfile

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import saving


def _data(n=16, features=6, outputs=2, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((n, features), dtype=np.float32), rng.random((n, outputs), dtype=np.float32)


def _layer_cases():
    L = keras.layers
    return {
        "Dense": lambda: [L.Dense(4, activation="tanh", use_bias=False)],
        "Activation": lambda: [L.Activation("relu")],
        "ActivityRegularization": lambda: [L.ActivityRegularization(l1=0.01)],
        "AlphaDropout": lambda: [L.AlphaDropout(0.1)],
        "BatchNormalization": lambda: [L.BatchNormalization(momentum=0.9)],
        "Dropout": lambda: [L.Dropout(0.25)],
        "GaussianDropout": lambda: [L.GaussianDropout(0.1)],
        "GaussianNoise": lambda: [L.GaussianNoise(0.1)],
        "LayerNormalization": lambda: [L.LayerNormalization()],
        "Normalization": lambda: [L.Normalization(mean=0.5, variance=2.0)],
        "Rescaling": lambda: [L.Rescaling(0.5, offset=1.0)],
        "Reshape+Permute+Flatten": lambda: [L.Reshape((2, 3)), L.Permute((2, 1)), L.Flatten()],
        "RepeatVector+Flatten": lambda: [L.RepeatVector(2), L.Flatten()],
        "UnitNormalization": lambda: [L.UnitNormalization()],
    }


@pytest.mark.parametrize("case", sorted(_layer_cases()))
def test_every_layer_round_trips(case, tmp_path):
    layers = _layer_cases()[case]()
    model = keras.Sequential([keras.Input((6,))] + layers + [keras.layers.Dense(2)])
    model.compile(optimizer="adam", loss="mse")
    x, y = _data()
    model.fit(x, y, epochs=2, batch_size=8, verbose=0, shuffle=False)
    path = tmp_path / "model.keras"
    model.save(path)
    restored = saving.load_model(path)
    assert [type(l).__name__ for l in restored.layers] == [type(l).__name__ for l in model.layers]
    assert [l.name for l in restored.layers] == [l.name for l in model.layers]
    for a, b in zip(model.weights, restored.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)
    assert restored.get_config() == model.get_config()


def _optimizers():
    O = keras.optimizers
    return {
        "SGD": lambda: O.SGD(0.05, momentum=0.9, nesterov=True),
        "Adam": lambda: O.Adam(0.01, amsgrad=True),
        "AdamW": lambda: O.AdamW(0.01, weight_decay=0.01),
        "RMSprop": lambda: O.RMSprop(0.01, momentum=0.5, centered=True),
        "Adagrad": lambda: O.Adagrad(0.05),
        "Adadelta": lambda: O.Adadelta(1.0),
        "Adamax": lambda: O.Adamax(0.01),
        "Nadam": lambda: O.Nadam(0.01),
        "Ftrl": lambda: O.Ftrl(0.05),
        "Lion": lambda: O.Lion(0.001),
        "Adam+schedule": lambda: O.Adam(O.schedules.ExponentialDecay(0.01, decay_steps=3, decay_rate=0.5)),
        "SGD+ema+clip": lambda: O.SGD(0.05, use_ema=True, clipnorm=1.0),
        "Adam+accumulation": lambda: O.Adam(0.01, gradient_accumulation_steps=2),
    }


def _two_layer_model():
    return keras.Sequential([keras.Input((6,)), keras.layers.Dense(5, activation="relu"), keras.layers.Dense(2)])


@pytest.mark.parametrize("name", sorted(_optimizers()))
def test_resuming_from_a_saved_model_is_exact_for_every_optimizer(name, tmp_path):
    x, y = _data(n=24)
    keras.utils.set_random_seed(3) if hasattr(keras.utils, "set_random_seed") else None
    model = _two_layer_model()
    model.compile(optimizer=_optimizers()[name](), loss="mse", metrics=["mae"])
    initial = model.get_weights()
    model.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    path = tmp_path / "ckpt.keras"
    model.save(path)
    model.fit(x, y, epochs=3, batch_size=8, shuffle=False, verbose=0)

    restored = saving.load_model(path)
    assert type(restored.optimizer) is type(model.optimizer)
    restored.fit(x, y, epochs=3, batch_size=8, shuffle=False, verbose=0)
    for a, b in zip(model.weights, restored.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    for a, b in zip(model.optimizer.variables, restored.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())

    # The same through save_weights/load_weights into a fresh, identically compiled model.
    fresh = _two_layer_model()
    fresh.set_weights(initial)
    fresh.compile(optimizer=_optimizers()[name](), loss="mse", metrics=["mae"])
    wpath = tmp_path / "ckpt.weights.h5"
    restored_again = saving.load_model(path)
    restored_again.save_weights(wpath)
    fresh.optimizer.build(fresh.trainable_variables)  # as in Keras: an unbuilt optimizer is not restored
    fresh.load_weights(wpath)
    fresh.fit(x, y, epochs=3, batch_size=8, shuffle=False, verbose=0)
    for a, b in zip(model.weights, fresh.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def _loss_identifiers():
    names = ["mse", "mae", "mape", "msle", "huber", "log_cosh", "poisson", "kl_divergence", "hinge",
             "squared_hinge", "categorical_hinge", "cosine_similarity", "binary_crossentropy",
             "categorical_crossentropy", "binary_focal_crossentropy"]
    objects = [cls for name, cls in vars(keras.losses).items()
               if isinstance(cls, type) and issubclass(cls, keras.losses.Loss)
               # (Circle and CategoricalGeneralizedCrossEntropy take integer labels, not this test's soft ones;
               # CTC integer label sequences and logits over time: tests/losses/test_ctc_loss.py.)
               and name not in ("Loss", "LossFunctionWrapper", "SparseCategoricalCrossentropy", "Circle",
                                "CategoricalGeneralizedCrossEntropy", "CTC")]
    return names + [keras.losses.mean_squared_error] + objects


@pytest.mark.parametrize("loss", _loss_identifiers(), ids=lambda l: getattr(l, "__name__", str(l)))
def test_every_loss_round_trips(loss, tmp_path):
    if isinstance(loss, type):
        loss = loss()
    x, y = _data()
    y = y / y.sum(axis=1, keepdims=True)
    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="sgd", loss=loss)
    model.fit(x, y, epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    restored = saving.load_model(tmp_path / "m.keras")
    assert restored.get_compile_config() == model.get_compile_config()
    np.testing.assert_allclose(restored.evaluate(x, y, verbose=0), model.evaluate(x, y, verbose=0), rtol=1e-6)


def _required_arguments(cls):
    import inspect

    return [p for p in list(inspect.signature(cls.__init__).parameters.values())[1:]
            if p.default is p.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]


def _metric_identifiers():
    skip = {"Metric", "MeanMetricWrapper", "SparseCategoricalAccuracy", "SparseCategoricalCrossentropy",
            "SparseTopKCategoricalAccuracy", "Mean", "Sum"}
    classes = [cls for name, cls in sorted(vars(keras.metrics).items())
               if isinstance(cls, type) and issubclass(cls, keras.metrics.Metric) and name not in skip
               and not _required_arguments(cls)]  # IoU, PrecisionAtRecall...: no defaults to build from
    return ["accuracy", "mae", "mse", "binary_accuracy", keras.metrics.categorical_accuracy] + classes


@pytest.mark.parametrize("metric", _metric_identifiers(), ids=lambda m: getattr(m, "__name__", str(m)))
def test_every_metric_round_trips(metric, tmp_path):
    if isinstance(metric, type):
        metric = metric(k=1) if "TopK" in metric.__name__ else metric()
    x, y = _data()
    y = (y > 0.5).astype("float32")
    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(2, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=[metric], weighted_metrics=["mse"])
    model.fit(x, y, epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    restored = saving.load_model(tmp_path / "m.keras")
    assert restored.get_compile_config() == model.get_compile_config()
    expected = model.evaluate(x, y, verbose=0, return_dict=True)
    got = restored.evaluate(x, y, verbose=0, return_dict=True)
    assert got.keys() == expected.keys()
    for key in expected:
        np.testing.assert_allclose(got[key], expected[key], rtol=1e-5, err_msg=key)


def test_archive_layout_matches_keras(tmp_path):
    model = _two_layer_model()
    model.compile(optimizer="adam", loss="mse")
    model.fit(*_data(), epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        assert archive.namelist() == ["metadata.json", "config.json", "model.weights.h5"]
        metadata = json.loads(archive.read("metadata.json"))
        config = json.loads(archive.read("config.json"))
    assert set(metadata) == {"keras_version", "date_saved"}
    assert config["module"] == "keras" and config["class_name"] == "Sequential"
    assert config["build_config"] == {"input_shape": [None, 6]}
    assert config["compile_config"]["optimizer"]["class_name"] == "Adam"
    dense = config["config"]["layers"][1]
    assert set(dense) == {"module", "class_name", "config", "registered_name", "build_config"}
    assert dense["module"] == "keras.layers" and dense["build_config"] == {"input_shape": [None, 6]}


def test_weights_file_layout_matches_keras(tmp_path):
    import h5py

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="first"),
                              keras.layers.Activation("relu"), keras.layers.Dense(1, name="second")])
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.ones((4, 3)), np.ones((4, 1)), verbose=0)
    model.save_weights(tmp_path / "w.weights.h5")
    names = []
    with h5py.File(tmp_path / "w.weights.h5", "r") as f:
        f.visit(names.append)
        # Paths follow the class name (numbered in the list), the vars group records the layer name.
        assert f["layers/dense/vars"].attrs["name"] == "first"
        assert f["layers/dense_1/vars"].attrs["name"] == "second"
        assert f["optimizer/vars"].attrs["name"] == model.optimizer.name
        assert f["optimizer/vars/0"][()] == 1
    assert "layers/activation/vars" in names
    assert [n for n in names if n.startswith("optimizer/vars/")] == [f"optimizer/vars/{i}" for i in range(10)]


def test_unbuilt_and_uncompiled_models_round_trip(tmp_path):
    model = keras.Sequential([keras.layers.Dense(2, name="only")])
    with pytest.warns(UserWarning, match="not yet been built"):
        model.save(tmp_path / "u.keras")
    restored = saving.load_model(tmp_path / "u.keras")
    assert not restored.built and not restored.compiled
    assert restored.layers[0].name == "only"


def test_compile_false_skips_the_optimizer(tmp_path):
    model = _two_layer_model()
    model.compile(optimizer="adam", loss="mse")
    model.save(tmp_path / "m.keras")
    assert not saving.load_model(tmp_path / "m.keras", compile=False).compiled


def test_to_json_and_model_from_json():
    model = _two_layer_model()
    clone = keras.models.model_from_json(model.to_json())
    assert clone.get_config() == model.get_config()
    assert all(not np.array_equal(a.numpy(), b.numpy()) for a, b in zip(model.weights[::2], clone.weights[::2]))


def test_clone_model_gives_new_weights_and_same_architecture():
    model = _two_layer_model()
    clone = keras.models.clone_model(model)
    assert clone.get_config() == model.get_config()
    assert all(a is not b for a, b in zip(model.weights, clone.weights))
    assert not np.array_equal(model.weights[0].numpy(), clone.weights[0].numpy())
    renamed = keras.models.clone_model(
        model, clone_function=lambda l: l.__class__.from_config({**l.get_config(), "name": "c_" + l.name})
    )
    assert [l.name for l in renamed.layers] == ["c_" + l.name for l in model.layers]


def test_clone_model_is_compiled_as_the_original():
    model = _two_layer_model()
    model.compile(keras.optimizers.Adam(0.05), "mse", metrics=["mae"])
    for clone in (keras.models.clone_model(model), keras.models.clone_model(_functional_copy(model))):
        assert clone.compiled and clone.loss == "mse"
        assert clone.optimizer is not model.optimizer and float(clone.optimizer.learning_rate) == pytest.approx(0.05)
        x = np.ones((4,) + tuple(clone.inputs[0].shape[1:]), "float32")
        history = clone.fit(x, np.zeros((4,) + tuple(clone.outputs[0].shape[1:]), "float32"), verbose=0)
        assert set(history.history) == {"loss", "mae"}
    assert not keras.models.clone_model(_two_layer_model()).compiled
    inputs = keras.Input((2,))
    custom = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    custom.compile("sgd", lambda y, p: keras.ops.mean(y - p))
    with pytest.warns(UserWarning, match="not compiled"):
        assert not keras.models.clone_model(custom).compiled


def _functional_copy(model):
    inputs = keras.Input(tuple(model.inputs[0].shape[1:]))
    functional = keras.Model(inputs, model(inputs))
    functional.compile(keras.optimizers.Adam(0.05), "mse", metrics=["mae"])
    return functional


def test_serialize_and_deserialize_keras_object():
    for obj in (keras.optimizers.Adam(0.5), keras.losses.Huber(delta=2.0), keras.metrics.AUC(num_thresholds=7),
                keras.initializers.Constant(3.0), keras.layers.Dense(3, name="d")):
        config = saving.serialize_keras_object(obj)
        json.dumps(config)
        back = saving.deserialize_keras_object(config)
        assert type(back) is type(obj)
        assert back.get_config() == obj.get_config()
    assert saving.deserialize_keras_object(saving.serialize_keras_object(keras.activations.relu)) is keras.activations.relu
    array = np.arange(4, dtype="float32")
    np.testing.assert_array_equal(saving.deserialize_keras_object(saving.serialize_keras_object(array)), array)
    assert saving.deserialize_keras_object({"a": [1, "x", None]}) == {"a": [1, "x", None]}


def test_clone_of_a_built_subclassed_model_is_built_and_takes_the_weights():
    @keras.saving.register_keras_serializable(package="clonetest")
    class Stack(keras.Model):
        def __init__(self, units=3, depth=2, **kwargs):
            super().__init__(**kwargs)
            self.units, self.depth = units, depth
            self.blocks = [keras.layers.Dense(units) for _ in range(depth)]
            self.head = keras.layers.Dense(2)

        def call(self, x):
            for block in self.blocks:
                x = block(x)
            return self.head(x)

        def get_config(self):
            return {**super().get_config(), "units": self.units, "depth": self.depth}

    x = np.ones((2, 4), "float32")
    model = Stack(name="stack")
    model(x)
    clone = keras.models.clone_model(model)
    assert type(clone) is Stack and clone.built and len(clone.weights) == 6
    clone.set_weights(model.get_weights())
    np.testing.assert_array_equal(np.asarray(clone(x)), np.asarray(model(x)))
    assert not keras.models.clone_model(Stack()).built  # an unbuilt model clones unbuilt
