"""nanokeras: the Keras API on numpy, with automatic gradients.

Example:
    >>> import nanokeras as keras
    >>> model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])
"""

from nanokeras.version import __version__
from nanokeras import backend
from nanokeras import ops
from nanokeras.backend import GradientTape, Variable
