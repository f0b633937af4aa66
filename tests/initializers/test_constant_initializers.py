import json

import numpy as np
import pytest

from nanokeras import backend
from nanokeras import initializers


def test_zeros_ones_default_dtype_is_floatx():
    z = initializers.Zeros()((2, 3))
    o = initializers.Ones()((4,))
    assert z.dtype == np.float32 and z.shape == (2, 3) and not z.any()
    assert o.dtype == np.float32 and o.tolist() == [1.0] * 4


def test_floatx_change_is_followed():
    backend.set_floatx("float64")
    try:
        assert initializers.Ones()((2,)).dtype == np.float64
        assert initializers.GlorotUniform(seed=1)((2, 2)).dtype == np.float64
    finally:
        backend.set_floatx("float32")


@pytest.mark.parametrize("dtype", ["int32", "int64", "float16", "float64", "bool"])
def test_zeros_ones_respect_dtype(dtype):
    assert initializers.Zeros()((2, 2), dtype=dtype).dtype == np.dtype(dtype)
    assert initializers.Ones()((2, 2), dtype=dtype).dtype == np.dtype(dtype)


def test_scalar_shape():
    assert initializers.Ones()(()).shape == ()
    assert initializers.Constant(2.5)(()).tolist() == 2.5


def test_constant_value_and_broadcast():
    assert initializers.Constant(3)((2, 2)).tolist() == [[3.0, 3.0], [3.0, 3.0]]
    out = initializers.Constant([1.0, 2.0])((3, 2))
    np.testing.assert_array_equal(out, [[1, 2]] * 3)
    assert initializers.Constant(7)((2,), dtype="int32").dtype == np.int32


def test_constant_bad_broadcast_and_value():
    with pytest.raises(ValueError, match="cannot fill a weight of shape"):
        initializers.Constant([1.0, 2.0, 3.0])((3, 2))
    with pytest.raises(ValueError, match="must be a number"):
        initializers.Constant("abc")


def test_identity():
    np.testing.assert_array_equal(initializers.Identity()((3, 3)), np.eye(3))
    np.testing.assert_array_equal(initializers.Identity(gain=2.0)((2, 3)), 2 * np.eye(2, 3))
    assert initializers.Identity(gain=2)((2, 2), dtype="int32").tolist() == [[2, 0], [0, 2]]


@pytest.mark.parametrize("shape", [(3,), (2, 2, 2)])
def test_identity_rejects_non_matrix(shape):
    with pytest.raises(ValueError, match="2-D"):
        initializers.Identity()(shape)


@pytest.mark.parametrize("shape", [(2, -1), (2.5, 3), ("a",), None, (None, 3)])
def test_bad_shapes_are_rejected(shape):
    with pytest.raises(ValueError, match="non-negative integers"):
        initializers.Zeros()(shape)


def test_config_roundtrip_is_json_serializable():
    for init in [initializers.Constant(np.float32(1.5)), initializers.Identity(3.0), initializers.Zeros()]:
        config = json.loads(json.dumps(init.get_config()))
        clone = type(init).from_config(config)
        np.testing.assert_array_equal(clone((2, 2)), init((2, 2)))
    assert initializers.Constant(np.array([1.0, 2.0])).get_config() == {"value": [1.0, 2.0]}


def test_stft_kernels_are_windowed_fourier_bases():
    from nanokeras import initializers

    frame, bins = 8, 5
    t = np.arange(frame)[:, None, None]
    f = np.arange(bins)[None, None, :] / ((bins - 1) * 2)
    np.testing.assert_allclose(initializers.STFT("real", window=None)((frame, 1, bins)),
                               np.cos(2 * np.pi * t * f), atol=1e-6)
    np.testing.assert_allclose(initializers.STFT("imag", window=None)((frame, 1, bins)),
                               -np.sin(2 * np.pi * t * f), atol=5e-6)
    hann = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(frame) / (frame - 1))
    kernel = initializers.STFT("real", window="hann", scaling="density")((frame, 1, bins))
    np.testing.assert_allclose(kernel[:, 0, 0], hann / np.sqrt(np.sum(hann ** 2)), atol=1e-6)
    spectrum = initializers.STFT("real", window="hann", scaling="spectrum", periodic=True)((frame, 1, bins))
    periodic = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(frame) / frame)
    np.testing.assert_allclose(spectrum[:, 0, 0], periodic / periodic.sum(), atol=1e-6)
    assert initializers.IdentityInitializer is initializers.Identity
    assert initializers.OrthogonalInitializer is initializers.Orthogonal
    with pytest.raises(ValueError, match="side should be"):
        initializers.STFT("complex")
    with pytest.raises(ValueError, match="Scaling is invalid"):
        initializers.STFT(scaling="l3")
    with pytest.raises(ValueError, match="frame_length"):
        initializers.STFT(window=[1.0, 2.0])((8, 1, 5))
