"""Fourier transforms, segment reductions, erfinv and cdist: values, gradients (finite differences), errors."""

import math

import numpy as np
import pytest

from nanokeras import ops
from tests.ops.gradient_check import check_gradients, gradient_of


def rand(*shape, low=-2.0, high=2.0, seed=0):
    return np.random.default_rng(seed + sum(shape)).uniform(low, high, size=shape)


IDS = np.array([0, 2, 2, 0, 1])

CASES = [
    ("fft_real", lambda r, i: ops.fft((r, i))[0], [rand(2, 4), rand(2, 4, seed=1)]),
    ("fft_imag", lambda r, i: ops.fft((r, i))[1], [rand(5), rand(5, seed=1)]),
    ("fft2", lambda r, i: ops.add(ops.fft2((r, i))[0], ops.fft2((r, i))[1]), [rand(3, 4), rand(3, 4, seed=1)]),
    ("ifft2", lambda r, i: ops.multiply(ops.ifft2((r, i))[1], 3.0), [rand(2, 3), rand(2, 3, seed=1)]),
    ("rfft", lambda x: ops.add(ops.rfft(x)[0], ops.rfft(x)[1]), [rand(2, 6)]),
    ("rfft_odd_padded", lambda x: ops.rfft(x, 7)[1], [rand(5)]),
    ("rfft_cut", lambda x: ops.rfft(x, 4)[0], [rand(6)]),
    ("irfft", lambda r, i: ops.irfft((r, i)), [rand(2, 5), rand(2, 5, seed=1)]),
    ("irfft_odd", lambda r, i: ops.irfft((r, i), 7), [rand(4), rand(4, seed=1)]),
    ("extract_sequences", lambda x: ops.extract_sequences(x, 3, 2), [rand(2, 9)]),
    ("stft", lambda x: ops.stft(x, 6, 3, 8)[0], [rand(2, 20)]),
    ("stft_imag_no_center", lambda x: ops.stft(x, 5, 2, 8, window="hamming", center=False)[1], [rand(16)]),
    ("istft", lambda r, i: ops.istft((r, i), 6, 3, 8), [rand(5, 5), rand(5, 5, seed=1)]),
    ("segment_max", lambda x: ops.segment_max(x, IDS, num_segments=3), [rand(5, 2)]),
    ("segment_min", lambda x: ops.segment_min(x, IDS), [rand(5)]),
    ("segment_prod", lambda x: ops.segment_prod(x, IDS), [rand(5, 3)]),
    ("segment_prod_one_zero", lambda x: ops.segment_prod(ops.multiply(x, np.array([1.0, 0.0, 1.0, 1.0, 1.0])), IDS),
     [rand(5)]),
    ("erfinv", ops.erfinv, [rand(6, low=-0.95, high=0.95)]),
    ("cdist", ops.cdist, [rand(3, 2), rand(4, 2, seed=1)]),
    ("cdist_batched", ops.cdist, [rand(2, 3, 2), rand(2, 1, 2, seed=1)]),
]


@pytest.mark.parametrize("fn,inputs", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_gradients_match_finite_differences(fn, inputs):
    check_gradients(fn, *inputs)


@pytest.mark.parametrize("name", ["fft_real", "rfft", "irfft", "stft", "segment_prod", "erfinv"])
def test_second_derivatives(name):
    fn, inputs = {c[0]: c[1:] for c in CASES}[name]
    check_gradients(gradient_of(fn), *inputs, rtol=1e-4, atol=1e-5)


def test_transforms_match_numpy():
    z = rand(3, 4) + 1j * rand(3, 4, seed=1)
    for op, reference in ((ops.fft, np.fft.fft), (ops.fft2, np.fft.fft2), (ops.ifft2, np.fft.ifft2)):
        real, imag = op((z.real, z.imag))
        np.testing.assert_allclose(real + 1j * imag, reference(z), atol=1e-12)
    real, imag = ops.rfft(z.real, 6)
    np.testing.assert_allclose(real + 1j * imag, np.fft.rfft(z.real, 6), atol=1e-12)
    np.testing.assert_allclose(ops.irfft((z.real, z.imag), 5), np.fft.irfft(z, 5), atol=1e-12)
    assert ops.fft((z.real.astype("float32"), z.imag.astype("float32")))[0].dtype == np.float32


@pytest.mark.parametrize("window", ["hann", "hamming", None, np.linspace(0.5, 1.0, 6)])
def test_istft_inverts_stft(window):
    x = rand(2, 50)
    spectrum = ops.stft(x, 6, 2, 8, window=window)
    np.testing.assert_allclose(ops.istft(spectrum, 6, 2, 8, window=window), x, atol=1e-10)
    np.testing.assert_allclose(ops.istft(spectrum, 6, 2, 8, length=20, window=window), x[:, :20], atol=1e-10)


def test_segment_reductions_and_special_functions():
    data = np.array([[1.0, 2.0], [5.0, -1.0], [3.0, 0.0]])
    assert ops.segment_max(data, np.array([0, 0, 2]), 4).tolist() == [[5.0, 2.0], [-np.inf, -np.inf], [3.0, 0.0],
                                                                     [-np.inf, -np.inf]]
    assert ops.segment_min(data, np.array([1, 1, -1])).tolist() == [[np.inf, np.inf], [1.0, -1.0]]
    assert ops.segment_prod(data, np.array([0, 0, 0])).tolist() == [[15.0, -0.0]]
    assert ops.segment_max(np.array([3, 1], "int32"), np.array([0, 0]), 2).tolist() == [3, np.iinfo(np.int32).min]
    x = np.array([-0.9, -0.2, 0.0, 0.5, 0.999])
    np.testing.assert_allclose([math.erf(v) for v in ops.erfinv(x)], x, rtol=1e-12)
    np.testing.assert_allclose(ops.cdist(np.zeros((1, 2)), np.array([[3.0, 4.0]])), [[5.0]])


def test_ties_in_segment_max_share_the_gradient():
    import nanokeras as keras

    w = keras.Variable([2.0, 2.0, 1.0])
    with keras.GradientTape() as tape:
        total = ops.sum(ops.segment_max(w, np.array([0, 0, 0]), 1))
    assert tape.gradient(total, w).tolist() == [0.5, 0.5, 0.0]


@pytest.mark.parametrize("call,error,match", [
    (lambda: ops.fft(np.ones(3)), ValueError, "pair"),
    (lambda: ops.fft((np.ones(3), np.ones(2))), ValueError, "one shape"),
    (lambda: ops.fft((np.ones(3, "int32"), np.ones(3, "int32"))), ValueError, "floats"),
    (lambda: ops.stft(np.ones(10, "int32"), 4, 2, 4), TypeError, "float32"),
    (lambda: ops.stft(np.ones(10), 6, 2, 4), ValueError, "fft_length"),
    (lambda: ops.stft(np.ones(10), 4, 2, 4, window="blackman"), ValueError, "window"),
    (lambda: ops.stft(np.ones(10), 4, 2, 4, window=np.ones(3)), ValueError, "shape of `window`"),
    (lambda: ops.istft((np.ones(3), np.ones(3)), 4, 2, 4), ValueError, "at least 2"),
    (lambda: ops.segment_max(np.ones(3), np.array([0, 1])), ValueError, "one id per row"),
    (lambda: ops.segment_prod(np.ones(2), np.array([0.0, 1.0])), ValueError, "integers"),
    (lambda: ops.cdist(np.ones(3), np.ones((2, 3))), ValueError, "rank >= 2"),
    (lambda: ops.extract_sequences(np.ones(5), 0, 1), ValueError, "positive"),
])
def test_bad_arguments_are_clear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
