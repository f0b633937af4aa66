"""`keras.Variable`s kept as layer attributes: the user's are weights, nanokeras's own are not."""

import numpy as np

import nanokeras as keras


class Shifted(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.shift = keras.Variable(np.zeros((2,)), name="shift", dtype="float32")
        self.pair = [keras.Variable(1.0, name="a"), keras.Variable(2.0, name="b", trainable=False)]

    def call(self, x):
        return x * self.pair[0] + self.shift + self.pair[1]


def test_user_variables_are_weights_trainable_first():
    layer = Shifted()
    assert [v.name for v in layer.weights] == ["shift", "a", "b"]
    assert [v.name for v in layer.trainable_weights] == ["shift", "a"]
    assert [v.name for v in layer.non_trainable_weights] == ["b"]


def test_fit_trains_them_and_puts_no_weight_on_the_model(tmp_path):
    model = keras.Sequential([keras.Input((2,)), Shifted(name="shifted")])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    checkpoint = keras.callbacks.ModelCheckpoint(tmp_path / "best.keras")
    model.fit(np.ones((8, 2), "float32"), np.full((8, 2), 5.0, "float32"), epochs=2, verbose=0,
              callbacks=[checkpoint])
    assert model._own_weights == []  # the trainer's lists of weights are bookkeeping, not weights
    assert np.all(model.layers[0].shift.numpy() > 0)
    loaded = keras.saving.load_model(tmp_path / "best.keras", custom_objects={"Shifted": Shifted})
    for a, b in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_a_stateful_rnn_keeps_its_states_out_of_its_weights():
    layer = keras.layers.LSTM(2, stateful=True)
    layer(np.ones((3, 4, 5), "float32"))
    assert layer.states is not None
    assert [v.name for v in layer.weights] == ["kernel", "recurrent_kernel", "bias"]


def test_add_weight_refuses_an_int_shape_with_a_value_error_as_keras():
    import pytest

    layer = keras.layers.Layer(name="scaler")
    with pytest.raises(ValueError, match="shape"):
        layer.add_weight(shape=4, initializer="ones")
    assert layer.add_weight(shape=[4], initializer="ones").shape == (4,)
