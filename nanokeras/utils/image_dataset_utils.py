"""`image_dataset_from_directory`: a folder of class folders of images as labelled batches.

    main_directory/
        cats/  a.jpg  b.png ...
        dogs/  c.jpg ...

gives batches `(images, labels)` with labels 0 for cats, 1 for dogs (the
folders in alphabetical order). Files are read (with Pillow) and resized
batch by batch, when iterated, so a dataset bigger than memory works.
"""

import os

import numpy as np

from nanokeras.backend import config
from nanokeras.utils import image_utils
from nanokeras.utils.batched_dataset import BatchedDataset, _first_row, _spec_of

ALLOWLIST_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5")
CHANNELS = {"rgb": 3, "rgba": 4, "grayscale": 1}


def index_directory(directory, labels, class_names=None, shuffle=True, seed=None, follow_links=False,
                    formats=ALLOWLIST_FORMATS, verbose=True):
    """`(file_paths, labels, class_names)` for the images under `directory` (see the module docstring)."""
    if not os.path.isdir(directory):
        raise ValueError(f"`directory` {directory!r} does not exist or is not a directory.")
    if labels == "inferred":
        subdirs = sorted(d for d in os.listdir(directory)
                         if os.path.isdir(os.path.join(directory, d)) and not d.startswith("."))
        if not subdirs:
            raise ValueError(
                f"No class folders found in {directory!r}: with labels='inferred', each class needs its own "
                f"folder (e.g. {os.path.join(directory, 'cats')}/*.jpg and {os.path.join(directory, 'dogs')}/*.jpg). "
                "For images without labels, pass labels=None."
            )
        if class_names is not None:
            missing = sorted(set(class_names) - set(subdirs))
            if missing:
                raise ValueError(
                    f"`class_names` {list(class_names)} must name folders of {directory!r}; not found: {missing}. "
                    f"The folders are {subdirs}."
                )
            subdirs = list(class_names)
    else:
        if class_names is not None:
            raise ValueError("`class_names` can only be given with labels='inferred'.")
        subdirs = [""]
    paths, found_labels = [], []
    for index, subdir in enumerate(subdirs):
        root_dir = os.path.join(directory, subdir)
        walk = os.walk(root_dir, followlinks=follow_links)
        for root, _, files in sorted(walk, key=lambda entry: entry[0]):
            for name in sorted(files):
                if name.lower().endswith(formats):
                    paths.append(os.path.join(root, name))
                    found_labels.append(index)
    if labels == "inferred":
        labels = np.asarray(found_labels, dtype="int32")
        names = subdirs
    elif labels is None:
        names = None
    else:
        if len(labels) != len(paths):
            raise ValueError(
                f"`labels` has {len(labels)} entries but {len(paths)} image files were found in {directory!r}; "
                "give one label per file, in the order of the sorted file paths."
            )
        labels = np.asarray(labels)
        names = [str(label) for label in sorted(set(labels.tolist()))]
    if verbose:
        if names is None:
            print(f"Found {len(paths)} files.")
        else:
            print(f"Found {len(paths)} files belonging to {len(names)} classes.")
    if shuffle:
        order = np.random.RandomState(seed).permutation(len(paths))
        paths = [paths[i] for i in order]
        if labels is not None:
            labels = labels[order]
    return paths, labels, names


def split(paths, labels, validation_split, subset):
    """The training or validation part (the last `validation_split` of the files are for validation)."""
    if not validation_split:
        return paths, labels
    count = int(validation_split * len(paths))
    if subset == "training":
        print(f"Using {len(paths) - count} files for training.")
        return paths[:len(paths) - count], None if labels is None else labels[:len(paths) - count]
    print(f"Using {count} files for validation.")
    return paths[len(paths) - count:], None if labels is None else labels[len(paths) - count:]


