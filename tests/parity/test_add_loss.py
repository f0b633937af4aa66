"""`add_loss` models (the endpoint-layer pattern) train as in real Keras, on x alone."""

import numpy as np

import nanokeras as nk
from tests.models.test_add_loss_behaviour import _endpoint_model


def test_endpoint_pattern_matches_keras(keras):
    real = keras
    rng = np.random.default_rng(1)
    x = rng.normal(size=(24, 3)).astype("float32")
    target = rng.normal(size=(24, 1)).astype("float32")

    class RealEndpoint(real.layers.Layer):
        def call(self, inputs):
            prediction, target_ = inputs
            self.add_loss(real.ops.mean(real.ops.square(prediction - target_)))
            return prediction

    xi, ti = real.Input((3,)), real.Input((1,))
    real_model = real.Model([xi, ti], RealEndpoint()([real.layers.Dense(1)(xi), ti]))
    ours = _endpoint_model()
    ours.set_weights(real_model.get_weights())
    real_model.compile(real.optimizers.SGD(0.1))
    ours.compile(nk.optimizers.SGD(0.1))
    kw = dict(epochs=3, batch_size=6, shuffle=False, verbose=0)
    real_history = real_model.fit([x, target], **kw).history
    our_history = ours.fit([x, target], **kw).history
    np.testing.assert_allclose(our_history["loss"], real_history["loss"], rtol=1e-5)
    for a, b in zip(ours.get_weights(), real_model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
