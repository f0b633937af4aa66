"""ConvLSTM1D/2D/3D against real Keras 3: same weights => same outputs, states and gradients; `.keras` files
both ways.

Masks: Keras on JAX applies a padding mask to ConvLSTM outputs only in its unrolled loop (its `lax.scan`
loop does not broadcast the (batch, 1) step mask against (batch, *spatial, filters) states and fails), so
masked gradients are compared with `unroll=True`, and the rolled loop's masked outputs and states with Keras
on TensorFlow, run in a subprocess.
"""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import nanokeras as nk
from tests.parity.conftest import skip_or_fail
from tests.parity.sequence_parity import compare_layer

RNG = np.random.default_rng(17)
# channels_last inputs per rank: (batch, steps, *spatial, channels)
INPUTS = {1: RNG.normal(size=(2, 4, 7, 3)).astype("float32"),
          2: RNG.normal(size=(2, 3, 6, 5, 2)).astype("float32"),
          3: RNG.normal(size=(2, 3, 4, 3, 4, 2)).astype("float32")}
MASK = np.array([[True, True, True], [False, True, True]])

OPTIONS = [
    ("default", {}),
    ("same_sequences_state", {"padding": "same", "return_sequences": True, "return_state": True}),
    ("strided_backwards", {"strides": 2, "go_backwards": True, "return_state": True}),
    ("dilated_same", {"dilation_rate": 2, "padding": "same", "return_sequences": True}),
    ("relu_hard_sigmoid_no_bias", {"activation": "relu", "recurrent_activation": "hard_sigmoid", "use_bias": False,
                                   "kernel_size": 2}),
]


def _inputs(rank, data_format):
    x = INPUTS[rank]
    return x if data_format == "channels_last" else np.ascontiguousarray(np.moveaxis(x, -1, 2))


def _make(rank, options, data_format):
    options = dict(options)
    kernel_size = options.pop("kernel_size", 3 if rank < 3 else 2)
    return lambda lib: getattr(lib.layers, f"ConvLSTM{rank}D")(2, kernel_size, data_format=data_format, **options)


# Each option on some rank and data format (each Keras case costs seconds of XLA compiling).
CASES = [(1, "default", "channels_last"), (1, "strided_backwards", "channels_first"),
         (1, "relu_hard_sigmoid_no_bias", "channels_last"), (2, "same_sequences_state", "channels_last"),
         (2, "dilated_same", "channels_first"), (2, "strided_backwards", "channels_last"),
         (3, "default", "channels_first"), (3, "same_sequences_state", "channels_last"),
         (3, "dilated_same", "channels_last")]


@pytest.mark.parametrize("rank,name,data_format", CASES, ids=[f"{r}d-{n}-{f}" for r, n, f in CASES])
def test_conv_lstm_layers_match(keras, rank, name, data_format):
    options = dict(OPTIONS)[name]
    if rank == 3 and options.get("dilation_rate"):
        options = {**options, "dilation_rate": (1, 2, 1)}
    compare_layer(keras, _make(rank, options, data_format), [_inputs(rank, data_format)], perturb=0.1)


@pytest.mark.parametrize("rank,data_format", [(1, "channels_last"), (2, "channels_first"), (3, "channels_last")])
def test_masked_unrolled_layers_match(keras, rank, data_format):
    x = _inputs(rank, data_format)
    mask = np.ones(x.shape[:2], bool)
    mask[1, :2] = False
    mask[0, -1] = False
    options = {"return_sequences": True, "return_state": True, "unroll": True, "padding": "same"}
    compare_layer(keras, _make(rank, options, data_format), [x], {"mask": mask}, perturb=0.1)


def test_bidirectional_conv_lstm(keras):
    compare_layer(keras, lambda lib: lib.layers.Bidirectional(
        lib.layers.ConvLSTM2D(2, 2, padding="same", return_sequences=True), merge_mode="sum"),
        [INPUTS[2]], perturb=0.1)


def test_initial_states_and_their_gradients(keras):
    x = INPUTS[2]

    def make(lib):
        class WithStates(lib.layers.Layer):
            def __init__(self):
                super().__init__()
                self.rnn = lib.layers.ConvLSTM2D(2, 3, padding="same", return_sequences=True, return_state=True)

            def build(self, input_shape):
                self.states = [self.add_weight(shape=(2, 6, 5, 2), initializer="random_normal", name=f"state_{i}")
                               for i in range(2)]
                self.rnn.build(input_shape)

            def call(self, x):
                return self.rnn(x, initial_state=list(self.states))

        return WithStates()

    compare_layer(keras, make, [x], perturb=0.1)


def test_stateful_layers_carry_the_same_states(keras):
    x = INPUTS[1]
    theirs, ours = keras.layers.ConvLSTM1D(2, 3, stateful=True), nk.layers.ConvLSTM1D(2, 3, stateful=True)
    theirs(x), ours(x)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    ours.reset_states()
    theirs.reset_states()
    for _ in range(3):
        np.testing.assert_allclose(np.asarray(ours(x)), np.asarray(theirs(x)), rtol=1e-5, atol=1e-5)
    for a, b in zip(ours.states, theirs.states):
        np.testing.assert_allclose(a.numpy(), np.asarray(b.value), rtol=1e-5, atol=1e-5)
    ours.reset_states()
    theirs.reset_states()
    np.testing.assert_allclose(np.asarray(ours(x)), np.asarray(theirs(x)), rtol=1e-5, atol=1e-5)


