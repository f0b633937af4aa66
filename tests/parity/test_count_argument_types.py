"""Float counts given to fit/evaluate/predict: Keras raises TypeError, and so does nanokeras; steps=0
reads all the data in both."""

import numpy as np
import pytest

import nanokeras as nk


def _model(lib):
    model = lib.Sequential([lib.Input((2,)), lib.layers.Dense(1)])
    model.compile("sgd", "mse")
    return model


_X, _Y = np.ones((8, 2), "float32"), np.ones((8, 1), "float32")


@pytest.mark.parametrize("arguments", [{"epochs": 2.0}, {"batch_size": 4.0}, {"steps_per_epoch": 2.0}])
def test_fit_float_counts_raise_type_error(keras, arguments):
    for lib in (keras, nk):
        with pytest.raises(TypeError):
            _model(lib).fit(_X, _Y, verbose=0, **arguments)


def test_evaluate_float_steps_raise_type_error(keras):
    for lib in (keras, nk):
        with pytest.raises(TypeError):
            _model(lib).evaluate(_X, _Y, verbose=0, steps=1.0)


def test_predict_zero_steps_reads_all_the_data(keras):
    theirs, ours = _model(keras), _model(nk)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    np.testing.assert_allclose(ours.predict(_X, verbose=0, steps=0), theirs.predict(_X, verbose=0, steps=0),
                               rtol=1e-6)
