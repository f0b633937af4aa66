"""`model.losses` against real Keras 3: building a functional model leaves no `add_loss` loss,
a call's losses come first (activity regularizers, `add_loss`, layer by layer), then the trainable
weights' regularizers; after `predict`/`fit`/`evaluate` and the `*_on_batch` steps only the regularizers remain; a frozen
layer's regularizers are left out."""

import numpy as np

import nanokeras as nk


def _losses_through_a_session(lib):
    lib.backend.clear_session()

    class AddsLoss(lib.layers.Layer):
        def call(self, inputs):
            self.add_loss(1e-2 * lib.ops.mean(inputs))
            return inputs

    inputs = lib.Input((3,))
    x = lib.layers.Dense(4, activation="relu", kernel_initializer="ones", kernel_regularizer="l2",
                         activity_regularizer="l1")(inputs)
    last = lib.layers.Dense(1, kernel_initializer="ones", kernel_regularizer="l1", bias_regularizer="l2",
                            bias_initializer="ones")
    model = lib.Model(inputs, last(AddsLoss()(x)))
    seen = [model.losses]
    model(np.ones((2, 3), "float32"))
    seen.append(model.losses)
    model.predict(np.ones((2, 3), "float32"), verbose=0)
    seen.append(model.losses)
    model(np.ones((2, 3), "float32"))
    model.compile("sgd", "mse")
    model.fit(np.ones((4, 3), "float32"), np.ones((4, 1), "float32"), verbose=0)
    seen.append(model.losses)
    model(np.ones((2, 3), "float32"))
    model.evaluate(np.ones((4, 3), "float32"), np.ones((4, 1), "float32"), verbose=0)
    seen.append(model.losses)
    for step in (lambda: model.predict_on_batch(np.ones((2, 3), "float32")),
                 lambda: model.test_on_batch(np.ones((2, 3), "float32"), np.ones((2, 1), "float32")),
                 lambda: model.train_on_batch(np.ones((2, 3), "float32"), np.ones((2, 1), "float32"))):
        model(np.ones((2, 3), "float32"))
        step()
        seen.append(model.losses)
    last.trainable = False
    seen.append(model.losses)
    return [[float(np.asarray(v)) for v in losses] for losses in seen]


def test_model_losses_through_build_call_predict_fit_and_freezing_match_keras(keras):
    ours, theirs = _losses_through_a_session(nk), _losses_through_a_session(keras)
    assert [len(x) for x in ours] == [len(x) for x in theirs]
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-5)
