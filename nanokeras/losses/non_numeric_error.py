"""The error for loss inputs (labels, predictions, sample weights) that are not numbers."""


class NonNumericLossInputError(TypeError, ValueError):
    """Both types: Keras raises ValueError for strings given to a loss ("could not convert string to
    float"), so code written against Keras catches it, and TypeError is the natural type for values
    of the wrong kind."""
