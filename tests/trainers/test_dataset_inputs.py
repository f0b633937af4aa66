"""`fit`/`evaluate`/`predict` take a `BatchedDataset` (what `image_dataset_from_directory` and the text
utilities return) as Keras takes its datasets: every epoch is a new pass over it."""

import numpy as np

import nanokeras as keras
from nanokeras.utils.batched_dataset import BatchedDataset


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
    from_dataset.fit(BatchedDataset(lambda: iter(batches), len(batches)), epochs=3, shuffle=False, verbose=0)
    for a, b in zip(from_arrays.get_weights(), from_dataset.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_each_epoch_is_a_new_pass_and_validation_and_predict_take_it():
    x, y, batches = _batches()
    passes = []

    def one_pass():
        passes.append(len(passes))
        return iter(batches)

    data = BatchedDataset(one_pass, len(batches))
    model = _model()
    history = model.fit(data, epochs=3, verbose=0)
    assert len(history.history["loss"]) == 3 and len(passes) == 3
    history = model.fit(data, validation_data=data.take(1), epochs=2, verbose=0)
    assert len(history.history["val_loss"]) == 2
    assert np.isfinite(model.evaluate(data, verbose=0))
    assert model.predict(data.map(lambda bx, by: bx), verbose=0).shape == (24, 1)
