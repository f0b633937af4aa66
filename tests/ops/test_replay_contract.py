"""The compiled step's contract for every op: a recorded node replays bit for bit.

For each op (the same cases as the gradient checks), record it on a tape, write
new values into its inputs IN PLACE (as a compiled step writes the next batch),
call every node's `forward` and walk the same nodes backwards. The values and
gradients must equal, bit for bit, those of recording the op afresh on the new
values. An op that captured something its `forward` does not refresh (a mask, a
converted copy of an input, a scalar) fails here.
"""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import ops
from nanokeras.ops.tensor import Constant
from nanokeras.ops.trace import Trace
from tests.ops import test_nn_math_core_gradients as nn_cases
from tests.ops import test_numpy_gradients as np_cases

def _weights(shape, dtype):
    return np.random.default_rng(99).standard_normal(shape).astype(dtype)


def _run(fn, sources):
    with keras.GradientTape() as tape:
        out = fn(*sources)
        loss = ops.sum(ops.multiply(out, _weights(np.shape(ops.convert_to_numpy(out)), out.dtype)))
    return tape, out, loss


def _perturbed(x, seed):
    noise = np.random.default_rng(seed).uniform(-0.05, 0.05, size=np.shape(x))
    return (np.asarray(x) * (1 + noise)).astype(np.asarray(x).dtype)


def _check_replay(fn, sources):
    variables = [s for s in sources if isinstance(s, keras.Variable)]
    tape, out, loss = _run(fn, sources)
    trace = Trace(tape)
    assert trace.replayable, f"ops without a replay (`forward`): {trace.unreplayable_ops()}"
    for i, s in enumerate(sources):
        s.value[...] = _perturbed(s.value, seed=i + 7)
    trace.forward()
    replayed = trace.gradients(loss, variables)
    tape2, out2, loss2 = _run(fn, sources)  # the reference: recording afresh on the new values
    expected = tape2.gradient(loss2, variables)
    np.testing.assert_array_equal(np.asarray(out.value), np.asarray(ops.convert_to_numpy(out2)))
    np.testing.assert_array_equal(np.asarray(loss.value), np.asarray(ops.convert_to_numpy(loss2)))
    for i, (r, e) in enumerate(zip(replayed, expected)):
        if e is None:
            assert r is None, f"input {i}: replay gives a gradient where recording gives none"
            continue
        np.testing.assert_array_equal(np.asarray(r), np.asarray(ops.convert_to_numpy(e)), err_msg=f"gradient {i}")
        assert np.asarray(r).dtype == np.asarray(ops.convert_to_numpy(e)).dtype


def _params(cases):
    return [pytest.param(*case[1:], id=case[0]) for case in cases]


ALL_CASES = np_cases.CASES + nn_cases.CASES


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("fn,inputs", _params(ALL_CASES))
def test_op_replays_bit_for_bit(fn, inputs, dtype):
    sources = [keras.Variable(np.asarray(x, dtype), dtype=dtype) for x in inputs]
    _check_replay(fn, sources)


def _labels(shape, classes, seed=3):
    return np.random.default_rng(seed).integers(0, classes, size=shape)


def _probabilities(shape, seed=4):
    p = np.random.default_rng(seed).uniform(0.05, 1.0, size=shape)
    return p / p.sum(-1, keepdims=True)


# Cases where some inputs are data (a `Constant`: replayed, never differentiated).
DATA_CASES = [
    ("binary_crossentropy_probs", lambda t, o: ops.binary_crossentropy(t, o),
     [("data", _labels((4, 1), 2)), ("weight", _probabilities((4, 2))[:, :1])]),
    ("binary_crossentropy_logits", lambda t, o: ops.binary_crossentropy(t, o, from_logits=True),
     [("data", _labels((4, 3), 2)), ("weight", np.linspace(-3, 3, 12).reshape(4, 3))]),
    ("categorical_crossentropy_probs", lambda t, o: ops.categorical_crossentropy(t, o),
     [("data", np.eye(3)[_labels((5,), 3)]), ("weight", _probabilities((5, 3)))]),
    ("categorical_crossentropy_logits", lambda t, o: ops.categorical_crossentropy(t, o, from_logits=True),
     [("data", np.eye(3)[_labels((5,), 3)]), ("weight", np.linspace(-2, 2, 15).reshape(5, 3))]),
    ("sparse_categorical_crossentropy_probs", lambda t, o: ops.sparse_categorical_crossentropy(t, o),
     [("labels", _labels((5,), 3)), ("weight", _probabilities((5, 3)))]),
    ("sparse_categorical_crossentropy_logits",
     lambda t, o: ops.sparse_categorical_crossentropy(t, o, from_logits=True),
     [("labels", _labels((5,), 3)), ("weight", np.linspace(-2, 2, 15).reshape(5, 3))]),
    ("multiply_by_data", ops.multiply, [("data", np.linspace(0.5, 2, 6)), ("weight", np.linspace(-1, 1, 6))]),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("fn,inputs", _params(DATA_CASES))
def test_op_replays_with_new_data(fn, inputs, dtype):
    sources = []
    for kind, x in inputs:
        if kind == "weight":
            sources.append(keras.Variable(np.asarray(x, dtype), dtype=dtype))
        elif kind == "data":
            sources.append(Constant(np.asarray(x, dtype)))
        else:  # integer labels stay integers
            sources.append(Constant(np.asarray(x, "int32")))
    variables = [s for s in sources if isinstance(s, keras.Variable)]
    tape, out, loss = _run(fn, sources)
    trace = Trace(tape)
    assert trace.replayable, f"ops without a replay (`forward`): {trace.unreplayable_ops()}"
    rng = np.random.default_rng(11)
    for (kind, x), s in zip(inputs, sources):
        if kind == "labels":
            s.value[...] = rng.permutation(s.value)
        elif kind == "data":
            s.value[...] = s.value[::-1]  # other samples, same shapes
        else:
            s.value[...] = _perturbed(s.value, seed=5)
    trace.forward()
    replayed = trace.gradients(loss, variables)
    tape2, out2, _ = _run(fn, sources)
    expected = tape2.gradient(_, variables)
    np.testing.assert_array_equal(np.asarray(out.value), ops.convert_to_numpy(out2))
    for r, e in zip(replayed, expected):
        np.testing.assert_array_equal(np.asarray(r), ops.convert_to_numpy(e))


def test_a_trace_names_the_ops_it_cannot_replay():
    w = keras.Variable([1.0, 2.0])

    def no_replay(x):
        from nanokeras.ops.tape import record

        return record(x.value * 2, (x,), lambda g: (g * 2,))

    with keras.GradientTape() as tape:
        ops.sum(no_replay(w))
    trace = Trace(tape)
    assert not trace.replayable
    assert trace.unreplayable_ops() == ["test_a_trace_names_the_ops_it_cannot_replay"]
