"""`jvp`: forward-mode derivatives (Jacobian-vector products), computed with two reverse passes.

`J v` is the gradient, with respect to `u`, of `v . (J^T u)`, and `J^T u` is
what a backward pass computes; with the inner backward pass recorded on an
outer tape (as for second derivatives), the outer tape differentiates it.

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> out, tangent = ops.jvp(ops.sin, (np.float32(0.1),), (np.float32(0.2),))
    >>> round(float(out), 6), round(float(tangent), 6)
    (0.099833, 0.199001)
"""

import numpy as np

from nanokeras import tree
from nanokeras.ops import numpy as ops
from nanokeras.ops.gradient_utils import to_array, value_of
from nanokeras.ops.tape import GradientTape
from nanokeras.ops.variable import Variable

__all__ = ["jvp"]


def _values(structure):
    return tree.map_structure(lambda leaf: np.asarray(value_of(leaf)), structure)


def jvp(fun, primals, tangents, has_aux=False):
    """`fun(*primals)` and its derivative in the direction `tangents`.

    Args:
        fun: a function of arrays (or nested lists/tuples/dicts of them) written with `keras.ops`.
        primals: the arguments (a tuple or list, one entry per positional argument of `fun`).
        tangents: the directions, with the structure and shapes of `primals`.
        has_aux: `fun` returns `(output, aux)`; `aux` is returned as is.

    Returns:
        `(primals_out, tangents_out)`, or `(primals_out, tangents_out, aux)` with `has_aux`.
    """
    if not isinstance(primals, (list, tuple)) or not isinstance(tangents, (list, tuple)):
        raise TypeError("`primals` and `tangents` must be tuples or lists (one entry per argument of `fun`).")
    tree.assert_same_structure(list(primals), list(tangents))
    flat_primals, flat_tangents = tree.flatten(list(primals)), tree.flatten(list(tangents))
    for p, t in zip(flat_primals, flat_tangents):
        if np.shape(to_array(p)) != np.shape(to_array(t)):
            raise ValueError(f"Each tangent needs its primal's shape, got {np.shape(to_array(t))} for a primal of "
                             f"shape {np.shape(to_array(p))}.")
    variables = [Variable(to_array(p), dtype=to_array(p).dtype, name="primal") for p in flat_primals]
    arguments = tree.pack_sequence_as(list(primals), variables)
    with GradientTape() as outer:
        with GradientTape() as inner:
            result = fun(*arguments)
            output, aux = result if has_aux else (result, None)
            flat_outputs = tree.flatten(output)
            cotangents = [Variable(np.zeros(np.shape(to_array(o)), to_array(o).dtype), dtype=to_array(o).dtype, name="cotangent")
                          for o in flat_outputs]
            total = None
            for o, u in zip(flat_outputs, cotangents):
                term = ops.sum(ops.multiply(o, u))
                total = term if total is None else ops.add(total, term)
        pullback = inner.gradient(total, variables, unconnected_gradients="zero")
        projection = None
        for g, t in zip(pullback, flat_tangents):
            term = ops.sum(ops.multiply(g, to_array(t).astype(to_array(value_of(g)).dtype)))
            projection = term if projection is None else ops.add(projection, term)
    flat_tangents_out = outer.gradient(projection, cotangents, unconnected_gradients="zero")
    tangents_out = tree.pack_sequence_as(output, [np.asarray(value_of(t)) for t in flat_tangents_out])
    primals_out = _values(output)
    if has_aux:
        return primals_out, tangents_out, aux
    return primals_out, tangents_out
