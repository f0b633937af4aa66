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
from nanokeras import activations, ops
from nanokeras.ops import crossentropy as ce
from nanokeras.ops import fused
from nanokeras.ops.tensor import Constant, Tensor
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


def _assert_same_bits(actual, expected, what):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.dtype == expected.dtype and actual.shape == expected.shape, (
        f"{what}: {actual.dtype}{actual.shape} != {expected.dtype}{expected.shape}")
    if not np.ascontiguousarray(actual).tobytes() == np.ascontiguousarray(expected).tobytes():
        np.testing.assert_array_equal(actual, expected, err_msg=what)  # shows where
        raise AssertionError(f"{what}: equal values with different bits (signed zeros or NaN payloads)")


def _next_values(source, step):
    """New values for a source, as the next batch would bring them (same shape and dtype)."""
    value = source.value
    if isinstance(source, keras.Variable):
        return _perturbed(value, seed=7 * step + value.size)
    if value.dtype.kind in "iub":  # labels or indices: other samples, same range
        return np.random.default_rng(step).permutation(value.reshape(-1)).reshape(value.shape)
    return np.roll(value, step, axis=0) if value.ndim else value * 0.5  # other samples


def _check_replay(fn, sources, steps=2, next_values=_next_values):
    """Records `fn` once, then for each step writes new values in place, replays, and compares
    bit for bit with a fresh recording on those values (values and gradients). Two steps:
    the second replay reuses whatever arrays the first one kept."""
    variables = [s for s in sources if isinstance(s, keras.Variable)]
    tape, out, loss = _run(fn, sources)
    trace = Trace(tape)
    assert trace.replayable, f"ops without a replay (`forward`): {trace.unreplayable_ops()}"
    for step in range(1, steps + 1):
        for s in sources:
            s.value[...] = next_values(s, step)
        trace.forward()
        replayed = trace.gradients(loss, variables)
        tape2, out2, loss2 = _run(fn, sources)  # the reference: recording afresh on the new values
        expected = tape2.gradient(loss2, variables)
        _assert_same_bits(out.value, ops.convert_to_numpy(out2), f"step {step}: output")
        _assert_same_bits(loss.value, ops.convert_to_numpy(loss2), f"step {step}: loss")
        for i, (r, e) in enumerate(zip(replayed, expected)):
            if e is None:
                assert r is None, f"input {i}: replay gives a gradient where recording gives none"
                continue
            _assert_same_bits(r, ops.convert_to_numpy(e), f"step {step}: gradient {i}")
    return trace


def _params(cases):
    return [pytest.param(case[1], case[2], id=case[0]) for case in cases]


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


def _uniform(*shape, low=-2.0, high=2.0, seed=5):
    return np.random.default_rng(seed + sum(shape)).uniform(low, high, size=shape)


