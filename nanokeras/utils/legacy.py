"""`keras.utils.legacy`: Keras 2's `serialize_keras_object` / `deserialize_keras_object`, the same
functions as `keras.legacy.saving`. They live on the saving floor, above `utils`: the fixed table
of `nanokeras/_api.py` lends them on first access."""

__all__ = ["deserialize_keras_object", "serialize_keras_object"]


def __getattr__(name):
    from nanokeras import _api

    return _api.resolve(__name__, name)


def __dir__():
    from nanokeras import _api

    return sorted(set(globals()) | _api.names(__name__))
