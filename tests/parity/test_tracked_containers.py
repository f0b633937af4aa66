"""Layers put in a subclassed model's lists and dicts after the attribute was set, or nested in
them, against real Keras: the same weights, the same layers, the same training."""

import numpy as np

import nanokeras as nk


def _run(lib):
    class Blocks(lib.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.blocks = []
            for _ in range(2):
                self.blocks.append(lib.layers.Dense(2, kernel_initializer="ones"))
            self.heads = {}
            self.heads["out"] = lib.layers.Dense(1, kernel_initializer="ones")
            self.nested = [[lib.layers.Dense(1, kernel_initializer="ones")], "relu", None]
            self.scales = []
            self.scales.append(lib.Variable(np.full((1,), 0.5, "float32"), name="scale"))

        def call(self, x):
            for block in self.blocks:
                x = block(x)
            return self.nested[0][0](self.heads["out"](x)) * self.scales[0]

    model = Blocks()
    x = np.linspace(-1, 1, 12, dtype="float32").reshape(4, 3)
    model(x)
    paths = [w.path for w in model.weights]
    layers = [type(layer).__name__ for layer in model.layers]
    model.compile(lib.optimizers.SGD(0.01), "mse")
    history = model.fit(x, np.ones((4, 1), "float32"), epochs=2, shuffle=False, verbose=0)
    return paths, layers, history.history["loss"], [np.asarray(w) for w in model.weights]


def test_layers_appended_to_containers_train_as_in_keras(keras):
    ours, theirs = _run(nk), _run(keras)
    assert [p.split("/")[-1] for p in ours[0]] == [p.split("/")[-1] for p in theirs[0]]
    assert ours[1] == theirs[1]
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-5)
    for a, b in zip(ours[3], theirs[3]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