# Ops the layers and losses use, on data that changes between steps.
DATA_CASES += [
    ("cast_int_data", lambda d, w: ops.multiply(ops.cast(d, "float32"), w),
     [("labels", _labels((4, 3), 5)), ("weight", _uniform(4, 3))]),
    ("cast_to_int_and_back", lambda w: ops.multiply(ops.cast(ops.cast(ops.multiply(w, 3.0), "int32"), w.dtype), w),
     [("weight", _uniform(4, 3))]),
    ("getitem_data_indices", lambda i, w: w[i], [("labels", _labels((6,), 4)), ("weight", _uniform(4, 3))]),
    ("getitem_data_indices_and_slice", lambda i, w: w[i, 1:], [("labels", _labels((6,), 4)), ("weight", _uniform(4, 3))]),
    ("getitem_slices_of_data", lambda d, w: ops.multiply(d[1:, ::2], w), [("data", _uniform(4, 4)), ("weight", _uniform(3, 2))]),
    ("getitem_int_of_data", lambda d, w: ops.multiply(d[2], w), [("data", _uniform(4, 3)), ("weight", _uniform(3))]),
    ("concatenate_data_and_weights", lambda d, w: ops.concatenate([d, w], axis=1),
     [("data", _uniform(3, 2)), ("weight", _uniform(3, 4))]),
    ("stack_data_and_weights", lambda d, w: ops.stack([d, w], axis=-1), [("data", _uniform(3, 2)), ("weight", _uniform(3, 2))]),
    ("reshape_non_contiguous_weights", lambda w: ops.reshape(ops.transpose(w), (-1,)), [("weight", _uniform(3, 4))]),
    ("reshape_non_contiguous_data", lambda d, w: ops.multiply(ops.reshape(ops.transpose(d), (4, 3)), w),
     [("data", _uniform(3, 4)), ("weight", _uniform(4, 3))]),
    ("transpose_data", lambda d, w: ops.matmul(ops.transpose(d), w), [("data", _uniform(4, 3)), ("weight", _uniform(4, 2))]),
    ("take_data_indices", lambda i, w: ops.take(w, i, axis=0), [("labels", _labels((6,), 4)), ("weight", _uniform(4, 3))]),
    ("take_flat_data_indices", lambda i, w: ops.take(w, i), [("labels", _labels((2, 3), 12)), ("weight", _uniform(4, 3))]),
    ("take_along_axis_data_indices", lambda i, w: ops.take_along_axis(w, i, axis=1),
     [("labels", _labels((4, 2), 3)), ("weight", _uniform(4, 3))]),
    ("one_hot_labels", lambda y, w: ops.sum(ops.multiply(ops.one_hot(y, 4), w), axis=-1),
     [("labels", _labels((5,), 4)), ("weight", _uniform(5, 4))]),
    ("one_hot_axis0", lambda y, w: ops.multiply(ops.one_hot(y, 4, axis=0), w),
     [("labels", _labels((5,), 4)), ("weight", _uniform(4, 5))]),
    ("moments_keepdims", lambda d, w: ops.concatenate(ops.moments(ops.multiply(d, w), axes=[1], keepdims=True), axis=1),
     [("data", _uniform(3, 4)), ("weight", _uniform(3, 4))]),
    ("batch_normalization_3d_axis1",
     lambda d, m, v, b, s: ops.batch_normalization(d, m, v, axis=1, offset=b, scale=s),
     [("data", _uniform(2, 3, 4)), ("weight", _uniform(3)), ("weight", _uniform(3, low=0.5)), ("weight", _uniform(3)),
      ("weight", _uniform(3, seed=9))]),
    ("logsumexp_of_data", lambda d, w: ops.logsumexp(ops.multiply(d, w), axis=-1),
     [("data", _uniform(3, 4)), ("weight", _uniform(3, 4))]),
    # Values exactly on the bounds (d + 0 == d): the gradient there is 1/2, as JAX.
    ("clip_at_bounds", lambda d, w: ops.clip(ops.add(d, w), -1.0, 1.0),
     [("data", np.array([[-1.5, -1.0, 0.25], [1.0, 0.5, 2.0]])), ("weight", np.zeros((2, 3)))]),
    ("where_tensor_condition", lambda d, w: ops.where(ops.greater(d, 0), w, ops.multiply(w, 2.0)),
     [("data", _uniform(4, 3)), ("weight", _uniform(4, 3))]),
    ("where_data_condition", lambda c, w: ops.where(c, w, 0.0),
     [("data", _labels((4, 3), 2)), ("weight", _uniform(4, 3))]),
    ("relu_with_threshold", lambda d, w: activations.relu(ops.multiply(d, w), threshold=0.5, max_value=2.0),
     [("data", _uniform(4, 3)), ("weight", _uniform(4, 3))]),
    ("argmax_of_data", lambda d, w: ops.take_along_axis(w, ops.expand_dims(ops.argmax(d, axis=1), 1), axis=1),
     [("data", _uniform(4, 3)), ("weight", _uniform(4, 3))]),
    ("segment_sum_data_ids", lambda i, w: ops.segment_sum(w, i, num_segments=3),
     [("labels", np.array([0, 2, 1, 0, 2])), ("weight", _uniform(5, 2))]),
    ("norm_ord0_of_data", lambda d, w: ops.multiply(ops.norm(ops.multiply(d, w), ord=0, axis=1), 1.0),
     [("data", _labels((3, 4), 2)), ("weight", _uniform(3, 4))]),
    ("hinge_like_maximum", lambda d, w: ops.maximum(ops.subtract(1.0, ops.multiply(d, w)), 0.0),
     [("data", _uniform(4, 3)), ("weight", _uniform(4, 3))]),
    ("elu_of_data", lambda d, w: ops.elu(ops.multiply(d, w)), [("data", _uniform(4, 3)), ("weight", _uniform(4, 3))]),
    ("celu_of_data", lambda d, w: ops.celu(ops.multiply(d, w)), [("data", _uniform(4, 3)), ("weight", _uniform(4, 3))]),
    ("hard_tanh_of_data", lambda d, w: ops.hard_tanh(ops.multiply(d, w)), [("data", _uniform(4, 3)), ("weight", _uniform(4, 3))]),
    ("leaky_relu_of_data", lambda d, w: ops.leaky_relu(ops.multiply(d, w)), [("data", _uniform(4, 3)), ("weight", _uniform(4, 3))]),
    ("abs_of_data", lambda d, w: ops.abs(ops.multiply(d, w)), [("data", _uniform(4, 3)), ("weight", _uniform(4, 3))]),
]

