"""`keras.preprocessing.sequence`: `pad_sequences` (also `keras.utils.pad_sequences`), and Keras 2's
`TimeseriesGenerator`."""

from nanokeras.preprocessing.timeseries_generator import TimeseriesGenerator
from nanokeras.utils.sequence_utils import pad_sequences

__all__ = ["TimeseriesGenerator", "pad_sequences"]
