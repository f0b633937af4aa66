"""`embedding_lookup`: rows of a table picked by integer ids, as one recorded op.

    out[..., :] = table[ids[...], :]
    d table = sum of the upstream gradients of every position that picked each row

Ids are checked: an id outside `[0, rows)` raises a ValueError naming the
first bad id (numpy would wrap negative ids around silently, and some Keras
backends return zeros for ids past the end). A compiled step replays the op on
the next batch's ids, checking them again.

Example:
    >>> import numpy as np
    >>> table = np.arange(6.0).reshape(3, 2)
    >>> embedding_lookup(table, np.array([[2, 0]])).tolist()
    [[[4.0, 5.0], [0.0, 1.0]]]
"""

import numpy as np

from nanokeras.ops.gradient_utils import _recording_tapes, record, value_of
from nanokeras.ops.tape import needs_gradient

__all__ = []  # internal: used by `keras.layers.Embedding`


def _checked_ids(ids, rows, owner):
    """`ids` as an integer array, every id in `[0, rows)` (else a ValueError)."""
    if ids.dtype.kind not in "iu":
        if ids.dtype.kind == "b" or ids.dtype.kind not in "f":
            raise TypeError(f"{owner} expects integer ids, got an array of dtype {ids.dtype}.")
        ids = ids.astype(np.int32)  # as Keras casts float ids
    if ids.size:
        low, high = ids.min(), ids.max()
        if low < 0 or high >= rows:
            bad = low if low < 0 else high
            position = tuple(int(i) for i in np.argwhere(ids == bad)[0])
            raise ValueError(
                f"{owner} got the id {int(bad)} at position {position}, but ids must be in [0, {rows}) "
                f"(the table has {rows} rows, `input_dim`={rows}). Raise `input_dim` to cover every id, "
                "or map rare ids to an out-of-vocabulary id first."
            )
    return ids


def embedding_lookup(table, ids, owner="embedding_lookup"):
    """`table[ids]`: one row of `table` (rows, dim) per id; the result has shape `ids.shape + (dim,)`.

    Args:
        table: the (rows, dim) table (an array or Variable).
        ids: integer ids (floats holding integers are truncated, as Keras casts them).
        owner: who is asking, for error messages (e.g. "Embedding 'embedding'").
    """
    weights = value_of(table)
    indices = _checked_ids(np.asarray(value_of(ids)), weights.shape[0], owner)
    out = np.take(weights, indices, axis=0)
    if not _recording_tapes:
        return out

    table_wanted = needs_gradient(table)  # read now: a watched array is unwatched when its tape closes

    def forward():
        current = _checked_ids(np.asarray(value_of(ids)), weights.shape[0], owner)
        np.take(weights, current, axis=0, out=out)

    def vjp(g):
        current = np.asarray(value_of(ids))
        if _recording_tapes:  # differentiated again: the scatter as recorded ops
            from nanokeras.ops import numpy as np_ops

            one_hot = (current.reshape(-1)[:, None] == np.arange(weights.shape[0])).astype(weights.dtype)
            g2 = np_ops.reshape(g, (-1, weights.shape[1]))
            return np_ops.matmul(np_ops.transpose(one_hot), g2), None
        if not table_wanted:
            return None, None
        rows, width = weights.shape
        flat = current.reshape(-1).astype(np.int64)
        # One flat index per element: numpy's fast path for `add.at` (several times faster than rows).
        positions = (flat[:, None] * width + np.arange(width)).reshape(-1)
        grad = np.zeros(rows * width, dtype=weights.dtype)
        np.add.at(grad, positions, np.reshape(value_of(g), -1).astype(weights.dtype, copy=False))
        return grad.reshape(rows, width), None

    return record(out, (table, ids), vjp, forward)
