"""Every piece of advice in an error message, followed: the advice must work.

Each `Hint` below provokes one message of nanokeras (`trigger`), checks the advice
is in it, then does what the advice says (`follow`), which must succeed. A scan of
the source (`test_every_message_with_advice_is_audited`) finds every `raise`/`warn`
whose message gives advice, so a new hint cannot be added without its check here;
an entry whose message has moved or changed fails too.
The "did you mean" suggestions of keyword arguments are checked class by class in
tests/utils/test_keyword_arguments.py, those of identifiers (`"rleu"`) below.
"""

import ast
import contextlib
import functools
import json
import os
import pathlib
import re
import sys
import warnings
import zipfile

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import ops
from nanokeras.utils import file_utils

ROOT = pathlib.Path(__file__).resolve().parent.parent
HINTS = []


class Hint:
    def __init__(self, where, advice, trigger, follow, error=Exception, namespace=None):
        self.where, self.advice, self.trigger, self.follow, self.error = where, advice, trigger, follow, error
        self.namespace = namespace

    def param(self):
        marks = getattr(self.namespace, "pytestmark", [])  # e.g. an xfail put on the class
        return pytest.param(self, marks=marks, id=f"{self.where}:{self.advice[:40]}")


def hint(where, advice, error=Exception):
    """Registers the class body's `trigger(tmp)` and `follow(tmp)` for the message at `where`."""
    def register(namespace):
        HINTS.append(Hint(where, advice, namespace.trigger, namespace.follow, error, namespace))
        return namespace
    return register


def _data(n=16, features=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, features)).astype("float32"), rng.integers(0, 2, size=n)


def _model(features=3, units=1, activation="sigmoid"):
    return keras.Sequential([keras.Input((features,)), keras.layers.Dense(units, activation=activation)])


def _fit(model, x, y, loss="binary_crossentropy", **kwargs):
    model.compile("sgd", loss)
    return model.fit(x, y, epochs=1, verbose=0, **kwargs)


@contextlib.contextmanager
def _not_installed(*packages):
    """`import package` fails inside, as where it is not installed; everything is put back after."""
    hidden = {k: v for k, v in sys.modules.items() if k.split(".")[0] in packages}
    try:
        for name in set(hidden) | set(packages):
            sys.modules[name] = None
        yield
    finally:
        for name in set(hidden) | set(packages):
            sys.modules.pop(name, None)
        sys.modules.update(hidden)


# ------------------------------------------------- backend, graph, the tape
@hint("graph/keras_tensor.py", "use `keras.ops.mean` rather than `np.mean`", TypeError)
class _:
    def trigger(tmp):
        np.mean(keras.Input((3,)))

    def follow(tmp):
        inputs = keras.Input((3,))
        model = keras.Model(inputs, keras.ops.mean(inputs, axis=-1))
        np.testing.assert_allclose(model.predict(np.ones((2, 3)), verbose=0), [1.0, 1.0])


@hint("graph/keras_tensor.py", "Put data-dependent logic inside a layer's `call`", TypeError)
class _:
    def trigger(tmp):
        if keras.Input((3,)):
            pass

    def follow(tmp):
        class ClipLarge(keras.layers.Layer):
            def call(self, x):
                largest = float(np.max(np.asarray(x)))
                return x / largest if largest > 1 else x

        np.testing.assert_allclose(ClipLarge()(np.array([[2.0, 4.0]])), [[0.5, 1.0]])


@hint("graph/keras_tensor.py", "index it instead (`x[:, 0]`)", TypeError)
class _:
    def trigger(tmp):
        list(keras.Input((3,)))

    def follow(tmp):
        inputs = keras.Input((3,))
        model = keras.Model(inputs, inputs[:, 0])
        np.testing.assert_allclose(model.predict(np.array([[5.0, 1.0, 2.0]]), verbose=0), [5.0])


@hint("graph/keras_tensor.py", "call the model on data instead", TypeError)
class _:
    def trigger(tmp):
        keras.Input((3,)).numpy()

    def follow(tmp):
        inputs = keras.Input((3,))
        model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
        assert model(np.ones((1, 3), "float32")).shape == (1, 2)


@hint("ops/tape.py", "Wrap Python numbers first", TypeError)
class _:
    def trigger(tmp):
        with keras.GradientTape() as tape:
            tape.watch(3.0)

    def follow(tmp):
        x = keras.Variable(3.0)
        with keras.GradientTape() as tape:
            y = x * x
        assert float(tape.gradient(y, x)) == 6.0


@hint("ops/tape.py", "Use `GradientTape(persistent=True)` to call `gradient` again", RuntimeError)
class _:
    def trigger(tmp):
        x = keras.Variable(3.0)
        with keras.GradientTape() as tape:
            y = x * x
        tape.gradient(y, x)
        tape.gradient(y, x)

    def follow(tmp):
        x = keras.Variable(3.0)
        with keras.GradientTape(persistent=True) as tape:
            y = x * x
        assert float(tape.gradient(y, x)) == float(tape.gradient(y, x)) == 6.0


@hint("backend/dtypes.py", "Expected e.g. 'float32' or 'int64'", TypeError)
class _:
    def trigger(tmp):
        keras.Variable([1.0], dtype="flaot32")

    def follow(tmp):
        assert keras.Variable([1.0], dtype="float32").dtype == "float32"


@hint("backend/dtypes.py", "use 'float32' (or 'float16', 'float64')", ValueError)
class _:
    def trigger(tmp):
        keras.ops.cast(np.array([1.5]), "float")

    def follow(tmp):
        assert keras.ops.cast(np.array([1.5]), "float32").dtype == np.float32


@hint("config.py", "use real Keras 3 (`pip install keras`) with `KERAS_BACKEND=", ValueError)
class _:
    def trigger(tmp):
        keras.config.set_backend("jax")

    def follow(tmp):
        import importlib.util
        import subprocess

        if importlib.util.find_spec("keras") is None or importlib.util.find_spec("jax") is None:
            pytest.skip("real Keras 3 on JAX is not installed")
        environment = dict(os.environ, KERAS_BACKEND="jax")
        shown = subprocess.run([sys.executable, "-c", "import keras; print(keras.backend.backend())"],
                               env=environment, capture_output=True, text=True, check=True, cwd=tmp)
        assert shown.stdout.split()[-1] == "jax"
        keras.config.set_backend("numpy")  # accepted, and changes nothing


@hint("dtype_policies/__init__.py", "pass a name such as 'float32', a `keras.DTypePolicy` or the dict "
      "`keras.dtype_policies.serialize(policy)` returns", ValueError)
class _:
    def trigger(tmp):
        keras.dtype_policies.get(16)

    def follow(tmp):
        policy = keras.DTypePolicy("mixed_float16")
        assert keras.dtype_policies.get("float32").name == "float32"
        assert keras.dtype_policies.get(policy) is policy
        assert keras.dtype_policies.get(keras.dtype_policies.serialize(policy)).compute_dtype == "float16"


class _Double(keras.Operation):
    def call(self, x):
        return x * 2.0


@keras.saving.register_keras_serializable(package="hints")
class Double(keras.layers.Layer):
    def call(self, x):
        return x * 2.0


@hint("graph/operation.py", "wrap it in a registered custom layer to save the model", NotImplementedError)
class _:
    def trigger(tmp):
        inputs = keras.Input((2,))
        keras.Model(inputs, _Double()(inputs)).save(tmp / "operation.keras")

    def follow(tmp):
        inputs = keras.Input((2,))
        keras.Model(inputs, Double()(inputs)).save(tmp / "operation.keras")
        restored = keras.models.load_model(tmp / "operation.keras")
        np.testing.assert_allclose(restored.predict(np.ones((1, 2)), verbose=0), [[2.0, 2.0]])


@hint("tree/tree_api.py", "must be a sequence of leaves (e.g. a list)", TypeError)
class _:
    def trigger(tmp):
        keras.tree.pack_sequence_as((0, 0), 5)

    def follow(tmp):
        assert keras.tree.pack_sequence_as((0, 0), [5, 6]) == (5, 6)


@hint("tree/tree_api.py", "for a looser check use `keras.tree.assert_same_paths()`", DeprecationWarning)
class _:
    def trigger(tmp):
        keras.tree.assert_same_structure([(0, 1)], [(2, 3)], check_types=False)

    def follow(tmp):
        with pytest.raises(ValueError):
            keras.tree.assert_same_structure([(0, 1)], [[2, 3]])  # a tuple is not a list
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            keras.tree.assert_same_paths([(0, 1)], [[2, 3]])  # the same paths: [0][0] and [0][1]


