"""The error for `load_model` and `load_weights` on a path that does not exist."""


class ModelFileNotFoundError(FileNotFoundError, ValueError):
    """A FileNotFoundError, the Python error for a missing file; also a ValueError, as Keras
    raises it there ("File not found: filepath=..."), so `except ValueError` written for Keras
    catches it."""
