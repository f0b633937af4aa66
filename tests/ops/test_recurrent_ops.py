"""The fused recurrent op, the embedding lookup, the mask ops and the direction merge.

Gradients are checked against finite differences in float64 (through time, with
masks, dropout, every output mode), against the step-by-step reference built
from differentiable ops, second derivatives through the composite fallback, and
the replay contract (a recorded node replays bit for bit on new values).
"""

import itertools

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import ops
from nanokeras.ops.directions import merge_directions
from nanokeras.ops.embedding import embedding_lookup
from nanokeras.ops.masking import derived_mask, mask_and, mask_or, zero_masked_steps, zero_where_masked
from nanokeras.ops.recurrent import _Run, dropout_masks, recurrent_sequence
from nanokeras.ops.recurrent_reference import reference_packed
from nanokeras.ops.tensor import Constant
from nanokeras.ops.trace import Trace
from tests.ops.gradient_check import check_gradients, gradient_of
from tests.ops.test_replay_contract import _check_replay

GATES = {"simple_rnn": 1, "lstm": 4, "gru": 3}
BATCH, STEPS, FEATURES, UNITS = 3, 4, 3, 2


def _mask():
    mask = np.ones((BATCH, STEPS), dtype=bool)
    mask[0, :2] = False  # left padding
    mask[1, -1] = False  # right padding
    mask[2, 1] = False  # a hole
    return mask


def _inputs(kind, reset_after=True, use_bias=True, seed=0):
    rng = np.random.default_rng(seed)
    g = GATES[kind]
    x = rng.normal(size=(BATCH, STEPS, FEATURES))
    w = rng.normal(size=(FEATURES, g * UNITS)) * 0.6
    u = rng.normal(size=(UNITS, g * UNITS)) * 0.6
    b = rng.normal(size=(2, g * UNITS) if kind == "gru" and reset_after else (g * UNITS,)) if use_bias else None
    states = [rng.normal(size=(BATCH, UNITS)) for _ in range(2 if kind == "lstm" else 1)]
    return x, w, u, b, states


def _generator(seed=3):
    return lambda: np.random.default_rng(seed)  # the same masks at every call: finite differences see one function


def _summed(fn, *args):
    """`fn`'s outputs and states reduced with ops that replay (a replay check needs every op to)."""
    outputs, final = fn(*args, flat=False)
    total = ops.sum(ops.multiply(outputs, 0.5))
    for k, state in enumerate(final):
        total = ops.add(total, ops.sum(ops.multiply(state, 1.0 + k)))
    return total


def _op(kind, return_sequences, reset_after=True, use_bias=True, **options):
    states_count = 2 if kind == "lstm" else 1

    def fn(x, w, u, *rest, flat=True):
        b = rest[0] if use_bias else None
        states = list(rest[1:] if use_bias else rest)
        assert len(states) == states_count
        outputs, final = recurrent_sequence(kind, x, w, u, b, states, return_sequences=return_sequences,
                                            reset_after=reset_after, **options)
        if not flat:
            return outputs, final
        flat = [ops.reshape(outputs, (-1,))] + [ops.reshape(s, (-1,)) for s in final]
        return ops.concatenate(flat, axis=0)

    return fn


OPTIONS = [
    ("plain", {}),
    ("backwards", {"go_backwards": True}),
    ("masked_state", {"mask": _mask()}),
    ("masked_zeros_backwards", {"mask": _mask(), "masked_output": "zeros", "go_backwards": True}),
    ("masked_previous_output", {"mask": _mask(), "masked_output": "previous_output"}),
    ("dropout", {"dropout": 0.3, "recurrent_dropout": 0.4, "generator": _generator()}),
    ("dropout_per_gate_masked", {"dropout": 0.3, "recurrent_dropout": 0.4, "per_gate_dropout": True,
                                 "generator": _generator(), "mask": _mask()}),
    ("relu_linear", {"activation": "relu", "recurrent_activation": "hard_sigmoid"}),
]


def _cases():
    for kind, (name, options), sequences in itertools.product(GATES, OPTIONS, (False, True)):
        variants = [(True, True)]
        if kind == "gru":
            variants.append((False, True))
        if name == "plain":
            variants.append((True, False))
        for reset_after, use_bias in variants:
            label = f"{kind}-{name}-{'seq' if sequences else 'last'}-{'ra' if reset_after else 'rb'}" \
                    f"{'' if use_bias else '-nobias'}"
            yield pytest.param(kind, options, sequences, reset_after, use_bias, id=label)


