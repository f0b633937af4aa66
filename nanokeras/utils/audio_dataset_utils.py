"""`keras.utils.audio_dataset_from_directory`: labelled WAV files in class folders, in batches.

    main_directory/
        class_a/  a_audio_1.wav  a_audio_2.wav ...
        class_b/  b_audio_1.wav ...

gives batches `(audio, labels)`: float32 audio of shape `(batch, samples, channels)` in
[-1, 1] (16-bit PCM divided by 32768, as `tf.audio.decode_wav`), the shorter clips of a
batch zero-padded to the longest one, and the labels, class folders sorted by name.
Files are read with Python's `wave` module when a batch is asked for.
"""

import wave

import numpy as np

from nanokeras.utils.batched_dataset import BatchedDataset, TensorSpec, _spec_of
from nanokeras.utils.text_dataset_utils import _check_split, _split, encode_labels, index_directory
from nanokeras.utils.timeseries_dataset_utils import _buffer_shuffle

ALLOWED_FORMATS = (".wav",)


def read_wav(path, output_sequence_length=None, sampling_rate=None):
    """The samples of a 16-bit PCM WAV file as float32 `(samples, channels)` in [-1, 1), cut or
    zero-padded to `output_sequence_length` samples when given.

    Example:
        >>> import os, tempfile, wave, numpy as np
        >>> path = os.path.join(tempfile.mkdtemp(), "clip.wav")
        >>> with wave.open(path, "wb") as f:
        ...     f.setnchannels(1); f.setsampwidth(2); f.setframerate(8000)
        ...     f.writeframes(np.array([0, 16384, -32768], "<i2").tobytes())
        >>> read_wav(path).ravel().tolist()
        [0.0, 0.5, -1.0]
    """
    try:
        with wave.open(str(path), "rb") as f:
            channels, width, rate = f.getnchannels(), f.getsampwidth(), f.getframerate()
            data = f.readframes(f.getnframes())
    except (wave.Error, EOFError) as error:
        raise ValueError(f"audio_dataset_from_directory: {str(path)!r} is not a PCM WAV file that Python's `wave` "
                         f"module can read ({error}).") from None
    if width != 2:
        raise ValueError(f"audio_dataset_from_directory: {str(path)!r} has {8 * width}-bit samples; only 16-bit "
                         "PCM WAV files are read (as Keras's `tf.audio.decode_wav`).")
    if sampling_rate is not None and rate != sampling_rate:
        raise ValueError(f"audio_dataset_from_directory: {str(path)!r} is sampled at {rate} Hz, not "
                         f"sampling_rate={sampling_rate}; nanokeras does not resample (Keras does it with "
                         "tensorflow-io).")
    frames = len(data) // (2 * channels)
    audio = np.frombuffer(data[:frames * 2 * channels], dtype="<i2").reshape(frames, channels)
    audio = audio.astype(np.float32) / np.float32(32768.0)
    if output_sequence_length is not None:
        if frames >= output_sequence_length:
            audio = audio[:output_sequence_length]
        else:
            audio = np.pad(audio, [(0, output_sequence_length - frames), (0, 0)])
    return np.ascontiguousarray(audio)


def _pad_batch(clips):
    """Clips of one batch zero-padded at the end to the longest (as `padded_batch`)."""
    longest = max(clip.shape[0] for clip in clips)
    channels = {clip.shape[1] for clip in clips}
    if len(channels) > 1:
        raise ValueError(f"audio_dataset_from_directory: a batch mixes clips of {sorted(channels)} channels; "
                         "batched clips need one number of channels.")
    out = np.zeros((len(clips), longest, channels.pop()), dtype=np.float32)
    for i, clip in enumerate(clips):
        out[i, :clip.shape[0]] = clip
    return out


