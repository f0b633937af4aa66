"""`keras.utils.pad_sequences`: a list of sequences of different lengths as one padded array."""

import numbers

import numpy as np


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.0):
    """Pads (or cuts) each sequence to the same length; returns an array (samples, maxlen, ...).

    Args:
        sequences: a list of sequences (lists or arrays of numbers, or of equal-shaped items).
        maxlen: the length of the output; the longest sequence's length by default.
        dtype: the output's dtype (`"int32"` by default; `object` for strings).
        padding: `"pre"` (default) or `"post"`: pad before or after each sequence.
        truncating: `"pre"` (default) or `"post"`: drop values from the start or the end of
            sequences longer than `maxlen`.
        value: the padding value.

    Example:
        >>> pad_sequences([[1], [2, 3], [4, 5, 6]]).tolist()
        [[0, 0, 1], [0, 2, 3], [4, 5, 6]]
        >>> pad_sequences([[1], [2, 3], [4, 5, 6]], maxlen=2, padding="post").tolist()
        [[1, 0], [2, 3], [5, 6]]
    """
    if padding not in ("pre", "post"):
        raise ValueError(f'Padding type "{padding}" not understood: `padding` must be "pre" or "post".')
    if truncating not in ("pre", "post"):
        raise ValueError(f'Truncating type "{truncating}" not understood: `truncating` must be "pre" or "post".')
    if maxlen is not None and (isinstance(maxlen, bool) or not isinstance(maxlen, numbers.Integral) or maxlen < 0):
        raise ValueError(f"`maxlen` must be a non-negative integer or None, got maxlen={maxlen!r}.")
    if isinstance(sequences, (str, bytes)) or not hasattr(sequences, "__len__"):
        raise ValueError(f"`sequences` must be a list of sequences, got {type(sequences).__name__}.")
    lengths, sample_shape = [], None
    for index, sequence in enumerate(sequences):
        if isinstance(sequence, (str, bytes)) or not hasattr(sequence, "__len__"):
            raise ValueError(
                "`sequences` must be a list of iterables (each a list of numbers). "
                f"Found non-iterable at position {index}: {sequence!r:.80}"
            )
        lengths.append(len(sequence))
        if sample_shape is None and len(sequence):
            sample_shape = np.asarray(sequence).shape[1:]
    sample_shape = sample_shape or ()
    if maxlen is None:
        if not lengths:
            raise ValueError("`sequences` is empty: there is nothing to pad. Pass `maxlen` to get a (0, maxlen) array.")
        maxlen = max(lengths)
    maxlen = int(maxlen)
    is_text = np.issubdtype(np.dtype(dtype), np.str_) or np.issubdtype(np.dtype(dtype), np.bytes_)
    if isinstance(value, str) and dtype is not object and not is_text:
        raise ValueError(
            f"`dtype` {dtype} is not compatible with `value`'s type: {type(value)}\n"
            "You should set `dtype=object` for variable length strings."
        )
    out = np.full((len(lengths), maxlen) + tuple(sample_shape), value, dtype=dtype)
    if maxlen == 0:
        return out
    for index, sequence in enumerate(sequences):
        if not len(sequence):
            continue
        kept = sequence[-maxlen:] if truncating == "pre" else sequence[:maxlen]
        try:
            kept = np.asarray(kept, dtype=dtype)
        except (TypeError, ValueError):
            raise ValueError(
                f"The sequence at position {index} cannot be converted to {dtype!r}: {kept!r:.80}"
            ) from None
        if kept.shape[1:] != tuple(sample_shape):
            raise ValueError(
                f"Shape of sample {kept.shape[1:]} of sequence at position {index} is different from expected "
                f"shape {tuple(sample_shape)}"
            )
        if padding == "post":
            out[index, :len(kept)] = kept
        else:
            out[index, -len(kept):] = kept
    return out