def load_image(path, image_size, color_mode, interpolation, crop_to_aspect_ratio, pad_to_aspect_ratio, data_format):
    """One file as a float array of `image_size`, resized as `keras.ops.image.resize` would."""
    from nanokeras.ops import image_resize

    try:
        image = image_utils.load_img(path, color_mode=color_mode)
    except (ValueError, OSError) as error:
        raise ValueError(f"image_dataset_from_directory: cannot read {path!r}: {error}") from None
    x = image_utils.img_to_array(image, data_format="channels_last")
    height, width = x.shape[:2]
    target = tuple(image_size)
    offset = None
    if crop_to_aspect_ratio:
        top, left, h, w = image_resize.aspect_ratio_frame(height, width, target[0], target[1], "crop")
        x = x[top:top + h, left:left + w]
    elif pad_to_aspect_ratio:
        # As `tf.image.resize_with_pad`: shrink to fit inside the target, then centre it on zeros.
        ratio = max(np.float32(width) / np.float32(target[1]), np.float32(height) / np.float32(target[0]))
        sizes = (np.float32(height) / ratio, np.float32(width) / ratio)
        fitted = tuple(int(np.floor(s)) for s in sizes)
        offset = tuple(max(0, int(np.floor((np.float32(t) - s) / 2))) for t, s in zip(target, sizes))
        target, full = fitted, target
    out = x
    if x.shape[:2] != target:
        resampler = image_resize.Resampler((0, 1), x.shape[:2], target, interpolation, False, config.floatx())
        out = resampler.apply(x)
    if offset is not None:
        padded = np.zeros(full + (out.shape[2],), dtype=out.dtype)
        padded[offset[0]:offset[0] + out.shape[0], offset[1]:offset[1] + out.shape[1]] = out
        out = padded
    return out if data_format == "channels_last" else out.transpose(2, 0, 1)


def _encode_labels(labels, label_mode, num_classes):
    if label_mode == "int":
        return labels.astype("int32")
    if label_mode == "binary":
        return labels.astype(config.floatx()).reshape(-1, 1)
    return np.eye(num_classes, dtype=config.floatx())[labels]


