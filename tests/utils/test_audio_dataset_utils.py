"""audio_dataset_from_directory: decoding 16-bit WAV to float32 (samples, channels) in [-1, 1),
labels, padding, truncation, splits, shuffling and errors."""

import wave

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.utils.audio_dataset_utils import read_wav


def _write(path, samples, rate=8000, width=2):
    path.parent.mkdir(parents=True, exist_ok=True)
    samples = np.asarray(samples)
    if samples.ndim == 1:
        samples = samples[:, None]
    with wave.open(str(path), "wb") as f:
        f.setnchannels(samples.shape[1])
        f.setsampwidth(width)
        f.setframerate(rate)
        f.writeframes(samples.astype("<i2" if width == 2 else "u1").tobytes())


def _tree(root, lengths=None):
    lengths = lengths or {"no": [4, 6], "yes": [3, 5, 8]}
    for label, sizes in lengths.items():
        for i, n in enumerate(sizes):
            _write(root / label / f"{i}.wav", np.full((n, 2), 1000 * (i + 1) * (1 if label == "no" else -1)))
    return root


def test_read_wav_scales_16_bit_pcm(tmp_path):
    _write(tmp_path / "a.wav", np.array([[-32768, 32767], [0, 16384]]))
    audio = read_wav(tmp_path / "a.wav")
    assert audio.dtype == np.float32 and audio.shape == (2, 2)
    np.testing.assert_array_equal(audio, [[-1.0, 32767 / 32768], [0.0, 0.5]])
    np.testing.assert_array_equal(read_wav(tmp_path / "a.wav", output_sequence_length=3)[2], [0, 0])
    assert read_wav(tmp_path / "a.wav", output_sequence_length=1).shape == (1, 2)


def test_labels_padding_and_class_names(tmp_path):
    dataset = keras.utils.audio_dataset_from_directory(_tree(tmp_path), batch_size=3, shuffle=False, verbose=False)
    assert dataset.class_names == ["no", "yes"] and len(dataset) == 2
    (a, la), (b, lb) = list(dataset)
    assert a.shape == (3, 6, 2) and b.shape == (2, 8, 2)  # each batch padded to its longest clip
    assert la.tolist() == [0, 0, 1] and lb.tolist() == [1, 1] and la.dtype == np.int32
    np.testing.assert_array_equal(a[0, :4, 0], 1000 / 32768) and np.testing.assert_array_equal(a[0, 4:], 0)
    fixed = keras.utils.audio_dataset_from_directory(tmp_path, batch_size=None, output_sequence_length=5,
                                                     label_mode="categorical", shuffle=False, verbose=False)
    clips = list(fixed)
    assert [c.shape for c, _ in clips] == [(5, 2)] * 5 and clips[4][1].tolist() == [0.0, 1.0]
    binary = next(iter(keras.utils.audio_dataset_from_directory(tmp_path, label_mode="binary", shuffle=False,
                                                                verbose=False)))[1]
    assert binary.shape == (5, 1) and binary.dtype == np.float32
    unlabelled = next(iter(keras.utils.audio_dataset_from_directory(tmp_path, labels=None, verbose=False,
                                                                    shuffle=False)))
    assert unlabelled.shape == (5, 8, 2)
    ragged = next(iter(keras.utils.audio_dataset_from_directory(tmp_path, ragged=True, shuffle=False,
                                                                verbose=False)))[0]
    assert [clip.shape[0] for clip in ragged] == [4, 6, 3, 5, 8]
    given = keras.utils.audio_dataset_from_directory(tmp_path, labels=[1, 0, 1, 0, 1], shuffle=False, verbose=False)
    assert given.class_names == ["0", "1"] and next(iter(given))[1].tolist() == [1, 0, 1, 0, 1]
    chosen = keras.utils.audio_dataset_from_directory(tmp_path, class_names=["yes"], shuffle=False, verbose=False)
    assert next(iter(chosen))[1].tolist() == [0, 0, 0]


def test_splits_are_disjoint_and_shuffling_is_seeded(tmp_path):
    _tree(tmp_path, {"a": [3] * 5, "b": [4] * 5})
    train, val = keras.utils.audio_dataset_from_directory(tmp_path, validation_split=0.3, subset="both", seed=4,
                                                          batch_size=2, verbose=False)
    assert len(train.file_paths) == 7 and len(val.file_paths) == 3
    assert not set(train.file_paths) & set(val.file_paths)
    again = keras.utils.audio_dataset_from_directory(tmp_path, validation_split=0.3, subset="validation", seed=4,
                                                     verbose=False)
    assert again.file_paths == val.file_paths
    shuffled = keras.utils.audio_dataset_from_directory(tmp_path, seed=1, batch_size=10, verbose=False)
    labels = [next(iter(shuffled))[1].tolist() for _ in range(2)]
    assert sorted(labels[0]) == [0] * 5 + [1] * 5 and labels[0] != sorted(labels[0])


@pytest.mark.parametrize("kwargs, words", [
    (dict(labels="infered"), "labels"), (dict(labels=[0, 1], class_names=["no"]), "class_names"),
    (dict(label_mode="sparse"), "label_mode"), (dict(ragged=True, output_sequence_length=4), "ragged"),
    (dict(sampling_rate=8000.0), "sampling_rate"), (dict(sampling_rate=0), "sampling_rate"),
    (dict(batch_size=0), "batch_size"), (dict(output_sequence_length=0), "output_sequence_length"),
    (dict(validation_split=0.5), "subset"), (dict(label_mode="binary", class_names=["no"]), "class_names"),
    (dict(sampling_rate=16000), "sampled at 8000 Hz, not sampling_rate=16000"),
])
def test_bad_arguments_raise_naming_them(tmp_path, kwargs, words):
    _tree(tmp_path)
    with pytest.raises(ValueError, match=words):
        dataset = keras.utils.audio_dataset_from_directory(tmp_path, verbose=False, **kwargs)
        list(dataset)


def test_unreadable_files_raise_clear_errors(tmp_path):
    _write(tmp_path / "c" / "eight_bit.wav", np.array([1, 2, 3]), width=1)
    with pytest.raises(ValueError, match="8-bit samples; only 16-bit PCM"):
        list(keras.utils.audio_dataset_from_directory(tmp_path, verbose=False))
    (tmp_path / "c" / "eight_bit.wav").write_bytes(b"not a wave file at all")
    with pytest.raises(ValueError, match="is not a PCM WAV file"):
        list(keras.utils.audio_dataset_from_directory(tmp_path, verbose=False))
    (tmp_path / "empty" / "class").mkdir(parents=True)
    with pytest.raises(ValueError, match="No audio files found"):
        keras.utils.audio_dataset_from_directory(tmp_path / "empty", verbose=False)
