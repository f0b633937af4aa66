"""tensorflow.org "Save and load models": a weights checkpoint loaded into a fresh compiled model,
then trained on. Keras skips the unbuilt optimizer's saved state, so training restarts its
optimizer; nanokeras must give the same numbers."""

import warnings

import numpy as np

import nanokeras as nk


def _model(lib):
    model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(2)])
    model.set_weights([np.full((3, 2), 0.1, "float32"), np.zeros(2, "float32")])
    model.compile(lib.optimizers.Adam(0.1), "mse")
    return model


def _resume(lib, path):
    x, y = np.arange(12, dtype="float32").reshape(4, 3) / 10, np.ones((4, 2), "float32")
    model = _model(lib)
    model.fit(x, y, epochs=2, batch_size=2, shuffle=False, verbose=0)
    model.save_weights(path)
    fresh = _model(lib)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fresh.load_weights(path)
    history = fresh.fit(x, y, epochs=2, batch_size=2, shuffle=False, verbose=0)
    return history.history["loss"], int(np.asarray(fresh.optimizer.iterations)), len(caught)


def test_fresh_model_resumes_as_in_keras(keras, tmp_path):
    theirs = _resume(keras, str(tmp_path / "k.weights.h5"))
    ours = _resume(nk, str(tmp_path / "n.weights.h5"))
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-5)
    assert ours[1:] == theirs[1:] == (4, 1)
