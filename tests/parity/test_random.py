"""`keras.random` against real Keras: bit for bit with Keras's numpy backend (run in a subprocess),
and seed-generator states, configs, shapes and dtypes against Keras on JAX."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import nanokeras
from nanokeras import random

# Every call below runs on nanokeras and, in a subprocess, on real Keras with KERAS_BACKEND=numpy.
SCRIPT = """
import json
import numpy as np
out = {}
out["normal_int_seed"] = keras.random.normal((3, 2), seed=42).tolist()
g = keras.random.SeedGenerator(7)
out["uniform_generator"] = [keras.random.uniform((3,), minval=-2.0, maxval=1.0, seed=g).tolist() for _ in range(2)]
out["generator_state"] = np.asarray(g.state.value).tolist()
keras.utils.set_random_seed(5)
out["global_generator"] = [keras.random.normal((2,)).tolist() for _ in range(3)]
out["normal_float64"] = keras.random.normal((2,), mean=3.0, stddev=2.0, dtype="float64", seed=8).tolist()
out["truncated_normal"] = keras.random.truncated_normal((7,), mean=1.0, stddev=0.3, seed=3).tolist()
out["randint"] = keras.random.randint((6,), -4, 10, seed=3).tolist()
out["randint_int64"] = keras.random.randint((6,), 0, 3, dtype="int64", seed=3).tolist()
out["categorical"] = keras.random.categorical(np.array([[0.1, 0.5, 1.0], [2.0, 0.0, -1.0]], "float32"), 6,
                                              seed=9).tolist()
x = np.arange(1, 25, dtype="float32").reshape(2, 3, 4)
out["dropout"] = keras.random.dropout(x, 0.5, seed=4).tolist()
out["dropout_noise_shape"] = keras.random.dropout(x, 0.3, noise_shape=(None, 1, 4), seed=4).tolist()
out["shuffle_axis1"] = keras.random.shuffle(np.arange(12).reshape(3, 4), axis=1, seed=2).tolist()
out["shuffle_axis0"] = keras.random.shuffle(np.arange(12.0).reshape(3, 4), seed=2).tolist()
out["gamma"] = keras.random.gamma((3,), 2.0, seed=1).tolist()
out["beta"] = keras.random.beta((3,), 2.0, 3.0, seed=1).tolist()
out["binomial"] = keras.random.binomial((3,), 10, 0.3, seed=1).tolist()
print(json.dumps(out))
"""


def test_values_equal_keras_numpy_backend_bit_for_bit(keras):
    env = dict(os.environ, KERAS_BACKEND="numpy")
    done = subprocess.run([sys.executable, "-c", "import keras\n" + SCRIPT], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    theirs = json.loads(done.stdout.strip().splitlines()[-1])
    namespace = {"keras": nanokeras}
    import contextlib
    import io

    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):
        exec(SCRIPT, namespace)  # noqa: S102  (our own test script)
    ours = json.loads(captured.getvalue())
    for name in theirs:
        assert ours[name] == theirs[name], name


def test_seed_generator_states_and_configs_match_keras(keras):
    ours, theirs = random.SeedGenerator(seed=1234, name="g"), keras.random.SeedGenerator(seed=1234, name="g")
    for ordered in (True, True, False, True, False, False):
        assert ours.next(ordered=ordered).tolist() == np.asarray(theirs.next(ordered=ordered)).tolist()
        assert ours.state.numpy().tolist() == np.asarray(theirs.state.value).tolist()
    assert ours.get_config() == theirs.get_config()
    assert ours.state.path == theirs.state.path and ours.state.dtype == np.dtype(str(theirs.state.dtype))


@pytest.mark.parametrize("name,call", [
    ("normal", lambda m: m.random.normal((2, 3), seed=1)),
    ("uniform", lambda m: m.random.uniform((4,), seed=1)),
    ("truncated_normal", lambda m: m.random.truncated_normal((2, 2), seed=1)),
    ("randint", lambda m: m.random.randint((3,), 0, 4, seed=1)),
    ("categorical", lambda m: m.random.categorical(np.zeros((2, 3), "float32"), 5, seed=1)),
    ("gamma", lambda m: m.random.gamma((2,), 1.5, seed=1)),
    ("beta", lambda m: m.random.beta((2,), 1.5, 2.0, seed=1)),
    ("binomial", lambda m: m.random.binomial((2,), 4, 0.5, seed=1)),
    ("dropout", lambda m: m.random.dropout(np.ones((2, 3), "float32"), 0.5, seed=1)),
    ("shuffle", lambda m: m.random.shuffle(np.ones((2, 3), "float32"), seed=1)),
])
def test_shapes_and_dtypes_match_keras_on_jax(keras, name, call):
    ours, theirs = np.asarray(call(nanokeras)), np.asarray(call(keras))
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype


def test_dropout_rescales_as_keras_on_jax(keras):
    x = np.arange(1, 13, dtype="float32").reshape(3, 4)
    ours, theirs = np.asarray(random.dropout(x, 0.25, seed=0)), np.asarray(keras.random.dropout(x, 0.25, seed=0))
    # Different generators draw different masks; kept entries are scaled the same way.
    np.testing.assert_allclose(ours[ours != 0], x[ours != 0] / 0.75, rtol=1e-7)
    np.testing.assert_allclose(theirs[theirs != 0], x[theirs != 0] / 0.75, rtol=1e-7)
