"""`Initializer`: the base class of every weight initializer.

An initializer is a callable `init(shape, dtype=None)` returning a numpy array
of that shape, in `keras.backend.floatx()` unless `dtype` says otherwise.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> class Halves(keras.initializers.Initializer):
    ...     def __call__(self, shape, dtype=None):
    ...         return np.full(shape, 0.5, dtype=dtype or "float32")
    >>> Halves()((2,)).tolist()
    [0.5, 0.5]
"""

import numbers

import numpy as np

from nanokeras.backend.dtypes import standardize_dtype
from nanokeras.utils.keyword_arguments import check_keyword_arguments


class Initializer:
    """Base class: subclasses implement `__call__(shape, dtype=None)`.

    `get_config()` returns the constructor arguments as a JSON-friendly dict and
    `from_config(config)` rebuilds the initializer from it.

    Example:
        >>> import nanokeras as keras
        >>> init = keras.initializers.RandomUniform(-1.0, 1.0, seed=3)
        >>> clone = keras.initializers.RandomUniform.from_config(init.get_config())
        >>> bool((clone((4,)) == init((4,))).all())
        True
    """

    def __new__(cls, *args, **kwargs):
        # Before `__init__`: a misspelt argument gets "did you mean ...?", not Python's TypeError.
        check_keyword_arguments(cls, kwargs)
        return super().__new__(cls)

    def __call__(self, shape, dtype=None):
        raise NotImplementedError(
            f"{type(self).__name__} must implement `__call__(self, shape, dtype=None)`."
        )

    def get_config(self):
        """The constructor arguments, as a JSON-serializable dict."""
        return {}

    @classmethod
    def from_config(cls, config):
        """Builds an initializer from the output of `get_config()`."""
        return cls(**config)

    def clone(self):
        """A new initializer with the same configuration."""
        return self.__class__.from_config(self.get_config())

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def standardize_shape(shape):
    """`shape` as a tuple of non-negative Python ints, or a `ValueError` explaining why not."""
    if isinstance(shape, numbers.Integral) and not isinstance(shape, bool):
        shape = (shape,)
    try:
        dims = tuple(shape)
    except TypeError:
        raise ValueError(
            f"Initializer `shape` must be a tuple of non-negative integers, got {shape!r}."
        ) from None
    for dim in dims:
        if isinstance(dim, bool) or not isinstance(dim, numbers.Integral) or dim < 0:
            raise ValueError(
                f"Initializer `shape` must be a tuple of non-negative integers, got {shape!r}. "
                "Every dimension must be known when a weight is created."
            )
    return tuple(int(d) for d in dims)


def standardize_float_dtype(dtype, initializer_name):
    """A floating numpy dtype (None means floatx()); random draws need one."""
    dtype = standardize_dtype(dtype)
    if dtype.kind != "f":
        raise ValueError(
            f"{initializer_name} draws random floats, so `dtype` must be a float type "
            f"such as 'float32'; got dtype={dtype.name!r}."
        )
    return dtype


def check_shape_against(value, shape):
    """Raise unless array `value` has exactly `shape`."""
    if tuple(np.shape(value)) != tuple(shape):
        raise ValueError(
            f"Expected `shape` to be {tuple(np.shape(value))} for an array used as initializer, "
            f"got shape={tuple(shape)}."
        )
