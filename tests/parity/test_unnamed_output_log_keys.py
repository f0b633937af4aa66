"""A subclassed model with two unnamed outputs, compiled with lists of losses and metrics (DLWP's
CustomerTicketModel): the same history keys and values, and the same evaluate list, as Keras 3."""

import numpy as np
import pytest

import nanokeras as nk


def _model(lib):
    class TwoOutputs(lib.Model):
        def __init__(self):
            super().__init__()
            self.mix = lib.layers.Dense(8, activation="relu")
            self.score = lib.layers.Dense(1, activation="sigmoid")
            self.classes = lib.layers.Dense(3, activation="softmax")

        def call(self, x):
            features = self.mix(x)
            return self.score(features), self.classes(features)

    return TwoOutputs()


@pytest.mark.parametrize("variant", ["strings", "objects"])
def test_unnamed_outputs_log_like_keras(keras, variant):
    rng = np.random.default_rng(1)
    x = rng.random((16, 6), dtype="float32")
    y = [rng.random((16, 1), dtype="float32"), np.eye(3, dtype="float32")[rng.integers(0, 3, 16)]]
    results = []
    weights = None
    for lib in (keras, nk):
        model = _model(lib)
        model(x)
        if weights is None:
            weights = [np.asarray(w) for w in model.get_weights()]
        else:
            model.set_weights(weights)
        if variant == "strings":
            model.compile("rmsprop", ["mse", "categorical_crossentropy"], metrics=[["mae"], ["accuracy", "auc"]])
        else:
            model.compile("rmsprop", [lib.losses.MeanSquaredError(), lib.losses.CategoricalCrossentropy()],
                          metrics=[[lib.metrics.MeanAbsoluteError()], [lib.metrics.CategoricalAccuracy()]])
        history = model.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0).history
        results.append((history, model.evaluate(x, y, verbose=0)))
    (theirs, their_list), (ours, our_list) = results
    assert list(ours) == list(theirs)
    for key in theirs:
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(our_list, their_list, rtol=1e-5, atol=1e-6)
