"""`MixUp`: while training, blends each image (and its label) with another one of the batch."""

import numbers

import numpy as np

from nanokeras.layers.preprocessing.image_preprocessing._mixing import LabelledCall, batch_of
from nanokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer, shape_of,
)


def inverse_permutation(permutation):
    inverse = np.empty_like(permutation)
    inverse[permutation] = np.arange(permutation.shape[0])
    return inverse


def mix(x, weight, permutation):
    """`(weight * x + (1 - weight) * x[permutation], backward)`, `weight` one number per sample."""
    w = np.asarray(weight).astype(x.dtype, copy=False).reshape((-1,) + (1,) * (x.ndim - 1))
    permutation = np.asarray(permutation, dtype=np.intp)
    out = w * x + (1 - w) * np.take(x, permutation, axis=0)

    def backward(g):
        # Sample i reads sample permutation[i]: its share goes back there (a permutation, so no collisions).
        return (w * g + np.take((1 - w) * g, inverse_permutation(permutation), axis=0)).astype(g.dtype, copy=False)

    return out.astype(x.dtype, copy=False), backward


class MixUp(LabelledCall, BaseImagePreprocessingLayer):
    """Replaces each image by `w * image + (1 - w) * other`, `other` an image of the same batch (a random
    permutation) and `w ~ Beta(alpha, alpha)` drawn per image; called on `{"images": x, "labels": y}` it
    mixes the labels (one-hot) with the same weights.

    Args:
        alpha: the Beta distribution's parameter (> 0); small values keep images nearly whole (0.2 by default).
        data_format: "channels_last" or "channels_first".
        seed: an int for reproducible draws.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.MixUp(alpha=0.2, seed=1)
        >>> out = layer({"images": np.ones((4, 8, 8, 3), "float32"), "labels": np.eye(4, dtype="float32")})
        >>> out["images"].shape, np.allclose(out["labels"].sum(axis=1), 1.0)
        ((4, 8, 8, 3), True)
    """

    _USE_BASE_FACTOR = False

    def __init__(self, alpha=0.2, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real) or not alpha > 0:
            raise ValueError(f"MixUp: `alpha` must be a positive number, got alpha={alpha!r}.")
        self.alpha = alpha
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        batch = batch_of(shape_of(data))
        # Keras draws both even when not training (its `transform_images` then ignores them).
        permutation = self._generator.permutation(batch)
        weight = self._generator.beta(self.alpha, self.alpha, size=batch).astype(np.float32)
        return {"mix_weight": weight, "permutation_order": permutation}

    def _augment(self, images, transformation):
        return mix(images, transformation["mix_weight"], transformation["permutation_order"])

    def _augment_labels(self, labels, transformation):
        dtype = labels.dtype if labels.dtype.kind == "f" else np.dtype(self.dtype)  # mixed labels are fractions
        return mix(labels.astype(dtype, copy=False), transformation["mix_weight"], transformation["permutation_order"])

    def get_config(self):
        config = super().get_config()
        config.update({"alpha": self.alpha, "seed": self.seed})
        return config
