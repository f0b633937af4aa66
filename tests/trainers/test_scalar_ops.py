"""Each scalar emitter (trainers/scalar_ops.py, scalar_crossentropy.py) against the op it writes out.

A small computation is recorded on a tape, written out as scalar code by the emitters (forward,
then the gradients backwards), run, and compared with the op's own value and the tape's
gradients within 1e-6.
"""

import math
from array import array

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import ops
from nanokeras.ops import crossentropy, fused
from nanokeras.ops.tape import needs_gradient
from nanokeras.ops.tensor import Constant, TensorOperators
from nanokeras.ops.trace import Trace
from nanokeras.trainers.scalar_code import Code, Unsupported, grid, literal
from nanokeras.trainers.scalar_ops import emitter_for

RNG = np.random.default_rng(0)


def _scalar_run(function, *values):
    """(value, gradients) of `function` computed by the emitted scalar code."""
    variables = [keras.Variable(v, dtype="float32") for v in values]
    with keras.GradientTape() as tape:
        result = function(*variables)
    trace = Trace(tape)
    code = Code(rounding=True)
    names = {id(v): grid(v.value.shape, lambda i, k=k: f"v{k}_" + "_".join(map(str, i))) for k, v in enumerate(variables)}
    for node in trace.nodes:
        forward, _ = emitter_for(node)
        args = [_argument(x, names) for x in node.inputs]
        names[id(node)] = forward(code, node, args)
    out = names[id(result)]
    grads = {id(result): grid(out.shape, lambda _: "1.0")}
    for node in reversed(trace.nodes):
        g = grads.pop(id(node), None)
        if g is None:
            continue
        _, backward = emitter_for(node)
        args = [_argument(x, names) for x in node.inputs]
        wanted = [isinstance(x, TensorOperators) and needs_gradient(x) for x in node.inputs]
        for x, gx in zip(node.inputs, backward(code, node, args, names[id(node)], g, wanted)):
            if gx is None or not isinstance(x, TensorOperators):
                continue
            previous = grads.get(id(x))
            grads[id(x)] = gx if previous is None else grid(gx.shape, lambda i: code.let(f"{previous[i]} + {gx[i]}"))
    grad_names = [grads.get(id(v)) for v in variables]
    lines = ["def f(" + ", ".join(n for v in variables for n in names[id(v)].reshape(-1)) + "):"]
    lines.append(code.text())
    results = [out] + [g for g in grad_names if g is not None]
    lines.append("    return [" + ", ".join(n for r in results for n in r.reshape(-1)) + "]")
    namespace = {"_f": array("f", [0.0]), "exp": math.exp, "log": math.log, "log1p": math.log1p,
                 "tanh": math.tanh, "sqrt": math.sqrt, "inf": math.inf, "nan": math.nan}
    exec("\n".join(lines), namespace)
    flat = namespace["f"](*[float(x) for v in variables for x in v.value.reshape(-1)])
    got, position = [], 0
    for r in results:
        got.append(np.array(flat[position:position + r.size]).reshape(r.shape))
        position += r.size
    return got, result, variables, grad_names


def _argument(value, names):
    if value is None:
        return None
    found = names.get(id(value))
    if found is not None:
        return found
    array_value = np.asarray(value.value if isinstance(value, Constant) else value)
    return grid(array_value.shape, lambda i: literal(array_value[i]))


def _check(function, *values):
    got, result, variables, grad_names = _scalar_run(function, *values)
    np.testing.assert_allclose(got[0], result.value, rtol=1e-6, atol=1e-6)
    with keras.GradientTape() as tape:
        again = function(*variables)
    expected = tape.gradient(again, variables)
    position = 1
    for g_names, g_expected in zip(grad_names, expected):
        if g_names is None:
            assert g_expected is None or not np.any(g_expected)
            continue
        np.testing.assert_allclose(got[position], g_expected, rtol=1e-6, atol=1e-6)
        position += 1