# ---------------------------------------------------------------- callbacks
class _Subclassed(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(1, activation="sigmoid")

    def call(self, x):
        return self.dense(x)


@hint("callbacks/backup_and_restore.py", "call the model on a batch of data (or `model.build(input_shape)`) first",
      ValueError)
class _:
    # `fit` builds the model before its callbacks start; a hand-written loop drives them itself.
    def trigger(tmp):
        backup = keras.callbacks.BackupAndRestore(str(tmp / "backup"))
        backup.set_model(_Subclassed())
        backup.on_train_begin()

    def follow(tmp):
        x, y = _data()
        called = _Subclassed()
        called(x[:1])
        backup = keras.callbacks.BackupAndRestore(str(tmp / "backup"))
        backup.set_model(called)
        backup.on_train_begin()
        built = _Subclassed()
        built.build((None, 3))
        _fit(built, x, y, callbacks=[keras.callbacks.BackupAndRestore(str(tmp / "backup"))])


@hint("callbacks/model_checkpoint.py", "must end in `.keras` or `.h5` (or use `save_weights_only=True` "
      "with `.weights.h5`)", ValueError)
class _:
    def trigger(tmp):
        keras.callbacks.ModelCheckpoint(str(tmp / "model.ckpt"))

    def follow(tmp):
        x, y = _data()
        with pytest.warns(UserWarning, match="HDF5 file"):  # `.h5`: the legacy format, as in Keras 3
            _fit(_model(), x, y, callbacks=[keras.callbacks.ModelCheckpoint(str(tmp / "model.keras")),
                                            keras.callbacks.ModelCheckpoint(str(tmp / "model.h5")),
                                            keras.callbacks.ModelCheckpoint(str(tmp / "model.weights.h5"),
                                                                            save_weights_only=True)])
        keras.models.load_model(tmp / "model.keras")
        keras.models.load_model(tmp / "model.h5")
        _model().load_weights(tmp / "model.weights.h5")


@hint("callbacks/monitor_callback.py", "Pass `mode='max'` in order to monitor", ValueError)
class _:
    def trigger(tmp):
        x, y = _data()
        model = _model()
        model.compile("sgd", "binary_crossentropy", metrics=[keras.metrics.MeanMetricWrapper(
            lambda t, p: keras.ops.abs(t - p), name="closeness")])
        model.fit(x, y, verbose=0, callbacks=[keras.callbacks.EarlyStopping(monitor="closeness")])

    def follow(tmp):
        x, y = _data()
        model = _model()
        model.compile("sgd", "binary_crossentropy", metrics=[keras.metrics.MeanMetricWrapper(
            lambda t, p: keras.ops.abs(t - p), name="closeness")])
        model.fit(x, y, verbose=0, callbacks=[keras.callbacks.EarlyStopping(monitor="closeness", mode="min")])
        model.fit(x, y, verbose=0, callbacks=[keras.callbacks.EarlyStopping(monitor="closeness", mode="max")])


# ----------------------------------------------------- identifiers, serializing
for _module, _bad, _good, _where, _advice in [
    (keras.constraints, 5, ["non_neg", keras.constraints.MaxNorm(3)], "constraints/__init__.py", "Pass a name such as 'non_neg'"),
    (keras.regularizers, 5, ["l2", keras.regularizers.L2(1e-4)], "regularizers/__init__.py", "Pass a name such as 'l2'"),
    (keras.losses, 5, ["mse", "sparse_categorical_crossentropy", keras.losses.Huber(), keras.losses.huber],
     "losses/registry.py", "Pass a loss name such as 'mse'"),
    (keras.optimizers, 5, ["adam", {"class_name": "SGD", "config": {"learning_rate": 0.1}}, keras.optimizers.SGD()],
     "optimizers/__init__.py", "Pass a name such as 'adam'"),
]:
    HINTS.append(Hint(_where, _advice, functools.partial(lambda m, bad, tmp: m.get(bad), _module, _bad),
                      functools.partial(lambda m, good, tmp: [m.get(g) for g in good], _module, _good), ValueError))


def _serialize_plain_function(module, tmp):
    module.serialize(lambda *args: None)


def _serialize_subclass(module, base, tmp):
    class Custom(base):
        def __call__(self, *args, **kwargs):
            return args[0]

        def get_config(self):
            return {}

    assert module.serialize(Custom())["class_name"] == "Custom"


for _module, _base, _where, _advice in [
    (keras.constraints, keras.constraints.Constraint, "constraints/__init__.py", "wrap a plain function in a Constraint subclass"),
    (keras.regularizers, keras.regularizers.Regularizer, "regularizers/__init__.py", "wrap a plain function in a Regularizer subclass"),
    (keras.initializers, keras.initializers.Initializer, "initializers/__init__.py", "Wrap plain functions in an `Initializer` subclass"),
]:
    HINTS.append(Hint(_where, _advice, functools.partial(_serialize_plain_function, _module),
                      functools.partial(_serialize_subclass, _module, _base), (TypeError, ValueError)))


# -------------------------------------------------------------- initializers
@hint("initializers/constant_initializers.py", "Pass a scalar, or an array that broadcasts", ValueError)
class _:
    def trigger(tmp):
        keras.initializers.Constant([1.0, 2.0, 3.0])((2, 2))

    def follow(tmp):
        assert keras.initializers.Constant(0.5)((2, 2)).tolist() == [[0.5, 0.5]] * 2
        assert keras.initializers.Constant([1.0, 2.0])((2, 2)).tolist() == [[1.0, 2.0]] * 2


@hint("initializers/initializer.py", "Every dimension must be known when a weight is created", ValueError)
class _:
    def trigger(tmp):
        keras.initializers.GlorotUniform()((None, 3))

    def follow(tmp):
        assert keras.initializers.GlorotUniform()((2, 3)).shape == (2, 3)


# -------------------------------------------------------------------- layers
@hint("layers/core/input_layer.py", "e.g. `keras.Input(shape=(2,))`", ValueError)
class _:
    def trigger(tmp):
        keras.layers.InputLayer()

    def follow(tmp):
        assert keras.Input(shape=(2,)).shape == (None, 2)


def _per_nonzero(x):
    """Divides by the number of non-zero entries: fails on the zeros used to infer its output shape."""
    return x * (1 / int(np.count_nonzero(np.asarray(x))))


@hint("layers/core/lambda_layer.py", "pass `output_shape` (the shape without the batch axis)", NotImplementedError)
class _:
    def trigger(tmp):
        keras.Sequential([keras.Input((4,)), keras.layers.Lambda(_per_nonzero)])

    def follow(tmp):
        model = keras.Sequential([keras.Input((4,)), keras.layers.Lambda(_per_nonzero, output_shape=(4,))])
        np.testing.assert_allclose(model.predict(np.array([[3.0, 1.0, 0.0, 0.0]]), verbose=0), [[1.5, 0.5, 0, 0]])


@keras.saving.register_keras_serializable(package="hints")
class PlusOne(keras.layers.Layer):
    def call(self, x):
        return x + 1.0


@hint("graph/symbolic_op.py", "wrap it in a registered custom layer to save the model", NotImplementedError)
class _:
    def trigger(tmp):
        inputs = keras.Input((2,))
        (inputs + 1.0)._keras_history[0].get_config()  # alone; a functional model saves it as Keras does

    def follow(tmp):
        inputs = keras.Input((2,))
        keras.Model(inputs, PlusOne()(inputs)).save(tmp / "op.keras")
        restored = keras.models.load_model(tmp / "op.keras")
        np.testing.assert_allclose(restored.predict(np.zeros((1, 2)), verbose=0), [[1.0, 1.0]])


@hint("saving/op_nodes.py", "wrap it in a registered custom layer to save the model", NotImplementedError)
class _:
    def trigger(tmp):
        from nanokeras import keras2_backend as K

        inputs = keras.Input((2,))
        keras.Model(inputs, K.mean(inputs, axis=1)).save(tmp / "k_mean.keras")  # Keras 2's K.mean: no op class

    def follow(tmp):
        inputs = keras.Input((2,))
        keras.Model(inputs, keras.ops.mean(inputs, axis=1)).save(tmp / "mean.keras")
        restored = keras.models.load_model(tmp / "mean.keras")
        np.testing.assert_allclose(restored.predict(np.ones((1, 2)), verbose=0), [1.0])


@hint("layers/layer.py", "Build it first, e.g. by calling it on data or with `layer.build(input_shape)`", ValueError)
class _:
    def trigger(tmp):
        keras.layers.Dense(2).count_params()

    def follow(tmp):
        layer = keras.layers.Dense(2)
        layer.build((None, 3))
        assert layer.count_params() == 8
        assert keras.layers.Dense(2)(np.ones((1, 3), "float32")) is not None


@hint("layers/layer.py", "has never been called on a symbolic input (e.g. `keras.Input`)", AttributeError)
class _:
    def trigger(tmp):
        keras.layers.Dense(2).output

    def follow(tmp):
        layer = keras.layers.Dense(2)
        layer(keras.Input((3,)))
        assert layer.output.shape == (None, 2)


@hint("layers/layer.py", "must call `super().__init__()` (first, before creating sub-layers or weights)", RuntimeError)
class _:
    def trigger(tmp):
        class Scale(keras.layers.Layer):
            def __init__(self, factor):
                self.factor = factor  # no super().__init__()

            def call(self, x):
                return x * self.factor

        Scale(2.0)(np.ones((1, 3), "float32"))

    def follow(tmp):
        class Scale(keras.layers.Layer):
            def __init__(self, factor):
                super().__init__()
                self.factor = factor

            def call(self, x):
                return x * self.factor

        np.testing.assert_allclose(Scale(2.0)(np.ones((1, 3), "float32")), 2.0)


@hint("layers/core/dense.py", "For one sample, add the batch axis: `x[None]`", ValueError)
class _:
    def trigger(tmp):
        keras.layers.Dense(2)(np.ones(3, "float32"))

    def follow(tmp):
        assert keras.layers.Dense(2)(np.ones(3, "float32")[None]).shape == (1, 2)


@hint("layers/layer.py", "Create them in `__init__()` or in `build(input_shape)`", ValueError)
class _:
    def trigger(tmp):
        class Head(keras.layers.Layer):
            def call(self, x):
                self.dense = keras.layers.Dense(2)  # a new layer at every call
                return self.dense(x)

        Head()(np.ones((1, 3), "float32"))

    def follow(tmp):
        class Head(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.dense = keras.layers.Dense(2)

            def call(self, x):
                return self.dense(x)

        head = Head()
        head(np.ones((1, 3), "float32"))
        head(np.ones((1, 3), "float32"))
        assert len(head.weights) == 2


@hint("layers/merging/base_merge.py", "should be called on a list of inputs, e.g. `", ValueError)
class _:
    def trigger(tmp):
        keras.layers.Add()(keras.Input((3,)))

    def follow(tmp):
        a, b = keras.Input((3,)), keras.Input((3,))
        assert keras.layers.Add()([a, b]).shape == (None, 3)


@hint("layers/normalization/batch_normalization.py", "must be an int (the feature axis, e.g. -1)", TypeError)
class _:
    def trigger(tmp):
        keras.layers.BatchNormalization(axis="channels")

    def follow(tmp):
        assert keras.layers.BatchNormalization(axis=-1)(np.ones((2, 3), "float32")).shape == (2, 3)


for _argument in ("renorm", "synchronized"):
    HINTS.append(Hint(
        "layers/normalization/batch_normalization.py", "remove the argument",
        functools.partial(lambda argument, tmp: keras.layers.BatchNormalization(**{argument: True}), _argument),
        lambda tmp: keras.layers.BatchNormalization()(np.ones((2, 3), "float32")), ValueError))


@hint("layers/preprocessing/category_encoding.py", "use the IntegerLookup layer instead", ValueError)
class _:
    def trigger(tmp):
        keras.layers.CategoryEncoding()

    def follow(tmp):
        layer = keras.layers.IntegerLookup(output_mode="one_hot")
        layer.adapt(np.array([10, 20, 30]))
        assert layer(np.array([20])).shape[-1] == 4  # OOV + 3 ids


@hint("layers/preprocessing/discretization.py", "set either `num_bins` (then call adapt()) or `bin_boundaries`, not both",
      ValueError)
class _:
    def trigger(tmp):
        keras.layers.Discretization(num_bins=2, bin_boundaries=[0.0])

    def follow(tmp):
        assert keras.layers.Discretization(bin_boundaries=[0.0])(np.array([[-1.0, 1.0]])).tolist() == [[0, 1]]


@hint("layers/preprocessing/discretization.py", "set either `num_bins` (then call adapt()) or `bin_boundaries`.",
      ValueError)
class _:
    def trigger(tmp):
        keras.layers.Discretization()

    def follow(tmp):
        layer = keras.layers.Discretization(num_bins=2)
        layer.adapt(np.array([[0.0], [1.0], [2.0], [3.0]]))
        assert layer(np.array([[0.0], [3.0]])).tolist() == [[0], [1]]


@hint("layers/preprocessing/discretization.py", "create it with `num_bins` instead", ValueError)
class _:
    def trigger(tmp):
        keras.layers.Discretization(bin_boundaries=[0.0]).adapt(np.array([[1.0], [2.0]]))

    def follow(tmp):
        keras.layers.Discretization(num_bins=2).adapt(np.array([[1.0], [2.0]]))


@hint("layers/preprocessing/discretization.py", "pass `bin_boundaries` or call `adapt(data)` before using it", ValueError)
class _:
    def trigger(tmp):
        keras.layers.Discretization(num_bins=2)(np.array([[1.0]]))

    def follow(tmp):
        layer = keras.layers.Discretization(num_bins=2)
        layer.adapt(np.array([[1.0], [2.0], [3.0]]))
        assert layer(np.array([[1.0]])).shape == (1, 1)


@hint("layers/preprocessing/index_lookup.py", "with `vocabulary` and output_mode='tf_idf', pass `idf_weights` too",
      ValueError)
class _:
    def trigger(tmp):
        keras.layers.StringLookup(vocabulary=["a", "b"], output_mode="tf_idf")

    def follow(tmp):
        layer = keras.layers.StringLookup(vocabulary=["a", "b"], output_mode="tf_idf", idf_weights=[0.5, 0.25])
        assert layer(np.array([["a", "b"]])).shape == (1, 3)


@hint("layers/preprocessing/index_lookup.py", "`idf_weights` must be set when output_mode='tf_idf'", ValueError)
class _:
    def trigger(tmp):
        keras.layers.StringLookup(output_mode="tf_idf").set_vocabulary(["a", "b"])

    def follow(tmp):
        keras.layers.StringLookup(output_mode="tf_idf").set_vocabulary(["a", "b"], idf_weights=[0.5, 0.25])


for _token in ("mask", "oov"):
    HINTS.append(Hint(
        "layers/preprocessing/index_lookup.py", "Leave mask and OOV tokens out of `vocabulary`",
        functools.partial(lambda token, tmp: keras.layers.StringLookup(
            mask_token="" if token == "mask" else None, invert=token == "oov",
            vocabulary=["a", "", "b"] if token == "mask" else ["a", "[UNK]", "b"]), _token),
        functools.partial(lambda token, tmp: [
            keras.layers.StringLookup(mask_token="" if token == "mask" else None, invert=token == "oov",
                                      vocabulary=["a", "b"]),
            keras.layers.StringLookup(mask_token="" if token == "mask" else None, invert=token == "oov",
                                      vocabulary=(["", "[UNK]"] if token == "mask" else ["[UNK]"]) + ["a", "b"])], _token),
        ValueError))


@hint("layers/preprocessing/index_lookup.py", "set the vocabulary first: pass `vocabulary=` or call `adapt(data)`",
      RuntimeError)
class _:
    def trigger(tmp):
        keras.layers.StringLookup(output_mode="multi_hot")(np.array([["a"]]))

    def follow(tmp):
        assert keras.layers.StringLookup(output_mode="multi_hot", vocabulary=["a"])(np.array([["a"]])).shape == (1, 2)
        layer = keras.layers.StringLookup(output_mode="multi_hot")
        layer.adapt(np.array([["a"], ["b"]]))
        assert layer(np.array([["a"]])).shape == (1, 3)


@hint("layers/preprocessing/integer_lookup.py", "Use StringLookup for strings", TypeError)
class _:
    def trigger(tmp):
        keras.layers.IntegerLookup().adapt(np.array(["a", "b"]))

    def follow(tmp):
        keras.layers.StringLookup().adapt(np.array(["a", "b"]))


@hint("layers/preprocessing/string_lookup.py", "Use IntegerLookup for integer tokens", TypeError)
class _:
    def trigger(tmp):
        keras.layers.StringLookup().adapt(np.array([1, 2]))

    def follow(tmp):
        keras.layers.IntegerLookup().adapt(np.array([1, 2]))


@hint("layers/preprocessing/string_lookup.py", "use 0 or 1", ValueError)
class _:
    def trigger(tmp):
        keras.layers.StringLookup(num_oov_indices=2)

    def follow(tmp):
        keras.layers.StringLookup(num_oov_indices=1)
        keras.layers.StringLookup(num_oov_indices=0)


@hint("layers/preprocessing/normalization.py", "pass both `mean` and `variance`", ValueError)
class _:
    def trigger(tmp):
        keras.layers.Normalization(mean=1.0)

    def follow(tmp):
        assert keras.layers.Normalization(mean=1.0, variance=4.0)(np.array([[3.0]])).tolist() == [[1.0]]


@hint("layers/preprocessing/normalization.py", "pass an array or a non-empty iterable of batches, e.g. layer.adapt(x_train)",
      ValueError)
class _:
    def trigger(tmp):
        keras.layers.Normalization().adapt([])

    def follow(tmp):
        layer = keras.layers.Normalization()
        layer.adapt(np.array([[1.0], [3.0]]))
        layer.adapt(iter([np.array([[1.0]]), np.array([[3.0]])]))


@hint("layers/reshaping/reshape.py", "may contain at most one -1", ValueError)
class _:
    def trigger(tmp):
        keras.layers.Reshape((-1, -1))

    def follow(tmp):
        assert keras.layers.Reshape((-1, 2))(np.ones((1, 4))).shape == (1, 2, 2)


@hint("layers/reshaping/reshape.py", "For a single axis write e.g. `(12,)`", ValueError)
class _:
    def trigger(tmp):
        keras.layers.Reshape(12)

    def follow(tmp):
        assert keras.layers.Reshape((12,))(np.ones((1, 3, 4))).shape == (1, 12)


@hint("layers/reshaping/reshape.py", "entries must be positive ints or a single -1", ValueError)
class _:
    def trigger(tmp):
        keras.layers.Reshape((0, 3))

    def follow(tmp):
        assert keras.layers.Reshape((1, 3))(np.ones((2, 3))).shape == (2, 1, 3)


@hint("layers/attention/query_value_key.py", "needs `query` and `value`, e.g. `layer(query, value)`", ValueError)
class _:
    def trigger(tmp):
        keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)(np.ones((1, 3, 8), "float32"))

    def follow(tmp):
        query, value = np.ones((1, 3, 8), "float32"), np.ones((1, 5, 8), "float32")
        assert keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)(query, value).shape == (1, 3, 8)


@hint("layers/convolutional/_options.py", "use one or the other", ValueError)
class _:
    def trigger(tmp):
        keras.layers.Conv2D(2, 3, strides=2, dilation_rate=2)

    def follow(tmp):
        images = np.ones((1, 9, 9, 1), "float32")
        assert keras.layers.Conv2D(2, 3, strides=2)(images).shape == (1, 4, 4, 2)
        assert keras.layers.Conv2D(2, 3, dilation_rate=2)(images).shape == (1, 5, 5, 2)


@hint("ops/image_warps.py", "cast them first, e.g. `keras.ops.cast(images, 'float32')`", TypeError)
class _:
    def trigger(tmp):
        ops.image.elastic_transform(np.ones((4, 4, 1), "int32"), seed=1)

    def follow(tmp):
        images = ops.cast(np.ones((4, 4, 1), "int32"), "float32")
        assert ops.image.elastic_transform(images, alpha=1.0, sigma=1.0, seed=1).shape == (4, 4, 1)


@hint("layers/core/lora.py", "remove the constraint to enable LoRA", ValueError)
class _:
    def trigger(tmp):
        layer = keras.layers.Dense(2, kernel_constraint="non_neg")
        layer.build((None, 3))
        layer.enable_lora(2)

    def follow(tmp):
        layer = keras.layers.Dense(2)
        layer.build((None, 3))
        layer.enable_lora(2)
        assert layer.lora_enabled


@hint("layers/core/lora.py", "build it first (call it on data, or `layer.build(input_shape)`)", ValueError)
class _:
    def trigger(tmp):
        keras.layers.Conv1D(2, 3).enable_lora(2)

    def follow(tmp):
        layer = keras.layers.Conv1D(2, 3)
        layer.build((None, 5, 1))
        layer.enable_lora(2)
        assert layer(np.ones((1, 5, 1), "float32")).shape == (1, 3, 2)


def _kernel_larger_than_input(layer_class, **kwargs):
    """Follows "Use padding='same', a smaller kernel or a larger input." for a 3x3 kernel on 2x2 images."""
    small, large = np.ones((1, 2, 2, 1), "float32"), np.ones((1, 4, 4, 1), "float32")
    assert layer_class(kernel_size=3, padding="same", **kwargs)(small).shape[1:3] == (2, 2)
    assert layer_class(kernel_size=2, **kwargs)(small).shape[1:3] == (1, 1)
    assert layer_class(kernel_size=3, **kwargs)(large).shape[1:3] == (2, 2)


@hint("layers/convolutional/base_conv.py", "Use padding='same', a smaller kernel or a larger input", ValueError)
class _:
    def trigger(tmp):
        keras.layers.Conv2D(2, 3)(np.ones((1, 2, 2, 1), "float32"))

    def follow(tmp):
        _kernel_larger_than_input(functools.partial(keras.layers.Conv2D, 2))


@hint("layers/convolutional/base_depthwise_conv.py", "Use padding='same', a smaller kernel or a larger input",
      ValueError)
class _:
    def trigger(tmp):
        keras.layers.DepthwiseConv2D(3)(np.ones((1, 2, 2, 1), "float32"))

    def follow(tmp):
        _kernel_larger_than_input(keras.layers.DepthwiseConv2D)
        _kernel_larger_than_input(functools.partial(keras.layers.SeparableConv2D, 2))


@hint("layers/core/embedding.py", "Argument `input_length` is deprecated. Just remove it.", UserWarning)
class _:
    def trigger(tmp):
        keras.layers.Embedding(10, 4, input_length=3)

    def follow(tmp):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            model = keras.Sequential([keras.Input((3,)), keras.layers.Embedding(10, 4)])
        assert model.output_shape == (None, 3, 4)


@hint("layers/pooling/base_pooling.py", "Use padding='same' or a smaller pool", ValueError)
class _:
    def trigger(tmp):
        keras.layers.MaxPooling2D(3)(np.ones((1, 2, 2, 1), "float32"))

    def follow(tmp):
        images = np.ones((1, 2, 2, 1), "float32")
        assert keras.layers.MaxPooling2D(3, padding="same")(images).shape == (1, 1, 1, 1)
        assert keras.layers.MaxPooling2D(2)(images).shape == (1, 1, 1, 1)


@hint("layers/preprocessing/text_vectorization.py", "nanokeras pads the sequences instead (the default)", ValueError)
class _:
    def trigger(tmp):
        keras.layers.TextVectorization(ragged=True)

    def follow(tmp):
        layer = keras.layers.TextVectorization()
        layer.adapt(["the cat sat", "the dog"])
        ids = np.asarray(layer(["the cat sat", "dog"]))
        assert ids.shape == (2, 3) and ids[1].tolist()[1:] == [0, 0]  # the shorter text, padded with 0


class _NoReturn(keras.layers.Layer):
    def call(self, x):
        x = x * 2  # noqa: F841  (the forgotten `return`)


class _WithReturn(keras.layers.Layer):
    def call(self, x):
        return x * 2


@hint("layers/layer.py", "that layer's `call` returns nothing: add `return`", ValueError)
class _:
    def trigger(tmp):
        keras.Sequential([keras.Input((2,)), _NoReturn(), keras.layers.Dense(1)])

    def follow(tmp):
        model = keras.Sequential([keras.Input((2,)), _WithReturn(), keras.layers.Dense(1, kernel_initializer="ones")])
        assert model.predict(np.ones((1, 2)), verbose=0).tolist() == [[4.0]]


@hint("models/sequential.py", "its `call` needs a `return`", ValueError)
class _:
    def trigger(tmp):
        keras.Sequential([keras.Input((2,)), _NoReturn()])

    def follow(tmp):
        assert keras.Sequential([keras.Input((2,)), _WithReturn()]).predict(np.ones((1, 2)), verbose=0).tolist() \
            == [[2.0, 2.0]]


@hint("layers/preprocessing/index_lookup.py", "pass `vocabulary=` or call `adapt(data)` before calling it on data",
      RuntimeError)
class _:
    def trigger(tmp):
        keras.layers.StringLookup()(np.array([["a"]]))

    def follow(tmp):
        assert keras.layers.StringLookup(vocabulary=["a"])(np.array([["a"], ["z"]])).tolist() == [[1], [0]]
        layer = keras.layers.StringLookup()
        layer.adapt(np.array([["b"], ["a"], ["b"]]))
        assert layer(np.array([["a"], ["b"]])).tolist() == [[2], [1]]


@hint("layers/preprocessing/text_vectorization.py", "pass `vocabulary=` or call `adapt(data)` before calling it "
      "on data", RuntimeError)
class _:
    def trigger(tmp):
        keras.layers.TextVectorization()(["the cat"])

    def follow(tmp):
        given = keras.layers.TextVectorization(vocabulary=["the", "cat"])
        adapted = keras.layers.TextVectorization()
        adapted.adapt(["the cat", "the"])
        assert np.asarray(given(["the cat"])).tolist() == np.asarray(adapted(["the cat"])).tolist() == [[2, 3]]


@hint("layers/preprocessing/text_vectorization.py", "`output_sequence_length` must not be set if `output_mode` "
      "is not 'int'", ValueError)
class _:
    def trigger(tmp):
        keras.layers.TextVectorization(output_mode="multi_hot", output_sequence_length=4)

    def follow(tmp):
        layer = keras.layers.TextVectorization(output_mode="multi_hot")
        layer.adapt(["the cat sat"])
        assert np.asarray(layer(["the cat"])).shape == (1, 4)  # one slot per token, and the OOV slot


