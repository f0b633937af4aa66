"""`keras.ops.image`: functions of image batches (batch, height, width, channels), or single images.

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> ops.image.hsv_to_rgb(np.array([[[0.0, 0.0, 0.5]]], "float32")).tolist()
    [[[0.5, 0.5, 0.5]]]
"""

from nanokeras.ops import image_color as _image_color
from nanokeras.ops import image_filters as _image_filters
from nanokeras.ops import volume_patches as _volume_patches
from nanokeras.ops.op_builders import gather as _gather
from nanokeras.ops.symbolic_dispatch import accepting_symbolic_tensors as _accepting_symbolic_tensors

__all__ = []
# Color conversions, filters and 3-D patches (the resizing and warping functions are in `image_*` files
# of their own too).
_gather(globals(), [_image_color, _image_filters, _volume_patches], "IMAGE_NAMES")
for _name in list(__all__):
    globals()[_name] = _accepting_symbolic_tensors(globals()[_name])
del _name
