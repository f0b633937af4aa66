"""`keras.random`: seeding rules, dtypes, errors, gradients and replays of the random ops."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import ops, random
from nanokeras.ops.trace import Trace
from tests.ops.gradient_check import check_gradients

SAMPLERS = {
    "normal": lambda seed: random.normal((3, 4), seed=seed),
    "uniform": lambda seed: random.uniform((3, 4), minval=-1.0, maxval=2.0, seed=seed),
    "truncated_normal": lambda seed: random.truncated_normal((3, 4), mean=1.0, stddev=0.5, seed=seed),
    "randint": lambda seed: random.randint((3, 4), 0, 7, seed=seed),
    "categorical": lambda seed: random.categorical(np.log([[0.2, 0.8], [0.5, 0.5]]), 5, seed=seed),
    "gamma": lambda seed: random.gamma((3, 4), 2.0, seed=seed),
    "beta": lambda seed: random.beta((3, 4), 2.0, 3.0, seed=seed),
    "binomial": lambda seed: random.binomial((3, 4), 5, 0.5, seed=seed),
    "dropout": lambda seed: random.dropout(np.ones((3, 4), "float32"), 0.5, seed=seed),
    "shuffle": lambda seed: random.shuffle(np.arange(12.0).reshape(3, 4), axis=1, seed=seed),
}


@pytest.mark.parametrize("name", list(SAMPLERS))
def test_int_seeds_repeat_and_generators_advance(name):
    draw = SAMPLERS[name]
    np.testing.assert_array_equal(draw(11), draw(11))
    generator = random.SeedGenerator(11)
    first, second = draw(generator), draw(generator)
    assert not np.array_equal(first, second) or name == "categorical"
    np.testing.assert_array_equal(first, draw(11))  # a generator's first seed is [seed, 0], as the int's
    assert generator.state.numpy().tolist() == [11, 2]


@pytest.mark.parametrize("name", list(SAMPLERS))
def test_set_random_seed_makes_unseeded_draws_reproducible(name):
    draw = SAMPLERS[name]
    keras.utils.set_random_seed(3)
    first = [draw(None) for _ in range(3)]
    keras.utils.set_random_seed(3)
    np.testing.assert_array_equal(np.stack(first), np.stack([draw(None) for _ in range(3)]))


def test_numpy_seed_alone_makes_unseeded_generators_reproducible():
    from nanokeras.backend import random as backend_random

    saved = backend_random._generator
    backend_random._generator = None  # as in a program that never called set_random_seed
    try:
        np.random.seed(0)
        a = random.normal((3,), seed=random.SeedGenerator())
        np.random.seed(0)
        np.testing.assert_array_equal(a, random.normal((3,), seed=random.SeedGenerator()))
    finally:
        backend_random._generator = saved


def test_default_dtypes_and_values_in_range():
    assert random.normal((2,)).dtype == np.float32 and random.normal((2,), dtype="float64").dtype == np.float64
    assert random.randint((100,), 2, 5, dtype="int64").dtype == np.int64
    r = random.randint((1000,), 2, 5, seed=1)
    assert r.min() == 2 and r.max() == 4
    t = random.truncated_normal((2000,), mean=1.0, stddev=0.5, seed=2)
    assert t.min() >= 0.0 and t.max() <= 2.0 and abs(t.mean() - 1.0) < 0.05
    u = random.uniform((2000,), -1.0, 3.0, seed=3)
    assert u.min() >= -1.0 and u.max() < 3.0 and abs(u.mean() - 1.0) < 0.1
    c = random.categorical(np.log([[0.1, 0.9]]), 4000, seed=4)
    assert c.shape == (1, 4000) and c.dtype == np.int32 and abs(c.mean() - 0.9) < 0.02
    assert random.binomial((2,), 3, 0.5).dtype == np.float32


def test_dropout_scales_kept_entries_and_honours_noise_shape():
    x = np.arange(1.0, 25.0, dtype="float32").reshape(2, 3, 4)
    y = random.dropout(x, 0.25, noise_shape=(None, 1, 4), seed=5)
    kept = y != 0
    assert (kept == kept[:, :1, :]).all()  # the same mask at every step
    np.testing.assert_allclose(y[kept], x[kept] / 0.75, rtol=1e-6)
    assert random.dropout(x, 0.0) is x and not random.dropout(x, 1.0).any()


def test_shuffle_permutes_each_slice_along_the_axis():
    x = np.arange(12).reshape(3, 4)
    y = random.shuffle(x, axis=1, seed=7)
    assert (np.sort(y, axis=1) == x).all()
    z = random.shuffle(x, axis=0, seed=7)
    assert (np.sort(z, axis=0) == x).all()


@pytest.mark.parametrize("call,match", [
    (lambda: random.uniform((2,), dtype="int32"), "floating point `dtype`"),
    (lambda: random.normal((2,), dtype="int32"), "floating point `dtype`"),
    (lambda: random.randint((2,), 0, 3, dtype="float32"), "integer `dtype`"),
    (lambda: random.randint((2,), 3, 3), "minval < maxval"),
    (lambda: random.categorical(np.zeros(3), 2), "2-D"),
    (lambda: random.normal((2, -1)), "shape"),
    (lambda: random.normal((2,), seed="a"), "SeedGenerator"),
    (lambda: random.normal((2,), seed=2**32), r"\[0, 2\*\*32\)"),
    (lambda: random.dropout(np.ones(2), 1.5), r"\[0, 1\]"),
    (lambda: random.dropout(np.ones((2, 3)), 0.5, noise_shape=(2, 2)), "noise_shape"),
    (lambda: random.shuffle(np.ones(3), axis=1), "axis"),
    (lambda: random.SeedGenerator(1.5), "integer"),
    (lambda: random.SeedGenerator(1, dtype="int32"), "Unrecognized"),
])
def test_bad_arguments_are_clear_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_a_rejected_call_does_not_advance_the_generator():
    generator = random.SeedGenerator(4)
    with pytest.raises(ValueError):
        random.uniform((2,), dtype="int32", seed=generator)
    assert generator.state.numpy().tolist() == [4, 0]


def test_seed_generator_state_config_and_unordered_steps():
    generator = random.SeedGenerator(seed=123, name="noise")
    assert generator.state.path == "noise/seed_generator_state" and generator.state.dtype == np.uint32
    assert not generator.state.trainable
    assert generator.next(ordered=False).tolist() == [123, 0]
    assert generator.state.numpy().tolist() == [(124 * 5387) % 933199, 5387]
    restored = random.SeedGenerator.from_config(generator.get_config())
    assert restored.get_config() == {"seed": 123, "name": "noise"}


def test_dropout_and_shuffle_gradients_match_finite_differences():
    x = np.random.default_rng(0).standard_normal((3, 4))
    check_gradients(lambda v: random.dropout(v, 0.4, seed=3), x)
    check_gradients(lambda v: random.dropout(v, 0.4, noise_shape=(1, 4), seed=3), x)
    check_gradients(lambda v: random.shuffle(v, axis=1, seed=3), x)
    check_gradients(lambda v: random.shuffle(v, seed=3), x)


def _recorded_step(fn, x, w):
    with keras.GradientTape() as tape:
        loss = ops.sum(ops.multiply(fn(x), w))
    return tape, loss


@pytest.mark.parametrize("fn", [
    lambda x, g: random.dropout(x, 0.5, seed=g),
    lambda x, g: random.shuffle(x, axis=1, seed=g),
    lambda x, g: ops.multiply(x, random.normal((3, 4), seed=g)),
    lambda x, g: ops.add(x, random.uniform((3, 4), seed=g, dtype=x.dtype)),
], ids=["dropout", "shuffle", "normal", "uniform"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_a_replay_draws_the_next_seed_as_a_new_call_would(fn, dtype):
    x = keras.Variable(np.random.default_rng(1).standard_normal((3, 4)), dtype=dtype)
    w = np.random.default_rng(2).standard_normal((3, 4)).astype(dtype)
    recording, reference = random.SeedGenerator(9), random.SeedGenerator(9)
    with keras.GradientTape() as tape:
        out = fn(x, recording)
        loss = ops.sum(ops.multiply(out, w))
    trace = Trace(tape)
    assert trace.replayable
    fn(x, reference)  # the reference generator draws what the recording drew
    for step in range(2):
        x.assign(x.value * 1.5 + step)
        trace.forward()
        replayed = trace.gradients(loss, [x])[0]
        with keras.GradientTape() as tape:
            expected_out = fn(x, reference)
            expected_loss = ops.sum(ops.multiply(expected_out, w))
        expected = tape.gradient(expected_loss, x)
        assert np.asarray(out.value).tobytes() == np.asarray(expected_out.value).tobytes()
        assert np.asarray(replayed).tobytes() == np.asarray(expected).tobytes()
    assert recording.state.numpy().tolist() == reference.state.numpy().tolist()


def test_int_seeded_draws_are_constants_of_a_trace():
    x = keras.Variable(np.ones((3, 4)))
    with keras.GradientTape() as tape:
        noise = random.normal((3, 4), seed=1)
        ops.sum(ops.multiply(x, noise))
    assert type(noise) is np.ndarray and len(tape._nodes) == 2


def test_symbolic_inputs():
    inputs = keras.Input((4,))
    outputs = keras.layers.Lambda(lambda t: random.dropout(t, 0.5, seed=1))(inputs)
    model = keras.Model(inputs, outputs)
    assert model.predict(np.ones((2, 4)), verbose=0).shape == (2, 4)


def test_random_ops_on_symbolic_tensors_build_graph_steps():
    inputs = keras.Input((4,))
    dropped = random.dropout(inputs, 0.5, seed=1)
    shuffled = random.shuffle(inputs, axis=1, seed=2)
    assert dropped.shape == (None, 4) and shuffled.shape == (None, 4)
    model = keras.Model(inputs, [dropped, shuffled])
    a, b = model.predict(np.arange(8.0).reshape(2, 4), verbose=0)
    assert set(np.unique(a)) <= {0.0, *(2 * np.arange(8.0))} and (np.sort(b, axis=1) == np.arange(8.0).reshape(2, 4)).all()
