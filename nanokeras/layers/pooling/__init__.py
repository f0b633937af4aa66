
from nanokeras.layers import keras2_modules as _keras2_modules

# Keras 2's `from keras.layers.pooling import ...` (see keras2_modules): resolved on first use, noted.
__getattr__ = _keras2_modules.module_getattr("pooling")
