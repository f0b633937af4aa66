"""Several outputs: a loss, weight and metrics per output, history keys named as Keras names them."""

import numpy as np
import pytest

import nanokeras as keras


class TwoHeads(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(4, activation="relu", kernel_initializer="ones")
        self.cls = keras.layers.Dense(2, activation="softmax", kernel_initializer="ones")
        self.reg = keras.layers.Dense(1, kernel_initializer="ones")

    def call(self, x, training=False):
        h = self.hidden(x)
        return {"cls": self.cls(h), "reg": self.reg(h)}


def _data(n=12):
    rng = np.random.default_rng(0)
    x = rng.random((n, 3)).astype("float32")
    return x, {"cls": (x[:, 0] > 0.5).astype("int32"), "reg": x.sum(axis=1, keepdims=True)}


def test_dict_losses_weights_and_metrics_name_history_like_keras():
    x, y = _data()
    model = TwoHeads()
    model.compile("sgd", loss={"cls": "sparse_categorical_crossentropy", "reg": "mse"},
                  loss_weights={"cls": 1.0, "reg": 0.5}, metrics={"cls": ["accuracy"], "reg": ["mae"]})
    history = model.fit(x, y, epochs=2, batch_size=4, verbose=0, validation_split=0.25)
    assert sorted(history.history) == ["cls_accuracy", "cls_loss", "loss", "reg_loss", "reg_mae",
                                       "val_cls_accuracy", "val_cls_loss", "val_loss", "val_reg_loss", "val_reg_mae"]
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    np.testing.assert_allclose(logs["loss"], logs["cls_loss"] + 0.5 * logs["reg_loss"], rtol=1e-5)
    values = model.evaluate(x, y, verbose=0)
    assert values[0] == pytest.approx(logs["loss"]) and len(values) == 5


def test_total_loss_is_weighted_sum_computed_by_hand():
    x, y = _data(4)
    model = TwoHeads()
    model.compile("sgd", loss={"cls": "sparse_categorical_crossentropy", "reg": "mse"}, loss_weights={"cls": 2.0, "reg": 0.5})
    out = model.predict(x, verbose=0)
    p = out["cls"][np.arange(4), y["cls"]]
    expected = 2.0 * np.mean(-np.log(p)) + 0.5 * np.mean((out["reg"] - y["reg"]) ** 2)
    assert model.evaluate(x, y, verbose=0)[0] == pytest.approx(expected, rel=1e-5)


def test_list_form_losses_in_output_order():
    x, y = _data()
    model = TwoHeads()
    model.compile("sgd", loss=["sparse_categorical_crossentropy", "mse"], metrics=[["accuracy"], ["mae"]])
    history = model.fit(x, [y["cls"], y["reg"]], epochs=1, verbose=0)
    assert sorted(history.history) == ["cls_accuracy", "cls_loss", "loss", "reg_loss", "reg_mae"]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(loss={"cls": "mse", "regg": "mse"}), "regg"),
        (dict(loss=["mse"]), "2 outputs"),
        (dict(loss="mse", metrics=["accuracy"]), "dict keyed by output name"),
    ],
)
def test_structure_mismatches_are_explained(kwargs, match):
    x, y = _data()
    model = TwoHeads()
    model.compile("sgd", **kwargs)
    with pytest.raises(ValueError, match=match):
        model.fit(x, y, verbose=0)


def test_misspelled_loss_inside_a_dict_fails_at_compile():
    model = TwoHeads()
    with pytest.raises(ValueError, match="mean_squared_error|mse"):
        model.compile("sgd", loss={"cls": "sparse_categorical_crossentropy", "reg": "mean_squared_eror"})


def test_one_loss_is_used_for_every_output_as_keras_broadcasts_it():
    x, y = _data()
    y = {"cls": np.eye(2, dtype="float32")[y["cls"]], "reg": y["reg"]}
    model = TwoHeads()
    model.compile("sgd", loss="mse")
    history = model.fit(x, y, epochs=1, verbose=0)
    assert sorted(history.history) == ["cls_loss", "loss", "reg_loss"]
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    out = model.predict(x, verbose=0)
    cls_loss = np.mean((out["cls"] - y["cls"]) ** 2)
    reg_loss = np.mean((out["reg"] - y["reg"]) ** 2)
    np.testing.assert_allclose([logs["cls_loss"], logs["reg_loss"], logs["loss"]],
                               [cls_loss, reg_loss, cls_loss + reg_loss], rtol=1e-5)


def test_output_names_are_the_output_layers_names_in_outputs_order():
    inputs = keras.Input((3,))
    zeta = keras.layers.Dense(1, name="zeta")(inputs)
    alpha = keras.layers.Dense(2, name="alpha")(inputs)
    model = keras.Model(inputs, {"z": zeta, "a": alpha})
    assert model.output_names == ["alpha", "zeta"]  # outputs flattened by sorted key, as Keras
    assert [t.shape for t in model.outputs] == [(None, 2), (None, 1)]
    model.compile("sgd", loss={"z": "mse", "a": "mae"})
    history = model.fit(np.ones((4, 3)), {"z": np.ones((4, 1)), "a": np.ones((4, 2))}, verbose=0)
    assert sorted(history.history) == ["a_loss", "loss", "z_loss"]  # dict losses keep the dict's keys
