"""`Embedding`: turns integer ids (words, characters, categories) into learned dense vectors."""

import warnings

import numpy as np

from nanokeras import constraints, initializers, regularizers
from nanokeras.backend import masking
from nanokeras.graph.keras_tensor import KerasTensor
from nanokeras.layers.core.lora import LoraMixin
from nanokeras.layers.layer import Layer, saved_by_name
from nanokeras.ops import masking as masking_ops
from nanokeras.ops import numpy as ops_numpy
from nanokeras.ops.embedding import embedding_lookup
from nanokeras.utils import keras2_notes


def _check_positive_int(argument, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(
            f"Embedding: `{argument}` must be a positive integer. Received: {argument}={value!r} "
            f"(of type {type(value).__name__})."
        )
    return int(value)


class Embedding(LoraMixin, Layer):
    """Maps each id in `[0, input_dim)` to a trainable vector of size `output_dim`.

    Args:
        input_dim: the number of ids (vocabulary size): the largest id plus one.
        output_dim: the size of each vector.
        embeddings_initializer: defaults to `"uniform"` (uniform in [-0.05, 0.05]).
        embeddings_regularizer, embeddings_constraint, activity_regularizer: optional, as in Keras.
        mask_zero: whether id 0 is padding. Then the output carries a mask (False
            where the id is 0) that recurrent, attention and pooling layers use to
            skip the padding, and id 0 must not be a real token (`input_dim` then
            counts it: vocabulary size + 1).
        weights: optional initial table, a `(input_dim, output_dim)` array.
        lora_rank, lora_alpha: LoRA fine-tuning from the start (`enable_lora`, as for `Dense`).

    Ids outside `[0, input_dim)` raise a ValueError (Keras returns zeros or
    garbage for them, depending on the backend).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.Embedding(10, 3, mask_zero=True)
        >>> ids = np.array([[4, 2, 0, 0]])
        >>> layer(ids).shape
        (1, 4, 3)
        >>> layer.compute_mask(ids).tolist()
        [[True, True, False, False]]
    """

    _replayable = True  # its call computes with recorded ops only

    _keeps_integer_inputs = True

    _lora_base = "embeddings"
    _lora_names = ("lora_embeddings_a", "lora_embeddings_b")
    _extra_keywords = ("input_length", "quantization_config")  # read from **kwargs, as Keras does

    def _saved_variables(self):  # as Keras: only these, also in a subclass with more variables
        return saved_by_name(self, "embeddings", "reverse_embeddings")

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform", embeddings_regularizer=None,
                 embeddings_constraint=None, mask_zero=False, weights=None, lora_rank=None, lora_alpha=None,
                 **kwargs):
        input_dim = _check_positive_int("input_dim", input_dim)
        output_dim = _check_positive_int("output_dim", output_dim)
        input_length = kwargs.pop("input_length", None)
        if input_length is not None:
            warnings.warn("Argument `input_length` is deprecated. Just remove it.", stacklevel=2)
            if not any(name in kwargs for name in ("input_shape", "input_dim", "batch_input_shape", "batch_shape")):
                # Keras 2's meaning: a first layer declares the model's input `(None, input_length)`,
                # so `summary()` shows shapes before `fit` (Keras 3 ignores it: an unbuilt model).
                keras2_notes.note("embedding_input_length")
                kwargs["input_shape"] = (input_length,)
        kwargs.pop("quantization_config", None)
        initializer = initializers.get(embeddings_initializer)
        regularizer = regularizers.get(embeddings_regularizer)
        constraint = constraints.get(embeddings_constraint)
        super().__init__(**kwargs)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializer
        self.embeddings_regularizer = regularizer
        self.embeddings_constraint = constraint
        self._set_lora_arguments(lora_rank, lora_alpha)
        self.mask_zero = bool(mask_zero)
        self.supports_masking = self.mask_zero
        if self.mask_zero:
            masking.note_masks_in_use()
        if weights is not None:
            self.build()
            if not (isinstance(weights, list) and len(weights) == 1):
                weights = [weights]
            self.set_weights(weights)

    def build(self, input_shape=None):
        if self.built:
            return
        self.embeddings = self.add_weight(
            shape=(self.input_dim, self.output_dim), initializer=self.embeddings_initializer, name="embeddings",
            regularizer=self.embeddings_regularizer, constraint=self.embeddings_constraint,
        )
        self.built = True
        self._build_lora()

    def _build_for(self, input_shape):
        if not self.built:
            super()._build_for(input_shape)
        else:
            self._build_input_shape = input_shape

    def call(self, inputs):
        return embedding_lookup(self._lora_adapted(self.embeddings), inputs, owner=f"Embedding {self.name!r}")

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        if isinstance(inputs, KerasTensor):
            # Building a functional model: the mask is a `not_equal` node of its graph, as in Keras
            # (shown by `summary()`, saved in the config).
            return ops_numpy.not_equal(inputs, 0)
        return masking_ops.derived_mask(np.not_equal, inputs, 0)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def compute_output_spec(self, inputs, *args, **kwargs):
        from nanokeras.graph.keras_tensor import KerasTensor

        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.dtype)

    def get_config(self):
        config = super().get_config()
        config.update({
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
            "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
            "quantization_config": None,
        })
        config.update(self._lora_config())
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if config.get("quantization_config") is not None:
            raise ValueError("Embedding.from_config: `quantization_config` is not supported by nanokeras.")
        config.pop("quantization_config", None)
        return super().from_config(config)
