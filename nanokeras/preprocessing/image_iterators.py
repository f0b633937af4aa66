"""The batch iterators that `ImageDataGenerator.flow` and `flow_from_directory` return.

Each is a `keras.utils.Sequence` (so `fit`, `evaluate` and `predict` take it, and
`len()` is the number of batches) and also a Python iterator that loops forever,
as in Keras 2 (`next(iterator)` gives the next batch).

Randomness follows Keras 2 exactly: the order of samples and the augmentations
come from numpy's global generator, reseeded with `seed + batches seen so far`
before each batch when a `seed` is given. The same seed gives the same batches as
Keras 2's `ImageDataGenerator`.
"""

import os
import threading
import warnings

import numpy as np

from nanokeras.backend import config
from nanokeras.utils import image_utils
from nanokeras.utils.py_dataset import PyDataset

IMAGE_EXTENSIONS = ("png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff")


class Iterator(PyDataset):
    """Batches of `batch_size` sample indices out of `n`, reshuffled after each epoch if `shuffle`."""

    white_list_formats = IMAGE_EXTENSIONS

    def __init__(self, n, batch_size, shuffle, seed):
        super().__init__()
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ValueError(f"`batch_size` must be a positive int, got {batch_size!r}.")
        self.n = n
        self.batch_size = int(batch_size)
        self.seed = seed
        self.shuffle = shuffle
        self.batch_index = 0
        self.total_batches_seen = 0
        self.lock = threading.Lock()
        self.index_array = None
        self.index_generator = self._flow_index()

    def _set_index_array(self):
        self.index_array = np.random.permutation(self.n) if self.shuffle else np.arange(self.n)

    def _reseed(self):
        if self.seed is not None:
            np.random.seed(self.seed + self.total_batches_seen)

    def __getitem__(self, index):
        if not 0 <= index < len(self):
            raise ValueError(f"Batch {index} requested, but this iterator has {len(self)} batches.")
        self._reseed()
        self.total_batches_seen += 1
        if self.index_array is None:
            self._set_index_array()
        return self._get_batches_of_transformed_samples(
            self.index_array[self.batch_size * index:self.batch_size * (index + 1)])

    def __len__(self):
        return (self.n + self.batch_size - 1) // self.batch_size

    def on_epoch_end(self):
        self._set_index_array()

    def reset(self):
        self.batch_index = 0

    def _flow_index(self):
        self.reset()
        while True:
            self._reseed()
            if self.batch_index == 0:
                self._set_index_array()
            start = (self.batch_index * self.batch_size) % self.n if self.n else 0
            self.batch_index = self.batch_index + 1 if self.n > start + self.batch_size else 0
            self.total_batches_seen += 1
            yield self.index_array[start:start + self.batch_size]

    def __iter__(self):
        return self

    def __next__(self):
        with self.lock:
            index_array = next(self.index_generator)
        return self._get_batches_of_transformed_samples(index_array)

    next = __next__

    def _get_batches_of_transformed_samples(self, index_array):
        raise NotImplementedError(f"{type(self).__name__} must implement `_get_batches_of_transformed_samples`.")

    def _transform(self, x):
        generator = self.image_data_generator
        params = generator.get_random_transform(x.shape)
        x = generator.apply_transform(x.astype(self.dtype), params)
        return generator.standardize(x)

    def _save(self, batch_x, index_array, hash_range):
        for i, j in enumerate(index_array):
            img = image_utils.array_to_img(batch_x[i], self.data_format, scale=True)
            name = f"{self.save_prefix}_{j}_{np.random.randint(hash_range)}.{self.save_format}"
            img.save(os.path.join(self.save_to_dir, name))


