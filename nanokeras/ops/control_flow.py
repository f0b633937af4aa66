"""Loops over arrays in `keras.ops`: `scan`, `associative_scan`, `map`, `switch`, `vectorized_map`,
`vectorize`.

They run as Python loops of differentiable ops, so gradients flow through every
step. (`cond`, `fori_loop` and `while_loop` are in `ops/core.py`.) A compiled
step replays the ops one iteration recorded: a branch or trip count chosen
from values (`switch`) is fixed by the recording, as for `cond`.

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> carry, ys = ops.scan(lambda c, x: (c + x, c * x), 0.0, np.array([1.0, 2.0, 3.0]))
    >>> float(carry), ys.tolist()
    (6.0, [0.0, 2.0, 9.0])
    >>> ops.associative_scan(lambda a, b: a + b, np.array([1, 2, 3, 4])).tolist()
    [1, 3, 6, 10]
"""

import builtins
import re

import numpy as np

from nanokeras import tree
from nanokeras.ops import numpy as ops
from nanokeras.ops.gradient_utils import TensorOperators, to_array, value_of

__all__ = ["vectorize"]
CORE_NAMES = ["scan", "associative_scan", "map", "switch", "vectorized_map"]


def _as_tensor(x):
    return x if isinstance(x, (TensorOperators, np.ndarray)) else to_array(x)


def _stack(items):
    """Stacks a list of (nested structures of) arrays along a new first axis."""
    return tree.map_structure(lambda *leaves: ops.stack([_as_tensor(v) for v in leaves], axis=0), *items)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """`carry, y = f(carry, x)` for each `x` along the first axis of `xs`; returns the last carry and
    the `y`s stacked (as `jax.lax.scan`).

    Args:
        f: `(carry, x) -> (carry, y)`; carries keep one structure, shapes and dtypes.
        init: the first carry.
        xs: arrays (or a nested structure of them) to scan along their first axis, or None.
        length: the number of steps when `xs` is None.
        reverse: scan from the last element to the first (the `y`s keep the order of `xs`).
        unroll: accepted for Keras's signature (a positive int or bool): loops here are Python loops.
    """
    if not callable(f):
        raise TypeError(f"`f` should be a callable, got {f!r}.")
    if not isinstance(unroll, bool) and (not isinstance(unroll, int) or unroll < 1):
        raise ValueError(f"`unroll` must be a positive integer or a boolean, got {unroll!r}.")
    if xs is None and length is None:
        raise ValueError("`scan` got no `xs` to scan over and no `length`.")
    flat_xs = [_as_tensor(x) for x in tree.flatten(xs)] if xs is not None else []
    n = int(length) if length is not None else np.shape(to_array(flat_xs[0]))[0]
    for x in flat_xs:
        if np.shape(to_array(x))[0] != n:
            raise ValueError(f"Every array in `xs` must have {n} elements along its first axis, got shape "
                             f"{np.shape(to_array(x))}.")
    carry = tree.map_structure(_as_tensor, init)
    ys = []
    steps = range(n - 1, -1, -1) if reverse else range(n)
    for i in steps:
        x = tree.pack_sequence_as(xs, [ops.getitem(v, i) for v in flat_xs]) if xs is not None else None
        carry, y = f(carry, x)
        ys.append(y)
    if reverse:
        ys.reverse()
    if not ys or all(y is None for y in tree.flatten(ys[0])):
        return carry, None
    return carry, _stack(ys)


def _slice(x, axis, key):
    return ops.getitem(x, (builtins.slice(None),) * axis + (key,))


def _interleave(even, odd, axis):
    """`even[0], odd[0], even[1], odd[1], ...` along `axis` (`even` may be one longer)."""
    n_even, n_odd = np.shape(to_array(even))[axis], np.shape(to_array(odd))[axis]
    if n_even > n_odd:
        last = _slice(even, axis, builtins.slice(n_even - 1, n_even))
        even = _slice(even, axis, builtins.slice(0, n_odd))
    pairs = ops.stack([even, odd], axis=axis + 1)
    shape = list(np.shape(to_array(pairs)))
    shape[axis:axis + 2] = [shape[axis] * 2]
    out = ops.reshape(pairs, shape)
    return ops.concatenate([out, last], axis=axis) if n_even > n_odd else out


