"""How `compile`'s loss and metrics structures map onto a model's outputs (Keras 3's rules):
per-output `<name>_loss` entries only when more than one output has a loss, a flat metrics list
with one entry per output, and the metrics of a one-output model."""

import warnings

import numpy as np
import pytest

import nanokeras as keras


def _data(n=10, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((n, 4)).astype("float32")
    return x, rng.integers(0, 3, n), rng.random((n, 1)).astype("float32")


def _two_heads(names=("cls", "reg")):
    inputs = keras.Input((4,))
    hidden = keras.layers.Dense(5, activation="relu", name="hidden")(inputs)
    first = keras.layers.Dense(3, activation="softmax", name=names[0])(hidden)
    second = keras.layers.Dense(1, name=names[1])(hidden)
    return keras.Model(inputs, [first, second])


LOSS_ON_ONE_OUTPUT = [
    (["sparse_categorical_crossentropy", None], [["accuracy"], None]),
    ({"cls": "sparse_categorical_crossentropy", "reg": None}, {"cls": ["accuracy"]}),
]


@pytest.mark.parametrize("loss, metrics", LOSS_ON_ONE_OUTPUT)
@pytest.mark.parametrize("run_eagerly", [False, True])
def test_one_output_with_a_loss_logs_no_per_output_loss(loss, metrics, run_eagerly):
    x, y, y2 = _data()
    model = _two_heads()
    model.compile(keras.optimizers.SGD(0.1), loss, metrics=metrics, run_eagerly=run_eagerly)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "Gradients do not exist" for the head without a loss
        history = model.fit(x, [y, y2], batch_size=5, epochs=2, verbose=0, shuffle=False)
    assert sorted(history.history) == ["cls_accuracy", "loss"]
    logs = model.evaluate(x, [y, y2], verbose=0, return_dict=True)
    assert sorted(logs) == ["cls_accuracy", "loss"]
    as_list = model.evaluate(x, [y, y2], verbose=0)
    assert as_list == [logs["loss"], logs["cls_accuracy"]]
    assert model.metrics_names == ["loss", "cls_accuracy"]
    assert len(model.metrics_names) == len(as_list)


def test_the_head_without_a_loss_gets_zero_gradients_like_keras_on_jax():
    # Keras on JAX differentiates with respect to every trainable variable: the head without a
    # loss gets zeros, so AdamW still decays its weights (a skipped variable would not change).
    x, y, y2 = _data()
    model = _two_heads()
    before = [w.copy() for w in model.get_layer("reg").get_weights()]
    model.compile(keras.optimizers.AdamW(0.1, weight_decay=0.5), ["sparse_categorical_crossentropy", None])
    model.fit(x, [y, y2], batch_size=5, epochs=1, verbose=0, shuffle=False)
    kernel_after = model.get_layer("reg").get_weights()[0]
    # Two steps of decoupled decay, lr 0.1 * wd 0.5 each; the Adam step itself is zero.
    np.testing.assert_allclose(kernel_after, before[0] * (1 - 0.05) ** 2, rtol=1e-6)
    # The loss itself is unchanged by the head without a loss.
    cls_only = keras.Model(model.inputs, model.outputs[0])
    expected = keras.losses.sparse_categorical_crossentropy(y, cls_only.predict(x, verbose=0)).mean()
    assert model.evaluate(x, [y, y2], verbose=0) == pytest.approx(float(expected), rel=1e-6)


class _WithUnusedLayer(keras.Model):
    def __init__(self):
        super().__init__()
        self.cls = keras.layers.Dense(3, activation="softmax")
        self.unused = keras.layers.Dense(2)

    def build(self, input_shape):
        self.cls.build(input_shape)
        self.unused.build(input_shape)

    def call(self, x):
        return self.cls(x)


def test_a_variable_no_output_uses_still_warns():
    x, y, _ = _data()
    model = _WithUnusedLayer()
    model.compile("sgd", "sparse_categorical_crossentropy")
    with pytest.warns(UserWarning, match="Gradients do not exist"):
        model.fit(x, y, batch_size=5, epochs=1, verbose=0)


def test_two_outputs_with_losses_still_log_each_loss():
    x, y, y2 = _data()
    model = _two_heads()
    model.compile("sgd", ["sparse_categorical_crossentropy", "mse"])
    history = model.fit(x, [y, y2], batch_size=5, epochs=1, verbose=0)
    assert sorted(history.history) == ["cls_loss", "loss", "reg_loss"]
    assert model.metrics_names == ["loss", "cls_loss", "reg_loss"]


@pytest.mark.parametrize("metrics, expected", [
    (["accuracy", "mse"], ["a_accuracy", "a_loss", "b_loss", "b_mse", "loss"]),
    ([["accuracy"], "mse"], ["a_accuracy", "a_loss", "b_loss", "b_mse", "loss"]),
    (("accuracy", ["mse", "mae"]), ["a_accuracy", "a_loss", "b_loss", "b_mae", "b_mse", "loss"]),
    ([None, "mae"], ["a_loss", "b_loss", "b_mae", "loss"]),
])
def test_a_flat_metrics_list_with_one_entry_per_output_goes_to_the_outputs_in_order(metrics, expected):
    x, y, _ = _data()
    yb = (x[:, :1] > 0.5).astype("float32")
    model = _two_heads(("a", "b"))
    model.compile(keras.optimizers.SGD(0.1), ["sparse_categorical_crossentropy", "mse"], metrics=metrics)
    history = model.fit(x, [y, yb], batch_size=5, epochs=1, verbose=0)
    assert sorted(history.history) == expected


def test_weighted_metrics_follow_the_same_rule():
    x, y, _ = _data()
    yb = (x[:, :1] > 0.5).astype("float32")
    model = _two_heads(("a", "b"))
    model.compile("sgd", ["sparse_categorical_crossentropy", "mse"], weighted_metrics=["accuracy", "mae"])
    history = model.fit(x, [y, yb], batch_size=5, epochs=1, verbose=0)
    assert sorted(history.history) == ["a_accuracy", "a_loss", "b_loss", "b_mae", "loss"]


@pytest.mark.parametrize("metrics, count", [(["accuracy"], "1 entry"), (["accuracy", "mse", "mae"], "3 entries")])
def test_a_flat_metrics_list_of_another_length_is_refused(metrics, count):
    x, y, _ = _data()
    model = _two_heads(("a", "b"))
    model.compile("sgd", ["sparse_categorical_crossentropy", "mse"], metrics=metrics)
    with pytest.raises(ValueError, match=rf"`metrics` for a model with 2 outputs \['a', 'b'\].*got {count}"):
        model.fit(x, [y, y[:, None].astype("float32")], verbose=0)


@pytest.mark.parametrize("metrics", [["mae"], [["mae"]], {"d": "mae"}])
def test_a_one_output_list_model_names_its_metrics_without_a_prefix(metrics):
    x, _, y2 = _data()
    inputs = keras.Input((4,))
    model = keras.Model(inputs, [keras.layers.Dense(1, name="d")(inputs)])
    model.compile("sgd", "mse", metrics=metrics)
    history = model.fit(x, y2, verbose=0)
    assert sorted(history.history) == ["loss", "mae"]
