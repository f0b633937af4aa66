"""`keras.models`: `Sequential` and `Model`."""

from nanokeras.models.model import Model
from nanokeras.models.sequential import Sequential
