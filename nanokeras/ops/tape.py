"""`GradientTape`: records ops while open, then computes gradients backwards.

Recording is global state: `_recording_tapes` lists the open tapes. Every op
checks it first, so outside a tape an op costs what numpy costs.

Example:
    >>> import nanokeras as keras
    >>> w = keras.Variable(3.0)
    >>> with keras.GradientTape() as tape:
    ...     y = w * w
    >>> float(tape.gradient(y, w))
    6.0
"""

import contextlib

import numpy as np

from nanokeras.ops.tensor import Constant, Tensor, TensorOperators, value_of
from nanokeras.ops.variable import Variable

# The tapes that are recording now; ops read this on every call.
_recording_tapes = []
# id(array) -> leaf Tensor, for plain numpy arrays passed to `tape.watch`.
_watched_arrays = {}


def is_recording():
    """True inside an open `GradientTape` (and not in `stop_recording`)."""
    return bool(_recording_tapes)


def is_tracked(x):
    """True when ops on `x` are recorded on the open tapes."""
    if isinstance(x, TensorOperators):
        return True
    return bool(_watched_arrays) and id(x) in _watched_arrays


def needs_gradient(x):
    """True when a gradient for `x` can be asked for: tracked, and not a `Constant`.

    An op may skip computing the gradient of an input that needs none (the batch
    of data flowing through a traced training step, for instance).
    """
    if isinstance(x, TensorOperators):
        return type(x) is not Constant
    return bool(_watched_arrays) and id(x) in _watched_arrays


def record(value, inputs, vjp, forward=None):
    """Returns `value` as a `Tensor` on every open tape, or as is when no input is tracked.

    Args:
        value: the op's numpy result.
        inputs: the op's inputs, as given (arrays, Variables, Tensors, numbers).
        vjp: `vjp(upstream_gradient) -> tuple`, one gradient (or None) per input.
        forward: how a compiled step replays the op (see `nanokeras/ops/trace.py`): a
            function of no arguments that computes the op again from the current values
            of the same input arrays, writing the result INTO `value` (and into any other
            array `vjp` reads), with the same numpy calls in the same order, so replaying
            gives bit for bit what calling the op again would. `value` must then be an
            ndarray (a 0-d array for a scalar). None: the op cannot be replayed.
    """
    tracked = False
    for x in inputs:
        if isinstance(x, TensorOperators):
            tracked = True
        elif _watched_arrays and id(x) in _watched_arrays:
            tracked = True
    if not tracked:
        return value
    if _watched_arrays:
        inputs = tuple(_watched_arrays.get(id(x), x) for x in inputs)
    node = Tensor(value, inputs, vjp, forward)
    for tape in _recording_tapes:
        tape._nodes.append(node)
    return node


