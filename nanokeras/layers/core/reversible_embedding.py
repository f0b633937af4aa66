"""`ReversibleEmbedding`: an `Embedding` that can also project vectors back onto the vocabulary (logits)."""

import numbers

from nanokeras.backend import masking
from nanokeras.layers.core.embedding import Embedding
from nanokeras.ops import core as core_ops
from nanokeras.ops import numpy as np_ops


class ReversibleEmbedding(Embedding):
    """An `Embedding` whose `reverse=True` call maps `output_dim` vectors to `input_dim` logits.

    The reverse projection multiplies by the transpose of the embedding table
    ("tied" weights, Press and Wolf, 2016), or, with `tie_weights=False`, by a
    separate trainable `reverse_embeddings` matrix of shape `(output_dim, input_dim)`.
    There is no bias.

    Args:
        input_dim, output_dim, embeddings_initializer, embeddings_regularizer,
            embeddings_constraint, mask_zero: as for `Embedding`.
        tie_weights: whether the reverse projection reuses the embedding table.
        reverse_dtype: the dtype the reverse projection computes in (and returns);
            the layer's dtype by default.
        logit_soft_cap: if set, reverse logits become `tanh(logits / cap) * cap`,
            bounding them to (-cap, cap).

    Call arguments: `inputs`, and `reverse` (False: ids -> vectors, with the mask
    of `mask_zero`; True: (..., output_dim) vectors -> (..., input_dim) logits).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.ReversibleEmbedding(10, 4)
        >>> hidden = layer(np.array([[1, 2, 3]]))
        >>> hidden.shape, layer(hidden, reverse=True).shape
        ((1, 3, 4), (1, 3, 10))
        >>> untied = keras.layers.ReversibleEmbedding(10, 4, tie_weights=False)
        >>> untied.build()
        >>> [w.shape for w in untied.get_weights()]
        [(10, 4), (4, 10)]
    """

    _replayable = True  # both directions compute with recorded ops only

    def __init__(self, input_dim, output_dim, tie_weights=True, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False, reverse_dtype=None,
                 logit_soft_cap=None, **kwargs):
        if logit_soft_cap is not None and (isinstance(logit_soft_cap, bool)
                                           or not isinstance(logit_soft_cap, numbers.Real) or logit_soft_cap <= 0):
            raise ValueError(
                "Received an invalid value for argument `logit_soft_cap`, expected a positive number or `None`. "
                f"Received: logit_soft_cap={logit_soft_cap!r}"
            )
        # Initial `weights` may include `reverse_embeddings`: set once `tie_weights` is known.
        weights = kwargs.pop("weights", None)
        super().__init__(input_dim, output_dim, embeddings_initializer=embeddings_initializer,
                         embeddings_regularizer=embeddings_regularizer, embeddings_constraint=embeddings_constraint,
                         mask_zero=mask_zero, **kwargs)
        self.tie_weights = bool(tie_weights)
        self.reverse_dtype = reverse_dtype
        self.logit_soft_cap = logit_soft_cap
        if weights is not None:
            self.build()
            self.set_weights(weights if isinstance(weights, list) else [weights])

    def build(self, input_shape=None):
        if self.built:
            return
        super().build(input_shape)
        if not self.tie_weights:
            self.reverse_embeddings = self.add_weight(
                shape=(self.output_dim, self.input_dim), initializer=self.embeddings_initializer,
                name="reverse_embeddings")

    def call(self, inputs, reverse=False):
        if not reverse:
            outputs = super().call(inputs)
            # The mask is attached here, where `reverse` is known (`compute_mask` is not told it).
            mask = super().compute_mask(inputs)
            if mask is not None:
                masking.set_keras_mask(outputs, mask)
            return outputs
        kernel = np_ops.transpose(self._lora_adapted(self.embeddings)) if self.tie_weights else self.reverse_embeddings
        if self.reverse_dtype is not None:
            inputs = core_ops.cast(inputs, self.reverse_dtype)
            kernel = core_ops.cast(kernel, self.reverse_dtype)
        logits = np_ops.matmul(inputs, kernel)
        if self.logit_soft_cap is not None:
            cap = self.logit_soft_cap
            logits = np_ops.multiply(np_ops.tanh(np_ops.divide(logits, cap)), cap)
        return logits

    def compute_mask(self, inputs, mask=None):
        # A forward call marks its output itself (see `call`); a reverse one makes no mask.
        return None

    def compute_output_shape(self, input_shape, reverse=False):
        if reverse:
            return tuple(input_shape[:-1]) + (self.input_dim,)
        return tuple(input_shape) + (self.output_dim,)

    def compute_output_spec(self, inputs, reverse=False):
        from nanokeras.graph.keras_tensor import KerasTensor

        dtype = self.reverse_dtype if reverse and self.reverse_dtype is not None else self.dtype
        return KerasTensor(self.compute_output_shape(inputs.shape, reverse), dtype=dtype)

    def get_config(self):
        config = super().get_config()
        config.update({
            "tie_weights": self.tie_weights,
            "reverse_dtype": self.reverse_dtype,
            "logit_soft_cap": self.logit_soft_cap,
        })
        return config