def test_configs_are_keras_configs(keras):
    for make in (lambda lib: lib.layers.ConvLSTM2D(3, (2, 3), strides=(2, 1), padding="same", dropout=0.2,
                                                   recurrent_dropout=0.1, seed=4, return_sequences=True,
                                                   kernel_regularizer="l2", recurrent_constraint="non_neg"),
                 lambda lib: lib.layers.ConvLSTM1D(2, 3, data_format="channels_first", unit_forget_bias=False,
                                                   go_backwards=True, stateful=True, unroll=True),
                 lambda lib: lib.layers.ConvLSTM3D(2, 2, activation="relu", use_bias=False)):
        theirs, ours = make(keras), make(nk)
        their_config, our_config = (json.loads(json.dumps(lib.layers.serialize(layer)))
                                    for lib, layer in ((keras, theirs), (nk, ours)))
        their_config["config"].pop("name"), our_config["config"].pop("name")
        assert our_config == their_config
        again = keras.layers.deserialize(json.loads(json.dumps(nk.layers.serialize(ours))))
        assert type(again).__name__ == type(ours).__name__


_TENSORFLOW_SCRIPT = textwrap.dedent("""
    import os, sys
    os.environ["KERAS_BACKEND"] = "tensorflow"
    import numpy as np
    import keras
    for case in sys.argv[1:]:
        data = np.load(case + ".in.npz")
        layer = keras.layers.ConvLSTM2D(2, 3, return_sequences=True, return_state=True,
                                        data_format=str(data["data_format"]), go_backwards=bool(data["go_backwards"]))
        layer(data["x"])
        layer.set_weights([data["kernel"], data["recurrent_kernel"], data["bias"]])
        outputs = layer(data["x"], mask=data["mask"])
        np.savez(case + ".out.npz", *[np.asarray(o) for o in outputs])
""")

MASKED_CASES = [("channels_last", False), ("channels_first", True)]


def test_masked_rolled_loop_matches_keras_on_tensorflow(keras, tmp_path):
    try:
        import tensorflow  # noqa: F401  (only to know it is there; Keras runs it in a subprocess)
    except ImportError as error:
        skip_or_fail(f"Keras's masked ConvLSTM reference needs TensorFlow ({error}); install tensorflow-cpu")
    ours, cases = [], []
    for k, (data_format, go_backwards) in enumerate(MASKED_CASES):
        x = _inputs(2, data_format)
        layer = nk.layers.ConvLSTM2D(2, 3, return_sequences=True, return_state=True, data_format=data_format,
                                     go_backwards=go_backwards)
        layer(x)
        rng = np.random.default_rng(5 + k)
        weights = [rng.normal(scale=0.4, size=w.shape).astype("float32") for w in layer.get_weights()]
        layer.set_weights(weights)
        case = str(tmp_path / f"case{k}")
        np.savez(case + ".in.npz", x=x, mask=MASK, kernel=weights[0], recurrent_kernel=weights[1],
                 bias=weights[2], data_format=data_format, go_backwards=go_backwards)
        ours.append(layer(x, mask=MASK))
        cases.append(case)
    script = tmp_path / "reference.py"
    script.write_text(_TENSORFLOW_SCRIPT)
    env = {**os.environ, "KERAS_BACKEND": "tensorflow", "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}
    run = subprocess.run([sys.executable, str(script)] + cases, capture_output=True, text=True, env=env,
                         timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    for case, got in zip(cases, ours):
        expected = np.load(case + ".out.npz")
        for i, value in enumerate(got):
            np.testing.assert_allclose(np.asarray(value), expected[f"arr_{i}"], rtol=1e-5, atol=1e-5)


def _model(lib):
    L = lib.layers
    return lib.Sequential([
        lib.Input((3, 6, 5, 2)),
        L.ConvLSTM2D(3, 3, padding="same", return_sequences=True, recurrent_dropout=0.1, seed=2),
        L.ConvLSTM2D(2, (2, 3), strides=(2, 1), go_backwards=True, unit_forget_bias=False),
        L.Flatten(), L.Dense(2),
    ])


def test_nanokeras_saves_keras_loads(keras, tmp_path):
    nk.utils.set_random_seed(0)
    model = _model(nk)
    model.compile("adam", "mse")
    x = INPUTS[2]
    model.fit(x, np.asarray(model.predict(x, verbose=0)) * 0.5, epochs=1, verbose=0)
    path = str(tmp_path / "conv_lstm.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_allclose(np.asarray(loaded.predict(x, verbose=0)), model.predict(x, verbose=0),
                               rtol=1e-4, atol=1e-5)
    assert [type(layer).__name__ for layer in loaded.layers] == [type(layer).__name__ for layer in model.layers]


def test_keras_saves_nanokeras_loads_and_trains(keras, tmp_path):
    keras.utils.set_random_seed(0)
    model = _model(keras)
    model.compile("adam", "mse")
    x = INPUTS[2]
    model.fit(x, np.asarray(model.predict(x, verbose=0)) * 0.5, epochs=1, verbose=0)
    path = str(tmp_path / "conv_lstm.keras")
    model.save(path)
    loaded = nk.saving.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), np.asarray(model.predict(x, verbose=0)),
                               rtol=1e-4, atol=1e-5)
    for ours, theirs in zip(loaded.layers, model.layers):
        config_ours, config_theirs = ours.get_config(), theirs.get_config()
        config_ours.pop("name"), config_theirs.pop("name")
        assert set(config_ours) == set(config_theirs), type(ours).__name__
    loaded.fit(x, loaded.predict(x, verbose=0) * 0.5, epochs=1, verbose=0)
