"""Issue 13, behaviour 6: objects of the user's serialize as real Keras writes them, byte for byte
(`module` None for a script's `__main__`, functions as `builtins`/`function`, registered names,
Keras's automatic config for layers without `get_config`)."""

import json

import numpy as np

import nanokeras


def _define(keras, package):
    """The same user objects, defined against `keras` (real or ours)."""

    @keras.saving.register_keras_serializable(package=package)
    class Scale(keras.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, x):
            return x * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    @keras.saving.register_keras_serializable(package=package, name="Auto")
    class AutoConfig(keras.layers.Layer):  # no get_config: Keras records the constructor arguments
        def __init__(self, units=3, mode="a", sizes=(1, 2), **kwargs):
            super().__init__(**kwargs)
            self.units = units

        def call(self, x):
            return x

    class NoInit(keras.layers.Layer):
        def call(self, x):
            return x

    class NoKwargs(keras.layers.Layer):  # `name` cannot go back to the constructor: left out
        def __init__(self, units, act=None):
            super().__init__()

    @keras.saving.register_keras_serializable(package=package)
    def halve(x):
        return x * 0.5

    def plain(y_true, y_pred):
        return (y_true - y_pred) ** 2

    @keras.saving.register_keras_serializable(package=package)
    class Squared(keras.losses.Loss):
        def call(self, y_true, y_pred):
            return (y_true - y_pred) ** 2

    class Counter(keras.metrics.Mean):
        pass

    main_class = type("InMain", (keras.layers.Layer,), {"__module__": "__main__"})
    return Scale, AutoConfig, NoInit, NoKwargs, halve, plain, Squared, Counter, main_class


def _objects(keras, package):
    Scale, AutoConfig, NoInit, NoKwargs, halve, plain, Squared, Counter, InMain = _define(keras, package)
    return {
        "registered_layer": Scale(3.0, name="s"),
        "auto_config": AutoConfig(units=4, trainable=False, name="auto"),
        "auto_config_defaults": AutoConfig(name="auto2"),
        "no_init": NoInit(name="n"),
        "no_kwargs": NoKwargs(5),
        "main_module": InMain(name="m"),
        "registered_function": halve,
        "plain_function": plain,
        "builtin_function": keras.activations.relu,
        "builtin_loss_function": keras.losses.mean_squared_error,
        "loss_object": Squared(name="sq"),
        "metric_object": Counter(name="count"),
        "dense_with_custom_activation": keras.layers.Dense(2, activation=halve, name="d"),
    }


def test_user_objects_serialize_as_keras_writes_them(keras):
    ours = _objects(nanokeras, "IssueThirteen")
    theirs = _objects(keras, "IssueThirteen")
    for key in theirs:
        expected = json.dumps(keras.saving.serialize_keras_object(theirs[key]))
        assert json.dumps(nanokeras.saving.serialize_keras_object(ours[key])) == expected, key


def test_module_serializers_write_what_keras_writes(keras):
    ours = _objects(nanokeras, "IssueThirteenModules")
    theirs = _objects(keras, "IssueThirteenModules")
    cases = [("activations", "registered_function"), ("activations", "plain_function"),
             ("activations", "builtin_function"), ("losses", "registered_function"),
             ("losses", "loss_object"), ("metrics", "plain_function"), ("metrics", "metric_object")]
    for module, key in cases:
        expected = json.dumps(getattr(keras, module).serialize(theirs[key]))
        assert json.dumps(getattr(nanokeras, module).serialize(ours[key])) == expected, (module, key)


def test_a_sequential_with_user_layers_has_keras_config(keras):
    def model(k, package):
        Scale, AutoConfig = _define(k, package)[:2]
        return k.Sequential([k.Input((2,)), Scale(name="scale"), AutoConfig(name="auto")], name="seq")

    theirs = json.dumps(model(keras, "IssueThirteenModel").get_config()["layers"][1:])
    ours = json.dumps(model(nanokeras, "IssueThirteenModel").get_config()["layers"][1:])
    assert ours == theirs


def test_configs_written_by_keras_load_here(keras, tmp_path):
    Scale, AutoConfig = _define(keras, "IssueThirteenFile")[:2]
    model = keras.Sequential([keras.Input((2,)), Scale(4.0, name="scale"), AutoConfig(units=7, name="auto")])
    path = str(tmp_path / "custom.keras")
    model.save(path)
    ours = _define(nanokeras, "IssueThirteenFile")
    loaded = nanokeras.saving.load_model(path)
    assert isinstance(loaded.layers[0], ours[0]) and loaded.layers[0].factor == 4.0
    assert isinstance(loaded.layers[1], ours[1]) and loaded.layers[1].units == 7
    x = np.ones((1, 2), dtype="float32")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
