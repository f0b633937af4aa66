"""Count arguments of fit/evaluate/predict that are no integers: TypeError as Keras raises (Python's
own error on the float there), and ValueError too, the natural type for a bad value."""

import numpy as np
import pytest

import nanokeras as keras


def _model():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    return model


_X, _Y = np.ones((8, 2), "float32"), np.ones((8, 1), "float32")


@pytest.mark.parametrize("kind", [TypeError, ValueError])
@pytest.mark.parametrize("arguments, name", [
    ({"epochs": 2.0}, "epochs"), ({"epochs": "2"}, "epochs"), ({"batch_size": 4.0}, "batch_size"),
    ({"steps_per_epoch": 2.0}, "steps_per_epoch"), ({"initial_epoch": 1.0, "epochs": 2}, "initial_epoch"),
    ({"validation_batch_size": 4.0, "validation_split": 0.5}, "validation_batch_size"),
])
def test_fit_float_counts_are_type_and_value_errors(kind, arguments, name):
    with pytest.raises(kind, match=f"`{name}` must be a"):
        _model().fit(_X, _Y, verbose=0, **arguments)


@pytest.mark.parametrize("kind", [TypeError, ValueError])
def test_evaluate_and_predict_float_batch_size_and_steps(kind):
    model = _model()
    for call in (lambda: model.evaluate(_X, _Y, verbose=0, batch_size=4.0),
                 lambda: model.predict(_X, verbose=0, batch_size=4.0)):
        with pytest.raises(kind, match="`batch_size` must be a positive integer, got 4.0"):
            call()
    for call in (lambda: model.evaluate(_X, _Y, verbose=0, steps=1.0),
                 lambda: model.predict(_X, verbose=0, steps=1.0)):
        with pytest.raises(kind, match="`steps` must be a positive integer or None, got 1.0"):
            call()


def test_negative_steps_are_refused():
    # They returned a loss of 0.0 (evaluate) or crashed with an IndexError (predict).
    model = _model()
    with pytest.raises(ValueError, match="got -1"):
        model.evaluate(_X, _Y, verbose=0, steps=-1)
    with pytest.raises(ValueError, match="got -1"):
        model.predict(_X, verbose=0, steps=-1)


def test_zero_steps_read_all_the_data_as_none_does():
    # Keras tests `if steps:`; predict with steps=0 crashed with an IndexError.
    model = _model()
    assert model.predict(_X, verbose=0, steps=0).shape == (8, 1)
    assert model.evaluate(_X, _Y, verbose=0, steps=0) == pytest.approx(model.evaluate(_X, _Y, verbose=0))


def test_numpy_integer_counts_are_accepted():
    model = _model()
    history = model.fit(_X, _Y, verbose=0, epochs=np.int64(2), batch_size=np.int32(4))
    assert len(history.epoch) == 2
    assert model.predict(_X, verbose=0, steps=np.int64(1), batch_size=np.int64(8)).shape == (8, 1)
