"""Data types: turning the names and objects users pass as `dtype` into numpy dtypes."""

import numpy as np

from nanokeras.backend import config


def standardize_dtype(dtype):
    """A numpy dtype from a string, numpy dtype or None (None means `floatx()`)."""
    if dtype is None:
        return np.dtype(config.floatx())
    if hasattr(dtype, "name") and not isinstance(dtype, np.dtype) and not isinstance(dtype, type):
        compute, variable = getattr(dtype, "compute_dtype", None), getattr(dtype, "variable_dtype", None)
        if compute != variable:
            raise ValueError(
                f"The dtype policy {dtype.name!r} computes in {compute} but keeps weights in {variable}: "
                "mixed precision is not supported by nanokeras. Use a float policy such as 'float32'."
            )
        dtype = dtype.name  # e.g. a DTypePolicy
    if dtype in ("mixed_float16", "mixed_bfloat16"):
        raise ValueError(
            f"The dtype policy {dtype!r} computes in 16 bits but keeps weights in float32: mixed precision "
            "is not supported by nanokeras. Use a float policy such as 'float32'."
        )
    try:
        return np.dtype(dtype)
    except TypeError:
        raise TypeError(f"Invalid dtype: {dtype!r}. Expected e.g. 'float32' or 'int64'.") from None
