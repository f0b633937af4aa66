"""The error for an optimizer `name` that is not a string."""


class OptimizerNameError(TypeError, ValueError):
    """Both types: Keras raises ValueError for `SGD(name=5)`, so code written against Keras catches
    it, and TypeError is the natural type for an argument of the wrong kind."""
