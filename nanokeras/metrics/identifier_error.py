"""The error for a `keras.metrics.get` identifier that is no name, metric, function or config."""


class MetricIdentifierError(TypeError, ValueError):
    """Both types: Keras raises ValueError for `keras.metrics.get(3)`, so code written against Keras
    catches it, and TypeError is the natural type for an argument of the wrong kind."""
