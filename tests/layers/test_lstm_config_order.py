"""LSTM's config lists its keys in Keras's order, so a printed config reads the same."""

import nanokeras as keras


def test_unit_forget_bias_comes_after_the_initializers():
    keys = list(keras.layers.LSTM(3).get_config())
    assert keys.index("unit_forget_bias") == keys.index("bias_initializer") + 1
    assert keys.index("kernel_regularizer") == keys.index("unit_forget_bias") + 1


def test_reordered_config_round_trips():
    layer = keras.layers.LSTM(3, unit_forget_bias=False)
    again = keras.layers.LSTM.from_config(layer.get_config())
    assert again.get_config() == layer.get_config()
    assert again.cell.unit_forget_bias is False
