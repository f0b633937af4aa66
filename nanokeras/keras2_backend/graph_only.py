"""Keras 2 backend functions that exist for TensorFlow's graphs and sessions.

`K.gradients`, `K.placeholder`, `K.get_session`, ... build or run
TensorFlow graphs; nanokeras (like Keras 3) has none. Each raises an error that
says what to write instead. `K.map_fn`, `K.foldl` and `K.foldr` have an eager
meaning and work: a Python loop over the first axis (and `K.function`, in functions.py,
makes a functional model of its symbolic tensors).

Example:
    >>> from nanokeras import keras2_backend as K
    >>> K.foldl(lambda total, x: total + x, [1.0, 2.0, 3.0]).item()
    6.0
"""

from nanokeras import ops
from nanokeras.keras2_backend.registry import keras2_function
from nanokeras.ops.gradient_utils import to_array

# Keras 2 name -> what to write instead, in nanokeras and in Keras 3.
GRAPH_ONLY = {
    "gradients": "`with keras.GradientTape() as tape: ...` then `tape.gradient(loss, variables)`",
    "placeholder": "`keras.Input(shape=...)` (a symbolic input of the functional API)",
    "set_learning_phase": "`model(x, training=True)` (or `training=False`) when calling the model",
    "learning_phase_scope": "`model(x, training=True)` (or `training=False`) when calling the model",
    "manual_variable_initialization": "nothing: variables hold their values as soon as they are made",
    "rnn": "a `keras.layers.RNN` layer around a cell (or a Python loop over the time steps)",
    "ctc_label_dense_to_sparse": "`keras.ops.ctc_loss`, which takes dense labels",
    "get_session": "nothing: there are no sessions; call the model or ops directly",
    "set_session": "nothing: there are no sessions; call the model or ops directly",
}


def _graph_only(name, advice):
    def function(*args, **kwargs):
        raise NotImplementedError(
            f"`keras.backend.{name}` works on TensorFlow graphs, which neither nanokeras nor Keras 3 has. "
            f"Write instead: {advice}.")

    function.__name__ = name
    function.__doc__ = f"Keras 2's TensorFlow-graph `{name}`: raises an error saying what to write instead."
    return keras2_function(advice, symbolic=False)(function)


for _name, _advice in GRAPH_ONLY.items():
    globals()[_name] = _graph_only(_name, _advice)
del _name, _advice


@keras2_function("`keras.ops.map(fn, elems)`", symbolic=False)
def map_fn(fn, elems, name=None, dtype=None):
    """`fn` applied to each slice of `elems` along its first axis, results stacked."""
    results = [fn(ops.getitem(elems, i)) for i in range(len(to_array(elems)))]
    return ops.stack(results, axis=0) if dtype is None else ops.cast(ops.stack(results, axis=0), dtype)


@keras2_function("a Python loop (or `keras.ops.scan`)", symbolic=False)
def foldl(fn, elems, initializer=None, name=None):
    """`fn(accumulator, x)` over the slices of `elems` along its first axis, left to right; the
    first slice starts the accumulator unless `initializer` is given."""
    count = len(to_array(elems))
    start = 0 if initializer is not None else 1
    accumulator = initializer if initializer is not None else ops.getitem(elems, 0)
    for i in range(start, count):
        accumulator = fn(accumulator, ops.getitem(elems, i))
    return accumulator


@keras2_function("a Python loop (or `keras.ops.scan(..., reverse=True)`)", symbolic=False)
def foldr(fn, elems, initializer=None, name=None):
    """As `foldl`, right to left: the last slice starts the accumulator unless `initializer` is given."""
    count = len(to_array(elems))
    start = count - 1 if initializer is not None else count - 2
    accumulator = initializer if initializer is not None else ops.getitem(elems, count - 1)
    for i in range(start, -1, -1):
        accumulator = fn(accumulator, ops.getitem(elems, i))
    return accumulator
