"""`keras.preprocessing.image.smart_resize`: crop to the target's aspect ratio, then resize."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.preprocessing.image import smart_resize


def test_crops_the_centre_to_the_aspect_ratio_then_resizes():
    # A 4x8 image, square target: the centred 4x4 box (columns 2..5) is kept.
    image = np.arange(32, dtype="float32").reshape(4, 8, 1)
    out = smart_resize(image, (4, 4))
    assert out.shape == (4, 4, 1) and type(out) is np.ndarray
    np.testing.assert_array_equal(out, image[:, 2:6])
    # Same as the op with crop_to_aspect_ratio.
    expected = keras.ops.image.resize(image, (2, 2), crop_to_aspect_ratio=True)
    np.testing.assert_allclose(smart_resize(image, (2, 2)), expected)


def test_batches_and_channels_first():
    images = np.random.default_rng(0).random((2, 3, 10, 6), dtype=np.float32)
    out = smart_resize(images, (5, 5), data_format="channels_first")
    assert out.shape == (2, 3, 5, 5)
    last = smart_resize(images.transpose(0, 2, 3, 1), (5, 5))
    np.testing.assert_allclose(out, last.transpose(0, 3, 1, 2), rtol=1e-6)


def test_dtypes():
    assert smart_resize(np.zeros((4, 6, 1), "uint8"), (2, 2)).dtype == np.float32
    assert smart_resize(np.zeros((4, 6, 1), "uint8"), (2, 2), interpolation="nearest").dtype == np.uint8
    assert smart_resize(np.zeros((4, 6, 1), "float64"), (2, 2)).dtype == np.float32
    assert smart_resize(np.zeros((4, 6, 1), "float16"), (2, 2)).dtype == np.float16


def test_bad_arguments():
    image = np.zeros((8, 8, 3), "float32")
    with pytest.raises(ValueError, match="size"):
        smart_resize(image, (1, 2, 3))
    with pytest.raises(TypeError, match="size"):
        smart_resize(image, 5)
    with pytest.raises(TypeError, match="foo"):
        smart_resize(image, (4, 4), foo=1)
    with pytest.raises(ValueError, match=r"\(4, 4\)"):
        smart_resize(np.zeros((4, 4)), (2, 2))
    with pytest.raises(ValueError, match="data_format"):
        smart_resize(image, (2, 2), data_format="nhwc")


def test_exported_where_keras_has_it():
    assert keras.preprocessing.image.smart_resize is smart_resize
