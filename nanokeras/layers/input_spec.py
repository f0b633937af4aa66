"""`InputSpec`: what a layer accepts (rank, dtype, sizes of some axes), checked on every call.

A layer sets `self.input_spec` (one spec, or a list with one per input); calling it on
something else raises a ValueError that says which input, what was expected and what came.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> class Pairs(keras.layers.Layer):
    ...     def __init__(self, **kwargs):
    ...         super().__init__(**kwargs)
    ...         self.input_spec = keras.InputSpec(ndim=2, axes={-1: 2})
    >>> Pairs(name="pairs")(np.zeros((3, 4)))
    Traceback (most recent call last):
    ...
    ValueError: Input 0 of layer 'pairs' is incompatible with the layer: expected axis -1 of input shape to have value 2, but received input with shape (3, 4).
"""

import numpy as np

from nanokeras.backend.dtypes import standardize_dtype
from nanokeras.tree import flatten
from nanokeras.utils.keyword_arguments import check_keyword_arguments


class InputSpec:
    """The expected rank, dtype and shape of one input of a layer (None: anything).

    Args:
        dtype: the expected dtype.
        shape: the expected shape, batch axis included (None for any size on an axis).
        ndim / max_ndim / min_ndim: the expected, largest and smallest rank.
        axes: `{axis: size}` for axes whose size is fixed.
        allow_last_axis_squeeze: accept a trailing axis of size 1 more or less than `shape`.
        name: the key of this input when a layer is called on a dict.
        optional: whether the input may be None.
    """

    def __new__(cls, *args, **kwargs):
        check_keyword_arguments(cls, kwargs)  # "did you mean" for a misspelt argument
        return super().__new__(cls)

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None, axes=None,
                 allow_last_axis_squeeze=False, name=None, optional=False):
        self.dtype = standardize_dtype(dtype).name if dtype is not None else None
        if shape is not None:
            self.shape = tuple(None if d is None else int(d) for d in shape)
            self.ndim = len(self.shape)
        else:
            self.shape = None
            self.ndim = ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.name = name
        self.optional = optional
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        try:
            self.axes = {int(axis): size for axis, size in (axes or {}).items()}
        except (AttributeError, TypeError, ValueError):
            raise TypeError(f"Argument `axes` must be a dict with integer keys. Received: axes={axes!r}") from None
        largest = self.ndim if self.ndim else self.max_ndim
        if self.axes and largest is not None and max(self.axes) > largest - 1:
            raise ValueError(f"Axis {max(self.axes)} is greater than the maximum allowed value: {largest - 1}")

    def __repr__(self):
        parts = [f"{key}={getattr(self, key)}" for key in ("dtype", "shape", "ndim", "max_ndim", "min_ndim", "axes")
                 if getattr(self, key)]
        return f"InputSpec({', '.join(parts)})"

    def get_config(self):
        return {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim, "max_ndim": self.max_ndim,
                "min_ndim": self.min_ndim, "axes": self.axes, "optional": self.optional}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _shape_of(x):
    shape = getattr(x, "shape", None)
    if shape is None:
        return None
    return tuple(None if d is None else int(d) for d in shape)


def assert_input_compatibility(input_spec, inputs, layer_name):
    """Raises a ValueError when `inputs` do not match `input_spec` (one spec or a list of specs)."""
    if not input_spec:
        return
    specs = flatten(input_spec)
    if isinstance(inputs, dict) and all(spec is not None and spec.name for spec in specs):
        missing = [spec.name for spec in specs if spec.name not in inputs]
        if missing:
            raise ValueError(
                f"Missing data for input {missing[0]!r} of layer {layer_name!r}: the dict passed has keys "
                f"{list(inputs)}, the layer expects {[spec.name for spec in specs]}."
            )
        inputs = [inputs[spec.name] for spec in specs]
    inputs = flatten(inputs)
    if len(inputs) != len(specs):
        raise ValueError(
            f"Layer {layer_name!r} expects {len(specs)} input(s), but it received {len(inputs)} input tensors."
        )
    for index, (x, spec) in enumerate(zip(inputs, specs)):
        if spec is None or (x is None and spec.optional):
            continue
        shape = _shape_of(x)
        if shape is None:
            raise ValueError(
                f"Inputs to a layer should be tensors. Got {x!r:.80} (of type {type(x).__name__}) as input "
                f"for layer {layer_name!r}."
            )
        _check(index, spec, x, shape, layer_name)


def _check(index, spec, x, shape, layer_name):
    where = f"Input {index}" + (f" (named {spec.name!r})" if spec.name else "")
    prefix = f"{where} of layer {layer_name!r} is incompatible with the layer: "
    ndim = len(shape)
    if spec.ndim is not None and not spec.allow_last_axis_squeeze and ndim != spec.ndim:
        raise ValueError(prefix + f"expected ndim={spec.ndim}, found ndim={ndim}. Full shape received: {shape}.")
    if spec.max_ndim is not None and ndim > spec.max_ndim:
        raise ValueError(prefix + f"expected max_ndim={spec.max_ndim}, found ndim={ndim}.")
    if spec.min_ndim is not None and ndim < spec.min_ndim:
        raise ValueError(prefix + f"expected min_ndim={spec.min_ndim}, found ndim={ndim}. "
                         f"Full shape received: {shape}.")
    if spec.dtype is not None:
        dtype = str(getattr(x, "dtype", ""))
        try:
            dtype = np.dtype(dtype).name
        except TypeError:
            pass
        if dtype != spec.dtype:
            raise ValueError(prefix + f"expected dtype={spec.dtype}, found dtype={dtype}.")
    for axis, size in spec.axes.items():
        if size is None:
            continue
        if not -ndim <= axis < ndim:
            raise ValueError(prefix + f"expected an axis {axis}, but received input with shape {shape}.")
        if shape[axis] not in (size, None):
            raise ValueError(prefix + f"expected axis {axis} of input shape to have value {size}, "
                             f"but received input with shape {shape}.")
    if spec.shape is not None:
        expected, given = spec.shape, shape
        if spec.allow_last_axis_squeeze:
            given = given[:-1] if given and given[-1] == 1 else given
            expected = expected[:-1] if expected and expected[-1] == 1 else expected
        for want, got in zip(expected, given):
            if want is not None and got is not None and want != got:
                raise ValueError(prefix + f"expected shape={spec.shape}, found shape={shape}.")
