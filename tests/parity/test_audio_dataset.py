"""audio_dataset_from_directory against real Keras (a tf.data.Dataset there): the same class names,
labels, shapes and values (exactly: both divide 16-bit samples by 32768) on a tree of generated WAV
files. Unshuffled, batches match one for one; shuffled, the two shuffle buffers draw different
orders, so the clips and labels are compared as sets."""

import wave

import numpy as np
import pytest

import nanokeras as nk


@pytest.fixture
def tree(tmp_path):
    rng = np.random.default_rng(0)
    for label in ("bird", "alarm", "cat"):
        for i in range(3):
            path = tmp_path / label / ("deep" if i == 2 else "") / f"{i}.wav"
            path.parent.mkdir(parents=True, exist_ok=True)
            with wave.open(str(path), "wb") as f:
                f.setnchannels(2)
                f.setsampwidth(2)
                f.setframerate(8000)
                f.writeframes(rng.integers(-32768, 32768, size=(int(rng.integers(5, 40)), 2)).astype("<i2").tobytes())
    return tmp_path


def _pairs(keras, tree, kwargs):
    theirs = keras.utils.audio_dataset_from_directory(str(tree), verbose=False, **kwargs)
    ours = nk.utils.audio_dataset_from_directory(str(tree), verbose=False, **kwargs)
    return theirs, ours


@pytest.mark.parametrize("kwargs", [dict(batch_size=4), dict(batch_size=None, label_mode="categorical"),
                                    dict(batch_size=2, output_sequence_length=20, label_mode=None),
                                    dict(batch_size=3, labels=[0, 1, 1, 0, 1, 0, 0, 1, 1], label_mode="binary"),
                                    dict(batch_size=5, class_names=["cat", "bird"])])
def test_unshuffled_batches_are_keras(keras, tree, kwargs):
    theirs, ours = _pairs(keras, tree, dict(kwargs, shuffle=False))
    assert ours.class_names == theirs.class_names
    their_batches, our_batches = list(theirs.as_numpy_iterator()), list(ours)
    assert len(our_batches) == len(their_batches)
    for expected, got in zip(their_batches, our_batches):
        expected = expected if isinstance(expected, tuple) else (expected,)
        got = got if isinstance(got, tuple) else (got,)
        for e, g in zip(expected, got):
            assert np.asarray(g).dtype == e.dtype and np.asarray(g).shape == e.shape
            np.testing.assert_array_equal(g, e)


@pytest.mark.parametrize("subset", ["training", "validation"])
def test_shuffled_splits_hold_keras_s_clips(keras, tree, subset):
    theirs, ours = _pairs(keras, tree, dict(batch_size=None, shuffle=True, seed=7, validation_split=0.34,
                                            subset=subset))

    def contents(batches):
        return sorted((label.item(), audio.tobytes()) for audio, label in batches)

    assert ours.class_names == theirs.class_names
    assert contents(ours) == contents(theirs.as_numpy_iterator())