@hint("layers/preprocessing/text_vectorization.py", "set the vocabulary first: pass `vocabulary=` or call "
      "`adapt(data)`", RuntimeError)
class _:
    def trigger(tmp):
        keras.layers.TextVectorization(output_mode="count")(["the cat"])

    def follow(tmp):
        given = keras.layers.TextVectorization(output_mode="count", vocabulary=["the", "cat"])
        adapted = keras.layers.TextVectorization(output_mode="count")
        adapted.adapt(["the cat", "the"])
        assert np.asarray(given(["the cat the"])).tolist() == np.asarray(adapted(["the cat the"])).tolist() \
            == [[0, 2, 1]]


def _reviews(tmp):
    """A text dataset of `(texts, labels)` batches, as `text_dataset_from_directory` gives."""
    for label, text in (("neg", "an awful film"), ("pos", "a great film")):
        (tmp / "reviews" / label).mkdir(parents=True, exist_ok=True)
        (tmp / "reviews" / label / "1.txt").write_text(text)
    return keras.utils.text_dataset_from_directory(tmp / "reviews", batch_size=2, shuffle=False, verbose=False)


@hint("layers/preprocessing/text_vectorization.py", "adapt on the texts only, e.g. "
      "`layer.adapt(dataset.map(lambda x, y: x))`", ValueError)
class _:
    def trigger(tmp):
        keras.layers.TextVectorization().adapt(_reviews(tmp))

    def follow(tmp):
        layer = keras.layers.TextVectorization()
        layer.adapt(_reviews(tmp).map(lambda x, y: x))
        assert sorted(layer.get_vocabulary()[2:]) == ["a", "an", "awful", "film", "great"]


@hint("layers/preprocessing/text_vectorization.py", "Convert the data to text first", TypeError)
class _:
    def trigger(tmp):
        keras.layers.TextVectorization(vocabulary=["room", "7"])(np.array(["room", 7], dtype=object))

    def follow(tmp):
        data = np.array(["room", 7], dtype=object)
        layer = keras.layers.TextVectorization(vocabulary=["room", "7"])
        assert np.asarray(layer([str(item) for item in data])).tolist() == [[2], [3]]


@hint("layers/preprocessing/text_vectorization.py", "Integer token ids need no vectorizing: pass them to an "
      "`Embedding` directly", TypeError)
class _:
    def trigger(tmp):
        keras.layers.TextVectorization(vocabulary=["the", "cat"])(np.array([[2, 3]]))

    def follow(tmp):
        assert keras.layers.Embedding(4, 2)(np.array([[2, 3]])).shape == (1, 2, 2)


@hint("layers/reshaping/cropping.py", "; crop less", ValueError)
class _:
    def trigger(tmp):
        keras.layers.Cropping1D((2, 2))(np.ones((1, 4, 1), "float32"))

    def follow(tmp):
        assert keras.layers.Cropping1D((1, 2))(np.ones((1, 4, 1), "float32")).shape == (1, 1, 1)


@hint("layers/rnn/bidirectional.py", "initialize `Bidirectional` layer with a `keras.layers.Layer` instance",
      ValueError)
class _:
    def trigger(tmp):
        keras.layers.Bidirectional(keras.layers.LSTM)

    def follow(tmp):
        assert keras.layers.Bidirectional(keras.layers.LSTM(3))(np.ones((2, 4, 5), "float32")).shape == (2, 6)


@hint("layers/rnn/time_distributed.py", "initialize `TimeDistributed` layer with a `keras.layers.Layer` instance",
      ValueError)
class _:
    def trigger(tmp):
        keras.layers.TimeDistributed(keras.layers.Dense)

    def follow(tmp):
        assert keras.layers.TimeDistributed(keras.layers.Dense(3))(np.ones((2, 4, 5), "float32")).shape == (2, 4, 3)


@hint("layers/rnn/rnn.py", "Give the input a batch size, e.g. `keras.Input(shape, batch_size=32)`", ValueError)
class _:
    def trigger(tmp):
        keras.Sequential([keras.Input((4, 2)), keras.layers.LSTM(3, stateful=True)])

    def follow(tmp):
        model = keras.Sequential([keras.Input((4, 2), batch_size=32), keras.layers.LSTM(3, stateful=True)])
        first = model.predict(np.ones((32, 4, 2), "float32"), batch_size=32, verbose=0)
        second = model.predict(np.ones((32, 4, 2), "float32"), batch_size=32, verbose=0)
        assert first.shape == (32, 3) and not np.allclose(first, second)  # the state carried over

@hint("layers/rnn/conv_lstm.py", "e.g. `mask=keras.ops.any(mask, axis=", ValueError)
class _:
    def trigger(tmp):
        x = np.zeros((2, 3, 4, 4, 1), "float32")
        layer = keras.layers.ConvLSTM2D(2, 3)
        layer(x, mask=keras.layers.Masking(0.0).compute_mask(x))

    def follow(tmp):
        x = np.random.default_rng(0).normal(size=(2, 3, 4, 4, 1)).astype("float32")
        x[1, 0] = 0.0
        mask = keras.layers.Masking(0.0).compute_mask(x)
        layer = keras.layers.ConvLSTM2D(2, 3)
        out = layer(x, mask=keras.ops.any(mask, axis=(2, 3)))
        np.testing.assert_allclose(np.asarray(out)[1], np.asarray(layer(x[1:, 1:]))[0], rtol=1e-6, atol=1e-7)


@hint("layers/rnn/conv_lstm_cell.py", "Give every spatial axis a size, e.g. `keras.Input((steps, 32, 32, 3))`",
      ValueError)
class _:
    def trigger(tmp):
        keras.Sequential([keras.Input((5, None, None, 3)), keras.layers.ConvLSTM2D(2, 3)])

    def follow(tmp):
        model = keras.Sequential([keras.Input((5, 32, 32, 3)), keras.layers.ConvLSTM2D(2, 3)])
        assert model.output_shape == (None, 30, 30, 2)


@hint("layers/rnn/conv_lstm_cell.py", "Use padding='same', a smaller kernel or a larger input", ValueError)
class _:
    def trigger(tmp):
        keras.layers.ConvLSTM1D(2, 5)(np.ones((1, 3, 4, 1), "float32"))

    def follow(tmp):
        x = np.ones((1, 3, 4, 1), "float32")
        assert keras.layers.ConvLSTM1D(2, 5, padding="same")(x).shape == (1, 4, 2)
        assert keras.layers.ConvLSTM1D(2, 3)(x).shape == (1, 2, 2)
        assert keras.layers.ConvLSTM1D(2, 5)(np.ones((1, 3, 6, 1), "float32")).shape == (1, 2, 2)


# -------------------------------------------------------------------- losses
@hint("losses/loss.py", "(one weight per loss value, e.g. per timestep for sequence outputs)", ValueError)
class _:
    def trigger(tmp):
        keras.losses.MeanSquaredError()(np.ones((4, 2)), np.zeros((4, 2)), sample_weight=np.ones(3))

    def follow(tmp):
        assert float(keras.losses.MeanSquaredError()(np.ones((4, 2)), np.zeros((4, 2)), sample_weight=np.ones(4))) == 1.0


@hint("losses/loss.py", "A loss expects numeric arrays", TypeError)
class _:
    def trigger(tmp):
        keras.losses.MeanSquaredError()([["a"]], np.zeros((1, 1)))

    def follow(tmp):
        keras.losses.MeanSquaredError()([[1.0]], np.zeros((1, 1)))


@hint("losses/target_checks.py", "e.g. `classes, y = np.unique(y, return_inverse=True)`", ValueError)
class _:
    def trigger(tmp):
        keras.losses.check_targets("sparse_categorical_crossentropy", np.array(["cat", "dog", "cat"]), (None, 2))

    def follow(tmp):
        classes, y = np.unique(np.array(["cat", "dog", "cat"]), return_inverse=True)
        assert keras.losses.check_targets("sparse_categorical_crossentropy", y, (None, 2)) is None


@hint("losses/target_checks.py", "Use `loss='categorical_crossentropy'`, or pass `y.argmax(axis=-1)`", ValueError)
class _:
    def trigger(tmp):
        x, y = _data()
        _fit(_model(units=2, activation="softmax"), x, np.eye(2)[y], "sparse_categorical_crossentropy")

    def follow(tmp):
        x, y = _data()
        _fit(_model(units=2, activation="softmax"), x, np.eye(2)[y], "categorical_crossentropy")
        _fit(_model(units=2, activation="softmax"), x, np.eye(2)[y].argmax(axis=-1), "sparse_categorical_crossentropy")


@hint("losses/target_checks.py", "Use `loss='sparse_categorical_crossentropy'`, or convert the labels with", ValueError)
class _:
    def trigger(tmp):
        x, y = _data()
        _fit(_model(units=2, activation="softmax"), x, y, "categorical_crossentropy")

    def follow(tmp):
        x, y = _data()
        _fit(_model(units=2, activation="softmax"), x, y, "sparse_categorical_crossentropy")
        _fit(_model(units=2, activation="softmax"), x, keras.utils.to_categorical(y), "categorical_crossentropy")


@hint("losses/target_checks.py", "Check the number of units of the last layer, or `to_categorical(y, num_classes=...)`",
      ValueError)
class _:
    def trigger(tmp):
        x, y = _data()
        _fit(_model(units=3, activation="softmax"), x, keras.utils.to_categorical(y), "categorical_crossentropy")

    def follow(tmp):
        x, y = _data()
        _fit(_model(units=3, activation="softmax"), x, keras.utils.to_categorical(y, num_classes=3), "categorical_crossentropy")
        _fit(_model(units=2, activation="softmax"), x, keras.utils.to_categorical(y), "categorical_crossentropy")


@hint("losses/target_checks.py", "for labels in {-1, 1} use `(y + 1) / 2`", ValueError)
class _:
    def trigger(tmp):
        x, y = _data()
        _fit(_model(), x, 2 * y - 1)

    def follow(tmp):
        x, y = _data()
        _fit(_model(), x, ((2 * y - 1) + 1) / 2)


@hint("losses/target_checks.py", "or use 'categorical_crossentropy' for one-hot or soft labels", ValueError)
class _:
    def trigger(tmp):
        x, y = _data()
        _fit(_model(units=2, activation="softmax"), x, y * 0.5, "sparse_categorical_crossentropy")

    def follow(tmp):
        x, y = _data()
        _fit(_model(units=2, activation="softmax"), x, y.astype("float32").astype("int64"), "sparse_categorical_crossentropy")
        soft = np.stack([1 - y * 0.5, y * 0.5], axis=-1)
        _fit(_model(units=2, activation="softmax"), x, soft, "categorical_crossentropy")


# ------------------------------------------------------------------- metrics
@hint("metrics/_confusion.py", "Pass e.g. thresholds=0.5 or thresholds=[0.3, 0.5, 0.7]", ValueError)
class _:
    def trigger(tmp):
        keras.metrics.Precision(thresholds=[1.5])

    def follow(tmp):
        keras.metrics.Precision(thresholds=0.5)
        keras.metrics.Precision(thresholds=[0.3, 0.5, 0.7])


@hint("metrics/_confusion.py", "Pass one weight per sample.", ValueError)
class _:
    def trigger(tmp):
        keras.metrics.Precision().update_state([1, 0, 1], [0.9, 0.2, 0.4], sample_weight=[1.0, 2.0])

    def follow(tmp):
        keras.metrics.Precision().update_state([1, 0, 1], [0.9, 0.2, 0.4], sample_weight=[1.0, 2.0, 1.0])


@hint("metrics/reduction_metrics.py", "Pass one weight per sample, e.g. shape (batch_size,)", ValueError)
class _:
    def trigger(tmp):
        keras.metrics.Mean().update_state(np.ones((3, 2)), sample_weight=np.ones(2))

    def follow(tmp):
        metric = keras.metrics.Mean()
        metric.update_state(np.ones((3, 2)), sample_weight=np.ones(3))
        assert float(metric.result()) == 1.0


class _CountsEarly(keras.metrics.Metric):
    def __init__(self, name="counts", early=True):
        if early:
            self.count = self.add_variable((), "zeros", name="count")
        super().__init__(name=name)
        if not early:
            self.count = self.add_variable((), "zeros", name="count")

    def update_state(self, values):
        self.count.assign_add(np.size(values))

    def result(self):
        return self.count.numpy()


@hint("metrics/metric.py", "call `super().__init__()` in `__init__` before `add_variable`", RuntimeError)
class _:
    def trigger(tmp):
        _CountsEarly()

    def follow(tmp):
        assert float(_CountsEarly(early=False)([1, 2, 3])) == 3.0


@hint("metrics/resolve.py", "Remove it, or pass e.g. 'accuracy'", ValueError)
class _:
    def trigger(tmp):
        _model().compile("sgd", "binary_crossentropy", metrics=[None])

    def follow(tmp):
        x, y = _data()
        model = _model()
        model.compile("sgd", "binary_crossentropy", metrics=["accuracy"])
        assert "accuracy" in model.fit(x, y, verbose=0).history


@hint("metrics/resolve.py", "Pass a Metric class or instance, or a function `fn(y_true, y_pred)`", TypeError)
class _:
    def trigger(tmp):
        _model().compile("sgd", "binary_crossentropy", metrics=[dict])

    def follow(tmp):
        x, y = _data()
        model = _model()
        model.compile("sgd", "binary_crossentropy",
                      metrics=[keras.metrics.BinaryAccuracy, keras.metrics.AUC(), lambda t, p: keras.ops.abs(t - p)])
        model.fit(x, y, verbose=0)


# -------------------------------------------------------------------- models
@hint("models/functional.py", "is empty; pass KerasTensors, e.g. `keras.Input((3,))`", ValueError)
class _:
    def trigger(tmp):
        keras.Model([], keras.layers.Dense(1)(keras.Input((3,))))

    def follow(tmp):
        inputs = keras.Input((3,))
        keras.Model(inputs, keras.layers.Dense(1)(inputs))


def _two_input_model():
    a, b = keras.Input((3,)), keras.Input((2,))
    return keras.Model([a, b], keras.layers.Concatenate()([a, b]))


@hint("models/functional.py", "pass them as a list in that order", ValueError)
class _:
    def trigger(tmp):
        _two_input_model().predict(np.ones((1, 3)), verbose=0)

    def follow(tmp):
        out = _two_input_model().predict([np.ones((1, 3)), np.zeros((1, 2))], verbose=0)
        assert out.tolist() == [[1, 1, 1, 0, 0]]


@hint("models/functional.py", "was not created by `keras.Input` or a layer", ValueError)
class _:
    def trigger(tmp):
        keras.Model(keras.KerasTensor((None, 3)), keras.layers.Dense(1)(keras.Input((3,))))

    def follow(tmp):
        inputs = keras.Input((3,))
        keras.Model(inputs, keras.layers.Dense(1)(inputs))


@hint("models/functional.py", "which is not among `inputs`. Add it to `inputs`", ValueError)
class _:
    def trigger(tmp):
        a, b = keras.Input((3,)), keras.Input((3,))
        keras.Model(a, keras.layers.Add()([a, b]))

    def follow(tmp):
        a, b = keras.Input((3,)), keras.Input((3,))
        keras.Model([a, b], keras.layers.Add()([a, b]))


@hint("models/sequential.py", "expects a layer instance (e.g. `keras.layers.Dense(1)`) or `keras.Input(...)`", TypeError)
class _:
    def trigger(tmp):
        keras.Sequential().add("dense")

    def follow(tmp):
        model = keras.Sequential()
        model.add(keras.Input((3,)))
        model.add(keras.layers.Dense(1))
        assert model.output_shape == (None, 1)


@hint("models/sequential.py", "for a model of several inputs, build a functional model", ValueError)
class _:
    def trigger(tmp):
        keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])([np.ones((2, 3)), np.ones((2, 3))])

    def follow(tmp):
        a, b = keras.Input((3,)), keras.Input((3,))
        model = keras.Model([a, b], keras.layers.Dense(1)(keras.layers.Concatenate()([a, b])))
        assert model([np.ones((2, 3)), np.ones((2, 3))]).shape == (2, 1)


@hint("models/sequential.py", "give it an Input or build it first", AttributeError)
class _:
    def trigger(tmp):
        keras.Sequential([keras.layers.Dense(1)]).output

    def follow(tmp):
        assert keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)]).output.shape == (None, 1)
        model = keras.Sequential([keras.layers.Dense(1)])
        model.build((None, 3))
        assert model.output.shape == (None, 1)


# ----------------------------------------------------------------------- ops
@hint("ops/crossentropy_kernels.py", "For integer class labels use `sparse_categorical_crossentropy`", ValueError)
class _:
    def trigger(tmp):
        ops.categorical_crossentropy(np.array([0, 1]), np.full((2, 2), 0.5))

    def follow(tmp):
        loss = ops.sparse_categorical_crossentropy(np.array([0, 1]), np.array([[0.8, 0.2], [0.4, 0.6]]))
        np.testing.assert_allclose(loss, -np.log([0.8, 0.6]), rtol=1e-6)


@hint("ops/crossentropy_kernels.py", "For one-hot labels use `categorical_crossentropy`", ValueError)
class _:
    def trigger(tmp):
        ops.sparse_categorical_crossentropy(np.eye(2), np.full((2, 2), 0.5))

    def follow(tmp):
        loss = ops.categorical_crossentropy(np.eye(2), np.array([[0.8, 0.2], [0.4, 0.6]]))
        np.testing.assert_allclose(loss, -np.log([0.8, 0.6]), rtol=1e-6)


