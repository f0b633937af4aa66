"""Recurrent layers: options, states, dropout, the step-by-step path, stacking, wrappers, errors, configs."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers

RNG = np.random.default_rng(0)
X = RNG.normal(size=(3, 5, 4)).astype("float32")
MASK = np.array([[True] * 5, [False, False, True, True, True], [True, True, True, False, False]])
KINDS = ["SimpleRNN", "LSTM", "GRU"]


def _make(kind, units=3, **kwargs):
    return getattr(layers, kind)(units, **kwargs)


@pytest.mark.parametrize("kind", KINDS)
def test_output_and_state_shapes(kind):
    states = 2 if kind == "LSTM" else 1
    assert _make(kind)(X).shape == (3, 3)
    assert _make(kind, return_sequences=True)(X).shape == (3, 5, 3)
    out = _make(kind, return_state=True, return_sequences=True)(X)
    assert len(out) == 1 + states and out[0].shape == (3, 5, 3) and all(s.shape == (3, 3) for s in out[1:])
    layer = _make(kind, return_state=True)
    assert layer.compute_output_shape((None, 5, 4)) == ((None, 3),) + ((None, 3),) * states
    symbolic = layer(keras.Input((None, 4)))
    assert [t.shape for t in symbolic] == [(None, 3)] * (1 + states)


@pytest.mark.parametrize("kind", KINDS)
def test_go_backwards_reads_the_reversed_sequence(kind):
    forward = _make(kind, return_sequences=True)
    outputs = forward(X[:, ::-1])
    backward = layers.deserialize(layers.serialize(forward))
    backward_config = backward.get_config()
    backward_config["go_backwards"] = True
    backward = type(forward).from_config(backward_config)
    backward(X[:1])
    backward.set_weights(forward.get_weights())
    np.testing.assert_allclose(backward(X), outputs, rtol=1e-5, atol=1e-7)  # float32: BLAS may sum in another order


@pytest.mark.parametrize("kind", KINDS)
def test_initial_state_is_used_and_zeros_are_the_default(kind):
    layer = _make(kind, return_state=True)
    out = layer(X)
    count = 2 if kind == "LSTM" else 1
    zeros = [np.zeros((3, 3), "float32")] * count
    again = layer(X, initial_state=zeros)
    for a, b in zip(out, again):
        np.testing.assert_array_equal(a, b)
    other = layer(X, initial_state=[np.ones((3, 3), "float32")] * count)
    assert not np.allclose(other[0], out[0])


@pytest.mark.parametrize("kind", KINDS)
def test_stateful_layers_carry_states_until_reset(kind):
    layer = _make(kind, stateful=True)
    first = layer(X)
    second = layer(X)
    assert not np.allclose(first, second)
    layer.reset_states()
    np.testing.assert_array_equal(layer(X), first)
    np.testing.assert_array_equal(layer.states[0].numpy(), first if kind != "LSTM" else layer.states[0].numpy())
    with pytest.raises(ValueError, match="batch size"):
        layer(X[:2])


def test_stateful_needs_a_fixed_batch_size():
    with pytest.raises(ValueError, match="batch size must be fixed"):
        keras.Sequential([keras.Input((5, 4)), layers.LSTM(2, stateful=True)])
    model = keras.Sequential([keras.Input((5, 4), batch_size=3), layers.LSTM(2, stateful=True)])
    assert model(X).shape == (3, 2)


def test_fit_and_evaluate_on_a_stateful_model_start_from_its_states():
    # fit/evaluate look at the model's outputs on one sample first; that look must neither fail on
    # the fixed batch size nor touch the states (fit = train_on_batch over the same batches).
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(6, 5, 4)).astype("float32"), rng.normal(size=(6, 1)).astype("float32")
    models = []
    for _ in range(2):
        keras.utils.set_random_seed(4)
        model = keras.Sequential([keras.Input((5, 4), batch_size=3), layers.LSTM(2, stateful=True), layers.Dense(1)])
        model.compile(keras.optimizers.SGD(0.1), "mse")
        models.append(model)
    models[0].fit(x, y, batch_size=3, epochs=1, shuffle=False, verbose=0)
    models[1].train_on_batch(x[:3], y[:3])
    models[1].train_on_batch(x[3:], y[3:])
    for a, b in zip(models[0].weights + models[0].layers[0].states, models[1].weights + models[1].layers[0].states):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6, atol=1e-7)
    states = [s.numpy().copy() for s in models[0].layers[0].states]
    models[0].evaluate(x[:3], y[:3], batch_size=3, verbose=0)
    models[1].test_on_batch(x[:3], y[:3])
    for a, b in zip(models[0].layers[0].states, models[1].layers[0].states):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6, atol=1e-7)
    assert not np.allclose(states[0], models[0].layers[0].states[0].numpy())


@pytest.mark.parametrize("kind", KINDS)
def test_dropout_only_when_training_and_seeded(kind):
    layer = _make(kind, dropout=0.5, recurrent_dropout=0.3, seed=1)
    inference = layer(X)
    np.testing.assert_array_equal(layer(X, training=False), inference)
    trained = layer(X, training=True)
    assert not np.allclose(trained, inference)
    twin = _make(kind, dropout=0.5, recurrent_dropout=0.3, seed=1)
    twin(X[:1])
    twin.set_weights(layer.get_weights())
    np.testing.assert_array_equal(twin(X, training=True), trained)  # same seed, same masks


@pytest.mark.parametrize("kind", KINDS)
def test_unroll_gives_the_same_numbers(kind):
    layer = _make(kind, return_sequences=True)
    layer(X[:1])
    unrolled = type(layer).from_config({**layer.get_config(), "unroll": True})
    unrolled(X[:1])
    unrolled.set_weights(layer.get_weights())
    np.testing.assert_array_equal(unrolled(X), layer(X))
    # Masked steps before any real one output zeros when unrolled (the previous output), the state otherwise.
    state = [np.ones((3, 3), "float32")] * (2 if kind == "LSTM" else 1)
    rolled_out = layer(X, mask=MASK, initial_state=state)
    unrolled_out = unrolled(X, mask=MASK, initial_state=state)
    np.testing.assert_array_equal(unrolled_out[1, :2], 0.0)
    np.testing.assert_array_equal(rolled_out[1, :2], 1.0)
    np.testing.assert_array_equal(unrolled_out[:, 2:], rolled_out[:, 2:])


@pytest.mark.parametrize("kind", ["SimpleRNN", "LSTM", "GRU"])
@pytest.mark.parametrize("options", [{}, {"go_backwards": True, "return_state": True},
                                     {"zero_output_for_mask": True}, {"unroll": True}])
def test_step_by_step_path_equals_the_fused_op(kind, options):
    cell_class = getattr(layers, kind + "Cell")

    class SameCell(cell_class):  # a subclass: runs step by step through its `call`
        pass

    fused = layers.RNN(cell_class(3), return_sequences=True, **options)
    expected = fused(X, mask=MASK)
    stepwise = layers.RNN(SameCell(3), return_sequences=True, **options)
    stepwise(X[:1])
    stepwise.set_weights(fused.get_weights())
    assert stepwise._fused_spec() is None and fused._fused_spec() is not None
    got = stepwise(X, mask=MASK)
    for a, b in zip(got if isinstance(got, tuple) else [got], expected if isinstance(expected, tuple) else [expected]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_unusual_activation_runs_step_by_step_and_trains():
    layer = layers.LSTM(3, activation="elu", return_sequences=True)
    assert layer(X).shape == (3, 5, 3) and layer._fused_spec() is None
    with keras.GradientTape() as tape:
        loss = keras.ops.sum(layer(X, training=True))
    assert all(g is not None for g in tape.gradient(loss, layer.trainable_weights))


class MinimalRNNCell(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), name="recurrent_kernel")

    def call(self, inputs, states):
        output = keras.ops.matmul(inputs, self.kernel) + keras.ops.matmul(states[0], self.recurrent_kernel)
        return output, [output]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def test_custom_cell_and_its_gradients():
    layer = layers.RNN(MinimalRNNCell(2), return_sequences=True, return_state=True)
    outputs, state = layer(X)
    w, u = layer.cell.kernel.numpy(), layer.cell.recurrent_kernel.numpy()
    h = np.zeros((3, 2), "float32")
    for t in range(5):
        h = X[:, t] @ w + h @ u
        np.testing.assert_allclose(outputs[:, t], h, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(state, h, rtol=1e-5, atol=1e-6)
    with keras.GradientTape() as tape:
        loss = keras.ops.sum(layer(X)[0])
    assert all(g is not None for g in tape.gradient(loss, layer.trainable_weights))


@pytest.mark.parametrize("masked", [False, True])
def test_stacked_cells_equal_layers_one_after_another(masked):
    stacked = layers.RNN([layers.LSTMCell(3), layers.GRUCell(2)], return_sequences=True, return_state=True)
    outputs, lstm_states, (gru_state,) = stacked(X, mask=MASK if masked else None)
    first, second = layers.LSTM(3, return_sequences=True, return_state=True), layers.GRU(2, return_sequences=True,
                                                                                         return_state=True)
    first(X[:1]), second(np.zeros((1, 5, 3), "float32"))
    first.set_weights(stacked.cell.cells[0].get_weights())
    second.set_weights(stacked.cell.cells[1].get_weights())
    h1, h, c = first(X, mask=MASK if masked else None)
    expected, g = second(h1, mask=MASK if masked else None)
    np.testing.assert_allclose(outputs, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(lstm_states[1], c, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(gru_state, g, rtol=1e-5, atol=1e-6)
    assert isinstance(stacked.cell, layers.StackedRNNCells) and stacked.cell.output_size == 2


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "ave", "mul", None])
def test_bidirectional_merges_both_directions(merge_mode):
    layer = layers.Bidirectional(layers.GRU(3, return_sequences=True), merge_mode=merge_mode)
    out = layer(X, mask=MASK)
    forward = layer.forward_layer(X, mask=MASK)
    backward = layer.backward_layer(X, mask=MASK)[:, ::-1]
    expected = {"concat": lambda: np.concatenate([forward, backward], -1), "sum": lambda: forward + backward,
                "ave": lambda: (forward + backward) / 2, "mul": lambda: forward * backward,
                None: lambda: [forward, backward]}[merge_mode]()
    for a, b in zip(out if merge_mode is None else [out], expected if merge_mode is None else [expected]):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    assert layer.forward_layer.name.startswith("forward_") and layer.backward_layer.go_backwards
    assert layer.forward_layer.zero_output_for_mask  # as Keras, with return_sequences


def test_bidirectional_states_initial_states_and_weights():
    layer = layers.Bidirectional(layers.LSTM(2, return_state=True))
    out = layer(X)
    assert len(out) == 5 and out[0].shape == (3, 4)
    states = [np.full((3, 2), v, "float32") for v in (0.1, 0.2, 0.3, 0.4)]
    with_states = layer(X, initial_state=states)
    np.testing.assert_allclose(with_states[1], layer.forward_layer(X, initial_state=states[:2])[1], rtol=1e-6)
    assert len(layer.weights) == 6
    assert layer.compute_output_shape((None, 5, 4)) == ((None, 4), (None, 2), (None, 2), (None, 2), (None, 2))
    weights = [w + 1.0 for w in layer.get_weights()]
    again = layers.Bidirectional(layers.LSTM(2), weights=weights)
    again(X)
    for a, b in zip(again.get_weights(), weights):
        np.testing.assert_array_equal(a, b)


def test_bidirectional_bad_arguments():
    with pytest.raises(ValueError, match="Layer` instance"):
        layers.Bidirectional("lstm")
    with pytest.raises(ValueError, match="merge mode"):
        layers.Bidirectional(layers.LSTM(2), merge_mode="max")
    with pytest.raises(ValueError, match="go_backwards"):
        layers.Bidirectional(layers.LSTM(2), backward_layer=layers.LSTM(2))
    custom = layers.Bidirectional(layers.RNN(MinimalRNNCell(2)))  # clones with the cell's class
    assert custom(X).shape == (3, 4)


def test_time_distributed_applies_the_layer_at_each_step():
    dense = layers.Dense(2)
    wrapper = layers.TimeDistributed(dense)
    out = wrapper(X)
    for t in range(5):
        np.testing.assert_allclose(out[:, t], dense(X[:, t]), rtol=1e-6)
    assert wrapper.compute_output_shape((None, 5, 4)) == (None, 5, 2)
    norm = layers.TimeDistributed(layers.BatchNormalization())
    trained = norm(X, training=True)
    np.testing.assert_allclose(trained.mean(axis=0), 0.0, atol=1e-5)  # statistics per step, as Keras 3
    with pytest.raises(ValueError, match="at least 3 dimensions"):
        layers.TimeDistributed(layers.Dense(2))(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match="Layer` instance"):
        layers.TimeDistributed(np.sum)
    with pytest.raises(ValueError, match="mask"):
        wrapper(X, mask=np.ones((3, 4), bool))


@pytest.mark.parametrize("kind", KINDS)
def test_bad_inputs_get_clear_errors_and_change_nothing(kind):
    layer = _make(kind)
    layer(X)
    before = layer.get_weights()
    with pytest.raises(ValueError, match="rank 3"):
        layer(X[0])
    with pytest.raises(ValueError, match="`mask` must have shape"):
        layer(X, mask=np.ones((3, 4), bool))
    with pytest.raises(ValueError, match="initial state"):
        layer(X, initial_state=[np.zeros((3, 3))] * 3)
    with pytest.raises(ValueError, match=r"initial_state\[0\]` must have shape"):
        layer(X, initial_state=[np.zeros((3, 5))] * (2 if kind == "LSTM" else 1))
    with pytest.raises(ValueError, match="units"):
        _make(kind, units=0)
    with pytest.raises(ValueError, match="dropout"):
        _make(kind, dropout="a lot")
    for a, b in zip(before, layer.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_properties_follow_the_cell():
    layer = layers.LSTM(4, dropout=0.1, unit_forget_bias=False)
    assert (layer.units, layer.dropout, layer.unit_forget_bias) == (4, 0.1, False)
    assert layers.GRU(2, reset_after=False).reset_after is False
    bias = layers.LSTM(2)
    bias(X)
    np.testing.assert_array_equal(bias.cell.bias.numpy(), [0, 0, 1, 1, 0, 0, 0, 0])  # unit_forget_bias


@pytest.mark.parametrize("make", [
    lambda: layers.LSTM(3, return_sequences=True, dropout=0.1, seed=3),
    lambda: layers.GRU(2, reset_after=False, go_backwards=True),
    lambda: layers.SimpleRNN(2, activation="relu", return_state=True),
    lambda: layers.RNN([layers.LSTMCell(3), layers.GRUCell(2)], return_sequences=True),
    lambda: layers.Bidirectional(layers.LSTM(2, return_sequences=True), merge_mode="sum"),
    lambda: layers.TimeDistributed(layers.Dense(3)),
])
def test_configs_round_trip_and_models_save_and_load(tmp_path, make):
    layer = make()
    again = layers.deserialize(layers.serialize(layer))
    assert again.get_config() == layer.get_config()
    inputs = keras.Input((5, 4))
    model = keras.Model(inputs, layer(inputs))
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    expected = model(X)
    got = loaded(X)
    for a, b in zip(got if isinstance(got, (list, tuple)) else [got],
                    expected if isinstance(expected, (list, tuple)) else [expected]):
        np.testing.assert_array_equal(a, b)
