"""A `keras.utils.PyDataset`'s hooks against real Keras 3: the look at the data before a run
that builds the model (`on_epoch_begin`, batch 0, `on_epoch_end`), the `on_epoch_end` before
each evaluation pass, and the training a dataset that reshuffles in `on_epoch_end` gets."""

import numpy as np

import nanokeras as nk


def _run(lib):
    calls = []

    class Shuffled(lib.utils.PyDataset):
        def __init__(self, tag, x, y, batch_size, **kwargs):
            super().__init__(**kwargs)
            self.tag, self.x, self.y, self.batch_size = tag, x, y, batch_size
            self.order = np.arange(len(x))
            self.rng = np.random.RandomState(7)

        def __len__(self):
            return len(self.x) // self.batch_size

        def __getitem__(self, index):
            calls.append(f"{self.tag}[{index}]")
            rows = self.order[index * self.batch_size:(index + 1) * self.batch_size]
            return self.x[rows], self.y[rows]

        def on_epoch_begin(self):
            calls.append(f"{self.tag}.begin")

        def on_epoch_end(self):
            calls.append(f"{self.tag}.end")
            self.rng.shuffle(self.order)

    class Marks(lib.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            calls.append(f"epoch{epoch}")

        def on_test_begin(self, logs=None):
            calls.append("test")

    rng = np.random.RandomState(0)
    x = rng.rand(16, 4).astype("float32")
    y = x @ np.array([[1.0], [-2.0], [0.5], [3.0]], "float32")
    model = lib.Sequential([lib.Input((4,)), lib.layers.Dense(1, kernel_initializer="zeros")])
    model.compile(lib.optimizers.SGD(0.1), "mse")
    history = model.fit(Shuffled("T", x, y, 4), validation_data=Shuffled("V", x, y, 8), epochs=3, shuffle=False,
                        verbose=0, callbacks=[Marks()]).history
    evaluation = model.evaluate(Shuffled("E", x, y, 4), verbose=0, callbacks=[Marks()])
    fresh = lib.Sequential([lib.Input((4,)), lib.layers.Dense(1, kernel_initializer="zeros")])
    fresh.compile(lib.optimizers.SGD(0.1), "mse")
    fresh.evaluate(Shuffled("F", x, y, 8), verbose=0)
    fresh.predict(Shuffled("P", x, y, 8), verbose=0)
    return calls, history, evaluation, model.get_weights()


def test_pydataset_hooks_and_training_match_keras(keras):
    ours, theirs = _run(nk), _run(keras)
    assert ours[0] == theirs[0]
    for key in theirs[1]:
        np.testing.assert_allclose(ours[1][key], theirs[1][key], rtol=1e-5, err_msg=key)
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-5)
    for a, b in zip(ours[3], theirs[3]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
