"""A stateful LSTM trained with the machinelearningmastery loop (`fit` one epoch, batch size 1, then
reset): nanokeras carries the states across batches as Keras on TensorFlow and tf.keras 2 do
(`test_keras2_tutorial_programs.py` compares the numbers with tf.keras). Keras 3.15 on JAX, the
parity backend, keeps them at zero in `fit`/`predict`: pinned here, listed in README's Differences."""

import numpy as np

import nanokeras as nk


def _run(lib):
    series = np.sin(np.arange(30, dtype="float32") / 3)
    x = np.stack([series[i:i + 4] for i in range(16)])[..., None]
    model = lib.Sequential([lib.Input(batch_shape=(1, 4, 1)), lib.layers.LSTM(3, stateful=True), lib.layers.Dense(1)])
    rng = np.random.default_rng(1)
    model.set_weights([rng.uniform(-0.3, 0.3, w.shape).astype("float32") for w in model.get_weights()])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, series[4:20], epochs=1, batch_size=1, verbose=0, shuffle=False)
    after_fit = np.asarray(model.layers[0].states[0])
    model.layers[0].reset_state()
    model.predict(x[:3], batch_size=1, verbose=0)
    return after_fit, np.asarray(model.layers[0].states[0])


def test_states_carry_over_in_fit_and_predict_unlike_keras_on_jax(keras):
    ours = _run(nk)
    theirs = _run(keras)
    assert all(np.abs(state).max() > 1e-3 for state in ours)
    assert all(not np.any(state) for state in theirs), "Keras on JAX now keeps the states: update README"