class GradientTape:
    """Records operations on `Variable`s so their gradients can be computed.

    Args:
        persistent: allow several `gradient` calls on one tape.
        watch_accessed_variables: when True (the default) every `Variable` used inside
            the tape is watched; when False only those passed to `watch`, and the
            gradient for any other variable is None (as TensorFlow's tape gives).

    Example:
        >>> import nanokeras as keras
        >>> x = keras.Variable(2.0)
        >>> with keras.GradientTape() as outer:
        ...     with keras.GradientTape() as inner:
        ...         y = x * x * x
        ...     dy = inner.gradient(y, x)      # 3x^2 = 12
        >>> float(outer.gradient(dy, x))       # 6x = 12
        12.0
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self.persistent = persistent
        self.watch_accessed_variables = watch_accessed_variables
        self._nodes = []
        self._watched = []
        # id(array) -> leaf, kept after the tape exits so `gradient` still finds them.
        self._leaves = {}
        self._used = False
        # With `watch_accessed_variables=False`, the ids of the variables `watch` was given.
        self._watched_variable_ids = set()

    def __enter__(self):
        self._nodes = []
        self._used = False
        _recording_tapes.append(self)
        return self

    def __exit__(self, *exc_info):
        if self in _recording_tapes:
            _recording_tapes.remove(self)
        self._unwatch_arrays()
        return False

    def watch(self, tensor):
        """Tracks `tensor` (a Variable, Tensor or numpy array, or a list of them)."""
        if isinstance(tensor, (list, tuple)):
            for t in tensor:
                self.watch(t)
            return
        if isinstance(tensor, TensorOperators):
            self._watched_variable_ids.add(id(tensor))
            return  # already tracked
        if not isinstance(tensor, np.ndarray):
            raise TypeError(
                "`GradientTape.watch` expects a Variable, a Tensor or a numpy array, "
                f"got {type(tensor).__name__}. Wrap Python numbers first: "
                "`x = np.array(3.0, dtype='float32')` or `keras.Variable(3.0)`."
            )
        if id(tensor) not in _watched_arrays:
            _watched_arrays[id(tensor)] = Tensor(tensor)
            # Keep the array alive so its id stays unique while watched.
            self._watched.append(tensor)
        self._leaves[id(tensor)] = _watched_arrays[id(tensor)]

    def _unwatch_arrays(self):
        for array in self._watched:
            _watched_arrays.pop(id(array), None)

    @contextlib.contextmanager
    def stop_recording(self):
        """Ops inside this block are not recorded on this tape."""
        was_recording = self in _recording_tapes
        if was_recording:
            _recording_tapes.remove(self)
        try:
            yield
        finally:
            if was_recording:
                _recording_tapes.append(self)

    def _watches(self, source):
        return self.watch_accessed_variables or not isinstance(source, Variable) \
            or id(source) in self._watched_variable_ids

    def reset(self):
        """Forgets everything recorded so far."""
        self._nodes = []

    def watched_variables(self):
        """The Variables that ops on this tape have read."""
        from nanokeras.ops.variable import Variable

        seen, result = set(), []
        for node in self._nodes:
            for x in node.inputs:
                if isinstance(x, Variable) and id(x) not in seen and self._watches(x):
                    seen.add(id(x))
                    result.append(x)
        return result

    def gradient(self, target, sources, output_gradients=None, unconnected_gradients="none"):
        """Gradients of `target` with respect to each of `sources`.

        Args:
            target: the (usually scalar) result to differentiate; a non-scalar
                target is summed first.
            sources: a Variable/Tensor/watched array, or a list, tuple or dict of them.
            output_gradients: the upstream gradient to start from, `ones` by default.
            unconnected_gradients: `"none"` (None for a source `target` does not
                depend on) or `"zero"`.

        Returns:
            numpy arrays (or `Tensor`s while an outer tape records), in the
            structure of `sources`.
        """
        if unconnected_gradients not in ("none", "zero"):
            raise ValueError(
                f"`unconnected_gradients` must be 'none' or 'zero', got {unconnected_gradients!r}."
            )
        if self._used and not self.persistent:
            raise RuntimeError(
                "A non-persistent GradientTape can only be used to compute one set of "
                "gradients. Use `GradientTape(persistent=True)` to call `gradient` again."
            )
        self._used = True
        if type(sources) is list and self.watch_accessed_variables and all(type(s) is Variable for s in sources):
            # The training step's case: a list of weights (no lookups, no rebuilding).
            grads = self._backward(target, output_gradients, ())
            result = [grads.get(id(s)) for s in sources]
            if unconnected_gradients == "zero":
                result = [np.zeros_like(s.value) if g is None else g for s, g in zip(sources, result)]
            if not self.persistent:
                self._nodes = []
            return result
        flat_sources, rebuild = _flatten(sources)
        source_keys = [id(self._leaf(s)) for s in flat_sources]
        grads = self._backward(target, output_gradients, set(source_keys))
        result = []
        for s, key in zip(flat_sources, source_keys):
            g = grads.get(key) if self._watches(s) else None
            if g is None and unconnected_gradients == "zero":
                g = np.zeros_like(value_of(s))
            result.append(g)
        if not self.persistent:
            self._nodes = []
        return rebuild(result)

    def _leaf(self, x):
        """The leaf Tensor standing for a watched array (also after the tape exits)."""
        if isinstance(x, TensorOperators):
            return x
        leaf = self._leaves.get(id(x))
        return leaf if leaf is not None else _watched_arrays.get(id(x), x)

    def _backward(self, target, output_gradients, keep):
        if not isinstance(target, TensorOperators):
            target = self._leaf(target)
        if not isinstance(target, TensorOperators):
            return {}
        # The backward pass records on outer tapes only (for higher derivatives).
        # (Done by hand, not with `stop_recording()`: this runs every training step.)
        was_recording = self in _recording_tapes
        if was_recording:
            _recording_tapes.remove(self)
        try:
            return backward_pass(self._nodes, target, output_gradients, keep)
        finally:
            if was_recording:
                _recording_tapes.append(self)


def backward_pass(nodes, target, output_gradients=None, keep=()):
    """Walks `nodes` (in recording order) backwards from `target`.

    Returns `{id(x): gradient}` for the inputs of the nodes that `target` depends
    on; the gradients of the nodes in between are dropped as soon as they have
    been passed on, except for the ids in `keep`.
    """
    seed = output_gradients
    if seed is None:
        seed = np.ones_like(target.value)
    grads = {id(target): seed}
    for node in reversed(nodes):
        key = id(node)
        g = grads.get(key) if key in keep else grads.pop(key, None)
        if g is None:
            continue
        for x, gx in zip(node.inputs, node.vjp(g)):
            if gx is None or not isinstance(x, TensorOperators):
                continue
            k = id(x)
            previous = grads.get(k)
            grads[k] = gx if previous is None else previous + gx
    return grads


def _flatten(sources):
    """Flattens a source or a list/tuple/dict of them; returns (flat, rebuild)."""
    if isinstance(sources, dict):
        keys = list(sources)
        return [sources[k] for k in keys], lambda gs: dict(zip(keys, gs))
    if isinstance(sources, (list, tuple)):
        kind = type(sources)
        return list(sources), lambda gs: kind(gs)
    return [sources], lambda gs: gs[0]
