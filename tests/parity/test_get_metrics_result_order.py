"""`get_metrics_result()` keys in `model.metrics` order (loss first), History keys sorted: as Keras 3."""

import numpy as np

import nanokeras as nk


def _keys(lib):
    x = np.linspace(-1, 1, 24, dtype="float32").reshape(8, 3)
    y = (x.sum(axis=1, keepdims=True) > 0).astype("float32")
    dense = lib.layers.Dense(1, activation="sigmoid", kernel_initializer=lib.initializers.Constant(0.1))
    model = lib.Sequential([lib.Input((3,)), dense])
    model.compile("sgd", "binary_crossentropy", metrics=["mse", "accuracy", lib.metrics.AUC(name="a_auc")])
    history = model.fit(x, y, batch_size=4, epochs=1, verbose=0, shuffle=False)
    model.evaluate(x, y, verbose=0)
    result = model.get_metrics_result()
    return list(result), list(history.history), [float(v) for v in result.values()]


def test_metrics_result_order(keras):
    ours, theirs = _keys(nk), _keys(keras)
    assert ours[0] == theirs[0] == ["loss", "mse", "accuracy", "a_auc"]
    assert ours[1] == theirs[1] == ["a_auc", "accuracy", "loss", "mse"]
    np.testing.assert_allclose(ours[2], theirs[2], atol=1e-5)