class NumpyArrayIterator(Iterator):
    """Batches `(x, y[, sample_weight])` of images from arrays, augmented by an `ImageDataGenerator`."""

    def __init__(self, x, y, image_data_generator, batch_size=32, shuffle=False, sample_weight=None, seed=None,
                 data_format=None, save_to_dir=None, save_prefix="", save_format="png", subset=None,
                 ignore_class_split=False, dtype=None):
        self.dtype = dtype or config.floatx()
        self.data_format = data_format or config.image_data_format()
        extra = []
        if isinstance(x, (tuple, list)):
            extra = [np.asarray(v) for v in x[1]] if isinstance(x[1], list) else [np.asarray(x[1])]
            x = x[0]
            for array in extra:
                if len(array) != len(x):
                    raise ValueError(f"All arrays in `x` must have the same length, got {len(x)} and {len(array)}.")
        if y is not None and len(x) != len(y):
            raise ValueError(f"`x` (images) and `y` (labels) must have the same length, got {len(x)} and {len(y)}.")
        if sample_weight is not None and len(x) != len(sample_weight):
            raise ValueError(
                f"`x` (images) and `sample_weight` must have the same length, got {len(x)} and {len(sample_weight)}.")
        if subset is not None:
            if subset not in ("training", "validation"):
                raise ValueError(f"`subset` must be 'training' or 'validation', got {subset!r}.")
            # The validation subset is the first `validation_split` of the samples, as in Keras 2.
            split = int(len(x) * image_data_generator._validation_split)
            if (y is not None and not ignore_class_split
                    and not np.array_equal(np.unique(y[:split]), np.unique(y[split:]))):
                raise ValueError(
                    "Training and validation subsets have different classes after the split. If the "
                    "arrays are sorted by label, shuffle them first (or pass ignore_class_split=True)."
                )
            part = slice(None, split) if subset == "validation" else slice(split, None)
            x = x[part]
            extra = [array[part] for array in extra]
            y = None if y is None else y[part]
            sample_weight = None if sample_weight is None else sample_weight[part]
        self.x = np.asarray(x, dtype=self.dtype)
        if self.x.ndim != 4:
            raise ValueError(f"`x` must be a batch of images of rank 4, got shape {self.x.shape}.")
        channels = self.x.shape[3 if self.data_format == "channels_last" else 1]
        if channels not in (1, 3, 4):
            warnings.warn(f"`x` has {channels} channels (shape {self.x.shape}); images have 1, 3 or 4.",
                          stacklevel=3)
        self.x_misc = extra
        self.y = None if y is None else np.asarray(y)
        self.sample_weight = None if sample_weight is None else np.asarray(sample_weight)
        self.image_data_generator = image_data_generator
        self.save_to_dir = save_to_dir
        self.save_prefix = save_prefix
        self.save_format = save_format
        super().__init__(self.x.shape[0], batch_size, shuffle, seed)

    def _get_batches_of_transformed_samples(self, index_array):
        batch_x = np.zeros((len(index_array),) + self.x.shape[1:], dtype=self.dtype)
        for i, j in enumerate(index_array):
            batch_x[i] = self._transform(self.x[j])
        if self.save_to_dir:
            self._save(batch_x, index_array, 10 ** 4)
        misc = [array[index_array] for array in self.x_misc]
        inputs = [batch_x] + misc if misc else batch_x
        if self.y is None:
            return inputs
        if self.sample_weight is None:
            return inputs, self.y[index_array]
        return inputs, self.y[index_array], self.sample_weight[index_array]


def _image_files(directory, follow_links):
    """`(folder, file name)` of the images under `directory`, folders and names sorted."""
    for root, _, files in sorted(os.walk(directory, followlinks=follow_links), key=lambda entry: entry[0]):
        for name in sorted(files):
            if name.lower().endswith(IMAGE_EXTENSIONS):
                yield root, name