def _dataset(paths, labels, label_mode, num_classes, batch_size, output_sequence_length, ragged, sampling_rate,
             shuffle, seed):
    generator = np.random.default_rng(seed)
    buffer_size = batch_size * 8 if batch_size is not None else 1024
    step = batch_size or 1

    def encode(indices):
        return encode_labels(labels[indices], label_mode, num_classes)

    def batches():
        # The generator lives on across passes: every pass is shuffled anew (as tf.data reshuffles).
        order = _buffer_shuffle(len(paths), buffer_size, generator) if shuffle else np.arange(len(paths))
        for first in range(0, len(order), step):
            indices = order[first:first + step]
            clips = [read_wav(paths[i], output_sequence_length, sampling_rate) for i in indices]
            if batch_size is None:
                audio = clips[0]
            elif ragged:
                audio = clips  # one (samples, channels) array per clip, each of its own length
            elif output_sequence_length is None:
                audio = _pad_batch(clips)
            else:
                audio = np.stack(clips)
            if label_mode is None:
                yield audio
            else:
                encoded = encode(indices)
                yield audio, (encoded if batch_size is not None else encoded[0])

    def spec():
        # As tf.data: clips have no fixed length (unless cut or padded to one) nor channel count.
        audio = TensorSpec(((None,) if batch_size is not None else ()) + (output_sequence_length, None), "float32")
        if label_mode is None:
            return audio
        label = _spec_of(encode(np.arange(1)), batch_size is not None)
        return audio, (label if batch_size is not None else TensorSpec(label.shape[1:], label.dtype))

    dataset = BatchedDataset(batches, -(-len(paths) // step), batched=batch_size is not None, spec=spec)
    dataset.file_paths = list(paths)
    return dataset


def audio_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None, batch_size=32,
                                 sampling_rate=None, output_sequence_length=None, ragged=False, shuffle=True,
                                 seed=None, validation_split=None, subset=None, follow_links=False, verbose=True):
    """A dataset of `(audio, labels)` batches from `.wav` files in one folder per class.

    Args:
        directory: the folder with one subfolder of `.wav` files per class.
        labels: `"inferred"` (from the subfolders), None (audio only), or a list of int labels
            for the files in sorted path order.
        label_mode: `"int"` (int32 class indices), `"categorical"` (one-hot float32),
            `"binary"` (float32 (batch, 1), two classes), or None.
        class_names: the subfolders to use, in label order (all, sorted, by default).
        batch_size: clips per batch (None: one clip per element).
        sampling_rate: if given, every file must be sampled at this rate (nanokeras does not
            resample; Keras resamples with tensorflow-io).
        output_sequence_length: cut or zero-pad every clip to this many samples; by default
            each batch is padded to its longest clip.
        ragged: batches are lists of `(samples, channels)` arrays of their own lengths
            (nanokeras has no ragged tensors; Keras gives a `tf.RaggedTensor`).
        shuffle, seed: shuffle the files (a seed is needed with `validation_split`: the same
            seed keeps the two subsets apart).
        validation_split, subset: hold out the last fraction of the files; `subset` is
            `"training"`, `"validation"` or `"both"` (a pair of datasets).
        follow_links: follow symbolic links to folders.
        verbose: print how many files and classes were found.

    Returns:
        A `BatchedDataset` (which `fit`/`evaluate`/`predict` take directly) with `class_names`,
        of float32 audio `(batch, samples, channels)` in [-1, 1] and labels.

    Only 16-bit PCM WAV files are read, as Keras reads them.

    Example:
        >>> import os, tempfile, wave, numpy as np
        >>> root = tempfile.mkdtemp()
        >>> for label in ("no", "yes"):
        ...     os.makedirs(os.path.join(root, label))
        ...     with wave.open(os.path.join(root, label, "1.wav"), "wb") as f:
        ...         f.setnchannels(1); f.setsampwidth(2); f.setframerate(8000)
        ...         f.writeframes(np.zeros(4 if label == "no" else 6, "<i2").tobytes())
        >>> ds = audio_dataset_from_directory(root, shuffle=False, verbose=False)
        >>> audio, labels = next(iter(ds))
        >>> ds.class_names, tuple(audio.shape), labels.tolist()
        (['no', 'yes'], (2, 6, 1), [0, 1])
    """
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple, np.ndarray)):
            raise ValueError(
                "`labels` must be 'inferred' (labels from the subfolders), None (audio only), or a list/tuple of "
                f"integer labels, one per audio file of the directory. Received: labels={labels!r:.100}"
            )
        if class_names:
            raise ValueError(f"`class_names` can only be given with labels='inferred'. Received: "
                             f"labels={labels!r:.100}, and class_names={class_names}")
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError(f'`label_mode` argument must be one of "int", "categorical", "binary", or None. '
                         f"Received: label_mode={label_mode!r}")
    if ragged and output_sequence_length is not None:
        raise ValueError("`ragged` and `output_sequence_length` cannot both be given: ragged clips keep their "
                         f"own lengths. Received: ragged={ragged!r}, output_sequence_length={output_sequence_length}")
    if output_sequence_length is not None and (isinstance(output_sequence_length, bool) or not isinstance(
            output_sequence_length, (int, np.integer)) or output_sequence_length < 1):
        raise ValueError(f"`output_sequence_length` must be a positive integer or None, got "
                         f"output_sequence_length={output_sequence_length!r}.")
    if sampling_rate is not None:
        if isinstance(sampling_rate, bool) or not isinstance(sampling_rate, int):
            raise ValueError(f"`sampling_rate` should have an integer value. Received: sampling_rate={sampling_rate!r}")
        if sampling_rate <= 0:
            raise ValueError(f"`sampling_rate` should be higher than 0. Received: sampling_rate={sampling_rate}")
    if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1):
        raise ValueError(f"`batch_size` must be a positive integer or None, got batch_size={batch_size!r}.")
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    _check_split(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, labels, class_names = index_directory(directory, labels, formats=ALLOWED_FORMATS, class_names=class_names,
                                                 shuffle=shuffle, seed=seed, follow_links=follow_links,
                                                 verbose=verbose)
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(f'When passing `label_mode="binary"`, there must be exactly 2 class_names. Received: '
                         f"class_names={class_names}")
    num_classes = len(class_names) if class_names else 0
    subsets = ("training", "validation") if subset == "both" else (subset,)
    datasets = []
    for part in subsets:
        part_paths, part_labels = _split(paths, labels, validation_split, part)
        if not part_paths:
            kind = f"{part} " if subset == "both" else ""
            raise ValueError(f"No {kind}audio files found in directory {directory}. Allowed format(s): "
                             f"{ALLOWED_FORMATS}")
        dataset = _dataset(part_paths, part_labels, label_mode, num_classes, batch_size, output_sequence_length,
                           ragged, sampling_rate, shuffle and part != "validation" if subset == "both" else shuffle,
                           seed)
        dataset.class_names = class_names
        datasets.append(dataset)
    return tuple(datasets) if subset == "both" else datasets[0]
