"""`keras.utils.text_dataset_from_directory`: labelled text files in class folders, in batches.

    main_directory/
        class_a/  a_text_1.txt  a_text_2.txt ...
        class_b/  b_text_1.txt ...

gives batches `(texts, labels)`: a numpy array of strings (each file's UTF-8 text)
and the labels, class folders sorted by name (`class_a` is 0), as Keras does.
"""

import os

import numpy as np

from nanokeras.utils.batched_dataset import BatchedDataset, _first_row, _spec_of


def _check_split(validation_split, subset, shuffle, seed):
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(f"`validation_split` must be between 0 and 1, received: {validation_split}")
    if (validation_split or subset) and not (validation_split and subset):
        raise ValueError("If `subset` is set, `validation_split` must be set, and inversely.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError(f'`subset` must be either "training", "validation" or "both", received: {subset}')
    if validation_split and shuffle and seed is None:
        raise ValueError(
            "If using `validation_split` and shuffling the data, you must provide a `seed` argument, to make "
            "sure that there is no overlap between the training and validation subset."
        )


def index_directory(directory, labels, formats, class_names=None, shuffle=True, seed=None, follow_links=False,
                    verbose=True):
    """`(file_paths, labels, class_names)` of the files under `directory` ending in one of `formats`."""
    if not os.path.isdir(directory):
        raise ValueError(f"`directory` {directory!r} is not a directory.")
    if labels == "inferred":
        subdirs = sorted(d for d in os.listdir(directory)
                         if os.path.isdir(os.path.join(directory, d)) and not d.startswith("."))
        if class_names is not None:
            if not set(class_names).issubset(set(subdirs)):
                raise ValueError(
                    "The `class_names` passed did not match the names of the subdirectories of the target "
                    f"directory. Expected: {subdirs} (or a subset of it), but received: class_names={class_names}"
                )
            subdirs = list(class_names)
    else:
        subdirs = [""]
        if class_names is not None:
            if labels is None:
                raise ValueError("When `labels=None` (no labels), argument `class_names` cannot be specified.")
            raise ValueError(
                "When argument `labels` is specified, argument `class_names` cannot be specified (the "
                "`class_names` will be the sorted list of labels)."
            )
    filenames, found_labels = [], []
    for index, subdir in enumerate(subdirs):
        root_dir = os.path.join(directory, subdir)
        for root, _, files in sorted(os.walk(root_dir, followlinks=follow_links), key=lambda walked: walked[0]):
            for name in sorted(files):
                if name.lower().endswith(formats):
                    filenames.append(os.path.join(subdir, os.path.relpath(os.path.join(root, name), root_dir)))
                    found_labels.append(index)
    class_names = subdirs
    if labels == "inferred":
        labels = np.asarray(found_labels, dtype="int32")
    elif labels is None:
        class_names = None
    else:
        if len(labels) != len(filenames):
            raise ValueError(
                "Expected the lengths of `labels` to match the number of files in the target directory. "
                f"len(labels) is {len(labels)} while we found {len(filenames)} files in directory {directory}."
            )
        class_names = [str(label) for label in sorted(set(labels))]
        labels = np.asarray(labels)
    if verbose:
        if labels is None:
            print(f"Found {len(filenames)} files.")
        else:
            print(f"Found {len(filenames)} files belonging to {len(class_names)} classes.")
    paths = [os.path.join(directory, name) for name in filenames]
    if shuffle:
        seed = np.random.randint(1e6) if seed is None else seed
        np.random.RandomState(seed).shuffle(paths)
        if labels is not None:
            np.random.RandomState(seed).shuffle(labels)
    return paths, labels, class_names


def _split(paths, labels, validation_split, subset):
    if not validation_split:
        return paths, labels
    count = int(validation_split * len(paths))
    if subset == "training":
        print(f"Using {len(paths) - count} files for training.")
        return paths[:-count], (labels[:-count] if labels is not None else None)
    print(f"Using {count} files for validation.")
    return paths[-count:], (labels[-count:] if labels is not None else None)


def _read_text(path, max_length):
    with open(path, "rb") as f:
        data = f.read() if max_length is None else f.read(max_length)
    # A cut may split a multi-byte character: drop the broken end, as a byte-string cut would not show.
    return data.decode("utf-8", errors="ignore" if max_length is not None else "replace")


def encode_labels(labels, label_mode, num_classes):
    """Class ids as a dataset yields them: int32 ids, float32 (n, 1) for "binary", float32 one-hot."""
    if label_mode == "binary":
        return labels.astype("float32")[:, None]
    if label_mode == "categorical":
        return np.eye(num_classes, dtype="float32")[labels]
    return labels.astype("int32")


def _dataset(paths, labels, label_mode, num_classes, max_length, batch_size, shuffle, seed):
    generator = np.random.default_rng(seed)
    buffer_size = batch_size * 8 if batch_size is not None else 1024
    step = batch_size or 1

    def encode(indices):
        return encode_labels(labels[indices], label_mode, num_classes)

    def batches():
        order = np.arange(len(paths))
        if shuffle:
            from nanokeras.utils.timeseries_dataset_utils import _buffer_shuffle

            order = _buffer_shuffle(len(paths), buffer_size, generator)
        for first in range(0, len(order), step):
            indices = order[first:first + step]
            texts = np.array([_read_text(paths[i], max_length) for i in indices], dtype=str)
            if batch_size is None:
                texts = texts[0]
            if label_mode is None:
                yield texts
            else:
                encoded = encode(indices)
                yield texts, (encoded if batch_size is not None else encoded[0])

    def spec():
        # From one text and one label (no pass is started, so no shuffle order is used up).
        sample = np.array([""], dtype=str)
        if label_mode is not None:
            sample = (sample, encode(np.arange(1)))
        return _spec_of(sample if batch_size is not None else _first_row(sample), batch_size is not None)

    dataset = BatchedDataset(batches, -(-len(paths) // step), batched=batch_size is not None, spec=spec)
    dataset.file_paths = list(paths)
    return dataset


def text_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None, batch_size=32,
                                max_length=None, shuffle=True, seed=None, validation_split=None, subset=None,
                                follow_links=False, format="tf", verbose=True):
    """A dataset of `(texts, labels)` batches from `.txt` files in one folder per class.

    Args:
        directory: the folder with one subfolder of `.txt` files per class.
        labels: `"inferred"` (from the subfolders), None (texts only), or a list of
            labels for the files in sorted path order.
        label_mode: `"int"` (int32 class indices), `"categorical"` (one-hot float32),
            `"binary"` (float32 (batch, 1), two classes), or None.
        class_names: the subfolders to use, in label order (all, sorted, by default).
        batch_size: texts per batch (None: one text per element).
        max_length: keep at most this many bytes of each text.
        shuffle, seed: shuffle the files (needed with `validation_split`: the same seed
            keeps the two subsets apart).
        validation_split, subset: hold out a fraction; `subset` is `"training"`,
            `"validation"` or `"both"` (a list of the two datasets).
        follow_links: follow symbolic links to folders.

    Returns:
        A `BatchedDataset` with `class_names` and `file_paths`, which `fit`/`evaluate`/
        `predict` take directly; texts are numpy arrays of Python strings.

    Example:
        >>> import os, tempfile
        >>> root = tempfile.mkdtemp()
        >>> for label, text in (("neg", "awful"), ("pos", "great")):
        ...     os.makedirs(os.path.join(root, label))
        ...     with open(os.path.join(root, label, "1.txt"), "w") as f:
        ...         _ = f.write(text)
        >>> ds = text_dataset_from_directory(root, shuffle=False, verbose=False)
        >>> texts, labels = next(iter(ds))
        >>> ds.class_names, texts.tolist(), labels.tolist()
        (['neg', 'pos'], ['awful', 'great'], [0, 1])
    """
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple, np.ndarray)):
            raise ValueError(
                "`labels` argument should be a list/tuple of integer labels, of the same size as the number of "
                "text files in the target directory. If you wish to infer the labels from the subdirectory names "
                'in the target directory, pass `labels="inferred"`. If you wish to get a dataset that only contains '
                f"text samples (no labels), pass `labels=None`. Received: labels={labels!r:.100}"
            )
        if class_names:
            raise ValueError(
                f'You can only pass `class_names` if `labels="inferred"`. Received: labels={labels!r:.100}, and '
                f"class_names={class_names}"
            )
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError(
            f'`label_mode` argument must be one of "int", "categorical", "binary", or None. Received: '
            f"label_mode={label_mode!r}"
        )
    if format not in ("tf", "grain"):
        raise ValueError(f'`format` should be either "tf" or "grain". Received: format={format!r}')
    if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1):
        raise ValueError(f"`batch_size` must be a positive integer or None, got batch_size={batch_size!r}.")
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    _check_split(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, labels, class_names = index_directory(directory, labels, formats=(".txt",), class_names=class_names,
                                                 shuffle=shuffle, seed=seed, follow_links=follow_links,
                                                 verbose=verbose)
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(
            f'When passing `label_mode="binary"`, there must be exactly 2 class_names. Received: '
            f"class_names={class_names}"
        )
    num_classes = len(class_names) if class_names else 0
    subsets = ("training", "validation") if subset == "both" else (subset,)
    datasets = []
    for part in subsets:
        part_paths, part_labels = _split(paths, labels, validation_split, part)
        if not part_paths:
            kind = f"{part} " if subset == "both" else ""
            raise ValueError(f"No {kind}text files found in directory {directory}. Allowed format: .txt")
        dataset = _dataset(part_paths, part_labels, label_mode, num_classes, max_length, batch_size,
                           shuffle and part != "validation" if subset == "both" else shuffle, seed)
        dataset.class_names = class_names
        datasets.append(dataset)
    return datasets if subset == "both" else datasets[0]
