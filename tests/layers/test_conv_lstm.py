"""`ConvLSTM1D/2D/3D`: shapes, options, closed-form values, masks, states, dropout, gradients and errors."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers

RNG = np.random.default_rng(21)
X2 = RNG.normal(size=(2, 3, 5, 4, 2)).astype("float32")  # (batch, steps, rows, cols, channels)
MASK = np.array([[True, True, True], [False, True, False]])


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _conv2d(x, w, strides=(1, 1), padding="valid"):
    """Cross-correlation of (batch, rows, cols, in) with (kr, kc, in, out), written out with loops."""
    kr, kc = w.shape[:2]
    if padding == "same":
        pads = []
        for size, k, s in zip(x.shape[1:3], (kr, kc), strides):
            out = -(-size // s)
            total = max((out - 1) * s + k - size, 0)
            pads.append((total // 2, total - total // 2))
        x = np.pad(x, ((0, 0), pads[0], pads[1], (0, 0)))
    rows = (x.shape[1] - kr) // strides[0] + 1
    cols = (x.shape[2] - kc) // strides[1] + 1
    y = np.zeros((x.shape[0], rows, cols, w.shape[-1]))
    for r in range(rows):
        for c in range(cols):
            window = x[:, r * strides[0]:r * strides[0] + kr, c * strides[1]:c * strides[1] + kc, :]
            y[:, r, c] = np.einsum("bijk,ijko->bo", window, w)
    return y


def _reference(x, kernel, recurrent_kernel, bias, strides=(1, 1), padding="valid"):
    """The ConvLSTM equations step by step: gates [i, f, c, o] from conv(x) + b + conv_same(h)."""
    x, kernel, recurrent_kernel, bias = (np.asarray(a, np.float64) for a in (x, kernel, recurrent_kernel, bias))
    filters = recurrent_kernel.shape[-2]
    h = c = None
    outputs = []
    for t in range(x.shape[1]):
        z = _conv2d(x[:, t], kernel, strides, padding) + bias
        if h is None:
            h = c = np.zeros(z.shape[:-1] + (filters,))
        z = z + _conv2d(h, recurrent_kernel, padding="same")
        i, f, g, o = np.split(z, 4, axis=-1)
        c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
        h = _sigmoid(o) * np.tanh(c)
        outputs.append(h)
    return np.stack(outputs, axis=1), h, c


def _random_weights(layer, seed=3):
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.normal(scale=0.4, size=w.shape).astype(w.dtype) for w in layer.get_weights()])


@pytest.mark.parametrize("strides,padding", [((1, 1), "valid"), ((2, 1), "same"), ((1, 2), "valid")])
def test_values_match_the_equations_written_out(strides, padding):
    layer = layers.ConvLSTM2D(3, (3, 2), strides=strides, padding=padding, return_sequences=True,
                              return_state=True)
    layer(X2)
    _random_weights(layer)
    outputs, h, c = layer(X2)
    expected = _reference(X2, *layer.get_weights(), strides=strides, padding=padding)
    for got, want in zip((outputs, h, c), expected):
        np.testing.assert_allclose(np.asarray(got), want, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("rank,shape,options,expected", [
    (1, (2, 4, 7, 3), {}, (2, 5, 4)),
    (1, (2, 4, 7, 3), {"padding": "same", "strides": 2, "return_sequences": True}, (2, 4, 4, 4)),
    (1, (2, 4, 3, 7), {"data_format": "channels_first", "dilation_rate": 2}, (2, 4, 3)),
    (2, (2, 4, 6, 5, 3), {"return_sequences": True}, (2, 4, 4, 3, 4)),
    (2, (2, 4, 3, 6, 5), {"data_format": "channels_first", "strides": (2, 1), "padding": "same"}, (2, 4, 3, 5)),
    (3, (1, 2, 4, 4, 4, 2), {"padding": "same"}, (1, 4, 4, 4, 4)),
    (3, (1, 2, 2, 5, 4, 3), {"data_format": "channels_first", "return_sequences": True}, (1, 2, 4, 3, 2, 1)),
])
def test_output_shapes_and_compute_output_shape_agree(rank, shape, options, expected):
    layer = getattr(layers, f"ConvLSTM{rank}D")(4, 3, **options)
    out = layer(np.ones(shape, "float32"))
    assert out.shape == expected
    assert layer.compute_output_shape(shape) == expected
    symbolic = layer(keras.Input(shape[1:]))
    assert tuple(symbolic.shape) == (None,) + expected[1:]
    stateful = getattr(layers, f"ConvLSTM{rank}D")(4, 3, return_state=True, **options)
    out, h, c = stateful(np.ones(shape, "float32"))
    state_shape = expected if not options.get("return_sequences") else expected[:1] + expected[2:]
    assert h.shape == c.shape == state_shape
    assert stateful.compute_output_shape(shape) == (out.shape, state_shape, state_shape)


def test_weights_follow_keras_layout_and_unit_forget_bias():
    layer = layers.ConvLSTM2D(3, (3, 2))
    layer(X2)
    assert [(w.name, w.shape) for w in layer.weights] == [
        ("kernel", (3, 2, 2, 12)), ("recurrent_kernel", (3, 2, 3, 12)), ("bias", (12,))]
    np.testing.assert_array_equal(layer.cell.bias.numpy(), [0] * 3 + [1] * 3 + [0] * 6)
    flat = layers.ConvLSTM2D(3, 2, unit_forget_bias=False, bias_initializer="ones", use_bias=True)
    flat(X2)
    np.testing.assert_array_equal(flat.cell.bias.numpy(), np.ones(12))
    assert len(layers.ConvLSTM2D(3, 2, use_bias=False)(X2).shape) == 4
    # The recurrent kernel starts orthogonal (flattened to a matrix, as Keras's Orthogonal makes it).
    matrix = layer.cell.recurrent_kernel.numpy().reshape(-1, 12)
    np.testing.assert_allclose(matrix.T @ matrix, np.eye(12), atol=1e-5)


def test_channels_first_equals_channels_last_transposed():
    last = layers.ConvLSTM2D(3, 3, padding="same", return_sequences=True)
    last(X2)
    _random_weights(last)
    first = layers.ConvLSTM2D(3, 3, padding="same", return_sequences=True, data_format="channels_first")
    x_first = np.moveaxis(X2, -1, 2).copy()
    first(x_first)
    first.set_weights(last.get_weights())
    np.testing.assert_allclose(np.moveaxis(np.asarray(first(x_first)), 2, -1), last(X2), rtol=1e-5, atol=1e-6)


def test_image_data_format_is_the_default():
    previous = keras.config.image_data_format()
    keras.config.set_image_data_format("channels_first")
    try:
        assert layers.ConvLSTM1D(2, 2).data_format == "channels_first"
    finally:
        keras.config.set_image_data_format(previous)
    assert layers.ConvLSTM1D(2, 2).data_format == previous


def test_go_backwards_reads_the_reversed_sequence():
    forward = layers.ConvLSTM2D(2, 2, return_sequences=True)
    forward(X2)
    backward = layers.ConvLSTM2D(2, 2, return_sequences=True, go_backwards=True)
    backward(X2)
    backward.set_weights(forward.get_weights())
    np.testing.assert_allclose(backward(X2), forward(X2[:, ::-1]), rtol=1e-6, atol=1e-6)


def test_masked_steps_keep_the_states_and_trailing_padding_is_truncation():
    layer = layers.ConvLSTM2D(2, 2, return_sequences=True, return_state=True)
    layer(X2)
    _random_weights(layer)
    outputs, h, c = (np.asarray(a) for a in layer(X2, mask=MASK))
    # Sample 0 is unmasked: as without a mask.
    plain = layer(X2)
    np.testing.assert_allclose(outputs[0], np.asarray(plain[0])[0], rtol=1e-6, atol=1e-7)
    # Sample 1 starts masked (zero states: zero output), then runs step 1 alone, and step 2 repeats it.
    np.testing.assert_array_equal(outputs[1, 0], 0.0)
    alone = [np.asarray(a) for a in layer(X2[1:2, 1:2])]
    np.testing.assert_allclose(outputs[1, 1], alone[0][0, 0], rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(outputs[1, 2], outputs[1, 1])
    np.testing.assert_allclose(h[1], alone[1][0], rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(c[1], alone[2][0], rtol=1e-6, atol=1e-7)
    # The output mask follows `return_sequences`, as Keras.
    assert layer.compute_mask(X2, MASK)[0] is MASK


def test_a_mask_per_position_is_refused_with_the_per_step_mask_to_use():
    padded = X2.copy()
    padded[1, 0] = 0.0
    inputs = keras.Input(X2.shape[1:])
    conv_lstm = layers.ConvLSTM2D(2, 2)
    # Keras fails inside its loop (broadcasting); nanokeras says what to pass instead.
    model = keras.Model(inputs, conv_lstm(layers.Masking(0.0)(inputs)))
    with pytest.raises(ValueError, match=r"mask=keras.ops.any\(mask, axis=\(2, 3\)\)"):
        model(padded)
    per_position = layers.Masking(0.0).compute_mask(padded)
    step_mask = keras.ops.any(per_position, axis=(2, 3))
    np.testing.assert_array_equal(step_mask, [[True] * 3, [False, True, True]])
    np.testing.assert_allclose(np.asarray(conv_lstm(padded, mask=step_mask))[1], np.asarray(conv_lstm(padded[1:, 1:]))[0],
                               rtol=1e-6, atol=1e-7)


def test_unroll_outputs_the_previous_output_at_masked_steps():
    layer = layers.ConvLSTM1D(2, 2, return_sequences=True)
    x = X2[:, :, :, 0]
    layer(x)
    unrolled = layers.ConvLSTM1D.from_config({**layer.get_config(), "unroll": True})
    unrolled(x)
    unrolled.set_weights(layer.get_weights())
    np.testing.assert_array_equal(unrolled(x), layer(x))
    ones = [np.ones((2, 4, 2), "float32")] * 2
    rolled_out, unrolled_out = layer(x, mask=MASK, initial_state=ones), unrolled(x, mask=MASK, initial_state=ones)
    np.testing.assert_array_equal(np.asarray(rolled_out)[1, 0], 1.0)
    np.testing.assert_array_equal(np.asarray(unrolled_out)[1, 0], 0.0)


def test_initial_state_is_used():
    layer = layers.ConvLSTM2D(2, 2, return_state=True)
    zeros = [np.zeros((2, 4, 3, 2), "float32")] * 2
    np.testing.assert_array_equal(layer(X2, initial_state=zeros)[0], layer(X2)[0])
    ones = [np.ones((2, 4, 3, 2), "float32")] * 2
    assert not np.allclose(layer(X2, initial_state=ones)[0], layer(X2)[0])


def test_stateful_carries_states_until_reset():
    layer = layers.ConvLSTM2D(2, 2, stateful=True, return_sequences=True)
    whole = layers.ConvLSTM2D(2, 2, return_sequences=True)
    x = np.concatenate([X2, X2[:, ::-1]], axis=1)
    whole(x)
    layer(X2)
    layer.set_weights(whole.get_weights())
    layer.reset_states()
    first, second = np.asarray(layer(X2)), np.asarray(layer(X2[:, ::-1]))
    np.testing.assert_allclose(np.concatenate([first, second], axis=1), whole(x), rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(layer.states[0].numpy(), second[:, -1])
    layer.reset_states()
    np.testing.assert_array_equal(layer.states[1].numpy(), 0.0)
    np.testing.assert_array_equal(layer(X2), first)
    states = [s.numpy().copy() for s in layer.states]
    with pytest.raises(ValueError, match="batch size"):
        layer(X2[:1])
    for state, kept in zip(layer.states, states):  # a rejected call changes nothing
        np.testing.assert_array_equal(state.numpy(), kept)


def test_stateful_model_trains_and_keeps_states():
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(4, 3, 6, 2)).astype("float32"), rng.normal(size=(4, 1)).astype("float32")
    model = keras.Sequential([keras.Input((3, 6, 2), batch_size=2), layers.ConvLSTM1D(2, 3, stateful=True),
                              layers.Flatten(), layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(x, y, batch_size=2, epochs=2, shuffle=False, verbose=0)
    assert model.compiled_step_reason == {}
    assert np.abs(model.layers[0].states[0].numpy()).sum() > 0


def test_dropout_only_when_training_and_seeded():
    layer = layers.ConvLSTM2D(2, 2, dropout=0.5, recurrent_dropout=0.3, seed=1, return_sequences=True)
    inference = layer(X2)
    np.testing.assert_array_equal(layer(X2, training=False), inference)
    trained = layer(X2, training=True)
    assert not np.allclose(trained, inference)
    twin = layers.ConvLSTM2D(2, 2, dropout=0.5, recurrent_dropout=0.3, seed=1, return_sequences=True)
    twin(X2[:1])
    twin.set_weights(layer.get_weights())
    np.testing.assert_array_equal(twin(X2, training=True), trained)
    # Input dropout alone: each gate sees its own dropped copy of the inputs, the same at every step.
    only_input = layers.ConvLSTM1D(2, 1, dropout=0.5, seed=4, use_bias=False, return_sequences=True)
    x = np.ones((1, 3, 4, 1), "float32")
    out = np.asarray(only_input(x, training=True))
    reference = np.asarray(only_input(x))
    assert not np.allclose(out, reference)
    with keras.GradientTape() as tape:
        loss = keras.ops.sum(layer(X2, training=True))
    assert all(g is not None for g in tape.gradient(loss, layer.trainable_weights))


def test_gradients_match_finite_differences_through_time():
    x = RNG.normal(size=(2, 3, 4, 1))
    layer = layers.ConvLSTM1D(2, 2, padding="same", go_backwards=True, return_sequences=True, dtype="float64")
    layer(x)
    _random_weights(layer, seed=8)
    weights = [w.copy() for w in layer.get_weights()]
    mask = np.array([[True, True, True], [True, False, True]])
    probe = np.random.default_rng(0).normal(size=(2, 3, 4, 2))

    def loss(values, inputs):
        layer.set_weights(values)
        return float(np.sum(np.asarray(layer(inputs, mask=mask)) * probe))

    variable = keras.Variable(x, dtype="float64")
    layer.set_weights(weights)
    with keras.GradientTape() as tape:
        out = layer(variable, mask=mask)
        objective = keras.ops.sum(keras.ops.multiply(out, probe))
    grads = tape.gradient(objective, list(layer.trainable_weights) + [variable])
    eps = 1e-6
    for k, analytic in enumerate(grads):
        target = weights[k] if k < len(weights) else x
        numeric = np.zeros_like(target)
        for j in np.ndindex(target.shape):
            plus, minus = target.copy(), target.copy()
            plus[j] += eps
            minus[j] -= eps
            if k < len(weights):
                values = [plus if i == k else w for i, w in enumerate(weights)]
                low = [minus if i == k else w for i, w in enumerate(weights)]
                numeric[j] = (loss(values, x) - loss(low, x)) / (2 * eps)
            else:
                numeric[j] = (loss(weights, plus) - loss(weights, minus)) / (2 * eps)
        np.testing.assert_allclose(np.asarray(analytic), numeric, rtol=1e-5, atol=1e-7, err_msg=f"gradient {k}")


def test_bad_arguments_get_clear_errors_naming_the_layer():
    with pytest.raises(ValueError, match=r"ConvLSTM2D: `padding` must be one of 'valid', 'same'"):
        layers.ConvLSTM2D(2, 3, padding="causal")
    with pytest.raises(ValueError, match="ConvLSTM1D: `strides > 1` is not supported together with"):
        layers.ConvLSTM1D(2, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="ConvLSTM3D: `filters` must be a positive integer"):
        layers.ConvLSTM3D(0, 3)
    with pytest.raises(ValueError, match="ConvLSTM2D: `kernel_size` must be an int or a tuple of 2 ints"):
        layers.ConvLSTM2D(2, (3, 3, 3))
    with pytest.raises(ValueError, match="ConvLSTM2D: `data_format` must be"):
        layers.ConvLSTM2D(2, 3, data_format="NHWC")
    with pytest.raises(ValueError, match="ConvLSTM2D: `dropout` must be a float"):
        layers.ConvLSTM2D(2, 3, dropout="half")


def test_bad_inputs_get_clear_errors_and_change_nothing():
    layer = layers.ConvLSTM2D(2, 2)
    layer(X2)
    before = layer.get_weights()
    with pytest.raises(ValueError, match=r"expects inputs of rank 5 \(batch, steps, rows, cols, channels\)"):
        layer(X2[0])
    with pytest.raises(ValueError, match=r"was built for steps of shape \(5, 4, 2\)"):
        layer(X2[:, :, :4])
    with pytest.raises(ValueError, match="`mask` must have shape"):
        layer(X2, mask=np.ones((2, 4), bool))
    with pytest.raises(ValueError, match=r"expects 2 initial states \[h, c\], each of shape \(2, 4, 3, 2\)"):
        layer(X2, initial_state=[np.zeros((2, 4, 3, 2))])
    with pytest.raises(ValueError, match=r"`initial_state\[1\]` must have shape \(2, 4, 3, 2\)"):
        layer(X2, initial_state=[np.zeros((2, 4, 3, 2)), np.zeros((2, 5, 4, 2))])
    for a, b in zip(before, layer.get_weights()):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="rank 4"):
        layers.ConvLSTM1D(2, 2)(X2)
    with pytest.raises(ValueError, match="the output would be empty"):
        layers.ConvLSTM2D(2, 6)(X2)
    with pytest.raises(ValueError, match="fixed spatial shape"):
        layers.ConvLSTM2D(2, 2)(keras.Input((3, None, 4, 2)))
    with pytest.raises(ValueError, match="batch size must be fixed"):
        keras.Sequential([keras.Input((3, 5, 4, 2)), layers.ConvLSTM2D(2, 2, stateful=True)])


def test_properties_follow_the_cell():
    layer = layers.ConvLSTM2D(4, 3, strides=2, dropout=0.1, unit_forget_bias=False, activation="relu")
    assert (layer.filters, layer.kernel_size, layer.strides, layer.dropout, layer.unit_forget_bias) == (
        4, (3, 3), (2, 2), 0.1, False)
    assert layer.activation is keras.activations.relu


@pytest.mark.parametrize("make,shape", [
    (lambda: layers.ConvLSTM1D(3, 2, return_sequences=True, dropout=0.1, seed=3, kernel_regularizer="l2"), (4, 5, 2)),
    (lambda: layers.ConvLSTM2D(2, (2, 3), padding="same", data_format="channels_first", go_backwards=True,
                               return_state=True, recurrent_constraint="non_neg"), (3, 2, 5, 4)),
    (lambda: layers.ConvLSTM3D(2, 2, strides=(1, 2, 1), activation="relu", recurrent_activation="hard_sigmoid",
                               unit_forget_bias=False, use_bias=False), (2, 3, 4, 3, 1)),
])
def test_configs_round_trip_and_models_save_and_load(tmp_path, make, shape):
    layer = make()
    again = layers.deserialize(layers.serialize(layer))
    assert again.get_config() == layer.get_config()
    inputs = keras.Input(shape)
    model = keras.Model(inputs, layer(inputs))
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    x = np.random.default_rng(1).normal(size=(2,) + shape).astype("float32")
    expected, got = model(x), loaded(x)
    for a, b in zip(got if isinstance(got, (list, tuple)) else [got],
                    expected if isinstance(expected, (list, tuple)) else [expected]):
        np.testing.assert_array_equal(a, b)
