"""`Normalization.adapt` on a pandas DataFrame (tensorflow.org "Load CSV data" before its
`np.array(...)`): iterating it yields column names, refused with a TypeError as in Keras."""

import numpy as np
import pytest

import nanokeras as keras


def test_adapt_refuses_an_iterable_of_strings_with_a_type_error():
    with pytest.raises(TypeError, match="yielded str 'a'"):
        keras.layers.Normalization().adapt(iter(["a", "b"]))


def test_adapt_on_a_dataframe_says_to_pass_an_array():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"length": [1.0, 2.0, 4.0], "height": [3.0, 5.0, 7.0]})
    layer = keras.layers.Normalization()
    with pytest.raises(TypeError, match=r"column names: pass `np.array\(df\)`"):
        layer.adapt(frame)
    layer.adapt(np.array(frame))
    np.testing.assert_allclose(np.asarray(layer.mean), [[7 / 3, 5.0]], rtol=1e-6)


def test_adapt_takes_an_array_of_python_numbers():
    # `np.array(df)` of a frame with float and bool columns has dtype object.
    data = np.array([[1.0, True], [3.0, False]], dtype=object)
    layer = keras.layers.Normalization()
    layer.adapt(data)
    np.testing.assert_allclose(np.asarray(layer.mean), [[2.0, 0.5]])
    with pytest.raises(TypeError, match="numeric"):
        keras.layers.Normalization().adapt(np.array([["a", 1.0]], dtype=object))