@hint("ops/gradient_utils.py", "Reshape one input (e.g. with `ops.expand_dims` or `ops.reshape`)", ValueError)
class _:
    def trigger(tmp):
        ops.multiply(np.ones((2, 3)), np.ones(2))

    def follow(tmp):
        assert ops.multiply(np.ones((2, 3)), ops.expand_dims(np.ones(2), -1)).shape == (2, 3)


@hint("ops/math.py", "Use 'fro', 'nuc', 1, -1, 2, -2, inf or -inf", ValueError)
class _:
    def trigger(tmp):
        ops.norm(np.eye(2), ord=3)

    def follow(tmp):
        for order in ("fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf):
            ops.norm(np.eye(2), ord=order)


@hint("ops/numpy.py", "pass `initial=` to give a value for empty inputs", ValueError)
class _:
    def trigger(tmp):
        ops.max(np.zeros((0,)))

    def follow(tmp):
        assert float(ops.max(np.zeros((0,)), initial=-1.0)) == -1.0


def _replayed(select):
    """`sum(w * select(x))` recorded on x = [1, -2, 3], then replayed on x = [1, 2, 3] (as a compiled step is)."""
    from nanokeras.ops.tensor import Constant
    from nanokeras.ops.trace import Trace

    x, w = Constant(np.array([1.0, -2.0, 3.0], "float32")), keras.Variable(2.0)
    with keras.GradientTape() as tape:
        y = ops.sum(ops.multiply(w, select(x)))
    trace = Trace(tape)
    x.value[...] = [1.0, 2.0, 3.0]
    trace.forward()
    return float(y.value), float(trace.gradients(y, [w])[0])


@hint("ops/numpy.py", "Select with `ops.where` (same shape whatever the mask) instead", ValueError)
class _:
    def trigger(tmp):
        _replayed(lambda x: x[x > 0])

    def follow(tmp):
        assert _replayed(lambda x: ops.where(x > 0, x, 0.0)) == (12.0, 6.0)


@hint("ops/array_manipulation.py", "use `array_split` for unequal parts", ValueError)
class _:
    def trigger(tmp):
        ops.hsplit(np.arange(10).reshape(2, 5), 2)

    def follow(tmp):
        parts = ops.array_split(np.arange(10).reshape(2, 5), 2, axis=1)
        assert [np.shape(part) for part in parts] == [(2, 3), (2, 2)]


def _attention_inputs():
    rng = np.random.default_rng(0)
    return [rng.normal(size=(1, 3, 2, 4)).astype("float32") for _ in range(3)]


@hint("ops/attention.py", "Use flash_attention=None or False", ValueError)
class _:
    def trigger(tmp):
        ops.dot_product_attention(*_attention_inputs(), flash_attention=True)

    def follow(tmp):
        default = ops.dot_product_attention(*_attention_inputs(), flash_attention=None)
        np.testing.assert_array_equal(ops.dot_product_attention(*_attention_inputs(), flash_attention=False), default)
        assert default.shape == (1, 3, 2, 4)


@hint("ops/attention.py", "Remove the argument", ValueError)
class _:
    def trigger(tmp):
        ops.dot_product_attention(*_attention_inputs(), attn_logits_soft_cap=30.0)

    def follow(tmp):
        assert ops.dot_product_attention(*_attention_inputs()).shape == (1, 3, 2, 4)


@hint("ops/control_flow.py", "expected e.g. '(n),(n)->()'", ValueError)
class _:
    def trigger(tmp):
        ops.vectorize(lambda a, b: ops.sum(a * b), signature="(n),(n)")

    def follow(tmp):
        dot = ops.vectorize(lambda a, b: ops.sum(a * b), signature="(n),(n)->()")
        np.testing.assert_allclose(dot(np.ones((3, 2)), np.full((3, 2), 2.0)), [4.0, 4.0, 4.0])


@hint("ops/convolution.py", "Add a batch axis (e.g. `x[None]`) or a channels axis (e.g. `x[..., None]`)", ValueError)
class _:
    def trigger(tmp):
        ops.conv(np.ones((5, 3), "float32"), np.ones((2, 3, 4), "float32"))

    def follow(tmp):
        one_sequence, kernel = np.ones((5, 3), "float32"), np.ones((2, 3, 4), "float32")  # 5 steps, 3 channels
        assert ops.conv(one_sequence[None], kernel).shape == (1, 4, 4)
        sequences = np.ones((2, 5), "float32")  # 2 sequences of 5 steps, no channel axis
        assert ops.conv(sequences[..., None], np.ones((2, 1, 4), "float32")).shape == (2, 4, 4)


@hint("ops/convolution.py", "Add a batch axis and a channels axis (e.g. `x[None, ..., None]`)", ValueError)
class _:
    def trigger(tmp):
        ops.conv(np.ones((5, 5), "float32"), np.ones((3, 3, 1, 4), "float32"))

    def follow(tmp):
        image = np.ones((5, 5), "float32")
        assert ops.conv(image[None, ..., None], np.ones((3, 3, 1, 4), "float32")).shape == (1, 3, 3, 4)


@hint("ops/convolution.py", "Use padding='same', a smaller kernel or a larger input", ValueError)
class _:
    def trigger(tmp):
        ops.conv(np.ones((1, 2, 2, 1), "float32"), np.ones((3, 3, 1, 1), "float32"))

    def follow(tmp):
        small, large = np.ones((1, 2, 2, 1), "float32"), np.ones((1, 4, 4, 1), "float32")
        assert ops.conv(small, np.ones((3, 3, 1, 1), "float32"), padding="same").shape == (1, 2, 2, 1)
        assert ops.conv(small, np.ones((2, 2, 1, 1), "float32")).shape == (1, 1, 1, 1)
        assert ops.conv(large, np.ones((3, 3, 1, 1), "float32")).shape == (1, 2, 2, 1)


@hint("ops/counting_and_searching.py", "use `keras.ops.vectorized_map` for more dimensions", ValueError)
class _:
    def trigger(tmp):
        ops.searchsorted(np.array([[1, 2, 3], [2, 4, 6]]), np.array([[2], [5]]))

    def follow(tmp):
        rows, values = np.array([[1, 2, 3], [2, 4, 6]]), np.array([[2], [5]])
        found = ops.vectorized_map(lambda pair: ops.searchsorted(pair[0], pair[1]), (rows, values))
        assert np.asarray(found).tolist() == [[1], [2]]


@hint("ops/ctc.py", "use 'greedy' or 'beam_search'", ValueError)
class _:
    def trigger(tmp):
        ops.ctc_decode(np.zeros((1, 4, 3), "float32"), np.array([4]), strategy="beam")

    def follow(tmp):
        logits = np.log(np.array([[[0.1, 0.8, 0.1], [0.1, 0.8, 0.1], [0.8, 0.1, 0.1], [0.1, 0.1, 0.8]]], "float32"))
        for strategy in ("greedy", "beam_search"):
            decoded, _ = ops.ctc_decode(logits, np.array([4]), strategy=strategy, beam_width=4)
            assert np.asarray(decoded)[0, 0, :2].tolist() == [1, 2]


@hint("ops/einops.py", "use axis names, and parentheses to group them", ValueError)
class _:
    def trigger(tmp):
        ops.rearrange(np.zeros((2, 3, 4)), "b h w -> b h*w")

    def follow(tmp):
        assert ops.rearrange(np.zeros((2, 3, 4)), "b h w -> b (h w)").shape == (2, 12)


@hint("ops/linalg_solvers.py", "Check the input is not singular (or, for `cholesky`, that it is symmetric positive "
      "definite)", ValueError)
class _:
    def trigger(tmp):
        ops.inv(np.array([[1.0, 2.0], [2.0, 4.0]]))

    def follow(tmp):
        matrix = np.array([[2.0, 1.0], [1.0, 2.0]])  # not singular, and symmetric positive definite
        np.testing.assert_allclose(ops.matmul(ops.inv(matrix), matrix), np.eye(2), atol=1e-6)
        lower = ops.cholesky(matrix)
        np.testing.assert_allclose(ops.matmul(lower, ops.transpose(lower)), matrix, atol=1e-6)
        with pytest.raises(ValueError, match="symmetric positive definite"):
            ops.cholesky(np.array([[1.0, 2.0], [2.0, 1.0]]))  # symmetric, not positive definite


@hint("ops/normalization.py", "Use `keras.ops.rms_normalization` instead", UserWarning)
class _:
    def trigger(tmp):
        ops.layer_normalization(np.array([[1.0, 3.0]]), rms_scaling=True)

    def follow(tmp):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            normalized = ops.rms_normalization(np.array([[1.0, 7.0]], "float32"))
        np.testing.assert_allclose(normalized, [[0.2, 1.4]], rtol=1e-5)  # divided by sqrt((1 + 49) / 2) = 5


@hint("ops/pooling.py", "Use padding='same' or a smaller pool", ValueError)
class _:
    def trigger(tmp):
        ops.max_pool(np.ones((1, 2, 2, 1), "float32"), 3)

    def follow(tmp):
        images = np.ones((1, 2, 2, 1), "float32")
        assert ops.max_pool(images, 3, padding="same").shape == (1, 1, 1, 1)
        assert ops.average_pool(images, 2).shape == (1, 1, 1, 1)


# ---------------------------------------------------------------- optimizers
@hint("optimizers/adamw.py", "(use `Adam` for no weight decay)", ValueError)
class _:
    def trigger(tmp):
        keras.optimizers.AdamW(weight_decay=None)

    def follow(tmp):
        x, y = _data()
        model = _model()
        model.compile(keras.optimizers.Adam(), "binary_crossentropy")
        model.fit(x, y, verbose=0)


def _variables_and_grads():
    w, b = keras.Variable(np.ones((3, 2))), keras.Variable(np.zeros(2))
    with keras.GradientTape() as tape:
        loss = keras.ops.sum(keras.ops.matmul(np.ones((1, 3), "float32"), w) + b)
    return [w, b], tape.gradient(loss, [w, b])


@hint("optimizers/arguments.py", "Check that the loss depends on the variables and was computed inside the GradientTape",
      ValueError)
class _:
    def trigger(tmp):
        w = keras.Variable(np.ones(2))
        loss = keras.ops.sum(w * w)  # outside the tape: nothing recorded
        with keras.GradientTape() as tape:
            pass
        keras.optimizers.SGD().apply_gradients([(tape.gradient(loss, w), w)])

    def follow(tmp):
        w = keras.Variable(np.ones(2))
        with keras.GradientTape() as tape:
            loss = keras.ops.sum(w * w)
        keras.optimizers.SGD(0.5).apply_gradients([(tape.gradient(loss, w), w)])
        assert w.numpy().tolist() == [0.0, 0.0]


class _PenaltyOnInput(keras.layers.Layer):
    """Adds a loss that depends on the layer's input only: the layers after it get no gradient from it."""

    def call(self, x):
        self.add_loss(keras.ops.mean(keras.ops.square(x)))
        return x


def _penalised_model():
    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), _PenaltyOnInput(), keras.layers.Dense(1)])


@hint("optimizers/arguments.py", "did you forget to provide a `loss` argument?", UserWarning)
class _:
    def trigger(tmp):
        x, y = _data()
        model = _penalised_model()
        model.compile("sgd")
        model.fit(x, y, verbose=0)

    def follow(tmp):
        x, y = _data()
        model = _penalised_model()
        model.compile("sgd", loss="mse")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            model.fit(x, y, verbose=0)


@hint("trainers/data_adapter.py", "Ask for fewer steps (`steps_per_epoch`, `steps`)", UserWarning)
class _:
    def trigger(tmp):
        x, y = _data()
        model = _model()
        model.compile("sgd", "binary_crossentropy")
        model.fit(x, y, batch_size=8, steps_per_epoch=3, verbose=0)  # 16 samples: 2 batches

    def follow(tmp):
        x, y = _data()
        model = _model()
        model.compile("sgd", "binary_crossentropy")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            model.fit(x, y, batch_size=8, steps_per_epoch=2, epochs=2, verbose=0)
            model.fit(x, y, batch_size=8, verbose=0)


@hint("optimizers/arguments.py", "Pass `model.trainable_variables`", TypeError)
class _:
    def trigger(tmp):
        model = _model()
        keras.optimizers.SGD().apply([np.ones((3, 1)), np.ones(1)], [w.numpy() for w in model.trainable_variables])

    def follow(tmp):
        model = _model()
        keras.optimizers.SGD().apply([np.ones((3, 1)), np.ones(1)], model.trainable_variables)


@hint("optimizers/arguments.py", "Pass gradients in the same order as the variables", ValueError)
class _:
    def trigger(tmp):
        variables, grads = _variables_and_grads()
        keras.optimizers.SGD().apply(grads[::-1], variables)

    def follow(tmp):
        variables, grads = _variables_and_grads()
        keras.optimizers.SGD().apply(grads, variables)


@hint("optimizers/arguments.py", "Put the decay into the schedule instead, e.g. keras.optimizers.schedules."
      "InverseTimeDecay(rate, decay_steps=1, decay_rate=decay)", ValueError)
class _:
    def trigger(tmp):
        keras.optimizers.SGD(learning_rate=keras.Variable(0.1), decay=0.5)

    def follow(tmp):
        schedule = keras.optimizers.schedules.InverseTimeDecay(0.1, decay_steps=1, decay_rate=0.5)
        optimizer = keras.optimizers.SGD(learning_rate=schedule)
        variables, grads = _variables_and_grads()
        for _ in range(3):
            optimizer.apply(grads, variables)
        np.testing.assert_allclose(float(optimizer.learning_rate), 0.1 / (1 + 0.5 * 3), rtol=1e-6)


@hint("optimizers/base_optimizer.py", "Create the optimizer with a float `learning_rate` to be able to set it", TypeError)
class _:
    def trigger(tmp):
        keras.optimizers.SGD(keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.9)).learning_rate = 0.01

    def follow(tmp):
        optimizer = keras.optimizers.SGD(0.1)
        optimizer.learning_rate = 0.01
        assert float(optimizer.learning_rate) == pytest.approx(0.01)


@hint("optimizers/base_optimizer.py", "pass exactly one gradient (or None) per variable", ValueError)
class _:
    def trigger(tmp):
        variables, grads = _variables_and_grads()
        keras.optimizers.SGD().apply(grads[:1], variables)

    def follow(tmp):
        variables, grads = _variables_and_grads()
        keras.optimizers.SGD().apply(grads, variables)
        with pytest.warns(UserWarning, match="Gradients do not exist"):  # None for a variable: skipped, as in Keras
            keras.optimizers.SGD().apply([grads[0], None], variables)


@hint("optimizers/base_optimizer.py", "Pass the variables the optimizer was built with", ValueError)
class _:
    def trigger(tmp):
        variables, grads = _variables_and_grads()
        optimizer = keras.optimizers.SGD(use_ema=True)
        optimizer.apply(grads, variables)
        optimizer.finalize_variable_values(variables[:1])

    def follow(tmp):
        variables, grads = _variables_and_grads()
        optimizer = keras.optimizers.SGD(use_ema=True)
        optimizer.apply(grads, variables)
        optimizer.finalize_variable_values(variables)


@hint("optimizers/base_optimizer.py", "Use `zip(grads, model.trainable_variables)`", ValueError)
class _:
    def trigger(tmp):
        variables, grads = _variables_and_grads()
        keras.optimizers.SGD().apply_gradients(grads)

    def follow(tmp):
        variables, grads = _variables_and_grads()
        keras.optimizers.SGD().apply_gradients(zip(grads, variables))


@hint("optimizers/base_optimizer.py", "Pass the variables, or call `optimizer.build(trainable_variables)` first", ValueError)
class _:
    def trigger(tmp):
        variables, grads = _variables_and_grads()
        keras.optimizers.SGD().apply(grads)

    def follow(tmp):
        variables, grads = _variables_and_grads()
        keras.optimizers.SGD().apply(grads, variables)
        optimizer = keras.optimizers.SGD()
        optimizer.build(variables)
        optimizer.apply(grads)


@hint("optimizers/variable_store.py", "pass one per name", ValueError)
class _:
    def trigger(tmp):
        variables, _ = _variables_and_grads()
        keras.optimizers.SGD().add_optimizer_variables(variables, ["m", "v"], initializer=["zeros"])

    def follow(tmp):
        variables, _ = _variables_and_grads()
        m, v = keras.optimizers.SGD().add_optimizer_variables(variables, ["m", "v"], initializer=["zeros", "ones"])
        assert len(m) == len(v) == 2


@hint("optimizers/variable_store.py", "needs a built optimizer: call `optimizer.build(trainable_variables)` first",
      ValueError)
class _:
    def trigger(tmp):
        keras.optimizers.Adam().set_weights([np.zeros(())])

    def follow(tmp):
        variables, _ = _variables_and_grads()
        optimizer = keras.optimizers.Adam()
        optimizer.build(variables)
        optimizer.set_weights([np.asarray(v) for v in optimizer.variables])


# ---------------------------------------------------------------- playground
def _two_features(n=24):
    x = np.random.default_rng(0).normal(size=(n, 2)).astype("float32")
    return x, (x[:, 0] > 0).astype("int32")


def _playground_model(compiled=True):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    if compiled:
        model.compile("sgd", "binary_crossentropy", metrics=["accuracy"])
    return model


