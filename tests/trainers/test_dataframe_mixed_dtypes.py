"""A pandas DataFrame with float64 and bool columns (`pd.get_dummies`, tensorflow.org "Basic
regression") goes to fit/predict as floatx, as Keras casts it; its `to_numpy()` alone is an
array of Python objects."""

import numpy as np
import pytest

import nanokeras as keras

pd = pytest.importorskip("pandas")


def _frame():
    frame = pd.DataFrame({"hp": [100.0, 150.0, 80.0, 120.0], "Origin": ["USA", "Japan", "USA", "Europe"]})
    return pd.get_dummies(frame, columns=["Origin"], prefix="", prefix_sep="")


def test_fit_and_predict_take_a_frame_of_floats_and_bools():
    frame = _frame()
    assert np.array(frame).dtype == object
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, kernel_initializer="ones")])
    model.compile("sgd", "mae")
    expected = frame.to_numpy(dtype="float32").sum(axis=1)
    np.testing.assert_allclose(model.predict(frame, verbose=0).ravel(), expected, rtol=1e-6)
    history = model.fit(frame, frame["hp"], epochs=1, verbose=0, shuffle=False)
    assert np.isfinite(history.history["loss"][0])


def test_a_frame_with_a_text_column_is_still_refused():
    frame = pd.DataFrame({"hp": [100.0, 150.0], "name": ["a", "b"]})
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="Python objects"):
        model.predict(frame, verbose=0)