# The fused dense op, for every activation it fuses, on batches of rank 2 and 3,
# with and without a bias, and with an input that needs its gradient.
for _name in ("linear", "sigmoid", "tanh", "relu", "softmax"):
    _act = activations.get(_name)
    DATA_CASES += [
        (f"dense_{_name}", lambda x, k, b, _name=_name, _act=_act: fused.dense(x, k, b, _name, _act),
         [("data", _uniform(4, 3)), ("weight", _uniform(3, 5, low=-1, high=1)), ("weight", _uniform(5))]),
        (f"dense_{_name}_rank3", lambda x, k, b, _name=_name, _act=_act: fused.dense(x, k, b, _name, _act),
         [("data", _uniform(2, 4, 3)), ("weight", _uniform(3, 5, low=-1, high=1)), ("weight", _uniform(5))]),
        (f"dense_{_name}_no_bias_input_gradient", lambda x, k, _name=_name, _act=_act: fused.dense(x, k, None, _name, _act),
         [("weight", _uniform(4, 3)), ("weight", _uniform(3, 5, low=-1, high=1))]),
    ]


def _with_bounds(p):
    """Probabilities including exact 0 and 1: the clip at [eps, 1 - eps] is active."""
    p = np.array(p)
    p.flat[0], p.flat[-1] = 0.0, 1.0
    return p


DATA_CASES += [
    ("mean_binary_crossentropy_probs", ce.mean_binary_crossentropy,
     [("data", _labels((4, 2), 2)), ("weight", _with_bounds(_probabilities((4, 2))))]),
    ("mean_binary_crossentropy_logits", lambda t, o: ce.mean_binary_crossentropy(t, o, from_logits=True),
     [("data", _labels((4, 3), 2)), ("weight", _uniform(4, 3))]),
    ("mean_binary_crossentropy_scalar", ce.mean_binary_crossentropy,
     [("data", np.array(1.0)), ("weight", np.array(0.7))]),
    ("mean_categorical_crossentropy_probs", ce.mean_categorical_crossentropy,
     [("data", np.eye(3)[_labels((5,), 3)]), ("weight", _with_bounds(_probabilities((5, 3))))]),
    ("mean_categorical_crossentropy_logits", lambda t, o: ce.mean_categorical_crossentropy(t, o, from_logits=True),
     [("data", np.eye(3)[_labels((5,), 3)]), ("weight", _uniform(5, 3))]),
    ("mean_sparse_categorical_crossentropy_probs", ce.mean_sparse_categorical_crossentropy,
     [("labels", _labels((5,), 3)), ("weight", _with_bounds(_probabilities((5, 3))))]),
    ("mean_sparse_categorical_crossentropy_logits",
     lambda t, o: ce.mean_sparse_categorical_crossentropy(t, o, from_logits=True),
     [("labels", _labels((5,), 3)), ("weight", _uniform(5, 3))]),
    ("binary_crossentropy_clipped", ops.binary_crossentropy,
     [("data", _labels((4, 2), 2)), ("weight", _with_bounds(_probabilities((4, 2))))]),
    ("binary_crossentropy_scalar", ops.binary_crossentropy, [("data", np.array(1.0)), ("weight", np.array(0.7))]),
    ("categorical_crossentropy_axis0", lambda t, o: ops.categorical_crossentropy(t, o, axis=0),
     [("data", np.eye(3)[_labels((5,), 3)].T), ("weight", _probabilities((5, 3)).T)]),
    ("categorical_crossentropy_logits_rank3", lambda t, o: ops.categorical_crossentropy(t, o, from_logits=True),
     [("data", np.eye(3)[_labels((2, 4), 3)]), ("weight", _uniform(2, 4, 3))]),
    ("sparse_categorical_crossentropy_axis0", lambda t, o: ops.sparse_categorical_crossentropy(t, o, axis=0),
     [("labels", _labels((5,), 3)), ("weight", _probabilities((5, 3)).T)]),
    ("sparse_categorical_crossentropy_trailing_axis", ops.sparse_categorical_crossentropy,
     [("labels", _labels((5, 1), 3)), ("weight", _probabilities((5, 3)))]),
    ("sparse_categorical_crossentropy_float_labels", ops.sparse_categorical_crossentropy,
     [("data", _labels((5,), 3)), ("weight", _probabilities((5, 3)))]),
]


