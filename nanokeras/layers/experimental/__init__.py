"""Keras 2's `keras.layers.experimental` namespace (removed in Keras 3).

`keras.layers.experimental.preprocessing.Normalization` and its siblings are the
preprocessing layers under their TensorFlow 2.3–2.5 names; each resolves to
`keras.layers.<Name>` with a note on that Keras 3 spelling.
"""

from nanokeras.layers.experimental import preprocessing

__all__ = ["preprocessing"]
