"""The error for a count argument of fit/evaluate/predict (`epochs`, `batch_size`, ...) that is no
positive or non-negative integer."""


class IntegerArgumentError(TypeError, ValueError):
    """Both types: Keras raises TypeError for `epochs=2.0` or `batch_size=4.0` (Python's own error on
    the float), so code written against Keras catches it, and ValueError is the natural type for a
    bad value such as `epochs=-1`."""