def _drawn(tmp):
    """A boundary and curves drawn with `save_png`, as its message advises; True if the PNG was written."""
    x, y = _two_features()
    model = _playground_model()
    history = model.fit(x, y, epochs=2, verbose=0)
    path = keras.playground.save_png(str(tmp / "boundary.png"), model, x, y, history=history)
    return pathlib.Path(path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@hint("playground/render.py", "pass `model`, `x` and `y` for the boundary, and/or `history` for curves", ValueError)
class _:
    def trigger(tmp):
        pytest.importorskip("matplotlib")
        keras.playground.save_png(str(tmp / "boundary.png"))

    def follow(tmp):
        assert _drawn(tmp)


@hint("playground/render.py", "Drawing PNG pictures needs matplotlib: pip install matplotlib", ImportError)
class _:
    def trigger(tmp):
        x, y = _two_features()
        with _not_installed("matplotlib"):
            keras.playground.save_png(str(tmp / "boundary.png"), _playground_model(), x, y)

    def follow(tmp):
        pytest.importorskip("matplotlib")
        assert _drawn(tmp)


@hint("playground/show.py", "call model.compile(optimizer=..., loss=..., metrics=['accuracy']) first", ValueError)
class _:
    def trigger(tmp):
        x, y = _two_features()
        keras.playground.show(_playground_model(compiled=False), x, y, open_browser=False, block=False)

    def follow(tmp):
        import http.client

        x, y = _two_features()
        model = _playground_model(compiled=False)
        model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
        server = keras.playground.show(model, x, y, open_browser=False, block=False)
        try:
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            connection.request("GET", "/api/state")
            assert json.loads(connection.getresponse().read())["setup"]["mode"] == "model"
            connection.close()
        finally:
            server.stop()


def _upload(csv_text):
    """Posts a CSV file to a running playground, as its page does: `(status, answer)`."""
    import http.client
    from nanokeras.playground.server import PlaygroundServer
    from nanokeras.playground.session import Session

    server = PlaygroundServer(Session()).start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        connection.request("POST", "/api/upload?name=points.csv", body=csv_text.encode())
        response = connection.getresponse()
        answer = (response.status, json.loads(response.read()))
        connection.close()
        return answer
    finally:
        server.stop()


def _refused_upload(csv_text):
    status, answer = _upload(csv_text)
    assert status == 400
    raise ValueError(answer["error"])  # the message the page shows


POINTS = "0.5,1.2,0\n-1,0.3,1\n2,2,0\n-2,-1,1\n"


@hint("playground/uploads.py", "expected 3: two features and a label, e.g. `0.5,1.2,0`", ValueError)
class _:
    def trigger(tmp):
        _refused_upload("0.5,1.2\n-1,0.3\n2,2\n-2,-1\n")

    def follow(tmp):
        assert _upload(POINTS) == (200, {"ok": True, "rows": 4})


@hint("playground/uploads.py", "add one row per point, `x1,x2,label`", ValueError)
class _:
    def trigger(tmp):
        _refused_upload("x1,x2,label\n")

    def follow(tmp):
        assert _upload("x1,x2,label\n" + POINTS) == (200, {"ok": True, "rows": 4})


# ------------------------------------------------------ preprocessing (Keras 2)
def _images(n=8, seed=0):
    return np.random.default_rng(seed).uniform(0, 255, size=(n, 6, 6, 3)).astype("float32")


@hint("preprocessing/image_iterators.py", "If the arrays are sorted by label, shuffle them first "
      "(or pass ignore_class_split=True)", ValueError)
class _:
    def trigger(tmp):
        generator = keras.preprocessing.image.ImageDataGenerator(validation_split=0.5)
        generator.flow(_images(), np.array([0, 0, 0, 0, 1, 1, 1, 1]), subset="training")

    def follow(tmp):
        generator = keras.preprocessing.image.ImageDataGenerator(validation_split=0.5)
        x, y = _images(), np.array([0, 0, 0, 0, 1, 1, 1, 1])
        order = np.random.default_rng(1).permutation(len(y))
        for subset in ("training", "validation"):
            _, labels = generator.flow(x[order], y[order], subset=subset, shuffle=False)[0]
            assert sorted(set(labels.tolist())) == [0, 1]
        assert len(generator.flow(x, y, subset="training", ignore_class_split=True)[0][0]) == 4


@hint("preprocessing/image_transforms.py", "needs SciPy (as in Keras 2): pip install scipy", ImportError)
class _:
    def trigger(tmp):
        with _not_installed("scipy"):
            keras.preprocessing.image.ImageDataGenerator(rotation_range=90).random_transform(_images()[0], seed=0)

    def follow(tmp):
        pytest.importorskip("scipy")
        image = _images()[0]
        rotated = keras.preprocessing.image.ImageDataGenerator(rotation_range=90).random_transform(image, seed=0)
        assert rotated.shape == image.shape and not np.allclose(rotated, image)


@hint("preprocessing/image_transforms.py", "Brightness shifts need Pillow (as in Keras 2): pip install pillow",
      ImportError)
class _:
    def trigger(tmp):
        with _not_installed("PIL"):
            keras.preprocessing.image.ImageDataGenerator(brightness_range=(0.5, 0.5)).random_transform(_images()[0])

    def follow(tmp):
        pytest.importorskip("PIL")
        image = _images()[0]
        darker = keras.preprocessing.image.ImageDataGenerator(brightness_range=(0.5, 0.5)).random_transform(image)
        assert darker.shape == image.shape and darker.mean() < image.mean()


@hint("preprocessing/text.py", "got one string: wrap it in a list", TypeError)
class _:
    def trigger(tmp):
        keras.preprocessing.text.Tokenizer().fit_on_texts("the cat sat on the mat")

    def follow(tmp):
        tokenizer = keras.preprocessing.text.Tokenizer()
        tokenizer.fit_on_texts(["the cat sat on the mat"])
        assert tokenizer.texts_to_sequences(["the cat"]) == [[1, 2]]


# -------------------------------------------------------------------- saving
def _save_h5(model, path):
    """`model.save` to a legacy `.h5` file, which notes (as Keras 3 does) that the format is legacy."""
    with pytest.warns(UserWarning, match="HDF5 file"):
        model.save(path)


@hint("saving/model_utils.py", "call the clone on new inputs instead", ValueError)
class _:
    def trigger(tmp):
        inputs = keras.Input((3,))
        keras.models.clone_model(keras.Model(inputs, keras.layers.Dense(2)(inputs)), input_tensors=keras.Input((3,)))

    def follow(tmp):
        inputs = keras.Input((3,))
        model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
        clone = keras.models.clone_model(model)
        new_inputs = keras.Input((3,))
        rebuilt = keras.Model(new_inputs, clone(new_inputs))
        assert rebuilt.predict(np.ones((1, 3)), verbose=0).shape == (1, 2)


@hint("saving/model_utils.py", "call `compile()` on it", UserWarning)
class _:
    def trigger(tmp):
        inputs = keras.Input((2,))
        model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
        model.compile("sgd", lambda y, p: keras.ops.mean(keras.ops.square(y - p)))
        keras.models.clone_model(model)

    def follow(tmp):
        inputs = keras.Input((2,))
        model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
        loss = lambda y, p: keras.ops.mean(keras.ops.square(y - p))  # noqa: E731
        model.compile("sgd", loss)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            clone = keras.models.clone_model(model)
        clone.compile("sgd", loss)
        clone.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0)


def _keras2_sklearn():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from nanokeras.wrappers import scikit_learn
    return scikit_learn


def _sigmoid_model(metrics=None):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy", metrics=metrics)
    return model


@hint("wrappers/scikit_learn.py", "use `epochs`", ValueError)
class _:
    def trigger(tmp):
        _keras2_sklearn().KerasClassifier(build_fn=_sigmoid_model, nb_epoch=2)

    def follow(tmp):
        clf = _keras2_sklearn().KerasClassifier(build_fn=_sigmoid_model, epochs=2, verbose=0)
        x, y = _data()
        clf.fit(x, y)
        assert len(clf.model.history.history["loss"]) == 2


@hint("wrappers/scikit_learn.py", "You should pass `metrics=['accuracy']` to the `model.compile()` method",
      ValueError)
class _:
    def trigger(tmp):
        clf = _keras2_sklearn().KerasClassifier(build_fn=_sigmoid_model, epochs=1, verbose=0)
        x, y = _data()
        clf.fit(x, y)
        clf.score(x, y)

    def follow(tmp):
        clf = _keras2_sklearn().KerasClassifier(build_fn=lambda: _sigmoid_model(["accuracy"]), epochs=1, verbose=0)
        x, y = _data()
        clf.fit(x, y)
        assert 0.0 <= clf.score(x, y) <= 1.0


@hint("wrappers/sklearn_wrapper.py", "pip install scikit-learn", ImportError)
class _:
    def trigger(tmp):
        from nanokeras.wrappers import sklearn_wrapper

        saved = sklearn_wrapper.sklearn
        sklearn_wrapper.sklearn = None  # as where scikit-learn is not installed
        try:
            keras.wrappers.SKLearnRegressor(lambda X, y: _sigmoid_model())
        finally:
            sklearn_wrapper.sklearn = saved

    def follow(tmp):
        assert keras.wrappers.SKLearnRegressor(lambda X, y: _sigmoid_model()).model is not None


@hint("wrappers/sklearn_wrapper.py", "call `model.compile(optimizer, loss)` before wrapping it", RuntimeError)
class _:
    def trigger(tmp):
        x, y = _data()
        keras.wrappers.SKLearnClassifier(keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])).fit(x, y)

    def follow(tmp):
        x, y = _data()
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="softmax")])
        model.compile("adam", "categorical_crossentropy")
        est = keras.wrappers.SKLearnClassifier(model, fit_kwargs={"epochs": 1, "verbose": 0}).fit(x, y)
        assert est.predict(x).shape == (16,)


@hint("layers/preprocessing/image_preprocessing/_value_range.py", "e.g. (0, 255) or (0, 1)", ValueError)
class _:
    def trigger(tmp):
        keras.layers.AutoContrast(value_range=255)

    def follow(tmp):
        out = keras.layers.AutoContrast(value_range=(0, 255))(np.array([[[[10.0], [20.0]]]], "float32"))
        np.testing.assert_allclose(np.asarray(out).ravel(), [0.0, 255.0])


@hint("saving/h5_store.py", "needs h5py: pip install h5py", ImportError)
class _:
    def trigger(tmp):
        with _not_installed("h5py"):
            _model().save(tmp / "model.keras")

    def follow(tmp):
        _model().save(tmp / "model.keras")  # h5py installed


def _keras2_file(path, model, edit_config=None, training_config=None):
    """`model` as a legacy `.h5` file, then changed into what a Keras 2 (tf.keras) file holds."""
    import h5py

    _save_h5(model, path)
    with h5py.File(path, "a") as h5file:
        if edit_config is not None:
            config = json.loads(h5file.attrs["model_config"])
            edit_config(config["config"])
            h5file.attrs["model_config"] = json.dumps(config)
        if training_config is not None:
            h5file.attrs["training_config"] = json.dumps(training_config)
    return path


def _dense_then(tmp, layer_config, **output):
    """A Keras 2 file of `Input -> Dense` followed by the layer `layer_config` (of Keras 2): `(path, dense model)`."""
    inputs = keras.Input((2,), name="in")
    dense = keras.Model(inputs, keras.layers.Dense(2, name="dense")(inputs))

    def add_layer(config):
        config["layers"].append(layer_config)
        config.update(output)

    return _keras2_file(tmp / "keras2.h5", dense, add_layer), dense


# What tf.keras wrote for `Lambda(lambda x: 2 * x)`: the lambda's bytecode, never decoded here.
KERAS2_LAMBDA = {"class_name": "Lambda", "name": "times_two", "inbound_nodes": [[["dense", 0, 0, {}]]], "config": {
    "name": "times_two", "trainable": True, "dtype": "float32", "function_type": "lambda", "module": "__main__",
    "function": ["4wEAAAAAAAAAAAAAAAEAAAACAAAAQwAAAHMIAAAAZAF8ABQAUwCpAk7pAgAAAKkA", None, None],
    "output_shape": None, "output_shape_type": "raw", "output_shape_module": None, "arguments": {}}}
# What tf.keras wrote for `tf.math.add(dense(inputs), 1.0)` in a functional model.
KERAS2_TF_OP = {"class_name": "TFOpLambda", "name": "tf.math.add", "inbound_nodes": [[["dense", 0, 0, {"y": 1.0}]]],
                "config": {"name": "tf.math.add", "trainable": True, "dtype": "float32", "function": "math.add"}}


@hint("saving/legacy/legacy_config.py", "Rebuild the model with the lambda rewritten as a named function registered "
      "with `@keras.saving.register_keras_serializable()`, or as a layer", ValueError)
class _:
    def trigger(tmp):
        keras.models.load_model(_dense_then(tmp, KERAS2_LAMBDA, output_layers=[["times_two", 0, 0]])[0])

    def follow(tmp):
        path, dense = _dense_then(tmp, KERAS2_LAMBDA, output_layers=[["times_two", 0, 0]])
        inputs = keras.Input((2,))
        rebuilt = keras.Model(inputs, keras.layers.Lambda(double)(keras.layers.Dense(2, name="dense")(inputs)))
        rebuilt.load_weights(path)  # the file's weights, into the model rebuilt with `double` (registered above)
        _save_h5(rebuilt, tmp / "rebuilt.h5")
        x = np.ones((1, 2), "float32")
        np.testing.assert_allclose(keras.models.load_model(tmp / "rebuilt.h5", compile=False).predict(x, verbose=0),
                                   2 * dense.predict(x, verbose=0), rtol=1e-6)


@hint("saving/legacy/legacy_config.py", "rebuild the model with Keras layers or `keras.ops` inside a layer", ValueError)
class _:
    def trigger(tmp):
        keras.models.load_model(_dense_then(tmp, KERAS2_TF_OP, output_layers=[["tf.math.add", 0, 0]])[0])

    def follow(tmp):
        path, dense = _dense_then(tmp, KERAS2_TF_OP, output_layers=[["tf.math.add", 0, 0]])

        class AddOne(keras.layers.Layer):
            def call(self, x):
                return keras.ops.add(x, 1.0)

        inputs = keras.Input((2,))
        rebuilt = keras.Model(inputs, AddOne()(keras.layers.Dense(2, name="dense")(inputs)))
        rebuilt.load_weights(path)
        x = np.ones((1, 2), "float32")
        np.testing.assert_allclose(rebuilt.predict(x, verbose=0), dense.predict(x, verbose=0) + 1, rtol=1e-6)


def _weighted_counts(weights_as_keyword):
    """A model whose CategoryEncoding is called on two tensors: the token ids and their weights."""
    ids, weights = keras.Input((3,), dtype="int32"), keras.Input((3,))
    counts = keras.layers.CategoryEncoding(num_tokens=4, output_mode="count")
    output = counts(ids, count_weights=weights) if weights_as_keyword else counts(ids, weights)
    return keras.Model([ids, weights], output)


def _saved_as_keras(tmp, model):
    model.save(tmp / "model.keras")
    x = [np.array([[0, 1, 1]]), np.array([[1.0, 2.0, 0.5]], "float32")]
    assert keras.models.load_model(tmp / "model.keras").predict(x, verbose=0).tolist() == [[1.0, 2.5, 0.0, 0.0]]


@hint("saving/legacy/legacy_config.py", "which that format cannot record. Save as `.keras` instead", ValueError)
class _:
    def trigger(tmp):
        _save_h5(_weighted_counts(weights_as_keyword=False), tmp / "model.h5")

    def follow(tmp):
        _saved_as_keras(tmp, _weighted_counts(weights_as_keyword=False))


@hint("saving/legacy/legacy_config.py", "its call takes tensors as keyword arguments. Save as `.keras` instead",
      ValueError)
class _:
    def trigger(tmp):
        _save_h5(_weighted_counts(weights_as_keyword=True), tmp / "model.h5")

    def follow(tmp):
        _saved_as_keras(tmp, _weighted_counts(weights_as_keyword=True))


@hint("saving/legacy/legacy_h5_format.py", "it is a weights file. Build the model and call `model.load_weights(...)` "
      "instead", ValueError)
class _:
    def trigger(tmp):
        with pytest.warns(UserWarning, match="legacy Keras 2 HDF5 file"):
            _model().save_weights(tmp / "weights.h5")
        keras.models.load_model(tmp / "weights.h5")

    def follow(tmp):
        saved = _model()
        with pytest.warns(UserWarning, match="legacy Keras 2 HDF5 file"):
            saved.save_weights(tmp / "weights.h5")
        model = _model()
        model.load_weights(tmp / "weights.h5")
        np.testing.assert_array_equal(model.get_weights()[0], saved.get_weights()[0])


@hint("saving/legacy/legacy_h5_format.py", "We recommend using instead the native Keras format, e.g. "
      "`model.save('my_model.keras')`", UserWarning)
class _:
    def trigger(tmp):
        _model().save(tmp / "my_model.h5")

    def follow(tmp):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            _model().save(tmp / "my_model.keras")
        keras.models.load_model(tmp / "my_model.keras")


