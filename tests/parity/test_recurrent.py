"""Recurrent layers against real Keras 3: same weights => same outputs, states and gradients, for every option."""

import numpy as np
import pytest

import nanokeras as nk
from tests.parity.sequence_parity import compare_layer

RNG = np.random.default_rng(11)
X = RNG.normal(size=(3, 6, 4)).astype("float32")
MASK = np.array([[True] * 6, [False, False, True, True, True, True], [True, True, True, True, False, False]])
STATES = [RNG.normal(size=(3, 3)).astype("float32") for _ in range(2)]

OPTIONS = [
    ("default", {}),
    ("sequences_state_backwards", {"return_sequences": True, "return_state": True, "go_backwards": True}),
    ("unroll", {"return_sequences": True, "unroll": True}),
    ("relu_hard_sigmoid_no_bias", {"activation": "relu", "recurrent_activation": "hard_sigmoid", "use_bias": False,
                                   "return_state": True}),
]


def _layer(kind, options):
    options = dict(options)
    if kind == "SimpleRNN":
        options.pop("recurrent_activation", None)
    return lambda lib: getattr(lib.layers, kind)(3, **options)


# Every option with a padding mask, and the plain layer without one (the fused loop's two paths).
CASES = [(name, options, True) for name, options in OPTIONS] + [("sequences_state_backwards", OPTIONS[1][1], False)]


@pytest.mark.parametrize("kind", ["SimpleRNN", "LSTM", "GRU"])
@pytest.mark.parametrize("name,options,masked", CASES, ids=[f"{c[0]}-{'masked' if c[2] else 'unmasked'}" for c in CASES])
def test_recurrent_layers_match(keras, kind, name, options, masked):
    kwargs = {"mask": MASK} if masked else {}
    compare_layer(keras, _layer(kind, options), [X], kwargs, perturb=0.1)


@pytest.mark.parametrize("kind", ["SimpleRNN", "LSTM", "GRU"])
@pytest.mark.parametrize("masked", [True], ids=["masked"])
def test_initial_states_get_gradients_too(keras, kind, masked):
    # The initial states are weights of a wrapper layer, so their gradients are compared with the others.
    compare_layer(keras, lambda lib: _with_initial_states(lib, kind, masked), [X], perturb=0.1)


def _with_initial_states(lib, kind, masked):
    class WithStates(lib.layers.Layer):
        def __init__(self):
            super().__init__()
            self.rnn = getattr(lib.layers, kind)(3, return_sequences=True, return_state=True)

        def build(self, input_shape):
            self.states = [self.add_weight(shape=(3, 3), initializer="random_normal", name=f"state_{i}")
                           for i in range(2 if kind == "LSTM" else 1)]
            self.rnn.build(input_shape)

        def call(self, x):
            return self.rnn(x, initial_state=list(self.states), mask=MASK if masked else None)

    return WithStates()


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_reset_after_both_ways(keras, reset_after):
    compare_layer(keras, lambda lib: lib.layers.GRU(3, reset_after=reset_after, return_sequences=True), [X],
                  {"mask": MASK}, perturb=0.1)


