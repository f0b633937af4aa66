"""`keras.preprocessing`: Keras 3's `image` and `sequence` helpers, and Keras 2's `text` module.

`keras.preprocessing.text` (`Tokenizer`) and `keras.preprocessing.image.ImageDataGenerator`
are Keras 2 API that Keras 3 removed: they work here, with a note on the Keras 3 way.
"""

from nanokeras.preprocessing import image, sequence, text

__all__ = ["image", "sequence", "text"]
