"""Argument checks for `fit`, `evaluate` and `predict`, with messages that say what to change."""

import numbers

import numpy as np

from nanokeras.graph.input_rank import match_input_rank
from nanokeras.trainers.batch_sources import is_batch_source
from nanokeras.trainers.integer_argument_error import IntegerArgumentError


def _is_int(value):
    return isinstance(value, (numbers.Integral, np.integer)) and not isinstance(value, bool)


def check_verbose(verbose):
    # Tutorials write `verbose=False` (silent) and `verbose=True`; Keras takes them as 0 and 1.
    if isinstance(verbose, str) and verbose != "auto" or verbose not in ("auto", 0, 1, 2):
        raise ValueError(f"`verbose` must be 'auto', 0, 1 or 2, got {verbose!r}.")
    return 1 if verbose == "auto" else int(verbose)


def check_batch_size(batch_size, argument="batch_size"):
    """The batch size to use: `batch_size`, or 32 when None."""
    if batch_size is None:
        return 32
    if type(batch_size) is int and batch_size >= 1:
        return batch_size
    if not _is_int(batch_size) or batch_size < 1:
        raise IntegerArgumentError(f"`{argument}` must be a positive integer, got {batch_size!r}.")
    return int(batch_size)


def check_steps(steps):
    """`steps` of evaluate/predict: None (all the data) or a positive integer; 0 means None, as in
    Keras (it tests `if steps:`)."""
    if steps is None or _is_int(steps) and steps == 0:
        return None
    if _is_int(steps) and steps > 0:
        return int(steps)
    raise IntegerArgumentError(f"`steps` must be a positive integer or None, got {steps!r}.")


def check_fit_arguments(batch_size=None, epochs=1, validation_split=0.0, validation_data=None, initial_epoch=0,
                        steps_per_epoch=None, validation_freq=1, shuffle=True, validation_batch_size=None):
    """Checks the scalar arguments of `fit`; returns the batch size to use (32 by default)."""
    batch_size = check_batch_size(batch_size)
    if validation_batch_size is not None and (not _is_int(validation_batch_size) or validation_batch_size < 1):
        raise IntegerArgumentError(
            f"`validation_batch_size` must be a positive integer, got {validation_batch_size!r}."
        )
    if not _is_int(epochs) or epochs < 0:
        raise IntegerArgumentError(f"`epochs` must be a non-negative integer, got {epochs!r}.")
    if not _is_int(initial_epoch) or initial_epoch < 0:
        raise IntegerArgumentError(f"`initial_epoch` must be a non-negative integer, got {initial_epoch!r}.")
    if not isinstance(validation_split, numbers.Real) or not 0 <= validation_split < 1:
        raise ValueError(
            f"`validation_split` must be a number in [0, 1), got {validation_split!r} "
            "(e.g. 0.2 holds out the last 20% of the data)."
        )
    if validation_split and validation_data is not None:
        validation_split = 0  # Keras: validation_data wins
    if validation_data is not None and not is_batch_source(validation_data):
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
            count = len(validation_data) if isinstance(validation_data, (tuple, list)) else "not a tuple"
            raise ValueError(
                "`validation_data` must be a tuple or list `(x_val, y_val)` or `(x_val, y_val, sample_weight)`, "
                f"got {type(validation_data).__name__} ({count})."
            )
    if steps_per_epoch is not None and (not _is_int(steps_per_epoch) or steps_per_epoch < 1):
        raise IntegerArgumentError(f"`steps_per_epoch` must be a positive integer or None, got {steps_per_epoch!r}.")
    if _is_int(validation_freq):
        if validation_freq < 1:
            raise ValueError(f"`validation_freq` must be a positive integer, got {validation_freq!r}.")
    elif not (isinstance(validation_freq, (list, tuple, set)) and all(_is_int(v) for v in validation_freq)):
        raise ValueError(f"`validation_freq` must be an int or a list of epoch numbers, got {validation_freq!r}.")
    if shuffle not in (True, False, "batch"):
        raise ValueError(f"`shuffle` must be True, False or 'batch', got {shuffle!r}.")
    return int(batch_size)