def _sources(inputs, dtype):
    sources = []
    for kind, x in inputs:
        if kind == "weight":
            sources.append(keras.Variable(np.asarray(x, dtype), dtype=dtype))
        elif kind == "data":
            sources.append(Constant(np.asarray(x, dtype)))
        else:  # integer labels or indices stay integers
            sources.append(Constant(np.asarray(x, "int32")))
    return sources


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("fn,inputs", _params(DATA_CASES))
def test_op_replays_with_new_data(fn, inputs, dtype):
    _check_replay(fn, _sources(inputs, dtype))


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


@pytest.mark.parametrize("from_logits", [False, True])
def test_sparse_crossentropy_replays_labels_that_fall_out_of_range(from_logits):
    # Recorded with valid labels; the next batches bring labels outside [0, 3) (loss 0), then valid ones.
    batches = iter([np.array([0, -1, 2, 3, 1]), np.array([2, 1, 0, 0, 1])])
    labels = Constant(np.array([0, 1, 2, 1, 0], "int32"))
    output = keras.Variable(_probabilities((5, 3)) if not from_logits else _uniform(5, 3))

    def next_values(source, step):
        return next(batches) if source is labels else _perturbed(source.value, step)

    _check_replay(lambda t, o: ce.mean_sparse_categorical_crossentropy(t, o, from_logits=from_logits),
                  [labels, output], next_values=next_values)


def _recorded_gradient_arrays(fn, sources, variables, replays):
    with keras.GradientTape() as tape:
        loss = fn(*sources)
    trace = Trace(tape)
    arrays = []
    for _ in range(replays):
        trace.forward()
        arrays.append(trace.gradients(loss, variables))
    return arrays


@pytest.mark.parametrize("op", ["dense", "mean_crossentropy"])
def test_a_replayed_node_writes_its_gradients_into_arrays_it_keeps(op):
    x = Constant(_uniform(4, 3).astype("float32"))
    kernel, bias = keras.Variable(_uniform(3, 2)), keras.Variable(_uniform(2))
    labels = Constant(_labels((4,), 2).astype("int32"))
    if op == "dense":
        def fn(x, kernel, bias, labels):
            return ops.sum(fused.dense(x, kernel, bias, "tanh", activations.tanh))
    else:
        def fn(x, kernel, bias, labels):
            return ce.mean_sparse_categorical_crossentropy(labels, fused.dense(x, kernel, bias, "softmax", activations.softmax))
    first, second, third = _recorded_gradient_arrays(fn, [x, kernel, bias, labels], [kernel, bias], replays=3)
    # The first replay allocates them; later replays write into the same arrays.
    assert second[0] is third[0] and second[1] is third[1]


def test_the_tape_path_never_reuses_gradient_arrays():
    x = Constant(_uniform(4, 3).astype("float32"))
    kernel, bias = keras.Variable(_uniform(3, 2)), keras.Variable(_uniform(2))
    labels = Constant(_labels((4,), 2).astype("int32"))
    with keras.GradientTape(persistent=True) as tape:
        loss = ce.mean_sparse_categorical_crossentropy(labels, fused.dense(x, kernel, bias, "softmax", activations.softmax))
    first = tape.gradient(loss, [kernel, bias])
    kept = [np.array(g) for g in first]
    second = tape.gradient(loss, [kernel, bias])
    assert first[0] is not second[0] and first[1] is not second[1]
    for g, k in zip(first, kept):
        np.testing.assert_array_equal(g, k)


