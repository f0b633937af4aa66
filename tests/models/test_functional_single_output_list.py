"""A functional model whose outputs are a one-element list or tuple (`Model(i, [state])`, as the
seq2seq inference encoders with one GRU state) gives the array itself when run, as Keras does:
`decoder.predict([tokens, encoder.predict(x)])` then gets an array, not a list in a list."""

import numpy as np
import pytest

import nanokeras as keras


def _model(wrap):
    inputs = keras.Input((3,))
    return keras.Model(inputs, wrap(keras.layers.Dense(2)(inputs)))


@pytest.mark.parametrize("wrap", [lambda t: [t], lambda t: (t,)])
def test_one_element_output_list_runs_to_an_array(wrap):
    model = _model(wrap)
    x = np.ones((4, 3), "float32")
    for result in (model(x), model.predict(x, verbose=0), model.predict_on_batch(x)):
        assert isinstance(result, np.ndarray)
        assert result.shape == (4, 2)


def test_symbolic_call_and_outputs_keep_the_list():
    model = _model(lambda t: [t])
    assert isinstance(model.outputs, list) and len(model.outputs) == 1
    assert isinstance(model(keras.Input((3,))), list)


def test_one_state_encoder_feeds_a_decoder_as_in_keras():
    tokens = keras.Input((None, 4))
    _, state = keras.layers.GRU(5, return_state=True)(tokens)
    encoder = keras.Model(tokens, [state])
    state_in = keras.Input((5,))
    sequence, last = keras.layers.GRU(5, return_sequences=True, return_state=True)(tokens, initial_state=state_in)
    decoder = keras.Model([tokens, state_in], [sequence, last])
    x = np.ones((2, 3, 4), "float32")
    states = encoder.predict(x, verbose=0)
    assert states.shape == (2, 5)
    out, last = decoder.predict([x[:, :1]] + [states], verbose=0)
    assert out.shape == (2, 1, 5) and last.shape == (2, 5)


def test_one_element_list_model_still_trains_on_list_labels():
    model = _model(lambda t: [t])
    model.compile("sgd", ["mse"], metrics=[["mae"]])
    x, y = np.ones((4, 3), "float32"), np.zeros((4, 2), "float32")
    history = model.fit(x, [y], verbose=0)
    assert sorted(history.history) == ["loss", "mae"]
