"""The error for a config nanokeras cannot turn into an object: an unknown class or function,
or a `from_config` that refuses the config's arguments."""


class DeserializationError(TypeError, ValueError):
    """A TypeError, as Keras raises it ("Could not locate class ...", "... could not be
    deserialized properly"), so `except TypeError` written for Keras catches it; also a
    ValueError, as nanokeras raised it before."""