def check_features(model, x, argument="x"):
    """`x`, checked against the per-sample shape the model was built for: its rank matched to
    the `Input`'s as Keras does (`(7,)` for `Input((1,))` becomes `(7, 1)`), its sizes checked."""
    if x.dtype.kind in "USO":
        return x  # texts: a "string" Input takes (batch,) for (batch, 1); the layer reading them checks them
    expected = _expected_input_shape(model)
    if expected is None or not all(d is None or isinstance(d, (int, np.integer)) for d in expected):
        return x  # unknown, or several inputs: the model's own call names what it expects
    if x.ndim != len(expected) and (getattr(model, "_input_layer", None) is not None
                                    or hasattr(model, "_input_shapes")):
        x = match_input_rank(x, expected)  # a Sequential or functional model; not a subclassed one
    given = tuple(x.shape[1:])
    expected_sample = tuple(expected[1:])
    if len(given) != len(expected_sample) or any(e is not None and e != g for e, g in zip(expected_sample, given)):
        # Keras's fit/evaluate/predict check only the rank against the `Input`: sizes then are the
        # layers' business (an Embedding + LSTM built on length 5 takes length 3 or 7). So another
        # size of the same rank is accepted when the model's layers take it.
        reason = None
        if len(given) == len(expected_sample):
            reason = _layers_reject(model, expected, given, x.dtype)
            if reason is None:
                return x
        raise ValueError(
            f"`{argument}` has shape {tuple(x.shape)}, but the model expects input of shape "
            f"{expected} (None is the batch axis).{_reshape_hint(tuple(x.shape), expected_sample)}"
            + (f" ({reason})" if reason else "")
        )
    return x


def _layers_reject(model, expected, sample_shape, dtype):
    """None when the model's layers take samples of `sample_shape` (the model runs on zeros of
    that shape, as a look that changes nothing), else the layers' error message. Remembered per
    model configuration and shape, so batches of a source are not looked at again."""
    from nanokeras.backend import probing
    from nanokeras.layers import layer as layer_module
    from nanokeras.ops.stateless_scope import StatelessScope

    version = layer_module.configuration_version()
    cache = model.__dict__.get("_nk_sample_shapes_taken")
    if cache is None or cache[0] != version:
        cache = (version, {})
        model.__dict__["_nk_sample_shapes_taken"] = cache
    key = (tuple(sample_shape), np.dtype(dtype).str)
    if key not in cache[1]:
        batch = expected[0] if isinstance(expected[0], (int, np.integer)) else 1
        zeros = np.zeros((batch,) + tuple(sample_shape), dtype=dtype)
        try:
            with probing.outputs_only(), StatelessScope(), np.errstate(all="ignore"):
                model(zeros, training=False)
            cache[1][key] = None
        except (ValueError, TypeError, IndexError) as error:
            cache[1][key] = str(error).strip().split("\n")[0]
    return cache[1][key]


def _fits(shape, pattern):
    return len(shape) == len(pattern) and all(p is None or p == s for p, s in zip(pattern, shape))


def _reshape_hint(shape, expected_sample):
    """How to turn an array of `shape` into a batch of samples shaped `expected_sample`, if it can be."""
    known = all(d is not None for d in expected_sample)
    sample_size = int(np.prod(expected_sample)) if known else None
    size = int(np.prod(shape))
    if _fits(shape, expected_sample):
        # One sample without its batch axis: predict(np.array([1.0, 0.0])) on a 2-feature model.
        target = "1, -1" if len(shape) == 1 else "1, " + ", ".join(str(d) for d in shape)
        return f" Is it one sample? Add the batch axis: `x.reshape({target})` (or `x[None]`)."
    if len(expected_sample) == 1 and len(shape) == 2:
        return f" The model takes {expected_sample[0]} features per sample; the data has {shape[1]}."
    if known and size and size % sample_size == 0 and len(shape) != len(expected_sample) + 1:
        target = ", ".join(str(d) for d in expected_sample)
        return (f" Its {size} values make {size // sample_size} sample(s) of shape {expected_sample}: "
                f"`x.reshape(-1, {target})`.")
    if len(expected_sample) == 1:
        return f" Pass a 2-D array: one row per sample, {expected_sample[0]} features per row."
    return ""


def _expected_input_shape(model):
    input_layer = getattr(model, "_input_layer", None)
    if input_layer is not None:
        return input_layer.batch_shape
    if model.built and getattr(model, "_build_input_shape", None) is not None:
        return model._build_input_shape
    return None