class DirectoryIterator(Iterator):
    """Batches of images read from `directory/<class name>/*.png|jpg|...`, with labels from the folders."""

    allowed_class_modes = {"categorical", "binary", "sparse", "input", None}

    def __init__(self, directory, image_data_generator, target_size=(256, 256), color_mode="rgb", classes=None,
                 class_mode="categorical", batch_size=32, shuffle=True, seed=None, data_format=None,
                 save_to_dir=None, save_prefix="", save_format="png", follow_links=False, subset=None,
                 interpolation="nearest", keep_aspect_ratio=False, dtype=None):
        if color_mode not in ("rgb", "rgba", "grayscale"):
            raise ValueError(f"`color_mode` must be 'rgb', 'rgba' or 'grayscale', got {color_mode!r}.")
        if class_mode not in self.allowed_class_modes:
            raise ValueError(f"`class_mode` must be one of {sorted(map(str, self.allowed_class_modes))}, "
                             f"got {class_mode!r}.")
        if subset not in (None, "training", "validation"):
            raise ValueError(f"`subset` must be 'training', 'validation' or None, got {subset!r}.")
        if not os.path.isdir(directory):
            raise ValueError(f"`directory` {directory!r} is not a folder.")
        self.dtype = dtype or config.floatx()
        self.data_format = data_format or config.image_data_format()
        self.image_data_generator = image_data_generator
        self.target_size = tuple(target_size)
        self.color_mode = color_mode
        self.keep_aspect_ratio = keep_aspect_ratio
        channels = {"rgb": 3, "rgba": 4, "grayscale": 1}[color_mode]
        self.image_shape = (self.target_size + (channels,) if self.data_format == "channels_last"
                            else (channels,) + self.target_size)
        self.save_to_dir, self.save_prefix, self.save_format = save_to_dir, save_prefix, save_format
        self.interpolation = interpolation
        self.subset = subset
        split = image_data_generator._validation_split if image_data_generator is not None else 0.0
        self.split = None if subset is None else ((0, split) if subset == "validation" else (split, 1))
        self.directory = directory
        self.class_mode = class_mode
        if not classes:
            classes = [name for name in sorted(os.listdir(directory)) if os.path.isdir(os.path.join(directory, name))]
        self.num_classes = len(classes)
        self.class_indices = {name: index for index, name in enumerate(classes)}
        self.filenames, labels = [], []
        for name in classes:
            folder = os.path.join(directory, name)
            files = list(_image_files(folder, follow_links))
            if self.split is not None:
                # Each class is split on its own, the validation part first.
                files = files[int(self.split[0] * len(files)):int(self.split[1] * len(files))]
            for root, file_name in files:
                self.filenames.append(os.path.join(name, os.path.relpath(os.path.join(root, file_name), folder)))
                labels.append(self.class_indices[name])
        self.samples = len(self.filenames)
        self.classes = np.asarray(labels, dtype="int32")
        print(f"Found {self.samples} images belonging to {self.num_classes} classes.")
        self._filepaths = [os.path.join(directory, name) for name in self.filenames]
        super().__init__(self.samples, batch_size, shuffle, seed)

    @property
    def filepaths(self):
        return self._filepaths

    @property
    def labels(self):
        return self.classes

    @property
    def sample_weight(self):
        return None

    def _get_batches_of_transformed_samples(self, index_array):
        batch_x = np.zeros((len(index_array),) + self.image_shape, dtype=self.dtype)
        for i, j in enumerate(index_array):
            img = image_utils.load_img(self._filepaths[j], color_mode=self.color_mode, target_size=self.target_size,
                                       interpolation=self.interpolation, keep_aspect_ratio=self.keep_aspect_ratio)
            x = image_utils.img_to_array(img, data_format=self.data_format)
            img.close()
            batch_x[i] = self._transform(x) if self.image_data_generator is not None else x
        if self.save_to_dir:
            self._save(batch_x, index_array, 10 ** 7)
        if self.class_mode == "input":
            return batch_x, batch_x.copy()
        if self.class_mode in ("binary", "sparse"):
            return batch_x, self.classes[index_array].astype(self.dtype)
        if self.class_mode == "categorical":
            batch_y = np.zeros((len(batch_x), self.num_classes), dtype=self.dtype)
            batch_y[np.arange(len(batch_x)), self.classes[index_array]] = 1.0
            return batch_x, batch_y
        return batch_x
