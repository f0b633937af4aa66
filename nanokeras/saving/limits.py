"""Bounds on what loading a file may cost, checked before anything is built or allocated.

A model file is data from somewhere else. Loading one stays linear in its size
and bounded in memory:

- `max_layers` (default 20,000): layer configs in one file, nested models included.
  The largest models Keras ships have a few thousand.
- `max_depth` (default 100): nesting depth of the config's JSON. Real models need
  about 4 levels per nested model and rarely more than 20 in all.
- `weight_slack_bytes` (default 64 MiB): the layers named in a file may create at
  most as many bytes of weights as the file stores, plus this slack. A real file
  stores every weight its model has; a config that asks for more (e.g. a 1 KB file
  declaring `Dense(units=10**12)`) is refused before numpy allocates anything.

Beyond a limit, loading raises a `ValueError` naming the file and the limit.
Raise a limit for a file you trust with `keras.saving.load_limits(...)`.

Example:
    >>> import nanokeras as keras
    >>> with keras.saving.load_limits(max_layers=50_000):
    ...     keras.saving.get_load_limits()["max_layers"]
    50000
    >>> keras.saving.get_load_limits()["max_layers"]
    20000
"""

import contextlib
import inspect

import numpy as np

_LIMITS = {"max_layers": 20_000, "max_depth": 100, "weight_slack_bytes": 64 * 2**20}
_BUDGETS = []


def get_load_limits():
    """The limits in force, as a dict (a copy)."""
    return dict(_LIMITS)


def set_load_limits(**limits):
    """Changes the limits for every later load; returns the previous values.

    Args:
        max_layers / max_depth / weight_slack_bytes: positive ints (see the module docs).
    """
    checked = {}
    for name, value in limits.items():
        if name not in _LIMITS:
            raise TypeError(f"set_load_limits() got an unknown limit {name!r}; the limits are {sorted(_LIMITS)}.")
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"`{name}` must be a positive int, got {value!r}.")
        checked[name] = value
    previous = {name: _LIMITS[name] for name in checked}
    _LIMITS.update(checked)
    return previous


@contextlib.contextmanager
def load_limits(**limits):
    """Within `with load_limits(max_layers=...)`, loads use these limits."""
    previous = set_load_limits(**limits)
    try:
        yield get_load_limits()
    finally:
        _LIMITS.update(previous)


def _limit_error(source, what, limit_name):
    return ValueError(
        f"Refusing to load {source}: {what}, beyond the limit `{limit_name}={_LIMITS[limit_name]:,}`. "
        f"If you trust this file, raise the limit: `with keras.saving.load_limits({limit_name}=...):`."
    )


def check_config(config, source):
    """Refuses a parsed config nested deeper than `max_depth` or listing more than `max_layers` layers.

    Walks the config iteratively (no recursion), in time linear in its size.
    """
    max_depth, max_layers = _LIMITS["max_depth"], _LIMITS["max_layers"]
    layers = 0
    stack = [(config, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > max_depth:
            raise _limit_error(source, f"its config is nested more than {max_depth} levels deep", "max_depth")
        if isinstance(value, dict):
            if isinstance(value.get("layers"), list) and "class_name" not in value:
                layers += len(value["layers"])
            elif isinstance(value.get("config"), list) and "class_name" in value:  # Keras 2.0's Sequential
                layers += len(value["config"])
            if layers > max_layers:
                raise _limit_error(source, f"its config lists more than {max_layers:,} layers", "max_layers")
            stack.extend((item, depth + 1) for item in value.values() if isinstance(item, (dict, list)))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value if isinstance(item, (dict, list)))


def json_depth_error(source):
    """The error for JSON too deep for Python's parser (it raised RecursionError)."""
    return _limit_error(source, "its config is nested too deeply to parse", "max_depth")


class WeightBudget:
    """Counts the bytes of weights that layers built while loading create, and refuses the excess.

    Every layer the deserializer creates is watched: its `add_weight` checks the
    budget before the weight (and its initial values) exist.
    """

    def __init__(self, stored_bytes, source):
        self.limit = int(stored_bytes) + _LIMITS["weight_slack_bytes"]
        self.stored_bytes = int(stored_bytes)
        self.source = source
        self.used = 0
        self._watched = []

    def __enter__(self):
        _BUDGETS.append(self)
        return self

    def __exit__(self, *exc):
        _BUDGETS.remove(self)
        for layer in self._watched:
            vars(layer).pop("add_weight", None)
        self._watched = []
        return False

    def watch(self, layer):
        add_weight = getattr(layer, "add_weight", None)
        if add_weight is None or "add_weight" in vars(layer):
            return
        try:
            signature = inspect.signature(add_weight)
        except (TypeError, ValueError):
            return
        budget = self

        def checked_add_weight(*args, **kwargs):
            try:
                bound = signature.bind(*args, **kwargs).arguments
            except TypeError:
                bound = {}
            budget.charge(layer, bound.get("shape"), bound.get("dtype"))
            return add_weight(*args, **kwargs)

        object.__setattr__(layer, "add_weight", checked_add_weight)
        self._watched.append(layer)

    def charge(self, layer, shape, dtype):
        try:
            dims = [int(d) for d in (() if shape is None else shape)]
            itemsize = np.dtype(dtype or getattr(layer, "dtype", None) or "float32").itemsize
        except (TypeError, ValueError):
            return  # the layer reports its own invalid arguments
        size = itemsize
        for d in dims:
            size *= max(d, 0)
        self.used += size
        if self.used > self.limit:
            name = getattr(layer, "name", type(layer).__name__)
            raise ValueError(
                f"Refusing to load {self.source}: layer {name!r} asks for a weight of shape {tuple(dims)}, "
                f"bringing the weights to {self.used:,} bytes, but the file stores only {self.stored_bytes:,} "
                f"bytes of weights (limit: stored + `weight_slack_bytes={_LIMITS['weight_slack_bytes']:,}`). "
                "Its config declares more weights than it holds. If you trust this file, raise the limit: "
                "`with keras.saving.load_limits(weight_slack_bytes=...):`."
            )


def watch_layer(obj):
    """Puts a layer the deserializer just created under the active weight budget, if any."""
    if _BUDGETS and hasattr(type(obj), "add_weight") and not isinstance(obj, type):
        _BUDGETS[-1].watch(obj)
