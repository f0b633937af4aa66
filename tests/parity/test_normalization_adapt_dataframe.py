"""`Normalization.adapt(df)` on a pandas DataFrame fails with Keras's error type (TypeError)."""

import pytest

import nanokeras as nk


def _error_type(lib, frame):
    try:
        lib.layers.Normalization().adapt(frame)
    except Exception as error:  # the type is what is compared
        return type(error)
    return None


def test_adapt_on_a_dataframe_error_type(keras):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"length": [1.0, 2.0, 4.0], "height": [3.0, 5.0, 7.0]})
    assert _error_type(nk, frame) is _error_type(keras, frame) is TypeError
