"""When optimizers use the compiled kernels of the `fast` extra (`pip install nanokeras[fast]`).

A built-in optimizer updates all weights packed in one array (`flat_buffer.py`) with a
dozen numpy calls per step, each a full pass over memory. With numba installed, the same
update runs as one compiled loop (`fused_kernels.py`): the same float operations in the
same order on each element, so the weights are the numpy path's bit for bit.

The switch, `NANOKERAS_FAST` in the environment or `set_fused_updates(...)`:

- `"auto"` (the default): numba is imported only once the kernels would already have
  saved an optimizer about what importing and loading them costs (counted as elements
  updated on numpy: `AUTO_AFTER_ELEMENTS`). A small fit never pays for it; a long one
  switches over part-way, which changes no number.
- `"on"` (`1`): use the kernels from the first step (when numba is installed);
- `"off"` (`0`): never; everything runs on numpy.

Example:
    >>> from nanokeras.optimizers import fused_updates
    >>> fused_updates.set_fused_updates("off")
    >>> fused_updates.fused_updates_mode()
    'off'
    >>> fused_updates.set_fused_updates(None)   # back to $NANOKERAS_FAST, else "auto"
"""

import importlib.util
import os

from nanokeras.utils.lookup import closest_names

ENVIRONMENT_VARIABLE = "NANOKERAS_FAST"
# Importing numba and loading one cached kernel costs ~0.5 s of CPU (measured on a 2-core
# x86 machine); inside fit, the kernel saves ~1.5 ns per element and step over numpy. After
# ~3e8 elements updated on numpy, what the kernels would have saved so far equals the price
# of switching (the "ski rental" rule: never more than twice the better choice in hindsight).
AUTO_AFTER_ELEMENTS = 300_000_000

_MODES = {"auto": "auto", "on": "on", "1": "on", "true": "on", "off": "off", "0": "off", "false": "off"}
_state = {"mode": None, "environment": None, "kernels": None, "why_not": None}


def set_fused_updates(mode):
    """Chooses when built-in optimizers use the compiled kernels: "auto", "on", "off" (or True/False).

    None goes back to the environment variable `NANOKERAS_FAST` (else "auto").
    """
    if mode is None:
        _state["mode"] = None
        return
    _state["mode"] = _parse(mode, "set_fused_updates(mode)")


def fused_updates_mode():
    """The current setting: "auto", "on" or "off" (`NANOKERAS_FAST` is read once, when first needed)."""
    mode = _state["mode"]
    if mode is None:
        mode = _state["environment"]
        if mode is None:
            mode = _state["environment"] = _parse(os.environ.get(ENVIRONMENT_VARIABLE, "auto"),
                                                  f"${ENVIRONMENT_VARIABLE}")
    return mode


def _parse(mode, where):
    if mode is True or mode is False:
        return "on" if mode else "off"
    key = str(mode).strip().lower() if isinstance(mode, str) else None
    if key not in _MODES:
        close = closest_names(str(mode), ["auto", "on", "off"])
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(
            f"{where} must be one of 'auto', 'on' (or 1), 'off' (or 0); received {mode!r}.{hint}"
        )
    return _MODES[key]


def kernels_available():
    """True when numba is installed (the kernels can be compiled)."""
    return importlib.util.find_spec("numba") is not None


def kernels_for(elements_done):
    """The kernels module when an optimizer that has updated `elements_done` elements on numpy
    should use them now, else None."""
    mode = fused_updates_mode()
    if mode == "off" or (mode == "auto" and elements_done < AUTO_AFTER_ELEMENTS):
        return None
    return load_kernels()


def load_kernels():
    """`fused_kernels.kernels` (imports numba the first time), or None when it cannot be loaded."""
    kernels = _state["kernels"]
    if kernels is None and _state["why_not"] is None:
        if not kernels_available():
            _state["why_not"] = "numba is not installed (pip install nanokeras[fast])"
            return None
        try:
            from nanokeras.optimizers.fused_kernels import kernels
        except Exception as error:  # a broken numba install: numpy keeps working
            _state["why_not"] = f"importing numba failed: {type(error).__name__}: {error}"
            return None
        _state["kernels"] = kernels
    return kernels


def give_up(error):
    """Stops using the kernels in this process: one could not be compiled (e.g. its cache could not
    be written). The update that failed changed nothing and runs on numpy."""
    _state["kernels"] = None
    _state["why_not"] = f"a kernel failed to compile: {type(error).__name__}: {error}"


def why_not_loaded():
    """Why the kernels could not be loaded, or None (not tried yet, or loaded)."""
    return _state["why_not"]
