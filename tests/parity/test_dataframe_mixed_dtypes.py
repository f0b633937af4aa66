"""tensorflow.org "Basic regression": `pd.get_dummies` adds bool columns beside float64 ones; Keras
casts such a DataFrame to float32 in fit/predict, and `Normalization.adapt(np.array(df))` takes
the resulting array of Python objects."""

import numpy as np
import pytest

import nanokeras as nk

pd = pytest.importorskip("pandas")


def _run(lib):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"hp": rng.uniform(50, 200, 20), "Origin": rng.choice(["USA", "Europe", "Japan"], 20)})
    frame = pd.get_dummies(frame, columns=["Origin"], prefix="", prefix_sep="")
    normalizer = lib.layers.Normalization(axis=-1)
    normalizer.adapt(np.array(frame))
    model = lib.Sequential([lib.Input((4,)), normalizer, lib.layers.Dense(1, kernel_initializer="ones")])
    model.compile(lib.optimizers.Adam(0.1), "mean_absolute_error")
    history = model.fit(frame, frame["hp"], epochs=2, batch_size=8, verbose=0, shuffle=False)
    return np.asarray(normalizer.mean), history.history["loss"], model.predict(frame[:3], verbose=0)


def test_frame_of_floats_and_bools_as_in_keras(keras):
    ours, theirs = _run(nk), _run(keras)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, np.asarray(b), rtol=1e-5)
