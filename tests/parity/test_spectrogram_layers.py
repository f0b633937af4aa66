"""STFTSpectrogram and MelSpectrogram against real Keras: outputs of every mode and layout, gradients
of the input, configs, and `.keras` files both ways.

Tolerances: both compute in float32 with different summation orders (Keras/JAX's convolution and
FFT, numpy's), so values agree to ~1e-5 relative; where a value is a difference of large terms
(real/imaginary parts, the phase near zero magnitude, decibels near 0 dB) the error is relative to
the output's scale, hence `atol = 1e-5 * max|output|` (1e-4 dB for decibels, whose scale is tens of dB).
"""

import json

import numpy as np
import pytest

import nanokeras as nk

RNG = np.random.default_rng(3)
SIGNAL = RNG.normal(size=(2, 96, 3)).astype("float32")
AUDIO = RNG.normal(size=(2, 700)).astype("float32")

STFT_CASES = [
    dict(frame_length=16, fft_length=16),
    dict(frame_length=12, frame_step=5, fft_length=32, padding="same", window="hamming", periodic=True,
         scaling="spectrum", expand_dims=True),
    dict(frame_length=16, frame_step=16, data_format="channels_first", window=None, scaling=None),
    dict(frame_length=20, frame_step=7, data_format="channels_first", expand_dims=True, padding="same"),
]
MEL_CASES = [
    dict(fft_length=128, sequence_stride=32, num_mel_bins=16, sampling_rate=8000),
    dict(fft_length=128, sequence_length=100, sequence_stride=20, num_mel_bins=24, sampling_rate=22050,
         window="hamming", power_to_db=False, mag_exp=1.0, min_freq=0.0, max_freq=9000.0),
    dict(fft_length=64, sequence_stride=16, num_mel_bins=8, sampling_rate=1000, top_db=20.0, ref_power=3.0,
         min_power=1e-6),
    dict(fft_length=64, sequence_stride=64, num_mel_bins=10, window=None),
]


def _signal(kwargs):
    return SIGNAL.transpose(0, 2, 1).copy() if kwargs.get("data_format") == "channels_first" else SIGNAL


def _close(ours, theirs, mode=None):
    ours, theirs = np.asarray(ours, "float64"), np.asarray(theirs, "float64")
    assert ours.shape == theirs.shape
    if mode == "angle":  # the phase is compared on the circle, where the magnitude is not ~0
        np.testing.assert_allclose(np.angle(np.exp(1j * (ours - theirs))), 0, atol=1e-3)
        return
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5 * np.abs(theirs).max())


@pytest.mark.parametrize("mode", ["log", "magnitude", "psd", "real", "imag", "angle", "stft"])
@pytest.mark.parametrize("case", range(len(STFT_CASES)))
def test_stft_outputs_are_keras(keras, mode, case):
    kwargs = dict(STFT_CASES[case], mode=mode)
    x = _signal(kwargs)
    theirs, ours = keras.layers.STFTSpectrogram(**kwargs), nk.layers.STFTSpectrogram(**kwargs)
    _close(ours(x), theirs(x), mode)
    assert tuple(ours.compute_output_shape(x.shape)) == tuple(theirs.compute_output_shape(x.shape))


@pytest.mark.parametrize("case", range(len(MEL_CASES)))
def test_mel_outputs_are_keras(keras, case):
    kwargs = MEL_CASES[case]
    theirs, ours = keras.layers.MelSpectrogram(**kwargs), nk.layers.MelSpectrogram(**kwargs)
    for x in (AUDIO, AUDIO[0], AUDIO[:, :301]):
        expected = np.asarray(theirs(x))
        scale = 1e-4 if kwargs.get("power_to_db", True) else 1e-5 * np.abs(expected).max()
        np.testing.assert_allclose(ours(x), expected, rtol=1e-5, atol=scale)
        assert tuple(ours.compute_output_shape(x.shape)) == tuple(theirs.compute_output_shape(x.shape))
    matrix = dict(num_mel_bins=12, num_spectrogram_bins=33, sampling_rate=4000, lower_edge_hertz=30.0,
                  upper_edge_hertz=1800.0)
    np.testing.assert_allclose(ours.linear_to_mel_weight_matrix(**matrix),
                               np.asarray(theirs.linear_to_mel_weight_matrix(**matrix)), rtol=1e-5, atol=1e-6)


