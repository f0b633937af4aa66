"""`Attention`: dot-product (Luong-style) attention of a query sequence over a value sequence."""

import numbers

import numpy as np

from nanokeras.layers._argument_checks import check_seed
from nanokeras.layers.layer import Layer
from nanokeras.layers.regularization._noise import NoiseSource
from nanokeras.ops import attention as attention_ops
from nanokeras.ops import masking as masking_ops


class Attention(Layer):
    """Each query step attends to the value steps: `softmax(q kᵀ) v` (keys default to the values).

    Args:
        use_scale: learn a scalar that multiplies the scores.
        score_mode: `"dot"` (`q kᵀ`) or `"concat"` (`sum(tanh(q + k))`, times a learned weight).
        dropout: the fraction of attention weights to drop while training.
        seed: an int for reproducible dropout.

    Call arguments:
        inputs: `[query, value]` or `[query, value, key]`, each (batch, steps, dim).
        mask: `[query_mask, value_mask]` (batch, steps) booleans; masked value steps get no
            weight, masked query steps output zeros. Filled from the inputs' masks.
        return_attention_scores: also return the (batch, Tq, Tv) attention weights.
        use_causal_mask: query step t attends only to value steps <= t.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> query, value = np.ones((2, 3, 4), "float32"), np.ones((2, 5, 4), "float32")
        >>> keras.layers.Attention()([query, value]).shape
        (2, 3, 4)
    """

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        name = type(self).__name__
        if score_mode not in ("dot", "concat"):
            raise ValueError(
                "Invalid value for argument score_mode. Expected one of {'dot', 'concat'}. "
                f"Received: score_mode={score_mode!r}"
            )
        if isinstance(dropout, bool) or not isinstance(dropout, numbers.Real) or not 0 <= dropout <= 1:
            raise ValueError(f"{name}: `dropout` must be a float in [0, 1], got {dropout!r}.")
        super().__init__(**kwargs)
        self.use_scale = bool(use_scale)
        self.score_mode = score_mode
        self.dropout = dropout
        self.seed = check_seed(name, seed)
        self._noise = NoiseSource(self.seed)
        self.supports_masking = True

    _replayable = True

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(), initializer="ones")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(name="concat_score_weight", shape=(), initializer="ones")
        self.built = True

    def _calculate_scores(self, query, key):
        if self.score_mode == "dot":
            return attention_ops.attention_logits(query, key, self.scale if self.scale is not None else 1.0,
                                                  layout="BTH")
        return attention_ops.additive_scores(query, key, inner_scale=self.scale, outer_scale=self.concat_score_weight)

    def call(self, inputs, mask=None, training=False, return_attention_scores=False, use_causal_mask=False):
        self._validate_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        query_mask = mask[0] if mask else None
        value_mask = mask[1] if mask else None
        self._check_mask(query_mask, query, "query")
        self._check_mask(value_mask, value, "value")
        scores = self._calculate_scores(query, key)
        scores_mask = None
        if value_mask is not None:
            scores_mask = masking_ops.derived_mask(lambda m: np.asarray(m, dtype=bool)[..., None, :], value_mask)
        weights = attention_ops.masked_softmax(scores, mask=scores_mask, is_causal=use_causal_mask, fill="subtract")
        if training and self.dropout > 0:
            noise = self._noise
            weights = attention_ops.attention_dropout(weights, self.dropout, lambda: noise.generator)
        outputs = attention_ops.attention_combine(weights, value, layout="BTH")
        if query_mask is not None:
            outputs = masking_ops.zero_where_masked(outputs, query_mask)
        if return_attention_scores:
            return outputs, weights
        return outputs

    def _check_mask(self, mask, tensor, which):
        if mask is None:
            return
        from nanokeras.ops.tensor import value_of

        expected = tuple(np.shape(value_of(tensor)))[:-1]
        given = tuple(np.shape(value_of(mask)))
        if given != expected:
            raise ValueError(
                f"{type(self).__name__} {self.name!r}: the {which} mask must have shape {expected} "
                f"(the {which}'s shape without its last axis), got {given}."
            )

    def compute_mask(self, inputs, mask=None):
        self._validate_inputs(inputs, mask)
        if mask is None or mask[0] is None:
            return None
        return mask[0]

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[0][:-1]) + (input_shape[1][-1],)

    def compute_output_spec(self, inputs, mask=None, return_attention_scores=False, training=None,
                            use_causal_mask=False):
        from nanokeras.graph.keras_tensor import KerasTensor

        self._validate_inputs(inputs, mask)
        key = inputs[2] if len(inputs) > 2 else inputs[1]
        output = KerasTensor(self.compute_output_shape([inputs[0].shape, inputs[1].shape]), dtype=self.dtype)
        if return_attention_scores:
            return output, KerasTensor(tuple(inputs[0].shape[:-1]) + (key.shape[-2],), dtype=self.dtype)
        return output

    def _validate_inputs(self, inputs, mask=None):
        name = type(self).__name__
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"{name} layer must be called on a list of inputs, namely [query, value] or [query, value, key]. "
                f"Received: inputs={inputs!r:.200}."
            )
        if len(inputs) < 2 or len(inputs) > 3:
            raise ValueError(
                f"{name} layer accepts inputs list of length 2 or 3, namely [query, value] or "
                f"[query, value, key]. Received length: {len(inputs)}."
            )
        if mask is not None:
            if not isinstance(mask, (list, tuple)):
                raise ValueError(
                    f"{name} layer mask must be a list, namely [query_mask, value_mask]. Received: mask={mask!r:.200}."
                )
            if len(mask) < 2 or len(mask) > 3:
                raise ValueError(f"{name} layer accepts mask list of length 2 or 3. Received: mask={mask!r:.200}.")

    def get_config(self):
        config = super().get_config()
        config.update({"use_scale": self.use_scale, "score_mode": self.score_mode, "dropout": self.dropout,
                       "seed": self.seed})
        return config
