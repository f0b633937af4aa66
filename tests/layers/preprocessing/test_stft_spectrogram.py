"""STFTSpectrogram: known spectra (a pure tone, numpy's rfft of windowed frames), the modes against
each other, layouts, gradients against finite differences, errors and configs."""

import json
import warnings

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.initializers.stft_initializer import get_window
from tests.ops.gradient_check import check_gradients

RNG = np.random.default_rng(7)
SIGNAL = RNG.normal(size=(2, 48, 3)).astype("float32")


def test_a_pure_tone_peaks_in_its_bin():
    n, k = 32, 5
    tone = np.sin(2 * np.pi * k * np.arange(4 * n) / n).astype("float32")[None, :, None]
    layer = keras.layers.STFTSpectrogram(mode="magnitude", frame_length=n, frame_step=n, window=None, scaling=None)
    out = layer(tone)
    assert out.shape == (1, 4, n // 2 + 1)
    assert (np.argmax(out, axis=-1) == k).all()
    np.testing.assert_allclose(out[..., k], n / 2, rtol=1e-5)  # |sum sin * e^{-i..}| = n / 2
    others = np.delete(out, k, axis=-1)
    assert others.max() < 1e-3


def test_real_and_imag_are_numpys_rfft_of_the_windowed_frames():
    frame, step, fft = 12, 5, 16
    layer = keras.layers.STFTSpectrogram(mode="stft", frame_length=frame, frame_step=step, fft_length=fft)
    x = SIGNAL[:1, :, :1].astype("float64")
    out = np.asarray(layer(x.astype("float32")))
    window = get_window("hann", frame)
    window = window / np.sqrt(np.sum(window ** 2))  # "density"
    frames = np.stack([x[0, s:s + frame, 0] for s in range(0, 48 - frame + 1, step)])
    expected = np.fft.rfft(frames * window, n=fft)  # the kernels' sign: e^{-i ...}, as the FFT
    bins = fft // 2 + 1
    np.testing.assert_allclose(out[0, :, :bins], expected.real, atol=1e-5)
    np.testing.assert_allclose(out[0, :, bins:], expected.imag, atol=1e-5)


def test_the_modes_agree_with_each_other():
    kwargs = dict(frame_length=16, frame_step=4, fft_length=16, window="hamming", periodic=True, scaling="spectrum")
    out = {mode: np.asarray(keras.layers.STFTSpectrogram(mode=mode, expand_dims=True, **kwargs)(SIGNAL), "float64")
           for mode in ("log", "magnitude", "psd", "real", "imag", "angle", "stft")}
    real, imag = out["real"], out["imag"]
    np.testing.assert_allclose(out["stft"], np.concatenate([real, imag], axis=2), atol=1e-6)
    np.testing.assert_allclose(out["angle"], np.arctan2(imag, real), atol=1e-4)
    np.testing.assert_allclose(out["magnitude"], np.sqrt(np.maximum(real ** 2 + imag ** 2, 1e-7)), rtol=1e-5)
    np.testing.assert_allclose(out["log"], np.log(out["magnitude"]), rtol=1e-5, atol=1e-5)
    power = real ** 2 + imag ** 2
    power[:, :, 1:-1] *= 2  # bins other than 0 and Nyquist count their negative frequency too
    np.testing.assert_allclose(out["psd"], power, rtol=1e-4, atol=1e-6)


def test_layouts_and_channels():
    last = np.asarray(keras.layers.STFTSpectrogram(frame_length=8, expand_dims=True)(SIGNAL))
    first = keras.layers.STFTSpectrogram(frame_length=8, expand_dims=True, data_format="channels_first")(
        SIGNAL.transpose(0, 2, 1))
    assert last.shape == (2, 11, 5, 3) and first.shape == (2, 3, 11, 5)
    np.testing.assert_allclose(first, last.transpose(0, 3, 1, 2), rtol=1e-6)
    folded = keras.layers.STFTSpectrogram(frame_length=8)(SIGNAL)
    assert folded.shape == (2, 11, 15)  # channel c holds bins [5c, 5c + 5)
    np.testing.assert_allclose(folded[:, :, 5:10], last[..., 1], rtol=1e-6)
    folded_first = keras.layers.STFTSpectrogram(frame_length=8, data_format="channels_first")(SIGNAL.transpose(0, 2, 1))
    np.testing.assert_allclose(folded_first, np.asarray(folded).transpose(0, 2, 1), rtol=1e-6)
    same = keras.layers.STFTSpectrogram(frame_length=8, frame_step=3, padding="same")(SIGNAL)
    assert same.shape == (2, 16, 15)


@pytest.mark.parametrize("kwargs", [dict(), dict(padding="same", frame_step=3, mode="stft", expand_dims=True),
                                    dict(data_format="channels_first", mode="psd")])
def test_compute_output_shape_is_the_call_s(kwargs):
    layer = keras.layers.STFTSpectrogram(frame_length=8, **kwargs)
    x = SIGNAL if "data_format" not in kwargs else SIGNAL.transpose(0, 2, 1)
    assert layer.compute_output_shape(x.shape) == layer(x).shape
    model = keras.Sequential([keras.Input(x.shape[1:]), keras.layers.STFTSpectrogram(frame_length=8, **kwargs)])
    assert model.output_shape[1:] == layer(x).shape[1:]


@pytest.mark.parametrize("mode", ["log", "magnitude", "psd", "real", "imag", "angle", "stft"])
def test_gradients_of_the_input_match_finite_differences(mode):
    x = np.random.default_rng(1).normal(size=(1, 14, 2))
    layer = keras.layers.STFTSpectrogram(mode=mode, frame_length=6, frame_step=4, fft_length=8, padding="same",
                                         dtype="float64")
    check_gradients(layer, x, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("mode", ["log", "psd"])  # (the phase jumps at bins 0 and Nyquist: imag is 0 there)
def test_gradients_of_the_kernels_match_finite_differences(mode):
    x = np.random.default_rng(2).normal(size=(1, 12, 1))
    layer = keras.layers.STFTSpectrogram(mode=mode, frame_length=4, frame_step=2, dtype="float64")
    layer.build(x.shape)
    weights = np.random.default_rng(3).standard_normal(layer(x).shape)
    with keras.GradientTape() as tape:
        loss = keras.ops.sum(keras.ops.multiply(layer(x), weights))
    grads = tape.gradient(loss, layer.trainable_weights)
    assert [w.name for w in layer.trainable_weights] == ["real_kernel", "imag_kernel"]
    for variable, grad in zip(layer.trainable_weights, grads):
        numeric = np.zeros(variable.shape)
        for index in np.ndindex(variable.shape):
            original = variable.value[index]
            values = []
            for shift in (1e-6, -1e-6):
                variable.value[index] = original + shift
                values.append(float(np.sum(np.asarray(layer(x)) * weights)))
            variable.value[index] = original
            numeric[index] = (values[0] - values[1]) / 2e-6
        np.testing.assert_allclose(np.asarray(grad), numeric, rtol=1e-4, atol=1e-6)


def test_kernels_train_and_can_be_frozen():
    layer = keras.layers.STFTSpectrogram(mode="real", frame_length=8)
    layer.build(SIGNAL.shape)
    assert [w.name for w in layer.weights] == ["real_kernel"]
    frozen = keras.layers.STFTSpectrogram(frame_length=8, trainable=False)
    frozen.build(SIGNAL.shape)
    assert not frozen.trainable_weights and len(frozen.non_trainable_weights) == 2
    model = keras.Sequential([keras.Input((48, 3)), keras.layers.STFTSpectrogram(mode="magnitude", frame_length=8),
                              keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(1)])
    before = model.layers[0].real_kernel.numpy().copy()
    model.compile("sgd", "mse")
    model.fit(SIGNAL, np.ones((2, 1)), epochs=2, verbose=0)
    assert not np.allclose(before, model.layers[0].real_kernel.numpy())


@pytest.mark.parametrize("kwargs, words", [
    (dict(frame_step=300), "frame_step"), (dict(frame_step=0), "frame_step"),
    (dict(fft_length=128), "fft_length"), (dict(mode="power"), "mode"), (dict(scaling="l2"), "scaling"),
    (dict(padding="causal"), "padding"), (dict(window="no-such-window"), "window"),
    (dict(window=np.ones(5)), "window"), (dict(frame_length=2.5), "frame_length"),
    (dict(data_format="nhwc"), "data_format"),
])
def test_bad_arguments_raise_naming_them(kwargs, words):
    with pytest.raises(ValueError, match=words):
        keras.layers.STFTSpectrogram(**kwargs)


def test_a_fft_length_not_a_power_of_two_warns():
    with pytest.warns(UserWarning, match="power of two"):
        keras.layers.STFTSpectrogram(frame_length=8, fft_length=12)


def test_bad_inputs_raise():
    layer = keras.layers.STFTSpectrogram(frame_length=8)
    with pytest.raises(TypeError, match="float16`, `float32` or `float64`. Received: input type=int32"):
        layer(np.ones((1, 32, 1), "int32"))
    with pytest.raises(ValueError, match="expected ndim=3"):
        layer(np.ones((1, 32), "float32"))
    with pytest.raises(ValueError, match=r"at least `frame_length` \(8\) samples, got 5"):
        layer(np.ones((1, 5, 1), "float32"))


def test_config_round_trips():
    layer = keras.layers.STFTSpectrogram(mode="psd", frame_length=8, frame_step=3, fft_length=16, window=np.ones(8),
                                         periodic=True, scaling=None, padding="same", expand_dims=True,
                                         data_format="channels_last")
    config = json.loads(json.dumps(layer.get_config()))
    assert config["window"] == [1.0] * 8 and config["frame_step"] == 3 and config["fft_length"] == 16
    clone = keras.layers.STFTSpectrogram.from_config(config)
    np.testing.assert_allclose(clone(SIGNAL), layer(SIGNAL))
    default = keras.layers.STFTSpectrogram().get_config()
    assert {k: default[k] for k in ("mode", "frame_length", "frame_step", "fft_length", "window", "periodic",
                                    "scaling", "padding", "expand_dims")} == dict(
        mode="log", frame_length=256, frame_step=None, fft_length=None, window="hann", periodic=False,
        scaling="density", padding="valid", expand_dims=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        keras.layers.STFTSpectrogram.from_config(default)