@pytest.mark.parametrize("kind,options,sequences,reset_after,use_bias", list(_cases()))
def test_gradients_through_time_match_finite_differences(kind, options, sequences, reset_after, use_bias):
    x, w, u, b, states = _inputs(kind, reset_after, use_bias)
    inputs = [x, w, u] + ([b] if use_bias else []) + states
    check_gradients(_op(kind, sequences, reset_after, use_bias, **options), *inputs, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("kind,options,sequences,reset_after,use_bias", list(_cases()))
def test_fused_loop_equals_the_step_by_step_ops(kind, options, sequences, reset_after, use_bias):
    x, w, u, b, states = _inputs(kind, reset_after, use_bias)
    options = dict(options)
    run = _Run(kind, x, w, u, b if use_bias else None, states, options.pop("activation", "tanh"),
               options.pop("recurrent_activation", "sigmoid"), options.pop("mask", None),
               options.pop("go_backwards", False), sequences, options.pop("masked_output", "state"), reset_after,
               options.pop("dropout", 0.0), options.pop("recurrent_dropout", 0.0),
               options.pop("per_gate_dropout", False), options.pop("generator", None), None)
    fused = np.array(run.compute())
    reference = reference_packed(run, x, w, u, b if use_bias else None, states)
    np.testing.assert_allclose(fused, np.asarray(reference), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("kind", list(GATES))
def test_second_derivatives_go_through_the_step_by_step_ops(kind):
    x, w, u, b, states = _inputs(kind)
    fn = _op(kind, True, mask=_mask())
    check_gradients(gradient_of(fn, wrt=1), x, w, u, b, *states, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("kind,options,sequences,reset_after,use_bias", list(_cases()))
def test_recurrent_op_replays_bit_for_bit(kind, options, sequences, reset_after, use_bias):
    x, w, u, b, states = _inputs(kind, reset_after, use_bias)
    sources = [keras.Variable(a.astype("float32"), dtype="float32")
               for a in [x, w, u] + ([b] if use_bias else []) + states]
    fused = _op(kind, sequences, reset_after, use_bias, **options)
    _check_replay(lambda *args: _summed(fused, *args), sources)


def test_replay_draws_new_dropout_masks_and_follows_new_masks():
    x, w, u, b, states = _inputs("lstm")
    generator = np.random.default_rng(5)
    data = Constant(x.astype("float32"))
    mask = Constant(_mask())
    weights = [keras.Variable(a.astype("float32")) for a in (w, u, b)]
    initial = [s.astype("float32") for s in states]

    def run():
        outputs, _ = recurrent_sequence("lstm", data, *weights, initial, return_sequences=True,
                                        mask=derived_mask(np.asarray, mask), dropout=0.5,
                                        recurrent_dropout=0.5, generator=lambda: generator)
        return ops.sum(ops.multiply(outputs, 1.5))

    with keras.GradientTape() as tape:
        loss = run()
    trace = Trace(tape)
    assert trace.replayable
    first = float(loss.value)
    generator_state = generator.bit_generator.state
    mask.value[...] = np.ones_like(mask.value)
    data.value[...] = data.value[::-1]
    trace.forward()
    replayed = float(loss.value)
    replayed_grads = trace.gradients(loss, weights)
    generator.bit_generator.state = generator_state  # a fresh call draws what the replay drew
    with keras.GradientTape() as tape:
        fresh = run()
    assert replayed == float(fresh.value) and replayed != first
    for a, e in zip(replayed_grads, tape.gradient(fresh, weights)):
        np.testing.assert_array_equal(a, e)


def test_recurrent_op_writes_final_states_into_state_variables():
    x, w, u, b, states = _inputs("gru")
    variables = [keras.Variable(s.astype("float32"), trainable=False) for s in states]
    outputs, final = recurrent_sequence("gru", x.astype("float32"), w.astype("float32"), u.astype("float32"),
                                        b.astype("float32"), variables, state_variables=variables)
    np.testing.assert_array_equal(variables[0].numpy(), final[0])


# ------------------------------------------------------------------ embedding
def test_embedding_lookup_values_gradient_and_replay():
    table = np.arange(12.0).reshape(4, 3)
    ids = np.array([[0, 3, 3], [1, 0, 2]])
    np.testing.assert_array_equal(embedding_lookup(table, ids), table[ids])
    check_gradients(lambda t: embedding_lookup(t, ids), table)
    source = keras.Variable(table.astype("float32"))
    data = Constant(ids.copy())
    with keras.GradientTape() as tape:
        loss = ops.sum(ops.multiply(embedding_lookup(source, data), np.arange(18.0).reshape(2, 3, 3)))
    trace = Trace(tape)
    data.value[...] = [[2, 2, 1], [0, 3, 3]]
    trace.forward()
    expected = np.zeros((4, 3), "float32")
    np.add.at(expected, data.value.reshape(-1), np.arange(18.0, dtype="float32").reshape(6, 3))
    np.testing.assert_array_equal(trace.gradients(loss, [source])[0], expected)
    assert float(loss.value) == float(np.sum(table[data.value] * np.arange(18.0).reshape(2, 3, 3)))


@pytest.mark.parametrize("bad", [4, -1, 100])
def test_embedding_lookup_refuses_ids_out_of_range(bad):
    with pytest.raises(ValueError, match=rf"id {bad} .* must be in \[0, 4\)"):
        embedding_lookup(np.zeros((4, 2)), np.array([[0, bad]]), owner="Embedding 'e'")


def test_embedding_lookup_replay_refuses_ids_out_of_range():
    data = Constant(np.array([[1, 2]]))
    with keras.GradientTape() as tape:
        ops.sum(embedding_lookup(keras.Variable(np.zeros((3, 2))), data))
    trace = Trace(tape)
    data.value[...] = [[1, 3]]
    with pytest.raises(ValueError, match="id 3"):
        trace.forward()


# ---------------------------------------------------------------- mask ops
def test_mask_ops_replay_from_new_data():
    data = Constant(np.array([[[1.0, 0.0], [0.0, 0.0], [2.0, 3.0]]]))
    weight = keras.Variable(np.ones((1, 3, 2)))
    with keras.GradientTape() as tape:
        zeroed, mask = zero_masked_steps(ops.multiply(data, weight), 0.0)
        also = derived_mask(lambda a: a[..., 0] > 0, data)
        both, either = mask_and(mask, also), mask_or(mask, also)
        out = zero_where_masked(ops.multiply(zeroed, 2.0), both)
        loss = ops.sum(out)
    trace = Trace(tape)
    assert trace.replayable
    data.value[...] = [[[0.0, 0.0], [4.0, 0.0], [0.0, 5.0]]]
    trace.forward()
    np.testing.assert_array_equal(mask.value, [[False, True, True]])
    np.testing.assert_array_equal(both.value, [[False, True, False]])
    np.testing.assert_array_equal(either.value, [[False, True, True]])
    np.testing.assert_array_equal(out.value, [[[0, 0], [8, 0], [0, 0]]])
    np.testing.assert_array_equal(trace.gradients(loss, [weight])[0], [[[0, 0], [8, 0], [0, 0]]])
    assert mask_and(None, None) is None and mask_or(None, mask.value) is mask.value


def test_zero_masked_steps_gradient_flows_through_kept_steps_only():
    # At a masked step the function jumps (any change unmasks it): its gradient is 0, as Keras's `where`.
    x = keras.Variable(np.array([[[1.0, 2.0], [0.0, 0.0], [0.5, 0.0]]]))
    with keras.GradientTape() as tape:
        out, mask = zero_masked_steps(x, 0.0)
        loss = ops.sum(ops.multiply(out, np.array([2.0, 3.0])))
    np.testing.assert_array_equal(mask, [[True, False, True]])
    np.testing.assert_array_equal(tape.gradient(loss, x), [[[2, 3], [0, 0], [2, 3]]])


def test_dropout_masks_are_redrawn_by_a_replay():
    generator = np.random.default_rng(0)
    like = Constant(np.ones((4, 3)))
    with keras.GradientTape() as tape:
        masks = dropout_masks(like, 0.5, 2, lambda: generator)
        ops.sum(masks)
    first = np.array(masks.value)
    assert masks.value.shape == (2, 4, 3) and set(np.unique(first)) <= {0.0, 2.0}
    Trace(tape).forward()
    assert not np.array_equal(first, masks.value)


# ----------------------------------------------------------- direction merge
@pytest.mark.parametrize("mode", ["concat", "sum", "ave", "mul", None])
@pytest.mark.parametrize("flip", [False, True])
def test_merge_directions_gradients_and_replay(mode, flip):
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(2, 3, 2)), rng.normal(size=(2, 3, 2))
    check_gradients(lambda x, y: merge_directions(x, y, mode, flip), a, b)
    check_gradients(gradient_of(lambda x, y: merge_directions(x, y, mode, flip), wrt=1), a, b)
    _check_replay(lambda x, y: merge_directions(x, y, mode, flip),
                  [keras.Variable(a.astype("float32")), keras.Variable(b.astype("float32"))])
