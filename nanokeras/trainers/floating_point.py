"""Diverging training shows up as `inf`/`nan` in the logs, as in Keras, never as numpy warnings.

With a learning rate that is too large, weights overflow; Keras (on JAX, TensorFlow
or PyTorch) carries on silently with `inf`/`nan` losses, which the progress bar shows
and `TerminateOnNaN` acts on. numpy would print `RuntimeWarning: overflow encountered
in ...` pointing into nanokeras's ops instead, so `fit`, `evaluate`, `predict`, `train_on_batch`
and `test_on_batch` run with numpy's floating-point warnings off (about 4 µs per call, not per
step). A `predict` whose outputs are NaN by design (a masked softmax's 0/0 on padding) is quiet too.
"""

import functools

import numpy as np


def quiet_floating_point_errors(method):
    """Runs `method` with numpy's overflow/invalid/divide/underflow warnings off."""

    @functools.wraps(method)
    def quiet(*args, **kwargs):
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            return method(*args, **kwargs)

    return quiet
