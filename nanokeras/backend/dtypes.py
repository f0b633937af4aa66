"""Data types: turning the names and objects users pass as `dtype` into numpy dtypes."""

import numpy as np

from nanokeras.backend import config


def standardize_dtype(dtype):
    """A numpy dtype from a string, numpy dtype or None (None means `floatx()`)."""
    if dtype is None:
        return np.dtype(config.floatx())
    if hasattr(dtype, "name") and not isinstance(dtype, np.dtype) and not isinstance(dtype, type):
        dtype = dtype.name  # e.g. a DTypePolicy-like object
    try:
        return np.dtype(dtype)
    except TypeError:
        raise TypeError(f"Invalid dtype: {dtype!r}. Expected e.g. 'float32' or 'int64'.") from None
