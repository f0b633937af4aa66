"""`MultiHeadAttention`: several attention heads over learned projections (Vaswani et al., 2017)."""

import math
import numbers

import numpy as np

from nanokeras import constraints, initializers, regularizers
from nanokeras.backend import masking, naming
from nanokeras.layers._argument_checks import check_seed
from nanokeras.layers.attention.projection import Projection
from nanokeras.layers.attention.query_value_key import QueryValueKeyLayer
from nanokeras.layers.regularization._noise import NoiseSource
from nanokeras.ops import attention as attention_ops
from nanokeras.ops import masking as masking_ops
from nanokeras.ops import numpy as np_ops
from nanokeras.ops.tensor import value_of


def _positive_int(argument, value, allow_none=False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        expected = "a positive integer or `None`" if allow_none else "a positive integer"
        raise ValueError(
            f"Received an invalid value for argument `{argument}`, expected {expected}. Received: {argument}={value!r}"
        )
    return int(value)


def _combined_mask(query_shape, value_shape, query_mask, value_mask, key_mask, attention_mask, causal, sliding):
    """The (batch, T, S) boolean mask of what each query step may attend to (None: everything)."""
    t, s = query_shape[1], value_shape[1]

    def combine(q, v, k, a):
        allowed = None

        def both(x, y):
            return y if x is None else np.logical_and(x, y)

        if q is not None:
            allowed = both(allowed, np.asarray(q, dtype=bool)[:, :, None])
        if v is not None:
            allowed = both(allowed, np.asarray(v, dtype=bool)[:, None, :])
        if k is not None:
            allowed = both(allowed, np.asarray(k, dtype=bool)[:, None, :])
        if causal:
            allowed = both(allowed, np.tril(np.ones((t, s), dtype=bool))[None])
        if sliding is not None:
            rows, cols = np.arange(t)[:, None], np.arange(s)[None, :]
            allowed = both(allowed, (np.abs(rows - cols) < sliding)[None])
        if a is not None:
            allowed = both(allowed, np.asarray(a, dtype=bool))
        return allowed

    parts = (query_mask, value_mask, key_mask, attention_mask)
    if all(p is None for p in parts) and not causal and sliding is None:
        return None
    return masking_ops.derived_mask(combine, *parts)


class MultiHeadAttention(QueryValueKeyLayer):
    """Multi-head attention: `num_heads` attentions over learned projections, then an output projection.

    Args:
        num_heads: the number of heads.
        key_dim: the size of each head for queries and keys.
        value_dim: the size of each head for values (`key_dim` by default).
        dropout: the fraction of attention weights dropped while training.
        use_bias: whether the projections have biases.
        output_shape: the output's last axis (or axes); the query's last axis by default.
        attention_axes: the axes attention runs over (all but batch, heads and features by default).
        sliding_window: attend only to keys within this many positions.
        use_gate: gate the attention output with a sigmoid of a projection of the query.
        kernel_initializer, bias_initializer, *_regularizer, *_constraint: for the projections.
        seed: an int for reproducible dropout.

    The weights are Keras's: `query_dense`, `key_dense`, `value_dense` kernels
    (dim, heads, depth) with (heads, depth) biases, `output_dense` (heads, depth, dim).

    Call arguments: `query` (batch, T, dim), `value` (batch, S, dim), `key` (defaults
    to `value`), `attention_mask` (batch, T, S) booleans, `return_attention_scores`
    (also return the (batch, heads, T, S) weights), `training`, `use_causal_mask`.
    Masks on the query/value/key tensors (e.g. from `Embedding(mask_zero=True)`)
    are applied too.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)
        >>> x = np.ones((3, 5, 8), "float32")
        >>> output, scores = layer(x, x, return_attention_scores=True)
        >>> output.shape, scores.shape
        ((3, 5, 8), (3, 2, 5, 5))
    """

    _replayable = True

    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True, output_shape=None,
                 attention_axes=None, sliding_window=None, flash_attention=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, use_gate=False, seed=None, **kwargs):
        num_heads = _positive_int("num_heads", num_heads)
        key_dim = _positive_int("key_dim", key_dim)
        value_dim = _positive_int("value_dim", value_dim, allow_none=True)
        if isinstance(dropout, bool) or not isinstance(dropout, numbers.Real) or not 0 <= dropout <= 1:
            raise ValueError(f"MultiHeadAttention: `dropout` must be a float in [0, 1], got {dropout!r}.")
        if flash_attention:
            raise ValueError("MultiHeadAttention: `flash_attention=True` needs a GPU/TPU kernel nanokeras does not have.")
        if output_shape:
            if isinstance(output_shape, int):
                output_shape = (output_shape,)
            try:
                output_shape = tuple(int(d) for d in output_shape)
            except TypeError:
                raise ValueError(
                    f"Invalid `output_shape`: {output_shape!r}. When specified, the `output_shape` should be of "
                    "type tuple, list, or int."
                ) from None
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes is not None and not isinstance(attention_axes, (list, tuple)):
            raise ValueError(f"`attention_axes` must be an int, list, or tuple. Received: attention_axes={attention_axes}")
        if sliding_window is not None:
            sliding_window = _positive_int("sliding_window", sliding_window)
        initializers_ = (initializers.get(kernel_initializer), initializers.get(bias_initializer))
        super().__init__(**kwargs)
        self.supports_masking = True
        # As Keras: the activity regularizer applies to each projection's output (query, key,
        # value, output), not a second time to the layer's own output.
        self._activity_regularizer = regularizers.get(activity_regularizer)
        self._num_heads, self._key_dim = num_heads, key_dim
        self._value_dim = value_dim if value_dim else key_dim
        self._dropout = dropout
        self._use_bias = bool(use_bias)
        self._use_gate = bool(use_gate)
        self._output_shape = output_shape or None
        self._attention_axes = tuple(attention_axes) if attention_axes is not None else None
        self._sliding_window = sliding_window
        self._kernel_initializer, self._bias_initializer = initializers_
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        self.seed = check_seed("MultiHeadAttention", seed)
        self._noise = NoiseSource(self.seed)
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(key_dim))

    num_heads = property(lambda self: self._num_heads)
    key_dim = property(lambda self: self._key_dim)
    value_dim = property(lambda self: self._value_dim)
    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    attention_axes = property(lambda self: self._attention_axes)

    # Keras names these `_query_dense` etc. too; the public names are also where weights are saved.
    _query_dense = property(lambda self: self.query_dense)
    _key_dense = property(lambda self: self.key_dense)
    _value_dense = property(lambda self: self.value_dense)
    _output_dense = property(lambda self: self.output_dense)

    # -------------------------------------------------------------- build
    def _projection(self, output_shape, contract, name, activation=None):
        kernel_initializer = type(self._kernel_initializer).from_config(self._kernel_initializer.get_config())
        bias_initializer = type(self._bias_initializer).from_config(self._bias_initializer.get_config())
        return Projection(output_shape, contract=contract, use_bias=self._use_bias, activation=activation,
                          kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                          kernel_regularizer=self._kernel_regularizer, bias_regularizer=self._bias_regularizer,
                          activity_regularizer=self._activity_regularizer,
                          kernel_constraint=self._kernel_constraint, bias_constraint=self._bias_constraint,
                          dtype=self.dtype, name=name)

    def build(self, query_shape, value_shape, key_shape=None):
        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        key_shape = self._remember_build_shapes(query_shape, value_shape, key_shape)
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError(
                "All dimensions of `value` and `key`, except the last one, must be equal. "
                f"Received: value_shape={value_shape} and key_shape={key_shape}"
            )
        heads = (self._num_heads, self._key_dim)
        self.query_dense = self._projection(heads, 1, "query")
        self.query_dense.build(query_shape)
        self.key_dense = self._projection(heads, 1, "key")
        self.key_dense.build(key_shape)
        self._gate_dense = None
        if self._use_gate:
            self._gate_dense = self._projection((self._num_heads, self._value_dim), 1, "gate", activation="sigmoid")
            self._gate_dense.build(query_shape)
        self.value_dense = self._projection((self._num_heads, self._value_dim), 1, "value")
        self.value_dense.build(value_shape)
        rank = len(query_shape) + 1
        if self._attention_axes is None:
            self._attention_axes = tuple(range(1, rank - 2))
        else:
            self._attention_axes = tuple(a if a >= 0 else (rank - 1) + a for a in self._attention_axes)
        output_shape = self._output_shape or (query_shape[-1],)
        self.output_dense = self._projection(output_shape, 2, "attention_output")
        self.output_dense.build(tuple(query_shape[:-1]) + (self._num_heads, self._value_dim))
        # Keras builds a `Softmax` and a `Dropout` layer here, which take the automatic names
        # `softmax` and `dropout`: a later `Dropout()` is `dropout_1` there, and so here.
        naming.auto_name("Softmax")
        naming.auto_name("Dropout")
        self.built = True

    # --------------------------------------------------------------- call
    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None, attention_mask=None,
             return_attention_scores=False, training=None, use_causal_mask=False):
        if key is None:
            # As Keras, an explicit `key_mask` still applies (to the value, which is the key).
            key = value
        # As Keras: the query's mask is the one its tensor carries (an explicit `query_mask`
        # is not read), and the layer consumes the masks of its inputs: it takes them off the
        # query, value and key tensors themselves, so a later layer given the same tensors
        # (e.g. a residual `Add([x, attention(x, x)])`) sees no mask on them.
        query_mask = masking.get_keras_mask(query)
        for tensor in (query, value, key):
            masking.set_keras_mask(tensor, None)
        self._ensure_built(query, value, key)
        query_shape, value_shape = np.shape(value_of(query)), np.shape(value_of(value))
        gate = self._gate_dense(query) if self._use_gate else None
        q, k, v = self.query_dense(query), self.key_dense(key), self.value_dense(value)
        if len(query_shape) == 3 and self._attention_axes == (1,):
            mask = _combined_mask(query_shape, value_shape, query_mask, value_mask, key_mask, attention_mask,
                                  use_causal_mask, self._sliding_window)
            # Keras's own kernel (no dropout, no weights asked for) gives a query with nothing to attend to
            # uniform weights; its `Softmax` layer (the other cases) gives it zeros.
            zero_masked = self._dropout > 0 or return_attention_scores
            output, scores = self._attend(q, k, v, mask, training, zero_masked)
        else:
            output, scores = self._attend_over_axes(q, k, v, attention_mask, use_causal_mask, training)
        if gate is not None:
            output = np_ops.multiply(output, gate)
        output = self.output_dense(output)
        if query_mask is not None:
            masking.set_keras_mask(output, query_mask)
        if return_attention_scores:
            return output, scores
        return output

    def _attend(self, q, k, v, mask, training, zero_masked):
        """Attention of (B, T, N, H) queries over (B, S, N, H) keys; returns (B, T, N, Hv) and the weights."""
        if mask is not None:
            mask = masking_ops.derived_mask(lambda m: np.asarray(m)[:, None], mask)  # one mask for every head
        logits = attention_ops.attention_logits(q, k, self._inverse_sqrt_key_dim, layout="BTNH")
        scores = attention_ops.masked_softmax(logits, mask=mask, zero_masked=zero_masked)
        if zero_masked and mask is not None:
            # Keras computes these weights with its `Softmax` layer, which marks them with its mask.
            masking.set_keras_mask(scores, mask)
        weights = scores
        if training and self._dropout > 0:
            noise = self._noise
            weights = attention_ops.attention_dropout(scores, self._dropout, lambda: noise.generator)
        return attention_ops.attention_combine(weights, v, layout="BTNH"), scores

    def _attend_over_axes(self, q, k, v, attention_mask, causal, training):
        """Attention over `attention_axes` of higher-rank inputs: the other axes act as batch axes."""
        rank = len(np.shape(value_of(q)))
        axes = self._attention_axes
        batch_axes = [a for a in range(rank - 2) if a not in axes]
        order = batch_axes + [rank - 2] + list(axes) + [rank - 1]
        shape_q, shape_k = np.shape(value_of(q)), np.shape(value_of(k))
        t = int(np.prod([shape_q[a] for a in axes]))
        s = int(np.prod([shape_k[a] for a in axes]))
        lead = [shape_q[a] for a in batch_axes]

        def heads_first(x, steps):
            x = np_ops.transpose(x, order)
            shape = np.shape(value_of(x))
            return np_ops.reshape(x, tuple(lead) + (shape[len(lead)], steps, shape[-1]))

        qh, kh, vh = heads_first(q, t), heads_first(k, s), heads_first(v, s)
        logits = attention_ops.attention_logits(qh, kh, self._inverse_sqrt_key_dim, layout="BTH")
        mask = None
        if attention_mask is not None:
            batch = np.shape(value_of(attention_mask))[0]
            # (batch, T..., S...) -> (batch, 1..., heads 1, T, S): the same mask for the other axes and heads.
            target = (batch,) + (1,) * (len(lead) - 1) + (1, t, s)
            mask = masking_ops.derived_mask(lambda m: np.asarray(m, dtype=bool).reshape(target), attention_mask)
        scores = attention_ops.masked_softmax(logits, mask=mask, is_causal=causal, zero_masked=True)
        weights = scores
        if training and self._dropout > 0:
            noise = self._noise
            weights = attention_ops.attention_dropout(scores, self._dropout, lambda: noise.generator)
        out = attention_ops.attention_combine(weights, vh, layout="BTH")
        attention_shape = [shape_q[a] for a in axes]
        out = np_ops.reshape(out, tuple(lead) + (self._num_heads,) + tuple(attention_shape) + (self._value_dim,))
        inverse = list(np.argsort(order))
        scores = np_ops.reshape(scores, tuple(lead) + (self._num_heads,) + tuple(attention_shape)
                                + tuple(shape_k[a] for a in axes))
        return np_ops.transpose(out, inverse), scores

    # ------------------------------------------------------------- shapes
    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        query_shape = tuple(query_shape)
        if value_shape is not None:
            key_shape = tuple(value_shape) if key_shape is None else tuple(key_shape)
            if tuple(value_shape)[1:-1] != key_shape[1:-1]:
                raise ValueError(
                    "All dimensions of `value` and `key`, except the last one, must be equal. "
                    f"Received: value_shape={tuple(value_shape)} and key_shape={key_shape}"
                )
        if self._output_shape:
            return query_shape[:-1] + tuple(self._output_shape)
        return query_shape

    def compute_output_spec(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
                            attention_mask=None, return_attention_scores=False, training=None,
                            use_causal_mask=False):
        from nanokeras.graph.keras_tensor import KerasTensor

        self._ensure_built(query, value, key)
        output = KerasTensor(self.compute_output_shape(query.shape, value.shape, None if key is None else key.shape),
                             dtype=self.dtype)
        if return_attention_scores:
            length = query.shape[1]
            return output, KerasTensor((query.shape[0], self._num_heads, length, value.shape[1]), dtype=self.dtype)
        return output

    def get_config(self):
        config = super().get_config()
        config.update({
            "num_heads": self._num_heads,
            "key_dim": self._key_dim,
            "value_dim": self._value_dim,
            "dropout": self._dropout,
            "use_bias": self._use_bias,
            "use_gate": self._use_gate,
            "output_shape": list(self._output_shape) if self._output_shape else None,
            "attention_axes": list(self._attention_axes) if self._attention_axes is not None else None,
            "sliding_window": self._sliding_window,
            "kernel_initializer": initializers.serialize(self._kernel_initializer),
            "bias_initializer": initializers.serialize(self._bias_initializer),
            "kernel_regularizer": regularizers.serialize(self._kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self._bias_regularizer),
            "activity_regularizer": regularizers.serialize(self._activity_regularizer),
            "kernel_constraint": constraints.serialize(self._kernel_constraint),
            "bias_constraint": constraints.serialize(self._bias_constraint),
            "seed": self.seed,
        })
        return config

