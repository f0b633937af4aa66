"""`keras.preprocessing`: Keras 3's `image` and `sequence` helpers, and Keras 2's `text` module.

`keras.preprocessing.text` (`Tokenizer`) and `keras.preprocessing.image.ImageDataGenerator`
are Keras 2 API that Keras 3 removed: they work here, with a note on the Keras 3 way.
"""

from nanokeras.preprocessing import image, sequence, text
from nanokeras.utils.image_dataset_utils import image_dataset_from_directory
from nanokeras.utils.text_dataset_utils import text_dataset_from_directory
from nanokeras.utils.timeseries_dataset_utils import timeseries_dataset_from_array

# Keras 3's names here, and Keras 2's `text`.
__all__ = ["image", "image_dataset_from_directory", "sequence", "text", "text_dataset_from_directory",
           "timeseries_dataset_from_array"]