@hint("saving/legacy/legacy_h5_format.py", "rebuild it with activation='sigmoid' and retrain it", UserWarning)
class _:
    def trigger(tmp):
        import h5py

        path = tmp / "keras2.h5"
        _save_h5(_model(activation="hard_sigmoid"), path)
        with h5py.File(path, "a") as h5file:
            h5file.attrs["keras_version"] = "2.15.0"
        keras.models.load_model(path)

    def follow(tmp):
        x, y = _data()
        model = _model(activation="sigmoid")
        model.compile("sgd", "binary_crossentropy")
        model.fit(x, y, epochs=1, verbose=0)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            model.save(tmp / "sigmoid.keras")
            keras.models.load_model(tmp / "sigmoid.keras")


def gap(y_true, y_pred):
    return keras.ops.abs(y_true - y_pred)


def _keras2_compiled_with_gap(tmp):
    """A Keras 2 file of a model compiled with `metrics=[gap]`, a function of the user's."""
    return _keras2_file(tmp / "keras2.h5", _model(), training_config={
        "loss": "mean_squared_error", "weighted_metrics": None, "loss_weights": None,
        "metrics": [{"class_name": "MeanMetricWrapper", "config": {"name": "gap", "dtype": "float32", "fn": "gap"}}],
        "optimizer_config": {"class_name": "SGD", "config": {"name": "SGD", "learning_rate": 0.01, "momentum": 0.0}}})


@hint("saving/legacy/training_config.py", "which is not built in: pass it in `custom_objects`, or load with "
      "`compile=False`", ValueError)
class _:
    def trigger(tmp):
        keras.models.load_model(_keras2_compiled_with_gap(tmp))

    def follow(tmp):
        path = _keras2_compiled_with_gap(tmp)
        x, y = _data()
        logs = keras.models.load_model(path, custom_objects={"gap": gap}).evaluate(x, y, verbose=0, return_dict=True)
        assert set(logs) == {"loss", "gap"}
        model = keras.models.load_model(path, compile=False)
        _fit(model, x, y, loss="mse")


def _partial_function(y_true, y_pred, scale):
    return scale * (y_true - y_pred)


@hint("saving/object_registration.py", "pass `name=` (it has no __name__)", ValueError)
class _:
    def trigger(tmp):
        keras.saving.register_keras_serializable(package="hints")(functools.partial(_partial_function, scale=2.0))

    def follow(tmp):
        keras.saving.register_keras_serializable(package="hints", name="scaled")(functools.partial(_partial_function, scale=2.0))


@hint("saving/object_registration.py", "it has no get_config() method", ValueError)
class _:
    def trigger(tmp):
        class NoConfig:
            pass

        keras.saving.register_keras_serializable(package="hints")(NoConfig)

    def follow(tmp):
        class WithConfig:
            def get_config(self):
                return {}

        keras.saving.register_keras_serializable(package="hints")(WithConfig)


@hint("saving/saving_api.py", "When using `zipped=False`, the `filepath` argument should not end in `.keras`",
      ValueError)
class _:
    def trigger(tmp):
        _model().save(tmp / "model.keras", zipped=False)

    def follow(tmp):
        _model().save(tmp / "model", zipped=False)
        assert os.path.isfile(tmp / "model" / "config.json")
        keras.saving.load_model(tmp / "model")


@hint("saving/saving_api.py", "Please add the `.keras` extension (or `.h5` for the legacy Keras 2 format), "
      "e.g. `model.save('model.keras')`", ValueError)
class _:
    def trigger(tmp):
        _model().save(tmp / "model")

    def follow(tmp):
        model = _model()
        model.compile("sgd", "mse")
        model.save(tmp / "model.keras")
        _save_h5(model, tmp / "model.h5")
        for path in ("model.keras", "model.h5"):
            np.testing.assert_array_equal(keras.models.load_model(tmp / path).get_weights()[0], model.get_weights()[0])


@hint("saving/saving_api.py", "already exists; pass `overwrite=True` to replace it", FileExistsError)
class _:
    def trigger(tmp):
        _model().save(tmp / "model.keras")
        _model().save(tmp / "model.keras", overwrite=False)

    def follow(tmp):
        _model().save(tmp / "model.keras")
        _model().save(tmp / "model.keras", overwrite=True)


@hint("saving/saving_api.py", "already exists; pass `overwrite=True` to replace it", FileExistsError)
class _:
    def trigger(tmp):
        _model().save_weights(tmp / "model.weights.h5")
        _model().save_weights(tmp / "model.weights.h5", overwrite=False)

    def follow(tmp):
        _model().save_weights(tmp / "model.weights.h5")
        _model().save_weights(tmp / "model.weights.h5", overwrite=True)


@hint("saving/saving_api.py", "holds weights only; build the model and call `model.load_weights(...)`", ValueError)
class _:
    def trigger(tmp):
        _model().save_weights(tmp / "model.weights.h5")
        keras.models.load_model(tmp / "model.weights.h5")

    def follow(tmp):
        saved = _model()
        saved.save_weights(tmp / "model.weights.h5")
        model = _model()
        model.load_weights(tmp / "model.weights.h5")
        np.testing.assert_array_equal(model.get_weights()[0], saved.get_weights()[0])


@hint("saving/saving_api.py", "e.g. `model.save_weights('model.weights.h5')` (or `.h5` for the legacy Keras 2 "
      "format)", ValueError)
class _:
    def trigger(tmp):
        _model().save_weights(tmp / "model.weights")

    def follow(tmp):
        saved = _model()
        saved.save_weights(tmp / "model.weights.h5")
        with pytest.warns(UserWarning, match="legacy Keras 2 HDF5 file"):
            saved.save_weights(tmp / "model.h5")
        for path in ("model.weights.h5", "model.h5"):
            model = _model()
            model.load_weights(tmp / path)
            np.testing.assert_array_equal(model.get_weights()[0], saved.get_weights()[0])


@hint("saving/saving_lib.py", "Build it first, e.g. by calling it on data", UserWarning)
class _:
    def trigger(tmp):
        keras.Sequential([keras.layers.Dense(1)]).save(tmp / "model.keras")

    def follow(tmp):
        model = keras.Sequential([keras.layers.Dense(1)])
        model(np.ones((1, 3), "float32"))
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            model.save(tmp / "model.keras")


@keras.saving.register_keras_serializable(package="hints")
def double(x):
    return 2.0 * x


@keras.saving.register_keras_serializable(package="hints")
def absolute_error(y_true, y_pred):
    return keras.ops.abs(y_true - y_pred)


@hint("saving/serialization_lib.py", "Use a named function registered with `@keras.saving.register_keras_serializable()`",
      ValueError)
class _:
    def trigger(tmp):
        model = _model()
        model.compile("sgd", loss=lambda y_true, y_pred: keras.ops.abs(y_true - y_pred))
        model.save(tmp / "model.keras")

    def follow(tmp):
        model = _model()
        model.compile("sgd", loss=absolute_error)
        model.save(tmp / "model.keras")
        assert keras.models.load_model(tmp / "model.keras").loss is absolute_error


@hint("saving/serialization_lib.py", "Rewrite the lambda as a named function, register it with", ValueError)
class _:
    def trigger(tmp):
        keras.Sequential([keras.Input((2,)), keras.layers.Lambda(lambda x: 2.0 * x)]).save(tmp / "model.keras")
        keras.models.load_model(tmp / "model.keras")

    def follow(tmp):
        keras.Sequential([keras.Input((2,)), keras.layers.Lambda(double)]).save(tmp / "model.keras")
        restored = keras.models.load_model(tmp / "model.keras")
        assert restored.predict(np.ones((1, 2)), verbose=0).tolist() == [[2.0, 2.0]]


# ------------------------------------------------------------------ training
def _compiled():
    model = _model()
    model.compile("sgd", "binary_crossentropy")
    return model


def _batches_once():
    x, y = _data(n=12)
    for start in range(0, 12, 4):
        yield x[start:start + 4], y[start:start + 4]


def _batches_forever():
    while True:  # the loop of `_batches_once`, repeated
        yield from _batches_once()


class _EndlessBatches(keras.utils.PyDataset):
    num_batches = None

    def __getitem__(self, index):
        x, y = _data(n=4, seed=index)
        return x, y


@hint("trainers/batch_sources.py", "Make it loop forever (`while True:` around its loop) and pass `", UserWarning)
class _:
    def trigger(tmp):
        _compiled().fit(_batches_once(), epochs=2, verbose=0)  # (as Keras: each epoch ends when it runs out)

    def follow(tmp):
        history = _compiled().fit(_batches_forever(), epochs=2, steps_per_epoch=3, verbose=0)
        assert len(history.history["loss"]) == 2


@hint("trainers/batch_sources.py", "is endless (num_batches is None): pass `", ValueError)
class _:
    def trigger(tmp):
        _compiled().fit(_EndlessBatches(), verbose=0)

    def follow(tmp):
        assert len(_compiled().fit(_EndlessBatches(), steps_per_epoch=2, epochs=2, verbose=0).history["loss"]) == 2


def _error_of(call):
    with pytest.raises(ValueError) as caught:
        call()
    return str(caught.value)


def _endless_dataset():
    """`(x, y)` batches of 4 samples, 3 features, repeated forever (as `dataset.repeat()` makes in tf.data)."""
    x, y = _data(n=12)
    windows = keras.utils.timeseries_dataset_from_array(x, y, sequence_length=1, batch_size=4)
    return windows.map(lambda window, label: (window[:, 0], label)).repeat()


@hint("trainers/batch_sources.py", "to take that many steps every epoch, repeat the dataset (`.repeat()`)", UserWarning)
class _:
    def trigger(tmp):
        x, y = _data(n=12)
        once = keras.utils.timeseries_dataset_from_array(x, y, sequence_length=1, batch_size=4)  # 3 batches
        once = once.map(lambda window, label: (window[:, 0], label))
        _compiled().fit(once, epochs=2, steps_per_epoch=5, verbose=0)

    def follow(tmp):
        history = _compiled().fit(_endless_dataset(), epochs=2, steps_per_epoch=5, verbose=0)
        assert len(history.history["loss"]) == 2


@hint("trainers/batch_sources.py", "to say how many batches make an epoch", ValueError)
class _:
    def trigger(tmp):
        _compiled().fit(_endless_dataset(), epochs=2, verbose=0)

    def follow(tmp):
        assert "`steps_per_epoch`" in _error_of(lambda: _compiled().fit(_endless_dataset(), verbose=0))
        assert "`validation_steps`" in _error_of(lambda: _compiled().fit(
            _data(), validation_data=_endless_dataset(), verbose=0))
        history = _compiled().fit(_endless_dataset(), epochs=2, steps_per_epoch=3, verbose=0,
                                  validation_data=_endless_dataset(), validation_steps=2)
        assert len(history.history["val_loss"]) == 2


@hint("trainers/batch_sources.py", "it cannot split a Sequence, generator or dataset. Pass `validation_data` "
      "instead", ValueError)
class _:
    def trigger(tmp):
        _compiled().fit(_batches_forever(), steps_per_epoch=3, validation_split=0.25, verbose=0)

    def follow(tmp):
        history = _compiled().fit(_batches_forever(), steps_per_epoch=3, validation_data=_data(n=4, seed=9),
                                  verbose=0)
        assert "val_loss" in history.history


@hint("trainers/compile_utils.py", "`optimizer` is required in compile(), e.g. optimizer='adam'", ValueError)
class _:
    def trigger(tmp):
        _model().compile(optimizer=None, loss="mse")

    def follow(tmp):
        _model().compile(optimizer="adam", loss="mse")


@hint("trainers/data_adapter.py", "check for ragged rows or mixed types", TypeError)
class _:
    def trigger(tmp):
        x = np.empty((2, 3), dtype=object)
        x[:] = 1.0
        x[0, 0] = [1.0]
        _model().predict(x, verbose=0)

    def follow(tmp):
        _model().predict(np.ones((2, 3)), verbose=0)


@hint("trainers/data_adapter.py", "Convert strings/labels to numbers first", TypeError)
class _:
    def trigger(tmp):
        _model().predict(np.array([["1", "2", "3"]]), verbose=0)

    def follow(tmp):
        _model().predict(np.array([["1", "2", "3"]]).astype("float32"), verbose=0)


@hint("trainers/data_adapter.py", "Check that every sample has the same shape", ValueError)
class _:
    def trigger(tmp):
        _model().predict([[1.0, 2.0, 3.0], [1.0, 2.0]], verbose=0)

    def follow(tmp):
        _model().predict([[1.0, 2.0, 3.0], [1.0, 2.0, 0.0]], verbose=0)


@hint("trainers/data_adapter.py", "Clean or impute the data before training", ValueError)
class _:
    def trigger(tmp):
        x, y = _data()
        x[3, 1] = np.nan
        _fit(_model(), x, y)

    def follow(tmp):
        x, y = _data()
        x[3, 1] = np.nan
        x = np.where(np.isnan(x), np.nanmean(x, axis=0), x)
        _fit(_model(), x, y)


@hint("trainers/trainer.py", "You must call `compile()` before", ValueError)
class _:
    def trigger(tmp):
        x, y = _data()
        _model().fit(x, y, verbose=0)

    def follow(tmp):
        x, y = _data()
        model = _model()
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, verbose=0)


@hint("trainers/trainer.py", "pass `loss=` to compile() (e.g. loss='mse'), or add losses with `add_loss`", ValueError)
class _:
    def trigger(tmp):
        x, y = _data()
        model = _model()
        model.compile("sgd")
        model.fit(x, y, verbose=0)

    def follow(tmp):
        x, y = _data()
        model = _model()
        model.compile("sgd", loss="mse")
        model.fit(x, y, verbose=0)

        class Penalised(keras.layers.Layer):
            def call(self, x):
                self.add_loss(keras.ops.mean(keras.ops.square(x)))
                return x

        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), Penalised()])
        model.compile("sgd")
        model.fit(x, y, verbose=0)


@hint("trainers/trainer.py", "multiply the class weights into `sample_weight` instead", ValueError)
class _:
    def trigger(tmp):
        x, y = _data()
        _fit(_model(), x, y, class_weight={0: 1.0, 1: 2.0}, sample_weight=np.ones(len(y)))

    def follow(tmp):
        x, y = _data()
        class_weight = {0: 1.0, 1: 2.0}
        sample_weight = np.ones(len(y)) * np.array([class_weight[int(label)] for label in y])
        _fit(_model(), x, y, sample_weight=sample_weight)


@hint("trainers/data_adapter.py", "For several outputs, weight each output's samples with `sample_weight` instead",
      ValueError)
class _:
    def trigger(tmp):
        x, y, model = _two_output_model()
        model.fit(x, [y, y], class_weight={0: 1.0, 1: 2.0}, verbose=0)

    def follow(tmp):
        x, y, model = _two_output_model()
        weights = np.where(y == 1, 2.0, 1.0)
        model.fit(x, [y, y], sample_weight=[weights, weights], verbose=0)


@hint("trainers/data_adapter.py", "pass one array per output, structured like `y`", ValueError)
class _:
    def trigger(tmp):
        x, y, model = _two_output_model()
        model.fit(x, [y, y], sample_weight=np.ones((len(y), 2)), verbose=0)

    def follow(tmp):
        x, y, model = _two_output_model()
        model.fit(x, [y, y], sample_weight=[np.ones(len(y)), np.ones(len(y))], verbose=0)


def _two_output_model():
    x, y = _data()
    inputs = keras.Input((3,))
    model = keras.Model(inputs, [keras.layers.Dense(1, activation="sigmoid")(inputs),
                                 keras.layers.Dense(1, activation="sigmoid")(inputs)])
    model.compile("sgd", ["binary_crossentropy", "binary_crossentropy"])
    return x, y, model


@hint("trainers/validation.py", "(e.g. 0.2 holds out the last 20% of the data)", ValueError)
class _:
    def trigger(tmp):
        x, y = _data()
        _fit(_model(), x, y, validation_split=20)

    def follow(tmp):
        x, y = _data(n=20)
        assert "val_loss" in _fit(_model(), x, y, validation_split=0.2).history


# --------------------------------------------------------------------- utils
@hint("utils/file_utils.py", "pass `fname`", ValueError)
class _:
    def trigger(tmp):
        file_utils.get_file(origin="http://127.0.0.1:9/", cache_dir=str(tmp))

    def follow(tmp):
        (tmp / "src.bin").write_bytes(b"data")
        path = file_utils.get_file(fname="data.bin", origin=(tmp / "src.bin").as_uri(), cache_dir=str(tmp))
        assert pathlib.Path(path).read_bytes() == b"data"


@hint("utils/file_utils.py", "Try again; if it persists, download it yourself and place it at", ValueError)
class _:
    def trigger(tmp):
        (tmp / "src.bin").write_bytes(b"changed")
        file_utils.get_file("data.bin", origin=(tmp / "src.bin").as_uri(), file_hash="0" * 64, cache_dir=str(tmp))

    def follow(tmp):
        good = b"data"
        (tmp / "good.bin").write_bytes(good)
        target = tmp / "datasets" / "data.bin"  # the place the message names
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(good)
        path = file_utils.get_file("data.bin", origin="http://127.0.0.1:9/data.bin",
                                    file_hash=file_utils.hash_file(tmp / "good.bin"), cache_dir=str(tmp))
        assert pathlib.Path(path) == target


@hint("utils/file_utils.py", "download it on a connected machine and put it at", OSError)
class _:
    def trigger(tmp):
        file_utils.get_file("offline.bin", origin="http://127.0.0.1:9/offline.bin", cache_dir=str(tmp))

    def follow(tmp):
        target = tmp / "datasets" / "offline.bin"
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(b"data")
        assert pathlib.Path(file_utils.get_file("offline.bin", origin="http://127.0.0.1:9/offline.bin",
                                                 cache_dir=str(tmp))) == target


