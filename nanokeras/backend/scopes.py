"""Scopes Keras programs open around their code: `keras.device` and rematerialization.

nanokeras runs on the CPU with numpy, as Keras's numpy backend does, so these scopes
accept what Keras accepts and change nothing in the numbers:

- `keras.device(name)` places nothing (every array lives in main memory);
- `keras.remat(f)` returns `f` with a warning, and `keras.RematScope` records its
  settings: rematerialization (recomputing activations in the backward pass to save
  memory) is an accelerator-memory optimization that nanokeras's tape does not do.

Example:
    >>> import nanokeras as keras
    >>> with keras.device("cpu:0"):
    ...     pass
    >>> with keras.RematScope(mode="full") as scope:
    ...     scope.mode
    'full'
"""

import contextlib
import warnings

_REMAT_MODES = (None, "full", "activations", "larger_than", "list_of_layers")
_REMAT_STACK = []


@contextlib.contextmanager
def device(device_name):
    """A scope for the device to place computations on; nanokeras computes on the CPU.

    Args:
        device_name: a device string such as `"cpu"`, `"cpu:0"` or `"gpu:0"`.
    """
    if not isinstance(device_name, str) or not device_name:
        raise ValueError(f"Invalid value for argument `device_name`: expected a string such as 'cpu:0', "
                         f"got {device_name!r}.")
    yield


def remat(f):
    """Returns `f`: nanokeras does not rematerialize (see the module's note), as Keras's numpy backend."""
    warnings.warn(
        "Rematerialization memory optimization is not supported by nanokeras (like Keras's numpy "
        "backend): `remat` returns the function unchanged; values and gradients are the same.",
        stacklevel=2,
    )
    return f


class RematScope:
    """Records Keras's rematerialization settings for the code inside it (see `remat`).

    Args:
        mode: None, `"full"`, `"activations"`, `"larger_than"` or `"list_of_layers"`.
        output_size_threshold: for `"larger_than"`, the output size above which to rematerialize.
        layer_names: for `"list_of_layers"`, the layers to rematerialize.
    """

    def __init__(self, mode="full", output_size_threshold=1024, layer_names=None):
        if mode not in _REMAT_MODES:
            raise ValueError(f"Invalid mode '{mode}'. Supported modes are: {list(_REMAT_MODES)}")
        self.mode = mode
        self.output_size_threshold = output_size_threshold
        self.layer_names = layer_names or []

    def __enter__(self):
        _REMAT_STACK.append(self)
        return self

    def __exit__(self, *exc):
        _REMAT_STACK.remove(self)
        return False


def get_current_remat_mode():
    """The innermost `RematScope`, or None."""
    return _REMAT_STACK[-1] if _REMAT_STACK else None
