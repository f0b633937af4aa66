"""Attributes a recurrent layer reads through from its cell, against real Keras 3."""

import nanokeras as nk

SETTINGS = [f"{weight}_{kind}" for weight in ("kernel", "recurrent", "bias")
            for kind in ("initializer", "regularizer", "constraint")]


def _settings(lib):
    layers = [lib.layers.LSTM(2, kernel_regularizer="l2", bias_constraint="non_neg",
                              recurrent_initializer="zeros"),
              lib.layers.GRU(2, bias_regularizer=lib.regularizers.L1(0.5)),
              lib.layers.SimpleRNN(2, kernel_constraint=lib.constraints.MaxNorm(3)),
              lib.layers.ConvLSTM2D(2, 3, recurrent_regularizer="l1")]
    return [[type(layer).__name__] + [type(getattr(layer, name)).__name__ for name in SETTINGS]
            for layer in layers]


def test_recurrent_layers_expose_their_cells_weight_settings_as_keras(keras):
    assert _settings(nk) == _settings(keras)
