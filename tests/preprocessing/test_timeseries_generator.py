"""Keras 2's TimeseriesGenerator: windows and targets, argument errors, the note and its Keras 3 spelling."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.utils import keras2_notes
from tests.utils.keras2_helpers import fresh_notes, recorded_notes, strict_keras3  # noqa: F401

TimeseriesGenerator = keras.preprocessing.sequence.TimeseriesGenerator


def test_windows_and_targets(fresh_notes):
    data = np.arange(10)
    with recorded_notes() as notes:
        gen = TimeseriesGenerator(data, data * 10, length=3, batch_size=4)
        TimeseriesGenerator(data, data, length=2)
    assert len(notes) == 1 and keras2_notes.IDIOMS["timeseries_generator"].since in notes[0]
    assert len(gen) == 2
    x, y = gen[1]
    assert x.tolist() == [[4, 5, 6], [5, 6, 7], [6, 7, 8]] and y.tolist() == [70, 80, 90]
    assert isinstance(gen, keras.utils.Sequence)


def test_the_noted_keras3_spelling_gives_the_same_windows(fresh_notes):
    data = np.arange(20, dtype="float32").reshape(10, 2)
    targets = np.arange(10, dtype="float32")
    with recorded_notes():
        gen = TimeseriesGenerator(data, targets, length=5, batch_size=100)
    dataset = keras.utils.timeseries_dataset_from_array(data[:-1], targets[5:], sequence_length=5, batch_size=100)
    (x, y), = list(dataset)
    np.testing.assert_array_equal(np.asarray(x), gen[0][0])
    np.testing.assert_array_equal(np.asarray(y), gen[0][1])
    assert "data[:-1], targets[5:], sequence_length=5" in keras2_notes.IDIOMS["timeseries_generator"].keras3


def test_argument_errors(fresh_notes):
    with recorded_notes():
        with pytest.raises(ValueError, match="same length"):
            TimeseriesGenerator(np.arange(5), np.arange(4), length=2)
        with pytest.raises(ValueError, match="no time step would be left"):
            TimeseriesGenerator(np.arange(5), np.arange(5), length=5)
        with pytest.raises(ValueError, match="`length` must be a positive integer"):
            TimeseriesGenerator(np.arange(5), np.arange(5), length=0)
    with strict_keras3(), pytest.raises(keras2_notes.Keras3StrictError, match="timeseries_dataset_from_array"):
        TimeseriesGenerator(np.arange(5), np.arange(5), length=2)
