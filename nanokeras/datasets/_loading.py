"""Shared pieces of the dataset loaders: the download origin and pickle-free `.npz` reading."""

import numpy as np

from nanokeras.datasets._object_arrays import load_npz_arrays
from nanokeras.utils.file_utils import get_file

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


def fetch(fname, origin, file_hash=None, cache_subdir="datasets"):
    return get_file(fname=fname, origin=origin, file_hash=file_hash, cache_subdir=cache_subdir)


def load_npz(path, keys, dataset):
    """The arrays `keys` of the `.npz` at `path`, never unpickled.

    Keras's files keep sequences in object arrays, stored as pickles; they are read
    as data by `_object_arrays` (lists of int lists, nothing else is accepted).
    """
    arrays = load_npz_arrays(path, keys, dataset)
    return [arrays[k] for k in keys]


def unpad(rows):
    """Sequences as lists of ints: from Keras's object arrays (already lists), or from a
    rectangular integer array padded with -1 (nanokeras's own pickle-free format)."""
    if isinstance(rows, list):
        return [list(row) if isinstance(row, list) else [int(row)] for row in rows]
    rows = np.asarray(rows)
    if rows.dtype.kind not in "iu":
        raise ValueError(f"Sequence arrays must hold integers, got dtype {rows.dtype}.")
    if rows.ndim == 1:  # an object-free 1-D array cannot hold sequences; treat as length-1 rows
        rows = rows[:, None]
    return [[int(w) for w in row if w >= 0] for row in rows]


def remove_long_seq(maxlen, seq, label):
    """Drops the sequences longer than `maxlen` (and their labels), as Keras does."""
    new_seq, new_label = [], []
    for x, y in zip(seq, label):
        if len(x) < maxlen:
            new_seq.append(x)
            new_label.append(y)
    return new_seq, new_label


def index_words(xs, start_char, index_from):
    if start_char is not None:
        return [[start_char] + [w + index_from for w in x] for x in xs]
    if index_from:
        return [[w + index_from for w in x] for x in xs]
    return [list(x) for x in xs]


def limit_vocabulary(xs, num_words, skip_top, oov_char):
    if not num_words:
        num_words = max(max(x) for x in xs if x) if any(xs) else 0
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    return [[w for w in x if skip_top <= w < num_words] for x in xs]


def object_array(lists):
    out = np.empty(len(lists), dtype=object)
    for i, x in enumerate(lists):
        out[i] = x
    return out
