"""`keras.utils.pad_sequences`: lists of different lengths as one rectangular array.

Example:
    >>> from nanokeras.utils import pad_sequences
    >>> pad_sequences([[1, 2, 3], [4]]).tolist()
    [[1, 2, 3], [0, 0, 4]]
    >>> pad_sequences([[1, 2, 3], [4]], maxlen=2, padding="post", truncating="post").tolist()
    [[1, 2], [4, 0]]
"""

import numpy as np

_SIDES = ("pre", "post")


def _is_string_dtype(dtype):
    try:
        return np.dtype(dtype).kind in "US"
    except TypeError:
        return False


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.0):
    """Pads (and truncates) sequences to one length, returning a `(len(sequences), maxlen)` array.

    Args:
        sequences: a list of sequences (lists or arrays; each item may itself be an
            array, giving extra trailing dimensions).
        maxlen: the length of every row; by default the longest sequence's length.
        dtype: the array's dtype (`"int32"`; `object` or a string dtype for text).
        padding: `"pre"` (pad at the start, the default) or `"post"`.
        truncating: drop the start (`"pre"`, the default) or the end (`"post"`) of
            sequences longer than `maxlen`.
        value: the padding value.

    Returns:
        A numpy array of shape `(len(sequences), maxlen)` (plus each item's shape).
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError(f"`sequences` must be a list of sequences, got {type(sequences).__name__}.")
    for argument, side in (("padding", padding), ("truncating", truncating)):
        if side not in _SIDES:
            raise ValueError(f"`{argument}` must be 'pre' or 'post', got {side!r}.")
    if maxlen is not None and (isinstance(maxlen, bool) or not isinstance(maxlen, (int, np.integer)) or maxlen < 0):
        raise ValueError(f"`maxlen` must be a non-negative int or None, got {maxlen!r}.")
    lengths, item_shape = [], None
    for index, sequence in enumerate(sequences):
        try:
            lengths.append(len(sequence))
        except TypeError:
            raise ValueError(
                f"`sequences` must be a list of sequences; item {index} is {sequence!r}, which has no length."
            ) from None
        if item_shape is None and len(sequence):
            item_shape = np.asarray(sequence).shape[1:]
    item_shape = item_shape or ()
    if maxlen is None:
        if not lengths:
            raise ValueError("`sequences` is empty: pass `maxlen` to get an empty (0, maxlen) array.")
        maxlen = max(lengths)
    if isinstance(value, str) and dtype is not object and not _is_string_dtype(dtype):
        raise ValueError(
            f"`dtype` {dtype} cannot hold the padding `value` {value!r}: use dtype=object for strings."
        )
    result = np.full((len(lengths), maxlen) + tuple(item_shape), value, dtype=dtype)
    if maxlen == 0:
        return result
    for index, sequence in enumerate(sequences):
        if not len(sequence):
            continue
        kept = sequence[-maxlen:] if truncating == "pre" else sequence[:maxlen]
        kept = np.asarray(kept, dtype=dtype)
        if kept.shape[1:] != tuple(item_shape):
            raise ValueError(
                f"Sequence {index} has items of shape {kept.shape[1:]}, but the first non-empty sequence's "
                f"items have shape {tuple(item_shape)}: all items must have one shape."
            )
        if padding == "post":
            result[index, :len(kept)] = kept
        else:
            result[index, maxlen - len(kept):] = kept
    return result