def _dataset(paths, labels, label_mode, class_names, batch_size, shuffle, seed, load):
    num_classes = len(class_names) if class_names else 0
    size = len(paths)
    batch = 1 if batch_size is None else batch_size
    orders = {}

    def order(epoch):
        """The files' order in pass `epoch`: a new one every pass, reproducible from the seed."""
        if not shuffle:
            return np.arange(size)
        if epoch not in orders:
            orders.clear()
            orders[epoch] = np.random.default_rng((seed, epoch)).permutation(size)
        return orders[epoch]

    def get_batch(index, epoch):
        chosen = order(epoch)[index * batch:(index + 1) * batch]
        if batch_size is None:  # single samples, as an unbatched tf.data dataset
            image = load(paths[chosen[0]])
            return image if labels is None else (image, _encode_labels(labels[chosen], label_mode, num_classes)[0])
        images = np.stack([load(paths[i]) for i in chosen])
        return images if labels is None else (images, _encode_labels(labels[chosen], label_mode, num_classes))

    passes = [0]
    count = -(-size // batch)

    def batches():
        # Every pass over the dataset is an epoch of its own, with its own order (as a tf.data
        # dataset shuffled with `reshuffle_each_iteration=True`).
        epoch = passes[0]
        passes[0] += 1
        for index in range(count):
            yield get_batch(index, epoch)

    def spec():
        # From one image and one label (no pass is started, so no shuffle order is used up).
        image = load(paths[0])[None]
        sample = image if labels is None else (image, _encode_labels(labels[:1], label_mode, num_classes))
        return _spec_of(sample if batch_size is not None else _first_row(sample), batch_size is not None)

    dataset = BatchedDataset(batches, count, batched=batch_size is not None, spec=spec)
    dataset.class_names, dataset.file_paths = class_names, list(paths)
    return dataset


def image_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None, color_mode="rgb",
                                 batch_size=32, image_size=(256, 256), shuffle=True, seed=None, validation_split=None,
                                 subset=None, interpolation="bilinear", follow_links=False, crop_to_aspect_ratio=False,
                                 pad_to_aspect_ratio=False, data_format=None, verbose=True, format="tf"):
    """Labelled batches of the images under `directory`, ready for `fit` (see the module docstring).

    Args:
        labels: "inferred" (from the folders), a list of int labels (one per file, in sorted
            path order), or None (images only).
        label_mode: "int" (class indices), "categorical" (one-hot), "binary" (0/1 floats, 2 classes),
            or None.
        class_names: with inferred labels, the folders to use, in this order.
        color_mode: "grayscale", "rgb" or "rgba" (1, 3 or 4 channels).
        batch_size: images per batch; None gives single images.
        image_size: `(height, width)` every image is resized to.
        shuffle, seed: the files' order is shuffled with `seed`, and batches are reshuffled every
            epoch (a seed is needed with `validation_split`, so the two subsets never overlap).
        validation_split, subset: keep the last `validation_split` of the files for validation;
            `subset` is "training", "validation" or "both" (a pair of datasets).
        interpolation: "bilinear", "nearest", "bicubic", "lanczos3" or "lanczos5".
        crop_to_aspect_ratio / pad_to_aspect_ratio: keep the aspect ratio by cropping / padding first.

    Returns:
        A `BatchedDataset` of `(images, labels)` (float32 images, unscaled 0-255), with
        `class_names` and `file_paths`; or two of them for `subset="both"`.
    """
    if labels not in ("inferred", None) and not isinstance(labels, (list, tuple, np.ndarray)):
        raise ValueError(f"`labels` must be 'inferred', None, or a list of int labels, got {labels!r}.")
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError(f"`label_mode` must be 'int', 'categorical', 'binary' or None, got {label_mode!r}.")
    if color_mode not in CHANNELS:
        raise ValueError(f"`color_mode` must be 'grayscale', 'rgb' or 'rgba', got {color_mode!r}.")
    if isinstance(image_size, int):
        image_size = (image_size, image_size)
    if (not isinstance(image_size, (list, tuple)) or len(image_size) != 2
            or not all(isinstance(s, int) and s > 0 for s in image_size)):
        raise ValueError(f"`image_size` must be (height, width), two positive ints, got {image_size!r}.")
    interpolation = str(interpolation).lower()
    if interpolation not in INTERPOLATIONS:
        raise ValueError(f"`interpolation` must be one of {', '.join(INTERPOLATIONS)}, got {interpolation!r}.")
    if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1):
        raise ValueError(f"`batch_size` must be a positive int or None, got {batch_size!r}.")
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(f"`validation_split` must be between 0 and 1, got {validation_split!r}.")
    if bool(validation_split) != bool(subset):
        raise ValueError("`subset` and `validation_split` go together: give both or neither.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError(f"`subset` must be 'training', 'validation' or 'both', got {subset!r}.")
    if validation_split and shuffle and seed is None:
        raise ValueError(
            "With `validation_split` and `shuffle=True`, give a `seed` so that the training and validation "
            "subsets never overlap (both calls must shuffle the files the same way)."
        )
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("Only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be True.")
    if format != "tf":
        raise ValueError(f"`format` must be 'tf' (batches of numpy arrays here), got {format!r}.")
    image_utils.pillow()  # a clear error now, not at the first batch
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    if seed is None:
        seed = int(np.random.randint(1e6))
    data_format = data_format or config.image_data_format()
    paths, found_labels, names = index_directory(directory, labels, class_names, shuffle, seed, follow_links,
                                                 verbose=verbose)
    if label_mode == "binary" and len(names) != 2:
        raise ValueError(f"label_mode='binary' needs exactly 2 classes, found {len(names)}: {names}.")
    if not paths:
        raise ValueError(f"No images found in {directory!r}. Allowed formats: {', '.join(ALLOWLIST_FORMATS)}.")

    def load(path):
        return load_image(path, image_size, color_mode, interpolation, crop_to_aspect_ratio, pad_to_aspect_ratio,
                          data_format)

    def build(part, shuffled):
        part_paths, part_labels = split(paths, found_labels, validation_split, part) if part else (paths, found_labels)
        if not part_paths:
            raise ValueError(f"No {part or ''} images left in {directory!r} with validation_split={validation_split}.")
        return _dataset(part_paths, part_labels, label_mode, names, batch_size, shuffled, seed, load)

    if subset == "both":
        return build("training", shuffle), build("validation", False)
    return build(subset, shuffle and subset != "validation")
