"""MelSpectrogram: the filterbank (HTK mel scale, triangles, partition of unity), a pure tone's band,
decibels and the top_db cut, gradients against finite differences, errors and configs."""

import json

import numpy as np
import pytest

import nanokeras as keras
from tests.ops.gradient_check import check_gradients

SIGNAL = np.random.default_rng(11).normal(size=(2, 400)).astype("float32")


def _mel(hertz):
    return 2595.0 * np.log10(1.0 + hertz / 700.0)  # HTK's formula (= 1127 ln(1 + f / 700))


def test_the_filterbank_is_htk_s_triangles():
    layer = keras.layers.MelSpectrogram()
    matrix = layer.linear_to_mel_weight_matrix(num_mel_bins=10, num_spectrogram_bins=65, sampling_rate=8000,
                                               lower_edge_hertz=100.0, upper_edge_hertz=3500.0, dtype="float64")
    assert matrix.shape == (65, 10) and matrix.dtype == np.float64
    assert (matrix[0] == 0).all()  # no band takes the DC bin
    edges = np.linspace(_mel(100.0), _mel(3500.0), 12)
    bins = _mel(np.linspace(0, 4000, 65))
    for band in range(10):
        low, center, high = edges[band:band + 3]
        expected = np.clip(np.minimum((bins - low) / (center - low), (high - bins) / (high - center)), 0, None)
        expected[0] = 0
        np.testing.assert_allclose(matrix[:, band], expected, atol=1e-9)
    # Between the first and the last centre the triangles add up to 1 (each bin shared by two bands).
    inside = (bins > edges[1]) & (bins < edges[-2])
    np.testing.assert_allclose(matrix[inside].sum(axis=1), 1.0, rtol=1e-9)
    assert (matrix.sum(axis=1)[~inside] <= 1 + 1e-12).all()


def test_a_pure_tone_lands_in_its_band():
    rate, frequency = 8000, 1000.0
    tone = np.sin(2 * np.pi * frequency * np.arange(4096) / rate).astype("float32")
    layer = keras.layers.MelSpectrogram(fft_length=512, sequence_stride=256, sampling_rate=rate, num_mel_bins=20,
                                        min_freq=0.0, power_to_db=False)
    out = np.asarray(layer(tone))
    assert out.shape == (20, 1 + 4096 // 256)
    centers = np.linspace(_mel(0.0), _mel(4000.0), 22)[1:-1]
    assert np.argmax(out[:, 8]) == np.argmin(np.abs(centers - _mel(frequency)))


def test_power_magnitude_and_decibels():
    kwargs = dict(fft_length=64, sequence_stride=16, sampling_rate=1000, num_mel_bins=8)
    power = np.asarray(keras.layers.MelSpectrogram(power_to_db=False, **kwargs)(SIGNAL), "float64")
    decibels = np.asarray(keras.layers.MelSpectrogram(top_db=1e6, ref_power=2.0, **kwargs)(SIGNAL), "float64")
    np.testing.assert_allclose(decibels, 10 * np.log10(np.maximum(power, 1e-10) / 2.0), rtol=1e-4, atol=1e-3)
    cut = np.asarray(keras.layers.MelSpectrogram(top_db=10.0, **kwargs)(SIGNAL))
    full = 10 * np.log10(np.maximum(power, 1e-10))
    np.testing.assert_allclose(cut, np.maximum(full, full.max() - 10.0), rtol=1e-4, atol=1e-3)  # over the whole batch
    magnitude = np.asarray(keras.layers.MelSpectrogram(power_to_db=False, mag_exp=1.0, **kwargs)(SIGNAL))
    assert magnitude.shape == power.shape and not np.allclose(magnitude, power)


def test_shapes_batched_and_unbatched():
    layer = keras.layers.MelSpectrogram(fft_length=64, sequence_stride=16, num_mel_bins=8)
    assert layer(SIGNAL).shape == (2, 8, 26)
    power = keras.layers.MelSpectrogram(fft_length=64, sequence_stride=16, num_mel_bins=8, power_to_db=False)
    np.testing.assert_allclose(power(SIGNAL[1]), np.asarray(power(SIGNAL))[1], rtol=1e-6)
    assert layer(SIGNAL[0]).shape == (8, 26)
    assert layer.compute_output_shape((2, 400)) == (2, 8, 26)
    assert layer.compute_output_shape((None,)) == (8, None)
    assert layer(SIGNAL.astype("int32")).dtype == np.float32  # integer signals are cast, as Keras does


@pytest.mark.parametrize("kwargs", [dict(power_to_db=False), dict(power_to_db=False, mag_exp=1.0),
                                    dict(top_db=1e6), dict(top_db=5.0, sequence_length=12, window="hamming")])
def test_gradients_match_finite_differences(kwargs):
    x = np.random.default_rng(5).normal(size=(2, 40))
    layer = keras.layers.MelSpectrogram(fft_length=16, sequence_stride=8, sampling_rate=1000, num_mel_bins=4,
                                        dtype="float64", **kwargs)
    check_gradients(layer, x, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("kwargs, words", [
    (dict(fft_length=64, sequence_length=128), "sequence_length"), (dict(fft_length=0), "fft_length"),
    (dict(sequence_stride=1.5), "sequence_stride"), (dict(num_mel_bins=None), "num_mel_bins"),
    (dict(window="blackman"), "window"), (dict(window=np.ones(3)), "window"),
    (dict(sampling_rate=-1), "sampling_rate"), (dict(top_db=None), "top_db"), (dict(min_power=0), "min_power"),
    (dict(min_freq=9000.0), "min_freq"), (dict(mag_exp="2"), "mag_exp"),
])
def test_bad_arguments_raise_naming_them(kwargs, words):
    with pytest.raises(ValueError, match=words):
        keras.layers.MelSpectrogram(**kwargs)


def test_bad_inputs_raise():
    layer = keras.layers.MelSpectrogram(fft_length=64, sequence_stride=16, num_mel_bins=8)
    with pytest.raises(ValueError, match=r"shape \(samples,\) or \(batch, samples\), got shape \(2, 3, 40\)"):
        layer(np.zeros((2, 3, 40), "float32"))
    with pytest.raises(ValueError, match="no samples"):
        layer(np.zeros((2, 0), "float32"))


def test_config_round_trips():
    layer = keras.layers.MelSpectrogram(fft_length=64, sequence_stride=8, sequence_length=32, window=None,
                                        sampling_rate=4000, num_mel_bins=12, min_freq=50.0, max_freq=1500.0,
                                        power_to_db=True, top_db=40.0, mag_exp=1.0, min_power=1e-8, ref_power=0.5)
    config = json.loads(json.dumps(layer.get_config()))
    clone = keras.layers.MelSpectrogram.from_config(config)
    np.testing.assert_allclose(clone(SIGNAL), layer(SIGNAL))
    defaults = keras.layers.MelSpectrogram(sampling_rate=22050).get_config()
    assert defaults["sequence_length"] == 2048 and defaults["max_freq"] == 11025 and defaults["window"] == "hann"
    assert (defaults["top_db"], defaults["mag_exp"], defaults["min_power"], defaults["ref_power"]) == (80.0, 2.0,
                                                                                                         1e-10, 1.0)
