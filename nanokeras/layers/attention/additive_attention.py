"""`AdditiveAttention`: Bahdanau-style attention, scores `sum(scale * tanh(q + k))`."""

from nanokeras.layers.attention.attention import Attention
from nanokeras.ops import attention as attention_ops


class AdditiveAttention(Attention):
    """Each query step attends to the value steps with scores `sum(scale * tanh(q_t + k_s))`.

    Args:
        use_scale: learn the vector `scale` (one entry per feature); without it the
            scores are plain sums of `tanh(q_t + k_s)`.
        dropout, seed: as `Attention`.

    Call arguments: as `Attention`.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> query, value = np.ones((2, 3, 4), "float32"), np.ones((2, 5, 4), "float32")
        >>> layer = keras.layers.AdditiveAttention()
        >>> output, scores = layer([query, value], return_attention_scores=True)
        >>> output.shape, scores.shape, layer.scale.shape
        ((2, 3, 4), (2, 3, 5), (4,))
    """

    def __init__(self, use_scale=True, dropout=0.0, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        self.scale = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(input_shape[0][-1],), initializer="glorot_uniform")
        self.built = True

    def _calculate_scores(self, query, key):
        return attention_ops.additive_scores(query, key, weight=self.scale)

    def get_config(self):
        config = super().get_config()
        del config["score_mode"]
        return config