def test_a_boolean_mask_that_selects_another_count_on_replay_is_a_clear_error():
    data = Constant(np.array([1.0, -1.0, 2.0], "float32"))
    w = keras.Variable([1.0, 2.0, 3.0])
    with keras.GradientTape() as tape:
        picked = ops.multiply(w, data)[data.value > 0]
        ops.sum(picked)
    trace = Trace(tape)
    data.value[...] = [1.0, 1.0, 1.0]  # the mask above was computed in Python: still 2 of 3
    trace.forward()  # a constant mask replays fine
    with keras.GradientTape() as tape:
        mask = ops.greater(data, 0)
        ops.sum(ops.multiply(w, data)[mask])
    trace = Trace(tape)
    data.value[...] = [1.0, -1.0, -1.0]
    with pytest.raises(ValueError, match="same shapes"):
        trace.forward()


def test_ops_without_a_gradient_record_only_for_tracked_inputs():
    w = keras.Variable([1.0, -2.0])
    plain = np.array([1.0, -2.0], "float32")
    assert type(ops.greater(w, 0)) is np.ndarray  # outside a tape: numpy, as ever
    with keras.GradientTape() as tape:
        assert type(ops.greater(plain, 0)) is np.ndarray
        assert type(ops.argmax(plain)) is np.ndarray or np.isscalar(ops.argmax(plain))
        recorded = [ops.greater(w, 0), ops.argmax(w), ops.isnan(w), ops.cast(w, "int32"), ops.one_hot(Constant(
            np.array([1, 0], "int32")), 2)]
    assert all(isinstance(r, Tensor) for r in recorded)
    assert len(tape._nodes) == len(recorded)
    # No gradient flows through them.
    with keras.GradientTape() as tape:
        y = ops.sum(ops.multiply(ops.cast(ops.greater(w, 0), "float32"), w))
    np.testing.assert_array_equal(tape.gradient(y, w), [1.0, 0.0])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_the_clip_gradient_is_one_inside_half_on_a_bound_and_zero_outside(dtype):
    from nanokeras.ops.crossentropy_kernels import bounds, clip_gradient_scale
    from nanokeras.ops.gradient_utils import Workspace

    lo, hi = bounds(np.dtype(dtype))
    o = np.array([-np.inf, -1.0, 0.0, lo, np.nextafter(lo, 1), 0.5, np.nextafter(hi, 0), hi, 1.0, 2.0, np.inf], dtype)
    expected = np.array([0, 0, 0, 0.5, 1, 1, 1, 0.5, 0, 0, 0], dtype)
    _assert_same_bits(clip_gradient_scale(Workspace(), o, lo, hi), expected, "scale")
    # and through an op: the gradient of mean cross-entropy at the bounds is halved
    target = np.zeros_like(o[3:8])
    w = keras.Variable(o[3:8], dtype=dtype)
    with keras.GradientTape() as tape:
        loss = ops.binary_crossentropy(target, w)
    grad = tape.gradient(loss, w)
    with keras.GradientTape() as tape:
        composite = ops.negative(ops.log(ops.subtract(1.0, ops.clip(w, lo, hi))))
    np.testing.assert_allclose(grad, tape.gradient(composite, w), rtol=1e-6)


def test_ops_returning_views_replay_by_doing_nothing():
    from nanokeras.ops.gradient_utils import nothing_to_replay

    w = keras.Variable(_uniform(3, 4))
    with keras.GradientTape():
        views = [ops.transpose(w), ops.reshape(w, (4, 3)), ops.expand_dims(w, 0), w[1:, ::2], ops.flip(w, 0),
                 ops.broadcast_to(w, (2, 3, 4))]
        copies = [ops.reshape(ops.transpose(w), (-1,)), w[np.array([0, 2])]]
    assert all(v.forward is nothing_to_replay for v in views)
    assert not any(c.forward is nothing_to_replay for c in copies)
