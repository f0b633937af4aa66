"""`keras.layers.experimental.preprocessing.<Layer>`: Keras 2's names of the preprocessing layers.

Example:
    >>> import warnings, nanokeras as keras
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     layer_class = keras.layers.experimental.preprocessing.Rescaling
    >>> layer_class is keras.layers.Rescaling
    True
"""

from nanokeras.utils import keras2_notes

# The layers Keras 2 exported here; each is `keras.layers.<name>` in Keras 3.
_NAMES = (
    "CategoryEncoding", "CenterCrop", "Discretization", "HashedCrossing", "Hashing", "IntegerLookup",
    "Normalization", "RandomContrast", "RandomCrop", "RandomFlip", "RandomHeight", "RandomRotation",
    "RandomTranslation", "RandomWidth", "RandomZoom", "Rescaling", "Resizing", "StringLookup",
    "TextVectorization",
)


def __getattr__(name):
    if name == "__all__":  # a star import gives the layers nanokeras has (with the one note), not `keras2_notes`
        from nanokeras import layers

        return [n for n in _NAMES if hasattr(layers, n)]
    if name not in _NAMES:
        raise AttributeError(f"module 'keras.layers.experimental.preprocessing' has no attribute {name!r}")
    from nanokeras import layers

    layer_class = getattr(layers, name, None)
    if layer_class is None:
        raise AttributeError(
            f"`keras.layers.experimental.preprocessing.{name}` is `keras.layers.{name}`, which this version "
            "of nanokeras does not implement yet."
        )
    keras2_notes.note("experimental_preprocessing", used=f"`keras.layers.experimental.preprocessing.{name}`",
                      instead=f"`keras.layers.{name}`", error=keras2_notes.Keras3StrictAttributeError)
    return layer_class
