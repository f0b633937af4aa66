"""`CategoryEncoding`: one-hot, multi-hot or count encoding of integer ids."""

import numpy as np

from nanokeras.ops.gradient_utils import record_no_gradient
from nanokeras.ops.tensor import value_of
from nanokeras.layers._argument_checks import check_choice
from nanokeras.layers.layer import Layer
from nanokeras.layers.preprocessing._encoding import encode_categorical, encoded_shape


class CategoryEncoding(Layer):
    """Encodes integer ids in `[0, num_tokens)` as dense vectors of size `num_tokens`.

    Args:
        num_tokens: the number of distinct ids.
        output_mode: `"multi_hot"` (default; 1 for each id present in a sample),
            `"one_hot"` (one vector per id) or `"count"` (how often each id occurs).
            `"binary"` is accepted as an alias of `"multi_hot"`.
        sparse: must be False (nanokeras has dense arrays only).

    Call arguments:
        count_weights: with `output_mode="count"`, weights to sum instead of 1s.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.CategoryEncoding(4, output_mode="one_hot")(np.array([3, 0])).tolist()
        [[0.0, 0.0, 0.0, 1.0], [1.0, 0.0, 0.0, 0.0]]
        >>> keras.layers.CategoryEncoding(4)(np.array([[0, 1], [0, 0]])).tolist()
        [[1.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]]
    """

    _replayable = True

    _keeps_integer_inputs = True

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        if output_mode == "binary":
            output_mode = "multi_hot"
        check_choice("CategoryEncoding", "output_mode", output_mode, ("count", "one_hot", "multi_hot"))
        if num_tokens is None:
            raise ValueError(
                "CategoryEncoding: `num_tokens` must be set. If the number of ids is not known in advance, "
                "use the IntegerLookup layer instead."
            )
        if isinstance(num_tokens, bool) or not isinstance(num_tokens, (int, np.integer)) or num_tokens < 1:
            raise ValueError(f"CategoryEncoding: `num_tokens` must be an int >= 1, got num_tokens={num_tokens!r}.")
        if sparse:
            raise ValueError("CategoryEncoding: `sparse=True` is not supported (nanokeras has dense arrays only).")
        super().__init__(**kwargs)
        self.num_tokens = int(num_tokens)
        self.output_mode = output_mode
        self.sparse = False
        self.built = True

    def call(self, inputs, count_weights=None):
        def encode():  # computed again by a compiled step for each batch
            return self._encode(value_of(inputs), None if count_weights is None else value_of(count_weights))

        return record_no_gradient(encode(), (inputs,) if count_weights is None else (inputs, count_weights), encode)

    def _encode(self, ids, count_weights):
        ids = np.asarray(ids)
        if ids.dtype.kind == "f":
            if not np.all(ids == np.floor(ids)):
                raise ValueError(f"CategoryEncoding {self.name!r} expects integer ids, got non-integer floats.")
            ids = ids.astype(np.int64)
        if count_weights is not None:
            if self.output_mode != "count":
                raise ValueError(
                    f"CategoryEncoding {self.name!r}: `count_weights` is only used with output_mode='count', "
                    f"got output_mode={self.output_mode!r}."
                )
            count_weights = np.asarray(count_weights, dtype=self.dtype)
            if count_weights.shape != ids.shape:
                raise ValueError(
                    f"CategoryEncoding {self.name!r}: `count_weights` must have the inputs' shape "
                    f"{ids.shape}, got {count_weights.shape}."
                )
        return encode_categorical(ids, self.output_mode, self.num_tokens, self.dtype, count_weights)

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self.num_tokens, drop_last_axis=True)

    def get_config(self):
        config = super().get_config()
        config.update({"num_tokens": self.num_tokens, "output_mode": self.output_mode})
        return config
