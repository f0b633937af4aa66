"""Shared pieces of the dataset loaders: the download origin and pickle-free `.npz` reading."""

import numpy as np

from nanokeras.utils.file_utils import get_file

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


def fetch(fname, origin, file_hash=None, cache_subdir="datasets"):
    return get_file(fname=fname, origin=origin, file_hash=file_hash, cache_subdir=cache_subdir)


def load_npz(path, keys, dataset):
    """The arrays `keys` of the `.npz` at `path`, read with pickling disabled."""
    try:
        with np.load(path, allow_pickle=False) as f:
            missing = [k for k in keys if k not in f.files]
            if missing:
                raise ValueError(
                    f"{path} is not a {dataset} file: it lacks the arrays {missing} (it has {f.files})."
                )
            return [f[k] for k in keys]
    except ValueError as error:
        if "allow_pickle" not in str(error):
            raise
        raise ValueError(
            f"{path} stores its sequences as Python object arrays, which can only be read by "
            "unpickling. nanokeras never unpickles files (a pickle can run arbitrary code), so it "
            f"cannot read this {dataset} file. Convert it once to a pickle-free .npz with one "
            "rectangular integer array per key (pad sequences with -1 at the end; padding is "
            "removed on load) and pass its path as `path=`."
        ) from None


def unpad(rows):
    """A rectangular integer array padded with -1 back to a list of lists."""
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
