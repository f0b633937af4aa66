"""Shared by the sequence-layer parity tests: same weights in real Keras and nanokeras => same outputs
and gradients (of the weights and of the float inputs), Keras's gradients taken with `jax.grad`."""

import numpy as np

import nanokeras as nk


def _flat(outputs):
    if isinstance(outputs, (list, tuple)):
        return [leaf for item in outputs for leaf in _flat(item)]
    return [outputs]


def _seeds(outputs):
    rng = np.random.default_rng(1234)
    return [rng.normal(size=np.shape(o)).astype("float32") for o in outputs]


def compare_layer(keras, make, inputs, call_kwargs=None, rtol=1e-5, atol=1e-5, grad_atol=1e-4, perturb=0.0):
    """Builds `make(keras)` and `make(nk)`, copies Keras's weights into ours, compares outputs and gradients.

    `inputs` is a list of positional arguments (arrays); float ones get input gradients too.
    `perturb` adds a deterministic offset to every weight first (e.g. so biases are not all zero).
    """
    import jax
    import jax.numpy as jnp

    call_kwargs = dict(call_kwargs or {})
    theirs, ours = make(keras), make(nk)
    theirs(*inputs, **call_kwargs)
    ours(*inputs, **call_kwargs)
    keras_weights = [np.asarray(w) for w in theirs.get_weights()]
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in keras_weights], "weight layouts differ"
    if perturb:
        keras_weights = [w + perturb * np.sin(np.arange(w.size)).reshape(w.shape).astype(w.dtype)
                         for w in keras_weights]
        theirs.set_weights(keras_weights)
    ours.set_weights(keras_weights)

    expected = _flat(theirs(*inputs, **call_kwargs))
    got = _flat(ours(*inputs, **call_kwargs))
    assert len(got) == len(expected)
    for a, b in zip(got, expected):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=rtol, atol=atol)

    seeds = _seeds(expected)
    float_inputs = [i for i, x in enumerate(inputs) if np.asarray(x).dtype.kind == "f"]

    watched = [np.array(x) for x in inputs]
    with nk.GradientTape() as tape:
        for i in float_inputs:
            tape.watch(watched[i])
        outs = _flat(ours(*watched, **call_kwargs))
        loss = sum(nk.ops.sum(nk.ops.multiply(o, s)) for o, s in zip(outs, seeds))
    sources = list(ours.trainable_weights) + [watched[i] for i in float_inputs]
    our_grads = tape.gradient(loss, sources)

    trainable = [v.value for v in theirs.trainable_variables]
    non_trainable = [v.value for v in theirs.non_trainable_variables]

    def their_loss(values, xs):
        args = list(inputs)
        for i, x in zip(float_inputs, xs):
            args[i] = x
        outputs = theirs.stateless_call(values, non_trainable, *args, **call_kwargs)[0]
        return sum(jnp.sum(o * s) for o, s in zip(_flat(outputs), seeds))

    weight_grads, input_grads = jax.grad(their_loss, argnums=(0, 1))(
        trainable, [jnp.asarray(inputs[i]) for i in float_inputs])
    for ours_grad, theirs_grad in zip(our_grads, list(weight_grads) + list(input_grads)):
        np.testing.assert_allclose(np.asarray(ours_grad), np.asarray(theirs_grad), rtol=1e-4, atol=grad_atol)
    return ours, theirs
