"""`GroupQueryAttention`: attention whose key/value heads are shared by groups of query heads (Ainslie et al., 2023)."""

import math
import numbers

import numpy as np

from nanokeras import constraints, initializers, regularizers
from nanokeras.backend import config as backend_config
from nanokeras.backend import naming
from nanokeras.layers._argument_checks import check_seed
from nanokeras.layers.attention.multi_head_attention import _combined_mask, _positive_int
from nanokeras.layers.attention.projection import Projection
from nanokeras.layers.attention.query_value_key import QueryValueKeyLayer
from nanokeras.layers.regularization._noise import NoiseSource
from nanokeras.ops import attention as attention_ops
from nanokeras.ops import masking as masking_ops
from nanokeras.ops import numpy as np_ops
from nanokeras.ops.tensor import value_of


def _as_head_mask(mask):
    """A (batch, T, S) (or (T, S)) mask as (batch, 1, T, S): one mask for every head, as Keras expands it."""
    def expand(m):
        m = np.asarray(m, dtype=bool)
        while m.ndim < 4:
            m = np.expand_dims(m, -3)
        return m
    return masking_ops.derived_mask(expand, mask)


class GroupedQueryAttention(QueryValueKeyLayer):
    """Grouped-query attention: `num_key_value_heads` key/value heads, each shared by
    `num_query_heads // num_key_value_heads` query heads (`keras.layers.GroupQueryAttention`).

    With `num_key_value_heads == num_query_heads` this is multi-head attention;
    with `num_key_value_heads == 1`, multi-query attention.

    Args:
        head_dim: the size of each head.
        num_query_heads: the number of query heads.
        num_key_value_heads: the number of key and value heads (divides `num_query_heads`).
        dropout: the fraction of attention weights dropped while training.
        use_bias: whether the projections have biases.
        sliding_window: attend only to keys fewer than this many positions away.
        flash_attention: accepted for Keras programs; the attention is computed exactly
            either way. As in Keras, it excludes `dropout` and `return_attention_scores`.
        kernel_initializer, bias_initializer, *_regularizer, *_constraint: for the projections
            (`activity_regularizer` also applies to each projection's output, as in Keras).
        use_gate: gate the attention output with a sigmoid of a projection of the query.
        seed: an int for reproducible dropout.

    The weights are Keras's, in its order: `query` (dim, num_query_heads, head_dim), `key`
    (dim, num_key_value_heads, head_dim), `gate` (as `query`, with `use_gate`), `value` (as
    `key`), each with a bias over its last two axes, and `attention_output`
    (num_query_heads, head_dim, dim) with a (dim,) bias.

    Call arguments: `query` (batch, T, dim), `value` (batch, S, dim), `key` (defaults to
    `value`), `attention_mask` (batch, T, S) booleans, `return_attention_scores` (also
    return the (batch, num_query_heads, T, S) weights), `training`, `use_causal_mask`.
    Masks on the query/value/key tensors (e.g. from `Embedding(mask_zero=True)`) apply too.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.GroupQueryAttention(head_dim=4, num_query_heads=4, num_key_value_heads=2)
        >>> x = np.ones((3, 5, 8), "float32")
        >>> output, scores = layer(x, x, return_attention_scores=True)
        >>> output.shape, scores.shape
        ((3, 5, 8), (3, 4, 5, 5))
        >>> [w.shape for w in layer.get_weights()][:4]
        [(8, 4, 4), (4, 4), (8, 2, 4), (2, 4)]
    """

    # Keras exports this class under another name; files name it so (see saving/builtin_registry.py).
    _keras_export_name = "GroupQueryAttention"

    _replayable = True  # its call computes with recorded ops only (projections, attention ops, derived masks)

    def __init__(self, head_dim, num_query_heads, num_key_value_heads, dropout=0.0, use_bias=True,
                 sliding_window=None, flash_attention=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, use_gate=False, seed=None, **kwargs):
        head_dim = _positive_int("head_dim", head_dim)
        num_query_heads = _positive_int("num_query_heads", num_query_heads)
        num_key_value_heads = _positive_int("num_key_value_heads", num_key_value_heads)
        if num_query_heads % num_key_value_heads:
            raise ValueError(
                "Received an invalid value for argument `num_query_heads`, expected a multiple of "
                f"`num_key_value_heads` ({num_key_value_heads}), so that each key/value head serves a whole "
                f"group of query heads. Received: num_query_heads={num_query_heads}, "
                f"num_key_value_heads={num_key_value_heads}"
            )
        if isinstance(dropout, bool) or not isinstance(dropout, numbers.Real) or not 0 <= dropout <= 1:
            raise ValueError(
                "Received an invalid value for argument `dropout`, expected a float in [0, 1]. "
                f"Received: dropout={dropout!r}"
            )
        sliding_window = _positive_int("sliding_window", sliding_window, allow_none=True)
        # As in Keras, the global switch (`keras.config.enable_flash_attention()`) counts too.
        flash = bool(flash_attention or backend_config.is_flash_attention_enabled())
        if flash and dropout > 0:
            raise ValueError(
                "Received an invalid value for argument `dropout`, expected 0.0 with flash attention "
                f"(Keras's flash kernel has no dropout). Received: dropout={dropout!r}, "
                f"flash_attention={flash_attention!r}"
            )
        kernel_initializer = initializers.get(kernel_initializer)
        bias_initializer = initializers.get(bias_initializer)
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.supports_masking = True
        self.head_dim = head_dim
        self.num_query_heads = num_query_heads
        self.num_key_value_heads = num_key_value_heads
        self.num_repeats = num_query_heads // num_key_value_heads
        self.dropout = dropout
        self.use_bias = bool(use_bias)
        self.use_gate = bool(use_gate)
        self.sliding_window = sliding_window
        self._flash_attention = flash
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.seed = check_seed("GroupQueryAttention", seed)
        self._noise = NoiseSource(self.seed)
        self._inverse_sqrt_head_dim = 1.0 / math.sqrt(float(head_dim))

    # -------------------------------------------------------------- build
    def _projection(self, output_shape, contract, name, activation=None):
        # Fresh initializer copies per projection: a shared seeded one would give them equal kernels.
        kernel_initializer = type(self.kernel_initializer).from_config(self.kernel_initializer.get_config())
        bias_initializer = type(self.bias_initializer).from_config(self.bias_initializer.get_config())
        return Projection(output_shape, contract=contract, use_bias=self.use_bias, activation=activation,
                          kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                          kernel_regularizer=self.kernel_regularizer, bias_regularizer=self.bias_regularizer,
                          activity_regularizer=self.activity_regularizer, kernel_constraint=self.kernel_constraint,
                          bias_constraint=self.bias_constraint, dtype=self.dtype, name=name)

    def build(self, query_shape, value_shape, key_shape=None):
        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        key_shape = self._remember_build_shapes(query_shape, value_shape, key_shape)
        for argument, shape in (("query", query_shape), ("value", value_shape), ("key", key_shape)):
            if len(shape) != 3:
                raise ValueError(
                    f"GroupQueryAttention expected `{argument}` of rank 3 (batch, steps, features). "
                    f"Received: {argument}_shape={shape}"
                )
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError(
                "All dimensions of `value` and `key`, except the last one, must be equal. "
                f"Received: value_shape={value_shape} and key_shape={key_shape}"
            )
        # Made in Keras's order, which is the order of the weights.
        self._query_dense = self._projection((self.num_query_heads, self.head_dim), 1, "query")
        self._query_dense.build(query_shape)
        self._key_dense = self._projection((self.num_key_value_heads, self.head_dim), 1, "key")
        self._key_dense.build(key_shape)
        if self.use_gate:
            self._gate_dense = self._projection((self.num_query_heads, self.head_dim), 1, "gate",
                                                activation="sigmoid")
            self._gate_dense.build(query_shape)
        self._value_dense = self._projection((self.num_key_value_heads, self.head_dim), 1, "value")
        self._value_dense.build(value_shape)
        self.feature_dim = query_shape[-1]
        self._output_dense = self._projection((self.feature_dim,), 2, "attention_output")
        self._output_dense.build((None, None, self.num_query_heads, self.head_dim))
        # Keras builds a `Softmax` and a `Dropout` layer here, which take the automatic names
        # `softmax` and `dropout`: a later `Dropout()` is `dropout_1` there, and so here.
        naming.auto_name("Softmax")
        naming.auto_name("Dropout")
        self.built = True

    # --------------------------------------------------------------- call
    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None, attention_mask=None,
             return_attention_scores=False, training=None, use_causal_mask=False):
        if self._flash_attention and return_attention_scores:
            raise ValueError(
                "GroupQueryAttention: `return_attention_scores=True` is not supported with flash attention "
                "(as in Keras, whose flash kernel never forms the scores)."
            )
        self._ensure_built(query, value, key)  # before `key` defaults: Keras's build config has no key then
        if key is None:
            key = value
        query_shape, value_shape = np.shape(value_of(query)), np.shape(value_of(value))
        mask = _combined_mask(query_shape, value_shape, query_mask, value_mask, key_mask, attention_mask,
                              use_causal_mask, self.sliding_window)
        gate = self._gate_dense(query) if self.use_gate else None
        q = self._query_dense(query)
        k, v = self._key_dense(key), self._value_dense(value)
        if mask is not None:
            mask = _as_head_mask(mask)
        # The attention ops serve each key/value head to its group of query heads themselves
        # (Keras repeats the heads first: the same numbers, without the copies).
        logits = attention_ops.attention_logits(q, k, self._inverse_sqrt_head_dim, layout="BTNH")
        # Keras's fused kernel (no dropout, no scores asked for) gives a query with nothing to
        # attend to uniform weights; its `Softmax` layer (the other cases) gives it zeros.
        zero_masked = self.dropout > 0 or return_attention_scores
        scores = attention_ops.masked_softmax(logits, mask=mask, zero_masked=zero_masked)
        weights = scores
        if training and self.dropout > 0:
            noise = self._noise
            weights = attention_ops.attention_dropout(scores, self.dropout, lambda: noise.generator)
        output = attention_ops.attention_combine(weights, v, layout="BTNH")
        if gate is not None:
            output = np_ops.multiply(output, gate)
        output = self._output_dense(output)
        if return_attention_scores:
            return output, scores
        return output

    # ------------------------------------------------------------- shapes
    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        query_shape = tuple(query_shape)
        if value_shape is not None:
            value_shape = tuple(value_shape)
            key_shape = value_shape if key_shape is None else tuple(key_shape)
            if query_shape[-1] != value_shape[-1]:
                raise ValueError(
                    "The last dimension of `query_shape` and `value_shape` must be equal, but are "
                    f"{query_shape[-1]}, {value_shape[-1]}. Received: query_shape={query_shape}, "
                    f"value_shape={value_shape}"
                )
            if value_shape[1:-1] != key_shape[1:-1]:
                raise ValueError(
                    "All dimensions of `value` and `key`, except the last one, must be equal. "
                    f"Received: value_shape={value_shape} and key_shape={key_shape}"
                )
        return query_shape

    def compute_output_spec(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
                            attention_mask=None, return_attention_scores=False, training=None,
                            use_causal_mask=False):
        from nanokeras.graph.keras_tensor import KerasTensor

        output_shape = self.compute_output_shape(query.shape, value.shape, None if key is None else key.shape)
        self._ensure_built(query, value, key)
        output = KerasTensor(output_shape, dtype=self.dtype)
        if return_attention_scores:
            steps = (value if key is None else key).shape[1]
            return output, KerasTensor((query.shape[0], self.num_query_heads, query.shape[1], steps),
                                       dtype=self.dtype)
        return output

    def get_config(self):
        config = super().get_config()
        config.update({
            "head_dim": self.head_dim,
            "num_query_heads": self.num_query_heads,
            "num_key_value_heads": self.num_key_value_heads,
            "use_bias": self.use_bias,
            "use_gate": self.use_gate,
            "sliding_window": self.sliding_window,
            "dropout": self.dropout,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "seed": self.seed,
        })
        return config