A = RNG.normal(size=(3, 2)).astype("float32")
B = RNG.normal(size=(2,)).astype("float32")
P = RNG.uniform(0.05, 0.95, size=(3, 2)).astype("float32")


@pytest.mark.parametrize("name, function, values", [
    ("add broadcast", lambda a, b: ops.mean(ops.add(a, b)), (A, B)),
    ("subtract", lambda a, b: ops.sum(ops.subtract(b, a)), (A, B)),
    ("multiply", lambda a, b: ops.mean(ops.multiply(a, b)), (A, B)),
    ("divide", lambda a, b: ops.sum(ops.divide(a, ops.add(ops.square(b), 1.0))), (A, B)),
    ("negative and abs", lambda a: ops.sum(ops.abs(ops.negative(a))), (A,)),
    ("mean over an axis, kept", lambda a: ops.sum(ops.mean(ops.square(a), axis=0, keepdims=True)), (A,)),
    ("sum over the last axis", lambda a: ops.mean(ops.sum(ops.square(a), axis=-1)), (A,)),
    ("reshape", lambda a: ops.sum(ops.square(ops.reshape(a, (2, 3)))), (A,)),
])
def test_elementwise_and_reductions(name, function, values):
    _check(function, *values)


@pytest.mark.parametrize("activation", ["linear", "sigmoid", "tanh", "relu", "softmax"])
def test_dense(activation):
    x = Constant(RNG.normal(size=(2, 3)).astype("float32"))
    layer = keras.layers.Dense(4, activation=activation)
    layer.build((None, 3))
    weights = [layer.kernel.numpy(), layer.bias.numpy()]

    def function(kernel, bias):
        return ops.sum(ops.square(fused.dense(x, kernel, bias, activation, keras.activations.get(activation))))

    _check(function, *weights)


T_BINARY = Constant(RNG.integers(0, 2, size=(3, 2)).astype("float32"))
T_ONEHOT = Constant(np.eye(2, dtype="float32")[[0, 1, 1]])
T_SPARSE = Constant(np.array([1, 0, 5], dtype="int32"))  # 5: out of range, counts 0 (as Keras on JAX)
EDGES = np.array([[0.0, 1.0], [1e-9, 0.5], [0.3, 0.9999999]], dtype="float32")  # clipped, on a bound, inside


@pytest.mark.parametrize("name, function, values", [
    ("binary", lambda o: crossentropy.mean_binary_crossentropy(T_BINARY, o), (P,)),
    ("binary at the clip bounds", lambda o: crossentropy.mean_binary_crossentropy(T_BINARY, o), (EDGES,)),
    ("binary logits", lambda o: crossentropy.mean_binary_crossentropy(T_BINARY, o, from_logits=True), (A * 9,)),
    ("binary elementwise", lambda o: ops.sum(crossentropy.binary_crossentropy(T_BINARY, o)), (P,)),
    ("categorical", lambda o: crossentropy.mean_categorical_crossentropy(T_ONEHOT, o), (P,)),
    ("categorical logits", lambda o: crossentropy.mean_categorical_crossentropy(T_ONEHOT, o, from_logits=True),
     (A,)),
    ("sparse", lambda o: crossentropy.mean_sparse_categorical_crossentropy(T_SPARSE, o), (P,)),
    ("sparse logits", lambda o: crossentropy.mean_sparse_categorical_crossentropy(T_SPARSE, o, from_logits=True),
     (A,)),
    ("sparse elementwise", lambda o: ops.sum(crossentropy.sparse_categorical_crossentropy(T_SPARSE, o)), (P,)),
])
def test_crossentropy(name, function, values):
    _check(function, *values)


def test_an_op_without_emitter_says_so():
    v = keras.Variable(A)
    with keras.GradientTape() as tape:
        result = ops.sort(v)
    with pytest.raises(Unsupported, match="no scalar emitter"):
        emitter_for(Trace(tape).nodes[-1])
    assert result is not None