@pytest.mark.parametrize("kind", ["SimpleRNN", "LSTM", "GRU"])
def test_stateful_layers_carry_the_same_states(keras, kind):
    theirs, ours = getattr(keras.layers, kind)(3, stateful=True), getattr(nk.layers, kind)(3, stateful=True)
    theirs(X), ours(X)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    ours.reset_states()
    theirs.reset_states()
    for step in range(3):
        np.testing.assert_allclose(np.asarray(ours(X)), np.asarray(theirs(X)), rtol=1e-5, atol=1e-5)
    ours.reset_states()
    theirs.reset_states()
    np.testing.assert_allclose(np.asarray(ours(X)), np.asarray(theirs(X)), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("cells", ["lstm_gru", "simple"])
def test_rnn_with_cells_and_stacked_cells(keras, cells):
    def make(lib):
        if cells == "simple":
            return lib.layers.RNN(lib.layers.SimpleRNNCell(3), return_sequences=True, return_state=True)
        return lib.layers.RNN([lib.layers.LSTMCell(3), lib.layers.GRUCell(2)], return_sequences=True,
                              return_state=True)

    compare_layer(keras, make, [X], {"mask": MASK}, perturb=0.1)


@pytest.mark.parametrize("kind,merge_mode", [("LSTM", "concat"), ("LSTM", "sum"), ("GRU", "ave"), ("GRU", "mul"),
                                             ("LSTM", None)])
def test_bidirectional_merge_modes(keras, kind, merge_mode):
    compare_layer(keras, lambda lib: lib.layers.Bidirectional(getattr(lib.layers, kind)(3, return_sequences=True),
                                                               merge_mode=merge_mode),
                  [X], {"mask": MASK}, perturb=0.1)


def test_bidirectional_states(keras):
    compare_layer(keras, lambda lib: lib.layers.Bidirectional(lib.layers.LSTM(3, return_state=True)), [X],
                  perturb=0.1)


def test_time_distributed(keras):
    compare_layer(keras, lambda lib: lib.layers.TimeDistributed(lib.layers.Dense(2, activation="tanh")), [X],
                  perturb=0.1)


def test_embedding_and_masking(keras):
    ids = RNG.integers(0, 9, size=(3, 6))
    ids[0, :3] = 0
    compare_layer(keras, lambda lib: lib.layers.Embedding(9, 4, mask_zero=True), [ids])
    padded = X.copy()
    padded[1, :2] = 0.0
    ours, theirs = compare_layer(keras, lambda lib: lib.layers.Masking(), [padded])
    np.testing.assert_array_equal(ours.compute_mask(padded), np.asarray(theirs.compute_mask(padded)))


def test_masked_models_train_to_the_same_weights(keras):
    ids = RNG.integers(1, 12, size=(16, 7)).astype("int32")
    ids[::3, :3] = 0
    labels = RNG.integers(0, 2, size=(16, 1)).astype("float32")
    models = []
    for lib in (keras, nk):
        model = lib.Sequential([lib.Input((7,), dtype="int32"), lib.layers.Embedding(12, 4, mask_zero=True),
                                lib.layers.Bidirectional(lib.layers.GRU(3)), lib.layers.Dense(1, activation="sigmoid")])
        model.compile(lib.optimizers.Adam(0.01), "binary_crossentropy")
        models.append(model)
    models[1].set_weights([np.asarray(w) for w in models[0].get_weights()])
    for model in models:
        model.fit(ids, labels, batch_size=8, epochs=3, shuffle=False, verbose=0)
    for a, b in zip(models[1].get_weights(), models[0].get_weights()):
        np.testing.assert_allclose(a, np.asarray(b), rtol=1e-4, atol=1e-5)


def test_masked_outputs_weigh_losses_and_metrics_as_keras(keras):
    ids = RNG.integers(1, 10, size=(6, 5)).astype("int32")
    ids[0, 3:] = 0
    ids[2, :2] = 0
    labels = RNG.integers(0, 3, size=(6, 5)).astype("int32")
    models = []
    for lib in (keras, nk):
        model = lib.Sequential([lib.Input((5,), dtype="int32"), lib.layers.Embedding(10, 4, mask_zero=True),
                                lib.layers.GRU(4, return_sequences=True),
                                lib.layers.TimeDistributed(lib.layers.Dense(3, activation="softmax"))])
        model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
        models.append(model)
    models[1].set_weights([np.asarray(w) for w in models[0].get_weights()])
    theirs, ours = (m.evaluate(ids, labels, verbose=0) for m in models)
    np.testing.assert_allclose(ours, theirs, rtol=1e-5)
    histories = [m.fit(ids, labels, epochs=2, batch_size=3, shuffle=False, verbose=0).history for m in models]
    np.testing.assert_allclose(histories[1]["loss"], histories[0]["loss"], rtol=1e-5)
