"""Keras's switches for accelerators and memory: `device` and rematerialization (`remat`, `RematScope`).

nanokeras computes with numpy on the CPU, and keeps every intermediate result
a backward pass needs. `device("cpu")` is accepted (any other device is an
error naming the alternative), and rematerialization, a trade of compute for
accelerator memory, computes the same numbers: `remat(f)` is `f`, and
`RematScope` records its settings (`current_remat_mode()`) for code that reads them.

Example:
    >>> import nanokeras as keras
    >>> with keras.device("cpu:0"):
    ...     pass
    >>> with keras.RematScope(mode="full"):
    ...     keras.remat(abs)(-2)
    2
"""

import collections
import contextlib
import functools

_REMAT_MODES = ("full", "activations", "larger_than", "list_of_layers", None)
_remat_stack = []

RematMode = collections.namedtuple("RematMode", ["mode", "output_size_threshold", "layer_names"])


@contextlib.contextmanager
def device(device_name):
    """Places computations on `device_name`: `"cpu"` (or `"cpu:0"`), the only device nanokeras has."""
    if not isinstance(device_name, str) or device_name.lower().split(":")[0] != "cpu":
        raise ValueError(
            f"nanokeras computes with numpy on the CPU: `device` accepts 'cpu' or 'cpu:N', got {device_name!r}. "
            "To run on an accelerator, use real Keras 3 with the JAX, TensorFlow or PyTorch backend."
        )
    yield


class RematScope:
    """Sets the rematerialization mode for the layers called inside it (recorded; the numbers are the same).

    Args:
        mode: "full", "activations", "larger_than", "list_of_layers" or None.
        output_size_threshold: for "larger_than", the output size from which to rematerialize.
        layer_names: for "list_of_layers", the layers to rematerialize.
    """

    def __init__(self, mode="full", output_size_threshold=1024, layer_names=None):
        if mode not in _REMAT_MODES:
            raise ValueError(f"Invalid mode {mode!r}. Supported modes are: 'full', 'activations', 'larger_than', "
                             "'list_of_layers', or None.")
        self.mode = mode
        self.output_size_threshold = output_size_threshold
        self.layer_names = layer_names or []

    def __enter__(self):
        _remat_stack.append(self)
        return self

    def __exit__(self, *exc_info):
        _remat_stack.remove(self)
        return False


def current_remat_mode():
    """The innermost `RematScope`'s settings as a `RematMode`, or None outside any."""
    if not _remat_stack:
        return None
    scope = _remat_stack[-1]
    return RematMode(scope.mode, scope.output_size_threshold, scope.layer_names)


def remat(f):
    """`f` marked for rematerialization: on numpy, `f` itself (the same values and gradients)."""
    if not callable(f):
        raise TypeError(f"`remat` expects a callable, got {type(f).__name__}.")

    @functools.wraps(f)
    def rematerialized(*args, **kwargs):
        return f(*args, **kwargs)

    return rematerialized
