"""`fit`/`evaluate`/`predict` take datasets and generators of batches, as Keras does."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.utils import BatchDataset


def _model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.1), "mse")
    return model


def _batches(n=24, batch=8, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 3)).astype("float32")
    y = x @ np.array([1.0, -2.0, 0.5], "float32")
    return x, y, [(x[i:i + batch], y[i:i + batch]) for i in range(0, n, batch)]


def test_a_dataset_trains_like_the_arrays_it_holds():
    x, y, batches = _batches()
    from_arrays, from_dataset = _model(), _model()
    from_arrays.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    from_dataset.fit(BatchDataset(lambda epoch: iter(batches), len(batches)), epochs=3, verbose=0)
    for a, b in zip(from_arrays.get_weights(), from_dataset.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_generators_with_steps_per_epoch_and_sample_weights():
    x, y, batches = _batches()

    def forever():
        while True:
            for bx, by in batches:
                yield bx, by, np.ones(len(bx), "float32")

    model = _model()
    history = model.fit(forever(), steps_per_epoch=3, epochs=4, verbose=0)
    assert len(history.history["loss"]) == 4 and history.history["loss"][-1] < history.history["loss"][0]
    assert np.isfinite(model.evaluate(iter(batches), verbose=0))
    assert model.predict((bx for bx, _ in batches), verbose=0).shape == (24, 1)


def test_validation_data_can_be_a_dataset():
    x, y, batches = _batches()
    history = _model().fit(x, y, validation_data=BatchDataset(lambda e: iter(batches[:1]), 1), epochs=2, verbose=0)
    assert len(history.history["val_loss"]) == 2


def test_empty_and_bad_batches_are_explained():
    with pytest.raises(ValueError, match="no batches"):
        _model().fit(iter([]), verbose=0)
    with pytest.raises(TypeError, match="numeric"):
        _model().fit(iter([(np.array(["a", "b"]), np.zeros(2))]), verbose=0)
    with pytest.raises(ValueError, match="class_weight"):
        _model().fit(iter([(np.zeros((2, 3)), np.zeros(2))]), class_weight={0: 1.0}, verbose=0)
