"""`keras.config`: the global settings (float type, epsilon, image layout), as Keras names them.

Example:
    >>> import nanokeras as keras
    >>> keras.config.image_data_format()
    'channels_last'
"""

from nanokeras.backend.config import (  # noqa: F401
    backend, epsilon, floatx, image_data_format, set_epsilon, set_floatx, set_image_data_format,
)
