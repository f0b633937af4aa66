"""The spatial engine ops: zero padding, cropping and nearest-neighbour repeating, with their gradients."""

import numpy as np
import pytest

from nanokeras.ops import spatial
from tests.ops.gradient_check import check_gradients, gradient_of


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_pad_crop_repeat_values(data_format):
    x = np.arange(2 * 3 * 2, dtype="float64").reshape(1, 2, 3, 2)
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, 1)
    padded = spatial.zero_pad(x, ((1, 0), (2, 1)), data_format)
    assert np.sum(padded) == np.sum(x)
    np.testing.assert_array_equal(spatial.crop(padded, ((1, 0), (2, 1)), data_format), x)
    repeated = spatial.repeat_spatial(x, (2, 3), data_format)
    np.testing.assert_array_equal(spatial.sum_repeats(repeated, (2, 3), data_format), x * 6)
    expected = np.repeat(np.repeat(x, 2, axis=spatial.spatial_axes(4, data_format)[0]), 3,
                         axis=spatial.spatial_axes(4, data_format)[1])
    np.testing.assert_array_equal(repeated, expected)


@pytest.mark.parametrize("fn", [
    lambda a: spatial.zero_pad(a, ((1, 2), (0, 1), (2, 0)), "channels_last"),
    lambda a: spatial.crop(a, ((1, 0), (0, 1), (1, 1)), "channels_first"),
    lambda a: spatial.repeat_spatial(a, (1, 2, 3), "channels_last"),
    lambda a: spatial.sum_repeats(a, (1, 2, 1), "channels_last"),
])
def test_gradients_and_second_derivatives(fn):
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 3, 2))
    check_gradients(fn, x)
    square = lambda a: np.multiply(fn(a), fn(a)) if isinstance(a, np.ndarray) else fn(a) * fn(a)  # noqa: E731
    check_gradients(gradient_of(square), x, rtol=1e-4)