def _photos(folder, count=2):
    """`count` small PNG images directly in `folder` (no class folders)."""
    pytest.importorskip("PIL")
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        keras.utils.save_img(folder / f"{i}.png", np.full((4, 4, 3), 60.0 * i))


@hint("utils/image_dataset_utils.py", "each class needs its own folder", ValueError)
class _:
    def trigger(tmp):
        _photos(tmp / "photos")
        keras.utils.image_dataset_from_directory(tmp / "photos", image_size=(4, 4), verbose=False)

    def follow(tmp):
        for label in ("cats", "dogs"):
            _photos(tmp / "sorted" / label)
        dataset = keras.utils.image_dataset_from_directory(tmp / "sorted", image_size=(4, 4), verbose=False)
        images, labels = next(iter(dataset))
        assert dataset.class_names == ["cats", "dogs"] and images.shape == (4, 4, 4, 3) and len(labels) == 4


@hint("utils/image_dataset_utils.py", "For images without labels, pass labels=None", ValueError)
class _:
    def trigger(tmp):
        _photos(tmp / "photos")
        keras.utils.image_dataset_from_directory(tmp / "photos", image_size=(4, 4), verbose=False)

    def follow(tmp):
        _photos(tmp / "photos")
        dataset = keras.utils.image_dataset_from_directory(tmp / "photos", labels=None, image_size=(4, 4),
                                                           verbose=False)
        assert next(iter(dataset)).shape == (2, 4, 4, 3)


@hint("utils/image_utils.py", "Install it with `pip install pillow`", ImportError)
class _:
    def trigger(tmp):
        with _not_installed("PIL"):
            keras.utils.save_img(tmp / "image.png", np.zeros((4, 4, 3)))

    def follow(tmp):
        pytest.importorskip("PIL")
        image = np.arange(48, dtype="float32").reshape(4, 4, 3)
        keras.utils.save_img(tmp / "image.png", image, scale=False)
        np.testing.assert_array_equal(keras.utils.img_to_array(keras.utils.load_img(tmp / "image.png")), image)


@hint("utils/model_visualization.py", "call it on data or give it an Input first", ValueError)
class _:
    def trigger(tmp):
        keras.utils.plot_model(keras.Sequential([keras.layers.Dense(1)]), to_file=str(tmp / "model.png"))

    def follow(tmp):
        pytest.importorskip("matplotlib")
        keras.utils.plot_model(_model(), to_file=str(tmp / "model.png"))
        assert (tmp / "model.png").stat().st_size > 0


@hint("utils/model_visualization.py", "or matplotlib (`pip install matplotlib`); neither is installed", ImportError)
class _:
    def trigger(tmp):
        with _not_installed("pydot", "matplotlib"):
            keras.utils.plot_model(_model(), to_file=str(tmp / "model.png"))

    def follow(tmp):
        pytest.importorskip("matplotlib")
        keras.utils.plot_model(_model(), to_file=str(tmp / "model.png"))


@hint("utils/numerical_utils.py", "(e.g. with `np.unique(labels, return_inverse=True)`)", ValueError)
class _:
    def trigger(tmp):
        keras.utils.to_categorical(np.array(["cat", "dog"]))

    def follow(tmp):
        _, labels = np.unique(np.array(["cat", "dog"]), return_inverse=True)
        assert keras.utils.to_categorical(labels).tolist() == [[1, 0], [0, 1]]


@hint("utils/numerical_utils.py", "Pass at least one label, or pass `num_classes`", ValueError)
class _:
    def trigger(tmp):
        keras.utils.to_categorical(np.array([], dtype="int64"))

    def follow(tmp):
        assert keras.utils.to_categorical(np.array([], dtype="int64"), num_classes=3).shape == (0, 3)


@hint("utils/numerical_utils.py", "Pass class indices (0, 1, 2, ...), not probabilities or scores", ValueError)
class _:
    def trigger(tmp):
        keras.utils.to_categorical(np.array([0.2, 0.7]))

    def follow(tmp):
        assert keras.utils.to_categorical(np.array([0, 1])).tolist() == [[1, 0], [0, 1]]


@hint("utils/numerical_utils.py", "or check the labels", ValueError)
class _:
    def trigger(tmp):
        keras.utils.to_categorical(np.array([0, 3]), num_classes=3)

    def follow(tmp):
        advice = "Use num_classes=4"
        with pytest.raises(ValueError, match=advice):
            keras.utils.to_categorical(np.array([0, 3]), num_classes=3)
        assert keras.utils.to_categorical(np.array([0, 3]), num_classes=4).shape == (2, 4)


@hint("utils/sequence_utils.py", "is empty: pass `maxlen` to get an empty (0, maxlen) array", ValueError)
class _:
    def trigger(tmp):
        keras.utils.pad_sequences([])

    def follow(tmp):
        assert keras.utils.pad_sequences([], maxlen=5).shape == (0, 5)


@hint("utils/sequence_utils.py", "use dtype=object for strings", ValueError)
class _:
    def trigger(tmp):
        keras.utils.pad_sequences([["the", "cat"], ["sat"]], value="<pad>")

    def follow(tmp):
        padded = keras.utils.pad_sequences([["the", "cat"], ["sat"]], value="<pad>", dtype=object)
        assert padded.tolist() == [["the", "cat"], ["<pad>", "sat"]]


@hint("utils/text_dataset_utils.py", 'to infer the labels from the subdirectory names in the target directory, '
      'pass `labels="inferred"`', ValueError)
class _:
    def trigger(tmp):
        _reviews(tmp)
        keras.utils.text_dataset_from_directory(tmp / "reviews", labels="infered")

    def follow(tmp):
        _reviews(tmp)
        dataset = keras.utils.text_dataset_from_directory(tmp / "reviews", labels="inferred", shuffle=False,
                                                          verbose=False)
        assert next(iter(dataset))[1].tolist() == [0, 1]


@hint("utils/text_dataset_utils.py", "a dataset that only contains text samples (no labels), pass `labels=None`",
      ValueError)
class _:
    def trigger(tmp):
        _reviews(tmp)
        keras.utils.text_dataset_from_directory(tmp / "reviews", labels="none")

    def follow(tmp):
        _reviews(tmp)
        dataset = keras.utils.text_dataset_from_directory(tmp / "reviews", labels=None, shuffle=False, verbose=False)
        assert next(iter(dataset)).tolist() == ["an awful film", "a great film"]


@hint("utils/text_dataset_utils.py", "should be a list/tuple of integer labels, of the same size as the number of "
      "text files", ValueError)
class _:
    def trigger(tmp):
        _reviews(tmp)
        keras.utils.text_dataset_from_directory(tmp / "reviews", labels=1)

    def follow(tmp):
        _reviews(tmp)
        dataset = keras.utils.text_dataset_from_directory(tmp / "reviews", labels=[1, 0], shuffle=False,
                                                          verbose=False)
        assert next(iter(dataset))[1].tolist() == [1, 0]


@hint("utils/text_dataset_utils.py", 'You can only pass `class_names` if `labels="inferred"`', ValueError)
class _:
    def trigger(tmp):
        _reviews(tmp)
        keras.utils.text_dataset_from_directory(tmp / "reviews", labels=[1, 0], class_names=["pos", "neg"])

    def follow(tmp):
        _reviews(tmp)
        dataset = keras.utils.text_dataset_from_directory(tmp / "reviews", labels="inferred",
                                                          class_names=["pos", "neg"], shuffle=False, verbose=False)
        texts, labels = next(iter(dataset))
        assert dataset.class_names == ["pos", "neg"] and dict(zip(texts.tolist(), labels.tolist())) == {
            "a great film": 0, "an awful film": 1}


# ------------------------------------------- Keras 2's backend functions (K.*)
def _keras2_backend():
    from nanokeras import keras2_backend

    return keras2_backend


@hint("keras2_backend/graph_only.py", "Write instead: ", NotImplementedError)
class _:
    def trigger(tmp):
        _keras2_backend().gradients(None, [])

    def follow(tmp):
        w = keras.Variable(3.0)
        with keras.GradientTape() as tape:
            loss = w * w
        assert float(tape.gradient(loss, w)) == 6.0


@hint("keras2_backend/functions.py", "Write instead: a training step", NotImplementedError)
class _:
    def trigger(tmp):
        inputs = keras.Input((2,))
        layer = keras.layers.Dense(1, kernel_initializer="ones")
        outputs = layer(inputs)
        _keras2_backend().function([inputs], [outputs], updates=[(layer.kernel, layer.kernel * 2)])

    def follow(tmp):
        w = keras.Variable(np.ones((2, 1), "float32"))
        w.assign(w * 2)
        assert w.numpy().tolist() == [[2.0], [2.0]]


@hint("keras2_backend/arrays.py", "add a batch axis with `K.expand_dims(x, 0)`", ValueError)
class _:
    def trigger(tmp):
        _keras2_backend().batch_dot(np.ones((3, 4)), np.ones((3, 4)), axes=0)

    def follow(tmp):
        K = _keras2_backend()
        result = K.batch_dot(K.expand_dims(np.ones((3, 4)), 0), K.expand_dims(np.ones((3, 4)), 0), axes=1)
        assert K.int_shape(result) == (1, 4, 4)


@hint("keras2_backend/variables.py", "call the model on data instead", TypeError)
class _:
    def trigger(tmp):
        _keras2_backend().get_value(keras.layers.Dense(2)(keras.Input((3,))))

    def follow(tmp):
        inputs = keras.Input((3,))
        model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
        assert _keras2_backend().get_value(model(np.ones((1, 3), "float32"))).shape == (1, 2)


# ----------------------------------------------------------- the audit itself
# Messages the scan finds whose wording looks like advice but which only state a fact.
# ------------------------------------------- issue 13: the rest of the API
@hint("callbacks/model_checkpoint.py", "Please specify a non-directory filepath for ModelCheckpoint", IOError)
class _:
    def trigger(tmp):
        (tmp / "ckpt.keras").mkdir()
        x, y = _data()
        _fit(_model(), x, y, callbacks=[keras.callbacks.ModelCheckpoint(str(tmp / "ckpt.keras"))])

    def follow(tmp):
        x, y = _data()
        _fit(_model(), x, y, callbacks=[keras.callbacks.ModelCheckpoint(str(tmp / "model.keras"))])
        assert (tmp / "model.keras").is_file()


@hint("callbacks/swap_ema_weights.py", "SwapEMAWeights must be used when `use_ema=True` is set on the optimizer",
      ValueError)
class _:
    def trigger(tmp):
        model = _model()
        model.compile(keras.optimizers.SGD(), "binary_crossentropy")
        x, y = _data()
        model.fit(x, y, epochs=1, verbose=0, validation_data=(x, y), callbacks=[keras.callbacks.SwapEMAWeights()])

    def follow(tmp):
        model = _model()
        model.compile(keras.optimizers.SGD(use_ema=True), "binary_crossentropy")
        x, y = _data()
        history = model.fit(x, y, epochs=1, verbose=0, validation_data=(x, y),
                            callbacks=[keras.callbacks.SwapEMAWeights()])
        assert "val_loss" in history.history


@hint("callbacks/tensorboard.py", "`pip install tensorboardX`", ImportError)
class _:
    def trigger(tmp):
        x, y = _data()
        with _not_installed("tensorboardX"):
            _fit(_model(), x, y, callbacks=[keras.callbacks.TensorBoard(str(tmp / "logs"))])

    def follow(tmp):
        pytest.importorskip("tensorboardX")
        x, y = _data()
        _fit(_model(), x, y, callbacks=[keras.callbacks.TensorBoard(str(tmp / "logs"))])
        assert any(name.startswith("events.") for _, _, files in os.walk(tmp / "logs") for name in files)


@hint("graph/function.py", "is empty; pass KerasTensors", ValueError)
class _:
    def trigger(tmp):
        keras.Function([], [])

    def follow(tmp):
        x = keras.Input((2,))
        assert keras.Function(x, keras.ops.exp(x))(np.zeros((1, 2), "float32")).tolist() == [[1.0, 1.0]]


@hint("graph/function.py", "was not created by `keras.Input`, a layer or an op", ValueError)
class _:
    def trigger(tmp):
        keras.Function(keras.Input((2,)), keras.KerasTensor((None, 2)))

    def follow(tmp):
        x = keras.Input((2,))
        assert keras.Function(x, x * 2.0)(np.ones((1, 2), "float32")).tolist() == [[2.0, 2.0]]


@hint("initializers/stft_initializer.py", "other scipy windows need scipy (`pip install scipy`)", ValueError)
class _:
    def trigger(tmp):
        with _not_installed("scipy"):
            keras.initializers.STFT("real", window="bohman")((4, 1, 3))

    def follow(tmp):
        pytest.importorskip("scipy")
        assert keras.initializers.STFT("real", window="bohman")((4, 1, 3)).shape == (4, 1, 3)


@hint("layers/activations/leaky_relu.py", "Argument `alpha` is deprecated. Use `negative_slope` instead.",
      UserWarning)
class _:
    def trigger(tmp):
        keras.layers.LeakyReLU(alpha=0.2)

    def follow(tmp):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            np.testing.assert_allclose(keras.layers.LeakyReLU(negative_slope=0.2)(np.array([-1.0])), [-0.2])


@hint("layers/core/wrapper.py", "Please ensure wrapped layer is a valid Keras layer", ValueError)
class _:
    def trigger(tmp):
        keras.layers.Wrapper(lambda x: x)

    def follow(tmp):
        assert keras.layers.Wrapper(keras.layers.Dense(2)).layer.units == 2


class _Pair(keras.layers.Layer):
    def __init__(self, pair, **kwargs):
        super().__init__(**kwargs)
        self.pair = pair


@hint("layers/layer.py", "implement `get_config()` returning the constructor's arguments", NotImplementedError)
class _:
    def trigger(tmp):
        _Pair(np.zeros(2)).get_config()

    def follow(tmp):
        class PairWithConfig(_Pair):
            def get_config(self):
                config = super().get_config()
                config.update({"pair": self.pair.tolist()})
                return config

        assert PairWithConfig(np.zeros(2)).get_config()["pair"] == [0.0, 0.0]


def _feature_space():
    return keras.utils.FeatureSpace({"color": "string_categorical", "size": "float"}, output_mode="concat")


_FEATURES = {"color": np.array(["red", "blue", "red"]), "size": np.array([1.0, 2.0, 3.0], "float32")}


@hint("layers/preprocessing/feature_space.py", "Drop the labels first, e.g. `ds.map(lambda x, y: x)`", ValueError)
class _:
    def trigger(tmp):
        _feature_space().adapt([(_FEATURES, np.array([0, 1, 0]))])

    def follow(tmp):
        space = _feature_space()
        space.adapt([x for x, _ in [(_FEATURES, np.array([0, 1, 0]))]])
        assert space(_FEATURES).shape[0] == 3


@hint("layers/preprocessing/feature_space.py", "can only be called on a dict of arrays/lists or an iterable of dicts",
      ValueError)
class _:
    def trigger(tmp):
        _feature_space().adapt(np.zeros((3, 2)))

    def follow(tmp):
        space = _feature_space()
        space.adapt(_FEATURES)
        assert space(_FEATURES).shape[0] == 3


@hint("layers/preprocessing/feature_space.py", "You need to call `.adapt(dataset)` on the FeatureSpace", ValueError)
class _:
    def trigger(tmp):
        _feature_space()(_FEATURES)

    def follow(tmp):
        space = _feature_space()
        space.adapt(_FEATURES)
        assert space(_FEATURES).shape[0] == 3


@hint("layers/preprocessing/feature_space.py", "Try using `output_mode='int'`", ValueError)
class _:
    def trigger(tmp):
        space = keras.utils.FeatureSpace({"size": keras.utils.FeatureSpace.feature(
            dtype="float32", preprocessor=keras.layers.Rescaling(2.0), output_mode="one_hot")})
        space.adapt({"size": np.array([1.0, 2.0], "float32")})

    def follow(tmp):
        space = keras.utils.FeatureSpace({"size": keras.utils.FeatureSpace.feature(
            dtype="float32", preprocessor=keras.layers.Rescaling(2.0), output_mode="int")})
        space.adapt({"size": np.array([1.0, 2.0], "float32")})
        np.testing.assert_allclose(np.asarray(space({"size": np.array([1.0, 2.0], "float32")})).ravel(), [2.0, 4.0])


@hint("optimizers/loss_scale_optimizer.py", "simply set `loss_scale_factor` directly on the `inner_optimizer`",
      ValueError)
class _:
    def trigger(tmp):
        keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(), dynamic=False)

    def follow(tmp):
        assert keras.optimizers.SGD(loss_scale_factor=128.0).loss_scale_factor == 128.0


@hint("optimizers/loss_scale_optimizer.py", "on the `inner_optimizer`", ValueError)
class _:
    def trigger(tmp):
        keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(), clipnorm=1.0)

    def follow(tmp):
        optimizer = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(clipnorm=1.0))
        assert optimizer.inner_optimizer.clipnorm == 1.0


def _multi_optimizer():
    return keras.optimizers.MultiOptimizer(keras.optimizers.OptimizerMap(
        keras.optimizers.SGD(0.1), {"dense.*": keras.optimizers.Adam(0.01)}))


@hint("optimizers/multi_optimizer.py", "Access the learning rate on the individual sub-optimizers instead",
      AttributeError)
