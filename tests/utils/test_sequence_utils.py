"""`keras.utils.pad_sequences` (also `keras.preprocessing.sequence.pad_sequences`)."""

import numpy as np
import pytest

import nanokeras as keras
from tests.utils.keras2_helpers import fresh_notes, recorded_notes  # noqa: F401

SEQUENCES = [[1, 2, 3], [4], [], [5, 6, 7, 8, 9]]


def test_defaults_pad_and_truncate_at_the_start():
    out = keras.utils.pad_sequences(SEQUENCES)
    assert out.dtype == np.int32 and out.shape == (4, 5)
    assert out.tolist() == [[0, 0, 1, 2, 3], [0, 0, 0, 0, 4], [0] * 5, [5, 6, 7, 8, 9]]


def test_maxlen_padding_truncating_value_dtype():
    assert keras.utils.pad_sequences(SEQUENCES, maxlen=2).tolist() == [[2, 3], [0, 4], [0, 0], [8, 9]]
    post = keras.utils.pad_sequences(SEQUENCES, maxlen=2, padding="post", truncating="post")
    assert post.tolist() == [[1, 2], [4, 0], [0, 0], [5, 6]]
    floats = keras.utils.pad_sequences([[0.5]], maxlen=3, dtype="float32", value=-1.0)
    assert floats.dtype == np.float32 and floats.tolist() == [[-1.0, -1.0, 0.5]]
    words = keras.utils.pad_sequences([["a", "b"], ["c"]], dtype=object, value="<pad>")
    assert words.tolist() == [["a", "b"], ["<pad>", "c"]]
    assert keras.utils.pad_sequences([[1]], maxlen=0).shape == (1, 0)


def test_items_with_a_shape_keep_it():
    out = keras.utils.pad_sequences([np.ones((2, 3)), np.ones((1, 3))], dtype="float32")
    assert out.shape == (2, 2, 3) and out[1, 0].tolist() == [0, 0, 0]


def test_same_function_under_preprocessing_sequence_without_a_note(fresh_notes):
    with recorded_notes() as notes:
        pad = keras.preprocessing.sequence.pad_sequences
        pad(SEQUENCES)
    assert pad is keras.utils.pad_sequences and notes == []


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="`padding`"):
        keras.utils.pad_sequences(SEQUENCES, padding="middle")
    with pytest.raises(ValueError, match="`truncating`"):
        keras.utils.pad_sequences(SEQUENCES, truncating="both")
    with pytest.raises(ValueError, match="item 1"):
        keras.utils.pad_sequences([[1], 2])
    with pytest.raises(ValueError, match="dtype=object"):
        keras.utils.pad_sequences([["a"]], value="x")
    with pytest.raises(ValueError, match="`maxlen`"):
        keras.utils.pad_sequences(SEQUENCES, maxlen=-1)
    with pytest.raises(ValueError, match="one shape"):
        keras.utils.pad_sequences([np.ones((1, 2)), np.ones((1, 3))])
