"""Keras 2's `keras.backend` functions (`K.mean`, `K.square`, `K.random_normal`, ...), on nanokeras ops.

Keras 2 code written as

    from keras import backend as K
    kl = -0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)

runs unchanged: each function keeps Keras 2's arguments and meaning, works on
arrays, variables, inside a `GradientTape` (gradients flow) and on the symbolic
tensors of the functional API (a step of the model's graph), and notes once per
process how Keras 3 spells it (`keras.ops.sum`, ...); strict Keras 3 mode makes
each an error. Functions that only make sense for TensorFlow graphs
(`K.function`, `K.gradients`, `K.placeholder`, ...) raise an error saying what to
write instead.

`KERAS2_NAMES` maps each Keras 2 name to its function (the names `keras.backend`
gains); `KERAS3_SPELLINGS` gives the Keras 3 spelling of each.

Example:
    >>> import numpy as np
    >>> from nanokeras import keras2_backend as K
    >>> float(K.mean(K.square(np.array([1.0, 3.0]))))
    5.0
"""

from nanokeras.keras2_backend import arrays, convolution, functions, graph_only, math, nn, random, variables  # noqa: F401
from nanokeras.keras2_backend.registry import KERAS2_NAMES, KERAS3_SPELLINGS

globals().update(KERAS2_NAMES)
# What `keras.backend` already has (Keras 2 code calls `K.epsilon()` beside `K.mean`): here too, without a note.
from nanokeras.backend import (  # noqa: E402
    backend, clear_session, epsilon, floatx, get_uid, image_data_format, is_keras_tensor, set_epsilon, set_floatx,
    set_image_data_format,
)

__all__ = ["KERAS2_NAMES", "KERAS3_SPELLINGS"] + sorted(KERAS2_NAMES)
