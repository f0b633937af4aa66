"""`.keras` files with recurrent and attention layers move both ways with real Keras 3; sequence utilities match."""

import numpy as np
import pytest

import nanokeras as nk

RNG = np.random.default_rng(31)
IDS = RNG.integers(1, 20, size=(4, 7)).astype("int32")
IDS[0, :3] = 0
IDS[2, -2:] = 0


def _text_classifier(lib):
    inputs = lib.Input((7,), dtype="int32")
    x = lib.layers.Embedding(20, 6, mask_zero=True)(inputs)
    x = lib.layers.Bidirectional(lib.layers.LSTM(4, return_sequences=True))(x)
    x = lib.layers.GRU(3, reset_after=False, return_sequences=True)(x)
    attended = lib.layers.MultiHeadAttention(2, 3)(x, x, use_causal_mask=True)
    x = lib.layers.Add()([x, attended])
    x = lib.layers.SimpleRNN(3)(x)
    return lib.Model(inputs, lib.layers.Dense(1, activation="sigmoid")(x))


def _sequence_tagger(lib):
    return lib.Sequential([
        lib.Input((7,), dtype="int32"), lib.layers.Embedding(20, 5, mask_zero=True),
        lib.layers.RNN([lib.layers.LSTMCell(4), lib.layers.GRUCell(3)], return_sequences=True),
        lib.layers.TimeDistributed(lib.layers.Dense(2)),
    ])


def _attention_model(lib):
    query, value = lib.Input((7,), dtype="int32"), lib.Input((7,), dtype="int32")
    embed = lib.layers.Embedding(20, 4, mask_zero=True)
    q, v = embed(query), embed(value)
    x = lib.layers.Concatenate()([lib.layers.Attention(use_scale=True)([q, v]),
                                  lib.layers.AdditiveAttention()([q, v])])
    return lib.Model([query, value], lib.layers.Masking()(x))


@pytest.mark.parametrize("build", [_text_classifier, _sequence_tagger, _attention_model],
                         ids=["classifier", "tagger", "attention"])
def test_keras_files_load_in_both_directions_with_equal_predictions(keras, tmp_path, build):
    inputs = [IDS, IDS[::-1]] if build is _attention_model else IDS
    keras.utils.set_random_seed(0)
    theirs = build(keras)
    theirs.save(tmp_path / "keras_made.keras")
    ours = nk.models.load_model(tmp_path / "keras_made.keras")
    expected = np.asarray(theirs.predict(inputs, verbose=0))
    np.testing.assert_allclose(ours.predict(inputs, verbose=0), expected, rtol=1e-5, atol=1e-5)
    nk.utils.set_random_seed(1)
    made_here = build(nk)
    made_here.save(tmp_path / "nanokeras_made.keras")
    loaded = keras.models.load_model(tmp_path / "nanokeras_made.keras")
    np.testing.assert_allclose(np.asarray(loaded.predict(inputs, verbose=0)), made_here.predict(inputs, verbose=0),
                               rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("kwargs", [{}, {"maxlen": 3}, {"padding": "post", "truncating": "post", "maxlen": 2},
                                    {"value": -1.5, "dtype": "float32"}])
def test_pad_sequences(keras, kwargs):
    sequences = [[1, 2, 3, 4], [5], [], [6, 7]]
    expected = keras.utils.pad_sequences(sequences, **kwargs)
    got = nk.utils.pad_sequences(sequences, **kwargs)
    np.testing.assert_array_equal(got, expected)
    assert got.dtype == expected.dtype


@pytest.mark.parametrize("kwargs", [
    {"sequence_length": 5},
    {"sequence_length": 4, "sequence_stride": 3, "sampling_rate": 2, "batch_size": 7},
    {"sequence_length": 3, "start_index": 5, "end_index": 40, "batch_size": None},
])
def test_timeseries_windows(keras, kwargs):
    try:
        import tensorflow  # noqa: F401
    except ImportError as error:
        pytest.skip(f"PARITY SKIPPED: Keras's timeseries_dataset_from_array needs TensorFlow ({error}).")
    data, targets = np.arange(100).reshape(50, 2).astype("float32"), np.arange(50)
    expected = [(np.asarray(x), np.asarray(y)) for x, y in keras.utils.timeseries_dataset_from_array(
        data, targets, **kwargs)]
    got = list(nk.utils.timeseries_dataset_from_array(data, targets, **kwargs))
    assert len(got) == len(expected)
    for (x, y), (ex, ey) in zip(got, expected):
        np.testing.assert_array_equal(x, ex)
        np.testing.assert_array_equal(y, ey)