def associative_scan(f, elems, reverse=False, axis=0):
    """Running combinations `f(...f(f(e0, e1), e2)..., ei)` along `axis`, for an associative `f`,
    computed as a parallel prefix scan (as `jax.lax.associative_scan`, so with the same rounding)."""
    if not callable(f):
        raise TypeError(f"`f` should be a callable, got {f!r}.")
    flat = [_as_tensor(e) for e in tree.flatten(elems)]
    ndim = to_array(flat[0]).ndim
    axis = axis % ndim
    n = np.shape(to_array(flat[0]))[axis]
    if any(np.shape(to_array(e))[axis] != n for e in flat):
        raise ValueError(f"Every array in `elems` needs the same size along axis {axis}, got shapes "
                         f"{[np.shape(to_array(e)) for e in flat]}.")
    if reverse:
        flat = [ops.flip(e, axis) for e in flat]

    def combine(a, b):
        return [_as_tensor(c) for c in tree.flatten(f(tree.pack_sequence_as(elems, a), tree.pack_sequence_as(elems, b)))]

    def prefix(parts):
        size = np.shape(to_array(parts[0]))[axis]
        if size < 2:
            return parts
        reduced = combine([_slice(p, axis, builtins.slice(0, -1, 2)) for p in parts],
                          [_slice(p, axis, builtins.slice(1, None, 2)) for p in parts])
        odd = prefix(reduced)
        if size % 2 == 0:
            even = combine([_slice(o, axis, builtins.slice(0, -1)) for o in odd],
                           [_slice(p, axis, builtins.slice(2, None, 2)) for p in parts])
        else:
            even = combine(odd, [_slice(p, axis, builtins.slice(2, None, 2)) for p in parts])
        even = [ops.concatenate([_slice(p, axis, builtins.slice(0, 1)), e], axis=axis) for p, e in zip(parts, even)]
        return [_interleave(e, o, axis) for e, o in zip(even, odd)]

    out = prefix(flat)
    if reverse:
        out = [ops.flip(o, axis) for o in out]
    return tree.pack_sequence_as(elems, out)


def map(f, xs):
    """`f` applied to each element along the first axis of `xs` (a nested structure), results stacked."""
    _, ys = scan(lambda carry, x: ((), f(x)), (), xs)
    return ys


def switch(index, branches, *operands):
    """`branches[index](*operands)`, the index clipped to the valid range."""
    if not branches:
        raise ValueError("`switch` needs at least one branch.")
    chosen = int(np.clip(int(np.asarray(value_of(index))), 0, len(branches) - 1))
    return branches[chosen](*operands)


def vectorized_map(function, elements):
    """`function` applied to each slice along the first axis of `elements`, results stacked.

    A list or tuple of arrays is sliced together: `function` receives one slice of each.
    """
    if isinstance(elements, (list, tuple)):
        n = np.shape(to_array(elements[0]))[0]
        results = [function(type(elements)(ops.getitem(e, i) for e in elements)) for i in range(n)]
    else:
        results = [function(ops.getitem(elements, i)) for i in range(np.shape(to_array(elements))[0])]
    return _stack(results)


_SIGNATURE = re.compile(r"^\s*(\([\w,\s]*\)\s*(,\s*\([\w,\s]*\)\s*)*)->\s*(\([\w,\s]*\)\s*(,\s*\([\w,\s]*\)\s*)*)$")


def _parse_signature(signature):
    if not _SIGNATURE.match(signature):
        raise ValueError(f"Invalid `signature` {signature!r}: expected e.g. '(n),(n)->()'.")
    inputs, outputs = signature.split("->")
    parse = lambda side: [tuple(d for d in group.replace(" ", "").split(",") if d)  # noqa: E731
                          for group in re.findall(r"\(([\w,\s]*)\)", side)]
    return parse(inputs), parse(outputs)


def vectorize(pyfunc, *, excluded=None, signature=None):
    """`pyfunc` turned into a function that loops over the leading (broadcast) axes of its array
    arguments, as `np.vectorize`; with a `signature` such as `"(n),(n)->()"`, each call sees whole
    core axes. Calls are differentiable when `pyfunc` uses `keras.ops`."""
    excluded = set(excluded or ())
    core_in, _ = _parse_signature(signature) if signature is not None else (None, None)

    def vectorized(*args, **kwargs):
        positions = [i for i in range(len(args)) if i not in excluded]
        arrays = [_as_tensor(args[i]) for i in positions]
        cores = core_in if core_in is not None else [()] * len(arrays)
        if len(cores) != len(arrays):
            raise ValueError(f"The signature names {len(cores)} inputs, got {len(arrays)} array arguments.")
        loops = [np.shape(to_array(a))[:np.ndim(to_array(a)) - len(c)] for a, c in zip(arrays, cores)]
        loop_shape = np.broadcast_shapes(*loops) if loops else ()
        arrays = [ops.broadcast_to(a, loop_shape + np.shape(to_array(a))[len(s):]) if s != loop_shape else a
                  for a, s in zip(arrays, loops)]
        results = []
        for index in np.ndindex(*loop_shape):
            call_args = list(args)
            for i, a in zip(positions, arrays):
                call_args[i] = ops.getitem(a, index) if index else a
            results.append(pyfunc(*call_args, **kwargs))
        if not loop_shape:
            return results[0]
        stacked = _stack(results)
        return tree.map_structure(lambda s: ops.reshape(s, loop_shape + np.shape(to_array(s))[1:]), stacked)

    return vectorized
