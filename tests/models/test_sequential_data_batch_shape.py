"""A Sequential without an Input, built by its first data, keeps that batch's size as Keras does:
`input_shape` and `summary()` show it; other batch sizes still run."""

import numpy as np

import nanokeras as keras
from nanokeras import layers


def _stack():
    return keras.Sequential([layers.Dense(2), layers.Dense(3)])


def test_called_on_data_keeps_the_batch_size():
    model = _stack()
    model(np.ones((1, 4), "float32"))
    assert model.input_shape == (1, 4)
    assert model.output_shape == (1, 3)
    assert model(np.ones((5, 4), "float32")).shape == (5, 3)


def test_summary_shows_the_first_batch_size(capsys):
    model = _stack()
    model(np.ones((1, 4), "float32"))
    model.summary()
    assert "(1, 2)" in capsys.readouterr().out


def test_fit_builds_on_its_first_batch():
    model = _stack()
    model.compile("sgd", "mse")
    model.fit(np.ones((10, 4)), np.ones((10, 3)), batch_size=4, verbose=0)
    assert model.input_shape == (4, 4)
    small = _stack()
    small.compile("sgd", "mse")
    small.fit(np.ones((3, 4)), np.ones((3, 3)), verbose=0)  # fewer samples than a batch
    assert small.input_shape == (3, 4)


def test_predict_builds_on_its_first_batch_and_explicit_build_keeps_none():
    model = _stack()
    assert model.predict(np.ones((7, 4)), verbose=0).shape == (7, 3)
    assert model.input_shape == (7, 4)
    built = _stack()
    built.build((None, 4))
    assert built.input_shape == (None, 4)


def test_saved_and_loaded_with_its_batch_size(tmp_path):
    model = _stack()
    model(np.ones((2, 4), "float32"))
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert loaded.input_shape == (2, 4)
    np.testing.assert_allclose(loaded.predict(np.ones((5, 4)), verbose=0), model.predict(np.ones((5, 4)), verbose=0))
