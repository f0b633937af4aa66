"""A model overriding `compute_metrics` against real Keras 3: the built-in steps end with
`self.compute_metrics(...)`, so its extra value is logged in `fit` (also for validation),
`evaluate` and `train_on_batch`. (An overridden `predict_step` is tested in
tests/trainers/test_custom_steps_hooks.py: Keras on JAX gives it another signature.)"""

import numpy as np

import nanokeras as nk

X = np.random.RandomState(0).rand(12, 3).astype("float32")
Y = np.arange(12) % 3


def _model(lib):
    class Classifier(lib.Model):
        def __init__(self):
            super().__init__()
            self.dense = lib.layers.Dense(3, kernel_initializer="ones")

        def call(self, x):
            return self.dense(x)

        def compute_metrics(self, x, y, y_pred, sample_weight=None):
            logs = super().compute_metrics(x, y, y_pred, sample_weight)
            logs["mean_logit"] = lib.ops.mean(y_pred)
            return logs

    model = Classifier()
    model.compile(lib.optimizers.SGD(0.1), lib.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model


def _run(lib):
    model = _model(lib)
    history = model.fit(X, Y, batch_size=4, epochs=2, validation_data=(X, Y), shuffle=False, verbose=0).history
    evaluation = model.evaluate(X, Y, batch_size=4, return_dict=True, verbose=0)
    on_batch = model.train_on_batch(X, Y, return_dict=True)
    return history, evaluation, on_batch


def test_an_overridden_compute_metrics_is_used_as_in_keras(keras):
    ours, theirs = _run(nk), _run(keras)
    assert sorted(ours[0]) == sorted(theirs[0])
    assert "val_mean_logit" in ours[0]
    for key in theirs[0]:
        np.testing.assert_allclose(ours[0][key], theirs[0][key], rtol=1e-5, err_msg=key)
    for a, b in zip(ours[1:3], theirs[1:3]):
        assert sorted(a) == sorted(b)
        for key in b:
            np.testing.assert_allclose(a[key], b[key], rtol=1e-5, err_msg=key)
