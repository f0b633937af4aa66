"""Fourier transforms, STFT, segment reductions, erfinv and cdist against real Keras (values and jax.grad)."""

import numpy as np
import pytest

from nanokeras import ops
from tests.parity.ops_parity import check_forward, check_gradients

rng = np.random.default_rng(0)


def f(*shape, low=-1.0, high=1.0):
    return rng.uniform(low, high, size=shape).astype("float32")


R, I = f(2, 8), f(2, 8)
S = f(2, 40)
IDS = np.array([0, 2, 2, 0, 1, 1], "int32")

CASES = [
    ("fft", lambda m, r, i: m.fft((r, i))[0], [R, I]),
    ("fft_imag", lambda m, r, i: m.fft((r, i))[1], [R, I]),
    ("fft2", lambda m, r, i: m.add(m.fft2((r, i))[0], m.fft2((r, i))[1]), [f(3, 4), f(3, 4)]),
    ("ifft2", lambda m, r, i: m.subtract(m.ifft2((r, i))[0], m.ifft2((r, i))[1]), [f(3, 4), f(3, 4)]),
    ("rfft", lambda m, x: m.rfft(x)[0], [R]),
    ("rfft_imag_padded", lambda m, x: m.rfft(x, 11)[1], [R]),
    ("irfft", lambda m, r, i: m.irfft((r, i)), [f(2, 5), f(2, 5)]),
    ("irfft_length", lambda m, r, i: m.irfft((r, i), 7), [f(2, 5), f(2, 5)]),
    ("extract_sequences", lambda m, x: m.extract_sequences(x, 7, 3), [S]),
    ("stft", lambda m, x: m.stft(x, 16, 8, 16)[0], [S]),
    ("stft_hamming", lambda m, x: m.stft(x, 10, 4, 16, window="hamming", center=False)[1], [S]),
    ("stft_array_window", lambda m, x: m.stft(x, 8, 4, 8, window=np.linspace(0.2, 1.0, 8).astype("float32"))[0], [S]),
    ("istft", lambda m, r, i: m.istft((r, i), 16, 8, 16), [f(2, 6, 9), f(2, 6, 9)]),
    ("istft_length", lambda m, r, i: m.istft((r, i), 10, 4, 16, length=25, window="hamming"), [f(7, 9), f(7, 9)]),
    ("segment_max", lambda m, x: m.segment_max(x, IDS, num_segments=3), [f(6, 2)]),
    ("segment_min", lambda m, x: m.segment_min(x, IDS, num_segments=3), [f(6)]),
    ("segment_prod", lambda m, x: m.segment_prod(x, IDS, num_segments=3), [f(6, 2)]),
    ("erfinv", lambda m, x: m.erfinv(x), [f(7, low=-0.95, high=0.95)]),
    ("cdist", lambda m, a, b: m.cdist(a, b), [f(3, 2), f(4, 2)]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_values_match_keras(keras, case):
    check_forward(keras, case[1], case[2], rtol=1e-5, atol=1e-5)


# JAX cannot differentiate segment_prod with repeated ids (nanokeras can: finite differences check it).
GRADIENT_CASES = [c for c in CASES if c[0] != "segment_prod"]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=[c[0] for c in GRADIENT_CASES])
def test_gradients_match_jax(keras, case):
    check_gradients(keras, case[1], case[2], rtol=1e-4, atol=1e-4)


def test_empty_segments_hold_the_identity_as_on_jax(keras):
    data = f(6, 2)
    for name in ("segment_max", "segment_min", "segment_prod"):
        check_forward(keras, lambda m: getattr(m, name)(data, IDS, num_segments=5), [])


def test_istft_without_a_window_inverts_stft_where_keras_does_not(keras):
    x = S[:, :32]
    ours = ops.istft(ops.stft(x, 8, 4, 8, window=None), 8, 4, 8, window=None)
    np.testing.assert_allclose(ours, x, atol=1e-6)
    theirs = np.asarray(keras.ops.istft(keras.ops.stft(x, 8, 4, 8, window=None), 8, 4, 8, window=None))
    assert not np.allclose(theirs, x, atol=1e-2)  # Keras 3 scales the rectangular window differently
