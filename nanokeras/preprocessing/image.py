"""`keras.preprocessing.image`: image files and arrays, and Keras 2's `ImageDataGenerator`.

`load_img`, `img_to_array`, `array_to_img` and `save_img` are Keras 3 API. The rest
(`ImageDataGenerator`, its iterators and transform functions) is Keras 2 API that
Keras 3 removed; it works here with Keras 2's results.
"""

from nanokeras.preprocessing.image_data_generator import ImageDataGenerator
from nanokeras.preprocessing.image_iterators import DirectoryIterator, Iterator, NumpyArrayIterator
from nanokeras.preprocessing.image_transforms import (
    apply_affine_transform,
    apply_brightness_shift,
    apply_channel_shift,
    flip_axis,
    random_brightness,
    random_channel_shift,
    random_rotation,
    random_shear,
    random_shift,
    random_zoom,
    transform_matrix_offset_center,
)
from nanokeras.utils.image_utils import array_to_img, img_to_array, load_img, save_img
