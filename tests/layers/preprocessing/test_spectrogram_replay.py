"""STFTSpectrogram and MelSpectrogram replay as a compiled step would: bit for bit the tape's numbers
(they are marked `_replayable`, so `fit` runs them on the compiled step)."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers
from nanokeras.ops.tensor import Constant
from nanokeras.ops.trace import Trace

CASES = [
    ("STFT_log", lambda: layers.STFTSpectrogram(frame_length=8, frame_step=3), (2, 30, 2)),
    ("STFT_psd_same_first", lambda: layers.STFTSpectrogram(mode="psd", frame_length=8, padding="same",
                                                           data_format="channels_first"), (2, 2, 30)),
    ("STFT_angle_expand", lambda: layers.STFTSpectrogram(mode="angle", frame_length=6, expand_dims=True),
     (2, 30, 2)),
    ("Mel_db", lambda: layers.MelSpectrogram(fft_length=32, sequence_stride=8, num_mel_bins=6), (2, 90)),
    ("Mel_magnitude", lambda: layers.MelSpectrogram(fft_length=32, sequence_stride=8, num_mel_bins=6,
                                                    power_to_db=False, mag_exp=1.0, sequence_length=20), (2, 90)),
]


def _loss(outputs):
    weights = np.random.default_rng(5).standard_normal(np.shape(keras.ops.convert_to_numpy(outputs)))
    return keras.ops.sum(keras.ops.multiply(outputs, weights.astype("float32")))


@pytest.mark.parametrize("make,shape", [pytest.param(c[1], c[2], id=c[0]) for c in CASES])
def test_layer_replays_like_the_tape(make, shape):
    rng = np.random.default_rng(0)
    first, second = rng.standard_normal(shape).astype("float32"), rng.standard_normal(shape).astype("float32")
    replayed, reference = make(), make()
    replayed.build(shape)
    reference.build(shape)
    reference.set_weights(replayed.get_weights())
    assert replayed._replayable is True
    data = Constant(first.copy())
    with keras.GradientTape() as tape:
        loss = _loss(replayed(data))
    trace = Trace(tape)
    assert trace.replayable, trace.unreplayable_ops()
    data.value[...] = second
    trace.forward()
    replayed_grads = trace.gradients(loss, replayed.trainable_weights) if replayed.trainable_weights else []
    with keras.GradientTape() as tape:
        expected = _loss(reference(second))
    expected_grads = tape.gradient(expected, reference.trainable_weights) if reference.trainable_weights else []
    np.testing.assert_array_equal(np.asarray(loss.value), np.asarray(getattr(expected, "value", expected)))
    for got, want in zip(replayed_grads, expected_grads):
        np.testing.assert_array_equal(got, want)