def _keras_input_gradient(keras, layer, x, weights):
    import jax

    return np.asarray(jax.grad(lambda v: (layer(v) * weights).sum())(keras.ops.convert_to_tensor(x)))


def _our_input_gradient(layer, x, weights):
    variable = nk.Variable(x)
    with nk.GradientTape() as tape:
        loss = nk.ops.sum(nk.ops.multiply(layer(variable), weights))
    return np.asarray(tape.gradient(loss, variable))


@pytest.mark.parametrize("mode", ["log", "psd", "angle"])
def test_stft_input_gradients_are_keras(keras, mode):
    kwargs = dict(STFT_CASES[1], mode=mode)
    theirs, ours = keras.layers.STFTSpectrogram(**kwargs), nk.layers.STFTSpectrogram(**kwargs)
    weights = RNG.normal(size=ours(SIGNAL).shape).astype("float32")
    theirs(SIGNAL)
    expected = _keras_input_gradient(keras, theirs, SIGNAL, weights)
    np.testing.assert_allclose(_our_input_gradient(ours, SIGNAL, weights), expected, rtol=1e-4,
                               atol=1e-4 * np.abs(expected).max())


@pytest.mark.parametrize("case", [0, 1])
def test_mel_input_gradients_are_keras(keras, case):
    theirs, ours = keras.layers.MelSpectrogram(**MEL_CASES[case]), nk.layers.MelSpectrogram(**MEL_CASES[case])
    weights = RNG.normal(size=ours(AUDIO).shape).astype("float32")
    expected = _keras_input_gradient(keras, theirs, AUDIO, weights)
    np.testing.assert_allclose(_our_input_gradient(ours, AUDIO, weights), expected, rtol=1e-4,
                               atol=1e-4 * np.abs(expected).max())


@pytest.mark.parametrize("cls, kwargs", [("STFTSpectrogram", dict()), ("STFTSpectrogram", STFT_CASES[1]),
                                         ("STFTSpectrogram", STFT_CASES[2]), ("MelSpectrogram", dict()),
                                         ("MelSpectrogram", MEL_CASES[1]), ("MelSpectrogram", MEL_CASES[3])])
def test_configs_are_keras(keras, cls, kwargs):
    their_config, our_config = (json.loads(json.dumps(getattr(m.layers, cls)(**kwargs).get_config()))
                                for m in (keras, nk))
    their_config.pop("name"), our_config.pop("name")
    assert our_config == their_config


@pytest.mark.parametrize("direction", ["keras_to_nanokeras", "nanokeras_to_keras"])
def test_keras_files_both_ways(keras, tmp_path, direction):
    source, target = (keras, nk) if direction == "keras_to_nanokeras" else (nk, keras)
    model = source.Sequential([source.Input((96, 3)),
                               source.layers.STFTSpectrogram(mode="magnitude", frame_length=16, frame_step=8,
                                                             window="hamming"),
                               source.layers.Flatten(), source.layers.Dense(2)])
    model.layers[0].real_kernel.assign(np.asarray(model.layers[0].real_kernel) * 1.5)  # weights travel too
    path = str(tmp_path / "stft.keras")
    model.save(path)
    loaded = target.models.load_model(path)
    assert loaded.layers[0].get_config()["window"] == "hamming"
    np.testing.assert_allclose(np.asarray(loaded.predict(SIGNAL, verbose=0)),
                               np.asarray(model.predict(SIGNAL, verbose=0)), rtol=1e-4, atol=1e-4)
    mel = source.Sequential([source.Input((700,)),
                             source.layers.MelSpectrogram(fft_length=128, sequence_stride=64, num_mel_bins=8,
                                                          power_to_db=False),
                             source.layers.Flatten(), source.layers.Dense(1)])
    mel.save(path)
    loaded = target.models.load_model(path)
    expected = np.asarray(mel.predict(AUDIO, verbose=0))
    np.testing.assert_allclose(np.asarray(loaded.predict(AUDIO, verbose=0)), expected, rtol=1e-4,
                               atol=1e-4 * np.abs(expected).max())