class _:
    def trigger(tmp):
        _multi_optimizer().learning_rate

    def follow(tmp):
        assert sorted(float(o.learning_rate) for o in _multi_optimizer().optimizers) == pytest.approx([0.01, 0.1])


@hint("optimizers/multi_optimizer.py", "Set the learning rate on the individual sub-optimizers instead",
      AttributeError)
class _:
    def trigger(tmp):
        _multi_optimizer().learning_rate = 0.5

    def follow(tmp):
        optimizer = _multi_optimizer()
        for inner in optimizer.optimizers:
            inner.learning_rate = 0.5
        assert [float(o.learning_rate) for o in optimizer.optimizers] == [0.5, 0.5]


@hint("optimizers/multi_optimizer.py", "Please make sure to not use duplicated keys", ValueError)
class _:
    def trigger(tmp):
        mapping = keras.optimizers.OptimizerMap(keras.optimizers.SGD(), {"dense.*": keras.optimizers.Adam()})
        mapping["dense.*"] = keras.optimizers.SGD()

    def follow(tmp):
        mapping = keras.optimizers.OptimizerMap(keras.optimizers.SGD(), {"dense.*": keras.optimizers.Adam()})
        mapping["conv.*"] = keras.optimizers.SGD()
        assert sorted(mapping) == ["conv.*", "dense.*"]


def _dense_kernels():
    return [keras.Variable(np.ones(2, "float32"), name="dense_kernel")]


@hint("optimizers/multi_optimizer.py", "needs a built optimizer: call `optimizer.build(trainable_variables)` first",
      ValueError)
class _:
    def trigger(tmp):
        _multi_optimizer().set_weights([])

    def follow(tmp):
        optimizer = _multi_optimizer()
        optimizer.build(_dense_kernels())
        optimizer.set_weights([variable.numpy() for variable in optimizer.variables])


@hint("optimizers/multi_optimizer.py", "Call `optimizer.build(trainable_variables)` first.", ValueError)
class _:
    def trigger(tmp):
        _multi_optimizer().apply([np.ones(2, "float32")])

    def follow(tmp):
        optimizer, variables = _multi_optimizer(), _dense_kernels()
        optimizer.build(variables)
        optimizer.apply([np.ones(2, "float32")])
        np.testing.assert_allclose(variables[0].numpy(), [0.99, 0.99], rtol=1e-5)  # Adam's first step: lr


def _two_dense_weights(tmp):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2), keras.layers.Dense(1)])
    path = tmp / "two.weights.h5"
    model.save_weights(path)
    return keras.saving.KerasFileEditor(str(path))


@hint("saving/file_editor.py", "occurs more than once in the model; pass its full path instead", ValueError)
class _:
    def trigger(tmp):
        _two_dense_weights(tmp).rename_object("0", "kernel")  # every Dense has a weight "0"

    def follow(tmp):
        editor = _two_dense_weights(tmp)
        editor.rename_object("layers/dense/0", "kernel")
        assert sorted(editor.weights_dict["layers"]["dense"]) == ["1", "kernel"]


class _OnePass:
    """A re-iterable dataset of 2 batches (not a generator)."""

    def __iter__(self):
        x, y = _data(n=8)
        return iter([(x[:4], y[:4]), (x[4:], y[4:])])


class _OneShot:
    """An iterable (not an iterator) whose every pass reads the same exhausted batches: one pass only."""

    def __init__(self):
        self._batches = iter(_OnePass())

    def __iter__(self):
        return self._batches


@hint("trainers/batch_sources.py", "Repeat the dataset, or pass a `", ValueError)
class _:
    def trigger(tmp):
        _compiled().fit(_OneShot(), epochs=2, verbose=0)

    def follow(tmp):
        assert len(_compiled().fit(_OnePass(), epochs=2, verbose=0).history["loss"]) == 2


@hint("utils/dataset_utils.py", "Please provide a non-empty list/tuple of arrays", ValueError)
class _:
    def trigger(tmp):
        keras.utils.split_dataset([], left_size=0.5)

    def follow(tmp):
        left, right = keras.utils.split_dataset([np.arange(4), np.arange(4)], left_size=0.5)
        assert len(list(left)) == 2 and len(list(right)) == 2


@hint("utils/model_visualization.py", "You must install pydot (`pip install pydot`)", ImportError)
class _:
    def trigger(tmp):
        with _not_installed("pydot"):
            keras.utils.model_to_dot(_model())

    def follow(tmp):
        pytest.importorskip("pydot")
        assert "dense" in keras.utils.model_to_dot(_model()).to_string()



@hint("layers/stateless_call.py", "You can build it by calling it on some data", ValueError)
class _:
    def trigger(tmp):
        keras.layers.Dense(2).stateless_call([], [], np.ones((1, 3), "float32"))

    def follow(tmp):
        layer = keras.layers.Dense(2)
        layer(np.ones((1, 3), "float32"))
        out, _ = layer.stateless_call([w.numpy() for w in layer.trainable_variables], [], np.ones((1, 3), "float32"))
        assert np.shape(out) == (1, 2)


@hint("ops/stateless_scope.py", "pass `list(mapping.items())`", TypeError)
class _:
    def trigger(tmp):
        v = keras.Variable(np.zeros(2, "float32"))
        keras.StatelessScope({v: np.ones(2)})

    def follow(tmp):
        v = keras.Variable(np.zeros(2, "float32"))
        with keras.StatelessScope(list({v: np.ones(2)}.items())):
            assert v.numpy().tolist() == [1.0, 1.0]


@hint("optimizers/stateless_apply.py", "You can build it via `optimizer.build(trainable_variables)`", ValueError)
class _:
    def trigger(tmp):
        keras.optimizers.SGD(0.5).stateless_apply([], [np.ones(1)], [np.ones(1)])

    def follow(tmp):
        w = keras.Variable(np.ones(1, "float32"))
        optimizer = keras.optimizers.SGD(0.5)
        optimizer.build([w])
        (new,), _ = optimizer.stateless_apply([v.numpy() for v in optimizer.variables], [np.ones(1)], [np.ones(1)])
        assert new.tolist() == [0.5]


def _distillation_models():
    teacher = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5, name="hidden"), keras.layers.Dense(3)])
    student = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5, name="hidden"), keras.layers.Dense(3)])
    return teacher, student


@hint("distillation/distillation_loss.py", "or use LogitsDistillation instead", ValueError)
class _:
    def trigger(tmp):
        class Sub(keras.Model):
            def call(self, x):
                return x

        keras.distillation.FeatureDistillation(teacher_layer_name="hidden").validate_model_compatibility(
            Sub(), _distillation_models()[1])

    def follow(tmp):
        teacher, student = _distillation_models()
        keras.distillation.Distiller(teacher, student, keras.distillation.LogitsDistillation())
        keras.distillation.Distiller(*_distillation_models(), keras.distillation.FeatureDistillation(
            teacher_layer_name="hidden", student_layer_name="hidden"))


@hint("distillation/distiller.py", "pass a distillation loss (e.g. keras.distillation.LogitsDistillation())",
      ValueError)
class _:
    def trigger(tmp):
        keras.distillation.Distiller(*_distillation_models(), None)

    def follow(tmp):
        keras.distillation.Distiller(*_distillation_models(), keras.distillation.LogitsDistillation())


@hint("distillation/distiller.py", "e.g. loss='sparse_categorical_crossentropy'", ValueError)
class _:
    def trigger(tmp):
        keras.distillation.Distiller(*_distillation_models(), keras.distillation.LogitsDistillation()).compile("sgd")

    def follow(tmp):
        distiller = keras.distillation.Distiller(*_distillation_models(), keras.distillation.LogitsDistillation())
        distiller.compile("sgd", loss="sparse_categorical_crossentropy")
        distiller.fit(np.ones((4, 4), "float32"), np.zeros(4), verbose=0)



def _tracking_model(inner):
    class OnlyTrainStep(keras.Model):  # keras.io's GAN shape: sub-models and a train_step, no call
        def __init__(self):
            super().__init__()
            self.inner = inner

        def train_step(self, data):
            return {"mean": keras.ops.mean(self.inner(data))}

    model = OnlyTrainStep()
    model.compile(optimizer="sgd")
    return model


@hint("models/model.py", "give each sub-model an `Input`, or call it once on data", RuntimeError)
class _:
    def trigger(tmp):
        _tracking_model(keras.layers.Dense(2)).fit(np.ones((4, 3), "float32"), verbose=0)

    def follow(tmp):
        _tracking_model(keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])).fit(
            np.ones((4, 3), "float32"), verbose=0)
        dense = keras.layers.Dense(2)
        dense(np.ones((1, 3), "float32"))
        _tracking_model(dense).fit(np.ones((4, 3), "float32"), verbose=0)



@hint("models/model.py", "call it on a batch of data, fit it, or call `model.build(input_shape)`", ValueError)
class _:
    def trigger(tmp):
        keras.Sequential([keras.layers.Dense(1)]).save_weights(tmp / "unbuilt.weights.h5")

    def follow(tmp):
        model = keras.Sequential([keras.layers.Dense(1)])
        model.build((None, 3))
        model.save_weights(tmp / "built.weights.h5")


@hint("trainers/trainer.py", "set it back to True before training it", UserWarning)
class _:
    def _gan_discriminator():
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
        model.compile("sgd", "binary_crossentropy")
        model.trainable = False  # Keras 2's GAN recipe, after compile
        return model

    def trigger(tmp, make=_gan_discriminator):
        make().train_on_batch(np.ones((4, 2), "float32"), np.ones((4, 1), "float32"))

    def follow(tmp, make=_gan_discriminator):
        model = make()
        before = model.get_weights()
        model.trainable = True
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            model.train_on_batch(np.ones((4, 2), "float32"), np.ones((4, 1), "float32"))
        assert not np.allclose(before[0], model.get_weights()[0])


STATEMENTS = [
    ("layers/preprocessing/index_lookup.py", "cannot set an empty vocabulary"),
    ("losses/registry.py", "Cannot build loss"),
    ("ops/gradient_utils.py", "to a numeric array."),
    ("ops/numpy.py", "Cannot reshape an array of shape"),
    ("ops/numpy.py", "multiply"),  # only the op's name: the message is `broadcast_error`'s, audited above
    ("saving/functional_config.py", "Invalid call record in a functional config"),
    ("saving/saving_api.py", "the file is malformed or describes something nanokeras cannot build"),
    ("saving/saving_lib.py", "predictions that use them will be NaN/inf"),
    ("saving/serialization_lib.py", "in the build config of"),
    ("utils/image_utils.py", "does not support RGBA images, converting to RGB"),  # what it does, as Keras 2 says
]

ADVICE = re.compile(r"\b(did you |use |pass |call |set |instead|e\.g\.|try |please|reshape|convert|add |build |"
                    r"register|remove|wrap|create|install|put |check|clean|multiply|rewrite)", re.I)


def _message_text(node):
    """The literal text of a message, `{}` where a value is formatted in."""
    inner, parts = set(), []
    for sub in ast.walk(node):
        if isinstance(sub, ast.JoinedStr):
            inner.update(id(v) for v in ast.walk(sub) if v is not sub)
    for sub in ast.walk(node):
        if id(sub) in inner:
            continue
        if isinstance(sub, ast.JoinedStr):
            parts.append("".join(v.value if isinstance(v, ast.Constant) else "{}" for v in sub.values))
        elif isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            parts.append(sub.value)
    return "".join(parts)


def _module_messages(tree):
    """`{NAME: text}` for module-level names bound to a string, as in `warnings.warn(NOTICE)`."""
    return {node.targets[0].id: _message_text(node.value) for node in tree.body
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
            and (isinstance(node.value, ast.JoinedStr)
                 or isinstance(node.value, ast.Constant) and isinstance(node.value.value, str))}


def _sources():
    for path in sorted((ROOT / "nanokeras").rglob("*.py")):
        yield path.relative_to(ROOT / "nanokeras").as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def _messages_with_advice():
    found = []
    for where, tree in _sources():
        named = _module_messages(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and node.exc is not None:
                message = node.exc
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "warn":
                message = node
            else:
                continue
            text = _message_text(message) + "".join(
                named[sub.id] for sub in ast.walk(message) if isinstance(sub, ast.Name) and sub.id in named)
            if ADVICE.search(text):
                found.append((where, node.lineno, text))
    return found


def test_every_message_with_advice_is_audited():
    audited = [(h.where, h.advice) for h in HINTS] + STATEMENTS
    missing = [f"nanokeras/{where}:{line}: {text}" for where, line, text in _messages_with_advice()
               if not any(w == where and advice in text for w, advice in audited)]
    assert not missing, "messages with advice no test follows:\n" + "\n".join(missing)
    assert len(HINTS) >= 100


def test_every_audited_message_is_where_its_entry_says():
    """An entry whose message moved or changed would otherwise keep passing while auditing nothing there."""
    texts = {}
    for where, tree in _sources():  # any call or raise: a message may be built by a helper (`broadcast_error`)
        texts[where] = [_message_text(node) for node in ast.walk(tree) if isinstance(node, (ast.Call, ast.Raise))]
        texts[where] += _module_messages(tree).values()
    stale = [f"nanokeras/{where}: {advice!r}" for where, advice in [(h.where, h.advice) for h in HINTS] + STATEMENTS
             if not any(advice in text for text in texts.get(where, []))]
    assert not stale, "entries whose message is not in their file:\n" + "\n".join(stale)


@pytest.mark.parametrize("entry", [h.param() for h in HINTS])
def test_the_advice_is_given_and_following_it_works(entry, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    if isinstance(entry.error, type) and issubclass(entry.error, Warning):
        with pytest.warns(entry.error) as caught:
            entry.trigger(tmp_path)
        messages = [str(w.message) for w in caught]
    else:
        with pytest.raises(entry.error) as caught:
            entry.trigger(tmp_path)
        messages = [str(caught.value)]
    assert any(entry.advice in message for message in messages), messages
    entry.follow(tmp_path)


# ------------------------------------- "did you mean": identifiers and shapes
def _misspell(name):
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    i = letters[len(letters) // 2]
    return name[:i] + name[i] + name[i:]


def _resolves(get, name):
    try:
        get(name)
        return True
    except (TypeError, ValueError):  # e.g. "LossFunctionWrapper": a name `get` cannot build alone
        return False


IDENTIFIERS = [
    pytest.param(namespace, name, id=f"{namespace}-{name}")
    for namespace, registry in [
        ("activations", keras.activations.ALL_OBJECTS_DICT), ("initializers", keras.initializers.ALL_OBJECTS_DICT),
        ("losses", keras.losses.registry.ALL_OBJECTS), ("metrics", keras.metrics.ALL_OBJECTS_DICT),
        ("optimizers", keras.optimizers.ALL_OBJECTS_DICT), ("regularizers", keras.regularizers.ALL_OBJECTS_DICT),
        ("constraints", keras.constraints.ALL_OBJECTS_DICT),
    ]
    for name in registry
    if isinstance(name, str) and _resolves(getattr(keras, namespace).get, name)
]


@pytest.mark.parametrize("namespace, name", IDENTIFIERS)
def test_a_misspelt_identifier_suggests_a_name_that_works(namespace, name):
    get = getattr(keras, namespace).get
    with pytest.raises(ValueError) as caught:
        get(_misspell(name))
    suggestion = re.search(r"Did you mean '([^']+)'", str(caught.value)).group(1)
    if len(name) > 3:  # "ll2" is as close to "l1l2" as to "l2"
        assert suggestion.lower() == name.lower()
    get(suggestion)


RESHAPES = [  # (model's sample shape, array given, the advice)
    ((2,), np.array([1.0, 0.0]), "x.reshape(1, -1)"),
    ((2,), np.array([1.0, 0.0]), "x[None]"),
    ((2,), np.arange(6.0), "x.reshape(-1, 2)"),
    ((4, 4), np.ones((4, 4)), "x.reshape(1, 4, 4)"),
    ((4, 4), np.ones(32), "x.reshape(-1, 4, 4)"),
]


@pytest.mark.parametrize("sample_shape, x, advice", RESHAPES, ids=[r[2] for r in RESHAPES])
def test_the_reshape_advice_for_predict_works(sample_shape, x, advice):
    model = keras.Sequential([keras.Input(sample_shape), keras.layers.Flatten(), keras.layers.Dense(1)])
    with pytest.raises(ValueError) as caught:
        model.predict(x, verbose=0)
    assert f"`{advice}`" in str(caught.value)
    fixed = eval(advice, {"x": x})  # the advice, as written
    assert model.predict(fixed, verbose=0).shape == (len(fixed), 1)


def test_wrong_feature_count_and_1d_data_are_explained():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="The model takes 2 features per sample; the data has 3"):
        model.predict(np.ones((4, 3)), verbose=0)
    with pytest.raises(ValueError, match="Pass a 2-D array: one row per sample, 2 features per row"):
        model.predict(np.ones(3), verbose=0)


@hint("metrics/reduction_metrics.py", "Pass one weight per masked step", ValueError)
class _:
    def trigger(tmp):
        values = keras.layers.Masking(0.0)(np.ones((2, 3, 1), "float32"))
        keras.metrics.Mean().update_state(values, sample_weight=np.ones((3, 2), "float32"))

    def follow(tmp):
        values = keras.layers.Masking(0.0)(np.ones((2, 3, 1), "float32"))
        m = keras.metrics.Mean()
        m.update_state(values, sample_weight=np.ones((2, 3), "float32"))
        assert float(m.result()) == 1.0
