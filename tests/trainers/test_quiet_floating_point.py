"""predict, train_on_batch and test_on_batch show NaN/inf results without numpy warnings, as fit
and evaluate do (Keras never warns there)."""

import warnings

import numpy as np

import nanokeras as keras


def _nan_model():
    inputs = keras.Input((3,))
    # 0/0 on every row: NaN by design (as a masked softmax gives on padding).
    outputs = keras.layers.Lambda(lambda x: (x * 0.0) / (x * 0.0))(inputs)
    model = keras.Model(inputs, outputs)
    model.compile("sgd", "mse")
    return model


def test_predict_and_batch_forms_raise_no_runtime_warning():
    model = _nan_model()
    x, y = np.ones((4, 3), "float32"), np.ones((4, 3), "float32")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        assert np.isnan(model.predict(x, verbose=0)).all()
        assert np.isnan(model.test_on_batch(x, y))
        assert np.isnan(model.train_on_batch(x, y))


def test_numpy_error_state_is_restored_after_predict():
    before = np.geterr()
    _nan_model().predict(np.ones((2, 3), "float32"), verbose=0)
    assert np.geterr() == before
