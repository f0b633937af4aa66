"""All-or-nothing optimizer steps: Ctrl-C never lands between two variable updates.

An optimizer updates its variables one array at a time. A `KeyboardInterrupt`
(SIGINT) delivered between two of those calls would leave some weights and slots
at step k+1 and the rest at step k: a model no training step produced. Inside
`atomic_update()` SIGINT is held back and delivered when the block ends, so the
step finishes first. An exception raised by code in the block (a user's
`update_step` or constraint) restores the arrays given to it, so the step is
undone instead.

Python runs signal handlers in the main thread only; elsewhere the block still
undoes exceptions but cannot hold a signal back (there is nothing to hold: the
signal goes to the main thread).

Example:
    >>> import numpy as np
    >>> w = np.zeros(3)
    >>> try:
    ...     with atomic_update([w]):
    ...         w += 1
    ...         raise RuntimeError("a user constraint failed")
    ... except RuntimeError:
    ...     pass
    >>> w.tolist()
    [0.0, 0.0, 0.0]
"""

import signal
import threading

_held = {"depth": 0, "signal": None}
_previous = {"handler": None, "installed": False}


def _deferring_handler(signum, frame):
    if _held["depth"]:
        _held["signal"] = (signum, frame)
        return
    _deliver(signum, frame)


def _deliver(signum, frame):
    previous = _previous["handler"]
    if callable(previous):
        previous(signum, frame)
    else:
        signal.default_int_handler(signum, frame)


def _install():
    """Puts the deferring handler in front of the current SIGINT handler (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        return
    current = signal.getsignal(signal.SIGINT)
    _previous["installed"] = True
    if current is _deferring_handler or not callable(current):
        return  # already ours; or SIG_IGN / SIG_DFL, which Python code cannot sit in front of
    _previous["handler"] = current
    signal.signal(signal.SIGINT, _deferring_handler)


class atomic_update:
    """Runs the block as one step: SIGINT waits for its end; an exception restores `arrays`.

    Args:
        arrays: numpy arrays the block may change and that an exception must restore
            (copied on entry; give none when the block cannot raise once it has started
            changing things).
    """

    __slots__ = ("saved",)

    def __init__(self, arrays=()):
        self.saved = [(a, a.copy()) for a in arrays] if arrays else ()

    def __enter__(self):
        if not _previous["installed"]:
            _install()
        _held["depth"] += 1
        return self

    def __exit__(self, kind, error, traceback):
        if kind is not None:
            for array, copy in self.saved:
                array[...] = copy
        _held["depth"] -= 1
        pending = _held["signal"]
        if pending is not None and _held["depth"] == 0:
            _held["signal"] = None
            _deliver(*pending)
        return False


def reinstall():
    """Checks the handler is still in front of SIGINT (a program may have set its own since):
    called when training starts, not at every step."""
    _previous["installed"] = False
    _install()
