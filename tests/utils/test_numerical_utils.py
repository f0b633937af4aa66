import numpy as np
import pytest

from nanokeras.utils.numerical_utils import normalize, to_categorical


def test_to_categorical_basic():
    out = to_categorical([0, 1, 2, 3], num_classes=4)
    np.testing.assert_array_equal(out, np.eye(4))
    assert out.dtype == np.float64  # as Keras 3 returns for array-like input


def test_to_categorical_infers_num_classes():
    assert to_categorical([2, 0]).shape == (2, 3)


def test_to_categorical_drops_trailing_unit_axis():
    labels = np.array([[1], [0], [2]])
    out = to_categorical(labels, 3)
    assert out.shape == (3, 3)
    np.testing.assert_array_equal(out.argmax(-1), [1, 0, 2])


def test_to_categorical_keeps_other_shapes():
    out = to_categorical(np.array([[1, 2], [0, 1]]), 3)
    assert out.shape == (2, 2, 3)
    np.testing.assert_array_equal(out.argmax(-1), [[1, 2], [0, 1]])
    assert to_categorical(3).shape == (4,)
    assert to_categorical(np.array([1]), 2).shape == (1, 2)


def test_to_categorical_accepts_integral_floats_and_uint():
    np.testing.assert_array_equal(to_categorical([1.0, 0.0]), [[0, 1], [1, 0]])
    np.testing.assert_array_equal(to_categorical(np.array([1, 0], np.uint8)), [[0, 1], [1, 0]])


def test_to_categorical_empty_with_num_classes():
    assert to_categorical([], num_classes=3).shape == (0, 3)


@pytest.mark.parametrize(
    "x, num_classes, match",
    [
        ([-1, 2], None, "labels >= 0"),
        ([0, 3], 3, "does not fit in num_classes=3"),
        ([0.5, 1], None, "non-integer value 0.5"),
        ([np.nan], None, "non-integer"),
        ([], None, "empty"),
        (["cat", "dog"], None, "integer class labels"),
        ([True, False], None, "integer class labels"),
        ([[0, 1], [2]], None, "ragged or non-numeric"),
        ([0, 1], 0, "positive integer"),
        ([0, 1], 2.5, "positive integer"),
    ],
)
def test_to_categorical_errors(x, num_classes, match):
    with pytest.raises(ValueError, match=match):
        to_categorical(x, num_classes)


def test_normalize_l2_and_zero_rows():
    x = np.array([[3.0, 4.0], [0.0, 0.0]], dtype=np.float32)
    out = normalize(x)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, [[0.6, 0.8], [0.0, 0.0]], rtol=1e-6)


def test_normalize_axis_and_order():
    x = np.array([[1.0, 2.0], [3.0, -6.0]])
    np.testing.assert_allclose(normalize(x, axis=0, order=1), [[0.25, 0.25], [0.75, -0.75]])
    np.testing.assert_allclose(normalize(x, order=np.inf), [[0.5, 1.0], [0.5, -1.0]])
    assert normalize([[1, 1]]).dtype == np.float32


def test_normalize_errors():
    with pytest.raises(ValueError, match="axis"):
        normalize(np.ones((2, 2)), axis=2)
    with pytest.raises(ValueError, match="order"):
        normalize(np.ones((2, 2)), order="bad")
    with pytest.raises(ValueError, match="scalar"):
        normalize(3.0)
    with pytest.raises(ValueError, match="numeric"):
        normalize(np.array(["a"]))
